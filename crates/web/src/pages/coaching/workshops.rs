//! Workshops: the list (every session for coaches; the sessions offered to an entrepreneur and
//! theirs), the form, the page with registration, the waiting list, attendance and the sheet.

use super::*;
use axum::http::header;
use essaim_app::records::WorkshopRecord;
use essaim_app::workshops::{self, Clash, WorkshopView};
use essaim_domain::coaching::workshop::{AUDIENCES, HalfDay, Seat, Status, WorkshopInput};

fn hm_of(minute: i64) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

/// One session in a list.
pub struct WorkshopRow {
    pub href: String,
    pub title: String,
    pub when: String,
    pub place: String,
    pub trainer: String,
    pub seats: String,
    pub full: bool,
    pub cancelled: bool,
    /// The reader's seat, when they registered.
    pub seat: Option<String>,
}

fn row_of(t: crate::i18n::Tr, slug: &str, w: &WorkshopRecord, seat: Option<Seat>) -> WorkshopRow {
    WorkshopRow {
        href: paths::workshop(slug, w.workshop_id),
        title: w.title.clone(),
        when: format!(
            "{} {}–{}",
            view::date(w.starts_on),
            hm_of(w.start_minute),
            hm_of(w.end_minute)
        ),
        place: w
            .place
            .clone()
            .unwrap_or_else(|| t.get("workshops.video").to_owned()),
        trainer: w.trainer.clone(),
        seats: t.fmt(
            "workshops.seats",
            &[
                &w.registered.to_string(),
                &w.capacity.to_string(),
                &w.waiting.to_string(),
            ],
        ),
        full: w.registered >= w.capacity,
        cancelled: w.status == Status::Cancelled.code(),
        seat: seat.map(|s| t.get(&format!("workshops.seat.{}", s.code())).to_owned()),
    }
}

#[derive(Template)]
#[template(path = "workshops/list.html")]
pub struct ListPage {
    pub l: Layout,
    pub may_manage: bool,
    pub new_href: String,
    pub upcoming: Vec<WorkshopRow>,
    pub past: Vec<WorkshopRow>,
}

pub async fn workshops(Ctx { app, coop, page }: Ctx) -> PageResult {
    let t = page.layout.t;
    let listing = workshops::list(&app, &coop).await?;
    let rows = |v: &[(WorkshopRecord, Option<Seat>)]| {
        v.iter()
            .map(|(w, s)| row_of(t, &coop.slug, w, *s))
            .collect::<Vec<_>>()
    };
    Ok(render(&ListPage {
        may_manage: coop.may(essaim_domain::access::Permission::CoachingManage),
        new_href: paths::new_workshop(&coop.slug),
        upcoming: rows(&listing.upcoming),
        past: rows(&listing.past),
        l: page.layout.clone(),
    }))
}

// ---------------------------------------------------------------------------------------------
// The form

/// The form as typed: one value per field, repeated `audience` and `topics`.
fn form_of(pairs: &[(String, String)]) -> WorkshopInput {
    WorkshopInput {
        title: one(pairs, "title"),
        description: one(pairs, "description"),
        date: one(pairs, "date"),
        start: one(pairs, "start"),
        end: one(pairs, "end"),
        place: one(pairs, "place"),
        video_link: one(pairs, "video_link"),
        capacity: one(pairs, "capacity"),
        trainer_kind: one(pairs, "trainer_kind"),
        trainer: one(pairs, "trainer"),
        trainer_name: one(pairs, "trainer_name"),
        audience: many(pairs, "audience"),
        topics: many(pairs, "topics"),
        programme: one(pairs, "programme"),
    }
}

#[derive(Template)]
#[template(path = "workshops/form.html")]
pub struct FormPage {
    pub l: Layout,
    pub heading: String,
    pub action: String,
    pub cancel: String,
    pub f: WorkshopInput,
    pub errors: Errors,
    pub trainers: Vec<Choice>,
    pub external: bool,
    pub audience: Vec<Choice>,
    pub topics: Vec<Choice>,
    pub programmes: Vec<Choice>,
}

