//! A conformance platform: an HTTP server that speaks the AFNOR XP Z12-013 endpoints Essaim uses
//! (OAuth2 client credentials, Flow Service deposit, follow, download and search, Directory
//! lookups), checks what it receives as a real platform would, answers with the standard's
//! errors on demand (400, 401 expired token, 409, 413, 422, 429 with `Retry-After`, 500, slow
//! answers), and plays the other side: invoices sent to the cooperative, directory entries.
//! Tests start it in process; `essaim demo` runs it as the demo platform, labelled as such.

use crate::client::Connection;
use crate::wire::{
    AckDetail, AckStatus, Acknowledgement, DirectoryLine, ErrorBody, Flow, FlowDirection, FlowInfo,
    FlowSyntax, FlowType, FullFlowInfo, LegalUnit, LineResults, LineSearch, ProcessingRule,
    SearchParams, SearchResults, TokenAnswer, timestamp,
};
use axum::Router;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use sha2::{Digest, Sha256};
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use time::OffsetDateTime;

/// Checks a deposited file the way the platform's own validation would (for example the
/// independent Factur-X checker); an error becomes the flow's rejection reason.
pub type Checker = Arc<dyn Fn(&FlowInfo, &[u8]) -> Result<(), String> + Send + Sync>;

/// Which requests an injected fault applies to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Token,
    Deposit,
    Search,
    Read,
    Directory,
}

/// A fault the platform plays once, on the next request of its target.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fault {
    /// Answers this status with the standard's error body.
    Status(u16),
    /// 429 with `Retry-After` in seconds.
    RateLimit(u64),
    /// Waits this long before answering normally (a timeout on the client's side).
    Delay(Duration),
    /// Does the work, then answers 500 (an answer lost after the fact).
    LoseAnswer,
}

/// A flow the platform holds, with its file.
#[derive(Clone, Debug)]
pub struct Held {
    pub flow: Flow,
    pub file: Vec<u8>,
    /// Order of arrival, the cursor of searches.
    pub seq: u64,
}

struct Inner {
    client_id: String,
    client_secret: String,
    token_lifetime: Duration,
    tokens: HashMap<String, Instant>,
    issued: u64,
    flows: Vec<Held>,
    faults: VecDeque<(Target, Fault)>,
    legal_units: Vec<LegalUnit>,
    lines: Vec<DirectoryLine>,
    checker: Option<Checker>,
    max_file: usize,
    /// Every request: method, path, status answered.
    log: Vec<(String, String, u16)>,
    /// Dates handed out, strictly increasing (one second apart), from a fixed start.
    clock: OffsetDateTime,
    /// Dates never behind the real clock (the demo), rather than one second apart from `start`.
    follow_clock: bool,
    flow_prefix: String,
}

/// A running conformance platform.
#[derive(Clone)]
pub struct Sandbox {
    inner: Arc<Mutex<Inner>>,
    pub base: String,
}

type Shared = Arc<Mutex<Inner>>;

fn lock(s: &Shared) -> std::sync::MutexGuard<'_, Inner> {
    s.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn problem(status: StatusCode, code: &str, message: &str) -> Response {
    (
        status,
        axum::Json(ErrorBody {
            error_code: Some(code.to_owned()),
            error_message: Some(message.to_owned()),
        }),
    )
        .into_response()
}

fn fault_response(fault: &Fault) -> Option<Response> {
    match fault {
        Fault::Status(s) => {
            let status = StatusCode::from_u16(*s).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let code = match s {
                400 => "MISSING_REQUIRED_FIELD",
                401 => "MISSING_TOKEN",
                403 => "FORBIDDEN_ACCESS",
                404 => "MISSING_RESOURCE",
                409 => "ALREADY_EXISTING_FLOW",
                413 => "FILE_SIZE_EXCEEDED",
                422 => "UNPROCESSABLE_ENTITY",
                503 => "RESOURCE_ERROR",
                _ => "INTERNAL_ERROR",
            };
            Some(problem(
                status,
                code,
                "injected by the conformance platform",
            ))
        }
        Fault::RateLimit(secs) => {
            let mut r = problem(
                StatusCode::TOO_MANY_REQUESTS,
                "TOO_MANY_REQUESTS",
                "slow down",
            );
            if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
                r.headers_mut().insert(header::RETRY_AFTER, v);
            }
            Some(r)
        }
        Fault::Delay(_) | Fault::LoseAnswer => None,
    }
}

