//! Expense reports (EXP-04, EXP-05): an entrepreneur's expenses of one month, refunded by the
//! cooperative once the support team has validated them.
//!
//! A line is an expense paid by the entrepreneur: its date, category (the cooperative maps each to
//! an account and a default VAT rate), amount including VAT, the VAT on the receipt, whether that
//! VAT can be recovered (EXP-04: only on an invoice in the cooperative's name), the activity it is
//! for and what it was. Mileage lines are priced by [`super::mileage`].

use crate::ids::ActivityId;
use crate::money::Money;
use crate::validation::{FieldErrors, required_text};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use time::{Date, Month};

/// Where a report is in its life (EXP-05).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportStatus {
    /// Being filled in by the entrepreneur.
    Draft,
    /// Sent to the support team.
    Submitted,
    /// Sent back to the entrepreneur with a comment, to correct and submit again.
    Returned,
    /// Checked by a holder of `expense.validate`: frozen from now on (GEN-03).
    Validated,
    /// Paid back to the entrepreneur.
    Refunded,
}

/// What someone does to a report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportAction {
    Submit,
    Validate,
    Return,
    Refund,
}

impl ReportStatus {
    pub const ALL: [ReportStatus; 5] = [
        ReportStatus::Draft,
        ReportStatus::Submitted,
        ReportStatus::Returned,
        ReportStatus::Validated,
        ReportStatus::Refunded,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ReportStatus::Draft => "draft",
            ReportStatus::Submitted => "submitted",
            ReportStatus::Returned => "returned",
            ReportStatus::Validated => "validated",
            ReportStatus::Refunded => "refunded",
        }
    }

    pub fn parse(code: &str) -> Option<ReportStatus> {
        ReportStatus::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Lines may be added, changed or removed: only before the report is submitted, or once it is
    /// returned (GEN-03: a validated report is frozen).
    pub fn editable(self) -> bool {
        matches!(self, ReportStatus::Draft | ReportStatus::Returned)
    }

    /// EXP-05: the status after `action`, or why it cannot be done now.
    pub fn after(self, action: ReportAction) -> Result<ReportStatus, &'static str> {
        use ReportAction as A;
        use ReportStatus as S;
        match (self, action) {
            (S::Draft | S::Returned, A::Submit) => Ok(S::Submitted),
            (S::Submitted, A::Validate) => Ok(S::Validated),
            (S::Submitted, A::Return) => Ok(S::Returned),
            (S::Validated, A::Refund) => Ok(S::Refunded),
            _ => Err("report_state"),
        }
    }
}

/// The month a report covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct ReportMonth {
    pub year: i32,
    pub month: Month,
}

impl ReportMonth {
    pub fn of(date: Date) -> ReportMonth {
        ReportMonth {
            year: date.year(),
            month: date.month(),
        }
    }

    /// `2026-03`, as typed in a month field.
    pub fn parse(text: &str) -> Result<ReportMonth, &'static str> {
        let (y, m) = text.trim().split_once('-').ok_or("month_format")?;
        let year: i32 = y.parse().map_err(|_| "month_format")?;
        let month: u8 = m.parse().map_err(|_| "month_format")?;
        let month = Month::try_from(month).map_err(|_| "month_format")?;
        if !(2000..=2100).contains(&year) {
            return Err("month_format");
        }
        Ok(ReportMonth { year, month })
    }

    pub fn first_day(self) -> Option<Date> {
        Date::from_calendar_date(self.year, self.month, 1).ok()
    }

    pub fn last_day(self) -> Option<Date> {
        let days = self.month.length(self.year);
        Date::from_calendar_date(self.year, self.month, days).ok()
    }
}

impl std::fmt::Display for ReportMonth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}-{:02}", self.year, u8::from(self.month))
    }
}

/// An expense line as typed.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ExpenseInput {
    pub date: String,
    pub category: String,
    /// Amount paid, VAT included.
    pub amount: String,
    /// The VAT written on the receipt (empty: none).
    pub vat: String,
    /// EXP-04: the receipt is an invoice in the cooperative's name, so its VAT can be recovered.
    #[serde(deserialize_with = "crate::input::tick")]
    pub vat_recoverable: bool,
    pub activity: String,
    pub description: String,
}

