//! Counting a vote on one resolution (GOV-01 to GOV-04): one associé, one vote; in a SCIC with
//! colleges, each college's result weighs its share of the total (GOV-02); quorum and majority
//! by the rule in force (GOV-05, [`super::rules`]); abstentions and blank votes left out of the
//! votes cast unless the statutes count them (GOV-03). Exact: integers and rationals only.

use super::rules::{Fraction, MajorityOf, Rule, proxy_cap};
use num_bigint::BigInt;
use num_rational::BigRational;

/// A member's choice on a resolution.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Choice {
    For,
    Against,
    Abstain,
    Blank,
}

impl Choice {
    pub const ALL: [Choice; 4] = [Choice::For, Choice::Against, Choice::Abstain, Choice::Blank];
    pub fn code(self) -> &'static str {
        match self {
            Choice::For => "for",
            Choice::Against => "against",
            Choice::Abstain => "abstain",
            Choice::Blank => "blank",
        }
    }
    pub fn parse(code: &str) -> Option<Choice> {
        Choice::ALL.into_iter().find(|c| c.code() == code.trim())
    }
}

/// One ballot: the college of the associé it counts for (0 when there are no colleges), and
/// the choice. A proxy's ballot counts in the college of the associé represented.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ballot {
    pub college: usize,
    pub choice: Choice,
}

/// A college (or the whole body when there are none): its weight in basis points of the total
/// (GOV-02; 10,000 alone), its associés with a vote, and how many are present or represented.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct College {
    pub weight: u32,
    pub members: u64,
    pub present: u64,
}

/// The ballots of one college.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub for_: u64,
    pub against: u64,
    pub abstain: u64,
    pub blank: u64,
}

impl Counts {
    fn add(&mut self, c: Choice) {
        match c {
            Choice::For => self.for_ += 1,
            Choice::Against => self.against += 1,
            Choice::Abstain => self.abstain += 1,
            Choice::Blank => self.blank += 1,
        }
    }
    /// The votes cast: for and against, with abstentions and blank votes when the statutes count
    /// them (GOV-03).
    pub fn cast(&self, abstentions_count: bool) -> u64 {
        let base = self.for_ + self.against;
        if abstentions_count {
            base + self.abstain + self.blank
        } else {
            base
        }
    }
}

/// What a vote gives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// Per college, in the order given.
    pub counts: Vec<Counts>,
    pub members: u64,
    pub present: u64,
    pub quorum_reached: bool,
    /// The share of the votes for, against what the majority is counted on (weighted by
    /// college); `None` when nothing was there to count.
    pub result: Option<BigRational>,
    pub adopted: bool,
}

impl Outcome {
    /// The result as a percentage with two decimals, rounded half up (for display).
    pub fn percent(&self) -> Option<String> {
        let r = self.result.as_ref()?;
        let scaled = r * BigRational::from_integer(BigInt::from(10_000));
        let hundredths = (scaled + BigRational::new(BigInt::from(1), BigInt::from(2))).floor();
        let n = hundredths.to_integer();
        let (int, frac) = (&n / 100, &n % 100);
        Some(format!("{int},{frac:0>2} %"))
    }
}

