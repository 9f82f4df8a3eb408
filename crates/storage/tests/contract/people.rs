use crate::{A, B, NOW, identity, stores};
use essaim_domain::access::RoleKind;
use essaim_domain::account::{Email, Locale};
use essaim_domain::ids::UserId;
use essaim_domain::path::{Path, PathEvent, Period, Status};
use essaim_domain::person::{Gender, PersonDetails, RefList};
use essaim_storage::account::{self, NewUser};
use essaim_storage::person::{self, PersonFilter, PersonSort};
use essaim_storage::{Tx, cooperative as coops, role};
use time::macros::date;

fn details(first: &str, last: &str) -> PersonDetails {
    PersonDetails {
        first_name: first.into(),
        last_name: last.into(),
        email: Email::parse(&format!("{}@exemple.fr", first.to_lowercase())).ok(),
        phone: Some("06 12 34 56 78".into()),
        address: Some("1 rue A".into()),
        postcode: Some("69001".into()),
        commune: Some("Lyon".into()),
        birth_date: Some(date!(1990 - 05 - 17)),
        gender: Gender::Female,
        situation: Some("are".into()),
        prescriber: None,
        education: Some("level_6".into()),
        antenna: Some("main".into()),
        qpv: true,
        rural: false,
        naf: Some("62.01Z".into()),
    }
}

async fn user(tx: &mut Tx, email: &str, name: &str) -> UserId {
    let email = Email::parse(email).unwrap();
    account::insert(
        tx,
        &NewUser {
            email: &email,
            display_name: name,
            password_hash: "x",
            locale: Locale::Fr,
            is_host_admin: false,
        },
        NOW,
    )
    .await
    .unwrap()
}

