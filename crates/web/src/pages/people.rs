//! People: the list with filters and export, a person's file with its path, recording people and
//! path events, the deadlines dashboard, and the cooperative's lists.

use crate::error::PageResult;
use crate::error::{render, render_status};
use crate::extract::Coop;
use crate::i18n::Tr;
use crate::paths;
use crate::state::AppState;
use crate::view::{Choice, Errors, Layout, Page, table_file};
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use essaim_app::records::{PersonFilter, PersonLine, PersonSort, RefItem};
use essaim_app::{AppError, CoopActor, people};
use essaim_domain::ids::{PersonId, UserId};
use essaim_domain::path::{DeadlineBand, Path as DomainPath, PathEvent, PathEventInput, Status};
use essaim_domain::person::{Gender, PersonInput, RefList};
use essaim_domain::selling::terms::fr_date as date;
use serde::Deserialize;
use time::Date;

fn label(items: &[RefItem], list: RefList, code: &Option<String>) -> String {
    code.as_ref()
        .map(|c| {
            items
                .iter()
                .find(|i| i.list == list.code() && &i.code == c)
                .map(|i| i.label.clone())
                .unwrap_or_else(|| c.clone())
        })
        .unwrap_or_default()
}

fn choices(items: &[RefItem], list: RefList, selected: &str) -> Vec<Choice> {
    items
        .iter()
        .filter(|i| i.list == list.code() && (i.active || i.code == selected))
        .map(|i| Choice {
            value: i.code.clone(),
            label: i.label.clone(),
            selected: i.code == selected,
        })
        .collect()
}

fn status_label(t: Tr, status: &str) -> String {
    t.get(&format!("status.{status}")).to_owned()
}

// --- list ---------------------------------------------------------------------------------

pub struct PersonRow {
    pub name: String,
    pub href: String,
    pub status: String,
    pub referent: String,
    pub antenna: String,
    pub deadline: String,
}

#[derive(Template)]
#[template(path = "people/list.html")]
pub struct PeopleListPage {
    pub l: Layout,
    pub rows: Vec<PersonRow>,
    pub total: i64,
    pub q: ListQuery,
    pub statuses: Vec<Choice>,
    pub referents: Vec<Choice>,
    pub antennas: Vec<Choice>,
    pub sorts: Vec<Choice>,
    pub prev: Option<String>,
    pub next: Option<String>,
    pub csv_href: String,
    pub xlsx_href: String,
    pub new_href: Option<String>,
    pub deadlines_href: String,
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub referent: String,
    #[serde(default)]
    pub antenna: String,
    #[serde(default)]
    pub sort: String,
    /// NAF code or its first digits.
    #[serde(default)]
    pub naf: String,
    /// `soon`: only people whose associé deadline is passed or within six months.
    #[serde(default)]
    pub deadline: String,
    pub page: Option<i64>,
}

impl ListQuery {
    fn filter(&self, today: Date) -> PersonFilter {
        PersonFilter {
            search: Some(self.q.clone()).filter(|s| !s.trim().is_empty()),
            status: Status::parse(&self.status),
            referent: self.referent.parse().ok().map(UserId::new),
            antenna: Some(self.antenna.clone()).filter(|s| !s.is_empty()),
            deadline_before: (self.deadline == "soon")
                .then(|| essaim_domain::path::add_months(today, 6)),
            naf: Some(self.naf.clone()).filter(|s| !s.trim().is_empty()),
            sort: match self.sort.as_str() {
                "status" => PersonSort::Status,
                "deadline" => PersonSort::Deadline,
                _ => PersonSort::Name,
            },
        }
    }
    fn query_string(&self, page: Option<i64>) -> String {
        let mut pairs = vec![
            ("q", self.q.clone()),
            ("status", self.status.clone()),
            ("referent", self.referent.clone()),
            ("antenna", self.antenna.clone()),
            ("sort", self.sort.clone()),
            ("naf", self.naf.clone()),
            ("deadline", self.deadline.clone()),
        ];
        if let Some(p) = page {
            pairs.push(("page", p.to_string()));
        }
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    }
}

