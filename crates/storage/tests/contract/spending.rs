use crate::{A, B, NOW, identity, stores};
use essaim_domain::account::{Email, Locale};
use essaim_domain::activity::ActivityDetails;
use essaim_domain::ids::UserId;
use essaim_storage::account::{self, NewUser};
use essaim_storage::spending::{
    self as s, InvoiceFilter, NewBatch, NewExpenseLine, NewSupplierInvoice, NewTrip, Receipt,
    ReportFilter, SupplierRecord, TransferItemRecord,
};
use essaim_storage::{Tx, activity, cooperative as coops};
use time::macros::date;

async fn person(tx: &mut Tx, email: &str) -> UserId {
    account::insert(
        tx,
        &NewUser {
            email: &Email::parse(email).unwrap(),
            display_name: email.split('@').next().unwrap(),
            password_hash: "x",
            locale: Locale::Fr,
            is_host_admin: false,
        },
        NOW,
    )
    .await
    .unwrap()
}

fn details(code: &str) -> ActivityDetails {
    ActivityDetails {
        name: format!("Activité {code}"),
        description: None,
        naf: None,
        analytic_code: code.into(),
        start_on: date!(2026 - 01 - 05),
        end_on: None,
    }
}

#[tokio::test]
async fn reports_lines_trips_and_batches_keep_their_state_and_their_cooperative() {
    for store in stores().await {
        let backend = store.backend();
        let mut tx = store.begin().await.unwrap();
        let a = coops::insert(&mut tx, "a", &identity(A.0, A.1), NOW)
            .await
            .unwrap();
        let b = coops::insert(&mut tx, "b", &identity(B.0, B.1), NOW)
            .await
            .unwrap();
        let lea = person(&mut tx, "lea@exemple.fr").await;
        let act = activity::insert(&mut tx, a, &details("GRAPH"), None, NOW)
            .await
            .unwrap();
        // One report per person and month: asking again gives the same one.
        let r = s::report_of_month(&mut tx, a, lea, "2026-11", NOW)
            .await
            .unwrap();
        assert_eq!(
            s::report_of_month(&mut tx, a, lea, "2026-11", NOW)
                .await
                .unwrap(),
            r
        );
        assert!(
            s::report(&mut tx, b, r).await.unwrap().is_none(),
            "{backend}"
        );
        let line = s::insert_expense_line(
            &mut tx,
            r,
            &NewExpenseLine {
                activity: act,
                spent_on: date!(2026 - 11 - 03),
                category: "travel",
                amount_cents: 12_000,
                vat_cents: 1_091,
                vat_recoverable: true,
                description: "Train",
            },
            None,
            NOW,
        )
        .await
        .unwrap();
        assert!(
            s::set_receipt(
                &mut tx,
                r,
                line,
                &Receipt {
                    sha256: "ab",
                    content_type: "application/pdf",
                    name: "billet.pdf",
                    size: 10
                }
            )
            .await
            .unwrap()
        );
        let trip = NewTrip {
            user: lea,
            activity: act,
            driven_on: date!(2026 - 11 - 04),
            from: "Lyon",
            to: "Vienne",
            purpose: "Client",
            km_tenths: 325,
            vehicle: "car",
            fiscal_power: 5,
            electric: false,
            amount_cents: 2_067,
            scale_year: 2025,
            provisional: true,
        };
        s::insert_trip(&mut tx, a, r, &trip, NOW).await.unwrap();
        assert_eq!(
            s::km_in_year(&mut tx, a, lea, 2026, ("car", 5, false))
                .await
                .unwrap(),
            325
        );
        assert_eq!(
            s::km_in_year(&mut tx, a, lea, 2026, ("car", 5, true))
                .await
                .unwrap(),
            0
        );
        s::set_report_totals(&mut tx, r, 12_000, 2_067, 1_091, 2)
            .await
            .unwrap();
        let summary = s::mileage_year(&mut tx, a, 2026, None).await.unwrap();
        assert_eq!(summary.len(), 1);
        assert_eq!(summary[0].km_tenths, 325);
        // Status changes name the status they expect.
        assert!(
            s::set_report_status(&mut tx, a, r, "draft", "submitted", None, None, NOW)
                .await
                .unwrap()
        );
        assert!(
            !s::set_report_status(&mut tx, a, r, "draft", "submitted", None, None, NOW)
                .await
                .unwrap()
        );
        assert!(
            !s::set_report_status(
                &mut tx,
                b,
                r,
                "submitted",
                "validated",
                None,
                Some(lea),
                NOW
            )
            .await
            .unwrap(),
            "not from another cooperative"
        );
        assert!(
            s::set_report_status(
                &mut tx,
                a,
                r,
                "submitted",
                "validated",
                None,
                Some(lea),
                NOW
            )
            .await
            .unwrap()
        );
        let listed = s::reports(
            &mut tx,
            a,
            &ReportFilter {
                status: Some("validated".into()),
                period: Some("2026".into()),
                ..ReportFilter::default()
            },
            50,
            0,
        )
        .await
        .unwrap();
        assert_eq!(listed.len(), 1, "{backend}");
        assert_eq!(listed[0].decided_by_name.as_deref(), Some("lea"));
        assert!(
            s::reports(&mut tx, b, &ReportFilter::default(), 50, 0)
                .await
                .unwrap()
                .is_empty()
        );
        // Suppliers are found again by SIREN; an invoice number is recorded once per supplier.
        let sup = SupplierRecord {
            supplier_id: 0,
            name: "Imprimerie".into(),
            siren: Some("732829320".into()),
            vat_number: None,
            iban: Some("FR7630006000011234567890189".into()),
            bic: None,
        };
        let s1 = s::supplier_for(&mut tx, a, &sup, NOW).await.unwrap();
        let s2 = s::supplier_for(&mut tx, a, &sup, NOW).await.unwrap();
        assert_eq!(s1, s2);
        let inv = NewSupplierInvoice {
            supplier: s1,
            activity: act,
            category: "advertising",
            number: "F-1",
            issue_date: date!(2026 - 11 - 02),
            due_date: Some(date!(2026 - 12 - 02)),
            net_cents: 10_000,
            vat_cents: 2_000,
            total_cents: 12_000,
            description: None,
            source: "typed",
            file: None,
            by: lea,
        };
        let i = s::insert_supplier_invoice(&mut tx, a, &inv, NOW)
            .await
            .unwrap()
            .unwrap();
        let found = s::supplier_invoice(&mut tx, a, i).await.unwrap().unwrap();
        assert_eq!(
            (found.status.as_str(), found.analytic_code.as_str()),
            ("received", "GRAPH")
        );
        assert!(s::supplier_invoice(&mut tx, b, i).await.unwrap().is_none());
        assert!(
            s::insert_supplier_invoice(&mut tx, a, &inv, NOW)
                .await
                .unwrap()
                .is_none()
        );
        let scoped = s::supplier_invoices(
            &mut tx,
            a,
            &InvoiceFilter {
                activities: Some(vec![]),
                ..InvoiceFilter::default()
            },
            50,
            0,
        )
        .await
        .unwrap();
        assert!(scoped.is_empty(), "no activity, no invoice");
        for (status, expected) in [("received", 1), ("paid", 0)] {
            let listed = s::supplier_invoices(
                &mut tx,
                a,
                &InvoiceFilter {
                    status: Some(status.into()),
                    supplier: Some(s1),
                    ..InvoiceFilter::default()
                },
                50,
                0,
            )
            .await
            .unwrap();
            assert_eq!(listed.len(), expected, "{backend}: {status}");
        }
        // A validated report goes into one open batch at a time; cancelling frees it.
        let payable = s::payable_reports(&mut tx, a).await.unwrap();
        assert_eq!(payable.len(), 1);
        assert_eq!(payable[0].refund_cents, 14_067);
        let items = [TransferItemRecord {
            seq: 1,
            report_id: Some(r),
            supplier_invoice_id: None,
            payee_name: "Léa".into(),
            iban: "FR1420041010050500013M02606".into(),
            bic: None,
            amount_cents: 14_067,
            end_to_end_id: "NDF-2026-11-000001".into(),
        }];
        let batch = |id: &'static str| NewBatch {
            message_id: id,
            execution_date: date!(2026 - 12 - 01),
            total_cents: 14_067,
            xml: "<Document/>",
            items: &items,
            by: lea,
        };
        let first = s::insert_batch(&mut tx, a, &batch("M1"), NOW)
            .await
            .unwrap()
            .unwrap();
        assert!(s::payable_reports(&mut tx, a).await.unwrap().is_empty());
        assert!(
            s::insert_batch(&mut tx, a, &batch("M2"), NOW)
                .await
                .unwrap()
                .is_none(),
            "{backend}: already in a batch"
        );
        assert!(s::batch(&mut tx, b, first).await.unwrap().is_none());
        assert!(
            s::close_batch(&mut tx, a, first, "cancelled", lea, NOW)
                .await
                .unwrap()
        );
        assert!(
            !s::close_batch(&mut tx, a, first, "confirmed", lea, NOW)
                .await
                .unwrap()
        );
        assert_eq!(s::payable_reports(&mut tx, a).await.unwrap().len(), 1);
        let second = s::insert_batch(&mut tx, a, &batch("M3"), NOW)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(s::batch_items(&mut tx, second).await.unwrap(), items);
        assert!(
            s::close_batch(&mut tx, a, second, "confirmed", lea, NOW)
                .await
                .unwrap()
        );
        assert!(
            s::set_refunded(&mut tx, a, r, date!(2026 - 12 - 01))
                .await
                .unwrap()
        );
        let done = s::report(&mut tx, a, r).await.unwrap().unwrap();
        assert_eq!(done.status, "refunded");
        assert_eq!(done.batch_id, Some(second));
        assert_eq!(s::batches(&mut tx, a).await.unwrap().len(), 2);
        tx.commit().await.unwrap();
    }
}
