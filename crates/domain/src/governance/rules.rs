//! GOV-05: the quorum and the majority of a decision, by the cooperative's rule set (its legal
//! form and statutes), the kind of decision and the convocation, as a dated table: a change of
//! the law or of the model statutes is a new row, old decisions keep their rules.

use time::Date;
use time::macros::date;

/// The rule set the statutes follow (GOV-05's table, one row each).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RuleSet {
    /// SCOP SARL of at most 20 associés, on the standard model statutes.
    ScopSarlModel,
    /// SARL, the legal floor.
    SarlLegal,
    /// SCOP SA, SCOP SAS (typical statutes), SCOP SARL of more than 20 associés.
    ScopSaSas,
    /// SA, the legal floor (a SCIC SA).
    SaLegal,
}

impl RuleSet {
    pub const ALL: [RuleSet; 4] = [
        RuleSet::ScopSarlModel,
        RuleSet::SarlLegal,
        RuleSet::ScopSaSas,
        RuleSet::SaLegal,
    ];
    pub fn code(self) -> &'static str {
        match self {
            RuleSet::ScopSarlModel => "scop_sarl_model",
            RuleSet::SarlLegal => "sarl_legal",
            RuleSet::ScopSaSas => "scop_sa_sas",
            RuleSet::SaLegal => "sa_legal",
        }
    }
    pub fn parse(code: &str) -> Option<RuleSet> {
        RuleSet::ALL.into_iter().find(|r| r.code() == code.trim())
    }
}

/// What a resolution decides.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Decision {
    /// Ordinary decisions (accounts, allocation of results, elections, admissions…).
    Ordinary,
    /// Extraordinary decisions (the statutes, the capital's rules, a merger…).
    Extraordinary,
}

impl Decision {
    pub fn code(self) -> &'static str {
        match self {
            Decision::Ordinary => "ordinary",
            Decision::Extraordinary => "extraordinary",
        }
    }
    pub fn parse(code: &str) -> Option<Decision> {
        [Decision::Ordinary, Decision::Extraordinary]
            .into_iter()
            .find(|d| d.code() == code.trim())
    }
}

/// The first convocation, or the second when the first did not reach its quorum.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Convocation {
    First,
    Second,
}

/// A share `num / den`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Fraction {
    pub num: u64,
    pub den: u64,
}

const fn f(num: u64, den: u64) -> Fraction {
    Fraction { num, den }
}

impl Fraction {
    /// Whether `part / whole` reaches this share: more than it when `strict`, at least it
    /// otherwise. Exact (integers only). A `whole` of zero reaches nothing.
    pub fn reached_by(self, part: u64, whole: u64, strict: bool) -> bool {
        if whole == 0 {
            return false;
        }
        let left = u128::from(part) * u128::from(self.den);
        let right = u128::from(self.num) * u128::from(whole);
        if strict { left > right } else { left >= right }
    }
}

/// What the votes for are counted against (GOV-03, GOV-05).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MajorityOf {
    /// Every vote of the associés, present or not.
    AllVotes,
    /// The votes of the associés present or represented.
    PresentOrRepresented,
    /// The votes cast (abstentions and blank votes left out, unless the statutes count them).
    VotesCast,
}

/// The majority a resolution needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Majority {
    pub of: MajorityOf,
    pub share: Fraction,
    /// "More than" the share (a half: one vote more than half), or "at least" it (⅔, ¾).
    pub strict: bool,
}

/// One row of the table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rule {
    pub set: RuleSet,
    pub decision: Decision,
    pub convocation: Convocation,
    pub valid_from: Date,
    /// The share of the votes that must be present or represented; `None`: no quorum.
    pub quorum: Option<Fraction>,
    pub majority: Majority,
}

const HALF: Majority = Majority {
    of: MajorityOf::VotesCast,
    share: f(1, 2),
    strict: true,
};

const fn rule(
    set: RuleSet,
    decision: Decision,
    convocation: Convocation,
    quorum: Option<Fraction>,
    majority: Majority,
) -> Rule {
    Rule {
        set,
        decision,
        convocation,
        valid_from: date!(2026 - 01 - 01),
        quorum,
        majority,
    }
}

const fn at_least(of: MajorityOf, num: u64, den: u64) -> Majority {
    Majority {
        of,
        share: f(num, den),
        strict: false,
    }
}

const fn more_than_half(of: MajorityOf) -> Majority {
    Majority {
        of,
        share: f(1, 2),
        strict: true,
    }
}

use Convocation::{First, Second};
use Decision::{Extraordinary, Ordinary};
use MajorityOf::{AllVotes, PresentOrRepresented, VotesCast};
use RuleSet::{SaLegal, SarlLegal, ScopSaSas, ScopSarlModel};

