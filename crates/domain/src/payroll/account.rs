//! The activity account (PAY-01, PAY-02): what an activity billed, what the contribution took,
//! what it spent and what its salaries cost, month by month and to date, and what is left; then
//! the forecast to the end of the fiscal year. Pure: the movements come from the books (one source
//! of truth); VAT never enters them.

use super::contribution::{self, Base, BaseEvent, Levied, Policy};
use crate::cooperative::FiscalYearStart;
use crate::money::Money;
use std::collections::{BTreeMap, BTreeSet};
use time::{Date, Duration, Month};

/// What a movement of the account is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// Revenue excluding VAT (on the cooperative's basis: invoiced or collected).
    Revenue,
    /// The contribution to the cooperative (PAY-11: an internal transfer).
    Contribution,
    /// Direct charges excluding VAT: purchases, subcontracting, expense reports.
    Charge,
    /// Purchases of goods for resale (607): a charge, taken off the base of a gross-margin policy.
    Resale,
    /// Salary cost: gross, employer contributions after reductions, employer benefits (PAY-25).
    SalaryCost,
    /// Other allocations: training, fixed monthly fee, shared costs.
    Allocation,
}

/// One movement, as an amount that adds to the account (revenue positive, the others negative
/// when they take from it; a credit note or a refund the other way).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Movement {
    pub on: Date,
    pub kind: Kind,
    pub cents: i64,
}

/// The figures of a period: each kind, and what they leave.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Figures {
    pub revenue: i64,
    pub contribution: i64,
    pub charges: i64,
    pub salary_cost: i64,
    pub allocations: i64,
}

impl Figures {
    fn add(&mut self, m: &Movement) {
        let slot = match m.kind {
            Kind::Revenue => &mut self.revenue,
            Kind::Contribution => &mut self.contribution,
            Kind::Charge | Kind::Resale => &mut self.charges,
            Kind::SalaryCost => &mut self.salary_cost,
            Kind::Allocation => &mut self.allocations,
        };
        *slot += m.cents;
    }

    /// What the period leaves: the sum of its movements.
    pub fn net(&self) -> i64 {
        self.revenue + self.contribution + self.charges + self.salary_cost + self.allocations
    }
}

/// A month of the account.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MonthFigures {
    pub year: i32,
    pub month: Month,
    pub figures: Figures,
    /// The balance at the end of the month.
    pub balance: i64,
}

/// The realised account of a period (PAY-01).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Realised {
    pub opening: i64,
    pub months: Vec<MonthFigures>,
    pub to_date: Figures,
    /// opening + every movement of the period.
    pub available: Money,
}

/// PAY-01: the movements of `[from, to]` month by month, from the opening balance.
pub fn realised(opening: i64, movements: &[Movement], from: Date, to: Date) -> Realised {
    let mut months: Vec<MonthFigures> = Vec::new();
    let (mut y, mut m) = (from.year(), from.month());
    while (y, u8::from(m)) <= (to.year(), u8::from(to.month())) {
        months.push(MonthFigures {
            year: y,
            month: m,
            figures: Figures::default(),
            balance: 0,
        });
        if m == Month::December {
            y += 1;
        }
        m = m.next();
    }
    let mut to_date = Figures::default();
    for mv in movements.iter().filter(|mv| mv.on >= from && mv.on <= to) {
        if let Some(slot) = months
            .iter_mut()
            .find(|x| x.year == mv.on.year() && x.month == mv.on.month())
        {
            slot.figures.add(mv);
        }
        to_date.add(mv);
    }
    let mut balance = opening;
    for x in &mut months {
        balance += x.figures.net();
        x.balance = balance;
    }
    Realised {
        opening,
        months,
        to_date,
        available: Money::eur(opening + to_date.net()),
    }
}

/// PAY-02: the forecast to the end of the fiscal year.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Forecast {
    pub realised: i64,
    /// Invoiced, not yet collected, excluding VAT (on a collected basis, less its contribution).
    pub receivables: i64,
    /// Expenses committed and not yet in the account (reports sent, invoices not yet approved).
    pub committed: i64,
    /// Salary cost scheduled until the end of the fiscal year.
    pub scheduled_payroll: i64,
    /// What the policy's yearly minimum will still take at the year end.
    pub minimum_top_up: i64,
}

