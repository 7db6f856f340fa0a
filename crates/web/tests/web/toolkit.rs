//! The parent toolkit through the real router: the advisor and the comparison, the red-flag
//! checker, the calculator and its calendar file, letters (a sent evaluation request lands on
//! the timeline and starts the clock), the communication log, the document vault (refusals by
//! content and size), the binder, parent-only mode and the first-run setup.

use crate::app::{Client, PASSWORD, Response, TestApp};
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use domain::people::Role;
use tower::ServiceExt;

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0";

/// A multipart upload as a browser sends it, with the session's CSRF token.
async fn upload(
    client: &Client<'_>,
    path: &str,
    filename: &str,
    content_type: &str,
    bytes: &[u8],
    dated: &str,
) -> Response {
    let csrf = client.csrf().await;
    let boundary = "----iep504-test-boundary";
    let mut body = Vec::new();
    for (name, value) in [("csrf", csrf.as_str()), ("dated", dated)] {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\nContent-Type: {content_type}\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    client
        .send(
            Request::post(path)
                .header(
                    header::CONTENT_TYPE,
                    format!("multipart/form-data; boundary={boundary}"),
                )
                .body(Body::from(body))
                .unwrap(),
        )
        .await
}

async fn raw_get(client: &Client<'_>, path: &str) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let response = client
        .app
        .router
        .clone()
        .oneshot({
            let mut r = Request::get(path).body(Body::empty()).unwrap();
            // The session and the chosen language, as a browser would send them.
            let cookies: Vec<String> = ["__Host-iep504", "__Host-iep504-lang"]
                .into_iter()
                .filter_map(|name| client.cookie(name).map(|value| format!("{name}={value}")))
                .collect();
            if !cookies.is_empty() {
                r.headers_mut()
                    .insert(header::COOKIE, cookies.join("; ").parse().unwrap());
            }
            r.extensions_mut()
                .insert(axum::extract::ConnectInfo(client.addr));
            r
        })
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    (status, headers, bytes.to_vec())
}

/// The matrix's requests for the toolkit's routes.
pub async fn matrix_request(
    client: &Client<'_>,
    method: &Method,
    path: &str,
    student: i64,
) -> Response {
    let concrete = path.replace("{id}", &student.to_string());
    match (method.as_str(), path) {
        (
            "GET",
            "/toolkit" | "/toolkit/advisor" | "/toolkit/compare" | "/toolkit/redflags"
            | "/toolkit/calculator" | "/toolkit/letters" | "/setup" | "/students/{id}/toolkit"
            | "/students/{id}/letters" | "/students/{id}/binder.pdf",
        ) => client.get(&concrete).await,
        ("GET", "/toolkit/calculator/deadlines.ics") => {
            client
                .get("/toolkit/calculator/deadlines.ics?state=US&birth_date=2017-04-02&request=2026-01-05")
                .await
        }
        ("POST", "/toolkit/redflags") => {
            client
                .post_form(path, &[("text", "Let's wait and see how he does.")])
                .await
        }
        ("POST", "/toolkit/letters") => client.post_form(path, &[("kind", "meeting_request")]).await,
        ("POST", "/setup/parent") => client.post_form(path, &[("display_name", "X")]).await,
        ("POST", "/students/{id}/communications") => {
            client
                .post_form(
                    &concrete,
                    &[
                        ("on", "2026-09-01"),
                        ("channel", "call"),
                        ("with_whom", "Front office"),
                        ("summary", "Asked about the meeting."),
                    ],
                )
                .await
        }
        ("POST", "/students/{id}/letters") => {
            client
                .post_form(&concrete, &[("kind", "meeting_request"), ("sent", "no")])
                .await
        }
        ("POST", "/students/{id}/documents") => {
            upload(client, &concrete, "note.png", "image/png", PNG, "2026-09-01").await
        }
        ("GET", "/students/{id}/documents/{document}") => {
            let document = client.app.with_conn(move |conn| {
                let s = store::students::get_student(conn, student).unwrap();
                store::vault::add(conn, s.district_id, s.id, "a.png", "2026-09-01".parse().unwrap(), PNG, None)
                    .unwrap()
                    .unwrap()
            });
            client
                .get(&format!("/students/{student}/documents/{document}"))
                .await
        }
        _ => crate::matrix::unknown_route(method, path),
    }
}

#[tokio::test]
async fn the_advisor_answers_with_citations_in_both_languages() {
    let app = TestApp::sqlite(false);
    let client = app.client();
    let form = client.get("/toolkit/advisor").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("<fieldset"));
    assert!(form.body.contains("<legend>"));
    let query = "/toolkit/advisor?submitted=1&age=8&suspected_disability=yes&needs_specially_designed_instruction=unknown&in_rti=yes&evaluation_requested_in_writing=no";
    let advice = client.get(query).await;
    assert_eq!(advice.status, StatusCode::OK);
    let expected = law::advisor::advise(
        &law::advisor::parse_answers(
            r#"{"age": 8, "suspected_disability": "yes", "in_rti": "yes", "evaluation_requested_in_writing": "no"}"#,
        )
        .unwrap(),
    );
    assert!(advice.body.contains(&format!(
        "data-recommendation=\"{}\"",
        serde_json::to_value(expected.recommendation).unwrap().as_str().unwrap()
    )));
    for reason in &expected.reasons {
        assert!(
            advice.body.contains(&reason.citation),
            "{}",
            reason.citation
        );
    }
    for warning in &expected.warnings {
        assert!(
            advice.body.contains(&warning.citation),
            "{}",
            warning.citation
        );
    }
    assert!(advice.body.contains("OSEP Memo 11-07"));
    // The comparison speaks to this child.
    let compare = client
        .get(&query.replace("/toolkit/advisor", "/toolkit/compare"))
        .await;
    assert_eq!(compare.status, StatusCode::OK);
    assert!(compare.body.contains("What this means for my child"));
    assert!(compare.body.contains("cannot be a reason to delay"));
    assert!(compare.body.contains("34 CFR 300.321(a)(1)"));
    // A wrong answer names its field, linked from the summary.
    let wrong = client.get("/toolkit/advisor?submitted=1&age=eight").await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.body.contains("href=\"#q-age\""));
    assert!(wrong.body.contains("aria-invalid=\"true\""));
    // In Spanish, the engine's Spanish reasons.
    client.get("/language/es?next=/").await;
    let es = client.get(query).await;
    assert!(es.body.contains("lang=\"es\""));
    let spanish = law::advisor::advise_in(
        &law::advisor::parse_answers(
            r#"{"age": 8, "suspected_disability": "yes", "in_rti": "yes", "evaluation_requested_in_writing": "no"}"#,
        )
        .unwrap(),
        law::advisor::Lang::Es,
    );
    let escaped = |s: &str| s.replace('"', "&#34;").replace('\'', "&#39;");
    assert!(
        es.body.contains(&escaped(&spanish.reasons[0].text)),
        "{}",
        spanish.reasons[0].text
    );
}

