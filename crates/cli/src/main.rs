//! The `essaim` binary: reads configuration (flags or environment) once, builds the pool, and
//! calls the same use cases as the web pages. `anyhow` lives only here.

mod bench;
mod bench_einvoicing;
mod einvoicing;
mod payroll;
mod spending;

use anyhow::{Context, Result, bail};
use clap::{Args, Parser, Subcommand};
use essaim_app::{App, Config as AppConfig, SystemClock, cooperatives, demo, jobs, mail::Mailer};
use essaim_domain::access::RoleKind;
use essaim_domain::cooperative::CooperativeInput;
use essaim_storage::{Config as StoreConfig, Store};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

#[derive(Parser)]
#[command(
    name = "essaim",
    version,
    about = "Essaim: the platform of a Coopérative d'activités et d'emploi"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the application.
    Serve(ServeArgs),
    /// Apply the database migrations and exit.
    Migrate(DbArgs),
    /// Create (if needed) a demo database, print the demo logins, and serve it.
    Demo(DemoArgs),
    /// Administration from the command line (first install).
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Measure server-side time per request on a seeded demo (use a release build).
    Bench(bench::BenchArgs),
    /// Measure e-invoicing end to end against an in-process conformance platform (release build).
    BenchEinvoicing(bench_einvoicing::EinvoicingBenchArgs),
    /// Files of a sale document (invoice, deposit, credit note, quote), found by its id.
    #[command(subcommand)]
    Invoice(InvoiceCommand),
    /// Export the books: the FEC of a fiscal year, or the entries for another accounting program.
    #[command(subcommand)]
    Export(ExportCommand),
    /// Import into the books.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Expense reports: list them, or add an expense as a person (`--as`).
    #[command(subcommand)]
    Expenses(spending::ExpensesCommand),
    /// Supplier invoices: list them, or record one as a person (`--as`), from its e-invoice.
    #[command(subcommand)]
    SupplierInvoices(spending::SupplierCommand),
    /// Payroll: the salary simulator.
    #[command(subcommand)]
    Payroll(payroll::PayrollCommand),
    /// E-invoicing through the cooperative's platform: synchronise or send now.
    #[command(subcommand)]
    Einvoicing(einvoicing::EinvoicingCommand),
}

#[derive(Subcommand)]
enum ExportCommand {
    /// The FEC of the fiscal year closing in YEAR, written as DIR/<SIREN>FEC<closing date>.txt.
    Fec(FecArgs),
    /// The entries of a period as an hledger journal or a Sage, Cegid or Quadra import file.
    Journal(JournalArgs),
    /// Essaim's own trial balance of the fiscal year closing in YEAR, as CSV
    /// (`account;label;debit;credit;balance`, decimal comma), written as DIR/balance-<YEAR>.csv.
    Balance(FecArgs),
}

#[derive(Args, Debug)]
struct FecArgs {
    #[command(flatten)]
    db: DbArgs,
    /// The cooperative: its id, slug or SIREN.
    #[arg(long)]
    cooperative: String,
    /// The year the fiscal year closes in.
    #[arg(long)]
    year: i32,
    /// The directory to write into.
    #[arg(long)]
    out: std::path::PathBuf,
}

#[derive(Args, Debug)]
struct JournalArgs {
    #[command(flatten)]
    db: DbArgs,
    #[arg(long)]
    cooperative: String,
    /// hledger, sage, cegid or quadra.
    #[arg(long)]
    format: String,
    /// First day (YYYY-MM-DD); default: the start of the fiscal year closing in --year.
    #[arg(long)]
    from: Option<String>,
    /// Last day (YYYY-MM-DD).
    #[arg(long)]
    to: Option<String>,
    /// The fiscal year closing in this year, when --from/--to are not given.
    #[arg(long)]
    year: Option<i32>,
    /// The directory to write into.
    #[arg(long)]
    out: std::path::PathBuf,
}

#[derive(Subcommand)]
enum ImportCommand {
    /// A bank statement (CAMT.053, OFX, or CSV read with the cooperative's saved column mapping).
    Bank(BankArgs),
}

