//! Coaching through the JSON API (issue 9): appointments (a coach plans and reads any, an
//! entrepreneur reads theirs, never the private notes) and workshops (the list a person sees,
//! registration). The same use cases and checks as the pages (`essaim_app::coaching`,
//! `essaim_app::workshops`).

use super::ProblemBody;
use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use essaim_app::CoopActor;
use essaim_app::coaching::{self, AgendaFilter, AppointmentView};
use essaim_app::records::WorkshopRecord;
use essaim_app::workshops;
use essaim_domain::access::Permission;
use essaim_domain::coaching::appointment::{ActionInput, AppointmentInput};
use essaim_domain::coaching::workshop::Seat;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A next action agreed in an appointment.
#[derive(Serialize, ToSchema)]
pub struct NextAction {
    pub label: String,
    pub due_on: Option<String>,
    pub done: bool,
}

/// An appointment. `private_notes` is present only for holders of `coaching.manage`.
#[derive(Serialize, ToSchema)]
pub struct Appointment {
    pub id: i64,
    pub coach: String,
    /// `YYYY-MM-DDTHH:MM`, the cooperative's wall-clock time.
    pub starts_at: String,
    pub minutes: i64,
    /// `in_person`, `phone` or `video`.
    pub mode: String,
    pub place: Option<String>,
    /// `planned`, `held`, `cancelled` or `no_show`.
    pub status: String,
    /// The people met: ids and names.
    pub people: Vec<(i64, String)>,
    pub topics: Vec<String>,
    pub summary: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub private_notes: Option<String>,
    pub programme: Option<String>,
    pub actions: Vec<NextAction>,
}

fn appointment_of(v: &AppointmentView) -> Appointment {
    let r = &v.record;
    Appointment {
        id: r.appointment_id,
        coach: r.coach_name.clone(),
        starts_at: format!(
            "{}T{:02}:{:02}",
            v.starts_at.date(),
            v.starts_at.hour(),
            v.starts_at.minute()
        ),
        minutes: r.minutes,
        mode: r.mode.clone(),
        place: r.place.clone(),
        status: v.status.code().to_owned(),
        people: v
            .people
            .iter()
            .map(|(id, f, l)| (*id, format!("{f} {l}")))
            .collect(),
        topics: v.topics.clone(),
        summary: r.summary.clone(),
        private_notes: if v.may_manage {
            r.private_notes.clone()
        } else {
            None
        },
        programme: r.programme.clone(),
        actions: v
            .actions
            .iter()
            .map(|a| NextAction {
                label: a.label.clone(),
                due_on: a.due_on.map(|d| d.to_string()),
                done: a.done_at.is_some(),
            })
            .collect(),
    }
}

#[derive(Deserialize, IntoParams)]
pub struct AppointmentsQuery {
    /// From this day (`YYYY-MM-DD`; coaches only, 30 days back by default).
    from: Option<String>,
    to: Option<String>,
    /// `all` for every coach's (coaches only); the caller's otherwise.
    coach: Option<String>,
}

/// Appointments: a coach's agenda (or the whole team's), or the caller's own as a person met.
#[utoipa::path(get, path = "/api/v1/cooperatives/{coop}/appointments", tag = "coaching", params(("coop" = String, Path), AppointmentsQuery),
    responses((status = 200, body = [Appointment]), (status = 422, body = ProblemBody)), security(("token" = [])))]
pub async fn appointments(
    State(state): State<AppState>,
    Extension(coop): Extension<CoopActor>,
    Query(q): Query<AppointmentsQuery>,
) -> Result<Json<Vec<Appointment>>, ApiError> {
    let views = if coop.may(Permission::CoachingManage) {
        let mut e = essaim_domain::FieldErrors::new();
        let from = e
            .check(
                "from",
                essaim_domain::person::parse_optional_date(q.from.as_deref().unwrap_or("")),
            )
            .flatten();
        let to = e
            .check(
                "to",
                essaim_domain::person::parse_optional_date(q.to.as_deref().unwrap_or("")),
            )
            .flatten();
        if !e.is_empty() {
            return Err(essaim_app::AppError::from(e).into());
        }
        coaching::agenda_views(
            &state.app,
            &coop,
            &AgendaFilter {
                coach: (q.coach.as_deref() != Some("all")).then(|| coop.user().id),
                from,
                to,
            },
        )
        .await?
    } else {
        coaching::of_person(&state.app, &coop, None).await?
    };
    Ok(Json(views.iter().map(appointment_of).collect()))
}

/// One appointment: for a coach, whole; for a person met, without the private notes; for
/// anyone else, not found.
#[utoipa::path(get, path = "/api/v1/cooperatives/{coop}/appointments/{id}", tag = "coaching", params(("coop" = String, Path), ("id" = i64, Path)),
    responses((status = 200, body = Appointment), (status = 404, body = ProblemBody)), security(("token" = [])))]
pub async fn appointment(
    State(state): State<AppState>,
    Extension(coop): Extension<CoopActor>,
    path: Path<(String, i64)>,
) -> Result<Json<Appointment>, ApiError> {
    let v = coaching::show(&state.app, &coop, (path.0).1).await?;
    Ok(Json(appointment_of(&v)))
}

