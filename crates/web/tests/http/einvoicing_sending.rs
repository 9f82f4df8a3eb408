//! Sending validated invoices through the platform and hearing back (issue 20 items 3 and 4;
//! EIN-02, EIN-03, EIN-20…22), against the conformance platform: it checks every deposit (the
//! Factur-X carries its CII, which reads back with the cooperative as seller), loses answers,
//! and plays the buyer. With `ESSAIM_FACTURX_OUT=DIR` the deposited files are written there for
//! `scripts/check-facturx`, which runs the independent checker on them with the French CTC rules.

use axum::http::StatusCode;
use essaim_app::einvoicing::{self, sending, sync};
use essaim_app::selling::{self, docs};
use essaim_domain::access::RoleKind;
use essaim_domain::einvoicing::connection::ConnectionInput;
use essaim_domain::ids::SaleDocId;
use essaim_domain::selling::customer::CustomerInput;
use essaim_domain::selling::{DocKind, LineInput};
use essaim_einvoicing::conformance::{Fault, Sandbox, Setup, Target};
use essaim_einvoicing::wire::{FlowSyntax, FlowType};
use essaim_exchange::cdar::{Party, StatusMessage, write_cdar};
use essaim_testkit::{ADMIN_B_EMAIL, TestApp, email_for};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

#[tokio::test]
async fn ein_03_validated_invoices_go_out_once_and_their_statuses_come_back() {
    for backend in essaim_testkit::backends() {
        let mailer = essaim_app::mail::Mailer::new(None, "essaim@test.invalid").unwrap();
        scenario(TestApp::spawn_with(backend, mailer).await).await;
    }
}

fn invoice(customer: i64) -> docs::DocInput {
    docs::DocInput {
        customer_id: customer.to_string(),
        lines: vec![LineInput {
            kind: "item".into(),
            label: "Conseil en aménagement".into(),
            quantity: "3".into(),
            unit: "HUR".into(),
            unit_price: "80".into(),
            vat: "fr20".into(),
            ..LineInput::default()
        }],
        ..docs::DocInput::default()
    }
}

/// What the buyer's side sends about an invoice (through its platform).
fn answer(number: &str, status: u16, reason: Option<(&str, &str)>) -> Vec<u8> {
    write_cdar(&StatusMessage {
        id: format!("cdar-{number}-{status}"),
        issued_at: time::macros::datetime!(2026-12-01 09:30 UTC),
        issuer: Party {
            siren: "443061841".into(),
            name: "Menuiserie Durand".into(),
            role: "BY".into(),
            address: None,
        },
        recipient: Party {
            siren: essaim_testkit::SIRET_A.0[..9].into(),
            name: "Coopérative A".into(),
            role: "SE".into(),
            address: None,
        },
        invoice_number: number.into(),
        invoice_type: "380".into(),
        invoice_date: time::macros::date!(2026 - 11 - 29),
        seller_siren: essaim_testkit::SIRET_A.0[..9].into(),
        status,
        reason: reason.map(|(c, t)| (c.to_owned(), t.to_owned())),
        collected: None,
    })
    .into_bytes()
}

