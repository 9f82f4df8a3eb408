//! The salary simulator (issue 6, PAY 2.3–2.5): from a monthly gross salary, net before income
//! tax, or total employer cost, the two others and every contribution, for a non-cadre or a
//! cadre, on a date, from the dated parameters of [`params`].
//!
//! Each contribution is its base times its rate, kept exact (`Decimal`); the totals are rounded
//! once, to the cent, half away from zero (GEN-02), as a payslip's totals are. The general
//! degressive reduction (RGDU, PAY-23) is computed on the month's gross against the month's
//! SMIC for the hours paid, its coefficient rounded to four decimals; the annual regularisation
//! is the payroll bureau's (PAY-23).
//!
//! The assumptions a payslip depends on beyond the salary (headcount, AT/MP rate, mobility tax,
//! health insurance) are [`Assumptions`], whose defaults are those of the URSSAF's simulator.

pub mod account;
pub mod bridge;
pub mod contribution;
pub mod params;
pub mod planner;

use crate::money::Money;
use crate::validation::FieldErrors;
use params::PayrollParams;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, MathematicalOps, RoundingStrategy};
use time::Date;

/// Employment status, for the contributions that depend on it (APEC, cadre provident scheme).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    NonCadre,
    Cadre,
}

impl Status {
    pub fn code(self) -> &'static str {
        match self {
            Status::NonCadre => "non-cadre",
            Status::Cadre => "cadre",
        }
    }
    pub fn parse(code: &str) -> Option<Status> {
        match code.trim() {
            "non-cadre" | "non_cadre" | "noncadre" => Some(Status::NonCadre),
            "cadre" => Some(Status::Cadre),
            _ => None,
        }
    }
}

/// What a payslip depends on beyond the salary: the cooperative's own figures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Assumptions {
    /// The cooperative's headcount (thresholds of 11, 50 and 250 employees).
    pub headcount: u32,
    /// AT/MP rate (work accidents), as a fraction.
    pub atmp_rate: Decimal,
    /// Mobility tax rate (from 11 employees), as a fraction.
    pub mobility_rate: Decimal,
    /// The compulsory health insurance premium, per month.
    pub health_insurance: Decimal,
    /// The employer's share of it, as a fraction.
    pub health_insurance_employer_share: Decimal,
    /// Hours paid in the month (151.67 full time).
    pub hours: Decimal,
}

impl Default for Assumptions {
    /// The URSSAF simulator's: 10 employees, AT/MP 2.08 %, no mobility tax, a 40 € health
    /// insurance paid half by the employer, full time.
    fn default() -> Self {
        Assumptions {
            headcount: 10,
            atmp_rate: Decimal::new(208, 4),
            mobility_rate: Decimal::ZERO,
            health_insurance: Decimal::new(40, 0),
            health_insurance_employer_share: Decimal::new(5, 1),
            hours: Decimal::new(15167, 2),
        }
    }
}

/// One contribution: what it is levied on, and each side's share.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    pub code: &'static str,
    pub base: Decimal,
    pub employee: Decimal,
    pub employer: Decimal,
}

/// A month's pay, with every contribution.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Payslip {
    pub status: Status,
    pub on: Date,
    pub gross: Decimal,
    pub lines: Vec<Line>,
    /// The RGDU coefficient applied (PAY-23).
    pub rgdu_coefficient: Decimal,
    /// Employer reductions (the RGDU), deducted from the employer contributions.
    pub employer_reductions: Decimal,
}

fn cents(d: Decimal) -> Money {
    let c = (d * Decimal::ONE_HUNDRED)
        .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
        .to_i64()
        .unwrap_or(i64::MAX);
    Money::eur(c)
}

