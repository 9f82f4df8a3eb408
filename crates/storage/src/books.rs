//! The books (issue 7): chart of accounts, journals, entries and their lines, closed periods,
//! bank statements. Rows in, rows out; the rules live in `essaim_domain::ledger`.

use crate::{StorageError, Tx, on_tx};
use essaim_domain::ids::{CooperativeId, UserId};
use essaim_domain::ledger::account::{DEFAULT_CHART, JournalRole};
use essaim_domain::ledger::entry::EntryLine;
use essaim_domain::payroll::account::{COLLECTED_PART, kind_of, part_code};
use std::collections::BTreeMap;
use time::{Date, OffsetDateTime};

/// Gives a cooperative its default chart of accounts and journals the first time its books are
/// touched. Returns whether they were created now.
pub async fn ensure_books(tx: &mut Tx, coop: CooperativeId) -> Result<bool, StorageError> {
    const INIT: &str = "insert into books_settings (cooperative_id, locked_through) values ($1, null) \
         on conflict (cooperative_id) do nothing";
    let created = on_tx!(tx, |conn| sqlx::query(INIT)
        .bind(coop.get())
        .execute(conn)
        .await?
        .rows_affected())
        == 1;
    if created {
        const ACC: &str = "insert into ledger_account (cooperative_id, number, label, archived) values ($1, $2, $3, false) \
             on conflict (cooperative_id, number) do nothing";
        for (number, label) in DEFAULT_CHART {
            on_tx!(tx, |conn| sqlx::query(ACC)
                .bind(coop.get())
                .bind(number)
                .bind(label)
                .execute(conn)
                .await?
                .rows_affected());
        }
        const JNL: &str = "insert into journal (cooperative_id, code, label, role) values ($1, $2, $3, $4) \
             on conflict (cooperative_id, code) do nothing";
        for role in JournalRole::ALL {
            let (code, label) = role.default_journal();
            on_tx!(tx, |conn| sqlx::query(JNL)
                .bind(coop.get())
                .bind(code)
                .bind(label)
                .bind(role.code())
                .execute(conn)
                .await?
                .rows_affected());
        }
    }
    Ok(created)
}

/// The day through which the books are closed, if any.
pub async fn locked_through(
    tx: &mut Tx,
    coop: CooperativeId,
) -> Result<Option<Date>, StorageError> {
    const SQL: &str = "select locked_through from books_settings where cooperative_id = $1";
    Ok(on_tx!(tx, |conn| sqlx::query_scalar::<_, Option<Date>>(SQL)
        .bind(coop.get())
        .fetch_optional(conn)
        .await?)
    .flatten())
}

/// Moves the closing date forward (never back: the condition makes a concurrent close harmless).
pub async fn set_locked_through(
    tx: &mut Tx,
    coop: CooperativeId,
    through: Date,
) -> Result<bool, StorageError> {
    const SQL: &str = "update books_settings set locked_through = $2 \
         where cooperative_id = $1 and (locked_through is null or locked_through < $2)";
    Ok(on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(coop.get())
        .bind(through)
        .execute(conn)
        .await?
        .rows_affected())
        == 1)
}

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct FiscalYearRecord {
    pub year_start: Date,
    pub year_end: Date,
    pub closed_at: OffsetDateTime,
}

pub async fn closed_years(
    tx: &mut Tx,
    coop: CooperativeId,
) -> Result<Vec<FiscalYearRecord>, StorageError> {
    const SQL: &str = "select year_start, year_end, closed_at from fiscal_year_close where cooperative_id = $1 order by year_start desc";
    Ok(on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(coop.get())
        .fetch_all(conn)
        .await?))
}

/// Records a fiscal year as closed; false if it already was.
pub async fn close_year(
    tx: &mut Tx,
    coop: CooperativeId,
    start: Date,
    end: Date,
    by: Option<UserId>,
    now: OffsetDateTime,
) -> Result<bool, StorageError> {
    const SQL: &str = "insert into fiscal_year_close (cooperative_id, year_start, year_end, closed_by, closed_at) values ($1, $2, $3, $4, $5) \
         on conflict (cooperative_id, year_start) do nothing";
    Ok(on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(coop.get())
        .bind(start)
        .bind(end)
        .bind(by.map(|u| u.get()))
        .bind(now)
        .execute(conn)
        .await?
        .rows_affected())
        == 1)
}

// ---------------------------------------------------------------------------------------------
// Chart of accounts and journals

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct AccountRecord {
    pub number: String,
    pub label: String,
    pub archived: bool,
}

pub async fn accounts(
    tx: &mut Tx,
    coop: CooperativeId,
) -> Result<Vec<AccountRecord>, StorageError> {
    const SQL: &str = "select number, label, archived from ledger_account where cooperative_id = $1 order by number";
    Ok(on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(coop.get())
        .fetch_all(conn)
        .await?))
}

pub async fn account(
    tx: &mut Tx,
    coop: CooperativeId,
    number: &str,
) -> Result<Option<AccountRecord>, StorageError> {
    const SQL: &str = "select number, label, archived from ledger_account where cooperative_id = $1 and number = $2";
    Ok(on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(coop.get())
        .bind(number)
        .fetch_optional(conn)
        .await?))
}

/// Adds an account or renames it, and archives or restores it.
pub async fn save_account(
    tx: &mut Tx,
    coop: CooperativeId,
    a: &AccountRecord,
) -> Result<(), StorageError> {
    const SQL: &str = "insert into ledger_account (cooperative_id, number, label, archived) values ($1, $2, $3, $4) \
         on conflict (cooperative_id, number) do update set label = excluded.label, archived = excluded.archived";
    on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(coop.get())
        .bind(&a.number)
        .bind(&a.label)
        .bind(a.archived)
        .execute(conn)
        .await?
        .rows_affected());
    Ok(())
}

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct JournalRecord {
    pub code: String,
    pub label: String,
    pub role: Option<String>,
}

