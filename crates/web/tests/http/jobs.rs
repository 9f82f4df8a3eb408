//! Background jobs: durable, retried with backoff, visible to administrators, retried by hand.

use axum::http::StatusCode;
use essaim_app::mail::Mailer;
use essaim_domain::access::RoleKind;
use essaim_testkit::{Backend, TestApp, email_for};

#[tokio::test]
async fn an_email_that_cannot_be_sent_is_retried_with_backoff_then_marked_failed_and_retried_by_hand()
 {
    // Nothing listens on port 9: every attempt fails.
    let app = TestApp::spawn_with(
        Backend::Sqlite,
        Mailer::new(Some("smtp://127.0.0.1:9"), "essaim@test.invalid").unwrap(),
    )
    .await;
    let mut admin = app.signed_in(&email_for(RoleKind::Administrator)).await;
    let coop = format!("/c/{}", app.coop_a);
    let roles_page = admin.get(&format!("{coop}/roles")).await;
    assert_eq!(roles_page.status, StatusCode::OK);
    let a = essaim_app::cooperatives::enter(
        &app.app,
        &app.actor(&email_for(RoleKind::Administrator)).await,
        &app.coop_a,
    )
    .await
    .unwrap();
    let role = essaim_app::members::roles(&app.app, &a)
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.kind == RoleKind::Member)
        .unwrap()
        .id;
    essaim_app::members::add(&app.app, &a, "sam@exemple.fr", "Sam", &[role])
        .await
        .unwrap();

    app.run_jobs().await;
    let (jobs, _) = essaim_app::jobs::list(&app.app, &a, None).await.unwrap();
    assert_eq!(jobs[0].status, "queued");
    assert_eq!(jobs[0].attempts, 1);
    assert!(jobs[0].last_error.is_some());
    assert_eq!(
        jobs[0].run_at,
        essaim_testkit::NOW + time::Duration::seconds(30)
    );
    // Not due yet: nothing runs.
    assert!(!essaim_app::jobs::run_once(&app.app).await.unwrap());
    for _ in 0..10 {
        app.clock.advance(time::Duration::hours(2));
        app.run_jobs().await;
    }
    let (jobs, _) = essaim_app::jobs::list(&app.app, &a, None).await.unwrap();
    assert_eq!(jobs[0].status, "failed");
    assert_eq!(jobs[0].attempts, jobs[0].max_attempts);
    // The clock moved a day: the administrator signs in again.
    let mut admin = app.signed_in(&email_for(RoleKind::Administrator)).await;
    let page = admin.get(&format!("{coop}/jobs")).await;
    assert!(page.body.contains("En échec"), "{}", page.body);
    let retry = format!("{coop}/jobs/{}/retry", jobs[0].job_id);
    assert!(page.body.contains(&retry));
    assert_eq!(
        admin.post_form(&retry, &[]).await.status,
        StatusCode::SEE_OTHER
    );
    let (jobs, _) = essaim_app::jobs::list(&app.app, &a, None).await.unwrap();
    assert_eq!(jobs[0].status, "queued");
    assert_eq!(jobs[0].attempts, 0);
}

#[tokio::test]
async fn a_job_left_running_by_a_crashed_worker_survives_a_restart() {
    let app = TestApp::spawn().await;
    let a = essaim_app::cooperatives::enter(
        &app.app,
        &app.actor(&email_for(RoleKind::Administrator)).await,
        &app.coop_a,
    )
    .await
    .unwrap();
    let role = essaim_app::members::roles(&app.app, &a)
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.kind == RoleKind::Member)
        .unwrap()
        .id;
    essaim_app::members::add(&app.app, &a, "lou@exemple.fr", "Lou", &[role])
        .await
        .unwrap();
    // A worker claims the job, then "crashes" before finishing it.
    let claimed = app.claim_job().await.expect("a job");
    assert_eq!(claimed.status, "running");
    app.clock.advance(time::Duration::minutes(11));
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let worker = tokio::spawn(essaim_app::jobs::run_worker(
        app.app.clone(),
        std::time::Duration::from_millis(20),
        stop_rx,
    ));
    for _ in 0..100 {
        let (jobs, _) = essaim_app::jobs::list(&app.app, &a, None).await.unwrap();
        if jobs[0].status == "done" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    stop_tx.send(true).unwrap();
    worker.await.unwrap();
    let (jobs, _) = essaim_app::jobs::list(&app.app, &a, None).await.unwrap();
    assert_eq!(jobs[0].status, "done");
}

#[tokio::test]
async fn account_level_emails_are_followed_by_the_host_not_by_cooperatives() {
    let app = TestApp::spawn_with(
        Backend::Sqlite,
        Mailer::new(Some("smtp://127.0.0.1:9"), "essaim@test.invalid").unwrap(),
    )
    .await;
    app.client()
        .post_form(
            "/password/forgot",
            &[("email", &email_for(RoleKind::Member))],
        )
        .await;
    for _ in 0..8 {
        app.run_jobs().await;
        app.clock.advance(time::Duration::hours(2));
    }
    let mut host = app.signed_in(essaim_testkit::HOST_EMAIL).await;
    let page = host.get("/admin/jobs").await;
    assert_eq!(page.status, axum::http::StatusCode::OK);
    assert!(page.body.contains("En échec"), "{}", page.body);
    let retry = page
        .body
        .match_indices("/admin/jobs/")
        .map(|(i, _)| page.body[i..].split('"').next().unwrap().to_owned())
        .next()
        .unwrap();
    assert_eq!(
        host.post_form(&retry, &[]).await.status,
        axum::http::StatusCode::SEE_OTHER
    );
    assert!(host.get("/admin/jobs").await.body.contains("En attente"));
    let mut admin = app.signed_in(&email_for(RoleKind::Administrator)).await;
    let coop_jobs = admin.get(&format!("/c/{}/jobs", app.coop_a)).await;
    assert!(
        coop_jobs.body.contains("Aucune tâche."),
        "a cooperative never sees account-level jobs"
    );
}
