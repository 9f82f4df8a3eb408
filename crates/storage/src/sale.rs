//! Selling (issue 4): customers, catalogue items, sale documents with their lines and VAT per
//! rate, the numbering counters (INV-12, STACK.md), payments and the events of each document.
//! Rows are plain records; the rules that fill them live in the domain and the app.

use crate::{StorageError, Tx, on_tx};
use essaim_domain::ids::{
    ActivityId, CatalogItemId, CooperativeId, CustomerId, PaymentId, SaleDocId, UserId,
};
use time::{Date, OffsetDateTime};

// ---------------------------------------------------------------------------------------------
// Settings and validation ceilings

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct SellingSettings {
    pub invoice_template: String,
    pub quote_template: String,
    pub vat_on_debits: bool,
    pub accent: String,
    pub footer: Option<String>,
    pub iban: Option<String>,
    pub bic: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

pub async fn settings(
    tx: &mut Tx,
    coop: CooperativeId,
) -> Result<Option<SellingSettings>, StorageError> {
    const SQL: &str = "select invoice_template, quote_template, vat_on_debits, accent, footer, iban, bic, email, phone \
         from selling_settings where cooperative_id = $1";
    Ok(on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(coop.get())
        .fetch_optional(conn)
        .await?))
}

pub async fn save_settings(
    tx: &mut Tx,
    coop: CooperativeId,
    s: &SellingSettings,
) -> Result<(), StorageError> {
    const SQL: &str = "insert into selling_settings (cooperative_id, invoice_template, quote_template, vat_on_debits, accent, footer, iban, bic, email, phone) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) on conflict (cooperative_id) do update set \
         invoice_template = excluded.invoice_template, quote_template = excluded.quote_template, vat_on_debits = excluded.vat_on_debits, \
         accent = excluded.accent, footer = excluded.footer, iban = excluded.iban, bic = excluded.bic, email = excluded.email, phone = excluded.phone";
    on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(coop.get())
        .bind(&s.invoice_template)
        .bind(&s.quote_template)
        .bind(s.vat_on_debits)
        .bind(&s.accent)
        .bind(&s.footer)
        .bind(&s.iban)
        .bind(&s.bic)
        .bind(&s.email)
        .bind(&s.phone)
        .execute(conn)
        .await?
        .rows_affected());
    Ok(())
}

pub async fn ceiling(
    tx: &mut Tx,
    coop: CooperativeId,
    user: UserId,
) -> Result<Option<i64>, StorageError> {
    const SQL: &str =
        "select ceiling_cents from validation_ceiling where cooperative_id = $1 and user_id = $2";
    Ok(on_tx!(tx, |conn| sqlx::query_scalar(SQL)
        .bind(coop.get())
        .bind(user.get())
        .fetch_optional(conn)
        .await?))
}

pub async fn set_ceiling(
    tx: &mut Tx,
    coop: CooperativeId,
    user: UserId,
    cents: Option<i64>,
) -> Result<(), StorageError> {
    match cents {
        Some(c) => {
            const SQL: &str = "insert into validation_ceiling (cooperative_id, user_id, ceiling_cents) values ($1, $2, $3) \
                 on conflict (cooperative_id, user_id) do update set ceiling_cents = excluded.ceiling_cents";
            on_tx!(tx, |conn| sqlx::query(SQL)
                .bind(coop.get())
                .bind(user.get())
                .bind(c)
                .execute(conn)
                .await?
                .rows_affected());
        }
        None => {
            const SQL: &str =
                "delete from validation_ceiling where cooperative_id = $1 and user_id = $2";
            on_tx!(tx, |conn| sqlx::query(SQL)
                .bind(coop.get())
                .bind(user.get())
                .execute(conn)
                .await?
                .rows_affected());
        }
    }
    Ok(())
}

/// Every ceiling of the cooperative: account, name, ceiling.
pub async fn ceilings(
    tx: &mut Tx,
    coop: CooperativeId,
) -> Result<Vec<(i64, String, i64)>, StorageError> {
    const SQL: &str = "select c.user_id, u.display_name, c.ceiling_cents from validation_ceiling c \
         join user_account u on u.user_id = c.user_id where c.cooperative_id = $1 order by u.display_name";
    Ok(on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(coop.get())
        .fetch_all(conn)
        .await?))
}

// ---------------------------------------------------------------------------------------------
// Customers

/// A customer as stored (values were validated by the domain before being written).
#[derive(Clone, Debug, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct CustomerRecord {
    pub customer_id: i64,
    pub activity_id: i64,
    pub shared: bool,
    pub kind: String,
    pub name: String,
    pub siren: Option<String>,
    pub siret: Option<String>,
    pub vat_number: Option<String>,
    pub electronic_address: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address_line1: String,
    pub address_line2: Option<String>,
    pub postcode: String,
    pub city: String,
    pub country: String,
    pub delivery_line1: Option<String>,
    pub delivery_line2: Option<String>,
    pub delivery_postcode: Option<String>,
    pub delivery_city: Option<String>,
    pub delivery_country: Option<String>,
    pub payment_days: i64,
    pub payment_end_of_month: bool,
    pub notes: Option<String>,
}

const CUSTOMER_COLUMNS: &str = "customer_id, activity_id, shared, kind, name, siren, siret, vat_number, electronic_address, email, phone, \
     address_line1, address_line2, postcode, city, country, delivery_line1, delivery_line2, delivery_postcode, delivery_city, \
     delivery_country, payment_days, payment_end_of_month, notes";

pub async fn insert_customer(
    tx: &mut Tx,
    coop: CooperativeId,
    c: &CustomerRecord,
    now: OffsetDateTime,
) -> Result<CustomerId, StorageError> {
    const SQL: &str = "insert into customer (cooperative_id, activity_id, shared, kind, name, siren, siret, vat_number, electronic_address, \
         email, phone, address_line1, address_line2, postcode, city, country, delivery_line1, delivery_line2, delivery_postcode, \
         delivery_city, delivery_country, payment_days, payment_end_of_month, notes, created_at, updated_at) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $25) \
         returning customer_id";
    let id: i64 = on_tx!(tx, |conn| sqlx::query_scalar(SQL)
        .bind(coop.get())
        .bind(c.activity_id)
        .bind(c.shared)
        .bind(&c.kind)
        .bind(&c.name)
        .bind(&c.siren)
        .bind(&c.siret)
        .bind(&c.vat_number)
        .bind(&c.electronic_address)
        .bind(&c.email)
        .bind(&c.phone)
        .bind(&c.address_line1)
        .bind(&c.address_line2)
        .bind(&c.postcode)
        .bind(&c.city)
        .bind(&c.country)
        .bind(&c.delivery_line1)
        .bind(&c.delivery_line2)
        .bind(&c.delivery_postcode)
        .bind(&c.delivery_city)
        .bind(&c.delivery_country)
        .bind(c.payment_days)
        .bind(c.payment_end_of_month)
        .bind(&c.notes)
        .bind(now)
        .fetch_one(conn)
        .await?);
    Ok(CustomerId::new(id))
}

