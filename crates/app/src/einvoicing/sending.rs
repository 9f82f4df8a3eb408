//! Sending validated invoices through the cooperative's platform (issue 20 item 3; EIN-02, EIN-03,
//! EIN-10, EIN-20, EIN-22). The deposit is queued inside the transaction that validates the
//! document, and made by a background job with retries and backoff: its tracking id is fixed when
//! it is queued, so a deposit whose answer was lost, or whose job ran again after a crash, is
//! found on the platform and never made twice.

use super::{client_in, detail_of};
use crate::{App, AppError, CoopActor, audit};
use essaim_domain::access::{Permission, RoleKind, Target};
use essaim_domain::account::Locale;
use essaim_domain::einvoicing::connection::Syntax;
use essaim_domain::einvoicing::lifecycle::{Emitter, Event, Standing, Status};
use essaim_domain::einvoicing::outgoing::{self, FlowState};
use essaim_domain::ids::{ActivityId, CooperativeId, CustomerId, SaleDocId, UserId};
use essaim_domain::selling::DocKind;
use essaim_domain::selling::customer::CustomerDetails;
use essaim_einvoicing::wire::{AckStatus, Flow, FlowInfo, FlowProfile, FlowSyntax, ProcessingRule};
use essaim_storage::Tx;
use essaim_storage::einvoicing::{self as store, ExchangeRecord, OutFlowRecord, StatusRecord};
use essaim_storage::job::{self as job_store, NewJob};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

pub const KIND_DEPOSIT: &str = "einvoice_deposit";
/// With the jobs' backoff (30 s doubling, at most an hour apart), about a day of trying before a
/// deposit is set aside as failed: a platform down for hours leaves a queue that drains.
pub const DEPOSIT_ATTEMPTS: i64 = 30;

#[derive(Clone, Debug, Serialize, Deserialize)]
struct DepositPayload {
    cooperative_id: i64,
    pa_flow_id: i64,
}

/// Inside the transaction that validates a document: queues its deposit when it goes out (a
/// French business customer, EIN-02) and the cooperative is connected to a platform. Returns
/// the deposit's id.
pub(crate) async fn queue_in(
    tx: &mut Tx,
    coop: CooperativeId,
    doc: SaleDocId,
    kind: DocKind,
    customer: &CustomerDetails,
    by: Option<UserId>,
    now: OffsetDateTime,
) -> Result<Option<i64>, AppError> {
    if !outgoing::goes_out(kind, customer) {
        return Ok(None);
    }
    let Some(connection) = store::connection(tx, coop).await? else {
        return Ok(None);
    };
    queue_deposit(tx, coop, doc, &connection.syntax, by, now)
        .await
        .map(Some)
}

async fn queue_deposit(
    tx: &mut Tx,
    coop: CooperativeId,
    doc: SaleDocId,
    syntax: &str,
    by: Option<UserId>,
    now: OffsetDateTime,
) -> Result<i64, AppError> {
    let rank = store::count_out_flows(tx, coop, doc).await? + 1;
    let tracking = outgoing::tracking_id(coop, doc, rank);
    let id = store::add_out_flow(tx, coop, doc, &tracking, syntax, now).await?;
    enqueue_job(tx, coop, id, now).await?;
    essaim_storage::sale::add_event(tx, doc, "einvoice_queued", by, Some(&tracking), now).await?;
    Ok(id)
}

async fn enqueue_job(
    tx: &mut Tx,
    coop: CooperativeId,
    id: i64,
    now: OffsetDateTime,
) -> Result<(), AppError> {
    let payload = serde_json::to_string(&DepositPayload {
        cooperative_id: coop.get(),
        pa_flow_id: id,
    })
    .map_err(|e| AppError::Internal(e.to_string()))?;
    job_store::enqueue(
        tx,
        &NewJob {
            cooperative: Some(coop),
            kind: KIND_DEPOSIT,
            payload: &payload,
            max_attempts: DEPOSIT_ATTEMPTS,
            run_at: now,
        },
        now,
    )
    .await?;
    Ok(())
}

