//! Receiving supplier invoices through the cooperative's platform (issue 20 item 5; EIN-40): the
//! synchronisation fetches each new invoice once, keeps its file unchanged by its hash as the
//! legal original, reads it (Factur-X, CII or UBL 2.1, with the hardened XML reader) and routes
//! it to the activity its routing code names, or else to the support team's triage queue. The
//! activity (or the support team) approves, disputes or refuses it; the answer goes back through
//! the platform (205, 207, 210) and an approved invoice becomes a supplier invoice of the
//! activity, posted in the purchases journal once the support team approves it there.

use super::client_in;
use crate::documents::{read_checked, write_file};
use crate::secret::sha256_hex;
use crate::{App, AppError, CoopActor, audit};
use essaim_domain::access::{Permission, Target};
use essaim_domain::einvoicing::incoming::{self, Answer, ReceivedState};
use essaim_domain::ids::{ActivityId, CooperativeId};
use essaim_einvoicing::Client;
use essaim_einvoicing::wire::{Flow, FlowSyntax};
use essaim_exchange::cii::IncomingInvoice;
use essaim_storage::Tx;
use essaim_storage::einvoicing::{self as store, AnswerRecord, NewReceived, ReceivedRecord};
use essaim_storage::job::{self as job_store, NewJob};
use serde::{Deserialize, Serialize};
use serde_json::json;

pub const KIND_ANSWER: &str = "einvoice_answer";
/// The largest received file kept: a platform's Factur-X PDF with its attachments.
pub const MAX_FILE: usize = 20 * 1024 * 1024;

/// What a received file is, and what it says.
pub struct Read {
    pub content_type: &'static str,
    pub invoice: Result<IncomingInvoice, &'static str>,
}

/// Reads a received file: a PDF must carry its Factur-X XML; an XML file is CII or UBL 2.1
/// (whatever the platform announced, the content decides). Hostile XML (declarations, entities,
/// a wrong root) and files too large are refused with a code.
pub fn read_file(syntax: Option<FlowSyntax>, bytes: &[u8]) -> Read {
    if bytes.len() > MAX_FILE {
        return Read {
            content_type: "application/octet-stream",
            invoice: Err("file_too_large"),
        };
    }
    if bytes.starts_with(b"%PDF") {
        let invoice = essaim_documents::facturx_in::embedded_invoice_xml(bytes)
            .and_then(|xml| essaim_exchange::cii::parse_cii(&xml).map_err(|e| e.code));
        return Read {
            content_type: "application/pdf",
            invoice,
        };
    }
    let cii = || essaim_exchange::cii::parse_cii(bytes).map_err(|e| e.code);
    let ubl = || essaim_exchange::ubl::parse_ubl(bytes).map_err(|e| e.code);
    let invoice = match syntax {
        Some(FlowSyntax::Ubl) => ubl().or_else(|e| {
            if e == "cii_not_invoice" {
                cii()
            } else {
                Err(e)
            }
        }),
        _ => cii().or_else(|e| {
            if e == "cii_not_invoice" {
                ubl()
            } else {
                Err(e)
            }
        }),
    };
    Read {
        content_type: "application/xml",
        invoice,
    }
}

/// The supplier invoices among the changed flows that are not kept yet, fetched (outside any
/// transaction): their flow and file.
pub(crate) async fn fetch_new(
    app: &App,
    coop: CooperativeId,
    client: &Client,
    flows: &[&Flow],
) -> Result<Vec<(Flow, Vec<u8>)>, AppError> {
    let mut fresh = Vec::new();
    {
        let mut tx = app.store.read().await?;
        for f in flows {
            if !store::has_received(&mut tx, coop, &f.flow_id).await? {
                fresh.push((*f).clone());
            }
        }
        tx.commit().await?;
    }
    let mut out = Vec::with_capacity(fresh.len());
    for f in fresh {
        let bytes = client
            .download(&f.flow_id)
            .await
            .map_err(|e| AppError::Upstream(super::detail_of(&e)))?;
        out.push((f, bytes));
    }
    Ok(out)
}

