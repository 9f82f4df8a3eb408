//! E-invoicing records (issue 20): the cooperative's connection to its approved platform, its
//! secret sealed, and the log of the last exchanges.

use crate::{StorageError, Tx, on_tx};
use essaim_domain::ids::{CooperativeId, SaleDocId, UserId};
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

/// A deposit of a sale document on the platform (`pa_flow`).
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct OutFlowRecord {
    pub pa_flow_id: i64,
    pub cooperative_id: i64,
    pub sale_doc_id: i64,
    pub tracking_id: String,
    pub syntax: String,
    pub state: String,
    pub flow_id: Option<String>,
    pub file_sha256: Option<String>,
    pub last_error: String,
    pub created_at: OffsetDateTime,
    pub deposited_at: Option<OffsetDateTime>,
    pub updated_at: OffsetDateTime,
}

const OUT_COLUMNS: &str = "pa_flow_id, cooperative_id, sale_doc_id, tracking_id, syntax, state, flow_id, file_sha256, \
     last_error, created_at, deposited_at, updated_at";
const OUT_COLUMNS_F: &str = "f.pa_flow_id, f.cooperative_id, f.sale_doc_id, f.tracking_id, f.syntax, f.state, f.flow_id, \
     f.file_sha256, f.last_error, f.created_at, f.deposited_at, f.updated_at";

/// How many deposits a document already had (the next one's rank is this plus one).
pub async fn count_out_flows(
    tx: &mut Tx,
    coop: CooperativeId,
    doc: SaleDocId,
) -> Result<i64, StorageError> {
    const SQL: &str = "select count(*) from pa_flow where cooperative_id = $1 and sale_doc_id = $2";
    Ok(on_tx!(tx, |conn| sqlx::query_scalar(SQL)
        .bind(coop.get())
        .bind(doc.get())
        .fetch_one(conn)
        .await?))
}

/// Queues a deposit; returns its id.
pub async fn add_out_flow(
    tx: &mut Tx,
    coop: CooperativeId,
    doc: SaleDocId,
    tracking_id: &str,
    syntax: &str,
    now: OffsetDateTime,
) -> Result<i64, StorageError> {
    const SQL: &str = "insert into pa_flow (cooperative_id, sale_doc_id, tracking_id, syntax, state, last_error, created_at, updated_at) \
         values ($1, $2, $3, $4, 'queued', '', $5, $5) returning pa_flow_id";
    Ok(on_tx!(tx, |conn| sqlx::query_scalar(SQL)
        .bind(coop.get())
        .bind(doc.get())
        .bind(tracking_id)
        .bind(syntax)
        .bind(now)
        .fetch_one(conn)
        .await?))
}

pub async fn out_flow(
    tx: &mut Tx,
    coop: CooperativeId,
    id: i64,
) -> Result<Option<OutFlowRecord>, StorageError> {
    let sql =
        format!("select {OUT_COLUMNS} from pa_flow where cooperative_id = $1 and pa_flow_id = $2");
    Ok(on_tx!(tx, |conn| sqlx::query_as(sqlx::AssertSqlSafe(
        sql.clone()
    ))
    .bind(coop.get())
    .bind(id)
    .fetch_optional(conn)
    .await?))
}

/// The deposits of a document, the first first.
pub async fn out_flows_of_doc(
    tx: &mut Tx,
    coop: CooperativeId,
    doc: SaleDocId,
) -> Result<Vec<OutFlowRecord>, StorageError> {
    let sql = format!(
        "select {OUT_COLUMNS} from pa_flow where cooperative_id = $1 and sale_doc_id = $2 order by pa_flow_id"
    );
    Ok(on_tx!(tx, |conn| sqlx::query_as(sqlx::AssertSqlSafe(
        sql.clone()
    ))
    .bind(coop.get())
    .bind(doc.get())
    .fetch_all(conn)
    .await?))
}

