//! Factur-X documents generated through the real pipeline (forms' use cases → domain amounts →
//! frozen snapshot → renderer), covering the cases the issue lists. With `ESSAIM_FACTURX_OUT=DIR`
//! the PDFs and XMLs are written there for `scripts/check-facturx`, which runs the independent
//! checker `../shared/tools/facturx-check` on them (`--fr-ctc` for French business customers).

use essaim_app::selling::docs::{self, DocInput};
use essaim_app::selling::{self, SettingsInput};
use essaim_domain::access::RoleKind;
use essaim_domain::selling::customer::CustomerInput;
use essaim_domain::selling::{DocKind, LineInput};
use essaim_testkit::{TestApp, email_for};

fn line(label: &str, qty: &str, price: &str, vat: &str, discount: &str, goods: bool) -> LineInput {
    LineInput {
        kind: "item".into(),
        label: label.into(),
        quantity: qty.into(),
        unit: if goods { "C62" } else { "HUR" }.into(),
        unit_price: price.into(),
        vat: vat.into(),
        discount: discount.into(),
        goods,
        ..LineInput::default()
    }
}

#[tokio::test]
async fn every_kind_of_document_is_written_out_as_factur_x() {
    let app = TestApp::spawn().await;
    let (activity, _) = super::selling::activities(&app).await;
    let a = &app.coop_a;
    let admin = app.coop_actor(&email_for(RoleKind::Administrator), a).await;
    let validator = app.coop_actor(&email_for(RoleKind::Validation), a).await;
    selling::save_settings(
        &app.app,
        &admin,
        &SettingsInput {
            invoice_template: "F{YYYY}-{SEQ:5}".into(),
            quote_template: "D{YYYY}-{SEQ:5}".into(),
            vat_on_debits: false,
            accent: "#1f4e79".into(),
            footer: "Coopérative d'activités et d'emploi — membre du réseau".into(),
            iban: "FR76 3000 6000 0112 3456 7890 189".into(),
            bic: "AGRIFRPP".into(),
            email: "factures@coop-a.test".into(),
            phone: String::new(),
        },
    )
    .await
    .unwrap();
    let fr = selling::create_customer(&app.app, &admin, activity, &super::selling::company())
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
            payment_days: "0".into(),
            ..CustomerInput::default()
        },
    )
    .await
    .unwrap();
    let be = selling::create_customer(
        &app.app,
        &admin,
        activity,
        &CustomerInput {
            kind: "company".into(),
            name: "Atelier Vandenberghe SRL".into(),
            vat_number: "BE0123456749".into(),
            address_line1: "Rue Haute 10".into(),
            postcode: "1000".into(),
            city: "Bruxelles".into(),
            country: "BE".into(),
            ..CustomerInput::default()
        },
    )
    .await
    .unwrap();
    let input = |customer: i64, lines: Vec<LineInput>, overall: &str| DocInput {
        customer_id: customer.to_string(),
        overall_discount: overall.into(),
        purchase_order: "BC-2026-118".into(),
        delivery_date: "2026-11-20".into(),
        lines,
        ..DocInput::default()
    };
    let mut out: Vec<(String, essaim_domain::ids::SaleDocId)> = Vec::new();

    // Several rates, an exempt line, a line discount and an overall discount.
    let multi = docs::create(
        &app.app,
        &admin,
        activity,
        DocKind::Invoice,
        &input(
            fr.get(),
            vec![
                LineInput {
                    kind: "section".into(),
                    label: "Conception".into(),
                    ..LineInput::default()
                },
                line("Conseil en aménagement", "7.5", "80", "fr20", "10 %", false),
                line("Travaux de rénovation", "12", "42", "fr10", "", false),
                line("Livre illustré", "3", "24", "fr5_5", "", true),
                LineInput {
                    kind: "section".into(),
                    label: "Formation".into(),
                    ..LineInput::default()
                },
                line(
                    "Formation professionnelle (jour)",
                    "2",
                    "600",
                    "exempt_261_4_4a",
                    "",
                    false,
                ),
            ],
            "5 %",
        ),
    )
    .await
    .unwrap();
    docs::validate(&app.app, &validator, multi).await.unwrap();
    out.push(("fr-b2b-several-rates".into(), multi));

    // A quote accepted, a deposit, then the final invoice that deducts it.
    let quote = docs::create(
        &app.app,
        &admin,
        activity,
        DocKind::Quote,
        &input(
            fr.get(),
            vec![
                line("Pièce sur mesure", "2", "1200", "fr20", "", true),
                line("Pose", "6", "55", "fr20", "", false),
            ],
            "",
        ),
    )
    .await
    .unwrap();
    docs::send_quote(&app.app, &admin, quote).await.unwrap();
    docs::set_quote_outcome(&app.app, &admin, quote, true, "Jeanne Durand")
        .await
        .unwrap();
    out.push(("fr-b2b-quote".into(), quote));
    let deposit = docs::create_deposit(&app.app, &admin, quote, "30", "")
        .await
        .unwrap();
    docs::validate(&app.app, &validator, deposit).await.unwrap();
    out.push(("fr-b2b-deposit".into(), deposit));
    let fin = docs::create_final(&app.app, &admin, quote).await.unwrap();
    docs::validate(&app.app, &validator, fin).await.unwrap();
    out.push(("fr-b2b-final".into(), fin));

    // A credit note cancelling the first invoice.
    let credit = docs::create_credit_note(&app.app, &admin, multi)
        .await
        .unwrap();
    docs::validate(&app.app, &validator, credit).await.unwrap();
    out.push(("fr-b2b-credit-note".into(), credit));

    // An individual, prices entered including VAT.
    let b2c = docs::create(
        &app.app,
        &admin,
        activity,
        DocKind::Invoice,
        &DocInput {
            price_basis: "ttc".into(),
            ..input(
                person.get(),
                vec![line("Séance de coaching", "1", "90", "fr20", "", false)],
                "",
            )
        },
    )
    .await
    .unwrap();
    docs::validate(&app.app, &validator, b2c).await.unwrap();
    out.push(("b2c-individual".into(), b2c));

    // A business in another EU country: reverse charge.
    let eu = docs::create(
        &app.app,
        &admin,
        activity,
        DocKind::Invoice,
        &input(
            be.get(),
            vec![line(
                "Direction artistique",
                "3",
                "500",
                "reverse_charge",
                "",
                false,
            )],
            "",
        ),
    )
    .await
    .unwrap();
    docs::validate(&app.app, &validator, eu).await.unwrap();
    out.push(("eu-reverse-charge".into(), eu));

    let dir = std::env::var("ESSAIM_FACTURX_OUT")
        .ok()
        .filter(|d| !d.is_empty());
    for (name, id) in &out {
        let (_, pdf) = docs::pdf(&app.app, &validator, *id).await.unwrap();
        assert!(pdf.starts_with(b"%PDF-"), "{name}");
        let is_quote = name.ends_with("quote");
        let xml = docs::xml(&app.app, &validator, *id).await;
        if is_quote {
            assert!(xml.is_err(), "a quote has no Factur-X XML");
        } else {
            let (_, xml) = xml.unwrap();
            assert!(xml.contains("CrossIndustryInvoice"), "{name}");
            let embedded = String::from_utf8_lossy(&pdf).contains("factur-x.xml");
            assert!(embedded, "{name}: the PDF carries factur-x.xml");
            if let Some(d) = &dir {
                std::fs::write(format!("{d}/{name}.xml"), &xml).unwrap();
            }
        }
        if let Some(d) = &dir {
            std::fs::write(format!("{d}/{name}.pdf"), &pdf).unwrap();
        }
    }
    // The deposit and the final invoice add up to the quote.
    let q = docs::view(&app.app, &validator, quote).await.unwrap();
    let d = docs::view(&app.app, &validator, deposit).await.unwrap();
    let f = docs::view(&app.app, &validator, fin).await.unwrap();
    assert_eq!(
        d.doc.grand_total_cents + f.doc.grand_total_cents,
        q.doc.grand_total_cents
    );
}

