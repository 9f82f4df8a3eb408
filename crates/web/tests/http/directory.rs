//! The directory: private by default, listed on request, contact through the platform.

use axum::http::StatusCode;
use essaim_app::mail::Mailer;
use essaim_domain::access::RoleKind;
use essaim_testkit::{Backend, TestApp, email_for, smtp};

#[tokio::test]
async fn members_find_listed_profiles_and_write_to_them_without_seeing_hidden_addresses() {
    let (url, inbox) = smtp::start().await;
    let app = TestApp::spawn_with(
        Backend::Sqlite,
        Mailer::new(Some(&url), "essaim@test.invalid").unwrap(),
    )
    .await;
    let mut entrepreneur = app.signed_in(&email_for(RoleKind::Entrepreneur)).await;
    let me = format!("/c/{}/directory/me", app.coop_a);
    let profile = [
        ("headline", "Graphiste"),
        ("offer", "Logos et affiches"),
        ("tags", "Graphisme, logo, graphisme"),
        ("territory", "Lyon"),
        ("naf", "74.10Z"),
        ("phone", ""),
    ];
    // Saved but not listed: nobody sees it.
    assert_eq!(
        entrepreneur.post_form(&me, &profile).await.status,
        StatusCode::SEE_OTHER
    );
    let mut member = app.signed_in(&email_for(RoleKind::Member)).await;
    let dir = format!("/c/{}/directory", app.coop_a);
    assert!(
        !member.get(&dir).await.body.contains("Graphiste"),
        "private by default"
    );
    let mut bad = profile.to_vec();
    bad.push(("show_phone", "on"));
    let r = entrepreneur.post_form(&me, &bad).await;
    assert!(r.body.contains("Indiquez le numéro à montrer."));
    let mut listed = profile.to_vec();
    listed.push(("listed", "on"));
    assert_eq!(
        entrepreneur.post_form(&me, &listed).await.status,
        StatusCode::SEE_OTHER
    );
    let page = member.get(&dir).await;
    assert!(page.body.contains("Graphiste") && page.body.contains("<code>logo</code>"));
    assert!(
        !page.body.contains(&email_for(RoleKind::Entrepreneur)),
        "the address stays hidden"
    );
    assert!(
        member
            .get(&format!("{dir}?tag=logo"))
            .await
            .body
            .contains("Graphiste")
    );
    assert!(
        !member
            .get(&format!("{dir}?tag=menuiserie"))
            .await
            .body
            .contains("Graphiste")
    );
    assert!(
        member
            .get(&format!("{dir}?naf=74"))
            .await
            .body
            .contains("Graphiste")
    );
    assert!(
        member
            .get(&format!("{dir}?q=affiches"))
            .await
            .body
            .contains("Graphiste")
    );
    let api = app
        .api_client(&email_for(RoleKind::Member))
        .await
        .get(&format!(
            "/api/v1/cooperatives/{}/directory?tag=logo",
            app.coop_a
        ))
        .await
        .json();
    assert_eq!(api[0]["headline"], "Graphiste");
    assert!(api[0]["email"].is_null());
    // Writing through the platform.
    let target = app
        .actor(&email_for(RoleKind::Entrepreneur))
        .await
        .user
        .id
        .get();
    let contact = format!("/c/{}/directory/{target}/contact", app.coop_a);
    let r = member.post_form(&contact, &[("message", " ")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Ce champ est obligatoire."));
    let r = member
        .post_form(
            &contact,
            &[("message", "Bonjour, pouvez-vous dessiner notre logo ?")],
        )
        .await;
    assert!(r.body.contains("Votre message a été envoyé."));
    app.run_jobs().await;
    let mail = inbox.messages().pop().expect("a message");
    assert!(
        mail.contains(&email_for(RoleKind::Entrepreneur))
            && mail.contains("pouvez-vous dessiner notre logo")
            && mail.contains(&email_for(RoleKind::Member))
    );
    // Another cooperative's people neither see nor write.
    let mut b = app.signed_in(essaim_testkit::ADMIN_B_EMAIL).await;
    assert_eq!(b.get(&dir).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        b.post_form(&contact, &[("message", "x")]).await.status,
        StatusCode::NOT_FOUND
    );
    let other_b = format!("/c/{}/directory/{target}/contact", app.coop_b);
    assert_eq!(
        b.post_form(&other_b, &[("message", "x")]).await.status,
        StatusCode::NOT_FOUND,
        "not listed in B"
    );
    // Showing the address is the person's choice.
    listed.push(("show_email", "on"));
    entrepreneur.post_form(&me, &listed).await;
    assert!(
        member
            .get(&dir)
            .await
            .body
            .contains(&format!("mailto:{}", email_for(RoleKind::Entrepreneur)))
    );
}