/// Keeps fetched supplier invoices inside the synchronisation's transaction, each once, routed
/// or in triage, or unreadable with the reason. Returns how many were new.
pub(crate) async fn keep_in(
    tx: &mut Tx,
    app: &App,
    coop: CooperativeId,
    fetched: Vec<(Flow, Vec<u8>)>,
) -> Result<usize, AppError> {
    if fetched.is_empty() {
        return Ok(0);
    }
    let siren = essaim_storage::cooperative::find(tx, coop)
        .await?
        .map(|c| c.identity.siret.siren().as_str().to_owned())
        .unwrap_or_default();
    let activities: Vec<(ActivityId, String)> = essaim_storage::activity::names(tx, coop, None)
        .await?
        .into_iter()
        .map(|(id, _, code)| (ActivityId::new(id), code))
        .collect();
    let now = app.clock.now();
    let mut kept = 0;
    for (flow, bytes) in fetched {
        let read = read_file(flow.flow_syntax, &bytes);
        let sha = sha256_hex(&bytes);
        if bytes.len() <= MAX_FILE {
            write_file(app, &sha, &bytes).await?;
        }
        let empty = IncomingInvoice::default();
        let (inv, problem) = match &read.invoice {
            Ok(inv) => (inv, ""),
            Err(code) => (&empty, *code),
        };
        let code = incoming::routing_code(
            inv.buyer_address
                .as_ref()
                .map(|(v, s)| (v.as_str(), s.as_str())),
            &siren,
        );
        let activity = incoming::route(code.as_deref(), &activities);
        let state = match (&read.invoice, activity) {
            (Err(_), _) => ReceivedState::Unreadable,
            (Ok(_), Some(_)) => ReceivedState::Routed,
            (Ok(_), None) => ReceivedState::Triage,
        };
        let supplier_siren = match &inv.seller.legal_id {
            Some((id, scheme)) if scheme == "0002" || scheme == "0009" => {
                Some(id.chars().take(9).collect::<String>())
            }
            _ => None,
        };
        let name: String = flow
            .name
            .chars()
            .filter(|c| !c.is_control())
            .take(255)
            .collect();
        let new = NewReceived {
            flow_id: &flow.flow_id,
            name: &name,
            syntax: match flow.flow_syntax {
                Some(FlowSyntax::FacturX) => "factur-x",
                Some(FlowSyntax::Cii) => "cii",
                Some(FlowSyntax::Ubl) => "ubl",
                _ => "unknown",
            },
            received_at: flow.submitted().unwrap_or(now),
            file_sha256: &sha,
            file_size: i64::try_from(bytes.len()).unwrap_or(i64::MAX),
            content_type: read.content_type,
            state: state.code(),
            problem,
            routing_code: code.as_deref(),
            activity_id: activity.map(|a| a.get()),
            supplier_name: &inv.seller.name,
            supplier_siren: supplier_siren.as_deref(),
            number: &inv.number,
            type_code: &inv.type_code,
            issue_date: inv.issue_date,
            due_date: inv.due_date,
            currency: &inv.currency,
            net_cents: inv.tax_basis_cents,
            vat_cents: inv.tax_cents,
            total_cents: inv.grand_total_cents,
        };
        if let Some(id) = store::add_received(tx, coop, &new, now).await? {
            kept += 1;
            notify_received(tx, app, coop, id, activity, &new).await?;
        }
    }
    Ok(kept)
}

