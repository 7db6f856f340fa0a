//! Pages as a person meets them: the student page and its add-event form, dashboards,
//! the family home, language, and the calendar feed.

use crate::app::{PASSWORD, TestApp};
use serde_json::json;

/// Records an event on Leo's case through the API, `days_ago` days before today.
async fn event_days_ago(app: &TestApp, mut event: serde_json::Value, days_ago: i64) {
    let on = app
        .clock
        .today()
        .saturating_sub(jiff::Span::new().days(days_ago));
    event["on"] = json!(on.to_string());
    let path = format!("/api/v1/students/{}/events", app.students.leo);
    let response = app
        .with_token(Role::CaseManager)
        .post_json(&path, &event, &[])
        .await;
    assert_eq!(response.status, StatusCode::CREATED, "{}", response.body);
}
use axum::http::StatusCode;
use domain::people::Role;
use store::dashboard::{ProjectedObligation, put_obligation};

fn due_in(app: &TestApp, student: i64, ordinal: i64, kind: &str, days: i64) {
    let due = app
        .clock
        .today()
        .saturating_add(jiff::Span::new().days(days));
    app.with_conn(|conn| {
        put_obligation(
            conn,
            app.district,
            student,
            &ProjectedObligation {
                ordinal,
                kind: kind.into(),
                due,
                status: "open".into(),
                triggered_by: None,
                satisfied_by: None,
                satisfied_on: None,
            },
        )
    })
    .unwrap();
}

#[tokio::test]
async fn the_caseload_groups_deadlines_and_links_to_their_explanations() {
    for app in TestApp::all() {
        due_in(&app, app.students.leo, 0, "initial_evaluation", -3);
        due_in(&app, app.students.leo, 1, "annual_iep_review", 5);
        due_in(&app, app.students.leo, 2, "triennial_reevaluation", 20);
        due_in(&app, app.students.leo, 3, "transition_plan", 90);
        due_in(&app, app.students.mia, 0, "initial_evaluation", 2);
        let cm = app.signed_in(Role::CaseManager).await;
        let page = cm.get("/caseload").await;
        assert_eq!(page.status, StatusCode::OK);
        let body = &page.body;
        let overdue = body.find("id=\"group-overdue\"").unwrap();
        let week = body.find("id=\"group-week\"").unwrap();
        let month = body.find("id=\"group-month\"").unwrap();
        let initial = body.find("Initial evaluation</a>").unwrap();
        let annual = body.find("Annual IEP review</a>").unwrap();
        let triennial = body.find("Three-year reevaluation</a>").unwrap();
        assert!(
            overdue < initial
                && initial < week
                && week < annual
                && annual < month
                && month < triennial
        );
        assert!(!body.contains("Transition plan</a>"), "beyond 30 days");
        assert!(!body.contains("Chen"), "not on this caseload");
        assert!(body.contains(&format!("/students/{}#obligation-0", app.students.leo)));
        assert!(body.contains("<th scope=\"col\">"));
        let other_school = cm
            .get(&format!("/caseload?school={}", app.school + 100))
            .await;
        assert!(!other_school.body.contains("Initial evaluation</a>"));
        let filtered = cm.get("/caseload?kind=annual_iep_review").await;
        assert!(filtered.body.contains("Annual IEP review</a>"));
        assert!(!filtered.body.contains("Initial evaluation</a>"));

        let viewer = app.signed_in(Role::ComplianceViewer).await;
        let counts = viewer.get("/compliance").await;
        assert_eq!(counts.status, StatusCode::OK);
        assert!(counts.body.contains("Lincoln Elementary"));
        assert!(!counts.body.contains("Rivera"), "counts name no student");
    }
}

