//! Static files compiled into the binary and served under a content-hashed name, so they can be
//! cached forever and change URL when they change. No CDN.

use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use std::sync::LazyLock;

pub struct Asset {
    pub name: &'static str,
    pub content_type: &'static str,
    pub bytes: &'static [u8],
    /// `app.3f2a9c1b.css`
    pub hashed_name: String,
}

fn asset(name: &'static str, content_type: &'static str, bytes: &'static [u8]) -> Asset {
    let hash = hex::encode(Sha256::digest(bytes));
    let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
    Asset {
        name,
        content_type,
        bytes,
        hashed_name: format!("{stem}.{}.{ext}", &hash[..10]),
    }
}

pub static ASSETS: LazyLock<Vec<Asset>> = LazyLock::new(|| {
    vec![
        asset(
            "app.css",
            "text/css; charset=utf-8",
            include_bytes!("../static/app.css"),
        ),
        asset(
            "progress.js",
            "text/javascript; charset=utf-8",
            include_bytes!("../static/progress.js"),
        ),
        asset(
            "favicon.svg",
            "image/svg+xml",
            include_bytes!("../static/favicon.svg"),
        ),
    ]
});

/// The URL of a static file, with its hash.
pub fn url(name: &str) -> String {
    ASSETS
        .iter()
        .find(|a| a.name == name)
        .map(|a| format!("/static/{}", a.hashed_name))
        .unwrap_or_default()
}

pub async fn serve(Path(file): Path<String>) -> Response {
    match ASSETS.iter().find(|a| a.hashed_name == file) {
        Some(a) => (
            [
                (header::CONTENT_TYPE, a.content_type),
                (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
            ],
            a.bytes,
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