#[derive(Args, Debug)]
struct BankArgs {
    #[command(flatten)]
    db: DbArgs,
    #[arg(long)]
    cooperative: String,
    /// The statement file.
    file: std::path::PathBuf,
}

#[derive(Subcommand)]
enum InvoiceCommand {
    /// Write the document's PDF (PDF/A-3 with Factur-X once issued; the frozen copy of an issued one).
    Pdf(InvoiceFileArgs),
    /// Write the Factur-X (CII) XML of an issued invoice or credit note.
    Xml(InvoiceFileArgs),
    /// Write the issued invoices, deposits and credit notes of a period (PDF/A-3 with Factur-X,
    /// and with --xml their XML) with an index.csv; --sample N picks a spread of about N that
    /// covers every kind of document, customer, unit and VAT case.
    Export(InvoiceExportArgs),
}

#[derive(Args, Debug)]
struct InvoiceExportArgs {
    #[command(flatten)]
    db: DbArgs,
    /// The cooperative: its id, slug or SIREN.
    #[arg(long)]
    cooperative: String,
    /// First issue date (YYYY-MM-DD); default: the first document.
    #[arg(long)]
    from: Option<String>,
    /// Last issue date (YYYY-MM-DD); default: the last document.
    #[arg(long)]
    to: Option<String>,
    /// Write a spread of about this many documents instead of all of them.
    #[arg(long)]
    sample: Option<usize>,
    /// Also write each document's Factur-X XML beside its PDF.
    #[arg(long)]
    xml: bool,
    /// The directory to write into.
    #[arg(long)]
    out: std::path::PathBuf,
}

#[derive(Args, Debug)]
struct InvoiceFileArgs {
    #[command(flatten)]
    db: DbArgs,
    /// The document's id (as in its address `/c/<cooperative>/sales/<id>`).
    id: i64,
    /// The file to write.
    #[arg(long)]
    out: std::path::PathBuf,
}

/// A database URL that never prints.
#[derive(Clone)]
pub struct Redacted(pub String);
impl std::fmt::Debug for Redacted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("[redacted]")
    }
}
impl std::str::FromStr for Redacted {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Redacted(s.to_owned()))
    }
}

#[derive(Args, Clone, Debug)]
pub struct DbArgs {
    /// `sqlite://essaim.db?mode=rwc` or `postgres://user@host/db`.
    #[arg(
        long,
        env = "ESSAIM_DATABASE_URL",
        default_value = "sqlite://essaim.db?mode=rwc"
    )]
    pub database_url: Redacted,
    /// Connections in the pool.
    #[arg(long, env = "ESSAIM_DATABASE_CONNECTIONS", default_value_t = 8)]
    pub database_connections: u32,
}

#[derive(Args, Clone, Debug)]
pub struct WebArgs {
    #[arg(long, env = "ESSAIM_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// Public address used in e-mailed links.
    #[arg(long, env = "ESSAIM_BASE_URL")]
    pub base_url: Option<String>,
    /// `smtp://user:pass@host:587?tls=required`; without it, e-mails go to the log.
    #[arg(long, env = "ESSAIM_SMTP_URL")]
    pub smtp_url: Option<Redacted>,
    #[arg(
        long,
        env = "ESSAIM_MAIL_FROM",
        default_value = "Essaim <ne-pas-repondre@essaim.invalid>"
    )]
    pub mail_from: String,
    /// Mark cookies Secure and send HSTS (when served over HTTPS).
    #[arg(long, env = "ESSAIM_SECURE_COOKIES", default_value_t = false)]
    pub secure_cookies: bool,
    /// Trust `X-Forwarded-For` for the client address (only behind your reverse proxy).
    #[arg(long, env = "ESSAIM_TRUST_FORWARDED_FOR", default_value_t = false)]
    pub trust_forwarded_for: bool,
    /// Folder for uploaded documents (kept by content hash).
    #[arg(long, env = "ESSAIM_DATA_DIR", default_value = "essaim-data")]
    pub data_dir: std::path::PathBuf,
    /// Key sealing the secrets kept in the database (the e-invoicing platform's client secret):
    /// 64 hexadecimal characters. Or give a file holding it.
    #[arg(long, env = "ESSAIM_SECRET_KEY")]
    pub secret_key: Option<Redacted>,
    #[arg(long, env = "ESSAIM_SECRET_KEY_FILE")]
    pub secret_key_file: Option<std::path::PathBuf>,
    /// Background workers: each runs one job at a time (e-mails, archives, e-invoices).
    #[arg(long, env = "ESSAIM_WORKERS", default_value_t = 2, value_parser = clap::value_parser!(u8).range(1..=16))]
    pub workers: u8,
}

