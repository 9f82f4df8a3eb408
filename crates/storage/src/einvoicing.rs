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
    /// When it was first tried (before the call to the platform).
    pub attempted_at: Option<OffsetDateTime>,
}

const OUT_COLUMNS: &str = "pa_flow_id, cooperative_id, sale_doc_id, tracking_id, syntax, state, flow_id, file_sha256, \
     last_error, created_at, deposited_at, updated_at, attempted_at";
const OUT_COLUMNS_F: &str = "f.pa_flow_id, f.cooperative_id, f.sale_doc_id, f.tracking_id, f.syntax, f.state, f.flow_id, \
     f.file_sha256, f.last_error, f.created_at, f.deposited_at, f.updated_at, f.attempted_at";

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

/// A received invoice (`pa_received`).
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct ReceivedRecord {
    pub pa_received_id: i64,
    pub cooperative_id: i64,
    pub flow_id: String,
    pub name: String,
    pub syntax: String,
    pub received_at: OffsetDateTime,
    pub fetched_at: OffsetDateTime,
    pub file_sha256: String,
    pub file_size: i64,
    pub content_type: String,
    pub state: String,
    pub problem: String,
    pub routing_code: Option<String>,
    pub activity_id: Option<i64>,
    pub activity_name: Option<String>,
    pub supplier_name: String,
    pub supplier_siren: Option<String>,
    pub number: String,
    pub type_code: String,
    pub issue_date: Option<time::Date>,
    pub due_date: Option<time::Date>,
    pub currency: String,
    pub net_cents: i64,
    pub vat_cents: i64,
    pub total_cents: i64,
    pub supplier_invoice_id: Option<i64>,
    pub updated_at: OffsetDateTime,
}

const RECEIVED_COLUMNS: &str = "r.pa_received_id, r.cooperative_id, r.flow_id, r.name, r.syntax, r.received_at, r.fetched_at, \
     r.file_sha256, r.file_size, r.content_type, r.state, r.problem, r.routing_code, r.activity_id, a.name as activity_name, \
     r.supplier_name, r.supplier_siren, r.number, r.type_code, r.issue_date, r.due_date, r.currency, r.net_cents, r.vat_cents, \
     r.total_cents, r.supplier_invoice_id, r.updated_at";

/// What is kept of a received invoice when it is fetched.
pub struct NewReceived<'a> {
    pub flow_id: &'a str,
    pub name: &'a str,
    pub syntax: &'a str,
    pub received_at: OffsetDateTime,
    pub file_sha256: &'a str,
    pub file_size: i64,
    pub content_type: &'a str,
    pub state: &'a str,
    pub problem: &'a str,
    pub routing_code: Option<&'a str>,
    pub activity_id: Option<i64>,
    pub supplier_name: &'a str,
    pub supplier_siren: Option<&'a str>,
    pub number: &'a str,
    pub type_code: &'a str,
    pub issue_date: Option<time::Date>,
    pub due_date: Option<time::Date>,
    pub currency: &'a str,
    pub net_cents: i64,
    pub vat_cents: i64,
    pub total_cents: i64,
}

/// Keeps a received invoice; `None` when this flow was already kept (fetched twice, kept once).
pub async fn add_received(
    tx: &mut Tx,
    coop: CooperativeId,
    r: &NewReceived<'_>,
    now: OffsetDateTime,
) -> Result<Option<i64>, StorageError> {
    const SQL: &str = "insert into pa_received (cooperative_id, flow_id, name, syntax, received_at, fetched_at, file_sha256, \
         file_size, content_type, state, problem, routing_code, activity_id, supplier_name, supplier_siren, number, type_code, \
         issue_date, due_date, currency, net_cents, vat_cents, total_cents, updated_at) values ($1, $2, $3, $4, $5, $6, $7, $8, \
         $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $6) \
         on conflict (cooperative_id, flow_id) do nothing returning pa_received_id";
    Ok(on_tx!(tx, |conn| sqlx::query_scalar(SQL)
        .bind(coop.get())
        .bind(r.flow_id)
        .bind(r.name)
        .bind(r.syntax)
        .bind(r.received_at)
        .bind(now)
        .bind(r.file_sha256)
        .bind(r.file_size)
        .bind(r.content_type)
        .bind(r.state)
        .bind(r.problem)
        .bind(r.routing_code)
        .bind(r.activity_id)
        .bind(r.supplier_name)
        .bind(r.supplier_siren)
        .bind(r.number)
        .bind(r.type_code)
        .bind(r.issue_date)
        .bind(r.due_date)
        .bind(r.currency)
        .bind(r.net_cents)
        .bind(r.vat_cents)
        .bind(r.total_cents)
        .fetch_optional(conn)
        .await?))
}

