//! Quotes, invoices, deposit invoices and credit notes, and the payments received on them.
//! Drafts are edited freely by the activity's entrepreneurs; validation numbers and freezes an
//! invoice in one transaction (INV-12, GEN-03); nothing changes an issued document afterwards.

use super::render::{self, Context, discount_code, parse_discount_code};
use super::{
    customer_details, customer_in, readable_activities, require_on, settings_for, settings_in,
};
use crate::{App, AppError, CoopActor, audit, secret};
use essaim_documents::sale::{PrecedingInvoice, SaleDocument};
use essaim_domain::FieldErrors;
use essaim_domain::access::{Permission, Target};
use essaim_domain::ids::{ActivityId, CustomerId, SaleDocId};
use essaim_domain::money::Money;
use essaim_domain::person::{parse_date, parse_optional_date};
use essaim_domain::selling::compute::{
    ComputeError, Computed, Discount, ItemLine, PriceBasis, Row, compute, in_ht,
};
use essaim_domain::selling::numbering::{NUMBER_MAX_CHARS, NumberTemplate};
use essaim_domain::selling::payment::{self, AgeBucket, PaymentMode, RateDue};
use essaim_domain::selling::terms::PaymentTerms;
use essaim_domain::selling::{
    DepositSpec, DisplayStatus, DocKind, DocState, LineInput, StatusInputs, deduction_rows,
    deposit_rows, display_status, issue_problems, may_self_validate, parse_discount, parse_lines,
};
use essaim_domain::validation::optional_text;
use essaim_storage::Tx;
use essaim_storage::sale::{
    self as store, CustomerRecord, DocFilter, DocHead, DocRecord, DocTotals, EventRecord,
    LineRecord, ListTotals, NewPayment, PaymentRecord,
};
use serde_json::json;
use time::{Date, Duration};

/// What a person typed for a quote or an invoice draft.
#[derive(Clone, Debug, Default)]
pub struct DocInput {
    pub customer_id: String,
    /// Quote date (invoices take their date at validation).
    pub doc_date: String,
    pub valid_until: String,
    pub delivery_date: String,
    pub purchase_order: String,
    /// "ht" or "ttc".
    pub price_basis: String,
    pub overall_discount: String,
    pub notes: String,
    /// Empty: the customer's terms.
    pub payment_days: String,
    pub payment_end_of_month: bool,
    pub lines: Vec<LineInput>,
}

/// A document with everything its page shows.
#[derive(Clone, Debug)]
pub struct SaleView {
    pub doc: DocRecord,
    pub kind: DocKind,
    pub lines: Vec<LineRecord>,
    pub computed: Computed,
    pub customer: CustomerRecord,
    pub status: DisplayStatus,
    pub overdue: bool,
    pub outstanding_cents: i64,
    pub payments: Vec<PaymentRecord>,
    pub events: Vec<EventRecord>,
    /// Deposits and final invoices of a quote; credit notes of an invoice.
    pub children: Vec<DocRecord>,
    pub may_edit: bool,
    pub may_manage: bool,
    pub may_validate: bool,
    pub may_record_payment: bool,
    /// Where the draft stands with the validation team (issue 19).
    pub review: essaim_domain::selling::review::Review,
    /// The entrepreneur may ask the validation team to validate it.
    pub may_ask_review: bool,
    /// The validator may send it back with a comment.
    pub may_return: bool,
}

pub(crate) fn kind_of(r: &DocRecord) -> Result<DocKind, AppError> {
    DocKind::parse(&r.kind).ok_or_else(|| AppError::Internal("stored document kind".into()))
}
pub(crate) fn state_of(r: &DocRecord) -> Result<DocState, AppError> {
    DocState::parse(&r.state).ok_or_else(|| AppError::Internal("stored document state".into()))
}

pub fn status_of(r: &DocRecord, today: Date) -> DisplayStatus {
    match (DocKind::parse(&r.kind), DocState::parse(&r.state)) {
        (Some(kind), Some(state)) => display_status(
            StatusInputs {
                kind,
                state,
                valid_until: r.valid_until,
                total_cents: r.grand_total_cents,
                paid_cents: r.paid_cents,
                credited_cents: r.credited_cents,
            },
            today,
        ),
        _ => DisplayStatus::Draft,
    }
}

pub fn is_overdue(r: &DocRecord, today: Date) -> bool {
    r.state == "issued"
        && r.kind != "credit_note"
        && r.paid_cents + r.credited_cents < r.grand_total_cents
        && r.due_date.is_some_and(|d| d < today)
}

/// Stored lines back to the rows the domain computes.
pub fn rows_of(lines: &[LineRecord]) -> Result<Vec<Row>, AppError> {
    let bad = || AppError::Internal("stored line is invalid".into());
    lines
        .iter()
        .map(|l| {
            if l.kind == "section" {
                return Ok(Row::Section(l.label.clone()));
            }
            Ok(Row::Item(ItemLine {
                label: l.label.clone(),
                description: l.description.clone(),
                quantity: l
                    .quantity
                    .as_deref()
                    .and_then(|q| q.parse().ok())
                    .ok_or_else(bad)?,
                unit: l.unit.clone().ok_or_else(bad)?,
                unit_price: l
                    .unit_price
                    .as_deref()
                    .and_then(|q| q.parse().ok())
                    .ok_or_else(bad)?,
                vat_code: l.vat_code.clone().ok_or_else(bad)?,
                discount: parse_discount_code(l.discount.as_deref()),
                goods: l.goods,
                deduction: l.deduction,
            }))
        })
        .collect()
}

/// The form values of stored lines, to edit them.
pub fn line_inputs(lines: &[LineRecord]) -> Vec<LineInput> {
    lines
        .iter()
        .map(|l| LineInput {
            kind: l.kind.clone(),
            label: l.label.clone(),
            description: l.description.clone().unwrap_or_default(),
            quantity: l.quantity.clone().unwrap_or_default().replace('.', ","),
            unit: l.unit.clone().unwrap_or_default(),
            unit_price: l.unit_price.clone().unwrap_or_default().replace('.', ","),
            vat: l.vat_code.clone().unwrap_or_default(),
            discount: render::discount_text(parse_discount_code(l.discount.as_deref())),
            goods: l.goods,
        })
        .collect()
}

pub(crate) fn records_of(rows: &[Row], computed: &Computed) -> Vec<LineRecord> {
    let mut items = computed.lines.iter();
    rows.iter()
        .enumerate()
        .map(|(i, row)| {
            let position = i64::try_from(i + 1).unwrap_or(i64::MAX);
            match row {
                Row::Section(title) => LineRecord {
                    position,
                    kind: "section".into(),
                    label: title.clone(),
                    ..LineRecord::default()
                },
                Row::Item(item) => {
                    let c = items.next();
                    LineRecord {
                        position,
                        kind: "item".into(),
                        label: item.label.clone(),
                        description: item.description.clone(),
                        quantity: Some(item.quantity.to_string()),
                        unit: Some(item.unit.clone()),
                        unit_price: Some(item.unit_price.to_string()),
                        vat_code: Some(item.vat_code.clone()),
                        discount: discount_code(item.discount),
                        goods: item.goods,
                        deduction: item.deduction,
                        unit_price_ht: c.map(|c| c.unit_price_ht.to_string()),
                        gross_cents: c.map(|c| c.gross_cents),
                        allowance_cents: c.map(|c| c.allowance_cents),
                        net_cents: c.map(|c| c.net_cents),
                    }
                }
            }
        })
        .collect()
}