pub async fn update_customer(
    tx: &mut Tx,
    coop: CooperativeId,
    id: CustomerId,
    c: &CustomerRecord,
    now: OffsetDateTime,
) -> Result<bool, StorageError> {
    const SQL: &str = "update customer set shared = $3, kind = $4, name = $5, siren = $6, siret = $7, vat_number = $8, electronic_address = $9, \
         email = $10, phone = $11, address_line1 = $12, address_line2 = $13, postcode = $14, city = $15, country = $16, delivery_line1 = $17, \
         delivery_line2 = $18, delivery_postcode = $19, delivery_city = $20, delivery_country = $21, payment_days = $22, \
         payment_end_of_month = $23, notes = $24, updated_at = $25 where cooperative_id = $1 and customer_id = $2";
    let n = on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(coop.get())
        .bind(id.get())
        .bind(c.shared)
        .bind(&c.kind)
        .bind(&c.name)
        .bind(&c.siren)
        .bind(&c.siret)
        .bind(&c.vat_number)
        .bind(&c.electronic_address)
        .bind(&c.email)
        .bind(&c.phone)
        .bind(&c.address_line1)
        .bind(&c.address_line2)
        .bind(&c.postcode)
        .bind(&c.city)
        .bind(&c.country)
        .bind(&c.delivery_line1)
        .bind(&c.delivery_line2)
        .bind(&c.delivery_postcode)
        .bind(&c.delivery_city)
        .bind(&c.delivery_country)
        .bind(c.payment_days)
        .bind(c.payment_end_of_month)
        .bind(&c.notes)
        .bind(now)
        .execute(conn)
        .await?
        .rows_affected());
    Ok(n == 1)
}

pub async fn customer(
    tx: &mut Tx,
    coop: CooperativeId,
    id: CustomerId,
) -> Result<Option<CustomerRecord>, StorageError> {
    let sql = format!(
        "select {CUSTOMER_COLUMNS} from customer where cooperative_id = $1 and customer_id = $2"
    );
    Ok(on_tx!(tx, |conn| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(coop.get())
        .bind(id.get())
        .fetch_optional(conn)
        .await?))
}

/// Customers usable by these activities (theirs and the shared ones), or all when `None`.
pub async fn customers(
    tx: &mut Tx,
    coop: CooperativeId,
    activities: Option<&[ActivityId]>,
    search: &str,
) -> Result<Vec<CustomerRecord>, StorageError> {
    let search = format!("%{}%", search.trim().to_lowercase().replace(['%', '_'], ""));
    let rows: Vec<CustomerRecord> = match activities {
        None => {
            let sql = format!(
                "select {CUSTOMER_COLUMNS} from customer where cooperative_id = $1 and lower(name) like $2 order by name, customer_id limit 500"
            );
            on_tx!(tx, |conn| sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(coop.get())
                .bind(&search)
                .fetch_all(conn)
                .await?)
        }
        Some(ids) => {
            // Activity ids are integers we produced: safe to inline as a list.
            let list: Vec<String> = ids.iter().map(|a| a.get().to_string()).collect();
            let list = if list.is_empty() {
                "0".to_owned()
            } else {
                list.join(",")
            };
            let sql = format!(
                "select {CUSTOMER_COLUMNS} from customer where cooperative_id = $1 and lower(name) like $2 \
                 and (shared or activity_id in ({list})) order by name, customer_id limit 500"
            );
            on_tx!(tx, |conn| sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(coop.get())
                .bind(&search)
                .fetch_all(conn)
                .await?)
        }
    };
    Ok(rows)
}

/// Other customers of the cooperative with this SIREN: (id, name).
pub async fn customers_with_siren(
    tx: &mut Tx,
    coop: CooperativeId,
    siren: &str,
    except: Option<CustomerId>,
) -> Result<Vec<(i64, String)>, StorageError> {
    const SQL: &str = "select customer_id, name from customer where cooperative_id = $1 and siren = $2 and customer_id <> $3 order by customer_id";
    Ok(on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(coop.get())
        .bind(siren)
        .bind(except.map_or(0, |c| c.get()))
        .fetch_all(conn)
        .await?))
}

// ---------------------------------------------------------------------------------------------
// Catalogue

#[derive(Clone, Debug, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct CatalogItemRecord {
    pub catalog_item_id: i64,
    pub activity_id: i64,
    pub label: String,
    pub description: Option<String>,
    pub unit: String,
    pub unit_price: String,
    pub vat_code: String,
    pub goods: bool,
    pub archived: bool,
}

pub async fn insert_item(
    tx: &mut Tx,
    coop: CooperativeId,
    i: &CatalogItemRecord,
    now: OffsetDateTime,
) -> Result<CatalogItemId, StorageError> {
    const SQL: &str = "insert into catalog_item (cooperative_id, activity_id, label, description, unit, unit_price, vat_code, goods, archived, created_at) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning catalog_item_id";
    let id: i64 = on_tx!(tx, |conn| sqlx::query_scalar(SQL)
        .bind(coop.get())
        .bind(i.activity_id)
        .bind(&i.label)
        .bind(&i.description)
        .bind(&i.unit)
        .bind(&i.unit_price)
        .bind(&i.vat_code)
        .bind(i.goods)
        .bind(i.archived)
        .bind(now)
        .fetch_one(conn)
        .await?);
    Ok(CatalogItemId::new(id))
}

pub async fn update_item(
    tx: &mut Tx,
    coop: CooperativeId,
    id: CatalogItemId,
    i: &CatalogItemRecord,
) -> Result<bool, StorageError> {
    const SQL: &str = "update catalog_item set label = $3, description = $4, unit = $5, unit_price = $6, vat_code = $7, goods = $8, archived = $9 \
         where cooperative_id = $1 and catalog_item_id = $2";
    let n = on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(coop.get())
        .bind(id.get())
        .bind(&i.label)
        .bind(&i.description)
        .bind(&i.unit)
        .bind(&i.unit_price)
        .bind(&i.vat_code)
        .bind(i.goods)
        .bind(i.archived)
        .execute(conn)
        .await?
        .rows_affected());
    Ok(n == 1)
}

const ITEM_COLUMNS: &str =
    "catalog_item_id, activity_id, label, description, unit, unit_price, vat_code, goods, archived";

pub async fn item(
    tx: &mut Tx,
    coop: CooperativeId,
    id: CatalogItemId,
) -> Result<Option<CatalogItemRecord>, StorageError> {
    let sql = format!(
        "select {ITEM_COLUMNS} from catalog_item where cooperative_id = $1 and catalog_item_id = $2"
    );
    Ok(on_tx!(tx, |conn| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(coop.get())
        .bind(id.get())
        .fetch_optional(conn)
        .await?))
}

pub async fn items(
    tx: &mut Tx,
    coop: CooperativeId,
    activity: ActivityId,
    include_archived: bool,
) -> Result<Vec<CatalogItemRecord>, StorageError> {
    let sql = format!(
        "select {ITEM_COLUMNS} from catalog_item where cooperative_id = $1 and activity_id = $2 and (archived = false or $3) \
         order by label, catalog_item_id"
    );
    Ok(on_tx!(tx, |conn| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(coop.get())
        .bind(activity.get())
        .bind(include_archived)
        .fetch_all(conn)
        .await?))
}

