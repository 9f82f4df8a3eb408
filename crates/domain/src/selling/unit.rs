//! Units of measure (UN/ECE Recommendation 20 codes, BT-130) with their French names.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Unit {
    pub code: &'static str,
    pub singular: &'static str,
    pub plural: &'static str,
}

const fn unit(code: &'static str, singular: &'static str, plural: &'static str) -> Unit {
    Unit {
        code,
        singular,
        plural,
    }
}

/// The units offered in forms, most used first.
pub const UNITS: [Unit; 14] = [
    unit("HUR", "heure", "heures"),
    unit("DAY", "jour", "jours"),
    unit("HD", "demi-journée", "demi-journées"),
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
}
