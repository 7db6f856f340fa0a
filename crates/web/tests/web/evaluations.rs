//! Evaluations over the real router: an evaluator records each step from the web forms and the
//! timeline and deadlines follow; a decision the rules refuse comes back with its citation and
//! a linked field; a prior written notice is drafted from a refusal, completed (a stale save is
//! 409 with the current version), sent and printed in both languages; the JSON API answers the
//! same, a parent may only answer consent; and the authorization matrix's requests.

use crate::app::{Client, Response, TestApp};
use axum::http::{Method, StatusCode};
use domain::people::Role;
use serde_json::{Value, json};

fn days_ago(app: &TestApp, n: i64) -> String {
    app.clock
        .today()
        .saturating_sub(jiff::Span::new().days(n))
        .to_string()
}

/// A draft notice (all contents but the last two empty) for the matrix's `{notice}`.
fn seed_notice(app: &TestApp, student: i64) -> i64 {
    app.with_conn(move |conn| {
        let s = store::students::get_student(conn, student).unwrap();
        conn.transaction(|tx| {
            store::evaluations::add_notice(
                tx,
                s.district_id,
                s.id,
                None,
                &domain::evaluation::PriorWrittenNotice {
                    action: domain::event::NoticeAction::Refuse,
                    subject: domain::event::NoticeSubject::Evaluation,
                    contents: Default::default(),
                },
                None,
            )
        })
        .unwrap()
        .id
    })
}

/// A referral for the matrix's `{step}`.
fn seed_step(app: &TestApp, student: i64) -> i64 {
    app.with_conn(move |conn| {
        let s = store::students::get_student(conn, student).unwrap();
        conn.transaction(|tx| {
            store::evaluations::add_step(
                tx,
                s.district_id,
                s.id,
                "2026-09-01".parse().unwrap(),
                &domain::evaluation::Step::Referral(domain::evaluation::Referral {
                    by: domain::event::Requester::Parent,
                    requester: "Rosa".into(),
                    written: true,
                    concerns: String::new(),
                }),
                None,
            )
        })
        .unwrap()
        .id
    })
}

pub async fn matrix_request(
    client: &Client<'_>,
    method: &Method,
    path: &str,
    student: i64,
) -> Response {
    let app = client.app;
    let notice = seed_notice(app, student);
    let step = seed_step(app, student);
    let concrete = path
        .replace("{id}", &student.to_string())
        .replace("{notice}", &notice.to_string())
        .replace("{step}", &step.to_string());
    let future = app
        .clock
        .today()
        .saturating_add(jiff::Span::new().days(3))
        .to_string();
    match (method.as_str(), path) {
        (
            "GET",
            "/students/{id}/evaluations"
            | "/students/{id}/notices/{notice}"
            | "/api/v1/students/{id}/evaluations"
            | "/api/v1/students/{id}/notices",
        ) => client.get(&concrete).await,
        // The draft is incomplete: a caller who may read it meets the 422 of the renderer.
        ("GET", "/students/{id}/notices/{notice}/pdf") => client.get(&concrete).await,
        // A consent answer dated in the future: 422 for whoever may record one.
        ("POST", "/students/{id}/evaluations") => {
            client
                .post_form(
                    &concrete,
                    &[
                        ("step", "consent_answer"),
                        ("on", &future),
                        ("for", "initial_evaluation"),
                        ("given", "yes"),
                    ],
                )
                .await
        }
        ("POST", "/api/v1/students/{id}/evaluations") => {
            let body = json!({"step": "consent_answer", "on": future,
                "for": "initial_evaluation", "given": true});
            client.post_json(&concrete, &body, &[]).await
        }
        // A correction dated in the future: 422 for whoever may correct a step.
        ("POST", "/students/{id}/evaluations/{step}/correct") => {
            client
                .post_form(
                    &concrete,
                    &[
                        ("step", "referral"),
                        ("on", &future),
                        ("by", "parent"),
                        ("requester", "Rosa"),
                        ("written", "yes"),
                        ("reason", "Wrong date"),
                    ],
                )
                .await
        }
        ("POST", "/api/v1/students/{id}/evaluations/{step}/corrections") => {
            let body = json!({"step": "referral", "on": future, "by": "parent",
                "requester": "Rosa", "written": true, "reason": "Wrong date"});
            client.post_json(&concrete, &body, &[]).await
        }
        ("POST", "/students/{id}/notices") => client.post_form(&concrete, &[]).await,
        ("POST", "/students/{id}/notices/{notice}") => {
            client
                .post_form(&concrete, &[("revision", "1"), ("proposal", "x")])
                .await
        }
        ("POST", "/students/{id}/notices/{notice}/send") => {
            client
                .post_form(&concrete, &[("revision", "1"), ("on", &future)])
                .await
        }
        ("POST", "/api/v1/students/{id}/notices") => {
            client
                .post_json(&concrete, &json!({"action": "propose"}), &[])
                .await
        }
        ("PUT", "/api/v1/students/{id}/notices/{notice}") => {
            let request = axum::http::Request::builder()
                .method(Method::PUT)
                .uri(&concrete)
                .header("content-type", "application/json");
            let request = if client.bearer.is_none() && client.has_cookie("__Host-iep504") {
                request.header("x-csrf-token", client.csrf().await)
            } else {
                request
            };
            client
                .send(
                    request
                        .body(axum::body::Body::from(
                            json!({"revision": 1, "proposal": "x"}).to_string(),
                        ))
                        .unwrap(),
                )
                .await
        }
        ("POST", "/api/v1/students/{id}/notices/{notice}/send") => {
            client
                .post_json(&concrete, &json!({"revision": 1}), &[])
                .await
        }
        _ => crate::plans::matrix_request(client, method, path, student).await,
    }
}

