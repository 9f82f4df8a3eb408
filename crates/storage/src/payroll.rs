//! Payroll records (issue 6): the cooperative's payroll assumptions.

use crate::{StorageError, Tx, on_tx};
use essaim_domain::ids::{ActivityId, CooperativeId, UserId};
use time::{Date, OffsetDateTime};

/// Rates as decimal fractions in text (`0.0208`), amounts in euros.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct PayrollSettingsRecord {
    pub headcount: i64,
    pub atmp_rate: String,
    pub mobility_rate: String,
    pub health_insurance: String,
    pub health_insurance_employer_share: String,
}

pub async fn settings(
    tx: &mut Tx,
    coop: CooperativeId,
) -> Result<Option<PayrollSettingsRecord>, StorageError> {
    const SQL: &str = "select headcount, atmp_rate, mobility_rate, health_insurance, health_insurance_employer_share \
         from payroll_settings where cooperative_id = $1";
    Ok(on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(coop.get())
        .fetch_optional(conn)
        .await?))
}

/// The pay-planner policy: the reserve (a decimal fraction as text) and the tolerance in cents.
pub async fn planner(
    tx: &mut Tx,
    coop: CooperativeId,
) -> Result<Option<(String, i64)>, StorageError> {
    const SQL: &str = "select reserve, tolerance_cents from pay_planner where cooperative_id = $1";
    Ok(on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(coop.get())
        .fetch_optional(conn)
        .await?))
}

pub async fn save_planner(
    tx: &mut Tx,
    coop: CooperativeId,
    reserve: &str,
    tolerance_cents: i64,
    now: OffsetDateTime,
) -> Result<(), StorageError> {
    const SQL: &str = "insert into pay_planner (cooperative_id, reserve, tolerance_cents, updated_at) values ($1, $2, $3, $4) \
         on conflict (cooperative_id) do update set reserve = excluded.reserve, tolerance_cents = excluded.tolerance_cents, \
         updated_at = excluded.updated_at";
    on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(coop.get())
        .bind(reserve)
        .bind(tolerance_cents)
        .bind(now)
        .execute(conn)
        .await?
        .rows_affected());
    Ok(())
}

pub async fn save_settings(
    tx: &mut Tx,
    coop: CooperativeId,
    s: &PayrollSettingsRecord,
    now: OffsetDateTime,
) -> Result<(), StorageError> {
    const SQL: &str = "insert into payroll_settings (cooperative_id, headcount, atmp_rate, mobility_rate, health_insurance, \
         health_insurance_employer_share, updated_at) values ($1, $2, $3, $4, $5, $6, $7) on conflict (cooperative_id) do update set \
         headcount = excluded.headcount, atmp_rate = excluded.atmp_rate, mobility_rate = excluded.mobility_rate, \
         health_insurance = excluded.health_insurance, health_insurance_employer_share = excluded.health_insurance_employer_share, \
         updated_at = excluded.updated_at";
    on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(coop.get())
        .bind(s.headcount)
        .bind(&s.atmp_rate)
        .bind(&s.mobility_rate)
        .bind(&s.health_insurance)
        .bind(&s.health_insurance_employer_share)
        .bind(now)
        .execute(conn)
        .await?
        .rows_affected());
    Ok(())
}

/// A stored contribution policy (PAY-10): the cooperative's (`activity_id` none) or an activity's.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct PolicyRecord {
    pub contribution_policy_id: i64,
    pub activity_id: Option<i64>,
    pub valid_from: Date,
    pub base: String,
    pub bands: String,
    pub exemption_months: i64,
    pub monthly_fee_cents: i64,
    pub yearly_minimum_cents: i64,
}

/// The cooperative's policies and, with `activity`, that activity's own; without it, every
/// activity's too. Ordered by scope then date.
pub async fn policies(
    tx: &mut Tx,
    coop: CooperativeId,
    activity: Option<ActivityId>,
) -> Result<Vec<PolicyRecord>, StorageError> {
    const SQL: &str = "select contribution_policy_id, activity_id, valid_from, base, bands, exemption_months, \
         monthly_fee_cents, yearly_minimum_cents from contribution_policy where cooperative_id = $1 \
         and ($2 = 0 or activity_id is null or activity_id = $2) \
         order by coalesce(activity_id, 0), valid_from";
    Ok(on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(coop.get())
        .bind(activity.map_or(0, |a| a.get()))
        .fetch_all(conn)
        .await?))
}

