//! Signed-in sessions, kept in the database so several app servers share them. Only the SHA-256 of
//! the cookie's token is stored.

use crate::{StorageError, Tx, corrupt, on_tx};
use essaim_domain::account::{Email, Locale, User};
use essaim_domain::ids::{CooperativeId, SessionId, UserId};
use time::OffsetDateTime;

pub struct NewSession<'a> {
    pub token_hash: &'a str,
    pub user: UserId,
    pub csrf_token: &'a str,
    pub expires_at: OffsetDateTime,
    pub ip: &'a str,
    pub user_agent: &'a str,
}

pub async fn insert(
    tx: &mut Tx,
    s: &NewSession<'_>,
    now: OffsetDateTime,
) -> Result<SessionId, StorageError> {
    const SQL: &str = "insert into user_session (token_hash, user_id, csrf_token, created_at, last_seen_at, expires_at, ip, user_agent) \
         values ($1, $2, $3, $4, $4, $5, $6, $7) returning session_id";
    let id: i64 = on_tx!(tx, |conn| sqlx::query_scalar(SQL)
        .bind(s.token_hash)
        .bind(s.user.get())
        .bind(s.csrf_token)
        .bind(now)
        .bind(s.expires_at)
        .bind(s.ip)
        .bind(s.user_agent)
        .fetch_one(conn)
        .await?);
    Ok(SessionId::new(id))
}

/// An active session and its user.
#[derive(Clone, Debug)]
pub struct ActiveSession {
    pub id: SessionId,
    pub user: User,
    pub csrf_token: String,
    pub created_at: OffsetDateTime,
    pub last_seen_at: OffsetDateTime,
}

#[derive(sqlx::FromRow)]
struct ActiveRow {
    session_id: i64,
    csrf_token: String,
    created_at: OffsetDateTime,
    last_seen_at: OffsetDateTime,
    user_id: i64,
    email: String,
    display_name: String,
    locale: String,
    is_host_admin: bool,
}

pub async fn find_active(
    tx: &mut Tx,
    token_hash: &str,
    now: OffsetDateTime,
) -> Result<Option<ActiveSession>, StorageError> {
    const SQL: &str = "select s.session_id, s.csrf_token, s.created_at, s.last_seen_at, u.user_id, u.email, u.display_name, u.locale, u.is_host_admin \
         from user_session s join user_account u on u.user_id = s.user_id \
         where s.token_hash = $1 and s.revoked_at is null and s.expires_at > $2";
    let row: Option<ActiveRow> = on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(token_hash)
        .bind(now)
        .fetch_optional(conn)
        .await?);
    row.map(|r| {
        Ok(ActiveSession {
            id: SessionId::new(r.session_id),
            csrf_token: r.csrf_token,
            created_at: r.created_at,
            last_seen_at: r.last_seen_at,
            user: User {
                id: UserId::new(r.user_id),
                email: Email::parse(&r.email).map_err(|_| corrupt("user.email"))?,
                display_name: r.display_name,
                locale: Locale::parse(&r.locale).ok_or_else(|| corrupt("user.locale"))?,
                is_host_admin: r.is_host_admin,
            },
        })
    })
    .transpose()
}

/// Slides the idle expiry forward.
pub async fn touch(
    tx: &mut Tx,
    id: SessionId,
    now: OffsetDateTime,
    expires_at: OffsetDateTime,
) -> Result<(), StorageError> {
    const SQL: &str =
        "update user_session set last_seen_at = $2, expires_at = $3 where session_id = $1";
    on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(id.get())
        .bind(now)
        .bind(expires_at)
        .execute(conn)
        .await?
        .rows_affected());
    Ok(())
}

pub async fn revoke(tx: &mut Tx, id: SessionId, now: OffsetDateTime) -> Result<bool, StorageError> {
    const SQL: &str =
        "update user_session set revoked_at = $2 where session_id = $1 and revoked_at is null";
    let n = on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(id.get())
        .bind(now)
        .execute(conn)
        .await?
        .rows_affected());
    Ok(n == 1)
}

/// Revokes every session of a user but `keep` (after a password change or reset).
pub async fn revoke_all_of(
    tx: &mut Tx,
    user: UserId,
    keep: Option<SessionId>,
    now: OffsetDateTime,
) -> Result<u64, StorageError> {
    const SQL: &str = "update user_session set revoked_at = $3 where user_id = $1 and revoked_at is null and session_id <> $2";
    Ok(on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(user.get())
        .bind(keep.map(|k| k.get()).unwrap_or(-1))
        .bind(now)
        .execute(conn)
        .await?
        .rows_affected()))
}

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct SessionRow {
    pub session_id: i64,
    pub user_id: i64,
    pub display_name: String,
    pub email: String,
    pub created_at: OffsetDateTime,
    pub last_seen_at: OffsetDateTime,
    pub ip: String,
    pub user_agent: String,
}

const LIST_COLUMNS: &str = "s.session_id, s.user_id, u.display_name, u.email, s.created_at, s.last_seen_at, s.ip, s.user_agent";

pub async fn list_active_of(
    tx: &mut Tx,
    user: UserId,
    now: OffsetDateTime,
) -> Result<Vec<SessionRow>, StorageError> {
    let sql = format!(
        "select {LIST_COLUMNS} from user_session s join user_account u on u.user_id = s.user_id \
         where s.user_id = $1 and s.revoked_at is null and s.expires_at > $2 order by s.last_seen_at desc"
    );
    Ok(on_tx!(tx, |conn| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(user.get())
        .bind(now)
        .fetch_all(conn)
        .await?))
}

/// Active sessions of the people who belong to a cooperative.
pub async fn list_active_in(
    tx: &mut Tx,
    coop: CooperativeId,
    now: OffsetDateTime,
) -> Result<Vec<SessionRow>, StorageError> {
    let sql = format!(
        "select {LIST_COLUMNS} from user_session s join user_account u on u.user_id = s.user_id \
         where s.revoked_at is null and s.expires_at > $2 \
         and s.user_id in (select m.user_id from membership m where m.cooperative_id = $1) \
         order by s.last_seen_at desc limit 500"
    );
    Ok(on_tx!(tx, |conn| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(coop.get())
        .bind(now)
        .fetch_all(conn)
        .await?))
}

/// The owner of a session, to check who may revoke it.
pub async fn owner(tx: &mut Tx, id: SessionId) -> Result<Option<UserId>, StorageError> {
    const SQL: &str = "select user_id from user_session where session_id = $1";
    let u: Option<i64> = on_tx!(tx, |conn| sqlx::query_scalar(SQL)
        .bind(id.get())
        .fetch_optional(conn)
        .await?);
    Ok(u.map(UserId::new))
}
