//! Background jobs of the cooperative: their state, and retrying failed ones.

use crate::pages::prelude::*;
use essaim_app::jobs;
use essaim_app::records::JobRow;
use essaim_domain::ids::JobId;

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

fn page(
    layout: Layout,
    rows: Vec<JobRow>,
    counts: Vec<(String, i64)>,
    retry_path: impl Fn(i64) -> String,
) -> JobsPage {
    let t = layout.t;
    JobsPage {
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
                retry: (j.status == "failed").then(|| retry_path(j.job_id)),
            })
            .collect(),
        counts: counts
            .into_iter()
            .map(|(s, n)| (t.get(&format!("job.status.{s}")).to_owned(), n))
            .collect(),
        l: layout,
    }
}

/// The cooperative's jobs.
pub async fn list(Ctx { app, coop, page }: Ctx, Query(q): Query<JobsQuery>) -> PageResult {
    let status = q.status.as_deref().filter(|s| !s.is_empty());
    let (rows, counts) = jobs::list(&app, &coop, status).await?;
    let retry = |id| paths::retry_job(&coop.slug, id);
    Ok(render(&self::page(page.layout, rows, counts, retry)))
}

/// The account-level jobs (password-reset e-mails), for host administrators.
pub async fn list_host(Me { app, actor, page }: Me, Query(q): Query<JobsQuery>) -> PageResult {
    let status = q.status.as_deref().filter(|s| !s.is_empty());
    let (rows, counts) = jobs::list_host(&app, &actor, status).await?;
    Ok(render(&self::page(
        page.layout,
        rows,
        counts,
        paths::retry_host_job,
    )))
}

pub async fn retry_host(Me { app, actor, .. }: Me, Path(id): Path<i64>) -> PageResult {
    jobs::retry_host(&app, &actor, JobId::new(id)).await?;
    Ok(Redirect::to(&paths::host_jobs()).into_response())
}

pub async fn retry(Ctx { app, coop, .. }: Ctx, Id(id): Id<JobId>) -> PageResult {
    jobs::retry(&app, &coop, id).await?;
    Ok(Redirect::to(&paths::jobs(&coop.slug)).into_response())
}
