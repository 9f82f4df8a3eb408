//! Where a person lands: the list of their cooperatives, then a home page for their main role
//! that says what waits for them (issue 19).

mod blocks;

use crate::pages::prelude::*;
use crate::state::AppState;
use axum::extract::State;
use blocks::Block;
use essaim_app::records::AuditFilter;
use essaim_app::{audit, cooperatives, jobs, members};
use essaim_domain::access::{Permission, RoleKind, home_kind};

pub struct CoopLink {
    pub name: String,
    pub href: String,
    pub roles: String,
}

#[derive(Template)]
#[template(path = "home/choose.html")]
pub struct ChoosePage {
    pub l: Layout,
    pub coops: Vec<CoopLink>,
    pub host_admin: bool,
}

/// `/`: straight to the only cooperative, or a list to choose from.
pub async fn choose(State(AppState { app, .. }): State<AppState>, page: Page) -> PageResult {
    let actor = page.actor()?.clone();
    let mine = cooperatives::mine(&app, &actor).await?;
    if mine.len() == 1 && !actor.user.is_host_admin {
        return Ok(Redirect::to(&paths::coop_home(&mine[0].slug)).into_response());
    }
    let t = page.layout.t;
    let coops = mine
        .iter()
        .map(|c| CoopLink {
            name: c.legal_name.clone(),
            href: paths::coop_home(&c.slug),
            roles: c
                .kinds
                .iter()
                .map(|k| t.get(&format!("role.{}", k.code())).to_owned())
                .collect::<Vec<_>>()
                .join(", "),
        })
        .collect();
    Ok(render(&ChoosePage {
        l: page.layout,
        coops,
        host_admin: actor.user.is_host_admin,
    }))
}

pub struct CountView {
    pub label: String,
    pub count: i64,
}

pub struct AuditLine {
    pub at: String,
    pub who: String,
    pub action: String,
}

/// One of the entrepreneur's activities, in plain words (issue 6, point 6).
pub struct PayCard {
    pub name: String,
    pub available: String,
    pub negative: bool,
    pub forecast: Option<String>,
    pub alert: bool,
    /// What to do next, in a sentence.
    pub next: String,
    pub href: String,
}

#[derive(Template)]
#[template(path = "home/show.html")]
pub struct HomePage {
    /// What waits: the set-up checklist, the support team's queues, the entrepreneur's to-do.
    pub todo: Vec<Block>,
    /// One block per activity of the entrepreneur.
    pub activities: Vec<Block>,
    /// A member's view of the cooperative: how many people hold each role.
    pub figures: Vec<CountView>,
    pub directory_href: String,
    pub pay: Vec<PayCard>,
    pub last_payslip: Option<String>,
    pub l: Layout,
    pub heading: String,
    pub intro: String,
    pub roles: String,
    pub identity: Vec<(String, String)>,
    pub member_counts: Vec<CountView>,
    pub members_href: Option<String>,
    pub job_counts: Vec<CountView>,
    pub jobs_href: Option<String>,
    pub recent: Vec<AuditLine>,
    pub audit_href: Option<String>,
    pub my_file_href: Option<String>,
}

