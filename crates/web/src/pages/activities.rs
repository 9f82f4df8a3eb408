//! Activities: the list (an entrepreneur sees their own), the form, and who runs each one.

use crate::error::PageResult;
use crate::error::{render, render_status};
use crate::extract::Coop;
use crate::paths;
use crate::state::AppState;
use crate::view::{Choice, Errors, Layout, Page, table_file};
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use essaim_app::records::ActivityRecord;
use essaim_app::{AppError, CoopActor, activities, people};
use essaim_domain::access::Permission;
use essaim_domain::activity::{ActivityInput, format_share, parse_share};
use essaim_domain::ids::{ActivityId, UserId};
use essaim_domain::selling::terms::fr_date as date;
use serde::Deserialize;

pub struct ActivityRow {
    pub name: String,
    pub href: String,
    pub code: String,
    pub status: String,
    pub members: String,
    pub referent: String,
}

#[derive(Template)]
#[template(path = "activities/list.html")]
pub struct ActivitiesPage {
    pub l: Layout,
    pub rows: Vec<ActivityRow>,
    pub total: usize,
    pub q: ListQuery,
    pub statuses: Vec<Choice>,
    pub referents: Vec<Choice>,
    pub new_href: Option<String>,
    pub all: bool,
    pub prev: Option<String>,
    pub next: Option<String>,
    pub csv_href: String,
    pub xlsx_href: String,
}

pub const PAGE_SIZE: usize = 50;

#[derive(Clone, Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub referent: String,
    #[serde(default)]
    pub naf: String,
    pub page: Option<usize>,
}

impl ListQuery {
    fn query_string(&self, page: Option<usize>) -> String {
        let mut pairs = vec![
            ("q", self.q.clone()),
            ("status", self.status.clone()),
            ("referent", self.referent.clone()),
            ("naf", self.naf.clone()),
        ];
        if let Some(p) = page {
            pairs.push(("page", p.to_string()));
        }
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    }
}

/// The activities the reader may see, filtered by status, referent and sector, by name.
async fn filtered(
    state: &AppState,
    coop: &CoopActor,
    q: &ListQuery,
) -> Result<Vec<ActivityRecord>, AppError> {
    let today = state.app.clock.today();
    let rows = activities::list(&state.app, coop, Some(&q.q)).await?;
    Ok(rows
        .into_iter()
        .filter(|a| q.status.is_empty() || a.details.status(today).code() == q.status)
        .filter(|a| {
            q.referent.is_empty()
                || a.referent
                    .as_ref()
                    .is_some_and(|(u, _)| u.get().to_string() == q.referent)
        })
        .filter(|a| {
            q.naf.trim().is_empty()
                || a.details
                    .naf
                    .as_deref()
                    .is_some_and(|n| n.starts_with(&q.naf.trim().to_uppercase()))
        })
        .collect())
}

pub async fn list(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Query(q): Query<ListQuery>,
) -> PageResult {
    let t = page.layout.t;
    let today = state.app.clock.today();
    let rows = filtered(&state, &coop, &q).await?;
    let referents = people::referents(&state.app, &coop)
        .await
        .unwrap_or_default();
    let n = q.page.unwrap_or(0);
    let total = rows.len();
    let base = paths::activities(&coop.slug);
    Ok(render(&ActivitiesPage {
        rows: rows
            .iter()
            .skip(n * PAGE_SIZE)
            .take(PAGE_SIZE)
            .map(|a| ActivityRow {
                name: a.details.name.clone(),
                href: paths::activity(&coop.slug, a.id.get()),
                code: a.details.analytic_code.clone(),
                status: t
                    .get(&format!(
                        "activity_status.{}",
                        a.details.status(today).code()
                    ))
                    .into(),
                members: a
                    .members
                    .iter()
                    .map(|(_, n, _)| n.clone())
                    .collect::<Vec<_>>()
                    .join(", "),
                referent: a
                    .referent
                    .as_ref()
                    .map(|(_, n)| n.clone())
                    .unwrap_or_default(),
            })
            .collect(),
        total,
        statuses: ["planned", "active", "ended"]
            .iter()
            .map(|s| Choice {
                value: (*s).into(),
                label: t.get(&format!("activity_status.{s}")).into(),
                selected: q.status == *s,
            })
            .collect(),
        referents: referents
            .iter()
            .map(|(id, name)| Choice {
                value: id.get().to_string(),
                label: name.clone(),
                selected: q.referent == id.get().to_string(),
            })
            .collect(),
        new_href: coop
            .may(Permission::ActivityManage)
            .then(|| paths::new_activity(&coop.slug)),
        all: coop.access.grants().any(|g| {
            g.permission == Permission::ActivityRead
                && g.scope == essaim_domain::access::Scope::Cooperative
        }),
        prev: (n > 0).then(|| format!("{base}?{}", q.query_string(Some(n - 1)))),
        next: ((n + 1) * PAGE_SIZE < total)
            .then(|| format!("{base}?{}", q.query_string(Some(n + 1)))),
        csv_href: format!(
            "{}?{}",
            paths::activities_export(&coop.slug, "csv"),
            q.query_string(None)
        ),
        xlsx_href: format!(
            "{}?{}",
            paths::activities_export(&coop.slug, "xlsx"),
            q.query_string(None)
        ),
        q,
        l: page.layout,
    }))
}

