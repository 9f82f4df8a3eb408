//! `essaim bench`: seeds a demo cooperative in a fresh database and measures the server-side time
//! of chosen pages over many requests, in process (no network), as p50/p95/p99.

use anyhow::{Context, Result};
use axum::body::Body;
use axum::http::{Request, header};
use clap::Args;
use essaim_app::{auth, demo};
use http_body_util::BodyExt;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tower::ServiceExt;

#[derive(Args, Debug)]
pub struct BenchArgs {
    /// Where to seed: a SQLite URL (a fresh file is made if it does not exist) or a PostgreSQL
    /// server URL (a fresh database is created beside it and dropped afterwards).
    #[arg(
        long,
        env = "ESSAIM_BENCH_DATABASE_URL",
        default_value = "sqlite://target/bench.db?mode=rwc"
    )]
    database_url: String,
    #[arg(long, default_value_t = 600)]
    entrepreneurs: u32,
    #[arg(long, default_value_t = 1000)]
    requests: usize,
    /// Years of demo history (about 30 invoices a year per activity).
    #[arg(long, default_value_t = 3)]
    years: u32,
    /// How many invoices to validate and to render as PDF/A-3 with Factur-X.
    #[arg(long, default_value_t = 300)]
    documents: usize,
    /// Keep an already seeded SQLite file instead of seeding a fresh one (faster reruns).
    #[arg(long)]
    reuse: bool,
    /// Print one JSON line per measure instead of a table.
    #[arg(long)]
    json: bool,
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let idx = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[idx.min(sorted.len() - 1)]
}

