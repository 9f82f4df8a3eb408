//! Activities (LIF-02): created by the support team, run by entrepreneurs with shares adding up to
//! 100 %, and seen by an entrepreneur only when they run them (GDP-04).

use axum::http::StatusCode;
use essaim_domain::access::RoleKind;
use essaim_testkit::{Client, TestApp, email_for};

async fn create(
    app: &TestApp,
    coach: &mut Client,
    name: &str,
    code: &str,
) -> essaim_testkit::Reply {
    coach
        .post_form(
            &format!("/c/{}/activities", app.coop_a),
            &[
                ("name", name),
                ("analytic_code", code),
                ("start_on", "2026-01-05"),
                ("end_on", ""),
                ("naf", "74.10Z"),
                ("referent", ""),
                ("description", ""),
            ],
        )
        .await
}

#[tokio::test]
async fn lif_02_an_activity_is_run_by_entrepreneurs_whose_shares_make_100_percent() {
    let app = TestApp::spawn().await;
    let mut coach = app.signed_in(&email_for(RoleKind::Coaching)).await;
    let r = create(&app, &mut coach, "", "a b").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Un code analytique compte 2 à 12 lettres"));
    let r = create(&app, &mut coach, "Atelier graphique", "graph-01").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let activity = r.location().to_owned();
    let r = create(&app, &mut coach, "Autre", "GRAPH-01").await;
    assert!(
        r.body.contains("Ce code analytique est déjà utilisé"),
        "analytic codes are unique in the cooperative"
    );

    let entrepreneur = app
        .actor(&email_for(RoleKind::Entrepreneur))
        .await
        .user
        .id
        .get()
        .to_string();
    let member = app
        .actor(&email_for(RoleKind::Member))
        .await
        .user
        .id
        .get()
        .to_string();
    let members = format!("{activity}/members");
    let r = coach
        .post_form(
            &members,
            &[
                ("member_0", &entrepreneur),
                ("share_0", "60"),
                ("member_1", ""),
            ],
        )
        .await;
    assert!(r.body.contains("Les parts doivent faire 100 % au total."));
    let r = coach
        .post_form(
            &members,
            &[
                ("member_0", &entrepreneur),
                ("share_0", "100"),
                ("member_1", &member),
                ("share_1", "0"),
            ],
        )
        .await;
    assert!(r.body.contains("Écrivez chaque part en pourcentage"));
    let r = coach
        .post_form(&members, &[("member_0", &member), ("share_0", "100")])
        .await;
    assert!(r.body.contains("Seules les personnes entrepreneures"));
    let r = coach
        .post_form(&members, &[("member_0", &entrepreneur), ("share_0", "100")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = coach.get(&activity).await;
    assert!(page.body.contains("Personne entrepreneur — 100 %"));
}

#[tokio::test]
async fn gdp_04_an_entrepreneur_sees_exactly_the_activities_they_run() {
    let app = TestApp::spawn().await;
    let mut coach = app.signed_in(&email_for(RoleKind::Coaching)).await;
    let mine = create(&app, &mut coach, "La mienne", "MINE")
        .await
        .location()
        .to_owned();
    let theirs = create(&app, &mut coach, "Celle d'une autre", "OTHER")
        .await
        .location()
        .to_owned();
    let mut entrepreneur = app.signed_in(&email_for(RoleKind::Entrepreneur)).await;
    // Without an activity, nothing to see.
    assert_eq!(
        entrepreneur
            .get(&format!("/c/{}/activities", app.coop_a))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let id = app
        .actor(&email_for(RoleKind::Entrepreneur))
        .await
        .user
        .id
        .get()
        .to_string();
    assert_eq!(
        coach
            .post_form(
                &format!("{mine}/members"),
                &[("member_0", &id), ("share_0", "100")]
            )
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let list = entrepreneur
        .get(&format!("/c/{}/activities", app.coop_a))
        .await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(
        list.body.contains("La mienne") && !list.body.contains("Celle d"),
        "only their own"
    );
    assert!(
        list.body.contains(">Activités</a>"),
        "the menu offers it now"
    );
    assert_eq!(entrepreneur.get(&mine).await.status, StatusCode::OK);
    assert_eq!(
        entrepreneur.get(&theirs).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        entrepreneur
            .post_form(
                &format!("{mine}/members"),
                &[("member_0", &id), ("share_0", "100")]
            )
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let mut api = app.api_client(&email_for(RoleKind::Entrepreneur)).await;
    let all = api
        .get(&format!("/api/v1/cooperatives/{}/activities", app.coop_a))
        .await
        .json();
    assert_eq!(all.as_array().unwrap().len(), 1);
    assert_eq!(all[0]["analytic_code"], "MINE");
    let theirs_id = theirs.rsplit('/').next().unwrap();
    assert_eq!(
        api.get(&format!(
            "/api/v1/cooperatives/{}/activities/{theirs_id}",
            app.coop_a
        ))
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    // The support team sees them all; another cooperative sees none.
    let mut validation = app.signed_in(&email_for(RoleKind::Validation)).await;
    let list = validation
        .get(&format!("/c/{}/activities", app.coop_a))
        .await;
    assert!(list.body.contains("La mienne") && list.body.contains("Celle d"));
    let mut b = app.signed_in(essaim_testkit::ADMIN_B_EMAIL).await;
    assert_eq!(b.get(&mine).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_shared_activity_needs_the_written_agreement() {
    let app = TestApp::spawn().await;
    let mut admin = app.signed_in(&email_for(RoleKind::Administrator)).await;
    let a = create(&app, &mut admin, "Collectif", "COLL")
        .await
        .location()
        .to_owned();
    // A second entrepreneur in the cooperative.
    let coop = app
        .coop_actor(&email_for(RoleKind::Administrator), &app.coop_a)
        .await;
    let roles = essaim_app::members::roles(&app.app, &coop).await.unwrap();
    let ent_role = roles
        .iter()
        .find(|r| r.kind == RoleKind::Entrepreneur)
        .unwrap()
        .id;
    let second =
        essaim_app::members::add(&app.app, &coop, "deux@exemple.fr", "Deuxième", &[ent_role])
            .await
            .unwrap()
            .get()
            .to_string();
    let first = app
        .actor(&email_for(RoleKind::Entrepreneur))
        .await
        .user
        .id
        .get()
        .to_string();
    let fields = [
        ("member_0", first.as_str()),
        ("share_0", "50"),
        ("member_1", second.as_str()),
        ("share_1", "50"),
    ];
    let r = admin.post_form(&format!("{a}/members"), &fields).await;
    assert!(
        r.body
            .contains("Une activité partagée demande l&#39;accord écrit")
            || r.body
                .contains("Une activité partagée demande l'accord écrit")
    );
    let mut with = fields.to_vec();
    with.push(("agreement", "Convention du 5 janvier 2026 : moitié chacun."));
    assert_eq!(
        admin.post_form(&format!("{a}/members"), &with).await.status,
        StatusCode::SEE_OTHER
    );
    let page = admin.get(&a).await;
    assert!(
        page.body.contains("Deuxième — 50 %") && page.body.contains("Convention du 5 janvier 2026")
    );
}

#[tokio::test]
async fn a_role_can_limit_a_permission_to_ones_own_activities() {
    let app = TestApp::spawn().await;
    let mut admin = app.signed_in(&email_for(RoleKind::Administrator)).await;
    let coop = app
        .coop_actor(&email_for(RoleKind::Administrator), &app.coop_a)
        .await;
    let roles = essaim_app::members::roles(&app.app, &coop).await.unwrap();
    let member_role = roles
        .iter()
        .find(|r| r.kind == RoleKind::Member)
        .unwrap()
        .id
        .get();
    let r = admin
        .post_form(
            &format!("/c/{}/roles/{member_role}", app.coop_a),
            &[
                ("permission", "activity.read"),
                ("scope-activity.read", "own_activities"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = admin.get(&format!("/c/{}/roles", app.coop_a)).await;
    assert!(
        page.body
            .contains("<option value=\"own_activities\" selected>")
    );
    // A cooperative-level right cannot be limited that way.
    let r = admin
        .post_form(
            &format!("/c/{}/roles/{member_role}", app.coop_a),
            &[
                ("permission", "audit.read"),
                ("scope-audit.read", "own_activities"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn the_activity_list_filters_and_exports() {
    let app = TestApp::spawn().await;
    let mut coach = app.signed_in(&email_for(RoleKind::Coaching)).await;
    create(&app, &mut coach, "Atelier graphique", "GRAPH").await;
    coach
        .post_form(
            &format!("/c/{}/activities", app.coop_a),
            &[
                ("name", "Menuiserie finie"),
                ("analytic_code", "MENU"),
                ("start_on", "2024-01-01"),
                ("end_on", "2025-12-31"),
                ("naf", "43.32A"),
            ],
        )
        .await;
    let base = format!("/c/{}/activities", app.coop_a);
    let ended = coach.get(&format!("{base}?status=ended")).await;
    assert!(ended.body.contains("Menuiserie finie") && !ended.body.contains("Atelier graphique"));
    assert!(
        coach
            .get(&format!("{base}?naf=74"))
            .await
            .body
            .contains("Atelier graphique")
    );
    assert!(
        !coach
            .get(&format!("{base}?naf=74"))
            .await
            .body
            .contains("Menuiserie finie")
    );
    let csv = coach.get(&format!("{base}/export.csv?status=active")).await;
    assert_eq!(
        csv.headers.get("content-type").unwrap(),
        "text/csv; charset=utf-8"
    );
    assert!(csv.body.contains("Atelier graphique") && !csv.body.contains("Menuiserie"));
    let xlsx = coach.get(&format!("{base}/export.xlsx")).await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert_eq!(
        xlsx.headers.get("content-type").unwrap(),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
}
