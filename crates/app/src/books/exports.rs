//! Exporting the books: the FEC of a fiscal year (FEC-01…05), an hledger journal, and the import
//! formats of Sage, Cegid and Quadra (columns in `crates/exchange/FORMATS.md`).

use super::state_in;
use crate::{App, AppError, CoopActor};
use essaim_domain::access::Permission;
use essaim_domain::ids::CooperativeId;
use essaim_exchange::export::{self as x, BookLine};
use essaim_storage::Tx;
use essaim_storage::books::{self as store, ExportData};
use std::collections::HashMap;
use time::{Date, Month};

/// A file ready to download.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportFile {
    pub name: String,
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
    pub lines: usize,
}

/// The accounting-software formats of a journal export.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JournalFormat {
    Hledger,
    Sage,
    Cegid,
    Quadra,
}

impl JournalFormat {
    pub const ALL: [JournalFormat; 4] = [
        JournalFormat::Hledger,
        JournalFormat::Sage,
        JournalFormat::Cegid,
        JournalFormat::Quadra,
    ];
    pub fn code(self) -> &'static str {
        match self {
            JournalFormat::Hledger => "hledger",
            JournalFormat::Sage => "sage",
            JournalFormat::Cegid => "cegid",
            JournalFormat::Quadra => "quadra",
        }
    }
    pub fn parse(code: &str) -> Option<JournalFormat> {
        JournalFormat::ALL.into_iter().find(|f| f.code() == code)
    }
}

/// Assembles export lines from the stored entries and lines, in the entries' order, checking
/// each entry balances (FEC-05) on the way.
pub fn book_lines(data: ExportData) -> Result<Vec<BookLine>, AppError> {
    let journal_labels: HashMap<&str, &str> = data
        .journals
        .iter()
        .map(|j| (j.code.as_str(), j.label.as_str()))
        .collect();
    let account_labels: HashMap<&str, &str> = data
        .accounts
        .iter()
        .map(|a| (a.number.as_str(), a.label.as_str()))
        .collect();
    // Lines come in entry order: the range of each entry's lines.
    let mut ranges: HashMap<i64, (usize, usize)> = HashMap::with_capacity(data.entries.len());
    let mut start = 0;
    for i in 1..=data.lines.len() {
        if i == data.lines.len() || data.lines[i].entry_id != data.lines[start].entry_id {
            ranges.insert(data.lines[start].entry_id, (start, i));
            start = i;
        }
    }
    let mut out = Vec::with_capacity(data.lines.len());
    for e in &data.entries {
        let Some(&(from, to)) = ranges.get(&e.entry_id) else {
            continue;
        };
        let lines = &data.lines[from..to];
        let balance: i64 = lines.iter().map(|l| l.debit_cents - l.credit_cents).sum();
        let number = e.number.clone().unwrap_or_default();
        if balance != 0 {
            return Err(AppError::Internal(format!("entry {number} is unbalanced")));
        }
        let journal_label = journal_labels
            .get(e.journal.as_str())
            .copied()
            .unwrap_or(&e.journal);
        let validated_on = e.validated_at.map_or(e.entry_date, |t| t.date());
        for l in lines {
            out.push(BookLine {
                journal_code: e.journal.clone(),
                journal_label: journal_label.to_owned(),
                entry_number: number.clone(),
                entry_date: e.entry_date,
                account: l.account.clone(),
                account_label: account_labels
                    .get(l.account.as_str())
                    .copied()
                    .unwrap_or(&l.account)
                    .to_owned(),
                aux_code: l.aux_code.clone(),
                aux_label: l.aux_label.clone(),
                piece_ref: e.piece_ref.clone(),
                piece_date: e.piece_date,
                label: l.label.clone(),
                debit_cents: l.debit_cents,
                credit_cents: l.credit_cents,
                lettering: l.lettering.clone(),
                lettered_on: l.lettered_on,
                validated_on,
                analytic: l.analytic.clone(),
            });
        }
    }
    Ok(out)
}

/// The fiscal year whose closing date falls in `year`.
pub(crate) async fn fiscal_year_ending_in(
    tx: &mut Tx,
    coop: CooperativeId,
    year: i32,
) -> Result<(Date, Date, String), AppError> {
    let state = state_in(tx, coop).await?;
    let probe = Date::from_calendar_date(year, Month::December, 31)
        .map_err(|_| AppError::field("year", "year_format"))?;
    let (start, end) = state.periods.fiscal_year(probe);
    let (start, end) = if end.year() == year {
        (start, end)
    } else {
        state.periods.fiscal_year(
            start
                .previous_day()
                .ok_or(AppError::field("year", "year_format"))?,
        )
    };
    Ok((start, end, state.siren))
}