/// The file deposited for a document: its name, bytes and media type.
async fn file_of(
    app: &App,
    coop: CooperativeId,
    doc: SaleDocId,
    syntax: Syntax,
) -> Result<(String, Vec<u8>, &'static str), String> {
    let (sale, branding) = crate::selling::docs::document_in_coop(app, coop, doc)
        .await
        .map_err(|e| e.to_string())?;
    let stem = crate::selling::docs::file_stem(&sale, doc);
    match syntax {
        Syntax::FacturX => {
            let bytes = tokio::task::spawn_blocking(move || {
                essaim_documents::sale::sale_pdf(&sale, &branding)
            })
            .await
            .map_err(|e| e.to_string())?
            .map_err(|e| e.to_string())?;
            Ok((format!("{stem}.pdf"), bytes, "application/pdf"))
        }
        Syntax::Cii => {
            let xml = essaim_documents::sale::cii_xml(&sale).map_err(|e| e.to_string())?;
            Ok((format!("{stem}.xml"), xml.into_bytes(), "application/xml"))
        }
    }
}

/// Runs a deposit job. A platform that does not answer, answers late or asks to slow down makes
/// the job try again later (an error); one that refuses the deposit itself sets it aside as
/// failed, with its reason, for someone to look at (so does the last attempt).
pub(crate) async fn deposit(app: &App, payload: &str, last_attempt: bool) -> Result<(), String> {
    let p: DepositPayload = serde_json::from_str(payload).map_err(|e| format!("payload: {e}"))?;
    let coop = CooperativeId::new(p.cooperative_id);
    // What the job needs, read at once: the deposit, the platform's client, the customer; and
    // whether this is the deposit's first attempt (marked before any call to the platform).
    let (flow, client, customer, first) = {
        let mut tx = app.store.begin().await.map_err(|e| e.to_string())?;
        let flow = store::out_flow(&mut tx, coop, p.pa_flow_id)
            .await
            .map_err(|e| e.to_string())?;
        let client = client_in(&mut tx, app, coop)
            .await
            .map_err(|e| e.to_string())?;
        let doc = match &flow {
            Some(f) => essaim_storage::sale::doc(&mut tx, coop, SaleDocId::new(f.sale_doc_id))
                .await
                .map_err(|e| e.to_string())?,
            None => None,
        };
        let customer = match doc {
            Some(d) => {
                essaim_storage::sale::customer(&mut tx, coop, CustomerId::new(d.customer_id))
                    .await
                    .map_err(|e| e.to_string())?
            }
            None => None,
        };
        let first = match &flow {
            Some(f) if f.state == FlowState::Queued.code() && f.attempted_at.is_none() => {
                store::mark_attempted(&mut tx, f.pa_flow_id, app.clock.now())
                    .await
                    .map_err(|e| e.to_string())?
            }
            _ => false,
        };
        tx.commit().await.map_err(|e| e.to_string())?;
        (flow, client, customer, first)
    };
    let Some(flow) = flow else {
        return Ok(());
    };
    if FlowState::parse(&flow.state) != Some(FlowState::Queued) {
        return Ok(());
    }
    let Some(client) = client else {
        return give_up(app, coop, &flow, "einvoicing_not_connected").await;
    };
    let syntax = Syntax::parse(&flow.syntax).unwrap_or(Syntax::FacturX);
    let doc = SaleDocId::new(flow.sale_doc_id);
    // EIN-41: the customer's entry in the directory, asked again when it is old.
    if let Some(c) = &customer {
        super::directory::refresh_before_sending(app, coop, c).await;
    }
    let (name, bytes, mime) = file_of(app, coop, doc, syntax).await?;
    let sha256 = hex::encode(Sha256::digest(&bytes));
    let info = FlowInfo {
        tracking_id: Some(flow.tracking_id.clone()),
        name,
        processing_rule: Some(ProcessingRule::B2b),
        flow_syntax: match syntax {
            Syntax::FacturX => FlowSyntax::FacturX,
            Syntax::Cii => FlowSyntax::Cii,
        },
        flow_profile: Some(FlowProfile::Cius),
        sha256: Some(sha256.clone()),
    };
    // Never tried before, it cannot be on the platform: deposit at once (a platform that says it
    // already holds this tracking id is answered by `deposit_first` too). Tried before (an
    // answer lost, a crash): search first.
    let outcome = if first {
        client.deposit_first(&info, &bytes, mime).await
    } else {
        client.deposit_once(&info, &bytes, mime).await
    };
    match outcome {
        Ok(taken) => {
            // The platform's check of the file usually follows at once: read it now when it
            // can be (else the next synchronisation will), and keep everything at once.
            let read = if taken.acknowledgement.is_some() {
                Some(taken.clone())
            } else {
                client.flow(&taken.flow_id).await.ok()
            };
            let now = app.clock.now();
            let mut tx = app.store.begin().await.map_err(|e| e.to_string())?;
            if store::set_deposited(&mut tx, flow.pa_flow_id, &taken.flow_id, &sha256, now)
                .await
                .map_err(|e| e.to_string())?
            {
                essaim_storage::sale::add_event(
                    &mut tx,
                    doc,
                    "einvoice_deposited",
                    None,
                    Some(&taken.flow_id),
                    now,
                )
                .await
                .map_err(|e| e.to_string())?;
                if let Some(read) = read {
                    let deposited = OutFlowRecord {
                        flow_id: Some(read.flow_id.clone()),
                        state: FlowState::Deposited.code().to_owned(),
                        ..flow.clone()
                    };
                    record_acknowledgement(&mut tx, app, coop, &deposited, &read)
                        .await
                        .map_err(|e| e.to_string())?;
                }
            }
            log(&mut tx, coop, "deposit", Ok(()), now).await?;
            tx.commit().await.map_err(|e| e.to_string())?;
            Ok(())
        }
        Err(e) if e.retryable() && !last_attempt => {
            let now = app.clock.now();
            let detail = detail_of(&e);
            let mut tx = app.store.begin().await.map_err(|e| e.to_string())?;
            store::set_error(&mut tx, flow.pa_flow_id, &detail, false, now)
                .await
                .map_err(|e| e.to_string())?;
            log(&mut tx, coop, "deposit", Err(detail.clone()), now).await?;
            tx.commit().await.map_err(|e| e.to_string())?;
            Err(detail)
        }
        Err(e) => give_up(app, coop, &flow, &detail_of(&e)).await,
    }
}