pub async fn journals(
    tx: &mut Tx,
    coop: CooperativeId,
) -> Result<Vec<JournalRecord>, StorageError> {
    const SQL: &str =
        "select code, label, role from journal where cooperative_id = $1 order by code";
    Ok(on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(coop.get())
        .fetch_all(conn)
        .await?))
}

/// The journal automatic postings of `role` use.
pub async fn journal_for(
    tx: &mut Tx,
    coop: CooperativeId,
    role: JournalRole,
) -> Result<Option<String>, StorageError> {
    const SQL: &str = "select code from journal where cooperative_id = $1 and role = $2";
    Ok(on_tx!(tx, |conn| sqlx::query_scalar(SQL)
        .bind(coop.get())
        .bind(role.code())
        .fetch_optional(conn)
        .await?))
}

/// Adds a journal or renames it; giving it a role takes the role from the journal that had it.
pub async fn save_journal(
    tx: &mut Tx,
    coop: CooperativeId,
    j: &JournalRecord,
) -> Result<(), StorageError> {
    if let Some(role) = &j.role {
        const FREE: &str =
            "update journal set role = null where cooperative_id = $1 and role = $2 and code <> $3";
        on_tx!(tx, |conn| sqlx::query(FREE)
            .bind(coop.get())
            .bind(role)
            .bind(&j.code)
            .execute(conn)
            .await?
            .rows_affected());
    }
    const SQL: &str = "insert into journal (cooperative_id, code, label, role) values ($1, $2, $3, $4) \
         on conflict (cooperative_id, code) do update set label = excluded.label, role = coalesce(excluded.role, journal.role)";
    on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(coop.get())
        .bind(&j.code)
        .bind(&j.label)
        .bind(&j.role)
        .execute(conn)
        .await?
        .rows_affected());
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Entries

pub struct NewEntry<'a> {
    pub journal: &'a str,
    pub fiscal_year: Date,
    /// The number, for an entry validated as it is recorded (automatic postings).
    pub seq: Option<(i64, &'a str)>,
    pub date: Date,
    pub piece_ref: &'a str,
    pub piece_date: Date,
    pub label: &'a str,
    pub source_kind: &'a str,
    pub source_id: Option<i64>,
    pub by: Option<UserId>,
    pub now: OffsetDateTime,
}

/// Inserts an entry and its lines; validated when it has its number.
pub async fn insert_entry(
    tx: &mut Tx,
    coop: CooperativeId,
    e: &NewEntry<'_>,
    lines: &[EntryLine],
) -> Result<i64, StorageError> {
    const SQL: &str = "insert into entry (cooperative_id, journal, fiscal_year, seq, number, entry_date, piece_ref, piece_date, label, state, \
         source_kind, source_id, created_by, created_at, validated_by, validated_at) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) returning entry_id";
    let validated = e.seq.is_some();
    let id: i64 = on_tx!(tx, |conn| sqlx::query_scalar(SQL)
        .bind(coop.get())
        .bind(e.journal)
        .bind(e.fiscal_year)
        .bind(e.seq.map(|s| s.0))
        .bind(e.seq.map(|s| s.1))
        .bind(e.date)
        .bind(e.piece_ref)
        .bind(e.piece_date)
        .bind(e.label)
        .bind(if validated { "validated" } else { "draft" })
        .bind(e.source_kind)
        .bind(e.source_id)
        .bind(e.by.map(|u| u.get()))
        .bind(e.now)
        .bind(if validated {
            e.by.map(|u| u.get())
        } else {
            None
        })
        .bind(if validated { Some(e.now) } else { None })
        .fetch_one(conn)
        .await?);
    insert_lines(tx, coop, id, e.date, validated, lines).await?;
    if validated {
        let parts = lines.iter().map(|l| {
            (
                l.account.as_str(),
                l.analytic.as_deref(),
                l.credit_cents - l.debit_cents,
            )
        });
        add_to_analytic_days(tx, coop, e.date, parts).await?;
        if e.source_kind == "payment"
            && let Some(payment) = e.source_id
        {
            add_collected(tx, coop, payment).await?;
        }
    }
    Ok(id)
}

/// Adds a posted payment's part excluding VAT to its activity's per-day sums, under
/// [`COLLECTED_PART`] on the day it was paid (the revenue of accounts on a collected basis, read
/// by the overview). Called once, in the transaction that posts the payment's entry.
async fn add_collected(tx: &mut Tx, coop: CooperativeId, payment: i64) -> Result<(), StorageError> {
    const SQL: &str = "select a.analytic_code, p.paid_on, cast(coalesce(sum(v.ttc_cents - v.vat_cents), 0) as bigint) \
         from payment p join sale_doc d on d.sale_doc_id = p.sale_doc_id \
         join activity a on a.activity_id = d.activity_id \
         left join payment_vat v on v.payment_id = p.payment_id \
         where p.payment_id = $1 and p.cooperative_id = $2 \
         group by a.analytic_code, p.paid_on";
    let rows: Vec<(String, Date, i64)> = on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(payment)
        .bind(coop.get())
        .fetch_all(conn)
        .await?);
    for (analytic, paid_on, cents) in rows {
        add_sum(tx, coop, &analytic, paid_on, COLLECTED_PART, cents).await?;
    }
    Ok(())
}

/// Adds validated lines to the per-day sums of each analytic code's class 6 and 7 lines
/// (`analytic_day`, read by the overview of every activity account). With [`add_collected`], the
/// only writers of that table: called in the transaction that validates the lines, which never
/// change afterwards.
async fn add_to_analytic_days<'a>(
    tx: &mut Tx,
    coop: CooperativeId,
    date: Date,
    lines: impl Iterator<Item = (&'a str, Option<&'a str>, i64)>,
) -> Result<(), StorageError> {
    let mut sums: BTreeMap<(&str, &str), i64> = BTreeMap::new();
    for (account, analytic, cents) in lines {
        let (Some(analytic), Some(part)) = (analytic, kind_of(account).and_then(part_code)) else {
            continue;
        };
        *sums.entry((analytic, part)).or_default() += cents;
    }
    for ((analytic, part), cents) in sums {
        add_sum(tx, coop, analytic, date, part, cents).await?;
    }
    Ok(())
}

