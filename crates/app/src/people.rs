//! The people the cooperative follows (LIF-01…LIF-31): recording them, their path events, the
//! deadlines dashboard and the configurable lists. Social data is read by support roles only
//! (`person.read`, GDP-03); a person always reads their own file.

use crate::{App, AppError, CoopActor, audit};
use essaim_domain::FieldErrors;
use essaim_domain::access::{Permission, RoleKind};
use essaim_domain::ids::{PersonId, UserId};
use essaim_domain::path::{DeadlineBand, Path, PathEvent, PathEventInput, add_months};
use essaim_domain::person::{PersonDetails, PersonInput, RefList};
use essaim_storage::Tx;
use essaim_storage::person::{
    self as store, PersonFilter, PersonLine, PersonRecord, RecordedEvent, RefItem,
};
use essaim_storage::role;
use serde_json::json;
use time::Date;

/// The file of the person signed in, when they have one in the cooperative (entrepreneurs and
/// members do; the support team usually not).
pub(crate) async fn own_file(
    tx: &mut Tx,
    actor: &CoopActor,
) -> Result<Option<PersonRecord>, AppError> {
    Ok(store::find_by_user(tx, actor.cooperative, actor.user().id).await?)
}

pub const PAGE_SIZE: i64 = 50;

/// Checks that every list code of the details is an item of the cooperative's lists.
fn check_codes(items: &[RefItem], d: &PersonDetails, errors: &mut FieldErrors) {
    let known = |list: RefList, code: &Option<String>| {
        code.as_ref()
            .is_none_or(|c| items.iter().any(|i| i.list == list.code() && &i.code == c))
    };
    for (field, list, code) in [
        ("situation", RefList::Situation, &d.situation),
        ("prescriber", RefList::Prescriber, &d.prescriber),
        ("education", RefList::Education, &d.education),
        ("antenna", RefList::Antenna, &d.antenna),
    ] {
        if !known(list, code) {
            errors.add(field, "choice_unknown");
        }
    }
}

/// A referent must hold a support or administration role in the cooperative.
async fn check_referent(
    tx: &mut Tx,
    actor: &CoopActor,
    referent: Option<UserId>,
) -> Result<(), AppError> {
    let Some(r) = referent else { return Ok(()) };
    let (kinds, _) = role::access_of(tx, actor.cooperative, r).await?;
    if kinds
        .iter()
        .any(|k| k.is_support() || *k == RoleKind::Administrator)
    {
        Ok(())
    } else {
        Err(AppError::field("referent", "referent_invalid"))
    }
}

pub async fn lists(app: &App, actor: &CoopActor) -> Result<Vec<RefItem>, AppError> {
    let mut tx = app.store.read().await?;
    let items = store::list_items(&mut tx, actor.cooperative).await?;
    tx.commit().await?;
    Ok(items)
}

