//! Workshops (issue 9, point 3): coaches plan sessions; entrepreneurs of the audience register
//! themselves, or the team registers them; seats go in order of arrival, then a waiting list
//! that moves up when a seat frees; the day before, those registered get a reminder; the
//! attendance sheet is printed to sign and attendance is recorded per person and half-day;
//! a cancelled session tells everyone registered or waiting.

use crate::coaching::contact_of;
use crate::{App, AppError, CoopActor, audit};
use essaim_domain::access::{Permission, RoleKind};
use essaim_domain::account::Locale;
use essaim_domain::coaching::workshop::{
    self, HalfDay, Seat, Status, Trainer, Workshop, WorkshopInput, half_days, minutes_overlap,
    promotions, same_room, seat_for,
};
use essaim_domain::coaching::{paris_wall_clock, wall_clock};
use essaim_domain::ids::{PersonId, UserId};
use essaim_domain::path::Status as PathStatus;
use essaim_domain::selling::terms::fr_date;
use essaim_exchange::ics;
use essaim_storage::Tx;
use essaim_storage::workshop::{self as store, NewWorkshop, RegistrationRecord, WorkshopRecord};
use serde_json::json;
use time::PrimitiveDateTime;

/// The support team who may lead a session: (account, name).
pub async fn trainers(app: &App, actor: &CoopActor) -> Result<Vec<(UserId, String)>, AppError> {
    actor.require(Permission::CoachingManage)?;
    let mut tx = app.store.read().await?;
    let out = trainers_in(&mut tx, actor).await?;
    tx.commit().await?;
    Ok(out)
}

async fn trainers_in(tx: &mut Tx, actor: &CoopActor) -> Result<Vec<(UserId, String)>, AppError> {
    let kinds: Vec<RoleKind> = RoleKind::ALL
        .into_iter()
        .filter(|k| k.is_support() || *k == RoleKind::Administrator)
        .collect();
    Ok(essaim_storage::role::holders_of_kinds(tx, actor.cooperative, &kinds).await?)
}

/// When a session starts, in the cooperative's wall-clock time.
pub fn starts_at(r: &WorkshopRecord) -> PrimitiveDateTime {
    wall_clock(r.starts_on, r.start_minute)
}

/// What a new or moved session clashes with: another session or an appointment of its trainer,
/// or another session in the same room, at an overlapping time. Flagged, not refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Clash {
    Room { workshop_id: i64, title: String },
    Trainer { workshop_id: i64, title: String },
    Appointment { appointment_id: i64 },
}

async fn clashes(
    tx: &mut Tx,
    actor: &CoopActor,
    w: &Workshop,
    except: Option<i64>,
) -> Result<Vec<Clash>, AppError> {
    let span = (w.start_minute(), w.end_minute());
    let trainer = match &w.trainer {
        Trainer::Internal(u) => Some(*u),
        Trainer::External(_) => None,
    };
    let mut out = Vec::new();
    for o in store::list(tx, actor.cooperative, Some(w.on), Some(w.on), false, 500).await? {
        if Some(o.workshop_id) == except
            || o.status == Status::Cancelled.code()
            || !minutes_overlap(span, (o.start_minute, o.end_minute))
        {
            continue;
        }
        if same_room(w.place.as_deref(), o.place.as_deref()) {
            out.push(Clash::Room {
                workshop_id: o.workshop_id,
                title: o.title.clone(),
            });
        } else if trainer.is_some() && trainer == o.trainer_user_id {
            out.push(Clash::Trainer {
                workshop_id: o.workshop_id,
                title: o.title.clone(),
            });
        }
    }
    if let Some(u) = trainer {
        for a in
            essaim_storage::coaching::coach_day(tx, actor.cooperative, UserId::new(u), w.on).await?
        {
            if a.status != "cancelled"
                && minutes_overlap(span, (a.start_minute, a.start_minute + a.minutes))
            {
                out.push(Clash::Appointment {
                    appointment_id: a.appointment_id,
                });
            }
        }
    }
    Ok(out)
}

async fn check(
    tx: &mut Tx,
    actor: &CoopActor,
    input: &WorkshopInput,
) -> Result<(Workshop, Option<String>), AppError> {
    let topics: Vec<String> = crate::coaching::topics_in(tx, actor)
        .await?
        .into_iter()
        .filter(|t| t.active || input.topics.contains(&t.code))
        .map(|t| t.code)
        .collect();
    let trainers: Vec<i64> = trainers_in(tx, actor)
        .await?
        .into_iter()
        .map(|(u, _)| u.get())
        .collect();
    let w = workshop::parse(input, &topics, &trainers)?;
    let programme = crate::coaching::programme_in(tx, actor, &input.programme).await?;
    Ok((w, programme))
}

