//! Spending records (issue 5): expense categories, expense reports and their lines, trips and
//! receipts, refund accounts, suppliers and their invoices and payments, and SEPA transfer
//! batches. Amounts are cents, distances tenths of a kilometre. Status changes name the status
//! they expect, so two people acting at once cannot both succeed.

use crate::{StorageError, Tx, on_tx};
use essaim_domain::ids::{ActivityId, CooperativeId, UserId};
use time::{Date, OffsetDateTime};

// ---------------------------------------------------------------------------------------------
// Categories

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct CategoryRecord {
    pub category_id: i64,
    pub code: String,
    pub label: String,
    pub account: String,
    /// A decimal fraction as text (`0.2`).
    pub vat_rate: String,
    pub archived: bool,
}

pub async fn categories(
    tx: &mut Tx,
    coop: CooperativeId,
) -> Result<Vec<CategoryRecord>, StorageError> {
    const SQL: &str = "select category_id, code, label, account, vat_rate, archived from expense_category \
         where cooperative_id = $1 order by archived, label";
    Ok(on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(coop.get())
        .fetch_all(conn)
        .await?))
}

/// Adds the category, or updates the one with the same code.
pub async fn save_category(
    tx: &mut Tx,
    coop: CooperativeId,
    code: &str,
    label: &str,
    account: &str,
    vat_rate: &str,
    archived: bool,
) -> Result<(), StorageError> {
    const SQL: &str = "insert into expense_category (cooperative_id, code, label, account, vat_rate, archived) \
         values ($1, $2, $3, $4, $5, $6) on conflict (cooperative_id, code) do update set \
         label = excluded.label, account = excluded.account, vat_rate = excluded.vat_rate, archived = excluded.archived";
    on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(coop.get())
        .bind(code)
        .bind(label)
        .bind(account)
        .bind(vat_rate)
        .bind(archived)
        .execute(conn)
        .await?
        .rows_affected());
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Refund accounts

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct PayeeRecord {
    pub user_id: i64,
    pub holder: String,
    pub iban: String,
    pub bic: Option<String>,
}

pub async fn payee(
    tx: &mut Tx,
    coop: CooperativeId,
    user: UserId,
) -> Result<Option<PayeeRecord>, StorageError> {
    const SQL: &str = "select user_id, holder, iban, bic from payee_account where cooperative_id = $1 and user_id = $2";
    Ok(on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(coop.get())
        .bind(user.get())
        .fetch_optional(conn)
        .await?))
}

pub async fn save_payee(
    tx: &mut Tx,
    coop: CooperativeId,
    p: &PayeeRecord,
    now: OffsetDateTime,
) -> Result<(), StorageError> {
    const SQL: &str = "insert into payee_account (cooperative_id, user_id, holder, iban, bic, updated_at) \
         values ($1, $2, $3, $4, $5, $6) on conflict (cooperative_id, user_id) do update set \
         holder = excluded.holder, iban = excluded.iban, bic = excluded.bic, updated_at = excluded.updated_at";
    on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(coop.get())
        .bind(p.user_id)
        .bind(&p.holder)
        .bind(&p.iban)
        .bind(&p.bic)
        .bind(now)
        .execute(conn)
        .await?
        .rows_affected());
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Expense reports

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct ReportRecord {
    pub report_id: i64,
    pub user_id: i64,
    pub person_name: String,
    /// `2026-03`.
    pub month: String,
    pub status: String,
    pub comment: Option<String>,
    pub expenses_cents: i64,
    pub mileage_cents: i64,
    pub recoverable_vat_cents: i64,
    pub line_count: i64,
    pub submitted_at: Option<OffsetDateTime>,
    pub decided_by_name: Option<String>,
    pub decided_at: Option<OffsetDateTime>,
    pub entry_id: Option<i64>,
    pub batch_id: Option<i64>,
    pub refunded_on: Option<Date>,
}

const REPORT_COLUMNS: &str = "r.report_id, r.user_id, u.display_name as person_name, r.month, r.status, r.comment, \
     r.expenses_cents, r.mileage_cents, r.recoverable_vat_cents, r.line_count, r.submitted_at, \
     d.display_name as decided_by_name, r.decided_at, r.entry_id, r.batch_id, r.refunded_on";
const REPORT_FROM: &str = "expense_report r join user_account u on u.user_id = r.user_id \
     left join user_account d on d.user_id = r.decided_by";

/// The person's report of `month`, creating it as a draft when there is none.
pub async fn report_of_month(
    tx: &mut Tx,
    coop: CooperativeId,
    user: UserId,
    month: &str,
    now: OffsetDateTime,
) -> Result<i64, StorageError> {
    const FIND: &str = "select report_id from expense_report where cooperative_id = $1 and user_id = $2 and month = $3";
    const INSERT: &str = "insert into expense_report (cooperative_id, user_id, month, status, expenses_cents, mileage_cents, \
         recoverable_vat_cents, line_count, created_at) values ($1, $2, $3, 'draft', 0, 0, 0, 0, $4) returning report_id";
    let found: Option<i64> = on_tx!(tx, |conn| sqlx::query_scalar(FIND)
        .bind(coop.get())
        .bind(user.get())
        .bind(month)
        .fetch_optional(&mut *conn)
        .await?);
    if let Some(id) = found {
        return Ok(id);
    }
    Ok(on_tx!(tx, |conn| sqlx::query_scalar(INSERT)
        .bind(coop.get())
        .bind(user.get())
        .bind(month)
        .bind(now)
        .fetch_one(conn)
        .await?))
}

