//! Test helpers: an in-process Essaim over a fresh database and a fixed clock, with two
//! cooperatives and one person per role, and a client that signs in and sends forms like a browser.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test support: a failed step should stop the test loudly

pub mod smtp;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, Response, StatusCode, header};
use essaim_app::{App, Config, FixedClock, auth, cooperatives, mail::Mailer, secret::HashCost};
use essaim_domain::access::RoleKind;
use essaim_domain::cooperative::CooperativeInput;
use essaim_storage::{Config as StoreConfig, Store};
use http_body_util::BodyExt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use tower::ServiceExt;

pub const PASSWORD: &str = "mot de passe de test";
pub const NOW: time::OffsetDateTime = time::macros::datetime!(2026-11-29 10:00 UTC);

static COUNTER: AtomicU64 = AtomicU64::new(0);
static SWEPT: tokio::sync::OnceCell<()> = tokio::sync::OnceCell::const_new();

/// A unique name for a test database or file.
pub fn unique(prefix: &str) -> String {
    format!(
        "{prefix}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst)
    )
}

/// Which database a test runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The backends to run storage tests on: SQLite always, PostgreSQL when
/// `ESSAIM_TEST_POSTGRES_URL` is set.
pub fn backends() -> Vec<Backend> {
    let mut v = vec![Backend::Sqlite];
    if std::env::var("ESSAIM_TEST_POSTGRES_URL").is_ok_and(|u| !u.is_empty()) {
        v.push(Backend::Postgres);
    }
    v
}

/// A fresh, migrated database of the given backend.
pub async fn fresh_store(backend: Backend) -> Store {
    let url = match backend {
        Backend::Sqlite => {
            let dir = std::env::temp_dir().join("essaim-tests");
            std::fs::create_dir_all(&dir).expect("temp dir");
            format!(
                "sqlite://{}?mode=rwc",
                dir.join(format!("{}.db", unique("t"))).display()
            )
        }
        Backend::Postgres => {
            let server =
                std::env::var("ESSAIM_TEST_POSTGRES_URL").expect("ESSAIM_TEST_POSTGRES_URL");
            let base = server
                .rsplit('/')
                .next()
                .and_then(|s| s.split('?').next())
                .unwrap_or("essaim")
                .to_owned();
            // Once per test process, the databases of processes gone are dropped.
            SWEPT
                .get_or_init(|| async {
                    let _ = essaim_storage::sweep_test_databases(&server, &base).await;
                })
                .await;
            essaim_storage::create_postgres_database(&server, &unique(&base))
                .await
                .expect("create test database")
        }
    };
    let store = Store::connect(&StoreConfig {
        url,
        max_connections: 8,
    })
    .await
    .expect("connect");
    store.migrate().await.expect("migrate");
    store
}

pub fn coop_input(name: &str, siret: &str, vat: &str) -> CooperativeInput {
    CooperativeInput {
        legal_name: name.into(),
        trade_name: String::new(),
        legal_form: "scop_sarl".into(),
        siret: siret.into(),
        vat_number: vat.into(),
        rcs_city: "Lyon".into(),
        share_capital: "15000".into(),
        address_line1: "12 rue de la République".into(),
        address_line2: String::new(),
        postcode: "69001".into(),
        city: "Lyon".into(),
        fiscal_year_start_month: "1".into(),
        fiscal_year_start_day: "1".into(),
    }
}

/// Two valid company numbers for the two test cooperatives.
pub const SIRET_A: (&str, &str) = ("73282932000074", "FR44732829320");
pub const SIRET_B: (&str, &str) = ("55210055400013", "FR96552100554");

pub struct TestApp {
    pub app: App,
    pub clock: Arc<FixedClock>,
    pub router: Router,
    pub coop_a: String,
    pub coop_b: String,
}

/// The e-mail of the test person holding `kind` in cooperative A.
pub fn email_for(kind: RoleKind) -> String {
    format!("{}@a.test.essaim.coop", kind.code().replace('_', "-"))
}
/// The server key of test applications (seals the platform secrets they record).
pub const TEST_SECRET_KEY: &str =
    "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
pub const HOST_EMAIL: &str = "host@test.essaim.coop";
pub const ADMIN_B_EMAIL: &str = "admin@b.test.essaim.coop";

impl TestApp {
    pub async fn spawn() -> TestApp {
        TestApp::spawn_with(
            Backend::Sqlite,
            Mailer::new(None, "essaim@test.invalid").expect("mailer"),
        )
        .await
    }

