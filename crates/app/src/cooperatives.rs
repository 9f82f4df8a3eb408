//! Creating cooperatives (host administrators), entering one (building the person's access there),
//! and editing its legal identity and logo.

use crate::auth::{AccountInput, insert_account};
use crate::{Actor, App, AppError, CoopActor, audit};
use essaim_domain::FieldErrors;
use essaim_domain::access::{Access, Permission, RoleKind};
use essaim_domain::account::{Email, Locale};
use essaim_domain::cooperative::{Cooperative, CooperativeIdentity, CooperativeInput, slugify};
use essaim_domain::ids::{CooperativeId, UserId};
use essaim_storage::cooperative::{self as store, CooperativeSummary, Logo};
use essaim_storage::role::{self as roles, UserCooperative};
use essaim_storage::{Conflict, StorageError, Tx};
use serde_json::json;

/// French names of the default roles; editable afterwards.
pub fn default_role_name(kind: RoleKind) -> &'static str {
    match kind {
        RoleKind::Administrator => "Administration",
        RoleKind::Validation => "Équipe d'appui — validation des documents",
        RoleKind::Accounting => "Équipe d'appui — comptabilité",
        RoleKind::Payroll => "Équipe d'appui — paie",
        RoleKind::Coaching => "Équipe d'appui — accompagnement",
        RoleKind::Entrepreneur => "Entrepreneur·e",
        RoleKind::Member => "Associé·e sans activité",
        RoleKind::ReadOnly => "Lecture seule (commissaire aux comptes, financeur)",
    }
}

/// Inserts a cooperative and its default roles inside the caller's transaction.
pub async fn insert_with_roles(
    tx: &mut Tx,
    app: &App,
    identity: &CooperativeIdentity,
) -> Result<CooperativeId, AppError> {
    if store::siret_exists(tx, identity.siret.as_str()).await? {
        return Err(AppError::field("siret", "siret_taken"));
    }
    let base = slugify(
        identity
            .trade_name
            .as_deref()
            .unwrap_or(&identity.legal_name),
    );
    let mut slug = base.clone();
    let mut n = 2;
    while store::slug_exists(tx, &slug).await? {
        slug = format!("{base}-{n}");
        n += 1;
    }
    let id = store::insert(tx, &slug, identity, app.clock.now())
        .await
        .map_err(|e| match e {
            StorageError::Conflict(Conflict::SiretTaken) => AppError::field("siret", "siret_taken"),
            e => e.into(),
        })?;
    for kind in RoleKind::ALL {
        let role = roles::insert(tx, id, kind, default_role_name(kind)).await?;
        roles::set_grants(tx, id, role, &kind.default_grants()).await?;
    }
    essaim_storage::person::insert_default_lists(tx, id).await?;
    Ok(id)
}

