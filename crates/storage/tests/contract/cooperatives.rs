use crate::{A, B, NOW, identity, stores};
use essaim_domain::access::{Grant, Permission, RoleKind, Scope};
use essaim_domain::account::{Email, Locale};
use essaim_storage::account::{self, NewUser};
use essaim_storage::cooperative::{self as coops, Logo};
use essaim_storage::{Conflict, StorageError, role};

#[tokio::test]
async fn a_cooperative_round_trips_and_its_siret_is_unique() {
    for store in stores().await {
        let mut tx = store.begin().await.unwrap();
        let a = identity(A.0, A.1);
        let id = coops::insert(&mut tx, "coop-a", &a, NOW).await.unwrap();
        let found = coops::find(&mut tx, id).await.unwrap().unwrap();
        assert_eq!(found.identity, a, "{}", store.backend());
        assert_eq!(found.slug, "coop-a");
        for reference in ["coop-a", "732829320", &id.to_string()] {
            assert_eq!(
                coops::find_by_reference(&mut tx, reference)
                    .await
                    .unwrap()
                    .map(|c| c.id),
                Some(id),
                "{reference}"
            );
        }
        assert!(coops::slug_exists(&mut tx, "coop-a").await.unwrap());
        tx.commit().await.unwrap();
        let mut tx = store.begin().await.unwrap();
        let err = coops::insert(&mut tx, "coop-a2", &a, NOW)
            .await
            .unwrap_err();
        assert!(
            matches!(err, StorageError::Conflict(Conflict::SiretTaken)),
            "{err:?}"
        );
        tx.rollback().await.unwrap();

        let mut tx = store.begin().await.unwrap();
        let mut changed = identity(B.0, B.1);
        changed.legal_name = "Renommée".into();
        coops::update(&mut tx, id, &changed).await.unwrap();
        assert_eq!(
            coops::find_by_slug(&mut tx, "coop-a")
                .await
                .unwrap()
                .unwrap()
                .identity,
            changed
        );
        let logo = Logo {
            content_type: "image/png".into(),
            sha256: "ab".into(),
            bytes: vec![1, 2, 3],
        };
        coops::set_logo(&mut tx, id, &logo).await.unwrap();
        let logo2 = Logo {
            content_type: "image/jpeg".into(),
            sha256: "cd".into(),
            bytes: vec![4],
        };
        coops::set_logo(&mut tx, id, &logo2).await.unwrap();
        assert_eq!(coops::find_logo(&mut tx, id).await.unwrap(), Some(logo2));
        assert_eq!(
            coops::logo_hash(&mut tx, id).await.unwrap().as_deref(),
            Some("cd")
        );
        assert_eq!(coops::list_summaries(&mut tx).await.unwrap().len(), 1);
        tx.commit().await.unwrap();
    }
}

