//! The cooperative's legal identity form (shared by creation and editing) and its logo.

use crate::pages::prelude::*;
use axum::extract::Multipart;
use axum::http::header;
use essaim_app::cooperatives;
use essaim_domain::cooperative::{Cooperative, CooperativeInput, LegalForm};

/// What the identity form shows and sends back; creating a cooperative also names its first
/// administrator. The template reads the identity's fields through it.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct CooperativeForm {
    #[serde(flatten)]
    pub identity: CooperativeInput,
    #[serde(default)]
    pub first_admin: String,
}

impl std::ops::Deref for CooperativeForm {
    type Target = CooperativeInput;
    fn deref(&self) -> &CooperativeInput {
        &self.identity
    }
}

impl CooperativeForm {
    pub fn from_record(c: &Cooperative) -> CooperativeForm {
        let i = &c.identity;
        let identity = CooperativeInput {
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
        };
        CooperativeForm {
            identity,
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
    /// The e-invoicing platform's settings (an existing cooperative only).
    pub einvoicing_href: String,
}

/// The settings page: the identity form and the logo form, each with its errors.
fn settings_page(
    page: &Page,
    slug: &str,
    f: CooperativeForm,
    errors: Errors,
    logo: Errors,
) -> Response {
    let t = page.layout.t;
    render(&CooperativeFormPage {
        heading: t.get("settings.heading").to_owned(),
        action: paths::coop_settings(slug),
        creating: false,
        f,
        errors,
        forms: legal_forms(t),
        logo_action: paths::coop_logo_upload(slug),
        einvoicing_href: paths::einvoicing_settings(slug),
        logo_errors: logo,
        notice: String::new(),
        l: page.layout.clone(),
    })
}

pub async fn edit(Ctx { app, coop, page }: Ctx) -> PageResult {
    let f = CooperativeForm::from_record(&cooperatives::show(&app, &coop).await?);
    Ok(settings_page(
        &page,
        &coop.slug,
        f,
        Errors::default(),
        Errors::default(),
    ))
}

pub async fn update(Ctx { app, coop, page }: Ctx, Form(f): Form<CooperativeForm>) -> PageResult {
    let outcome = cooperatives::update(&app, &coop, &f.identity).await;
    let to = |()| paths::coop_settings(&coop.slug);
    forms::submit(&page, outcome, to, async |errors| {
        Ok(settings_page(
            &page,
            &coop.slug,
            f,
            errors,
            Errors::default(),
        ))
    })
    .await
}

pub async fn upload_logo(Ctx { app, coop, page }: Ctx, mut multipart: Multipart) -> PageResult {
    let mut bytes = Vec::new();
    while let Ok(Some(field)) = multipart.next_field().await {
        if field.name() == Some("logo") {
            bytes = field.bytes().await.map(|b| b.to_vec()).unwrap_or_default();
        }
    }
    let outcome = cooperatives::set_logo(&app, &coop, bytes).await;
    let to = |()| paths::coop_settings(&coop.slug);
    forms::submit(&page, outcome, to, async |errors| {
        let f = CooperativeForm::from_record(&cooperatives::show(&app, &coop).await?);
        Ok(settings_page(
            &page,
            &coop.slug,
            f,
            Errors::default(),
            errors,
        ))
    })
    .await
}

pub async fn logo(Ctx { app, coop, .. }: Ctx) -> PageResult {
    Ok(match cooperatives::logo(&app, &coop).await {
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
