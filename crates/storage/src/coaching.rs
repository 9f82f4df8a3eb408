//! Coaching (issue 9): topics, appointments with their people and next actions, calendar feeds.

use crate::{StorageError, Tx, on_tx};
use essaim_domain::ids::{CooperativeId, UserId};
use time::{Date, OffsetDateTime};

// ---------------------------------------------------------------------------------------------
// Topics

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct TopicRecord {
    pub code: String,
    pub label: String,
    pub active: bool,
}

pub async fn topics(tx: &mut Tx, coop: CooperativeId) -> Result<Vec<TopicRecord>, StorageError> {
    const SQL: &str =
        "select code, label, active from coaching_topic where cooperative_id = $1 order by label";
    Ok(on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(coop.get())
        .fetch_all(conn)
        .await?))
}

/// Adds a topic or renames it (and turns it on or off).
pub async fn save_topic(
    tx: &mut Tx,
    coop: CooperativeId,
    t: &TopicRecord,
) -> Result<(), StorageError> {
    const SQL: &str = "insert into coaching_topic (cooperative_id, code, label, active) values ($1, $2, $3, $4) \
         on conflict (cooperative_id, code) do update set label = excluded.label, active = excluded.active";
    on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(coop.get())
        .bind(&t.code)
        .bind(&t.label)
        .bind(t.active)
        .execute(conn)
        .await?
        .rows_affected());
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Appointments

/// An appointment as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewAppointment<'a> {
    pub coach: UserId,
    pub starts_on: Date,
    pub start_minute: i64,
    pub minutes: i64,
    pub mode: &'a str,
    pub place: Option<&'a str>,
    pub topics: &'a str,
    pub private_notes: Option<&'a str>,
    pub summary: Option<&'a str>,
    pub status: &'a str,
    /// The funding programme it is charged to (a code of the `funding` list).
    pub programme: Option<&'a str>,
}

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct AppointmentRecord {
    pub appointment_id: i64,
    pub coach_user_id: i64,
    pub coach_name: String,
    pub starts_on: Date,
    pub start_minute: i64,
    pub minutes: i64,
    pub mode: String,
    pub place: Option<String>,
    pub topics: String,
    pub private_notes: Option<String>,
    pub summary: Option<String>,
    pub status: String,
    pub updated_at: OffsetDateTime,
    pub programme: Option<String>,
}

const COLUMNS: &str = "a.appointment_id, a.coach_user_id, u.display_name as coach_name, a.starts_on, a.start_minute, a.minutes, \
     a.mode, a.place, a.topics, a.private_notes, a.summary, a.status, a.updated_at, a.programme";
const FROM: &str = "appointment a join user_account u on u.user_id = a.coach_user_id";

pub async fn insert_appointment(
    tx: &mut Tx,
    coop: CooperativeId,
    a: &NewAppointment<'_>,
    by: UserId,
    now: OffsetDateTime,
) -> Result<i64, StorageError> {
    const SQL: &str = "insert into appointment (cooperative_id, coach_user_id, starts_on, start_minute, minutes, mode, place, topics, \
         private_notes, summary, status, created_by, created_at, updated_at, programme) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13, $14) returning appointment_id";
    Ok(on_tx!(tx, |conn| sqlx::query_scalar(SQL)
        .bind(coop.get())
        .bind(a.coach.get())
        .bind(a.starts_on)
        .bind(a.start_minute)
        .bind(a.minutes)
        .bind(a.mode)
        .bind(a.place)
        .bind(a.topics)
        .bind(a.private_notes)
        .bind(a.summary)
        .bind(a.status)
        .bind(by.get())
        .bind(now)
        .bind(a.programme)
        .fetch_one(conn)
        .await?))
}

