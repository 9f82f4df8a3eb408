//! Document records (the bytes are on disk, addressed by their SHA-256).

use crate::{StorageError, Tx, corrupt, on_tx};
use essaim_domain::document::DocumentKind;
use essaim_domain::ids::{ActivityId, CooperativeId, PersonId, UserId};
use time::{Date, OffsetDateTime};

/// What a document is attached to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Owner {
    Person(PersonId),
    Activity(ActivityId),
    /// An appointment (its id): the coach's attachments, shared with the people met.
    Appointment(i64),
}

pub struct NewDocument<'a> {
    pub owner: Owner,
    pub kind: DocumentKind,
    pub title: &'a str,
    pub filename: &'a str,
    pub content_type: &'a str,
    pub sha256: &'a str,
    pub size_bytes: i64,
    pub expires_on: Option<Date>,
    pub uploaded_by: UserId,
}

pub async fn insert(
    tx: &mut Tx,
    coop: CooperativeId,
    d: &NewDocument<'_>,
    now: OffsetDateTime,
) -> Result<i64, StorageError> {
    const SQL: &str = "insert into document (cooperative_id, person_id, activity_id, kind, title, filename, content_type, sha256, size_bytes, expires_on, uploaded_by, uploaded_at, appointment_id) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) returning document_id";
    let (person, activity, appointment) = match d.owner {
        Owner::Person(p) => (Some(p.get()), None, None),
        Owner::Activity(a) => (None, Some(a.get()), None),
        Owner::Appointment(a) => (None, None, Some(a)),
    };
    Ok(on_tx!(tx, |conn| sqlx::query_scalar(SQL)
        .bind(coop.get())
        .bind(person)
        .bind(activity)
        .bind(d.kind.code())
        .bind(d.title)
        .bind(d.filename)
        .bind(d.content_type)
        .bind(d.sha256)
        .bind(d.size_bytes)
        .bind(d.expires_on)
        .bind(d.uploaded_by.get())
        .bind(now)
        .bind(appointment)
        .fetch_one(conn)
        .await?))
}

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct DocumentRow {
    pub document_id: i64,
    pub person_id: Option<i64>,
    pub activity_id: Option<i64>,
    pub appointment_id: Option<i64>,
    pub kind: String,
    pub title: String,
    pub filename: String,
    pub content_type: String,
    pub sha256: String,
    pub size_bytes: i64,
    pub expires_on: Option<Date>,
    pub uploaded_at: OffsetDateTime,
}

impl DocumentRow {
    pub fn owner(&self) -> Result<Owner, StorageError> {
        match (self.person_id, self.activity_id, self.appointment_id) {
            (Some(p), None, None) => Ok(Owner::Person(PersonId::new(p))),
            (None, Some(a), None) => Ok(Owner::Activity(ActivityId::new(a))),
            (None, None, Some(a)) => Ok(Owner::Appointment(a)),
            _ => Err(corrupt("document owner")),
        }
    }
}

const COLUMNS: &str = "document_id, person_id, activity_id, appointment_id, kind, title, filename, content_type, sha256, size_bytes, expires_on, uploaded_at";

pub async fn list_for(
    tx: &mut Tx,
    coop: CooperativeId,
    owner: Owner,
) -> Result<Vec<DocumentRow>, StorageError> {
    let (col, id) = match owner {
        Owner::Person(p) => ("person_id", p.get()),
        Owner::Activity(a) => ("activity_id", a.get()),
        Owner::Appointment(a) => ("appointment_id", a),
    };
    let sql = format!(
        "select {COLUMNS} from document where cooperative_id = $1 and {col} = $2 order by document_id desc"
    );
    Ok(on_tx!(tx, |conn| sqlx::query_as(sqlx::AssertSqlSafe(
        sql.clone()
    ))
    .bind(coop.get())
    .bind(id)
    .fetch_all(conn)
    .await?))
}

pub async fn find(
    tx: &mut Tx,
    coop: CooperativeId,
    id: i64,
) -> Result<Option<DocumentRow>, StorageError> {
    let sql =
        format!("select {COLUMNS} from document where cooperative_id = $1 and document_id = $2");
    Ok(on_tx!(tx, |conn| sqlx::query_as(sqlx::AssertSqlSafe(
        sql.clone()
    ))
    .bind(coop.get())
    .bind(id)
    .fetch_optional(conn)
    .await?))
}

/// A person's document that expires soon, with who follows the person.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct ExpiringDocument {
    #[sqlx(flatten)]
    pub doc: DocumentRow,
    pub person_name: String,
    pub referent_name: Option<String>,
    pub referent_user_id: Option<i64>,
}

/// People's documents expiring on or before `until`, with the person's name and referent.
pub async fn expiring(
    tx: &mut Tx,
    coop: CooperativeId,
    until: Date,
) -> Result<Vec<ExpiringDocument>, StorageError> {
    const SQL: &str = "select d.document_id, d.person_id, d.activity_id, d.appointment_id, d.kind, d.title, d.filename, d.content_type, d.sha256, d.size_bytes, \
         d.expires_on, d.uploaded_at, p.last_name || ' ' || p.first_name as person_name, r.display_name as referent_name, p.referent_user_id \
         from document d join person p on p.person_id = d.person_id left join user_account r on r.user_id = p.referent_user_id \
         where d.cooperative_id = $1 and d.expires_on <= $2 and p.anonymized_at is null order by d.expires_on";
    Ok(on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(coop.get())
        .bind(until)
        .fetch_all(conn)
        .await?))
}