impl WebArgs {
    /// The key sealing kept secrets, from `--secret-key` or `--secret-key-file`; none when
    /// neither is given (such secrets then cannot be recorded).
    fn secret_key(&self) -> Result<Option<essaim_app::secret::SecretKey>> {
        let text = match (&self.secret_key, &self.secret_key_file) {
            (Some(k), _) => k.0.clone(),
            (None, Some(path)) => std::fs::read_to_string(path)
                .with_context(|| format!("reading the secret key file {}", path.display()))?,
            (None, None) => return Ok(None),
        };
        essaim_app::secret::SecretKey::parse(&text)
            .map(Some)
            .map_err(|_| anyhow::anyhow!("the secret key must be 64 hexadecimal characters"))
    }
}

#[derive(Args, Debug)]
struct ServeArgs {
    #[command(flatten)]
    db: DbArgs,
    #[command(flatten)]
    web: WebArgs,
}

#[derive(Args, Debug)]
struct DemoArgs {
    #[arg(
        long,
        env = "ESSAIM_DATABASE_URL",
        default_value = "sqlite://essaim-demo.db?mode=rwc"
    )]
    database_url: Redacted,
    #[command(flatten)]
    web: WebArgs,
    /// Number of cooperatives (80 with 125 entrepreneurs is a federation).
    #[arg(long, default_value_t = 1)]
    cooperatives: u32,
    /// Entrepreneurs per cooperative.
    #[arg(long, default_value_t = 60)]
    entrepreneurs: u32,
    /// Years of history.
    #[arg(long, default_value_t = 3)]
    years: u32,
    /// Seed: the same seed gives the same data.
    #[arg(long, default_value_t = 2026)]
    seed: u64,
    /// Seed and exit without serving.
    #[arg(long)]
    no_serve: bool,
}

#[derive(Subcommand)]
#[allow(clippy::enum_variant_names)] // the names are the subcommands: create-cooperative, create-user, create-token
enum AdminCommand {
    /// Create a cooperative.
    CreateCooperative(CreateCooperativeArgs),
    /// Create an account, optionally with a role in a cooperative.
    CreateUser(CreateUserArgs),
    /// Create a personal API token for an account; prints it once.
    CreateToken(CreateTokenArgs),
}

#[derive(Args, Debug)]
struct CreateCooperativeArgs {
    #[command(flatten)]
    db: DbArgs,
    #[arg(long)]
    legal_name: String,
    #[arg(long, default_value = "")]
    trade_name: String,
    /// scop_sarl, scop_sa, scop_sas, scic_sarl, scic_sa or scic_sas
    #[arg(long)]
    legal_form: String,
    #[arg(long)]
    siret: String,
    #[arg(long)]
    vat_number: String,
    #[arg(long)]
    rcs_city: String,
    /// Subscribed share capital in euros, e.g. 15000 or "15000,50".
    #[arg(long)]
    share_capital: String,
    #[arg(long)]
    address: String,
    #[arg(long, default_value = "")]
    address_line2: String,
    #[arg(long)]
    postcode: String,
    #[arg(long)]
    city: String,
    #[arg(long, default_value_t = 1)]
    fiscal_year_start_month: u8,
    #[arg(long, default_value_t = 1)]
    fiscal_year_start_day: u8,
    /// E-mail of an existing account that becomes administrator.
    #[arg(long)]
    admin_email: Option<String>,
}

