//! Sale documents: the lists of quotes and invoices (an activity's or the cooperative's), the
//! draft form with its lines, the document page with its actions (validate, send, accept,
//! deposit, final invoice, credit note, payment), the PDF and XML downloads, the ageing of
//! receivables, and the public page where a customer accepts a quote.

use crate::error::{PageResult, render};
use crate::extract::Coop;
use crate::paths;
use crate::state::AppState;
use crate::view::{
    Choice, Errors, Layout, Page, datetime, download, money, price_text, stored_price,
    unprocessable,
};
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect};
use essaim_app::records::{DocFilter, DocRecord};
use essaim_app::selling::docs::{self, DocInput, PaymentInput, SaleView};
use essaim_app::selling::{self, render as sale_render};
use essaim_app::{AppError, CoopActor, activities};
use essaim_domain::access::{Permission, Target};
use essaim_domain::ids::{ActivityId, CatalogItemId, CustomerId, SaleDocId};
use essaim_domain::money::Money;
use essaim_domain::selling::payment::PaymentMode;
use essaim_domain::selling::terms::fr_date;
use essaim_domain::selling::{DisplayStatus, DocKind, LineInput, unit, vat};
use serde::Deserialize;
use std::future::Future;

fn kind_label(t: crate::i18n::Tr, kind: &str) -> String {
    t.get(&format!("sale_kind.{kind}")).to_owned()
}

fn status_label(t: crate::i18n::Tr, s: DisplayStatus) -> String {
    t.get(&format!("sale_status.{}", s.code())).to_owned()
}

// ---------------------------------------------------------------------------------------------
// Lists

pub const PAGE_SIZE: i64 = 50;

#[derive(Clone, Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub activity: String,
    #[serde(default)]
    pub customer: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub min: String,
    #[serde(default)]
    pub max: String,
    pub page: Option<i64>,
}

impl ListQuery {
    fn query_string(&self, page: Option<i64>) -> String {
        let mut pairs = vec![
            ("q", self.q.clone()),
            ("status", self.status.clone()),
            ("activity", self.activity.clone()),
            ("customer", self.customer.clone()),
            ("from", self.from.clone()),
            ("to", self.to.clone()),
            ("min", self.min.clone()),
            ("max", self.max.clone()),
        ];
        if let Some(p) = page {
            pairs.push(("page", p.to_string()));
        }
        pairs.retain(|(_, v)| !v.is_empty());
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    }

    /// The filter; a malformed value is an error beside its field.
    pub fn filter(&self, quotes: bool) -> Result<DocFilter, AppError> {
        let mut e = essaim_domain::FieldErrors::new();
        let date = |e: &mut essaim_domain::FieldErrors, field: &'static str, v: &str| {
            if v.trim().is_empty() {
                None
            } else {
                e.check(field, essaim_domain::person::parse_date(v))
            }
        };
        let amount = |e: &mut essaim_domain::FieldErrors, field: &'static str, v: &str| {
            if v.trim().is_empty() {
                None
            } else {
                e.check(field, Money::parse_eur(v)).map(|m| m.cents())
            }
        };
        let from = date(&mut e, "from", &self.from);
        let to = date(&mut e, "to", &self.to);
        let min_cents = amount(&mut e, "min", &self.min);
        let max_cents = amount(&mut e, "max", &self.max);
        let statuses: &[&str] = if quotes {
            &["draft", "sent", "accepted", "refused", "expired"]
        } else {
            &[
                "draft",
                "issued",
                "partly_paid",
                "paid",
                "cancelled",
                "overdue",
                "unpaid",
            ]
        };
        let status = if self.status.is_empty() {
            None
        } else if statuses.contains(&self.status.as_str()) {
            Some(self.status.clone())
        } else {
            e.add("status", "status_unknown");
            None
        };
        if !e.is_empty() {
            return Err(e.into());
        }
        Ok(DocFilter {
            kinds: if quotes {
                vec!["quote".into()]
            } else {
                vec!["invoice".into(), "deposit".into(), "credit_note".into()]
            },
            activity: self.activity.parse().ok().map(ActivityId::new),
            customer: self.customer.parse().ok().map(CustomerId::new),
            status,
            from,
            to,
            min_cents,
            max_cents,
            search: Some(self.q.clone()).filter(|s| !s.trim().is_empty()),
            ..DocFilter::default()
        })
    }
}

pub struct DocRow {
    pub href: String,
    pub number: String,
    pub kind: String,
    pub date: String,
    pub customer: String,
    pub activity: String,
    pub ht: String,
    pub ttc: String,
    pub status: String,
    pub overdue: bool,
}

fn doc_row(t: crate::i18n::Tr, slug: &str, d: &DocRecord, today: time::Date) -> DocRow {
    DocRow {
        href: paths::sale(slug, d.sale_doc_id),
        number: d
            .number
            .clone()
            .unwrap_or_else(|| t.get("sales.draft_no_number").to_owned()),
        kind: kind_label(t, &d.kind),
        date: fr_date(d.doc_date),
        customer: d.customer_name.clone(),
        activity: d.activity_name.clone(),
        ht: money(d.tax_basis_cents),
        ttc: money(d.grand_total_cents),
        status: status_label(t, docs::status_of(d, today)),
        overdue: docs::is_overdue(d, today),
    }
}

#[derive(Template)]
#[template(path = "sales/list.html")]
pub struct ListPage {
    pub l: Layout,
    pub heading: String,
    pub quotes: bool,
    pub rows: Vec<DocRow>,
    pub count: i64,
    pub total_ht: String,
    pub total_ttc: String,
    pub outstanding: String,
    pub q: ListQuery,
    pub errors: Errors,
    pub statuses: Vec<Choice>,
    pub activities: Vec<Choice>,
    pub new_links: Vec<(String, String)>,
    pub prev: Option<String>,
    pub next: Option<String>,
    pub csv_href: String,
    pub xlsx_href: String,
    pub receivables_href: String,
    pub archives_href: String,
}

