//! Supplier invoices: recorded for an activity by hand or from the supplier's e-invoice (the
//! file is kept by its hash), approved by a holder of `expense.validate` (posted in the purchases
//! journal, frozen), then paid by transfer (see `payments`) or recorded as paid.

use super::reports::Upload;
use super::{account_of, categories_in, require_activity, usable};
use crate::documents::{read_checked, write_file};
use crate::secret::sha256_hex;
use crate::{App, AppError, CoopActor, audit, books};
use essaim_domain::access::{Permission, Target};
use essaim_domain::ids::ActivityId;
use essaim_domain::ledger::account::JournalRole;
use essaim_domain::ledger::spending::{
    SupplierInvoiceFacts, supplier_aux, supplier_invoice_entry, supplier_payment_entry,
};
use essaim_domain::money::Money;
use essaim_domain::spending::supplier::SupplierInvoiceInput;
use essaim_storage::Tx;
use essaim_storage::spending::{
    self as store, InvoiceFilter, NewSupplierInvoice, Receipt, SupplierInvoiceRecord,
    SupplierRecord,
};
use serde_json::json;

/// What the statuses of a supplier invoice are: `received` (recorded, can be changed or deleted),
/// `approved` (checked and posted: frozen), `paid`.
pub const STATUSES: [&str; 3] = ["received", "approved", "paid"];

/// The activities whose spending the person may read: `None` for all of them.
pub fn readable_activities(actor: &CoopActor) -> Result<Option<Vec<ActivityId>>, AppError> {
    if !actor.access.has_any(Permission::ExpenseRead) {
        return Err(AppError::Forbidden);
    }
    Ok(actor.access.reach(Permission::ExpenseRead))
}

fn may_read(actor: &CoopActor, i: &SupplierInvoiceRecord) -> bool {
    actor.access.allows(
        Permission::ExpenseRead,
        Target::Activity(ActivityId::new(i.activity_id)),
    )
}

async fn readable_in(
    tx: &mut Tx,
    actor: &CoopActor,
    id: i64,
) -> Result<SupplierInvoiceRecord, AppError> {
    let i = store::supplier_invoice(tx, actor.cooperative, id)
        .await?
        .filter(|i| may_read(actor, i))
        .ok_or(AppError::NotFound("supplier invoice"))?;
    Ok(i)
}

/// The file an invoice is recorded with: kept by hash when the form sent one (a PDF, a photo or
/// the e-invoice's XML), or named by the hash the prefill step kept.
pub struct InvoiceFile {
    pub upload: Option<Upload>,
    /// The hash of a file kept by [`keep_file`] at the prefill step.
    pub kept: Option<(String, String)>,
}

/// Keeps an uploaded supplier file by its hash (before the form is reviewed) and returns the
/// hash. Accepts what a receipt accepts, plus a CII XML.
pub async fn keep_file(app: &App, actor: &CoopActor, upload: &Upload) -> Result<String, AppError> {
    if !actor.access.has_any(Permission::ExpenseManage) {
        return Err(AppError::Forbidden);
    }
    file_type(&upload.bytes)?;
    let sha = sha256_hex(&upload.bytes);
    write_file(app, &sha, &upload.bytes).await?;
    Ok(sha)
}

fn file_type(bytes: &[u8]) -> Result<&'static str, AppError> {
    let t = bytes.trim_ascii_start();
    if t.starts_with(b"<?xml") || t.starts_with(b"<rsm:") || t.starts_with(b"<CrossIndustryInvoice")
    {
        if bytes.len() > essaim_domain::document::MAX_BYTES {
            return Err(AppError::field("file", "file_too_large"));
        }
        return Ok("application/xml");
    }
    essaim_domain::spending::report::check_receipt(bytes).map_err(|c| AppError::field("file", c))
}

/// Records a supplier invoice for one of the person's activities, as received.
pub async fn record(
    app: &App,
    actor: &CoopActor,
    input: &SupplierInvoiceInput,
    file: InvoiceFile,
) -> Result<i64, AppError> {
    if !actor.access.has_any(Permission::ExpenseManage) {
        return Err(AppError::Forbidden);
    }
    let inv = input.parse()?;
    require_activity(actor, inv.activity)?;
    // The file: sent now, or kept at the prefill step (read back and checked against its hash).
    let (bytes, name) = match (file.upload, file.kept) {
        (Some(u), _) if !u.bytes.is_empty() => (Some(u.bytes), u.name),
        (_, Some((sha, name))) if sha.len() == 64 && sha.bytes().all(|b| b.is_ascii_hexdigit()) => {
            let bytes = read_checked(app, &sha, "a kept supplier file")
                .await
                .map_err(|_| AppError::field("file", "file_lost"))?;
            (Some(bytes), name)
        }
        _ => (None, String::new()),
    };
    let kept = match &bytes {
        Some(b) => {
            let content_type = file_type(b)?;
            let sha = sha256_hex(b);
            write_file(app, &sha, b).await?;
            Some((
                sha,
                content_type,
                i64::try_from(b.len()).unwrap_or(i64::MAX),
            ))
        }
        None => None,
    };
    // Where the figures came from: the supplier's e-invoice when the file carries one.
    let source = match &bytes {
        Some(b) if super::prefill_supplier_invoice(b).is_ok() => {
            if b.starts_with(b"%PDF") {
                "facturx"
            } else {
                "cii"
            }
        }
        Some(_) => "file",
        None => "typed",
    };
    let name: String = name.chars().filter(|c| !c.is_control()).take(120).collect();
    let mut tx = app.store.begin().await?;
    let id = record_in(&mut tx, app, actor, &inv, kept, &name, source).await?;
    tx.commit().await?;
    Ok(id)
}