#[derive(Args, Debug)]
struct CreateUserArgs {
    #[command(flatten)]
    db: DbArgs,
    #[arg(long)]
    email: String,
    #[arg(long)]
    name: String,
    /// The password; prefer the environment variable so it stays out of the shell history.
    #[arg(long, env = "ESSAIM_NEW_PASSWORD", hide_env_values = true)]
    password: String,
    #[arg(long, default_value = "fr")]
    locale: String,
    /// Make the account a host administrator (creates cooperatives).
    #[arg(long)]
    host_admin: bool,
    /// A cooperative (id, slug or SIREN) in which to give `--role`.
    #[arg(long, requires = "role")]
    cooperative: Option<String>,
    /// administrator, validation, accounting, payroll, coaching, entrepreneur, member or read_only
    #[arg(long, requires = "cooperative")]
    role: Option<String>,
}

#[derive(Args, Debug)]
struct CreateTokenArgs {
    #[command(flatten)]
    db: DbArgs,
    #[arg(long)]
    email: String,
    #[arg(long, default_value = "cli")]
    name: String,
}

pub async fn open_store(url: &str, connections: u32) -> Result<Store> {
    let store = Store::connect(&StoreConfig {
        url: url.to_owned(),
        max_connections: connections,
    })
    .await
    .context("opening the database")?;
    store.migrate().await.context("migrating the database")?;
    Ok(store)
}

pub fn build_app(store: Store, web: Option<&WebArgs>) -> Result<App> {
    let (mailer, base_url) = match web {
        Some(w) => (
            Mailer::new(w.smtp_url.as_ref().map(|s| s.0.as_str()), &w.mail_from)
                .map_err(|e| anyhow::anyhow!("SMTP configuration: {e}"))?,
            w.base_url
                .clone()
                .unwrap_or_else(|| format!("http://{}", w.listen)),
        ),
        None => (
            Mailer::new(None, "essaim@localhost").map_err(|e| anyhow::anyhow!(e))?,
            "http://127.0.0.1:8080".to_owned(),
        ),
    };
    let files_dir = web
        .map(|w| w.data_dir.join("files"))
        .unwrap_or_else(|| std::path::PathBuf::from("essaim-data/files"));
    let secret_key = match web {
        Some(w) => w.secret_key()?,
        None => None,
    };
    let config = AppConfig {
        base_url,
        files_dir,
        secret_key,
        ..AppConfig::default()
    };
    Ok(App::new(store, Arc::new(SystemClock), mailer, config))
}

async fn serve(app: App, web: &WebArgs) -> Result<()> {
    let state = essaim_web::AppState {
        app: app.clone(),
        config: Arc::new(essaim_web::Config {
            secure_cookies: web.secure_cookies,
            trust_forwarded_for: web.trust_forwarded_for,
        }),
    };
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let workers: Vec<_> = (0..web.workers)
        .map(|_| {
            tokio::spawn(jobs::run_worker(
                app.clone(),
                Duration::from_secs(2),
                stop_rx.clone(),
            ))
        })
        .collect();
    let listener = tokio::net::TcpListener::bind(web.listen)
        .await
        .with_context(|| format!("listening on {}", web.listen))?;
    tracing::info!(
        "Essaim listens on http://{} ({})",
        web.listen,
        app.store.backend()
    );
    if !app.mailer.delivers() {
        tracing::warn!("no SMTP configured (ESSAIM_SMTP_URL): e-mails are written to this log");
    }
    let router = essaim_web::router(state);
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await?;
    let _ = stop_tx.send(true);
    for worker in workers {
        let _ = worker.await;
    }
    app.store.close().await;
    Ok(())
}

