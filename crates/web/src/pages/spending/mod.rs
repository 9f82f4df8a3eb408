//! Spending: expense reports with receipts and trips, supplier invoices, and the SEPA transfers
//! that refund and pay them (issue 5).

mod payments;
mod received;
mod reports;
mod suppliers;

pub use payments::*;
pub use received::*;
pub use reports::*;
pub use suppliers::*;

use crate::pages::prelude::*;
use crate::view::money;
use essaim_app::spending;
use essaim_app::{activities, records};
use essaim_domain::access::{Permission, Target};
use essaim_domain::ids::ActivityId;

/// The activities the person may record spending for, as choices.
async fn own_activities(app: &App, coop: &CoopActor, selected: &str) -> Vec<Choice> {
    activities::names(app, coop)
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|(id, _)| {
            coop.access
                .allows(Permission::ExpenseManage, Target::Activity(*id))
        })
        .map(|(id, name)| Choice::new(id.to_string(), name, id.to_string() == selected))
        .collect()
}

/// The categories still offered, as choices.
fn category_choices(categories: &[records::CategoryRecord], selected: &str) -> Vec<Choice> {
    categories
        .iter()
        .filter(|c| !c.archived)
        .map(|c| Choice::new(c.code.clone(), c.label.clone(), c.code == selected))
        .collect()
}

fn category_label(categories: &[records::CategoryRecord], code: &str) -> String {
    categories
        .iter()
        .find(|c| c.code == code)
        .map(|c| c.label.clone())
        .unwrap_or_else(|| code.to_owned())
}

/// `2026-03` as `mars 2026`.
fn month_label(t: crate::i18n::Tr, month: &str) -> String {
    match month.split_once('-') {
        Some((y, m)) => format!(
            "{} {y}",
            t.get(&format!("books.month.{}", m.trim_start_matches('0')))
        ),
        None => month.to_owned(),
    }
}

fn date(d: time::Date) -> String {
    essaim_domain::selling::terms::fr_date(d)
}
