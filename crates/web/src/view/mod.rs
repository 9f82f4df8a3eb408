//! What every page shows around its content (the layout), built from the request, and small
//! display helpers. Views get display-ready strings, formatted here, not in templates.

mod choice;
mod files;
mod format;

pub mod chart;
pub use choice::{Choice, people as people_choices};
pub use files::{download, private_file, table_file, unprocessable};
pub use format::{date, datetime, money, month, opt_datetime, price_text, stored_price};

use crate::i18n::Tr;
use crate::paths;
use crate::security::RequestContext;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use essaim_app::{Actor, CoopActor};
use essaim_domain::FieldErrors;
use essaim_domain::access::Permission;
use std::collections::BTreeMap;

#[derive(Clone, Debug)]
pub struct NavItem {
    pub label: String,
    pub href: String,
    pub current: bool,
}

/// The frame of every page: language, CSRF token, who is signed in, where they are, the menu.
#[derive(Clone, Debug)]
pub struct Layout {
    pub t: Tr,
    pub csrf: String,
    pub css_url: String,
    pub favicon_url: String,
    pub user_name: Option<String>,
    pub coop_name: Option<String>,
    pub coop_home: Option<String>,
    pub logo_url: Option<String>,
    pub nav: Vec<NavItem>,
    pub path: String,
    /// Unread notifications, shown beside the person's name.
    pub unread: i64,
}

impl Layout {
    pub fn signed_in(&self) -> bool {
        self.user_name.is_some()
    }
}

/// Builds the layout for a page, from what the middleware put in the request.
pub struct Page {
    pub layout: Layout,
    pub actor: Option<Actor>,
    pub coop: Option<CoopActor>,
    /// The caller's network address, for the audit log.
    pub ip: String,
}