/// Records `events` for the person, with the projection after each, as the use case does.
async fn walk(tx: &mut Tx, id: essaim_domain::ids::PersonId, events: &[PathEvent]) {
    let mut path = Path::default();
    for e in events {
        path = path.record(e.clone()).unwrap();
        person::append_event(tx, id, e, &path.summary().unwrap(), None, NOW)
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn a_person_and_their_path_round_trip_with_the_projection() {
    for store in stores().await {
        let mut tx = store.begin().await.unwrap();
        let a = coops::insert(&mut tx, "a", &identity(A.0, A.1), NOW)
            .await
            .unwrap();
        person::insert_default_lists(&mut tx, a).await.unwrap();
        let coach = user(&mut tx, "coach@exemple.fr", "Coach").await;
        let d = details("Camille", "Martin");
        let id = person::insert(&mut tx, a, &d, None, Some(coach), NOW)
            .await
            .unwrap();
        let events = [
            PathEvent::InformationMeeting {
                on: date!(2025 - 01 - 10),
            },
            PathEvent::Admitted {
                on: date!(2025 - 01 - 20),
            },
            PathEvent::CapeSigned {
                period: Period {
                    start: date!(2025 - 02 - 01),
                    end: date!(2026 - 01 - 31),
                },
            },
            PathEvent::CesaSigned {
                start: date!(2025 - 06 - 01),
                trial_end: Some(date!(2025 - 08 - 31)),
            },
            PathEvent::CesaAmended {
                on: date!(2025 - 09 - 01),
                summary: "part fixe".into(),
            },
            PathEvent::SuspensionStarted {
                on: date!(2025 - 10 - 01),
                reason: "congé".into(),
            },
        ];
        walk(&mut tx, id, &events).await;
        let found = person::find(&mut tx, a, id).await.unwrap().unwrap();
        assert_eq!(found.details, d, "{}", store.backend());
        assert_eq!(
            found.referent.as_ref().map(|(u, n)| (*u, n.as_str())),
            Some((coach, "Coach"))
        );
        assert_eq!(found.summary.status, Status::Cesa);
        assert!(found.summary.suspended);
        assert_eq!(
            found.summary.associate_deadline,
            Some(date!(2028 - 06 - 01) - time::Duration::days(120))
        );
        assert_eq!(found.summary.trial_end, Some(date!(2025 - 08 - 31)));
        let stored: Vec<PathEvent> = person::events(&mut tx, id)
            .await
            .unwrap()
            .into_iter()
            .map(|r| r.event)
            .collect();
        assert_eq!(stored, events.to_vec());
        // Another cooperative does not find it.
        let b = coops::insert(&mut tx, "b", &identity(B.0, B.1), NOW)
            .await
            .unwrap();
        assert!(person::find(&mut tx, b, id).await.unwrap().is_none());
        assert!(!person::update_details(&mut tx, b, id, &d).await.unwrap());
        let mut changed = d.clone();
        changed.email = None;
        changed.naf = None;
        assert!(
            person::update_details(&mut tx, a, id, &changed)
                .await
                .unwrap()
        );
        assert_eq!(
            person::find(&mut tx, a, id).await.unwrap().unwrap().details,
            changed
        );
        let exited = PathEvent::Exited {
            on: date!(2026 - 01 - 01),
            exit_type: "employment".into(),
            reason: "personal".into(),
            destination: "cdi".into(),
        };
        let mut path = Path::new(events.to_vec());
        path = path.record(exited.clone()).unwrap();
        person::append_event(
            &mut tx,
            id,
            &exited,
            &path.summary().unwrap(),
            Some(coach),
            NOW,
        )
        .await
        .unwrap();
        let recorded = person::events(&mut tx, id).await.unwrap();
        assert_eq!(
            recorded
                .last()
                .map(|r| (&r.event, r.recorded_by.as_deref())),
            Some((&exited, Some("Coach")))
        );
        tx.commit().await.unwrap();
    }
}

#[tokio::test]
async fn the_people_list_filters_sorts_and_counts_per_cooperative() {
    for store in stores().await {
        let mut tx = store.begin().await.unwrap();
        let a = coops::insert(&mut tx, "a", &identity(A.0, A.1), NOW)
            .await
            .unwrap();
        let b = coops::insert(&mut tx, "b", &identity(B.0, B.1), NOW)
            .await
            .unwrap();
        let coach = user(&mut tx, "coach@exemple.fr", "Coach").await;
        let cesa = |start| {
            vec![
                PathEvent::InformationMeeting {
                    on: date!(2023 - 01 - 01),
                },
                PathEvent::Admitted {
                    on: date!(2023 - 01 - 02),
                },
                PathEvent::CesaSigned {
                    start,
                    trial_end: None,
                },
            ]
        };
        let soon = person::insert(
            &mut tx,
            a,
            &details("Zélie", "Bientôt"),
            None,
            Some(coach),
            NOW,
        )
        .await
        .unwrap();
        walk(&mut tx, soon, &cesa(date!(2023 - 12 - 10))).await;
        let late = person::insert(&mut tx, a, &details("Yves", "Alavance"), None, None, NOW)
            .await
            .unwrap();
        walk(&mut tx, late, &cesa(date!(2023 - 06 - 01))).await;
        let mut other = details("Xavier", "Candidat");
        other.antenna = Some("north".into());
        let candidate = person::insert(&mut tx, a, &other, None, None, NOW)
            .await
            .unwrap();
        walk(
            &mut tx,
            candidate,
            &[PathEvent::InformationMeeting {
                on: date!(2026 - 10 - 01),
            }],
        )
        .await;
        person::insert(&mut tx, b, &details("Walter", "Ailleurs"), None, None, NOW)
            .await
            .unwrap();

        let all = |f: PersonFilter| f;
        let (rows, total) = person::list(&mut tx, a, &all(PersonFilter::default()), 50, 0)
            .await
            .unwrap();
        assert_eq!(total, 3, "{}", store.backend());
        assert_eq!(
            rows.iter()
                .map(|r| r.last_name.as_str())
                .collect::<Vec<_>>(),
            vec!["Alavance", "Bientôt", "Candidat"]
        );
        let (rows, total) = person::list(
            &mut tx,
            a,
            &PersonFilter {
                status: Some(Status::Cesa),
                ..Default::default()
            },
            50,
            0,
        )
        .await
        .unwrap();
        assert_eq!((rows.len(), total), (2, 2));
        let (rows, _) = person::list(
            &mut tx,
            a,
            &PersonFilter {
                search: Some("ZELIE".into()),
                ..Default::default()
            },
            50,
            0,
        )
        .await
        .unwrap();
        assert_eq!(
            rows.iter().map(|r| r.person_id).collect::<Vec<_>>(),
            vec![soon.get()]
        );
        let (rows, _) = person::list(
            &mut tx,
            a,
            &PersonFilter {
                referent: Some(coach),
                ..Default::default()
            },
            50,
            0,
        )
        .await
        .unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].referent_name.as_deref(), Some("Coach"));
        let (rows, _) = person::list(
            &mut tx,
            a,
            &PersonFilter {
                antenna: Some("north".into()),
                ..Default::default()
            },
            50,
            0,
        )
        .await
        .unwrap();
        assert_eq!(
            rows.iter().map(|r| r.person_id).collect::<Vec<_>>(),
            vec![candidate.get()]
        );
        let (rows, _) = person::list(
            &mut tx,
            a,
            &PersonFilter {
                sort: PersonSort::Deadline,
                ..Default::default()
            },
            50,
            0,
        )
        .await
        .unwrap();
        assert_eq!(
            rows.iter().map(|r| r.person_id).collect::<Vec<_>>(),
            vec![late.get(), soon.get(), candidate.get()]
        );
        let (rows, total) = person::list(
            &mut tx,
            a,
            &PersonFilter {
                deadline_before: Some(date!(2026 - 07 - 01)),
                ..Default::default()
            },
            50,
            0,
        )
        .await
        .unwrap();
        assert_eq!((rows.len(), total), (1, 1));
        let sector = |naf: &str| PersonFilter {
            naf: Some(naf.into()),
            ..Default::default()
        };
        assert_eq!(
            person::list(&mut tx, a, &sector("62"), 50, 0)
                .await
                .unwrap()
                .1,
            3,
            "every test person is in 62.01Z"
        );
        assert_eq!(
            person::list(&mut tx, a, &sector("74"), 50, 0)
                .await
                .unwrap()
                .1,
            0
        );
        let (page, total) = person::list(&mut tx, a, &PersonFilter::default(), 2, 2)
            .await
            .unwrap();
        assert_eq!((page.len(), total), (1, 3));
        let deadlines = person::deadlines(&mut tx, a, date!(2026 - 11 - 29), date!(2027 - 05 - 29))
            .await
            .unwrap();
        assert_eq!(
            deadlines.iter().map(|r| r.person_id).collect::<Vec<_>>(),
            vec![late.get(), soon.get()]
        );
        let mut counts = person::count_by_status(&mut tx, a).await.unwrap();
        counts.sort();
        assert_eq!(
            counts,
            vec![("candidate".to_owned(), 1), ("cesa".to_owned(), 2)]
        );
        tx.commit().await.unwrap();
    }
}

