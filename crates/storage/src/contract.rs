//! CESA contract versions (append-only).

use crate::{StorageError, Tx, corrupt, on_tx};
use essaim_domain::contract::{CesaTerms, ContractVersion, ContributionBase};
use essaim_domain::ids::{CooperativeId, PersonId, UserId};
use essaim_domain::money::{Currency, Money};
use time::{Date, OffsetDateTime};

pub async fn insert(
    tx: &mut Tx,
    coop: CooperativeId,
    person: PersonId,
    v: &ContractVersion,
    by: UserId,
    now: OffsetDateTime,
) -> Result<(), StorageError> {
    const SQL: &str = "insert into cesa_contract_version (cooperative_id, person_id, version_no, effective_on, summary, objectives, support, \
         contribution_rate, contribution_base, fixed_monthly_gross_cents, currency, variable_method, statutes_reference, guarantees, \
         associate_procedure, recorded_at, recorded_by) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)";
    let t = &v.terms;
    on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(coop.get())
        .bind(person.get())
        .bind(i64::from(v.number))
        .bind(v.effective_on)
        .bind(&v.summary)
        .bind(&t.objectives)
        .bind(&t.support)
        .bind(t.contribution_rate.to_string())
        .bind(t.contribution_base.code())
        .bind(t.fixed_monthly_gross.cents())
        .bind(t.fixed_monthly_gross.currency().code())
        .bind(&t.variable_method)
        .bind(&t.statutes_reference)
        .bind(&t.guarantees)
        .bind(&t.associate_procedure)
        .bind(now)
        .bind(by.get())
        .execute(conn)
        .await?
        .rows_affected());
    Ok(())
}

#[derive(sqlx::FromRow)]
struct Row {
    version_no: i64,
    effective_on: Date,
    summary: String,
    objectives: String,
    support: String,
    contribution_rate: String,
    contribution_base: String,
    fixed_monthly_gross_cents: i64,
    currency: String,
    variable_method: String,
    statutes_reference: String,
    guarantees: String,
    associate_procedure: String,
}

/// Every version, oldest first.
pub async fn history(
    tx: &mut Tx,
    coop: CooperativeId,
    person: PersonId,
) -> Result<Vec<ContractVersion>, StorageError> {
    const SQL: &str = "select version_no, effective_on, summary, objectives, support, contribution_rate, contribution_base, \
         fixed_monthly_gross_cents, currency, variable_method, statutes_reference, guarantees, associate_procedure \
         from cesa_contract_version where cooperative_id = $1 and person_id = $2 order by version_no";
    let rows: Vec<Row> = on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(coop.get())
        .bind(person.get())
        .fetch_all(conn)
        .await?);
    rows.into_iter()
        .map(|r| {
            Ok(ContractVersion {
                number: u32::try_from(r.version_no).map_err(|_| corrupt("version_no"))?,
                effective_on: r.effective_on,
                summary: r.summary,
                terms: CesaTerms {
                    objectives: r.objectives,
                    support: r.support,
                    contribution_rate: r
                        .contribution_rate
                        .parse()
                        .map_err(|_| corrupt("contribution_rate"))?,
                    contribution_base: ContributionBase::parse(&r.contribution_base)
                        .map_err(|_| corrupt("contribution_base"))?,
                    fixed_monthly_gross: Money::from_cents(
                        r.fixed_monthly_gross_cents,
                        Currency::parse(&r.currency).ok_or_else(|| corrupt("currency"))?,
                    ),
                    variable_method: r.variable_method,
                    statutes_reference: r.statutes_reference,
                    guarantees: r.guarantees,
                    associate_procedure: r.associate_procedure,
                },
            })
        })
        .collect()
}
