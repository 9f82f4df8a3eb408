//! E-invoicing records (issue 20): the cooperative's connection to its approved platform, its
//! secret sealed, and the log of the last exchanges.

use crate::{StorageError, Tx, on_tx};
use essaim_domain::ids::{CooperativeId, UserId};
use time::OffsetDateTime;

/// A connection as stored (the secret sealed).
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct ConnectionRecord {
    pub flow_url: String,
    pub directory_url: String,
    pub token_url: String,
    pub client_id: String,
    pub secret_nonce: Vec<u8>,
    pub secret_sealed: Vec<u8>,
    pub syntax: String,
    pub demo: bool,
    pub updated_at: OffsetDateTime,
}

pub async fn connection(
    tx: &mut Tx,
    coop: CooperativeId,
) -> Result<Option<ConnectionRecord>, StorageError> {
    const SQL: &str = "select flow_url, directory_url, token_url, client_id, secret_nonce, secret_sealed, syntax, demo, updated_at \
         from pa_connection where cooperative_id = $1";
    Ok(on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(coop.get())
        .fetch_optional(conn)
        .await?))
}

/// Records the connection (replacing the cooperative's previous one).
pub async fn save_connection(
    tx: &mut Tx,
    coop: CooperativeId,
    c: &ConnectionRecord,
    by: Option<UserId>,
) -> Result<(), StorageError> {
    const SQL: &str = "insert into pa_connection (cooperative_id, flow_url, directory_url, token_url, client_id, secret_nonce, \
         secret_sealed, syntax, demo, updated_by, updated_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
         on conflict (cooperative_id) do update set flow_url = excluded.flow_url, directory_url = excluded.directory_url, \
         token_url = excluded.token_url, client_id = excluded.client_id, secret_nonce = excluded.secret_nonce, \
         secret_sealed = excluded.secret_sealed, syntax = excluded.syntax, demo = excluded.demo, \
         updated_by = excluded.updated_by, updated_at = excluded.updated_at";
    on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(coop.get())
        .bind(&c.flow_url)
        .bind(&c.directory_url)
        .bind(&c.token_url)
        .bind(&c.client_id)
        .bind(&c.secret_nonce)
        .bind(&c.secret_sealed)
        .bind(&c.syntax)
        .bind(c.demo)
        .bind(by.map(|u| u.get()))
        .bind(c.updated_at)
        .execute(conn)
        .await?
        .rows_affected());
    Ok(())
}

/// One exchange with the platform.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct ExchangeRecord {
    pub at: OffsetDateTime,
    pub operation: String,
    pub ok: bool,
    pub detail: String,
}

pub async fn add_exchange(
    tx: &mut Tx,
    coop: CooperativeId,
    e: &ExchangeRecord,
) -> Result<(), StorageError> {
    const SQL: &str = "insert into pa_exchange (cooperative_id, at, operation, ok, detail) values ($1, $2, $3, $4, $5)";
    on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(coop.get())
        .bind(e.at)
        .bind(&e.operation)
        .bind(e.ok)
        .bind(&e.detail)
        .execute(conn)
        .await?
        .rows_affected());
    Ok(())
}

/// The cooperative's last exchanges, the latest first.
pub async fn exchanges(
    tx: &mut Tx,
    coop: CooperativeId,
    limit: i64,
) -> Result<Vec<ExchangeRecord>, StorageError> {
    const SQL: &str = "select at, operation, ok, detail from pa_exchange where cooperative_id = $1 \
         order by at desc, pa_exchange_id desc limit $2";
    Ok(on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(coop.get())
        .bind(limit)
        .fetch_all(conn)
        .await?))
}
