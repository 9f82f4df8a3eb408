//! People: the cooperative's reference lists (antennas, prescribers…).

use super::*;

pub struct ListView {
    pub title: String,
    pub code: String,
    pub items: Vec<ItemView>,
}

pub struct ItemView {
    pub id: i64,
    pub label: String,
    pub code: String,
    pub active: bool,
    pub action: String,
}

#[derive(Template)]
#[template(path = "people/lists.html")]
pub struct ListsPage {
    pub l: Layout,
    pub lists: Vec<ListView>,
    pub add_action: String,
    pub errors: Errors,
}

async fn lists_page(app: &App, page: &Page, coop: &CoopActor, errors: Errors) -> PageResult {
    let t = page.layout.t;
    let items = people::lists(app, coop).await?;
    Ok(render(&ListsPage {
        lists: RefList::ALL
            .iter()
            .map(|list| ListView {
                title: t.get(&format!("list.{}", list.code())).into(),
                code: list.code().into(),
                items: items
                    .iter()
                    .filter(|i| i.list == list.code())
                    .map(|i| ItemView {
                        id: i.reference_item_id,
                        label: i.label.clone(),
                        code: i.code.clone(),
                        active: i.active,
                        action: paths::list_item(&coop.slug, i.reference_item_id),
                    })
                    .collect(),
            })
            .collect(),
        add_action: paths::lists(&coop.slug),
        errors,
        l: page.layout.clone(),
    }))
}

pub async fn lists(Ctx { app, coop, page }: Ctx) -> PageResult {
    lists_page(&app, &page, &coop, Errors::default()).await
}

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct AddItemForm {
    list: String,
    label: String,
}

pub async fn add_item(Ctx { app, coop, page }: Ctx, Form(f): Form<AddItemForm>) -> PageResult {
    let outcome = people::add_list_item(&app, &coop, &f.list, &f.label).await;
    forms::submit(
        &page,
        outcome,
        |()| paths::lists(&coop.slug),
        async |mut shown| {
            // Each list has its own "add" field.
            if let Some(m) = shown.0.remove("label") {
                shown.0.insert(format!("label-{}", f.list), m);
            }
            lists_page(&app, &page, &coop, shown).await
        },
    )
    .await
}

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct UpdateItemForm {
    label: String,
    active: Option<String>,
}

pub async fn update_item(
    Ctx { app, coop, page }: Ctx,
    Id(id): Id<i64>,
    Form(f): Form<UpdateItemForm>,
) -> PageResult {
    let outcome = people::update_list_item(&app, &coop, id, &f.label, f.active.is_some()).await;
    forms::submit(
        &page,
        outcome,
        |()| paths::lists(&coop.slug),
        async |shown| {
            // Each item has its own form: its error is told beside it.
            let item = format!("item-{id}");
            let errors = Errors(shown.0.into_values().map(|m| (item.clone(), m)).collect());
            lists_page(&app, &page, &coop, errors).await
        },
    )
    .await
}