pub async fn report(
    tx: &mut Tx,
    coop: CooperativeId,
    id: i64,
) -> Result<Option<ReportRecord>, StorageError> {
    let sql = format!(
        "select {REPORT_COLUMNS} from {REPORT_FROM} where r.cooperative_id = $1 and r.report_id = $2"
    );
    Ok(on_tx!(tx, |conn| sqlx::query_as(sqlx::AssertSqlSafe(
        sql.clone()
    ))
    .bind(coop.get())
    .bind(id)
    .fetch_optional(conn)
    .await?))
}

/// Which reports a list shows.
#[derive(Clone, Debug, Default)]
pub struct ReportFilter {
    /// One person's reports (an entrepreneur's own).
    pub user: Option<UserId>,
    pub status: Option<String>,
    /// `2026` or `2026-03`: the reports of that year or month.
    pub period: Option<String>,
}

/// Reports, newest month first (then the latest created). Only the filters given are written
/// into the query, so each list uses its index: the cooperative's by month, a person's own, or
/// the cooperative's by status.
pub async fn reports(
    tx: &mut Tx,
    coop: CooperativeId,
    f: &ReportFilter,
    limit: i64,
    offset: i64,
) -> Result<Vec<ReportRecord>, StorageError> {
    let sql = format!(
        "select {REPORT_COLUMNS} from {REPORT_FROM} where r.cooperative_id = $1{} \
         order by r.month desc, r.report_id desc limit {limit} offset {offset}",
        report_conditions(f),
        limit = limit.clamp(0, 1_000_000),
        offset = offset.max(0)
    );
    let period = f.period.as_ref().map(|p| format!("{p}%"));
    Ok(on_tx!(tx, |conn| {
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(coop.get());
        if let Some(u) = f.user {
            q = q.bind(u.get());
        }
        if let Some(s) = &f.status {
            q = q.bind(s);
        }
        if let Some(p) = &period {
            q = q.bind(p);
        }
        q.fetch_all(conn).await?
    }))
}

/// How many reports the same filter lists (a home's count, equal to its list by construction).
pub async fn count_reports(
    tx: &mut Tx,
    coop: CooperativeId,
    f: &ReportFilter,
) -> Result<i64, StorageError> {
    let sql = format!(
        "select count(*) from expense_report r where r.cooperative_id = $1{}",
        report_conditions(f)
    );
    let period = f.period.as_ref().map(|p| format!("{p}%"));
    Ok(on_tx!(tx, |conn| {
        let mut q = sqlx::query_scalar(sqlx::AssertSqlSafe(sql.clone())).bind(coop.get());
        if let Some(u) = f.user {
            q = q.bind(u.get());
        }
        if let Some(s) = &f.status {
            q = q.bind(s);
        }
        if let Some(p) = &period {
            q = q.bind(p);
        }
        q.fetch_one(conn).await?
    }))
}

/// The conditions of the filters given, numbered from `$2` in the order they are bound.
fn report_conditions(f: &ReportFilter) -> String {
    let mut conditions = String::new();
    let mut n = 1;
    let mut arg = |column: &str, op: &str| {
        n += 1;
        conditions.push_str(&format!(" and {column} {op} ${n}"));
    };
    if f.user.is_some() {
        arg("r.user_id", "=");
    }
    if f.status.is_some() {
        arg("r.status", "=");
    }
    if f.period.is_some() {
        arg("r.month", "like");
    }
    conditions
}

/// Moves a report from status `from` to `to`; false when it was not in `from` any more.
#[allow(clippy::too_many_arguments)]
pub async fn set_report_status(
    tx: &mut Tx,
    coop: CooperativeId,
    id: i64,
    from: &str,
    to: &str,
    comment: Option<&str>,
    by: Option<UserId>,
    now: OffsetDateTime,
) -> Result<bool, StorageError> {
    // Submitting stamps `submitted_at`; deciding (validate, return) stamps who and when.
    const SQL: &str = "update expense_report set status = $4, comment = $5, \
         submitted_at = case when $4 = 'submitted' then $6 else submitted_at end, \
         decided_by = case when $4 in ('validated', 'returned') then $7 else decided_by end, \
         decided_at = case when $4 in ('validated', 'returned') then $6 else decided_at end \
         where cooperative_id = $1 and report_id = $2 and status = $3";
    let n = on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(coop.get())
        .bind(id)
        .bind(from)
        .bind(to)
        .bind(comment)
        .bind(now)
        .bind(by.map(|u| u.get()))
        .execute(conn)
        .await?
        .rows_affected());
    Ok(n == 1)
}

pub async fn set_report_totals(
    tx: &mut Tx,
    id: i64,
    expenses: i64,
    mileage: i64,
    recoverable_vat: i64,
    lines: i64,
) -> Result<(), StorageError> {
    const SQL: &str = "update expense_report set expenses_cents = $2, mileage_cents = $3, recoverable_vat_cents = $4, line_count = $5 \
         where report_id = $1";
    on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(id)
        .bind(expenses)
        .bind(mileage)
        .bind(recoverable_vat)
        .bind(lines)
        .execute(conn)
        .await?
        .rows_affected());
    Ok(())
}

