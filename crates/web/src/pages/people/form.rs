//! People: the form of a person's identity and situation.

use super::*;

/// The person form: who the person is, and who follows them.
pub type PersonForm = forms::WithReferent<PersonInput>;

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
    app: &App,
    page: &Page,
    coop: &CoopActor,
    (heading, action): (String, String),
    f: PersonForm,
    errors: Errors,
) -> PageResult {
    let t = page.layout.t;
    let items = people::lists(app, coop).await?;
    let referents = people::referents(app, coop).await?;
    Ok(render(&PersonFormPage {
        genders: Gender::ALL
            .iter()
            .map(|g| {
                Choice::new(
                    g.code(),
                    t.get(&format!("gender.{}", g.code())),
                    f.gender == g.code(),
                )
            })
            .collect(),
        situations: choices(&items, RefList::Situation, &f.situation),
        prescribers: choices(&items, RefList::Prescriber, &f.prescriber),
        educations: choices(&items, RefList::Education, &f.education),
        antennas: choices(&items, RefList::Antenna, &f.antenna),
        referents: crate::view::people_choices(&referents, &f.referent),
        heading,
        action,
        f,
        errors,
        l: page.layout.clone(),
    }))
}

/// The heading and the address of the form of a new person.
fn new_screen(coop: &CoopActor, page: &Page) -> (String, String) {
    let heading = page.layout.t.get("people.new_heading").into();
    (heading, paths::people(&coop.slug))
}

pub async fn new(Ctx { app, coop, page }: Ctx) -> PageResult {
    let f = PersonForm {
        input: PersonInput {
            gender: "undisclosed".into(),
            ..Default::default()
        },
        referent: coop.user().id.get().to_string(),
    };
    let screen = new_screen(&coop, &page);
    form_page(&app, &page, &coop, screen, f, Errors::default()).await
}

pub async fn create(Ctx { app, coop, page }: Ctx, Form(f): Form<PersonForm>) -> PageResult {
    let outcome = people::create(&app, &coop, &f.input, f.referent_id()).await;
    let to = |id: PersonId| paths::person(&coop.slug, id.get());
    forms::submit(&page, outcome, to, async |errors| {
        let screen = new_screen(&coop, &page);
        form_page(&app, &page, &coop, screen, f, errors).await
    })
    .await
}

pub async fn edit(Ctx { app, coop, page }: Ctx, Id(id): Id<PersonId>) -> PageResult {
    let file = people::show(&app, &coop, id).await?;
    let d = &file.record.details;
    let input = PersonInput {
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
        qpv: d.qpv,
        rural: d.rural,
        naf: d.naf.clone().unwrap_or_default(),
    };
    let referent = file.record.referent.as_ref();
    let referent = referent
        .map(|(id, _)| id.get().to_string())
        .unwrap_or_default();
    let f = PersonForm { input, referent };
    let screen = (d.full_name(), paths::person(&coop.slug, id.get()));
    form_page(&app, &page, &coop, screen, f, Errors::default()).await
}

pub async fn update(
    Ctx { app, coop, page }: Ctx,
    Id(id): Id<PersonId>,
    Form(f): Form<PersonForm>,
) -> PageResult {
    let outcome = people::update(&app, &coop, id, &f.input, f.referent_id()).await;
    let to = |()| paths::person(&coop.slug, id.get());
    forms::submit(&page, outcome, to, async |errors| {
        let heading = format!("{} {}", f.first_name, f.last_name);
        let screen = (heading, paths::person(&coop.slug, id.get()));
        form_page(&app, &page, &coop, screen, f, errors).await
    })
    .await
}