/// The FEC of the fiscal year closing in `year` (FEC-01…05).
pub(crate) async fn fec_in(
    tx: &mut Tx,
    coop: CooperativeId,
    year: i32,
) -> Result<ExportFile, AppError> {
    let (start, end, siren) = fiscal_year_ending_in(tx, coop, year).await?;
    let lines = book_lines(store::export_data(tx, coop, start, end).await?)?;
    let mut bytes = Vec::with_capacity(lines.len() * 160);
    x::write_fec(&lines, &mut bytes);
    Ok(ExportFile {
        name: x::fec_file_name(&siren, end),
        content_type: "text/plain; charset=iso-8859-15",
        bytes,
        lines: lines.len(),
    })
}

/// The FEC of a fiscal year; producing it is recorded (`books.fec_exported`), so the
/// accountant's home can say when the last one was made.
pub async fn fec(app: &App, actor: &CoopActor, year: i32) -> Result<ExportFile, AppError> {
    actor.require(Permission::BooksRead)?;
    let mut tx = app.store.read().await?;
    let file = fec_in(&mut tx, actor.cooperative, year).await?;
    tx.commit().await?;
    let mut tx = app.store.begin().await?;
    crate::audit::record_in(
        &mut tx,
        app,
        actor,
        FEC_EXPORTED,
        ("cooperative", actor.cooperative.to_string()),
        serde_json::json!({ "year": year, "file": file.name, "lines": file.lines }),
    )
    .await?;
    tx.commit().await?;
    Ok(file)
}

/// The audit action recorded when a FEC is produced.
pub const FEC_EXPORTED: &str = "books.fec_exported";

pub(crate) async fn journal_in(
    tx: &mut Tx,
    coop: CooperativeId,
    format: JournalFormat,
    from: Date,
    to: Date,
) -> Result<ExportFile, AppError> {
    let lines = book_lines(store::export_data(tx, coop, from, to).await?)?;
    let mut bytes = Vec::with_capacity(lines.len() * 120);
    let (ext, content_type) = match format {
        JournalFormat::Hledger => {
            x::write_hledger(&lines, &mut bytes);
            ("journal", "text/plain; charset=utf-8")
        }
        JournalFormat::Sage => {
            x::write_sage(&lines, &mut bytes);
            ("csv", "text/csv; charset=utf-8")
        }
        JournalFormat::Cegid => {
            x::write_cegid(&lines, &mut bytes);
            ("csv", "text/csv; charset=utf-8")
        }
        JournalFormat::Quadra => {
            x::write_quadra(&lines, &mut bytes);
            ("csv", "text/csv; charset=windows-1252")
        }
    };
    Ok(ExportFile {
        name: format!("ecritures-{}-{from}-{to}.{ext}", format.code()),
        content_type,
        bytes,
        lines: lines.len(),
    })
}

pub async fn journal(
    app: &App,
    actor: &CoopActor,
    format: JournalFormat,
    from: Date,
    to: Date,
) -> Result<ExportFile, AppError> {
    actor.require(Permission::BooksRead)?;
    let mut tx = app.store.read().await?;
    let file = journal_in(&mut tx, actor.cooperative, format, from, to).await?;
    tx.commit().await?;
    Ok(file)
}

/// CLI: the FEC of a cooperative without a signed-in person (the operator runs the binary).
pub async fn fec_for_cli(
    app: &App,
    coop: CooperativeId,
    year: i32,
) -> Result<ExportFile, AppError> {
    let mut tx = app.store.read().await?;
    let file = fec_in(&mut tx, coop, year).await?;
    tx.commit().await?;
    Ok(file)
}

/// CLI: a journal export of a period.
pub async fn journal_for_cli(
    app: &App,
    coop: CooperativeId,
    format: JournalFormat,
    from: Date,
    to: Date,
) -> Result<ExportFile, AppError> {
    let mut tx = app.store.read().await?;
    let file = journal_in(&mut tx, coop, format, from, to).await?;
    tx.commit().await?;
    Ok(file)
}

/// CLI: the first and last day of the fiscal year closing in `year`.
pub async fn fiscal_year_for_cli(
    app: &App,
    coop: CooperativeId,
    year: i32,
) -> Result<(Date, Date), AppError> {
    let mut tx = app.store.read().await?;
    let (start, end, _) = fiscal_year_ending_in(&mut tx, coop, year).await?;
    tx.commit().await?;
    Ok((start, end))
}