async fn scenario(app: TestApp) {
    let reject = Arc::new(AtomicBool::new(false));
    let seller = essaim_testkit::SIRET_A.0[..9].to_owned();
    let checker = {
        let reject = reject.clone();
        Arc::new(
            move |info: &essaim_einvoicing::wire::FlowInfo, file: &[u8]| -> Result<(), String> {
                if info.flow_syntax == FlowSyntax::Cdar {
                    let m = essaim_exchange::cdar::read_cdar(file).map_err(|e| e.detail)?;
                    return if m.seller_siren == seller && m.status == 212 && m.collected.is_some() {
                        Ok(())
                    } else {
                        Err(format!("unexpected status message {m:?}"))
                    };
                }
                if info.flow_syntax != FlowSyntax::FacturX {
                    return Err("Factur-X expected".into());
                }
                let xml = essaim_documents::facturx_in::embedded_invoice_xml(file)
                    .map_err(|e| format!("no Factur-X attachment: {e}"))?;
                let invoice = essaim_exchange::cii::parse_cii(&xml).map_err(|e| e.to_string())?;
                let siren = invoice
                    .seller
                    .legal_id
                    .as_ref()
                    .map(|(id, _)| &id[..9.min(id.len())]);
                if siren != Some(seller.as_str()) {
                    return Err(format!("seller {:?}", invoice.seller.legal_id));
                }
                if reject.load(Ordering::SeqCst) {
                    return Err("BR-FR-12 : adresse électronique de l'acheteur absente".into());
                }
                Ok(())
            },
        )
    };
    let pa = Sandbox::start(Setup {
        checker: Some(checker),
        ..Setup::default()
    })
    .await
    .unwrap();
    let c = pa.connection();
    // The directory knows the business customer (EIN-41).
    pa.add_legal_unit(essaim_einvoicing::wire::LegalUnit {
        siren: "443061841".into(),
        business_name: Some("Menuiserie Durand".into()),
        entity_type: Some("PrivateVatRegistered".into()),
        administrative_status: Some("A".into()),
    });
    pa.add_directory_line(essaim_einvoicing::wire::DirectoryLine {
        addressing_identifier: "443061841".into(),
        siren: Some("443061841".into()),
        siret: None,
        routing_identifier: None,
        addressing_suffix: None,
        directory_line_status: Some("Enabled".into()),
        platform_type: Some("WK".into()),
        platform: None,
    });
    let a = &app.coop_a;
    let admin = app.coop_actor(&email_for(RoleKind::Administrator), a).await;
    let validator = app.coop_actor(&email_for(RoleKind::Validation), a).await;
    let (activity, _) = super::selling::activities(&app).await;
    let me = app.coop_actor(&email_for(RoleKind::Entrepreneur), a).await;
    let business = selling::create_customer(&app.app, &admin, activity, &super::selling::company())
        .await
        .unwrap();
    let person = selling::create_customer(
        &app.app,
        &admin,
        activity,
        &CustomerInput {
            kind: "individual".into(),
            name: "Claire Dubois".into(),
            address_line1: "12 rue Victor Hugo".into(),
            postcode: "69003".into(),
            city: "Lyon".into(),
            country: "FR".into(),
            ..CustomerInput::default()
        },
    )
    .await
    .unwrap();
    let issue = async |customer: i64| -> (SaleDocId, String) {
        let id = docs::create(
            &app.app,
            &me,
            activity,
            DocKind::Invoice,
            &invoice(customer),
        )
        .await
        .unwrap();
        let number = docs::validate(&app.app, &validator, id).await.unwrap();
        (id, number)
    };

    // Before the cooperative is connected, nothing goes out.
    let (early, _) = issue(business.get()).await;
    assert!(
        sending::of_doc(&app.app, &me, early)
            .await
            .unwrap()
            .is_empty()
    );
    einvoicing::save_connection(
        &app.app,
        &admin,
        &ConnectionInput {
            flow_url: c.flow_url.clone(),
            directory_url: c.directory_url.clone(),
            token_url: c.token_url.clone(),
            client_id: c.client_id.clone(),
            client_secret: c.client_secret.clone(),
            syntax: "factur-x".into(),
        },
    )
    .await
    .unwrap();

    // EIN-02: an invoice to a French business goes out; one to an individual does not.
    let (first, number) = issue(business.get()).await;
    let (b2c, _) = issue(person.get()).await;
    assert!(
        sending::of_doc(&app.app, &me, b2c)
            .await
            .unwrap()
            .is_empty()
    );
    let queued = sending::of_doc(&app.app, &me, first).await.unwrap();
    assert_eq!(queued.len(), 1);
    assert_eq!(queued[0].flow.state, "queued");
    let mut browser = app.signed_in(&email_for(RoleKind::Entrepreneur)).await;
    let page = format!("/c/{a}/sales/{}", first.get());
    assert!(
        browser
            .get(&page)
            .await
            .body
            .contains("En attente d&#39;envoi")
    );

    // The platform takes the file but its answer is lost: the job tries again later, finds the
    // flow by its tracking id, and never deposits it twice.
    pa.inject(Target::Deposit, Fault::LoseAnswer);
    app.run_jobs().await;
    assert_eq!(pa.deposits().len(), 1);
    let after = sending::of_doc(&app.app, &me, first).await.unwrap();
    assert_eq!(after[0].flow.state, "queued");
    assert!(!after[0].flow.last_error.is_empty());
    app.clock.advance(time::Duration::minutes(1));
    app.run_jobs().await;
    assert_eq!(pa.deposits().len(), 1, "deposited once");
    let done = sending::of_doc(&app.app, &me, first).await.unwrap();
    assert_eq!(done[0].flow.state, "deposited");
    assert_eq!(
        done[0].flow.flow_id.as_deref(),
        Some(pa.deposits()[0].flow.flow_id.as_str())
    );
    // The platform's check passed: 200 Déposée.
    assert_eq!(
        done[0].standing.last.map(|s| s.code()),
        Some(200),
        "{:?}",
        done[0].statuses
    );
    let body = browser.get(&page).await.body;
    assert!(
        body.contains("Déposée sur la plateforme") && body.contains("200 Déposée"),
        "{body}"
    );
    // Before it went out, the directory was asked about the customer; the answer is kept and
    // shown on the customer's page, and can be asked again.
    let customer_page = format!("/c/{a}/customers/{}", business.get());
    let body = browser.get(&customer_page).await.body;
    assert!(
        body.contains("reçoit ses factures électroniques à l&#39;adresse 443061841"),
        "{body}"
    );
    let r = browser
        .post_form(&format!("{customer_page}/directory"), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let person_page = format!("/c/{a}/customers/{}", person.get());
    assert!(!browser.get(&person_page).await.body.contains("annuaire"));
    let mut stranger = app.signed_in(ADMIN_B_EMAIL).await;
    assert_eq!(
        stranger
            .post_form(&format!("{customer_page}/directory"), &[])
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // A worker that dies after claiming the job: the job is put back and the deposit made once.
    let (second, _) = issue(business.get()).await;
    assert!(app.claim_job().await.is_some());
    app.clock.advance(time::Duration::minutes(11));
    {
        use essaim_app::Clock;
        let mut tx = app.app.store.begin().await.unwrap();
        essaim_storage::job::requeue_stale(&mut tx, app.clock.now() - time::Duration::minutes(10))
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }
    app.run_jobs().await;
    assert_eq!(pa.deposits().len(), 2);
    assert_eq!(
        sending::of_doc(&app.app, &me, second).await.unwrap()[0]
            .flow
            .state,
        "deposited"
    );

    // The buyer refuses the first invoice (210, with its reason): the next synchronisation keeps
    // it, shows the way out and tells the entrepreneur; read again, it is kept once.
    pa.arrive(
        "cdar-210.xml",
        FlowSyntax::Cdar,
        FlowType::CustomerInvoiceLC,
        answer(&number, 210, Some(("TX_TVA_ERR", "Taux de TVA erroné"))),
    );
    let reports = sync::sync_all(&app.app).await.unwrap();
    let (_, report) = reports
        .iter()
        .find(|(c, _)| *c == admin.cooperative)
        .unwrap();
    assert_eq!(report.statuses, 1, "{report:?}");
    let refused = sending::of_doc(&app.app, &me, first).await.unwrap();
    assert_eq!(refused[0].standing.last.map(|s| s.code()), Some(210));
    assert!(refused[0].standing.dead_end.is_some());
    let body = browser.get(&page).await.body;
    assert!(
        body.contains("210 Refusée") && body.contains("Taux de TVA erroné"),
        "{body}"
    );
    assert!(body.contains("faites un avoir"));
    let mine = essaim_app::notifications::mine(&app.app, &me.actor)
        .await
        .unwrap();
    assert!(
        mine.iter()
            .any(|n| n.message.contains(&number) && n.message.contains("refusée")),
        "{mine:?}"
    );
    // The API says the same, to the activity's people only.
    let api_path = format!("/api/v1/cooperatives/{a}/sales/{}/einvoice", first.get());
    let mut api = app.api_client(&email_for(RoleKind::Entrepreneur)).await;
    let r = api.get(&api_path).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let j = r.json();
    assert_eq!(j["flows"][0]["state"], "deposited");
    assert_eq!(j["flows"][0]["last_status"], 210);
    assert_eq!(j["flows"][0]["dead_end"], true);
    assert_eq!(j["flows"][0]["statuses"][1]["reason_code"], "TX_TVA_ERR");
    let mut api_b = app.api_client(ADMIN_B_EMAIL).await;
    assert_eq!(api_b.get(&api_path).await.status, StatusCode::NOT_FOUND);
    let again = sync::sync_all(&app.app).await.unwrap();
    assert_eq!(again.iter().map(|(_, r)| r.statuses).sum::<usize>(), 0);
    assert_eq!(
        sending::of_doc(&app.app, &me, first).await.unwrap()[0]
            .statuses
            .len(),
        2
    );

    // The platform's callback: with the token created on the settings page, it queues a
    // synchronisation of the cooperative; a wrong token or another cooperative is refused.
    let mut settings = app.signed_in(&email_for(RoleKind::Administrator)).await;
    let r = settings
        .post_form(&format!("/c/{a}/settings/einvoicing/callback"), &[])
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let token = r
        .body
        .split("<code class=\"secret\">")
        .nth(1)
        .and_then(|t| t.split('<').next())
        .unwrap()
        .to_owned();
    assert_eq!(token.len(), 64);
    assert!(
        r.body
            .contains(&format!("/api/v1/einvoicing/callbacks/{a}"))
    );
    assert!(
        !settings
            .get(&format!("/c/{a}/settings/einvoicing"))
            .await
            .body
            .contains(&token)
    );
    let call = async |coop: &str, token: &str| {
        let req = axum::http::Request::post(format!("/api/v1/einvoicing/callbacks/{coop}"))
            .header("authorization", format!("Bearer {token}"))
            .header("content-type", "application/json")
            .body(axum::body::Body::from("{\"flowId\":\"anything\"}"))
            .unwrap();
        let mut client = app.client();
        client.send(req).await
    };
    assert_eq!(call(a, "wrong").await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        call(&app.coop_b, &token).await.status,
        StatusCode::UNAUTHORIZED
    );
    pa.arrive(
        "cdar-204.xml",
        FlowSyntax::Cdar,
        FlowType::CustomerInvoiceLC,
        answer(&number, 204, None),
    );
    let r = call(a, &token).await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
    assert_eq!(call(a, &token).await.status, StatusCode::ACCEPTED);
    app.run_jobs().await;
    let after_callback = sending::of_doc(&app.app, &me, first).await.unwrap();
    assert!(
        after_callback[0].statuses.iter().any(|s| s.status == 204),
        "{:?}",
        after_callback[0].statuses
    );

    // A rejection by the platform (213 with its reason), then a new deposit once fixed.
    reject.store(true, Ordering::SeqCst);
    let (third, _) = issue(business.get()).await;
    app.run_jobs().await;
    let rejected = sending::of_doc(&app.app, &me, third).await.unwrap();
    assert_eq!(rejected[0].standing.last.map(|s| s.code()), Some(213));
    assert!(
        rejected[0].statuses[0]
            .reason
            .as_deref()
            .is_some_and(|r| r.contains("BR-FR-12"))
    );
    let third_page = format!("/c/{a}/sales/{}/einvoice/resend", third.get());
    // The entrepreneur may not send again; another cooperative does not see the document.
    assert_eq!(
        browser.post_form(&third_page, &[]).await.status,
        StatusCode::FORBIDDEN
    );
    let mut other = app.signed_in(ADMIN_B_EMAIL).await;
    assert_eq!(
        other.post_form(&third_page, &[]).await.status,
        StatusCode::NOT_FOUND
    );
    reject.store(false, Ordering::SeqCst);
    let mut team = app.signed_in(&email_for(RoleKind::Validation)).await;
    let r = team.post_form(&third_page, &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    app.run_jobs().await;
    let resent = sending::of_doc(&app.app, &me, third).await.unwrap();
    assert_eq!(resent.len(), 2);
    assert_eq!(resent[1].flow.state, "deposited");
    assert_eq!(resent[1].standing.last.map(|s| s.code()), Some(200));
    assert_ne!(resent[0].flow.tracking_id, resent[1].flow.tracking_id);
    // Nothing more to send again: refused.
    let r = team.post_form(&third_page, &[]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);

    // A deposit the platform refuses outright (bad request) is set aside, with its reason.
    pa.inject(Target::Deposit, Fault::Status(400));
    let (fourth, _) = issue(business.get()).await;
    app.run_jobs().await;
    let failed = sending::of_doc(&app.app, &me, fourth).await.unwrap();
    assert_eq!(failed[0].flow.state, "failed");
    assert!(
        failed[0].flow.last_error.contains("400"),
        "{:?}",
        failed[0].flow
    );
    // `essaim einvoicing send` (the operator's way) deposits it now, with its tracking id.
    let sent = sending::send_now(&app.app, fourth).await.unwrap();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].state, "deposited");
    // The document validated before the connection goes out too, when an operator says so.
    let sent = sending::send_now(&app.app, early).await.unwrap();
    assert_eq!(sent[0].state, "deposited");
    assert!(sending::send_now(&app.app, b2c).await.is_err());

    // EIN-21: payments on a services invoice that went out are reported, partial ones too, once
    // each (212 Encaissée with the amount and the day); goods are not reported.
    for (day, amount) in [("2026-11-29", "100"), ("2026-11-29", "188")] {
        docs::record_payment(
            &app.app,
            &admin,
            second,
            &docs::PaymentInput {
                paid_on: day.into(),
                amount: amount.into(),
                mode: "transfer".into(),
                reference: String::new(),
            },
        )
        .await
        .unwrap();
    }
    app.run_jobs().await;
    let messages: Vec<_> = pa
        .deposits()
        .into_iter()
        .filter(|d| d.flow.flow_syntax == Some(FlowSyntax::Cdar))
        .collect();
    assert_eq!(messages.len(), 2);
    let amounts: Vec<i64> = messages
        .iter()
        .map(|d| {
            let m = essaim_exchange::cdar::read_cdar(&d.file).unwrap();
            assert_eq!(m.status, 212);
            m.collected.unwrap().0
        })
        .collect();
    assert_eq!(amounts, vec![10_000, 18_800]);
    let paid = sending::of_doc(&app.app, &me, second).await.unwrap();
    assert!(paid[0].standing.collected);
    assert_eq!(
        paid[0].statuses.iter().filter(|s| s.status == 212).count(),
        2
    );
    let body = browser
        .get(&format!("/c/{a}/sales/{}", second.get()))
        .await
        .body;
    assert!(
        body.contains("212 Encaissée") && body.contains("188,00"),
        "{body}"
    );
    app.run_jobs().await;
    assert_eq!(pa.deposits().len(), 8, "nothing sent twice");

    let deposits: Vec<_> = pa
        .deposits()
        .into_iter()
        .filter(|d| d.flow.flow_syntax == Some(FlowSyntax::FacturX))
        .collect();
    assert_eq!(deposits.len(), 6);
    let mut trackings: Vec<_> = deposits
        .iter()
        .map(|d| d.flow.tracking_id.clone())
        .collect();
    trackings.dedup();
    assert_eq!(trackings.len(), 6);
    // A platform down for a while (503 on every deposit): the queue waits with backoff and
    // drains once it is back, each invoice deposited once.
    for _ in 0..4 {
        pa.inject(Target::Deposit, Fault::Status(503));
    }
    let before = pa.deposits().len();
    let (late, _) = issue(business.get()).await;
    let (later, _) = issue(business.get()).await;
    for _ in 0..6 {
        app.run_jobs().await;
        app.clock.advance(time::Duration::minutes(20));
    }
    for doc in [late, later] {
        let f = sending::of_doc(&app.app, &me, doc).await.unwrap();
        assert_eq!(f[0].flow.state, "deposited", "{:?}", f[0].flow);
    }
    assert_eq!(pa.deposits().len(), before + 2);
    let refused_503 = pa
        .log()
        .iter()
        .filter(|(m, p, s)| m == "POST" && p == "/v1/flows" && *s == 503)
        .count();
    assert_eq!(refused_503, 4);

    if let Ok(dir) = std::env::var("ESSAIM_FACTURX_OUT") {
        let dir = std::path::Path::new(&dir);
        std::fs::create_dir_all(dir).unwrap();
        for (i, d) in deposits.iter().enumerate() {
            let stem = format!("fr-b2b-deposited-{i}");
            std::fs::write(dir.join(format!("{stem}.pdf")), &d.file).unwrap();
            let xml = essaim_documents::facturx_in::embedded_invoice_xml(&d.file).unwrap();
            std::fs::write(dir.join(format!("{stem}.xml")), xml).unwrap();
        }
    }
}
