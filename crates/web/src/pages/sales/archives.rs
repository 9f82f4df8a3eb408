//! Sale documents: ZIP archives of a period's PDFs.

use super::*;

#[derive(Template)]
#[template(path = "sales/archive.html")]
pub struct ArchivePage {
    pub l: Layout,
    pub action: String,
    pub from: String,
    pub to: String,
    pub errors: Errors,
    /// (status label, done, total, status url, download url when ready, refresh url)
    pub current: Option<ArchiveView>,
    pub script_url: String,
}

pub struct ArchiveView {
    pub period: String,
    pub status: String,
    pub running: bool,
    pub done: i64,
    pub total: i64,
    pub status_url: String,
    pub download: Option<String>,
    pub refresh: String,
    pub error: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct ArchiveForm {
    pub from: String,
    pub to: String,
}

async fn archive_page(
    app: &App,
    page: &Page,
    coop: &CoopActor,
    current: Option<i64>,
    f: ArchiveForm,
    errors: Errors,
) -> PageResult {
    let t = page.layout.t;
    let today = app.clock.today();
    let current = match current {
        Some(id) => {
            let e = essaim_app::selling::archive::status(app, coop, id).await?;
            Some(ArchiveView {
                period: format!("{} — {}", fr_date(e.period_from), fr_date(e.period_to)),
                status: t.get(&format!("archive.status.{}", e.status)).to_owned(),
                running: matches!(e.status.as_str(), "queued" | "running"),
                done: e.done,
                total: e.total,
                status_url: format!("{}/status", paths::archive(&coop.slug, id)),
                download: (e.status == "done")
                    .then(|| format!("{}/download", paths::archive(&coop.slug, id))),
                refresh: paths::archive(&coop.slug, id),
                error: e.error,
            })
        }
        None => None,
    };
    Ok(render(&ArchivePage {
        action: paths::archives(&coop.slug),
        from: if f.from.is_empty() {
            format!("{}-01-01", today.year())
        } else {
            f.from
        },
        to: if f.to.is_empty() {
            today.to_string()
        } else {
            f.to
        },
        errors,
        current,
        script_url: crate::assets::url("progress.js"),
        l: page.layout.clone(),
    }))
}

pub async fn archives(Ctx { app, coop, page }: Ctx) -> PageResult {
    let f = ArchiveForm::default();
    archive_page(&app, &page, &coop, None, f, Errors::default()).await
}

pub async fn request_archive(
    Ctx { app, coop, page }: Ctx,
    Form(f): Form<ArchiveForm>,
) -> PageResult {
    let outcome = essaim_app::selling::archive::request(&app, &coop, &f.from, &f.to).await;
    forms::submit(
        &page,
        outcome,
        |id| paths::archive(&coop.slug, id),
        async |errors| archive_page(&app, &page, &coop, None, f, errors).await,
    )
    .await
}

pub async fn archive(Ctx { app, coop, page }: Ctx, Id(id): Id<i64>) -> PageResult {
    archive_page(
        &app,
        &page,
        &coop,
        Some(id),
        ArchiveForm::default(),
        Errors::default(),
    )
    .await
}

pub async fn archive_status(Ctx { app, coop, .. }: Ctx, Id(id): Id<i64>) -> PageResult {
    let e = essaim_app::selling::archive::status(&app, &coop, id).await?;
    Ok(
        axum::Json(serde_json::json!({ "status": e.status, "done": e.done, "total": e.total }))
            .into_response(),
    )
}

pub async fn archive_download(Ctx { app, coop, .. }: Ctx, Id(id): Id<i64>) -> PageResult {
    let (name, bytes) = essaim_app::selling::archive::file(&app, &coop, id).await?;
    Ok(download(&name, "application/zip", bytes))
}
