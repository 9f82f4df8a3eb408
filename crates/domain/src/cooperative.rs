//! A cooperative's legal identity: what the invoices, contracts and registers will print (INV-01).
//! Validates every field once; knows nothing of storage or forms.

use crate::identifiers::{Siret, VatNumber};
use crate::money::Money;
use crate::validation::{FieldErrors, optional_text, required_text};

/// SCOP (workers' cooperative) or SCIC (multi-stakeholder cooperative).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CoopFamily {
    Scop,
    Scic,
}

/// The company form the cooperative takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CompanyForm {
    Sa,
    Sarl,
    Sas,
}

/// SCOP or SCIC, as SA, SARL or SAS: six forms, each with its own governance rules (GOV-05).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct LegalForm {
    pub family: CoopFamily,
    pub company: CompanyForm,
}

impl LegalForm {
    pub const ALL: [LegalForm; 6] = [
        LegalForm {
            family: CoopFamily::Scop,
            company: CompanyForm::Sarl,
        },
        LegalForm {
            family: CoopFamily::Scop,
            company: CompanyForm::Sa,
        },
        LegalForm {
            family: CoopFamily::Scop,
            company: CompanyForm::Sas,
        },
        LegalForm {
            family: CoopFamily::Scic,
            company: CompanyForm::Sarl,
        },
        LegalForm {
            family: CoopFamily::Scic,
            company: CompanyForm::Sa,
        },
        LegalForm {
            family: CoopFamily::Scic,
            company: CompanyForm::Sas,
        },
    ];

    /// Stable code: `scop_sarl`, `scic_sas`…
    pub fn code(self) -> &'static str {
        match (self.family, self.company) {
            (CoopFamily::Scop, CompanyForm::Sa) => "scop_sa",
            (CoopFamily::Scop, CompanyForm::Sarl) => "scop_sarl",
            (CoopFamily::Scop, CompanyForm::Sas) => "scop_sas",
            (CoopFamily::Scic, CompanyForm::Sa) => "scic_sa",
            (CoopFamily::Scic, CompanyForm::Sarl) => "scic_sarl",
            (CoopFamily::Scic, CompanyForm::Sas) => "scic_sas",
        }
    }

    pub fn parse(code: &str) -> Result<LegalForm, &'static str> {
        LegalForm::ALL
            .into_iter()
            .find(|f| f.code() == code)
            .ok_or("legal_form_unknown")
    }

    /// How the form is printed on documents, e.g. "SCOP SARL à capital variable" (INV-01).
    pub fn printed(self) -> &'static str {
        match (self.family, self.company) {
            (CoopFamily::Scop, CompanyForm::Sa) => "SCOP SA à capital variable",
            (CoopFamily::Scop, CompanyForm::Sarl) => "SCOP SARL à capital variable",
            (CoopFamily::Scop, CompanyForm::Sas) => "SCOP SAS à capital variable",
            (CoopFamily::Scic, CompanyForm::Sa) => "SCIC SA à capital variable",
            (CoopFamily::Scic, CompanyForm::Sarl) => "SCIC SARL à capital variable",
            (CoopFamily::Scic, CompanyForm::Sas) => "SCIC SAS à capital variable",
        }
    }
}

/// The first day of the fiscal year, as a month and a day (e.g. 1 January, 1 July).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FiscalYearStart {
    month: time::Month,
    day: u8,
}

impl FiscalYearStart {
    pub fn new(month: u8, day: u8) -> Result<FiscalYearStart, &'static str> {
        let m = time::Month::try_from(month).map_err(|_| "fiscal_year_start")?;
        // A non-leap year: a start on 29 February would not exist every year.
        if day == 0 || day > time::util::days_in_month(m, 2023) {
            return Err("fiscal_year_start");
        }
        Ok(FiscalYearStart { month: m, day })
    }
    pub fn month(self) -> u8 {
        self.month as u8
    }
    pub fn day(self) -> u8 {
        self.day
    }
    /// The first day of the fiscal year that contains `date`.
    pub fn year_start_for(self, date: time::Date) -> time::Date {
        let this_year =
            time::Date::from_calendar_date(date.year(), self.month, self.day).unwrap_or(date);
        if date >= this_year {
            this_year
        } else {
            time::Date::from_calendar_date(date.year() - 1, self.month, self.day).unwrap_or(date)
        }
    }
}

