//! A ZIP of every invoice and credit note PDF of a period (issue 4, point 9), built by a
//! background job that records its progress, so the page shows a progress bar and then the file.
//! An entrepreneur's archive holds only their activities' documents (GDP-04).

use super::docs::{document_in_coop, file_stem};
use super::readable_activities;
use crate::jobs::MAX_ATTEMPTS;
use crate::{App, AppError, CoopActor, audit, documents, secret};
use essaim_domain::FieldErrors;
use essaim_domain::ids::{ActivityId, CooperativeId, SaleDocId};
use essaim_domain::person::parse_date;
use essaim_storage::job::{self as jobs_store, NewJob};
use essaim_storage::sale::{self as store, DocFilter, ExportRecord};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::io::Write;

pub const KIND_SALE_ZIP: &str = "sale_zip";

#[derive(Clone, Debug, Serialize, Deserialize)]
struct ZipPayload {
    cooperative_id: i64,
    export_id: i64,
    /// The activities the requester may read, or none for all of them.
    activities: Option<Vec<i64>>,
}

/// Asks for the archive of the documents issued from `from` to `to` (inclusive).
pub async fn request(app: &App, actor: &CoopActor, from: &str, to: &str) -> Result<i64, AppError> {
    let reach = readable_activities(actor)?;
    let mut e = FieldErrors::new();
    let from = e.check("from", parse_date(from));
    let to = e.check("to", parse_date(to));
    if let (Some(f), Some(t)) = (from, to)
        && t < f
    {
        e.add("to", "end_before_start");
    }
    let (Some(from), Some(to)) = (from, to) else {
        return Err(e.into());
    };
    if !e.is_empty() {
        return Err(e.into());
    }
    let now = app.clock.now();
    let mut tx = app.store.begin().await?;
    let id =
        store::insert_export(&mut tx, actor.cooperative, actor.user().id, from, to, now).await?;
    let payload = serde_json::to_string(&ZipPayload {
        cooperative_id: actor.cooperative.get(),
        export_id: id,
        activities: reach.map(|r| r.iter().map(|a| a.get()).collect()),
    })
    .map_err(|e| AppError::Internal(e.to_string()))?;
    jobs_store::enqueue(
        &mut tx,
        &NewJob {
            cooperative: Some(actor.cooperative),
            kind: KIND_SALE_ZIP,
            payload: &payload,
            max_attempts: MAX_ATTEMPTS,
            run_at: now,
        },
        now,
    )
    .await?;
    audit::record_in(
        &mut tx,
        app,
        actor,
        "sale.zip_requested",
        ("sale_export", id.to_string()),
        json!({ "from": from.to_string(), "to": to.to_string() }),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// An archive the person asked for (nobody else sees it).
pub async fn status(app: &App, actor: &CoopActor, id: i64) -> Result<ExportRecord, AppError> {
    let mut tx = app.store.read().await?;
    let found = store::export(&mut tx, actor.cooperative, id).await?;
    tx.commit().await?;
    match found {
        Some(e) if e.user_id == actor.user().id.get() => Ok(e),
        _ => Err(AppError::NotFound("export")),
    }
}

/// The finished archive: its file name and bytes (checked against their hash).
pub async fn file(app: &App, actor: &CoopActor, id: i64) -> Result<(String, Vec<u8>), AppError> {
    let e = status(app, actor, id).await?;
    let sha = e.sha256.ok_or(AppError::NotFound("export"))?;
    let bytes = tokio::fs::read(documents::path_of(app, &sha))
        .await
        .map_err(|err| AppError::Internal(format!("reading the archive: {err}")))?;
    if secret::sha256_hex(&bytes) != sha {
        return Err(AppError::Internal(
            "the archive's content changed on disk".into(),
        ));
    }
    Ok((
        format!("factures-{}-{}.zip", e.period_from, e.period_to),
        bytes,
    ))
}

async fn progress(
    app: &App,
    id: i64,
    status: &str,
    done: i64,
    total: i64,
    sha: Option<&str>,
    error: Option<&str>,
) -> Result<(), String> {
    let finished = matches!(status, "done" | "failed").then(|| app.clock.now());
    let mut tx = app.store.begin().await.map_err(|e| e.to_string())?;
    store::set_export_progress(&mut tx, id, status, done, total, sha, error, finished)
        .await
        .map_err(|e| e.to_string())?;
    tx.commit().await.map_err(|e| e.to_string())
}

/// Runs the job: renders each PDF of the period into the archive, recording progress.
pub(crate) async fn build(app: &App, payload: &str) -> Result<(), String> {
    let p: ZipPayload = serde_json::from_str(payload).map_err(|e| format!("payload: {e}"))?;
    let coop = CooperativeId::new(p.cooperative_id);
    let result = build_inner(app, coop, &p).await;
    if let Err(e) = &result {
        progress(app, p.export_id, "failed", 0, 0, None, Some(e)).await?;
    }
    result
}

async fn build_inner(app: &App, coop: CooperativeId, p: &ZipPayload) -> Result<(), String> {
    let mut tx = app.store.read().await.map_err(|e| e.to_string())?;
    let e = store::export(&mut tx, coop, p.export_id)
        .await
        .map_err(|e| e.to_string())?
        .ok_or("export not found")?;
    let filter = DocFilter {
        kinds: vec!["invoice".into(), "deposit".into(), "credit_note".into()],
        activities: p
            .activities
            .as_ref()
            .map(|a| a.iter().map(|i| ActivityId::new(*i)).collect()),
        from: Some(e.period_from),
        to: Some(e.period_to),
        ..DocFilter::default()
    };
    let rows = store::list_docs(&mut tx, coop, &filter, 1_000_000, 0)
        .await
        .map_err(|e| e.to_string())?;
    tx.commit().await.map_err(|e| e.to_string())?;
    let mut docs: Vec<_> = rows.into_iter().filter(|d| d.state == "issued").collect();
    docs.sort_by(|a, b| a.number.cmp(&b.number));
    let total = i64::try_from(docs.len()).unwrap_or(i64::MAX);
    progress(app, p.export_id, "running", 0, total, None, None).await?;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (i, d) in docs.iter().enumerate() {
        let id = SaleDocId::new(d.sale_doc_id);
        let (sale, branding) = document_in_coop(app, coop, id)
            .await
            .map_err(|e| e.to_string())?;
        let name = format!("{}.pdf", file_stem(&sale, id));
        let bytes =
            tokio::task::spawn_blocking(move || essaim_documents::sale::sale_pdf(&sale, &branding))
                .await
                .map_err(|e| e.to_string())?
                .map_err(|e| e.to_string())?;
        zip.start_file(name, options).map_err(|e| e.to_string())?;
        zip.write_all(&bytes).map_err(|e| e.to_string())?;
        let done = i64::try_from(i + 1).unwrap_or(i64::MAX);
        if done % 20 == 0 {
            progress(app, p.export_id, "running", done, total, None, None).await?;
        }
    }
    let bytes = zip.finish().map_err(|e| e.to_string())?.into_inner();
    let sha = secret::sha256_hex(&bytes);
    documents::write_file(app, &sha, &bytes)
        .await
        .map_err(|e| e.to_string())?;
    progress(app, p.export_id, "done", total, total, Some(&sha), None).await
}
