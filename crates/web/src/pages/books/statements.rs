//! The books: bank statements and their matching queue.

use super::*;

pub struct ProposalView {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

pub struct QueueLineView {
    pub id: i64,
    pub date: String,
    pub amount: String,
    pub label: String,
    pub counterparty: String,
    pub reference: String,
    pub proposals: Vec<ProposalView>,
    pub none_selected: bool,
    pub error: String,
    pub book_action: String,
    pub book: bank::BookInput,
    pub book_errors: Errors,
    pub book_open: bool,
}

#[derive(Template)]
#[template(path = "books/bank.html")]
pub struct BankPage {
    pub l: Layout,
    pub may_manage: bool,
    pub import_action: String,
    pub file_error: String,
    pub lines: Vec<QueueLineView>,
    pub count: i64,
    pub any_proposal: bool,
    pub confirm_action: String,
    pub confirm_errors: Vec<String>,
    pub accounts: Vec<(String, String)>,
    pub prev: Option<String>,
    pub next: Option<String>,
    pub mapping_action: String,
    pub mapping: bank::CsvMappingInput,
    pub mapping_errors: Errors,
    pub mapping_open: bool,
    pub separators: Vec<Choice>,
    pub encodings: Vec<Choice>,
    pub date_formats: Vec<Choice>,
    pub home_href: String,
    pub message: Option<String>,
}

/// What the bank page shows besides the queue: a message, or a refusal with what was typed.
#[derive(Default)]
struct BankExtras {
    message: Option<String>,
    file_error: String,
    confirm_errors: Vec<String>,
    line_errors: HashMap<i64, String>,
    chosen: Option<HashMap<i64, String>>,
    book: Option<(i64, bank::BookInput, Errors)>,
    mapping: Option<(bank::CsvMappingInput, Errors)>,
    page: i64,
}

fn mapping_form(r: Option<essaim_app::records::CsvMappingRecord>) -> bank::CsvMappingInput {
    match r {
        Some(r) => bank::CsvMappingInput {
            separator: r.separator,
            encoding: r.encoding,
            skip_rows: r.skip_rows.to_string(),
            date_column: r.date_column,
            date_format: r.date_format,
            amount_column: r.amount_column.unwrap_or_default(),
            debit_column: r.debit_column.unwrap_or_default(),
            credit_column: r.credit_column.unwrap_or_default(),
            label_column: r.label_column,
            reference_column: r.reference_column.unwrap_or_default(),
            decimal_comma: r.decimal_comma,
        },
        // What most French banks write.
        None => bank::CsvMappingInput {
            separator: ";".into(),
            encoding: "windows-1252".into(),
            skip_rows: "0".into(),
            date_format: "DD/MM/YYYY".into(),
            decimal_comma: true,
            ..bank::CsvMappingInput::default()
        },
    }
}

fn choices(options: &[(&str, String)], selected: &str) -> Vec<Choice> {
    options
        .iter()
        .map(|(v, label)| Choice::new(*v, label.clone(), *v == selected))
        .collect()
}

async fn bank_page(app: &App, page: &Page, coop: &CoopActor, x: BankExtras) -> PageResult {
    let t = page.layout.t;
    let slug = &coop.slug;
    let n = x.page.max(0);
    let (queue, count) = bank::queue(app, coop, PAGE_SIZE, n * PAGE_SIZE).await?;
    let (accounts, _) = books::chart(app, coop).await?;
    let base = paths::books_bank(slug);
    // A refusal about a line no longer in the queue (settled meanwhile) is told above it.
    let mut confirm_errors = x.confirm_errors;
    for (line, message) in &x.line_errors {
        if !queue.iter().any(|q| q.line.bank_line_id == *line) {
            confirm_errors.insert(0, message.clone());
        }
    }
    let lines: Vec<QueueLineView> = queue
        .iter()
        .map(|q| {
            let id = q.line.bank_line_id;
            let chosen = x
                .chosen
                .as_ref()
                .map(|c| c.get(&id).cloned().unwrap_or_default());
            let proposals: Vec<ProposalView> = q
                .proposals
                .iter()
                .enumerate()
                .map(|(i, p)| ProposalView {
                    value: p.sale_doc_id.to_string(),
                    label: t.fmt(
                        "books.bank.proposal",
                        &[
                            &p.number,
                            &p.customer_name,
                            &money(p.outstanding_cents),
                            &p.score.to_string(),
                        ],
                    ),
                    selected: match &chosen {
                        Some(c) => *c == p.sale_doc_id.to_string(),
                        None => i == 0,
                    },
                })
                .collect();
            let none_selected = !proposals.iter().any(|p| p.selected);
            let (book, book_errors, book_open) = match &x.book {
                Some((line, f, e)) if *line == id => (f.clone(), e.clone(), true),
                _ => (bank::BookInput::default(), Errors::default(), false),
            };
            QueueLineView {
                id,
                date: fr_date(q.line.booked_on),
                amount: money(q.line.amount_cents),
                label: q.line.label.clone(),
                counterparty: q.line.counterparty.clone().unwrap_or_default(),
                reference: q.line.reference.clone().unwrap_or_default(),
                proposals,
                none_selected,
                error: x.line_errors.get(&id).cloned().unwrap_or_default(),
                book_action: paths::books_bank_line_book(slug, id),
                book,
                book_errors,
                book_open,
            }
        })
        .collect();
    let (mapping, mapping_errors, mapping_open) = match x.mapping {
        Some((f, e)) => (f, e, true),
        None => (
            mapping_form(bank::csv_mapping(app, coop).await?),
            Errors::default(),
            false,
        ),
    };
    let separators = choices(
        &[
            (";", t.get("books.csv.sep_semicolon").to_owned()),
            (",", t.get("books.csv.sep_comma").to_owned()),
            ("tab", t.get("books.csv.sep_tab").to_owned()),
            ("|", t.get("books.csv.sep_pipe").to_owned()),
        ],
        &mapping.separator,
    );
    let encodings = choices(
        &[
            ("utf-8", "UTF-8".to_owned()),
            ("windows-1252", "Windows-1252 (ANSI)".to_owned()),
            ("iso-8859-15", "ISO-8859-15".to_owned()),
        ],
        &mapping.encoding,
    );
    let date_formats = choices(
        &[
            ("DD/MM/YYYY", t.get("books.csv.date_dmy_slash").to_owned()),
            ("YYYY-MM-DD", t.get("books.csv.date_iso").to_owned()),
            ("DD-MM-YYYY", t.get("books.csv.date_dmy_dash").to_owned()),
            ("DD.MM.YYYY", t.get("books.csv.date_dmy_dot").to_owned()),
        ],
        &mapping.date_format,
    );
    Ok(render(&BankPage {
        may_manage: coop.may(Permission::BooksManage),
        import_action: format!("{base}/import"),
        file_error: x.file_error,
        any_proposal: lines.iter().any(|l| !l.proposals.is_empty()),
        lines,
        count,
        confirm_action: format!("{base}/confirm"),
        confirm_errors,
        accounts: accounts
            .iter()
            .filter(|a| !a.archived)
            .map(|a| (a.number.clone(), a.label.clone()))
            .collect(),
        prev: (n > 0).then(|| format!("{base}?page={}", n - 1)),
        next: ((n + 1) * PAGE_SIZE < count).then(|| format!("{base}?page={}", n + 1)),
        mapping_action: format!("{base}/mapping"),
        mapping,
        mapping_errors,
        mapping_open,
        separators,
        encodings,
        date_formats,
        home_href: paths::books(slug),
        message: x.message,
        l: page.layout.clone(),
    }))
}

pub async fn bank_home(Ctx { app, coop, page }: Ctx, Query(q): Query<DoneQuery>) -> PageResult {
    let extras = BankExtras {
        message: done_message(page.layout.t, &q),
        page: q.page.unwrap_or(0),
        ..BankExtras::default()
    };
    bank_page(&app, &page, &coop, extras).await
}

/// The file of the upload form (its name and bytes); `None` when the upload could not be read.
async fn read_statement(mut mp: Multipart) -> Option<(String, Vec<u8>)> {
    let mut out = (String::new(), Vec::new());
    loop {
        match mp.next_field().await {
            Ok(Some(field)) => {
                if field.name() == Some("file") {
                    out.0 = field.file_name().unwrap_or("").to_owned();
                    out.1 = field.bytes().await.ok()?.to_vec();
                }
            }
            Ok(None) => return Some(out),
            Err(_) => return None,
        }
    }
}

pub async fn bank_import(Ctx { app, coop, page }: Ctx, mp: Multipart) -> PageResult {
    let t = page.layout.t;
    let result = match read_statement(mp).await {
        Some((name, bytes)) => bank::import(&app, &coop, &name, &bytes).await,
        None => Err(AppError::field("file", "file_too_large")),
    };
    let file_error = match result {
        Ok(s) => {
            return Ok(Redirect::to(&format!(
                "{}?done=imported&n={}&d={}",
                paths::books_bank(&coop.slug),
                s.new_lines,
                s.duplicates
            ))
            .into_response());
        }
        Err(AppError::BadFile {
            code,
            line: Some(line),
        }) => t.fmt("books.bank.file_line", &[&line.to_string(), &t.error(code)]),
        Err(AppError::BadFile { code, line: None }) => t.error(code),
        Err(AppError::Invalid(e)) => e.0.first().map(|f| t.error(f.code)).unwrap_or_default(),
        Err(e) => return Err(e.into()),
    };
    let extras = BankExtras {
        file_error,
        ..BankExtras::default()
    };
    bank_page(&app, &page, &coop, extras)
        .await
        .map(unprocessable)
}

pub async fn bank_confirm(
    Ctx { app, coop, page }: Ctx,
    Form(form): Form<Vec<(String, String)>>,
) -> PageResult {
    let t = page.layout.t;
    // `m{line}` = the chosen invoice, or empty for "not now".
    let mut chosen = HashMap::new();
    let mut pairs = Vec::new();
    for (k, v) in &form {
        let Some(line) = k.strip_prefix('m').and_then(|l| l.parse::<i64>().ok()) else {
            continue;
        };
        chosen.insert(line, v.clone());
        if let Ok(doc) = v.trim().parse::<i64>() {
            pairs.push((line, doc));
        }
    }
    // Nothing chosen is told before anything else (no permission is involved in that).
    let result = if pairs.is_empty() {
        Err(AppError::field("matches", "nothing_selected"))
    } else {
        bank::confirm(&app, &coop, &pairs).await
    };
    match result {
        Ok(n) => Ok(Redirect::to(&format!(
            "{}?done=confirmed&n={n}",
            paths::books_bank(&coop.slug)
        ))
        .into_response()),
        Err(AppError::Invalid(e)) => {
            let mut extras = BankExtras {
                chosen: Some(chosen),
                ..BankExtras::default()
            };
            for err in &e.0 {
                match err.row.and_then(|r| pairs.get(r)) {
                    Some((line, _)) => {
                        extras.line_errors.insert(*line, t.error(err.code));
                    }
                    None => extras.confirm_errors.push(t.error(err.code)),
                }
            }
            if !extras.line_errors.is_empty() {
                extras
                    .confirm_errors
                    .push(t.get("books.bank.confirm_refused").to_owned());
            }
            bank_page(&app, &page, &coop, extras)
                .await
                .map(unprocessable)
        }
        Err(e) => Err(e.into()),
    }
}

/// Back to the bank page once done, saying what was.
fn bank_done(coop: &CoopActor, done: &str) -> String {
    format!("{}?done={done}", paths::books_bank(&coop.slug))
}

pub async fn bank_book(
    Ctx { app, coop, page }: Ctx,
    Id(id): Id<i64>,
    Form(f): Form<bank::BookInput>,
) -> PageResult {
    let outcome = bank::book(&app, &coop, id, &f).await;
    forms::submit(
        &page,
        outcome,
        |_| bank_done(&coop, "booked"),
        async |errors| {
            let book = Some((id, f, errors));
            bank_page(
                &app,
                &page,
                &coop,
                BankExtras {
                    book,
                    ..BankExtras::default()
                },
            )
            .await
        },
    )
    .await
}

pub async fn bank_mapping(
    Ctx { app, coop, page }: Ctx,
    Form(f): Form<bank::CsvMappingInput>,
) -> PageResult {
    let outcome = bank::save_csv_mapping(&app, &coop, &f).await;
    let to = |()| bank_done(&coop, "mapping_saved");
    forms::submit(&page, outcome, to, async |errors| {
        let mapping = Some((f, errors));
        bank_page(
            &app,
            &page,
            &coop,
            BankExtras {
                mapping,
                ..BankExtras::default()
            },
        )
        .await
    })
    .await
}