/// Rewrites an appointment; false when it is not the cooperative's.
pub async fn update_appointment(
    tx: &mut Tx,
    coop: CooperativeId,
    id: i64,
    a: &NewAppointment<'_>,
    now: OffsetDateTime,
) -> Result<bool, StorageError> {
    const SQL: &str = "update appointment set coach_user_id = $3, starts_on = $4, start_minute = $5, minutes = $6, mode = $7, \
         place = $8, topics = $9, private_notes = $10, summary = $11, status = $12, updated_at = $13, programme = $14 \
         where cooperative_id = $1 and appointment_id = $2";
    let n = on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(coop.get())
        .bind(id)
        .bind(a.coach.get())
        .bind(a.starts_on)
        .bind(a.start_minute)
        .bind(a.minutes)
        .bind(a.mode)
        .bind(a.place)
        .bind(a.topics)
        .bind(a.private_notes)
        .bind(a.summary)
        .bind(a.status)
        .bind(now)
        .bind(a.programme)
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
    const SQL: &str = "update appointment set status = $3, updated_at = $4 where cooperative_id = $1 and appointment_id = $2";
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

pub async fn appointment(
    tx: &mut Tx,
    coop: CooperativeId,
    id: i64,
) -> Result<Option<AppointmentRecord>, StorageError> {
    let sql = format!(
        "select {COLUMNS} from {FROM} where a.cooperative_id = $1 and a.appointment_id = $2"
    );
    Ok(on_tx!(tx, |conn| sqlx::query_as(sqlx::AssertSqlSafe(
        sql.clone()
    ))
    .bind(coop.get())
    .bind(id)
    .fetch_optional(conn)
    .await?))
}

/// Who an appointment is with: (person id, first name, last name, their account if any).
pub async fn people_of(
    tx: &mut Tx,
    id: i64,
) -> Result<Vec<(i64, String, String, Option<i64>)>, StorageError> {
    const SQL: &str = "select p.person_id, p.first_name, p.last_name, p.user_id from appointment_person ap \
         join person p on p.person_id = ap.person_id where ap.appointment_id = $1 order by p.last_name, p.first_name";
    Ok(on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(id)
        .fetch_all(conn)
        .await?))
}

/// The people of several appointments at once: (appointment, person, first name, last name,
/// account).
pub async fn people_of_many(
    tx: &mut Tx,
    ids: &[i64],
) -> Result<Vec<(i64, i64, String, String, Option<i64>)>, StorageError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "select ap.appointment_id, p.person_id, p.first_name, p.last_name, p.user_id from appointment_person ap \
         join person p on p.person_id = ap.person_id where ap.appointment_id in ({}) \
         order by ap.appointment_id, p.last_name, p.first_name",
        id_list(ids)
    );
    Ok(on_tx!(tx, |conn| sqlx::query_as(sqlx::AssertSqlSafe(
        sql.clone()
    ))
    .fetch_all(conn)
    .await?))
}

fn id_list(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

pub async fn set_people(tx: &mut Tx, id: i64, people: &[i64]) -> Result<(), StorageError> {
    const DEL: &str = "delete from appointment_person where appointment_id = $1";
    const INS: &str = "insert into appointment_person (appointment_id, person_id) values ($1, $2)";
    on_tx!(tx, |conn| sqlx::query(DEL)
        .bind(id)
        .execute(conn)
        .await?
        .rows_affected());
    for p in people {
        on_tx!(tx, |conn| sqlx::query(INS)
            .bind(id)
            .bind(*p)
            .execute(conn)
            .await?
            .rows_affected());
    }
    Ok(())
}

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct ActionRecord {
    pub position: i64,
    pub label: String,
    pub due_on: Option<Date>,
    pub done_at: Option<OffsetDateTime>,
}

pub async fn actions(tx: &mut Tx, id: i64) -> Result<Vec<ActionRecord>, StorageError> {
    const SQL: &str = "select position, label, due_on, done_at from appointment_action where appointment_id = $1 order by position";
    Ok(on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(id)
        .fetch_all(conn)
        .await?))
}

#[derive(sqlx::FromRow)]
struct ActionRow {
    appointment_id: i64,
    position: i64,
    label: String,
    due_on: Option<Date>,
    done_at: Option<OffsetDateTime>,
}