/// A host administrator creates a cooperative; `first_admin` (an existing account's e-mail), if
/// given, becomes its administrator.
pub async fn create(
    app: &App,
    actor: Option<&Actor>,
    input: &CooperativeInput,
    first_admin: Option<&str>,
) -> Result<CooperativeId, AppError> {
    if let Some(a) = actor {
        a.require_host_admin()?;
    }
    let identity = CooperativeIdentity::parse(input)?;
    let admin_email = match first_admin.map(str::trim).filter(|s| !s.is_empty()) {
        Some(e) => Some(Email::parse(e).map_err(|c| AppError::field("first_admin", c))?),
        None => None,
    };
    let mut tx = app.store.begin().await?;
    let id = insert_with_roles(&mut tx, app, &identity).await?;
    if let Some(email) = admin_email {
        let (user, _) = essaim_storage::account::find_with_hash(&mut tx, &email)
            .await?
            .ok_or(AppError::field("first_admin", "user_unknown"))?;
        let role = roles::find_by_kind(&mut tx, id, RoleKind::Administrator)
            .await?
            .ok_or(AppError::NotFound("role"))?;
        roles::add_membership(&mut tx, id, user.id, role, app.clock.now()).await?;
    }
    audit::record(
        &mut tx,
        app,
        actor,
        Some(id),
        "cooperative.created",
        ("cooperative", id.to_string()),
        json!({ "legal_name": identity.legal_name, "siret": identity.siret.as_str() }),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// What a host administrator sees: names and numbers of every cooperative, none of their data.
pub async fn list_for_host(app: &App, actor: &Actor) -> Result<Vec<CooperativeSummary>, AppError> {
    actor.require_host_admin()?;
    let mut tx = app.store.read().await?;
    let rows = store::list_summaries(&mut tx).await?;
    tx.commit().await?;
    Ok(rows)
}

/// The cooperatives the person belongs to, with their roles there.
pub async fn mine(app: &App, actor: &Actor) -> Result<Vec<UserCooperative>, AppError> {
    let mut tx = app.store.read().await?;
    let rows = roles::cooperatives_of(&mut tx, actor.user.id).await?;
    tx.commit().await?;
    Ok(rows)
}

/// Enters a cooperative: the person must hold a role in it. A host administrator without a role
/// is refused like anyone else. An unknown cooperative and a foreign one look the same.
pub async fn enter(app: &App, actor: &Actor, slug: &str) -> Result<CoopActor, AppError> {
    let mut tx = app.store.read().await?;
    let coop = store::find_by_slug(&mut tx, slug)
        .await?
        .ok_or(AppError::NotFound("cooperative"))?;
    let (kinds, grants) = roles::access_of(&mut tx, coop.id, actor.user.id).await?;
    let activities =
        essaim_storage::activity::ids_of_member(&mut tx, coop.id, actor.user.id).await?;
    tx.commit().await?;
    if kinds.is_empty() {
        return Err(AppError::NotFound("cooperative"));
    }
    Ok(CoopActor {
        actor: actor.clone(),
        cooperative: coop.id,
        slug: coop.slug,
        cooperative_name: coop.identity.trade_name.unwrap_or(coop.identity.legal_name),
        kinds,
        access: Access::new(grants, activities),
    })
}

/// Enters a cooperative by numeric id (the API's addressing).
pub async fn enter_by_id(app: &App, actor: &Actor, id: i64) -> Result<CoopActor, AppError> {
    let mut tx = app.store.read().await?;
    let coop = store::find(&mut tx, CooperativeId::new(id)).await?;
    tx.commit().await?;
    let coop = coop.ok_or(AppError::NotFound("cooperative"))?;
    enter(app, actor, &coop.slug).await
}

/// The cooperative's full record; any member may read its legal identity.
pub async fn show(app: &App, actor: &CoopActor) -> Result<Cooperative, AppError> {
    let mut tx = app.store.read().await?;
    let coop = store::find(&mut tx, actor.cooperative)
        .await?
        .ok_or(AppError::NotFound("cooperative"))?;
    tx.commit().await?;
    Ok(coop)
}

pub async fn update(
    app: &App,
    actor: &CoopActor,
    input: &CooperativeInput,
) -> Result<(), AppError> {
    actor.require(Permission::CooperativeSettings)?;
    let identity = CooperativeIdentity::parse(input)?;
    let mut tx = app.store.begin().await?;
    store::update(&mut tx, actor.cooperative, &identity)
        .await
        .map_err(|e| match e {
            StorageError::Conflict(Conflict::SiretTaken) => AppError::field("siret", "siret_taken"),
            e => e.into(),
        })?;
    audit::record_in(
        &mut tx,
        app,
        actor,
        "cooperative.updated",
        ("cooperative", actor.cooperative.to_string()),
        json!({ "legal_name": identity.legal_name }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub const LOGO_MAX_BYTES: usize = 512 * 1024;

/// The image type a logo's first bytes announce: PNG or JPEG only (SVG can carry scripts).
pub fn logo_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a]) {
        Some("image/png")
    } else if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        Some("image/jpeg")
    } else {
        None
    }
}

pub async fn set_logo(app: &App, actor: &CoopActor, bytes: Vec<u8>) -> Result<(), AppError> {
    actor.require(Permission::CooperativeSettings)?;
    if bytes.is_empty() {
        return Err(AppError::field("logo", "required"));
    }
    if bytes.len() > LOGO_MAX_BYTES {
        return Err(AppError::field("logo", "logo_too_large"));
    }
    let content_type = logo_type(&bytes).ok_or(AppError::field("logo", "logo_type"))?;
    let logo = Logo {
        content_type: content_type.into(),
        sha256: crate::secret::sha256_hex(&bytes),
        bytes,
    };
    let mut tx = app.store.begin().await?;
    store::set_logo(&mut tx, actor.cooperative, &logo).await?;
    audit::record_in(
        &mut tx,
        app,
        actor,
        "cooperative.logo_changed",
        ("cooperative", actor.cooperative.to_string()),
        json!({ "sha256": logo.sha256 }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The logo, for any member of the cooperative.
pub async fn logo(app: &App, actor: &CoopActor) -> Result<Option<Logo>, AppError> {
    let mut tx = app.store.read().await?;
    let logo = store::find_logo(&mut tx, actor.cooperative).await?;
    tx.commit().await?;
    Ok(logo)
}

/// The logo's hash and whether the cooperative is a training organisation (for every page).
pub async fn page_facts(app: &App, actor: &CoopActor) -> Result<(Option<String>, bool), AppError> {
    let mut tx = app.store.read().await?;
    let h = store::page_facts(&mut tx, actor.cooperative).await?;
    tx.commit().await?;
    Ok(h)
}

/// Finds a cooperative by id, slug or SIREN (command line).
pub async fn find_by_reference(app: &App, reference: &str) -> Result<Cooperative, AppError> {
    let mut tx = app.store.read().await?;
    let c = store::find_by_reference(&mut tx, reference).await?;
    tx.commit().await?;
    c.ok_or(AppError::NotFound("cooperative"))
}

/// Gives a role in a cooperative to an existing account, from the command line.
pub async fn grant_role_cli(
    app: &App,
    coop: CooperativeId,
    email: &str,
    kind: RoleKind,
) -> Result<UserId, AppError> {
    let email = Email::parse(email).map_err(|c| AppError::field("email", c))?;
    let mut tx = app.store.begin().await?;
    let (user, _) = essaim_storage::account::find_with_hash(&mut tx, &email)
        .await?
        .ok_or(AppError::NotFound("user"))?;
    let role = roles::find_by_kind(&mut tx, coop, kind)
        .await?
        .ok_or(AppError::NotFound("role"))?;
    roles::add_membership(&mut tx, coop, user.id, role, app.clock.now()).await?;
    audit::record(
        &mut tx,
        app,
        None,
        Some(coop),
        "member.role_granted",
        ("user", user.id.to_string()),
        json!({ "role": kind.code(), "via": "cli" }),
    )
    .await?;
    tx.commit().await?;
    Ok(user.id)
}

/// Creates an account and gives it a role, for the command line's first install.
pub async fn create_user_with_role_cli(
    app: &App,
    input: &AccountInput<'_>,
    coop: Option<(CooperativeId, RoleKind)>,
) -> Result<UserId, AppError> {
    let mut tx = app.store.begin().await?;
    let id = insert_account(&mut tx, app, input, None).await?;
    if let Some((coop, kind)) = coop {
        let role = roles::find_by_kind(&mut tx, coop, kind)
            .await?
            .ok_or(AppError::NotFound("role"))?;
        roles::add_membership(&mut tx, coop, id, role, app.clock.now()).await?;
    }
    audit::record(
        &mut tx,
        app,
        None,
        coop.map(|c| c.0),
        "user.created",
        ("user", id.to_string()),
        json!({ "via": "cli" }),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Checks a locale code typed on the command line.
pub fn parse_locale(code: &str) -> Result<Locale, AppError> {
    Locale::parse(code)
        .ok_or_else(|| AppError::Invalid(FieldErrors::single("locale", "locale_unknown")))
}

/// The legal identity of a cooperative, for the host administrator who just created it.
pub async fn identity_for_host(
    app: &App,
    actor: &Actor,
    id: CooperativeId,
) -> Result<Cooperative, AppError> {
    actor.require_host_admin()?;
    let mut tx = app.store.read().await?;
    let c = store::find(&mut tx, id).await?;
    tx.commit().await?;
    c.ok_or(AppError::NotFound("cooperative"))
}