/// One amount added to a code's sum of the day (`analytic_day`) and to its running total
/// (`analytic_total`), together.
async fn add_sum(
    tx: &mut Tx,
    coop: CooperativeId,
    analytic: &str,
    date: Date,
    part: &str,
    cents: i64,
) -> Result<(), StorageError> {
    const DAY: &str = "insert into analytic_day (cooperative_id, analytic, entry_date, part, cents) values ($1, $2, $3, $4, $5) \
         on conflict (cooperative_id, analytic, entry_date, part) do update set cents = analytic_day.cents + excluded.cents";
    on_tx!(tx, |conn| sqlx::query(DAY)
        .bind(coop.get())
        .bind(analytic)
        .bind(date)
        .bind(part)
        .bind(cents)
        .execute(conn)
        .await?
        .rows_affected());
    const TOTAL: &str = "insert into analytic_total (cooperative_id, analytic, part, cents) values ($1, $2, $3, $4) \
         on conflict (cooperative_id, analytic, part) do update set cents = analytic_total.cents + excluded.cents";
    on_tx!(tx, |conn| sqlx::query(TOTAL)
        .bind(coop.get())
        .bind(analytic)
        .bind(part)
        .bind(cents)
        .execute(conn)
        .await?
        .rows_affected());
    Ok(())
}

async fn insert_lines(
    tx: &mut Tx,
    coop: CooperativeId,
    id: i64,
    date: Date,
    validated: bool,
    lines: &[EntryLine],
) -> Result<(), StorageError> {
    if lines.is_empty() {
        return Ok(());
    }
    let mut sql = String::from(
        "insert into entry_line (entry_id, position, cooperative_id, entry_date, validated, account, aux_code, aux_label, analytic, label, \
         debit_cents, credit_cents) values ",
    );
    for i in 0..lines.len() {
        let b = i * 12;
        if i > 0 {
            sql.push(',');
        }
        sql.push('(');
        for k in 1..=12 {
            if k > 1 {
                sql.push(',');
            }
            sql.push('$');
            sql.push_str(&(b + k).to_string());
        }
        sql.push(')');
    }
    on_tx!(tx, |conn| {
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.clone()));
        for (pos, l) in lines.iter().enumerate() {
            q = q
                .bind(id)
                .bind(pos as i64)
                .bind(coop.get())
                .bind(date)
                .bind(validated)
                .bind(&l.account)
                .bind(l.aux.as_ref().map(|a| a.code.as_str()))
                .bind(l.aux.as_ref().map(|a| a.label.as_str()))
                .bind(l.analytic.as_deref())
                .bind(&l.label)
                .bind(l.debit_cents)
                .bind(l.credit_cents);
        }
        q.execute(conn).await?.rows_affected()
    });
    Ok(())
}

/// Replaces a draft entry's head and lines (manual entries before validation).
pub async fn update_draft(
    tx: &mut Tx,
    coop: CooperativeId,
    id: i64,
    e: &NewEntry<'_>,
    lines: &[EntryLine],
) -> Result<bool, StorageError> {
    const SQL: &str = "update entry set journal = $3, fiscal_year = $4, entry_date = $5, piece_ref = $6, piece_date = $7, label = $8 \
         where entry_id = $1 and cooperative_id = $2 and state = 'draft'";
    let n = on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(id)
        .bind(coop.get())
        .bind(e.journal)
        .bind(e.fiscal_year)
        .bind(e.date)
        .bind(e.piece_ref)
        .bind(e.piece_date)
        .bind(e.label)
        .execute(conn)
        .await?
        .rows_affected());
    if n != 1 {
        return Ok(false);
    }
    const DEL: &str = "delete from entry_line where entry_id = $1";
    on_tx!(tx, |conn| sqlx::query(DEL)
        .bind(id)
        .execute(conn)
        .await?
        .rows_affected());
    insert_lines(tx, coop, id, e.date, false, lines).await?;
    Ok(true)
}

/// Deletes a draft entry; false when it is no longer a draft.
pub async fn delete_draft(tx: &mut Tx, coop: CooperativeId, id: i64) -> Result<bool, StorageError> {
    const CHECK: &str = "select count(*) from entry where entry_id = $1 and cooperative_id = $2 and state = 'draft'";
    let n: i64 = on_tx!(tx, |conn| sqlx::query_scalar(CHECK)
        .bind(id)
        .bind(coop.get())
        .fetch_one(conn)
        .await?);
    if n != 1 {
        return Ok(false);
    }
    const LINES: &str = "delete from entry_line where entry_id = $1";
    on_tx!(tx, |conn| sqlx::query(LINES)
        .bind(id)
        .execute(conn)
        .await?
        .rows_affected());
    const SQL: &str = "delete from entry where entry_id = $1";
    on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(id)
        .execute(conn)
        .await?
        .rows_affected());
    Ok(true)
}

/// Numbers and locks a draft (ACC-03); false when it is no longer a draft.
pub async fn validate_entry(
    tx: &mut Tx,
    coop: CooperativeId,
    id: i64,
    seq: i64,
    number: &str,
    by: UserId,
    now: OffsetDateTime,
) -> Result<bool, StorageError> {
    const SQL: &str = "update entry set state = 'validated', seq = $3, number = $4, validated_by = $5, validated_at = $6 \
         where entry_id = $1 and cooperative_id = $2 and state = 'draft'";
    let n = on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(id)
        .bind(coop.get())
        .bind(seq)
        .bind(number)
        .bind(by.get())
        .bind(now)
        .execute(conn)
        .await?
        .rows_affected());
    if n != 1 {
        return Ok(false);
    }
    const LINES: &str = "update entry_line set validated = true where entry_id = $1";
    on_tx!(tx, |conn| sqlx::query(LINES)
        .bind(id)
        .execute(conn)
        .await?
        .rows_affected());
    const READ: &str = "select entry_date, account, analytic, cast(credit_cents - debit_cents as bigint) from entry_line \
         where entry_id = $1 and analytic is not null";
    let rows: Vec<(Date, String, Option<String>, i64)> = on_tx!(tx, |conn| sqlx::query_as(READ)
        .bind(id)
        .fetch_all(conn)
        .await?);
    if let Some((date, ..)) = rows.first() {
        let parts = rows
            .iter()
            .map(|(_, account, analytic, cents)| (account.as_str(), analytic.as_deref(), *cents));
        add_to_analytic_days(tx, coop, *date, parts).await?;
    }
    Ok(true)
}

