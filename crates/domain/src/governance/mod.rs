//! Governance of the cooperative (issue 8; GOV rules): one associé, one vote; the quorum and the
//! majority of each kind of decision by the statutes' rule set, as a dated table; proxies within
//! their cap; SCIC colleges weighted exactly.

pub mod register;
pub mod rules;
pub mod vote;
