//! Activities (LIF-02): creating them, choosing who runs them and how remuneration is split, and
//! reading them — an entrepreneur reads exactly the activities they belong to (GDP-04).

use crate::{App, AppError, CoopActor, audit};
use essaim_domain::FieldErrors;
use essaim_domain::access::{Permission, RoleKind, Scope, Target};
use essaim_domain::activity::{ActivityDetails, ActivityInput, check_shares};
use essaim_domain::ids::{ActivityId, UserId};
use essaim_storage::activity::{self as store, ActivityRecord};
use essaim_storage::{Conflict, StorageError, Tx, role};
use serde_json::json;

fn taken(e: StorageError) -> AppError {
    match e {
        StorageError::Conflict(Conflict::AnalyticCodeTaken) => {
            AppError::field("analytic_code", "analytic_code_taken")
        }
        e => e.into(),
    }
}

/// Whether the reader sees every activity, or only their own.
fn sees_all(actor: &CoopActor) -> bool {
    actor
        .access
        .grants()
        .any(|g| g.permission == Permission::ActivityRead && g.scope == Scope::Cooperative)
}

/// The activities the reader may see: all for the support team, their own for an entrepreneur.
pub async fn list(
    app: &App,
    actor: &CoopActor,
    search: Option<&str>,
) -> Result<Vec<ActivityRecord>, AppError> {
    if !actor.access.has_any(Permission::ActivityRead) {
        return Err(AppError::Forbidden);
    }
    let only = (!sees_all(actor)).then(|| actor.user().id);
    let mut tx = app.store.read().await?;
    let rows = store::list(&mut tx, actor.cooperative, only, search).await?;
    tx.commit().await?;
    Ok(rows)
}

/// The names of the activities the reader may see (for choices), as [`list`] would give them.
pub async fn names(app: &App, actor: &CoopActor) -> Result<Vec<(ActivityId, String)>, AppError> {
    if !actor.access.has_any(Permission::ActivityRead) {
        return Err(AppError::Forbidden);
    }
    let only = (!sees_all(actor)).then(|| actor.user().id);
    let mut tx = app.store.read().await?;
    let rows = store::names(&mut tx, actor.cooperative, only).await?;
    tx.commit().await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, _)| (ActivityId::new(id), name))
        .collect())
}

pub async fn show(
    app: &App,
    actor: &CoopActor,
    id: ActivityId,
) -> Result<ActivityRecord, AppError> {
    let mut tx = app.store.read().await?;
    let found = store::find(&mut tx, actor.cooperative, id).await?;
    tx.commit().await?;
    let record = found.ok_or(AppError::NotFound("activity"))?;
    if !actor
        .access
        .allows(Permission::ActivityRead, Target::Activity(id))
    {
        return Err(AppError::Forbidden);
    }
    Ok(record)
}

async fn check_referent(
    tx: &mut Tx,
    actor: &CoopActor,
    referent: Option<UserId>,
) -> Result<(), AppError> {
    let Some(r) = referent else { return Ok(()) };
    let (kinds, _) = role::access_of(tx, actor.cooperative, r).await?;
    if kinds
        .iter()
        .any(|k| k.is_support() || *k == RoleKind::Administrator)
    {
        Ok(())
    } else {
        Err(AppError::field("referent", "referent_invalid"))
    }
}

pub async fn create(
    app: &App,
    actor: &CoopActor,
    input: &ActivityInput,
    referent: Option<UserId>,
) -> Result<ActivityId, AppError> {
    actor.require(Permission::ActivityManage)?;
    let details = ActivityDetails::parse(input)?;
    let mut tx = app.store.begin().await?;
    check_referent(&mut tx, actor, referent).await?;
    let id = store::insert(
        &mut tx,
        actor.cooperative,
        &details,
        referent,
        app.clock.now(),
    )
    .await
    .map_err(taken)?;
    audit::record_in(
        &mut tx,
        app,
        actor,
        "activity.created",
        ("activity", id.to_string()),
        json!({ "name": details.name, "analytic_code": details.analytic_code }),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn update(
    app: &App,
    actor: &CoopActor,
    id: ActivityId,
    input: &ActivityInput,
    referent: Option<UserId>,
) -> Result<(), AppError> {
    actor.require(Permission::ActivityManage)?;
    let details = ActivityDetails::parse(input)?;
    let mut tx = app.store.begin().await?;
    check_referent(&mut tx, actor, referent).await?;
    if !store::update(&mut tx, actor.cooperative, id, &details, referent)
        .await
        .map_err(taken)?
    {
        return Err(AppError::NotFound("activity"));
    }
    audit::record_in(
        &mut tx,
        app,
        actor,
        "activity.updated",
        ("activity", id.to_string()),
        json!({ "name": details.name }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Sets who runs the activity and their shares (LIF-02): entrepreneurs of the cooperative only,
/// shares adding up to 100 %, and the written agreement when it is shared.
pub async fn set_members(
    app: &App,
    actor: &CoopActor,
    id: ActivityId,
    members: &[(UserId, u32)],
    agreement: Option<&str>,
) -> Result<(), AppError> {
    actor.require(Permission::ActivityManage)?;
    let shares: Vec<u32> = members.iter().map(|(_, s)| *s).collect();
    check_shares(&shares, agreement).map_err(|(field, code)| AppError::field(field, code))?;
    let mut tx = app.store.begin().await?;
    let mut errors = FieldErrors::new();
    for (user, _) in members {
        let (kinds, _) = role::access_of(&mut tx, actor.cooperative, *user).await?;
        if !kinds.contains(&RoleKind::Entrepreneur) {
            errors.add("members", "not_an_entrepreneur");
        }
    }
    errors.finish(Some(()))?;
    let agreement = agreement.map(str::trim).filter(|a| !a.is_empty());
    if !store::set_members(&mut tx, actor.cooperative, id, members, agreement).await? {
        return Err(AppError::NotFound("activity"));
    }
    let detail: Vec<_> = members
        .iter()
        .map(|(u, s)| json!({ "user": u.get(), "share_basis_points": s }))
        .collect();
    audit::record_in(
        &mut tx,
        app,
        actor,
        "activity.members_set",
        ("activity", id.to_string()),
        json!({ "members": detail }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The entrepreneurs of the cooperative, to choose who runs an activity.
pub async fn entrepreneurs(
    app: &App,
    actor: &CoopActor,
) -> Result<Vec<(UserId, String)>, AppError> {
    actor.require(Permission::ActivityManage)?;
    let mut tx = app.store.read().await?;
    let out = role::holders_of_kinds(&mut tx, actor.cooperative, &[RoleKind::Entrepreneur]).await?;
    tx.commit().await?;
    Ok(out)
}

/// Creates an activity with its members inside the caller's transaction (demo data).
pub async fn insert_with_members(
    tx: &mut Tx,
    app: &App,
    coop: essaim_domain::ids::CooperativeId,
    details: &ActivityDetails,
    referent: Option<UserId>,
    members: &[(UserId, u32)],
    agreement: Option<&str>,
) -> Result<ActivityId, AppError> {
    let id = store::insert(tx, coop, details, referent, app.clock.now())
        .await
        .map_err(taken)?;
    store::set_members(tx, coop, id, members, agreement).await?;
    Ok(id)
}
