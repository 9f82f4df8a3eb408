//! People: the deadlines dashboard.

use super::*;

pub struct DeadlineView {
    pub name: String,
    pub href: String,
    pub what: String,
    pub on: String,
    pub referent: String,
}

pub struct BandView {
    pub title: String,
    pub id: String,
    pub rows: Vec<DeadlineView>,
}

#[derive(Template)]
#[template(path = "people/deadlines.html")]
pub struct DeadlinesPage {
    pub l: Layout,
    pub bands: Vec<BandView>,
    /// People's documents expired or expiring within six months.
    pub documents: Vec<DeadlineView>,
}

pub async fn deadlines(Ctx { app, coop, page }: Ctx) -> PageResult {
    let t = page.layout.t;
    let all = people::deadlines(&app, &coop).await?;
    let bands = [
        DeadlineBand::Overdue,
        DeadlineBand::WithinOneMonth,
        DeadlineBand::WithinThreeMonths,
        DeadlineBand::WithinSixMonths,
    ]
    .into_iter()
    .map(|b| BandView {
        title: t.get(&format!("band.{}", b.code())).into(),
        id: format!("band-{}", b.code()),
        rows: all
            .iter()
            .filter(|d| d.band == b)
            .map(|d| DeadlineView {
                name: format!("{} {}", d.person.last_name, d.person.first_name),
                href: paths::person(&coop.slug, d.person.person_id),
                what: t.get(&format!("deadline.{}", d.what.code())).into(),
                on: date(d.on),
                referent: d
                    .person
                    .referent_name
                    .clone()
                    .unwrap_or_else(|| t.get("people.no_referent").into()),
            })
            .collect(),
    })
    .collect();
    let documents = essaim_app::documents::expiring(&app, &coop)
        .await?
        .into_iter()
        .map(|e| DeadlineView {
            name: format!("{} — {}", e.person_name, e.doc.title),
            href: e
                .doc
                .person_id
                .map(|p| paths::person(&coop.slug, p))
                .unwrap_or_default(),
            what: t.get("deadline.document").into(),
            on: e.doc.expires_on.map(date).unwrap_or_default(),
            referent: e
                .referent_name
                .unwrap_or_else(|| t.get("people.no_referent").into()),
        })
        .collect();
    Ok(render(&DeadlinesPage {
        l: page.layout,
        bands,
        documents,
    }))
}
