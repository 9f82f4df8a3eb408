//! Writes a SEPA credit-transfer file (pain.001.001.09) of N refunds, for the independent checker
//! (`scripts/check-sepa`), and says how long writing it took.
//! `cargo run --release -p essaim-exchange --example sepa_sample -- OUT.xml [N]`

use essaim_exchange::sepa::{Batch, Transfer, write_pain001};
use std::time::Instant;
use time::macros::date;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let out = args.next().ok_or("usage: sepa_sample OUT.xml [N]")?;
    let n: usize = args.next().map(|a| a.parse()).transpose()?.unwrap_or(500);
    let names = [
        "Zoé Lefèvre",
        "Anaïs Œuvray-Müller",
        "Jean-Noël d’Argent",
        "SARL Les Ateliers & Cie",
    ];
    let batch = Batch {
        message_id: "ESSAIM-SAMPLE-2026-12-07".into(),
        created_at: "2026-12-07T10:15:00".into(),
        execution_date: date!(2026 - 12 - 08),
        debtor_name: "Coopérative L'Essaim".into(),
        debtor_iban: "FR7630006000011234567890189".into(),
        debtor_bic: Some("AGRIFRPP".into()),
        transfers: (0..n)
            .map(|i| Transfer {
                end_to_end_id: format!("NDF-2026-11-{i:05}"),
                amount_cents: 1 + (i as i64 * 7_919) % 250_000,
                creditor_name: names[i % names.len()].into(),
                creditor_iban: "FR1420041010050500013M02606".into(),
                creditor_bic: (i % 3 != 0).then(|| "PSSTFRPPLIL".into()),
                remittance: format!("Remboursement note de frais n° {i} — novembre 2026"),
            })
            .collect(),
    };
    let t0 = Instant::now();
    let xml = write_pain001(&batch)?;
    let took = t0.elapsed();
    std::fs::write(&out, xml)?;
    println!(
        "{n} transfers written in {:.3} ms",
        took.as_secs_f64() * 1000.0
    );
    Ok(())
}