fn row_of<'a>(
    w: &'a Workshop,
    audience: &'a str,
    topics: &'a str,
    programme: Option<&'a str>,
) -> NewWorkshop<'a> {
    let (trainer_user, trainer_name) = match &w.trainer {
        Trainer::Internal(u) => (Some(UserId::new(*u)), None),
        Trainer::External(n) => (None, Some(n.as_str())),
    };
    NewWorkshop {
        title: &w.title,
        description: w.description.as_deref(),
        starts_on: w.on,
        start_minute: w.start_minute(),
        end_minute: w.end_minute(),
        place: w.place.as_deref(),
        video_link: w.video_link.as_deref(),
        capacity: w.capacity,
        trainer_user,
        trainer_name,
        audience,
        topics,
        programme,
    }
}

/// Plans a session. Returns its id and what it clashes with.
pub async fn create(
    app: &App,
    actor: &CoopActor,
    input: &WorkshopInput,
) -> Result<(i64, Vec<Clash>), AppError> {
    actor.require(Permission::CoachingManage)?;
    let mut tx = app.store.begin().await?;
    let (w, programme) = check(&mut tx, actor, input).await?;
    let found = clashes(&mut tx, actor, &w, None).await?;
    let (audience, topics) = (w.audience_codes(), w.topics.join(","));
    let id = store::insert(
        &mut tx,
        actor.cooperative,
        &row_of(&w, &audience, &topics, programme.as_deref()),
        actor.user().id,
        app.clock.now(),
    )
    .await?;
    audit::record_in(
        &mut tx,
        app,
        actor,
        "workshop.created",
        ("workshop", id.to_string()),
        json!({ "on": w.on.to_string(), "capacity": w.capacity }),
    )
    .await?;
    tx.commit().await?;
    Ok((id, found))
}

async fn load(tx: &mut Tx, actor: &CoopActor, id: i64) -> Result<WorkshopRecord, AppError> {
    store::find(tx, actor.cooperative, id)
        .await?
        .ok_or(AppError::NotFound("workshop"))
}

/// Rewrites a session. A new day, time or place is sent to everyone registered or waiting; a
/// larger capacity gives seats to those waiting, in their order.
pub async fn update(
    app: &App,
    actor: &CoopActor,
    id: i64,
    input: &WorkshopInput,
) -> Result<Vec<Clash>, AppError> {
    actor.require(Permission::CoachingManage)?;
    let mut tx = app.store.begin().await?;
    store::lock(&mut tx, actor.cooperative, id)
        .await?
        .ok_or(AppError::NotFound("workshop"))?;
    let before = load(&mut tx, actor, id).await?;
    if before.status == Status::Cancelled.code() {
        return Err(AppError::field("status", "workshop_cancelled"));
    }
    let (w, programme) = check(&mut tx, actor, input).await?;
    let found = clashes(&mut tx, actor, &w, Some(id)).await?;
    let (audience, topics) = (w.audience_codes(), w.topics.join(","));
    let now = app.clock.now();
    store::update(
        &mut tx,
        actor.cooperative,
        id,
        &row_of(&w, &audience, &topics, programme.as_deref()),
        now,
    )
    .await?;
    audit::record_in(
        &mut tx,
        app,
        actor,
        "workshop.updated",
        ("workshop", id.to_string()),
        json!({ "capacity": w.capacity }),
    )
    .await?;
    let moved = before.starts_on != w.on
        || before.start_minute != w.start_minute()
        || before.end_minute != w.end_minute()
        || before.place != w.place
        || before.video_link != w.video_link;
    let promoted = fill_seats(&mut tx, id, w.capacity).await?;
    let after = load(&mut tx, actor, id).await?;
    for p in &promoted {
        tell(&mut tx, app, actor, &after, *p, Notice::Promoted).await?;
    }
    if moved {
        for r in store::registrations(&mut tx, id).await? {
            if r.seat != Seat::Withdrawn.code() && !promoted.contains(&r.person_id) {
                tell(&mut tx, app, actor, &after, r.person_id, Notice::Moved).await?;
            }
        }
    }
    tx.commit().await?;
    Ok(found)
}

/// Gives free seats to those waiting, in their order; returns who moved up.
async fn fill_seats(tx: &mut Tx, id: i64, capacity: i64) -> Result<Vec<i64>, AppError> {
    let registered = store::registered_count(tx, id).await?;
    let n = promotions(capacity, registered, i64::MAX);
    if n == 0 {
        return Ok(Vec::new());
    }
    let up = store::first_waiting(tx, id, n).await?;
    for p in &up {
        store::set_seat(tx, id, *p, Seat::Registered.code()).await?;
    }
    Ok(up)
}