impl Payslip {
    fn employee_exact(&self) -> Decimal {
        self.lines.iter().map(|l| l.employee).sum()
    }
    fn employer_exact(&self) -> Decimal {
        self.lines.iter().map(|l| l.employer).sum::<Decimal>() - self.employer_reductions
    }
    pub fn gross_money(&self) -> Money {
        cents(self.gross)
    }
    /// Employee contributions, CSG and CRDS included.
    pub fn employee_contributions(&self) -> Money {
        cents(self.employee_exact())
    }
    /// Employer contributions after the reductions.
    pub fn employer_contributions(&self) -> Money {
        cents(self.employer_exact())
    }
    pub fn employer_reductions_money(&self) -> Money {
        cents(self.employer_reductions)
    }
    /// Net before income tax: gross less the employee's contributions.
    pub fn net_before_income_tax(&self) -> Money {
        cents(self.gross - self.employee_exact())
    }
    /// Net taxable: the net, plus the CSG and CRDS that are not deductible, plus the employer's
    /// health insurance share.
    pub fn net_taxable(&self) -> Money {
        let added: Decimal = self
            .lines
            .iter()
            .filter(|l| matches!(l.code, "csg_non_deductible" | "crds"))
            .map(|l| l.employee)
            .sum::<Decimal>()
            + self
                .lines
                .iter()
                .filter(|l| l.code == "health_insurance")
                .map(|l| l.employer)
                .sum::<Decimal>();
        cents(self.gross - self.employee_exact() + added)
    }
    /// Total employer cost: gross plus the employer's contributions after reductions.
    pub fn employer_cost(&self) -> Money {
        cents(self.gross + self.employer_exact())
    }
    fn net_exact(&self) -> Decimal {
        self.gross - self.employee_exact()
    }
    fn cost_exact(&self) -> Decimal {
        self.gross + self.employer_exact()
    }
}

/// The RGDU coefficient of a month (PAY 2.4): zero from 3 SMIC, rounded to four decimals.
pub fn rgdu_coefficient(p: &PayrollParams, a: &Assumptions, gross: Decimal) -> Decimal {
    let smic = p.smic_hourly * a.hours;
    if gross <= Decimal::ZERO || gross >= smic * Decimal::from(3) {
        return Decimal::ZERO;
    }
    let t_delta = if a.headcount >= 50 {
        p.rgdu_t_delta_large
    } else {
        p.rgdu_t_delta_small
    };
    let x = (Decimal::from(3) * smic / gross - Decimal::ONE) / Decimal::TWO;
    let powered = x.powd(Decimal::new(175, 2));
    let c = (p.rgdu_t_min + t_delta * powered).min(p.rgdu_t_min + t_delta);
    c.round_dp_with_strategy(4, RoundingStrategy::MidpointAwayFromZero)
}

/// The payslip of a month's `gross` salary.
pub fn payslip(
    p: &PayrollParams,
    a: &Assumptions,
    status: Status,
    on: Date,
    gross: Decimal,
) -> Payslip {
    let pss = p.pss_monthly;
    let t1 = gross.min(pss);
    let t2 = (gross.min(pss * Decimal::from(8)) - pss).max(Decimal::ZERO);
    let to_4pss = gross.min(pss * Decimal::from(4));
    let mut lines = Vec::with_capacity(28);
    let mut both = |code: &'static str, base: Decimal, r: params::Rates| {
        lines.push(Line {
            code,
            base,
            employee: base * r.employee,
            employer: base * r.employer,
        });
    };
    both("old_age_capped", t1, p.old_age_capped);
    both("old_age_uncapped", gross, p.old_age_uncapped);
    both("pension_t1", t1, p.pension_t1);
    both("ceg_t1", t1, p.ceg_t1);
    if t2 > Decimal::ZERO {
        both("pension_t2", t2, p.pension_t2);
        both("ceg_t2", t2, p.ceg_t2);
        both("cet", gross.min(pss * Decimal::from(8)), p.cet);
    }
    if status == Status::Cadre {
        both("apec", to_4pss, p.apec);
    }
    let mut employer = |code: &'static str, base: Decimal, rate: Decimal| {
        if rate != Decimal::ZERO {
            lines.push(Line {
                code,
                base,
                employee: Decimal::ZERO,
                employer: base * rate,
            });
        }
    };
    employer("health", gross, p.health);
    employer("family", gross, p.family);
    employer("atmp", gross, a.atmp_rate);
    employer("csa", gross, p.csa);
    if a.headcount >= 50 {
        employer("fnal", gross, p.fnal_large);
    } else {
        employer("fnal", t1, p.fnal_small);
    }
    employer("unemployment", to_4pss, p.unemployment);
    employer("ags", to_4pss, p.ags);
    let provident = if status == Status::Cadre {
        t1 * p.cadre_provident
    } else {
        Decimal::ZERO
    };
    if status == Status::Cadre {
        employer("cadre_provident", t1, p.cadre_provident);
    }
    let apprenticeship = if a.headcount >= 250 {
        p.apprenticeship_tax + p.apprenticeship_extra_250
    } else {
        p.apprenticeship_tax
    };
    employer("apprenticeship_tax", gross, apprenticeship);
    let training = if a.headcount >= 11 {
        p.training_large
    } else {
        p.training_small
    };
    employer("training", gross, training);
    employer("social_dialogue", gross, p.social_dialogue);
    if a.headcount >= 50 {
        employer("peec", gross, p.peec);
    }
    if a.headcount >= 11 {
        employer("mobility", gross, a.mobility_rate);
    }
    let health_employer = a.health_insurance * a.health_insurance_employer_share;
    lines.push(Line {
        code: "health_insurance",
        base: a.health_insurance,
        employee: a.health_insurance - health_employer,
        employer: health_employer,
    });
    if a.headcount >= 11 {
        let base = health_employer + provident;
        lines.push(Line {
            code: "forfait_social",
            base,
            employee: Decimal::ZERO,
            employer: base * p.forfait_social,
        });
    }
    // CSG and CRDS: 98.25 % of pay up to 4 PSS, the whole above, plus the employer's health and
    // provident shares.
    let csg_base = to_4pss * (Decimal::ONE - p.csg_abatement)
        + (gross - to_4pss).max(Decimal::ZERO)
        + health_employer
        + provident;
    for (code, rate) in [
        ("csg_deductible", p.csg_deductible),
        ("csg_non_deductible", p.csg_non_deductible),
        ("crds", p.crds),
    ] {
        lines.push(Line {
            code,
            base: csg_base,
            employee: csg_base * rate,
            employer: Decimal::ZERO,
        });
    }
    let coefficient = rgdu_coefficient(p, a, gross);
    Payslip {
        status,
        on,
        gross,
        lines,
        rgdu_coefficient: coefficient,
        employer_reductions: coefficient * gross,
    }
}

