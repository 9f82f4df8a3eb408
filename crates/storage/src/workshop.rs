//! Workshops (issue 9, point 3): sessions, registrations with their waiting list, attendance per
//! half-day, and the reminders sent the day before.

use crate::{StorageError, Tx, on_tx};
use essaim_domain::ids::{CooperativeId, UserId};
use time::{Date, OffsetDateTime};

/// A session as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewWorkshop<'a> {
    pub title: &'a str,
    pub description: Option<&'a str>,
    pub starts_on: Date,
    pub start_minute: i64,
    pub end_minute: i64,
    pub place: Option<&'a str>,
    pub video_link: Option<&'a str>,
    pub capacity: i64,
    pub trainer_user: Option<UserId>,
    pub trainer_name: Option<&'a str>,
    pub audience: &'a str,
    pub topics: &'a str,
    pub programme: Option<&'a str>,
}

/// A session with its trainer's name and how many hold a seat or wait.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct WorkshopRecord {
    pub workshop_id: i64,
    pub title: String,
    pub description: Option<String>,
    pub starts_on: Date,
    pub start_minute: i64,
    pub end_minute: i64,
    pub place: Option<String>,
    pub video_link: Option<String>,
    pub capacity: i64,
    pub trainer_user_id: Option<i64>,
    /// The internal trainer's display name, or the external trainer's name.
    pub trainer: String,
    pub audience: String,
    pub topics: String,
    pub status: String,
    pub updated_at: OffsetDateTime,
    pub registered: i64,
    pub waiting: i64,
    pub programme: Option<String>,
}

const COLUMNS: &str = "w.workshop_id, w.title, w.description, w.starts_on, w.start_minute, w.end_minute, w.place, \
     w.video_link, w.capacity, w.trainer_user_id, coalesce(u.display_name, w.trainer_name, '') as trainer, \
     w.audience, w.topics, w.status, w.updated_at, \
     (select count(*) from workshop_registration r where r.workshop_id = w.workshop_id and r.seat = 'registered') as registered, \
     (select count(*) from workshop_registration r where r.workshop_id = w.workshop_id and r.seat = 'waiting') as waiting, \
     w.programme";
const FROM: &str = "workshop w left join user_account u on u.user_id = w.trainer_user_id";

pub async fn insert(
    tx: &mut Tx,
    coop: CooperativeId,
    w: &NewWorkshop<'_>,
    by: UserId,
    now: OffsetDateTime,
) -> Result<i64, StorageError> {
    const SQL: &str = "insert into workshop (cooperative_id, title, description, starts_on, start_minute, end_minute, place, \
         video_link, capacity, trainer_user_id, trainer_name, audience, topics, status, created_by, created_at, updated_at, programme) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'planned', $14, $15, $15, $16) returning workshop_id";
    Ok(on_tx!(tx, |conn| sqlx::query_scalar(SQL)
        .bind(coop.get())
        .bind(w.title)
        .bind(w.description)
        .bind(w.starts_on)
        .bind(w.start_minute)
        .bind(w.end_minute)
        .bind(w.place)
        .bind(w.video_link)
        .bind(w.capacity)
        .bind(w.trainer_user.map(UserId::get))
        .bind(w.trainer_name)
        .bind(w.audience)
        .bind(w.topics)
        .bind(by.get())
        .bind(now)
        .bind(w.programme)
        .fetch_one(conn)
        .await?))
}

