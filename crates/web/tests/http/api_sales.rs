//! Selling through the JSON API (issue 4, point 10): customers and invoice drafts created by an
//! entrepreneur, field errors naming the line, validation by the validation team only, frozen
//! documents (GEN-03), payments, PDF and Factur-X, lists with totals, and activities and
//! cooperatives kept apart (GDP-04). Also the command line's access to a document by its id.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use essaim_app::selling;
use essaim_app::selling::docs::{self, DocInput};
use essaim_domain::access::RoleKind;
use essaim_domain::ids::SaleDocId;
use essaim_domain::selling::{DocKind, LineInput};
use essaim_testkit::{ADMIN_B_EMAIL, Client, Reply, TestApp, email_for};
use serde_json::{Value, json};

use crate::selling::activities;

/// The customer of `crate::selling::company`, as JSON.
fn company() -> Value {
    json!({
        "kind": "company",
        "name": "Menuiserie Durand",
        "siret": "44306184100047",
        "email": "compta@durand.test",
        "address_line1": "3 rue des Lilas",
        "postcode": "69001",
        "city": "Lyon",
        "payment_days": "30",
    })
}

fn item(label: &str, quantity: &str, price: &str, vat: &str) -> Value {
    json!({ "label": label, "quantity": quantity, "unit": "HUR", "unit_price": price, "vat": vat })
}

/// 10 h at 80 € (20 %) and 2 h at 150 € (10 %): 1 100 HT, 190 VAT, 1 290 TTC.
fn invoice_body(customer: i64, first_quantity: &str) -> Value {
    json!({
        "customer_id": customer,
        "purchase_order": "BC-77",
        "lines": [
            { "kind": "section", "label": "Fabrication" },
            item("Conception", first_quantity, "80", "fr20"),
            item("Bois de chêne", "2", "150,00", "fr10"),
        ],
    })
}

async fn put_json(c: &mut Client, path: &str, body: &Value) -> Reply {
    let req = Request::builder()
        .method("PUT")
        .uri(path)
        .header(header::CONTENT_TYPE, "application/json")
        .header(
            header::AUTHORIZATION,
            format!("Bearer {}", c.bearer.clone().unwrap_or_default()),
        )
        .body(Body::from(body.to_string()))
        .unwrap();
    c.send(req).await
}