pub async fn list(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Query(q): Query<ListQuery>,
) -> PageResult {
    let t = page.layout.t;
    let n = q.page.unwrap_or(0).max(0);
    let result = async {
        let (rows, total) =
            people::list(&state.app, &coop, &q.filter(state.app.clock.today()), n).await?;
        let items = people::lists(&state.app, &coop).await?;
        let referents = people::referents(&state.app, &coop).await?;
        Ok::<_, AppError>((rows, total, items, referents))
    }
    .await;
    let (rows, total, items, referents) = result?;
    let base = paths::people(&coop.slug);
    let today = state.app.clock.today();
    let page_view = PeopleListPage {
        rows: rows
            .iter()
            .map(|p| row_view(t, &coop, &items, p, today))
            .collect(),
        total,
        statuses: Status::ALL
            .iter()
            .map(|s| Choice {
                value: s.code().into(),
                label: status_label(t, s.code()),
                selected: q.status == s.code(),
            })
            .collect(),
        referents: referents
            .iter()
            .map(|(id, name)| Choice {
                value: id.get().to_string(),
                label: name.clone(),
                selected: q.referent == id.get().to_string(),
            })
            .collect(),
        antennas: choices(&items, RefList::Antenna, &q.antenna),
        sorts: [
            ("name", "people.sort_name"),
            ("status", "people.sort_status"),
            ("deadline", "people.sort_deadline"),
        ]
        .iter()
        .map(|(v, k)| Choice {
            value: (*v).into(),
            label: t.get(k).into(),
            selected: q.sort == *v,
        })
        .collect(),
        prev: (n > 0).then(|| format!("{base}?{}", q.query_string(Some(n - 1)))),
        next: ((n + 1) * people::PAGE_SIZE < total)
            .then(|| format!("{base}?{}", q.query_string(Some(n + 1)))),
        csv_href: format!("{}?{}", paths::people_csv(&coop.slug), q.query_string(None)),
        xlsx_href: format!(
            "{}?{}",
            paths::people_xlsx(&coop.slug),
            q.query_string(None)
        ),
        new_href: coop
            .may(essaim_domain::access::Permission::PersonManage)
            .then(|| paths::new_person(&coop.slug)),
        deadlines_href: paths::deadlines(&coop.slug),
        q,
        l: page.layout,
    };
    Ok(render(&page_view))
}

fn row_view(t: Tr, coop: &CoopActor, items: &[RefItem], p: &PersonLine, today: Date) -> PersonRow {
    let deadline = p.associate_deadline_on.map(|d| {
        let band = DeadlineBand::of(d, today)
            .map(|b| format!(" — {}", t.get(&format!("band.{}", b.code()))))
            .unwrap_or_default();
        format!("{}{band}", date(d))
    });
    PersonRow {
        name: format!("{} {}", p.last_name, p.first_name),
        href: paths::person(&coop.slug, p.person_id),
        status: format!(
            "{}{}",
            status_label(t, &p.status),
            if p.suspended {
                format!(" {}", t.get("people.suspended_suffix"))
            } else {
                String::new()
            }
        ),
        referent: p.referent_name.clone().unwrap_or_default(),
        antenna: label(items, RefList::Antenna, &p.antenna),
        deadline: deadline.unwrap_or_default(),
    }
}

/// The filtered list as CSV (UTF-8 with BOM and `;`, as French spreadsheets expect).
pub async fn export_csv(
    coop: Coop,
    state: State<AppState>,
    page: Page,
    q: Query<ListQuery>,
) -> PageResult {
    export(coop, state, page, q, false).await
}

/// The filtered list as an XLSX workbook.
pub async fn export_xlsx(
    coop: Coop,
    state: State<AppState>,
    page: Page,
    q: Query<ListQuery>,
) -> PageResult {
    export(coop, state, page, q, true).await
}

async fn export(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Query(q): Query<ListQuery>,
    xlsx: bool,
) -> PageResult {
    use essaim_app::exports::Table;
    let t = page.layout.t;
    let (rows, items) = match async {
        Ok::<_, AppError>((
            people::export(&state.app, &coop, &q.filter(state.app.clock.today())).await?,
            people::lists(&state.app, &coop).await?,
        ))
    }
    .await
    {
        Ok(r) => r,
        Err(e) => return Err(e.into()),
    };
    let header = [
        "people.col_last_name",
        "people.col_first_name",
        "field.email",
        "people.col_status",
        "people.col_referent",
        "people.col_antenna",
        "people.col_cape_end",
        "people.col_trial_end",
        "people.col_deadline",
    ];
    let table = Table {
        sheet: t.get("people.title").to_owned(),
        header: header.iter().map(|k| t.get(k).to_owned()).collect(),
        rows: rows
            .iter()
            .map(|p| {
                vec![
                    p.last_name.clone(),
                    p.first_name.clone(),
                    p.email.clone().unwrap_or_default(),
                    status_label(t, &p.status),
                    p.referent_name.clone().unwrap_or_default(),
                    label(&items, RefList::Antenna, &p.antenna),
                    p.cape_end_on.map(|d| d.to_string()).unwrap_or_default(),
                    p.trial_end_on.map(|d| d.to_string()).unwrap_or_default(),
                    p.associate_deadline_on
                        .map(|d| d.to_string())
                        .unwrap_or_default(),
                ]
            })
            .collect(),
    };
    let name = format!("personnes-{}", coop.slug);
    table_file(&table, &name, if xlsx { "xlsx" } else { "csv" })
}