impl Inner {
    fn take_fault(&mut self, target: Target) -> Option<Fault> {
        let i = self.faults.iter().position(|(t, _)| *t == target)?;
        self.faults.remove(i).map(|(_, f)| f)
    }

    fn tick(&mut self) -> OffsetDateTime {
        if self.follow_clock {
            self.clock =
                (self.clock + time::Duration::milliseconds(1)).max(OffsetDateTime::now_utc());
        } else {
            self.clock += time::Duration::seconds(1);
        }
        self.clock
    }

    fn authorised(&self, headers: &HeaderMap) -> bool {
        let Some(token) = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
        else {
            return false;
        };
        self.tokens
            .get(token)
            .is_some_and(|until| Instant::now() < *until)
    }
}

/// Runs the fault due for `target`, if any: an immediate answer, or a wait.
async fn play(s: &Shared, target: Target) -> (Option<Response>, bool) {
    let fault = lock(s).take_fault(target);
    match fault {
        Some(Fault::Delay(d)) => {
            tokio::time::sleep(d).await;
            (None, false)
        }
        Some(Fault::LoseAnswer) => (None, true),
        Some(f) => (fault_response(&f), false),
        None => (None, false),
    }
}

fn record(s: &Shared, method: &str, path: &str, status: StatusCode) {
    lock(s)
        .log
        .push((method.to_owned(), path.to_owned(), status.as_u16()));
}

async fn token(State(s): State<Shared>, body: String) -> Response {
    if let (Some(r), _) = play(&s, Target::Token).await {
        return r;
    }
    let form: HashMap<String, String> = serde_urlencoded::from_str(&body).unwrap_or_default();
    let mut inner = lock(&s);
    let ok = form.get("grant_type").map(String::as_str) == Some("client_credentials")
        && form.get("client_id") == Some(&inner.client_id)
        && form.get("client_secret") == Some(&inner.client_secret);
    if !ok {
        drop(inner);
        record(&s, "POST", "/oauth2/token", StatusCode::UNAUTHORIZED);
        return (
            StatusCode::UNAUTHORIZED,
            axum::Json(serde_json::json!({ "error": "invalid_client" })),
        )
            .into_response();
    }
    inner.issued += 1;
    let token = format!("conformance-token-{}", inner.issued);
    let lifetime = inner.token_lifetime;
    inner
        .tokens
        .insert(token.clone(), Instant::now() + lifetime);
    drop(inner);
    record(&s, "POST", "/oauth2/token", StatusCode::OK);
    axum::Json(TokenAnswer {
        access_token: token,
        expires_in: Some(lifetime.as_secs()),
        token_type: Some("Bearer".into()),
    })
    .into_response()
}

async fn healthcheck(State(s): State<Shared>, headers: HeaderMap) -> Response {
    if !lock(&s).authorised(&headers) {
        return problem(StatusCode::UNAUTHORIZED, "MISSING_TOKEN", "sign in first");
    }
    StatusCode::OK.into_response()
}

fn flow_type_of(syntax: FlowSyntax) -> FlowType {
    match syntax {
        FlowSyntax::Cdar => FlowType::CustomerInvoiceLC,
        FlowSyntax::Frr => FlowType::MultiFlowReport,
        _ => FlowType::CustomerInvoice,
    }
}

async fn deposit(State(s): State<Shared>, headers: HeaderMap, mut form: Multipart) -> Response {
    let answer = deposit_inner(&s, &headers, &mut form).await;
    record(&s, "POST", "/v1/flows", answer.status());
    answer
}

