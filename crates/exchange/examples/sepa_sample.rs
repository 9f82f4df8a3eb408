//! Writes a SEPA credit-transfer file (pain.001.001.09) of N refunds, for the independent checker
//! (`scripts/check-sepa`), and says how long writing it took.
//! `cargo run --release -p essaim-exchange --example sepa_sample -- OUT.xml [N]`

use essaim_exchange::sepa::{sample, write_pain001};
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let out = args.next().ok_or("usage: sepa_sample OUT.xml [N]")?;
    let n: usize = args.next().map(|a| a.parse()).transpose()?.unwrap_or(500);
    let batch = sample(n);
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
