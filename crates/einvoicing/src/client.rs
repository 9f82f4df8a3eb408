//! A client of the cooperative's approved platform through the AFNOR XP Z12-013 services: it
//! signs in with OAuth2 client credentials (the token kept until shortly before it expires, and
//! asked again once when the platform says it is no longer valid), deposits flows, follows and
//! downloads them, searches them page by page, and looks companies up in the directory.

use crate::wire::{
    DirectoryLine, ErrorBody, Flow, FlowInfo, FullFlowInfo, LegalUnit, LineFilters, LineResults,
    LineSearch, SearchFilters, SearchParams, SearchResults, TokenAnswer,
};
use reqwest::StatusCode;
use std::time::{Duration, Instant};

/// Where the platform is and how Essaim signs in.
#[derive(Clone, PartialEq, Eq)]
pub struct Connection {
    /// The Flow Service's base URL, before `/v1/…` (`https://api.pa.example/flow-service`).
    pub flow_url: String,
    /// The Directory Service's base URL, before `/v1/…`.
    pub directory_url: String,
    /// The OAuth2 token endpoint.
    pub token_url: String,
    pub client_id: String,
    pub client_secret: String,
    /// How long one request may take.
    pub timeout: Duration,
}

impl std::fmt::Debug for Connection {
    /// Never prints the secret.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connection")
            .field("flow_url", &self.flow_url)
            .field("directory_url", &self.directory_url)
            .field("token_url", &self.token_url)
            .field("client_id", &self.client_id)
            .finish_non_exhaustive()
    }
}

/// What went wrong talking to the platform.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PaError {
    #[error("the platform refused Essaim's credentials")]
    Unauthorized,
    #[error("the platform refused the request ({status}): {code} {message}")]
    Refused {
        status: u16,
        code: String,
        message: String,
    },
    #[error("the platform already holds a flow with this tracking id")]
    Duplicate,
    #[error("the platform does not know this flow or company")]
    NotFound,
    #[error("the platform asks to slow down")]
    RateLimited { retry_after: Option<Duration> },
    #[error("the platform is unavailable ({status})")]
    Unavailable { status: u16 },
    #[error("the platform did not answer in time")]
    Timeout,
    #[error("cannot reach the platform: {0}")]
    Transport(String),
    #[error("the platform's answer cannot be read: {0}")]
    Protocol(String),
}

impl PaError {
    /// Worth trying again later, the request unchanged.
    pub fn retryable(&self) -> bool {
        matches!(
            self,
            PaError::RateLimited { .. }
                | PaError::Unavailable { .. }
                | PaError::Timeout
                | PaError::Transport(_)
        )
    }

    /// How long the platform asked to wait, when it said.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            PaError::RateLimited { retry_after } => *retry_after,
            _ => None,
        }
    }
}

fn transport(e: reqwest::Error) -> PaError {
    if e.is_timeout() {
        PaError::Timeout
    } else {
        PaError::Transport(e.without_url().to_string())
    }
}

async fn error_of(response: reqwest::Response) -> PaError {
    let status = response.status();
    let retry_after = response
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(Duration::from_secs);
    let body: ErrorBody = response.json().await.unwrap_or_default();
    match status {
        StatusCode::UNAUTHORIZED => PaError::Unauthorized,
        StatusCode::NOT_FOUND => PaError::NotFound,
        StatusCode::CONFLICT => PaError::Duplicate,
        StatusCode::TOO_MANY_REQUESTS => PaError::RateLimited { retry_after },
        s if s.is_server_error() || s == StatusCode::REQUEST_TIMEOUT => {
            PaError::Unavailable { status: s.as_u16() }
        }
        s => PaError::Refused {
            status: s.as_u16(),
            code: body.error_code.unwrap_or_default(),
            message: body.error_message.unwrap_or_default(),
        },
    }
}

/// Whether a company can receive e-invoices (EIN-41), from the directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reachability {
    /// Not in the directory.
    Unknown,
    /// In the directory, but closed.
    Closed,
    /// Known, but no platform receives for it yet.
    NotReachable,
    /// A platform receives for it at this electronic address.
    Reachable { address: String, public: bool },
}

