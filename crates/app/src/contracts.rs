//! CESA contracts (LIF-20, LIF-23): the signed terms as typed clauses, then each amendment as a
//! new version recorded with its path event; the person and the support team read them.

use crate::{App, AppError, CoopActor, audit};
use essaim_domain::access::Permission;
use essaim_domain::contract::{CesaTerms, CesaTermsInput, ContractVersion, check_new_version};
use essaim_domain::ids::PersonId;
use essaim_domain::path::{Path, PathEvent, Status};
use essaim_storage::{contract as store, person};
use serde_json::json;

/// Every version of the person's contract, oldest first (readers of the file).
pub async fn history(
    app: &App,
    actor: &CoopActor,
    id: PersonId,
) -> Result<Vec<ContractVersion>, AppError> {
    let mut tx = app.store.read().await?;
    let rec = person::find(&mut tx, actor.cooperative, id)
        .await?
        .ok_or(AppError::NotFound("person"))?;
    if !(actor.may(Permission::PersonRead) || rec.user_id == Some(actor.user().id)) {
        return Err(AppError::Forbidden);
    }
    let h = store::history(&mut tx, actor.cooperative, id).await?;
    tx.commit().await?;
    Ok(h)
}

/// Records the signed terms (first version) or an amendment; an amendment is also a step of the
/// path (`cesa_amended`), in the same transaction.
pub async fn record(
    app: &App,
    actor: &CoopActor,
    id: PersonId,
    input: &CesaTermsInput,
) -> Result<u32, AppError> {
    actor.require(Permission::PersonManage)?;
    let (effective_on, summary, terms) = CesaTerms::parse(input)?;
    let mut tx = app.store.begin().await?;
    person::find(&mut tx, actor.cooperative, id)
        .await?
        .ok_or(AppError::NotFound("person"))?;
    let path = Path::new(
        person::events(&mut tx, id)
            .await?
            .into_iter()
            .map(|e| e.event)
            .collect(),
    );
    if !matches!(path.status(), Status::Cesa | Status::Associate) {
        return Err(AppError::field("effective_on", "contract_needs_cesa"));
    }
    let history = store::history(&mut tx, actor.cooperative, id).await?;
    let number =
        check_new_version(&history, effective_on).map_err(|(f, c)| AppError::field(f, c))?;
    if number > 1 {
        let event = PathEvent::CesaAmended {
            on: effective_on,
            summary: summary.clone(),
        };
        let path = path
            .record(event.clone())
            .map_err(|e| AppError::field("effective_on", e.code()))?;
        let s = path
            .summary()
            .map_err(|m| AppError::Internal(m.to_string()))?;
        person::append_event(
            &mut tx,
            id,
            &event,
            &s,
            Some(actor.user().id),
            app.clock.now(),
        )
        .await?;
    }
    let version = ContractVersion {
        number,
        effective_on,
        summary,
        terms,
    };
    store::insert(
        &mut tx,
        actor.cooperative,
        id,
        &version,
        actor.user().id,
        app.clock.now(),
    )
    .await?;
    audit::record_in(
        &mut tx,
        app,
        actor,
        if number == 1 {
            "contract.signed_terms_recorded"
        } else {
            "contract.amended"
        },
        ("person", id.to_string()),
        json!({ "version": number, "effective_on": effective_on.to_string() }),
    )
    .await?;
    tx.commit().await?;
    Ok(number)
}

/// The contract (a version, by default the one in force) as a PDF, from the cooperative's
/// template (LIF-20, LIF-23). Readers of the file may download it.
pub async fn pdf(
    app: &App,
    actor: &CoopActor,
    id: PersonId,
    version: Option<u32>,
) -> Result<(String, Vec<u8>), AppError> {
    use essaim_domain::contract::format_rate;
    let history = history(app, actor, id).await?;
    let v = match version {
        Some(n) => history.iter().find(|v| v.number == n),
        None => history.last(),
    }
    .ok_or(AppError::NotFound("contract"))?;
    let mut tx = app.store.read().await?;
    let rec = person::find(&mut tx, actor.cooperative, id)
        .await?
        .ok_or(AppError::NotFound("person"))?;
    let coop = essaim_storage::cooperative::find(&mut tx, actor.cooperative)
        .await?
        .ok_or(AppError::NotFound("cooperative"))?;
    tx.commit().await?;
    let i = &coop.identity;
    let date = |d: time::Date| format!("{:02}/{:02}/{}", d.day(), u8::from(d.month()), d.year());
    let base = match v.terms.contribution_base {
        essaim_domain::contract::ContributionBase::InvoicedExclTax => {
            "du chiffre d'affaires HT facturé"
        }
        essaim_domain::contract::ContributionBase::CollectedExclTax => {
            "du chiffre d'affaires HT encaissé"
        }
        essaim_domain::contract::ContributionBase::GrossMargin => "de la marge brute",
    };
    let t = &v.terms;
    let data = json!({
        "person": rec.details.full_name(),
        "version_title": if v.number == 1 { "Contrat signé (version 1)".to_owned() } else { format!("Avenant (version {})", v.number) },
        "effective_on": date(v.effective_on),
        "summary": v.summary,
        "cooperative": {
            "name": i.legal_name,
            "mention": i.legal_mention(),
            "address": format!("{}, {} {}", i.address.line1, i.address.postcode, i.address.city),
        },
        "clauses": [
            { "title": "(a) Objectifs et obligations minimales d'activité", "text": t.objectives },
            { "title": "(b) Moyens d'accompagnement et de contrôle", "text": t.support },
            { "title": "(c) Contribution", "text": format!("{} {base}.", format_rate(t.contribution_rate)) },
            { "title": "(d) Rémunération", "text": format!("Part fixe mensuelle brute : {}. Part variable : {}", t.fixed_monthly_gross.format_fr(), t.variable_method) },
            { "title": "(e) Statuts de référence", "text": t.statutes_reference },
            { "title": "(f) Garanties sur la clientèle et la propriété intellectuelle", "text": t.guarantees },
            { "title": "Délais et procédure pour devenir associé·e", "text": t.associate_procedure },
        ],
    });
    let (template, _) = crate::templates::contract_template(app, actor).await?;
    let bytes = crate::templates::render(template, data)
        .await
        .map_err(AppError::Internal)?;
    Ok((
        format!("contrat-cesa-{}-v{}.pdf", id.get(), v.number),
        bytes,
    ))
}
