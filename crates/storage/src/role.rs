//! Roles of a cooperative, the permissions they grant, and who holds them (memberships).

use crate::{StorageError, Tx, corrupt, on_tx};
use essaim_domain::access::{Grant, Permission, RoleKind, Scope};
use essaim_domain::ids::{CooperativeId, RoleId, UserId};
use time::OffsetDateTime;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Role {
    pub id: RoleId,
    pub kind: RoleKind,
    pub name: String,
    pub grants: Vec<Grant>,
}

pub async fn insert(
    tx: &mut Tx,
    coop: CooperativeId,
    kind: RoleKind,
    name: &str,
) -> Result<RoleId, StorageError> {
    const SQL: &str =
        "insert into role (cooperative_id, kind, name) values ($1, $2, $3) returning role_id";
    let id: i64 = on_tx!(tx, |conn| sqlx::query_scalar(SQL)
        .bind(coop.get())
        .bind(kind.code())
        .bind(name)
        .fetch_one(conn)
        .await?);
    Ok(RoleId::new(id))
}

/// Replaces the grants of a role of `coop`. Returns false if the role is not the cooperative's.
pub async fn set_grants(
    tx: &mut Tx,
    coop: CooperativeId,
    role: RoleId,
    grants: &[Grant],
) -> Result<bool, StorageError> {
    const OWNED: &str = "select count(*) from role where role_id = $1 and cooperative_id = $2";
    const DELETE: &str = "delete from role_grant where role_id = $1";
    const INSERT: &str = "insert into role_grant (role_id, permission, scope) values ($1, $2, $3)";
    let owned: i64 = on_tx!(tx, |conn| sqlx::query_scalar(OWNED)
        .bind(role.get())
        .bind(coop.get())
        .fetch_one(conn)
        .await?);
    if owned == 0 {
        return Ok(false);
    }
    on_tx!(tx, |conn| sqlx::query(DELETE)
        .bind(role.get())
        .execute(conn)
        .await?
        .rows_affected());
    for g in grants {
        on_tx!(tx, |conn| sqlx::query(INSERT)
            .bind(role.get())
            .bind(g.permission.code())
            .bind(g.scope.code())
            .execute(conn)
            .await?
            .rows_affected());
    }
    Ok(true)
}

pub async fn rename(
    tx: &mut Tx,
    coop: CooperativeId,
    role: RoleId,
    name: &str,
) -> Result<bool, StorageError> {
    const SQL: &str = "update role set name = $3 where role_id = $1 and cooperative_id = $2";
    let n = on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(role.get())
        .bind(coop.get())
        .bind(name)
        .execute(conn)
        .await?
        .rows_affected());
    Ok(n == 1)
}

fn grant_of(permission: &str, scope: &str) -> Result<Grant, StorageError> {
    Ok(Grant {
        permission: Permission::parse(permission)
            .ok_or_else(|| corrupt(format!("permission {permission}")))?,
        scope: Scope::parse(scope).ok_or_else(|| corrupt(format!("scope {scope}")))?,
    })
}

/// Every role of the cooperative with its grants, in the order of `RoleKind::ALL`.
pub async fn list(tx: &mut Tx, coop: CooperativeId) -> Result<Vec<Role>, StorageError> {
    const ROLES: &str =
        "select role_id, kind, name from role where cooperative_id = $1 order by role_id";
    const GRANTS: &str = "select g.role_id, g.permission, g.scope from role_grant g join role r on r.role_id = g.role_id \
         where r.cooperative_id = $1 order by g.role_id, g.permission";
    let roles: Vec<(i64, String, String)> = on_tx!(tx, |conn| sqlx::query_as(ROLES)
        .bind(coop.get())
        .fetch_all(conn)
        .await?);
    let grants: Vec<(i64, String, String)> = on_tx!(tx, |conn| sqlx::query_as(GRANTS)
        .bind(coop.get())
        .fetch_all(conn)
        .await?);
    let mut out = Vec::with_capacity(roles.len());
    for (id, kind, name) in roles {
        let kind = RoleKind::parse(&kind).ok_or_else(|| corrupt(format!("role kind {kind}")))?;
        let mut gs = Vec::new();
        for (_, p, s) in grants.iter().filter(|(r, _, _)| *r == id) {
            gs.push(grant_of(p, s)?);
        }
        out.push(Role {
            id: RoleId::new(id),
            kind,
            name,
            grants: gs,
        });
    }
    out.sort_by_key(|r| RoleKind::ALL.iter().position(|k| *k == r.kind));
    Ok(out)
}

pub async fn find_by_kind(
    tx: &mut Tx,
    coop: CooperativeId,
    kind: RoleKind,
) -> Result<Option<RoleId>, StorageError> {
    const SQL: &str = "select role_id from role where cooperative_id = $1 and kind = $2";
    let id: Option<i64> = on_tx!(tx, |conn| sqlx::query_scalar(SQL)
        .bind(coop.get())
        .bind(kind.code())
        .fetch_optional(conn)
        .await?);
    Ok(id.map(RoleId::new))
}

