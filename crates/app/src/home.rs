//! What waits for each person, on the home page of their role (issue 19).
//!
//! Every figure is the total of a list the person can open, computed by that list's own query
//! with the same filters ([`SalesQuery`], the expense reports' filter, the people's filter), so
//! a home and the list behind it never disagree. A block appears only when the person holds the
//! permission its list asks for.

use crate::people::{Deadline, deadlines_of};
use crate::{App, AppError, CoopActor};
use essaim_domain::access::{Permission, RoleKind};
use essaim_domain::home::{SetupFacts, SetupStep, checklist, same_span_last_year};
use essaim_domain::ids::ActivityId;
use essaim_domain::selling::payment::AgeBucket;
use essaim_domain::spending::report::ReportStatus;
use essaim_storage::Tx;
use essaim_storage::person::PersonFilter;
use essaim_storage::sale::{self as sale_store, DocFilter, DocRecord, ListTotals};
use essaim_storage::spending::{self as spending_store, ReportFilter};
use time::Date;

/// The filters of a list of sale documents a home figure links to.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SalesQuery {
    /// The list of quotes rather than the list of invoices.
    pub quotes: bool,
    /// A status of the list (`validated`, `unpaid`, `overdue`, `sent`, `to_validate`…).
    pub status: &'static str,
    pub activity: Option<ActivityId>,
    pub from: Option<Date>,
    pub to: Option<Date>,
    /// Oldest first (the validation queue).
    pub oldest_first: bool,
}

impl SalesQuery {
    fn filter(&self, actor: &CoopActor, today: Date) -> Result<DocFilter, AppError> {
        Ok(DocFilter {
            activities: crate::selling::readable_activities(actor)?,
            activity: self.activity,
            status: Some(self.status.to_owned()),
            from: self.from,
            to: self.to,
            today: Some(today),
            oldest_first: self.oldest_first,
            ..DocFilter::list_of(self.quotes)
        })
    }
}

/// A figure of a home: the totals of the list its query opens.
#[derive(Clone, Debug)]
pub struct Figure {
    pub query: SalesQuery,
    pub totals: ListTotals,
}

async fn figure(
    tx: &mut Tx,
    actor: &CoopActor,
    today: Date,
    query: SalesQuery,
) -> Result<Figure, AppError> {
    let totals =
        sale_store::list_totals(tx, actor.cooperative, &query.filter(actor, today)?).await?;
    Ok(Figure { query, totals })
}

/// The first document of the list a query opens (in the list's order).
async fn first(
    tx: &mut Tx,
    actor: &CoopActor,
    today: Date,
    query: &SalesQuery,
) -> Result<Option<DocRecord>, AppError> {
    let filter = query.filter(actor, today)?;
    Ok(sale_store::list_docs(tx, actor.cooperative, &filter, 1, 0)
        .await?
        .into_iter()
        .next())
}

/// One of the entrepreneur's activities at a glance.
#[derive(Clone, Debug)]
pub struct ActivityGlance {
    pub id: ActivityId,
    pub name: String,
    /// Invoiced (HT, net of credit notes) since the start of the fiscal year…
    pub year: Figure,
    /// …and over the same span last year.
    pub last_year: Figure,
    /// What customers still owe…
    pub unpaid: Figure,
    /// …of which overdue, with the oldest overdue invoice.
    pub overdue: Figure,
    pub oldest_overdue: Option<DocRecord>,
    /// Quotes sent and not answered yet (nor expired).
    pub quotes_sent: Figure,
    /// Drafts waiting for the validation team, and drafts it sent back.
    pub asked: Figure,
    pub returned: Figure,
}

/// An expense report status and how many of the person's reports are in it.
pub type ReportCount = (ReportStatus, i64);

/// The entrepreneur's home: their activities, their expense reports to finish, their deadlines.
#[derive(Clone, Debug, Default)]
pub struct EntrepreneurHome {
    pub activities: Vec<ActivityGlance>,
    /// Supplier invoices received through the platform for their activities, to approve.
    pub received_open: i64,
    pub reports: Vec<ReportCount>,
    pub deadlines: Vec<Deadline>,
    /// Their next appointment planned (id, when, coach).
    pub next_appointment: Option<(i64, time::PrimitiveDateTime, String)>,
    /// The next workshop they hold a seat in (id, title, when).
    pub next_workshop: Option<(i64, String, time::PrimitiveDateTime)>,
}

