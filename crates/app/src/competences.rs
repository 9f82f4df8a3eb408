//! Competence grids (issue 9, point 5): coaches set the cooperative's grid and scale; an
//! entrepreneur assesses themselves; a coach assesses an entrepreneur; both see the progress.
//! An entrepreneur sees only their own assessments.

use crate::{App, AppError, CoopActor, audit};
use essaim_domain::access::Permission;
use essaim_domain::coaching::competence::{
    self, AssessmentInput, Assessor, DEFAULT_COMPETENCES, DEFAULT_LEVELS,
};
use essaim_domain::coaching::topic_code;
use essaim_domain::ids::PersonId;
use essaim_domain::validation::required_text;
use essaim_storage::Tx;
use essaim_storage::competence::{
    self as store, AssessmentRecord, CompetenceRecord, NewAssessment,
};
use serde_json::json;

/// The grid: the cooperative's competences and scale, or the defaults until it saves its own.
#[derive(Clone, Debug)]
pub struct Grid {
    pub competences: Vec<CompetenceRecord>,
    /// Level labels, from level 1.
    pub levels: Vec<String>,
}

impl Grid {
    pub fn active(&self) -> impl Iterator<Item = &CompetenceRecord> {
        self.competences.iter().filter(|c| c.active)
    }
    pub fn label_of(&self, code: &str) -> String {
        self.competences
            .iter()
            .find(|c| c.code == code)
            .map_or_else(|| code.to_owned(), |c| c.label.clone())
    }
}

pub async fn grid(app: &App, actor: &CoopActor) -> Result<Grid, AppError> {
    let mut tx = app.store.read().await?;
    let g = grid_in(&mut tx, actor).await?;
    tx.commit().await?;
    Ok(g)
}

async fn grid_in(tx: &mut Tx, actor: &CoopActor) -> Result<Grid, AppError> {
    let mut competences = store::competences(tx, actor.cooperative).await?;
    if competences.is_empty() {
        competences = DEFAULT_COMPETENCES
            .iter()
            .zip(1..)
            .map(|((code, label), position)| CompetenceRecord {
                code: (*code).to_owned(),
                label: (*label).to_owned(),
                position,
                active: true,
            })
            .collect();
    }
    let mut levels = store::levels(tx, actor.cooperative).await?;
    if levels.is_empty() {
        levels = DEFAULT_LEVELS.iter().map(|l| (*l).to_owned()).collect();
    }
    Ok(Grid {
        competences,
        levels,
    })
}

/// A competence as typed on the settings page.
#[derive(Clone, Debug, Default)]
pub struct CompetenceInput {
    pub code: String,
    pub label: String,
    pub active: bool,
}

