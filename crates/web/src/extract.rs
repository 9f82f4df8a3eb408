//! Typed extractors of page handlers: what a handler needs is in its signature.
//!
//! - [`Ctx`]: a page of a cooperative (`/c/{coop}/…`): the application, the person acting in that
//!   cooperative as the route guard admitted them, and the page frame.
//! - [`Me`]: a page of a signed-in person outside any cooperative (their account).
//! - [`Coop`]: the acting person alone, for handlers that answer no page (files, redirections).
//! - [`Id`]: the `{id}` of the path as a typed identifier (`Id<SaleDocId>`, `Id<PersonId>`…).
//!
//! A cooperative, or an id, that is not there answers 404, like one that belongs to another
//! cooperative: the two cannot be told apart.

use crate::error::PageError;
use crate::state::AppState;
use crate::view::Page;
use axum::extract::{FromRequestParts, RawPathParams};
use axum::http::request::Parts;
use essaim_app::{Actor, App, AppError, CoopActor};
use essaim_domain::ids;

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

/// What a page of a cooperative works with. Handlers take it apart in their signature:
/// `Ctx { app, coop, page }: Ctx`.
pub struct Ctx {
    pub app: App,
    pub coop: CoopActor,
    pub page: Page,
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = PageError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, PageError> {
        let Coop(coop) = Coop::from_request_parts(parts, state).await?;
        let Ok(page) = Page::from_request_parts(parts, state).await;
        Ok(Ctx {
            app: state.app.clone(),
            coop,
            page,
        })
    }
}

/// What a page of a signed-in person outside any cooperative works with (their account, their
/// notifications): the application, who they are, and the page frame. Nobody signed in: the
/// sign-in page.
pub struct Me {
    pub app: App,
    pub actor: Actor,
    pub page: Page,
}

impl FromRequestParts<AppState> for Me {
    type Rejection = PageError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, PageError> {
        let Ok(page) = Page::from_request_parts(parts, state).await;
        let actor = page.actor.clone().ok_or(AppError::Unauthenticated)?;
        Ok(Me {
            app: state.app.clone(),
            actor,
            page,
        })
    }
}

/// An identifier a path can name.
pub trait PathId: Sized {
    /// What a missing one is called in the 404.
    const WHAT: &'static str;
    fn from_raw(raw: i64) -> Self;
}

macro_rules! path_ids {
    ($($ty:ty => $what:literal),* $(,)?) => {$(
        impl PathId for $ty {
            const WHAT: &'static str = $what;
            fn from_raw(raw: i64) -> Self {
                <$ty>::new(raw)
            }
        }
    )*};
}

path_ids!(
    ids::SaleDocId => "document",
    ids::PersonId => "person",
    ids::ActivityId => "activity",
    ids::CustomerId => "customer",
    ids::CatalogItemId => "item",
    ids::UserId => "user",
    ids::RoleId => "role",
    ids::JobId => "job",
    ids::SessionId => "session",
    ids::ApiTokenId => "token",
    ids::EntryId => "entry",
);

/// Objects without an identifier type of their own yet (archives, entries, bank lines…).
impl PathId for i64 {
    const WHAT: &'static str = "object";
    fn from_raw(raw: i64) -> Self {
        raw
    }
}

/// The `{id}` segment of the path (a number), typed. One that is not a number is a 404.
pub struct Id<T>(pub T);

impl<S: Send + Sync, T: PathId> FromRequestParts<S> for Id<T> {
    type Rejection = PageError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, PageError> {
        let not_found = || PageError(AppError::NotFound(T::WHAT));
        let params = RawPathParams::from_request_parts(parts, state)
            .await
            .map_err(|_| not_found())?;
        params
            .iter()
            .find(|(name, _)| *name == "id")
            .and_then(|(_, value)| value.parse::<i64>().ok())
            .map(|raw| Id(T::from_raw(raw)))
            .ok_or_else(not_found)
    }
}

/// The `{line}` segment of the path: a line of a document (an expense, a trip). One that is not a
/// number is a 404.
pub struct LineId(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for LineId {
    type Rejection = PageError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, PageError> {
        let not_found = || PageError(AppError::NotFound("line"));
        let params = RawPathParams::from_request_parts(parts, state)
            .await
            .map_err(|_| not_found())?;
        params
            .iter()
            .find(|(name, _)| *name == "line")
            .and_then(|(_, value)| value.parse::<i64>().ok())
            .map(LineId)
            .ok_or_else(not_found)
    }
}
