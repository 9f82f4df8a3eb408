//! From stored values to the `SaleDocument` the renderers write out: the seller (the
//! cooperative's legal identity with the activity's name, INV-01), the buyer (INV-02), lines,
//! VAT and totals as the domain computed them, and every mention (INV-03…08). At validation this
//! document is stored as the invoice's frozen snapshot (GEN-03): its PDF and XML are always
//! rendered from it afterwards.

use essaim_documents::sale::{
    Branding, Buyer, DocumentAllowance, PostalAddress, PrecedingInvoice, SaleDocument, SaleKind,
    SaleLine, Seller, Totals, TradeQuantity, VatBreakdown,
};
use essaim_domain::cooperative::{Address, Cooperative};
use essaim_domain::selling::DocKind;
use essaim_domain::selling::compute::{Computed, Discount, nature};
use essaim_domain::selling::customer::CustomerDetails;
use essaim_domain::selling::terms::{PaymentMentions, PaymentTerms, fr_date, payment_mentions};
use essaim_domain::selling::unit::{parse_unit, trade_quantity};
use essaim_domain::selling::vat::VatCategory;
use essaim_storage::sale::SellingSettings;
use rust_decimal::Decimal;
use time::Date;

fn postal(a: &Address) -> PostalAddress {
    PostalAddress {
        line1: a.line1.clone(),
        line2: a.line2.clone(),
        postcode: a.postcode.clone(),
        city: a.city.clone(),
        country: a.country.clone(),
    }
}

pub fn kind_of(kind: DocKind) -> SaleKind {
    match kind {
        DocKind::Quote => SaleKind::Quote,
        DocKind::Invoice => SaleKind::Invoice,
        DocKind::Deposit => SaleKind::Deposit,
        DocKind::CreditNote => SaleKind::CreditNote,
    }
}

/// EAS code of an electronic address built on a SIREN (French e-invoicing directory).
pub const SIREN_SCHEME: &str = "0225";

pub fn seller(coop: &Cooperative, activity_name: &str, s: &SellingSettings) -> Seller {
    let id = &coop.identity;
    let siren = id.siret.siren().as_str().to_owned();
    Seller {
        legal_name: id.legal_name.clone(),
        trade_name: Some(activity_name.to_owned()),
        legal_mention: format!(
            "{} (capital social statutaire : {})",
            id.legal_form.printed(),
            id.share_capital
                .format_fr()
                .replace(['\u{a0}', '\u{202f}'], " ")
        ),
        siren: siren.clone(),
        siret: id.siret.as_str().to_owned(),
        vat_number: id.vat_number.as_str().to_owned(),
        rcs: format!("RCS {}", id.rcs_city),
        address: postal(&id.address),
        electronic_address: siren,
        electronic_address_scheme: SIREN_SCHEME.to_owned(),
        email: s.email.clone(),
        phone: s.phone.clone(),
        iban: s.iban.clone(),
        bic: s.bic.clone(),
    }
}

pub fn buyer(c: &CustomerDetails, purchase_order: Option<String>) -> Buyer {
    Buyer {
        name: c.name.clone(),
        is_business: c.is_business(),
        siren: c.siren.as_ref().map(|s| s.as_str().to_owned()),
        siret: c.siret.as_ref().map(|s| s.as_str().to_owned()),
        vat_number: c.vat_number.as_ref().map(|v| v.as_str().to_owned()),
        address: postal(&c.address),
        delivery_address: c.delivery.as_ref().map(postal),
        electronic_address: c.electronic_address.clone(),
        electronic_address_scheme: c
            .electronic_address
            .as_ref()
            .map(|_| SIREN_SCHEME.to_owned()),
        purchase_order,
    }
}

/// Everything a document needs besides its computed amounts.
pub struct Context<'a> {
    pub kind: DocKind,
    pub number: Option<String>,
    pub issue_date: Date,
    pub due_date: Option<Date>,
    pub valid_until: Option<Date>,
    pub delivery_date: Option<Date>,
    pub seller: Seller,
    pub customer: &'a CustomerDetails,
    pub purchase_order: Option<String>,
    pub terms: PaymentTerms,
    pub vat_on_debits: bool,
    pub preceding: Vec<PrecedingInvoice>,
    pub notes: Option<String>,
    pub accepted_by: Option<String>,
    pub accepted_on: Option<Date>,
}

/// How the structured invoice states a line's quantity when its unit is Essaim's own and not in
/// the EN 16931 list (a half day, in days: see `essaim_domain::selling::unit`); `None` when the
/// unit is its own code.
fn trade_of(unit_code: &str, quantity: Decimal) -> Option<TradeQuantity> {
    let q = trade_quantity(unit_code, quantity)?;
    let price_base = q.price_base?;
    Some(TradeQuantity {
        unit_code: q.code.to_owned(),
        quantity: q.quantity,
        price_base,
    })
}

/// Gives the lines of a document frozen before units were mapped (GEN-03: its snapshot stays as
/// it was issued) the EN 16931 statement of their quantity, so that its Factur-X, rendered again
/// for the PDF or for sending, is valid (BR-CL-23, EIN-11). What the PDF prints (quantity, unit,
/// prices, amounts) is the frozen content, unchanged; only the structured code differs.
pub fn complete_trade_quantities(doc: &mut SaleDocument) {
    for line in doc.lines.iter_mut().filter(|l| l.trade.is_none()) {
        line.trade = trade_of(&line.unit_code, line.quantity);
    }
}