async fn log(
    tx: &mut Tx,
    coop: CooperativeId,
    operation: &str,
    outcome: Result<(), String>,
    at: OffsetDateTime,
) -> Result<(), String> {
    store::add_exchange(
        tx,
        coop,
        &ExchangeRecord {
            at,
            operation: operation.into(),
            ok: outcome.is_ok(),
            detail: outcome.err().unwrap_or_default(),
        },
    )
    .await
    .map_err(|e| e.to_string())
}

/// Sets a deposit aside as failed, with its reason, and tells the people concerned.
async fn give_up(
    app: &App,
    coop: CooperativeId,
    flow: &OutFlowRecord,
    why: &str,
) -> Result<(), String> {
    let now = app.clock.now();
    let doc = SaleDocId::new(flow.sale_doc_id);
    let mut tx = app.store.begin().await.map_err(|e| e.to_string())?;
    if store::set_error(&mut tx, flow.pa_flow_id, why, true, now)
        .await
        .map_err(|e| e.to_string())?
    {
        essaim_storage::sale::add_event(&mut tx, doc, "einvoice_failed", None, Some(why), now)
            .await
            .map_err(|e| e.to_string())?;
        notify(&mut tx, app, coop, doc, Notice::Failed, why, now)
            .await
            .map_err(|e| e.to_string())?;
    }
    log(&mut tx, coop, "deposit", Err(why.to_owned()), now).await?;
    tx.commit().await.map_err(|e| e.to_string())?;
    Ok(())
}

