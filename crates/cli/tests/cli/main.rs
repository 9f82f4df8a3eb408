//! The `essaim` binary run as a person would: a database seeded through the use cases, then
//! `essaim invoice pdf|xml <id> --out FILE`, which needs no signed-in person.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed step should stop the test loudly

use essaim_app::selling::docs::{self, DocInput};
use essaim_app::{Actor, App, Config, SystemClock, activities, auth, cooperatives, selling};
use essaim_domain::access::RoleKind;
use essaim_domain::activity::ActivityInput;
use essaim_domain::cooperative::CooperativeInput;
use essaim_domain::selling::customer::CustomerInput;
use essaim_domain::selling::{DocKind, LineInput};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Arc;

fn temp(name: &str) -> PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    std::env::temp_dir().join(format!("essaim-cli-{}-{nanos}-{name}", std::process::id()))
}

/// A cooperative with an issued invoice and a draft: (issued id, its number, draft id).
async fn seed(url: &str) -> (i64, String, i64) {
    let store = essaim_storage::Store::connect(&essaim_storage::Config {
        url: url.to_owned(),
        max_connections: 1,
    })
    .await
    .unwrap();
    store.migrate().await.unwrap();
    let mailer = essaim_app::mail::Mailer::new(None, "essaim@test.invalid").unwrap();
    let app = App::new(store, Arc::new(SystemClock), mailer, Config::default());
    let coop = cooperatives::create(
        &app,
        None,
        &CooperativeInput {
            legal_name: "Coopérative A".into(),
            legal_form: "scop_sarl".into(),
            siret: "73282932000074".into(),
            vat_number: "FR44732829320".into(),
            rcs_city: "Lyon".into(),
            share_capital: "15000".into(),
            address_line1: "12 rue de la République".into(),
            postcode: "69001".into(),
            city: "Lyon".into(),
            fiscal_year_start_month: "1".into(),
            fiscal_year_start_day: "1".into(),
            ..CooperativeInput::default()
        },
        None,
    )
    .await
    .unwrap();
    let email = "admin@a.test.essaim.coop";
    let account = auth::AccountInput {
        email,
        display_name: "Admin",
        password: None,
        locale: essaim_domain::account::Locale::Fr,
        is_host_admin: false,
    };
    cooperatives::create_user_with_role_cli(&app, &account, Some((coop, RoleKind::Administrator)))
        .await
        .unwrap();
    let mut tx = app.store.read().await.unwrap();
    let user = essaim_storage::account::find_with_hash(
        &mut tx,
        &essaim_domain::account::Email::parse(email).unwrap(),
    )
    .await
    .unwrap()
    .unwrap()
    .0;
    tx.commit().await.unwrap();
    let slug = cooperatives::find_by_reference(&app, &coop.to_string())
        .await
        .unwrap()
        .slug;
    let actor = Actor {
        user,
        session: None,
        ip: "test".into(),
    };
    let admin = cooperatives::enter(&app, &actor, &slug).await.unwrap();
    let activity = activities::create(
        &app,
        &admin,
        &ActivityInput {
            name: "Atelier bois".into(),
            analytic_code: "BOIS".into(),
            start_on: "2025-01-06".into(),
            ..ActivityInput::default()
        },
        None,
    )
    .await
    .unwrap();
    let customer = selling::create_customer(
        &app,
        &admin,
        activity,
        &CustomerInput {
            kind: "company".into(),
            name: "Menuiserie Durand".into(),
            siret: "44306184100047".into(),
            address_line1: "3 rue des Lilas".into(),
            postcode: "69001".into(),
            city: "Lyon".into(),
            country: "FR".into(),
            ..CustomerInput::default()
        },
    )
    .await
    .unwrap();
    let input = DocInput {
        customer_id: customer.to_string(),
        lines: vec![LineInput {
            label: "Conseil".into(),
            quantity: "2".into(),
            unit: "DAY".into(),
            unit_price: "450".into(),
            vat: "fr20".into(),
            ..LineInput::default()
        }],
        ..DocInput::default()
    };
    let issued = docs::create(&app, &admin, activity, DocKind::Invoice, &input)
        .await
        .unwrap();
    let number = docs::validate(&app, &admin, issued).await.unwrap();
    let draft = docs::create(&app, &admin, activity, DocKind::Invoice, &input)
        .await
        .unwrap();
    app.store.close().await;
    (issued.get(), number, draft.get())
}

fn essaim(url: &str, what: &str, id: i64, out: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_essaim"))
        .args(["invoice", what, &id.to_string(), "--out"])
        .arg(out)
        .args(["--database-url", url])
        .env_remove("ESSAIM_DATABASE_URL")
        .env("ESSAIM_LOG", "warn")
        .output()
        .unwrap()
}

