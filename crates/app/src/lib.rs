//! Essaim's use cases: one function per user intention, each in one transaction, each checking
//! who may do it (through `essaim_domain::access`) and recording it in the audit log.

pub mod activities;
pub mod actor;
pub mod audit;
pub mod auth;
pub mod books;
pub mod clock;
pub mod coaching;
pub mod competences;
pub mod contracts;
pub mod cooperatives;
pub mod demo;
pub mod directory;
pub mod documents;
pub mod einvoicing;
pub mod error;
pub mod home;
pub mod jobs;
pub mod mail;
pub mod members;
pub mod notifications;
pub mod payroll;
pub mod people;
pub mod privacy;
pub mod secret;
pub mod selling;
pub mod spending;
pub mod templates;
pub mod trainings;
pub mod workshops;

pub use actor::{Actor, CoopActor};
pub use clock::{Clock, FixedClock, SystemClock};
pub use error::AppError;

use std::sync::Arc;
use std::time::Duration;

/// Settings the application needs, read once by the CLI (STYLE 2.12).
#[derive(Clone, Debug)]
pub struct Config {
    /// Public address of the site, used in e-mailed links: `https://essaim.example.coop`.
    pub base_url: String,
    /// A session ends after this long without a request…
    pub session_idle: Duration,
    /// …and in any case after this long.
    pub session_absolute: Duration,
    /// How long a password-reset link works.
    pub reset_link_ttl: Duration,
    /// How long an invitation link (first password) works.
    pub invitation_ttl: Duration,
    /// Sign-in throttling: failures allowed per account and per network address within the window.
    pub login_window: Duration,
    pub login_max_failures_per_account: i64,
    pub login_max_failures_per_address: i64,
    pub password_hashing: secret::HashCost,
    /// Where uploaded files are kept, by content hash.
    pub files_dir: std::path::PathBuf,
    /// Seals the secrets kept in the database (the e-invoicing platform's client secret); none:
    /// such secrets cannot be recorded.
    pub secret_key: Option<secret::SecretKey>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            base_url: "http://127.0.0.1:8080".into(),
            session_idle: Duration::from_secs(12 * 3600),
            session_absolute: Duration::from_secs(14 * 24 * 3600),
            reset_link_ttl: Duration::from_secs(3600),
            invitation_ttl: Duration::from_secs(7 * 24 * 3600),
            login_window: Duration::from_secs(15 * 60),
            login_max_failures_per_account: 5,
            login_max_failures_per_address: 30,
            password_hashing: secret::HashCost::Standard,
            files_dir: std::path::PathBuf::from("essaim-data/files"),
            secret_key: None,
        }
    }
}

/// Everything a use case needs: the store, the clock, the mailer and the settings.
#[derive(Clone)]
pub struct App {
    pub store: essaim_storage::Store,
    pub clock: Arc<dyn Clock>,
    pub mailer: mail::Mailer,
    pub config: Arc<Config>,
    /// The e-invoicing platforms' clients, reused between jobs.
    pub platforms: einvoicing::Platforms,
}

impl App {
    pub fn new(
        store: essaim_storage::Store,
        clock: Arc<dyn Clock>,
        mailer: mail::Mailer,
        config: Config,
    ) -> App {
        App {
            store,
            clock,
            mailer,
            config: Arc::new(config),
            platforms: einvoicing::Platforms::default(),
        }
    }
}

/// Records the pages and the API display, as the storage layer returns them.
pub mod records {
    pub use essaim_storage::account::ApiTokenRow;
    pub use essaim_storage::activity::ActivityRecord;
    pub use essaim_storage::audit::{AuditFilter, AuditRow};
    pub use essaim_storage::books::{
        AccountRecord, AnalyticRow, BalanceRow, BankLineRecord, CsvMappingRecord, EntryFilter,
        EntryRecord, FiscalYearRecord, JournalRecord, LedgerLine, LineRecord as EntryLineRecord,
    };
    pub use essaim_storage::cooperative::CooperativeSummary;
    pub use essaim_storage::directory::{DirectoryFilter, Entry};
    pub use essaim_storage::document::{DocumentRow, Owner};
    pub use essaim_storage::job::JobRow;
    pub use essaim_storage::notification::NotificationRow;
    pub use essaim_storage::person::{
        PersonFilter, PersonLine, PersonRecord, PersonSort, RecordedEvent, RefItem,
    };
    pub use essaim_storage::role::{Member, Role, UserCooperative};
    pub use essaim_storage::sale::{
        CatalogItemRecord, CustomerRecord, DocFilter, DocRecord, EventRecord, LineRecord,
        ListTotals, PaymentRecord, SellingSettings,
    };
    pub use essaim_storage::session::SessionRow;
    pub use essaim_storage::spending::{
        BatchRecord, CategoryRecord, ExpenseLineRecord, InvoiceFilter, PayableReport, PayeeRecord,
        ReportFilter, ReportRecord, SupplierInvoiceRecord, TransferItemRecord, TripRecord,
    };
    pub use essaim_storage::training::{
        CourseRecord as TrainingCourseRecord, SessionRecord as TrainingSessionRecord,
    };
    pub use essaim_storage::workshop::{RegistrationRecord, WorkshopRecord};
}

/// Table exports (CSV, XLSX), rendered by `essaim-documents`.
pub mod exports {
    pub use essaim_documents::sale::{cii_xml, sale_pdf};
    pub use essaim_documents::table::{Table, to_csv, to_xlsx};
}
