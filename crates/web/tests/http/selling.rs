//! Selling through the pages (issue 4): customers, quotes accepted online, deposit and final
//! invoices, validation and numbering (INV-10…14), payments, credit notes, PDF and Factur-X,
//! and the refusals that keep documents frozen and activities apart (GEN-03, GDP-04).

use axum::http::StatusCode;
use essaim_app::{activities, selling};
use essaim_domain::access::RoleKind;
use essaim_domain::activity::ActivityInput;
use essaim_domain::ids::ActivityId;
use essaim_domain::selling::customer::CustomerInput;
use essaim_testkit::{Client, TestApp, email_for};

/// An activity of cooperative A run by the entrepreneur, and one run by nobody.
pub async fn activities(app: &TestApp) -> (ActivityId, ActivityId) {
    let admin = app
        .coop_actor(&email_for(RoleKind::Administrator), &app.coop_a)
        .await;
    let input = |name: &str, code: &str| ActivityInput {
        name: name.into(),
        analytic_code: code.into(),
        start_on: "2026-01-05".into(),
        ..ActivityInput::default()
    };
    let mine = activities::create(&app.app, &admin, &input("Atelier bois", "BOIS"), None)
        .await
        .unwrap();
    let entrepreneur = app.actor(&email_for(RoleKind::Entrepreneur)).await.user.id;
    activities::set_members(&app.app, &admin, mine, &[(entrepreneur, 10_000)], None)
        .await
        .unwrap();
    let other = activities::create(&app.app, &admin, &input("Conseil", "CONS"), None)
        .await
        .unwrap();
    (mine, other)
}

pub fn company() -> CustomerInput {
    CustomerInput {
        kind: "company".into(),
        name: "Menuiserie Durand".into(),
        siret: "44306184100047".into(),
        email: "compta@durand.test".into(),
        address_line1: "3 rue des Lilas".into(),
        postcode: "69001".into(),
        city: "Lyon".into(),
        country: "FR".into(),
        ..CustomerInput::default()
    }
}

fn line<'a>(
    i: usize,
    label: &'a str,
    qty: &'a str,
    price: &'a str,
    vat: &'a str,
) -> Vec<(String, String)> {
    vec![
        (format!("l{i}.kind"), "item".into()),
        (format!("l{i}.label"), label.into()),
        (format!("l{i}.quantity"), qty.into()),
        (format!("l{i}.unit"), "HUR".into()),
        (format!("l{i}.unit_price"), price.into()),
        (format!("l{i}.vat"), vat.into()),
        (format!("l{i}.discount"), String::new()),
    ]
}

async fn post(c: &mut Client, path: &str, fields: &[(String, String)]) -> essaim_testkit::Reply {
    let refs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    c.post_form(path, &refs).await
}

fn id_of(location: &str) -> i64 {
    location
        .split('/')
        .nth(4)
        .and_then(|s| s.split('?').next())
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no id in {location}"))
}

#[tokio::test]
async fn a_quote_is_accepted_online_then_invoiced_with_a_deposit_paid_and_credited() {
    for backend in essaim_testkit::backends() {
        let mailer = essaim_app::mail::Mailer::new(None, "essaim@test.invalid").unwrap();
        quote_to_credit_note(TestApp::spawn_with(backend, mailer).await).await;
    }
}