/// Whether the flow is already kept (so that its file is not fetched again).
pub async fn has_received(
    tx: &mut Tx,
    coop: CooperativeId,
    flow_id: &str,
) -> Result<bool, StorageError> {
    const SQL: &str = "select count(*) from pa_received where cooperative_id = $1 and flow_id = $2";
    let n: i64 = on_tx!(tx, |conn| sqlx::query_scalar(SQL)
        .bind(coop.get())
        .bind(flow_id)
        .fetch_one(conn)
        .await?);
    Ok(n > 0)
}

pub async fn received(
    tx: &mut Tx,
    coop: CooperativeId,
    id: i64,
) -> Result<Option<ReceivedRecord>, StorageError> {
    let sql = format!(
        "select {RECEIVED_COLUMNS} from pa_received r left join activity a on a.activity_id = r.activity_id \
         where r.cooperative_id = $1 and r.pa_received_id = $2"
    );
    Ok(on_tx!(tx, |conn| sqlx::query_as(sqlx::AssertSqlSafe(
        sql.clone()
    ))
    .bind(coop.get())
    .bind(id)
    .fetch_optional(conn)
    .await?))
}

/// The received invoices, the latest first: all of them (`only_of` none), or those of these
/// activities (never the unassigned ones); `open` keeps those waiting for someone.
pub async fn list_received(
    tx: &mut Tx,
    coop: CooperativeId,
    only_of: Option<&[i64]>,
    open: bool,
    limit: i64,
) -> Result<Vec<ReceivedRecord>, StorageError> {
    // Activity ids are integers of the caller's reach, never user text.
    let reach = match only_of {
        None => String::new(),
        Some([]) => " and 1 = 0".to_owned(),
        Some(ids) => format!(
            " and r.activity_id in ({})",
            ids.iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let open = if open {
        " and r.state in ('triage', 'routed', 'disputed', 'unreadable')"
    } else {
        ""
    };
    let sql = format!(
        "select {RECEIVED_COLUMNS} from pa_received r left join activity a on a.activity_id = r.activity_id \
         where r.cooperative_id = $1{reach}{open} order by r.received_at desc, r.pa_received_id desc limit $2"
    );
    Ok(on_tx!(tx, |conn| sqlx::query_as(sqlx::AssertSqlSafe(
        sql.clone()
    ))
    .bind(coop.get())
    .bind(limit)
    .fetch_all(conn)
    .await?))
}

/// Assigns a received invoice to an activity (from triage, or to another activity while it is
/// not answered).
pub async fn assign_received(
    tx: &mut Tx,
    coop: CooperativeId,
    id: i64,
    activity: i64,
    now: OffsetDateTime,
) -> Result<bool, StorageError> {
    const SQL: &str = "update pa_received set activity_id = $3, state = 'routed', updated_at = $4 \
         where cooperative_id = $1 and pa_received_id = $2 and state in ('triage', 'routed')";
    Ok(on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(coop.get())
        .bind(id)
        .bind(activity)
        .bind(now)
        .execute(conn)
        .await?
        .rows_affected())
        == 1)
}

/// Moves a received invoice from one state to another (`from` guards against a second answer).
pub async fn set_received_state(
    tx: &mut Tx,
    coop: CooperativeId,
    id: i64,
    from: &str,
    to: &str,
    supplier_invoice: Option<i64>,
    now: OffsetDateTime,
) -> Result<bool, StorageError> {
    const SQL: &str = "update pa_received set state = $4, supplier_invoice_id = coalesce($5, supplier_invoice_id), \
         updated_at = $6 where cooperative_id = $1 and pa_received_id = $2 and state = $3";
    Ok(on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(coop.get())
        .bind(id)
        .bind(from)
        .bind(to)
        .bind(supplier_invoice)
        .bind(now)
        .execute(conn)
        .await?
        .rows_affected())
        == 1)
}

/// An answer given to a received invoice (`pa_received_answer`).
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct AnswerRecord {
    pub pa_received_answer_id: i64,
    pub pa_received_id: i64,
    pub status: i32,
    pub reason_code: Option<String>,
    pub reason: Option<String>,
    pub by_name: Option<String>,
    pub at: OffsetDateTime,
    pub tracking_id: String,
    pub state: String,
    pub flow_id: Option<String>,
    pub last_error: String,
}

