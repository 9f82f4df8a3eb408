//! Expense reports (EXP-04, EXP-05): an entrepreneur fills in the month's report (expenses with
//! their receipt, trips priced by the kilometric scale), submits it; a holder of
//! `expense.validate` validates it (posted in the NDF journal, frozen) or returns it with a
//! comment. A report is read by its owner and by those who read the cooperative's spending.

use super::{account_of, categories_in, require_activity, usable};
use crate::documents::{read_checked, write_file};
use crate::secret::sha256_hex;
use crate::{App, AppError, CoopActor, audit, books};
use essaim_domain::access::Permission;
use essaim_domain::ids::UserId;
use essaim_domain::ledger::account::JournalRole;
use essaim_domain::ledger::spending::{Charge, ReportFacts, expense_report_entry, person_aux};
use essaim_domain::money::Money;
use essaim_domain::spending::category::MILEAGE_ACCOUNT;
use essaim_domain::spending::mileage::{self, MileageInput, VehicleKind};
use essaim_domain::spending::report::{
    ExpenseInput, ReportAction, ReportMonth, ReportStatus, ReportTotals, check_line_date,
    check_receipt, recovered_vat, vat_included,
};
use essaim_storage::Tx;
use essaim_storage::spending::{
    self as store, CategoryRecord, ExpenseLineRecord, NewExpenseLine, NewTrip, Receipt,
    ReportFilter, ReportRecord, TripRecord,
};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde_json::json;

/// An uploaded file: its name as sent and its bytes.
#[derive(Clone, Debug, Default)]
pub struct Upload {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// A report with everything its page shows.
#[derive(Clone, Debug)]
pub struct ReportView {
    pub report: ReportRecord,
    pub status: ReportStatus,
    pub month: ReportMonth,
    pub lines: Vec<ExpenseLineRecord>,
    pub trips: Vec<TripRecord>,
    pub categories: Vec<CategoryRecord>,
    /// The owner may change it now (draft or returned).
    pub editable: bool,
    /// The person may validate or return it now.
    pub decidable: bool,
    /// PAY-24, for the owner about to submit it or the team about to validate it: the
    /// activities whose forecast its refund takes below the cooperative's tolerance.
    pub alerts: Vec<RefundAlert>,
}

/// An activity whose year-end forecast a report's refund takes below the tolerance (PAY-24).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefundAlert {
    pub activity: essaim_domain::ids::ActivityId,
    pub name: String,
    /// The forecast with the refund counted.
    pub forecast_cents: i64,
}

/// What the report costs each activity, excluding the VAT the cooperative recovers: what the
/// forecast counts as committed once the report is submitted.
fn cost_per_activity(lines: &[ExpenseLineRecord], trips: &[TripRecord]) -> Vec<(i64, i64)> {
    let mut per: std::collections::BTreeMap<i64, i64> = std::collections::BTreeMap::new();
    for l in lines {
        let vat = recovered_vat(Money::eur(l.vat_cents), l.vat_recoverable).cents();
        *per.entry(l.activity_id).or_default() += l.amount_cents - vat;
    }
    for t in trips {
        *per.entry(t.activity_id).or_default() += t.amount_cents;
    }
    per.into_iter().collect()
}

/// PAY-24: each activity the report's refund takes below the tolerance. A submitted report is
/// already in the forecast (committed); a draft or returned one is counted in. An activity whose
/// account the person may not read is left out (its team sees it when validating).
async fn refund_alerts(
    app: &App,
    actor: &CoopActor,
    status: ReportStatus,
    lines: &[ExpenseLineRecord],
    trips: &[TripRecord],
) -> Result<Vec<RefundAlert>, AppError> {
    let pending = match status {
        ReportStatus::Submitted => false,
        s if s.editable() => true,
        _ => return Ok(Vec::new()),
    };
    let planner = crate::payroll::planner(app, actor).await?;
    let mut out = Vec::new();
    for (activity, cost) in cost_per_activity(lines, trips) {
        let id = essaim_domain::ids::ActivityId::new(activity);
        let account = match crate::payroll::account::activity_account(app, actor, id, None).await {
            Ok(a) => a,
            Err(AppError::Forbidden | AppError::NotFound(_)) => continue,
            Err(e) => return Err(e),
        };
        let Some(f) = account.forecast else { continue };
        let after = f.available().cents() - if pending { cost } else { 0 };
        if planner.alerts(after) {
            out.push(RefundAlert {
                activity: id,
                name: account.activity.details.name.clone(),
                forecast_cents: after,
            });
        }
    }
    Ok(out)
}

