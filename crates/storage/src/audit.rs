//! The audit log: who did what, when, on which object, from which address. Append-only.

use crate::{StorageError, Tx, on_tx};
use essaim_domain::ids::{CooperativeId, UserId};
use time::OffsetDateTime;

/// One line to append.
pub struct NewAuditEvent<'a> {
    pub cooperative: Option<CooperativeId>,
    pub actor: Option<UserId>,
    pub action: &'a str,
    pub object_type: &'a str,
    pub object_id: &'a str,
    pub ip: &'a str,
    /// A JSON object with the details worth keeping (never a secret).
    pub detail: &'a str,
}

pub async fn insert(
    tx: &mut Tx,
    e: &NewAuditEvent<'_>,
    now: OffsetDateTime,
) -> Result<(), StorageError> {
    const SQL: &str = "insert into audit_event (cooperative_id, actor_user_id, at, action, object_type, object_id, ip, detail) \
         values ($1, $2, $3, $4, $5, $6, $7, $8)";
    on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(e.cooperative.map(|c| c.get()))
        .bind(e.actor.map(|u| u.get()))
        .bind(now)
        .bind(e.action)
        .bind(e.object_type)
        .bind(e.object_id)
        .bind(e.ip)
        .bind(e.detail)
        .execute(conn)
        .await?
        .rows_affected());
    Ok(())
}

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct AuditRow {
    pub audit_event_id: i64,
    pub at: OffsetDateTime,
    pub actor_user_id: Option<i64>,
    pub actor_name: Option<String>,
    pub action: String,
    pub object_type: String,
    pub object_id: String,
    pub ip: String,
    pub detail: String,
}

/// Filters an administrator can set; empty means any.
#[derive(Clone, Debug, Default)]
pub struct AuditFilter {
    pub action: Option<String>,
    pub actor: Option<UserId>,
    pub from: Option<OffsetDateTime>,
    pub to: Option<OffsetDateTime>,
    /// Only lines older than this id (keyset pagination).
    pub before: Option<i64>,
}

/// The cooperative's audit lines, newest first.
pub async fn list(
    tx: &mut Tx,
    coop: CooperativeId,
    f: &AuditFilter,
    limit: i64,
) -> Result<Vec<AuditRow>, StorageError> {
    const SQL: &str = "select a.audit_event_id, a.at, a.actor_user_id, u.display_name as actor_name, a.action, a.object_type, \
         a.object_id, a.ip, a.detail from audit_event a left join user_account u on u.user_id = a.actor_user_id \
         where a.cooperative_id = $1 \
         and ($2 = '' or a.action like $2) \
         and ($3 = 0 or a.actor_user_id = $3) \
         and a.at >= $4 and a.at < $5 and a.audit_event_id < $6 \
         order by a.audit_event_id desc limit $7";
    let action = f
        .action
        .as_deref()
        .map(|a| format!("{}%", a.replace(['%', '_'], "")))
        .unwrap_or_default();
    let from = f.from.unwrap_or(OffsetDateTime::UNIX_EPOCH);
    let to = f.to.unwrap_or(time::macros::datetime!(9999-01-01 0:00 UTC));
    Ok(on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(coop.get())
        .bind(&action)
        .bind(f.actor.map(|u| u.get()).unwrap_or(0))
        .bind(from)
        .bind(to)
        .bind(f.before.unwrap_or(i64::MAX))
        .bind(limit)
        .fetch_all(conn)
        .await?))
}

/// The latest line of one action in the cooperative (the last FEC produced, say).
pub async fn last_of(
    tx: &mut Tx,
    coop: CooperativeId,
    action: &str,
) -> Result<Option<AuditRow>, StorageError> {
    const SQL: &str = "select a.audit_event_id, a.at, a.actor_user_id, u.display_name as actor_name, a.action, a.object_type, \
         a.object_id, a.ip, a.detail from audit_event a left join user_account u on u.user_id = a.actor_user_id \
         where a.cooperative_id = $1 and a.action = $2 order by a.audit_event_id desc limit 1";
    Ok(on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(coop.get())
        .bind(action)
        .fetch_optional(conn)
        .await?))
}

/// Distinct actions recorded in the cooperative, for the filter's choices.
pub async fn actions(tx: &mut Tx, coop: CooperativeId) -> Result<Vec<String>, StorageError> {
    const SQL: &str =
        "select distinct action from audit_event where cooperative_id = $1 order by action";
    Ok(on_tx!(tx, |conn| sqlx::query_scalar(SQL)
        .bind(coop.get())
        .fetch_all(conn)
        .await?))
}

/// What a person did, in every cooperative and on their account (for their own export).
pub async fn list_by_actor(
    tx: &mut Tx,
    actor: UserId,
    limit: i64,
) -> Result<Vec<AuditRow>, StorageError> {
    const SQL: &str = "select a.audit_event_id, a.at, a.actor_user_id, u.display_name as actor_name, a.action, a.object_type, \
         a.object_id, a.ip, a.detail from audit_event a left join user_account u on u.user_id = a.actor_user_id \
         where a.actor_user_id = $1 order by a.audit_event_id desc limit $2";
    Ok(on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(actor.get())
        .bind(limit)
        .fetch_all(conn)
        .await?))
}
