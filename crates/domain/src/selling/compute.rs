//! Amounts of a sale document, by EN 16931 arithmetic (INV-42, BR-CO rules):
//! line net = round(qty × unit price HT, 2) − line allowance; document allowances per VAT rate;
//! VAT per rate = round(Σ bases of that rate × rate, 2), never a sum of rounded line VAT;
//! total TTC = Σ bases + Σ VAT. Rounding is half away from zero, to the cent, at those steps only.
//!
//! Entry in TTC (prices including VAT, for shops selling to individuals): the unit price HT is
//! derived as round(price TTC ÷ (1 + rate), 4) — four decimals, the precision EN 16931 allows for
//! a net price (BT-146) — and the document is then computed in HT like any other, so the
//! printed total TTC may differ from quantity × price TTC by a cent; the form shows the result.

use super::vat::{self, VatCategory, VatOption};
use rust_decimal::{Decimal, RoundingStrategy, prelude::ToPrimitive};
use time::Date;

/// Whether prices and amount discounts were typed excluding or including VAT.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PriceBasis {
    Ht,
    Ttc,
}

impl PriceBasis {
    pub fn code(self) -> &'static str {
        match self {
            PriceBasis::Ht => "ht",
            PriceBasis::Ttc => "ttc",
        }
    }
    pub fn parse(code: &str) -> Option<PriceBasis> {
        match code {
            "ht" => Some(PriceBasis::Ht),
            "ttc" => Some(PriceBasis::Ttc),
            _ => None,
        }
    }
}

/// A discount on a line or on the whole document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Discount {
    /// A percentage, e.g. 10 for 10 %.
    Percent(Decimal),
    /// An amount in cents, in the document's price basis.
    Amount(i64),
}

/// One item line as typed (or generated: deposit deductions).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItemLine {
    pub label: String,
    pub description: Option<String>,
    pub quantity: Decimal,
    pub unit: String,
    /// Unit price in the document's basis, at most 4 decimals.
    pub unit_price: Decimal,
    pub vat_code: String,
    pub discount: Option<Discount>,
    pub goods: bool,
    /// A generated line of a final invoice deducting a deposit (INV-31): it may be negative and
    /// is not discounted again by the overall discount.
    pub deduction: bool,
}

/// A row of the document body: a section heading or an item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Row {
    Section(String),
    Item(ItemLine),
}

/// An item with its amounts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ComputedLine {
    pub position: u32,
    pub section: Option<String>,
    pub item: ItemLine,
    pub vat: &'static VatOption,
    pub unit_price_ht: Decimal,
    pub gross_cents: i64,
    pub allowance_cents: i64,
    pub allowance_percent: Option<Decimal>,
    pub net_cents: i64,
}

/// A document allowance on one VAT rate (BG-20).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ComputedAllowance {
    pub vat: &'static VatOption,
    pub percent: Option<Decimal>,
    pub base_cents: i64,
    pub amount_cents: i64,
}

/// VAT of one category and rate (BG-23).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VatLine {
    pub vat: &'static VatOption,
    pub basis_cents: i64,
    pub vat_cents: i64,
}

/// Totals (BG-22).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    pub line_total_cents: i64,
    pub allowance_total_cents: i64,
    pub tax_basis_cents: i64,
    pub tax_total_cents: i64,
    pub grand_total_cents: i64,
}

/// A section heading and the sum of the line nets under it (for display).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SectionTotal {
    pub title: String,
    pub net_cents: i64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Computed {
    pub lines: Vec<ComputedLine>,
    pub allowances: Vec<ComputedAllowance>,
    pub vat: Vec<VatLine>,
    pub sections: Vec<SectionTotal>,
    pub totals: Totals,
}

impl Computed {
    pub fn has_goods(&self) -> bool {
        self.lines.iter().any(|l| l.item.goods)
    }
    pub fn has_services(&self) -> bool {
        self.lines.iter().any(|l| !l.item.goods)
    }
}

/// Why a document cannot be computed; `line` is the 0-based row index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ComputeError {
    NoLine,
    VatUnknown { row: usize },
    DiscountExceedsLine { row: usize },
    DiscountExceedsTotal,
    AmountRange,
}

impl ComputeError {
    pub fn code(&self) -> &'static str {
        match self {
            ComputeError::NoLine => "lines_empty",
            ComputeError::VatUnknown { .. } => "vat_unknown",
            ComputeError::DiscountExceedsLine { .. } => "discount_exceeds_line",
            ComputeError::DiscountExceedsTotal => "discount_exceeds_total",
            ComputeError::AmountRange => "amount_range",
        }
    }
}