/// The entrepreneur's home, for the activities whose sales they read as their own (none for
/// someone who reads every activity: they get the support team's home).
pub async fn entrepreneur(app: &App, actor: &CoopActor) -> Result<EntrepreneurHome, AppError> {
    let today = app.clock.today();
    let mut tx = app.store.read().await?;
    let mut out = EntrepreneurHome::default();
    if let Some(own) = actor.access.reach(Permission::SaleRead) {
        let periods = crate::books::state_in(&mut tx, actor.cooperative)
            .await?
            .periods;
        let (start, _) = periods.fiscal_year(today);
        let (last_start, last_to) = same_span_last_year(start, today);
        let names = essaim_storage::activity::names(&mut tx, actor.cooperative, None).await?;
        for (id, name, _) in names {
            let id = ActivityId::new(id);
            if !own.contains(&id) {
                continue;
            }
            let q = |status: &'static str| SalesQuery {
                status,
                activity: Some(id),
                ..SalesQuery::default()
            };
            let overdue = q("overdue");
            let oldest_overdue = first(
                &mut tx,
                actor,
                today,
                &SalesQuery {
                    oldest_first: true,
                    ..overdue.clone()
                },
            )
            .await?;
            out.activities.push(ActivityGlance {
                id,
                name,
                year: figure(
                    &mut tx,
                    actor,
                    today,
                    SalesQuery {
                        from: Some(start),
                        to: Some(today),
                        ..q("validated")
                    },
                )
                .await?,
                last_year: figure(
                    &mut tx,
                    actor,
                    today,
                    SalesQuery {
                        from: Some(last_start),
                        to: Some(last_to),
                        ..q("validated")
                    },
                )
                .await?,
                unpaid: figure(&mut tx, actor, today, q("unpaid")).await?,
                overdue: figure(&mut tx, actor, today, overdue).await?,
                oldest_overdue,
                quotes_sent: figure(
                    &mut tx,
                    actor,
                    today,
                    SalesQuery {
                        quotes: true,
                        ..q("sent")
                    },
                )
                .await?,
                asked: figure(&mut tx, actor, today, q("to_validate")).await?,
                returned: figure(&mut tx, actor, today, q("returned")).await?,
            });
        }
    }
    if actor.access.has_any(Permission::ExpenseRead) {
        out.received_open = received_open(&mut tx, actor).await?;
    }
    if actor.access.has_any(Permission::ExpenseManage) {
        for status in [ReportStatus::Draft, ReportStatus::Returned] {
            let n = spending_store::count_reports(
                &mut tx,
                actor.cooperative,
                &ReportFilter {
                    user: Some(actor.user().id),
                    status: Some(status.code().to_owned()),
                    period: None,
                },
            )
            .await?;
            if n > 0 {
                out.reports.push((status, n));
            }
        }
    }
    if let Some(me) =
        essaim_storage::person::find_by_user(&mut tx, actor.cooperative, actor.user().id).await?
    {
        out.deadlines = deadlines_of(&mut tx, actor.cooperative, today)
            .await?
            .into_iter()
            .filter(|d| d.person.person_id == me.id.get())
            .collect();
        let next = essaim_storage::coaching::list(
            &mut tx,
            actor.cooperative,
            &essaim_storage::coaching::AppointmentFilter {
                person: Some(me.id.get()),
                from: Some(today),
                status: Some("planned".to_owned()),
                ..Default::default()
            },
            false,
            1,
        )
        .await?;
        out.next_appointment = next.into_iter().next().map(|a| {
            (
                a.appointment_id,
                essaim_domain::coaching::wall_clock(a.starts_on, a.start_minute),
                a.coach_name,
            )
        });
        out.next_workshop =
            essaim_storage::workshop::of_person(&mut tx, actor.cooperative, me.id.get())
                .await?
                .into_iter()
                .filter(|(w, seat)| {
                    seat == "registered" && w.status == "planned" && w.starts_on >= today
                })
                .map(|(w, _)| {
                    (
                        w.workshop_id,
                        w.title.clone(),
                        crate::workshops::starts_at(&w),
                    )
                })
                .min_by_key(|(_, _, at)| *at);
    }
    tx.commit().await?;
    Ok(out)
}

/// How many received e-invoices the person would find under "Factures reçues", open ones
/// (the list's own query: their activities', or all for the support team).
async fn received_open(tx: &mut Tx, actor: &CoopActor) -> Result<i64, AppError> {
    let reach: Option<Vec<i64>> = actor
        .access
        .reach(Permission::ExpenseRead)
        .map(|ids| ids.into_iter().map(|a| a.get()).collect());
    let rows = essaim_storage::einvoicing::list_received(
        tx,
        actor.cooperative,
        reach.as_deref(),
        true,
        crate::einvoicing::receiving::LIST_LIMIT,
    )
    .await?;
    Ok(i64::try_from(rows.len()).unwrap_or(i64::MAX))
}

