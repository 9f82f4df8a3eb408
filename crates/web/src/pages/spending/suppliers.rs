//! Supplier invoices: the list, the form (typed, or prefilled from the supplier's e-invoice),
//! an invoice's page with its approval and payments.

use super::*;
use axum::extract::Multipart;
use essaim_app::spending::reports::Upload;
use essaim_app::spending::suppliers::{self, InvoiceFile, STATUSES, SupplierPaymentInput};
use essaim_domain::spending::supplier::SupplierInvoiceInput;

pub struct InvoiceRow {
    pub href: String,
    pub date: String,
    pub supplier: String,
    pub number: String,
    pub activity: String,
    pub total: String,
    pub due: String,
    pub status: String,
    pub status_code: String,
}

#[derive(Template)]
#[template(path = "spending/suppliers.html")]
pub struct SuppliersPage {
    pub l: Layout,
    pub rows: Vec<InvoiceRow>,
    pub statuses: Vec<Choice>,
    pub may_record: bool,
    pub new_href: String,
    pub received_href: String,
    pub back: String,
    pub csv_href: String,
    pub xlsx_href: String,
    pub prev: Option<String>,
    pub next: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct InvoicesQuery {
    pub status: String,
    pub page: String,
}

impl InvoicesQuery {
    fn filter(&self) -> records::InvoiceFilter {
        records::InvoiceFilter {
            status: STATUSES
                .contains(&self.status.as_str())
                .then(|| self.status.clone()),
            ..records::InvoiceFilter::default()
        }
    }
}

fn status_label(t: crate::i18n::Tr, code: &str) -> String {
    t.get(&format!("supplier.status.{code}")).to_owned()
}

pub async fn supplier_invoices(
    Ctx { app, coop, page }: Ctx,
    Query(q): Query<InvoicesQuery>,
) -> PageResult {
    let t = page.layout.t;
    let slug = &coop.slug;
    let page_no = page_of(&q.page);
    let mut rows =
        suppliers::list(&app, &coop, q.filter(), PAGE_SIZE + 1, page_no * PAGE_SIZE).await?;
    let more = rows.len() > PAGE_SIZE as usize;
    rows.truncate(PAGE_SIZE as usize);
    let query = format!("status={}", q.status);
    let (prev, next) = pager(&paths::supplier_invoices(slug), &query, page_no, more);
    Ok(render(&SuppliersPage {
        prev,
        next,
        rows: rows
            .iter()
            .map(|i| InvoiceRow {
                href: paths::supplier_invoice(slug, i.supplier_invoice_id),
                date: date(i.issue_date),
                supplier: i.supplier_name.clone(),
                number: i.number.clone(),
                activity: i.activity_name.clone(),
                total: money(i.total_cents),
                due: i.due_date.map(date).unwrap_or_default(),
                status: status_label(t, &i.status),
                status_code: i.status.clone(),
            })
            .collect(),
        statuses: STATUSES
            .iter()
            .map(|s| Choice::new(*s, status_label(t, s), *s == q.status))
            .collect(),
        may_record: coop.access.has_any(Permission::ExpenseManage),
        new_href: paths::new_supplier_invoice(slug),
        received_href: paths::received_invoices(slug),
        back: paths::expenses(slug),
        csv_href: format!("{}?{query}", paths::supplier_invoices_export(slug, "csv")),
        xlsx_href: format!("{}?{query}", paths::supplier_invoices_export(slug, "xlsx")),
        l: page.layout.clone(),
    }))
}

pub async fn supplier_invoices_export(
    Ctx { app, coop, .. }: Ctx,
    Path((_, format)): Path<(String, String)>,
    Query(q): Query<InvoicesQuery>,
) -> PageResult {
    let rows = suppliers::list(&app, &coop, q.filter(), 100_000, 0).await?;
    let table = spending::export::supplier_invoices_table(&rows);
    view::table_file(&table, "factures-fournisseurs", &format)
}

/// The form as posted: the invoice's fields, the file kept at the prefill step, and which
/// button was pressed.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct InvoiceForm {
    #[serde(flatten)]
    pub f: SupplierInvoiceInput,
    pub kept_sha: String,
    pub kept_name: String,
    /// `prefill` (read the file) or `save`.
    pub action: String,
}