/// Rounds to the cent, half away from zero (GEN-02), as cents.
pub fn round_cents(amount: Decimal) -> Result<i64, ComputeError> {
    (amount * Decimal::ONE_HUNDRED)
        .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
        .to_i64()
        .ok_or(ComputeError::AmountRange)
}

pub fn cents_to_decimal(cents: i64) -> Decimal {
    Decimal::new(cents, 2)
}

fn percent_of(base_cents: i64, percent: Decimal) -> Result<i64, ComputeError> {
    let v = cents_to_decimal(base_cents)
        .checked_mul(percent)
        .ok_or(ComputeError::AmountRange)?
        / Decimal::ONE_HUNDRED;
    round_cents(v)
}

fn ht_from_ttc(ttc: Decimal, vat: &VatOption, dp: u32) -> Decimal {
    let factor = Decimal::ONE + vat.rate / Decimal::ONE_HUNDRED;
    (ttc / factor).round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero)
}

/// Splits `total` cents in proportion to `weights` (largest remainder: the parts add up exactly).
pub fn split_proportionally(total: i64, weights: &[i64]) -> Vec<i64> {
    let sum: i128 = weights.iter().map(|w| i128::from(*w)).sum();
    if sum == 0 || weights.is_empty() {
        let mut out = vec![0; weights.len()];
        if let Some(first) = out.first_mut() {
            *first = total;
        }
        return out;
    }
    let mut parts: Vec<i64> = Vec::with_capacity(weights.len());
    let mut remainders: Vec<(i128, usize)> = Vec::with_capacity(weights.len());
    for (i, w) in weights.iter().enumerate() {
        let exact = i128::from(total) * i128::from(*w);
        let part = exact.div_euclid(sum);
        remainders.push((exact.rem_euclid(sum), i));
        parts.push(i64::try_from(part).unwrap_or(0));
    }
    let mut left = total - parts.iter().sum::<i64>();
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, i) in remainders.iter().cycle() {
        if left == 0 {
            break;
        }
        let step = left.signum();
        if let Some(p) = parts.get_mut(*i) {
            *p += step;
        }
        left -= step;
    }
    parts
}

