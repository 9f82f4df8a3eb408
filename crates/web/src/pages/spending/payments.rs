//! Refunds and supplier payments: what is to pay, the SEPA batches prepared, and a batch's page
//! with its file, its confirmation and its cancellation.

use super::*;
use essaim_app::spending::payments::{self, BatchInput};
use std::collections::HashMap;

pub struct PayableRow {
    /// The tick box's name: `report_12` or `invoice_7`.
    pub name: String,
    pub href: String,
    pub payee: String,
    pub what: String,
    pub amount: String,
    /// Why it cannot be paid by transfer now (no IBAN), or empty.
    pub blocked: String,
}

pub struct BatchRow {
    pub href: String,
    pub message_id: String,
    pub execution: String,
    pub count: i64,
    pub total: String,
    pub status: String,
    pub status_code: String,
}

#[derive(Template)]
#[template(path = "spending/payments.html")]
pub struct PaymentsPage {
    pub l: Layout,
    pub payables: Vec<PayableRow>,
    pub batches: Vec<BatchRow>,
    pub debtor_ready: bool,
    pub settings_href: String,
    pub action: String,
    pub execution_date: String,
    pub errors: Errors,
    pub back: String,
}

fn batch_status(t: crate::i18n::Tr, code: &str) -> String {
    t.get(&format!("payments.status.{code}")).to_owned()
}

async fn payments_page(
    app: &App,
    page: &Page,
    coop: &CoopActor,
    execution_date: String,
    errors: Errors,
) -> PageResult {
    let t = page.layout.t;
    let slug = &coop.slug;
    let p = payments::payables(app, coop).await?;
    let batches = payments::batches(app, coop).await?;
    let valid_iban =
        |i: Option<&str>| i.is_some_and(|i| essaim_domain::identifiers::Iban::parse(i).is_ok());
    let mut payables: Vec<PayableRow> = p
        .reports
        .iter()
        .map(|r| PayableRow {
            name: format!("report_{}", r.report_id),
            href: paths::expense_report(slug, r.report_id),
            payee: r.person_name.clone(),
            what: t.fmt("payments.report", &[&month_label(t, &r.month)]),
            amount: money(r.refund_cents),
            blocked: if valid_iban(r.iban.as_deref()) {
                String::new()
            } else {
                t.get("payments.no_iban").to_owned()
            },
        })
        .collect();
    payables.extend(p.invoices.iter().map(|i| PayableRow {
        name: format!("invoice_{}", i.supplier_invoice_id),
        href: paths::supplier_invoice(slug, i.supplier_invoice_id),
        payee: i.supplier_name.clone(),
        what: t.fmt(
            "payments.invoice",
            &[&i.number, &i.due_date.map(date).unwrap_or_default()],
        ),
        amount: money(i.total_cents - i.paid_cents),
        blocked: if valid_iban(i.supplier_iban.as_deref()) {
            String::new()
        } else {
            t.get("payments.no_iban").to_owned()
        },
    }));
    Ok(render(&PaymentsPage {
        payables,
        batches: batches
            .iter()
            .map(|b| BatchRow {
                href: paths::payment_batch(slug, b.batch_id),
                message_id: b.message_id.clone(),
                execution: date(b.execution_date),
                count: b.transfer_count,
                total: money(b.total_cents),
                status: batch_status(t, &b.status),
                status_code: b.status.clone(),
            })
            .collect(),
        debtor_ready: p.debtor_ready,
        settings_href: paths::selling_settings(slug),
        action: paths::payments(slug),
        execution_date,
        errors,
        back: paths::expenses(slug),
        l: page.layout.clone(),
    }))
}

pub async fn payments(Ctx { app, coop, page }: Ctx) -> PageResult {
    let today = app.clock.today().to_string();
    payments_page(&app, &page, &coop, today, Errors::default()).await
}