// ---------------------------------------------------------------------------------------------
// Sale documents

/// The editable head of a document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocHead {
    pub activity_id: i64,
    pub customer_id: i64,
    pub kind: String,
    pub doc_date: Date,
    pub valid_until: Option<Date>,
    pub due_date: Option<Date>,
    pub delivery_date: Option<Date>,
    pub purchase_order: Option<String>,
    pub price_basis: String,
    pub overall_discount: Option<String>,
    pub notes: Option<String>,
    pub payment_days: i64,
    pub payment_end_of_month: bool,
    pub quote_id: Option<i64>,
    pub origin_id: Option<i64>,
}

/// Totals kept on the document (computed by the domain on every save; frozen at validation).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DocTotals {
    pub line_total_cents: i64,
    pub allowance_total_cents: i64,
    pub tax_basis_cents: i64,
    pub tax_total_cents: i64,
    pub grand_total_cents: i64,
    pub prepaid_cents: i64,
}

/// One stored line (section headings have no amounts).
#[derive(Clone, Debug, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct LineRecord {
    pub position: i64,
    pub kind: String,
    pub label: String,
    pub description: Option<String>,
    pub quantity: Option<String>,
    pub unit: Option<String>,
    pub unit_price: Option<String>,
    pub vat_code: Option<String>,
    pub discount: Option<String>,
    pub goods: bool,
    pub deduction: bool,
    pub unit_price_ht: Option<String>,
    pub gross_cents: Option<i64>,
    pub allowance_cents: Option<i64>,
    pub net_cents: Option<i64>,
}

/// A document as stored, with its activity and customer names for lists.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct DocRecord {
    pub sale_doc_id: i64,
    pub activity_id: i64,
    pub activity_name: String,
    pub analytic_code: String,
    pub customer_id: i64,
    pub customer_name: String,
    pub kind: String,
    pub state: String,
    pub number: Option<String>,
    pub doc_date: Date,
    pub valid_until: Option<Date>,
    pub due_date: Option<Date>,
    pub delivery_date: Option<Date>,
    pub purchase_order: Option<String>,
    pub price_basis: String,
    pub overall_discount: Option<String>,
    pub notes: Option<String>,
    pub payment_days: i64,
    pub payment_end_of_month: bool,
    pub quote_id: Option<i64>,
    pub origin_id: Option<i64>,
    pub line_total_cents: i64,
    pub allowance_total_cents: i64,
    pub tax_basis_cents: i64,
    pub tax_total_cents: i64,
    pub grand_total_cents: i64,
    pub prepaid_cents: i64,
    pub paid_cents: i64,
    pub credited_cents: i64,
    pub accepted_by: Option<String>,
    pub accepted_at: Option<OffsetDateTime>,
    pub created_by: i64,
    pub validated_by: Option<i64>,
    pub validated_at: Option<OffsetDateTime>,
    /// Where a draft stands with the validation team (`essaim_domain::selling::review::Review`).
    pub review: String,
    pub review_at: Option<OffsetDateTime>,
    pub review_comment: Option<String>,
}

const DOC_COLUMNS: &str = "d.sale_doc_id, d.activity_id, a.name as activity_name, a.analytic_code, d.customer_id, c.name as customer_name, \
     d.kind, d.state, d.number, d.doc_date, d.valid_until, d.due_date, d.delivery_date, d.purchase_order, d.price_basis, d.overall_discount, \
     d.notes, d.payment_days, d.payment_end_of_month, d.quote_id, d.origin_id, d.line_total_cents, d.allowance_total_cents, d.tax_basis_cents, \
     d.tax_total_cents, d.grand_total_cents, d.prepaid_cents, d.paid_cents, d.credited_cents, d.accepted_by, d.accepted_at, \
     d.created_by, d.validated_by, d.validated_at, d.review, d.review_at, d.review_comment";
const DOC_FROM: &str = "from sale_doc d join activity a on a.activity_id = d.activity_id join customer c on c.customer_id = d.customer_id";

async fn write_lines(tx: &mut Tx, id: SaleDocId, lines: &[LineRecord]) -> Result<(), StorageError> {
    const DEL: &str = "delete from sale_line where sale_doc_id = $1";
    on_tx!(tx, |conn| sqlx::query(DEL)
        .bind(id.get())
        .execute(conn)
        .await?
        .rows_affected());
    const SQL: &str = "insert into sale_line (sale_doc_id, position, kind, label, description, quantity, unit, unit_price, vat_code, discount, \
         goods, deduction, unit_price_ht, gross_cents, allowance_cents, net_cents) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)";
    for l in lines {
        on_tx!(tx, |conn| sqlx::query(SQL)
            .bind(id.get())
            .bind(l.position)
            .bind(&l.kind)
            .bind(&l.label)
            .bind(&l.description)
            .bind(&l.quantity)
            .bind(&l.unit)
            .bind(&l.unit_price)
            .bind(&l.vat_code)
            .bind(&l.discount)
            .bind(l.goods)
            .bind(l.deduction)
            .bind(&l.unit_price_ht)
            .bind(l.gross_cents)
            .bind(l.allowance_cents)
            .bind(l.net_cents)
            .execute(conn)
            .await?
            .rows_affected());
    }
    Ok(())
}

pub async fn insert_doc(
    tx: &mut Tx,
    coop: CooperativeId,
    h: &DocHead,
    t: &DocTotals,
    lines: &[LineRecord],
    by: UserId,
    now: OffsetDateTime,
) -> Result<SaleDocId, StorageError> {
    const SQL: &str = "insert into sale_doc (cooperative_id, activity_id, customer_id, kind, state, doc_date, valid_until, due_date, delivery_date, \
         purchase_order, price_basis, overall_discount, notes, payment_days, payment_end_of_month, quote_id, origin_id, line_total_cents, \
         allowance_total_cents, tax_basis_cents, tax_total_cents, grand_total_cents, prepaid_cents, paid_cents, credited_cents, outstanding_cents, settlement, created_by, \
         created_at, updated_at) values ($1, $2, $3, $4, 'draft', $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, \
         $22, 0, 0, 0, '', $23, $24, $24) returning sale_doc_id";
    let id: i64 = on_tx!(tx, |conn| sqlx::query_scalar(SQL)
        .bind(coop.get())
        .bind(h.activity_id)
        .bind(h.customer_id)
        .bind(&h.kind)
        .bind(h.doc_date)
        .bind(h.valid_until)
        .bind(h.due_date)
        .bind(h.delivery_date)
        .bind(&h.purchase_order)
        .bind(&h.price_basis)
        .bind(&h.overall_discount)
        .bind(&h.notes)
        .bind(h.payment_days)
        .bind(h.payment_end_of_month)
        .bind(h.quote_id)
        .bind(h.origin_id)
        .bind(t.line_total_cents)
        .bind(t.allowance_total_cents)
        .bind(t.tax_basis_cents)
        .bind(t.tax_total_cents)
        .bind(t.grand_total_cents)
        .bind(t.prepaid_cents)
        .bind(by.get())
        .bind(now)
        .fetch_one(conn)
        .await?);
    let id = SaleDocId::new(id);
    write_lines(tx, id, lines).await?;
    Ok(id)
}

