//! The connection to the approved platform (issue 20, EIN-03), against the conformance platform:
//! errors beside their fields, the secret sealed and never shown back nor logged, the test of the
//! connection with its outcome kept, and only administrators of the cooperative.

use axum::http::StatusCode;
use essaim_domain::access::RoleKind;
use essaim_einvoicing::conformance::{Sandbox, Setup};
use essaim_testkit::{ADMIN_B_EMAIL, TestApp, email_for};

#[tokio::test]
async fn ein_03_an_administrator_connects_the_platform_and_tests_it() {
    for backend in essaim_testkit::backends() {
        let mailer = essaim_app::mail::Mailer::new(None, "essaim@test.invalid").unwrap();
        scenario(TestApp::spawn_with(backend, mailer).await).await;
    }
}

async fn scenario(app: TestApp) {
    let pa = Sandbox::start(Setup::default()).await.unwrap();
    let c = pa.connection();
    let page = format!("/c/{}/settings/einvoicing", app.coop_a);
    let mut admin = app.signed_in(&email_for(RoleKind::Administrator)).await;
    let r = admin.get(&page).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Aucun échange"));
    // Errors beside their fields; the secret typed does not come back.
    let r = admin
        .post_form(
            &page,
            &[
                ("flow_url", "http://pa.example.com/flow"),
                ("directory_url", "pa.example"),
                ("token_url", &c.token_url),
                ("client_id", ""),
                ("client_secret", "typed-secret-value"),
                ("syntax", "factur-x"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in ["flow_url", "directory_url", "client_id"] {
        assert!(r.body.contains(&format!("id=\"e-{field}\"")), "{field}");
    }
    assert!(r.body.contains("https://"));
    assert!(!r.body.contains("typed-secret-value"));
    // Only the settings role, and never another cooperative's.
    let mut me = app.signed_in(&email_for(RoleKind::Entrepreneur)).await;
    assert_eq!(me.get(&page).await.status, StatusCode::FORBIDDEN);
    let good = |secret: &str| {
        vec![
            ("flow_url", c.flow_url.clone()),
            ("directory_url", c.directory_url.clone()),
            ("token_url", c.token_url.clone()),
            ("client_id", c.client_id.clone()),
            ("client_secret", secret.to_owned()),
            ("syntax", "factur-x".to_owned()),
        ]
    };
    let as_refs = |v: &Vec<(&'static str, String)>| -> Vec<(&'static str, String)> { v.clone() };
    let post = async |client: &mut essaim_testkit::Client, v: Vec<(&'static str, String)>| {
        let refs: Vec<(&str, &str)> = v.iter().map(|(k, v)| (*k, v.as_str())).collect();
        client.post_form(&page, &refs).await
    };
    assert_eq!(
        post(&mut me, as_refs(&good(&c.client_secret))).await.status,
        StatusCode::FORBIDDEN
    );
    let r = post(&mut admin, good("wrong-secret")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // The wrong secret: the test says so, and the log keeps it.
    let r = admin.post_form(&format!("{page}/test"), &[]).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("La connexion a échoué"), "{}", r.body);
    // The right one, typed again; then kept when the field stays empty.
    assert_eq!(
        post(&mut admin, good(&c.client_secret)).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        post(&mut admin, good("")).await.status,
        StatusCode::SEE_OTHER
    );
    let r = admin.post_form(&format!("{page}/test"), &[]).await;
    assert!(r.body.contains("Connexion réussie"), "{}", r.body);
    assert!(r.body.contains("Test de la connexion") && r.body.contains("Réussi"));
    let shown = admin.get(&page).await.body;
    assert!(shown.contains("Un secret est enregistré"));
    assert!(!shown.contains(&c.client_secret) && !shown.contains("wrong-secret"));
    // Nowhere in the audit log, and not in clear in the database.
    let actor = app
        .coop_actor(&email_for(RoleKind::Administrator), &app.coop_a)
        .await;
    let log = essaim_app::audit::list(&app.app, &actor, &Default::default(), 50)
        .await
        .unwrap();
    assert!(
        log.iter()
            .any(|e| e.action == "einvoicing.connection_saved")
    );
    assert!(
        log.iter()
            .all(|e| !e.detail.contains(&c.client_secret) && !e.detail.contains("wrong-secret"))
    );
    let mut tx = app.app.store.read().await.unwrap();
    let stored = essaim_storage::einvoicing::connection(&mut tx, actor.cooperative)
        .await
        .unwrap()
        .unwrap();
    tx.commit().await.unwrap();
    assert!(
        !stored
            .secret_sealed
            .windows(c.client_secret.len())
            .any(|w| w == c.client_secret.as_bytes())
    );
    // Another cooperative's administrator sees its own, empty, settings.
    let mut b = app.signed_in(ADMIN_B_EMAIL).await;
    let theirs = b
        .get(&format!("/c/{}/settings/einvoicing", app.coop_b))
        .await;
    assert_eq!(theirs.status, StatusCode::OK);
    assert!(!theirs.body.contains(&c.flow_url) && theirs.body.contains("Aucun échange"));
    assert_eq!(b.get(&page).await.status, StatusCode::NOT_FOUND);
    // The demo's platform goes to the cooperatives without one, never over a real connection.
    let n = essaim_app::einvoicing::connect_demo_platform(&app.app, &pa.connection())
        .await
        .unwrap();
    assert_eq!(n, 1, "cooperative B only");
    let theirs = b
        .get(&format!("/c/{}/settings/einvoicing", app.coop_b))
        .await
        .body;
    assert!(theirs.contains("Plateforme de démonstration"));
    assert!(
        !admin
            .get(&page)
            .await
            .body
            .contains("Plateforme de démonstration")
    );
}
