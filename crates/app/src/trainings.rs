//! Trainings (issue 9, point 4): when the cooperative is a declared training organisation, the
//! courses its activities (or the cooperative itself) deliver under its name: sessions,
//! trainees, attendance, and the yearly summary (BPF) counted from them.
//!
//! Who may do what: the support team holding `coaching.manage` manages every course and reads
//! the summary; an entrepreneur manages the courses of the activities they sell for
//! (`sale.manage` on them); the declaration number is set with `cooperative.settings`.

use crate::{App, AppError, CoopActor, audit};
use essaim_domain::access::{Permission, Target};
use essaim_domain::coaching::training::{
    self, Category, CourseFacts, CourseInput, Objective, SessionInput, Summary, TraineeInput,
    TrainerKind,
};
use essaim_domain::ids::ActivityId;
use essaim_storage::Tx;
use essaim_storage::training::{
    self as store, CourseRecord, NewCourse, NewTrainee, SessionRecord, TraineeRecord,
};
use serde_json::json;
use time::Date;

/// Whether the person may open the trainings at all.
pub fn may_use(actor: &CoopActor) -> bool {
    actor.may(Permission::CoachingManage) || actor.access.has_any(Permission::SaleManage)
}

fn may_manage(actor: &CoopActor, activity: Option<i64>) -> bool {
    actor.may(Permission::CoachingManage)
        || activity.is_some_and(|a| {
            actor
                .access
                .allows(Permission::SaleManage, Target::Activity(ActivityId::new(a)))
        })
}

/// The cooperative's declaration number, when it is a training organisation.
pub async fn declaration(app: &App, actor: &CoopActor) -> Result<Option<String>, AppError> {
    if !may_use(actor) && !actor.may(Permission::CooperativeSettings) {
        return Err(AppError::Forbidden);
    }
    let mut tx = app.store.read().await?;
    let d = store::declaration(&mut tx, actor.cooperative).await?;
    tx.commit().await?;
    Ok(d)
}

