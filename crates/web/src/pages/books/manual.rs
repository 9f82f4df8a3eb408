//! The books: manual entries.

use super::*;

pub struct ManualRow {
    pub index: usize,
    pub account: String,
    pub aux_code: String,
    pub aux_label: String,
    pub analytic: String,
    pub debit: String,
    pub credit: String,
    pub errors: Vec<(String, String)>,
}

impl ManualRow {
    pub fn error(&self, field: &str) -> &str {
        self.errors
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
            .unwrap_or("")
    }
}

#[derive(Template)]
#[template(path = "books/entry_form.html")]
pub struct EntryFormPage {
    pub l: Layout,
    pub heading: String,
    pub action: String,
    pub journals: Vec<Choice>,
    pub date: String,
    pub piece_ref: String,
    pub label: String,
    pub rows: Vec<ManualRow>,
    pub accounts: Vec<(String, String)>,
    pub errors: Errors,
    pub notice: Option<String>,
    pub cancel_href: String,
}

/// Reads the flat form: head fields, then `l{i}.account`, `l{i}.debit`… for `i < rows`. Blank
/// rows are kept: the use case skips them and names errors by the form's row.
fn read_entry_form(pairs: &[(String, String)]) -> (ManualEntryInput, String) {
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let rows: usize = get("rows").parse().unwrap_or(0).min(200);
    let lines = (0..rows)
        .map(|i| {
            let f = |name: &str| get(&format!("l{i}.{name}"));
            ManualLineInput {
                account: f("account"),
                aux_code: f("aux_code"),
                aux_label: f("aux_label"),
                analytic: f("analytic"),
                debit: f("debit"),
                credit: f("credit"),
            }
        })
        .collect();
    (
        ManualEntryInput {
            journal: get("journal"),
            date: get("date"),
            piece_ref: get("piece_ref"),
            label: get("label"),
            lines,
        },
        get("action"),
    )
}

#[allow(clippy::too_many_arguments)]
async fn entry_form_page(
    state: &AppState,
    page: &Page,
    coop: &CoopActor,
    heading: String,
    action: String,
    input: &ManualEntryInput,
    blank_rows: usize,
    errors: &FieldErrors,
    cancel_href: String,
) -> PageResult {
    let t = page.layout.t;
    let (accounts, journals) = books::chart(&state.app, coop).await?;
    let mut rows: Vec<ManualRow> = input
        .lines
        .iter()
        .enumerate()
        .map(|(i, l)| ManualRow {
            index: i,
            account: l.account.clone(),
            aux_code: l.aux_code.clone(),
            aux_label: l.aux_label.clone(),
            analytic: l.analytic.clone(),
            debit: l.debit.clone(),
            credit: l.credit.clone(),
            errors: errors
                .0
                .iter()
                .filter(|e| e.row == Some(i))
                .map(|e| {
                    // A line on both sides (or none) is told beside its debit.
                    let field = if e.field == "amount" {
                        "debit"
                    } else {
                        e.field
                    };
                    (field.to_owned(), t.error(e.code))
                })
                .collect(),
        })
        .collect();
    for _ in 0..blank_rows {
        let index = rows.len();
        rows.push(ManualRow {
            index,
            account: String::new(),
            aux_code: String::new(),
            aux_label: String::new(),
            analytic: String::new(),
            debit: String::new(),
            credit: String::new(),
            errors: Vec::new(),
        });
    }
    let any = !errors.is_empty();
    Ok(render(&EntryFormPage {
        heading,
        action,
        journals: journal_choices(&journals, &input.journal),
        date: input.date.clone(),
        piece_ref: input.piece_ref.clone(),
        label: input.label.clone(),
        rows,
        accounts: accounts
            .iter()
            .filter(|a| !a.archived)
            .map(|a| (a.number.clone(), a.label.clone()))
            .collect(),
        errors: Errors::from(errors, t),
        notice: any.then(|| t.get("form.has_errors").to_owned()),
        cancel_href,
        l: page.layout.clone(),
    }))
}

