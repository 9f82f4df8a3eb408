//! The audit log with its filters (action, person, period).

use crate::pages::prelude::*;
use essaim_app::audit;
use essaim_app::records::AuditFilter;
use time::macros::format_description;

pub struct AuditView {
    pub at: String,
    pub who: String,
    pub action: String,
    pub object: String,
    pub ip: String,
    pub detail: String,
}

#[derive(Template)]
#[template(path = "audit/list.html")]
pub struct AuditPage {
    pub l: Layout,
    pub rows: Vec<AuditView>,
    pub actions: Vec<String>,
    pub action: String,
    pub user: String,
    pub from: String,
    pub to: String,
    pub older: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct AuditQuery {
    action: Option<String>,
    user: Option<String>,
    from: Option<String>,
    to: Option<String>,
    before: Option<i64>,
}

fn day(s: Option<&str>) -> Option<time::Date> {
    s.and_then(|s| time::Date::parse(s.trim(), format_description!("[year]-[month]-[day]")).ok())
}

pub const PAGE: i64 = 100;

pub async fn list(Ctx { app, coop, page }: Ctx, Query(q): Query<AuditQuery>) -> PageResult {
    let t = page.layout.t;
    let filter = AuditFilter {
        action: q.action.clone().filter(|a| !a.is_empty()),
        actor: q.user.as_deref().and_then(audit::user_filter),
        from: day(q.from.as_deref()).map(|d| d.midnight().assume_utc()),
        to: day(q.to.as_deref())
            .and_then(|d| d.next_day())
            .map(|d| d.midnight().assume_utc()),
        before: q.before,
    };
    let rows = audit::list(&app, &coop, &filter, PAGE).await?;
    let actions = audit::actions(&app, &coop).await?;
    let older = (rows.len() as i64 == PAGE).then(|| {
        let last = rows.last().map(|r| r.audit_event_id).unwrap_or(0);
        format!(
            "{}?action={}&user={}&from={}&to={}&before={last}",
            paths::audit(&coop.slug),
            crate::paths::urlencode(q.action.as_deref().unwrap_or("")),
            crate::paths::urlencode(q.user.as_deref().unwrap_or("")),
            crate::paths::urlencode(q.from.as_deref().unwrap_or("")),
            crate::paths::urlencode(q.to.as_deref().unwrap_or(""))
        )
    });
    Ok(render(&AuditPage {
        rows: rows
            .into_iter()
            .map(|r| AuditView {
                at: view::datetime(r.at),
                who: r
                    .actor_name
                    .unwrap_or_else(|| t.get("audit.system").to_owned()),
                action: r.action,
                object: format!("{} {}", r.object_type, r.object_id),
                ip: r.ip,
                detail: r.detail,
            })
            .collect(),
        actions,
        action: q.action.unwrap_or_default(),
        user: q.user.unwrap_or_default(),
        from: q.from.unwrap_or_default(),
        to: q.to.unwrap_or_default(),
        older,
        l: page.layout,
    }))
}
