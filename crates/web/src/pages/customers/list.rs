//! Customers: the list, the form and a customer's page.

use super::*;
use crate::view::datetime;
use essaim_app::einvoicing::directory as einvoicing_directory;

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
    /// EIN-41: what the e-invoicing directory said of this customer, for French businesses of a
    /// connected cooperative.
    pub directory: Option<DirectoryBox>,
}

pub struct DirectoryBox {
    /// What the directory said, in words; empty before it was asked.
    pub said: String,
    pub reachable: bool,
    pub checked: String,
    pub action: String,
    /// The outcome of "check now" when the directory did not answer.
    pub failure: Option<String>,
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
    /// The directory could not answer "check now": why.
    directory_failure: Option<String>,
}

impl Screen {
    fn new(coop: &CoopActor, t: crate::i18n::Tr, activity: i64) -> Screen {
        Screen {
            heading: t.get("customers.new").into(),
            action: format!("{}?activity={activity}", paths::customers(&coop.slug)),
            editable: true,
            existing: None,
            saved: false,
            directory_failure: None,
        }
    }
    fn existing(coop: &CoopActor, heading: String, id: CustomerId) -> Screen {
        Screen {
            heading,
            action: paths::customer(&coop.slug, id.get()),
            editable: true,
            existing: Some(id),
            saved: false,
            directory_failure: None,
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
    let directory = match s.existing {
        Some(id)
            if f.kind == "company"
                && (f.country.is_empty() || f.country == "FR")
                && siren.len() == 9
                && einvoicing_directory::available(app, coop).await? =>
        {
            let d = einvoicing_directory::of_customer(app, coop, id).await?;
            Some(DirectoryBox {
                said: d
                    .as_ref()
                    .map(|d| match &d.address {
                        Some(a) => t.fmt("directory_state.reachable_at", &[a]),
                        None => t.get(&format!("directory_state.{}", d.state)).to_owned(),
                    })
                    .unwrap_or_default(),
                reachable: d.as_ref().is_some_and(|d| d.state == "reachable"),
                checked: d.map(|d| datetime(d.checked_at)).unwrap_or_default(),
                action: format!("{}/directory", paths::customer(&coop.slug, id.get())),
                failure: s.directory_failure.clone(),
            })
        }
        _ => None,
    };
    Ok(render(&FormPage {
        directory,
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
    if let Ok(id) = &outcome {
        einvoicing_directory::check_later(&app, &coop, *id);
    }
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
    if outcome.is_ok() {
        einvoicing_directory::check_later(&app, &coop, id);
    }
    let to = |()| format!("{}?saved=1", paths::customer(&coop.slug, id.get()));
    forms::submit(&page, outcome, to, async |errors| {
        let s = Screen::existing(&coop, f.name.clone(), id);
        form_page(&app, &page, &coop, s, f, errors).await
    })
    .await
}

/// "Check in the directory now" (EIN-41): back to the customer's page with the answer, or with
/// why the directory could not answer.
pub async fn check_directory(Ctx { app, coop, page }: Ctx, Id(id): Id<CustomerId>) -> PageResult {
    let t = page.layout.t;
    match einvoicing_directory::check(&app, &coop, id).await? {
        Ok(_) => Ok(Redirect::to(&paths::customer(&coop.slug, id.get())).into_response()),
        Err(why) => {
            let c = selling::customer(&app, &coop, id).await?;
            let s = Screen {
                editable: coop.access.allows(
                    Permission::SaleManage,
                    Target::Activity(ActivityId::new(c.activity_id)),
                ),
                directory_failure: Some(t.fmt("directory.failed", &[&why])),
                ..Screen::existing(&coop, c.name.clone(), id)
            };
            let f = selling::customer_input(&c);
            form_page(&app, &page, &coop, s, f, Errors::default()).await
        }
    }
}