pub async fn set_report_entry(tx: &mut Tx, id: i64, entry: i64) -> Result<(), StorageError> {
    on_tx!(tx, |conn| sqlx::query(
        "update expense_report set entry_id = $2 where report_id = $1"
    )
    .bind(id)
    .bind(entry)
    .execute(conn)
    .await?
    .rows_affected());
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Expense lines and receipts

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct ExpenseLineRecord {
    pub line_id: i64,
    pub report_id: i64,
    pub activity_id: i64,
    pub activity_name: String,
    pub analytic_code: String,
    pub spent_on: Date,
    pub category: String,
    pub amount_cents: i64,
    pub vat_cents: i64,
    pub vat_recoverable: bool,
    pub description: String,
    pub receipt_sha256: Option<String>,
    pub receipt_type: Option<String>,
    pub receipt_name: Option<String>,
    pub receipt_size: Option<i64>,
}

pub struct NewExpenseLine<'a> {
    pub activity: ActivityId,
    pub spent_on: Date,
    pub category: &'a str,
    pub amount_cents: i64,
    pub vat_cents: i64,
    pub vat_recoverable: bool,
    pub description: &'a str,
}

/// A stored receipt: its hash, type, file name and size.
pub struct Receipt<'a> {
    pub sha256: &'a str,
    pub content_type: &'a str,
    pub name: &'a str,
    pub size: i64,
}

pub async fn insert_expense_line(
    tx: &mut Tx,
    report: i64,
    l: &NewExpenseLine<'_>,
    receipt: Option<&Receipt<'_>>,
    now: OffsetDateTime,
) -> Result<i64, StorageError> {
    const SQL: &str = "insert into expense_line (report_id, activity_id, spent_on, category, amount_cents, vat_cents, vat_recoverable, \
         description, receipt_sha256, receipt_type, receipt_name, receipt_size, created_at) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) returning line_id";
    Ok(on_tx!(tx, |conn| sqlx::query_scalar(SQL)
        .bind(report)
        .bind(l.activity.get())
        .bind(l.spent_on)
        .bind(l.category)
        .bind(l.amount_cents)
        .bind(l.vat_cents)
        .bind(l.vat_recoverable)
        .bind(l.description)
        .bind(receipt.map(|r| r.sha256))
        .bind(receipt.map(|r| r.content_type))
        .bind(receipt.map(|r| r.name))
        .bind(receipt.map(|r| r.size))
        .bind(now)
        .fetch_one(conn)
        .await?))
}

pub async fn set_receipt(
    tx: &mut Tx,
    report: i64,
    line: i64,
    r: &Receipt<'_>,
) -> Result<bool, StorageError> {
    const SQL: &str = "update expense_line set receipt_sha256 = $3, receipt_type = $4, receipt_name = $5, receipt_size = $6 \
         where report_id = $1 and line_id = $2";
    let n = on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(report)
        .bind(line)
        .bind(r.sha256)
        .bind(r.content_type)
        .bind(r.name)
        .bind(r.size)
        .execute(conn)
        .await?
        .rows_affected());
    Ok(n == 1)
}

pub async fn expense_lines(
    tx: &mut Tx,
    report: i64,
) -> Result<Vec<ExpenseLineRecord>, StorageError> {
    const SQL: &str = "select l.line_id, l.report_id, l.activity_id, a.name as activity_name, a.analytic_code, l.spent_on, l.category, \
         l.amount_cents, l.vat_cents, l.vat_recoverable, l.description, l.receipt_sha256, l.receipt_type, l.receipt_name, l.receipt_size \
         from expense_line l join activity a on a.activity_id = l.activity_id where l.report_id = $1 order by l.spent_on, l.line_id";
    Ok(on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(report)
        .fetch_all(conn)
        .await?))
}

pub async fn delete_expense_line(
    tx: &mut Tx,
    report: i64,
    line: i64,
) -> Result<bool, StorageError> {
    let n = on_tx!(tx, |conn| sqlx::query(
        "delete from expense_line where report_id = $1 and line_id = $2"
    )
    .bind(report)
    .bind(line)
    .execute(conn)
    .await?
    .rows_affected());
    Ok(n == 1)
}

// ---------------------------------------------------------------------------------------------
// Trips

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct TripRecord {
    pub line_id: i64,
    pub report_id: i64,
    pub activity_id: i64,
    pub activity_name: String,
    pub analytic_code: String,
    pub driven_on: Date,
    pub from_place: String,
    pub to_place: String,
    pub purpose: String,
    pub km_tenths: i64,
    pub vehicle: String,
    pub fiscal_power: i64,
    pub electric: bool,
    pub amount_cents: i64,
    pub scale_year: i64,
    pub provisional: bool,
}

pub struct NewTrip<'a> {
    pub user: UserId,
    pub activity: ActivityId,
    pub driven_on: Date,
    pub from: &'a str,
    pub to: &'a str,
    pub purpose: &'a str,
    pub km_tenths: i64,
    pub vehicle: &'a str,
    pub fiscal_power: i64,
    pub electric: bool,
    pub amount_cents: i64,
    pub scale_year: i64,
    pub provisional: bool,
}