pub fn sale_document(ctx: Context<'_>, computed: &Computed) -> SaleDocument {
    let lines = computed
        .lines
        .iter()
        .map(|l| {
            let unit = parse_unit(&l.item.unit).ok();
            SaleLine {
                position: l.position,
                section: l.section.clone(),
                label: l.item.label.clone(),
                description: l.item.description.clone(),
                quantity: l.item.quantity,
                unit_code: l.item.unit.clone(),
                unit_label: unit.map_or_else(|| l.item.unit.clone(), |u| u.singular.to_owned()),
                trade: trade_of(&l.item.unit, l.item.quantity),
                unit_price: l.unit_price_ht,
                allowance_cents: l.allowance_cents,
                allowance_percent: l.allowance_percent,
                gross_cents: l.gross_cents,
                net_cents: l.net_cents,
                vat_category: l.vat.category.code().to_owned(),
                vat_rate: l.vat.rate,
                is_goods: l.item.goods,
            }
        })
        .collect();
    let allowances = computed
        .allowances
        .iter()
        .map(|a| DocumentAllowance {
            reason: "Remise".to_owned(),
            percent: a.percent,
            base_cents: a.base_cents,
            amount_cents: a.amount_cents,
            vat_category: a.vat.category.code().to_owned(),
            vat_rate: a.vat.rate,
        })
        .collect();
    let vat = computed
        .vat
        .iter()
        .map(|v| VatBreakdown {
            category: v.vat.category.code().to_owned(),
            rate: v.vat.rate,
            basis_cents: v.basis_cents,
            vat_cents: v.vat_cents,
            exemption_reason: v.vat.exemption_reason.map(str::to_owned),
            exemption_code: v.vat.exemption_code.map(str::to_owned),
        })
        .collect();
    let t = computed.totals;
    let (nature_label, business_process) = nature(computed);
    let business = ctx.customer.is_business();
    let due = ctx
        .due_date
        .unwrap_or_else(|| ctx.terms.due_date(ctx.issue_date));
    let pm = payment_mentions(ctx.terms, due, business, ctx.issue_date).unwrap_or_else(|_| {
        PaymentMentions {
            terms: format!("Paiement au plus tard le {}.", fr_date(due)),
            early_payment_discount: String::new(),
            late_penalties: String::new(),
            recovery_indemnity: None,
        }
    });
    let payment_terms = match ctx.kind {
        DocKind::CreditNote => {
            "Avoir à déduire de la facture d'origine ou remboursé sur demande.".to_owned()
        }
        DocKind::Quote => format!("Conditions de paiement : {}.", ctx.terms.label()),
        _ => pm.terms.clone(),
    };
    let mut mentions = Vec::new();
    if ctx.vat_on_debits
        && computed.has_services()
        && computed
            .vat
            .iter()
            .any(|v| v.vat.category == VatCategory::Standard)
    {
        // INV-08, INV-41.
        mentions.push("Option pour le paiement de la taxe d'après les débits".to_owned());
    }
    for v in &computed.vat {
        if let Some(reason) = v.vat.exemption_reason
            && !mentions.iter().any(|m| m == reason)
        {
            mentions.push(reason.to_owned());
        }
    }
    if ctx.kind == DocKind::CreditNote {
        for p in &ctx.preceding {
            mentions.push(format!(
                "Avoir sur la facture {} du {}",
                p.number,
                fr_date(p.issue_date)
            ));
        }
    }
    SaleDocument {
        kind: kind_of(ctx.kind),
        number: ctx.number,
        issue_date: ctx.issue_date,
        due_date: ctx.due_date,
        valid_until: ctx.valid_until,
        delivery_date: ctx.delivery_date,
        currency: "EUR".to_owned(),
        seller: ctx.seller,
        buyer: buyer(ctx.customer, ctx.purchase_order),
        lines,
        allowances,
        vat,
        totals: Totals {
            line_total_cents: t.line_total_cents,
            allowance_total_cents: t.allowance_total_cents,
            tax_basis_cents: t.tax_basis_cents,
            tax_total_cents: t.tax_total_cents,
            grand_total_cents: t.grand_total_cents,
            prepaid_cents: 0,
            due_cents: t.grand_total_cents,
        },
        preceding: ctx.preceding,
        nature_label: nature_label.to_owned(),
        business_process: business_process.to_owned(),
        payment_terms,
        early_payment_discount: pm.early_payment_discount,
        late_penalties: pm.late_penalties,
        recovery_indemnity: pm.recovery_indemnity,
        mentions,
        notes: ctx.notes,
        accepted_by: ctx.accepted_by,
        accepted_on: ctx.accepted_on,
    }
}

pub fn branding(s: &SellingSettings, logo: Option<(Vec<u8>, &'static str)>) -> Branding {
    Branding {
        accent: s.accent.clone(),
        footer: s.footer.clone(),
        logo,
    }
}

/// A discount as stored: `pct:10` or `amt:1500` (cents).
pub fn discount_code(d: Option<Discount>) -> Option<String> {
    d.map(|d| match d {
        Discount::Percent(p) => format!("pct:{}", p.normalize()),
        Discount::Amount(a) => format!("amt:{a}"),
    })
}

pub fn parse_discount_code(s: Option<&str>) -> Option<Discount> {
    let s = s?;
    if let Some(p) = s.strip_prefix("pct:") {
        p.parse().ok().map(Discount::Percent)
    } else {
        s.strip_prefix("amt:")
            .and_then(|a| a.parse().ok())
            .map(Discount::Amount)
    }
}

/// A discount as a person types it: "10 %" or "15,00".
pub fn discount_text(d: Option<Discount>) -> String {
    match d {
        None => String::new(),
        Some(Discount::Percent(p)) => format!("{} %", p.normalize().to_string().replace('.', ",")),
        Some(Discount::Amount(a)) => essaim_domain::money::Money::eur(a).typed_fr(),
    }
}
