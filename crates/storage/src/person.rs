//! People, their path events (append-only) with the status projection beside them, and the
//! cooperative's reference lists.

use crate::{StorageError, Tx, corrupt, on_tx};
use essaim_domain::account::Email;
use essaim_domain::ids::{CooperativeId, PersonId, UserId};
use essaim_domain::path::{PathEvent, PathSummary, Period, Status};
use essaim_domain::person::{Gender, PersonDetails, RefList, search_key};
use time::{Date, OffsetDateTime};

// --- reference lists ---------------------------------------------------------------------

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct RefItem {
    pub reference_item_id: i64,
    pub list: String,
    pub code: String,
    pub label: String,
    pub position: i64,
    pub active: bool,
}

/// Seeds a new cooperative's lists with the defaults (LIF-03).
pub async fn insert_default_lists(tx: &mut Tx, coop: CooperativeId) -> Result<(), StorageError> {
    for list in RefList::ALL {
        for (i, (code, label)) in list.defaults().iter().enumerate() {
            insert_item(tx, coop, list, code, label, i64::try_from(i).unwrap_or(0)).await?;
        }
    }
    Ok(())
}

pub async fn insert_item(
    tx: &mut Tx,
    coop: CooperativeId,
    list: RefList,
    code: &str,
    label: &str,
    position: i64,
) -> Result<bool, StorageError> {
    const SQL: &str = "insert into reference_item (cooperative_id, list, code, label, position, active) values ($1, $2, $3, $4, $5, true) \
         on conflict (cooperative_id, list, code) do nothing";
    let n = on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(coop.get())
        .bind(list.code())
        .bind(code)
        .bind(label)
        .bind(position)
        .execute(conn)
        .await?
        .rows_affected());
    Ok(n == 1)
}

/// Renames an item and sets whether it is offered; retired items stay readable on old records.
pub async fn update_item(
    tx: &mut Tx,
    coop: CooperativeId,
    id: i64,
    label: &str,
    active: bool,
) -> Result<bool, StorageError> {
    const SQL: &str = "update reference_item set label = $3, active = $4 where reference_item_id = $1 and cooperative_id = $2";
    let n = on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(id)
        .bind(coop.get())
        .bind(label)
        .bind(active)
        .execute(conn)
        .await?
        .rows_affected());
    Ok(n == 1)
}

pub async fn list_items(tx: &mut Tx, coop: CooperativeId) -> Result<Vec<RefItem>, StorageError> {
    const SQL: &str = "select reference_item_id, list, code, label, position, active from reference_item \
         where cooperative_id = $1 order by list, position, reference_item_id";
    Ok(on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(coop.get())
        .fetch_all(conn)
        .await?))
}

// --- people ---------------------------------------------------------------------------------

/// A person as stored: details, links and the path projection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PersonRecord {
    pub id: PersonId,
    pub user_id: Option<UserId>,
    pub referent: Option<(UserId, String)>,
    pub details: PersonDetails,
    pub summary: PathSummary,
    pub created_at: OffsetDateTime,
    pub anonymized: bool,
}

#[derive(sqlx::FromRow)]
struct PersonRow {
    person_id: i64,
    user_id: Option<i64>,
    referent_user_id: Option<i64>,
    referent_name: Option<String>,
    first_name: String,
    last_name: String,
    email: Option<String>,
    phone: Option<String>,
    address: Option<String>,
    postcode: Option<String>,
    commune: Option<String>,
    birth_date: Option<Date>,
    gender: String,
    situation: Option<String>,
    prescriber: Option<String>,
    education: Option<String>,
    antenna: Option<String>,
    qpv: bool,
    rural: bool,
    naf: Option<String>,
    status: String,
    suspended: bool,
    cape_end_on: Option<Date>,
    trial_end_on: Option<Date>,
    associate_deadline_on: Option<Date>,
    created_at: OffsetDateTime,
    anonymized_at: Option<OffsetDateTime>,
}