/// GOV-05, France, as the domain guide gives it (loi 1947, loi 1978 on SCOP, Code de commerce
/// for SARL and SA, the SCOP SARL model statutes). The SCOP SA/SAS extraordinary quorum on first
/// convocation is ½ (some texts say ⅓: the guide asks to confirm it against the statutes).
pub const FRANCE: [Rule; 16] = [
    rule(
        ScopSarlModel,
        Ordinary,
        First,
        None,
        more_than_half(AllVotes),
    ),
    rule(
        ScopSarlModel,
        Ordinary,
        Second,
        None,
        more_than_half(PresentOrRepresented),
    ),
    rule(
        ScopSarlModel,
        Extraordinary,
        First,
        Some(f(3, 4)),
        at_least(PresentOrRepresented, 3, 4),
    ),
    rule(
        ScopSarlModel,
        Extraordinary,
        Second,
        Some(f(1, 2)),
        at_least(PresentOrRepresented, 3, 4),
    ),
    rule(SarlLegal, Ordinary, First, None, more_than_half(AllVotes)),
    rule(SarlLegal, Ordinary, Second, None, HALF),
    rule(
        SarlLegal,
        Extraordinary,
        First,
        Some(f(1, 4)),
        at_least(PresentOrRepresented, 2, 3),
    ),
    rule(
        SarlLegal,
        Extraordinary,
        Second,
        Some(f(1, 5)),
        at_least(PresentOrRepresented, 2, 3),
    ),
    rule(ScopSaSas, Ordinary, First, Some(f(1, 4)), HALF),
    rule(ScopSaSas, Ordinary, Second, None, HALF),
    rule(
        ScopSaSas,
        Extraordinary,
        First,
        Some(f(1, 2)),
        at_least(VotesCast, 2, 3),
    ),
    rule(
        ScopSaSas,
        Extraordinary,
        Second,
        Some(f(1, 4)),
        at_least(VotesCast, 2, 3),
    ),
    rule(SaLegal, Ordinary, First, Some(f(1, 5)), HALF),
    rule(SaLegal, Ordinary, Second, None, HALF),
    rule(
        SaLegal,
        Extraordinary,
        First,
        Some(f(1, 4)),
        at_least(VotesCast, 2, 3),
    ),
    rule(
        SaLegal,
        Extraordinary,
        Second,
        Some(f(1, 5)),
        at_least(VotesCast, 2, 3),
    ),
];

/// The rule in force on `on` for a decision: the latest row started.
pub fn rule_for(
    table: &[Rule],
    set: RuleSet,
    decision: Decision,
    convocation: Convocation,
    on: Date,
) -> Option<Rule> {
    table
        .iter()
        .filter(|r| {
            r.set == set
                && r.decision == decision
                && r.convocation == convocation
                && r.valid_from <= on
        })
        .max_by_key(|r| r.valid_from)
        .copied()
}

/// GOV-04: the most proxies one associé may hold: one below 20 associés, else a twentieth of the
/// associés (rounded down).
pub fn proxy_cap(associates: u64) -> u64 {
    if associates < 20 { 1 } else { associates / 20 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gov_05_every_rule_set_has_its_four_rows() {
        for set in RuleSet::ALL {
            for d in [Ordinary, Extraordinary] {
                for c in [First, Second] {
                    assert!(
                        rule_for(&FRANCE, set, d, c, date!(2026 - 03 - 01)).is_some(),
                        "{set:?} {d:?} {c:?}"
                    );
                }
            }
            assert!(rule_for(&FRANCE, set, Ordinary, First, date!(2025 - 12 - 31)).is_none());
        }
    }

    #[test]
    fn gov_05_the_scop_sarl_model_statutes_read_as_the_guide_says() {
        let r = |d, c| rule_for(&FRANCE, ScopSarlModel, d, c, date!(2026 - 06 - 01)).unwrap();
        let o1 = r(Ordinary, First);
        assert_eq!(o1.quorum, None);
        assert_eq!(o1.majority.of, AllVotes);
        assert!(o1.majority.strict);
        let e2 = r(Extraordinary, Second);
        assert_eq!(e2.quorum, Some(f(1, 2)));
        assert_eq!(e2.majority.share, f(3, 4));
        assert!(!e2.majority.strict);
    }

    #[test]
    fn fractions_compare_exactly() {
        // More than half: 6 of 12 is not, 7 of 12 is.
        assert!(!f(1, 2).reached_by(6, 12, true));
        assert!(f(1, 2).reached_by(7, 12, true));
        // At least two thirds: 2 of 3 is, 66 of 100 is not.
        assert!(f(2, 3).reached_by(2, 3, false));
        assert!(!f(2, 3).reached_by(66, 100, false));
        assert!(!f(1, 5).reached_by(0, 0, false));
    }

    #[test]
    fn gov_04_the_proxy_cap_follows_the_number_of_associes() {
        assert_eq!(proxy_cap(5), 1);
        assert_eq!(proxy_cap(19), 1);
        assert_eq!(proxy_cap(20), 1);
        assert_eq!(proxy_cap(39), 1);
        assert_eq!(proxy_cap(40), 2);
        assert_eq!(proxy_cap(600), 30);
    }
}