// --- the person form ------------------------------------------------------------------------

#[derive(Clone, Debug, Default, Deserialize)]
pub struct PersonForm {
    #[serde(default)]
    pub first_name: String,
    #[serde(default)]
    pub last_name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub postcode: String,
    #[serde(default)]
    pub commune: String,
    #[serde(default)]
    pub birth_date: String,
    #[serde(default)]
    pub gender: String,
    #[serde(default)]
    pub situation: String,
    #[serde(default)]
    pub prescriber: String,
    #[serde(default)]
    pub education: String,
    #[serde(default)]
    pub antenna: String,
    #[serde(default)]
    pub qpv: Option<String>,
    #[serde(default)]
    pub rural: Option<String>,
    #[serde(default)]
    pub naf: String,
    #[serde(default)]
    pub referent: String,
}

impl PersonForm {
    fn input(&self) -> PersonInput {
        PersonInput {
            first_name: self.first_name.clone(),
            last_name: self.last_name.clone(),
            email: self.email.clone(),
            phone: self.phone.clone(),
            address: self.address.clone(),
            postcode: self.postcode.clone(),
            commune: self.commune.clone(),
            birth_date: self.birth_date.clone(),
            gender: self.gender.clone(),
            situation: self.situation.clone(),
            prescriber: self.prescriber.clone(),
            education: self.education.clone(),
            qpv: self.qpv.is_some(),
            rural: self.rural.is_some(),
            naf: self.naf.clone(),
            antenna: self.antenna.clone(),
        }
    }
    fn referent(&self) -> Option<UserId> {
        self.referent.parse().ok().map(UserId::new)
    }
}

#[derive(Template)]
#[template(path = "people/form.html")]
pub struct PersonFormPage {
    pub l: Layout,
    pub heading: String,
    pub action: String,
    pub f: PersonForm,
    pub errors: Errors,
    pub genders: Vec<Choice>,
    pub situations: Vec<Choice>,
    pub prescribers: Vec<Choice>,
    pub educations: Vec<Choice>,
    pub antennas: Vec<Choice>,
    pub referents: Vec<Choice>,
}

async fn form_page(
    state: &AppState,
    page: &Page,
    coop: &CoopActor,
    heading: String,
    action: String,
    f: PersonForm,
    errors: Errors,
) -> Result<PersonFormPage, AppError> {
    let t = page.layout.t;
    let items = people::lists(&state.app, coop).await?;
    let referents = people::referents(&state.app, coop).await?;
    Ok(PersonFormPage {
        genders: Gender::ALL
            .iter()
            .map(|g| Choice {
                value: g.code().into(),
                label: t.get(&format!("gender.{}", g.code())).into(),
                selected: f.gender == g.code(),
            })
            .collect(),
        situations: choices(&items, RefList::Situation, &f.situation),
        prescribers: choices(&items, RefList::Prescriber, &f.prescriber),
        educations: choices(&items, RefList::Education, &f.education),
        antennas: choices(&items, RefList::Antenna, &f.antenna),
        referents: referents
            .iter()
            .map(|(id, n)| Choice {
                value: id.get().to_string(),
                label: n.clone(),
                selected: f.referent == id.get().to_string(),
            })
            .collect(),
        heading,
        action,
        f,
        errors,
        l: page.layout.clone(),
    })
}

pub async fn new(Coop(coop): Coop, State(state): State<AppState>, page: Page) -> PageResult {
    let f = PersonForm {
        gender: "undisclosed".into(),
        referent: coop.user().id.get().to_string(),
        ..Default::default()
    };
    let p = form_page(
        &state,
        &page,
        &coop,
        page.layout.t.get("people.new_heading").into(),
        paths::people(&coop.slug),
        f,
        Errors::default(),
    )
    .await?;
    Ok(render(&p))
}

pub async fn create(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Form(f): Form<PersonForm>,
) -> PageResult {
    Ok(
        match people::create(&state.app, &coop, &f.input(), f.referent()).await {
            Ok(id) => Redirect::to(&paths::person(&coop.slug, id.get())).into_response(),
            Err(AppError::Invalid(errors)) => {
                let errors = Errors::from(&errors, page.layout.t);
                match form_page(
                    &state,
                    &page,
                    &coop,
                    page.layout.t.get("people.new_heading").into(),
                    paths::people(&coop.slug),
                    f,
                    errors,
                )
                .await
                {
                    Ok(p) => render_status(StatusCode::UNPROCESSABLE_ENTITY, &p),
                    Err(e) => return Err(e.into()),
                }
            }
            Err(e) => return Err(e.into()),
        },
    )
}