/// The deposit the platform knows by this flow id, or else by this tracking id.
pub async fn out_flow_by_platform(
    tx: &mut Tx,
    coop: CooperativeId,
    flow_id: &str,
    tracking_id: Option<&str>,
) -> Result<Option<OutFlowRecord>, StorageError> {
    let sql = format!(
        "select {OUT_COLUMNS} from pa_flow where cooperative_id = $1 and (flow_id = $2 or tracking_id = $3) \
         order by pa_flow_id limit 1"
    );
    Ok(on_tx!(tx, |conn| sqlx::query_as(sqlx::AssertSqlSafe(
        sql.clone()
    ))
    .bind(coop.get())
    .bind(flow_id)
    .bind(tracking_id.unwrap_or(""))
    .fetch_optional(conn)
    .await?))
}

/// The latest deposit of the document bearing this number (a lifecycle message names the
/// invoice by its number).
pub async fn out_flow_by_number(
    tx: &mut Tx,
    coop: CooperativeId,
    number: &str,
) -> Result<Option<OutFlowRecord>, StorageError> {
    let sql = format!(
        "select {OUT_COLUMNS_F} from pa_flow f join sale_doc d on d.sale_doc_id = f.sale_doc_id \
         where f.cooperative_id = $1 and d.cooperative_id = $1 and d.number = $2 and f.state = 'deposited' \
         order by f.pa_flow_id desc limit 1"
    );
    Ok(on_tx!(tx, |conn| sqlx::query_as(sqlx::AssertSqlSafe(
        sql.clone()
    ))
    .bind(coop.get())
    .bind(number)
    .fetch_optional(conn)
    .await?))
}

/// The platform took the file: its flow id and the file's SHA-256. Only a queued deposit moves.
pub async fn set_deposited(
    tx: &mut Tx,
    id: i64,
    flow_id: &str,
    sha256: &str,
    now: OffsetDateTime,
) -> Result<bool, StorageError> {
    const SQL: &str = "update pa_flow set state = 'deposited', flow_id = $2, file_sha256 = $3, last_error = '', \
         deposited_at = $4, updated_at = $4 where pa_flow_id = $1 and state = 'queued'";
    Ok(on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(id)
        .bind(flow_id)
        .bind(sha256)
        .bind(now)
        .execute(conn)
        .await?
        .rows_affected())
        == 1)
}

/// Keeps the last error of a queued deposit, and whether it gave up (`failed`).
pub async fn set_error(
    tx: &mut Tx,
    id: i64,
    error: &str,
    failed: bool,
    now: OffsetDateTime,
) -> Result<bool, StorageError> {
    const SQL: &str = "update pa_flow set last_error = $2, state = case when $3 then 'failed' else state end, \
         updated_at = $4 where pa_flow_id = $1 and state = 'queued'";
    Ok(on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(id)
        .bind(error)
        .bind(failed)
        .bind(now)
        .execute(conn)
        .await?
        .rows_affected())
        == 1)
}

/// Puts a failed deposit back in the queue (same tracking id: it was never taken).
pub async fn requeue_out_flow(
    tx: &mut Tx,
    coop: CooperativeId,
    id: i64,
    now: OffsetDateTime,
) -> Result<bool, StorageError> {
    const SQL: &str = "update pa_flow set state = 'queued', updated_at = $3 \
         where cooperative_id = $1 and pa_flow_id = $2 and state = 'failed'";
    Ok(on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(coop.get())
        .bind(id)
        .bind(now)
        .execute(conn)
        .await?
        .rows_affected())
        == 1)
}

/// One dated lifecycle status of a deposit (`pa_status`).
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct StatusRecord {
    pub pa_flow_id: i64,
    pub status: i32,
    pub at: OffsetDateTime,
    pub emitter: String,
    pub reason_code: Option<String>,
    pub reason: Option<String>,
    pub amount_cents: Option<i64>,
    pub collected_on: Option<time::Date>,
    /// The platform's id of the message that carried it.
    pub source: Option<String>,
}

