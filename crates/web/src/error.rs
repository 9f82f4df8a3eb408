//! One `AppError`, two presentations (STYLE 2.7): `PageError` renders an HTML page in the reader's
//! language, `ApiError` a JSON problem body naming the field.

use crate::i18n::Tr;
use crate::view::Layout;
use askama::Template;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use essaim_app::AppError;
use serde_json::json;

fn status_of(e: &AppError) -> (StatusCode, &'static str) {
    match e {
        AppError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
        AppError::Forbidden => (StatusCode::FORBIDDEN, "forbidden"),
        AppError::Unauthenticated | AppError::InvalidCredentials => {
            (StatusCode::UNAUTHORIZED, "unauthenticated")
        }
        AppError::TooManyAttempts => (StatusCode::TOO_MANY_REQUESTS, "too_many_attempts"),
        AppError::Invalid(_) | AppError::BadFile { .. } => {
            (StatusCode::UNPROCESSABLE_ENTITY, "invalid")
        }
        AppError::Storage(_) | AppError::Internal(_) => {
            (StatusCode::INTERNAL_SERVER_ERROR, "internal")
        }
        AppError::Upstream(_) => (StatusCode::BAD_GATEWAY, "upstream"),
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    l: Layout,
    title: String,
    message: String,
}

/// A page handler's error: the use case's [`AppError`], so that handlers return
/// [`PageResult`] and use `?`. It answers a bare status carrying the error; the route guard
/// ([`crate::routes`]), which wraps every route, turns it into the error page with the request's
/// layout in the reader's language ([`error_page`]): the one place a page error is rendered.
#[derive(Debug)]
pub struct PageError(pub AppError);

/// What a page handler returns.
pub type PageResult<T = Response> = Result<T, PageError>;

impl From<AppError> for PageError {
    fn from(e: AppError) -> Self {
        PageError(e)
    }
}

impl From<essaim_domain::FieldErrors> for PageError {
    fn from(e: essaim_domain::FieldErrors) -> Self {
        PageError(e.into())
    }
}

/// The error a page handler answered, waiting in the response for the guard to render it.
#[derive(Clone, Debug)]
pub struct PageFailure(pub std::sync::Arc<AppError>);

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let (status, _) = status_of(&self.0);
        let mut response = status.into_response();
        response
            .extensions_mut()
            .insert(PageFailure(std::sync::Arc::new(self.0)));
        response
    }
}

/// The error page of `error` in `layout`: a redirection to the sign-in page when nobody is signed
/// in, a logged 500 for internal errors, else the French/English page with its status.
pub fn error_page(error: &AppError, layout: Layout) -> Response {
    let (status, _) = status_of(error);
    if status == StatusCode::UNAUTHORIZED {
        return Redirect::to("/login").into_response();
    }
    if status == StatusCode::INTERNAL_SERVER_ERROR {
        tracing::error!(error = %error, "request failed");
    }
    let t = layout.t;
    let key = match status {
        StatusCode::NOT_FOUND => "error_page.not_found",
        StatusCode::FORBIDDEN => "error_page.forbidden",
        StatusCode::TOO_MANY_REQUESTS => "error.too_many_attempts",
        StatusCode::UNPROCESSABLE_ENTITY => "error_page.invalid",
        _ => "error_page.internal",
    };
    let page = ErrorPage {
        title: t.get("error_page.title").to_owned(),
        message: t.get(key).to_owned(),
        l: layout,
    };
    render_status(status, &page)
}

/// Renders a template with a status, or a plain 500 if rendering fails.
pub fn render_status<T: Template>(status: StatusCode, page: &T) -> Response {
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

pub fn render<T: Template>(page: &T) -> Response {
    render_status(StatusCode::OK, page)
}

/// An error answered as JSON: `{"error": {"code", "message", "fields": [{"field", "code", "message"}]}}`.
pub struct ApiError(pub AppError);

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        ApiError(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = status_of(&self.0);
        let t = Tr::new(essaim_domain::account::Locale::En);
        let body = match &self.0 {
            AppError::Invalid(errors) => json!({ "error": {
                "code": code,
                "message": "invalid input",
                "fields": errors.0.iter().map(|e| json!({ "field": e.path(), "code": e.code, "message": t.error(e.code) })).collect::<Vec<_>>(),
            }}),
            AppError::BadFile {
                code: file_code,
                line,
            } => json!({ "error": {
                "code": code,
                "message": "unreadable file",
                "fields": [{ "field": "file", "code": file_code, "line": line, "message": t.error(file_code) }],
            }}),
            AppError::Storage(_) | AppError::Internal(_) => {
                tracing::error!(error = %self.0, "api request failed");
                json!({ "error": { "code": code, "message": "internal error" } })
            }
            e => json!({ "error": { "code": code, "message": e.to_string() } }),
        };
        (status, Json(body)).into_response()
    }
}
