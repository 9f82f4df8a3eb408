//! The documents Essaim renders as PDF from Typst templates: the CESA contract (a cooperative may
//! replace the default template with its own, checked before it is saved) and a person's data.

use crate::{App, AppError, CoopActor, audit};
use essaim_documents::pdf;
use essaim_domain::access::Permission;
use essaim_storage::template as store;
use serde_json::{Value, json};

pub const KIND_CESA_CONTRACT: &str = "cesa_contract";

/// Renders off the async runtime (a PDF takes milliseconds of CPU).
pub async fn render(template: String, data: Value) -> Result<Vec<u8>, String> {
    tokio::task::spawn_blocking(move || pdf::render(&template, &data.to_string()))
        .await
        .map_err(|e| e.to_string())?
}

/// Data shaped like a real contract, to check a template before saving it.
pub fn sample_contract_data() -> Value {
    json!({
        "person": "Camille Martin",
        "version_title": "Contrat signé (version 1)",
        "effective_on": "01/03/2026",
        "summary": "Contrat signé",
        "cooperative": { "name": "Coopérative exemple", "mention": "SCOP SARL à capital variable — RCS Lyon 732 829 320", "address": "12 rue de la République, 69001 Lyon" },
        "clauses": [ { "title": "(a) Objectifs", "text": "2 000 € HT par mois" } ],
    })
}

/// The cooperative's contract template: its own if it saved one, the default otherwise.
pub async fn contract_template(app: &App, actor: &CoopActor) -> Result<(String, bool), AppError> {
    let mut tx = app.store.read().await?;
    let custom = store::find(&mut tx, actor.cooperative, KIND_CESA_CONTRACT).await?;
    tx.commit().await?;
    Ok(match custom {
        Some(s) => (s, true),
        None => (pdf::CESA_CONTRACT_TEMPLATE.to_owned(), false),
    })
}

/// Saves a template after rendering it once with sample data; Typst's message explains a failure.
pub async fn save_contract_template(
    app: &App,
    actor: &CoopActor,
    source: &str,
) -> Result<(), AppError> {
    actor.require(Permission::CooperativeSettings)?;
    if source.trim().is_empty() || source.len() > 100_000 {
        return Err(AppError::field("source", "template_size"));
    }
    if let Err(message) = render(source.to_owned(), sample_contract_data()).await {
        tracing::info!(%message, "template refused");
        return Err(AppError::field("source", "template_invalid"));
    }
    let mut tx = app.store.begin().await?;
    store::save(
        &mut tx,
        actor.cooperative,
        KIND_CESA_CONTRACT,
        source,
        app.clock.now(),
    )
    .await?;
    audit::record_in(
        &mut tx,
        app,
        actor,
        "template.saved",
        ("template", KIND_CESA_CONTRACT.to_owned()),
        json!({}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Goes back to Essaim's default template.
pub async fn reset_contract_template(app: &App, actor: &CoopActor) -> Result<(), AppError> {
    actor.require(Permission::CooperativeSettings)?;
    let mut tx = app.store.begin().await?;
    store::delete(&mut tx, actor.cooperative, KIND_CESA_CONTRACT).await?;
    audit::record_in(
        &mut tx,
        app,
        actor,
        "template.reset",
        ("template", KIND_CESA_CONTRACT.to_owned()),
        json!({}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Typst's own message for a template, to show beside the field after a refusal.
pub async fn template_error(source: &str) -> Option<String> {
    render(source.to_owned(), sample_contract_data())
        .await
        .err()
}
