//! Trainings (issue 9, point 4): the cooperative's declaration as a training organisation,
//! courses, their sessions, trainees and attendance.

use crate::{StorageError, Tx, on_tx};
use essaim_domain::ids::{CooperativeId, UserId};
use time::{Date, OffsetDateTime};

/// The declaration number, when the cooperative is a training organisation.
pub async fn declaration(tx: &mut Tx, coop: CooperativeId) -> Result<Option<String>, StorageError> {
    const SQL: &str = "select declaration from training_organisation where cooperative_id = $1";
    Ok(on_tx!(tx, |conn| sqlx::query_scalar(SQL)
        .bind(coop.get())
        .fetch_optional(conn)
        .await?))
}

/// Sets (or, with `None`, removes) the declaration number.
pub async fn set_declaration(
    tx: &mut Tx,
    coop: CooperativeId,
    declaration: Option<&str>,
    by: UserId,
    now: OffsetDateTime,
) -> Result<(), StorageError> {
    match declaration {
        Some(d) => {
            const SQL: &str = "insert into training_organisation (cooperative_id, declaration, updated_by, updated_at) \
                 values ($1, $2, $3, $4) on conflict (cooperative_id) do update set declaration = excluded.declaration, \
                 updated_by = excluded.updated_by, updated_at = excluded.updated_at";
            on_tx!(tx, |conn| sqlx::query(SQL)
                .bind(coop.get())
                .bind(d)
                .bind(by.get())
                .bind(now)
                .execute(conn)
                .await?
                .rows_affected());
        }
        None => {
            const SQL: &str = "delete from training_organisation where cooperative_id = $1";
            on_tx!(tx, |conn| sqlx::query(SQL)
                .bind(coop.get())
                .execute(conn)
                .await?
                .rows_affected());
        }
    }
    Ok(())
}

/// A course as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewCourse<'a> {
    pub activity: Option<i64>,
    pub title: &'a str,
    pub objectives: &'a str,
    pub objective: &'a str,
    pub speciality: Option<&'a str>,
    pub planned_minutes: i64,
    pub trainer_kind: &'a str,
    pub trainer: &'a str,
}

/// A course with its activity's name and its figures so far.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct CourseRecord {
    pub course_id: i64,
    pub activity_id: Option<i64>,
    pub activity: Option<String>,
    pub title: String,
    pub objectives: String,
    pub objective: String,
    pub speciality: Option<String>,
    pub planned_minutes: i64,
    pub trainer_kind: String,
    pub trainer: String,
    pub first_day: Option<Date>,
    pub last_day: Option<Date>,
    pub sessions: i64,
    pub trainees: i64,
}

const COLUMNS: &str = "c.course_id, c.activity_id, a.name as activity, c.title, c.objectives, c.objective, \
     c.speciality, c.planned_minutes, c.trainer_kind, c.trainer, \
     (select min(s.held_on) from training_session s where s.course_id = c.course_id) as first_day, \
     (select max(s.held_on) from training_session s where s.course_id = c.course_id) as last_day, \
     (select count(*) from training_session s where s.course_id = c.course_id) as sessions, \
     (select count(*) from training_trainee t where t.course_id = c.course_id) as trainees";
const FROM: &str = "training_course c left join activity a on a.activity_id = c.activity_id";

pub async fn insert_course(
    tx: &mut Tx,
    coop: CooperativeId,
    c: &NewCourse<'_>,
    by: UserId,
    now: OffsetDateTime,
) -> Result<i64, StorageError> {
    const SQL: &str = "insert into training_course (cooperative_id, activity_id, title, objectives, objective, speciality, \
         planned_minutes, trainer_kind, trainer, created_by, created_at, updated_at) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) returning course_id";
    Ok(on_tx!(tx, |conn| sqlx::query_scalar(SQL)
        .bind(coop.get())
        .bind(c.activity)
        .bind(c.title)
        .bind(c.objectives)
        .bind(c.objective)
        .bind(c.speciality)
        .bind(c.planned_minutes)
        .bind(c.trainer_kind)
        .bind(c.trainer)
        .bind(by.get())
        .bind(now)
        .fetch_one(conn)
        .await?))
}

