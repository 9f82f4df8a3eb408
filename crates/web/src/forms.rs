//! The form round trip, in one place. A form handler parses the request into a typed input
//! (axum's `Form`, with `#[serde(default)]` on the form struct), calls one use case, and hands
//! its outcome to [`submit`]:
//!
//! - success: a redirection (post/redirect/get), to where `to` says;
//! - [`AppError::Invalid`]: the same page again, built by `again` with the errors beside their
//!   fields (in the reader's language) and the values as typed, answered 422;
//! - any other error: the error page, through [`PageError`](crate::error::PageError).
//!
//! ```ignore
//! pub async fn save_profile(Ctx { app, coop, page }: Ctx, Form(f): Form<ProfileInput>) -> PageResult {
//!     let outcome = directory::save_profile(&app, &coop, &f).await;
//!     forms::submit(&page, outcome, |()| paths::directory(&coop.slug), async |errors| {
//!         Ok(profile_page(&page, &coop, f, errors))
//!     })
//!     .await
//! }
//! ```

use crate::error::PageResult;
use crate::view::{Errors, Page, unprocessable};
use axum::response::{IntoResponse, Redirect};
use essaim_app::AppError;

/// Ends a form's round trip: redirects to `to(value)` on success, shows the page again with its
/// errors (422) when the input is invalid, and leaves any other error to the error page.
pub async fn submit<T>(
    page: &Page,
    outcome: Result<T, AppError>,
    to: impl FnOnce(T) -> String,
    again: impl AsyncFnOnce(Errors) -> PageResult,
) -> PageResult {
    match outcome {
        Ok(value) => Ok(Redirect::to(&to(value)).into_response()),
        Err(AppError::Invalid(errors)) => {
            let shown = Errors::from(&errors, page.layout.t);
            again(shown).await.map(unprocessable)
        }
        Err(e) => Err(e.into()),
    }
}

/// Ends the round trip of a form whose page is shown again either way: `show` gets the use
/// case's value (to say it is done) or the errors beside their fields (answered 422); any other
/// error goes to the error page.
pub async fn stay<T>(
    page: &Page,
    outcome: Result<T, AppError>,
    show: impl AsyncFnOnce(Result<T, Errors>) -> PageResult,
) -> PageResult {
    let shown = match outcome {
        Ok(value) => Ok(value),
        Err(AppError::Invalid(errors)) => Err(Errors::from(&errors, page.layout.t)),
        Err(e) => return Err(e.into()),
    };
    let invalid = shown.is_err();
    let response = show(shown).await?;
    Ok(if invalid {
        unprocessable(response)
    } else {
        response
    })
}

/// A form that is an input of the domain plus the person who follows it, chosen in a list (the
/// referent of a person or of an activity). The template reads the input's fields through it.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct WithReferent<I> {
    #[serde(flatten)]
    pub input: I,
    #[serde(default)]
    pub referent: String,
}

impl<I> WithReferent<I> {
    pub fn referent_id(&self) -> Option<essaim_domain::ids::UserId> {
        self.referent
            .parse()
            .ok()
            .map(essaim_domain::ids::UserId::new)
    }
}

impl<I> std::ops::Deref for WithReferent<I> {
    type Target = I;
    fn deref(&self) -> &I {
        &self.input
    }
}

/// A multipart form (one with a file): its text fields read into `T` (as a urlencoded form
/// would be, every field a string), and the file of `file_field` if one was chosen.
pub async fn multipart<T: serde::de::DeserializeOwned + Default>(
    mut mp: axum::extract::Multipart,
    file_field: &str,
) -> (T, Option<essaim_app::spending::reports::Upload>) {
    let mut fields = serde_json::Map::new();
    let mut file = None;
    while let Ok(Some(field)) = mp.next_field().await {
        let name = field.name().unwrap_or("").to_owned();
        if name == file_field {
            let file_name = field.file_name().unwrap_or("").to_owned();
            let bytes = field.bytes().await.map(|b| b.to_vec()).unwrap_or_default();
            if !bytes.is_empty() {
                file = Some(essaim_app::spending::reports::Upload {
                    name: file_name,
                    bytes,
                });
            }
        } else if !name.starts_with('_') {
            let text = field.text().await.unwrap_or_default();
            fields.insert(name, serde_json::Value::String(text));
        }
    }
    let input = serde_json::from_value(serde_json::Value::Object(fields)).unwrap_or_default();
    (input, file)
}