/// A new version; `false` when one of the same scope already starts that day.
pub async fn insert_policy(
    tx: &mut Tx,
    coop: CooperativeId,
    p: &PolicyRecord,
    by: UserId,
    now: OffsetDateTime,
) -> Result<Option<i64>, StorageError> {
    const SQL: &str = "insert into contribution_policy (cooperative_id, activity_id, valid_from, base, bands, exemption_months, \
         monthly_fee_cents, yearly_minimum_cents, recorded_by, recorded_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
         on conflict do nothing returning contribution_policy_id";
    Ok(on_tx!(tx, |conn| sqlx::query_scalar(SQL)
        .bind(coop.get())
        .bind(p.activity_id)
        .bind(p.valid_from)
        .bind(&p.base)
        .bind(&p.bands)
        .bind(p.exemption_months)
        .bind(p.monthly_fee_cents)
        .bind(p.yearly_minimum_cents)
        .bind(by.get())
        .bind(now)
        .fetch_optional(conn)
        .await?))
}

/// Removes a version not yet in force (`valid_from` after `today`); `false` otherwise.
pub async fn delete_future_policy(
    tx: &mut Tx,
    coop: CooperativeId,
    id: i64,
    today: Date,
) -> Result<bool, StorageError> {
    const SQL: &str = "delete from contribution_policy where cooperative_id = $1 and contribution_policy_id = $2 and valid_from > $3";
    Ok(on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(coop.get())
        .bind(id)
        .bind(today)
        .execute(conn)
        .await?
        .rows_affected())
        == 1)
}

/// A line of the books carrying an activity's analytic code on a class 6 or 7 account (ACC-01),
/// with the entry it belongs to.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct AccountLineRow {
    pub entry_date: Date,
    pub account: String,
    /// Credit minus debit: what the line adds to the activity's account.
    pub cents: i64,
    pub label: String,
    pub entry_id: i64,
    pub journal: String,
    pub number: Option<String>,
    pub piece_ref: String,
    pub source_kind: String,
    pub source_id: Option<i64>,
}

/// Every validated line of the activity up to `to`, in date order (the account reads the books).
/// Only the analytic index may serve it: the class is tested with `substr` (not `like`) and the
/// validation on the entry (not the line), otherwise the SQLite bundled with the server prefers
/// the index on accounts or on validated lines and reads every line of the cooperative (0.25 to
/// 0.8 s instead of a few ms on 470,000 lines).
pub async fn account_lines(
    tx: &mut Tx,
    coop: CooperativeId,
    analytic: &str,
    to: Date,
) -> Result<Vec<AccountLineRow>, StorageError> {
    const SQL: &str = "select l.entry_date, l.account, cast(l.credit_cents - l.debit_cents as bigint) as cents, l.label, \
         l.entry_id, e.journal, e.number, e.piece_ref, e.source_kind, e.source_id \
         from entry_line l join entry e on e.entry_id = l.entry_id \
         where l.cooperative_id = $1 and l.analytic = $2 and l.entry_date <= $3 and e.state = 'validated' \
         and substr(l.account, 1, 1) in ('6', '7') \
         order by l.entry_date, l.entry_id, l.position";
    Ok(on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(coop.get())
        .bind(analytic)
        .bind(to)
        .fetch_all(conn)
        .await?))
}

/// A payment received for one of the activity's documents and posted to the books, with its
/// part excluding VAT (from the VAT it carried).
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct CollectedRow {
    pub paid_on: Date,
    pub payment_id: i64,
    pub sale_doc_id: i64,
    pub number: Option<String>,
    pub ht_cents: i64,
}