impl TryFrom<PersonRow> for PersonRecord {
    type Error = StorageError;
    fn try_from(r: PersonRow) -> Result<PersonRecord, StorageError> {
        Ok(PersonRecord {
            id: PersonId::new(r.person_id),
            user_id: r.user_id.map(UserId::new),
            referent: r
                .referent_user_id
                .map(|id| (UserId::new(id), r.referent_name.unwrap_or_default())),
            details: PersonDetails {
                first_name: r.first_name,
                last_name: r.last_name,
                email: r
                    .email
                    .as_deref()
                    .map(Email::parse)
                    .transpose()
                    .map_err(|_| corrupt("person.email"))?,
                phone: r.phone,
                address: r.address,
                postcode: r.postcode,
                commune: r.commune,
                birth_date: r.birth_date,
                gender: Gender::parse(&r.gender).map_err(|_| corrupt("person.gender"))?,
                situation: r.situation,
                prescriber: r.prescriber,
                education: r.education,
                antenna: r.antenna,
                qpv: r.qpv,
                rural: r.rural,
                naf: r.naf,
            },
            summary: PathSummary {
                status: Status::parse(&r.status).ok_or_else(|| corrupt("person.status"))?,
                suspended: r.suspended,
                cape_end: r.cape_end_on,
                trial_end: r.trial_end_on,
                associate_deadline: r.associate_deadline_on,
            },
            created_at: r.created_at,
            anonymized: r.anonymized_at.is_some(),
        })
    }
}

/// What the list's search looks in: names and e-mail, folded (see `search_key`).
fn search_text(d: &PersonDetails) -> String {
    search_key(&format!(
        "{} {} {}",
        d.first_name,
        d.last_name,
        d.email.as_ref().map(|e| e.as_str()).unwrap_or("")
    ))
}

const PERSON_COLUMNS: &str = "p.person_id, p.user_id, p.referent_user_id, r.display_name as referent_name, p.first_name, p.last_name, \
     p.email, p.phone, p.address, p.postcode, p.commune, p.birth_date, p.gender, p.situation, p.prescriber, p.education, \
     p.antenna, p.qpv, p.rural, p.naf, p.status, p.suspended, p.cape_end_on, p.trial_end_on, p.associate_deadline_on, \
     p.created_at, p.anonymized_at";

/// Binds the details columns in the order of `insert` and `update`.
macro_rules! bind_details {
    ($query:expr, $d:expr) => {
        $query
            .bind(search_text($d))
            .bind(&$d.first_name)
            .bind(&$d.last_name)
            .bind($d.email.as_ref().map(|e| e.as_str()))
            .bind(&$d.phone)
            .bind(&$d.address)
            .bind(&$d.postcode)
            .bind(&$d.commune)
            .bind($d.birth_date)
            .bind($d.gender.code())
            .bind(&$d.situation)
            .bind(&$d.prescriber)
            .bind(&$d.education)
            .bind(&$d.antenna)
            .bind($d.qpv)
            .bind($d.rural)
            .bind(&$d.naf)
    };
}

pub async fn insert(
    tx: &mut Tx,
    coop: CooperativeId,
    details: &PersonDetails,
    user: Option<UserId>,
    referent: Option<UserId>,
    now: OffsetDateTime,
) -> Result<PersonId, StorageError> {
    const SQL: &str = "insert into person (search_text, first_name, last_name, email, phone, address, postcode, commune, birth_date, gender, \
         situation, prescriber, education, antenna, qpv, rural, naf, cooperative_id, user_id, referent_user_id, status, suspended, created_at) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, 'prospect', false, $21) returning person_id";
    let id: i64 = on_tx!(tx, |conn| bind_details!(sqlx::query_scalar(SQL), details)
        .bind(coop.get())
        .bind(user.map(|u| u.get()))
        .bind(referent.map(|u| u.get()))
        .bind(now)
        .fetch_one(conn)
        .await?);
    Ok(PersonId::new(id))
}

pub async fn update_details(
    tx: &mut Tx,
    coop: CooperativeId,
    id: PersonId,
    details: &PersonDetails,
) -> Result<bool, StorageError> {
    const SQL: &str = "update person set search_text = $1, first_name = $2, last_name = $3, email = $4, phone = $5, address = $6, \
         postcode = $7, commune = $8, birth_date = $9, gender = $10, situation = $11, prescriber = $12, education = $13, antenna = $14, \
         qpv = $15, rural = $16, naf = $17 where person_id = $18 and cooperative_id = $19";
    let n = on_tx!(tx, |conn| bind_details!(sqlx::query(SQL), details)
        .bind(id.get())
        .bind(coop.get())
        .execute(conn)
        .await?
        .rows_affected());
    Ok(n == 1)
}

