//! What the sale template reads (`/data.json`): every figure already formatted the French way
//! ("1 234,56 €", "5,5 %", "15/03/2026"), lines grouped under their section headings with a
//! subtotal each, so that the template only lays text out.

use rust_decimal::Decimal;
use serde::Serialize;
use time::Date;

use super::{Branding, PostalAddress, SaleDocument, SaleKind, SaleLine};

/// Narrow no-break space, the French thousands separator.
const THOUSANDS: char = '\u{202f}';
/// No-break space, before "€" and "%".
const NBSP: char = '\u{a0}';
/// The minus sign.
const MINUS: char = '\u{2212}';

/// Groups the digits of an unsigned integer by three.
fn group_thousands(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(THOUSANDS);
        }
        out.push(c);
    }
    out
}

/// A French decimal number: "1 234,5", "−2", with at least `min_decimals` decimals.
pub(crate) fn french_decimal(value: Decimal, min_decimals: u32) -> String {
    let mut value = value.normalize();
    if value.scale() < min_decimals {
        value.rescale(min_decimals);
    }
    let text = value.abs().to_string();
    let (int, frac) = match text.split_once('.') {
        Some((int, frac)) => (int, Some(frac)),
        None => (text.as_str(), None),
    };
    let mut out = String::new();
    if value.is_sign_negative() && !value.is_zero() {
        out.push(MINUS);
    }
    out.push_str(&group_thousands(int));
    if let Some(frac) = frac {
        out.push(',');
        out.push_str(frac);
    }
    out
}

/// Cents as French money: "1 234,56 €" (with `symbol` "€" for EUR, else the ISO code).
pub(crate) fn french_money(cents: i64, currency: &str) -> String {
    let symbol = if currency == "EUR" { "€" } else { currency };
    format!(
        "{}{NBSP}{symbol}",
        french_decimal(Decimal::new(cents, 2), 2)
    )
}

/// A rate in percent: "20 %", "5,5 %".
pub(crate) fn french_percent(rate: Decimal) -> String {
    format!("{}{NBSP}%", french_decimal(rate, 0))
}

/// "15/03/2026".
pub(crate) fn french_date(date: Date) -> String {
    format!(
        "{:02}/{:02}/{:04}",
        date.day(),
        u8::from(date.month()),
        date.year()
    )
}

