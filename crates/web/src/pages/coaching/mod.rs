//! Coaching (issue 9): the coach's dashboard (LIF-41), the agenda, an appointment's form and
//! page, the entrepreneur's own appointments with their calendar feed, and the topics.

mod appointments;
pub mod competences;
mod dashboard;
pub mod report;
pub mod trainings;
pub mod workshops;

pub use appointments::*;
pub use dashboard::*;

use crate::pages::prelude::*;
use essaim_app::coaching::AppointmentView;
use essaim_domain::coaching::appointment::Status;

/// The first value of `key` in a form read as pairs (empty when absent).
fn one(pairs: &[(String, String)], key: &str) -> String {
    pairs
        .iter()
        .find(|(n, _)| n == key)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

/// Every value of a repeated `key` (checkboxes, multiple selects).
fn many(pairs: &[(String, String)], key: &str) -> Vec<String> {
    pairs
        .iter()
        .filter(|(n, _)| n == key)
        .map(|(_, v)| v.clone())
        .collect()
}

/// The topics offered in a form (active ones, and those already chosen).
async fn topic_choices(
    app: &App,
    coop: &CoopActor,
    chosen: &[String],
) -> Result<Vec<Choice>, AppError> {
    Ok(essaim_app::coaching::topics(app, coop)
        .await?
        .into_iter()
        .filter(|tp| tp.active || chosen.contains(&tp.code))
        .map(|tp| {
            let selected = chosen.contains(&tp.code);
            Choice::new(tp.code, tp.label, selected)
        })
        .collect())
}

/// The funding programmes offered in a form (active ones, and the one already chosen).
async fn programme_choices(
    app: &App,
    coop: &CoopActor,
    chosen: &str,
) -> Result<Vec<Choice>, AppError> {
    let code = essaim_domain::person::RefList::Funding.code();
    Ok(essaim_app::people::lists(app, coop)
        .await?
        .into_iter()
        .filter(|i| i.list == code && (i.active || i.code == chosen))
        .map(|i| {
            let selected = i.code == chosen;
            Choice::new(i.code, i.label, selected)
        })
        .collect())
}

/// `14:30`.
fn hm(t: time::PrimitiveDateTime) -> String {
    format!("{:02}:{:02}", t.hour(), t.minute())
}

/// One appointment in a list.
pub struct AppointmentRow {
    pub href: String,
    pub when: String,
    pub minutes: i64,
    pub coach: String,
    pub with: String,
    pub mode: String,
    pub status: String,
    pub summary: Option<String>,
    pub actions: Vec<ActionRow>,
}

/// A next action, with the form that ticks it.
pub struct ActionRow {
    pub label: String,
    pub due: String,
    pub done: bool,
    pub late: bool,
    pub toggle: String,
}

fn row_of(
    t: crate::i18n::Tr,
    slug: &str,
    v: &AppointmentView,
    today: time::Date,
) -> AppointmentRow {
    let id = v.record.appointment_id;
    AppointmentRow {
        href: paths::appointment(slug, id),
        when: format!("{} {}", view::date(v.starts_at.date()), hm(v.starts_at)),
        minutes: v.record.minutes,
        coach: v.record.coach_name.clone(),
        with: v
            .people
            .iter()
            .map(|(_, f, l)| format!("{f} {l}"))
            .collect::<Vec<_>>()
            .join(", "),
        mode: t
            .get(&format!("coaching.mode.{}", v.record.mode))
            .to_owned(),
        status: t
            .get(&format!("coaching.status.{}", v.status.code()))
            .to_owned(),
        summary: v.record.summary.clone(),
        actions: actions_of(slug, v, today),
    }
}

fn actions_of(slug: &str, v: &AppointmentView, today: time::Date) -> Vec<ActionRow> {
    v.actions
        .iter()
        .map(|a| ActionRow {
            label: a.label.clone(),
            due: a.due_on.map(view::date).unwrap_or_default(),
            done: a.done_at.is_some(),
            late: a.done_at.is_none() && a.due_on.is_some_and(|d| d < today),
            toggle: paths::appointment_action(slug, v.record.appointment_id, a.position),
        })
        .collect()
}

/// The statuses an appointment may move to from `s`.
fn next_statuses(s: Status) -> Vec<Status> {
    Status::ALL
        .into_iter()
        .filter(|n| s.may_become(*n).is_ok())
        .collect()
}
