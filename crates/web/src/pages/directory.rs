//! The directory: browse listed profiles, write to someone, edit one's own profile.

use crate::pages::prelude::*;
use essaim_app::directory;
use essaim_app::records::DirectoryFilter;
use essaim_domain::directory::ProfileInput;
use essaim_domain::ids::UserId;

pub struct EntryView {
    pub name: String,
    pub headline: String,
    pub offer: String,
    pub tags: Vec<String>,
    pub territory: String,
    pub naf: String,
    pub activities: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub contact_action: String,
    pub field_id: String,
    pub is_me: bool,
}

#[derive(Template)]
#[template(path = "directory/list.html")]
pub struct DirectoryPage {
    pub l: Layout,
    pub entries: Vec<EntryView>,
    pub tags: Vec<String>,
    pub q: DirectoryQuery,
    pub me_href: String,
    pub notice: String,
    pub errors: Errors,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct DirectoryQuery {
    pub q: String,
    pub tag: String,
    pub naf: String,
    pub territory: String,
}

async fn page_of(
    app: &App,
    page: &Page,
    coop: &CoopActor,
    q: DirectoryQuery,
    notice: String,
    errors: Errors,
) -> Result<DirectoryPage, AppError> {
    let filter = DirectoryFilter {
        search: Some(q.q.clone()),
        tag: Some(q.tag.clone()),
        naf: Some(q.naf.clone()),
        territory: Some(q.territory.clone()),
    };
    let (listings, tags) = directory::list(app, coop, &filter).await?;
    Ok(DirectoryPage {
        entries: listings
            .into_iter()
            .map(|l| EntryView {
                is_me: l.entry.user_id == coop.user().id,
                contact_action: paths::directory_contact(&coop.slug, l.entry.user_id.get()),
                field_id: format!("msg-{}", l.entry.user_id.get()),
                name: l.entry.name,
                headline: l.entry.profile.headline.unwrap_or_default(),
                offer: l.entry.profile.offer.unwrap_or_default(),
                tags: l.entry.profile.tags,
                territory: l.entry.profile.territory.unwrap_or_default(),
                naf: l.entry.profile.naf.unwrap_or_default(),
                activities: l.activities.join(", "),
                email: l.entry.email,
                phone: l.entry.phone,
            })
            .collect(),
        tags,
        q,
        me_href: paths::my_profile(&coop.slug),
        notice,
        errors,
        l: page.layout.clone(),
    })
}

pub async fn list(Ctx { app, coop, page }: Ctx, Query(q): Query<DirectoryQuery>) -> PageResult {
    let p = page_of(&app, &page, &coop, q, String::new(), Errors::default()).await?;
    Ok(render(&p))
}

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct ContactForm {
    message: String,
}

pub async fn contact(
    Ctx { app, coop, page }: Ctx,
    Path((_, user)): Path<(String, i64)>,
    Form(f): Form<ContactForm>,
) -> PageResult {
    let t = page.layout.t;
    let outcome = directory::contact(&app, &coop, UserId::new(user), &f.message).await;
    forms::stay(&page, outcome, async |shown| {
        let (notice, errors) = match shown {
            Ok(()) => (t.get("directory.sent").to_owned(), Errors::default()),
            Err(mut errors) => {
                // Each person has their own message field.
                if let Some(m) = errors.0.remove("message") {
                    errors.0.insert(format!("msg-{user}"), m);
                }
                (String::new(), errors)
            }
        };
        let q = DirectoryQuery::default();
        Ok(render(
            &page_of(&app, &page, &coop, q, notice, errors).await?,
        ))
    })
    .await
}

#[derive(Template)]
#[template(path = "directory/profile.html")]
pub struct ProfilePage {
    pub l: Layout,
    pub f: ProfileInput,
    pub errors: Errors,
    pub action: String,
}

fn profile_page(page: &Page, coop: &CoopActor, f: ProfileInput, errors: Errors) -> Response {
    render(&ProfilePage {
        f,
        errors,
        action: paths::my_profile(&coop.slug),
        l: page.layout.clone(),
    })
}

pub async fn my_profile(Ctx { app, coop, page }: Ctx) -> PageResult {
    let p = directory::my_profile(&app, &coop).await?;
    let f = ProfileInput {
        headline: p.headline.unwrap_or_default(),
        offer: p.offer.unwrap_or_default(),
        tags: p.tags.join(", "),
        territory: p.territory.unwrap_or_default(),
        naf: p.naf.unwrap_or_default(),
        phone: p.phone.unwrap_or_default(),
        listed: p.listed,
        show_email: p.show_email,
        show_phone: p.show_phone,
    };
    Ok(profile_page(&page, &coop, f, Errors::default()))
}

pub async fn save_profile(Ctx { app, coop, page }: Ctx, Form(f): Form<ProfileInput>) -> PageResult {
    let outcome = directory::save_profile(&app, &coop, &f).await;
    forms::submit(
        &page,
        outcome,
        |()| paths::directory(&coop.slug),
        async |errors| Ok(profile_page(&page, &coop, f, errors)),
    )
    .await
}
