//! Trainings (issue 9, point 4): the cooperative declares itself a training organisation, an
//! entrepreneur runs a course for their activity (sessions, trainees, attendance), the support
//! team reads the yearly summary (BPF) and exports it; the refusals keep activities and
//! cooperatives apart. On every database.

use super::selling::activities;
use axum::http::StatusCode;
use essaim_domain::access::RoleKind;
use essaim_testkit::{Client, TestApp, email_for};

async fn post(c: &mut Client, path: &str, fields: &[(&str, &str)]) -> essaim_testkit::Reply {
    c.post_form(path, fields).await
}

fn course(activity: &str, title: &str) -> Vec<(&'static str, String)> {
    vec![
        ("title", title.to_owned()),
        (
            "objectives",
            "Tenir sa comptabilité de trésorerie".to_owned(),
        ),
        ("objective", "rs".to_owned()),
        ("speciality", "314 Comptabilité, gestion".to_owned()),
        ("hours", "10,5".to_owned()),
        ("trainer_kind", "internal".to_owned()),
        ("trainer", "Claire Martin".to_owned()),
        ("activity", activity.to_owned()),
    ]
}

async fn post_owned(
    c: &mut Client,
    path: &str,
    f: &[(&'static str, String)],
) -> essaim_testkit::Reply {
    let refs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
    c.post_form(path, &refs).await
}

#[tokio::test]
async fn a_course_is_run_and_counted_in_the_yearly_summary_on_every_database() {
    for backend in essaim_testkit::backends() {
        let mailer = essaim_app::mail::Mailer::new(None, "essaim@test.invalid").unwrap();
        let app = TestApp::spawn_with(backend, mailer).await;
        journey(&app).await;
    }
}

async fn journey(app: &TestApp) {
    let a = app.coop_a.clone();
    let (mine, other) = activities(app).await;
    let mut ent = app.signed_in(&email_for(RoleKind::Entrepreneur)).await;
    let mut coach = app.signed_in(&email_for(RoleKind::Coaching)).await;
    let mut admin = app.signed_in(&email_for(RoleKind::Administrator)).await;
    let list = format!("/c/{a}/trainings");

    // Not yet a training organisation: the menu stays closed to the entrepreneur, a course is
    // refused with the reason.
    let r = ent.get(&format!("/c/{a}")).await;
    assert!(!r.body.contains(&format!("href=\"{list}\"")));
    let r = post_owned(&mut ent, &list, &course(&mine.get().to_string(), "Compta")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("pas de numéro de déclaration"),
        "{}",
        r.body
    );

    // The declaration: checked beside its field, set by the administrator only.
    let r = post(
        &mut coach,
        &format!("{list}/declaration"),
        &[("declaration", "11751234575")],
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = post(
        &mut admin,
        &format!("{list}/declaration"),
        &[("declaration", "1175")],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("11 chiffres"));
    let r = post(
        &mut admin,
        &format!("{list}/declaration"),
        &[("declaration", "11 75 12345 75")],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = ent.get(&format!("/c/{a}")).await;
    assert!(
        r.body.contains(&format!("href=\"{list}\"")),
        "the menu opens"
    );

    // The entrepreneur's course: for their activity only.
    let r = post_owned(&mut ent, &list, &course(&other.get().to_string(), "Compta")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Choisissez une activité dans la liste"));
    let mut bad = course(&mine.get().to_string(), "");
    bad[4].1 = "dix".into();
    let r = post_owned(&mut ent, &list, &bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("Écrivez un nombre d&#39;heures")
            || r.body.contains("Écrivez un nombre d'heures")
    );
    let r = post_owned(
        &mut ent,
        &list,
        &course(&mine.get().to_string(), "Compta de trésorerie"),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = r.location().split('?').next().unwrap().to_owned();

    // Two sessions: one held (3 h 30), one to come (3 h); a session ending before it starts is
    // refused beside its field.
    let r = post(
        &mut ent,
        &format!("{page}/sessions"),
        &[("date", "2026-11-20"), ("start", "14:00"), ("end", "13:00")],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    for (date, start, end) in [
        ("2026-11-20", "09:00", "12:30"),
        ("2026-12-15", "09:00", "12:00"),
    ] {
        let r = post(
            &mut ent,
            &format!("{page}/sessions"),
            &[("date", date), ("start", start), ("end", end)],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    // Three trainees of three categories; a category outside the list is refused.
    let r = post(
        &mut ent,
        &format!("{page}/trainees"),
        &[
            ("last_name", "Durand"),
            ("first_name", "Léa"),
            ("category", "retired"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    for (last, first, category) in [
        ("Durand", "Léa", "employee"),
        ("Petit", "Hugo", "job_seeker"),
        ("Roux", "Inès", "individual"),
    ] {
        let r = post(
            &mut ent,
            &format!("{page}/trainees"),
            &[
                ("last_name", last),
                ("first_name", first),
                ("category", category),
                ("email", ""),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    let view = essaim_app::trainings::show(
        &app.app,
        &app.coop_actor(&email_for(RoleKind::Entrepreneur), &a).await,
        page.rsplit('/').next().unwrap().parse().unwrap(),
    )
    .await
    .unwrap();
    let held = view.sessions[0].session_id;
    let coming = view.sessions[1].session_id;
    let who = |last: &str| {
        view.trainees
            .iter()
            .find(|t| t.last_name == last)
            .unwrap()
            .trainee_id
    };
    let (lea, hugo, ines) = (who("Durand"), who("Petit"), who("Roux"));

    // Attendance: only at a session held; Léa and Hugo came, Inès did not.
    let r = post(
        &mut ent,
        &format!("{page}/attendance"),
        &[("present", &format!("{lea}:{coming}"))],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("séance déjà tenue"));
    let r = post(
        &mut ent,
        &format!("{page}/attendance"),
        &[
            ("present", &format!("{lea}:{held}")),
            ("present", &format!("{hugo}:{held}")),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = ent.get(&page).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("3 h 30"), "Léa's hours");
    assert!(r.body.contains("6 h 30"), "the sessions planned");
    let _ = ines;

    // The entrepreneur does not reach the summary, nor a course of an activity not theirs.
    let r = ent.get(&format!("{list}/summary")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = post_owned(
        &mut coach,
        &list,
        &course(&other.get().to_string(), "Vendre en ligne"),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let theirs = r.location().split('?').next().unwrap().to_owned();
    for path in [theirs.clone(), format!("{theirs}/edit")] {
        let r = ent.get(&path).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
    }
    let r = post(
        &mut ent,
        &format!("{theirs}/trainees"),
        &[
            ("last_name", "X"),
            ("first_name", "Y"),
            ("category", "other"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = ent.get(&list).await;
    assert!(r.body.contains("Compta de trésorerie") && !r.body.contains("Vendre en ligne"));
    // Another cooperative's administrator, a member without these permissions.
    let mut admin_b = app.signed_in(essaim_testkit::ADMIN_B_EMAIL).await;
    let r = admin_b.get(&page).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let mut member = app.signed_in(&email_for(RoleKind::Member)).await;
    let r = member.get(&list).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // The summary of 2026: two trainees for 7 h (Inès attended nothing), by category and
    // objective; the cooperative's trainer 6,5 h… of sessions held or planned in the year.
    let r = coach.get(&format!("{list}/summary?year=2026")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("11751234575"));
    assert!(r.body.contains("Compta de trésorerie"));
    let r = coach.get(&format!("{list}/summary/csv?year=2026")).await;
    assert_eq!(r.status, StatusCode::OK);
    let csv = r.body.replace("\r\n", "\n").replace('"', "");
    for row in [
        "F-1;Salarié d'un employeur privé (hors apprenti);1;3.50",
        "F-1;Personne en recherche d'emploi;1;3.50",
        "F-1;Particulier à ses propres frais;0;0.00",
        "F-1;Total;2;7.00",
        "F-3;Certification inscrite au répertoire spécifique;2;7.00",
        "E;Formateur de la coopérative (salarié);1;6.50",
        "E;Formateur extérieur (sous-traitance);0;0.00",
    ] {
        assert!(csv.contains(row), "{row} in\n{csv}");
    }
    let r = coach.get(&format!("{list}/summary/xlsx?year=2026")).await;
    assert_eq!(r.status, StatusCode::OK);
    // 2025 counts nothing.
    let r = coach.get(&format!("{list}/summary/csv?year=2025")).await;
    assert!(r.body.replace('"', "").contains("F-1;Total;0;0.00"));
    let r = coach.get(&format!("{list}/summary?year=abc")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);

    // Removing a session takes its attendance with it.
    let r = post(&mut ent, &format!("{page}/sessions/{held}/delete"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = coach.get(&format!("{list}/summary/csv?year=2026")).await;
    assert!(r.body.replace('"', "").contains("F-1;Total;0;0.00"));
}
