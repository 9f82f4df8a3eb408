//! The storage contract: every query, on SQLite always and on PostgreSQL when
#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed step should stop the test loudly
//! `ESSAIM_TEST_POSTGRES_URL` is set (CI always sets it).

mod accounts;
mod activities;
mod cooperatives;
mod einvoicing;
mod jobs;
mod payroll;
mod people;
mod sessions;
mod spending;

use essaim_domain::cooperative::{CooperativeIdentity, CooperativeInput};
use essaim_storage::{Config, Store};
use std::sync::atomic::{AtomicU64, Ordering};
use time::OffsetDateTime;

pub const NOW: OffsetDateTime = time::macros::datetime!(2026-11-29 10:00 UTC);
static COUNTER: AtomicU64 = AtomicU64::new(0);

/// A fresh, migrated store per backend under test.
pub async fn stores() -> Vec<Store> {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let dir = std::env::temp_dir().join("essaim-contract");
    std::fs::create_dir_all(&dir).unwrap();
    let mut urls = vec![format!(
        "sqlite://{}?mode=rwc",
        dir.join(format!("c{}_{n}.db", std::process::id()))
            .display()
    )];
    if let Ok(server) = std::env::var("ESSAIM_TEST_POSTGRES_URL")
        && !server.is_empty()
    {
        let base = server
            .rsplit('/')
            .next()
            .and_then(|s| s.split('?').next())
            .unwrap_or("essaim")
            .to_owned();
        // Once per test process, the databases of processes gone are dropped.
        static SWEPT: tokio::sync::OnceCell<()> = tokio::sync::OnceCell::const_new();
        SWEPT
            .get_or_init(|| async {
                let _ = essaim_storage::sweep_test_databases(&server, &base).await;
            })
            .await;
        urls.push(
            essaim_storage::create_postgres_database(
                &server,
                &format!("{base}_c{}_{n}", std::process::id()),
            )
            .await
            .unwrap(),
        );
    }
    let mut out = Vec::new();
    for url in urls {
        let store = Store::connect(&Config {
            url,
            max_connections: 8,
        })
        .await
        .unwrap();
        store.migrate().await.unwrap();
        out.push(store);
    }
    out
}

pub fn identity(siret: &str, vat: &str) -> CooperativeIdentity {
    CooperativeIdentity::parse(&CooperativeInput {
        legal_name: format!("Coopérative {siret}"),
        trade_name: String::new(),
        legal_form: "scic_sa".into(),
        siret: siret.into(),
        vat_number: vat.into(),
        rcs_city: "Lyon".into(),
        share_capital: "1234,56".into(),
        address_line1: "1 rue A".into(),
        address_line2: "Bâtiment B".into(),
        postcode: "69001".into(),
        city: "Lyon".into(),
        fiscal_year_start_month: "7".into(),
        fiscal_year_start_day: "1".into(),
    })
    .unwrap()
}

pub const A: (&str, &str) = ("73282932000074", "FR44732829320");
pub const B: (&str, &str) = ("55210055400013", "FR96552100554");

#[test]
fn both_backends_have_the_same_migrations() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    let names = |dir: &str| {
        let mut v: Vec<String> = std::fs::read_dir(root.join(dir))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    };
    assert_eq!(names("sqlite"), names("postgres"));
    assert!(!names("sqlite").is_empty());
}