/// Counts the ballots of a resolution. Each ballot's college must be one of `colleges` (a ballot
/// outside them is not counted). The result does not depend on the order of the ballots.
pub fn tally(
    rule: &Rule,
    colleges: &[College],
    ballots: &[Ballot],
    abstentions_count: bool,
) -> Outcome {
    let mut counts = vec![Counts::default(); colleges.len()];
    for b in ballots {
        if let Some(c) = counts.get_mut(b.college) {
            c.add(b.choice);
        }
    }
    let members: u64 = colleges.iter().map(|c| c.members).sum();
    let present: u64 = colleges.iter().map(|c| c.present).sum();
    let quorum_reached = rule
        .quorum
        .is_none_or(|q: Fraction| q.reached_by(present, members, false));
    let base = |i: usize| -> u64 {
        match rule.majority.of {
            MajorityOf::AllVotes => colleges[i].members,
            MajorityOf::PresentOrRepresented => colleges[i].present,
            MajorityOf::VotesCast => counts[i].cast(abstentions_count),
        }
    };
    // GOV-02: a college with nothing to count gives its weight to the others, in proportion.
    let mut weighted = BigRational::from_integer(BigInt::from(0));
    let mut weights = BigInt::from(0);
    for (i, c) in colleges.iter().enumerate() {
        let b = base(i);
        if b == 0 || c.weight == 0 {
            continue;
        }
        weighted += BigRational::new(
            BigInt::from(c.weight) * BigInt::from(counts[i].for_),
            BigInt::from(b),
        );
        weights += BigInt::from(c.weight);
    }
    let result =
        (weights != BigInt::from(0)).then(|| weighted / BigRational::from_integer(weights));
    let share = BigRational::new(
        BigInt::from(rule.majority.share.num),
        BigInt::from(rule.majority.share.den),
    );
    let adopted = quorum_reached
        && result.as_ref().is_some_and(|r| {
            if rule.majority.strict {
                *r > share
            } else {
                *r >= share
            }
        });
    Outcome {
        counts,
        members,
        present,
        quorum_reached,
        result,
        adopted,
    }
}

/// GOV-02: a SCIC's colleges: at least three and at most ten, each weighing between 10 % and
/// 50 % of the votes (basis points), together 100 %.
pub fn check_colleges(weights: &[u32]) -> Result<(), &'static str> {
    if !(3..=10).contains(&weights.len()) {
        return Err("colleges_count");
    }
    if weights.iter().any(|w| !(1_000..=5_000).contains(w)) {
        return Err("college_weight_range");
    }
    if weights.iter().map(|w| u64::from(*w)).sum::<u64>() != 10_000 {
        return Err("college_weights_total");
    }
    Ok(())
}

/// GOV-04: whether `holder` may take one more proxy from `giver`: only an associé holds one, not
/// their own, and no more than the cap (`held`: the proxies they hold already).
pub fn check_proxy(
    giver: i64,
    holder: i64,
    holder_is_associate: bool,
    held: u64,
    associates: u64,
) -> Result<(), &'static str> {
    if giver == holder {
        return Err("proxy_self");
    }
    if !holder_is_associate {
        return Err("proxy_not_associate");
    }
    if held >= proxy_cap(associates) {
        return Err("proxy_cap");
    }
    Ok(())
}

/// GOV-04: how a proxy given to nobody in particular votes: for what the management supports,
/// against the rest.
pub fn unassigned_proxy(supported_by_management: bool) -> Choice {
    if supported_by_management {
        Choice::For
    } else {
        Choice::Against
    }
}

#[cfg(test)]
mod tests {
    use super::super::rules::{Convocation, Decision, FRANCE, RuleSet, rule_for};
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    fn rule(set: RuleSet, d: Decision, c: Convocation) -> Rule {
        rule_for(&FRANCE, set, d, c, date!(2026 - 06 - 01)).unwrap()
    }

    fn ballots(college: usize, for_: u64, against: u64, abstain: u64) -> Vec<Ballot> {
        let mut v = Vec::new();
        for (n, choice) in [
            (for_, Choice::For),
            (against, Choice::Against),
            (abstain, Choice::Abstain),
        ] {
            for _ in 0..n {
                v.push(Ballot { college, choice });
            }
        }
        v
    }

    #[test]
    fn gov_05_a_scop_sarl_needs_more_than_half_of_all_associes_on_first_convocation() {
        let r = rule(
            RuleSet::ScopSarlModel,
            Decision::Ordinary,
            Convocation::First,
        );
        let body = [College {
            weight: 10_000,
            members: 12,
            present: 9,
        }];
        // 6 for of 12 associés is not more than half; 7 is.
        assert!(!tally(&r, &body, &ballots(0, 6, 2, 1), false).adopted);
        assert!(tally(&r, &body, &ballots(0, 7, 2, 0), false).adopted);
        // On second convocation, the majority of those present or represented: 5 of 9.
        let r2 = rule(
            RuleSet::ScopSarlModel,
            Decision::Ordinary,
            Convocation::Second,
        );
        assert!(tally(&r2, &body, &ballots(0, 5, 3, 1), false).adopted);
    }

