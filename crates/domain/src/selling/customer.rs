//! Customers (INV-02): companies with their SIREN/SIRET (checked), VAT number and electronic
//! invoicing address (EIN-12), or individuals; billing and delivery addresses; payment terms.

use super::terms::PaymentTerms;
use crate::account::Email;
use crate::cooperative::{Address, parse_postcode};
use crate::identifiers::{Siren, Siret, VatNumber};
use crate::person::parse_phone;
use crate::validation::{FieldErrors, optional_text, required_text};
use time::Date;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CustomerKind {
    Company,
    Individual,
}

impl CustomerKind {
    pub fn code(self) -> &'static str {
        match self {
            CustomerKind::Company => "company",
            CustomerKind::Individual => "individual",
        }
    }
    pub fn parse(code: &str) -> Option<CustomerKind> {
        match code {
            "company" => Some(CustomerKind::Company),
            "individual" => Some(CustomerKind::Individual),
            _ => None,
        }
    }
}

/// ISO 3166-1 alpha-2 codes of the EU member states (intra-community rules apply between them).
pub const EU_COUNTRIES: [&str; 27] = [
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT",
    "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
];

/// Countries offered in forms beyond the EU.
pub const OTHER_COUNTRIES: [&str; 6] = ["CH", "GB", "CA", "US", "MC", "NO"];

pub fn parse_country(input: &str) -> Result<String, &'static str> {
    let c = input.trim().to_ascii_uppercase();
    if EU_COUNTRIES.contains(&c.as_str()) || OTHER_COUNTRIES.contains(&c.as_str()) {
        Ok(c)
    } else {
        Err("country_unknown")
    }
}

/// What a person typed for a customer.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct CustomerInput {
    pub kind: String,
    pub name: String,
    pub siret: String,
    pub siren: String,
    pub vat_number: String,
    pub electronic_address: String,
    pub email: String,
    pub phone: String,
    pub address_line1: String,
    pub address_line2: String,
    pub postcode: String,
    pub city: String,
    pub country: String,
    pub delivery_line1: String,
    pub delivery_line2: String,
    pub delivery_postcode: String,
    pub delivery_city: String,
    pub delivery_country: String,
    pub payment_days: String,
    #[serde(deserialize_with = "crate::input::tick")]
    pub payment_end_of_month: bool,
    #[serde(deserialize_with = "crate::input::tick")]
    pub shared: bool,
    pub notes: String,
}

/// A validated customer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CustomerDetails {
    pub kind: CustomerKind,
    pub name: String,
    pub siren: Option<Siren>,
    pub siret: Option<Siret>,
    pub vat_number: Option<VatNumber>,
    /// Electronic invoicing address (BT-49, scheme 0225 = SIREN-based address of the French
    /// network): defaults to the SIREN for a French company.
    pub electronic_address: Option<String>,
    pub email: Option<Email>,
    pub phone: Option<String>,
    pub address: Address,
    pub delivery: Option<Address>,
    pub terms: PaymentTerms,
    /// Visible to every activity of the cooperative, not only the one that created it.
    pub shared: bool,
    pub notes: Option<String>,
}

impl CustomerDetails {
    pub fn is_business(&self) -> bool {
        self.kind == CustomerKind::Company
    }
    /// A company established in France: in the scope of French e-invoicing (EIN-02).
    pub fn is_french_business(&self) -> bool {
        self.is_business() && self.address.country == "FR"
    }
    pub fn is_eu_business_abroad(&self) -> bool {
        self.is_business()
            && self.address.country != "FR"
            && EU_COUNTRIES.contains(&self.address.country.as_str())
    }