/// An IBAN in groups of four characters.
fn spaced_iban(iban: &str) -> String {
    let compact: Vec<char> = iban.chars().filter(|c| !c.is_whitespace()).collect();
    compact
        .chunks(4)
        .map(|chunk| chunk.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

fn country_name(code: &str) -> &str {
    match code {
        "FR" => "France",
        "BE" => "Belgique",
        "DE" => "Allemagne",
        "LU" => "Luxembourg",
        "CH" => "Suisse",
        "ES" => "Espagne",
        "IT" => "Italie",
        "NL" => "Pays-Bas",
        "PT" => "Portugal",
        "GB" => "Royaume-Uni",
        other => other,
    }
}

/// The lines of a postal address; the country is printed only when it is not France.
fn address_lines(address: &PostalAddress) -> Vec<String> {
    let mut lines = vec![address.line1.clone()];
    if let Some(line2) = address.line2.as_ref().filter(|l| !l.trim().is_empty()) {
        lines.push(line2.clone());
    }
    lines.push(format!("{} {}", address.postcode, address.city));
    if address.country != "FR" {
        lines.push(country_name(&address.country).to_owned());
    }
    lines.retain(|l| !l.trim().is_empty());
    lines
}

#[derive(Serialize)]
pub(crate) struct View {
    title: String,
    kind: SaleKind,
    draft: bool,
    number: Option<String>,
    /// The document date for the PDF metadata (no clock: the issue date).
    year: i32,
    month: u8,
    day: u8,
    issue_date: String,
    due_date: Option<String>,
    valid_until: Option<String>,
    delivery_date: Option<String>,
    seller: SellerView,
    buyer: BuyerView,
    sections: Vec<SectionView>,
    allowances: Vec<AllowanceView>,
    vat: Vec<VatView>,
    totals: TotalsView,
    preceding: Vec<PrecedingView>,
    preceding_title: Option<String>,
    nature_label: String,
    payment_terms: String,
    early_payment_discount: String,
    late_penalties: String,
    recovery_indemnity: Option<String>,
    mentions: Vec<String>,
    notes: Option<String>,
    bank: Option<BankView>,
    quote: bool,
    accepted_by: Option<String>,
    accepted_on: Option<String>,
    accent: String,
    logo: Option<String>,
    footer: Option<String>,
    facturx: bool,
}

#[derive(Serialize)]
struct SellerView {
    legal_name: String,
    trade_name: Option<String>,
    legal_mention: String,
    address: Vec<String>,
    siren: String,
    siret: String,
    vat_number: String,
    rcs: String,
    email: Option<String>,
    phone: Option<String>,
}

#[derive(Serialize)]
struct BuyerView {
    name: String,
    address: Vec<String>,
    siren: Option<String>,
    vat_number: Option<String>,
    delivery_address: Option<Vec<String>>,
    purchase_order: Option<String>,
}

#[derive(Serialize)]
struct SectionView {
    heading: Option<String>,
    lines: Vec<LineView>,
    subtotal: Option<String>,
}

#[derive(Serialize)]
struct LineView {
    label: String,
    description: Option<String>,
    quantity: String,
    unit: String,
    unit_price: String,
    discount: Option<String>,
    vat_rate: String,
    net: String,
}

#[derive(Serialize)]
struct AllowanceView {
    reason: String,
    detail: String,
    amount: String,
}

#[derive(Serialize)]
struct VatView {
    label: String,
    basis: String,
    amount: String,
    reason: Option<String>,
}

#[derive(Serialize)]
struct TotalsView {
    line_total: Option<String>,
    allowance_total: Option<String>,
    tax_basis: String,
    tax_total: String,
    grand_total: String,
    prepaid: Option<String>,
    due: String,
}

#[derive(Serialize)]
struct PrecedingView {
    number: String,
    date: String,
}

#[derive(Serialize)]
struct BankView {
    holder: String,
    iban: String,
    bic: Option<String>,
}

fn title(kind: SaleKind) -> &'static str {
    match kind {
        SaleKind::Quote => "Devis",
        SaleKind::Invoice => "Facture",
        SaleKind::Deposit => "Facture d'acompte",
        SaleKind::CreditNote => "Avoir",
    }
}

fn vat_label(category: &str, rate: Decimal) -> String {
    match category {
        "S" => format!("TVA {}", french_percent(rate)),
        "Z" => format!("TVA {} (taux zéro)", french_percent(rate)),
        "E" => "Exonération de TVA".to_owned(),
        "AE" => "Autoliquidation".to_owned(),
        "K" => "Livraison intracommunautaire".to_owned(),
        "G" => "Exportation hors UE".to_owned(),
        "O" => "Hors champ de la TVA".to_owned(),
        other => format!("TVA {other} {}", french_percent(rate)),
    }
}

fn line_vat(line: &SaleLine) -> String {
    match line.vat_category.as_str() {
        "S" | "Z" => french_percent(line.vat_rate),
        "E" => "Exonéré".to_owned(),
        "AE" => "Autoliq.".to_owned(),
        "O" => "Hors champ".to_owned(),
        _ => format!("{} {}", line.vat_category, french_percent(line.vat_rate)),
    }
}

fn line_view(line: &SaleLine, currency: &str) -> LineView {
    let discount = if line.allowance_cents == 0 {
        None
    } else {
        Some(match line.allowance_percent {
            Some(percent) => format!(
                "{} ({})",
                french_percent(percent),
                french_money(-line.allowance_cents, currency)
            ),
            None => french_money(-line.allowance_cents, currency),
        })
    };
    let unit_price = format!(
        "{}{NBSP}{}",
        french_decimal(line.unit_price, 2),
        if currency == "EUR" { "€" } else { currency }
    );
    LineView {
        label: line.label.clone(),
        description: line.description.clone().filter(|d| !d.trim().is_empty()),
        quantity: french_decimal(line.quantity, 0),
        unit: line.unit_label.clone(),
        unit_price,
        discount,
        vat_rate: line_vat(line),
        net: french_money(line.net_cents, currency),
    }
}

/// Consecutive lines with the same section form one section; a section with a heading gets a
/// subtotal (Σ line nets).
fn sections(lines: &[SaleLine], currency: &str) -> Vec<SectionView> {
    let mut out: Vec<(Option<String>, i64, Vec<LineView>)> = Vec::new();
    for line in lines {
        let heading = line.section.clone().filter(|s| !s.trim().is_empty());
        match out.last_mut() {
            Some((current, total, views)) if *current == heading => {
                *total += line.net_cents;
                views.push(line_view(line, currency));
            }
            _ => out.push((heading, line.net_cents, vec![line_view(line, currency)])),
        }
    }
    out.into_iter()
        .map(|(heading, total, lines)| SectionView {
            subtotal: heading.as_ref().map(|_| french_money(total, currency)),
            heading,
            lines,
        })
        .collect()
}

impl View {
    pub(crate) fn new(
        doc: &SaleDocument,
        branding: &Branding,
        accent: &str,
        logo: Option<&str>,
    ) -> View {
        let currency = doc.currency.as_str();
        let money = |cents: i64| french_money(cents, currency);
        let t = &doc.totals;
        let draft = doc.number.as_deref().is_none_or(|n| n.trim().is_empty());
        let facturx = !draft && doc.kind != SaleKind::Quote;
        let preceding_title = match (doc.kind, doc.preceding.is_empty()) {
            (_, true) => None,
            (SaleKind::CreditNote, false) => Some("Avoir se rapportant à la facture".to_owned()),
            (_, false) => Some("Factures d'acompte déduites".to_owned()),
        };
        let seller = &doc.seller;
        let buyer = &doc.buyer;
        View {
            title: title(doc.kind).to_owned(),
            kind: doc.kind,
            draft,
            number: doc.number.clone().filter(|_| !draft),
            year: doc.issue_date.year(),
            month: u8::from(doc.issue_date.month()),
            day: doc.issue_date.day(),
            issue_date: french_date(doc.issue_date),
            due_date: doc.due_date.map(french_date),
            valid_until: doc.valid_until.map(french_date),
            delivery_date: doc.delivery_date.map(french_date),
            seller: SellerView {
                legal_name: seller.legal_name.clone(),
                trade_name: seller.trade_name.clone().filter(|t| !t.trim().is_empty()),
                legal_mention: seller.legal_mention.clone(),
                address: address_lines(&seller.address),
                siren: group_siren(&seller.siren),
                siret: seller.siret.clone(),
                vat_number: seller.vat_number.clone(),
                rcs: seller.rcs.clone(),
                email: seller.email.clone(),
                phone: seller.phone.clone(),
            },
            buyer: BuyerView {
                name: buyer.name.clone(),
                address: address_lines(&buyer.address),
                siren: buyer.siren.as_deref().map(group_siren),
                vat_number: buyer.vat_number.clone(),
                delivery_address: buyer.delivery_address.as_ref().map(address_lines),
                purchase_order: buyer.purchase_order.clone(),
            },
            sections: sections(&doc.lines, currency),
            allowances: doc
                .allowances
                .iter()
                .map(|a| AllowanceView {
                    reason: a.reason.clone(),
                    detail: match a.percent {
                        Some(p) => format!(
                            "{} de {} — {}",
                            french_percent(p),
                            money(a.base_cents),
                            vat_label(&a.vat_category, a.vat_rate)
                        ),
                        None => vat_label(&a.vat_category, a.vat_rate),
                    },
                    amount: money(-a.amount_cents),
                })
                .collect(),
            vat: doc
                .vat
                .iter()
                .map(|v| VatView {
                    label: vat_label(&v.category, v.rate),
                    basis: money(v.basis_cents),
                    amount: money(v.vat_cents),
                    reason: v.exemption_reason.clone(),
                })
                .collect(),
            totals: TotalsView {
                line_total: (t.allowance_total_cents != 0).then(|| money(t.line_total_cents)),
                allowance_total: (t.allowance_total_cents != 0)
                    .then(|| money(-t.allowance_total_cents)),
                tax_basis: money(t.tax_basis_cents),
                tax_total: money(t.tax_total_cents),
                grand_total: money(t.grand_total_cents),
                prepaid: (t.prepaid_cents != 0).then(|| money(-t.prepaid_cents)),
                due: money(t.due_cents),
            },
            preceding: doc
                .preceding
                .iter()
                .map(|p| PrecedingView {
                    number: p.number.clone(),
                    date: french_date(p.issue_date),
                })
                .collect(),
            preceding_title,
            nature_label: doc.nature_label.clone(),
            payment_terms: doc.payment_terms.clone(),
            early_payment_discount: doc.early_payment_discount.clone(),
            late_penalties: doc.late_penalties.clone(),
            recovery_indemnity: doc.recovery_indemnity.clone(),
            mentions: doc.mentions.clone(),
            notes: doc.notes.clone().filter(|n| !n.trim().is_empty()),
            bank: seller
                .iban
                .as_deref()
                .filter(|i| !i.trim().is_empty())
                .map(|iban| BankView {
                    holder: seller.legal_name.clone(),
                    iban: spaced_iban(iban),
                    bic: seller.bic.clone(),
                }),
            quote: doc.kind == SaleKind::Quote,
            accepted_by: doc.accepted_by.clone(),
            accepted_on: doc.accepted_on.map(french_date),
            accent: accent.to_owned(),
            logo: logo.map(str::to_owned),
            footer: branding.footer.clone().filter(|f| !f.trim().is_empty()),
            facturx,
        }
    }
}

/// "732 829 320" for a 9-digit SIREN; anything else as given.
fn group_siren(siren: &str) -> String {
    if siren.len() == 9 && siren.bytes().all(|b| b.is_ascii_digit()) {
        format!("{} {} {}", &siren[0..3], &siren[3..6], &siren[6..9])
    } else {
        siren.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    #[test]
    fn amounts_are_written_the_french_way() {
        assert_eq!(french_money(123456, "EUR"), "1\u{202f}234,56\u{a0}€");
        assert_eq!(french_money(5, "EUR"), "0,05\u{a0}€");
        assert_eq!(
            french_money(-100000, "EUR"),
            "\u{2212}1\u{202f}000,00\u{a0}€"
        );
        assert_eq!(
            french_money(123456789, "CHF"),
            "1\u{202f}234\u{202f}567,89\u{a0}CHF"
        );
        assert_eq!(french_money(0, "EUR"), "0,00\u{a0}€");
    }

    #[test]
    fn rates_quantities_and_dates_are_written_the_french_way() {
        assert_eq!(french_percent(dec("5.50")), "5,5\u{a0}%");
        assert_eq!(french_percent(dec("20")), "20\u{a0}%");
        assert_eq!(french_decimal(dec("-1.5"), 0), "\u{2212}1,5");
        assert_eq!(french_decimal(dec("82.5"), 2), "82,50");
        assert_eq!(french_decimal(dec("12.3456"), 2), "12,3456");
        assert_eq!(
            french_date(time::macros::date!(2026 - 03 - 05)),
            "05/03/2026"
        );
        assert_eq!(group_siren("732829320"), "732 829 320");
        assert_eq!(
            spaced_iban("FR7630006000011234567890189"),
            "FR76 3000 6000 0112 3456 7890 189"
        );
    }
}
