//! The contribution's policies (PAY-10): the cooperative's and each activity's override, dated;
//! a version in force is kept as it is, a new one is added.

use crate::pages::prelude::*;
use crate::view::{date, money};
use essaim_app::payroll::policies::{self, PolicyVersion};
use essaim_domain::ids::ActivityId;
use essaim_domain::payroll::contribution::PolicyInput;
use essaim_domain::payroll::planner::PlannerPolicyInput;

pub struct VersionRow {
    pub scope: String,
    pub valid_from: String,
    pub base: String,
    pub rates: String,
    pub exemption: String,
    pub fee: String,
    pub minimum: String,
    pub in_force: bool,
    pub delete_href: String,
}

#[derive(Template)]
#[template(path = "payroll/contribution.html")]
pub struct ContributionPage {
    pub l: Layout,
    pub versions: Vec<VersionRow>,
    pub f: PolicyInput,
    pub activities: Vec<Choice>,
    pub bases: Vec<Choice>,
    /// The pay planner's reserve and tolerance (PAY-21, PAY-24).
    pub planner: PlannerPolicyInput,
    pub planner_action: String,
    pub errors: Errors,
    pub action: String,
    pub saved: bool,
}

/// What the page shows in its two forms: as typed after a refusal, or as stored.
#[derive(Default)]
struct Shown {
    policy: ContributionForm,
    /// `None`: the cooperative's current policy.
    planner: Option<PlannerPolicyInput>,
    errors: Errors,
    saved: bool,
}

/// The form: a policy, and the activity it overrides for (empty: the whole cooperative).
#[derive(Clone, Debug, Default, Deserialize)]
pub struct ContributionForm {
    #[serde(flatten)]
    pub policy: PolicyInput,
    #[serde(default)]
    pub activity: String,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct SavedQuery {
    pub saved: String,
}

fn rate_text(p: &essaim_domain::payroll::contribution::Policy, t: crate::i18n::Tr) -> String {
    p.bands
        .iter()
        .map(|b| {
            let rate = format!(
                "{} %",
                (b.rate * rust_decimal::Decimal::ONE_HUNDRED).normalize()
            )
            .replace('.', ",");
            match b.up_to {
                Some(l) => t.fmt("account.band_up_to", &[&rate, &money(l)]),
                None => rate,
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

async fn page_of(app: &App, page: &Page, coop: &CoopActor, shown: Shown) -> PageResult {
    let Shown {
        policy: form,
        planner,
        errors,
        saved,
    } = shown;
    let planner = match planner {
        Some(p) => p,
        None => PlannerPolicyInput::of(&essaim_app::payroll::planner(app, coop).await?),
    };
    let t = page.layout.t;
    let versions: Vec<PolicyVersion> = policies::list(app, coop).await?;
    let names = essaim_app::activities::names(app, coop).await?;
    let rows = versions
        .iter()
        .map(|v| VersionRow {
            scope: v.activity.as_ref().map_or_else(
                || t.get("contribution.whole").to_string(),
                |(_, n)| n.clone(),
            ),
            valid_from: date(v.policy.valid_from),
            base: t
                .get(&format!("contribution.base.{}", v.policy.base.code()))
                .to_string(),
            rates: rate_text(&v.policy, t),
            exemption: v.policy.exemption_months.to_string(),
            fee: v.policy.monthly_fee.format_fr(),
            minimum: v.policy.yearly_minimum.format_fr(),
            in_force: v.in_force,
            delete_href: paths::contribution_policy_delete(&coop.slug, v.id),
        })
        .collect();
    let activities = names
        .iter()
        .map(|(id, name)| {
            Choice::new(
                id.to_string(),
                name.clone(),
                form.activity == id.to_string(),
            )
        })
        .collect();
    let bases = ["invoiced_ht", "collected_ht", "gross_margin"]
        .into_iter()
        .map(|b| {
            Choice::new(
                b,
                t.get(&format!("contribution.base.{b}")),
                form.policy.base == b,
            )
        })
        .collect();
    Ok(render(&ContributionPage {
        versions: rows,
        f: form.policy,
        activities,
        bases,
        planner,
        planner_action: paths::pay_planner_settings(&coop.slug),
        errors,
        action: paths::contribution_settings(&coop.slug),
        saved,
        l: page.layout.clone(),
    }))
}

pub async fn settings(Ctx { app, coop, page }: Ctx, Query(q): Query<SavedQuery>) -> PageResult {
    let shown = Shown {
        saved: !q.saved.is_empty(),
        ..Shown::default()
    };
    page_of(&app, &page, &coop, shown).await
}

fn saved(coop: &CoopActor) -> String {
    format!("{}?saved=1", paths::contribution_settings(&coop.slug))
}

pub async fn add(Ctx { app, coop, page }: Ctx, Form(f): Form<ContributionForm>) -> PageResult {
    let activity = match f.activity.trim() {
        "" => Ok(None),
        s => s
            .parse::<i64>()
            .map(|a| Some(ActivityId::new(a)))
            .map_err(|_| AppError::field("activity", "choice_unknown")),
    };
    let outcome = match activity {
        Ok(a) => policies::add(&app, &coop, a, &f.policy).await,
        Err(e) => Err(e),
    };
    forms::submit(
        &page,
        outcome,
        |_| saved(&coop),
        async |errors| {
            let shown = Shown {
                policy: f,
                errors,
                ..Shown::default()
            };
            page_of(&app, &page, &coop, shown).await
        },
    )
    .await
}

/// The pay planner's reserve and tolerance.
pub async fn save_planner(
    Ctx { app, coop, page }: Ctx,
    Form(f): Form<PlannerPolicyInput>,
) -> PageResult {
    let outcome = essaim_app::payroll::save_planner(&app, &coop, &f).await;
    forms::submit(
        &page,
        outcome,
        |_| saved(&coop),
        async |errors| {
            let shown = Shown {
                planner: Some(f),
                errors,
                ..Shown::default()
            };
            page_of(&app, &page, &coop, shown).await
        },
    )
    .await
}

pub async fn remove(
    Ctx { app, coop, page }: Ctx,
    Path((_, id)): Path<(String, i64)>,
) -> PageResult {
    let outcome = policies::remove(&app, &coop, id).await;
    forms::submit(
        &page,
        outcome,
        |_| saved(&coop),
        async |errors| {
            let shown = Shown {
                errors,
                ..Shown::default()
            };
            page_of(&app, &page, &coop, shown).await
        },
    )
    .await
}
