//! Dates in the reader's language on every page: a Spanish reader sees "7 de noviembre de
//! 2026" in sentences and "7 nov 2026" in tables, never an ISO date or an English month in the
//! text; the ISO value stays in `<time datetime>` for machines (docs/web.md).

use crate::app::TestApp;
use axum::http::StatusCode;
use domain::Date;
use domain::people::Role;
use serde_json::json;

fn days_ago(app: &TestApp, n: i64) -> Date {
    app.clock.today().saturating_sub(jiff::Span::new().days(n))
}

/// The page's text as a reader meets it: markup (and so every attribute) removed, and the
/// hints of date fields, which show how to type a date (ISO, with the date in words).
fn visible_text(html: &str) -> String {
    let mut html = html.to_owned();
    while let Some(start) = html.find("<span class=\"hint\"") {
        let end = html[start..]
            .find("</span>")
            .map_or(html.len(), |e| start + e);
        let hint = html[start..end].to_owned();
        if !iso_dates(&hint).is_empty() {
            assert!(
                hint.contains("8 de septiembre de 2026"),
                "an unexplained example: {hint}"
            );
        }
        html.replace_range(start..end, "");
    }
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    text
}

/// Every `YYYY-MM-DD` in `text`.
fn iso_dates(text: &str) -> Vec<String> {
    let bytes = text.as_bytes();
    let shape = |w: &[u8]| {
        w.iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            _ => b.is_ascii_digit(),
        })
    };
    bytes
        .windows(10)
        .enumerate()
        .filter(|(i, w)| shape(w) && (*i == 0 || !bytes[i - 1].is_ascii_digit()))
        .map(|(i, _)| text[i..i + 10].to_owned())
        .collect()
}

/// English month names as dates write them: "November 7" or "Nov 7".
fn english_months(text: &str) -> Vec<String> {
    let names = (1..=12).map(|month| {
        let first = Date::new(2026, month, 1).expect("a month's first day");
        law::dates::month_name(first, law::Lang::En)
    });
    let mut found = Vec::new();
    for name in names {
        for word in [name, &name[..3]] {
            for (at, _) in text.match_indices(&format!("{word} ")) {
                let after = &text[at + word.len() + 1..];
                if after.starts_with(|c: char| c.is_ascii_digit()) {
                    found.push(word.to_owned());
                }
            }
        }
    }
    found
}

