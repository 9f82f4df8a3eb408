//! The blocks of a home page (issue 19): each line says what waits, in plain words, and links to
//! the list behind it with the same filters as the figure it shows.

use crate::i18n::Tr;
use crate::paths;
use crate::view::{date, money, month};
use essaim_app::home::{ActivityGlance, EntrepreneurHome, Figure, SalesQuery, SupportHome};
use essaim_domain::home::SetupStep;
use essaim_domain::ids::UserId;
use essaim_domain::selling::payment::AgeBucket;

/// One line of a block: a sentence, and the list it opens.
pub struct Line {
    pub text: String,
    pub href: String,
    /// Something needs the person's attention.
    pub warn: bool,
}

pub struct Block {
    pub id: String,
    pub title: String,
    pub lines: Vec<Line>,
    /// Said when there is no line.
    pub empty: String,
}

impl Block {
    fn new(id: &str, title: String, empty: String) -> Block {
        Block {
            id: id.to_owned(),
            title,
            lines: Vec::new(),
            empty,
        }
    }
    fn add(&mut self, text: String, href: String, warn: bool) {
        self.lines.push(Line { text, href, warn });
    }
}

/// The address of the list a figure's query opens.
pub fn list_href(slug: &str, q: &SalesQuery) -> String {
    let base = if q.quotes {
        paths::quotes(slug)
    } else {
        paths::invoices(slug)
    };
    let mut pairs = vec![("status", q.status.to_owned())];
    if let Some(a) = q.activity {
        pairs.push(("activity", a.get().to_string()));
    }
    if let Some(f) = q.from {
        pairs.push(("from", f.to_string()));
    }
    if let Some(t) = q.to {
        pairs.push(("to", t.to_string()));
    }
    if q.oldest_first {
        pairs.push(("sort", "oldest".to_owned()));
    }
    format!(
        "{base}?{}",
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    )
}

fn href(slug: &str, f: &Figure) -> String {
    list_href(slug, &f.query)
}

/// One block per activity of the entrepreneur.
pub fn activities(t: Tr, slug: &str, h: &EntrepreneurHome) -> Vec<Block> {
    h.activities.iter().map(|a| activity(t, slug, a)).collect()
}

fn activity(t: Tr, slug: &str, a: &ActivityGlance) -> Block {
    let mut b = Block::new(
        &format!("activity-{}", a.id.get()),
        a.name.clone(),
        String::new(),
    );
    let since = a.year.query.from.map(date).unwrap_or_default();
    let last_year = a
        .last_year
        .query
        .from
        .map(|d| d.year().to_string())
        .unwrap_or_default();
    b.add(
        t.fmt(
            "home.sales.invoiced",
            &[&since, &money(a.year.totals.tax_basis_cents)],
        ),
        href(slug, &a.year),
        false,
    );
    b.add(
        t.fmt(
            "home.sales.invoiced_last_year",
            &[&last_year, &money(a.last_year.totals.tax_basis_cents)],
        ),
        href(slug, &a.last_year),
        false,
    );
    b.add(
        t.fmt(
            "home.sales.unpaid",
            &[
                &money(a.unpaid.totals.outstanding_cents),
                &a.unpaid.totals.count.to_string(),
            ],
        ),
        href(slug, &a.unpaid),
        false,
    );
    if a.overdue.totals.count > 0 {
        b.add(
            t.fmt(
                "home.sales.overdue",
                &[
                    &money(a.overdue.totals.outstanding_cents),
                    &a.overdue.totals.count.to_string(),
                ],
            ),
            href(slug, &a.overdue),
            true,
        );
    }
    if let Some(d) = &a.oldest_overdue {
        b.add(
            t.fmt(
                "home.sales.oldest_overdue",
                &[
                    d.number.as_deref().unwrap_or_default(),
                    &d.customer_name,
                    &d.due_date.map(date).unwrap_or_default(),
                ],
            ),
            paths::sale(slug, d.sale_doc_id),
            true,
        );
    }
    if a.quotes_sent.totals.count > 0 {
        b.add(
            t.fmt(
                "home.sales.quotes_sent",
                &[
                    &a.quotes_sent.totals.count.to_string(),
                    &money(a.quotes_sent.totals.tax_basis_cents),
                ],
            ),
            href(slug, &a.quotes_sent),
            false,
        );
    }
    if a.returned.totals.count > 0 {
        b.add(
            t.fmt(
                "home.sales.returned",
                &[&a.returned.totals.count.to_string()],
            ),
            href(slug, &a.returned),
            true,
        );
    }
    if a.asked.totals.count > 0 {
        b.add(
            t.fmt("home.sales.asked", &[&a.asked.totals.count.to_string()]),
            href(slug, &a.asked),
            false,
        );
    }
    b
}

