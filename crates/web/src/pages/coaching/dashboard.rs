//! The coach's dashboard (LIF-41), the agenda and the topics.

use super::*;
use essaim_app::coaching::{self, TopicInput};

pub struct LateRow {
    pub name: String,
    pub href: String,
    pub last: String,
    pub due: String,
    pub this_year: String,
    pub referent: String,
    pub plan: String,
}

pub struct PersonRow {
    pub name: String,
    pub href: String,
}

pub struct DeadlineRow {
    pub name: String,
    pub href: String,
    pub what: String,
    pub on: String,
}

#[derive(Template)]
#[template(path = "coaching/dashboard.html")]
pub struct DashboardPage {
    pub l: Layout,
    pub intro: String,
    pub late: Vec<LateRow>,
    pub no_referent: Vec<PersonRow>,
    pub deadlines: Vec<DeadlineRow>,
    pub deadlines_href: String,
    pub upcoming: Vec<AppointmentRow>,
    pub new_href: String,
    pub agenda_href: String,
    pub topics_href: String,
    pub grid_href: String,
    pub report_href: String,
}

pub async fn coaching_dashboard(Ctx { app, coop, page }: Ctx) -> PageResult {
    let t = page.layout.t;
    let d = coaching::dashboard(&app, &coop).await?;
    let today = app.clock.today();
    let slug = &coop.slug;
    let mut upcoming = Vec::new();
    for r in &d.upcoming {
        let v = coaching::show(&app, &coop, r.appointment_id).await?;
        upcoming.push(row_of(t, slug, &v, today));
    }
    Ok(render(&DashboardPage {
        intro: t.fmt(
            "coaching.dashboard_intro",
            &[&d.supported.to_string(), &d.late.len().to_string()],
        ),
        late: d
            .late
            .iter()
            .map(|f| LateRow {
                name: format!("{} {}", f.person.last_name, f.person.first_name),
                href: paths::person(slug, f.person.person_id),
                last: f
                    .follow_up
                    .last_held
                    .map_or_else(|| t.get("coaching.never").to_owned(), view::date),
                due: view::date(f.follow_up.next_due),
                this_year: format!(
                    "{}/{}",
                    f.follow_up.held_this_year, f.follow_up.due_per_year
                ),
                referent: f
                    .person
                    .referent_name
                    .clone()
                    .unwrap_or_else(|| t.get("people.no_referent").to_owned()),
                plan: format!(
                    "{}?person={}",
                    paths::new_appointment(slug),
                    f.person.person_id
                ),
            })
            .collect(),
        no_referent: d
            .no_referent
            .iter()
            .map(|p| PersonRow {
                name: format!("{} {}", p.last_name, p.first_name),
                href: paths::person(slug, p.person_id),
            })
            .collect(),
        deadlines: d
            .deadlines
            .iter()
            .take(10)
            .map(|x| DeadlineRow {
                name: format!("{} {}", x.person.last_name, x.person.first_name),
                href: paths::person(slug, x.person.person_id),
                what: t.get(&format!("deadline.{}", x.what.code())).to_owned(),
                on: view::date(x.on),
            })
            .collect(),
        deadlines_href: paths::deadlines(slug),
        upcoming,
        new_href: paths::new_appointment(slug),
        agenda_href: paths::appointments(slug),
        topics_href: paths::coaching_topics(slug),
        grid_href: paths::competence_grid(slug),
        report_href: format!("{}/report", paths::coaching(slug)),
        l: page.layout,
    }))
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct AgendaQuery {
    pub from: String,
    pub to: String,
    /// `all` for every coach's appointments; the signed-in coach's otherwise.
    pub coach: String,
}

#[derive(Template)]
#[template(path = "coaching/agenda.html")]
pub struct AgendaPage {
    pub l: Layout,
    pub q: AgendaQuery,
    pub errors: Errors,
    pub rows: Vec<AppointmentRow>,
    pub new_href: String,
}

pub async fn agenda(Ctx { app, coop, page }: Ctx, Query(q): Query<AgendaQuery>) -> PageResult {
    let t = page.layout.t;
    let today = app.clock.today();
    let mut e = essaim_domain::FieldErrors::new();
    let date = |e: &mut essaim_domain::FieldErrors, field: &'static str, v: &str| {
        e.check(field, essaim_domain::person::parse_optional_date(v))
            .flatten()
    };
    let from = date(&mut e, "from", &q.from).or(if q.from.is_empty() {
        Some(today - time::Duration::days(30))
    } else {
        None
    });
    let to = date(&mut e, "to", &q.to);
    let filter = essaim_app::coaching::AgendaFilter {
        coach: (q.coach != "all").then(|| coop.user().id),
        from,
        to,
    };
    let rows = coaching::agenda_views(&app, &coop, &filter).await?;
    Ok(render(&AgendaPage {
        rows: rows
            .iter()
            .map(|v| row_of(t, &coop.slug, v, today))
            .collect(),
        errors: Errors::from(&e, t),
        new_href: paths::new_appointment(&coop.slug),
        q,
        l: page.layout,
    }))
}

