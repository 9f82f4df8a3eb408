//! Spending through the pages (issue 5): an expense report with receipts and a trip, returned
//! then validated (EXP-04, EXP-05, GEN-03), refunded by a SEPA batch; supplier invoices typed or
//! read from a Factur-X PDF, approved and paid; and the refusals that keep people and
//! cooperatives apart (GDP-04).

use crate::selling::activities;
use axum::http::StatusCode;
use essaim_app::selling;
use essaim_domain::access::RoleKind;
use essaim_testkit::{ADMIN_B_EMAIL, TestApp, email_for};

const JPEG: &[u8] = &[0xff, 0xd8, 0xff, 0xe0, 0, 0x10, b'J', b'F', b'I', b'F', 0];
const PDF: &[u8] = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";

fn report_id(location: &str) -> i64 {
    location
        .rsplit('/')
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no id in {location}"))
}

async fn coop_iban(app: &TestApp) {
    let admin = app
        .coop_actor(&email_for(RoleKind::Administrator), &app.coop_a)
        .await;
    let current = selling::settings(&app.app, &admin).await.unwrap();
    let s = selling::SettingsInput {
        invoice_template: current.invoice_template,
        quote_template: current.quote_template,
        accent: current.accent,
        iban: "FR76 3000 6000 0112 3456 7890 189".into(),
        bic: "AGRIFRPP".into(),
        ..selling::SettingsInput::default()
    };
    selling::save_settings(&app.app, &admin, &s).await.unwrap();
}