pub async fn run(args: BenchArgs) -> Result<()> {
    let (url, pg_cleanup) = if args.database_url.starts_with("postgres") {
        let name = format!("essaim_bench_{}", std::process::id());
        let url = essaim_storage::create_postgres_database(&args.database_url, &name)
            .await
            .context("creating the bench database")?;
        (url, Some(name))
    } else {
        if let Some(path) = args
            .database_url
            .strip_prefix("sqlite://")
            .and_then(|p| p.split('?').next())
            && !args.reuse
        {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{path}{suffix}"));
            }
        }
        (args.database_url.clone(), None)
    };
    let store = crate::open_store(&url, 8).await?;
    let app = crate::build_app(store.clone(), None)?;
    let started = Instant::now();
    let reused = args.reuse
        && demo::already_seeded(&app)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
    if !reused {
        demo::seed(
            &app,
            demo::DemoOptions {
                cooperatives: 1,
                entrepreneurs: args.entrepreneurs,
                years: args.years,
                seed: 2026,
            },
        )
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    let seeding = started.elapsed();
    store.vacuum_analyze().await?;
    let state = essaim_web::AppState {
        app: app.clone(),
        config: Arc::new(essaim_web::Config::default()),
    };
    let router = essaim_web::router(state);
    let cookie_of = async |email: &str| -> Result<String> {
        let s = auth::sign_in(&app, email, demo::DEMO_PASSWORD, "bench", "bench")
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        Ok(format!("essaim_session={}", s.cookie_token))
    };
    let entrepreneur = cookie_of("entrepreneur@demo.essaim.coop").await?;
    let invoices = {
        let mut tx = app.store.read().await?;
        let n: i64 = essaim_storage::sale::count_issued(&mut tx).await?;
        tx.commit().await?;
        n
    };
    let support = cookie_of("validation@demo.essaim.coop").await?;
    let accountant = cookie_of("comptabilite@demo.essaim.coop").await?;
    let coach = cookie_of("accompagnement@demo.essaim.coop").await?;
    let admin = cookie_of("admin@demo.essaim.coop").await?;
    let member = cookie_of("associe@demo.essaim.coop").await?;
    let coop = essaim_app::cooperatives::mine(
        &app,
        &essaim_app::Actor {
            user: {
                let mut tx = app.store.read().await?;
                let u = essaim_storage::account::find_with_hash(
                    &mut tx,
                    &essaim_domain::account::Email::parse("admin@demo.essaim.coop")
                        .map_err(|e| anyhow::anyhow!(e))?,
                )
                .await?
                .context("demo admin")?
                .0;
                tx.commit().await?;
                u
            },
            session: None,
            ip: "bench".into(),
        },
    )
    .await
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    let first = coop.first().context("demo cooperative")?;
    let home = format!("/c/{}", first.slug);
    // The demo entrepreneur's activity, for its account.
    let own_activity = {
        let mut tx = app.store.read().await?;
        let me = essaim_storage::account::find_with_hash(
            &mut tx,
            &essaim_domain::account::Email::parse("entrepreneur@demo.essaim.coop")
                .map_err(|e| anyhow::anyhow!(e))?,
        )
        .await?
        .context("demo entrepreneur")?
        .0;
        let ids =
            essaim_storage::activity::ids_of_member(&mut tx, first.cooperative_id, me.id).await?;
        tx.commit().await?;
        ids.first()
            .copied()
            .context("demo entrepreneur's activity")?
    };
    let cases: Vec<(&str, String, Option<String>)> = vec![
        ("sign-in page", "/login".into(), None),
        (
            "entrepreneur home",
            home.clone(),
            Some(entrepreneur.clone()),
        ),
        ("support-team home", home.clone(), Some(support.clone())),
        ("accountant home", home.clone(), Some(accountant)),
        ("coach home", home.clone(), Some(coach.clone())),
        ("administrator home", home.clone(), Some(admin)),
        ("member home", home.clone(), Some(member)),
        (
            "accounts list (first page)",
            format!("{home}/members"),
            Some(support.clone()),
        ),
        (
            "people list filtered by status",
            format!("{home}/people?status=cesa"),
            Some(support.clone()),
        ),
        (
            "deadlines dashboard",
            format!("{home}/deadlines"),
            Some(support.clone()),
        ),
        (
            "invoices of the cooperative (paid, since 2025, 50 + totals)",
            format!("{home}/invoices?status=paid&from=2025-01-01"),
            Some(support.clone()),
        ),
        (
            "invoices of the cooperative (all, 50 + totals)",
            format!("{home}/invoices"),
            Some(support.clone()),
        ),
        (
            "entrepreneur's invoices",
            format!("{home}/invoices"),
            Some(entrepreneur.clone()),
        ),
        (
            "expense reports of the cooperative (50)",
            format!("{home}/expenses"),
            Some(support.clone()),
        ),
        (
            "expense reports to validate",
            format!("{home}/expenses?status=submitted"),
            Some(support.clone()),
        ),
        (
            "entrepreneur's expense reports",
            format!("{home}/expenses"),
            Some(entrepreneur.clone()),
        ),
        (
            "supplier invoices of the cooperative (50)",
            format!("{home}/supplier-invoices"),
            Some(support.clone()),
        ),
        (
            "entrepreneur's activity account",
            format!("{home}/activities/{own_activity}/account"),
            Some(entrepreneur.clone()),
        ),
        (
            "activity accounts overview (all)",
            format!("{home}/payroll/accounts"),
            Some(support.clone()),
        ),
        (
            "coach dashboard (LIF-41 follow-up)",
            format!("{home}/coaching"),
            Some(coach.clone()),
        ),
        (
            "workshops (coach: upcoming and past)",
            format!("{home}/workshops"),
            Some(coach.clone()),
        ),
        (
            "workshops offered to an entrepreneur",
            format!("{home}/workshops"),
            Some(entrepreneur.clone()),
        ),
        (
            "coaching report of the year (by coach and programme)",
            format!("{home}/coaching/report"),
            Some(coach),
        ),
    ];
    if !args.json {
        println!(
            "backend: {} — demo of {} entrepreneurs ({} issued invoices) seeded in {:.2} s",
            app.store.backend(),
            args.entrepreneurs,
            invoices,
            seeding.as_secs_f64()
        );
        println!(
            "{:<34} {:>9} {:>9} {:>9}  requests",
            "page", "p50 ms", "p95 ms", "p99 ms"
        );
    }
    for (name, path, cookie) in cases {
        let mut times = Vec::with_capacity(args.requests);
        for i in 0..(args.requests + 50) {
            let mut req = Request::get(&path);
            if let Some(c) = &cookie {
                req = req.header(header::COOKIE, c);
            }
            let req = req.body(Body::empty())?;
            let t0 = Instant::now();
            let resp = router.clone().oneshot(req).await?;
            let status = resp.status();
            let _ = resp.into_body().collect().await?;
            let dt = t0.elapsed();
            anyhow::ensure!(status.is_success(), "{name}: status {status}");
            if i >= 50 {
                times.push(dt);
            }
        }
        times.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        let (p50, p95, p99) = (
            percentile(&times, 0.5),
            percentile(&times, 0.95),
            percentile(&times, 0.99),
        );
        if args.json {
            println!(
                "{}",
                serde_json::json!({ "backend": app.store.backend(), "page": name, "p50_ms": ms(p50), "p95_ms": ms(p95), "p99_ms": ms(p99), "requests": times.len() })
            );
        } else {
            println!(
                "{:<34} {:>9.3} {:>9.3} {:>9.3}  {}",
                name,
                ms(p50),
                ms(p95),
                ms(p99),
                times.len()
            );
        }
    }
    books_bench(&app, args.json).await?;
    sepa_bench(&app, &home[3..], args.json).await?;
    documents_bench(&app, &home[3..], args.documents, args.json).await?;
    store.close().await;
    if let Some(name) = pg_cleanup {
        essaim_storage::drop_postgres_database(&args.database_url, &name).await?;
    }
    Ok(())
}

