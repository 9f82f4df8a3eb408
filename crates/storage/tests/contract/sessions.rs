use crate::{A, B, NOW, identity, stores};
use essaim_domain::access::RoleKind;
use essaim_domain::account::{Email, Locale};
use essaim_domain::ids::UserId;
use essaim_storage::account::{self, NewUser};
use essaim_storage::audit::{self, AuditFilter, NewAuditEvent};
use essaim_storage::session::{self, NewSession};
use essaim_storage::{Tx, cooperative as coops, role};
use time::Duration;

async fn user(tx: &mut Tx, email: &str) -> UserId {
    let email = Email::parse(email).unwrap();
    account::insert(
        tx,
        &NewUser {
            email: &email,
            display_name: email.as_str(),
            password_hash: "x",
            locale: Locale::Fr,
            is_host_admin: false,
        },
        NOW,
    )
    .await
    .unwrap()
}

fn new_session(hash: &str, user: UserId) -> NewSession<'_> {
    NewSession {
        token_hash: hash,
        user,
        csrf_token: "csrf",
        expires_at: NOW + Duration::hours(12),
        ip: "127.0.0.1",
        user_agent: "test",
    }
}

#[tokio::test]
async fn a_session_lives_until_it_expires_or_is_revoked() {
    for store in stores().await {
        let mut tx = store.begin().await.unwrap();
        let lea = user(&mut tx, "lea@exemple.fr").await;
        let s1 = session::insert(&mut tx, &new_session("s1", lea), NOW)
            .await
            .unwrap();
        let s2 = session::insert(&mut tx, &new_session("s2", lea), NOW)
            .await
            .unwrap();
        let found = session::find_active(&mut tx, "s1", NOW)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (found.id, found.user.id, found.csrf_token.as_str()),
            (s1, lea, "csrf")
        );
        assert!(
            session::find_active(&mut tx, "s1", NOW + Duration::hours(12))
                .await
                .unwrap()
                .is_none()
        );
        session::touch(
            &mut tx,
            s1,
            NOW + Duration::hours(1),
            NOW + Duration::hours(13),
        )
        .await
        .unwrap();
        assert!(
            session::find_active(&mut tx, "s1", NOW + Duration::hours(12))
                .await
                .unwrap()
                .is_some()
        );
        assert_eq!(
            session::revoke_all_of(&mut tx, lea, Some(s1), NOW)
                .await
                .unwrap(),
            1
        );
        assert!(
            session::find_active(&mut tx, "s2", NOW)
                .await
                .unwrap()
                .is_none()
        );
        assert_eq!(
            session::list_active_of(&mut tx, lea, NOW)
                .await
                .unwrap()
                .len(),
            1
        );
        assert!(session::revoke(&mut tx, s1, NOW).await.unwrap());
        assert!(!session::revoke(&mut tx, s1, NOW).await.unwrap());
        assert!(
            session::find_active(&mut tx, "s1", NOW)
                .await
                .unwrap()
                .is_none()
        );
        assert_eq!(session::owner(&mut tx, s2).await.unwrap(), Some(lea));
        tx.commit().await.unwrap();
    }
}

