//! The register of associés and of the capital (GOV-30 to GOV-32): every capital movement in
//! date order, from which the associés and their shares at any date are derived; the SCOP's
//! balance between worker and outside associés (GOV-01); the refund of an associé who leaves.

use std::collections::BTreeMap;
use time::Date;

/// Where an associé stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Status {
    /// Applied, not admitted yet.
    Applicant,
    Member,
    Resigned,
    Excluded,
    Deceased,
}

impl Status {
    pub const ALL: [Status; 5] = [
        Status::Applicant,
        Status::Member,
        Status::Resigned,
        Status::Excluded,
        Status::Deceased,
    ];
    pub fn code(self) -> &'static str {
        match self {
            Status::Applicant => "applicant",
            Status::Member => "member",
            Status::Resigned => "resigned",
            Status::Excluded => "excluded",
            Status::Deceased => "deceased",
        }
    }
    pub fn parse(code: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.code() == code.trim())
    }
    /// Whether the associé votes (GOV-01).
    pub fn votes(self) -> bool {
        self == Status::Member
    }
}

/// A SCOP associé's category (GOV-01): a worker (employed by the cooperative) or not.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Category {
    Worker,
    Outside,
}

/// One movement of the capital (GOV-31), for one associé.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Movement {
    /// Parts subscribed, at the nominal value of the day.
    Subscribed { parts: i64 },
    /// Part of the subscription paid (released): by transfer or deducted from salary.
    Paid { cents: i64, from_salary: bool },
    /// Parts handed to another associé (`to`), paid-up value included.
    TransferredOut { parts: i64, to: i64 },
    /// Parts received from another associé: the receiver's line of a transfer, for the
    /// register; the value moves with the giver's [`Movement::TransferredOut`].
    TransferredIn { parts: i64, from: i64 },
    /// Parts given back (a partial withdrawal, or every part on exit).
    Withdrawn { parts: i64 },
    /// What was refunded for parts given back.
    Refunded { cents: i64 },
}

/// A dated movement of an associé (GOV-31; the decision that allowed it is kept beside it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub on: Date,
    pub associate: i64,
    pub movement: Movement,
}

/// The nominal value of a part on `on` from a dated list (value in cents from a date on).
pub fn nominal_on(values: &[(Date, i64)], on: Date) -> Option<i64> {
    values
        .iter()
        .filter(|(from, _)| *from <= on)
        .max_by_key(|(from, _)| *from)
        .map(|(_, v)| *v)
}

/// One associé's capital at a date.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Holding {
    /// Parts held.
    pub parts: i64,
    /// Their value at subscription (nominal of the day, for parts subscribed; as transferred).
    pub subscribed_cents: i64,
    /// Paid up so far.
    pub paid_cents: i64,
    /// Paid up from salary deductions (part of `paid_cents`).
    pub from_salary_cents: i64,
    /// Parts given back and not yet refunded, in cents of their paid-up value.
    pub to_refund_cents: i64,
}

impl Holding {
    /// What remains to pay on the parts subscribed.
    pub fn unpaid_cents(&self) -> i64 {
        (self.subscribed_cents - self.paid_cents).max(0)
    }
}

/// Every associé's holding on `at`, from the register's entries (in any order) and the dated
/// nominal values. A transfer moves parts at their average subscribed and paid-up value.
pub fn holdings(entries: &[Entry], nominal: &[(Date, i64)], at: Date) -> BTreeMap<i64, Holding> {
    let mut sorted: Vec<&Entry> = entries.iter().filter(|e| e.on <= at).collect();
    sorted.sort_by_key(|e| (e.on, e.associate));
    let mut out: BTreeMap<i64, Holding> = BTreeMap::new();
    // Transfers are applied from the giver's side, so that both sides move the same value.
    for e in sorted {
        match e.movement {
            Movement::Subscribed { parts } => {
                let h = out.entry(e.associate).or_default();
                h.parts += parts;
                h.subscribed_cents += parts * nominal_on(nominal, e.on).unwrap_or(0);
            }
            Movement::Paid { cents, from_salary } => {
                let h = out.entry(e.associate).or_default();
                h.paid_cents += cents;
                if from_salary {
                    h.from_salary_cents += cents;
                }
            }
            Movement::TransferredOut { parts, to } => {
                let (sub, paid) = {
                    let h = out.entry(e.associate).or_default();
                    let (sub, paid) = share_of(h, parts);
                    h.parts -= parts;
                    h.subscribed_cents -= sub;
                    h.paid_cents -= paid;
                    (sub, paid)
                };
                let r = out.entry(to).or_default();
                r.parts += parts;
                r.subscribed_cents += sub;
                r.paid_cents += paid;
            }
            Movement::TransferredIn { .. } => {}
            Movement::Withdrawn { parts } => {
                let h = out.entry(e.associate).or_default();
                let (sub, paid) = share_of(h, parts);
                h.parts -= parts;
                h.subscribed_cents -= sub;
                h.paid_cents -= paid;
                h.to_refund_cents += paid;
            }
            Movement::Refunded { cents } => {
                let h = out.entry(e.associate).or_default();
                h.to_refund_cents -= cents;
            }
        }
    }
    out
}