/// Validating invoices (the numbering transaction, server time) and rendering issued ones as
/// PDF/A-3 with Factur-X on one core.
async fn documents_bench(app: &essaim_app::App, slug: &str, n: usize, json: bool) -> Result<()> {
    use essaim_app::selling::docs;
    let err = |e: essaim_app::AppError| anyhow::anyhow!("{e}");
    let actor = |email: &str| {
        let email = email.to_owned();
        async move {
            let mut tx = app.store.read().await?;
            let user = essaim_storage::account::find_with_hash(
                &mut tx,
                &essaim_domain::account::Email::parse(&email).map_err(|e| anyhow::anyhow!(e))?,
            )
            .await?
            .context("demo account")?
            .0;
            tx.commit().await?;
            let actor = essaim_app::Actor {
                user,
                session: None,
                ip: "bench".into(),
            };
            essaim_app::cooperatives::enter(app, &actor, slug)
                .await
                .map_err(err)
        }
    };
    let admin = actor("admin@demo.essaim.coop").await?;
    let validator = actor("validation@demo.essaim.coop").await?;
    let (rows, _) = docs::list(
        app,
        &admin,
        essaim_app::records::DocFilter {
            status: Some("paid".into()),
            kinds: vec!["invoice".into()],
            ..Default::default()
        },
        2 * n as i64,
        0,
    )
    .await
    .map_err(err)?;
    anyhow::ensure!(!rows.is_empty(), "no issued invoice to render");
    // Drafts to validate: copies of issued invoices (same activity, customer and lines). A final
    // invoice deducts its deposits with negative lines, which a new draft may not have: skipped.
    let mut drafts = Vec::new();
    for d in &rows {
        if drafts.len() == n {
            break;
        }
        let v = docs::view(
            app,
            &admin,
            essaim_domain::ids::SaleDocId::new(d.sale_doc_id),
        )
        .await
        .map_err(err)?;
        let negative = |q: &Option<String>| q.as_deref().is_some_and(|q| q.starts_with('-'));
        if v.lines.iter().any(|l| negative(&l.quantity)) {
            continue;
        }
        let input = docs::DocInput {
            customer_id: v.doc.customer_id.to_string(),
            lines: docs::line_inputs(&v.lines),
            ..Default::default()
        };
        drafts.push(
            docs::create(
                app,
                &admin,
                essaim_domain::ids::ActivityId::new(v.doc.activity_id),
                essaim_domain::selling::DocKind::Invoice,
                &input,
            )
            .await
            .map_err(err)?,
        );
    }
    let mut times = Vec::new();
    for id in &drafts {
        let t0 = Instant::now();
        docs::validate(app, &validator, *id).await.map_err(err)?;
        times.push(t0.elapsed());
    }
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    // PDF/A-3 + Factur-X, rendering only, one thread, from the frozen snapshots.
    let mut sales = Vec::new();
    for id in &drafts {
        sales.push(docs::document(app, &validator, *id).await.map_err(err)?);
    }
    let t0 = Instant::now();
    let rendered = tokio::task::spawn_blocking(move || -> Result<usize> {
        let mut bytes = 0;
        for (sale, branding) in &sales {
            bytes += essaim_app::exports::sale_pdf(sale, branding)
                .map_err(|e| anyhow::anyhow!("{e}"))?
                .len();
        }
        Ok(bytes)
    })
    .await??;
    let render = t0.elapsed();
    let per_second = drafts.len() as f64 / render.as_secs_f64();
    if json {
        println!(
            "{}",
            serde_json::json!({ "backend": app.store.backend(), "validate_p50_ms": ms(percentile(&times, 0.5)), "validate_p95_ms": ms(percentile(&times, 0.95)), "pdf_per_second": per_second, "documents": drafts.len() })
        );
    } else {
        println!(
            "{:<34} {:>9.3} {:>9.3} {:>9.3}  {}",
            "validate one invoice (server)",
            ms(percentile(&times, 0.5)),
            ms(percentile(&times, 0.95)),
            ms(percentile(&times, 0.99)),
            times.len()
        );
        println!(
            "invoice PDF/A-3 + Factur-X, one thread: {:.0} per second ({} documents, {:.1} KB on average)",
            per_second,
            drafts.len(),
            rendered as f64 / drafts.len() as f64 / 1024.0
        );
    }
    Ok(())
}

