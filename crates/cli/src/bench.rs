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
    demo::seed(
        &app,
        demo::DemoOptions {
            cooperatives: 1,
            entrepreneurs: args.entrepreneurs,
            years: 3,
            seed: 2026,
        },
    )
    .await
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    let seeding = started.elapsed();
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
    let support = cookie_of("validation@demo.essaim.coop").await?;
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
    let home = format!("/c/{}", coop.first().context("demo cooperative")?.slug);
    let cases: Vec<(&str, String, Option<String>)> = vec![
        ("sign-in page", "/login".into(), None),
        ("entrepreneur home", home.clone(), Some(entrepreneur)),
        ("support-team home", home.clone(), Some(support.clone())),
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
            Some(support),
        ),
    ];
    if !args.json {
        println!(
            "backend: {} — demo of {} entrepreneurs seeded in {:.2} s",
            app.store.backend(),
            args.entrepreneurs,
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
    store.close().await;
    if let Some(name) = pg_cleanup {
        essaim_storage::drop_postgres_database(&args.database_url, &name).await?;
    }
    Ok(())
}
