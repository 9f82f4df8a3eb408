//! The cooperative's selling settings: numbering, documents, mail templates and validation ceilings.

use super::*;

#[derive(Clone, Debug, Default, Deserialize)]
pub struct SettingsForm {
    #[serde(default)]
    pub invoice_template: String,
    #[serde(default)]
    pub quote_template: String,
    #[serde(default)]
    pub vat_on_debits: String,
    #[serde(default)]
    pub accent: String,
    #[serde(default)]
    pub footer: String,
    #[serde(default)]
    pub iban: String,
    #[serde(default)]
    pub bic: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct CeilingForm {
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub ceiling: String,
}

#[derive(Template)]
#[template(path = "customers/settings.html")]
pub struct SettingsPage {
    pub l: Layout,
    pub f: SettingsForm,
    pub errors: Errors,
    pub ceilings: Vec<(String, String)>,
    pub c: CeilingForm,
    pub ceiling_errors: Errors,
    pub saved: bool,
    pub action: String,
    pub ceiling_action: String,
    /// (kind, label, action, subject, body, error)
    pub templates: Vec<MailTemplateView>,
}

pub struct MailTemplateView {
    pub kind: String,
    pub label: String,
    pub action: String,
    pub subject: String,
    pub body: String,
    pub errors: Errors,
}

#[allow(clippy::too_many_arguments)]
async fn settings_page(
    state: &AppState,
    page: &Page,
    coop: &CoopActor,
    f: Option<SettingsForm>,
    errors: &FieldErrors,
    c: CeilingForm,
    ceiling_errors: &FieldErrors,
    saved: bool,
    mail_errors: Option<(String, String, String, FieldErrors)>,
) -> PageResult {
    let t = page.layout.t;
    let f = match f {
        Some(f) => f,
        None => {
            let s = selling::settings(&state.app, coop).await?;
            SettingsForm {
                invoice_template: s.invoice_template,
                quote_template: s.quote_template,
                vat_on_debits: if s.vat_on_debits {
                    "on".into()
                } else {
                    String::new()
                },
                accent: s.accent,
                footer: s.footer.unwrap_or_default(),
                iban: s.iban.unwrap_or_default(),
                bic: s.bic.unwrap_or_default(),
                email: s.email.unwrap_or_default(),
                phone: s.phone.unwrap_or_default(),
            }
        }
    };
    let ceilings = selling::ceilings(&state.app, coop).await?;
    let mut templates = Vec::new();
    for kind in essaim_app::selling::mail::TEMPLATE_KINDS {
        let (subject, body, _) =
            essaim_app::selling::mail::template(&state.app, coop, kind).await?;
        let (subject, body, errors) = match &mail_errors {
            Some((k, s, b, e)) if k == kind => (s.clone(), b.clone(), Errors::from(e, t)),
            _ => (subject, body, Errors::default()),
        };
        templates.push(MailTemplateView {
            kind: kind.to_owned(),
            label: t
                .get(&format!("selling_settings.template_{kind}"))
                .to_owned(),
            action: format!("{}/{kind}", paths::mail_templates(&coop.slug)),
            subject,
            body,
            errors,
        });
    }
    Ok(render(&SettingsPage {
        f,
        errors: Errors::from(errors, t),
        ceilings: ceilings
            .iter()
            .map(|(_, name, c)| (name.clone(), money(*c)))
            .collect(),
        c,
        ceiling_errors: Errors::from(ceiling_errors, t),
        saved,
        action: paths::selling_settings(&coop.slug),
        ceiling_action: paths::selling_ceilings(&coop.slug),
        templates,
        l: page.layout.clone(),
    }))
}

pub async fn settings(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Query(q): Query<SavedQuery>,
) -> PageResult {
    settings_page(
        &state,
        &page,
        &coop,
        None,
        &FieldErrors::new(),
        CeilingForm::default(),
        &FieldErrors::new(),
        !q.saved.is_empty(),
        None,
    )
    .await
}

pub async fn save_settings(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Form(f): Form<SettingsForm>,
) -> PageResult {
    let input = SettingsInput {
        invoice_template: f.invoice_template.clone(),
        quote_template: f.quote_template.clone(),
        vat_on_debits: f.vat_on_debits == "on",
        accent: f.accent.clone(),
        footer: f.footer.clone(),
        iban: f.iban.clone(),
        bic: f.bic.clone(),
        email: f.email.clone(),
        phone: f.phone.clone(),
    };
    match selling::save_settings(&state.app, &coop, &input).await {
        Ok(()) => Ok(
            Redirect::to(&format!("{}?saved=1", paths::selling_settings(&coop.slug)))
                .into_response(),
        ),
        Err(AppError::Invalid(e)) => settings_page(
            &state,
            &page,
            &coop,
            Some(f),
            &e,
            CeilingForm::default(),
            &FieldErrors::new(),
            false,
            None,
        )
        .await
        .map(crate::view::unprocessable),
        Err(e) => Err(e.into()),
    }
}

pub async fn set_ceiling(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Form(c): Form<CeilingForm>,
) -> PageResult {
    match selling::set_ceiling(&state.app, &coop, &c.email, &c.ceiling).await {
        Ok(()) => Ok(
            Redirect::to(&format!("{}?saved=1", paths::selling_settings(&coop.slug)))
                .into_response(),
        ),
        Err(AppError::Invalid(e)) => settings_page(
            &state,
            &page,
            &coop,
            None,
            &FieldErrors::new(),
            c,
            &e,
            false,
            None,
        )
        .await
        .map(crate::view::unprocessable),
        Err(e) => Err(e.into()),
    }
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct MailTemplateForm {
    #[serde(default)]
    pub subject: String,
    #[serde(default)]
    pub body: String,
}

pub async fn save_mail_template(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Path((_, kind)): Path<(String, String)>,
    Form(f): Form<MailTemplateForm>,
) -> PageResult {
    match essaim_app::selling::mail::save_template(&state.app, &coop, &kind, &f.subject, &f.body)
        .await
    {
        Ok(()) => Ok(
            Redirect::to(&format!("{}?saved=1", paths::selling_settings(&coop.slug)))
                .into_response(),
        ),
        Err(AppError::Invalid(e)) => settings_page(
            &state,
            &page,
            &coop,
            None,
            &FieldErrors::new(),
            CeilingForm::default(),
            &FieldErrors::new(),
            false,
            Some((kind.clone(), f.subject.clone(), f.body.clone(), e)),
        )
        .await
        .map(crate::view::unprocessable),
        Err(e) => Err(e.into()),
    }
}
