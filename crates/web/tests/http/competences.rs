//! Competence grids through the pages (issue 9, point 5): the team sets the grid and its scale,
//! the entrepreneur assesses herself twice, a coach assesses her, both see the progress and its
//! chart; the coach's page of a person gathers appointments, workshops and competences; the
//! refusals.

use super::coaching::{entrepreneur_in_cape, person_form};
use axum::http::StatusCode;
use essaim_domain::access::RoleKind;
use essaim_testkit::{ADMIN_B_EMAIL, TestApp, email_for};

#[tokio::test]
async fn an_entrepreneur_and_her_coach_assess_her_competences_and_see_the_progress() {
    let app = TestApp::spawn().await;
    let a = app.coop_a.clone();
    let mut coach = app.signed_in(&email_for(RoleKind::Coaching)).await;
    let (_, emma) = entrepreneur_in_cape(&app, &mut coach).await;
    let r = coach
        .post_form(&format!("/c/{a}/people"), &person_form("Paul", "Durand"))
        .await;
    let paul: i64 = r.location().rsplit('/').next().unwrap().parse().unwrap();

    // The grid: the eight defaults plus one, on a scale of three levels; one level is refused.
    let grid = format!("/c/{a}/settings/competences");
    let page = coach.get(&grid).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Prospecter et vendre"));
    let mut form: Vec<(String, String)> = Vec::new();
    for (i, (code, label)) in essaim_domain::coaching::competence::DEFAULT_COMPETENCES
        .iter()
        .enumerate()
    {
        form.push((format!("c{i}.code"), (*code).to_owned()));
        form.push((format!("c{i}.label"), (*label).to_owned()));
        // "Utiliser les outils numériques" is no longer followed.
        if *code != "digital" {
            form.push((format!("c{i}.active"), "1".to_owned()));
        }
    }
    form.push(("c8.code".into(), "export".into()));
    form.push(("c8.label".into(), "Vendre à l'étranger".into()));
    form.push(("c8.active".into(), "1".into()));
    let mut one_level = form.clone();
    one_level.push(("level0".into(), "Seul niveau".into()));
    let r = coach
        .post_form(
            &grid,
            &one_level
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect::<Vec<_>>(),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Entre 2 et 10 niveaux."));
    for (i, l) in ["Débutant", "Intermédiaire", "Confirmé"].iter().enumerate() {
        form.push((format!("level{i}"), (*l).to_owned()));
    }
    let r = coach
        .post_form(
            &grid,
            &form
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect::<Vec<_>>(),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    // Emma assesses herself in the spring and in the autumn.
    let mut emma_c = app.signed_in(&email_for(RoleKind::Entrepreneur)).await;
    let mine = format!("/c/{a}/my-competences");
    let page = emma_c.get(&mine).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("Vendre à l"),
        "the new competence is offered"
    );
    assert!(
        !page.body.contains("name=\"s.digital\""),
        "one no longer followed is not"
    );
    let r = emma_c
        .post_form(
            &mine,
            &[
                ("date", "2027-01-01"),
                ("s.selling", "4"),
                ("s.pricing", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Cette date est dans le futur."));
    assert!(r.body.contains("Ce niveau n"));
    for (date, selling, pricing) in [("2026-04-10", "1", "1"), ("2026-11-02", "3", "2")] {
        let r = emma_c
            .post_form(
                &mine,
                &[
                    ("date", date),
                    ("s.selling", selling),
                    ("s.pricing", pricing),
                    ("s.export", ""),
                    ("comment", "Mon ressenti"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }

    // Her coach assesses her, and Paul (whose assessment Emma never sees).
    let file = format!("/c/{a}/people/{emma}/coaching");
    let r = coach
        .post_form(
            &format!("{file}/competences"),
            &[
                ("date", "2026-11-20"),
                ("s.selling", "2"),
                ("s.pricing", "2"),
                ("comment", "Progrès nets sur la prospection."),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = coach
        .post_form(
            &format!("/c/{a}/people/{paul}/coaching/competences"),
            &[
                ("date", "2026-11-20"),
                ("s.selling", "1"),
                ("comment", "commentaire-de-paul"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    // Emma sees her progress: a line each for herself and her coach, levels by name.
    let page = emma_c.get(&mine).await.body;
    assert_eq!(page.matches("<polyline").count(), 2, "{page}");
    assert!(page.contains("Débutant → Confirmé"), "selling, by herself");
    assert!(
        page.contains("Débutant → Intermédiaire"),
        "pricing, by herself"
    );
    assert!(page.contains("Progrès nets sur la prospection."));
    assert!(page.contains("niveau moyen 2,5"), "(3 + 2) / 2");
    assert!(!page.contains("commentaire-de-paul"));

    // The coach's page of Emma gathers her coaching.
    let page = coach.get(&file).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Accompagnement de Emma Martin"));
    assert!(page.body.contains("Mon ressenti"));
    assert!(page.body.contains("Aucun atelier."));

    // Refusals: Emma reaches neither a person's coaching page, nor the coach's assessment, nor
    // the grid; another cooperative finds nothing.
    assert_eq!(emma_c.get(&file).await.status, StatusCode::FORBIDDEN);
    let r = emma_c
        .post_form(
            &format!("/c/{a}/people/{paul}/coaching/competences"),
            &[("date", "2026-11-20"), ("s.selling", "3")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(emma_c.get(&grid).await.status, StatusCode::FORBIDDEN);
    let mut other = app.signed_in(ADMIN_B_EMAIL).await;
    let foreign = format!("/c/{}/people/{emma}/coaching", app.coop_b);
    assert_eq!(other.get(&foreign).await.status, StatusCode::NOT_FOUND);
    // Someone without a file of their own has no competences page.
    let mut admin = app.signed_in(&email_for(RoleKind::Administrator)).await;
    assert_eq!(admin.get(&mine).await.status, StatusCode::NOT_FOUND);
}
