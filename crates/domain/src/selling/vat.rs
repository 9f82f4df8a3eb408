//! VAT options a line may carry (INV-40, INV-08, EIN-12): a dated table of rates and exemption
//! categories (GEN-01). Each option knows its EN 16931 category code (BT-151), its rate, and for
//! zero-rated categories the legal basis printed on the invoice and sent as BT-120/BT-121.

use rust_decimal::Decimal;
use time::Date;
use time::macros::date;

/// EN 16931 VAT category (UNTDID 5305 subset).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum VatCategory {
    /// S: standard and reduced rates.
    Standard,
    /// E: exempt (legal basis required).
    Exempt,
    /// AE: reverse charge ("autoliquidation").
    ReverseCharge,
    /// K: intra-community supply of goods.
    IntraCommunity,
    /// G: export outside the EU.
    Export,
}

impl VatCategory {
    pub fn code(self) -> &'static str {
        match self {
            VatCategory::Standard => "S",
            VatCategory::Exempt => "E",
            VatCategory::ReverseCharge => "AE",
            VatCategory::IntraCommunity => "K",
            VatCategory::Export => "G",
        }
    }
}

/// One VAT option of the table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VatOption {
    /// Stable code stored on lines: `fr20`, `exempt_261_4_4a`...
    pub code: &'static str,
    pub category: VatCategory,
    /// Rate in percent: 20, 5.5...
    pub rate: Decimal,
    /// French label for forms.
    pub label: &'static str,
    /// Legal basis printed on the invoice and sent as BT-120 (zero-rated categories only).
    pub exemption_reason: Option<&'static str>,
    /// VATEX code (BT-121).
    pub exemption_code: Option<&'static str>,
    /// Only offered to a seller without a VAT number (INV-09: a CAE is one taxable person and
    /// normally cannot use the franchise).
    pub franchise_only: bool,
    pub valid_from: Date,
    pub valid_to: Option<Date>,
}

impl VatOption {
    pub fn is_zero_rated(&self) -> bool {
        self.category != VatCategory::Standard
    }
}

const fn pct(tenths: i64) -> Decimal {
    Decimal::from_parts(tenths as u32, 0, 0, false, 1)
}

const fn standard(code: &'static str, tenths: i64, label: &'static str, from: Date) -> VatOption {
    VatOption {
        code,
        category: VatCategory::Standard,
        rate: pct(tenths),
        label,
        exemption_reason: None,
        exemption_code: None,
        franchise_only: false,
        valid_from: from,
        valid_to: None,
    }
}

const fn zero(
    code: &'static str,
    category: VatCategory,
    label: &'static str,
    reason: &'static str,
    vatex: &'static str,
    franchise_only: bool,
) -> VatOption {
    VatOption {
        code,
        category,
        rate: Decimal::ZERO,
        label,
        exemption_reason: Some(reason),
        exemption_code: Some(vatex),
        franchise_only,
        valid_from: date!(2014 - 01 - 01),
        valid_to: None,
    }
}

/// France (CGI art. 278 ff.); the 20/10/5.5 % rates date from 1 January 2014, 2.1 % from 1986.
pub const FRANCE: [VatOption; 9] = [
    standard("fr20", 200, "20 %", date!(2014 - 01 - 01)),
    standard("fr10", 100, "10 %", date!(2014 - 01 - 01)),
    standard("fr5_5", 55, "5,5 %", date!(2014 - 01 - 01)),
    standard("fr2_1", 21, "2,1 %", date!(1986 - 07 - 01)),
    zero(
        "exempt_261_4_4a",
        VatCategory::Exempt,
        "0 % — formation professionnelle (art. 261-4-4° a du CGI)",
        "Exonération de TVA, art. 261-4-4° a du CGI",
        "VATEX-EU-132-1I",
        false,
    ),
    zero(
        "franchise_293b",
        VatCategory::Exempt,
        "0 % — franchise en base (art. 293 B du CGI)",
        "TVA non applicable, art. 293 B du CGI",
        "VATEX-FR-FRANCHISE",
        true,
    ),
    zero(
        "reverse_charge",
        VatCategory::ReverseCharge,
        "0 % — autoliquidation (client de l'UE)",
        "Autoliquidation",
        "VATEX-EU-AE",
        false,
    ),
    zero(
        "intra_eu_goods",
        VatCategory::IntraCommunity,
        "0 % — livraison intracommunautaire (art. 262 ter I du CGI)",
        "Exonération de TVA, art. 262 ter I du CGI",
        "VATEX-EU-IC",
        false,
    ),
    zero(
        "export",
        VatCategory::Export,
        "0 % — exportation hors UE (art. 262 I du CGI)",
        "Exonération de TVA, art. 262 I du CGI",
        "VATEX-EU-G",
        false,
    ),
];

/// The option with this code valid on `on`.
pub fn option(code: &str, on: Date) -> Option<&'static VatOption> {
    FRANCE
        .iter()
        .filter(|o| o.code == code && o.valid_from <= on && o.valid_to.is_none_or(|to| on < to))
        .max_by_key(|o| o.valid_from)
}

/// The options a seller may offer on `on`: the franchise only without a VAT number (INV-09).
pub fn offered(on: Date, seller_has_vat_number: bool) -> Vec<&'static VatOption> {
    FRANCE
        .iter()
        .filter(|o| o.valid_from <= on && o.valid_to.is_none_or(|to| on < to))
        .filter(|o| !(o.franchise_only && seller_has_vat_number))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inv_40_french_rates_are_in_the_table() {
        let on = date!(2026 - 06 - 01);
        assert_eq!(
            option("fr20", on).map(|o| o.rate),
            Some(Decimal::new(20, 0))
        );
        assert_eq!(
            option("fr5_5", on).map(|o| o.rate),
            Some(Decimal::new(55, 1))
        );
        assert_eq!(
            option("fr2_1", on).map(|o| o.rate),
            Some(Decimal::new(21, 1))
        );
        assert!(option("fr20", date!(2010 - 01 - 01)).is_none());
        assert!(option("nope", on).is_none());
    }

    #[test]
    fn inv_09_the_franchise_is_not_offered_to_a_vat_registered_cooperative() {
        let on = date!(2026 - 06 - 01);
        assert!(offered(on, true).iter().all(|o| o.code != "franchise_293b"));
        assert!(
            offered(on, false)
                .iter()
                .any(|o| o.code == "franchise_293b")
        );
    }

    #[test]
    fn inv_08_zero_rated_options_carry_their_legal_basis() {
        for o in FRANCE.iter().filter(|o| o.is_zero_rated()) {
            assert!(
                o.exemption_reason.is_some() && o.exemption_code.is_some(),
                "{}",
                o.code
            );
            assert_eq!(o.rate, Decimal::ZERO);
        }
    }
}