/// Gives a role of `coop` to a user (idempotent).
pub async fn add_membership(
    tx: &mut Tx,
    coop: CooperativeId,
    user: UserId,
    role: RoleId,
    now: OffsetDateTime,
) -> Result<(), StorageError> {
    const SQL: &str = "insert into membership (cooperative_id, user_id, role_id, granted_at) \
         select $1, $2, role_id, $4 from role where role_id = $3 and cooperative_id = $1 \
         on conflict (cooperative_id, user_id, role_id) do nothing";
    on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(coop.get())
        .bind(user.get())
        .bind(role.get())
        .bind(now)
        .execute(conn)
        .await?
        .rows_affected());
    Ok(())
}

pub async fn remove_membership(
    tx: &mut Tx,
    coop: CooperativeId,
    user: UserId,
    role: RoleId,
) -> Result<bool, StorageError> {
    const SQL: &str =
        "delete from membership where cooperative_id = $1 and user_id = $2 and role_id = $3";
    let n = on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(coop.get())
        .bind(user.get())
        .bind(role.get())
        .execute(conn)
        .await?
        .rows_affected());
    Ok(n == 1)
}

/// The role kinds and grants a user holds in a cooperative (empty when not a member).
pub async fn access_of(
    tx: &mut Tx,
    coop: CooperativeId,
    user: UserId,
) -> Result<(Vec<RoleKind>, Vec<Grant>), StorageError> {
    const KINDS: &str = "select r.kind from membership m join role r on r.role_id = m.role_id \
         where m.cooperative_id = $1 and m.user_id = $2 order by r.role_id";
    const GRANTS: &str = "select distinct g.permission, g.scope from membership m join role_grant g on g.role_id = m.role_id \
         where m.cooperative_id = $1 and m.user_id = $2";
    let kinds: Vec<String> = on_tx!(tx, |conn| sqlx::query_scalar(KINDS)
        .bind(coop.get())
        .bind(user.get())
        .fetch_all(conn)
        .await?);
    let grants: Vec<(String, String)> = on_tx!(tx, |conn| sqlx::query_as(GRANTS)
        .bind(coop.get())
        .bind(user.get())
        .fetch_all(conn)
        .await?);
    let kinds = kinds
        .iter()
        .map(|k| RoleKind::parse(k).ok_or_else(|| corrupt(format!("role kind {k}"))))
        .collect::<Result<_, _>>()?;
    let grants = grants
        .iter()
        .map(|(p, s)| grant_of(p, s))
        .collect::<Result<_, _>>()?;
    Ok((kinds, grants))
}

/// One cooperative a user belongs to, with their roles there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserCooperative {
    pub cooperative_id: CooperativeId,
    pub slug: String,
    pub legal_name: String,
    pub kinds: Vec<RoleKind>,
}

pub async fn cooperatives_of(
    tx: &mut Tx,
    user: UserId,
) -> Result<Vec<UserCooperative>, StorageError> {
    const SQL: &str = "select c.cooperative_id, c.slug, c.legal_name, r.kind from membership m \
         join cooperative c on c.cooperative_id = m.cooperative_id join role r on r.role_id = m.role_id \
         where m.user_id = $1 order by c.legal_name, c.cooperative_id, r.role_id";
    let rows: Vec<(i64, String, String, String)> = on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(user.get())
        .fetch_all(conn)
        .await?);
    let mut out: Vec<UserCooperative> = Vec::new();
    for (id, slug, name, kind) in rows {
        let kind = RoleKind::parse(&kind).ok_or_else(|| corrupt(format!("role kind {kind}")))?;
        match out.last_mut() {
            Some(last) if last.cooperative_id.get() == id => last.kinds.push(kind),
            _ => out.push(UserCooperative {
                cooperative_id: CooperativeId::new(id),
                slug,
                legal_name: name,
                kinds: vec![kind],
            }),
        }
    }
    Ok(out)
}

/// A person with an account in the cooperative, and the roles they hold there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Member {
    pub user_id: UserId,
    pub email: String,
    pub display_name: String,
    pub roles: Vec<(RoleId, RoleKind)>,
}

