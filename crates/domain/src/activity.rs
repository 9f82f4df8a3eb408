//! Activities ("enseignes", LIF-02): what an entrepreneur sells under the cooperative's identity,
//! with its analytic code (unique in the cooperative; the ledger uses it) and, when several
//! entrepreneurs share it, the agreed split of remuneration. Knows nothing of storage.

use crate::person::{parse_date, parse_naf, parse_optional_date};
use crate::validation::{FieldErrors, optional_text, required_text};
use rust_decimal::{Decimal, prelude::ToPrimitive};
use time::Date;

/// What the form sends.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ActivityInput {
    pub name: String,
    pub description: String,
    pub naf: String,
    pub analytic_code: String,
    pub start_on: String,
    pub end_on: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActivityDetails {
    pub name: String,
    pub description: Option<String>,
    pub naf: Option<String>,
    /// Upper-case letters, digits and dashes, 2 to 12 characters: `A0042`, `GRAPH-01`.
    pub analytic_code: String,
    pub start_on: Date,
    pub end_on: Option<Date>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ActivityStatus {
    Planned,
    Active,
    Ended,
}

impl ActivityStatus {
    pub fn code(self) -> &'static str {
        match self {
            ActivityStatus::Planned => "planned",
            ActivityStatus::Active => "active",
            ActivityStatus::Ended => "ended",
        }
    }
}

pub fn parse_analytic_code(input: &str) -> Result<String, &'static str> {
    let t = input.trim().to_uppercase();
    if t.is_empty() {
        return Err("required");
    }
    let ok = (2..=12).contains(&t.len())
        && t.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-');
    if t == crate::ledger::account::STRUCTURE_ANALYTIC {
        // ACC-01: the structure's own code.
        Err("analytic_code_reserved")
    } else if ok {
        Ok(t)
    } else {
        Err("analytic_code_format")
    }
}

impl ActivityDetails {
    pub fn parse(input: &ActivityInput) -> Result<ActivityDetails, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = e.check("name", required_text(&input.name, 120));
        let description = e.check("description", optional_text(&input.description, 2000));
        let naf = e.check("naf", parse_naf(&input.naf));
        let analytic_code = e.check("analytic_code", parse_analytic_code(&input.analytic_code));
        let start_on = e.check("start_on", parse_date(&input.start_on));
        let end_on = e.check("end_on", parse_optional_date(&input.end_on));
        if let (Some(s), Some(Some(end))) = (start_on, end_on)
            && end < s
        {
            e.add("end_on", "end_before_start");
        }
        let built = (|| {
            Some(ActivityDetails {
                name: name?,
                description: description?,
                naf: naf?,
                analytic_code: analytic_code?,
                start_on: start_on?,
                end_on: end_on?,
            })
        })();
        e.finish(built)
    }

    pub fn status(&self, today: Date) -> ActivityStatus {
        if self.start_on > today {
            ActivityStatus::Planned
        } else if self.end_on.is_some_and(|e| e < today) {
            ActivityStatus::Ended
        } else {
            ActivityStatus::Active
        }
    }
}

/// A share of remuneration in basis points (10 000 = 100 %).
pub const WHOLE: u32 = 10_000;

/// A percentage typed by a person ("50", "33,34") as basis points, at most two decimals.
pub fn parse_share(input: &str) -> Result<u32, &'static str> {
    let cleaned: String = input.trim().trim_end_matches('%').trim().replace(',', ".");
    let value: Decimal = cleaned.parse().map_err(|_| "share_format")?;
    if value.scale() > 2 || value <= Decimal::ZERO || value > Decimal::ONE_HUNDRED {
        return Err("share_format");
    }
    (value * Decimal::ONE_HUNDRED)
        .to_u32()
        .ok_or("share_format")
}

/// LIF-02: the entrepreneurs of an activity share 100 % of it; a shared activity needs the
/// written agreement that records the split.
pub fn check_shares(
    shares: &[u32],
    agreement: Option<&str>,
) -> Result<(), (&'static str, &'static str)> {
    if shares.is_empty() {
        return Ok(());
    }
    if shares.iter().sum::<u32>() != WHOLE {
        return Err(("shares", "shares_total"));
    }
    if shares.len() > 1 && agreement.is_none_or(|a| a.trim().is_empty()) {
        return Err(("agreement", "agreement_required"));
    }
    Ok(())
}

/// Basis points shown as a French percentage: `33,34 %`.
pub fn format_share(bp: u32) -> String {
    if bp.is_multiple_of(100) {
        format!("{} %", bp / 100)
    } else {
        format!("{},{:02} %", bp / 100, bp % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn input() -> ActivityInput {
        ActivityInput {
            name: "Atelier Graphisme".into(),
            analytic_code: "graph-01".into(),
            start_on: "2026-01-05".into(),
            ..Default::default()
        }
    }

    #[test]
    fn an_activity_needs_a_name_an_analytic_code_and_a_start() {
        let a = ActivityDetails::parse(&input()).unwrap();
        assert_eq!(a.analytic_code, "GRAPH-01");
        let e = ActivityDetails::parse(&ActivityInput {
            analytic_code: "a b".into(),
            end_on: "2025-01-01".into(),
            start_on: "2026-01-01".into(),
            ..Default::default()
        })
        .unwrap_err();
        assert_eq!(e.for_field("name").map(|f| f.code), Some("required"));
        assert_eq!(
            e.for_field("analytic_code").map(|f| f.code),
            Some("analytic_code_format")
        );
        assert_eq!(
            e.for_field("end_on").map(|f| f.code),
            Some("end_before_start")
        );
    }

    #[test]
    fn the_status_follows_the_dates() {
        let mut a = ActivityDetails::parse(&input()).unwrap();
        assert_eq!(a.status(date!(2025 - 12 - 31)), ActivityStatus::Planned);
        assert_eq!(a.status(date!(2026 - 06 - 01)), ActivityStatus::Active);
        a.end_on = Some(date!(2026 - 05 - 31));
        assert_eq!(a.status(date!(2026 - 06 - 01)), ActivityStatus::Ended);
    }

    #[test]
    fn lif_02_shares_add_up_to_100_percent_and_a_shared_activity_has_an_agreement() {
        assert_eq!(parse_share("33,34"), Ok(3334));
        assert_eq!(parse_share("50 %"), Ok(5000));
        assert_eq!(parse_share("0"), Err("share_format"));
        assert_eq!(parse_share("12.345"), Err("share_format"));
        assert_eq!(check_shares(&[WHOLE], None), Ok(()));
        assert_eq!(
            check_shares(&[5000, 4000], Some("accord")),
            Err(("shares", "shares_total"))
        );
        assert_eq!(
            check_shares(&[5000, 5000], None),
            Err(("agreement", "agreement_required"))
        );
        assert_eq!(
            check_shares(&[3333, 3333, 3334], Some("accord du 5 janvier")),
            Ok(())
        );
        assert_eq!(format_share(3334), "33,34 %");
        assert_eq!(format_share(5000), "50 %");
    }
}
