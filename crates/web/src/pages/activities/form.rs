//! Activities: the form of an activity.

use super::*;

/// The activity form: what the activity is, and who follows it.
pub type ActivityForm = forms::WithReferent<ActivityInput>;

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
        referents: crate::view::people_choices(&referents, &f.referent),
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
    let input = ActivityInput {
        start_on: app.clock.today().to_string(),
        ..Default::default()
    };
    let f = ActivityForm {
        input,
        referent: String::new(),
    };
    let screen = new_screen(&coop, &page);
    form_page(&app, &page, &coop, screen, f, Errors::default()).await
}

pub async fn create(Ctx { app, coop, page }: Ctx, Form(f): Form<ActivityForm>) -> PageResult {
    let outcome = activities::create(&app, &coop, &f.input, f.referent_id()).await;
    let to = |id: ActivityId| paths::activity(&coop.slug, id.get());
    forms::submit(&page, outcome, to, async |errors| {
        let screen = new_screen(&coop, &page);
        form_page(&app, &page, &coop, screen, f, errors).await
    })
    .await
}

pub async fn edit(Ctx { app, coop, page }: Ctx, Id(id): Id<ActivityId>) -> PageResult {
    let a = activities::show(&app, &coop, id).await?;
    let input = ActivityInput {
        name: a.details.name.clone(),
        description: a.details.description.clone().unwrap_or_default(),
        naf: a.details.naf.clone().unwrap_or_default(),
        analytic_code: a.details.analytic_code.clone(),
        start_on: a.details.start_on.to_string(),
        end_on: a.details.end_on.map(|d| d.to_string()).unwrap_or_default(),
    };
    let referent = a.referent.as_ref().map(|(u, _)| u.get().to_string());
    let f = ActivityForm {
        input,
        referent: referent.unwrap_or_default(),
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
    let outcome = activities::update(&app, &coop, id, &f.input, f.referent_id()).await;
    let to = |()| paths::activity(&coop.slug, id.get());
    forms::submit(&page, outcome, to, async |errors| {
        let screen = (f.name.clone(), paths::activity(&coop.slug, id.get()));
        form_page(&app, &page, &coop, screen, f, errors).await
    })
    .await
}
