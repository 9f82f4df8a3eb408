//! The CESA contract (LIF-20) as typed clauses, and its amendments (LIF-23): each version is kept,
//! none is edited. Knows nothing of storage or rendering.

use crate::money::Money;
use crate::person::parse_date;
use crate::validation::{FieldErrors, required_text};
use rust_decimal::Decimal;
use time::Date;

/// What the contribution is computed on (PAY-10).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ContributionBase {
    InvoicedExclTax,
    CollectedExclTax,
    GrossMargin,
}

impl ContributionBase {
    pub const ALL: [ContributionBase; 3] = [
        ContributionBase::InvoicedExclTax,
        ContributionBase::CollectedExclTax,
        ContributionBase::GrossMargin,
    ];
    pub fn code(self) -> &'static str {
        match self {
            ContributionBase::InvoicedExclTax => "invoiced",
            ContributionBase::CollectedExclTax => "collected",
            ContributionBase::GrossMargin => "gross_margin",
        }
    }
    pub fn parse(code: &str) -> Result<ContributionBase, &'static str> {
        ContributionBase::ALL
            .into_iter()
            .find(|b| b.code() == code)
            .ok_or("choice_unknown")
    }
}

/// A rate typed as a percentage ("11", "10,5") kept as a decimal fraction (GEN-02: ≥ 4 digits).
pub fn parse_rate_percent(input: &str) -> Result<Decimal, &'static str> {
    let cleaned = input.trim().trim_end_matches('%').trim().replace(',', ".");
    if cleaned.is_empty() {
        return Err("required");
    }
    let v: Decimal = cleaned.parse().map_err(|_| "rate_format")?;
    if v < Decimal::ZERO || v > Decimal::ONE_HUNDRED || v.scale() > 2 {
        return Err("rate_format");
    }
    Ok(v / Decimal::ONE_HUNDRED)
}

/// The clauses L7331-2 requires (a–f) and the associé procedure of R7331-10.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CesaTerms {
    /// (a) objectives and minimum activity obligations.
    pub objectives: String,
    /// (b) support and control provided by the cooperative.
    pub support: String,
    /// (c) the contribution: rate and base.
    pub contribution_rate: Decimal,
    pub contribution_base: ContributionBase,
    /// (d) fixed monthly gross pay, and how the variable part is computed.
    pub fixed_monthly_gross: Money,
    pub variable_method: String,
    /// (e) the statutes in force.
    pub statutes_reference: String,
    /// (f) guarantees on the clientele and intellectual property.
    pub guarantees: String,
    /// R7331-10: delays and procedure to become associé.
    pub associate_procedure: String,
}

#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct CesaTermsInput {
    pub effective_on: String,
    pub summary: String,
    pub objectives: String,
    pub support: String,
    pub contribution_rate: String,
    pub contribution_base: String,
    pub fixed_monthly_gross: String,
    pub variable_method: String,
    pub statutes_reference: String,
    pub guarantees: String,
    pub associate_procedure: String,
}

impl CesaTerms {
    /// Validates every clause; returns the terms with the version's date and summary.
    pub fn parse(i: &CesaTermsInput) -> Result<(Date, String, CesaTerms), FieldErrors> {
        let mut e = FieldErrors::new();
        let on = e.check("effective_on", parse_date(&i.effective_on));
        let summary = e.check("summary", required_text(&i.summary, 300));
        let long =
            |e: &mut FieldErrors, f: &'static str, v: &str| e.check(f, required_text(v, 4000));
        let objectives = long(&mut e, "objectives", &i.objectives);
        let support = long(&mut e, "support", &i.support);
        let rate = e.check(
            "contribution_rate",
            parse_rate_percent(&i.contribution_rate),
        );
        let base = e.check(
            "contribution_base",
            ContributionBase::parse(i.contribution_base.trim()),
        );
        let fixed = e.check(
            "fixed_monthly_gross",
            Money::parse_eur(&i.fixed_monthly_gross).and_then(|m| {
                if m.cents() >= 0 {
                    Ok(m)
                } else {
                    Err("amount_positive")
                }
            }),
        );
        let variable = long(&mut e, "variable_method", &i.variable_method);
        let statutes = long(&mut e, "statutes_reference", &i.statutes_reference);
        let guarantees = long(&mut e, "guarantees", &i.guarantees);
        let procedure = long(&mut e, "associate_procedure", &i.associate_procedure);
        let built = (|| {
            Some((
                on?,
                summary?,
                CesaTerms {
                    objectives: objectives?,
                    support: support?,
                    contribution_rate: rate?,
                    contribution_base: base?,
                    fixed_monthly_gross: fixed?,
                    variable_method: variable?,
                    statutes_reference: statutes?,
                    guarantees: guarantees?,
                    associate_procedure: procedure?,
                },
            ))
        })();
        e.finish(built)
    }
}

