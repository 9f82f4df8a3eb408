//! Host administration: the cooperatives of the deployment (names and numbers only) and creating one.

use super::settings::{CooperativeForm, CooperativeFormPage, legal_forms};
use crate::pages::prelude::*;
use essaim_app::cooperatives;
use essaim_app::records::CooperativeSummary;
use essaim_domain::cooperative::CooperativeInput;

#[derive(Template)]
#[template(path = "admin/list.html")]
pub struct HostListPage {
    pub l: Layout,
    pub coops: Vec<CooperativeSummary>,
    pub new_href: String,
}

pub async fn list(Me { app, actor, page }: Me) -> PageResult {
    let coops = cooperatives::list_for_host(&app, &actor).await?;
    Ok(render(&HostListPage {
        l: page.layout,
        coops,
        new_href: paths::admin_new_cooperative(),
    }))
}

fn form_page(page: &Page, f: CooperativeForm, errors: Errors) -> CooperativeFormPage {
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
        einvoicing_href: String::new(),
        l: page.layout.clone(),
    }
}

pub async fn new(page: Page) -> Response {
    let identity = CooperativeInput {
        fiscal_year_start_month: "1".into(),
        fiscal_year_start_day: "1".into(),
        legal_form: "scop_sarl".into(),
        ..Default::default()
    };
    let f = CooperativeForm {
        identity,
        first_admin: String::new(),
    };
    render(&form_page(&page, f, Errors::default()))
}

pub async fn create(Me { app, actor, page }: Me, Form(f): Form<CooperativeForm>) -> PageResult {
    let first_admin = Some(f.first_admin.as_str());
    let outcome = cooperatives::create(&app, Some(&actor), &f.identity, first_admin).await;
    forms::submit(
        &page,
        outcome,
        |_| paths::admin_cooperatives(),
        async |errors| Ok(render(&form_page(&page, f.clone(), errors))),
    )
    .await
}