pub async fn new_entry(Coop(coop): Coop, State(state): State<AppState>, page: Page) -> PageResult {
    let t = page.layout.t;
    let (_, journals) = books::chart(&state.app, &coop).await?;
    let misc = journals
        .iter()
        .find(|j| j.role.as_deref() == Some(JournalRole::Misc.code()))
        .map(|j| j.code.clone())
        .unwrap_or_default();
    let input = ManualEntryInput {
        journal: misc,
        date: state.app.clock.today().to_string(),
        ..ManualEntryInput::default()
    };
    entry_form_page(
        &state,
        &page,
        &coop,
        t.get("books.new_entry").into(),
        paths::books_entries(&coop.slug),
        &input,
        6,
        &FieldErrors::new(),
        paths::books_entries(&coop.slug),
    )
    .await
}

pub async fn create_entry(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let t = page.layout.t;
    let (input, action) = read_entry_form(&pairs);
    let heading: String = t.get("books.new_entry").into();
    let post = paths::books_entries(&coop.slug);
    if action == "more" {
        return entry_form_page(
            &state,
            &page,
            &coop,
            heading,
            post.clone(),
            &input,
            3,
            &FieldErrors::new(),
            post,
        )
        .await;
    }
    match books::create_manual(&state.app, &coop, &input).await {
        Ok(id) => Ok(Redirect::to(&format!(
            "{}?done=draft_saved",
            paths::books_entry(&coop.slug, id)
        ))
        .into_response()),
        Err(AppError::Invalid(errors)) => entry_form_page(
            &state,
            &page,
            &coop,
            heading,
            post.clone(),
            &input,
            0,
            &errors,
            post,
        )
        .await
        .map(unprocessable),
        Err(e) => Err(e.into()),
    }
}

/// A draft manual entry, or `None` when it may not be edited (validated, or automatic).
async fn editable_input(
    state: &AppState,
    coop: &CoopActor,
    id: i64,
) -> Result<Option<ManualEntryInput>, AppError> {
    let v = views::entry(&state.app, coop, id).await?;
    if v.entry.state != "draft" || v.entry.source_kind != "manual" {
        return Ok(None);
    }
    Ok(Some(ManualEntryInput {
        journal: v.entry.journal.clone(),
        date: v.entry.entry_date.to_string(),
        piece_ref: v.entry.piece_ref.clone(),
        label: v.entry.label.clone(),
        lines: v
            .lines
            .iter()
            .map(|l| ManualLineInput {
                account: l.account.clone(),
                aux_code: l.aux_code.clone().unwrap_or_default(),
                aux_label: l.aux_label.clone().unwrap_or_default(),
                analytic: l.analytic.clone().unwrap_or_default(),
                debit: typed(l.debit_cents),
                credit: typed(l.credit_cents),
            })
            .collect(),
    }))
}

pub async fn edit_entry(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Path((_, id)): Path<(String, i64)>,
) -> PageResult {
    let t = page.layout.t;
    let Some(input) = editable_input(&state, &coop, id).await? else {
        return Ok(Redirect::to(&paths::books_entry(&coop.slug, id)).into_response());
    };
    let blank = 6usize.saturating_sub(input.lines.len()).max(2);
    entry_form_page(
        &state,
        &page,
        &coop,
        t.get("books.edit_entry").into(),
        paths::books_entry_edit(&coop.slug, id),
        &input,
        blank,
        &FieldErrors::new(),
        paths::books_entry(&coop.slug, id),
    )
    .await
}

pub async fn update_entry(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Path((_, id)): Path<(String, i64)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let t = page.layout.t;
    let (input, action) = read_entry_form(&pairs);
    let heading: String = t.get("books.edit_entry").into();
    let post = paths::books_entry_edit(&coop.slug, id);
    let back = paths::books_entry(&coop.slug, id);
    if action == "more" {
        return entry_form_page(
            &state,
            &page,
            &coop,
            heading,
            post,
            &input,
            3,
            &FieldErrors::new(),
            back,
        )
        .await;
    }
    match books::update_manual(&state.app, &coop, id, &input).await {
        Ok(()) => Ok(Redirect::to(&format!("{back}?done=draft_saved")).into_response()),
        Err(AppError::Invalid(errors)) if errors.for_field("state").is_none() => entry_form_page(
            &state, &page, &coop, heading, post, &input, 0, &errors, back,
        )
        .await
        .map(unprocessable),
        Err(AppError::Invalid(errors)) => {
            entry_page(&state, &page, &coop, id, Errors::from(&errors, t), None)
                .await
                .map(unprocessable)
        }
        Err(e) => Err(e.into()),
    }
}
