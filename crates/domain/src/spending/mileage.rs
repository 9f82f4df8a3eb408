//! Kilometric allowances (EXP-01, EXP-02): a trip made with one's own vehicle is refunded by the
//! fiscal scale, which prices the distance driven in a year for the activity, by vehicle kind and
//! fiscal power, in three bands of annual distance.
//!
//! The scale is annual (EXP-02), so a trip is priced at the margin of the year's cumulative
//! distance for that vehicle: `A(before + km) − A(before)`, each allowance rounded to the cent
//! (half away from zero). The trips of a year then add up exactly to the allowance of the year's
//! distance: the year-end regularisation is built in, whatever the order of the trips.
//!
//! Scales are a dated parameter table (GEN-01): one row per income year. A trip dated in a year
//! whose scale is not published yet is priced with the latest earlier one, and says so
//! (`provisional`), to be regularised once the new scale is out.

use crate::money::Money;
use crate::validation::FieldErrors;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use time::Date;

/// What is driven.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VehicleKind {
    Car,
    /// A motorcycle or scooter over 50 cm³.
    Motorcycle,
    /// A moped or scooter of 50 cm³ or less (one scale, whatever its power).
    Moped,
}

impl VehicleKind {
    pub const ALL: [VehicleKind; 3] = [
        VehicleKind::Car,
        VehicleKind::Motorcycle,
        VehicleKind::Moped,
    ];

    pub fn code(self) -> &'static str {
        match self {
            VehicleKind::Car => "car",
            VehicleKind::Motorcycle => "motorcycle",
            VehicleKind::Moped => "moped",
        }
    }

    pub fn parse(code: &str) -> Option<VehicleKind> {
        VehicleKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The upper bounds of the first two bands of annual distance, in km.
    fn bounds(self) -> (Decimal, Decimal) {
        match self {
            VehicleKind::Car => (Decimal::from(5_000), Decimal::from(20_000)),
            VehicleKind::Motorcycle | VehicleKind::Moped => {
                (Decimal::from(3_000), Decimal::from(6_000))
            }
        }
    }
}

/// A vehicle as the scale sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Vehicle {
    pub kind: VehicleKind,
    /// Fiscal horsepower (CV, on the registration document); not used for a moped.
    pub fiscal_power: u8,
    /// EXP-01: an electric vehicle's allowance is increased by 20 %.
    pub electric: bool,
}

/// One band of a row: `rate × d + fixed`, d the annual distance in km.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Band {
    pub rate: Decimal,
    pub fixed: Decimal,
}

/// The three bands of one power class.
pub type Row = [Band; 3];

/// The scale of one income year.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Scale {
    pub year: i32,
    /// Cars of 3 CV or less, 4, 5, 6, 7 CV or more.
    pub cars: [Row; 5],
    /// Motorcycles of 1–2 CV, 3–5 CV, more than 5 CV.
    pub motorcycles: [Row; 3],
    pub mopeds: Row,
}

const fn band(rate_thousandths: i64, fixed: i64) -> Band {
    Band {
        rate: Decimal::from_parts(rate_thousandths as u32, 0, 0, false, 3),
        fixed: Decimal::from_parts(fixed as u32, 0, 0, false, 0),
    }
}

/// EXP-01: the scale published in 2024 (BOI-BAREME-000001), unchanged for 2025 incomes.
const SCALE_2024: Scale = Scale {
    year: 2024,
    cars: [
        [band(529, 0), band(316, 1_065), band(370, 0)],
        [band(606, 0), band(340, 1_330), band(407, 0)],
        [band(636, 0), band(357, 1_395), band(427, 0)],
        [band(665, 0), band(374, 1_457), band(447, 0)],
        [band(697, 0), band(394, 1_515), band(470, 0)],
    ],
    motorcycles: [
        [band(395, 0), band(99, 891), band(248, 0)],
        [band(468, 0), band(82, 1_158), band(275, 0)],
        [band(606, 0), band(79, 1_583), band(343, 0)],
    ],
    mopeds: [band(315, 0), band(79, 711), band(198, 0)],
};