#[derive(Template)]
#[template(path = "spending/supplier_form.html")]
pub struct SupplierFormPage {
    pub l: Layout,
    pub action: String,
    pub back: String,
    pub form: InvoiceForm,
    pub activities: Vec<Choice>,
    pub categories: Vec<Choice>,
    pub errors: Errors,
    /// What reading the file said: prefilled, or why not.
    pub read_notice: String,
    pub prefilled: bool,
}

async fn form_page(
    app: &App,
    page: &Page,
    coop: &CoopActor,
    form: InvoiceForm,
    errors: Errors,
    read_notice: String,
    prefilled: bool,
) -> PageResult {
    let categories = spending::categories(app, coop).await?;
    Ok(render(&SupplierFormPage {
        action: paths::supplier_invoices(&coop.slug),
        back: paths::supplier_invoices(&coop.slug),
        activities: own_activities(app, coop, &form.f.activity).await,
        categories: category_choices(&categories, &form.f.category),
        form,
        errors,
        read_notice,
        prefilled,
        l: page.layout.clone(),
    }))
}

pub async fn new_supplier_invoice(Ctx { app, coop, page }: Ctx) -> PageResult {
    if !coop.access.has_any(Permission::ExpenseManage) {
        return Err(AppError::Forbidden.into());
    }
    form_page(
        &app,
        &page,
        &coop,
        InvoiceForm::default(),
        Errors::default(),
        String::new(),
        false,
    )
    .await
}

/// One form, two buttons: `prefill` reads the uploaded file and shows the form filled from it
/// (the file is kept by its hash for the save); `save` records the invoice.
pub async fn create_supplier_invoice(Ctx { app, coop, page }: Ctx, mp: Multipart) -> PageResult {
    let t = page.layout.t;
    let (mut form, upload): (InvoiceForm, Option<Upload>) = forms::multipart(mp, "file").await;
    if form.action == "prefill" {
        let Some(upload) = upload else {
            let errors = Errors::one("file", t.error("required"));
            let r = form_page(&app, &page, &coop, form, errors, String::new(), false).await?;
            return Ok(view::unprocessable(r));
        };
        let sha = match suppliers::keep_file(&app, &coop, &upload).await {
            Ok(sha) => sha,
            Err(AppError::Invalid(errors)) => {
                let shown = Errors::from(&errors, t);
                let r = form_page(&app, &page, &coop, form, shown, String::new(), false).await?;
                return Ok(view::unprocessable(r));
            }
            Err(e) => return Err(e.into()),
        };
        form.kept_sha = sha;
        form.kept_name = upload.name.clone();
        return match spending::prefill_supplier_invoice(&upload.bytes) {
            Ok(read) => {
                // What the person already chose stays.
                let (activity, category, description) = (
                    std::mem::take(&mut form.f.activity),
                    std::mem::take(&mut form.f.category),
                    std::mem::take(&mut form.f.description),
                );
                form.f = SupplierInvoiceInput {
                    activity,
                    category,
                    description,
                    ..read
                };
                let notice = t.get("supplier.prefilled").to_owned();
                form_page(&app, &page, &coop, form, Errors::default(), notice, true).await
            }
            Err(AppError::BadFile { code, line }) => {
                let mut notice = t.error(code);
                if let Some(line) = line {
                    notice.push_str(&format!(
                        " ({})",
                        t.fmt("supplier.at_line", &[&line.to_string()])
                    ));
                }
                form_page(&app, &page, &coop, form, Errors::default(), notice, false).await
            }
            Err(e) => Err(e.into()),
        };
    }
    let kept = (!form.kept_sha.is_empty()).then(|| (form.kept_sha.clone(), form.kept_name.clone()));
    let outcome = suppliers::record(&app, &coop, &form.f, InvoiceFile { upload, kept }).await;
    forms::submit(
        &page,
        outcome,
        |id| paths::supplier_invoice(&coop.slug, id),
        async |errors| form_page(&app, &page, &coop, form, errors, String::new(), false).await,
    )
    .await
}

#[derive(Template)]
#[template(path = "spending/supplier.html")]
pub struct SupplierInvoicePage {
    pub l: Layout,
    pub heading: String,
    pub back: String,
    pub i: records::SupplierInvoiceRecord,
    pub status: String,
    pub category: String,
    pub net: String,
    pub vat: String,
    pub total: String,
    pub paid: String,
    pub due_left: String,
    pub issue_date: String,
    pub due_date: String,
    pub iban: String,
    pub file_href: String,
    pub source: String,
    pub may_approve: bool,
    pub may_delete: bool,
    pub may_pay: bool,
    pub approve_action: String,
    pub delete_action: String,
    pub pay_action: String,
    pub pay: SupplierPaymentInput,
    pub errors: Errors,
}

