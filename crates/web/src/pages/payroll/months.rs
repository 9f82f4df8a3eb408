//! The month's payroll (issue 6, point 5): variables per person reviewed then locked, exported for
//! the payroll bureau, and the payslips it returns imported, with the gap to the simulation.

use crate::pages::prelude::*;
use axum::extract::Multipart;
use essaim_app::payroll::bridge::{self, MonthStatus, PayMonth};
use essaim_domain::payroll::bridge::VariablesInput;

pub struct MonthRow {
    pub label: String,
    pub status: String,
    pub href: String,
}

#[derive(Template)]
#[template(path = "payroll/months.html")]
pub struct MonthsPage {
    pub l: Layout,
    pub months: Vec<MonthRow>,
    pub month: String,
    pub errors: Errors,
    pub action: String,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct MonthForm {
    pub month: String,
}

fn status_label(t: crate::i18n::Tr, s: MonthStatus) -> String {
    t.get(&format!("payroll_month.status.{}", s.code()))
        .to_string()
}

fn month_label(t: crate::i18n::Tr, m: &str) -> String {
    essaim_domain::spending::report::ReportMonth::parse(m)
        .map(|rm| view::month(t, rm.year, rm.month))
        .unwrap_or_else(|_| m.to_string())
}

async fn months_page(
    app: &App,
    page: &Page,
    coop: &CoopActor,
    month: String,
    errors: Errors,
) -> PageResult {
    let t = page.layout.t;
    let months = bridge::months(app, coop)
        .await?
        .into_iter()
        .map(|m| MonthRow {
            label: month_label(t, &m.month),
            status: status_label(t, m.status),
            href: paths::payroll_month(&coop.slug, &m.month),
        })
        .collect();
    Ok(render(&MonthsPage {
        months,
        month,
        errors,
        action: paths::payroll_months(&coop.slug),
        l: page.layout.clone(),
    }))
}

pub async fn list(Ctx { app, coop, page }: Ctx) -> PageResult {
    let today = app.clock.today();
    let current = format!("{}-{:02}", today.year(), u8::from(today.month()));
    months_page(&app, &page, &coop, current, Errors::default()).await
}

/// Opens a month's page (nothing is written until a variable is saved or the month locked).
pub async fn go(Ctx { app, coop, page }: Ctx, Form(f): Form<MonthForm>) -> PageResult {
    let outcome = bridge::month(&app, &coop, &f.month).await;
    forms::submit(
        &page,
        outcome,
        |m| paths::payroll_month(&coop.slug, &m.month.to_string()),
        async |errors| months_page(&app, &page, &coop, f.month, errors).await,
    )
    .await
}

pub struct FieldRow {
    pub name: &'static str,
    pub label: String,
    pub value: String,
    pub error: String,
    pub numeric: bool,
}

pub struct PersonRow {
    pub name: String,
    pub code: String,
    pub fields: Vec<FieldRow>,
    pub f: VariablesInput,
    pub gross: String,
    pub reviewed: bool,
    pub action: String,
    pub errors: Errors,
    pub payslip: Option<SlipRow>,
}

pub struct SlipRow {
    pub gross: String,
    pub net: String,
    pub cost: String,
    pub simulated: String,
    pub gap: String,
    pub entry_href: Option<String>,
}

#[derive(Template)]
#[template(path = "payroll/month.html")]
pub struct MonthPage {
    pub l: Layout,
    pub title: String,
    pub status: String,
    pub open: bool,
    pub locked: bool,
    pub imported: bool,
    pub rows: Vec<PersonRow>,
    pub total_gross: String,
    pub lock_action: String,
    pub import_action: String,
    pub csv_href: String,
    pub xlsx_href: String,
    pub list_href: String,
    pub notice: Option<String>,
    pub errors: Errors,
    pub import_errors: Vec<String>,
}

/// What to show again after a failed action: the row typed and its errors, or the import's.
#[derive(Default)]
struct Again {
    /// The row typed again, its errors, and whether PAY-24 asks for a reason to override.
    user: Option<(i64, VariablesInput, Errors, bool)>,
    errors: Errors,
    import_errors: Vec<String>,
    notice: Option<String>,
}

fn month_page(page: &Page, coop: &CoopActor, m: PayMonth, again: Again) -> Response {
    let t = page.layout.t;
    let key = m.month.to_string();
    let books = coop.may(essaim_domain::access::Permission::BooksRead);
    let rows = m
        .rows
        .iter()
        .map(|r| {
            let (f, errors, pay24) = match &again.user {
                Some((u, f, e, p)) if *u == r.user_id => (f.clone(), e.clone(), *p),
                _ => (VariablesInput::of(&r.variables), Errors::default(), false),
            };
            let fields = [
                ("fixed_gross", &f.fixed_gross),
                ("variable", &f.variable),
                ("expenses", &f.expenses),
                ("absence_days", &f.absence_days),
                ("note", &f.note),
            ]
            .into_iter()
            .chain(pay24.then_some(("override_reason", &String::new())))
            .map(|(name, value)| FieldRow {
                name,
                label: t.get(&format!("payroll_month.{name}")).to_string(),
                value: value.clone(),
                error: errors.get(name).to_string(),
                numeric: name != "note" && name != "override_reason",
            })
            .collect();
            PersonRow {
                fields,
                name: r.name.clone(),
                code: essaim_domain::ledger::spending::person_aux(r.user_id, "").code,
                f,
                gross: r.variables.gross().format_fr(),
                reviewed: r.reviewed,
                action: format!(
                    "{}/people/{}",
                    paths::payroll_month(&coop.slug, &key),
                    r.user_id
                ),
                errors,
                payslip: r.payslip.as_ref().map(|p| SlipRow {
                    gross: p.gross.format_fr(),
                    net: p.net.format_fr(),
                    cost: p.employer_cost.format_fr(),
                    simulated: p.simulated_cost.format_fr(),
                    gap: essaim_domain::payroll::bridge::gap(p.employer_cost, p.simulated_cost)
                        .format_fr(),
                    entry_href: books.then(|| paths::books_entry(&coop.slug, p.entry_id)),
                }),
            }
        })
        .collect();
    let total: i64 = m.rows.iter().map(|r| r.variables.gross().cents()).sum();
    let base = paths::payroll_month(&coop.slug, &key);
    render(&MonthPage {
        title: t.fmt(
            "payroll_month.title",
            &[&view::month(t, m.month.year, m.month.month)],
        ),
        status: status_label(t, m.status),
        open: m.status == MonthStatus::Open,
        locked: m.status == MonthStatus::Locked,
        imported: m.status == MonthStatus::Imported,
        rows,
        total_gross: essaim_domain::money::Money::eur(total).format_fr(),
        lock_action: format!("{base}/lock"),
        import_action: format!("{base}/payslips"),
        csv_href: format!("{base}/export/csv"),
        xlsx_href: format!("{base}/export/xlsx"),
        list_href: paths::payroll_months(&coop.slug),
        notice: again.notice,
        errors: again.errors,
        import_errors: again.import_errors,
        l: page.layout.clone(),
    })
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct ShowQuery {
    pub done: String,
}

pub async fn show(
    Ctx { app, coop, page }: Ctx,
    Path((_, month)): Path<(String, String)>,
    Query(q): Query<ShowQuery>,
) -> PageResult {
    let m = bridge::month(&app, &coop, &month).await?;
    let t = page.layout.t;
    let notice = match q.done.as_str() {
        "saved" => Some(t.get("form.saved").to_string()),
        "locked" => Some(t.get("payroll_month.locked_notice").to_string()),
        "imported" => Some(t.get("payroll_month.imported_notice").to_string()),
        _ => None,
    };
    Ok(month_page(
        &page,
        &coop,
        m,
        Again {
            notice,
            ..Again::default()
        },
    ))
}

/// A person's variables, and the reason to pay them although the forecast turns negative (PAY-24).
#[derive(Clone, Debug, Default, Deserialize)]
pub struct PersonForm {
    #[serde(flatten)]
    pub variables: VariablesInput,
    #[serde(default)]
    pub override_reason: String,
}

pub async fn save_person(
    Ctx { app, coop, page }: Ctx,
    Path((_, month, user)): Path<(String, String, i64)>,
    Form(form): Form<PersonForm>,
) -> PageResult {
    let f = form.variables;
    let outcome =
        bridge::save_variables(&app, &coop, &month, user, &f, &form.override_reason).await;
    let pay24 = matches!(&outcome, Err(AppError::Invalid(e)) if e.0.iter().any(|x| x.code == "pay24_forecast_negative"));
    forms::submit(
        &page,
        outcome,
        |()| format!("{}?done=saved", paths::payroll_month(&coop.slug, &month)),
        async |errors| {
            let m = bridge::month(&app, &coop, &month).await?;
            let again = if errors.has("month") {
                Again {
                    errors,
                    ..Again::default()
                }
            } else {
                Again {
                    user: Some((user, f, errors, pay24)),
                    ..Again::default()
                }
            };
            Ok(month_page(&page, &coop, m, again))
        },
    )
    .await
}

pub async fn lock(
    Ctx { app, coop, page }: Ctx,
    Path((_, month)): Path<(String, String)>,
) -> PageResult {
    let outcome = bridge::lock(&app, &coop, &month).await;
    forms::submit(
        &page,
        outcome,
        |_| format!("{}?done=locked", paths::payroll_month(&coop.slug, &month)),
        async |errors| {
            let m = bridge::month(&app, &coop, &month).await?;
            Ok(month_page(
                &page,
                &coop,
                m,
                Again {
                    errors,
                    ..Again::default()
                },
            ))
        },
    )
    .await
}

pub async fn export(
    Ctx { app, coop, .. }: Ctx,
    Path((_, month, format)): Path<(String, String, String)>,
) -> PageResult {
    let table = bridge::variables_table(&app, &coop, &month).await?;
    view::table_file(&table, &format!("paie-{month}"), &format)
}

pub async fn import(
    Ctx { app, coop, page }: Ctx,
    Path((_, month)): Path<(String, String)>,
    mp: Multipart,
) -> PageResult {
    let (_, file): (MonthForm, _) = forms::multipart(mp, "file").await;
    let outcome = match file {
        Some(u) => bridge::import_payslips(&app, &coop, &month, &u.bytes).await,
        None => Err(AppError::field("file", "required")),
    };
    let t = page.layout.t;
    match outcome {
        Ok(_) => Ok(Redirect::to(&format!(
            "{}?done=imported",
            paths::payroll_month(&coop.slug, &month)
        ))
        .into_response()),
        Err(AppError::Invalid(fe)) => {
            let import_errors =
                fe.0.iter()
                    .map(|e| match e.row {
                        Some(line) if line > 0 => t.fmt(
                            "payroll_month.line_error",
                            &[&line.to_string(), &t.error(e.code)],
                        ),
                        _ => t.error(e.code),
                    })
                    .collect();
            let m = bridge::month(&app, &coop, &month).await?;
            Ok(view::unprocessable(month_page(
                &page,
                &coop,
                m,
                Again {
                    import_errors,
                    ..Again::default()
                },
            )))
        }
        Err(e) => Err(e.into()),
    }
}
