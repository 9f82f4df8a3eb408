//! `essaim bench-einvoicing`: the e-invoicing targets of issue 20, measured end to end against
//! the conformance platform in the same process (release build; SQLite or PostgreSQL):
//! validated invoices deposited (Factur-X rendered, deposited once, acknowledgement read), a
//! synchronisation of status messages, and the readers of received invoices.

use anyhow::{Context, Result};
use clap::Args;
use essaim_app::demo;
use essaim_einvoicing::conformance::{Sandbox, Setup};
use essaim_einvoicing::wire::{FlowSyntax, FlowType};
use std::time::{Duration, Instant};

#[derive(Args, Debug)]
pub struct EinvoicingBenchArgs {
    /// A SQLite URL (a fresh file) or a PostgreSQL server URL (a fresh database beside it,
    /// dropped afterwards).
    #[arg(long, default_value = "sqlite://target/bench-einvoicing.db?mode=rwc")]
    database_url: String,
    /// Entrepreneurs of the seeded cooperative (about 30 invoices a year each).
    #[arg(long, default_value_t = 90)]
    entrepreneurs: u32,
    /// Invoices to deposit.
    #[arg(long, default_value_t = 1000)]
    invoices: usize,
    /// Status messages to synchronise.
    #[arg(long, default_value_t = 10_000)]
    flows: usize,
}

