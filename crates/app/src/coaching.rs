//! Coaching (issue 9): appointments between a coach and entrepreneurs, their invitations and
//! calendar feed, and the follow-up dashboard (LIF-41). Coaches hold `coaching.manage`; an
//! entrepreneur sees the appointments they take part in, with the shared summary and the next
//! actions, never the coach's private notes.

use crate::people::{Deadline, deadlines_of};
use crate::{App, AppError, CoopActor, audit, secret};
use essaim_domain::access::Permission;
use essaim_domain::account::Locale;
use essaim_domain::coaching::appointment::{
    self, Action, ActionInput, Appointment, AppointmentInput, Status,
};
use essaim_domain::coaching::follow_up::{FollowUp, follow_up};
use essaim_domain::coaching::{DEFAULT_TOPICS, topic_code};
use essaim_domain::ids::{PersonId, UserId};
use essaim_domain::params::{Param, whole};
use essaim_domain::path::Status as PathStatus;
use essaim_domain::validation::required_text;
use essaim_exchange::ics;
use essaim_storage::Tx;
use essaim_storage::coaching::{
    self as store, ActionRecord, AppointmentFilter, AppointmentRecord, NewAppointment, TopicRecord,
};
use essaim_storage::person::{PersonFilter, PersonLine};
use serde_json::json;
use std::collections::HashMap;
use time::{Date, PrimitiveDateTime};

// ---------------------------------------------------------------------------------------------
// Topics

/// The cooperative's topics: those it saved, or the defaults until it saves its own.
pub async fn topics(app: &App, actor: &CoopActor) -> Result<Vec<TopicRecord>, AppError> {
    let mut tx = app.store.read().await?;
    let out = topics_in(&mut tx, actor).await?;
    tx.commit().await?;
    Ok(out)
}

pub(crate) async fn topics_in(
    tx: &mut Tx,
    actor: &CoopActor,
) -> Result<Vec<TopicRecord>, AppError> {
    let saved = store::topics(tx, actor.cooperative).await?;
    if !saved.is_empty() {
        return Ok(saved);
    }
    Ok(DEFAULT_TOPICS
        .iter()
        .map(|(code, label)| TopicRecord {
            code: (*code).to_owned(),
            label: (*label).to_owned(),
            active: true,
        })
        .collect())
}

/// A topic as typed on the settings page.
#[derive(Clone, Debug, Default)]
pub struct TopicInput {
    pub code: String,
    pub label: String,
    pub active: bool,
}