/// A valid expense line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expense {
    pub on: Date,
    pub category: String,
    pub amount: Money,
    pub vat: Money,
    pub vat_recoverable: bool,
    pub activity: ActivityId,
    pub description: String,
}

/// EXP-04: the VAT the cooperative recovers on a line: its VAT when the receipt is an invoice in
/// the cooperative's name, nothing otherwise.
pub fn recovered_vat(vat: Money, recoverable: bool) -> Money {
    if recoverable { vat } else { Money::eur(0) }
}

impl Expense {
    /// EXP-04: the VAT the cooperative recovers on this line.
    pub fn recoverable_vat(&self) -> Money {
        recovered_vat(self.vat, self.vat_recoverable)
    }

    /// What the line costs the activity: the amount paid less the VAT recovered.
    pub fn cost(&self) -> Money {
        Money::eur(self.amount.cents() - self.recoverable_vat().cents())
    }
}

impl ExpenseInput {
    /// Each invalid field is reported. `month` is the report's: a line may not be dated after it
    /// (an expense forgotten in an earlier month is accepted), nor after `today`.
    pub fn parse(&self, month: ReportMonth, today: Date) -> Result<Expense, FieldErrors> {
        use crate::person::parse_date;
        let mut e = FieldErrors::new();
        let on = e.check("date", parse_date(&self.date));
        if let Some(on) = on
            && let Err(code) = check_line_date(on, month, today)
        {
            e.add("date", code);
        }
        let category = e.check("category", required_text(&self.category, 40));
        let amount = e.check(
            "amount",
            Money::parse_eur(&self.amount).and_then(|m| {
                if m.cents() > 0 {
                    Ok(m)
                } else {
                    Err("amount_positive")
                }
            }),
        );
        let vat = if self.vat.trim().is_empty() {
            Some(Money::eur(0))
        } else {
            e.check("vat", Money::parse_eur(&self.vat))
        };
        if let (Some(a), Some(v)) = (amount, vat)
            && (v.cents() < 0 || v.cents() >= a.cents())
        {
            e.add("vat", "vat_over_amount");
        }
        let activity = e.check(
            "activity",
            self.activity
                .trim()
                .parse::<i64>()
                .map(ActivityId::new)
                .map_err(|_| "required"),
        );
        let description = e.check("description", required_text(&self.description, 300));
        match (on, category, amount, vat, activity, description) {
            (
                Some(on),
                Some(category),
                Some(amount),
                Some(vat),
                Some(activity),
                Some(description),
            ) if e.is_empty() => Ok(Expense {
                on,
                category,
                amount,
                vat,
                vat_recoverable: self.vat_recoverable,
                activity,
                description,
            }),
            _ => Err(e),
        }
    }
}

/// A line of a report may not be dated after the report's month, nor after today (an expense
/// forgotten in an earlier month is accepted in a later report).
pub fn check_line_date(on: Date, month: ReportMonth, today: Date) -> Result<(), &'static str> {
    match month.last_day() {
        Some(end) if on <= end && on <= today => Ok(()),
        _ => Err("expense_date_after_month"),
    }
}

/// EXP-04: a receipt is a photo (JPEG, PNG, HEIC) or a PDF of at most
/// [`crate::document::MAX_BYTES`]; returns its content type, or why it is refused.
pub fn check_receipt(bytes: &[u8]) -> Result<&'static str, &'static str> {
    if bytes.is_empty() {
        Err("required")
    } else if bytes.len() > crate::document::MAX_BYTES {
        Err("file_too_large")
    } else {
        crate::document::sniff(bytes).ok_or("file_type")
    }
}

