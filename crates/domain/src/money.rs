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

    /// `units` and `hundredths` of the absolute amount, with the sign: the one place amounts are
    /// split for writing (−0.50 is "-", 0, 50: the sign is never lost with the units).
    fn parts(self) -> (&'static str, u64, u64) {
        let abs = self.cents.unsigned_abs();
        (if self.cents < 0 { "-" } else { "" }, abs / 100, abs % 100)
    }

    /// As typed in a French form, without grouping or symbol: `1234,56`, `-0,50`.
    pub fn typed_fr(self) -> String {
        let (sign, units, hundredths) = self.parts();
        format!("{sign}{units},{hundredths:02}")
    }

    /// With a dot and two decimals, for files and the API: `1234.56`, `-0.50`.
    pub fn decimal(self) -> String {
        let (sign, units, hundredths) = self.parts();
        format!("{sign}{units}.{hundredths:02}")
    }

    /// French display: `1 234,56 €` (narrow no-break space as thousands separator).
    pub fn format_fr(self) -> String {
        let (sign, units, hundredths) = self.parts();
        let units = units.to_string();
        let mut grouped = String::new();
        for (i, ch) in units.chars().enumerate() {
            if i > 0 && (units.len() - i).is_multiple_of(3) {
                grouped.push('\u{202f}');
            }
            grouped.push(ch);
        }
        format!("{sign}{grouped},{hundredths:02}\u{a0}€")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negative_amounts_under_one_euro_keep_their_sign() {
        let m = Money::eur(-50);
        assert_eq!(m.typed_fr(), "-0,50");
        assert_eq!(m.decimal(), "-0.50");
        assert_eq!(m.format_fr(), "-0,50\u{a0}€");
        assert_eq!(Money::eur(123_456).typed_fr(), "1234,56");
        assert_eq!(Money::eur(-123_405).decimal(), "-1234.05");
        assert_eq!(Money::eur(0).decimal(), "0.00");
        // What a form shows is read back to the same amount.
        for cents in [-123_456, -50, -1, 0, 7, 100_000] {
            assert_eq!(
                Money::parse_eur(&Money::eur(cents).typed_fr()),
                Ok(Money::eur(cents))
            );
        }
    }

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