/// The subscribed and paid-up value of `parts` of a holding, in proportion (rounded down, the
/// last part taking the rest).
fn share_of(h: &Holding, parts: i64) -> (i64, i64) {
    if h.parts <= 0 || parts >= h.parts {
        return (h.subscribed_cents, h.paid_cents);
    }
    (
        h.subscribed_cents * parts / h.parts,
        h.paid_cents * parts / h.parts,
    )
}

/// The capital on `at`: parts and their subscribed and paid-up value, every associé together.
pub fn capital(holdings: &BTreeMap<i64, Holding>) -> Holding {
    holdings.values().fold(Holding::default(), |a, h| Holding {
        parts: a.parts + h.parts,
        subscribed_cents: a.subscribed_cents + h.subscribed_cents,
        paid_cents: a.paid_cents + h.paid_cents,
        from_salary_cents: a.from_salary_cents + h.from_salary_cents,
        to_refund_cents: a.to_refund_cents + h.to_refund_cents,
    })
}

/// GOV-01 for a SCOP: worker associés hold at least 51 % of the capital and 65 % of the votes.
/// `associates`: (category, parts held, votes) of each associé with a vote.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ScopBalance {
    pub worker_parts: i64,
    pub parts: i64,
    pub worker_votes: i64,
    pub votes: i64,
}

impl ScopBalance {
    pub fn of(associates: &[(Category, i64)]) -> ScopBalance {
        let mut b = ScopBalance {
            worker_parts: 0,
            parts: 0,
            worker_votes: 0,
            votes: 0,
        };
        for (c, parts) in associates {
            b.parts += parts;
            b.votes += 1;
            if *c == Category::Worker {
                b.worker_parts += parts;
                b.worker_votes += 1;
            }
        }
        b
    }
    /// At least 51 % of the capital.
    pub fn capital_ok(&self) -> bool {
        self.parts == 0 || self.worker_parts * 100 >= self.parts * 51
    }
    /// At least 65 % of the votes.
    pub fn votes_ok(&self) -> bool {
        self.votes == 0 || self.worker_votes * 100 >= self.votes * 65
    }
}

/// GOV-32: when an associé who left is refunded at the latest: `delay_years` (the statutes', at
/// most five) after the close of the fiscal year of their exit (`year_end`), when their parts
/// are valued.
pub fn refund_due(year_end: Date, delay_years: u8) -> Date {
    let years = i32::from(delay_years.min(5));
    Date::from_calendar_date(year_end.year() + years, year_end.month(), year_end.day())
        .or_else(|_| {
            Date::from_calendar_date(
                year_end.year() + years,
                year_end.month(),
                year_end.day() - 1,
            )
        })
        .unwrap_or(year_end)
}