/// The next actions of several appointments at once: (appointment, action), in order.
pub async fn actions_of_many(
    tx: &mut Tx,
    ids: &[i64],
) -> Result<Vec<(i64, ActionRecord)>, StorageError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "select appointment_id, position, label, due_on, done_at from appointment_action \
         where appointment_id in ({}) order by appointment_id, position",
        id_list(ids)
    );
    let rows: Vec<ActionRow> = on_tx!(tx, |conn| sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
        .fetch_all(conn)
        .await?);
    Ok(rows
        .into_iter()
        .map(|r| {
            (
                r.appointment_id,
                ActionRecord {
                    position: r.position,
                    label: r.label,
                    due_on: r.due_on,
                    done_at: r.done_at,
                },
            )
        })
        .collect())
}

/// Replaces the next actions, keeping when each still-present one (same label) was done.
pub async fn set_actions(
    tx: &mut Tx,
    id: i64,
    actions: &[(String, Option<Date>)],
) -> Result<(), StorageError> {
    let before = self::actions(tx, id).await?;
    const DEL: &str = "delete from appointment_action where appointment_id = $1";
    const INS: &str = "insert into appointment_action (appointment_id, position, label, due_on, done_at) values ($1, $2, $3, $4, $5)";
    on_tx!(tx, |conn| sqlx::query(DEL)
        .bind(id)
        .execute(conn)
        .await?
        .rows_affected());
    for (i, (label, due)) in actions.iter().enumerate() {
        let done = before
            .iter()
            .find(|b| &b.label == label)
            .and_then(|b| b.done_at);
        on_tx!(tx, |conn| sqlx::query(INS)
            .bind(id)
            .bind(i64::try_from(i).unwrap_or(i64::MAX))
            .bind(label)
            .bind(*due)
            .bind(done)
            .execute(conn)
            .await?
            .rows_affected());
    }
    Ok(())
}

/// Marks a next action done (or not); false when there is no such action.
pub async fn set_action_done(
    tx: &mut Tx,
    id: i64,
    position: i64,
    done: Option<OffsetDateTime>,
) -> Result<bool, StorageError> {
    const SQL: &str =
        "update appointment_action set done_at = $3 where appointment_id = $1 and position = $2";
    let n = on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(id)
        .bind(position)
        .bind(done)
        .execute(conn)
        .await?
        .rows_affected());
    Ok(n == 1)
}

/// Which appointments to list.
#[derive(Clone, Debug, Default)]
pub struct AppointmentFilter {
    /// One coach's.
    pub coach: Option<UserId>,
    /// One person's (the entrepreneur's own, or a person's file).
    pub person: Option<i64>,
    pub from: Option<Date>,
    pub to: Option<Date>,
    pub status: Option<String>,
}

/// Appointments in date order (the latest first when `newest_first`).
pub async fn list(
    tx: &mut Tx,
    coop: CooperativeId,
    f: &AppointmentFilter,
    newest_first: bool,
    limit: i64,
) -> Result<Vec<AppointmentRecord>, StorageError> {
    let mut conds = String::new();
    let mut n = 1;
    let mut next = || {
        n += 1;
        n
    };
    if f.coach.is_some() {
        conds.push_str(&format!(" and a.coach_user_id = ${}", next()));
    }
    if f.person.is_some() {
        conds.push_str(&format!(
            " and exists (select 1 from appointment_person ap where ap.appointment_id = a.appointment_id and ap.person_id = ${})",
            next()
        ));
    }
    if f.from.is_some() {
        conds.push_str(&format!(" and a.starts_on >= ${}", next()));
    }
    if f.to.is_some() {
        conds.push_str(&format!(" and a.starts_on <= ${}", next()));
    }
    if f.status.is_some() {
        conds.push_str(&format!(" and a.status = ${}", next()));
    }
    let order = if newest_first { "desc" } else { "" };
    let sql = format!(
        "select {COLUMNS} from {FROM} where a.cooperative_id = $1{conds} \
         order by a.starts_on {order}, a.start_minute {order}, a.appointment_id {order} limit {}",
        limit.clamp(0, 10_000)
    );
    Ok(on_tx!(tx, |conn| {
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(coop.get());
        if let Some(c) = f.coach {
            q = q.bind(c.get());
        }
        if let Some(p) = f.person {
            q = q.bind(p);
        }
        if let Some(d) = f.from {
            q = q.bind(d);
        }
        if let Some(d) = f.to {
            q = q.bind(d);
        }
        if let Some(s) = &f.status {
            q = q.bind(s.clone());
        }
        q.fetch_all(conn).await?
    }))
}

