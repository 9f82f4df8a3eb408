//! The books: journals and entries.

use super::*;

pub const PAGE_SIZE: i64 = 50;

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct EntriesQuery {
    pub journal: String,
    pub from: String,
    pub to: String,
    pub drafts: String,
    pub done: String,
    pub page: Option<i64>,
}

impl EntriesQuery {
    fn drafts(&self) -> bool {
        !self.drafts.is_empty() && self.drafts != "0"
    }
    fn query_string(&self, page: Option<i64>) -> String {
        let mut pairs = vec![
            ("journal", self.journal.clone()),
            ("from", self.from.clone()),
            ("to", self.to.clone()),
            (
                "drafts",
                if self.drafts() {
                    "1".into()
                } else {
                    String::new()
                },
            ),
        ];
        if let Some(p) = page {
            pairs.push(("page", p.to_string()));
        }
        pairs.retain(|(_, v)| !v.is_empty());
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    }
    /// The filter: validated entries of the fiscal year by default, drafts of any date.
    async fn filter(
        &self,
        app: &App,
        coop: &CoopActor,
        e: &mut FieldErrors,
    ) -> Result<EntryFilter, AppError> {
        let drafts = self.drafts();
        let (from, to) = if drafts && self.from.trim().is_empty() && self.to.trim().is_empty() {
            (None, None)
        } else {
            let span = span_of(app, coop, &self.from, &self.to, e).await?;
            (Some(span.from), Some(span.to))
        };
        Ok(EntryFilter {
            journal: Some(self.journal.trim().to_uppercase()).filter(|j| !j.is_empty()),
            from,
            to,
            drafts,
        })
    }
}

pub struct EntryRow {
    pub href: String,
    pub date: String,
    pub journal: String,
    pub number: String,
    pub piece: String,
    pub label: String,
    pub amount: String,
}

#[derive(Template)]
#[template(path = "books/entries.html")]
pub struct EntriesPage {
    pub l: Layout,
    pub drafts: bool,
    pub validated_href: String,
    pub drafts_href: String,
    pub action: String,
    pub journals: Vec<Choice>,
    pub from: String,
    pub to: String,
    pub rows: Vec<EntryRow>,
    pub count: i64,
    pub prev: Option<String>,
    pub next: Option<String>,
    pub csv_href: String,
    pub xlsx_href: String,
    pub new_href: Option<String>,
    pub home_href: String,
    pub errors: Errors,
    pub message: Option<String>,
}

fn entry_row(t: Tr, slug: &str, r: &EntryRecord) -> EntryRow {
    EntryRow {
        href: paths::books_entry(slug, r.entry_id),
        date: fr_date(r.entry_date),
        journal: r.journal.clone(),
        number: r
            .number
            .clone()
            .unwrap_or_else(|| t.get("books.draft").to_owned()),
        piece: r.piece_ref.clone(),
        label: r.label.clone(),
        amount: money(r.debit_cents),
    }
}

pub(crate) fn journal_choices(journals: &[JournalRecord], selected: &str) -> Vec<Choice> {
    journals
        .iter()
        .map(|j| {
            Choice::new(
                j.code.clone(),
                format!("{} — {}", j.code, j.label),
                j.code == selected.trim().to_uppercase(),
            )
        })
        .collect()
}

