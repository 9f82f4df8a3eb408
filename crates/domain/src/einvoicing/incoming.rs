//! The invoices suppliers send the cooperative through its platform (EIN-40, EIN-41): the
//! electronic addresses of the cooperative and of its activities, which activity a received
//! invoice is for, where a received invoice stands, and the answers the cooperative gives.

use super::lifecycle::Status;
use crate::ids::ActivityId;

/// Where a received invoice stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReceivedState {
    /// Read, but addressed to no known activity: the support team assigns it.
    Triage,
    /// Assigned to an activity, waiting for its answer.
    Routed,
    /// Approved (205): it is a supplier invoice of the activity.
    Approved,
    /// Disputed (207): waiting for the supplier.
    Disputed,
    /// Refused (210): the supplier must make a credit note.
    Refused,
    /// The file cannot be read as an invoice: the reason is kept with it.
    Unreadable,
}

impl ReceivedState {
    pub const ALL: [ReceivedState; 6] = [
        ReceivedState::Triage,
        ReceivedState::Routed,
        ReceivedState::Approved,
        ReceivedState::Disputed,
        ReceivedState::Refused,
        ReceivedState::Unreadable,
    ];
    pub fn code(self) -> &'static str {
        match self {
            ReceivedState::Triage => "triage",
            ReceivedState::Routed => "routed",
            ReceivedState::Approved => "approved",
            ReceivedState::Disputed => "disputed",
            ReceivedState::Refused => "refused",
            ReceivedState::Unreadable => "unreadable",
        }
    }
    pub fn parse(code: &str) -> Option<ReceivedState> {
        ReceivedState::ALL.into_iter().find(|s| s.code() == code)
    }
    /// Waiting for someone: to be assigned, or answered.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            ReceivedState::Triage | ReceivedState::Routed | ReceivedState::Disputed
        )
    }
}

/// The answer the cooperative gives a received invoice (EIN-40).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
    Approve,
    Dispute,
    Refuse,
}

impl Answer {
    pub fn parse(code: &str) -> Option<Answer> {
        match code {
            "approve" => Some(Answer::Approve),
            "dispute" => Some(Answer::Dispute),
            "refuse" => Some(Answer::Refuse),
            _ => None,
        }
    }
    /// The lifecycle status it sends: 205 Approuvée, 207 En litige, 210 Refusée.
    pub fn status(self) -> Status {
        match self {
            Answer::Approve => Status::Approved,
            Answer::Dispute => Status::Disputed,
            Answer::Refuse => Status::Refused,
        }
    }
    pub fn state(self) -> ReceivedState {
        match self {
            Answer::Approve => ReceivedState::Approved,
            Answer::Dispute => ReceivedState::Disputed,
            Answer::Refuse => ReceivedState::Refused,
        }
    }
    /// Which invoices may still get this answer: any open one is approved or refused; a dispute
    /// is not disputed again.
    pub fn allowed_from(self, state: ReceivedState) -> bool {
        match self {
            Answer::Approve | Answer::Refuse => {
                matches!(state, ReceivedState::Routed | ReceivedState::Disputed)
            }
            Answer::Dispute => state == ReceivedState::Routed,
        }
    }
}

/// The reasons a dispute or a refusal gives, by the codes of the lifecycle messages' list (XP
/// Z12-012, reasons of statuses 207 and 210; ⚠ the list is the standard's, confirm at each of its
/// versions), with the words the page shows.
pub const REASONS: [(&str, &str); 10] = [
    ("TX_TVA_ERR", "Taux de TVA erroné"),
    ("MONTANTTOTAL_ERR", "Montant total erroné"),
    ("CALCUL_ERR", "Erreur de calcul"),
    ("PU_ERR", "Prix unitaire erroné"),
    ("QTE_ERR", "Quantité facturée erronée"),
    ("CMD_ERR", "Commande absente ou erronée"),
    ("LIVR_INCOMP", "Livraison incomplète ou non conforme"),
    ("DOUBLON", "Facture déjà reçue"),
    ("DEST_ERR", "Facture adressée au mauvais destinataire"),
    ("AUTRE", "Autre motif"),
];

