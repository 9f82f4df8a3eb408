//! The e-invoicing connection on both databases (issue 20): one per cooperative, replaced in
//! place, its sealed secret kept byte for byte, and the log of exchanges latest first, per
//! cooperative.

use crate::{A, B, NOW, identity, stores};
use essaim_storage::cooperative as coops;
use essaim_storage::einvoicing::{self as e, ConnectionRecord, ExchangeRecord};

fn record(client: &str, sealed: &[u8]) -> ConnectionRecord {
    ConnectionRecord {
        flow_url: "https://api.pa.example/flow-service".into(),
        directory_url: "https://api.pa.example/directory-service".into(),
        token_url: "https://api.pa.example/oauth2/token".into(),
        client_id: client.into(),
        secret_nonce: vec![7; 24],
        secret_sealed: sealed.to_vec(),
        syntax: "factur-x".into(),
        demo: false,
        updated_at: NOW,
    }
}

#[tokio::test]
async fn a_connection_per_cooperative_replaced_in_place_with_its_exchanges() {
    for store in stores().await {
        let backend = store.backend();
        let mut tx = store.begin().await.unwrap();
        let a = coops::insert(&mut tx, "a", &identity(A.0, A.1), NOW)
            .await
            .unwrap();
        let b = coops::insert(&mut tx, "b", &identity(B.0, B.1), NOW)
            .await
            .unwrap();
        assert_eq!(e::connection(&mut tx, a).await.unwrap(), None, "{backend}");
        let sealed = [0_u8, 255, 1, 254, 128];
        e::save_connection(&mut tx, a, &record("first", &sealed), None)
            .await
            .unwrap();
        e::save_connection(&mut tx, a, &record("second", &sealed), None)
            .await
            .unwrap();
        let kept = e::connection(&mut tx, a).await.unwrap().unwrap();
        assert_eq!(kept.client_id, "second", "{backend}");
        assert_eq!(kept.secret_sealed, sealed.to_vec(), "{backend}: bytes kept");
        assert_eq!(e::connection(&mut tx, b).await.unwrap(), None, "{backend}");
        for (i, ok) in [true, false, true].into_iter().enumerate() {
            e::add_exchange(
                &mut tx,
                a,
                &ExchangeRecord {
                    at: NOW + time::Duration::minutes(i as i64),
                    operation: "healthcheck".into(),
                    ok,
                    detail: format!("n{i}"),
                },
            )
            .await
            .unwrap();
        }
        let log = e::exchanges(&mut tx, a, 2).await.unwrap();
        assert_eq!(
            log.iter().map(|x| x.detail.as_str()).collect::<Vec<_>>(),
            vec!["n2", "n1"],
            "{backend}"
        );
        assert!(e::exchanges(&mut tx, b, 10).await.unwrap().is_empty());
        tx.rollback().await.unwrap();
    }
}
