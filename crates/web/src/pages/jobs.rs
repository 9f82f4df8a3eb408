//! Background jobs of the cooperative: their state, and retrying failed ones.

use crate::error::render;
use crate::paths;
use crate::state::AppState;
use crate::view::{self, Layout, Page};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use essaim_app::jobs;
use essaim_domain::ids::JobId;
use serde::Deserialize;

pub struct JobView {
    pub id: i64,
    pub kind: String,
    pub status: String,
    pub attempts: String,
    pub run_at: String,
    pub created: String,
    pub error: String,
    pub retry: Option<String>,
}

#[derive(Template)]
#[template(path = "jobs/list.html")]
pub struct JobsPage {
    pub l: Layout,
    pub jobs: Vec<JobView>,
    pub counts: Vec<(String, i64)>,
}

#[derive(Deserialize)]
pub struct JobsQuery {
    status: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    page: Page,
    Query(q): Query<JobsQuery>,
) -> Response {
    let coop = match page.coop() {
        Ok(c) => c.clone(),
        Err(e) => return e.into_response(),
    };
    let t = page.layout.t;
    match jobs::list(
        &state.app,
        &coop,
        q.status.as_deref().filter(|s| !s.is_empty()),
    )
    .await
    {
        Ok((rows, counts)) => render(&JobsPage {
            jobs: rows
                .into_iter()
                .map(|j| JobView {
                    id: j.job_id,
                    kind: t.get(&format!("job.kind.{}", j.kind)).to_owned(),
                    status: t.get(&format!("job.status.{}", j.status)).to_owned(),
                    attempts: format!("{} / {}", j.attempts, j.max_attempts),
                    run_at: view::datetime(j.run_at),
                    created: view::datetime(j.created_at),
                    error: j.last_error.unwrap_or_default(),
                    retry: (j.status == "failed").then(|| paths::retry_job(&coop.slug, j.job_id)),
                })
                .collect(),
            counts: counts
                .into_iter()
                .map(|(s, n)| (t.get(&format!("job.status.{s}")).to_owned(), n))
                .collect(),
            l: page.layout,
        }),
        Err(e) => page.err(e).into_response(),
    }
}

pub async fn retry(
    State(state): State<AppState>,
    page: Page,
    Path((_, id)): Path<(String, i64)>,
) -> Response {
    let coop = match page.coop() {
        Ok(c) => c.clone(),
        Err(e) => return e.into_response(),
    };
    match jobs::retry(&state.app, &coop, JobId::new(id)).await {
        Ok(()) => Redirect::to(&paths::jobs(&coop.slug)).into_response(),
        Err(e) => page.err(e).into_response(),
    }
}
