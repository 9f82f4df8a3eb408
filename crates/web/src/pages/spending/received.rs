//! Supplier invoices received through the e-invoicing platform (issue 20 item 5, EIN-40): the
//! list (with the support team's triage queue), a received invoice's page with its original file,
//! its assignment to an activity and its answer (approve, dispute, refuse).

use super::*;
use crate::view::datetime;
use axum::http::StatusCode;
use essaim_app::einvoicing::receiving::{self, AnswerInput};
use essaim_domain::einvoicing::incoming::{REASONS, ReceivedState};

pub struct ReceivedRow {
    pub href: String,
    pub received: String,
    pub supplier: String,
    pub number: String,
    pub activity: String,
    pub total: String,
    pub state: String,
    pub state_code: String,
}

#[derive(Template)]
#[template(path = "spending/received.html")]
pub struct ReceivedListPage {
    pub l: Layout,
    pub rows: Vec<ReceivedRow>,
    pub all: bool,
    pub open_href: String,
    pub all_href: String,
    pub back: String,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct ReceivedQuery {
    pub all: String,
}

fn state_label(t: crate::i18n::Tr, code: &str) -> String {
    t.get(&format!("received.state.{code}")).to_owned()
}

pub async fn received_invoices(
    Ctx { app, coop, page }: Ctx,
    Query(q): Query<ReceivedQuery>,
) -> PageResult {
    let t = page.layout.t;
    let slug = &coop.slug;
    let all = !q.all.is_empty();
    let rows = receiving::list(&app, &coop, !all).await?;
    Ok(render(&ReceivedListPage {
        rows: rows
            .iter()
            .map(|r| ReceivedRow {
                href: paths::received_invoice(slug, r.pa_received_id),
                received: date(r.received_at.date()),
                supplier: if r.supplier_name.is_empty() {
                    r.name.clone()
                } else {
                    r.supplier_name.clone()
                },
                number: r.number.clone(),
                activity: r
                    .activity_name
                    .clone()
                    .unwrap_or_else(|| t.get("received.unassigned").to_owned()),
                total: money(r.total_cents),
                state: state_label(t, &r.state),
                state_code: r.state.clone(),
            })
            .collect(),
        all,
        open_href: paths::received_invoices(slug),
        all_href: format!("{}?all=1", paths::received_invoices(slug)),
        back: paths::supplier_invoices(slug),
        l: page.layout.clone(),
    }))
}

#[derive(Template)]
#[template(path = "spending/received_one.html")]
pub struct ReceivedPage {
    pub l: Layout,
    pub heading: String,
    pub state: String,
    pub state_code: String,
    pub problem: String,
    pub summary: Vec<(String, String)>,
    pub file_href: String,
    pub back: String,
    pub supplier_invoice_href: Option<String>,
    pub may_assign: bool,
    pub activities: Vec<Choice>,
    pub assign_action: String,
    pub may_answer: bool,
    pub may_dispute: bool,
    pub may_validate: bool,
    pub categories: Vec<Choice>,
    pub reasons: Vec<Choice>,
    pub answer_action: String,
    pub f: AnswerInput,
    /// When, status, who, reason, sent or not.
    pub answers: Vec<(String, String, String, String, String)>,
    pub errors: Errors,
}

async fn received_page(
    app: &App,
    page: &Page,
    coop: &CoopActor,
    id: i64,
    f: AnswerInput,
    errors: Errors,
) -> PageResult {
    let t = page.layout.t;
    let slug = &coop.slug;
    let v = receiving::show(app, coop, id).await?;
    let r = &v.record;
    let mut summary = vec![
        (
            t.get("received.received_at").to_owned(),
            datetime(r.received_at),
        ),
        (
            t.get("supplier.supplier").to_owned(),
            match &r.supplier_siren {
                Some(s) => format!("{} — SIREN {s}", r.supplier_name),
                None => r.supplier_name.clone(),
            },
        ),
        (t.get("sales.number").to_owned(), r.number.clone()),
    ];
    if let Some(d) = r.issue_date {
        summary.push((t.get("sales.date").to_owned(), date(d)));
    }
    if let Some(d) = r.due_date {
        summary.push((t.get("supplier.due_date").to_owned(), date(d)));
    }
    summary.extend([
        (t.get("sales.total_ht").to_owned(), money(r.net_cents)),
        (t.get("sales.vat").to_owned(), money(r.vat_cents)),
        (t.get("sales.total_ttc").to_owned(), money(r.total_cents)),
        (
            t.get("sales.activity").to_owned(),
            r.activity_name
                .clone()
                .unwrap_or_else(|| t.get("received.unassigned").to_owned()),
        ),
        (
            t.get("received.format").to_owned(),
            t.get(&format!("received.syntax.{}", r.syntax)).to_owned(),
        ),
    ]);
    if let Some(code) = &r.routing_code {
        summary.push((t.get("received.routing_code").to_owned(), code.clone()));
    }
    let activities = if v.may_assign {
        activities::names(app, coop)
            .await?
            .into_iter()
            .map(|(aid, name)| {
                Choice::new(
                    aid.get().to_string(),
                    name,
                    r.activity_id == Some(aid.get()),
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    let categories = if v.may_answer {
        category_choices(&spending::categories(app, coop).await?, &f.category)
    } else {
        Vec::new()
    };
    let status = if errors.any() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok(crate::error::render_status(
        status,
        &ReceivedPage {
            heading: format!(
                "{} {}",
                t.get("received.heading_one"),
                if r.number.is_empty() {
                    &r.name
                } else {
                    &r.number
                }
            ),
            state: state_label(t, &r.state),
            state_code: r.state.clone(),
            problem: if r.problem.is_empty() {
                String::new()
            } else {
                t.error(&r.problem).to_owned()
            },
            summary,
            file_href: paths::received_invoice_file(slug, id),
            back: paths::received_invoices(slug),
            supplier_invoice_href: r
                .supplier_invoice_id
                .map(|s| paths::supplier_invoice(slug, s)),
            may_assign: v.may_assign,
            activities,
            assign_action: format!("{}/assign", paths::received_invoice(slug, id)),
            may_answer: v.may_answer,
            may_dispute: v.may_answer && v.state == ReceivedState::Routed,
            may_validate: v.may_validate,
            categories,
            reasons: REASONS
                .iter()
                .map(|(code, label)| Choice::new(*code, *label, f.reason == *code))
                .collect(),
            answer_action: format!("{}/answer", paths::received_invoice(slug, id)),
            answers: v
                .answers
                .iter()
                .map(|a| {
                    (
                        datetime(a.at),
                        format!(
                            "{} {}",
                            a.status,
                            t.get(&format!("einvoice_status.{}", a.status))
                        ),
                        a.by_name.clone().unwrap_or_default(),
                        a.reason.clone().unwrap_or_default(),
                        t.get(&format!("received.answer_state.{}", a.state))
                            .to_owned(),
                    )
                })
                .collect(),
            f,
            errors,
            l: page.layout.clone(),
        },
    ))
}

pub async fn received_invoice(Ctx { app, coop, page }: Ctx, Id(id): Id<i64>) -> PageResult {
    received_page(
        &app,
        &page,
        &coop,
        id,
        AnswerInput::default(),
        Errors::default(),
    )
    .await
}

pub async fn received_invoice_file(Ctx { app, coop, .. }: Ctx, Id(id): Id<i64>) -> PageResult {
    let (name, content_type, bytes) = receiving::file(&app, &coop, id).await?;
    Ok(view::private_file(&name, &content_type, bytes))
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct AssignForm {
    pub activity: String,
}

pub async fn assign_received_invoice(
    Ctx { app, coop, page }: Ctx,
    Id(id): Id<i64>,
    Form(f): Form<AssignForm>,
) -> PageResult {
    let outcome = receiving::assign(&app, &coop, id, &f.activity).await;
    forms::submit(
        &page,
        outcome,
        |()| paths::received_invoice(&coop.slug, id),
        async |errors| received_page(&app, &page, &coop, id, AnswerInput::default(), errors).await,
    )
    .await
}

pub async fn answer_received_invoice(
    Ctx { app, coop, page }: Ctx,
    Id(id): Id<i64>,
    Form(f): Form<AnswerInput>,
) -> PageResult {
    let outcome = receiving::answer(&app, &coop, id, &f).await;
    forms::submit(
        &page,
        outcome,
        |()| paths::received_invoice(&coop.slug, id),
        async |errors| received_page(&app, &page, &coop, id, f.clone(), errors).await,
    )
    .await
}
