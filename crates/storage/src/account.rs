//! User accounts, password-reset tokens, failed sign-ins and personal API tokens.
//! Secrets are stored only as SHA-256 hashes (tokens) or argon2id PHC strings (passwords).

use crate::{Conflict, StorageError, Tx, corrupt, on_tx, on_unique};
use essaim_domain::account::{Email, Locale, User};
use essaim_domain::ids::{ApiTokenId, UserId};
use time::OffsetDateTime;

#[derive(sqlx::FromRow)]
struct UserRow {
    user_id: i64,
    email: String,
    display_name: String,
    locale: String,
    is_host_admin: bool,
}

impl TryFrom<UserRow> for User {
    type Error = StorageError;
    fn try_from(r: UserRow) -> Result<User, StorageError> {
        Ok(User {
            id: UserId::new(r.user_id),
            email: Email::parse(&r.email).map_err(|_| corrupt("user.email"))?,
            display_name: r.display_name,
            locale: Locale::parse(&r.locale).ok_or_else(|| corrupt("user.locale"))?,
            is_host_admin: r.is_host_admin,
        })
    }
}

/// A new account as the use case prepared it (password already hashed).
pub struct NewUser<'a> {
    pub email: &'a Email,
    pub display_name: &'a str,
    pub password_hash: &'a str,
    pub locale: Locale,
    pub is_host_admin: bool,
}

pub async fn insert(
    tx: &mut Tx,
    u: &NewUser<'_>,
    now: OffsetDateTime,
) -> Result<UserId, StorageError> {
    const SQL: &str = "insert into user_account (email, display_name, password_hash, locale, is_host_admin, created_at, password_changed_at) \
         values ($1, $2, $3, $4, $5, $6, $6) returning user_id";
    let id: i64 = on_tx!(tx, |conn| sqlx::query_scalar(SQL)
        .bind(u.email.as_str())
        .bind(u.display_name)
        .bind(u.password_hash)
        .bind(u.locale.code())
        .bind(u.is_host_admin)
        .bind(now)
        .fetch_one(conn)
        .await
        .map_err(on_unique(Conflict::EmailTaken))?);
    Ok(UserId::new(id))
}

pub async fn find(tx: &mut Tx, id: UserId) -> Result<Option<User>, StorageError> {
    const SQL: &str = "select user_id, email, display_name, locale, is_host_admin from user_account where user_id = $1";
    let row: Option<UserRow> = on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(id.get())
        .fetch_optional(conn)
        .await?);
    row.map(User::try_from).transpose()
}

/// The account and its password hash, for signing in.
pub async fn find_with_hash(
    tx: &mut Tx,
    email: &Email,
) -> Result<Option<(User, String)>, StorageError> {
    const SQL: &str = "select user_id, email, display_name, locale, is_host_admin from user_account where email = $1";
    const HASH: &str = "select password_hash from user_account where user_id = $1";
    let row: Option<UserRow> = on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(email.as_str())
        .fetch_optional(conn)
        .await?);
    let Some(row) = row else { return Ok(None) };
    let user = User::try_from(row)?;
    let hash: String = on_tx!(tx, |conn| sqlx::query_scalar(HASH)
        .bind(user.id.get())
        .fetch_one(conn)
        .await?);
    Ok(Some((user, hash)))
}

pub async fn password_hash(tx: &mut Tx, id: UserId) -> Result<Option<String>, StorageError> {
    const SQL: &str = "select password_hash from user_account where user_id = $1";
    Ok(on_tx!(tx, |conn| sqlx::query_scalar(SQL)
        .bind(id.get())
        .fetch_optional(conn)
        .await?))
}

pub async fn set_password(
    tx: &mut Tx,
    id: UserId,
    hash: &str,
    now: OffsetDateTime,
) -> Result<(), StorageError> {
    const SQL: &str =
        "update user_account set password_hash = $2, password_changed_at = $3 where user_id = $1";
    on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(id.get())
        .bind(hash)
        .bind(now)
        .execute(conn)
        .await?
        .rows_affected());
    Ok(())
}

