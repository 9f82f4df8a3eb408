//! Signing in and out, sessions, passwords (change, forgotten), personal API tokens, language.
//! Tokens and session keys are random 256-bit values; only their SHA-256 is stored.

use crate::secret::{hash_password, random_token, token_hash, verify_password};
use crate::{Actor, App, AppError, audit, jobs};
use essaim_domain::FieldErrors;
use essaim_domain::account::{Email, Locale, NewPassword, User, parse_display_name};
use essaim_domain::ids::{ApiTokenId, SessionId, UserId};
use essaim_storage::account::{self as accounts, ApiTokenRow, NewUser};
use essaim_storage::session::{self as sessions, NewSession, SessionRow};
use essaim_storage::{Conflict, StorageError};
use serde_json::json;
use time::OffsetDateTime;

fn dur(d: std::time::Duration) -> time::Duration {
    time::Duration::try_from(d).unwrap_or(time::Duration::DAY)
}

/// A new browser session: the cookie value to hand out once, and the CSRF token of the session.
pub struct SignedIn {
    pub cookie_token: String,
    pub user: User,
}

/// Signs a person in. Refuses with `TooManyAttempts` when the account or the address failed too
/// often in the window, and with `InvalidCredentials` (never saying which part was wrong) otherwise.
pub async fn sign_in(
    app: &App,
    email: &str,
    password: &str,
    ip: &str,
    user_agent: &str,
) -> Result<SignedIn, AppError> {
    let now = app.clock.now();
    let key = email.trim().to_lowercase();
    let since = now - dur(app.config.login_window);
    let mut tx = app.store.read().await?;
    let (by_account, by_address) = accounts::login_failures_since(&mut tx, &key, ip, since).await?;
    let found = match Email::parse(&key) {
        Ok(e) => accounts::find_with_hash(&mut tx, &e).await?,
        Err(_) => None,
    };
    tx.commit().await?;
    if by_account >= app.config.login_max_failures_per_account
        || by_address >= app.config.login_max_failures_per_address
    {
        return Err(AppError::TooManyAttempts);
    }
    // Verify against a fixed hash when the account does not exist, so timing tells nothing.
    const DUMMY: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$Jp1t7M6vXb8BAWgAVGTquFvYyBn1k6bv0X5B8c8Q7pY";
    let ok = match &found {
        Some((_, hash)) => verify_password(password, hash).await?,
        None => {
            let _ = verify_password(password, DUMMY).await?;
            false
        }
    };
    let mut tx = app.store.begin().await?;
    let Some((user, _)) = found.filter(|_| ok) else {
        accounts::record_login_failure(&mut tx, &key, ip, now).await?;
        tx.commit().await?;
        return Err(AppError::InvalidCredentials);
    };
    accounts::clear_login_failures(&mut tx, &key).await?;
    let cookie_token = random_token()?;
    let csrf = random_token()?;
    let expires_at =
        (now + dur(app.config.session_idle)).min(now + dur(app.config.session_absolute));
    let ua: String = user_agent.chars().take(300).collect();
    let session = NewSession {
        token_hash: &token_hash(&cookie_token),
        user: user.id,
        csrf_token: &csrf,
        expires_at,
        ip,
        user_agent: &ua,
    };
    let id = sessions::insert(&mut tx, &session, now).await?;
    let actor = Actor {
        user: user.clone(),
        session: Some(id),
        ip: ip.to_owned(),
    };
    audit::record(
        &mut tx,
        app,
        Some(&actor),
        None,
        "session.sign_in",
        ("session", id.to_string()),
        json!({}),
    )
    .await?;
    tx.commit().await?;
    Ok(SignedIn { cookie_token, user })
}

/// The session a cookie token opens, sliding its idle expiry forward at most once a minute.
pub async fn resolve_session(
    app: &App,
    cookie_token: &str,
    ip: &str,
) -> Result<Option<(Actor, String)>, AppError> {
    let now = app.clock.now();
    let hash = token_hash(cookie_token);
    let mut tx = app.store.read().await?;
    let found = sessions::find_active(&mut tx, &hash, now).await?;
    tx.commit().await?;
    let Some(s) = found else { return Ok(None) };
    if now - s.last_seen_at > time::Duration::MINUTE {
        let expires_at = (now + dur(app.config.session_idle))
            .min(s.created_at + dur(app.config.session_absolute));
        let mut tx = app.store.begin().await?;
        sessions::touch(&mut tx, s.id, now, expires_at).await?;
        tx.commit().await?;
    }
    Ok(Some((
        Actor {
            user: s.user,
            session: Some(s.id),
            ip: ip.to_owned(),
        },
        s.csrf_token,
    )))
}

