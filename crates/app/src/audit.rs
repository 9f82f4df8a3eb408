//! Recording and reading the audit log. Every write use case calls `record` inside its transaction,
//! so the action and its trace commit together.

use crate::{Actor, App, AppError, CoopActor};
use essaim_domain::access::Permission;
use essaim_domain::ids::{CooperativeId, UserId};
use essaim_storage::Tx;
use essaim_storage::audit::{self as store, AuditFilter, AuditRow, NewAuditEvent};

/// Appends one line: `action` on (`object_type`, `object_id`), with JSON `detail`.
pub async fn record(
    tx: &mut Tx,
    app: &App,
    actor: Option<&Actor>,
    cooperative: Option<CooperativeId>,
    action: &str,
    object: (&str, String),
    detail: serde_json::Value,
) -> Result<(), AppError> {
    let ip = actor.map(|a| a.ip.as_str()).unwrap_or("cli");
    let event = NewAuditEvent {
        cooperative,
        actor: actor.map(|a| a.user.id),
        action,
        object_type: object.0,
        object_id: &object.1,
        ip,
        detail: &detail.to_string(),
    };
    store::insert(tx, &event, app.clock.now()).await?;
    Ok(())
}

/// Records an action done inside a cooperative.
pub async fn record_in(
    tx: &mut Tx,
    app: &App,
    actor: &CoopActor,
    action: &str,
    object: (&str, String),
    detail: serde_json::Value,
) -> Result<(), AppError> {
    record(
        tx,
        app,
        Some(&actor.actor),
        Some(actor.cooperative),
        action,
        object,
        detail,
    )
    .await
}

/// The cooperative's audit log, newest first (`audit.read`).
pub async fn list(
    app: &App,
    actor: &CoopActor,
    filter: &AuditFilter,
    limit: i64,
) -> Result<Vec<AuditRow>, AppError> {
    actor.require(Permission::AuditRead)?;
    let mut tx = app.store.read().await?;
    let rows = store::list(&mut tx, actor.cooperative, filter, limit.clamp(1, 500)).await?;
    tx.commit().await?;
    Ok(rows)
}

pub async fn actions(app: &App, actor: &CoopActor) -> Result<Vec<String>, AppError> {
    actor.require(Permission::AuditRead)?;
    let mut tx = app.store.read().await?;
    let rows = store::actions(&mut tx, actor.cooperative).await?;
    tx.commit().await?;
    Ok(rows)
}

/// For filters typed as a user id.
pub fn user_filter(raw: &str) -> Option<UserId> {
    raw.trim().parse().ok().map(UserId::new)
}
