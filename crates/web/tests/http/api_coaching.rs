//! Coaching through the JSON API (issue 9): a coach plans an appointment, the entrepreneur reads
//! it without the private notes and cannot plan one nor read another's; errors name their field;
//! the entrepreneur lists the workshops offered to her and registers.

use super::coaching::{entrepreneur_in_cape, person_form};
use axum::http::StatusCode;
use essaim_domain::access::RoleKind;
use essaim_testkit::{TestApp, email_for};
use serde_json::json;

#[tokio::test]
async fn the_api_keeps_private_notes_to_coaches_and_registers_for_workshops() {
    let app = TestApp::spawn().await;
    let a = app.coop_a.clone();
    let mut coach_page = app.signed_in(&email_for(RoleKind::Coaching)).await;
    let (_, emma) = entrepreneur_in_cape(&app, &mut coach_page).await;
    let r = coach_page
        .post_form(&format!("/c/{a}/people"), &person_form("Paul", "Durand"))
        .await;
    let paul: i64 = r.location().rsplit('/').next().unwrap().parse().unwrap();
    let mut coach = app.api_client(&email_for(RoleKind::Coaching)).await;
    let mut emma_api = app.api_client(&email_for(RoleKind::Entrepreneur)).await;
    let base = format!("/api/v1/cooperatives/{a}");

    // A mistake is a 422 naming its field.
    let r = coach
        .post_json(
            &format!("{base}/appointments"),
            &json!({ "date": "2026-12-10", "time": "10:00", "duration": "beaucoup", "mode": "phone", "people": [emma] }),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.json()["error"]["fields"][0]["field"], "duration");

    let plan = |people: Vec<i64>| {
        json!({
            "date": "2026-12-10", "time": "10:00", "duration": "60", "mode": "video",
            "place": "https://visio.example/rdv", "topics": ["pricing"], "people": people,
            "private_notes": "secret-api-note", "summary": "Préparer trois devis.",
            "programme": "region",
            "actions": [{ "label": "Envoyer les devis", "due_on": "2026-12-20" }]
        })
    };
    let r = coach
        .post_json(&format!("{base}/appointments"), &plan(vec![emma]))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let created = r.json();
    assert_eq!(created["private_notes"], "secret-api-note");
    assert_eq!(created["programme"], "region");
    assert_eq!(created["actions"][0]["due_on"], "2026-12-20");
    let id = created["id"].as_i64().unwrap();
    let r = coach
        .post_json(&format!("{base}/appointments"), &plan(vec![paul]))
        .await;
    let pauls = r.json()["id"].as_i64().unwrap();

    // Emma reads hers, without the private notes; not Paul's; she plans none.
    let r = emma_api.get(&format!("{base}/appointments/{id}")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.json().get("private_notes").is_none(), "{}", r.body);
    assert!(!r.body.contains("secret-api-note"));
    assert_eq!(r.json()["summary"], "Préparer trois devis.");
    let r = emma_api.get(&format!("{base}/appointments")).await;
    assert_eq!(r.status, StatusCode::OK);
    let list = r.json();
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert!(!r.body.contains("secret-api-note"));
    let r = emma_api.get(&format!("{base}/appointments/{pauls}")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = emma_api
        .post_json(&format!("{base}/appointments"), &plan(vec![emma]))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // The coach's agenda holds both, with the notes.
    let r = coach
        .get(&format!("{base}/appointments?from=2026-12-01"))
        .await;
    assert_eq!(r.json().as_array().unwrap().len(), 2);
    assert!(r.body.contains("secret-api-note"));

    // Workshops: the list offered to Emma, and her registration.
    let trainer = app
        .coop_actor(&email_for(RoleKind::Coaching), &a)
        .await
        .user()
        .id
        .get()
        .to_string();
    let r = coach_page
        .post_form(
            &format!("/c/{a}/workshops"),
            &[
                ("title", "Prospecter"),
                ("date", "2026-12-15"),
                ("start", "14:00"),
                ("end", "17:00"),
                ("place", "Salle 1"),
                ("capacity", "1"),
                ("trainer_kind", "internal"),
                ("trainer", &trainer),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = emma_api.get(&format!("{base}/workshops")).await;
    let list = r.json();
    assert_eq!(list[0]["title"], "Prospecter");
    assert!(list[0]["my_seat"].is_null());
    let wid = list[0]["id"].as_i64().unwrap();
    let r = emma_api
        .post_json(&format!("{base}/workshops/{wid}/registrations"), &json!({}))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.json()["seat"], "registered");
    let r = emma_api
        .post_json(&format!("{base}/workshops/{wid}/registrations"), &json!({}))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["error"]["fields"][0]["field"], "person");
    // She registers nobody else; the coach registers Paul, who waits.
    let r = emma_api
        .post_json(
            &format!("{base}/workshops/{wid}/registrations"),
            &json!({ "person_id": paul }),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = coach
        .post_json(
            &format!("{base}/workshops/{wid}/registrations"),
            &json!({ "person_id": paul }),
        )
        .await;
    assert_eq!(r.json()["seat"], "waiting");
    let r = emma_api.get(&format!("{base}/workshops")).await;
    assert_eq!(r.json()[0]["my_seat"], "registered");
}
