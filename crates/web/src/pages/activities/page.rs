//! Activities: an activity's page, its entrepreneurs and their shares, its documents.

use super::*;

pub struct MemberRow {
    pub index: usize,
    pub choices: Vec<Choice>,
    pub share: String,
}

#[derive(Template)]
#[template(path = "activities/show.html")]
pub struct ActivityPage {
    pub l: Layout,
    pub docs: Vec<crate::pages::documents::DocView>,
    pub upload_action: Option<String>,
    pub doc_kinds: Vec<Choice>,
    pub document_error: String,
    pub name: String,
    pub facts: Vec<(String, String)>,
    pub members: Vec<(String, String)>,
    pub agreement: String,
    pub edit_href: Option<String>,
    /// Links to the activity's selling: quotes, invoices, catalogue (with `sale.read` on it).
    pub sales_links: Vec<(String, String)>,
    pub members_action: Option<String>,
    pub rows: Vec<MemberRow>,
    pub errors: Errors,
}

async fn activity_page(
    app: &App,
    page: &Page,
    coop: &CoopActor,
    a: &ActivityRecord,
    form: Option<(&[(String, String)], &str)>,
    errors: Errors,
) -> Result<ActivityPage, AppError> {
    let t = page.layout.t;
    let today = app.clock.today();
    let d = &a.details;
    let facts: Vec<(String, String)> = vec![
        (t.get("activities.code").into(), d.analytic_code.clone()),
        (
            t.get("activities.status").into(),
            t.get(&format!("activity_status.{}", d.status(today).code()))
                .into(),
        ),
        (t.get("activities.start").into(), date(d.start_on)),
        (
            t.get("activities.end").into(),
            d.end_on.map(date).unwrap_or_default(),
        ),
        (
            t.get("people.naf").into(),
            d.naf.clone().unwrap_or_default(),
        ),
        (
            t.get("activities.referent").into(),
            a.referent
                .as_ref()
                .map(|(_, n)| n.clone())
                .unwrap_or_default(),
        ),
        (
            t.get("activities.description").into(),
            d.description.clone().unwrap_or_default(),
        ),
        (
            t.get("activities.einvoice_address").into(),
            essaim_app::einvoicing::directory::activity_address(app, coop, &d.analytic_code)
                .await?,
        ),
    ]
    .into_iter()
    .filter(|(_, v)| !v.is_empty())
    .collect();
    let manage = coop.may(Permission::ActivityManage);
    let mut rows = Vec::new();
    if manage {
        let entrepreneurs = activities::entrepreneurs(app, coop).await?;
        let current: Vec<(String, String)> = match form {
            Some((pairs, _)) => pairs.to_vec(),
            None => a
                .members
                .iter()
                .map(|(u, _, s)| {
                    (
                        u.get().to_string(),
                        format_share(*s).trim_end_matches(" %").to_owned(),
                    )
                })
                .collect(),
        };
        let n = current.len() + 2;
        for i in 0..n {
            let (user, share) = current.get(i).cloned().unwrap_or_default();
            rows.push(MemberRow {
                index: i,
                choices: entrepreneurs
                    .iter()
                    .map(|(id, name)| {
                        Choice::new(
                            id.get().to_string(),
                            name.clone(),
                            id.get().to_string() == user,
                        )
                    })
                    .collect(),
                share,
            });
        }
    }
    let docs =
        essaim_app::documents::list(app, coop, essaim_app::records::Owner::Activity(a.id)).await?;
    Ok(ActivityPage {
        docs: crate::pages::documents::views(t, &coop.slug, &docs, today),
        upload_action: manage.then(|| paths::activity_documents(&coop.slug, a.id.get())),
        doc_kinds: crate::pages::documents::kinds(t),
        document_error: String::new(),
        name: d.name.clone(),
        facts,
        members: a
            .members
            .iter()
            .map(|(_, n, s)| (n.clone(), format_share(*s)))
            .collect(),
        agreement: form
            .map(|(_, ag)| ag.to_owned())
            .or_else(|| a.agreement.clone())
            .unwrap_or_default(),
        edit_href: manage.then(|| paths::edit_activity(&coop.slug, a.id.get())),
        sales_links: std::iter::once((
            paths::activity_account(&coop.slug, a.id.get()),
            t.get("account.open").to_owned(),
        ))
        .chain(
            if coop.access.allows(
                Permission::SaleRead,
                essaim_domain::access::Target::Activity(a.id),
            ) {
                vec![
                    (
                        format!("{}?activity={}", paths::quotes(&coop.slug), a.id.get()),
                        t.get("nav.quotes").to_owned(),
                    ),
                    (
                        format!("{}?activity={}", paths::invoices(&coop.slug), a.id.get()),
                        t.get("nav.invoices").to_owned(),
                    ),
                    (
                        paths::catalog(&coop.slug, a.id.get()),
                        t.get("catalog.link").to_owned(),
                    ),
                ]
            } else {
                Vec::new()
            },
        )
        .collect(),
        members_action: manage.then(|| paths::activity_members(&coop.slug, a.id.get())),
        rows,
        errors,
        l: page.layout.clone(),
    })
}

pub async fn show(
    Ctx { app, coop, page }: Ctx,
    Id(id): Id<ActivityId>,
    Query(dq): Query<crate::pages::documents::DocumentErrorQuery>,
) -> PageResult {
    let a = activities::show(&app, &coop, id).await?;
    let mut p = activity_page(&app, &page, &coop, &a, None, Errors::default()).await?;
    p.document_error = dq.message(page.layout.t);
    Ok(render(&p))
}

/// The members form: `member_0`/`share_0`, `member_1`/`share_1`… and `agreement`.
pub async fn set_members(
    Ctx { app, coop, page }: Ctx,
    Id(id): Id<ActivityId>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.trim().to_owned())
            .unwrap_or_default()
    };
    let mut typed = Vec::new();
    let mut members = Vec::new();
    let mut bad_share = false;
    for i in 0..50 {
        let (user, share) = (get(&format!("member_{i}")), get(&format!("share_{i}")));
        if user.is_empty() && share.is_empty() {
            continue;
        }
        typed.push((user.clone(), share.clone()));
        match (user.parse::<i64>(), parse_share(&share)) {
            (Ok(u), Ok(s)) => members.push((UserId::new(u), s)),
            _ => bad_share = true,
        }
    }
    let agreement = get("agreement");
    let result = if bad_share {
        Err(AppError::field("shares", "share_format"))
    } else {
        activities::set_members(&app, &coop, id, &members, Some(&agreement)).await
    };
    forms::submit(
        &page,
        result,
        |()| paths::activity(&coop.slug, id),
        async |errors| {
            let a = activities::show(&app, &coop, id).await?;
            let typed = Some((&typed[..], &agreement[..]));
            Ok(render(
                &activity_page(&app, &page, &coop, &a, typed, errors).await?,
            ))
        },
    )
    .await
}