impl<S: Send + Sync> FromRequestParts<S> for Page {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let ctx = parts
            .extensions
            .get::<RequestContext>()
            .cloned()
            .unwrap_or_default();
        let coop = parts.extensions.get::<CoopActor>().cloned();
        let facts = parts.extensions.get::<PageFacts>().cloned();
        let training = facts.as_ref().is_some_and(|f| f.training);
        let logo = facts.and_then(|f| f.logo);
        let path = parts.uri.path().to_owned();
        let t = Tr::new(ctx.locale);
        let mut nav = Vec::new();
        let home = coop.as_ref().map(|c| paths::coop_home(&c.slug));
        let mut item = |key: &str, href: String| {
            // A section is current on its own pages; the cooperative's home only on itself.
            let is_home = home.as_deref() == Some(href.as_str()) || href == "/";
            let current = path == href || (!is_home && path.starts_with(&format!("{href}/")));
            nav.push(NavItem {
                label: t.get(key).to_owned(),
                href,
                current,
            });
        };
        if let Some(c) = &coop {
            item("nav.home", paths::coop_home(&c.slug));
            item("nav.directory", paths::directory(&c.slug));
            if c.access.has_any(Permission::ActivityRead) {
                item("nav.activities", paths::activities(&c.slug));
            }
            if c.access.has_any(Permission::SaleRead) {
                item("nav.quotes", paths::quotes(&c.slug));
                item("nav.invoices", paths::invoices(&c.slug));
                item("nav.customers", paths::customers(&c.slug));
            }
            if c.access.has_any(Permission::ExpenseRead) {
                item("nav.expenses", paths::expenses(&c.slug));
            }
            if c.access.has_any(Permission::ActivityRead) {
                item("nav.payroll_simulator", paths::payroll_simulator(&c.slug));
            }
            if c.access.has_any(Permission::ActivityRead)
                && !c.may(Permission::ActivityRead)
                && !c.may(Permission::CoachingManage)
            {
                item("nav.my_appointments", paths::my_appointments(&c.slug));
            }
            // The workshops offered to entrepreneurs and members (the team's are under coaching).
            let entrepreneur = c.access.has_any(Permission::ActivityRead)
                && !c.may(Permission::ActivityRead)
                && !c.may(Permission::CoachingManage);
            if entrepreneur
                || (c.kinds.contains(&essaim_domain::access::RoleKind::Member)
                    && !c.may(Permission::CoachingManage))
            {
                item("nav.workshops", paths::workshops(&c.slug));
            }
            if c.may(Permission::PayrollManage) {
                item("nav.payroll", paths::payroll_months(&c.slug));
            }
            if c.may(Permission::BooksRead) {
                item("nav.books", paths::books(&c.slug));
            }
            if c.may(Permission::PersonRead) {
                item("nav.people", paths::people(&c.slug));
                item("nav.deadlines", paths::deadlines(&c.slug));
            }
            if c.may(Permission::CoachingManage) && c.may(Permission::PersonRead) {
                item("nav.coaching", paths::coaching(&c.slug));
                item("nav.workshops", paths::workshops(&c.slug));
            }
            // Trainings: the team always (to declare the organisation), the entrepreneurs (who
            // sell for their own activities) once the cooperative is a training organisation.
            if c.may(Permission::CoachingManage)
                || (training
                    && c.access.has_any(Permission::SaleManage)
                    && !c.may(Permission::SaleManage))
            {
                item("nav.trainings", paths::trainings(&c.slug));
            }
            if c.may(Permission::MemberRead) {
                item("nav.members", paths::members(&c.slug));
            }
            if c.may(Permission::RoleManage) {
                item("nav.roles", paths::roles(&c.slug));
            }
            if c.may(Permission::CooperativeSettings) {
                item("nav.settings", paths::coop_settings(&c.slug));
                item("nav.lists", paths::lists(&c.slug));
                item("nav.templates", paths::contract_template(&c.slug));
                item("nav.selling_settings", paths::selling_settings(&c.slug));
            }
            if c.may(Permission::SessionRevoke) {
                item("nav.sessions", paths::sessions(&c.slug));
            }
            if c.may(Permission::AuditRead) {
                item("nav.audit", paths::audit(&c.slug));
            }
            if c.may(Permission::JobManage) {
                item("nav.jobs", paths::jobs(&c.slug));
            }
        } else if ctx.actor.is_some() {
            item("nav.cooperatives", paths::home());
        }
        if ctx.actor.as_ref().is_some_and(|a| a.user.is_host_admin) {
            item("nav.host", paths::admin_cooperatives());
            item("nav.host_jobs", paths::host_jobs());
        }
        if ctx.actor.is_some() {
            item("nav.account", paths::account());
        }
        // Only the most specific section is current (`/settings/selling` is not `/settings`).
        if let Some(best) = nav.iter().filter(|n| n.current).map(|n| n.href.len()).max() {
            for n in nav.iter_mut() {
                n.current = n.current && n.href.len() == best;
            }
        }
        let layout = Layout {
            t,
            csrf: ctx.csrf.clone(),
            css_url: crate::assets::url("app.css"),
            favicon_url: crate::assets::url("favicon.svg"),
            user_name: ctx.actor.as_ref().map(|a| a.user.display_name.clone()),
            coop_name: coop.as_ref().map(|c| c.cooperative_name.clone()),
            coop_home: coop.as_ref().map(|c| paths::coop_home(&c.slug)),
            logo_url: coop
                .as_ref()
                .zip(logo)
                .map(|(c, h)| paths::coop_logo(&c.slug, &h)),
            nav,
            path,
            unread: ctx.unread,
        };
        Ok(Page {
            layout,
            actor: ctx.actor,
            coop,
            ip: ctx.ip,
        })
    }
}

/// What the route guard loads for every page of a cooperative.
#[derive(Clone, Debug)]
pub struct PageFacts {
    pub logo: Option<String>,
    /// The cooperative is a declared training organisation.
    pub training: bool,
}

/// Validation errors of a form, as sentences keyed by field name.
#[derive(Clone, Debug, Default)]
pub struct Errors(pub BTreeMap<String, String>);

impl Errors {
    pub fn from(errors: &FieldErrors, t: Tr) -> Errors {
        let mut map = BTreeMap::new();
        for e in &errors.0 {
            map.entry(e.path()).or_insert_with(|| t.error(e.code));
        }
        Errors(map)
    }
    pub fn one(field: &str, message: String) -> Errors {
        Errors(BTreeMap::from([(field.to_owned(), message)]))
    }
    pub fn get(&self, field: &str) -> &str {
        self.0.get(field).map(String::as_str).unwrap_or("")
    }
    pub fn has(&self, field: &str) -> bool {
        self.0.contains_key(field)
    }
    pub fn any(&self) -> bool {
        !self.0.is_empty()
    }
}
