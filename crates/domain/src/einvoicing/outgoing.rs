//! The e-invoices the cooperative deposits on its platform (EIN-02, EIN-03, EIN-11, EIN-20): which
//! validated documents go out, the identifier Essaim gives each deposit so that it is never made
//! twice, where a deposit stands, and what the platform's acknowledgement means in the lifecycle.

use super::channel::{Channel, channel_of};
use super::lifecycle::Status;
use crate::ids::{CooperativeId, SaleDocId};
use crate::selling::DocKind;
use crate::selling::customer::CustomerDetails;

/// Where a deposit stands on Essaim's side (the platform's statuses come after it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlowState {
    /// Waiting for the background job (or for the platform to come back).
    Queued,
    /// The platform took the file: it has its flow id.
    Deposited,
    /// The platform refused the deposit itself (bad credentials, file refused before any
    /// processing): it needs someone, then a new deposit.
    Failed,
}

impl FlowState {
    pub const ALL: [FlowState; 3] = [FlowState::Queued, FlowState::Deposited, FlowState::Failed];
    pub fn code(self) -> &'static str {
        match self {
            FlowState::Queued => "queued",
            FlowState::Deposited => "deposited",
            FlowState::Failed => "failed",
        }
    }
    pub fn parse(code: &str) -> Option<FlowState> {
        FlowState::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// EIN-02: a validated invoice, deposit or credit note goes out through the platform when its
/// customer is a business established in France; quotes never do.
pub fn goes_out(kind: DocKind, customer: &CustomerDetails) -> bool {
    kind.is_invoice_like() && channel_of(customer) == Channel::EInvoice
}

/// The identifier of the `n`-th deposit of a document (1 for the first; a corrected re-deposit
/// after a rejection gets the next). At most 36 characters, as platforms of the standard's
/// version 1.1 require: `essaim-{coop}-{doc}-{n}` with ids below 10^9.
pub fn tracking_id(coop: CooperativeId, doc: SaleDocId, n: i64) -> String {
    format!("essaim-{}-{}-{}", coop.get(), doc.get(), n)
}

/// The identifier of the lifecycle message the cooperative sends about a payment (212 Encaissée,
/// EIN-21): one per payment and status, at most 36 characters (`essaim-{coop}-p{payment}-212`).
pub fn status_tracking_id(coop: CooperativeId, payment: i64, status: Status) -> String {
    format!("essaim-{}-p{}-{}", coop.get(), payment, status.code())
}

/// EIN-21: a payment received on an invoice that went out is reported to the platform (212
/// Encaissée, with its amount and day) when the invoice is of services (French business process
/// `S…`, or `M…` for mixed goods and services) and the cooperative has not opted to pay VAT on
/// debits: it is then the payment e-reporting. Goods are taxed on delivery and need none.
pub fn collected_status_due(business_process: &str, vat_on_debits: bool) -> bool {
    !vat_on_debits && (business_process.starts_with('S') || business_process.starts_with('M'))
}

/// What the platform's acknowledgement of a deposit means in the lifecycle (EIN-20): checked and
/// taken, 200 Déposée; refused as not compliant, 213 Rejetée.
pub fn status_of_acknowledgement(ok: bool) -> Status {
    if ok {
        Status::Deposited
    } else {
        Status::Rejected
    }
}

/// The platform's own statuses (200 to 203 and 213) happen once per deposit: a second report of
/// one of them (an acknowledgement read again, the same status in a lifecycle message) adds
/// nothing. The parties' statuses may repeat (a 207 after a 209, a 212 per partial payment).
pub fn once_per_flow(status: Status) -> bool {
    matches!(
        status,
        Status::Deposited
            | Status::Issued
            | Status::Received
            | Status::MadeAvailable
            | Status::Rejected
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::selling::customer::CustomerInput;
    use time::macros::date;

    fn customer(kind: &str, country: &str) -> CustomerDetails {
        let input = CustomerInput {
            kind: kind.into(),
            name: "Client".into(),
            siret: if country == "FR" && kind == "company" {
                "73282932000074".into()
            } else {
                String::new()
            },
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
    fn ein_02_invoices_to_french_businesses_go_out_quotes_and_individuals_do_not() {
        let business = customer("company", "FR");
        let person = customer("individual", "FR");
        for kind in [DocKind::Invoice, DocKind::Deposit, DocKind::CreditNote] {
            assert!(goes_out(kind, &business), "{kind:?}");
            assert!(!goes_out(kind, &person), "{kind:?}");
        }
        assert!(!goes_out(DocKind::Quote, &business));
        assert!(!goes_out(DocKind::Invoice, &customer("company", "CH")));
    }

    #[test]
    fn tracking_ids_fit_the_standards_36_characters_even_for_large_ids() {
        let t = tracking_id(
            CooperativeId::new(999_999_999),
            SaleDocId::new(999_999_999),
            99,
        );
        assert_eq!(t, "essaim-999999999-999999999-99");
        assert!(t.len() <= 36);
        assert_ne!(
            tracking_id(CooperativeId::new(1), SaleDocId::new(2), 1),
            tracking_id(CooperativeId::new(1), SaleDocId::new(2), 2)
        );
    }

    #[test]
    fn ein_21_a_payment_on_services_is_reported_unless_vat_is_on_debits() {
        assert!(collected_status_due("S1", false));
        assert!(collected_status_due("M1", false));
        assert!(!collected_status_due("B1", false));
        assert!(!collected_status_due("S1", true));
        let t = status_tracking_id(
            CooperativeId::new(999_999_999),
            9_999_999_999,
            Status::Collected,
        );
        assert_eq!(t, "essaim-999999999-p9999999999-212");
        assert!(t.len() <= 36);
    }

    #[test]
    fn ein_20_the_acknowledgement_is_200_or_213_and_platform_statuses_happen_once() {
        assert_eq!(status_of_acknowledgement(true), Status::Deposited);
        assert_eq!(status_of_acknowledgement(false), Status::Rejected);
        assert!(once_per_flow(Status::Deposited));
        assert!(once_per_flow(Status::Rejected));
        assert!(!once_per_flow(Status::Collected));
        assert!(!once_per_flow(Status::Disputed));
        for s in FlowState::ALL {
            assert_eq!(FlowState::parse(s.code()), Some(s));
        }
    }
}