/// A reason code of [`REASONS`].
pub fn parse_reason(code: &str) -> Option<&'static str> {
    REASONS.iter().find(|(c, _)| *c == code).map(|(c, _)| *c)
}

/// EIN-41: the electronic address of an activity in the directory: the cooperative's SIREN and
/// the activity's routing code, which is its analytic code (`732829320_BOIS`).
pub fn activity_address(siren: &str, analytic_code: &str) -> String {
    format!("{siren}_{analytic_code}")
}

/// EIN-40: the routing code a received invoice is addressed to, read from the buyer's electronic
/// address (BT-49) when it is the cooperative's: `SIREN_SIRET_CODE` or `SIREN_CODE` (a SIRET
/// alone is not a routing code). Upper-cased, as analytic codes are.
pub fn routing_code(address: Option<(&str, &str)>, siren: &str) -> Option<String> {
    let (value, _scheme) = address?;
    let mut parts = value.trim().split('_');
    if parts.next()? != siren {
        return None;
    }
    let rest: Vec<&str> = parts.collect();
    let code = match rest.as_slice() {
        [siret, code] if is_siret(siret) => *code,
        [code] if !is_siret(code) => *code,
        _ => return None,
    };
    let code = code.trim().to_uppercase();
    (!code.is_empty()).then_some(code)
}

fn is_siret(s: &str) -> bool {
    s.len() == 14 && s.bytes().all(|b| b.is_ascii_digit())
}

/// The activity a routing code names among the cooperative's (id, analytic code); none sends the
/// invoice to triage.
pub fn route(code: Option<&str>, activities: &[(ActivityId, String)]) -> Option<ActivityId> {
    let code = code?;
    activities
        .iter()
        .find(|(_, analytic)| analytic.eq_ignore_ascii_case(code))
        .map(|(id, _)| *id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ein_40_the_routing_code_is_read_from_the_buyers_address_when_it_is_the_cooperatives() {
        let siren = "732829320";
        assert_eq!(
            routing_code(Some(("732829320_BOIS", "0225")), siren),
            Some("BOIS".into())
        );
        assert_eq!(
            routing_code(Some(("732829320_73282932000074_bois", "0225")), siren),
            Some("BOIS".into())
        );
        assert_eq!(routing_code(Some(("732829320", "0225")), siren), None);
        assert_eq!(
            routing_code(Some(("732829320_73282932000074", "0225")), siren),
            None
        );
        assert_eq!(routing_code(Some(("443061841_BOIS", "0225")), siren), None);
        assert_eq!(routing_code(None, siren), None);
        let activities = vec![
            (ActivityId::new(1), "BOIS".to_owned()),
            (ActivityId::new(2), "CONS".to_owned()),
        ];
        assert_eq!(route(Some("CONS"), &activities), Some(ActivityId::new(2)));
        assert_eq!(route(Some("ZZZ"), &activities), None);
        assert_eq!(route(None, &activities), None);
        assert_eq!(activity_address(siren, "BOIS"), "732829320_BOIS");
    }

    #[test]
    fn ein_40_answers_send_205_207_210_and_follow_the_state() {
        assert_eq!(Answer::Approve.status().code(), 205);
        assert_eq!(Answer::Dispute.status().code(), 207);
        assert_eq!(Answer::Refuse.status().code(), 210);
        assert!(Answer::Approve.allowed_from(ReceivedState::Routed));
        assert!(Answer::Approve.allowed_from(ReceivedState::Disputed));
        assert!(!Answer::Approve.allowed_from(ReceivedState::Triage));
        assert!(!Answer::Dispute.allowed_from(ReceivedState::Disputed));
        assert!(!Answer::Refuse.allowed_from(ReceivedState::Approved));
        for s in ReceivedState::ALL {
            assert_eq!(ReceivedState::parse(s.code()), Some(s));
        }
        assert!(ReceivedState::Triage.is_open() && !ReceivedState::Approved.is_open());
    }
}
