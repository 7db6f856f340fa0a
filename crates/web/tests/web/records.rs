//! Case records over the real router: the ledger page against `law::ledger::compute` on a
//! hand-computed case, the goal decision against hand-computed data, 404 for another family's
//! child, 409 for stale edits, RTI events, and snapshots of the JSON answers.

use crate::app::{Client, Response, TestApp};
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use domain::Date;
use domain::people::Role;
use serde_json::{Value, json};

/// A Monday at least five weeks before today, so every test period has ended.
fn monday(app: &TestApp) -> Date {
    let today = app.clock.today();
    let back = i64::from(today.weekday().to_monday_zero_offset()) + 35;
    today.saturating_sub(jiff::Span::new().days(back))
}

fn day(m: Date, n: i64) -> String {
    m.saturating_add(jiff::Span::new().days(n)).to_string()
}

/// Gives the district a school year starting on `m` with the next Monday closed.
fn set_calendar(app: &TestApp, m: Date) {
    let calendar: domain::calendar::CalendarSpec = serde_json::from_value(json!({
        "school_years": [{"first_day": day(m, 0), "last_day": day(m, 300),
            "closed": [{"from": day(m, 7), "to": day(m, 7), "label": "Holiday"}]}]
    }))
    .unwrap();
    let district = app.district;
    app.with_conn(move |conn| store::districts::set_calendar(conn, district, &calendar).unwrap());
}

pub(crate) async fn put_json(client: &Client<'_>, path: &str, body: &Value) -> Response {
    let mut request = Request::builder()
        .method(Method::PUT)
        .uri(path)
        .header(header::CONTENT_TYPE, "application/json");
    if client.bearer.is_none() && client.has_cookie("__Host-iep504") {
        request = request.header("x-csrf-token", client.csrf().await);
    }
    client
        .send(request.body(Body::from(body.to_string())).unwrap())
        .await
}