#[tokio::test]
async fn a_cooperative_sees_only_the_sessions_and_audit_lines_of_its_own_people() {
    for store in stores().await {
        let mut tx = store.begin().await.unwrap();
        let a = coops::insert(&mut tx, "a", &identity(A.0, A.1), NOW)
            .await
            .unwrap();
        let b = coops::insert(&mut tx, "b", &identity(B.0, B.1), NOW)
            .await
            .unwrap();
        let ra = role::insert(&mut tx, a, RoleKind::Member, "M")
            .await
            .unwrap();
        let rb = role::insert(&mut tx, b, RoleKind::Member, "M")
            .await
            .unwrap();
        let lea = user(&mut tx, "lea@exemple.fr").await;
        let tom = user(&mut tx, "tom@exemple.fr").await;
        role::add_membership(&mut tx, a, lea, ra, NOW)
            .await
            .unwrap();
        role::add_membership(&mut tx, b, tom, rb, NOW)
            .await
            .unwrap();
        session::insert(&mut tx, &new_session("sl", lea), NOW)
            .await
            .unwrap();
        session::insert(&mut tx, &new_session("st", tom), NOW)
            .await
            .unwrap();
        let in_a = session::list_active_in(&mut tx, a, NOW).await.unwrap();
        assert_eq!(
            in_a.iter().map(|s| s.user_id).collect::<Vec<_>>(),
            vec![lea.get()]
        );
        for (coop, who, action, at) in [
            (a, lea, "member.added", 0),
            (a, lea, "role.grants_changed", 1),
            (b, tom, "member.added", 2),
            (a, tom, "member.added", 3),
        ] {
            let e = NewAuditEvent {
                cooperative: Some(coop),
                actor: Some(who),
                action,
                object_type: "user",
                object_id: "1",
                ip: "127.0.0.1",
                detail: "{}",
            };
            audit::insert(&mut tx, &e, NOW + Duration::days(at))
                .await
                .unwrap();
        }
        let all_a = audit::list(&mut tx, a, &AuditFilter::default(), 100)
            .await
            .unwrap();
        assert_eq!(all_a.len(), 3, "{}", store.backend());
        assert!(
            all_a
                .windows(2)
                .all(|w| w[0].audit_event_id > w[1].audit_event_id),
            "newest first"
        );
        let by_action = audit::list(
            &mut tx,
            a,
            &AuditFilter {
                action: Some("member.".into()),
                ..Default::default()
            },
            100,
        )
        .await
        .unwrap();
        assert_eq!(by_action.len(), 2);
        let by_actor = audit::list(
            &mut tx,
            a,
            &AuditFilter {
                actor: Some(lea),
                ..Default::default()
            },
            100,
        )
        .await
        .unwrap();
        assert_eq!(by_actor.len(), 2);
        assert_eq!(by_actor[0].actor_name.as_deref(), Some("lea@exemple.fr"));
        let by_period = audit::list(
            &mut tx,
            a,
            &AuditFilter {
                from: Some(NOW + Duration::hours(12)),
                to: Some(NOW + Duration::days(2)),
                ..Default::default()
            },
            100,
        )
        .await
        .unwrap();
        assert_eq!(by_period.len(), 1);
        let older = audit::list(
            &mut tx,
            a,
            &AuditFilter {
                before: Some(all_a[0].audit_event_id),
                ..Default::default()
            },
            1,
        )
        .await
        .unwrap();
        assert_eq!(older[0].audit_event_id, all_a[1].audit_event_id);
        assert_eq!(
            audit::actions(&mut tx, a).await.unwrap(),
            vec!["member.added".to_owned(), "role.grants_changed".to_owned()]
        );
        tx.commit().await.unwrap();
    }
}

#[tokio::test]
async fn a_notification_is_added_once_per_key_and_read_by_its_person_only() {
    use essaim_storage::notification;
    for store in stores().await {
        let mut tx = store.begin().await.unwrap();
        let a = coops::insert(&mut tx, "a", &identity(A.0, A.1), NOW)
            .await
            .unwrap();
        let lea = user(&mut tx, "lea@exemple.fr").await;
        let tom = user(&mut tx, "tom@exemple.fr").await;
        assert!(
            notification::insert_once(&mut tx, a, lea, "k1", "Message", "/c/a", NOW)
                .await
                .unwrap()
        );
        assert!(
            !notification::insert_once(&mut tx, a, lea, "k1", "Message", "/c/a", NOW)
                .await
                .unwrap(),
            "{}",
            store.backend()
        );
        assert!(
            notification::insert_once(&mut tx, a, tom, "k1", "Message", "/c/a", NOW)
                .await
                .unwrap()
        );
        assert_eq!(notification::unread_count(&mut tx, lea).await.unwrap(), 1);
        assert_eq!(
            notification::mark_all_read(&mut tx, lea, NOW)
                .await
                .unwrap(),
            1
        );
        assert_eq!(notification::unread_count(&mut tx, lea).await.unwrap(), 0);
        assert_eq!(notification::unread_count(&mut tx, tom).await.unwrap(), 1);
        assert_eq!(
            notification::list_for(&mut tx, lea, 10).await.unwrap()[0].read_at,
            Some(NOW)
        );
        tx.commit().await.unwrap();
    }
}
