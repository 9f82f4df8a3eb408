//! Sale documents: the lists of quotes and invoices, their exports and the receivables by age.

use super::*;

pub const PAGE_SIZE: i64 = 50;

/// The statuses a list of quotes, or of invoices, can be filtered by.
fn statuses(quotes: bool) -> &'static [&'static str] {
    if quotes {
        &["draft", "sent", "accepted", "refused", "expired"]
    } else {
        &[
            "draft",
            "to_validate",
            "returned",
            "validated",
            "issued",
            "partly_paid",
            "paid",
            "cancelled",
            "overdue",
            "unpaid",
        ]
    }
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    pub q: String,
    pub status: String,
    pub activity: String,
    pub customer: String,
    pub from: String,
    pub to: String,
    pub min: String,
    pub max: String,
    /// `oldest` for oldest first (the validation queue); newest first otherwise.
    pub sort: String,
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
            ("sort", self.sort.clone()),
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
        let statuses = statuses(quotes);
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
            activity: self.activity.parse().ok().map(ActivityId::new),
            customer: self.customer.parse().ok().map(CustomerId::new),
            status,
            from,
            to,
            min_cents,
            max_cents,
            search: Some(self.q.clone()).filter(|s| !s.trim().is_empty()),
            oldest_first: self.sort == "oldest",
            ..DocFilter::list_of(quotes)
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

pub(crate) fn doc_row(t: crate::i18n::Tr, slug: &str, d: &DocRecord, today: time::Date) -> DocRow {
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
    pub sorts: Vec<Choice>,
    pub activities: Vec<Choice>,
    pub new_links: Vec<(String, String)>,
    pub prev: Option<String>,
    pub next: Option<String>,
    pub csv_href: String,
    pub xlsx_href: String,
    pub receivables_href: String,
    pub archives_href: String,
}

pub async fn invoices(cx: Ctx, q: Query<ListQuery>) -> PageResult {
    list(cx, q, false).await
}
pub async fn quotes(cx: Ctx, q: Query<ListQuery>) -> PageResult {
    list(cx, q, true).await
}

async fn list(
    Ctx { app, coop, page }: Ctx,
    Query(q): Query<ListQuery>,
    quotes: bool,
) -> PageResult {
    let t = page.layout.t;
    let today = app.clock.today();
    let n = q.page.unwrap_or(0).max(0);
    let (filter, errors) = match q.filter(quotes) {
        Ok(f) => (f, Errors::default()),
        Err(AppError::Invalid(e)) => (ListQuery::default().filter(quotes)?, Errors::from(&e, t)),
        Err(e) => return Err(e.into()),
    };
    let (rows, totals) = docs::list(&app, &coop, filter, PAGE_SIZE, n * PAGE_SIZE).await?;
    let acts = activities::names(&app, &coop).await.unwrap_or_default();
    let base = if quotes {
        paths::quotes(&coop.slug)
    } else {
        paths::invoices(&coop.slug)
    };
    let statuses = statuses(quotes);
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
        sorts: ["", "oldest"]
            .iter()
            .map(|s| {
                Choice::new(
                    *s,
                    t.get(&format!(
                        "sales.sort_{}",
                        if s.is_empty() { "newest" } else { s }
                    )),
                    q.sort == *s,
                )
            })
            .collect(),
        statuses: statuses
            .iter()
            .map(|s| Choice::new(*s, t.get(&format!("sale_status.{s}")), q.status == *s))
            .collect(),
        activities: acts
            .iter()
            .map(|a| {
                Choice::new(
                    a.0.get().to_string(),
                    a.1.clone(),
                    q.activity == a.0.get().to_string(),
                )
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
    Ctx { app, coop, page }: Ctx,
    Path((_, which, format)): Path<(String, String, String)>,
    Query(q): Query<ListQuery>,
) -> PageResult {
    use essaim_app::exports::{Table, to_csv, to_xlsx};
    let t = page.layout.t;
    let today = app.clock.today();
    let quotes = match which.as_str() {
        "quotes" => true,
        "invoices" => false,
        _ => return Err(AppError::NotFound("export").into()),
    };
    let (rows, _) = docs::list(&app, &coop, q.filter(quotes)?, 100_000, 0).await?;
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
pub async fn receivables(Ctx { app, coop, page }: Ctx) -> PageResult {
    let rows = docs::ageing(&app, &coop).await?;
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