pub async fn set_referent(
    tx: &mut Tx,
    coop: CooperativeId,
    id: PersonId,
    referent: Option<UserId>,
) -> Result<bool, StorageError> {
    const SQL: &str =
        "update person set referent_user_id = $3 where person_id = $1 and cooperative_id = $2";
    let n = on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(id.get())
        .bind(coop.get())
        .bind(referent.map(|u| u.get()))
        .execute(conn)
        .await?
        .rows_affected());
    Ok(n == 1)
}

pub async fn set_user(
    tx: &mut Tx,
    coop: CooperativeId,
    id: PersonId,
    user: Option<UserId>,
) -> Result<bool, StorageError> {
    const SQL: &str = "update person set user_id = $3 where person_id = $1 and cooperative_id = $2";
    let n = on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(id.get())
        .bind(coop.get())
        .bind(user.map(|u| u.get()))
        .execute(conn)
        .await?
        .rows_affected());
    Ok(n == 1)
}

/// The person, if they belong to `coop`.
pub async fn find(
    tx: &mut Tx,
    coop: CooperativeId,
    id: PersonId,
) -> Result<Option<PersonRecord>, StorageError> {
    let sql = format!(
        "select {PERSON_COLUMNS} from person p left join user_account r on r.user_id = p.referent_user_id where p.person_id = $1 and p.cooperative_id = $2"
    );
    let row: Option<PersonRow> = on_tx!(tx, |conn| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id.get())
        .bind(coop.get())
        .fetch_optional(conn)
        .await?);
    row.map(PersonRecord::try_from).transpose()
}

/// The person record linked to an account in `coop` (an entrepreneur's own file).
pub async fn find_by_user(
    tx: &mut Tx,
    coop: CooperativeId,
    user: UserId,
) -> Result<Option<PersonRecord>, StorageError> {
    let sql = format!(
        "select {PERSON_COLUMNS} from person p left join user_account r on r.user_id = p.referent_user_id where p.user_id = $1 and p.cooperative_id = $2"
    );
    let row: Option<PersonRow> = on_tx!(tx, |conn| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(user.get())
        .bind(coop.get())
        .fetch_optional(conn)
        .await?);
    row.map(PersonRecord::try_from).transpose()
}

/// A recorded path event with who recorded it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordedEvent {
    pub event: PathEvent,
    pub recorded_at: OffsetDateTime,
    pub recorded_by: Option<String>,
}

#[derive(sqlx::FromRow)]
struct EventRow {
    kind: String,
    on_date: Date,
    end_date: Option<Date>,
    text1: Option<String>,
    text2: Option<String>,
    text3: Option<String>,
    recorded_at: OffsetDateTime,
    recorded_by_name: Option<String>,
}

fn event_of(r: &EventRow) -> Result<PathEvent, StorageError> {
    let on = r.on_date;
    let t = |v: &Option<String>| v.clone().unwrap_or_default();
    let period = || {
        r.end_date
            .map(|end| Period { start: on, end })
            .ok_or_else(|| corrupt("person_event.end_date"))
    };
    Ok(match r.kind.as_str() {
        "information_meeting" => PathEvent::InformationMeeting { on },
        "diagnostic_interview" => PathEvent::DiagnosticInterview { on },
        "admitted" => PathEvent::Admitted { on },
        "not_admitted" => PathEvent::NotAdmitted {
            on,
            reason: t(&r.text1),
        },
        "cape_signed" => PathEvent::CapeSigned { period: period()? },
        "cape_renewed" => PathEvent::CapeRenewed { period: period()? },
        "cape_ended" => PathEvent::CapeEnded { on },
        "hiring_declared" => PathEvent::HiringDeclared { on },
        "cesa_signed" => PathEvent::CesaSigned {
            start: on,
            trial_end: r.end_date,
        },
        "cesa_amended" => PathEvent::CesaAmended {
            on,
            summary: t(&r.text1),
        },
        "associate_admitted" => PathEvent::AssociateAdmitted { on },
        "suspension_started" => PathEvent::SuspensionStarted {
            on,
            reason: t(&r.text1),
        },
        "suspension_ended" => PathEvent::SuspensionEnded { on },
        "exited" => PathEvent::Exited {
            on,
            exit_type: t(&r.text1),
            reason: t(&r.text2),
            destination: t(&r.text3),
        },
        other => return Err(corrupt(format!("person_event.kind {other}"))),
    })
}