#[tokio::test]
async fn roles_grants_and_memberships_decide_access_per_cooperative() {
    for store in stores().await {
        let mut tx = store.begin().await.unwrap();
        let a = coops::insert(&mut tx, "a", &identity(A.0, A.1), NOW)
            .await
            .unwrap();
        let b = coops::insert(&mut tx, "b", &identity(B.0, B.1), NOW)
            .await
            .unwrap();
        let admin_a = role::insert(&mut tx, a, RoleKind::Administrator, "Admin")
            .await
            .unwrap();
        let ent_a = role::insert(&mut tx, a, RoleKind::Entrepreneur, "Entrepreneur")
            .await
            .unwrap();
        let admin_b = role::insert(&mut tx, b, RoleKind::Administrator, "Admin")
            .await
            .unwrap();
        let grants = [
            Grant {
                permission: Permission::MemberRead,
                scope: Scope::Cooperative,
            },
            Grant {
                permission: Permission::AuditRead,
                scope: Scope::Cooperative,
            },
        ];
        assert!(
            role::set_grants(&mut tx, a, admin_a, &grants)
                .await
                .unwrap()
        );
        // A role of another cooperative cannot be edited from this one.
        assert!(
            !role::set_grants(&mut tx, a, admin_b, &grants)
                .await
                .unwrap()
        );
        let email = Email::parse("camille@exemple.fr").unwrap();
        let user = account::insert(
            &mut tx,
            &NewUser {
                email: &email,
                display_name: "Camille Martin",
                password_hash: "x",
                locale: Locale::Fr,
                is_host_admin: false,
            },
            NOW,
        )
        .await
        .unwrap();
        role::add_membership(&mut tx, a, user, admin_a, NOW)
            .await
            .unwrap();
        role::add_membership(&mut tx, a, user, admin_a, NOW)
            .await
            .unwrap();
        role::add_membership(&mut tx, a, user, ent_a, NOW)
            .await
            .unwrap();
        // A role of B given "in A" is ignored.
        role::add_membership(&mut tx, a, user, admin_b, NOW)
            .await
            .unwrap();
        let (kinds, gs) = role::access_of(&mut tx, a, user).await.unwrap();
        assert_eq!(kinds, vec![RoleKind::Administrator, RoleKind::Entrepreneur]);
        assert_eq!(gs.len(), 2);
        let (kinds_b, gs_b) = role::access_of(&mut tx, b, user).await.unwrap();
        assert!(kinds_b.is_empty() && gs_b.is_empty(), "{}", store.backend());
        let mine = role::cooperatives_of(&mut tx, user).await.unwrap();
        assert_eq!(mine.len(), 1);
        assert_eq!(mine[0].kinds.len(), 2);
        let (members, total) = role::members(&mut tx, a, Some("CAMILLE"), 50, 0)
            .await
            .unwrap();
        assert_eq!((members.len(), total), (1, 1));
        assert_eq!(members[0].roles.len(), 2);
        let (none, total) = role::members(&mut tx, a, Some("zzz"), 50, 0).await.unwrap();
        assert_eq!((none.len(), total), (0, 0));
        let (_, total_b) = role::members(&mut tx, b, None, 50, 0).await.unwrap();
        assert_eq!(total_b, 0);
        assert_eq!(
            role::count_by_kind(&mut tx, a).await.unwrap(),
            vec![(RoleKind::Administrator, 1), (RoleKind::Entrepreneur, 1)]
        );
        assert!(
            role::remove_membership(&mut tx, a, user, ent_a)
                .await
                .unwrap()
        );
        assert_eq!(role::holders(&mut tx, admin_a).await.unwrap(), 1);
        assert!(role::is_member(&mut tx, a, user).await.unwrap());
        assert!(!role::is_member(&mut tx, b, user).await.unwrap());
        let listed = role::list(&mut tx, a).await.unwrap();
        assert_eq!(
            listed.iter().map(|r| r.kind).collect::<Vec<_>>(),
            vec![RoleKind::Administrator, RoleKind::Entrepreneur]
        );
        tx.commit().await.unwrap();
    }
}

#[tokio::test]
async fn members_are_paginated_in_name_order() {
    for store in stores().await {
        let mut tx = store.begin().await.unwrap();
        let a = coops::insert(&mut tx, "a", &identity(A.0, A.1), NOW)
            .await
            .unwrap();
        let r = role::insert(&mut tx, a, RoleKind::Entrepreneur, "E")
            .await
            .unwrap();
        for i in 0..7 {
            let email = Email::parse(&format!("p{i}@exemple.fr")).unwrap();
            let u = account::insert(
                &mut tx,
                &NewUser {
                    email: &email,
                    display_name: &format!("Personne {}", 9 - i),
                    password_hash: "x",
                    locale: Locale::Fr,
                    is_host_admin: false,
                },
                NOW,
            )
            .await
            .unwrap();
            role::add_membership(&mut tx, a, u, r, NOW).await.unwrap();
        }
        let (page1, total) = role::members(&mut tx, a, None, 3, 0).await.unwrap();
        let (page3, _) = role::members(&mut tx, a, None, 3, 6).await.unwrap();
        assert_eq!(total, 7);
        assert_eq!(
            page1
                .iter()
                .map(|m| m.display_name.as_str())
                .collect::<Vec<_>>(),
            vec!["Personne 3", "Personne 4", "Personne 5"]
        );
        assert_eq!(page3.len(), 1);
        assert!(page1.iter().all(|m| m.roles.len() == 1));
        tx.commit().await.unwrap();
    }
}
