//! A person's own account: password, language, open sessions, personal API tokens.

use crate::error::PageResult;
use crate::error::{render, render_status};
use crate::paths;
use crate::security::{LANG_COOKIE, set_cookie};
use crate::state::AppState;
use crate::view::{self, Errors, Layout, Page};
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use essaim_app::App;
use essaim_app::{AppError, auth};
use essaim_domain::account::Locale;
use essaim_domain::ids::{ApiTokenId, SessionId};
use serde::Deserialize;

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

async fn build(app: &App, page: Page) -> Result<AccountPage, crate::error::PageError> {
    let actor = page.actor()?.clone();
    let now = app.clock.now();
    let sessions = auth::my_sessions(app, &actor).await?;
    let tokens = auth::my_tokens(app, &actor).await?;
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
        l: page.layout,
    })
}

pub async fn show(State(AppState { app, .. }): State<AppState>, page: Page) -> Response {
    match build(&app, page).await {
        Ok(p) => render(&p),
        Err(e) => e.into_response(),
    }
}

#[derive(Deserialize)]
pub struct PasswordForm {
    current_password: String,
    new_password: String,
    confirm_password: String,
}

pub async fn change_password(
    State(AppState { app, .. }): State<AppState>,
    page: Page,
    Form(f): Form<PasswordForm>,
) -> PageResult {
    let actor = page.actor()?.clone();
    let t = page.layout.t;
    let result = auth::change_password(
        &app,
        &actor,
        &f.current_password,
        &f.new_password,
        &f.confirm_password,
    )
    .await;
    let mut p = match build(&app, page).await {
        Ok(p) => p,
        Err(e) => return Err(e),
    };
    Ok(match result {
        Ok(()) => {
            p.notice = t.get("account.password_changed").to_owned();
            render(&p)
        }
        Err(AppError::Invalid(errors)) => {
            p.password_errors = Errors::from(&errors, t);
            render_status(StatusCode::UNPROCESSABLE_ENTITY, &p)
        }
        Err(e) => crate::error::PageError(e).into_response(),
    })
}

pub async fn revoke_session(
    State(AppState { app, .. }): State<AppState>,
    page: Page,
    Path(id): Path<i64>,
) -> PageResult {
    let actor = page.actor()?.clone();
    Ok(
        match auth::revoke_my_session(&app, &actor, SessionId::new(id)).await {
            Ok(()) => Redirect::to(&paths::account()).into_response(),
            Err(e) => return Err(e.into()),
        },
    )
}

#[derive(Deserialize)]
pub struct TokenForm {
    name: String,
    valid_days: Option<String>,
}

pub async fn create_token(
    State(AppState { app, .. }): State<AppState>,
    page: Page,
    Form(f): Form<TokenForm>,
) -> PageResult {
    let actor = page.actor()?.clone();
    let t = page.layout.t;
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
    let result = match days {
        Ok(days) => auth::create_token(&app, &actor, &f.name, days).await,
        Err(e) => Err(e),
    };
    let mut p = match build(&app, page).await {
        Ok(p) => p,
        Err(e) => return Err(e),
    };
    Ok(match result {
        Ok(token) => {
            p.new_token = Some(token.secret);
            render(&p)
        }
        Err(AppError::Invalid(errors)) => {
            p.token_errors = Errors::from(&errors, t);
            p.token_name = f.name;
            render_status(StatusCode::UNPROCESSABLE_ENTITY, &p)
        }
        Err(e) => crate::error::PageError(e).into_response(),
    })
}

pub async fn revoke_token(
    State(AppState { app, .. }): State<AppState>,
    page: Page,
    Path(id): Path<i64>,
) -> PageResult {
    let actor = page.actor()?.clone();
    Ok(
        match auth::revoke_token(&app, &actor, ApiTokenId::new(id)).await {
            Ok(()) => Redirect::to(&paths::account()).into_response(),
            Err(e) => return Err(e.into()),
        },
    )
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
pub async fn export(State(AppState { app, .. }): State<AppState>, page: Page) -> PageResult {
    let actor = page.actor()?.clone();
    Ok(match essaim_app::privacy::export_mine(&app, &actor).await {
        Ok(data) => {
            let body = serde_json::to_string_pretty(&data).unwrap_or_default();
            (
                [
                    (
                        header::CONTENT_TYPE,
                        "application/json; charset=utf-8".to_owned(),
                    ),
                    (
                        header::CONTENT_DISPOSITION,
                        "attachment; filename=\"mes-donnees-essaim.json\"".to_owned(),
                    ),
                ],
                body,
            )
                .into_response()
        }
        Err(e) => return Err(e.into()),
    })
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

pub async fn notifications(State(AppState { app, .. }): State<AppState>, page: Page) -> PageResult {
    let actor = page.actor()?.clone();
    Ok(match essaim_app::notifications::mine(&app, &actor).await {
        Ok(rows) => render(&NotificationsPage {
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
        }),
        Err(e) => return Err(e.into()),
    })
}

pub async fn read_notifications(
    State(AppState { app, .. }): State<AppState>,
    page: Page,
) -> PageResult {
    let actor = page.actor()?.clone();
    Ok(
        match essaim_app::notifications::mark_read(&app, &actor).await {
            Ok(()) => Redirect::to("/notifications").into_response(),
            Err(e) => return Err(e.into()),
        },
    )
}

/// GDP-02: the same data as a readable PDF.
pub async fn export_pdf(State(AppState { app, .. }): State<AppState>, page: Page) -> PageResult {
    let actor = page.actor()?.clone();
    Ok(match essaim_app::privacy::export_pdf(&app, &actor).await {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, "application/pdf".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"mes-donnees-essaim.pdf\"".to_owned(),
                ),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => return Err(e.into()),
    })
}