pub async fn collected(
    tx: &mut Tx,
    coop: CooperativeId,
    activity: ActivityId,
    to: Date,
) -> Result<Vec<CollectedRow>, StorageError> {
    // From the activity's documents (index on sale_doc.activity_id), then their payments by
    // document, then each payment's entry. The cooperative is tested on the document as an
    // expression (`+ 0`), so that SQLite's planner takes neither the payments' date index nor the
    // documents' cooperative index instead (both read every payment or document of the
    // cooperative: 100 ms instead of 5 on the bench).
    const SQL: &str = "select p.paid_on, p.payment_id, p.sale_doc_id, d.number, \
         cast(coalesce(sum(v.ttc_cents - v.vat_cents), 0) as bigint) as ht_cents \
         from sale_doc d join payment p on p.sale_doc_id = d.sale_doc_id \
         left join payment_vat v on v.payment_id = p.payment_id \
         where d.activity_id = $2 and d.cooperative_id + 0 = $1 and p.paid_on <= $3 \
         and exists (select 1 from entry e where e.cooperative_id = p.cooperative_id and e.source_kind = 'payment' \
             and e.source_id = p.payment_id and e.state = 'validated') \
         group by p.paid_on, p.payment_id, p.sale_doc_id, d.number order by p.paid_on, p.payment_id";
    Ok(on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(coop.get())
        .bind(activity.get())
        .bind(to)
        .fetch_all(conn)
        .await?))
}

/// Expenses of the activity committed but not yet in the books, excluding recoverable VAT:
/// lines of reports sent for validation, and supplier invoices received and not yet approved.
pub async fn committed(
    tx: &mut Tx,
    coop: CooperativeId,
    activity: ActivityId,
) -> Result<i64, StorageError> {
    const SQL: &str = "select cast(coalesce((select sum(l.amount_cents - case when l.vat_recoverable then l.vat_cents else 0 end) \
             from expense_line l join expense_report r on r.report_id = l.report_id \
             where r.cooperative_id = $1 and l.activity_id = $2 and r.status = 'submitted'), 0) \
         + coalesce((select sum(m.amount_cents) from mileage_line m join expense_report r on r.report_id = m.report_id \
             where r.cooperative_id = $1 and m.activity_id = $2 and r.status = 'submitted'), 0) \
         + coalesce((select sum(i.net_cents) from supplier_invoice i \
             where i.cooperative_id = $1 and i.activity_id = $2 and i.status = 'received'), 0) as bigint)";
    Ok(on_tx!(tx, |conn| sqlx::query_scalar(SQL)
        .bind(coop.get())
        .bind(activity.get())
        .fetch_one(conn)
        .await?))
}

/// The fixed monthly gross of each person running the activity, from their contract version in
/// force on `on`, with their share of the activity (basis points).
pub async fn fixed_pay(
    tx: &mut Tx,
    coop: CooperativeId,
    activity: ActivityId,
    on: Date,
) -> Result<Vec<(i64, i64)>, StorageError> {
    const SQL: &str = "select v.fixed_monthly_gross_cents, m.share_basis_points from activity_member m \
         join person p on p.user_id = m.user_id and p.cooperative_id = $1 \
         join cesa_contract_version v on v.person_id = p.person_id \
         where m.activity_id = $2 and v.effective_on <= $3 \
         and v.version_no = (select max(w.version_no) from cesa_contract_version w where w.person_id = p.person_id and w.effective_on <= $3)";
    Ok(on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(coop.get())
        .bind(activity.get())
        .bind(on)
        .fetch_all(conn)
        .await?))
}

/// For the overview of every activity: the books' validated class 6 and 7 lines carrying an
/// analytic code, summed per code, day and part of the account (`analytic_day`: `7` revenue,
/// `607` resale, `64` salary cost, `6` other charges), from `from` to `to`.
pub async fn overview_lines(
    tx: &mut Tx,
    coop: CooperativeId,
    from: Date,
    to: Date,
) -> Result<Vec<(String, Date, String, i64)>, StorageError> {
    // In the order of the covering index `analytic_day_date`: no sort.
    const SQL: &str = "select analytic, entry_date, part, cents from analytic_day \
         where cooperative_id = $1 and entry_date >= $2 and entry_date <= $3 order by entry_date, analytic, part";
    Ok(on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(coop.get())
        .bind(from)
        .bind(to)
        .fetch_all(conn)
        .await?))
}