pub async fn sign_out(app: &App, actor: &Actor) -> Result<(), AppError> {
    let Some(id) = actor.session else {
        return Ok(());
    };
    let mut tx = app.store.begin().await?;
    sessions::revoke(&mut tx, id, app.clock.now()).await?;
    audit::record(
        &mut tx,
        app,
        Some(actor),
        None,
        "session.sign_out",
        ("session", id.to_string()),
        json!({}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Changes one's own password; every other session of the person is closed.
pub async fn change_password(
    app: &App,
    actor: &Actor,
    current: &str,
    new: &str,
    confirm: &str,
) -> Result<(), AppError> {
    let mut errors = FieldErrors::new();
    let new_password = errors.check(
        "new_password",
        NewPassword::parse(new, Some(&actor.user.email)),
    );
    if new != confirm {
        errors.add("confirm_password", "password_mismatch");
    }
    let mut tx = app.store.read().await?;
    let hash = accounts::password_hash(&mut tx, actor.user.id)
        .await?
        .ok_or(AppError::NotFound("user"))?;
    tx.commit().await?;
    if !verify_password(current, &hash).await? {
        errors.add("current_password", "password_wrong");
    }
    let new_password = errors.finish(new_password)?;
    let hash = hash_password(new_password.expose(), app.config.password_hashing).await?;
    let now = app.clock.now();
    let mut tx = app.store.begin().await?;
    accounts::set_password(&mut tx, actor.user.id, &hash, now).await?;
    sessions::revoke_all_of(&mut tx, actor.user.id, actor.session, now).await?;
    accounts::void_resets(&mut tx, actor.user.id, now).await?;
    audit::record(
        &mut tx,
        app,
        Some(actor),
        None,
        "user.password_changed",
        ("user", actor.user.id.to_string()),
        json!({}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Sends a one-time reset link if the address has an account. Says nothing about whether it has.
pub async fn request_reset(app: &App, email: &str, ip: &str) -> Result<(), AppError> {
    let email = Email::parse(email).map_err(|c| AppError::field("email", c))?;
    let now = app.clock.now();
    let mut tx = app.store.begin().await?;
    let Some((user, _)) = accounts::find_with_hash(&mut tx, &email).await? else {
        tx.commit().await?;
        return Ok(());
    };
    let token = random_token()?;
    accounts::insert_reset(
        &mut tx,
        &token_hash(&token),
        user.id,
        now,
        now + dur(app.config.reset_link_ttl),
    )
    .await?;
    let link = format!(
        "{}/password/reset/{token}",
        app.config.base_url.trim_end_matches('/')
    );
    let message = crate::mail::reset_message(
        user.locale,
        &user.display_name,
        &link,
        app.config.reset_link_ttl,
    );
    jobs::enqueue_email(&mut tx, app, None, user.email.as_str(), &message).await?;
    let actor = Actor {
        user: user.clone(),
        session: None,
        ip: ip.to_owned(),
    };
    audit::record(
        &mut tx,
        app,
        Some(&actor),
        None,
        "user.password_reset_requested",
        ("user", user.id.to_string()),
        json!({}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Whether a reset link still works (to show the form or say it expired).
pub async fn reset_link_valid(app: &App, token: &str) -> Result<bool, AppError> {
    let mut tx = app.store.read().await?;
    let found = accounts::find_reset(&mut tx, &token_hash(token), app.clock.now()).await?;
    tx.commit().await?;
    Ok(found.is_some())
}

/// Sets a new password through a reset link; the link then stops working, and every session closes.
pub async fn reset_password(
    app: &App,
    token: &str,
    new: &str,
    confirm: &str,
    ip: &str,
) -> Result<(), AppError> {
    let now = app.clock.now();
    let hash_of_token = token_hash(token);
    let mut tx = app.store.read().await?;
    let user_id = accounts::find_reset(&mut tx, &hash_of_token, now)
        .await?
        .ok_or(AppError::NotFound("reset link"))?;
    let user = accounts::find(&mut tx, user_id)
        .await?
        .ok_or(AppError::NotFound("user"))?;
    tx.commit().await?;
    let mut errors = FieldErrors::new();
    let new_password = errors.check("new_password", NewPassword::parse(new, Some(&user.email)));
    if new != confirm {
        errors.add("confirm_password", "password_mismatch");
    }
    let new_password = errors.finish(new_password)?;
    let hash = hash_password(new_password.expose(), app.config.password_hashing).await?;
    let mut tx = app.store.begin().await?;
    if !accounts::use_reset(&mut tx, &hash_of_token, now).await? {
        return Err(AppError::NotFound("reset link"));
    }
    accounts::set_password(&mut tx, user.id, &hash, now).await?;
    accounts::void_resets(&mut tx, user.id, now).await?;
    sessions::revoke_all_of(&mut tx, user.id, None, now).await?;
    accounts::clear_login_failures(&mut tx, user.email.as_str()).await?;
    let actor = Actor {
        user: user.clone(),
        session: None,
        ip: ip.to_owned(),
    };
    audit::record(
        &mut tx,
        app,
        Some(&actor),
        None,
        "user.password_reset",
        ("user", user.id.to_string()),
        json!({}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn set_locale(app: &App, actor: &Actor, locale: Locale) -> Result<(), AppError> {
    let mut tx = app.store.begin().await?;
    accounts::set_locale(&mut tx, actor.user.id, locale).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn my_sessions(app: &App, actor: &Actor) -> Result<Vec<SessionRow>, AppError> {
    let mut tx = app.store.read().await?;
    let rows = sessions::list_active_of(&mut tx, actor.user.id, app.clock.now()).await?;
    tx.commit().await?;
    Ok(rows)
}

/// Closes one of one's own sessions (another browser, a lost phone).
pub async fn revoke_my_session(app: &App, actor: &Actor, id: SessionId) -> Result<(), AppError> {
    let mut tx = app.store.begin().await?;
    if sessions::owner(&mut tx, id).await? != Some(actor.user.id) {
        return Err(AppError::NotFound("session"));
    }
    sessions::revoke(&mut tx, id, app.clock.now()).await?;
    audit::record(
        &mut tx,
        app,
        Some(actor),
        None,
        "session.revoked",
        ("session", id.to_string()),
        json!({}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

// --- personal API tokens -----------------------------------------------------------------------

/// Prefix that makes a token recognisable in logs and secret scanners.
pub const TOKEN_PREFIX: &str = "essaim_";

/// A token, shown once at creation.
pub struct NewToken {
    pub id: ApiTokenId,
    pub secret: String,
}

pub async fn create_token(
    app: &App,
    actor: &Actor,
    name: &str,
    valid_days: Option<i64>,
) -> Result<NewToken, AppError> {
    let name = essaim_domain::validation::required_text(name, 100)
        .map_err(|c| AppError::field("name", c))?;
    if let Some(d) = valid_days
        && !(1..=3650).contains(&d)
    {
        return Err(AppError::field("valid_days", "days_range"));
    }
    let secret = format!("{TOKEN_PREFIX}{}", random_token()?);
    let now = app.clock.now();
    let mut tx = app.store.begin().await?;
    let expires = valid_days.map(|d| now + time::Duration::days(d));
    let id = accounts::insert_token(
        &mut tx,
        actor.user.id,
        &name,
        &token_hash(&secret),
        &secret[..TOKEN_PREFIX.len() + 6],
        now,
        expires,
    )
    .await?;
    audit::record(
        &mut tx,
        app,
        Some(actor),
        None,
        "token.created",
        ("api_token", id.to_string()),
        json!({ "name": name }),
    )
    .await?;
    tx.commit().await?;
    Ok(NewToken { id, secret })
}

pub async fn my_tokens(app: &App, actor: &Actor) -> Result<Vec<ApiTokenRow>, AppError> {
    let mut tx = app.store.read().await?;
    let rows = accounts::list_tokens(&mut tx, actor.user.id).await?;
    tx.commit().await?;
    Ok(rows)
}

pub async fn revoke_token(app: &App, actor: &Actor, id: ApiTokenId) -> Result<(), AppError> {
    let mut tx = app.store.begin().await?;
    if !accounts::revoke_token(&mut tx, actor.user.id, id, app.clock.now()).await? {
        return Err(AppError::NotFound("api token"));
    }
    audit::record(
        &mut tx,
        app,
        Some(actor),
        None,
        "token.revoked",
        ("api_token", id.to_string()),
        json!({}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The person a bearer token authenticates.
pub async fn resolve_token(app: &App, secret: &str, ip: &str) -> Result<Option<Actor>, AppError> {
    if !secret.starts_with(TOKEN_PREFIX) {
        return Ok(None);
    }
    let now = app.clock.now();
    let mut tx = app.store.read().await?;
    let found = accounts::find_token_user(&mut tx, &token_hash(secret), now).await?;
    tx.commit().await?;
    let Some((id, user)) = found else {
        return Ok(None);
    };
    let mut tx = app.store.begin().await?;
    accounts::touch_token(&mut tx, id, now).await?;
    tx.commit().await?;
    Ok(Some(Actor {
        user,
        session: None,
        ip: ip.to_owned(),
    }))
}

// --- accounts ------------------------------------------------------------------------------

/// What is needed to open an account.
pub struct AccountInput<'a> {
    pub email: &'a str,
    pub display_name: &'a str,
    /// None: an unusable random password; the person sets theirs through an invitation link.
    pub password: Option<&'a str>,
    pub locale: Locale,
    pub is_host_admin: bool,
}

/// Creates an account inside the caller's transaction. Used by the CLI, by member invitations and
/// by the demo.
pub async fn insert_account(
    tx: &mut essaim_storage::Tx,
    app: &App,
    input: &AccountInput<'_>,
    password_hash: Option<String>,
) -> Result<UserId, AppError> {
    let mut errors = FieldErrors::new();
    let email = errors.check("email", Email::parse(input.email));
    let name = errors.check("display_name", parse_display_name(input.display_name));
    let password = match input.password {
        Some(p) if password_hash.is_none() => errors
            .check("password", NewPassword::parse(p, email.as_ref()))
            .map(Some),
        _ => Some(None),
    };
    let (email, name, password) =
        errors.finish(email.zip(name).zip(password).map(|((e, n), p)| (e, n, p)))?;
    let hash = match (password_hash, password) {
        (Some(h), _) => h,
        (None, Some(p)) => hash_password(p.expose(), app.config.password_hashing).await?,
        (None, None) => hash_password(&random_token()?, app.config.password_hashing).await?,
    };
    let new = NewUser {
        email: &email,
        display_name: &name,
        password_hash: &hash,
        locale: input.locale,
        is_host_admin: input.is_host_admin,
    };
    accounts::insert(tx, &new, app.clock.now())
        .await
        .map_err(|e| match e {
            StorageError::Conflict(Conflict::EmailTaken) => AppError::field("email", "email_taken"),
            e => e.into(),
        })
}

/// `essaim admin create-user`: opens an account from the command line (first install).
pub async fn create_user_cli(app: &App, input: &AccountInput<'_>) -> Result<UserId, AppError> {
    let mut tx = app.store.begin().await?;
    let id = insert_account(&mut tx, app, input, None).await?;
    audit::record(
        &mut tx,
        app,
        None,
        None,
        "user.created",
        ("user", id.to_string()),
        json!({ "via": "cli" }),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// `essaim admin create-token`: a token for an existing account, from the command line.
pub async fn create_token_cli(app: &App, email: &str, name: &str) -> Result<NewToken, AppError> {
    let actor = actor_for_cli(app, email).await?;
    create_token(app, &actor, name, None).await
}

/// The person with this e-mail, acting from the command line (`--as`): every use case then
/// checks their rights as it would on the site, and the audit log says `cli`.
pub async fn actor_for_cli(app: &App, email: &str) -> Result<Actor, AppError> {
    let email = Email::parse(email).map_err(|c| AppError::field("email", c))?;
    let mut tx = app.store.read().await?;
    let (user, _) = accounts::find_with_hash(&mut tx, &email)
        .await?
        .ok_or(AppError::NotFound("user"))?;
    tx.commit().await?;
    Ok(Actor {
        user,
        session: None,
        ip: "cli".into(),
    })
}

pub fn is_expired(at: Option<OffsetDateTime>, now: OffsetDateTime) -> bool {
    at.is_some_and(|t| t <= now)
}
