//! Sale documents: the actions of the document page (validate, send, accept, deposit, final
//! invoice, credit note, duplicate, delete, e-mail, payment) and its files.

use super::*;

/// Runs an action of the document page: back to the document (or to where the action leads)
/// when it is done; a refusal with a field is shown on the document page (422).
async fn act(
    Ctx { app, coop, page }: Ctx,
    id: SaleDocId,
    done: &str,
    action: impl AsyncFnOnce(&App, &CoopActor) -> Result<Option<String>, AppError>,
) -> PageResult {
    let outcome = action(&app, &coop).await;
    let back = format!("{}?done={done}", paths::sale(&coop.slug, id));
    forms::submit(
        &page,
        outcome,
        |to| to.unwrap_or(back),
        async |errors| show_page(&app, &page, &coop, id, errors, None, None).await,
    )
    .await
}

/// The page of a document just made from this one.
fn to_new(coop: &CoopActor, new: SaleDocId) -> Option<String> {
    Some(paths::sale(&coop.slug, new))
}

pub async fn validate(cx: Ctx, Id(id): Id<SaleDocId>) -> PageResult {
    act(cx, id, "validated", async |app, coop| {
        docs::validate(app, coop, id).await.map(|_| None)
    })
    .await
}

/// The entrepreneur asks the validation team to validate the draft (issue 19).
pub async fn ask_review(cx: Ctx, Id(id): Id<SaleDocId>) -> PageResult {
    act(cx, id, "review_asked", async |app, coop| {
        essaim_app::selling::review::ask(app, coop, id)
            .await
            .map(|_| None)
    })
    .await
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct ReturnForm {
    pub comment: String,
}

/// A validator sends the draft back with a comment (issue 19).
pub async fn return_review(
    cx: Ctx,
    Id(id): Id<SaleDocId>,
    Form(f): Form<ReturnForm>,
) -> PageResult {
    act(cx, id, "review_returned", async |app, coop| {
        essaim_app::selling::review::send_back(app, coop, id, &f.comment)
            .await
            .map(|_| None)
    })
    .await
}

/// Sends the document through the e-invoicing platform again (a failed or rejected deposit).
pub async fn einvoice_resend(cx: Ctx, Id(id): Id<SaleDocId>) -> PageResult {
    act(cx, id, "einvoice_resent", async |app, coop| {
        essaim_app::einvoicing::sending::resend(app, coop, id)
            .await
            .map(|_| None)
    })
    .await
}

pub async fn send(cx: Ctx, Id(id): Id<SaleDocId>) -> PageResult {
    act(cx, id, "sent", async |app, coop| {
        let token = docs::send_quote(app, coop, id).await?;
        let to = paths::sale(&coop.slug, id);
        Ok(Some(format!("{to}?done=sent&link={token}")))
    })
    .await
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct OutcomeForm {
    pub outcome: String,
    pub accepted_by: String,
}

pub async fn outcome(cx: Ctx, Id(id): Id<SaleDocId>, Form(f): Form<OutcomeForm>) -> PageResult {
    let accepted = f.outcome == "accepted";
    let done = if accepted { "accepted" } else { "refused" };
    act(cx, id, done, async |app, coop| {
        docs::set_quote_outcome(app, coop, id, accepted, &f.accepted_by)
            .await
            .map(|_| None)
    })
    .await
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct DepositForm {
    pub percent: String,
    pub amount: String,
}

pub async fn deposit(cx: Ctx, Id(id): Id<SaleDocId>, Form(f): Form<DepositForm>) -> PageResult {
    act(cx, id, "created", async |app, coop| {
        let new = docs::create_deposit(app, coop, id, &f.percent, &f.amount).await?;
        Ok(to_new(coop, new))
    })
    .await
}

pub async fn final_invoice(cx: Ctx, Id(id): Id<SaleDocId>) -> PageResult {
    act(cx, id, "created", async |app, coop| {
        Ok(to_new(coop, docs::create_final(app, coop, id).await?))
    })
    .await
}

pub async fn credit_note(cx: Ctx, Id(id): Id<SaleDocId>) -> PageResult {
    act(cx, id, "created", async |app, coop| {
        Ok(to_new(coop, docs::create_credit_note(app, coop, id).await?))
    })
    .await
}

pub async fn duplicate(cx: Ctx, Id(id): Id<SaleDocId>) -> PageResult {
    act(cx, id, "created", async |app, coop| {
        Ok(to_new(coop, docs::duplicate(app, coop, id).await?))
    })
    .await
}

pub async fn delete(cx: Ctx, Id(id): Id<SaleDocId>) -> PageResult {
    act(cx, id, "deleted", async |app, coop| {
        let kind = docs::view(app, coop, id).await?.kind;
        docs::delete(app, coop, id).await?;
        Ok(Some(if kind == DocKind::Quote {
            paths::quotes(&coop.slug)
        } else {
            paths::invoices(&coop.slug)
        }))
    })
    .await
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct EmailForm {
    pub to: String,
    pub reminder: String,
}

/// Queues the document for sending by e-mail (or a reminder), PDF attached.
pub async fn email(cx: Ctx, Id(id): Id<SaleDocId>, Form(f): Form<EmailForm>) -> PageResult {
    act(cx, id, "emailed", async |app, coop| {
        essaim_app::selling::mail::send_by_email(app, coop, id, &f.to, f.reminder == "1")
            .await
            .map(|_| None)
    })
    .await
}

pub async fn payment(cx: Ctx, Id(id): Id<SaleDocId>, Form(f): Form<PaymentInput>) -> PageResult {
    act(cx, id, "payment", async |app, coop| {
        docs::record_payment(app, coop, id, &f).await.map(|_| None)
    })
    .await
}

pub async fn file(
    Ctx { app, coop, .. }: Ctx,
    Path((_, id, format)): Path<(String, i64, String)>,
) -> PageResult {
    match format.as_str() {
        "pdf" => {
            let (name, bytes) = docs::pdf(&app, &coop, SaleDocId::new(id)).await?;
            Ok(download(&name, "application/pdf", bytes))
        }
        "xml" => {
            let (name, xml) = docs::xml(&app, &coop, SaleDocId::new(id)).await?;
            Ok(download(&name, "application/xml", xml.into_bytes()))
        }
        _ => Err(AppError::NotFound("format").into()),
    }
}
