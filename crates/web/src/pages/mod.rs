//! HTML pages, one module per area; templates mirror them under `templates/`.

pub mod account;
pub mod activities;
pub mod admin;
pub mod audit;
pub mod auth;
pub mod books;
pub mod coaching;
pub mod contracts;
pub mod customers;
pub mod directory;
pub mod documents;
pub mod einvoicing;
pub mod home;
pub mod jobs;
pub mod members;
pub mod payroll;
pub mod people;
pub mod sales;
pub mod settings;
pub mod spending;

/// What every page module uses: `use crate::pages::prelude::*;` (a folder's children get it
/// through `use super::*;`). Anything else a module imports itself.
pub mod prelude {
    pub use crate::error::{PageResult, render};
    pub use crate::extract::{Ctx, Id, LineId, Me};
    pub use crate::forms;
    pub use crate::paths;
    pub use crate::view::{self, Choice, Errors, Layout, Page};
    pub use askama::Template;
    pub use axum::Form;
    pub use axum::extract::{Path, Query};
    pub use axum::response::{IntoResponse, Redirect, Response};
    pub use essaim_app::{App, AppError, CoopActor};
    pub use serde::Deserialize;
}

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
