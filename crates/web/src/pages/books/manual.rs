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

/// Which entry form is shown: its heading, where it is sent, where "cancel" leads.
struct Screen {
    heading: String,
    action: String,
    cancel: String,
}

impl Screen {
    fn new(coop: &CoopActor, t: crate::i18n::Tr) -> Screen {
        Screen {
            heading: t.get("books.new_entry").into(),
            action: paths::books_entries(&coop.slug),
            cancel: paths::books_entries(&coop.slug),
        }
    }
    fn edit(coop: &CoopActor, t: crate::i18n::Tr, id: EntryId) -> Screen {
        Screen {
            heading: t.get("books.edit_entry").into(),
            action: paths::books_entry_edit(&coop.slug, id),
            cancel: paths::books_entry(&coop.slug, id),
        }
    }
}

/// The form of a manual entry, with `blank_rows` empty lines after the typed ones.
async fn entry_form_page(
    (app, page, coop): (&App, &Page, &CoopActor),
    s: Screen,
    input: &ManualEntryInput,
    blank_rows: usize,
    errors: Errors,
) -> PageResult {
    let t = page.layout.t;
    let (accounts, journals) = books::chart(app, coop).await?;
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
                .filter_map(|(path, message)| {
                    let field = path.strip_prefix(&format!("lines[{i}]."))?;
                    // A line on both sides (or none) is told beside its debit.
                    let field = if field == "amount" { "debit" } else { field };
                    Some((field.to_owned(), message.clone()))
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
    Ok(render(&EntryFormPage {
        heading: s.heading,
        action: s.action,
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
        notice: errors.any().then(|| t.get("form.has_errors").to_owned()),
        errors,
        cancel_href: s.cancel,
        l: page.layout.clone(),
    }))
}

pub async fn new_entry(Ctx { app, coop, page }: Ctx) -> PageResult {
    let t = page.layout.t;
    let (_, journals) = books::chart(&app, &coop).await?;
    let misc = journals
        .iter()
        .find(|j| j.role.as_deref() == Some(JournalRole::Misc.code()))
        .map(|j| j.code.clone())
        .unwrap_or_default();
    let input = ManualEntryInput {
        journal: misc,
        date: app.clock.today().to_string(),
        ..ManualEntryInput::default()
    };
    let screen = Screen::new(&coop, t);
    entry_form_page((&app, &page, &coop), screen, &input, 6, Errors::default()).await
}

pub async fn create_entry(
    Ctx { app, coop, page }: Ctx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let (input, action) = read_entry_form(&pairs);
    let cx = (&app, &page, &coop);
    let screen = || Screen::new(&coop, page.layout.t);
    if action == "more" {
        return entry_form_page(cx, screen(), &input, 3, Errors::default()).await;
    }
    let outcome = books::create_manual(&app, &coop, &input).await;
    let to = |id| format!("{}?done=draft_saved", paths::books_entry(&coop.slug, id));
    forms::submit(&page, outcome, to, async |errors| {
        entry_form_page(cx, screen(), &input, 0, errors).await
    })
    .await
}

/// A draft manual entry, or `None` when it may not be edited (validated, or automatic).
async fn editable_input(
    app: &App,
    coop: &CoopActor,
    id: EntryId,
) -> Result<Option<ManualEntryInput>, AppError> {
    let v = views::entry(app, coop, id.get()).await?;
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

pub async fn edit_entry(Ctx { app, coop, page }: Ctx, Id(id): Id<EntryId>) -> PageResult {
    let Some(input) = editable_input(&app, &coop, id).await? else {
        return Ok(Redirect::to(&paths::books_entry(&coop.slug, id)).into_response());
    };
    let blank = 6usize.saturating_sub(input.lines.len()).max(2);
    let screen = Screen::edit(&coop, page.layout.t, id);
    entry_form_page(
        (&app, &page, &coop),
        screen,
        &input,
        blank,
        Errors::default(),
    )
    .await
}

pub async fn update_entry(
    Ctx { app, coop, page }: Ctx,
    Id(id): Id<EntryId>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let (input, action) = read_entry_form(&pairs);
    let cx = (&app, &page, &coop);
    let screen = || Screen::edit(&coop, page.layout.t, id);
    if action == "more" {
        return entry_form_page(cx, screen(), &input, 3, Errors::default()).await;
    }
    let outcome = books::update_manual(&app, &coop, id.get(), &input).await;
    let to = |()| format!("{}?done=draft_saved", paths::books_entry(&coop.slug, id));
    forms::submit(&page, outcome, to, async |errors| {
        if errors.has("state") {
            // No longer a draft: the entry's page says why.
            return entry_page(&app, &page, &coop, id, errors, None).await;
        }
        entry_form_page(cx, screen(), &input, 0, errors).await
    })
    .await
}
