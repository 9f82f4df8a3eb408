//! The JSON API: tokens, problem bodies naming the field, and the OpenAPI document.

use axum::http::StatusCode;
use essaim_domain::access::RoleKind;
use essaim_testkit::{HOST_EMAIL, TestApp, email_for};
use serde_json::json;

#[tokio::test]
async fn the_api_refuses_a_caller_without_a_valid_token() {
    let app = TestApp::spawn().await;
    let mut c = app.client();
    let r = c.get("/api/v1/me").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.json()["error"]["code"], "unauthenticated");
    c.bearer = Some("essaim_0000".into());
    assert_eq!(c.get("/api/v1/me").await.status, StatusCode::UNAUTHORIZED);
    // A browser session does not open the API (no cookie-authenticated JSON, so no CSRF there).
    let mut browser = app.signed_in(&email_for(RoleKind::Administrator)).await;
    assert_eq!(
        browser.get("/api/v1/me").await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn members_are_listed_and_added_through_the_api_with_field_errors() {
    let app = TestApp::spawn().await;
    let mut api = app.api_client(&email_for(RoleKind::Administrator)).await;
    let path = format!("/api/v1/cooperatives/{}/members", app.coop_a);
    let page = api.get(&path).await.json();
    assert_eq!(page["total"], 8);
    let r = api
        .post_json(
            &path,
            &json!({ "email": "pas une adresse", "display_name": "X", "roles": ["entrepreneur"] }),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.json();
    assert_eq!(body["error"]["code"], "invalid");
    assert_eq!(body["error"]["fields"][0]["field"], "email");
    assert_eq!(body["error"]["fields"][0]["code"], "email_format");
    let r = api
        .post_json(
            &path,
            &json!({ "email": "nina@exemple.fr", "display_name": "Nina", "roles": ["astronaute"] }),
        )
        .await;
    assert_eq!(r.json()["error"]["fields"][0]["field"], "roles");
    let r = api.post_json(&path, &json!({ "email": "nina@exemple.fr", "display_name": "Nina", "roles": ["entrepreneur"] })).await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert_eq!(api.get(&path).await.json()["total"], 9);
    let audit = api
        .get(&format!(
            "/api/v1/cooperatives/{}/audit?action=member.",
            app.coop_a
        ))
        .await
        .json();
    assert_eq!(audit[0]["action"], "member.added");
    assert_eq!(audit[0]["detail"]["email"], "nina@exemple.fr");
    // An entrepreneur may not add people.
    let mut e = app.api_client(&email_for(RoleKind::Entrepreneur)).await;
    let r = e
        .post_json(
            &path,
            &json!({ "email": "x@exemple.fr", "display_name": "X", "roles": ["entrepreneur"] }),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.json()["error"]["code"], "forbidden");
}

#[tokio::test]
async fn a_host_administrator_creates_a_cooperative_through_the_api() {
    let app = TestApp::spawn().await;
    let mut api = app.api_client(HOST_EMAIL).await;
    let mut body = json!({
        "legal_name": "CAE du Port", "legal_form": "scop_sa", "siret": "73282932000075", "vat_number": "FR44732829320",
        "rcs_city": "Brest", "share_capital": "8000", "address_line1": "1 quai", "postcode": "29200", "city": "Brest",
        "fiscal_year_start_month": 1, "fiscal_year_start_day": 1
    });
    let r = api.post_json("/api/v1/cooperatives", &body).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["error"]["fields"][0]["field"], "siret");
    let siren = essaim_domain::identifiers::Siren::parse("443061841").unwrap();
    body["siret"] = json!(essaim_app::demo::make_siret(&siren));
    body["vat_number"] = json!(essaim_domain::identifiers::VatNumber::french_for(&siren).as_str());
    let r = api.post_json("/api/v1/cooperatives", &body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.json()["siren"], "443061841");
    assert_eq!(r.json()["share_capital_cents"], 800_000);
    let mut admin = app.api_client(&email_for(RoleKind::Administrator)).await;
    assert_eq!(
        admin.post_json("/api/v1/cooperatives", &body).await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn the_openapi_document_describes_every_api_route() {
    let app = TestApp::spawn().await;
    let doc = app.client().get("/api/v1/openapi.json").await.json();
    assert!(
        doc["openapi"].as_str().unwrap_or("").starts_with("3.1"),
        "{}",
        doc["openapi"]
    );
    let paths = doc["paths"].as_object().expect("paths");
    for spec in essaim_web::route_specs()
        .iter()
        .filter(|s| s.path.starts_with("/api/v1/") && s.path != "/api/v1/openapi.json")
    {
        let documented = paths
            .get(spec.path)
            .and_then(|p| p.get(spec.method.as_str().to_lowercase()));
        assert!(
            documented.is_some(),
            "{} {} is not in the OpenAPI document",
            spec.method,
            spec.path
        );
    }
    assert!(doc["components"]["securitySchemes"]["token"].is_object());
}