/// Records a person at first contact (`person.manage`).
pub async fn create(
    app: &App,
    actor: &CoopActor,
    input: &PersonInput,
    referent: Option<UserId>,
) -> Result<PersonId, AppError> {
    actor.require(Permission::PersonManage)?;
    let today = app.clock.today();
    let parsed = PersonDetails::parse(input, today);
    let mut tx = app.store.begin().await?;
    let items = store::list_items(&mut tx, actor.cooperative).await?;
    let details = match parsed {
        Ok(d) => {
            let mut errors = FieldErrors::new();
            check_codes(&items, &d, &mut errors);
            errors.finish(Some(d))?
        }
        Err(e) => return Err(e.into()),
    };
    check_referent(&mut tx, actor, referent).await?;
    let id = store::insert(
        &mut tx,
        actor.cooperative,
        &details,
        None,
        referent,
        app.clock.now(),
    )
    .await?;
    audit::record_in(
        &mut tx,
        app,
        actor,
        "person.created",
        ("person", id.to_string()),
        json!({ "name": details.full_name() }),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Edits a person's details (`person.manage`).
pub async fn update(
    app: &App,
    actor: &CoopActor,
    id: PersonId,
    input: &PersonInput,
    referent: Option<UserId>,
) -> Result<(), AppError> {
    actor.require(Permission::PersonManage)?;
    let details = PersonDetails::parse(input, app.clock.today())?;
    let mut tx = app.store.begin().await?;
    let items = store::list_items(&mut tx, actor.cooperative).await?;
    let mut errors = FieldErrors::new();
    check_codes(&items, &details, &mut errors);
    let details = errors.finish(Some(details))?;
    check_referent(&mut tx, actor, referent).await?;
    if !store::update_details(&mut tx, actor.cooperative, id, &details).await? {
        return Err(AppError::NotFound("person"));
    }
    store::set_referent(&mut tx, actor.cooperative, id, referent).await?;
    audit::record_in(
        &mut tx,
        app,
        actor,
        "person.updated",
        ("person", id.to_string()),
        json!({}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A person's file: details, path events, and the lists to label codes.
pub struct PersonFile {
    pub record: PersonRecord,
    pub events: Vec<RecordedEvent>,
    pub lists: Vec<RefItem>,
    /// Whether the reader may change it.
    pub can_manage: bool,
    /// The e-mail of the linked account, if any.
    pub account_email: Option<String>,
}

/// Reads a file: support roles read any (`person.read`), a person reads their own.
pub async fn show(app: &App, actor: &CoopActor, id: PersonId) -> Result<PersonFile, AppError> {
    let mut tx = app.store.read().await?;
    let record = store::find(&mut tx, actor.cooperative, id)
        .await?
        .ok_or(AppError::NotFound("person"))?;
    if !(actor.may(Permission::PersonRead) || record.user_id == Some(actor.user().id)) {
        return Err(AppError::Forbidden);
    }
    let events = store::events(&mut tx, id).await?;
    let lists = store::list_items(&mut tx, actor.cooperative).await?;
    let account_email = match record.user_id {
        Some(u) => essaim_storage::account::find(&mut tx, u)
            .await?
            .map(|u| u.email.as_str().to_owned()),
        None => None,
    };
    tx.commit().await?;
    Ok(PersonFile {
        record,
        events,
        lists,
        can_manage: actor.may(Permission::PersonManage),
        account_email,
    })
}

/// The reader's own file in the cooperative, if the cooperative keeps one.
pub async fn mine(app: &App, actor: &CoopActor) -> Result<Option<PersonId>, AppError> {
    let mut tx = app.store.read().await?;
    let found = store::find_by_user(&mut tx, actor.cooperative, actor.user().id).await?;
    tx.commit().await?;
    Ok(found.map(|p| p.id))
}

/// Links a person's file to the account of a member of the cooperative (so they read their own
/// file), or unlinks it with an empty address (`person.manage`).
pub async fn link_account(
    app: &App,
    actor: &CoopActor,
    id: PersonId,
    email: &str,
) -> Result<(), AppError> {
    actor.require(Permission::PersonManage)?;
    let mut tx = app.store.begin().await?;
    store::find(&mut tx, actor.cooperative, id)
        .await?
        .ok_or(AppError::NotFound("person"))?;
    let user = if email.trim().is_empty() {
        None
    } else {
        let email = essaim_domain::account::Email::parse(email)
            .map_err(|c| AppError::field("account_email", c))?;
        let (user, _) = essaim_storage::account::find_with_hash(&mut tx, &email)
            .await?
            .ok_or(AppError::field("account_email", "user_unknown"))?;
        if !role::is_member(&mut tx, actor.cooperative, user.id).await? {
            return Err(AppError::field("account_email", "not_a_member"));
        }
        if store::find_by_user(&mut tx, actor.cooperative, user.id)
            .await?
            .is_some_and(|p| p.id != id)
        {
            return Err(AppError::field("account_email", "account_has_file"));
        }
        Some(user.id)
    };
    store::set_user(&mut tx, actor.cooperative, id, user).await?;
    audit::record_in(
        &mut tx,
        app,
        actor,
        "person.account_linked",
        ("person", id.to_string()),
        json!({ "user": user.map(|u| u.get()) }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Adds a path event after checking it against the path (LIF-10, LIF-21, LIF-30).
pub async fn record_event(
    app: &App,
    actor: &CoopActor,
    id: PersonId,
    input: &PathEventInput,
) -> Result<PathEvent, AppError> {
    actor.require(Permission::PersonManage)?;
    let event = input.parse()?;
    let mut tx = app.store.begin().await?;
    store::find(&mut tx, actor.cooperative, id)
        .await?
        .ok_or(AppError::NotFound("person"))?;
    let items = store::list_items(&mut tx, actor.cooperative).await?;
    let known = |list: RefList, code: &str| {
        items
            .iter()
            .any(|i| i.list == list.code() && i.code == code)
    };
    let mut errors = FieldErrors::new();
    match &event {
        PathEvent::NotAdmitted { reason, .. } if !known(RefList::NonAdmissionReason, reason) => {
            errors.add("reason", "choice_unknown")
        }
        PathEvent::Exited {
            exit_type,
            reason,
            destination,
            ..
        } => {
            if !known(RefList::ExitType, exit_type) {
                errors.add("exit_type", "choice_unknown");
            }
            if !known(RefList::ExitReason, reason) {
                errors.add("reason", "choice_unknown");
            }
            if !known(RefList::Destination, destination) {
                errors.add("destination", "choice_unknown");
            }
        }
        _ => {}
    }
    errors.finish(Some(()))?;
    let path = Path::new(
        store::events(&mut tx, id)
            .await?
            .into_iter()
            .map(|r| r.event)
            .collect(),
    );
    let path = path
        .record(event.clone())
        .map_err(|e| AppError::field(e.field(), e.code()))?;
    let summary = path
        .summary()
        .map_err(|m| AppError::Internal(m.to_string()))?;
    store::append_event(
        &mut tx,
        id,
        &event,
        &summary,
        Some(actor.user().id),
        app.clock.now(),
    )
    .await?;
    audit::record_in(&mut tx, app, actor, "person.event_recorded", ("person", id.to_string()), json!({ "kind": event.kind(), "on": event.date().to_string(), "status": summary.status.code() })).await?;
    tx.commit().await?;
    Ok(event)
}

/// Records a whole path at once (demo data, imports): each event is checked in turn and the
/// projection written once at the end.
pub async fn record_path(
    tx: &mut Tx,
    id: PersonId,
    events: &[PathEvent],
    by: Option<UserId>,
    now: time::OffsetDateTime,
) -> Result<(), AppError> {
    let mut path = Path::default();
    for e in events {
        path = path
            .record(e.clone())
            .map_err(|err| AppError::Internal(format!("{err}: {e:?}")))?;
        store::insert_event(tx, id, e, by, now).await?;
    }
    let summary = path
        .summary()
        .map_err(|m| AppError::Internal(m.to_string()))?;
    store::set_summary(tx, id, &summary).await?;
    Ok(())
}

pub async fn list(
    app: &App,
    actor: &CoopActor,
    filter: &PersonFilter,
    page: i64,
) -> Result<(Vec<PersonLine>, i64), AppError> {
    actor.require(Permission::PersonRead)?;
    let mut tx = app.store.read().await?;
    let out = store::list(
        &mut tx,
        actor.cooperative,
        filter,
        PAGE_SIZE,
        page.max(0) * PAGE_SIZE,
    )
    .await?;
    tx.commit().await?;
    Ok(out)
}

/// Every line of the filtered list, for exports.
pub async fn export(
    app: &App,
    actor: &CoopActor,
    filter: &PersonFilter,
) -> Result<Vec<PersonLine>, AppError> {
    actor.require(Permission::PersonRead)?;
    let mut tx = app.store.read().await?;
    let (rows, _) = store::list(&mut tx, actor.cooperative, filter, 100_000, 0).await?;
    audit::record_in(
        &mut tx,
        app,
        actor,
        "person.exported",
        ("cooperative", actor.cooperative.to_string()),
        json!({ "lines": rows.len() }),
    )
    .await
    .ok();
    tx.commit().await?;
    Ok(rows)
}

/// A deadline on the dashboard.
#[derive(Clone, Debug)]
pub struct Deadline {
    pub person: PersonLine,
    pub what: DeadlineKind,
    pub on: Date,
    pub band: DeadlineBand,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum DeadlineKind {
    Associate,
    CapeEnd,
    TrialEnd,
}

impl DeadlineKind {
    pub fn code(self) -> &'static str {
        match self {
            DeadlineKind::Associate => "associate",
            DeadlineKind::CapeEnd => "cape_end",
            DeadlineKind::TrialEnd => "trial_end",
        }
    }
}

/// LIF-31: associé deadlines within 6, 3 and 1 months or overdue, CAPE ends and trial ends
/// within 6 months, soonest first.
pub async fn deadlines(app: &App, actor: &CoopActor) -> Result<Vec<Deadline>, AppError> {
    actor.require(Permission::PersonRead)?;
    let mut tx = app.store.read().await?;
    let out = deadlines_of(&mut tx, actor.cooperative, app.clock.today()).await?;
    tx.commit().await?;
    Ok(out)
}

/// The deadlines of a cooperative on `today` (shared by the dashboard and the notifications).
pub async fn deadlines_of(
    tx: &mut Tx,
    coop: essaim_domain::ids::CooperativeId,
    today: Date,
) -> Result<Vec<Deadline>, AppError> {
    let until = add_months(today, 6);
    let rows = store::deadlines(tx, coop, today, until).await?;
    let mut out = Vec::new();
    for p in rows {
        for (what, on) in [
            (DeadlineKind::Associate, p.associate_deadline_on),
            (DeadlineKind::CapeEnd, p.cape_end_on),
            (DeadlineKind::TrialEnd, p.trial_end_on),
        ] {
            if let Some(on) = on
                && let Some(band) = DeadlineBand::of(on, today)
                && (what == DeadlineKind::Associate || band != DeadlineBand::Overdue)
            {
                out.push(Deadline {
                    person: p.clone(),
                    what,
                    on,
                    band,
                });
            }
        }
    }
    out.sort_by(|a, b| a.on.cmp(&b.on).then(a.what.cmp(&b.what)));
    Ok(out)
}

pub async fn count_by_status(app: &App, actor: &CoopActor) -> Result<Vec<(String, i64)>, AppError> {
    actor.require(Permission::PersonRead)?;
    let mut tx = app.store.read().await?;
    let out = store::count_by_status(&mut tx, actor.cooperative).await?;
    tx.commit().await?;
    Ok(out)
}

/// The people who can be referents: support roles and administrators of the cooperative.
pub async fn referents(app: &App, actor: &CoopActor) -> Result<Vec<(UserId, String)>, AppError> {
    actor.require(Permission::PersonRead)?;
    let kinds: Vec<RoleKind> = RoleKind::ALL
        .into_iter()
        .filter(|k| k.is_support() || *k == RoleKind::Administrator)
        .collect();
    let mut tx = app.store.read().await?;
    let out = role::holders_of_kinds(&mut tx, actor.cooperative, &kinds).await?;
    tx.commit().await?;
    Ok(out)
}

/// Renames or retires an item of a list (`cooperative.settings`).
pub async fn update_list_item(
    app: &App,
    actor: &CoopActor,
    id: i64,
    label: &str,
    active: bool,
) -> Result<(), AppError> {
    actor.require(Permission::CooperativeSettings)?;
    let label = essaim_domain::validation::required_text(label, 120)
        .map_err(|c| AppError::field("label", c))?;
    let mut tx = app.store.begin().await?;
    if !store::update_item(&mut tx, actor.cooperative, id, &label, active).await? {
        return Err(AppError::NotFound("list item"));
    }
    audit::record_in(
        &mut tx,
        app,
        actor,
        "list.item_updated",
        ("reference_item", id.to_string()),
        json!({ "label": label, "active": active }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Adds an item to a list (`cooperative.settings`); its code is derived from the label.
pub async fn add_list_item(
    app: &App,
    actor: &CoopActor,
    list: &str,
    label: &str,
) -> Result<(), AppError> {
    actor.require(Permission::CooperativeSettings)?;
    let list = RefList::parse(list).ok_or(AppError::field("list", "choice_unknown"))?;
    let label = essaim_domain::validation::required_text(label, 120)
        .map_err(|c| AppError::field("label", c))?;
    let code = essaim_domain::cooperative::slugify(&label).replace('-', "_");
    let mut tx = app.store.begin().await?;
    let position = store::list_items(&mut tx, actor.cooperative)
        .await?
        .iter()
        .filter(|i| i.list == list.code())
        .count();
    if !store::insert_item(
        &mut tx,
        actor.cooperative,
        list,
        &code,
        &label,
        i64::try_from(position).unwrap_or(0),
    )
    .await?
    {
        return Err(AppError::field("label", "list_item_taken"));
    }
    audit::record_in(
        &mut tx,
        app,
        actor,
        "list.item_added",
        ("reference_item", code),
        json!({ "list": list.code(), "label": label }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
