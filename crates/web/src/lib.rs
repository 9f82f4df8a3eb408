//! Essaim's HTTP side: the route table (each route declares who may use it), pages rendered with
//! askama, the JSON API under `/api/v1`, and the security middleware (sessions, CSRF, headers).
//! Handlers are thin: they extract, call one use case of `essaim-app`, and respond.

pub mod api;
pub mod assets;
pub mod error;
pub mod extract;
pub mod forms;
pub mod i18n;
pub mod pages;
pub mod paths;
pub mod routes;
pub mod security;
pub mod state;
pub mod view;

pub use routes::{Access, RouteSpec, route_specs, router};
pub use state::{AppState, Config};