/// An appointment as planned by a coach (fields as typed in the form).
#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct AppointmentRequest {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// `HH:MM`.
    pub time: String,
    /// Minutes, 5 to 480.
    pub duration: String,
    /// `in_person`, `phone` or `video`.
    pub mode: String,
    pub place: String,
    /// Topic codes.
    pub topics: Vec<String>,
    /// Ids of the people met.
    pub people: Vec<i64>,
    pub private_notes: String,
    pub summary: String,
    /// A code of the cooperative's funding programmes, or empty.
    pub programme: String,
    pub actions: Vec<ActionRequest>,
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct ActionRequest {
    pub label: String,
    /// `YYYY-MM-DD`, or empty.
    pub due_on: String,
}

/// Plans an appointment (the caller is its coach); the people met receive the invitation.
#[utoipa::path(post, path = "/api/v1/cooperatives/{coop}/appointments", tag = "coaching", params(("coop" = String, Path)), request_body = AppointmentRequest,
    responses((status = 201, body = Appointment), (status = 422, body = ProblemBody), (status = 403, body = ProblemBody)), security(("token" = [])))]
pub async fn create_appointment(
    State(state): State<AppState>,
    Extension(coop): Extension<CoopActor>,
    Json(r): Json<AppointmentRequest>,
) -> Result<Response, ApiError> {
    let input = AppointmentInput {
        date: r.date,
        time: r.time,
        duration: r.duration,
        mode: r.mode,
        place: r.place,
        topics: r.topics,
        people: r.people.iter().map(i64::to_string).collect(),
        private_notes: r.private_notes,
        summary: r.summary,
        programme: r.programme,
    };
    let actions: Vec<ActionInput> = r
        .actions
        .into_iter()
        .map(|a| ActionInput {
            label: a.label,
            due_on: a.due_on,
        })
        .collect();
    let (id, _) = coaching::create(&state.app, &coop, &input, &actions).await?;
    let v = coaching::show(&state.app, &coop, id).await?;
    Ok((StatusCode::CREATED, Json(appointment_of(&v))).into_response())
}

/// A workshop session as a person sees it in a list.
#[derive(Serialize, ToSchema)]
pub struct Workshop {
    pub id: i64,
    pub title: String,
    pub date: String,
    /// `HH:MM`.
    pub start: String,
    pub end: String,
    pub place: Option<String>,
    pub video_link: Option<String>,
    pub trainer: String,
    pub capacity: i64,
    pub registered: i64,
    pub waiting: i64,
    /// `planned` or `cancelled`.
    pub status: String,
    /// The caller's seat: `registered`, `waiting` or `withdrawn`.
    pub my_seat: Option<String>,
}

fn hm(m: i64) -> String {
    format!("{:02}:{:02}", m / 60, m % 60)
}

fn workshop_of(w: &WorkshopRecord, seat: Option<Seat>) -> Workshop {
    Workshop {
        id: w.workshop_id,
        title: w.title.clone(),
        date: w.starts_on.to_string(),
        start: hm(w.start_minute),
        end: hm(w.end_minute),
        place: w.place.clone(),
        video_link: w.video_link.clone(),
        trainer: w.trainer.clone(),
        capacity: w.capacity,
        registered: w.registered,
        waiting: w.waiting,
        status: w.status.clone(),
        my_seat: seat.map(|s| s.code().to_owned()),
    }
}

/// The upcoming sessions: all of them for coaches; for an entrepreneur, those offered to their
/// stage of the path and those they registered for.
#[utoipa::path(get, path = "/api/v1/cooperatives/{coop}/workshops", tag = "coaching", params(("coop" = String, Path)),
    responses((status = 200, body = [Workshop])), security(("token" = [])))]
pub async fn workshops_list(
    State(state): State<AppState>,
    Extension(coop): Extension<CoopActor>,
) -> Result<Json<Vec<Workshop>>, ApiError> {
    let listing = workshops::list(&state.app, &coop).await?;
    Ok(Json(
        listing
            .upcoming
            .iter()
            .map(|(w, s)| workshop_of(w, *s))
            .collect(),
    ))
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct RegistrationRequest {
    /// Coaches: the person to register; empty to register oneself.
    pub person_id: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct RegistrationResponse {
    /// `registered`, or `waiting` when the session is full.
    pub seat: String,
}

/// Registers the caller, or (coaches) a person: a seat while some are free, else the waiting list.
#[utoipa::path(post, path = "/api/v1/cooperatives/{coop}/workshops/{id}/registrations", tag = "coaching", params(("coop" = String, Path), ("id" = i64, Path)),
    request_body = RegistrationRequest,
    responses((status = 201, body = RegistrationResponse), (status = 422, body = ProblemBody), (status = 404, body = ProblemBody)), security(("token" = [])))]
pub async fn register(
    State(state): State<AppState>,
    Extension(coop): Extension<CoopActor>,
    path: Path<(String, i64)>,
    Json(r): Json<RegistrationRequest>,
) -> Result<Response, ApiError> {
    let seat = workshops::register(&state.app, &coop, (path.0).1, r.person_id).await?;
    Ok((
        StatusCode::CREATED,
        Json(RegistrationResponse {
            seat: seat.code().to_owned(),
        }),
    )
        .into_response())
}