#[tokio::test]
async fn the_checker_quotes_cites_and_shows_the_pattern_without_an_account() {
    let app = TestApp::sqlite(false);
    let client = app.client();
    let form = client.get("/toolkit/redflags").await;
    assert_eq!(form.status, StatusCode::OK);
    let token = form.csrf_field();
    assert!(!token.is_empty());
    let text = "Thanks for meeting. We think we should wait and see how he does this year before testing. Lunch is at noon.";
    let found = client
        .post_raw_form("/toolkit/redflags", &[("csrf", &token), ("text", text)])
        .await;
    assert_eq!(found.status, StatusCode::OK, "{}", found.body);
    let engine = law::redflags::check(text);
    assert!(!engine.findings.is_empty());
    for f in &engine.findings {
        assert!(
            found
                .body
                .contains(&format!("data-category=\"{}\"", f.category))
        );
        assert!(found.body.contains(&f.citation));
        assert!(found.body.contains(&f.pattern), "{}", f.pattern);
    }
    assert!(!found.body.contains("Lunch is at noon.</p></blockquote>"));
    // A statement rejecting the red flag is no finding.
    let none = client
        .post_raw_form(
            "/toolkit/redflags",
            &[
                ("csrf", &token),
                ("text", "We will not wait and see; we will evaluate now."),
            ],
        )
        .await;
    assert!(none.body.contains("No red flags found"), "{}", none.body);
    // Without the token the post is refused; an empty text names the field.
    let forged = client
        .post_raw_form("/toolkit/redflags", &[("csrf", "forged"), ("text", text)])
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let empty = client
        .post_raw_form("/toolkit/redflags", &[("csrf", &token), ("text", " ")])
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.body.contains("href=\"#f-text\""));
}