/// The gross salary, to the cent, whose `measure` is the highest not above `target` (the measure
/// grows with the gross), and its payslip. `None` when no gross up to 1 000 000 € reaches it.
fn solve(
    p: &PayrollParams,
    a: &Assumptions,
    status: Status,
    on: Date,
    target: Decimal,
    measure: impl Fn(&Payslip) -> Decimal,
) -> Option<Payslip> {
    let at = |c: i64| payslip(p, a, status, on, Decimal::new(c, 2));
    if target <= Decimal::ZERO {
        return None;
    }
    // The CET starts on the whole pay once it passes the PSS: the net drops there, so the same
    // net is reached twice; the lower gross is the answer (the cheaper one).
    let pss = (p.pss_monthly * Decimal::ONE_HUNDRED).to_i64().unwrap_or(0);
    let (mut low, mut high) = if measure(&at(pss)) >= target {
        (0_i64, pss)
    } else {
        (pss, 100_000_000_i64)
    };
    if measure(&at(high)) < target {
        return None;
    }
    // Invariant: measure(low) ≤ target < measure(high), or high is the answer.
    while high - low > 1 {
        let mid = low + (high - low) / 2;
        if measure(&at(mid)) <= target {
            low = mid;
        } else {
            high = mid;
        }
    }
    // The cent whose measure rounds to the target, when one does.
    let best = [low, high]
        .into_iter()
        .min_by_key(|c| ((measure(&at(*c)) - target).abs() * Decimal::from(1_000_000)).to_i64())?;
    Some(at(best))
}

/// What is given to the simulator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Given {
    Gross(Decimal),
    Net(Decimal),
    EmployerCost(Decimal),
}

/// The payslip for a given gross, net before income tax or employer cost on `on`; `None` when
/// the table has no figures for that date or nothing reaches the amount.
pub fn simulate(
    table: &[PayrollParams],
    a: &Assumptions,
    status: Status,
    on: Date,
    given: Given,
) -> Option<Payslip> {
    let p = params::params_on(table, on)?;
    match given {
        Given::Gross(g) if g > Decimal::ZERO => Some(payslip(p, a, status, on, g)),
        Given::Gross(_) => None,
        Given::Net(n) => solve(p, a, status, on, n, Payslip::net_exact),
        Given::EmployerCost(c) => solve(p, a, status, on, c, Payslip::cost_exact),
    }
}

/// A simulation as typed: one of the three amounts, the status, the date and the assumptions
/// (empty: the defaults).
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct SimulationInput {
    pub gross: String,
    pub net: String,
    pub employer_cost: String,
    /// `non-cadre` or `cadre`.
    pub status: String,
    /// `YYYY-MM-DD`; empty: today.
    pub date: String,
    pub headcount: String,
    /// In percent.
    pub atmp_rate: String,
    pub mobility_rate: String,
    pub health_insurance: String,
    /// In percent.
    pub health_insurance_employer_share: String,
    pub hours: String,
}

/// A valid simulation request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Simulation {
    pub given: Given,
    pub status: Status,
    pub on: Date,
    pub assumptions: Assumptions,
}

fn decimal(text: &str) -> Result<Decimal, &'static str> {
    text.trim()
        .replace([' ', '\u{a0}', '\u{202f}'], "")
        .replace(',', ".")
        .parse::<Decimal>()
        .map_err(|_| "number_format")
}