/// The month the accountant should close next, and what keeps it open.
#[derive(Clone, Debug)]
pub struct MonthToClose {
    /// Its first day.
    pub month: Date,
    /// Its last day.
    pub end: Date,
    /// The first day of its fiscal year.
    pub year_start: Date,
    /// Invoices, deposits and credit notes still in draft dated in it.
    pub drafts: Figure,
    /// Accounting entries in draft dated in it or before: closing refuses them.
    pub entry_drafts: i64,
    /// The balance of the suspense account (471000) from the start of the fiscal year to the
    /// month's end: what is still to be sorted out (debit positive).
    pub suspense_cents: i64,
    /// The VAT the month's entries make due (collected − deductible; negative: a credit).
    pub vat_due_cents: i64,
}

/// The support team's home: each block present when the person holds its permission.
#[derive(Clone, Debug, Default)]
pub struct SupportHome {
    /// Drafts asked for validation (oldest first) and the one waiting longest.
    pub queue: Option<(Figure, Option<DocRecord>)>,
    /// Expense reports sent and waiting for a decision.
    pub reports_submitted: Option<i64>,
    /// The cooperative's overdue invoices, and their amounts by age band (AgeBucket::OVERDUE).
    pub overdue: Option<(Figure, [i64; 4])>,
    /// The first deadlines of the dashboard, and how many there are in all.
    pub deadlines: Option<(Vec<Deadline>, usize)>,
    /// How many people have this person as referent.
    pub referent_of: Option<i64>,
    /// Bank lines waiting to be matched.
    pub bank_open: Option<i64>,
    /// Months over and not closed, oldest first.
    pub closable: Option<Vec<Date>>,
    /// The accountant's month.
    pub month: Option<MonthToClose>,
    /// Background jobs that failed.
    pub failed_jobs: Option<i64>,
    /// When the last FEC was produced, and by whom (`Some(None)`: never).
    pub last_fec: Option<Option<(time::OffsetDateTime, String)>>,
    /// E-invoices received and not dealt with yet (to assign, approve or answer).
    pub received_open: Option<i64>,
}

/// How many deadlines the support home lists before linking to the dashboard.
pub const DEADLINES_SHOWN: usize = 5;

/// The support team's home. Its three groups of blocks (sales and spending, people, books and
/// jobs) read in parallel, each in its own read transaction.
pub async fn support(app: &App, actor: &CoopActor) -> Result<SupportHome, AppError> {
    let today = app.clock.today();
    let (sales, people, books) = tokio::try_join!(
        support_sales(app, actor, today),
        support_people(app, actor, today),
        support_books(app, actor, today),
    )?;
    Ok(SupportHome {
        queue: sales.queue,
        reports_submitted: sales.reports_submitted,
        overdue: sales.overdue,
        received_open: sales.received_open,
        deadlines: people.deadlines,
        referent_of: people.referent_of,
        bank_open: books.bank_open,
        closable: books.closable,
        month: books.month,
        failed_jobs: books.failed_jobs,
        last_fec: books.last_fec,
    })
}

async fn support_sales(app: &App, actor: &CoopActor, today: Date) -> Result<SupportHome, AppError> {
    let coop = actor.cooperative;
    let mut tx = app.store.read().await?;
    let mut out = SupportHome::default();
    if actor.may(Permission::InvoiceValidate) {
        let q = SalesQuery {
            status: "to_validate",
            oldest_first: true,
            ..SalesQuery::default()
        };
        let oldest = first(&mut tx, actor, today, &q).await?;
        out.queue = Some((figure(&mut tx, actor, today, q).await?, oldest));
    }
    if actor.may(Permission::ExpenseValidate) {
        let filter = ReportFilter {
            user: None,
            status: Some(ReportStatus::Submitted.code().to_owned()),
            period: None,
        };
        out.reports_submitted = Some(spending_store::count_reports(&mut tx, coop, &filter).await?);
        out.received_open = Some(received_open(&mut tx, actor).await?);
    }
    if actor.may(Permission::SaleRead) {
        let query = SalesQuery {
            status: "overdue",
            ..SalesQuery::default()
        };
        let (totals, bands) = sale_store::totals_by_age(
            &mut tx,
            coop,
            &query.filter(actor, today)?,
            AgeBucket::band_starts(today),
        )
        .await?;
        out.overdue = Some((Figure { query, totals }, bands));
    }
    tx.commit().await?;
    Ok(out)
}

async fn support_people(
    app: &App,
    actor: &CoopActor,
    today: Date,
) -> Result<SupportHome, AppError> {
    let mut out = SupportHome::default();
    if !actor.may(Permission::PersonRead) {
        return Ok(out);
    }
    let coop = actor.cooperative;
    let mut tx = app.store.read().await?;
    let all = deadlines_of(&mut tx, coop, today).await?;
    let n = all.len();
    out.deadlines = Some((all.into_iter().take(DEADLINES_SHOWN).collect(), n));
    let filter = PersonFilter {
        referent: Some(actor.user().id),
        ..PersonFilter::default()
    };
    let (_, count) = essaim_storage::person::list(&mut tx, coop, &filter, 0, 0).await?;
    out.referent_of = Some(count);
    tx.commit().await?;
    Ok(out)
}

