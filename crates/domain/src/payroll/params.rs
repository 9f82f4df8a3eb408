//! The payroll figures as a dated parameter table (GEN-01): one row per change, each valid from
//! its date until the next. Seed values for France from 2026 (PAY 2.4; the rates are those the
//! URSSAF publishes in its `modele-social` rules, 2026 edition).

use rust_decimal::Decimal;
use time::Date;
use time::macros::date;

/// A rate in percent written with its decimals: `pct(855, 2)` is 8.55 %, as a fraction (0.0855).
const fn pct(digits: u32, decimals: u32) -> Decimal {
    Decimal::from_parts(digits, 0, 0, false, decimals + 2)
}

const fn amount(digits: u32, decimals: u32) -> Decimal {
    Decimal::from_parts(digits, 0, 0, false, decimals)
}

/// Employer and employee rates of one contribution, as fractions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rates {
    pub employer: Decimal,
    pub employee: Decimal,
}

const fn rates(employer: Decimal, employee: Decimal) -> Rates {
    Rates { employer, employee }
}

/// The payroll figures valid from `from`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PayrollParams {
    pub from: Date,
    /// SMIC per hour.
    pub smic_hourly: Decimal,
    /// Plafond mensuel de la sécurité sociale (PMSS).
    pub pss_monthly: Decimal,
    pub health: Decimal,
    pub old_age_capped: Rates,
    pub old_age_uncapped: Rates,
    pub family: Decimal,
    pub csa: Decimal,
    /// FNAL below 50 employees (on pay up to the PSS) and from 50 (on the whole pay).
    pub fnal_small: Decimal,
    pub fnal_large: Decimal,
    /// Unemployment insurance and wage guarantee (AGS), on pay up to 4 PSS.
    pub unemployment: Decimal,
    pub ags: Decimal,
    /// Agirc-Arrco on tranche 1 (up to the PSS) and tranche 2 (1 to 8 PSS), CEG on each, and CET
    /// (on the whole pay up to 8 PSS, once the pay is above the PSS).
    pub pension_t1: Rates,
    pub pension_t2: Rates,
    pub ceg_t1: Rates,
    pub ceg_t2: Rates,
    pub cet: Rates,
    /// APEC, for cadres, on pay up to 4 PSS.
    pub apec: Rates,
    /// The compulsory provident scheme of cadres, employer, on tranche 1.
    pub cadre_provident: Decimal,
    pub apprenticeship_tax: Decimal,
    /// Added to the apprenticeship tax from 250 employees.
    pub apprenticeship_extra_250: Decimal,
    /// Vocational training: below 11 employees, and from 11.
    pub training_small: Decimal,
    pub training_large: Decimal,
    pub social_dialogue: Decimal,
    /// Employers' housing effort (PEEC), from 50 employees.
    pub peec: Decimal,
    /// Forfait social on the employer's health and provident shares, from 11 employees.
    pub forfait_social: Decimal,
    /// CSG (deductible, then not) and CRDS, on 98.25 % of pay up to 4 PSS and the whole above,
    /// plus the employer's health and provident shares.
    pub csg_deductible: Decimal,
    pub csg_non_deductible: Decimal,
    pub crds: Decimal,
    pub csg_abatement: Decimal,
    /// RGDU (PAY 2.4): `C = Tmin + Tdelta × (½ (3 S / R − 1))^1.75`, zero from 3 SMIC.
    pub rgdu_t_min: Decimal,
    pub rgdu_t_delta_small: Decimal,
    pub rgdu_t_delta_large: Decimal,
}

/// 2026, from January.
const JANUARY_2026: PayrollParams = PayrollParams {
    from: date!(2026 - 01 - 01),
    smic_hourly: amount(1202, 2),
    pss_monthly: amount(4005, 0),
    health: pct(13, 0),
    old_age_capped: rates(pct(855, 2), pct(690, 2)),
    old_age_uncapped: rates(pct(211, 2), pct(40, 2)),
    family: pct(525, 2),
    csa: pct(30, 2),
    fnal_small: pct(10, 2),
    fnal_large: pct(50, 2),
    unemployment: pct(400, 2),
    ags: pct(25, 2),
    pension_t1: rates(pct(472, 2), pct(315, 2)),
    pension_t2: rates(pct(1295, 2), pct(864, 2)),
    ceg_t1: rates(pct(129, 2), pct(86, 2)),
    ceg_t2: rates(pct(162, 2), pct(108, 2)),
    cet: rates(pct(21, 2), pct(14, 2)),
    apec: rates(pct(36, 3), pct(24, 3)),
    cadre_provident: pct(150, 2),
    apprenticeship_tax: pct(68, 2),
    apprenticeship_extra_250: pct(40, 2),
    training_small: pct(55, 2),
    training_large: pct(100, 2),
    social_dialogue: pct(16, 3),
    peec: pct(45, 2),
    forfait_social: pct(8, 0),
    csg_deductible: pct(680, 2),
    csg_non_deductible: pct(240, 2),
    crds: pct(50, 2),
    csg_abatement: pct(175, 2),
    rgdu_t_min: amount(2, 2),
    rgdu_t_delta_small: amount(3781, 4),
    rgdu_t_delta_large: amount(3821, 4),
};

/// France, oldest first: the SMIC rose to 12.31 € an hour on 1 June 2026.
pub const FRANCE: [PayrollParams; 2] = [
    JANUARY_2026,
    PayrollParams {
        from: date!(2026 - 06 - 01),
        smic_hourly: amount(1231, 2),
        ..JANUARY_2026
    },
];

/// The row valid on `on`: the latest that starts on or before it. `None` before the table.
pub fn params_on(table: &[PayrollParams], on: Date) -> Option<&PayrollParams> {
    table.iter().filter(|p| p.from <= on).max_by_key(|p| p.from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gen_01_the_row_of_a_date_is_the_latest_that_started() {
        assert_eq!(params_on(&FRANCE, date!(2025 - 12 - 31)), None);
        let jan = params_on(&FRANCE, date!(2026 - 05 - 31)).map(|p| p.smic_hourly);
        assert_eq!(jan, Some(Decimal::new(1202, 2)));
        let june = params_on(&FRANCE, date!(2026 - 06 - 01)).map(|p| p.smic_hourly);
        assert_eq!(june, Some(Decimal::new(1231, 2)));
        assert_eq!(JANUARY_2026.old_age_capped.employer, Decimal::new(855, 4));
        assert_eq!(JANUARY_2026.apec.employer, Decimal::new(36, 5));
    }
}
