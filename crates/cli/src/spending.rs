//! `essaim expenses …` and `essaim supplier-invoices …`: list and fill in spending from the
//! command line, acting as a person (`--as`), with the same checks as the site. Output is JSON,
//! one object per line.

use crate::{DbArgs, build_app, cli_error, open_store};
use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use essaim_app::records::{InvoiceFilter, ReportFilter};
use essaim_app::spending::reports::{self, Upload};
use essaim_app::spending::suppliers::{self, InvoiceFile};
use essaim_app::{App, CoopActor, auth, cooperatives};
use essaim_domain::spending::report::ExpenseInput;
use essaim_domain::spending::supplier::SupplierInvoiceInput;
use serde_json::json;

#[derive(Args, Debug)]
pub struct Who {
    #[command(flatten)]
    db: DbArgs,
    /// The cooperative: its id, slug or SIREN.
    #[arg(long)]
    cooperative: String,
    /// The e-mail of the person acting (their rights apply).
    #[arg(long = "as")]
    as_email: String,
    /// Folder of the uploaded files (the server's, so receipts are found there).
    #[arg(long, env = "ESSAIM_DATA_DIR", default_value = "essaim-data")]
    data_dir: std::path::PathBuf,
}

#[derive(Subcommand)]
pub enum ExpensesCommand {
    /// The expense reports the person may see (their own, or everyone's for the support team).
    List(ReportListArgs),
    /// Adds an expense (with its receipt) to the person's report of its month; --submit sends it.
    Add(ExpenseAddArgs),
}

#[derive(Args, Debug)]
pub struct ReportListArgs {
    #[command(flatten)]
    who: Who,
    /// draft, submitted, returned, validated or refunded.
    #[arg(long)]
    status: Option<String>,
    /// The reports of this year.
    #[arg(long)]
    year: Option<i32>,
}

#[derive(Args, Debug)]
pub struct ExpenseAddArgs {
    #[command(flatten)]
    who: Who,
    /// The report's month (YYYY-MM); default: the expense's.
    #[arg(long)]
    month: Option<String>,
    /// YYYY-MM-DD.
    #[arg(long)]
    date: String,
    /// A category code (travel, meals, supplies…).
    #[arg(long)]
    category: String,
    /// Paid, VAT included: 120,00.
    #[arg(long)]
    amount: String,
    /// The VAT on the receipt.
    #[arg(long, default_value = "")]
    vat: String,
    /// The receipt is an invoice in the cooperative's name (its VAT is recovered).
    #[arg(long)]
    vat_recoverable: bool,
    /// The activity's id.
    #[arg(long)]
    activity: String,
    #[arg(long)]
    description: String,
    /// The receipt: a JPEG, PNG, HEIC photo or a PDF.
    #[arg(long)]
    receipt: Option<std::path::PathBuf>,
    /// Send the report to the support team afterwards.
    #[arg(long)]
    submit: bool,
}

#[derive(Subcommand)]
pub enum SupplierCommand {
    /// The supplier invoices the person may see.
    List(InvoiceListArgs),
    /// Records a supplier invoice: from its e-invoice (--file, Factur-X PDF or CII XML), the
    /// flags given overriding what it says, or typed entirely with the flags.
    Add(Box<SupplierAddArgs>),
}

#[derive(Args, Debug)]
pub struct InvoiceListArgs {
    #[command(flatten)]
    who: Who,
    /// received, approved or paid.
    #[arg(long)]
    status: Option<String>,
}

#[derive(Args, Debug)]
pub struct SupplierAddArgs {
    #[command(flatten)]
    who: Who,
    /// The supplier's file: a Factur-X PDF or a CII XML fills the invoice; another PDF or a
    /// photo is kept with it.
    #[arg(long)]
    file: Option<std::path::PathBuf>,
    #[arg(long)]
    activity: String,
    #[arg(long)]
    category: String,
    #[arg(long)]
    supplier_name: Option<String>,
    #[arg(long)]
    supplier_siren: Option<String>,
    #[arg(long)]
    supplier_vat_number: Option<String>,
    #[arg(long)]
    supplier_iban: Option<String>,
    #[arg(long)]
    number: Option<String>,
    /// YYYY-MM-DD.
    #[arg(long)]
    issue_date: Option<String>,
    #[arg(long)]
    due_date: Option<String>,
    #[arg(long)]
    net: Option<String>,
    #[arg(long)]
    vat: Option<String>,
    #[arg(long)]
    total: Option<String>,
    #[arg(long)]
    description: Option<String>,
}