pub async fn export_csv(
    coop: Coop,
    state: State<AppState>,
    page: Page,
    q: Query<ListQuery>,
) -> PageResult {
    export(coop, state, page, q, "export.csv").await
}

pub async fn export_xlsx(
    coop: Coop,
    state: State<AppState>,
    page: Page,
    q: Query<ListQuery>,
) -> PageResult {
    export(coop, state, page, q, "export.xlsx").await
}

/// The filtered list as CSV or XLSX.
async fn export(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Query(q): Query<ListQuery>,
    format: &str,
) -> PageResult {
    use essaim_app::exports::Table;
    let t = page.layout.t;
    let today = state.app.clock.today();
    let rows = filtered(&state, &coop, &q).await?;
    let table = Table {
        sheet: t.get("activities.title").into(),
        header: [
            "activities.name",
            "activities.code",
            "activities.status",
            "activities.start",
            "activities.end",
            "people.naf",
            "activities.members",
            "activities.referent",
        ]
        .iter()
        .map(|k| t.get(k).to_owned())
        .collect(),
        rows: rows
            .iter()
            .map(|a| {
                vec![
                    a.details.name.clone(),
                    a.details.analytic_code.clone(),
                    t.get(&format!(
                        "activity_status.{}",
                        a.details.status(today).code()
                    ))
                    .into(),
                    a.details.start_on.to_string(),
                    a.details.end_on.map(|d| d.to_string()).unwrap_or_default(),
                    a.details.naf.clone().unwrap_or_default(),
                    a.members
                        .iter()
                        .map(|(_, n, s)| {
                            format!("{n} ({})", essaim_domain::activity::format_share(*s))
                        })
                        .collect::<Vec<_>>()
                        .join(", "),
                    a.referent
                        .as_ref()
                        .map(|(_, n)| n.clone())
                        .unwrap_or_default(),
                ]
            })
            .collect(),
    };
    let name = format!("activites-{}", coop.slug);
    table_file(&table, &name, format.trim_start_matches("export."))
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct ActivityForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub naf: String,
    #[serde(default)]
    pub analytic_code: String,
    #[serde(default)]
    pub start_on: String,
    #[serde(default)]
    pub end_on: String,
    #[serde(default)]
    pub referent: String,
}

impl ActivityForm {
    fn input(&self) -> ActivityInput {
        ActivityInput {
            name: self.name.clone(),
            description: self.description.clone(),
            naf: self.naf.clone(),
            analytic_code: self.analytic_code.clone(),
            start_on: self.start_on.clone(),
            end_on: self.end_on.clone(),
        }
    }
    fn referent(&self) -> Option<UserId> {
        self.referent.parse().ok().map(UserId::new)
    }
}

#[derive(Template)]
#[template(path = "activities/form.html")]
pub struct ActivityFormPage {
    pub l: Layout,
    pub heading: String,
    pub action: String,
    pub f: ActivityForm,
    pub errors: Errors,
    pub referents: Vec<Choice>,
}

async fn form_page(
    state: &AppState,
    page: &Page,
    coop: &CoopActor,
    heading: String,
    action: String,
    f: ActivityForm,
    errors: Errors,
) -> Result<ActivityFormPage, AppError> {
    let referents = people::referents(&state.app, coop)
        .await
        .unwrap_or_default();
    Ok(ActivityFormPage {
        referents: referents
            .iter()
            .map(|(id, n)| Choice {
                value: id.get().to_string(),
                label: n.clone(),
                selected: f.referent == id.get().to_string(),
            })
            .collect(),
        heading,
        action,
        f,
        errors,
        l: page.layout.clone(),
    })
}

pub async fn new(Coop(coop): Coop, State(state): State<AppState>, page: Page) -> PageResult {
    let f = ActivityForm {
        start_on: state.app.clock.today().to_string(),
        ..Default::default()
    };
    let p = form_page(
        &state,
        &page,
        &coop,
        page.layout.t.get("activities.new").into(),
        paths::activities(&coop.slug),
        f,
        Errors::default(),
    )
    .await?;
    Ok(render(&p))
}

