//! Sale documents: the actions of the document page (validate, send, accept, deposit, final
//! invoice, credit note, duplicate, delete, e-mail, payment) and its files.

use super::*;

/// Runs an action of the document page; a refusal with a field is shown on the page.
async fn act<Fut>(
    state: &AppState,
    page: &Page,
    coop: CoopActor,
    id: i64,
    done: &str,
    f: impl FnOnce(CoopActor, SaleDocId) -> Fut,
) -> PageResult
where
    Fut: Future<Output = Result<Option<String>, AppError>>,
{
    match f(coop.clone(), SaleDocId::new(id)).await {
        Ok(Some(to)) => Ok(Redirect::to(&to).into_response()),
        Ok(None) => Ok(
            Redirect::to(&format!("{}?done={done}", paths::sale(&coop.slug, id))).into_response(),
        ),
        Err(AppError::Invalid(errors)) => {
            let e = Errors::from(&errors, page.layout.t);
            show_page(state, page, &coop, id, e, None, None)
                .await
                .map(unprocessable)
        }
        Err(e) => Err(e.into()),
    }
}

/// The page of a document just made from this one.
fn to_new(coop: &CoopActor, new: SaleDocId) -> Option<String> {
    Some(paths::sale(&coop.slug, new.get()))
}

type IdPath = Path<(String, i64)>;

pub async fn validate(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Path((_, id)): IdPath,
) -> PageResult {
    let app = state.app.clone();
    act(
        &state,
        &page,
        coop,
        id,
        "validated",
        |coop, doc| async move { docs::validate(&app, &coop, doc).await.map(|_| None) },
    )
    .await
}

pub async fn send(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Path((_, id)): IdPath,
) -> PageResult {
    let app = state.app.clone();
    act(&state, &page, coop, id, "sent", |coop, doc| async move {
        let token = docs::send_quote(&app, &coop, doc).await?;
        Ok(Some(format!(
            "{}?done=sent&link={token}",
            paths::sale(&coop.slug, id)
        )))
    })
    .await
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct OutcomeForm {
    #[serde(default)]
    pub outcome: String,
    #[serde(default)]
    pub accepted_by: String,
}

pub async fn outcome(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Path((_, id)): IdPath,
    Form(f): Form<OutcomeForm>,
) -> PageResult {
    let app = state.app.clone();
    let accepted = f.outcome == "accepted";
    act(
        &state,
        &page,
        coop,
        id,
        if accepted { "accepted" } else { "refused" },
        |coop, doc| async move {
            docs::set_quote_outcome(&app, &coop, doc, accepted, &f.accepted_by)
                .await
                .map(|_| None)
        },
    )
    .await
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct DepositForm {
    #[serde(default)]
    pub percent: String,
    #[serde(default)]
    pub amount: String,
}

pub async fn deposit(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Path((_, id)): IdPath,
    Form(f): Form<DepositForm>,
) -> PageResult {
    let app = state.app.clone();
    act(&state, &page, coop, id, "created", |coop, doc| async move {
        let new = docs::create_deposit(&app, &coop, doc, &f.percent, &f.amount).await?;
        Ok(to_new(&coop, new))
    })
    .await
}

pub async fn final_invoice(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Path((_, id)): IdPath,
) -> PageResult {
    let app = state.app.clone();
    act(&state, &page, coop, id, "created", |coop, doc| async move {
        Ok(to_new(&coop, docs::create_final(&app, &coop, doc).await?))
    })
    .await
}

pub async fn credit_note(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Path((_, id)): IdPath,
) -> PageResult {
    let app = state.app.clone();
    act(&state, &page, coop, id, "created", |coop, doc| async move {
        Ok(to_new(
            &coop,
            docs::create_credit_note(&app, &coop, doc).await?,
        ))
    })
    .await
}

pub async fn duplicate(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Path((_, id)): IdPath,
) -> PageResult {
    let app = state.app.clone();
    act(&state, &page, coop, id, "created", |coop, doc| async move {
        Ok(to_new(&coop, docs::duplicate(&app, &coop, doc).await?))
    })
    .await
}

pub async fn delete(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Path((_, id)): IdPath,
) -> PageResult {
    let app = state.app.clone();
    act(&state, &page, coop, id, "deleted", |coop, doc| async move {
        let kind = docs::view(&app, &coop, doc).await?.kind;
        docs::delete(&app, &coop, doc).await?;
        Ok(Some(if kind == DocKind::Quote {
            paths::quotes(&coop.slug)
        } else {
            paths::invoices(&coop.slug)
        }))
    })
    .await
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct EmailForm {
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub reminder: String,
}

/// Queues the document for sending by e-mail (or a reminder), PDF attached.
pub async fn email(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Path((_, id)): IdPath,
    Form(f): Form<EmailForm>,
) -> PageResult {
    let app = state.app.clone();
    act(&state, &page, coop, id, "emailed", |coop, doc| async move {
        essaim_app::selling::mail::send_by_email(&app, &coop, doc, &f.to, f.reminder == "1")
            .await
            .map(|_| None)
    })
    .await
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct PaymentForm {
    #[serde(default)]
    pub paid_on: String,
    #[serde(default)]
    pub amount: String,
    #[serde(default)]
    pub mode: String,
    #[serde(default)]
    pub reference: String,
}

pub async fn payment(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Path((_, id)): IdPath,
    Form(f): Form<PaymentForm>,
) -> PageResult {
    let app = state.app.clone();
    act(&state, &page, coop, id, "payment", |coop, doc| async move {
        let input = PaymentInput {
            paid_on: f.paid_on,
            amount: f.amount,
            mode: f.mode,
            reference: f.reference,
        };
        docs::record_payment(&app, &coop, doc, &input)
            .await
            .map(|_| None)
    })
    .await
}

pub async fn file(
    Coop(coop): Coop,
    State(state): State<AppState>,
    Path((_, id, format)): Path<(String, i64, String)>,
) -> PageResult {
    match format.as_str() {
        "pdf" => {
            let (name, bytes) = docs::pdf(&state.app, &coop, SaleDocId::new(id)).await?;
            Ok(download(&name, "application/pdf", bytes))
        }
        "xml" => {
            let (name, xml) = docs::xml(&state.app, &coop, SaleDocId::new(id)).await?;
            Ok(download(&name, "application/xml", xml.into_bytes()))
        }
        _ => Err(AppError::NotFound("format").into()),
    }
}