pub async fn events(tx: &mut Tx, id: PersonId) -> Result<Vec<RecordedEvent>, StorageError> {
    const SQL: &str = "select e.kind, e.on_date, e.end_date, e.text1, e.text2, e.text3, e.recorded_at, u.display_name as recorded_by_name \
         from person_event e left join user_account u on u.user_id = e.recorded_by where e.person_id = $1 order by e.person_event_id";
    let rows: Vec<EventRow> = on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(id.get())
        .fetch_all(conn)
        .await?);
    rows.iter()
        .map(|r| {
            Ok(RecordedEvent {
                event: event_of(r)?,
                recorded_at: r.recorded_at,
                recorded_by: r.recorded_by_name.clone(),
            })
        })
        .collect()
}

/// Appends an event (never edited) and stores the new projection beside the person (GEN-04).
pub async fn append_event(
    tx: &mut Tx,
    id: PersonId,
    event: &PathEvent,
    summary: &PathSummary,
    by: Option<UserId>,
    now: OffsetDateTime,
) -> Result<(), StorageError> {
    insert_event(tx, id, event, by, now).await?;
    set_summary(tx, id, summary).await
}

/// Appends an event without touching the projection (bulk loading; call [`set_summary`] after).
pub async fn insert_event(
    tx: &mut Tx,
    id: PersonId,
    event: &PathEvent,
    by: Option<UserId>,
    now: OffsetDateTime,
) -> Result<(), StorageError> {
    const INSERT: &str = "insert into person_event (person_id, kind, on_date, end_date, text1, text2, text3, recorded_at, recorded_by) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
    let (end, t1, t2, t3): (Option<Date>, Option<&str>, Option<&str>, Option<&str>) = match event {
        PathEvent::NotAdmitted { reason, .. } | PathEvent::SuspensionStarted { reason, .. } => {
            (None, Some(reason), None, None)
        }
        PathEvent::CapeSigned { period } | PathEvent::CapeRenewed { period } => {
            (Some(period.end), None, None, None)
        }
        PathEvent::CesaSigned { trial_end, .. } => (*trial_end, None, None, None),
        PathEvent::CesaAmended { summary, .. } => (None, Some(summary), None, None),
        PathEvent::Exited {
            exit_type,
            reason,
            destination,
            ..
        } => (None, Some(exit_type), Some(reason), Some(destination)),
        _ => (None, None, None, None),
    };
    on_tx!(tx, |conn| sqlx::query(INSERT)
        .bind(id.get())
        .bind(event.kind())
        .bind(event.date())
        .bind(end)
        .bind(t1)
        .bind(t2)
        .bind(t3)
        .bind(now)
        .bind(by.map(|u| u.get()))
        .execute(conn)
        .await?
        .rows_affected());
    Ok(())
}

/// Stores the path projection beside the person.
pub async fn set_summary(
    tx: &mut Tx,
    id: PersonId,
    summary: &PathSummary,
) -> Result<(), StorageError> {
    const PROJECT: &str = "update person set status = $2, suspended = $3, cape_end_on = $4, trial_end_on = $5, associate_deadline_on = $6 where person_id = $1";
    on_tx!(tx, |conn| sqlx::query(PROJECT)
        .bind(id.get())
        .bind(summary.status.code())
        .bind(summary.suspended)
        .bind(summary.cape_end)
        .bind(summary.trial_end)
        .bind(summary.associate_deadline)
        .execute(conn)
        .await?
        .rows_affected());
    Ok(())
}

/// One line of the people list.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct PersonLine {
    pub person_id: i64,
    pub referent_user_id: Option<i64>,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub status: String,
    pub suspended: bool,
    pub antenna: Option<String>,
    pub referent_name: Option<String>,
    pub cape_end_on: Option<Date>,
    pub trial_end_on: Option<Date>,
    pub associate_deadline_on: Option<Date>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum PersonSort {
    #[default]
    Name,
    Status,
    Deadline,
}