/// The ticked reports and invoices (`report_12=on`, `invoice_7=on`) and the execution date.
pub async fn prepare_batch(
    Ctx { app, coop, page }: Ctx,
    Form(f): Form<HashMap<String, String>>,
) -> PageResult {
    let ids = |prefix: &str| -> Vec<i64> {
        let mut v: Vec<i64> = f
            .keys()
            .filter_map(|k| k.strip_prefix(prefix)?.parse().ok())
            .collect();
        v.sort_unstable();
        v
    };
    let input = BatchInput {
        reports: ids("report_"),
        invoices: ids("invoice_"),
        execution_date: f.get("execution_date").cloned().unwrap_or_default(),
    };
    let outcome = payments::prepare(&app, &coop, &input).await;
    forms::submit(
        &page,
        outcome,
        |id| paths::payment_batch(&coop.slug, id),
        async |errors| {
            payments_page(&app, &page, &coop, input.execution_date.clone(), errors).await
        },
    )
    .await
}

pub struct ItemRow {
    pub payee: String,
    pub iban: String,
    pub amount: String,
    pub reference: String,
    pub href: String,
}

#[derive(Template)]
#[template(path = "spending/batch.html")]
pub struct BatchPage {
    pub l: Layout,
    pub b: records::BatchRecord,
    pub status: String,
    pub execution: String,
    pub total: String,
    pub created: String,
    pub items: Vec<ItemRow>,
    pub file_href: String,
    pub confirm_action: String,
    pub cancel_action: String,
    pub errors: Errors,
    pub back: String,
}

async fn batch_page(
    app: &App,
    page: &Page,
    coop: &CoopActor,
    id: i64,
    errors: Errors,
) -> PageResult {
    let t = page.layout.t;
    let slug = &coop.slug;
    let (b, items) = payments::batch(app, coop, id).await?;
    Ok(render(&BatchPage {
        status: batch_status(t, &b.status),
        execution: date(b.execution_date),
        total: money(b.total_cents),
        created: format!(
            "{} {}",
            view::datetime(b.created_at),
            b.created_by_name.clone().unwrap_or_default()
        ),
        items: items
            .iter()
            .map(|i| ItemRow {
                payee: i.payee_name.clone(),
                iban: essaim_domain::identifiers::Iban::parse(&i.iban)
                    .map(|b| b.grouped())
                    .unwrap_or_else(|_| i.iban.clone()),
                amount: money(i.amount_cents),
                reference: i.end_to_end_id.clone(),
                href: match (i.report_id, i.supplier_invoice_id) {
                    (Some(r), _) => paths::expense_report(slug, r),
                    (None, Some(s)) => paths::supplier_invoice(slug, s),
                    _ => String::new(),
                },
            })
            .collect(),
        file_href: paths::payment_batch_file(slug, id),
        confirm_action: paths::payment_batch_confirm(slug, id),
        cancel_action: paths::payment_batch_cancel(slug, id),
        errors,
        back: paths::payments(slug),
        b,
        l: page.layout.clone(),
    }))
}

pub async fn payment_batch(Ctx { app, coop, page }: Ctx, Id(id): Id<i64>) -> PageResult {
    batch_page(&app, &page, &coop, id, Errors::default()).await
}

pub async fn payment_batch_file(Ctx { app, coop, .. }: Ctx, Id(id): Id<i64>) -> PageResult {
    let (name, xml) = payments::batch_file(&app, &coop, id).await?;
    Ok(view::download(
        &name,
        "application/xml; charset=utf-8",
        xml.into_bytes(),
    ))
}

pub async fn confirm_batch(Ctx { app, coop, page }: Ctx, Id(id): Id<i64>) -> PageResult {
    let outcome = payments::confirm(&app, &coop, id).await;
    forms::submit(
        &page,
        outcome,
        |()| paths::payment_batch(&coop.slug, id),
        async |errors| batch_page(&app, &page, &coop, id, errors).await,
    )
    .await
}

pub async fn cancel_batch(Ctx { app, coop, page }: Ctx, Id(id): Id<i64>) -> PageResult {
    let outcome = payments::cancel(&app, &coop, id).await;
    forms::submit(
        &page,
        outcome,
        |()| paths::payment_batch(&coop.slug, id),
        async |errors| batch_page(&app, &page, &coop, id, errors).await,
    )
    .await
}