/// Whether draft entries are dated on or before `through`.
pub async fn drafts_through(
    tx: &mut Tx,
    coop: CooperativeId,
    through: Date,
) -> Result<i64, StorageError> {
    const SQL: &str = "select count(*) from entry where cooperative_id = $1 and state = 'draft' and entry_date <= $2";
    Ok(on_tx!(tx, |conn| sqlx::query_scalar(SQL)
        .bind(coop.get())
        .bind(through)
        .fetch_one(conn)
        .await?))
}

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct EntryRecord {
    pub entry_id: i64,
    pub journal: String,
    pub fiscal_year: Date,
    pub number: Option<String>,
    pub entry_date: Date,
    pub piece_ref: String,
    pub piece_date: Date,
    pub label: String,
    pub state: String,
    pub source_kind: String,
    pub source_id: Option<i64>,
    pub validated_at: Option<OffsetDateTime>,
    pub debit_cents: i64,
}

const ENTRY_COLUMNS: &str = "e.entry_id, e.journal, e.fiscal_year, e.number, e.entry_date, e.piece_ref, e.piece_date, e.label, e.state, \
     e.source_kind, e.source_id, e.validated_at, \
     cast((select coalesce(sum(l.debit_cents), 0) from entry_line l where l.entry_id = e.entry_id) as bigint) as debit_cents";

pub async fn entry(
    tx: &mut Tx,
    coop: CooperativeId,
    id: i64,
) -> Result<Option<EntryRecord>, StorageError> {
    let sql = format!(
        "select {ENTRY_COLUMNS} from entry e where e.entry_id = $1 and e.cooperative_id = $2"
    );
    Ok(on_tx!(tx, |conn| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .bind(coop.get())
        .fetch_optional(conn)
        .await?))
}

/// The entries made from one source document (`sale_doc`, `payment`, `bank_line`…).
pub async fn entries_of_source(
    tx: &mut Tx,
    coop: CooperativeId,
    kind: &str,
    ids: &[i64],
) -> Result<Vec<EntryRecord>, StorageError> {
    let mut out = Vec::new();
    let sql = format!(
        "select {ENTRY_COLUMNS} from entry e where e.source_kind = $1 and e.source_id = $2 and e.cooperative_id = $3 order by e.entry_id"
    );
    for id in ids {
        let rows: Vec<EntryRecord> =
            on_tx!(tx, |conn| sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
                .bind(kind)
                .bind(id)
                .bind(coop.get())
                .fetch_all(conn)
                .await?);
        out.extend(rows);
    }
    Ok(out)
}

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct LineRecord {
    pub entry_id: i64,
    pub position: i64,
    pub account: String,
    pub account_label: Option<String>,
    pub aux_code: Option<String>,
    pub aux_label: Option<String>,
    pub analytic: Option<String>,
    pub label: String,
    pub debit_cents: i64,
    pub credit_cents: i64,
}

pub async fn entry_lines(
    tx: &mut Tx,
    coop: CooperativeId,
    id: i64,
) -> Result<Vec<LineRecord>, StorageError> {
    const SQL: &str = "select l.entry_id, l.position, l.account, a.label as account_label, l.aux_code, l.aux_label, l.analytic, l.label, \
         l.debit_cents, l.credit_cents from entry_line l \
         left join ledger_account a on a.cooperative_id = l.cooperative_id and a.number = l.account \
         where l.entry_id = $1 and l.cooperative_id = $2 order by l.position";
    Ok(on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(id)
        .bind(coop.get())
        .fetch_all(conn)
        .await?))
}

/// The accounts an entry of a source posted to (which VAT was pending on an invoice).
pub async fn accounts_of_source(
    tx: &mut Tx,
    coop: CooperativeId,
    kind: &str,
    id: i64,
) -> Result<Vec<String>, StorageError> {
    const SQL: &str = "select distinct l.account from entry e join entry_line l on l.entry_id = e.entry_id \
         where e.cooperative_id = $1 and e.source_kind = $2 and e.source_id = $3";
    Ok(on_tx!(tx, |conn| sqlx::query_scalar(SQL)
        .bind(coop.get())
        .bind(kind)
        .bind(id)
        .fetch_all(conn)
        .await?))
}

#[derive(Clone, Debug, Default)]
pub struct EntryFilter {
    pub journal: Option<String>,
    pub from: Option<Date>,
    pub to: Option<Date>,
    pub drafts: bool,
}