/// Computes a document: its lines, allowances per rate, VAT per rate and totals. `on` picks the
/// VAT options valid on the document's date (GEN-01).
pub fn compute(
    rows: &[Row],
    basis: PriceBasis,
    overall: Option<Discount>,
    on: Date,
) -> Result<Computed, ComputeError> {
    let mut lines = Vec::new();
    let mut sections: Vec<SectionTotal> = Vec::new();
    let mut current: Option<String> = None;
    for (row_index, row) in rows.iter().enumerate() {
        let item = match row {
            Row::Section(title) => {
                current = Some(title.clone());
                sections.push(SectionTotal {
                    title: title.clone(),
                    net_cents: 0,
                });
                continue;
            }
            Row::Item(item) => item,
        };
        let vat =
            vat::option(&item.vat_code, on).ok_or(ComputeError::VatUnknown { row: row_index })?;
        let unit_price_ht = match basis {
            PriceBasis::Ht => item.unit_price,
            PriceBasis::Ttc => ht_from_ttc(item.unit_price, vat, 4),
        };
        let gross_cents = round_cents(
            item.quantity
                .checked_mul(unit_price_ht)
                .ok_or(ComputeError::AmountRange)?,
        )?;
        let (allowance_cents, allowance_percent) = match item.discount {
            None => (0, None),
            Some(Discount::Percent(p)) => (percent_of(gross_cents, p)?, Some(p)),
            Some(Discount::Amount(a)) => match basis {
                PriceBasis::Ht => (a, None),
                PriceBasis::Ttc => (round_cents(ht_from_ttc(cents_to_decimal(a), vat, 2))?, None),
            },
        };
        if allowance_cents.abs() > gross_cents.abs() || (allowance_cents != 0 && gross_cents < 0) {
            return Err(ComputeError::DiscountExceedsLine { row: row_index });
        }
        let net_cents = gross_cents - allowance_cents;
        if let Some(s) = sections.last_mut().filter(|_| current.is_some()) {
            s.net_cents += net_cents;
        }
        lines.push(ComputedLine {
            position: u32::try_from(lines.len() + 1).map_err(|_| ComputeError::AmountRange)?,
            section: current.clone(),
            item: item.clone(),
            vat,
            unit_price_ht,
            gross_cents,
            allowance_cents,
            allowance_percent,
            net_cents,
        });
    }
    if lines.is_empty() {
        return Err(ComputeError::NoLine);
    }

    // Groups by VAT option, in the order of the table (stable output).
    // Per VAT option: (option, Σ nets, Σ nets open to the overall discount).
    let mut all: Vec<(&'static VatOption, i64, i64)> = Vec::new();
    for l in &lines {
        let discountable = if l.item.deduction { 0 } else { l.net_cents };
        match all.iter_mut().find(|(v, _, _)| v.code == l.vat.code) {
            Some((_, sum, d)) => {
                *sum += l.net_cents;
                *d += discountable;
            }
            None => all.push((l.vat, l.net_cents, discountable)),
        }
    }
    all.sort_by_key(|(v, _, _)| vat::FRANCE.iter().position(|o| o.code == v.code));
    let groups: Vec<(&'static VatOption, i64)> = all.iter().map(|(v, _, d)| (*v, *d)).collect();

    let line_total_cents: i64 = all.iter().map(|(_, s, _)| s).sum();
    let mut allowances = Vec::new();
    match overall {
        None => {}
        Some(Discount::Percent(p)) => {
            for (v, base) in &groups {
                let amount = percent_of(*base, p)?;
                if amount != 0 {
                    allowances.push(ComputedAllowance {
                        vat: v,
                        percent: Some(p),
                        base_cents: *base,
                        amount_cents: amount,
                    });
                }
            }
        }
        Some(Discount::Amount(a)) => {
            let weights: Vec<i64> = groups.iter().map(|(_, b)| *b).collect();
            let amounts: Vec<i64> = match basis {
                PriceBasis::Ht => split_proportionally(a, &weights),
                PriceBasis::Ttc => split_proportionally(a, &weights)
                    .into_iter()
                    .zip(&groups)
                    .map(|(ttc, (v, _))| round_cents(ht_from_ttc(cents_to_decimal(ttc), v, 2)))
                    .collect::<Result<_, _>>()?,
            };
            for ((v, base), amount) in groups.iter().zip(amounts) {
                if amount != 0 {
                    allowances.push(ComputedAllowance {
                        vat: v,
                        percent: None,
                        base_cents: *base,
                        amount_cents: amount,
                    });
                }
            }
        }
    }
    let allowance_total_cents: i64 = allowances.iter().map(|a| a.amount_cents).sum();
    let discountable_total: i64 = groups.iter().map(|(_, d)| d).sum();
    if allowance_total_cents != 0 && allowance_total_cents > discountable_total {
        return Err(ComputeError::DiscountExceedsTotal);
    }

    let mut vat_lines = Vec::new();
    for (v, base, _) in &all {
        let allowance: i64 = allowances
            .iter()
            .filter(|a| a.vat.code == v.code)
            .map(|a| a.amount_cents)
            .sum();
        let basis_cents = base - allowance;
        let vat_cents = percent_of(basis_cents, v.rate)?;
        vat_lines.push(VatLine {
            vat: v,
            basis_cents,
            vat_cents,
        });
    }
    let tax_basis_cents = line_total_cents - allowance_total_cents;
    let tax_total_cents: i64 = vat_lines.iter().map(|v| v.vat_cents).sum();
    Ok(Computed {
        lines,
        allowances,
        vat: vat_lines,
        sections,
        totals: Totals {
            line_total_cents,
            allowance_total_cents,
            tax_basis_cents,
            tax_total_cents,
            grand_total_cents: tax_basis_cents + tax_total_cents,
        },
    })
}

/// The same document with its prices excluding VAT, as `computed` priced them: what a document
/// derived from it carries (a final invoice that deducts deposits in HT, a credit note). Unit
/// prices become the computed HT prices and amount discounts the computed HT allowances, so the
/// derived document, computed in HT, gives the same amounts. `rows` and `computed` must be the
/// same document.
pub fn in_ht(
    rows: Vec<Row>,
    computed: &Computed,
    overall: Option<Discount>,
) -> (Vec<Row>, Option<Discount>) {
    let mut priced = computed.lines.iter();
    let rows = rows
        .into_iter()
        .map(|r| match r {
            Row::Item(mut i) => {
                if let Some(c) = priced.next() {
                    i.unit_price = c.unit_price_ht;
                    if let Some(Discount::Amount(_)) = i.discount {
                        i.discount = Some(Discount::Amount(c.allowance_cents));
                    }
                }
                Row::Item(i)
            }
            section => section,
        })
        .collect();
    let overall = match overall {
        Some(Discount::Amount(_)) => Some(Discount::Amount(computed.totals.allowance_total_cents)),
        d => d,
    };
    (rows, overall)
}

/// Whether the document sells goods, services or both (INV-06), as the French wording and the
/// "cadre de facturation" code (BT-23: B1 goods, S1 services, M1 mixed).
pub fn nature(computed: &Computed) -> (&'static str, &'static str) {
    match (computed.has_goods(), computed.has_services()) {
        (true, false) => ("Livraison de biens", "B1"),
        (true, true) => ("Livraison de biens et prestations de services", "M1"),
        _ => ("Prestations de services", "S1"),
    }
}

/// The VAT categories in use are consistent: a reverse-charge line cannot sit beside a standard
/// one for the same customer, for instance. Returns the categories present.
pub fn categories(computed: &Computed) -> Vec<VatCategory> {
    let mut out: Vec<VatCategory> = computed.vat.iter().map(|v| v.vat.category).collect();
    out.sort();
    out.dedup();
    out
}

/// Parses a quantity or a price as typed in French or English: `1,5`, `1 200.25`; at most
/// `max_dp` decimals; `allow_negative` for generated deduction lines only.
pub fn parse_decimal(input: &str, max_dp: u32) -> Result<Decimal, &'static str> {
    let cleaned: String = input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{202f}' && *c != '€' && *c != '%')
        .map(|c| if c == ',' { '.' } else { c })
        .collect();
    if cleaned.is_empty() {
        return Err("required");
    }
    let v: Decimal = cleaned.parse().map_err(|_| "number_format")?;
    if v.scale() > max_dp {
        return Err("number_precision");
    }
    if v.abs() > Decimal::from(1_000_000_000i64) {
        return Err("number_range");
    }
    Ok(v.normalize())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const ON: Date = date!(2026 - 06 - 15);

    fn item(qty: &str, price: &str, vat: &str, discount: Option<Discount>) -> Row {
        Row::Item(ItemLine {
            label: "Prestation".into(),
            description: None,
            quantity: qty.parse().unwrap(),
            unit: "HUR".into(),
            unit_price: price.parse().unwrap(),
            vat_code: vat.into(),
            discount,
            goods: false,
            deduction: false,
        })
    }

    #[test]
    fn inv_42_vat_is_computed_per_rate_on_the_sum_of_line_nets() {
        // Three lines at 20 % of 0.33 € each: per-line VAT would be 3 × 0.07 = 0.21; the rule
        // gives round(0.99 × 20 %) = 0.20.
        let rows = vec![
            item("1", "0.33", "fr20", None),
            item("1", "0.33", "fr20", None),
            item("1", "0.33", "fr20", None),
        ];
        let c = compute(&rows, PriceBasis::Ht, None, ON).unwrap();
        assert_eq!(c.totals.line_total_cents, 99);
        assert_eq!(c.totals.tax_total_cents, 20);
        assert_eq!(c.totals.grand_total_cents, 119);
    }

    #[test]
    fn inv_42_line_net_is_rounded_once_then_discounted() {
        let rows = vec![item(
            "3",
            "33.335",
            "fr20",
            Some(Discount::Percent(Decimal::new(10, 0))),
        )];
        let c = compute(&rows, PriceBasis::Ht, None, ON).unwrap();
        let l = &c.lines[0];
        assert_eq!(l.gross_cents, 10001); // 100.005 → 100.01 (half away from zero)
        assert_eq!(l.allowance_cents, 1000); // 10 % of 100.01 = 10.001 → 10.00
        assert_eq!(l.net_cents, 9001);
    }

    #[test]
    fn several_rates_and_an_overall_discount_follow_br_co() {
        let rows = vec![
            Row::Section("Conception".into()),
            item("2", "450", "fr20", None),
            item("1", "120", "fr10", Some(Discount::Amount(2000))),
            Row::Section("Formation".into()),
            item("7", "100", "exempt_261_4_4a", None),
            item("3", "12.50", "fr5_5", None),
        ];
        let c = compute(
            &rows,
            PriceBasis::Ht,
            Some(Discount::Percent(Decimal::new(5, 0))),
            ON,
        )
        .unwrap();
        assert_eq!(c.sections[0].net_cents, 90000 + 10000);
        assert_eq!(c.sections[1].net_cents, 70000 + 3750);
        // BR-CO-10, 13, 14, 15 equalities.
        assert_eq!(
            c.totals.line_total_cents,
            c.lines.iter().map(|l| l.net_cents).sum::<i64>()
        );
        assert_eq!(
            c.totals.tax_basis_cents,
            c.totals.line_total_cents - c.totals.allowance_total_cents
        );
        assert_eq!(
            c.totals.tax_total_cents,
            c.vat.iter().map(|v| v.vat_cents).sum::<i64>()
        );
        assert_eq!(
            c.totals.grand_total_cents,
            c.totals.tax_basis_cents + c.totals.tax_total_cents
        );
        let fr20 = c.vat.iter().find(|v| v.vat.code == "fr20").unwrap();
        assert_eq!(fr20.basis_cents, 90000 - 4500);
        assert_eq!(fr20.vat_cents, 17100);
        let exempt = c
            .vat
            .iter()
            .find(|v| v.vat.code == "exempt_261_4_4a")
            .unwrap();
        assert_eq!(exempt.vat_cents, 0);
        assert_eq!(nature(&c), ("Prestations de services", "S1"));
    }

    #[test]
    fn a_ttc_document_restated_in_ht_gives_the_same_amounts() {
        let rows = vec![
            item("2", "49.90", "fr20", Some(Discount::Amount(500))),
            item("1", "12", "fr5_5", None),
        ];
        // An overall discount given as an amount TTC is split across rates, then restated as
        // one HT amount split again: a cent may move between rates (noted in the docs); a
        // percentage gives the same amounts exactly.
        let overall = Some(Discount::Percent(Decimal::new(5, 0)));
        let ttc = compute(&rows, PriceBasis::Ttc, overall, ON).unwrap();
        let (ht_rows, ht_overall) = in_ht(rows, &ttc, overall);
        let ht = compute(&ht_rows, PriceBasis::Ht, ht_overall, ON).unwrap();
        assert_eq!(ht.totals, ttc.totals);
        assert_eq!(ht.vat, ttc.vat);
    }

    #[test]
    fn ttc_entry_derives_the_ht_price_to_four_decimals() {
        let rows = vec![item("1", "49.90", "fr20", None)];
        let c = compute(&rows, PriceBasis::Ttc, None, ON).unwrap();
        assert_eq!(c.lines[0].unit_price_ht, Decimal::new(415833, 4));
        assert_eq!(c.totals.tax_basis_cents, 4158);
        assert_eq!(c.totals.grand_total_cents, 4990);
    }

    #[test]
    fn discounts_cannot_exceed_what_they_discount() {
        let rows = vec![item("1", "10", "fr20", Some(Discount::Amount(1001)))];
        assert_eq!(
            compute(&rows, PriceBasis::Ht, None, ON),
            Err(ComputeError::DiscountExceedsLine { row: 0 })
        );
        let rows = vec![item("1", "10", "fr20", None)];
        assert_eq!(
            compute(&rows, PriceBasis::Ht, Some(Discount::Amount(1001)), ON),
            Err(ComputeError::DiscountExceedsTotal)
        );
        assert_eq!(
            compute(&[], PriceBasis::Ht, None, ON),
            Err(ComputeError::NoLine)
        );
        let rows = vec![item("1", "10", "fr99", None)];
        assert_eq!(
            compute(&rows, PriceBasis::Ht, None, ON),
            Err(ComputeError::VatUnknown { row: 0 })
        );
    }

    #[test]
    fn an_overall_amount_is_split_across_rates_exactly() {
        let rows = vec![
            item("1", "100", "fr20", None),
            item("1", "200", "fr10", None),
        ];
        let c = compute(&rows, PriceBasis::Ht, Some(Discount::Amount(1000)), ON).unwrap();
        let parts: Vec<i64> = c.allowances.iter().map(|a| a.amount_cents).collect();
        assert_eq!(parts.iter().sum::<i64>(), 1000);
        assert_eq!(parts, vec![333, 667]);
    }

    #[test]
    fn proportional_split_adds_up() {
        assert_eq!(split_proportionally(100, &[1, 1, 1]), vec![34, 33, 33]);
        assert_eq!(
            split_proportionally(-100, &[1, 1, 1]).iter().sum::<i64>(),
            -100
        );
        assert_eq!(split_proportionally(5, &[0, 0]), vec![5, 0]);
    }

    #[test]
    fn typed_numbers_are_parsed_strictly() {
        assert_eq!(parse_decimal("1,5", 4), Ok(Decimal::new(15, 1)));
        assert_eq!(parse_decimal("1 200.25", 4), Ok(Decimal::new(120025, 2)));
        assert_eq!(parse_decimal("0,12345", 4), Err("number_precision"));
        assert_eq!(parse_decimal("abc", 4), Err("number_format"));
        assert_eq!(parse_decimal("", 4), Err("required"));
    }
}