/// Rewrites a draft; a document that is no longer a draft is left untouched (`false`).
pub async fn update_draft(
    tx: &mut Tx,
    coop: CooperativeId,
    id: SaleDocId,
    h: &DocHead,
    t: &DocTotals,
    lines: &[LineRecord],
    now: OffsetDateTime,
) -> Result<bool, StorageError> {
    const SQL: &str = "update sale_doc set customer_id = $3, doc_date = $4, valid_until = $5, due_date = $6, delivery_date = $7, purchase_order = $8, \
         price_basis = $9, overall_discount = $10, notes = $11, payment_days = $12, payment_end_of_month = $13, line_total_cents = $14, \
         allowance_total_cents = $15, tax_basis_cents = $16, tax_total_cents = $17, grand_total_cents = $18, prepaid_cents = $19, updated_at = $20 \
         where cooperative_id = $1 and sale_doc_id = $2 and state = 'draft'";
    let n = on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(coop.get())
        .bind(id.get())
        .bind(h.customer_id)
        .bind(h.doc_date)
        .bind(h.valid_until)
        .bind(h.due_date)
        .bind(h.delivery_date)
        .bind(&h.purchase_order)
        .bind(&h.price_basis)
        .bind(&h.overall_discount)
        .bind(&h.notes)
        .bind(h.payment_days)
        .bind(h.payment_end_of_month)
        .bind(t.line_total_cents)
        .bind(t.allowance_total_cents)
        .bind(t.tax_basis_cents)
        .bind(t.tax_total_cents)
        .bind(t.grand_total_cents)
        .bind(t.prepaid_cents)
        .bind(now)
        .execute(conn)
        .await?
        .rows_affected());
    if n != 1 {
        return Ok(false);
    }
    write_lines(tx, id, lines).await?;
    Ok(true)
}

/// Records where a draft stands with the validation team (`review` is a code of
/// `essaim_domain::selling::review::Review`); false when the document is no longer a draft.
pub async fn set_review(
    tx: &mut Tx,
    coop: CooperativeId,
    id: SaleDocId,
    review: &str,
    comment: Option<&str>,
    now: OffsetDateTime,
) -> Result<bool, StorageError> {
    const SQL: &str = "update sale_doc set review = $3, review_at = $4, review_comment = $5 \
         where cooperative_id = $1 and sale_doc_id = $2 and state = 'draft'";
    let n = on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(coop.get())
        .bind(id.get())
        .bind(review)
        .bind(now)
        .bind(comment)
        .execute(conn)
        .await?
        .rows_affected());
    Ok(n == 1)
}

/// Deletes a draft (and its lines and events); anything else stays.
pub async fn delete_draft(
    tx: &mut Tx,
    coop: CooperativeId,
    id: SaleDocId,
) -> Result<bool, StorageError> {
    const CHECK: &str = "select count(*) from sale_doc where cooperative_id = $1 and sale_doc_id = $2 and state = 'draft'";
    let n: i64 = on_tx!(tx, |conn| sqlx::query_scalar(CHECK)
        .bind(coop.get())
        .bind(id.get())
        .fetch_one(conn)
        .await?);
    if n != 1 {
        return Ok(false);
    }
    for sql in [
        "delete from sale_line where sale_doc_id = $1",
        "delete from sale_event where sale_doc_id = $1",
        "delete from sale_doc where sale_doc_id = $1 and state = 'draft'",
    ] {
        on_tx!(tx, |conn| sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id.get())
            .execute(conn)
            .await?
            .rows_affected());
    }
    Ok(true)
}

pub async fn doc(
    tx: &mut Tx,
    coop: CooperativeId,
    id: SaleDocId,
) -> Result<Option<DocRecord>, StorageError> {
    let sql = format!(
        "select {DOC_COLUMNS} {DOC_FROM} where d.cooperative_id = $1 and d.sale_doc_id = $2"
    );
    Ok(on_tx!(tx, |conn| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(coop.get())
        .bind(id.get())
        .fetch_optional(conn)
        .await?))
}

pub async fn lines(tx: &mut Tx, id: SaleDocId) -> Result<Vec<LineRecord>, StorageError> {
    const SQL: &str = "select position, kind, label, description, quantity, unit, unit_price, vat_code, discount, goods, deduction, \
         unit_price_ht, gross_cents, allowance_cents, net_cents from sale_line where sale_doc_id = $1 order by position";
    Ok(on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(id.get())
        .fetch_all(conn)
        .await?))
}

/// VAT per rate frozen at validation: (code, basis, vat).
pub async fn vat_rows(tx: &mut Tx, id: SaleDocId) -> Result<Vec<(String, i64, i64)>, StorageError> {
    const SQL: &str = "select vat_code, basis_cents, vat_cents from sale_vat where sale_doc_id = $1 order by vat_code";
    Ok(on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(id.get())
        .fetch_all(conn)
        .await?))
}

/// Documents derived from this one: deposits and final invoices of a quote, credit notes of an
/// invoice.
pub async fn children(
    tx: &mut Tx,
    coop: CooperativeId,
    id: SaleDocId,
) -> Result<Vec<DocRecord>, StorageError> {
    let sql = format!(
        "select {DOC_COLUMNS} {DOC_FROM} where d.cooperative_id = $1 and (d.quote_id = $2 or d.origin_id = $2) order by d.sale_doc_id"
    );
    Ok(on_tx!(tx, |conn| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(coop.get())
        .bind(id.get())
        .fetch_all(conn)
        .await?))
}

/// Takes the next number of a series: the counter row is created if needed, then incremented
/// inside the caller's transaction (INV-12: a rollback gives the number back; the row lock on
/// PostgreSQL and the write lock of `BEGIN IMMEDIATE` on SQLite serialise validators).
pub async fn next_number(
    tx: &mut Tx,
    coop: CooperativeId,
    series: &str,
) -> Result<i64, StorageError> {
    const INIT: &str = "insert into number_counter (cooperative_id, series, last_number) values ($1, $2, 0) \
         on conflict (cooperative_id, series) do nothing";
    const NEXT: &str = "update number_counter set last_number = last_number + 1 \
         where cooperative_id = $1 and series = $2 returning last_number";
    on_tx!(tx, |conn| sqlx::query(INIT)
        .bind(coop.get())
        .bind(series)
        .execute(conn)
        .await?
        .rows_affected());
    Ok(on_tx!(tx, |conn| sqlx::query_scalar(NEXT)
        .bind(coop.get())
        .bind(series)
        .fetch_one(conn)
        .await?))
}