    #[test]
    fn gov_03_abstentions_are_left_out_of_the_votes_cast_unless_the_statutes_count_them() {
        let r = rule(RuleSet::ScopSaSas, Decision::Ordinary, Convocation::First);
        let body = [College {
            weight: 10_000,
            members: 40,
            present: 20,
        }];
        let b = ballots(0, 8, 6, 6);
        let o = tally(&r, &body, &b, false);
        assert!(o.quorum_reached, "20 of 40 ≥ ¼");
        assert!(o.adopted, "8 for against 6: more than half of 14");
        assert_eq!(o.percent().as_deref(), Some("57,14 %"));
        assert!(!tally(&r, &body, &b, true).adopted, "8 of 20 is not");
    }

    #[test]
    fn gov_05_without_quorum_nothing_is_adopted() {
        let r = rule(
            RuleSet::ScopSaSas,
            Decision::Extraordinary,
            Convocation::First,
        );
        let body = [College {
            weight: 10_000,
            members: 40,
            present: 19,
        }];
        let o = tally(&r, &body, &ballots(0, 19, 0, 0), false);
        assert!(!o.quorum_reached, "19 of 40 is less than half");
        assert!(!o.adopted);
        let r2 = rule(
            RuleSet::ScopSaSas,
            Decision::Extraordinary,
            Convocation::Second,
        );
        assert!(tally(&r2, &body, &ballots(0, 13, 6, 0), false).adopted);
        assert!(
            !tally(&r2, &body, &ballots(0, 12, 7, 0), false).adopted,
            "12 of 19 < ⅔"
        );
    }

    #[test]
    fn gov_02_college_results_weigh_their_share_and_an_empty_college_gives_its_weight_away() {
        let r = rule(RuleSet::SaLegal, Decision::Ordinary, Convocation::Second);
        // Employees 50 % (3 for of 4), users 30 % (1 for of 4), partners 20 % (0 of 2):
        // 0.5 × 0.75 + 0.3 × 0.25 + 0 = 0.45 → rejected, although 4 of 10 votes…
        let colleges = [
            College {
                weight: 5_000,
                members: 10,
                present: 4,
            },
            College {
                weight: 3_000,
                members: 50,
                present: 4,
            },
            College {
                weight: 2_000,
                members: 5,
                present: 2,
            },
        ];
        let mut b = ballots(0, 3, 1, 0);
        b.extend(ballots(1, 1, 3, 0));
        b.extend(ballots(2, 0, 2, 0));
        let o = tally(&r, &colleges, &b, false);
        assert_eq!(
            o.result,
            Some(BigRational::new(BigInt::from(45), BigInt::from(100)))
        );
        assert!(!o.adopted);
        // Nobody of the third college voted: its 20 % go to the others in proportion:
        // (0.5 × 0.75 + 0.3 × 0.25) / 0.8 = 0.5625 → adopted.
        let mut b = ballots(0, 3, 1, 0);
        b.extend(ballots(1, 1, 3, 0));
        let o = tally(&r, &colleges, &b, false);
        assert_eq!(
            o.result,
            Some(BigRational::new(BigInt::from(9), BigInt::from(16)))
        );
        assert!(o.adopted);
    }

    #[test]
    fn gov_02_colleges_are_three_to_ten_each_between_ten_and_fifty_percent() {
        assert_eq!(check_colleges(&[5_000, 3_000, 2_000]), Ok(()));
        assert_eq!(check_colleges(&[5_000, 5_000]), Err("colleges_count"));
        assert_eq!(
            check_colleges(&[6_000, 3_000, 1_000]),
            Err("college_weight_range")
        );
        assert_eq!(
            check_colleges(&[5_000, 3_000, 1_500]),
            Err("college_weights_total")
        );
    }