pub async fn insert_trip(
    tx: &mut Tx,
    coop: CooperativeId,
    report: i64,
    t: &NewTrip<'_>,
    now: OffsetDateTime,
) -> Result<i64, StorageError> {
    const SQL: &str = "insert into mileage_line (report_id, cooperative_id, user_id, activity_id, driven_on, from_place, to_place, purpose, \
         km_tenths, vehicle, fiscal_power, electric, amount_cents, scale_year, provisional, created_at) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) returning line_id";
    Ok(on_tx!(tx, |conn| sqlx::query_scalar(SQL)
        .bind(report)
        .bind(coop.get())
        .bind(t.user.get())
        .bind(t.activity.get())
        .bind(t.driven_on)
        .bind(t.from)
        .bind(t.to)
        .bind(t.purpose)
        .bind(t.km_tenths)
        .bind(t.vehicle)
        .bind(t.fiscal_power)
        .bind(t.electric)
        .bind(t.amount_cents)
        .bind(t.scale_year)
        .bind(t.provisional)
        .bind(now)
        .fetch_one(conn)
        .await?))
}

pub async fn trips(tx: &mut Tx, report: i64) -> Result<Vec<TripRecord>, StorageError> {
    const SQL: &str = "select t.line_id, t.report_id, t.activity_id, a.name as activity_name, a.analytic_code, t.driven_on, t.from_place, \
         t.to_place, t.purpose, t.km_tenths, t.vehicle, t.fiscal_power, t.electric, t.amount_cents, t.scale_year, t.provisional \
         from mileage_line t join activity a on a.activity_id = t.activity_id where t.report_id = $1 order by t.driven_on, t.line_id";
    Ok(on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(report)
        .fetch_all(conn)
        .await?))
}

pub async fn delete_trip(tx: &mut Tx, report: i64, line: i64) -> Result<bool, StorageError> {
    let n = on_tx!(tx, |conn| sqlx::query(
        "delete from mileage_line where report_id = $1 and line_id = $2"
    )
    .bind(report)
    .bind(line)
    .execute(conn)
    .await?
    .rows_affected());
    Ok(n == 1)
}

/// The distance (tenths of km) a person has already recorded in `year` with one vehicle.
pub async fn km_in_year(
    tx: &mut Tx,
    coop: CooperativeId,
    user: UserId,
    year: i32,
    vehicle: (&str, i64, bool),
) -> Result<i64, StorageError> {
    const SQL: &str = "select cast(coalesce(sum(km_tenths), 0) as bigint) from mileage_line where cooperative_id = $1 and user_id = $2 \
         and driven_on >= $3 and driven_on <= $4 and vehicle = $5 and fiscal_power = $6 and electric = $7";
    let (start, end) = year_bounds(year)?;
    let total: i64 = on_tx!(tx, |conn| sqlx::query_scalar(SQL)
        .bind(coop.get())
        .bind(user.get())
        .bind(start)
        .bind(end)
        .bind(vehicle.0)
        .bind(vehicle.1)
        .bind(vehicle.2)
        .fetch_one(conn)
        .await?);
    Ok(total)
}

fn year_bounds(year: i32) -> Result<(Date, Date), StorageError> {
    let start = Date::from_calendar_date(year, time::Month::January, 1)
        .map_err(|_| crate::corrupt("year"))?;
    let end = Date::from_calendar_date(year, time::Month::December, 31)
        .map_err(|_| crate::corrupt("year"))?;
    Ok((start, end))
}

/// One person's distance and allowances of a year with one vehicle.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct MileageYearRow {
    pub user_id: i64,
    pub person_name: String,
    pub vehicle: String,
    pub fiscal_power: i64,
    pub electric: bool,
    pub trips: i64,
    pub km_tenths: i64,
    pub amount_cents: i64,
    /// The latest scale year used (trips priced provisionally show an earlier one).
    pub scale_year: i64,
}

/// The yearly mileage summary: per person and vehicle, for one person or everyone.
pub async fn mileage_year(
    tx: &mut Tx,
    coop: CooperativeId,
    year: i32,
    user: Option<UserId>,
) -> Result<Vec<MileageYearRow>, StorageError> {
    const SQL: &str = "select t.user_id, u.display_name as person_name, t.vehicle, t.fiscal_power, t.electric, count(*) as trips, \
         cast(sum(t.km_tenths) as bigint) as km_tenths, cast(sum(t.amount_cents) as bigint) as amount_cents, max(t.scale_year) as scale_year \
         from mileage_line t join user_account u on u.user_id = t.user_id \
         where t.cooperative_id = $1 and t.driven_on >= $2 and t.driven_on <= $3 and ($4 is null or t.user_id = $4) \
         group by t.user_id, u.display_name, t.vehicle, t.fiscal_power, t.electric order by u.display_name, t.vehicle, t.fiscal_power";
    let (start, end) = year_bounds(year)?;
    Ok(on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(coop.get())
        .bind(start)
        .bind(end)
        .bind(user.map(|u| u.get()))
        .fetch_all(conn)
        .await?))
}

// ---------------------------------------------------------------------------------------------
// Suppliers and their invoices

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct SupplierRecord {
    pub supplier_id: i64,
    pub name: String,
    pub siren: Option<String>,
    pub vat_number: Option<String>,
    pub iban: Option<String>,
    pub bic: Option<String>,
}

