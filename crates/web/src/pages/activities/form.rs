//! Activities: the form of an activity.

use super::*;

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct ActivityForm {
    pub name: String,
    pub description: String,
    pub naf: String,
    pub analytic_code: String,
    pub start_on: String,
    pub end_on: String,
    pub referent: String,
}

impl ActivityForm {
    fn input(&self) -> ActivityInput {
        ActivityInput {
            name: self.name.clone(),
            description: self.description.clone(),
            naf: self.naf.clone(),
            analytic_code: self.analytic_code.clone(),
            start_on: self.start_on.clone(),
            end_on: self.end_on.clone(),
        }
    }
    fn referent(&self) -> Option<UserId> {
        self.referent.parse().ok().map(UserId::new)
    }
}

#[derive(Template)]
#[template(path = "activities/form.html")]
pub struct ActivityFormPage {
    pub l: Layout,
    pub heading: String,
    pub action: String,
    pub f: ActivityForm,
    pub errors: Errors,
    pub referents: Vec<Choice>,
}

async fn form_page(
    app: &App,
    page: &Page,
    coop: &CoopActor,
    (heading, action): (String, String),
    f: ActivityForm,
    errors: Errors,
) -> PageResult {
    let referents = people::referents(app, coop).await.unwrap_or_default();
    Ok(render(&ActivityFormPage {
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
    }))
}

/// The heading and the address of the form of a new activity.
fn new_screen(coop: &CoopActor, page: &Page) -> (String, String) {
    let heading = page.layout.t.get("activities.new").into();
    (heading, paths::activities(&coop.slug))
}

pub async fn new(Ctx { app, coop, page }: Ctx) -> PageResult {
    let f = ActivityForm {
        start_on: app.clock.today().to_string(),
        ..Default::default()
    };
    let screen = new_screen(&coop, &page);
    form_page(&app, &page, &coop, screen, f, Errors::default()).await
}

pub async fn create(Ctx { app, coop, page }: Ctx, Form(f): Form<ActivityForm>) -> PageResult {
    let outcome = activities::create(&app, &coop, &f.input(), f.referent()).await;
    let to = |id: ActivityId| paths::activity(&coop.slug, id.get());
    forms::submit(&page, outcome, to, async |errors| {
        let screen = new_screen(&coop, &page);
        form_page(&app, &page, &coop, screen, f, errors).await
    })
    .await
}

pub async fn edit(Ctx { app, coop, page }: Ctx, Id(id): Id<ActivityId>) -> PageResult {
    let a = activities::show(&app, &coop, id).await?;
    let f = ActivityForm {
        name: a.details.name.clone(),
        description: a.details.description.clone().unwrap_or_default(),
        naf: a.details.naf.clone().unwrap_or_default(),
        analytic_code: a.details.analytic_code.clone(),
        start_on: a.details.start_on.to_string(),
        end_on: a.details.end_on.map(|d| d.to_string()).unwrap_or_default(),
        referent: a
            .referent
            .as_ref()
            .map(|(u, _)| u.get().to_string())
            .unwrap_or_default(),
    };
    let screen = (
        a.details.name.clone(),
        paths::activity(&coop.slug, id.get()),
    );
    form_page(&app, &page, &coop, screen, f, Errors::default()).await
}

pub async fn update(
    Ctx { app, coop, page }: Ctx,
    Id(id): Id<ActivityId>,
    Form(f): Form<ActivityForm>,
) -> PageResult {
    let outcome = activities::update(&app, &coop, id, &f.input(), f.referent()).await;
    let to = |()| paths::activity(&coop.slug, id.get());
    forms::submit(&page, outcome, to, async |errors| {
        let screen = (f.name.clone(), paths::activity(&coop.slug, id.get()));
        form_page(&app, &page, &coop, screen, f, errors).await
    })
    .await
}
