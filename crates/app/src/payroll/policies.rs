//! The contribution's policies (PAY-10 to PAY-12): the cooperative's and each activity's
//! override, dated; a version in force is never changed (a new one is added), so every
//! contribution shown was levied with the version of its date.

use crate::{App, AppError, CoopActor, audit};
use essaim_domain::access::Permission;
use essaim_domain::ids::ActivityId;
use essaim_domain::money::Money;
use essaim_domain::payroll::contribution::{
    Base, Policy, PolicyInput, bands_from_text, bands_to_text,
};
use essaim_storage::payroll::{self as store, PolicyRecord};
use serde_json::json;
use time::Date;

fn read(r: &PolicyRecord) -> Result<Policy, AppError> {
    let broken = || {
        AppError::Internal(format!(
            "contribution policy {} unreadable",
            r.contribution_policy_id
        ))
    };
    Ok(Policy {
        valid_from: r.valid_from,
        base: Base::parse(&r.base).ok_or_else(broken)?,
        bands: bands_from_text(&r.bands).ok_or_else(broken)?,
        exemption_months: u8::try_from(r.exemption_months).map_err(|_| broken())?,
        monthly_fee: Money::eur(r.monthly_fee_cents),
        yearly_minimum: Money::eur(r.yearly_minimum_cents),
    })
}

/// An activity's own policies and the cooperative's, each in date order.
pub(crate) struct Scoped {
    pub own: Vec<Policy>,
    pub cooperative: Vec<Policy>,
}

pub(crate) fn scoped(records: &[PolicyRecord], activity: ActivityId) -> Result<Scoped, AppError> {
    let mut s = Scoped {
        own: Vec::new(),
        cooperative: Vec::new(),
    };
    for r in records {
        match r.activity_id {
            None => s.cooperative.push(read(r)?),
            Some(a) if a == activity.get() => s.own.push(read(r)?),
            Some(_) => {}
        }
    }
    Ok(s)
}

/// A stored version, for the settings page.
#[derive(Clone, Debug)]
pub struct PolicyVersion {
    pub id: i64,
    /// `None`: the cooperative's.
    pub activity: Option<(ActivityId, String)>,
    pub policy: Policy,
    /// Started on or before today: kept as it is.
    pub in_force: bool,
}

/// Every version, the cooperative's first (settings: CooperativeSettings).
pub async fn list(app: &App, actor: &CoopActor) -> Result<Vec<PolicyVersion>, AppError> {
    actor.require(Permission::CooperativeSettings)?;
    let mut tx = app.store.read().await?;
    let records = store::policies(&mut tx, actor.cooperative, None).await?;
    tx.commit().await?;
    let names = crate::activities::names(app, actor).await?;
    let today = app.clock.today();
    records
        .iter()
        .map(|r| {
            Ok(PolicyVersion {
                id: r.contribution_policy_id,
                activity: r.activity_id.map(|a| {
                    let id = ActivityId::new(a);
                    let name = names
                        .iter()
                        .find(|(n, _)| *n == id)
                        .map(|(_, s)| s.clone())
                        .unwrap_or_default();
                    (id, name)
                }),
                policy: read(r)?,
                in_force: r.valid_from <= today,
            })
        })
        .collect()
}

/// Adds a version for the cooperative (`activity` none) or one activity. It may not start before
/// the current fiscal year (earlier years are settled), nor the day another of its scope starts.
pub async fn add(
    app: &App,
    actor: &CoopActor,
    activity: Option<ActivityId>,
    input: &PolicyInput,
) -> Result<i64, AppError> {
    actor.require(Permission::CooperativeSettings)?;
    let p = input.parse()?;
    let year_start = super::fiscal_year_start(app, actor).await?;
    if p.valid_from < year_start {
        return Err(AppError::field("valid_from", "policy_before_year"));
    }
    if let Some(a) = activity
        && !crate::activities::names(app, actor)
            .await?
            .iter()
            .any(|(id, _)| *id == a)
    {
        return Err(AppError::field("activity", "choice_unknown"));
    }
    let mut tx = app.store.begin().await?;
    let record = PolicyRecord {
        contribution_policy_id: 0,
        activity_id: activity.map(|a| a.get()),
        valid_from: p.valid_from,
        base: p.base.code().to_string(),
        bands: bands_to_text(&p.bands),
        exemption_months: i64::from(p.exemption_months),
        monthly_fee_cents: p.monthly_fee.cents(),
        yearly_minimum_cents: p.yearly_minimum.cents(),
    };
    let id = store::insert_policy(
        &mut tx,
        actor.cooperative,
        &record,
        actor.user().id,
        app.clock.now(),
    )
    .await?
    .ok_or(AppError::field("valid_from", "policy_same_day"))?;
    audit::record_in(
        &mut tx,
        app,
        actor,
        "contribution.policy_added",
        ("contribution_policy", id.to_string()),
        json!({
            "activity": activity.map(|a| a.get()),
            "valid_from": p.valid_from.to_string(),
            "base": record.base,
            "bands": record.bands,
            "exemption_months": p.exemption_months,
            "monthly_fee_cents": record.monthly_fee_cents,
            "yearly_minimum_cents": record.yearly_minimum_cents,
        }),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Removes a version that has not started yet; one in force is refused (404 when unknown).
pub async fn remove(app: &App, actor: &CoopActor, id: i64) -> Result<(), AppError> {
    actor.require(Permission::CooperativeSettings)?;
    let today: Date = app.clock.today();
    let mut tx = app.store.begin().await?;
    let known = store::policies(&mut tx, actor.cooperative, None)
        .await?
        .into_iter()
        .find(|r| r.contribution_policy_id == id)
        .ok_or(AppError::NotFound("contribution_policy"))?;
    if !store::delete_future_policy(&mut tx, actor.cooperative, id, today).await? {
        return Err(AppError::field("policy", "policy_in_force"));
    }
    audit::record_in(
        &mut tx,
        app,
        actor,
        "contribution.policy_removed",
        ("contribution_policy", id.to_string()),
        json!({ "valid_from": known.valid_from.to_string(), "activity": known.activity_id }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The demo cooperative's policy (PAY-10's example): on the revenue collected, 10 % up to
/// 35,000 €, 8 % up to 45,000 €, 6 % above, from the start of its history.
pub(crate) async fn demo_seed(
    app: &App,
    coop: essaim_domain::ids::CooperativeId,
    by: essaim_domain::ids::UserId,
    from: Date,
) -> Result<(), AppError> {
    let mut tx = app.store.begin().await?;
    let record = PolicyRecord {
        contribution_policy_id: 0,
        activity_id: None,
        valid_from: from,
        base: Base::CollectedHt.code().to_string(),
        bands: "3500000:0.1;4500000:0.08;:0.06".to_string(),
        exemption_months: 0,
        monthly_fee_cents: 0,
        yearly_minimum_cents: 0,
    };
    store::insert_policy(&mut tx, coop, &record, by, app.clock.now()).await?;
    tx.commit().await?;
    Ok(())
}
