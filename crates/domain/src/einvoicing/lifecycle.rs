//! The lifecycle of an e-invoice (EIN-20…22): the statuses the platforms and the two parties
//! exchange about one invoice, who may emit each, and where a document stands once its dated
//! history is folded (GEN-04: the history is kept, the standing is computed).

use time::OffsetDateTime;

/// A lifecycle status of the French e-invoicing network (EIN-20), by its code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    /// 200 Déposée: the issuer's platform accepted the deposit.
    Deposited,
    /// 201 Émise par la plateforme.
    Issued,
    /// 202 Reçue par la plateforme du destinataire.
    Received,
    /// 203 Mise à disposition du destinataire.
    MadeAvailable,
    /// 204 Prise en charge par le destinataire.
    TakenOver,
    /// 205 Approuvée.
    Approved,
    /// 206 Approuvée partiellement.
    PartiallyApproved,
    /// 207 En litige.
    Disputed,
    /// 208 Suspendue (a piece is missing).
    Suspended,
    /// 209 Complétée (the issuer gave what was missing).
    Completed,
    /// 210 Refusée by the buyer.
    Refused,
    /// 211 Paiement transmis by the buyer.
    PaymentSent,
    /// 212 Encaissée: the seller received the payment (EIN-21).
    Collected,
    /// 213 Rejetée by a platform: the invoice is not compliant.
    Rejected,
}

/// Who emits a status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Emitter {
    /// A platform (the issuer's or the receiver's).
    Platform,
    /// The buyer, the receiver of the invoice.
    Buyer,
    /// The seller, its issuer.
    Seller,
}

pub const ALL: [Status; 14] = [
    Status::Deposited,
    Status::Issued,
    Status::Received,
    Status::MadeAvailable,
    Status::TakenOver,
    Status::Approved,
    Status::PartiallyApproved,
    Status::Disputed,
    Status::Suspended,
    Status::Completed,
    Status::Refused,
    Status::PaymentSent,
    Status::Collected,
    Status::Rejected,
];

impl Status {
    pub fn code(self) -> u16 {
        match self {
            Status::Deposited => 200,
            Status::Issued => 201,
            Status::Received => 202,
            Status::MadeAvailable => 203,
            Status::TakenOver => 204,
            Status::Approved => 205,
            Status::PartiallyApproved => 206,
            Status::Disputed => 207,
            Status::Suspended => 208,
            Status::Completed => 209,
            Status::Refused => 210,
            Status::PaymentSent => 211,
            Status::Collected => 212,
            Status::Rejected => 213,
        }
    }

    pub fn from_code(code: u16) -> Option<Status> {
        ALL.into_iter().find(|s| s.code() == code)
    }

    /// EIN-20: the statuses every solution must handle.
    pub fn mandatory(self) -> bool {
        matches!(
            self,
            Status::Deposited | Status::Refused | Status::Collected | Status::Rejected
        )
    }

    pub fn emitter(self) -> Emitter {
        match self {
            Status::Deposited
            | Status::Issued
            | Status::Received
            | Status::MadeAvailable
            | Status::Rejected => Emitter::Platform,
            Status::TakenOver
            | Status::Approved
            | Status::PartiallyApproved
            | Status::Disputed
            | Status::Suspended
            | Status::Refused
            | Status::PaymentSent => Emitter::Buyer,
            Status::Completed | Status::Collected => Emitter::Seller,
        }
    }

    /// The invoice will not go further through the network: refused by the buyer or rejected as
    /// not compliant; the way out is a credit note or a corrected invoice (EIN-22, INV-10).
    pub fn is_dead_end(self) -> bool {
        matches!(self, Status::Refused | Status::Rejected)
    }

    /// EIN-20: a refusal or a dispute carries its reason; so does a rejection.
    pub fn needs_reason(self) -> bool {
        matches!(
            self,
            Status::Refused | Status::Rejected | Status::Disputed | Status::Suspended
        )
    }
}

/// The statuses a buyer answers a received invoice with (EIN-40).
pub const BUYER_ANSWERS: [Status; 4] = [
    Status::TakenOver,
    Status::Approved,
    Status::Disputed,
    Status::Refused,
];

/// One dated status of an invoice's history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    pub status: Status,
    pub at: OffsetDateTime,
    pub emitter: Emitter,
    pub reason: Option<String>,
}

/// Where an invoice stands in the network, from its history in any order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Standing {
    /// The latest status by date (at equal dates, the furthest in the lifecycle).
    pub last: Option<Status>,
    /// A refusal or a rejection was received: the invoice needs a credit note or a corrected
    /// invoice, whatever came after.
    pub dead_end: Option<Event>,
    /// 212 was sent or received: the seller has been paid.
    pub collected: bool,
}

impl Standing {
    pub fn of(history: &[Event]) -> Standing {
        let last = history
            .iter()
            .max_by_key(|e| (e.at, e.status))
            .map(|e| e.status);
        let dead_end = history
            .iter()
            .filter(|e| e.status.is_dead_end())
            .max_by_key(|e| e.at)
            .cloned();
        Standing {
            last,
            dead_end,
            collected: history.iter().any(|e| e.status == Status::Collected),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn ev(status: Status, at: OffsetDateTime) -> Event {
        Event {
            status,
            at,
            emitter: status.emitter(),
            reason: None,
        }
    }

    #[test]
    fn ein_20_every_code_reads_back_and_the_mandatory_ones_are_200_210_212_213() {
        for s in ALL {
            assert_eq!(Status::from_code(s.code()), Some(s));
        }
        assert_eq!(Status::from_code(199), None);
        assert_eq!(Status::from_code(214), None);
        let mandatory: Vec<u16> = ALL
            .into_iter()
            .filter(|s| s.mandatory())
            .map(Status::code)
            .collect();
        assert_eq!(mandatory, vec![200, 210, 212, 213]);
        assert_eq!(Status::Collected.emitter(), Emitter::Seller);
        assert_eq!(Status::Refused.emitter(), Emitter::Buyer);
        assert_eq!(Status::Rejected.emitter(), Emitter::Platform);
        assert!(BUYER_ANSWERS.iter().all(|s| s.emitter() == Emitter::Buyer));
    }

    #[test]
    fn the_standing_follows_dates_not_arrival_order_and_keeps_a_refusal() {
        let history = vec![
            ev(Status::Refused, datetime!(2026-10-03 09:00 UTC)),
            ev(Status::Deposited, datetime!(2026-10-01 08:00 UTC)),
            ev(Status::MadeAvailable, datetime!(2026-10-01 08:05 UTC)),
        ];
        let s = Standing::of(&history);
        assert_eq!(s.last, Some(Status::Refused));
        assert_eq!(s.dead_end.map(|e| e.status), Some(Status::Refused));
        assert!(!s.collected);
        // At the same instant, the status furthest in the lifecycle wins.
        let same = vec![
            ev(Status::Received, datetime!(2026-10-01 08:00 UTC)),
            ev(Status::Deposited, datetime!(2026-10-01 08:00 UTC)),
        ];
        assert_eq!(Standing::of(&same).last, Some(Status::Received));
        assert_eq!(Standing::of(&[]).last, None);
        let paid = vec![ev(Status::Collected, datetime!(2026-11-01 08:00 UTC))];
        assert!(Standing::of(&paid).collected);
    }
}
