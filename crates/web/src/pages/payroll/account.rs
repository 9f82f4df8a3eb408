//! The activity account (PAY-01, PAY-02): month by month and to date, the waterfall, the
//! forecast to the year end and the salary it sustains; every figure opens the lines behind it,
//! every line its document.

use crate::error::render_status;
use crate::pages::prelude::*;
use crate::view::chart::{self, Step};
use crate::view::{date, money, month};
use axum::http::StatusCode;
use essaim_app::payroll::account::{self as account, ActivityAccount, Source};
use essaim_domain::access::Permission;
use essaim_domain::ids::ActivityId;
use essaim_domain::payroll::account::Kind;
use essaim_domain::payroll::contribution::Levy;

pub struct Cell {
    pub amount: String,
    pub href: String,
}

pub struct MonthRow {
    pub label: String,
    pub revenue: Cell,
    pub contribution: Cell,
    pub charges: Cell,
    pub salary: Cell,
    pub balance: String,
    pub negative: bool,
}

pub struct LineRow {
    pub date: String,
    pub kind: String,
    pub label: String,
    pub amount: String,
    pub href: Option<String>,
}

pub struct ForecastView {
    pub realised: String,
    pub receivables: String,
    pub committed: String,
    pub payroll: String,
    pub minimum: Option<String>,
    pub available: String,
    pub negative: bool,
    pub alert: bool,
    pub months_left: String,
}

pub struct Suggestion {
    pub gross: String,
    pub net: String,
    pub cost: String,
    /// The cooperative's reserve, `10 %`.
    pub reserve: String,
}

pub struct YearLink {
    pub label: String,
    pub href: String,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "payroll/account.html")]
pub struct AccountPage {
    pub l: Layout,
    pub name: String,
    pub activity_href: String,
    pub period: String,
    pub years: Vec<YearLink>,
    pub opening: String,
    pub has_opening: bool,
    pub available: String,
    pub negative: bool,
    pub chart: String,
    pub months: Vec<MonthRow>,
    pub totals: MonthRow,
    pub lines: Vec<LineRow>,
    /// What the lines shown are limited to, and the link that shows them all.
    pub filter: Option<(String, String)>,
    pub basis: String,
    pub policy: String,
    pub forecast: Option<ForecastView>,
    pub suggestion: Option<Suggestion>,
    pub planner_href: String,
    /// The what-if form: the amount as typed, its error, where it goes.
    pub extra: String,
    pub extra_error: String,
    pub what_if_action: String,
    /// The scenario counted in the forecast, said in a sentence, and the link back.
    pub scenario: Option<String>,
    /// PAY-22: the year-end variable part the forecast would pay, gross.
    pub variable: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct AccountQuery {
    /// Any day of the fiscal year to show (`2025-01-01`); the current one when empty.
    pub year: String,
    /// `2026-03`: only that month's lines.
    pub month: String,
    /// `revenue`, `contribution`, `charges`, `salary`: only those lines.
    pub kind: String,
    /// A what-if: euros more billed, excluding VAT, before the year end (never saved).
    pub extra: String,
}

fn kind_code(k: Kind) -> &'static str {
    match k {
        Kind::Revenue => "revenue",
        Kind::Contribution => "contribution",
        Kind::Charge | Kind::Resale | Kind::Allocation => "charges",
        Kind::SalaryCost => "salary",
    }
}

fn line_label(t: crate::i18n::Tr, kind: Kind, label: &str, source: &Source) -> String {
    match source {
        Source::Payment { number, .. } => {
            t.fmt("account.line.payment", &[number.as_deref().unwrap_or("")])
        }
        Source::Contribution(l) => match l.what {
            Levy::Rate => t.fmt(
                "account.line.contribution",
                &[&money(l.base), &date(l.policy_from)],
            ),
            Levy::MonthlyFee => t.fmt("account.line.fee", &[&date(l.policy_from)]),
            Levy::YearlyMinimum => t.fmt("account.line.minimum", &[&date(l.policy_from)]),
        },
        _ if label.is_empty() => t
            .get(&format!("account.kind.{}", kind_code(kind)))
            .to_string(),
        _ => label.to_string(),
    }
}