/// France, one row per income year, oldest first.
pub const FRANCE: [Scale; 2] = [
    SCALE_2024,
    Scale {
        year: 2025,
        ..SCALE_2024
    },
];

/// The scale that prices a trip of `year` in `table`: that year's, or else the latest earlier one
/// (`provisional`). `None` before the first year of the table.
pub fn scale_for(table: &[Scale], year: i32) -> Option<(&Scale, bool)> {
    table
        .iter()
        .filter(|s| s.year <= year)
        .max_by_key(|s| s.year)
        .map(|s| (s, s.year != year))
}

fn row(scale: &Scale, v: &Vehicle) -> Row {
    match v.kind {
        VehicleKind::Car => scale.cars[usize::from(v.fiscal_power.clamp(3, 7) - 3)],
        VehicleKind::Motorcycle => {
            scale.motorcycles[match v.fiscal_power {
                0..=2 => 0,
                3..=5 => 1,
                _ => 2,
            }]
        }
        VehicleKind::Moped => scale.mopeds,
    }
}

/// EXP-01: the allowance for `km` driven in the year with `v`, rounded to the cent (half away
/// from zero) after the electric increase.
pub fn annual_allowance(scale: &Scale, v: &Vehicle, km: Decimal) -> Money {
    let (first, second) = v.kind.bounds();
    let bands = row(scale, v);
    let b = if km <= first {
        bands[0]
    } else if km <= second {
        bands[1]
    } else {
        bands[2]
    };
    let mut amount = b.rate * km + b.fixed;
    if v.electric {
        amount *= Decimal::new(12, 1);
    }
    let cents = (amount * Decimal::ONE_HUNDRED)
        .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero);
    Money::eur(cents.to_i64().unwrap_or(i64::MAX))
}

/// A trip priced: what is refunded, and by which year's scale.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Priced {
    pub amount: Money,
    pub scale_year: i32,
    /// Priced with an earlier year's scale, the trip's own not being published yet.
    pub provisional: bool,
}

/// EXP-02: the refund of a trip of `km` dated `on`, `before` km having already been driven with
/// the same vehicle since the 1st of January of that year.
pub fn price_trip(
    table: &[Scale],
    v: &Vehicle,
    on: Date,
    before: Decimal,
    km: Decimal,
) -> Option<Priced> {
    let (scale, provisional) = scale_for(table, on.year())?;
    let after = annual_allowance(scale, v, before + km);
    let already = annual_allowance(scale, v, before);
    Some(Priced {
        amount: Money::eur(after.cents() - already.cents()),
        scale_year: scale.year,
        provisional,
    })
}

/// A mileage line as typed (EXP-02: date, itinerary, purpose, distance, vehicle and its power).
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct MileageInput {
    pub date: String,
    pub from: String,
    pub to: String,
    pub purpose: String,
    pub km: String,
    pub vehicle: String,
    pub fiscal_power: String,
    #[serde(deserialize_with = "crate::input::tick")]
    pub electric: bool,
    /// The activity the trip was for.
    pub activity: String,
}

/// A valid mileage line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Trip {
    pub on: Date,
    pub from: String,
    pub to: String,
    pub purpose: String,
    /// Kilometres, at most one decimal.
    pub km: Decimal,
    pub vehicle: Vehicle,
    pub activity: crate::ids::ActivityId,
}

/// Reads a distance in km: positive, at most one decimal, at most 5,000 km for one line.
pub fn parse_km(text: &str) -> Result<Decimal, &'static str> {
    let t = text.trim().replace(',', ".");
    if t.is_empty() {
        return Err("required");
    }
    let km: Decimal = t.parse().map_err(|_| "km_format")?;
    if km <= Decimal::ZERO || km.scale() > 1 || km > Decimal::from(5_000) {
        return Err("km_range");
    }
    Ok(km.normalize())
}