#[tokio::test]
async fn the_calculator_shows_deadlines_filing_windows_and_a_calendar() {
    let app = TestApp::sqlite(false);
    let client = app.client();
    let query = "state=US&birth_date=2017-04-02&request=2025-09-02&consent=2025-09-10";
    let page = client
        .get(&format!("/toolkit/calculator?submitted=1&{query}"))
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("Initial evaluation"));
    assert!(page.body.contains("34 CFR 300.301(c)(1)"));
    for window in [
        "Due process complaint",
        "State complaint",
        "Complaint to the Office for Civil Rights",
    ] {
        assert!(page.body.contains(window), "{window}");
    }
    let (status, headers, ics) = raw_get(
        &client,
        &format!("/toolkit/calculator/deadlines.ics?{query}"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/calendar")
    );
    let ics = String::from_utf8(ics).unwrap();
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\n"));
    assert!(ics.contains("SUMMARY:Last day to file: Due process complaint"));
    assert!(ics.lines().all(|l| l.len() <= 75));
    // Bad input: the fields are named.
    let wrong = client
        .get("/toolkit/calculator?submitted=1&state=US-ZZ&birth_date=soon")
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.body.contains("href=\"#calc-state\""));
    assert!(wrong.body.contains("href=\"#calc-birth-date\""));
    let bad_ics = client
        .get("/toolkit/calculator/deadlines.ics?state=US&birth_date=2017-04-02")
        .await;
    assert_eq!(bad_ics.status, StatusCode::UNPROCESSABLE_ENTITY);
}

fn letter_fields<'a>(kind: &'a str, sent: &'a str, date: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("kind", kind),
        ("lang", "en"),
        ("date", date),
        ("parent.name", "Ana Rivera"),
        ("parent.address", "12 Elm St, Springfield"),
        ("student.name", "Leo Rivera"),
        ("student.school", "Lincoln Elementary"),
        ("recipient.name", "Dr. Pat Kim"),
        ("concerns", "Leo reads far below grade level."),
        ("sent", sent),
    ]
}