impl ReportView {
    pub fn refund(&self) -> Money {
        Money::eur(self.report.expenses_cents + self.report.mileage_cents)
    }
    pub fn missing_receipts(&self) -> usize {
        self.lines
            .iter()
            .filter(|l| l.receipt_sha256.is_none())
            .count()
    }
}

fn status_of(r: &ReportRecord) -> Result<ReportStatus, AppError> {
    ReportStatus::parse(&r.status)
        .ok_or_else(|| AppError::Internal(format!("report {}: status {}", r.report_id, r.status)))
}

fn month_of(r: &ReportRecord) -> Result<ReportMonth, AppError> {
    ReportMonth::parse(&r.month)
        .map_err(|_| AppError::Internal(format!("report {}: month {}", r.report_id, r.month)))
}

fn is_owner(actor: &CoopActor, r: &ReportRecord) -> bool {
    r.user_id == actor.user().id.get()
}

/// The report, if the person may read it (its owner, or a reader of the cooperative's spending).
async fn readable_in(tx: &mut Tx, actor: &CoopActor, id: i64) -> Result<ReportRecord, AppError> {
    let r = store::report(tx, actor.cooperative, id)
        .await?
        .ok_or(AppError::NotFound("expense report"))?;
    if is_owner(actor, &r) || actor.may(Permission::ExpenseRead) {
        Ok(r)
    } else {
        // Another person's report does not exist for an entrepreneur.
        Err(AppError::NotFound("expense report"))
    }
}

/// The report, if its owner is acting and may still change it.
async fn editable_in(tx: &mut Tx, actor: &CoopActor, id: i64) -> Result<ReportRecord, AppError> {
    let r = readable_in(tx, actor, id).await?;
    if !is_owner(actor, &r) || !actor.access.has_any(Permission::ExpenseManage) {
        return Err(AppError::Forbidden);
    }
    if !status_of(&r)?.editable() {
        return Err(AppError::field("report", "report_frozen"));
    }
    Ok(r)
}

/// The totals of stored lines (the domain's `ReportTotals`).
fn totals_of(lines: &[ExpenseLineRecord], trips: &[TripRecord]) -> ReportTotals {
    ReportTotals::sum(
        lines.iter().map(|l| {
            (
                Money::eur(l.amount_cents),
                Money::eur(l.vat_cents),
                l.vat_recoverable,
            )
        }),
        trips.iter().map(|t| Money::eur(t.amount_cents)),
    )
}

/// Recomputes the report's totals from its lines (one rule: the domain's `ReportTotals`).
pub(crate) async fn refresh_totals(tx: &mut Tx, id: i64) -> Result<(), AppError> {
    let lines = store::expense_lines(tx, id).await?;
    let trips = store::trips(tx, id).await?;
    let t = totals_of(&lines, &trips);
    let count = i64::try_from(lines.len() + trips.len()).unwrap_or(i64::MAX);
    store::set_report_totals(
        tx,
        id,
        t.expenses.cents(),
        t.mileage.cents(),
        t.recoverable_vat.cents(),
        count,
    )
    .await?;
    Ok(())
}

