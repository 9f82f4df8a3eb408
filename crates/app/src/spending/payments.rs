//! Refunds and supplier payments by SEPA credit transfer (EXP-05: batch payment): the support
//! team picks validated reports and approved supplier invoices, Essaim writes the
//! `pain.001.001.09` file from the cooperative's account to each payee's, and once the bank has
//! executed it the batch is confirmed: reports refunded, invoices paid, both posted in the bank
//! journal. A batch not sent can be cancelled, freeing what it held.

use super::suppliers::pay_in;
use crate::{App, AppError, CoopActor, audit, books};
use essaim_domain::access::Permission;
use essaim_domain::identifiers::Iban;
use essaim_domain::ledger::account::JournalRole;
use essaim_domain::ledger::spending::{person_aux, refund_entry};
use essaim_exchange::sepa::{Batch, Transfer, write_pain001};
use essaim_storage::spending::{
    self as store, BatchRecord, NewBatch, PayableReport, SupplierInvoiceRecord, TransferItemRecord,
};
use serde_json::json;
use time::Date;

/// The cooperative's account the transfers leave from.
pub(crate) struct Debtor {
    pub name: String,
    pub iban: String,
    pub bic: Option<String>,
}

/// The SEPA batch of the chosen transfers: what each payee reads says what is paid.
pub(crate) fn batch_of(
    message_id: &str,
    created_at: &str,
    execution: Date,
    debtor: &Debtor,
    items: &[TransferItemRecord],
) -> Batch {
    Batch {
        message_id: message_id.to_owned(),
        created_at: created_at.to_owned(),
        execution_date: execution,
        debtor_name: debtor.name.clone(),
        debtor_iban: debtor.iban.clone(),
        debtor_bic: debtor.bic.clone(),
        transfers: items
            .iter()
            .map(|t| Transfer {
                end_to_end_id: t.end_to_end_id.clone(),
                amount_cents: t.amount_cents,
                creditor_name: t.payee_name.clone(),
                creditor_iban: t.iban.clone(),
                creditor_bic: t.bic.clone(),
                remittance: match t.report_id {
                    Some(_) => format!("Remboursement note de frais {}", t.end_to_end_id),
                    None => format!("Paiement facture {}", t.end_to_end_id),
                },
            })
            .collect(),
    }
}

/// A batch's message id: at most 35 characters (pain.001), the year and the sequence first, so
/// cutting a long cooperative name never makes two files alike.
pub fn message_id(year: i32, seq: i64, slug: &str) -> String {
    format!("ESS-{year}-{seq:06}-{}", slug.to_uppercase())
        .chars()
        .take(35)
        .collect()
}

/// What can be paid now.
#[derive(Clone, Debug, Default)]
pub struct Payables {
    pub reports: Vec<PayableReport>,
    pub invoices: Vec<SupplierInvoiceRecord>,
    /// The cooperative's own account is known (selling settings): a batch can be written.
    pub debtor_ready: bool,
}

pub async fn payables(app: &App, actor: &CoopActor) -> Result<Payables, AppError> {
    actor.require(Permission::ExpensePay)?;
    let mut tx = app.store.read().await?;
    let reports = store::payable_reports(&mut tx, actor.cooperative).await?;
    let invoices = store::payable_invoices(&mut tx, actor.cooperative).await?;
    let settings = crate::selling::settings_for(&mut tx, actor.cooperative).await?;
    tx.commit().await?;
    Ok(Payables {
        reports,
        invoices,
        debtor_ready: settings.iban.is_some(),
    })
}

/// The batch the support team asks for.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct BatchInput {
    pub reports: Vec<i64>,
    pub invoices: Vec<i64>,
    pub execution_date: String,
}

/// A payee's IBAN is checked again (it may have been typed before the rule existed).
fn payee_iban(iban: Option<&str>, field: &'static str) -> Result<String, AppError> {
    iban.and_then(|i| Iban::parse(i).ok())
        .map(|i| i.as_str().to_owned())
        .ok_or_else(|| AppError::field(field, "payee_iban_missing"))
}