/// Keeps what the platform's check of a deposit says (200 Déposée or 213 Rejetée with its
/// reasons), once.
pub(crate) async fn record_acknowledgement(
    tx: &mut Tx,
    app: &App,
    coop: CooperativeId,
    flow: &OutFlowRecord,
    read: &Flow,
) -> Result<bool, AppError> {
    let Some(ack) = &read.acknowledgement else {
        return Ok(false);
    };
    let ok = match ack.status {
        AckStatus::Ok => true,
        AckStatus::Error => false,
        AckStatus::Pending | AckStatus::Unknown => return Ok(false),
    };
    let reason = (!ok).then(|| {
        ack.details
            .iter()
            .map(|d| {
                if d.reason_code.is_empty() {
                    d.reason_message.clone()
                } else {
                    format!("{} : {}", d.reason_code, d.reason_message)
                }
            })
            .collect::<Vec<_>>()
            .join(" ; ")
    });
    let status = outgoing::status_of_acknowledgement(ok);
    let at = read.updated().unwrap_or_else(|| app.clock.now());
    keep_status(
        tx,
        app,
        coop,
        flow,
        &StatusRecord {
            pa_flow_id: flow.pa_flow_id,
            status: i32::from(status.code()),
            at,
            emitter: "platform".into(),
            reason_code: None,
            reason,
            amount_cents: None,
            collected_on: None,
            source: Some(format!("ack:{}", read.flow_id)),
        },
    )
    .await
}

/// Keeps one status of a deposit (EIN-20): a platform status already known adds nothing; a
/// refusal or a rejection tells the entrepreneur and the support team (EIN-22). Returns whether
/// it was new.
pub(crate) async fn keep_status(
    tx: &mut Tx,
    app: &App,
    coop: CooperativeId,
    flow: &OutFlowRecord,
    s: &StatusRecord,
) -> Result<bool, AppError> {
    let Some(status) = u16::try_from(s.status).ok().and_then(Status::from_code) else {
        return Ok(false);
    };
    if outgoing::once_per_flow(status)
        && store::statuses_of_flow(tx, coop, flow.pa_flow_id)
            .await?
            .iter()
            .any(|k| k.status == s.status)
    {
        return Ok(false);
    }
    let now = app.clock.now();
    if !store::add_status(tx, coop, s, now).await? {
        return Ok(false);
    }
    let doc = SaleDocId::new(flow.sale_doc_id);
    if status.is_dead_end() {
        let notice = if status == Status::Refused {
            Notice::Refused
        } else {
            Notice::Rejected
        };
        notify(
            tx,
            app,
            coop,
            doc,
            notice,
            s.reason.as_deref().unwrap_or_default(),
            now,
        )
        .await?;
    }
    Ok(true)
}

#[derive(Clone, Copy)]
enum Notice {
    Failed,
    Rejected,
    Refused,
}

/// Tells the activity's entrepreneurs and the validation team that an invoice did not go through
/// (in the app and by e-mail), once per document and notice.
async fn notify(
    tx: &mut Tx,
    app: &App,
    coop: CooperativeId,
    doc: SaleDocId,
    notice: Notice,
    why: &str,
    now: OffsetDateTime,
) -> Result<(), AppError> {
    let Some(c) = essaim_storage::cooperative::find(tx, coop).await? else {
        return Ok(());
    };
    let Some(d) = essaim_storage::sale::doc(tx, coop, doc).await? else {
        return Ok(());
    };
    let mut people: Vec<UserId> = Vec::new();
    if let Some(a) =
        essaim_storage::activity::find(tx, coop, ActivityId::new(d.activity_id)).await?
    {
        people.extend(a.members.iter().map(|(u, _, _)| *u));
    }
    for (u, _) in essaim_storage::role::holders_of_kinds(tx, coop, &[RoleKind::Validation]).await? {
        if !people.contains(&u) {
            people.push(u);
        }
    }
    let number = d.number.clone().unwrap_or_default();
    let link = format!("/c/{}/sales/{}", c.slug, doc.get());
    let code = match notice {
        Notice::Failed => "failed",
        Notice::Rejected => "rejected",
        Notice::Refused => "refused",
    };
    let key = format!("einvoice:{}:{code}", doc.get());
    let words = |locale: Locale| {
        let (what, subject) = match (locale, notice) {
            (Locale::Fr, Notice::Failed) => (
                "n'a pas pu être transmise à la plateforme de facturation électronique",
                "facture non transmise",
            ),
            (Locale::Fr, Notice::Rejected) => (
                "a été rejetée par la plateforme (213 Rejetée) : elle n'est pas conforme",
                "facture rejetée",
            ),
            (Locale::Fr, Notice::Refused) => (
                "a été refusée par le client (210 Refusée)",
                "facture refusée",
            ),
            (Locale::En, Notice::Failed) => (
                "could not be sent to the e-invoicing platform",
                "invoice not sent",
            ),
            (Locale::En, Notice::Rejected) => (
                "was rejected by the platform (213 Rejected): it is not compliant",
                "invoice rejected",
            ),
            (Locale::En, Notice::Refused) => (
                "was refused by the customer (210 Refused)",
                "invoice refused",
            ),
        };
        let dash = if why.is_empty() { "" } else { " — " };
        let message = match locale {
            Locale::Fr => format!(
                "La facture {number} ({}, {}) {what}{dash}{why}.",
                d.customer_name, d.activity_name
            ),
            Locale::En => format!(
                "Invoice {number} ({}, {}) {what}{dash}{why}.",
                d.customer_name, d.activity_name
            ),
        };
        (message, format!("{subject} ({number})"))
    };
    crate::notifications::tell(tx, app, coop, &people, (&key, &link), now, words).await?;
    Ok(())
}

