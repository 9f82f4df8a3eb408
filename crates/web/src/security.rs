//! Request security: who is calling (session cookie for pages, bearer token for the API), the
//! CSRF check of every state-changing form, the language, and the security headers.

use crate::i18n::Tr;
use crate::state::AppState;
use axum::body::{Body, to_bytes};
use axum::extract::{ConnectInfo, FromRequest, Multipart, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use essaim_app::{Actor, auth};
use essaim_domain::account::Locale;
use std::net::SocketAddr;

pub const SESSION_COOKIE: &str = "essaim_session";
pub const CSRF_COOKIE: &str = "essaim_csrf";
pub const LANG_COOKIE: &str = "essaim_lang";
pub const CSRF_FIELD: &str = "_csrf";
/// Largest form body accepted (a document upload is the largest: 10 MiB and the form around it).
pub const MAX_FORM_BYTES: usize = 11 * 1024 * 1024;

/// What the middleware learnt about the request, for extractors and pages.
#[derive(Clone, Debug, Default)]
pub struct RequestContext {
    pub actor: Option<Actor>,
    pub csrf: String,
    pub locale: Locale,
    pub ip: String,
    /// Unread notifications of the signed-in person (pages only).
    pub unread: i64,
}

pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Lax, Secure when served over HTTPS.
pub fn set_cookie(name: &str, value: &str, max_age: Option<i64>, secure: bool) -> HeaderValue {
    let mut s = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax");
    if let Some(age) = max_age {
        s.push_str(&format!("; Max-Age={age}"));
    }
    if secure {
        s.push_str("; Secure");
    }
    HeaderValue::from_str(&s).unwrap_or_else(|_| HeaderValue::from_static(""))
}

fn client_ip(req: &Request, trust_forwarded: bool) -> String {
    if trust_forwarded
        && let Some(ip) = req
            .headers()
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
    {
        return ip.trim().chars().take(64).collect();
    }
    req.extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "local".into())
}

fn preferred_locale(headers: &HeaderMap) -> Locale {
    if let Some(l) = cookie(headers, LANG_COOKIE).and_then(Locale::parse) {
        return l;
    }
    let accept = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if accept.trim_start().starts_with("en") {
        Locale::En
    } else {
        Locale::Fr
    }
}

fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Finds the `_csrf` field of a form body (URL-encoded or multipart).
async fn body_token(
    parts: &axum::http::request::Parts,
    bytes: &axum::body::Bytes,
) -> Option<String> {
    let ct = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if ct.starts_with("application/x-www-form-urlencoded") {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(bytes).ok()?;
        pairs
            .into_iter()
            .find(|(k, _)| k == CSRF_FIELD)
            .map(|(_, v)| v)
    } else if ct.starts_with("multipart/form-data") {
        let mut req = Request::new(Body::from(bytes.clone()));
        // The router's body limit (`DefaultBodyLimit`, in the extensions) applies here too: an
        // upload up to MAX_FORM_BYTES is read, not refused at axum's default 2 MB.
        *req.extensions_mut() = parts.extensions.clone();
        req.headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_str(ct).ok()?);
        let mut mp = Multipart::from_request(req, &()).await.ok()?;
        while let Ok(Some(field)) = mp.next_field().await {
            if field.name() == Some(CSRF_FIELD) {
                return field.text().await.ok();
            }
        }
        None
    } else {
        None
    }
}

fn refuse(status: StatusCode, locale: Locale, key: &str) -> Response {
    let t = Tr::new(locale);
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        t.get(key).to_owned(),
    )
        .into_response()
}

/// Identifies the caller, checks CSRF on state-changing page requests, and hands a
/// [`RequestContext`] to the rest of the stack.
pub async fn context(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let ip = client_ip(&req, state.config.trust_forwarded_for);
    let is_api = req.uri().path().starts_with("/api/");
    let headers = req.headers().clone();
    let mut new_csrf_cookie = None;
    // The platform's callbacks present their own token, checked by their handler.
    let is_callback = req
        .uri()
        .path()
        .starts_with("/api/v1/einvoicing/callbacks/");
    let (actor, csrf) = if is_callback {
        (None, String::new())
    } else if is_api {
        let bearer = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        let actor = match bearer {
            Some(token) => match auth::resolve_token(&state.app, token.trim(), &ip).await {
                Ok(a) => a,
                Err(e) => return crate::error::ApiError(e).into_response(),
            },
            None => None,
        };
        (actor, String::new())
    } else {
        let session = match cookie(&headers, SESSION_COOKIE) {
            Some(token) => match auth::resolve_session(&state.app, token, &ip).await {
                Ok(s) => s,
                Err(e) => {
                    tracing::error!(error = %e, "session lookup");
                    return StatusCode::INTERNAL_SERVER_ERROR.into_response();
                }
            },
            None => None,
        };
        match session {
            Some((actor, csrf)) => (Some(actor), csrf),
            None => match cookie(&headers, CSRF_COOKIE)
                .filter(|c| c.len() == 64 && c.bytes().all(|b| b.is_ascii_hexdigit()))
            {
                Some(c) => (None, c.to_owned()),
                None => {
                    let token = essaim_app::secret::random_token().unwrap_or_default();
                    new_csrf_cookie = Some(token.clone());
                    (None, token)
                }
            },
        }
    };
    let locale = actor
        .as_ref()
        .map(|a| a.user.locale)
        .unwrap_or_else(|| preferred_locale(&headers));
    let unread = match (&actor, is_api) {
        (Some(a), false) => essaim_app::notifications::unread(&state.app, a)
            .await
            .unwrap_or(0),
        _ => 0,
    };
    let ctx = RequestContext {
        actor,
        csrf: csrf.clone(),
        locale,
        ip,
        unread,
    };

    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let mut req = req;
    if unsafe_method && !is_api {
        if let (Some(origin), Some(host)) = (
            headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()),
            headers.get(header::HOST).and_then(|v| v.to_str().ok()),
        ) {
            let origin_host = origin.split("://").nth(1).unwrap_or(origin);
            if origin_host != host {
                return refuse(StatusCode::FORBIDDEN, locale, "error.csrf");
            }
        }
        let (parts, body) = req.into_parts();
        let Ok(bytes) = to_bytes(body, MAX_FORM_BYTES).await else {
            return refuse(StatusCode::PAYLOAD_TOO_LARGE, locale, "error.too_large");
        };
        let token = body_token(&parts, &bytes).await;
        if !token.is_some_and(|t| !csrf.is_empty() && constant_time_eq(&t, &csrf)) {
            return refuse(StatusCode::FORBIDDEN, locale, "error.csrf");
        }
        req = Request::from_parts(parts, Body::from(bytes));
    }
    req.extensions_mut().insert(ctx);
    let mut response = next.run(req).await;
    if let Some(token) = new_csrf_cookie {
        response.headers_mut().append(
            header::SET_COOKIE,
            set_cookie(CSRF_COOKIE, &token, None, state.config.secure_cookies),
        );
    }
    response
}

/// Security headers on every response: a CSP without inline script, no framing, no sniffing,
/// a strict referrer policy, and no caching of pages that show private data.
pub async fn headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let mut response = next.run(req).await;
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        ),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
    );
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    if state.config.secure_cookies {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}