#[tokio::test]
async fn a_sent_evaluation_request_starts_the_clock_and_is_logged() {
    for app in TestApp::all() {
        let leo = app.students.leo;
        // Washington answers a written request within 25 school days (WAC 392-172A-03005),
        // so the request itself starts a clock; federally only consent does.
        app.with_conn(move |conn| {
            conn.execute(
                "UPDATE students SET jurisdiction = 'US-WA' WHERE id = $1",
                &[store::Value::Int(leo)],
            )
            .unwrap()
        });
        let parent = app.signed_in(Role::Parent).await;
        let today = app.clock.today().to_string();
        let form = parent.get(&format!("/students/{leo}/letters")).await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(form.body.contains("value=\"Leo Rivera\""));
        let response = parent
            .post_form(
                &format!("/students/{leo}/letters"),
                &letter_fields("evaluation_request", "yes", &today),
            )
            .await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.body);
        assert_eq!(response.headers[header::CONTENT_TYPE], "application/pdf");
        assert!(response.body.starts_with("%PDF-"));
        let events = parent
            .get(&format!("/api/v1/students/{leo}/events"))
            .await
            .json();
        let request = events["events"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["kind"] == "evaluation_requested")
            .expect("the letter is on the timeline")
            .clone();
        assert_eq!(request["by"], "parent");
        assert_eq!(request["written"], true);
        assert_eq!(request["on"], today.as_str());
        let obligations = parent
            .get(&format!("/api/v1/students/{leo}/obligations"))
            .await
            .json();
        let triggered: Vec<&serde_json::Value> = obligations["obligations"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|o| o["triggered_by"] == request["id"])
            .collect();
        assert!(!triggered.is_empty(), "{obligations}");
        let log = app.with_conn(move |conn| store::communications::list(conn, leo).unwrap());
        assert_eq!(log.len(), 1);
        assert_eq!(log[0].channel, "letter");
        assert_eq!(log[0].letter_kind.as_deref(), Some("evaluation_request"));
        assert_eq!(
            log[0].event_id.as_ref(),
            request["id"].as_str().map(str::to_owned).as_ref()
        );
        // A draft records nothing; a meeting request is logged without an event.
        let before = events["events"].as_array().unwrap().len();
        parent
            .post_form(
                &format!("/students/{leo}/letters"),
                &letter_fields("records_request", "no", &today),
            )
            .await;
        parent
            .post_form(
                &format!("/students/{leo}/letters"),
                &letter_fields("meeting_request", "yes", &today),
            )
            .await;
        let after = parent
            .get(&format!("/api/v1/students/{leo}/events"))
            .await
            .json();
        assert_eq!(after["events"].as_array().unwrap().len(), before);
        let log = app.with_conn(move |conn| store::communications::list(conn, leo).unwrap());
        assert_eq!(log.len(), 2);
        // A missing field is named and linked; a teacher may not write the family's letters.
        let mut missing = letter_fields("evaluation_request", "yes", &today);
        missing.retain(|(k, _)| *k != "student.school");
        let refused = parent
            .post_form(&format!("/students/{leo}/letters"), &missing)
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.body.contains("href=\"#f-student-school\""));
        let teacher = app.signed_in(Role::Teacher).await;
        assert_eq!(
            teacher
                .get(&format!("/students/{leo}/letters"))
                .await
                .status,
            StatusCode::FORBIDDEN
        );
    }
}

#[tokio::test]
async fn letters_without_an_account_are_pdfs_and_store_nothing() {
    let app = TestApp::sqlite(false);
    let client = app.client();
    let form = client.get("/toolkit/letters").await;
    let token = form.csrf_field();
    // Each kind links to its own form, with that kind chosen.
    assert!(
        form.body
            .contains("href=\"/toolkit/letters?kind=iee_request#letter-form\"")
    );
    let iee = client.get("/toolkit/letters?kind=iee_request").await;
    assert!(iee.body.contains("<option value=\"iee_request\" selected>"));
    let mut fields = letter_fields("records_request", "yes", "2026-11-24");
    fields.push(("csrf", &token));
    fields.retain(|(k, _)| *k != "sent");
    let pdf = client.post_raw_form("/toolkit/letters", &fields).await;
    assert_eq!(pdf.status, StatusCode::OK, "{}", pdf.body);
    assert_eq!(pdf.headers[header::CONTENT_TYPE], "application/pdf");
    assert!(
        pdf.headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .contains("records_request-en.pdf")
    );
    let leo = app.students.leo;
    assert!(
        app.with_conn(move |conn| store::communications::list(conn, leo).unwrap())
            .is_empty()
    );
}

