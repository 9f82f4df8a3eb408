//! The e-invoicing platform's callbacks (issue 20): the platform tells Essaim that something
//! changed; Essaim then synchronises that cooperative through the platform's API.

use super::ProblemBody;
use crate::error::ApiError;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct CallbackAccepted {
    /// `accepted`: a synchronisation of the cooperative is queued.
    pub status: String,
}

#[utoipa::path(post, path = "/api/v1/einvoicing/callbacks/{coop}", tag = "einvoicing", params(("coop" = String, Path, description = "The cooperative's slug")),
    description = "Called by the cooperative's e-invoicing platform when flows changed, with the token created on the cooperative's e-invoicing settings \
                   (`Authorization: Bearer …`). The body is not read: Essaim queues a synchronisation of the cooperative (at most one a minute), \
                   which reads the changes through the platform's API. A wrong or missing token: 401.",
    responses((status = 202, body = CallbackAccepted), (status = 401, body = ProblemBody)),
    security(("callback" = [])))]
pub async fn callback(
    State(state): State<AppState>,
    Path(coop): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    essaim_app::einvoicing::callbacks::receive(&state.app, &coop, token).await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(CallbackAccepted {
            status: "accepted".into(),
        }),
    )
        .into_response())
}