pub async fn set_locale(tx: &mut Tx, id: UserId, locale: Locale) -> Result<(), StorageError> {
    const SQL: &str = "update user_account set locale = $2 where user_id = $1";
    on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(id.get())
        .bind(locale.code())
        .execute(conn)
        .await?
        .rows_affected());
    Ok(())
}

pub async fn set_host_admin(tx: &mut Tx, id: UserId, host_admin: bool) -> Result<(), StorageError> {
    const SQL: &str = "update user_account set is_host_admin = $2 where user_id = $1";
    on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(id.get())
        .bind(host_admin)
        .execute(conn)
        .await?
        .rows_affected());
    Ok(())
}

// --- password reset -------------------------------------------------------------------------

pub async fn insert_reset(
    tx: &mut Tx,
    token_hash: &str,
    user: UserId,
    now: OffsetDateTime,
    expires_at: OffsetDateTime,
) -> Result<(), StorageError> {
    const SQL: &str = "insert into password_reset (token_hash, user_id, created_at, expires_at) values ($1, $2, $3, $4)";
    on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(token_hash)
        .bind(user.get())
        .bind(now)
        .bind(expires_at)
        .execute(conn)
        .await?
        .rows_affected());
    Ok(())
}

/// The account a reset token opens, if the token is unused and not expired.
pub async fn find_reset(
    tx: &mut Tx,
    token_hash: &str,
    now: OffsetDateTime,
) -> Result<Option<UserId>, StorageError> {
    const SQL: &str = "select user_id from password_reset where token_hash = $1 and used_at is null and expires_at > $2";
    let id: Option<i64> = on_tx!(tx, |conn| sqlx::query_scalar(SQL)
        .bind(token_hash)
        .bind(now)
        .fetch_optional(conn)
        .await?);
    Ok(id.map(UserId::new))
}

/// Marks the token used; returns false if it was used meanwhile (one-time).
pub async fn use_reset(
    tx: &mut Tx,
    token_hash: &str,
    now: OffsetDateTime,
) -> Result<bool, StorageError> {
    const SQL: &str =
        "update password_reset set used_at = $2 where token_hash = $1 and used_at is null";
    let n = on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(token_hash)
        .bind(now)
        .execute(conn)
        .await?
        .rows_affected());
    Ok(n == 1)
}

/// Every other pending reset link of the account stops working once the password changed.
pub async fn void_resets(
    tx: &mut Tx,
    user: UserId,
    now: OffsetDateTime,
) -> Result<(), StorageError> {
    const SQL: &str =
        "update password_reset set used_at = $2 where user_id = $1 and used_at is null";
    on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(user.get())
        .bind(now)
        .execute(conn)
        .await?
        .rows_affected());
    Ok(())
}

// --- failed sign-ins ------------------------------------------------------------------------

pub async fn record_login_failure(
    tx: &mut Tx,
    email: &str,
    ip: &str,
    now: OffsetDateTime,
) -> Result<(), StorageError> {
    const SQL: &str = "insert into login_failure (email, ip, at) values ($1, $2, $3)";
    on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(email)
        .bind(ip)
        .bind(now)
        .execute(conn)
        .await?
        .rows_affected());
    Ok(())
}

/// Failures since `since` for this e-mail address and for this network address.
pub async fn login_failures_since(
    tx: &mut Tx,
    email: &str,
    ip: &str,
    since: OffsetDateTime,
) -> Result<(i64, i64), StorageError> {
    const BY_EMAIL: &str = "select count(*) from login_failure where email = $1 and at > $2";
    const BY_IP: &str = "select count(*) from login_failure where ip = $1 and at > $2";
    let e: i64 = on_tx!(tx, |conn| sqlx::query_scalar(BY_EMAIL)
        .bind(email)
        .bind(since)
        .fetch_one(conn)
        .await?);
    let i: i64 = on_tx!(tx, |conn| sqlx::query_scalar(BY_IP)
        .bind(ip)
        .bind(since)
        .fetch_one(conn)
        .await?);
    Ok((e, i))
}

pub async fn clear_login_failures(tx: &mut Tx, email: &str) -> Result<(), StorageError> {
    const SQL: &str = "delete from login_failure where email = $1";
    on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(email)
        .execute(conn)
        .await?
        .rows_affected());
    Ok(())
}

