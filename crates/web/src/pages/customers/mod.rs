//! Customers, the catalogue of an activity, and the cooperative's selling settings.

mod catalog;
mod list;
mod selling_settings;

pub use catalog::*;
pub use list::*;
pub use selling_settings::*;

use crate::pages::prelude::*;
use crate::view::money;
use essaim_app::selling::{ItemInput, SettingsInput};
use essaim_app::{activities, selling};
use essaim_domain::access::{Permission, Target};
use essaim_domain::ids::{ActivityId, CatalogItemId, CustomerId};
use essaim_domain::selling::customer::{CustomerInput, EU_COUNTRIES, OTHER_COUNTRIES};
use essaim_domain::selling::{unit, vat};