impl Forecast {
    pub fn available(&self) -> Money {
        Money::eur(
            self.realised + self.receivables
                - self.committed
                - self.scheduled_payroll
                - self.minimum_top_up,
        )
    }
}

/// The bars of the waterfall chart: billed, then each deduction, then what is available.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Waterfall {
    pub opening: i64,
    pub billed: i64,
    pub contribution: i64,
    pub costs: i64,
    pub salary_cost: i64,
    pub available: i64,
}

impl Waterfall {
    pub fn of(r: &Realised) -> Waterfall {
        let f = &r.to_date;
        Waterfall {
            opening: r.opening,
            billed: f.revenue,
            contribution: f.contribution,
            costs: f.charges + f.allocations,
            salary_cost: f.salary_cost,
            available: r.available.cents(),
        }
    }

    /// The chart adds up: opening + billed + each (negative) step = available.
    pub fn adds_up(&self) -> bool {
        self.opening + self.billed + self.contribution + self.costs + self.salary_cost
            == self.available
    }
}

/// ACC-01, PAY-01: what a ledger line carrying the activity's analytic code feeds. Class 7 is
/// revenue; 607 purchases for resale; class 64 the salary cost; the rest of class 6 direct
/// charges. Third parties, VAT and bank never enter the account.
pub fn kind_of(account: &str) -> Option<Kind> {
    if account.starts_with('7') {
        Some(Kind::Revenue)
    } else if account.starts_with("607") {
        Some(Kind::Resale)
    } else if account.starts_with("64") {
        Some(Kind::SalaryCost)
    } else if account.starts_with('6') {
        Some(Kind::Charge)
    } else {
        None
    }
}

/// The short code of the account part a book kind is read from (`7`, `607`, `64`, `6`), as the
/// per-day sums of the journal store it; `None` for the kinds the books do not hold.
pub fn part_code(kind: Kind) -> Option<&'static str> {
    match kind {
        Kind::Revenue => Some("7"),
        Kind::Resale => Some("607"),
        Kind::SalaryCost => Some("64"),
        Kind::Charge => Some("6"),
        Kind::Contribution | Kind::Allocation => None,
    }
}

/// The part under which the per-day sums keep what each activity collected on its invoices,
/// excluding VAT (the revenue of an account on a collected basis).
pub const COLLECTED_PART: &str = "collected";

/// The kind of a part code written by [`part_code`].
pub fn kind_of_part(code: &str) -> Option<Kind> {
    match code {
        "7" => Some(Kind::Revenue),
        "607" => Some(Kind::Resale),
        "64" => Some(Kind::SalaryCost),
        "6" => Some(Kind::Charge),
        _ => None,
    }
}

/// The revenue basis of the account follows the contribution's base (PAY-01: "per CAE policy"):
/// collected when the contribution is levied on receipts, invoiced otherwise.
pub fn collected_basis(base: Base) -> bool {
    base == Base::CollectedHt
}

/// Where a line of the account comes from: the caller's movement at this index (a ledger line or
/// a collected payment), or a contribution levied on one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    Books(usize),
    Levy(Levied),
}

/// The account of one fiscal year: the realised figures and every line behind them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Statement {
    pub year_start: Date,
    pub year_end: Date,
    /// The last day counted: the year end, or today in the current year.
    pub to: Date,
    pub realised: Realised,
    /// The movements of the year in date order, each with its origin.
    pub lines: Vec<(Movement, Origin)>,
    /// The contribution's base counted so far this year.
    pub base_to_date: i64,
}

/// What the account is built from.
pub struct AccountInput<'a> {
    /// The activity's movements from the books (revenue on the account's basis), in date order,
    /// from its first up to `today`.
    pub moves: &'a [Movement],
    /// The activity's own contribution policies and the cooperative's.
    pub own: &'a [Policy],
    pub cooperative: &'a [Policy],
    pub activity_start: Date,
    pub fiscal: FiscalYearStart,
    pub today: Date,
    /// Earlier fiscal years already settled (closed in the books), by their first day, with what
    /// each left ([`year_net`]): their movements need not be given again.
    pub settled: &'a [(Date, i64)],
}

