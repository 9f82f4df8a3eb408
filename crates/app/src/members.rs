//! The people of a cooperative who have an account: listing them, inviting them, giving and taking
//! roles, editing what roles grant, and closing their sessions.

use crate::auth::{AccountInput, insert_account};
use crate::secret::{random_token, token_hash};
use crate::{App, AppError, CoopActor, audit, jobs};
use essaim_domain::FieldErrors;
use essaim_domain::access::{Grant, Permission, RoleKind, Scope};
use essaim_domain::account::Email;
use essaim_domain::ids::{RoleId, SessionId, UserId};
use essaim_storage::role::{self as roles, Member, Role};
use essaim_storage::session::{self as sessions, SessionRow};
use essaim_storage::{account as accounts, cooperative as coops};
use serde_json::json;

pub const PAGE_SIZE: i64 = 50;

pub async fn list(
    app: &App,
    actor: &CoopActor,
    search: Option<&str>,
    page: i64,
) -> Result<(Vec<Member>, i64), AppError> {
    actor.require(Permission::MemberRead)?;
    let mut tx = app.store.read().await?;
    let out = roles::members(
        &mut tx,
        actor.cooperative,
        search,
        PAGE_SIZE,
        page.max(0) * PAGE_SIZE,
    )
    .await?;
    tx.commit().await?;
    Ok(out)
}

pub async fn roles(app: &App, actor: &CoopActor) -> Result<Vec<Role>, AppError> {
    if !(actor.may(Permission::RoleManage) || actor.may(Permission::MemberRead)) {
        return Err(AppError::Forbidden);
    }
    let mut tx = app.store.read().await?;
    let out = roles::list(&mut tx, actor.cooperative).await?;
    tx.commit().await?;
    Ok(out)
}

/// Number of people per role kind.
pub async fn counts(app: &App, actor: &CoopActor) -> Result<Vec<(RoleKind, i64)>, AppError> {
    actor.require(Permission::MemberRead)?;
    let mut tx = app.store.read().await?;
    let out = roles::count_by_kind(&mut tx, actor.cooperative).await?;
    tx.commit().await?;
    Ok(out)
}

/// Adds a person to the cooperative with the given roles. A new address gets an account and an
/// invitation e-mail to choose a password; an existing account simply gains the roles.
pub async fn add(
    app: &App,
    actor: &CoopActor,
    email: &str,
    display_name: &str,
    role_ids: &[RoleId],
) -> Result<UserId, AppError> {
    actor.require(Permission::MemberManage)?;
    let mut errors = FieldErrors::new();
    let parsed = errors.check("email", Email::parse(email));
    if role_ids.is_empty() {
        errors.add("roles", "roles_required");
    }
    let email = errors.finish(parsed)?;
    let now = app.clock.now();
    let mut tx = app.store.begin().await?;
    let all_roles = roles::list(&mut tx, actor.cooperative).await?;
    if role_ids
        .iter()
        .any(|r| !all_roles.iter().any(|x| x.id == *r))
    {
        return Err(AppError::field("roles", "role_unknown"));
    }
    let user_id = match accounts::find_with_hash(&mut tx, &email).await? {
        Some((user, _)) => user.id,
        None => {
            let input = AccountInput {
                email: email.as_str(),
                display_name,
                password: None,
                locale: actor.user().locale,
                is_host_admin: false,
            };
            let id = insert_account(&mut tx, app, &input, None).await?;
            let token = random_token()?;
            let ttl =
                time::Duration::try_from(app.config.invitation_ttl).unwrap_or(time::Duration::WEEK);
            accounts::insert_reset(&mut tx, &token_hash(&token), id, now, now + ttl).await?;
            let coop = coops::find(&mut tx, actor.cooperative)
                .await?
                .ok_or(AppError::NotFound("cooperative"))?;
            let link = format!(
                "{}/password/reset/{token}",
                app.config.base_url.trim_end_matches('/')
            );
            let message = crate::mail::invitation_message(
                input.locale,
                display_name.trim(),
                &coop.identity.legal_name,
                &link,
            );
            jobs::enqueue_email(
                &mut tx,
                app,
                Some(actor.cooperative),
                email.as_str(),
                &message,
            )
            .await?;
            id
        }
    };
    for role in role_ids {
        roles::add_membership(&mut tx, actor.cooperative, user_id, *role, now).await?;
    }
    let codes: Vec<&str> = all_roles
        .iter()
        .filter(|r| role_ids.contains(&r.id))
        .map(|r| r.kind.code())
        .collect();
    audit::record_in(
        &mut tx,
        app,
        actor,
        "member.added",
        ("user", user_id.to_string()),
        json!({ "email": email.as_str(), "roles": codes }),
    )
    .await?;
    tx.commit().await?;
    Ok(user_id)
}

