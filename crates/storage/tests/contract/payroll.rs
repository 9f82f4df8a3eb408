//! The contribution's policies and what the activity account reads from the books (issue 6), on
//! both databases: versions per scope and date, only future ones removed, the activity's class 6
//! and 7 lines of validated entries only, and nothing of another cooperative.

use crate::{A, B, NOW, identity, stores};
use essaim_domain::activity::ActivityDetails;
use essaim_domain::ledger::entry::EntryLine;
use essaim_storage::books::{self, NewEntry};
use essaim_storage::payroll::{self as p, PolicyRecord};
use essaim_storage::{activity, cooperative as coops};
use time::macros::date;

fn policy(activity: Option<i64>, from: time::Date, bands: &str) -> PolicyRecord {
    PolicyRecord {
        contribution_policy_id: 0,
        activity_id: activity,
        valid_from: from,
        base: "collected_ht".into(),
        bands: bands.into(),
        exemption_months: 0,
        monthly_fee_cents: 0,
        yearly_minimum_cents: 0,
    }
}

fn line(account: &str, analytic: Option<&str>, debit: i64, credit: i64) -> EntryLine {
    EntryLine {
        account: account.into(),
        aux: None,
        analytic: analytic.map(Into::into),
        label: format!("ligne {account}"),
        debit_cents: debit,
        credit_cents: credit,
    }
}

#[tokio::test]
async fn policies_are_versions_per_scope_and_the_account_reads_the_activitys_lines() {
    for store in stores().await {
        let backend = store.backend();
        let mut tx = store.begin().await.unwrap();
        let a = coops::insert(&mut tx, "a", &identity(A.0, A.1), NOW)
            .await
            .unwrap();
        let b = coops::insert(&mut tx, "b", &identity(B.0, B.1), NOW)
            .await
            .unwrap();
        let details = ActivityDetails {
            name: "Atelier".into(),
            description: None,
            naf: None,
            analytic_code: "ATEL".into(),
            start_on: date!(2026 - 01 - 05),
            end_on: None,
        };
        let act = activity::insert(&mut tx, a, &details, None, NOW)
            .await
            .unwrap();
        let other = activity::insert(&mut tx, b, &details, None, NOW)
            .await
            .unwrap();
        // Policies record who added them.
        let by = essaim_storage::account::insert(
            &mut tx,
            &essaim_storage::account::NewUser {
                email: &essaim_domain::account::Email::parse("paie@exemple.fr").unwrap(),
                display_name: "Paie",
                password_hash: "x",
                locale: essaim_domain::account::Locale::Fr,
                is_host_admin: false,
            },
            NOW,
        )
        .await
        .unwrap();
        run(&mut tx, a, b, act, other, by, backend).await;
        tx.rollback().await.unwrap();
    }
}