#[tokio::test]
async fn lists_accounts_and_referents_are_scoped_to_the_cooperative() {
    for store in stores().await {
        let mut tx = store.begin().await.unwrap();
        let a = coops::insert(&mut tx, "a", &identity(A.0, A.1), NOW)
            .await
            .unwrap();
        let b = coops::insert(&mut tx, "b", &identity(B.0, B.1), NOW)
            .await
            .unwrap();
        person::insert_default_lists(&mut tx, a).await.unwrap();
        person::insert_default_lists(&mut tx, b).await.unwrap();
        assert!(
            person::insert_item(&mut tx, a, RefList::Antenna, "north", "Nord", 1)
                .await
                .unwrap()
        );
        assert!(
            !person::insert_item(&mut tx, a, RefList::Antenna, "north", "Nord bis", 2)
                .await
                .unwrap()
        );
        let items = person::list_items(&mut tx, a).await.unwrap();
        let north = items.iter().find(|i| i.code == "north").unwrap();
        assert!(
            !person::update_item(&mut tx, b, north.reference_item_id, "x", false)
                .await
                .unwrap()
        );
        assert!(
            person::update_item(&mut tx, a, north.reference_item_id, "Antenne nord", false)
                .await
                .unwrap()
        );
        let items = person::list_items(&mut tx, a).await.unwrap();
        let north = items.iter().find(|i| i.code == "north").unwrap();
        assert_eq!(
            (north.label.as_str(), north.active),
            ("Antenne nord", false)
        );
        assert_eq!(
            person::list_items(&mut tx, b).await.unwrap().len() + 1,
            items.len()
        );
        let coach_role = role::insert(&mut tx, a, RoleKind::Coaching, "C")
            .await
            .unwrap();
        let ent_role = role::insert(&mut tx, a, RoleKind::Entrepreneur, "E")
            .await
            .unwrap();
        let coach = user(&mut tx, "coach@exemple.fr", "Coach").await;
        let ent = user(&mut tx, "ent@exemple.fr", "Entrepreneur").await;
        role::add_membership(&mut tx, a, coach, coach_role, NOW)
            .await
            .unwrap();
        role::add_membership(&mut tx, a, ent, ent_role, NOW)
            .await
            .unwrap();
        assert_eq!(
            role::holders_of_kinds(&mut tx, a, &[RoleKind::Coaching, RoleKind::Administrator])
                .await
                .unwrap(),
            vec![(coach, "Coach".to_owned())]
        );
        assert!(
            role::holders_of_kinds(&mut tx, b, &[RoleKind::Coaching])
                .await
                .unwrap()
                .is_empty()
        );
        let id = person::insert(&mut tx, a, &details("Emma", "Propre"), Some(ent), None, NOW)
            .await
            .unwrap();
        assert_eq!(
            person::find_by_user(&mut tx, a, ent)
                .await
                .unwrap()
                .map(|p| p.id),
            Some(id)
        );
        assert!(
            person::find_by_user(&mut tx, b, ent)
                .await
                .unwrap()
                .is_none()
        );
        assert!(person::set_user(&mut tx, a, id, None).await.unwrap());
        assert!(
            person::find_by_user(&mut tx, a, ent)
                .await
                .unwrap()
                .is_none()
        );
        tx.commit().await.unwrap();
    }
}