/// A page of entries, in date order.
pub async fn list_entries(
    tx: &mut Tx,
    coop: CooperativeId,
    f: &EntryFilter,
    limit: i64,
    offset: i64,
) -> Result<(Vec<EntryRecord>, i64), StorageError> {
    let mut w = String::from("e.cooperative_id = $1 and e.entry_date >= $2 and e.entry_date <= $3");
    w.push_str(if f.drafts {
        " and e.state = 'draft'"
    } else {
        " and e.state = 'validated'"
    });
    if f.journal.is_some() {
        w.push_str(" and e.journal = $4");
    }
    // Bounds every database stores (PostgreSQL's dates stop well before `Date::MAX`).
    let from = f.from.unwrap_or(time::macros::date!(1900 - 01 - 01));
    let to = f.to.unwrap_or(time::macros::date!(9999 - 12 - 31));
    let count_sql = format!("select count(*) from entry e where {w}");
    let page_sql = format!(
        "select {ENTRY_COLUMNS} from entry e where {w} order by e.entry_date, e.journal, e.seq, e.entry_id limit {limit} offset {offset}"
    );
    let journal = f.journal.clone().unwrap_or_default();
    let with_journal = f.journal.is_some();
    let count: i64 = on_tx!(tx, |conn| {
        let q = sqlx::query_scalar(sqlx::AssertSqlSafe(count_sql))
            .bind(coop.get())
            .bind(from)
            .bind(to);
        let q = if with_journal {
            q.bind(journal.clone())
        } else {
            q
        };
        q.fetch_one(conn).await?
    });
    let rows: Vec<EntryRecord> = on_tx!(tx, |conn| {
        let q = sqlx::query_as(sqlx::AssertSqlSafe(page_sql))
            .bind(coop.get())
            .bind(from)
            .bind(to);
        let q = if with_journal {
            q.bind(journal.clone())
        } else {
            q
        };
        q.fetch_all(conn).await?
    });
    Ok((rows, count))
}

// ---------------------------------------------------------------------------------------------
// Balances

/// One account's totals over a period (validated entries only).
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct BalanceRow {
    pub account: String,
    pub label: Option<String>,
    pub debit_cents: i64,
    pub credit_cents: i64,
}

/// The trial balance of a period: totals per account.
pub async fn trial_balance(
    tx: &mut Tx,
    coop: CooperativeId,
    from: Date,
    to: Date,
) -> Result<Vec<BalanceRow>, StorageError> {
    const SQL: &str = "select t.account, a.label, t.debit_cents, t.credit_cents from ( \
         select account, cast(sum(debit_cents) as bigint) as debit_cents, cast(sum(credit_cents) as bigint) as credit_cents \
         from entry_line where cooperative_id = $1 and validated = true and entry_date >= $2 and entry_date <= $3 group by account) t \
         left join ledger_account a on a.cooperative_id = $1 and a.number = t.account order by t.account";
    Ok(on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(coop.get())
        .bind(from)
        .bind(to)
        .fetch_all(conn)
        .await?))
}

/// One analytic code's totals per account over a period (charges, revenue and third parties).
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct AnalyticRow {
    pub analytic: String,
    pub account: String,
    pub debit_cents: i64,
    pub credit_cents: i64,
}

pub async fn analytic_balance(
    tx: &mut Tx,
    coop: CooperativeId,
    from: Date,
    to: Date,
) -> Result<Vec<AnalyticRow>, StorageError> {
    const SQL: &str = "select analytic, account, cast(sum(debit_cents) as bigint) as debit_cents, cast(sum(credit_cents) as bigint) as credit_cents \
         from entry_line where cooperative_id = $1 and validated = true and entry_date >= $2 and entry_date <= $3 and analytic is not null \
         group by analytic, account order by analytic, account";
    Ok(on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(coop.get())
        .bind(from)
        .bind(to)
        .fetch_all(conn)
        .await?))
}

/// Balances per account, third party and analytic code at the end of a period (for the opening
/// entry of the next fiscal year).
pub async fn detailed_balances(
    tx: &mut Tx,
    coop: CooperativeId,
    from: Date,
    to: Date,
) -> Result<Vec<(String, Option<String>, Option<String>, Option<String>, i64)>, StorageError> {
    const SQL: &str = "select account, aux_code, max(aux_label), analytic, cast(sum(debit_cents) - sum(credit_cents) as bigint) \
         from entry_line where cooperative_id = $1 and validated = true and entry_date >= $2 and entry_date <= $3 \
         group by account, aux_code, analytic order by account, aux_code, analytic";
    Ok(on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(coop.get())
        .bind(from)
        .bind(to)
        .fetch_all(conn)
        .await?))
}

/// Totals per month and account over a period, for the VAT summary (accounts starting with 445).
pub async fn monthly_vat(
    tx: &mut Tx,
    coop: CooperativeId,
    from: Date,
    to: Date,
) -> Result<Vec<(Date, String, i64, i64)>, StorageError> {
    // Summed by day and account: a month of a large cooperative has thousands of VAT lines.
    const SQL: &str = "select entry_date, account, cast(sum(debit_cents) as bigint), cast(sum(credit_cents) as bigint) from entry_line \
         where cooperative_id = $1 and validated = true and entry_date >= $2 and entry_date <= $3 and account like '445%' \
         group by entry_date, account";
    let rows: Vec<(Date, String, i64, i64)> = on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(coop.get())
        .bind(from)
        .bind(to)
        .fetch_all(conn)
        .await?);
    Ok(rows)
}

/// The general ledger of one account over a period: its lines in date order.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct LedgerLine {
    pub entry_id: i64,
    pub journal: String,
    pub number: Option<String>,
    pub entry_date: Date,
    pub piece_ref: String,
    pub aux_code: Option<String>,
    pub aux_label: Option<String>,
    pub analytic: Option<String>,
    pub label: String,
    pub debit_cents: i64,
    pub credit_cents: i64,
    pub lettering: Option<String>,
}

pub async fn ledger(
    tx: &mut Tx,
    coop: CooperativeId,
    account: &str,
    from: Date,
    to: Date,
    limit: i64,
) -> Result<Vec<LedgerLine>, StorageError> {
    const SQL: &str = "select l.entry_id, e.journal, e.number, l.entry_date, e.piece_ref, l.aux_code, l.aux_label, l.analytic, l.label, \
         l.debit_cents, l.credit_cents, l.lettering from entry_line l join entry e on e.entry_id = l.entry_id \
         where l.cooperative_id = $1 and l.account = $2 and l.validated = true and l.entry_date >= $3 and l.entry_date <= $4 \
         order by l.entry_date, l.entry_id, l.position limit $5";
    Ok(on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(coop.get())
        .bind(account)
        .bind(from)
        .bind(to)
        .bind(limit)
        .fetch_all(conn)
        .await?))
}