async fn invoice_page(
    app: &App,
    page: &Page,
    coop: &CoopActor,
    id: i64,
    pay: Option<SupplierPaymentInput>,
    errors: Errors,
) -> PageResult {
    let t = page.layout.t;
    let slug = &coop.slug;
    let i = suppliers::show(app, coop, id).await?;
    let categories = spending::categories(app, coop).await?;
    let left = i.total_cents - i.paid_cents;
    let in_activity = coop.access.allows(
        Permission::ExpenseManage,
        Target::Activity(ActivityId::new(i.activity_id)),
    );
    Ok(render(&SupplierInvoicePage {
        heading: t.fmt("supplier.invoice_heading", &[&i.number, &i.supplier_name]),
        back: paths::supplier_invoices(slug),
        status: status_label(t, &i.status),
        category: category_label(&categories, &i.category),
        net: money(i.net_cents),
        vat: money(i.vat_cents),
        total: money(i.total_cents),
        paid: money(i.paid_cents),
        due_left: money(left),
        issue_date: date(i.issue_date),
        due_date: i.due_date.map(date).unwrap_or_default(),
        iban: i
            .supplier_iban
            .as_deref()
            .and_then(|s| essaim_domain::identifiers::Iban::parse(s).ok())
            .map(|b| b.grouped())
            .unwrap_or_default(),
        file_href: i
            .file_sha256
            .as_ref()
            .map(|_| paths::supplier_invoice_file(slug, id))
            .unwrap_or_default(),
        source: t.get(&format!("supplier.source.{}", i.source)).to_owned(),
        may_approve: i.status == "received" && coop.may(Permission::ExpenseValidate),
        may_delete: i.status == "received" && in_activity,
        may_pay: i.status == "approved"
            && i.batch_id.is_none()
            && left > 0
            && coop.may(Permission::ExpensePay),
        approve_action: paths::supplier_invoice_approve(slug, id),
        delete_action: paths::supplier_invoice_delete(slug, id),
        pay_action: paths::supplier_invoice_payments(slug, id),
        pay: pay.unwrap_or_else(|| SupplierPaymentInput {
            paid_on: app.clock.today().to_string(),
            amount: essaim_domain::money::Money::eur(left).typed_fr(),
        }),
        errors,
        i,
        l: page.layout.clone(),
    }))
}

pub async fn supplier_invoice(Ctx { app, coop, page }: Ctx, Id(id): Id<i64>) -> PageResult {
    invoice_page(&app, &page, &coop, id, None, Errors::default()).await
}

pub async fn supplier_invoice_file(Ctx { app, coop, .. }: Ctx, Id(id): Id<i64>) -> PageResult {
    let (name, content_type, bytes) = suppliers::file(&app, &coop, id).await?;
    Ok(view::private_file(&name, &content_type, bytes))
}

pub async fn approve_supplier_invoice(Ctx { app, coop, page }: Ctx, Id(id): Id<i64>) -> PageResult {
    let outcome = suppliers::approve(&app, &coop, id).await;
    forms::submit(
        &page,
        outcome,
        |()| paths::supplier_invoice(&coop.slug, id),
        async |errors| invoice_page(&app, &page, &coop, id, None, errors).await,
    )
    .await
}

pub async fn delete_supplier_invoice(Ctx { app, coop, page }: Ctx, Id(id): Id<i64>) -> PageResult {
    let outcome = suppliers::delete(&app, &coop, id).await;
    forms::submit(
        &page,
        outcome,
        |()| paths::supplier_invoices(&coop.slug),
        async |errors| invoice_page(&app, &page, &coop, id, None, errors).await,
    )
    .await
}

pub async fn pay_supplier_invoice(
    Ctx { app, coop, page }: Ctx,
    Id(id): Id<i64>,
    Form(f): Form<SupplierPaymentInput>,
) -> PageResult {
    let outcome = suppliers::record_payment(&app, &coop, id, &f).await;
    forms::submit(
        &page,
        outcome,
        |()| paths::supplier_invoice(&coop.slug, id),
        async |errors| invoice_page(&app, &page, &coop, id, Some(f), errors).await,
    )
    .await
}