#[tokio::test]
async fn the_family_home_says_what_is_due_in_plain_words() {
    let app = TestApp::sqlite(false);
    let consent = json!({"id": "c1", "kind": "consent_received", "for": "initial_evaluation"});
    event_days_ago(&app, consent, 70).await;
    let meeting = json!({"id": "m1", "kind": "iep_meeting_held", "purpose": "annual"});
    event_days_ago(&app, meeting, 355).await;
    let parent = app.signed_in(Role::Parent).await;
    let home = parent.get("/").await;
    assert!(
        home.body.contains("Initial evaluation was due by"),
        "{}",
        home.body
    );
    assert!(home.body.contains("Annual IEP review is due by"));
    assert!(home.body.contains("Who looked at these records"));
    let log = app.with_conn(|c| store::access_log::for_student(c, app.students.leo).unwrap());
    assert_eq!(log.last().unwrap().action, "view_home_deadlines");
}

#[tokio::test]
async fn the_student_page_adds_events_with_errors_tied_to_fields() {
    for app in TestApp::all() {
        let cm = app.signed_in(Role::CaseManager).await;
        let leo = app.students.leo;
        let page = cm
            .get(&format!("/students/{leo}?add=consent_received"))
            .await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("<label for=\"f_on\">"));
        assert!(page.body.contains("<select id=\"f_for\""));
        assert!(
            page.body.contains("id=\"access\""),
            "staff who run the case see the record of access"
        );

        let bad = cm
            .post_form(
                &format!("/students/{leo}/events"),
                &[
                    ("kind", "consent_received"),
                    ("f_on", "9/8/2026"),
                    ("f_for", "initial_evaluation"),
                ],
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            bad.body
                .contains("aria-describedby=\"f_on-hint f_on-error\""),
            "{}",
            bad.body
        );
        assert!(bad.body.contains("id=\"f_on-error\""));
        assert!(
            bad.body
                .contains("<a href=\"#f_on\">Enter a date like 2026-09-08.</a>")
        );
        assert!(
            bad.body.contains("value=\"9/8/2026\""),
            "keeps what was typed"
        );

        let good = cm
            .post_form(
                &format!("/students/{leo}/events"),
                &[
                    ("kind", "consent_received"),
                    ("f_on", "2026-09-08"),
                    ("f_for", "initial_evaluation"),
                ],
            )
            .await;
        assert_eq!(good.status, StatusCode::SEE_OTHER);
        let after = cm.get(&format!("/students/{leo}?added=1")).await;
        assert!(after.body.contains("Consent given"));
        assert!(
            after.body.contains("<cite>34 CFR 300.301"),
            "citation beside the deadline"
        );
        assert!(after.body.contains("How this date was worked out"));
        assert!(after.body.contains("Consent for: Initial evaluation"));
        let events = app.with_conn(|c| store::events::list(c, leo).unwrap());
        assert_eq!(events.len(), 1);
    }
}

#[tokio::test]
async fn teachers_see_the_student_but_no_form_and_no_record_of_access() {
    let app = TestApp::sqlite(false);
    let teacher = app.signed_in(Role::Teacher).await;
    let page = teacher
        .get(&format!("/students/{}", app.students.leo))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("id=\"add-event\""));
    assert!(!page.body.contains("id=\"access\""));
    let other = teacher
        .get(&format!("/students/{}", app.students.mia))
        .await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn parents_see_who_looked_at_their_childs_record() {
    let app = TestApp::sqlite(false);
    let leo = app.students.leo;
    app.signed_in(Role::Teacher)
        .await
        .get(&format!("/students/{leo}"))
        .await;
    let parent = app.signed_in(Role::Parent).await;
    let page = parent.get(&format!("/students/{leo}")).await;
    assert!(page.body.contains("Test teacher (teacher)"));
    assert!(page.body.contains("opened the student page"));
    // The parent's form offers only the events a parent originates.
    let form = parent
        .get(&format!("/students/{leo}?add=iep_meeting_held"))
        .await;
    assert!(!form.body.contains("value=\"iep_meeting_held\""));
    assert!(form.body.contains("value=\"evaluation_requested\""));
}