/// A half day (Essaim's `HD`, not in the EN 16931 list, BR-CL-23) is sent in days with the
/// price's base quantity, for the same amounts; a document frozen before that mapping existed
/// keeps its snapshot and gets the same valid structured data when rendered again (EIN-11).
#[tokio::test]
async fn a_half_day_is_sent_in_days_even_on_a_document_frozen_before() {
    let app = TestApp::spawn().await;
    let (activity, _) = super::selling::activities(&app).await;
    let a = &app.coop_a;
    let admin = app.coop_actor(&email_for(RoleKind::Administrator), a).await;
    let validator = app.coop_actor(&email_for(RoleKind::Validation), a).await;
    let fr = selling::create_customer(&app.app, &admin, activity, &super::selling::company())
        .await
        .unwrap();
    let id = docs::create(
        &app.app,
        &admin,
        activity,
        DocKind::Invoice,
        &DocInput {
            customer_id: fr.get().to_string(),
            lines: vec![LineInput {
                unit: "HD".into(),
                ..line("Atelier collectif", "3", "380", "fr20", "", false)
            }],
            ..DocInput::default()
        },
    )
    .await
    .unwrap();
    docs::validate(&app.app, &validator, id).await.unwrap();
    let (_, xml) = docs::xml(&app.app, &validator, id).await.unwrap();
    for expected in [
        "<ram:ChargeAmount>380</ram:ChargeAmount>",
        "<ram:BasisQuantity unitCode=\"DAY\">0.5</ram:BasisQuantity>",
        "<ram:BilledQuantity unitCode=\"DAY\">1.5</ram:BilledQuantity>",
        "<ram:LineTotalAmount>1140.00</ram:LineTotalAmount>",
    ] {
        assert!(xml.contains(expected), "missing {expected} in\n{xml}");
    }
    assert!(!xml.contains("unitCode=\"HD\""));

    // The snapshot keeps Essaim's unit, as printed: 3 demi-journées.
    let mut tx = app.app.store.read().await.unwrap();
    let frozen = essaim_storage::sale::snapshot(&mut tx, id)
        .await
        .unwrap()
        .unwrap();
    tx.commit().await.unwrap();
    let mut json: serde_json::Value = serde_json::from_str(&frozen).unwrap();
    let line = &mut json["lines"][0];
    assert_eq!(line["unit_code"], "HD");
    assert_eq!(line["unit_label"], "demi-journée");
    assert_eq!(line["quantity"], "3");
    // The same document as it was frozen before the mapping: no `trade`, and its XML said HD.
    line.as_object_mut().unwrap().remove("trade");
    let mut old: essaim_documents::sale::SaleDocument = serde_json::from_value(json).unwrap();
    let old_xml = essaim_documents::sale::cii_xml(&old).unwrap();
    assert!(old_xml.contains("<ram:BilledQuantity unitCode=\"HD\">3</ram:BilledQuantity>"));
    // Rendered again it carries the valid statement, every amount as it was.
    essaim_app::selling::render::complete_trade_quantities(&mut old);
    assert_eq!(essaim_documents::sale::cii_xml(&old).unwrap(), xml);
    if let Some(d) = std::env::var("ESSAIM_FACTURX_OUT")
        .ok()
        .filter(|d| !d.is_empty())
    {
        let (_, pdf) = docs::pdf(&app.app, &validator, id).await.unwrap();
        std::fs::write(format!("{d}/fr-b2b-half-days.xml"), &xml).unwrap();
        std::fs::write(format!("{d}/fr-b2b-half-days.pdf"), &pdf).unwrap();
    }
}