impl SimulationInput {
    /// Exactly one of the three amounts; each invalid field reported.
    pub fn parse(&self, today: Date) -> Result<Simulation, FieldErrors> {
        let mut e = FieldErrors::new();
        let typed: Vec<(&'static str, &str)> = [
            ("gross", self.gross.as_str()),
            ("net", self.net.as_str()),
            ("employer_cost", self.employer_cost.as_str()),
        ]
        .into_iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .collect();
        let given = match typed.as_slice() {
            [(field, value)] => e
                .check(
                    field,
                    Money::parse_eur(value).and_then(|m| {
                        if m.cents() > 0 && m.cents() <= 100_000_000 {
                            Ok(Decimal::new(m.cents(), 2))
                        } else {
                            Err("salary_range")
                        }
                    }),
                )
                .map(|v| match *field {
                    "gross" => Given::Gross(v),
                    "net" => Given::Net(v),
                    _ => Given::EmployerCost(v),
                }),
            [] => {
                e.add("gross", "salary_one_amount");
                None
            }
            _ => {
                e.add("gross", "salary_one_amount");
                None
            }
        };
        let status = if self.status.trim().is_empty() {
            Some(Status::NonCadre)
        } else {
            e.check(
                "status",
                Status::parse(&self.status).ok_or("status_unknown"),
            )
        };
        let on = if self.date.trim().is_empty() {
            Some(today)
        } else {
            e.check("date", crate::person::parse_date(&self.date))
        };
        let assumptions = AssumptionsInput {
            headcount: self.headcount.clone(),
            atmp_rate: self.atmp_rate.clone(),
            mobility_rate: self.mobility_rate.clone(),
            health_insurance: self.health_insurance.clone(),
            health_insurance_employer_share: self.health_insurance_employer_share.clone(),
            hours: self.hours.clone(),
        }
        .read(&mut e, &Assumptions::default());
        match (given, status, on, assumptions) {
            (Some(given), Some(status), Some(on), Some(assumptions)) if e.is_empty() => {
                Ok(Simulation {
                    given,
                    status,
                    on,
                    assumptions,
                })
            }
            _ => Err(e),
        }
    }
}

/// The assumptions as typed (a cooperative's payroll settings, or a simulation's); an empty
/// field keeps the value it replaces.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct AssumptionsInput {
    pub headcount: String,
    /// In percent.
    pub atmp_rate: String,
    /// In percent.
    pub mobility_rate: String,
    /// Per month.
    pub health_insurance: String,
    /// In percent.
    pub health_insurance_employer_share: String,
    pub hours: String,
}

impl AssumptionsInput {
    /// The assumptions, each empty field taken from `base`; each invalid one reported.
    pub fn parse(&self, base: &Assumptions) -> Result<Assumptions, FieldErrors> {
        let mut e = FieldErrors::new();
        match self.read(&mut e, base) {
            Some(a) if e.is_empty() => Ok(a),
            _ => Err(e),
        }
    }

    /// As a form shows them, in percent: 0.0208 → `2,08`.
    pub fn of(a: &Assumptions) -> AssumptionsInput {
        let typed = |d: Decimal| d.normalize().to_string().replace('.', ",");
        let pct = |d: Decimal| typed(d * Decimal::ONE_HUNDRED);
        AssumptionsInput {
            headcount: a.headcount.to_string(),
            atmp_rate: pct(a.atmp_rate),
            mobility_rate: pct(a.mobility_rate),
            health_insurance: typed(a.health_insurance),
            health_insurance_employer_share: pct(a.health_insurance_employer_share),
            hours: typed(a.hours),
        }
    }

