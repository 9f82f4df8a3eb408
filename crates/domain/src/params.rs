//! Legal figures as a dated parameter table (GEN-01): every rule asks for the value valid on the
//! operation date, never a literal. Seed values come from the domain guide's appendix A (France,
//! from 2026-01-01); a new figure is a new row with its `valid_from`, old rows stay for old dates.

use rust_decimal::Decimal;
use time::Date;
use time::macros::date;

/// A legal figure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Param {
    /// LIF-10: longest CAPE period, in months.
    CapePeriodMaxMonths,
    /// LIF-10: renewals allowed after the first CAPE period.
    CapeMaxRenewals,
    /// LIF-21: longest CESA trial period, renewal included, in months.
    CesaTrialMaxMonths,
    /// LIF-30: years after the CESA start to become associé.
    AssociateDeadlineYears,
    /// GDP-01: years an employee's HR file is kept after the end of employment.
    HrFileRetentionYears,
    /// GDP-01: years a non-selected candidate's data is kept after the last contact.
    CandidateRetentionYears,
    /// INV-20: longest payment term, in days from the issue date.
    PaymentTermsMaxDays,
    /// INV-20: longest payment term when counted "end of month", in days.
    PaymentTermsMaxDaysEom,
    /// INV-21: points added to the ECB refinancing rate for late-payment penalties.
    LatePenaltyExtraPoints,
    /// INV-07, D441-5: fixed recovery indemnity per late invoice, in euros.
    FixedRecoveryIndemnityEuros,
    /// LIF-41: individual support interviews due per entrepreneur and year.
    SupportInterviewsPerYear,
}

impl Param {
    pub fn key(self) -> &'static str {
        match self {
            Param::CapePeriodMaxMonths => "cape.period_max_months",
            Param::CapeMaxRenewals => "cape.max_renewals",
            Param::CesaTrialMaxMonths => "cesa.trial_max_months",
            Param::AssociateDeadlineYears => "associate_deadline_years",
            Param::HrFileRetentionYears => "retention.hr_file_years",
            Param::CandidateRetentionYears => "retention.candidate_years",
            Param::PaymentTermsMaxDays => "payment_terms.max_days",
            Param::PaymentTermsMaxDaysEom => "payment_terms.max_days_eom",
            Param::LatePenaltyExtraPoints => "late_penalty.extra_points",
            Param::FixedRecoveryIndemnityEuros => "late_penalty.fixed_indemnity",
            Param::SupportInterviewsPerYear => "support.interviews_per_year",
        }
    }
}

/// One row of the table: a value for a jurisdiction over `[valid_from, valid_to)`.
#[derive(Clone, Copy, Debug)]
pub struct ParamRow {
    pub param: Param,
    pub jurisdiction: &'static str,
    pub valid_from: Date,
    pub valid_to: Option<Date>,
    pub value: Decimal,
}

const fn row(param: Param, valid_from: Date, value: i64) -> ParamRow {
    ParamRow {
        param,
        jurisdiction: "FR",
        valid_from,
        valid_to: None,
        value: Decimal::from_parts(value as u32, 0, 0, false, 0),
    }
}

/// France. The CAPE and CESA figures date from the 2014 law on the social economy (loi 2014-856);
/// the retention periods are the CNIL's recommendations quoted in GDP-01.
/// Payment terms and penalties: loi 2008-776 (LME) and décret 2012-1115.
/// Support interviews: LIF-41 (two a year; the CAE's obligation of individual support, loi
/// 2014-856 and décret 2015-1363).
pub const FRANCE: [ParamRow; 11] = [
    row(Param::CapePeriodMaxMonths, date!(2014 - 08 - 01), 12),
    row(Param::CapeMaxRenewals, date!(2014 - 08 - 01), 2),
    row(Param::CesaTrialMaxMonths, date!(2014 - 08 - 01), 8),
    row(Param::AssociateDeadlineYears, date!(2014 - 08 - 01), 3),
    row(Param::HrFileRetentionYears, date!(2018 - 05 - 25), 5),
    row(Param::CandidateRetentionYears, date!(2018 - 05 - 25), 2),
    row(Param::PaymentTermsMaxDays, date!(2009 - 01 - 01), 60),
    row(Param::PaymentTermsMaxDaysEom, date!(2009 - 01 - 01), 45),
    row(Param::LatePenaltyExtraPoints, date!(2009 - 01 - 01), 10),
    row(
        Param::FixedRecoveryIndemnityEuros,
        date!(2013 - 01 - 01),
        40,
    ),
    row(Param::SupportInterviewsPerYear, date!(2015 - 10 - 27), 2),
];

/// No value of this figure is valid on that date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MissingParam(pub Param, pub Date);

impl std::fmt::Display for MissingParam {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "no value of {} on {}", self.0.key(), self.1)
    }
}
impl std::error::Error for MissingParam {}

/// The value of `param` valid on `on` in `table`.
pub fn value_in(table: &[ParamRow], param: Param, on: Date) -> Result<Decimal, MissingParam> {
    table
        .iter()
        .filter(|r| r.param == param && r.valid_from <= on && r.valid_to.is_none_or(|to| on < to))
        .max_by_key(|r| r.valid_from)
        .map(|r| r.value)
        .ok_or(MissingParam(param, on))
}

/// The value of `param` in France on `on`, as a whole number.
pub fn whole(param: Param, on: Date) -> Result<u32, MissingParam> {
    use rust_decimal::prelude::ToPrimitive;
    value_in(&FRANCE, param, on)?
        .to_u32()
        .ok_or(MissingParam(param, on))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gen_01_the_value_valid_on_the_operation_date_is_used() {
        let table = [
            ParamRow {
                param: Param::CapeMaxRenewals,
                jurisdiction: "FR",
                valid_from: date!(2020 - 01 - 01),
                valid_to: Some(date!(2027 - 01 - 01)),
                value: Decimal::from(2),
            },
            ParamRow {
                param: Param::CapeMaxRenewals,
                jurisdiction: "FR",
                valid_from: date!(2027 - 01 - 01),
                valid_to: None,
                value: Decimal::from(3),
            },
        ];
        assert_eq!(
            value_in(&table, Param::CapeMaxRenewals, date!(2026 - 12 - 31)),
            Ok(Decimal::from(2))
        );
        assert_eq!(
            value_in(&table, Param::CapeMaxRenewals, date!(2027 - 01 - 01)),
            Ok(Decimal::from(3))
        );
        assert_eq!(
            value_in(&table, Param::CapeMaxRenewals, date!(2019 - 01 - 01)),
            Err(MissingParam(Param::CapeMaxRenewals, date!(2019 - 01 - 01)))
        );
    }

    #[test]
    fn the_french_seed_values_are_those_of_the_domain_guide() {
        let on = date!(2026 - 03 - 01);
        assert_eq!(whole(Param::CapePeriodMaxMonths, on), Ok(12));
        assert_eq!(whole(Param::CapeMaxRenewals, on), Ok(2));
        assert_eq!(whole(Param::CesaTrialMaxMonths, on), Ok(8));
        assert_eq!(whole(Param::AssociateDeadlineYears, on), Ok(3));
    }
}