/// For the overview of every activity: the per-day sums (`analytic_day`: the books' class 6 and
/// 7 lines per part, and what was collected) from `from` to `to`, summed again between the
/// `shared` cuts (PAY-12: the sums stay exact between cuts, see
/// `essaim_domain::payroll::account::cuts`); the codes in `by_day` (those with cuts of their
/// own) are given day by day. Each sum comes with the first day it holds: (analytic code, part,
/// first day, cents).
pub async fn overview_sums(
    tx: &mut Tx,
    coop: CooperativeId,
    from: Date,
    to: Date,
    shared: &[Date],
    by_day: &[String],
) -> Result<Vec<(String, String, Date, i64)>, StorageError> {
    // Placeholders are numbered in the order of the values bound below.
    let mut group = String::from("analytic, part");
    if !shared.is_empty() {
        group.push_str(", case");
        for (k, _) in shared.iter().enumerate().rev() {
            group.push_str(&format!(
                " when entry_date >= ${} then {}",
                4 + (shared.len() - 1 - k),
                k + 1
            ));
        }
        group.push_str(" else 0 end");
    }
    let codes = |first: usize| {
        (0..by_day.len())
            .map(|i| format!("${}", first + i))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let except = if by_day.is_empty() {
        String::new()
    } else {
        format!(" and analytic not in ({})", codes(4 + shared.len()))
    };
    let sql = format!(
        "select analytic, part, min(entry_date), cast(sum(cents) as bigint) from analytic_day \
         where cooperative_id = $1 and entry_date >= $2 and entry_date <= $3{except} group by {group}"
    );
    let mut rows: Vec<(String, String, Date, i64)> = on_tx!(tx, |conn| {
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(coop.get())
            .bind(from)
            .bind(to);
        for d in shared.iter().rev() {
            q = q.bind(*d);
        }
        for code in by_day {
            q = q.bind(code.clone());
        }
        q.fetch_all(conn).await?
    });
    if !by_day.is_empty() {
        let sql = format!(
            "select analytic, part, entry_date, cents from analytic_day \
             where cooperative_id = $1 and entry_date >= $2 and entry_date <= $3 and analytic in ({})",
            codes(4)
        );
        let days: Vec<(String, String, Date, i64)> = on_tx!(tx, |conn| {
            let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
                .bind(coop.get())
                .bind(from)
                .bind(to);
            for code in by_day {
                q = q.bind(code.clone());
            }
            q.fetch_all(conn).await?
        });
        rows.extend(days);
    }
    Ok(rows)
}

/// For the overview: what each analytic code invoiced and collected (excluding VAT) from its
/// first day up to `to`: (code, part `7` or `collected`, cents). The running totals, less the
/// few sums dated after `to`; with them, what remains to collect (PAY-02's receivables).
pub async fn overview_totals(
    tx: &mut Tx,
    coop: CooperativeId,
    to: Date,
) -> Result<Vec<(String, String, i64)>, StorageError> {
    const TOTALS: &str = "select analytic, part, cents from analytic_total \
         where cooperative_id = $1 and part in ('7', $2)";
    const AFTER: &str = "select analytic, part, cast(-sum(cents) as bigint) from analytic_day \
         where cooperative_id = $1 and entry_date > $3 and part in ('7', $2) group by analytic, part";
    let mut rows: Vec<(String, String, i64)> = on_tx!(tx, |conn| sqlx::query_as(TOTALS)
        .bind(coop.get())
        .bind(essaim_domain::payroll::account::COLLECTED_PART)
        .fetch_all(conn)
        .await?);
    let after: Vec<(String, String, i64)> = on_tx!(tx, |conn| sqlx::query_as(AFTER)
        .bind(coop.get())
        .bind(essaim_domain::payroll::account::COLLECTED_PART)
        .bind(to)
        .fetch_all(conn)
        .await?);
    rows.extend(after);
    Ok(rows)
}

/// What one activity carried out of each settled fiscal year: (year start, net).
pub async fn year_nets_of(
    tx: &mut Tx,
    coop: CooperativeId,
    activity: ActivityId,
) -> Result<Vec<(Date, i64)>, StorageError> {
    const SQL: &str = "select year_start, net_cents from activity_year_net \
         where cooperative_id = $1 and activity_id = $2 order by year_start";
    Ok(on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(coop.get())
        .bind(activity.get())
        .fetch_all(conn)
        .await?))
}

