//! Directory profiles. Tags are stored as `,tag1,tag2,` so one tag is found with `like`.

use crate::{StorageError, Tx, on_tx};
use essaim_domain::directory::Profile;
use essaim_domain::ids::{CooperativeId, UserId};
use essaim_domain::person::search_key;
use time::OffsetDateTime;

fn tags_text(tags: &[String]) -> String {
    if tags.is_empty() {
        String::new()
    } else {
        format!(",{},", tags.join(","))
    }
}

fn tags_of(text: &str) -> Vec<String> {
    text.split(',')
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

pub async fn upsert(
    tx: &mut Tx,
    coop: CooperativeId,
    user: UserId,
    name: &str,
    p: &Profile,
    now: OffsetDateTime,
) -> Result<(), StorageError> {
    const SQL: &str = "insert into directory_profile (cooperative_id, user_id, headline, offer, tags, territory, naf, phone, listed, show_email, show_phone, search_text, updated_at) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) \
         on conflict (cooperative_id, user_id) do update set headline = excluded.headline, offer = excluded.offer, tags = excluded.tags, \
         territory = excluded.territory, naf = excluded.naf, phone = excluded.phone, listed = excluded.listed, show_email = excluded.show_email, \
         show_phone = excluded.show_phone, search_text = excluded.search_text, updated_at = excluded.updated_at";
    let search = search_key(&format!(
        "{name} {} {} {} {}",
        p.headline.as_deref().unwrap_or(""),
        p.offer.as_deref().unwrap_or(""),
        p.tags.join(" "),
        p.territory.as_deref().unwrap_or("")
    ));
    on_tx!(tx, |conn| sqlx::query(SQL)
        .bind(coop.get())
        .bind(user.get())
        .bind(&p.headline)
        .bind(&p.offer)
        .bind(tags_text(&p.tags))
        .bind(&p.territory)
        .bind(&p.naf)
        .bind(&p.phone)
        .bind(p.listed)
        .bind(p.show_email)
        .bind(p.show_phone)
        .bind(&search)
        .bind(now)
        .execute(conn)
        .await?
        .rows_affected());
    Ok(())
}

#[derive(sqlx::FromRow)]
struct Row {
    user_id: i64,
    display_name: String,
    email: String,
    headline: Option<String>,
    offer: Option<String>,
    tags: String,
    territory: Option<String>,
    naf: Option<String>,
    phone: Option<String>,
    listed: bool,
    show_email: bool,
    show_phone: bool,
}

impl Row {
    fn profile(&self) -> Profile {
        Profile {
            headline: self.headline.clone(),
            offer: self.offer.clone(),
            tags: tags_of(&self.tags),
            territory: self.territory.clone(),
            naf: self.naf.clone(),
            phone: self.phone.clone(),
            listed: self.listed,
            show_email: self.show_email,
            show_phone: self.show_phone,
        }
    }
}

const COLUMNS: &str = "d.user_id, u.display_name, u.email, d.headline, d.offer, d.tags, d.territory, d.naf, d.phone, d.listed, d.show_email, d.show_phone";

pub async fn find(
    tx: &mut Tx,
    coop: CooperativeId,
    user: UserId,
) -> Result<Option<Profile>, StorageError> {
    let sql = format!(
        "select {COLUMNS} from directory_profile d join user_account u on u.user_id = d.user_id where d.cooperative_id = $1 and d.user_id = $2"
    );
    let row: Option<Row> = on_tx!(tx, |conn| sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
        .bind(coop.get())
        .bind(user.get())
        .fetch_optional(conn)
        .await?);
    Ok(row.map(|r| r.profile()))
}

/// A listed profile as others see it: contact details only where the person shows them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub user_id: UserId,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub profile: Profile,
}

#[derive(Clone, Debug, Default)]
pub struct DirectoryFilter {
    pub search: Option<String>,
    pub tag: Option<String>,
    /// NAF division (two digits) or full code.
    pub naf: Option<String>,
    pub territory: Option<String>,
}

/// Listed profiles of people who still hold a role in the cooperative, by name.
pub async fn list(
    tx: &mut Tx,
    coop: CooperativeId,
    f: &DirectoryFilter,
    limit: i64,
) -> Result<Vec<Entry>, StorageError> {
    let sql = format!(
        "select {COLUMNS} from directory_profile d join user_account u on u.user_id = d.user_id \
         where d.cooperative_id = $1 and d.listed = true \
         and d.user_id in (select m.user_id from membership m where m.cooperative_id = $1) \
         and ($2 = '' or d.search_text like $2) and ($3 = '' or d.tags like $3) and ($4 = '' or d.naf like $4) \
         and ($5 = '' or lower(d.territory) like $5) order by u.display_name, d.user_id limit $6"
    );
    let like = |s: &Option<String>, f: &dyn Fn(&str) -> String| {
        s.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(f)
            .unwrap_or_default()
    };
    let search = like(&f.search, &|s| {
        format!("%{}%", search_key(s).replace(['%', '_'], ""))
    });
    let tag = like(&f.tag, &|s| {
        format!("%,{},%", s.to_lowercase().replace(['%', '_'], ""))
    });
    let naf = like(&f.naf, &|s| {
        format!("{}%", s.to_uppercase().replace(['%', '_'], ""))
    });
    let territory = like(&f.territory, &|s| {
        format!("%{}%", s.to_lowercase().replace(['%', '_'], ""))
    });
    let rows: Vec<Row> = on_tx!(tx, |conn| sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
        .bind(coop.get())
        .bind(&search)
        .bind(&tag)
        .bind(&naf)
        .bind(&territory)
        .bind(limit)
        .fetch_all(conn)
        .await?);
    Ok(rows
        .into_iter()
        .map(|r| Entry {
            user_id: UserId::new(r.user_id),
            name: r.display_name.clone(),
            email: r.show_email.then(|| r.email.clone()),
            phone: if r.show_phone { r.phone.clone() } else { None },
            profile: r.profile(),
        })
        .collect())
}

/// The most used tags of the cooperative's listed profiles, for the filter.
pub async fn tags(tx: &mut Tx, coop: CooperativeId) -> Result<Vec<String>, StorageError> {
    const SQL: &str = "select tags from directory_profile where cooperative_id = $1 and listed = true \
         and user_id in (select m.user_id from membership m where m.cooperative_id = $1)";
    let all: Vec<String> = on_tx!(tx, |conn| sqlx::query_scalar(SQL)
        .bind(coop.get())
        .fetch_all(conn)
        .await?);
    let mut counts: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
    for t in all.iter().flat_map(|s| tags_of(s)) {
        *counts.entry(t).or_default() += 1;
    }
    let mut v: Vec<(String, usize)> = counts.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    Ok(v.into_iter().take(40).map(|(t, _)| t).collect())
}