/// Opens the person's report of `month` (`2026-03`), creating it as a draft the first time.
pub async fn open_month(app: &App, actor: &CoopActor, month: &str) -> Result<i64, AppError> {
    if !actor.access.has_any(Permission::ExpenseManage) {
        return Err(AppError::Forbidden);
    }
    let month = ReportMonth::parse(month).map_err(|c| AppError::field("month", c))?;
    if month.first_day().is_some_and(|d| d > app.clock.today()) {
        return Err(AppError::field("month", "month_in_future"));
    }
    let mut tx = app.store.begin().await?;
    let id = store::report_of_month(
        &mut tx,
        actor.cooperative,
        actor.user().id,
        &month.to_string(),
        app.clock.now(),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn show(app: &App, actor: &CoopActor, id: i64) -> Result<ReportView, AppError> {
    let mut tx = app.store.read().await?;
    let report = readable_in(&mut tx, actor, id).await?;
    let lines = store::expense_lines(&mut tx, id).await?;
    let trips = store::trips(&mut tx, id).await?;
    let categories = categories_in(&mut tx, actor.cooperative).await?;
    tx.commit().await?;
    let status = status_of(&report)?;
    let editable = is_owner(actor, &report)
        && status.editable()
        && actor.access.has_any(Permission::ExpenseManage);
    let decidable = status == ReportStatus::Submitted
        && actor.may(Permission::ExpenseValidate)
        && !is_owner(actor, &report);
    let alerts = if editable || decidable {
        refund_alerts(app, actor, status, &lines, &trips).await?
    } else {
        Vec::new()
    };
    Ok(ReportView {
        editable,
        decidable,
        alerts,
        month: month_of(&report)?,
        status,
        report,
        lines,
        trips,
        categories,
    })
}

/// Reports a list shows: everyone's for a reader of the cooperative's spending, else one's own.
pub async fn list(
    app: &App,
    actor: &CoopActor,
    mut filter: ReportFilter,
    limit: i64,
    offset: i64,
) -> Result<Vec<ReportRecord>, AppError> {
    if !actor.may(Permission::ExpenseRead) {
        if !actor.access.has_any(Permission::ExpenseRead) {
            return Err(AppError::Forbidden);
        }
        filter.user = Some(actor.user().id);
    }
    let mut tx = app.store.read().await?;
    let rows = store::reports(&mut tx, actor.cooperative, &filter, limit, offset).await?;
    tx.commit().await?;
    Ok(rows)
}

/// Stores a receipt's bytes by their hash; returns what the line records.
async fn keep_receipt(app: &App, upload: &Upload) -> Result<(String, &'static str), AppError> {
    let content_type = check_receipt(&upload.bytes).map_err(|c| AppError::field("receipt", c))?;
    let sha = sha256_hex(&upload.bytes);
    write_file(app, &sha, &upload.bytes).await?;
    Ok((sha, content_type))
}

fn receipt_name(upload: &Upload) -> String {
    let name: String = upload
        .name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default()
        .chars()
        .filter(|c| !c.is_control())
        .take(120)
        .collect();
    if name.trim().is_empty() {
        "justificatif".to_owned()
    } else {
        name
    }
}

/// Adds an expense line to the person's report, with its receipt when one is sent.
pub async fn add_expense(
    app: &App,
    actor: &CoopActor,
    report: i64,
    input: &ExpenseInput,
    receipt: Option<Upload>,
) -> Result<i64, AppError> {
    let mut tx = app.store.begin().await?;
    let r = editable_in(&mut tx, actor, report).await?;
    let categories = categories_in(&mut tx, actor.cooperative).await?;
    // EXP-05: a VAT left empty is the category's usual rate, included in the amount.
    let mut input = input.clone();
    if input.vat.trim().is_empty()
        && let Some(c) = categories.iter().find(|c| c.code == input.category)
        && let Ok(amount) = essaim_domain::money::Money::parse_eur(&input.amount)
    {
        input.vat = vat_included(amount, super::rate_of(c)).typed_fr();
    }
    let line = input.parse(month_of(&r)?, app.clock.today())?;
    require_activity(actor, line.activity)?;
    usable(&categories, &line.category)?;
    let kept = match &receipt {
        Some(u) if !u.bytes.is_empty() => Some(keep_receipt(app, u).await?),
        _ => None,
    };
    let name = receipt.as_ref().map(receipt_name).unwrap_or_default();
    let size = receipt
        .as_ref()
        .map(|u| i64::try_from(u.bytes.len()).unwrap_or(i64::MAX))
        .unwrap_or(0);
    let stored = kept.as_ref().map(|(sha, ct)| Receipt {
        sha256: sha,
        content_type: ct,
        name: &name,
        size,
    });
    let id = store::insert_expense_line(
        &mut tx,
        report,
        &NewExpenseLine {
            activity: line.activity,
            spent_on: line.on,
            category: &line.category,
            amount_cents: line.amount.cents(),
            vat_cents: line.vat.cents(),
            vat_recoverable: line.vat_recoverable,
            description: &line.description,
        },
        stored.as_ref(),
        app.clock.now(),
    )
    .await?;
    refresh_totals(&mut tx, report).await?;
    audit::record_in(
        &mut tx,
        app,
        actor,
        "expense.line_added",
        ("expense_report", report.to_string()),
        json!({ "line": id, "amount_cents": line.amount.cents(), "receipt": kept.as_ref().map(|k| &k.0) }),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Attaches (or replaces) the receipt of a line while the report can be changed.
pub async fn attach_receipt(
    app: &App,
    actor: &CoopActor,
    report: i64,
    line: i64,
    upload: Upload,
) -> Result<(), AppError> {
    let mut tx = app.store.begin().await?;
    editable_in(&mut tx, actor, report).await?;
    let (sha, content_type) = keep_receipt(app, &upload).await?;
    let name = receipt_name(&upload);
    let found = store::set_receipt(
        &mut tx,
        report,
        line,
        &Receipt {
            sha256: &sha,
            content_type,
            name: &name,
            size: i64::try_from(upload.bytes.len()).unwrap_or(i64::MAX),
        },
    )
    .await?;
    if !found {
        return Err(AppError::NotFound("expense line"));
    }
    audit::record_in(
        &mut tx,
        app,
        actor,
        "expense.receipt_attached",
        ("expense_report", report.to_string()),
        json!({ "line": line, "sha256": sha }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A receipt and its bytes, for its report's readers; the bytes are checked against the hash.
pub async fn receipt(
    app: &App,
    actor: &CoopActor,
    report: i64,
    line: i64,
) -> Result<(String, String, Vec<u8>), AppError> {
    let mut tx = app.store.read().await?;
    readable_in(&mut tx, actor, report).await?;
    let lines = store::expense_lines(&mut tx, report).await?;
    tx.commit().await?;
    let l = lines
        .into_iter()
        .find(|l| l.line_id == line)
        .ok_or(AppError::NotFound("expense line"))?;
    let (Some(sha), Some(ct)) = (l.receipt_sha256, l.receipt_type) else {
        return Err(AppError::NotFound("receipt"));
    };
    let bytes = read_checked(app, &sha, &format!("the receipt of line {line}")).await?;
    Ok((l.receipt_name.unwrap_or_default(), ct, bytes))
}

/// The two kinds of line of a report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineKind {
    Expense,
    Trip,
}

/// Removes a line while the report can be changed.
pub async fn remove(
    app: &App,
    actor: &CoopActor,
    report: i64,
    kind: LineKind,
    line: i64,
) -> Result<(), AppError> {
    let mut tx = app.store.begin().await?;
    editable_in(&mut tx, actor, report).await?;
    let (removed, what, action) = match kind {
        LineKind::Expense => (
            store::delete_expense_line(&mut tx, report, line).await?,
            "expense line",
            "expense.line_removed",
        ),
        LineKind::Trip => (
            store::delete_trip(&mut tx, report, line).await?,
            "mileage line",
            "expense.trip_removed",
        ),
    };
    if !removed {
        return Err(AppError::NotFound(what));
    }
    refresh_totals(&mut tx, report).await?;
    audit::record_in(
        &mut tx,
        app,
        actor,
        action,
        ("expense_report", report.to_string()),
        json!({ "line": line }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Tenths of a kilometre, as stored.
fn tenths(km: Decimal) -> i64 {
    (km * Decimal::TEN).trunc().to_i64().unwrap_or(0)
}

/// Adds a trip, priced at the margin of the person's distance of the year with that vehicle
/// (EXP-02; see `essaim_domain::spending::mileage`).
pub async fn add_trip(
    app: &App,
    actor: &CoopActor,
    report: i64,
    input: &MileageInput,
) -> Result<i64, AppError> {
    let mut tx = app.store.begin().await?;
    let r = editable_in(&mut tx, actor, report).await?;
    let trip = input.parse()?;
    check_line_date(trip.on, month_of(&r)?, app.clock.today())
        .map_err(|c| AppError::field("date", c))?;
    require_activity(actor, trip.activity)?;
    let v = trip.vehicle;
    let key = (v.kind.code(), i64::from(v.fiscal_power), v.electric);
    let before = store::km_in_year(
        &mut tx,
        actor.cooperative,
        actor.user().id,
        trip.on.year(),
        key,
    )
    .await?;
    let priced = mileage::price_trip(
        &mileage::FRANCE,
        &v,
        trip.on,
        Decimal::new(before, 1),
        trip.km,
    )
    .ok_or_else(|| AppError::field("date", "mileage_no_scale"))?;
    let id = store::insert_trip(
        &mut tx,
        actor.cooperative,
        report,
        &NewTrip {
            user: actor.user().id,
            activity: trip.activity,
            driven_on: trip.on,
            from: &trip.from,
            to: &trip.to,
            purpose: &trip.purpose,
            km_tenths: tenths(trip.km),
            vehicle: key.0,
            fiscal_power: key.1,
            electric: v.electric,
            amount_cents: priced.amount.cents(),
            scale_year: i64::from(priced.scale_year),
            provisional: priced.provisional,
        },
        app.clock.now(),
    )
    .await?;
    refresh_totals(&mut tx, report).await?;
    audit::record_in(
        &mut tx,
        app,
        actor,
        "expense.trip_added",
        ("expense_report", report.to_string()),
        json!({ "line": id, "km": trip.km.to_string(), "amount_cents": priced.amount.cents(), "scale_year": priced.scale_year }),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// EXP-05: the owner sends the report to the support team. It needs at least one line, and a
/// receipt for every expense (EXP-04).
pub async fn submit(app: &App, actor: &CoopActor, id: i64) -> Result<(), AppError> {
    let mut tx = app.store.begin().await?;
    let r = editable_in(&mut tx, actor, id).await?;
    let status = status_of(&r)?;
    let next = status
        .after(ReportAction::Submit)
        .map_err(|c| AppError::field("report", c))?;
    let lines = store::expense_lines(&mut tx, id).await?;
    let trips = store::trips(&mut tx, id).await?;
    if lines.is_empty() && trips.is_empty() {
        return Err(AppError::field("report", "report_empty"));
    }
    if lines.iter().any(|l| l.receipt_sha256.is_none()) {
        return Err(AppError::field("report", "receipt_missing"));
    }
    let moved = store::set_report_status(
        &mut tx,
        actor.cooperative,
        id,
        status.code(),
        next.code(),
        r.comment.as_deref(),
        None,
        app.clock.now(),
    )
    .await?;
    if !moved {
        return Err(AppError::field("report", "report_state"));
    }
    audit::record_in(
        &mut tx,
        app,
        actor,
        "expense.submitted",
        ("expense_report", id.to_string()),
        json!({ "refund_cents": r.expenses_cents + r.mileage_cents }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// What the support team decides on a submitted report.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct DecisionInput {
    /// `validate` or `return`.
    pub decision: String,
    /// Required to return a report: what to correct.
    pub comment: String,
    /// PAY-24: why to refund a report that takes an activity's forecast below the tolerance.
    pub override_reason: String,
}

/// EXP-05: validates the report (posted in the NDF journal, frozen: GEN-03) or returns it with a
/// comment. Nobody decides on their own report.
pub async fn decide(
    app: &App,
    actor: &CoopActor,
    id: i64,
    input: &DecisionInput,
) -> Result<ReportStatus, AppError> {
    actor.require(Permission::ExpenseValidate)?;
    let action = match input.decision.as_str() {
        "validate" => ReportAction::Validate,
        "return" => ReportAction::Return,
        _ => return Err(AppError::field("decision", "required")),
    };
    let comment = essaim_domain::validation::optional_text(&input.comment, 1000)
        .map_err(|c| AppError::field("comment", c))?;
    if action == ReportAction::Return && comment.is_none() {
        return Err(AppError::field("comment", "required"));
    }
    let reason = essaim_domain::validation::optional_text(&input.override_reason, 1000)
        .map_err(|c| AppError::field("override_reason", c))?;
    // PAY-24: a refund that takes an activity's forecast below the tolerance is validated only
    // with a reason, kept in the audit log with each activity's forecast.
    let alerts = if action == ReportAction::Validate {
        let mut tx = app.store.read().await?;
        let r = readable_in(&mut tx, actor, id).await?;
        let lines = store::expense_lines(&mut tx, id).await?;
        let trips = store::trips(&mut tx, id).await?;
        tx.commit().await?;
        refund_alerts(app, actor, status_of(&r)?, &lines, &trips).await?
    } else {
        Vec::new()
    };
    if !alerts.is_empty() && reason.is_none() {
        return Err(AppError::field("override_reason", "pay24_refund_negative"));
    }
    let mut tx = app.store.begin().await?;
    let r = readable_in(&mut tx, actor, id).await?;
    if is_owner(actor, &r) {
        return Err(AppError::field("report", "report_own"));
    }
    let status = status_of(&r)?;
    let next = status
        .after(action)
        .map_err(|c| AppError::field("report", c))?;
    let now = app.clock.now();
    let moved = store::set_report_status(
        &mut tx,
        actor.cooperative,
        id,
        status.code(),
        next.code(),
        comment.as_deref(),
        Some(actor.user().id),
        now,
    )
    .await?;
    if !moved {
        return Err(AppError::field("report", "report_state"));
    }
    if next == ReportStatus::Validated {
        let entry =
            post_report_in(&mut tx, actor.cooperative, &r, Some(actor.user().id), now).await?;
        store::set_report_entry(&mut tx, id, entry).await?;
    }
    audit::record_in(
        &mut tx,
        app,
        actor,
        if next == ReportStatus::Validated {
            "expense.validated"
        } else {
            "expense.returned"
        },
        ("expense_report", id.to_string()),
        json!({ "comment": comment }),
    )
    .await?;
    if !alerts.is_empty() {
        audit::record_in(
            &mut tx,
            app,
            actor,
            "expense.pay24_override",
            ("expense_report", id.to_string()),
            json!({ "reason": reason, "refund_cents": r.expenses_cents + r.mileage_cents,
                    "activities": alerts.iter().map(|a| json!({ "activity": a.activity.get(), "name": a.name, "forecast_cents": a.forecast_cents })).collect::<Vec<_>>() }),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(next)
}

/// The reference of a report in the books and on the transfer: `NDF-2026-03-000012`.
pub fn reference(r: &ReportRecord) -> String {
    reference_of(&r.month, r.report_id)
}

pub fn reference_of(month: &str, report: i64) -> String {
    format!("NDF-{month}-{report:06}")
}

/// Posts a validated report (EXP-05): each line's cost on its category's account and activity,
/// the VAT recovered, the refund owed to the person on 425.
pub(crate) async fn post_report_in(
    tx: &mut Tx,
    coop: essaim_domain::ids::CooperativeId,
    r: &ReportRecord,
    by: Option<UserId>,
    now: time::OffsetDateTime,
) -> Result<i64, AppError> {
    let categories = categories_in(tx, coop).await?;
    let lines = store::expense_lines(tx, r.report_id).await?;
    let trips = store::trips(tx, r.report_id).await?;
    let mut charges = Vec::with_capacity(lines.len() + trips.len());
    for l in &lines {
        let vat = recovered_vat(Money::eur(l.vat_cents), l.vat_recoverable).cents();
        charges.push(Charge {
            account: account_of(&categories, &l.category)?,
            analytic: l.analytic_code.clone(),
            cost_cents: l.amount_cents - vat,
            vat_cents: vat,
        });
    }
    for t in &trips {
        charges.push(Charge {
            account: MILEAGE_ACCOUNT.to_owned(),
            analytic: t.analytic_code.clone(),
            cost_cents: t.amount_cents,
            vat_cents: 0,
        });
    }
    let month = month_of(r)?;
    let facts = ReportFacts {
        validated_on: now.date(),
        reference: reference(r),
        piece_date: month.last_day().unwrap_or(now.date()),
        person: person_aux(r.user_id, &r.person_name),
        charges,
    };
    books::post_in(
        tx,
        coop,
        JournalRole::Expenses,
        ("expense_report", Some(r.report_id)),
        expense_report_entry(&facts),
        by,
        now,
    )
    .await
}

// ---------------------------------------------------------------------------------------------
// The account refunds are paid to

/// The IBAN a person is refunded on, as typed.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct PayeeInput {
    pub holder: String,
    pub iban: String,
    pub bic: String,
}

pub async fn payee(app: &App, actor: &CoopActor) -> Result<Option<store::PayeeRecord>, AppError> {
    let mut tx = app.store.read().await?;
    let p = store::payee(&mut tx, actor.cooperative, actor.user().id).await?;
    tx.commit().await?;
    Ok(p)
}

/// Records the account the person's refunds are paid to (IBAN checksum-checked).
pub async fn save_payee(app: &App, actor: &CoopActor, input: &PayeeInput) -> Result<(), AppError> {
    if !actor.access.has_any(Permission::ExpenseManage) {
        return Err(AppError::Forbidden);
    }
    let mut e = essaim_domain::FieldErrors::new();
    let holder = e.check(
        "holder",
        essaim_domain::validation::required_text(&input.holder, 70),
    );
    let iban = e.check("iban", essaim_domain::identifiers::Iban::parse(&input.iban));
    let bic = match input.bic.trim() {
        "" => Some(None),
        b => e
            .check("bic", essaim_domain::identifiers::parse_bic(b))
            .map(Some),
    };
    let (Some(holder), Some(iban), Some(bic)) = (holder, iban, bic) else {
        return Err(e.into());
    };
    let mut tx = app.store.begin().await?;
    store::save_payee(
        &mut tx,
        actor.cooperative,
        &store::PayeeRecord {
            user_id: actor.user().id.get(),
            holder,
            iban: iban.as_str().to_owned(),
            bic,
        },
        app.clock.now(),
    )
    .await?;
    audit::record_in(
        &mut tx,
        app,
        actor,
        "expense.payee_saved",
        ("user", actor.user().id.to_string()),
        json!({}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// The yearly mileage summary

/// One person's year with one vehicle: what was refunded, and what the scale gives for the
/// year's distance (EXP-02: the difference is regularised at year-end).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MileageYear {
    pub user_id: i64,
    pub person_name: String,
    pub vehicle: VehicleKind,
    pub fiscal_power: i64,
    pub electric: bool,
    pub trips: i64,
    pub km: Decimal,
    pub refunded: Money,
    /// The allowance of the year's distance by the year's scale (the latest if not published).
    pub allowance: Money,
    pub scale_year: i32,
    pub provisional: bool,
}

impl MileageYear {
    /// What remains to be paid (positive) or was paid in excess (negative).
    pub fn regularisation(&self) -> Money {
        Money::eur(self.allowance.cents() - self.refunded.cents())
    }
}

/// The mileage of `year`: everyone's for a reader of the cooperative's spending, else one's own.
pub async fn mileage_year(
    app: &App,
    actor: &CoopActor,
    year: i32,
) -> Result<Vec<MileageYear>, AppError> {
    let only: Option<UserId> = if actor.may(Permission::ExpenseRead) {
        None
    } else if actor.access.has_any(Permission::ExpenseRead) {
        Some(actor.user().id)
    } else {
        return Err(AppError::Forbidden);
    };
    let mut tx = app.store.read().await?;
    let rows = store::mileage_year(&mut tx, actor.cooperative, year, only).await?;
    tx.commit().await?;
    let scale = mileage::scale_for(&mileage::FRANCE, year);
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let kind = VehicleKind::parse(&r.vehicle)?;
            let v = mileage::Vehicle {
                kind,
                fiscal_power: u8::try_from(r.fiscal_power).ok()?,
                electric: r.electric,
            };
            let km = Decimal::new(r.km_tenths, 1);
            let (s, provisional) = scale?;
            Some(MileageYear {
                user_id: r.user_id,
                person_name: r.person_name,
                vehicle: kind,
                fiscal_power: r.fiscal_power,
                electric: r.electric,
                trips: r.trips,
                km,
                refunded: Money::eur(r.amount_cents),
                allowance: mileage::annual_allowance(s, &v, km),
                scale_year: s.year,
                provisional,
            })
        })
        .collect())
}
