//! FEC writer throughput: builds 1,000,000 book lines and prints lines per second.
//!
//! `cargo run --release -p essaim-exchange --example fec_speed`

use essaim_exchange::{BookLine, write_fec};
use std::time::Instant;
use time::{Date, Duration, Month};

const LINES: usize = 1_000_000;

fn book() -> Vec<BookLine> {
    let start = Date::from_calendar_date(2026, Month::January, 1).unwrap_or(Date::MIN);
    let accounts = [
        ("411000", "Clients"),
        ("706000", "Prestations de services"),
        ("445740", "TVA collectée sur encaissements"),
    ];
    (0..LINES)
        .map(|i| {
            let entry = i / 3;
            let day = start + Duration::days((entry % 365) as i64);
            let (account, account_label) = accounts[i % 3];
            let amount = (entry as i64 % 100_000) * 7 + 1;
            let (debit, credit) = if i % 3 == 0 {
                (amount * 3, 0)
            } else {
                (0, if i % 3 == 1 { amount * 2 } else { amount })
            };
            BookLine {
                journal_code: "VT".into(),
                journal_label: "Ventes".into(),
                entry_number: format!("VT{entry:06}"),
                entry_date: day,
                account: account.into(),
                account_label: account_label.into(),
                aux_code: (i % 3 == 0).then(|| format!("C{:05}", entry % 5000)),
                aux_label: (i % 3 == 0).then(|| "ACME SAS".into()),
                piece_ref: format!("2026-AB-{entry:05}"),
                piece_date: day,
                label: format!("Fact 2026-AB-{entry:05} ACME"),
                debit_cents: debit,
                credit_cents: credit,
                lettering: (i % 3 == 0).then(|| "AA".into()),
                lettered_on: (i % 3 == 0).then_some(day),
                validated_on: day,
                analytic: Some("AB".into()),
            }
        })
        .collect()
}

fn main() {
    let lines = book();
    let mut out = Vec::new();
    let mut best = f64::MAX;
    for _ in 0..5 {
        out.clear();
        let started = Instant::now();
        write_fec(&lines, &mut out);
        best = best.min(started.elapsed().as_secs_f64());
    }
    println!(
        "write_fec: {} lines, {:.1} MB, best of 5: {:.1} ms = {:.0} lines/s",
        lines.len(),
        out.len() as f64 / 1e6,
        best * 1e3,
        lines.len() as f64 / best
    );
}