/// Queues an answer; returns its id.
#[allow(clippy::too_many_arguments)]
pub async fn add_answer(
    tx: &mut Tx,
    coop: CooperativeId,
    received: i64,
    status: i32,
    reason: Option<(&str, &str)>,
    by: Option<UserId>,
    tracking_id: &str,
    now: OffsetDateTime,
) -> Result<i64, StorageError> {
    const SQL: &str = "insert into pa_received_answer (cooperative_id, pa_received_id, status, reason_code, reason, by_user_id, \
         at, tracking_id, state, last_error) values ($1, $2, $3, $4, $5, $6, $7, $8, 'queued', '') returning pa_received_answer_id";
    Ok(on_tx!(tx, |conn| sqlx::query_scalar(SQL)
        .bind(coop.get())
        .bind(received)
        .bind(status)
        .bind(reason.map(|(c, _)| c))
        .bind(reason.map(|(_, t)| t))
        .bind(by.map(|u| u.get()))
        .bind(now)
        .bind(tracking_id)
        .fetch_one(conn)
        .await?))
}

/// How many answers a received invoice already has.
pub async fn count_answers(
    tx: &mut Tx,
    coop: CooperativeId,
    received: i64,
) -> Result<i64, StorageError> {
    const SQL: &str =
        "select count(*) from pa_received_answer where cooperative_id = $1 and pa_received_id = $2";
    Ok(on_tx!(tx, |conn| sqlx::query_scalar(SQL)
        .bind(coop.get())
        .bind(received)
        .fetch_one(conn)
        .await?))
}

const ANSWER_COLUMNS: &str = "x.pa_received_answer_id, x.pa_received_id, x.status, x.reason_code, x.reason, \
     u.display_name as by_name, x.at, x.tracking_id, x.state, x.flow_id, x.last_error";

pub async fn answer(
    tx: &mut Tx,
    coop: CooperativeId,
    id: i64,
) -> Result<Option<AnswerRecord>, StorageError> {
    let sql = format!(
        "select {ANSWER_COLUMNS} from pa_received_answer x left join user_account u on u.user_id = x.by_user_id \
         where x.cooperative_id = $1 and x.pa_received_answer_id = $2"
    );
    Ok(on_tx!(tx, |conn| sqlx::query_as(sqlx::AssertSqlSafe(
        sql.clone()
    ))
    .bind(coop.get())
    .bind(id)
    .fetch_optional(conn)
    .await?))
}

pub async fn answers_of(
    tx: &mut Tx,
    coop: CooperativeId,
    received: i64,
) -> Result<Vec<AnswerRecord>, StorageError> {
    let sql = format!(
        "select {ANSWER_COLUMNS} from pa_received_answer x left join user_account u on u.user_id = x.by_user_id \
         where x.cooperative_id = $1 and x.pa_received_id = $2 order by x.at, x.pa_received_answer_id"
    );
    Ok(on_tx!(tx, |conn| sqlx::query_as(sqlx::AssertSqlSafe(
        sql.clone()
    ))
    .bind(coop.get())
    .bind(received)
    .fetch_all(conn)
    .await?))
}

/// The platform took the answer, or it failed (`failed` when given up). Only a queued one moves.
pub async fn set_answer_outcome(
    tx: &mut Tx,
    id: i64,
    outcome: Result<&str, (&str, bool)>,
) -> Result<bool, StorageError> {
    const SENT: &str = "update pa_received_answer set state = 'sent', flow_id = $2, last_error = '' \
         where pa_received_answer_id = $1 and state = 'queued'";
    const FAILED: &str = "update pa_received_answer set last_error = $2, state = case when $3 then 'failed' else state end \
         where pa_received_answer_id = $1 and state = 'queued'";
    let n = match outcome {
        Ok(flow_id) => on_tx!(tx, |conn| sqlx::query(SENT)
            .bind(id)
            .bind(flow_id)
            .execute(conn)
            .await?
            .rows_affected()),
        Err((error, failed)) => on_tx!(tx, |conn| sqlx::query(FAILED)
            .bind(id)
            .bind(error)
            .bind(failed)
            .execute(conn)
            .await?
            .rows_affected()),
    };
    Ok(n == 1)
}

/// The demo: the latest issued invoices of the cooperative to French businesses that never went
/// through the platform (to show it at work).
pub async fn unsent_business_invoices(
    tx: &mut Tx,
    coop: CooperativeId,
    limit: i64,
) -> Result<Vec<(SaleDocId, String)>, StorageError> {
    const SQL: &str = "select d.sale_doc_id, d.number from sale_doc d join customer c on c.customer_id = d.customer_id \
         where d.cooperative_id = $1 and d.state = 'issued' and d.kind = 'invoice' and d.number is not null \
         and c.kind = 'company' and c.country = 'FR' and c.siren is not null \
         and not exists (select 1 from pa_flow f where f.sale_doc_id = d.sale_doc_id) \
         order by d.doc_date desc, d.sale_doc_id desc limit $2";
    let rows: Vec<(i64, String)> = on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(coop.get())
        .bind(limit)
        .fetch_all(conn)
        .await?);
    Ok(rows
        .into_iter()
        .map(|(id, n)| (SaleDocId::new(id), n))
        .collect())
}

