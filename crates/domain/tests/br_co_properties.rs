//! Property tests of the EN 16931 arithmetic (BR-CO rules, INV-42) on random documents.

use essaim_domain::selling::compute::{Discount, ItemLine, PriceBasis, Row, compute};
use proptest::prelude::*;
use rust_decimal::{Decimal, RoundingStrategy};
use time::macros::date;

const VAT_CODES: [&str; 5] = ["fr20", "fr10", "fr5_5", "fr2_1", "exempt_261_4_4a"];

fn line() -> impl Strategy<Value = Row> {
    (
        1i64..100_000,   // quantity in ten-thousandths... scaled below
        0u32..4,         // quantity decimals
        0i64..5_000_000, // unit price in ten-thousandths of a euro
        0usize..VAT_CODES.len(),
        prop_oneof![
            Just(None),
            (1i64..100).prop_map(|p| Some(Discount::Percent(Decimal::new(p, 0))))
        ],
        any::<bool>(),
    )
        .prop_map(|(q, qdp, p, v, discount, goods)| {
            Row::Item(ItemLine {
                label: "x".into(),
                description: None,
                quantity: Decimal::new(q, qdp),
                unit: "C62".into(),
                unit_price: Decimal::new(p, 4),
                vat_code: VAT_CODES[v].into(),
                discount,
                goods,
                deduction: false,
            })
        })
}

fn round2(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn br_co_equalities_hold(
        rows in prop::collection::vec(line(), 1..25),
        overall in prop_oneof![Just(None), (1i64..50).prop_map(|p| Some(Discount::Percent(Decimal::new(p, 0))))],
        ttc in any::<bool>(),
    ) {
        let basis = if ttc { PriceBasis::Ttc } else { PriceBasis::Ht };
        let c = compute(&rows, basis, overall, date!(2026 - 06 - 15)).unwrap();
        let t = c.totals;
        // Line net = round(qty × price HT, 2) − allowance (INV-42).
        for l in &c.lines {
            let gross = round2(l.item.quantity * l.unit_price_ht);
            prop_assert_eq!(Decimal::new(l.gross_cents, 2), gross);
            prop_assert_eq!(l.net_cents, l.gross_cents - l.allowance_cents);
        }
        // BR-CO-10: BT-106 = Σ BT-131.
        prop_assert_eq!(t.line_total_cents, c.lines.iter().map(|l| l.net_cents).sum::<i64>());
        // BR-CO-11: BT-107 = Σ BT-92.
        prop_assert_eq!(t.allowance_total_cents, c.allowances.iter().map(|a| a.amount_cents).sum::<i64>());
        // BR-CO-13: BT-109 = BT-106 − BT-107.
        prop_assert_eq!(t.tax_basis_cents, t.line_total_cents - t.allowance_total_cents);
        // BR-CO-14: BT-110 = Σ BT-117.
        prop_assert_eq!(t.tax_total_cents, c.vat.iter().map(|v| v.vat_cents).sum::<i64>());
        // BR-CO-15: BT-112 = BT-109 + BT-110.
        prop_assert_eq!(t.grand_total_cents, t.tax_basis_cents + t.tax_total_cents);
        // BR-CO-17 and BR-S-08: per rate, basis = Σ nets − allowances; VAT = round(basis × rate).
        for v in &c.vat {
            let nets: i64 = c.lines.iter().filter(|l| l.vat.code == v.vat.code).map(|l| l.net_cents).sum();
            let allow: i64 = c.allowances.iter().filter(|a| a.vat.code == v.vat.code).map(|a| a.amount_cents).sum();
            prop_assert_eq!(v.basis_cents, nets - allow);
            prop_assert_eq!(
                Decimal::new(v.vat_cents, 2),
                round2(Decimal::new(v.basis_cents, 2) * v.vat.rate / Decimal::ONE_HUNDRED)
            );
        }
        prop_assert_eq!(t.tax_basis_cents, c.vat.iter().map(|v| v.basis_cents).sum::<i64>());
    }
}
