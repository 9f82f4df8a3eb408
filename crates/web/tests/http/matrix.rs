//! The permission matrix, generated from the route table: every route × every role × own or other
//! cooperative. A route added without the right declared access makes this test fail.

use axum::http::{Method, StatusCode};
use essaim_domain::access::{Access as DomainAccess, RoleKind, Target};
use essaim_testkit::{ADMIN_B_EMAIL, Client, HOST_EMAIL, TestApp, email_for};
use essaim_web::{Access, route_specs};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Who {
    Anonymous,
    Host,
    Role(RoleKind),
}

/// Pages that answer 404 when their object does not exist yet (no logo, no file of one's own).
/// Served only once something exists: the logo, the person's own file (and the competences kept
/// on it), the export of a payroll month once it is locked.
const ABSENT_OK: [&str; 4] = [
    "/c/{coop}/logo",
    "/c/{coop}/me",
    "/c/{coop}/my-competences",
    "/c/{coop}/payroll/months/{month}/export/{format}",
];

/// Public routes that authenticate their caller with a token of their own (the e-invoicing
/// platform's callbacks): without it they answer 401 to everyone, which the matrix expects.
const OWN_TOKEN: [&str; 1] = ["/api/v1/einvoicing/callbacks/{coop}"];

fn has_dummy_param(path: &str) -> bool {
    ["{token}", "{file}", "{id}", "{user}", "{role}", "{line}"]
        .iter()
        .any(|p| path.contains(p))
}

fn path_for(template: &str, coop: &str) -> String {
    template
        .replace("{coop}", coop)
        .replace("{token}", "0000")
        .replace("{file}", "nothing.css")
        .replace("{id}", "999999")
        .replace("{user}", "999999")
        .replace("{role}", "999999")
        .replace("{line}", "999999")
        .replace("{which}", "invoices")
        .replace("{format}", "csv")
        .replace("{month}", "2026-11")
}

async fn client_for(app: &TestApp, who: Who, api: bool) -> Client {
    match (who, api) {
        (Who::Anonymous, _) => app.client(),
        (Who::Host, false) => app.signed_in(HOST_EMAIL).await,
        (Who::Host, true) => app.api_client(HOST_EMAIL).await,
        (Who::Role(k), false) => app.signed_in(&email_for(k)).await,
        (Who::Role(k), true) => app.api_client(&email_for(k)).await,
    }
}

async fn call(c: &mut Client, method: &Method, path: &str, api: bool) -> (StatusCode, String) {
    let r = if *method == Method::GET {
        c.get(path).await
    } else if api {
        c.post_json(path, &serde_json::json!({})).await
    } else {
        c.post_form(path, &[]).await
    };
    (r.status, r.location().to_owned())
}

#[tokio::test]
async fn every_route_refuses_whoever_its_declared_access_excludes() {
    let app = TestApp::spawn().await;
    let mut who = vec![Who::Anonymous, Who::Host];
    who.extend(RoleKind::ALL.into_iter().map(Who::Role));
    let specs = route_specs();
    assert!(specs.len() > 30, "the route table looks empty");
    let mut checked = 0;
    for spec in &specs {
        let api = spec.path.starts_with("/api/");
        for w in &who {
            for (coop, own) in [(app.coop_a.clone(), true), (app.coop_b.clone(), false)] {
                if !spec.path.contains("{coop}") && !own {
                    continue;
                }
                // A fresh client per case: some routes (sign-out) end the session.
                let mut c = client_for(&app, *w, api).await;
                let path = path_for(spec.path, &coop);
                let (status, location) = call(&mut c, &spec.method, &path, api).await;
                let case = format!(
                    "{} {} as {w:?} (own cooperative: {own}) → {status} {location}",
                    spec.method, path
                );
                let refused_anonymous = if api {
                    status == StatusCode::UNAUTHORIZED
                } else {
                    status == StatusCode::SEE_OTHER && location.starts_with("/login")
                };
                let allowed = match (spec.access, w) {
                    (Access::Public, _) => true,
                    (_, Who::Anonymous) => false,
                    (Access::SignedIn, _) => true,
                    (Access::HostAdmin, w) => *w == Who::Host,
                    (Access::Member, Who::Role(_)) => own,
                    (Access::AnyOf(ps), Who::Role(k)) => {
                        own && ps.iter().any(|p| {
                            DomainAccess::new(k.default_grants(), [])
                                .allows(*p, Target::Cooperative)
                        })
                    }
                    (Access::Perm(p), Who::Role(k)) => {
                        own && DomainAccess::new(k.default_grants(), [])
                            .allows(p, Target::Cooperative)
                    }
                    (_, Who::Host) => false,
                };
                if OWN_TOKEN.contains(&spec.path) {
                    assert_eq!(
                        status,
                        StatusCode::UNAUTHORIZED,
                        "without its token: {case}"
                    );
                } else if allowed && spec.path == "/logout" {
                    assert_eq!(status, StatusCode::SEE_OTHER, "signing out: {case}");
                } else if allowed
                    && spec.method == Method::GET
                    && !has_dummy_param(spec.path)
                    && !ABSENT_OK.contains(&spec.path)
                {
                    assert!(
                        status == StatusCode::OK || status == StatusCode::SEE_OTHER,
                        "should be served: {case}"
                    );
                } else if allowed {
                    assert!(
                        status != StatusCode::FORBIDDEN
                            && status != StatusCode::UNAUTHORIZED
                            && !(status == StatusCode::SEE_OTHER && location.starts_with("/login")),
                        "should be allowed: {case}"
                    );
                } else if *w == Who::Anonymous {
                    assert!(
                        refused_anonymous,
                        "anonymous should be sent to sign in: {case}"
                    );
                } else if spec.path.contains("{coop}") && (!own || *w == Who::Host) {
                    assert_eq!(
                        status,
                        StatusCode::NOT_FOUND,
                        "another cooperative must look absent: {case}"
                    );
                } else {
                    assert_eq!(status, StatusCode::FORBIDDEN, "should be refused: {case}");
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 400, "only {checked} cases checked");
}

#[tokio::test]
async fn an_administrator_of_another_cooperative_sees_nothing_of_this_one() {
    let app = TestApp::spawn().await;
    let mut c = app.signed_in(ADMIN_B_EMAIL).await;
    for page in ["", "/members", "/audit", "/settings", "/logo"] {
        let r = c.get(&format!("/c/{}{page}", app.coop_a)).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{page}");
        assert!(
            !r.body.contains("Coopérative A"),
            "{page} leaks the other cooperative's name"
        );
    }
    let mut api = app.api_client(ADMIN_B_EMAIL).await;
    let r = api
        .get(&format!("/api/v1/cooperatives/{}/members", app.coop_a))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = api.get("/api/v1/cooperatives").await;
    let mine = r.json();
    assert_eq!(mine.as_array().map(|a| a.len()), Some(1));
    assert_eq!(mine[0]["slug"], app.coop_b);
}

#[tokio::test]
async fn a_host_administrator_lists_cooperatives_but_cannot_enter_them() {
    let app = TestApp::spawn().await;
    let mut c = app.signed_in(HOST_EMAIL).await;
    let r = c.get("/admin/cooperatives").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Coopérative A") && r.body.contains("Coopérative B"));
    assert_eq!(
        c.get(&format!("/c/{}", app.coop_a)).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        c.get(&format!("/c/{}/members", app.coop_a)).await.status,
        StatusCode::NOT_FOUND
    );
}
