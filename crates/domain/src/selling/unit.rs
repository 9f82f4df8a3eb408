//! Units of measure with their French names, and how each is written in an electronic invoice
//! (BT-130, UN/ECE Recommendation 20 with Recommendation 21, as the EN 16931 code list allows).
//!
//! Most units are their own Recommendation 20 code. A half day is not in that list (`HD` there
//! is "half dozen", and the EN 16931 list rejects it, BR-CL-23), so Essaim keeps `HD` as its own
//! key for forms, lines and frozen documents, and writes it in the structured invoice as days:
//! 3 half days at 380 € become a billed quantity of 1.5 `DAY` at 380 € per base quantity of
//! 0.5 `DAY` (BT-149/BT-150), which gives the same line amount with no rounding (INV-42).

use rust_decimal::Decimal;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Unit {
    /// Essaim's key for the unit, stored on catalogue items and lines.
    pub code: &'static str,
    pub singular: &'static str,
    pub plural: &'static str,
    /// The EN 16931 unit code (BT-130) the structured invoice uses.
    pub trade_code: &'static str,
    /// How many `trade_code` units one of this unit is (1 for all but the half day).
    pub trade_per_unit: Decimal,
}

const ONE: Decimal = Decimal::from_parts(1, 0, 0, false, 0);
const HALF: Decimal = Decimal::from_parts(5, 0, 0, false, 1);

const fn unit(code: &'static str, singular: &'static str, plural: &'static str) -> Unit {
    Unit {
        code,
        singular,
        plural,
        trade_code: code,
        trade_per_unit: ONE,
    }
}

/// The units offered in forms, most used first.
pub const UNITS: [Unit; 14] = [
    unit("HUR", "heure", "heures"),
    unit("DAY", "jour", "jours"),
    Unit {
        code: "HD",
        singular: "demi-journée",
        plural: "demi-journées",
        trade_code: "DAY",
        trade_per_unit: HALF,
    },
    unit("C62", "unité", "unités"),
    unit("LS", "forfait", "forfaits"),
    unit("MIN", "minute", "minutes"),
    unit("WEE", "semaine", "semaines"),
    unit("MON", "mois", "mois"),
    unit("KMT", "km", "km"),
    unit("KGM", "kg", "kg"),
    unit("MTR", "mètre", "mètres"),
    unit("MTK", "m²", "m²"),
    unit("LTR", "litre", "litres"),
    unit("H87", "pièce", "pièces"),
];

pub fn parse_unit(code: &str) -> Result<&'static Unit, &'static str> {
    UNITS
        .iter()
        .find(|u| u.code == code.trim())
        .ok_or("unit_unknown")
}

/// A quantity as the structured invoice states it (BT-129/BT-130), with the price's base
/// quantity (BT-149/BT-150) when it is not one unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TradeQuantity {
    pub code: &'static str,
    pub quantity: Decimal,
    /// `Some(b)`: the net unit price is for `b` units of `code`.
    pub price_base: Option<Decimal>,
}

/// How a line of `quantity` units of `unit_code` is written in an EN 16931 invoice. `None` for a
/// code Essaim does not offer (a line keeps it as it was typed).
pub fn trade_quantity(unit_code: &str, quantity: Decimal) -> Option<TradeQuantity> {
    let unit = parse_unit(unit_code).ok()?;
    Some(if unit.trade_per_unit == ONE {
        TradeQuantity {
            code: unit.trade_code,
            quantity,
            price_base: None,
        }
    } else {
        TradeQuantity {
            code: unit.trade_code,
            quantity: (quantity * unit.trade_per_unit).normalize(),
            price_base: Some(unit.trade_per_unit),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_are_recommendation_20_codes() {
        assert_eq!(parse_unit("HUR").map(|u| u.singular), Ok("heure"));
        assert_eq!(parse_unit("XYZ"), Err("unit_unknown"));
        let mut codes: Vec<_> = UNITS.iter().map(|u| u.code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), UNITS.len());
    }

    #[test]
    fn a_half_day_is_written_as_days_with_the_same_amount() {
        let q = trade_quantity("HD", Decimal::from(3)).unwrap();
        assert_eq!(q.code, "DAY");
        assert_eq!(q.quantity, Decimal::new(15, 1));
        assert_eq!(q.price_base, Some(Decimal::new(5, 1)));
        // BT-131 = BT-129 × (BT-146 / BT-149): 1.5 × 380 / 0.5 = 3 × 380, exactly.
        let price = Decimal::from(380);
        assert_eq!(
            q.quantity * price / q.price_base.unwrap(),
            Decimal::from(3) * price
        );
        let odd = trade_quantity("HD", Decimal::new(-7, 0)).unwrap();
        assert_eq!(odd.quantity, Decimal::new(-35, 1));
    }

    #[test]
    fn other_units_are_their_own_code() {
        for u in &UNITS {
            let q = trade_quantity(u.code, Decimal::new(125, 2)).unwrap();
            if u.code == "HD" {
                continue;
            }
            assert_eq!(
                (q.code, q.quantity, q.price_base),
                (u.code, Decimal::new(125, 2), None)
            );
        }
        assert_eq!(trade_quantity("XYZ", Decimal::ONE), None);
    }
}
