//! Asking the support team to validate a draft invoice, and its answer (issue 19).
//!
//! An entrepreneur whose ceiling does not let them validate a draft themselves asks for its
//! validation when it is ready; the validation team sees the requests oldest first, validates
//! (the number is assigned then, INV-12) or returns the draft with a comment saying what to
//! change. A returned draft is edited and asked again. Validated documents never come back
//! here (GEN-03).

use super::{DocKind, DocState};
use crate::validation::required_text;

/// Where a draft stands with the validation team.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Review {
    /// Being written: nobody has been asked yet.
    #[default]
    Open,
    /// Ready: the entrepreneur asked for its validation.
    Asked,
    /// Sent back by the validation team with a comment.
    Returned,
}

/// The longest comment a validator may write when returning a draft.
pub const COMMENT_MAX_CHARS: usize = 2000;

impl Review {
    pub const ALL: [Review; 3] = [Review::Open, Review::Asked, Review::Returned];

    /// The stored code (`""` for a draft nobody was asked about).
    pub fn code(self) -> &'static str {
        match self {
            Review::Open => "",
            Review::Asked => "asked",
            Review::Returned => "returned",
        }
    }

    pub fn parse(code: &str) -> Option<Review> {
        Review::ALL.into_iter().find(|r| r.code() == code)
    }

    /// Whether the validation of this document may be asked: an invoice, deposit or credit
    /// note still in draft, not already waiting. Asking again after a return is the point.
    pub fn may_ask(self, kind: DocKind, state: DocState) -> Result<(), &'static str> {
        if !kind.is_invoice_like() {
            return Err("review_not_invoice");
        }
        if state != DocState::Draft {
            return Err("document_frozen");
        }
        if self == Review::Asked {
            return Err("review_already_asked");
        }
        Ok(())
    }

    /// Whether a validator may return this draft: only one they were asked to validate.
    pub fn may_return(self, state: DocState) -> Result<(), &'static str> {
        if state != DocState::Draft {
            return Err("document_frozen");
        }
        if self != Review::Asked {
            return Err("review_not_asked");
        }
        Ok(())
    }
}

/// The comment sent with a returned draft: required (the entrepreneur must know what to change),
/// trimmed, at most [`COMMENT_MAX_CHARS`] characters.
pub fn return_comment(input: &str) -> Result<String, &'static str> {
    required_text(input, COMMENT_MAX_CHARS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for r in Review::ALL {
            assert_eq!(Review::parse(r.code()), Some(r));
        }
        assert_eq!(Review::parse("bogus"), None);
        assert_eq!(Review::default(), Review::Open);
    }

    #[test]
    fn only_drafts_of_invoice_like_documents_are_asked_once() {
        assert_eq!(
            Review::Open.may_ask(DocKind::Invoice, DocState::Draft),
            Ok(())
        );
        assert_eq!(
            Review::Returned.may_ask(DocKind::CreditNote, DocState::Draft),
            Ok(())
        );
        assert_eq!(
            Review::Open.may_ask(DocKind::Quote, DocState::Draft),
            Err("review_not_invoice")
        );
        assert_eq!(
            Review::Open.may_ask(DocKind::Invoice, DocState::Issued),
            Err("document_frozen")
        );
        assert_eq!(
            Review::Asked.may_ask(DocKind::Deposit, DocState::Draft),
            Err("review_already_asked")
        );
    }

    #[test]
    fn only_asked_drafts_are_returned() {
        assert_eq!(Review::Asked.may_return(DocState::Draft), Ok(()));
        assert_eq!(
            Review::Open.may_return(DocState::Draft),
            Err("review_not_asked")
        );
        assert_eq!(
            Review::Asked.may_return(DocState::Issued),
            Err("document_frozen")
        );
    }

    #[test]
    fn a_return_says_why() {
        assert_eq!(return_comment("   "), Err("required"));
        assert_eq!(
            return_comment(" Mauvais taux ").as_deref(),
            Ok("Mauvais taux")
        );
        assert_eq!(
            return_comment(&"x".repeat(COMMENT_MAX_CHARS + 1)),
            Err("too_long")
        );
    }
}