pub async fn edit(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Path((_, id)): Path<(String, i64)>,
) -> PageResult {
    let file = people::show(&state.app, &coop, PersonId::new(id)).await?;
    let d = &file.record.details;
    let f = PersonForm {
        first_name: d.first_name.clone(),
        last_name: d.last_name.clone(),
        email: d
            .email
            .as_ref()
            .map(|e| e.as_str().to_owned())
            .unwrap_or_default(),
        phone: d.phone.clone().unwrap_or_default(),
        address: d.address.clone().unwrap_or_default(),
        postcode: d.postcode.clone().unwrap_or_default(),
        commune: d.commune.clone().unwrap_or_default(),
        birth_date: d.birth_date.map(|b| b.to_string()).unwrap_or_default(),
        gender: d.gender.code().into(),
        situation: d.situation.clone().unwrap_or_default(),
        prescriber: d.prescriber.clone().unwrap_or_default(),
        education: d.education.clone().unwrap_or_default(),
        antenna: d.antenna.clone().unwrap_or_default(),
        qpv: d.qpv.then(|| "on".into()),
        rural: d.rural.then(|| "on".into()),
        naf: d.naf.clone().unwrap_or_default(),
        referent: file
            .record
            .referent
            .as_ref()
            .map(|(id, _)| id.get().to_string())
            .unwrap_or_default(),
    };
    let p = form_page(
        &state,
        &page,
        &coop,
        d.full_name(),
        paths::person(&coop.slug, id),
        f,
        Errors::default(),
    )
    .await?;
    Ok(render(&p))
}

pub async fn update(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Path((_, id)): Path<(String, i64)>,
    Form(f): Form<PersonForm>,
) -> PageResult {
    Ok(
        match people::update(
            &state.app,
            &coop,
            PersonId::new(id),
            &f.input(),
            f.referent(),
        )
        .await
        {
            Ok(()) => Redirect::to(&paths::person(&coop.slug, id)).into_response(),
            Err(AppError::Invalid(errors)) => {
                let errors = Errors::from(&errors, page.layout.t);
                let heading = format!("{} {}", f.first_name, f.last_name);
                match form_page(
                    &state,
                    &page,
                    &coop,
                    heading,
                    paths::person(&coop.slug, id),
                    f,
                    errors,
                )
                .await
                {
                    Ok(p) => render_status(StatusCode::UNPROCESSABLE_ENTITY, &p),
                    Err(e) => return Err(e.into()),
                }
            }
            Err(e) => return Err(e.into()),
        },
    )
}

/// The problem of a refused upload, carried back to the page after the redirect.
#[derive(Deserialize, Default)]
pub struct DocumentErrorQuery {
    document_error: Option<String>,
}

impl DocumentErrorQuery {
    pub fn message(&self, t: Tr) -> String {
        match self.document_error.as_deref() {
            Some(code) if code.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') => {
                t.error(code)
            }
            _ => String::new(),
        }
    }
}

// --- a person's file ----------------------------------------------------------------------

pub struct EventView {
    pub on: String,
    pub what: String,
    pub detail: String,
    pub recorded: String,
}