/// The last day of the fiscal year starting on `start`.
pub fn year_end_of(fiscal: FiscalYearStart, start: Date) -> Date {
    let next = Date::from_calendar_date(start.year() + 1, start.month(), start.day())
        .unwrap_or(start + Duration::days(365));
    fiscal.year_start_for(next) - Duration::days(1)
}

/// One year's lines: the books' movements of `[start, to]` and the contributions they carry, the
/// yearly minimum's top-up when the year is over.
fn year_lines(
    i: &AccountInput,
    start: Date,
    end: Date,
    to: Date,
) -> (Vec<(Movement, Origin)>, i64) {
    let base = |m: &Movement| match contribution::effective(i.own, i.cooperative, m.on) {
        Some(p) if p.base == Base::GrossMargin => matches!(m.kind, Kind::Revenue | Kind::Resale),
        _ => m.kind == Kind::Revenue,
    };
    let mut lines: Vec<(Movement, Origin)> = Vec::new();
    let mut events = Vec::new();
    for (n, m) in i.moves.iter().enumerate() {
        if m.on < start || m.on > to {
            continue;
        }
        lines.push((m.clone(), Origin::Books(n)));
        if base(m) {
            events.push(BaseEvent {
                on: m.on,
                cents: m.cents,
                source: n,
            });
        }
    }
    let mut levied =
        contribution::over_year(i.own, i.cooperative, i.activity_start, start, &events, to);
    if to >= end
        && end < i.today
        && let Some(top) =
            contribution::year_end_top_up(i.own, i.cooperative, i.activity_start, &levied, end)
    {
        levied.push(top);
    }
    let base_total = levied.iter().map(|l| l.base).sum();
    for l in levied {
        lines.push((
            Movement {
                on: l.on,
                kind: Kind::Contribution,
                cents: l.cents,
            },
            Origin::Levy(l),
        ));
    }
    lines.sort_by_key(|(m, _)| m.on);
    (lines, base_total)
}

/// What a whole fiscal year, starting on `year_start` and over, leaves to the next: its
/// movements, the contributions they carried and the yearly minimum's top-up.
pub fn year_net(i: &AccountInput, year_start: Date) -> i64 {
    let end = year_end_of(i.fiscal, year_start);
    let (lines, _) = year_lines(i, year_start, end, end);
    lines.iter().map(|(m, _)| m.cents).sum()
}

/// PAY-01: the account of the fiscal year containing `at` (at most up to today), its opening the
/// balance every earlier year left (carried forward).
pub fn statement(i: &AccountInput, at: Date) -> Statement {
    let at = at.min(i.today);
    let year_start = i.fiscal.year_start_for(at);
    let year_end = year_end_of(i.fiscal, year_start);
    let to = year_end.min(i.today);
    let mut opening: i64 = i
        .settled
        .iter()
        .filter(|(y, _)| *y < year_start)
        .map(|(_, net)| net)
        .sum();
    // From the activity's start (a year without movements still pays the monthly fee and the
    // yearly minimum), or its first movement if earlier.
    let first = i
        .moves
        .first()
        .map_or(i.activity_start, |m| m.on.min(i.activity_start));
    let mut y = i.fiscal.year_start_for(first);
    while y < year_start {
        if !i.settled.iter().any(|(s, _)| *s == y) {
            opening += year_net(i, y);
        }
        y = year_end_of(i.fiscal, y) + Duration::days(1);
    }
    let (lines, base_to_date) = year_lines(i, year_start, year_end, to);
    let moves: Vec<Movement> = lines.iter().map(|(m, _)| m.clone()).collect();
    Statement {
        year_start,
        year_end,
        to,
        realised: realised(opening, &moves, year_start, to),
        lines,
        base_to_date,
    }
}

/// What the forecast adds to a statement (PAY-02).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Outlook {
    /// Invoiced and not yet collected, excluding VAT (only on a collected basis: on an invoiced
    /// basis it is already revenue).
    pub receivables_ht: i64,
    pub committed: i64,
    pub scheduled_payroll: i64,
}