#[tokio::main]
async fn main() -> Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("ESSAIM_LOG")
                .unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .init();
    let cli = Cli::parse();
    match cli.command {
        Command::Serve(args) => {
            let store = open_store(&args.db.database_url.0, args.db.database_connections).await?;
            serve(build_app(store, Some(&args.web))?, &args.web).await
        }
        Command::Migrate(db) => {
            let store = open_store(&db.database_url.0, 1).await?;
            println!("migrated ({})", store.backend());
            Ok(())
        }
        Command::Demo(mut args) => {
            let store = open_store(&args.database_url.0, 8).await?;
            // The demo keeps its own key beside its files, made the first time.
            if args.web.secret_key.is_none() && args.web.secret_key_file.is_none() {
                let path = args.web.data_dir.join("secret.key");
                if !path.exists() {
                    std::fs::create_dir_all(&args.web.data_dir)?;
                    let key = essaim_app::secret::SecretKey::generate()
                        .map_err(|e| anyhow::anyhow!("{e}"))?;
                    std::fs::write(&path, key)?;
                    #[cfg(unix)]
                    {
                        use std::os::unix::fs::PermissionsExt;
                        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
                    }
                }
                args.web.secret_key_file = Some(path);
            }
            let app = build_app(store, Some(&args.web))?;
            if demo::already_seeded(&app).await? {
                println!("The demo database is already seeded; serving it as it is.");
            } else {
                let started = std::time::Instant::now();
                let opts = demo::DemoOptions {
                    cooperatives: args.cooperatives,
                    entrepreneurs: args.entrepreneurs,
                    years: args.years,
                    seed: args.seed,
                };
                let summary = demo::seed(&app, opts)
                    .await
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
                println!(
                    "Seeded {} cooperative(s) and {} accounts in {:.1} s.",
                    summary.cooperatives.len(),
                    summary.users,
                    started.elapsed().as_secs_f64()
                );
            }
            println!("\nEssaim — démo : http://{}/", args.web.listen);
            println!(
                "Comptes de démonstration (mot de passe : {}) :",
                demo::DEMO_PASSWORD
            );
            for (email, role) in demo::demo_logins() {
                println!("  {email:<36} {role}");
            }
            if args.no_serve {
                return Ok(());
            }
            // The demo's e-invoicing platform: a conformance platform in this process, which
            // sends nothing to anyone (the settings page says so).
            let platform = essaim_einvoicing::conformance::Sandbox::start(
                essaim_einvoicing::conformance::Setup {
                    client_secret: essaim_app::secret::random_token()
                        .map_err(|e| anyhow::anyhow!("{e}"))?,
                    // Its dates are today's and its flow ids never those of an earlier start.
                    start: time::OffsetDateTime::now_utc(),
                    follow_clock: true,
                    flow_prefix: format!(
                        "demo{}",
                        time::OffsetDateTime::now_utc().unix_timestamp()
                    ),
                    ..Default::default()
                },
            )
            .await?;
            let connected =
                essaim_app::einvoicing::connect_demo_platform(&app, &platform.connection())
                    .await
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
            essaim_app::einvoicing::demo::fill_directory(&app, &platform)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            let sent = essaim_app::einvoicing::demo::play(&app, &platform)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            if sent > 0 {
                println!("{sent} facture(s) de démonstration envoyée(s) par la plateforme");
            }
            println!(
                "Plateforme de facturation électronique de démonstration : {} ({connected} coopérative(s))",
                platform.base
            );
            serve(app, &args.web).await
        }
        Command::Admin(AdminCommand::CreateCooperative(a)) => {
            let store = open_store(&a.db.database_url.0, 1).await?;
            let app = build_app(store, None)?;
            let input = CooperativeInput {
                legal_name: a.legal_name,
                trade_name: a.trade_name,
                legal_form: a.legal_form,
                siret: a.siret,
                vat_number: a.vat_number,
                rcs_city: a.rcs_city,
                share_capital: a.share_capital,
                address_line1: a.address,
                address_line2: a.address_line2,
                postcode: a.postcode,
                city: a.city,
                fiscal_year_start_month: a.fiscal_year_start_month.to_string(),
                fiscal_year_start_day: a.fiscal_year_start_day.to_string(),
            };
            match cooperatives::create(&app, None, &input, a.admin_email.as_deref()).await {
                Ok(id) => {
                    let c = cooperatives::find_by_reference(&app, &id.to_string())
                        .await
                        .map_err(|e| anyhow::anyhow!("{e}"))?;
                    println!("{}", serde_json::json!({ "id": id.get(), "slug": c.slug }));
                    Ok(())
                }
                Err(e) => bail!(describe(e)),
            }
        }
        Command::Admin(AdminCommand::CreateUser(a)) => {
            let store = open_store(&a.db.database_url.0, 1).await?;
            let app = build_app(store, None)?;
            let locale =
                cooperatives::parse_locale(&a.locale).map_err(|e| anyhow::anyhow!(describe(e)))?;
            let input = essaim_app::auth::AccountInput {
                email: &a.email,
                display_name: &a.name,
                password: Some(&a.password),
                locale,
                is_host_admin: a.host_admin,
            };
            let coop = match (&a.cooperative, &a.role) {
                (Some(c), Some(r)) => {
                    let coop = cooperatives::find_by_reference(&app, c)
                        .await
                        .map_err(|e| anyhow::anyhow!(describe(e)))?;
                    let kind = RoleKind::parse(r).with_context(|| format!("unknown role {r}"))?;
                    Some((coop.id, kind))
                }
                _ => None,
            };
            match cooperatives::create_user_with_role_cli(&app, &input, coop).await {
                Ok(id) => {
                    println!(
                        "{}",
                        serde_json::json!({ "id": id.get(), "email": a.email.trim().to_lowercase() })
                    );
                    Ok(())
                }
                Err(e) => bail!(describe(e)),
            }
        }
        Command::Admin(AdminCommand::CreateToken(a)) => {
            let store = open_store(&a.db.database_url.0, 1).await?;
            let app = build_app(store, None)?;
            match essaim_app::auth::create_token_cli(&app, &a.email, &a.name).await {
                Ok(t) => {
                    println!("{}", t.secret);
                    Ok(())
                }
                Err(e) => bail!(describe(e)),
            }
        }
        Command::Bench(args) => bench::run(args).await,
        Command::BenchEinvoicing(args) => bench_einvoicing::run(args).await,
        Command::Expenses(command) => spending::expenses(command).await,
        Command::Payroll(command) => payroll::run(command),
        Command::Einvoicing(command) => einvoicing::run(command).await,
        Command::SupplierInvoices(command) => spending::supplier_invoices(command).await,
        Command::Export(command) => books_export(command).await,
        Command::Import(ImportCommand::Bank(a)) => {
            let store = open_store(&a.db.database_url.0, 1).await?;
            let app = build_app(store, None)?;
            let coop = essaim_app::cooperatives::find_by_reference(&app, &a.cooperative)
                .await
                .map_err(|e| anyhow::anyhow!(e.to_string()))?;
            let bytes =
                std::fs::read(&a.file).with_context(|| format!("reading {}", a.file.display()))?;
            let name = a
                .file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let s = essaim_app::books::bank::import_for_cli(&app, coop.id, &name, &bytes)
                .await
                .map_err(cli_error)?;
            println!(
                "{}",
                serde_json::json!({ "import": s.import_id, "format": s.format, "lines": s.lines, "new": s.new_lines, "duplicates": s.duplicates })
            );
            Ok(())
        }
        Command::Invoice(InvoiceCommand::Export(a)) => invoice_export(a).await,
        Command::Invoice(command) => {
            let (a, pdf) = match command {
                InvoiceCommand::Pdf(a) => (a, true),
                InvoiceCommand::Xml(a) => (a, false),
                InvoiceCommand::Export(_) => unreachable!("matched above"),
            };
            let store = open_store(&a.db.database_url.0, 1).await?;
            let app = build_app(store, None)?;
            let (name, bytes) = invoice_file(&app, a.id, pdf).await?;
            std::fs::write(&a.out, &bytes)
                .with_context(|| format!("writing {}", a.out.display()))?;
            println!(
                "{}",
                serde_json::json!({ "id": a.id, "name": name, "out": a.out.display().to_string(), "bytes": bytes.len() })
            );
            Ok(())
        }
    }
}