pub async fn create(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Form(f): Form<ActivityForm>,
) -> PageResult {
    Ok(
        match activities::create(&state.app, &coop, &f.input(), f.referent()).await {
            Ok(id) => Redirect::to(&paths::activity(&coop.slug, id.get())).into_response(),
            Err(AppError::Invalid(errors)) => {
                let errors = Errors::from(&errors, page.layout.t);
                match form_page(
                    &state,
                    &page,
                    &coop,
                    page.layout.t.get("activities.new").into(),
                    paths::activities(&coop.slug),
                    f,
                    errors,
                )
                .await
                {
                    Ok(p) => render_status(StatusCode::UNPROCESSABLE_ENTITY, &p),
                    Err(e) => return Err(e.into()),
                }
            }
            Err(e) => return Err(e.into()),
        },
    )
}

pub async fn edit(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Path((_, id)): Path<(String, i64)>,
) -> PageResult {
    let a = activities::show(&state.app, &coop, ActivityId::new(id)).await?;
    let f = ActivityForm {
        name: a.details.name.clone(),
        description: a.details.description.clone().unwrap_or_default(),
        naf: a.details.naf.clone().unwrap_or_default(),
        analytic_code: a.details.analytic_code.clone(),
        start_on: a.details.start_on.to_string(),
        end_on: a.details.end_on.map(|d| d.to_string()).unwrap_or_default(),
        referent: a
            .referent
            .as_ref()
            .map(|(u, _)| u.get().to_string())
            .unwrap_or_default(),
    };
    let p = form_page(
        &state,
        &page,
        &coop,
        a.details.name.clone(),
        paths::activity(&coop.slug, id),
        f,
        Errors::default(),
    )
    .await?;
    Ok(render(&p))
}

pub async fn update(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Path((_, id)): Path<(String, i64)>,
    Form(f): Form<ActivityForm>,
) -> PageResult {
    Ok(
        match activities::update(
            &state.app,
            &coop,
            ActivityId::new(id),
            &f.input(),
            f.referent(),
        )
        .await
        {
            Ok(()) => Redirect::to(&paths::activity(&coop.slug, id)).into_response(),
            Err(AppError::Invalid(errors)) => {
                let errors = Errors::from(&errors, page.layout.t);
                let heading = f.name.clone();
                match form_page(
                    &state,
                    &page,
                    &coop,
                    heading,
                    paths::activity(&coop.slug, id),
                    f,
                    errors,
                )
                .await
                {
                    Ok(p) => render_status(StatusCode::UNPROCESSABLE_ENTITY, &p),
                    Err(e) => return Err(e.into()),
                }
            }
            Err(e) => return Err(e.into()),
        },
    )
}

pub struct MemberRow {
    pub index: usize,
    pub choices: Vec<Choice>,
    pub share: String,
}

#[derive(Template)]
#[template(path = "activities/show.html")]
pub struct ActivityPage {
    pub l: Layout,
    pub docs: Vec<super::documents::DocView>,
    pub upload_action: Option<String>,
    pub doc_kinds: Vec<Choice>,
    pub document_error: String,
    pub name: String,
    pub facts: Vec<(String, String)>,
    pub members: Vec<(String, String)>,
    pub agreement: String,
    pub edit_href: Option<String>,
    /// Links to the activity's selling: quotes, invoices, catalogue (with `sale.read` on it).
    pub sales_links: Vec<(String, String)>,
    pub members_action: Option<String>,
    pub rows: Vec<MemberRow>,
    pub errors: Errors,
}