async fn form_page(
    app: &App,
    page: &Page,
    coop: &CoopActor,
    id: Option<i64>,
    f: WorkshopInput,
    errors: Errors,
) -> PageResult {
    let t = page.layout.t;
    let trainers = workshops::trainers(app, coop).await?;
    Ok(render(&FormPage {
        heading: t
            .get(if id.is_some() {
                "workshops.edit"
            } else {
                "workshops.new"
            })
            .to_owned(),
        action: id.map_or_else(
            || paths::workshops(&coop.slug),
            |id| format!("{}/edit", paths::workshop(&coop.slug, id)),
        ),
        cancel: id.map_or_else(
            || paths::workshops(&coop.slug),
            |id| paths::workshop(&coop.slug, id),
        ),
        trainers: view::people_choices(&trainers, &f.trainer),
        external: f.trainer_kind == "external",
        audience: AUDIENCES
            .iter()
            .map(|s| {
                Choice::new(
                    s.code(),
                    t.get(&format!("status.{}", s.code())),
                    f.audience.iter().any(|a| a == s.code()),
                )
            })
            .collect(),
        topics: topic_choices(app, coop, &f.topics).await?,
        programmes: programme_choices(app, coop, &f.programme).await?,
        f,
        errors,
        l: page.layout.clone(),
    }))
}

pub async fn new_workshop(Ctx { app, coop, page }: Ctx) -> PageResult {
    let f = WorkshopInput {
        date: (app.clock.today() + time::Duration::days(14)).to_string(),
        start: "09:30".into(),
        end: "12:30".into(),
        capacity: "12".into(),
        trainer_kind: "internal".into(),
        trainer: coop.user().id.get().to_string(),
        ..WorkshopInput::default()
    };
    form_page(&app, &page, &coop, None, f, Errors::default()).await
}

fn after_save(slug: &str, id: i64, clashes: &[Clash]) -> String {
    let base = paths::workshop(slug, id);
    if clashes.is_empty() {
        format!("{base}?done=saved")
    } else {
        format!("{base}?done=saved&clash={}", clashes.len())
    }
}

pub async fn create_workshop(
    Ctx { app, coop, page }: Ctx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let f = form_of(&pairs);
    let outcome = workshops::create(&app, &coop, &f).await;
    forms::submit(
        &page,
        outcome,
        |(id, clashes)| after_save(&coop.slug, id, &clashes),
        async |errors| form_page(&app, &page, &coop, None, f, errors).await,
    )
    .await
}

pub async fn edit_workshop(
    Ctx { app, coop, page }: Ctx,
    Path((_, id)): Path<(String, i64)>,
) -> PageResult {
    coop.require(essaim_domain::access::Permission::CoachingManage)?;
    let v = workshops::show(&app, &coop, id).await?;
    let r = &v.record;
    let f = WorkshopInput {
        title: r.title.clone(),
        description: r.description.clone().unwrap_or_default(),
        date: r.starts_on.to_string(),
        start: hm_of(r.start_minute),
        end: hm_of(r.end_minute),
        place: r.place.clone().unwrap_or_default(),
        video_link: r.video_link.clone().unwrap_or_default(),
        capacity: r.capacity.to_string(),
        trainer_kind: if r.trainer_user_id.is_some() {
            "internal"
        } else {
            "external"
        }
        .into(),
        trainer: r.trainer_user_id.map(|u| u.to_string()).unwrap_or_default(),
        trainer_name: if r.trainer_user_id.is_none() {
            r.trainer.clone()
        } else {
            String::new()
        },
        audience: v.audience.iter().map(|s| s.code().to_owned()).collect(),
        topics: r
            .topics
            .split(',')
            .filter(|c| !c.is_empty())
            .map(str::to_owned)
            .collect(),
        programme: r.programme.clone().unwrap_or_default(),
    };
    form_page(&app, &page, &coop, Some(id), f, Errors::default()).await
}

pub async fn update_workshop(
    Ctx { app, coop, page }: Ctx,
    Path((_, id)): Path<(String, i64)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let f = form_of(&pairs);
    let outcome = workshops::update(&app, &coop, id, &f).await;
    forms::submit(
        &page,
        outcome,
        |clashes| after_save(&coop.slug, id, &clashes),
        async |errors| form_page(&app, &page, &coop, Some(id), f, errors).await,
    )
    .await
}