/// Members of the cooperative, ordered by name, paginated.
pub async fn members(
    tx: &mut Tx,
    coop: CooperativeId,
    search: Option<&str>,
    limit: i64,
    offset: i64,
) -> Result<(Vec<Member>, i64), StorageError> {
    const COUNT: &str = "select count(distinct m.user_id) from membership m join user_account u on u.user_id = m.user_id \
         where m.cooperative_id = $1 and ($2 = '' or lower(u.display_name) like $2 or u.email like $2)";
    const PAGE: &str = "select u.user_id, u.email, u.display_name from user_account u \
         where u.user_id in (select m.user_id from membership m where m.cooperative_id = $1) \
         and ($2 = '' or lower(u.display_name) like $2 or u.email like $2) \
         order by u.display_name, u.user_id limit $3 offset $4";
    const ROLES: &str = "select m.user_id, r.role_id, r.kind from membership m join role r on r.role_id = m.role_id \
         where m.cooperative_id = $1 and m.user_id in (select u.user_id from user_account u \
           where u.user_id in (select m2.user_id from membership m2 where m2.cooperative_id = $1) \
           and ($2 = '' or lower(u.display_name) like $2 or u.email like $2) \
           order by u.display_name, u.user_id limit $3 offset $4) order by r.role_id";
    let pattern = search
        .map(|s| format!("%{}%", s.trim().to_lowercase().replace(['%', '_'], "")))
        .filter(|p| p != "%%")
        .unwrap_or_default();
    let total: i64 = on_tx!(tx, |conn| sqlx::query_scalar(COUNT)
        .bind(coop.get())
        .bind(&pattern)
        .fetch_one(conn)
        .await?);
    let users: Vec<(i64, String, String)> = on_tx!(tx, |conn| sqlx::query_as(PAGE)
        .bind(coop.get())
        .bind(&pattern)
        .bind(limit)
        .bind(offset)
        .fetch_all(conn)
        .await?);
    let roles: Vec<(i64, i64, String)> = on_tx!(tx, |conn| sqlx::query_as(ROLES)
        .bind(coop.get())
        .bind(&pattern)
        .bind(limit)
        .bind(offset)
        .fetch_all(conn)
        .await?);
    let mut out = Vec::with_capacity(users.len());
    for (id, email, name) in users {
        let mut rs = Vec::new();
        for (_, role_id, kind) in roles.iter().filter(|(u, _, _)| *u == id) {
            rs.push((
                RoleId::new(*role_id),
                RoleKind::parse(kind).ok_or_else(|| corrupt("role kind"))?,
            ));
        }
        out.push(Member {
            user_id: UserId::new(id),
            email,
            display_name: name,
            roles: rs,
        });
    }
    Ok((out, total))
}

/// Number of members holding each role kind, for the administrator's home.
pub async fn count_by_kind(
    tx: &mut Tx,
    coop: CooperativeId,
) -> Result<Vec<(RoleKind, i64)>, StorageError> {
    const SQL: &str = "select r.kind, count(*) from membership m join role r on r.role_id = m.role_id \
         where m.cooperative_id = $1 group by r.kind";
    let rows: Vec<(String, i64)> = on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(coop.get())
        .fetch_all(conn)
        .await?);
    let mut out: Vec<(RoleKind, i64)> = rows
        .into_iter()
        .filter_map(|(k, n)| RoleKind::parse(&k).map(|k| (k, n)))
        .collect();
    out.sort_by_key(|(k, _)| RoleKind::ALL.iter().position(|x| x == k));
    Ok(out)
}

pub async fn is_member(
    tx: &mut Tx,
    coop: CooperativeId,
    user: UserId,
) -> Result<bool, StorageError> {
    const SQL: &str = "select count(*) from membership where cooperative_id = $1 and user_id = $2";
    let n: i64 = on_tx!(tx, |conn| sqlx::query_scalar(SQL)
        .bind(coop.get())
        .bind(user.get())
        .fetch_one(conn)
        .await?);
    Ok(n > 0)
}

/// How many people hold the role: refuses to take the last administrator away.
pub async fn holders(tx: &mut Tx, role: RoleId) -> Result<i64, StorageError> {
    const SQL: &str = "select count(*) from membership where role_id = $1";
    Ok(on_tx!(tx, |conn| sqlx::query_scalar(SQL)
        .bind(role.get())
        .fetch_one(conn)
        .await?))
}

/// The people holding any of these role kinds in the cooperative, by name (e.g. possible referents).
pub async fn holders_of_kinds(
    tx: &mut Tx,
    coop: CooperativeId,
    kinds: &[RoleKind],
) -> Result<Vec<(UserId, String)>, StorageError> {
    // Role-kind codes are fixed identifiers of the domain, never user input.
    let codes: Vec<String> = kinds.iter().map(|k| format!("'{}'", k.code())).collect();
    let sql = format!(
        "select distinct u.user_id, u.display_name from membership m join role r on r.role_id = m.role_id \
         join user_account u on u.user_id = m.user_id where m.cooperative_id = $1 and r.kind in ({}) \
         order by u.display_name, u.user_id",
        codes.join(", ")
    );
    let rows: Vec<(i64, String)> =
        on_tx!(tx, |conn| sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
            .bind(coop.get())
            .fetch_all(conn)
            .await?);
    Ok(rows
        .into_iter()
        .map(|(id, name)| (UserId::new(id), name))
        .collect())
}