/// Whether the cooperative ever deposited anything on a platform.
pub async fn has_flows(tx: &mut Tx, coop: CooperativeId) -> Result<bool, StorageError> {
    const SQL: &str = "select count(*) from pa_flow where cooperative_id = $1";
    let n: i64 = on_tx!(tx, |conn| sqlx::query_scalar(SQL)
        .bind(coop.get())
        .fetch_one(conn)
        .await?);
    Ok(n > 0)
}

/// Forgets where the searches of the platform stopped (a new platform starts from its beginning).
pub async fn clear_sync_cursor(tx: &mut Tx, coop: CooperativeId) -> Result<(), StorageError> {
    const SQL: &str = "delete from pa_sync where cooperative_id = $1";
    on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(coop.get())
        .execute(conn)
        .await?
        .rows_affected());
    Ok(())
}

/// What the directory said of a company or an establishment (`pa_directory`).
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct DirectoryRecord {
    pub siren: String,
    pub siret: String,
    /// `unknown`, `closed`, `not_reachable` or `reachable`.
    pub state: String,
    pub address: Option<String>,
    pub public_entity: bool,
    pub checked_at: OffsetDateTime,
}

pub async fn save_directory(
    tx: &mut Tx,
    coop: CooperativeId,
    d: &DirectoryRecord,
) -> Result<(), StorageError> {
    const SQL: &str = "insert into pa_directory (cooperative_id, siren, siret, state, address, public_entity, checked_at) \
         values ($1, $2, $3, $4, $5, $6, $7) on conflict (cooperative_id, siren, siret) do update set state = excluded.state, \
         address = excluded.address, public_entity = excluded.public_entity, checked_at = excluded.checked_at";
    on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(coop.get())
        .bind(&d.siren)
        .bind(&d.siret)
        .bind(&d.state)
        .bind(&d.address)
        .bind(d.public_entity)
        .bind(d.checked_at)
        .execute(conn)
        .await?
        .rows_affected());
    Ok(())
}

pub async fn directory_entry(
    tx: &mut Tx,
    coop: CooperativeId,
    siren: &str,
    siret: &str,
) -> Result<Option<DirectoryRecord>, StorageError> {
    const SQL: &str = "select siren, siret, state, address, public_entity, checked_at from pa_directory \
         where cooperative_id = $1 and siren = $2 and siret = $3";
    Ok(on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(coop.get())
        .bind(siren)
        .bind(siret)
        .fetch_optional(conn)
        .await?))
}

/// The demo: the cooperative's business customers in France (SIREN, name), for the demo
/// platform's directory.
pub async fn business_customers(
    tx: &mut Tx,
    coop: CooperativeId,
) -> Result<Vec<(String, String)>, StorageError> {
    const SQL: &str = "select siren, min(name) from customer where cooperative_id = $1 and kind = 'company' \
         and country = 'FR' and siren is not null group by siren order by siren";
    Ok(on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(coop.get())
        .fetch_all(conn)
        .await?))
}

/// Keeps (or forgets, with `None`) the hash of the token of the platform's callbacks.
pub async fn set_callback_token_hash(
    tx: &mut Tx,
    coop: CooperativeId,
    hash: Option<&str>,
) -> Result<bool, StorageError> {
    const SQL: &str = "update pa_connection set callback_token_hash = $2 where cooperative_id = $1";
    Ok(on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(coop.get())
        .bind(hash)
        .execute(conn)
        .await?
        .rows_affected())
        == 1)
}

pub async fn callback_token_hash(
    tx: &mut Tx,
    coop: CooperativeId,
) -> Result<Option<String>, StorageError> {
    const SQL: &str = "select callback_token_hash from pa_connection where cooperative_id = $1";
    let h: Option<Option<String>> = on_tx!(tx, |conn| sqlx::query_scalar(SQL)
        .bind(coop.get())
        .fetch_optional(conn)
        .await?);
    Ok(h.flatten())
}

/// Marks a deposit as tried, before the call to the platform; returns whether this is its first
/// attempt (never marked before).
pub async fn mark_attempted(
    tx: &mut Tx,
    id: i64,
    now: OffsetDateTime,
) -> Result<bool, StorageError> {
    const SQL: &str =
        "update pa_flow set attempted_at = $2 where pa_flow_id = $1 and attempted_at is null";
    Ok(on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(id)
        .bind(now)
        .execute(conn)
        .await?
        .rows_affected())
        == 1)
}