#[tokio::test]
async fn anonymising_erases_identity_and_free_texts_once() {
    for store in stores().await {
        let mut tx = store.begin().await.unwrap();
        let a = coops::insert(&mut tx, "a", &identity(A.0, A.1), NOW)
            .await
            .unwrap();
        let b = coops::insert(&mut tx, "b", &identity(B.0, B.1), NOW)
            .await
            .unwrap();
        let lea = user(&mut tx, "lea@exemple.fr", "Léa").await;
        let id = person::insert(&mut tx, a, &details("Léa", "Durand"), Some(lea), None, NOW)
            .await
            .unwrap();
        walk(
            &mut tx,
            id,
            &[
                PathEvent::InformationMeeting {
                    on: date!(2020 - 01 - 01),
                },
                PathEvent::Admitted {
                    on: date!(2020 - 01 - 02),
                },
                PathEvent::CesaSigned {
                    start: date!(2020 - 02 - 01),
                    trial_end: None,
                },
                PathEvent::CesaAmended {
                    on: date!(2020 - 06 - 01),
                    summary: "texte libre".into(),
                },
                PathEvent::Exited {
                    on: date!(2020 - 12 - 31),
                    exit_type: "employment".into(),
                    reason: "personal".into(),
                    destination: "cdi".into(),
                },
            ],
        )
        .await;
        assert_eq!(person::files_of_user(&mut tx, lea).await.unwrap().len(), 1);
        assert!(
            !person::anonymize(&mut tx, b, id, NOW).await.unwrap(),
            "not from another cooperative"
        );
        assert!(person::anonymize(&mut tx, a, id, NOW).await.unwrap());
        assert!(
            !person::anonymize(&mut tx, a, id, NOW).await.unwrap(),
            "once"
        );
        let p = person::find(&mut tx, a, id).await.unwrap().unwrap();
        assert!(p.anonymized, "{}", store.backend());
        assert_eq!(
            (
                p.details.last_name.as_str(),
                p.details.email.clone(),
                p.details.birth_date,
                p.user_id
            ),
            ("", None, None, None)
        );
        assert_eq!(p.summary.status, Status::Exited);
        let events = person::events(&mut tx, id).await.unwrap();
        assert!(
            matches!(&events[3].event, PathEvent::CesaAmended { summary, .. } if summary.is_empty())
        );
        assert!(
            matches!(&events[4].event, PathEvent::Exited { exit_type, .. } if exit_type == "employment")
        );
        assert_eq!(
            person::list(&mut tx, a, &PersonFilter::default(), 50, 0)
                .await
                .unwrap()
                .1,
            0
        );
        assert!(
            person::files_of_user(&mut tx, lea)
                .await
                .unwrap()
                .is_empty()
        );
        tx.commit().await.unwrap();
    }
}