/// Rewrites a session; false when it is not the cooperative's.
pub async fn update(
    tx: &mut Tx,
    coop: CooperativeId,
    id: i64,
    w: &NewWorkshop<'_>,
    now: OffsetDateTime,
) -> Result<bool, StorageError> {
    const SQL: &str = "update workshop set title = $3, description = $4, starts_on = $5, start_minute = $6, end_minute = $7, \
         place = $8, video_link = $9, capacity = $10, trainer_user_id = $11, trainer_name = $12, audience = $13, topics = $14, \
         updated_at = $15, programme = $16 where cooperative_id = $1 and workshop_id = $2";
    let n = on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(coop.get())
        .bind(id)
        .bind(w.title)
        .bind(w.description)
        .bind(w.starts_on)
        .bind(w.start_minute)
        .bind(w.end_minute)
        .bind(w.place)
        .bind(w.video_link)
        .bind(w.capacity)
        .bind(w.trainer_user.map(UserId::get))
        .bind(w.trainer_name)
        .bind(w.audience)
        .bind(w.topics)
        .bind(now)
        .bind(w.programme)
        .execute(conn)
        .await?
        .rows_affected());
    Ok(n == 1)
}

pub async fn set_status(
    tx: &mut Tx,
    coop: CooperativeId,
    id: i64,
    status: &str,
    now: OffsetDateTime,
) -> Result<bool, StorageError> {
    const SQL: &str = "update workshop set status = $3, updated_at = $4 where cooperative_id = $1 and workshop_id = $2";
    let n = on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(coop.get())
        .bind(id)
        .bind(status)
        .bind(now)
        .execute(conn)
        .await?
        .rows_affected());
    Ok(n == 1)
}

/// Locks the session's row until the transaction ends, so that registrations to it are counted
/// one after the other (PostgreSQL's row lock; SQLite's write transaction already serialises).
/// Returns its capacity, or `None` when it is not the cooperative's.
pub async fn lock(tx: &mut Tx, coop: CooperativeId, id: i64) -> Result<Option<i64>, StorageError> {
    const SQL: &str = "update workshop set capacity = capacity where cooperative_id = $1 and workshop_id = $2 returning capacity";
    Ok(on_tx!(tx, |conn| sqlx::query_scalar(SQL)
        .bind(coop.get())
        .bind(id)
        .fetch_optional(conn)
        .await?))
}

pub async fn find(
    tx: &mut Tx,
    coop: CooperativeId,
    id: i64,
) -> Result<Option<WorkshopRecord>, StorageError> {
    let sql =
        format!("select {COLUMNS} from {FROM} where w.cooperative_id = $1 and w.workshop_id = $2");
    Ok(on_tx!(tx, |conn| sqlx::query_as(sqlx::AssertSqlSafe(
        sql.clone()
    ))
    .bind(coop.get())
    .bind(id)
    .fetch_optional(conn)
    .await?))
}

/// Sessions from `from` to `to` (inclusive, either open), in date order, or the newest first.
pub async fn list(
    tx: &mut Tx,
    coop: CooperativeId,
    from: Option<Date>,
    to: Option<Date>,
    newest_first: bool,
    limit: i64,
) -> Result<Vec<WorkshopRecord>, StorageError> {
    let order = if newest_first {
        "w.starts_on desc, w.start_minute desc, w.workshop_id desc"
    } else {
        "w.starts_on, w.start_minute, w.workshop_id"
    };
    let sql = format!(
        "select {COLUMNS} from {FROM} where w.cooperative_id = $1 and w.starts_on >= $2 \
         and w.starts_on <= $3 order by {order} limit $4"
    );
    Ok(on_tx!(tx, |conn| sqlx::query_as(sqlx::AssertSqlSafe(
        sql.clone()
    ))
    .bind(coop.get())
    .bind(from.unwrap_or(time::macros::date!(1900 - 01 - 01)))
    .bind(to.unwrap_or(time::macros::date!(2999 - 12 - 31)))
    .bind(limit)
    .fetch_all(conn)
    .await?))
}

/// A person's sessions and their seat in each (withdrawals included), newest first.
pub async fn of_person(
    tx: &mut Tx,
    coop: CooperativeId,
    person: i64,
) -> Result<Vec<(WorkshopRecord, String)>, StorageError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        w: WorkshopRecord,
        seat: String,
    }
    let sql = format!(
        "select {COLUMNS}, g.seat from {FROM} join workshop_registration g on g.workshop_id = w.workshop_id \
         where w.cooperative_id = $1 and g.person_id = $2 order by w.starts_on desc, w.start_minute desc"
    );
    let rows: Vec<Row> = on_tx!(tx, |conn| sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
        .bind(coop.get())
        .bind(person)
        .fetch_all(conn)
        .await?);
    Ok(rows.into_iter().map(|r| (r.w, r.seat)).collect())
}