/// The supplier with this SIREN (or, without one, this exact name), created when unknown; a
/// VAT number, IBAN or BIC given now is kept.
pub async fn supplier_for(
    tx: &mut Tx,
    coop: CooperativeId,
    s: &SupplierRecord,
    now: OffsetDateTime,
) -> Result<i64, StorageError> {
    const FIND: &str = "select supplier_id from supplier where cooperative_id = $1 \
         and (($2 is not null and siren = $2) or ($2 is null and siren is null and lower(name) = lower($3))) \
         order by supplier_id limit 1";
    const INSERT: &str = "insert into supplier (cooperative_id, name, siren, vat_number, iban, bic, created_at) \
         values ($1, $2, $3, $4, $5, $6, $7) returning supplier_id";
    const UPDATE: &str = "update supplier set name = $2, vat_number = coalesce($3, vat_number), iban = coalesce($4, iban), \
         bic = coalesce($5, bic) where supplier_id = $1";
    let found: Option<i64> = on_tx!(tx, |conn| sqlx::query_scalar(FIND)
        .bind(coop.get())
        .bind(&s.siren)
        .bind(&s.name)
        .fetch_optional(&mut *conn)
        .await?);
    match found {
        Some(id) => {
            on_tx!(tx, |conn| sqlx::query(UPDATE)
                .bind(id)
                .bind(&s.name)
                .bind(&s.vat_number)
                .bind(&s.iban)
                .bind(&s.bic)
                .execute(conn)
                .await?
                .rows_affected());
            Ok(id)
        }
        None => Ok(on_tx!(tx, |conn| sqlx::query_scalar(INSERT)
            .bind(coop.get())
            .bind(&s.name)
            .bind(&s.siren)
            .bind(&s.vat_number)
            .bind(&s.iban)
            .bind(&s.bic)
            .bind(now)
            .fetch_one(conn)
            .await?)),
    }
}

pub async fn suppliers(
    tx: &mut Tx,
    coop: CooperativeId,
) -> Result<Vec<SupplierRecord>, StorageError> {
    const SQL: &str = "select supplier_id, name, siren, vat_number, iban, bic from supplier where cooperative_id = $1 order by name";
    Ok(on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(coop.get())
        .fetch_all(conn)
        .await?))
}

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct SupplierInvoiceRecord {
    pub supplier_invoice_id: i64,
    pub supplier_id: i64,
    pub supplier_name: String,
    pub supplier_siren: Option<String>,
    pub supplier_vat_number: Option<String>,
    pub supplier_iban: Option<String>,
    pub supplier_bic: Option<String>,
    pub activity_id: i64,
    pub activity_name: String,
    pub analytic_code: String,
    pub category: String,
    pub number: String,
    pub issue_date: Date,
    pub due_date: Option<Date>,
    pub net_cents: i64,
    pub vat_cents: i64,
    pub total_cents: i64,
    pub paid_cents: i64,
    pub description: Option<String>,
    pub status: String,
    pub source: String,
    pub file_sha256: Option<String>,
    pub file_type: Option<String>,
    pub file_name: Option<String>,
    pub entered_at: OffsetDateTime,
    pub approved_at: Option<OffsetDateTime>,
    pub entry_id: Option<i64>,
    pub batch_id: Option<i64>,
}

const INVOICE_COLUMNS: &str = "i.supplier_invoice_id, i.supplier_id, s.name as supplier_name, s.siren as supplier_siren, \
     s.vat_number as supplier_vat_number, s.iban as supplier_iban, s.bic as supplier_bic, i.activity_id, a.name as activity_name, \
     a.analytic_code, i.category, i.number, i.issue_date, i.due_date, i.net_cents, i.vat_cents, i.total_cents, i.paid_cents, \
     i.description, i.status, i.source, i.file_sha256, i.file_type, i.file_name, i.entered_at, i.approved_at, i.entry_id, i.batch_id";
const INVOICE_FROM: &str = "supplier_invoice i join supplier s on s.supplier_id = i.supplier_id \
     join activity a on a.activity_id = i.activity_id";

pub struct NewSupplierInvoice<'a> {
    pub supplier: i64,
    pub activity: ActivityId,
    pub category: &'a str,
    pub number: &'a str,
    pub issue_date: Date,
    pub due_date: Option<Date>,
    pub net_cents: i64,
    pub vat_cents: i64,
    pub total_cents: i64,
    pub description: Option<&'a str>,
    pub source: &'a str,
    pub file: Option<Receipt<'a>>,
    pub by: UserId,
}

/// Records a supplier invoice as received; `None` when the supplier's number is already recorded.
pub async fn insert_supplier_invoice(
    tx: &mut Tx,
    coop: CooperativeId,
    i: &NewSupplierInvoice<'_>,
    now: OffsetDateTime,
) -> Result<Option<i64>, StorageError> {
    const SQL: &str = "insert into supplier_invoice (cooperative_id, supplier_id, activity_id, category, number, issue_date, due_date, \
         net_cents, vat_cents, total_cents, paid_cents, description, status, source, file_sha256, file_type, file_name, entered_by, entered_at) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 0, $11, 'received', $12, $13, $14, $15, $16, $17) \
         on conflict (cooperative_id, supplier_id, number) do nothing returning supplier_invoice_id";
    Ok(on_tx!(tx, |conn| sqlx::query_scalar(SQL)
        .bind(coop.get())
        .bind(i.supplier)
        .bind(i.activity.get())
        .bind(i.category)
        .bind(i.number)
        .bind(i.issue_date)
        .bind(i.due_date)
        .bind(i.net_cents)
        .bind(i.vat_cents)
        .bind(i.total_cents)
        .bind(i.description)
        .bind(i.source)
        .bind(i.file.as_ref().map(|f| f.sha256))
        .bind(i.file.as_ref().map(|f| f.content_type))
        .bind(i.file.as_ref().map(|f| f.name))
        .bind(i.by.get())
        .bind(now)
        .fetch_optional(conn)
        .await?))
}

