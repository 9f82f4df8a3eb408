use crate::{A, B, NOW, identity, stores};
use essaim_domain::account::{Email, Locale};
use essaim_domain::activity::ActivityDetails;
use essaim_storage::account::{self, NewUser};
use essaim_storage::activity;
use essaim_storage::{Conflict, StorageError, cooperative as coops};
use time::macros::date;

fn details(code: &str) -> ActivityDetails {
    ActivityDetails {
        name: format!("Activité {code}"),
        description: Some("Graphisme".into()),
        naf: Some("74.10Z".into()),
        analytic_code: code.into(),
        start_on: date!(2026 - 01 - 05),
        end_on: None,
    }
}

#[tokio::test]
async fn activities_have_unique_codes_per_cooperative_and_scope_their_members() {
    for store in stores().await {
        let mut tx = store.begin().await.unwrap();
        let a = coops::insert(&mut tx, "a", &identity(A.0, A.1), NOW)
            .await
            .unwrap();
        let b = coops::insert(&mut tx, "b", &identity(B.0, B.1), NOW)
            .await
            .unwrap();
        let email = Email::parse("lea@exemple.fr").unwrap();
        let lea = account::insert(
            &mut tx,
            &NewUser {
                email: &email,
                display_name: "Léa",
                password_hash: "x",
                locale: Locale::Fr,
                is_host_admin: false,
            },
            NOW,
        )
        .await
        .unwrap();
        let first = activity::insert(&mut tx, a, &details("GRAPH"), None, NOW)
            .await
            .unwrap();
        // The same code in another cooperative is fine.
        activity::insert(&mut tx, b, &details("GRAPH"), None, NOW)
            .await
            .unwrap();
        assert!(
            activity::set_members(&mut tx, a, first, &[(lea, 10_000)], None)
                .await
                .unwrap()
        );
        assert!(
            !activity::set_members(&mut tx, b, first, &[(lea, 10_000)], None)
                .await
                .unwrap(),
            "not from another cooperative"
        );
        let found = activity::find(&mut tx, a, first).await.unwrap().unwrap();
        assert_eq!(found.details, details("GRAPH"), "{}", store.backend());
        assert_eq!(found.members, vec![(lea, "Léa".to_owned(), 10_000)]);
        assert!(activity::find(&mut tx, b, first).await.unwrap().is_none());
        assert_eq!(
            activity::ids_of_member(&mut tx, a, lea).await.unwrap(),
            vec![first]
        );
        assert!(
            activity::ids_of_member(&mut tx, b, lea)
                .await
                .unwrap()
                .is_empty()
        );
        let second = activity::insert(&mut tx, a, &details("PHOTO"), None, NOW)
            .await
            .unwrap();
        assert_eq!(
            activity::list(&mut tx, a, Some(lea), None)
                .await
                .unwrap()
                .iter()
                .map(|r| r.id)
                .collect::<Vec<_>>(),
            vec![first]
        );
        assert_eq!(
            activity::list(&mut tx, a, None, Some("photo"))
                .await
                .unwrap()
                .iter()
                .map(|r| r.id)
                .collect::<Vec<_>>(),
            vec![second]
        );
        let mut changed = details("PHOTO2");
        changed.end_on = Some(date!(2026 - 12 - 31));
        assert!(
            activity::update(&mut tx, a, second, &changed, None)
                .await
                .unwrap()
        );
        tx.commit().await.unwrap();
        let mut tx = store.begin().await.unwrap();
        let err = activity::insert(&mut tx, a, &details("GRAPH"), None, NOW)
            .await
            .unwrap_err();
        assert!(
            matches!(err, StorageError::Conflict(Conflict::AnalyticCodeTaken)),
            "{err:?}"
        );
        tx.rollback().await.unwrap();
    }
}