/// A `YYYY-MM-DD` flag.
fn parse_day(flag: &str, value: Option<&str>) -> Result<Option<time::Date>> {
    value
        .map(|d| {
            time::Date::parse(d, time::macros::format_description!("[year]-[month]-[day]"))
                .with_context(|| format!("--{flag}: bad date {d} (YYYY-MM-DD)"))
        })
        .transpose()
}

/// `essaim invoice export`: the issued documents (or a spread of them) as files, with an index.
async fn invoice_export(a: InvoiceExportArgs) -> Result<()> {
    use essaim_app::selling::export;
    let from = parse_day("from", a.from.as_deref())?;
    let to = parse_day("to", a.to.as_deref())?;
    let store = open_store(&a.db.database_url.0, 1).await?;
    let app = build_app(store, None)?;
    let coop = essaim_app::cooperatives::find_by_reference(&app, &a.cooperative)
        .await
        .map_err(|e| anyhow::anyhow!(e.to_string()))?;
    let started = std::time::Instant::now();
    let issued = export::issued_for_cli(&app, coop.id, from, to)
        .await
        .map_err(cli_error)?;
    let traits: Vec<Vec<String>> = issued.iter().map(|d| export::traits(&d.sale)).collect();
    let picked: Vec<usize> = match a.sample {
        Some(n) => export::spread(&traits, n),
        None => (0..issued.len()).collect(),
    };
    std::fs::create_dir_all(&a.out).with_context(|| format!("creating {}", a.out.display()))?;
    let mut index = String::from("file;id;number;kind;issue_date;customer;traits\n");
    for &i in &picked {
        let d = &issued[i];
        let stem = d.file_stem();
        std::fs::write(
            a.out.join(format!("{stem}.pdf")),
            d.pdf().map_err(cli_error)?,
        )?;
        if a.xml {
            std::fs::write(
                a.out.join(format!("{stem}.xml")),
                d.xml().map_err(cli_error)?,
            )?;
        }
        index.push_str(&format!(
            "{stem}.pdf;{};{};{};{};{};{}\n",
            d.id.get(),
            d.sale.number.as_deref().unwrap_or(""),
            export::document_kind(&d.sale),
            d.sale.issue_date,
            export::customer_kind(&d.sale),
            traits[i].join(" ")
        ));
    }
    std::fs::write(a.out.join("index.csv"), index)?;
    println!(
        "{}",
        serde_json::json!({ "issued": issued.len(), "written": picked.len(), "out": a.out.display().to_string(), "ms": started.elapsed().as_millis() as u64 })
    );
    Ok(())
}

