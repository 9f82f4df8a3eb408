//! Cooperatives: legal identity and logo. Lookups by id, slug or SIREN.

use crate::{Conflict, StorageError, Tx, corrupt, on_tx, on_unique};
use essaim_domain::cooperative::{
    Address, Cooperative, CooperativeIdentity, FiscalYearStart, LegalForm,
};
use essaim_domain::identifiers::{Siret, VatNumber};
use essaim_domain::ids::CooperativeId;
use essaim_domain::money::{Currency, Money};
use time::OffsetDateTime;

#[derive(sqlx::FromRow)]
struct CooperativeRow {
    cooperative_id: i64,
    slug: String,
    legal_name: String,
    trade_name: Option<String>,
    legal_form: String,
    siret: String,
    vat_number: String,
    rcs_city: String,
    share_capital_cents: i64,
    currency: String,
    address_line1: String,
    address_line2: Option<String>,
    postcode: String,
    city: String,
    country: String,
    fiscal_year_start_month: i64,
    fiscal_year_start_day: i64,
}

impl TryFrom<CooperativeRow> for Cooperative {
    type Error = StorageError;
    fn try_from(r: CooperativeRow) -> Result<Self, StorageError> {
        let currency =
            Currency::parse(&r.currency).ok_or_else(|| corrupt("cooperative.currency"))?;
        let month = u8::try_from(r.fiscal_year_start_month)
            .map_err(|_| corrupt("fiscal_year_start_month"))?;
        let day =
            u8::try_from(r.fiscal_year_start_day).map_err(|_| corrupt("fiscal_year_start_day"))?;
        Ok(Cooperative {
            id: CooperativeId::new(r.cooperative_id),
            slug: r.slug,
            identity: CooperativeIdentity {
                legal_name: r.legal_name,
                trade_name: r.trade_name,
                legal_form: LegalForm::parse(&r.legal_form).map_err(|_| corrupt("legal_form"))?,
                siret: Siret::parse(&r.siret).map_err(|_| corrupt("siret"))?,
                vat_number: VatNumber::parse(&r.vat_number).map_err(|_| corrupt("vat_number"))?,
                rcs_city: r.rcs_city,
                share_capital: Money::from_cents(r.share_capital_cents, currency),
                address: Address {
                    line1: r.address_line1,
                    line2: r.address_line2,
                    postcode: r.postcode,
                    city: r.city,
                    country: r.country,
                },
                fiscal_year_start: FiscalYearStart::new(month, day)
                    .map_err(|_| corrupt("fiscal_year_start"))?,
            },
        })
    }
}

/// Binds the sixteen identity columns, in the order of `insert` and `update`.
macro_rules! bind_identity {
    ($query:expr, $c:expr) => {
        $query
            .bind(&$c.legal_name)
            .bind(&$c.trade_name)
            .bind($c.legal_form.code())
            .bind($c.siret.as_str())
            .bind($c.siret.siren().as_str())
            .bind($c.vat_number.as_str())
            .bind(&$c.rcs_city)
            .bind($c.share_capital.cents())
            .bind($c.share_capital.currency().code())
            .bind(&$c.address.line1)
            .bind(&$c.address.line2)
            .bind(&$c.address.postcode)
            .bind(&$c.address.city)
            .bind(&$c.address.country)
            .bind(i64::from($c.fiscal_year_start.month()))
            .bind(i64::from($c.fiscal_year_start.day()))
    };
}

const COLUMNS: &str = "cooperative_id, slug, legal_name, trade_name, legal_form, siret, vat_number, rcs_city, \
     share_capital_cents, currency, address_line1, address_line2, postcode, city, country, \
     fiscal_year_start_month, fiscal_year_start_day";

pub async fn insert(
    tx: &mut Tx,
    slug: &str,
    c: &CooperativeIdentity,
    now: OffsetDateTime,
) -> Result<CooperativeId, StorageError> {
    const SQL: &str = "insert into cooperative (slug, legal_name, trade_name, legal_form, siret, siren, vat_number, rcs_city, \
         share_capital_cents, currency, address_line1, address_line2, postcode, city, country, \
         fiscal_year_start_month, fiscal_year_start_day, created_at) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) returning cooperative_id";
    let id: i64 = on_tx!(tx, |conn| {
        bind_identity!(sqlx::query_scalar(SQL).bind(slug), c)
            .bind(now)
            .fetch_one(conn)
            .await
            .map_err(on_unique(Conflict::SiretTaken))?
    });
    Ok(CooperativeId::new(id))
}

pub async fn update(
    tx: &mut Tx,
    id: CooperativeId,
    c: &CooperativeIdentity,
) -> Result<(), StorageError> {
    const SQL: &str = "update cooperative set legal_name = $2, trade_name = $3, legal_form = $4, siret = $5, siren = $6, \
         vat_number = $7, rcs_city = $8, share_capital_cents = $9, currency = $10, address_line1 = $11, address_line2 = $12, \
         postcode = $13, city = $14, country = $15, fiscal_year_start_month = $16, fiscal_year_start_day = $17 \
         where cooperative_id = $1";
    on_tx!(tx, |conn| {
        bind_identity!(sqlx::query(SQL).bind(id.get()), c)
            .execute(conn)
            .await
            .map_err(on_unique(Conflict::SiretTaken))?
            .rows_affected()
    });
    Ok(())
}

