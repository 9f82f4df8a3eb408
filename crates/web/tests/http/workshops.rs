//! Workshops through the pages (issue 9, point 3): a coach plans a session, an entrepreneur
//! registers herself and is told with a calendar entry, the team registers someone onto the
//! waiting list, a withdrawal gives the seat to the first person waiting, a clash of room is
//! flagged, attendance is recorded per half-day on the day, the sheet downloads as a PDF, the
//! reminder leaves once the day before, a cancellation tells everyone; the refusals; and 20
//! simultaneous registrations for 10 seats on both databases.

use super::coaching::{entrepreneur_in_cape, person_form};
use axum::http::StatusCode;
use essaim_domain::access::RoleKind;
use essaim_testkit::{ADMIN_B_EMAIL, Client, TestApp, email_for};

fn workshop_form(trainer: i64, date: &str, capacity: &str) -> Vec<(String, String)> {
    vec![
        ("title".into(), "Fixer ses prix".into()),
        (
            "description".into(),
            "Calculer son prix de revient, construire une grille.".into(),
        ),
        ("date".into(), date.into()),
        ("start".into(), "09:00".into()),
        ("end".into(), "17:00".into()),
        ("place".into(), "Salle 2".into()),
        ("video_link".into(), String::new()),
        ("capacity".into(), capacity.into()),
        ("trainer_kind".into(), "internal".into()),
        ("trainer".into(), trainer.to_string()),
        ("trainer_name".into(), String::new()),
        ("topics".into(), "pricing".into()),
    ]
}

async fn post(c: &mut Client, path: &str, fields: &[(String, String)]) -> essaim_testkit::Reply {
    let refs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    c.post_form(path, &refs).await
}

/// A person followed (no account), with an e-mail address: their id.
async fn someone(coach: &mut Client, slug: &str, first: &str, last: &str, email: &str) -> i64 {
    let mut form = person_form(first, last);
    for f in form.iter_mut() {
        if f.0 == "email" {
            f.1 = email;
        }
    }
    let r = coach.post_form(&format!("/c/{slug}/people"), &form).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    r.location().rsplit('/').next().unwrap().parse().unwrap()
}

async fn mails(app: &TestApp) -> Vec<String> {
    let admin = app
        .coop_actor(&email_for(RoleKind::Administrator), &app.coop_a)
        .await;
    let (jobs, _) = essaim_app::jobs::list(&app.app, &admin, None)
        .await
        .unwrap();
    jobs.into_iter()
        .filter(|j| j.kind == "email")
        .map(|j| j.payload)
        .collect()
}