/// The entrepreneur's expense reports to finish and their own deadlines.
pub fn own(t: Tr, slug: &str, h: &EntrepreneurHome, my_file: Option<&str>) -> Option<Block> {
    if h.reports.is_empty()
        && h.deadlines.is_empty()
        && h.received_open == 0
        && h.next_appointment.is_none()
        && h.next_workshop.is_none()
    {
        return None;
    }
    let mut b = Block::new("todo", t.get("home.todo").to_owned(), String::new());
    let when = |at: time::PrimitiveDateTime| {
        format!("{} {:02}:{:02}", date(at.date()), at.hour(), at.minute())
    };
    if let Some((id, at, coach)) = &h.next_appointment {
        b.add(
            t.fmt("home.next_appointment", &[&when(*at), coach]),
            paths::appointment(slug, id),
            false,
        );
    }
    if let Some((id, title, at)) = &h.next_workshop {
        b.add(
            t.fmt("home.next_workshop", &[title, &when(*at)]),
            paths::workshop(slug, id),
            false,
        );
    }
    if h.received_open > 0 {
        b.add(
            t.fmt("home.received_own", &[&h.received_open.to_string()]),
            paths::received_invoices(slug),
            true,
        );
    }
    for (status, n) in &h.reports {
        b.add(
            t.fmt(
                &format!("home.expenses.{}", status.code()),
                &[&n.to_string()],
            ),
            format!("{}?status={}", paths::expenses(slug), status.code()),
            true,
        );
    }
    for d in &h.deadlines {
        b.add(
            format!(
                "{} : {} ({})",
                t.get(&format!("deadline.{}", d.what.code())),
                date(d.on),
                t.get(&format!("band.{}", d.band.code())).to_lowercase()
            ),
            my_file.unwrap_or_default().to_owned(),
            true,
        );
    }
    Some(b)
}

