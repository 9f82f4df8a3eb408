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

async fn lists_page(
    app: &App,
    page: &Page,
    coop: &CoopActor,
    errors: Errors,
) -> Result<ListsPage, AppError> {
    let t = page.layout.t;
    let items = people::lists(app, coop).await?;
    Ok(ListsPage {
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
    })
}

pub async fn lists(Ctx { app, coop, page }: Ctx) -> PageResult {
    let p = lists_page(&app, &page, &coop, Errors::default()).await?;
    Ok(render(&p))
}

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct AddItemForm {
    list: String,
    label: String,
}

pub async fn add_item(Ctx { app, coop, page }: Ctx, Form(f): Form<AddItemForm>) -> PageResult {
    Ok(
        match people::add_list_item(&app, &coop, &f.list, &f.label).await {
            Ok(()) => Redirect::to(&paths::lists(&coop.slug)).into_response(),
            Err(AppError::Invalid(errors)) => {
                let mut shown = Errors::from(&errors, page.layout.t);
                if let Some(m) = shown.0.remove("label") {
                    shown.0.insert(format!("label-{}", f.list), m);
                }
                match lists_page(&app, &page, &coop, shown).await {
                    Ok(p) => render_status(StatusCode::UNPROCESSABLE_ENTITY, &p),
                    Err(e) => return Err(e.into()),
                }
            }
            Err(e) => return Err(e.into()),
        },
    )
}

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct UpdateItemForm {
    label: String,
    active: Option<String>,
}

pub async fn update_item(
    Ctx { app, coop, page }: Ctx,
    Path((_, id)): Path<(String, i64)>,
    Form(f): Form<UpdateItemForm>,
) -> PageResult {
    Ok(
        match people::update_list_item(&app, &coop, id, &f.label, f.active.is_some()).await {
            Ok(()) => Redirect::to(&paths::lists(&coop.slug)).into_response(),
            Err(AppError::Invalid(errors)) => {
                let shown = Errors::from(&errors, page.layout.t);
                match lists_page(
                    &app,
                    &page,
                    &coop,
                    Errors(
                        shown
                            .0
                            .into_values()
                            .map(|m| (format!("item-{id}"), m))
                            .collect(),
                    ),
                )
                .await
                {
                    Ok(p) => render_status(StatusCode::UNPROCESSABLE_ENTITY, &p),
                    Err(e) => return Err(e.into()),
                }
            }
            Err(e) => return Err(e.into()),
        },
    )
}
