//! Sending quotes, invoices and reminders to customers by e-mail (issue 4, point 8): from
//! templates each cooperative edits, with the PDF attached, as background jobs retried with
//! backoff; each sending is written in the document's history once it has left.

use super::docs::{self, status_of};
use crate::jobs::MAX_ATTEMPTS;
use crate::mail::{Attachment, OutgoingMail};
use crate::{App, AppError, CoopActor, audit};
use essaim_domain::FieldErrors;
use essaim_domain::access::{Permission, Target};
use essaim_domain::account::Email;
use essaim_domain::ids::{ActivityId, CooperativeId, SaleDocId, UserId};
use essaim_domain::money::Money;
use essaim_domain::selling::DisplayStatus;
use essaim_domain::selling::terms::fr_date;
use essaim_domain::validation::required_text;
use essaim_storage::job::{self as jobs_store, NewJob};
use essaim_storage::sale as store;
use serde::{Deserialize, Serialize};
use serde_json::json;

pub const KIND_SALE_EMAIL: &str = "sale_email";

/// The kinds of message, each with its template.
pub const TEMPLATE_KINDS: [&str; 3] = ["quote", "invoice", "reminder"];

/// The templates Essaim starts with. Placeholders: {number}, {customer}, {activity},
/// {cooperative}, {total}, {due}, {due_date}, {link}.
pub fn default_template(kind: &str) -> (&'static str, &'static str) {
    match kind {
        "quote" => (
            "Devis {number} — {activity}",
            "Bonjour,\n\nVeuillez trouver ci-joint notre devis {number} d'un montant de {total} TTC.\n\nVous pouvez l'accepter en ligne à cette adresse :\n{link}\n\nBien cordialement,\n{activity}\n{cooperative}",
        ),
        "reminder" => (
            "Relance : facture {number} — {activity}",
            "Bonjour,\n\nSauf erreur de notre part, la facture {number} arrivée à échéance le {due_date} reste due pour {due}. Vous la trouverez ci-jointe.\n\nSi votre règlement est déjà parti, merci de ne pas tenir compte de ce message.\n\nBien cordialement,\n{activity}\n{cooperative}",
        ),
        _ => (
            "Facture {number} — {activity}",
            "Bonjour,\n\nVeuillez trouver ci-joint la facture {number} d'un montant de {total} TTC, à régler au plus tard le {due_date}.\n\nBien cordialement,\n{activity}\n{cooperative}",
        ),
    }
}

/// The cooperative's template of this kind (its own, or the default): (subject, body, custom).
pub async fn template(
    app: &App,
    actor: &CoopActor,
    kind: &str,
) -> Result<(String, String, bool), AppError> {
    let mut tx = app.store.read().await?;
    let found = store::mail_template(&mut tx, actor.cooperative, kind).await?;
    tx.commit().await?;
    Ok(match found {
        Some((s, b)) => (s, b, true),
        None => {
            let (s, b) = default_template(kind);
            (s.to_owned(), b.to_owned(), false)
        }
    })
}

