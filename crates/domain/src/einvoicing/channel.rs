//! Which way a sale document takes (EIN-02): an e-invoice through the cooperative's platform
//! for a business established in France, e-reporting for the others (EIN-30). Internal flows of
//! the cooperative never get here (they are not sale documents).

use crate::selling::customer::CustomerDetails;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Channel {
    /// B2B in France: deposited as an e-invoice through the platform.
    EInvoice,
    /// A sale to an individual: in the B2C e-reporting (daily totals per VAT rate).
    ReportB2c,
    /// A sale to a business established abroad: in the international e-reporting (invoice by
    /// invoice).
    ReportInternational,
}

impl Channel {
    pub fn code(self) -> &'static str {
        match self {
            Channel::EInvoice => "einvoice",
            Channel::ReportB2c => "b2c",
            Channel::ReportInternational => "international",
        }
    }
}

/// EIN-02: the channel of a document for this customer.
pub fn channel_of(customer: &CustomerDetails) -> Channel {
    if customer.is_french_business() {
        Channel::EInvoice
    } else if customer.is_business() {
        Channel::ReportInternational
    } else {
        Channel::ReportB2c
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::selling::customer::CustomerInput;
    use time::macros::date;

    fn customer(kind: &str, country: &str, vat: &str) -> CustomerDetails {
        let input = CustomerInput {
            kind: kind.into(),
            name: "Client".into(),
            siret: if country == "FR" && kind == "company" {
                "73282932000074".into()
            } else {
                String::new()
            },
            vat_number: vat.into(),
            address_line1: "3 rue des Lilas".into(),
            postcode: "69001".into(),
            city: "Lyon".into(),
            country: country.into(),
            ..CustomerInput::default()
        };
        match CustomerDetails::parse(&input, date!(2026 - 10 - 01)) {
            Ok(c) => c,
            Err(e) => unreachable!("{e}"),
        }
    }

    #[test]
    fn ein_02_a_french_business_gets_an_e_invoice_the_others_are_reported() {
        assert_eq!(
            channel_of(&customer("company", "FR", "")),
            Channel::EInvoice
        );
        assert_eq!(
            channel_of(&customer("company", "DE", "DE123456789")),
            Channel::ReportInternational
        );
        assert_eq!(
            channel_of(&customer("company", "CH", "")),
            Channel::ReportInternational
        );
        assert_eq!(
            channel_of(&customer("individual", "FR", "")),
            Channel::ReportB2c
        );
    }
}