/// The books (issue 7): a year's trial balance (p50 over 200 runs), the FEC of each year (end to
/// end, and its generation alone in lines per second once the entries are loaded), and importing
/// a CAMT.053 statement of 10,000 lines.
async fn books_bench(app: &essaim_app::App, json: bool) -> Result<()> {
    use essaim_app::books::{bank, exports, views};
    let err = |e: essaim_app::AppError| anyhow::anyhow!("{e}");
    let coop = essaim_domain::ids::CooperativeId::new(1);
    let year = time::OffsetDateTime::now_utc().year();
    let report = |name: &str, value: f64, unit: &str| {
        if json {
            println!(
                "{}",
                serde_json::json!({ "backend": app.store.backend(), "measure": name, "value": value, "unit": unit })
            );
        } else {
            println!("{name:<58} {value:>12.3} {unit}");
        }
    };
    // A year's trial balance.
    let mut times = Vec::new();
    for i in 0..220 {
        let t0 = Instant::now();
        let (_, tb) = views::trial_balance_for_cli(app, coop, year)
            .await
            .map_err(err)?;
        anyhow::ensure!(
            tb.debit_cents == tb.credit_cents,
            "unbalanced trial balance"
        );
        if i >= 20 {
            times.push(t0.elapsed());
        }
    }
    times.sort();
    report(
        &format!("trial balance of {year}, p50"),
        percentile(&times, 0.5).as_secs_f64() * 1000.0,
        "ms",
    );
    report(
        &format!("trial balance of {year}, p95"),
        percentile(&times, 0.95).as_secs_f64() * 1000.0,
        "ms",
    );
    // The FEC of each year: end to end, then the generation alone.
    for y in (year - 2)..=year {
        let t0 = Instant::now();
        let file = exports::fec_for_cli(app, coop, y).await.map_err(err)?;
        let total = t0.elapsed();
        report(
            &format!("FEC {y} end to end ({} lines)", file.lines),
            total.as_secs_f64() * 1000.0,
            "ms",
        );
        let mut tx = app.store.read().await?;
        let (start, end) = exports::fiscal_year_for_cli(app, coop, y)
            .await
            .map_err(err)?;
        let data = essaim_storage::books::export_data(&mut tx, coop, start, end).await?;
        tx.commit().await?;
        let lines = exports::book_lines(data).map_err(err)?;
        let mut best = Duration::MAX;
        let mut out = Vec::with_capacity(lines.len() * 160);
        for _ in 0..5 {
            out.clear();
            let t0 = Instant::now();
            essaim_exchange::write_fec(&lines, &mut out);
            best = best.min(t0.elapsed());
        }
        report(
            &format!("FEC {y} generation once loaded"),
            lines.len() as f64 / best.as_secs_f64(),
            "lines/s",
        );
    }
    // A CAMT.053 of 10,000 lines, imported then imported again (all duplicates).
    let mut camt = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"><BkToCstmrStmt><GrpHdr><MsgId>B</MsgId><CreDtTm>2026-11-29T08:00:00</CreDtTm></GrpHdr><Stmt><Id>S</Id><CreDtTm>2026-11-29T08:00:00</CreDtTm><Acct><Id><IBAN>FR7630006000011234567890189</IBAN></Id></Acct>\n",
    );
    for i in 0..10_000 {
        camt.push_str(&format!(
            "<Ntry><Amt Ccy=\"EUR\">{}.{:02}</Amt><CdtDbtInd>{}</CdtDbtInd><BookgDt><Dt>2026-11-{:02}</Dt></BookgDt><AcctSvcrRef>BENCH-{i}</AcctSvcrRef><NtryDtls><TxDtls><RltdPties><Dbtr><Nm>Client {i}</Nm></Dbtr></RltdPties><RmtInf><Ustrd>Facture F-{i}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>\n",
            100 + i % 900, i % 100, if i % 3 == 0 { "DBIT" } else { "CRDT" }, 1 + i % 28
        ));
    }
    camt.push_str("</Stmt></BkToCstmrStmt></Document>");
    for pass in ["new", "again, all duplicates"] {
        let t0 = Instant::now();
        let s = bank::import_for_cli(app, coop, "bench.xml", camt.as_bytes())
            .await
            .map_err(err)?;
        report(
            &format!(
                "CAMT.053 import of {} lines ({pass}: {} new)",
                s.lines, s.new_lines
            ),
            t0.elapsed().as_secs_f64() * 1000.0,
            "ms",
        );
    }
    Ok(())
}

