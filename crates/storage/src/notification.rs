//! In-app notifications: one per person and subject (the `dedup_key` makes sending idempotent).

use crate::{StorageError, Tx, on_tx};
use essaim_domain::ids::{CooperativeId, UserId};
use time::OffsetDateTime;

/// Adds a notification unless this person already got one with the same key; true if added.
pub async fn insert_once(
    tx: &mut Tx,
    coop: CooperativeId,
    user: UserId,
    dedup_key: &str,
    message: &str,
    link: &str,
    now: OffsetDateTime,
) -> Result<bool, StorageError> {
    const SQL: &str = "insert into notification (cooperative_id, user_id, dedup_key, message, link, created_at) values ($1, $2, $3, $4, $5, $6) \
         on conflict (user_id, dedup_key) do nothing";
    let n = on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(coop.get())
        .bind(user.get())
        .bind(dedup_key)
        .bind(message)
        .bind(link)
        .bind(now)
        .execute(conn)
        .await?
        .rows_affected());
    Ok(n == 1)
}

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct NotificationRow {
    pub notification_id: i64,
    pub cooperative_id: i64,
    pub message: String,
    pub link: String,
    pub created_at: OffsetDateTime,
    pub read_at: Option<OffsetDateTime>,
}

pub async fn list_for(
    tx: &mut Tx,
    user: UserId,
    limit: i64,
) -> Result<Vec<NotificationRow>, StorageError> {
    const SQL: &str = "select notification_id, cooperative_id, message, link, created_at, read_at from notification where user_id = $1 \
         order by notification_id desc limit $2";
    Ok(on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(user.get())
        .bind(limit)
        .fetch_all(conn)
        .await?))
}

pub async fn unread_count(tx: &mut Tx, user: UserId) -> Result<i64, StorageError> {
    const SQL: &str = "select count(*) from notification where user_id = $1 and read_at is null";
    Ok(on_tx!(tx, |conn| sqlx::query_scalar(SQL)
        .bind(user.get())
        .fetch_one(conn)
        .await?))
}

pub async fn mark_all_read(
    tx: &mut Tx,
    user: UserId,
    now: OffsetDateTime,
) -> Result<u64, StorageError> {
    const SQL: &str = "update notification set read_at = $2 where user_id = $1 and read_at is null";
    Ok(on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(user.get())
        .bind(now)
        .execute(conn)
        .await?
        .rows_affected()))
}
