//! Personal data (GDP-01, GDP-02): one's own export, and anonymisation after the retention period.

use axum::http::StatusCode;
use essaim_domain::access::RoleKind;
use essaim_testkit::{Client, TestApp, email_for};

async fn person_with(
    app: &TestApp,
    coach: &mut Client,
    last: &str,
    steps: &[&[(&str, &str)]],
) -> String {
    let r = coach
        .post_form(
            &format!("/c/{}/people", app.coop_a),
            &[
                ("first_name", "Alex"),
                ("last_name", last),
                ("email", "alex@exemple.fr"),
                ("phone", "0612345678"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let file = r.location().to_owned();
    for s in steps {
        let r = coach.post_form(&format!("{file}/events"), s).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    file
}

#[tokio::test]
async fn gdp_02_a_person_downloads_everything_essaim_holds_about_them() {
    let app = TestApp::spawn().await;
    let mut coach = app.signed_in(&email_for(RoleKind::Coaching)).await;
    let file = person_with(
        &app,
        &mut coach,
        "Moi",
        &[&[("kind", "information_meeting"), ("on", "2026-10-01")]],
    )
    .await;
    person_with(&app, &mut coach, "Quelquun", &[]).await;
    coach
        .post_form(
            &format!("{file}/account"),
            &[("account_email", &email_for(RoleKind::Entrepreneur))],
        )
        .await;
    let mut me = app.signed_in(&email_for(RoleKind::Entrepreneur)).await;
    assert!(
        me.get("/account")
            .await
            .body
            .contains("Télécharger mes données")
    );
    let r = me.get("/account/export.json").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.headers
            .get("content-disposition")
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    let data = r.json();
    assert_eq!(data["account"]["email"], email_for(RoleKind::Entrepreneur));
    assert_eq!(data["cooperatives"][0]["roles"][0], "entrepreneur");
    assert_eq!(
        data["files"].as_array().unwrap().len(),
        1,
        "only their own file"
    );
    assert_eq!(data["files"][0]["last_name"], "Moi");
    assert_eq!(data["files"][0]["path"][0]["kind"], "information_meeting");
    assert!(
        data["actions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["action"] == "session.sign_in")
    );
    assert!(!r.body.contains("Quelquun"));
    assert!(!r.body.contains("password"), "no password hash");
}

#[tokio::test]
async fn gdp_01_a_person_who_left_is_anonymised_only_after_the_retention_period() {
    let app = TestApp::spawn().await;
    let mut coach = app.signed_in(&email_for(RoleKind::Coaching)).await;
    // Not admitted in March 2024: the data may be erased from March 2026 (2 years).
    let refused = person_with(
        &app,
        &mut coach,
        "Refusé",
        &[
            &[("kind", "information_meeting"), ("on", "2024-03-01")],
            &[
                ("kind", "not_admitted"),
                ("on", "2024-03-10"),
                ("non_admission_reason", "not_viable"),
            ],
        ],
    )
    .await;
    // Employed, left in June 2024: the HR file is kept until June 2029 (5 years).
    let employee = person_with(
        &app,
        &mut coach,
        "Salarié",
        &[
            &[("kind", "information_meeting"), ("on", "2022-01-03")],
            &[("kind", "admitted"), ("on", "2022-01-10")],
            &[("kind", "cesa_signed"), ("on", "2022-02-01")],
            &[
                ("kind", "exited"),
                ("on", "2024-06-30"),
                ("exit_type", "employment"),
                ("exit_reason", "personal"),
                ("destination", "cdi"),
            ],
        ],
    )
    .await;
    let mut admin = app.signed_in(&email_for(RoleKind::Administrator)).await;
    let page = admin.get(&employee).await;
    assert!(
        page.body.contains("Données conservées jusqu&#39;au")
            || page.body.contains("Données conservées jusqu'au")
    );
    assert!(page.body.contains("30/06/2029") && !page.body.contains("Anonymiser définitivement"));
    let r = admin
        .post_form(&format!("{employee}/anonymize"), &[("confirm", "on")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body
            .contains("La durée légale de conservation n&#39;est pas terminée")
            || r.body
                .contains("La durée légale de conservation n'est pas terminée")
    );
    assert_eq!(
        coach
            .post_form(&format!("{refused}/anonymize"), &[("confirm", "on")])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let page = admin.get(&refused).await;
    assert!(page.body.contains("Anonymiser définitivement"));
    let r = admin.post_form(&format!("{refused}/anonymize"), &[]).await;
    assert!(r.body.contains("Cochez la case pour confirmer."));
    assert_eq!(
        admin
            .post_form(&format!("{refused}/anonymize"), &[("confirm", "on")])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let page = admin.get(&refused).await;
    assert!(
        page.body.contains("Personne anonymisée")
            && !page.body.contains("Refusé")
            && !page.body.contains("0612345678")
            && !page.body.contains("alex@exemple.fr")
    );
    assert!(
        page.body.contains("Projet pas encore viable"),
        "coded facts stay for statistics"
    );
    let list = admin.get(&format!("/c/{}/people", app.coop_a)).await;
    assert!(!list.body.contains("Refusé") && list.body.contains("Salarié"));
    let audit = admin
        .get(&format!("/c/{}/audit?action=person.anonymized", app.coop_a))
        .await;
    assert!(audit.body.contains("person.anonymized"));
}
