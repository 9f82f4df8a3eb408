//! Asking the validation team to validate a draft invoice, and returning it with a comment
//! (issue 19). The rules are the domain's (`essaim_domain::selling::review`); each command is one
//! transaction with its audit line and its event in the document's history.

use super::docs::{kind_of, load, may_validate, state_of};
use super::require_on;
use crate::{App, AppError, CoopActor, audit};
use essaim_domain::access::{Permission, RoleKind};
use essaim_domain::account::Locale;
use essaim_domain::ids::{ActivityId, SaleDocId, UserId};
use essaim_domain::selling::review::{Review, return_comment};
use essaim_storage::sale as store;
use serde_json::json;

fn review_of(doc: &store::DocRecord) -> Result<Review, AppError> {
    Review::parse(&doc.review).ok_or_else(|| AppError::Internal("stored review".into()))
}

/// The entrepreneur says the draft is ready: it joins the validation queue, and the validation
/// team is told (in the app and by e-mail).
pub async fn ask(app: &App, actor: &CoopActor, id: SaleDocId) -> Result<(), AppError> {
    let mut tx = app.store.begin().await?;
    let doc = load(&mut tx, actor, id).await?;
    require_on(
        actor,
        Permission::SaleManage,
        ActivityId::new(doc.activity_id),
    )?;
    review_of(&doc)?
        .may_ask(kind_of(&doc)?, state_of(&doc)?)
        .map_err(|code| AppError::field("review", code))?;
    let now = app.clock.now();
    if !store::set_review(
        &mut tx,
        actor.cooperative,
        id,
        Review::Asked.code(),
        None,
        now,
    )
    .await?
    {
        return Err(AppError::field("review", "document_frozen"));
    }
    store::add_event(
        &mut tx,
        id,
        "review_asked",
        Some(actor.user().id),
        None,
        now,
    )
    .await?;
    audit::record_in(
        &mut tx,
        app,
        actor,
        "sale.review_asked",
        ("sale_doc", id.to_string()),
        json!({ "kind": doc.kind }),
    )
    .await?;
    let validators: Vec<UserId> =
        essaim_storage::role::holders_of_kinds(&mut tx, actor.cooperative, &[RoleKind::Validation])
            .await?
            .into_iter()
            .map(|(u, _)| u)
            .filter(|u| *u != actor.user().id)
            .collect();
    let key = format!("review:{}:asked:{}", id.get(), now.unix_timestamp());
    let link = format!("/c/{}/sales/{}", actor.slug, id.get());
    let (customer, activity) = (doc.customer_name.clone(), doc.activity_name.clone());
    crate::notifications::tell(
        &mut tx,
        app,
        actor.cooperative,
        &validators,
        (&key, &link),
        now,
        |locale| match locale {
            Locale::Fr => (
                format!("Une facture de {activity} pour {customer} attend votre validation."),
                "facture à valider".to_owned(),
            ),
            Locale::En => (
                format!("An invoice of {activity} for {customer} is waiting for your validation."),
                "invoice to validate".to_owned(),
            ),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A validator sends an asked draft back with what to change; the activity's entrepreneurs are
/// told, and the comment stays on the document until it is asked again.
pub async fn send_back(
    app: &App,
    actor: &CoopActor,
    id: SaleDocId,
    comment: &str,
) -> Result<(), AppError> {
    let mut tx = app.store.begin().await?;
    let doc = load(&mut tx, actor, id).await?;
    if !kind_of(&doc)?.is_invoice_like() || !may_validate(&mut tx, actor, &doc).await? {
        return Err(AppError::Forbidden);
    }
    review_of(&doc)?
        .may_return(state_of(&doc)?)
        .map_err(|code| AppError::field("review", code))?;
    let comment = return_comment(comment).map_err(|code| AppError::field("comment", code))?;
    let now = app.clock.now();
    if !store::set_review(
        &mut tx,
        actor.cooperative,
        id,
        Review::Returned.code(),
        Some(&comment),
        now,
    )
    .await?
    {
        return Err(AppError::field("review", "document_frozen"));
    }
    store::add_event(
        &mut tx,
        id,
        "review_returned",
        Some(actor.user().id),
        Some(&comment),
        now,
    )
    .await?;
    audit::record_in(
        &mut tx,
        app,
        actor,
        "sale.review_returned",
        ("sale_doc", id.to_string()),
        json!({ "kind": doc.kind }),
    )
    .await?;
    let mut people: Vec<UserId> = Vec::new();
    if let Some(a) =
        essaim_storage::activity::find(&mut tx, actor.cooperative, ActivityId::new(doc.activity_id))
            .await?
    {
        people.extend(
            a.members
                .iter()
                .map(|(u, _, _)| *u)
                .filter(|u| *u != actor.user().id),
        );
    }
    let key = format!("review:{}:returned:{}", id.get(), now.unix_timestamp());
    let link = format!("/c/{}/sales/{}", actor.slug, id.get());
    let customer = doc.customer_name.clone();
    crate::notifications::tell(
        &mut tx,
        app,
        actor.cooperative,
        &people,
        (&key, &link),
        now,
        |locale| match locale {
            Locale::Fr => (
                format!("Votre facture pour {customer} vous est renvoyée : {comment}"),
                "facture à reprendre".to_owned(),
            ),
            Locale::En => (
                format!("Your invoice for {customer} was sent back to you: {comment}"),
                "invoice to rework".to_owned(),
            ),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
