//! The CESA contract of a person: current clauses (printable), versions, and recording the signed
//! terms or an amendment.

use crate::error::PageResult;
use crate::error::render;
use crate::extract::{Ctx, Id};
use crate::forms;
use crate::paths;
use crate::view::{Errors, Layout, Page, download};
use askama::Template;
use axum::Form;
use axum::response::{IntoResponse, Redirect};
use essaim_app::App;
use essaim_app::{AppError, CoopActor, contracts, people};
use essaim_domain::access::Permission;
use essaim_domain::contract::{CesaTermsInput, ContractVersion, ContributionBase, format_rate};
use essaim_domain::ids::PersonId;
use essaim_domain::selling::terms::fr_date as date;
use serde::Deserialize;

use crate::view::Choice;

/// The contract form: the clauses of a new version, prefilled from the version in force.
pub type ContractForm = CesaTermsInput;

fn terms_of(v: &ContractVersion) -> ContractForm {
    let t = &v.terms;
    ContractForm {
        effective_on: String::new(),
        summary: String::new(),
        objectives: t.objectives.clone(),
        support: t.support.clone(),
        contribution_rate: format_rate(t.contribution_rate)
            .trim_end_matches(" %")
            .to_owned(),
        contribution_base: t.contribution_base.code().into(),
        fixed_monthly_gross: t.fixed_monthly_gross.typed_fr(),
        variable_method: t.variable_method.clone(),
        statutes_reference: t.statutes_reference.clone(),
        guarantees: t.guarantees.clone(),
        associate_procedure: t.associate_procedure.clone(),
    }
}

/// A clause typed in a text area.
pub struct LongField {
    pub name: &'static str,
    pub label: String,
    pub value: String,
}

pub struct VersionView {
    pub number: u32,
    pub on: String,
    pub summary: String,
}

#[derive(Template)]
#[template(path = "contracts/show.html")]
pub struct ContractPage {
    pub l: Layout,
    pub name: String,
    pub back: String,
    pub pdf_href: String,
    pub clauses: Vec<(String, String)>,
    pub versions: Vec<VersionView>,
    pub action: Option<String>,
    pub first: bool,
    pub f: ContractForm,
    pub bases: Vec<Choice>,
    pub long_fields: Vec<LongField>,
    pub errors: Errors,
}

async fn page_of(
    app: &App,
    page: &Page,
    coop: &CoopActor,
    id: PersonId,
    form: Option<ContractForm>,
    errors: Errors,
) -> Result<ContractPage, AppError> {
    let t = page.layout.t;
    let file = people::show(app, coop, id).await?;
    let history = contracts::history(app, coop, id).await?;
    let current = history.last();
    let clauses = current
        .map(|v| {
            let c = &v.terms;
            vec![
                (t.get("contract.a").to_owned(), c.objectives.clone()),
                (t.get("contract.b").to_owned(), c.support.clone()),
                (
                    t.get("contract.c").to_owned(),
                    format!(
                        "{} {}",
                        format_rate(c.contribution_rate),
                        t.get(&format!("contract.base.{}", c.contribution_base.code()))
                    ),
                ),
                (
                    t.get("contract.d_fixed").to_owned(),
                    c.fixed_monthly_gross.format_fr(),
                ),
                (
                    t.get("contract.d_variable").to_owned(),
                    c.variable_method.clone(),
                ),
                (t.get("contract.e").to_owned(), c.statutes_reference.clone()),
                (t.get("contract.f").to_owned(), c.guarantees.clone()),
                (
                    t.get("contract.associate").to_owned(),
                    c.associate_procedure.clone(),
                ),
            ]
        })
        .unwrap_or_default();
    let f = form.unwrap_or_else(|| {
        let mut f = current.map(terms_of).unwrap_or_default();
        f.effective_on = app.clock.today().to_string();
        f
    });
    let long_fields = [
        ("objectives", "contract.a", &f.objectives),
        ("support", "contract.b", &f.support),
        ("variable_method", "contract.d_variable", &f.variable_method),
        ("statutes_reference", "contract.e", &f.statutes_reference),
        ("guarantees", "contract.f", &f.guarantees),
        (
            "associate_procedure",
            "contract.associate",
            &f.associate_procedure,
        ),
    ]
    .into_iter()
    .map(|(name, key, value)| LongField {
        name,
        label: t.get(key).to_owned(),
        value: value.clone(),
    })
    .collect();
    Ok(ContractPage {
        long_fields,
        name: file.record.details.full_name(),
        back: paths::person(&coop.slug, id),
        pdf_href: paths::person_contract_pdf(&coop.slug, id),
        clauses,
        versions: history
            .iter()
            .rev()
            .map(|v| VersionView {
                number: v.number,
                on: date(v.effective_on),
                summary: v.summary.clone(),
            })
            .collect(),
        action: coop
            .may(Permission::PersonManage)
            .then(|| paths::person_contract(&coop.slug, id)),
        first: history.is_empty(),
        bases: ContributionBase::ALL
            .iter()
            .map(|b| {
                Choice::new(
                    b.code(),
                    t.get(&format!("contract.base.{}", b.code())),
                    f.contribution_base == b.code(),
                )
            })
            .collect(),
        f,
        errors,
        l: page.layout.clone(),
    })
}

