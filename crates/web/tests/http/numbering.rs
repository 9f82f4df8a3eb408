//! Gapless legal numbering under concurrency (INV-10, INV-12; STACK.md): 64 validations at once on
//! each database, with validations that fail after taking their number (the rollback gives it back).

use essaim_app::mail::Mailer;
use essaim_app::selling;
use essaim_app::selling::docs::{self, DocInput};
use essaim_domain::access::RoleKind;
use essaim_domain::selling::{DocKind, LineInput};
use essaim_testkit::{TestApp, backends, email_for};

fn input(customer: i64, price: &str) -> DocInput {
    DocInput {
        customer_id: customer.to_string(),
        lines: vec![LineInput {
            label: "Prestation".into(),
            quantity: "1".into(),
            unit: "HUR".into(),
            unit_price: price.into(),
            vat: "fr20".into(),
            ..LineInput::default()
        }],
        ..DocInput::default()
    }
}

#[tokio::test]
async fn inv_10_concurrent_validations_leave_no_gap_and_no_duplicate_on_both_databases() {
    for backend in backends() {
        let app =
            TestApp::spawn_with(backend, Mailer::new(None, "essaim@test.invalid").unwrap()).await;
        let (activity, _) = super::selling::activities(&app).await;
        let admin = app
            .coop_actor(&email_for(RoleKind::Administrator), &app.coop_a)
            .await;
        let validator = app
            .coop_actor(&email_for(RoleKind::Validation), &app.coop_a)
            .await;
        let customer =
            selling::create_customer(&app.app, &admin, activity, &super::selling::company())
                .await
                .unwrap();
        // One issued invoice, and eight full credit notes of it: only one can be validated, the
        // seven others fail after having taken a number.
        let first = docs::create(
            &app.app,
            &admin,
            activity,
            DocKind::Invoice,
            &input(customer.get(), "100"),
        )
        .await
        .unwrap();
        assert_eq!(
            docs::validate(&app.app, &validator, first).await.unwrap(),
            "F2026-00001"
        );
        let mut drafts = Vec::new();
        for i in 0..64 {
            let price = format!("{}", 10 + i);
            drafts.push(
                docs::create(
                    &app.app,
                    &admin,
                    activity,
                    DocKind::Invoice,
                    &input(customer.get(), &price),
                )
                .await
                .unwrap(),
            );
        }
        for _ in 0..8 {
            drafts.push(
                docs::create_credit_note(&app.app, &admin, first)
                    .await
                    .unwrap(),
            );
        }
        let mut tasks = Vec::new();
        for id in drafts {
            let a = app.app.clone();
            let v = validator.clone();
            tasks.push(tokio::spawn(
                async move { docs::validate(&a, &v, id).await },
            ));
        }
        let mut numbers = Vec::new();
        let mut failures = 0;
        for t in tasks {
            match t.await.unwrap() {
                Ok(n) => numbers.push(n),
                Err(_) => failures += 1,
            }
        }
        assert_eq!(
            failures, 7,
            "{backend:?}: seven credit notes exceed the invoice"
        );
        numbers.sort();
        let expected: Vec<String> = (2..=66).map(|n| format!("F2026-{n:05}")).collect();
        assert_eq!(numbers, expected, "{backend:?}: no gap, no duplicate");
        // Chronological: dates never go down as numbers go up.
        let (rows, _) = docs::list(
            &app.app,
            &validator,
            essaim_app::records::DocFilter::default(),
            1000,
            0,
        )
        .await
        .unwrap();
        let mut issued: Vec<_> = rows.iter().filter(|d| d.number.is_some()).collect();
        issued.sort_by(|a, b| a.number.cmp(&b.number));
        assert_eq!(issued.len(), 66);
        assert!(issued.windows(2).all(|w| w[0].doc_date <= w[1].doc_date));
        // Their entries are numbered in the sales journal without gap either (ACC-03, FEC-05):
        // the failed validations gave back the journal number with the invoice number.
        let accounting = app
            .coop_actor(&email_for(RoleKind::Accounting), &app.coop_a)
            .await;
        let filter = essaim_app::records::EntryFilter {
            journal: Some("VT".into()),
            ..Default::default()
        };
        let (entries, total) =
            essaim_app::books::views::entries(&app.app, &accounting, &filter, 1000, 0)
                .await
                .unwrap();
        assert_eq!(total, 66, "{backend:?}: one entry per issued document");
        let mut numbers: Vec<String> = entries.into_iter().filter_map(|e| e.number).collect();
        numbers.sort();
        let expected: Vec<String> = (1..=66).map(|n| format!("VT2026-{n:06}")).collect();
        assert_eq!(
            numbers, expected,
            "{backend:?}: journal numbers without gap"
        );
    }
}
