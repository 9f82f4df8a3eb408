//! The books: vat summary.

use super::*;

pub struct VatLine {
    pub month: String,
    pub collected: Vec<String>,
    pub total: String,
    pub deductible: String,
    pub due: String,
    pub pending: String,
}

#[derive(Template)]
#[template(path = "books/vat.html")]
pub struct VatPage {
    pub l: Layout,
    pub q: PeriodQuery,
    pub period: String,
    pub rates: Vec<String>,
    pub rows: Vec<VatLine>,
    pub totals: VatLine,
    pub csv_href: String,
    pub xlsx_href: String,
    pub home_href: String,
    pub errors: Errors,
}

pub async fn vat(Ctx { app, coop, page }: Ctx, Query(q): Query<PeriodQuery>) -> PageResult {
    let t = page.layout.t;
    let mut e = FieldErrors::new();
    let span = span_of(&app, &coop, &q.from, &q.to, &mut e).await?;
    let months = views::vat_summary(&app, &coop, span).await?;
    let rates: Vec<String> = months
        .first()
        .map(|m| {
            m.collected
                .iter()
                .map(|(label, _)| (*label).to_owned())
                .collect()
        })
        .unwrap_or_default();
    let mut sums = vec![0i64; rates.len()];
    let (mut total, mut deductible, mut due, mut pending) = (0, 0, 0, 0);
    let rows = months
        .iter()
        .map(|m| {
            for (i, (_, c)) in m.collected.iter().enumerate() {
                if let Some(s) = sums.get_mut(i) {
                    *s += c;
                }
            }
            total += m.collected_total;
            deductible += m.deductible;
            due += m.due;
            pending += m.pending_change;
            VatLine {
                month: month_label(t, m.month),
                collected: m.collected.iter().map(|(_, c)| money(*c)).collect(),
                total: money(m.collected_total),
                deductible: money(m.deductible),
                due: money(m.due),
                pending: money(m.pending_change),
            }
        })
        .collect();
    let (csv_href, xlsx_href) = export_links(&paths::books_vat(&coop.slug), &span_query(span));
    Ok(render(&VatPage {
        period: period_text(t, span),
        rates,
        rows,
        totals: VatLine {
            month: t.get("books.total").to_owned(),
            collected: sums.iter().map(|c| money(*c)).collect(),
            total: money(total),
            deductible: money(deductible),
            due: money(due),
            pending: money(pending),
        },
        csv_href,
        xlsx_href,
        home_href: paths::books(&coop.slug),
        errors: Errors::from(&e, t),
        q: default_query(q, span),
        l: page.layout.clone(),
    }))
}

pub async fn vat_export(
    Ctx { app, coop, page }: Ctx,
    Path((_, format)): Path<(String, String)>,
    Query(q): Query<PeriodQuery>,
) -> PageResult {
    let t = page.layout.t;
    let span = strict_span(&app, &coop, &q).await?;
    let months = views::vat_summary(&app, &coop, span).await?;
    let mut header = vec![t.get("books.month").to_owned()];
    if let Some(m) = months.first() {
        header.extend(
            m.collected
                .iter()
                .map(|(label, _)| t.fmt("books.vat_collected_at", &[label])),
        );
    }
    header.extend(headers(
        t,
        &[
            "books.vat_collected",
            "books.vat_deductible",
            "books.vat_due",
            "books.vat_pending",
        ],
    ));
    let table = Table {
        sheet: t.get("books.vat").into(),
        header,
        rows: months
            .iter()
            .map(|m| {
                let mut row = vec![format!(
                    "{}-{:02}",
                    m.month.year(),
                    u8::from(m.month.month())
                )];
                row.extend(m.collected.iter().map(|(_, c)| dec(*c)));
                row.extend([
                    dec(m.collected_total),
                    dec(m.deductible),
                    dec(m.due),
                    dec(m.pending_change),
                ]);
                row
            })
            .collect(),
    };
    table_file(&table, &format!("tva-{}-{}", span.from, span.to), &format)
}
