//! A person's own account: password, language, open sessions, personal API tokens.

use crate::pages::prelude::*;
use crate::security::{LANG_COOKIE, set_cookie};
use crate::state::AppState;
use axum::extract::State;
use axum::http::header;
use essaim_app::{Actor, auth};
use essaim_domain::account::Locale;
use essaim_domain::ids::{ApiTokenId, SessionId};

pub struct SessionView {
    pub started: String,
    pub last_seen: String,
    pub ip: String,
    pub agent: String,
    pub current: bool,
    pub revoke: String,
}

pub struct TokenView {
    pub name: String,
    pub prefix: String,
    pub created: String,
    pub expires: String,
    pub last_used: String,
    pub active: bool,
    pub revoke: String,
}

#[derive(Template)]
#[template(path = "account/show.html")]
pub struct AccountPage {
    pub l: Layout,
    pub email: String,
    pub name: String,
    pub sessions: Vec<SessionView>,
    pub tokens: Vec<TokenView>,
    pub new_token: Option<String>,
    pub password_errors: Errors,
    pub token_errors: Errors,
    pub token_name: String,
    pub notice: String,
}

async fn build(app: &App, actor: &Actor, page: &Page) -> Result<AccountPage, AppError> {
    let now = app.clock.now();
    let sessions = auth::my_sessions(app, actor).await?;
    let tokens = auth::my_tokens(app, actor).await?;
    Ok(AccountPage {
        email: actor.user.email.as_str().to_owned(),
        name: actor.user.display_name.clone(),
        sessions: sessions
            .into_iter()
            .map(|s| SessionView {
                started: view::datetime(s.created_at),
                last_seen: view::datetime(s.last_seen_at),
                ip: s.ip,
                agent: s.user_agent.chars().take(80).collect(),
                current: actor.session.map(|c| c.get()) == Some(s.session_id),
                revoke: paths::revoke_my_session(s.session_id),
            })
            .collect(),
        tokens: tokens
            .into_iter()
            .map(|t| TokenView {
                active: t.revoked_at.is_none() && !auth::is_expired(t.expires_at, now),
                name: t.name,
                prefix: t.prefix,
                created: view::datetime(t.created_at),
                expires: view::opt_datetime(t.expires_at),
                last_used: view::opt_datetime(t.last_used_at),
                revoke: paths::revoke_token(t.api_token_id),
            })
            .collect(),
        new_token: None,
        password_errors: Errors::default(),
        token_errors: Errors::default(),
        token_name: String::new(),
        notice: String::new(),
        l: page.layout.clone(),
    })
}

pub async fn show(Me { app, actor, page }: Me) -> PageResult {
    Ok(render(&build(&app, &actor, &page).await?))
}

#[derive(Deserialize)]
pub struct PasswordForm {
    current_password: String,
    new_password: String,
    confirm_password: String,
}

pub async fn change_password(
    Me { app, actor, page }: Me,
    Form(f): Form<PasswordForm>,
) -> PageResult {
    let t = page.layout.t;
    let (current, new) = (&f.current_password, &f.new_password);
    let outcome = auth::change_password(&app, &actor, current, new, &f.confirm_password).await;
    forms::stay(&page, outcome, async |shown| {
        let mut p = build(&app, &actor, &page).await?;
        match shown {
            Ok(()) => p.notice = t.get("account.password_changed").to_owned(),
            Err(errors) => p.password_errors = errors,
        }
        Ok(render(&p))
    })
    .await
}

pub async fn revoke_session(Me { app, actor, .. }: Me, Path(id): Path<i64>) -> PageResult {
    auth::revoke_my_session(&app, &actor, SessionId::new(id)).await?;
    Ok(Redirect::to(&paths::account()).into_response())
}

#[derive(Deserialize)]
pub struct TokenForm {
    name: String,
    valid_days: Option<String>,
}

pub async fn create_token(Me { app, actor, page }: Me, Form(f): Form<TokenForm>) -> PageResult {
    let days = match f
        .valid_days
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
    {
        None => Ok(None),
        Some(d) => d
            .parse::<i64>()
            .map(Some)
            .map_err(|_| AppError::field("valid_days", "days_range")),
    };
    let outcome = match days {
        Ok(days) => auth::create_token(&app, &actor, &f.name, days).await,
        Err(e) => Err(e),
    };
    forms::stay(&page, outcome, async |shown| {
        let mut p = build(&app, &actor, &page).await?;
        match shown {
            // Shown once, on this page only.
            Ok(token) => p.new_token = Some(token.secret),
            Err(errors) => {
                p.token_errors = errors;
                p.token_name = f.name;
            }
        }
        Ok(render(&p))
    })
    .await
}

pub async fn revoke_token(Me { app, actor, .. }: Me, Path(id): Path<i64>) -> PageResult {
    auth::revoke_token(&app, &actor, ApiTokenId::new(id)).await?;
    Ok(Redirect::to(&paths::account()).into_response())
}

#[derive(Deserialize)]
pub struct LanguageForm {
    lang: String,
    back: Option<String>,
}

/// Switches the language: remembered in a cookie, and on the account when signed in.
pub async fn language(
    State(AppState { app, config }): State<AppState>,
    page: Page,
    Form(f): Form<LanguageForm>,
) -> PageResult {
    let locale = Locale::parse(&f.lang).unwrap_or_default();
    if let Some(actor) = &page.actor
        && let Err(e) = auth::set_locale(&app, actor, locale).await
    {
        return Err(e.into());
    }
    let cookie = set_cookie(
        LANG_COOKIE,
        locale.code(),
        Some(365 * 24 * 3600),
        config.secure_cookies,
    );
    Ok((
        [(header::SET_COOKIE, cookie)],
        Redirect::to(&super::safe_next(f.back.as_deref())),
    )
        .into_response())
}

/// GDP-02: everything Essaim holds about the signed-in person, as a JSON download.
pub async fn export(Me { app, actor, .. }: Me) -> PageResult {
    let data = essaim_app::privacy::export_mine(&app, &actor).await?;
    let body = serde_json::to_string_pretty(&data).unwrap_or_default();
    let json = "application/json; charset=utf-8";
    Ok(view::download(
        "mes-donnees-essaim.json",
        json,
        body.into_bytes(),
    ))
}

pub struct NotificationView {
    pub message: String,
    pub href: String,
    pub at: String,
    pub unread: bool,
}

#[derive(Template)]
#[template(path = "account/notifications.html")]
pub struct NotificationsPage {
    pub l: Layout,
    pub items: Vec<NotificationView>,
}

pub async fn notifications(Me { app, actor, page }: Me) -> PageResult {
    let rows = essaim_app::notifications::mine(&app, &actor).await?;
    Ok(render(&NotificationsPage {
        items: rows
            .into_iter()
            .map(|n| NotificationView {
                message: n.message,
                href: n.link,
                at: view::datetime(n.created_at),
                unread: n.read_at.is_none(),
            })
            .collect(),
        l: page.layout,
    }))
}

pub async fn read_notifications(Me { app, actor, .. }: Me) -> PageResult {
    essaim_app::notifications::mark_read(&app, &actor).await?;
    Ok(Redirect::to("/notifications").into_response())
}

/// GDP-02: the same data as a readable PDF.
pub async fn export_pdf(Me { app, actor, .. }: Me) -> PageResult {
    let bytes = essaim_app::privacy::export_pdf(&app, &actor).await?;
    Ok(view::download(
        "mes-donnees-essaim.pdf",
        "application/pdf",
        bytes,
    ))
}
