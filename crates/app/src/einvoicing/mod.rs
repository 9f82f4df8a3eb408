//! E-invoicing through the cooperative's approved platform (issue 20): the connection
//! (administrators only), its secret sealed with the server's key and never given back, the test
//! of the connection and the log of the last exchanges.

pub mod callbacks;
pub mod demo;
pub mod directory;
pub mod receiving;
pub mod sending;
pub mod statuses;
pub mod sync;

use crate::{App, AppError, CoopActor, audit};
use essaim_domain::access::Permission;
use essaim_domain::einvoicing::connection::{Connection, ConnectionInput, Syntax};
use essaim_einvoicing::{Client, PaError};
use essaim_storage::einvoicing::{self as store, ConnectionRecord, ExchangeRecord};
use serde_json::json;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The connection as the settings page shows it: never the secret, only whether one is kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConnectionView {
    pub connection: Connection,
    pub has_secret: bool,
    /// The demo's conformance platform, labelled as such.
    pub demo: bool,
    pub updated_at: time::OffsetDateTime,
}

fn view_of(r: &ConnectionRecord) -> Result<ConnectionView, AppError> {
    Ok(ConnectionView {
        connection: Connection {
            flow_url: r.flow_url.clone(),
            directory_url: r.directory_url.clone(),
            token_url: r.token_url.clone(),
            client_id: r.client_id.clone(),
            syntax: Syntax::parse(&r.syntax)
                .ok_or_else(|| AppError::Internal(format!("syntax {}", r.syntax)))?,
        },
        has_secret: !r.secret_sealed.is_empty(),
        demo: r.demo,
        updated_at: r.updated_at,
    })
}

/// The cooperative's connection, if it has one (CooperativeSettings).
pub async fn connection(app: &App, actor: &CoopActor) -> Result<Option<ConnectionView>, AppError> {
    actor.require(Permission::CooperativeSettings)?;
    let mut tx = app.store.read().await?;
    let r = store::connection(&mut tx, actor.cooperative).await?;
    tx.commit().await?;
    r.as_ref().map(view_of).transpose()
}

/// Records the connection; the secret typed is sealed with the server's key (an empty one keeps
/// the secret already kept). Audited without the secret.
pub async fn save_connection(
    app: &App,
    actor: &CoopActor,
    input: &ConnectionInput,
) -> Result<ConnectionView, AppError> {
    actor.require(Permission::CooperativeSettings)?;
    let key = app
        .config
        .secret_key
        .as_ref()
        .ok_or_else(|| AppError::field("client_secret", "secret_key_missing"))?;
    let mut tx = app.store.begin().await?;
    let current = store::connection(&mut tx, actor.cooperative).await?;
    let (c, secret) = input.parse(current.is_some())?;
    let (secret_nonce, secret_sealed) = match (secret, &current) {
        (Some(s), _) => key.seal(&s)?,
        (None, Some(r)) => (r.secret_nonce.clone(), r.secret_sealed.clone()),
        (None, None) => return Err(AppError::field("client_secret", "required")),
    };
    let record = ConnectionRecord {
        flow_url: c.flow_url.clone(),
        directory_url: c.directory_url.clone(),
        token_url: c.token_url.clone(),
        client_id: c.client_id.clone(),
        secret_nonce,
        secret_sealed,
        syntax: c.syntax.code().to_owned(),
        demo: current.as_ref().is_some_and(|r| r.demo),
        updated_at: app.clock.now(),
    };
    store::save_connection(&mut tx, actor.cooperative, &record, Some(actor.user().id)).await?;
    audit::record_in(
        &mut tx,
        app,
        actor,
        "einvoicing.connection_saved",
        ("cooperative", actor.cooperative.to_string()),
        json!({ "flow_url": c.flow_url, "directory_url": c.directory_url, "token_url": c.token_url,
                "client_id": c.client_id, "syntax": c.syntax.code(), "secret_changed": input.client_secret.trim() != "" }),
    )
    .await?;
    tx.commit().await?;
    view_of(&record)
}

/// A client of the cooperative's platform, its secret opened with the server's key.
pub(crate) async fn client_in(
    tx: &mut essaim_storage::Tx,
    app: &App,
    coop: essaim_domain::ids::CooperativeId,
) -> Result<Option<Arc<Client>>, AppError> {
    let Some(r) = store::connection(tx, coop).await? else {
        return Ok(None);
    };
    if let Some(c) = app.platforms.get(coop, &r) {
        return Ok(Some(c));
    }
    let client = Arc::new(new_client(app, &r)?);
    app.platforms.put(coop, &r, client.clone());
    Ok(Some(client))
}

fn new_client(app: &App, r: &ConnectionRecord) -> Result<Client, AppError> {
    let key =
        app.config.secret_key.as_ref().ok_or_else(|| {
            AppError::Internal("no secret key to open the platform's secret".into())
        })?;
    let client_secret = key.open(&r.secret_nonce, &r.secret_sealed)?;
    Client::new(essaim_einvoicing::Connection {
        flow_url: r.flow_url.clone(),
        directory_url: r.directory_url.clone(),
        token_url: r.token_url.clone(),
        client_id: r.client_id.clone(),
        client_secret,
        timeout: Duration::from_secs(30),
    })
    .map_err(|e| AppError::Internal(e.to_string()))
}