/// Balance of an account before a date (the general ledger's carried-forward line).
pub async fn balance_before(
    tx: &mut Tx,
    coop: CooperativeId,
    account: &str,
    from: Date,
    year_start: Date,
) -> Result<i64, StorageError> {
    const SQL: &str = "select cast(coalesce(sum(debit_cents) - sum(credit_cents), 0) as bigint) from entry_line \
         where cooperative_id = $1 and account = $2 and validated = true and entry_date >= $3 and entry_date < $4";
    Ok(on_tx!(tx, |conn| sqlx::query_scalar(SQL)
        .bind(coop.get())
        .bind(account)
        .bind(year_start)
        .bind(from)
        .fetch_one(conn)
        .await?))
}

/// The head of an exported entry.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct ExportEntry {
    pub entry_id: i64,
    pub journal: String,
    pub number: Option<String>,
    pub entry_date: Date,
    pub piece_ref: String,
    pub piece_date: Date,
    pub validated_at: Option<OffsetDateTime>,
    pub source_kind: String,
}

/// One exported line, with the id of its entry.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct ExportLine {
    pub entry_id: i64,
    pub account: String,
    pub aux_code: Option<String>,
    pub aux_label: Option<String>,
    pub label: String,
    pub debit_cents: i64,
    pub credit_cents: i64,
    pub analytic: Option<String>,
    pub lettering: Option<String>,
    pub lettered_on: Option<Date>,
}

/// Everything an export of a period needs: the validated entries in FEC order (FEC-04: the opening
/// journal first, then by validation chronology), their lines by entry, and the labels. Read as
/// two narrow queries (entries, then lines in entry order) rather than one wide join: a year of a
/// large cooperative is tens of thousands of lines, and each decoded column counts.
pub struct ExportData {
    pub entries: Vec<ExportEntry>,
    pub lines: Vec<ExportLine>,
    pub journals: Vec<JournalRecord>,
    pub accounts: Vec<AccountRecord>,
}

pub async fn export_data(
    tx: &mut Tx,
    coop: CooperativeId,
    from: Date,
    to: Date,
) -> Result<ExportData, StorageError> {
    const ENTRIES: &str = "select entry_id, journal, number, entry_date, piece_ref, piece_date, validated_at, source_kind from entry \
         where cooperative_id = $1 and state = 'validated' and entry_date >= $2 and entry_date <= $3 \
         order by case when source_kind = 'opening' then 0 else 1 end, validated_at, entry_id";
    const LINES: &str = "select entry_id, account, aux_code, aux_label, label, debit_cents, credit_cents, analytic, lettering, lettered_on \
         from entry_line where cooperative_id = $1 and validated = true and entry_date >= $2 and entry_date <= $3 \
         order by entry_id, position";
    let entries: Vec<ExportEntry> = on_tx!(tx, |conn| sqlx::query_as(ENTRIES)
        .bind(coop.get())
        .bind(from)
        .bind(to)
        .fetch_all(conn)
        .await?);
    let lines: Vec<ExportLine> = on_tx!(tx, |conn| sqlx::query_as(LINES)
        .bind(coop.get())
        .bind(from)
        .bind(to)
        .fetch_all(conn)
        .await?);
    let journals = journals(tx, coop).await?;
    let accounts = accounts(tx, coop).await?;
    Ok(ExportData {
        entries,
        lines,
        journals,
        accounts,
    })
}

/// The cooperative's fiscal-year start (month, day), SIREN and closing date, read together.
pub async fn books_state(
    tx: &mut Tx,
    coop: CooperativeId,
) -> Result<Option<(i64, i64, String, Option<Date>)>, StorageError> {
    const SQL: &str = "select c.fiscal_year_start_month, c.fiscal_year_start_day, c.siren, s.locked_through from cooperative c \
         left join books_settings s on s.cooperative_id = c.cooperative_id where c.cooperative_id = $1";
    Ok(on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(coop.get())
        .fetch_optional(conn)
        .await?))
}

/// The sale document a payment settles.
pub async fn payment_doc(
    tx: &mut Tx,
    coop: CooperativeId,
    payment: i64,
) -> Result<Option<i64>, StorageError> {
    const SQL: &str =
        "select sale_doc_id from payment where payment_id = $1 and cooperative_id = $2";
    Ok(on_tx!(tx, |conn| sqlx::query_scalar(SQL)
        .bind(payment)
        .bind(coop.get())
        .fetch_optional(conn)
        .await?))
}

/// The payments of a sale document.
pub async fn payments_of_doc(
    tx: &mut Tx,
    coop: CooperativeId,
    doc: i64,
) -> Result<Vec<i64>, StorageError> {
    const SQL: &str = "select payment_id from payment where sale_doc_id = $1 and cooperative_id = $2 order by payment_id";
    Ok(on_tx!(tx, |conn| sqlx::query_scalar(SQL)
        .bind(doc)
        .bind(coop.get())
        .fetch_all(conn)
        .await?))
}

// ---------------------------------------------------------------------------------------------
// Bank statements

pub struct NewBankLine {
    pub booked_on: Date,
    pub value_on: Option<Date>,
    pub amount_cents: i64,
    pub label: String,
    pub counterparty: Option<String>,
    pub reference: Option<String>,
    pub bank_ref: Option<String>,
    pub fingerprint: String,
}

#[allow(clippy::too_many_arguments)]
pub async fn insert_import(
    tx: &mut Tx,
    coop: CooperativeId,
    file_name: &str,
    format: &str,
    iban: Option<&str>,
    by: Option<UserId>,
    now: OffsetDateTime,
) -> Result<i64, StorageError> {
    const SQL: &str = "insert into bank_import (cooperative_id, file_name, format, iban, line_count, duplicate_count, imported_by, imported_at) \
         values ($1, $2, $3, $4, 0, 0, $5, $6) returning bank_import_id";
    Ok(on_tx!(tx, |conn| sqlx::query_scalar(SQL)
        .bind(coop.get())
        .bind(file_name)
        .bind(format)
        .bind(iban)
        .bind(by.map(|u| u.get()))
        .bind(now)
        .fetch_one(conn)
        .await?))
}

