//! The directory: every member of the cooperative browses the listed profiles and writes to
//! people through the platform (their address stays hidden unless they show it); each person edits
//! their own profile, private by default.

use crate::{App, AppError, CoopActor, audit, jobs};
use essaim_domain::directory::{Profile, ProfileInput};
use essaim_domain::ids::UserId;
use essaim_storage::directory::{self as store, DirectoryFilter, Entry};
use essaim_storage::{account, activity};
use serde_json::json;

/// A listed profile with the names of the activities the person runs.
pub struct Listing {
    pub entry: Entry,
    pub activities: Vec<String>,
}

pub async fn list(
    app: &App,
    actor: &CoopActor,
    filter: &DirectoryFilter,
) -> Result<(Vec<Listing>, Vec<String>), AppError> {
    let mut tx = app.store.read().await?;
    let entries = store::list(&mut tx, actor.cooperative, filter, 500).await?;
    let tags = store::tags(&mut tx, actor.cooperative).await?;
    let activities = activity::list(&mut tx, actor.cooperative, None, None).await?;
    tx.commit().await?;
    let listings = entries
        .into_iter()
        .map(|entry| {
            let names = activities
                .iter()
                .filter(|a| a.members.iter().any(|(u, ..)| *u == entry.user_id))
                .map(|a| a.details.name.clone())
                .collect();
            Listing {
                entry,
                activities: names,
            }
        })
        .collect();
    Ok((listings, tags))
}

pub async fn my_profile(app: &App, actor: &CoopActor) -> Result<Profile, AppError> {
    let mut tx = app.store.read().await?;
    let p = store::find(&mut tx, actor.cooperative, actor.user().id).await?;
    tx.commit().await?;
    Ok(p.unwrap_or_default())
}

pub async fn save_profile(
    app: &App,
    actor: &CoopActor,
    input: &ProfileInput,
) -> Result<(), AppError> {
    let profile = Profile::parse(input)?;
    let mut tx = app.store.begin().await?;
    store::upsert(
        &mut tx,
        actor.cooperative,
        actor.user().id,
        &actor.user().display_name,
        &profile,
        app.clock.now(),
    )
    .await?;
    audit::record_in(
        &mut tx,
        app,
        actor,
        "directory.profile_saved",
        ("user", actor.user().id.to_string()),
        json!({ "listed": profile.listed }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Sends a message to a listed person by e-mail, with the sender's address to reply to.
pub async fn contact(
    app: &App,
    actor: &CoopActor,
    to: UserId,
    message: &str,
) -> Result<(), AppError> {
    let message = essaim_domain::validation::required_text(message, 2000)
        .map_err(|c| AppError::field("message", c))?;
    let mut tx = app.store.begin().await?;
    let listed = store::find(&mut tx, actor.cooperative, to)
        .await?
        .is_some_and(|p| p.listed);
    let target = account::find(&mut tx, to).await?;
    let (true, Some(target)) = (listed, target) else {
        return Err(AppError::NotFound("profile"));
    };
    let coop = essaim_storage::cooperative::find(&mut tx, actor.cooperative)
        .await?
        .ok_or(AppError::NotFound("cooperative"))?;
    let from = actor.user();
    let content = crate::mail::MailContent {
        subject: format!(
            "Essaim : message de {} ({})",
            from.display_name, coop.identity.legal_name
        ),
        body: format!(
            "Bonjour {},\n\n{} ({}) vous écrit depuis l'annuaire de {} :\n\n{message}\n\nPour répondre, écrivez à {}.\n",
            target.display_name,
            from.display_name,
            from.email.as_str(),
            coop.identity.legal_name,
            from.email.as_str()
        ),
    };
    jobs::enqueue_email(
        &mut tx,
        app,
        Some(actor.cooperative),
        target.email.as_str(),
        &content,
    )
    .await?;
    audit::record_in(
        &mut tx,
        app,
        actor,
        "directory.contacted",
        ("user", to.to_string()),
        json!({}),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