/// A postal address in France (or abroad: country code ISO 3166-1 alpha-2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Address {
    pub line1: String,
    pub line2: Option<String>,
    pub postcode: String,
    pub city: String,
    pub country: String,
}

/// What a person typed to create or edit a cooperative.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct CooperativeInput {
    pub legal_name: String,
    pub trade_name: String,
    pub legal_form: String,
    pub siret: String,
    pub vat_number: String,
    pub rcs_city: String,
    pub share_capital: String,
    pub address_line1: String,
    pub address_line2: String,
    pub postcode: String,
    pub city: String,
    pub fiscal_year_start_month: String,
    pub fiscal_year_start_day: String,
}

/// A cooperative's validated legal identity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CooperativeIdentity {
    pub legal_name: String,
    pub trade_name: Option<String>,
    pub legal_form: LegalForm,
    pub siret: Siret,
    pub vat_number: VatNumber,
    /// City of the trade and companies register, printed as "RCS <city>" (INV-01).
    pub rcs_city: String,
    /// Share capital: variable in a cooperative; this is the subscribed amount the statutes state.
    pub share_capital: Money,
    pub address: Address,
    pub fiscal_year_start: FiscalYearStart,
}

impl CooperativeIdentity {
    /// Validates every field; all errors are returned together.
    pub fn parse(input: &CooperativeInput) -> Result<CooperativeIdentity, FieldErrors> {
        let mut e = FieldErrors::new();
        let legal_name = e.check("legal_name", required_text(&input.legal_name, 200));
        let trade_name = e.check("trade_name", optional_text(&input.trade_name, 200));
        let legal_form = e.check("legal_form", LegalForm::parse(input.legal_form.trim()));
        let siret = e.check("siret", Siret::parse(&input.siret));
        let vat_number = e.check("vat_number", VatNumber::parse(&input.vat_number));
        if let (Some(siret), Some(vat)) = (&siret, &vat_number)
            && vat
                .french_siren()
                .is_some_and(|s| s != siret.siren().as_str())
        {
            e.add("vat_number", "vat_siren_mismatch");
        }
        let rcs_city = e.check("rcs_city", required_text(&input.rcs_city, 100));
        let share_capital = e.check(
            "share_capital",
            Money::parse_eur(&input.share_capital).and_then(|m| {
                if m.cents() > 0 {
                    Ok(m)
                } else {
                    Err("amount_positive")
                }
            }),
        );
        let line1 = e.check("address_line1", required_text(&input.address_line1, 200));
        let line2 = e.check("address_line2", optional_text(&input.address_line2, 200));
        let postcode = e.check("postcode", parse_postcode(&input.postcode));
        let city = e.check("city", required_text(&input.city, 100));
        let month: Option<u8> = e.check(
            "fiscal_year_start_month",
            input
                .fiscal_year_start_month
                .trim()
                .parse()
                .map_err(|_| "fiscal_year_start"),
        );
        let day: Option<u8> = e.check(
            "fiscal_year_start_day",
            input
                .fiscal_year_start_day
                .trim()
                .parse()
                .map_err(|_| "fiscal_year_start"),
        );
        let fiscal_year_start = match (month, day) {
            (Some(m), Some(d)) => e.check("fiscal_year_start_day", FiscalYearStart::new(m, d)),
            _ => None,
        };
        let built = (|| {
            Some(CooperativeIdentity {
                legal_name: legal_name?,
                trade_name: trade_name?,
                legal_form: legal_form?,
                siret: siret?,
                vat_number: vat_number?,
                rcs_city: rcs_city?,
                share_capital: share_capital?,
                address: Address {
                    line1: line1?,
                    line2: line2?,
                    postcode: postcode?,
                    city: city?,
                    country: "FR".to_owned(),
                },
                fiscal_year_start: fiscal_year_start?,
            })
        })();
        e.finish(built)
    }

    /// The mention printed on documents: "SCOP SARL à capital variable — RCS Lyon 732 829 320".
    pub fn legal_mention(&self) -> String {
        let s = self.siret.siren();
        let s = s.as_str();
        format!(
            "{} — RCS {} {} {} {}",
            self.legal_form.printed(),
            self.rcs_city,
            &s[0..3],
            &s[3..6],
            &s[6..9]
        )
    }
}

/// A French postcode: five digits.
pub fn parse_postcode(input: &str) -> Result<String, &'static str> {
    let t: String = input.chars().filter(|c| !c.is_whitespace()).collect();
    if t.is_empty() {
        Err("required")
    } else if t.len() == 5 && t.bytes().all(|b| b.is_ascii_digit()) {
        Ok(t)
    } else {
        Err("postcode_format")
    }
}