/// A registration with the person's name and account.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct RegistrationRecord {
    pub person_id: i64,
    pub first_name: String,
    pub last_name: String,
    pub user_id: Option<i64>,
    pub seat: String,
    pub position: i64,
    pub registered_at: OffsetDateTime,
}

/// A session's registrations in order of arrival.
pub async fn registrations(
    tx: &mut Tx,
    workshop: i64,
) -> Result<Vec<RegistrationRecord>, StorageError> {
    const SQL: &str = "select p.person_id, p.first_name, p.last_name, p.user_id, g.seat, g.position, g.registered_at \
         from workshop_registration g join person p on p.person_id = g.person_id where g.workshop_id = $1 order by g.position";
    Ok(on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(workshop)
        .fetch_all(conn)
        .await?))
}

/// How many hold a seat.
pub async fn registered_count(tx: &mut Tx, workshop: i64) -> Result<i64, StorageError> {
    const SQL: &str =
        "select count(*) from workshop_registration where workshop_id = $1 and seat = 'registered'";
    Ok(on_tx!(tx, |conn| sqlx::query_scalar(SQL)
        .bind(workshop)
        .fetch_one(conn)
        .await?))
}

/// The person's seat, if they ever registered.
pub async fn seat_of(
    tx: &mut Tx,
    workshop: i64,
    person: i64,
) -> Result<Option<String>, StorageError> {
    const SQL: &str =
        "select seat from workshop_registration where workshop_id = $1 and person_id = $2";
    Ok(on_tx!(tx, |conn| sqlx::query_scalar(SQL)
        .bind(workshop)
        .bind(person)
        .fetch_optional(conn)
        .await?))
}

/// Registers a person (again, after a withdrawal) at the end of the line, with `seat`.
pub async fn register(
    tx: &mut Tx,
    workshop: i64,
    person: i64,
    seat: &str,
    by: UserId,
    now: OffsetDateTime,
) -> Result<(), StorageError> {
    const SQL: &str = "insert into workshop_registration (workshop_id, person_id, seat, position, registered_at, registered_by) \
         values ($1, $2, $3, (select coalesce(max(position), 0) + 1 from workshop_registration where workshop_id = $1), $4, $5) \
         on conflict (workshop_id, person_id) do update set seat = excluded.seat, position = excluded.position, \
         registered_at = excluded.registered_at, registered_by = excluded.registered_by, reminded_at = null";
    on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(workshop)
        .bind(person)
        .bind(seat)
        .bind(now)
        .bind(by.get())
        .execute(conn)
        .await?
        .rows_affected());
    Ok(())
}

pub async fn set_seat(
    tx: &mut Tx,
    workshop: i64,
    person: i64,
    seat: &str,
) -> Result<bool, StorageError> {
    const SQL: &str =
        "update workshop_registration set seat = $3 where workshop_id = $1 and person_id = $2";
    let n = on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(workshop)
        .bind(person)
        .bind(seat)
        .execute(conn)
        .await?
        .rows_affected());
    Ok(n == 1)
}

/// The first `n` people waiting, in their order.
pub async fn first_waiting(tx: &mut Tx, workshop: i64, n: i64) -> Result<Vec<i64>, StorageError> {
    const SQL: &str = "select person_id from workshop_registration where workshop_id = $1 and seat = 'waiting' \
         order by position limit $2";
    Ok(on_tx!(tx, |conn| sqlx::query_scalar(SQL)
        .bind(workshop)
        .bind(n)
        .fetch_all(conn)
        .await?))
}

