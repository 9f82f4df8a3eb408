//! Hearing back from the platform (issue 20 item 4; EIN-20…22): the acknowledgements of what
//! Essaim deposited and the lifecycle messages about the invoices it sent, fetched by searching
//! the flows changed since the last time — every few minutes by a background job, or at once with
//! `essaim einvoicing sync`. A message read twice is kept once.

use super::client_in;
use super::sending::{keep_status, record_acknowledgement};
use crate::{App, AppError};
use essaim_domain::einvoicing::lifecycle::{Emitter, Status};
use essaim_domain::ids::CooperativeId;
use essaim_einvoicing::Client;
use essaim_einvoicing::wire::{Flow, FlowDirection, FlowType, SearchFilters, timestamp};
use essaim_storage::einvoicing::{self as store, ExchangeRecord, StatusRecord};
use essaim_storage::job as job_store;
use std::collections::HashMap;
use std::sync::Arc;

pub const KIND_SYNC: &str = "einvoice_sync";
/// How often the worker asks the platforms what changed.
pub const SYNC_EVERY_MINUTES: i64 = 5;
/// Searches start this far before the last date seen: a flow updated in the same instant as the
/// last one read is not missed (what is read twice is kept once).
const OVERLAP: time::Duration = time::Duration::minutes(1);

/// What one synchronisation of a cooperative found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SyncReport {
    /// Flows the platform listed as changed.
    pub flows: usize,
    /// Statuses kept that were not known yet.
    pub statuses: usize,
    /// Lifecycle messages that could not be read or named no invoice of the cooperative.
    pub unreadable: usize,
    /// Supplier invoices received and kept (each once).
    pub received: usize,
}