pub(crate) fn totals_of(c: &Computed) -> DocTotals {
    DocTotals {
        line_total_cents: c.totals.line_total_cents,
        allowance_total_cents: c.totals.allowance_total_cents,
        tax_basis_cents: c.totals.tax_basis_cents,
        tax_total_cents: c.totals.tax_total_cents,
        grand_total_cents: c.totals.grand_total_cents,
        prepaid_cents: 0,
    }
}

/// Computes, turning the domain's refusals into errors beside the fields.
fn compute_or_errors(
    rows: &[Row],
    basis: PriceBasis,
    overall: Option<Discount>,
    on: Date,
) -> Result<Computed, AppError> {
    // Errors name the row as typed (sections included), which is what the form shows.
    compute(rows, basis, overall, on).map_err(|e| {
        let mut errors = FieldErrors::new();
        match e {
            ComputeError::NoLine => errors.add("lines", e.code()),
            ComputeError::VatUnknown { row } => errors.add_row(row, "vat", e.code()),
            ComputeError::DiscountExceedsLine { row } => errors.add_row(row, "discount", e.code()),
            ComputeError::DiscountExceedsTotal => errors.add("overall_discount", e.code()),
            ComputeError::AmountRange => errors.add("lines", e.code()),
        }
        AppError::Invalid(errors)
    })
}

/// The stored document computed again (drafts on `today`, issued ones on their date).
pub fn computed_of(doc: &DocRecord, lines: &[LineRecord]) -> Result<Computed, AppError> {
    let rows = rows_of(lines)?;
    let basis = PriceBasis::parse(&doc.price_basis).unwrap_or(PriceBasis::Ht);
    compute(
        &rows,
        basis,
        parse_discount_code(doc.overall_discount.as_deref()),
        doc.doc_date,
    )
    .map_err(|e| AppError::Internal(format!("stored document does not compute: {e:?}")))
}

struct Parsed {
    head: DocHead,
    rows: Vec<Row>,
    computed: Computed,
}

/// Validates a typed draft for `activity`.
async fn parse_input(
    tx: &mut Tx,
    actor: &CoopActor,
    activity: ActivityId,
    kind: DocKind,
    input: &DocInput,
    today: Date,
) -> Result<Parsed, AppError> {
    let mut e = FieldErrors::new();
    let customer = match input.customer_id.trim().parse::<i64>() {
        Ok(id) => match customer_in(tx, actor, CustomerId::new(id)).await {
            Ok(c) if c.activity_id == activity.get() || c.shared => Some(c),
            Ok(_) | Err(AppError::NotFound(_)) => {
                e.add("customer_id", "customer_unknown");
                None
            }
            Err(other) => return Err(other),
        },
        Err(_) => {
            e.add("customer_id", "required");
            None
        }
    };
    let doc_date = if kind == DocKind::Quote && !input.doc_date.trim().is_empty() {
        e.check("doc_date", parse_date(&input.doc_date))
    } else {
        Some(today)
    };
    let valid_until = if kind == DocKind::Quote {
        match parse_optional_date(&input.valid_until) {
            Ok(Some(v)) if doc_date.is_some_and(|d| v < d) => {
                e.add("valid_until", "valid_until_before_date");
                None
            }
            Ok(v) => Some(v.or(doc_date.map(|d| d + Duration::days(30)))),
            Err(c) => {
                e.add("valid_until", c);
                None
            }
        }
        .flatten()
    } else {
        None
    };
    let delivery_date = e
        .check("delivery_date", parse_optional_date(&input.delivery_date))
        .flatten();
    let purchase_order = e
        .check("purchase_order", optional_text(&input.purchase_order, 100))
        .flatten();
    let notes = e
        .check("notes", optional_text(&input.notes, 4000))
        .flatten();
    let basis = match input.price_basis.trim() {
        "" => Some(PriceBasis::Ht),
        b => {
            let p = PriceBasis::parse(b);
            if p.is_none() {
                e.add("price_basis", "price_basis_unknown");
            }
            p
        }
    };
    let overall = e
        .check("overall_discount", parse_discount(&input.overall_discount))
        .flatten();
    let terms = match (&customer, input.payment_days.trim()) {
        (_, d) if !d.is_empty() => e.check(
            "payment_days",
            PaymentTerms::parse(d, input.payment_end_of_month, today),
        ),
        (Some(c), _) => Some(PaymentTerms {
            days: u16::try_from(c.payment_days).unwrap_or(30),
            end_of_month: c.payment_end_of_month,
        }),
        (None, _) => None,
    };
    let rows = match parse_lines(&input.lines) {
        Ok(rows) => Some(rows),
        Err(line_errors) => {
            for le in line_errors {
                e.add_row(le.row, le.field, le.code);
            }
            None
        }
    };
    let (Some(customer), Some(doc_date), Some(basis), Some(terms), Some(rows)) =
        (customer, doc_date, basis, terms, rows)
    else {
        return Err(e.into());
    };
    if !e.is_empty() {
        return Err(e.into());
    }
    let computed = compute_or_errors(&rows, basis, overall, doc_date)?;
    Ok(Parsed {
        head: DocHead {
            activity_id: activity.get(),
            customer_id: customer.customer_id,
            kind: kind.code().to_owned(),
            doc_date,
            valid_until,
            due_date: None,
            delivery_date,
            purchase_order,
            price_basis: basis.code().to_owned(),
            overall_discount: discount_code(overall),
            notes,
            payment_days: i64::from(terms.days),
            payment_end_of_month: terms.end_of_month,
            quote_id: None,
            origin_id: None,
        },
        rows,
        computed,
    })
}

