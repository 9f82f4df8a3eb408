//! Signing in and out, and the forgotten-password journey.

use crate::pages::prelude::*;
use crate::security::{SESSION_COOKIE, set_cookie};
use crate::state::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use essaim_app::auth;

#[derive(Template)]
#[template(path = "auth/login.html")]
pub struct LoginPage {
    pub l: Layout,
    pub email: String,
    pub next: String,
    pub errors: Errors,
    pub notice: String,
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
    done: Option<String>,
}

pub async fn login_form(page: Page, Query(q): Query<NextQuery>) -> Response {
    if page.actor.is_some() {
        return Redirect::to(&super::safe_next(q.next.as_deref())).into_response();
    }
    let t = page.layout.t;
    let notice = if q.done.as_deref() == Some("reset") {
        t.get("login.reset_done").to_owned()
    } else {
        String::new()
    };
    render(&LoginPage {
        l: page.layout,
        email: String::new(),
        next: super::safe_next(q.next.as_deref()),
        errors: Errors::default(),
        notice,
    })
}

#[derive(Deserialize)]
pub struct LoginForm {
    email: String,
    password: String,
    next: Option<String>,
}

pub async fn login(
    State(AppState { app, config }): State<AppState>,
    page: Page,
    headers: HeaderMap,
    Form(f): Form<LoginForm>,
) -> PageResult {
    let ip = page.ip.clone();
    let ua = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let t = page.layout.t;
    Ok(
        match auth::sign_in(&app, &f.email, &f.password, &ip, ua).await {
            Ok(signed) => {
                let max_age = i64::try_from(app.config.session_absolute.as_secs()).ok();
                let cookie = set_cookie(
                    SESSION_COOKIE,
                    &signed.cookie_token,
                    max_age,
                    config.secure_cookies,
                );
                (
                    [(header::SET_COOKIE, cookie)],
                    Redirect::to(&super::safe_next(f.next.as_deref())),
                )
                    .into_response()
            }
            Err(e @ (AppError::InvalidCredentials | AppError::TooManyAttempts)) => {
                let key = if matches!(e, AppError::TooManyAttempts) {
                    "error.too_many_attempts"
                } else {
                    "error.invalid_credentials"
                };
                let status = if matches!(e, AppError::TooManyAttempts) {
                    StatusCode::TOO_MANY_REQUESTS
                } else {
                    StatusCode::UNPROCESSABLE_ENTITY
                };
                let p = LoginPage {
                    l: page.layout,
                    email: f.email,
                    next: super::safe_next(f.next.as_deref()),
                    errors: Errors::one("password", t.get(key).to_owned()),
                    notice: String::new(),
                };
                crate::error::render_status(status, &p)
            }
            Err(e) => return Err(e.into()),
        },
    )
}

pub async fn logout(State(AppState { app, config }): State<AppState>, page: Page) -> PageResult {
    if let Some(actor) = &page.actor
        && let Err(e) = auth::sign_out(&app, actor).await
    {
        return Err(e.into());
    }
    let cookie = set_cookie(SESSION_COOKIE, "", Some(0), config.secure_cookies);
    Ok(([(header::SET_COOKIE, cookie)], Redirect::to("/login")).into_response())
}

#[derive(Template)]
#[template(path = "auth/forgot.html")]
pub struct ForgotPage {
    pub l: Layout,
    pub email: String,
    pub errors: Errors,
    pub sent: bool,
    pub delivers: bool,
}

pub async fn forgot_form(State(AppState { app, .. }): State<AppState>, page: Page) -> Response {
    render(&ForgotPage {
        l: page.layout,
        email: String::new(),
        errors: Errors::default(),
        sent: false,
        delivers: app.mailer.delivers(),
    })
}

#[derive(Deserialize)]
pub struct ForgotForm {
    email: String,
}

pub async fn forgot(
    State(AppState { app, .. }): State<AppState>,
    page: Page,
    Form(f): Form<ForgotForm>,
) -> PageResult {
    let outcome = auth::request_reset(&app, &f.email, &page.ip).await;
    forms::stay(&page, outcome, async |shown| {
        Ok(render(&ForgotPage {
            l: page.layout.clone(),
            email: f.email,
            sent: shown.is_ok(),
            errors: shown.err().unwrap_or_default(),
            delivers: app.mailer.delivers(),
        }))
    })
    .await
}

#[derive(Template)]
#[template(path = "auth/reset.html")]
pub struct ResetPage {
    pub l: Layout,
    pub action: String,
    pub valid: bool,
    pub errors: Errors,
}

pub async fn reset_form(
    State(AppState { app, .. }): State<AppState>,
    page: Page,
    Path(token): Path<String>,
) -> PageResult {
    let valid = auth::reset_link_valid(&app, &token).await?;
    let status = if valid {
        StatusCode::OK
    } else {
        StatusCode::NOT_FOUND
    };
    Ok(crate::error::render_status(
        status,
        &ResetPage {
            l: page.layout,
            action: format!("/password/reset/{token}"),
            valid,
            errors: Errors::default(),
        },
    ))
}

#[derive(Deserialize)]
pub struct ResetForm {
    new_password: String,
    confirm_password: String,
}

pub async fn reset(
    State(AppState { app, .. }): State<AppState>,
    page: Page,
    Path(token): Path<String>,
    Form(f): Form<ResetForm>,
) -> PageResult {
    let (new, confirm) = (&f.new_password, &f.confirm_password);
    let outcome = match auth::reset_password(&app, &token, new, confirm, &page.ip).await {
        // The link is spent or unknown: the page says so.
        Err(AppError::NotFound(_)) => {
            let p = ResetPage {
                l: page.layout,
                action: String::new(),
                valid: false,
                errors: Errors::default(),
            };
            return Ok(crate::error::render_status(StatusCode::NOT_FOUND, &p));
        }
        outcome => outcome,
    };
    forms::submit(
        &page,
        outcome,
        |()| "/login?done=reset".into(),
        async |errors| {
            Ok(render(&ResetPage {
                l: page.layout.clone(),
                action: format!("/password/reset/{token}"),
                valid: true,
                errors,
            }))
        },
    )
    .await
}