/// Preparing the SEPA batch of every payable expense report (at most 500), end to end through the
/// use case (reading, checking, writing the XML, recording the batch); each is cancelled after.
async fn sepa_bench(app: &essaim_app::App, slug: &str, json: bool) -> Result<()> {
    use essaim_app::spending::payments;
    let err = |e: essaim_app::AppError| anyhow::anyhow!("{e}");
    let accountant = {
        let mut tx = app.store.read().await?;
        let u = essaim_storage::account::find_with_hash(
            &mut tx,
            &essaim_domain::account::Email::parse("comptabilite@demo.essaim.coop")
                .map_err(|e| anyhow::anyhow!(e))?,
        )
        .await?
        .context("demo accountant")?
        .0;
        tx.commit().await?;
        essaim_app::Actor {
            user: u,
            session: None,
            ip: "bench".into(),
        }
    };
    let actor = essaim_app::cooperatives::enter(app, &accountant, slug)
        .await
        .map_err(err)?;
    // Enough reports to pay: entrepreneurs add an expense with its receipt to this month's
    // report and send it, the validation team validates it — the real use cases.
    fill_payable_reports(app, slug, 520).await?;
    let payable = payments::payables(app, &actor).await.map_err(err)?;
    let reports: Vec<i64> = payable
        .reports
        .iter()
        .filter(|r| {
            r.iban
                .as_deref()
                .is_some_and(|i| essaim_domain::identifiers::Iban::parse(i).is_ok())
        })
        .map(|r| r.report_id)
        .take(500)
        .collect();
    if reports.is_empty() {
        return Ok(());
    }
    let input = payments::BatchInput {
        reports: reports.clone(),
        invoices: Vec::new(),
        execution_date: String::new(),
    };
    let mut times = Vec::new();
    for _ in 0..20 {
        let t0 = Instant::now();
        let id = payments::prepare(app, &actor, &input).await.map_err(err)?;
        times.push(t0.elapsed());
        payments::cancel(app, &actor, id).await.map_err(err)?;
    }
    times.sort();
    let name = format!("SEPA batch of {} refunds prepared, p50", reports.len());
    let value = percentile(&times, 0.5).as_secs_f64() * 1000.0;
    if json {
        println!(
            "{}",
            serde_json::json!({ "backend": app.store.backend(), "measure": name, "value": value, "unit": "ms" })
        );
    } else {
        println!("{name:<58} {value:>12.3} ms");
    }
    Ok(())
}

