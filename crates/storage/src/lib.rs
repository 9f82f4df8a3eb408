//! Essaim's storage: one SQL text for SQLite and PostgreSQL, native pools behind one enum
//! (STYLE 2.10), twin migrations, rows mapped to domain values. No business rule lives here.

use sqlx::{PgPool, Postgres, Sqlite, SqlitePool};
use std::str::FromStr;
use std::time::Duration;

pub mod account;
pub mod activity;
pub mod audit;
pub mod books;
pub mod coaching;
pub mod competence;
pub mod contract;
pub mod cooperative;
pub mod directory;
pub mod document;
pub mod einvoicing;
pub mod job;
pub mod notification;
pub mod payroll;
pub mod payroll_bridge;
pub mod person;
pub mod role;
pub mod sale;
pub mod session;
pub mod spending;
pub mod template;
pub mod training;
pub mod workshop;

/// Runs `$body` with `$pool` bound to the native pool.
macro_rules! on_db {
    ($db:expr, |$pool:ident| $body:expr) => {
        match $db {
            $crate::Db::Sqlite($pool) => $body,
            $crate::Db::Pg($pool) => $body,
        }
    };
}

/// Runs `$body` with `$conn` bound to the native connection of the transaction.
macro_rules! on_tx {
    ($tx:expr, |$conn:ident| $body:expr) => {
        match $tx {
            $crate::Tx::Sqlite(t) => {
                let $conn = &mut **t;
                $body
            }
            $crate::Tx::Pg(t) => {
                let $conn = &mut **t;
                $body
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use on_db;
pub(crate) use on_tx;

/// The two backends, each with its native pool.
#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePool),
    Pg(PgPool),
}

/// An open transaction on either backend. Storage functions take `&mut Tx`; the use case owns it.
pub enum Tx {
    Sqlite(sqlx::Transaction<'static, Sqlite>),
    Pg(sqlx::Transaction<'static, Postgres>),
}

impl Tx {
    pub async fn commit(self) -> Result<(), StorageError> {
        match self {
            Tx::Sqlite(t) => t.commit().await?,
            Tx::Pg(t) => t.commit().await?,
        }
        Ok(())
    }
    pub async fn rollback(self) -> Result<(), StorageError> {
        match self {
            Tx::Sqlite(t) => t.rollback().await?,
            Tx::Pg(t) => t.rollback().await?,
        }
        Ok(())
    }
}

/// A named conflict, raised where a unique rule can be broken by a caller.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Conflict {
    EmailTaken,
    SiretTaken,
    SlugTaken,
    AnalyticCodeTaken,
}

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("conflict: {0:?}")]
    Conflict(Conflict),
    #[error("stored data is invalid: {0}")]
    Corrupt(String),
    #[error(transparent)]
    Sqlx(#[from] sqlx::Error),
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("unsupported database URL (expected sqlite:// or postgres://)")]
    UnsupportedUrl,
}

/// Turns a unique-constraint violation into the named conflict.
pub(crate) fn on_unique(conflict: Conflict) -> impl FnOnce(sqlx::Error) -> StorageError {
    move |e| match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => StorageError::Conflict(conflict),
        _ => StorageError::Sqlx(e),
    }
}

pub(crate) fn corrupt(what: impl Into<String>) -> StorageError {
    StorageError::Corrupt(what.into())
}

/// How to reach the database.
#[derive(Clone, Debug)]
pub struct Config {
    /// `sqlite://essaim.db?mode=rwc` or `postgres://user@host/db`.
    pub url: String,
    pub max_connections: u32,
}

/// The database handle the application holds.
#[derive(Clone, Debug)]
pub struct Store {
    db: Db,
}

impl Store {
    /// Opens the pool. SQLite gets WAL, a 10 s busy timeout, `synchronous = NORMAL` and foreign keys.
    pub async fn connect(config: &Config) -> Result<Store, StorageError> {
        let url = config.url.as_str();
        let db = if url.starts_with("sqlite:") {
            let opts = sqlx::sqlite::SqliteConnectOptions::from_str(url)?
                .journal_mode(sqlx::sqlite::SqliteJournalMode::Wal)
                .synchronous(sqlx::sqlite::SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true);
            let pool = sqlx::sqlite::SqlitePoolOptions::new()
                .max_connections(config.max_connections)
                .connect_with(opts)
                .await?;
            Db::Sqlite(pool)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let pool = sqlx::postgres::PgPoolOptions::new()
                .max_connections(config.max_connections)
                .connect(url)
                .await?;
            Db::Pg(pool)
        } else {
            return Err(StorageError::UnsupportedUrl);
        };
        Ok(Store { db })
    }

    /// Applies the pending migrations of the backend.
    pub async fn migrate(&self) -> Result<(), StorageError> {
        match &self.db {
            Db::Sqlite(p) => sqlx::migrate!("./migrations/sqlite").run(p).await?,
            Db::Pg(p) => sqlx::migrate!("./migrations/postgres").run(p).await?,
        }
        Ok(())
    }

    /// Opens a write transaction (`BEGIN IMMEDIATE` on SQLite, see STACK.md).
    pub async fn begin(&self) -> Result<Tx, StorageError> {
        Ok(match &self.db {
            Db::Sqlite(p) => Tx::Sqlite(p.begin_with("BEGIN IMMEDIATE").await?),
            Db::Pg(p) => Tx::Pg(p.begin().await?),
        })
    }

    /// Opens a read transaction: a consistent view that takes no write lock.
    pub async fn read(&self) -> Result<Tx, StorageError> {
        Ok(match &self.db {
            Db::Sqlite(p) => Tx::Sqlite(p.begin().await?),
            Db::Pg(p) => Tx::Pg(p.begin_with("BEGIN READ ONLY").await?),
        })
    }

    /// What autovacuum does in a running PostgreSQL, done now (after a bulk load such as the bench's
    /// demo): statistics for the planner and the visibility map that index-only scans need.
    pub async fn vacuum_analyze(&self) -> Result<(), StorageError> {
        if let Db::Pg(pool) = &self.db {
            sqlx::query("vacuum analyze").execute(pool).await?;
        }
        Ok(())
    }

    pub fn backend(&self) -> &'static str {
        match &self.db {
            Db::Sqlite(_) => "sqlite",
            Db::Pg(_) => "postgres",
        }
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    pub async fn close(&self) {
        on_db!(&self.db, |p| p.close().await)
    }
}

/// Creates a new, empty PostgreSQL database beside the one `server_url` names and returns its URL.
/// Used by tests and benchmarks for a fresh database per run.
/// Refreshes the planner's statistics inside a long transaction (PostgreSQL only): a bulk load
/// in one transaction (the demo) otherwise plans against empty tables and slows down as they fill.
pub async fn refresh_statistics(tx: &mut Tx) -> Result<(), StorageError> {
    if let Tx::Pg(t) = tx {
        sqlx::query("analyze").execute(&mut **t).await?;
    }
    Ok(())
}

pub async fn create_postgres_database(
    server_url: &str,
    name: &str,
) -> Result<String, StorageError> {
    if !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return Err(corrupt("database name"));
    }
    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(1)
        .connect(server_url)
        .await?;
    let sql = format!("create database {name}");
    sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&pool).await?;
    pool.close().await;
    let (base, _) = server_url
        .rsplit_once('/')
        .ok_or(StorageError::UnsupportedUrl)?;
    let query = server_url
        .split_once('?')
        .map(|(_, q)| format!("?{q}"))
        .unwrap_or_default();
    Ok(format!("{base}/{name}{query}"))
}

