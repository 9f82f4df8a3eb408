//! Activities of a cooperative and the entrepreneurs who run them (with their share, LIF-02).

use crate::{Conflict, StorageError, Tx, on_tx, on_unique};
use essaim_domain::activity::ActivityDetails;
use essaim_domain::ids::{ActivityId, CooperativeId, UserId};
use time::{Date, OffsetDateTime};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActivityRecord {
    pub id: ActivityId,
    pub details: ActivityDetails,
    pub referent: Option<(UserId, String)>,
    pub agreement: Option<String>,
    /// Entrepreneurs: account, name, share in basis points.
    pub members: Vec<(UserId, String, u32)>,
}

#[derive(sqlx::FromRow)]
struct ActivityRow {
    activity_id: i64,
    name: String,
    description: Option<String>,
    naf: Option<String>,
    analytic_code: String,
    start_on: Date,
    end_on: Option<Date>,
    referent_user_id: Option<i64>,
    referent_name: Option<String>,
    agreement: Option<String>,
}

const COLUMNS: &str = "a.activity_id, a.name, a.description, a.naf, a.analytic_code, a.start_on, a.end_on, a.referent_user_id, \
     r.display_name as referent_name, a.agreement";

fn record(row: ActivityRow, members: Vec<(UserId, String, u32)>) -> ActivityRecord {
    ActivityRecord {
        id: ActivityId::new(row.activity_id),
        details: ActivityDetails {
            name: row.name,
            description: row.description,
            naf: row.naf,
            analytic_code: row.analytic_code,
            start_on: row.start_on,
            end_on: row.end_on,
        },
        referent: row
            .referent_user_id
            .map(|id| (UserId::new(id), row.referent_name.unwrap_or_default())),
        agreement: row.agreement,
        members,
    }
}

pub async fn insert(
    tx: &mut Tx,
    coop: CooperativeId,
    d: &ActivityDetails,
    referent: Option<UserId>,
    now: OffsetDateTime,
) -> Result<ActivityId, StorageError> {
    const SQL: &str = "insert into activity (cooperative_id, name, description, naf, analytic_code, start_on, end_on, referent_user_id, created_at) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning activity_id";
    let id: i64 = on_tx!(tx, |conn| sqlx::query_scalar(SQL)
        .bind(coop.get())
        .bind(&d.name)
        .bind(&d.description)
        .bind(&d.naf)
        .bind(&d.analytic_code)
        .bind(d.start_on)
        .bind(d.end_on)
        .bind(referent.map(|u| u.get()))
        .bind(now)
        .fetch_one(conn)
        .await
        .map_err(on_unique(Conflict::AnalyticCodeTaken))?);
    Ok(ActivityId::new(id))
}

pub async fn update(
    tx: &mut Tx,
    coop: CooperativeId,
    id: ActivityId,
    d: &ActivityDetails,
    referent: Option<UserId>,
) -> Result<bool, StorageError> {
    const SQL: &str = "update activity set name = $3, description = $4, naf = $5, analytic_code = $6, start_on = $7, end_on = $8, referent_user_id = $9 \
         where activity_id = $1 and cooperative_id = $2";
    let n = on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(id.get())
        .bind(coop.get())
        .bind(&d.name)
        .bind(&d.description)
        .bind(&d.naf)
        .bind(&d.analytic_code)
        .bind(d.start_on)
        .bind(d.end_on)
        .bind(referent.map(|u| u.get()))
        .execute(conn)
        .await
        .map_err(on_unique(Conflict::AnalyticCodeTaken))?
        .rows_affected());
    Ok(n == 1)
}

/// Replaces who runs the activity, their shares and the sharing agreement.
pub async fn set_members(
    tx: &mut Tx,
    coop: CooperativeId,
    id: ActivityId,
    members: &[(UserId, u32)],
    agreement: Option<&str>,
) -> Result<bool, StorageError> {
    const AGREEMENT: &str =
        "update activity set agreement = $3 where activity_id = $1 and cooperative_id = $2";
    const DELETE: &str = "delete from activity_member where activity_id = $1";
    const INSERT: &str = "insert into activity_member (activity_id, user_id, share_basis_points) values ($1, $2, $3)";
    let n = on_tx!(tx, |conn| sqlx::query(AGREEMENT)
        .bind(id.get())
        .bind(coop.get())
        .bind(agreement)
        .execute(conn)
        .await?
        .rows_affected());
    if n != 1 {
        return Ok(false);
    }
    on_tx!(tx, |conn| sqlx::query(DELETE)
        .bind(id.get())
        .execute(conn)
        .await?
        .rows_affected());
    for (user, share) in members {
        on_tx!(tx, |conn| sqlx::query(INSERT)
            .bind(id.get())
            .bind(user.get())
            .bind(i64::from(*share))
            .execute(conn)
            .await?
            .rows_affected());
    }
    Ok(true)
}