/// Filters of the people list; empty means any.
#[derive(Clone, Debug, Default)]
pub struct PersonFilter {
    pub search: Option<String>,
    pub status: Option<Status>,
    pub referent: Option<UserId>,
    pub antenna: Option<String>,
    /// Only people with an associé deadline on or before this date.
    pub deadline_before: Option<Date>,
    /// NAF code or its first digits (`62`, `62.01Z`).
    pub naf: Option<String>,
    pub sort: PersonSort,
}

pub async fn list(
    tx: &mut Tx,
    coop: CooperativeId,
    f: &PersonFilter,
    limit: i64,
    offset: i64,
) -> Result<(Vec<PersonLine>, i64), StorageError> {
    // Only the active filters go into the SQL, so the planner can use the status index
    // (an `($n = '' or …)` on a bound value hides the equality from SQLite). Every piece of
    // text below is a constant; the values are bound.
    enum Val {
        Text(String),
        Int(i64),
        Date(Date),
    }
    let mut conds = vec![
        "p.cooperative_id = $1".to_owned(),
        "p.anonymized_at is null".to_owned(),
    ];
    let mut vals: Vec<Val> = Vec::new();
    let mut add = |cond: &str, v: Val| {
        vals.push(v);
        conds.push(cond.replace('?', &format!("${}", vals.len() + 1)));
    };
    if let Some(search) = f
        .search
        .as_deref()
        .map(|s| search_key(s.trim()).replace(['%', '_'], ""))
        .filter(|s| !s.is_empty())
    {
        add("p.search_text like ?", Val::Text(format!("%{search}%")));
    }
    if let Some(status) = f.status {
        add("p.status = ?", Val::Text(status.code().to_owned()));
    }
    if let Some(referent) = f.referent {
        add("p.referent_user_id = ?", Val::Int(referent.get()));
    }
    if let Some(antenna) = f.antenna.clone().filter(|a| !a.is_empty()) {
        add("p.antenna = ?", Val::Text(antenna));
    }
    if let Some(before) = f.deadline_before {
        add("p.associate_deadline_on <= ?", Val::Date(before));
    }
    if let Some(naf) = f.naf.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
        add(
            "p.naf like ?",
            Val::Text(format!("{}%", naf.to_uppercase().replace(['%', '_'], ""))),
        );
    }
    let where_clause = format!("where {}", conds.join(" and "));
    let order = match f.sort {
        PersonSort::Name => "p.last_name, p.first_name, p.person_id",
        PersonSort::Status => "p.status, p.last_name, p.first_name, p.person_id",
        PersonSort::Deadline => {
            "case when p.associate_deadline_on is null then 1 else 0 end, p.associate_deadline_on, p.last_name, p.person_id"
        }
    };
    let n = vals.len();
    let count_sql = format!("select count(*) from person p {where_clause}");
    let page_sql = format!(
        "select p.person_id, p.referent_user_id, p.first_name, p.last_name, p.email, p.status, p.suspended, p.antenna, r.display_name as referent_name, \
         p.cape_end_on, p.trial_end_on, p.associate_deadline_on from person p left join user_account r on r.user_id = p.referent_user_id \
         {where_clause} order by {order} limit ${} offset ${}",
        n + 2,
        n + 3
    );
    let total: i64 = on_tx!(tx, |conn| {
        let mut q = sqlx::query_scalar(sqlx::AssertSqlSafe(count_sql.clone())).bind(coop.get());
        for v in &vals {
            q = match v {
                Val::Text(t) => q.bind(t.clone()),
                Val::Int(i) => q.bind(*i),
                Val::Date(d) => q.bind(*d),
            };
        }
        q.fetch_one(conn).await?
    });
    let rows: Vec<PersonLine> = on_tx!(tx, |conn| {
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(page_sql.clone())).bind(coop.get());
        for v in &vals {
            q = match v {
                Val::Text(t) => q.bind(t.clone()),
                Val::Int(i) => q.bind(*i),
                Val::Date(d) => q.bind(*d),
            };
        }
        q.bind(limit).bind(offset).fetch_all(conn).await?
    });
    Ok((rows, total))
}