/// Saves the grid: the competences (in the order given; the defaults are written the first
/// time) and the scale. A competence is never deleted, only turned off, so past assessments
/// keep their meaning.
pub async fn save_grid(
    app: &App,
    actor: &CoopActor,
    rows: &[CompetenceInput],
    levels: &[String],
) -> Result<(), AppError> {
    actor.require(Permission::CoachingManage)?;
    let mut e = essaim_domain::FieldErrors::new();
    let mut checked = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        if r.code.trim().is_empty() && r.label.trim().is_empty() {
            continue;
        }
        let code = topic_code(&r.code);
        let label = required_text(&r.label, 120);
        if let Err(c) = code {
            e.add_row(i, "code", c);
        }
        if let Err(c) = label {
            e.add_row(i, "label", c);
        }
        if let (Ok(code), Ok(label)) = (code, label) {
            checked.push(CompetenceRecord {
                code,
                label,
                position: i64::try_from(i).unwrap_or(0) + 1,
                active: r.active,
            });
        }
    }
    let levels = match competence::parse_levels(levels) {
        Ok(l) => Some(l),
        Err(le) => {
            e.0.extend(le.0);
            None
        }
    };
    if !e.is_empty() {
        return Err(e.into());
    }
    let mut tx = app.store.begin().await?;
    for c in grid_in(&mut tx, actor).await?.competences {
        store::save_competence(&mut tx, actor.cooperative, &c).await?;
    }
    for c in &checked {
        store::save_competence(&mut tx, actor.cooperative, c).await?;
    }
    if let Some(levels) = &levels {
        store::set_levels(&mut tx, actor.cooperative, levels).await?;
    }
    audit::record_in(
        &mut tx,
        app,
        actor,
        "competences.grid_saved",
        ("cooperative", actor.cooperative.to_string()),
        json!({ "competences": checked.len(), "levels": levels.map(|l| l.len()) }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Whose assessments: the signed-in entrepreneur's own (`None`), or, for a coach, a person's.
/// Returns the person's id and name.
async fn whose(
    tx: &mut Tx,
    actor: &CoopActor,
    person: Option<PersonId>,
) -> Result<(i64, String), AppError> {
    let found = match person {
        Some(p) => {
            actor.require(Permission::CoachingManage)?;
            essaim_storage::person::find(tx, actor.cooperative, p).await?
        }
        None => crate::people::own_file(tx, actor).await?,
    };
    found
        .map(|p| {
            (
                p.id.get(),
                format!("{} {}", p.details.first_name, p.details.last_name),
            )
        })
        .ok_or(AppError::NotFound("person"))
}

/// Records an assessment: a self-assessment (`person` empty) or a coach's of `person`.
pub async fn assess(
    app: &App,
    actor: &CoopActor,
    person: Option<PersonId>,
    input: &AssessmentInput,
) -> Result<i64, AppError> {
    let mut tx = app.store.begin().await?;
    let (who, _) = whose(&mut tx, actor, person).await?;
    let grid = grid_in(&mut tx, actor).await?;
    let codes: Vec<String> = grid.active().map(|c| c.code.clone()).collect();
    let levels = i64::try_from(grid.levels.len()).unwrap_or(0);
    let a = competence::parse_assessment(input, &codes, levels, app.clock.today())?;
    let assessor = if person.is_some() {
        Assessor::Coach
    } else {
        Assessor::Own
    };
    let id = store::insert_assessment(
        &mut tx,
        actor.cooperative,
        &NewAssessment {
            person: who,
            on: a.on,
            assessor: assessor.code(),
            by: actor.user().id,
            comment: a.comment.as_deref(),
            scores: &a.scores,
        },
        app.clock.now(),
    )
    .await?;
    audit::record_in(
        &mut tx,
        app,
        actor,
        "competences.assessed",
        ("person", who.to_string()),
        json!({ "by": assessor.code(), "on": a.on.to_string(), "scores": a.scores.len() }),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// A person's assessments with the grid they are read against.
#[derive(Clone, Debug)]
pub struct History {
    pub person: i64,
    pub name: String,
    pub grid: Grid,
    pub assessments: Vec<AssessmentRecord>,
}

/// The assessments of the signed-in entrepreneur (`None`) or, for a coach, of a person.
pub async fn history(
    app: &App,
    actor: &CoopActor,
    person: Option<PersonId>,
) -> Result<History, AppError> {
    let mut tx = app.store.read().await?;
    let (who, name) = whose(&mut tx, actor, person).await?;
    let grid = grid_in(&mut tx, actor).await?;
    let assessments = store::assessments_of(&mut tx, actor.cooperative, who).await?;
    tx.commit().await?;
    Ok(History {
        person: who,
        name,
        grid,
        assessments,
    })
}

impl History {
    /// The assessments as the domain reads them.
    pub fn recorded(&self) -> Vec<competence::Recorded> {
        self.assessments
            .iter()
            .filter_map(|a| {
                Assessor::parse(&a.assessor).map(|by| competence::Recorded {
                    on: a.assessed_on,
                    by,
                    scores: a.scores.clone(),
                })
            })
            .collect()
    }
}

/// The demo's assessments: every entrepreneur supported with an account assesses themselves when
/// support starts and about every eight months, their referent (or a coach) assesses everyone
/// supported three weeks later; levels rise slowly on the default grid.
pub(crate) async fn demo_seed(
    app: &App,
    coop: essaim_domain::ids::CooperativeId,
    rng: &mut crate::demo::Rng,
    coaches: &[essaim_domain::ids::UserId],
) -> Result<(), AppError> {
    if coaches.is_empty() {
        return Ok(());
    }
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
    let created = essaim_storage::person::created_days(&mut tx, coop).await?;
    let top = i64::try_from(DEFAULT_LEVELS.len()).unwrap_or(4);
    for p in &people {
        let supported = essaim_domain::path::Status::parse(&p.status)
            .is_some_and(essaim_domain::path::Status::is_supported);
        if !supported {
            continue;
        }
        // A self-assessment needs an account: those without one are assessed by their coach only.
        let user = essaim_storage::person::find(&mut tx, coop, PersonId::new(p.person_id))
            .await?
            .and_then(|f| f.user_id);
        let coach = p
            .referent_user_id
            .map(essaim_domain::ids::UserId::new)
            .unwrap_or_else(|| *rng.pick(coaches));
        let mut day = created.get(&p.person_id).copied().unwrap_or(today);
        let mut levels: Vec<i64> = DEFAULT_COMPETENCES
            .iter()
            .map(|_| 1 + i64::try_from(rng.below(2)).unwrap_or(0))
            .collect();
        while day <= today {
            let own = user.map(|u| (Assessor::Own, u, 0));
            for (assessor, by, shift) in own.into_iter().chain([(Assessor::Coach, coach, 21)]) {
                let on = day + time::Duration::days(shift);
                if on > today {
                    continue;
                }
                let scores: Vec<(String, i64)> = DEFAULT_COMPETENCES
                    .iter()
                    .zip(&levels)
                    .map(|((code, _), l)| ((*code).to_owned(), *l))
                    .collect();
                store::insert_assessment(
                    &mut tx,
                    coop,
                    &NewAssessment {
                        person: p.person_id,
                        on,
                        assessor: assessor.code(),
                        by,
                        comment: None,
                        scores: &scores,
                    },
                    now,
                )
                .await?;
            }
            for l in &mut levels {
                if rng.below(2) == 0 {
                    *l = (*l + 1).min(top);
                }
            }
            day += time::Duration::days(240);
        }
    }
    tx.commit().await?;
    Ok(())
}