/// The last document issued in a series: its date (INV-10: numbers follow dates).
pub async fn last_issued_date(
    tx: &mut Tx,
    coop: CooperativeId,
    series: &str,
) -> Result<Option<Date>, StorageError> {
    const SQL: &str = "select doc_date from sale_doc where cooperative_id = $1 and series = $2 order by seq desc limit 1";
    Ok(on_tx!(tx, |conn| sqlx::query_scalar(SQL)
        .bind(coop.get())
        .bind(series)
        .fetch_optional(conn)
        .await?))
}

/// What validation writes: number, date, due date, the frozen snapshot, VAT per rate.
pub struct Issue<'a> {
    pub state: &'a str,
    pub series: &'a str,
    pub seq: i64,
    pub number: &'a str,
    pub doc_date: Date,
    pub due_date: Option<Date>,
    pub snapshot: &'a str,
    pub vat: &'a [(String, i64, i64)],
    pub by: UserId,
    pub now: OffsetDateTime,
}

/// Freezes a draft with its number (INV-12, GEN-03); `false` when it was no longer a draft.
pub async fn issue(
    tx: &mut Tx,
    coop: CooperativeId,
    id: SaleDocId,
    i: &Issue<'_>,
) -> Result<bool, StorageError> {
    const SQL: &str = "update sale_doc set state = $3, series = $4, seq = $5, number = $6, doc_date = $7, due_date = $8, \
         outstanding_cents = case when kind in ('invoice', 'deposit') and $3 = 'issued' then grand_total_cents else 0 end, validated_by = $9, validated_at = $10, updated_at = $10, review = '' where cooperative_id = $1 and sale_doc_id = $2 and state = 'draft'";
    let n = on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(coop.get())
        .bind(id.get())
        .bind(i.state)
        .bind(i.series)
        .bind(i.seq)
        .bind(i.number)
        .bind(i.doc_date)
        .bind(i.due_date)
        .bind(i.by.get())
        .bind(i.now)
        .execute(conn)
        .await?
        .rows_affected());
    if n != 1 {
        return Ok(false);
    }
    refresh_settlement(tx, id).await?;
    if !i.snapshot.is_empty() {
        const SNAP: &str = "insert into sale_snapshot (sale_doc_id, snapshot) values ($1, $2)";
        on_tx!(tx, |conn| sqlx::query(SNAP)
            .bind(id.get())
            .bind(i.snapshot)
            .execute(conn)
            .await?
            .rows_affected());
    }
    const VAT: &str = "insert into sale_vat (sale_doc_id, vat_code, basis_cents, vat_cents) values ($1, $2, $3, $4)";
    for (code, basis, vat) in i.vat {
        on_tx!(tx, |conn| sqlx::query(VAT)
            .bind(id.get())
            .bind(code)
            .bind(*basis)
            .bind(*vat)
            .execute(conn)
            .await?
            .rows_affected());
    }
    Ok(true)
}

/// Moves a quote from one state to another (sent → accepted…); `false` when it was not in `from`.
pub async fn set_quote_state(
    tx: &mut Tx,
    coop: CooperativeId,
    id: SaleDocId,
    from: &str,
    to: &str,
    accepted_by: Option<&str>,
    now: OffsetDateTime,
) -> Result<bool, StorageError> {
    const SQL: &str = "update sale_doc set state = $4, accepted_by = coalesce($5, accepted_by), \
         accepted_at = case when $5 is null then accepted_at else $6 end, updated_at = $6 \
         where cooperative_id = $1 and sale_doc_id = $2 and kind = 'quote' and state = $3";
    let n = on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(coop.get())
        .bind(id.get())
        .bind(from)
        .bind(to)
        .bind(accepted_by)
        .bind(now)
        .execute(conn)
        .await?
        .rows_affected());
    Ok(n == 1)
}

pub async fn set_accept_token(tx: &mut Tx, id: SaleDocId, hash: &str) -> Result<(), StorageError> {
    const SQL: &str = "update sale_doc set accept_token_hash = $2 where sale_doc_id = $1";
    on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(id.get())
        .bind(hash)
        .execute(conn)
        .await?
        .rows_affected());
    Ok(())
}

/// The quote a signed acceptance link points to: (cooperative, document).
pub async fn by_accept_token(tx: &mut Tx, hash: &str) -> Result<Option<(i64, i64)>, StorageError> {
    const SQL: &str = "select cooperative_id, sale_doc_id from sale_doc where accept_token_hash = $1 and kind = 'quote'";
    Ok(on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(hash)
        .fetch_optional(conn)
        .await?))
}

/// Adds a credited amount to an invoice (when one of its credit notes is issued).
pub async fn add_credited(tx: &mut Tx, id: SaleDocId, cents: i64) -> Result<(), StorageError> {
    const SQL: &str = "update sale_doc set credited_cents = credited_cents + $2, outstanding_cents = outstanding_cents - $2 \
         where sale_doc_id = $1";
    on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(id.get())
        .bind(cents)
        .execute(conn)
        .await?
        .rows_affected());
    refresh_settlement(tx, id).await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Payments

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct PaymentRecord {
    pub payment_id: i64,
    pub paid_on: Date,
    pub amount_cents: i64,
    pub mode: String,
    pub reference: Option<String>,
    pub recorded_by_name: String,
    pub recorded_at: OffsetDateTime,
}

pub struct NewPayment<'a> {
    pub doc: SaleDocId,
    pub paid_on: Date,
    pub amount_cents: i64,
    pub mode: &'a str,
    pub reference: Option<&'a str>,
    /// Per VAT rate: (code, TTC, VAT) (INV-41).
    pub vat: &'a [(String, i64, i64)],
    pub by: UserId,
    pub now: OffsetDateTime,
}

pub async fn insert_payment(
    tx: &mut Tx,
    coop: CooperativeId,
    p: &NewPayment<'_>,
) -> Result<PaymentId, StorageError> {
    const SQL: &str = "insert into payment (cooperative_id, sale_doc_id, paid_on, amount_cents, mode, reference, recorded_by, recorded_at) \
         values ($1, $2, $3, $4, $5, $6, $7, $8) returning payment_id";
    let id: i64 = on_tx!(tx, |conn| sqlx::query_scalar(SQL)
        .bind(coop.get())
        .bind(p.doc.get())
        .bind(p.paid_on)
        .bind(p.amount_cents)
        .bind(p.mode)
        .bind(p.reference)
        .bind(p.by.get())
        .bind(p.now)
        .fetch_one(conn)
        .await?);
    const VAT: &str = "insert into payment_vat (payment_id, vat_code, ttc_cents, vat_cents) values ($1, $2, $3, $4)";
    for (code, ttc, vat) in p.vat {
        on_tx!(tx, |conn| sqlx::query(VAT)
            .bind(id)
            .bind(code)
            .bind(*ttc)
            .bind(*vat)
            .execute(conn)
            .await?
            .rows_affected());
    }
    const PAID: &str = "update sale_doc set paid_cents = paid_cents + $2, outstanding_cents = outstanding_cents - $2 \
         where sale_doc_id = $1 and state = 'issued'";
    on_tx!(tx, |conn| sqlx::query(PAID)
        .bind(p.doc.get())
        .bind(p.amount_cents)
        .execute(conn)
        .await?
        .rows_affected());
    refresh_settlement(tx, p.doc).await?;
    Ok(PaymentId::new(id))
}