    pub fn parse(input: &CustomerInput, today: Date) -> Result<CustomerDetails, FieldErrors> {
        let mut e = FieldErrors::new();
        let kind = CustomerKind::parse(&input.kind);
        if kind.is_none() {
            e.add("kind", "required");
        }
        let name = e.check("name", required_text(&input.name, 200));
        let country = e.check("country", parse_country(&input.country));
        let address = parse_address(
            &mut e,
            [
                ("address_line1", &input.address_line1),
                ("address_line2", &input.address_line2),
                ("postcode", &input.postcode),
                ("city", &input.city),
            ],
            country.clone(),
        );
        let any_delivery = [
            &input.delivery_line1,
            &input.delivery_postcode,
            &input.delivery_city,
        ]
        .iter()
        .any(|f| !f.trim().is_empty());
        let delivery = if any_delivery {
            let dc = if input.delivery_country.trim().is_empty() {
                country.clone()
            } else {
                e.check("delivery_country", parse_country(&input.delivery_country))
            };
            parse_address(
                &mut e,
                [
                    ("delivery_line1", &input.delivery_line1),
                    ("delivery_line2", &input.delivery_line2),
                    ("delivery_postcode", &input.delivery_postcode),
                    ("delivery_city", &input.delivery_city),
                ],
                dc,
            )
        } else {
            None
        };

        let siret = if input.siret.trim().is_empty() {
            None
        } else {
            e.check("siret", Siret::parse(&input.siret))
        };
        let siren = match (&siret, input.siren.trim()) {
            (Some(s), _) => Some(s.siren()),
            (None, "") => None,
            (None, typed) => e.check("siren", Siren::parse(typed)),
        };
        let vat_number = if input.vat_number.trim().is_empty() {
            None
        } else {
            e.check("vat_number", VatNumber::parse(&input.vat_number))
        };
        let electronic_address = e
            .check(
                "electronic_address",
                parse_electronic_address(&input.electronic_address),
            )
            .flatten();
        let email = if input.email.trim().is_empty() {
            None
        } else {
            e.check("email", Email::parse(&input.email))
        };
        let phone = e.check("phone", parse_phone(&input.phone)).flatten();
        let days = if input.payment_days.trim().is_empty() {
            "30"
        } else {
            input.payment_days.as_str()
        };
        let terms = e.check(
            "payment_days",
            PaymentTerms::parse(days, input.payment_end_of_month, today),
        );
        let notes = e
            .check("notes", optional_text(&input.notes, 2000))
            .flatten();

        // INV-02: a French business customer is identified by its SIREN; an EU business customer
        // abroad by its VAT number (reverse charge); an individual has neither.
        match (kind, country.as_deref()) {
            (Some(CustomerKind::Company), Some("FR"))
                if siren.is_none()
                    && e.for_field("siret").is_none()
                    && e.for_field("siren").is_none() =>
            {
                e.add("siren", "siren_required")
            }
            (Some(CustomerKind::Company), Some(c))
                if c != "FR"
                    && EU_COUNTRIES.contains(&c)
                    && vat_number.is_none()
                    && e.for_field("vat_number").is_none() =>
            {
                e.add("vat_number", "vat_required_eu")
            }
            (Some(CustomerKind::Individual), _) if siren.is_some() => {
                e.add("siren", "siren_individual")
            }
            _ => {}
        }
        if let (Some(v), Some(s)) = (&vat_number, &siren)
            && v.french_siren().is_some_and(|fs| fs != s.as_str())
        {
            e.add("vat_number", "vat_siren_mismatch");
        }

        let (Some(kind), Some(name), Some(address), Some(terms)) = (kind, name, address, terms)
        else {
            return Err(e);
        };
        let electronic_address = electronic_address.or_else(|| {
            (kind == CustomerKind::Company && address.country == "FR")
                .then(|| siren.as_ref().map(|s| s.as_str().to_owned()))
                .flatten()
        });
        e.finish(Some(CustomerDetails {
            kind,
            name,
            siren,
            siret,
            vat_number,
            electronic_address,
            email,
            phone,
            address,
            delivery,
            terms,
            shared: input.shared,
            notes,
        }))
    }
}