#[tokio::test]
async fn invoice_pdf_and_xml_are_written_from_the_command_line() {
    let db = temp("essaim.db");
    let url = format!("sqlite://{}?mode=rwc", db.display());
    let (issued, number, draft) = seed(&url).await;

    let pdf = temp("invoice.pdf");
    let run = essaim(&url, "pdf", issued, &pdf);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let stdout = String::from_utf8_lossy(&run.stdout);
    let summary: serde_json::Value =
        serde_json::from_str(stdout.lines().last().unwrap_or_default()).unwrap();
    assert_eq!(summary["name"], format!("{number}.pdf"));
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF"));

    let xml = temp("invoice.xml");
    let run = essaim(&url, "xml", issued, &xml);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let text = std::fs::read_to_string(&xml).unwrap();
    assert!(text.contains("CrossIndustryInvoice") && text.contains(&number));

    // A draft prints, but has no Factur-X yet; an unknown id is said so.
    let draft_pdf = temp("draft.pdf");
    assert!(essaim(&url, "pdf", draft, &draft_pdf).status.success());
    assert!(std::fs::read(&draft_pdf).unwrap().starts_with(b"%PDF"));
    let draft_xml = temp("draft.xml");
    let run = essaim(&url, "xml", draft, &draft_xml);
    assert!(!run.status.success());
    assert!(!draft_xml.exists());
    let run = essaim(&url, "pdf", 999_999, &temp("none.pdf"));
    assert!(!run.status.success());
    assert!(
        String::from_utf8_lossy(&run.stderr).contains("not found"),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );

    let wal = |suffix: &str| PathBuf::from(format!("{}{suffix}", db.display()));
    for f in [pdf, xml, draft_pdf, wal("-wal"), wal("-shm"), db.clone()] {
        let _ = std::fs::remove_file(f);
    }
}

fn essaim_args(url: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_essaim"))
        .args(args)
        .args(["--database-url", url])
        .env_remove("ESSAIM_DATABASE_URL")
        .env("ESSAIM_LOG", "warn")
        .output()
        .unwrap()
}

fn last_json(run: &Output) -> serde_json::Value {
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let stdout = String::from_utf8_lossy(&run.stdout);
    serde_json::from_str(stdout.lines().last().unwrap_or_default()).unwrap()
}

#[tokio::test]
async fn expenses_and_supplier_invoices_are_filled_in_from_the_command_line() {
    let db = temp("spending.db");
    let url = format!("sqlite://{}?mode=rwc", db.display());
    let (issued, _, _) = seed(&url).await;
    let data = temp("data");
    let data_path = data.display().to_string();
    let who = [
        "--cooperative",
        "732829320",
        "--as",
        "admin@a.test.essaim.coop",
        "--data-dir",
        &data_path,
    ];
    let receipt = temp("ticket.jpg");
    std::fs::write(
        &receipt,
        [0xff, 0xd8, 0xff, 0xe0, 0, 0x10, b'J', b'F', b'I', b'F'],
    )
    .unwrap();
    let receipt_path = receipt.display().to_string();
    let mut add = vec!["expenses", "add"];
    add.extend(who);
    add.extend([
        "--date",
        "2026-11-12",
        "--category",
        "travel",
        "--amount",
        "zéro",
        "--activity",
        "1",
        "--description",
        "Train Lyon–Paris",
    ]);
    // Bad input names the field, and nothing is written.
    let run = essaim_args(&url, &add);
    assert!(!run.status.success());
    assert!(String::from_utf8_lossy(&run.stderr).contains("amount"));
    let amount = add.iter().position(|a| *a == "zéro").unwrap();
    add[amount] = "120,00";
    add.extend(["--receipt", &receipt_path, "--submit"]);
    let out = last_json(&essaim_args(&url, &add));
    assert_eq!(out["status"], "submitted");
    assert_eq!(out["refund_cents"], 12_000);
    let mut list = vec!["expenses", "list"];
    list.extend(who);
    list.extend(["--status", "submitted"]);
    let out = last_json(&essaim_args(&url, &list));
    assert_eq!(out["month"], "2026-11");
    // A supplier's Factur-X PDF (here the cooperative's own invoice) is read into the record.
    let pdf = temp("supplier.pdf");
    assert!(essaim(&url, "pdf", issued, &pdf).status.success());
    let pdf_path = pdf.display().to_string();
    let mut add = vec!["supplier-invoices", "add"];
    add.extend(who);
    add.extend([
        "--file",
        &pdf_path,
        "--activity",
        "1",
        "--category",
        "supplies",
    ]);
    let out = last_json(&essaim_args(&url, &add));
    assert_eq!(out["source"], "facturx");
    assert_eq!(out["total_cents"], 108_000);
    let mut list = vec!["supplier-invoices", "list"];
    list.extend(who);
    assert_eq!(
        last_json(&essaim_args(&url, &list))["source"],
        serde_json::Value::Null
    );
    let wal = |suffix: &str| PathBuf::from(format!("{}{suffix}", db.display()));
    // The receipt is kept by its hash in the data folder given.
    assert!(data.join("files").is_dir());
    for f in [receipt, pdf, wal("-wal"), wal("-shm"), db.clone()] {
        let _ = std::fs::remove_file(f);
    }
    let _ = std::fs::remove_dir_all(data);
}