/// Forgets failures older than `before` (housekeeping).
pub async fn purge_login_failures(
    tx: &mut Tx,
    before: OffsetDateTime,
) -> Result<u64, StorageError> {
    const SQL: &str = "delete from login_failure where at < $1";
    Ok(on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(before)
        .execute(conn)
        .await?
        .rows_affected()))
}

// --- personal API tokens --------------------------------------------------------------------

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct ApiTokenRow {
    pub api_token_id: i64,
    pub name: String,
    pub prefix: String,
    pub created_at: OffsetDateTime,
    pub expires_at: Option<OffsetDateTime>,
    pub last_used_at: Option<OffsetDateTime>,
    pub revoked_at: Option<OffsetDateTime>,
}

pub async fn insert_token(
    tx: &mut Tx,
    user: UserId,
    name: &str,
    token_hash: &str,
    prefix: &str,
    now: OffsetDateTime,
    expires_at: Option<OffsetDateTime>,
) -> Result<ApiTokenId, StorageError> {
    const SQL: &str = "insert into api_token (user_id, name, token_hash, prefix, created_at, expires_at) values ($1, $2, $3, $4, $5, $6) returning api_token_id";
    let id: i64 = on_tx!(tx, |conn| sqlx::query_scalar(SQL)
        .bind(user.get())
        .bind(name)
        .bind(token_hash)
        .bind(prefix)
        .bind(now)
        .bind(expires_at)
        .fetch_one(conn)
        .await?);
    Ok(ApiTokenId::new(id))
}

/// The user an active token belongs to.
pub async fn find_token_user(
    tx: &mut Tx,
    token_hash: &str,
    now: OffsetDateTime,
) -> Result<Option<(ApiTokenId, User)>, StorageError> {
    const SQL: &str = "select t.api_token_id, u.user_id, u.email, u.display_name, u.locale, u.is_host_admin \
         from api_token t join user_account u on u.user_id = t.user_id \
         where t.token_hash = $1 and t.revoked_at is null and (t.expires_at is null or t.expires_at > $2)";
    #[derive(sqlx::FromRow)]
    struct Row {
        api_token_id: i64,
        #[sqlx(flatten)]
        user: UserRow,
    }
    let row: Option<Row> = on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(token_hash)
        .bind(now)
        .fetch_optional(conn)
        .await?);
    row.map(|r| Ok((ApiTokenId::new(r.api_token_id), User::try_from(r.user)?)))
        .transpose()
}

pub async fn touch_token(
    tx: &mut Tx,
    id: ApiTokenId,
    now: OffsetDateTime,
) -> Result<(), StorageError> {
    const SQL: &str = "update api_token set last_used_at = $2 where api_token_id = $1";
    on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(id.get())
        .bind(now)
        .execute(conn)
        .await?
        .rows_affected());
    Ok(())
}

pub async fn list_tokens(tx: &mut Tx, user: UserId) -> Result<Vec<ApiTokenRow>, StorageError> {
    const SQL: &str = "select api_token_id, name, prefix, created_at, expires_at, last_used_at, revoked_at from api_token \
         where user_id = $1 order by api_token_id desc";
    Ok(on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(user.get())
        .fetch_all(conn)
        .await?))
}

/// Revokes one of the user's own tokens; false if it is not theirs or already revoked.
pub async fn revoke_token(
    tx: &mut Tx,
    user: UserId,
    id: ApiTokenId,
    now: OffsetDateTime,
) -> Result<bool, StorageError> {
    const SQL: &str = "update api_token set revoked_at = $3 where api_token_id = $1 and user_id = $2 and revoked_at is null";
    let n = on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(id.get())
        .bind(user.get())
        .bind(now)
        .execute(conn)
        .await?
        .rows_affected());
    Ok(n == 1)
}

pub async fn count(tx: &mut Tx) -> Result<i64, StorageError> {
    const SQL: &str = "select count(*) from user_account";
    Ok(on_tx!(tx, |conn| sqlx::query_scalar(SQL)
        .fetch_one(conn)
        .await?))
}
