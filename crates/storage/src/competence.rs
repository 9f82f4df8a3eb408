//! Competence grids (issue 9, point 5): the cooperative's competences and scale, and the
//! assessments of each person with their levels.

use crate::{StorageError, Tx, on_tx};
use essaim_domain::ids::{CooperativeId, UserId};
use time::{Date, OffsetDateTime};

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct CompetenceRecord {
    pub code: String,
    pub label: String,
    pub position: i64,
    pub active: bool,
}

pub async fn competences(
    tx: &mut Tx,
    coop: CooperativeId,
) -> Result<Vec<CompetenceRecord>, StorageError> {
    const SQL: &str = "select code, label, position, active from competence where cooperative_id = $1 order by position, code";
    Ok(on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(coop.get())
        .fetch_all(conn)
        .await?))
}

/// Adds a competence or renames it, moves it, turns it on or off.
pub async fn save_competence(
    tx: &mut Tx,
    coop: CooperativeId,
    c: &CompetenceRecord,
) -> Result<(), StorageError> {
    const SQL: &str = "insert into competence (cooperative_id, code, label, position, active) values ($1, $2, $3, $4, $5) \
         on conflict (cooperative_id, code) do update set label = excluded.label, position = excluded.position, active = excluded.active";
    on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(coop.get())
        .bind(&c.code)
        .bind(&c.label)
        .bind(c.position)
        .bind(c.active)
        .execute(conn)
        .await?
        .rows_affected());
    Ok(())
}

/// The scale's labels, from level 1.
pub async fn levels(tx: &mut Tx, coop: CooperativeId) -> Result<Vec<String>, StorageError> {
    const SQL: &str = "select label from competence_level where cooperative_id = $1 order by level";
    Ok(on_tx!(tx, |conn| sqlx::query_scalar(SQL)
        .bind(coop.get())
        .fetch_all(conn)
        .await?))
}

pub async fn set_levels(
    tx: &mut Tx,
    coop: CooperativeId,
    labels: &[String],
) -> Result<(), StorageError> {
    const DEL: &str = "delete from competence_level where cooperative_id = $1";
    const INS: &str =
        "insert into competence_level (cooperative_id, level, label) values ($1, $2, $3)";
    on_tx!(tx, |conn| sqlx::query(DEL)
        .bind(coop.get())
        .execute(conn)
        .await?
        .rows_affected());
    for (i, l) in labels.iter().enumerate() {
        let level = i64::try_from(i).unwrap_or(0) + 1;
        on_tx!(tx, |conn| sqlx::query(INS)
            .bind(coop.get())
            .bind(level)
            .bind(l)
            .execute(conn)
            .await?
            .rows_affected());
    }
    Ok(())
}

/// An assessment as written.
pub struct NewAssessment<'a> {
    pub person: i64,
    pub on: Date,
    pub assessor: &'a str,
    pub by: UserId,
    pub comment: Option<&'a str>,
    pub scores: &'a [(String, i64)],
}

pub async fn insert_assessment(
    tx: &mut Tx,
    coop: CooperativeId,
    a: &NewAssessment<'_>,
    now: OffsetDateTime,
) -> Result<i64, StorageError> {
    const SQL: &str = "insert into assessment (cooperative_id, person_id, assessed_on, assessor, by_user, comment, created_at) \
         values ($1, $2, $3, $4, $5, $6, $7) returning assessment_id";
    const SCORE: &str =
        "insert into assessment_score (assessment_id, competence_code, level) values ($1, $2, $3)";
    let id: i64 = on_tx!(tx, |conn| sqlx::query_scalar(SQL)
        .bind(coop.get())
        .bind(a.person)
        .bind(a.on)
        .bind(a.assessor)
        .bind(a.by.get())
        .bind(a.comment)
        .bind(now)
        .fetch_one(conn)
        .await?);
    for (code, level) in a.scores {
        on_tx!(tx, |conn| sqlx::query(SCORE)
            .bind(id)
            .bind(code)
            .bind(*level)
            .execute(conn)
            .await?
            .rows_affected());
    }
    Ok(id)
}

/// An assessment with who made it and its levels.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct AssessmentRecord {
    pub assessment_id: i64,
    pub assessed_on: Date,
    pub assessor: String,
    pub by_name: String,
    pub comment: Option<String>,
    #[sqlx(skip)]
    pub scores: Vec<(String, i64)>,
}

/// A person's assessments, oldest first, each with its levels.
pub async fn assessments_of(
    tx: &mut Tx,
    coop: CooperativeId,
    person: i64,
) -> Result<Vec<AssessmentRecord>, StorageError> {
    const SQL: &str = "select a.assessment_id, a.assessed_on, a.assessor, u.display_name as by_name, a.comment \
         from assessment a join user_account u on u.user_id = a.by_user \
         where a.cooperative_id = $1 and a.person_id = $2 order by a.assessed_on, a.assessment_id";
    const SCORES: &str = "select s.assessment_id, s.competence_code, s.level from assessment_score s \
         join assessment a on a.assessment_id = s.assessment_id where a.cooperative_id = $1 and a.person_id = $2 \
         order by s.assessment_id, s.competence_code";
    let mut rows: Vec<AssessmentRecord> = on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(coop.get())
        .bind(person)
        .fetch_all(conn)
        .await?);
    let scores: Vec<(i64, String, i64)> = on_tx!(tx, |conn| sqlx::query_as(SCORES)
        .bind(coop.get())
        .bind(person)
        .fetch_all(conn)
        .await?);
    for (id, code, level) in scores {
        if let Some(r) = rows.iter_mut().find(|r| r.assessment_id == id) {
            r.scores.push((code, level));
        }
    }
    Ok(rows)
}