/// Sets exactly the roles a member holds. Refuses to leave the cooperative without an administrator.
pub async fn set_roles(
    app: &App,
    actor: &CoopActor,
    user: UserId,
    role_ids: &[RoleId],
) -> Result<(), AppError> {
    actor.require(Permission::MemberManage)?;
    let now = app.clock.now();
    let mut tx = app.store.begin().await?;
    if !roles::is_member(&mut tx, actor.cooperative, user).await? {
        return Err(AppError::NotFound("member"));
    }
    let all_roles = roles::list(&mut tx, actor.cooperative).await?;
    if role_ids
        .iter()
        .any(|r| !all_roles.iter().any(|x| x.id == *r))
    {
        return Err(AppError::field("roles", "role_unknown"));
    }
    for role in &all_roles {
        if role_ids.contains(&role.id) {
            roles::add_membership(&mut tx, actor.cooperative, user, role.id, now).await?;
        } else if roles::remove_membership(&mut tx, actor.cooperative, user, role.id).await?
            && role.kind == RoleKind::Administrator
            && roles::holders(&mut tx, role.id).await? == 0
        {
            return Err(AppError::field("roles", "last_administrator"));
        }
    }
    let codes: Vec<&str> = all_roles
        .iter()
        .filter(|r| role_ids.contains(&r.id))
        .map(|r| r.kind.code())
        .collect();
    audit::record_in(
        &mut tx,
        app,
        actor,
        "member.roles_changed",
        ("user", user.to_string()),
        json!({ "roles": codes }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Replaces what a role grants. The administrator role keeps `role.manage` and `member.manage`,
/// so nobody locks the cooperative out of its own settings.
pub async fn set_role_grants(
    app: &App,
    actor: &CoopActor,
    role: RoleId,
    grants: &[Grant],
) -> Result<(), AppError> {
    actor.require(Permission::RoleManage)?;
    let mut tx = app.store.begin().await?;
    let all = roles::list(&mut tx, actor.cooperative).await?;
    let target = all
        .iter()
        .find(|r| r.id == role)
        .ok_or(AppError::NotFound("role"))?;
    if grants
        .iter()
        .any(|g| g.scope == Scope::OwnActivities && !g.permission.can_be_activity_scoped())
    {
        return Err(AppError::field("grants", "scope_not_allowed"));
    }
    if target.kind == RoleKind::Administrator {
        for needed in [Permission::RoleManage, Permission::MemberManage] {
            if !grants
                .iter()
                .any(|g| g.permission == needed && g.scope == Scope::Cooperative)
            {
                return Err(AppError::field("grants", "administrator_keeps_management"));
            }
        }
    }
    roles::set_grants(&mut tx, actor.cooperative, role, grants).await?;
    let codes: Vec<&str> = grants.iter().map(|g| g.permission.code()).collect();
    audit::record_in(
        &mut tx,
        app,
        actor,
        "role.grants_changed",
        ("role", role.to_string()),
        json!({ "kind": target.kind.code(), "grants": codes }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Active sessions of the cooperative's people (`session.revoke`).
pub async fn sessions(app: &App, actor: &CoopActor) -> Result<Vec<SessionRow>, AppError> {
    actor.require(Permission::SessionRevoke)?;
    let mut tx = app.store.read().await?;
    let rows = sessions::list_active_in(&mut tx, actor.cooperative, app.clock.now()).await?;
    tx.commit().await?;
    Ok(rows)
}

/// Closes a session of one of the cooperative's people.
pub async fn revoke_session(app: &App, actor: &CoopActor, id: SessionId) -> Result<(), AppError> {
    actor.require(Permission::SessionRevoke)?;
    let mut tx = app.store.begin().await?;
    let owner = sessions::owner(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound("session"))?;
    if !roles::is_member(&mut tx, actor.cooperative, owner).await? {
        return Err(AppError::NotFound("session"));
    }
    sessions::revoke(&mut tx, id, app.clock.now()).await?;
    audit::record_in(
        &mut tx,
        app,
        actor,
        "session.revoked",
        ("session", id.to_string()),
        json!({ "user": owner.get() }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
