//! Customers, the catalogue of an activity, and the cooperative's selling settings.

use crate::error::{PageResult, render};
use crate::extract::Coop;
use crate::paths;
use crate::state::AppState;
use crate::view::Choice;
use crate::view::money;
use crate::view::{Errors, Layout, Page};
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect};
use essaim_app::selling::{self, ItemInput, SettingsInput};
use essaim_app::{AppError, CoopActor, activities};
use essaim_domain::FieldErrors;
use essaim_domain::access::{Permission, Target};
use essaim_domain::ids::{ActivityId, CatalogItemId, CustomerId};
use essaim_domain::selling::customer::{CustomerInput, EU_COUNTRIES, OTHER_COUNTRIES};
use essaim_domain::selling::{unit, vat};
use serde::Deserialize;

// ---------------------------------------------------------------------------------------------
// Customers

pub struct CustomerRow {
    pub href: String,
    pub name: String,
    pub kind: String,
    pub siren: String,
    pub city: String,
    pub shared: bool,
}

#[derive(Template)]
#[template(path = "customers/list.html")]
pub struct ListPage {
    pub l: Layout,
    pub rows: Vec<CustomerRow>,
    pub q: String,
    pub new_links: Vec<(String, String)>,
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub activity: String,
}

pub async fn list(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Query(q): Query<SearchQuery>,
) -> PageResult {
    let t = page.layout.t;
    let rows = selling::customers(&state.app, &coop, &q.q).await?;
    let acts = activities::names(&state.app, &coop)
        .await
        .unwrap_or_default();
    Ok(render(&ListPage {
        rows: rows
            .iter()
            .map(|c| CustomerRow {
                href: paths::customer(&coop.slug, c.customer_id),
                name: c.name.clone(),
                kind: t.get(&format!("customer_kind.{}", c.kind)).to_owned(),
                siren: c.siren.clone().unwrap_or_default(),
                city: format!("{} {}", c.postcode, c.city),
                shared: c.shared,
            })
            .collect(),
        new_links: acts
            .iter()
            .filter(|a| {
                coop.access
                    .allows(Permission::SaleManage, Target::Activity(a.0))
            })
            .map(|a| {
                (
                    format!("{}?activity={}", paths::new_customer(&coop.slug), a.0.get()),
                    t.fmt("customers.new_for", &[a.1.as_str()]),
                )
            })
            .collect(),
        q: q.q,
        l: page.layout.clone(),
    }))
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct CustomerForm {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub siret: String,
    #[serde(default)]
    pub siren: String,
    #[serde(default)]
    pub vat_number: String,
    #[serde(default)]
    pub electronic_address: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub address_line1: String,
    #[serde(default)]
    pub address_line2: String,
    #[serde(default)]
    pub postcode: String,
    #[serde(default)]
    pub city: String,
    #[serde(default)]
    pub country: String,
    #[serde(default)]
    pub delivery_line1: String,
    #[serde(default)]
    pub delivery_line2: String,
    #[serde(default)]
    pub delivery_postcode: String,
    #[serde(default)]
    pub delivery_city: String,
    #[serde(default)]
    pub delivery_country: String,
    #[serde(default)]
    pub payment_days: String,
    #[serde(default)]
    pub payment_end_of_month: String,
    #[serde(default)]
    pub shared: String,
    #[serde(default)]
    pub notes: String,
}

impl CustomerForm {
    pub fn input(&self) -> CustomerInput {
        CustomerInput {
            kind: self.kind.clone(),
            name: self.name.clone(),
            siret: self.siret.clone(),
            siren: self.siren.clone(),
            vat_number: self.vat_number.clone(),
            electronic_address: self.electronic_address.clone(),
            email: self.email.clone(),
            phone: self.phone.clone(),
            address_line1: self.address_line1.clone(),
            address_line2: self.address_line2.clone(),
            postcode: self.postcode.clone(),
            city: self.city.clone(),
            country: self.country.clone(),
            delivery_line1: self.delivery_line1.clone(),
            delivery_line2: self.delivery_line2.clone(),
            delivery_postcode: self.delivery_postcode.clone(),
            delivery_city: self.delivery_city.clone(),
            delivery_country: self.delivery_country.clone(),
            payment_days: self.payment_days.clone(),
            payment_end_of_month: self.payment_end_of_month == "on",
            shared: self.shared == "on",
            notes: self.notes.clone(),
        }
    }
    fn from_input(i: &CustomerInput) -> CustomerForm {
        let on = |b: bool| if b { "on".to_owned() } else { String::new() };
        CustomerForm {
            kind: i.kind.clone(),
            name: i.name.clone(),
            siret: i.siret.clone(),
            siren: i.siren.clone(),
            vat_number: i.vat_number.clone(),
            electronic_address: i.electronic_address.clone(),
            email: i.email.clone(),
            phone: i.phone.clone(),
            address_line1: i.address_line1.clone(),
            address_line2: i.address_line2.clone(),
            postcode: i.postcode.clone(),
            city: i.city.clone(),
            country: i.country.clone(),
            delivery_line1: i.delivery_line1.clone(),
            delivery_line2: i.delivery_line2.clone(),
            delivery_postcode: i.delivery_postcode.clone(),
            delivery_city: i.delivery_city.clone(),
            delivery_country: i.delivery_country.clone(),
            payment_days: i.payment_days.clone(),
            payment_end_of_month: on(i.payment_end_of_month),
            shared: on(i.shared),
            notes: i.notes.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "customers/form.html")]
pub struct FormPage {
    pub l: Layout,
    pub heading: String,
    pub action: String,
    pub f: CustomerForm,
    pub kinds: Vec<Choice>,
    pub countries: Vec<Choice>,
    pub delivery_countries: Vec<Choice>,
    pub errors: Errors,
    pub editable: bool,
    pub same_siren: Vec<(String, String)>,
    pub saved: bool,
}

fn country_choices(selected: &str) -> Vec<Choice> {
    let mut all: Vec<&str> = EU_COUNTRIES
        .iter()
        .chain(OTHER_COUNTRIES.iter())
        .copied()
        .collect();
    all.sort_unstable();
    all.into_iter()
        .map(|c| Choice {
            value: c.into(),
            label: c.into(),
            selected: c == selected,
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
async fn form_page(
    state: &AppState,
    page: &Page,
    coop: &CoopActor,
    heading: String,
    action: String,
    f: CustomerForm,
    errors: &FieldErrors,
    editable: bool,
    except: Option<CustomerId>,
    saved: bool,
) -> PageResult {
    let t = page.layout.t;
    let siren: String = f
        .siret
        .chars()
        .filter(char::is_ascii_digit)
        .take(9)
        .collect();
    let siren = if siren.len() == 9 {
        siren
    } else {
        f.siren.trim().replace(' ', "")
    };
    let same_siren = if siren.len() == 9 {
        selling::same_siren(&state.app, coop, &siren, except)
            .await?
            .into_iter()
            .map(|(id, name)| (paths::customer(&coop.slug, id), name))
            .collect()
    } else {
        Vec::new()
    };
    Ok(render(&FormPage {
        heading,
        action,
        kinds: ["company", "individual"]
            .iter()
            .map(|k| Choice {
                value: (*k).into(),
                label: t.get(&format!("customer_kind.{k}")).into(),
                selected: f.kind == *k,
            })
            .collect(),
        countries: country_choices(if f.country.is_empty() {
            "FR"
        } else {
            &f.country
        }),
        delivery_countries: country_choices(&f.delivery_country),
        errors: Errors::from(errors, t),
        editable,
        same_siren,
        saved,
        f,
        l: page.layout.clone(),
    }))
}

pub async fn new(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Query(q): Query<SearchQuery>,
) -> PageResult {
    let Ok(activity) = q.activity.parse::<i64>() else {
        return Ok(Redirect::to(&paths::customers(&coop.slug)).into_response());
    };
    if !coop.access.allows(
        Permission::SaleManage,
        Target::Activity(ActivityId::new(activity)),
    ) {
        return Err(AppError::Forbidden.into());
    }
    let f = CustomerForm {
        kind: "company".into(),
        country: "FR".into(),
        payment_days: "30".into(),
        ..CustomerForm::default()
    };
    form_page(
        &state,
        &page,
        &coop,
        page.layout.t.get("customers.new").into(),
        format!("{}?activity={activity}", paths::customers(&coop.slug)),
        f,
        &FieldErrors::new(),
        true,
        None,
        false,
    )
    .await
}

pub async fn create(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Query(q): Query<SearchQuery>,
    Form(f): Form<CustomerForm>,
) -> PageResult {
    let activity: i64 = q
        .activity
        .parse()
        .map_err(|_| AppError::NotFound("activity"))?;
    match selling::create_customer(&state.app, &coop, ActivityId::new(activity), &f.input()).await {
        Ok(id) => Ok(Redirect::to(&format!(
            "{}?saved=1",
            paths::customer(&coop.slug, id.get())
        ))
        .into_response()),
        Err(AppError::Invalid(e)) => form_page(
            &state,
            &page,
            &coop,
            page.layout.t.get("customers.new").into(),
            format!("{}?activity={activity}", paths::customers(&coop.slug)),
            f,
            &e,
            true,
            None,
            false,
        )
        .await
        .map(crate::view::unprocessable),
        Err(e) => Err(e.into()),
    }
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct SavedQuery {
    #[serde(default)]
    pub saved: String,
}

pub async fn show(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Path((_, id)): Path<(String, i64)>,
    Query(q): Query<SavedQuery>,
) -> PageResult {
    let c = selling::customer(&state.app, &coop, CustomerId::new(id)).await?;
    let editable = coop.access.allows(
        Permission::SaleManage,
        Target::Activity(ActivityId::new(c.activity_id)),
    );
    let f = CustomerForm::from_input(&selling::customer_input(&c));
    form_page(
        &state,
        &page,
        &coop,
        c.name.clone(),
        paths::customer(&coop.slug, id),
        f,
        &FieldErrors::new(),
        editable,
        Some(CustomerId::new(id)),
        !q.saved.is_empty(),
    )
    .await
}

pub async fn update(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Path((_, id)): Path<(String, i64)>,
    Form(f): Form<CustomerForm>,
) -> PageResult {
    match selling::update_customer(&state.app, &coop, CustomerId::new(id), &f.input()).await {
        Ok(()) => Ok(
            Redirect::to(&format!("{}?saved=1", paths::customer(&coop.slug, id))).into_response(),
        ),
        Err(AppError::Invalid(e)) => form_page(
            &state,
            &page,
            &coop,
            f.name.clone(),
            paths::customer(&coop.slug, id),
            f,
            &e,
            true,
            Some(CustomerId::new(id)),
            false,
        )
        .await
        .map(crate::view::unprocessable),
        Err(e) => Err(e.into()),
    }
}

// ---------------------------------------------------------------------------------------------
// Catalogue

pub struct ItemRow {
    pub href: String,
    pub label: String,
    pub unit: String,
    pub price: String,
    pub vat: String,
    pub nature: String,
    pub archived: bool,
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct ItemForm {
    #[serde(default)]
    pub label: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub unit_price: String,
    #[serde(default)]
    pub vat: String,
    #[serde(default)]
    pub goods: String,
    #[serde(default)]
    pub archived: String,
}

impl ItemForm {
    fn input(&self) -> ItemInput {
        ItemInput {
            label: self.label.clone(),
            description: self.description.clone(),
            unit: self.unit.clone(),
            unit_price: self.unit_price.clone(),
            vat: self.vat.clone(),
            goods: self.goods == "on",
            archived: self.archived == "on",
        }
    }
}

#[derive(Template)]
#[template(path = "customers/catalog.html")]
pub struct CatalogPage {
    pub l: Layout,
    pub heading: String,
    pub activity_href: String,
    pub rows: Vec<ItemRow>,
    pub editable: bool,
    pub action: String,
    pub f: ItemForm,
    pub units: Vec<Choice>,
    pub vats: Vec<Choice>,
    pub errors: Errors,
    pub editing: bool,
}

fn unit_choices(selected: &str) -> Vec<Choice> {
    unit::UNITS
        .iter()
        .map(|u| Choice {
            value: u.code.into(),
            label: format!("{} ({})", u.singular, u.code),
            selected: u.code == selected,
        })
        .collect()
}

fn vat_choices(today: time::Date, selected: &str) -> Vec<Choice> {
    vat::offered(today, true)
        .iter()
        .map(|v| Choice {
            value: v.code.into(),
            label: v.label.into(),
            selected: v.code == selected,
        })
        .collect()
}

async fn catalog_page(
    state: &AppState,
    page: &Page,
    coop: &CoopActor,
    activity: ActivityId,
    f: ItemForm,
    errors: &FieldErrors,
) -> PageResult {
    let t = page.layout.t;
    let a = activities::show(&state.app, coop, activity).await?;
    let items = selling::items(&state.app, coop, activity, true).await?;
    let today = state.app.clock.today();
    Ok(render(&CatalogPage {
        heading: t.fmt("catalog.heading", &[a.details.name.as_str()]),
        activity_href: paths::activity(&coop.slug, activity.get()),
        rows: items
            .iter()
            .map(|i| ItemRow {
                href: paths::catalog_item(&coop.slug, i.catalog_item_id),
                label: i.label.clone(),
                unit: unit::parse_unit(&i.unit)
                    .map(|u| u.singular.to_owned())
                    .unwrap_or_default(),
                price: format!("{} €", crate::view::stored_price(&i.unit_price)),
                vat: vat::option(&i.vat_code, today)
                    .map(|v| v.label.to_owned())
                    .unwrap_or_default(),
                nature: t
                    .get(if i.goods {
                        "catalog.goods"
                    } else {
                        "catalog.services"
                    })
                    .into(),
                archived: i.archived,
            })
            .collect(),
        editable: coop
            .access
            .allows(Permission::SaleManage, Target::Activity(activity)),
        action: paths::catalog(&coop.slug, activity.get()),
        units: unit_choices(if f.unit.is_empty() { "HUR" } else { &f.unit }),
        vats: vat_choices(today, if f.vat.is_empty() { "fr20" } else { &f.vat }),
        f,
        errors: Errors::from(errors, t),
        editing: false,
        l: page.layout.clone(),
    }))
}

pub async fn catalog(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Path((_, id)): Path<(String, i64)>,
) -> PageResult {
    catalog_page(
        &state,
        &page,
        &coop,
        ActivityId::new(id),
        ItemForm::default(),
        &FieldErrors::new(),
    )
    .await
}

pub async fn add_item(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Path((_, id)): Path<(String, i64)>,
    Form(f): Form<ItemForm>,
) -> PageResult {
    match selling::create_item(&state.app, &coop, ActivityId::new(id), &f.input()).await {
        Ok(_) => Ok(Redirect::to(&paths::catalog(&coop.slug, id)).into_response()),
        Err(AppError::Invalid(e)) => catalog_page(&state, &page, &coop, ActivityId::new(id), f, &e)
            .await
            .map(crate::view::unprocessable),
        Err(e) => Err(e.into()),
    }
}

async fn item_page(
    state: &AppState,
    page: &Page,
    coop: &CoopActor,
    id: i64,
    f: Option<ItemForm>,
    errors: &FieldErrors,
) -> PageResult {
    let t = page.layout.t;
    let item = selling::item(&state.app, coop, CatalogItemId::new(id)).await?;
    let today = state.app.clock.today();
    let f = f.unwrap_or_else(|| ItemForm {
        label: item.label.clone(),
        description: item.description.clone().unwrap_or_default(),
        unit: item.unit.clone(),
        unit_price: crate::view::stored_price(&item.unit_price),
        vat: item.vat_code.clone(),
        goods: if item.goods {
            "on".into()
        } else {
            String::new()
        },
        archived: if item.archived {
            "on".into()
        } else {
            String::new()
        },
    });
    Ok(render(&CatalogPage {
        heading: item.label.clone(),
        activity_href: paths::catalog(&coop.slug, item.activity_id),
        rows: Vec::new(),
        editable: coop.access.allows(
            Permission::SaleManage,
            Target::Activity(ActivityId::new(item.activity_id)),
        ),
        action: paths::catalog_item(&coop.slug, id),
        units: unit_choices(&f.unit),
        vats: vat_choices(today, &f.vat),
        f,
        errors: Errors::from(errors, t),
        editing: true,
        l: page.layout.clone(),
    }))
}

pub async fn item(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Path((_, id)): Path<(String, i64)>,
) -> PageResult {
    item_page(&state, &page, &coop, id, None, &FieldErrors::new()).await
}

pub async fn update_item(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Path((_, id)): Path<(String, i64)>,
    Form(f): Form<ItemForm>,
) -> PageResult {
    match selling::update_item(&state.app, &coop, CatalogItemId::new(id), &f.input()).await {
        Ok(()) => {
            let item = selling::item(&state.app, &coop, CatalogItemId::new(id)).await?;
            Ok(Redirect::to(&paths::catalog(&coop.slug, item.activity_id)).into_response())
        }
        Err(AppError::Invalid(e)) => item_page(&state, &page, &coop, id, Some(f), &e)
            .await
            .map(crate::view::unprocessable),
        Err(e) => Err(e.into()),
    }
}

// ---------------------------------------------------------------------------------------------
// Selling settings

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
