//! The books: chart of accounts and journals.

use super::*;

#[derive(Clone, Debug, Default, Deserialize)]
pub struct AccountForm {
    #[serde(default)]
    pub number: String,
    #[serde(default)]
    pub label: String,
    #[serde(default)]
    pub archived: String,
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct JournalForm {
    #[serde(default)]
    pub code: String,
    /// `journal_label` in the form: the account form of the same page has its own `label`.
    #[serde(default, rename = "journal_label")]
    pub label: String,
    #[serde(default)]
    pub role: String,
}

pub struct AccountView {
    pub number: String,
    pub label: String,
    pub archived: bool,
    pub href: String,
    pub edit_href: String,
}

pub struct JournalView {
    pub code: String,
    pub label: String,
    pub role: String,
    pub edit_href: String,
}

#[derive(Template)]
#[template(path = "books/chart.html")]
pub struct ChartPage {
    pub l: Layout,
    pub accounts: Vec<AccountView>,
    pub journals: Vec<JournalView>,
    pub may_manage: bool,
    pub account: AccountForm,
    pub account_errors: Errors,
    pub journal: JournalForm,
    pub roles: Vec<Choice>,
    pub journal_errors: Errors,
    pub account_action: String,
    pub journal_action: String,
    pub home_href: String,
    pub message: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct ChartQuery {
    #[serde(default)]
    pub account: String,
    #[serde(default)]
    pub journal: String,
    #[serde(default)]
    pub done: String,
}

#[allow(clippy::too_many_arguments)]
async fn chart_page(
    state: &AppState,
    page: &Page,
    coop: &CoopActor,
    account: Option<AccountForm>,
    account_errors: Errors,
    journal: Option<JournalForm>,
    journal_errors: Errors,
    q: &ChartQuery,
) -> PageResult {
    let t = page.layout.t;
    let slug = &coop.slug;
    let (accounts, journals) = books::chart(&state.app, coop).await?;
    let base = paths::books_chart(slug);
    let account = account.unwrap_or_else(|| {
        accounts
            .iter()
            .find(|a| a.number == q.account)
            .map(|a| AccountForm {
                number: a.number.clone(),
                label: a.label.clone(),
                archived: if a.archived {
                    "on".into()
                } else {
                    String::new()
                },
            })
            .unwrap_or_default()
    });
    let journal = journal.unwrap_or_else(|| {
        journals
            .iter()
            .find(|j| j.code == q.journal)
            .map(|j| JournalForm {
                code: j.code.clone(),
                label: j.label.clone(),
                role: j.role.clone().unwrap_or_default(),
            })
            .unwrap_or_default()
    });
    Ok(render(&ChartPage {
        accounts: accounts
            .iter()
            .map(|a| AccountView {
                number: a.number.clone(),
                label: a.label.clone(),
                archived: a.archived,
                href: paths::books_ledger(slug, &a.number),
                edit_href: format!("{base}?account={}#account-form", a.number),
            })
            .collect(),
        journals: journals
            .iter()
            .map(|j| JournalView {
                code: j.code.clone(),
                label: j.label.clone(),
                role: j
                    .role
                    .as_deref()
                    .map(|r| role_label(t, r))
                    .unwrap_or_default(),
                edit_href: format!("{base}?journal={}#journal-form", j.code),
            })
            .collect(),
        may_manage: coop.may(Permission::BooksManage),
        roles: JournalRole::ALL
            .iter()
            .map(|r| Choice {
                value: r.code().into(),
                label: role_label(t, r.code()),
                selected: journal.role == r.code(),
            })
            .collect(),
        account,
        account_errors,
        journal,
        journal_errors,
        account_action: format!("{base}/accounts"),
        journal_action: format!("{base}/journals"),
        home_href: paths::books(slug),
        message: done_message(
            t,
            &DoneQuery {
                done: q.done.clone(),
                ..DoneQuery::default()
            },
        ),
        l: page.layout.clone(),
    }))
}

pub async fn chart(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Query(q): Query<ChartQuery>,
) -> PageResult {
    chart_page(
        &state,
        &page,
        &coop,
        None,
        Errors::default(),
        None,
        Errors::default(),
        &q,
    )
    .await
}

pub async fn save_account(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Form(f): Form<AccountForm>,
) -> PageResult {
    let input = AccountInput {
        number: f.number.clone(),
        label: f.label.clone(),
        archived: f.archived == "on",
    };
    match books::save_account(&state.app, &coop, &input).await {
        Ok(()) => Ok(Redirect::to(&format!(
            "{}?done=account_saved",
            paths::books_chart(&coop.slug)
        ))
        .into_response()),
        Err(AppError::Invalid(e)) => {
            let errors = Errors::from(&e, page.layout.t);
            chart_page(
                &state,
                &page,
                &coop,
                Some(f),
                errors,
                None,
                Errors::default(),
                &ChartQuery::default(),
            )
            .await
            .map(unprocessable)
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn save_journal(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Form(f): Form<JournalForm>,
) -> PageResult {
    let input = JournalInput {
        code: f.code.clone(),
        label: f.label.clone(),
        role: f.role.clone(),
    };
    match books::save_journal(&state.app, &coop, &input).await {
        Ok(()) => Ok(Redirect::to(&format!(
            "{}?done=journal_saved",
            paths::books_chart(&coop.slug)
        ))
        .into_response()),
        Err(AppError::Invalid(e)) => {
            let errors = Errors::from(&e, page.layout.t);
            chart_page(
                &state,
                &page,
                &coop,
                None,
                Errors::default(),
                Some(f),
                errors,
                &ChartQuery::default(),
            )
            .await
            .map(unprocessable)
        }
        Err(e) => Err(e.into()),
    }
}
