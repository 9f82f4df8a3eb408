//! The books: home: periods, closing, exports.

use super::*;

#[derive(Template)]
#[template(path = "books/home.html")]
pub struct HomePage {
    pub l: Layout,
    pub locked: String,
    pub closed_years: Vec<String>,
    pub may_close: bool,
    pub months: Vec<Choice>,
    pub years: Vec<Choice>,
    pub close_month_action: String,
    pub close_year_action: String,
    pub links: Vec<(String, String, String)>,
    pub fec: Vec<(String, String)>,
    pub export_action: String,
    pub formats: Vec<Choice>,
    pub export_from: String,
    pub export_to: String,
    pub drafts: i64,
    pub drafts_href: String,
    pub errors: Errors,
    pub message: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct DoneQuery {
    pub done: String,
    pub n: String,
    pub d: String,
    pub page: Option<i64>,
}

pub(crate) fn done_message(t: Tr, q: &DoneQuery) -> Option<String> {
    match q.done.as_str() {
        "" => None,
        "imported" => {
            let count = |raw: &str, one: &str, many: &str| match raw {
                "1" => t.get(one).to_owned(),
                n => t.fmt(many, &[n]),
            };
            Some(t.fmt(
                "books.done.imported",
                &[
                    &count(
                        &q.n,
                        "books.done.line_imported",
                        "books.done.lines_imported",
                    ),
                    &count(
                        &q.d,
                        "books.done.duplicate_skipped",
                        "books.done.duplicates_skipped",
                    ),
                ],
            ))
        }
        "confirmed" => Some(t.fmt("books.done.confirmed", &[q.n.as_str()])),
        "month_closed" => Some(t.get("books.done.month_closed").to_owned()),
        "year_closed" => Some(t.get("books.done.year_closed").to_owned()),
        "draft_saved" => Some(t.get("books.done.draft_saved").to_owned()),
        "validated" => Some(t.get("books.done.validated").to_owned()),
        "deleted" => Some(t.get("books.done.deleted").to_owned()),
        "booked" => Some(t.get("books.done.booked").to_owned()),
        "mapping_saved" => Some(t.get("books.done.mapping_saved").to_owned()),
        "account_saved" => Some(t.get("books.done.account_saved").to_owned()),
        "journal_saved" => Some(t.get("books.done.journal_saved").to_owned()),
        _ => None,
    }
}

async fn home_page(
    app: &App,
    page: &Page,
    coop: &CoopActor,
    errors: Errors,
    message: Option<String>,
) -> PageResult {
    let t = page.layout.t;
    let slug = &coop.slug;
    let today = app.clock.today();
    let (periods, closed) = books::periods(app, coop).await?;
    let (fy_start, fy_end) = periods.fiscal_year(today);
    // The months that may be closed: from the first open one, each already over.
    let first_open = match periods.locked_through.and_then(|l| l.next_day()) {
        Some(d) => d,
        None => {
            periods
                .fiscal_year(fy_start.previous_day().unwrap_or(fy_start))
                .0
        }
    };
    let mut months = Vec::new();
    let mut m = month_start(first_open);
    while month_end(m) < today && months.len() < 36 {
        months.push(Choice::new(
            month_end(m).to_string(),
            month_label(t, m),
            months.is_empty(),
        ));
        let Some(next) = month_end(m).next_day() else {
            break;
        };
        m = next;
    }
    // The fiscal years over and not closed yet (their months must be closed first).
    let mut years = Vec::new();
    let mut end = fy_start.previous_day();
    for _ in 0..3 {
        let Some(e) = end else { break };
        let (start, e) = periods.fiscal_year(e);
        if !closed.iter().any(|c| c.year_end == e) {
            years.push(Choice::new(
                e.to_string(),
                t.fmt("books.fiscal_year", &[&fr_date(start), &fr_date(e)]),
                false,
            ));
        }
        end = start.previous_day();
    }
    years.reverse();
    if let Some(first) = years.first_mut() {
        first.selected = true;
    }
    let previous_end = fy_start.previous_day().unwrap_or(fy_start);
    let fec = vec![
        (
            paths::books_fec(slug, fy_end.year()),
            t.fmt("books.fec_current", &[&fr_date(fy_end)]),
        ),
        (
            paths::books_fec(slug, previous_end.year()),
            t.fmt("books.fec_closed", &[&fr_date(previous_end)]),
        ),
    ];
    let drafts = views::entries(
        app,
        coop,
        &EntryFilter {
            drafts: true,
            ..EntryFilter::default()
        },
        1,
        0,
    )
    .await?
    .1;
    let link =
        |href: String, key: &str, hint: &str| (href, t.get(key).to_owned(), t.get(hint).to_owned());
    Ok(render(&HomePage {
        locked: match periods.locked_through {
            Some(d) => t.fmt("books.locked_through", &[&fr_date(d)]),
            None => t.get("books.nothing_closed").to_owned(),
        },
        closed_years: closed
            .iter()
            .map(|y| {
                t.fmt(
                    "books.closed_year",
                    &[
                        &fr_date(y.year_start),
                        &fr_date(y.year_end),
                        &datetime(y.closed_at),
                    ],
                )
            })
            .collect(),
        may_close: coop.may(Permission::BooksClose),
        months,
        years,
        close_month_action: paths::books_close_month(slug),
        close_year_action: paths::books_close_year(slug),
        links: vec![
            link(
                paths::books_balance(slug),
                "books.balance",
                "books.balance_hint",
            ),
            link(
                paths::books_entries(slug),
                "books.entries",
                "books.entries_hint",
            ),
            link(
                paths::books_analytic(slug),
                "books.analytic",
                "books.analytic_hint",
            ),
            link(paths::books_vat(slug), "books.vat", "books.vat_hint"),
            link(paths::books_bank(slug), "books.bank", "books.bank_hint"),
            link(paths::books_chart(slug), "books.chart", "books.chart_hint"),
        ],
        fec,
        export_action: paths::books_journal_export(slug),
        formats: JournalFormat::ALL
            .iter()
            .map(|f| {
                Choice::new(
                    f.code(),
                    t.get(&format!("books.format.{}", f.code())),
                    *f == JournalFormat::Hledger,
                )
            })
            .collect(),
        export_from: fy_start.to_string(),
        export_to: fy_end.to_string(),
        drafts,
        drafts_href: format!("{}?drafts=1", paths::books_entries(slug)),
        errors,
        message,
        l: page.layout.clone(),
    }))
}

pub async fn home(Ctx { app, coop, page }: Ctx, Query(q): Query<DoneQuery>) -> PageResult {
    let message = done_message(page.layout.t, &q);
    home_page(&app, &page, &coop, Errors::default(), message).await
}

/// Runs an action of the books' home page: back to it with a message, or with the refusal shown.
/// Runs an action of the books' home page: back to it when done, with its errors (422) if refused.
async fn home_act(
    Ctx { app, coop, page }: Ctx,
    done: &str,
    action: impl AsyncFnOnce(&App, &CoopActor) -> Result<(), AppError>,
) -> PageResult {
    let outcome = action(&app, &coop).await;
    let to = |()| format!("{}?done={done}", paths::books(&coop.slug));
    forms::submit(&page, outcome, to, async |errors| {
        home_page(&app, &page, &coop, errors, None).await
    })
    .await
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct CloseMonthForm {
    pub month: String,
}

pub async fn close_month(cx: Ctx, Form(f): Form<CloseMonthForm>) -> PageResult {
    home_act(cx, "month_closed", async |app, coop| {
        let month = parse_date(&f.month).map_err(|c| AppError::field("month", c))?;
        books::close_month(app, coop, month).await.map(|_| ())
    })
    .await
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct CloseYearForm {
    pub year_end: String,
}

pub async fn close_year(cx: Ctx, Form(f): Form<CloseYearForm>) -> PageResult {
    home_act(cx, "year_closed", async |app, coop| {
        let end = parse_date(&f.year_end).map_err(|c| AppError::field("year_end", c))?;
        books::close_year(app, coop, end).await.map(|_| ())
    })
    .await
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct FecQuery {
    pub year: String,
}

/// The FEC of the fiscal year closing in `year` (by default the current one).
pub async fn fec(Ctx { app, coop, .. }: Ctx, Query(q): Query<FecQuery>) -> PageResult {
    let year = match q.year.trim() {
        "" => {
            let span = views::fiscal_year_of(&app, &coop, app.clock.today()).await?;
            span.to.year()
        }
        y => y
            .parse::<i32>()
            .ok()
            .filter(|y| (1900..=9999).contains(y))
            .ok_or(AppError::field("year", "year_format"))?,
    };
    let file = exports::fec(&app, &coop, year).await?;
    Ok(download(&file.name, file.content_type, file.bytes))
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct JournalExportQuery {
    pub format: String,
    pub from: String,
    pub to: String,
}

/// The entries of a period in an accounting software's format.
pub async fn journal_export(
    Ctx { app, coop, page }: Ctx,
    Query(q): Query<JournalExportQuery>,
) -> PageResult {
    let mut e = FieldErrors::new();
    let format = match q.format.trim() {
        "" => Some(JournalFormat::Hledger),
        f => {
            let parsed = JournalFormat::parse(f);
            if parsed.is_none() {
                e.add("format", "books_format_unknown");
            }
            parsed
        }
    };
    let span = span_of(&app, &coop, &q.from, &q.to, &mut e).await?;
    let Some(format) = format.filter(|_| e.is_empty()) else {
        return home_page(&app, &page, &coop, Errors::from(&e, page.layout.t), None)
            .await
            .map(unprocessable);
    };
    let file = exports::journal(&app, &coop, format, span.from, span.to).await?;
    Ok(download(&file.name, file.content_type, file.bytes))
}