/// Tells who must act on a received invoice: the activity's entrepreneurs when it is addressed to
/// their activity, else the validation team (to assign it, or to look at an unreadable file). In
/// the app and by e-mail, once per invoice.
async fn notify_received(
    tx: &mut Tx,
    app: &App,
    coop: CooperativeId,
    id: i64,
    activity: Option<ActivityId>,
    r: &NewReceived<'_>,
) -> Result<(), AppError> {
    let Some(c) = essaim_storage::cooperative::find(tx, coop).await? else {
        return Ok(());
    };
    let people: Vec<essaim_domain::ids::UserId> = match activity {
        Some(a) => essaim_storage::activity::find(tx, coop, a)
            .await?
            .map(|a| a.members.iter().map(|(u, _, _)| *u).collect())
            .unwrap_or_default(),
        None => essaim_storage::role::holders_of_kinds(
            tx,
            coop,
            &[essaim_domain::access::RoleKind::Validation],
        )
        .await?
        .into_iter()
        .map(|(u, _)| u)
        .collect(),
    };
    let link = format!("/c/{}/received-invoices/{id}", c.slug);
    let key = format!("received:{id}");
    let supplier = if r.supplier_name.is_empty() {
        r.name
    } else {
        r.supplier_name
    };
    let total = essaim_domain::money::Money::eur(r.total_cents).format_fr();
    let words = |locale: essaim_domain::account::Locale| {
        use essaim_domain::account::Locale;
        match (locale, r.state) {
            (Locale::Fr, "unreadable") => (
                format!("Une facture illisible est arrivée par la plateforme ({supplier})."),
                "facture reçue illisible".to_owned(),
            ),
            (Locale::Fr, "triage") => (
                format!("Facture reçue de {supplier} ({total}) : à attribuer à une activité."),
                "facture reçue à attribuer".to_owned(),
            ),
            (Locale::Fr, _) => (
                format!("Facture reçue de {supplier} ({total}) : à approuver ou refuser."),
                "facture fournisseur reçue".to_owned(),
            ),
            (Locale::En, "unreadable") => (
                format!("An unreadable invoice arrived through the platform ({supplier})."),
                "unreadable invoice received".to_owned(),
            ),
            (Locale::En, "triage") => (
                format!("Invoice received from {supplier} ({total}): to assign to an activity."),
                "received invoice to assign".to_owned(),
            ),
            (Locale::En, _) => (
                format!("Invoice received from {supplier} ({total}): to approve or refuse."),
                "supplier invoice received".to_owned(),
            ),
        }
    };
    crate::notifications::tell(
        tx,
        app,
        coop,
        &people,
        (&key, &link),
        app.clock.now(),
        words,
    )
    .await?;
    Ok(())
}

fn may_read(actor: &CoopActor, r: &ReceivedRecord) -> bool {
    match r.activity_id {
        Some(a) => actor.access.allows(
            Permission::ExpenseRead,
            Target::Activity(ActivityId::new(a)),
        ),
        // Unassigned invoices are the support team's.
        None => {
            actor.access.reach(Permission::ExpenseRead).is_none()
                && actor.access.has_any(Permission::ExpenseRead)
        }
    }
}

/// Whether the person may answer for the invoice's activity (its entrepreneur, or the team).
fn may_answer(actor: &CoopActor, r: &ReceivedRecord) -> bool {
    r.activity_id.is_some_and(|a| {
        let t = Target::Activity(ActivityId::new(a));
        actor.access.allows(Permission::ExpenseManage, t)
            || actor.access.allows(Permission::ExpenseValidate, t)
    })
}

async fn readable_in(tx: &mut Tx, actor: &CoopActor, id: i64) -> Result<ReceivedRecord, AppError> {
    store::received(tx, actor.cooperative, id)
        .await?
        .filter(|r| may_read(actor, r))
        .ok_or(AppError::NotFound("received invoice"))
}

/// The received invoices the person may see, the latest first (`open`: those waiting).
/// The most lines the received-invoices page lists.
pub const LIST_LIMIT: i64 = 500;

pub async fn list(
    app: &App,
    actor: &CoopActor,
    open: bool,
) -> Result<Vec<ReceivedRecord>, AppError> {
    if !actor.access.has_any(Permission::ExpenseRead) {
        return Err(AppError::Forbidden);
    }
    let reach: Option<Vec<i64>> = actor
        .access
        .reach(Permission::ExpenseRead)
        .map(|ids| ids.into_iter().map(|a| a.get()).collect());
    let mut tx = app.store.read().await?;
    let rows = store::list_received(
        &mut tx,
        actor.cooperative,
        reach.as_deref(),
        open,
        LIST_LIMIT,
    )
    .await?;
    tx.commit().await?;
    Ok(rows)
}

