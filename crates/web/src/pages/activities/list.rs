//! Activities: the list, its filters and exports.

use super::*;

pub struct ActivityRow {
    pub name: String,
    pub href: String,
    pub code: String,
    pub status: String,
    pub members: String,
    pub referent: String,
}

#[derive(Template)]
#[template(path = "activities/list.html")]
pub struct ActivitiesPage {
    pub l: Layout,
    pub rows: Vec<ActivityRow>,
    pub total: usize,
    pub q: ListQuery,
    pub statuses: Vec<Choice>,
    pub referents: Vec<Choice>,
    pub new_href: Option<String>,
    pub all: bool,
    pub prev: Option<String>,
    pub next: Option<String>,
    pub csv_href: String,
    pub xlsx_href: String,
    pub accounts_href: String,
}

pub const PAGE_SIZE: usize = 50;

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    pub q: String,
    pub status: String,
    pub referent: String,
    pub naf: String,
    pub page: Option<usize>,
}

impl ListQuery {
    fn query_string(&self, page: Option<usize>) -> String {
        let mut pairs = vec![
            ("q", self.q.clone()),
            ("status", self.status.clone()),
            ("referent", self.referent.clone()),
            ("naf", self.naf.clone()),
        ];
        if let Some(p) = page {
            pairs.push(("page", p.to_string()));
        }
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    }
}

/// The activities the reader may see, filtered by status, referent and sector, by name.
async fn filtered(
    app: &App,
    coop: &CoopActor,
    q: &ListQuery,
) -> Result<Vec<ActivityRecord>, AppError> {
    let today = app.clock.today();
    let rows = activities::list(app, coop, Some(&q.q)).await?;
    Ok(rows
        .into_iter()
        .filter(|a| q.status.is_empty() || a.details.status(today).code() == q.status)
        .filter(|a| {
            q.referent.is_empty()
                || a.referent
                    .as_ref()
                    .is_some_and(|(u, _)| u.get().to_string() == q.referent)
        })
        .filter(|a| {
            q.naf.trim().is_empty()
                || a.details
                    .naf
                    .as_deref()
                    .is_some_and(|n| n.starts_with(&q.naf.trim().to_uppercase()))
        })
        .collect())
}

pub async fn list(Ctx { app, coop, page }: Ctx, Query(q): Query<ListQuery>) -> PageResult {
    let t = page.layout.t;
    let today = app.clock.today();
    let rows = filtered(&app, &coop, &q).await?;
    let referents = people::referents(&app, &coop).await.unwrap_or_default();
    let n = q.page.unwrap_or(0);
    let total = rows.len();
    let base = paths::activities(&coop.slug);
    Ok(render(&ActivitiesPage {
        rows: rows
            .iter()
            .skip(n * PAGE_SIZE)
            .take(PAGE_SIZE)
            .map(|a| ActivityRow {
                name: a.details.name.clone(),
                href: paths::activity(&coop.slug, a.id.get()),
                code: a.details.analytic_code.clone(),
                status: t
                    .get(&format!(
                        "activity_status.{}",
                        a.details.status(today).code()
                    ))
                    .into(),
                members: a
                    .members
                    .iter()
                    .map(|(_, n, _)| n.clone())
                    .collect::<Vec<_>>()
                    .join(", "),
                referent: a
                    .referent
                    .as_ref()
                    .map(|(_, n)| n.clone())
                    .unwrap_or_default(),
            })
            .collect(),
        total,
        statuses: ["planned", "active", "ended"]
            .iter()
            .map(|s| Choice::new(*s, t.get(&format!("activity_status.{s}")), q.status == *s))
            .collect(),
        referents: crate::view::people_choices(&referents, &q.referent),
        new_href: coop
            .may(Permission::ActivityManage)
            .then(|| paths::new_activity(&coop.slug)),
        all: coop.access.grants().any(|g| {
            g.permission == Permission::ActivityRead
                && g.scope == essaim_domain::access::Scope::Cooperative
        }),
        prev: (n > 0).then(|| format!("{base}?{}", q.query_string(Some(n - 1)))),
        next: ((n + 1) * PAGE_SIZE < total)
            .then(|| format!("{base}?{}", q.query_string(Some(n + 1)))),
        accounts_href: paths::activity_accounts(&coop.slug),
        csv_href: format!(
            "{}?{}",
            paths::activities_export(&coop.slug, "csv"),
            q.query_string(None)
        ),
        xlsx_href: format!(
            "{}?{}",
            paths::activities_export(&coop.slug, "xlsx"),
            q.query_string(None)
        ),
        q,
        l: page.layout,
    }))
}

pub async fn export_csv(cx: Ctx, q: Query<ListQuery>) -> PageResult {
    export(cx, q, "export.csv").await
}

pub async fn export_xlsx(cx: Ctx, q: Query<ListQuery>) -> PageResult {
    export(cx, q, "export.xlsx").await
}

/// The filtered list as CSV or XLSX.
async fn export(
    Ctx { app, coop, page }: Ctx,
    Query(q): Query<ListQuery>,
    format: &str,
) -> PageResult {
    use essaim_app::exports::Table;
    let t = page.layout.t;
    let today = app.clock.today();
    let rows = filtered(&app, &coop, &q).await?;
    let table = Table {
        sheet: t.get("activities.title").into(),
        header: [
            "activities.name",
            "activities.code",
            "activities.status",
            "activities.start",
            "activities.end",
            "people.naf",
            "activities.members",
            "activities.referent",
        ]
        .iter()
        .map(|k| t.get(k).to_owned())
        .collect(),
        rows: rows
            .iter()
            .map(|a| {
                vec![
                    a.details.name.clone(),
                    a.details.analytic_code.clone(),
                    t.get(&format!(
                        "activity_status.{}",
                        a.details.status(today).code()
                    ))
                    .into(),
                    a.details.start_on.to_string(),
                    a.details.end_on.map(|d| d.to_string()).unwrap_or_default(),
                    a.details.naf.clone().unwrap_or_default(),
                    a.members
                        .iter()
                        .map(|(_, n, s)| {
                            format!("{n} ({})", essaim_domain::activity::format_share(*s))
                        })
                        .collect::<Vec<_>>()
                        .join(", "),
                    a.referent
                        .as_ref()
                        .map(|(_, n)| n.clone())
                        .unwrap_or_default(),
                ]
            })
            .collect(),
    };
    let name = format!("activites-{}", coop.slug);
    table_file(&table, &name, format.trim_start_matches("export."))
}
