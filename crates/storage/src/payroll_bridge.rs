//! The payroll bridge's records (issue 6, point 5): months, variables, payslips.

use crate::{StorageError, Tx, on_tx};
use essaim_domain::ids::{CooperativeId, UserId};
use time::{Date, OffsetDateTime};

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct MonthRecord {
    pub payroll_month_id: i64,
    pub month: String,
    /// `open`, `locked`, `imported`.
    pub status: String,
    pub locked_at: Option<OffsetDateTime>,
    pub imported_at: Option<OffsetDateTime>,
}

pub async fn months(tx: &mut Tx, coop: CooperativeId) -> Result<Vec<MonthRecord>, StorageError> {
    const SQL: &str = "select payroll_month_id, month, status, locked_at, imported_at from payroll_month \
         where cooperative_id = $1 order by month desc";
    Ok(on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(coop.get())
        .fetch_all(conn)
        .await?))
}

pub async fn month(
    tx: &mut Tx,
    coop: CooperativeId,
    month: &str,
) -> Result<Option<MonthRecord>, StorageError> {
    const SQL: &str = "select payroll_month_id, month, status, locked_at, imported_at from payroll_month \
         where cooperative_id = $1 and month = $2";
    Ok(on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(coop.get())
        .bind(month)
        .fetch_optional(conn)
        .await?))
}

/// The month, opened (status `open`) when it does not exist yet.
pub async fn open_month(
    tx: &mut Tx,
    coop: CooperativeId,
    m: &str,
    now: OffsetDateTime,
) -> Result<MonthRecord, StorageError> {
    const SQL: &str = "insert into payroll_month (cooperative_id, month, status, created_at) values ($1, $2, 'open', $3) \
         on conflict (cooperative_id, month) do nothing";
    on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(coop.get())
        .bind(m)
        .bind(now)
        .execute(conn)
        .await?
        .rows_affected());
    month(tx, coop, m)
        .await?
        .ok_or_else(|| StorageError::Corrupt(format!("payroll month {m} not created")))
}

/// `open` → `locked`; `false` when the month was not open.
pub async fn lock_month(
    tx: &mut Tx,
    coop: CooperativeId,
    id: i64,
    by: UserId,
    now: OffsetDateTime,
) -> Result<bool, StorageError> {
    const SQL: &str = "update payroll_month set status = 'locked', locked_by = $3, locked_at = $4 \
         where cooperative_id = $1 and payroll_month_id = $2 and status = 'open'";
    Ok(on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(coop.get())
        .bind(id)
        .bind(by.get())
        .bind(now)
        .execute(conn)
        .await?
        .rows_affected())
        == 1)
}

/// `locked` → `imported`; `false` when the month was not locked.
pub async fn mark_imported(
    tx: &mut Tx,
    coop: CooperativeId,
    id: i64,
    by: UserId,
    now: OffsetDateTime,
) -> Result<bool, StorageError> {
    const SQL: &str = "update payroll_month set status = 'imported', imported_by = $3, imported_at = $4 \
         where cooperative_id = $1 and payroll_month_id = $2 and status = 'locked'";
    Ok(on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(coop.get())
        .bind(id)
        .bind(by.get())
        .bind(now)
        .execute(conn)
        .await?
        .rows_affected())
        == 1)
}

/// A person paid by the cooperative this month: their account, name and the fixed gross of the
/// CESA contract version in force on `on` (PAY-20).
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Payee {
    pub user_id: i64,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub fixed_gross_cents: i64,
}

pub async fn payees(
    tx: &mut Tx,
    coop: CooperativeId,
    on: Date,
) -> Result<Vec<Payee>, StorageError> {
    const SQL: &str = "select u.user_id, p.first_name, p.last_name, u.email, v.fixed_monthly_gross_cents as fixed_gross_cents \
         from person p join user_account u on u.user_id = p.user_id \
         join cesa_contract_version v on v.person_id = p.person_id \
         where p.cooperative_id = $1 and v.effective_on <= $2 \
         and v.version_no = (select max(w.version_no) from cesa_contract_version w where w.person_id = p.person_id and w.effective_on <= $2) \
         order by p.last_name, p.first_name, u.user_id";
    Ok(on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(coop.get())
        .bind(on)
        .fetch_all(conn)
        .await?))
}

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct VariableRecord {
    pub user_id: i64,
    pub fixed_gross_cents: i64,
    pub variable_cents: i64,
    pub expenses_cents: i64,
    pub absence_days: String,
    pub note: String,
}