/// Attendance recorded: (person, half-day code, present).
pub async fn attendance(
    tx: &mut Tx,
    workshop: i64,
) -> Result<Vec<(i64, String, bool)>, StorageError> {
    const SQL: &str =
        "select person_id, half_day, present from workshop_attendance where workshop_id = $1";
    Ok(on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(workshop)
        .fetch_all(conn)
        .await?))
}

/// Replaces the attendance of a session.
pub async fn set_attendance(
    tx: &mut Tx,
    workshop: i64,
    rows: &[(i64, &str, bool)],
    by: UserId,
    now: OffsetDateTime,
) -> Result<(), StorageError> {
    const DEL: &str = "delete from workshop_attendance where workshop_id = $1";
    const INS: &str = "insert into workshop_attendance (workshop_id, person_id, half_day, present, recorded_by, recorded_at) \
         values ($1, $2, $3, $4, $5, $6)";
    on_tx!(tx, |conn| sqlx::query(DEL)
        .bind(workshop)
        .execute(conn)
        .await?
        .rows_affected());
    for (person, half, present) in rows {
        on_tx!(tx, |conn| sqlx::query(INS)
            .bind(workshop)
            .bind(*person)
            .bind(*half)
            .bind(*present)
            .bind(by.get())
            .bind(now)
            .execute(conn)
            .await?
            .rows_affected());
    }
    Ok(())
}

/// Registrations holding a seat in sessions planned on `day`, not yet reminded, in every
/// cooperative: (cooperative, session, person).
pub async fn due_reminders(tx: &mut Tx, day: Date) -> Result<Vec<(i64, i64, i64)>, StorageError> {
    const SQL: &str = "select w.cooperative_id, w.workshop_id, g.person_id from workshop w \
         join workshop_registration g on g.workshop_id = w.workshop_id \
         where w.starts_on = $1 and w.status = 'planned' and g.seat = 'registered' and g.reminded_at is null \
         order by w.cooperative_id, w.workshop_id, g.position";
    Ok(on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(day)
        .fetch_all(conn)
        .await?))
}

pub async fn mark_reminded(
    tx: &mut Tx,
    workshop: i64,
    person: i64,
    now: OffsetDateTime,
) -> Result<(), StorageError> {
    const SQL: &str = "update workshop_registration set reminded_at = $3 where workshop_id = $1 and person_id = $2";
    on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(workshop)
        .bind(person)
        .bind(now)
        .execute(conn)
        .await?
        .rows_affected());
    Ok(())
}

/// The half-days a person was recorded present, per session.
pub async fn attended(tx: &mut Tx, person: i64) -> Result<Vec<(i64, i64)>, StorageError> {
    const SQL: &str = "select workshop_id, count(*) from workshop_attendance where person_id = $1 and present \
         group by workshop_id";
    Ok(on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(person)
        .fetch_all(conn)
        .await?))
}

/// Attendance of the sessions of a period, per person: (session, trainer's account, trainer's
/// name, programme, start minute, end minute, person, half-days present).
pub async fn attendance_in(
    tx: &mut Tx,
    coop: CooperativeId,
    from: Date,
    to: Date,
) -> Result<Vec<(i64, Option<i64>, String, Option<String>, i64, i64, i64, i64)>, StorageError> {
    const SQL: &str = "select w.workshop_id, w.trainer_user_id, coalesce(u.display_name, w.trainer_name, ''), w.programme, \
         w.start_minute, w.end_minute, t.person_id, sum(case when t.present then 1 else 0 end) \
         from workshop w left join user_account u on u.user_id = w.trainer_user_id \
         join workshop_attendance t on t.workshop_id = w.workshop_id \
         where w.cooperative_id = $1 and w.status = 'planned' and w.starts_on >= $2 and w.starts_on <= $3 \
         group by w.workshop_id, w.trainer_user_id, u.display_name, w.trainer_name, w.programme, w.start_minute, w.end_minute, t.person_id \
         order by w.workshop_id, t.person_id";
    Ok(on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(coop.get())
        .bind(from)
        .bind(to)
        .fetch_all(conn)
        .await?))
}
