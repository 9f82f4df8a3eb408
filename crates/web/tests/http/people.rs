//! People and their path, through pages and API: LIF rules with French errors, deadlines,
//! permissions on social data (GDP-03, GDP-04), exports and lists.

use axum::http::StatusCode;
use essaim_domain::access::RoleKind;
use essaim_testkit::{Client, TestApp, email_for};
use serde_json::json;

fn person_form<'a>(first: &'a str, last: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("first_name", first),
        ("last_name", last),
        ("email", ""),
        ("phone", "06 12 34 56 78"),
        ("address", "3 rue des Lilas"),
        ("postcode", "69003"),
        ("commune", "Lyon"),
        ("birth_date", "1988-04-12"),
        ("gender", "female"),
        ("situation", "are"),
        ("prescriber", "france_travail"),
        ("education", "level_6"),
        ("antenna", "main"),
        ("qpv", "on"),
        ("naf", "74.10Z"),
        ("referent", ""),
    ]
}

/// Records a person as the coach and returns the file's path.
async fn record_person(app: &TestApp, coach: &mut Client, first: &str, last: &str) -> String {
    let r = coach
        .post_form(
            &format!("/c/{}/people", app.coop_a),
            &person_form(first, last),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    r.location().to_owned()
}

async fn event(coach: &mut Client, file: &str, fields: &[(&str, &str)]) -> essaim_testkit::Reply {
    coach.post_form(&format!("{file}/events"), fields).await
}

#[tokio::test]
async fn lif_01_a_person_is_recorded_with_field_errors_in_french() {
    let app = TestApp::spawn().await;
    let mut coach = app.signed_in(&email_for(RoleKind::Coaching)).await;
    let mut bad = person_form("Camille", "");
    bad.retain(|(k, _)| !matches!(*k, "naf" | "postcode" | "situation"));
    bad.extend([
        ("naf", "6201"),
        ("postcode", "690"),
        ("situation", "astronaute"),
    ]);
    let r = coach
        .post_form(&format!("/c/{}/people", app.coop_a), &bad)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Ce champ est obligatoire."));
    assert!(r.body.contains("Un code NAF a la forme 62.01Z."));
    assert!(r.body.contains("Un code postal compte 5 chiffres."));
    assert!(
        r.body.contains("value=\"Camille\""),
        "typed values are kept"
    );
    let file = record_person(&app, &mut coach, "Camille", "Martin").await;
    let page = coach.get(&file).await;
    assert!(page.body.contains("Camille Martin") && page.body.contains("Premier contact"));
    assert!(
        page.body
            .contains("Demandeur·se d&#39;emploi indemnisé·e (ARE)")
            || page
                .body
                .contains("Demandeur·se d'emploi indemnisé·e (ARE)")
    );
}

#[tokio::test]
async fn the_path_from_first_contact_to_associate_follows_the_lif_rules() {
    let app = TestApp::spawn().await;
    let mut coach = app.signed_in(&email_for(RoleKind::Coaching)).await;
    let file = record_person(&app, &mut coach, "Inès", "Diallo").await;
    // A CESA for a prospect is refused.
    let r = event(
        &mut coach,
        &file,
        &[("kind", "cesa_signed"), ("on", "2025-01-10")],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("pas possible avec le statut actuel"));
    assert_eq!(
        event(
            &mut coach,
            &file,
            &[("kind", "information_meeting"), ("on", "2025-01-10")]
        )
        .await
        .status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        event(
            &mut coach,
            &file,
            &[("kind", "admitted"), ("on", "2025-01-20")]
        )
        .await
        .status,
        StatusCode::SEE_OTHER
    );
    // LIF-10: a CAPE period of 13 months is refused beside the end date.
    let r = event(
        &mut coach,
        &file,
        &[
            ("kind", "cape_signed"),
            ("on", "2025-02-01"),
            ("end", "2026-02-28"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Une période de CAPE dure 12 mois au plus."));
    assert!(r.body.contains("aria-describedby=\"h-end e-end\""));
    assert_eq!(
        event(
            &mut coach,
            &file,
            &[
                ("kind", "cape_signed"),
                ("on", "2025-02-01"),
                ("end", "2026-01-31")
            ]
        )
        .await
        .status,
        StatusCode::SEE_OTHER
    );
    // LIF-21: with 4 months of CAPE (1 Feb – 31 May 2025: 120 days), the trial ends by 31 Jan 2026 − 120 days.
    let r = event(
        &mut coach,
        &file,
        &[
            ("kind", "cesa_signed"),
            ("on", "2025-06-01"),
            ("trial_end", "2026-01-31"),
        ],
    )
    .await;
    assert!(
        r.body.contains("La période d&#39;essai dépasse")
            || r.body.contains("La période d'essai dépasse"),
        "{}",
        r.status
    );
    assert_eq!(
        event(
            &mut coach,
            &file,
            &[
                ("kind", "cesa_signed"),
                ("on", "2025-06-01"),
                ("trial_end", "2025-08-31")
            ]
        )
        .await
        .status,
        StatusCode::SEE_OTHER
    );
    // LIF-30: deadline = 1 June 2028 − 120 days = 2 February 2028 (a leap year), shown on the file.
    let page = coach.get(&file).await;
    assert!(page.body.contains("Entrepreneur·e salarié·e (CESA)"));
    assert!(
        page.body
            .contains("Échéance pour devenir associé·e : 02/02/2028"),
        "{}",
        page.body
    );
    assert!(page.body.contains("120 jours"));
    let api = app.api_client(&email_for(RoleKind::Coaching)).await;
    let id = file.rsplit('/').next().unwrap().to_owned();
    let mut api = api;
    let json = api
        .get(&format!("/api/v1/cooperatives/{}/people/{id}", app.coop_a))
        .await
        .json();
    assert_eq!(json["associate_deadline"], "2028-02-02");
    assert_eq!(json["events"].as_array().unwrap().len(), 4);
    // LIF-32: admission as associé clears the deadline.
    assert_eq!(
        event(
            &mut coach,
            &file,
            &[("kind", "associate_admitted"), ("on", "2026-06-01")]
        )
        .await
        .status,
        StatusCode::SEE_OTHER
    );
    let page = coach.get(&file).await;
    assert!(
        page.body.contains("Associé·e") && !page.body.contains("Échéance pour devenir associé·e")
    );
    let audit = app
        .api_client(&email_for(RoleKind::Administrator))
        .await
        .get(&format!(
            "/api/v1/cooperatives/{}/audit?action=person.",
            app.coop_a
        ))
        .await
        .json();
    assert_eq!(
        audit
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| a["action"] == "person.event_recorded")
            .count(),
        5
    );
}

#[tokio::test]
async fn lif_31_the_deadlines_dashboard_sorts_people_into_bands() {
    let app = TestApp::spawn().await;
    let mut coach = app.signed_in(&email_for(RoleKind::Coaching)).await;
    // Today is 29 November 2026 in tests. Direct CESA on 10 Dec 2023: deadline 10 Dec 2026, within a month.
    let soon = record_person(&app, &mut coach, "Léo", "Bientôt").await;
    for f in [
        vec![("kind", "information_meeting"), ("on", "2023-11-01")],
        vec![("kind", "admitted"), ("on", "2023-11-15")],
        vec![("kind", "cesa_signed"), ("on", "2023-12-10")],
    ] {
        assert_eq!(
            event(&mut coach, &soon, &f).await.status,
            StatusCode::SEE_OTHER
        );
    }
    // CESA on 1 Nov 2023: deadline 1 Nov 2026, passed.
    let late = record_person(&app, &mut coach, "Zoé", "Enretard").await;
    for f in [
        vec![("kind", "information_meeting"), ("on", "2023-10-01")],
        vec![("kind", "admitted"), ("on", "2023-10-15")],
        vec![("kind", "cesa_signed"), ("on", "2023-11-01")],
    ] {
        assert_eq!(
            event(&mut coach, &late, &f).await.status,
            StatusCode::SEE_OTHER
        );
    }
    let page = coach.get(&format!("/c/{}/deadlines", app.coop_a)).await;
    let overdue = page.body.find("Échéance dépassée").unwrap();
    let month = page
        .body
        .find("Dans moins d&#39;un mois")
        .or_else(|| page.body.find("Dans moins d'un mois"))
        .unwrap();
    let enretard = page.body.find("Enretard").unwrap();
    let bientot = page.body.find("Bientôt").unwrap();
    assert!(
        overdue < enretard && enretard < month && month < bientot,
        "bands in order with their people"
    );
    let api = app
        .api_client(&email_for(RoleKind::Validation))
        .await
        .get(&format!("/api/v1/cooperatives/{}/deadlines", app.coop_a))
        .await
        .json();
    assert_eq!(api.as_array().unwrap().len(), 2);
    assert_eq!(api[0]["band"], "overdue");
    let list = coach
        .get(&format!("/c/{}/people?sort=deadline", app.coop_a))
        .await;
    assert!(list.body.find("Enretard").unwrap() < list.body.find("Bientôt").unwrap());
}

#[tokio::test]
async fn gdp_03_social_data_is_for_support_roles_and_a_person_reads_only_their_own_file() {
    let app = TestApp::spawn().await;
    let mut coach = app.signed_in(&email_for(RoleKind::Coaching)).await;
    let own = record_person(&app, &mut coach, "Emma", "Propre").await;
    let other = record_person(&app, &mut coach, "Autre", "Personne").await;
    let r = coach
        .post_form(
            &format!("{own}/account"),
            &[("account_email", "inconnu@exemple.fr")],
        )
        .await;
    assert!(
        r.body.contains("Aucun compte n&#39;a cette adresse")
            || r.body.contains("Aucun compte n'a cette adresse")
    );
    let r = coach
        .post_form(
            &format!("{own}/account"),
            &[("account_email", &email_for(RoleKind::Entrepreneur))],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let mut entrepreneur = app.signed_in(&email_for(RoleKind::Entrepreneur)).await;
    let home = entrepreneur.get(&format!("/c/{}", app.coop_a)).await;
    assert!(home.body.contains("Mon dossier"));
    let me = entrepreneur.get(&format!("/c/{}/me", app.coop_a)).await;
    assert_eq!(me.location(), own);
    let page = entrepreneur.get(&own).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("Emma Propre") && !page.body.contains("Ajouter une étape"),
        "read only for the person"
    );
    assert_eq!(entrepreneur.get(&other).await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        entrepreneur
            .get(&format!("/c/{}/people", app.coop_a))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        event(
            &mut entrepreneur,
            &own,
            &[("kind", "information_meeting"), ("on", "2026-01-01")]
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    let mut eapi = app.api_client(&email_for(RoleKind::Entrepreneur)).await;
    let other_id = other.rsplit('/').next().unwrap();
    assert_eq!(
        eapi.get(&format!(
            "/api/v1/cooperatives/{}/people/{other_id}",
            app.coop_a
        ))
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        eapi.get(&format!("/api/v1/cooperatives/{}/people", app.coop_a))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    // A member without activity and the read-only role (auditor, funder) see no social data.
    for kind in [RoleKind::Member, RoleKind::ReadOnly] {
        let mut c = app.signed_in(&email_for(kind)).await;
        assert_eq!(
            c.get(&other).await.status,
            StatusCode::FORBIDDEN,
            "{kind:?}"
        );
        assert_eq!(
            c.get(&format!("/c/{}/deadlines", app.coop_a)).await.status,
            StatusCode::FORBIDDEN,
            "{kind:?}"
        );
    }
    // The validation team reads but does not change files.
    let mut validation = app.signed_in(&email_for(RoleKind::Validation)).await;
    assert_eq!(validation.get(&other).await.status, StatusCode::OK);
    assert_eq!(
        event(
            &mut validation,
            &other,
            &[("kind", "information_meeting"), ("on", "2026-01-01")]
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    // Another cooperative's administrator sees nothing.
    let mut b = app.signed_in(essaim_testkit::ADMIN_B_EMAIL).await;
    assert_eq!(b.get(&other).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_people_list_filters_sorts_pages_and_exports() {
    let app = TestApp::spawn().await;
    let mut coach = app.signed_in(&email_for(RoleKind::Coaching)).await;
    let a = record_person(&app, &mut coach, "Alice", "=HYPERLINK(\"x\")").await;
    record_person(&app, &mut coach, "Bruno", "Candidat").await;
    assert_eq!(
        event(
            &mut coach,
            &a,
            &[("kind", "information_meeting"), ("on", "2026-10-01")]
        )
        .await
        .status,
        StatusCode::SEE_OTHER
    );
    let list = coach
        .get(&format!("/c/{}/people?status=candidate", app.coop_a))
        .await;
    assert!(list.body.contains("1 personne(s)"));
    let csv = coach
        .get(&format!(
            "/c/{}/people/export.csv?status=candidate",
            app.coop_a
        ))
        .await;
    assert_eq!(
        csv.headers.get("content-type").unwrap(),
        "text/csv; charset=utf-8"
    );
    assert!(
        csv.headers
            .get("content-disposition")
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    assert!(csv.body.starts_with('\u{feff}'));
    let lines: Vec<&str> = csv.body.trim_end().split("\r\n").collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(
        lines[1].starts_with("\"'=HYPERLINK(\"\"x\"\")\";\"Alice\""),
        "formulas are neutralised: {}",
        lines[1]
    );
    let xlsx = coach
        .get(&format!(
            "/c/{}/people/export.xlsx?status=candidate",
            app.coop_a
        ))
        .await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert_eq!(
        xlsx.headers.get("content-type").unwrap(),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    assert!(
        xlsx.headers
            .get("content-disposition")
            .unwrap()
            .to_str()
            .unwrap()
            .contains(".xlsx")
    );
    let mut api = app.api_client(&email_for(RoleKind::Payroll)).await;
    let page = api
        .get(&format!(
            "/api/v1/cooperatives/{}/people?q=bruno",
            app.coop_a
        ))
        .await
        .json();
    assert_eq!(page["total"], 1);
    assert_eq!(page["people"][0]["status"], "prospect");
    let r = api
        .get(&format!(
            "/api/v1/cooperatives/{}/people?status=astronaute",
            app.coop_a
        ))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["error"]["fields"][0]["field"], "status");
}

#[tokio::test]
async fn lif_03_the_cooperative_configures_its_lists() {
    let app = TestApp::spawn().await;
    let mut admin = app.signed_in(&email_for(RoleKind::Administrator)).await;
    let lists = format!("/c/{}/lists", app.coop_a);
    let r = admin
        .post_form(
            &lists,
            &[("list", "antenna"), ("label", "Antenne de Villeurbanne")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = admin
        .post_form(
            &lists,
            &[("list", "antenna"), ("label", "Antenne de Villeurbanne")],
        )
        .await;
    assert!(r.body.contains("Ce choix existe déjà dans la liste."));
    let page = admin.get(&lists).await;
    let marker = format!("/c/{}/lists/", app.coop_a);
    let student = page.body.find("Étudiant·e").unwrap();
    let action = page.body[..student]
        .rmatch_indices(&marker)
        .next()
        .map(|(i, _)| page.body[i..].split('"').next().unwrap().to_owned())
        .unwrap();
    assert_eq!(
        admin
            .post_form(&action, &[("label", "Étudiant·e")])
            .await
            .status,
        StatusCode::SEE_OTHER,
        "retired: no `active`"
    );
    let form = admin.get(&format!("/c/{}/people/new", app.coop_a)).await;
    assert!(form.body.contains("Antenne de Villeurbanne"));
    assert!(
        !form.body.contains("Étudiant·e"),
        "a retired choice is no longer offered"
    );
    let mut coach = app.signed_in(&email_for(RoleKind::Coaching)).await;
    assert_eq!(coach.get(&lists).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn people_are_recorded_and_moved_through_the_api() {
    let app = TestApp::spawn().await;
    let mut api = app.api_client(&email_for(RoleKind::Coaching)).await;
    let base = format!("/api/v1/cooperatives/{}/people", app.coop_a);
    let r = api
        .post_json(
            &base,
            &json!({ "first_name": "Nina", "last_name": "", "naf": "x" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<String> = r.json()["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(fields, vec!["last_name", "naf"]);
    let r = api
        .post_json(
            &base,
            &json!({ "first_name": "Nina", "last_name": "Simone", "gender": "female" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let id = r.json()["id"].as_i64().unwrap();
    let r = api
        .post_json(
            &format!("{base}/{id}/events"),
            &json!({ "kind": "admitted", "on": "2026-11-01" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["error"]["fields"][0]["code"], "path_not_now");
    let r = api
        .post_json(
            &format!("{base}/{id}/events"),
            &json!({ "kind": "information_meeting", "on": "2026-11-01" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert_eq!(
        api.get(&format!("{base}/{id}")).await.json()["status"],
        "candidate"
    );
}