#[tokio::test]
async fn the_communication_log_is_shared_by_those_linked() {
    for app in TestApp::all() {
        let leo = app.students.leo;
        let parent = app.signed_in(Role::Parent).await;
        let saved = parent
            .post_form(
                &format!("/students/{leo}/communications"),
                &[
                    ("on", "2026-09-01"),
                    ("channel", "call"),
                    ("with_whom", "Ms. Alvarez"),
                    ("summary", "She said the evaluation is scheduled."),
                    ("follow_up_due", "2026-09-15"),
                ],
            )
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        let teacher = app.signed_in(Role::Teacher).await;
        let page = teacher.get(&format!("/students/{leo}/toolkit")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("She said the evaluation is scheduled."));
        assert!(page.body.contains("Test parent"));
        // The read is on the record of access.
        let entries = app.with_conn(move |conn| store::access_log::for_student(conn, leo).unwrap());
        let logged = serde_json::to_string(&entries).unwrap();
        assert!(logged.contains("view_toolkit"));
        let refused = parent
            .post_form(
                &format!("/students/{leo}/communications"),
                &[("on", "tomorrow"), ("channel", "pigeon")],
            )
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        for id in ["#f-on", "#f-channel", "#f-with_whom", "#f-summary"] {
            assert!(refused.body.contains(&format!("href=\"{id}\"")), "{id}");
        }
        // Another family's child: not found.
        let mia = app.students.mia;
        assert_eq!(
            parent.get(&format!("/students/{mia}/toolkit")).await.status,
            StatusCode::NOT_FOUND
        );
    }
}