/// The support team's blocks, each present when the person may open its list.
pub fn support(t: Tr, slug: &str, me: UserId, h: &SupportHome) -> Vec<Block> {
    let mut out = Vec::new();
    let mut waiting = Block::new(
        "waiting",
        t.get("home.waiting").to_owned(),
        t.get("home.waiting_none").to_owned(),
    );
    if let Some((queue, oldest)) = &h.queue
        && queue.totals.count > 0
    {
        let since = oldest
            .as_ref()
            .and_then(|d| d.review_at)
            .map(|at| date(at.date()))
            .unwrap_or_default();
        waiting.add(
            t.fmt("home.queue", &[&queue.totals.count.to_string(), &since]),
            href(slug, queue),
            true,
        );
    }
    if let Some(n) = h.reports_submitted.filter(|n| *n > 0) {
        waiting.add(
            t.fmt("home.reports_submitted", &[&n.to_string()]),
            format!("{}?status=submitted", paths::expenses(slug)),
            true,
        );
    }
    if let Some(n) = h.received_open.filter(|n| *n > 0) {
        waiting.add(
            t.fmt("home.received_open", &[&n.to_string()]),
            paths::received_invoices(slug),
            true,
        );
    }
    if let Some(n) = h.bank_open.filter(|n| *n > 0) {
        waiting.add(
            t.fmt("home.bank_open", &[&n.to_string()]),
            paths::books_bank(slug),
            false,
        );
    }
    if let Some(n) = h.failed_jobs.filter(|n| *n > 0) {
        waiting.add(
            t.fmt("home.failed_jobs", &[&n.to_string()]),
            format!("{}?status=failed", paths::jobs(slug)),
            true,
        );
    }
    if h.queue.is_some()
        || h.reports_submitted.is_some()
        || h.received_open.is_some()
        || h.bank_open.is_some()
        || h.failed_jobs.is_some()
    {
        out.push(waiting);
    }
    if let Some((overdue, bands)) = &h.overdue {
        let mut b = Block::new(
            "overdue",
            t.get("home.overdue").to_owned(),
            t.get("home.overdue_none").to_owned(),
        );
        if overdue.totals.count > 0 {
            b.add(
                t.fmt(
                    "home.overdue_total",
                    &[
                        &money(overdue.totals.outstanding_cents),
                        &overdue.totals.count.to_string(),
                    ],
                ),
                href(slug, overdue),
                true,
            );
            for (bucket, cents) in AgeBucket::OVERDUE.iter().zip(bands) {
                if *cents != 0 {
                    b.add(
                        format!(
                            "{} : {}",
                            t.get(&format!("age.{}", bucket.code())),
                            money(*cents)
                        ),
                        paths::receivables(slug),
                        false,
                    );
                }
            }
        }
        out.push(b);
    }
    if let Some((deadlines, total)) = &h.deadlines {
        let mut b = Block::new(
            "deadlines",
            t.get("home.deadlines").to_owned(),
            t.get("home.deadlines_none").to_owned(),
        );
        for d in deadlines {
            b.add(
                format!(
                    "{} {} — {} : {}",
                    d.person.first_name,
                    d.person.last_name,
                    t.get(&format!("deadline.{}", d.what.code())),
                    date(d.on)
                ),
                paths::person(slug, d.person.person_id),
                d.band == essaim_domain::path::DeadlineBand::Overdue,
            );
        }
        if *total > deadlines.len() {
            b.add(
                t.fmt("home.deadlines_all", &[&total.to_string()]),
                paths::deadlines(slug),
                false,
            );
        }
        if let Some(n) = h.referent_of {
            b.add(
                t.fmt("home.referent_of", &[&n.to_string()]),
                format!("{}?referent={}", paths::people(slug), me.get()),
                false,
            );
        }
        out.push(b);
    }
    if h.closable.is_some() || h.month.is_some() {
        let mut b = Block::new(
            "closing",
            t.get("home.closing").to_owned(),
            t.get("home.closing_none").to_owned(),
        );
        if let Some(m) = &h.month {
            let name = month(t, m.month.year(), m.month.month());
            if m.drafts.totals.count > 0 {
                b.add(
                    t.fmt(
                        "home.closing_drafts",
                        &[&m.drafts.totals.count.to_string(), &name],
                    ),
                    href(slug, &m.drafts),
                    true,
                );
            }
            if m.entry_drafts > 0 {
                b.add(
                    t.fmt(
                        "home.closing_entry_drafts",
                        &[&m.entry_drafts.to_string(), &date(m.end)],
                    ),
                    format!("{}?drafts=1&to={}", paths::books_entries(slug), m.end),
                    true,
                );
            }
            if m.suspense_cents != 0 {
                b.add(
                    t.fmt(
                        "home.closing_suspense",
                        &[&money(m.suspense_cents), &date(m.end)],
                    ),
                    format!(
                        "{}?from={}&to={}",
                        paths::books_ledger(
                            slug,
                            essaim_domain::ledger::account::accounts::SUSPENSE
                        ),
                        m.year_start,
                        m.end
                    ),
                    true,
                );
            }
            b.add(
                t.fmt("home.closing_vat", &[&name, &money(m.vat_due_cents)]),
                paths::books_vat(slug),
                false,
            );
        }
        if let Some(months) = h.closable.as_ref().filter(|m| !m.is_empty()) {
            let names: Vec<String> = months
                .iter()
                .map(|d| month(t, d.year(), d.month()))
                .collect();
            b.add(
                t.fmt("home.closable", &[&names.join(", ")]),
                paths::books(slug),
                false,
            );
        }
        if let Some(last) = &h.last_fec {
            b.add(
                match last {
                    Some((at, who)) => t.fmt("home.last_fec", &[&date(at.date()), who]),
                    None => t.get("home.last_fec_none").to_owned(),
                },
                paths::books(slug),
                false,
            );
        }
        out.push(b);
    }
    out
}

/// The administrator's checklist while a step is left.
pub fn setup(t: Tr, slug: &str, steps: &[(SetupStep, bool)]) -> Option<Block> {
    if steps.iter().all(|(_, done)| *done) {
        return None;
    }
    let mut b = Block::new("setup", t.get("home.setup").to_owned(), String::new());
    for (step, done) in steps {
        let href = match step {
            SetupStep::Identity | SetupStep::Logo => paths::coop_settings(slug),
            SetupStep::Selling | SetupStep::BankAccount => paths::selling_settings(slug),
            SetupStep::Einvoicing => paths::einvoicing_settings(slug),
            SetupStep::Roles => paths::members(slug),
            SetupStep::People => paths::new_person(slug),
        };
        let mark = if *done { "✓" } else { "○" };
        b.add(
            format!(
                "{mark} {}{}",
                t.get(&format!("home.setup.{}", step.code())),
                if *done {
                    format!(" — {}", t.get("home.setup.done"))
                } else {
                    String::new()
                }
            ),
            href,
            !done,
        );
    }
    Some(b)
}
