//! Creating and editing cooperatives, their logo, and their people.

use axum::http::StatusCode;
use essaim_app::mail::Mailer;
use essaim_domain::access::RoleKind;
use essaim_testkit::{Backend, HOST_EMAIL, TestApp, email_for, smtp};

fn coop_form<'a>(siret: &'a str, vat: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("legal_name", "Coopérative Nouvelle"),
        ("trade_name", ""),
        ("legal_form", "scic_sas"),
        ("siret", siret),
        ("vat_number", vat),
        ("rcs_city", "Nantes"),
        ("share_capital", "20 000"),
        ("address_line1", "3 rue du Port"),
        ("address_line2", ""),
        ("postcode", "44000"),
        ("city", "Nantes"),
        ("fiscal_year_start_month", "7"),
        ("fiscal_year_start_day", "1"),
        ("first_admin", ""),
    ]
}

#[tokio::test]
async fn a_host_administrator_creates_a_cooperative_and_bad_fields_are_explained_in_french() {
    let app = TestApp::spawn().await;
    let mut c = app.signed_in(HOST_EMAIL).await;
    let r = c
        .post_form(
            "/admin/cooperatives",
            &coop_form("73282932000075", "FR44732829320"),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("Ce SIRET n&#39;existe pas") || r.body.contains("Ce SIRET n'existe pas"),
        "{}",
        r.body
    );
    assert!(
        r.body.contains("value=\"Coopérative Nouvelle\""),
        "typed values are kept"
    );
    // A valid SIRET and the VAT number built on its SIREN.
    let siren = essaim_domain::identifiers::Siren::parse("443061841").unwrap();
    let vat = essaim_domain::identifiers::VatNumber::french_for(&siren);
    let siret = essaim_app::demo::make_siret(&siren);
    let r = c
        .post_form("/admin/cooperatives", &coop_form(&siret, vat.as_str()))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let list = c.get("/admin/cooperatives").await;
    assert!(list.body.contains("Coopérative Nouvelle"));
    // The same SIRET twice is refused beside the field.
    let r = c
        .post_form("/admin/cooperatives", &coop_form(&siret, vat.as_str()))
        .await;
    assert!(
        r.body
            .contains("Une coopérative avec ce SIRET existe déjà.")
    );
}