/// Saves the list of topics (the defaults are written the first time).
pub async fn save_topics(
    app: &App,
    actor: &CoopActor,
    rows: &[TopicInput],
) -> Result<(), AppError> {
    actor.require(Permission::CoachingManage)?;
    let mut e = essaim_domain::FieldErrors::new();
    let mut checked = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        if r.code.trim().is_empty() && r.label.trim().is_empty() {
            continue;
        }
        let code = topic_code(&r.code);
        let label = required_text(&r.label, 100);
        if let Err(c) = code {
            e.add_row(i, "code", c);
        }
        if let Err(c) = label {
            e.add_row(i, "label", c);
        }
        if let (Ok(code), Ok(label)) = (code, label) {
            checked.push(TopicRecord {
                code,
                label,
                active: r.active,
            });
        }
    }
    if !e.is_empty() {
        return Err(e.into());
    }
    let mut tx = app.store.begin().await?;
    for t in topics_in(&mut tx, actor).await? {
        store::save_topic(&mut tx, actor.cooperative, &t).await?;
    }
    for t in &checked {
        store::save_topic(&mut tx, actor.cooperative, t).await?;
    }
    audit::record_in(
        &mut tx,
        app,
        actor,
        "coaching.topics_saved",
        ("cooperative", actor.cooperative.to_string()),
        json!({ "topics": checked.len() }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Appointments

/// Another appointment of the same coach at an overlapping time: flagged, not refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Overlap {
    pub appointment_id: i64,
    pub starts_at: PrimitiveDateTime,
}

fn start_of(r: &AppointmentRecord) -> PrimitiveDateTime {
    essaim_domain::coaching::wall_clock(r.starts_on, r.start_minute)
}

fn end_of(r: &AppointmentRecord) -> PrimitiveDateTime {
    start_of(r) + time::Duration::minutes(r.minutes)
}

fn minute_of(t: PrimitiveDateTime) -> i64 {
    i64::from(t.hour()) * 60 + i64::from(t.minute())
}

/// The funding programme typed: empty, or a code of the cooperative's `funding` list.
pub(crate) async fn programme_in(
    tx: &mut Tx,
    actor: &CoopActor,
    code: &str,
) -> Result<Option<String>, AppError> {
    let c = code.trim();
    if c.is_empty() {
        return Ok(None);
    }
    let items = essaim_storage::person::list_items(tx, actor.cooperative).await?;
    if items
        .iter()
        .any(|i| i.list == essaim_domain::person::RefList::Funding.code() && i.code == c)
    {
        Ok(Some(c.to_owned()))
    } else {
        Err(AppError::field("programme", "programme_unknown"))
    }
}

async fn check(
    tx: &mut Tx,
    actor: &CoopActor,
    input: &AppointmentInput,
    actions: &[ActionInput],
) -> Result<(Appointment, Vec<Action>, Option<String>), AppError> {
    let codes: Vec<String> = topics_in(tx, actor)
        .await?
        .into_iter()
        .filter(|t| t.active || input.topics.contains(&t.code))
        .map(|t| t.code)
        .collect();
    let parsed = appointment::parse(input, &codes);
    let acts = appointment::parse_actions(actions);
    let (a, acts) = match (parsed, acts) {
        (Ok(a), Ok(acts)) => (a, acts),
        (Err(mut e), Err(e2)) => {
            e.0.extend(e2.0);
            return Err(e.into());
        }
        (Err(e), _) | (_, Err(e)) => return Err(e.into()),
    };
    for p in &a.people {
        if essaim_storage::person::find(tx, actor.cooperative, PersonId::new(*p))
            .await?
            .is_none()
        {
            return Err(AppError::field("people", "person_unknown"));
        }
    }
    let programme = programme_in(tx, actor, &input.programme).await?;
    Ok((a, acts, programme))
}

async fn overlaps(
    tx: &mut Tx,
    actor: &CoopActor,
    coach: UserId,
    a: &Appointment,
    except: Option<i64>,
) -> Result<Vec<Overlap>, AppError> {
    let day = store::coach_day(tx, actor.cooperative, coach, a.starts_at.date()).await?;
    Ok(day
        .iter()
        .filter(|r| Some(r.appointment_id) != except && r.status != Status::Cancelled.code())
        .filter(|r| appointment::overlaps((start_of(r), end_of(r)), (a.starts_at, a.ends_at())))
        .map(|r| Overlap {
            appointment_id: r.appointment_id,
            starts_at: start_of(r),
        })
        .collect())
}

/// Plans an appointment (the creator is its coach) and e-mails its invitation to the people met.
/// Returns its id and the coach's other appointments it overlaps.
pub async fn create(
    app: &App,
    actor: &CoopActor,
    input: &AppointmentInput,
    actions: &[ActionInput],
) -> Result<(i64, Vec<Overlap>), AppError> {
    actor.require(Permission::CoachingManage)?;
    let mut tx = app.store.begin().await?;
    let (a, acts, programme) = check(&mut tx, actor, input, actions).await?;
    let coach = actor.user().id;
    let found = overlaps(&mut tx, actor, coach, &a, None).await?;
    let now = app.clock.now();
    let topics = a.topics.join(",");
    let id = store::insert_appointment(
        &mut tx,
        actor.cooperative,
        &NewAppointment {
            coach,
            starts_on: a.starts_at.date(),
            start_minute: minute_of(a.starts_at),
            minutes: a.minutes,
            mode: a.mode.code(),
            place: a.place.as_deref(),
            topics: &topics,
            private_notes: a.private_notes.as_deref(),
            summary: a.summary.as_deref(),
            status: Status::Planned.code(),
            programme: programme.as_deref(),
        },
        coach,
        now,
    )
    .await?;
    store::set_people(&mut tx, id, &a.people).await?;
    store::set_actions(&mut tx, id, &action_rows(&acts)).await?;
    audit::record_in(
        &mut tx,
        app,
        actor,
        "appointment.created",
        ("appointment", id.to_string()),
        json!({ "people": a.people.len(), "on": a.starts_at.date().to_string() }),
    )
    .await?;
    invite(&mut tx, app, actor, id, ics::Method::Request).await?;
    tx.commit().await?;
    Ok((id, found))
}

fn action_rows(acts: &[Action]) -> Vec<(String, Option<Date>)> {
    acts.iter().map(|a| (a.label.clone(), a.due_on)).collect()
}

async fn load(tx: &mut Tx, actor: &CoopActor, id: i64) -> Result<AppointmentRecord, AppError> {
    store::appointment(tx, actor.cooperative, id)
        .await?
        .ok_or(AppError::NotFound("appointment"))
}

/// Rewrites an appointment; a change of day, time or place sends the invitation again.
pub async fn update(
    app: &App,
    actor: &CoopActor,
    id: i64,
    input: &AppointmentInput,
    actions: &[ActionInput],
) -> Result<Vec<Overlap>, AppError> {
    actor.require(Permission::CoachingManage)?;
    let mut tx = app.store.begin().await?;
    let before = load(&mut tx, actor, id).await?;
    let (a, acts, programme) = check(&mut tx, actor, input, actions).await?;
    let coach = UserId::new(before.coach_user_id);
    let found = overlaps(&mut tx, actor, coach, &a, Some(id)).await?;
    let now = app.clock.now();
    let topics = a.topics.join(",");
    store::update_appointment(
        &mut tx,
        actor.cooperative,
        id,
        &NewAppointment {
            coach,
            starts_on: a.starts_at.date(),
            start_minute: minute_of(a.starts_at),
            minutes: a.minutes,
            mode: a.mode.code(),
            place: a.place.as_deref(),
            topics: &topics,
            private_notes: a.private_notes.as_deref(),
            summary: a.summary.as_deref(),
            status: &before.status,
            programme: programme.as_deref(),
        },
        now,
    )
    .await?;
    let people_before: Vec<i64> = store::people_of(&mut tx, id)
        .await?
        .iter()
        .map(|p| p.0)
        .collect();
    store::set_people(&mut tx, id, &a.people).await?;
    store::set_actions(&mut tx, id, &action_rows(&acts)).await?;
    audit::record_in(
        &mut tx,
        app,
        actor,
        "appointment.updated",
        ("appointment", id.to_string()),
        json!({ "people": a.people.len() }),
    )
    .await?;
    let moved = before.starts_on != a.starts_at.date()
        || before.start_minute != minute_of(a.starts_at)
        || before.minutes != a.minutes
        || before.place != a.place
        || people_before != a.people;
    if moved && before.status == Status::Planned.code() {
        invite(&mut tx, app, actor, id, ics::Method::Request).await?;
    }
    tx.commit().await?;
    Ok(found)
}

/// Marks an appointment held, cancelled or a no-show (or back to planned). Cancelling tells the
/// people met.
pub async fn set_status(
    app: &App,
    actor: &CoopActor,
    id: i64,
    status: &str,
) -> Result<(), AppError> {
    actor.require(Permission::CoachingManage)?;
    let next = Status::parse(status).ok_or(AppError::field("status", "status_unknown"))?;
    let mut tx = app.store.begin().await?;
    let before = load(&mut tx, actor, id).await?;
    let current = Status::parse(&before.status)
        .ok_or_else(|| AppError::Internal("stored appointment status".into()))?;
    current
        .may_become(next)
        .map_err(|c| AppError::field("status", c))?;
    store::set_status(&mut tx, actor.cooperative, id, next.code(), app.clock.now()).await?;
    audit::record_in(
        &mut tx,
        app,
        actor,
        "appointment.status",
        ("appointment", id.to_string()),
        json!({ "from": current.code(), "to": next.code() }),
    )
    .await?;
    if next == Status::Cancelled {
        invite(&mut tx, app, actor, id, ics::Method::Cancel).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// An appointment as one person may see it.
#[derive(Clone, Debug)]
pub struct AppointmentView {
    pub record: AppointmentRecord,
    pub status: Status,
    pub starts_at: PrimitiveDateTime,
    /// (person id, first name, last name).
    pub people: Vec<(i64, String, String)>,
    pub actions: Vec<ActionRecord>,
    /// Labels of its topics.
    pub topics: Vec<String>,
    /// A coach: may edit it, read the private notes.
    pub may_manage: bool,
}

/// The person file of the signed-in person, if they have one.
async fn own_person(tx: &mut Tx, actor: &CoopActor) -> Result<Option<i64>, AppError> {
    Ok(crate::people::own_file(tx, actor)
        .await?
        .map(|p| p.id.get()))
}

/// One appointment: for a coach, whole; for someone met, without the private notes; for anyone
/// else, not found.
pub async fn show(app: &App, actor: &CoopActor, id: i64) -> Result<AppointmentView, AppError> {
    let mut tx = app.store.read().await?;
    let view = view_in(&mut tx, actor, id).await?;
    tx.commit().await?;
    Ok(view)
}

async fn view_in(tx: &mut Tx, actor: &CoopActor, id: i64) -> Result<AppointmentView, AppError> {
    let mut record = load(tx, actor, id).await?;
    let people = store::people_of(tx, id).await?;
    let may_manage = actor.may(Permission::CoachingManage);
    if !may_manage {
        let me = own_person(tx, actor).await?;
        if me.is_none_or(|me| !people.iter().any(|p| p.0 == me)) {
            return Err(AppError::NotFound("appointment"));
        }
        record.private_notes = None;
    }
    let labels = topics_in(tx, actor).await?;
    let topics = record
        .topics
        .split(',')
        .filter(|c| !c.is_empty())
        .map(|c| {
            labels
                .iter()
                .find(|t| t.code == c)
                .map_or_else(|| c.to_owned(), |t| t.label.clone())
        })
        .collect();
    Ok(AppointmentView {
        status: Status::parse(&record.status).unwrap_or(Status::Planned),
        starts_at: start_of(&record),
        actions: store::actions(tx, id).await?,
        people: people.into_iter().map(|p| (p.0, p.1, p.2)).collect(),
        topics,
        may_manage,
        record,
    })
}

/// The views of a list of appointments, with their people, actions and topics read once for
/// the whole list; what [`view_in`] gives one by one (a reader who is not a coach gets only the
/// appointments they take part in, without the private notes).
async fn views_of(
    tx: &mut Tx,
    actor: &CoopActor,
    rows: Vec<AppointmentRecord>,
) -> Result<Vec<AppointmentView>, AppError> {
    let ids: Vec<i64> = rows.iter().map(|r| r.appointment_id).collect();
    let mut people: HashMap<i64, Vec<(i64, String, String)>> = HashMap::new();
    for (a, p, first, last, _) in store::people_of_many(tx, &ids).await? {
        people.entry(a).or_default().push((p, first, last));
    }
    let mut actions: HashMap<i64, Vec<ActionRecord>> = HashMap::new();
    for (a, x) in store::actions_of_many(tx, &ids).await? {
        actions.entry(a).or_default().push(x);
    }
    let labels = topics_in(tx, actor).await?;
    let may_manage = actor.may(Permission::CoachingManage);
    let me = if may_manage {
        None
    } else {
        own_person(tx, actor).await?
    };
    let mut out = Vec::with_capacity(rows.len());
    for mut record in rows {
        let id = record.appointment_id;
        let mine = people.remove(&id).unwrap_or_default();
        if !may_manage {
            if me.is_none_or(|me| !mine.iter().any(|p| p.0 == me)) {
                continue;
            }
            record.private_notes = None;
        }
        let topics = record
            .topics
            .split(',')
            .filter(|c| !c.is_empty())
            .map(|c| {
                labels
                    .iter()
                    .find(|t| t.code == c)
                    .map_or_else(|| c.to_owned(), |t| t.label.clone())
            })
            .collect();
        out.push(AppointmentView {
            status: Status::parse(&record.status).unwrap_or(Status::Planned),
            starts_at: start_of(&record),
            actions: actions.remove(&id).unwrap_or_default(),
            people: mine,
            topics,
            may_manage,
            record,
        });
    }
    Ok(out)
}

/// Whether the reader may see an appointment (a coach, or a person met); not found otherwise.
pub(crate) async fn may_see(tx: &mut Tx, actor: &CoopActor, id: i64) -> Result<bool, AppError> {
    view_in(tx, actor, id).await.map(|_| true)
}

/// Which appointments the agenda shows.
#[derive(Clone, Debug, Default)]
pub struct AgendaFilter {
    /// One coach's (the signed-in coach's), or every coach's.
    pub coach: Option<UserId>,
    pub from: Option<Date>,
    pub to: Option<Date>,
}

/// The agenda, in date order.
pub async fn agenda_views(
    app: &App,
    actor: &CoopActor,
    f: &AgendaFilter,
) -> Result<Vec<AppointmentView>, AppError> {
    actor.require(Permission::CoachingManage)?;
    let mut tx = app.store.read().await?;
    let rows = store::list(
        &mut tx,
        actor.cooperative,
        &AppointmentFilter {
            coach: f.coach,
            from: f.from,
            to: f.to,
            ..AppointmentFilter::default()
        },
        false,
        500,
    )
    .await?;
    let out = views_of(&mut tx, actor, rows).await?;
    tx.commit().await?;
    Ok(out)
}

/// A person's appointments, newest first: their own (an entrepreneur), or anyone's for a coach
/// (a person's file). Private notes only for coaches.
pub async fn of_person(
    app: &App,
    actor: &CoopActor,
    person: Option<PersonId>,
) -> Result<Vec<AppointmentView>, AppError> {
    let mut tx = app.store.read().await?;
    let who = match person {
        Some(p) => {
            actor.require(Permission::CoachingManage)?;
            Some(p.get())
        }
        None => own_person(&mut tx, actor).await?,
    };
    let Some(who) = who else {
        tx.commit().await?;
        return Ok(Vec::new());
    };
    let rows = store::list(
        &mut tx,
        actor.cooperative,
        &AppointmentFilter {
            person: Some(who),
            ..AppointmentFilter::default()
        },
        true,
        200,
    )
    .await?;
    let out = views_of(&mut tx, actor, rows).await?;
    tx.commit().await?;
    Ok(out)
}

/// Ticks a next action done (or not): the coach, or a person the appointment was with.
pub async fn action_done(
    app: &App,
    actor: &CoopActor,
    id: i64,
    position: i64,
    done: bool,
) -> Result<(), AppError> {
    let mut tx = app.store.begin().await?;
    view_in(&mut tx, actor, id).await?;
    let at = done.then(|| app.clock.now());
    if !store::set_action_done(&mut tx, id, position, at).await? {
        return Err(AppError::NotFound("action"));
    }
    audit::record_in(
        &mut tx,
        app,
        actor,
        "appointment.action_done",
        ("appointment", id.to_string()),
        json!({ "position": position, "done": done }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The people an appointment may be with: everyone followed and not gone, by name.
pub async fn people_choices(app: &App, actor: &CoopActor) -> Result<Vec<(i64, String)>, AppError> {
    actor.require(Permission::CoachingManage)?;
    let mut tx = app.store.read().await?;
    let (people, _) = essaim_storage::person::list(
        &mut tx,
        actor.cooperative,
        &PersonFilter::default(),
        100_000,
        0,
    )
    .await?;
    tx.commit().await?;
    Ok(people
        .into_iter()
        .filter(|p| {
            p.status != PathStatus::Exited.code() && p.status != PathStatus::NotAdmitted.code()
        })
        .map(|p| (p.person_id, format!("{} {}", p.last_name, p.first_name)))
        .collect())
}

// ---------------------------------------------------------------------------------------------
// Calendar: invitations, the file of one appointment, the personal feed

fn event_of(v: &AppointmentView, slug: &str, locale: Locale) -> ics::Event {
    let r = &v.record;
    let with: Vec<String> = v
        .people
        .iter()
        .map(|(_, f, l)| format!("{f} {l}"))
        .collect();
    let (title, mode) = match locale {
        Locale::Fr => ("Rendez-vous d'accompagnement", mode_fr(&r.mode)),
        Locale::En => ("Coaching appointment", r.mode.replace('_', " ")),
    };
    let mut description = format!("{mode} — {}", with.join(", "));
    if !v.topics.is_empty() {
        description.push_str(&format!("\n{}", v.topics.join(", ")));
    }
    ics::Event {
        uid: format!("appointment-{}@{slug}.essaim", r.appointment_id),
        sequence: r.updated_at.unix_timestamp().max(0),
        starts_at: v.starts_at,
        ends_at: end_of(r),
        summary: format!("{title} — {}", r.coach_name),
        description,
        location: r.place.clone().unwrap_or_default(),
        cancelled: v.status == Status::Cancelled,
        stamp: r.updated_at,
        organizer: None,
        attendees: Vec::new(),
    }
}

fn mode_fr(code: &str) -> String {
    match code {
        "in_person" => "En présentiel",
        "phone" => "Par téléphone",
        "video" => "En visio",
        other => other,
    }
    .to_owned()
}

/// Where to write to a person: the address on their file, else their account's, in the
/// account's language (French without one).
pub(crate) struct Contact {
    pub email: String,
    pub locale: Locale,
    pub user: Option<UserId>,
}

pub(crate) async fn contact_of(
    tx: &mut Tx,
    coop: essaim_domain::ids::CooperativeId,
    person: i64,
) -> Result<Option<Contact>, AppError> {
    let Some(p) = essaim_storage::person::find(tx, coop, PersonId::new(person)).await? else {
        return Ok(None);
    };
    let account = match p.user_id {
        Some(u) => essaim_storage::account::find(tx, u).await?,
        None => None,
    };
    let email = p
        .details
        .email
        .as_ref()
        .map(|e| e.as_str().to_owned())
        .or_else(|| account.as_ref().map(|a| a.email.as_str().to_owned()));
    Ok(email.map(|email| Contact {
        email,
        locale: account.as_ref().map_or(Locale::Fr, |a| a.locale),
        user: p.user_id,
    }))
}

/// E-mails the appointment's calendar invitation (or its cancellation) to the people met who
/// have an address, each in their language.
async fn invite(
    tx: &mut Tx,
    app: &App,
    actor: &CoopActor,
    id: i64,
    method: ics::Method,
) -> Result<(), AppError> {
    let v = view_in(tx, actor, id).await?;
    for (person, first, last) in &v.people {
        let Some(Contact { email, locale, .. }) =
            contact_of(tx, actor.cooperative, *person).await?
        else {
            continue;
        };
        let mut event = event_of(&v, &actor.slug, locale);
        event.attendees = vec![(format!("{first} {last}"), email.clone())];
        let mut bytes = Vec::new();
        ics::write(&actor.cooperative_name, method, &[event], &mut bytes);
        let when = format!(
            "{} {:02}h{:02}",
            essaim_domain::selling::terms::fr_date(v.starts_at.date()),
            v.starts_at.hour(),
            v.starts_at.minute()
        );
        let (subject, body) = match (locale, method) {
            (Locale::Fr, ics::Method::Cancel) => (
                format!("Rendez-vous annulé : {when}"),
                format!(
                    "Bonjour {first},\n\nVotre rendez-vous d'accompagnement avec {} du {when} est annulé.\n",
                    v.record.coach_name
                ),
            ),
            (Locale::Fr, _) => (
                format!("Rendez-vous d'accompagnement : {when}"),
                format!(
                    "Bonjour {first},\n\nVotre rendez-vous d'accompagnement avec {} : {when} ({} minutes), {}{}.\nL'invitation jointe l'ajoute à votre agenda.\n",
                    v.record.coach_name,
                    v.record.minutes,
                    mode_fr(&v.record.mode).to_lowercase(),
                    v.record
                        .place
                        .as_deref()
                        .map(|p| format!(", {p}"))
                        .unwrap_or_default()
                ),
            ),
            (Locale::En, ics::Method::Cancel) => (
                format!("Appointment cancelled: {when}"),
                format!(
                    "Hello {first},\n\nYour coaching appointment with {} on {when} is cancelled.\n",
                    v.record.coach_name
                ),
            ),
            (Locale::En, _) => (
                format!("Coaching appointment: {when}"),
                format!(
                    "Hello {first},\n\nYour coaching appointment with {}: {when} ({} minutes){}.\nThe attached invitation adds it to your calendar.\n",
                    v.record.coach_name,
                    v.record.minutes,
                    v.record
                        .place
                        .as_deref()
                        .map(|p| format!(", {p}"))
                        .unwrap_or_default()
                ),
            ),
        };
        crate::jobs::enqueue_email_with_calendar(
            tx,
            app,
            Some(actor.cooperative),
            &email,
            &crate::mail::MailContent {
                subject: format!("Essaim : {subject}"),
                body,
            },
            String::from_utf8_lossy(&bytes).into_owned(),
        )
        .await?;
    }
    Ok(())
}

/// The `.ics` file of one appointment (for those who may see it).
pub async fn ics_of(app: &App, actor: &CoopActor, id: i64) -> Result<Vec<u8>, AppError> {
    let v = show(app, actor, id).await?;
    let mut bytes = Vec::new();
    ics::write(
        &actor.cooperative_name,
        ics::Method::Publish,
        &[event_of(&v, &actor.slug, actor.user().locale)],
        &mut bytes,
    );
    Ok(bytes)
}

/// Creates (or replaces) the person's calendar feed: the secret address, shown once; the old
/// address stops working.
pub async fn new_feed(app: &App, actor: &CoopActor) -> Result<String, AppError> {
    let token = secret::random_token()?;
    let mut tx = app.store.begin().await?;
    store::set_feed(
        &mut tx,
        actor.cooperative,
        actor.user().id,
        &secret::token_hash(&token),
        app.clock.now(),
    )
    .await?;
    audit::record_in(
        &mut tx,
        app,
        actor,
        "calendar.feed_created",
        ("user", actor.user().id.to_string()),
        json!({}),
    )
    .await?;
    tx.commit().await?;
    Ok(token)
}

/// Whether the person has a calendar feed.
pub async fn has_feed(app: &App, actor: &CoopActor) -> Result<bool, AppError> {
    let mut tx = app.store.read().await?;
    let out = store::has_feed(&mut tx, actor.cooperative, actor.user().id).await?;
    tx.commit().await?;
    Ok(out)
}

/// How far back a feed reaches.
const FEED_DAYS_BACK: i64 = 90;

/// The feed a secret token opens: the owner's appointments from 90 days back, as a coach or as
/// a person met (private notes never leave). An unknown token is not found.
pub async fn feed(app: &App, token: &str) -> Result<Vec<u8>, AppError> {
    let mut tx = app.store.read().await?;
    let (coop, user) = store::feed_owner(&mut tx, &secret::token_hash(token))
        .await?
        .ok_or(AppError::NotFound("calendar"))?;
    let coop = essaim_domain::ids::CooperativeId::new(coop);
    let user = UserId::new(user);
    let c = essaim_storage::cooperative::find(&mut tx, coop)
        .await?
        .ok_or(AppError::NotFound("calendar"))?;
    let account = essaim_storage::account::find(&mut tx, user)
        .await?
        .ok_or(AppError::NotFound("calendar"))?;
    let from = app.clock.today() - time::Duration::days(FEED_DAYS_BACK);
    let mut rows = store::list(
        &mut tx,
        coop,
        &AppointmentFilter {
            coach: Some(user),
            from: Some(from),
            ..AppointmentFilter::default()
        },
        false,
        2000,
    )
    .await?;
    if let Some(p) = essaim_storage::person::find_by_user(&mut tx, coop, user).await? {
        rows.extend(
            store::list(
                &mut tx,
                coop,
                &AppointmentFilter {
                    person: Some(p.id.get()),
                    from: Some(from),
                    ..AppointmentFilter::default()
                },
                false,
                2000,
            )
            .await?,
        );
    }
    rows.sort_by_key(|r| (r.starts_on, r.start_minute, r.appointment_id));
    rows.dedup_by_key(|r| r.appointment_id);
    let ids: Vec<i64> = rows.iter().map(|r| r.appointment_id).collect();
    let mut people: HashMap<i64, Vec<(i64, String, String)>> = HashMap::new();
    for (a, p, first, last, _) in store::people_of_many(&mut tx, &ids).await? {
        people.entry(a).or_default().push((p, first, last));
    }
    let mut events = Vec::with_capacity(rows.len());
    for r in rows {
        let v = AppointmentView {
            status: Status::parse(&r.status).unwrap_or(Status::Planned),
            starts_at: start_of(&r),
            people: people.remove(&r.appointment_id).unwrap_or_default(),
            actions: Vec::new(),
            topics: Vec::new(),
            may_manage: false,
            record: AppointmentRecord {
                private_notes: None,
                ..r
            },
        };
        events.push(event_of(&v, &c.slug, account.locale));
    }
    tx.commit().await?;
    let mut bytes = Vec::new();
    ics::write(
        &c.identity.legal_name,
        ics::Method::Publish,
        &events,
        &mut bytes,
    );
    Ok(bytes)
}

// ---------------------------------------------------------------------------------------------
// The coach dashboard (issue 9, point 2)

/// An entrepreneur and their interviews.
#[derive(Clone, Debug)]
pub struct Followed {
    pub person: PersonLine,
    pub follow_up: FollowUp,
}

#[derive(Clone, Debug, Default)]
pub struct Dashboard {
    /// Entrepreneurs whose next interview is overdue (LIF-41), the longest overdue first.
    pub late: Vec<Followed>,
    /// Entrepreneurs with nobody as referent.
    pub no_referent: Vec<PersonLine>,
    pub deadlines: Vec<Deadline>,
    /// How many entrepreneurs are supported in all.
    pub supported: usize,
    /// The coach's next appointments.
    pub upcoming: Vec<AppointmentRecord>,
}

pub async fn dashboard(app: &App, actor: &CoopActor) -> Result<Dashboard, AppError> {
    actor.require(Permission::CoachingManage)?;
    actor.require(Permission::PersonRead)?;
    let today = app.clock.today();
    let due = whole(Param::SupportInterviewsPerYear, today)
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let mut tx = app.store.read().await?;
    let (people, _) = essaim_storage::person::list(
        &mut tx,
        actor.cooperative,
        &PersonFilter::default(),
        100_000,
        0,
    )
    .await?;
    let created = essaim_storage::person::created_days(&mut tx, actor.cooperative).await?;
    let mut held: std::collections::HashMap<i64, Vec<Date>> = std::collections::HashMap::new();
    let year_start =
        Date::from_calendar_date(today.year(), time::Month::January, 1).unwrap_or(today);
    for (p, d) in store::held_days(&mut tx, actor.cooperative, year_start, today).await? {
        held.entry(p).or_default().push(d);
    }
    let deadlines = deadlines_of(&mut tx, actor.cooperative, today).await?;
    let upcoming = store::list(
        &mut tx,
        actor.cooperative,
        &AppointmentFilter {
            coach: Some(actor.user().id),
            from: Some(today),
            status: Some(Status::Planned.code().to_owned()),
            ..AppointmentFilter::default()
        },
        false,
        10,
    )
    .await?;
    tx.commit().await?;
    let mut out = Dashboard {
        deadlines,
        upcoming,
        ..Dashboard::default()
    };
    for p in people {
        let supported = PathStatus::parse(&p.status).is_some_and(PathStatus::is_supported);
        if !supported || p.suspended {
            continue;
        }
        out.supported += 1;
        if p.referent_user_id.is_none() {
            out.no_referent.push(p.clone());
        }
        let since = created.get(&p.person_id).copied().unwrap_or(today);
        let f = follow_up(
            held.get(&p.person_id).map_or(&[][..], Vec::as_slice),
            since,
            today,
            due,
        );
        if f.late {
            out.late.push(Followed {
                person: p,
                follow_up: f,
            });
        }
    }
    out.late.sort_by_key(|f| f.follow_up.next_due);
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Demo

const DEMO_SUMMARIES: [&str; 6] = [
    "Point sur le chiffre d'affaires du trimestre et les relances clients.",
    "Travail sur la grille de prix : passer à un forfait pour les petites prestations.",
    "Préparation du salon professionnel ; budget et supports de communication.",
    "Bilan des devis envoyés ; deux pistes à relancer, une formation à suivre.",
    "Questions sur le passage en CESA et la rémunération des prochains mois.",
    "Organisation du temps de travail et priorités pour le mois prochain.",
];

const DEMO_ACTIONS: [&str; 6] = [
    "Relancer les devis en attente",
    "Mettre à jour la grille de prix",
    "Préparer le prévisionnel du semestre",
    "S'inscrire à l'atelier prospection",
    "Envoyer les justificatifs de frais",
    "Prendre contact avec deux entrepreneur·es du même secteur",
];

/// The demo's appointments: every supported person met about every five months by their referent
/// (or a coach) over the years of history, most held, a few cancelled or missed, the next one
/// planned; one person in six has waited too long since the last (LIF-41), for the dashboard.
pub(crate) async fn demo_seed(
    app: &App,
    coop: essaim_domain::ids::CooperativeId,
    rng: &mut crate::demo::Rng,
    coaches: &[UserId],
    years: u32,
) -> Result<(), AppError> {
    if coaches.is_empty() {
        return Ok(());
    }
    let today = app.clock.today();
    let now = app.clock.now();
    let mut tx = app.store.begin().await?;
    let (people, _) =
        essaim_storage::person::list(&mut tx, coop, &PersonFilter::default(), 100_000, 0).await?;
    let start = today - time::Duration::days(365 * i64::from(years.max(1)));
    let codes: Vec<&str> = DEFAULT_TOPICS.iter().map(|(c, _)| *c).collect();
    let modes: [&str; 4] = ["in_person", "in_person", "phone", "video"];
    for (n, p) in people.iter().enumerate() {
        let supported = PathStatus::parse(&p.status).is_some_and(PathStatus::is_supported);
        if !supported {
            continue;
        }
        let coach = p
            .referent_user_id
            .map(UserId::new)
            .unwrap_or_else(|| *rng.pick(coaches));
        let late = n % 6 == 0;
        let mut day = start + time::Duration::days(i64::try_from(rng.below(120)).unwrap_or(0));
        let last = if late {
            today - time::Duration::days(210 + i64::try_from(rng.below(90)).unwrap_or(0))
        } else {
            today + time::Duration::days(30)
        };
        while day <= last {
            let past = day < today;
            let status = if !past {
                Status::Planned
            } else {
                match rng.below(12) {
                    0 => Status::Cancelled,
                    1 => Status::NoShow,
                    _ => Status::Held,
                }
            };
            let held = status == Status::Held;
            let mode = *rng.pick(&modes);
            let (first, second) = (*rng.pick(&codes), *rng.pick(&codes));
            let topics = if first == second {
                first.to_owned()
            } else {
                format!("{first},{second}")
            };
            let summary = held.then(|| *rng.pick(&DEMO_SUMMARIES));
            let id = store::insert_appointment(
                &mut tx,
                coop,
                &NewAppointment {
                    coach,
                    starts_on: day,
                    start_minute: 9 * 60 + i64::try_from(rng.below(16)).unwrap_or(0) * 30,
                    minutes: if rng.below(3) == 0 { 90 } else { 60 },
                    mode,
                    place: Some("Locaux de la coopérative, salle 2"),
                    topics: &topics,
                    private_notes: held
                        .then_some("Notes de l'accompagnateur·rice (démonstration)."),
                    summary,
                    status: status.code(),
                    programme: Some(*rng.pick(&["region", "region", "france_travail", "esf"])),
                },
                coach,
                now,
            )
            .await?;
            store::set_people(&mut tx, id, &[p.person_id]).await?;
            if held {
                let due = day + time::Duration::days(30);
                store::set_actions(
                    &mut tx,
                    id,
                    &[
                        ((*rng.pick(&DEMO_ACTIONS)).to_owned(), Some(due)),
                        ((*rng.pick(&DEMO_ACTIONS)).to_owned(), None),
                    ],
                )
                .await?;
                if due < today && rng.below(4) != 0 {
                    store::set_action_done(&mut tx, id, 0, Some(now)).await?;
                }
            }
            day += time::Duration::days(120 + i64::try_from(rng.below(60)).unwrap_or(0));
        }
    }
    tx.commit().await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// The funders' report (issue 9, point 6)

/// A line of the coaching report, with its coach and programme named.
#[derive(Clone, Debug)]
pub struct ReportLine {
    /// `None` when the report does not group by coach.
    pub coach: Option<String>,
    /// `None` when it does not group by programme; `Some(None)` for what no programme funds.
    pub programme: Option<Option<String>>,
    pub figures: essaim_domain::coaching::report::Figures,
}

/// The coaching activity of a period, per coach and/or per funding programme, and its total:
/// interviews held and workshop attendance (see the counting rules in the domain).
pub async fn report(
    app: &App,
    actor: &CoopActor,
    from: Date,
    to: Date,
    by_coach: bool,
    by_programme: bool,
) -> Result<(Vec<ReportLine>, essaim_domain::coaching::report::Figures), AppError> {
    use essaim_domain::coaching::report::{self as rep, Attendance, Interview};
    actor.require(Permission::CoachingManage)?;
    if to < from {
        return Err(AppError::field("to", "end_before_start"));
    }
    let mut tx = app.store.read().await?;
    let interviews: Vec<Interview> = store::held_in(&mut tx, actor.cooperative, from, to)
        .await?
        .into_iter()
        .map(
            |(appointment, _, coach, programme, minutes, person)| Interview {
                appointment,
                coach,
                programme,
                minutes,
                person,
            },
        )
        .collect();
    let attendance: Vec<Attendance> =
        essaim_storage::workshop::attendance_in(&mut tx, actor.cooperative, from, to)
            .await?
            .into_iter()
            .map(
                |(workshop, _, trainer, programme, start, end, person, present)| Attendance {
                    workshop,
                    trainer,
                    programme,
                    minutes: end - start,
                    halves: i64::try_from(
                        essaim_domain::coaching::workshop::half_days(start, end).len(),
                    )
                    .unwrap_or(1),
                    person,
                    present_halves: present,
                },
            )
            .collect();
    let labels = essaim_storage::person::list_items(&mut tx, actor.cooperative).await?;
    tx.commit().await?;
    let (lines, total) = rep::report(&interviews, &attendance, by_coach, by_programme);
    let name = |code: Option<String>| {
        code.map(|c| {
            labels
                .iter()
                .find(|i| i.list == essaim_domain::person::RefList::Funding.code() && i.code == c)
                .map_or(c, |i| i.label.clone())
        })
    };
    Ok((
        lines
            .into_iter()
            .map(|(k, figures)| ReportLine {
                coach: k.coach,
                programme: k.programme.map(name),
                figures,
            })
            .collect(),
        total,
    ))
}