#[tokio::test]
async fn exp_05_a_report_goes_from_the_phone_to_the_bank_and_is_frozen_once_validated() {
    let app = TestApp::spawn().await;
    let (mine, other) = activities(&app).await;
    coop_iban(&app).await;
    let a = format!("/c/{}", app.coop_a);
    let mut me = app.signed_in(&email_for(RoleKind::Entrepreneur)).await;
    assert_eq!(
        me.get(&format!("{a}/expenses")).await.status,
        StatusCode::OK
    );
    let r = me
        .post_form(&format!("{a}/expenses"), &[("month", "2026-13")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Indiquez un mois valable"));
    let r = me
        .post_form(&format!("{a}/expenses"), &[("month", "2026-11")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let report = r.location().to_owned();
    let id = report_id(&report);
    // The same month opens the same report.
    let again = me
        .post_form(&format!("{a}/expenses"), &[("month", "2026-11")])
        .await;
    assert_eq!(again.location(), report);

    let line = |amount: &'static str, activity: String| {
        vec![
            ("date", "2026-11-12".to_owned()),
            ("category", "travel".to_owned()),
            ("amount", amount.to_owned()),
            ("vat", "10,91".to_owned()),
            ("vat_recoverable", "on".to_owned()),
            ("activity", activity),
            ("description", "Train Lyon–Paris".to_owned()),
        ]
    };
    let fields = |v: &Vec<(&'static str, String)>| -> Vec<(&'static str, String)> { v.clone() };
    let post = async |c: &mut essaim_testkit::Client,
                      v: Vec<(&'static str, String)>,
                      file: (&str, &[u8])| {
        let refs: Vec<(&str, &str)> = v.iter().map(|(k, v)| (*k, v.as_str())).collect();
        c.post_multipart(
            &format!("{report}/lines"),
            &refs,
            ("receipt", file.0, file.1),
        )
        .await
    };
    // Bad input is said beside its field, and nothing is written.
    let r = post(&mut me, fields(&line("zéro", mine.to_string())), ("", b"")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Aucune dépense."), "nothing written");
    let r = post(
        &mut me,
        line("120,00", mine.to_string()),
        ("virus.exe", b"MZ\x90\0"),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("ni un PDF ni une photo"));
    // Another person's activity is refused (GDP-04).
    let r = post(
        &mut me,
        line("120,00", other.to_string()),
        ("billet.jpg", JPEG),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Choisissez une de vos activités"));
    // A line with its photo, one without.
    let r = post(
        &mut me,
        line("120,00", mine.to_string()),
        ("billet.jpg", JPEG),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = post(&mut me, line("30,00", mine.to_string()), ("", b"")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // A trip of 42 km with a 5 CV car: 0.636 × 42 = 26.712 → 26,71 € (EXP-01).
    let trip = [
        ("date", "2026-11-14"),
        ("from", "Lyon"),
        ("to", "Vienne"),
        ("purpose", "Atelier client"),
        ("km", "42"),
        ("vehicle", "car"),
        ("fiscal_power", "5"),
        ("activity", &mine.to_string()),
    ];
    let r = me.post_form(&format!("{report}/trips"), &trip).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = me.get(&report).await;
    assert!(page.body.contains("26,71"), "{}", page.body);
    assert!(page.body.contains("176,71"), "120 + 30 + 26.71");
    // PAY-24: the activity has earned nothing yet, so this refund takes its forecast below
    // zero; its owner is told before sending it.
    assert!(
        page.body.contains("sous le seuil toléré") && page.body.contains("Atelier bois :"),
        "{}",
        page.body
    );
    // EXP-04: not sent while a receipt is missing.
    let r = me.post_form(&format!("{report}/submit"), &[]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("justificatif"));
    let second_line = page
        .body
        .match_indices(&format!("{report}/lines/"))
        .filter_map(|(i, _)| {
            let rest = &page.body[i + report.len() + 7..];
            let end = rest.find('/')?;
            rest[..end].parse::<i64>().ok()
        })
        .max()
        .unwrap();
    let r = me
        .post_multipart(
            &format!("{report}/lines/{second_line}/receipt"),
            &[],
            ("receipt", "ticket.pdf", PDF),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        me.post_form(&format!("{report}/submit"), &[]).await.status,
        StatusCode::SEE_OTHER
    );
    // Sent: frozen for its owner.
    let r = post(&mut me, line("5,00", mine.to_string()), ("b.jpg", JPEG)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("ne peut plus être modifiée"));
    // The entrepreneur cannot decide; another cooperative and a member see nothing.
    assert_eq!(
        me.post_form(&format!("{report}/decide"), &[("decision", "validate")])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let mut b = app.signed_in(ADMIN_B_EMAIL).await;
    assert_ne!(b.get(&report).await.status, StatusCode::OK);
    let mut member = app.signed_in(&email_for(RoleKind::Member)).await;
    assert_eq!(member.get(&report).await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        member
            .get(&format!("{report}/lines/{second_line}/receipt"))
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    // The support team returns it with a comment, then validates it once corrected.
    let mut validator = app.signed_in(&email_for(RoleKind::Validation)).await;
    let queue = validator
        .get(&format!("{a}/expenses?status=submitted"))
        .await;
    assert!(queue.body.contains(&report));
    let r = validator
        .post_form(&format!("{report}/decide"), &[("decision", "return")])
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a comment is required"
    );
    let r = validator
        .post_form(
            &format!("{report}/decide"),
            &[
                ("decision", "return"),
                ("comment", "Le ticket de 30 € est illisible"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(me.get(&report).await.body.contains("illisible"));
    assert_eq!(
        me.post_form(&format!("{report}/submit"), &[]).await.status,
        StatusCode::SEE_OTHER
    );
    let receipt = validator
        .get(&format!("{report}/lines/{second_line}/receipt"))
        .await;
    assert_eq!(receipt.status, StatusCode::OK);
    assert_eq!(
        receipt.headers["content-type"].to_str().unwrap(),
        "application/pdf"
    );
    // PAY-24: the team validates such a refund only with a reason, kept in the audit log.
    assert!(
        validator
            .get(&report)
            .await
            .body
            .contains("Pourquoi le rembourser quand même")
    );
    let r = validator
        .post_form(&format!("{report}/decide"), &[("decision", "validate")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"e-override_reason\""), "{}", r.body);
    assert!(
        me.get(&report).await.body.contains("Envoyée, à valider"),
        "still sent"
    );
    // Within the cooperative's tolerance, no reason is asked.
    let mut settings = app.signed_in(&email_for(RoleKind::Administrator)).await;
    let planner = format!("{a}/settings/contribution/planner");
    let tolerate = |euros: &'static str| [("reserve", "10"), ("tolerance", euros)];
    assert_eq!(
        settings
            .post_form(&planner, &tolerate("100000"))
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    assert!(
        !validator
            .get(&report)
            .await
            .body
            .contains("Pourquoi le rembourser quand même")
    );
    assert_eq!(
        settings.post_form(&planner, &tolerate("0")).await.status,
        StatusCode::SEE_OTHER
    );
    let r = validator
        .post_form(
            &format!("{report}/decide"),
            &[
                ("decision", "validate"),
                (
                    "override_reason",
                    "Facture client de 2 000 € attendue la semaine prochaine",
                ),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let admin = app
        .coop_actor(&email_for(RoleKind::Administrator), &app.coop_a)
        .await;
    let log = essaim_app::audit::list(&app.app, &admin, &Default::default(), 50)
        .await
        .unwrap();
    let overridden = log
        .iter()
        .find(|e| e.action == "expense.pay24_override")
        .expect("the override is audited");
    assert!(
        overridden.detail.contains("semaine prochaine")
            && overridden.detail.contains("forecast_cents"),
        "{}",
        overridden.detail
    );
    // GEN-03: validated, nothing changes any more.
    let r = me
        .post_form(&format!("{report}/lines/{second_line}/delete"), &[])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Posted in the NDF journal: 425 owes the refund to the person.
    let mut accountant = app.signed_in(&email_for(RoleKind::Accounting)).await;
    let entries = accountant.get(&format!("{a}/books/entries")).await;
    assert!(
        entries.body.contains(&format!("NDF-2026-11-{id:06}")),
        "{}",
        entries.body
    );

    // Refund: no IBAN yet, so the batch is refused; once given, the file is written.
    let payments = accountant.get(&format!("{a}/payments")).await;
    assert!(payments.body.contains("RIB manquant"));
    let r = accountant
        .post_form(&format!("{a}/payments"), &[(&format!("report_{id}"), "on")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = me
        .post_form(
            &format!("{a}/expenses/payee"),
            &[
                ("holder", "Personne entrepreneure"),
                ("iban", "FR76 3000 6000 0112 3456 7890 188"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "checksum");
    let r = me
        .post_form(
            &format!("{a}/expenses/payee"),
            &[
                ("holder", "Personne entrepreneure"),
                ("iban", "FR14 2004 1010 0505 0001 3M02 606"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        me.get(&format!("{a}/payments")).await.status,
        StatusCode::FORBIDDEN
    );
    let r = accountant
        .post_form(
            &format!("{a}/payments"),
            &[
                (&format!("report_{id}"), "on"),
                ("execution_date", "2026-11-30"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let batch = r.location().to_owned();
    let file = accountant.get(&format!("{batch}/file")).await;
    assert!(
        file.body
            .contains("urn:iso:std:iso:20022:tech:xsd:pain.001.001.09")
    );
    assert!(
        file.body
            .contains("<InstdAmt Ccy=\"EUR\">176.71</InstdAmt>")
    );
    assert!(file.body.contains("FR1420041010050500013M02606"));
    // scripts/check-sepa gives the file to the independent checker (schema, then sums).
    if let Ok(out) = std::env::var("ESSAIM_SEPA_OUT") {
        std::fs::write(out, &file.body).unwrap();
    }
    // In a batch, it is not offered again.
    assert!(
        !accountant
            .get(&format!("{a}/payments"))
            .await
            .body
            .contains(&format!("report_{id}"))
    );
    let r = accountant.post_form(&format!("{batch}/confirm"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        accountant
            .post_form(&format!("{batch}/cancel"), &[])
            .await
            .status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a confirmed batch stays"
    );
    let mine_list = me.get(&format!("{a}/expenses")).await;
    assert!(mine_list.body.contains("Remboursée"));
    let entries = accountant.get(&format!("{a}/books/entries")).await;
    assert!(entries.body.contains("Remboursement"), "{}", entries.body);
    // The yearly mileage summary and the exports.
    let summary = me.get(&format!("{a}/expenses/mileage?year=2026")).await;
    assert!(summary.body.contains("26,71"));
    let csv = validator.get(&format!("{a}/expenses/export/csv")).await;
    assert!(csv.body.contains("\"2026-11\""));
    assert!(csv.body.contains("\"176.71\""));
}

#[tokio::test]
async fn supplier_invoices_are_read_from_factur_x_approved_and_paid() {
    let app = TestApp::spawn().await;
    let (mine, _) = activities(&app).await;
    let a = format!("/c/{}", app.coop_a);
    let mut me = app.signed_in(&email_for(RoleKind::Entrepreneur)).await;
    assert_eq!(
        me.get(&format!("{a}/supplier-invoices/new")).await.status,
        StatusCode::OK
    );
    // A Factur-X PDF (Essaim's own, as a supplier's would arrive) fills the form.
    let pdf = essaim_documents::sale::sale_pdf(
        &essaim_documents::sale::samples::multi_rate_invoice(),
        &essaim_documents::sale::samples::branding(),
    )
    .unwrap();
    let r = me
        .post_multipart(
            &format!("{a}/supplier-invoices"),
            &[("action", "prefill")],
            ("file", "facture.pdf", &pdf),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("FA-2026-0042"), "{}", r.body);
    assert!(r.body.contains("732829320"));
    let kept = r
        .body
        .split("name=\"kept_sha\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_owned();
    assert_eq!(kept.len(), 64);
    let value = |name: &str| -> String {
        r.body
            .split(&format!("name=\"{name}\" type=\"text\" value=\""))
            .nth(1)
            .and_then(|s| s.split('"').next())
            .unwrap_or_default()
            .to_owned()
    };
    let (net, vat, total) = (value("net"), value("vat"), value("total"));
    assert!(!total.is_empty());
    let fields = vec![
        ("action", "save".to_owned()),
        ("kept_sha", kept.clone()),
        ("kept_name", "facture.pdf".to_owned()),
        ("supplier_name", "Papeterie Lumière".to_owned()),
        ("supplier_siren", "732829320".to_owned()),
        ("number", "FA-2026-0042".to_owned()),
        ("issue_date", "2026-03-16".to_owned()),
        ("net", net),
        ("vat", vat),
        ("total", total),
        ("activity", mine.to_string()),
        ("category", "supplies".to_owned()),
    ];
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = me
        .post_multipart(&format!("{a}/supplier-invoices"), &refs, ("file", "", b""))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let invoice = r.location().to_owned();
    let page = me.get(&invoice).await;
    assert!(page.body.contains("Facture électronique Factur-X"));
    assert_eq!(
        me.get(&format!("{invoice}/file")).await.headers["content-type"],
        "application/pdf"
    );
    // Recorded once per supplier number.
    let r = me
        .post_multipart(&format!("{a}/supplier-invoices"), &refs, ("file", "", b""))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("déjà enregistrée"));
    // Hostile XML is refused with a clear sentence, and the form stays to be typed.
    let bomb = b"<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"aaaa\"><!ENTITY b \"&a;&a;&a;\">]><CrossIndustryInvoice>&b;</CrossIndustryInvoice>";
    let r = me
        .post_multipart(
            &format!("{a}/supplier-invoices"),
            &[("action", "prefill")],
            ("file", "bomb.xml", bomb),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("refusées par sécurité"), "{}", r.body);
    // The entrepreneur cannot approve; the support team does (posted in the purchases journal).
    assert_eq!(
        me.post_form(&format!("{invoice}/approve"), &[])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let mut validator = app.signed_in(&email_for(RoleKind::Validation)).await;
    assert_eq!(
        validator
            .post_form(&format!("{invoice}/approve"), &[])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        me.post_form(&format!("{invoice}/delete"), &[]).await.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "approved: frozen"
    );
    // Paid in two parts by the accountant.
    let mut accountant = app.signed_in(&email_for(RoleKind::Accounting)).await;
    let r = accountant
        .post_form(
            &format!("{invoice}/payments"),
            &[("paid_on", "2026-11-20"), ("amount", "99999")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "more than due");
    let r = accountant
        .post_form(
            &format!("{invoice}/payments"),
            &[("paid_on", "2026-11-20"), ("amount", "10,00")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(accountant.get(&invoice).await.body.contains("Approuvée"));
    let left = accountant.get(&invoice).await;
    let amount = left
        .body
        .split("name=\"amount\" type=\"text\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_owned();
    let r = accountant
        .post_form(
            &format!("{invoice}/payments"),
            &[("paid_on", "2026-11-21"), ("amount", &amount)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(accountant.get(&invoice).await.body.contains("Payée"));
    // Other cooperatives see nothing of it.
    let mut b = app.signed_in(ADMIN_B_EMAIL).await;
    assert_ne!(b.get(&invoice).await.status, StatusCode::OK);
    let list = me.get(&format!("{a}/supplier-invoices")).await;
    assert!(list.body.contains("FA-2026-0042"));
}

#[tokio::test]
async fn the_api_opens_fills_and_sends_a_report_and_records_supplier_invoices() {
    use serde_json::json;
    let app = TestApp::spawn().await;
    let (mine, other) = activities(&app).await;
    let base = format!("/api/v1/cooperatives/{}", app.coop_a);
    let mut me = app.api_client(&email_for(RoleKind::Entrepreneur)).await;
    let r = me
        .post_json(
            &format!("{base}/expense-reports"),
            &json!({ "month": "2026-11" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.json()["id"].as_i64().unwrap();
    let report = format!("{base}/expense-reports/{id}");
    let expense = |amount: &str, activity: i64| {
        json!({ "date": "2026-11-12", "category": "meals", "amount": amount, "vat": "",
                "vat_recoverable": true, "activity": activity.to_string(), "description": "Déjeuner client" })
    };
    let r = me
        .post_json(&format!("{report}/lines"), &expense("douze", mine.get()))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["error"]["fields"][0]["field"], "amount");
    let r = me
        .post_json(&format!("{report}/lines"), &expense("22,00", other.get()))
        .await;
    assert_eq!(r.json()["error"]["fields"][0]["field"], "activity");
    let r = me
        .post_json(&format!("{report}/lines"), &expense("22,00", mine.get()))
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let line = r.json()["expenses_lines"][0]["id"].as_i64().unwrap();
    // No VAT typed: the category's usual rate (meals, 10 %) included in 22,00 € is 2,00 €.
    assert_eq!(r.json()["expenses_lines"][0]["vat"]["decimal"], "2.00");
    let r = me
        .post_json(
            &format!("{report}/trips"),
            &json!({ "date": "2026-11-13", "from": "Lyon", "to": "Grenoble", "purpose": "Salon",
                     "km": "110", "vehicle": "moped", "activity": mine.to_string() }),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    // A moped: 0.315 × 110 = 34.65 € (EXP-01, its own table).
    assert_eq!(r.json()["trips"][0]["amount"]["decimal"], "34.65");
    let r = me.post_json(&format!("{report}/submit"), &json!({})).await;
    assert_eq!(r.json()["error"]["fields"][0]["code"], "receipt_missing");
    let r = me
        .post_multipart(
            &format!("{report}/lines/{line}/receipt"),
            &[],
            ("receipt", "ticket.jpg", JPEG),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = me.post_json(&format!("{report}/submit"), &json!({})).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()["status"], "submitted");
    assert_eq!(r.json()["refund"]["decimal"], "56.65");
    let list = me.get(&format!("{base}/expense-reports?year=2026")).await;
    assert_eq!(list.json().as_array().map(Vec::len), Some(1));
    // Another cooperative's administrator reaches nothing.
    let mut b = app.api_client(ADMIN_B_EMAIL).await;
    assert_ne!(b.get(&report).await.status, StatusCode::OK);
    // Supplier invoices: recorded, the total checked, listed.
    let invoice = |total: &str| {
        json!({ "supplier_name": "Imprimerie du Rhône", "supplier_siren": "552100554", "number": "F-881",
                "issue_date": "2026-11-02", "net": "100,00", "vat": "20,00", "total": total,
                "activity": mine.to_string(), "category": "advertising" })
    };
    let r = me
        .post_json(&format!("{base}/supplier-invoices"), &invoice("121,00"))
        .await;
    assert_eq!(r.json()["error"]["fields"][0]["field"], "total");
    let r = me
        .post_json(&format!("{base}/supplier-invoices"), &invoice("120,00"))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.json()["status"], "received");
    let list = me.get(&format!("{base}/supplier-invoices")).await;
    assert_eq!(list.json()[0]["total"]["cents"], 12_000);
    assert_eq!(
        b.get(&format!(
            "/api/v1/cooperatives/{}/supplier-invoices",
            app.coop_a
        ))
        .await
        .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn gdp_04_an_entrepreneur_never_sees_another_ones_reports_receipts_or_invoices() {
    use essaim_app::{activities as acts, auth, cooperatives};
    use essaim_domain::activity::ActivityInput;
    let app = TestApp::spawn().await;
    let (mine, _) = activities(&app).await;
    let a = format!("/c/{}", app.coop_a);
    // A second entrepreneur, with an activity of her own.
    let coop = cooperatives::find_by_reference(&app.app, &app.coop_a)
        .await
        .unwrap();
    let other_email = "autre@a.test.essaim.coop";
    cooperatives::create_user_with_role_cli(
        &app.app,
        &auth::AccountInput {
            email: other_email,
            display_name: "Autre entrepreneure",
            password: Some(essaim_testkit::PASSWORD),
            locale: essaim_domain::account::Locale::Fr,
            is_host_admin: false,
        },
        Some((coop.id, RoleKind::Entrepreneur)),
    )
    .await
    .unwrap();
    let admin = app
        .coop_actor(&email_for(RoleKind::Administrator), &app.coop_a)
        .await;
    let hers = acts::create(
        &app.app,
        &admin,
        &ActivityInput {
            name: "Céramique".into(),
            analytic_code: "CERA".into(),
            start_on: "2026-01-05".into(),
            ..ActivityInput::default()
        },
        None,
    )
    .await
    .unwrap();
    let her_id = app.actor(other_email).await.user.id;
    acts::set_members(&app.app, &admin, hers, &[(her_id, 10_000)], None)
        .await
        .unwrap();
    // The first entrepreneur's report with a receipt, and a supplier invoice of his activity.
    let mut me = app.signed_in(&email_for(RoleKind::Entrepreneur)).await;
    let report = me
        .post_form(&format!("{a}/expenses"), &[("month", "2026-11")])
        .await
        .location()
        .to_owned();
    let r = me
        .post_multipart(
            &format!("{report}/lines"),
            &[
                ("date", "2026-11-03"),
                ("category", "supplies"),
                ("amount", "12,00"),
                ("activity", &mine.to_string()),
                ("description", "Cartouches d'encre"),
            ],
            ("receipt", "ticket.pdf", PDF),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = me.get(&report).await;
    let receipt = page
        .body
        .split("href=\"")
        .filter_map(|s| s.split('"').next())
        .find(|h| h.ends_with("/receipt"))
        .unwrap()
        .to_owned();
    assert_eq!(me.get(&receipt).await.status, StatusCode::OK);
    let r = me
        .post_multipart(
            &format!("{a}/supplier-invoices"),
            &[
                ("action", "save"),
                ("supplier_name", "Papeterie Lumière"),
                ("number", "P-77"),
                ("issue_date", "2026-11-02"),
                ("net", "10,00"),
                ("vat", "2,00"),
                ("total", "12,00"),
                ("activity", &mine.to_string()),
                ("category", "supplies"),
            ],
            ("file", "", b""),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let invoice = r.location().to_owned();
    // She sees none of it, through the pages or the API, and cannot write to his report.
    let mut her = app.signed_in(other_email).await;
    assert_eq!(her.get(&report).await.status, StatusCode::NOT_FOUND);
    assert_eq!(her.get(&receipt).await.status, StatusCode::NOT_FOUND);
    assert_eq!(her.get(&invoice).await.status, StatusCode::NOT_FOUND);
    assert!(
        !her.get(&format!("{a}/expenses"))
            .await
            .body
            .contains(&report)
    );
    assert!(
        !her.get(&format!("{a}/supplier-invoices"))
            .await
            .body
            .contains("P-77")
    );
    let r = her.post_form(&format!("{report}/submit"), &[]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let mut her_api = app.api_client(other_email).await;
    let id = report.rsplit('/').next().unwrap();
    let api = format!("/api/v1/cooperatives/{}", app.coop_a);
    assert_eq!(
        her_api
            .get(&format!("{api}/expense-reports/{id}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        her_api.get(&format!("{api}/expense-reports")).await.json(),
        serde_json::json!([])
    );
    assert_eq!(
        her_api
            .get(&format!("{api}/supplier-invoices"))
            .await
            .json(),
        serde_json::json!([])
    );
    // Nor may she record an invoice or a trip on his activity.
    let r = her
        .post_form(&format!("{a}/expenses"), &[("month", "2026-11")])
        .await;
    let her_report = r.location().to_owned();
    assert_ne!(her_report, report, "her own report");
    let r = her
        .post_form(
            &format!("{her_report}/trips"),
            &[
                ("date", "2026-11-04"),
                ("from", "Lyon"),
                ("to", "Vienne"),
                ("purpose", "Salon"),
                ("km", "30"),
                ("vehicle", "car"),
                ("fiscal_power", "4"),
                ("activity", &mine.to_string()),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Choisissez une de vos activités"));
}