async fn deposit_inner(s: &Shared, headers: &HeaderMap, form: &mut Multipart) -> Response {
    if !lock(s).authorised(headers) {
        return problem(StatusCode::UNAUTHORIZED, "MISSING_TOKEN", "sign in first");
    }
    let (early, lose) = play(s, Target::Deposit).await;
    if let Some(r) = early {
        return r;
    }
    let mut info: Option<FlowInfo> = None;
    let mut file: Option<Vec<u8>> = None;
    loop {
        let field = match form.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => return problem(StatusCode::BAD_REQUEST, "INVALID_MULTIPART", &e.to_string()),
        };
        let name = field.name().unwrap_or_default().to_owned();
        let bytes = match field.bytes().await {
            Ok(b) => b,
            Err(e) => return problem(StatusCode::BAD_REQUEST, "INVALID_MULTIPART", &e.to_string()),
        };
        match name.as_str() {
            "flowInfo" => match serde_json::from_slice::<FlowInfo>(&bytes) {
                Ok(i) => info = Some(i),
                Err(e) => {
                    return problem(StatusCode::BAD_REQUEST, "INVALID_FLOW_INFO", &e.to_string());
                }
            },
            "file" => file = Some(bytes.to_vec()),
            other => {
                return problem(
                    StatusCode::BAD_REQUEST,
                    "UNKNOWN_PART",
                    &format!("unexpected part {other}"),
                );
            }
        }
    }
    let (Some(info), Some(file)) = (info, file) else {
        return problem(
            StatusCode::BAD_REQUEST,
            "MISSING_REQUIRED_FIELD",
            "flowInfo and file are required",
        );
    };
    if info.flow_syntax == FlowSyntax::Unknown {
        return problem(
            StatusCode::BAD_REQUEST,
            "INVALID_FLOW_SYNTAX",
            "unknown flowSyntax",
        );
    }
    if info.name.trim().is_empty() || info.name.chars().count() > 255 {
        return problem(
            StatusCode::BAD_REQUEST,
            "INVALID_NAME",
            "name: 1 to 255 characters",
        );
    }
    if info
        .tracking_id
        .as_ref()
        .is_some_and(|t| t.is_empty() || t.len() > 64)
    {
        return problem(
            StatusCode::BAD_REQUEST,
            "INVALID_TRACKING_ID",
            "trackingId: 1 to 64 characters",
        );
    }
    if file.is_empty() {
        return problem(
            StatusCode::UNPROCESSABLE_ENTITY,
            "EMPTY_FLOW",
            "the file is empty",
        );
    }
    let checker = {
        let inner = lock(s);
        if file.len() > inner.max_file {
            return problem(
                StatusCode::PAYLOAD_TOO_LARGE,
                "FILE_SIZE_EXCEEDED",
                "file too large",
            );
        }
        if let Some(t) = &info.tracking_id
            && inner
                .flows
                .iter()
                .any(|h| h.flow.tracking_id.as_ref() == Some(t))
        {
            return problem(
                StatusCode::CONFLICT,
                "ALREADY_EXISTING_FLOW",
                "a flow with this trackingId exists",
            );
        }
        inner.checker.clone()
    };
    let digest = hex::encode(Sha256::digest(&file));
    let mut details = Vec::new();
    if info.sha256.as_ref().is_some_and(|h| *h != digest) {
        details.push(AckDetail {
            level: "Error".into(),
            item: "sha256".into(),
            reason_code: "ChecksumMismatch".into(),
            reason_message: "the file's SHA-256 is not the one announced".into(),
        });
    }
    if details.is_empty()
        && let Some(check) = checker
        && let Err(why) = check(&info, &file)
    {
        details.push(AckDetail {
            level: "Error".into(),
            item: info.name.clone(),
            reason_code: "InvalidSchema".into(),
            reason_message: why,
        });
    }
    let mut inner = lock(s);
    let at = timestamp(inner.tick());
    let seq = inner.flows.len() as u64 + 1;
    let flow_id = format!("{}-{seq:06}", inner.flow_prefix);
    let flow = Flow {
        flow_id: flow_id.clone(),
        tracking_id: info.tracking_id.clone(),
        name: info.name.clone(),
        submitted_at: at.clone(),
        updated_at: at.clone(),
        flow_type: Some(flow_type_of(info.flow_syntax)),
        processing_rule: info.processing_rule.or(Some(ProcessingRule::B2b)),
        flow_direction: Some(FlowDirection::Out),
        flow_syntax: Some(info.flow_syntax),
        flow_profile: info.flow_profile,
        acknowledgement: Some(Acknowledgement {
            status: if details.is_empty() {
                AckStatus::Ok
            } else {
                AckStatus::Error
            },
            details,
        }),
    };
    inner.flows.push(Held { flow, file, seq });
    drop(inner);
    if lose {
        return problem(
            StatusCode::INTERNAL_SERVER_ERROR,
            "INTERNAL_ERROR",
            "answer lost",
        );
    }
    (
        StatusCode::ACCEPTED,
        axum::Json(FullFlowInfo {
            info,
            flow_id,
            submitted_at: at,
        }),
    )
        .into_response()
}

