use crate::{A, B, NOW, identity, stores};
use essaim_domain::ids::{CooperativeId, JobId};
use essaim_storage::job::{self, NewJob};
use essaim_storage::{Store, cooperative as coops};
use std::collections::BTreeSet;
use time::Duration;

async fn enqueue(store: &Store, coop: CooperativeId, at: time::OffsetDateTime) -> JobId {
    let mut tx = store.begin().await.unwrap();
    let id = job::enqueue(
        &mut tx,
        &NewJob {
            cooperative: Some(coop),
            kind: "email",
            payload: "{}",
            max_attempts: 3,
            run_at: at,
        },
        NOW,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    id
}

async fn coop(store: &Store, which: (&str, &str), slug: &str) -> CooperativeId {
    let mut tx = store.begin().await.unwrap();
    let id = coops::insert(&mut tx, slug, &identity(which.0, which.1), NOW)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    id
}

#[tokio::test]
async fn due_jobs_are_claimed_in_order_retried_and_failed() {
    for store in stores().await {
        let a = coop(&store, A, "a").await;
        let b = coop(&store, B, "b").await;
        let later = enqueue(&store, a, NOW + Duration::minutes(5)).await;
        let first = enqueue(&store, a, NOW - Duration::minutes(1)).await;
        let second = enqueue(&store, b, NOW).await;
        let mut tx = store.begin().await.unwrap();
        let j = job::claim_next(&mut tx, NOW).await.unwrap().unwrap();
        assert_eq!(
            (j.job_id, j.status.as_str(), j.attempts),
            (first.get(), "running", 1)
        );
        let j2 = job::claim_next(&mut tx, NOW).await.unwrap().unwrap();
        assert_eq!(j2.job_id, second.get());
        assert!(
            job::claim_next(&mut tx, NOW).await.unwrap().is_none(),
            "the later job is not due"
        );
        job::complete(&mut tx, second, NOW).await.unwrap();
        job::fail(
            &mut tx,
            first,
            "boom",
            Some(NOW + Duration::seconds(30)),
            NOW,
        )
        .await
        .unwrap();
        let again = job::claim_next(&mut tx, NOW + Duration::seconds(30))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (again.job_id, again.attempts, again.last_error.as_deref()),
            (first.get(), 2, Some("boom"))
        );
        job::fail(&mut tx, first, "boom again", None, NOW)
            .await
            .unwrap();
        assert_eq!(
            job::find(&mut tx, first).await.unwrap().unwrap().status,
            "failed"
        );
        assert!(
            !job::retry(&mut tx, Some(b), first, NOW).await.unwrap(),
            "another cooperative cannot retry it"
        );
        assert!(job::retry(&mut tx, Some(a), first, NOW).await.unwrap());
        let retried = job::find(&mut tx, first).await.unwrap().unwrap();
        assert_eq!((retried.status.as_str(), retried.attempts), ("queued", 0));
        let listed = job::list(&mut tx, Some(a), None, 10).await.unwrap();
        assert_eq!(
            listed.iter().map(|j| j.job_id).collect::<Vec<_>>(),
            vec![first.get(), later.get()]
        );
        assert_eq!(
            job::list(&mut tx, Some(a), Some("queued"), 10)
                .await
                .unwrap()
                .len(),
            2
        );
        assert_eq!(
            job::counts(&mut tx, Some(b)).await.unwrap(),
            vec![("done".to_owned(), 1)]
        );
        let stale = job::claim_next(&mut tx, NOW).await.unwrap().unwrap();
        assert_eq!(
            job::requeue_stale(&mut tx, NOW + Duration::minutes(10))
                .await
                .unwrap(),
            1
        );
        assert_eq!(
            job::find(&mut tx, JobId::new(stale.job_id))
                .await
                .unwrap()
                .unwrap()
                .status,
            "queued"
        );
        tx.commit().await.unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_workers_never_claim_the_same_job() {
    for store in stores().await {
        let a = coop(&store, A, "a").await;
        for _ in 0..40 {
            enqueue(&store, a, NOW).await;
        }
        let mut workers = Vec::new();
        for _ in 0..4 {
            let store = store.clone();
            workers.push(tokio::spawn(async move {
                let mut mine = Vec::new();
                loop {
                    let mut tx = store.begin().await.unwrap();
                    let Some(j) = job::claim_next(&mut tx, NOW).await.unwrap() else {
                        tx.commit().await.unwrap();
                        break;
                    };
                    tx.commit().await.unwrap();
                    mine.push(j.job_id);
                }
                mine
            }));
        }
        let mut all = Vec::new();
        for w in workers {
            all.extend(w.await.unwrap());
        }
        let unique: BTreeSet<i64> = all.iter().copied().collect();
        assert_eq!((all.len(), unique.len()), (40, 40), "{}", store.backend());
    }
}
