//! Durable background jobs: enqueued inside the transaction that needs them, run by a worker
//! loop, retried with exponential backoff, visible to administrators. E-mail is the first kind.

use crate::mail::{MailContent, OutgoingMail};
use crate::{Actor, App, AppError, CoopActor, audit};
use essaim_domain::access::Permission;
use essaim_domain::ids::{CooperativeId, JobId};
use essaim_storage::Tx;
use essaim_storage::job::{self as store, JobRow, NewJob};
use serde_json::json;
use std::time::Duration;

pub const KIND_EMAIL: &str = "email";
pub const MAX_ATTEMPTS: i64 = 6;

/// Delay before attempt `n + 1`: 30 s, 1 min, 2 min, 4 min… capped at 1 hour.
pub fn backoff(attempts: i64) -> time::Duration {
    let exp = u32::try_from(attempts.clamp(1, 8) - 1).unwrap_or(0);
    time::Duration::seconds((30_i64 << exp).min(3600))
}

pub async fn enqueue_email(
    tx: &mut Tx,
    app: &App,
    coop: Option<CooperativeId>,
    to: &str,
    content: &MailContent,
) -> Result<JobId, AppError> {
    enqueue_mail(
        tx,
        app,
        coop,
        OutgoingMail {
            to: to.to_owned(),
            subject: content.subject.clone(),
            body: content.body.clone(),
            calendar: None,
        },
    )
    .await
}

/// Enqueues an e-mail carrying a calendar invitation (`invitation.ics`).
pub async fn enqueue_email_with_calendar(
    tx: &mut Tx,
    app: &App,
    coop: Option<CooperativeId>,
    to: &str,
    content: &MailContent,
    calendar: String,
) -> Result<JobId, AppError> {
    enqueue_mail(
        tx,
        app,
        coop,
        OutgoingMail {
            to: to.to_owned(),
            subject: content.subject.clone(),
            body: content.body.clone(),
            calendar: Some(calendar),
        },
    )
    .await
}

async fn enqueue_mail(
    tx: &mut Tx,
    app: &App,
    coop: Option<CooperativeId>,
    mail: OutgoingMail,
) -> Result<JobId, AppError> {
    let payload = serde_json::to_string(&mail).map_err(|e| AppError::Internal(e.to_string()))?;
    let now = app.clock.now();
    let job = NewJob {
        cooperative: coop,
        kind: KIND_EMAIL,
        payload: &payload,
        max_attempts: MAX_ATTEMPTS,
        run_at: now,
    };
    Ok(store::enqueue(tx, &job, now).await?)
}

/// Runs at most one due job. Returns whether one ran (so the loop can go on without sleeping).
pub async fn run_once(app: &App) -> Result<bool, AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin().await?;
    let Some(job) = store::claim_next(&mut tx, now).await? else {
        tx.commit().await?;
        return Ok(false);
    };
    tx.commit().await?;
    let id = JobId::new(job.job_id);
    let outcome = execute(app, &job).await;
    let now = app.clock.now();
    let mut tx = app.store.begin().await?;
    match outcome {
        Ok(()) => store::complete(&mut tx, id, now).await?,
        Err(error) => {
            let retry_at = (job.attempts < job.max_attempts).then(|| now + backoff(job.attempts));
            tracing::warn!(job = job.job_id, kind = %job.kind, attempts = job.attempts, %error, "job failed");
            store::fail(&mut tx, id, &error, retry_at, now).await?;
        }
    }
    tx.commit().await?;
    Ok(true)
}

async fn execute(app: &App, job: &JobRow) -> Result<(), String> {
    match job.kind.as_str() {
        KIND_EMAIL => {
            let mail: OutgoingMail =
                serde_json::from_str(&job.payload).map_err(|e| format!("payload: {e}"))?;
            match &mail.calendar {
                Some(ics) => {
                    app.mailer
                        .send_with_attachment(
                            &mail,
                            &crate::mail::Attachment {
                                filename: "invitation.ics".to_owned(),
                                content_type: "text/calendar; charset=utf-8; method=REQUEST"
                                    .to_owned(),
                                bytes: ics.as_bytes().to_vec(),
                            },
                        )
                        .await
                }
                None => app.mailer.send(&mail).await,
            }
        }
        crate::selling::archive::KIND_SALE_ZIP => {
            crate::selling::archive::build(app, &job.payload).await
        }
        crate::selling::mail::KIND_SALE_EMAIL => {
            crate::selling::mail::deliver(app, &job.payload).await
        }
        crate::einvoicing::sending::KIND_DEPOSIT => {
            crate::einvoicing::sending::deposit(app, &job.payload, job.attempts >= job.max_attempts)
                .await
        }
        crate::einvoicing::statuses::KIND_STATUS => {
            crate::einvoicing::statuses::send(app, &job.payload, job.attempts >= job.max_attempts)
                .await
        }
        crate::einvoicing::receiving::KIND_ANSWER => {
            crate::einvoicing::receiving::send_answer(
                app,
                &job.payload,
                job.attempts >= job.max_attempts,
            )
            .await
        }
        crate::einvoicing::sync::KIND_SYNC => {
            crate::einvoicing::sync::run_job(app, &job.payload).await
        }
        crate::notifications::KIND_DEADLINE_SCAN => crate::notifications::scan_deadlines(app)
            .await
            .map(|_| ())
            .map_err(|e| e.to_string()),
        crate::workshops::KIND_REMINDERS => crate::workshops::send_reminders(app)
            .await
            .map(|_| ())
            .map_err(|e| e.to_string()),
        other => Err(format!("unknown job kind {other}")),
    }
}

