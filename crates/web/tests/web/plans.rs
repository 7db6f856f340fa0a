//! IEPs and 504 plans through the web app and the JSON API: the lifecycle with the family's
//! view (no working drafts) and comments, 409 on a stale save with the other person's changes,
//! finalizing onto the timeline, the teachers' acknowledgements with reminders, the section
//! editor, and the authorization matrix's requests for the plan routes.

use crate::app::{Client, Response, TestApp};
use crate::records::put_json;
use axum::http::{Method, StatusCode};
use domain::people::Role;
use serde_json::{Value, json};

/// A complete IEP for the student (the generator's content passes every check).
pub(crate) fn complete_iep(app: &TestApp, student: i64) -> Value {
    let meeting = app.clock.today();
    app.with_conn(move |conn| {
        let ages = store::plans::student_ages(conn, student).unwrap();
        serde_json::to_value(store::synth::plans::iep_content(
            "Leo",
            &ages,
            meeting,
            "initial",
            &store::synth::plans::Team {
                parent: "Ana Rivera".into(),
                teacher: "Test teacher".into(),
                case_manager: "Test case_manager".into(),
                coordinator: "Test coordinator_504".into(),
            },
            0,
        ))
        .unwrap()
    })
}

/// A finalized IEP for the matrix: every reader may see it and every teacher of the student
/// has its accommodations to acknowledge.
pub(crate) fn finalized_plan(app: &TestApp, student: i64) -> i64 {
    finalize(app, student, complete_iep(app, student))
}

/// Finalizes `content` as the student's IEP; the plan's id.
pub(crate) fn finalize(app: &TestApp, student: i64, content: Value) -> i64 {
    let today = app.clock.today();
    app.with_conn(move |conn| {
        conn.transaction(|tx| {
            let s = store::students::get_student(tx, student)?;
            // A draft already being written (an amendment) is completed and finalized.
            let plan = match store::plans::open_version(tx, s.id, domain::plan::PlanKind::Iep)? {
                Some(open) => {
                    match store::plans::save(tx, s.id, open.id, open.revision, &content, None)? {
                        store::plans::Saved::Saved(plan) => plan,
                        store::plans::Saved::Stale(_) => unreachable!("read in this transaction"),
                    }
                }
                None => store::plans::create(
                    tx,
                    s.district_id,
                    s.id,
                    domain::plan::PlanKind::Iep,
                    &content,
                    None,
                )?,
            };
            let done = store::plans::transition(
                tx,
                s.id,
                plan.id,
                plan.revision,
                domain::plan::PlanStatus::Finalized,
                None,
                today,
            )?;
            Ok(done.plan.id)
        })
        .unwrap()
    })
}

pub async fn matrix_request(
    client: &Client<'_>,
    method: &Method,
    path: &str,
    student: i64,
) -> Response {
    let plan = finalized_plan(client.app, student);
    let concrete = path
        .replace("{id}", &student.to_string())
        .replace("{plan}", &plan.to_string())
        .replace("{section}", "meeting");
    match (method.as_str(), path) {
        (
            "GET",
            "/accommodations"
            | "/students/{id}/plans"
            | "/students/{id}/plans/{plan}"
            | "/students/{id}/plans/{plan}/pdf"
            // A finalized version's section editor answers 409 to those who may write.
            | "/students/{id}/plans/{plan}/sections/{section}"
            | "/api/v1/students/{id}/plans"
            | "/api/v1/students/{id}/plans/{plan}",
        ) => client.get(&concrete).await,
        ("POST", "/students/{id}/plans") => client.post_form(&concrete, &[("kind", "plan504")]).await,
        ("POST", "/students/{id}/plans/{plan}/sections/{section}") => {
            client
                .post_form(&concrete, &[("revision", "1"), ("meeting.on", "2026-10-01")])
                .await
        }
        ("POST", "/students/{id}/plans/{plan}/status") => {
            client
                .post_form(&concrete, &[("to", "ended"), ("revision", "99")])
                .await
        }
        ("POST", "/students/{id}/plans/{plan}/amend") => {
            client
                .post_form(&concrete, &[("change_summary", "Adds a calculator.")])
                .await
        }
        ("POST", "/students/{id}/plans/{plan}/comments") => {
            client.post_form(&concrete, &[("body", "A comment.")]).await
        }
        (
            "POST",
            "/students/{id}/plans/{plan}/acknowledge" | "/students/{id}/plans/{plan}/reminders",
        ) => client.post_form(&concrete, &[]).await,
        ("POST", "/api/v1/students/{id}/plans") => {
            client
                .post_json(&concrete, &json!({"kind": "plan504"}), &[])
                .await
        }
        ("PUT", "/api/v1/students/{id}/plans/{plan}") => {
            put_json(client, &concrete, &json!({"revision": 1, "content": {}})).await
        }
        ("POST", "/api/v1/students/{id}/plans/{plan}/transitions") => {
            client
                .post_json(&concrete, &json!({"to": "ended", "revision": 99}), &[])
                .await
        }
        ("POST", "/api/v1/students/{id}/plans/{plan}/amendments") => {
            client
                .post_json(&concrete, &json!({"change_summary": "Adds ESY."}), &[])
                .await
        }
        ("POST", "/api/v1/students/{id}/plans/{plan}/comments") => {
            client
                .post_json(&concrete, &json!({"body": "A comment."}), &[])
                .await
        }
        (
            "POST",
            "/api/v1/students/{id}/plans/{plan}/acknowledgement"
            | "/api/v1/students/{id}/plans/{plan}/reminders",
        ) => client.post_json(&concrete, &json!({}), &[]).await,
        _ => crate::matrix::unknown_route(method, path),
    }
}

