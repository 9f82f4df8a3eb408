//! People: the form of a person's identity and situation.

use super::*;

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