/// The worker loop: runs due jobs, sleeps `idle` when none is due, and puts back jobs that a
/// crashed worker left running. Ends when `stop` fires.
pub async fn run_worker(app: App, idle: Duration, mut stop: tokio::sync::watch::Receiver<bool>) {
    loop {
        if *stop.borrow() {
            return;
        }
        let stale_before = app.clock.now() - time::Duration::minutes(10);
        if let Ok(mut tx) = app.store.begin().await {
            let _ = store::requeue_stale(&mut tx, stale_before).await;
            let _ = tx.commit().await;
        }
        if let Err(e) = crate::notifications::schedule_daily(&app).await {
            tracing::error!(error = %e, "scheduling the daily deadline scan");
        }
        if let Err(e) = crate::einvoicing::sync::schedule(&app).await {
            tracing::error!(error = %e, "scheduling the e-invoicing synchronisation");
        }
        match run_once(&app).await {
            Ok(true) => continue,
            Ok(false) => {}
            Err(e) => tracing::error!(error = %e, "job runner"),
        }
        tokio::select! {
            _ = tokio::time::sleep(idle) => {}
            _ = stop.changed() => {}
        }
    }
}

/// The cooperative's jobs, newest first (`job.manage`).
pub async fn list(
    app: &App,
    actor: &CoopActor,
    status: Option<&str>,
) -> Result<(Vec<JobRow>, Vec<(String, i64)>), AppError> {
    actor.require(Permission::JobManage)?;
    let mut tx = app.store.read().await?;
    let rows = store::list(&mut tx, Some(actor.cooperative), status, 200).await?;
    let counts = store::counts(&mut tx, Some(actor.cooperative)).await?;
    tx.commit().await?;
    Ok((rows, counts))
}

/// Puts a failed job of the cooperative back in the queue.
pub async fn retry(app: &App, actor: &CoopActor, id: JobId) -> Result<(), AppError> {
    actor.require(Permission::JobManage)?;
    let mut tx = app.store.begin().await?;
    if !store::retry(&mut tx, Some(actor.cooperative), id, app.clock.now()).await? {
        return Err(AppError::NotFound("job"));
    }
    audit::record_in(
        &mut tx,
        app,
        actor,
        "job.retried",
        ("job", id.to_string()),
        json!({}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The account-level jobs (password-reset e-mails), for host administrators.
pub async fn list_host(
    app: &App,
    actor: &Actor,
    status: Option<&str>,
) -> Result<(Vec<JobRow>, Vec<(String, i64)>), AppError> {
    actor.require_host_admin()?;
    let mut tx = app.store.read().await?;
    let rows = store::list(&mut tx, None, status, 200).await?;
    let counts = store::counts(&mut tx, None).await?;
    tx.commit().await?;
    Ok((rows, counts))
}

/// Puts a failed account-level job back in the queue (host administrators).
pub async fn retry_host(app: &App, actor: &Actor, id: JobId) -> Result<(), AppError> {
    actor.require_host_admin()?;
    let mut tx = app.store.begin().await?;
    if !store::retry(&mut tx, None, id, app.clock.now()).await? {
        return Err(AppError::NotFound("job"));
    }
    audit::record(
        &mut tx,
        app,
        Some(actor),
        None,
        "job.retried",
        ("job", id.to_string()),
        json!({}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_exponentially_up_to_an_hour() {
        assert_eq!(backoff(1), time::Duration::seconds(30));
        assert_eq!(backoff(2), time::Duration::seconds(60));
        assert_eq!(backoff(5), time::Duration::seconds(480));
        assert_eq!(backoff(50), time::Duration::seconds(3600));
    }
}
