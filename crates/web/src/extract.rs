//! Typed extractors of page handlers: what a handler needs is in its signature.

use crate::error::PageError;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use essaim_app::{AppError, CoopActor};

/// The person acting in the cooperative of a `/c/{coop}/…` route, as the route guard admitted
/// them. On a route without a cooperative it is a 404, like an unknown cooperative.
pub struct Coop(pub CoopActor);

impl<S: Send + Sync> FromRequestParts<S> for Coop {
    type Rejection = PageError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<CoopActor>()
            .cloned()
            .map(Coop)
            .ok_or(PageError(AppError::NotFound("cooperative")))
    }
}

impl std::ops::Deref for Coop {
    type Target = CoopActor;
    fn deref(&self) -> &CoopActor {
        &self.0
    }
}