    pub async fn spawn_with(backend: Backend, mailer: Mailer) -> TestApp {
        let store = fresh_store(backend).await;
        let clock = Arc::new(FixedClock::new(NOW));
        let files_dir = std::env::temp_dir()
            .join("essaim-tests")
            .join(unique("files"));
        let config = Config {
            base_url: "http://essaim.test".into(),
            password_hashing: HashCost::Fast,
            files_dir,
            secret_key: essaim_app::secret::SecretKey::parse(TEST_SECRET_KEY).ok(),
            ..Config::default()
        };
        let app = App::new(store, clock.clone(), mailer, config);
        let a = cooperatives::create(
            &app,
            None,
            &coop_input("Coopérative A", SIRET_A.0, SIRET_A.1),
            None,
        )
        .await
        .expect("coop A");
        let b = cooperatives::create(
            &app,
            None,
            &coop_input("Coopérative B", SIRET_B.0, SIRET_B.1),
            None,
        )
        .await
        .expect("coop B");
        for kind in RoleKind::ALL {
            let email = email_for(kind);
            let input = auth::AccountInput {
                email: &email,
                display_name: &format!("Personne {}", kind.code()),
                password: Some(PASSWORD),
                locale: essaim_domain::account::Locale::Fr,
                is_host_admin: false,
            };
            cooperatives::create_user_with_role_cli(&app, &input, Some((a, kind)))
                .await
                .expect("user");
        }
        let input = auth::AccountInput {
            email: ADMIN_B_EMAIL,
            display_name: "Admin B",
            password: Some(PASSWORD),
            locale: essaim_domain::account::Locale::Fr,
            is_host_admin: false,
        };
        cooperatives::create_user_with_role_cli(&app, &input, Some((b, RoleKind::Administrator)))
            .await
            .expect("admin b");
        let input = auth::AccountInput {
            email: HOST_EMAIL,
            display_name: "Hébergeur",
            password: Some(PASSWORD),
            locale: essaim_domain::account::Locale::Fr,
            is_host_admin: true,
        };
        cooperatives::create_user_with_role_cli(&app, &input, None)
            .await
            .expect("host");
        let coop_a = cooperatives::find_by_reference(&app, &a.to_string())
            .await
            .expect("a")
            .slug;
        let coop_b = cooperatives::find_by_reference(&app, &b.to_string())
            .await
            .expect("b")
            .slug;
        let state = essaim_web::AppState {
            app: app.clone(),
            config: Arc::new(essaim_web::Config::default()),
        };
        let router = essaim_web::router(state);
        TestApp {
            app,
            clock,
            router,
            coop_a,
            coop_b,
        }
    }

    /// A browser with no cookie yet.
    pub fn client(&self) -> Client {
        Client {
            router: self.router.clone(),
            session: None,
            csrf: None,
            bearer: None,
        }
    }

    /// A browser signed in through the real sign-in form.
    pub async fn signed_in(&self, email: &str) -> Client {
        let mut c = self.client();
        let r = c
            .post_form("/login", &[("email", email), ("password", PASSWORD)])
            .await;
        assert_eq!(
            r.status,
            StatusCode::SEE_OTHER,
            "sign-in of {email} failed: {}",
            r.body
        );
        c.csrf = None;
        c
    }

    /// A browser signed in with a given password.
    pub async fn signed_in_with(&self, email: &str, password: &str) -> Client {
        let mut c = self.client();
        let r = c
            .post_form("/login", &[("email", email), ("password", password)])
            .await;
        assert_eq!(
            r.status,
            StatusCode::SEE_OTHER,
            "sign-in of {email} failed: {}",
            r.body
        );
        c
    }

    /// A client with a fresh API token of the person.
    pub async fn api_client(&self, email: &str) -> Client {
        let token = auth::create_token_cli(&self.app, email, "test")
            .await
            .expect("token");
        Client {
            router: self.router.clone(),
            session: None,
            csrf: None,
            bearer: Some(token.secret),
        }
    }

    /// The person with this e-mail, acting from the tests.
    pub async fn actor(&self, email: &str) -> essaim_app::Actor {
        let mut tx = self.app.store.read().await.expect("read");
        let email = essaim_domain::account::Email::parse(email).expect("email");
        let user = essaim_storage::account::find_with_hash(&mut tx, &email)
            .await
            .expect("find")
            .expect("a user")
            .0;
        tx.commit().await.expect("commit");
        essaim_app::Actor {
            user,
            session: None,
            ip: "test".into(),
        }
    }

    /// The person acting inside cooperative `slug`.
    pub async fn coop_actor(&self, email: &str, slug: &str) -> essaim_app::CoopActor {
        cooperatives::enter(&self.app, &self.actor(email).await, slug)
            .await
            .expect("enter")
    }

    /// Who a session belongs to.
    pub async fn session_owner(&self, id: i64) -> Option<i64> {
        let mut tx = self.app.store.read().await.expect("read");
        let owner = essaim_storage::session::owner(&mut tx, essaim_domain::ids::SessionId::new(id))
            .await
            .expect("owner");
        tx.commit().await.expect("commit");
        owner.map(|o| o.get())
    }