pub async fn payments(tx: &mut Tx, doc: SaleDocId) -> Result<Vec<PaymentRecord>, StorageError> {
    const SQL: &str = "select p.payment_id, p.paid_on, p.amount_cents, p.mode, p.reference, u.display_name as recorded_by_name, p.recorded_at \
         from payment p join user_account u on u.user_id = p.recorded_by where p.sale_doc_id = $1 order by p.paid_on, p.payment_id";
    Ok(on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(doc.get())
        .fetch_all(conn)
        .await?))
}

/// What was already received per VAT rate: (code, TTC, VAT).
pub async fn paid_per_rate(
    tx: &mut Tx,
    doc: SaleDocId,
) -> Result<Vec<(String, i64, i64)>, StorageError> {
    const SQL: &str = "select v.vat_code, cast(sum(v.ttc_cents) as bigint), cast(sum(v.vat_cents) as bigint) from payment_vat v join payment p on p.payment_id = v.payment_id \
         where p.sale_doc_id = $1 group by v.vat_code";
    Ok(on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(doc.get())
        .fetch_all(conn)
        .await?))
}

// ---------------------------------------------------------------------------------------------
// Events

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct EventRecord {
    pub at: OffsetDateTime,
    pub kind: String,
    pub user_name: Option<String>,
    pub detail: Option<String>,
}

pub async fn add_event(
    tx: &mut Tx,
    doc: SaleDocId,
    kind: &str,
    by: Option<UserId>,
    detail: Option<&str>,
    now: OffsetDateTime,
) -> Result<(), StorageError> {
    const SQL: &str = "insert into sale_event (sale_doc_id, at, kind, user_id, detail) values ($1, $2, $3, $4, $5)";
    on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(doc.get())
        .bind(now)
        .bind(kind)
        .bind(by.map(|u| u.get()))
        .bind(detail)
        .execute(conn)
        .await?
        .rows_affected());
    Ok(())
}

pub async fn events(tx: &mut Tx, doc: SaleDocId) -> Result<Vec<EventRecord>, StorageError> {
    const SQL: &str = "select e.at, e.kind, u.display_name as user_name, e.detail from sale_event e \
         left join user_account u on u.user_id = e.user_id where e.sale_doc_id = $1 order by e.at, e.sale_event_id";
    Ok(on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(doc.get())
        .fetch_all(conn)
        .await?))
}

// ---------------------------------------------------------------------------------------------
// Lists

/// Filters of a document list; only the active ones go into the SQL.
#[derive(Clone, Debug, Default)]
pub struct DocFilter {
    /// `quote`, or invoice-like kinds (`invoice`, `deposit`, `credit_note`).
    pub kinds: Vec<String>,
    /// Restrict to these activities (an entrepreneur's), or all when `None`.
    pub activities: Option<Vec<ActivityId>>,
    pub activity: Option<ActivityId>,
    pub customer: Option<CustomerId>,
    /// A display status code (draft, sent, accepted, refused, expired, issued, partly_paid, paid,
    /// cancelled), `overdue`, `unpaid`, `validated` (every issued document), or a draft's review
    /// (`to_validate`, `returned`).
    pub status: Option<String>,
    /// Oldest first (the validation queue) rather than newest first.
    pub oldest_first: bool,
    pub from: Option<Date>,
    pub to: Option<Date>,
    pub min_cents: Option<i64>,
    pub max_cents: Option<i64>,
    pub search: Option<String>,
    pub today: Option<Date>,
}