async fn activity_page(
    state: &AppState,
    page: &Page,
    coop: &CoopActor,
    a: &ActivityRecord,
    form: Option<(&[(String, String)], &str)>,
    errors: Errors,
) -> Result<ActivityPage, AppError> {
    let t = page.layout.t;
    let today = state.app.clock.today();
    let d = &a.details;
    let facts: Vec<(String, String)> = vec![
        (t.get("activities.code").into(), d.analytic_code.clone()),
        (
            t.get("activities.status").into(),
            t.get(&format!("activity_status.{}", d.status(today).code()))
                .into(),
        ),
        (t.get("activities.start").into(), date(d.start_on)),
        (
            t.get("activities.end").into(),
            d.end_on.map(date).unwrap_or_default(),
        ),
        (
            t.get("people.naf").into(),
            d.naf.clone().unwrap_or_default(),
        ),
        (
            t.get("activities.referent").into(),
            a.referent
                .as_ref()
                .map(|(_, n)| n.clone())
                .unwrap_or_default(),
        ),
        (
            t.get("activities.description").into(),
            d.description.clone().unwrap_or_default(),
        ),
    ]
    .into_iter()
    .filter(|(_, v)| !v.is_empty())
    .collect();
    let manage = coop.may(Permission::ActivityManage);
    let mut rows = Vec::new();
    if manage {
        let entrepreneurs = activities::entrepreneurs(&state.app, coop).await?;
        let current: Vec<(String, String)> = match form {
            Some((pairs, _)) => pairs.to_vec(),
            None => a
                .members
                .iter()
                .map(|(u, _, s)| {
                    (
                        u.get().to_string(),
                        format_share(*s).trim_end_matches(" %").to_owned(),
                    )
                })
                .collect(),
        };
        let n = current.len() + 2;
        for i in 0..n {
            let (user, share) = current.get(i).cloned().unwrap_or_default();
            rows.push(MemberRow {
                index: i,
                choices: entrepreneurs
                    .iter()
                    .map(|(id, name)| Choice {
                        value: id.get().to_string(),
                        label: name.clone(),
                        selected: id.get().to_string() == user,
                    })
                    .collect(),
                share,
            });
        }
    }
    let docs =
        essaim_app::documents::list(&state.app, coop, essaim_app::records::Owner::Activity(a.id))
            .await?;
    Ok(ActivityPage {
        docs: super::documents::views(t, &coop.slug, &docs, today),
        upload_action: manage.then(|| paths::activity_documents(&coop.slug, a.id.get())),
        doc_kinds: super::documents::kinds(t),
        document_error: String::new(),
        name: d.name.clone(),
        facts,
        members: a
            .members
            .iter()
            .map(|(_, n, s)| (n.clone(), format_share(*s)))
            .collect(),
        agreement: form
            .map(|(_, ag)| ag.to_owned())
            .or_else(|| a.agreement.clone())
            .unwrap_or_default(),
        edit_href: manage.then(|| paths::edit_activity(&coop.slug, a.id.get())),
        sales_links: if coop.access.allows(
            Permission::SaleRead,
            essaim_domain::access::Target::Activity(a.id),
        ) {
            vec![
                (
                    format!("{}?activity={}", paths::quotes(&coop.slug), a.id.get()),
                    t.get("nav.quotes").to_owned(),
                ),
                (
                    format!("{}?activity={}", paths::invoices(&coop.slug), a.id.get()),
                    t.get("nav.invoices").to_owned(),
                ),
                (
                    paths::catalog(&coop.slug, a.id.get()),
                    t.get("catalog.link").to_owned(),
                ),
            ]
        } else {
            Vec::new()
        },
        members_action: manage.then(|| paths::activity_members(&coop.slug, a.id.get())),
        rows,
        errors,
        l: page.layout.clone(),
    })
}

pub async fn show(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Path((_, id)): Path<(String, i64)>,
    Query(dq): Query<super::people::DocumentErrorQuery>,
) -> PageResult {
    let a = activities::show(&state.app, &coop, ActivityId::new(id)).await?;
    Ok(
        match activity_page(&state, &page, &coop, &a, None, Errors::default()).await {
            Ok(mut p) => {
                p.document_error = dq.message(page.layout.t);
                render(&p)
            }
            Err(e) => return Err(e.into()),
        },
    )
}

/// The members form: `member_0`/`share_0`, `member_1`/`share_1`… and `agreement`.
pub async fn set_members(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Path((_, id)): Path<(String, i64)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let t = page.layout.t;
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.trim().to_owned())
            .unwrap_or_default()
    };
    let mut typed = Vec::new();
    let mut members = Vec::new();
    let mut bad_share = false;
    for i in 0..50 {
        let (user, share) = (get(&format!("member_{i}")), get(&format!("share_{i}")));
        if user.is_empty() && share.is_empty() {
            continue;
        }
        typed.push((user.clone(), share.clone()));
        match (user.parse::<i64>(), parse_share(&share)) {
            (Ok(u), Ok(s)) => members.push((UserId::new(u), s)),
            _ => bad_share = true,
        }
    }
    let agreement = get("agreement");
    let result = if bad_share {
        Err(AppError::field("shares", "share_format"))
    } else {
        activities::set_members(
            &state.app,
            &coop,
            ActivityId::new(id),
            &members,
            Some(&agreement),
        )
        .await
    };
    Ok(match result {
        Ok(()) => Redirect::to(&paths::activity(&coop.slug, id)).into_response(),
        Err(AppError::Invalid(errors)) => {
            let a = activities::show(&state.app, &coop, ActivityId::new(id)).await?;
            match activity_page(
                &state,
                &page,
                &coop,
                &a,
                Some((&typed, &agreement)),
                Errors::from(&errors, t),
            )
            .await
            {
                Ok(p) => render_status(StatusCode::UNPROCESSABLE_ENTITY, &p),
                Err(e) => return Err(e.into()),
            }
        }
        Err(e) => return Err(e.into()),
    })
}