/// The PDF (or XML) of a sale document and its usual file name; no signed-in person is needed.
async fn invoice_file(app: &App, id: i64, pdf: bool) -> Result<(String, Vec<u8>)> {
    use essaim_app::selling::docs;
    let id = essaim_domain::ids::SaleDocId::new(id);
    let file = if pdf {
        docs::pdf_for_cli(app, id).await
    } else {
        docs::xml_for_cli(app, id)
            .await
            .map(|(name, xml)| (name, xml.into_bytes()))
    };
    file.map_err(|e| match e {
        // The refusals concern the document, not a flag (an XML asked for a draft).
        essaim_app::AppError::Invalid(errors) => {
            let t = essaim_web::i18n::Tr::new(essaim_domain::account::Locale::En);
            let reasons: Vec<String> = errors.0.iter().map(|f| t.error(f.code)).collect();
            anyhow::anyhow!(reasons.join("\n"))
        }
        e => anyhow::anyhow!(e.to_string()),
    })
}

/// A readable sentence for a failed command (field errors name the field).
fn describe(e: essaim_app::AppError) -> String {
    match e {
        essaim_app::AppError::Invalid(errors) => {
            let t = essaim_web::i18n::Tr::new(essaim_domain::account::Locale::En);
            errors
                .0
                .iter()
                .map(|f| format!("--{}: {}", f.field.replace('_', "-"), t.error(f.code)))
                .collect::<Vec<_>>()
                .join("\n")
        }
        e => e.to_string(),
    }
}

