//! Receiving supplier invoices through the platform (issue 20 item 5; EIN-40), against the
//! conformance platform: official UBL examples and a Factur-X addressed to an activity's routing
//! code arrive; hostile and foreign files are kept with their reason; each is kept once; the
//! support team assigns what no routing code names; the entrepreneur and the team answer, the
//! answers go back through the platform, and an approval makes the activity's supplier invoice.

use axum::http::StatusCode;
use essaim_app::einvoicing::receiving::{self, AnswerInput};
use essaim_app::einvoicing::{self, sync};
use essaim_domain::access::RoleKind;
use essaim_domain::einvoicing::connection::ConnectionInput;
use essaim_einvoicing::conformance::{Sandbox, Setup};
use essaim_einvoicing::wire::{FlowSyntax, FlowType};
use essaim_testkit::{ADMIN_B_EMAIL, SIRET_A, SIRET_B, TestApp, email_for};

#[tokio::test]
async fn ein_40_supplier_invoices_arrive_are_routed_answered_and_become_supplier_invoices() {
    for backend in essaim_testkit::backends() {
        let mailer = essaim_app::mail::Mailer::new(None, "essaim@test.invalid").unwrap();
        scenario(TestApp::spawn_with(backend, mailer).await).await;
    }
}

/// A supplier's Factur-X invoice addressed to one of coop A's activities by its routing code.
fn factur_x_for(routing: &str) -> Vec<u8> {
    use essaim_documents::sale::samples;
    let mut doc = samples::multi_rate_invoice();
    doc.number = Some("FS-2026-0107".into());
    doc.seller.legal_name = "Scierie du Vercors".into();
    doc.seller.siret = SIRET_B.0.into();
    doc.seller.siren = SIRET_B.0[..9].into();
    doc.seller.vat_number = SIRET_B.1.into();
    doc.seller.electronic_address = SIRET_B.0[..9].into();
    doc.buyer.siren = Some(SIRET_A.0[..9].into());
    doc.buyer.siret = Some(SIRET_A.0.into());
    doc.buyer.electronic_address = Some(format!("{}_{routing}", &SIRET_A.0[..9]));
    doc.buyer.electronic_address_scheme = Some("0225".into());
    essaim_documents::sale::sale_pdf(&doc, &samples::branding()).unwrap()
}

fn ubl_example() -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/tools/vendor/en16931-examples/ubl/ubl-tc434-example5.xml");
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

