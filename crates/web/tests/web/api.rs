//! The JSON API: visibility, 404 for records the caller may not see, events with client ids
//! and idempotency keys, the record of access, and the OpenAPI document.

use crate::app::TestApp;
use axum::http::StatusCode;
use domain::people::Role;
use serde_json::json;

fn consent(id: &str, on: &str) -> serde_json::Value {
    json!({"id": id, "kind": "consent_received", "on": on, "for": "initial_evaluation"})
}

#[tokio::test]
async fn callers_list_only_the_students_they_may_see() {
    for app in TestApp::all() {
        let parent = app.with_token(Role::Parent).get("/api/v1/students").await;
        assert_eq!(parent.status, StatusCode::OK);
        insta::assert_json_snapshot!("parent_students", parent.json());

        let admin = app
            .with_token(Role::DistrictAdmin)
            .get("/api/v1/students?limit=2")
            .await
            .json();
        let names: Vec<&str> = admin["students"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["first_name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["Mia", "Sam"], "by last name, two per page");
        assert_eq!(admin["next_offset"], 2);
        let rest = app
            .with_token(Role::DistrictAdmin)
            .get("/api/v1/students?limit=2&offset=2")
            .await
            .json();
        assert_eq!(rest["students"][0]["first_name"], "Leo");
        assert_eq!(rest["next_offset"], serde_json::Value::Null);

        // An adult student's parent no longer sees the record; the student does.
        let student = app
            .with_token(Role::Student)
            .get("/api/v1/students")
            .await
            .json();
        assert_eq!(student["students"][0]["first_name"], "Sam");
    }
}

#[tokio::test]
async fn another_familys_child_is_not_found_exactly_like_a_missing_one() {
    for app in TestApp::all() {
        let parent = app.with_token(Role::Parent);
        let other = parent
            .get(&format!("/api/v1/students/{}", app.students.mia))
            .await;
        let missing = parent.get("/api/v1/students/999999").await;
        assert_eq!(other.status, StatusCode::NOT_FOUND);
        assert_eq!(other.body, missing.body);
        assert_eq!(other.headers["content-type"], "application/problem+json");
        let own = parent
            .get(&format!("/api/v1/students/{}", app.students.leo))
            .await;
        assert_eq!(own.status, StatusCode::OK);
        let mut own = own.json();
        own["id"] = json!("[id]");
        insta::assert_json_snapshot!("student", own);
        // Other district: not found even for the district admin.
        let admin = app.with_token(Role::DistrictAdmin);
        let zoe = admin
            .get(&format!("/api/v1/students/{}", app.students.zoe))
            .await;
        assert_eq!(zoe.status, StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn events_are_appended_with_client_ids_and_conflicts_are_409() {
    for app in TestApp::all() {
        let cm = app.with_token(Role::CaseManager);
        let path = format!("/api/v1/students/{}/events", app.students.leo);
        let created = cm.post_json(&path, &consent("e1", "2026-09-08"), &[]).await;
        assert_eq!(created.status, StatusCode::CREATED);
        insta::assert_json_snapshot!("created_event", created.json());
        let same = cm.post_json(&path, &consent("e1", "2026-09-08"), &[]).await;
        assert_eq!(same.status, StatusCode::OK);
        let different = cm.post_json(&path, &consent("e1", "2026-09-09"), &[]).await;
        assert_eq!(different.status, StatusCode::CONFLICT);
        assert_eq!(
            different.headers["content-type"],
            "application/problem+json"
        );
        let bad = cm
            .post_json(&path, &json!({"kind": "nope", "on": "2026-09-08"}), &[])
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            bad.json()["detail"]
                .as_str()
                .unwrap()
                .contains("case-file shape")
        );
        let listed = cm.get(&path).await.json();
        insta::assert_json_snapshot!("events", listed);
    }
}

#[tokio::test]
async fn an_idempotency_key_replays_the_first_answer() {
    for app in TestApp::all() {
        let cm = app.with_token(Role::CaseManager);
        let path = format!("/api/v1/students/{}/events", app.students.leo);
        let event = json!({"id": "", "kind": "records_requested", "on": "2026-10-01"});
        let key = [("Idempotency-Key", "retry-1")];
        let first = cm.post_json(&path, &event, &key).await;
        assert_eq!(first.status, StatusCode::CREATED);
        let retry = cm.post_json(&path, &event, &key).await;
        assert_eq!(retry.status, StatusCode::CREATED);
        assert_eq!(retry.body, first.body, "the same server-chosen id");
        let events = cm.get(&path).await.json();
        assert_eq!(events["events"].as_array().unwrap().len(), 1);
        let reused = cm
            .post_json(
                &path,
                &json!({"id": "", "kind": "records_provided", "on": "2026-10-02"}),
                &key,
            )
            .await;
        assert_eq!(reused.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
}

#[tokio::test]
async fn parents_add_only_the_events_they_originate() {
    let app = TestApp::sqlite(false);
    let parent = app.with_token(Role::Parent);
    let path = format!("/api/v1/students/{}/events", app.students.leo);
    let request = json!({"id": "", "kind": "evaluation_requested", "on": "2026-09-01", "by": "parent", "written": true});
    assert_eq!(
        parent.post_json(&path, &request, &[]).await.status,
        StatusCode::CREATED
    );
    let meeting =
        json!({"id": "", "kind": "iep_meeting_held", "on": "2026-09-01", "purpose": "annual"});
    assert_eq!(
        parent.post_json(&path, &meeting, &[]).await.status,
        StatusCode::FORBIDDEN
    );
    // Teachers read but do not write the case.
    let teacher = app.with_token(Role::Teacher);
    assert_eq!(
        teacher.post_json(&path, &request, &[]).await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn every_read_is_written_to_the_record_of_access() {
    for app in TestApp::all() {
        let leo = app.students.leo;
        app.with_token(Role::Teacher)
            .get(&format!("/api/v1/students/{leo}"))
            .await;
        app.with_token(Role::CaseManager)
            .get(&format!("/api/v1/students/{leo}/events"))
            .await;
        app.with_token(Role::CaseManager)
            .get(&format!("/api/v1/students/{leo}/obligations"))
            .await;
        // A refused read leaves no entry.
        app.with_token(Role::Parent)
            .get(&format!("/api/v1/students/{}", app.students.mia))
            .await;
        let log = app
            .with_token(Role::Parent)
            .get(&format!("/api/v1/students/{leo}/access-log"))
            .await;
        assert_eq!(log.status, StatusCode::OK);
        let mut entries = log.json()["entries"].clone();
        for entry in entries.as_array_mut().unwrap() {
            assert!(
                entry["at"]
                    .as_str()
                    .unwrap()
                    .parse::<jiff::Timestamp>()
                    .is_ok()
            );
            entry["at"] = json!("[at]");
        }
        insta::assert_json_snapshot!("access_log", entries);
        // The read of the log is itself logged, committed before the answer left the server
        // (so it shows from the next read on).
        let leo_log = app.with_conn(|c| store::access_log::for_student(c, leo).unwrap());
        assert_eq!(leo_log.last().unwrap().action, "read_access_log");
        let mia = app.with_conn(|c| store::access_log::for_student(c, app.students.mia).unwrap());
        assert!(mia.is_empty());
        assert!(matches!(
            app.with_conn(|c| store::access_log::verify(c).unwrap()),
            store::access_log::Verdict::Intact { .. }
        ));
        // Teachers may not read the record of access.
        let teacher = app
            .with_token(Role::Teacher)
            .get(&format!("/api/v1/students/{leo}/access-log"))
            .await;
        assert_eq!(teacher.status, StatusCode::FORBIDDEN);
    }
}

#[tokio::test]
async fn obligations_are_computed_with_citations_and_the_projection_refreshed_in_the_same_write() {
    for app in TestApp::all() {
        let leo = app.students.leo;
        let consent_on = app.clock.today().saturating_sub(jiff::Span::new().days(70));
        let cm = app.with_token(Role::CaseManager);
        let path = format!("/api/v1/students/{leo}/events");
        let created = cm
            .post_json(&path, &consent("c1", &consent_on.to_string()), &[])
            .await;
        assert_eq!(created.status, StatusCode::CREATED);
        let body = app
            .with_token(Role::Parent)
            .get(&format!("/api/v1/students/{leo}/obligations"))
            .await
            .json();
        let first = &body["obligations"][0];
        assert_eq!(first["kind"], "initial_evaluation");
        assert_eq!(first["status"], "overdue");
        assert_eq!(first["triggered_by"], "c1");
        assert!(
            first["citation"].as_str().unwrap().contains("300.301"),
            "{first}"
        );
        assert!(!first["explanation"].as_array().unwrap().is_empty());
        let projected = app.with_conn(|c| store::dashboard::student_obligations(c, leo).unwrap());
        assert_eq!(projected[0].kind, "initial_evaluation");
    }
}

#[tokio::test]
async fn a_wrong_bearer_token_is_401() {
    let app = TestApp::sqlite(false);
    let mut client = app.client();
    client.bearer = Some("not-a-token".into());
    let response = client.get("/api/v1/students").await;
    assert_eq!(response.status, StatusCode::UNAUTHORIZED);
    assert_eq!(response.headers["www-authenticate"], "Bearer");
}

#[test]
fn the_openapi_document_describes_exactly_the_api_routes() {
    let mut routes: Vec<(String, String)> = web::routes::registry()
        .iter()
        .filter(|r| r.path.starts_with("/api/"))
        .map(|r| (r.method.to_string(), r.path.to_owned()))
        .collect();
    routes.sort();
    assert_eq!(web::openapi::operations(), routes);
    let doc: serde_json::Value = serde_json::from_str(web::openapi::DOCUMENT).unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    insta::assert_json_snapshot!("openapi", doc);
}

#[tokio::test]
async fn concurrent_writers_all_succeed() {
    use tower::ServiceExt;
    for app in TestApp::all() {
        let _token = app.with_token(Role::CaseManager);
        let path = format!("/api/v1/students/{}/events", app.students.leo);
        let mut tasks = tokio::task::JoinSet::new();
        for i in 0..12 {
            let router = app.router.clone();
            let request = axum::http::Request::post(&path)
                .header("content-type", "application/json")
                .header("authorization", "Bearer token-case_manager")
                .body(axum::body::Body::from(
                    json!({"id": format!("c{i}"), "kind": "records_requested", "on": "2026-10-01"})
                        .to_string(),
                ))
                .unwrap();
            tasks.spawn(async move { router.oneshot(request).await.unwrap().status() });
        }
        while let Some(status) = tasks.join_next().await {
            assert_eq!(status.unwrap(), StatusCode::CREATED);
        }
        let events = app.with_conn(|c| store::events::list(c, app.students.leo).unwrap());
        assert_eq!(events.len(), 12);
    }
}

#[tokio::test]
async fn concurrent_retries_with_one_key_write_once() {
    use tower::ServiceExt;
    for app in TestApp::all() {
        let _token = app.with_token(Role::CaseManager);
        let path = format!("/api/v1/students/{}/events", app.students.leo);
        let body = json!({"id": "", "kind": "records_requested", "on": "2026-10-01"}).to_string();
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..6 {
            let router = app.router.clone();
            let request = axum::http::Request::post(&path)
                .header("content-type", "application/json")
                .header("authorization", "Bearer token-case_manager")
                .header("idempotency-key", "same-key")
                .body(axum::body::Body::from(body.clone()))
                .unwrap();
            tasks.spawn(async move {
                let response = router.oneshot(request).await.unwrap();
                let status = response.status();
                let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
                    .await
                    .unwrap();
                (status, bytes)
            });
        }
        let mut answers = Vec::new();
        while let Some(answer) = tasks.join_next().await {
            answers.push(answer.unwrap());
        }
        assert!(answers.iter().all(|a| *a == answers[0]), "{answers:?}");
        assert_eq!(answers[0].0, StatusCode::CREATED);
        let events = app.with_conn(|c| store::events::list(c, app.students.leo).unwrap());
        assert_eq!(events.len(), 1);
    }
}

#[tokio::test]
async fn framework_rejections_are_problem_documents_too() {
    let app = TestApp::sqlite(false);
    let client = app.with_token(Role::Parent);
    let bad_query = client.get("/api/v1/students?limit=lots").await;
    assert_eq!(bad_query.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        bad_query.headers["content-type"],
        "application/problem+json"
    );
    assert!(
        bad_query.json()["detail"]
            .as_str()
            .unwrap()
            .contains("limit")
    );
    let wrong_method = client
        .send(
            axum::http::Request::delete("/api/v1/students")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(wrong_method.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(wrong_method.json()["status"], 405);
}
