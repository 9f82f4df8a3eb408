//! Activities: the list (an entrepreneur sees their own), the form, and who runs each one.

mod form;
mod list;
mod page;

pub use form::*;
pub use list::*;
pub use page::*;

use crate::error::PageResult;
use crate::forms;

use crate::error::render;
use crate::extract::{Ctx, Id};
use crate::paths;
use crate::view::{Choice, Errors, Layout, Page, table_file};
use askama::Template;
use axum::Form;
use axum::extract::Query;
use essaim_app::App;
use essaim_app::records::ActivityRecord;
use essaim_app::{AppError, CoopActor, activities, people};
use essaim_domain::access::Permission;
use essaim_domain::activity::{ActivityInput, format_share, parse_share};
use essaim_domain::ids::{ActivityId, UserId};
use essaim_domain::selling::terms::fr_date as date;
use serde::Deserialize;
