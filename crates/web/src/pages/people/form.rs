//! People: the form of a person's identity and situation.

use super::*;

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct PersonForm {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
    pub address: String,
    pub postcode: String,
    pub commune: String,
    pub birth_date: String,
    pub gender: String,
    pub situation: String,
    pub prescriber: String,
    pub education: String,
    pub antenna: String,
    pub qpv: Option<String>,
    pub rural: Option<String>,
    pub naf: String,
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
    }))
}

/// The heading and the address of the form of a new person.
fn new_screen(coop: &CoopActor, page: &Page) -> (String, String) {
    let heading = page.layout.t.get("people.new_heading").into();
    (heading, paths::people(&coop.slug))
}

pub async fn new(Ctx { app, coop, page }: Ctx) -> PageResult {
    let f = PersonForm {
        gender: "undisclosed".into(),
        referent: coop.user().id.get().to_string(),
        ..Default::default()
    };
    let screen = new_screen(&coop, &page);
    form_page(&app, &page, &coop, screen, f, Errors::default()).await
}

pub async fn create(Ctx { app, coop, page }: Ctx, Form(f): Form<PersonForm>) -> PageResult {
    let outcome = people::create(&app, &coop, &f.input(), f.referent()).await;
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
    let screen = (d.full_name(), paths::person(&coop.slug, id.get()));
    form_page(&app, &page, &coop, screen, f, Errors::default()).await
}

pub async fn update(
    Ctx { app, coop, page }: Ctx,
    Id(id): Id<PersonId>,
    Form(f): Form<PersonForm>,
) -> PageResult {
    let outcome = people::update(&app, &coop, id, &f.input(), f.referent()).await;
    let to = |()| paths::person(&coop.slug, id.get());
    forms::submit(&page, outcome, to, async |errors| {
        let heading = format!("{} {}", f.first_name, f.last_name);
        let screen = (heading, paths::person(&coop.slug, id.get()));
        form_page(&app, &page, &coop, screen, f, errors).await
    })
    .await
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
