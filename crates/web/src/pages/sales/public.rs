//! Sale documents: the customer's page behind the signed link.

use super::*;

#[derive(Template)]
#[template(path = "sales/public.html")]
pub struct PublicPage {
    pub l: Layout,
    pub cooperative: String,
    pub activity: String,
    pub number: String,
    pub date: String,
    pub valid_until: String,
    pub customer: String,
    pub lines: Vec<(String, String, String, String)>,
    pub total_ht: String,
    pub total_vat: String,
    pub total_ttc: String,
    pub open: bool,
    pub status: String,
    pub accepted: Option<String>,
    pub action: String,
    pub errors: Errors,
}

async fn public_page(app: &App, page: &Page, token: &str, errors: Errors) -> PageResult {
    let t = page.layout.t;
    let q = docs::public_quote(app, token).await?;
    Ok(render(&PublicPage {
        cooperative: q.cooperative_name.clone(),
        activity: q.doc.activity_name.clone(),
        number: q.doc.number.clone().unwrap_or_default(),
        date: fr_date(q.doc.doc_date),
        valid_until: q.doc.valid_until.map(fr_date).unwrap_or_default(),
        customer: q.doc.customer_name.clone(),
        lines: q
            .computed
            .lines
            .iter()
            .map(|l| {
                (
                    l.item.label.clone(),
                    l.item.quantity.normalize().to_string().replace('.', ","),
                    l.vat.label.to_owned(),
                    money(l.net_cents),
                )
            })
            .collect(),
        total_ht: money(q.computed.totals.tax_basis_cents),
        total_vat: money(q.computed.totals.tax_total_cents),
        total_ttc: money(q.computed.totals.grand_total_cents),
        open: q.status == DisplayStatus::Sent,
        status: status_label(t, q.status),
        accepted: q.doc.accepted_by.clone().map(|n| {
            format!(
                "{n} — {}",
                q.doc.accepted_at.map(datetime).unwrap_or_default()
            )
        }),
        action: paths::public_quote(token),
        errors,
        l: page.layout.clone(),
    }))
}

pub async fn public_quote(
    State(AppState { app, .. }): State<AppState>,
    page: Page,
    Path(token): Path<String>,
) -> PageResult {
    public_page(&app, &page, &token, Errors::default()).await
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct AnswerForm {
    pub answer: String,
    pub name: String,
}

pub async fn public_answer(
    State(AppState { app, .. }): State<AppState>,
    page: Page,
    Path(token): Path<String>,
    Form(f): Form<AnswerForm>,
) -> PageResult {
    let outcome = docs::answer_by_token(&app, &token, f.answer == "accept", &f.name).await;
    forms::submit(
        &page,
        outcome,
        |()| paths::public_quote(&token),
        async |errors| public_page(&app, &page, &token, errors).await,
    )
    .await
}