/// An application error in the operator's language (English), with the file line when known.
fn cli_error(e: essaim_app::AppError) -> anyhow::Error {
    let t = essaim_web::i18n::Tr::new(essaim_domain::account::Locale::En);
    match e {
        essaim_app::AppError::Invalid(errors) => {
            let reasons: Vec<String> = errors
                .0
                .iter()
                .map(|f| format!("{}: {}", f.path(), t.error(f.code)))
                .collect();
            anyhow::anyhow!(reasons.join("\n"))
        }
        essaim_app::AppError::BadFile { code, line } => match line {
            Some(l) => anyhow::anyhow!("line {l}: {}", t.error(code)),
            None => anyhow::anyhow!(t.error(code)),
        },
        e => anyhow::anyhow!(e.to_string()),
    }
}

async fn books_export(command: ExportCommand) -> Result<()> {
    use essaim_app::books::exports;
    let (db, reference, out) = match &command {
        ExportCommand::Fec(a) => (&a.db, &a.cooperative, &a.out),
        ExportCommand::Journal(a) => (&a.db, &a.cooperative, &a.out),
        ExportCommand::Balance(a) => (&a.db, &a.cooperative, &a.out),
    };
    let store = open_store(&db.database_url.0, 1).await?;
    let app = build_app(store, None)?;
    let coop = essaim_app::cooperatives::find_by_reference(&app, reference)
        .await
        .map_err(|e| anyhow::anyhow!(e.to_string()))?;
    let started = std::time::Instant::now();
    let file = match &command {
        ExportCommand::Fec(a) => exports::fec_for_cli(&app, coop.id, a.year)
            .await
            .map_err(cli_error)?,
        ExportCommand::Balance(a) => {
            let (_, tb) = essaim_app::books::views::trial_balance_for_cli(&app, coop.id, a.year)
                .await
                .map_err(cli_error)?;
            let cents = |c: i64| essaim_domain::money::Money::eur(c).typed_fr();
            let mut csv = String::from("account;label;debit;credit;balance\n");
            for r in &tb.rows {
                csv.push_str(&format!(
                    "{};{};{};{};{}\n",
                    r.account,
                    r.label.as_deref().unwrap_or("").replace(';', ","),
                    cents(r.debit_cents),
                    cents(r.credit_cents),
                    cents(r.debit_cents - r.credit_cents)
                ));
            }
            exports::ExportFile {
                name: format!("balance-{}.csv", a.year),
                content_type: "text/csv",
                lines: tb.rows.len(),
                bytes: csv.into_bytes(),
            }
        }
        ExportCommand::Journal(a) => {
            let format = exports::JournalFormat::parse(&a.format).ok_or_else(|| {
                anyhow::anyhow!("unknown format {} (hledger, sage, cegid, quadra)", a.format)
            })?;
            let (from, to) = match (
                parse_day("from", a.from.as_deref())?,
                parse_day("to", a.to.as_deref())?,
                a.year,
            ) {
                (Some(f), Some(t), _) => (f, t),
                (_, _, Some(y)) => exports::fiscal_year_for_cli(&app, coop.id, y)
                    .await
                    .map_err(cli_error)?,
                _ => anyhow::bail!("give --from and --to, or --year"),
            };
            exports::journal_for_cli(&app, coop.id, format, from, to)
                .await
                .map_err(cli_error)?
        }
    };
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    let path = out.join(&file.name);
    std::fs::write(&path, &file.bytes).with_context(|| format!("writing {}", path.display()))?;
    println!(
        "{}",
        serde_json::json!({ "out": path.display().to_string(), "lines": file.lines, "bytes": file.bytes.len(), "ms": started.elapsed().as_millis() as u64 })
    );
    Ok(())
}