/// Writes a batch of transfers for the chosen reports and invoices and keeps it as prepared.
pub async fn prepare(app: &App, actor: &CoopActor, input: &BatchInput) -> Result<i64, AppError> {
    actor.require(Permission::ExpensePay)?;
    let today = app.clock.today();
    let execution = match input.execution_date.trim() {
        "" => today,
        d => essaim_domain::person::parse_date(d)
            .map_err(|c| AppError::field("execution_date", c))?,
    };
    if execution < today {
        return Err(AppError::field("execution_date", "date_in_past"));
    }
    if input.reports.is_empty() && input.invoices.is_empty() {
        return Err(AppError::field("reports", "batch_empty"));
    }
    let mut tx = app.store.begin().await?;
    let coop = essaim_storage::cooperative::find(&mut tx, actor.cooperative)
        .await?
        .ok_or(AppError::NotFound("cooperative"))?;
    let settings = crate::selling::settings_for(&mut tx, actor.cooperative).await?;
    let debtor_iban = payee_iban(settings.iban.as_deref(), "debtor")
        .map_err(|_| AppError::field("debtor", "debtor_iban_missing"))?;
    let reports = store::payable_reports(&mut tx, actor.cooperative).await?;
    let invoices = store::payable_invoices(&mut tx, actor.cooperative).await?;
    let mut items: Vec<TransferItemRecord> = Vec::new();
    for id in &input.reports {
        let r = reports
            .iter()
            .find(|r| r.report_id == *id)
            .ok_or_else(|| AppError::field("reports", "not_payable"))?;
        items.push(TransferItemRecord {
            seq: 0,
            report_id: Some(r.report_id),
            supplier_invoice_id: None,
            payee_name: r.holder.clone().unwrap_or_else(|| r.person_name.clone()),
            iban: payee_iban(r.iban.as_deref(), "reports")?,
            bic: r.bic.clone(),
            amount_cents: r.refund_cents,
            end_to_end_id: super::reports::reference_of(&r.month, r.report_id),
        });
    }
    for id in &input.invoices {
        let i = invoices
            .iter()
            .find(|i| i.supplier_invoice_id == *id)
            .ok_or_else(|| AppError::field("invoices", "not_payable"))?;
        items.push(TransferItemRecord {
            seq: 0,
            report_id: None,
            supplier_invoice_id: Some(i.supplier_invoice_id),
            payee_name: i.supplier_name.clone(),
            iban: payee_iban(i.supplier_iban.as_deref(), "invoices")?,
            bic: i.supplier_bic.clone(),
            amount_cents: i.total_cents - i.paid_cents,
            end_to_end_id: format!("FF-{:06}", i.supplier_invoice_id),
        });
    }
    for (n, item) in items.iter_mut().enumerate() {
        item.seq = i64::try_from(n + 1).unwrap_or(i64::MAX);
    }
    let now = app.clock.now();
    let seq = essaim_storage::sale::next_number(
        &mut tx,
        actor.cooperative,
        &format!("sepa:{}", today.year()),
    )
    .await?;
    let message_id = message_id(today.year(), seq, &coop.slug);
    let debtor = Debtor {
        name: coop.identity.legal_name.clone(),
        iban: debtor_iban,
        bic: settings.bic.clone(),
    };
    let created_at = format!(
        "{}T{:02}:{:02}:{:02}",
        now.date(),
        now.hour(),
        now.minute(),
        now.second()
    );
    let batch = batch_of(&message_id, &created_at, execution, &debtor, &items);
    let xml = write_pain001(&batch).map_err(|_| AppError::field("reports", "batch_amount"))?;
    let total: i64 = items.iter().map(|t| t.amount_cents).sum();
    let id = store::insert_batch(
        &mut tx,
        actor.cooperative,
        &NewBatch {
            message_id: &message_id,
            execution_date: execution,
            total_cents: total,
            xml: &xml,
            items: &items,
            by: actor.user().id,
        },
        now,
    )
    .await?
    .ok_or_else(|| AppError::field("reports", "not_payable"))?;
    audit::record_in(
        &mut tx,
        app,
        actor,
        "transfer_batch.prepared",
        ("transfer_batch", id.to_string()),
        json!({ "message_id": message_id, "count": items.len(), "total_cents": total }),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn batches(app: &App, actor: &CoopActor) -> Result<Vec<BatchRecord>, AppError> {
    actor.require(Permission::ExpensePay)?;
    let mut tx = app.store.read().await?;
    let rows = store::batches(&mut tx, actor.cooperative).await?;
    tx.commit().await?;
    Ok(rows)
}

pub async fn batch(
    app: &App,
    actor: &CoopActor,
    id: i64,
) -> Result<(BatchRecord, Vec<TransferItemRecord>), AppError> {
    actor.require(Permission::ExpensePay)?;
    let mut tx = app.store.read().await?;
    let b = store::batch(&mut tx, actor.cooperative, id)
        .await?
        .ok_or(AppError::NotFound("transfer batch"))?;
    let items = store::batch_items(&mut tx, id).await?;
    tx.commit().await?;
    Ok((b, items))
}

/// The batch's file, as written when it was prepared.
pub async fn batch_file(
    app: &App,
    actor: &CoopActor,
    id: i64,
) -> Result<(String, String), AppError> {
    actor.require(Permission::ExpensePay)?;
    let mut tx = app.store.read().await?;
    let b = store::batch(&mut tx, actor.cooperative, id)
        .await?
        .ok_or(AppError::NotFound("transfer batch"))?;
    let xml = store::batch_xml(&mut tx, actor.cooperative, id)
        .await?
        .ok_or(AppError::NotFound("transfer batch"))?;
    tx.commit().await?;
    Ok((format!("{}.xml", b.message_id), xml))
}

/// The bank executed the batch: each report is refunded and each invoice paid on the execution
/// date, each posted in the bank journal.
pub async fn confirm(app: &App, actor: &CoopActor, id: i64) -> Result<(), AppError> {
    actor.require(Permission::ExpensePay)?;
    let mut tx = app.store.begin().await?;
    let b = store::batch(&mut tx, actor.cooperative, id)
        .await?
        .ok_or(AppError::NotFound("transfer batch"))?;
    let now = app.clock.now();
    if !store::close_batch(
        &mut tx,
        actor.cooperative,
        id,
        "confirmed",
        actor.user().id,
        now,
    )
    .await?
    {
        return Err(AppError::field("batch", "batch_closed"));
    }
    let on: Date = b.execution_date.min(app.clock.today());
    for item in store::batch_items(&mut tx, id).await? {
        if let Some(report) = item.report_id {
            let r = store::report(&mut tx, actor.cooperative, report)
                .await?
                .ok_or(AppError::NotFound("expense report"))?;
            if !store::set_refunded(&mut tx, actor.cooperative, report, on).await? {
                return Err(AppError::field("batch", "batch_closed"));
            }
            let reference = super::reports::reference(&r);
            books::post_in(
                &mut tx,
                actor.cooperative,
                JournalRole::Bank,
                ("expense_refund", Some(report)),
                refund_entry(
                    on,
                    &reference,
                    &person_aux(r.user_id, &r.person_name),
                    item.amount_cents,
                ),
                Some(actor.user().id),
                now,
            )
            .await?;
        } else if let Some(invoice) = item.supplier_invoice_id {
            let i = store::supplier_invoice(&mut tx, actor.cooperative, invoice)
                .await?
                .ok_or(AppError::NotFound("supplier invoice"))?;
            pay_in(
                &mut tx,
                actor.cooperative,
                &i,
                on,
                item.amount_cents,
                Some(id),
                actor.user().id,
                now,
            )
            .await?;
        }
    }
    audit::record_in(
        &mut tx,
        app,
        actor,
        "transfer_batch.confirmed",
        ("transfer_batch", id.to_string()),
        json!({ "paid_on": on.to_string() }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The batch was not sent: it is kept as cancelled and what it held can be paid again.
pub async fn cancel(app: &App, actor: &CoopActor, id: i64) -> Result<(), AppError> {
    actor.require(Permission::ExpensePay)?;
    let mut tx = app.store.begin().await?;
    store::batch(&mut tx, actor.cooperative, id)
        .await?
        .ok_or(AppError::NotFound("transfer batch"))?;
    if !store::close_batch(
        &mut tx,
        actor.cooperative,
        id,
        "cancelled",
        actor.user().id,
        app.clock.now(),
    )
    .await?
    {
        return Err(AppError::field("batch", "batch_closed"));
    }
    audit::record_in(
        &mut tx,
        app,
        actor,
        "transfer_batch.cancelled",
        ("transfer_batch", id.to_string()),
        json!({}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_ids_stay_unique_when_a_long_name_is_cut() {
        let slug = "cooperative-d-activites-et-d-emploi-du-grand-ouest";
        let a = message_id(2026, 1, slug);
        let b = message_id(2026, 2, slug);
        assert_eq!(a.chars().count(), 35);
        assert_ne!(a, b);
        assert!(a.starts_with("ESS-2026-000001-COOPERATIVE"));
    }
}
