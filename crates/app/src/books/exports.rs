//! Exporting the books: the FEC of a fiscal year (FEC-01…05), an hledger journal, and the import
//! formats of Sage, Cegid and Quadra (columns in `crates/exchange/FORMATS.md`).

use super::state_in;
use crate::{App, AppError, CoopActor};
use essaim_domain::access::Permission;
use essaim_domain::ids::CooperativeId;
use essaim_exchange::export::{self as x, BookLine};
use essaim_storage::Tx;
use essaim_storage::books::{self as store, ExportRow};
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

/// Maps stored rows to export lines, checking each entry balances (FEC-05) on the way.
pub fn book_lines(rows: Vec<ExportRow>) -> Result<Vec<BookLine>, AppError> {
    let mut out = Vec::with_capacity(rows.len());
    let mut current: Option<String> = None;
    let mut balance = 0i64;
    for r in rows {
        let number = r.number.unwrap_or_default();
        if current.as_deref() != Some(number.as_str()) {
            if balance != 0 {
                return Err(AppError::Internal(format!(
                    "entry {} is unbalanced",
                    current.unwrap_or_default()
                )));
            }
            current = Some(number.clone());
        }
        balance += r.debit_cents - r.credit_cents;
        out.push(BookLine {
            journal_label: r.journal_label.unwrap_or_else(|| r.journal.clone()),
            journal_code: r.journal,
            entry_number: number,
            entry_date: r.entry_date,
            account_label: r.account_label.unwrap_or_else(|| r.account.clone()),
            account: r.account,
            aux_code: r.aux_code,
            aux_label: r.aux_label,
            piece_ref: r.piece_ref,
            piece_date: r.piece_date,
            label: r.label,
            debit_cents: r.debit_cents,
            credit_cents: r.credit_cents,
            lettering: r.lettering,
            lettered_on: r.lettered_on,
            validated_on: r.validated_at.map_or(r.entry_date, |t| t.date()),
            analytic: r.analytic,
        });
    }
    if balance != 0 {
        return Err(AppError::Internal(format!(
            "entry {} is unbalanced",
            current.unwrap_or_default()
        )));
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
    let rows = store::export_rows(tx, coop, start, end).await?;
    let lines = book_lines(rows)?;
    let mut bytes = Vec::with_capacity(lines.len() * 160);
    x::write_fec(&lines, &mut bytes);
    Ok(ExportFile {
        name: x::fec_file_name(&siren, end),
        content_type: "text/plain; charset=iso-8859-15",
        bytes,
        lines: lines.len(),
    })
}

pub async fn fec(app: &App, actor: &CoopActor, year: i32) -> Result<ExportFile, AppError> {
    actor.require(Permission::BooksRead)?;
    let mut tx = app.store.read().await?;
    let file = fec_in(&mut tx, actor.cooperative, year).await?;
    tx.commit().await?;
    Ok(file)
}

pub(crate) async fn journal_in(
    tx: &mut Tx,
    coop: CooperativeId,
    format: JournalFormat,
    from: Date,
    to: Date,
) -> Result<ExportFile, AppError> {
    let rows = store::export_rows(tx, coop, from, to).await?;
    let lines = book_lines(rows)?;
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
