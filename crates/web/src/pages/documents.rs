//! Documents of a person or an activity: upload (multipart), list, download as an attachment.

use crate::pages::prelude::*;
use axum::extract::Multipart;
use essaim_app::documents;
use essaim_app::documents::UploadInput;
use essaim_app::records::{DocumentRow, Owner};
use essaim_domain::document::DocumentKind;
use essaim_domain::ids::{ActivityId, PersonId};

/// A document as the person and activity pages list it.
pub struct DocView {
    pub title: String,
    pub kind: String,
    pub expires: String,
    pub expired: bool,
    pub href: String,
    pub size: String,
}

pub fn views(
    t: crate::i18n::Tr,
    slug: &str,
    rows: &[DocumentRow],
    today: time::Date,
) -> Vec<DocView> {
    rows.iter()
        .map(|d| DocView {
            title: d.title.clone(),
            kind: t.get(&format!("document.kind.{}", d.kind)).into(),
            expires: d
                .expires_on
                .map(essaim_domain::selling::terms::fr_date)
                .unwrap_or_default(),
            expired: d.expires_on.is_some_and(|e| e < today),
            href: paths::document(slug, d.document_id),
            size: format!("{} Ko", (d.size_bytes + 1023) / 1024),
        })
        .collect()
}

pub fn kinds(t: crate::i18n::Tr) -> Vec<Choice> {
    DocumentKind::ALL
        .iter()
        .map(|k| {
            Choice::new(
                k.code(),
                t.get(&format!("document.kind.{}", k.code())),
                false,
            )
        })
        .collect()
}

async fn read_upload(mut mp: Multipart) -> UploadInput {
    let mut u = UploadInput {
        kind: String::new(),
        title: String::new(),
        expires_on: String::new(),
        filename: String::new(),
        bytes: Vec::new(),
    };
    while let Ok(Some(field)) = mp.next_field().await {
        match field.name().unwrap_or("") {
            "kind" => u.kind = field.text().await.unwrap_or_default(),
            "title" => u.title = field.text().await.unwrap_or_default(),
            "expires_on" => u.expires_on = field.text().await.unwrap_or_default(),
            "file" => {
                u.filename = field.file_name().unwrap_or("").to_owned();
                u.bytes = field.bytes().await.map(|b| b.to_vec()).unwrap_or_default();
            }
            _ => {}
        }
    }
    u
}

async fn upload(
    coop: CoopActor,
    app: &App,
    owner: Owner,
    back: String,
    mp: Multipart,
) -> PageResult {
    let u = read_upload(mp).await;
    let to = match documents::upload(app, &coop, owner, u).await {
        Ok(_) => back,
        Err(AppError::Invalid(errors)) => {
            // Back to the page with the first problem named, as a query the page shows.
            let code = errors.0.first().map(|e| e.code).unwrap_or("invalid");
            format!("{back}?document_error={code}")
        }
        Err(e) => return Err(e.into()),
    };
    Ok(Redirect::to(&to).into_response())
}

pub async fn upload_for_person(
    Ctx { app, coop, .. }: Ctx,
    Id(id): Id<PersonId>,
    mp: Multipart,
) -> PageResult {
    let back = paths::person(&coop.slug, id);
    upload(coop, &app, Owner::Person(id), back, mp).await
}

pub async fn upload_for_activity(
    Ctx { app, coop, .. }: Ctx,
    Id(id): Id<ActivityId>,
    mp: Multipart,
) -> PageResult {
    let back = paths::activity(&coop.slug, id);
    upload(coop, &app, Owner::Activity(id), back, mp).await
}

/// An attachment of an appointment (coaches), shown on the appointment's page.
pub async fn upload_for_appointment(
    Ctx { app, coop, .. }: Ctx,
    Path((_, id)): Path<(String, i64)>,
    mp: Multipart,
) -> PageResult {
    let back = paths::appointment(&coop.slug, id);
    upload(coop, &app, Owner::Appointment(id), back, mp).await
}

/// Always an attachment, with the type checked at upload and `nosniff` (from the security headers).
pub async fn download(Ctx { app, coop, .. }: Ctx, Id(id): Id<i64>) -> PageResult {
    let (doc, bytes) = documents::download(&app, &coop, id).await?;
    Ok(view::private_file(&doc.filename, &doc.content_type, bytes))
}

/// The problem of a refused upload, carried back to the page after the redirect.
#[derive(serde::Deserialize, Default)]
pub struct DocumentErrorQuery {
    document_error: Option<String>,
}

impl DocumentErrorQuery {
    pub fn of(document_error: Option<String>) -> DocumentErrorQuery {
        DocumentErrorQuery { document_error }
    }
    pub fn message(&self, t: crate::i18n::Tr) -> String {
        match self.document_error.as_deref() {
            Some(code) if code.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') => {
                t.error(code)
            }
            _ => String::new(),
        }
    }
}
