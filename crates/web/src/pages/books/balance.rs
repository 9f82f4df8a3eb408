//! The books: trial balance.

use super::*;

pub struct BalanceLine {
    pub account: String,
    pub label: String,
    pub href: String,
    pub debit: String,
    pub credit: String,
    pub balance_debit: String,
    pub balance_credit: String,
}

#[derive(Template)]
#[template(path = "books/balance.html")]
pub struct BalancePage {
    pub l: Layout,
    pub q: PeriodQuery,
    pub period: String,
    pub rows: Vec<BalanceLine>,
    pub debit: String,
    pub credit: String,
    pub balance_debit: String,
    pub balance_credit: String,
    pub csv_href: String,
    pub xlsx_href: String,
    pub home_href: String,
    pub errors: Errors,
}

pub(crate) fn period_text(t: Tr, span: Span) -> String {
    t.fmt("books.period", &[&fr_date(span.from), &fr_date(span.to)])
}

pub(crate) fn span_query(span: Span) -> String {
    format!("from={}&to={}", span.from, span.to)
}

pub async fn balance(Ctx { app, coop, page }: Ctx, Query(q): Query<PeriodQuery>) -> PageResult {
    let t = page.layout.t;
    let mut e = FieldErrors::new();
    let span = span_of(&app, &coop, &q.from, &q.to, &mut e).await?;
    let tb = views::trial_balance(&app, &coop, span).await?;
    let (mut bd, mut bc) = (0, 0);
    let rows = tb
        .rows
        .iter()
        .map(|r| {
            let net = r.debit_cents - r.credit_cents;
            if net > 0 {
                bd += net;
            } else {
                bc -= net;
            }
            BalanceLine {
                href: format!(
                    "{}?{}",
                    paths::books_ledger(&coop.slug, &r.account),
                    span_query(span)
                ),
                account: r.account.clone(),
                label: r.label.clone().unwrap_or_default(),
                debit: amount(r.debit_cents),
                credit: amount(r.credit_cents),
                balance_debit: amount(net.max(0)),
                balance_credit: amount((-net).max(0)),
            }
        })
        .collect();
    let (csv_href, xlsx_href) = export_links(&paths::books_balance(&coop.slug), &span_query(span));
    Ok(render(&BalancePage {
        period: period_text(t, span),
        rows,
        debit: money(tb.debit_cents),
        credit: money(tb.credit_cents),
        balance_debit: money(bd),
        balance_credit: money(bc),
        csv_href,
        xlsx_href,
        home_href: paths::books(&coop.slug),
        errors: Errors::from(&e, t),
        q: default_query(q, span),
        l: page.layout.clone(),
    }))
}

pub async fn balance_export(
    Ctx { app, coop, page }: Ctx,
    Path((_, format)): Path<(String, String)>,
    Query(q): Query<PeriodQuery>,
) -> PageResult {
    let t = page.layout.t;
    let span = strict_span(&app, &coop, &q).await?;
    let tb = views::trial_balance(&app, &coop, span).await?;
    let table = Table {
        sheet: t.get("books.balance").into(),
        header: headers(
            t,
            &[
                "books.account",
                "books.account_label",
                "books.debit",
                "books.credit",
                "books.balance_debit",
                "books.balance_credit",
            ],
        ),
        rows: tb
            .rows
            .iter()
            .map(|r| {
                let net = r.debit_cents - r.credit_cents;
                vec![
                    r.account.clone(),
                    r.label.clone().unwrap_or_default(),
                    dec(r.debit_cents),
                    dec(r.credit_cents),
                    dec(net.max(0)),
                    dec((-net).max(0)),
                ]
            })
            .collect(),
    };
    table_file(
        &table,
        &format!("balance-{}-{}", span.from, span.to),
        &format,
    )
}
