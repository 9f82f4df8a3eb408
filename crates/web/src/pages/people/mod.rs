//! People: the list with filters and export, a person's file with its path, recording people and
//! path events, the deadlines dashboard, and the cooperative's lists.

mod deadlines;
mod file;
mod form;
mod list;
mod lists;

pub use deadlines::*;
pub use file::*;
pub use form::*;
pub use list::*;
pub use lists::*;

use crate::i18n::Tr;
use crate::pages::prelude::*;
use crate::view::table_file;
use essaim_app::people;
use essaim_app::records::{PersonFilter, PersonLine, PersonSort, RefItem};
use essaim_domain::ids::{PersonId, UserId};
use essaim_domain::path::{DeadlineBand, Path as DomainPath, PathEvent, PathEventInput, Status};
use essaim_domain::person::{Gender, PersonInput, RefList};
use essaim_domain::selling::terms::fr_date as date;
use time::Date;

fn label(items: &[RefItem], list: RefList, code: &Option<String>) -> String {
    code.as_ref()
        .map(|c| {
            items
                .iter()
                .find(|i| i.list == list.code() && &i.code == c)
                .map(|i| i.label.clone())
                .unwrap_or_else(|| c.clone())
        })
        .unwrap_or_default()
}

fn choices(items: &[RefItem], list: RefList, selected: &str) -> Vec<Choice> {
    items
        .iter()
        .filter(|i| i.list == list.code() && (i.active || i.code == selected))
        .map(|i| Choice::new(i.code.clone(), i.label.clone(), i.code == selected))
        .collect()
}

fn status_label(t: Tr, status: &str) -> String {
    t.get(&format!("status.{status}")).to_owned()
}