/// The VAT included in `amount` at `rate` (0.20 for 20 %), to prefill a line from its category's
/// default rate: `amount × rate / (1 + rate)`, rounded to the cent, half away from zero.
pub fn vat_included(amount: Money, rate: Decimal) -> Money {
    let vat = Decimal::new(amount.cents(), 2) * rate / (Decimal::ONE + rate);
    let cents = (vat * Decimal::ONE_HUNDRED)
        .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
        .to_i64()
        .unwrap_or(0);
    Money::eur(cents)
}

/// What a report adds up to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReportTotals {
    /// Paid by the entrepreneur, VAT included: what is refunded for the expense lines.
    pub expenses: Money,
    /// Kilometric allowances (no VAT, EXP-02).
    pub mileage: Money,
    /// The VAT the cooperative recovers (EXP-04).
    pub recoverable_vat: Money,
}

impl ReportTotals {
    pub fn of(expenses: &[Expense], mileage: &[Money]) -> ReportTotals {
        ReportTotals::sum(
            expenses
                .iter()
                .map(|x| (x.amount, x.vat, x.vat_recoverable)),
            mileage.iter().copied(),
        )
    }

    /// The totals of stored lines: each expense as (amount, VAT, recoverable), each trip's amount.
    pub fn sum(
        expenses: impl IntoIterator<Item = (Money, Money, bool)>,
        mileage: impl IntoIterator<Item = Money>,
    ) -> ReportTotals {
        let (mut paid, mut vat) = (0, 0);
        for (amount, line_vat, recoverable) in expenses {
            paid += amount.cents();
            vat += recovered_vat(line_vat, recoverable).cents();
        }
        ReportTotals {
            expenses: Money::eur(paid),
            mileage: Money::eur(mileage.into_iter().map(|m| m.cents()).sum()),
            recoverable_vat: Money::eur(vat),
        }
    }

    /// What the entrepreneur is paid back.
    pub fn refund(&self) -> Money {
        Money::eur(self.expenses.cents() + self.mileage.cents())
    }

