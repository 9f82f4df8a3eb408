//! Expense reports: the list (one's own, or the cooperative's queue), a report with its
//! expenses, receipts and trips, and the forms that fill, send and decide it.

use super::*;
use axum::extract::Multipart;
use essaim_app::spending::reports::{self, DecisionInput, LineKind, PayeeInput, ReportView};
use essaim_domain::spending::category::{CategoryInput, rate_percent_typed};
use essaim_domain::spending::mileage::{MileageInput, VehicleKind};
use essaim_domain::spending::report::{ExpenseInput, ReportMonth, ReportStatus};

pub struct ReportRow {
    pub href: String,
    pub month: String,
    pub person: String,
    pub status: String,
    pub status_code: String,
    pub lines: i64,
    pub refund: String,
}

#[derive(Template)]
#[template(path = "spending/reports.html")]
pub struct ReportsPage {
    pub l: Layout,
    pub rows: Vec<ReportRow>,
    /// The cooperative's list (with names and filters), or one's own.
    pub everyone: bool,
    pub may_fill: bool,
    pub may_configure: bool,
    pub may_pay: bool,
    pub open_action: String,
    pub month: String,
    pub month_error: String,
    pub statuses: Vec<Choice>,
    pub year: String,
    pub payee_action: String,
    pub payee: PayeeInput,
    pub payee_errors: Errors,
    pub payee_saved: bool,
    pub mileage_href: String,
    pub suppliers_href: String,
    pub payments_href: String,
    pub categories_href: String,
    pub csv_href: String,
    pub xlsx_href: String,
    pub prev: Option<String>,
    pub next: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct ReportsQuery {
    pub status: String,
    pub year: String,
    pub saved: String,
    /// The page of the list, from 0.
    pub page: String,
}

/// Rows per page of the spending lists.
pub const PAGE_SIZE: i64 = 50;

/// The page asked for (from 0), and the links to the pages around it.
pub fn page_of(page: &str) -> i64 {
    page.parse::<i64>().unwrap_or(0).clamp(0, 100_000)
}

pub fn pager(base: &str, query: &str, page: i64, more: bool) -> (Option<String>, Option<String>) {
    let link = |p: i64| format!("{base}?{query}&page={p}");
    (
        (page > 0).then(|| link(page - 1)),
        more.then(|| link(page + 1)),
    )
}

impl ReportsQuery {
    fn filter(&self) -> records::ReportFilter {
        records::ReportFilter {
            user: None,
            status: ReportStatus::parse(&self.status).map(|s| s.code().to_owned()),
            period: (self.year.len() == 4 && self.year.bytes().all(|b| b.is_ascii_digit()))
                .then(|| self.year.clone()),
        }
    }
}

fn status_label(t: crate::i18n::Tr, code: &str) -> String {
    t.get(&format!("expense.status.{code}")).to_owned()
}

#[allow(clippy::too_many_arguments)]
async fn reports_page(
    app: &App,
    page: &Page,
    coop: &CoopActor,
    q: &ReportsQuery,
    month: String,
    month_error: String,
    payee: Option<PayeeInput>,
    payee_errors: Errors,
) -> PageResult {
    let t = page.layout.t;
    let slug = &coop.slug;
    let page_no = page_of(&q.page);
    let mut rows = reports::list(app, coop, q.filter(), PAGE_SIZE + 1, page_no * PAGE_SIZE).await?;
    let more = rows.len() > PAGE_SIZE as usize;
    rows.truncate(PAGE_SIZE as usize);
    let may_fill = coop.access.has_any(Permission::ExpenseManage);
    let payee = match payee {
        Some(p) => p,
        None if may_fill => reports::payee(app, coop)
            .await?
            .map(|p| PayeeInput {
                holder: p.holder,
                iban: essaim_domain::identifiers::Iban::parse(&p.iban)
                    .map(|i| i.grouped())
                    .unwrap_or(p.iban),
                bic: p.bic.unwrap_or_default(),
            })
            .unwrap_or_else(|| PayeeInput {
                holder: coop.user().display_name.clone(),
                ..PayeeInput::default()
            }),
        None => PayeeInput::default(),
    };
    let query = format!("status={}&year={}", q.status, q.year);
    let (prev, next) = pager(&paths::expenses(slug), &query, page_no, more);
    Ok(render(&ReportsPage {
        prev,
        next,
        rows: rows
            .iter()
            .map(|r| ReportRow {
                href: paths::expense_report(slug, r.report_id),
                month: month_label(t, &r.month),
                person: r.person_name.clone(),
                status: status_label(t, &r.status),
                status_code: r.status.clone(),
                lines: r.line_count,
                refund: money(r.expenses_cents + r.mileage_cents),
            })
            .collect(),
        everyone: coop.may(Permission::ExpenseRead),
        may_fill,
        may_configure: coop.may(Permission::ExpenseValidate),
        may_pay: coop.may(Permission::ExpensePay),
        open_action: paths::expenses(slug),
        month,
        month_error,
        statuses: ReportStatus::ALL
            .iter()
            .map(|s| Choice::new(s.code(), status_label(t, s.code()), s.code() == q.status))
            .collect(),
        year: q.year.clone(),
        payee_action: paths::expenses_payee(slug),
        payee,
        payee_errors,
        payee_saved: q.saved == "payee",
        mileage_href: paths::expenses_mileage(slug),
        suppliers_href: paths::supplier_invoices(slug),
        payments_href: paths::payments(slug),
        categories_href: paths::expense_categories(slug),
        csv_href: format!("{}?{query}", paths::expenses_export(slug, "csv")),
        xlsx_href: format!("{}?{query}", paths::expenses_export(slug, "xlsx")),
        l: page.layout.clone(),
    }))
}

pub async fn expenses(Ctx { app, coop, page }: Ctx, Query(q): Query<ReportsQuery>) -> PageResult {
    let month = ReportMonth::of(app.clock.today()).to_string();
    reports_page(
        &app,
        &page,
        &coop,
        &q,
        month,
        String::new(),
        None,
        Errors::default(),
    )
    .await
}

pub async fn expenses_export(
    Ctx { app, coop, .. }: Ctx,
    Path((_, format)): Path<(String, String)>,
    Query(q): Query<ReportsQuery>,
) -> PageResult {
    let rows = reports::list(&app, &coop, q.filter(), 100_000, 0).await?;
    let table = spending::export::reports_table(&rows);
    view::table_file(&table, "notes-de-frais", &format)
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct MonthForm {
    pub month: String,
}

/// Opens (or finds) the person's report of a month.
pub async fn open_month(Ctx { app, coop, page }: Ctx, Form(f): Form<MonthForm>) -> PageResult {
    match reports::open_month(&app, &coop, &f.month).await {
        Ok(id) => Ok(Redirect::to(&paths::expense_report(&coop.slug, id)).into_response()),
        Err(AppError::Invalid(errors)) => {
            let shown = Errors::from(&errors, page.layout.t);
            let q = ReportsQuery::default();
            let r = reports_page(
                &app,
                &page,
                &coop,
                &q,
                f.month,
                shown.get("month").to_owned(),
                None,
                Errors::default(),
            )
            .await?;
            Ok(view::unprocessable(r))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn save_payee(Ctx { app, coop, page }: Ctx, Form(f): Form<PayeeInput>) -> PageResult {
    let outcome = reports::save_payee(&app, &coop, &f).await;
    forms::submit(
        &page,
        outcome,
        |()| format!("{}?saved=payee", paths::expenses(&coop.slug)),
        async |errors| {
            let month = ReportMonth::of(app.clock.today()).to_string();
            let q = ReportsQuery::default();
            reports_page(
                &app,
                &page,
                &coop,
                &q,
                month,
                String::new(),
                Some(f),
                errors,
            )
            .await
        },
    )
    .await
}

// ---------------------------------------------------------------------------------------------
// One report

pub struct LineRow {
    pub date: String,
    pub category: String,
    pub description: String,
    pub activity: String,
    pub amount: String,
    pub vat: String,
    pub receipt_href: String,
    pub receipt_name: String,
    pub attach_action: String,
    pub delete_action: String,
}

pub struct TripRow {
    pub date: String,
    pub itinerary: String,
    pub purpose: String,
    pub activity: String,
    pub km: String,
    pub vehicle: String,
    pub amount: String,
    pub scale: String,
    pub delete_action: String,
}

#[derive(Template)]
#[template(path = "spending/report.html")]
pub struct ReportPage {
    pub l: Layout,
    pub heading: String,
    pub back: String,
    pub status: String,
    pub status_code: String,
    pub comment: String,
    pub decided: String,
    pub refund: String,
    pub expenses_total: String,
    pub mileage_total: String,
    pub vat_total: String,
    pub lines: Vec<LineRow>,
    pub trips: Vec<TripRow>,
    pub missing_receipts: usize,
    pub editable: bool,
    pub decidable: bool,
    pub line_action: String,
    pub trip_action: String,
    pub submit_action: String,
    pub decide_action: String,
    pub ex: ExpenseInput,
    pub ex_errors: Errors,
    pub categories: Vec<Choice>,
    pub activities: Vec<Choice>,
    pub trip: MileageInput,
    pub trip_errors: Errors,
    pub trip_activities: Vec<Choice>,
    pub vehicles: Vec<Choice>,
    pub decision: DecisionInput,
    pub report_errors: Errors,
    pub today: String,
    /// PAY-24: each activity the refund takes below the tolerance, as a sentence.
    pub alerts: Vec<String>,
}

/// What the report page shows again after a failed form.
#[derive(Default)]
pub struct Again {
    pub ex: Option<ExpenseInput>,
    pub ex_errors: Errors,
    pub trip: Option<MileageInput>,
    pub trip_errors: Errors,
    pub decision: Option<DecisionInput>,
    pub report_errors: Errors,
}

fn vehicle_label(t: crate::i18n::Tr, kind: &str, power: i64, electric: bool) -> String {
    let mut s = t.get(&format!("mileage.vehicle.{kind}")).to_owned();
    if kind != "moped" {
        s.push_str(&format!(" {power} CV"));
    }
    if electric {
        s.push_str(&format!(", {}", t.get("mileage.electric_short")));
    }
    s
}

async fn report_page(
    app: &App,
    page: &Page,
    coop: &CoopActor,
    id: i64,
    again: Again,
) -> PageResult {
    let t = page.layout.t;
    let slug = &coop.slug;
    let v: ReportView = reports::show(app, coop, id).await?;
    let r = &v.report;
    let today = app.clock.today();
    let ex = again.ex.unwrap_or_else(|| ExpenseInput {
        date: today.min(v.month.last_day().unwrap_or(today)).to_string(),
        ..ExpenseInput::default()
    });
    let trip = again.trip.unwrap_or_else(|| MileageInput {
        date: today.min(v.month.last_day().unwrap_or(today)).to_string(),
        vehicle: "car".into(),
        ..MileageInput::default()
    });
    let activities = if v.editable {
        own_activities(app, coop, &ex.activity).await
    } else {
        Vec::new()
    };
    let trip_activities = if v.editable {
        own_activities(app, coop, &trip.activity).await
    } else {
        Vec::new()
    };
    let alerts = v
        .alerts
        .iter()
        .map(|a| t.fmt("expense.pay24_alert", &[&a.name, &money(a.forecast_cents)]))
        .collect();
    Ok(render(&ReportPage {
        alerts,
        heading: t.fmt(
            "expense.report_heading",
            &[&r.person_name, &month_label(t, &r.month)],
        ),
        back: paths::expenses(slug),
        status: status_label(t, &r.status),
        status_code: r.status.clone(),
        comment: r.comment.clone().unwrap_or_default(),
        decided: match (&r.decided_by_name, r.decided_at) {
            (Some(who), Some(at)) => t.fmt("expense.decided_by", &[who, &view::datetime(at)]),
            _ => String::new(),
        },
        refund: money(v.refund().cents()),
        expenses_total: money(r.expenses_cents),
        mileage_total: money(r.mileage_cents),
        vat_total: money(r.recoverable_vat_cents),
        lines: v
            .lines
            .iter()
            .map(|l| LineRow {
                date: date(l.spent_on),
                category: category_label(&v.categories, &l.category),
                description: l.description.clone(),
                activity: l.activity_name.clone(),
                amount: money(l.amount_cents),
                vat: if l.vat_cents == 0 {
                    String::new()
                } else if l.vat_recoverable {
                    money(l.vat_cents)
                } else {
                    format!(
                        "{} ({})",
                        money(l.vat_cents),
                        t.get("expense.vat_not_recovered")
                    )
                },
                receipt_href: l
                    .receipt_sha256
                    .as_ref()
                    .map(|_| paths::expense_receipt(slug, id, l.line_id))
                    .unwrap_or_default(),
                receipt_name: l.receipt_name.clone().unwrap_or_default(),
                attach_action: paths::expense_receipt(slug, id, l.line_id),
                delete_action: paths::expense_line_delete(slug, id, l.line_id),
            })
            .collect(),
        trips: v
            .trips
            .iter()
            .map(|tr| TripRow {
                date: date(tr.driven_on),
                itinerary: format!("{} → {}", tr.from_place, tr.to_place),
                purpose: tr.purpose.clone(),
                activity: tr.activity_name.clone(),
                km: rust_decimal::Decimal::new(tr.km_tenths, 1)
                    .normalize()
                    .to_string()
                    .replace('.', ","),
                vehicle: vehicle_label(t, &tr.vehicle, tr.fiscal_power, tr.electric),
                amount: money(tr.amount_cents),
                scale: if tr.provisional {
                    t.fmt("mileage.scale_provisional", &[&tr.scale_year.to_string()])
                } else {
                    t.fmt("mileage.scale", &[&tr.scale_year.to_string()])
                },
                delete_action: paths::expense_trip_delete(slug, id, tr.line_id),
            })
            .collect(),
        missing_receipts: v.missing_receipts(),
        editable: v.editable,
        decidable: v.decidable,
        line_action: paths::expense_lines(slug, id),
        trip_action: paths::expense_trips(slug, id),
        submit_action: paths::expense_submit(slug, id),
        decide_action: paths::expense_decide(slug, id),
        categories: category_choices(&v.categories, &ex.category),
        activities,
        ex,
        ex_errors: again.ex_errors,
        trip_activities,
        vehicles: VehicleKind::ALL
            .iter()
            .map(|k| {
                Choice::new(
                    k.code(),
                    t.get(&format!("mileage.vehicle.{}", k.code())),
                    k.code() == trip.vehicle,
                )
            })
            .collect(),
        trip,
        trip_errors: again.trip_errors,
        decision: again.decision.unwrap_or_default(),
        report_errors: again.report_errors,
        today: today.to_string(),
        l: page.layout.clone(),
    }))
}

pub async fn expense_report(Ctx { app, coop, page }: Ctx, Id(id): Id<i64>) -> PageResult {
    report_page(&app, &page, &coop, id, Again::default()).await
}

/// Errors about the report itself, shown above everything.
fn on_report(report_errors: Errors) -> Again {
    Again {
        report_errors,
        ..Again::default()
    }
}

/// After a form on the report page: back to it, or the page again with the errors of that form.
async fn back_to_report<T>(
    app: &App,
    page: &Page,
    coop: &CoopActor,
    id: i64,
    outcome: Result<T, AppError>,
    again: impl FnOnce(Errors) -> Again,
) -> PageResult {
    forms::submit(
        page,
        outcome,
        |_| paths::expense_report(&coop.slug, id),
        async |errors| {
            // An error about the report itself (frozen, empty…) shows above everything.
            let on_report = errors
                .has("report")
                .then(|| errors.get("report").to_owned());
            let mut shown = again(errors);
            if let Some(message) = on_report {
                shown.report_errors = Errors::one("report", message);
            }
            report_page(app, page, coop, id, shown).await
        },
    )
    .await
}

pub async fn add_expense_line(
    Ctx { app, coop, page }: Ctx,
    Id(id): Id<i64>,
    mp: Multipart,
) -> PageResult {
    let (f, receipt): (ExpenseInput, _) = forms::multipart(mp, "receipt").await;
    let outcome = reports::add_expense(&app, &coop, id, &f, receipt).await;
    back_to_report(&app, &page, &coop, id, outcome, |ex_errors| Again {
        ex: Some(f),
        ex_errors,
        ..Again::default()
    })
    .await
}

pub async fn attach_expense_receipt(
    Ctx { app, coop, page }: Ctx,
    Id(id): Id<i64>,
    LineId(line): LineId,
    mp: Multipart,
) -> PageResult {
    let (_, receipt): (MonthForm, _) = forms::multipart(mp, "receipt").await;
    let outcome = match receipt {
        Some(u) => reports::attach_receipt(&app, &coop, id, line, u).await,
        None => Err(AppError::field("receipt", "required")),
    };
    back_to_report(&app, &page, &coop, id, outcome, |errors| Again {
        report_errors: Errors::one("report", errors.get("receipt").to_owned()),
        ..Again::default()
    })
    .await
}

pub async fn expense_receipt(
    Ctx { app, coop, .. }: Ctx,
    Id(id): Id<i64>,
    LineId(line): LineId,
) -> PageResult {
    let (name, content_type, bytes) = reports::receipt(&app, &coop, id, line).await?;
    Ok(view::private_file(&name, &content_type, bytes))
}

pub async fn delete_expense_line(
    Ctx { app, coop, page }: Ctx,
    Id(id): Id<i64>,
    LineId(line): LineId,
) -> PageResult {
    let outcome = reports::remove(&app, &coop, id, LineKind::Expense, line).await;
    back_to_report(&app, &page, &coop, id, outcome, on_report).await
}

pub async fn add_trip(
    Ctx { app, coop, page }: Ctx,
    Id(id): Id<i64>,
    Form(f): Form<MileageInput>,
) -> PageResult {
    let outcome = reports::add_trip(&app, &coop, id, &f).await;
    back_to_report(&app, &page, &coop, id, outcome, |trip_errors| Again {
        trip: Some(f),
        trip_errors,
        ..Again::default()
    })
    .await
}

pub async fn delete_trip(
    Ctx { app, coop, page }: Ctx,
    Id(id): Id<i64>,
    LineId(line): LineId,
) -> PageResult {
    let outcome = reports::remove(&app, &coop, id, LineKind::Trip, line).await;
    back_to_report(&app, &page, &coop, id, outcome, on_report).await
}

pub async fn submit_report(Ctx { app, coop, page }: Ctx, Id(id): Id<i64>) -> PageResult {
    let outcome = reports::submit(&app, &coop, id).await;
    back_to_report(&app, &page, &coop, id, outcome, on_report).await
}

pub async fn decide_report(
    Ctx { app, coop, page }: Ctx,
    Id(id): Id<i64>,
    Form(f): Form<DecisionInput>,
) -> PageResult {
    let outcome = reports::decide(&app, &coop, id, &f).await;
    back_to_report(&app, &page, &coop, id, outcome, |report_errors| Again {
        decision: Some(f),
        report_errors,
        ..Again::default()
    })
    .await
}

// ---------------------------------------------------------------------------------------------
// The yearly mileage summary

pub struct MileageRow {
    pub person: String,
    pub vehicle: String,
    pub trips: i64,
    pub km: String,
    pub refunded: String,
    pub allowance: String,
    pub regularisation: String,
    pub scale: String,
}

#[derive(Template)]
#[template(path = "spending/mileage.html")]
pub struct MileagePage {
    pub l: Layout,
    pub year: i32,
    pub everyone: bool,
    pub rows: Vec<MileageRow>,
    pub previous: String,
    pub next: String,
    pub back: String,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct YearQuery {
    pub year: String,
}

pub async fn expenses_mileage(
    Ctx { app, coop, page }: Ctx,
    Query(q): Query<YearQuery>,
) -> PageResult {
    let t = page.layout.t;
    let year = q
        .year
        .parse::<i32>()
        .ok()
        .filter(|y| (2000..=2100).contains(y))
        .unwrap_or(app.clock.today().year());
    let rows = reports::mileage_year(&app, &coop, year).await?;
    let base = paths::expenses_mileage(&coop.slug);
    Ok(render(&MileagePage {
        year,
        everyone: coop.may(Permission::ExpenseRead),
        rows: rows
            .iter()
            .map(|r| MileageRow {
                person: r.person_name.clone(),
                vehicle: vehicle_label(t, r.vehicle.code(), r.fiscal_power, r.electric),
                trips: r.trips,
                km: r.km.normalize().to_string().replace('.', ","),
                refunded: money(r.refunded.cents()),
                allowance: money(r.allowance.cents()),
                regularisation: money(r.regularisation().cents()),
                scale: if r.provisional {
                    t.fmt("mileage.scale_provisional", &[&r.scale_year.to_string()])
                } else {
                    t.fmt("mileage.scale", &[&r.scale_year.to_string()])
                },
            })
            .collect(),
        previous: format!("{base}?year={}", year - 1),
        next: format!("{base}?year={}", year + 1),
        back: paths::expenses(&coop.slug),
        l: page.layout.clone(),
    }))
}

// ---------------------------------------------------------------------------------------------
// Categories

pub struct CategoryRow {
    pub code: String,
    pub label: String,
    pub account: String,
    pub rate: String,
    pub archived: bool,
}

#[derive(Template)]
#[template(path = "spending/categories.html")]
pub struct CategoriesPage {
    pub l: Layout,
    pub rows: Vec<CategoryRow>,
    pub action: String,
    pub f: CategoryInput,
    pub errors: Errors,
    pub back: String,
}

async fn categories_page(
    app: &App,
    page: &Page,
    coop: &CoopActor,
    f: CategoryInput,
    errors: Errors,
) -> PageResult {
    let list = spending::categories(app, coop).await?;
    Ok(render(&CategoriesPage {
        rows: list
            .iter()
            .map(|c| CategoryRow {
                code: c.code.clone(),
                label: c.label.clone(),
                account: c.account.clone(),
                rate: format!("{} %", rate_percent_typed(spending::rate_of(c))),
                archived: c.archived,
            })
            .collect(),
        action: paths::expense_categories(&coop.slug),
        f,
        errors,
        back: paths::expenses(&coop.slug),
        l: page.layout.clone(),
    }))
}

pub async fn expense_categories(Ctx { app, coop, page }: Ctx) -> PageResult {
    let f = CategoryInput {
        vat_rate: "20".into(),
        ..CategoryInput::default()
    };
    categories_page(&app, &page, &coop, f, Errors::default()).await
}

pub async fn save_expense_category(
    Ctx { app, coop, page }: Ctx,
    Form(f): Form<CategoryInput>,
) -> PageResult {
    let outcome = spending::save_category(&app, &coop, &f).await;
    forms::submit(
        &page,
        outcome,
        |()| paths::expense_categories(&coop.slug),
        async |errors| categories_page(&app, &page, &coop, f, errors).await,
    )
    .await
}
