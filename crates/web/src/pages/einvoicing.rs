//! The cooperative's connection to its approved e-invoicing platform (issue 20, EIN-03):
//! administrators give the services' addresses and the OAuth2 client, test the connection and see
//! the last exchanges. The secret is never shown back.

use crate::pages::prelude::*;
use crate::view::datetime;
use axum::http::StatusCode;
use essaim_domain::einvoicing::connection::{ConnectionInput, Syntax};

pub struct ExchangeRow {
    pub at: String,
    pub operation: String,
    pub ok: bool,
    pub detail: String,
}

#[derive(Template)]
#[template(path = "einvoicing/settings.html")]
pub struct ConnectionPage {
    pub l: Layout,
    pub f: ConnectionInput,
    pub syntaxes: Vec<Choice>,
    pub has_secret: bool,
    pub demo: bool,
    pub errors: Errors,
    pub action: String,
    pub test_action: String,
    /// After a save, or the outcome of a test: (ok, what to say).
    pub notice: Option<(bool, String)>,
    pub exchanges: Vec<ExchangeRow>,
    /// The platform's callbacks: on or off, the address to give the platform, and the token
    /// just created (shown once).
    pub callbacks: bool,
    pub callback_url: String,
    pub callback_token: Option<String>,
    pub callback_action: String,
    pub revoke_action: String,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct SavedQuery {
    pub saved: String,
}

/// What the page shows besides the stored connection.
#[derive(Default)]
struct Shown {
    /// As typed after a refusal (`None`: as stored).
    f: Option<ConnectionInput>,
    errors: Errors,
    notice: Option<(bool, String)>,
    callback_token: Option<String>,
}

async fn page_of(app: &App, page: &Page, coop: &CoopActor, shown: Shown) -> PageResult {
    let t = page.layout.t;
    let stored = essaim_app::einvoicing::connection(app, coop).await?;
    let f = shown.f.unwrap_or_else(|| match &stored {
        Some(v) => ConnectionInput {
            flow_url: v.connection.flow_url.clone(),
            directory_url: v.connection.directory_url.clone(),
            token_url: v.connection.token_url.clone(),
            client_id: v.connection.client_id.clone(),
            client_secret: String::new(),
            syntax: v.connection.syntax.code().to_owned(),
        },
        None => ConnectionInput {
            syntax: Syntax::FacturX.code().to_owned(),
            ..ConnectionInput::default()
        },
    });
    let syntaxes = [Syntax::FacturX, Syntax::Cii]
        .into_iter()
        .map(|s| {
            Choice::new(
                s.code(),
                t.get(&format!("einvoicing.syntax.{}", s.code())),
                f.syntax == s.code(),
            )
        })
        .collect();
    let exchanges = essaim_app::einvoicing::exchanges(app, coop)
        .await?
        .into_iter()
        .map(|x| ExchangeRow {
            at: datetime(x.at),
            operation: t
                .get(&format!("einvoicing.operation.{}", x.operation))
                .to_owned(),
            ok: x.ok,
            detail: x.detail,
        })
        .collect();
    let callbacks =
        stored.is_some() && essaim_app::einvoicing::callbacks::enabled(app, coop).await?;
    let status = if shown.errors.any() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok(crate::error::render_status(
        status,
        &ConnectionPage {
            f,
            syntaxes,
            has_secret: stored.as_ref().is_some_and(|v| v.has_secret),
            demo: stored.as_ref().is_some_and(|v| v.demo),
            errors: shown.errors,
            action: paths::einvoicing_settings(&coop.slug),
            test_action: paths::einvoicing_test(&coop.slug),
            notice: shown.notice,
            exchanges,
            callbacks,
            callback_url: format!(
                "{}{}",
                app.config.base_url.trim_end_matches('/'),
                essaim_app::einvoicing::callbacks::callback_path(&coop.slug)
            ),
            callback_token: shown.callback_token,
            callback_action: format!("{}/callback", paths::einvoicing_settings(&coop.slug)),
            revoke_action: format!("{}/callback/revoke", paths::einvoicing_settings(&coop.slug)),
            l: page.layout.clone(),
        },
    ))
}

pub async fn settings(Ctx { app, coop, page }: Ctx, Query(q): Query<SavedQuery>) -> PageResult {
    let notice = (!q.saved.is_empty()).then(|| (true, page.layout.t.get("form.saved").to_owned()));
    let shown = Shown {
        notice,
        ..Shown::default()
    };
    page_of(&app, &page, &coop, shown).await
}

pub async fn save(Ctx { app, coop, page }: Ctx, Form(f): Form<ConnectionInput>) -> PageResult {
    let outcome = essaim_app::einvoicing::save_connection(&app, &coop, &f).await;
    forms::submit(
        &page,
        outcome,
        |_| format!("{}?saved=1", paths::einvoicing_settings(&coop.slug)),
        async |errors| {
            // The secret typed is never sent back into the page.
            let f = ConnectionInput {
                client_secret: String::new(),
                ..f
            };
            let shown = Shown {
                f: Some(f),
                errors,
                ..Shown::default()
            };
            page_of(&app, &page, &coop, shown).await
        },
    )
    .await
}

/// "Test the connection": the outcome is said on the page and kept in the log.
pub async fn test(Ctx { app, coop, page }: Ctx) -> PageResult {
    let t = page.layout.t;
    let notice = match essaim_app::einvoicing::test_connection(&app, &coop).await? {
        Ok(()) => (true, t.get("einvoicing.test_ok").to_owned()),
        Err(detail) => (false, t.fmt("einvoicing.test_failed", &[&detail])),
    };
    let shown = Shown {
        notice: Some(notice),
        ..Shown::default()
    };
    page_of(&app, &page, &coop, shown).await
}

/// Creates the token of the platform's callbacks: shown once on the page.
pub async fn create_callback(Ctx { app, coop, page }: Ctx) -> PageResult {
    let token = essaim_app::einvoicing::callbacks::create_token(&app, &coop).await?;
    let shown = Shown {
        callback_token: Some(token),
        notice: Some((
            true,
            page.layout.t.get("einvoicing.callback_created").to_owned(),
        )),
        ..Shown::default()
    };
    page_of(&app, &page, &coop, shown).await
}

/// Turns the platform's callbacks off.
pub async fn revoke_callback(Ctx { app, coop, .. }: Ctx) -> PageResult {
    essaim_app::einvoicing::callbacks::revoke_token(&app, &coop).await?;
    Ok(Redirect::to(&format!(
        "{}?saved=1",
        paths::einvoicing_settings(&coop.slug)
    ))
    .into_response())
}
