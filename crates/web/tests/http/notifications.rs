//! LIF-31: the daily deadline scan tells each person's referent, in the app and by e-mail, once
//! per deadline and alert band.

use axum::http::StatusCode;
use essaim_app::mail::Mailer;
use essaim_domain::access::RoleKind;
use essaim_testkit::{Backend, TestApp, email_for, smtp};

#[tokio::test]
async fn lif_31_a_referent_is_notified_once_per_band_in_the_app_and_by_email() {
    let (url, inbox) = smtp::start().await;
    let app = TestApp::spawn_with(
        Backend::Sqlite,
        Mailer::new(Some(&url), "essaim@test.invalid").unwrap(),
    )
    .await;
    let mut coach = app.signed_in(&email_for(RoleKind::Coaching)).await;
    let coach_id = app
        .actor(&email_for(RoleKind::Coaching))
        .await
        .user
        .id
        .get()
        .to_string();
    let r = coach
        .post_form(
            &format!("/c/{}/people", app.coop_a),
            &[
                ("first_name", "Léo"),
                ("last_name", "Bientôt"),
                ("referent", &coach_id),
            ],
        )
        .await;
    let file = r.location().to_owned();
    for f in [
        vec![("kind", "information_meeting"), ("on", "2023-11-01")],
        vec![("kind", "admitted"), ("on", "2023-11-15")],
        vec![("kind", "cesa_signed"), ("on", "2023-12-10")],
    ] {
        assert_eq!(
            coach.post_form(&format!("{file}/events"), &f).await.status,
            StatusCode::SEE_OTHER
        );
    }
    // Today (29 Nov 2026) the deadline of 10 Dec 2026 is within a month.
    essaim_app::notifications::schedule_daily(&app.app)
        .await
        .unwrap();
    essaim_app::notifications::schedule_daily(&app.app)
        .await
        .unwrap();
    app.run_jobs().await;
    let home = coach.get(&format!("/c/{}", app.coop_a)).await;
    assert!(
        home.body.contains("class=\"badge\">1"),
        "the header shows one unread notification"
    );
    let page = coach.get("/notifications").await;
    assert!(page.body.contains("Léo Bientôt : échéance pour devenir associé·e le 10/12/2026 (dans moins d&#39;un mois).") || page.body.contains("Léo Bientôt : échéance pour devenir associé·e le 10/12/2026 (dans moins d'un mois)."), "{}", page.body);
    let mails = inbox.messages();
    assert_eq!(mails.len(), 1);
    assert!(
        mails[0].contains(&email_for(RoleKind::Coaching))
            && mails[0].contains(&format!("http://essaim.test{file}"))
    );
    // A second scan the same day, or the next day in the same band, adds nothing.
    assert_eq!(
        essaim_app::notifications::scan_deadlines(&app.app)
            .await
            .unwrap(),
        0
    );
    app.clock.advance(time::Duration::days(1));
    essaim_app::notifications::schedule_daily(&app.app)
        .await
        .unwrap();
    app.run_jobs().await;
    assert_eq!(inbox.messages().len(), 1);
    // Once the deadline passes, the referent hears about it again.
    app.clock.advance(time::Duration::days(12));
    essaim_app::notifications::schedule_daily(&app.app)
        .await
        .unwrap();
    app.run_jobs().await;
    assert_eq!(inbox.messages().len(), 2);
    let mut coach = app.signed_in(&email_for(RoleKind::Coaching)).await;
    assert!(
        coach
            .get("/notifications")
            .await
            .body
            .contains("(dépassée)")
    );
    assert_eq!(
        coach.post_form("/notifications/read", &[]).await.status,
        StatusCode::SEE_OTHER
    );
    assert!(
        !coach
            .get(&format!("/c/{}", app.coop_a))
            .await
            .body
            .contains("class=\"badge\"")
    );
    // An expiring document of the person is announced too, once.
    let pdf = b"%PDF-1.4 test";
    let token = coach.form_token().await;
    let boundary = "b0undary";
    let mut body = Vec::new();
    for (k, v) in [
        ("_csrf", token.as_str()),
        ("kind", "insurance"),
        ("title", "RC Pro"),
        ("expires_on", "2027-01-31"),
    ] {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"rc.pdf\"\r\n\r\n").as_bytes());
    body.extend_from_slice(pdf);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let req = axum::http::Request::post(format!("{file}/documents"))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .header(
            "cookie",
            format!("essaim_session={}", coach.session.clone().unwrap()),
        )
        .body(axum::body::Body::from(body))
        .unwrap();
    assert_eq!(coach.send(req).await.status, StatusCode::SEE_OTHER);
    assert_eq!(
        essaim_app::notifications::scan_deadlines(&app.app)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        essaim_app::notifications::scan_deadlines(&app.app)
            .await
            .unwrap(),
        0
    );
    assert!(
        coach
            .get("/notifications")
            .await
            .body
            .contains("le document « RC Pro » expire le 31/01/2027")
    );
    // Nobody else is told.
    let mut other = app.signed_in(&email_for(RoleKind::Validation)).await;
    assert!(
        other
            .get("/notifications")
            .await
            .body
            .contains("Aucune notification.")
    );
}
