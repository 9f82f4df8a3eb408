//! The books: chart of accounts and journals.

use super::*;

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct JournalForm {
    pub code: String,
    /// `journal_label` in the form: the account form of the same page has its own `label`.
    #[serde(rename = "journal_label")]
    pub label: String,
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
    pub account: AccountInput,
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
#[serde(default)]
pub struct ChartQuery {
    pub account: String,
    pub journal: String,
    pub done: String,
}

/// The form of the page that was sent and refused, shown again with its errors.
enum Refused {
    Nothing,
    Account(AccountInput, Errors),
    Journal(JournalForm, Errors),
}

async fn chart_page(
    (app, page, coop): (&App, &Page, &CoopActor),
    refused: Refused,
    q: &ChartQuery,
) -> PageResult {
    let t = page.layout.t;
    let (account, account_errors, journal, journal_errors) = match refused {
        Refused::Account(f, e) => (Some(f), e, None, Errors::default()),
        Refused::Journal(f, e) => (None, Errors::default(), Some(f), e),
        Refused::Nothing => (None, Errors::default(), None, Errors::default()),
    };
    let slug = &coop.slug;
    let (accounts, journals) = books::chart(app, coop).await?;
    let base = paths::books_chart(slug);
    let account = account.unwrap_or_else(|| {
        accounts
            .iter()
            .find(|a| a.number == q.account)
            .map(|a| AccountInput {
                number: a.number.clone(),
                label: a.label.clone(),
                archived: a.archived,
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
            .map(|r| Choice::new(r.code(), role_label(t, r.code()), journal.role == r.code()))
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

pub async fn chart(Ctx { app, coop, page }: Ctx, Query(q): Query<ChartQuery>) -> PageResult {
    chart_page((&app, &page, &coop), Refused::Nothing, &q).await
}

/// Back to the chart once saved, saying what was.
fn chart_done(coop: &CoopActor, done: &str) -> String {
    format!("{}?done={done}", paths::books_chart(&coop.slug))
}

pub async fn save_account(Ctx { app, coop, page }: Ctx, Form(f): Form<AccountInput>) -> PageResult {
    let outcome = books::save_account(&app, &coop, &f).await;
    let to = |()| chart_done(&coop, "account_saved");
    forms::submit(&page, outcome, to, async |errors| {
        let refused = Refused::Account(f, errors);
        chart_page((&app, &page, &coop), refused, &ChartQuery::default()).await
    })
    .await
}

pub async fn save_journal(Ctx { app, coop, page }: Ctx, Form(f): Form<JournalForm>) -> PageResult {
    let input = JournalInput {
        code: f.code.clone(),
        label: f.label.clone(),
        role: f.role.clone(),
    };
    let outcome = books::save_journal(&app, &coop, &input).await;
    let to = |()| chart_done(&coop, "journal_saved");
    forms::submit(&page, outcome, to, async |errors| {
        let refused = Refused::Journal(f, errors);
        chart_page((&app, &page, &coop), refused, &ChartQuery::default()).await
    })
    .await
}
