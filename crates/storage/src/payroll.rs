//! Payroll records (issue 6): the cooperative's payroll assumptions.

use crate::{StorageError, Tx, on_tx};
use essaim_domain::ids::CooperativeId;
use time::OffsetDateTime;

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
