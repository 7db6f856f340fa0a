//! The authorization matrix: every route of the registry × every role × the caller's own
//! student, an unlinked student of the same district, and a student of another district.
//! The expected answer comes from the route's declared policy and `domain::access::decide`;
//! the test fails for a route it has no request for, so a new route cannot slip in unchecked.

use crate::app::{Client, Response, TestApp};
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use domain::access::{Actor, Target, decide};
use domain::people::{Relation, Role};
use web::policy::Policy;

#[derive(Debug, Clone, Copy)]
enum Whose {
    Own,
    SameDistrict,
    OtherDistrict,
}

/// The request the matrix sends for a route; panics for a route it does not know.
async fn request(client: &Client<'_>, method: &Method, path: &str, student: i64) -> Response {
    let concrete = path.replace("{id}", &student.to_string());
    let event = serde_json::json!({"id": "", "kind": "records_requested", "on": "2026-09-01"});
    match (method.as_str(), path) {
        (
            "GET",
            "/healthz"
            | "/static/app.css"
            | "/sign-in"
            | "/sign-in/second-factor"
            | "/"
            | "/account"
            | "/caseload"
            | "/compliance"
            | "/export"
            | "/reports"
            | "/students/{id}"
            | "/students/{id}/access"
            | "/students/{id}/goals/report.pdf"
            | "/api/v1/openapi.json"
            | "/api/v1/students"
            | "/api/v1/students/{id}"
            | "/api/v1/students/{id}/events"
            | "/api/v1/students/{id}/obligations"
            | "/api/v1/students/{id}/access-log",
        ) => client.get(&concrete).await,
        ("GET", "/language/{code}") => client.get("/language/en?next=/").await,
        ("GET", "/feeds/{file}") => client.get("/feeds/unknown.ics").await,
        ("POST", "/sign-in") => {
            client
                .post_form(path, &[("username", "x"), ("password", "y")])
                .await
        }
        ("POST", "/sign-in/second-factor") => client.post_form(path, &[("code", "000000")]).await,
        // Signing out would end the matrix's session; a missing token proves the gate ran.
        ("POST", "/sign-out") => client.post_raw_form(path, &[]).await,
        ("POST", "/account/password") => {
            client
                .post_form(
                    path,
                    &[("current", "x"), ("new_password", "y"), ("confirm", "z")],
                )
                .await
        }
        // A wrong password: the handler answers 422 for the administrator, the gate 403 for others.
        ("POST", "/export") => client.post_form(path, &[("password", "wrong")]).await,
        ("POST", "/account/language") => client.post_form(path, &[("lang", "en")]).await,
        (
            "POST",
            "/account/two-step"
            | "/account/two-step/confirm"
            | "/account/recovery-codes"
            | "/account/feed"
            | "/account/feed/revoke",
        ) => {
            // These change the account; the matrix checks the gate, so a foreign token is sent
            // and the expected answer for a signed-in caller is the CSRF refusal.
            client
                .post_raw_form(path, &[("csrf", "not-the-token"), ("code", "000000")])
                .await
        }
        ("POST", "/students/{id}/events") => {
            client
                .post_form(
                    &concrete,
                    &[("kind", "records_requested"), ("f_on", "2026-09-01")],
                )
                .await
        }
        ("POST", "/api/v1/students/{id}/events") => client.post_json(&concrete, &event, &[]).await,
        ("GET", "/edfi" | "/edfi/") => client.get(path).await,
        ("POST", "/edfi/oauth/token") => {
            client
                .post_raw_form(path, &[("grant_type", "client_credentials")])
                .await
        }
        ("GET", p) if p.starts_with("/edfi/data/v3/") => client.get(path).await,
        (_, p) if p.starts_with("/toolkit") || p.starts_with("/setup") => {
            crate::toolkit::matrix_request(client, method, path, student).await
        }
        (
            _,
            "/students/{id}/toolkit"
            | "/students/{id}/communications"
            | "/students/{id}/letters"
            | "/students/{id}/documents"
            | "/students/{id}/documents/{document}"
            | "/students/{id}/binder.pdf",
        ) => crate::toolkit::matrix_request(client, method, path, student).await,
        _ => crate::records::matrix_request(client, method, path, student).await,
    }
}

/// A route no request function knows fails the matrix.
pub fn unknown_route(method: &Method, path: &str) -> ! {
    panic!(
        "the authorization matrix has no request for {method} {path}: add one here and check its policy"
    )
}

fn relation_for(role: Role) -> Option<Relation> {
    match role {
        Role::Parent => Some(Relation::Guardian),
        Role::Student => Some(Relation::SelfStudent),
        Role::CaseManager => Some(Relation::CaseManager),
        Role::Evaluator => Some(Relation::Evaluator),
        Role::Coordinator504 => Some(Relation::Coordinator504),
        Role::Teacher => Some(Relation::Teacher),
        Role::Provider => Some(Relation::Provider),
        Role::DistrictAdmin | Role::ComplianceViewer => None,
    }
}

type Check = fn(&Response) -> bool;

