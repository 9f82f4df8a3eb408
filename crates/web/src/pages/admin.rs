//! Host administration: the cooperatives of the deployment (names and numbers only) and creating one.

use super::settings::{CooperativeForm, CooperativeFormPage, legal_forms};
use crate::error::PageResult;
use crate::error::{render, render_status};
use crate::paths;
use crate::state::AppState;
use crate::view::{Errors, Layout, Page};
use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use essaim_app::records::CooperativeSummary;
use essaim_app::{AppError, cooperatives};

#[derive(Template)]
#[template(path = "admin/list.html")]
pub struct HostListPage {
    pub l: Layout,
    pub coops: Vec<CooperativeSummary>,
    pub new_href: String,
}

pub async fn list(State(AppState { app, .. }): State<AppState>, page: Page) -> PageResult {
    let actor = page.actor()?.clone();
    Ok(match cooperatives::list_for_host(&app, &actor).await {
        Ok(coops) => render(&HostListPage {
            l: page.layout,
            coops,
            new_href: paths::admin_new_cooperative(),
        }),
        Err(e) => return Err(e.into()),
    })
}

fn form_page(page: Page, f: CooperativeForm, errors: Errors) -> CooperativeFormPage {
    let t = page.layout.t;
    CooperativeFormPage {
        heading: t.get("admin.new_heading").to_owned(),
        action: paths::admin_cooperatives(),
        creating: true,
        f,
        errors,
        forms: legal_forms(t),
        logo_action: String::new(),
        logo_errors: Errors::default(),
        notice: String::new(),
        l: page.layout,
    }
}

pub async fn new(page: Page) -> Response {
    let f = CooperativeForm {
        fiscal_year_start_month: "1".into(),
        fiscal_year_start_day: "1".into(),
        legal_form: "scop_sarl".into(),
        ..Default::default()
    };
    render(&form_page(page, f, Errors::default()))
}

pub async fn create(
    State(AppState { app, .. }): State<AppState>,
    page: Page,
    Form(f): Form<CooperativeForm>,
) -> PageResult {
    let actor = page.actor()?.clone();
    let first_admin = Some(f.first_admin.as_str());
    Ok(
        match cooperatives::create(&app, Some(&actor), &f.input(), first_admin).await {
            Ok(_) => Redirect::to(&paths::admin_cooperatives()).into_response(),
            Err(AppError::Invalid(errors)) => {
                let errors = Errors::from(&errors, page.layout.t);
                render_status(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    &form_page(page, f, errors),
                )
            }
            Err(e) => return Err(e.into()),
        },
    )
}