fn field(r: &Reply) -> String {
    r.json()["error"]["fields"][0]["field"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn an_invoice_is_drafted_validated_paid_and_downloaded_through_the_api() {
    let app = TestApp::spawn().await;
    let (mine, _) = activities(&app).await;
    let base = format!("/api/v1/cooperatives/{}", app.coop_a);
    let mut ent = app.api_client(&email_for(RoleKind::Entrepreneur)).await;

    // A customer: the activity is required, then the customer is created and listed.
    let r = ent
        .post_json(&format!("{base}/customers"), &company())
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(field(&r), "activity");
    let mut bad = company();
    bad["siret"] = json!("44306184100048");
    let r = ent
        .post_json(&format!("{base}/customers?activity={mine}"), &bad)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(field(&r), "siret");
    let r = ent
        .post_json(&format!("{base}/customers?activity={mine}"), &company())
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let customer = r.json()["id"].as_i64().unwrap();
    assert_eq!(r.json()["country"], "FR");
    assert_eq!(r.json()["payment_days"], 30);
    let list = ent.get(&format!("{base}/customers?q=durand")).await.json();
    assert_eq!(list.as_array().map(|a| a.len()), Some(1), "{list}");
    let one = ent.get(&format!("{base}/customers/{customer}")).await;
    assert_eq!(one.status, StatusCode::OK);
    assert_eq!(one.json()["siren"], "443061841");

    // A bad quantity is refused beside its line (counted from 0, the section included).
    let invoices = format!("{base}/invoices?activity={mine}");
    let r = ent
        .post_json(&invoices, &invoice_body(customer, "abc"))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.json()["error"]["code"], "invalid");
    assert_eq!(field(&r), "lines[1].quantity");
    let r = ent
        .post_json(
            &invoices,
            &json!({ "customer_id": customer, "lines": [item("Conception", "abc", "80", "fr20")] }),
        )
        .await;
    assert_eq!(field(&r), "lines[0].quantity");

    // The draft, with its amounts computed.
    let r = ent
        .post_json(&invoices, &invoice_body(customer, "10"))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let doc = r.json();
    let id = doc["id"].as_i64().unwrap();
    assert_eq!(doc["kind"], "invoice");
    assert_eq!(doc["status"], "draft");
    assert_eq!(doc["number"], Value::Null);
    assert_eq!(doc["purchase_order"], "BC-77");
    assert_eq!(doc["lines"][0]["kind"], "section");
    assert_eq!(doc["lines"][1]["net"]["cents"], 80_000);
    assert_eq!(doc["lines"][2]["net"]["cents"], 30_000);
    assert_eq!(doc["lines"][2]["vat_rate"], "10");
    assert_eq!(doc["vat"].as_array().map(|v| v.len()), Some(2));
    assert_eq!(doc["totals"]["total_ht"]["cents"], 110_000);
    assert_eq!(doc["totals"]["total_vat"]["decimal"], "190.00");
    assert_eq!(doc["totals"]["total_ttc"]["cents"], 129_000);
    assert_eq!(doc["totals"]["total_ttc"]["decimal"], "1290.00");
    assert_eq!(doc["may_edit"], true);
    assert_eq!(doc["may_validate"], false);

    // Updated with PUT (or POST, as the pages do).
    let sale = format!("{base}/sales/{id}");
    let r = put_json(&mut ent, &sale, &invoice_body(customer, "5")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["totals"]["total_ttc"]["cents"], 81_000);
    let r = ent.post_json(&sale, &invoice_body(customer, "10")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["totals"]["total_ttc"]["cents"], 129_000);

    // The entrepreneur has no self-validation ceiling; the validation team numbers it.
    let r = ent.post_json(&format!("{sale}/validate"), &json!({})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert_eq!(r.json()["error"]["code"], "forbidden");
    let mut validator = app.api_client(&email_for(RoleKind::Validation)).await;
    let r = validator
        .post_json(&format!("{sale}/validate"), &json!({}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["number"], "F2026-00001");
    assert_eq!(r.json()["id"], id);
    let issued = ent.get(&sale).await.json();
    assert_eq!(issued["status"], "issued");
    assert_eq!(issued["number"], "F2026-00001");
    assert_eq!(issued["due_date"], "2026-12-29");

    // Frozen (GEN-03): neither an update nor a second validation changes anything.
    let r = put_json(&mut ent, &sale, &invoice_body(customer, "1")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(field(&r), "state");
    let r = ent.post_json(&sale, &invoice_body(customer, "1")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let r = validator
        .post_json(&format!("{sale}/validate"), &json!({}))
        .await;
    assert!(r.status.is_client_error(), "{}", r.body);
    assert_eq!(ent.get(&sale).await.json(), issued);

    // Payments: accounting records them, not the entrepreneur; never more than due.
    let payments = format!("{sale}/payments");
    let payment = json!({ "paid_on": "2026-11-29", "amount": "1000", "mode": "transfer", "reference": "VIR 12" });
    let r = ent.post_json(&payments, &payment).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let mut accounting = app.api_client(&email_for(RoleKind::Accounting)).await;
    let r = accounting
        .post_json(
            &payments,
            &json!({ "paid_on": "hier", "amount": "", "mode": "troc" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<Value> = r.json()["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].clone())
        .collect();
    assert_eq!(
        fields,
        vec![json!("paid_on"), json!("amount"), json!("mode")]
    );
    let r = accounting.post_json(&payments, &payment).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let paid = r.json();
    assert_eq!(paid["status"], "partly_paid");
    assert_eq!(paid["payments"][0]["amount"]["cents"], 100_000);
    assert_eq!(paid["payments"][0]["reference"], "VIR 12");
    assert_eq!(paid["totals"]["outstanding"]["decimal"], "290.00");
    let r = accounting
        .post_json(
            &payments,
            &json!({ "paid_on": "2026-11-29", "amount": "290,01", "mode": "cheque" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(field(&r), "amount");

    // The PDF and the Factur-X XML.
    let pdf = ent.get(&format!("{sale}/pdf")).await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert_eq!(pdf.headers[header::CONTENT_TYPE], "application/pdf");
    assert!(pdf.body.starts_with("%PDF"));
    let xml = ent.get(&format!("{sale}/xml")).await;
    assert_eq!(xml.status, StatusCode::OK);
    assert_eq!(xml.headers[header::CONTENT_TYPE], "application/xml");
    assert!(xml.body.contains("CrossIndustryInvoice") && xml.body.contains("F2026-00001"));

    // The lists filter by status and add up every match.
    let r = ent.post_json(&invoices, &invoice_body(customer, "1")).await;
    assert_eq!(r.status, StatusCode::CREATED);
    let draft = r.json()["id"].as_i64().unwrap();
    let r = ent.get(&format!("{base}/sales/{draft}/xml")).await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "no XML for a draft"
    );
    let all = ent.get(&format!("{base}/invoices")).await.json();
    assert_eq!(all["count"], 2);
    // The second draft: 80 HT at 20 % and 300 HT at 10 %, 426 TTC.
    assert_eq!(all["totals"]["total_ttc"]["cents"], 129_000 + 42_600);
    let partly = ent
        .get(&format!("{base}/invoices?status=partly_paid"))
        .await
        .json();
    assert_eq!(partly["count"], 1);
    assert_eq!(partly["items"][0]["number"], "F2026-00001");
    assert_eq!(partly["items"][0]["outstanding"]["cents"], 29_000);
    assert_eq!(partly["totals"]["total_ttc"]["cents"], 129_000);
    assert_eq!(partly["totals"]["outstanding"]["cents"], 29_000);
    let drafts = ent
        .get(&format!("{base}/invoices?status=draft"))
        .await
        .json();
    assert_eq!(drafts["count"], 1);
    assert_eq!(drafts["items"][0]["id"], draft);
    let r = ent.get(&format!("{base}/invoices?status=envolée")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(field(&r), "status");
    let quotes = ent.get(&format!("{base}/quotes")).await.json();
    assert_eq!(quotes["count"], 0);
}

#[tokio::test]
async fn a_quote_is_created_through_the_api_with_its_dates() {
    let app = TestApp::spawn().await;
    let (mine, _) = activities(&app).await;
    let base = format!("/api/v1/cooperatives/{}", app.coop_a);
    let mut ent = app.api_client(&email_for(RoleKind::Entrepreneur)).await;
    let customer = ent
        .post_json(&format!("{base}/customers?activity={mine}"), &company())
        .await
        .json()["id"]
        .as_i64()
        .unwrap();
    let r = ent
        .post_json(
            &format!("{base}/quotes?activity={mine}"),
            &json!({
                "customer_id": customer, "doc_date": "2026-11-29", "valid_until": "2026-11-01",
                "lines": [item("Conception", "1", "80", "fr20")],
            }),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(field(&r), "valid_until");
    let r = ent
        .post_json(
            &format!("{base}/quotes?activity={mine}"),
            &json!({
                "customer_id": customer, "doc_date": "2026-11-29", "overall_discount": "10 %",
                "lines": [item("Conception", "1", "80", "fr20")],
            }),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let q = r.json();
    assert_eq!(q["kind"], "quote");
    assert_eq!(q["valid_until"], "2026-12-29");
    assert_eq!(q["overall_discount"], "10 %");
    assert_eq!(q["totals"]["total_ht"]["cents"], 7_200);
    // A quote is never validated like an invoice.
    let mut validator = app.api_client(&email_for(RoleKind::Validation)).await;
    let r = validator
        .post_json(&format!("{base}/sales/{}/validate", q["id"]), &json!({}))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let list = ent.get(&format!("{base}/quotes?status=draft")).await.json();
    assert_eq!(list["count"], 1);
}

#[tokio::test]
async fn gdp_04_other_activities_and_other_cooperatives_look_absent_through_the_api() {
    let app = TestApp::spawn().await;
    let (mine, other) = activities(&app).await;
    let a = &app.coop_a;
    let base = format!("/api/v1/cooperatives/{a}");
    let admin = app.coop_actor(&email_for(RoleKind::Administrator), a).await;
    let theirs = selling::create_customer(&app.app, &admin, other, &crate::selling::company())
        .await
        .unwrap();
    let input = DocInput {
        customer_id: theirs.to_string(),
        lines: vec![LineInput {
            label: "Audit".into(),
            quantity: "1".into(),
            unit: "DAY".into(),
            unit_price: "900".into(),
            vat: "fr20".into(),
            ..Default::default()
        }],
        ..Default::default()
    };
    let doc = docs::create(&app.app, &admin, other, DocKind::Invoice, &input)
        .await
        .unwrap();

    // The entrepreneur of the other activity sees nothing of it.
    let mut ent = app.api_client(&email_for(RoleKind::Entrepreneur)).await;
    for path in [
        format!("{base}/sales/{doc}"),
        format!("{base}/sales/{doc}/pdf"),
        format!("{base}/sales/{doc}/xml"),
        format!("{base}/customers/{theirs}"),
    ] {
        let r = ent.get(&path).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}: {}", r.body);
        assert_eq!(r.json()["error"]["code"], "not_found");
    }
    let r = ent
        .post_json(&format!("{base}/sales/{doc}/validate"), &json!({}))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = put_json(&mut ent, &format!("{base}/sales/{doc}"), &json!({})).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(
        ent.get(&format!("{base}/invoices")).await.json()["count"],
        0
    );
    assert_eq!(
        ent.get(&format!("{base}/customers")).await.json(),
        json!([])
    );
    // Nor may they create for it, or bill its customer from their own activity.
    let r = ent
        .post_json(
            &format!("{base}/invoices?activity={other}"),
            &json!({ "customer_id": theirs.get(), "lines": [item("Conseil", "1", "100", "fr20")] }),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = ent
        .post_json(
            &format!("{base}/invoices?activity={mine}"),
            &json!({ "customer_id": theirs.get(), "lines": [item("Conseil", "1", "100", "fr20")] }),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(field(&r), "customer_id");

    // The administrator of cooperative B reaches nothing of A, even with the right id.
    let mut admin_b = app.api_client(ADMIN_B_EMAIL).await;
    let b = &app.coop_b;
    for path in [
        format!("{base}/sales/{doc}"),
        format!("{base}/invoices"),
        format!("/api/v1/cooperatives/{b}/sales/{doc}"),
        format!("/api/v1/cooperatives/{b}/sales/{doc}/pdf"),
        format!("/api/v1/cooperatives/{b}/customers/{theirs}"),
    ] {
        assert_eq!(
            admin_b.get(&path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let r = admin_b
        .post_json(
            &format!("/api/v1/cooperatives/{b}/sales/{doc}/payments"),
            &json!({ "paid_on": "2026-11-29", "amount": "1", "mode": "cash" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(
        admin_b
            .get(&format!("/api/v1/cooperatives/{b}/invoices"))
            .await
            .json()["count"],
        0
    );

    // A member without selling rights does not reach the lists.
    let mut member = app.api_client(&email_for(RoleKind::Member)).await;
    assert_eq!(
        member.get(&format!("{base}/invoices")).await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn the_openapi_document_describes_the_selling_endpoints() {
    let app = TestApp::spawn().await;
    let doc = app.client().get("/api/v1/openapi.json").await.json();
    let paths = &doc["paths"];
    for (path, method) in [
        ("/api/v1/cooperatives/{coop}/customers", "post"),
        ("/api/v1/cooperatives/{coop}/invoices", "get"),
        ("/api/v1/cooperatives/{coop}/quotes", "post"),
        ("/api/v1/cooperatives/{coop}/sales/{id}", "put"),
        ("/api/v1/cooperatives/{coop}/sales/{id}", "post"),
        ("/api/v1/cooperatives/{coop}/sales/{id}/validate", "post"),
        ("/api/v1/cooperatives/{coop}/sales/{id}/payments", "post"),
        ("/api/v1/cooperatives/{coop}/sales/{id}/pdf", "get"),
        ("/api/v1/cooperatives/{coop}/sales/{id}/xml", "get"),
    ] {
        assert!(
            paths[path][method].is_object(),
            "{method} {path} is missing"
        );
    }
    assert!(
        paths["/api/v1/cooperatives/{coop}/sales/{id}/pdf"]["get"]["responses"]["200"]["content"]
            ["application/pdf"]
            .is_object()
    );
    assert!(doc["components"]["schemas"]["Amount"].is_object());
}

#[tokio::test]
async fn the_command_line_reads_a_document_by_its_id_alone() {
    let app = TestApp::spawn().await;
    let (mine, _) = activities(&app).await;
    let admin = app
        .coop_actor(&email_for(RoleKind::Administrator), &app.coop_a)
        .await;
    let customer = selling::create_customer(&app.app, &admin, mine, &crate::selling::company())
        .await
        .unwrap();
    let input = DocInput {
        customer_id: customer.to_string(),
        lines: vec![LineInput {
            label: "Conseil".into(),
            quantity: "2".into(),
            unit: "DAY".into(),
            unit_price: "450".into(),
            vat: "fr20".into(),
            ..Default::default()
        }],
        ..Default::default()
    };
    let id = docs::create(&app.app, &admin, mine, DocKind::Invoice, &input)
        .await
        .unwrap();
    // A draft prints, without XML.
    let (name, pdf) = docs::pdf_for_cli(&app.app, id).await.unwrap();
    assert_eq!(name, format!("brouillon-{id}.pdf"));
    assert!(pdf.starts_with(b"%PDF"));
    assert!(matches!(
        docs::xml_for_cli(&app.app, id).await,
        Err(essaim_app::AppError::Invalid(_))
    ));
    // Issued: the frozen copy, with its number.
    let number = docs::validate(&app.app, &admin, id).await.unwrap();
    let (name, pdf) = docs::pdf_for_cli(&app.app, id).await.unwrap();
    assert_eq!(name, format!("{number}.pdf"));
    assert!(pdf.starts_with(b"%PDF"));
    let (name, xml) = docs::xml_for_cli(&app.app, id).await.unwrap();
    assert_eq!(name, format!("{number}-factur-x.xml"));
    assert!(xml.contains(&number));
    assert!(matches!(
        docs::pdf_for_cli(&app.app, SaleDocId::new(999_999)).await,
        Err(essaim_app::AppError::NotFound(_))
    ));
}