async fn members_of(
    tx: &mut Tx,
    ids: &[i64],
) -> Result<Vec<(i64, UserId, String, u32)>, StorageError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let list = ids
        .iter()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "select m.activity_id, m.user_id, u.display_name, m.share_basis_points from activity_member m join user_account u on u.user_id = m.user_id \
         where m.activity_id in ({list}) order by m.activity_id, u.display_name"
    );
    let rows: Vec<(i64, i64, String, i64)> =
        on_tx!(tx, |conn| sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .fetch_all(conn)
            .await?);
    Ok(rows
        .into_iter()
        .map(|(a, u, n, s)| (a, UserId::new(u), n, u32::try_from(s).unwrap_or(0)))
        .collect())
}

pub async fn find(
    tx: &mut Tx,
    coop: CooperativeId,
    id: ActivityId,
) -> Result<Option<ActivityRecord>, StorageError> {
    let sql = format!(
        "select {COLUMNS} from activity a left join user_account r on r.user_id = a.referent_user_id where a.activity_id = $1 and a.cooperative_id = $2"
    );
    let row: Option<ActivityRow> =
        on_tx!(tx, |conn| sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(id.get())
            .bind(coop.get())
            .fetch_optional(conn)
            .await?);
    let Some(row) = row else { return Ok(None) };
    let members = members_of(tx, &[row.activity_id])
        .await?
        .into_iter()
        .map(|(_, u, n, s)| (u, n, s))
        .collect();
    Ok(Some(record(row, members)))
}

/// The cooperative's activities by name; `only_of` keeps those the person runs.
pub async fn list(
    tx: &mut Tx,
    coop: CooperativeId,
    only_of: Option<UserId>,
    search: Option<&str>,
) -> Result<Vec<ActivityRecord>, StorageError> {
    let sql = format!(
        "select {COLUMNS} from activity a left join user_account r on r.user_id = a.referent_user_id where a.cooperative_id = $1 \
         and ($2 = 0 or a.activity_id in (select activity_id from activity_member where user_id = $2)) \
         and ($3 = '' or lower(a.name) like $3 or lower(a.analytic_code) like $3) order by a.name, a.activity_id"
    );
    let pattern = search
        .map(|s| format!("%{}%", s.trim().to_lowercase().replace(['%', '_'], "")))
        .filter(|p| p != "%%")
        .unwrap_or_default();
    let rows: Vec<ActivityRow> =
        on_tx!(tx, |conn| sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(coop.get())
            .bind(only_of.map(|u| u.get()).unwrap_or(0))
            .bind(&pattern)
            .fetch_all(conn)
            .await?);
    let ids: Vec<i64> = rows.iter().map(|r| r.activity_id).collect();
    let members = members_of(tx, &ids).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let id = r.activity_id;
            let ms = members
                .iter()
                .filter(|(a, ..)| *a == id)
                .map(|(_, u, n, s)| (*u, n.clone(), *s))
                .collect();
            record(r, ms)
        })
        .collect())
}

/// The activities a person runs in the cooperative (their permission scope, GDP-04).
pub async fn ids_of_member(
    tx: &mut Tx,
    coop: CooperativeId,
    user: UserId,
) -> Result<Vec<ActivityId>, StorageError> {
    const SQL: &str = "select m.activity_id from activity_member m join activity a on a.activity_id = m.activity_id \
         where a.cooperative_id = $1 and m.user_id = $2";
    let ids: Vec<i64> = on_tx!(tx, |conn| sqlx::query_scalar(SQL)
        .bind(coop.get())
        .bind(user.get())
        .fetch_all(conn)
        .await?);
    Ok(ids.into_iter().map(ActivityId::new).collect())
}

/// Only the ids, names and codes of the activities (for choices in forms and filters), optionally
/// those a person runs.
pub async fn names(
    tx: &mut Tx,
    coop: CooperativeId,
    only_of: Option<UserId>,
) -> Result<Vec<(i64, String, String)>, StorageError> {
    const SQL: &str = "select a.activity_id, a.name, a.analytic_code from activity a where a.cooperative_id = $1 \
         and ($2 = 0 or a.activity_id in (select activity_id from activity_member where user_id = $2)) order by a.name, a.activity_id";
    Ok(on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(coop.get())
        .bind(only_of.map(|u| u.get()).unwrap_or(0))
        .fetch_all(conn)
        .await?))
}
