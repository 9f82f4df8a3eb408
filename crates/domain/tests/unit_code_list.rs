//! Every unit Essaim can write in an electronic invoice is in the EN 16931 unit code list
//! (BR-CL-23, EIN-11). The list is read out of the CEN/TC 434 CII schematron vendored in
//! `../shared/tools/vendor/en16931-cii/`, the same file the independent checker runs.

#![allow(clippy::expect_used)] // a missing code list should stop the test loudly

use essaim_domain::selling::unit::{UNITS, trade_quantity};
use rust_decimal::Decimal;

fn en16931_unit_codes() -> Vec<String> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/tools/vendor/en16931-cii/EN16931-CII-validation.xslt"
    );
    let xslt = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("the vendored EN 16931 schematron {path}: {e}"));
    // The rule on BT-130/BT-150: `contains(' 10 11 … ZZ ', concat(' ', normalize-space(@unitCode), ' '))`.
    let rule = xslt
        .find("ram:BasisQuantity[@unitCode] | ram:BilledQuantity[@unitCode]")
        .expect("the unit code rule of the schematron");
    let rest = &xslt[rule..];
    let start = rest.find("contains('").expect("the code list of the rule") + "contains('".len();
    let end = start + rest[start..].find('\'').expect("the end of the code list");
    rest[start..end]
        .split_whitespace()
        .map(str::to_owned)
        .collect()
}

#[test]
fn every_unit_essaim_emits_is_in_the_en16931_code_list() {
    let codes = en16931_unit_codes();
    assert!(codes.len() > 1000, "read {} codes only", codes.len());
    // The list is the one the checker rejects our old half-day code with.
    assert!(!codes.iter().any(|c| c == "HD"));
    for unit in &UNITS {
        let q = trade_quantity(unit.code, Decimal::ONE).expect("an offered unit");
        assert!(
            codes.iter().any(|c| c == q.code),
            "{} ({}) is written as {}, which is not in the EN 16931 list",
            unit.code,
            unit.singular,
            q.code
        );
    }
}