pub async fn invoices(
    coop: Coop,
    state: State<AppState>,
    page: Page,
    q: Query<ListQuery>,
) -> PageResult {
    list(coop, state, page, q, false).await
}
pub async fn quotes(
    coop: Coop,
    state: State<AppState>,
    page: Page,
    q: Query<ListQuery>,
) -> PageResult {
    list(coop, state, page, q, true).await
}

async fn list(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Query(q): Query<ListQuery>,
    quotes: bool,
) -> PageResult {
    let t = page.layout.t;
    let today = state.app.clock.today();
    let n = q.page.unwrap_or(0).max(0);
    let (filter, errors) = match q.filter(quotes) {
        Ok(f) => (f, Errors::default()),
        Err(AppError::Invalid(e)) => (ListQuery::default().filter(quotes)?, Errors::from(&e, t)),
        Err(e) => return Err(e.into()),
    };
    let (rows, totals) = docs::list(&state.app, &coop, filter, PAGE_SIZE, n * PAGE_SIZE).await?;
    let acts = activities::names(&state.app, &coop)
        .await
        .unwrap_or_default();
    let base = if quotes {
        paths::quotes(&coop.slug)
    } else {
        paths::invoices(&coop.slug)
    };
    let statuses: &[&str] = if quotes {
        &["draft", "sent", "accepted", "refused", "expired"]
    } else {
        &[
            "draft",
            "issued",
            "partly_paid",
            "paid",
            "cancelled",
            "overdue",
            "unpaid",
        ]
    };
    let kind = if quotes { "quote" } else { "invoice" };
    let new_links = acts
        .iter()
        .filter(|a| {
            coop.access
                .allows(Permission::SaleManage, Target::Activity(a.0))
        })
        .map(|a| {
            (
                paths::new_sale(&coop.slug, kind, a.0.get()),
                t.fmt(
                    if quotes {
                        "sales.new_quote_for"
                    } else {
                        "sales.new_invoice_for"
                    },
                    &[a.1.as_str()],
                ),
            )
        })
        .collect();
    let export = |fmt: &str| {
        format!(
            "{}?{}",
            paths::sales_export(&coop.slug, if quotes { "quotes" } else { "invoices" }, fmt),
            q.query_string(None)
        )
    };
    Ok(render(&ListPage {
        heading: t
            .get(if quotes {
                "sales.quotes"
            } else {
                "sales.invoices"
            })
            .to_owned(),
        quotes,
        rows: rows
            .iter()
            .map(|d| doc_row(t, &coop.slug, d, today))
            .collect(),
        count: totals.count,
        total_ht: money(totals.tax_basis_cents),
        total_ttc: money(totals.grand_total_cents),
        outstanding: money(totals.outstanding_cents),
        errors,
        statuses: statuses
            .iter()
            .map(|s| Choice {
                value: (*s).into(),
                label: t.get(&format!("sale_status.{s}")).into(),
                selected: q.status == *s,
            })
            .collect(),
        activities: acts
            .iter()
            .map(|a| Choice {
                value: a.0.get().to_string(),
                label: a.1.clone(),
                selected: q.activity == a.0.get().to_string(),
            })
            .collect(),
        new_links,
        prev: (n > 0).then(|| format!("{base}?{}", q.query_string(Some(n - 1)))),
        next: ((n + 1) * PAGE_SIZE < totals.count)
            .then(|| format!("{base}?{}", q.query_string(Some(n + 1)))),
        csv_href: export("csv"),
        xlsx_href: export("xlsx"),
        receivables_href: paths::receivables(&coop.slug),
        archives_href: paths::archives(&coop.slug),
        q,
        l: page.layout.clone(),
    }))
}