/// One version of the contract: the signed one (number 1) or an amendment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContractVersion {
    pub number: u32,
    pub effective_on: Date,
    pub summary: String,
    pub terms: CesaTerms,
}

/// LIF-23: a new version takes effect after the current one, and the contract exists only once
/// the CESA is signed (the caller checks the path).
pub fn check_new_version(
    history: &[ContractVersion],
    effective_on: Date,
) -> Result<u32, (&'static str, &'static str)> {
    match history.last() {
        Some(last) if effective_on <= last.effective_on => {
            Err(("effective_on", "amendment_before_current"))
        }
        Some(last) => Ok(last.number + 1),
        None => Ok(1),
    }
}

/// `11 %`, `10,5 %`.
pub fn format_rate(rate: Decimal) -> String {
    let pct = (rate * Decimal::ONE_HUNDRED).normalize();
    format!("{} %", pct.to_string().replace('.', ","))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    pub fn input() -> CesaTermsInput {
        CesaTermsInput {
            effective_on: "2026-03-01".into(),
            summary: "Contrat signé".into(),
            objectives: "Chiffre d'affaires de 2 000 € HT par mois".into(),
            support: "Entretiens mensuels, comptabilité".into(),
            contribution_rate: "11".into(),
            contribution_base: "collected".into(),
            fixed_monthly_gross: "1 823,03".into(),
            variable_method: "Solde annuel après contribution et charges".into(),
            statutes_reference: "Statuts du 12 juin 2024".into(),
            guarantees: "La clientèle reste attachée à l'entrepreneur·e".into(),
            associate_procedure: "Candidature au conseil, décision sous 3 mois".into(),
        }
    }

    #[test]
    fn lif_20_every_clause_a_to_f_is_required_and_typed() {
        let (on, _, terms) = CesaTerms::parse(&input()).unwrap();
        assert_eq!(on, date!(2026 - 03 - 01));
        assert_eq!(terms.contribution_rate, Decimal::new(11, 2));
        assert_eq!(terms.fixed_monthly_gross, Money::eur(182_303));
        assert_eq!(format_rate(terms.contribution_rate), "11 %");
        let e = CesaTerms::parse(&CesaTermsInput {
            contribution_rate: "120".into(),
            ..Default::default()
        })
        .unwrap_err();
        for f in [
            "effective_on",
            "objectives",
            "support",
            "variable_method",
            "statutes_reference",
            "guarantees",
            "associate_procedure",
            "contribution_base",
            "fixed_monthly_gross",
        ] {
            assert!(e.for_field(f).is_some(), "{f}");
        }
        assert_eq!(
            e.for_field("contribution_rate").map(|x| x.code),
            Some("rate_format")
        );
    }

    #[test]
    fn lif_23_amendments_follow_each_other() {
        let (on, summary, terms) = CesaTerms::parse(&input()).unwrap();
        assert_eq!(check_new_version(&[], on), Ok(1));
        let v1 = ContractVersion {
            number: 1,
            effective_on: on,
            summary,
            terms,
        };
        assert_eq!(
            check_new_version(std::slice::from_ref(&v1), date!(2026 - 09 - 01)),
            Ok(2)
        );
        assert_eq!(
            check_new_version(&[v1], date!(2026 - 03 - 01)),
            Err(("effective_on", "amendment_before_current"))
        );
        assert_eq!(format_rate(Decimal::new(105, 3)), "10,5 %");
    }
}