fn parse_address(
    e: &mut FieldErrors,
    [(f1, l1), (f2, l2), (fp, pc), (fc, city)]: [(&'static str, &String); 4],
    country: Option<String>,
) -> Option<Address> {
    let line1 = e.check(f1, required_text(l1, 200));
    let line2 = e.check(f2, optional_text(l2, 200)).flatten();
    let postcode = match country.as_deref() {
        Some("FR") => e.check(fp, parse_postcode(pc)),
        _ => e.check(fp, required_text(pc, 12)),
    };
    let city = e.check(fc, required_text(city, 100));
    Some(Address {
        line1: line1?,
        line2,
        postcode: postcode?,
        city: city?,
        country: country?,
    })
}

/// An electronic invoicing address: ASCII letters, digits and `_ - . @ +`, at most 125 characters.
pub fn parse_electronic_address(input: &str) -> Result<Option<String>, &'static str> {
    let t = input.trim();
    if t.is_empty() {
        return Ok(None);
    }
    if t.len() <= 125
        && t.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'@' | b'+'))
    {
        Ok(Some(t.to_owned()))
    } else {
        Err("electronic_address_format")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 06 - 01);

    fn company() -> CustomerInput {
        CustomerInput {
            kind: "company".into(),
            name: "Menuiserie Durand".into(),
            siret: "73282932000074".into(),
            address_line1: "3 rue des Lilas".into(),
            postcode: "69001".into(),
            city: "Lyon".into(),
            country: "FR".into(),
            ..CustomerInput::default()
        }
    }

    #[test]
    fn inv_02_a_french_company_gets_its_siren_and_a_default_electronic_address() {
        let c = CustomerDetails::parse(&company(), TODAY).unwrap();
        assert_eq!(c.siren.as_ref().map(|s| s.as_str()), Some("732829320"));
        assert_eq!(c.electronic_address.as_deref(), Some("732829320"));
        assert!(c.is_french_business());
        assert_eq!(c.terms, PaymentTerms::default());
    }

    #[test]
    fn inv_02_a_french_company_needs_a_valid_siren() {
        let mut input = company();
        input.siret = String::new();
        let e = CustomerDetails::parse(&input, TODAY).unwrap_err();
        assert_eq!(e.for_field("siren").map(|e| e.code), Some("siren_required"));
        input.siret = "73282932000075".into();
        let e = CustomerDetails::parse(&input, TODAY).unwrap_err();
        assert!(e.for_field("siret").is_some());
        assert!(e.for_field("siren").is_none());
    }

    #[test]
    fn an_eu_company_abroad_needs_its_vat_number() {
        let mut input = company();
        input.siret = String::new();
        input.country = "BE".into();
        input.postcode = "1000".into();
        let e = CustomerDetails::parse(&input, TODAY).unwrap_err();
        assert_eq!(
            e.for_field("vat_number").map(|e| e.code),
            Some("vat_required_eu")
        );
        input.vat_number = "BE0123456749".into();
        let c = CustomerDetails::parse(&input, TODAY).unwrap();
        assert!(c.is_eu_business_abroad() && c.electronic_address.is_none());
    }

    #[test]
    fn an_individual_has_no_siren_and_terms_are_checked() {
        let mut input = company();
        input.kind = "individual".into();
        input.siret = String::new();
        input.payment_days = "90".into();
        input.postcode = "6900".into();
        let e = CustomerDetails::parse(&input, TODAY).unwrap_err();
        assert_eq!(
            e.for_field("payment_days").map(|e| e.code),
            Some("payment_days_too_long")
        );
        assert_eq!(
            e.for_field("postcode").map(|e| e.code),
            Some("postcode_format")
        );
        input.payment_days = "0".into();
        input.postcode = "69001".into();
        let c = CustomerDetails::parse(&input, TODAY).unwrap();
        assert!(!c.is_business());
    }
}