/// A document's deposits as its page shows them.
#[derive(Clone, Debug)]
pub struct DocFlow {
    pub flow: OutFlowRecord,
    pub state: FlowState,
    pub statuses: Vec<StatusRecord>,
    pub standing: Standing,
}

/// The deposits of a document and their statuses, for those who may read the document.
pub async fn of_doc(
    app: &App,
    actor: &CoopActor,
    doc: SaleDocId,
) -> Result<Vec<DocFlow>, AppError> {
    let mut tx = app.store.read().await?;
    crate::selling::docs::load(&mut tx, actor, doc).await?;
    let flows = store::out_flows_of_doc(&mut tx, actor.cooperative, doc).await?;
    let mut out = Vec::with_capacity(flows.len());
    for flow in flows {
        let statuses = store::statuses_of_flow(&mut tx, actor.cooperative, flow.pa_flow_id).await?;
        let history: Vec<Event> = statuses
            .iter()
            .filter_map(|s| {
                let status = Status::from_code(u16::try_from(s.status).ok()?)?;
                Some(Event {
                    status,
                    at: s.at,
                    emitter: match s.emitter.as_str() {
                        "buyer" => Emitter::Buyer,
                        "seller" => Emitter::Seller,
                        _ => Emitter::Platform,
                    },
                    reason: s.reason.clone(),
                })
            })
            .collect();
        out.push(DocFlow {
            state: FlowState::parse(&flow.state).unwrap_or(FlowState::Queued),
            standing: Standing::of(&history),
            flow,
            statuses,
        });
    }
    tx.commit().await?;
    Ok(out)
}

