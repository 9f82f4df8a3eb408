//! The books: general ledger.

use super::*;

pub struct LedgerRow {
    pub date: String,
    pub journal: String,
    pub number: String,
    pub href: String,
    pub piece: String,
    pub label: String,
    pub debit: String,
    pub credit: String,
    pub balance: String,
}

#[derive(Template)]
#[template(path = "books/ledger.html")]
pub struct LedgerPage {
    pub l: Layout,
    pub title: String,
    pub q: PeriodQuery,
    pub action: String,
    pub period: String,
    pub opening: String,
    pub rows: Vec<LedgerRow>,
    pub debit: String,
    pub credit: String,
    pub closing: String,
    pub truncated: bool,
    pub csv_href: String,
    pub xlsx_href: String,
    pub balance_href: String,
    pub errors: Errors,
}

/// The account named in the path (`None`: not an account number, the trial balance is shown).
fn account_of(raw: &str) -> Option<String> {
    AccountNumber::parse(raw)
        .ok()
        .map(|a| a.as_str().to_owned())
}

pub async fn ledger(
    Ctx { app, coop, page }: Ctx,
    Path((_, account)): Path<(String, String)>,
    Query(q): Query<PeriodQuery>,
) -> PageResult {
    let t = page.layout.t;
    let Some(account) = account_of(&account) else {
        return Ok(Redirect::to(&paths::books_balance(&coop.slug)).into_response());
    };
    let mut e = FieldErrors::new();
    let span = span_of(&app, &coop, &q.from, &q.to, &mut e).await?;
    let gl = views::general_ledger(&app, &coop, &account, span, views::LEDGER_LIMIT).await?;
    let mut running = gl.opening_cents;
    let (mut debit, mut credit) = (0, 0);
    let rows = gl
        .lines
        .iter()
        .map(|l| {
            running += l.debit_cents - l.credit_cents;
            debit += l.debit_cents;
            credit += l.credit_cents;
            LedgerRow {
                date: fr_date(l.entry_date),
                journal: l.journal.clone(),
                number: l.number.clone().unwrap_or_default(),
                href: paths::books_entry(&coop.slug, l.entry_id),
                piece: l.piece_ref.clone(),
                label: match (&l.aux_label, &l.analytic) {
                    (Some(aux), Some(a)) => format!("{} — {aux} ({a})", l.label),
                    (Some(aux), None) => format!("{} — {aux}", l.label),
                    (None, Some(a)) => format!("{} ({a})", l.label),
                    (None, None) => l.label.clone(),
                },
                debit: amount(l.debit_cents),
                credit: amount(l.credit_cents),
                balance: money(running),
            }
        })
        .collect();
    let base = paths::books_ledger(&coop.slug, &account);
    let (csv_href, xlsx_href) = export_links(&base, &span_query(span));
    Ok(render(&LedgerPage {
        title: match &gl.label {
            Some(label) => t.fmt("books.ledger_of", &[&format!("{account} {label}")]),
            None => t.fmt("books.ledger_of", &[&account]),
        },
        action: base,
        period: period_text(t, span),
        opening: money(gl.opening_cents),
        rows,
        debit: money(debit),
        credit: money(credit),
        closing: money(running),
        truncated: gl.truncated,
        csv_href,
        xlsx_href,
        balance_href: format!("{}?{}", paths::books_balance(&coop.slug), span_query(span)),
        errors: Errors::from(&e, t),
        q: if q.from.is_empty() && q.to.is_empty() {
            PeriodQuery {
                from: span.from.to_string(),
                to: span.to.to_string(),
            }
        } else {
            q
        },
        l: page.layout.clone(),
    }))
}

pub async fn ledger_export(
    Ctx { app, coop, page }: Ctx,
    Path((_, account, format)): Path<(String, String, String)>,
    Query(q): Query<PeriodQuery>,
) -> PageResult {
    let t = page.layout.t;
    let Some(account) = account_of(&account) else {
        return Ok(Redirect::to(&paths::books_balance(&coop.slug)).into_response());
    };
    let span = strict_span(&app, &coop, &q).await?;
    let gl = views::general_ledger(&app, &coop, &account, span, 1_000_000).await?;
    let mut running = gl.opening_cents;
    let mut rows = vec![vec![
        span.from.to_string(),
        String::new(),
        String::new(),
        String::new(),
        t.get("books.opening_balance").to_owned(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        dec(running),
    ]];
    rows.extend(gl.lines.iter().map(|l| {
        running += l.debit_cents - l.credit_cents;
        vec![
            l.entry_date.to_string(),
            l.journal.clone(),
            l.number.clone().unwrap_or_default(),
            l.piece_ref.clone(),
            l.label.clone(),
            l.aux_code.clone().unwrap_or_default(),
            l.analytic.clone().unwrap_or_default(),
            dec(l.debit_cents),
            dec(l.credit_cents),
            dec(running),
        ]
    }));
    let table = Table {
        sheet: account.clone(),
        header: headers(
            t,
            &[
                "books.date",
                "books.journal",
                "books.number",
                "books.piece",
                "books.label",
                "books.aux",
                "books.analytic_code",
                "books.debit",
                "books.credit",
                "books.running_balance",
            ],
        ),
        rows,
    };
    table_file(
        &table,
        &format!("grand-livre-{account}-{}-{}", span.from, span.to),
        &format,
    )
}