#[derive(serde::Deserialize)]
struct DocQuery {
    #[serde(rename = "docType")]
    doc_type: Option<String>,
}

async fn read_flow(
    State(s): State<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Query<DocQuery>,
) -> Response {
    if !lock(&s).authorised(&headers) {
        return problem(StatusCode::UNAUTHORIZED, "MISSING_TOKEN", "sign in first");
    }
    if let (Some(r), _) = play(&s, Target::Read).await {
        return r;
    }
    let inner = lock(&s);
    let Some(held) = inner.flows.iter().find(|h| h.flow.flow_id == id) else {
        return problem(StatusCode::NOT_FOUND, "MISSING_RESOURCE", "no such flow");
    };
    match q.doc_type.as_deref().unwrap_or("Metadata") {
        "Metadata" => axum::Json(held.flow.clone()).into_response(),
        "Original" => {
            let mime = match held.flow.flow_syntax {
                Some(FlowSyntax::FacturX) => "application/pdf",
                _ => "application/xml",
            };
            (
                [
                    (header::CONTENT_TYPE, mime.to_owned()),
                    (
                        header::CONTENT_DISPOSITION,
                        format!("attachment;filename={}", held.flow.name),
                    ),
                ],
                held.file.clone(),
            )
                .into_response()
        }
        _ => problem(StatusCode::BAD_REQUEST, "INVALID_DOC_TYPE", "docType"),
    }
}

async fn search(State(s): State<Shared>, headers: HeaderMap, body: axum::body::Bytes) -> Response {
    let answer = search_inner(&s, &headers, &body).await;
    record(&s, "POST", "/v1/flows/search", answer.status());
    answer
}

async fn search_inner(s: &Shared, headers: &HeaderMap, body: &[u8]) -> Response {
    let s = s.clone();
    if !lock(&s).authorised(headers) {
        return problem(StatusCode::UNAUTHORIZED, "MISSING_TOKEN", "sign in first");
    }
    if let (Some(r), _) = play(&s, Target::Search).await {
        return r;
    }
    let params: SearchParams = match serde_json::from_slice(body) {
        Ok(p) => p,
        Err(e) => return problem(StatusCode::BAD_REQUEST, "INVALID_SEARCH", &e.to_string()),
    };
    if params.filters.is_empty() {
        return problem(
            StatusCode::BAD_REQUEST,
            "MISSING_CRITERIA",
            "at least one criterion",
        );
    }
    let limit = params.limit.unwrap_or(25);
    if !(1..=100).contains(&limit) {
        return problem(StatusCode::BAD_REQUEST, "INVALID_LIMIT", "limit: 1 to 100");
    }
    let after_seq: u64 = match params.cursor.as_deref() {
        None => 0,
        Some(c) => match c.strip_prefix('c').and_then(|n| n.parse().ok()) {
            Some(n) => n,
            None => return problem(StatusCode::BAD_REQUEST, "INVALID_CURSOR", "cursor"),
        },
    };
    let f = &params.filters;
    let instant = |v: &Option<String>| -> Result<Option<OffsetDateTime>, ()> {
        v.as_deref()
            .map(|t| OffsetDateTime::parse(t, &time::format_description::well_known::Rfc3339))
            .transpose()
            .map_err(|_| ())
    };
    let (Ok(after), Ok(before)) = (instant(&f.updated_after), instant(&f.updated_before)) else {
        return problem(
            StatusCode::BAD_REQUEST,
            "INVALID_DATE",
            "RFC 3339 date expected",
        );
    };
    let inner = lock(&s);
    let mut matching: Vec<&Held> = inner
        .flows
        .iter()
        .filter(|h| h.seq > after_seq)
        .filter(|h| after.is_none_or(|a| h.flow.updated().is_some_and(|u| u > a)))
        .filter(|h| before.is_none_or(|b| h.flow.updated().is_some_and(|u| u < b)))
        .filter(|h| f.tracking_id.is_none() || h.flow.tracking_id == f.tracking_id)
        .filter(|h| {
            f.flow_direction.is_empty()
                || h.flow
                    .flow_direction
                    .is_some_and(|d| f.flow_direction.contains(&d))
        })
        .filter(|h| {
            f.flow_type.is_empty() || h.flow.flow_type.is_some_and(|t| f.flow_type.contains(&t))
        })
        .filter(|h| {
            f.processing_rule.is_empty()
                || h.flow
                    .processing_rule
                    .is_some_and(|r| f.processing_rule.contains(&r))
        })
        .filter(|h| {
            f.ack_status.is_none()
                || h.flow.acknowledgement.as_ref().map(|a| a.status) == f.ack_status
        })
        .collect();
    matching.sort_by_key(|h| h.seq);
    let more = matching.len() > limit as usize;
    let page: Vec<&Held> = matching.into_iter().take(limit as usize).collect();
    let next_cursor = if more {
        page.last().map(|h| format!("c{}", h.seq))
    } else {
        None
    };
    axum::Json(SearchResults {
        limit: Some(limit),
        results: page.iter().map(|h| h.flow.clone()).collect(),
        next_cursor,
    })
    .into_response()
}