// ---------------------------------------------------------------------------------------------
// The page

/// A registration on the coach's page.
pub struct PersonRow {
    pub person_id: i64,
    pub name: String,
    pub href: String,
    /// Attendance boxes: (field value `person:half`, label, ticked).
    pub halves: Vec<(String, String, bool)>,
}

#[derive(Template)]
#[template(path = "workshops/show.html")]
pub struct ShowPage {
    pub l: Layout,
    pub row: WorkshopRow,
    pub message: Option<String>,
    pub clash: Option<String>,
    pub errors: Errors,
    pub description: Option<String>,
    pub video_link: Option<String>,
    pub audience: String,
    pub topics: String,
    pub halves: String,
    pub may_manage: bool,
    pub base: String,
    /// The reader's own seat and what they may do.
    pub my_seat: Option<String>,
    pub may_register: bool,
    pub may_withdraw: bool,
    pub registered: Vec<PersonRow>,
    pub waiting: Vec<PersonRow>,
    pub choices: Vec<Choice>,
    pub may_record: bool,
    pub may_edit: bool,
    pub back_href: String,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct ShowQuery {
    pub done: String,
    pub clash: String,
}

fn half_label(t: crate::i18n::Tr, h: HalfDay) -> String {
    t.get(&format!("workshops.half.{}", h.code())).to_owned()
}

async fn show_page(
    app: &App,
    page: &Page,
    coop: &CoopActor,
    id: i64,
    q: &ShowQuery,
    errors: Errors,
) -> PageResult {
    let t = page.layout.t;
    let v: WorkshopView = workshops::show(app, coop, id).await?;
    let slug = &coop.slug;
    let people = |seat: Seat| {
        v.registrations
            .iter()
            .filter(|g| g.seat == seat.code())
            .map(|g| PersonRow {
                person_id: g.person_id,
                name: format!("{} {}", g.last_name, g.first_name),
                href: paths::person(slug, g.person_id),
                halves: v
                    .half_days
                    .iter()
                    .map(|h| {
                        (
                            format!("{}:{}", g.person_id, h.code()),
                            half_label(t, *h),
                            v.attendance
                                .iter()
                                .any(|(p, hh, here)| *p == g.person_id && hh == h && *here),
                        )
                    })
                    .collect(),
            })
            .collect::<Vec<_>>()
    };
    let planned = v.status == Status::Planned;
    let choices = if v.may_manage && planned {
        workshops::registrable(app, coop, id)
            .await?
            .into_iter()
            .map(|(p, name)| Choice::new(p.to_string(), name, false))
            .collect()
    } else {
        Vec::new()
    };
    Ok(render(&ShowPage {
        row: row_of(t, slug, &v.record, v.my_seat),
        message: (!q.done.is_empty())
            .then(|| t.get(&format!("workshops.done.{}", q.done)).to_owned()),
        clash: q
            .clash
            .parse::<usize>()
            .ok()
            .filter(|n| *n > 0)
            .map(|n| t.fmt("workshops.clash", &[&n.to_string()])),
        errors,
        description: v.record.description.clone(),
        video_link: v.record.video_link.clone(),
        audience: if v.audience.is_empty() {
            t.get("workshops.audience_all").to_owned()
        } else {
            v.audience
                .iter()
                .map(|s| t.get(&format!("status.{}", s.code())).to_owned())
                .collect::<Vec<_>>()
                .join(", ")
        },
        topics: v.topics.join(", "),
        halves: v
            .half_days
            .iter()
            .map(|h| half_label(t, *h))
            .collect::<Vec<_>>()
            .join(", "),
        may_manage: v.may_manage,
        base: paths::workshop(slug, id),
        my_seat: v
            .my_seat
            .filter(|s| *s != Seat::Withdrawn)
            .map(|s| t.get(&format!("workshops.you.{}", s.code())).to_owned()),
        may_register: v.may_register,
        may_withdraw: planned
            && !v.started
            && matches!(v.my_seat, Some(Seat::Registered | Seat::Waiting)),
        registered: people(Seat::Registered),
        waiting: people(Seat::Waiting),
        choices,
        may_record: v.may_manage && planned && v.started,
        may_edit: v.may_manage && planned,
        back_href: paths::workshops(slug),
        l: page.layout.clone(),
    }))
}

pub async fn workshop(
    Ctx { app, coop, page }: Ctx,
    Path((_, id)): Path<(String, i64)>,
    Query(q): Query<ShowQuery>,
) -> PageResult {
    show_page(&app, &page, &coop, id, &q, Errors::default()).await
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct PersonForm {
    /// A coach registering or withdrawing someone; empty for oneself.
    pub person: String,
}

impl PersonForm {
    fn person(&self) -> Result<Option<i64>, AppError> {
        let p = self.person.trim();
        if p.is_empty() {
            return Ok(None);
        }
        p.parse()
            .map(Some)
            .map_err(|_| AppError::field("person", "person_unknown"))
    }
}

pub async fn register(
    Ctx { app, coop, page }: Ctx,
    Path((_, id)): Path<(String, i64)>,
    Form(f): Form<PersonForm>,
) -> PageResult {
    let outcome = match f.person() {
        Ok(p) => workshops::register(&app, &coop, id, p).await,
        Err(e) => Err(e),
    };
    forms::submit(
        &page,
        outcome,
        |seat| format!("{}?done={}", paths::workshop(&coop.slug, id), seat.code()),
        async |errors| show_page(&app, &page, &coop, id, &ShowQuery::default(), errors).await,
    )
    .await
}

pub async fn withdraw(
    Ctx { app, coop, page }: Ctx,
    Path((_, id)): Path<(String, i64)>,
    Form(f): Form<PersonForm>,
) -> PageResult {
    let outcome = match f.person() {
        Ok(p) => workshops::withdraw(&app, &coop, id, p).await,
        Err(e) => Err(e),
    };
    forms::submit(
        &page,
        outcome,
        |()| format!("{}?done=withdrawn", paths::workshop(&coop.slug, id)),
        async |errors| show_page(&app, &page, &coop, id, &ShowQuery::default(), errors).await,
    )
    .await
}

/// The attendance form: one box per registered person and half-day, named `present`, valued
/// `person:half`.
pub async fn attendance(
    Ctx { app, coop, page }: Ctx,
    Path((_, id)): Path<(String, i64)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let mut present = Vec::new();
    let mut malformed = false;
    for (k, v) in &pairs {
        if k != "present" {
            continue;
        }
        match v.split_once(':').map(|(p, h)| (p.parse::<i64>(), h)) {
            Some((Ok(p), h)) => present.push((p, h.to_owned())),
            _ => malformed = true,
        }
    }
    let outcome = if malformed {
        Err(AppError::field("attendance", "not_registered"))
    } else {
        workshops::record_attendance(&app, &coop, id, &present).await
    };
    forms::submit(
        &page,
        outcome,
        |()| format!("{}?done=attendance", paths::workshop(&coop.slug, id)),
        async |errors| show_page(&app, &page, &coop, id, &ShowQuery::default(), errors).await,
    )
    .await
}

pub async fn cancel(
    Ctx { app, coop, page }: Ctx,
    Path((_, id)): Path<(String, i64)>,
) -> PageResult {
    let outcome = workshops::cancel(&app, &coop, id).await;
    forms::submit(
        &page,
        outcome,
        |()| format!("{}?done=cancelled", paths::workshop(&coop.slug, id)),
        async |errors| show_page(&app, &page, &coop, id, &ShowQuery::default(), errors).await,
    )
    .await
}

/// The attendance sheet to print and sign.
pub async fn sheet(Ctx { app, coop, .. }: Ctx, Path((_, id)): Path<(String, i64)>) -> PageResult {
    let pdf = workshops::sheet(&app, &coop, id).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"emargement-atelier-{id}.pdf\""),
            ),
        ],
        pdf,
    )
        .into_response())
}
