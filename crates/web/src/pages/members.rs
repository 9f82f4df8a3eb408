//! The cooperative's people and their roles, what roles grant, and open sessions.

use crate::pages::prelude::*;
use essaim_app::members;
use essaim_domain::access::{Grant, Permission, Scope};
use essaim_domain::ids::{RoleId, SessionId, UserId};

pub struct RoleChoice {
    pub id: i64,
    pub label: String,
    pub checked: bool,
}

pub struct MemberView {
    pub name: String,
    pub email: String,
    pub roles: String,
    pub action: String,
    pub choices: Vec<RoleChoice>,
    pub field_id: String,
}

#[derive(Template)]
#[template(path = "members/list.html")]
pub struct MembersPage {
    pub l: Layout,
    pub members: Vec<MemberView>,
    pub total: i64,
    pub q: String,
    pub page: i64,
    pub prev: Option<String>,
    pub next: Option<String>,
    pub can_manage: bool,
    pub add_action: String,
    pub new_roles: Vec<RoleChoice>,
    pub new_email: String,
    pub new_name: String,
    pub errors: Errors,
    pub notice: String,
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    q: Option<String>,
    page: Option<i64>,
}

async fn build(
    app: &App,
    page: &Page,
    coop: &CoopActor,
    q: &ListQuery,
) -> Result<MembersPage, crate::error::PageError> {
    let t = page.layout.t;
    let n = q.page.unwrap_or(0).max(0);
    let (list, total) = members::list(app, coop, q.q.as_deref(), n).await?;
    let roles = members::roles(app, coop).await?;
    let role_label =
        |k: essaim_domain::access::RoleKind| t.get(&format!("role.{}", k.code())).to_owned();
    let search = q.q.clone().unwrap_or_default();
    let link = |p: i64| {
        format!(
            "{}?q={}&page={p}",
            paths::members(&coop.slug),
            crate::paths::urlencode(&search)
        )
    };
    Ok(MembersPage {
        members: list
            .into_iter()
            .map(|m| MemberView {
                roles: m
                    .roles
                    .iter()
                    .map(|(_, k)| role_label(*k))
                    .collect::<Vec<_>>()
                    .join(", "),
                action: paths::member_roles(&coop.slug, m.user_id.get()),
                choices: roles
                    .iter()
                    .map(|r| RoleChoice {
                        id: r.id.get(),
                        label: role_label(r.kind),
                        checked: m.roles.iter().any(|(id, _)| *id == r.id),
                    })
                    .collect(),
                field_id: format!("m{}", m.user_id.get()),
                name: m.display_name,
                email: m.email,
            })
            .collect(),
        total,
        q: search.clone(),
        page: n,
        prev: (n > 0).then(|| link(n - 1)),
        next: ((n + 1) * members::PAGE_SIZE < total).then(|| link(n + 1)),
        can_manage: coop.may(Permission::MemberManage),
        add_action: paths::members(&coop.slug),
        new_roles: roles
            .iter()
            .map(|r| RoleChoice {
                id: r.id.get(),
                label: role_label(r.kind),
                checked: false,
            })
            .collect(),
        new_email: String::new(),
        new_name: String::new(),
        errors: Errors::default(),
        notice: String::new(),
        l: page.layout.clone(),
    })
}

pub async fn list(Ctx { app, coop, page }: Ctx, Query(q): Query<ListQuery>) -> PageResult {
    Ok(render(&build(&app, &page, &coop, &q).await?))
}

fn role_ids(pairs: &[(String, String)]) -> Vec<RoleId> {
    pairs
        .iter()
        .filter(|(k, _)| k == "role")
        .filter_map(|(_, v)| v.parse().ok())
        .map(RoleId::new)
        .collect()
}

fn field<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}

pub async fn add(
    Ctx { app, coop, page }: Ctx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let t = page.layout.t;
    let roles = role_ids(&pairs);
    let result = members::add(
        &app,
        &coop,
        field(&pairs, "email"),
        field(&pairs, "display_name"),
        &roles,
    )
    .await;
    forms::stay(&page, result, async |shown| {
        let mut p = build(&app, &page, &coop, &ListQuery::default()).await?;
        match shown {
            // Added: the same page says so, its form empty for the next one.
            Ok(_) if app.mailer.delivers() => p.notice = t.get("members.added").to_owned(),
            Ok(_) => p.notice = t.get("members.added_no_smtp").to_owned(),
            Err(errors) => {
                p.errors = errors;
                p.new_email = field(&pairs, "email").to_owned();
                p.new_name = field(&pairs, "display_name").to_owned();
                for r in &mut p.new_roles {
                    r.checked = roles.iter().any(|x| x.get() == r.id);
                }
            }
        }
        Ok(render(&p))
    })
    .await
}