async fn enter(who: &Who) -> Result<(App, CoopActor)> {
    let store = open_store(&who.db.database_url.0, 1).await?;
    let app = build_app(store, None)?;
    let app = App {
        config: std::sync::Arc::new(essaim_app::Config {
            files_dir: who.data_dir.join("files"),
            ..(*app.config).clone()
        }),
        ..app
    };
    let coop = cooperatives::find_by_reference(&app, &who.cooperative)
        .await
        .map_err(cli_error)?;
    let actor = auth::actor_for_cli(&app, &who.as_email)
        .await
        .map_err(cli_error)?;
    let coop_actor = cooperatives::enter(&app, &actor, &coop.slug)
        .await
        .map_err(cli_error)?;
    Ok((app, coop_actor))
}

fn read(path: &std::path::Path) -> Result<Upload> {
    Ok(Upload {
        name: path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        bytes: std::fs::read(path).with_context(|| format!("reading {}", path.display()))?,
    })
}

pub async fn expenses(command: ExpensesCommand) -> Result<()> {
    match command {
        ExpensesCommand::List(a) => {
            let (app, actor) = enter(&a.who).await?;
            let filter = ReportFilter {
                user: None,
                status: a.status,
                period: a.year.map(|y| y.to_string()),
            };
            for r in reports::list(&app, &actor, filter, i64::MAX, 0)
                .await
                .map_err(cli_error)?
            {
                println!(
                    "{}",
                    json!({ "id": r.report_id, "person": r.person_name, "month": r.month, "status": r.status,
                            "lines": r.line_count, "refund_cents": r.expenses_cents + r.mileage_cents })
                );
            }
            Ok(())
        }
        ExpensesCommand::Add(a) => {
            let (app, actor) = enter(&a.who).await?;
            let month = a
                .month
                .clone()
                .unwrap_or_else(|| a.date.chars().take(7).collect());
            let id = reports::open_month(&app, &actor, &month)
                .await
                .map_err(cli_error)?;
            let receipt = a.receipt.as_deref().map(read).transpose()?;
            let input = ExpenseInput {
                date: a.date,
                category: a.category,
                amount: a.amount,
                vat: a.vat,
                vat_recoverable: a.vat_recoverable,
                activity: a.activity,
                description: a.description,
            };
            let line = reports::add_expense(&app, &actor, id, &input, receipt)
                .await
                .map_err(cli_error)?;
            if a.submit {
                reports::submit(&app, &actor, id).await.map_err(cli_error)?;
            }
            let v = reports::show(&app, &actor, id).await.map_err(cli_error)?;
            println!(
                "{}",
                json!({ "report": id, "line": line, "status": v.report.status, "refund_cents": v.refund().cents() })
            );
            Ok(())
        }
    }
}

pub async fn supplier_invoices(command: SupplierCommand) -> Result<()> {
    match command {
        SupplierCommand::List(a) => {
            let (app, actor) = enter(&a.who).await?;
            let filter = InvoiceFilter {
                status: a.status,
                ..InvoiceFilter::default()
            };
            for i in suppliers::list(&app, &actor, filter, i64::MAX, 0)
                .await
                .map_err(cli_error)?
            {
                println!(
                    "{}",
                    json!({ "id": i.supplier_invoice_id, "supplier": i.supplier_name, "number": i.number,
                            "issue_date": i.issue_date.to_string(), "total_cents": i.total_cents, "status": i.status })
                );
            }
            Ok(())
        }
        SupplierCommand::Add(a) => {
            let (app, actor) = enter(&a.who).await?;
            let upload = a.file.as_deref().map(read).transpose()?;
            let mut input = match &upload {
                Some(u) => {
                    essaim_app::spending::prefill_supplier_invoice(&u.bytes).unwrap_or_default()
                }
                None => SupplierInvoiceInput::default(),
            };
            let set = |field: &mut String, value: Option<String>| {
                if let Some(v) = value {
                    *field = v;
                }
            };
            set(&mut input.supplier_name, a.supplier_name);
            set(&mut input.supplier_siren, a.supplier_siren);
            set(&mut input.supplier_vat_number, a.supplier_vat_number);
            set(&mut input.supplier_iban, a.supplier_iban);
            set(&mut input.number, a.number);
            set(&mut input.issue_date, a.issue_date);
            set(&mut input.due_date, a.due_date);
            set(&mut input.net, a.net);
            set(&mut input.vat, a.vat);
            set(&mut input.total, a.total);
            set(&mut input.description, a.description);
            input.activity = a.activity;
            input.category = a.category;
            let file = InvoiceFile { upload, kept: None };
            let id = suppliers::record(&app, &actor, &input, file)
                .await
                .map_err(cli_error)?;
            let i = suppliers::show(&app, &actor, id).await.map_err(cli_error)?;
            println!(
                "{}",
                json!({ "id": id, "supplier": i.supplier_name, "number": i.number, "total_cents": i.total_cents, "source": i.source })
            );
            Ok(())
        }
    }
}