impl MileageInput {
    /// EXP-02: every field is required; each invalid one is reported.
    pub fn parse(&self) -> Result<Trip, FieldErrors> {
        use crate::person::parse_date;
        use crate::validation::required_text;
        let mut e = FieldErrors::new();
        let on = e.check("date", parse_date(&self.date));
        let from = e.check("from", required_text(&self.from, 200));
        let to = e.check("to", required_text(&self.to, 200));
        let purpose = e.check("purpose", required_text(&self.purpose, 300));
        let km = e.check("km", parse_km(&self.km));
        let kind = e.check(
            "vehicle",
            VehicleKind::parse(&self.vehicle).ok_or("vehicle_unknown"),
        );
        let power = match kind {
            Some(VehicleKind::Moped) => Some(0),
            _ => e.check(
                "fiscal_power",
                match self.fiscal_power.trim().parse::<u8>() {
                    Ok(p @ 1..=99) => Ok(p),
                    _ => Err("fiscal_power_range"),
                },
            ),
        };
        let activity = e.check(
            "activity",
            self.activity
                .trim()
                .parse::<i64>()
                .map(crate::ids::ActivityId::new)
                .map_err(|_| "required"),
        );
        let Some(activity) = activity else {
            return Err(e);
        };
        match (on, from, to, purpose, km, kind, power) {
            (Some(on), Some(from), Some(to), Some(purpose), Some(km), Some(kind), Some(p))
                if e.is_empty() =>
            {
                Ok(Trip {
                    on,
                    from,
                    to,
                    purpose,
                    km,
                    vehicle: Vehicle {
                        kind,
                        fiscal_power: p,
                        electric: self.electric,
                    },
                    activity,
                })
            }
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    fn car(cv: u8) -> Vehicle {
        Vehicle {
            kind: VehicleKind::Car,
            fiscal_power: cv,
            electric: false,
        }
    }
    fn km(n: i64) -> Decimal {
        Decimal::from(n)
    }
    fn annual(v: Vehicle, d: i64) -> i64 {
        annual_allowance(&FRANCE[1], &v, km(d)).cents()
    }

    #[test]
    fn exp_01_each_car_band_follows_the_scale() {
        // 5 CV: 0.636·d up to 5,000 km, 0.357·d + 1,395 up to 20,000, 0.427·d beyond.
        assert_eq!(annual(car(5), 4_000), 254_400);
        assert_eq!(annual(car(5), 5_000), 318_000);
        assert_eq!(annual(car(5), 10_000), 496_500);
        assert_eq!(annual(car(5), 20_000), 853_500);
        assert_eq!(annual(car(5), 25_000), 1_067_500);
        // 3 CV and less share a row, as do 7 CV and more.
        assert_eq!(annual(car(1), 1_000), annual(car(3), 1_000));
        assert_eq!(annual(car(3), 1_000), 52_900);
        assert_eq!(annual(car(4), 1_000), 60_600);
        assert_eq!(annual(car(6), 1_000), 66_500);
        assert_eq!(annual(car(11), 1_000), annual(car(7), 1_000));
        assert_eq!(annual(car(7), 1_000), 69_700);
    }

    #[test]
    fn exp_01_two_wheelers_have_their_own_bands() {
        let moto = |cv| Vehicle {
            kind: VehicleKind::Motorcycle,
            fiscal_power: cv,
            electric: false,
        };
        assert_eq!(annual(moto(2), 2_000), 79_000); // 0.395·d
        assert_eq!(annual(moto(4), 4_000), 148_600); // 0.082·d + 1,158
        assert_eq!(annual(moto(8), 7_000), 240_100); // 0.343·d
        let moped = Vehicle {
            kind: VehicleKind::Moped,
            fiscal_power: 0,
            electric: false,
        };
        assert_eq!(annual(moped, 3_000), 94_500); // 0.315·d
        assert_eq!(annual(moped, 5_000), 110_600); // 0.079·d + 711
        assert_eq!(annual(moped, 10_000), 198_000); // 0.198·d
    }

    #[test]
    fn exp_01_an_electric_vehicle_gets_twenty_percent_more_rounded_once() {
        let e = Vehicle {
            electric: true,
            ..car(4)
        };
        // 0.606 × 333 = 201.798; × 1.2 = 242.1576 → 242.16 €.
        assert_eq!(annual_allowance(&FRANCE[1], &e, km(333)).cents(), 24_216);
    }

    #[test]
    fn exp_02_trips_are_priced_at_the_margin_of_the_years_distance() {
        let v = car(5);
        let on = date!(2025 - 06 - 10);
        // The trip that crosses 5,000 km is priced by the second band for what lies beyond.
        let p = price_trip(&FRANCE, &v, on, km(4_900), km(200));
        let expected = annual(v, 5_100) - annual(v, 4_900);
        assert_eq!(p.map(|p| p.amount.cents()), Some(expected));
        assert_eq!(
            p.map(|p| (p.scale_year, p.provisional)),
            Some((2025, false))
        );
    }

    #[test]
    fn gen_01_a_years_scale_prices_only_the_trips_of_that_year() {
        let v = car(4);
        let mut table = FRANCE.to_vec();
        table.push(Scale {
            year: 2027,
            cars: [[band(700, 0), band(400, 1_500), band(500, 0)]; 5],
            ..FRANCE[1]
        });
        let price = |on| price_trip(&table, &v, on, km(0), km(100));
        // 2026: no scale yet, the 2025 one applies provisionally; 2027 has its own.
        assert_eq!(
            price(date!(2026 - 12 - 31)).map(|p| (p.amount.cents(), p.scale_year, p.provisional)),
            Some((6_060, 2025, true))
        );
        assert_eq!(
            price(date!(2027 - 01 - 01)).map(|p| (p.amount.cents(), p.scale_year)),
            Some((7_000, 2027))
        );
        assert_eq!(price(date!(2023 - 12 - 31)), None);
    }

    proptest! {
        #[test]
        fn exp_02_the_trips_of_a_year_add_up_to_the_years_allowance(
            trips in proptest::collection::vec(1i64..=900, 1..40),
            cv in 1u8..=9,
            electric in any::<bool>(),
        ) {
            let v = Vehicle { electric, ..car(cv) };
            let mut before = Decimal::ZERO;
            let mut sum = 0;
            for t in &trips {
                let p = price_trip(&FRANCE, &v, date!(2025 - 03 - 01), before, km(*t));
                sum += p.map(|p| p.amount.cents()).unwrap_or(0);
                before += km(*t);
            }
            prop_assert_eq!(sum, annual_allowance(&FRANCE[1], &v, before).cents());
        }
    }

    #[test]
    fn exp_02_a_mileage_line_needs_every_field() {
        let input = MileageInput {
            date: "2026-03-02".into(),
            from: "Lyon".into(),
            to: "Villeurbanne".into(),
            purpose: "Atelier client".into(),
            km: "12,5".into(),
            vehicle: "car".into(),
            fiscal_power: "5".into(),
            electric: false,
            activity: "4".into(),
        };
        let trip = input.parse();
        assert_eq!(trip.as_ref().map(|t| t.km).ok(), Some(Decimal::new(125, 1)));
        let bad = MileageInput {
            km: "-3".into(),
            vehicle: "plane".into(),
            purpose: String::new(),
            ..input
        };
        let fields: Vec<String> = bad
            .parse()
            .err()
            .map(|e| e.0.iter().map(|f| f.path()).collect())
            .unwrap_or_default();
        assert_eq!(fields, ["purpose", "km", "vehicle"]);
    }
}
