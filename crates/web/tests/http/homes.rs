//! Homes (issue 19): asking the validation team to validate a draft and its answer, and the
//! home of each role, whose figures equal the lists they link to, with the refusals.

use crate::selling::{activities, company};
use axum::http::StatusCode;
use essaim_app::selling;
use essaim_domain::access::RoleKind;
use essaim_testkit::{Backend, Client, TestApp, backends, email_for};

async fn new_invoice(c: &mut Client, a: &str, activity: i64, customer: i64, price: &str) -> String {
    let fields = [
        ("customer_id", customer.to_string()),
        ("rows", "1".to_owned()),
        ("l0.kind", "item".to_owned()),
        ("l0.label", "Conseil".to_owned()),
        ("l0.quantity", "1".to_owned()),
        ("l0.unit", "HUR".to_owned()),
        ("l0.unit_price", price.to_owned()),
        ("l0.vat", "fr20".to_owned()),
        ("l0.discount", String::new()),
    ];
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = c
        .post_form(
            &format!("/c/{a}/sales?kind=invoice&activity={activity}"),
            &refs,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    r.location().to_owned()
}

async fn spawn(backend: Backend) -> TestApp {
    TestApp::spawn_with(
        backend,
        essaim_app::mail::Mailer::new(None, "essaim@test.invalid").expect("mailer"),
    )
    .await
}

#[tokio::test]
async fn a_draft_is_asked_returned_with_a_comment_asked_again_and_validated() {
    for backend in backends() {
        let app = spawn(backend).await;
        let (mine, other) = activities(&app).await;
        let a = app.coop_a.clone();
        let admin = app
            .coop_actor(&email_for(RoleKind::Administrator), &a)
            .await;
        let customer = selling::create_customer(&app.app, &admin, mine, &company())
            .await
            .unwrap();
        let mut ent = app.signed_in(&email_for(RoleKind::Entrepreneur)).await;
        let doc = new_invoice(&mut ent, &a, mine.get(), customer.get(), "1200").await;
        let page = ent.get(&doc).await.body;
        assert!(page.contains("Demander la validation"), "{page}");
        assert!(!page.contains("Validation demandée :"));

        // Nobody was asked yet: returning it is refused beside the review.
        let mut val = app.signed_in(&email_for(RoleKind::Validation)).await;
        let r = val
            .post_form(&format!("{doc}/review/return"), &[("comment", "Taux ?")])
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.body.contains("demandé la validation de ce brouillon"),
            "{}",
            r.body
        );

        let r = ent.post_form(&format!("{doc}/review/ask"), &[]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let page = ent.get(&doc).await.body;
        assert!(page.contains("Validation demandée :"), "{page}");
        assert!(!page.contains("Demander la validation</button>"));
        // Asking twice is refused.
        let r = ent.post_form(&format!("{doc}/review/ask"), &[]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        // The entrepreneur cannot send it back to themselves.
        let r = ent
            .post_form(&format!("{doc}/review/return"), &[("comment", "non")])
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);

        // The validation team has it in its queue, oldest first, and was told.
        let queue = val
            .get(&format!("/c/{a}/invoices?status=to_validate&sort=oldest"))
            .await;
        assert_eq!(queue.status, StatusCode::OK);
        assert!(queue.body.contains("Menuiserie Durand"), "{}", queue.body);
        assert!(queue.body.contains("1 document"), "{}", queue.body);
        // Returning without saying why is refused beside the comment; nothing changes.
        let r = val
            .post_form(&format!("{doc}/review/return"), &[("comment", "  ")])
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("id=\"e-comment\""), "{}", r.body);
        let r = val
            .post_form(
                &format!("{doc}/review/return"),
                &[("comment", "Le taux de TVA doit être 10 %.")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let page = ent.get(&doc).await.body;
        assert!(page.contains("Le taux de TVA doit être 10 %."), "{page}");
        assert!(page.contains("Renvoyé pour correction"));
        let returned = ent.get(&format!("/c/{a}/invoices?status=returned")).await;
        assert!(returned.body.contains("Menuiserie Durand"));
        let queue = val
            .get(&format!("/c/{a}/invoices?status=to_validate"))
            .await;
        assert!(!queue.body.contains("Menuiserie Durand"));

        // Asked again, then validated: it leaves the queue with its number.
        let r = ent.post_form(&format!("{doc}/review/ask"), &[]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let r = val.post_form(&format!("{doc}/validate"), &[]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let queue = val
            .get(&format!("/c/{a}/invoices?status=to_validate"))
            .await;
        assert!(!queue.body.contains("Menuiserie Durand"));
        let r = ent.post_form(&format!("{doc}/review/ask"), &[]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("validé"), "{}", r.body);

        // Someone else's activity: its draft is not found, as if it did not exist.
        let theirs = new_invoice(
            &mut app.signed_in(&email_for(RoleKind::Administrator)).await,
            &a,
            other.get(),
            selling::create_customer(&app.app, &admin, other, &company())
                .await
                .unwrap()
                .get(),
            "100",
        )
        .await;
        let r = ent.post_form(&format!("{theirs}/review/ask"), &[]).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        // Another cooperative's administrator cannot reach it either.
        let mut admin_b = app.signed_in(essaim_testkit::ADMIN_B_EMAIL).await;
        let r = admin_b.post_form(&format!("{doc}/review/ask"), &[]).await;
        assert!(
            r.status == StatusCode::NOT_FOUND || r.status == StatusCode::FORBIDDEN,
            "{}",
            r.status
        );
    }
}

/// The money amounts (`12 345,60 €`, any spaces) written in a text, without their sign.
fn amounts(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, _) in text.match_indices('€') {
        let before: Vec<char> = text[..i].chars().collect();
        let mut j = before.len();
        while j > 0
            && (before[j - 1].is_ascii_digit()
                || before[j - 1] == ','
                || before[j - 1].is_whitespace()
                || before[j - 1] == '\u{202f}')
        {
            j -= 1;
        }
        let amount: String = before[j..].iter().collect();
        if amount.contains(',') {
            out.push(amount.trim().to_owned());
        }
    }
    out
}

/// The lines of a home: (link, text).
fn home_lines(body: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for part in body.split("<ul class=\"home-lines\">").skip(1) {
        let list = part.split("</ul>").next().unwrap_or_default();
        for li in list.split("<li").skip(1) {
            if let Some(rest) = li.split("<a href=\"").nth(1) {
                let href = rest.split('"').next().unwrap_or_default();
                let text = rest.split('>').nth(1).unwrap_or_default();
                let text = text.split('<').next().unwrap_or_default();
                out.push((
                    href.replace("&amp;", "&").replace("&#38;", "&"),
                    text.replace("&#39;", "'"),
                ));
            }
        }
    }
    out
}

#[tokio::test]
async fn each_home_says_what_waits_and_each_figure_equals_the_list_it_opens() {
    for backend in backends() {
        let app = spawn(backend).await;
        essaim_app::demo::seed(
            &app.app,
            essaim_app::demo::DemoOptions {
                cooperatives: 1,
                entrepreneurs: 8,
                years: 2,
                seed: 7,
            },
        )
        .await
        .unwrap();
        let slug = "cooperative-l-essaim";
        let home = format!("/c/{slug}");
        // Which blocks each role sees (by their titles), and which it must not.
        let cases: [(&str, &[&str], &[&str]); 6] = [
            (
                "entrepreneur@demo.essaim.coop",
                &[
                    "Mes activités",
                    "Facturé depuis le",
                    "Vos clients vous doivent",
                ],
                &[
                    "Ce qui vous attend",
                    "Factures en retard de la coopérative",
                    "Mettre en place",
                ],
            ),
            (
                "validation@demo.essaim.coop",
                &[
                    "Ce qui vous attend",
                    "facture(s) à valider",
                    "Factures en retard de la coopérative",
                ],
                &["Mes activités", "Clôture des comptes", "Mettre en place"],
            ),
            (
                "comptabilite@demo.essaim.coop",
                &[
                    "Clôture des comptes",
                    "ligne(s) de banque à rapprocher",
                    "Mois terminés à clôturer",
                ],
                &["Mes activités", "facture(s) à valider", "Mettre en place"],
            ),
            (
                "accompagnement@demo.essaim.coop",
                &["Prochaines échéances des parcours", "Vous êtes référent"],
                &["Mes activités", "Factures en retard", "Clôture des comptes"],
            ),
            (
                "admin@demo.essaim.coop",
                &[
                    "Mettre en place la coopérative",
                    "Logo imprimé sur les documents",
                ],
                &["Mes activités"],
            ),
            (
                "associe@demo.essaim.coop",
                &["La coopérative en chiffres", "Annuaire de la coopérative"],
                &[
                    "Mes activités",
                    "Ce qui vous attend",
                    "Factures en retard",
                    "Clôture",
                ],
            ),
        ];
        let mut compared = 0;
        for (email, shown, hidden) in cases {
            let mut c = app
                .signed_in_with(email, essaim_app::demo::DEMO_PASSWORD)
                .await;
            let r = c.get(&home).await;
            assert_eq!(r.status, StatusCode::OK, "{email}");
            let body = r.body.replace("&#39;", "'");
            for s in shown {
                assert!(body.contains(s), "{email} should see {s}");
            }
            for s in hidden {
                assert!(!body.contains(s), "{email} should not see {s}");
            }
            // Every line opens a page the person may see; a line about sale documents shows
            // the figures of the list it opens.
            for (href, text) in home_lines(&r.body) {
                let list = c.get(&href).await;
                assert_eq!(list.status, StatusCode::OK, "{email}: {text} → {href}");
                let is_sales_list = href.contains("/invoices?") || href.contains("/quotes?");
                if !is_sales_list {
                    continue;
                }
                let summary = list
                    .body
                    .split("role=\"status\">")
                    .nth(1)
                    .and_then(|s| s.split("</p>").next())
                    .unwrap_or_default()
                    .to_owned();
                for amount in amounts(&text) {
                    compared += 1;
                    assert!(
                        summary.contains(&amount),
                        "{email}: {text} → {href}: {amount} not in {summary}"
                    );
                }
                let count = text.split(['(', ' ']).find_map(|w| w.parse::<i64>().ok());
                if let Some(n) = count
                    && (text.contains("facture(s)") || text.contains("brouillon(s)"))
                {
                    assert!(
                        summary.starts_with(&format!("{n} document(s)")),
                        "{email}: {text} → {href}: {summary}"
                    );
                }
            }
        }
        assert!(compared >= 6, "only {compared} amounts compared");
        // The overdue invoices' age bands add up to their total.
        let mut val = app
            .signed_in_with(
                "validation@demo.essaim.coop",
                essaim_app::demo::DEMO_PASSWORD,
            )
            .await;
        let lines = home_lines(&val.get(&home).await.body);
        let cents = |t: &str| -> i64 {
            amounts(t)
                .iter()
                .map(|a| {
                    a.chars()
                        .filter(|c| c.is_ascii_digit())
                        .collect::<String>()
                        .parse::<i64>()
                        .unwrap()
                })
                .sum()
        };
        let total = lines
            .iter()
            .find(|(h, _)| h.contains("status=overdue"))
            .map(|(_, t)| cents(t))
            .expect("the overdue line");
        let bands: i64 = lines
            .iter()
            .filter(|(h, _)| h.ends_with("/receivables"))
            .map(|(_, t)| cents(t))
            .sum();
        assert!(total > 0);
        assert_eq!(bands, total);
        // Producing a FEC is recorded, and the accountant's home says when and by whom.
        let mut acc = app
            .signed_in_with(
                "comptabilite@demo.essaim.coop",
                essaim_app::demo::DEMO_PASSWORD,
            )
            .await;
        let body = acc.get(&home).await.body;
        assert!(body.contains("Aucun FEC produit pour l"), "{body}");
        let r = acc.get(&format!("/c/{slug}/books/fec?year=2025")).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let body = acc.get(&home).await.body;
        assert!(body.contains("Dernier FEC produit le"), "{body}");
        // The validation team sees neither the closing block nor the FEC.
        let mut val = app
            .signed_in_with(
                "validation@demo.essaim.coop",
                essaim_app::demo::DEMO_PASSWORD,
            )
            .await;
        assert!(!val.get(&home).await.body.contains("FEC"));
        // A person of another cooperative has no home there.
        let mut b = app.signed_in(essaim_testkit::ADMIN_B_EMAIL).await;
        let r = b.get(&home).await;
        assert!(
            r.status == StatusCode::NOT_FOUND || r.status == StatusCode::FORBIDDEN,
            "{}",
            r.status
        );
    }
}

#[tokio::test]
async fn the_api_asks_for_validation_and_sends_back_with_a_comment_naming_the_field() {
    let app = TestApp::spawn().await;
    let (mine, _) = activities(&app).await;
    let a = app.coop_a.clone();
    let admin = app
        .coop_actor(&email_for(RoleKind::Administrator), &a)
        .await;
    let customer = selling::create_customer(&app.app, &admin, mine, &company())
        .await
        .unwrap();
    let mut web = app.signed_in(&email_for(RoleKind::Entrepreneur)).await;
    let doc = new_invoice(&mut web, &a, mine.get(), customer.get(), "900").await;
    let id = doc.rsplit('/').next().unwrap().to_owned();
    let base = format!("/api/v1/cooperatives/{a}/sales/{id}");
    let mut ent = app.api_client(&email_for(RoleKind::Entrepreneur)).await;
    let mut val = app.api_client(&email_for(RoleKind::Validation)).await;

    let r = ent.get(&base).await;
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(v["review"], "");
    assert_eq!(v["may_ask_review"], true);
    let r = ent
        .post_json(&format!("{base}/review/ask"), &serde_json::json!({}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(v["review"], "asked");
    let r = ent
        .post_json(&format!("{base}/review/ask"), &serde_json::json!({}))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("\"review\""), "{}", r.body);
    let r = ent
        .post_json(
            &format!("{base}/review/return"),
            &serde_json::json!({ "comment": "non" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = val
        .post_json(&format!("{base}/review/return"), &serde_json::json!({}))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("\"comment\""), "{}", r.body);
    let r = val
        .post_json(
            &format!("{base}/review/return"),
            &serde_json::json!({ "comment": "Ajouter le bon de commande" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(v["review"], "returned");
    assert_eq!(v["review_comment"], "Ajouter le bon de commande");
    // The queue through the API: oldest first, with its count.
    let r = val
        .get(&format!(
            "/api/v1/cooperatives/{a}/invoices?status=returned&sort=oldest"
        ))
        .await;
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(v["count"], 1, "{}", r.body);
}
