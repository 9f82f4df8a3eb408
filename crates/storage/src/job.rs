//! Durable background jobs: queued rows that survive a restart, claimed one at a time, retried
//! with a delay the caller computes, kept with their last error.

use crate::{StorageError, Tx};
use essaim_domain::ids::{CooperativeId, JobId};
use time::OffsetDateTime;

pub struct NewJob<'a> {
    pub cooperative: Option<CooperativeId>,
    pub kind: &'a str,
    pub payload: &'a str,
    pub max_attempts: i64,
    pub run_at: OffsetDateTime,
}

pub async fn enqueue(
    tx: &mut Tx,
    j: &NewJob<'_>,
    now: OffsetDateTime,
) -> Result<JobId, StorageError> {
    const SQL: &str = "insert into job (cooperative_id, kind, payload, status, attempts, max_attempts, run_at, created_at) \
         values ($1, $2, $3, 'queued', 0, $4, $5, $6) returning job_id";
    let id: i64 = crate::on_tx!(tx, |conn| sqlx::query_scalar(SQL)
        .bind(j.cooperative.map(|c| c.get()))
        .bind(j.kind)
        .bind(j.payload)
        .bind(j.max_attempts)
        .bind(j.run_at)
        .bind(now)
        .fetch_one(conn)
        .await?);
    Ok(JobId::new(id))
}

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct JobRow {
    pub job_id: i64,
    pub cooperative_id: Option<i64>,
    pub kind: String,
    pub payload: String,
    pub status: String,
    pub attempts: i64,
    pub max_attempts: i64,
    pub run_at: OffsetDateTime,
    pub last_error: Option<String>,
    pub created_at: OffsetDateTime,
    pub finished_at: Option<OffsetDateTime>,
}

const COLUMNS: &str = "job_id, cooperative_id, kind, payload, status, attempts, max_attempts, run_at, last_error, created_at, finished_at";

/// Claims the oldest due job: marks it running and counts the attempt. PostgreSQL skips rows
/// another worker holds; SQLite's write lock (`BEGIN IMMEDIATE`) serialises claimers.
pub async fn claim_next(tx: &mut Tx, now: OffsetDateTime) -> Result<Option<JobRow>, StorageError> {
    let row: Option<JobRow> = match tx {
        Tx::Sqlite(t) => {
            let sql = format!(
                "update job set status = 'running', attempts = attempts + 1, locked_at = $1 where job_id = \
                 (select job_id from job where status = 'queued' and run_at <= $1 order by run_at, job_id limit 1) returning {COLUMNS}"
            );
            sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(now)
                .fetch_optional(&mut **t)
                .await?
        }
        Tx::Pg(t) => {
            let sql = format!(
                "update job set status = 'running', attempts = attempts + 1, locked_at = $1 where job_id = \
                 (select job_id from job where status = 'queued' and run_at <= $1 order by run_at, job_id limit 1 for update skip locked) \
                 returning {COLUMNS}"
            );
            sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(now)
                .fetch_optional(&mut **t)
                .await?
        }
    };
    Ok(row)
}

pub async fn complete(tx: &mut Tx, id: JobId, now: OffsetDateTime) -> Result<(), StorageError> {
    const SQL: &str = "update job set status = 'done', finished_at = $2, locked_at = null, last_error = null where job_id = $1";
    crate::on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(id.get())
        .bind(now)
        .execute(conn)
        .await?
        .rows_affected());
    Ok(())
}