async fn siren(State(s): State<Shared>, headers: HeaderMap, Path(key): Path<String>) -> Response {
    if !lock(&s).authorised(&headers) {
        return problem(StatusCode::UNAUTHORIZED, "MISSING_TOKEN", "sign in first");
    }
    if let (Some(r), _) = play(&s, Target::Directory).await {
        return r;
    }
    let Some(siren) = key.strip_prefix("code-insee:") else {
        return problem(
            StatusCode::NOT_FOUND,
            "MISSING_RESOURCE",
            "use code-insee:{siren}",
        );
    };
    if siren.len() != 9 || !siren.bytes().all(|b| b.is_ascii_digit()) {
        return problem(StatusCode::BAD_REQUEST, "INVALID_SIREN", "nine digits");
    }
    let inner = lock(&s);
    match inner.legal_units.iter().find(|u| u.siren == siren) {
        Some(u) => axum::Json(u.clone()).into_response(),
        None => problem(StatusCode::NOT_FOUND, "MISSING_RESOURCE", "unknown SIREN"),
    }
}

async fn line_search(
    State(s): State<Shared>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    if !lock(&s).authorised(&headers) {
        return problem(StatusCode::UNAUTHORIZED, "MISSING_TOKEN", "sign in first");
    }
    if let (Some(r), _) = play(&s, Target::Directory).await {
        return r;
    }
    let search: LineSearch = match serde_json::from_slice(&body) {
        Ok(p) => p,
        Err(e) => return problem(StatusCode::BAD_REQUEST, "INVALID_SEARCH", &e.to_string()),
    };
    let strict = |c: &Option<crate::wire::Criterion>, v: &Option<String>| {
        c.as_ref()
            .is_none_or(|c| c.op == "strict" && v.as_deref() == Some(c.value.as_str()))
    };
    let inner = lock(&s);
    let results: Vec<DirectoryLine> = inner
        .lines
        .iter()
        .filter(|l| strict(&search.filters.siren, &l.siren))
        .filter(|l| strict(&search.filters.siret, &l.siret))
        .filter(|l| strict(&search.filters.routing_identifier, &l.routing_identifier))
        .skip(search.ignore.unwrap_or(0) as usize)
        .take(search.limit.unwrap_or(100) as usize)
        .cloned()
        .collect();
    axum::Json(LineResults {
        total_number_of_results: Some(results.len() as i64),
        results,
    })
    .into_response()
}

/// How to start a conformance platform.
#[derive(Clone)]
pub struct Setup {
    pub client_id: String,
    pub client_secret: String,
    pub token_lifetime: Duration,
    pub max_file: usize,
    pub checker: Option<Checker>,
    /// The first date the platform hands out.
    pub start: OffsetDateTime,
    /// The start of the flow ids it gives (`flow-000001`…): a platform started again with
    /// another prefix never gives an id an earlier one gave.
    pub flow_prefix: String,
    /// Hand out the real time when it is later than the next second from `start` (the demo:
    /// its dates are today's and follow the other parties'); tests keep fixed dates.
    pub follow_clock: bool,
}

impl Default for Setup {
    fn default() -> Self {
        Setup {
            client_id: "essaim".into(),
            client_secret: "conformance-secret".into(),
            token_lifetime: Duration::from_secs(3600),
            max_file: 100 * 1024 * 1024,
            checker: None,
            start: time::macros::datetime!(2026-09-01 08:00 UTC),
            flow_prefix: "flow".into(),
            follow_clock: false,
        }
    }
}