pub async fn supplier_invoice(
    tx: &mut Tx,
    coop: CooperativeId,
    id: i64,
) -> Result<Option<SupplierInvoiceRecord>, StorageError> {
    let sql = format!(
        "select {INVOICE_COLUMNS} from {INVOICE_FROM} where i.cooperative_id = $1 and i.supplier_invoice_id = $2"
    );
    Ok(on_tx!(tx, |conn| sqlx::query_as(sqlx::AssertSqlSafe(
        sql.clone()
    ))
    .bind(coop.get())
    .bind(id)
    .fetch_optional(conn)
    .await?))
}

/// Which supplier invoices a list shows.
#[derive(Clone, Debug, Default)]
pub struct InvoiceFilter {
    /// Only these activities (an entrepreneur's); all when `None`.
    pub activities: Option<Vec<ActivityId>>,
    pub status: Option<String>,
    pub supplier: Option<i64>,
}

/// Supplier invoices, the latest issued first.
pub async fn supplier_invoices(
    tx: &mut Tx,
    coop: CooperativeId,
    f: &InvoiceFilter,
    limit: i64,
    offset: i64,
) -> Result<Vec<SupplierInvoiceRecord>, StorageError> {
    // An activity list is written into the SQL as numbers (typed ids, never text).
    let scope = match &f.activities {
        None => String::new(),
        Some(ids) if ids.is_empty() => " and 1 = 0".to_owned(),
        Some(ids) => format!(
            " and i.activity_id in ({})",
            ids.iter()
                .map(|a| a.get().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    // Only the filters given are written, so the list reads its index in date order.
    let mut conditions = String::new();
    let mut n = 1;
    if f.status.is_some() {
        n += 1;
        conditions.push_str(&format!(" and i.status = ${n}"));
    }
    if f.supplier.is_some() {
        n += 1;
        conditions.push_str(&format!(" and i.supplier_id = ${n}"));
    }
    let sql = format!(
        "select {INVOICE_COLUMNS} from {INVOICE_FROM} where i.cooperative_id = $1{scope}{conditions} \
         order by i.issue_date desc, i.supplier_invoice_id desc limit {limit} offset {offset}",
        limit = limit.clamp(0, 1_000_000),
        offset = offset.max(0)
    );
    Ok(on_tx!(tx, |conn| {
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(coop.get());
        if let Some(status) = &f.status {
            q = q.bind(status);
        }
        if let Some(supplier) = f.supplier {
            q = q.bind(supplier);
        }
        q.fetch_all(conn).await?
    }))
}

/// Approves a received invoice (posted as `entry`); false when it was not received any more.
pub async fn approve_supplier_invoice(
    tx: &mut Tx,
    coop: CooperativeId,
    id: i64,
    by: UserId,
    entry: i64,
    now: OffsetDateTime,
) -> Result<bool, StorageError> {
    const SQL: &str = "update supplier_invoice set status = 'approved', approved_by = $3, approved_at = $4, entry_id = $5 \
         where cooperative_id = $1 and supplier_invoice_id = $2 and status = 'received'";
    let n = on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(coop.get())
        .bind(id)
        .bind(by.get())
        .bind(now)
        .bind(entry)
        .execute(conn)
        .await?
        .rows_affected());
    Ok(n == 1)
}

/// Deletes an invoice still received (not approved).
pub async fn delete_supplier_invoice(
    tx: &mut Tx,
    coop: CooperativeId,
    id: i64,
) -> Result<bool, StorageError> {
    let n = on_tx!(tx, |conn| {
        sqlx::query(
        "delete from supplier_invoice where cooperative_id = $1 and supplier_invoice_id = $2 and status = 'received'"
    )
    .bind(coop.get())
    .bind(id)
    .execute(conn)
    .await?
    .rows_affected()
    });
    Ok(n == 1)
}

/// Records a payment to a supplier and adds it to what is paid; the invoice is `paid` once
/// nothing remains due.
#[allow(clippy::too_many_arguments)]
pub async fn insert_supplier_payment(
    tx: &mut Tx,
    coop: CooperativeId,
    invoice: i64,
    paid_on: Date,
    cents: i64,
    batch: Option<i64>,
    entry: i64,
    by: UserId,
    now: OffsetDateTime,
) -> Result<i64, StorageError> {
    const INSERT: &str = "insert into supplier_payment (cooperative_id, supplier_invoice_id, paid_on, amount_cents, batch_id, entry_id, \
         recorded_by, recorded_at) values ($1, $2, $3, $4, $5, $6, $7, $8) returning supplier_payment_id";
    const UPDATE: &str = "update supplier_invoice set paid_cents = paid_cents + $3, \
         status = case when paid_cents + $3 >= total_cents then 'paid' else status end \
         where cooperative_id = $1 and supplier_invoice_id = $2";
    let id: i64 = on_tx!(tx, |conn| sqlx::query_scalar(INSERT)
        .bind(coop.get())
        .bind(invoice)
        .bind(paid_on)
        .bind(cents)
        .bind(batch)
        .bind(entry)
        .bind(by.get())
        .bind(now)
        .fetch_one(conn)
        .await?);
    on_tx!(tx, |conn| sqlx::query(UPDATE)
        .bind(coop.get())
        .bind(invoice)
        .bind(cents)
        .execute(conn)
        .await?
        .rows_affected());
    Ok(id)
}

// ---------------------------------------------------------------------------------------------
// Transfer batches

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct BatchRecord {
    pub batch_id: i64,
    pub message_id: String,
    pub execution_date: Date,
    pub transfer_count: i64,
    pub total_cents: i64,
    pub status: String,
    pub created_by_name: Option<String>,
    pub created_at: OffsetDateTime,
    pub closed_at: Option<OffsetDateTime>,
}

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct TransferItemRecord {
    pub seq: i64,
    pub report_id: Option<i64>,
    pub supplier_invoice_id: Option<i64>,
    pub payee_name: String,
    pub iban: String,
    pub bic: Option<String>,
    pub amount_cents: i64,
    pub end_to_end_id: String,
}

pub struct NewBatch<'a> {
    pub message_id: &'a str,
    pub execution_date: Date,
    pub total_cents: i64,
    pub xml: &'a str,
    pub items: &'a [TransferItemRecord],
    pub by: UserId,
}

/// Records a prepared batch and ties its reports and invoices to it (a report or an invoice is
/// in at most one open batch). Returns `None` when one of them was taken meanwhile.
pub async fn insert_batch(
    tx: &mut Tx,
    coop: CooperativeId,
    b: &NewBatch<'_>,
    now: OffsetDateTime,
) -> Result<Option<i64>, StorageError> {
    const BATCH: &str = "insert into transfer_batch (cooperative_id, message_id, execution_date, transfer_count, total_cents, status, xml, \
         created_by, created_at) values ($1, $2, $3, $4, $5, 'prepared', $6, $7, $8) returning batch_id";
    let count = i64::try_from(b.items.len()).unwrap_or(i64::MAX);
    let id: i64 = on_tx!(tx, |conn| sqlx::query_scalar(BATCH)
        .bind(coop.get())
        .bind(b.message_id)
        .bind(b.execution_date)
        .bind(count)
        .bind(b.total_cents)
        .bind(b.xml)
        .bind(b.by.get())
        .bind(now)
        .fetch_one(conn)
        .await?);
    // The items in statements of at most 500 rows, then each report and invoice taken at once:
    // a few statements whatever the size of the batch.
    for chunk in b.items.chunks(500) {
        let rows: Vec<String> = (0..chunk.len())
            .map(|i| {
                let p = i * 9;
                format!(
                    "(${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${})",
                    p + 1,
                    p + 2,
                    p + 3,
                    p + 4,
                    p + 5,
                    p + 6,
                    p + 7,
                    p + 8,
                    p + 9
                )
            })
            .collect();
        let sql = format!(
            "insert into transfer_item (batch_id, seq, report_id, supplier_invoice_id, payee_name, iban, bic, amount_cents, end_to_end_id) values {}",
            rows.join(", ")
        );
        on_tx!(tx, |conn| {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.clone()));
            for item in chunk {
                q = q
                    .bind(id)
                    .bind(item.seq)
                    .bind(item.report_id)
                    .bind(item.supplier_invoice_id)
                    .bind(&item.payee_name)
                    .bind(&item.iban)
                    .bind(&item.bic)
                    .bind(item.amount_cents)
                    .bind(&item.end_to_end_id);
            }
            q.execute(conn).await?;
        });
    }
    let ids = |pick: fn(&TransferItemRecord) -> Option<i64>| -> Vec<String> {
        b.items
            .iter()
            .filter_map(pick)
            .map(|i| i.to_string())
            .collect()
    };
    let reports = ids(|i| i.report_id);
    let invoices = ids(|i| i.supplier_invoice_id);
    if reports.len() + invoices.len() != b.items.len() {
        return Err(crate::corrupt("transfer item"));
    }
    let mut taken = 0;
    for (table, key, status, list) in [
        ("expense_report", "report_id", "validated", &reports),
        (
            "supplier_invoice",
            "supplier_invoice_id",
            "approved",
            &invoices,
        ),
    ] {
        if list.is_empty() {
            continue;
        }
        // Typed ids written as numbers, never text from outside.
        let sql = format!(
            "update {table} set batch_id = $2 where cooperative_id = $1 and {key} in ({}) \
             and status = '{status}' and batch_id is null",
            list.join(", ")
        );
        taken += on_tx!(tx, |conn| sqlx::query(sqlx::AssertSqlSafe(sql.clone()))
            .bind(coop.get())
            .bind(id)
            .execute(conn)
            .await?
            .rows_affected());
    }
    if usize::try_from(taken).unwrap_or(0) != b.items.len() {
        // One was taken meanwhile: nothing of this batch stays.
        on_tx!(tx, |conn| {
            for sql in [
                "update expense_report set batch_id = null where batch_id = $1",
                "update supplier_invoice set batch_id = null where batch_id = $1",
                "delete from transfer_item where batch_id = $1",
                "delete from transfer_batch where batch_id = $1",
            ] {
                sqlx::query(sql).bind(id).execute(&mut *conn).await?;
            }
        });
        return Ok(None);
    }
    Ok(Some(id))
}