/// `/c/{coop}`: the home page of the person's main role in the cooperative.
pub async fn show(Ctx { app, coop, page }: Ctx) -> PageResult {
    let t = page.layout.t;
    let kind = home_kind(&coop.kinds).unwrap_or(RoleKind::Member);
    let home_key = match kind {
        RoleKind::Administrator => "administrator",
        k if k.is_support() => "support",
        RoleKind::Entrepreneur => "entrepreneur",
        RoleKind::ReadOnly => "read_only",
        _ => "member",
    };
    let record = cooperatives::show(&app, &coop).await?;
    let id = &record.identity;
    let identity = vec![
        (t.get("coop.legal_name").to_owned(), id.legal_name.clone()),
        (
            t.get("coop.legal_form").to_owned(),
            id.legal_form.printed().to_owned(),
        ),
        (t.get("coop.siret").to_owned(), id.siret.as_str().to_owned()),
        (
            t.get("coop.vat_number").to_owned(),
            id.vat_number.as_str().to_owned(),
        ),
        (
            t.get("coop.address").to_owned(),
            format!(
                "{}, {} {}",
                id.address.line1, id.address.postcode, id.address.city
            ),
        ),
    ];
    let mut member_counts = Vec::new();
    if coop.may(Permission::MemberRead) {
        member_counts = members::counts(&app, &coop)
            .await?
            .into_iter()
            .map(|(k, n)| CountView {
                label: t.get(&format!("role.{}", k.code())).to_owned(),
                count: n,
            })
            .collect();
    }
    let mut job_counts = Vec::new();
    if coop.may(Permission::JobManage) {
        job_counts = jobs::list(&app, &coop, None)
            .await?
            .1
            .into_iter()
            .map(|(s, n)| CountView {
                label: t.get(&format!("job.status.{s}")).to_owned(),
                count: n,
            })
            .collect();
    }
    let mut recent = Vec::new();
    if coop.may(Permission::AuditRead) {
        recent = audit::list(&app, &coop, &AuditFilter::default(), 5)
            .await?
            .into_iter()
            .map(|r| AuditLine {
                at: view::datetime(r.at),
                who: r
                    .actor_name
                    .unwrap_or_else(|| t.get("audit.system").to_owned()),
                action: r.action,
            })
            .collect();
    }
    let roles = coop
        .kinds
        .iter()
        .map(|k| t.get(&format!("role.{}", k.code())).to_owned())
        .collect::<Vec<_>>()
        .join(", ");
    let heading = t.fmt(
        &format!("home.{home_key}.heading"),
        &[&page.layout.user_name.clone().unwrap_or_default()],
    );
    let intro = t.get(&format!("home.{home_key}.intro")).to_owned();
    let slug = coop.slug.clone();
    let mine = essaim_app::people::mine(&app, &coop).await?;
    let my_file_href = mine.map(|_| paths::my_file(&slug));
    // The page's heavy parts read in parallel: the pay figures, what waits for the role, the
    // set-up checklist.
    let is_entrepreneur = kind == RoleKind::Entrepreneur;
    let may_settings = coop.may(Permission::CooperativeSettings);
    let (pay_home, own_home, support_home, setup_steps) = tokio::try_join!(
        essaim_app::payroll::account::home(&app, &coop),
        async {
            if is_entrepreneur {
                essaim_app::home::entrepreneur(&app, &coop).await.map(Some)
            } else {
                Ok(None)
            }
        },
        async {
            if is_entrepreneur {
                Ok(None)
            } else {
                essaim_app::home::support(&app, &coop).await.map(Some)
            }
        },
        async {
            if may_settings {
                essaim_app::home::setup(&app, &coop).await.map(Some)
            } else {
                Ok(None)
            }
        },
    )?;
    let last_payslip =
        pay_home
            .as_ref()
            .and_then(|h| h.last_payslip.as_ref())
            .map(|(m, gross, net)| {
                let label = essaim_domain::spending::report::ReportMonth::parse(m)
                    .map(|rm| view::month(t, rm.year, rm.month))
                    .unwrap_or_else(|_| m.clone());
                t.fmt(
                    "home.pay.last_payslip",
                    &[&label, &view::money(*net), &view::money(*gross)],
                )
            });
    let pay = pay_home
        .map(|h| h.activities)
        .unwrap_or_default()
        .iter()
        .map(|a| {
            let available = a.statement.realised.available.cents();
            let alert = a.alert;
            let next = if alert {
                t.get("home.pay.next_alert").to_owned()
            } else if let Some(s) = &a.suggested {
                t.fmt(
                    "home.pay.next_salary",
                    &[
                        &s.gross_money().format_fr(),
                        &s.net_before_income_tax().format_fr(),
                    ],
                )
            } else {
                t.get("home.pay.next_none").to_owned()
            };
            PayCard {
                name: a.activity.details.name.clone(),
                available: view::money(available),
                negative: available < 0,
                forecast: a.forecast.map(|f| view::money(f.available().cents())),
                alert,
                next,
                href: paths::activity_account(&slug, a.activity.id.get()),
            }
        })
        .collect();
    let mut todo = Vec::new();
    if let Some(steps) = setup_steps {
        todo.extend(blocks::setup(t, &slug, &steps));
    }
    let mut activities = Vec::new();
    if let Some(h) = own_home {
        let my_file = my_file_href.as_deref();
        todo.extend(blocks::own(t, &slug, &h, my_file));
        activities = blocks::activities(t, &slug, &h);
    }
    if let Some(h) = support_home {
        todo.extend(blocks::support(t, &slug, coop.user().id, &h));
    }
    let figures = if matches!(kind, RoleKind::Member | RoleKind::ReadOnly) {
        essaim_app::home::cooperative_figures(&app, &coop)
            .await?
            .into_iter()
            .map(|(k, n)| CountView {
                label: t.get(&format!("home.figures.{}", k.code())).to_owned(),
                count: n,
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(render(&HomePage {
        todo,
        activities,
        figures,
        directory_href: paths::directory(&slug),
        pay,
        last_payslip,
        my_file_href,
        l: page.layout,
        heading,
        intro,
        roles,
        identity,
        members_href: coop
            .may(Permission::MemberRead)
            .then(|| paths::members(&slug)),
        member_counts,
        jobs_href: coop.may(Permission::JobManage).then(|| paths::jobs(&slug)),
        job_counts,
        audit_href: coop.may(Permission::AuditRead).then(|| paths::audit(&slug)),
        recent,
    }))
}