pub async fn variables(tx: &mut Tx, month_id: i64) -> Result<Vec<VariableRecord>, StorageError> {
    const SQL: &str = "select user_id, fixed_gross_cents, variable_cents, expenses_cents, absence_days, note \
         from payroll_variable where payroll_month_id = $1 order by user_id";
    Ok(on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(month_id)
        .fetch_all(conn)
        .await?))
}

pub async fn save_variable(
    tx: &mut Tx,
    month_id: i64,
    v: &VariableRecord,
    by: UserId,
    now: OffsetDateTime,
) -> Result<(), StorageError> {
    const SQL: &str = "insert into payroll_variable (payroll_month_id, user_id, fixed_gross_cents, variable_cents, expenses_cents, \
         absence_days, note, updated_by, updated_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
         on conflict (payroll_month_id, user_id) do update set fixed_gross_cents = excluded.fixed_gross_cents, \
         variable_cents = excluded.variable_cents, expenses_cents = excluded.expenses_cents, absence_days = excluded.absence_days, \
         note = excluded.note, updated_by = excluded.updated_by, updated_at = excluded.updated_at";
    on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(month_id)
        .bind(v.user_id)
        .bind(v.fixed_gross_cents)
        .bind(v.variable_cents)
        .bind(v.expenses_cents)
        .bind(&v.absence_days)
        .bind(&v.note)
        .bind(by.get())
        .bind(now)
        .execute(conn)
        .await?
        .rows_affected());
    Ok(())
}

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct PayslipRecord {
    pub user_id: i64,
    pub gross_cents: i64,
    pub employee_cents: i64,
    pub employer_cents: i64,
    pub reductions_cents: i64,
    pub net_cents: i64,
    pub simulated_cost_cents: i64,
    pub entry_id: i64,
}

pub async fn payslips(tx: &mut Tx, month_id: i64) -> Result<Vec<PayslipRecord>, StorageError> {
    const SQL: &str = "select user_id, gross_cents, employee_cents, employer_cents, reductions_cents, net_cents, simulated_cost_cents, entry_id \
         from payslip where payroll_month_id = $1 order by user_id";
    Ok(on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(month_id)
        .fetch_all(conn)
        .await?))
}

pub async fn insert_payslip(
    tx: &mut Tx,
    month_id: i64,
    p: &PayslipRecord,
) -> Result<(), StorageError> {
    const SQL: &str = "insert into payslip (payroll_month_id, user_id, gross_cents, employee_cents, employer_cents, reductions_cents, \
         net_cents, simulated_cost_cents, entry_id) values ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
    on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(month_id)
        .bind(p.user_id)
        .bind(p.gross_cents)
        .bind(p.employee_cents)
        .bind(p.employer_cents)
        .bind(p.reductions_cents)
        .bind(p.net_cents)
        .bind(p.simulated_cost_cents)
        .bind(p.entry_id)
        .execute(conn)
        .await?
        .rows_affected());
    Ok(())
}

/// The activities a person runs: analytic code and share (basis points).
pub async fn shares(
    tx: &mut Tx,
    coop: CooperativeId,
    user: i64,
) -> Result<Vec<(String, i64)>, StorageError> {
    const SQL: &str = "select a.analytic_code, m.share_basis_points from activity_member m \
         join activity a on a.activity_id = m.activity_id \
         where a.cooperative_id = $1 and m.user_id = $2 order by a.analytic_code";
    Ok(on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(coop.get())
        .bind(user)
        .fetch_all(conn)
        .await?))
}

/// The people of a cooperative who have an account (the demo pays those on a CESA).
pub async fn people_with_accounts(
    tx: &mut Tx,
    coop: CooperativeId,
) -> Result<Vec<(i64, i64, String)>, StorageError> {
    const SQL: &str = "select person_id, user_id, first_name || ' ' || last_name from person \
         where cooperative_id = $1 and user_id is not null order by person_id";
    Ok(on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(coop.get())
        .fetch_all(conn)
        .await?))
}

/// The person's latest imported payslip: month, gross, net.
pub async fn last_payslip(
    tx: &mut Tx,
    coop: CooperativeId,
    user: UserId,
) -> Result<Option<(String, i64, i64)>, StorageError> {
    const SQL: &str = "select m.month, s.gross_cents, s.net_cents from payslip s join payroll_month m on m.payroll_month_id = s.payroll_month_id \
         where m.cooperative_id = $1 and s.user_id = $2 order by m.month desc limit 1";
    Ok(on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(coop.get())
        .bind(user.get())
        .fetch_optional(conn)
        .await?))
}