/// The coach's appointments of one day (to flag overlaps).
pub async fn coach_day(
    tx: &mut Tx,
    coop: CooperativeId,
    coach: UserId,
    day: Date,
) -> Result<Vec<AppointmentRecord>, StorageError> {
    list(
        tx,
        coop,
        &AppointmentFilter {
            coach: Some(coach),
            from: Some(day),
            to: Some(day),
            ..AppointmentFilter::default()
        },
        false,
        200,
    )
    .await
}

/// For every person of the cooperative being supported: the days of their held interviews
/// (LIF-41), in one read.
/// The interviews held that the follow-up (LIF-41) needs, per person: every one from
/// `year_start` to `today`, and the last one before `year_start` (the others change nothing).
pub async fn held_days(
    tx: &mut Tx,
    coop: CooperativeId,
    year_start: Date,
    today: Date,
) -> Result<Vec<(i64, Date)>, StorageError> {
    const SQL: &str = "select ap.person_id, a.starts_on from appointment a join appointment_person ap on ap.appointment_id = a.appointment_id \
         where a.cooperative_id = $1 and a.status = 'held' and a.starts_on >= $2 and a.starts_on <= $3 \
         union all \
         select ap.person_id, max(a.starts_on) from appointment a join appointment_person ap on ap.appointment_id = a.appointment_id \
         where a.cooperative_id = $1 and a.status = 'held' and a.starts_on < $2 group by ap.person_id";
    Ok(on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(coop.get())
        .bind(year_start)
        .bind(today)
        .fetch_all(conn)
        .await?))
}

// ---------------------------------------------------------------------------------------------
// Calendar feeds

/// Sets the person's feed token (its hash), replacing any earlier one.
pub async fn set_feed(
    tx: &mut Tx,
    coop: CooperativeId,
    user: UserId,
    token_hash: &str,
    now: OffsetDateTime,
) -> Result<(), StorageError> {
    const SQL: &str = "insert into calendar_feed (cooperative_id, user_id, token_hash, created_at) values ($1, $2, $3, $4) \
         on conflict (cooperative_id, user_id) do update set token_hash = excluded.token_hash, created_at = excluded.created_at";
    on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(coop.get())
        .bind(user.get())
        .bind(token_hash)
        .bind(now)
        .execute(conn)
        .await?
        .rows_affected());
    Ok(())
}

/// Whose feed a token opens: (cooperative, user).
pub async fn feed_owner(tx: &mut Tx, token_hash: &str) -> Result<Option<(i64, i64)>, StorageError> {
    const SQL: &str = "select cooperative_id, user_id from calendar_feed where token_hash = $1";
    Ok(on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(token_hash)
        .fetch_optional(conn)
        .await?))
}

pub async fn has_feed(
    tx: &mut Tx,
    coop: CooperativeId,
    user: UserId,
) -> Result<bool, StorageError> {
    const SQL: &str =
        "select count(*) from calendar_feed where cooperative_id = $1 and user_id = $2";
    let n: i64 = on_tx!(tx, |conn| sqlx::query_scalar(SQL)
        .bind(coop.get())
        .bind(user.get())
        .fetch_one(conn)
        .await?);
    Ok(n > 0)
}

/// Held appointments of a period with each person met: (appointment, coach, coach's name,
/// programme, minutes, person).
pub async fn held_in(
    tx: &mut Tx,
    coop: CooperativeId,
    from: Date,
    to: Date,
) -> Result<Vec<(i64, i64, String, Option<String>, i64, i64)>, StorageError> {
    const SQL: &str = "select a.appointment_id, a.coach_user_id, u.display_name, a.programme, a.minutes, ap.person_id \
         from appointment a join user_account u on u.user_id = a.coach_user_id \
         join appointment_person ap on ap.appointment_id = a.appointment_id \
         where a.cooperative_id = $1 and a.status = 'held' and a.starts_on >= $2 and a.starts_on <= $3 \
         order by a.appointment_id, ap.person_id";
    Ok(on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(coop.get())
        .bind(from)
        .bind(to)
        .fetch_all(conn)
        .await?))
}