/// A URL-safe short name derived from a legal name: lowercase ASCII letters, digits and dashes.
pub fn slugify(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        let base = match c {
            'à' | 'â' | 'ä' | 'á' | 'À' | 'Â' => 'a',
            'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' => 'e',
            'î' | 'ï' | 'Î' => 'i',
            'ô' | 'ö' | 'Ô' => 'o',
            'ù' | 'û' | 'ü' | 'Û' => 'u',
            'ç' | 'Ç' => 'c',
            c => c.to_ascii_lowercase(),
        };
        if base.is_ascii_alphanumeric() {
            out.push(base);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let trimmed = out.trim_end_matches('-');
    let mut s: String = trimmed.chars().take(40).collect();
    if s.is_empty() {
        s.push_str("cooperative");
    }
    s.trim_end_matches('-').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identifiers::Siren;

    pub fn valid_input() -> CooperativeInput {
        CooperativeInput {
            legal_name: "Coopérative Essaim".into(),
            trade_name: String::new(),
            legal_form: "scop_sarl".into(),
            siret: "732 829 320 00074".into(),
            vat_number: "FR44732829320".into(),
            rcs_city: "Lyon".into(),
            share_capital: "15 000".into(),
            address_line1: "12 rue de la République".into(),
            address_line2: String::new(),
            postcode: "69001".into(),
            city: "Lyon".into(),
            fiscal_year_start_month: "1".into(),
            fiscal_year_start_day: "1".into(),
        }
    }

    #[test]
    fn a_valid_identity_is_accepted() {
        let id = CooperativeIdentity::parse(&valid_input()).unwrap();
        assert_eq!(id.share_capital, Money::eur(1_500_000));
        assert_eq!(
            id.legal_mention(),
            "SCOP SARL à capital variable — RCS Lyon 732 829 320"
        );
    }

    #[test]
    fn every_invalid_field_is_reported_at_once() {
        let mut input = valid_input();
        input.legal_name = " ".into();
        input.siret = "73282932000075".into();
        input.postcode = "6900".into();
        input.legal_form = "sarl".into();
        let errors = CooperativeIdentity::parse(&input).unwrap_err();
        assert_eq!(
            errors.for_field("legal_name").map(|e| e.code),
            Some("required")
        );
        assert_eq!(
            errors.for_field("siret").map(|e| e.code),
            Some("siret_checksum")
        );
        assert_eq!(
            errors.for_field("postcode").map(|e| e.code),
            Some("postcode_format")
        );
        assert_eq!(
            errors.for_field("legal_form").map(|e| e.code),
            Some("legal_form_unknown")
        );
    }

    #[test]
    fn inv_01_the_french_vat_number_must_belong_to_the_same_company() {
        let mut input = valid_input();
        input.vat_number = VatNumber::french_for(&Siren::parse("552100554").unwrap())
            .as_str()
            .to_owned();
        let errors = CooperativeIdentity::parse(&input).unwrap_err();
        assert_eq!(
            errors.for_field("vat_number").map(|e| e.code),
            Some("vat_siren_mismatch")
        );
    }

    #[test]
    fn fiscal_years_can_start_on_any_day_every_year_has() {
        assert!(FiscalYearStart::new(7, 1).is_ok());
        assert!(FiscalYearStart::new(2, 29).is_err());
        assert!(FiscalYearStart::new(4, 31).is_err());
        assert!(FiscalYearStart::new(13, 1).is_err());
        let start = FiscalYearStart::new(7, 1).unwrap();
        assert_eq!(
            start.year_start_for(time::macros::date!(2026 - 03 - 15)),
            time::macros::date!(2025 - 07 - 01)
        );
        assert_eq!(
            start.year_start_for(time::macros::date!(2026 - 07 - 01)),
            time::macros::date!(2026 - 07 - 01)
        );
    }

    #[test]
    fn slugs_are_url_safe() {
        assert_eq!(slugify("Coopérative Élan & Co"), "cooperative-elan-co");
        assert_eq!(slugify("!!!"), "cooperative");
    }
}

/// A stored cooperative: its id, its URL name and its legal identity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cooperative {
    pub id: crate::ids::CooperativeId,
    pub slug: String,
    pub identity: CooperativeIdentity,
}