pub async fn run(args: EinvoicingBenchArgs) -> Result<()> {
    let err = |e: essaim_app::AppError| anyhow::anyhow!("{e}");
    let (url, pg) = if args.database_url.starts_with("postgres") {
        let name = format!("essaim_bench_ein_{}", std::process::id());
        let url = essaim_storage::create_postgres_database(&args.database_url, &name)
            .await
            .context("creating the bench database")?;
        (url, Some(name))
    } else {
        if let Some(path) = args
            .database_url
            .strip_prefix("sqlite://")
            .and_then(|p| p.split('?').next())
        {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{path}{suffix}"));
            }
        }
        (args.database_url.clone(), None)
    };
    let store = crate::open_store(&url, 8).await?;
    let key = essaim_app::secret::SecretKey::generate().map_err(|e| anyhow::anyhow!("{e}"))?;
    let key = essaim_app::secret::SecretKey::parse(&key).map_err(|e| anyhow::anyhow!("{e}"))?;
    let app = essaim_app::App::new(
        store.clone(),
        std::sync::Arc::new(essaim_app::SystemClock),
        essaim_app::mail::Mailer::new(None, "essaim@localhost").map_err(|e| anyhow::anyhow!(e))?,
        essaim_app::Config {
            files_dir: std::path::PathBuf::from("target/bench-einvoicing-files"),
            secret_key: Some(key),
            ..essaim_app::Config::default()
        },
    );
    let started = Instant::now();
    demo::seed(
        &app,
        demo::DemoOptions {
            cooperatives: 1,
            entrepreneurs: args.entrepreneurs,
            years: 2,
            seed: 2026,
        },
    )
    .await
    .map_err(err)?;
    store.vacuum_analyze().await?;
    println!(
        "seeded in {:.1} s ({})",
        started.elapsed().as_secs_f64(),
        store.backend()
    );
    let platform = Sandbox::start(Setup {
        start: app.clock.now(),
        follow_clock: true,
        ..Setup::default()
    })
    .await?;
    essaim_app::einvoicing::connect_demo_platform(&app, &platform.connection())
        .await
        .map_err(err)?;
    let coop = {
        let mut tx = app.store.read().await?;
        let ids = essaim_storage::cooperative::all_ids(&mut tx).await?;
        tx.commit().await?;
        *ids.first().context("a cooperative")?
    };

    // 1. Deposits, end to end: queued, then the worker renders each Factur-X, deposits it once
    //    and reads the platform's acknowledgement.
    let docs = {
        let mut tx = app.store.read().await?;
        let d = essaim_storage::einvoicing::unsent_business_invoices(
            &mut tx,
            coop,
            i64::try_from(args.invoices)?,
        )
        .await?;
        tx.commit().await?;
        d
    };
    anyhow::ensure!(
        docs.len() == args.invoices,
        "only {} business invoices to deposit; seed more entrepreneurs",
        docs.len()
    );
    let started = Instant::now();
    for (doc, _) in &docs {
        essaim_app::einvoicing::sending::queue(&app, coop, *doc)
            .await
            .map_err(err)?;
    }
    // Two workers, as `essaim serve` runs by default (`--workers`).
    let worker = |app: essaim_app::App| async move {
        while essaim_app::jobs::run_once(&app).await? {}
        Ok::<_, essaim_app::AppError>(())
    };
    let (a, b) = tokio::join!(worker(app.clone()), worker(app.clone()));
    a.map_err(err)?;
    b.map_err(err)?;
    let deposit = started.elapsed();
    let deposited = platform.deposits().len();
    anyhow::ensure!(
        deposited == docs.len(),
        "{deposited} deposits for {} invoices",
        docs.len()
    );
    println!(
        "deposit: {} invoices (Factur-X) in {:.2} s — {:.1} ms each (target: 1,000 in under 10 s)",
        docs.len(),
        deposit.as_secs_f64(),
        deposit.as_secs_f64() * 1000.0 / docs.len() as f64
    );

    // 2. A synchronisation of status messages (CDAR), spread over the invoices sent.
    let today = app.clock.today();
    let numbers: Vec<String> = docs.iter().map(|(_, n)| n.clone()).collect();
    let seller = {
        let mut tx = app.store.read().await?;
        let c = essaim_storage::cooperative::find(&mut tx, coop)
            .await?
            .context("cooperative")?;
        tx.commit().await?;
        c.identity.siret.siren().as_str().to_owned()
    };
    // Buyer statuses may repeat; the platform's happen once per invoice.
    let cycle = [202u16, 203, 204, 205, 207, 209, 211, 205, 204, 207];
    for i in 0..args.flows {
        let number = &numbers[i % numbers.len()];
        let status = cycle[(i / numbers.len()) % cycle.len()];
        let xml = essaim_exchange::cdar::write_cdar(&essaim_exchange::cdar::StatusMessage {
            id: format!("bench-{i}"),
            issued_at: app.clock.now() + time::Duration::milliseconds(i as i64),
            issuer: essaim_exchange::cdar::Party {
                siren: "443061841".into(),
                name: "Client".into(),
                role: "BY".into(),
                address: None,
            },
            recipient: essaim_exchange::cdar::Party {
                siren: seller.clone(),
                name: "Coopérative".into(),
                role: "SE".into(),
                address: None,
            },
            invoice_number: number.clone(),
            invoice_type: "380".into(),
            invoice_date: today,
            seller_siren: seller.clone(),
            status,
            reason: (status == 207).then(|| ("PU_ERR".into(), "Prix".into())),
            collected: None,
        });
        platform.arrive(
            &format!("cdar-{i}.xml"),
            FlowSyntax::Cdar,
            FlowType::CustomerInvoiceLC,
            xml.into_bytes(),
        );
    }
    let started = Instant::now();
    let report = essaim_app::einvoicing::sync::sync_cooperative(&app, coop)
        .await
        .map_err(err)?;
    let sync = started.elapsed();
    println!(
        "sync: {} flows listed, {} statuses kept, {} unreadable in {:.2} s (target: 10,000 in under 5 s)",
        report.flows,
        report.statuses,
        report.unreadable,
        sync.as_secs_f64()
    );

    // 3. The readers of received invoices.
    let (ubl, cii) = essaim_app::einvoicing::demo::sample_received(today).map_err(err)?;
    let (ubl, cii) = (ubl.into_bytes(), cii.into_bytes());
    for (name, bytes, syntax) in [
        ("UBL", &ubl, FlowSyntax::Ubl),
        ("CII", &cii, FlowSyntax::Cii),
    ] {
        let n = 2000;
        let mut times: Vec<Duration> = Vec::with_capacity(n);
        for _ in 0..n {
            let t = Instant::now();
            let read = essaim_app::einvoicing::receiving::read_file(Some(syntax), bytes);
            times.push(t.elapsed());
            anyhow::ensure!(read.invoice.is_ok(), "{name} does not read");
        }
        times.sort();
        println!(
            "parse {name} ({} bytes): p50 {:.3} ms, p99 {:.3} ms (target: under 2 ms)",
            bytes.len(),
            times[n / 2].as_secs_f64() * 1000.0,
            times[n * 99 / 100].as_secs_f64() * 1000.0
        );
    }
    drop(app);
    store.close().await;
    if let Some(name) = pg {
        essaim_storage::drop_postgres_database(&args.database_url, &name).await?;
    }
    Ok(())
}