/// A received invoice as its page shows it.
pub struct ReceivedView {
    pub record: ReceivedRecord,
    pub state: ReceivedState,
    pub answers: Vec<AnswerRecord>,
    /// The support team may assign it to an activity.
    pub may_assign: bool,
    pub may_answer: bool,
    /// The answerer may also approve it in the books at once.
    pub may_validate: bool,
}

pub async fn show(app: &App, actor: &CoopActor, id: i64) -> Result<ReceivedView, AppError> {
    let mut tx = app.store.read().await?;
    let record = readable_in(&mut tx, actor, id).await?;
    let answers = store::answers_of(&mut tx, actor.cooperative, id).await?;
    tx.commit().await?;
    let state = ReceivedState::parse(&record.state)
        .ok_or_else(|| AppError::Internal(format!("state {}", record.state)))?;
    Ok(ReceivedView {
        may_assign: matches!(state, ReceivedState::Triage | ReceivedState::Routed)
            && actor.access.reach(Permission::ExpenseValidate).is_none()
            && actor.access.has_any(Permission::ExpenseValidate),
        may_answer: may_answer(actor, &record) && state.is_open() && state != ReceivedState::Triage,
        may_validate: record.activity_id.is_some_and(|a| {
            actor.access.allows(
                Permission::ExpenseValidate,
                Target::Activity(ActivityId::new(a)),
            )
        }),
        record,
        state,
        answers,
    })
}

/// The file as the platform delivered it (the legal original): name, type and bytes.
pub async fn file(
    app: &App,
    actor: &CoopActor,
    id: i64,
) -> Result<(String, String, Vec<u8>), AppError> {
    let mut tx = app.store.read().await?;
    let r = readable_in(&mut tx, actor, id).await?;
    tx.commit().await?;
    let bytes = read_checked(app, &r.file_sha256, "a received invoice").await?;
    let name = if r.name.is_empty() {
        format!("facture-recue-{id}")
    } else {
        r.name.replace(['/', '\\', '"'], "-")
    };
    Ok((name, r.content_type, bytes))
}

