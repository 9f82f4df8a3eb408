//! The books: analytic balance.

use super::*;

pub struct AnalyticLine {
    pub code: String,
    pub revenue: String,
    pub charges: String,
    pub result: String,
}

#[derive(Template)]
#[template(path = "books/analytic.html")]
pub struct AnalyticPage {
    pub l: Layout,
    pub q: PeriodQuery,
    pub period: String,
    pub rows: Vec<AnalyticLine>,
    pub revenue: String,
    pub charges: String,
    pub result: String,
    pub csv_href: String,
    pub xlsx_href: String,
    pub home_href: String,
    pub errors: Errors,
}

/// Per analytic code: revenue (class 7, credit − debit) and charges (class 6, debit − credit).
async fn analytic_totals(
    app: &App,
    coop: &CoopActor,
    span: Span,
) -> Result<Vec<(String, i64, i64)>, AppError> {
    let rows = views::analytic(app, coop, span).await?;
    let mut per: BTreeMap<String, (i64, i64)> = BTreeMap::new();
    for r in &rows {
        let slot = per.entry(r.analytic.clone()).or_default();
        match class_of(&r.account) {
            7 => slot.0 += r.credit_cents - r.debit_cents,
            6 => slot.1 += r.debit_cents - r.credit_cents,
            _ => {}
        }
    }
    Ok(per
        .into_iter()
        .filter(|(_, (rev, chg))| *rev != 0 || *chg != 0)
        .map(|(code, (rev, chg))| (code, rev, chg))
        .collect())
}

pub async fn analytic(Ctx { app, coop, page }: Ctx, Query(q): Query<PeriodQuery>) -> PageResult {
    let t = page.layout.t;
    let mut e = FieldErrors::new();
    let span = span_of(&app, &coop, &q.from, &q.to, &mut e).await?;
    let totals = analytic_totals(&app, &coop, span).await?;
    let revenue: i64 = totals.iter().map(|r| r.1).sum();
    let charges: i64 = totals.iter().map(|r| r.2).sum();
    let (csv_href, xlsx_href) = export_links(&paths::books_analytic(&coop.slug), &span_query(span));
    Ok(render(&AnalyticPage {
        period: period_text(t, span),
        rows: totals
            .iter()
            .map(|(code, rev, chg)| AnalyticLine {
                code: code.clone(),
                revenue: money(*rev),
                charges: money(*chg),
                result: money(rev - chg),
            })
            .collect(),
        revenue: money(revenue),
        charges: money(charges),
        result: money(revenue - charges),
        csv_href,
        xlsx_href,
        home_href: paths::books(&coop.slug),
        errors: Errors::from(&e, t),
        q: default_query(q, span),
        l: page.layout.clone(),
    }))
}

pub(crate) fn default_query(q: PeriodQuery, span: Span) -> PeriodQuery {
    if q.from.is_empty() && q.to.is_empty() {
        PeriodQuery {
            from: span.from.to_string(),
            to: span.to.to_string(),
        }
    } else {
        q
    }
}

pub async fn analytic_export(
    Ctx { app, coop, page }: Ctx,
    Path((_, format)): Path<(String, String)>,
    Query(q): Query<PeriodQuery>,
) -> PageResult {
    let t = page.layout.t;
    let span = strict_span(&app, &coop, &q).await?;
    let totals = analytic_totals(&app, &coop, span).await?;
    let table = Table {
        sheet: t.get("books.analytic").into(),
        header: headers(
            t,
            &[
                "books.analytic_code",
                "books.revenue",
                "books.charges",
                "books.result",
            ],
        ),
        rows: totals
            .iter()
            .map(|(code, rev, chg)| vec![code.clone(), dec(*rev), dec(*chg), dec(rev - chg)])
            .collect(),
    };
    table_file(
        &table,
        &format!("analytique-{}-{}", span.from, span.to),
        &format,
    )
}