/// Saves a template (`cooperative.settings`); unknown placeholders are refused.
pub async fn save_template(
    app: &App,
    actor: &CoopActor,
    kind: &str,
    subject: &str,
    body: &str,
) -> Result<(), AppError> {
    actor.require(Permission::CooperativeSettings)?;
    if !TEMPLATE_KINDS.contains(&kind) {
        return Err(AppError::NotFound("template"));
    }
    let mut e = FieldErrors::new();
    let subject = e.check("subject", required_text(subject, 200));
    let body = e.check("body", required_text(body, 5000));
    for text in [subject.as_deref(), body.as_deref()].into_iter().flatten() {
        if !placeholders_known(text) {
            e.add("body", "template_placeholder_unknown");
            break;
        }
    }
    let (Some(subject), Some(body)) = (subject, body) else {
        return Err(e.into());
    };
    if !e.is_empty() {
        return Err(e.into());
    }
    let mut tx = app.store.begin().await?;
    store::save_mail_template(&mut tx, actor.cooperative, kind, &subject, &body).await?;
    audit::record_in(
        &mut tx,
        app,
        actor,
        "selling.mail_template",
        ("template", kind.to_owned()),
        json!({}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

const PLACEHOLDERS: [&str; 8] = [
    "number",
    "customer",
    "activity",
    "cooperative",
    "total",
    "due",
    "due_date",
    "link",
];

fn placeholders_known(text: &str) -> bool {
    let mut rest = text;
    while let Some(i) = rest.find('{') {
        let after = &rest[i + 1..];
        let Some(end) = after.find('}') else {
            return false;
        };
        if !PLACEHOLDERS.contains(&&after[..end]) {
            return false;
        }
        rest = &after[end + 1..];
    }
    true
}

fn fill(text: &str, values: &[(&str, String)]) -> String {
    let mut out = text.to_owned();
    for (k, v) in values {
        out = out.replace(&format!("{{{k}}}"), v);
    }
    out
}

/// What a sending job carries: the message is written when it is queued; the PDF is rendered
/// when it is sent, from the document as it stands (frozen for invoices).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SalePayload {
    pub cooperative_id: i64,
    pub sale_doc_id: i64,
    pub reminder: bool,
    pub by: i64,
    pub mail: OutgoingMail,
}

/// Queues the document for sending by e-mail to `to` (the customer's address when empty):
/// a sent quote with a fresh acceptance link, an issued invoice, or a reminder of an overdue one.
pub async fn send_by_email(
    app: &App,
    actor: &CoopActor,
    id: SaleDocId,
    to: &str,
    reminder: bool,
) -> Result<(), AppError> {
    let now = app.clock.now();
    let today = now.date();
    let v = docs::view(app, actor, id).await?;
    let activity = ActivityId::new(v.doc.activity_id);
    if !(actor
        .access
        .allows(Permission::SaleManage, Target::Activity(activity))
        || (reminder
            && actor
                .access
                .allows(Permission::PaymentRecord, Target::Activity(activity))))
    {
        return Err(AppError::Forbidden);
    }
    let to = if to.trim().is_empty() {
        v.customer
            .email
            .clone()
            .ok_or_else(|| AppError::field("to", "mail_no_customer_email"))?
    } else {
        Email::parse(to)
            .map_err(|c| AppError::field("to", c))?
            .as_str()
            .to_owned()
    };
    let status = status_of(&v.doc, today);
    let kind = match (v.doc.kind.as_str(), reminder) {
        ("quote", false) if matches!(status, DisplayStatus::Sent | DisplayStatus::Draft) => "quote",
        ("invoice" | "deposit" | "credit_note", false) if v.doc.state == "issued" => "invoice",
        ("invoice" | "deposit", true) if v.overdue => "reminder",
        (_, true) => return Err(AppError::field("to", "reminder_needs_overdue")),
        _ => return Err(AppError::field("to", "mail_needs_sent_document")),
    };
    // A quote still in draft is sent (numbered) first; every e-mail carries a fresh link.
    let link = if kind == "quote" {
        let token = docs::send_quote(app, actor, id).await?;
        format!("{}/q/{token}", app.config.base_url)
    } else {
        String::new()
    };
    let v = docs::view(app, actor, id).await?;
    let (subject, body, _) = template(app, actor, kind).await?;
    let values = [
        ("number", v.doc.number.clone().unwrap_or_default()),
        ("customer", v.customer.name.clone()),
        ("activity", v.doc.activity_name.clone()),
        ("cooperative", actor.cooperative_name.clone()),
        ("total", Money::eur(v.doc.grand_total_cents).format_fr()),
        ("due", Money::eur(v.outstanding_cents).format_fr()),
        ("due_date", v.doc.due_date.map(fr_date).unwrap_or_default()),
        ("link", link),
    ];
    let payload = SalePayload {
        cooperative_id: actor.cooperative.get(),
        sale_doc_id: id.get(),
        reminder,
        by: actor.user().id.get(),
        mail: OutgoingMail {
            to: to.clone(),
            subject: fill(&subject, &values),
            body: fill(&body, &values),
            calendar: None,
        },
    };
    let payload = serde_json::to_string(&payload).map_err(|e| AppError::Internal(e.to_string()))?;
    let mut tx = app.store.begin().await?;
    jobs_store::enqueue(
        &mut tx,
        &NewJob {
            cooperative: Some(actor.cooperative),
            kind: KIND_SALE_EMAIL,
            payload: &payload,
            max_attempts: MAX_ATTEMPTS,
            run_at: now,
        },
        now,
    )
    .await?;
    store::add_event(
        &mut tx,
        id,
        "email_queued",
        Some(actor.user().id),
        Some(&to),
        now,
    )
    .await?;
    audit::record_in(
        &mut tx,
        app,
        actor,
        "sale.email",
        ("sale_doc", id.to_string()),
        json!({ "to": to, "reminder": reminder }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Runs a sending job: renders the PDF, sends the message with it, writes the history.
pub(crate) async fn deliver(app: &App, payload: &str) -> Result<(), String> {
    let p: SalePayload = serde_json::from_str(payload).map_err(|e| format!("payload: {e}"))?;
    let id = SaleDocId::new(p.sale_doc_id);
    let coop = CooperativeId::new(p.cooperative_id);
    let (sale, branding) = docs::document_in_coop(app, coop, id)
        .await
        .map_err(|e| e.to_string())?;
    let filename = format!("{}.pdf", docs::file_stem(&sale, id));
    let bytes =
        tokio::task::spawn_blocking(move || essaim_documents::sale::sale_pdf(&sale, &branding))
            .await
            .map_err(|e| e.to_string())?
            .map_err(|e| e.to_string())?;
    app.mailer
        .send_with_attachment(
            &p.mail,
            &Attachment {
                filename,
                content_type: "application/pdf".into(),
                bytes,
            },
        )
        .await?;
    let now = app.clock.now();
    let mut tx = app.store.begin().await.map_err(|e| e.to_string())?;
    store::add_event(
        &mut tx,
        id,
        if p.reminder { "reminder" } else { "emailed" },
        Some(UserId::new(p.by)),
        Some(&p.mail.to),
        now,
    )
    .await
    .map_err(|e| e.to_string())?;
    tx.commit().await.map_err(|e| e.to_string())?;
    Ok(())
}