#[tokio::test]
async fn the_directory_lists_only_listed_profiles_of_current_members() {
    use essaim_domain::directory::Profile;
    use essaim_storage::directory::{self, DirectoryFilter};
    for store in stores().await {
        let mut tx = store.begin().await.unwrap();
        let a = coops::insert(&mut tx, "a", &identity(A.0, A.1), NOW)
            .await
            .unwrap();
        let r = role::insert(&mut tx, a, RoleKind::Entrepreneur, "E")
            .await
            .unwrap();
        let lea = user(&mut tx, "lea@exemple.fr", "Léa").await;
        let tom = user(&mut tx, "tom@exemple.fr", "Tom").await;
        let gone = user(&mut tx, "gone@exemple.fr", "Parti").await;
        role::add_membership(&mut tx, a, lea, r, NOW).await.unwrap();
        role::add_membership(&mut tx, a, tom, r, NOW).await.unwrap();
        let p = |listed, tags: &[&str]| Profile {
            headline: Some("Graphiste".into()),
            tags: tags.iter().map(|t| (*t).to_owned()).collect(),
            territory: Some("Lyon".into()),
            naf: Some("74.10Z".into()),
            listed,
            show_email: false,
            ..Default::default()
        };
        directory::upsert(
            &mut tx,
            a,
            lea,
            "Léa",
            &p(true, &["graphisme", "logo"]),
            NOW,
        )
        .await
        .unwrap();
        directory::upsert(&mut tx, a, tom, "Tom", &p(false, &["logo"]), NOW)
            .await
            .unwrap();
        directory::upsert(&mut tx, a, gone, "Parti", &p(true, &["logo"]), NOW)
            .await
            .unwrap();
        let all = directory::list(&mut tx, a, &DirectoryFilter::default(), 50)
            .await
            .unwrap();
        assert_eq!(
            all.iter().map(|e| e.name.as_str()).collect::<Vec<_>>(),
            vec!["Léa"],
            "{}",
            store.backend()
        );
        assert_eq!(all[0].email, None);
        assert_eq!(
            directory::list(
                &mut tx,
                a,
                &DirectoryFilter {
                    tag: Some("LOGO".into()),
                    ..Default::default()
                },
                50
            )
            .await
            .unwrap()
            .len(),
            1
        );
        assert_eq!(
            directory::list(
                &mut tx,
                a,
                &DirectoryFilter {
                    tag: Some("log".into()),
                    ..Default::default()
                },
                50
            )
            .await
            .unwrap()
            .len(),
            0,
            "whole tags only"
        );
        assert_eq!(
            directory::list(
                &mut tx,
                a,
                &DirectoryFilter {
                    search: Some("lea graphiste".into()),
                    ..Default::default()
                },
                50
            )
            .await
            .unwrap()
            .len(),
            1
        );
        assert_eq!(
            directory::tags(&mut tx, a).await.unwrap(),
            vec!["graphisme".to_owned(), "logo".to_owned()]
        );
        let mut shown = p(true, &[]);
        shown.show_email = true;
        directory::upsert(&mut tx, a, lea, "Léa", &shown, NOW)
            .await
            .unwrap();
        assert_eq!(directory::find(&mut tx, a, lea).await.unwrap(), Some(shown));
        assert_eq!(
            directory::list(&mut tx, a, &DirectoryFilter::default(), 50)
                .await
                .unwrap()[0]
                .email
                .as_deref(),
            Some("lea@exemple.fr")
        );
        tx.commit().await.unwrap();
    }
}
