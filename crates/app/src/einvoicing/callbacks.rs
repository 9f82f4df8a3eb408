//! The platform's callbacks (issue 20 item 4): besides polling every few minutes, the platform
//! may tell Essaim at once that something changed, by calling the cooperative's callback address
//! with a token an administrator created (shown once; only its SHA-256 is kept). The call carries
//! nothing Essaim trusts: it only asks for a synchronisation of that cooperative soon, which reads
//! the changes through the authenticated API as usual.

use crate::secret::{random_token, sha256_hex};
use crate::{App, AppError, CoopActor, audit};
use essaim_domain::access::Permission;
use essaim_storage::einvoicing as store;
use essaim_storage::job::{self as job_store, NewJob};
use serde_json::json;

/// The path of a cooperative's callback address (under the server's public address).
pub fn callback_path(slug: &str) -> String {
    format!("/api/v1/einvoicing/callbacks/{slug}")
}

/// Creates (or replaces) the token of the platform's callbacks; returns it, shown once.
pub async fn create_token(app: &App, actor: &CoopActor) -> Result<String, AppError> {
    actor.require(Permission::CooperativeSettings)?;
    let token = random_token()?;
    let mut tx = app.store.begin().await?;
    if !store::set_callback_token_hash(
        &mut tx,
        actor.cooperative,
        Some(&sha256_hex(token.as_bytes())),
    )
    .await?
    {
        return Err(AppError::field("connection", "einvoicing_not_connected"));
    }
    audit::record_in(
        &mut tx,
        app,
        actor,
        "einvoicing.callback_token_created",
        ("cooperative", actor.cooperative.to_string()),
        json!({}),
    )
    .await?;
    tx.commit().await?;
    Ok(token)
}

/// Whether callbacks are set up (a token exists).
pub async fn enabled(app: &App, actor: &CoopActor) -> Result<bool, AppError> {
    actor.require(Permission::CooperativeSettings)?;
    let mut tx = app.store.read().await?;
    let h = store::callback_token_hash(&mut tx, actor.cooperative).await?;
    tx.commit().await?;
    Ok(h.is_some())
}

/// Turns the callbacks off: the token stops working.
pub async fn revoke_token(app: &App, actor: &CoopActor) -> Result<(), AppError> {
    actor.require(Permission::CooperativeSettings)?;
    let mut tx = app.store.begin().await?;
    store::set_callback_token_hash(&mut tx, actor.cooperative, None).await?;
    audit::record_in(
        &mut tx,
        app,
        actor,
        "einvoicing.callback_token_revoked",
        ("cooperative", actor.cooperative.to_string()),
        json!({}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// A call of the platform: with the right token, a synchronisation of the cooperative is queued
/// (at most one a minute); anything else is `Unauthenticated`, whether the cooperative exists or
/// not.
pub async fn receive(app: &App, slug: &str, token: Option<&str>) -> Result<(), AppError> {
    let mut tx = app.store.read().await?;
    let coop = essaim_storage::cooperative::find_by_slug(&mut tx, slug).await?;
    let hash = match &coop {
        Some(c) => store::callback_token_hash(&mut tx, c.id).await?,
        None => None,
    };
    tx.commit().await?;
    let given = sha256_hex(token.unwrap_or_default().trim().as_bytes());
    let (Some(coop), Some(hash)) = (coop, hash) else {
        return Err(AppError::Unauthenticated);
    };
    if token.is_none() || !same(&given, &hash) {
        return Err(AppError::Unauthenticated);
    }
    let now = app.clock.now();
    let payload = format!(
        "{{\"cooperative\":{},\"minute\":\"{}T{:02}:{:02}\"}}",
        coop.id.get(),
        now.date(),
        now.hour(),
        now.minute()
    );
    let mut tx = app.store.begin().await?;
    if !job_store::exists(&mut tx, super::sync::KIND_SYNC, &payload).await? {
        job_store::enqueue(
            &mut tx,
            &NewJob {
                cooperative: Some(coop.id),
                kind: super::sync::KIND_SYNC,
                payload: &payload,
                max_attempts: 1,
                run_at: now,
            },
            now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}