/// Assigns a received invoice to an activity (the support team: `expense.validate` over the
/// whole cooperative), from triage or to correct a routing.
pub async fn assign(app: &App, actor: &CoopActor, id: i64, activity: &str) -> Result<(), AppError> {
    if !(actor.access.has_any(Permission::ExpenseValidate)
        && actor.access.reach(Permission::ExpenseValidate).is_none())
    {
        return Err(AppError::Forbidden);
    }
    let activity = activity
        .trim()
        .parse::<i64>()
        .map_err(|_| AppError::field("activity", "required"))?;
    let now = app.clock.now();
    let mut tx = app.store.begin().await?;
    let r = readable_in(&mut tx, actor, id).await?;
    if essaim_storage::activity::find(&mut tx, actor.cooperative, ActivityId::new(activity))
        .await?
        .is_none()
    {
        return Err(AppError::field("activity", "required"));
    }
    if !store::assign_received(&mut tx, actor.cooperative, id, activity, now).await? {
        return Err(AppError::field("activity", "received_already_answered"));
    }
    audit::record_in(
        &mut tx,
        app,
        actor,
        "einvoice.received_assigned",
        ("received_invoice", id.to_string()),
        json!({ "from": r.activity_id, "to": activity }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The answer form: approve (with the expense category), dispute or refuse (with a reason).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct AnswerInput {
    pub answer: String,
    pub category: String,
    pub reason: String,
    pub comment: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
struct AnswerPayload {
    cooperative_id: i64,
    pa_received_answer_id: i64,
}

/// Answers a received invoice (EIN-40), in one transaction: the state, the answer queued for the
/// platform, and on approval the supplier invoice of the activity made from the received file
/// (approved in the books at once when the person may).
pub async fn answer(
    app: &App,
    actor: &CoopActor,
    id: i64,
    input: &AnswerInput,
) -> Result<(), AppError> {
    let answer =
        Answer::parse(input.answer.trim()).ok_or_else(|| AppError::field("answer", "required"))?;
    let comment: String = input
        .comment
        .trim()
        .chars()
        .filter(|c| !c.is_control())
        .collect();
    if comment.chars().count() > 500 {
        return Err(AppError::field("comment", "too_long"));
    }
    let reason = match answer {
        Answer::Approve => None,
        Answer::Dispute | Answer::Refuse => Some(
            incoming::parse_reason(input.reason.trim())
                .ok_or_else(|| AppError::field("reason", "required"))?,
        ),
    };
    let now = app.clock.now();
    let mut tx = app.store.begin().await?;
    let r = readable_in(&mut tx, actor, id).await?;
    if !may_answer(actor, &r) {
        return Err(AppError::Forbidden);
    }
    let state = ReceivedState::parse(&r.state).unwrap_or(ReceivedState::Unreadable);
    if !answer.allowed_from(state) {
        return Err(AppError::field("answer", "received_already_answered"));
    }
    let mut supplier_invoice = None;
    if answer == Answer::Approve {
        let activity = r
            .activity_id
            .ok_or_else(|| AppError::field("answer", "received_already_answered"))?;
        let bytes = read_checked(app, &r.file_sha256, "a received invoice").await?;
        let read = read_file(None, &bytes);
        let inv = read
            .invoice
            .map_err(|code| AppError::BadFile { code, line: None })?;
        let mut typed = crate::spending::prefill::input_of(&inv);
        typed.activity = activity.to_string();
        typed.category = input.category.trim().to_owned();
        typed.description = comment.clone();
        let checked = typed.parse()?;
        let content_type = if read.content_type == "application/pdf" {
            "application/pdf"
        } else {
            "application/xml"
        };
        let source = if content_type == "application/pdf" {
            "facturx"
        } else if r.syntax == "ubl" {
            "ubl"
        } else {
            "cii"
        };
        let sid = crate::spending::suppliers::record_in(
            &mut tx,
            app,
            actor,
            &checked,
            Some((r.file_sha256.clone(), content_type, r.file_size)),
            &r.name,
            source,
        )
        .await?;
        if actor.access.allows(
            Permission::ExpenseValidate,
            Target::Activity(ActivityId::new(activity)),
        ) {
            crate::spending::suppliers::approve_in(&mut tx, app, actor, sid).await?;
        }
        supplier_invoice = Some(sid);
    }
    if !store::set_received_state(
        &mut tx,
        actor.cooperative,
        id,
        &r.state,
        answer.state().code(),
        supplier_invoice,
        now,
    )
    .await?
    {
        return Err(AppError::field("answer", "received_already_answered"));
    }
    let rank = store::count_answers(&mut tx, actor.cooperative, id).await? + 1;
    let tracking = format!("essaim-{}-r{id}-{rank}", actor.cooperative.get());
    let reason_text = reason.map(|code| {
        let label = incoming::REASONS
            .iter()
            .find(|(c, _)| *c == code)
            .map(|(_, l)| *l)
            .unwrap_or(code);
        if comment.is_empty() {
            label.to_owned()
        } else {
            format!("{label} : {comment}")
        }
    });
    let answer_id = store::add_answer(
        &mut tx,
        actor.cooperative,
        id,
        i32::from(answer.status().code()),
        reason.zip(reason_text.as_deref()),
        Some(actor.user().id),
        &tracking,
        now,
    )
    .await?;
    let payload = serde_json::to_string(&AnswerPayload {
        cooperative_id: actor.cooperative.get(),
        pa_received_answer_id: answer_id,
    })
    .map_err(|e| AppError::Internal(e.to_string()))?;
    job_store::enqueue(
        &mut tx,
        &NewJob {
            cooperative: Some(actor.cooperative),
            kind: KIND_ANSWER,
            payload: &payload,
            max_attempts: super::sending::DEPOSIT_ATTEMPTS,
            run_at: now,
        },
        now,
    )
    .await?;
    audit::record_in(
        &mut tx,
        app,
        actor,
        "einvoice.received_answered",
        ("received_invoice", id.to_string()),
        json!({ "status": answer.status().code(), "reason": reason, "supplier_invoice": supplier_invoice }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Runs an answer job: sends the lifecycle message about the supplier's invoice once.
pub(crate) async fn send_answer(
    app: &App,
    payload: &str,
    last_attempt: bool,
) -> Result<(), String> {
    let p: AnswerPayload = serde_json::from_str(payload).map_err(|e| format!("payload: {e}"))?;
    let coop = CooperativeId::new(p.cooperative_id);
    let (answer, received, client, coop_row) = {
        let mut tx = app.store.read().await.map_err(|e| e.to_string())?;
        let answer = store::answer(&mut tx, coop, p.pa_received_answer_id)
            .await
            .map_err(|e| e.to_string())?;
        let received = match &answer {
            Some(a) => store::received(&mut tx, coop, a.pa_received_id)
                .await
                .map_err(|e| e.to_string())?,
            None => None,
        };
        let client = client_in(&mut tx, app, coop)
            .await
            .map_err(|e| e.to_string())?;
        let coop_row = essaim_storage::cooperative::find(&mut tx, coop)
            .await
            .map_err(|e| e.to_string())?;
        tx.commit().await.map_err(|e| e.to_string())?;
        (answer, received, client, coop_row)
    };
    let (Some(answer), Some(received), Some(coop_row)) = (answer, received, coop_row) else {
        return Ok(());
    };
    if answer.state != "queued" {
        return Ok(());
    }
    let outcome = match client {
        None => Err((false, "einvoicing_not_connected".to_owned())),
        Some(client) => {
            let siren = coop_row.identity.siret.siren().as_str().to_owned();
            let xml = essaim_exchange::cdar::write_cdar(&essaim_exchange::cdar::StatusMessage {
                id: answer.tracking_id.clone(),
                issued_at: app.clock.now(),
                issuer: essaim_exchange::cdar::Party {
                    siren: siren.clone(),
                    name: coop_row.identity.legal_name.clone(),
                    role: "BY".into(),
                    address: None,
                },
                recipient: essaim_exchange::cdar::Party {
                    siren: received.supplier_siren.clone().unwrap_or_default(),
                    name: received.supplier_name.clone(),
                    role: "SE".into(),
                    address: None,
                },
                invoice_number: received.number.clone(),
                invoice_type: if received.type_code.is_empty() {
                    "380".into()
                } else {
                    received.type_code.clone()
                },
                invoice_date: received
                    .issue_date
                    .unwrap_or_else(|| received.received_at.date()),
                seller_siren: received.supplier_siren.clone().unwrap_or_default(),
                status: u16::try_from(answer.status).unwrap_or(0),
                reason: answer.reason_code.clone().zip(answer.reason.clone()),
                collected: None,
            });
            super::deposit_cdar(&client, &answer.tracking_id, &xml).await
        }
    };
    let now = app.clock.now();
    let mut tx = app.store.begin().await.map_err(|e| e.to_string())?;
    let result = match &outcome {
        Ok(flow) => {
            store::set_answer_outcome(&mut tx, answer.pa_received_answer_id, Ok(&flow.flow_id))
                .await
                .map_err(|e| e.to_string())?;
            Ok(())
        }
        Err((retryable, detail)) => {
            let give_up = !retryable || last_attempt;
            store::set_answer_outcome(
                &mut tx,
                answer.pa_received_answer_id,
                Err((detail, give_up)),
            )
            .await
            .map_err(|e| e.to_string())?;
            if give_up { Ok(()) } else { Err(detail.clone()) }
        }
    };
    store::add_exchange(
        &mut tx,
        coop,
        &store::ExchangeRecord {
            at: now,
            operation: "answer".into(),
            ok: outcome.is_ok(),
            detail: outcome.err().map(|(_, d)| d).unwrap_or_default(),
        },
    )
    .await
    .map_err(|e| e.to_string())?;
    tx.commit().await.map_err(|e| e.to_string())?;
    result
}