/// Drops the ISO dates written inside free text, leaving date fields (a whole value) alone.
fn words_only(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::String(s) if s.parse::<Date>().is_err() => {
            for iso in iso_dates(s) {
                *s = s.replace(&iso, "soon");
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(words_only),
        serde_json::Value::Object(map) => map.values_mut().for_each(words_only),
        _ => {}
    }
}

fn assert_reads_spanish(page: &str, what: &str) {
    let text = visible_text(page);
    assert!(
        iso_dates(&text).is_empty(),
        "{what}: ISO dates {:?} in the text",
        iso_dates(&text)
    );
    assert!(
        english_months(&text).is_empty(),
        "{what}: English months {:?}",
        english_months(&text)
    );
    assert!(
        !page.contains("&lt;time"),
        "{what}: an escaped <time> element"
    );
}

#[test]
fn the_checks_find_what_they_look_for() {
    let page = r#"<p>Vence el <time datetime="2026-11-07">7 de noviembre de 2026</time></p>"#;
    assert!(iso_dates(&visible_text(page)).is_empty());
    assert_eq!(iso_dates("Due 2026-11-07."), vec!["2026-11-07"]);
    assert_eq!(english_months("due Nov 7, 2026"), vec!["Nov"]);
    assert!(english_months("7 nov 2026, mayo").is_empty());
}

#[tokio::test]
async fn a_spanish_reader_sees_dates_in_spanish_on_every_record_page() {
    let app = TestApp::sqlite(false);
    let leo = app.students.leo;
    let api = app.with_token(Role::CaseManager);
    let consent = days_ago(&app, 20);
    let post = |path: String, body: serde_json::Value| {
        let api = &api;
        async move {
            let answer = api.post_json(&path, &body, &[]).await;
            assert_eq!(
                answer.status,
                StatusCode::CREATED,
                "{path}: {}",
                answer.body
            );
            answer.json()
        }
    };
    post(
        format!("/api/v1/students/{leo}/evaluations"),
        json!({"step": "referral", "on": days_ago(&app, 30), "by": "parent",
               "requester": "Rosa Rivera", "written": true, "concerns": "Reading"}),
    )
    .await;
    post(
        format!("/api/v1/students/{leo}/evaluations"),
        json!({"step": "consent_answer", "on": consent,
               "for": "initial_evaluation", "given": true}),
    )
    .await;
    let service = post(
        format!("/api/v1/students/{leo}/services"),
        json!({"name": "Speech therapy", "provider_role": "speech_language_pathologist",
               "minutes": 60, "per": "week", "setting": "Speech room",
               "start": days_ago(&app, 40), "end": days_ago(&app, -40)}),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    post(
        format!("/api/v1/students/{leo}/sessions"),
        json!({"service": service, "on": days_ago(&app, 3), "minutes": 30,
               "status": "delivered"}),
    )
    .await;
    let goal = post(
        format!("/api/v1/students/{leo}/goals"),
        json!({"description": "Reads grade-level passages aloud",
               "measure": "Words correct per minute",
               "baseline": {"on": days_ago(&app, 40), "value": 10},
               "target": {"on": days_ago(&app, -60), "value": 40},
               "direction": "increase"}),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    post(
        format!("/api/v1/students/{leo}/goals/{goal}/points"),
        json!({"on": days_ago(&app, 5), "value": 14}),
    )
    .await;
    // The generator's goals say "By 2027-11-23, …": text people write is theirs to word, so
    // only the plan's date fields are left as dates.
    let mut content = crate::plans::complete_iep(&app, leo);
    words_only(&mut content);
    let plan = crate::plans::finalize(&app, leo, content);

    let manager = app.signed_in(Role::CaseManager).await;
    manager
        .post_form("/account/language", &[("lang", "es")])
        .await;
    let long = |d: Date| law::dates::long(d, law::Lang::Es);
    let short = |d: Date| law::dates::short(d, law::Lang::Es);
    let pages = [
        (format!("/students/{leo}"), short(consent)),
        (
            format!("/students/{leo}/evaluations"),
            format!(
                "Respuesta de los padres a la solicitud de consentimiento, {}",
                long(consent)
            ),
        ),
        (format!("/students/{leo}/plans"), short(app.clock.today())),
        (
            format!("/students/{leo}/plans/{plan}"),
            long(app.clock.today()),
        ),
        (format!("/students/{leo}/goals"), String::new()),
        (format!("/students/{leo}/goals/{goal}"), String::new()),
        (
            format!("/students/{leo}/services"),
            short(days_ago(&app, 3)),
        ),
        (format!("/students/{leo}/interventions"), String::new()),
        (format!("/students/{leo}/toolkit"), String::new()),
        ("/caseload".to_owned(), long(app.clock.today())),
    ];
    let admin = app.signed_in(Role::DistrictAdmin).await;
    admin
        .post_form("/account/language", &[("lang", "es")])
        .await;
    let district_pages = [
        ("/compliance".to_owned(), long(app.clock.today())),
        ("/compliance/services".to_owned(), long(app.clock.today())),
    ];
    let visits = pages
        .into_iter()
        .map(|p| (&manager, p))
        .chain(district_pages.into_iter().map(|p| (&admin, p)));
    for (client, (path, expected)) in visits {
        let page = client.get(&path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert!(page.body.contains("<html lang=\"es\">"), "{path}");
        assert!(page.body.contains(&expected), "{path}: no {expected:?}");
        assert_reads_spanish(&page.body, &path);
    }
    // The family reads the same record: home deadlines, the child's page, the toolkit.
    let parent = app.signed_in(Role::Parent).await;
    parent
        .post_form("/account/language", &[("lang", "es")])
        .await;
    for path in [
        "/".to_owned(),
        format!("/students/{leo}"),
        format!("/students/{leo}/toolkit"),
        format!("/students/{leo}/access"),
    ] {
        let page = parent.get(&path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert_reads_spanish(&page.body, &path);
        if path.ends_with("/access") {
            // Why each read happened reads in Spanish too; the record keeps the English it states.
            for purpose in [
                "revisión del expediente por el padre, la madre o el tutor",
                "interés educativo legítimo: servicios para este estudiante",
            ] {
                assert!(page.body.contains(purpose), "{path}: no {purpose:?}");
            }
            assert!(
                !page.body.contains("legitimate educational interest"),
                "{path}"
            );
        }
        if path == "/" {
            // The initial evaluation: 60 calendar days from consent (34 CFR 300.301(c)(1)).
            let due = consent.saturating_add(jiff::Span::new().days(60));
            let sentence = format!("vence el {}.", long(due));
            assert!(
                page.body.contains(&sentence),
                "no {sentence:?} on the home page"
            );
        }
    }
    // Table cells keep the ISO value for machines.
    let services = manager.get(&format!("/students/{leo}/services")).await;
    let on = days_ago(&app, 3);
    assert!(
        services
            .body
            .contains(&format!("<time datetime=\"{on}\">{}</time>", short(on)))
    );
}