#[tokio::test]
async fn an_administrator_edits_the_identity_and_uploads_a_logo() {
    let app = TestApp::spawn().await;
    let mut c = app.signed_in(&email_for(RoleKind::Administrator)).await;
    let path = format!("/c/{}/settings", app.coop_a);
    let page = c.get(&path).await;
    assert!(page.body.contains("value=\"73282932000074\""));
    let mut form = coop_form(essaim_testkit::SIRET_A.0, essaim_testkit::SIRET_A.1);
    form.retain(|(k, _)| *k != "first_admin");
    form[0] = ("legal_name", "Coopérative A renommée");
    form.push(("postcode", "ABCDE"));
    form.retain(|(k, v)| *k != "postcode" || *v == "ABCDE");
    let r = c.post_form(&path, &form).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Un code postal compte 5 chiffres."));
    form.retain(|(k, _)| *k != "postcode");
    form.push(("postcode", "44000"));
    assert_eq!(
        c.post_form(&path, &form).await.status,
        StatusCode::SEE_OTHER
    );
    assert!(
        c.get(&format!("/c/{}", app.coop_a))
            .await
            .body
            .contains("Coopérative A renommée")
    );

    let r = c
        .post_file(
            &format!("/c/{}/settings/logo", app.coop_a),
            "logo",
            "logo.txt",
            b"not an image",
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Le logo doit être une image PNG ou JPEG."));
    let png = [
        &[0x89u8, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a][..],
        &[0u8; 32][..],
    ]
    .concat();
    let r = c
        .post_file(
            &format!("/c/{}/settings/logo", app.coop_a),
            "logo",
            "logo.png",
            &png,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let logo = c.get(&format!("/c/{}/logo", app.coop_a)).await;
    assert_eq!(logo.status, StatusCode::OK);
    assert_eq!(logo.headers.get("content-type").unwrap(), "image/png");
    let audit = c.get(&format!("/c/{}/audit", app.coop_a)).await;
    assert!(
        audit.body.contains("cooperative.updated")
            && audit.body.contains("cooperative.logo_changed")
    );
}

#[tokio::test]
async fn adding_a_person_sends_an_invitation_and_the_person_chooses_a_password() {
    let (url, inbox) = smtp::start().await;
    let app = TestApp::spawn_with(
        Backend::Sqlite,
        Mailer::new(Some(&url), "essaim@test.invalid").unwrap(),
    )
    .await;
    let mut admin = app.signed_in(&email_for(RoleKind::Administrator)).await;
    let path = format!("/c/{}/members", app.coop_a);
    let roles = essaim_app::members::roles(
        &app.app,
        &essaim_app::cooperatives::enter(
            &app.app,
            &app.actor(&email_for(RoleKind::Administrator)).await,
            &app.coop_a,
        )
        .await
        .unwrap(),
    )
    .await
    .unwrap();
    let entrepreneur_role = roles
        .iter()
        .find(|r| r.kind == RoleKind::Entrepreneur)
        .unwrap()
        .id
        .get()
        .to_string();
    let r = admin
        .post_form(
            &path,
            &[
                ("email", "pas-une-adresse"),
                ("display_name", "Zoé Nouvelle"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body
            .contains("Cette adresse e-mail n&#39;est pas valable.")
            || r.body.contains("Cette adresse e-mail n'est pas valable.")
    );
    assert!(r.body.contains("Choisissez au moins un rôle."));
    assert!(r.body.contains("value=\"Zoé Nouvelle\""));
    let r = admin
        .post_form(
            &path,
            &[
                ("email", "zoe@exemple.fr"),
                ("display_name", "Zoé Nouvelle"),
                ("role", &entrepreneur_role),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("zoe@exemple.fr"));
    app.run_jobs().await;
    let mail = inbox.messages().pop().expect("an invitation");
    assert!(mail.contains("zoe@exemple.fr"));
    let start = mail.find("/password/reset/").unwrap();
    let link: String = mail[start..].split_whitespace().next().unwrap().to_owned();
    let r = app
        .client()
        .post_form(
            &link,
            &[
                ("new_password", "la phrase de Zoé"),
                ("confirm_password", "la phrase de Zoé"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let mut zoe = app
        .signed_in_with("zoe@exemple.fr", "la phrase de Zoé")
        .await;
    let home = zoe.get(&format!("/c/{}", app.coop_a)).await;
    assert!(home.body.contains("Bonjour Zoé Nouvelle"));
    assert_eq!(zoe.get(&path).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_last_administrator_cannot_lose_the_role() {
    let app = TestApp::spawn().await;
    let a = app.actor(&email_for(RoleKind::Administrator)).await;
    let coop = essaim_app::cooperatives::enter(&app.app, &a, &app.coop_a)
        .await
        .unwrap();
    let roles = essaim_app::members::roles(&app.app, &coop).await.unwrap();
    let member = roles
        .iter()
        .find(|r| r.kind == RoleKind::Member)
        .unwrap()
        .id;
    let err = essaim_app::members::set_roles(&app.app, &coop, a.user.id, &[member])
        .await
        .unwrap_err();
    assert!(
        matches!(err, essaim_app::AppError::Invalid(ref e) if e.for_field("roles").map(|f| f.code) == Some("last_administrator")),
        "{err:?}"
    );
    // Nothing was half-written: still administrator.
    let again = essaim_app::cooperatives::enter(&app.app, &a, &app.coop_a)
        .await
        .unwrap();
    assert!(again.kinds.contains(&RoleKind::Administrator));
}

#[tokio::test]
async fn role_grants_are_edited_and_take_effect_at_once() {
    let app = TestApp::spawn().await;
    let mut admin = app.signed_in(&email_for(RoleKind::Administrator)).await;
    let mut entrepreneur = app.signed_in(&email_for(RoleKind::Entrepreneur)).await;
    let members = format!("/c/{}/members", app.coop_a);
    assert_eq!(
        entrepreneur.get(&members).await.status,
        StatusCode::FORBIDDEN
    );
    let a = app.actor(&email_for(RoleKind::Administrator)).await;
    let coop = essaim_app::cooperatives::enter(&app.app, &a, &app.coop_a)
        .await
        .unwrap();
    let roles = essaim_app::members::roles(&app.app, &coop).await.unwrap();
    let role = roles
        .iter()
        .find(|r| r.kind == RoleKind::Entrepreneur)
        .unwrap()
        .id
        .get();
    let r = admin
        .post_form(
            &format!("/c/{}/roles/{role}", app.coop_a),
            &[("permission", "member.read")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(entrepreneur.get(&members).await.status, StatusCode::OK);
    // The administrator role keeps managing people and roles.
    let admin_role = roles
        .iter()
        .find(|r| r.kind == RoleKind::Administrator)
        .unwrap()
        .id
        .get();
    let r = admin
        .post_form(
            &format!("/c/{}/roles/{admin_role}", app.coop_a),
            &[("permission", "member.read")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("garde toujours la gestion"));
}
