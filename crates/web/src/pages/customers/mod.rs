//! Customers, the catalogue of an activity, and the cooperative's selling settings.

mod catalog;
mod list;
mod selling_settings;

pub use catalog::*;
pub use list::*;
pub use selling_settings::*;

use crate::error::{PageResult, render};
use crate::extract::{Ctx, Id};
use crate::forms;
use crate::paths;
use crate::view::Choice;
use crate::view::money;
use crate::view::{Errors, Layout, Page};
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query};
use axum::response::{IntoResponse, Redirect};
use essaim_app::App;
use essaim_app::selling::{self, ItemInput, SettingsInput};
use essaim_app::{AppError, CoopActor, activities};
use essaim_domain::access::{Permission, Target};
use essaim_domain::ids::{ActivityId, CatalogItemId, CustomerId};
use essaim_domain::selling::customer::{CustomerInput, EU_COUNTRIES, OTHER_COUNTRIES};
use essaim_domain::selling::{unit, vat};
use serde::Deserialize;