const BATCH_COLUMNS: &str = "b.batch_id, b.message_id, b.execution_date, b.transfer_count, b.total_cents, b.status, \
     u.display_name as created_by_name, b.created_at, b.closed_at";

pub async fn batches(tx: &mut Tx, coop: CooperativeId) -> Result<Vec<BatchRecord>, StorageError> {
    let sql = format!(
        "select {BATCH_COLUMNS} from transfer_batch b left join user_account u on u.user_id = b.created_by \
         where b.cooperative_id = $1 order by b.batch_id desc limit 100"
    );
    Ok(on_tx!(tx, |conn| sqlx::query_as(sqlx::AssertSqlSafe(
        sql.clone()
    ))
    .bind(coop.get())
    .fetch_all(conn)
    .await?))
}

pub async fn batch(
    tx: &mut Tx,
    coop: CooperativeId,
    id: i64,
) -> Result<Option<BatchRecord>, StorageError> {
    let sql = format!(
        "select {BATCH_COLUMNS} from transfer_batch b left join user_account u on u.user_id = b.created_by \
         where b.cooperative_id = $1 and b.batch_id = $2"
    );
    Ok(on_tx!(tx, |conn| sqlx::query_as(sqlx::AssertSqlSafe(
        sql.clone()
    ))
    .bind(coop.get())
    .bind(id)
    .fetch_optional(conn)
    .await?))
}

