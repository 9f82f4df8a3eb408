//! Writes the sample sale documents of a French cooperative (`essaim_documents::sale::samples`)
//! into a folder, to look at them and to check them with `facturx-check`
//! (`scripts/check-facturx`): for each invoice, deposit invoice and credit note `NAME.pdf`
//! (Factur-X PDF/A-3b) and `NAME.xml` (its CII XML); for the quote and the draft, `NAME.pdf` only.
//! Business customers in France have names starting with `fr-b2b-`.
//!
//! `cargo run -p essaim-documents --example facturx_samples -- OUTDIR [ROUNDS]`: with ROUNDS,
//! also renders every Factur-X PDF that many times and prints the time per PDF.
use std::path::PathBuf;
use std::time::Instant;

use essaim_documents::sale::{cii_xml, is_facturx, sale_pdf, samples};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let out = PathBuf::from(args.next().unwrap_or_else(|| "facturx-samples".into()));
    let rounds: u32 = args.next().map(|r| r.parse()).transpose()?.unwrap_or(0);
    std::fs::create_dir_all(&out)?;
    let branding = samples::branding();
    let samples = samples::all();
    for sample in &samples {
        let pdf = sale_pdf(&sample.doc, &branding)?;
        std::fs::write(out.join(format!("{}.pdf", sample.name)), pdf)?;
        if is_facturx(&sample.doc) {
            std::fs::write(
                out.join(format!("{}.xml", sample.name)),
                cii_xml(&sample.doc)?,
            )?;
        }
    }
    println!("{} samples written to {}", samples.len(), out.display());
    if rounds > 0 {
        let invoices: Vec<_> = samples.iter().filter(|s| is_facturx(&s.doc)).collect();
        let mut total = 0.0;
        for sample in &invoices {
            let start = Instant::now();
            for _ in 0..rounds {
                sale_pdf(&sample.doc, &branding)?;
            }
            let seconds = start.elapsed().as_secs_f64();
            total += seconds;
            println!(
                "  {}: {:.2} ms",
                sample.name,
                seconds * 1000.0 / f64::from(rounds)
            );
        }
        let count = f64::from(rounds) * invoices.len() as f64;
        let per_pdf = total / count;
        println!(
            "{count} Factur-X PDFs: {:.2} ms per PDF, {:.0} PDFs per second (one core)",
            per_pdf * 1000.0,
            1.0 / per_pdf
        );
    }
    Ok(())
}