pub struct TopicField {
    pub index: usize,
    pub code: String,
    pub label: String,
    pub active: bool,
    pub fixed: bool,
    pub code_error: String,
    pub label_error: String,
}

#[derive(Template)]
#[template(path = "coaching/topics.html")]
pub struct TopicsPage {
    pub l: Layout,
    pub rows: Vec<TopicField>,
    pub errors: Errors,
    pub action: String,
    pub message: Option<String>,
}

async fn topics_page(
    app: &App,
    page: &Page,
    coop: &CoopActor,
    typed: Option<Vec<TopicInput>>,
    errors: Errors,
    message: Option<String>,
) -> PageResult {
    coop.require(essaim_domain::access::Permission::CoachingManage)?;
    let saved = coaching::topics(app, coop).await?;
    let rows: Vec<TopicInput> = typed.unwrap_or_else(|| {
        saved
            .iter()
            .map(|t| TopicInput {
                code: t.code.clone(),
                label: t.label.clone(),
                active: t.active,
            })
            .chain((0..3).map(|_| TopicInput::default()))
            .collect()
    });
    Ok(render(&TopicsPage {
        rows: rows
            .iter()
            .enumerate()
            .map(|(i, r)| TopicField {
                index: i,
                fixed: saved.iter().any(|s| s.code == r.code),
                code: r.code.clone(),
                label: r.label.clone(),
                active: r.active,
                code_error: errors.get(&format!("lines[{i}].code")).to_owned(),
                label_error: errors.get(&format!("lines[{i}].label")).to_owned(),
            })
            .collect(),
        errors,
        action: paths::coaching_topics(&coop.slug),
        message,
        l: page.layout.clone(),
    }))
}

pub async fn topics(Ctx { app, coop, page }: Ctx) -> PageResult {
    topics_page(&app, &page, &coop, None, Errors::default(), None).await
}

pub async fn save_topics(
    Ctx { app, coop, page }: Ctx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let one = |k: String| {
        pairs
            .iter()
            .find(|(n, _)| *n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let n = pairs
        .iter()
        .filter_map(|(k, _)| {
            k.strip_prefix('t')
                .and_then(|r| r.split_once('.'))
                .and_then(|(n, _)| n.parse::<usize>().ok())
        })
        .max()
        .map_or(0, |n| (n + 1).min(100));
    let rows: Vec<TopicInput> = (0..n)
        .map(|i| TopicInput {
            code: one(format!("t{i}.code")),
            label: one(format!("t{i}.label")),
            active: one(format!("t{i}.active")) == "1",
        })
        .collect();
    let outcome = coaching::save_topics(&app, &coop, &rows).await;
    let t = page.layout.t;
    forms::stay(&page, outcome, async |shown| match shown {
        Ok(()) => {
            topics_page(
                &app,
                &page,
                &coop,
                None,
                Errors::default(),
                Some(t.get("coaching.topics_saved").to_owned()),
            )
            .await
        }
        Err(errors) => topics_page(&app, &page, &coop, Some(rows.clone()), errors, None).await,
    })
    .await
}