pub async fn update_course(
    tx: &mut Tx,
    coop: CooperativeId,
    id: i64,
    c: &NewCourse<'_>,
    now: OffsetDateTime,
) -> Result<bool, StorageError> {
    const SQL: &str = "update training_course set activity_id = $3, title = $4, objectives = $5, objective = $6, \
         speciality = $7, planned_minutes = $8, trainer_kind = $9, trainer = $10, updated_at = $11 \
         where cooperative_id = $1 and course_id = $2";
    let n = on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(coop.get())
        .bind(id)
        .bind(c.activity)
        .bind(c.title)
        .bind(c.objectives)
        .bind(c.objective)
        .bind(c.speciality)
        .bind(c.planned_minutes)
        .bind(c.trainer_kind)
        .bind(c.trainer)
        .bind(now)
        .execute(conn)
        .await?
        .rows_affected());
    Ok(n == 1)
}

pub async fn find_course(
    tx: &mut Tx,
    coop: CooperativeId,
    id: i64,
) -> Result<Option<CourseRecord>, StorageError> {
    let sql =
        format!("select {COLUMNS} from {FROM} where c.cooperative_id = $1 and c.course_id = $2");
    Ok(on_tx!(tx, |conn| sqlx::query_as(sqlx::AssertSqlSafe(
        sql.clone()
    ))
    .bind(coop.get())
    .bind(id)
    .fetch_optional(conn)
    .await?))
}

/// The cooperative's courses (or, with `activities`, those of these activities), the latest
/// first.
pub async fn list_courses(
    tx: &mut Tx,
    coop: CooperativeId,
    activities: Option<&[i64]>,
) -> Result<Vec<CourseRecord>, StorageError> {
    let filter = match activities {
        None => String::new(),
        Some([]) => " and false".to_owned(),
        Some(ids) => format!(
            " and c.activity_id in ({})",
            ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
        ),
    };
    let sql = format!(
        "select * from (select {COLUMNS} from {FROM} where c.cooperative_id = $1{filter}) x \
         order by coalesce(x.first_day, '2999-12-31') desc, x.course_id desc"
    );
    Ok(on_tx!(tx, |conn| sqlx::query_as(sqlx::AssertSqlSafe(
        sql.clone()
    ))
    .bind(coop.get())
    .fetch_all(conn)
    .await?))
}

/// A session of a course.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct SessionRecord {
    pub session_id: i64,
    pub course_id: i64,
    pub held_on: Date,
    pub start_minute: i64,
    pub end_minute: i64,
}

pub async fn insert_session(
    tx: &mut Tx,
    course: i64,
    on: Date,
    start_minute: i64,
    end_minute: i64,
) -> Result<i64, StorageError> {
    const SQL: &str = "insert into training_session (course_id, held_on, start_minute, end_minute) \
         values ($1, $2, $3, $4) returning session_id";
    Ok(on_tx!(tx, |conn| sqlx::query_scalar(SQL)
        .bind(course)
        .bind(on)
        .bind(start_minute)
        .bind(end_minute)
        .fetch_one(conn)
        .await?))
}

/// Removes a session of the course and the attendance recorded at it.
pub async fn delete_session(tx: &mut Tx, course: i64, session: i64) -> Result<bool, StorageError> {
    const ATTENDANCE: &str = "delete from training_attendance where session_id = $1 \
         and session_id in (select session_id from training_session where course_id = $2)";
    on_tx!(tx, |conn| sqlx::query(ATTENDANCE)
        .bind(session)
        .bind(course)
        .execute(conn)
        .await?
        .rows_affected());
    const SQL: &str = "delete from training_session where session_id = $1 and course_id = $2";
    let n = on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(session)
        .bind(course)
        .execute(conn)
        .await?
        .rows_affected());
    Ok(n == 1)
}

/// The sessions of the given courses, in date order.
pub async fn sessions_of(tx: &mut Tx, courses: &[i64]) -> Result<Vec<SessionRecord>, StorageError> {
    if courses.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "select session_id, course_id, held_on, start_minute, end_minute from training_session \
         where course_id in ({}) order by held_on, start_minute, session_id",
        ids(courses)
    );
    Ok(on_tx!(tx, |conn| sqlx::query_as(sqlx::AssertSqlSafe(
        sql.clone()
    ))
    .fetch_all(conn)
    .await?))
}

fn ids(v: &[i64]) -> String {
    v.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

/// A trainee as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewTrainee<'a> {
    pub last_name: &'a str,
    pub first_name: &'a str,
    pub email: Option<&'a str>,
    pub category: &'a str,
    pub organisation: Option<&'a str>,
}

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct TraineeRecord {
    pub trainee_id: i64,
    pub course_id: i64,
    pub last_name: String,
    pub first_name: String,
    pub email: Option<String>,
    pub category: String,
    pub organisation: Option<String>,
}

