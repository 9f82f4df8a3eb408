//! Cookies, CSRF, headers and sign-in throttling.

use axum::http::{StatusCode, header};
use essaim_domain::access::RoleKind;
use essaim_testkit::{PASSWORD, TestApp, email_for};

#[tokio::test]
async fn the_session_cookie_is_http_only_and_same_site() {
    let app = TestApp::spawn().await;
    let mut c = app.client();
    let token = c.form_token().await;
    let r = c
        .post_raw(
            "/login",
            &[
                ("_csrf", &token),
                ("email", &email_for(RoleKind::Entrepreneur)),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let cookie = r
        .headers
        .get(header::SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    assert!(cookie.starts_with("essaim_session="));
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
}

#[tokio::test]
async fn every_page_carries_the_security_headers() {
    let app = TestApp::spawn().await;
    let mut c = app.client();
    let r = c.get("/login").await;
    let h = |name: &str| {
        r.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned()
    };
    let csp = h("content-security-policy");
    assert!(
        csp.contains("script-src 'self'")
            && !csp.contains("unsafe-inline")
            && csp.contains("frame-ancestors 'none'"),
        "{csp}"
    );
    assert_eq!(h("x-content-type-options"), "nosniff");
    assert_eq!(h("referrer-policy"), "same-origin");
    assert_eq!(h("cache-control"), "no-store");
    assert!(!r.body.contains("<script"), "pages carry no script");
}

#[tokio::test]
async fn a_form_without_the_csrf_token_is_refused_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let mut c = app.signed_in(&email_for(RoleKind::Administrator)).await;
    let path = format!("/c/{}/members", app.coop_a);
    let r = c
        .post_raw(
            &path,
            &[
                ("email", "intrus@exemple.fr"),
                ("display_name", "Intrus"),
                ("role", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body.contains("Ce formulaire a expiré"));
    let r = c
        .post_raw(
            &path,
            &[
                ("_csrf", "0000"),
                ("email", "intrus@exemple.fr"),
                ("display_name", "Intrus"),
                ("role", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let list = c.get(&path).await;
    assert!(!list.body.contains("intrus@exemple.fr"));
}

#[tokio::test]
async fn a_form_posted_from_another_site_is_refused() {
    let app = TestApp::spawn().await;
    let mut c = app.signed_in(&email_for(RoleKind::Administrator)).await;
    let token = c.form_token().await;
    let req = axum::http::Request::post("/account/tokens")
        .header(header::HOST, "essaim.test")
        .header(header::ORIGIN, "https://evil.example")
        .header(
            header::COOKIE,
            format!("essaim_session={}", c.session.clone().unwrap_or_default()),
        )
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(axum::body::Body::from(format!("_csrf={token}&name=x")))
        .unwrap();
    assert_eq!(c.send(req).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_wrong_password_is_refused_in_french_beside_the_field_keeping_the_email() {
    let app = TestApp::spawn().await;
    let mut c = app.client();
    let r = c
        .post_form(
            "/login",
            &[
                ("email", "entrepreneur@a.test.essaim.coop"),
                ("password", "pas le bon"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Adresse e-mail ou mot de passe incorrect."));
    assert!(r.body.contains("value=\"entrepreneur@a.test.essaim.coop\""));
    assert!(r.body.contains("aria-describedby=\"e-password\""));
}

#[tokio::test]
async fn sign_in_is_throttled_per_account_even_for_the_right_password() {
    let app = TestApp::spawn().await;
    let email = email_for(RoleKind::Entrepreneur);
    for _ in 0..5 {
        let r = app
            .client()
            .post_form(
                "/login",
                &[("email", &email), ("password", "mauvais mot de passe")],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let r = app
        .client()
        .post_form("/login", &[("email", &email), ("password", PASSWORD)])
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.body.contains("Trop de tentatives"));
    // Another account from the same address is not locked by this one.
    let r = app
        .client()
        .post_form(
            "/login",
            &[
                ("email", &email_for(RoleKind::Member)),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // After the window, the account opens again.
    app.clock.advance(time::Duration::minutes(16));
    let r = app
        .client()
        .post_form("/login", &[("email", &email), ("password", PASSWORD)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn sign_in_is_throttled_per_network_address() {
    let app = TestApp::spawn().await;
    for i in 0..30 {
        app.client()
            .post_form(
                "/login",
                &[
                    ("email", &format!("inconnu{i}@exemple.fr")),
                    ("password", "mauvais mot de passe"),
                ],
            )
            .await;
    }
    let r = app
        .client()
        .post_form(
            "/login",
            &[
                ("email", &email_for(RoleKind::Entrepreneur)),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn a_sign_in_redirect_never_leaves_the_site() {
    let app = TestApp::spawn().await;
    let mut c = app.client();
    let r = c
        .post_form(
            "/login",
            &[
                ("email", &email_for(RoleKind::Entrepreneur)),
                ("password", PASSWORD),
                ("next", "//evil.example/"),
            ],
        )
        .await;
    assert_eq!(r.location(), "/");
}

#[tokio::test]
async fn an_idle_session_expires() {
    let app = TestApp::spawn().await;
    let mut c = app.signed_in(&email_for(RoleKind::Entrepreneur)).await;
    assert_eq!(c.get("/account").await.status, StatusCode::OK);
    app.clock.advance(time::Duration::hours(13));
    let r = c.get("/account").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.location().starts_with("/login"));
}

#[tokio::test]
async fn signing_out_ends_the_session_on_the_server() {
    let app = TestApp::spawn().await;
    let mut c = app.signed_in(&email_for(RoleKind::Entrepreneur)).await;
    let stolen = c.session.clone();
    let r = c.post_form("/logout", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let mut thief = app.client();
    thief.session = stolen;
    assert_eq!(thief.get("/account").await.status, StatusCode::SEE_OTHER);
}