/// People with a deadline on or before `until`: associé deadline (any date, overdue included),
/// CAPE end or trial end (from `from`), for the deadlines dashboard.
pub async fn deadlines(
    tx: &mut Tx,
    coop: CooperativeId,
    from: Date,
    until: Date,
) -> Result<Vec<PersonLine>, StorageError> {
    const SQL: &str = "select p.person_id, p.referent_user_id, p.first_name, p.last_name, p.email, p.status, p.suspended, p.antenna, r.display_name as referent_name, \
         p.cape_end_on, p.trial_end_on, p.associate_deadline_on from person p left join user_account r on r.user_id = p.referent_user_id \
         where p.cooperative_id = $1 and p.anonymized_at is null and (p.associate_deadline_on <= $3 \
         or (p.cape_end_on >= $2 and p.cape_end_on <= $3) or (p.trial_end_on >= $2 and p.trial_end_on <= $3)) \
         order by p.last_name, p.first_name, p.person_id";
    Ok(on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(coop.get())
        .bind(from)
        .bind(until)
        .fetch_all(conn)
        .await?))
}

/// The day each person of the cooperative was recorded (when their support began, for LIF-41).
pub async fn created_days(
    tx: &mut Tx,
    coop: CooperativeId,
) -> Result<std::collections::HashMap<i64, Date>, StorageError> {
    const SQL: &str = "select person_id, created_at from person where cooperative_id = $1 and anonymized_at is null";
    let rows: Vec<(i64, OffsetDateTime)> = on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(coop.get())
        .fetch_all(conn)
        .await?);
    Ok(rows.into_iter().map(|(p, at)| (p, at.date())).collect())
}

pub async fn count_by_status(
    tx: &mut Tx,
    coop: CooperativeId,
) -> Result<Vec<(String, i64)>, StorageError> {
    const SQL: &str = "select status, count(*) from person where cooperative_id = $1 and anonymized_at is null group by status";
    Ok(on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(coop.get())
        .fetch_all(conn)
        .await?))
}

/// Erases a person's identity and contact details and the free texts of their path, keeping the
/// coded facts anonymous statistics need (GDP-01, GDP-02). Returns false if not in `coop`.
pub async fn anonymize(
    tx: &mut Tx,
    coop: CooperativeId,
    id: PersonId,
    now: OffsetDateTime,
) -> Result<bool, StorageError> {
    const PERSON: &str = "update person set first_name = '', last_name = '', email = null, phone = null, address = null, postcode = null, \
         commune = null, birth_date = null, prescriber = null, naf = null, search_text = '', user_id = null, referent_user_id = null, \
         anonymized_at = $3 where person_id = $1 and cooperative_id = $2 and anonymized_at is null";
    const EVENTS: &str = "update person_event set text1 = null where person_id = $1 and kind in ('cesa_amended', 'suspension_started')";
    let n = on_tx!(tx, |conn| sqlx::query(PERSON)
        .bind(id.get())
        .bind(coop.get())
        .bind(now)
        .execute(conn)
        .await?
        .rows_affected());
    if n != 1 {
        return Ok(false);
    }
    on_tx!(tx, |conn| sqlx::query(EVENTS)
        .bind(id.get())
        .execute(conn)
        .await?
        .rows_affected());
    Ok(true)
}

/// Every file linked to an account, in every cooperative (for the person's own export).
pub async fn files_of_user(
    tx: &mut Tx,
    user: UserId,
) -> Result<Vec<(CooperativeId, PersonRecord)>, StorageError> {
    let sql = format!(
        "select p.cooperative_id, {PERSON_COLUMNS} from person p left join user_account r on r.user_id = p.referent_user_id where p.user_id = $1 order by p.person_id"
    );
    #[derive(sqlx::FromRow)]
    struct Row {
        cooperative_id: i64,
        #[sqlx(flatten)]
        person: PersonRow,
    }
    let rows: Vec<Row> = on_tx!(tx, |conn| sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
        .bind(user.get())
        .fetch_all(conn)
        .await?);
    rows.into_iter()
        .map(|r| {
            Ok((
                CooperativeId::new(r.cooperative_id),
                PersonRecord::try_from(r.person)?,
            ))
        })
        .collect()
}