pub async fn export(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Path((_, which, format)): Path<(String, String, String)>,
    Query(q): Query<ListQuery>,
) -> PageResult {
    use essaim_app::exports::{Table, to_csv, to_xlsx};
    let t = page.layout.t;
    let today = state.app.clock.today();
    let quotes = match which.as_str() {
        "quotes" => true,
        "invoices" => false,
        _ => return Err(AppError::NotFound("export").into()),
    };
    let (rows, _) = docs::list(&state.app, &coop, q.filter(quotes)?, 100_000, 0).await?;
    let table = Table {
        sheet: t
            .get(if quotes {
                "sales.quotes"
            } else {
                "sales.invoices"
            })
            .into(),
        header: [
            "sales.number",
            "sales.kind",
            "sales.date",
            "sales.customer",
            "sales.activity",
            "sales.total_ht",
            "sales.total_vat",
            "sales.total_ttc",
            "sales.paid",
            "sales.status",
            "sales.due_date",
        ]
        .iter()
        .map(|k| t.get(k).to_owned())
        .collect(),
        rows: rows
            .iter()
            .map(|d| {
                let dec = |c: i64| Money::eur(c).decimal();
                vec![
                    d.number.clone().unwrap_or_default(),
                    kind_label(t, &d.kind),
                    d.doc_date.to_string(),
                    d.customer_name.clone(),
                    d.activity_name.clone(),
                    dec(d.tax_basis_cents),
                    dec(d.tax_total_cents),
                    dec(d.grand_total_cents),
                    dec(d.paid_cents),
                    status_label(t, docs::status_of(d, today)),
                    d.due_date.map(|x| x.to_string()).unwrap_or_default(),
                ]
            })
            .collect(),
    };
    let name = format!("{which}-{}", coop.slug);
    Ok(match format.as_str() {
        "csv" => download(
            &format!("{name}.csv"),
            "text/csv; charset=utf-8",
            to_csv(&table).into_bytes(),
        ),
        "xlsx" => download(
            &format!("{name}.xlsx"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            to_xlsx(&table).map_err(AppError::Internal)?,
        ),
        _ => return Err(AppError::NotFound("export").into()),
    })
}

#[derive(Template)]
#[template(path = "sales/receivables.html")]
pub struct ReceivablesPage {
    pub l: Layout,
    pub rows: Vec<(String, String, Vec<String>, String)>,
    pub totals: Vec<String>,
    pub not_due_total: String,
}

/// Receivables by activity and age (issue 4, point 7).
pub async fn receivables(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
) -> PageResult {
    let rows = docs::ageing(&state.app, &coop).await?;
    let mut totals = [0i64; 4];
    let mut not_due = 0;
    for r in &rows {
        for (i, v) in r.buckets.iter().enumerate() {
            totals[i] += v;
        }
        not_due += r.not_due_cents;
    }
    Ok(render(&ReceivablesPage {
        rows: rows
            .iter()
            .map(|r| {
                (
                    r.activity_name.clone(),
                    format!(
                        "{}?activity={}&status=overdue",
                        paths::invoices(&coop.slug),
                        r.activity_id
                    ),
                    r.buckets.iter().map(|c| money(*c)).collect(),
                    money(r.not_due_cents),
                )
            })
            .collect(),
        totals: totals.iter().map(|c| money(*c)).collect(),
        not_due_total: money(not_due),
        l: page.layout.clone(),
    }))
}

// ---------------------------------------------------------------------------------------------
// The draft form

pub struct LineView {
    pub index: usize,
    pub section: bool,
    pub label: String,
    pub description: String,
    pub quantity: String,
    pub units: Vec<Choice>,
    pub unit_price: String,
    pub vats: Vec<Choice>,
    pub discount: String,
    pub goods: bool,
    pub errors: Vec<(String, String)>,
}

impl LineView {
    pub fn error(&self, field: &str) -> &str {
        self.errors
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
            .unwrap_or("")
    }
}

#[derive(Template)]
#[template(path = "sales/form.html")]
pub struct FormPage {
    pub l: Layout,
    pub heading: String,
    pub action: String,
    pub quote: bool,
    pub f: FormValues,
    pub customers: Vec<Choice>,
    pub new_customer_href: String,
    pub lines: Vec<LineView>,
    pub catalog: Vec<Choice>,
    pub errors: Errors,
    pub notice: Option<String>,
}

#[derive(Clone, Debug, Default)]
pub struct FormValues {
    pub customer_id: String,
    pub doc_date: String,
    pub valid_until: String,
    pub delivery_date: String,
    pub purchase_order: String,
    pub ttc: bool,
    pub overall_discount: String,
    pub notes: String,
    pub payment_days: String,
    pub payment_end_of_month: bool,
}

/// Reads the flat form: head fields, then `l{i}.label`, `l{i}.quantity`… for `i < rows`.
fn read_form(pairs: &[(String, String)]) -> (DocInput, String, String) {
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let rows: usize = get("rows").parse().unwrap_or(0).min(500);
    let mut lines = Vec::new();
    for i in 0..rows {
        let f = |name: &str| get(&format!("l{i}.{name}"));
        let line = LineInput {
            kind: if f("kind") == "section" {
                "section".into()
            } else {
                "item".into()
            },
            label: f("label"),
            description: f("description"),
            quantity: f("quantity"),
            unit: f("unit"),
            unit_price: f("unit_price"),
            vat: f("vat"),
            discount: f("discount"),
            goods: f("goods") == "on",
        };
        // A row left as offered (quantity 1, no label, no price) is not a line.
        let blank = line.label.trim().is_empty()
            && line.unit_price.trim().is_empty()
            && line.description.trim().is_empty();
        if !blank {
            lines.push(line);
        }
    }
    (
        DocInput {
            customer_id: get("customer_id"),
            doc_date: get("doc_date"),
            valid_until: get("valid_until"),
            delivery_date: get("delivery_date"),
            purchase_order: get("purchase_order"),
            price_basis: get("price_basis"),
            overall_discount: get("overall_discount"),
            notes: get("notes"),
            payment_days: get("payment_days"),
            payment_end_of_month: get("payment_end_of_month") == "on",
            lines,
        },
        get("action"),
        get("catalog_item"),
    )
}

fn values_of(i: &DocInput) -> FormValues {
    FormValues {
        customer_id: i.customer_id.clone(),
        doc_date: i.doc_date.clone(),
        valid_until: i.valid_until.clone(),
        delivery_date: i.delivery_date.clone(),
        purchase_order: i.purchase_order.clone(),
        ttc: i.price_basis == "ttc",
        overall_discount: i.overall_discount.clone(),
        notes: i.notes.clone(),
        payment_days: i.payment_days.clone(),
        payment_end_of_month: i.payment_end_of_month,
    }
}

#[allow(clippy::too_many_arguments)]
async fn form_page(
    state: &AppState,
    page: &Page,
    coop: &CoopActor,
    activity: ActivityId,
    kind: DocKind,
    heading: String,
    action: String,
    input: &DocInput,
    blank_rows: usize,
    errors: &essaim_domain::FieldErrors,
    notice: Option<String>,
) -> PageResult {
    let t = page.layout.t;
    let today = state.app.clock.today();
    let customers = selling::customers(&state.app, coop, "").await?;
    let catalog = selling::items(&state.app, coop, activity, false).await?;
    let vat_options = vat::offered(today, true);
    let line_view = |index: usize, l: &LineInput| LineView {
        index,
        section: l.kind == "section",
        label: l.label.clone(),
        description: l.description.clone(),
        quantity: l.quantity.clone(),
        units: unit::UNITS
            .iter()
            .map(|u| Choice {
                value: u.code.into(),
                label: u.singular.into(),
                selected: l.unit == u.code,
            })
            .collect(),
        unit_price: l.unit_price.clone(),
        vats: vat_options
            .iter()
            .map(|v| Choice {
                value: v.code.into(),
                label: v.label.into(),
                selected: l.vat == v.code,
            })
            .collect(),
        discount: l.discount.clone(),
        goods: l.goods,
        errors: errors
            .0
            .iter()
            .filter(|e| e.row == Some(index))
            .map(|e| (e.field.to_owned(), t.error(e.code)))
            .collect(),
    };
    let mut lines: Vec<LineView> = input
        .lines
        .iter()
        .enumerate()
        .map(|(i, l)| line_view(i, l))
        .collect();
    for _ in 0..blank_rows {
        let i = lines.len();
        lines.push(line_view(
            i,
            &LineInput {
                quantity: "1".into(),
                unit: "HUR".into(),
                vat: "fr20".into(),
                ..LineInput::default()
            },
        ));
    }
    Ok(render(&FormPage {
        heading,
        action,
        quote: kind == DocKind::Quote,
        f: values_of(input),
        customers: customers
            .iter()
            .filter(|c| c.activity_id == activity.get() || c.shared)
            .map(|c| Choice {
                value: c.customer_id.to_string(),
                label: c.name.clone(),
                selected: input.customer_id == c.customer_id.to_string(),
            })
            .collect(),
        new_customer_href: format!(
            "{}?activity={}",
            paths::new_customer(&coop.slug),
            activity.get()
        ),
        lines,
        catalog: catalog
            .iter()
            .map(|i| Choice {
                value: i.catalog_item_id.to_string(),
                label: format!(
                    "{} — {} € HT / {}",
                    i.label,
                    stored_price(&i.unit_price),
                    unit::parse_unit(&i.unit).map(|u| u.singular).unwrap_or("")
                ),
                selected: false,
            })
            .collect(),
        errors: Errors::from(errors, t),
        notice,
        l: page.layout.clone(),
    }))
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct NewQuery {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub activity: String,
}

pub async fn new(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Query(q): Query<NewQuery>,
) -> PageResult {
    // Without a kind and an activity (an old bookmark), the lists offer the right buttons.
    let (Some(kind), Ok(activity)) = (
        DocKind::parse(&q.kind).filter(|k| matches!(k, DocKind::Quote | DocKind::Invoice)),
        q.activity.parse::<i64>(),
    ) else {
        return Ok(Redirect::to(&paths::invoices(&coop.slug)).into_response());
    };
    let activity = ActivityId::new(activity);
    if !coop
        .access
        .allows(Permission::SaleManage, Target::Activity(activity))
    {
        return Err(AppError::Forbidden.into());
    }
    let today = state.app.clock.today();
    let input = DocInput {
        doc_date: today.to_string(),
        valid_until: (today + time::Duration::days(30)).to_string(),
        ..DocInput::default()
    };
    let t = page.layout.t;
    form_page(
        &state,
        &page,
        &coop,
        activity,
        kind,
        t.get(if kind == DocKind::Quote {
            "sales.new_quote"
        } else {
            "sales.new_invoice"
        })
        .into(),
        format!(
            "{}?kind={}&activity={}",
            paths::new_sale_post(&coop.slug),
            kind.code(),
            activity.get()
        ),
        &input,
        3,
        &essaim_domain::FieldErrors::new(),
        None,
    )
    .await
}

/// Handles the form buttons that do not save: more blank lines, a line from the catalogue.
async fn form_action(
    state: &AppState,
    coop: &CoopActor,
    action: &str,
    catalog_item: &str,
    input: &mut DocInput,
) -> Result<Option<usize>, AppError> {
    match action {
        "more" => Ok(Some(3)),
        "add_item" => {
            if let Ok(id) = catalog_item.parse::<i64>() {
                let item = selling::item(&state.app, coop, CatalogItemId::new(id)).await?;
                input.lines.push(LineInput {
                    kind: "item".into(),
                    label: item.label,
                    description: item.description.unwrap_or_default(),
                    quantity: "1".into(),
                    unit: item.unit,
                    unit_price: stored_price(&item.unit_price),
                    vat: item.vat_code,
                    discount: String::new(),
                    goods: item.goods,
                });
            }
            Ok(Some(1))
        }
        _ => Ok(None),
    }
}

pub async fn create(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Query(q): Query<NewQuery>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let kind = DocKind::parse(&q.kind).ok_or(AppError::NotFound("kind"))?;
    let activity = ActivityId::new(
        q.activity
            .parse()
            .map_err(|_| AppError::NotFound("activity"))?,
    );
    let (mut input, action, item) = read_form(&pairs);
    let t = page.layout.t;
    let heading: String = t
        .get(if kind == DocKind::Quote {
            "sales.new_quote"
        } else {
            "sales.new_invoice"
        })
        .into();
    let post = format!(
        "{}?kind={}&activity={}",
        paths::new_sale_post(&coop.slug),
        kind.code(),
        activity.get()
    );
    if let Some(blank) = form_action(&state, &coop, &action, &item, &mut input).await? {
        return form_page(
            &state,
            &page,
            &coop,
            activity,
            kind,
            heading,
            post,
            &input,
            blank,
            &essaim_domain::FieldErrors::new(),
            None,
        )
        .await;
    }
    match docs::create(&state.app, &coop, activity, kind, &input).await {
        Ok(id) => Ok(Redirect::to(&paths::sale(&coop.slug, id.get())).into_response()),
        Err(AppError::Invalid(errors)) => form_page(
            &state,
            &page,
            &coop,
            activity,
            kind,
            heading,
            post,
            &input,
            0,
            &errors,
            Some(t.get("form.has_errors").into()),
        )
        .await
        .map(unprocessable),
        Err(e) => Err(e.into()),
    }
}

pub async fn edit(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Path((_, id)): Path<(String, i64)>,
) -> PageResult {
    let v = docs::view(&state.app, &coop, SaleDocId::new(id)).await?;
    if !v.may_edit {
        return Err(AppError::Forbidden.into());
    }
    let input = DocInput {
        customer_id: v.doc.customer_id.to_string(),
        doc_date: v.doc.doc_date.to_string(),
        valid_until: v.doc.valid_until.map(|d| d.to_string()).unwrap_or_default(),
        delivery_date: v
            .doc
            .delivery_date
            .map(|d| d.to_string())
            .unwrap_or_default(),
        purchase_order: v.doc.purchase_order.clone().unwrap_or_default(),
        price_basis: v.doc.price_basis.clone(),
        overall_discount: sale_render::discount_text(sale_render::parse_discount_code(
            v.doc.overall_discount.as_deref(),
        )),
        notes: v.doc.notes.clone().unwrap_or_default(),
        payment_days: v.doc.payment_days.to_string(),
        payment_end_of_month: v.doc.payment_end_of_month,
        lines: docs::line_inputs(&v.lines),
    };
    let t = page.layout.t;
    form_page(
        &state,
        &page,
        &coop,
        ActivityId::new(v.doc.activity_id),
        v.kind,
        t.fmt("sales.edit_heading", &[&kind_label(t, &v.doc.kind)]),
        paths::sale_edit(&coop.slug, id),
        &input,
        1,
        &essaim_domain::FieldErrors::new(),
        None,
    )
    .await
}

pub async fn update(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Path((_, id)): Path<(String, i64)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let v = docs::view(&state.app, &coop, SaleDocId::new(id)).await?;
    let (mut input, action, item) = read_form(&pairs);
    let t = page.layout.t;
    let heading = t.fmt("sales.edit_heading", &[&kind_label(t, &v.doc.kind)]);
    let activity = ActivityId::new(v.doc.activity_id);
    if let Some(blank) = form_action(&state, &coop, &action, &item, &mut input).await? {
        return form_page(
            &state,
            &page,
            &coop,
            activity,
            v.kind,
            heading,
            paths::sale_edit(&coop.slug, id),
            &input,
            blank,
            &essaim_domain::FieldErrors::new(),
            None,
        )
        .await;
    }
    match docs::update(&state.app, &coop, SaleDocId::new(id), &input).await {
        Ok(()) => Ok(Redirect::to(&paths::sale(&coop.slug, id)).into_response()),
        Err(AppError::Invalid(errors)) if errors.for_field("state").is_none() => form_page(
            &state,
            &page,
            &coop,
            activity,
            v.kind,
            heading,
            paths::sale_edit(&coop.slug, id),
            &input,
            0,
            &errors,
            Some(t.get("form.has_errors").into()),
        )
        .await
        .map(unprocessable),
        Err(AppError::Invalid(errors)) => show_page(
            &state,
            &page,
            &coop,
            id,
            Errors::from(&errors, t),
            None,
            None,
        )
        .await
        .map(unprocessable),
        Err(e) => Err(e.into()),
    }
}

// ---------------------------------------------------------------------------------------------
// The document page

pub struct ShowLine {
    pub section: Option<String>,
    pub label: String,
    pub description: String,
    pub quantity: String,
    pub unit: String,
    pub unit_price: String,
    pub discount: String,
    pub vat: String,
    pub net: String,
}

#[derive(Template)]
#[template(path = "sales/show.html")]
pub struct ShowPage {
    pub l: Layout,
    pub v: SaleView,
    pub title: String,
    pub status: String,
    pub customer_href: String,
    pub activity_href: String,
    pub lines: Vec<ShowLine>,
    pub sections: Vec<(String, String)>,
    pub vat: Vec<(String, String, String)>,
    pub allowance: Option<String>,
    pub total_ht: String,
    pub total_vat: String,
    pub total_ttc: String,
    pub paid: String,
    pub outstanding: String,
    pub dates: Vec<(String, String)>,
    pub payments: Vec<(String, String, String, String, String)>,
    pub events: Vec<(String, String, String)>,
    pub children: Vec<DocRow>,
    pub origin_href: Option<(String, String)>,
    pub base: String,
    pub pdf_href: String,
    pub xml_href: Option<String>,
    pub accept_link: Option<String>,
    pub modes: Vec<Choice>,
    pub today: String,
    pub errors: Errors,
    pub message: Option<String>,
    pub can_deposit: bool,
    pub can_final: bool,
    pub can_credit: bool,
    pub can_email: bool,
    pub can_remind: bool,
    pub customer_email: String,
    /// The entries of the books made from this document (for those who read the books).
    pub book_entries: Vec<(String, String, String, String)>,
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct ShowQuery {
    #[serde(default)]
    pub link: String,
    #[serde(default)]
    pub done: String,
}

async fn show_page(
    state: &AppState,
    page: &Page,
    coop: &CoopActor,
    id: i64,
    errors: Errors,
    message: Option<String>,
    link: Option<String>,
) -> PageResult {
    let t = page.layout.t;
    let today = state.app.clock.today();
    let v = docs::view(&state.app, coop, SaleDocId::new(id)).await?;
    let slug = &coop.slug;
    let lines = v
        .computed
        .lines
        .iter()
        .map(|l| ShowLine {
            section: l.section.clone(),
            label: l.item.label.clone(),
            description: l.item.description.clone().unwrap_or_default(),
            quantity: l.item.quantity.normalize().to_string().replace('.', ","),
            unit: unit::parse_unit(&l.item.unit)
                .map(|u| u.singular.to_owned())
                .unwrap_or_default(),
            unit_price: format!("{} €", price_text(l.unit_price_ht)),
            discount: if l.allowance_cents == 0 {
                String::new()
            } else {
                money(-l.allowance_cents)
            },
            vat: l.vat.label.to_owned(),
            net: money(l.net_cents),
        })
        .collect();
    let mut dates = vec![(t.get("sales.date").to_owned(), fr_date(v.doc.doc_date))];
    if let Some(d) = v.doc.valid_until {
        dates.push((t.get("sales.valid_until").into(), fr_date(d)));
    }
    if let Some(d) = v.doc.due_date {
        dates.push((t.get("sales.due_date").into(), fr_date(d)));
    }
    if let Some(d) = v.doc.delivery_date {
        dates.push((t.get("sales.delivery_date").into(), fr_date(d)));
    }
    if let Some(by) = &v.doc.accepted_by {
        dates.push((
            t.get("sales.accepted_by").into(),
            format!(
                "{by} — {}",
                v.doc.accepted_at.map(datetime).unwrap_or_default()
            ),
        ));
    }
    let origin_href = match v.doc.origin_id.or(v.doc.quote_id) {
        Some(o) => Some((
            paths::sale(slug, o),
            t.get(if v.doc.origin_id.is_some() {
                "sales.origin_invoice"
            } else {
                "sales.origin_quote"
            })
            .to_owned(),
        )),
        None => None,
    };
    let is_accepted_quote = v.kind == DocKind::Quote && v.doc.state == "accepted";
    let book_entries = super::books::of_sale_doc(state, coop, id).await;
    let has_final = v.children.iter().any(|c| c.kind == "invoice");
    Ok(render(&ShowPage {
        title: format!(
            "{} {}",
            kind_label(t, &v.doc.kind),
            v.doc
                .number
                .clone()
                .unwrap_or_else(|| t.get("sales.draft_no_number").to_owned())
        ),
        status: status_label(t, v.status),
        customer_href: paths::customer(slug, v.doc.customer_id),
        activity_href: paths::activity(slug, v.doc.activity_id),
        lines,
        sections: v
            .computed
            .sections
            .iter()
            .map(|s| (s.title.clone(), money(s.net_cents)))
            .collect(),
        vat: v
            .computed
            .vat
            .iter()
            .map(|x| {
                (
                    x.vat.label.to_owned(),
                    money(x.basis_cents),
                    money(x.vat_cents),
                )
            })
            .collect(),
        allowance: (v.computed.totals.allowance_total_cents != 0)
            .then(|| money(-v.computed.totals.allowance_total_cents)),
        total_ht: money(v.computed.totals.tax_basis_cents),
        total_vat: money(v.computed.totals.tax_total_cents),
        total_ttc: money(v.computed.totals.grand_total_cents),
        paid: money(v.doc.paid_cents),
        outstanding: money(v.outstanding_cents),
        dates,
        payments: v
            .payments
            .iter()
            .map(|p| {
                (
                    fr_date(p.paid_on),
                    money(p.amount_cents),
                    t.get(&format!("payment_mode.{}", p.mode)).to_owned(),
                    p.reference.clone().unwrap_or_default(),
                    p.recorded_by_name.clone(),
                )
            })
            .collect(),
        events: v
            .events
            .iter()
            .map(|e| {
                (
                    datetime(e.at),
                    t.get(&format!("sale_event.{}", e.kind)).to_owned(),
                    [
                        e.user_name.clone(),
                        // A creation's detail says how the document was made: a code to translate.
                        if e.kind == "created" {
                            e.detail
                                .as_ref()
                                .map(|d| t.get(&format!("sale_origin.{d}")).to_owned())
                        } else {
                            e.detail.clone()
                        },
                    ]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" — "),
                )
            })
            .collect(),
        children: v
            .children
            .iter()
            .map(|d| doc_row(t, slug, d, today))
            .collect(),
        origin_href,
        base: paths::sale(slug, id),
        pdf_href: paths::sale_file(slug, id, "pdf"),
        xml_href: (v.kind.is_invoice_like() && v.doc.state == "issued")
            .then(|| paths::sale_file(slug, id, "xml")),
        accept_link: link,
        modes: PaymentMode::ALL
            .iter()
            .map(|m| Choice {
                value: m.code().into(),
                label: t.get(&format!("payment_mode.{}", m.code())).into(),
                selected: *m == PaymentMode::Transfer,
            })
            .collect(),
        today: today.to_string(),
        errors,
        message,
        can_deposit: is_accepted_quote && v.may_manage && !has_final,
        can_final: is_accepted_quote && v.may_manage && !has_final,
        can_email: v.may_manage
            && match v.kind {
                DocKind::Quote => matches!(v.status, DisplayStatus::Draft | DisplayStatus::Sent),
                _ => v.doc.state == "issued",
            },
        can_remind: v.overdue && (v.may_manage || v.may_record_payment),
        customer_email: v.customer.email.clone().unwrap_or_default(),
        book_entries,
        can_credit: matches!(v.kind, DocKind::Invoice | DocKind::Deposit)
            && v.doc.state == "issued"
            && v.doc.credited_cents < v.doc.grand_total_cents
            && v.may_manage,
        v,
        l: page.layout.clone(),
    }))
}

pub async fn show(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Path((_, id)): Path<(String, i64)>,
    Query(q): Query<ShowQuery>,
) -> PageResult {
    let t = page.layout.t;
    let message = (!q.done.is_empty()).then(|| t.get(&format!("sales.done.{}", q.done)).to_owned());
    let link = (!q.link.is_empty()).then(|| {
        format!(
            "{}{}",
            state.app.config.base_url,
            paths::public_quote(&q.link)
        )
    });
    show_page(&state, &page, &coop, id, Errors::default(), message, link).await
}

/// Runs an action of the document page; a refusal with a field is shown on the page.
async fn act<Fut>(
    state: &AppState,
    page: &Page,
    coop: CoopActor,
    id: i64,
    done: &str,
    f: impl FnOnce(CoopActor, SaleDocId) -> Fut,
) -> PageResult
where
    Fut: Future<Output = Result<Option<String>, AppError>>,
{
    match f(coop.clone(), SaleDocId::new(id)).await {
        Ok(Some(to)) => Ok(Redirect::to(&to).into_response()),
        Ok(None) => Ok(
            Redirect::to(&format!("{}?done={done}", paths::sale(&coop.slug, id))).into_response(),
        ),
        Err(AppError::Invalid(errors)) => {
            let e = Errors::from(&errors, page.layout.t);
            show_page(state, page, &coop, id, e, None, None)
                .await
                .map(unprocessable)
        }
        Err(e) => Err(e.into()),
    }
}

/// The page of a document just made from this one.
fn to_new(coop: &CoopActor, new: SaleDocId) -> Option<String> {
    Some(paths::sale(&coop.slug, new.get()))
}

type IdPath = Path<(String, i64)>;

pub async fn validate(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Path((_, id)): IdPath,
) -> PageResult {
    let app = state.app.clone();
    act(
        &state,
        &page,
        coop,
        id,
        "validated",
        |coop, doc| async move { docs::validate(&app, &coop, doc).await.map(|_| None) },
    )
    .await
}

pub async fn send(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Path((_, id)): IdPath,
) -> PageResult {
    let app = state.app.clone();
    act(&state, &page, coop, id, "sent", |coop, doc| async move {
        let token = docs::send_quote(&app, &coop, doc).await?;
        Ok(Some(format!(
            "{}?done=sent&link={token}",
            paths::sale(&coop.slug, id)
        )))
    })
    .await
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct OutcomeForm {
    #[serde(default)]
    pub outcome: String,
    #[serde(default)]
    pub accepted_by: String,
}

pub async fn outcome(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Path((_, id)): IdPath,
    Form(f): Form<OutcomeForm>,
) -> PageResult {
    let app = state.app.clone();
    let accepted = f.outcome == "accepted";
    act(
        &state,
        &page,
        coop,
        id,
        if accepted { "accepted" } else { "refused" },
        |coop, doc| async move {
            docs::set_quote_outcome(&app, &coop, doc, accepted, &f.accepted_by)
                .await
                .map(|_| None)
        },
    )
    .await
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct DepositForm {
    #[serde(default)]
    pub percent: String,
    #[serde(default)]
    pub amount: String,
}

pub async fn deposit(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Path((_, id)): IdPath,
    Form(f): Form<DepositForm>,
) -> PageResult {
    let app = state.app.clone();
    act(&state, &page, coop, id, "created", |coop, doc| async move {
        let new = docs::create_deposit(&app, &coop, doc, &f.percent, &f.amount).await?;
        Ok(to_new(&coop, new))
    })
    .await
}

pub async fn final_invoice(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Path((_, id)): IdPath,
) -> PageResult {
    let app = state.app.clone();
    act(&state, &page, coop, id, "created", |coop, doc| async move {
        Ok(to_new(&coop, docs::create_final(&app, &coop, doc).await?))
    })
    .await
}

pub async fn credit_note(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Path((_, id)): IdPath,
) -> PageResult {
    let app = state.app.clone();
    act(&state, &page, coop, id, "created", |coop, doc| async move {
        Ok(to_new(
            &coop,
            docs::create_credit_note(&app, &coop, doc).await?,
        ))
    })
    .await
}

pub async fn duplicate(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Path((_, id)): IdPath,
) -> PageResult {
    let app = state.app.clone();
    act(&state, &page, coop, id, "created", |coop, doc| async move {
        Ok(to_new(&coop, docs::duplicate(&app, &coop, doc).await?))
    })
    .await
}

pub async fn delete(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Path((_, id)): IdPath,
) -> PageResult {
    let app = state.app.clone();
    act(&state, &page, coop, id, "deleted", |coop, doc| async move {
        let kind = docs::view(&app, &coop, doc).await?.kind;
        docs::delete(&app, &coop, doc).await?;
        Ok(Some(if kind == DocKind::Quote {
            paths::quotes(&coop.slug)
        } else {
            paths::invoices(&coop.slug)
        }))
    })
    .await
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct EmailForm {
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub reminder: String,
}

/// Queues the document for sending by e-mail (or a reminder), PDF attached.
pub async fn email(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Path((_, id)): IdPath,
    Form(f): Form<EmailForm>,
) -> PageResult {
    let app = state.app.clone();
    act(&state, &page, coop, id, "emailed", |coop, doc| async move {
        essaim_app::selling::mail::send_by_email(&app, &coop, doc, &f.to, f.reminder == "1")
            .await
            .map(|_| None)
    })
    .await
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct PaymentForm {
    #[serde(default)]
    pub paid_on: String,
    #[serde(default)]
    pub amount: String,
    #[serde(default)]
    pub mode: String,
    #[serde(default)]
    pub reference: String,
}

pub async fn payment(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Path((_, id)): IdPath,
    Form(f): Form<PaymentForm>,
) -> PageResult {
    let app = state.app.clone();
    act(&state, &page, coop, id, "payment", |coop, doc| async move {
        let input = PaymentInput {
            paid_on: f.paid_on,
            amount: f.amount,
            mode: f.mode,
            reference: f.reference,
        };
        docs::record_payment(&app, &coop, doc, &input)
            .await
            .map(|_| None)
    })
    .await
}

pub async fn file(
    Coop(coop): Coop,
    State(state): State<AppState>,
    Path((_, id, format)): Path<(String, i64, String)>,
) -> PageResult {
    match format.as_str() {
        "pdf" => {
            let (name, bytes) = docs::pdf(&state.app, &coop, SaleDocId::new(id)).await?;
            Ok(download(&name, "application/pdf", bytes))
        }
        "xml" => {
            let (name, xml) = docs::xml(&state.app, &coop, SaleDocId::new(id)).await?;
            Ok(download(&name, "application/xml", xml.into_bytes()))
        }
        _ => Err(AppError::NotFound("format").into()),
    }
}

// ---------------------------------------------------------------------------------------------
// The customer's page behind the signed link

#[derive(Template)]
#[template(path = "sales/public.html")]
pub struct PublicPage {
    pub l: Layout,
    pub cooperative: String,
    pub activity: String,
    pub number: String,
    pub date: String,
    pub valid_until: String,
    pub customer: String,
    pub lines: Vec<(String, String, String, String)>,
    pub total_ht: String,
    pub total_vat: String,
    pub total_ttc: String,
    pub open: bool,
    pub status: String,
    pub accepted: Option<String>,
    pub action: String,
    pub errors: Errors,
}

async fn public_page(state: &AppState, page: &Page, token: &str, errors: Errors) -> PageResult {
    let t = page.layout.t;
    let q = docs::public_quote(&state.app, token).await?;
    Ok(render(&PublicPage {
        cooperative: q.cooperative_name.clone(),
        activity: q.doc.activity_name.clone(),
        number: q.doc.number.clone().unwrap_or_default(),
        date: fr_date(q.doc.doc_date),
        valid_until: q.doc.valid_until.map(fr_date).unwrap_or_default(),
        customer: q.doc.customer_name.clone(),
        lines: q
            .computed
            .lines
            .iter()
            .map(|l| {
                (
                    l.item.label.clone(),
                    l.item.quantity.normalize().to_string().replace('.', ","),
                    l.vat.label.to_owned(),
                    money(l.net_cents),
                )
            })
            .collect(),
        total_ht: money(q.computed.totals.tax_basis_cents),
        total_vat: money(q.computed.totals.tax_total_cents),
        total_ttc: money(q.computed.totals.grand_total_cents),
        open: q.status == DisplayStatus::Sent,
        status: status_label(t, q.status),
        accepted: q.doc.accepted_by.clone().map(|n| {
            format!(
                "{n} — {}",
                q.doc.accepted_at.map(datetime).unwrap_or_default()
            )
        }),
        action: paths::public_quote(token),
        errors,
        l: page.layout.clone(),
    }))
}

pub async fn public_quote(
    State(state): State<AppState>,
    page: Page,
    Path(token): Path<String>,
) -> PageResult {
    public_page(&state, &page, &token, Errors::default()).await
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct AnswerForm {
    #[serde(default)]
    pub answer: String,
    #[serde(default)]
    pub name: String,
}

pub async fn public_answer(
    State(state): State<AppState>,
    page: Page,
    Path(token): Path<String>,
    Form(f): Form<AnswerForm>,
) -> PageResult {
    match docs::answer_by_token(&state.app, &token, f.answer == "accept", &f.name).await {
        Ok(()) => Ok(Redirect::to(&paths::public_quote(&token)).into_response()),
        Err(AppError::Invalid(e)) => {
            public_page(&state, &page, &token, Errors::from(&e, page.layout.t))
                .await
                .map(unprocessable)
        }
        Err(e) => Err(e.into()),
    }
}

// ---------------------------------------------------------------------------------------------
// ZIP archives of a period's PDFs

#[derive(Template)]
#[template(path = "sales/archive.html")]
pub struct ArchivePage {
    pub l: Layout,
    pub action: String,
    pub from: String,
    pub to: String,
    pub errors: Errors,
    /// (status label, done, total, status url, download url when ready, refresh url)
    pub current: Option<ArchiveView>,
    pub script_url: String,
}

pub struct ArchiveView {
    pub period: String,
    pub status: String,
    pub running: bool,
    pub done: i64,
    pub total: i64,
    pub status_url: String,
    pub download: Option<String>,
    pub refresh: String,
    pub error: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct ArchiveForm {
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
}

async fn archive_page(
    state: &AppState,
    page: &Page,
    coop: &CoopActor,
    current: Option<i64>,
    f: ArchiveForm,
    errors: Errors,
) -> PageResult {
    let t = page.layout.t;
    let today = state.app.clock.today();
    let current = match current {
        Some(id) => {
            let e = essaim_app::selling::archive::status(&state.app, coop, id).await?;
            Some(ArchiveView {
                period: format!("{} — {}", fr_date(e.period_from), fr_date(e.period_to)),
                status: t.get(&format!("archive.status.{}", e.status)).to_owned(),
                running: matches!(e.status.as_str(), "queued" | "running"),
                done: e.done,
                total: e.total,
                status_url: format!("{}/status", paths::archive(&coop.slug, id)),
                download: (e.status == "done")
                    .then(|| format!("{}/download", paths::archive(&coop.slug, id))),
                refresh: paths::archive(&coop.slug, id),
                error: e.error,
            })
        }
        None => None,
    };
    Ok(render(&ArchivePage {
        action: paths::archives(&coop.slug),
        from: if f.from.is_empty() {
            format!("{}-01-01", today.year())
        } else {
            f.from
        },
        to: if f.to.is_empty() {
            today.to_string()
        } else {
            f.to
        },
        errors,
        current,
        script_url: crate::assets::url("progress.js"),
        l: page.layout.clone(),
    }))
}

pub async fn archives(Coop(coop): Coop, State(state): State<AppState>, page: Page) -> PageResult {
    archive_page(
        &state,
        &page,
        &coop,
        None,
        ArchiveForm::default(),
        Errors::default(),
    )
    .await
}

pub async fn request_archive(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Form(f): Form<ArchiveForm>,
) -> PageResult {
    match essaim_app::selling::archive::request(&state.app, &coop, &f.from, &f.to).await {
        Ok(id) => Ok(Redirect::to(&paths::archive(&coop.slug, id)).into_response()),
        Err(AppError::Invalid(e)) => {
            let errors = Errors::from(&e, page.layout.t);
            archive_page(&state, &page, &coop, None, f, errors)
                .await
                .map(unprocessable)
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn archive(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Path((_, id)): Path<(String, i64)>,
) -> PageResult {
    archive_page(
        &state,
        &page,
        &coop,
        Some(id),
        ArchiveForm::default(),
        Errors::default(),
    )
    .await
}

pub async fn archive_status(
    Coop(coop): Coop,
    State(state): State<AppState>,
    Path((_, id)): Path<(String, i64)>,
) -> PageResult {
    let e = essaim_app::selling::archive::status(&state.app, &coop, id).await?;
    Ok(
        axum::Json(serde_json::json!({ "status": e.status, "done": e.done, "total": e.total }))
            .into_response(),
    )
}

pub async fn archive_download(
    Coop(coop): Coop,
    State(state): State<AppState>,
    Path((_, id)): Path<(String, i64)>,
) -> PageResult {
    let (name, bytes) = essaim_app::selling::archive::file(&state.app, &coop, id).await?;
    Ok(download(&name, "application/zip", bytes))
}