/// Sends a document through the platform again (`invoice.validate`): a deposit set aside as
/// failed is queued again with its tracking id (the platform never took it); a document the
/// platform rejected (213) after a correction of the connection or of the customer is deposited
/// anew under a new tracking id (EIN-22). The number and the content stay those validated.
pub async fn resend(app: &App, actor: &CoopActor, doc: SaleDocId) -> Result<(), AppError> {
    let v = crate::selling::docs::view(app, actor, doc).await?;
    if !actor.access.allows(
        Permission::InvoiceValidate,
        Target::Activity(ActivityId::new(v.doc.activity_id)),
    ) {
        return Err(AppError::Forbidden);
    }
    let now = app.clock.now();
    let mut tx = app.store.begin().await?;
    let Some(connection) = store::connection(&mut tx, actor.cooperative).await? else {
        return Err(AppError::field("connection", "einvoicing_not_connected"));
    };
    let flows = store::out_flows_of_doc(&mut tx, actor.cooperative, doc).await?;
    let Some(last) = flows.last() else {
        return Err(AppError::field("state", "einvoice_not_sent"));
    };
    match FlowState::parse(&last.state) {
        Some(FlowState::Failed) => {
            store::requeue_out_flow(&mut tx, actor.cooperative, last.pa_flow_id, now).await?;
            enqueue_job(&mut tx, actor.cooperative, last.pa_flow_id, now).await?;
            essaim_storage::sale::add_event(
                &mut tx,
                doc,
                "einvoice_queued",
                Some(actor.user().id),
                Some(&last.tracking_id),
                now,
            )
            .await?;
        }
        Some(FlowState::Deposited)
            if store::statuses_of_flow(&mut tx, actor.cooperative, last.pa_flow_id)
                .await?
                .iter()
                .any(|s| s.status == i32::from(Status::Rejected.code())) =>
        {
            queue_deposit(
                &mut tx,
                actor.cooperative,
                doc,
                &connection.syntax,
                Some(actor.user().id),
                now,
            )
            .await?;
        }
        _ => return Err(AppError::field("state", "einvoice_not_resendable")),
    }
    audit::record_in(
        &mut tx,
        app,
        actor,
        "einvoice.resend",
        ("sale_doc", doc.to_string()),
        json!({ "previous": last.tracking_id }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Queues the deposit of a validated document that never went out (a document validated before
/// the cooperative was connected; the benchmark). Returns the deposit's id.
pub async fn queue(app: &App, coop: CooperativeId, doc: SaleDocId) -> Result<i64, AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin().await?;
    let connection = store::connection(&mut tx, coop)
        .await?
        .ok_or_else(|| AppError::field("connection", "einvoicing_not_connected"))?;
    let id = queue_deposit(&mut tx, coop, doc, &connection.syntax, None, now).await?;
    tx.commit().await?;
    Ok(id)
}

/// `essaim einvoicing send`: deposits a validated document now, as the worker would (queued
/// first when it was not: a document validated before the cooperative was connected; a failed
/// deposit is queued again). Returns the document's deposits as they then stand.
pub async fn send_now(app: &App, doc: SaleDocId) -> Result<Vec<OutFlowRecord>, AppError> {
    let mut tx = app.store.begin().await?;
    let mut found = None;
    for coop in essaim_storage::cooperative::all_ids(&mut tx).await? {
        if let Some(d) = essaim_storage::sale::doc(&mut tx, coop, doc).await? {
            found = Some((coop, d));
            break;
        }
    }
    let (coop, d) = found.ok_or(AppError::NotFound("document"))?;
    if d.state != "issued" {
        return Err(AppError::field("state", "xml_needs_issued_invoice"));
    }
    let Some(connection) = store::connection(&mut tx, coop).await? else {
        return Err(AppError::field("connection", "einvoicing_not_connected"));
    };
    let now = app.clock.now();
    let flows = store::out_flows_of_doc(&mut tx, coop, doc).await?;
    let id = match flows.last() {
        Some(f) if f.state == FlowState::Queued.code() => f.pa_flow_id,
        Some(f) if f.state == FlowState::Failed.code() => {
            store::requeue_out_flow(&mut tx, coop, f.pa_flow_id, now).await?;
            f.pa_flow_id
        }
        Some(_) => {
            tx.commit().await?;
            return Err(AppError::field("state", "einvoice_not_resendable"));
        }
        None => {
            let record =
                essaim_storage::sale::customer(&mut tx, coop, CustomerId::new(d.customer_id))
                    .await?
                    .ok_or(AppError::NotFound("customer"))?;
            let customer = crate::selling::customer_details(&record)?;
            let kind = DocKind::parse(&d.kind).ok_or(AppError::NotFound("document"))?;
            if !outgoing::goes_out(kind, &customer) {
                return Err(AppError::field("customer", "einvoice_not_for_customer"));
            }
            queue_deposit(&mut tx, coop, doc, &connection.syntax, None, now).await?
        }
    };
    tx.commit().await?;
    let payload = serde_json::to_string(&DepositPayload {
        cooperative_id: coop.get(),
        pa_flow_id: id,
    })
    .map_err(|e| AppError::Internal(e.to_string()))?;
    deposit(app, &payload, true)
        .await
        .map_err(AppError::Upstream)?;
    let mut tx = app.store.read().await?;
    let flows = store::out_flows_of_doc(&mut tx, coop, doc).await?;
    tx.commit().await?;
    Ok(flows)
}