impl DocFilter {
    /// The list of quotes, or the list of invoices (invoices, deposits and credit notes), unfiltered.
    pub fn list_of(quotes: bool) -> DocFilter {
        let kinds: &[&str] = if quotes {
            &["quote"]
        } else {
            &["invoice", "deposit", "credit_note"]
        };
        DocFilter {
            kinds: kinds.iter().map(|k| (*k).to_owned()).collect(),
            ..DocFilter::default()
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ListTotals {
    pub count: i64,
    /// HT and TTC totals, credit notes subtracted (what the set invoices, net).
    pub tax_basis_cents: i64,
    pub grand_total_cents: i64,
    /// Still to be received: TTC − paid − credited, on issued documents.
    pub outstanding_cents: i64,
}

enum Val {
    Text(String),
    Int(i64),
    Date(Date),
}

fn doc_where(coop: CooperativeId, f: &DocFilter) -> (String, Vec<Val>) {
    let _ = coop;
    let mut conds = vec!["d.cooperative_id = $1".to_owned()];
    let mut vals: Vec<Val> = Vec::new();
    if let Some(s) = f
        .search
        .as_deref()
        .map(|s| s.trim().to_lowercase().replace(['%', '_'], ""))
        .filter(|s| !s.is_empty())
    {
        vals.push(Val::Text(format!("%{s}%")));
        conds.push("(lower(c.name) like $2 or lower(coalesce(d.number, '')) like $2)".to_owned());
    }
    let mut add = |cond: &str, v: Option<Val>| {
        if let Some(v) = v {
            vals.push(v);
            conds.push(cond.replace('?', &format!("${}", vals.len() + 1)));
        } else {
            conds.push(cond.to_owned());
        }
    };
    if !f.kinds.is_empty() {
        // Kind codes are constants of the domain, checked by the caller.
        let list: Vec<String> = f
            .kinds
            .iter()
            .filter(|k| k.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'))
            .map(|k| format!("'{k}'"))
            .collect();
        add(&format!("d.kind in ({})", list.join(",")), None);
    }
    if let Some(acts) = &f.activities {
        let list: Vec<String> = acts.iter().map(|a| a.get().to_string()).collect();
        let list = if list.is_empty() {
            "0".to_owned()
        } else {
            list.join(",")
        };
        add(&format!("d.activity_id in ({list})"), None);
    }
    if let Some(a) = f.activity {
        add("d.activity_id = ?", Some(Val::Int(a.get())));
    }
    if let Some(c) = f.customer {
        add("d.customer_id = ?", Some(Val::Int(c.get())));
    }
    if let Some(from) = f.from {
        add("d.doc_date >= ?", Some(Val::Date(from)));
    }
    if let Some(to) = f.to {
        add("d.doc_date <= ?", Some(Val::Date(to)));
    }
    if let Some(min) = f.min_cents {
        add("d.grand_total_cents >= ?", Some(Val::Int(min)));
    }
    if let Some(max) = f.max_cents {
        add("d.grand_total_cents <= ?", Some(Val::Int(max)));
    }
    let today = f.today.unwrap_or(Date::MIN);
    match f.status.as_deref() {
        Some("draft") => add("d.state = 'draft'", None),
        Some("to_validate") => add("d.state = 'draft' and d.review = 'asked'", None),
        Some("returned") => add("d.state = 'draft' and d.review = 'returned'", None),
        Some("validated") => add("d.state = 'issued'", None),
        Some("sent") => add(
            "d.state = 'sent' and (d.valid_until is null or d.valid_until >= ?)",
            Some(Val::Date(today)),
        ),
        Some("expired") => add(
            "d.state = 'sent' and d.valid_until < ?",
            Some(Val::Date(today)),
        ),
        Some("accepted") => add("d.state = 'accepted'", None),
        Some("refused") => add("d.state = 'refused'", None),
        Some("issued") => add("d.settlement = 'issued'", None),
        Some("partly_paid") => add("d.settlement = 'partly_paid'", None),
        Some("paid") => add("d.settlement = 'paid'", None),
        Some("cancelled") => add("d.settlement = 'cancelled'", None),
        Some("overdue") => add(
            "d.settlement in ('issued', 'partly_paid') and d.kind <> 'credit_note' and d.due_date < ?",
            Some(Val::Date(today)),
        ),
        Some("unpaid") => add(
            "d.settlement in ('issued', 'partly_paid') and d.kind <> 'credit_note'",
            None,
        ),
        _ => {}
    }
    (format!("where {}", conds.join(" and ")), vals)
}

macro_rules! bind_vals {
    ($q:expr, $vals:expr) => {{
        let mut q = $q;
        for v in $vals {
            q = match v {
                Val::Text(t) => q.bind(t.clone()),
                Val::Int(i) => q.bind(*i),
                Val::Date(d) => q.bind(*d),
            };
        }
        q
    }};
}

/// A page of documents, newest first. The totals of the whole set come from [`list_totals`], run
/// on its own so a caller may run both at once.
pub async fn list_docs(
    tx: &mut Tx,
    coop: CooperativeId,
    f: &DocFilter,
    limit: i64,
    offset: i64,
) -> Result<Vec<DocRecord>, StorageError> {
    let (totals_sql, page_sql, vals) = list_sql(tx, coop, f);
    let _ = totals_sql;
    let rows: Vec<DocRecord> = on_tx!(tx, |conn| {
        let q = bind_vals!(
            sqlx::query_as(sqlx::AssertSqlSafe(page_sql.clone())).bind(coop.get()),
            &vals
        );
        q.bind(limit).bind(offset).fetch_all(conn).await?
    });
    Ok(rows)
}

/// The SQL of a list: (totals, page, bound values). Every piece of text is a constant.
/// The list's queries: (`from … where …` of its totals, its page's query, the values bound).
fn list_sql(tx: &Tx, coop: CooperativeId, f: &DocFilter) -> (String, String, Vec<Val>) {
    let (where_clause, vals) = doc_where(coop, f);
    // The totals read the documents alone (an index covers them) unless the search needs the
    // customer's name. SQLite keeps no statistics by default, so it is told which index serves
    // each query: the narrow totals index (kind, then dates), the list index in date order, or
    // the activity's index for an entrepreneur.
    let sqlite = matches!(tx, Tx::Sqlite(_));
    let scoped = f.activities.is_some() || f.activity.is_some();
    // The validation queue has its own narrow index (`sale_doc_review`); the unpaid invoices
    // read faster from the covering totals index than by looking up rows from the due index.
    let narrow = match f.status.as_deref() {
        Some("to_validate" | "returned") => Some(" indexed by sale_doc_review"),
        _ => None,
    };
    let (totals_index, page_index) = match (sqlite, scoped, narrow) {
        (false, _, _) => ("", ""),
        (true, true, _) => (
            " indexed by sale_doc_activity",
            " indexed by sale_doc_activity",
        ),
        (true, false, Some(index)) => (index, index),
        (true, false, None) => (" indexed by sale_doc_totals", " indexed by sale_doc_list"),
    };
    let joins = "join activity a on a.activity_id = d.activity_id join customer c on c.customer_id = d.customer_id";
    let totals_joins = if where_clause.contains("c.name") {
        joins
    } else {
        ""
    };
    let n = vals.len();
    let review = matches!(f.status.as_deref(), Some("to_validate" | "returned"));
    let order = if f.oldest_first && review {
        // The validation queue: the request waiting longest first.
        "d.review_at, d.sale_doc_id"
    } else if f.oldest_first {
        "d.doc_date, d.sale_doc_id"
    } else {
        "d.doc_date desc, d.sale_doc_id desc"
    };
    let totals_from = format!("from sale_doc d{totals_index} {totals_joins} {where_clause}");
    let page_sql = format!(
        "select {DOC_COLUMNS} from sale_doc d{page_index} {joins} {where_clause} order by {order} limit ${} offset ${}",
        n + 2,
        n + 3
    );
    (totals_from, page_sql, vals)
}

/// The count and totals of the whole filtered set (see [`list_docs`]).
pub async fn list_totals(
    tx: &mut Tx,
    coop: CooperativeId,
    f: &DocFilter,
) -> Result<ListTotals, StorageError> {
    let (totals_from, _, vals) = list_sql(tx, coop, f);
    let totals_sql = format!(
        "select count(*), cast(coalesce(sum(case when d.kind = 'credit_note' then -d.tax_basis_cents else d.tax_basis_cents end), 0) as bigint), \
         cast(coalesce(sum(case when d.kind = 'credit_note' then -d.grand_total_cents else d.grand_total_cents end), 0) as bigint), \
         cast(coalesce(sum(d.outstanding_cents), 0) as bigint) {totals_from}"
    );
    let (count, basis, total, outstanding): (i64, i64, i64, i64) = on_tx!(tx, |conn| {
        let q = bind_vals!(
            sqlx::query_as(sqlx::AssertSqlSafe(totals_sql.clone())).bind(coop.get()),
            &vals
        );
        q.fetch_one(conn).await?
    });
    Ok(ListTotals {
        count,
        tax_basis_cents: basis,
        grand_total_cents: total,
        outstanding_cents: outstanding,
    })
}

/// The totals of the documents a filter lists (the overdue invoices) and what remains due on
/// them summed by age band, in one read of the list's index: `starts` are the earliest due dates
/// of the first three bands (`essaim_domain::selling::payment::AgeBucket::band_starts`); older
/// ones, and documents without a due date, make the fourth.
pub async fn totals_by_age(
    tx: &mut Tx,
    coop: CooperativeId,
    f: &DocFilter,
    starts: [Date; 3],
) -> Result<(ListTotals, [i64; 4]), StorageError> {
    let (totals_from, _, vals) = list_sql(tx, coop, f);
    let n = vals.len();
    let (a, b, c) = (n + 2, n + 3, n + 4);
    let sum = |cond: String| {
        format!(
            "cast(coalesce(sum(case when {cond} then d.outstanding_cents else 0 end), 0) as bigint)"
        )
    };
    let sql = format!(
        "select count(*), cast(coalesce(sum(case when d.kind = 'credit_note' then -d.tax_basis_cents else d.tax_basis_cents end), 0) as bigint), \
         cast(coalesce(sum(case when d.kind = 'credit_note' then -d.grand_total_cents else d.grand_total_cents end), 0) as bigint), \
         cast(coalesce(sum(d.outstanding_cents), 0) as bigint), {}, {}, {}, {} {totals_from}",
        sum(format!("d.due_date >= ${a}")),
        sum(format!("d.due_date >= ${b} and d.due_date < ${a}")),
        sum(format!("d.due_date >= ${c} and d.due_date < ${b}")),
        sum(format!("(d.due_date is null or d.due_date < ${c})")),
    );
    #[allow(clippy::type_complexity)]
    let row: (i64, i64, i64, i64, i64, i64, i64, i64) = on_tx!(tx, |conn| {
        let q = bind_vals!(
            sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(coop.get()),
            &vals
        );
        q.bind(starts[0])
            .bind(starts[1])
            .bind(starts[2])
            .fetch_one(conn)
            .await?
    });
    Ok((
        ListTotals {
            count: row.0,
            tax_basis_cents: row.1,
            grand_total_cents: row.2,
            outstanding_cents: row.3,
        },
        [row.4, row.5, row.6, row.7],
    ))
}

/// Unpaid issued invoices with a due date, for the ageing table: (activity, due date, amount
/// still due).
pub async fn receivables(
    tx: &mut Tx,
    coop: CooperativeId,
    activities: Option<&[ActivityId]>,
) -> Result<Vec<(i64, String, Date, i64)>, StorageError> {
    let scope = match activities {
        None => String::new(),
        Some(ids) => {
            let list: Vec<String> = ids.iter().map(|a| a.get().to_string()).collect();
            format!(
                " and d.activity_id in ({})",
                if list.is_empty() {
                    "0".to_owned()
                } else {
                    list.join(",")
                }
            )
        }
    };
    let sql = format!(
        "select d.activity_id, a.name, d.due_date, d.grand_total_cents - d.paid_cents - d.credited_cents from sale_doc d \
         join activity a on a.activity_id = d.activity_id where d.cooperative_id = $1 and d.state = 'issued' and d.kind <> 'credit_note' \
         and d.due_date is not null and d.paid_cents + d.credited_cents < d.grand_total_cents{scope}"
    );
    Ok(on_tx!(tx, |conn| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(coop.get())
        .fetch_all(conn)
        .await?))
}

// ---------------------------------------------------------------------------------------------
// E-mail templates

/// A cooperative's own template of one kind (`quote`, `invoice`, `reminder`): (subject, body).
pub async fn mail_template(
    tx: &mut Tx,
    coop: CooperativeId,
    kind: &str,
) -> Result<Option<(String, String)>, StorageError> {
    const SQL: &str =
        "select subject, body from sale_mail_template where cooperative_id = $1 and kind = $2";
    Ok(on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(coop.get())
        .bind(kind)
        .fetch_optional(conn)
        .await?))
}

pub async fn save_mail_template(
    tx: &mut Tx,
    coop: CooperativeId,
    kind: &str,
    subject: &str,
    body: &str,
) -> Result<(), StorageError> {
    const SQL: &str = "insert into sale_mail_template (cooperative_id, kind, subject, body) values ($1, $2, $3, $4) \
         on conflict (cooperative_id, kind) do update set subject = excluded.subject, body = excluded.body";
    on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(coop.get())
        .bind(kind)
        .bind(subject)
        .bind(body)
        .execute(conn)
        .await?
        .rows_affected());
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// ZIP exports

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct ExportRecord {
    pub sale_export_id: i64,
    pub user_id: i64,
    pub period_from: Date,
    pub period_to: Date,
    pub status: String,
    pub done: i64,
    pub total: i64,
    pub sha256: Option<String>,
    pub error: Option<String>,
    pub created_at: OffsetDateTime,
}

pub async fn insert_export(
    tx: &mut Tx,
    coop: CooperativeId,
    user: UserId,
    from: Date,
    to: Date,
    now: OffsetDateTime,
) -> Result<i64, StorageError> {
    const SQL: &str = "insert into sale_export (cooperative_id, user_id, period_from, period_to, status, done, total, created_at) \
         values ($1, $2, $3, $4, 'queued', 0, 0, $5) returning sale_export_id";
    Ok(on_tx!(tx, |conn| sqlx::query_scalar(SQL)
        .bind(coop.get())
        .bind(user.get())
        .bind(from)
        .bind(to)
        .bind(now)
        .fetch_one(conn)
        .await?))
}

pub async fn export(
    tx: &mut Tx,
    coop: CooperativeId,
    id: i64,
) -> Result<Option<ExportRecord>, StorageError> {
    const SQL: &str = "select sale_export_id, user_id, period_from, period_to, status, done, total, sha256, error, created_at \
         from sale_export where cooperative_id = $1 and sale_export_id = $2";
    Ok(on_tx!(tx, |conn| sqlx::query_as(SQL)
        .bind(coop.get())
        .bind(id)
        .fetch_optional(conn)
        .await?))
}

/// Progress of an export: status, documents done out of `total`, and when finished its file.
#[allow(clippy::too_many_arguments)]
pub async fn set_export_progress(
    tx: &mut Tx,
    id: i64,
    status: &str,
    done: i64,
    total: i64,
    sha256: Option<&str>,
    error: Option<&str>,
    finished_at: Option<OffsetDateTime>,
) -> Result<(), StorageError> {
    const SQL: &str = "update sale_export set status = $2, done = $3, total = $4, sha256 = $5, error = $6, finished_at = $7 \
         where sale_export_id = $1";
    on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(id)
        .bind(status)
        .bind(done)
        .bind(total)
        .bind(sha256)
        .bind(error)
        .bind(finished_at)
        .execute(conn)
        .await?
        .rows_affected());
    Ok(())
}

/// How many invoices, deposits and credit notes are issued, in every cooperative (benchmarks).
pub async fn count_issued(tx: &mut Tx) -> Result<i64, StorageError> {
    const SQL: &str = "select count(*) from sale_doc where state = 'issued'";
    Ok(on_tx!(tx, |conn| sqlx::query_scalar(SQL)
        .fetch_one(conn)
        .await?))
}

/// The frozen snapshot of an issued document (GEN-03).
pub async fn snapshot(tx: &mut Tx, id: SaleDocId) -> Result<Option<String>, StorageError> {
    const SQL: &str = "select snapshot from sale_snapshot where sale_doc_id = $1";
    Ok(on_tx!(tx, |conn| sqlx::query_scalar(SQL)
        .bind(id.get())
        .fetch_optional(conn)
        .await?))
}

/// The payment status of an issued document, from its amounts, as the domain derives it
/// (`essaim_domain::selling::display_status`): one expression, rewritten after each change.
const SETTLEMENT: &str = "case when state <> 'issued' then '' when kind = 'credit_note' then 'issued' \
     when credited_cents >= grand_total_cents and grand_total_cents > 0 then 'cancelled' \
     when paid_cents + credited_cents >= grand_total_cents then 'paid' when paid_cents > 0 then 'partly_paid' else 'issued' end";

async fn refresh_settlement(tx: &mut Tx, id: SaleDocId) -> Result<(), StorageError> {
    let sql = format!("update sale_doc set settlement = {SETTLEMENT} where sale_doc_id = $1");
    on_tx!(tx, |conn| sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id.get())
        .execute(conn)
        .await?
        .rows_affected());
    Ok(())
}
