//! Activities: the list (an entrepreneur sees their own), the form, and who runs each one.

mod form;
mod list;
mod page;

pub use form::*;
pub use list::*;
pub use page::*;

use crate::pages::prelude::*;
use crate::view::table_file;
use essaim_app::records::ActivityRecord;
use essaim_app::{activities, people};
use essaim_domain::access::Permission;
use essaim_domain::activity::{ActivityInput, format_share, parse_share};
use essaim_domain::ids::{ActivityId, UserId};
use essaim_domain::selling::terms::fr_date as date;