/// Enqueues the synchronisation of the current five-minute slot unless it already was (called
/// by the worker loop); nothing when no cooperative is connected.
pub async fn schedule(app: &App) -> Result<(), AppError> {
    let now = app.clock.now();
    let minute = i64::from(now.minute()) / SYNC_EVERY_MINUTES * SYNC_EVERY_MINUTES;
    let payload = format!(
        "{{\"slot\":\"{}T{:02}:{:02}\"}}",
        now.date(),
        now.hour(),
        minute
    );
    let mut tx = app.store.read().await?;
    let needed = store::any_connection(&mut tx).await?
        && !job_store::exists(&mut tx, KIND_SYNC, &payload).await?;
    tx.commit().await?;
    if !needed {
        return Ok(());
    }
    let mut tx = app.store.begin().await?;
    if !job_store::exists(&mut tx, KIND_SYNC, &payload).await? {
        job_store::enqueue(
            &mut tx,
            &job_store::NewJob {
                cooperative: None,
                kind: KIND_SYNC,
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

/// The job: one cooperative (after its platform's callback), or every connected cooperative in
/// turn; one that fails does not stop the others.
pub(crate) async fn run_job(app: &App, payload: &str) -> Result<(), String> {
    #[derive(serde::Deserialize)]
    struct One {
        cooperative: i64,
    }
    if let Ok(one) = serde_json::from_str::<One>(payload) {
        return sync_cooperative(app, CooperativeId::new(one.cooperative))
            .await
            .map(|_| ())
            .map_err(|e| e.to_string());
    }
    let coops = {
        let mut tx = app.store.read().await.map_err(|e| e.to_string())?;
        let ids = store::connected_cooperatives(&mut tx)
            .await
            .map_err(|e| e.to_string())?;
        tx.commit().await.map_err(|e| e.to_string())?;
        ids
    };
    let mut failures = Vec::new();
    for coop in coops {
        if let Err(e) = sync_cooperative(app, coop).await {
            failures.push(format!("{coop}: {e}"));
        }
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("; "))
    }
}

/// Asks the cooperative's platform what changed since the last time and keeps it.
pub async fn sync_cooperative(app: &App, coop: CooperativeId) -> Result<SyncReport, AppError> {
    let (client, cursor) = {
        let mut tx = app.store.read().await?;
        let client = client_in(&mut tx, app, coop).await?;
        let cursor = store::sync_cursor(&mut tx, coop).await?;
        tx.commit().await?;
        (client, cursor)
    };
    let Some(client) = client else {
        return Ok(SyncReport::default());
    };
    let filters = SearchFilters {
        updated_after: cursor
            .as_deref()
            .and_then(|c| {
                time::OffsetDateTime::parse(c, &time::format_description::well_known::Rfc3339).ok()
            })
            .map(|at| timestamp(at - OVERLAP)),
        flow_direction: vec![FlowDirection::In, FlowDirection::Out],
        ..SearchFilters::default()
    };
    let outcome = read_changes(app, coop, &client, &filters, cursor).await;
    let now = app.clock.now();
    let mut tx = app.store.begin().await?;
    store::add_exchange(
        &mut tx,
        coop,
        &ExchangeRecord {
            at: now,
            operation: "sync".into(),
            ok: outcome.is_ok(),
            detail: match &outcome {
                Ok(r) => format!("{} / {}", r.flows, r.statuses),
                Err(e) => e.to_string(),
            },
        },
    )
    .await?;
    tx.commit().await?;
    outcome
}

async fn read_changes(
    app: &App,
    coop: CooperativeId,
    client: &Arc<Client>,
    filters: &SearchFilters,
    cursor: Option<String>,
) -> Result<SyncReport, AppError> {
    let flows = client
        .search_all(filters)
        .await
        .map_err(|e| AppError::Upstream(super::detail_of(&e)))?;
    let mut report = SyncReport {
        flows: flows.len(),
        ..SyncReport::default()
    };
    let rfc3339 = &time::format_description::well_known::Rfc3339;
    let mut latest = cursor
        .as_deref()
        .and_then(|c| time::OffsetDateTime::parse(c, rfc3339).ok());
    // The files of lifecycle messages are fetched before the transaction, which then keeps
    // everything at once; a few at a time, as a browser would.
    let ids: Vec<String> = flows
        .iter()
        .filter(|f| {
            f.flow_direction == Some(FlowDirection::In)
                && f.flow_type == Some(FlowType::CustomerInvoiceLC)
        })
        .map(|f| f.flow_id.clone())
        .collect();
    let messages = download_all(client, ids).await?;
    let supplier_flows: Vec<&Flow> = flows
        .iter()
        .filter(|f| {
            f.flow_direction == Some(FlowDirection::In)
                && f.flow_type == Some(FlowType::SupplierInvoice)
        })
        .collect();
    let fetched = super::receiving::fetch_new(app, coop, client, &supplier_flows).await?;
    let mut tx = app.store.begin().await?;
    report.received = super::receiving::keep_in(&mut tx, app, coop, fetched).await?;
    for f in &flows {
        // Dates compared as instants: platforms write them with or without fractions.
        if let Some(at) = f.updated()
            && latest.is_none_or(|l| at > l)
        {
            latest = Some(at);
        }
        if f.flow_direction == Some(FlowDirection::Out) {
            report.statuses += acknowledgement(&mut tx, app, coop, f).await?;
        }
    }
    let mut by_number = HashMap::new();
    for (flow_id, bytes) in messages {
        match lifecycle_message(&mut tx, app, coop, &mut by_number, &flow_id, &bytes).await? {
            Some(new) => report.statuses += new,
            None => report.unreadable += 1,
        }
    }
    if let Some(latest) = latest {
        store::set_sync_cursor(&mut tx, coop, &timestamp(latest), app.clock.now()).await?;
    }
    tx.commit().await?;
    Ok(report)
}

/// Downloads files of the platform, [`PARALLEL`] at a time; in the order of `ids`.
async fn download_all(
    client: &Arc<Client>,
    ids: Vec<String>,
) -> Result<Vec<(String, Vec<u8>)>, AppError> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(PARALLEL) {
        let mut set = tokio::task::JoinSet::new();
        for (i, id) in chunk.iter().enumerate() {
            let client = client.clone();
            let id = id.clone();
            set.spawn(async move { (i, client.download(&id).await, id) });
        }
        let mut got: Vec<(usize, String, Vec<u8>)> = Vec::with_capacity(chunk.len());
        while let Some(joined) = set.join_next().await {
            let (i, bytes, id) = joined.map_err(|e| AppError::Internal(e.to_string()))?;
            let bytes = bytes.map_err(|e| AppError::Upstream(super::detail_of(&e)))?;
            got.push((i, id, bytes));
        }
        got.sort_by_key(|(i, _, _)| *i);
        out.extend(got.into_iter().map(|(_, id, b)| (id, b)));
    }
    Ok(out)
}

/// How many files are fetched from the platform at once.
const PARALLEL: usize = 8;

/// The acknowledgement of one of Essaim's deposits; returns how many statuses were new.
async fn acknowledgement(
    tx: &mut essaim_storage::Tx,
    app: &App,
    coop: CooperativeId,
    f: &Flow,
) -> Result<usize, AppError> {
    let Some(flow) =
        store::out_flow_by_platform(tx, coop, &f.flow_id, f.tracking_id.as_deref()).await?
    else {
        return Ok(0);
    };
    Ok(usize::from(
        record_acknowledgement(tx, app, coop, &flow, f).await?,
    ))
}

/// A lifecycle message (CDAR) about an invoice the cooperative sent: `None` when it cannot be
/// read or names no invoice of the cooperative; else how many statuses were new. `by_number`
/// keeps the deposits already looked up during this synchronisation.
async fn lifecycle_message(
    tx: &mut essaim_storage::Tx,
    app: &App,
    coop: CooperativeId,
    by_number: &mut HashMap<String, Option<essaim_storage::einvoicing::OutFlowRecord>>,
    flow_id: &str,
    bytes: &[u8],
) -> Result<Option<usize>, AppError> {
    let Ok(m) = essaim_exchange::cdar::read_cdar(bytes) else {
        tracing::warn!(%coop, flow_id, "unreadable lifecycle message");
        return Ok(None);
    };
    let Some(status) = Status::from_code(m.status) else {
        return Ok(None);
    };
    let flow = match by_number.get(&m.invoice_number) {
        Some(f) => f.clone(),
        None => {
            let f = store::out_flow_by_number(tx, coop, &m.invoice_number).await?;
            by_number.insert(m.invoice_number.clone(), f.clone());
            f
        }
    };
    let Some(flow) = flow else {
        tracing::warn!(%coop, flow_id, number = %m.invoice_number, "lifecycle message about an unknown invoice");
        return Ok(None);
    };
    let new = keep_status(
        tx,
        app,
        coop,
        &flow,
        &StatusRecord {
            pa_flow_id: flow.pa_flow_id,
            status: i32::from(m.status),
            at: m.issued_at,
            emitter: emitter_code(status.emitter()).into(),
            reason_code: m.reason.as_ref().map(|(c, _)| c.clone()),
            reason: m.reason.as_ref().map(|(_, t)| t.clone()),
            amount_cents: m.collected.map(|(a, _)| a),
            collected_on: m.collected.map(|(_, d)| d),
            source: Some(flow_id.to_owned()),
        },
    )
    .await?;
    Ok(Some(usize::from(new)))
}

pub(crate) fn emitter_code(e: Emitter) -> &'static str {
    match e {
        Emitter::Platform => "platform",
        Emitter::Buyer => "buyer",
        Emitter::Seller => "seller",
    }
}

/// `essaim einvoicing sync`: every connected cooperative now; the reports by cooperative.
pub async fn sync_all(app: &App) -> Result<Vec<(CooperativeId, SyncReport)>, AppError> {
    let coops = {
        let mut tx = app.store.read().await?;
        let ids = store::connected_cooperatives(&mut tx).await?;
        tx.commit().await?;
        ids
    };
    let mut out = Vec::new();
    for coop in coops {
        out.push((coop, sync_cooperative(app, coop).await?));
    }
    Ok(out)
}