pub async fn set_roles(
    Ctx { app, coop, page }: Ctx,
    Path((_, user)): Path<(String, i64)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let outcome = members::set_roles(&app, &coop, UserId::new(user), &role_ids(&pairs)).await;
    forms::submit(
        &page,
        outcome,
        |()| paths::members(&coop.slug),
        async |errors| {
            let mut p = build(&app, &page, &coop, &ListQuery::default()).await?;
            p.errors = errors;
            Ok(render(&p))
        },
    )
    .await
}

pub struct PermissionChoice {
    pub code: String,
    pub label: String,
    pub checked: bool,
    pub field_id: String,
    /// Can be limited to the holder's own activities; `own` when it is.
    pub scopable: bool,
    pub own: bool,
}

pub struct RoleView {
    pub name: String,
    pub kind_label: String,
    pub action: String,
    pub permissions: Vec<PermissionChoice>,
    pub error: String,
}

#[derive(Template)]
#[template(path = "members/roles.html")]
pub struct RolesPage {
    pub l: Layout,
    pub roles: Vec<RoleView>,
}

async fn roles_page(
    app: &App,
    page: &Page,
    coop: &CoopActor,
    error_for: Option<(i64, String)>,
) -> Result<RolesPage, crate::error::PageError> {
    let t = page.layout.t;
    let roles = members::roles(app, coop).await?;
    Ok(RolesPage {
        roles: roles
            .into_iter()
            .map(|r| RoleView {
                kind_label: t.get(&format!("role.{}", r.kind.code())).to_owned(),
                action: paths::role(&coop.slug, r.id.get()),
                permissions: Permission::ALL
                    .iter()
                    .map(|p| PermissionChoice {
                        code: p.code().to_owned(),
                        label: t.get(&format!("permission.{}", p.code())).to_owned(),
                        checked: r.grants.iter().any(|g| g.permission == *p),
                        scopable: p.can_be_activity_scoped(),
                        own: r
                            .grants
                            .iter()
                            .any(|g| g.permission == *p && g.scope == Scope::OwnActivities),
                        field_id: format!("r{}-{}", r.id.get(), p.code().replace('.', "-")),
                    })
                    .collect(),
                error: error_for
                    .as_ref()
                    .filter(|(id, _)| *id == r.id.get())
                    .map(|(_, m)| m.clone())
                    .unwrap_or_default(),
                name: r.name,
            })
            .collect(),
        l: page.layout.clone(),
    })
}

pub async fn roles(Ctx { app, coop, page }: Ctx) -> PageResult {
    Ok(render(&roles_page(&app, &page, &coop, None).await?))
}

pub async fn update_role(
    Ctx { app, coop, page }: Ctx,
    Path((_, role)): Path<(String, i64)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let grants: Vec<Grant> = pairs
        .iter()
        .filter(|(k, _)| k == "permission")
        .filter_map(|(_, v)| Permission::parse(v))
        .map(|permission| Grant {
            permission,
            scope: if pairs
                .iter()
                .any(|(k, v)| *k == format!("scope-{}", permission.code()) && v == "own_activities")
            {
                Scope::OwnActivities
            } else {
                Scope::Cooperative
            },
        })
        .collect();
    let outcome = members::set_role_grants(&app, &coop, RoleId::new(role), &grants).await;
    forms::submit(
        &page,
        outcome,
        |()| paths::roles(&coop.slug),
        async |errors| {
            // One message, beside the role's form.
            let message = errors.0.into_values().next().unwrap_or_default();
            Ok(render(
                &roles_page(&app, &page, &coop, Some((role, message))).await?,
            ))
        },
    )
    .await
}

pub struct CoopSessionView {
    pub name: String,
    pub email: String,
    pub started: String,
    pub last_seen: String,
    pub ip: String,
    pub agent: String,
    pub revoke: String,
}

#[derive(Template)]
#[template(path = "members/sessions.html")]
pub struct SessionsPage {
    pub l: Layout,
    pub sessions: Vec<CoopSessionView>,
}

pub async fn sessions(Ctx { app, coop, page }: Ctx) -> PageResult {
    let rows = members::sessions(&app, &coop).await?;
    Ok(render(&SessionsPage {
        sessions: rows
            .into_iter()
            .map(|s| CoopSessionView {
                name: s.display_name,
                email: s.email,
                started: view::datetime(s.created_at),
                last_seen: view::datetime(s.last_seen_at),
                ip: s.ip,
                agent: s.user_agent.chars().take(80).collect(),
                revoke: paths::revoke_session(&coop.slug, s.session_id),
            })
            .collect(),
        l: page.layout,
    }))
}

pub async fn revoke_session(Ctx { app, coop, .. }: Ctx, Id(id): Id<SessionId>) -> PageResult {
    members::revoke_session(&app, &coop, id).await?;
    Ok(Redirect::to(&paths::sessions(&coop.slug)).into_response())
}
