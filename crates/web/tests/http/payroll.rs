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

/// 10 h at 80 € (20 %) and 2 h at 150 € (10 %): 1,100 € HT, 1,290 € TTC, validated today, half
/// of it paid (550 € HT collected).
async fn half_paid_invoice(app: &TestApp, activity: essaim_domain::ids::ActivityId) -> i64 {
    use essaim_app::selling::{self, docs};
    use essaim_domain::selling::{DocKind, LineInput};
    let admin = app
        .coop_actor(&email_for(RoleKind::Administrator), &app.coop_a)
        .await;
    let customer = selling::create_customer(&app.app, &admin, activity, &crate::selling::company())
        .await
        .unwrap();
    let item = |label: &str, qty: &str, price: &str, vat: &str| LineInput {
        label: label.into(),
        quantity: qty.into(),
        unit: "HUR".into(),
        unit_price: price.into(),
        vat: vat.into(),
        ..Default::default()
    };
    let input = docs::DocInput {
        customer_id: customer.to_string(),
        lines: vec![
            item("Pose", "10", "80", "fr20"),
            item("Conseil", "2", "150", "fr10"),
        ],
        ..Default::default()
    };
    let id = docs::create(&app.app, &admin, activity, DocKind::Invoice, &input)
        .await
        .unwrap();
    docs::validate(&app.app, &admin, id).await.unwrap();
    let pay = docs::PaymentInput {
        paid_on: "2026-11-29".into(),
        amount: "645,00".into(),
        mode: "transfer".into(),
        reference: "VIR 1".into(),
    };
    docs::record_payment(&app.app, &admin, id, &pay)
        .await
        .unwrap();
    id.get()
}

#[tokio::test]
async fn pay_01_the_activity_account_reads_the_books_and_levies_the_cooperatives_contribution() {
    for backend in essaim_testkit::backends() {
        let mailer = essaim_app::mail::Mailer::new(None, "essaim@test.invalid").unwrap();
        account_scenario(TestApp::spawn_with(backend, mailer).await).await;
    }
}