async fn support_books(app: &App, actor: &CoopActor, today: Date) -> Result<SupportHome, AppError> {
    let mut out = SupportHome::default();
    if !actor.may(Permission::BooksRead) && !actor.may(Permission::JobManage) {
        return Ok(out);
    }
    let coop = actor.cooperative;
    let mut tx = app.store.read().await?;
    if actor.may(Permission::BooksRead) {
        let (_, open) = essaim_storage::books::bank_lines(&mut tx, coop, "open", 0, 0).await?;
        out.bank_open = Some(open);
        let periods = crate::books::state_in(&mut tx, coop).await?.periods;
        let closable = periods.closable_months(today);
        if let Some(month) = closable.first().copied() {
            let end = essaim_domain::ledger::period::month_end(month);
            let drafts = figure(
                &mut tx,
                actor,
                today,
                SalesQuery {
                    status: "draft",
                    from: Some(month),
                    to: Some(end),
                    ..SalesQuery::default()
                },
            )
            .await?;
            let vat = crate::books::views::vat_in(&mut tx, coop, month, end).await?;
            let (year_start, _) = periods.fiscal_year(month);
            let after = end.next_day().unwrap_or(end);
            out.month = Some(MonthToClose {
                month,
                end,
                year_start,
                drafts,
                entry_drafts: essaim_storage::books::drafts_through(&mut tx, coop, end).await?,
                suspense_cents: essaim_storage::books::balance_before(
                    &mut tx,
                    coop,
                    essaim_domain::ledger::account::accounts::SUSPENSE,
                    after,
                    year_start,
                )
                .await?,
                vat_due_cents: vat.first().map_or(0, |v| v.due),
            });
        }
        if actor.may(Permission::BooksClose) {
            out.closable = Some(closable);
        }
        out.last_fec = Some(
            essaim_storage::audit::last_of(&mut tx, coop, crate::books::exports::FEC_EXPORTED)
                .await?
                .map(|r| (r.at, r.actor_name.unwrap_or_default())),
        );
    }
    if actor.may(Permission::JobManage) {
        let counts = essaim_storage::job::counts(&mut tx, Some(coop)).await?;
        out.failed_jobs = Some(
            counts
                .iter()
                .filter(|(s, _)| s == "failed")
                .map(|(_, n)| *n)
                .sum(),
        );
    }
    tx.commit().await?;
    Ok(out)
}

/// The administrator's set-up checklist, while something is left to do.
pub async fn setup(app: &App, actor: &CoopActor) -> Result<Vec<(SetupStep, bool)>, AppError> {
    actor.require(Permission::CooperativeSettings)?;
    let coop = actor.cooperative;
    let mut tx = app.store.read().await?;
    let record = essaim_storage::cooperative::find(&mut tx, coop)
        .await?
        .ok_or(AppError::NotFound("cooperative"))?;
    let settings = sale_store::settings(&mut tx, coop).await?;
    let roles = essaim_storage::role::count_by_kind(&mut tx, coop).await?;
    let people = essaim_storage::person::count_by_status(&mut tx, coop).await?;
    let facts = SetupFacts {
        identity_complete: identity_complete(&record.identity),
        has_logo: essaim_storage::cooperative::logo_hash(&mut tx, coop)
            .await?
            .is_some(),
        selling_saved: settings.is_some(),
        has_bank_account: settings
            .as_ref()
            .and_then(|s| s.iban.as_deref())
            .is_some_and(|i| !i.trim().is_empty()),
        einvoicing_connected: essaim_storage::einvoicing::connection(&mut tx, coop)
            .await?
            .is_some(),
        other_roles: roles
            .iter()
            .any(|(k, n)| *k != RoleKind::Administrator && *n > 0),
        has_people: people.iter().any(|(_, n)| *n > 0),
    };
    tx.commit().await?;
    Ok(checklist(facts))
}

fn identity_complete(id: &essaim_domain::cooperative::CooperativeIdentity) -> bool {
    !id.legal_name.trim().is_empty()
        && !id.rcs_city.trim().is_empty()
        && !id.address.line1.trim().is_empty()
        && !id.address.city.trim().is_empty()
}

/// What a member without a role of the support team sees of the cooperative: how many people
/// hold each role (no names), and the directory.
pub async fn cooperative_figures(
    app: &App,
    actor: &CoopActor,
) -> Result<Vec<(RoleKind, i64)>, AppError> {
    let mut tx = app.store.read().await?;
    let mut counts = essaim_storage::role::count_by_kind(&mut tx, actor.cooperative).await?;
    tx.commit().await?;
    counts.retain(|(k, _)| matches!(k, RoleKind::Entrepreneur | RoleKind::Member));
    Ok(counts)
}
