//! Documents attached to people and activities: stored on disk under the configured folder,
//! addressed by their SHA-256 and checked again on every read; always served as attachments.
//! Who may read them follows the person's file, the activity (an entrepreneur: their own) or the
//! appointment (its coach and the people met).

use crate::{App, AppError, CoopActor, audit, secret::sha256_hex};
use essaim_domain::access::{Permission, Target};
use essaim_domain::document::DocumentMeta;
use essaim_storage::document::{self as store, DocumentRow, NewDocument, Owner};
use essaim_storage::{Tx, person};
use serde_json::json;
use std::path::PathBuf;

pub(crate) fn path_of(app: &App, sha: &str) -> PathBuf {
    app.config.files_dir.join(&sha[..2]).join(sha)
}

/// Writes the bytes once (same content, same file), atomically.
pub(crate) async fn write_file(app: &App, sha: &str, bytes: &[u8]) -> Result<(), AppError> {
    let path = path_of(app, sha);
    if tokio::fs::try_exists(&path).await.unwrap_or(false) {
        return Ok(());
    }
    let dir = path
        .parent()
        .ok_or_else(|| AppError::Internal("file path".into()))?;
    tokio::fs::create_dir_all(dir)
        .await
        .map_err(|e| AppError::Internal(format!("files folder: {e}")))?;
    let tmp = dir.join(format!("{sha}.{}.tmp", crate::secret::random_token()?));
    tokio::fs::write(&tmp, bytes)
        .await
        .map_err(|e| AppError::Internal(format!("writing a file: {e}")))?;
    tokio::fs::rename(&tmp, &path)
        .await
        .map_err(|e| AppError::Internal(format!("writing a file: {e}")))?;
    Ok(())
}

/// Who may see the documents of an owner: the file's readers, or the activity's.
async fn may_read(tx: &mut Tx, actor: &CoopActor, owner: Owner) -> Result<bool, AppError> {
    Ok(match owner {
        Owner::Person(p) => {
            let rec = person::find(tx, actor.cooperative, p)
                .await?
                .ok_or(AppError::NotFound("person"))?;
            actor.may(Permission::PersonRead) || rec.user_id == Some(actor.user().id)
        }
        Owner::Activity(a) => {
            essaim_storage::activity::find(tx, actor.cooperative, a)
                .await?
                .ok_or(AppError::NotFound("activity"))?;
            actor
                .access
                .allows(Permission::ActivityRead, Target::Activity(a))
        }
        // Its coach and the people met (anyone else: not found).
        Owner::Appointment(a) => crate::coaching::may_see(tx, actor, a).await?,
    })
}

fn manage_permission(owner: Owner) -> Permission {
    match owner {
        Owner::Person(_) => Permission::PersonManage,
        Owner::Activity(_) => Permission::ActivityManage,
        Owner::Appointment(_) => Permission::CoachingManage,
    }
}

/// What the upload form sends.
pub struct UploadInput {
    pub kind: String,
    pub title: String,
    pub expires_on: String,
    pub filename: String,
    pub bytes: Vec<u8>,
}

pub async fn upload(
    app: &App,
    actor: &CoopActor,
    owner: Owner,
    input: UploadInput,
) -> Result<i64, AppError> {
    let UploadInput {
        kind,
        title,
        expires_on,
        filename,
        bytes,
    } = input;
    let (kind, title, expires_on, filename) = (
        kind.as_str(),
        title.as_str(),
        expires_on.as_str(),
        filename.as_str(),
    );
    actor.require(manage_permission(owner))?;
    let meta = DocumentMeta::parse(kind, title, expires_on, filename, &bytes)?;
    let sha = sha256_hex(&bytes);
    let mut tx = app.store.begin().await?;
    if !may_read(&mut tx, actor, owner).await? {
        return Err(AppError::Forbidden);
    }
    write_file(app, &sha, &bytes).await?;
    let new = NewDocument {
        owner,
        kind: meta.kind,
        title: &meta.title,
        filename: &meta.filename,
        content_type: meta.content_type,
        sha256: &sha,
        size_bytes: i64::try_from(bytes.len()).unwrap_or(i64::MAX),
        expires_on: meta.expires_on,
        uploaded_by: actor.user().id,
    };
    let id = store::insert(&mut tx, actor.cooperative, &new, app.clock.now()).await?;
    audit::record_in(
        &mut tx,
        app,
        actor,
        "document.uploaded",
        ("document", id.to_string()),
        json!({ "kind": meta.kind.code(), "sha256": sha }),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn list(
    app: &App,
    actor: &CoopActor,
    owner: Owner,
) -> Result<Vec<DocumentRow>, AppError> {
    let mut tx = app.store.read().await?;
    if !may_read(&mut tx, actor, owner).await? {
        return Err(AppError::Forbidden);
    }
    let rows = store::list_for(&mut tx, actor.cooperative, owner).await?;
    tx.commit().await?;
    Ok(rows)
}

/// The document and its bytes, after checking the reader's right and the file's integrity.
pub async fn download(
    app: &App,
    actor: &CoopActor,
    id: i64,
) -> Result<(DocumentRow, Vec<u8>), AppError> {
    let mut tx = app.store.read().await?;
    let doc = store::find(&mut tx, actor.cooperative, id)
        .await?
        .ok_or(AppError::NotFound("document"))?;
    if !may_read(&mut tx, actor, doc.owner()?).await? {
        return Err(AppError::Forbidden);
    }
    tx.commit().await?;
    let bytes = read_checked(app, &doc.sha256, &format!("document {id}")).await?;
    Ok((doc, bytes))
}

/// The bytes kept under `sha`, checked against it: a file altered on disk is an error, never
/// served (EXP-04: an integrity-preserving copy). `what` names it in the log.
pub(crate) async fn read_checked(app: &App, sha: &str, what: &str) -> Result<Vec<u8>, AppError> {
    let bytes = tokio::fs::read(path_of(app, sha))
        .await
        .map_err(|e| AppError::Internal(format!("reading {what}: {e}")))?;
    if sha256_hex(&bytes) != sha {
        return Err(AppError::Internal(format!(
            "{what}: the stored file does not match its hash"
        )));
    }
    Ok(bytes)
}

/// People's documents expiring within six months (or expired), for the deadlines dashboard.
pub async fn expiring(
    app: &App,
    actor: &CoopActor,
) -> Result<Vec<store::ExpiringDocument>, AppError> {
    actor.require(Permission::PersonRead)?;
    let until = essaim_domain::path::add_months(app.clock.today(), 6);
    let mut tx = app.store.read().await?;
    let rows = store::expiring(&mut tx, actor.cooperative, until).await?;
    tx.commit().await?;
    Ok(rows)
}
