//! The funders' report of coaching (issue 9, point 6): appointments and workshops charged to
//! funding programmes, counted per coach and programme over a period, on the page and in the
//! CSV and XLSX exports; a programme outside the cooperative's list is refused; entrepreneurs
//! do not reach the report.

use super::coaching::{entrepreneur_in_cape, person_form};
use axum::http::StatusCode;
use essaim_domain::access::RoleKind;
use essaim_testkit::{Client, TestApp, email_for};

async fn post(c: &mut Client, path: &str, fields: &[(&str, String)]) -> essaim_testkit::Reply {
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    c.post_form(path, &refs).await
}

/// A held appointment with `people`, charged to `programme`.
async fn held(coach: &mut Client, a: &str, people: &[i64], minutes: &str, programme: &str) {
    let mut f = vec![
        ("date", "2026-11-20".to_owned()),
        ("time", "10:00".to_owned()),
        ("duration", minutes.to_owned()),
        ("mode", "in_person".to_owned()),
        ("place", "Salle 2".to_owned()),
        ("programme", programme.to_owned()),
    ];
    for p in people {
        f.push(("people", p.to_string()));
    }
    let r = post(coach, &format!("/c/{a}/appointments"), &f).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = r.location().split('?').next().unwrap().to_owned();
    let r = coach
        .post_form(&format!("{page}/status"), &[("status", "held")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
}

#[tokio::test]
async fn rep_the_coaching_report_counts_people_hours_and_attendance_per_coach_and_programme() {
    let app = TestApp::spawn().await;
    let a = app.coop_a.clone();
    let mut coach = app.signed_in(&email_for(RoleKind::Coaching)).await;
    let trainer = app
        .coop_actor(&email_for(RoleKind::Coaching), &a)
        .await
        .user()
        .id
        .get();
    let (_, emma) = entrepreneur_in_cape(&app, &mut coach).await;
    let r = coach
        .post_form(&format!("/c/{a}/people"), &person_form("Paul", "Durand"))
        .await;
    let paul: i64 = r.location().rsplit('/').next().unwrap().parse().unwrap();

    // A programme outside the list is refused beside its field.
    let r = post(
        &mut coach,
        &format!("/c/{a}/appointments"),
        &[
            ("date", "2026-11-20".to_owned()),
            ("time", "10:00".to_owned()),
            ("duration", "60".to_owned()),
            ("mode", "phone".to_owned()),
            ("people", emma.to_string()),
            ("programme", "lottery".to_owned()),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("pas dans la liste de la coop"));

    // A group interview of 90 minutes for the region, one of an hour unfunded.
    held(&mut coach, &a, &[emma, paul], "90", "region").await;
    held(&mut coach, &a, &[emma], "60", "").await;

    // A day's workshop for France Travail: Emma all day, Paul the morning.
    let r = post(
        &mut coach,
        &format!("/c/{a}/workshops"),
        &[
            ("title", "Fixer ses prix".to_owned()),
            ("date", "2026-12-10".to_owned()),
            ("start", "09:00".to_owned()),
            ("end", "17:00".to_owned()),
            ("place", "Salle 2".to_owned()),
            ("capacity", "10".to_owned()),
            ("trainer_kind", "internal".to_owned()),
            ("trainer", trainer.to_string()),
            ("programme", "france_travail".to_owned()),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = r.location().split('?').next().unwrap().to_owned();
    for p in [emma, paul] {
        let r = coach
            .post_form(&format!("{page}/register"), &[("person", &p.to_string())])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    app.clock.advance(time::Duration::days(11));
    let mut coach = app.signed_in(&email_for(RoleKind::Coaching)).await;
    let r = coach
        .post_form(
            &format!("{page}/attendance"),
            &[
                ("present", &format!("{emma}:am")),
                ("present", &format!("{emma}:pm")),
                ("present", &format!("{paul}:am")),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    // The page: by coach and programme for the year.
    let report = format!("/c/{a}/coaching/report");
    let r = coach.get(&report).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("France Travail"));
    assert!(
        r.body.contains("2 h 30"),
        "the interviews' hours in the total"
    );
    assert!(r.body.contains("12 h 00"), "trainee hours: 8 h + 4 h");

    // The CSV, line by line.
    let csv = coach
        .get(&format!(
            "{report}/csv?g=1&from=2026-01-01&to=2026-12-31&coach=1&programme=1"
        ))
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    let lines: Vec<Vec<String>> = csv
        .body
        .trim_start_matches('\u{feff}')
        .lines()
        .map(|l| {
            l.split(';')
                .map(|f| f.trim_matches('"').to_owned())
                .collect()
        })
        .collect();
    let line = |programme: &str| {
        lines
            .iter()
            .find(|l| l.get(1).map(String::as_str) == Some(programme))
            .unwrap_or_else(|| panic!("a line for {programme}: {lines:?}"))
            .clone()
    };
    let coach_name = "Personne coaching";
    let region = line("Région — accompagnement à la création");
    assert_eq!(region[0], coach_name);
    assert_eq!(region[2..], ["2", "1", "1.50", "0", "0", "0", "0.00"]);
    let unfunded = line("Aucun");
    assert_eq!(unfunded[2..], ["1", "1", "1.00", "0", "0", "0", "0.00"]);
    let ft = line("France Travail");
    assert_eq!(ft[2..], ["2", "0", "0.00", "1", "2", "3", "12.00"]);
    let total = lines.last().unwrap();
    assert_eq!(total[0], "Total");
    // Emma and Paul, once each in the total.
    assert_eq!(total[2..], ["2", "2", "2.50", "1", "2", "3", "12.00"]);

    // A period without them is empty; the XLSX is a workbook.
    let csv = coach
        .get(&format!("{report}/csv?g=1&from=2025-01-01&to=2025-12-31"))
        .await;
    assert_eq!(
        csv.body.trim_start_matches('\u{feff}').lines().count(),
        2,
        "header and total: {}",
        csv.body
    );
    let xlsx = coach
        .get(&format!(
            "{report}/xlsx?g=1&from=2026-01-01&to=2026-12-31&coach=1"
        ))
        .await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert!(xlsx.body.starts_with("PK"));

    // A period that ends before it starts is said beside its field.
    let r = coach
        .get(&format!("{report}?g=1&from=2026-12-31&to=2026-01-01"))
        .await;
    assert!(r.body.contains("avant la date de début"), "{}", r.body);

    // Entrepreneurs do not reach it.
    let mut emma_c = app.signed_in(&email_for(RoleKind::Entrepreneur)).await;
    assert_eq!(emma_c.get(&report).await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        emma_c.get(&format!("{report}/csv")).await.status,
        StatusCode::FORBIDDEN
    );
}