async fn run(
    tx: &mut essaim_storage::Tx,
    a: essaim_domain::ids::CooperativeId,
    b: essaim_domain::ids::CooperativeId,
    act: essaim_domain::ids::ActivityId,
    other: essaim_domain::ids::ActivityId,
    by: essaim_domain::ids::UserId,
    backend: &str,
) {
    let coop_v1 = p::insert_policy(tx, a, &policy(None, date!(2026 - 01 - 01), ":0.1"), by, NOW)
        .await
        .unwrap();
    assert!(coop_v1.is_some(), "{backend}");
    // The same scope and day twice: refused without an error.
    assert_eq!(
        p::insert_policy(tx, a, &policy(None, date!(2026 - 01 - 01), ":0.2"), by, NOW)
            .await
            .unwrap(),
        None,
        "{backend}"
    );
    // The activity may have its own version that day.
    let own = p::insert_policy(
        tx,
        a,
        &policy(Some(act.get()), date!(2026 - 01 - 01), ":0.05"),
        by,
        NOW,
    )
    .await
    .unwrap();
    assert!(own.is_some(), "{backend}");
    let future = p::insert_policy(
        tx,
        a,
        &policy(None, date!(2027 - 01 - 01), ":0.12"),
        by,
        NOW,
    )
    .await
    .unwrap()
    .unwrap();
    p::insert_policy(
        tx,
        b,
        &policy(Some(other.get()), date!(2026 - 01 - 01), ":0.3"),
        by,
        NOW,
    )
    .await
    .unwrap();
    let mine = p::policies(tx, a, Some(act)).await.unwrap();
    assert_eq!(mine.len(), 3, "{backend}");
    assert_eq!(
        mine[0].activity_id, None,
        "{backend}: the cooperative's first"
    );
    assert!(
        mine.iter().all(|r| r.bands != ":0.3"),
        "{backend}: never another cooperative's"
    );
    // Only a version that has not started can be removed.
    assert!(
        !p::delete_future_policy(tx, a, coop_v1.unwrap(), date!(2026 - 12 - 07))
            .await
            .unwrap(),
        "{backend}"
    );
    assert!(
        !p::delete_future_policy(tx, b, future, date!(2026 - 12 - 07))
            .await
            .unwrap(),
        "{backend}"
    );
    assert!(
        p::delete_future_policy(tx, a, future, date!(2026 - 12 - 07))
            .await
            .unwrap(),
        "{backend}"
    );
    assert_eq!(
        p::policies(tx, a, None).await.unwrap().len(),
        2,
        "{backend}"
    );

    // The books: an invoice of the activity (validated), a draft, another activity's line.
    let entry = |seq: Option<(i64, &'static str)>, label: &'static str| NewEntry {
        journal: "VT",
        fiscal_year: date!(2026 - 01 - 01),
        seq,
        date: date!(2026 - 03 - 10),
        piece_ref: "F2026-00001",
        piece_date: date!(2026 - 03 - 10),
        label,
        source_kind: "sale_doc",
        source_id: Some(7),
        by: Some(by),
        now: NOW,
    };
    books::insert_entry(
        tx,
        a,
        &entry(Some((1, "VT2026-1")), "Facture"),
        &[
            line("411000", Some("ATEL"), 120_000, 0),
            line("706000", Some("ATEL"), 0, 100_000),
            line("445710", None, 0, 20_000),
        ],
    )
    .await
    .unwrap();
    let draft = books::insert_entry(
        tx,
        a,
        &entry(None, "Brouillon"),
        &[
            line("411000", Some("ATEL"), 60_000, 0),
            line("706000", Some("ATEL"), 0, 60_000),
        ],
    )
    .await
    .unwrap();
    books::insert_entry(
        tx,
        b,
        &entry(Some((1, "VT2026-1")), "Autre"),
        &[
            line("411000", Some("ATEL"), 5_000, 0),
            line("706000", Some("ATEL"), 0, 5_000),
        ],
    )
    .await
    .unwrap();
    let lines = p::account_lines(tx, a, "ATEL", date!(2026 - 12 - 31))
        .await
        .unwrap();
    assert_eq!(
        lines.len(),
        1,
        "{backend}: class 7 of the validated entry only: {lines:?}"
    );
    assert_eq!(lines[0].account, "706000");
    assert_eq!(lines[0].cents, 100_000, "{backend}: credit counts positive");
    assert_eq!(lines[0].source_kind, "sale_doc");
    assert_eq!(lines[0].source_id, Some(7));
    assert!(
        p::account_lines(tx, a, "ATEL", date!(2026 - 03 - 09))
            .await
            .unwrap()
            .is_empty(),
        "{backend}"
    );
    // The overview's per-day sums: the validated entry only, never another cooperative's.
    let day = date!(2026 - 03 - 10);
    assert_eq!(
        p::overview_lines(tx, a, date!(2026 - 01 - 01), date!(2026 - 12 - 31))
            .await
            .unwrap(),
        vec![("ATEL".to_string(), day, "7".to_string(), 100_000)],
        "{backend}"
    );
    // Validating the draft adds its lines; a purchase for resale, a charge and a salary cost of
    // the same day each go to their part, summed with what was there.
    assert!(
        books::validate_entry(tx, a, draft, 2, "VT2026-2", by, NOW)
            .await
            .unwrap(),
        "{backend}"
    );
    books::insert_entry(
        tx,
        a,
        &entry(Some((3, "VT2026-3")), "Achats"),
        &[
            line("607000", Some("ATEL"), 30_000, 0),
            line("606100", Some("ATEL"), 2_500, 0),
            line("626000", Some("ATEL"), 500, 0),
            line("641100", Some("ATEL"), 40_000, 0),
            line("709000", Some("ATEL"), 1_000, 0),
            line("401000", None, 0, 74_000),
        ],
    )
    .await
    .unwrap();
    assert_eq!(
        p::overview_lines(tx, a, date!(2026 - 01 - 01), date!(2026 - 12 - 31))
            .await
            .unwrap(),
        vec![
            ("ATEL".to_string(), day, "6".to_string(), -3_000),
            ("ATEL".to_string(), day, "607".to_string(), -30_000),
            ("ATEL".to_string(), day, "64".to_string(), -40_000),
            ("ATEL".to_string(), day, "7".to_string(), 159_000),
        ],
        "{backend}: the same sums as the activity's lines"
    );
    let from_lines: i64 = p::account_lines(tx, a, "ATEL", date!(2026 - 12 - 31))
        .await
        .unwrap()
        .iter()
        .map(|l| l.cents)
        .sum();
    assert_eq!(from_lines, 159_000 - 3_000 - 30_000 - 40_000, "{backend}");
    assert!(
        p::overview_lines(tx, a, date!(2026 - 01 - 01), date!(2026 - 03 - 09))
            .await
            .unwrap()
            .is_empty(),
        "{backend}"
    );

    // What each activity carried out of a closed year: kept once, never overwritten, per
    // cooperative.
    p::save_year_nets(tx, a, date!(2025 - 01 - 01), &[(act.get(), -12_345)], NOW)
        .await
        .unwrap();
    p::save_year_nets(tx, a, date!(2025 - 01 - 01), &[(act.get(), 99)], NOW)
        .await
        .unwrap();
    assert_eq!(
        p::year_nets(tx, a).await.unwrap(),
        vec![(act.get(), date!(2025 - 01 - 01), -12_345)],
        "{backend}"
    );
    assert!(p::year_nets(tx, b).await.unwrap().is_empty(), "{backend}");

    // The pay planner's policy: none until saved, saved again in place, the cooperative's own.
    assert_eq!(p::planner(tx, a).await.unwrap(), None, "{backend}");
    p::save_planner(tx, a, "0.125", 50_000, NOW).await.unwrap();
    p::save_planner(tx, a, "0.15", 0, NOW).await.unwrap();
    assert_eq!(
        p::planner(tx, a).await.unwrap(),
        Some(("0.15".to_string(), 0)),
        "{backend}"
    );
    assert_eq!(p::planner(tx, b).await.unwrap(), None, "{backend}");

    // Nothing committed and nobody paid yet.
    assert_eq!(p::committed(tx, a, act).await.unwrap(), 0, "{backend}");
    assert!(
        p::fixed_pay(tx, a, act, date!(2026 - 12 - 07))
            .await
            .unwrap()
            .is_empty(),
        "{backend}"
    );
    assert!(
        p::collected(tx, a, act, date!(2026 - 12 - 31))
            .await
            .unwrap()
            .is_empty(),
        "{backend}"
    );
}
