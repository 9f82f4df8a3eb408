//! People: the list, its filters and exports.

use super::*;

pub struct PersonRow {
    pub name: String,
    pub href: String,
    pub status: String,
    pub referent: String,
    pub antenna: String,
    pub deadline: String,
}

#[derive(Template)]
#[template(path = "people/list.html")]
pub struct PeopleListPage {
    pub l: Layout,
    pub rows: Vec<PersonRow>,
    pub total: i64,
    pub q: ListQuery,
    pub statuses: Vec<Choice>,
    pub referents: Vec<Choice>,
    pub antennas: Vec<Choice>,
    pub sorts: Vec<Choice>,
    pub prev: Option<String>,
    pub next: Option<String>,
    pub csv_href: String,
    pub xlsx_href: String,
    pub new_href: Option<String>,
    pub deadlines_href: String,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    pub q: String,
    pub status: String,
    pub referent: String,
    pub antenna: String,
    pub sort: String,
    /// NAF code or its first digits.
    pub naf: String,
    /// `soon`: only people whose associé deadline is passed or within six months.
    pub deadline: String,
    pub page: Option<i64>,
}

impl ListQuery {
    fn filter(&self, today: Date) -> PersonFilter {
        PersonFilter {
            search: Some(self.q.clone()).filter(|s| !s.trim().is_empty()),
            status: Status::parse(&self.status),
            referent: self.referent.parse().ok().map(UserId::new),
            antenna: Some(self.antenna.clone()).filter(|s| !s.is_empty()),
            deadline_before: (self.deadline == "soon")
                .then(|| essaim_domain::path::add_months(today, 6)),
            naf: Some(self.naf.clone()).filter(|s| !s.trim().is_empty()),
            sort: match self.sort.as_str() {
                "status" => PersonSort::Status,
                "deadline" => PersonSort::Deadline,
                _ => PersonSort::Name,
            },
        }
    }
    fn query_string(&self, page: Option<i64>) -> String {
        let mut pairs = vec![
            ("q", self.q.clone()),
            ("status", self.status.clone()),
            ("referent", self.referent.clone()),
            ("antenna", self.antenna.clone()),
            ("sort", self.sort.clone()),
            ("naf", self.naf.clone()),
            ("deadline", self.deadline.clone()),
        ];
        if let Some(p) = page {
            pairs.push(("page", p.to_string()));
        }
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    }
}

pub async fn list(Ctx { app, coop, page }: Ctx, Query(q): Query<ListQuery>) -> PageResult {
    let t = page.layout.t;
    let n = q.page.unwrap_or(0).max(0);
    let result = async {
        let (rows, total) = people::list(&app, &coop, &q.filter(app.clock.today()), n).await?;
        let items = people::lists(&app, &coop).await?;
        let referents = people::referents(&app, &coop).await?;
        Ok::<_, AppError>((rows, total, items, referents))
    }
    .await;
    let (rows, total, items, referents) = result?;
    let base = paths::people(&coop.slug);
    let today = app.clock.today();
    let page_view = PeopleListPage {
        rows: rows
            .iter()
            .map(|p| row_view(t, &coop, &items, p, today))
            .collect(),
        total,
        statuses: Status::ALL
            .iter()
            .map(|s| Choice::new(s.code(), status_label(t, s.code()), q.status == s.code()))
            .collect(),
        referents: crate::view::people_choices(&referents, &q.referent),
        antennas: choices(&items, RefList::Antenna, &q.antenna),
        sorts: [
            ("name", "people.sort_name"),
            ("status", "people.sort_status"),
            ("deadline", "people.sort_deadline"),
        ]
        .iter()
        .map(|(v, k)| Choice::new(*v, t.get(k), q.sort == *v))
        .collect(),
        prev: (n > 0).then(|| format!("{base}?{}", q.query_string(Some(n - 1)))),
        next: ((n + 1) * people::PAGE_SIZE < total)
            .then(|| format!("{base}?{}", q.query_string(Some(n + 1)))),
        csv_href: format!("{}?{}", paths::people_csv(&coop.slug), q.query_string(None)),
        xlsx_href: format!(
            "{}?{}",
            paths::people_xlsx(&coop.slug),
            q.query_string(None)
        ),
        new_href: coop
            .may(essaim_domain::access::Permission::PersonManage)
            .then(|| paths::new_person(&coop.slug)),
        deadlines_href: paths::deadlines(&coop.slug),
        q,
        l: page.layout,
    };
    Ok(render(&page_view))
}

fn row_view(t: Tr, coop: &CoopActor, items: &[RefItem], p: &PersonLine, today: Date) -> PersonRow {
    let deadline = p.associate_deadline_on.map(|d| {
        let band = DeadlineBand::of(d, today)
            .map(|b| format!(" — {}", t.get(&format!("band.{}", b.code()))))
            .unwrap_or_default();
        format!("{}{band}", date(d))
    });
    PersonRow {
        name: format!("{} {}", p.last_name, p.first_name),
        href: paths::person(&coop.slug, p.person_id),
        status: format!(
            "{}{}",
            status_label(t, &p.status),
            if p.suspended {
                format!(" {}", t.get("people.suspended_suffix"))
            } else {
                String::new()
            }
        ),
        referent: p.referent_name.clone().unwrap_or_default(),
        antenna: label(items, RefList::Antenna, &p.antenna),
        deadline: deadline.unwrap_or_default(),
    }
}

/// The filtered list as CSV (UTF-8 with BOM and `;`, as French spreadsheets expect).
pub async fn export_csv(cx: Ctx, q: Query<ListQuery>) -> PageResult {
    export(cx, q, false).await
}

/// The filtered list as an XLSX workbook.
pub async fn export_xlsx(cx: Ctx, q: Query<ListQuery>) -> PageResult {
    export(cx, q, true).await
}

async fn export(
    Ctx { app, coop, page }: Ctx,
    Query(q): Query<ListQuery>,
    xlsx: bool,
) -> PageResult {
    use essaim_app::exports::Table;
    let t = page.layout.t;
    let rows = people::export(&app, &coop, &q.filter(app.clock.today())).await?;
    let items = people::lists(&app, &coop).await?;
    let header = [
        "people.col_last_name",
        "people.col_first_name",
        "field.email",
        "people.col_status",
        "people.col_referent",
        "people.col_antenna",
        "people.col_cape_end",
        "people.col_trial_end",
        "people.col_deadline",
    ];
    let table = Table {
        sheet: t.get("people.title").to_owned(),
        header: header.iter().map(|k| t.get(k).to_owned()).collect(),
        rows: rows
            .iter()
            .map(|p| {
                vec![
                    p.last_name.clone(),
                    p.first_name.clone(),
                    p.email.clone().unwrap_or_default(),
                    status_label(t, &p.status),
                    p.referent_name.clone().unwrap_or_default(),
                    label(&items, RefList::Antenna, &p.antenna),
                    p.cape_end_on.map(|d| d.to_string()).unwrap_or_default(),
                    p.trial_end_on.map(|d| d.to_string()).unwrap_or_default(),
                    p.associate_deadline_on
                        .map(|d| d.to_string())
                        .unwrap_or_default(),
                ]
            })
            .collect(),
    };
    let name = format!("personnes-{}", coop.slug);
    table_file(&table, &name, if xlsx { "xlsx" } else { "csv" })
}
