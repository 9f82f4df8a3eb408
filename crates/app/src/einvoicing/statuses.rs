//! The lifecycle messages the cooperative sends about its own invoices (issue 20 item 4; EIN-21):
//! when a payment is recorded on a services invoice that went out through the platform, 212
//! Encaissée with the amount and the day received (partial payments too, one message each). The
//! message is queued in the transaction that records the payment and deposited as a CDAR flow by
//! a background job; its tracking id comes from the payment, so it is never sent twice.

use super::client_in;
use super::sending::keep_status;
use crate::{App, AppError};
use essaim_domain::einvoicing::lifecycle::Status;
use essaim_domain::einvoicing::outgoing;
use essaim_domain::ids::{CooperativeId, SaleDocId};
use essaim_exchange::cdar::{Party, StatusMessage, write_cdar};
use essaim_storage::Tx;
use essaim_storage::einvoicing::{
    self as store, ExchangeRecord, MessageRecord, NewMessage, StatusRecord,
};
use essaim_storage::job::{self as job_store, NewJob};
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

pub const KIND_STATUS: &str = "einvoice_status";

#[derive(Clone, Debug, Serialize, Deserialize)]
struct StatusPayload {
    cooperative_id: i64,
    pa_message_id: i64,
}

/// Inside the transaction that records a payment: queues 212 Encaissée when the invoice went out
/// through the platform and EIN-21 asks for it (services, VAT not on debits).
pub(crate) async fn collected_in(
    tx: &mut Tx,
    coop: CooperativeId,
    doc: SaleDocId,
    payment_id: i64,
    amount_cents: i64,
    paid_on: Date,
    now: OffsetDateTime,
) -> Result<(), AppError> {
    let Some(flow) = store::deposited_flow_of_doc(tx, coop, doc).await? else {
        return Ok(());
    };
    let Some(snapshot) = essaim_storage::sale::snapshot(tx, doc).await? else {
        return Ok(());
    };
    let sale: essaim_documents::sale::SaleDocument = serde_json::from_str(&snapshot)
        .map_err(|e| AppError::Internal(format!("snapshot: {e}")))?;
    let settings = crate::selling::settings_for(tx, coop).await?;
    if !outgoing::collected_status_due(&sale.business_process, settings.vat_on_debits) {
        return Ok(());
    }
    let tracking = outgoing::status_tracking_id(coop, payment_id, Status::Collected);
    let id = store::add_message(
        tx,
        coop,
        &NewMessage {
            pa_flow_id: flow.pa_flow_id,
            payment_id: Some(payment_id),
            status: i32::from(Status::Collected.code()),
            amount_cents: Some(amount_cents),
            collected_on: Some(paid_on),
            tracking_id: &tracking,
        },
        now,
    )
    .await?;
    let payload = serde_json::to_string(&StatusPayload {
        cooperative_id: coop.get(),
        pa_message_id: id,
    })
    .map_err(|e| AppError::Internal(e.to_string()))?;
    job_store::enqueue(
        tx,
        &NewJob {
            cooperative: Some(coop),
            kind: KIND_STATUS,
            payload: &payload,
            max_attempts: super::sending::DEPOSIT_ATTEMPTS,
            run_at: now,
        },
        now,
    )
    .await?;
    Ok(())
}

/// The CDAR message of a queued status, about the invoice as it was validated.
async fn message_file(
    app: &App,
    coop: CooperativeId,
    doc: SaleDocId,
    m: &MessageRecord,
) -> Result<String, String> {
    let (sale, _) = crate::selling::docs::document_in_coop(app, coop, doc)
        .await
        .map_err(|e| e.to_string())?;
    let status = u16::try_from(m.status).map_err(|e| e.to_string())?;
    Ok(write_cdar(&StatusMessage {
        id: m.tracking_id.clone(),
        issued_at: app.clock.now(),
        issuer: Party {
            siren: sale.seller.siren.clone(),
            name: sale.seller.legal_name.clone(),
            role: "SE".into(),
            address: None,
        },
        recipient: Party {
            siren: sale.buyer.siren.clone().unwrap_or_default(),
            name: sale.buyer.name.clone(),
            role: "BY".into(),
            address: None,
        },
        invoice_number: sale.number.clone().unwrap_or_default(),
        invoice_type: sale.kind.type_code().unwrap_or("380").into(),
        invoice_date: sale.issue_date,
        seller_siren: sale.seller.siren.clone(),
        status,
        reason: None,
        collected: m.amount_cents.zip(m.collected_on),
    }))
}

/// Runs a status job: deposits the message once; a platform that does not answer makes the job
/// try again later; one that refuses it sets it aside with its reason (so does the last attempt).
pub(crate) async fn send(app: &App, payload: &str, last_attempt: bool) -> Result<(), String> {
    let p: StatusPayload = serde_json::from_str(payload).map_err(|e| format!("payload: {e}"))?;
    let coop = CooperativeId::new(p.cooperative_id);
    let (message, flow, client) = {
        let mut tx = app.store.read().await.map_err(|e| e.to_string())?;
        let message = store::message(&mut tx, coop, p.pa_message_id)
            .await
            .map_err(|e| e.to_string())?;
        let flow = match &message {
            Some(m) => store::out_flow(&mut tx, coop, m.pa_flow_id)
                .await
                .map_err(|e| e.to_string())?,
            None => None,
        };
        let client = client_in(&mut tx, app, coop)
            .await
            .map_err(|e| e.to_string())?;
        tx.commit().await.map_err(|e| e.to_string())?;
        (message, flow, client)
    };
    let (Some(message), Some(flow)) = (message, flow) else {
        return Ok(());
    };
    if message.state != "queued" {
        return Ok(());
    }
    let outcome = match client {
        None => Err((false, "einvoicing_not_connected".to_owned())),
        Some(client) => {
            let xml = message_file(app, coop, SaleDocId::new(flow.sale_doc_id), &message).await?;
            super::deposit_cdar(&client, &message.tracking_id, &xml).await
        }
    };
    let now = app.clock.now();
    let mut tx = app.store.begin().await.map_err(|e| e.to_string())?;
    let log = |ok: bool, detail: String| ExchangeRecord {
        at: now,
        operation: "status".into(),
        ok,
        detail,
    };
    let result = match outcome {
        Ok(taken) => {
            if store::set_message_sent(&mut tx, message.pa_message_id, &taken.flow_id, now)
                .await
                .map_err(|e| e.to_string())?
            {
                keep_status(
                    &mut tx,
                    app,
                    coop,
                    &flow,
                    &StatusRecord {
                        pa_flow_id: flow.pa_flow_id,
                        status: message.status,
                        at: now,
                        emitter: "seller".into(),
                        reason_code: None,
                        reason: None,
                        amount_cents: message.amount_cents,
                        collected_on: message.collected_on,
                        source: Some(message.tracking_id.clone()),
                    },
                )
                .await
                .map_err(|e| e.to_string())?;
            }
            store::add_exchange(&mut tx, coop, &log(true, String::new()))
                .await
                .map_err(|e| e.to_string())?;
            Ok(())
        }
        Err((retryable, detail)) => {
            let give_up = !retryable || last_attempt;
            store::set_message_error(&mut tx, message.pa_message_id, &detail, give_up, now)
                .await
                .map_err(|e| e.to_string())?;
            store::add_exchange(&mut tx, coop, &log(false, detail.clone()))
                .await
                .map_err(|e| e.to_string())?;
            if give_up { Ok(()) } else { Err(detail) }
        }
    };
    tx.commit().await.map_err(|e| e.to_string())?;
    result
}