#[derive(Template)]
#[template(path = "people/show.html")]
pub struct PersonPage {
    pub l: Layout,
    pub contract_href: Option<String>,
    pub docs: Vec<super::documents::DocView>,
    pub upload_action: Option<String>,
    pub doc_kinds: Vec<Choice>,
    pub document_error: String,
    pub anonymize_action: Option<String>,
    pub account_action: Option<String>,
    pub account_email: String,
    pub name: String,
    pub status: String,
    pub facts: Vec<(String, String)>,
    pub deadline: Option<(String, String)>,
    pub dates: Vec<(String, String)>,
    pub events: Vec<EventView>,
    pub edit_href: Option<String>,
    pub event_action: Option<String>,
    pub kinds: Vec<Choice>,
    pub ev: EventForm,
    pub errors: Errors,
    pub non_admission: Vec<Choice>,
    pub exit_types: Vec<Choice>,
    pub exit_reasons: Vec<Choice>,
    pub destinations: Vec<Choice>,
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct EventForm {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub on: String,
    #[serde(default)]
    pub end: String,
    #[serde(default)]
    pub trial_end: String,
    #[serde(default)]
    pub non_admission_reason: String,
    #[serde(default)]
    pub exit_type: String,
    #[serde(default)]
    pub exit_reason: String,
    #[serde(default)]
    pub destination: String,
    #[serde(default)]
    pub text: String,
}

impl EventForm {
    fn input(&self) -> PathEventInput {
        let reason = match self.kind.as_str() {
            "not_admitted" => self.non_admission_reason.clone(),
            "exited" => self.exit_reason.clone(),
            _ => self.text.clone(),
        };
        PathEventInput {
            kind: self.kind.clone(),
            on: self.on.clone(),
            end: self.end.clone(),
            trial_end: self.trial_end.clone(),
            reason,
            exit_type: self.exit_type.clone(),
            destination: self.destination.clone(),
            summary: self.text.clone(),
        }
    }
}

fn event_view(t: Tr, items: &[RefItem], e: &essaim_app::records::RecordedEvent) -> EventView {
    let l = |list, code: &String| label(items, list, &Some(code.clone()));
    let detail = match &e.event {
        PathEvent::NotAdmitted { reason, .. } => l(RefList::NonAdmissionReason, reason),
        PathEvent::CapeSigned { period } | PathEvent::CapeRenewed { period } => {
            t.fmt("people.until", &[&date(period.end)])
        }
        PathEvent::CesaSigned { trial_end, .. } => trial_end
            .map(|d| t.fmt("people.trial_until", &[&date(d)]))
            .unwrap_or_else(|| t.get("people.no_trial").into()),
        PathEvent::CesaAmended { summary, .. } => summary.clone(),
        PathEvent::SuspensionStarted { reason, .. } => reason.clone(),
        PathEvent::Exited {
            exit_type,
            reason,
            destination,
            ..
        } => {
            format!(
                "{} — {} — {}",
                l(RefList::ExitType, exit_type),
                l(RefList::ExitReason, reason),
                l(RefList::Destination, destination)
            )
        }
        _ => String::new(),
    };
    EventView {
        on: date(e.event.date()),
        what: t.get(&format!("event.{}", e.event.kind())).into(),
        detail,
        recorded: format!(
            "{} — {}",
            crate::view::datetime(e.recorded_at),
            e.recorded_by.clone().unwrap_or_default()
        ),
    }
}

async fn person_page(
    state: &AppState,
    page: &Page,
    coop: &CoopActor,
    id: i64,
    ev: EventForm,
    errors: Errors,
) -> Result<PersonPage, AppError> {
    let t = page.layout.t;
    let file = people::show(&state.app, coop, PersonId::new(id)).await?;
    let items = &file.lists;
    let d = &file.record.details;
    let s = &file.record.summary;
    let today = state.app.clock.today();
    let yes_no = |b: bool| {
        if b {
            t.get("common.yes")
        } else {
            t.get("common.no")
        }
        .to_owned()
    };
    let facts = vec![
        (
            t.get("field.email").into(),
            d.email
                .as_ref()
                .map(|e| e.as_str().to_owned())
                .unwrap_or_default(),
        ),
        (
            t.get("people.phone").into(),
            d.phone.clone().unwrap_or_default(),
        ),
        (
            t.get("people.address").into(),
            [d.address.clone(), d.postcode.clone(), d.commune.clone()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(", "),
        ),
        (
            t.get("people.birth_date").into(),
            d.birth_date
                .map(|b| {
                    format!(
                        "{} ({})",
                        date(b),
                        t.fmt("people.age", &[&d.age(today).unwrap_or(0).to_string()])
                    )
                })
                .unwrap_or_default(),
        ),
        (
            t.get("people.gender").into(),
            t.get(&format!("gender.{}", d.gender.code())).into(),
        ),
        (
            t.get("people.situation").into(),
            label(items, RefList::Situation, &d.situation),
        ),
        (
            t.get("people.prescriber").into(),
            label(items, RefList::Prescriber, &d.prescriber),
        ),
        (
            t.get("people.education").into(),
            label(items, RefList::Education, &d.education),
        ),
        (
            t.get("people.zones").into(),
            format!(
                "QPV : {} — {} : {}",
                yes_no(d.qpv),
                t.get("people.rural"),
                yes_no(d.rural)
            ),
        ),
        (
            t.get("people.naf").into(),
            d.naf.clone().unwrap_or_default(),
        ),
        (
            t.get("people.antenna").into(),
            label(items, RefList::Antenna, &d.antenna),
        ),
        (
            t.get("people.referent").into(),
            file.record
                .referent
                .as_ref()
                .map(|(_, n)| n.clone())
                .unwrap_or_else(|| t.get("people.no_referent").into()),
        ),
    ];
    let path = DomainPath::new(file.events.iter().map(|e| e.event.clone()).collect());
    let deadline = s.associate_deadline.map(|dl| {
        let band = DeadlineBand::of(dl, today)
            .map(|b| t.get(&format!("band.{}", b.code())).to_owned())
            .unwrap_or_default();
        (date(dl), band)
    });
    let facts: Vec<(String, String)> = facts.into_iter().filter(|(_, v)| !v.is_empty()).collect();
    let mut dates = Vec::new();
    if let Some(e) = s.cape_end {
        dates.push((t.get("people.cape_end").into(), date(e)));
    }
    if let Some(e) = s.trial_end {
        dates.push((t.get("people.trial_end").into(), date(e)));
    }
    let erasable = path.erasable_from().ok().flatten();
    if let Some(from) = erasable {
        dates.push((t.get("people.kept_until").into(), date(from)));
    }
    let prior = path.prior_cape_days();
    if prior > 0 {
        dates.push((
            t.get("people.prior_cape").into(),
            t.fmt("people.days", &[&prior.to_string()]),
        ));
    }
    let kinds = if file.can_manage {
        path.possible_kinds()
            .iter()
            .map(|k| Choice {
                value: (*k).into(),
                label: t.get(&format!("event.{k}")).into(),
                selected: ev.kind == *k,
            })
            .collect()
    } else {
        Vec::new()
    };
    let docs = essaim_app::documents::list(
        &state.app,
        coop,
        essaim_app::records::Owner::Person(PersonId::new(id)),
    )
    .await?;
    Ok(PersonPage {
        contract_href: matches!(s.status, Status::Cesa | Status::Associate | Status::Exited)
            .then(|| paths::person_contract(&coop.slug, id)),
        docs: super::documents::views(t, &coop.slug, &docs, today),
        upload_action: (file.can_manage && !file.record.anonymized)
            .then(|| paths::person_documents(&coop.slug, id)),
        doc_kinds: super::documents::kinds(t),
        document_error: String::new(),
        name: if file.record.anonymized {
            t.get("people.anonymized").into()
        } else {
            d.full_name()
        },
        status: format!(
            "{}{}",
            status_label(t, s.status.code()),
            if s.suspended {
                format!(" {}", t.get("people.suspended_suffix"))
            } else {
                String::new()
            }
        ),
        facts,
        deadline,
        dates,
        events: file
            .events
            .iter()
            .map(|e| event_view(t, items, e))
            .collect(),
        edit_href: (file.can_manage && !file.record.anonymized)
            .then(|| paths::edit_person(&coop.slug, id)),
        anonymize_action: (coop.may(essaim_domain::access::Permission::CooperativeSettings)
            && !file.record.anonymized
            && erasable.is_some_and(|f| f <= today))
        .then(|| paths::anonymize_person(&coop.slug, id)),
        account_action: file
            .can_manage
            .then(|| paths::person_account(&coop.slug, id)),
        account_email: file.account_email.clone().unwrap_or_default(),
        event_action: file
            .can_manage
            .then(|| paths::person_events(&coop.slug, id)),
        kinds,
        non_admission: choices(items, RefList::NonAdmissionReason, &ev.non_admission_reason),
        exit_types: choices(items, RefList::ExitType, &ev.exit_type),
        exit_reasons: choices(items, RefList::ExitReason, &ev.exit_reason),
        destinations: choices(items, RefList::Destination, &ev.destination),
        ev,
        errors,
        l: page.layout.clone(),
    })
}

pub async fn show(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Path((_, id)): Path<(String, i64)>,
    Query(dq): Query<DocumentErrorQuery>,
) -> PageResult {
    let ev = EventForm {
        on: state.app.clock.today().to_string(),
        ..Default::default()
    };
    Ok(
        match person_page(&state, &page, &coop, id, ev, Errors::default()).await {
            Ok(mut p) => {
                p.document_error = dq.message(page.layout.t);
                render(&p)
            }
            Err(e) => return Err(e.into()),
        },
    )
}

pub async fn record_event(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Path((_, id)): Path<(String, i64)>,
    Form(f): Form<EventForm>,
) -> PageResult {
    Ok(
        match people::record_event(&state.app, &coop, PersonId::new(id), &f.input()).await {
            Ok(_) => Redirect::to(&paths::person(&coop.slug, id)).into_response(),
            Err(AppError::Invalid(errors)) => {
                let mut shown = Errors::from(&errors, page.layout.t);
                // The reason field of the form depends on the kind.
                if let Some(m) = shown.0.remove("reason") {
                    let field = match f.kind.as_str() {
                        "not_admitted" => "non_admission_reason",
                        "exited" => "exit_reason",
                        _ => "text",
                    };
                    shown.0.insert(field.into(), m);
                }
                if let Some(m) = shown.0.remove("summary") {
                    shown.0.insert("text".into(), m);
                }
                match person_page(&state, &page, &coop, id, f, shown).await {
                    Ok(p) => render_status(StatusCode::UNPROCESSABLE_ENTITY, &p),
                    Err(e) => return Err(e.into()),
                }
            }
            Err(e) => return Err(e.into()),
        },
    )
}

#[derive(Deserialize)]
pub struct AccountForm {
    #[serde(default)]
    account_email: String,
}

pub async fn link_account(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Path((_, id)): Path<(String, i64)>,
    Form(f): Form<AccountForm>,
) -> PageResult {
    Ok(
        match people::link_account(&state.app, &coop, PersonId::new(id), &f.account_email).await {
            Ok(()) => Redirect::to(&paths::person(&coop.slug, id)).into_response(),
            Err(AppError::Invalid(errors)) => {
                let errors = Errors::from(&errors, page.layout.t);
                let ev = EventForm {
                    on: state.app.clock.today().to_string(),
                    ..Default::default()
                };
                match person_page(&state, &page, &coop, id, ev, errors).await {
                    Ok(mut p) => {
                        p.account_email = f.account_email;
                        render_status(StatusCode::UNPROCESSABLE_ENTITY, &p)
                    }
                    Err(e) => return Err(e.into()),
                }
            }
            Err(e) => return Err(e.into()),
        },
    )
}

#[derive(Deserialize)]
pub struct AnonymizeForm {
    confirm: Option<String>,
}

pub async fn anonymize(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Path((_, id)): Path<(String, i64)>,
    Form(f): Form<AnonymizeForm>,
) -> PageResult {
    Ok(
        match essaim_app::privacy::anonymize(
            &state.app,
            &coop,
            PersonId::new(id),
            f.confirm.is_some(),
        )
        .await
        {
            Ok(()) => Redirect::to(&paths::person(&coop.slug, id)).into_response(),
            Err(AppError::Invalid(errors)) => {
                let errors = Errors::from(&errors, page.layout.t);
                let ev = EventForm {
                    on: state.app.clock.today().to_string(),
                    ..Default::default()
                };
                match person_page(&state, &page, &coop, id, ev, errors).await {
                    Ok(p) => render_status(StatusCode::UNPROCESSABLE_ENTITY, &p),
                    Err(e) => return Err(e.into()),
                }
            }
            Err(e) => return Err(e.into()),
        },
    )
}

/// `/c/{coop}/me`: one's own file, if the cooperative keeps one.
pub async fn mine(Coop(coop): Coop, State(state): State<AppState>) -> PageResult {
    Ok(match people::mine(&state.app, &coop).await {
        Ok(Some(id)) => Redirect::to(&paths::person(&coop.slug, id.get())).into_response(),
        Ok(None) => return Err(AppError::NotFound("person").into()),
        Err(e) => return Err(e.into()),
    })
}

// --- deadlines ------------------------------------------------------------------------------

pub struct DeadlineView {
    pub name: String,
    pub href: String,
    pub what: String,
    pub on: String,
    pub referent: String,
}

pub struct BandView {
    pub title: String,
    pub id: String,
    pub rows: Vec<DeadlineView>,
}

#[derive(Template)]
#[template(path = "people/deadlines.html")]
pub struct DeadlinesPage {
    pub l: Layout,
    pub bands: Vec<BandView>,
    /// People's documents expired or expiring within six months.
    pub documents: Vec<DeadlineView>,
}

pub async fn deadlines(Coop(coop): Coop, State(state): State<AppState>, page: Page) -> PageResult {
    let t = page.layout.t;
    let all = people::deadlines(&state.app, &coop).await?;
    let bands = [
        DeadlineBand::Overdue,
        DeadlineBand::WithinOneMonth,
        DeadlineBand::WithinThreeMonths,
        DeadlineBand::WithinSixMonths,
    ]
    .into_iter()
    .map(|b| BandView {
        title: t.get(&format!("band.{}", b.code())).into(),
        id: format!("band-{}", b.code()),
        rows: all
            .iter()
            .filter(|d| d.band == b)
            .map(|d| DeadlineView {
                name: format!("{} {}", d.person.last_name, d.person.first_name),
                href: paths::person(&coop.slug, d.person.person_id),
                what: t.get(&format!("deadline.{}", d.what.code())).into(),
                on: date(d.on),
                referent: d
                    .person
                    .referent_name
                    .clone()
                    .unwrap_or_else(|| t.get("people.no_referent").into()),
            })
            .collect(),
    })
    .collect();
    let documents = match essaim_app::documents::expiring(&state.app, &coop).await {
        Ok(rows) => rows
            .into_iter()
            .map(|e| DeadlineView {
                name: format!("{} — {}", e.person_name, e.doc.title),
                href: e
                    .doc
                    .person_id
                    .map(|p| paths::person(&coop.slug, p))
                    .unwrap_or_default(),
                what: t.get("deadline.document").into(),
                on: e.doc.expires_on.map(date).unwrap_or_default(),
                referent: e
                    .referent_name
                    .unwrap_or_else(|| t.get("people.no_referent").into()),
            })
            .collect(),
        Err(e) => return Err(e.into()),
    };
    Ok(render(&DeadlinesPage {
        l: page.layout,
        bands,
        documents,
    }))
}

// --- lists --------------------------------------------------------------------------------

pub struct ListView {
    pub title: String,
    pub code: String,
    pub items: Vec<ItemView>,
}

pub struct ItemView {
    pub id: i64,
    pub label: String,
    pub code: String,
    pub active: bool,
    pub action: String,
}

#[derive(Template)]
#[template(path = "people/lists.html")]
pub struct ListsPage {
    pub l: Layout,
    pub lists: Vec<ListView>,
    pub add_action: String,
    pub errors: Errors,
}

async fn lists_page(
    state: &AppState,
    page: &Page,
    coop: &CoopActor,
    errors: Errors,
) -> Result<ListsPage, AppError> {
    let t = page.layout.t;
    let items = people::lists(&state.app, coop).await?;
    Ok(ListsPage {
        lists: RefList::ALL
            .iter()
            .map(|list| ListView {
                title: t.get(&format!("list.{}", list.code())).into(),
                code: list.code().into(),
                items: items
                    .iter()
                    .filter(|i| i.list == list.code())
                    .map(|i| ItemView {
                        id: i.reference_item_id,
                        label: i.label.clone(),
                        code: i.code.clone(),
                        active: i.active,
                        action: paths::list_item(&coop.slug, i.reference_item_id),
                    })
                    .collect(),
            })
            .collect(),
        add_action: paths::lists(&coop.slug),
        errors,
        l: page.layout.clone(),
    })
}

pub async fn lists(Coop(coop): Coop, State(state): State<AppState>, page: Page) -> PageResult {
    let p = lists_page(&state, &page, &coop, Errors::default()).await?;
    Ok(render(&p))
}

#[derive(Deserialize)]
pub struct AddItemForm {
    #[serde(default)]
    list: String,
    #[serde(default)]
    label: String,
}

pub async fn add_item(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Form(f): Form<AddItemForm>,
) -> PageResult {
    Ok(
        match people::add_list_item(&state.app, &coop, &f.list, &f.label).await {
            Ok(()) => Redirect::to(&paths::lists(&coop.slug)).into_response(),
            Err(AppError::Invalid(errors)) => {
                let mut shown = Errors::from(&errors, page.layout.t);
                if let Some(m) = shown.0.remove("label") {
                    shown.0.insert(format!("label-{}", f.list), m);
                }
                match lists_page(&state, &page, &coop, shown).await {
                    Ok(p) => render_status(StatusCode::UNPROCESSABLE_ENTITY, &p),
                    Err(e) => return Err(e.into()),
                }
            }
            Err(e) => return Err(e.into()),
        },
    )
}

#[derive(Deserialize)]
pub struct UpdateItemForm {
    #[serde(default)]
    label: String,
    active: Option<String>,
}

pub async fn update_item(
    Coop(coop): Coop,
    State(state): State<AppState>,
    page: Page,
    Path((_, id)): Path<(String, i64)>,
    Form(f): Form<UpdateItemForm>,
) -> PageResult {
    Ok(
        match people::update_list_item(&state.app, &coop, id, &f.label, f.active.is_some()).await {
            Ok(()) => Redirect::to(&paths::lists(&coop.slug)).into_response(),
            Err(AppError::Invalid(errors)) => {
                let shown = Errors::from(&errors, page.layout.t);
                match lists_page(
                    &state,
                    &page,
                    &coop,
                    Errors(
                        shown
                            .0
                            .into_values()
                            .map(|m| (format!("item-{id}"), m))
                            .collect(),
                    ),
                )
                .await
                {
                    Ok(p) => render_status(StatusCode::UNPROCESSABLE_ENTITY, &p),
                    Err(e) => return Err(e.into()),
                }
            }
            Err(e) => return Err(e.into()),
        },
    )
}