pub async fn find(tx: &mut Tx, id: CooperativeId) -> Result<Option<Cooperative>, StorageError> {
    let sql = format!("select {COLUMNS} from cooperative where cooperative_id = $1");
    let row: Option<CooperativeRow> = on_tx!(tx, |conn| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id.get())
        .fetch_optional(conn)
        .await?);
    row.map(Cooperative::try_from).transpose()
}

pub async fn find_by_slug(tx: &mut Tx, slug: &str) -> Result<Option<Cooperative>, StorageError> {
    let sql = format!("select {COLUMNS} from cooperative where slug = $1");
    let row: Option<CooperativeRow> = on_tx!(tx, |conn| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(slug)
        .fetch_optional(conn)
        .await?);
    row.map(Cooperative::try_from).transpose()
}

/// Finds by numeric id, slug or SIREN, as a command-line user would name a cooperative.
pub async fn find_by_reference(
    tx: &mut Tx,
    reference: &str,
) -> Result<Option<Cooperative>, StorageError> {
    let sql = format!(
        "select {COLUMNS} from cooperative where slug = $1 or siren = $1 or cast(cooperative_id as text) = $1"
    );
    let row: Option<CooperativeRow> = on_tx!(tx, |conn| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(reference)
        .fetch_optional(conn)
        .await?);
    row.map(Cooperative::try_from).transpose()
}

pub async fn slug_exists(tx: &mut Tx, slug: &str) -> Result<bool, StorageError> {
    const SQL: &str = "select count(*) from cooperative where slug = $1";
    let n: i64 = on_tx!(tx, |conn| sqlx::query_scalar(SQL)
        .bind(slug)
        .fetch_one(conn)
        .await?);
    Ok(n > 0)
}

pub async fn siret_exists(tx: &mut Tx, siret: &str) -> Result<bool, StorageError> {
    const SQL: &str = "select count(*) from cooperative where siret = $1";
    let n: i64 = on_tx!(tx, |conn| sqlx::query_scalar(SQL)
        .bind(siret)
        .fetch_one(conn)
        .await?);
    Ok(n > 0)
}

/// What a host administrator sees of a cooperative: its name and numbers, none of its data.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct CooperativeSummary {
    pub cooperative_id: i64,
    pub slug: String,
    pub legal_name: String,
    pub siren: String,
    pub city: String,
}

pub async fn list_summaries(tx: &mut Tx) -> Result<Vec<CooperativeSummary>, StorageError> {
    const SQL: &str = "select cooperative_id, slug, legal_name, siren, city from cooperative order by legal_name, cooperative_id";
    Ok(on_tx!(tx, |conn| sqlx::query_as(SQL)
        .fetch_all(conn)
        .await?))
}

/// A cooperative's logo, stored in the database (small, so every app server sees it).
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Logo {
    pub content_type: String,
    pub sha256: String,
    pub bytes: Vec<u8>,
}

pub async fn set_logo(tx: &mut Tx, id: CooperativeId, logo: &Logo) -> Result<(), StorageError> {
    const SQL: &str = "insert into cooperative_logo (cooperative_id, content_type, sha256, bytes) values ($1, $2, $3, $4) \
         on conflict (cooperative_id) do update set content_type = excluded.content_type, sha256 = excluded.sha256, bytes = excluded.bytes";
    on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(id.get())
        .bind(&logo.content_type)
        .bind(&logo.sha256)
        .bind(&logo.bytes)
        .execute(conn)
        .await?
        .rows_affected());
    Ok(())
}

pub async fn find_logo(tx: &mut Tx, id: CooperativeId) -> Result<Option<Logo>, StorageError> {
    const SQL: &str =
        "select content_type, sha256, bytes from cooperative_logo where cooperative_id = $1";
    Ok(on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(id.get())
        .fetch_optional(conn)
        .await?))
}

/// The logo's hash only, to build a cache-busting URL without loading the bytes.
pub async fn logo_hash(tx: &mut Tx, id: CooperativeId) -> Result<Option<String>, StorageError> {
    const SQL: &str = "select sha256 from cooperative_logo where cooperative_id = $1";
    Ok(on_tx!(tx, |conn| sqlx::query_scalar(SQL)
        .bind(id.get())
        .fetch_optional(conn)
        .await?))
}

/// What every page of the cooperative shows beside its content: the logo's hash (for a
/// cache-busting URL) and whether the cooperative is a declared training organisation (its
/// trainings appear in the menu).
pub async fn page_facts(
    tx: &mut Tx,
    id: CooperativeId,
) -> Result<(Option<String>, bool), StorageError> {
    const SQL: &str = "select (select sha256 from cooperative_logo where cooperative_id = $1), \
         exists (select 1 from training_organisation where cooperative_id = $1)";
    Ok(on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(id.get())
        .fetch_one(conn)
        .await?))
}

/// Every cooperative's id (for deployment-wide background work).
pub async fn all_ids(tx: &mut Tx) -> Result<Vec<CooperativeId>, StorageError> {
    const SQL: &str = "select cooperative_id from cooperative order by cooperative_id";
    let ids: Vec<i64> = on_tx!(tx, |conn| sqlx::query_scalar(SQL).fetch_all(conn).await?);
    Ok(ids.into_iter().map(CooperativeId::new).collect())
}