/// Replaces ids and dates, which vary per run, so snapshots are stable.
fn redacted(mut value: Value) -> Value {
    fn walk(v: &mut Value) {
        match v {
            Value::Object(map) => {
                for (key, inner) in map.iter_mut() {
                    if (key == "id" || key.ends_with("_id") || key == "service")
                        && inner.is_number()
                        || key == "id" && inner.is_string()
                    {
                        *inner = json!("[id]");
                    } else {
                        walk(inner);
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(walk),
            Value::String(s) if s.parse::<Date>().is_ok() => *v = json!("[date]"),
            _ => {}
        }
    }
    walk(&mut value);
    value
}

fn speech(m: Date) -> Value {
    json!({"name": "Speech therapy", "provider_role": "speech_language_pathologist",
           "minutes": 60, "per": "week", "setting": "Speech room",
           "start": day(m, 1), "end": day(m, 18)})
}

fn flat_goal(m: Date) -> Value {
    json!({"description": "Reads grade-level passages aloud", "measure": "Words correct per minute",
           "baseline": {"on": day(m, 0), "value": 10}, "target": {"on": day(m, 91), "value": 40},
           "direction": "increase", "criterion": "3 of 4 weekly probes"})
}

/// The matrix's request for a case-record route: sub-records are created first for the
/// student in the path, so an allowed caller reaches the handler rather than a missing goal.
pub async fn matrix_request(
    client: &Client<'_>,
    method: &Method,
    path: &str,
    student: i64,
) -> Response {
    let app = client.app;
    let m = monday(app);
    let (service, goal, intervention) = app.with_conn(move |conn| {
        let s = store::students::get_student(conn, student).unwrap();
        conn.transaction(|tx| {
            let service = store::services::add_service(
                tx,
                s.district_id,
                s.id,
                &store::services::NewService {
                    name: "Speech".into(),
                    provider_role: "speech_language_pathologist".into(),
                    minutes: 60,
                    per: law::ledger::Per::Week,
                    setting: "Room".into(),
                    start: m,
                    end: m.saturating_add(jiff::Span::new().days(30)),
                },
                None,
            )?;
            let goal = store::goals::add_goal(
                tx,
                s.district_id,
                s.id,
                &store::goals::NewGoal {
                    description: "Goal".into(),
                    measure: "WCPM".into(),
                    baseline: Default::default(),
                    target: Default::default(),
                    direction: law::progress::Direction::Increase,
                    criterion: String::new(),
                },
                None,
            )?;
            let intervention = store::rti::add_intervention(
                tx,
                s.district_id,
                s.id,
                &store::rti::NewIntervention {
                    tier: 2,
                    program: "Reading".into(),
                    frequency: "daily".into(),
                    minutes: 30,
                    group_size: 3,
                    owner: "Ms. T".into(),
                    start: m,
                },
                None,
            )?;
            Ok((service.id, goal.id, intervention.id))
        })
        .unwrap()
    });
    let concrete = path
        .replace("{id}", &student.to_string())
        .replace("{service}", &service.to_string())
        .replace("{goal}", &goal.to_string())
        .replace("{intervention}", &intervention.to_string());
    let on = day(m, 2);
    match (method.as_str(), path) {
        (
            "GET",
            "/sessions"
            | "/compliance/services"
            | "/students/{id}/services"
            | "/students/{id}/goals"
            | "/students/{id}/goals/{goal}"
            | "/students/{id}/interventions"
            | "/api/v1/students/{id}/services"
            | "/api/v1/students/{id}/sessions"
            | "/api/v1/students/{id}/ledger"
            | "/api/v1/students/{id}/goals"
            | "/api/v1/students/{id}/interventions",
        ) => client.get(&concrete).await,
        // Not measurable (no baseline) answers 422 to a caller who may read it.
        ("GET", "/api/v1/students/{id}/goals/{goal}/progress") => client.get(&concrete).await,
        (
            "POST",
            "/students/{id}/services"
            | "/students/{id}/goals"
            | "/students/{id}/interventions"
            | "/students/{id}/interventions/{intervention}/probes",
        ) => client.post_form(&concrete, &[("name", "")]).await,
        ("POST", "/students/{id}/sessions") => {
            client
                .post_form(
                    &concrete,
                    &[
                        ("service", &service.to_string()),
                        ("on", &on),
                        ("minutes", "30"),
                        ("status", "delivered"),
                    ],
                )
                .await
        }
        ("POST", "/students/{id}/goals/{goal}/points") => {
            client
                .post_form(&concrete, &[("on", &on), ("value", "12")])
                .await
        }
        ("POST", "/students/{id}/interventions/{intervention}/end") => {
            client
                .post_form(&concrete, &[("on", &on), ("revision", "1")])
                .await
        }
        ("POST", "/api/v1/students/{id}/services") => {
            client.post_json(&concrete, &speech(m), &[]).await
        }
        ("PUT", "/api/v1/students/{id}/services/{service}") => {
            let mut body = speech(m);
            body["revision"] = json!(1);
            put_json(client, &concrete, &body).await
        }
        ("POST", "/api/v1/students/{id}/sessions") => {
            let body = json!({"service": service, "on": on, "minutes": 30, "status": "delivered"});
            client.post_json(&concrete, &body, &[]).await
        }
        ("POST", "/api/v1/students/{id}/goals") => {
            client.post_json(&concrete, &flat_goal(m), &[]).await
        }
        ("PUT", "/api/v1/students/{id}/goals/{goal}") => {
            let mut body = flat_goal(m);
            body["revision"] = json!(1);
            put_json(client, &concrete, &body).await
        }
        ("POST", "/api/v1/students/{id}/goals/{goal}/points") => {
            let body = json!({"on": on, "value": 12});
            client.post_json(&concrete, &body, &[]).await
        }
        ("POST", "/api/v1/students/{id}/interventions") => {
            let body = json!({"tier": 2, "program": "Reading", "frequency": "daily",
                "minutes": 30, "group_size": 3, "owner": "Ms. T", "start": on});
            client.post_json(&concrete, &body, &[]).await
        }
        ("POST", "/api/v1/students/{id}/interventions/{intervention}/end") => {
            let body = json!({"on": on, "revision": 1});
            client.post_json(&concrete, &body, &[]).await
        }
        ("POST", "/api/v1/students/{id}/interventions/{intervention}/probes") => {
            let body = json!({"on": on, "score": 14});
            client.post_json(&concrete, &body, &[]).await
        }
        ("GET", "/students/{id}/progress-reports/{report}") => {
            crate::progress_reports::matrix_request(client, path, student).await
        }
        _ => crate::evaluations::matrix_request(client, method, path, student).await,
    }
}

#[tokio::test]
async fn the_ledger_matches_law_ledger_compute_on_a_hand_computed_case() {
    for app in TestApp::all() {
        let m = monday(&app);
        set_calendar(&app, m);
        let leo = app.students.leo;
        let manager = app.with_token(Role::CaseManager);
        let created = manager
            .post_json(&format!("/api/v1/students/{leo}/services"), &speech(m), &[])
            .await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        let service = created.json()["id"].as_i64().unwrap();
        let provider = app.with_token(Role::Provider);
        for (n, minutes, status) in [
            (2, 30, "delivered"),
            (9, 30, "provider_absent"),
            (15, 30, "delivered"),
            (17, 30, "student_absent"),
            (18, 45, "make_up"),
        ] {
            let body =
                json!({"service": service, "on": day(m, n), "minutes": minutes, "status": status});
            let logged = provider
                .post_json(&format!("/api/v1/students/{leo}/sessions"), &body, &[])
                .await;
            assert_eq!(logged.status, StatusCode::CREATED, "{}", logged.body);
        }
        // Week 1: 4 of 5 school days in service → 48, 30 given → 18 owed. Week 2: the Monday
        // is closed, 4 of 4 days → 60, provider absent → 60 owed. Week 3: 60, 30 given + 30
        // excused → 0. The make-up (45) repays week 1 (18) and 27 of week 2: 33 still owed.
        let ledger = provider
            .get(&format!("/api/v1/students/{leo}/ledger"))
            .await
            .json();
        let line = &ledger["services"][0];
        assert_eq!(
            [
                &line["mandated"],
                &line["delivered"],
                &line["owed"],
                &line["made_up"],
                &line["balance"]
            ],
            [&json!(168), &json!(60), &json!(78), &json!(45), &json!(33)]
        );
        let input = app.with_conn(move |conn| {
            let district = store::students::get_student(conn, leo).unwrap().district_id;
            let calendar = store::districts::get_district(conn, district)
                .unwrap()
                .calendar;
            store::services::ledger_input(conn, leo, &calendar).unwrap()
        });
        let computed = law::ledger::compute(&input, app.clock.today());
        assert_eq!(
            line["periods"],
            serde_json::to_value(&computed.services[0].periods).unwrap()
        );

        let parent = app.signed_in(Role::Parent).await;
        let page = parent.get(&format!("/students/{leo}/services")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body
                .contains("The school owes Leo 33 minutes of Speech therapy."),
            "{}",
            page.body
        );
        assert!(page.body.contains("<strong>33</strong>"));
        assert!(
            !page.body.contains("id=\"log-session\""),
            "parents only read"
        );
        insta::assert_json_snapshot!("ledger", redacted(ledger));

        let admin = app.signed_in(Role::DistrictAdmin).await;
        let debts = admin.get("/compliance/services").await;
        assert!(debts.body.contains("Leo Rivera"), "{}", debts.body);
    }
}

#[tokio::test]
async fn the_goal_page_shows_the_decision_the_data_gives() {
    for app in TestApp::all() {
        let m = monday(&app);
        let leo = app.students.leo;
        let manager = app.with_token(Role::CaseManager);
        let goal = manager
            .post_json(&format!("/api/v1/students/{leo}/goals"), &flat_goal(m), &[])
            .await;
        assert_eq!(goal.status, StatusCode::CREATED, "{}", goal.body);
        let goal = goal.json()["id"].as_i64().unwrap();
        // Aim: 10 → 40 over 13 weeks. Four flat points at 10 all sit below the aim line:
        // the four-point rule says change the intervention.
        let provider = app.signed_in(Role::Provider).await;
        for n in [7, 14, 21, 28] {
            let added = provider
                .post_form(
                    &format!("/students/{leo}/goals/{goal}/points"),
                    &[("on", &day(m, n)), ("value", "10")],
                )
                .await;
            assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
        }
        let progress = manager
            .get(&format!("/api/v1/students/{leo}/goals/{goal}/progress"))
            .await
            .json();
        assert_eq!(progress["decision"], "change_intervention");
        assert_eq!(progress["rule"], "four_point");
        assert_eq!(progress["aim_slope_per_week"], 2.308);
        insta::assert_json_snapshot!("progress", redacted(progress));

        let parent = app.signed_in(Role::Parent).await;
        let page = parent.get(&format!("/students/{leo}/goals/{goal}")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body.contains("Change the intervention"),
            "{}",
            page.body
        );
        assert!(page.body.contains("role=\"img\""));
        assert!(page.body.contains("<th scope=\"col\">"));

        let vague = manager
            .post_json(
                &format!("/api/v1/students/{leo}/goals"),
                &json!({"description": "Will improve reading", "direction": "increase"}),
                &[],
            )
            .await
            .json();
        assert_eq!(vague["measurable"], false);
        let list = parent.get(&format!("/students/{leo}/goals")).await;
        assert!(
            list.body.contains(
                "Not measurable: no measure, no baseline, no target value, no target date"
            ),
            "{}",
            list.body
        );
        let goals = manager.get(&format!("/api/v1/students/{leo}/goals")).await;
        insta::assert_json_snapshot!("goals", redacted(goals.json()));

        // The family's progress report over both goals, as a PDF, logged as a read.
        assert!(
            list.body
                .contains(&format!("/students/{leo}/goals/report.pdf"))
        );
        let pdf = parent
            .get(&format!("/students/{leo}/goals/report.pdf?lang=es"))
            .await;
        assert_eq!(pdf.status, StatusCode::OK);
        assert_eq!(
            pdf.headers[axum::http::header::CONTENT_TYPE],
            "application/pdf"
        );
        assert!(pdf.body.starts_with("%PDF-"));
        let printed = app.with_conn(|c| store::access_log::for_student(c, leo).unwrap());
        assert!(printed.iter().any(|e| e.action == "print_progress_report"));
        let bad = parent
            .get(&format!("/students/{leo}/goals/report.pdf?lang=fr"))
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
}

#[tokio::test]
async fn another_familys_child_has_no_records_to_see() {
    for app in TestApp::all() {
        let parent = app.with_token(Role::Parent);
        let mia = app.students.mia;
        for what in ["services", "sessions", "ledger", "goals", "interventions"] {
            let other = parent.get(&format!("/api/v1/students/{mia}/{what}")).await;
            let missing = parent.get(&format!("/api/v1/students/999999/{what}")).await;
            assert_eq!(other.status, StatusCode::NOT_FOUND, "{what}");
            assert_eq!(other.body, missing.body, "{what}");
            assert_eq!(other.headers["content-type"], "application/problem+json");
        }
        // A goal id of another student is not found under this one.
        let m = monday(&app);
        let admin = app.with_token(Role::DistrictAdmin);
        let goal = admin
            .post_json(&format!("/api/v1/students/{mia}/goals"), &flat_goal(m), &[])
            .await
            .json()["id"]
            .as_i64()
            .unwrap();
        let leo = app.students.leo;
        let crossed = admin
            .get(&format!("/api/v1/students/{leo}/goals/{goal}/progress"))
            .await;
        assert_eq!(crossed.status, StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn stale_edits_of_goals_and_services_are_409() {
    for app in TestApp::all() {
        let m = monday(&app);
        let leo = app.students.leo;
        let manager = app.with_token(Role::CaseManager);
        let service = manager
            .post_json(&format!("/api/v1/students/{leo}/services"), &speech(m), &[])
            .await
            .json();
        assert_eq!(service["revision"], 1);
        let path = format!("/api/v1/students/{leo}/services/{}", service["id"]);
        let mut edit = speech(m);
        edit["minutes"] = json!(90);
        edit["revision"] = json!(1);
        let first = put_json(&manager, &path, &edit).await;
        assert_eq!(first.status, StatusCode::OK, "{}", first.body);
        assert_eq!(first.json()["revision"], 2);
        let stale = put_json(&manager, &path, &edit).await;
        assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
        assert_eq!(stale.headers["content-type"], "application/problem+json");

        let goal = manager
            .post_json(&format!("/api/v1/students/{leo}/goals"), &flat_goal(m), &[])
            .await
            .json();
        let path = format!("/api/v1/students/{leo}/goals/{}", goal["id"]);
        let mut edit = flat_goal(m);
        edit["revision"] = json!(1);
        assert_eq!(
            put_json(&manager, &path, &edit).await.status,
            StatusCode::OK
        );
        assert_eq!(
            put_json(&manager, &path, &edit).await.status,
            StatusCode::CONFLICT
        );
    }
}

#[tokio::test]
async fn rti_writes_its_events_and_warns_when_an_evaluation_request_waits() {
    for app in TestApp::all() {
        let m = monday(&app);
        let leo = app.students.leo;
        let manager = app.with_token(Role::CaseManager);
        let body = json!({"tier": 2, "program": "Phonics group", "frequency": "4 times a week",
            "minutes": 30, "group_size": 4, "owner": "Ms. Lee", "start": day(m, 0)});
        let started = manager
            .post_json(&format!("/api/v1/students/{leo}/interventions"), &body, &[])
            .await;
        assert_eq!(started.status, StatusCode::CREATED, "{}", started.body);
        let request = json!({"id": "req", "kind": "evaluation_requested", "on": day(m, 3),
            "by": "parent", "written": true});
        let parent = app.with_token(Role::Parent);
        let asked = parent
            .post_json(&format!("/api/v1/students/{leo}/events"), &request, &[])
            .await;
        assert_eq!(asked.status, StatusCode::CREATED, "{}", asked.body);
        let events = manager
            .get(&format!("/api/v1/students/{leo}/events"))
            .await
            .json();
        let kinds: Vec<&str> = events["events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["kind"].as_str().unwrap())
            .collect();
        assert!(kinds.contains(&"rti_started"), "{kinds:?}");

        let page = app
            .signed_in(Role::Parent)
            .await
            .get(&format!("/students/{leo}"))
            .await;
        assert!(page.body.contains("OSEP Memo 11-07"), "{}", page.body);

        let id = started.json()["id"].as_i64().unwrap();
        let ended = manager
            .post_json(
                &format!("/api/v1/students/{leo}/interventions/{id}/end"),
                &json!({"on": day(m, 20), "revision": 1}),
                &[],
            )
            .await;
        assert_eq!(ended.status, StatusCode::OK, "{}", ended.body);
        let again = manager
            .post_json(
                &format!("/api/v1/students/{leo}/interventions/{id}/end"),
                &json!({"on": day(m, 21), "revision": 1}),
                &[],
            )
            .await;
        assert_eq!(again.status, StatusCode::CONFLICT);
        let listed = manager
            .get(&format!("/api/v1/students/{leo}/interventions"))
            .await;
        insta::assert_json_snapshot!("interventions", redacted(listed.json()));
    }
}

#[tokio::test]
async fn sessions_are_validated_on_the_server() {
    for app in TestApp::all() {
        let m = monday(&app);
        let leo = app.students.leo;
        let manager = app.with_token(Role::CaseManager);
        let service = manager
            .post_json(&format!("/api/v1/students/{leo}/services"), &speech(m), &[])
            .await
            .json()["id"]
            .as_i64()
            .unwrap();
        let provider = app.signed_in(Role::Provider).await;
        let tomorrow = app
            .clock
            .today()
            .saturating_add(jiff::Span::new().days(1))
            .to_string();
        let refused = provider
            .post_form(
                &format!("/students/{leo}/sessions"),
                &[
                    ("service", &service.to_string()),
                    ("on", &tomorrow),
                    ("minutes", "0"),
                    ("status", "delivered"),
                ],
            )
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            refused
                .body
                .contains("Enter a date that is not in the future.")
        );
        assert!(refused.body.contains("href=\"#f-minutes\""));
        let mine = provider.get("/sessions").await;
        assert_eq!(mine.status, StatusCode::OK);
        assert!(
            mine.body
                .contains(&format!("/students/{leo}/services#log-session"))
        );
    }
}

#[test]
fn english_and_spanish_records_catalogues_have_the_same_messages() {
    let [(_, en), (_, es)] = web::i18n::RECORDS_SOURCES;
    assert_eq!(web::i18n::message_ids(en), web::i18n::message_ids(es));
}