/// Let through by the gate: the handler answered (a form may still be refused with 422),
/// and it is neither a refusal nor a trip back to the sign-in page.
fn allowed(r: &Response) -> bool {
    !matches!(
        r.status,
        StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN | StatusCode::NOT_FOUND
    ) && !r.status.is_server_error()
        && !r.location().starts_with("/sign-in")
}

/// What the policy says the answer must be.
fn expected(policy: Policy, role: Role, whose: Whose, adult: bool) -> (&'static str, Check) {
    match policy {
        Policy::Public => ("any non-5xx", |r| !r.status.is_server_error()),
        // A fully signed-in caller is sent home from the second-factor step.
        Policy::SecondFactor => ("303 to /", |r| {
            r.status == StatusCode::SEE_OTHER && r.location() == "/"
        }),
        Policy::SignedIn => ("allowed", allowed),
        Policy::Roles(roles) if roles.contains(&role) => ("allowed", allowed),
        Policy::Roles(_) => ("403", |r| r.status == StatusCode::FORBIDDEN),
        // Sessions and API tokens are not Ed-Fi credentials.
        Policy::EdfiClient | Policy::EdfiToken => ("401", |r| r.status == StatusCode::UNAUTHORIZED),
        Policy::Student(actions) => {
            let relations: Vec<Relation> = match whose {
                Whose::Own => relation_for(role).into_iter().collect(),
                _ => Vec::new(),
            };
            let target = Target {
                district_id: if matches!(whose, Whose::OtherDistrict) {
                    2
                } else {
                    1
                },
                relations: &relations,
                rights_transferred: adult,
            };
            let actor = Actor {
                role,
                district_id: 1,
            };
            if actions.iter().any(|&a| decide(&actor, a, &target)) {
                ("allowed", allowed)
            } else if decide(&actor, domain::access::Action::ReadRecord, &target) {
                ("403", |r| r.status == StatusCode::FORBIDDEN)
            } else {
                ("404", |r| r.status == StatusCode::NOT_FOUND)
            }
        }
    }
}

#[tokio::test]
async fn every_route_every_role_every_student() {
    for app in TestApp::all() {
        let routes = web::routes::registry();
        let mut checked = 0;
        for &role in Role::ALL {
            let client = app.signed_in(role).await;
            let own = if role == Role::Student {
                app.students.sam
            } else {
                app.students.leo
            };
            for route in &routes {
                // The account-changing forms are sent with a wrong token; a signed-in caller
                // must meet the CSRF refusal, which proves the gate ran for them.
                let csrf_probe = matches!(
                    route.path,
                    "/account/two-step"
                        | "/account/two-step/confirm"
                        | "/account/recovery-codes"
                        | "/account/feed"
                        | "/account/feed/revoke"
                        | "/sign-out"
                );
                let cases: &[(Whose, i64)] = if route.path.contains("{id}") {
                    &[
                        (Whose::Own, own),
                        (Whose::SameDistrict, app.students.mia),
                        (Whose::OtherDistrict, app.students.zoe),
                    ]
                } else {
                    &[(Whose::Own, own)]
                };
                for &(whose, student) in cases {
                    let response = request(&client, &route.method, route.path, student).await;
                    let adult = student == app.students.sam;
                    let (what, ok) = if csrf_probe {
                        (
                            "403 (CSRF)",
                            (|r: &Response| r.status == StatusCode::FORBIDDEN) as Check,
                        )
                    } else {
                        expected(route.policy, role, whose, adult)
                    };
                    assert!(
                        ok(&response),
                        "{role} {} {} on {whose:?} student: expected {what}, got {} {}",
                        route.method,
                        route.path,
                        response.status,
                        response.location()
                    );
                    checked += 1;
                }
            }
        }
        assert!(checked > 300, "{checked} cells");
    }
}

#[tokio::test]
async fn anonymous_callers_reach_only_public_routes() {
    let app = TestApp::sqlite(false);
    let client = app.client();
    for route in web::routes::registry() {
        let status = request(&client, &route.method, route.path, app.students.leo)
            .await
            .status;
        match route.policy {
            Policy::Public => assert!(!status.is_server_error(), "{route:?}: {status}"),
            Policy::EdfiClient | Policy::EdfiToken => {
                assert_eq!(status, StatusCode::UNAUTHORIZED, "{route:?}")
            }
            _ if route.method != Method::GET => {
                // No session means no CSRF token to match (POST and PUT alike).
                assert_eq!(status, StatusCode::FORBIDDEN, "{route:?}")
            }
            _ if route.path.starts_with("/api/") => {
                assert_eq!(status, StatusCode::UNAUTHORIZED, "{route:?}")
            }
            _ => {
                assert_eq!(status, StatusCode::SEE_OTHER, "{route:?}");
            }
        }
    }
    let _ = Request::get("/").body(Body::empty());
}

#[test]
fn the_registry_has_no_duplicate_routes() {
    let routes = web::routes::registry();
    let mut seen = std::collections::HashSet::new();
    for route in &routes {
        assert!(
            seen.insert((route.method.clone(), route.path)),
            "{route:?} twice"
        );
    }
}