/// Keeps a status; a message already read (same source and status) is not kept again. Returns
/// whether it was new.
pub async fn add_status(
    tx: &mut Tx,
    coop: CooperativeId,
    s: &StatusRecord,
    now: OffsetDateTime,
) -> Result<bool, StorageError> {
    const SQL: &str = "insert into pa_status (cooperative_id, pa_flow_id, status, at, emitter, reason_code, reason, \
         amount_cents, collected_on, source, recorded_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
         on conflict do nothing";
    Ok(on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(coop.get())
        .bind(s.pa_flow_id)
        .bind(s.status)
        .bind(s.at)
        .bind(&s.emitter)
        .bind(&s.reason_code)
        .bind(&s.reason)
        .bind(s.amount_cents)
        .bind(s.collected_on)
        .bind(&s.source)
        .bind(now)
        .execute(conn)
        .await?
        .rows_affected())
        == 1)
}

/// The statuses of a deposit, by date.
pub async fn statuses_of_flow(
    tx: &mut Tx,
    coop: CooperativeId,
    flow: i64,
) -> Result<Vec<StatusRecord>, StorageError> {
    const SQL: &str = "select pa_flow_id, status, at, emitter, reason_code, reason, amount_cents, collected_on, source \
         from pa_status where cooperative_id = $1 and pa_flow_id = $2 order by at, pa_status_id";
    Ok(on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(coop.get())
        .bind(flow)
        .fetch_all(conn)
        .await?))
}

/// Where the last search of the platform stopped (its `updatedAfter`), if one ran.
pub async fn sync_cursor(tx: &mut Tx, coop: CooperativeId) -> Result<Option<String>, StorageError> {
    const SQL: &str = "select updated_after from pa_sync where cooperative_id = $1";
    Ok(on_tx!(tx, |conn| sqlx::query_scalar(SQL)
        .bind(coop.get())
        .fetch_optional(conn)
        .await?))
}

pub async fn set_sync_cursor(
    tx: &mut Tx,
    coop: CooperativeId,
    updated_after: &str,
    now: OffsetDateTime,
) -> Result<(), StorageError> {
    const SQL: &str = "insert into pa_sync (cooperative_id, updated_after, synced_at) values ($1, $2, $3) \
         on conflict (cooperative_id) do update set updated_after = excluded.updated_after, synced_at = excluded.synced_at";
    on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(coop.get())
        .bind(updated_after)
        .bind(now)
        .execute(conn)
        .await?
        .rows_affected());
    Ok(())
}

/// Whether any cooperative is connected to a platform (the worker schedules synchronisations
/// only then).
pub async fn any_connection(tx: &mut Tx) -> Result<bool, StorageError> {
    const SQL: &str = "select count(*) from pa_connection";
    let n: i64 = on_tx!(tx, |conn| sqlx::query_scalar(SQL).fetch_one(conn).await?);
    Ok(n > 0)
}

/// The cooperatives connected to a platform.
pub async fn connected_cooperatives(tx: &mut Tx) -> Result<Vec<CooperativeId>, StorageError> {
    const SQL: &str = "select cooperative_id from pa_connection order by cooperative_id";
    let ids: Vec<i64> = on_tx!(tx, |conn| sqlx::query_scalar(SQL).fetch_all(conn).await?);
    Ok(ids.into_iter().map(CooperativeId::new).collect())
}

/// A lifecycle message the cooperative sends about one of its invoices (`pa_message`).
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct MessageRecord {
    pub pa_message_id: i64,
    pub cooperative_id: i64,
    pub pa_flow_id: i64,
    pub payment_id: Option<i64>,
    pub status: i32,
    pub amount_cents: Option<i64>,
    pub collected_on: Option<time::Date>,
    pub tracking_id: String,
    pub state: String,
    pub flow_id: Option<String>,
    pub last_error: String,
    pub created_at: OffsetDateTime,
    pub sent_at: Option<OffsetDateTime>,
}

/// A message to send: its deposit, payment, status, amount and day, tracking id.
pub struct NewMessage<'a> {
    pub pa_flow_id: i64,
    pub payment_id: Option<i64>,
    pub status: i32,
    pub amount_cents: Option<i64>,
    pub collected_on: Option<time::Date>,
    pub tracking_id: &'a str,
}