pub async fn batch_xml(
    tx: &mut Tx,
    coop: CooperativeId,
    id: i64,
) -> Result<Option<String>, StorageError> {
    Ok(on_tx!(tx, |conn| sqlx::query_scalar(
        "select xml from transfer_batch where cooperative_id = $1 and batch_id = $2"
    )
    .bind(coop.get())
    .bind(id)
    .fetch_optional(conn)
    .await?))
}

pub async fn batch_items(tx: &mut Tx, id: i64) -> Result<Vec<TransferItemRecord>, StorageError> {
    const SQL: &str = "select seq, report_id, supplier_invoice_id, payee_name, iban, bic, amount_cents, end_to_end_id \
         from transfer_item where batch_id = $1 order by seq";
    Ok(on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(id)
        .fetch_all(conn)
        .await?))
}

/// Closes a prepared batch as `confirmed` (the bank executed it) or `cancelled` (it was not
/// sent: its reports and invoices are free again). False when it was not prepared any more.
pub async fn close_batch(
    tx: &mut Tx,
    coop: CooperativeId,
    id: i64,
    status: &str,
    by: UserId,
    now: OffsetDateTime,
) -> Result<bool, StorageError> {
    const SQL: &str = "update transfer_batch set status = $3, closed_by = $4, closed_at = $5 \
         where cooperative_id = $1 and batch_id = $2 and status = 'prepared'";
    let n = on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(coop.get())
        .bind(id)
        .bind(status)
        .bind(by.get())
        .bind(now)
        .execute(&mut *conn)
        .await?
        .rows_affected());
    if n == 1 && status == "cancelled" {
        on_tx!(tx, |conn| {
            sqlx::query("update expense_report set batch_id = null where batch_id = $1")
                .bind(id)
                .execute(&mut *conn)
                .await?;
            sqlx::query("update supplier_invoice set batch_id = null where batch_id = $1")
                .bind(id)
                .execute(&mut *conn)
                .await?;
        });
    }
    Ok(n == 1)
}

/// Marks a validated report refunded on `on`.
pub async fn set_refunded(
    tx: &mut Tx,
    coop: CooperativeId,
    id: i64,
    on: Date,
) -> Result<bool, StorageError> {
    const SQL: &str = "update expense_report set status = 'refunded', refunded_on = $3 \
         where cooperative_id = $1 and report_id = $2 and status = 'validated'";
    let n = on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(coop.get())
        .bind(id)
        .bind(on)
        .execute(conn)
        .await?
        .rows_affected());
    Ok(n == 1)
}

/// A validated report not yet in a batch, with the account to refund.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct PayableReport {
    pub report_id: i64,
    pub user_id: i64,
    pub person_name: String,
    pub month: String,
    pub refund_cents: i64,
    pub holder: Option<String>,
    pub iban: Option<String>,
    pub bic: Option<String>,
}

pub async fn payable_reports(
    tx: &mut Tx,
    coop: CooperativeId,
) -> Result<Vec<PayableReport>, StorageError> {
    const SQL: &str = "select r.report_id, r.user_id, u.display_name as person_name, r.month, \
         r.expenses_cents + r.mileage_cents as refund_cents, p.holder, p.iban, p.bic \
         from expense_report r join user_account u on u.user_id = r.user_id \
         left join payee_account p on p.cooperative_id = r.cooperative_id and p.user_id = r.user_id \
         where r.cooperative_id = $1 and r.status = 'validated' and r.batch_id is null order by r.month, u.display_name";
    Ok(on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(coop.get())
        .fetch_all(conn)
        .await?))
}

/// Approved supplier invoices not yet in a batch, oldest due first.
pub async fn payable_invoices(
    tx: &mut Tx,
    coop: CooperativeId,
) -> Result<Vec<SupplierInvoiceRecord>, StorageError> {
    let sql = format!(
        "select {INVOICE_COLUMNS} from {INVOICE_FROM} where i.cooperative_id = $1 and i.status = 'approved' \
         and i.batch_id is null order by coalesce(i.due_date, i.issue_date), i.supplier_invoice_id"
    );
    Ok(on_tx!(tx, |conn| sqlx::query_as(sqlx::AssertSqlSafe(
        sql.clone()
    ))
    .bind(coop.get())
    .fetch_all(conn)
    .await?))
}
