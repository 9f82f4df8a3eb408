//! People: a person's file, their path and its events, the account link, anonymisation, and
//! one's own file.

use super::*;

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
    /// The person's coaching file, for coaches.
    pub coaching_href: Option<String>,
    pub docs: Vec<crate::pages::documents::DocView>,
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
#[serde(default)]
pub struct EventForm {
    pub kind: String,
    pub on: String,
    pub end: String,
    pub trial_end: String,
    pub non_admission_reason: String,
    pub exit_type: String,
    pub exit_reason: String,
    pub destination: String,
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
    app: &App,
    page: &Page,
    coop: &CoopActor,
    id: PersonId,
    ev: EventForm,
    errors: Errors,
) -> Result<PersonPage, AppError> {
    let t = page.layout.t;
    let file = people::show(app, coop, id).await?;
    let items = &file.lists;
    let d = &file.record.details;
    let s = &file.record.summary;
    let today = app.clock.today();
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
            .map(|k| Choice::new(*k, t.get(&format!("event.{k}")), ev.kind == *k))
            .collect()
    } else {
        Vec::new()
    };
    let docs =
        essaim_app::documents::list(app, coop, essaim_app::records::Owner::Person(id)).await?;
    Ok(PersonPage {
        coaching_href: coop
            .may(essaim_domain::access::Permission::CoachingManage)
            .then(|| paths::person_coaching(&coop.slug, id)),
        contract_href: matches!(s.status, Status::Cesa | Status::Associate | Status::Exited)
            .then(|| paths::person_contract(&coop.slug, id)),
        docs: crate::pages::documents::views(t, &coop.slug, &docs, today),
        upload_action: (file.can_manage && !file.record.anonymized)
            .then(|| paths::person_documents(&coop.slug, id)),
        doc_kinds: crate::pages::documents::kinds(t),
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

/// An empty event form, dated today.
fn blank_event(app: &App) -> EventForm {
    EventForm {
        on: app.clock.today().to_string(),
        ..Default::default()
    }
}

pub async fn show(
    Ctx { app, coop, page }: Ctx,
    Id(id): Id<PersonId>,
    Query(dq): Query<crate::pages::documents::DocumentErrorQuery>,
) -> PageResult {
    let mut p = person_page(&app, &page, &coop, id, blank_event(&app), Errors::default()).await?;
    p.document_error = dq.message(page.layout.t);
    Ok(render(&p))
}

pub async fn record_event(
    Ctx { app, coop, page }: Ctx,
    Id(id): Id<PersonId>,
    Form(f): Form<EventForm>,
) -> PageResult {
    let outcome = people::record_event(&app, &coop, id, &f.input()).await;
    forms::submit(
        &page,
        outcome,
        |_| paths::person(&coop.slug, id),
        async |mut shown| {
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
            Ok(render(
                &person_page(&app, &page, &coop, id, f, shown).await?,
            ))
        },
    )
    .await
}

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct AccountForm {
    account_email: String,
}

pub async fn link_account(
    Ctx { app, coop, page }: Ctx,
    Id(id): Id<PersonId>,
    Form(f): Form<AccountForm>,
) -> PageResult {
    let outcome = people::link_account(&app, &coop, id, &f.account_email).await;
    forms::submit(
        &page,
        outcome,
        |()| paths::person(&coop.slug, id),
        async |errors| {
            let mut p = person_page(&app, &page, &coop, id, blank_event(&app), errors).await?;
            p.account_email = f.account_email;
            Ok(render(&p))
        },
    )
    .await
}

#[derive(Deserialize)]
pub struct AnonymizeForm {
    confirm: Option<String>,
}

pub async fn anonymize(
    Ctx { app, coop, page }: Ctx,
    Id(id): Id<PersonId>,
    Form(f): Form<AnonymizeForm>,
) -> PageResult {
    let outcome = essaim_app::privacy::anonymize(&app, &coop, id, f.confirm.is_some()).await;
    forms::submit(
        &page,
        outcome,
        |()| paths::person(&coop.slug, id),
        async |errors| {
            let p = person_page(&app, &page, &coop, id, blank_event(&app), errors).await?;
            Ok(render(&p))
        },
    )
    .await
}

/// `/c/{coop}/me`: one's own file, if the cooperative keeps one.
pub async fn mine(Ctx { app, coop, .. }: Ctx) -> PageResult {
    let id = people::mine(&app, &coop)
        .await?
        .ok_or(AppError::NotFound("person"))?;
    Ok(Redirect::to(&paths::person(&coop.slug, id)).into_response())
}
