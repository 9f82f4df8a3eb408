//! Customers: the list, the form and a customer's page.

use super::*;

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
