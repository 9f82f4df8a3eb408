//! Passwords (change, forgotten), sessions and personal tokens, through the pages.

use axum::http::StatusCode;
use essaim_app::mail::Mailer;
use essaim_domain::access::RoleKind;
use essaim_testkit::{Backend, PASSWORD, TestApp, email_for, smtp};

fn link_in(message: &str) -> String {
    let start = message
        .find("http://essaim.test/password/reset/")
        .expect("a reset link");
    message[start..]
        .split_whitespace()
        .next()
        .unwrap_or("")
        .trim_start_matches("http://essaim.test")
        .to_owned()
}

#[tokio::test]
async fn a_forgotten_password_is_reset_through_a_one_time_link_sent_by_email() {
    let (url, inbox) = smtp::start().await;
    let app = TestApp::spawn_with(
        Backend::Sqlite,
        Mailer::new(Some(&url), "Essaim <essaim@test.invalid>").unwrap(),
    )
    .await;
    let email = email_for(RoleKind::Entrepreneur);
    let r = app
        .client()
        .post_form("/password/forgot", &[("email", &email)])
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Si un compte correspond"));
    assert!(
        !r.body.contains("journal du serveur"),
        "SMTP is configured here"
    );
    // An unknown address gets the same answer and no e-mail.
    let r = app
        .client()
        .post_form("/password/forgot", &[("email", "personne@exemple.fr")])
        .await;
    assert!(r.body.contains("Si un compte correspond"));
    app.run_jobs().await;
    let messages = inbox.messages();
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(messages[0].contains(&email) && messages[0].contains("Subject:"));
    let link = link_in(&messages[0]);

    let mut c = app.client();
    assert_eq!(c.get(&link).await.status, StatusCode::OK);
    let r = c
        .post_form(
            &link,
            &[
                ("new_password", "une toute nouvelle phrase"),
                ("confirm_password", "une autre phrase"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body
            .contains("Les deux mots de passe ne sont pas identiques.")
    );
    let r = c
        .post_form(
            &link,
            &[
                ("new_password", "une toute nouvelle phrase"),
                ("confirm_password", "une toute nouvelle phrase"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/login?done=reset");
    // The link worked once.
    assert_eq!(c.get(&link).await.status, StatusCode::NOT_FOUND);
    let r = app
        .client()
        .post_form("/login", &[("email", &email), ("password", PASSWORD)])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = app
        .client()
        .post_form(
            "/login",
            &[("email", &email), ("password", "une toute nouvelle phrase")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_reset_link_expires_after_an_hour() {
    let (url, inbox) = smtp::start().await;
    let app = TestApp::spawn_with(
        Backend::Sqlite,
        Mailer::new(Some(&url), "essaim@test.invalid").unwrap(),
    )
    .await;
    app.client()
        .post_form(
            "/password/forgot",
            &[("email", &email_for(RoleKind::Member))],
        )
        .await;
    app.run_jobs().await;
    let link = link_in(&inbox.messages()[0]);
    app.clock.advance(time::Duration::minutes(61));
    let r = app.client().get(&link).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.body.contains("Ce lien ne fonctionne plus"));
}

#[tokio::test]
async fn without_smtp_the_page_says_the_link_is_in_the_server_log() {
    let app = TestApp::spawn().await;
    let r = app.client().get("/password/forgot").await;
    assert!(
        r.body
            .contains("le lien est écrit dans le journal du serveur")
    );
}

#[tokio::test]
async fn changing_ones_password_closes_the_other_sessions() {
    let app = TestApp::spawn().await;
    let email = email_for(RoleKind::Payroll);
    let mut phone = app.signed_in(&email).await;
    let mut laptop = app.signed_in(&email).await;
    let r = laptop
        .post_form(
            "/account/password",
            &[
                ("current_password", "pas le bon"),
                ("new_password", "court"),
                ("confirm_password", "court"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body
            .contains("Ce n&#39;est pas votre mot de passe actuel.")
            || r.body.contains("Ce n'est pas votre mot de passe actuel.")
    );
    assert!(r.body.contains("au moins 10 caractères"));
    let r = laptop
        .post_form(
            "/account/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", "ma nouvelle phrase secrète"),
                ("confirm_password", "ma nouvelle phrase secrète"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Votre mot de passe a été changé"));
    assert_eq!(laptop.get("/account").await.status, StatusCode::OK);
    assert_eq!(phone.get("/account").await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn an_administrator_revokes_a_members_session() {
    let app = TestApp::spawn().await;
    let mut entrepreneur = app.signed_in(&email_for(RoleKind::Entrepreneur)).await;
    let mut admin = app.signed_in(&email_for(RoleKind::Administrator)).await;
    let page = admin.get(&format!("/c/{}/sessions", app.coop_a)).await;
    assert!(page.body.contains("Personne entrepreneur"));
    // The entrepreneur's session is the first one listed after the admin's own (newest first).
    let marker = format!("/c/{}/sessions/", app.coop_a);
    let revoke_paths: Vec<String> = page
        .body
        .match_indices(&marker)
        .map(|(i, _)| page.body[i..].split('"').next().unwrap_or("").to_owned())
        .collect();
    assert_eq!(revoke_paths.len(), 2, "{revoke_paths:?}");
    for p in &revoke_paths {
        let id: i64 = p
            .trim_end_matches("/revoke")
            .rsplit('/')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let admin_id = app
            .actor(&email_for(RoleKind::Administrator))
            .await
            .user
            .id
            .get();
        if app.session_owner(id).await != Some(admin_id) {
            assert_eq!(admin.post_form(p, &[]).await.status, StatusCode::SEE_OTHER);
        }
    }
    assert_eq!(
        entrepreneur.get("/account").await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(admin.get("/account").await.status, StatusCode::OK);
    let audit = admin.get(&format!("/c/{}/audit", app.coop_a)).await;
    assert!(audit.body.contains("session.revoked"));
}

#[tokio::test]
async fn a_personal_token_is_shown_once_works_on_the_api_and_can_be_revoked() {
    let app = TestApp::spawn().await;
    let mut c = app.signed_in(&email_for(RoleKind::Accounting)).await;
    let r = c
        .post_form("/account/tokens", &[("name", ""), ("valid_days", "")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Ce champ est obligatoire."));
    let r = c
        .post_form(
            "/account/tokens",
            &[("name", "tableur"), ("valid_days", "30")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let start = r.body.find("essaim_").expect("token shown");
    let secret: String = r.body[start..]
        .chars()
        .take_while(|ch| ch.is_ascii_alphanumeric() || *ch == '_')
        .collect();
    assert_eq!(secret.len(), "essaim_".len() + 64);
    let mut api = app.client();
    api.bearer = Some(secret.clone());
    let me = api.get("/api/v1/me").await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.json()["email"], email_for(RoleKind::Accounting));
    // Shown once: the account page no longer shows it.
    let page = c.get("/account").await;
    assert!(!page.body.contains(&secret));
    let revoke = page
        .body
        .match_indices("/account/tokens/")
        .map(|(i, _)| page.body[i..].split('"').next().unwrap().to_owned())
        .next()
        .unwrap();
    assert_eq!(
        c.post_form(&revoke, &[]).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(api.get("/api/v1/me").await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_language_can_be_switched_to_english() {
    let app = TestApp::spawn().await;
    let mut c = app.signed_in(&email_for(RoleKind::Entrepreneur)).await;
    let r = c
        .post_form("/language", &[("lang", "en"), ("back", "/account")])
        .await;
    assert_eq!(r.location(), "/account");
    let page = c.get("/account").await;
    assert!(page.body.contains("<html lang=\"en\">"));
    assert!(page.body.contains("My account"));
}