#[tokio::test]
async fn an_iep_goes_from_draft_to_family_comment_to_finalized_with_acknowledgements() {
    for app in TestApp::all() {
        let leo = app.students.leo;
        let manager = app.with_token(Role::CaseManager);
        let parent = app.with_token(Role::Parent);
        let teacher = app.with_token(Role::Teacher);
        let base = format!("/api/v1/students/{leo}/plans");

        let created = manager.post_json(&base, &json!({"kind": "iep"}), &[]).await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        let plan = created.json();
        let id = plan["id"].as_i64().unwrap();
        assert_eq!(plan["status"], "draft");
        assert!(
            plan["problems"]
                .as_array()
                .unwrap()
                .iter()
                .any(|p| p["code"] == "present_levels_missing"
                    && p["citation"] == "34 CFR 300.320(a)(1)")
        );
        let one = format!("{base}/{id}");

        // A working draft is not the family's to see.
        assert_eq!(parent.get(&one).await.status, StatusCode::NOT_FOUND);
        assert!(
            parent.get(&base).await.json()["plans"]
                .as_array()
                .unwrap()
                .is_empty()
        );

        // Two editors from revision 1: the second is refused with the first one's changes.
        let content = complete_iep(&app, leo);
        let saved = put_json(&manager, &one, &json!({"revision": 1, "content": content})).await;
        assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
        assert_eq!(saved.json()["revision"], 2);
        assert_eq!(saved.json()["problems"], json!([]));
        assert_eq!(saved.json()["environment_code"], "RC80");
        let coordinator = app.with_token(Role::Coordinator504);
        let stale = put_json(
            &coordinator,
            &one,
            &json!({"revision": 1, "content": {"present_levels": "Mine."}}),
        )
        .await;
        assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
        let problem = stale.json();
        assert!(
            problem["detail"]
                .as_str()
                .unwrap()
                .contains("Test case_manager"),
            "{problem}"
        );
        let changed = problem["current"]["changed_sections"].as_array().unwrap();
        assert!(changed.contains(&json!("goals")) && changed.contains(&json!("services")));
        assert_eq!(problem["current"]["plan"]["revision"], 2);
        assert_eq!(
            problem["current"]["plan"]["content"]["present_levels"],
            content["present_levels"]
        );
        // Bad content names the field.
        let bad = put_json(
            &manager,
            &one,
            &json!({"revision": 2, "content": {"lre": {"regular_class_percent": "most"}}}),
        )
        .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            bad.body.contains("lre.regular_class_percent"),
            "{}",
            bad.body
        );

        // Shared: the family reads it and comments before the meeting.
        let shared = manager
            .post_json(
                &format!("{one}/transitions"),
                &json!({"to": "shared", "revision": 2}),
                &[],
            )
            .await;
        assert_eq!(shared.status, StatusCode::OK, "{}", shared.body);
        assert_eq!(parent.get(&one).await.status, StatusCode::OK);
        let comment = parent
            .post_json(
                &format!("{one}/comments"),
                &json!({"body": "Can we add reading at home?"}),
                &[],
            )
            .await;
        assert_eq!(comment.status, StatusCode::CREATED, "{}", comment.body);
        // Teachers do not comment, and do not see drafts.
        let teacher_comment = teacher
            .post_json(&format!("{one}/comments"), &json!({"body": "x"}), &[])
            .await;
        assert_eq!(teacher_comment.status, StatusCode::FORBIDDEN);
        assert_eq!(teacher.get(&one).await.status, StatusCode::NOT_FOUND);

        // Finalized: on the timeline, immutable, and sent to the teacher.
        let done = manager
            .post_json(
                &format!("{one}/transitions"),
                &json!({"to": "finalized", "revision": 3}),
                &[],
            )
            .await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.body);
        let done = done.json();
        assert_eq!(done["status"], "finalized");
        assert_eq!(done["teachers_notified"], 1);
        let event_id = done["event_id"].as_str().unwrap().to_owned();
        let events = manager
            .get(&format!("/api/v1/students/{leo}/events"))
            .await
            .json();
        let event = events["events"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["id"] == event_id.as_str())
            .cloned()
            .expect("the meeting is on the timeline");
        assert_eq!(event["kind"], "iep_meeting_held");
        assert_eq!(
            put_json(&manager, &one, &json!({"revision": 4, "content": content}))
                .await
                .status,
            StatusCode::CONFLICT
        );
        let services = manager
            .get(&format!("/api/v1/students/{leo}/services"))
            .await
            .json();
        assert_eq!(services["services"].as_array().unwrap().len(), 2);

        // The teacher sees the plan in effect, acknowledges; the team sees who has.
        let as_teacher = teacher.get(&one).await;
        assert_eq!(as_teacher.status, StatusCode::OK);
        assert_eq!(
            as_teacher.json()["acknowledgements"][0]["acknowledged_at"],
            Value::Null
        );
        let reminded = manager
            .post_json(&format!("{one}/reminders"), &json!({}), &[])
            .await;
        assert_eq!(reminded.status, StatusCode::OK, "{}", reminded.body);
        assert_eq!(reminded.json()["reminded"], 1);
        assert_eq!(reminded.json()["acknowledgements"][0]["reminders"], 1);
        let ack = teacher
            .post_json(&format!("{one}/acknowledgement"), &json!({}), &[])
            .await;
        assert_eq!(ack.status, StatusCode::OK, "{}", ack.body);
        assert!(ack.json()["acknowledged_at"].is_string());
        let status = parent.get(&one).await.json();
        assert!(status["acknowledgements"][0]["acknowledged_at"].is_string());
        let again = manager
            .post_json(&format!("{one}/reminders"), &json!({}), &[])
            .await;
        assert_eq!(again.json()["reminded"], 0);

        // An amendment is a new version that says what changed; finalizing it supersedes.
        let amended = manager
            .post_json(
                &format!("{one}/amendments"),
                &json!({"change_summary": "Adds extended school year."}),
                &[],
            )
            .await;
        assert_eq!(amended.status, StatusCode::CREATED, "{}", amended.body);
        let v2 = amended.json();
        assert_eq!(v2["version"], 2);
        let two = format!("{base}/{}", v2["id"]);
        let mut next = v2["content"].clone();
        next["esy"]["decision"] = json!("eligible");
        next["meeting"]["on"] = content["meeting"]["on"].clone();
        let saved = put_json(&manager, &two, &json!({"revision": 1, "content": next})).await;
        assert_eq!(saved.json()["changed_from_previous"], json!(["esy"]));
        let fin = manager
            .post_json(
                &format!("{two}/transitions"),
                &json!({"to": "finalized", "revision": 2}),
                &[],
            )
            .await;
        assert_eq!(fin.status, StatusCode::OK, "{}", fin.body);
        assert_eq!(fin.json()["superseded"], id);
        let list = parent.get(&base).await.json();
        let statuses: Vec<&str> = list["plans"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["status"].as_str().unwrap())
            .collect();
        assert_eq!(statuses, vec!["finalized", "superseded"]);
        // Every read wrote the record of access.
        let log = parent
            .get(&format!("/api/v1/students/{leo}/access-log"))
            .await
            .json();
        assert!(log.to_string().contains("read_plan"), "{log}");
    }
}