async fn quote_to_credit_note(app: TestApp) {
    let (activity, _) = activities(&app).await;
    let a = &app.coop_a;
    let mut ent = app.signed_in(&email_for(RoleKind::Entrepreneur)).await;

    // A customer, with errors beside the fields first (INV-02).
    let r = ent
        .post_form(
            &format!("/c/{a}/customers?activity={activity}"),
            &[
                ("kind", "company"),
                ("name", "Durand"),
                ("siret", "44306184100048"),
                ("address_line1", "3 rue"),
                ("postcode", "6900"),
                ("city", "Lyon"),
                ("country", "FR"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("SIRET"), "{}", r.body);
    let r = ent
        .post_form(
            &format!("/c/{a}/customers?activity={activity}"),
            &[
                ("kind", "company"),
                ("name", "Menuiserie Durand"),
                ("siret", "44306184100047"),
                ("email", "compta@durand.test"),
                ("address_line1", "3 rue des Lilas"),
                ("postcode", "69001"),
                ("city", "Lyon"),
                ("country", "FR"),
                ("payment_days", "30"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let customer = id_of(r.location()).to_string();
    // A second customer with the same SIREN is accepted, with a warning.
    let r = ent
        .post_form(
            &format!("/c/{a}/customers?activity={activity}"),
            &[
                ("kind", "company"),
                ("name", "Durand Lyon 2"),
                ("siret", "44306184100047"),
                ("address_line1", "1 place"),
                ("postcode", "69002"),
                ("city", "Lyon"),
                ("country", "FR"),
            ],
        )
        .await;
    let r = ent.get(r.location()).await;
    assert!(r.body.contains("a déjà ce SIREN"), "{}", r.body);

    // A quote: a bad quantity is shown beside its line.
    let mut fields = vec![
        ("customer_id".to_owned(), customer.clone()),
        ("doc_date".to_owned(), "2026-11-29".to_owned()),
        ("valid_until".to_owned(), "2026-12-29".to_owned()),
        ("price_basis".to_owned(), "ht".to_owned()),
        ("rows".to_owned(), "3".to_owned()),
        ("l0.kind".to_owned(), "section".to_owned()),
        ("l0.label".to_owned(), "Fabrication".to_owned()),
    ];
    fields.extend(line(1, "Conception", "abc", "80", "fr20"));
    fields.extend(line(2, "Bois de chêne", "2", "150", "fr10"));
    let new_quote = format!("/c/{a}/sales?kind=quote&activity={activity}");
    let r = post(&mut ent, &new_quote, &fields).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Nombre attendu"), "{}", r.body);
    fields.retain(|(k, _)| k != "l1.quantity");
    fields.push(("l1.quantity".into(), "10".into()));
    let r = post(&mut ent, &new_quote, &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let quote = r.location().to_owned();
    let page = ent.get(&quote).await;
    // 800 HT at 20 % + 300 HT at 10 %: 1 100 HT, 190 VAT, 1 290 TTC.
    assert!(
        page.body.contains("1\u{202f}290,00\u{a0}€"),
        "{}",
        page.body
    );

    // Sent: numbered, with a signed link the customer uses without an account.
    let r = ent.post_form(&format!("{quote}/send"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let token = r.location().split("link=").nth(1).unwrap().to_owned();
    let mut customer_browser = app.client();
    let r = customer_browser.get(&format!("/q/{token}")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("D2026-00001"), "{}", r.body);
    let r = customer_browser
        .post_form(
            &format!("/q/{token}"),
            &[("answer", "accept"), ("name", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = customer_browser
        .post_form(
            &format!("/q/{token}"),
            &[("answer", "accept"), ("name", "Jeanne Durand")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = customer_browser.get(&format!("/q/{token}")).await;
    assert!(r.body.contains("Jeanne Durand"));
    assert!(customer_browser.get("/q/not-a-token").await.status == StatusCode::NOT_FOUND);

    // A 30 % deposit, which the entrepreneur cannot validate without a ceiling.
    let r = ent
        .post_form(
            &format!("{quote}/deposit"),
            &[("percent", "30"), ("amount", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let deposit = r.location().to_owned();
    let r = ent.post_form(&format!("{deposit}/validate"), &[]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let mut validator = app.signed_in(&email_for(RoleKind::Validation)).await;
    let r = validator
        .post_form(&format!("{deposit}/validate"), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = validator.get(&deposit).await;
    assert!(page.body.contains("acompte F2026-00001"), "{}", page.body);
    assert!(
        page.body.contains("387,00"),
        "30 % of 1 290 TTC: {}",
        page.body
    );

    // The final invoice deducts the deposit; deposit + final = the quote.
    let r = ent.post_form(&format!("{quote}/final"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let fin = r.location().to_owned();
    let page = ent.get(&fin).await;
    assert!(page.body.contains("903,00"), "1 290 − 387: {}", page.body);
    let r = validator.post_form(&format!("{fin}/validate"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(validator.get(&fin).await.body.contains("F2026-00002"));

    // Frozen (GEN-03): no edit, no delete, no second validation.
    let r = post(&mut ent, &format!("{fin}/edit"), &fields).await;
    assert_ne!(r.status, StatusCode::SEE_OTHER);
    assert!(r.body.contains("ne peut plus être modifié"), "{}", r.body);
    let r = ent.post_form(&format!("{fin}/delete"), &[]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = validator.post_form(&format!("{fin}/validate"), &[]).await;
    assert_ne!(r.status, StatusCode::SEE_OTHER);

    // Payments: the entrepreneur may not record them; accounting does, partly then fully.
    let r = ent
        .post_form(
            &format!("{fin}/payments"),
            &[
                ("paid_on", "2026-11-29"),
                ("amount", "100"),
                ("mode", "transfer"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let mut accounting = app.signed_in(&email_for(RoleKind::Accounting)).await;
    let r = accounting
        .post_form(
            &format!("{fin}/payments"),
            &[
                ("paid_on", "2026-11-29"),
                ("amount", "1000"),
                ("mode", "transfer"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "more than due");
    assert!(r.body.contains("dépasse ce qui reste"));
    let r = accounting
        .post_form(
            &format!("{fin}/payments"),
            &[
                ("paid_on", "2026-11-29"),
                ("amount", "403"),
                ("mode", "cheque"),
                ("reference", "CHQ 1234"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(accounting.get(&fin).await.body.contains("Payée en partie"));
    let r = accounting
        .post_form(
            &format!("{fin}/payments"),
            &[
                ("paid_on", "2026-11-29"),
                ("amount", "500"),
                ("mode", "transfer"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = accounting.get(&fin).await;
    assert!(page.body.contains(">Payée<"), "{}", page.body);

    // PDF (PDF/A-3 with Factur-X) and the XML alone.
    let pdf = ent.get(&format!("{fin}/download/pdf")).await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert!(pdf.body.starts_with("%PDF-"));
    assert!(
        pdf.headers["content-disposition"]
            .to_str()
            .unwrap()
            .contains("F2026-00002.pdf")
    );
    let xml = ent.get(&format!("{fin}/download/xml")).await;
    assert_eq!(xml.status, StatusCode::OK);
    assert!(xml.body.contains("CrossIndustryInvoice") && xml.body.contains("F2026-00002"));
    let r = ent.get(&format!("{quote}/download/xml")).await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "no XML for a quote"
    );

    // A full credit note on the deposit, in the same sequence (INV-33).
    let r = ent.post_form(&format!("{deposit}/credit-note"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let credit = r.location().to_owned();
    let r = validator
        .post_form(&format!("{credit}/validate"), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = validator.get(&credit).await;
    assert!(page.body.contains("Avoir F2026-00003"), "{}", page.body);
    let xml = validator.get(&format!("{credit}/download/xml")).await;
    assert!(
        xml.body.contains(">381<") && xml.body.contains("F2026-00001"),
        "{}",
        xml.body
    );
    assert!(
        validator
            .get(&deposit)
            .await
            .body
            .contains("Annulée par avoir")
    );
    let r = ent.post_form(&format!("{deposit}/credit-note"), &[]).await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "already fully credited"
    );

    // The cooperative's list: filters and totals; CSV export.
    let list = validator.get(&format!("/c/{a}/invoices?status=paid")).await;
    assert!(
        list.body.contains("F2026-00002") && !list.body.contains("F2026-00001<"),
        "{}",
        list.body
    );
    let csv = validator.get(&format!("/c/{a}/exports/invoices/csv")).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert_eq!(csv.body.lines().count(), 4, "{}", csv.body);
    // The stored payment status behind the filters agrees with the domain's derivation.
    let v_actor = app.coop_actor(&email_for(RoleKind::Validation), a).await;
    for status in ["issued", "partly_paid", "paid", "cancelled", "draft"] {
        let filter = essaim_app::records::DocFilter {
            status: Some(status.into()),
            ..Default::default()
        };
        let (rows, totals) = essaim_app::selling::docs::list(&app.app, &v_actor, filter, 100, 0)
            .await
            .unwrap();
        assert_eq!(totals.count as usize, rows.len());
        for d in &rows {
            let shown = essaim_app::selling::docs::status_of(d, essaim_testkit::NOW.date());
            assert_eq!(shown.code(), status, "{:?}", d.number);
        }
    }
    let r = validator.get(&format!("/c/{a}/invoices?from=hier")).await;
    assert!(r.body.contains("date"), "a bad filter is explained");
}

#[tokio::test]
async fn gdp_04_an_entrepreneur_works_only_on_their_activities_and_cooperatives_stay_apart() {
    let app = TestApp::spawn().await;
    let (mine, other) = activities(&app).await;
    let a = &app.coop_a;
    let admin = app.coop_actor(&email_for(RoleKind::Administrator), a).await;
    let theirs = selling::create_customer(&app.app, &admin, other, &company())
        .await
        .unwrap();
    let mut ent = app.signed_in(&email_for(RoleKind::Entrepreneur)).await;

    // Creating for another activity, or with its customer, is refused.
    let r = ent
        .get(&format!("/c/{a}/sales/new?kind=invoice&activity={other}"))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let mut fields = vec![
        ("customer_id".to_owned(), theirs.to_string()),
        ("rows".to_owned(), "1".to_owned()),
    ];
    fields.extend(line(0, "Conseil", "1", "100", "fr20"));
    let r = post(
        &mut ent,
        &format!("/c/{a}/sales?kind=invoice&activity={mine}"),
        &fields,
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Client inconnu"), "{}", r.body);
    assert_eq!(
        ent.get(&format!("/c/{a}/customers/{theirs}")).await.status,
        StatusCode::NOT_FOUND
    );

    // A document of the other activity is invisible, its PDF too.
    let other_doc = {
        let input = essaim_app::selling::docs::DocInput {
            customer_id: theirs.to_string(),
            lines: vec![essaim_domain::selling::LineInput {
                label: "Audit".into(),
                quantity: "1".into(),
                unit: "DAY".into(),
                unit_price: "900".into(),
                vat: "fr20".into(),
                ..Default::default()
            }],
            ..Default::default()
        };
        essaim_app::selling::docs::create(
            &app.app,
            &admin,
            other,
            essaim_domain::selling::DocKind::Invoice,
            &input,
        )
        .await
        .unwrap()
    };
    for path in [
        format!("/c/{a}/sales/{other_doc}"),
        format!("/c/{a}/sales/{other_doc}/download/pdf"),
    ] {
        assert_eq!(ent.get(&path).await.status, StatusCode::NOT_FOUND, "{path}");
    }
    assert!(
        !ent.get(&format!("/c/{a}/invoices"))
            .await
            .body
            .contains("Menuiserie Durand")
    );
    let r = ent
        .post_form(&format!("/c/{a}/sales/{other_doc}/validate"), &[])
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    // Cooperative B's administrator sees nothing of A, even with the right id.
    let mut admin_b = app.signed_in(essaim_testkit::ADMIN_B_EMAIL).await;
    let b = &app.coop_b;
    assert_eq!(
        admin_b
            .get(&format!("/c/{b}/sales/{other_doc}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        admin_b
            .get(&format!("/c/{a}/sales/{other_doc}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert!(
        !admin_b
            .get(&format!("/c/{b}/customers"))
            .await
            .body
            .contains("Durand")
    );

    // Roles without selling rights do not see the lists at all.
    let mut member = app.signed_in(&email_for(RoleKind::Member)).await;
    assert_eq!(
        member.get(&format!("/c/{a}/invoices")).await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn inv_04_self_validation_works_only_under_the_persons_ceiling() {
    let app = TestApp::spawn().await;
    let (mine, _) = activities(&app).await;
    let a = &app.coop_a;
    let admin_actor = app.coop_actor(&email_for(RoleKind::Administrator), a).await;
    let customer = selling::create_customer(&app.app, &admin_actor, mine, &company())
        .await
        .unwrap();
    let mut admin = app.signed_in(&email_for(RoleKind::Administrator)).await;
    let r = admin
        .post_form(
            &format!("/c/{a}/settings/ceilings"),
            &[
                ("email", &email_for(RoleKind::Entrepreneur)),
                ("ceiling", "1000"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = admin
        .post_form(
            &format!("/c/{a}/settings/ceilings"),
            &[("email", "nobody@test"), ("ceiling", "1000")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);

    let mut ent = app.signed_in(&email_for(RoleKind::Entrepreneur)).await;
    let invoice = |price: &'static str| {
        let mut f = vec![
            ("customer_id".to_owned(), customer.to_string()),
            ("rows".to_owned(), "1".to_owned()),
        ];
        f.extend(line(0, "Conseil", "1", price, "fr20"));
        f
    };
    let r = post(
        &mut ent,
        &format!("/c/{a}/sales?kind=invoice&activity={mine}"),
        &invoice("1000"),
    )
    .await;
    let small = r.location().to_owned();
    let r = post(
        &mut ent,
        &format!("/c/{a}/sales?kind=invoice&activity={mine}"),
        &invoice("1000.01"),
    )
    .await;
    let large = r.location().to_owned();
    assert!(ent.get(&small).await.body.contains("Valider et numéroter"));
    assert!(!ent.get(&large).await.body.contains("Valider et numéroter"));
    assert_eq!(
        ent.post_form(&format!("{large}/validate"), &[])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        ent.post_form(&format!("{small}/validate"), &[])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    assert!(ent.get(&small).await.body.contains("F2026-00001"));
}

#[tokio::test]
async fn quotes_invoices_and_reminders_leave_by_e_mail_with_their_pdf_and_are_logged() {
    let (url, inbox) = essaim_testkit::smtp::start().await;
    let app = TestApp::spawn_with(
        essaim_testkit::Backend::Sqlite,
        essaim_app::mail::Mailer::new(Some(&url), "essaim@test.invalid").unwrap(),
    )
    .await;
    let (mine, _) = activities(&app).await;
    let a = &app.coop_a;
    let admin = app.coop_actor(&email_for(RoleKind::Administrator), a).await;
    let customer = selling::create_customer(&app.app, &admin, mine, &company())
        .await
        .unwrap();
    let mut ent = app.signed_in(&email_for(RoleKind::Entrepreneur)).await;
    let mut fields = vec![
        ("customer_id".to_owned(), customer.to_string()),
        ("rows".to_owned(), "1".to_owned()),
    ];
    fields.extend(line(0, "Conseil", "2", "300", "fr20"));

    // A quote: numbered when e-mailed, with its acceptance link.
    let r = post(
        &mut ent,
        &format!("/c/{a}/sales?kind=quote&activity={mine}"),
        &fields,
    )
    .await;
    let quote = r.location().to_owned();
    let r = ent
        .post_form(&format!("{quote}/email"), &[("to", "")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    app.run_jobs().await;
    let messages = inbox.messages();
    assert_eq!(messages.len(), 1);
    assert!(
        messages[0].contains("Subject: Devis D2026-00001"),
        "{}",
        messages[0]
    );
    assert!(messages[0].contains("compta@durand.test"));
    assert!(
        messages[0].contains("http://essaim.test/q/"),
        "{}",
        messages[0]
    );
    assert!(
        messages[0].contains("filename=\"D2026-00001.pdf\""),
        "{}",
        messages[0]
    );

    // An invoice, validated, sent, then reminded once overdue.
    let r = post(
        &mut ent,
        &format!("/c/{a}/sales?kind=invoice&activity={mine}"),
        &fields,
    )
    .await;
    let invoice = r.location().to_owned();
    let r = ent
        .post_form(&format!("{invoice}/email"), &[("to", "")])
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a draft is not sent"
    );
    let mut validator = app.signed_in(&email_for(RoleKind::Validation)).await;
    validator
        .post_form(&format!("{invoice}/validate"), &[])
        .await;
    let r = ent
        .post_form(&format!("{invoice}/email"), &[("to", "pas une adresse")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = ent
        .post_form(
            &format!("{invoice}/email"),
            &[("to", "paiement@durand.test")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = ent
        .post_form(
            &format!("{invoice}/email"),
            &[("reminder", "1"), ("to", "")],
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "not overdue yet"
    );
    app.run_jobs().await;
    let messages = inbox.messages();
    assert_eq!(messages.len(), 2);
    assert!(
        messages[1].contains("Subject: Facture F2026-00001")
            && messages[1].contains("paiement@durand.test")
    );
    assert!(messages[1].contains("application/pdf"));
    app.clock.advance(time::Duration::days(40));
    let mut ent = app.signed_in(&email_for(RoleKind::Entrepreneur)).await;
    let r = ent
        .post_form(
            &format!("{invoice}/email"),
            &[("reminder", "1"), ("to", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    app.run_jobs().await;
    let messages = inbox.messages();
    assert_eq!(messages.len(), 3);
    assert!(messages[2].contains("Relance"), "{}", messages[2]);
    let page = ent.get(&invoice).await;
    assert!(
        page.body.contains("Envoyé par e-mail") && page.body.contains("Relance envoyée"),
        "{}",
        page.body
    );

    // The cooperative's own template is used; an unknown field is refused.
    let mut admin_browser = app.signed_in(&email_for(RoleKind::Administrator)).await;
    let r = admin_browser
        .post_form(
            &format!("/c/{a}/settings/mail-templates/invoice"),
            &[("subject", "Votre facture {numero}"), ("body", "Bonjour")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = admin_browser
        .post_form(
            &format!("/c/{a}/settings/mail-templates/invoice"),
            &[
                ("subject", "Votre facture {number} de {activity}"),
                ("body", "Bonjour {customer}"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    ent.post_form(&format!("{invoice}/email"), &[("to", "")])
        .await;
    app.run_jobs().await;
    assert!(
        inbox.messages()[3].contains("Subject: Votre facture F2026-00001 de Atelier bois"),
        "{}",
        inbox.messages()[3]
    );
}

#[tokio::test]
async fn a_zip_of_a_periods_pdfs_is_built_in_the_background_for_its_requester_only() {
    let app = TestApp::spawn().await;
    let (mine, other) = activities(&app).await;
    let a = &app.coop_a;
    let admin = app.coop_actor(&email_for(RoleKind::Administrator), a).await;
    let validator = app.coop_actor(&email_for(RoleKind::Validation), a).await;
    for activity in [mine, other] {
        let customer = selling::create_customer(&app.app, &admin, activity, &company())
            .await
            .unwrap();
        let input = essaim_app::selling::docs::DocInput {
            customer_id: customer.to_string(),
            lines: vec![essaim_domain::selling::LineInput {
                label: "Audit".into(),
                quantity: "1".into(),
                unit: "DAY".into(),
                unit_price: "900".into(),
                vat: "fr20".into(),
                ..Default::default()
            }],
            ..Default::default()
        };
        let id = essaim_app::selling::docs::create(
            &app.app,
            &admin,
            activity,
            essaim_domain::selling::DocKind::Invoice,
            &input,
        )
        .await
        .unwrap();
        essaim_app::selling::docs::validate(&app.app, &validator, id)
            .await
            .unwrap();
    }
    // Local file headers of the ZIP: one per PDF.
    let count_entries = |bytes: &str| bytes.matches("PK\u{3}\u{4}").count();
    let mut ent = app.signed_in(&email_for(RoleKind::Entrepreneur)).await;
    let r = ent
        .post_form(
            &format!("/c/{a}/archives"),
            &[("from", "2026-12-01"), ("to", "2026-01-01")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = ent
        .post_form(
            &format!("/c/{a}/archives"),
            &[("from", "2026-01-01"), ("to", "2026-12-31")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let mine_archive = r.location().to_owned();
    let page = ent.get(&mine_archive).await;
    assert!(
        page.body.contains("<progress") && page.body.contains("En attente"),
        "{}",
        page.body
    );
    app.run_jobs().await;
    let status = ent.get(&format!("{mine_archive}/status")).await;
    assert_eq!(status.json()["status"], "done");
    assert_eq!(
        status.json()["total"],
        1,
        "only the entrepreneur's activity"
    );
    let zip = ent.get(&format!("{mine_archive}/download")).await;
    assert_eq!(zip.status, StatusCode::OK);
    assert!(zip.body.starts_with("PK"));
    assert_eq!(count_entries(&zip.body), 1);

    let mut v = app.signed_in(&email_for(RoleKind::Validation)).await;
    assert_eq!(
        v.get(&mine_archive).await.status,
        StatusCode::NOT_FOUND,
        "someone else's archive"
    );
    let r = v
        .post_form(
            &format!("/c/{a}/archives"),
            &[("from", "2026-01-01"), ("to", "2026-12-31")],
        )
        .await;
    let all = r.location().to_owned();
    app.run_jobs().await;
    assert_eq!(v.get(&format!("{all}/status")).await.json()["total"], 2);
    let page = v.get(&all).await;
    assert!(
        page.body.contains("L&#x27;archive est prête") || page.body.contains("archive est prête"),
        "{}",
        page.body
    );
}

#[tokio::test]
async fn the_catalogue_feeds_lines_and_the_cooperative_chooses_its_numbering() {
    let app = TestApp::spawn().await;
    let (mine, _) = activities(&app).await;
    let a = &app.coop_a;
    let admin_actor = app.coop_actor(&email_for(RoleKind::Administrator), a).await;
    let customer = selling::create_customer(&app.app, &admin_actor, mine, &company())
        .await
        .unwrap();
    let mut ent = app.signed_in(&email_for(RoleKind::Entrepreneur)).await;

    // Catalogue: errors beside the fields, then an item.
    let catalog = format!("/c/{a}/activities/{mine}/catalog");
    let r = ent
        .post_form(
            &catalog,
            &[
                ("label", ""),
                ("unit", "HUR"),
                ("unit_price", "-3"),
                ("vat", "fr20"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("Ce champ est obligatoire") && r.body.contains("ne peut pas être négatif"),
        "{}",
        r.body
    );
    let r = ent
        .post_form(
            &catalog,
            &[
                ("label", "Heure de menuiserie"),
                ("unit", "HUR"),
                ("unit_price", "48,50"),
                ("vat", "fr20"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = ent.get(&catalog).await;
    assert!(page.body.contains("Heure de menuiserie") && page.body.contains("48,50"));
    let item = page
        .body
        .split("/catalog/")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_owned();

    // In the form, "Ajouter la ligne" copies the item into a new line without saving.
    let r = ent
        .post_form(
            &format!("/c/{a}/sales?kind=invoice&activity={mine}"),
            &[
                ("customer_id", &customer.to_string()),
                ("rows", "0"),
                ("action", "add_item"),
                ("catalog_item", &item),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body.contains("value=\"Heure de menuiserie\"") && r.body.contains("value=\"48,50\""),
        "{}",
        r.body
    );

    // Another activity's catalogue is not the entrepreneur's to change.
    let (_, other) = (mine, ActivityId::new(mine.get() + 1));
    let r = ent
        .post_form(
            &format!("/c/{a}/activities/{other}/catalog"),
            &[
                ("label", "x"),
                ("unit", "HUR"),
                ("unit_price", "1"),
                ("vat", "fr20"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // One series per activity and year (INV-11), chosen by the administration.
    let mut admin = app.signed_in(&email_for(RoleKind::Administrator)).await;
    let settings = format!("/c/{a}/settings/selling");
    let base = [
        ("quote_template", "D{YYYY}-{SEQ:5}"),
        ("accent", "#1f4e79"),
        ("iban", ""),
        ("bic", ""),
    ];
    let mut bad = base.to_vec();
    bad.push(("invoice_template", "Facture n°{SEQ}"));
    let r = admin.post_form(&settings, &bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let mut bad = base.to_vec();
    bad.push(("invoice_template", "{YYYY}-{ACTIVITY}-{SEQ:3}"));
    bad[2] = ("iban", "FR76 3000 6000 0112 3456 7890 188");
    bad[3] = ("bic", "XX");
    let r = admin.post_form(&settings, &bad).await;
    assert!(
        r.body.contains("clé de cet IBAN est fausse") || r.body.contains("BIC incorrect"),
        "{}",
        r.body
    );
    let mut good = base.to_vec();
    good.push(("invoice_template", "{YYYY}-{ACTIVITY}-{SEQ:3}"));
    let r = admin.post_form(&settings, &good).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let mut fields = vec![
        ("customer_id".to_owned(), customer.to_string()),
        ("rows".to_owned(), "1".to_owned()),
    ];
    fields.extend(line(0, "Conseil", "1", "100", "fr20"));
    let r = post(
        &mut ent,
        &format!("/c/{a}/sales?kind=invoice&activity={mine}"),
        &fields,
    )
    .await;
    let invoice = r.location().to_owned();
    let mut validator = app.signed_in(&email_for(RoleKind::Validation)).await;
    let r = validator
        .post_form(&format!("{invoice}/validate"), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = validator.get(&invoice).await;
    assert!(page.body.contains("2026-BOIS-001"), "{}", page.body);
}
