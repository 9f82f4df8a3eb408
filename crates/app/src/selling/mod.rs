//! Selling (issue 4): the cooperative's settings for sale documents, customers, the catalogue,
//! and (in `docs`) quotes, invoices, deposits, credit notes and payments. Every use case checks
//! the permission on the activity concerned (GDP-04) and writes in one transaction.

pub mod archive;
pub(crate) mod demo;
pub mod docs;
pub mod export;
pub mod mail;
pub mod render;
pub mod review;

use crate::{App, AppError, CoopActor, audit};
use essaim_domain::FieldErrors;
use essaim_domain::access::{Permission, Target};
use essaim_domain::cooperative::Address;
use essaim_domain::identifiers::{Iban, Siren, Siret, VatNumber, parse_bic};
use essaim_domain::ids::{ActivityId, CatalogItemId, CustomerId};
use essaim_domain::selling::compute::parse_decimal;
use essaim_domain::selling::customer::{CustomerDetails, CustomerInput, CustomerKind};
use essaim_domain::selling::numbering::{
    DEFAULT_INVOICE_TEMPLATE, DEFAULT_QUOTE_TEMPLATE, NumberTemplate,
};
use essaim_domain::selling::terms::PaymentTerms;
use essaim_domain::selling::{unit, vat};
use essaim_domain::validation::{optional_text, required_text};
use essaim_storage::Tx;
use essaim_storage::sale::{self as store, CatalogItemRecord, CustomerRecord, SellingSettings};
use serde_json::json;

/// Fails unless the person may use `permission` on this activity.
pub(crate) fn require_on(
    actor: &CoopActor,
    permission: Permission,
    activity: ActivityId,
) -> Result<(), AppError> {
    if actor.access.allows(permission, Target::Activity(activity)) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// The activities whose sales the person may read: `None` for all of them.
pub fn readable_activities(actor: &CoopActor) -> Result<Option<Vec<ActivityId>>, AppError> {
    if !actor.access.has_any(Permission::SaleRead) {
        return Err(AppError::Forbidden);
    }
    Ok(actor.access.reach(Permission::SaleRead))
}

// ---------------------------------------------------------------------------------------------
// Settings

pub fn default_settings() -> SellingSettings {
    SellingSettings {
        invoice_template: DEFAULT_INVOICE_TEMPLATE.to_owned(),
        quote_template: DEFAULT_QUOTE_TEMPLATE.to_owned(),
        vat_on_debits: false,
        accent: "#1f4e79".to_owned(),
        footer: None,
        iban: None,
        bic: None,
        email: None,
        phone: None,
    }
}

pub(crate) async fn settings_for(
    tx: &mut Tx,
    coop: essaim_domain::ids::CooperativeId,
) -> Result<SellingSettings, AppError> {
    Ok(store::settings(tx, coop)
        .await?
        .unwrap_or_else(default_settings))
}

pub(crate) async fn settings_in(
    tx: &mut Tx,
    actor: &CoopActor,
) -> Result<SellingSettings, AppError> {
    Ok(store::settings(tx, actor.cooperative)
        .await?
        .unwrap_or_else(default_settings))
}

pub async fn settings(app: &App, actor: &CoopActor) -> Result<SellingSettings, AppError> {
    let mut tx = app.store.read().await?;
    let s = settings_in(&mut tx, actor).await?;
    tx.commit().await?;
    Ok(s)
}

#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct SettingsInput {
    pub invoice_template: String,
    pub quote_template: String,
    #[serde(deserialize_with = "essaim_domain::input::tick")]
    pub vat_on_debits: bool,
    pub accent: String,
    pub footer: String,
    pub iban: String,
    pub bic: String,
    pub email: String,
    pub phone: String,
}