#[tokio::test]
async fn the_student_page_shows_the_latest_reads_and_the_whole_record_pages_back() {
    let app = TestApp::sqlite(false);
    let leo = app.students.leo;
    let teacher = app.signed_in(Role::Teacher).await;
    for _ in 0..130 {
        teacher.get(&format!("/api/v1/students/{leo}")).await;
    }
    let parent = app.signed_in(Role::Parent).await;
    let page = parent.get(&format!("/students/{leo}")).await;
    // 20 rows of the newest reads, and a link to all of them (the teacher's 130 and the
    // sign-in reads before this one).
    assert_eq!(page.body.matches("<tr><td><time").count(), 20);
    assert!(
        page.body
            .contains(&format!("href=\"/students/{leo}/access\""))
    );
    let first = parent.get(&format!("/students/{leo}/access")).await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(first.body.matches("<tr><td><time").count(), 100);
    // Newest first: the parent's own read of the student page heads the list.
    let first_row = first.body.split("<tr><td><time").nth(1).unwrap();
    assert!(first_row.contains("Test parent (parent)"), "{first_row}");
    assert!(first.body.contains("rel=\"next\""));
    let second = parent.get(&format!("/students/{leo}/access?page=2")).await;
    let rows = second.body.matches("<tr><td><time").count();
    assert!((31..100).contains(&rows), "{rows} rows on page 2");
    assert!(second.body.contains("rel=\"prev\""));
    assert!(!second.body.contains("rel=\"next\""));
}

#[tokio::test]
async fn the_language_switch_works_without_scripts_and_defaults_to_the_users_choice() {
    let app = TestApp::sqlite(false);
    let client = app.client();
    let switched = client.get("/language/es?next=/sign-in").await;
    assert_eq!(switched.status, StatusCode::SEE_OTHER);
    assert_eq!(switched.location(), "/sign-in");
    let page = client.get("/sign-in").await;
    assert!(page.body.contains("<html lang=\"es\">"));
    assert!(page.body.contains("Iniciar sesión"));
    // No open redirects.
    assert_eq!(
        client
            .get("/language/en?next=//evil.example")
            .await
            .location(),
        "/"
    );

    let parent = app.signed_in(Role::Parent).await;
    assert_eq!(
        parent
            .post_form("/account/language", &[("lang", "es")])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let home = parent.get("/").await;
    assert!(home.body.contains("<html lang=\"es\">"));
    assert!(home.body.contains("Sus hijos"));
}

#[tokio::test]
async fn the_calendar_feed_lives_at_a_secret_address_until_revoked() {
    for app in TestApp::all() {
        let meeting = json!({"id": "m1", "kind": "iep_meeting_held", "purpose": "annual"});
        event_days_ago(&app, meeting, 353).await;
        let parent = app.signed_in(Role::Parent).await;
        let page = parent.post_form("/account/feed", &[]).await;
        assert_eq!(page.status, StatusCode::OK);
        let start = page.body.find("/feeds/").unwrap();
        let path: String = page.body[start..].split('<').next().unwrap().to_owned();
        assert!(path.ends_with(".ics"));
        let secret = path.trim_start_matches("/feeds/").trim_end_matches(".ics");
        let stored = app.with_conn(|c| {
            c.query("SELECT secret_hash FROM calendar_feeds", &[])
                .unwrap()
        });
        assert_eq!(
            stored[0].text(0).unwrap(),
            store::users::secret_hash(secret)
        );

        let feed = app.client().get(&path).await;
        assert_eq!(feed.status, StatusCode::OK);
        assert_eq!(feed.headers["content-type"], "text/calendar; charset=utf-8");
        assert!(feed.body.contains("BEGIN:VEVENT"));
        assert!(feed.body.contains("SUMMARY:Annual IEP review – Leo R."));
        assert!(!feed.body.contains("Rivera"));

        assert_eq!(
            parent.post_form("/account/feed/revoke", &[]).await.status,
            StatusCode::SEE_OTHER
        );
        assert_eq!(app.client().get(&path).await.status, StatusCode::NOT_FOUND);
    }
}

#[test]
fn english_and_spanish_catalogues_have_the_same_messages() {
    let [(_, en), (_, es)] = web::i18n::SOURCES;
    assert_eq!(web::i18n::message_ids(en), web::i18n::message_ids(es));
}

#[tokio::test]
async fn bulk_export_needs_a_fresh_password_and_code_and_is_logged() {
    for app in TestApp::all() {
        let admin = app.signed_in(Role::DistrictAdmin).await;
        let page = admin.get("/export").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body.contains("name=\"code\""),
            "staff with TOTP must give a code too"
        );

        let refused = admin
            .post_form(
                "/export",
                &[("password", "wrong password!"), ("code", &app.next_totp())],
            )
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.headers.get("content-disposition").is_none());

        let no_code = admin.post_form("/export", &[("password", PASSWORD)]).await;
        assert_eq!(
            no_code.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "a password alone is not enough"
        );

        let exported = admin
            .post_form(
                "/export",
                &[("password", PASSWORD), ("code", &app.next_totp())],
            )
            .await;
        assert_eq!(exported.status, StatusCode::OK, "{}", exported.body);
        assert!(
            exported
                .headers
                .get("content-disposition")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .contains("attachment")
        );
        let body: serde_json::Value = serde_json::from_str(&exported.body).unwrap();
        let students = body["students"].as_array().unwrap();
        assert!(students.iter().any(|s| s["id"] == app.students.leo));
        assert!(
            students.iter().all(|s| s["id"] != app.students.zoe),
            "only the admin's district"
        );

        let logged = app.with_conn(|conn| {
            conn.query(
                "SELECT action FROM access_log WHERE student_id IS NULL AND action LIKE 'bulk export%'",
                &[],
            )
            .unwrap()
            .len()
        });
        assert_eq!(logged, 1);

        let viewer = app.signed_in(Role::ComplianceViewer).await;
        assert_eq!(viewer.get("/export").await.status, StatusCode::FORBIDDEN);
    }
}

