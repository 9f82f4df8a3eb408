//! The application's error: what went wrong, in terms both the pages and the API can present.

use essaim_domain::FieldErrors;
use essaim_storage::StorageError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("you may not do this")]
    Forbidden,
    #[error("sign-in required")]
    Unauthenticated,
    #[error("wrong e-mail or password")]
    InvalidCredentials,
    #[error("too many attempts")]
    TooManyAttempts,
    #[error(transparent)]
    Invalid(#[from] FieldErrors),
    /// An uploaded file that cannot be read: a stable code and, when located, its 1-based line.
    #[error("unreadable file: {code}")]
    BadFile {
        code: &'static str,
        line: Option<usize>,
    },
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error("internal error: {0}")]
    Internal(String),
    /// An outside service (the e-invoicing platform) failed or refused: what it said.
    #[error("outside service: {0}")]
    Upstream(String),
}

impl AppError {
    /// A single invalid field.
    pub fn field(field: &'static str, code: &'static str) -> AppError {
        AppError::Invalid(FieldErrors::single(field, code))
    }
}
