//! The directory of e-invoicing (issue 20 item 2; EIN-41): whether a customer can receive
//! e-invoices and at which electronic address, asked of the cooperative's platform when the
//! customer is recorded or changed, when someone asks again, and before an invoice goes out; the
//! answer is kept with its date.

use super::{client_in, detail_of};
use crate::{App, AppError, CoopActor};
use essaim_domain::ids::{CooperativeId, CustomerId};
use essaim_einvoicing::Reachability;
use essaim_storage::einvoicing::{self as store, DirectoryRecord, ExchangeRecord};
use essaim_storage::sale::CustomerRecord;

/// Answers older than this are asked again before an invoice goes out.
pub const FRESH_DAYS: i64 = 7;

/// The company and establishment a customer is looked up by: French businesses only.
fn key_of(c: &CustomerRecord) -> Option<(String, String)> {
    if c.kind != "company" || c.country != "FR" {
        return None;
    }
    let siren = c.siren.clone()?;
    Some((siren, c.siret.clone().unwrap_or_default()))
}

/// What the directory said last of a customer, if it was asked (for those who may read the
/// customer); `None` also for customers the directory does not concern.
pub async fn of_customer(
    app: &App,
    actor: &CoopActor,
    id: CustomerId,
) -> Result<Option<DirectoryRecord>, AppError> {
    let c = crate::selling::customer(app, actor, id).await?;
    let Some((siren, siret)) = key_of(&c) else {
        return Ok(None);
    };
    let mut tx = app.store.read().await?;
    let d = store::directory_entry(&mut tx, actor.cooperative, &siren, &siret).await?;
    tx.commit().await?;
    Ok(d)
}

/// Whether the cooperative is connected (the directory can be asked).
pub async fn available(app: &App, actor: &CoopActor) -> Result<bool, AppError> {
    let mut tx = app.store.read().await?;
    let c = store::connection(&mut tx, actor.cooperative).await?;
    tx.commit().await?;
    Ok(c.is_some())
}

/// Asks the directory about a customer now (for those who may read it) and keeps the answer.
/// The outer error is Essaim's; the inner one says why the directory could not answer.
pub async fn check(
    app: &App,
    actor: &CoopActor,
    id: CustomerId,
) -> Result<Result<DirectoryRecord, String>, AppError> {
    let c = crate::selling::customer(app, actor, id).await?;
    let Some((siren, siret)) = key_of(&c) else {
        return Err(AppError::field("siren", "directory_not_for_customer"));
    };
    lookup(app, actor.cooperative, &siren, &siret).await
}

/// Asks the platform's directory and keeps the answer (and the exchange in the log).
pub(crate) async fn lookup(
    app: &App,
    coop: CooperativeId,
    siren: &str,
    siret: &str,
) -> Result<Result<DirectoryRecord, String>, AppError> {
    let client = {
        let mut tx = app.store.read().await?;
        let client = client_in(&mut tx, app, coop).await?;
        tx.commit().await?;
        client
    };
    let Some(client) = client else {
        return Err(AppError::field("connection", "einvoicing_not_connected"));
    };
    let answer = client
        .reachability(siren, (!siret.is_empty()).then_some(siret))
        .await;
    let now = app.clock.now();
    let mut tx = app.store.begin().await?;
    store::add_exchange(
        &mut tx,
        coop,
        &ExchangeRecord {
            at: now,
            operation: "directory".into(),
            ok: answer.is_ok(),
            detail: match &answer {
                Ok(_) => siren.to_owned(),
                Err(e) => format!("{siren}: {}", detail_of(e)),
            },
        },
    )
    .await?;
    let outcome = match answer {
        Ok(r) => {
            let (state, address, public_entity) = match r {
                Reachability::Unknown => ("unknown", None, false),
                Reachability::Closed => ("closed", None, false),
                Reachability::NotReachable => ("not_reachable", None, false),
                Reachability::Reachable { address, public } => ("reachable", Some(address), public),
            };
            let d = DirectoryRecord {
                siren: siren.to_owned(),
                siret: siret.to_owned(),
                state: state.to_owned(),
                address,
                public_entity,
                checked_at: now,
            };
            store::save_directory(&mut tx, coop, &d).await?;
            Ok(d)
        }
        Err(e) => Err(detail_of(&e)),
    };
    tx.commit().await?;
    Ok(outcome)
}

/// After a customer is recorded or changed: asks the directory in the background when the
/// cooperative is connected (the page shows the answer once it came; a failure is only logged).
pub fn check_later(app: &App, actor: &CoopActor, id: CustomerId) {
    let app = app.clone();
    let actor = actor.clone();
    tokio::spawn(async move {
        match available(&app, &actor).await {
            Ok(true) => {
                if let Err(e) = check(&app, &actor, id).await {
                    tracing::debug!(error = %e, "directory lookup of a customer");
                }
            }
            Ok(false) => {}
            Err(e) => tracing::warn!(error = %e, "directory lookup of a customer"),
        }
    });
}

/// Before an invoice goes out: the customer's answer is asked again when older than
/// [`FRESH_DAYS`]; a directory that does not answer does not stop the deposit (the platform
/// checks the address itself).
pub(crate) async fn refresh_before_sending(
    app: &App,
    coop: CooperativeId,
    customer: &CustomerRecord,
) {
    let Some((siren, siret)) = key_of(customer) else {
        return;
    };
    let fresh = async {
        let mut tx = app.store.read().await?;
        let d = store::directory_entry(&mut tx, coop, &siren, &siret).await?;
        tx.commit().await?;
        Ok::<_, AppError>(
            d.is_some_and(|d| app.clock.now() - d.checked_at < time::Duration::days(FRESH_DAYS)),
        )
    };
    if matches!(fresh.await, Ok(true)) {
        return;
    }
    if let Err(e) = lookup(app, coop, &siren, &siret).await {
        tracing::debug!(error = %e, "directory lookup before sending");
    }
}

/// EIN-41: the electronic address suppliers send an activity's invoices to (the cooperative's
/// SIREN and the activity's routing code, its analytic code).
pub async fn activity_address(
    app: &App,
    actor: &CoopActor,
    analytic_code: &str,
) -> Result<String, AppError> {
    let mut tx = app.store.read().await?;
    let c = essaim_storage::cooperative::find(&mut tx, actor.cooperative)
        .await?
        .ok_or(AppError::NotFound("cooperative"))?;
    tx.commit().await?;
    Ok(essaim_domain::einvoicing::incoming::activity_address(
        c.identity.siret.siren().as_str(),
        analytic_code,
    ))
}