/// Cancels a session: everyone registered or waiting is told.
pub async fn cancel(app: &App, actor: &CoopActor, id: i64) -> Result<(), AppError> {
    actor.require(Permission::CoachingManage)?;
    let mut tx = app.store.begin().await?;
    store::lock(&mut tx, actor.cooperative, id)
        .await?
        .ok_or(AppError::NotFound("workshop"))?;
    let before = load(&mut tx, actor, id).await?;
    if before.status == Status::Cancelled.code() {
        return Err(AppError::field("status", "workshop_cancelled"));
    }
    store::set_status(
        &mut tx,
        actor.cooperative,
        id,
        Status::Cancelled.code(),
        app.clock.now(),
    )
    .await?;
    audit::record_in(
        &mut tx,
        app,
        actor,
        "workshop.cancelled",
        ("workshop", id.to_string()),
        json!({ "registered": before.registered, "waiting": before.waiting }),
    )
    .await?;
    let after = load(&mut tx, actor, id).await?;
    for r in store::registrations(&mut tx, id).await? {
        if r.seat != Seat::Withdrawn.code() {
            tell(&mut tx, app, actor, &after, r.person_id, Notice::Cancelled).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// A session as one person may see it.
#[derive(Clone, Debug)]
pub struct WorkshopView {
    pub record: WorkshopRecord,
    pub status: Status,
    pub starts_at: PrimitiveDateTime,
    pub half_days: Vec<HalfDay>,
    pub audience: Vec<PathStatus>,
    /// Labels of its topics.
    pub topics: Vec<String>,
    /// A coach: may edit it, register anyone, see the list and record attendance.
    pub may_manage: bool,
    /// The signed-in person's file and seat, if they have a file.
    pub me: Option<i64>,
    pub my_seat: Option<Seat>,
    /// Whether the signed-in person may register themselves now.
    pub may_register: bool,
    /// For coaches: registrations in order of arrival, and attendance recorded.
    pub registrations: Vec<RegistrationRecord>,
    pub attendance: Vec<(i64, HalfDay, bool)>,
    /// Whether the session's day has come (attendance may be recorded).
    pub started: bool,
}

/// The signed-in person's file and its stage of the path.
async fn own_person(
    tx: &mut Tx,
    actor: &CoopActor,
) -> Result<Option<(i64, Option<PathStatus>)>, AppError> {
    Ok(crate::people::own_file(tx, actor)
        .await?
        .map(|p| (p.id.get(), Some(p.summary.status))))
}

fn now_local(app: &App) -> PrimitiveDateTime {
    paris_wall_clock(app.clock.now())
}

/// One session: whole for coaches; for an entrepreneur, when it is offered to them or they
/// registered; for anyone else, not found.
pub async fn show(app: &App, actor: &CoopActor, id: i64) -> Result<WorkshopView, AppError> {
    let mut tx = app.store.read().await?;
    let record = load(&mut tx, actor, id).await?;
    let v = view_in(&mut tx, app, actor, record).await?;
    tx.commit().await?;
    Ok(v)
}

async fn view_in(
    tx: &mut Tx,
    app: &App,
    actor: &CoopActor,
    record: WorkshopRecord,
) -> Result<WorkshopView, AppError> {
    let id = record.workshop_id;
    let may_manage = actor.may(Permission::CoachingManage);
    let status = Status::parse(&record.status).unwrap_or(Status::Planned);
    let audience = workshop::audience_of(&record.audience);
    let own = own_person(tx, actor).await?;
    let my_seat = match own {
        Some((p, _)) => store::seat_of(tx, id, p)
            .await?
            .and_then(|s| Seat::parse(&s)),
        None => None,
    };
    let offered =
        own.is_some_and(|(_, stage)| stage.is_some_and(|s| workshop::may_join(&audience, s)));
    if !may_manage && !offered && my_seat.is_none() {
        return Err(AppError::NotFound("workshop"));
    }
    let begins = starts_at(&record);
    let now = now_local(app);
    let may_register = offered
        && !matches!(my_seat, Some(Seat::Registered | Seat::Waiting))
        && workshop::open_for_registration(status, begins, now).is_ok();
    let (registrations, attendance) = if may_manage {
        let att = store::attendance(tx, id)
            .await?
            .into_iter()
            .filter_map(|(p, h, present)| HalfDay::parse(&h).map(|h| (p, h, present)))
            .collect();
        (store::registrations(tx, id).await?, att)
    } else {
        (Vec::new(), Vec::new())
    };
    let labels = crate::coaching::topics_in(tx, actor).await?;
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
    Ok(WorkshopView {
        status,
        starts_at: begins,
        half_days: half_days(record.start_minute, record.end_minute),
        audience,
        topics,
        may_manage,
        me: own.map(|(p, _)| p),
        my_seat,
        may_register,
        registrations,
        attendance,
        started: now.date() >= record.starts_on,
        record,
    })
}

/// The sessions a person sees: for coaches, every session from `from` (upcoming first) and the
/// last ones before; for an entrepreneur, the upcoming sessions offered to them and those they
/// registered for, with their seat.
#[derive(Clone, Debug, Default)]
pub struct Listing {
    pub upcoming: Vec<(WorkshopRecord, Option<Seat>)>,
    pub past: Vec<(WorkshopRecord, Option<Seat>)>,
}

pub async fn list(app: &App, actor: &CoopActor) -> Result<Listing, AppError> {
    let today = now_local(app).date();
    let mut tx = app.store.read().await?;
    let mut out = Listing::default();
    if actor.may(Permission::CoachingManage) {
        let upcoming =
            store::list(&mut tx, actor.cooperative, Some(today), None, false, 200).await?;
        let past = store::list(
            &mut tx,
            actor.cooperative,
            None,
            today.previous_day(),
            true,
            100,
        )
        .await?;
        out.upcoming = upcoming.into_iter().map(|w| (w, None)).collect();
        out.past = past.into_iter().map(|w| (w, None)).collect();
    } else if let Some((me, stage)) = own_person(&mut tx, actor).await? {
        let mine = store::of_person(&mut tx, actor.cooperative, me).await?;
        let seat_in = |id: i64| {
            mine.iter()
                .find(|(w, _)| w.workshop_id == id)
                .and_then(|(_, s)| Seat::parse(s))
        };
        for w in store::list(&mut tx, actor.cooperative, Some(today), None, false, 200).await? {
            let offered = stage
                .is_some_and(|s| workshop::may_join(&workshop::audience_of(&w.audience), s))
                && w.status == Status::Planned.code();
            let seat = seat_in(w.workshop_id);
            if offered || seat.is_some() {
                out.upcoming.push((w, seat));
            }
        }
        out.past = mine
            .iter()
            .filter(|(w, _)| w.starts_on < today)
            .map(|(w, s)| (w.clone(), Seat::parse(s)))
            .collect();
    }
    tx.commit().await?;
    Ok(out)
}

/// Registers the signed-in person (`person` empty) or, for a coach, anyone followed. The seat is
/// decided under the session's lock: a seat while some are free, else the waiting list.
pub async fn register(
    app: &App,
    actor: &CoopActor,
    id: i64,
    person: Option<i64>,
) -> Result<Seat, AppError> {
    let mut tx = app.store.begin().await?;
    let capacity = store::lock(&mut tx, actor.cooperative, id)
        .await?
        .ok_or(AppError::NotFound("workshop"))?;
    let w = load(&mut tx, actor, id).await?;
    let status = Status::parse(&w.status).unwrap_or(Status::Planned);
    let who = match person {
        Some(p) => {
            actor.require(Permission::CoachingManage)?;
            if essaim_storage::person::find(&mut tx, actor.cooperative, PersonId::new(p))
                .await?
                .is_none()
            {
                return Err(AppError::field("person", "person_unknown"));
            }
            if status == Status::Cancelled {
                return Err(AppError::field("person", "workshop_cancelled"));
            }
            p
        }
        None => {
            let (me, stage) = own_person(&mut tx, actor)
                .await?
                .ok_or(AppError::NotFound("workshop"))?;
            let audience = workshop::audience_of(&w.audience);
            if !stage.is_some_and(|s| workshop::may_join(&audience, s)) {
                return Err(AppError::NotFound("workshop"));
            }
            workshop::open_for_registration(status, starts_at(&w), now_local(app))
                .map_err(|c| AppError::field("person", c))?;
            me
        }
    };
    if matches!(
        store::seat_of(&mut tx, id, who)
            .await?
            .as_deref()
            .and_then(Seat::parse),
        Some(Seat::Registered | Seat::Waiting)
    ) {
        return Err(AppError::field("person", "already_registered"));
    }
    let seat = seat_for(capacity, store::registered_count(&mut tx, id).await?);
    let now = app.clock.now();
    store::register(&mut tx, id, who, seat.code(), actor.user().id, now).await?;
    audit::record_in(
        &mut tx,
        app,
        actor,
        "workshop.registered",
        ("workshop", id.to_string()),
        json!({ "person": who, "seat": seat.code() }),
    )
    .await?;
    let after = load(&mut tx, actor, id).await?;
    let notice = match seat {
        Seat::Registered => Notice::Registered,
        _ => Notice::Waiting,
    };
    tell(&mut tx, app, actor, &after, who, notice).await?;
    tx.commit().await?;
    Ok(seat)
}

/// Withdraws the signed-in person (`person` empty) or, for a coach, anyone. A freed seat goes
/// to the first person waiting, who is told.
pub async fn withdraw(
    app: &App,
    actor: &CoopActor,
    id: i64,
    person: Option<i64>,
) -> Result<(), AppError> {
    let mut tx = app.store.begin().await?;
    let capacity = store::lock(&mut tx, actor.cooperative, id)
        .await?
        .ok_or(AppError::NotFound("workshop"))?;
    let who = match person {
        Some(p) => {
            actor.require(Permission::CoachingManage)?;
            p
        }
        None => {
            let me = own_person(&mut tx, actor)
                .await?
                .ok_or(AppError::NotFound("workshop"))?
                .0;
            // Once it started, only the team changes the list (attendance is recorded on it).
            let w = load(&mut tx, actor, id).await?;
            if now_local(app) >= starts_at(&w) {
                return Err(AppError::field("person", "workshop_started"));
            }
            me
        }
    };
    let seat = store::seat_of(&mut tx, id, who)
        .await?
        .as_deref()
        .and_then(Seat::parse);
    if !matches!(seat, Some(Seat::Registered | Seat::Waiting)) {
        return Err(AppError::field("person", "not_registered"));
    }
    store::set_seat(&mut tx, id, who, Seat::Withdrawn.code()).await?;
    audit::record_in(
        &mut tx,
        app,
        actor,
        "workshop.withdrawn",
        ("workshop", id.to_string()),
        json!({ "person": who }),
    )
    .await?;
    let w = load(&mut tx, actor, id).await?;
    if w.status == Status::Planned.code() {
        let promoted = fill_seats(&mut tx, id, capacity).await?;
        let after = load(&mut tx, actor, id).await?;
        for p in promoted {
            tell(&mut tx, app, actor, &after, p, Notice::Promoted).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// Records who came, per half-day: `present` lists (person, half-day) ticked; every other
/// registered person is recorded absent for each half-day of the session.
pub async fn record_attendance(
    app: &App,
    actor: &CoopActor,
    id: i64,
    present: &[(i64, String)],
) -> Result<(), AppError> {
    actor.require(Permission::CoachingManage)?;
    let mut tx = app.store.begin().await?;
    let w = load(&mut tx, actor, id).await?;
    if w.status == Status::Cancelled.code() {
        return Err(AppError::field("attendance", "workshop_cancelled"));
    }
    if now_local(app).date() < w.starts_on {
        return Err(AppError::field("attendance", "workshop_not_started"));
    }
    let halves = half_days(w.start_minute, w.end_minute);
    let registered: Vec<i64> = store::registrations(&mut tx, id)
        .await?
        .into_iter()
        .filter(|r| r.seat == Seat::Registered.code())
        .map(|r| r.person_id)
        .collect();
    for (p, h) in present {
        if !registered.contains(p) {
            return Err(AppError::field("attendance", "not_registered"));
        }
        if !HalfDay::parse(h).is_some_and(|h| halves.contains(&h)) {
            return Err(AppError::field("attendance", "half_day_unknown"));
        }
    }
    let mut rows = Vec::new();
    for p in &registered {
        for h in &halves {
            let here = present.iter().any(|(q, c)| q == p && c == h.code());
            rows.push((*p, h.code(), here));
        }
    }
    store::set_attendance(&mut tx, id, &rows, actor.user().id, app.clock.now()).await?;
    audit::record_in(
        &mut tx,
        app,
        actor,
        "workshop.attendance",
        ("workshop", id.to_string()),
        json!({ "present": present.len(), "rows": rows.len() }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The people a coach may register: everyone followed who is not registered or waiting yet.
pub async fn registrable(
    app: &App,
    actor: &CoopActor,
    id: i64,
) -> Result<Vec<(i64, String)>, AppError> {
    let all = crate::coaching::people_choices(app, actor).await?;
    let mut tx = app.store.read().await?;
    let taken: Vec<i64> = store::registrations(&mut tx, id)
        .await?
        .into_iter()
        .filter(|r| r.seat != Seat::Withdrawn.code())
        .map(|r| r.person_id)
        .collect();
    tx.commit().await?;
    Ok(all
        .into_iter()
        .filter(|(p, _)| !taken.contains(p))
        .collect())
}

// ---------------------------------------------------------------------------------------------
// The attendance sheet

/// The attendance sheet of a session, as a PDF to print and sign.
pub async fn sheet(app: &App, actor: &CoopActor, id: i64) -> Result<Vec<u8>, AppError> {
    actor.require(Permission::CoachingManage)?;
    let v = show(app, actor, id).await?;
    let r = &v.record;
    let halves: Vec<&str> = v
        .half_days
        .iter()
        .map(|h| match h {
            HalfDay::Morning => "Matin",
            HalfDay::Afternoon => "Après-midi",
        })
        .collect();
    let people: Vec<serde_json::Value> = v
        .registrations
        .iter()
        .filter(|g| g.seat == Seat::Registered.code())
        .map(|g| json!({ "name": format!("{} {}", g.last_name.to_uppercase(), g.first_name) }))
        .collect();
    let data = json!({
        "cooperative": actor.cooperative_name,
        "title": r.title,
        "date": fr_date(r.starts_on),
        "hours": format!("{} – {}", hm(r.start_minute), hm(r.end_minute)),
        "place": r.place.clone().or_else(|| r.video_link.clone()).unwrap_or_default(),
        "trainer": r.trainer,
        "halves": halves,
        "people": people,
    });
    let pdf = tokio::task::spawn_blocking(move || {
        essaim_documents::pdf::render(
            essaim_documents::pdf::ATTENDANCE_SHEET_TEMPLATE,
            &data.to_string(),
        )
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?
    .map_err(AppError::Internal)?;
    Ok(pdf)
}

fn hm(minute: i64) -> String {
    format!("{:02}h{:02}", minute / 60, minute % 60)
}

// ---------------------------------------------------------------------------------------------
// Notices: registration, waiting list, a seat freed, a change, a cancellation, the reminder

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Notice {
    Registered,
    Waiting,
    Promoted,
    Moved,
    Cancelled,
    Reminder,
}

fn event_of(w: &WorkshopRecord, slug: &str) -> ics::Event {
    ics::Event {
        uid: format!("workshop-{}@{slug}.essaim", w.workshop_id),
        sequence: w.updated_at.unix_timestamp().max(0),
        starts_at: wall_clock(w.starts_on, w.start_minute),
        ends_at: wall_clock(w.starts_on, w.end_minute),
        summary: w.title.clone(),
        description: w.description.clone().unwrap_or_default(),
        location: w
            .place
            .clone()
            .or_else(|| w.video_link.clone())
            .unwrap_or_default(),
        cancelled: w.status == Status::Cancelled.code(),
        stamp: w.updated_at,
        organizer: None,
        attendees: Vec::new(),
    }
}

fn words(notice: Notice, locale: Locale, w: &WorkshopRecord) -> (String, String) {
    let when = format!(
        "{} {}–{}",
        fr_date(w.starts_on),
        hm(w.start_minute),
        hm(w.end_minute)
    );
    let place = w
        .place
        .clone()
        .or_else(|| w.video_link.clone())
        .unwrap_or_default();
    let t = &w.title;
    match (locale, notice) {
        (Locale::Fr, Notice::Registered) => (
            format!("Vous êtes inscrit·e à l'atelier « {t} » du {when} ({place})."),
            format!("inscription à l'atelier « {t} »"),
        ),
        (Locale::Fr, Notice::Waiting) => (
            format!(
                "L'atelier « {t} » du {when} est complet : vous êtes sur la liste d'attente. Nous vous écrirons si une place se libère."
            ),
            format!("liste d'attente de l'atelier « {t} »"),
        ),
        (Locale::Fr, Notice::Promoted) => (
            format!(
                "Une place s'est libérée : vous êtes inscrit·e à l'atelier « {t} » du {when} ({place})."
            ),
            format!("une place pour l'atelier « {t} »"),
        ),
        (Locale::Fr, Notice::Moved) => (
            format!("L'atelier « {t} » a changé : il a lieu le {when} ({place})."),
            format!("changement de l'atelier « {t} »"),
        ),
        (Locale::Fr, Notice::Cancelled) => (
            format!("L'atelier « {t} » du {when} est annulé."),
            format!("atelier « {t} » annulé"),
        ),
        (Locale::Fr, Notice::Reminder) => (
            format!("Rappel : l'atelier « {t} » a lieu demain, {when} ({place})."),
            format!("rappel de l'atelier « {t} »"),
        ),
        (Locale::En, Notice::Registered) => (
            format!("You are registered for the workshop “{t}” on {when} ({place})."),
            format!("registered for “{t}”"),
        ),
        (Locale::En, Notice::Waiting) => (
            format!(
                "The workshop “{t}” on {when} is full: you are on the waiting list. We will write if a seat frees."
            ),
            format!("waiting list for “{t}”"),
        ),
        (Locale::En, Notice::Promoted) => (
            format!("A seat freed: you are registered for the workshop “{t}” on {when} ({place})."),
            format!("a seat for “{t}”"),
        ),
        (Locale::En, Notice::Moved) => (
            format!("The workshop “{t}” changed: it takes place on {when} ({place})."),
            format!("“{t}” changed"),
        ),
        (Locale::En, Notice::Cancelled) => (
            format!("The workshop “{t}” on {when} is cancelled."),
            format!("“{t}” cancelled"),
        ),
        (Locale::En, Notice::Reminder) => (
            format!("Reminder: the workshop “{t}” is tomorrow, {when} ({place})."),
            format!("reminder: “{t}”"),
        ),
    }
}

/// Tells a person about a session: in the app when they have an account, and by e-mail (with
/// the calendar entry when they hold a seat, or its cancellation).
async fn tell(
    tx: &mut Tx,
    app: &App,
    actor: &CoopActor,
    w: &WorkshopRecord,
    person: i64,
    notice: Notice,
) -> Result<(), AppError> {
    let place = Cooperative {
        id: actor.cooperative,
        slug: &actor.slug,
        name: &actor.cooperative_name,
    };
    send(tx, app, &place, w, person, notice).await
}

/// The cooperative a notice comes from.
struct Cooperative<'a> {
    id: essaim_domain::ids::CooperativeId,
    slug: &'a str,
    name: &'a str,
}

async fn send(
    tx: &mut Tx,
    app: &App,
    from: &Cooperative<'_>,
    w: &WorkshopRecord,
    person: i64,
    notice: Notice,
) -> Result<(), AppError> {
    let (coop, slug, coop_name) = (from.id, from.slug, from.name);
    let Some(c) = contact_of(tx, coop, person).await? else {
        return Ok(());
    };
    let (message, subject) = words(notice, c.locale, w);
    let link = format!("/c/{slug}/workshops/{}", w.workshop_id);
    let now = app.clock.now();
    if let Some(u) = c.user {
        essaim_storage::notification::insert_once(
            tx,
            coop,
            u,
            &format!(
                "workshop:{}:{}:{:?}:{}",
                w.workshop_id,
                person,
                notice,
                now.unix_timestamp()
            ),
            &message,
            &link,
            now,
        )
        .await?;
    }
    let url = format!("{}{link}", app.config.base_url.trim_end_matches('/'));
    let content = crate::mail::MailContent {
        subject: format!("Essaim : {subject}"),
        body: format!("{message}\n\n{url}\n"),
    };
    let calendar = match notice {
        Notice::Registered | Notice::Promoted | Notice::Moved | Notice::Cancelled => {
            let method = if notice == Notice::Cancelled {
                ics::Method::Cancel
            } else {
                ics::Method::Request
            };
            let mut event = event_of(w, slug);
            event.attendees = vec![(String::new(), c.email.clone())];
            let mut bytes = Vec::new();
            ics::write(coop_name, method, &[event], &mut bytes);
            Some(String::from_utf8_lossy(&bytes).into_owned())
        }
        Notice::Waiting | Notice::Reminder => None,
    };
    match calendar {
        Some(ics) => {
            crate::jobs::enqueue_email_with_calendar(tx, app, Some(coop), &c.email, &content, ics)
                .await?
        }
        None => crate::jobs::enqueue_email(tx, app, Some(coop), &c.email, &content).await?,
    };
    Ok(())
}

pub const KIND_REMINDERS: &str = "workshop_reminders";

/// Sends the reminders of tomorrow's sessions, once per registration, in every cooperative
/// (the daily job). Returns how many were sent.
pub async fn send_reminders(app: &App) -> Result<usize, AppError> {
    let tomorrow = now_local(app).date().next_day().unwrap_or(time::Date::MAX);
    let now = app.clock.now();
    let mut tx = app.store.begin().await?;
    let due = store::due_reminders(&mut tx, tomorrow).await?;
    let mut sent = 0;
    for (coop, id, person) in due {
        let coop = essaim_domain::ids::CooperativeId::new(coop);
        let Some(c) = essaim_storage::cooperative::find(&mut tx, coop).await? else {
            continue;
        };
        let Some(w) = store::find(&mut tx, coop, id).await? else {
            continue;
        };
        let from = Cooperative {
            id: coop,
            slug: &c.slug,
            name: &c.identity.legal_name,
        };
        send(&mut tx, app, &from, &w, person, Notice::Reminder).await?;
        store::mark_reminded(&mut tx, id, person, now).await?;
        sent += 1;
    }
    tx.commit().await?;
    Ok(sent)
}

// ---------------------------------------------------------------------------------------------
// Demo

const DEMO_TITLES: [(&str, &str, &str); 8] = [
    (
        "Réunion d'information : entreprendre en coopérative",
        "Le fonctionnement de la CAE, le CAPE puis le CESA, la contribution, le sociétariat.",
        "candidate",
    ),
    (
        "Fixer ses prix",
        "Calculer son prix de revient, construire une grille, présenter un devis.",
        "",
    ),
    (
        "Prospecter sans s'épuiser",
        "Cibler, préparer un message, relancer ; un plan d'action sur trois mois.",
        "",
    ),
    (
        "Lire son compte d'activité",
        "Chiffre d'affaires, contribution, charges, salaire : ce que dit chaque ligne.",
        "",
    ),
    (
        "Réseaux sociaux pour indépendants",
        "Choisir un ou deux réseaux, publier régulièrement, mesurer.",
        "",
    ),
    (
        "Devenir associé·e",
        "Le sociétariat : parts sociales, assemblées, une personne une voix.",
        "cesa",
    ),
    (
        "Assurances et responsabilité",
        "Ce que couvre l'assurance de la coopérative, ce qui reste à votre charge.",
        "",
    ),
    (
        "Organiser son temps",
        "Planifier sa semaine, protéger le temps de production, dire non.",
        "",
    ),
];

/// The demo's workshops: two sessions a month over the years of history and the next two
/// months, in the cooperative's two rooms or by video, led by the team or an outside trainer;
/// people registered (some sessions full, with a waiting list), attendance recorded for the past
/// ones (most came), a few cancelled.
pub(crate) async fn demo_seed(
    app: &App,
    coop: essaim_domain::ids::CooperativeId,
    rng: &mut crate::demo::Rng,
    trainers: &[UserId],
    years: u32,
) -> Result<(), AppError> {
    let Some(first_trainer) = trainers.first().copied() else {
        return Ok(());
    };
    let today = app.clock.today();
    let now = app.clock.now();
    let mut tx = app.store.begin().await?;
    let (people, _) = essaim_storage::person::list(
        &mut tx,
        coop,
        &essaim_storage::person::PersonFilter::default(),
        100_000,
        0,
    )
    .await?;
    let by_stage = |code: &str| -> Vec<i64> {
        people
            .iter()
            .filter(|p| {
                let stage = PathStatus::parse(&p.status);
                if code.is_empty() {
                    stage.is_some_and(PathStatus::is_supported)
                } else {
                    p.status == code
                }
            })
            .map(|p| p.person_id)
            .collect()
    };
    let rooms = ["Salle 1, 12 rue Pasteur", "Salle 2, 12 rue Pasteur"];
    let start = today - time::Duration::days(365 * i64::from(years.max(1)));
    let mut day = start;
    let mut n: usize = 0;
    while day <= today + time::Duration::days(60) {
        // Tuesdays and Thursdays, every other week.
        day += time::Duration::days(if n.is_multiple_of(2) { 12 } else { 2 });
        n += 1;
        let (title, description, audience) = DEMO_TITLES[n % DEMO_TITLES.len()];
        let candidates = by_stage(audience);
        if candidates.is_empty() {
            continue;
        }
        let morning = rng.below(2) == 0;
        let (start_minute, end_minute) = if rng.below(5) == 0 {
            (9 * 60, 17 * 60)
        } else if morning {
            (9 * 60 + 30, 12 * 60 + 30)
        } else {
            (14 * 60, 17 * 60)
        };
        let video = rng.below(6) == 0;
        let external = rng.below(4) == 0;
        let capacity = 8 + i64::try_from(rng.below(7)).unwrap_or(0);
        let id = store::insert(
            &mut tx,
            coop,
            &NewWorkshop {
                title,
                description: Some(description),
                starts_on: day,
                start_minute,
                end_minute,
                place: (!video).then(|| *rng.pick(&rooms)),
                video_link: video.then_some("https://visio.example.org/atelier"),
                capacity,
                trainer_user: (!external).then(|| *rng.pick(trainers)),
                trainer_name: external.then_some("Nadia Benali (intervenante extérieure)"),
                audience,
                topics: "",
                programme: Some(if audience == "candidate" {
                    "france_travail"
                } else {
                    "region"
                }),
            },
            first_trainer,
            now,
        )
        .await?;
        let wanted = capacity - 3 + i64::try_from(rng.below(8)).unwrap_or(0);
        let mut registered = 0;
        let mut taken = Vec::new();
        for _ in 0..wanted {
            let p = *rng.pick(&candidates);
            if taken.contains(&p) {
                continue;
            }
            taken.push(p);
            let seat = seat_for(capacity, registered);
            if seat == Seat::Registered {
                registered += 1;
            }
            store::register(&mut tx, id, p, seat.code(), first_trainer, now).await?;
        }
        if rng.below(15) == 0 {
            store::set_status(&mut tx, coop, id, Status::Cancelled.code(), now).await?;
            continue;
        }
        if day < today {
            let halves = half_days(start_minute, end_minute);
            let mut rows = Vec::new();
            for r in store::registrations(&mut tx, id).await? {
                if r.seat != Seat::Registered.code() {
                    continue;
                }
                let came = rng.below(8) != 0;
                for h in &halves {
                    rows.push((r.person_id, h.code(), came && rng.below(12) != 0));
                }
            }
            store::set_attendance(&mut tx, id, &rows, first_trainer, now).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// A person's sessions for their file (coaches): each with their seat and the half-days they
/// were recorded present.
pub async fn of_person(
    app: &App,
    actor: &CoopActor,
    person: PersonId,
) -> Result<Vec<(WorkshopRecord, Seat, i64)>, AppError> {
    actor.require(Permission::CoachingManage)?;
    let mut tx = app.store.read().await?;
    let rows = store::of_person(&mut tx, actor.cooperative, person.get()).await?;
    let attended = store::attended(&mut tx, person.get()).await?;
    tx.commit().await?;
    Ok(rows
        .into_iter()
        .filter_map(|(w, s)| {
            let halves = attended
                .iter()
                .find(|(id, _)| *id == w.workshop_id)
                .map_or(0, |(_, n)| *n);
            Seat::parse(&s).map(|s| (w, s, halves))
        })
        .collect())
}