/// Saves the numbering templates, the debit option and the look of documents
/// (`cooperative.settings`).
pub async fn save_settings(
    app: &App,
    actor: &CoopActor,
    input: &SettingsInput,
) -> Result<(), AppError> {
    actor.require(Permission::CooperativeSettings)?;
    let mut tx = app.store.begin().await?;
    let longest = essaim_storage::activity::list(&mut tx, actor.cooperative, None, None)
        .await?
        .iter()
        .map(|a| a.details.analytic_code.len())
        .max()
        .unwrap_or(0);
    let mut e = FieldErrors::new();
    let invoice = e.check(
        "invoice_template",
        NumberTemplate::parse(&input.invoice_template, longest),
    );
    let quote = e.check(
        "quote_template",
        NumberTemplate::parse(&input.quote_template, longest),
    );
    let accent = input.accent.trim().to_lowercase();
    if !(accent.len() == 7
        && accent.starts_with('#')
        && accent[1..].bytes().all(|b| b.is_ascii_hexdigit()))
    {
        e.add("accent", "colour_format");
    }
    let footer = e
        .check("footer", optional_text(&input.footer, 300))
        .flatten();
    let iban = if input.iban.trim().is_empty() {
        None
    } else {
        e.check("iban", Iban::parse(&input.iban))
            .map(|i| i.as_str().to_owned())
    };
    let bic = if input.bic.trim().is_empty() {
        None
    } else {
        e.check("bic", parse_bic(&input.bic))
    };
    let email = if input.email.trim().is_empty() {
        None
    } else {
        e.check("email", essaim_domain::account::Email::parse(&input.email))
            .map(|m| m.as_str().to_owned())
    };
    let phone = e
        .check("phone", essaim_domain::person::parse_phone(&input.phone))
        .flatten();
    let (Some(invoice), Some(quote)) = (invoice, quote) else {
        return Err(e.into());
    };
    if !e.is_empty() {
        return Err(e.into());
    }
    let s = SellingSettings {
        invoice_template: invoice.text(),
        quote_template: quote.text(),
        vat_on_debits: input.vat_on_debits,
        accent,
        footer,
        iban,
        bic,
        email,
        phone,
    };
    store::save_settings(&mut tx, actor.cooperative, &s).await?;
    audit::record_in(
        &mut tx,
        app,
        actor,
        "selling.settings",
        ("cooperative", actor.cooperative.to_string()),
        json!({ "invoice_template": s.invoice_template, "quote_template": s.quote_template, "vat_on_debits": s.vat_on_debits }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The self-validation ceilings: (account id, name, ceiling HT in cents).
pub async fn ceilings(app: &App, actor: &CoopActor) -> Result<Vec<(i64, String, i64)>, AppError> {
    actor.require(Permission::CooperativeSettings)?;
    let mut tx = app.store.read().await?;
    let rows = store::ceilings(&mut tx, actor.cooperative).await?;
    tx.commit().await?;
    Ok(rows)
}

/// Sets (or removes, with an empty amount) the amount HT under which a person may validate
/// their own invoices (issue 4, point 4).
pub async fn set_ceiling(
    app: &App,
    actor: &CoopActor,
    email: &str,
    amount: &str,
) -> Result<(), AppError> {
    actor.require(Permission::CooperativeSettings)?;
    let cents = if amount.trim().is_empty() {
        None
    } else {
        let m = essaim_domain::money::Money::parse_eur(amount)
            .map_err(|c| AppError::field("ceiling", c))?;
        if m.cents() < 0 {
            return Err(AppError::field("ceiling", "amount_negative"));
        }
        Some(m.cents())
    };
    let mut tx = app.store.begin().await?;
    let needle = email.trim().to_lowercase();
    let (members, _) =
        essaim_storage::role::members(&mut tx, actor.cooperative, Some(&needle), 50, 0).await?;
    let Some(user) = members
        .iter()
        .find(|m| m.email.eq_ignore_ascii_case(email.trim()))
        .map(|m| m.user_id)
    else {
        return Err(AppError::field("email", "member_unknown"));
    };
    store::set_ceiling(&mut tx, actor.cooperative, user, cents).await?;
    audit::record_in(
        &mut tx,
        app,
        actor,
        "selling.ceiling",
        ("user", user.to_string()),
        json!({ "ceiling_cents": cents }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Customers

pub(crate) fn customer_record(activity: ActivityId, d: &CustomerDetails) -> CustomerRecord {
    let delivery = d.delivery.as_ref();
    CustomerRecord {
        customer_id: 0,
        activity_id: activity.get(),
        shared: d.shared,
        kind: d.kind.code().to_owned(),
        name: d.name.clone(),
        siren: d.siren.as_ref().map(|s| s.as_str().to_owned()),
        siret: d.siret.as_ref().map(|s| s.as_str().to_owned()),
        vat_number: d.vat_number.as_ref().map(|s| s.as_str().to_owned()),
        electronic_address: d.electronic_address.clone(),
        email: d.email.as_ref().map(|m| m.as_str().to_owned()),
        phone: d.phone.clone(),
        address_line1: d.address.line1.clone(),
        address_line2: d.address.line2.clone(),
        postcode: d.address.postcode.clone(),
        city: d.address.city.clone(),
        country: d.address.country.clone(),
        delivery_line1: delivery.map(|a| a.line1.clone()),
        delivery_line2: delivery.and_then(|a| a.line2.clone()),
        delivery_postcode: delivery.map(|a| a.postcode.clone()),
        delivery_city: delivery.map(|a| a.city.clone()),
        delivery_country: delivery.map(|a| a.country.clone()),
        payment_days: i64::from(d.terms.days),
        payment_end_of_month: d.terms.end_of_month,
        notes: d.notes.clone(),
    }
}

/// A stored customer back to domain values (they were validated when written).
pub fn customer_details(r: &CustomerRecord) -> Result<CustomerDetails, AppError> {
    let bad = |what: &str| AppError::Internal(format!("stored customer {what} is invalid"));
    Ok(CustomerDetails {
        kind: CustomerKind::parse(&r.kind).ok_or_else(|| bad("kind"))?,
        name: r.name.clone(),
        siren: r
            .siren
            .as_deref()
            .map(Siren::parse)
            .transpose()
            .map_err(|_| bad("siren"))?,
        siret: r
            .siret
            .as_deref()
            .map(Siret::parse)
            .transpose()
            .map_err(|_| bad("siret"))?,
        vat_number: r
            .vat_number
            .as_deref()
            .map(VatNumber::parse)
            .transpose()
            .map_err(|_| bad("vat"))?,
        electronic_address: r.electronic_address.clone(),
        email: r
            .email
            .as_deref()
            .map(essaim_domain::account::Email::parse)
            .transpose()
            .map_err(|_| bad("email"))?,
        phone: r.phone.clone(),
        address: Address {
            line1: r.address_line1.clone(),
            line2: r.address_line2.clone(),
            postcode: r.postcode.clone(),
            city: r.city.clone(),
            country: r.country.clone(),
        },
        delivery: r.delivery_line1.as_ref().map(|l1| Address {
            line1: l1.clone(),
            line2: r.delivery_line2.clone(),
            postcode: r.delivery_postcode.clone().unwrap_or_default(),
            city: r.delivery_city.clone().unwrap_or_default(),
            country: r.delivery_country.clone().unwrap_or_default(),
        }),
        terms: PaymentTerms {
            days: u16::try_from(r.payment_days).map_err(|_| bad("terms"))?,
            end_of_month: r.payment_end_of_month,
        },
        shared: r.shared,
        notes: r.notes.clone(),
    })
}

/// The form values of a stored customer, to edit it.
pub fn customer_input(r: &CustomerRecord) -> CustomerInput {
    CustomerInput {
        kind: r.kind.clone(),
        name: r.name.clone(),
        siret: r.siret.clone().unwrap_or_default(),
        siren: r.siren.clone().unwrap_or_default(),
        vat_number: r.vat_number.clone().unwrap_or_default(),
        electronic_address: r.electronic_address.clone().unwrap_or_default(),
        email: r.email.clone().unwrap_or_default(),
        phone: r.phone.clone().unwrap_or_default(),
        address_line1: r.address_line1.clone(),
        address_line2: r.address_line2.clone().unwrap_or_default(),
        postcode: r.postcode.clone(),
        city: r.city.clone(),
        country: r.country.clone(),
        delivery_line1: r.delivery_line1.clone().unwrap_or_default(),
        delivery_line2: r.delivery_line2.clone().unwrap_or_default(),
        delivery_postcode: r.delivery_postcode.clone().unwrap_or_default(),
        delivery_city: r.delivery_city.clone().unwrap_or_default(),
        delivery_country: r.delivery_country.clone().unwrap_or_default(),
        payment_days: r.payment_days.to_string(),
        payment_end_of_month: r.payment_end_of_month,
        shared: r.shared,
        notes: r.notes.clone().unwrap_or_default(),
    }
}

/// Customers the person may use: their activities' and the shared ones (all for the support team).
pub async fn customers(
    app: &App,
    actor: &CoopActor,
    search: &str,
) -> Result<Vec<CustomerRecord>, AppError> {
    let reach = readable_activities(actor)?;
    let mut tx = app.store.read().await?;
    let rows = store::customers(&mut tx, actor.cooperative, reach.as_deref(), search).await?;
    tx.commit().await?;
    Ok(rows)
}

/// A customer the person may see: their activity's, or shared.
pub async fn customer(
    app: &App,
    actor: &CoopActor,
    id: CustomerId,
) -> Result<CustomerRecord, AppError> {
    let mut tx = app.store.read().await?;
    let c = customer_in(&mut tx, actor, id).await?;
    tx.commit().await?;
    Ok(c)
}

pub(crate) async fn customer_in(
    tx: &mut Tx,
    actor: &CoopActor,
    id: CustomerId,
) -> Result<CustomerRecord, AppError> {
    let c = store::customer(tx, actor.cooperative, id)
        .await?
        .ok_or(AppError::NotFound("customer"))?;
    let activity = ActivityId::new(c.activity_id);
    if !(actor
        .access
        .allows(Permission::SaleRead, Target::Activity(activity))
        || (c.shared && actor.access.has_any(Permission::SaleRead)))
    {
        return Err(AppError::NotFound("customer"));
    }
    Ok(c)
}

/// The other customers of the cooperative with the same SIREN (a warning, not a refusal).
pub async fn same_siren(
    app: &App,
    actor: &CoopActor,
    siren: &str,
    except: Option<CustomerId>,
) -> Result<Vec<(i64, String)>, AppError> {
    if !actor.access.has_any(Permission::SaleRead) {
        return Err(AppError::Forbidden);
    }
    let mut tx = app.store.read().await?;
    let rows = store::customers_with_siren(&mut tx, actor.cooperative, siren, except).await?;
    tx.commit().await?;
    Ok(rows)
}

pub async fn create_customer(
    app: &App,
    actor: &CoopActor,
    activity: ActivityId,
    input: &CustomerInput,
) -> Result<CustomerId, AppError> {
    require_on(actor, Permission::SaleManage, activity)?;
    let d = CustomerDetails::parse(input, app.clock.now().date())?;
    let mut tx = app.store.begin().await?;
    essaim_storage::activity::find(&mut tx, actor.cooperative, activity)
        .await?
        .ok_or(AppError::NotFound("activity"))?;
    let id = store::insert_customer(
        &mut tx,
        actor.cooperative,
        &customer_record(activity, &d),
        app.clock.now(),
    )
    .await?;
    audit::record_in(
        &mut tx,
        app,
        actor,
        "customer.create",
        ("customer", id.to_string()),
        json!({ "name": d.name, "activity": activity.get() }),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn update_customer(
    app: &App,
    actor: &CoopActor,
    id: CustomerId,
    input: &CustomerInput,
) -> Result<(), AppError> {
    let d = CustomerDetails::parse(input, app.clock.now().date())?;
    let mut tx = app.store.begin().await?;
    let current = customer_in(&mut tx, actor, id).await?;
    let activity = ActivityId::new(current.activity_id);
    require_on(actor, Permission::SaleManage, activity)?;
    store::update_customer(
        &mut tx,
        actor.cooperative,
        id,
        &customer_record(activity, &d),
        app.clock.now(),
    )
    .await?;
    audit::record_in(
        &mut tx,
        app,
        actor,
        "customer.update",
        ("customer", id.to_string()),
        json!({ "name": d.name }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Catalogue

#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ItemInput {
    pub label: String,
    pub description: String,
    pub unit: String,
    pub unit_price: String,
    pub vat: String,
    #[serde(deserialize_with = "essaim_domain::input::tick")]
    pub goods: bool,
    #[serde(deserialize_with = "essaim_domain::input::tick")]
    pub archived: bool,
}

fn parse_item(
    activity: ActivityId,
    input: &ItemInput,
    today: time::Date,
) -> Result<CatalogItemRecord, FieldErrors> {
    let mut e = FieldErrors::new();
    let label = e.check("label", required_text(&input.label, 300));
    let description = e
        .check("description", optional_text(&input.description, 2000))
        .flatten();
    let unit = e.check("unit", unit::parse_unit(&input.unit));
    let price = match parse_decimal(&input.unit_price, 4) {
        Ok(p) if p.is_sign_negative() => {
            e.add("unit_price", "price_negative");
            None
        }
        Ok(p) => Some(p),
        Err(c) => {
            e.add("unit_price", c);
            None
        }
    };
    if vat::option(input.vat.trim(), today).is_none() {
        e.add("vat", "vat_unknown");
    }
    let (Some(label), Some(unit), Some(price)) = (label, unit, price) else {
        return Err(e);
    };
    e.finish(Some(CatalogItemRecord {
        catalog_item_id: 0,
        activity_id: activity.get(),
        label,
        description,
        unit: unit.code.to_owned(),
        unit_price: price.to_string(),
        vat_code: input.vat.trim().to_owned(),
        goods: input.goods,
        archived: input.archived,
    }))
}

pub async fn items(
    app: &App,
    actor: &CoopActor,
    activity: ActivityId,
    include_archived: bool,
) -> Result<Vec<CatalogItemRecord>, AppError> {
    require_on(actor, Permission::SaleRead, activity)?;
    let mut tx = app.store.read().await?;
    let rows = store::items(&mut tx, actor.cooperative, activity, include_archived).await?;
    tx.commit().await?;
    Ok(rows)
}

pub async fn item(
    app: &App,
    actor: &CoopActor,
    id: CatalogItemId,
) -> Result<CatalogItemRecord, AppError> {
    let mut tx = app.store.read().await?;
    let item = store::item(&mut tx, actor.cooperative, id)
        .await?
        .ok_or(AppError::NotFound("item"))?;
    tx.commit().await?;
    require_on(
        actor,
        Permission::SaleRead,
        ActivityId::new(item.activity_id),
    )
    .map_err(|_| AppError::NotFound("item"))?;
    Ok(item)
}

pub async fn create_item(
    app: &App,
    actor: &CoopActor,
    activity: ActivityId,
    input: &ItemInput,
) -> Result<CatalogItemId, AppError> {
    require_on(actor, Permission::SaleManage, activity)?;
    let rec = parse_item(activity, input, app.clock.now().date())?;
    let mut tx = app.store.begin().await?;
    let id = store::insert_item(&mut tx, actor.cooperative, &rec, app.clock.now()).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn update_item(
    app: &App,
    actor: &CoopActor,
    id: CatalogItemId,
    input: &ItemInput,
) -> Result<(), AppError> {
    let current = item(app, actor, id).await?;
    let activity = ActivityId::new(current.activity_id);
    require_on(actor, Permission::SaleManage, activity)?;
    let rec = parse_item(activity, input, app.clock.now().date())?;
    let mut tx = app.store.begin().await?;
    store::update_item(&mut tx, actor.cooperative, id, &rec).await?;
    tx.commit().await?;
    Ok(())
}