/// Records a failure: back to the queue at `retry_at`, or `failed` for good when `retry_at` is None.
pub async fn fail(
    tx: &mut Tx,
    id: JobId,
    error: &str,
    retry_at: Option<OffsetDateTime>,
    now: OffsetDateTime,
) -> Result<(), StorageError> {
    const RETRY: &str = "update job set status = 'queued', run_at = $2, locked_at = null, last_error = $3 where job_id = $1";
    const DEAD: &str = "update job set status = 'failed', finished_at = $2, locked_at = null, last_error = $3 where job_id = $1";
    match retry_at {
        Some(at) => crate::on_tx!(tx, |conn| sqlx::query(RETRY)
            .bind(id.get())
            .bind(at)
            .bind(error)
            .execute(conn)
            .await?
            .rows_affected()),
        None => crate::on_tx!(tx, |conn| sqlx::query(DEAD)
            .bind(id.get())
            .bind(now)
            .bind(error)
            .execute(conn)
            .await?
            .rows_affected()),
    };
    Ok(())
}

/// Puts back in the queue the jobs a crashed worker left running since before `stale_before`.
pub async fn requeue_stale(tx: &mut Tx, stale_before: OffsetDateTime) -> Result<u64, StorageError> {
    const SQL: &str = "update job set status = 'queued', locked_at = null where status = 'running' and locked_at < $1";
    Ok(crate::on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(stale_before)
        .execute(conn)
        .await?
        .rows_affected()))
}

/// A failed job of the cooperative goes back to the queue with its attempts reset.
/// `coop`: a cooperative's jobs, or `None` for the account-level ones (password-reset e-mails).
pub async fn retry(
    tx: &mut Tx,
    coop: Option<CooperativeId>,
    id: JobId,
    now: OffsetDateTime,
) -> Result<bool, StorageError> {
    const SQL: &str = "update job set status = 'queued', attempts = 0, run_at = $3, finished_at = null \
         where job_id = $1 and coalesce(cooperative_id, 0) = $2 and status = 'failed'";
    let n = crate::on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(id.get())
        .bind(coop.map_or(0, |c| c.get()))
        .bind(now)
        .execute(conn)
        .await?
        .rows_affected());
    Ok(n == 1)
}

/// The cooperative's jobs, newest first, optionally of one status.
pub async fn list(
    tx: &mut Tx,
    coop: Option<CooperativeId>,
    status: Option<&str>,
    limit: i64,
) -> Result<Vec<JobRow>, StorageError> {
    let sql = format!(
        "select {COLUMNS} from job where coalesce(cooperative_id, 0) = $1 and ($2 = '' or status = $2) order by job_id desc limit $3"
    );
    Ok(crate::on_tx!(tx, |conn| sqlx::query_as(
        sqlx::AssertSqlSafe(sql)
    )
    .bind(coop.map_or(0, |c| c.get()))
    .bind(status.unwrap_or(""))
    .bind(limit)
    .fetch_all(conn)
    .await?))
}

pub async fn find(tx: &mut Tx, id: JobId) -> Result<Option<JobRow>, StorageError> {
    let sql = format!("select {COLUMNS} from job where job_id = $1");
    Ok(crate::on_tx!(tx, |conn| sqlx::query_as(
        sqlx::AssertSqlSafe(sql)
    )
    .bind(id.get())
    .fetch_optional(conn)
    .await?))
}

/// Counts per status for the cooperative.
pub async fn counts(
    tx: &mut Tx,
    coop: Option<CooperativeId>,
) -> Result<Vec<(String, i64)>, StorageError> {
    const SQL: &str = "select status, count(*) from job where coalesce(cooperative_id, 0) = $1 group by status order by status";
    Ok(crate::on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(coop.map_or(0, |c| c.get()))
        .fetch_all(conn)
        .await?))
}

/// Whether a job of this kind and payload was already enqueued (to schedule a daily job once).
pub async fn exists(tx: &mut Tx, kind: &str, payload: &str) -> Result<bool, StorageError> {
    const SQL: &str = "select count(*) from job where kind = $1 and payload = $2";
    let n: i64 = crate::on_tx!(tx, |conn| sqlx::query_scalar(SQL)
        .bind(kind)
        .bind(payload)
        .fetch_one(conn)
        .await?);
    Ok(n > 0)
}