    /// What the report costs the activities: the refund less the VAT recovered.
    pub fn cost(&self) -> Money {
        Money::eur(self.refund().cents() - self.recoverable_vat.cents())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn input() -> ExpenseInput {
        ExpenseInput {
            date: "2026-03-04".into(),
            category: "travel".into(),
            amount: "120,00".into(),
            vat: "20,00".into(),
            vat_recoverable: true,
            activity: "7".into(),
            description: "Train Lyon–Paris".into(),
        }
    }
    const MARCH: ReportMonth = ReportMonth {
        year: 2026,
        month: Month::March,
    };
    const TODAY: Date = date!(2026 - 04 - 02);

    #[test]
    fn exp_05_a_report_goes_from_draft_to_refunded_and_back_only_when_returned() {
        use ReportAction as A;
        use ReportStatus as S;
        assert_eq!(S::Draft.after(A::Submit), Ok(S::Submitted));
        assert_eq!(S::Submitted.after(A::Return), Ok(S::Returned));
        assert_eq!(S::Returned.after(A::Submit), Ok(S::Submitted));
        assert_eq!(S::Submitted.after(A::Validate), Ok(S::Validated));
        assert_eq!(S::Validated.after(A::Refund), Ok(S::Refunded));
        assert_eq!(S::Draft.after(A::Validate), Err("report_state"));
        assert_eq!(S::Validated.after(A::Return), Err("report_state"));
        assert_eq!(S::Refunded.after(A::Refund), Err("report_state"));
    }

    #[test]
    fn gen_03_a_validated_report_is_frozen() {
        let editable: Vec<_> = ReportStatus::ALL
            .into_iter()
            .filter(|s| s.editable())
            .collect();
        assert_eq!(editable, [ReportStatus::Draft, ReportStatus::Returned]);
    }

    #[test]
    fn exp_04_vat_is_recovered_only_on_an_invoice_in_the_cooperatives_name() {
        let line = input().parse(MARCH, TODAY);
        assert_eq!(line.as_ref().map(|l| l.cost().cents()).ok(), Some(10_000));
        let not_ours = ExpenseInput {
            vat_recoverable: false,
            ..input()
        }
        .parse(MARCH, TODAY);
        assert_eq!(
            not_ours.as_ref().map(|l| l.cost().cents()).ok(),
            Some(12_000)
        );
        assert_eq!(not_ours.map(|l| l.recoverable_vat().cents()).ok(), Some(0));
    }

    #[test]
    fn a_line_reports_each_invalid_field() {
        let bad = ExpenseInput {
            date: "2026-04-01".into(),
            amount: "0".into(),
            activity: "x".into(),
            description: " ".into(),
            ..input()
        };
        let fields: Vec<(String, &str)> = bad
            .parse(MARCH, TODAY)
            .err()
            .map(|e| e.0.iter().map(|f| (f.path(), f.code)).collect())
            .unwrap_or_default();
        assert_eq!(
            fields,
            [
                ("date".to_owned(), "expense_date_after_month"),
                ("amount".to_owned(), "amount_positive"),
                ("activity".to_owned(), "required"),
                ("description".to_owned(), "required"),
            ]
        );
        let vat_too_big = ExpenseInput {
            vat: "120".into(),
            ..input()
        };
        assert!(vat_too_big.parse(MARCH, TODAY).is_err());
        // A receipt forgotten in February goes into March's report.
        let earlier = ExpenseInput {
            date: "2026-02-20".into(),
            ..input()
        };
        assert!(earlier.parse(MARCH, TODAY).is_ok());
    }

    #[test]
    fn the_vat_of_a_category_rate_is_rounded_once_to_the_cent() {
        // 100 € at 20 %: 16.666… → 16.67; at 5.5 %: 5.2132… → 5.21; 10 % of 0.11: 0.01.
        assert_eq!(
            vat_included(Money::eur(10_000), Decimal::new(20, 2)).cents(),
            1_667
        );
        assert_eq!(
            vat_included(Money::eur(10_000), Decimal::new(55, 3)).cents(),
            521
        );
        assert_eq!(vat_included(Money::eur(11), Decimal::new(10, 2)).cents(), 1);
        assert_eq!(vat_included(Money::eur(10_000), Decimal::ZERO).cents(), 0);
    }

    #[test]
    fn a_report_refunds_what_was_paid_and_costs_it_less_the_vat_recovered() {
        let a = input().parse(MARCH, TODAY).ok();
        let b = ExpenseInput {
            amount: "30".into(),
            vat: "".into(),
            vat_recoverable: false,
            ..input()
        }
        .parse(MARCH, TODAY)
        .ok();
        let lines: Vec<Expense> = [a, b].into_iter().flatten().collect();
        let t = ReportTotals::of(&lines, &[Money::eur(6_060)]);
        assert_eq!(t.refund().cents(), 12_000 + 3_000 + 6_060);
        assert_eq!(t.recoverable_vat.cents(), 2_000);
        assert_eq!(t.cost().cents(), 21_060 - 2_000);
    }

    #[test]
    fn exp_04_a_receipt_is_a_photo_or_a_pdf_of_bounded_size() {
        assert_eq!(check_receipt(b"%PDF-1.7 ..."), Ok("application/pdf"));
        assert_eq!(
            check_receipt(&[0xff, 0xd8, 0xff, 0xe0, 0]),
            Ok("image/jpeg")
        );
        assert_eq!(check_receipt(b"MZ\x90\0"), Err("file_type"));
        assert_eq!(check_receipt(b""), Err("required"));
        let big = vec![b'%'; crate::document::MAX_BYTES + 1];
        assert_eq!(check_receipt(&big), Err("file_too_large"));
    }

    #[test]
    fn a_month_is_typed_as_year_dash_month() {
        assert_eq!(ReportMonth::parse("2026-03"), Ok(MARCH));
        assert_eq!(MARCH.to_string(), "2026-03");
        assert_eq!(MARCH.last_day(), Some(date!(2026 - 03 - 31)));
        assert_eq!(ReportMonth::parse("2026-13"), Err("month_format"));
        assert_eq!(ReportMonth::of(date!(2026 - 03 - 31)), MARCH);
    }
}
