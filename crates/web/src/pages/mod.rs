//! HTML pages, one module per area; templates mirror them under `templates/`.

pub mod account;
pub mod activities;
pub mod admin;
pub mod audit;
pub mod auth;
pub mod books;
pub mod contracts;
pub mod customers;
pub mod directory;
pub mod documents;
pub mod home;
pub mod jobs;
pub mod members;
pub mod people;
pub mod sales;
pub mod settings;

use crate::error::PageError;
use crate::view::Page;
use essaim_app::AppError;

pub async fn health() -> &'static str {
    "ok"
}

impl Page {
    /// The signed-in person (always present on routes that require one).
    pub fn actor(&self) -> Result<&essaim_app::Actor, PageError> {
        self.actor
            .as_ref()
            .ok_or(PageError(AppError::Unauthenticated))
    }
}

/// Keeps only local paths as redirect targets (no open redirect).
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_owned(),
        _ => "/".into(),
    }
}