#[tokio::test]
async fn a_coach_plans_a_workshop_people_register_wait_move_up_and_attendance_is_recorded() {
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
    let paul = someone(&mut coach, &a, "Paul", "Durand", "paul@example.org").await;

    // Mistakes come back beside their fields.
    let mut bad = workshop_form(trainer, "2026-12-10", "0");
    bad.retain(|(k, _)| k != "place" && k != "end");
    bad.push(("end".into(), "08:00".into()));
    bad.push(("place".into(), String::new()));
    let r = post(&mut coach, &format!("/c/{a}/workshops"), &bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    for message in [
        "Entre 1 et 500 places.",
        "finir au moins 15 minutes après son début.",
        "Indiquez une salle ou un lien de visio.",
    ] {
        assert!(r.body.contains(message), "{message}");
    }

    // One seat, for the whole day.
    let r = post(
        &mut coach,
        &format!("/c/{a}/workshops"),
        &workshop_form(trainer, "2026-12-10", "1"),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(!r.location().contains("clash"));
    let page = r.location().split('?').next().unwrap().to_owned();
    let id: i64 = page.rsplit('/').next().unwrap().parse().unwrap();
    let shown = coach.get(&page).await.body;
    assert!(
        shown.contains("Matin, Après-midi"),
        "a day counts two half-days"
    );

    // The entrepreneur finds it among the workshops offered to her and registers.
    let mut emma_c = app.signed_in(&email_for(RoleKind::Entrepreneur)).await;
    let list = emma_c.get(&format!("/c/{a}/workshops")).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("Fixer ses prix"));
    let r = emma_c.post_form(&format!("{page}/register"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(r.location().ends_with("done=registered"));
    let mine = emma_c.get(&page).await.body;
    assert!(mine.contains("Vous êtes inscrit·e."));
    let home = emma_c.get(&format!("/c/{a}")).await.body;
    assert!(
        home.contains("Prochain atelier : Fixer ses prix, 10/12/2026 09:00"),
        "her home shows it"
    );
    assert!(!mine.contains("émargement"), "the sheet is the team's");
    let sent = mails(&app).await;
    let confirmation = sent
        .iter()
        .find(|m| m.contains("inscription à l'atelier"))
        .expect("a confirmation");
    assert!(confirmation.contains(&email_for(RoleKind::Entrepreneur)));
    // Its calendar entry, read back by an independent iCalendar parser.
    let mail: serde_json::Value = serde_json::from_str(confirmation).unwrap();
    let ics = mail["calendar"].as_str().expect("a calendar entry");
    let events = super::coaching::events(ics);
    assert_eq!(events.len(), 1);
    let e = &events[0];
    assert_eq!(super::coaching::prop(e, "SUMMARY"), "Fixer ses prix");
    assert_eq!(super::coaching::prop(e, "DTSTART"), "20261210T090000");
    assert_eq!(super::coaching::prop(e, "DTEND"), "20261210T170000");
    assert_eq!(super::coaching::prop(e, "LOCATION"), "Salle 2");
    assert!(super::coaching::prop(e, "UID").starts_with(&format!("workshop-{id}@")));
    // Twice is refused beside the field.
    let r = emma_c.post_form(&format!("{page}/register"), &[]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("déjà inscrite"));

    // The team registers Paul: it is full, he waits.
    let r = coach
        .post_form(
            &format!("{page}/register"),
            &[("person", &paul.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(r.location().ends_with("done=waiting"));
    assert!(
        mails(&app)
            .await
            .iter()
            .any(|m| m.contains("liste d'attente") && m.contains("paul@example.org"))
    );

    // Emma withdraws: Paul moves up and is told.
    let r = emma_c.post_form(&format!("{page}/withdraw"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let shown = coach.get(&page).await.body;
    assert!(
        shown.contains("1 inscrit·es sur 1 places, 0 en attente"),
        "{shown}"
    );
    assert!(
        mails(&app)
            .await
            .iter()
            .any(|m| m.contains("Une place s'est libérée") && m.contains("paul@example.org"))
    );
    // She registers again: now she waits behind nobody, after Paul.
    let r = emma_c.post_form(&format!("{page}/register"), &[]).await;
    assert!(r.location().ends_with("done=waiting"), "{}", r.location());

    // Another session in the same room at the same time is saved and flagged.
    let mut other = workshop_form(trainer, "2026-12-10", "8");
    other[0].1 = "Prospecter".into();
    other.retain(|(k, v)| !(k == "start" && v == "09:00"));
    other.push(("start".into(), "14:00".into()));
    let r = post(&mut coach, &format!("/c/{a}/workshops"), &other).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(r.location().contains("clash=1"), "{}", r.location());
    assert!(coach.get(r.location()).await.body.contains("chevauche 1"));

    // Attendance waits for the day.
    let r = coach
        .post_form(
            &format!("{page}/attendance"),
            &[("present", &format!("{paul}:am"))],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("le jour de l&#39;atelier")
            || r.body.contains("Les présences se notent le jour")
    );

    // On the day: Paul came in the morning only. Emma (waiting) cannot be ticked.
    app.clock.advance(time::Duration::days(11));
    let mut coach = app.signed_in(&email_for(RoleKind::Coaching)).await;
    let mut emma_c = app.signed_in(&email_for(RoleKind::Entrepreneur)).await;
    let r = coach
        .post_form(
            &format!("{page}/attendance"),
            &[("present", &format!("{emma}:am"))],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = coach
        .post_form(
            &format!("{page}/attendance"),
            &[("present", &format!("{paul}:am"))],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let shown = coach.get(&page).await.body;
    assert!(
        shown.contains(&format!("value=\"{paul}:am\" checked")),
        "{shown}"
    );
    assert!(!shown.contains(&format!("value=\"{paul}:pm\" checked")));
    let mut tx = app.app.store.read().await.unwrap();
    let mut att = essaim_storage::workshop::attendance(&mut tx, id)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    att.sort();
    assert_eq!(
        att,
        vec![
            (paul, "am".to_owned(), true),
            (paul, "pm".to_owned(), false)
        ]
    );

    // The sheet downloads as a PDF, for the team only.
    let r = coach.get(&format!("{page}/sheet")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.headers["content-type"], "application/pdf");
    assert!(r.body.starts_with("%PDF-"));
    let r = emma_c.get(&format!("{page}/sheet")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // Once it started, she can no longer withdraw herself; the team still can.
    let r = emma_c.post_form(&format!("{page}/withdraw"), &[]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Cet atelier a commencé"));
    let r = coach
        .post_form(
            &format!("{page}/withdraw"),
            &[("person", &emma.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
}

#[tokio::test]
async fn reminders_leave_once_the_day_before_and_a_cancellation_tells_everyone() {
    let app = TestApp::spawn().await;
    let a = app.coop_a.clone();
    let mut coach = app.signed_in(&email_for(RoleKind::Coaching)).await;
    let trainer = app
        .coop_actor(&email_for(RoleKind::Coaching), &a)
        .await
        .user()
        .id
        .get();
    let paul = someone(&mut coach, &a, "Paul", "Durand", "paul@example.org").await;
    let lea = someone(&mut coach, &a, "Léa", "Petit", "lea@example.org").await;
    // NOW is 29 November: sessions on the 30th (tomorrow) and on 3 December.
    let mut ids = Vec::new();
    for date in ["2026-11-30", "2026-12-03"] {
        let r = post(
            &mut coach,
            &format!("/c/{a}/workshops"),
            &workshop_form(trainer, date, "1"),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let page = r.location().split('?').next().unwrap().to_owned();
        for p in [paul, lea] {
            let r = coach
                .post_form(&format!("{page}/register"), &[("person", &p.to_string())])
                .await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        }
        ids.push(page);
    }
    // Only Paul holds a seat tomorrow: one reminder, and none the second time.
    assert_eq!(
        essaim_app::workshops::send_reminders(&app.app)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        essaim_app::workshops::send_reminders(&app.app)
            .await
            .unwrap(),
        0
    );
    let sent = mails(&app).await;
    let reminders: Vec<&String> = sent.iter().filter(|m| m.contains("Rappel")).collect();
    assert_eq!(reminders.len(), 1);
    assert!(reminders[0].contains("paul@example.org"));

    // The second session is cancelled: Paul (registered) and Léa (waiting) are told.
    let r = coach.post_form(&format!("{}/cancel", ids[1]), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let sent = mails(&app).await;
    let told: Vec<&String> = sent.iter().filter(|m| m.contains("est annulé")).collect();
    assert_eq!(told.len(), 2, "{told:?}");
    assert!(told.iter().any(|m| m.contains("METHOD:CANCEL")));
    // A cancelled session takes no more registration.
    let r = coach
        .post_form(
            &format!("{}/register", ids[1]),
            &[("person", &lea.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Cet atelier est annulé."));
}

#[tokio::test]
async fn the_team_manages_workshops_entrepreneurs_only_join_those_offered_to_them() {
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
    let paul = someone(&mut coach, &a, "Paul", "Durand", "").await;
    // A session for candidates only (an information meeting).
    let mut form = workshop_form(trainer, "2026-12-10", "10");
    form.push(("audience".into(), "candidate".into()));
    let r = post(&mut coach, &format!("/c/{a}/workshops"), &form).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = r.location().split('?').next().unwrap().to_owned();

    let mut emma_c = app.signed_in(&email_for(RoleKind::Entrepreneur)).await;
    // Not offered to her stage: not listed, not shown, not joinable.
    assert!(
        !emma_c
            .get(&format!("/c/{a}/workshops"))
            .await
            .body
            .contains("Fixer ses prix")
    );
    assert_eq!(emma_c.get(&page).await.status, StatusCode::NOT_FOUND);
    let r = emma_c.post_form(&format!("{page}/register"), &[]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // She may neither plan, edit, cancel, record attendance nor register someone else.
    let r = post(
        &mut emma_c,
        &format!("/c/{a}/workshops"),
        &workshop_form(trainer, "2026-12-11", "5"),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    for action in ["cancel", "attendance", "edit"] {
        let r = emma_c.post_form(&format!("{page}/{action}"), &[]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{action}");
    }
    let r = emma_c
        .post_form(
            &format!("{page}/register"),
            &[("person", &paul.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Registered by the team anyway, she sees it and her seat.
    let r = coach
        .post_form(
            &format!("{page}/register"),
            &[("person", &emma.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = emma_c.get(&page).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Vous êtes inscrit·e."));
    assert!(
        !r.body.contains("Durand"),
        "she does not see who else registered"
    );

    // Another cooperative's administrator sees nothing of it.
    let mut other = app.signed_in(ADMIN_B_EMAIL).await;
    let foreign = page.replace(&format!("/c/{a}/"), &format!("/c/{}/", app.coop_b));
    assert_eq!(other.get(&foreign).await.status, StatusCode::NOT_FOUND);
    let r = other
        .post_form(
            &format!("{foreign}/register"),
            &[("person", &emma.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

/// 20 simultaneous registrations for 10 seats: exactly 10 seated and 10 waiting, each in a
/// distinct place in line, on every database.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_simultaneous_registrations_for_ten_seats_leave_ten_waiting() {
    for backend in essaim_testkit::backends() {
        let mailer = essaim_app::mail::Mailer::new(None, "essaim@test.invalid").unwrap();
        let app = TestApp::spawn_with(backend, mailer).await;
        let a = app.coop_a.clone();
        let mut coach = app.signed_in(&email_for(RoleKind::Coaching)).await;
        let actor = app.coop_actor(&email_for(RoleKind::Coaching), &a).await;
        let r = post(
            &mut coach,
            &format!("/c/{a}/workshops"),
            &workshop_form(actor.user().id.get(), "2026-12-10", "10"),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let id: i64 = r
            .location()
            .split('?')
            .next()
            .unwrap()
            .rsplit('/')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let mut people = Vec::new();
        for i in 0..20 {
            people.push(someone(&mut coach, &a, &format!("P{i}"), "Concurrent", "").await);
        }
        let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(20));
        let tasks: Vec<_> = people
            .iter()
            .map(|p| {
                let (app, actor, barrier, p) =
                    (app.app.clone(), actor.clone(), barrier.clone(), *p);
                tokio::spawn(async move {
                    barrier.wait().await;
                    essaim_app::workshops::register(&app, &actor, id, Some(p)).await
                })
            })
            .collect();
        let mut seats = Vec::new();
        for t in tasks {
            seats.push(t.await.unwrap().expect("every registration is taken"));
        }
        use essaim_domain::coaching::workshop::Seat;
        assert_eq!(seats.iter().filter(|s| **s == Seat::Registered).count(), 10);
        assert_eq!(seats.iter().filter(|s| **s == Seat::Waiting).count(), 10);
        let mut tx = app.app.store.read().await.unwrap();
        let rows = essaim_storage::workshop::registrations(&mut tx, id)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(rows.len(), 20);
        let mut positions: Vec<i64> = rows.iter().map(|r| r.position).collect();
        positions.dedup();
        assert_eq!(positions.len(), 20, "each in a distinct place in line");
        // The first ten in line hold the seats.
        assert!(
            rows[..10].iter().all(|r| r.seat == "registered"),
            "{backend:?}"
        );
        assert!(
            rows[10..].iter().all(|r| r.seat == "waiting"),
            "{backend:?}"
        );
    }
}