/// Up to `n` entrepreneurs each send a one-line report of this month, validated.
async fn fill_payable_reports(app: &essaim_app::App, slug: &str, n: usize) -> Result<()> {
    use essaim_app::spending::reports::{self, DecisionInput, Upload};
    use essaim_domain::access::RoleKind;
    let err = |e: essaim_app::AppError| anyhow::anyhow!("{e}");
    let enter = async |email: &str| -> Result<essaim_app::CoopActor> {
        let actor = essaim_app::auth::actor_for_cli(app, email)
            .await
            .map_err(err)?;
        essaim_app::cooperatives::enter(app, &actor, slug)
            .await
            .map_err(err)
    };
    let accountant = enter("comptabilite@demo.essaim.coop").await?;
    let validator = enter("validation@demo.essaim.coop").await?;
    let month = essaim_domain::spending::report::ReportMonth::of(app.clock.today()).to_string();
    let receipt = Upload {
        name: "ticket.pdf".into(),
        bytes: b"%PDF-1.7 bench receipt".to_vec(),
    };
    let mut sent = 0;
    for page in 0.. {
        let (members, _) = essaim_app::members::list(app, &accountant, None, page)
            .await
            .map_err(err)?;
        if members.is_empty() || sent >= n {
            break;
        }
        for m in members
            .iter()
            .filter(|m| m.roles.iter().any(|(_, k)| *k == RoleKind::Entrepreneur))
        {
            if sent >= n {
                break;
            }
            let me = enter(&m.email).await?;
            let Some((activity, _)) = essaim_app::activities::names(app, &me)
                .await
                .map_err(err)?
                .into_iter()
                .next()
            else {
                continue;
            };
            let id = reports::open_month(app, &me, &month).await.map_err(err)?;
            let line = essaim_domain::spending::report::ExpenseInput {
                date: app.clock.today().to_string(),
                category: "meals".into(),
                amount: "18,50".into(),
                vat: String::new(),
                vat_recoverable: true,
                activity: activity.to_string(),
                description: "Déjeuner de travail".into(),
            };
            if reports::add_expense(app, &me, id, &line, Some(receipt.clone()))
                .await
                .is_err()
                || reports::submit(app, &me, id).await.is_err()
            {
                continue; // a report of this month already sent
            }
            // The bench's activities may have earned little yet: PAY-24 asks for a reason.
            let decision = DecisionInput {
                decision: "validate".into(),
                override_reason: "Remboursement du banc d'essai".into(),
                ..DecisionInput::default()
            };
            reports::decide(app, &validator, id, &decision)
                .await
                .map_err(err)?;
            sent += 1;
        }
    }
    Ok(())
}