/// Queues a message; returns its id.
pub async fn add_message(
    tx: &mut Tx,
    coop: CooperativeId,
    m: &NewMessage<'_>,
    now: OffsetDateTime,
) -> Result<i64, StorageError> {
    const SQL: &str = "insert into pa_message (cooperative_id, pa_flow_id, payment_id, status, amount_cents, collected_on, \
         tracking_id, state, last_error, created_at, updated_at) values ($1, $2, $3, $4, $5, $6, $7, 'queued', '', $8, $8) \
         returning pa_message_id";
    Ok(on_tx!(tx, |conn| sqlx::query_scalar(SQL)
        .bind(coop.get())
        .bind(m.pa_flow_id)
        .bind(m.payment_id)
        .bind(m.status)
        .bind(m.amount_cents)
        .bind(m.collected_on)
        .bind(m.tracking_id)
        .bind(now)
        .fetch_one(conn)
        .await?))
}

const MESSAGE_COLUMNS: &str = "pa_message_id, cooperative_id, pa_flow_id, payment_id, status, amount_cents, collected_on, \
     tracking_id, state, flow_id, last_error, created_at, sent_at";

pub async fn message(
    tx: &mut Tx,
    coop: CooperativeId,
    id: i64,
) -> Result<Option<MessageRecord>, StorageError> {
    let sql = format!(
        "select {MESSAGE_COLUMNS} from pa_message where cooperative_id = $1 and pa_message_id = $2"
    );
    Ok(on_tx!(tx, |conn| sqlx::query_as(sqlx::AssertSqlSafe(
        sql.clone()
    ))
    .bind(coop.get())
    .bind(id)
    .fetch_optional(conn)
    .await?))
}

/// The messages sent or to send about a deposit, the first first.
pub async fn messages_of_flow(
    tx: &mut Tx,
    coop: CooperativeId,
    flow: i64,
) -> Result<Vec<MessageRecord>, StorageError> {
    let sql = format!(
        "select {MESSAGE_COLUMNS} from pa_message where cooperative_id = $1 and pa_flow_id = $2 order by pa_message_id"
    );
    Ok(on_tx!(tx, |conn| sqlx::query_as(sqlx::AssertSqlSafe(
        sql.clone()
    ))
    .bind(coop.get())
    .bind(flow)
    .fetch_all(conn)
    .await?))
}

/// The platform took the message. Only a queued message moves.
pub async fn set_message_sent(
    tx: &mut Tx,
    id: i64,
    flow_id: &str,
    now: OffsetDateTime,
) -> Result<bool, StorageError> {
    const SQL: &str = "update pa_message set state = 'sent', flow_id = $2, last_error = '', sent_at = $3, updated_at = $3 \
         where pa_message_id = $1 and state = 'queued'";
    Ok(on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(id)
        .bind(flow_id)
        .bind(now)
        .execute(conn)
        .await?
        .rows_affected())
        == 1)
}

/// Keeps the last error of a queued message, and whether it gave up (`failed`).
pub async fn set_message_error(
    tx: &mut Tx,
    id: i64,
    error: &str,
    failed: bool,
    now: OffsetDateTime,
) -> Result<bool, StorageError> {
    const SQL: &str = "update pa_message set last_error = $2, state = case when $3 then 'failed' else state end, \
         updated_at = $4 where pa_message_id = $1 and state = 'queued'";
    Ok(on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(id)
        .bind(error)
        .bind(failed)
        .bind(now)
        .execute(conn)
        .await?
        .rows_affected())
        == 1)
}

/// The latest deposit of a document the platform took, if any.
pub async fn deposited_flow_of_doc(
    tx: &mut Tx,
    coop: CooperativeId,
    doc: SaleDocId,
) -> Result<Option<OutFlowRecord>, StorageError> {
    let sql = format!(
        "select {OUT_COLUMNS} from pa_flow where cooperative_id = $1 and sale_doc_id = $2 and state = 'deposited' \
         order by pa_flow_id desc limit 1"
    );
    Ok(on_tx!(tx, |conn| sqlx::query_as(sqlx::AssertSqlSafe(
        sql.clone()
    ))
    .bind(coop.get())
    .bind(doc.get())
    .fetch_optional(conn)
    .await?))
}