#[tokio::test]
async fn the_caseload_lists_every_linked_student_even_with_nothing_due() {
    let app = TestApp::sqlite(false);
    let cm = app.signed_in(Role::CaseManager).await;
    let page = cm.get("/caseload").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains(&format!("href=\"/students/{}\"", app.students.leo)),
        "{}",
        page.body
    );
    assert!(
        !page
            .body
            .contains(&format!("href=\"/students/{}\"", app.students.mia)),
        "unlinked child listed"
    );
}

#[tokio::test]
async fn the_student_page_explains_deadlines_in_the_readers_language_and_the_api_in_english() {
    let app = TestApp::sqlite(false);
    let leo = app.students.leo;
    let consent = json!({"id": "c1", "kind": "consent_received", "for": "initial_evaluation"});
    event_days_ago(&app, consent, 70).await;
    let on = app.clock.today().saturating_sub(jiff::Span::new().days(70));
    let due = on.saturating_add(jiff::Span::new().days(60));
    let es = |d| law::explain::date(d, law::Lang::Es);

    let parent = app.signed_in(Role::Parent).await;
    let english = parent.get(&format!("/students/{leo}")).await;
    assert!(
        english
            .body
            .contains(&format!("<li>consent received {on}</li>"))
    );
    assert!(
        english
            .body
            .contains(&format!("<li>60 calendar days → {due}</li>"))
    );

    parent
        .post_form("/account/language", &[("lang", "es")])
        .await;
    let spanish = parent.get(&format!("/students/{leo}")).await;
    assert!(spanish.body.contains("<html lang=\"es\">"));
    for line in [
        format!("<li>consentimiento dado el {}</li>", es(on)),
        format!("<li>60 días calendario → {}</li>", es(due)),
        format!(
            "<li>sin registro de elegibilidad decidida (evaluación: inicial) hasta el {}: vencido hace 10 días</li>",
            es(app.clock.today())
        ),
    ] {
        assert!(spanish.body.contains(&line), "{line} in {}", spanish.body);
    }
    for english in [
        "consent received",
        "calendar days",
        "overdue by",
        "eligibility determined",
    ] {
        assert!(!spanish.body.contains(english), "{english}");
    }

    // The JSON API is CONTRACT.md's English whatever the reader's language.
    let body = app
        .with_token(Role::Parent)
        .get(&format!("/api/v1/students/{leo}/obligations"))
        .await
        .json();
    assert_eq!(
        body["obligations"][0]["explanation"][0],
        format!("consent received {on}")
    );
}