/// What each activity carried out of each settled fiscal year: (activity, year start, net).
pub async fn year_nets(
    tx: &mut Tx,
    coop: CooperativeId,
) -> Result<Vec<(i64, Date, i64)>, StorageError> {
    const SQL: &str = "select activity_id, year_start, net_cents from activity_year_net \
         where cooperative_id = $1 order by activity_id, year_start";
    Ok(on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(coop.get())
        .fetch_all(conn)
        .await?))
}

/// Records what each activity carried out of the fiscal year starting on `year_start`; a year
/// already recorded for an activity keeps its figure.
pub async fn save_year_nets(
    tx: &mut Tx,
    coop: CooperativeId,
    year_start: Date,
    nets: &[(i64, i64)],
    now: OffsetDateTime,
) -> Result<(), StorageError> {
    const SQL: &str = "insert into activity_year_net (cooperative_id, activity_id, year_start, net_cents, computed_at) \
         values ($1, $2, $3, $4, $5) on conflict (cooperative_id, activity_id, year_start) do nothing";
    for (activity, net) in nets {
        on_tx!(tx, |conn| sqlx::query(SQL)
            .bind(coop.get())
            .bind(activity)
            .bind(year_start)
            .bind(net)
            .bind(now)
            .execute(conn)
            .await?
            .rows_affected());
    }
    Ok(())
}

/// For the overview: what `committed` gives, per activity.
pub async fn overview_committed(
    tx: &mut Tx,
    coop: CooperativeId,
) -> Result<Vec<(i64, i64)>, StorageError> {
    const SQL: &str = "select activity_id, cast(sum(c) as bigint) from ( \
         select l.activity_id, l.amount_cents - case when l.vat_recoverable then l.vat_cents else 0 end as c \
           from expense_line l join expense_report r on r.report_id = l.report_id where r.cooperative_id = $1 and r.status = 'submitted' \
         union all select m.activity_id, m.amount_cents from mileage_line m join expense_report r on r.report_id = m.report_id \
           where r.cooperative_id = $1 and r.status = 'submitted' \
         union all select i.activity_id, i.net_cents from supplier_invoice i where i.cooperative_id = $1 and i.status = 'received' \
         ) t group by activity_id";
    Ok(on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(coop.get())
        .fetch_all(conn)
        .await?))
}

/// For the overview: what `fixed_pay` gives, per activity (activity, fixed gross, share).
pub async fn overview_fixed_pay(
    tx: &mut Tx,
    coop: CooperativeId,
    on: Date,
) -> Result<Vec<(i64, i64, i64)>, StorageError> {
    const SQL: &str = "select m.activity_id, v.fixed_monthly_gross_cents, m.share_basis_points from activity_member m \
         join activity a on a.activity_id = m.activity_id and a.cooperative_id = $1 \
         join person p on p.user_id = m.user_id and p.cooperative_id = $1 \
         join cesa_contract_version v on v.person_id = p.person_id \
         where v.effective_on <= $2 \
         and v.version_no = (select max(w.version_no) from cesa_contract_version w where w.person_id = p.person_id and w.effective_on <= $2)";
    Ok(on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(coop.get())
        .bind(on)
        .fetch_all(conn)
        .await?))
}

/// Every activity of the cooperative: id, name, analytic code, start.
pub async fn overview_activities(
    tx: &mut Tx,
    coop: CooperativeId,
) -> Result<Vec<(i64, String, String, Date)>, StorageError> {
    const SQL: &str = "select activity_id, name, analytic_code, start_on from activity where cooperative_id = $1 order by name, activity_id";
    Ok(on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(coop.get())
        .fetch_all(conn)
        .await?))
}
