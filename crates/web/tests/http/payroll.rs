//! The salary simulator through the pages and the API (issue 6, point 3): the URSSAF's figures
//! for a 2,500 € gross (the salary oracle's own example), the same from the net, and the errors
//! said beside the amount or naming the field.

use axum::http::StatusCode;
use essaim_domain::access::RoleKind;
use essaim_testkit::{TestApp, email_for};
use serde_json::json;

#[tokio::test]
async fn pay_2_4_the_simulator_answers_on_its_page_and_through_the_api() {
    let app = TestApp::spawn().await;
    let a = format!("/c/{}", app.coop_a);
    let mut me = app.signed_in(&email_for(RoleKind::Entrepreneur)).await;
    let page = me.get(&format!("{a}/payroll/simulator")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Simulateur de salaire"));
    let r = me
        .get(&format!(
            "{a}/payroll/simulator?given=gross&amount=2500&status=non-cadre&date=2026-03-01"
        ))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    for figure in [
        "1\u{202f}957,05\u{a0}€",
        "3\u{202f}162,65\u{a0}€",
        "429,75\u{a0}€",
        "0,1719",
    ] {
        assert!(r.body.contains(figure), "{figure} in the page");
    }
    assert!(r.body.contains("Assurance vieillesse plafonnée"));
    let r = me
        .get(&format!(
            "{a}/payroll/simulator?given=net&amount=1957,05&date=2026-03-01"
        ))
        .await;
    assert!(r.body.contains("2\u{202f}500,00\u{a0}€"));
    let r = me
        .get(&format!(
            "{a}/payroll/simulator?given=gross&amount=deux+mille"
        ))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"e-amount\""));
    let r = me
        .get(&format!(
            "{a}/payroll/simulator?given=gross&amount=2500&date=2025-12-01"
        ))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Aucun barème de paie"));

    let mut api = app.api_client(&email_for(RoleKind::Entrepreneur)).await;
    let r = api
        .post_json(
            "/api/v1/payroll/simulations",
            &json!({ "gross": 2500, "status": "non-cadre", "date": "2026-03-01" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let v = r.json();
    assert_eq!(v["net_before_income_tax"]["decimal"], "1957.05");
    assert_eq!(v["employer_cost"]["cents"], 316_265);
    assert_eq!(v["employer_reductions"]["decimal"], "429.75");
    let r = api
        .post_json(
            "/api/v1/payroll/simulations",
            &json!({ "employer_cost": "3 162,65", "date": "2026-03-01" }),
        )
        .await;
    assert_eq!(r.json()["gross_monthly"]["decimal"], "2500.00");
    let r = api
        .post_json(
            "/api/v1/payroll/simulations",
            &json!({ "gross": 2500, "net": 2000, "status": "intérimaire" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<String> = r.json()["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(fields, ["gross", "status"]);
    // Signed out, no simulation.
    let mut anonymous = app.client();
    let r = anonymous
        .post_json("/api/v1/payroll/simulations", &json!({ "gross": 2500 }))
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_simulator_computes_with_the_cooperatives_own_assumptions() {
    let app = TestApp::spawn().await;
    let a = format!("/c/{}", app.coop_a);
    let mut admin = app.signed_in(&email_for(RoleKind::Administrator)).await;
    let mut me = app.signed_in(&email_for(RoleKind::Entrepreneur)).await;
    assert_eq!(
        me.get(&format!("{a}/settings/payroll")).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        me.post_form(&format!("{a}/settings/payroll"), &[("headcount", "60")])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let r = admin
        .post_form(
            &format!("{a}/settings/payroll"),
            &[("headcount", "soixante"), ("atmp_rate", "2,08")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"e-headcount\""));
    let r = admin
        .post_form(
            &format!("{a}/settings/payroll"),
            &[
                ("headcount", "60"),
                ("atmp_rate", "2,08"),
                ("mobility_rate", "0"),
                ("health_insurance", "40"),
                ("health_insurance_employer_share", "50"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // From 50 employees: FNAL on the whole pay, the housing effort, a larger RGDU (URSSAF rules).
    let r = me
        .get(&format!(
            "{a}/payroll/simulator?given=gross&amount=2500&date=2026-03-01"
        ))
        .await;
    assert!(r.body.contains("3\u{202f}192,75\u{a0}€"), "{}", r.body);
    assert!(r.body.contains("60 salariés"));
    // Another cooperative keeps the defaults.
    let mut b = app.signed_in(essaim_testkit::ADMIN_B_EMAIL).await;
    let r = b
        .get(&format!(
            "/c/{}/payroll/simulator?given=gross&amount=2500&date=2026-03-01",
            app.coop_b
        ))
        .await;
    assert!(r.body.contains("3\u{202f}162,65\u{a0}€"));
}

#[tokio::test]
async fn pay_21_the_planner_says_the_highest_salary_the_expected_balance_sustains() {
    let app = TestApp::spawn().await;
    let a = format!("/c/{}", app.coop_a);
    let mut me = app.signed_in(&email_for(RoleKind::Entrepreneur)).await;
    // 46,200 € for ten months, 10 % kept aside: at most 4,158 € of cost a month.
    let r = me
        .get(&format!(
            "{a}/payroll/simulator?plan_available=46200&plan_months=10&plan_reserve=10"
        ))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Salaire brut mensuel possible"));
    let cost = r
        .body
        .split("Coût total sur ces mois</dt><dd>")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .unwrap()
        .to_owned();
    let cents: i64 = cost
        .chars()
        .filter(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap();
    assert!(cents <= 4_158_000 && cents > 4_150_000, "{cost}");
    let r = me
        .get(&format!("{a}/payroll/simulator?plan_available=beaucoup"))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"e-plan_available\""));
    let r = me
        .get(&format!(
            "{a}/payroll/simulator?plan_available=10&plan_months=10"
        ))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("ne permet pas de verser un salaire"));
}
