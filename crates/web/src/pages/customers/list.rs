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
#[serde(default)]
pub struct SearchQuery {
    pub q: String,
    pub activity: String,
}

pub async fn list(Ctx { app, coop, page }: Ctx, Query(q): Query<SearchQuery>) -> PageResult {
    let t = page.layout.t;
    let rows = selling::customers(&app, &coop, &q.q).await?;
    let acts = activities::names(&app, &coop).await.unwrap_or_default();
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

#[derive(Template)]
#[template(path = "customers/form.html")]
pub struct FormPage {
    pub l: Layout,
    pub heading: String,
    pub action: String,
    pub f: CustomerInput,
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
        .map(|c| Choice::new(c, c, c == selected))
        .collect()
}

/// What the customer form shows around its fields.
struct Screen {
    heading: String,
    action: String,
    editable: bool,
    /// The customer shown, left out of the "same SIREN" list.
    existing: Option<CustomerId>,
    saved: bool,
}

impl Screen {
    fn new(coop: &CoopActor, t: crate::i18n::Tr, activity: i64) -> Screen {
        Screen {
            heading: t.get("customers.new").into(),
            action: format!("{}?activity={activity}", paths::customers(&coop.slug)),
            editable: true,
            existing: None,
            saved: false,
        }
    }
    fn existing(coop: &CoopActor, heading: String, id: CustomerId) -> Screen {
        Screen {
            heading,
            action: paths::customer(&coop.slug, id.get()),
            editable: true,
            existing: Some(id),
            saved: false,
        }
    }
}

async fn form_page(
    app: &App,
    page: &Page,
    coop: &CoopActor,
    s: Screen,
    f: CustomerInput,
    errors: Errors,
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
        selling::same_siren(app, coop, &siren, s.existing)
            .await?
            .into_iter()
            .map(|(id, name)| (paths::customer(&coop.slug, id), name))
            .collect()
    } else {
        Vec::new()
    };
    Ok(render(&FormPage {
        heading: s.heading,
        action: s.action,
        kinds: ["company", "individual"]
            .iter()
            .map(|k| Choice::new(*k, t.get(&format!("customer_kind.{k}")), f.kind == *k))
            .collect(),
        countries: country_choices(if f.country.is_empty() {
            "FR"
        } else {
            &f.country
        }),
        delivery_countries: country_choices(&f.delivery_country),
        errors,
        editable: s.editable,
        same_siren,
        saved: s.saved,
        f,
        l: page.layout.clone(),
    }))
}

pub async fn new(Ctx { app, coop, page }: Ctx, Query(q): Query<SearchQuery>) -> PageResult {
    let Ok(activity) = q.activity.parse::<i64>() else {
        return Ok(Redirect::to(&paths::customers(&coop.slug)).into_response());
    };
    if !coop.access.allows(
        Permission::SaleManage,
        Target::Activity(ActivityId::new(activity)),
    ) {
        return Err(AppError::Forbidden.into());
    }
    let f = CustomerInput {
        kind: "company".into(),
        country: "FR".into(),
        payment_days: "30".into(),
        ..CustomerInput::default()
    };
    let s = Screen::new(&coop, page.layout.t, activity);
    form_page(&app, &page, &coop, s, f, Errors::default()).await
}

pub async fn create(
    Ctx { app, coop, page }: Ctx,
    Query(q): Query<SearchQuery>,
    Form(f): Form<CustomerInput>,
) -> PageResult {
    let activity: i64 = q
        .activity
        .parse()
        .map_err(|_| AppError::NotFound("activity"))?;
    let outcome = selling::create_customer(&app, &coop, ActivityId::new(activity), &f).await;
    let to = |id: CustomerId| format!("{}?saved=1", paths::customer(&coop.slug, id.get()));
    forms::submit(&page, outcome, to, async |errors| {
        let s = Screen::new(&coop, page.layout.t, activity);
        form_page(&app, &page, &coop, s, f, errors).await
    })
    .await
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct SavedQuery {
    pub saved: String,
}

pub async fn show(
    Ctx { app, coop, page }: Ctx,
    Id(id): Id<CustomerId>,
    Query(q): Query<SavedQuery>,
) -> PageResult {
    let c = selling::customer(&app, &coop, id).await?;
    let s = Screen {
        editable: coop.access.allows(
            Permission::SaleManage,
            Target::Activity(ActivityId::new(c.activity_id)),
        ),
        saved: !q.saved.is_empty(),
        ..Screen::existing(&coop, c.name.clone(), id)
    };
    let f = selling::customer_input(&c);
    form_page(&app, &page, &coop, s, f, Errors::default()).await
}

pub async fn update(
    Ctx { app, coop, page }: Ctx,
    Id(id): Id<CustomerId>,
    Form(f): Form<CustomerInput>,
) -> PageResult {
    let outcome = selling::update_customer(&app, &coop, id, &f).await;
    let to = |()| format!("{}?saved=1", paths::customer(&coop.slug, id.get()));
    forms::submit(&page, outcome, to, async |errors| {
        let s = Screen::existing(&coop, f.name.clone(), id);
        form_page(&app, &page, &coop, s, f, errors).await
    })
    .await
}
