//! The cooperative's legal identity form (shared by creation and editing) and its logo.

use crate::error::PageResult;
use crate::error::{render, render_status};
use crate::extract::Coop;
use crate::paths;
use crate::state::AppState;
use crate::view::{Errors, Layout, Page};
use askama::Template;
use axum::Form;
use axum::extract::{Multipart, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect};
use essaim_app::{AppError, cooperatives};
use essaim_domain::cooperative::{Cooperative, CooperativeInput, LegalForm};
use serde::Deserialize;

/// What the identity form shows and sends back.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct CooperativeForm {
    #[serde(default)]
    pub legal_name: String,
    #[serde(default)]
    pub trade_name: String,
    #[serde(default)]
    pub legal_form: String,
    #[serde(default)]
    pub siret: String,
    #[serde(default)]
    pub vat_number: String,
    #[serde(default)]
    pub rcs_city: String,
    #[serde(default)]
    pub share_capital: String,
    #[serde(default)]
    pub address_line1: String,
    #[serde(default)]
    pub address_line2: String,
    #[serde(default)]
    pub postcode: String,
    #[serde(default)]
    pub city: String,
    #[serde(default)]
    pub fiscal_year_start_month: String,
    #[serde(default)]
    pub fiscal_year_start_day: String,
    #[serde(default)]
    pub first_admin: String,
}

impl CooperativeForm {
    pub fn input(&self) -> CooperativeInput {
        CooperativeInput {
            legal_name: self.legal_name.clone(),
            trade_name: self.trade_name.clone(),
            legal_form: self.legal_form.clone(),
            siret: self.siret.clone(),
            vat_number: self.vat_number.clone(),
            rcs_city: self.rcs_city.clone(),
            share_capital: self.share_capital.clone(),
            address_line1: self.address_line1.clone(),
            address_line2: self.address_line2.clone(),
            postcode: self.postcode.clone(),
            city: self.city.clone(),
            fiscal_year_start_month: self.fiscal_year_start_month.clone(),
            fiscal_year_start_day: self.fiscal_year_start_day.clone(),
        }
    }
    pub fn from_record(c: &Cooperative) -> CooperativeForm {
        let i = &c.identity;
        CooperativeForm {
            legal_name: i.legal_name.clone(),
            trade_name: i.trade_name.clone().unwrap_or_default(),
            legal_form: i.legal_form.code().to_owned(),
            siret: i.siret.as_str().to_owned(),
            vat_number: i.vat_number.as_str().to_owned(),
            rcs_city: i.rcs_city.clone(),
            share_capital: i.share_capital.typed_fr(),
            address_line1: i.address.line1.clone(),
            address_line2: i.address.line2.clone().unwrap_or_default(),
            postcode: i.address.postcode.clone(),
            city: i.address.city.clone(),
            fiscal_year_start_month: i.fiscal_year_start.month().to_string(),
            fiscal_year_start_day: i.fiscal_year_start.day().to_string(),
            first_admin: String::new(),
        }
    }
}

pub struct Choice {
    pub value: String,
    pub label: String,
}

pub fn legal_forms(t: crate::i18n::Tr) -> Vec<Choice> {
    LegalForm::ALL
        .iter()
        .map(|f| Choice {
            value: f.code().to_owned(),
            label: t.get(&format!("legal_form.{}", f.code())).to_owned(),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "cooperative/form.html")]
pub struct CooperativeFormPage {
    pub l: Layout,
    pub heading: String,
    pub action: String,
    pub creating: bool,
    pub f: CooperativeForm,
    pub errors: Errors,
    pub forms: Vec<Choice>,
    pub logo_action: String,
    pub logo_errors: Errors,
    pub notice: String,
}

pub async fn edit(Coop(coop): Coop, State(state): State<AppState>, page: Page) -> PageResult {
    let record = cooperatives::show(&state.app, &coop).await?;
    let t = page.layout.t;
    Ok(render(&CooperativeFormPage {
        heading: t.get("settings.heading").to_owned(),
        action: paths::coop_settings(&coop.slug),
        creating: false,
        f: CooperativeForm::from_record(&record),
        errors: Errors::default(),
        forms: legal_forms(t),
        logo_action: paths::coop_logo_upload(&coop.slug),
        logo_errors: Errors::default(),
        notice: String::new(),
        l: page.layout,
    }))
}

pub async fn update(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Form(f): Form<CooperativeForm>,
) -> PageResult {
    let t = page.layout.t;
    Ok(
        match cooperatives::update(&state.app, &coop, &f.input()).await {
            Ok(()) => Redirect::to(&paths::coop_settings(&coop.slug)).into_response(),
            Err(AppError::Invalid(errors)) => render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &CooperativeFormPage {
                    heading: t.get("settings.heading").to_owned(),
                    action: paths::coop_settings(&coop.slug),
                    creating: false,
                    f,
                    errors: Errors::from(&errors, t),
                    forms: legal_forms(t),
                    logo_action: paths::coop_logo_upload(&coop.slug),
                    logo_errors: Errors::default(),
                    notice: String::new(),
                    l: page.layout,
                },
            ),
            Err(e) => return Err(e.into()),
        },
    )
}

pub async fn upload_logo(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    mut multipart: Multipart,
) -> PageResult {
    let mut bytes = Vec::new();
    while let Ok(Some(field)) = multipart.next_field().await {
        if field.name() == Some("logo") {
            bytes = field.bytes().await.map(|b| b.to_vec()).unwrap_or_default();
        }
    }
    let t = page.layout.t;
    Ok(
        match cooperatives::set_logo(&state.app, &coop, bytes).await {
            Ok(()) => Redirect::to(&paths::coop_settings(&coop.slug)).into_response(),
            Err(AppError::Invalid(errors)) => {
                let record = cooperatives::show(&state.app, &coop).await?;
                render_status(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    &CooperativeFormPage {
                        heading: t.get("settings.heading").to_owned(),
                        action: paths::coop_settings(&coop.slug),
                        creating: false,
                        f: CooperativeForm::from_record(&record),
                        errors: Errors::default(),
                        forms: legal_forms(t),
                        logo_action: paths::coop_logo_upload(&coop.slug),
                        logo_errors: Errors::from(&errors, t),
                        notice: String::new(),
                        l: page.layout,
                    },
                )
            }
            Err(e) => return Err(e.into()),
        },
    )
}

pub async fn logo(Coop(coop): Coop, State(state): State<AppState>) -> PageResult {
    Ok(match cooperatives::logo(&state.app, &coop).await {
        Ok(Some(logo)) => (
            [
                (header::CONTENT_TYPE, logo.content_type),
                (header::CACHE_CONTROL, "private, max-age=86400".to_owned()),
            ],
            logo.bytes,
        )
            .into_response(),
        Ok(None) => return Err(AppError::NotFound("logo").into()),
        Err(e) => return Err(e.into()),
    })
}