#[tokio::test]
async fn the_vault_keeps_what_the_bytes_allow_and_the_binder_lists_it() {
    for app in TestApp::all() {
        let leo = app.students.leo;
        let parent = app.signed_in(Role::Parent).await;
        let path = format!("/students/{leo}/documents");
        let ok = upload(
            &parent,
            &path,
            "report card.png",
            "image/png",
            PNG,
            "2026-09-01",
        )
        .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
        let docs = app.with_conn(move |conn| store::vault::list(conn, leo).unwrap());
        assert_eq!(docs.len(), 1);
        assert_eq!(docs[0].sha256, store::vault::sha256_hex(PNG));
        let (status, headers, bytes) = raw_get(
            &parent,
            &format!("/students/{leo}/documents/{}", docs[0].id),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(bytes, PNG);
        assert_eq!(headers[header::CONTENT_TYPE], "image/png");
        assert_eq!(
            headers[header::CONTENT_DISPOSITION],
            "attachment; filename=\"report_card.png\""
        );
        // Refused by content, whatever the name and Content-Type say.
        for (name, bytes, message) in [
            (
                "invoice.pdf",
                b"MZ\x90\0\x03\0\0\0".to_vec(),
                "program or script",
            ),
            (
                "notes.pdf",
                b"just some text".to_vec(),
                "is not a PDF, PNG or JPEG",
            ),
            (
                "form.pdf",
                b"%PDF-1.4\n<< /OpenAction << /S /JavaScript /JS (x) >> >>".to_vec(),
                "contains scripts",
            ),
        ] {
            let refused = upload(
                &parent,
                &path,
                name,
                "application/pdf",
                &bytes,
                "2026-09-01",
            )
            .await;
            assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{name}");
            assert!(refused.body.contains(message), "{name}");
            assert!(refused.body.contains("href=\"#f-file\""));
        }
        let mut big = b"%PDF-1.4\n".to_vec();
        big.resize(store::vault::MAX_BYTES + 1, b' ');
        let too_large = upload(
            &parent,
            &path,
            "big.pdf",
            "application/pdf",
            &big,
            "2026-09-01",
        )
        .await;
        assert_eq!(too_large.status, StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(
            app.with_conn(move |conn| store::vault::list(conn, leo).unwrap())
                .len(),
            1
        );
        // Someone else's document number on this child: not found.
        let (missing, _, _) = raw_get(
            &parent,
            &format!("/students/{leo}/documents/{}", docs[0].id + 999),
        )
        .await;
        assert_eq!(missing, StatusCode::NOT_FOUND);

        // The binder: one PDF with the log and the documents' index.
        parent
            .post_form(
                &format!("/students/{leo}/communications"),
                &[
                    ("on", "2026-09-02"),
                    ("channel", "email"),
                    ("with_whom", "Dr. Kim"),
                    ("summary", "Sent the consent form back."),
                ],
            )
            .await;
        let (status, headers, pdf) = raw_get(&parent, &format!("/students/{leo}/binder.pdf")).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(headers[header::CONTENT_TYPE], "application/pdf");
        assert!(pdf.starts_with(b"%PDF-"));
        if let Some(text) = pdftotext(&pdf) {
            for needle in [
                "Leo Rivera",
                "Communication log",
                "Sent the consent form back.",
                "Documents index",
                "report card.png",
                &store::vault::sha256_hex(PNG)[..16],
            ] {
                assert!(text.contains(needle), "{needle} not in the binder text");
            }
        }
    }
}

/// The text layer of a PDF through poppler's `pdftotext`, when it is installed.
fn pdftotext(pdf: &[u8]) -> Option<String> {
    let dir = std::env::temp_dir().join(format!("iep504-binder-{}", std::process::id()));
    std::fs::create_dir_all(&dir).ok()?;
    let file = dir.join("binder.pdf");
    std::fs::write(&file, pdf).ok()?;
    let out = std::process::Command::new("pdftotext")
        .args(["-layout"])
        .arg(&file)
        .arg("-")
        .output()
        .ok()?;
    let _ = std::fs::remove_dir_all(&dir);
    out.status.success().then(|| {
        String::from_utf8_lossy(&out.stdout)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    })
}

#[tokio::test]
async fn in_parent_only_mode_the_parent_keeps_the_whole_timeline() {
    let app = TestApp::sqlite(false);
    let leo = app.students.leo;
    let parent = app.signed_in(Role::Parent).await;
    let meeting = [
        ("kind", "iep_meeting_held"),
        ("f_on", "2026-09-01"),
        ("f_purpose", "annual"),
    ];
    let refused = parent
        .post_form(&format!("/students/{leo}/events"), &meeting)
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    let district = app.district;
    app.with_conn(move |conn| store::districts::mark_parent_only(conn, district).unwrap());
    let added = parent
        .post_form(&format!("/students/{leo}/events"), &meeting)
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    // Still no plan writing, and another family's child stays out of reach.
    let mia = app.students.mia;
    assert_eq!(
        parent
            .post_form(&format!("/students/{mia}/events"), &meeting)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let services = parent
        .post_form(&format!("/students/{leo}/services"), &[("name", "Speech")])
        .await;
    assert_eq!(services.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_first_run_creates_a_parents_own_records_once() {
    let (router, location) = tokio::task::spawn_blocking(|| {
        let db = store::testing::TestDb::sqlite();
        let pool = store::Pool::open(&db.location, 2).unwrap();
        let router = web::router(web::AppState::new(
            pool,
            false,
            web::Clock::default(),
            false,
        ));
        (router, db)
    })
    .await
    .unwrap();
    let send = |request: Request<Body>| {
        let router = router.clone();
        async move {
            let mut request = request;
            request.extensions_mut().insert(axum::extract::ConnectInfo(
                std::net::SocketAddr::from(([127, 0, 0, 1], 4000)),
            ));
            let response = router.oneshot(request).await.unwrap();
            let status = response.status();
            let headers = response.headers().clone();
            let body = axum::body::to_bytes(response.into_body(), usize::MAX)
                .await
                .unwrap();
            (status, headers, String::from_utf8_lossy(&body).into_owned())
        }
    };
    let (status, headers, _) = send(Request::get("/sign-in").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(headers[header::LOCATION], "/setup");
    let (status, headers, body) = send(Request::get("/setup").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    let cookie = headers[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let token = cookie.split('=').nth(1).unwrap().to_owned();
    assert!(body.contains(&token));
    let post = |fields: Vec<(&'static str, String)>| {
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        Request::post("/setup/parent")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, cookie.clone())
            .body(Body::from(body))
            .unwrap()
    };
    let mut fields = vec![
        ("csrf", token.clone()),
        ("display_name", "Ana Rivera".to_owned()),
        ("username", "ana".to_owned()),
        ("password", "short".to_owned()),
        ("password_again", "short".to_owned()),
        ("child_first_name", "Leo".to_owned()),
        ("child_last_name", "Rivera".to_owned()),
        ("child_birth_date", "2017-04-02".to_owned()),
        ("state", "US-TX".to_owned()),
    ];
    let (status, _, body) = send(post(fields.clone())).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("href=\"#setup-password\""));
    fields[3].1 = PASSWORD.to_owned();
    fields[4].1 = PASSWORD.to_owned();
    let (status, headers, body) = send(post(fields.clone())).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    assert_eq!(headers[header::LOCATION], "/");
    assert!(
        headers
            .get_all(header::SET_COOKIE)
            .iter()
            .any(|c| c.to_str().unwrap().starts_with("__Host-iep504="))
    );
    let (district, user) = tokio::task::spawn_blocking(move || {
        let mut conn = location.conn();
        let districts = store::districts::list_districts(&mut conn).unwrap();
        assert_eq!(districts.len(), 1);
        let parent_only = store::districts::is_parent_only(&mut conn, districts[0].id).unwrap();
        let user = store::users::find_by_username(&mut conn, "ana")
            .unwrap()
            .unwrap();
        assert!(web::auth::verify_password(
            PASSWORD,
            user.password_hash.as_deref().unwrap()
        ));
        let children = store::students::linked_students(&mut conn, user.id).unwrap();
        assert_eq!(children.len(), 1);
        assert_eq!(children[0].jurisdiction, "US-TX");
        drop(conn);
        drop(location);
        (parent_only, user.role)
    })
    .await
    .unwrap();
    assert!(district);
    assert_eq!(user, Role::Parent);
    // Once set up, the first run is gone: nobody can take the instance over.
    let (status, _, _) = send(Request::get("/setup").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    fields[2].1 = "mallory".to_owned();
    let (status, _, _) = send(post(fields)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_calculator_explains_in_spanish_for_a_spanish_reader() {
    let app = TestApp::sqlite(false);
    let client = app.client();
    client.get("/language/es?next=/toolkit/calculator").await;
    let query = "state=US&birth_date=2017-04-02&consent=2025-09-10";
    let page = client
        .get(&format!("/toolkit/calculator?submitted=1&{query}"))
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    // 2025-09-10 + 60 calendar days = 2025-11-09.
    for line in [
        "<li>consentimiento dado el 10 de septiembre de 2025</li>",
        "<li>60 días calendario → 9 de noviembre de 2025</li>",
        "el plazo «evaluación inicial», que vencía el 9 de noviembre de 2025, no se cumplió a tiempo",
    ] {
        assert!(page.body.contains(line), "{line} in {}", page.body);
    }
    for english in [
        "calendar days",
        "was not met",
        "consent received",
        "violation:",
    ] {
        assert!(!page.body.contains(english), "{english}");
    }
    let (status, _, ics) = raw_get(
        &client,
        &format!("/toolkit/calculator/deadlines.ics?{query}"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let ics = String::from_utf8(ics).unwrap().replace("\r\n ", "");
    assert!(
        ics.contains("incumplimiento: el plazo «evaluación inicial»"),
        "{ics}"
    );
    assert!(!ics.contains("calendar days"), "{ics}");
}
