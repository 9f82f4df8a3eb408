//! The support team's overview of the activity accounts (issue 6, point 7): every activity's
//! balance, forecast and alert, sortable, exportable.

use crate::pages::prelude::*;
use essaim_app::payroll::overview::{self, OverviewRow};

pub struct Row {
    pub name: String,
    pub code: String,
    pub href: String,
    pub revenue: String,
    pub salary: String,
    pub realised: String,
    pub realised_negative: bool,
    pub forecast: String,
    pub alert: bool,
}

pub struct SortLink {
    pub label: String,
    pub href: String,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "payroll/overview.html")]
pub struct OverviewPage {
    pub l: Layout,
    pub rows: Vec<Row>,
    pub sorts: Vec<SortLink>,
    pub alerts: usize,
    pub csv_href: String,
    pub xlsx_href: String,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct SortQuery {
    /// `alert` (default), `name`, `realised`, `forecast`: the lowest first for amounts.
    pub sort: String,
}

fn sorted(mut rows: Vec<OverviewRow>, sort: &str) -> Vec<OverviewRow> {
    match sort {
        "name" => rows.sort_by(|a, b| a.name.cmp(&b.name)),
        "realised" => rows.sort_by_key(|r| r.realised),
        "forecast" => rows.sort_by_key(|r| r.forecast),
        _ => {}
    }
    rows
}

pub async fn show(Ctx { app, coop, page }: Ctx, Query(q): Query<SortQuery>) -> PageResult {
    let t = page.layout.t;
    let rows = sorted(overview::overview(&app, &coop).await?, &q.sort);
    let base = paths::activity_accounts(&coop.slug);
    let sorts = [
        ("alert", "accounts.sort.alert"),
        ("name", "accounts.sort.name"),
        ("realised", "accounts.sort.realised"),
        ("forecast", "accounts.sort.forecast"),
    ]
    .into_iter()
    .map(|(code, key)| SortLink {
        label: t.get(key).to_string(),
        href: format!("{base}?sort={code}"),
        current: q.sort == code || (q.sort.is_empty() && code == "alert"),
    })
    .collect();
    Ok(render(&OverviewPage {
        alerts: rows.iter().filter(|r| r.alert).count(),
        rows: rows
            .iter()
            .map(|r| Row {
                name: r.name.clone(),
                code: r.analytic_code.clone(),
                href: paths::activity_account(&coop.slug, r.activity),
                revenue: view::money(r.revenue_to_date),
                salary: view::money(r.salary_cost_to_date),
                realised: view::money(r.realised),
                realised_negative: r.realised < 0,
                forecast: view::money(r.forecast),
                alert: r.alert,
            })
            .collect(),
        sorts,
        csv_href: format!("{base}/export/csv"),
        xlsx_href: format!("{base}/export/xlsx"),
        l: page.layout.clone(),
    }))
}

pub async fn export(
    Ctx { app, coop, .. }: Ctx,
    Path((_, format)): Path<(String, String)>,
    Query(q): Query<SortQuery>,
) -> PageResult {
    let rows = sorted(overview::overview(&app, &coop).await?, &q.sort);
    view::table_file(&overview::table(&rows), "comptes-activite", &format)
}