/// Creates a quote or an invoice draft for an activity (`sale.manage` on it).
pub async fn create(
    app: &App,
    actor: &CoopActor,
    activity: ActivityId,
    kind: DocKind,
    input: &DocInput,
) -> Result<SaleDocId, AppError> {
    if !matches!(kind, DocKind::Quote | DocKind::Invoice) {
        return Err(AppError::field("kind", "kind_unknown"));
    }
    require_on(actor, Permission::SaleManage, activity)?;
    let now = app.clock.now();
    let mut tx = app.store.begin().await?;
    essaim_storage::activity::find(&mut tx, actor.cooperative, activity)
        .await?
        .ok_or(AppError::NotFound("activity"))?;
    let p = parse_input(&mut tx, actor, activity, kind, input, now.date()).await?;
    let id = store::insert_doc(
        &mut tx,
        actor.cooperative,
        &p.head,
        &totals_of(&p.computed),
        &records_of(&p.rows, &p.computed),
        actor.user().id,
        now,
    )
    .await?;
    store::add_event(&mut tx, id, "created", Some(actor.user().id), None, now).await?;
    audit::record_in(
        &mut tx,
        app,
        actor,
        "sale.create",
        ("sale_doc", id.to_string()),
        json!({ "kind": kind.code(), "activity": activity.get() }),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Loads a document the person may read; another activity's document is "not found".
pub(crate) async fn load(
    tx: &mut Tx,
    actor: &CoopActor,
    id: SaleDocId,
) -> Result<DocRecord, AppError> {
    let doc = store::doc(tx, actor.cooperative, id)
        .await?
        .ok_or(AppError::NotFound("document"))?;
    if !actor.access.allows(
        Permission::SaleRead,
        Target::Activity(ActivityId::new(doc.activity_id)),
    ) {
        return Err(AppError::NotFound("document"));
    }
    Ok(doc)
}

/// Rewrites a draft (`sale.manage` on its activity); an issued document cannot change (GEN-03).
pub async fn update(
    app: &App,
    actor: &CoopActor,
    id: SaleDocId,
    input: &DocInput,
) -> Result<(), AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin().await?;
    let doc = load(&mut tx, actor, id).await?;
    let activity = ActivityId::new(doc.activity_id);
    require_on(actor, Permission::SaleManage, activity)?;
    if doc.state != "draft" {
        return Err(AppError::field("state", "document_frozen"));
    }
    let kind = kind_of(&doc)?;
    let mut p = parse_input(&mut tx, actor, activity, kind, input, now.date()).await?;
    p.head.quote_id = doc.quote_id;
    p.head.origin_id = doc.origin_id;
    if !store::update_draft(
        &mut tx,
        actor.cooperative,
        id,
        &p.head,
        &totals_of(&p.computed),
        &records_of(&p.rows, &p.computed),
        now,
    )
    .await?
    {
        return Err(AppError::field("state", "document_frozen"));
    }
    store::add_event(&mut tx, id, "edited", Some(actor.user().id), None, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Deletes a draft; issued documents are never deleted (INV-14).
pub async fn delete(app: &App, actor: &CoopActor, id: SaleDocId) -> Result<(), AppError> {
    let mut tx = app.store.begin().await?;
    let doc = load(&mut tx, actor, id).await?;
    require_on(
        actor,
        Permission::SaleManage,
        ActivityId::new(doc.activity_id),
    )?;
    if !store::delete_draft(&mut tx, actor.cooperative, id).await? {
        return Err(AppError::field("state", "document_frozen"));
    }
    audit::record_in(
        &mut tx,
        app,
        actor,
        "sale.delete_draft",
        ("sale_doc", id.to_string()),
        json!({ "kind": doc.kind }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub(crate) async fn may_validate(
    tx: &mut Tx,
    actor: &CoopActor,
    doc: &DocRecord,
) -> Result<bool, AppError> {
    if actor.may(Permission::InvoiceValidate) {
        return Ok(true);
    }
    let activity = ActivityId::new(doc.activity_id);
    if !actor
        .access
        .allows(Permission::SaleManage, Target::Activity(activity))
    {
        return Ok(false);
    }
    let ceiling = store::ceiling(tx, actor.cooperative, actor.user().id).await?;
    Ok(may_self_validate(ceiling, doc.tax_basis_cents))
}

pub async fn view(app: &App, actor: &CoopActor, id: SaleDocId) -> Result<SaleView, AppError> {
    let today = app.clock.now().date();
    let mut tx = app.store.read().await?;
    let doc = load(&mut tx, actor, id).await?;
    let kind = kind_of(&doc)?;
    let lines = store::lines(&mut tx, id).await?;
    let customer = store::customer(&mut tx, actor.cooperative, CustomerId::new(doc.customer_id))
        .await?
        .ok_or(AppError::NotFound("customer"))?;
    let payments = store::payments(&mut tx, id).await?;
    let events = store::events(&mut tx, id).await?;
    let children = store::children(&mut tx, actor.cooperative, id).await?;
    let activity = ActivityId::new(doc.activity_id);
    let may_manage = actor
        .access
        .allows(Permission::SaleManage, Target::Activity(activity));
    let may_validate = kind.is_invoice_like()
        && doc.state == "draft"
        && may_validate(&mut tx, actor, &doc).await?;
    tx.commit().await?;
    let computed = computed_of(&doc, &lines)?;
    let status = status_of(&doc, today);
    let outstanding_cents = if doc.state == "issued" && kind != DocKind::CreditNote {
        doc.grand_total_cents - doc.paid_cents - doc.credited_cents
    } else {
        0
    };
    let review = essaim_domain::selling::review::Review::parse(&doc.review).unwrap_or_default();
    let state = state_of(&doc)?;
    Ok(SaleView {
        may_ask_review: may_manage && !may_validate && review.may_ask(kind, state).is_ok(),
        may_return: may_validate && review.may_return(state).is_ok(),
        review,
        overdue: is_overdue(&doc, today),
        may_edit: may_manage && doc.state == "draft",
        may_record_payment: doc.state == "issued"
            && kind != DocKind::CreditNote
            && outstanding_cents > 0
            && actor
                .access
                .allows(Permission::PaymentRecord, Target::Activity(activity)),
        may_validate,
        may_manage,
        outstanding_cents,
        doc,
        kind,
        lines,
        computed,
        customer,
        status,
        payments,
        events,
        children,
    })
}

/// Inserts a generated draft (deposit, final invoice, credit note, duplicate).
#[allow(clippy::too_many_arguments)]
async fn insert_generated(
    tx: &mut Tx,
    app: &App,
    actor: &CoopActor,
    source: &DocRecord,
    kind: DocKind,
    rows: Vec<Row>,
    basis: PriceBasis,
    overall: Option<Discount>,
    links: (Option<i64>, Option<i64>),
    event: &str,
) -> Result<SaleDocId, AppError> {
    let now = app.clock.now();
    let today = now.date();
    let computed = compute_or_errors(&rows, basis, overall, today)?;
    let head = DocHead {
        activity_id: source.activity_id,
        customer_id: source.customer_id,
        kind: kind.code().to_owned(),
        doc_date: today,
        valid_until: (kind == DocKind::Quote).then(|| today + Duration::days(30)),
        due_date: None,
        delivery_date: source.delivery_date,
        purchase_order: source.purchase_order.clone(),
        price_basis: basis.code().to_owned(),
        overall_discount: discount_code(overall),
        notes: source.notes.clone(),
        payment_days: source.payment_days,
        payment_end_of_month: source.payment_end_of_month,
        quote_id: links.0,
        origin_id: links.1,
    };
    let id = store::insert_doc(
        tx,
        actor.cooperative,
        &head,
        &totals_of(&computed),
        &records_of(&rows, &computed),
        actor.user().id,
        now,
    )
    .await?;
    store::add_event(tx, id, "created", Some(actor.user().id), Some(event), now).await?;
    audit::record_in(
        tx,
        app,
        actor,
        "sale.create",
        ("sale_doc", id.to_string()),
        json!({ "kind": kind.code(), "from": source.sale_doc_id, "how": event }),
    )
    .await?;
    Ok(id)
}

/// A new draft with the same customer and lines (quotes and invoices).
pub async fn duplicate(app: &App, actor: &CoopActor, id: SaleDocId) -> Result<SaleDocId, AppError> {
    let mut tx = app.store.begin().await?;
    let doc = load(&mut tx, actor, id).await?;
    require_on(
        actor,
        Permission::SaleManage,
        ActivityId::new(doc.activity_id),
    )?;
    let kind = kind_of(&doc)?;
    if !matches!(kind, DocKind::Quote | DocKind::Invoice) {
        return Err(AppError::field("kind", "duplicate_kind"));
    }
    let lines = store::lines(&mut tx, id).await?;
    let rows: Vec<Row> = rows_of(&lines)?
        .into_iter()
        .filter(|r| !matches!(r, Row::Item(i) if i.deduction))
        .collect();
    let basis = PriceBasis::parse(&doc.price_basis).unwrap_or(PriceBasis::Ht);
    let overall = parse_discount_code(doc.overall_discount.as_deref());
    let new = insert_generated(
        &mut tx,
        app,
        actor,
        &doc,
        kind,
        rows,
        basis,
        overall,
        (None, None),
        "duplicate",
    )
    .await?;
    tx.commit().await?;
    Ok(new)
}

/// Sends a quote: it gets its number and a signed link for the customer to accept it.
/// Returns the link's token (shown once, sent by e-mail).
pub async fn send_quote(app: &App, actor: &CoopActor, id: SaleDocId) -> Result<String, AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin().await?;
    let doc = load(&mut tx, actor, id).await?;
    require_on(
        actor,
        Permission::SaleManage,
        ActivityId::new(doc.activity_id),
    )?;
    if doc.kind != "quote" {
        return Err(AppError::field("kind", "not_a_quote"));
    }
    let token = secret::random_token()?;
    let hash = secret::token_hash(&token);
    if doc.state == "draft" {
        let settings = settings_in(&mut tx, actor).await?;
        let template = NumberTemplate::parse(&settings.quote_template, doc.analytic_code.len())
            .map_err(|c| AppError::field("quote_template", c))?;
        let year = doc.doc_date.year();
        let series = template.series("quote", year, &doc.analytic_code);
        let seq = store::next_number(&mut tx, actor.cooperative, &series).await?;
        let number = template.format(year, &doc.analytic_code, seq);
        let snapshot = String::new();
        let issue = store::Issue {
            state: "sent",
            series: &series,
            seq,
            number: &number,
            doc_date: doc.doc_date,
            due_date: None,
            snapshot: &snapshot,
            vat: &[],
            by: actor.user().id,
            now,
        };
        if !store::issue(&mut tx, actor.cooperative, id, &issue).await? {
            return Err(AppError::field("state", "document_frozen"));
        }
    } else if doc.state != "sent" {
        return Err(AppError::field("state", "quote_closed"));
    }
    store::set_accept_token(&mut tx, id, &hash).await?;
    store::add_event(&mut tx, id, "sent", Some(actor.user().id), None, now).await?;
    audit::record_in(
        &mut tx,
        app,
        actor,
        "sale.quote_sent",
        ("sale_doc", id.to_string()),
        json!({}),
    )
    .await?;
    tx.commit().await?;
    Ok(token)
}

/// Records the customer's answer to a sent quote, as told to the entrepreneur.
pub async fn set_quote_outcome(
    app: &App,
    actor: &CoopActor,
    id: SaleDocId,
    accepted: bool,
    name: &str,
) -> Result<(), AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin().await?;
    let doc = load(&mut tx, actor, id).await?;
    require_on(
        actor,
        Permission::SaleManage,
        ActivityId::new(doc.activity_id),
    )?;
    let name = if accepted {
        Some(
            essaim_domain::validation::required_text(name, 200)
                .map_err(|c| AppError::field("accepted_by", c))?,
        )
    } else {
        None
    };
    if !store::set_quote_state(
        &mut tx,
        actor.cooperative,
        id,
        "sent",
        if accepted { "accepted" } else { "refused" },
        name.as_deref(),
        now,
    )
    .await?
    {
        return Err(AppError::field("state", "quote_not_sent"));
    }
    store::add_event(
        &mut tx,
        id,
        if accepted { "accepted" } else { "refused" },
        Some(actor.user().id),
        name.as_deref(),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// What the customer sees on the signed acceptance page.
#[derive(Clone, Debug)]
pub struct PublicQuote {
    pub cooperative_name: String,
    pub doc: DocRecord,
    pub lines: Vec<LineRecord>,
    pub computed: Computed,
    pub status: DisplayStatus,
}

async fn quote_by_token(
    tx: &mut Tx,
    token: &str,
) -> Result<(essaim_domain::cooperative::Cooperative, DocRecord), AppError> {
    let hash = secret::token_hash(token);
    let (coop, id) = store::by_accept_token(tx, &hash)
        .await?
        .ok_or(AppError::NotFound("quote"))?;
    let coop = essaim_storage::cooperative::find(tx, essaim_domain::ids::CooperativeId::new(coop))
        .await?
        .ok_or(AppError::NotFound("quote"))?;
    let doc = store::doc(tx, coop.id, SaleDocId::new(id))
        .await?
        .ok_or(AppError::NotFound("quote"))?;
    Ok((coop, doc))
}

pub async fn public_quote(app: &App, token: &str) -> Result<PublicQuote, AppError> {
    let mut tx = app.store.read().await?;
    let (coop, doc) = quote_by_token(&mut tx, token).await?;
    let lines = store::lines(&mut tx, SaleDocId::new(doc.sale_doc_id)).await?;
    tx.commit().await?;
    let computed = computed_of(&doc, &lines)?;
    Ok(PublicQuote {
        cooperative_name: coop.identity.legal_name.clone(),
        status: status_of(&doc, app.clock.now().date()),
        doc,
        lines,
        computed,
    })
}

/// The customer accepts (with their name) or refuses a quote through its signed link.
pub async fn answer_by_token(
    app: &App,
    token: &str,
    accept: bool,
    name: &str,
) -> Result<(), AppError> {
    let now = app.clock.now();
    let name = if accept {
        Some(
            essaim_domain::validation::required_text(name, 200)
                .map_err(|c| AppError::field("name", c))?,
        )
    } else {
        None
    };
    let mut tx = app.store.begin().await?;
    let (coop, doc) = quote_by_token(&mut tx, token).await?;
    if status_of(&doc, now.date()) != DisplayStatus::Sent {
        return Err(AppError::field("state", "quote_not_open"));
    }
    let id = SaleDocId::new(doc.sale_doc_id);
    if !store::set_quote_state(
        &mut tx,
        coop.id,
        id,
        "sent",
        if accept { "accepted" } else { "refused" },
        name.as_deref(),
        now,
    )
    .await?
    {
        return Err(AppError::field("state", "quote_not_open"));
    }
    store::add_event(
        &mut tx,
        id,
        if accept {
            "accepted_online"
        } else {
            "refused_online"
        },
        None,
        name.as_deref(),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

async fn accepted_quote(
    tx: &mut Tx,
    actor: &CoopActor,
    quote: SaleDocId,
) -> Result<(DocRecord, Computed, Vec<Row>), AppError> {
    let doc = load(tx, actor, quote).await?;
    require_on(
        actor,
        Permission::SaleManage,
        ActivityId::new(doc.activity_id),
    )?;
    if doc.kind != "quote" || doc.state != "accepted" {
        return Err(AppError::field("quote", "quote_not_accepted"));
    }
    let lines = store::lines(tx, quote).await?;
    let computed = computed_of(&doc, &lines)?;
    Ok((doc, computed, rows_of(&lines)?))
}

/// A deposit invoice draft on an accepted quote (INV-31): a percentage or an amount HT.
pub async fn create_deposit(
    app: &App,
    actor: &CoopActor,
    quote: SaleDocId,
    percent: &str,
    amount: &str,
) -> Result<SaleDocId, AppError> {
    let mut tx = app.store.begin().await?;
    let (doc, computed, _) = accepted_quote(&mut tx, actor, quote).await?;
    let spec = match (percent.trim(), amount.trim()) {
        (p, "") if !p.is_empty() => DepositSpec::Percent(
            essaim_domain::selling::compute::parse_decimal(p, 2)
                .map_err(|c| AppError::field("percent", c))?,
        ),
        ("", a) if !a.is_empty() => DepositSpec::Amount(
            Money::parse_eur(a)
                .map_err(|c| AppError::field("amount", c))?
                .cents(),
        ),
        _ => return Err(AppError::field("percent", "deposit_percent_or_amount")),
    };
    let number = doc.number.clone().unwrap_or_default();
    let rows = deposit_rows(&computed, &number, spec).map_err(|c| {
        AppError::field(
            if matches!(spec, DepositSpec::Percent(_)) {
                "percent"
            } else {
                "amount"
            },
            c,
        )
    })?;
    let id = insert_generated(
        &mut tx,
        app,
        actor,
        &doc,
        DocKind::Deposit,
        rows,
        PriceBasis::Ht,
        None,
        (Some(doc.sale_doc_id), None),
        "deposit",
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The final invoice draft of an accepted quote: its lines, minus each issued deposit (INV-31).
pub async fn create_final(
    app: &App,
    actor: &CoopActor,
    quote: SaleDocId,
) -> Result<SaleDocId, AppError> {
    let mut tx = app.store.begin().await?;
    let (doc, computed, rows) = accepted_quote(&mut tx, actor, quote).await?;
    // The deductions are in HT: the quote's lines are restated in HT first (same amounts).
    let (mut rows, overall) = in_ht(
        rows,
        &computed,
        parse_discount_code(doc.overall_discount.as_deref()),
    );
    let children = store::children(&mut tx, actor.cooperative, quote).await?;
    if children
        .iter()
        .any(|c| c.kind == "deposit" && c.state == "draft")
    {
        return Err(AppError::field("quote", "deposit_draft_pending"));
    }
    if children.iter().any(|c| c.kind == "invoice") {
        return Err(AppError::field("quote", "final_invoice_exists"));
    }
    for d in children
        .iter()
        .filter(|c| c.kind == "deposit" && c.state == "issued")
    {
        let lines = store::lines(&mut tx, SaleDocId::new(d.sale_doc_id)).await?;
        let computed = computed_of(d, &lines)?;
        rows.extend(deduction_rows(
            &computed,
            d.number.as_deref().unwrap_or_default(),
            d.doc_date,
        ));
    }
    let id = insert_generated(
        &mut tx,
        app,
        actor,
        &doc,
        DocKind::Invoice,
        rows,
        PriceBasis::Ht,
        overall,
        (Some(doc.sale_doc_id), None),
        "final_invoice",
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// A credit note draft cancelling an issued invoice (INV-14, INV-33): all its lines at their HT
/// prices; the entrepreneur may reduce it for a partial credit before validation.
pub async fn create_credit_note(
    app: &App,
    actor: &CoopActor,
    invoice: SaleDocId,
) -> Result<SaleDocId, AppError> {
    let mut tx = app.store.begin().await?;
    let doc = load(&mut tx, actor, invoice).await?;
    require_on(
        actor,
        Permission::SaleManage,
        ActivityId::new(doc.activity_id),
    )?;
    if !(matches!(doc.kind.as_str(), "invoice" | "deposit") && doc.state == "issued") {
        return Err(AppError::field("invoice", "credit_needs_issued_invoice"));
    }
    if doc.credited_cents >= doc.grand_total_cents {
        return Err(AppError::field("invoice", "invoice_fully_credited"));
    }
    let lines = store::lines(&mut tx, invoice).await?;
    let computed = computed_of(&doc, &lines)?;
    let (rows, overall) = in_ht(
        rows_of(&lines)?,
        &computed,
        parse_discount_code(doc.overall_discount.as_deref()),
    );
    let id = insert_generated(
        &mut tx,
        app,
        actor,
        &doc,
        DocKind::CreditNote,
        rows,
        PriceBasis::Ht,
        overall,
        (None, Some(doc.sale_doc_id)),
        "credit_note",
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Builds the document as it would print today (drafts and quotes) from live data.
async fn live_document(
    tx: &mut Tx,
    actor_coop: essaim_domain::ids::CooperativeId,
    settings: &essaim_storage::sale::SellingSettings,
    doc: &DocRecord,
    lines: &[LineRecord],
    number: Option<String>,
    issue_date: Date,
) -> Result<
    (
        SaleDocument,
        Computed,
        essaim_domain::selling::customer::CustomerDetails,
    ),
    AppError,
> {
    let kind = kind_of(doc)?;
    let coop = essaim_storage::cooperative::find(tx, actor_coop)
        .await?
        .ok_or(AppError::NotFound("cooperative"))?;
    let customer_rec = store::customer(tx, actor_coop, CustomerId::new(doc.customer_id))
        .await?
        .ok_or(AppError::NotFound("customer"))?;
    let customer = customer_details(&customer_rec)?;
    let rows = rows_of(lines)?;
    let basis = PriceBasis::parse(&doc.price_basis).unwrap_or(PriceBasis::Ht);
    let computed = compute_or_errors(
        &rows,
        basis,
        parse_discount_code(doc.overall_discount.as_deref()),
        issue_date,
    )?;
    let terms = PaymentTerms {
        days: u16::try_from(doc.payment_days).unwrap_or(30),
        end_of_month: doc.payment_end_of_month,
    };
    let mut preceding = Vec::new();
    if let Some(origin) = doc.origin_id
        && let Some(o) = store::doc(tx, actor_coop, SaleDocId::new(origin)).await?
        && let Some(n) = o.number
    {
        preceding.push(PrecedingInvoice {
            number: n,
            issue_date: o.doc_date,
        });
    }
    let due_date = match kind {
        DocKind::Invoice | DocKind::Deposit => Some(terms.due_date(issue_date)),
        _ => None,
    };
    let ctx = Context {
        kind,
        number,
        issue_date,
        due_date,
        valid_until: doc.valid_until,
        delivery_date: doc.delivery_date,
        seller: render::seller(&coop, &doc.activity_name, settings),
        customer: &customer,
        purchase_order: doc.purchase_order.clone(),
        terms,
        vat_on_debits: settings.vat_on_debits,
        preceding,
        notes: doc.notes.clone(),
        accepted_by: doc.accepted_by.clone(),
        accepted_on: doc.accepted_at.map(|a| a.date()),
    };
    let sale = render::sale_document(ctx, &computed);
    Ok((sale, computed, customer))
}

/// Validates an invoice, deposit or credit note: it gets the next number of its series and
/// today's date, and its content is frozen (INV-10…14, GEN-03). Allowed to holders of
/// `invoice.validate`, or to the activity's entrepreneur under their ceiling.
pub async fn validate(app: &App, actor: &CoopActor, id: SaleDocId) -> Result<String, AppError> {
    let mut tx = app.store.begin().await?;
    // STACK.md: the issue instant is taken after the numbering lock is held (BEGIN IMMEDIATE on
    // SQLite; the counter row lock on PostgreSQL, taken below before the date is read again).
    let doc = load(&mut tx, actor, id).await?;
    let kind = kind_of(&doc)?;
    if !kind.is_invoice_like() {
        return Err(AppError::field("kind", "not_an_invoice"));
    }
    if state_of(&doc)? != DocState::Draft {
        return Err(AppError::field("state", "document_frozen"));
    }
    if !may_validate(&mut tx, actor, &doc).await? {
        return Err(AppError::Forbidden);
    }
    let clock = app.clock.clone();
    let (number, computed) = issue_in(
        &mut tx,
        actor.cooperative,
        &doc,
        actor.user().id,
        || clock.now().date(),
        || clock.now(),
    )
    .await?;
    audit::record_in(
        &mut tx,
        app,
        actor,
        "sale.validate",
        ("sale_doc", id.to_string()),
        json!({ "number": number, "kind": kind.code(), "total_cents": computed.totals.grand_total_cents }),
    )
    .await?;
    tx.commit().await?;
    Ok(number)
}

/// Numbers and freezes a draft invoice, deposit or credit note inside `tx` (INV-10…14, GEN-03):
/// the next number of its series, the date of the day, the frozen snapshot and VAT per rate.
/// `clock` gives the date used to choose the series, `now_after_lock` the issue instant, read
/// once the series counter is locked (STACK.md). Returns the number and the amounts.
pub(crate) async fn issue_in(
    tx: &mut Tx,
    coop: essaim_domain::ids::CooperativeId,
    doc: &DocRecord,
    by: essaim_domain::ids::UserId,
    clock: impl Fn() -> Date,
    now_after_lock: impl Fn() -> time::OffsetDateTime,
) -> Result<(String, Computed), AppError> {
    let id = SaleDocId::new(doc.sale_doc_id);
    let kind = kind_of(doc)?;
    let settings = settings_for(tx, coop).await?;
    let template = NumberTemplate::parse(&settings.invoice_template, doc.analytic_code.len())
        .map_err(|c| AppError::field("invoice_template", c))?;
    let today = clock();
    let year = today.year();
    let series = template.series("invoice", year, &doc.analytic_code);
    let seq = store::next_number(tx, coop, &series).await?;
    let now = now_after_lock();
    let today = now.date();
    let number = template.format(year, &doc.analytic_code, seq);
    if number.len() > NUMBER_MAX_CHARS || !number.is_ascii() {
        return Err(AppError::field("invoice_template", "number_too_long"));
    }
    if store::last_issued_date(tx, coop, &series)
        .await?
        .is_some_and(|last| last > today)
    {
        // INV-10: numbers follow dates; a clock set back must not issue back-dated invoices.
        return Err(AppError::field("state", "chronology"));
    }
    let lines = store::lines(tx, id).await?;
    let (sale, computed, customer) = live_document(
        tx,
        coop,
        &settings,
        doc,
        &lines,
        Some(number.clone()),
        today,
    )
    .await?;
    let problems = issue_problems(kind, &computed, &customer);
    if let Some(first) = problems.first() {
        return Err(AppError::field("lines", first));
    }
    let mut origin_kind = None;
    if kind == DocKind::CreditNote {
        let origin_id = doc
            .origin_id
            .ok_or_else(|| AppError::field("invoice", "credit_needs_issued_invoice"))?;
        let origin = store::doc(tx, coop, SaleDocId::new(origin_id))
            .await?
            .ok_or(AppError::NotFound("invoice"))?;
        origin_kind = DocKind::parse(&origin.kind);
        if computed.totals.grand_total_cents > origin.grand_total_cents - origin.credited_cents {
            return Err(AppError::field("lines", "credit_exceeds_invoice"));
        }
        store::add_credited(
            tx,
            SaleDocId::new(origin_id),
            computed.totals.grand_total_cents,
        )
        .await?;
    }
    let snapshot =
        serde_json::to_string(&sale).map_err(|e| AppError::Internal(format!("snapshot: {e}")))?;
    let vat: Vec<(String, i64, i64)> = computed
        .vat
        .iter()
        .map(|v| (v.vat.code.to_owned(), v.basis_cents, v.vat_cents))
        .collect();
    // The frozen lines and totals are those computed on the validation date.
    let rows = rows_of(&lines)?;
    store::update_draft(
        tx,
        coop,
        id,
        &DocHead {
            activity_id: doc.activity_id,
            customer_id: doc.customer_id,
            kind: doc.kind.clone(),
            doc_date: today,
            valid_until: None,
            due_date: None,
            delivery_date: doc.delivery_date,
            purchase_order: doc.purchase_order.clone(),
            price_basis: doc.price_basis.clone(),
            overall_discount: doc.overall_discount.clone(),
            notes: doc.notes.clone(),
            payment_days: doc.payment_days,
            payment_end_of_month: doc.payment_end_of_month,
            quote_id: doc.quote_id,
            origin_id: doc.origin_id,
        },
        &totals_of(&computed),
        &records_of(&rows, &computed),
        now,
    )
    .await?;
    let issued = store::Issue {
        state: "issued",
        series: &series,
        seq,
        number: &number,
        doc_date: today,
        due_date: sale.due_date,
        snapshot: &snapshot,
        vat: &vat,
        by,
        now,
    };
    if !store::issue(tx, coop, id, &issued).await? {
        return Err(AppError::field("state", "document_frozen"));
    }
    store::add_event(tx, id, "validated", Some(by), Some(&number), now).await?;
    // ACC rules: the entry is posted in the same transaction as the validation, from the lines
    // and VAT just frozen.
    let facts = essaim_domain::ledger::posting::SaleFacts {
        kind,
        number: number.clone(),
        date: today,
        customer: crate::books::customer_aux(doc.customer_id, &doc.customer_name),
        analytic: doc.analytic_code.clone(),
        lines: records_of(&rows, &computed)
            .iter()
            .filter_map(crate::books::line_fact)
            .collect(),
        vat: vat.iter().map(crate::books::vat_fact).collect(),
        grand_total_cents: computed.totals.grand_total_cents,
        vat_on_debits: settings.vat_on_debits,
        credits_deposit: origin_kind == Some(DocKind::Deposit),
    };
    crate::books::post_sale_in(tx, coop, id, &facts, Some(by), now).await?;
    if let (DocKind::CreditNote, Some(origin)) = (kind, doc.origin_id) {
        let origin = store::doc(tx, coop, SaleDocId::new(origin))
            .await?
            .ok_or(AppError::NotFound("invoice"))?;
        crate::books::letter_if_settled_in(tx, coop, &origin, today).await?;
    }
    // EIN-02, EIN-03: an invoice to a French business goes out through the platform, queued in
    // this same transaction.
    crate::einvoicing::sending::queue_in(tx, coop, id, kind, &customer, Some(by), now).await?;
    Ok((number, computed))
}

#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct PaymentInput {
    pub paid_on: String,
    pub amount: String,
    pub mode: String,
    pub reference: String,
}

/// Records a payment received on an issued invoice (`payment.record`), its VAT split across
/// rates in proportion to what remains due (INV-41).
pub async fn record_payment(
    app: &App,
    actor: &CoopActor,
    id: SaleDocId,
    input: &PaymentInput,
) -> Result<(), AppError> {
    let now = app.clock.now();
    let mut e = FieldErrors::new();
    let paid_on = e.check("paid_on", parse_date(&input.paid_on));
    if paid_on.is_some_and(|d| d > now.date()) {
        e.add("paid_on", "date_future");
    }
    let amount = e.check("amount", Money::parse_eur(&input.amount));
    let mode = PaymentMode::parse(input.mode.trim());
    if mode.is_none() {
        e.add("mode", "payment_mode_unknown");
    }
    let reference = e
        .check("reference", optional_text(&input.reference, 140))
        .flatten();
    let (Some(paid_on), Some(amount), Some(mode)) = (paid_on, amount, mode) else {
        return Err(e.into());
    };
    if !e.is_empty() {
        return Err(e.into());
    }
    let mut tx = app.store.begin().await?;
    let doc = load(&mut tx, actor, id).await?;
    require_on(
        actor,
        Permission::PaymentRecord,
        ActivityId::new(doc.activity_id),
    )?;
    if doc.state != "issued" || doc.kind == "credit_note" {
        return Err(AppError::field("amount", "payment_needs_issued_invoice"));
    }
    if paid_on < doc.doc_date {
        return Err(AppError::field("paid_on", "paid_before_invoice"));
    }
    let outstanding = doc.grand_total_cents - doc.paid_cents - doc.credited_cents;
    if amount.cents() > outstanding {
        return Err(AppError::field("amount", "payment_exceeds_due"));
    }
    pay_in(
        &mut tx,
        actor.cooperative,
        id,
        paid_on,
        amount.cents(),
        mode,
        reference.as_deref(),
        actor.user().id,
        now,
    )
    .await?;
    audit::record_in(
        &mut tx,
        app,
        actor,
        "sale.payment",
        ("sale_doc", id.to_string()),
        json!({ "amount_cents": amount.cents(), "mode": mode.code() }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Records a payment inside `tx`: its VAT split across rates in proportion to what remains due
/// on each (INV-41). The caller checked the amount against what is due.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn pay_in(
    tx: &mut Tx,
    coop: essaim_domain::ids::CooperativeId,
    id: SaleDocId,
    paid_on: Date,
    amount_cents: i64,
    mode: PaymentMode,
    reference: Option<&str>,
    by: essaim_domain::ids::UserId,
    now: time::OffsetDateTime,
) -> Result<(i64, i64), AppError> {
    let paid = store::paid_per_rate(tx, id).await?;
    let due: Vec<RateDue> = store::vat_rows(tx, id)
        .await?
        .into_iter()
        .map(|(code, basis, vat)| {
            let (pt, pv) = paid
                .iter()
                .find(|(c, _, _)| *c == code)
                .map_or((0, 0), |(_, t, v)| (*t, *v));
            RateDue {
                vat_code: code,
                ttc_cents: basis + vat - pt,
                vat_cents: vat - pv,
            }
        })
        .collect();
    let shares = payment::allocate(&due, amount_cents)
        .map_err(|err| AppError::field("amount", err.code()))?;
    let vat: Vec<(String, i64, i64)> = shares
        .into_iter()
        .map(|s| (s.vat_code, s.ttc_cents, s.vat_cents))
        .collect();
    let payment_id = store::insert_payment(
        tx,
        coop,
        &NewPayment {
            doc: id,
            paid_on,
            amount_cents,
            mode: mode.code(),
            reference,
            vat: &vat,
            by,
            now,
        },
    )
    .await?;
    let (entry_id, settled) = crate::books::post_payment_in(
        tx,
        coop,
        id,
        payment_id.get(),
        paid_on,
        amount_cents,
        mode,
        &vat,
        Some(by),
        now,
    )
    .await?;
    crate::books::letter_if_settled_in(tx, coop, &settled, paid_on).await?;
    store::add_event(
        tx,
        id,
        "payment",
        Some(by),
        Some(&Money::eur(amount_cents).format_fr()),
        now,
    )
    .await?;
    // EIN-21: a payment on a services invoice that went out is reported to the platform (212).
    crate::einvoicing::statuses::collected_in(
        tx,
        coop,
        id,
        payment_id.get(),
        amount_cents,
        paid_on,
        now,
    )
    .await?;
    Ok((payment_id.get(), entry_id))
}

/// The document's printable form: the frozen snapshot of an issued invoice, or the live draft.
pub async fn document(
    app: &App,
    actor: &CoopActor,
    id: SaleDocId,
) -> Result<(SaleDocument, essaim_documents::sale::Branding), AppError> {
    let mut tx = app.store.read().await?;
    load(&mut tx, actor, id).await?;
    tx.commit().await?;
    document_in_coop(app, actor.cooperative, id).await
}

/// [`document`] without a person: for the job that e-mails it and the command line.
pub async fn document_in_coop(
    app: &App,
    coop: essaim_domain::ids::CooperativeId,
    id: SaleDocId,
) -> Result<(SaleDocument, essaim_documents::sale::Branding), AppError> {
    let mut tx = app.store.read().await?;
    let doc = store::doc(&mut tx, coop, id)
        .await?
        .ok_or(AppError::NotFound("document"))?;
    let settings = settings_for(&mut tx, coop).await?;
    let logo = essaim_storage::cooperative::find_logo(&mut tx, coop).await?;
    let snapshot = store::snapshot(&mut tx, id).await?;
    let sale = match snapshot.as_deref() {
        Some(snapshot) => {
            let mut frozen = serde_json::from_str::<SaleDocument>(snapshot)
                .map_err(|e| AppError::Internal(format!("snapshot: {e}")))?;
            render::complete_trade_quantities(&mut frozen);
            frozen
        }
        None => {
            let lines = store::lines(&mut tx, id).await?;
            live_document(
                &mut tx,
                coop,
                &settings,
                &doc,
                &lines,
                doc.number.clone(),
                doc.doc_date,
            )
            .await?
            .0
        }
    };
    tx.commit().await?;
    let logo = logo.and_then(|l| {
        let kind = match l.content_type.as_str() {
            "image/png" => "png",
            "image/jpeg" => "jpg",
            _ => return None,
        };
        Some((l.bytes, kind))
    });
    Ok((sale, render::branding(&settings, logo)))
}

/// A file name for the document: `F2026-00012.pdf`, `brouillon-42.pdf`.
pub fn file_stem(doc: &SaleDocument, id: SaleDocId) -> String {
    doc.number
        .clone()
        .unwrap_or_else(|| format!("brouillon-{id}"))
        .replace(['/', '\\'], "-")
}

/// The PDF (PDF/A-3 with Factur-X for issued invoices and credit notes).
pub async fn pdf(
    app: &App,
    actor: &CoopActor,
    id: SaleDocId,
) -> Result<(String, Vec<u8>), AppError> {
    let (sale, branding) = document(app, actor, id).await?;
    let name = format!("{}.pdf", file_stem(&sale, id));
    let bytes =
        tokio::task::spawn_blocking(move || essaim_documents::sale::sale_pdf(&sale, &branding))
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?
            .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok((name, bytes))
}

/// The Factur-X CII XML of an issued invoice or credit note.
pub async fn xml(
    app: &App,
    actor: &CoopActor,
    id: SaleDocId,
) -> Result<(String, String), AppError> {
    let (sale, _) = document(app, actor, id).await?;
    if sale.number.is_none() || sale.kind == essaim_documents::sale::SaleKind::Quote {
        return Err(AppError::field("state", "xml_needs_issued_invoice"));
    }
    let name = format!("{}-factur-x.xml", file_stem(&sale, id));
    let xml =
        essaim_documents::sale::cii_xml(&sale).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok((name, xml))
}

/// A filtered page of documents the person may read, with the totals of the whole set.
pub async fn list(
    app: &App,
    actor: &CoopActor,
    mut filter: DocFilter,
    limit: i64,
    offset: i64,
) -> Result<(Vec<DocRecord>, ListTotals), AppError> {
    filter.activities = readable_activities(actor)?;
    filter.today = Some(app.clock.now().date());
    // The page and the totals of the whole set run at once, each in its own read transaction
    // (on a busy cooperative the totals may count a document validated between the two reads).
    let page = async {
        let mut tx = app.store.read().await?;
        let rows = store::list_docs(&mut tx, actor.cooperative, &filter, limit, offset).await?;
        tx.commit().await?;
        Ok::<_, AppError>(rows)
    };
    let totals = async {
        let mut tx = app.store.read().await?;
        let totals = store::list_totals(&mut tx, actor.cooperative, &filter).await?;
        tx.commit().await?;
        Ok::<_, AppError>(totals)
    };
    let (rows, totals) = tokio::try_join!(page, totals)?;
    Ok((rows, totals))
}

/// Overdue amounts by activity and age (0–30, 31–60, 61–90, over 90 days), and not yet due.
#[derive(Clone, Debug, Default)]
pub struct AgeingRow {
    pub activity_id: i64,
    pub activity_name: String,
    pub not_due_cents: i64,
    pub buckets: [i64; 4],
}

pub async fn ageing(app: &App, actor: &CoopActor) -> Result<Vec<AgeingRow>, AppError> {
    let reach = readable_activities(actor)?;
    let today = app.clock.now().date();
    let mut tx = app.store.read().await?;
    let rows = store::receivables(&mut tx, actor.cooperative, reach.as_deref()).await?;
    tx.commit().await?;
    let mut out: Vec<AgeingRow> = Vec::new();
    for (activity_id, name, due, amount) in rows {
        let idx = match out.iter().position(|r| r.activity_id == activity_id) {
            Some(i) => i,
            None => {
                out.push(AgeingRow {
                    activity_id,
                    activity_name: name,
                    ..AgeingRow::default()
                });
                out.len() - 1
            }
        };
        let row = &mut out[idx];
        match AgeBucket::of(due, today) {
            AgeBucket::NotDue => row.not_due_cents += amount,
            b => {
                if let Some(i) = AgeBucket::OVERDUE.iter().position(|x| *x == b) {
                    row.buckets[i] += amount;
                }
            }
        }
    }
    out.sort_by(|a, b| a.activity_name.cmp(&b.activity_name));
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// The command line, which acts without a signed-in person (whoever runs it holds the database).

/// The printable form of a document found by its id alone, in whichever cooperative holds it
/// (see [`document_in_coop`]).
pub async fn document_for_cli(
    app: &App,
    id: SaleDocId,
) -> Result<(SaleDocument, essaim_documents::sale::Branding), AppError> {
    let mut tx = app.store.read().await?;
    let mut found = None;
    for coop in essaim_storage::cooperative::all_ids(&mut tx).await? {
        if store::doc(&mut tx, coop, id).await?.is_some() {
            found = Some(coop);
            break;
        }
    }
    tx.commit().await?;
    let coop = found.ok_or(AppError::NotFound("document"))?;
    document_in_coop(app, coop, id).await
}

/// [`pdf`] for the command line: the file name and the bytes.
pub async fn pdf_for_cli(app: &App, id: SaleDocId) -> Result<(String, Vec<u8>), AppError> {
    let (sale, branding) = document_for_cli(app, id).await?;
    let name = format!("{}.pdf", file_stem(&sale, id));
    let bytes =
        tokio::task::spawn_blocking(move || essaim_documents::sale::sale_pdf(&sale, &branding))
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?
            .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok((name, bytes))
}

/// [`xml`] for the command line: only issued invoices and credit notes have one.
pub async fn xml_for_cli(app: &App, id: SaleDocId) -> Result<(String, String), AppError> {
    let (sale, _) = document_for_cli(app, id).await?;
    if sale.number.is_none() || sale.kind == essaim_documents::sale::SaleKind::Quote {
        return Err(AppError::field("state", "xml_needs_issued_invoice"));
    }
    let name = format!("{}-factur-x.xml", file_stem(&sale, id));
    let xml =
        essaim_documents::sale::cii_xml(&sale).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok((name, xml))
}