async fn account_scenario(app: TestApp) {
    let (mine, other) = crate::selling::activities(&app).await;
    let a = format!("/c/{}", app.coop_a);
    let settings = format!("{a}/settings/contribution");
    let mut admin = app.signed_in(&email_for(RoleKind::Administrator)).await;
    let mut me = app.signed_in(&email_for(RoleKind::Entrepreneur)).await;

    // PAY-10: the policy, with its errors beside the fields; only the settings role may.
    let r = admin
        .post_form(
            &settings,
            &[
                ("valid_from", "2026-01-01"),
                ("base", "collected_ht"),
                ("rate_1", "120"),
                ("exemption_months", "99"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"e-rate_1\""));
    assert!(r.body.contains("id=\"e-exemption_months\""));
    let r = admin
        .post_form(
            &settings,
            &[
                ("valid_from", "2025-06-01"),
                ("base", "collected_ht"),
                ("rate_1", "10"),
            ],
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "before the current fiscal year"
    );
    assert!(r.body.contains("exercice en cours"));
    let ok = [
        ("valid_from", "2026-01-01"),
        ("base", "collected_ht"),
        ("rate_1", "10"),
    ];
    assert_eq!(
        me.post_form(&settings, &ok).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(me.get(&settings).await.status, StatusCode::FORBIDDEN);
    let r = admin.post_form(&settings, &ok).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = admin.post_form(&settings, &ok).await;
    assert!(r.body.contains("commence déjà ce jour-là"));
    // A future version can be removed, one in force cannot.
    let r = admin
        .post_form(
            &settings,
            &[
                ("valid_from", "2027-01-01"),
                ("base", "collected_ht"),
                ("rate_1", "11"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = admin.get(&settings).await.body;
    assert!(page.contains("En vigueur") && page.contains("À venir"));
    let deletes: Vec<&str> = page
        .split("action=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .filter(|h| h.ends_with("/delete"))
        .collect();
    assert_eq!(
        deletes.len(),
        1,
        "only the upcoming version offers a delete"
    );
    let upcoming = deletes[0].to_owned();
    assert_eq!(
        admin.post_form(&upcoming, &[]).await.status,
        StatusCode::SEE_OTHER
    );
    assert!(!admin.get(&settings).await.body.contains("À venir"));
    let settings_actor = app
        .coop_actor(&email_for(RoleKind::Administrator), &app.coop_a)
        .await;
    let versions = essaim_app::payroll::policies::list(&app.app, &settings_actor)
        .await
        .unwrap();
    assert_eq!(versions.len(), 1);
    let in_force = format!("{settings}/{}/delete", versions[0].id);
    assert_eq!(
        admin.post_form(&in_force, &[]).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );

    let doc = half_paid_invoice(&app, mine).await;
    // PAY-01 on the collected basis: 550 € HT collected, 10 % contribution: 495 € available.
    let page = me
        .get(&format!("{a}/activities/{}/account", mine.get()))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("495,00\u{a0}€"), "available");
    assert!(page.body.contains("<svg class=\"waterfall\""));
    assert!(
        page.body.contains(&format!("href=\"{a}/sales/{doc}\"")),
        "the line opens its invoice"
    );
    assert!(
        page.body
            .contains("Contribution sur 550,00\u{a0}€ (règle du 01/01/2026)")
    );
    // The forecast adds the 550 € still due, less its 10 %.
    assert!(page.body.contains("990,00\u{a0}€"), "forecast");
    let only = me
        .get(&format!(
            "{a}/activities/{}/account?kind=contribution",
            mine.get()
        ))
        .await
        .body;
    assert!(only.contains("-55,00\u{a0}€") && !only.contains(&format!("href=\"{a}/sales/{doc}\"")));

    // PAY-21: a what-if, never saved: 3,000 € more billed adds 2,700 € once its 10 % is taken.
    let account = format!("{a}/activities/{}/account", mine.get());
    let scenario = me.get(&format!("{account}?extra=3000")).await;
    assert_eq!(scenario.status, StatusCode::OK);
    assert!(
        scenario
            .body
            .contains("Scénario : 3\u{202f}000,00\u{a0}€ de plus"),
        "{}",
        scenario.body
    );
    assert!(
        scenario.body.contains("3\u{202f}690,00\u{a0}€"),
        "990 + 2,700"
    );
    assert!(
        me.get(&account).await.body.contains("990,00\u{a0}€"),
        "nothing saved"
    );
    let refused = me.get(&format!("{account}?extra=beaucoup")).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("id=\"e-extra\""));

    // Point 6: the entrepreneur's home says it in plain words.
    let home = me.get(&a).await.body;
    assert!(home.contains("Mon activité et ma paie"));
    assert!(home.contains("495,00\u{a0}€") && home.contains("990,00\u{a0}€"));
    assert!(home.contains("Vous pouvez vous verser jusqu"));
    assert!(
        !accounting_home_has_pay(&app).await,
        "the support team has the overview instead"
    );
    // The same through the API, every figure in cents.
    let mut api = app.api_client(&email_for(RoleKind::Entrepreneur)).await;
    let path = format!(
        "/api/v1/cooperatives/{}/activities/{}/account",
        app.coop_a,
        mine.get()
    );
    let j = api.get(&path).await.json();
    assert_eq!(j["basis"], "collected");
    assert_eq!(j["available"]["cents"], 49_500);
    assert_eq!(j["to_date"]["revenue"]["cents"], 55_000);
    assert_eq!(j["to_date"]["contribution"]["cents"], -5_500);
    assert_eq!(j["forecast"]["receivables"]["cents"], 49_500);
    assert_eq!(j["forecast"]["available"]["cents"], 99_000);
    let lines = j["lines"].as_array().unwrap();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["source"], "payment");
    assert_eq!(lines[0]["source_id"], doc);
    assert_eq!(lines[1]["policy_from"], "2026-01-01");
    let r = api.get(&format!("{path}?year=hier")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("year"));

    // GDP-04: another's activity is refused; the support team reads every account; another
    // cooperative does not know the activity.
    let theirs = format!("{a}/activities/{}/account", other.get());
    assert_eq!(me.get(&theirs).await.status, StatusCode::FORBIDDEN);
    let r = api
        .get(&format!(
            "/api/v1/cooperatives/{}/activities/{}/account",
            app.coop_a,
            other.get()
        ))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let mut accounting = app.signed_in(&email_for(RoleKind::Accounting)).await;
    assert_eq!(accounting.get(&theirs).await.status, StatusCode::OK);
    // Point 7: the overview gives each activity the same figures as its account; the
    // entrepreneur's lists only theirs; it is exported.
    let overview = accounting.get(&format!("{a}/payroll/accounts")).await;
    assert_eq!(overview.status, StatusCode::OK);
    assert!(overview.body.contains("Atelier bois") && overview.body.contains("Conseil"));
    assert!(overview.body.contains("495,00\u{a0}€") && overview.body.contains("990,00\u{a0}€"));
    let own = me
        .get(&format!("{a}/payroll/accounts?sort=forecast"))
        .await
        .body;
    assert!(own.contains("Atelier bois") && !own.contains("Conseil"));
    let csv = accounting
        .get(&format!("{a}/payroll/accounts/export/csv"))
        .await;
    assert!(
        csv.body.contains("Atelier bois")
            && csv.body.contains("495.00")
            && csv.body.contains("990.00"),
        "{}",
        csv.body
    );
    // PAY-21, PAY-24: the cooperative's reserve and tolerance, errors beside their fields, set
    // by the settings role only; the account's suggestion follows the reserve.
    let planner = format!("{settings}/planner");
    assert!(me.get(&account).await.body.contains("plan_reserve=10"));
    let r = admin
        .post_form(&planner, &[("reserve", "60"), ("tolerance", "-5")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"e-reserve\"") && r.body.contains("id=\"e-tolerance\""));
    assert_eq!(
        me.post_form(&planner, &[("reserve", "20")]).await.status,
        StatusCode::FORBIDDEN
    );
    let r = admin
        .post_form(&planner, &[("reserve", "20"), ("tolerance", "1 500")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let shown = admin.get(&settings).await.body;
    assert!(shown.contains("value=\"20\"") && shown.contains("value=\"1500,00\""));
    assert!(me.get(&account).await.body.contains("plan_reserve=20"));
    let mut b = app.signed_in(essaim_testkit::ADMIN_B_EMAIL).await;
    let r = b
        .get(&format!(
            "/c/{}/activities/{}/account",
            app.coop_b,
            mine.get()
        ))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let theirs = b
        .get(&format!("/c/{}/payroll/accounts", app.coop_b))
        .await
        .body;
    assert!(!theirs.contains("Atelier bois"));

    // Once the books close 2026, the overview reads what each activity carried out of it; a
    // year later it still gives the same figures as the account, computed from every line.
    app.clock.advance(time::Duration::days(400));
    let accounting_actor = app
        .coop_actor(&email_for(RoleKind::Accounting), &app.coop_a)
        .await;
    essaim_app::books::close_month(
        &app.app,
        &accounting_actor,
        time::macros::date!(2026 - 12 - 01),
    )
    .await
    .unwrap();
    essaim_app::books::close_year(
        &app.app,
        &accounting_actor,
        time::macros::date!(2026 - 12 - 31),
    )
    .await
    .unwrap();
    let account = api.get(&path).await.json();
    assert_eq!(account["to_date"]["revenue"]["cents"], 0, "a new year");
    let carried = account["available"]["cents"].as_i64().unwrap();
    let rows = essaim_app::payroll::overview::overview(&app.app, &accounting_actor)
        .await
        .unwrap();
    let row = rows.iter().find(|r| r.activity == mine).unwrap();
    assert_eq!(row.realised, carried);
    assert_eq!(carried, 49_500, "2026's 495 € carried over, nothing since");
    let mut tx = app.app.store.read().await.unwrap();
    let nets = essaim_storage::payroll::year_nets(&mut tx, accounting_actor.cooperative)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert!(
        nets.contains(&(mine.get(), time::macros::date!(2026 - 01 - 01), 49_500)),
        "kept at the year's closing: {nets:?}"
    );
}

/// The entrepreneur of the test cooperative, with a CESA contract from March (fixed gross
/// 2,500 €), running "Atelier bois" alone; the second activity has nobody.
async fn salaried_entrepreneur(
    app: &TestApp,
) -> (
    essaim_domain::ids::ActivityId,
    essaim_domain::ids::ActivityId,
) {
    let acts = crate::selling::activities(app).await;
    let mut coach = app.signed_in(&email_for(RoleKind::Administrator)).await;
    let file = coach
        .post_form(
            &format!("/c/{}/people", app.coop_a),
            &[("first_name", "Emma"), ("last_name", "Salariée")],
        )
        .await
        .location()
        .to_owned();
    for f in [
        vec![("kind", "information_meeting"), ("on", "2026-01-05")],
        vec![("kind", "admitted"), ("on", "2026-01-15")],
        vec![("kind", "cesa_signed"), ("on", "2026-03-01")],
    ] {
        assert_eq!(
            coach.post_form(&format!("{file}/events"), &f).await.status,
            StatusCode::SEE_OTHER
        );
    }
    let entrepreneur = email_for(RoleKind::Entrepreneur);
    assert_eq!(
        coach
            .post_form(
                &format!("{file}/account"),
                &[("account_email", entrepreneur.as_str())]
            )
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let r = coach
        .post_form(
            &format!("{file}/contract"),
            &[
                ("effective_on", "2026-03-01"),
                ("summary", "Contrat signé"),
                ("objectives", "2 000 € HT par mois"),
                ("support", "Un entretien par mois"),
                ("contribution_rate", "10"),
                ("contribution_base", "collected"),
                ("fixed_monthly_gross", "2500"),
                ("variable_method", "Solde annuel"),
                ("statutes_reference", "Statuts du 12 juin 2024"),
                ("guarantees", "La clientèle reste attachée"),
                ("associate_procedure", "Candidature au conseil"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    acts
}

#[tokio::test]
async fn pay_25_a_month_is_locked_exported_and_its_payslips_charge_the_activity() {
    for backend in essaim_testkit::backends() {
        let mailer = essaim_app::mail::Mailer::new(None, "essaim@test.invalid").unwrap();
        bridge_scenario(TestApp::spawn_with(backend, mailer).await).await;
    }
}

async fn bridge_scenario(app: TestApp) {
    let (mine, _) = salaried_entrepreneur(&app).await;
    let a = format!("/c/{}", app.coop_a);
    let month = format!("{a}/payroll/months/2026-10");
    let mut paie = app.signed_in(&email_for(RoleKind::Payroll)).await;
    let mut me = app.signed_in(&email_for(RoleKind::Entrepreneur)).await;

    // The entrepreneur and the accounting team do not prepare the payroll.
    assert_eq!(
        me.get(&format!("{a}/payroll/months")).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(me.get(&month).await.status, StatusCode::FORBIDDEN);
    let mut accounting = app.signed_in(&email_for(RoleKind::Accounting)).await;
    assert_eq!(
        accounting
            .post_form(&format!("{month}/lock"), &[])
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    let r = paie
        .post_form(&format!("{a}/payroll/months"), &[("month", "novembre")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = paie
        .post_form(&format!("{a}/payroll/months"), &[("month", "2026-10")])
        .await;
    assert_eq!(r.location(), month);
    let page = paie.get(&month).await.body;
    assert!(page.contains("Emma Salariée"), "{page}");
    assert!(
        page.contains("value=\"2500,00\""),
        "the fixed gross from the contract"
    );
    assert!(page.contains("Repris du contrat"));

    // Variables: errors beside the field; then saved.
    let user = page
        .split("/people/")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_owned();
    let person = format!("{month}/people/{user}");
    let r = paie
        .post_form(
            &person,
            &[
                ("fixed_gross", "2500"),
                ("variable", "-10"),
                ("absence_days", "0,3"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("aria-describedby=\"e-E") && r.body.contains("-variable\""));
    let r = paie
        .post_form(
            &person,
            &[
                ("fixed_gross", "2500"),
                ("variable", "0"),
                ("expenses", "35,50"),
                ("absence_days", "1,5"),
                ("note", "Congé le 12"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // PAY-24: the activity has billed nothing, so an advance on the variable part would turn its
    // forecast negative: refused, unless the payroll team says why (audited).
    let advance = [
        ("fixed_gross", "2500"),
        ("variable", "500"),
        ("expenses", "35,50"),
        ("absence_days", "1,5"),
        ("note", "Congé le 12"),
    ];
    let r = paie.post_form(&person, &advance).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("prévision d&#39;une activité")
            || r.body.contains("prévision d'une activité"),
        "{}",
        r.body
    );
    assert!(r.body.contains("name=\"override_reason\""));
    let mut forced = advance.to_vec();
    forced.push((
        "override_reason",
        "Rattrapage convenu avec l'accompagnatrice",
    ));
    assert_eq!(
        paie.post_form(&person, &forced).await.status,
        StatusCode::SEE_OTHER
    );
    let admin = app
        .coop_actor(&email_for(RoleKind::Administrator), &app.coop_a)
        .await;
    let logged = essaim_app::audit::list(&app.app, &admin, &Default::default(), 20)
        .await
        .unwrap();
    assert!(logged.iter().any(|e| e.action == "payroll.pay24_override"));
    // Not exported, nor imported, before the lock.
    assert_eq!(
        paie.get(&format!("{month}/export/csv")).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        paie.post_form(&format!("{month}/lock"), &[]).await.status,
        StatusCode::SEE_OTHER
    );
    let r = paie.post_form(&person, &[("fixed_gross", "9000")]).await;
    assert!(
        r.body.contains("verrouillé"),
        "locked variables no longer change"
    );
    let csv = paie.get(&format!("{month}/export/csv")).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.body.contains("Salaire fixe brut"));
    assert!(
        csv.body.contains("2500.00")
            && csv.body.contains("35.50")
            && csv.body.contains("Congé le 12"),
        "{}",
        csv.body
    );
    assert_eq!(
        paie.get(&format!("{month}/export/xlsx")).await.status,
        StatusCode::OK
    );

    // The bureau's payslips: a bad file is refused whole, each problem with its line.
    let entrepreneur = email_for(RoleKind::Entrepreneur);
    let bad = format!(
        "email;brut;cotisations salariales;cotisations patronales;réductions;net\n{entrepreneur};2500;542,95;1092,40;429,75;1900\nautre@exemple.fr;cent;10;10;0;90\n"
    );
    let upload = format!("{month}/payslips");
    let r = paie
        .post_file(&upload, "file", "bulletins.csv", bad.as_bytes())
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("Ligne 2") && r.body.contains("Ligne 3"),
        "{}",
        r.body
    );
    let stranger = "email;brut;cotisations salariales;cotisations patronales;réductions;net\ninconnu@exemple.fr;100;10;10;0;90\n";
    let r = paie
        .post_file(&upload, "file", "bulletins.csv", stranger.as_bytes())
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("pas dans la paie du mois"));
    let good = format!(
        "email;brut;cotisations salariales;cotisations patronales;réductions;net\n{entrepreneur};2500;542,95;1092,40;429,75;1957,05\n"
    );
    let r = paie
        .post_file(&upload, "file", "bulletins.csv", good.as_bytes())
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = paie.get(&month).await.body;
    assert!(page.contains("3\u{202f}162,65\u{a0}€"), "the employer cost");
    assert!(page.contains("écart"), "the gap to the simulation");
    let r = paie
        .post_file(&upload, "file", "bulletins.csv", good.as_bytes())
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "imported once");

    let home = me.get(&a).await.body;
    assert!(
        home.contains("Dernier bulletin : octobre 2026, 1\u{202f}957,05\u{a0}€ net"),
        "{home}"
    );
    // The salary cost is in the books and in the activity's account (PAY-25).
    let mut api = app.api_client(&entrepreneur).await;
    let j = api
        .get(&format!(
            "/api/v1/cooperatives/{}/activities/{}/account",
            app.coop_a,
            mine.get()
        ))
        .await
        .json();
    assert_eq!(j["to_date"]["salary_cost"]["cents"], -316_265);
    let oct = j["months"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["month"] == "2026-10")
        .unwrap()
        .clone();
    assert_eq!(oct["salary_cost"]["cents"], -316_265);
    // November's and December's pay are scheduled from the contract, at the simulator's cost.
    assert_eq!(j["forecast"]["months_left"], 2);
    let today = time::macros::date!(2026 - 11 - 29);
    let cost = essaim_domain::payroll::payslip(
        essaim_domain::payroll::params::params_on(&essaim_domain::payroll::params::FRANCE, today)
            .unwrap(),
        &essaim_domain::payroll::Assumptions::default(),
        essaim_domain::payroll::Status::NonCadre,
        today,
        rust_decimal::Decimal::from(2500),
    )
    .employer_cost()
    .cents();
    assert_eq!(j["forecast"]["scheduled_payroll"]["cents"], 2 * cost);
}

async fn accounting_home_has_pay(app: &TestApp) -> bool {
    let mut c = app.signed_in(&email_for(RoleKind::Accounting)).await;
    c.get(&format!("/c/{}", app.coop_a))
        .await
        .body
        .contains("Mon activité et ma paie")
}

/// The overview reads sums between cuts (`account::cuts`) where the account reads every line and
/// payment: on the demo's history, with a cooperative policy changed in mid-year (a long
/// exemption for new activities) and an activity's own policy from the autumn, every activity's
/// row equals its account, on every database.
#[tokio::test]
async fn pay_12_the_overview_gives_every_demo_activity_the_figures_of_its_account() {
    for backend in essaim_testkit::backends() {
        let mailer = essaim_app::mail::Mailer::new(None, "essaim@test.invalid").unwrap();
        let app = TestApp::spawn_with(backend, mailer).await;
        essaim_app::demo::seed(
            &app.app,
            essaim_app::demo::DemoOptions {
                cooperatives: 1,
                entrepreneurs: 12,
                years: 2,
                seed: 11,
            },
        )
        .await
        .unwrap();
        let slug = "cooperative-l-essaim";
        let admin = app.coop_actor("admin@demo.essaim.coop", slug).await;
        let version = |from: &str, base: &str, exemption: &str| {
            essaim_domain::payroll::contribution::PolicyInput {
                valid_from: from.into(),
                base: base.into(),
                rate_1: "11".into(),
                up_to_1: "20000".into(),
                rate_2: "7".into(),
                exemption_months: exemption.into(),
                monthly_fee: "15".into(),
                ..Default::default()
            }
        };
        essaim_app::payroll::policies::add(
            &app.app,
            &admin,
            None,
            &version("2026-06-15", "collected_ht", "18"),
        )
        .await
        .unwrap();
        let activities = essaim_app::activities::names(&app.app, &admin)
            .await
            .unwrap();
        essaim_app::payroll::policies::add(
            &app.app,
            &admin,
            Some(activities[1].0),
            &version("2026-09-10", "gross_margin", "0"),
        )
        .await
        .unwrap();
        let team = app.coop_actor("comptabilite@demo.essaim.coop", slug).await;
        let rows = essaim_app::payroll::overview::overview(&app.app, &team)
            .await
            .unwrap();
        assert_eq!(rows.len(), activities.len());
        let mut with_revenue = 0;
        for row in &rows {
            let account =
                essaim_app::payroll::account::activity_account(&app.app, &team, row.activity, None)
                    .await
                    .unwrap();
            let s = &account.statement;
            assert_eq!(row.realised, s.realised.available.cents(), "{}", row.name);
            assert_eq!(
                row.revenue_to_date, s.realised.to_date.revenue,
                "{}",
                row.name
            );
            assert_eq!(
                row.salary_cost_to_date, s.realised.to_date.salary_cost,
                "{}",
                row.name
            );
            assert_eq!(
                Some(row.forecast),
                account.forecast.map(|f| f.available().cents()),
                "{}",
                row.name
            );
            if row.revenue_to_date != 0 {
                with_revenue += 1;
            }
        }
        assert!(with_revenue > 5, "the demo gives the activities a history");
    }
}