fn source_href(slug: &str, coop: &CoopActor, source: &Source) -> Option<String> {
    match source {
        Source::SaleDoc { id, .. } | Source::Payment { doc: id, .. } => Some(paths::sale(slug, id)),
        Source::ExpenseReport(id) => Some(paths::expense_report(slug, id)),
        Source::SupplierInvoice(id) => Some(paths::supplier_invoice(slug, id)),
        Source::Entry { id, .. } if coop.access.has_any(Permission::BooksRead) => {
            Some(paths::books_entry(slug, id))
        }
        Source::Entry { .. } | Source::Contribution(_) => None,
    }
}

fn period_label(a: &ActivityAccount) -> String {
    let s = &a.statement;
    if s.year_start.year() == s.year_end.year() {
        s.year_start.year().to_string()
    } else {
        format!("{}–{}", s.year_start.year(), s.year_end.year())
    }
}

pub async fn show(
    Ctx { app, coop, page }: Ctx,
    Id(id): Id<ActivityId>,
    Query(q): Query<AccountQuery>,
) -> PageResult {
    let at = essaim_domain::person::parse_date(&q.year).ok();
    let t = page.layout.t;
    let (extra, extra_error) = match essaim_domain::payroll::planner::parse_extra_billed(&q.extra) {
        Ok(cents) => (cents, String::new()),
        Err(code) => (0, t.error(code).to_string()),
    };
    let a = account::activity_account_if(&app, &coop, id, at, extra).await?;
    let slug = &coop.slug;
    let base = paths::activity_account(slug, id);
    let year_q = format!("?year={}", a.statement.year_start);
    let cell = |cents: i64, month: &str, kind: &str| Cell {
        amount: money(cents),
        href: format!("{base}{year_q}&month={month}&kind={kind}#lines"),
    };
    let months = a
        .statement
        .realised
        .months
        .iter()
        .map(|m| {
            let code = format!("{}-{:02}", m.year, u8::from(m.month));
            MonthRow {
                label: month(t, m.year, m.month),
                revenue: cell(m.figures.revenue, &code, "revenue"),
                contribution: cell(m.figures.contribution, &code, "contribution"),
                charges: cell(m.figures.charges + m.figures.allocations, &code, "charges"),
                salary: cell(m.figures.salary_cost, &code, "salary"),
                balance: money(m.balance),
                negative: m.balance < 0,
            }
        })
        .collect();
    let f = &a.statement.realised.to_date;
    let totals = MonthRow {
        label: t.get("account.to_date").to_string(),
        revenue: cell(f.revenue, "", "revenue"),
        contribution: cell(f.contribution, "", "contribution"),
        charges: cell(f.charges + f.allocations, "", "charges"),
        salary: cell(f.salary_cost, "", "salary"),
        balance: money(a.statement.realised.available.cents()),
        negative: a.statement.realised.available.cents() < 0,
    };
    let lines = a
        .lines
        .iter()
        .filter(|l| {
            (q.month.is_empty()
                || format!("{}-{:02}", l.on.year(), u8::from(l.on.month())) == q.month)
                && (q.kind.is_empty() || kind_code(l.kind) == q.kind)
        })
        .map(|l| LineRow {
            date: date(l.on),
            kind: t
                .get(&format!("account.kind.{}", kind_code(l.kind)))
                .to_string(),
            label: line_label(t, l.kind, &l.label, &l.source),
            amount: money(l.cents),
            href: source_href(slug, &coop, &l.source),
        })
        .collect();
    let filter = (!q.month.is_empty() || !q.kind.is_empty()).then(|| {
        let kind = if q.kind.is_empty() {
            String::new()
        } else {
            t.get(&format!("account.kind.{}", q.kind)).to_string()
        };
        let when = q
            .month
            .split_once('-')
            .and_then(|(y, m)| {
                Some(month(
                    t,
                    y.parse().ok()?,
                    time::Month::try_from(m.parse::<u8>().ok()?).ok()?,
                ))
            })
            .unwrap_or_default();
        (
            format!("{kind} {when}").trim().to_string(),
            format!("{base}{year_q}#lines"),
        )
    });
    let w = &a.waterfall;
    let mut steps = Vec::new();
    if w.opening != 0 {
        steps.push(Step {
            label: t.get("account.opening").into(),
            cents: w.opening,
            total: false,
        });
    }
    for (key, cents) in [
        ("account.kind.revenue", w.billed),
        ("account.kind.contribution", w.contribution),
        ("account.kind.charges", w.costs),
        ("account.kind.salary", w.salary_cost),
    ] {
        steps.push(Step {
            label: t.get(key).into(),
            cents,
            total: false,
        });
    }
    steps.push(Step {
        label: t.get("account.available").into(),
        cents: 0,
        total: true,
    });
    let chart = chart::waterfall(
        &steps,
        &t.fmt(
            "account.chart_summary",
            &[&money(w.billed), &money(w.available)],
        ),
    );
    let forecast = a.forecast.map(|fc| ForecastView {
        realised: money(fc.realised),
        receivables: money(fc.receivables),
        committed: money(-fc.committed),
        payroll: money(-fc.scheduled_payroll),
        minimum: (fc.minimum_top_up != 0).then(|| money(-fc.minimum_top_up)),
        available: money(fc.available().cents()),
        negative: fc.available().cents() < 0,
        alert: a.alert,
        months_left: a.months_left.to_string(),
    });
    let reserve = format!(
        "{} %",
        (a.planner.reserve * rust_decimal::Decimal::ONE_HUNDRED).normalize()
    )
    .replace('.', ",");
    let suggestion = a.suggested.as_ref().map(|s| Suggestion {
        gross: s.gross_money().format_fr(),
        net: s.net_before_income_tax().format_fr(),
        cost: s.employer_cost().format_fr(),
        reserve: reserve.clone(),
    });
    let scenario = (a.extra_billed > 0).then(|| {
        t.fmt(
            "account.scenario",
            &[&money(a.extra_billed), &format!("{base}#h-forecast")],
        )
    });
    let variable = a
        .variable_part
        .map(|v| t.fmt("account.variable_part", &[&money(v), &reserve]));
    let status = if extra_error.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let planner_href = match &a.forecast {
        Some(fc) => format!(
            "{}?plan_available={}&plan_months={}&plan_reserve={}#h-plan",
            paths::payroll_simulator(slug),
            essaim_domain::money::Money::eur(fc.available().cents() + fc.scheduled_payroll)
                .decimal(),
            a.months_left.max(1),
            (a.planner.reserve * rust_decimal::Decimal::ONE_HUNDRED).normalize()
        ),
        None => paths::payroll_simulator(slug),
    };
    let policy = match &a.policy {
        None => t.get("account.no_policy").to_string(),
        Some((p, own)) => {
            let bands: Vec<String> = p
                .bands
                .iter()
                .map(|b| {
                    let rate = format!(
                        "{} %",
                        (b.rate * rust_decimal::Decimal::ONE_HUNDRED).normalize()
                    )
                    .replace('.', ",");
                    match b.up_to {
                        Some(l) => t.fmt("account.band_up_to", &[&rate, &money(l)]),
                        None => rate,
                    }
                })
                .collect();
            t.fmt(
                if *own {
                    "account.policy_own"
                } else {
                    "account.policy"
                },
                &[
                    &bands.join(", "),
                    t.get(&format!("contribution.base.{}", p.base.code())),
                    &date(p.valid_from),
                ],
            )
        }
    };
    let years = a
        .years
        .iter()
        .map(|y| YearLink {
            label: if y.month() == time::Month::January && y.day() == 1 {
                y.year().to_string()
            } else {
                format!("{}–{}", y.year(), y.year() + 1)
            },
            href: format!("{base}?year={y}"),
            current: *y == a.statement.year_start,
        })
        .collect();
    Ok(render_status(
        status,
        &AccountPage {
            extra: q.extra.clone(),
            extra_error,
            what_if_action: base.clone(),
            scenario,
            variable,
            name: a.activity.details.name.clone(),
            activity_href: paths::activity(slug, id),
            period: period_label(&a),
            years,
            opening: money(a.statement.realised.opening),
            has_opening: a.statement.realised.opening != 0,
            available: money(a.statement.realised.available.cents()),
            negative: a.statement.realised.available.cents() < 0,
            chart,
            months,
            totals,
            lines,
            filter,
            basis: t
                .get(if a.collected_basis {
                    "account.basis.collected"
                } else {
                    "account.basis.invoiced"
                })
                .to_string(),
            policy,
            forecast,
            suggestion,
            planner_href,
            l: page.layout.clone(),
        },
    ))
}