/// Records a checked supplier invoice inside `tx`, its file already kept (hash, type, size). The
/// caller checked that the person may record it for its activity.
pub(crate) async fn record_in(
    tx: &mut Tx,
    app: &App,
    actor: &CoopActor,
    inv: &essaim_domain::spending::supplier::SupplierInvoice,
    kept: Option<(String, &'static str, i64)>,
    name: &str,
    source: &str,
) -> Result<i64, AppError> {
    let categories = categories_in(tx, actor.cooperative).await?;
    usable(&categories, &inv.category)?;
    let now = app.clock.now();
    let supplier = store::supplier_for(
        tx,
        actor.cooperative,
        &SupplierRecord {
            supplier_id: 0,
            name: inv.supplier_name.clone(),
            siren: inv.supplier_siren.as_ref().map(|s| s.as_str().to_owned()),
            vat_number: inv
                .supplier_vat_number
                .as_ref()
                .map(|v| v.as_str().to_owned()),
            iban: inv.supplier_iban.as_ref().map(|i| i.as_str().to_owned()),
            bic: inv.supplier_bic.clone(),
        },
        now,
    )
    .await?;
    let id = store::insert_supplier_invoice(
        tx,
        actor.cooperative,
        &NewSupplierInvoice {
            supplier,
            activity: inv.activity,
            category: &inv.category,
            number: &inv.number,
            issue_date: inv.issue_date,
            due_date: inv.due_date,
            net_cents: inv.net.cents(),
            vat_cents: inv.vat.cents(),
            total_cents: inv.total.cents(),
            description: inv.description.as_deref(),
            source,
            file: kept.as_ref().map(|(sha, ct, size)| Receipt {
                sha256: sha,
                content_type: ct,
                name,
                size: *size,
            }),
            by: actor.user().id,
        },
        now,
    )
    .await?
    .ok_or_else(|| AppError::field("number", "supplier_invoice_duplicate"))?;
    audit::record_in(
        tx,
        app,
        actor,
        "supplier_invoice.recorded",
        ("supplier_invoice", id.to_string()),
        json!({ "supplier": supplier, "number": inv.number, "total_cents": inv.total.cents(), "source": source }),
    )
    .await?;
    Ok(id)
}

pub async fn show(
    app: &App,
    actor: &CoopActor,
    id: i64,
) -> Result<SupplierInvoiceRecord, AppError> {
    let mut tx = app.store.read().await?;
    let i = readable_in(&mut tx, actor, id).await?;
    tx.commit().await?;
    Ok(i)
}

pub async fn list(
    app: &App,
    actor: &CoopActor,
    mut filter: InvoiceFilter,
    limit: i64,
    offset: i64,
) -> Result<Vec<SupplierInvoiceRecord>, AppError> {
    filter.activities = readable_activities(actor)?;
    let mut tx = app.store.read().await?;
    let rows = store::supplier_invoices(&mut tx, actor.cooperative, &filter, limit, offset).await?;
    tx.commit().await?;
    Ok(rows)
}

/// The invoice's file and its bytes (checked against the hash), for its readers.
pub async fn file(
    app: &App,
    actor: &CoopActor,
    id: i64,
) -> Result<(String, String, Vec<u8>), AppError> {
    let i = show(app, actor, id).await?;
    let (Some(sha), Some(ct)) = (i.file_sha256, i.file_type) else {
        return Err(AppError::NotFound("file"));
    };
    let bytes = read_checked(app, &sha, &format!("the file of supplier invoice {id}")).await?;
    Ok((i.file_name.unwrap_or_default(), ct, bytes))
}

/// Deletes an invoice recorded by mistake, while it is not approved.
pub async fn delete(app: &App, actor: &CoopActor, id: i64) -> Result<(), AppError> {
    let mut tx = app.store.begin().await?;
    let i = readable_in(&mut tx, actor, id).await?;
    require_activity(actor, ActivityId::new(i.activity_id)).map_err(|_| AppError::Forbidden)?;
    if !store::delete_supplier_invoice(&mut tx, actor.cooperative, id).await? {
        return Err(AppError::field("invoice", "supplier_invoice_frozen"));
    }
    audit::record_in(
        &mut tx,
        app,
        actor,
        "supplier_invoice.deleted",
        ("supplier_invoice", id.to_string()),
        json!({ "number": i.number }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Approves a received invoice: posted in the purchases journal (ACC 5.2), frozen (GEN-03).
pub async fn approve(app: &App, actor: &CoopActor, id: i64) -> Result<(), AppError> {
    let mut tx = app.store.begin().await?;
    approve_in(&mut tx, app, actor, id).await?;
    tx.commit().await?;
    Ok(())
}

/// [`approve`] inside `tx`.
pub(crate) async fn approve_in(
    tx: &mut Tx,
    app: &App,
    actor: &CoopActor,
    id: i64,
) -> Result<(), AppError> {
    actor.require(Permission::ExpenseValidate)?;
    let i = readable_in(tx, actor, id).await?;
    if i.status != "received" {
        return Err(AppError::field("invoice", "supplier_invoice_frozen"));
    }
    let categories = categories_in(tx, actor.cooperative).await?;
    let account = account_of(&categories, &i.category)?;
    let now = app.clock.now();
    let facts = SupplierInvoiceFacts {
        approved_on: now.date(),
        issue_date: i.issue_date,
        number: i.number.clone(),
        supplier: supplier_aux(i.supplier_id, &i.supplier_name),
        account,
        analytic: i.analytic_code.clone(),
        net_cents: i.net_cents,
        vat_cents: i.vat_cents,
    };
    let entry = books::post_in(
        tx,
        actor.cooperative,
        JournalRole::Purchases,
        ("supplier_invoice", Some(id)),
        supplier_invoice_entry(&facts),
        Some(actor.user().id),
        now,
    )
    .await?;
    if !store::approve_supplier_invoice(tx, actor.cooperative, id, actor.user().id, entry, now)
        .await?
    {
        return Err(AppError::field("invoice", "supplier_invoice_frozen"));
    }
    audit::record_in(
        tx,
        app,
        actor,
        "supplier_invoice.approved",
        ("supplier_invoice", id.to_string()),
        json!({ "entry": entry }),
    )
    .await?;
    Ok(())
}

/// A payment to a supplier made outside a SEPA batch (a card, a direct debit), as typed.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct SupplierPaymentInput {
    pub paid_on: String,
    pub amount: String,
}

/// Records a payment to the supplier of an approved invoice (posted in the bank journal).
pub async fn record_payment(
    app: &App,
    actor: &CoopActor,
    id: i64,
    input: &SupplierPaymentInput,
) -> Result<(), AppError> {
    actor.require(Permission::ExpensePay)?;
    let mut e = essaim_domain::FieldErrors::new();
    let on = e.check("paid_on", essaim_domain::person::parse_date(&input.paid_on));
    let amount = e.check("amount", Money::parse_eur(&input.amount));
    let (Some(on), Some(amount)) = (on, amount) else {
        return Err(e.into());
    };
    if on > app.clock.today() {
        return Err(AppError::field("paid_on", "date_in_future"));
    }
    let mut tx = app.store.begin().await?;
    let i = readable_in(&mut tx, actor, id).await?;
    if i.status != "approved" || i.batch_id.is_some() {
        return Err(AppError::field("invoice", "supplier_invoice_not_payable"));
    }
    let due = i.total_cents - i.paid_cents;
    if amount.cents() <= 0 || amount.cents() > due {
        return Err(AppError::field("amount", "payment_over_due"));
    }
    pay_in(
        &mut tx,
        actor.cooperative,
        &i,
        on,
        amount.cents(),
        None,
        actor.user().id,
        app.clock.now(),
    )
    .await?;
    audit::record_in(
        &mut tx,
        app,
        actor,
        "supplier_invoice.paid",
        ("supplier_invoice", id.to_string()),
        json!({ "amount_cents": amount.cents(), "paid_on": on.to_string() }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Posts and records a payment of `cents` to the supplier of `i`.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn pay_in(
    tx: &mut Tx,
    coop: essaim_domain::ids::CooperativeId,
    i: &SupplierInvoiceRecord,
    on: time::Date,
    cents: i64,
    batch: Option<i64>,
    by: essaim_domain::ids::UserId,
    now: time::OffsetDateTime,
) -> Result<(), AppError> {
    let entry = books::post_in(
        tx,
        coop,
        JournalRole::Bank,
        ("supplier_payment", Some(i.supplier_invoice_id)),
        supplier_payment_entry(
            on,
            &i.number,
            &supplier_aux(i.supplier_id, &i.supplier_name),
            &i.analytic_code,
            cents,
        ),
        Some(by),
        now,
    )
    .await?;
    store::insert_supplier_payment(
        tx,
        coop,
        i.supplier_invoice_id,
        on,
        cents,
        batch,
        entry,
        by,
        now,
    )
    .await?;
    Ok(())
}