pub async fn finish_import(
    tx: &mut Tx,
    id: i64,
    lines: i64,
    duplicates: i64,
) -> Result<(), StorageError> {
    const SQL: &str =
        "update bank_import set line_count = $2, duplicate_count = $3 where bank_import_id = $1";
    on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(id)
        .bind(lines)
        .bind(duplicates)
        .execute(conn)
        .await?
        .rows_affected());
    Ok(())
}

/// Inserts statement lines, skipping those already imported (same fingerprint). Returns how many
/// were new. Rows go in chunks of a few hundred per statement.
pub async fn insert_bank_lines(
    tx: &mut Tx,
    coop: CooperativeId,
    import: i64,
    lines: &[NewBankLine],
) -> Result<u64, StorageError> {
    const COLS: usize = 11;
    let mut inserted = 0;
    for chunk in lines.chunks(500) {
        let mut sql = String::from(
            "insert into bank_line (cooperative_id, bank_import_id, booked_on, value_on, amount_cents, label, counterparty, reference, bank_ref, \
             fingerprint, state) values ",
        );
        for i in 0..chunk.len() {
            if i > 0 {
                sql.push(',');
            }
            sql.push('(');
            for k in 1..=COLS {
                if k > 1 {
                    sql.push(',');
                }
                sql.push('$');
                sql.push_str(&(i * COLS + k).to_string());
            }
            sql.push(')');
        }
        sql.push_str(" on conflict (cooperative_id, fingerprint) do nothing");
        inserted += on_tx!(tx, |conn| {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.clone()));
            for l in chunk {
                q = q
                    .bind(coop.get())
                    .bind(import)
                    .bind(l.booked_on)
                    .bind(l.value_on)
                    .bind(l.amount_cents)
                    .bind(&l.label)
                    .bind(&l.counterparty)
                    .bind(&l.reference)
                    .bind(&l.bank_ref)
                    .bind(&l.fingerprint)
                    .bind("open");
            }
            q.execute(conn).await?.rows_affected()
        });
    }
    Ok(inserted)
}

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct BankLineRecord {
    pub bank_line_id: i64,
    pub booked_on: Date,
    pub value_on: Option<Date>,
    pub amount_cents: i64,
    pub label: String,
    pub counterparty: Option<String>,
    pub reference: Option<String>,
    pub state: String,
    pub entry_id: Option<i64>,
    pub sale_doc_id: Option<i64>,
}

const BANK_COLUMNS: &str = "bank_line_id, booked_on, value_on, amount_cents, label, counterparty, reference, state, entry_id, sale_doc_id";

/// Lines in one state (`open`: the queue), oldest first, and how many there are.
pub async fn bank_lines(
    tx: &mut Tx,
    coop: CooperativeId,
    state: &str,
    limit: i64,
    offset: i64,
) -> Result<(Vec<BankLineRecord>, i64), StorageError> {
    let sql = format!(
        "select {BANK_COLUMNS} from bank_line where cooperative_id = $1 and state = $2 order by booked_on, bank_line_id limit $3 offset $4"
    );
    let rows: Vec<BankLineRecord> = on_tx!(tx, |conn| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(coop.get())
        .bind(state)
        .bind(limit)
        .bind(offset)
        .fetch_all(conn)
        .await?);
    const COUNT: &str = "select count(*) from bank_line where cooperative_id = $1 and state = $2";
    let count: i64 = on_tx!(tx, |conn| sqlx::query_scalar(COUNT)
        .bind(coop.get())
        .bind(state)
        .fetch_one(conn)
        .await?);
    Ok((rows, count))
}

pub async fn bank_line(
    tx: &mut Tx,
    coop: CooperativeId,
    id: i64,
) -> Result<Option<BankLineRecord>, StorageError> {
    let sql = format!(
        "select {BANK_COLUMNS} from bank_line where bank_line_id = $1 and cooperative_id = $2"
    );
    Ok(on_tx!(tx, |conn| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .bind(coop.get())
        .fetch_optional(conn)
        .await?))
}

/// Marks an open line matched or booked, with the entry (and document) it became; false when it
/// was no longer open.
pub async fn settle_bank_line(
    tx: &mut Tx,
    coop: CooperativeId,
    id: i64,
    state: &str,
    entry: i64,
    doc: Option<(i64, i64)>,
) -> Result<bool, StorageError> {
    const SQL: &str = "update bank_line set state = $3, entry_id = $4, sale_doc_id = $5, payment_id = $6 \
         where bank_line_id = $1 and cooperative_id = $2 and state = 'open'";
    Ok(on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(id)
        .bind(coop.get())
        .bind(state)
        .bind(entry)
        .bind(doc.map(|d| d.0))
        .bind(doc.map(|d| d.1))
        .execute(conn)
        .await?
        .rows_affected())
        == 1)
}

/// Open invoices a bank line may settle: issued invoices and deposits with something still due.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct OpenInvoice {
    pub sale_doc_id: i64,
    pub number: String,
    pub customer_name: String,
    pub outstanding_cents: i64,
    pub doc_date: Date,
}

pub async fn open_invoices(
    tx: &mut Tx,
    coop: CooperativeId,
) -> Result<Vec<OpenInvoice>, StorageError> {
    const SQL: &str = "select d.sale_doc_id, d.number, c.name as customer_name, d.outstanding_cents, d.doc_date from sale_doc d \
         join customer c on c.customer_id = d.customer_id \
         where d.cooperative_id = $1 and d.state = 'issued' and d.kind <> 'credit_note' and d.kind <> 'quote' and d.outstanding_cents > 0";
    Ok(on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(coop.get())
        .fetch_all(conn)
        .await?))
}

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct CsvMappingRecord {
    pub separator: String,
    pub encoding: String,
    pub skip_rows: i64,
    pub date_column: String,
    pub date_format: String,
    pub amount_column: Option<String>,
    pub debit_column: Option<String>,
    pub credit_column: Option<String>,
    pub label_column: String,
    pub reference_column: Option<String>,
    pub decimal_comma: bool,
}

