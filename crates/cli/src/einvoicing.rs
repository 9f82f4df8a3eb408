//! `essaim einvoicing …`: for operators, the e-invoicing platform's work done now rather than by
//! the background worker: `sync` asks every connected cooperative's platform what changed,
//! `send` deposits one validated document (queued if needed). Output is JSON, one object per line.

use crate::{DbArgs, WebArgs, build_app, cli_error, open_store};
use anyhow::Result;
use clap::{Args, Subcommand};
use serde_json::json;

#[derive(Subcommand)]
pub enum EinvoicingCommand {
    /// Fetch now the statuses of sent invoices from every connected cooperative's platform.
    Sync(EinvoicingArgs),
    /// Deposit now a validated document waiting to go out (its id), as the worker would.
    Send(SendArgs),
}

#[derive(Args, Debug)]
pub struct EinvoicingArgs {
    #[command(flatten)]
    db: DbArgs,
    #[command(flatten)]
    web: WebArgs,
}

#[derive(Args, Debug)]
pub struct SendArgs {
    #[command(flatten)]
    common: EinvoicingArgs,
    /// The sale document's id.
    document: i64,
}

pub async fn run(command: EinvoicingCommand) -> Result<()> {
    match command {
        EinvoicingCommand::Sync(a) => {
            let store = open_store(&a.db.database_url.0, 2).await?;
            let app = build_app(store, Some(&a.web))?;
            for (coop, r) in essaim_app::einvoicing::sync::sync_all(&app)
                .await
                .map_err(cli_error)?
            {
                println!(
                    "{}",
                    json!({ "cooperative": coop.get(), "flows": r.flows, "statuses": r.statuses,
                            "unreadable": r.unreadable, "received": r.received })
                );
            }
            Ok(())
        }
        EinvoicingCommand::Send(a) => {
            let store = open_store(&a.common.db.database_url.0, 2).await?;
            let app = build_app(store, Some(&a.common.web))?;
            let flows = essaim_app::einvoicing::sending::send_now(
                &app,
                essaim_domain::ids::SaleDocId::new(a.document),
            )
            .await
            .map_err(cli_error)?;
            for f in flows {
                println!(
                    "{}",
                    json!({ "document": a.document, "tracking_id": f.tracking_id, "state": f.state,
                            "flow_id": f.flow_id, "error": f.last_error })
                );
            }
            Ok(())
        }
    }
}
