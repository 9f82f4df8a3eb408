use crate::NOW;
use crate::stores;
use essaim_domain::account::{Email, Locale};
use essaim_storage::account::{self, NewUser};
use essaim_storage::{Conflict, StorageError};
use time::Duration;

fn new_user<'a>(email: &'a Email) -> NewUser<'a> {
    NewUser {
        email,
        display_name: "Léa Dupont",
        password_hash: "$argon2id$x",
        locale: Locale::Fr,
        is_host_admin: false,
    }
}

#[tokio::test]
async fn an_email_address_opens_one_account_only() {
    for store in stores().await {
        let email = Email::parse("lea@exemple.fr").unwrap();
        let mut tx = store.begin().await.unwrap();
        let id = account::insert(&mut tx, &new_user(&email), NOW)
            .await
            .unwrap();
        let (user, hash) = account::find_with_hash(&mut tx, &email)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (user.id, hash.as_str(), user.display_name.as_str()),
            (id, "$argon2id$x", "Léa Dupont")
        );
        account::set_password(&mut tx, id, "$argon2id$y", NOW)
            .await
            .unwrap();
        account::set_locale(&mut tx, id, Locale::En).await.unwrap();
        account::set_host_admin(&mut tx, id, true).await.unwrap();
        let user = account::find(&mut tx, id).await.unwrap().unwrap();
        assert_eq!((user.locale, user.is_host_admin), (Locale::En, true));
        assert_eq!(
            account::password_hash(&mut tx, id)
                .await
                .unwrap()
                .as_deref(),
            Some("$argon2id$y")
        );
        tx.commit().await.unwrap();
        let mut tx = store.begin().await.unwrap();
        let err = account::insert(&mut tx, &new_user(&email), NOW)
            .await
            .unwrap_err();
        assert!(
            matches!(err, StorageError::Conflict(Conflict::EmailTaken)),
            "{err:?}"
        );
        tx.rollback().await.unwrap();
        let mut tx = store.read().await.unwrap();
        assert_eq!(account::count(&mut tx).await.unwrap(), 1);
        tx.commit().await.unwrap();
    }
}

#[tokio::test]
async fn a_reset_token_works_once_and_not_after_expiry() {
    for store in stores().await {
        let email = Email::parse("lea@exemple.fr").unwrap();
        let mut tx = store.begin().await.unwrap();
        let id = account::insert(&mut tx, &new_user(&email), NOW)
            .await
            .unwrap();
        account::insert_reset(&mut tx, "h1", id, NOW, NOW + Duration::HOUR)
            .await
            .unwrap();
        account::insert_reset(&mut tx, "h2", id, NOW, NOW + Duration::HOUR)
            .await
            .unwrap();
        assert_eq!(
            account::find_reset(&mut tx, "h1", NOW).await.unwrap(),
            Some(id)
        );
        assert_eq!(
            account::find_reset(&mut tx, "h1", NOW + Duration::HOUR)
                .await
                .unwrap(),
            None
        );
        assert!(account::use_reset(&mut tx, "h1", NOW).await.unwrap());
        assert!(!account::use_reset(&mut tx, "h1", NOW).await.unwrap());
        assert_eq!(account::find_reset(&mut tx, "h1", NOW).await.unwrap(), None);
        account::void_resets(&mut tx, id, NOW).await.unwrap();
        assert_eq!(account::find_reset(&mut tx, "h2", NOW).await.unwrap(), None);
        tx.commit().await.unwrap();
    }
}

#[tokio::test]
async fn failed_sign_ins_are_counted_per_address_and_per_account_within_the_window() {
    for store in stores().await {
        let mut tx = store.begin().await.unwrap();
        for i in 0..3 {
            account::record_login_failure(
                &mut tx,
                "a@x.fr",
                "10.0.0.1",
                NOW - Duration::minutes(i * 10),
            )
            .await
            .unwrap();
        }
        account::record_login_failure(&mut tx, "b@x.fr", "10.0.0.1", NOW)
            .await
            .unwrap();
        assert_eq!(
            account::login_failures_since(
                &mut tx,
                "a@x.fr",
                "10.0.0.1",
                NOW - Duration::minutes(15)
            )
            .await
            .unwrap(),
            (2, 3)
        );
        account::clear_login_failures(&mut tx, "a@x.fr")
            .await
            .unwrap();
        assert_eq!(
            account::login_failures_since(
                &mut tx,
                "a@x.fr",
                "10.0.0.1",
                NOW - Duration::minutes(15)
            )
            .await
            .unwrap(),
            (0, 1)
        );
        assert_eq!(
            account::purge_login_failures(&mut tx, NOW + Duration::SECOND)
                .await
                .unwrap(),
            1
        );
        tx.commit().await.unwrap();
    }
}

#[tokio::test]
async fn an_api_token_opens_its_owners_account_until_revoked_or_expired() {
    for store in stores().await {
        let mut tx = store.begin().await.unwrap();
        let lea = account::insert(
            &mut tx,
            &new_user(&Email::parse("lea@exemple.fr").unwrap()),
            NOW,
        )
        .await
        .unwrap();
        let tom = account::insert(
            &mut tx,
            &new_user(&Email::parse("tom@exemple.fr").unwrap()),
            NOW,
        )
        .await
        .unwrap();
        let t1 = account::insert_token(&mut tx, lea, "script", "hash1", "essaim_ab12", NOW, None)
            .await
            .unwrap();
        account::insert_token(
            &mut tx,
            lea,
            "court",
            "hash2",
            "essaim_cd34",
            NOW,
            Some(NOW + Duration::DAY),
        )
        .await
        .unwrap();
        assert_eq!(
            account::find_token_user(&mut tx, "hash1", NOW)
                .await
                .unwrap()
                .map(|(id, u)| (id, u.id)),
            Some((t1, lea))
        );
        assert!(
            account::find_token_user(&mut tx, "hash2", NOW + Duration::DAY)
                .await
                .unwrap()
                .is_none()
        );
        assert!(
            !account::revoke_token(&mut tx, tom, t1, NOW).await.unwrap(),
            "only the owner revokes"
        );
        assert!(account::revoke_token(&mut tx, lea, t1, NOW).await.unwrap());
        assert!(
            account::find_token_user(&mut tx, "hash1", NOW)
                .await
                .unwrap()
                .is_none()
        );
        account::touch_token(&mut tx, t1, NOW).await.unwrap();
        let listed = account::list_tokens(&mut tx, lea).await.unwrap();
        assert_eq!(listed.len(), 2);
        assert_eq!(listed[1].revoked_at, Some(NOW));
        assert_eq!(listed[1].last_used_at, Some(NOW));
        tx.commit().await.unwrap();
    }
}