/// Replaces ids, dates and timestamps, which vary per run and database, so snapshots are stable.
fn redacted(mut value: Value) -> Value {
    fn walk(v: &mut Value) {
        match v {
            Value::Object(map) => {
                for (key, inner) in map.iter_mut() {
                    if (key == "id" || key.ends_with("_id") || key == "created_at")
                        && !inner.is_null()
                    {
                        *inner = json!("[redacted]");
                    } else {
                        walk(inner);
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(walk),
            Value::String(s) if s.parse::<domain::Date>().is_ok() => *v = json!("[date]"),
            _ => {}
        }
    }
    walk(&mut value);
    value
}

fn kinds(events: &Value) -> Vec<String> {
    events["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn an_evaluator_records_each_step_and_sends_a_notice_of_refusal() {
    for app in TestApp::all() {
        let leo = app.students.leo;
        let evaluator = app.signed_in(Role::Evaluator).await;
        let page = evaluator.get(&format!("/students/{leo}/evaluations")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body
                .contains("Record a referral or request for evaluation")
        );
        let post = |fields: Vec<(&'static str, String)>| {
            let evaluator = &evaluator;
            async move {
                let pairs: Vec<(&str, &str)> =
                    fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
                evaluator
                    .post_form(&format!("/students/{leo}/evaluations"), &pairs)
                    .await
            }
        };
        let referral = post(vec![
            ("step", "referral".into()),
            ("on", days_ago(&app, 30)),
            ("by", "parent".into()),
            ("requester", "Rosa Rivera".into()),
            ("written", "yes".into()),
            ("concerns", "Reading".into()),
        ])
        .await;
        assert_eq!(referral.status, StatusCode::SEE_OTHER, "{}", referral.body);
        let consent = post(vec![
            ("step", "consent_answer".into()),
            ("on", days_ago(&app, 20)),
            ("for", "initial_evaluation".into()),
            ("given", "yes".into()),
        ])
        .await;
        assert_eq!(consent.status, StatusCode::SEE_OTHER);
        for (step, extra) in [
            (
                "plan",
                vec![
                    ("evaluation", "initial"),
                    ("areas", "academic_performance"),
                    ("areas", "general_intelligence"),
                    ("assessments", "WISC-V, WIAT-4"),
                ],
            ),
            (
                "report",
                vec![
                    ("evaluation", "initial"),
                    ("procedures", "WISC-V; WIAT-4; observation"),
                    ("summary", "Average range"),
                ],
            ),
        ] {
            let mut fields = vec![("step", step.to_owned()), ("on", days_ago(&app, 5))];
            fields.extend(extra.into_iter().map(|(k, v)| (k, v.to_owned())));
            let answer = post(fields).await;
            assert_eq!(
                answer.status,
                StatusCode::SEE_OTHER,
                "{step}: {}",
                answer.body
            );
        }
        // A category alone is not eligibility: refused, with the rule's citation, field linked.
        let refused = post(vec![
            ("step", "eligibility".into()),
            ("on", days_ago(&app, 1)),
            ("evaluation", "initial".into()),
            ("categories", "other_health_impairment".into()),
            ("needs_sdi", "no".into()),
            ("determinant_factor", "none".into()),
            ("eligible", "yes".into()),
            ("sld_method", "none".into()),
        ])
        .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.body.contains("A category alone is not eligibility"));
        assert!(refused.body.contains("34 CFR 300.8(a)(1)"));
        assert!(
            refused
                .body
                .contains("href=\"#record-eligibility-f-eligible\"")
        );
        let decided = post(vec![
            ("step", "eligibility".into()),
            ("on", days_ago(&app, 1)),
            ("evaluation", "initial".into()),
            ("categories", "other_health_impairment".into()),
            ("needs_sdi", "no".into()),
            ("determinant_factor", "none".into()),
            ("eligible", "no".into()),
            ("sld_method", "none".into()),
        ])
        .await;
        assert_eq!(decided.status, StatusCode::SEE_OTHER, "{}", decided.body);
        let manager = app.with_token(Role::CaseManager);
        let events = manager
            .get(&format!("/api/v1/students/{leo}/events"))
            .await
            .json();
        assert_eq!(
            kinds(&events),
            [
                "evaluation_requested",
                "consent_received",
                "eligibility_determined"
            ]
        );
        // The initial-evaluation deadline was met by the decision.
        let obligations = manager
            .get(&format!("/api/v1/students/{leo}/obligations"))
            .await
            .json();
        let initial = obligations["obligations"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["kind"] == "initial_evaluation")
            .expect("initial evaluation obligation");
        assert_eq!(initial["status"], "met", "{initial}");

        // Draft the notice of refusal from the decision.
        let steps = manager
            .get(&format!("/api/v1/students/{leo}/evaluations"))
            .await
            .json();
        let decision = steps["steps"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["step"] == "eligibility")
            .unwrap();
        assert_eq!(decision["reasons"][0]["citation"], "34 CFR 300.8(a)(1)");
        let decision_id = decision["id"].as_i64().unwrap().to_string();
        let drafted = evaluator
            .post_form(
                &format!("/students/{leo}/notices"),
                &[("step_id", &decision_id)],
            )
            .await;
        assert_eq!(drafted.status, StatusCode::SEE_OTHER, "{}", drafted.body);
        let notice_path = drafted.location().to_owned();
        let draft = evaluator.get(&notice_path).await;
        assert_eq!(draft.status, StatusCode::OK);
        assert!(
            draft.body.contains("34 CFR 300.503(b)(6)"),
            "options considered are missing"
        );
        assert!(
            draft.body.contains("WISC-V; WIAT-4; observation"),
            "basis prefilled from the report"
        );
        // Sending an incomplete notice is refused on the missing field.
        let early = evaluator
            .post_form(
                &format!("{notice_path}/send"),
                &[("revision", "1"), ("on", &days_ago(&app, 0))],
            )
            .await;
        assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            early
                .body
                .contains("href=\"#edit-notice-f-options_considered\""),
            "{}",
            early.body
        );
        let contents = [
            ("proposal", "The district refuses to identify Leo."),
            ("explanation", "No need for specially designed instruction."),
            ("basis", "WISC-V; WIAT-4; observation"),
            (
                "safeguards",
                "You have protection under the procedural safeguards.",
            ),
            ("sources", "Parent Center, 555-0100"),
            ("options_considered", "Eligibility under OHI; rejected."),
            ("other_factors", "None."),
        ];
        let mut fields = vec![("revision", "1")];
        fields.extend(contents);
        let saved = evaluator.post_form(&notice_path, &fields).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        // The same edit from the stale copy: 409 with the current version shown.
        let stale = evaluator.post_form(&notice_path, &fields).await;
        assert_eq!(stale.status, StatusCode::CONFLICT);
        assert!(stale.body.contains("Parent Center, 555-0100"));
        let sent = evaluator
            .post_form(
                &format!("{notice_path}/send"),
                &[("revision", "2"), ("on", &days_ago(&app, 0))],
            )
            .await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
        let events = manager
            .get(&format!("/api/v1/students/{leo}/events"))
            .await
            .json();
        let last = events["events"].as_array().unwrap().last().unwrap().clone();
        assert_eq!(last["kind"], "prior_written_notice_sent");
        assert_eq!(last["action"], "refuse");
        assert_eq!(last["subject"], "identification");
        for lang in ["en", "es"] {
            let pdf = evaluator
                .get(&format!("{notice_path}/pdf?lang={lang}"))
                .await;
            assert_eq!(pdf.status, StatusCode::OK);
            assert_eq!(pdf.headers.get("content-type").unwrap(), "application/pdf");
            assert!(pdf.body.starts_with("%PDF-"));
            // An IDEA refusal stays a prior written notice.
            let disposition = pdf.headers.get("content-disposition").unwrap();
            assert!(
                disposition.to_str().unwrap().contains(&format!(
                    "prior-written-notice-{}-{lang}.pdf",
                    notice_path.rsplit('/').next().unwrap()
                )),
                "{disposition:?}"
            );
        }
        // Reads are in the record of access.
        let log = manager
            .get(&format!("/api/v1/students/{leo}/access-log"))
            .await
            .json();
        let actions: Vec<&str> = log["entries"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|e| e["action"].as_str())
            .collect();
        for action in ["view_evaluations", "view_notice", "print_notice"] {
            assert!(
                actions.contains(&action),
                "{action} not logged: {actions:?}"
            );
        }
        // The page in Spanish.
        evaluator.get("/language/es?next=/").await;
        let es = evaluator.get(&format!("/students/{leo}/evaluations")).await;
        assert!(es.body.contains("Decisión de elegibilidad bajo IDEA"));
        let sent_on = law::dates::long(app.clock.today(), law::Lang::Es);
        assert!(
            es.body.contains(&format!("Enviada el {sent_on}")),
            "the notice's date in Spanish"
        );
    }
}

#[tokio::test]
async fn the_api_refuses_an_excluded_decision_and_a_parent_only_answers_consent() {
    for app in TestApp::all() {
        let leo = app.students.leo;
        let path = format!("/api/v1/students/{leo}/evaluations");
        let manager = app.with_token(Role::CaseManager);
        let excluded = manager
            .post_json(
                &path,
                &json!({"step": "eligibility", "on": days_ago(&app, 2), "evaluation": "initial",
                    "categories": ["specific_learning_disability"], "needs_sdi": true,
                    "determinant_factor": "limited_english", "eligible": true}),
                &[],
            )
            .await;
        assert_eq!(excluded.status, StatusCode::UNPROCESSABLE_ENTITY);
        let problem = excluded.json();
        assert_eq!(problem["field"], "determinant_factor", "{problem}");
        let detail = problem["detail"].as_str().unwrap();
        assert!(detail.contains("34 CFR 300.306(b)(1)(iii)"), "{detail}");
        assert!(
            detail.contains("34 CFR 300.311(a)"),
            "the SLD report is missing too: {detail}"
        );

        let parent = app.with_token(Role::Parent);
        let referral = parent
            .post_json(
                &path,
                &json!({"step": "referral", "on": days_ago(&app, 2), "by": "parent",
                    "requester": "Rosa", "written": true}),
                &[],
            )
            .await;
        assert_eq!(referral.status, StatusCode::FORBIDDEN);
        let answer = parent
            .post_json(
                &path,
                &json!({"step": "consent_answer", "on": days_ago(&app, 1),
                    "for": "initial_evaluation", "given": false}),
                &[],
            )
            .await;
        assert_eq!(answer.status, StatusCode::CREATED, "{}", answer.body);
        assert!(
            answer.json()["event_id"]
                .as_str()
                .unwrap()
                .starts_with("evaluation-")
        );
        let events = parent
            .get(&format!("/api/v1/students/{leo}/events"))
            .await
            .json();
        assert_eq!(kinds(&events), ["consent_refused"]);

        // A 504 decision refused for weighing medication, then recorded as the ADAAA reads it.
        let s504 = |eligible: bool, mitigating: bool| {
            json!({"step": "section504", "on": days_ago(&app, 1), "evaluation": "initial",
                "impairment": "ADHD", "impairment_kind": "mental", "activities": ["concentrating"],
                "substantially_limits": eligible, "mitigating_measures_considered": mitigating,
                "eligible": eligible})
        };
        let weighed = manager.post_json(&path, &s504(false, true), &[]).await;
        assert_eq!(weighed.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            weighed.json()["detail"]
                .as_str()
                .unwrap()
                .contains("12102(4)(E)")
        );
        let found = manager.post_json(&path, &s504(true, false), &[]).await;
        assert_eq!(found.status, StatusCode::CREATED, "{}", found.body);
        assert_eq!(found.json()["reasons"][0]["code"], "section504_met");

        // Notices through the API: draft, save (stale → 409), send.
        let notices = format!("/api/v1/students/{leo}/notices");
        let draft = manager
            .post_json(
                &notices,
                &json!({"action": "refuse", "subject": "evaluation"}),
                &[],
            )
            .await;
        assert_eq!(draft.status, StatusCode::CREATED, "{}", draft.body);
        let draft = draft.json();
        assert_eq!(draft["missing"].as_array().unwrap().len(), 4, "{draft}");
        let id = draft["id"].as_i64().unwrap();
        let send_early = manager
            .post_json(
                &format!("{notices}/{id}/send"),
                &json!({"revision": 1}),
                &[],
            )
            .await;
        assert_eq!(send_early.status, StatusCode::UNPROCESSABLE_ENTITY);
        let body = json!({"revision": 1, "proposal": "Refuse to evaluate.",
            "explanation": "Grades and screening are in range.", "basis": "Screening, grades.",
            "safeguards": "Procedural safeguards apply.", "sources": "Parent Center.",
            "options_considered": "Evaluating now; rejected.", "other_factors": "None."});
        let put = |body: Value| {
            let manager = &manager;
            let uri = format!("{notices}/{id}");
            async move {
                manager
                    .send(
                        axum::http::Request::builder()
                            .method(Method::PUT)
                            .uri(uri)
                            .header("content-type", "application/json")
                            .body(axum::body::Body::from(body.to_string()))
                            .unwrap(),
                    )
                    .await
            }
        };
        assert_eq!(put(body.clone()).await.status, StatusCode::OK);
        assert_eq!(put(body).await.status, StatusCode::CONFLICT);
        let sent = manager
            .post_json(
                &format!("{notices}/{id}/send"),
                &json!({"revision": 2}),
                &[],
            )
            .await;
        assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
        assert!(sent.json()["sent_on"].is_string());
        let events = manager
            .get(&format!("/api/v1/students/{leo}/events"))
            .await
            .json();
        assert!(kinds(&events).contains(&"prior_written_notice_sent".to_owned()));
        assert!(kinds(&events).contains(&"plan504_meeting_held".to_owned()));
        // What a client reads: steps with reasons and citations, notices with what is missing.
        let listed = manager.get(&path).await.json();
        insta::assert_json_snapshot!("evaluations", redacted(listed));
    }
}

#[tokio::test]
async fn a_parent_request_pending_during_rti_warns_on_the_evaluation_page() {
    for app in TestApp::all() {
        let leo = app.students.leo;
        let manager = app.with_token(Role::CaseManager);
        for event in [
            json!({"id": "", "kind": "rti_started", "on": days_ago(&app, 40), "tier": 2}),
            json!({"id": "", "kind": "evaluation_requested", "on": days_ago(&app, 10),
                "by": "parent", "written": true}),
        ] {
            let r = manager
                .post_json(&format!("/api/v1/students/{leo}/events"), &event, &[])
                .await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        }
        let parent = app.signed_in(Role::Parent).await;
        let page = parent.get(&format!("/students/{leo}/evaluations")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("id=\"rti-warning\""));
        assert!(page.body.contains("OSEP Memo 11-07"));
        // A parent sees the consent-answer form only.
        assert!(page.body.contains("record-consent-answer"));
        assert!(!page.body.contains("record-eligibility"));
    }
}

#[test]
fn english_and_spanish_evaluation_catalogues_have_the_same_messages() {
    let [(_, en), (_, es)] = web::i18n::EVALUATIONS_SOURCES;
    assert_eq!(web::i18n::message_ids(en), web::i18n::message_ids(es));
}

#[tokio::test]
async fn a_504_refusal_is_on_the_timeline_and_offers_a_504_notice() {
    for app in TestApp::all() {
        let leo = app.students.leo;
        let coordinator = app.signed_in(Role::Coordinator504).await;
        let path = format!("/students/{leo}/evaluations");
        let decided = coordinator
            .post_form(
                &path,
                &[
                    ("step", "section504"),
                    ("on", &days_ago(&app, 2)),
                    ("evaluation", "initial"),
                    ("impairment", "Seasonal allergies"),
                    ("impairment_kind", "physical"),
                    ("activities", "breathing"),
                    ("substantially_limits", "no"),
                    ("mitigating_measures_considered", "no"),
                    ("episodic", "no"),
                    ("eligible", "no"),
                    (
                        "explanation",
                        "Symptoms do not limit breathing substantially.",
                    ),
                ],
            )
            .await;
        assert_eq!(decided.status, StatusCode::SEE_OTHER, "{}", decided.body);
        // The team met and decided: the meeting is on the timeline, marked not eligible.
        let events = coordinator
            .get(&format!("/api/v1/students/{leo}/events"))
            .await
            .json();
        let meeting = events["events"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["kind"] == "plan504_meeting_held")
            .unwrap_or_else(|| panic!("no 504 meeting: {events}"))
            .clone();
        assert_eq!(meeting["purpose"], "initial");
        assert_eq!(meeting["eligible"], false);
        // The decision offers a notice of the refusal.
        let steps = coordinator
            .get(&format!("/api/v1/students/{leo}/evaluations"))
            .await
            .json();
        let step_id = steps["steps"][0]["id"].as_i64().unwrap();
        assert_eq!(steps["steps"][0]["event_id"], meeting["id"]);
        let page = coordinator.get(&path).await;
        assert!(
            page.body.contains(&format!("id=\"notice-from-{step_id}\"")),
            "the 504 decision offers a notice"
        );
        let drafted = coordinator
            .post_form(
                &format!("/students/{leo}/notices"),
                &[("step_id", &step_id.to_string())],
            )
            .await;
        assert_eq!(drafted.status, StatusCode::SEE_OTHER, "{}", drafted.body);
        let listed = coordinator.get(&path).await;
        assert!(
            listed.body.contains("Section 504: Notice of"),
            "{}",
            listed.body
        );
        let notices = coordinator
            .get(&format!("/api/v1/students/{leo}/notices"))
            .await
            .json();
        let notice = &notices["notices"][0];
        assert_eq!(notice["action"], "refuse");
        assert_eq!(notice["subject"], "identification");
        assert_eq!(notice["step_id"], step_id);
        let proposal = notice["proposal"].as_str().unwrap();
        assert!(proposal.contains("not a student with a disability under Section 504"));
        assert!(
            notice["safeguards"]
                .as_str()
                .unwrap()
                .contains("34 CFR 104.36")
        );
        assert!(
            notice["explanation"]
                .as_str()
                .unwrap()
                .contains("do not limit breathing")
        );
        assert!(
            notice["sources"]
                .as_str()
                .unwrap()
                .contains("Section 504 coordinator")
        );
        // A 504 notice, held to Section 504's contents: no evaluation report was recorded, so
        // only the basis of the decision is missing, under 104.35(c), not 300.503(b).
        assert_eq!(notice["kind"], "section504");
        assert_eq!(
            notice["missing"],
            json!([{"code": "s504_notice_basis", "citation": "34 CFR 104.35(c)"}])
        );
        let id = notice["id"].as_i64().unwrap();
        let notice_path = format!("/students/{leo}/notices/{id}");
        let page = coordinator.get(&notice_path).await;
        assert!(page.body.contains("34 CFR 104.35(c)"), "{}", page.body);
        assert!(!page.body.contains("300.503"), "{}", page.body);
        assert!(
            page.body
                .contains("Who to contact (the Section 504 coordinator)")
        );
        let mut fields: Vec<(&str, String)> = ["proposal", "explanation", "safeguards", "sources"]
            .iter()
            .map(|k| (*k, notice[*k].as_str().unwrap().to_owned()))
            .collect();
        fields.push(("basis", "Nurse's report; attendance; teacher input.".into()));
        fields.push(("revision", notice["revision"].to_string()));
        let form: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let saved = coordinator.post_form(&notice_path, &form).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        // Its PDF is the notice of a Section 504 decision, in English and Spanish.
        for (lang, title) in [
            ("en", "Notice of Section 504 decision"),
            ("es", "Notificación de decisión de la Sección 504"),
        ] {
            let pdf = coordinator
                .get(&format!("{notice_path}/pdf?lang={lang}"))
                .await;
            assert_eq!(pdf.status, StatusCode::OK, "{}", pdf.body);
            assert!(pdf.body.starts_with("%PDF-"));
            let disposition = pdf.headers.get("content-disposition").unwrap();
            assert!(
                disposition
                    .to_str()
                    .unwrap()
                    .contains(&format!("section-504-notice-{id}-{lang}.pdf")),
                "{disposition:?}"
            );
            assert!(pdf.body.contains(title), "{lang}: the title is not {title}");
        }
    }
}

#[tokio::test]
async fn a_corrected_step_supersedes_the_original_and_its_event() {
    for app in TestApp::all() {
        let leo = app.students.leo;
        let evaluator = app.signed_in(Role::Evaluator).await;
        let path = format!("/students/{leo}/evaluations");
        // Consent recorded as refused by mistake; the 60-day clock does not run.
        let recorded = evaluator
            .post_form(
                &path,
                &[
                    ("step", "consent_answer"),
                    ("on", &days_ago(&app, 70)),
                    ("for", "initial_evaluation"),
                    ("given", "no"),
                ],
            )
            .await;
        assert_eq!(recorded.status, StatusCode::SEE_OTHER, "{}", recorded.body);
        let obligations_uri = format!("/api/v1/students/{leo}/obligations");
        let none = evaluator.get(&obligations_uri).await.json();
        assert!(
            !none["obligations"]
                .as_array()
                .unwrap()
                .iter()
                .any(|o| o["kind"] == "initial_evaluation"),
            "{none}"
        );
        let steps = evaluator
            .get(&format!("/api/v1/students/{leo}/evaluations"))
            .await
            .json();
        let original = steps["steps"][0]["id"].as_i64().unwrap();
        let original_event = steps["steps"][0]["event_id"].as_str().unwrap().to_owned();
        // The page offers the correction, prefilled with what was recorded.
        let page = evaluator.get(&path).await;
        assert!(page.body.contains(&format!("id=\"correct-{original}\"")));
        let correct = format!("{path}/{original}/correct");
        // Without a reason the correction is refused on its form.
        let fields = |reason: &'static str| {
            vec![
                ("step", "consent_answer".to_owned()),
                ("on", days_ago(&app, 70)),
                ("for", "initial_evaluation".to_owned()),
                ("given", "yes".to_owned()),
                ("reason", reason.to_owned()),
            ]
        };
        let post = |fields: Vec<(&'static str, String)>| {
            let evaluator = &evaluator;
            let correct = correct.clone();
            async move {
                let pairs: Vec<(&str, &str)> =
                    fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
                evaluator.post_form(&correct, &pairs).await
            }
        };
        let refused = post(fields("")).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.body.contains("Say why the step is corrected"));
        let done = post(fields("The signed form says the parent gave consent.")).await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
        // The original is history; the event it recorded is superseded, and the clock runs.
        let steps = evaluator
            .get(&format!("/api/v1/students/{leo}/evaluations"))
            .await
            .json();
        let all = steps["steps"].as_array().unwrap();
        assert_eq!(all.len(), 2);
        let old = all.iter().find(|s| s["id"] == original).unwrap();
        let new = all.iter().find(|s| s["id"] != original).unwrap();
        assert_eq!(old["superseded_by"], new["id"]);
        assert_eq!(new["supersedes"], original);
        assert_eq!(
            new["correction_reason"],
            "The signed form says the parent gave consent."
        );
        let events = evaluator
            .get(&format!("/api/v1/students/{leo}/events"))
            .await
            .json();
        let corrected = events["events"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["kind"] == "consent_received")
            .unwrap_or_else(|| panic!("{events}"))
            .clone();
        assert_eq!(corrected["supersedes"], original_event.as_str());
        let now = evaluator.get(&obligations_uri).await.json();
        let initial = now["obligations"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["kind"] == "initial_evaluation")
            .unwrap_or_else(|| panic!("{now}"))
            .clone();
        assert_eq!(initial["status"], "overdue");
        let page = evaluator.get(&path).await;
        assert!(page.body.contains("Earlier versions (superseded)"));
        assert!(
            page.body
                .contains("Corrected because: The signed form says")
        );
        assert!(!page.body.contains(&format!("id=\"correct-{original}\"")));
        // A superseded step is corrected through its current version (409), and only by staff
        // who write plans; a decision is rechecked against the rules.
        let manager = app.with_token(Role::CaseManager);
        let api = format!("/api/v1/students/{leo}/evaluations/{original}/corrections");
        let body = json!({"step": "consent_answer", "on": days_ago(&app, 70),
            "for": "initial_evaluation", "given": true, "reason": "again"});
        assert_eq!(
            manager.post_json(&api, &body, &[]).await.status,
            StatusCode::CONFLICT
        );
        let parent = app.with_token(Role::Parent);
        let current = new["id"].as_i64().unwrap();
        let api = format!("/api/v1/students/{leo}/evaluations/{current}/corrections");
        assert_eq!(
            parent.post_json(&api, &body, &[]).await.status,
            StatusCode::FORBIDDEN
        );
        let other_kind = json!({"step": "referral", "on": days_ago(&app, 70), "by": "parent",
            "requester": "Rosa", "written": true, "reason": "wrong step"});
        let answer = manager.post_json(&api, &other_kind, &[]).await;
        assert_eq!(
            answer.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            answer.body
        );
        let again = manager.post_json(&api, &body, &[]).await;
        assert_eq!(again.status, StatusCode::CREATED, "{}", again.body);
        assert_eq!(again.json()["supersedes"], current);
    }
}
