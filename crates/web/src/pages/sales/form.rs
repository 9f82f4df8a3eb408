//! Sale documents: the draft form with its lines.

use super::*;

pub struct LineView {
    pub index: usize,
    pub section: bool,
    pub label: String,
    pub description: String,
    pub quantity: String,
    pub units: Vec<Choice>,
    pub unit_price: String,
    pub vats: Vec<Choice>,
    pub discount: String,
    pub goods: bool,
    pub errors: Vec<(String, String)>,
}

impl LineView {
    pub fn error(&self, field: &str) -> &str {
        self.errors
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
            .unwrap_or("")
    }
}

#[derive(Template)]
#[template(path = "sales/form.html")]
pub struct FormPage {
    pub l: Layout,
    pub heading: String,
    pub action: String,
    pub quote: bool,
    pub f: FormValues,
    pub customers: Vec<Choice>,
    pub new_customer_href: String,
    pub lines: Vec<LineView>,
    pub catalog: Vec<Choice>,
    pub errors: Errors,
    pub notice: Option<String>,
}

#[derive(Clone, Debug, Default)]
pub struct FormValues {
    pub customer_id: String,
    pub doc_date: String,
    pub valid_until: String,
    pub delivery_date: String,
    pub purchase_order: String,
    pub ttc: bool,
    pub overall_discount: String,
    pub notes: String,
    pub payment_days: String,
    pub payment_end_of_month: bool,
}

/// Reads the flat form: head fields, then `l{i}.label`, `l{i}.quantity`… for `i < rows`.
fn read_form(pairs: &[(String, String)]) -> (DocInput, String, String) {
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let rows: usize = get("rows").parse().unwrap_or(0).min(500);
    let mut lines = Vec::new();
    for i in 0..rows {
        let f = |name: &str| get(&format!("l{i}.{name}"));
        let line = LineInput {
            kind: if f("kind") == "section" {
                "section".into()
            } else {
                "item".into()
            },
            label: f("label"),
            description: f("description"),
            quantity: f("quantity"),
            unit: f("unit"),
            unit_price: f("unit_price"),
            vat: f("vat"),
            discount: f("discount"),
            goods: f("goods") == "on",
        };
        // A row left as offered (quantity 1, no label, no price) is not a line.
        let blank = line.label.trim().is_empty()
            && line.unit_price.trim().is_empty()
            && line.description.trim().is_empty();
        if !blank {
            lines.push(line);
        }
    }
    (
        DocInput {
            customer_id: get("customer_id"),
            doc_date: get("doc_date"),
            valid_until: get("valid_until"),
            delivery_date: get("delivery_date"),
            purchase_order: get("purchase_order"),
            price_basis: get("price_basis"),
            overall_discount: get("overall_discount"),
            notes: get("notes"),
            payment_days: get("payment_days"),
            payment_end_of_month: get("payment_end_of_month") == "on",
            lines,
        },
        get("action"),
        get("catalog_item"),
    )
}

fn values_of(i: &DocInput) -> FormValues {
    FormValues {
        customer_id: i.customer_id.clone(),
        doc_date: i.doc_date.clone(),
        valid_until: i.valid_until.clone(),
        delivery_date: i.delivery_date.clone(),
        purchase_order: i.purchase_order.clone(),
        ttc: i.price_basis == "ttc",
        overall_discount: i.overall_discount.clone(),
        notes: i.notes.clone(),
        payment_days: i.payment_days.clone(),
        payment_end_of_month: i.payment_end_of_month,
    }
}

/// Which document form is shown: its activity, kind, heading and address.
struct Screen {
    activity: ActivityId,
    kind: DocKind,
    heading: String,
    action: String,
}