/// PAY-02: the forecast to the year end: the receivables less the contribution they will carry,
/// committed expenses, scheduled payroll and the yearly minimum still to reach.
pub fn forecast(i: &AccountInput, s: &Statement, o: Outlook) -> Forecast {
    let policy = contribution::effective(i.own, i.cooperative, s.to);
    let exempt =
        policy.is_some_and(|p| contribution::exempt(i.activity_start, p.exemption_months, s.to));
    let receivables = match policy {
        Some(p) if !exempt => {
            o.receivables_ht
                - contribution::on_transaction(&p.bands, s.base_to_date, o.receivables_ht).cents()
        }
        _ => o.receivables_ht,
    };
    let levied: Vec<Levied> = s
        .lines
        .iter()
        .filter_map(|(_, o)| match o {
            Origin::Levy(l) => Some(*l),
            Origin::Books(_) => None,
        })
        .collect();
    let taken_with_receivables =
        Money::eur(-levied.iter().map(|l| l.cents).sum::<i64>() + (o.receivables_ht - receivables));
    let minimum_top_up = match policy {
        Some(p) if !exempt => contribution::minimum_top_up(p, taken_with_receivables).cents(),
        _ => 0,
    };
    Forecast {
        realised: s.realised.available.cents(),
        receivables,
        committed: o.committed,
        scheduled_payroll: o.scheduled_payroll,
        minimum_top_up,
    }
}

/// The dates from which an activity's movements of `(from, to]` are summed apart, so that the
/// account's to-date figures stay exact when it is given sums instead of days (the support
/// team's overview of every account reads sums): the start of each fiscal year, of each policy
/// version, and the end of the exemption under each version (PAY-10). Between two cuts one
/// policy applies to every movement, all exempt or none; the contributions levied one by one at
/// the margin of the year's base (PAY-12) are each `round(f(before + a)) − round(f(before))`,
/// so their sum telescopes to the contribution on their sum. `activity_start: None` leaves out
/// the exemptions (the cuts every activity shares).
pub fn cuts(
    own: &[Policy],
    cooperative: &[Policy],
    activity_start: Option<Date>,
    fiscal: FiscalYearStart,
    from: Date,
    to: Date,
) -> BTreeSet<Date> {
    let mut out = BTreeSet::new();
    let mut y = fiscal.year_start_for(from);
    while y <= to {
        if y > from {
            out.insert(y);
        }
        y = year_end_of(fiscal, y) + Duration::days(1);
    }
    let within = |d: Date| d > from && d <= to;
    for p in own.iter().chain(cooperative) {
        if within(p.valid_from) {
            out.insert(p.valid_from);
        }
        if let Some(start) = activity_start {
            let end = contribution::exemption_end(start, p.exemption_months);
            if within(end) {
                out.insert(end);
            }
        }
    }
    out
}