pub async fn entries(Ctx { app, coop, page }: Ctx, Query(q): Query<EntriesQuery>) -> PageResult {
    let t = page.layout.t;
    let slug = &coop.slug;
    let n = q.page.unwrap_or(0).max(0);
    let mut e = FieldErrors::new();
    let filter = q.filter(&app, &coop, &mut e).await?;
    let (rows, count) = views::entries(&app, &coop, &filter, PAGE_SIZE, n * PAGE_SIZE).await?;
    let (_, journals) = books::chart(&app, &coop).await?;
    let base = paths::books_entries(slug);
    let (csv_href, xlsx_href) = export_links(&base, &q.query_string(None));
    Ok(render(&EntriesPage {
        drafts: filter.drafts,
        validated_href: base.clone(),
        drafts_href: format!("{base}?drafts=1"),
        action: base.clone(),
        journals: journal_choices(&journals, &q.journal),
        from: filter
            .from
            .map(|d| d.to_string())
            .unwrap_or_else(|| q.from.clone()),
        to: filter
            .to
            .map(|d| d.to_string())
            .unwrap_or_else(|| q.to.clone()),
        rows: rows.iter().map(|r| entry_row(t, slug, r)).collect(),
        count,
        prev: (n > 0).then(|| format!("{base}?{}", q.query_string(Some(n - 1)))),
        next: ((n + 1) * PAGE_SIZE < count)
            .then(|| format!("{base}?{}", q.query_string(Some(n + 1)))),
        csv_href,
        xlsx_href,
        new_href: coop
            .may(Permission::BooksManage)
            .then(|| paths::books_new_entry(slug)),
        home_href: paths::books(slug),
        errors: Errors::from(&e, t),
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

pub async fn entries_export(
    Ctx { app, coop, page }: Ctx,
    Path((_, format)): Path<(String, String)>,
    Query(q): Query<EntriesQuery>,
) -> PageResult {
    let t = page.layout.t;
    let mut e = FieldErrors::new();
    let filter = q.filter(&app, &coop, &mut e).await?;
    if !e.is_empty() {
        return Err(e.into());
    }
    let (rows, _) = views::entries(&app, &coop, &filter, 1_000_000, 0).await?;
    let table = Table {
        sheet: t.get("books.entries").into(),
        header: headers(
            t,
            &[
                "books.date",
                "books.journal",
                "books.number",
                "books.piece",
                "books.piece_date",
                "books.label",
                "books.amount",
                "books.state",
                "books.validated_at",
            ],
        ),
        rows: rows
            .iter()
            .map(|r| {
                vec![
                    r.entry_date.to_string(),
                    r.journal.clone(),
                    r.number.clone().unwrap_or_default(),
                    r.piece_ref.clone(),
                    r.piece_date.to_string(),
                    r.label.clone(),
                    dec(r.debit_cents),
                    t.get(&format!("books.state.{}", r.state)).to_owned(),
                    r.validated_at.map(datetime).unwrap_or_default(),
                ]
            })
            .collect(),
    };
    let name = if filter.drafts {
        "brouillons"
    } else {
        "ecritures"
    };
    table_file(&table, name, &format)
}

// ---------------------------------------------------------------------------------------------
// One entry

pub struct EntryLineView {
    pub account: String,
    pub account_label: String,
    pub account_href: String,
    pub aux: String,
    pub analytic: String,
    pub label: String,
    pub debit: String,
    pub credit: String,
}

#[derive(Template)]
#[template(path = "books/entry.html")]
pub struct EntryPage {
    pub l: Layout,
    pub title: String,
    pub draft: bool,
    pub facts: Vec<(String, String)>,
    pub lines: Vec<EntryLineView>,
    pub debit: String,
    pub credit: String,
    pub sale_doc: Option<(String, String)>,
    pub may_manage: bool,
    pub base: String,
    pub edit_href: String,
    pub entries_href: String,
    pub errors: Errors,
    pub message: Option<String>,
}

pub(crate) async fn entry_page(
    app: &App,
    page: &Page,
    coop: &CoopActor,
    id: EntryId,
    errors: Errors,
    message: Option<String>,
) -> PageResult {
    let t = page.layout.t;
    let slug = &coop.slug;
    let v = views::entry(app, coop, id.get()).await?;
    let e = &v.entry;
    let draft = e.state == "draft";
    let mut facts = vec![
        (t.get("books.journal").to_owned(), e.journal.clone()),
        (t.get("books.date").to_owned(), fr_date(e.entry_date)),
        (t.get("books.piece").to_owned(), e.piece_ref.clone()),
        (t.get("books.piece_date").to_owned(), fr_date(e.piece_date)),
        (t.get("books.label").to_owned(), e.label.clone()),
        (
            t.get("books.state").to_owned(),
            t.get(&format!("books.state.{}", e.state)).to_owned(),
        ),
        (
            t.get("books.source").to_owned(),
            t.get(&format!("books.source.{}", e.source_kind)).to_owned(),
        ),
    ];
    if let Some(at) = e.validated_at {
        facts.push((t.get("books.validated_at").to_owned(), datetime(at)));
    }
    let debit = v.lines.iter().map(|l| l.debit_cents).sum();
    let credit = v.lines.iter().map(|l| l.credit_cents).sum();
    Ok(render(&EntryPage {
        title: match &e.number {
            Some(n) => t.fmt("books.entry_title", &[n]),
            None => t.get("books.draft_title").to_owned(),
        },
        draft,
        facts,
        lines: v
            .lines
            .iter()
            .map(|l| EntryLineView {
                account_href: paths::books_ledger(slug, &l.account),
                account: l.account.clone(),
                account_label: l.account_label.clone().unwrap_or_default(),
                aux: match (&l.aux_code, &l.aux_label) {
                    (Some(c), Some(label)) if label != c => format!("{c} {label}"),
                    (Some(c), _) => c.clone(),
                    _ => String::new(),
                },
                analytic: l.analytic.clone().unwrap_or_default(),
                label: l.label.clone(),
                debit: amount(l.debit_cents),
                credit: amount(l.credit_cents),
            })
            .collect(),
        debit: money(debit),
        credit: money(credit),
        sale_doc: v
            .sale_doc
            .as_ref()
            .map(|(doc, number)| (paths::sale(slug, *doc), number.clone())),
        may_manage: draft && e.source_kind == "manual" && coop.may(Permission::BooksManage),
        base: paths::books_entry(slug, id),
        edit_href: paths::books_entry_edit(slug, id),
        entries_href: if draft {
            format!("{}?drafts=1", paths::books_entries(slug))
        } else {
            paths::books_entries(slug)
        },
        errors,
        message,
        l: page.layout.clone(),
    }))
}

pub async fn entry(
    Ctx { app, coop, page }: Ctx,
    Id(id): Id<EntryId>,
    Query(q): Query<DoneQuery>,
) -> PageResult {
    let message = done_message(page.layout.t, &q);
    entry_page(&app, &page, &coop, id, Errors::default(), message).await
}

pub async fn validate_entry(Ctx { app, coop, page }: Ctx, Id(id): Id<EntryId>) -> PageResult {
    let outcome = books::validate_manual(&app, &coop, id.get()).await;
    let to = |_| format!("{}?done=validated", paths::books_entry(&coop.slug, id));
    forms::submit(&page, outcome, to, async |errors| {
        entry_page(&app, &page, &coop, id, errors, None).await
    })
    .await
}

pub async fn delete_entry(Ctx { app, coop, page }: Ctx, Id(id): Id<EntryId>) -> PageResult {
    let outcome = books::delete_manual(&app, &coop, id.get()).await;
    let to = |()| format!("{}?drafts=1&done=deleted", paths::books_entries(&coop.slug));
    forms::submit(&page, outcome, to, async |errors| {
        entry_page(&app, &page, &coop, id, errors, None).await
    })
    .await
}
