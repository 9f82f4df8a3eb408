//! Activities: the form of an activity.

use super::*;

#[derive(Clone, Debug, Default, Deserialize)]
pub struct ActivityForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub naf: String,
    #[serde(default)]
    pub analytic_code: String,
    #[serde(default)]
    pub start_on: String,
    #[serde(default)]
    pub end_on: String,
    #[serde(default)]
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
    state: &AppState,
    page: &Page,
    coop: &CoopActor,
    heading: String,
    action: String,
    f: ActivityForm,
    errors: Errors,
) -> Result<ActivityFormPage, AppError> {
    let referents = people::referents(&state.app, coop)
        .await
        .unwrap_or_default();
    Ok(ActivityFormPage {
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
    let f = ActivityForm {
        start_on: state.app.clock.today().to_string(),
        ..Default::default()
    };
    let p = form_page(
        &state,
        &page,
        &coop,
        page.layout.t.get("activities.new").into(),
        paths::activities(&coop.slug),
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
    Form(f): Form<ActivityForm>,
) -> PageResult {
    Ok(
        match activities::create(&state.app, &coop, &f.input(), f.referent()).await {
            Ok(id) => Redirect::to(&paths::activity(&coop.slug, id.get())).into_response(),
            Err(AppError::Invalid(errors)) => {
                let errors = Errors::from(&errors, page.layout.t);
                match form_page(
                    &state,
                    &page,
                    &coop,
                    page.layout.t.get("activities.new").into(),
                    paths::activities(&coop.slug),
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
    let a = activities::show(&state.app, &coop, ActivityId::new(id)).await?;
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
    let p = form_page(
        &state,
        &page,
        &coop,
        a.details.name.clone(),
        paths::activity(&coop.slug, id),
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
    Form(f): Form<ActivityForm>,
) -> PageResult {
    Ok(
        match activities::update(
            &state.app,
            &coop,
            ActivityId::new(id),
            &f.input(),
            f.referent(),
        )
        .await
        {
            Ok(()) => Redirect::to(&paths::activity(&coop.slug, id)).into_response(),
            Err(AppError::Invalid(errors)) => {
                let errors = Errors::from(&errors, page.layout.t);
                let heading = f.name.clone();
                match form_page(
                    &state,
                    &page,
                    &coop,
                    heading,
                    paths::activity(&coop.slug, id),
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
