//! Expense categories (EXP-05: category → account, VAT rule): each cooperative keeps its own list,
//! every category mapped to a charge account of its chart and a default VAT rate that prefills the
//! VAT of a line. A cooperative starts with [`DEFAULTS`].

use crate::ledger::account::{AccountNumber, class_of};
use crate::validation::{FieldErrors, required_text};
use rust_decimal::Decimal;

/// A category as the cooperative keeps it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Category {
    /// Stable code stored on each line (`travel`, `meals`…).
    pub code: String,
    pub label: String,
    /// The charge account (class 6) the lines are posted to.
    pub account: String,
    /// Default VAT rate, 0.2 for 20 %.
    pub vat_rate: Decimal,
    /// No longer offered for new lines; kept for the lines that use it.
    pub archived: bool,
}

/// The account kilometric allowances are posted to (ACC 5.2: 6251, travel).
pub const MILEAGE_ACCOUNT: &str = "625100";

/// The categories a cooperative starts with: code, label, account, VAT rate in thousandths.
pub const DEFAULTS: [(&str, &str, &str, i64); 9] = [
    ("travel", "Transports (train, avion, taxi)", "625100", 100),
    ("lodging", "Hébergement", "625600", 100),
    ("meals", "Repas", "625600", 100),
    (
        "fuel_parking",
        "Carburant, péages, stationnement",
        "625100",
        200,
    ),
    ("supplies", "Petites fournitures et matériel", "606000", 200),
    ("software", "Logiciels et abonnements", "613000", 200),
    (
        "telecom",
        "Téléphone, internet, affranchissement",
        "626000",
        200,
    ),
    (
        "advertising",
        "Publicité, impression, salons",
        "623000",
        200,
    ),
    ("training", "Formation, documentation", "604000", 200),
];

impl Category {
    /// The default categories, as values.
    pub fn defaults() -> Vec<Category> {
        DEFAULTS
            .iter()
            .map(|(code, label, account, rate)| Category {
                code: (*code).to_owned(),
                label: (*label).to_owned(),
                account: (*account).to_owned(),
                vat_rate: Decimal::new(*rate, 3),
                archived: false,
            })
            .collect()
    }
}

/// A category as typed by the support team.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct CategoryInput {
    pub code: String,
    pub label: String,
    pub account: String,
    /// In percent, as typed: `20`, `5,5`, `0`.
    pub vat_rate: String,
    #[serde(deserialize_with = "crate::input::tick")]
    pub archived: bool,
}

/// Reads a VAT rate typed in percent (`20`, `5,5`): between 0 and 100, at most two decimals.
/// Returns it as a fraction (0.2).
pub fn parse_rate_percent(text: &str) -> Result<Decimal, &'static str> {
    let t = text.trim().replace(',', ".");
    let pct: Decimal = t.parse().map_err(|_| "rate_format")?;
    if pct < Decimal::ZERO || pct > Decimal::ONE_HUNDRED || pct.scale() > 2 {
        return Err("rate_format");
    }
    Ok((pct / Decimal::ONE_HUNDRED).normalize())
}

/// A rate as a percentage for a form: 0.055 → `5,5`.
pub fn rate_percent_typed(rate: Decimal) -> String {
    (rate * Decimal::ONE_HUNDRED)
        .normalize()
        .to_string()
        .replace('.', ",")
}

impl CategoryInput {
    /// A code of lowercase letters, digits and `_`; a charge account (class 6) of the chart.
    pub fn parse(&self) -> Result<Category, FieldErrors> {
        let mut e = FieldErrors::new();
        let code = self.code.trim().to_owned();
        if code.is_empty()
            || code.len() > 30
            || !code
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        {
            e.add("code", "category_code_format");
        }
        let label = e.check("label", required_text(&self.label, 80));
        let account = e.check(
            "account",
            AccountNumber::parse(&self.account).and_then(|a| {
                if class_of(a.as_str()) == 6 {
                    Ok(a)
                } else {
                    Err("category_account_class")
                }
            }),
        );
        let rate = e.check("vat_rate", parse_rate_percent(&self.vat_rate));
        match (label, account, rate) {
            (Some(label), Some(account), Some(vat_rate)) if e.is_empty() => Ok(Category {
                code,
                label,
                account: account.as_str().to_owned(),
                vat_rate,
                archived: self.archived,
            }),
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exp_05_every_default_category_posts_to_a_charge_account() {
        for c in Category::defaults() {
            assert_eq!(class_of(&c.account), 6, "{}", c.code);
            assert!(c.vat_rate <= Decimal::new(2, 1));
        }
    }

    #[test]
    fn a_category_is_checked_field_by_field() {
        let ok = CategoryInput {
            code: "coworking".into(),
            label: "Coworking".into(),
            account: "613000".into(),
            vat_rate: "5,5".into(),
            archived: false,
        }
        .parse();
        assert_eq!(ok.map(|c| c.vat_rate).ok(), Some(Decimal::new(55, 3)));
        let bad = CategoryInput {
            code: "Co working".into(),
            label: "".into(),
            account: "706000".into(),
            vat_rate: "120".into(),
            archived: false,
        }
        .parse();
        let codes: Vec<&str> = bad
            .err()
            .map(|e| e.0.iter().map(|f| f.code).collect())
            .unwrap_or_default();
        assert_eq!(
            codes,
            [
                "category_code_format",
                "required",
                "category_account_class",
                "rate_format"
            ]
        );
        assert_eq!(rate_percent_typed(Decimal::new(55, 3)), "5,5");
        assert_eq!(rate_percent_typed(Decimal::new(2, 1)), "20");
    }
}