/// The HTML form of one section, with the values as shown.
fn field_value(page: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\"");
    let at = page.find(&marker)?;
    let rest = &page[at..];
    let value = rest.split("value=\"").nth(1)?.split('"').next()?;
    Some(value.to_owned())
}

#[tokio::test]
async fn the_section_editor_saves_refuses_stale_copies_and_the_family_and_teacher_pages_work() {
    let app = TestApp::sqlite(false);
    let leo = app.students.leo;
    let manager = app.signed_in(Role::CaseManager).await;
    let started = manager
        .post_form(&format!("/students/{leo}/plans"), &[("kind", "iep")])
        .await;
    assert_eq!(started.status, StatusCode::SEE_OTHER, "{}", started.body);
    let page_path = started.location().split('?').next().unwrap().to_owned();
    let page = manager.get(&page_path).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains("Present levels of performance are missing."),
        "{}",
        page.body
    );
    assert!(page.body.contains("34 CFR 300.320(a)(1)"));

    // Goals: a goal without a baseline is flagged as not measurable, with what is missing.
    let goals = format!("{page_path}/sections/goals");
    let form = manager.get(&goals).await;
    assert_eq!(form.status, StatusCode::OK);
    assert_eq!(field_value(&form.body, "revision").as_deref(), Some("1"));
    let saved = manager
        .post_form(
            &goals,
            &[
                ("revision", "1"),
                ("goals.0.description", "Leo will read aloud."),
                ("goals.0.measure", "words correct per minute"),
                ("goals.0.target", "90"),
                ("goals.0.by", "2027-06-01"),
                ("goals.0.criterion", "3 probes"),
                ("goals.0.direction", "increase"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let page = manager.get(&page_path).await;
    assert!(
        page.body
            .contains("This goal is not measurable yet (baseline)"),
        "{}",
        page.body
    );

    // A malformed number comes back with the field named and the entry kept.
    let bad = manager
        .post_form(
            &goals,
            &[
                ("revision", "2"),
                ("goals.0.description", "Leo reads."),
                ("goals.0.baseline", "lots"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body.contains("href=\"#f-goals-0-baseline\""),
        "{}",
        bad.body
    );
    assert!(bad.body.contains("Enter a number."));

    // Someone else saves present levels; this editor's stale goals save is refused with theirs.
    let other = app.signed_in(Role::Coordinator504).await;
    let levels = format!("{page_path}/sections/present_levels");
    let theirs = other
        .post_form(
            &levels,
            &[
                ("revision", "2"),
                ("present_levels", "Leo decodes CVC words."),
            ],
        )
        .await;
    assert_eq!(theirs.status, StatusCode::SEE_OTHER, "{}", theirs.body);
    let stale = manager
        .post_form(
            &goals,
            &[
                ("revision", "2"),
                ("goals.0.description", "Mine."),
                ("goals.0.baseline", "40"),
            ],
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
    assert!(
        stale.body.contains("Test coordinator_504"),
        "{}",
        stale.body
    );
    assert!(stale.body.contains("Present levels of performance"));
    assert!(stale.body.contains("Mine."), "the editor's entry was lost");
    assert_eq!(field_value(&stale.body, "revision").as_deref(), Some("3"));

    // Share; the parent reads and comments; a teacher may not see the draft.
    let csrf_page = manager.get(&page_path).await;
    let shared = manager
        .post_form(
            &format!("{page_path}/status"),
            &[("to", "shared"), ("revision", "3")],
        )
        .await;
    assert_eq!(shared.status, StatusCode::SEE_OTHER, "{}", shared.body);
    assert!(csrf_page.body.contains("Share the draft with the family"));
    let parent = app.signed_in(Role::Parent).await;
    let seen = parent.get(&page_path).await;
    assert_eq!(seen.status, StatusCode::OK);
    assert!(seen.body.contains("Leo decodes CVC words."));
    assert!(!seen.body.contains("Edit “"), "a parent got edit links");
    let said = parent
        .post_form(
            &format!("{page_path}/comments"),
            &[("body", "Please add reading at home.")],
        )
        .await;
    assert_eq!(said.status, StatusCode::SEE_OTHER);
    assert!(
        manager
            .get(&page_path)
            .await
            .body
            .contains("Please add reading at home.")
    );
    let teacher = app.signed_in(Role::Teacher).await;
    assert_eq!(teacher.get(&page_path).await.status, StatusCode::NOT_FOUND);

    // Finalizing an incomplete plan is refused with the reasons.
    let refused = manager
        .post_form(
            &format!("{page_path}/status"),
            &[("to", "finalized"), ("revision", "4")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(
        refused.body.contains("cannot be finalized yet"),
        "{}",
        refused.body
    );

    // The teacher's list: a finalized plan's accommodations, acknowledged from the page.
    let plan = finalized_plan(&app, leo);
    let home = teacher.get("/").await;
    assert!(
        home.body
            .contains("One plan has accommodations for you to acknowledge."),
        "{}",
        home.body
    );
    let list = teacher.get("/accommodations").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("Extended time"), "{}", list.body);
    let ack = teacher
        .post_form(&format!("/students/{leo}/plans/{plan}/acknowledge"), &[])
        .await;
    assert_eq!(ack.status, StatusCode::SEE_OTHER);
    assert!(
        teacher
            .get("/accommodations")
            .await
            .body
            .contains("Nothing to acknowledge.")
    );
    let team_view = manager.get(&format!("/students/{leo}/plans/{plan}")).await;
    assert!(
        team_view.body.contains("id=\"acknowledgements\""),
        "{}",
        team_view.body
    );
    assert!(!team_view.body.contains(">Not yet<"), "{}", team_view.body);

    // The printout, in Spanish.
    let pdf = manager
        .get(&format!("/students/{leo}/plans/{plan}/pdf?lang=es"))
        .await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert_eq!(pdf.headers["content-type"], "application/pdf");
}

#[tokio::test]
async fn a_preschooler_s_lre_is_an_early_childhood_placement_and_the_child_count_reads_it() {
    for app in TestApp::all() {
        let leo = app.students.leo;
        let today = app.clock.today();
        let content = complete_iep(&app, leo);
        // Leo is 4 and in pre-kindergarten; the draft still has a school-age LRE.
        let plan = app.with_conn(move |conn| {
            let born = today.saturating_sub(jiff::Span::new().years(4).days(20));
            conn.execute(
                "UPDATE students SET birth_date = $1, grade = 'PK' WHERE id = $2",
                store::params![born, leo],
            )
            .unwrap();
            conn.transaction(|tx| {
                let s = store::students::get_student(tx, leo)?;
                store::plans::create(
                    tx,
                    s.district_id,
                    s.id,
                    domain::plan::PlanKind::Iep,
                    &content,
                    None,
                )
            })
            .unwrap()
        });
        let manager = app.signed_in(Role::CaseManager).await;
        let page_path = format!("/students/{leo}/plans/{}", plan.id);
        let page = manager.get(&page_path).await;
        assert!(
            page.body
                .contains("The child is 3 to 5 and not in kindergarten"),
            "{}",
            page.body
        );
        let editor = manager.get(&format!("{page_path}/sections/lre")).await;
        assert_eq!(editor.status, StatusCode::OK);
        assert!(editor.body.contains("name=\"lre.ec_program_hours\""));
        assert!(editor.body.contains("name=\"lre.ec_services_location\""));
        assert!(editor.body.contains("Service provider location"));
        assert!(!editor.body.contains("name=\"lre.regular_class_percent\""));
        let revision = plan.revision.to_string();
        let saved = manager
            .post_form(
                &format!("{page_path}/sections/lre"),
                &[
                    ("revision", revision.as_str()),
                    ("lre.setting", "regular_ec_program"),
                    ("lre.ec_program_hours", "under_10"),
                    ("lre.ec_services_location", "elsewhere"),
                    (
                        "lre.removal_explanation",
                        "Speech therapy at the district's center.",
                    ),
                ],
            )
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        let page = manager.get(&page_path).await;
        assert!(page.body.contains("REC09YOTHLOC"), "{}", page.body);
        assert!(
            !page
                .body
                .contains("The child is 3 to 5 and not in kindergarten")
        );
        let json = manager
            .get(&format!("/api/v1/students/{leo}/plans/{}", plan.id))
            .await
            .json();
        assert_eq!(json["environment_code"], "REC09YOTHLOC", "{json}");
        let revision = json["revision"].as_i64().unwrap().to_string();
        let finalized = manager
            .post_form(
                &format!("{page_path}/status"),
                &[("to", "finalized"), ("revision", revision.as_str())],
            )
            .await;
        assert_eq!(
            finalized.status,
            StatusCode::SEE_OTHER,
            "{}",
            finalized.body
        );
        // The child count reports the IEP's environment, not the association's older one.
        let environment = app.with_conn(move |conn| {
            let s = store::students::get_student(conn, leo).unwrap();
            store::programs::insert(
                conn,
                &store::programs::NewProgramAssociation {
                    district_id: s.district_id,
                    student_id: leo,
                    program: domain::codes::Program::Idea,
                    begin_date: today.saturating_sub(jiff::Span::new().days(60)),
                    end_date: None,
                    primary_disability: Some("DD"),
                    disabilities: &[],
                    environment: Some("SC"),
                    exit_basis: None,
                    section504_disability: None,
                    source_id: None,
                },
            )
            .unwrap();
            // Counted once the IEP has taken effect (its services start after the meeting).
            let count_date = today.saturating_add(jiff::Span::new().days(30));
            let records = store::reports_data::child_count_records(conn, None, count_date).unwrap();
            records.programs[0].environment.clone()
        });
        assert_eq!(environment.as_deref(), Some("REC09YOTHLOC"));
    }
}