/// Drops the test databases an earlier test process left behind: those named
/// `{prefix}_{pid}_{n}` or `{prefix}_c{pid}_{n}` whose process no longer runs (tests create one
/// database each and cannot drop it when they end). Does nothing where processes cannot be
/// looked up (`/proc`).
pub async fn sweep_test_databases(server_url: &str, prefix: &str) -> Result<usize, StorageError> {
    if !std::path::Path::new("/proc/self").exists() {
        return Ok(0);
    }
    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(1)
        .connect(server_url)
        .await?;
    let names: Vec<String> = sqlx::query_scalar("select datname from pg_database")
        .fetch_all(&pool)
        .await?;
    pool.close().await;
    let mut dropped = 0;
    for name in names {
        let Some(rest) = name.strip_prefix(&format!("{prefix}_")) else {
            continue;
        };
        let rest = rest.strip_prefix('c').unwrap_or(rest);
        let Some((pid, n)) = rest.split_once('_') else {
            continue;
        };
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(pid) || !digits(n) || std::path::Path::new(&format!("/proc/{pid}")).exists() {
            continue;
        }
        drop_postgres_database(server_url, &name).await?;
        dropped += 1;
    }
    Ok(dropped)
}

/// Drops a database created by [`create_postgres_database`].
pub async fn drop_postgres_database(server_url: &str, name: &str) -> Result<(), StorageError> {
    if !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return Err(corrupt("database name"));
    }
    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(1)
        .connect(server_url)
        .await?;
    let sql = format!("drop database if exists {name} with (force)");
    sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&pool).await?;
    pool.close().await;
    Ok(())
}
