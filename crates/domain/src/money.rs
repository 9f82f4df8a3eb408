//! Money as whole minor units of one currency (GEN-02). Parsing and display follow French usage
//! ("1 234,56 €"); there are no floats anywhere.

use rust_decimal::{Decimal, RoundingStrategy, prelude::ToPrimitive};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Currency {
    Eur,
}

impl Currency {
    pub fn code(self) -> &'static str {
        match self {
            Currency::Eur => "EUR",
        }
    }
    pub fn parse(code: &str) -> Option<Currency> {
        match code {
            "EUR" => Some(Currency::Eur),
            _ => None,
        }
    }
}

/// An amount in cents of one ISO 4217 currency (GEN-02).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Money {
    cents: i64,
    currency: Currency,
}

impl Money {
    pub const fn from_cents(cents: i64, currency: Currency) -> Money {
        Money { cents, currency }
    }
    pub const fn eur(cents: i64) -> Money {
        Money {
            cents,
            currency: Currency::Eur,
        }
    }
    pub const fn cents(self) -> i64 {
        self.cents
    }
    pub const fn currency(self) -> Currency {
        self.currency
    }

    /// Parses a euro amount as typed by a person: `1234`, `1 234,5`, `1234.56`.
    /// More than two decimals is refused rather than rounded silently.
    pub fn parse_eur(input: &str) -> Result<Money, &'static str> {
        let cleaned: String = input
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '\u{202f}' && *c != '€')
            .map(|c| if c == ',' { '.' } else { c })
            .collect();
        if cleaned.is_empty() {
            return Err("required");
        }
        let value: Decimal = cleaned.parse().map_err(|_| "amount_format")?;
        if value.scale() > 2 {
            return Err("amount_precision");
        }
        let cents = (value * Decimal::ONE_HUNDRED)
            .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
            .to_i64()
            .ok_or("amount_range")?;
        Ok(Money::eur(cents))
    }

    /// French display: `1 234,56 €` (narrow no-break space as thousands separator).
    pub fn format_fr(self) -> String {
        let sign = if self.cents < 0 { "-" } else { "" };
        let abs = self.cents.unsigned_abs();
        let units = (abs / 100).to_string();
        let mut grouped = String::new();
        for (i, ch) in units.chars().enumerate() {
            if i > 0 && (units.len() - i).is_multiple_of(3) {
                grouped.push('\u{202f}');
            }
            grouped.push(ch);
        }
        format!("{sign}{grouped},{:02}\u{a0}€", abs % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gen_02_amounts_are_parsed_to_exact_cents() {
        assert_eq!(Money::parse_eur("1 234,56"), Ok(Money::eur(123_456)));
        assert_eq!(Money::parse_eur("1234.5"), Ok(Money::eur(123_450)));
        assert_eq!(Money::parse_eur("10 €"), Ok(Money::eur(1_000)));
        assert_eq!(Money::parse_eur("0,001"), Err("amount_precision"));
        assert_eq!(Money::parse_eur("douze"), Err("amount_format"));
        assert_eq!(Money::parse_eur(""), Err("required"));
    }

    #[test]
    fn amounts_display_the_french_way() {
        assert_eq!(
            Money::eur(123_456_789).format_fr(),
            "1\u{202f}234\u{202f}567,89\u{a0}€"
        );
        assert_eq!(Money::eur(-5).format_fr(), "-0,05\u{a0}€");
        assert_eq!(Money::eur(100_000).format_fr(), "1\u{202f}000,00\u{a0}€");
    }
}