    #[test]
    fn gov_04_proxies_go_to_another_associe_within_the_cap() {
        assert_eq!(check_proxy(1, 1, true, 0, 10), Err("proxy_self"));
        assert_eq!(check_proxy(1, 2, false, 0, 10), Err("proxy_not_associate"));
        assert_eq!(check_proxy(1, 2, true, 0, 10), Ok(()));
        assert_eq!(check_proxy(3, 2, true, 1, 10), Err("proxy_cap"));
        assert_eq!(check_proxy(3, 2, true, 1, 60), Ok(()));
        assert_eq!(check_proxy(4, 2, true, 3, 60), Err("proxy_cap"));
        assert_eq!(unassigned_proxy(true), Choice::For);
        assert_eq!(unassigned_proxy(false), Choice::Against);
    }

    proptest! {
        #[test]
        fn a_result_never_depends_on_the_order_of_the_ballots(
            raw in proptest::collection::vec((0_usize..3, 0_usize..4), 0..200),
            seed in any::<u64>(),
        ) {
            let colleges = [
                College { weight: 5_000, members: 120, present: 90 },
                College { weight: 3_000, members: 80, present: 60 },
                College { weight: 2_000, members: 40, present: 30 },
            ];
            let b: Vec<Ballot> = raw.iter().map(|(c, k)| Ballot { college: *c, choice: Choice::ALL[*k] }).collect();
            // A deterministic shuffle from the seed.
            let mut shuffled = b.clone();
            let mut s = seed;
            for i in (1..shuffled.len()).rev() {
                s = s.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                shuffled.swap(i, usize::try_from(s % (i as u64 + 1)).unwrap_or(0));
            }
            let r = rule(RuleSet::SaLegal, Decision::Extraordinary, Convocation::First);
            prop_assert_eq!(tally(&r, &colleges, &b, false), tally(&r, &colleges, &shuffled, false));
        }

        #[test]
        fn college_weights_are_applied_exactly(
            counts in proptest::collection::vec((0_u64..50, 0_u64..50), 3),
        ) {
            // Against a second computation with plain integers: Σ w·for/cast ≥ ⅔·Σ w over the
            // colleges with votes cast, cross-multiplied.
            let weights = [4_000_u32, 3_500, 2_500];
            let colleges: Vec<College> = weights.iter().map(|w| College { weight: *w, members: 100, present: 100 }).collect();
            let mut b = Vec::new();
            for (i, (f, a)) in counts.iter().enumerate() {
                b.extend(ballots(i, *f, *a, 0));
            }
            let r = rule(RuleSet::SaLegal, Decision::Extraordinary, Convocation::Second);
            let o = tally(&r, &colleges, &b, false);
            let live: Vec<(u128, u128, u128)> = counts.iter().zip(weights).filter(|((f, a), _)| f + a > 0)
                .map(|((f, a), w)| (u128::from(w), u128::from(*f), u128::from(f + a))).collect();
            let expected = if live.is_empty() {
                false
            } else {
                let den: u128 = live.iter().map(|(_, _, c)| *c).product();
                let lhs: u128 = live.iter().map(|(w, f, c)| w * f * (den / c)).sum::<u128>() * 3;
                let total: u128 = live.iter().map(|(w, _, _)| *w).sum();
                lhs >= 2 * total * den
            };
            prop_assert_eq!(o.adopted, expected);
        }

        #[test]
        fn nobody_holds_more_proxies_than_the_cap_allows(
            associates in 2_u64..120,
            requests in proptest::collection::vec((0_i64..120, 0_i64..120), 0..300),
        ) {
            let mut held: std::collections::HashMap<i64, u64> = std::collections::HashMap::new();
            let mut given: std::collections::HashSet<i64> = std::collections::HashSet::new();
            let n = i64::try_from(associates).unwrap_or(2);
            for (giver, holder) in requests {
                let (giver, holder) = (giver % n, holder % n);
                if given.contains(&giver) {
                    continue;
                }
                let h = held.get(&holder).copied().unwrap_or(0);
                if check_proxy(giver, holder, true, h, associates).is_ok() {
                    *held.entry(holder).or_default() += 1;
                    given.insert(giver);
                }
            }
            prop_assert!(held.values().all(|h| *h <= proxy_cap(associates)));
        }
    }
}
