//! Spending (issue 5): what entrepreneurs spend for their activity and the cooperative refunds
//! or pays. Expense reports with receipts and trips (`reports`), supplier invoices typed or read
//! from the supplier's e-invoice (`suppliers`, `prefill`), and the SEPA batches that refund and
//! pay them (`payments`). Every use case checks who may do it and writes in one transaction;
//! what is validated is posted in the books in the same transaction (EXP-05).

pub(crate) mod demo;
pub mod export;
pub mod payments;
pub mod prefill;
pub mod reports;
pub mod suppliers;

pub use prefill::prefill_supplier_invoice;

use crate::{AppError, CoopActor};
use essaim_domain::access::{Permission, Target};
use essaim_domain::ids::{ActivityId, CooperativeId};
use essaim_domain::spending::category::Category;
use essaim_storage::Tx;
use essaim_storage::spending::{self as store, CategoryRecord};
use rust_decimal::Decimal;

/// The cooperative's categories: those it keeps, or the defaults until it changes one.
pub(crate) async fn categories_in(
    tx: &mut Tx,
    coop: CooperativeId,
) -> Result<Vec<CategoryRecord>, AppError> {
    let stored = store::categories(tx, coop).await?;
    if !stored.is_empty() {
        return Ok(stored);
    }
    Ok(Category::defaults()
        .into_iter()
        .map(|c| CategoryRecord {
            category_id: 0,
            code: c.code,
            label: c.label,
            account: c.account,
            vat_rate: c.vat_rate.to_string(),
            archived: false,
        })
        .collect())
}

/// The category of `code` that a new line may use (not archived), or the field error.
pub(crate) fn usable<'a>(
    categories: &'a [CategoryRecord],
    code: &str,
) -> Result<&'a CategoryRecord, AppError> {
    categories
        .iter()
        .find(|c| c.code == code && !c.archived)
        .ok_or_else(|| AppError::field("category", "category_unknown"))
}

/// The charge account of a category (archived ones included: old lines keep theirs).
pub(crate) fn account_of(categories: &[CategoryRecord], code: &str) -> Result<String, AppError> {
    categories
        .iter()
        .find(|c| c.code == code)
        .map(|c| c.account.clone())
        .ok_or_else(|| AppError::Internal(format!("category {code}")))
}

/// A category's default VAT rate.
pub fn rate_of(c: &CategoryRecord) -> Decimal {
    c.vat_rate.parse().unwrap_or(Decimal::ZERO)
}

/// Fails with a field error on `activity` unless the person may record spending for it.
pub(crate) fn require_activity(actor: &CoopActor, activity: ActivityId) -> Result<(), AppError> {
    if actor
        .access
        .allows(Permission::ExpenseManage, Target::Activity(activity))
    {
        Ok(())
    } else {
        Err(AppError::field("activity", "activity_forbidden"))
    }
}

/// The expense categories (any reader of spending).
pub async fn categories(
    app: &crate::App,
    actor: &CoopActor,
) -> Result<Vec<CategoryRecord>, AppError> {
    if !actor.access.has_any(Permission::ExpenseRead)
        && !actor.access.has_any(Permission::ExpenseManage)
    {
        return Err(AppError::Forbidden);
    }
    let mut tx = app.store.read().await?;
    let list = categories_in(&mut tx, actor.cooperative).await?;
    tx.commit().await?;
    Ok(list)
}

/// Adds or changes a category (EXP-05: its account and default VAT rate). The first change
/// stores the default list with it.
pub async fn save_category(
    app: &crate::App,
    actor: &CoopActor,
    input: &essaim_domain::spending::category::CategoryInput,
) -> Result<(), AppError> {
    actor.require(Permission::ExpenseValidate)?;
    let c = input.parse()?;
    let mut tx = app.store.begin().await?;
    if store::categories(&mut tx, actor.cooperative)
        .await?
        .is_empty()
    {
        for d in Category::defaults() {
            store::save_category(
                &mut tx,
                actor.cooperative,
                &d.code,
                &d.label,
                &d.account,
                &d.vat_rate.to_string(),
                false,
            )
            .await?;
        }
    }
    store::save_category(
        &mut tx,
        actor.cooperative,
        &c.code,
        &c.label,
        &c.account,
        &c.vat_rate.to_string(),
        c.archived,
    )
    .await?;
    crate::audit::record_in(
        &mut tx,
        app,
        actor,
        "expense_category.saved",
        ("expense_category", c.code.clone()),
        serde_json::json!({ "account": c.account, "vat_rate": c.vat_rate.to_string() }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