async fn scenario(app: TestApp) {
    let pa = Sandbox::start(Setup::default()).await.unwrap();
    let c = pa.connection();
    let a = &app.coop_a;
    let admin = app.coop_actor(&email_for(RoleKind::Administrator), a).await;
    let (bois, cons) = super::selling::activities(&app).await;
    let me = app.coop_actor(&email_for(RoleKind::Entrepreneur), a).await;
    let team = app.coop_actor(&email_for(RoleKind::Validation), a).await;
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
    let routed_pdf = factur_x_for("bois");
    pa.arrive(
        "FS-2026-0107.pdf",
        FlowSyntax::FacturX,
        FlowType::SupplierInvoice,
        routed_pdf.clone(),
    );
    pa.arrive(
        "ubl-example5.xml",
        FlowSyntax::Ubl,
        FlowType::SupplierInvoice,
        ubl_example(),
    );
    // Hostile or foreign files: kept with their reason, never half-read.
    pa.arrive(
        "entities.xml",
        FlowSyntax::Cii,
        FlowType::SupplierInvoice,
        br#"<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100">&b;</rsm:CrossIndustryInvoice>"#.to_vec(),
    );
    pa.arrive(
        "plain.pdf",
        FlowSyntax::FacturX,
        FlowType::SupplierInvoice,
        b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n".to_vec(),
    );
    let r = sync::sync_all(&app.app).await.unwrap();
    assert_eq!(r.iter().map(|(_, r)| r.received).sum::<usize>(), 4, "{r:?}");
    // Fetched again (the search overlaps): kept once.
    let again = sync::sync_all(&app.app).await.unwrap();
    assert_eq!(again.iter().map(|(_, r)| r.received).sum::<usize>(), 0);

    let all = receiving::list(&app.app, &team, true).await.unwrap();
    assert_eq!(all.len(), 4);
    let routed = all.iter().find(|x| x.number == "FS-2026-0107").unwrap();
    assert_eq!(routed.state, "routed");
    assert_eq!(routed.activity_id, Some(bois.get()));
    assert_eq!(routed.supplier_siren.as_deref(), Some(&SIRET_B.0[..9]));
    let triage = all.iter().find(|x| x.syntax == "ubl").unwrap();
    assert_eq!(triage.state, "triage");
    assert!(triage.total_cents > 0);
    let hostile = all.iter().find(|x| x.name == "entities.xml").unwrap();
    assert_eq!(
        (hostile.state.as_str(), hostile.problem.as_str()),
        ("unreadable", "cii_xml_doctype")
    );
    let plain = all.iter().find(|x| x.name == "plain.pdf").unwrap();
    assert_eq!(plain.state, "unreadable");
    assert!(!plain.problem.is_empty());

    // Who must act is told: the entrepreneur of the activity, the team for triage.
    let told = essaim_app::notifications::mine(&app.app, &me.actor)
        .await
        .unwrap();
    assert!(
        told.iter()
            .any(|n| n.message.contains("Scierie du Vercors") && n.message.contains("à approuver")),
        "{told:?}"
    );
    let told = essaim_app::notifications::mine(&app.app, &team.actor)
        .await
        .unwrap();
    assert!(
        told.iter().any(|n| n.message.contains("à attribuer")),
        "{told:?}"
    );
    assert!(
        told.iter().any(|n| n.message.contains("illisible")),
        "{told:?}"
    );

    // The entrepreneur sees only what is addressed to their activity.
    let mine = receiving::list(&app.app, &me, true).await.unwrap();
    assert_eq!(mine.len(), 1);
    let mut browser = app.signed_in(&email_for(RoleKind::Entrepreneur)).await;
    let list = browser.get(&format!("/c/{a}/received-invoices")).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("FS-2026-0107") && !list.body.contains("À attribuer"));
    let triage_page = format!("/c/{a}/received-invoices/{}", triage.pa_received_id);
    assert_eq!(
        browser.get(&triage_page).await.status,
        StatusCode::NOT_FOUND
    );
    let mut other = app.signed_in(ADMIN_B_EMAIL).await;
    let routed_page = format!("/c/{a}/received-invoices/{}", routed.pa_received_id);
    assert_eq!(other.get(&routed_page).await.status, StatusCode::NOT_FOUND);
    // The legal original, byte for byte.
    let file = browser.get(&format!("{routed_page}/file")).await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(
        file.headers.get("content-type").unwrap().to_str().unwrap(),
        "application/pdf"
    );
    // Approving needs a category, said beside the field.
    let r = browser
        .post_form(
            &format!("{routed_page}/answer"),
            &[("answer", "approve"), ("category", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"e-category\""), "{}", r.body);
    let category = essaim_app::spending::categories(&app.app, &me)
        .await
        .unwrap()
        .into_iter()
        .find(|c| !c.archived)
        .unwrap()
        .code;
    let r = browser
        .post_form(
            &format!("{routed_page}/answer"),
            &[
                ("answer", "approve"),
                ("category", &category),
                ("comment", "Planches de chêne"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let shown = receiving::show(&app.app, &me, routed.pa_received_id)
        .await
        .unwrap();
    assert_eq!(shown.record.state, "approved");
    let sid = shown.record.supplier_invoice_id.unwrap();
    let si = {
        let mut tx = app.app.store.read().await.unwrap();
        let si = essaim_storage::spending::supplier_invoice(&mut tx, me.cooperative, sid)
            .await
            .unwrap()
            .unwrap();
        tx.commit().await.unwrap();
        si
    };
    // The entrepreneur's approval makes it a supplier invoice waiting for the team's validation.
    assert_eq!(
        (si.status.as_str(), si.activity_id),
        ("received", bois.get())
    );
    assert_eq!(si.total_cents, routed.total_cents);
    assert_eq!(si.source, "facturx");
    // A second answer is refused.
    let r = browser
        .post_form(
            &format!("{routed_page}/answer"),
            &[("answer", "refuse"), ("reason", "DOUBLON")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // The entrepreneur may not assign.
    let r = browser
        .post_form(
            &format!("{triage_page}/assign"),
            &[("activity", &cons.get().to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // The team assigns the UBL invoice, disputes it, then approves it: posted at once.
    let mut desk = app.signed_in(&email_for(RoleKind::Validation)).await;
    let r = desk
        .post_form(
            &format!("{triage_page}/assign"),
            &[("activity", &cons.get().to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = desk
        .post_form(
            &format!("{triage_page}/answer"),
            &[("answer", "dispute"), ("reason", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"e-reason\""));
    let r = desk
        .post_form(
            &format!("{triage_page}/answer"),
            &[
                ("answer", "dispute"),
                ("reason", "PU_ERR"),
                ("comment", "Tarif 2025 appliqué"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let done = receiving::answer(
        &app.app,
        &team,
        triage.pa_received_id,
        &AnswerInput {
            answer: "approve".into(),
            category: category.clone(),
            ..AnswerInput::default()
        },
    )
    .await;
    assert!(done.is_ok(), "{done:?}");
    let approved = receiving::show(&app.app, &team, triage.pa_received_id)
        .await
        .unwrap();
    assert_eq!(approved.record.state, "approved");
    assert_eq!(approved.answers.len(), 2);
    {
        let mut tx = app.app.store.read().await.unwrap();
        let si = essaim_storage::spending::supplier_invoice(
            &mut tx,
            team.cooperative,
            approved.record.supplier_invoice_id.unwrap(),
        )
        .await
        .unwrap()
        .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(
            (si.status.as_str(), si.source.as_str()),
            ("approved", "ubl")
        );
    }

    // The answers go back through the platform once each: 205, 207, 205.
    app.run_jobs().await;
    app.run_jobs().await;
    let sent: Vec<_> = pa
        .deposits()
        .into_iter()
        .filter(|d| d.flow.flow_syntax == Some(FlowSyntax::Cdar))
        .map(|d| essaim_exchange::cdar::read_cdar(&d.file).unwrap())
        .collect();
    let mut statuses: Vec<u16> = sent.iter().map(|m| m.status).collect();
    statuses.sort_unstable();
    assert_eq!(statuses, vec![205, 205, 207]);
    let to_scierie = sent
        .iter()
        .find(|m| m.invoice_number == "FS-2026-0107")
        .unwrap();
    assert_eq!(to_scierie.seller_siren, &SIRET_B.0[..9]);
    assert_eq!(to_scierie.issuer.siren, &SIRET_A.0[..9]);
    let dispute = sent.iter().find(|m| m.status == 207).unwrap();
    assert_eq!(dispute.reason.as_ref().unwrap().0, "PU_ERR");
    assert!(dispute.reason.as_ref().unwrap().1.contains("Tarif 2025"));
    let page = desk.get(&triage_page).await.body;
    assert!(
        page.contains("207 En litige") && page.contains("Transmise"),
        "{page}"
    );
    // The unreadable file says why, in French.
    let page = desk
        .get(&format!(
            "/c/{a}/received-invoices/{}",
            hostile.pa_received_id
        ))
        .await
        .body;
    assert!(page.contains("déclarations XML refusées"), "{page}");
}
