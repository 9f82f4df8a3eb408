//! The catalogue of an activity: its items and their form.

use super::*;

pub struct ItemRow {
    pub href: String,
    pub label: String,
    pub unit: String,
    pub price: String,
    pub vat: String,
    pub nature: String,
    pub archived: bool,
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
    pub f: ItemInput,
    pub units: Vec<Choice>,
    pub vats: Vec<Choice>,
    pub errors: Errors,
    pub editing: bool,
}

fn unit_choices(selected: &str) -> Vec<Choice> {
    unit::UNITS
        .iter()
        .map(|u| {
            Choice::new(
                u.code,
                format!("{} ({})", u.singular, u.code),
                u.code == selected,
            )
        })
        .collect()
}

fn vat_choices(today: time::Date, selected: &str) -> Vec<Choice> {
    vat::offered(today, true)
        .iter()
        .map(|v| Choice::new(v.code, v.label, v.code == selected))
        .collect()
}

async fn catalog_page(
    app: &App,
    page: &Page,
    coop: &CoopActor,
    activity: ActivityId,
    f: ItemInput,
    errors: Errors,
) -> PageResult {
    let t = page.layout.t;
    let a = activities::show(app, coop, activity).await?;
    let items = selling::items(app, coop, activity, true).await?;
    let today = app.clock.today();
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
        errors,
        editing: false,
        l: page.layout.clone(),
    }))
}

pub async fn catalog(Ctx { app, coop, page }: Ctx, Id(id): Id<ActivityId>) -> PageResult {
    catalog_page(
        &app,
        &page,
        &coop,
        id,
        ItemInput::default(),
        Errors::default(),
    )
    .await
}

pub async fn add_item(
    Ctx { app, coop, page }: Ctx,
    Id(id): Id<ActivityId>,
    Form(f): Form<ItemInput>,
) -> PageResult {
    let outcome = selling::create_item(&app, &coop, id, &f).await;
    forms::submit(
        &page,
        outcome,
        |_| paths::catalog(&coop.slug, id),
        async |errors| catalog_page(&app, &page, &coop, id, f, errors).await,
    )
    .await
}

async fn item_page(
    app: &App,
    page: &Page,
    coop: &CoopActor,
    id: CatalogItemId,
    f: Option<ItemInput>,
    errors: Errors,
) -> PageResult {
    let item = selling::item(app, coop, id).await?;
    let today = app.clock.today();
    let f = f.unwrap_or_else(|| ItemInput {
        label: item.label.clone(),
        description: item.description.clone().unwrap_or_default(),
        unit: item.unit.clone(),
        unit_price: crate::view::stored_price(&item.unit_price),
        vat: item.vat_code.clone(),
        goods: item.goods,
        archived: item.archived,
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
        errors,
        editing: true,
        l: page.layout.clone(),
    }))
}

pub async fn item(Ctx { app, coop, page }: Ctx, Id(id): Id<CatalogItemId>) -> PageResult {
    item_page(&app, &page, &coop, id, None, Errors::default()).await
}

pub async fn update_item(
    Ctx { app, coop, page }: Ctx,
    Id(id): Id<CatalogItemId>,
    Form(f): Form<ItemInput>,
) -> PageResult {
    let outcome = match selling::update_item(&app, &coop, id, &f).await {
        Ok(()) => selling::item(&app, &coop, id).await.map(|i| i.activity_id),
        Err(e) => Err(e),
    };
    let to = |activity| paths::catalog(&coop.slug, activity);
    forms::submit(&page, outcome, to, async |errors| {
        item_page(&app, &page, &coop, id, Some(f), errors).await
    })
    .await
}