#[tokio::test]
async fn documents_belong_to_a_person_or_an_activity_of_one_cooperative() {
    use essaim_domain::document::DocumentKind;
    use essaim_domain::person::{Gender, PersonDetails};
    use essaim_storage::document::{self, NewDocument, Owner};
    use essaim_storage::person;
    for store in stores().await {
        let mut tx = store.begin().await.unwrap();
        let a = coops::insert(&mut tx, "a", &identity(A.0, A.1), NOW)
            .await
            .unwrap();
        let b = coops::insert(&mut tx, "b", &identity(B.0, B.1), NOW)
            .await
            .unwrap();
        let email = Email::parse("lea@exemple.fr").unwrap();
        let lea = account::insert(
            &mut tx,
            &NewUser {
                email: &email,
                display_name: "Léa",
                password_hash: "x",
                locale: Locale::Fr,
                is_host_admin: false,
            },
            NOW,
        )
        .await
        .unwrap();
        let person_details = PersonDetails {
            first_name: "Léa".into(),
            last_name: "Durand".into(),
            email: None,
            phone: None,
            address: None,
            postcode: None,
            commune: None,
            birth_date: None,
            gender: Gender::Undisclosed,
            situation: None,
            prescriber: None,
            education: None,
            antenna: None,
            qpv: false,
            rural: false,
            naf: None,
        };
        let p = person::insert(&mut tx, a, &person_details, None, Some(lea), NOW)
            .await
            .unwrap();
        let act = activity::insert(&mut tx, a, &self::details("ACT"), None, NOW)
            .await
            .unwrap();
        let doc = |owner, expires_on| NewDocument {
            owner,
            kind: DocumentKind::Insurance,
            title: "RC Pro",
            filename: "rc.pdf",
            content_type: "application/pdf",
            sha256: "abcd",
            size_bytes: 12,
            expires_on,
            uploaded_by: lea,
        };
        let d1 = document::insert(
            &mut tx,
            a,
            &doc(Owner::Person(p), Some(date!(2027 - 01 - 15))),
            NOW,
        )
        .await
        .unwrap();
        document::insert(&mut tx, a, &doc(Owner::Activity(act), None), NOW)
            .await
            .unwrap();
        assert_eq!(
            document::list_for(&mut tx, a, Owner::Person(p))
                .await
                .unwrap()
                .len(),
            1,
            "{}",
            store.backend()
        );
        assert_eq!(
            document::list_for(&mut tx, a, Owner::Activity(act))
                .await
                .unwrap()
                .len(),
            1
        );
        assert!(document::find(&mut tx, b, d1).await.unwrap().is_none());
        let found = document::find(&mut tx, a, d1).await.unwrap().unwrap();
        assert_eq!(found.owner().unwrap(), Owner::Person(p));
        let soon = document::expiring(&mut tx, a, date!(2027 - 02 - 01))
            .await
            .unwrap();
        assert_eq!(soon.len(), 1);
        assert_eq!(soon[0].person_name, "Durand Léa");
        assert_eq!(soon[0].referent_name.as_deref(), Some("Léa"));
        assert_eq!(soon[0].referent_user_id, Some(lea.get()));
        assert!(
            document::expiring(&mut tx, a, date!(2027 - 01 - 01))
                .await
                .unwrap()
                .is_empty()
        );
        tx.commit().await.unwrap();
    }
}

#[tokio::test]
async fn contract_versions_round_trip_in_order() {
    use essaim_domain::contract::{CesaTerms, ContractVersion, ContributionBase};
    use essaim_domain::money::Money;
    use essaim_domain::person::{Gender, PersonDetails};
    use essaim_storage::{contract, person};
    for store in stores().await {
        let mut tx = store.begin().await.unwrap();
        let a = coops::insert(&mut tx, "a", &identity(A.0, A.1), NOW)
            .await
            .unwrap();
        let email = Email::parse("lea@exemple.fr").unwrap();
        let lea = account::insert(
            &mut tx,
            &NewUser {
                email: &email,
                display_name: "Léa",
                password_hash: "x",
                locale: Locale::Fr,
                is_host_admin: false,
            },
            NOW,
        )
        .await
        .unwrap();
        let d = PersonDetails {
            first_name: "Léa".into(),
            last_name: "D".into(),
            email: None,
            phone: None,
            address: None,
            postcode: None,
            commune: None,
            birth_date: None,
            gender: Gender::Female,
            situation: None,
            prescriber: None,
            education: None,
            antenna: None,
            qpv: false,
            rural: false,
            naf: None,
        };
        let p = person::insert(&mut tx, a, &d, None, None, NOW)
            .await
            .unwrap();
        let terms = CesaTerms {
            objectives: "o".into(),
            support: "s".into(),
            contribution_rate: rust_decimal::Decimal::new(105, 3),
            contribution_base: ContributionBase::GrossMargin,
            fixed_monthly_gross: Money::eur(182_303),
            variable_method: "v".into(),
            statutes_reference: "st".into(),
            guarantees: "g".into(),
            associate_procedure: "ap".into(),
        };
        let v1 = ContractVersion {
            number: 1,
            effective_on: date!(2026 - 03 - 01),
            summary: "signé".into(),
            terms: terms.clone(),
        };
        let v2 = ContractVersion {
            number: 2,
            effective_on: date!(2026 - 09 - 01),
            summary: "avenant".into(),
            terms: CesaTerms {
                fixed_monthly_gross: Money::eur(210_000),
                ..terms
            },
        };
        contract::insert(&mut tx, a, p, &v2, lea, NOW)
            .await
            .unwrap();
        contract::insert(&mut tx, a, p, &v1, lea, NOW)
            .await
            .unwrap();
        assert_eq!(
            contract::history(&mut tx, a, p).await.unwrap(),
            vec![v1, v2],
            "{}",
            store.backend()
        );
        tx.commit().await.unwrap();
    }
}