pub async fn csv_mapping(
    tx: &mut Tx,
    coop: CooperativeId,
) -> Result<Option<CsvMappingRecord>, StorageError> {
    const SQL: &str = "select separator, encoding, skip_rows, date_column, date_format, amount_column, debit_column, credit_column, \
         label_column, reference_column, decimal_comma from bank_csv_mapping where cooperative_id = $1";
    Ok(on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(coop.get())
        .fetch_optional(conn)
        .await?))
}

pub async fn save_csv_mapping(
    tx: &mut Tx,
    coop: CooperativeId,
    m: &CsvMappingRecord,
) -> Result<(), StorageError> {
    const SQL: &str = "insert into bank_csv_mapping (cooperative_id, separator, encoding, skip_rows, date_column, date_format, amount_column, \
         debit_column, credit_column, label_column, reference_column, decimal_comma) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
         on conflict (cooperative_id) do update set separator = excluded.separator, encoding = excluded.encoding, skip_rows = excluded.skip_rows, \
         date_column = excluded.date_column, date_format = excluded.date_format, amount_column = excluded.amount_column, \
         debit_column = excluded.debit_column, credit_column = excluded.credit_column, label_column = excluded.label_column, \
         reference_column = excluded.reference_column, decimal_comma = excluded.decimal_comma";
    on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(coop.get())
        .bind(&m.separator)
        .bind(&m.encoding)
        .bind(m.skip_rows)
        .bind(&m.date_column)
        .bind(&m.date_format)
        .bind(&m.amount_column)
        .bind(&m.debit_column)
        .bind(&m.credit_column)
        .bind(&m.label_column)
        .bind(&m.reference_column)
        .bind(m.decimal_comma)
        .execute(conn)
        .await?
        .rows_affected());
    Ok(())
}

/// The date of the earliest entry of a cooperative.
pub async fn first_entry_date(
    tx: &mut Tx,
    coop: CooperativeId,
) -> Result<Option<Date>, StorageError> {
    const SQL: &str = "select min(entry_date) from entry where cooperative_id = $1";
    Ok(on_tx!(tx, |conn| sqlx::query_scalar::<_, Option<Date>>(
        SQL
    )
    .bind(coop.get())
    .fetch_one(conn)
    .await?))
}

/// Letters the lines of `account` and third party `aux` of these entries (those not lettered yet).
pub async fn letter(
    tx: &mut Tx,
    entries: &[i64],
    account: &str,
    aux: &str,
    code: &str,
    on: Date,
) -> Result<u64, StorageError> {
    const SQL: &str = "update entry_line set lettering = $1, lettered_on = $2 \
         where entry_id = $3 and account = $4 and aux_code = $5 and lettering is null";
    let mut n = 0;
    for id in entries {
        n += on_tx!(tx, |conn| sqlx::query(SQL)
            .bind(code)
            .bind(on)
            .bind(id)
            .bind(account)
            .bind(aux)
            .execute(conn)
            .await?
            .rows_affected());
    }
    Ok(n)
}

/// What a posting needs, in one round trip: the fiscal-year start (month, day), the SIREN, the
/// closing date, whether the books exist yet, and the journal of `role`.
#[allow(clippy::type_complexity)]
pub async fn posting_context(
    tx: &mut Tx,
    coop: CooperativeId,
    role: JournalRole,
) -> Result<Option<(i64, i64, String, Option<Date>, bool, Option<String>)>, StorageError> {
    const SQL: &str = "select c.fiscal_year_start_month, c.fiscal_year_start_day, c.siren, s.locked_through, \
         s.cooperative_id is not null, j.code from cooperative c \
         left join books_settings s on s.cooperative_id = c.cooperative_id \
         left join journal j on j.cooperative_id = c.cooperative_id and j.role = $2 \
         where c.cooperative_id = $1";
    Ok(on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(coop.get())
        .bind(role.code())
        .fetch_optional(conn)
        .await?))
}

/// Letters the lines of `account` and third party `aux` of every entry of an invoice, of its
/// payments and of its issued credit notes (those not lettered yet). The entries are found through
/// their sources (each branch reads an index), then lettered by primary key: a filter on the
/// customer account would read every customer line of the cooperative.
pub async fn letter_settled(
    tx: &mut Tx,
    coop: CooperativeId,
    doc: i64,
    account: &str,
    aux: &str,
    code: &str,
    on: Date,
) -> Result<u64, StorageError> {
    // Each query names its index completely: with a join, PostgreSQL's estimates during a bulk
    // load made it read every payment entry of the cooperative.
    const PAYMENTS: &str = "select payment_id from payment where sale_doc_id = $1";
    const CREDITS: &str = "select sale_doc_id from sale_doc where origin_id = $1 and kind = 'credit_note' and state = 'issued'";
    const ENTRY: &str = "select entry_id from entry where cooperative_id = $1 and source_kind = $2 and source_id = $3";
    let payments: Vec<i64> = on_tx!(tx, |conn| sqlx::query_scalar(PAYMENTS)
        .bind(doc)
        .fetch_all(conn)
        .await?);
    let credits: Vec<i64> = on_tx!(tx, |conn| sqlx::query_scalar(CREDITS)
        .bind(doc)
        .fetch_all(conn)
        .await?);
    let sources = std::iter::once(("sale_doc", doc))
        .chain(payments.into_iter().map(|p| ("payment", p)))
        .chain(credits.into_iter().map(|c| ("sale_doc", c)));
    let mut entries = Vec::new();
    for (kind, id) in sources {
        let found: Vec<i64> = on_tx!(tx, |conn| sqlx::query_scalar(ENTRY)
            .bind(coop.get())
            .bind(kind)
            .bind(id)
            .fetch_all(conn)
            .await?);
        entries.extend(found);
    }
    letter(tx, &entries, account, aux, code, on).await
}