    fn read(&self, e: &mut FieldErrors, base: &Assumptions) -> Option<Assumptions> {
        let hundred = Decimal::ONE_HUNDRED;
        let mut field =
            |name: &'static str, text: &str, default: Decimal, scale: Decimal, max: Decimal| {
                if text.trim().is_empty() {
                    return Some(default);
                }
                e.check(
                    name,
                    decimal(text).and_then(|v| {
                        if v < Decimal::ZERO || v > max {
                            Err("number_range")
                        } else {
                            Ok(v / scale)
                        }
                    }),
                )
            };
        let atmp = field(
            "atmp_rate",
            &self.atmp_rate,
            base.atmp_rate,
            hundred,
            hundred,
        );
        let mobility = field(
            "mobility_rate",
            &self.mobility_rate,
            base.mobility_rate,
            hundred,
            hundred,
        );
        let health = field(
            "health_insurance",
            &self.health_insurance,
            base.health_insurance,
            Decimal::ONE,
            Decimal::from(10_000),
        );
        let share = field(
            "health_insurance_employer_share",
            &self.health_insurance_employer_share,
            base.health_insurance_employer_share,
            hundred,
            hundred,
        );
        let full_time = Assumptions::default().hours;
        let hours = field("hours", &self.hours, base.hours, Decimal::ONE, full_time);
        if hours == Some(Decimal::ZERO) {
            e.add("hours", "number_range");
        }
        let headcount = if self.headcount.trim().is_empty() {
            Some(base.headcount)
        } else {
            e.check(
                "headcount",
                self.headcount
                    .trim()
                    .parse::<u32>()
                    .map_err(|_| "number_format"),
            )
        };
        Some(Assumptions {
            headcount: headcount?,
            atmp_rate: atmp?,
            mobility_rate: mobility?,
            health_insurance: health?,
            health_insurance_employer_share: share?,
            hours: hours?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn at(gross: i64, status: Status) -> Payslip {
        let p = params::params_on(&params::FRANCE, date!(2026 - 01 - 01)).copied();
        let p = p.unwrap_or(params::FRANCE[0]);
        payslip(
            &p,
            &Assumptions::default(),
            status,
            date!(2026 - 01 - 01),
            Decimal::new(gross, 2),
        )
    }

    #[test]
    fn pay_2_4_a_2500_gross_non_cadre_matches_the_urssaf_simulator() {
        // The salary oracle's figures for January 2026 (its README, first example).
        let s = at(250_000, Status::NonCadre);
        assert_eq!(s.net_before_income_tax().cents(), 195_705);
        assert_eq!(s.employee_contributions().cents(), 54_295);
        assert_eq!(s.employer_contributions().cents(), 66_265);
        assert_eq!(s.employer_reductions_money().cents(), 42_975);
        assert_eq!(s.employer_cost().cents(), 316_265);
        assert_eq!(s.net_taxable().cents(), 204_887);
        assert_eq!(s.rgdu_coefficient, Decimal::new(1719, 4));
    }

    #[test]
    fn pay_23_the_rgdu_is_highest_at_the_smic_and_gone_from_three_smic() {
        let p = params::FRANCE[0];
        let a = Assumptions::default();
        let smic = p.smic_hourly * a.hours;
        assert_eq!(rgdu_coefficient(&p, &a, smic), Decimal::new(3981, 4));
        assert_eq!(
            rgdu_coefficient(&p, &a, smic * Decimal::from(3)),
            Decimal::ZERO
        );
        let large = Assumptions { headcount: 60, ..a };
        assert_eq!(rgdu_coefficient(&p, &large, smic), Decimal::new(4021, 4));
    }

    #[test]
    fn from_the_net_or_the_cost_the_gross_is_found_to_the_cent() {
        let table = params::FRANCE;
        let a = Assumptions::default();
        let on = date!(2026 - 03 - 01);
        let by_net = simulate(
            &table,
            &a,
            Status::NonCadre,
            on,
            Given::Net(Decimal::new(195_705, 2)),
        );
        assert_eq!(by_net.map(|s| s.gross_money().cents()), Some(250_000));
        let by_cost = simulate(
            &table,
            &a,
            Status::Cadre,
            on,
            Given::EmployerCost(Decimal::from(9000)),
        );
        let cost = by_cost
            .as_ref()
            .map(|s| s.employer_cost().cents())
            .unwrap_or(0);
        assert!((cost - 900_000).abs() <= 1, "{cost}");
        assert_eq!(
            simulate(
                &table,
                &a,
                Status::Cadre,
                date!(2025 - 06 - 01),
                Given::Gross(Decimal::ONE)
            ),
            None
        );
    }

    #[test]
    fn a_simulation_needs_exactly_one_amount() {
        let today = date!(2026 - 03 - 01);
        let both = SimulationInput {
            gross: "2500".into(),
            net: "2000".into(),
            ..SimulationInput::default()
        };
        assert!(both.parse(today).is_err());
        let ok = SimulationInput {
            net: "2 000,50".into(),
            status: "cadre".into(),
            atmp_rate: "0,7".into(),
            ..SimulationInput::default()
        }
        .parse(today);
        let ok = ok.ok();
        assert_eq!(
            ok.map(|s| s.given),
            Some(Given::Net(Decimal::new(200_050, 2)))
        );
        assert_eq!(
            ok.map(|s| s.assumptions.atmp_rate),
            Some(Decimal::new(7, 3))
        );
    }
}