pub async fn insert_trainee(
    tx: &mut Tx,
    course: i64,
    t: &NewTrainee<'_>,
    now: OffsetDateTime,
) -> Result<i64, StorageError> {
    const SQL: &str = "insert into training_trainee (course_id, last_name, first_name, email, category, organisation, created_at) \
         values ($1, $2, $3, $4, $5, $6, $7) returning trainee_id";
    Ok(on_tx!(tx, |conn| sqlx::query_scalar(SQL)
        .bind(course)
        .bind(t.last_name)
        .bind(t.first_name)
        .bind(t.email)
        .bind(t.category)
        .bind(t.organisation)
        .bind(now)
        .fetch_one(conn)
        .await?))
}

/// Removes a trainee of the course and their attendance.
pub async fn delete_trainee(tx: &mut Tx, course: i64, trainee: i64) -> Result<bool, StorageError> {
    const ATTENDANCE: &str = "delete from training_attendance where trainee_id = $1 \
         and trainee_id in (select trainee_id from training_trainee where course_id = $2)";
    on_tx!(tx, |conn| sqlx::query(ATTENDANCE)
        .bind(trainee)
        .bind(course)
        .execute(conn)
        .await?
        .rows_affected());
    const SQL: &str = "delete from training_trainee where trainee_id = $1 and course_id = $2";
    let n = on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(trainee)
        .bind(course)
        .execute(conn)
        .await?
        .rows_affected());
    Ok(n == 1)
}

/// The trainees of the given courses, by name.
pub async fn trainees_of(tx: &mut Tx, courses: &[i64]) -> Result<Vec<TraineeRecord>, StorageError> {
    if courses.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "select trainee_id, course_id, last_name, first_name, email, category, organisation from training_trainee \
         where course_id in ({}) order by last_name, first_name, trainee_id",
        ids(courses)
    );
    Ok(on_tx!(tx, |conn| sqlx::query_as(sqlx::AssertSqlSafe(
        sql.clone()
    ))
    .fetch_all(conn)
    .await?))
}

/// Who was present at which session (trainee, session), for the given courses.
pub async fn attendance_of(tx: &mut Tx, courses: &[i64]) -> Result<Vec<(i64, i64)>, StorageError> {
    if courses.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "select a.trainee_id, a.session_id from training_attendance a \
         join training_session s on s.session_id = a.session_id where s.course_id in ({})",
        ids(courses)
    );
    Ok(on_tx!(tx, |conn| sqlx::query_as(sqlx::AssertSqlSafe(
        sql.clone()
    ))
    .fetch_all(conn)
    .await?))
}

/// Replaces the attendance of the course's sessions with `present` (trainee, session).
pub async fn set_attendance(
    tx: &mut Tx,
    course: i64,
    present: &[(i64, i64)],
    by: UserId,
    now: OffsetDateTime,
) -> Result<(), StorageError> {
    const CLEAR: &str = "delete from training_attendance where session_id in \
         (select session_id from training_session where course_id = $1)";
    on_tx!(tx, |conn| sqlx::query(CLEAR)
        .bind(course)
        .execute(conn)
        .await?
        .rows_affected());
    const SQL: &str = "insert into training_attendance (session_id, trainee_id, recorded_by, recorded_at) \
         values ($1, $2, $3, $4)";
    for (trainee, session) in present {
        on_tx!(tx, |conn| sqlx::query(SQL)
            .bind(session)
            .bind(trainee)
            .bind(by.get())
            .bind(now)
            .execute(conn)
            .await?
            .rows_affected());
    }
    Ok(())
}

/// The courses with at least one session from `from` to `to`.
pub async fn courses_held(
    tx: &mut Tx,
    coop: CooperativeId,
    from: Date,
    to: Date,
) -> Result<Vec<CourseRecord>, StorageError> {
    let sql = format!(
        "select {COLUMNS} from {FROM} where c.cooperative_id = $1 and exists (select 1 from training_session s \
         where s.course_id = c.course_id and s.held_on >= $2 and s.held_on <= $3) order by c.course_id"
    );
    Ok(on_tx!(tx, |conn| sqlx::query_as(sqlx::AssertSqlSafe(
        sql.clone()
    ))
    .bind(coop.get())
    .bind(from)
    .bind(to)
    .fetch_all(conn)
    .await?))
}