/// GOV-32: what the parts given back are worth: their paid-up value less the associé's share
/// of the losses (`losses_share_cents`, never more than the value), never more than nominal.
pub fn refund_value(paid_cents: i64, losses_share_cents: i64) -> i64 {
    (paid_cents - losses_share_cents.max(0)).max(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    fn e(on: Date, associate: i64, movement: Movement) -> Entry {
        Entry {
            on,
            associate,
            movement,
        }
    }

    #[test]
    fn gov_31_holdings_at_any_date_come_from_the_register() {
        // Parts at 25 €, then 30 € from 2026.
        let nominal = [
            (date!(2020 - 01 - 01), 2_500),
            (date!(2026 - 01 - 01), 3_000),
        ];
        let entries = [
            e(date!(2025 - 03 - 01), 1, Movement::Subscribed { parts: 40 }),
            e(
                date!(2025 - 03 - 01),
                1,
                Movement::Paid {
                    cents: 25_000,
                    from_salary: false,
                },
            ),
            e(
                date!(2025 - 04 - 30),
                1,
                Movement::Paid {
                    cents: 5_000,
                    from_salary: true,
                },
            ),
            e(date!(2026 - 02 - 01), 2, Movement::Subscribed { parts: 10 }),
            e(
                date!(2026 - 02 - 01),
                2,
                Movement::Paid {
                    cents: 30_000,
                    from_salary: false,
                },
            ),
        ];
        let at_2025 = holdings(&entries, &nominal, date!(2025 - 12 - 31));
        assert_eq!(at_2025.len(), 1);
        let h = at_2025[&1];
        assert_eq!(h.subscribed_cents, 100_000);
        assert_eq!(h.paid_cents, 30_000);
        assert_eq!(h.from_salary_cents, 5_000);
        assert_eq!(h.unpaid_cents(), 70_000);
        let now = holdings(&entries, &nominal, date!(2026 - 06 - 30));
        assert_eq!(now[&2].subscribed_cents, 30_000, "at the 2026 nominal");
        let c = capital(&now);
        assert_eq!((c.parts, c.subscribed_cents), (50, 130_000));
    }

    #[test]
    fn gov_32_an_exit_gives_the_parts_back_and_the_refund_is_due_within_the_delay() {
        let nominal = [(date!(2020 - 01 - 01), 2_500)];
        let entries = [
            e(date!(2024 - 01 - 10), 1, Movement::Subscribed { parts: 20 }),
            e(
                date!(2024 - 01 - 10),
                1,
                Movement::Paid {
                    cents: 50_000,
                    from_salary: false,
                },
            ),
            e(date!(2026 - 06 - 30), 1, Movement::Withdrawn { parts: 20 }),
        ];
        let h = holdings(&entries, &nominal, date!(2026 - 07 - 01))[&1];
        assert_eq!((h.parts, h.paid_cents, h.to_refund_cents), (0, 0, 50_000));
        assert_eq!(refund_due(date!(2026 - 12 - 31), 5), date!(2031 - 12 - 31));
        assert_eq!(refund_due(date!(2026 - 12 - 31), 9), date!(2031 - 12 - 31));
        assert_eq!(refund_value(50_000, 8_000), 42_000);
        assert_eq!(refund_value(50_000, 80_000), 0);
        let mut refunded = entries.to_vec();
        refunded.push(e(
            date!(2028 - 01 - 15),
            1,
            Movement::Refunded { cents: 42_000 },
        ));
        let h = holdings(&refunded, &nominal, date!(2028 - 02 - 01))[&1];
        assert_eq!(h.to_refund_cents, 8_000);
    }

    #[test]
    fn gov_01_a_scop_keeps_its_workers_majorities() {
        let b = ScopBalance::of(&[
            (Category::Worker, 10),
            (Category::Worker, 10),
            (Category::Outside, 30),
        ]);
        assert!(!b.capital_ok(), "20 of 50 parts");
        assert!(b.votes_ok(), "2 of 3 votes is 66 %");
        let b = ScopBalance::of(&[(Category::Worker, 60), (Category::Outside, 40)]);
        assert!(b.capital_ok());
        assert!(!b.votes_ok(), "1 of 2 votes");
    }

    proptest! {
        #[test]
        fn transfers_move_parts_and_value_without_creating_or_losing_any(
            moves in proptest::collection::vec((0_i64..4, 0_i64..4, 1_i64..20, 0_u8..3), 0..40),
        ) {
            let nominal = [(date!(2020 - 01 - 01), 2_500)];
            let mut entries: Vec<Entry> = (0..4)
                .flat_map(|a| {
                    [
                        e(date!(2024 - 01 - 01), a, Movement::Subscribed { parts: 50 }),
                        e(date!(2024 - 01 - 01), a, Movement::Paid { cents: 50 * 2_500 / (a + 1), from_salary: false }),
                    ]
                })
                .collect();
            let mut day = date!(2024 - 02 - 01);
            for (from, to, parts, kind) in moves {
                day = day.next_day().unwrap_or(day);
                let held = holdings(&entries, &nominal, day)[&from].parts;
                let parts = parts.min(held);
                if parts == 0 || from == to {
                    continue;
                }
                let m = if kind == 0 {
                    Movement::Withdrawn { parts }
                } else {
                    Movement::TransferredOut { parts, to }
                };
                entries.push(e(day, from, m));
            }
            let before = capital(&holdings(&entries, &nominal, date!(2024 - 01 - 31)));
            let after = capital(&holdings(&entries, &nominal, date!(2030 - 01 - 01)));
            // What left the capital is exactly what waits to be refunded.
            prop_assert_eq!(before.paid_cents, after.paid_cents + after.to_refund_cents);
            prop_assert!(holdings(&entries, &nominal, date!(2030 - 01 - 01)).values().all(|h| h.parts >= 0));
        }
    }
}