/// Sets the declaration number (empty: the cooperative is no longer a training organisation;
/// the courses stay).
pub async fn set_declaration(app: &App, actor: &CoopActor, input: &str) -> Result<(), AppError> {
    actor.require(Permission::CooperativeSettings)?;
    let d = training::parse_declaration(input).map_err(|c| AppError::field("declaration", c))?;
    let mut tx = app.store.begin().await?;
    store::set_declaration(
        &mut tx,
        actor.cooperative,
        d.as_deref(),
        actor.user().id,
        app.clock.now(),
    )
    .await?;
    audit::record_in(
        &mut tx,
        app,
        actor,
        "training.declaration",
        ("cooperative", actor.cooperative.get().to_string()),
        json!({ "declaration": d }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The activities a course may be delivered by, for this person: (id, name); `None` is the
/// cooperative itself (the support team only).
pub async fn activity_choices(
    app: &App,
    actor: &CoopActor,
) -> Result<Vec<(Option<i64>, String)>, AppError> {
    let mut tx = app.store.read().await?;
    let out = activity_choices_in(&mut tx, actor).await?;
    tx.commit().await?;
    Ok(out)
}

async fn activity_choices_in(
    tx: &mut Tx,
    actor: &CoopActor,
) -> Result<Vec<(Option<i64>, String)>, AppError> {
    let mut out = Vec::new();
    if actor.may(Permission::CoachingManage) {
        out.push((None, String::new()));
    }
    for (id, name, _, _) in
        essaim_storage::payroll::overview_activities(tx, actor.cooperative).await?
    {
        if may_manage(actor, Some(id)) {
            out.push((Some(id), name));
        }
    }
    Ok(out)
}

/// The courses the person may see: every one for the support team, their activities' others.
pub async fn list(app: &App, actor: &CoopActor) -> Result<Vec<CourseRecord>, AppError> {
    if !may_use(actor) {
        return Err(AppError::Forbidden);
    }
    let mut tx = app.store.read().await?;
    let rows = if actor.may(Permission::CoachingManage) {
        store::list_courses(&mut tx, actor.cooperative, None).await?
    } else {
        let own: Vec<i64> = activity_choices_in(&mut tx, actor)
            .await?
            .into_iter()
            .filter_map(|(a, _)| a)
            .collect();
        store::list_courses(&mut tx, actor.cooperative, Some(&own)).await?
    };
    tx.commit().await?;
    Ok(rows)
}

async fn check(
    tx: &mut Tx,
    actor: &CoopActor,
    input: &CourseInput,
) -> Result<training::Course, AppError> {
    if store::declaration(tx, actor.cooperative).await?.is_none() {
        return Err(AppError::field("title", "training_no_declaration"));
    }
    let allowed: Vec<Option<i64>> = activity_choices_in(tx, actor)
        .await?
        .into_iter()
        .map(|(a, _)| a)
        .collect();
    Ok(training::parse_course(input, &allowed)?)
}

fn row_of(c: &training::Course) -> NewCourse<'_> {
    NewCourse {
        activity: c.activity,
        title: &c.title,
        objectives: &c.objectives,
        objective: c.objective.code(),
        speciality: c.speciality.as_deref(),
        planned_minutes: c.planned_minutes,
        trainer_kind: c.trainer_kind.code(),
        trainer: &c.trainer,
    }
}

/// Creates a course; returns its id.
pub async fn create(app: &App, actor: &CoopActor, input: &CourseInput) -> Result<i64, AppError> {
    if !may_use(actor) {
        return Err(AppError::Forbidden);
    }
    let mut tx = app.store.begin().await?;
    let c = check(&mut tx, actor, input).await?;
    let id = store::insert_course(
        &mut tx,
        actor.cooperative,
        &row_of(&c),
        actor.user().id,
        app.clock.now(),
    )
    .await?;
    audit::record_in(
        &mut tx,
        app,
        actor,
        "training.created",
        ("training", id.to_string()),
        json!({ "activity": c.activity, "planned_minutes": c.planned_minutes }),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The course, when the person may manage it; an unknown course and another person's are
/// both "not found".
async fn load(tx: &mut Tx, actor: &CoopActor, id: i64) -> Result<CourseRecord, AppError> {
    match store::find_course(tx, actor.cooperative, id).await? {
        Some(c) if may_manage(actor, c.activity_id) => Ok(c),
        _ => Err(AppError::NotFound("training")),
    }
}

pub async fn update(
    app: &App,
    actor: &CoopActor,
    id: i64,
    input: &CourseInput,
) -> Result<(), AppError> {
    let mut tx = app.store.begin().await?;
    load(&mut tx, actor, id).await?;
    let c = check(&mut tx, actor, input).await?;
    store::update_course(&mut tx, actor.cooperative, id, &row_of(&c), app.clock.now()).await?;
    audit::record_in(
        &mut tx,
        app,
        actor,
        "training.updated",
        ("training", id.to_string()),
        json!({ "activity": c.activity, "planned_minutes": c.planned_minutes }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A course with its sessions, trainees and attendance.
#[derive(Clone, Debug)]
pub struct CourseView {
    pub course: CourseRecord,
    pub sessions: Vec<SessionRecord>,
    pub trainees: Vec<TraineeRecord>,
    /// (trainee, session) present.
    pub present: Vec<(i64, i64)>,
}

impl CourseView {
    /// The minutes the trainee attended.
    pub fn minutes_of(&self, trainee: i64) -> i64 {
        self.sessions
            .iter()
            .filter(|s| self.present.contains(&(trainee, s.session_id)))
            .map(|s| s.end_minute - s.start_minute)
            .sum()
    }
    /// The minutes of every session.
    pub fn scheduled_minutes(&self) -> i64 {
        self.sessions
            .iter()
            .map(|s| s.end_minute - s.start_minute)
            .sum()
    }
}

pub async fn show(app: &App, actor: &CoopActor, id: i64) -> Result<CourseView, AppError> {
    let mut tx = app.store.read().await?;
    let course = load(&mut tx, actor, id).await?;
    let sessions = store::sessions_of(&mut tx, &[id]).await?;
    let trainees = store::trainees_of(&mut tx, &[id]).await?;
    let present = store::attendance_of(&mut tx, &[id]).await?;
    tx.commit().await?;
    Ok(CourseView {
        course,
        sessions,
        trainees,
        present,
    })
}

pub async fn add_session(
    app: &App,
    actor: &CoopActor,
    id: i64,
    input: &SessionInput,
) -> Result<(), AppError> {
    let s = training::parse_session(input)?;
    let mut tx = app.store.begin().await?;
    load(&mut tx, actor, id).await?;
    let sid = store::insert_session(&mut tx, id, s.on, s.start_minute, s.end_minute).await?;
    audit::record_in(
        &mut tx,
        app,
        actor,
        "training.session_added",
        ("training", id.to_string()),
        json!({ "session": sid, "on": s.on.to_string(), "minutes": s.minutes() }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn remove_session(
    app: &App,
    actor: &CoopActor,
    id: i64,
    session: i64,
) -> Result<(), AppError> {
    let mut tx = app.store.begin().await?;
    load(&mut tx, actor, id).await?;
    if !store::delete_session(&mut tx, id, session).await? {
        return Err(AppError::NotFound("session"));
    }
    audit::record_in(
        &mut tx,
        app,
        actor,
        "training.session_removed",
        ("training", id.to_string()),
        json!({ "session": session }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn add_trainee(
    app: &App,
    actor: &CoopActor,
    id: i64,
    input: &TraineeInput,
) -> Result<(), AppError> {
    let t = training::parse_trainee(input)?;
    let mut tx = app.store.begin().await?;
    load(&mut tx, actor, id).await?;
    let tid = store::insert_trainee(
        &mut tx,
        id,
        &NewTrainee {
            last_name: &t.last_name,
            first_name: &t.first_name,
            email: t.email.as_deref(),
            category: t.category.code(),
            organisation: t.organisation.as_deref(),
        },
        app.clock.now(),
    )
    .await?;
    audit::record_in(
        &mut tx,
        app,
        actor,
        "training.trainee_added",
        ("training", id.to_string()),
        json!({ "trainee": tid, "category": t.category.code() }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn remove_trainee(
    app: &App,
    actor: &CoopActor,
    id: i64,
    trainee: i64,
) -> Result<(), AppError> {
    let mut tx = app.store.begin().await?;
    load(&mut tx, actor, id).await?;
    if !store::delete_trainee(&mut tx, id, trainee).await? {
        return Err(AppError::NotFound("trainee"));
    }
    audit::record_in(
        &mut tx,
        app,
        actor,
        "training.trainee_removed",
        ("training", id.to_string()),
        json!({ "trainee": trainee }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Records who was present at which session: `present` lists (trainee, session); the boxes
/// left empty are absences. Only sessions already held may have someone present.
pub async fn record_attendance(
    app: &App,
    actor: &CoopActor,
    id: i64,
    present: &[(i64, i64)],
) -> Result<(), AppError> {
    let mut tx = app.store.begin().await?;
    load(&mut tx, actor, id).await?;
    let sessions = store::sessions_of(&mut tx, &[id]).await?;
    let trainees = store::trainees_of(&mut tx, &[id]).await?;
    let today = app.clock.today();
    let mut kept: Vec<(i64, i64)> = Vec::new();
    for (t, s) in present {
        let session = sessions.iter().find(|x| x.session_id == *s);
        if !trainees.iter().any(|x| x.trainee_id == *t) || session.is_none() {
            return Err(AppError::field("attendance", "attendance_unknown"));
        }
        if session.is_some_and(|x| x.held_on > today) {
            return Err(AppError::field("attendance", "attendance_future"));
        }
        if !kept.contains(&(*t, *s)) {
            kept.push((*t, *s));
        }
    }
    store::set_attendance(&mut tx, id, &kept, actor.user().id, app.clock.now()).await?;
    audit::record_in(
        &mut tx,
        app,
        actor,
        "training.attendance",
        ("training", id.to_string()),
        json!({ "present": kept.len() }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The fiscal year starting in `year` (the BPF covers the organisation's accounting year).
pub async fn fiscal_year(
    app: &App,
    actor: &CoopActor,
    year: i32,
) -> Result<(Date, Date), AppError> {
    let mut tx = app.store.read().await?;
    let coop = essaim_storage::cooperative::find(&mut tx, actor.cooperative)
        .await?
        .ok_or(AppError::NotFound("cooperative"))?;
    tx.commit().await?;
    let fiscal = coop.identity.fiscal_year_start;
    let month = time::Month::try_from(fiscal.month()).map_err(|_| AppError::NotFound("year"))?;
    let start = Date::from_calendar_date(year, month, fiscal.day())
        .map_err(|_| AppError::field("year", "year_format"))?;
    let end = essaim_domain::payroll::account::year_end_of(fiscal, start);
    Ok((start, end))
}

/// The yearly summary over `[from, to]`, with the declaration number and the courses counted.
pub struct Bpf {
    pub declaration: Option<String>,
    pub summary: Summary,
    pub courses: Vec<CourseRecord>,
}

pub async fn summary(app: &App, actor: &CoopActor, from: Date, to: Date) -> Result<Bpf, AppError> {
    actor.require(Permission::CoachingManage)?;
    let mut tx = app.store.read().await?;
    let declaration = store::declaration(&mut tx, actor.cooperative).await?;
    let courses = store::courses_held(&mut tx, actor.cooperative, from, to).await?;
    let ids: Vec<i64> = courses.iter().map(|c| c.course_id).collect();
    let sessions = store::sessions_of(&mut tx, &ids).await?;
    let trainees = store::trainees_of(&mut tx, &ids).await?;
    let present = store::attendance_of(&mut tx, &ids).await?;
    tx.commit().await?;
    let facts: Vec<CourseFacts> = courses
        .iter()
        .map(|c| {
            let own_trainees: Vec<(i64, Category)> = trainees
                .iter()
                .filter(|t| t.course_id == c.course_id)
                .filter_map(|t| Category::parse(&t.category).map(|k| (t.trainee_id, k)))
                .collect();
            CourseFacts {
                objective: Objective::parse(&c.objective),
                trainer_kind: TrainerKind::parse(&c.trainer_kind),
                trainer: c.trainer.clone(),
                sessions: sessions
                    .iter()
                    .filter(|s| s.course_id == c.course_id)
                    .map(|s| (s.session_id, s.held_on, s.end_minute - s.start_minute))
                    .collect(),
                present: present
                    .iter()
                    .filter(|(t, _)| own_trainees.iter().any(|(x, _)| x == t))
                    .copied()
                    .collect(),
                trainees: own_trainees,
            }
        })
        .collect();
    Ok(Bpf {
        declaration,
        summary: training::summary(&facts, from, to),
        courses,
    })
}

/// The demo's courses: the cooperative is declared; the activities of the demo entrepreneur and
/// one in eight of the others deliver a course every few months over the years of history and
/// the next two months (two or three sessions, four to ten trainees of the usual categories);
/// attendance is recorded for the sessions held (most came).
pub(crate) async fn demo_seed(
    app: &App,
    coop: essaim_domain::ids::CooperativeId,
    rng: &mut crate::demo::Rng,
    by: essaim_domain::ids::UserId,
    years: u32,
) -> Result<(), AppError> {
    const COURSES: [(&str, &str, Objective, &str); 5] = [
        (
            "Tenir sa comptabilité de trésorerie",
            "Saisir ses recettes et dépenses, rapprocher son compte bancaire, lire son résultat.",
            Objective::Professional,
            "314 Comptabilité, gestion",
        ),
        (
            "Prendre la parole en public",
            "Structurer une intervention de dix minutes et la tenir devant un groupe.",
            Objective::Professional,
            "415 Développement des capacités d'orientation, d'insertion",
        ),
        (
            "Créer son site avec un outil libre",
            "Publier un site de cinq pages, le mettre à jour et le faire connaître.",
            Objective::Rs,
            "326 Informatique, traitement de l'information",
        ),
        (
            "Bilan de compétences",
            "Faire le point sur ses compétences et construire un projet professionnel.",
            Objective::SkillsAssessment,
            "415 Développement des capacités d'orientation, d'insertion",
        ),
        (
            "Gestes et postures au travail",
            "Prévenir les troubles musculo-squelettiques par des gestes adaptés.",
            Objective::Professional,
            "344 Sécurité des biens et des personnes",
        ),
    ];
    const NAMES: [(&str, &str); 12] = [
        ("Bernard", "Lucie"),
        ("Moreau", "Karim"),
        ("Laurent", "Sophie"),
        ("Garcia", "Thomas"),
        ("Lefèvre", "Aïcha"),
        ("Roux", "Julien"),
        ("Fournier", "Camille"),
        ("Girard", "Mehdi"),
        ("Bonnet", "Élodie"),
        ("Mercier", "Antoine"),
        ("Blanc", "Fatou"),
        ("Chevalier", "Nicolas"),
    ];
    let today = app.clock.today();
    let now = app.clock.now();
    let mut tx = app.store.begin().await?;
    store::set_declaration(&mut tx, coop, Some("11759912375"), by, now).await?;
    let activities = essaim_storage::activity::list(&mut tx, coop, None, None).await?;
    let email = essaim_domain::account::Email::parse(crate::demo::DEMO_ENTREPRENEUR)
        .map_err(|c| AppError::Internal(c.to_owned()))?;
    let demo_entrepreneur = essaim_storage::account::find_with_hash(&mut tx, &email)
        .await?
        .map(|(u, _)| u.id);
    let start = today - time::Duration::days(365 * i64::from(years.max(1)));
    for (n, a) in activities.iter().enumerate() {
        let theirs = a
            .members
            .iter()
            .any(|(u, _, _)| Some(*u) == demo_entrepreneur);
        let Some((_, trainer, _)) = a.members.first() else {
            continue;
        };
        if !theirs && n % 8 != 0 {
            continue;
        }
        let mut day = start + time::Duration::days(i64::try_from(rng.below(60)).unwrap_or(0));
        while day <= today + time::Duration::days(60) {
            let (title, objectives, objective, speciality) = *rng.pick(&COURSES);
            let sessions = 2 + rng.below(2);
            let minutes = if rng.below(2) == 0 { 210 } else { 420 };
            let id = store::insert_course(
                &mut tx,
                coop,
                &NewCourse {
                    activity: Some(a.id.get()),
                    title,
                    objectives,
                    objective: objective.code(),
                    speciality: Some(speciality),
                    planned_minutes: i64::try_from(sessions).unwrap_or(2) * minutes,
                    trainer_kind: TrainerKind::Internal.code(),
                    trainer,
                },
                by,
                now,
            )
            .await?;
            let mut held = Vec::new();
            for s in 0..sessions {
                let on = day + time::Duration::days(i64::try_from(s * 7).unwrap_or(0));
                let (from, to) = if minutes == 210 {
                    (9 * 60, 12 * 60 + 30)
                } else {
                    (9 * 60, 17 * 60)
                };
                let sid = store::insert_session(&mut tx, id, on, from, to).await?;
                if on <= today {
                    held.push(sid);
                }
            }
            let mut present = Vec::new();
            let count = 4 + rng.below(7);
            let mut taken = Vec::new();
            for _ in 0..count {
                let (last, first) = *rng.pick(&NAMES);
                if taken.contains(&last) {
                    continue;
                }
                taken.push(last);
                let category = match rng.below(10) {
                    0..=4 => Category::Employee,
                    5..=6 => Category::JobSeeker,
                    7 => Category::Individual,
                    8 => Category::Apprentice,
                    _ => Category::Other,
                };
                let tid = store::insert_trainee(
                    &mut tx,
                    id,
                    &NewTrainee {
                        last_name: last,
                        first_name: first,
                        email: None,
                        category: category.code(),
                        organisation: (category == Category::Employee)
                            .then_some("Opérateur de compétences (OPCO)"),
                    },
                    now,
                )
                .await?;
                for s in &held {
                    if rng.below(10) != 0 {
                        present.push((tid, *s));
                    }
                }
            }
            store::set_attendance(&mut tx, id, &present, by, now).await?;
            day += time::Duration::days(70 + i64::try_from(rng.below(60)).unwrap_or(0));
        }
    }
    tx.commit().await?;
    Ok(())
}