pub async fn show(Ctx { app, coop, page }: Ctx, Id(id): Id<PersonId>) -> PageResult {
    let p = page_of(&app, &page, &coop, id, None, Errors::default()).await?;
    Ok(render(&p))
}

pub async fn record(
    Ctx { app, coop, page }: Ctx,
    Id(id): Id<PersonId>,
    Form(f): Form<ContractForm>,
) -> PageResult {
    let outcome = contracts::record(&app, &coop, id, &f).await;
    let to = |_| paths::person_contract(&coop.slug, id);
    forms::submit(&page, outcome, to, async |errors| {
        Ok(render(
            &page_of(&app, &page, &coop, id, Some(f), errors).await?,
        ))
    })
    .await
}

#[derive(Deserialize)]
pub struct PdfQuery {
    version: Option<u32>,
}

/// The contract as a PDF attachment (the version in force, or `?version=N`).
pub async fn pdf(
    Ctx { app, coop, .. }: Ctx,
    Id(id): Id<PersonId>,
    axum::extract::Query(q): axum::extract::Query<PdfQuery>,
) -> PageResult {
    let (name, bytes) = contracts::pdf(&app, &coop, id, q.version).await?;
    Ok(download(&name, "application/pdf", bytes))
}

#[derive(Template)]
#[template(path = "contracts/template.html")]
pub struct TemplatePage {
    pub l: Layout,
    pub source: String,
    pub custom: bool,
    pub action: String,
    pub reset_action: String,
    pub errors: Errors,
    pub typst_error: String,
}

/// The contract template page, with what was typed and why it was refused, if it was.
fn template_page(page: &Page, coop: &CoopActor, source: String, custom: bool) -> TemplatePage {
    TemplatePage {
        source,
        custom,
        action: paths::contract_template(&coop.slug),
        reset_action: format!("{}/reset", paths::contract_template(&coop.slug)),
        errors: Errors::default(),
        typst_error: String::new(),
        l: page.layout.clone(),
    }
}

pub async fn template(Ctx { app, coop, page }: Ctx) -> PageResult {
    let (source, custom) = essaim_app::templates::contract_template(&app, &coop).await?;
    Ok(render(&template_page(&page, &coop, source, custom)))
}

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct TemplateForm {
    source: String,
}

pub async fn save_template(
    Ctx { app, coop, page }: Ctx,
    Form(f): Form<TemplateForm>,
) -> PageResult {
    let outcome = essaim_app::templates::save_contract_template(&app, &coop, &f.source).await;
    let to = |()| paths::contract_template(&coop.slug);
    forms::submit(&page, outcome, to, async |errors| {
        let typst_error = essaim_app::templates::template_error(&f.source).await;
        Ok(render(&TemplatePage {
            errors,
            typst_error: typst_error.unwrap_or_default(),
            ..template_page(&page, &coop, f.source.clone(), true)
        }))
    })
    .await
}

pub async fn reset_template(Ctx { app, coop, .. }: Ctx) -> PageResult {
    essaim_app::templates::reset_contract_template(&app, &coop).await?;
    Ok(Redirect::to(&paths::contract_template(&coop.slug)).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;
    use essaim_domain::contract::{CesaTerms, ContributionBase};
    use essaim_domain::money::Money;

    /// The amendment form is filled from the current version: an amount under one euro below zero
    /// was shown as `0,-50` (issue 18); it is now written by the domain's formatter.
    #[test]
    fn the_amendment_form_keeps_the_sign_of_an_amount_under_one_euro() {
        let version = ContractVersion {
            number: 1,
            effective_on: time::macros::date!(2026 - 01 - 05),
            summary: String::new(),
            terms: CesaTerms {
                objectives: String::new(),
                support: String::new(),
                contribution_rate: rust_decimal::Decimal::new(10, 0),
                contribution_base: ContributionBase::InvoicedExclTax,
                fixed_monthly_gross: Money::eur(-50),
                variable_method: String::new(),
                statutes_reference: String::new(),
                guarantees: String::new(),
                associate_procedure: String::new(),
            },
        };
        assert_eq!(terms_of(&version).fixed_monthly_gross, "-0,50");
        let mut version = version;
        version.terms.fixed_monthly_gross = Money::eur(180_050);
        assert_eq!(terms_of(&version).fixed_monthly_gross, "1800,50");
    }
}