/// The clients of the cooperatives' platforms, kept between jobs so that their connections and
/// OAuth2 tokens are reused (one token per platform, not one per deposit); a connection saved
/// again makes a new client.
#[derive(Clone, Default)]
pub struct Platforms(Arc<Mutex<HashMap<essaim_domain::ids::CooperativeId, KeptClient>>>);

/// A client and the version of the connection it was made from.
type KeptClient = (Vec<u8>, Arc<Client>);

impl Platforms {
    /// What identifies a connection as stored: a save changes its date and sealed secret.
    fn version(r: &ConnectionRecord) -> Vec<u8> {
        let mut v = r.updated_at.unix_timestamp_nanos().to_le_bytes().to_vec();
        v.extend_from_slice(&r.secret_sealed);
        v
    }
    fn get(
        &self,
        coop: essaim_domain::ids::CooperativeId,
        r: &ConnectionRecord,
    ) -> Option<Arc<Client>> {
        let map = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        map.get(&coop)
            .filter(|(v, _)| *v == Self::version(r))
            .map(|(_, c)| c.clone())
    }
    fn put(&self, coop: essaim_domain::ids::CooperativeId, r: &ConnectionRecord, c: Arc<Client>) {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(coop, (Self::version(r), c));
    }
}

/// What an exchange's failure is called in the log (never a secret: the client's errors carry
/// statuses and the platform's codes only).
pub(crate) fn detail_of(e: &PaError) -> String {
    e.to_string()
}

/// "Test the connection": signs in and asks the Flow Service's health check; the outcome is
/// kept in the log of exchanges and returned.
pub async fn test_connection(app: &App, actor: &CoopActor) -> Result<Result<(), String>, AppError> {
    actor.require(Permission::CooperativeSettings)?;
    let mut tx = app.store.read().await?;
    let record = store::connection(&mut tx, actor.cooperative).await?;
    tx.commit().await?;
    let Some(record) = record else {
        return Err(AppError::field("connection", "einvoicing_not_connected"));
    };
    // A client of its own: the test signs in afresh, whatever the kept client holds.
    let client = new_client(app, &record)?;
    let outcome = client.healthcheck().await.map_err(|e| detail_of(&e));
    let mut tx = app.store.begin().await?;
    store::add_exchange(
        &mut tx,
        actor.cooperative,
        &ExchangeRecord {
            at: app.clock.now(),
            operation: "healthcheck".into(),
            ok: outcome.is_ok(),
            detail: outcome.clone().err().unwrap_or_default(),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(outcome)
}

/// The last exchanges with the platform, the latest first (CooperativeSettings).
pub async fn exchanges(app: &App, actor: &CoopActor) -> Result<Vec<ExchangeRecord>, AppError> {
    actor.require(Permission::CooperativeSettings)?;
    let mut tx = app.store.read().await?;
    let rows = store::exchanges(&mut tx, actor.cooperative, 20).await?;
    tx.commit().await?;
    Ok(rows)
}

/// The demo (`essaim demo`): every cooperative without a platform of its own is connected to the
/// demo's conformance platform, marked as such (the page says it sends nothing to anyone). Its
/// address changes at each start, so it is written again each time. Returns how many.
pub async fn connect_demo_platform(
    app: &App,
    platform: &essaim_einvoicing::Connection,
) -> Result<usize, AppError> {
    let key = app
        .config
        .secret_key
        .as_ref()
        .ok_or_else(|| AppError::Internal("the demo needs a secret key".into()))?;
    let mut tx = app.store.begin().await?;
    let mut connected = 0;
    for coop in essaim_storage::cooperative::all_ids(&mut tx).await? {
        if store::connection(&mut tx, coop)
            .await?
            .is_some_and(|c| !c.demo)
        {
            continue;
        }
        let (secret_nonce, secret_sealed) = key.seal(&platform.client_secret)?;
        let record = ConnectionRecord {
            flow_url: platform.flow_url.clone(),
            directory_url: platform.directory_url.clone(),
            token_url: platform.token_url.clone(),
            client_id: platform.client_id.clone(),
            secret_nonce,
            secret_sealed,
            syntax: Syntax::FacturX.code().to_owned(),
            demo: true,
            updated_at: app.clock.now(),
        };
        store::save_connection(&mut tx, coop, &record, None).await?;
        // A new platform: its searches start from the beginning.
        store::clear_sync_cursor(&mut tx, coop).await?;
        connected += 1;
    }
    tx.commit().await?;
    Ok(connected)
}

/// Deposits a lifecycle message (CDAR) once under its tracking id; an error says whether trying
/// again later may help.
pub(crate) async fn deposit_cdar(
    client: &Client,
    tracking: &str,
    xml: &str,
) -> Result<essaim_einvoicing::wire::Flow, (bool, String)> {
    use essaim_einvoicing::wire::{FlowInfo, FlowSyntax, ProcessingRule};
    use sha2::Digest;
    let info = FlowInfo {
        tracking_id: Some(tracking.to_owned()),
        name: format!("{tracking}.xml"),
        processing_rule: Some(ProcessingRule::B2b),
        flow_syntax: FlowSyntax::Cdar,
        flow_profile: None,
        sha256: Some(hex::encode(sha2::Sha256::digest(xml.as_bytes()))),
    };
    client
        .deposit_once(&info, xml.as_bytes(), "application/xml")
        .await
        .map_err(|e| (e.retryable(), detail_of(&e)))
}
