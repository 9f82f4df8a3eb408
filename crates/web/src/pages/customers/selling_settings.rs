//! The cooperative's selling settings: numbering, documents, mail templates and validation ceilings.

use super::*;

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct CeilingForm {
    pub email: String,
    pub ceiling: String,
}

#[derive(Template)]
#[template(path = "customers/settings.html")]
pub struct SettingsPage {
    pub l: Layout,
    pub f: SettingsInput,
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

/// The form of the page that was sent and refused, shown again with its errors.
enum Refused {
    Nothing,
    Settings(SettingsInput, Errors),
    Ceiling(CeilingForm, Errors),
    Template(String, MailTemplateForm, Errors),
}

async fn settings_page(
    app: &App,
    page: &Page,
    coop: &CoopActor,
    refused: Refused,
    saved: bool,
) -> PageResult {
    let t = page.layout.t;
    let (f, errors, c, ceiling_errors, mail) = match refused {
        Refused::Settings(f, e) => (Some(f), e, None, Errors::default(), None),
        Refused::Ceiling(c, e) => (None, Errors::default(), Some(c), e, None),
        Refused::Template(kind, m, e) => (
            None,
            Errors::default(),
            None,
            Errors::default(),
            Some((kind, m, e)),
        ),
        Refused::Nothing => (None, Errors::default(), None, Errors::default(), None),
    };
    let f = match f {
        Some(f) => f,
        None => {
            let s = selling::settings(app, coop).await?;
            SettingsInput {
                invoice_template: s.invoice_template,
                quote_template: s.quote_template,
                vat_on_debits: s.vat_on_debits,
                accent: s.accent,
                footer: s.footer.unwrap_or_default(),
                iban: s.iban.unwrap_or_default(),
                bic: s.bic.unwrap_or_default(),
                email: s.email.unwrap_or_default(),
                phone: s.phone.unwrap_or_default(),
            }
        }
    };
    let ceilings = selling::ceilings(app, coop).await?;
    let mut templates = Vec::new();
    for kind in essaim_app::selling::mail::TEMPLATE_KINDS {
        let (subject, body, _) = essaim_app::selling::mail::template(app, coop, kind).await?;
        let (subject, body, errors) = match &mail {
            Some((k, m, e)) if k == kind => (m.subject.clone(), m.body.clone(), e.clone()),
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
        errors,
        ceilings: ceilings
            .iter()
            .map(|(_, name, c)| (name.clone(), money(*c)))
            .collect(),
        c: c.unwrap_or_default(),
        ceiling_errors,
        saved,
        action: paths::selling_settings(&coop.slug),
        ceiling_action: paths::selling_ceilings(&coop.slug),
        templates,
        l: page.layout.clone(),
    }))
}

/// Where the page goes back to once a form is saved.
fn saved(coop: &CoopActor) -> String {
    format!("{}?saved=1", paths::selling_settings(&coop.slug))
}

pub async fn settings(Ctx { app, coop, page }: Ctx, Query(q): Query<SavedQuery>) -> PageResult {
    settings_page(&app, &page, &coop, Refused::Nothing, !q.saved.is_empty()).await
}

pub async fn save_settings(
    Ctx { app, coop, page }: Ctx,
    Form(f): Form<SettingsInput>,
) -> PageResult {
    let outcome = selling::save_settings(&app, &coop, &f).await;
    forms::submit(
        &page,
        outcome,
        |()| saved(&coop),
        async |errors| settings_page(&app, &page, &coop, Refused::Settings(f, errors), false).await,
    )
    .await
}

pub async fn set_ceiling(Ctx { app, coop, page }: Ctx, Form(c): Form<CeilingForm>) -> PageResult {
    let outcome = selling::set_ceiling(&app, &coop, &c.email, &c.ceiling).await;
    forms::submit(
        &page,
        outcome,
        |()| saved(&coop),
        async |errors| settings_page(&app, &page, &coop, Refused::Ceiling(c, errors), false).await,
    )
    .await
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct MailTemplateForm {
    pub subject: String,
    pub body: String,
}

pub async fn save_mail_template(
    Ctx { app, coop, page }: Ctx,
    Path((_, kind)): Path<(String, String)>,
    Form(f): Form<MailTemplateForm>,
) -> PageResult {
    let outcome =
        essaim_app::selling::mail::save_template(&app, &coop, &kind, &f.subject, &f.body).await;
    forms::submit(
        &page,
        outcome,
        |()| saved(&coop),
        async |errors| {
            let refused = Refused::Template(kind.clone(), f, errors);
            settings_page(&app, &page, &coop, refused, false).await
        },
    )
    .await
}