impl Sandbox {
    /// Starts the platform on a free port of 127.0.0.1.
    pub async fn start(setup: Setup) -> std::io::Result<Sandbox> {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await?;
        Sandbox::serve(listener, setup)
    }

    fn serve(listener: tokio::net::TcpListener, setup: Setup) -> std::io::Result<Sandbox> {
        let base = format!("http://{}", listener.local_addr()?);
        let inner = Arc::new(Mutex::new(Inner {
            client_id: setup.client_id,
            client_secret: setup.client_secret,
            token_lifetime: setup.token_lifetime,
            tokens: HashMap::new(),
            issued: 0,
            flows: Vec::new(),
            faults: VecDeque::new(),
            legal_units: Vec::new(),
            lines: Vec::new(),
            checker: setup.checker,
            max_file: setup.max_file,
            log: Vec::new(),
            clock: setup.start,
            flow_prefix: setup.flow_prefix,
            follow_clock: setup.follow_clock,
        }));
        let router = Router::new()
            .route("/oauth2/token", post(token))
            .route("/flow-service/v1/healthcheck", get(healthcheck))
            .route("/flow-service/v1/flows", post(deposit))
            .route("/flow-service/v1/flows/search", post(search))
            .route("/flow-service/v1/flows/{id}", get(read_flow))
            .route("/directory-service/v1/siren/{key}", get(siren))
            .route(
                "/directory-service/v1/directory-line/search",
                post(line_search),
            )
            .layer(axum::extract::DefaultBodyLimit::max(
                setup.max_file + 1024 * 1024,
            ))
            .with_state(inner.clone());
        tokio::spawn(async move {
            if let Err(e) = axum::serve(listener, router).await {
                tracing::warn!("conformance platform stopped: {e}");
            }
        });
        Ok(Sandbox { inner, base })
    }

    /// The connection Essaim needs to talk to this platform.
    pub fn connection(&self) -> Connection {
        let inner = lock(&self.inner);
        Connection {
            flow_url: format!("{}/flow-service", self.base),
            directory_url: format!("{}/directory-service", self.base),
            token_url: format!("{}/oauth2/token", self.base),
            client_id: inner.client_id.clone(),
            client_secret: inner.client_secret.clone(),
            timeout: Duration::from_secs(10),
        }
    }

    /// Plays `fault` on the next request of `target`.
    pub fn inject(&self, target: Target, fault: Fault) {
        lock(&self.inner).faults.push_back((target, fault));
    }

    /// Every token handed out so far stops working (as after its expiry).
    pub fn expire_tokens(&self) {
        lock(&self.inner).tokens.clear();
    }

    /// The flows deposited by Essaim, in order.
    pub fn deposits(&self) -> Vec<Held> {
        lock(&self.inner)
            .flows
            .iter()
            .filter(|h| h.flow.flow_direction == Some(FlowDirection::Out))
            .cloned()
            .collect()
    }

    /// The requests received: method, path, status answered.
    pub fn log(&self) -> Vec<(String, String, u16)> {
        lock(&self.inner).log.clone()
    }

    pub fn add_legal_unit(&self, unit: LegalUnit) {
        lock(&self.inner).legal_units.push(unit);
    }

    pub fn add_directory_line(&self, line: DirectoryLine) {
        lock(&self.inner).lines.push(line);
    }

    /// A flow arriving for the cooperative (a supplier's invoice, a lifecycle message): Essaim
    /// finds it by searching the incoming flows. Returns its id.
    pub fn arrive(
        &self,
        name: &str,
        syntax: FlowSyntax,
        flow_type: FlowType,
        file: Vec<u8>,
    ) -> String {
        let mut inner = lock(&self.inner);
        let at = timestamp(inner.tick());
        let seq = inner.flows.len() as u64 + 1;
        let flow_id = format!("{}-{seq:06}", inner.flow_prefix);
        inner.flows.push(Held {
            flow: Flow {
                flow_id: flow_id.clone(),
                tracking_id: None,
                name: name.to_owned(),
                submitted_at: at.clone(),
                updated_at: at,
                flow_type: Some(flow_type),
                processing_rule: Some(ProcessingRule::B2b),
                flow_direction: Some(FlowDirection::In),
                flow_syntax: Some(syntax),
                flow_profile: None,
                acknowledgement: Some(Acknowledgement {
                    status: AckStatus::Ok,
                    details: Vec::new(),
                }),
            },
            file,
            seq,
        });
        flow_id
    }
}