    /// Claims a due job as a worker would, without running it (to simulate a crash).
    pub async fn claim_job(&self) -> Option<essaim_app::records::JobRow> {
        use essaim_app::Clock;
        let mut tx = self.app.store.begin().await.expect("begin");
        let job = essaim_storage::job::claim_next(&mut tx, self.clock.now())
            .await
            .expect("claim");
        tx.commit().await.expect("commit");
        job
    }

    /// Runs every due background job.
    pub async fn run_jobs(&self) {
        while essaim_app::jobs::run_once(&self.app)
            .await
            .expect("job run")
        {}
    }
}

/// A response read whole.
pub struct Reply {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

pub struct Client {
    router: Router,
    pub session: Option<String>,
    pub csrf: Option<String>,
    pub bearer: Option<String>,
}

/// The value of the first hidden `_csrf` field of a page.
pub fn csrf_in(html: &str) -> Option<String> {
    let at = html.find("name=\"_csrf\" value=\"")?;
    let rest = &html[at + 20..];
    Some(rest[..rest.find('"')?].to_owned())
}

impl Client {
    fn cookie_header(&self) -> String {
        let mut parts = Vec::new();
        if let Some(s) = &self.session {
            parts.push(format!("essaim_session={s}"));
        }
        if let Some(c) = &self.csrf {
            parts.push(format!("essaim_csrf={c}"));
        }
        parts.join("; ")
    }

    pub async fn send(&mut self, req: Request<Body>) -> Reply {
        let resp: Response<Body> = self.router.clone().oneshot(req).await.expect("request");
        let status = resp.status();
        let headers = resp.headers().clone();
        for v in headers.get_all(header::SET_COOKIE) {
            let v = v.to_str().unwrap_or("");
            if let Some(rest) = v.strip_prefix("essaim_session=") {
                let value = rest.split(';').next().unwrap_or("").to_owned();
                self.session = if value.is_empty() { None } else { Some(value) };
            } else if let Some(rest) = v.strip_prefix("essaim_csrf=") {
                self.csrf = Some(rest.split(';').next().unwrap_or("").to_owned());
            }
        }
        let bytes = resp.into_body().collect().await.expect("body").to_bytes();
        Reply {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    fn request(&self, method: &str, path: &str) -> axum::http::request::Builder {
        let mut b = Request::builder().method(method).uri(path);
        let cookies = self.cookie_header();
        if !cookies.is_empty() {
            b = b.header(header::COOKIE, cookies);
        }
        if let Some(t) = &self.bearer {
            b = b.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        b
    }

    pub async fn get(&mut self, path: &str) -> Reply {
        let req = self
            .request("GET", path)
            .body(Body::empty())
            .expect("request");
        self.send(req).await
    }

    /// The CSRF token a page of this browser carries (read from a page, as a browser would).
    pub async fn form_token(&mut self) -> String {
        let page = if self.session.is_some() {
            "/account"
        } else {
            "/login"
        };
        let r = self.get(page).await;
        csrf_in(&r.body).unwrap_or_else(|| panic!("no CSRF token on {page}: {}", r.body))
    }

    /// Posts a form with this browser's CSRF token, as the page would.
    pub async fn post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> Reply {
        let token = self.form_token().await;
        let mut all: Vec<(&str, &str)> = vec![("_csrf", token.as_str())];
        all.extend_from_slice(fields);
        self.post_raw(path, &all).await
    }

    /// Posts exactly these fields (no CSRF token added).
    pub async fn post_raw(&mut self, path: &str, fields: &[(&str, &str)]) -> Reply {
        let body = serde_urlencoded::to_string(fields).expect("form");
        let req = self
            .request("POST", path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .expect("request");
        self.send(req).await
    }

    /// Posts a multipart form (a file upload) with the CSRF token.
    pub async fn post_file(
        &mut self,
        path: &str,
        field: &str,
        filename: &str,
        bytes: &[u8],
    ) -> Reply {
        self.post_multipart(path, &[], (field, filename, bytes))
            .await
    }

    /// Posts a multipart form with text fields and one file (`file` may be empty: no file
    /// chosen), with the CSRF token.
    pub async fn post_multipart(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        file: (&str, &str, &[u8]),
    ) -> Reply {
        let token = self.form_token().await;
        let boundary = "essaimtestboundary";
        let mut body = Vec::new();
        let mut all: Vec<(&str, &str)> = vec![("_csrf", &token)];
        all.extend_from_slice(fields);
        for (k, v) in all {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
                )
                .as_bytes(),
            );
        }
        let (field, filename, bytes) = file;
        body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes());
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let req = self
            .request("POST", path)
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(Body::from(body))
            .expect("request");
        self.send(req).await
    }

    pub async fn post_json(&mut self, path: &str, json: &serde_json::Value) -> Reply {
        let req = self
            .request("POST", path)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(json.to_string()))
            .expect("request");
        self.send(req).await
    }
}