/// Movements summed per kind between [`cuts`], each sum dated on the first day it holds. The
/// statement's to-date figures, its contribution and base, the forecast and a year's net are
/// the same as with the movements one by one (its month-by-month detail is not).
pub fn summed(moves: &[Movement], cuts: &BTreeSet<Date>) -> Vec<Movement> {
    let mut sums: BTreeMap<(Option<Date>, Kind), (Date, i64)> = BTreeMap::new();
    for m in moves {
        let segment = cuts.range(..=m.on).next_back().copied();
        let e = sums.entry((segment, m.kind)).or_insert((m.on, 0));
        e.0 = e.0.min(m.on);
        e.1 += m.cents;
    }
    let mut out: Vec<Movement> = sums
        .into_iter()
        .map(|((_, kind), (on, cents))| Movement { on, kind, cents })
        .collect();
    out.sort_by_key(|m| (m.on, m.kind));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    #[test]
    fn part_codes_round_trip_and_follow_the_account_classes() {
        // ACC-01: each kind the books hold has one code, read back to the same kind, and the
        // code is the prefix `kind_of` recognises.
        for kind in [Kind::Revenue, Kind::Resale, Kind::SalaryCost, Kind::Charge] {
            let code = part_code(kind).unwrap();
            assert_eq!(kind_of_part(code), Some(kind));
            assert_eq!(kind_of(&format!("{code}100")), Some(kind));
        }
        assert_eq!(part_code(Kind::Contribution), None);
        assert_eq!(kind_of_part("4"), None);
    }

    fn mv(on: Date, kind: Kind, cents: i64) -> Movement {
        Movement { on, kind, cents }
    }

    #[test]
    fn pay_01_the_worked_example_leaves_what_the_guide_says() {
        // PAY 2.5: 60,000 € collected, 11 % contribution, 7,200 € of direct charges.
        let mut moves = Vec::new();
        for m in 1..=12u8 {
            let on =
                Date::from_calendar_date(2026, Month::try_from(m).unwrap_or(Month::January), 15)
                    .unwrap_or(date!(2026 - 01 - 15));
            moves.push(mv(on, Kind::Revenue, 500_000));
            moves.push(mv(on, Kind::Contribution, -55_000));
            moves.push(mv(on, Kind::Charge, -60_000));
        }
        let r = realised(0, &moves, date!(2026 - 01 - 01), date!(2026 - 12 - 31));
        assert_eq!(r.available.cents(), 4_620_000);
        assert_eq!(r.months.len(), 12);
        assert_eq!(r.months[0].balance, 385_000);
        assert!(Waterfall::of(&r).adds_up());
        let f = Forecast {
            realised: 500_000,
            receivables: 0,
            committed: 0,
            scheduled_payroll: 3 * 360_000,
            ..Forecast::default()
        };
        // The shortfall case: 5,000 € and three payrolls of 3,600 € cost → the alert is raised.
        assert_eq!(f.available().cents(), -580_000);
        let alerts = |tolerance_cents| {
            crate::payroll::planner::PlannerPolicy {
                reserve: rust_decimal::Decimal::ZERO,
                tolerance_cents,
            }
            .alerts(f.available().cents())
        };
        assert!(alerts(0));
        assert!(!alerts(600_000));
    }

    use crate::payroll::contribution::{Band, Levy};
    use rust_decimal::Decimal;

    fn flat(rate: i64, from: Date, base: Base) -> Policy {
        Policy {
            valid_from: from,
            base,
            bands: vec![Band {
                up_to: None,
                rate: Decimal::new(rate, 2),
            }],
            exemption_months: 0,
            monthly_fee: Money::eur(0),
            yearly_minimum: Money::eur(0),
        }
    }

    fn input<'a>(
        moves: &'a [Movement],
        own: &'a [Policy],
        coop: &'a [Policy],
        today: Date,
    ) -> AccountInput<'a> {
        AccountInput {
            moves,
            own,
            cooperative: coop,
            activity_start: date!(2024 - 01 - 01),
            fiscal: FiscalYearStart::new(1, 1).unwrap(),
            today,
            settled: &[],
        }
    }

    #[test]
    fn acc_01_each_class_of_account_feeds_its_part_and_the_others_none() {
        assert_eq!(kind_of("706000"), Some(Kind::Revenue));
        assert_eq!(kind_of("607100"), Some(Kind::Resale));
        assert_eq!(kind_of("641100"), Some(Kind::SalaryCost));
        assert_eq!(kind_of("645100"), Some(Kind::SalaryCost));
        assert_eq!(kind_of("625100"), Some(Kind::Charge));
        for none in ["411000", "445710", "512000", "401000", "425000"] {
            assert_eq!(kind_of(none), None, "{none}");
        }
        assert!(collected_basis(Base::CollectedHt));
        assert!(!collected_basis(Base::InvoicedHt));
    }

    #[test]
    fn pay_01_the_statement_levies_the_contribution_on_each_receipt_and_leaves_the_guides_figure() {
        // PAY 2.5: 5,000 € collected each month, 11 %, 600 € of charges a month.
        let mut moves = Vec::new();
        for m in 1..=12u8 {
            let on =
                Date::from_calendar_date(2026, Month::try_from(m).unwrap_or(Month::January), 10)
                    .unwrap_or(date!(2026 - 01 - 10));
            moves.push(mv(on, Kind::Revenue, 500_000));
            moves.push(mv(on, Kind::Charge, -60_000));
        }
        let coop = [flat(11, date!(2020 - 01 - 01), Base::CollectedHt)];
        let i = input(&moves, &[], &coop, date!(2026 - 12 - 31));
        let s = statement(&i, date!(2026 - 06 - 01));
        assert_eq!(s.realised.available.cents(), 4_620_000);
        assert_eq!(s.realised.to_date.contribution, -660_000);
        assert_eq!(s.base_to_date, 6_000_000);
        // Each contribution names the receipt it was levied on and the policy's version.
        let levies: Vec<&Levied> = s
            .lines
            .iter()
            .filter_map(|(_, o)| match o {
                Origin::Levy(l) => Some(l),
                Origin::Books(_) => None,
            })
            .collect();
        assert_eq!(levies.len(), 12);
        assert_eq!(levies[0].source, Some(0));
        assert_eq!(levies[0].policy_from, date!(2020 - 01 - 01));
        assert!(Waterfall::of(&s.realised).adds_up());
    }

    #[test]
    fn pay_01_a_year_opens_on_what_the_previous_ones_left_with_their_minimum_top_up() {
        let moves = vec![
            mv(date!(2025 - 03 - 01), Kind::Revenue, 1_000_000),
            mv(date!(2026 - 02 - 01), Kind::Revenue, 200_000),
        ];
        let mut p = flat(10, date!(2020 - 01 - 01), Base::InvoicedHt);
        p.yearly_minimum = Money::eur(150_000);
        let coop = [p];
        let mut i = input(&moves, &[], &coop, date!(2026 - 03 - 15));
        // Started in 2024 with nothing billed that year: 2024 still owes its 1,500 € minimum.
        assert_eq!(
            statement(&i, date!(2026 - 03 - 15)).realised.opening,
            850_000 - 150_000
        );
        i.activity_start = date!(2025 - 01 - 01);
        let s = statement(&i, date!(2026 - 03 - 15));
        // 2025: 10,000 − 1,000 (10 %) − 500 (top-up to the 1,500 € minimum) = 8,500.
        assert_eq!(s.realised.opening, 850_000);
        assert_eq!(s.realised.available.cents(), 850_000 + 200_000 - 20_000);
        // The year is not over: no top-up yet, but the forecast counts it.
        let f = forecast(&i, &s, Outlook::default());
        assert_eq!(f.minimum_top_up, 130_000);
        assert_eq!(f.available().cents(), 1_030_000 - 130_000);
        // The closed year shows its own top-up line.
        let last = statement(&i, date!(2025 - 06 - 01));
        assert!(last.lines.iter().any(|(_, o)| matches!(o, Origin::Levy(l) if l.what == Levy::YearlyMinimum && l.cents == -50_000)));
        assert_eq!(last.to, date!(2025 - 12 - 31));
    }

    #[test]
    fn pay_10_overrides_exemptions_fees_and_gross_margin() {
        let moves = vec![
            mv(date!(2026 - 01 - 10), Kind::Revenue, 100_000),
            mv(date!(2026 - 02 - 10), Kind::Resale, -40_000),
            mv(date!(2026 - 04 - 10), Kind::Revenue, 100_000),
        ];
        let coop = [flat(10, date!(2020 - 01 - 01), Base::InvoicedHt)];
        // The activity's own policy from March: 5 % of the gross margin, 20 € a month.
        let mut own = flat(5, date!(2026 - 03 - 01), Base::GrossMargin);
        own.monthly_fee = Money::eur(2_000);
        let own = [own];
        let i = input(&moves, &own, &coop, date!(2026 - 04 - 30));
        let s = statement(&i, date!(2026 - 04 - 30));
        // January at 10 % of 1,000 (cooperative); the February purchase is before the override
        // (not in the invoiced base); April at 5 % of 1,000; fees for March and April.
        assert_eq!(s.realised.to_date.contribution, -10_000 - 5_000 - 4_000);
        // An activity started in February with two months of exemption gives nothing until April.
        let mut young = input(&moves, &[], &coop, date!(2026 - 04 - 30));
        young.activity_start = date!(2026 - 02 - 01);
        let mut exempt_coop = coop.clone();
        exempt_coop[0].exemption_months = 2;
        young.cooperative = &exempt_coop;
        let s = statement(&young, date!(2026 - 04 - 30));
        assert_eq!(s.realised.to_date.contribution, -10_000);
        // Exempt receipts do not count in the year's base either.
        assert_eq!(s.base_to_date, 100_000);
    }

    #[test]
    fn pay_02_receivables_count_less_their_contribution_on_a_collected_basis() {
        let moves = vec![mv(date!(2026 - 01 - 10), Kind::Revenue, 100_000)];
        let coop = [flat(10, date!(2020 - 01 - 01), Base::CollectedHt)];
        let i = input(&moves, &[], &coop, date!(2026 - 02 - 01));
        let s = statement(&i, date!(2026 - 02 - 01));
        let f = forecast(
            &i,
            &s,
            Outlook {
                receivables_ht: 50_000,
                committed: 10_000,
                scheduled_payroll: 30_000,
            },
        );
        assert_eq!(f.realised, 90_000);
        assert_eq!(f.receivables, 45_000);
        assert_eq!(f.available().cents(), 90_000 + 45_000 - 10_000 - 30_000);
    }

    #[test]
    fn an_activity_without_any_policy_gives_nothing() {
        let moves = vec![mv(date!(2026 - 01 - 10), Kind::Revenue, 100_000)];
        let i = input(&moves, &[], &[], date!(2026 - 02 - 01));
        let s = statement(&i, date!(2026 - 02 - 01));
        assert_eq!(s.realised.available.cents(), 100_000);
        assert_eq!(forecast(&i, &s, Outlook::default()).minimum_top_up, 0);
    }

    proptest! {
        #[test]
        fn the_waterfall_always_adds_up(
            opening in -1_000_000_i64..1_000_000,
            raw in proptest::collection::vec((0_u8..5, -500_000_i64..2_000_000, 1_u8..=28, 1_u8..=12), 0..60),
        ) {
            let kinds = [Kind::Revenue, Kind::Contribution, Kind::Charge, Kind::SalaryCost, Kind::Allocation];
            let moves: Vec<Movement> = raw
                .iter()
                .filter_map(|(k, c, d, m)| {
                    let on = Date::from_calendar_date(2026, Month::try_from(*m).ok()?, *d).ok()?;
                    Some(mv(on, kinds[usize::from(*k)], *c))
                })
                .collect();
            let r = realised(opening, &moves, date!(2026 - 01 - 01), date!(2026 - 12 - 31));
            prop_assert!(Waterfall::of(&r).adds_up());
            prop_assert_eq!(r.months.last().map(|m| m.balance), Some(r.available.cents()));
        }

        #[test]
        fn sums_between_cuts_give_the_same_account_as_the_days(
            raw in proptest::collection::vec((0_u8..4, -300_000_i64..900_000, 1_u8..=28, 1_u8..=12, 0_u8..2), 0..80),
            minimum in 0_i64..500_000,
            exemption in 0_u8..9,
            start_month in 1_u8..=12,
            collected in proptest::bool::ANY,
        ) {
            // Two fiscal years, a policy changed in mid-year (new bands, new exemption), an
            // activity override from the autumn, an activity started in 2025 and exempt for
            // some months: the overview's sums between cuts give the account of the days.
            let kinds = [Kind::Revenue, Kind::Charge, Kind::Resale, Kind::SalaryCost];
            let today = date!(2026 - 11 - 15);
            // Up to today, as the overview reads them.
            let mut moves: Vec<Movement> = raw
                .iter()
                .filter_map(|(k, c, d, m, y)| {
                    let on = Date::from_calendar_date(2025 + i32::from(*y), Month::try_from(*m).ok()?, *d).ok()?;
                    Some(mv(on, kinds[usize::from(*k)], *c))
                })
                .filter(|m| m.on <= today)
                .collect();
            moves.sort_by_key(|m| m.on);
            let base = if collected { Base::CollectedHt } else { Base::GrossMargin };
            let mut p = flat(10, date!(2024 - 01 - 01), base);
            p.bands = vec![
                Band { up_to: Some(1_500_000), rate: Decimal::new(10, 2) },
                Band { up_to: None, rate: Decimal::new(6, 2) },
            ];
            p.monthly_fee = Money::eur(2_000);
            p.yearly_minimum = Money::eur(minimum);
            p.exemption_months = exemption;
            let mut q = flat(8, date!(2026 - 05 - 17), base);
            q.exemption_months = exemption / 2;
            let cooperative = [p, q];
            let own = [flat(7, date!(2026 - 09 - 03), base)];
            let start = Date::from_calendar_date(2025, Month::try_from(start_month).unwrap_or(Month::March), 11).unwrap_or(date!(2025 - 03 - 11));
            let mut days = input(&moves, &own, &cooperative, today);
            days.activity_start = start;
            let from = date!(2025 - 01 - 01);
            let c = cuts(&own, &cooperative, Some(start), days.fiscal, from, today);
            let sums = summed(&moves, &c);
            let mut summed_input = input(&sums, &own, &cooperative, today);
            summed_input.activity_start = start;
            let a = statement(&days, today);
            let b = statement(&summed_input, today);
            prop_assert_eq!(a.realised.to_date, b.realised.to_date);
            prop_assert_eq!(a.realised.available, b.realised.available);
            prop_assert_eq!(a.base_to_date, b.base_to_date);
            let o = Outlook { receivables_ht: 120_000, committed: 30_000, scheduled_payroll: 200_000 };
            prop_assert_eq!(forecast(&days, &a, o), forecast(&summed_input, &b, o));
            prop_assert_eq!(year_net(&days, from), year_net(&summed_input, from));
        }

        #[test]
        fn settled_years_give_the_same_account_as_their_movements(
            raw in proptest::collection::vec((0_u8..4, -300_000_i64..900_000, 1_u8..=28, 1_u8..=12, 0_u8..3), 0..80),
            minimum in 0_i64..500_000,
        ) {
            // Three years of movements under a tiered policy with a fee and a yearly minimum:
            // the current year's statement is the same whether the earlier years are given as
            // movements or as what each left (the overview's cache of closed years).
            let kinds = [Kind::Revenue, Kind::Charge, Kind::Resale, Kind::SalaryCost];
            let mut moves: Vec<Movement> = raw
                .iter()
                .filter_map(|(k, c, d, m, y)| {
                    let on = Date::from_calendar_date(2024 + i32::from(*y), Month::try_from(*m).ok()?, *d).ok()?;
                    Some(mv(on, kinds[usize::from(*k)], *c))
                })
                .collect();
            moves.sort_by_key(|m| m.on);
            let mut p = flat(10, date!(2024 - 01 - 01), Base::InvoicedHt);
            p.bands = vec![
                Band { up_to: Some(3_500_000), rate: Decimal::new(10, 2) },
                Band { up_to: None, rate: Decimal::new(6, 2) },
            ];
            p.monthly_fee = Money::eur(2_000);
            p.yearly_minimum = Money::eur(minimum);
            let coop = [p];
            let today = date!(2026 - 11 - 15);
            let full = input(&moves, &[], &coop, today);
            let nets = [
                (date!(2024 - 01 - 01), year_net(&full, date!(2024 - 01 - 01))),
                (date!(2025 - 01 - 01), year_net(&full, date!(2025 - 01 - 01))),
            ];
            let recent: Vec<Movement> = moves.iter().filter(|m| m.on >= date!(2026 - 01 - 01)).cloned().collect();
            let mut short = input(&recent, &[], &coop, today);
            short.settled = &nets;
            let a = statement(&full, today);
            let b = statement(&short, today);
            prop_assert_eq!(&a.realised, &b.realised);
            prop_assert_eq!(a.base_to_date, b.base_to_date);
            // One year settled, the other given as movements: the same again.
            let from_2025: Vec<Movement> = moves.iter().filter(|m| m.on >= date!(2025 - 01 - 01)).cloned().collect();
            let mut mixed = input(&from_2025, &[], &coop, today);
            mixed.settled = &nets[..1];
            prop_assert_eq!(statement(&mixed, today).realised, a.realised);
        }
    }
}