/// The form of a document, with `blank_rows` empty lines after the typed ones.
async fn form_page(
    (app, page, coop): (&App, &Page, &CoopActor),
    s: Screen,
    input: &DocInput,
    blank_rows: usize,
    errors: Errors,
) -> PageResult {
    let t = page.layout.t;
    let Screen {
        activity,
        kind,
        heading,
        action,
    } = s;
    let today = app.clock.today();
    let customers = selling::customers(app, coop, "").await?;
    let catalog = selling::items(app, coop, activity, false).await?;
    let vat_options = vat::offered(today, true);
    let line_view = |index: usize, l: &LineInput| LineView {
        index,
        section: l.kind == "section",
        label: l.label.clone(),
        description: l.description.clone(),
        quantity: l.quantity.clone(),
        units: unit::UNITS
            .iter()
            .map(|u| Choice::new(u.code, u.singular, l.unit == u.code))
            .collect(),
        unit_price: l.unit_price.clone(),
        vats: vat_options
            .iter()
            .map(|v| Choice::new(v.code, v.label, l.vat == v.code))
            .collect(),
        discount: l.discount.clone(),
        goods: l.goods,
        errors: errors
            .0
            .iter()
            .filter_map(|(path, message)| {
                let field = path.strip_prefix(&format!("lines[{index}]."))?;
                Some((field.to_owned(), message.clone()))
            })
            .collect(),
    };
    let mut lines: Vec<LineView> = input
        .lines
        .iter()
        .enumerate()
        .map(|(i, l)| line_view(i, l))
        .collect();
    for _ in 0..blank_rows {
        let i = lines.len();
        lines.push(line_view(
            i,
            &LineInput {
                quantity: "1".into(),
                unit: "HUR".into(),
                vat: "fr20".into(),
                ..LineInput::default()
            },
        ));
    }
    Ok(render(&FormPage {
        heading,
        action,
        quote: kind == DocKind::Quote,
        f: values_of(input),
        customers: customers
            .iter()
            .filter(|c| c.activity_id == activity.get() || c.shared)
            .map(|c| {
                Choice::new(
                    c.customer_id.to_string(),
                    c.name.clone(),
                    input.customer_id == c.customer_id.to_string(),
                )
            })
            .collect(),
        new_customer_href: format!(
            "{}?activity={}",
            paths::new_customer(&coop.slug),
            activity.get()
        ),
        lines,
        catalog: catalog
            .iter()
            .map(|i| {
                Choice::new(
                    i.catalog_item_id.to_string(),
                    format!(
                        "{} — {} € HT / {}",
                        i.label,
                        stored_price(&i.unit_price),
                        unit::parse_unit(&i.unit).map(|u| u.singular).unwrap_or("")
                    ),
                    false,
                )
            })
            .collect(),
        notice: errors.any().then(|| t.get("form.has_errors").into()),
        errors,
        l: page.layout.clone(),
    }))
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct NewQuery {
    pub kind: String,
    pub activity: String,
}

pub async fn new(Ctx { app, coop, page }: Ctx, Query(q): Query<NewQuery>) -> PageResult {
    // Without a kind and an activity (an old bookmark), the lists offer the right buttons.
    let (Some(kind), Ok(activity)) = (
        DocKind::parse(&q.kind).filter(|k| matches!(k, DocKind::Quote | DocKind::Invoice)),
        q.activity.parse::<i64>(),
    ) else {
        return Ok(Redirect::to(&paths::invoices(&coop.slug)).into_response());
    };
    let activity = ActivityId::new(activity);
    if !coop
        .access
        .allows(Permission::SaleManage, Target::Activity(activity))
    {
        return Err(AppError::Forbidden.into());
    }
    let today = app.clock.today();
    let input = DocInput {
        doc_date: today.to_string(),
        valid_until: (today + time::Duration::days(30)).to_string(),
        ..DocInput::default()
    };
    let screen = new_screen(&coop, page.layout.t, activity, kind);
    form_page((&app, &page, &coop), screen, &input, 3, Errors::default()).await
}

/// The form of a new quote or invoice of an activity.
fn new_screen(coop: &CoopActor, t: crate::i18n::Tr, activity: ActivityId, kind: DocKind) -> Screen {
    let heading = match kind {
        DocKind::Quote => t.get("sales.new_quote"),
        _ => t.get("sales.new_invoice"),
    };
    let action = paths::new_sale_post(&coop.slug);
    Screen {
        activity,
        kind,
        heading: heading.into(),
        action: format!("{action}?kind={}&activity={}", kind.code(), activity.get()),
    }
}

/// Handles the form buttons that do not save: more blank lines, a line from the catalogue.
async fn form_action(
    app: &App,
    coop: &CoopActor,
    action: &str,
    catalog_item: &str,
    input: &mut DocInput,
) -> Result<Option<usize>, AppError> {
    match action {
        "more" => Ok(Some(3)),
        "add_item" => {
            if let Ok(id) = catalog_item.parse::<i64>() {
                let item = selling::item(app, coop, CatalogItemId::new(id)).await?;
                input.lines.push(LineInput {
                    kind: "item".into(),
                    label: item.label,
                    description: item.description.unwrap_or_default(),
                    quantity: "1".into(),
                    unit: item.unit,
                    unit_price: stored_price(&item.unit_price),
                    vat: item.vat_code,
                    discount: String::new(),
                    goods: item.goods,
                });
            }
            Ok(Some(1))
        }
        _ => Ok(None),
    }
}

pub async fn create(
    Ctx { app, coop, page }: Ctx,
    Query(q): Query<NewQuery>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let kind = DocKind::parse(&q.kind).ok_or(AppError::NotFound("kind"))?;
    let activity = q
        .activity
        .parse()
        .map_err(|_| AppError::NotFound("activity"))?;
    let activity = ActivityId::new(activity);
    let (mut input, action, item) = read_form(&pairs);
    let screen = || new_screen(&coop, page.layout.t, activity, kind);
    let cx = (&app, &page, &coop);
    if let Some(blank) = form_action(&app, &coop, &action, &item, &mut input).await? {
        return form_page(cx, screen(), &input, blank, Errors::default()).await;
    }
    let outcome = docs::create(&app, &coop, activity, kind, &input).await;
    let to = |id: SaleDocId| paths::sale(&coop.slug, id);
    forms::submit(&page, outcome, to, async |errors| {
        form_page(cx, screen(), &input, 0, errors).await
    })
    .await
}

pub async fn edit(Ctx { app, coop, page }: Ctx, Id(id): Id<SaleDocId>) -> PageResult {
    let v = docs::view(&app, &coop, id).await?;
    if !v.may_edit {
        return Err(AppError::Forbidden.into());
    }
    let input = DocInput {
        customer_id: v.doc.customer_id.to_string(),
        doc_date: v.doc.doc_date.to_string(),
        valid_until: v.doc.valid_until.map(|d| d.to_string()).unwrap_or_default(),
        delivery_date: v
            .doc
            .delivery_date
            .map(|d| d.to_string())
            .unwrap_or_default(),
        purchase_order: v.doc.purchase_order.clone().unwrap_or_default(),
        price_basis: v.doc.price_basis.clone(),
        overall_discount: sale_render::discount_text(sale_render::parse_discount_code(
            v.doc.overall_discount.as_deref(),
        )),
        notes: v.doc.notes.clone().unwrap_or_default(),
        payment_days: v.doc.payment_days.to_string(),
        payment_end_of_month: v.doc.payment_end_of_month,
        lines: docs::line_inputs(&v.lines),
    };
    let screen = edit_screen(&coop, page.layout.t, &v, id);
    form_page((&app, &page, &coop), screen, &input, 1, Errors::default()).await
}

/// The form of an existing draft.
fn edit_screen(coop: &CoopActor, t: crate::i18n::Tr, v: &SaleView, id: SaleDocId) -> Screen {
    Screen {
        activity: ActivityId::new(v.doc.activity_id),
        kind: v.kind,
        heading: t.fmt("sales.edit_heading", &[&kind_label(t, &v.doc.kind)]),
        action: paths::sale_edit(&coop.slug, id),
    }
}

pub async fn update(
    Ctx { app, coop, page }: Ctx,
    Id(id): Id<SaleDocId>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let v = docs::view(&app, &coop, id).await?;
    let (mut input, action, item) = read_form(&pairs);
    let cx = (&app, &page, &coop);
    let screen = || edit_screen(&coop, page.layout.t, &v, id);
    if let Some(blank) = form_action(&app, &coop, &action, &item, &mut input).await? {
        return form_page(cx, screen(), &input, blank, Errors::default()).await;
    }
    let outcome = docs::update(&app, &coop, id, &input).await;
    forms::submit(
        &page,
        outcome,
        |()| paths::sale(&coop.slug, id),
        async |errors| {
            if errors.has("state") {
                // The document is no longer a draft: its page says why.
                return show_page(&app, &page, &coop, id, errors, None, None).await;
            }
            form_page(cx, screen(), &input, 0, errors).await
        },
    )
    .await
}