/// A client of one platform. Cheap to share (`Arc`); the token is kept inside.
pub struct Client {
    http: reqwest::Client,
    connection: Connection,
    token: tokio::sync::Mutex<Option<(String, Instant)>>,
}

/// Tokens are asked again this long before they expire.
const TOKEN_MARGIN: Duration = Duration::from_secs(30);

impl Client {
    pub fn new(connection: Connection) -> Result<Client, PaError> {
        let http = reqwest::Client::builder()
            .timeout(connection.timeout)
            .connect_timeout(connection.timeout.min(Duration::from_secs(10)))
            .user_agent(concat!("Essaim/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(transport)?;
        Ok(Client {
            http,
            connection,
            token: tokio::sync::Mutex::new(None),
        })
    }

    pub fn connection(&self) -> &Connection {
        &self.connection
    }

    async fn token(&self, renew: bool) -> Result<String, PaError> {
        let mut kept = self.token.lock().await;
        if !renew
            && let Some((token, until)) = kept.as_ref()
            && Instant::now() + TOKEN_MARGIN < *until
        {
            return Ok(token.clone());
        }
        let response = self
            .http
            .post(&self.connection.token_url)
            .form(&[
                ("grant_type", "client_credentials"),
                ("client_id", self.connection.client_id.as_str()),
                ("client_secret", self.connection.client_secret.as_str()),
            ])
            .send()
            .await
            .map_err(transport)?;
        if response.status() == StatusCode::UNAUTHORIZED
            || response.status() == StatusCode::BAD_REQUEST
        {
            return Err(PaError::Unauthorized);
        }
        if !response.status().is_success() {
            return Err(error_of(response).await);
        }
        let answer: TokenAnswer = response
            .json()
            .await
            .map_err(|e| PaError::Protocol(format!("token: {e}")))?;
        let lifetime = Duration::from_secs(answer.expires_in.unwrap_or(300));
        *kept = Some((answer.access_token.clone(), Instant::now() + lifetime));
        Ok(answer.access_token)
    }

    /// Sends a request with the bearer token; when the platform says the token is no longer
    /// valid, asks a new one and sends it once more.
    async fn send(
        &self,
        request: impl Fn(&reqwest::Client) -> reqwest::RequestBuilder,
    ) -> Result<reqwest::Response, PaError> {
        let mut renew = false;
        loop {
            let token = self.token(renew).await?;
            let response = request(&self.http)
                .bearer_auth(&token)
                .send()
                .await
                .map_err(transport)?;
            if response.status() == StatusCode::UNAUTHORIZED && !renew {
                renew = true;
                continue;
            }
            if response.status().is_success() {
                return Ok(response);
            }
            return Err(error_of(response).await);
        }
    }

    fn flow_path(&self, path: &str) -> String {
        format!(
            "{}/v1/{path}",
            self.connection.flow_url.trim_end_matches('/')
        )
    }

    fn directory_path(&self, path: &str) -> String {
        format!(
            "{}/v1/{path}",
            self.connection.directory_url.trim_end_matches('/')
        )
    }

    /// `GET /v1/healthcheck` of the Flow Service, signed in: "test the connection".
    pub async fn healthcheck(&self) -> Result<(), PaError> {
        let url = self.flow_path("healthcheck");
        self.send(|h| h.get(&url)).await?;
        Ok(())
    }

    /// `POST /v1/flows`: deposits one file. The platform accepts it (202); whether it is valid
    /// comes later, in the flow's acknowledgement.
    pub async fn deposit(
        &self,
        info: &FlowInfo,
        bytes: &[u8],
        mime: &str,
    ) -> Result<FullFlowInfo, PaError> {
        let url = self.flow_path("flows");
        let info_json =
            serde_json::to_string(info).map_err(|e| PaError::Protocol(e.to_string()))?;
        let response = self
            .send(|h| {
                let info_part = reqwest::multipart::Part::text(info_json.clone())
                    .mime_str("application/json")
                    .unwrap_or_else(|_| reqwest::multipart::Part::text(info_json.clone()));
                let file_part =
                    reqwest::multipart::Part::bytes(bytes.to_vec()).file_name(info.name.clone());
                let file_part = file_part
                    .mime_str(mime)
                    .unwrap_or_else(|_| reqwest::multipart::Part::bytes(bytes.to_vec()));
                let form = reqwest::multipart::Form::new()
                    .part("flowInfo", info_part)
                    .part("file", file_part);
                h.post(&url).multipart(form)
            })
            .await?;
        response
            .json()
            .await
            .map_err(|e| PaError::Protocol(format!("deposit: {e}")))
    }

    /// Deposits a flow never tried before: no search first; a platform that answers 409 (it
    /// holds this tracking id) is asked for that flow.
    pub async fn deposit_first(
        &self,
        info: &FlowInfo,
        bytes: &[u8],
        mime: &str,
    ) -> Result<Flow, PaError> {
        let tracking = info
            .tracking_id
            .clone()
            .ok_or_else(|| PaError::Protocol("a tracking id is needed".into()))?;
        match self.deposit(info, bytes, mime).await {
            Ok(full) => Ok(flow_of(full)),
            Err(PaError::Duplicate) => self
                .find_tracking(&tracking)
                .await?
                .ok_or_else(|| PaError::Protocol("duplicate flow not found".into())),
            Err(e) => Err(e),
        }
    }

    /// Deposits a flow once: if the platform already holds one with the same tracking id (a
    /// deposit whose answer was lost, a job run again after a crash), that one is returned.
    pub async fn deposit_once(
        &self,
        info: &FlowInfo,
        bytes: &[u8],
        mime: &str,
    ) -> Result<Flow, PaError> {
        let tracking = info
            .tracking_id
            .clone()
            .ok_or_else(|| PaError::Protocol("a tracking id is needed".into()))?;
        if let Some(existing) = self.find_tracking(&tracking).await? {
            return Ok(existing);
        }
        match self.deposit(info, bytes, mime).await {
            Ok(full) => Ok(flow_of(full)),
            Err(PaError::Duplicate) => self
                .find_tracking(&tracking)
                .await?
                .ok_or_else(|| PaError::Protocol("duplicate flow not found".into())),
            Err(e) => Err(e),
        }
    }

    /// The flow deposited with this tracking id, if any.
    pub async fn find_tracking(&self, tracking: &str) -> Result<Option<Flow>, PaError> {
        let found = self
            .search(&SearchParams {
                limit: Some(10),
                filters: SearchFilters {
                    tracking_id: Some(tracking.to_owned()),
                    ..SearchFilters::default()
                },
                cursor: None,
            })
            .await?;
        Ok(found
            .results
            .into_iter()
            .find(|f| f.tracking_id.as_deref() == Some(tracking)))
    }

    /// `GET /v1/flows/{id}`: what the platform says of a flow.
    pub async fn flow(&self, id: &str) -> Result<Flow, PaError> {
        let url = self.flow_path(&format!("flows/{}", encode(id)));
        self.send(|h| {
            h.get(&url)
                .query(&[("docType", "Metadata")])
                .header(reqwest::header::ACCEPT, "application/json")
        })
        .await?
        .json()
        .await
        .map_err(|e| PaError::Protocol(format!("flow: {e}")))
    }

    /// `GET /v1/flows/{id}?docType=Original`: the file as its sender deposited it.
    pub async fn download(&self, id: &str) -> Result<Vec<u8>, PaError> {
        let url = self.flow_path(&format!("flows/{}", encode(id)));
        let bytes = self
            .send(|h| {
                h.get(&url)
                    .query(&[("docType", "Original")])
                    .header(reqwest::header::ACCEPT, "application/octet-stream")
            })
            .await?
            .bytes()
            .await
            .map_err(transport)?;
        Ok(bytes.to_vec())
    }

    /// `POST /v1/flows/search`: one page.
    pub async fn search(&self, params: &SearchParams) -> Result<SearchResults, PaError> {
        let url = self.flow_path("flows/search");
        self.send(|h| h.post(&url).json(params))
            .await?
            .json()
            .await
            .map_err(|e| PaError::Protocol(format!("search: {e}")))
    }

    /// Every flow the filters select, page after page: by the platform's cursor when it gives
    /// one (the standard's 1.3), else by the last date seen (1.1); each flow once.
    pub async fn search_all(&self, filters: &SearchFilters) -> Result<Vec<Flow>, PaError> {
        const LIMIT: u32 = 100;
        let mut params = SearchParams {
            limit: Some(LIMIT),
            filters: filters.clone(),
            cursor: None,
        };
        let mut out: Vec<Flow> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        // A bound against a platform that would page forever.
        for _ in 0..10_000 {
            let page = self.search(&params).await?;
            let full = page.results.len() >= LIMIT as usize;
            // The latest date as an instant (platforms write fractions or not), written back
            // in the standard's form.
            let last = page
                .results
                .iter()
                .filter_map(Flow::updated)
                .max()
                .map(crate::wire::timestamp)
                .unwrap_or_default();
            let mut fresh = 0;
            for f in page.results {
                if seen.insert(f.flow_id.clone()) {
                    fresh += 1;
                    out.push(f);
                }
            }
            match page.next_cursor {
                Some(cursor) if !cursor.is_empty() => params.cursor = Some(cursor),
                _ if full && fresh > 0 && !last.is_empty() => {
                    params.cursor = None;
                    params.filters.updated_after = Some(last);
                }
                _ => break,
            }
        }
        Ok(out)
    }

    /// `GET /v1/siren/code-insee:{siren}`: the company, or `None` when the directory does not
    /// know it.
    pub async fn legal_unit(&self, siren: &str) -> Result<Option<LegalUnit>, PaError> {
        let url = self.directory_path(&format!("siren/code-insee:{}", encode(siren)));
        match self.send(|h| h.get(&url)).await {
            Ok(r) => r
                .json()
                .await
                .map(Some)
                .map_err(|e| PaError::Protocol(format!("siren: {e}"))),
            Err(PaError::NotFound) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// `POST /v1/directory-line/search`: the company's electronic addresses.
    pub async fn directory_lines(&self, siren: &str) -> Result<Vec<DirectoryLine>, PaError> {
        let url = self.directory_path("directory-line/search");
        let search = LineSearch {
            filters: LineFilters {
                siren: Some(crate::wire::Criterion {
                    op: "strict".into(),
                    value: siren.to_owned(),
                }),
                ..LineFilters::default()
            },
            limit: Some(100),
            ignore: Some(0),
        };
        let response = self.send(|h| h.post(&url).json(&search)).await?;
        if response.status() == StatusCode::NO_CONTENT {
            return Ok(Vec::new());
        }
        let results: LineResults = response
            .json()
            .await
            .map_err(|e| PaError::Protocol(format!("directory: {e}")))?;
        Ok(results.results)
    }

    /// EIN-41: can this company receive e-invoices, and at which address (the most precise
    /// enabled line for the establishment, else for the company).
    pub async fn reachability(
        &self,
        siren: &str,
        siret: Option<&str>,
    ) -> Result<Reachability, PaError> {
        let Some(unit) = self.legal_unit(siren).await? else {
            return Ok(Reachability::Unknown);
        };
        if unit.administrative_status.as_deref() == Some("C") {
            return Ok(Reachability::Closed);
        }
        let lines = self.directory_lines(siren).await?;
        let best = lines
            .iter()
            .filter(|l| l.enabled() && l.routing_identifier.is_none())
            .filter(|l| l.siret.is_none() || l.siret.as_deref() == siret)
            .max_by_key(|l| l.precision());
        Ok(match best {
            Some(l) => Reachability::Reachable {
                address: l.addressing_identifier.clone(),
                public: unit.entity_type.as_deref() == Some("Public"),
            },
            None => Reachability::NotReachable,
        })
    }
}

/// What the platform's answer to a deposit says of the new flow.
fn flow_of(full: FullFlowInfo) -> Flow {
    Flow {
        flow_id: full.flow_id,
        tracking_id: full.info.tracking_id,
        name: full.info.name,
        submitted_at: full.submitted_at.clone(),
        updated_at: full.submitted_at,
        flow_type: None,
        processing_rule: full.info.processing_rule,
        flow_direction: Some(crate::wire::FlowDirection::Out),
        flow_syntax: Some(full.info.flow_syntax),
        flow_profile: full.info.flow_profile,
        acknowledgement: None,
    }
}

/// Percent-encodes a path segment (ids are opaque to Essaim).
fn encode(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for b in segment.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b':') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
