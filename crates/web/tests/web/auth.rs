//! Sign-in, sessions, CSRF, throttling and the TOTP second step.

use crate::app::{PASSWORD, TOTP_SECRET, TestApp};
use axum::http::StatusCode;
use domain::people::Role;

#[tokio::test]
async fn health_and_security_headers() {
    for app in TestApp::all() {
        let response = app.client().get("/healthz").await;
        assert_eq!(response.status, StatusCode::OK);
        let csp = response.headers["content-security-policy"]
            .to_str()
            .unwrap();
        assert!(
            csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"),
            "{csp}"
        );
        assert_eq!(response.headers["x-content-type-options"], "nosniff");
        assert_eq!(response.headers["referrer-policy"], "no-referrer");
        assert_eq!(response.headers["cache-control"], "no-store");
        let css = app.client().get("/static/app.css").await;
        assert!(css.body.contains(":focus-visible"));
    }
}

#[tokio::test]
async fn unknown_pages_are_accessible_html_and_api_errors_are_problem_documents() {
    let app = TestApp::sqlite(false);
    let page = app.client().get("/no/such/page").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.body.contains("<html lang=\"en\">") && page.body.contains("<h1>"));
    let api = app.client().get("/api/v1/students").await;
    assert_eq!(api.status, StatusCode::UNAUTHORIZED);
    assert_eq!(api.headers["content-type"], "application/problem+json");
    assert_eq!(api.json()["status"], 401);
}

#[tokio::test]
async fn parent_signs_in_with_a_password_and_gets_a_secure_session_cookie() {
    for app in TestApp::all() {
        let client = app.client();
        let response = client.password_step("parent", PASSWORD).await;
        assert_eq!(response.status, StatusCode::SEE_OTHER);
        assert_eq!(response.location(), "/");
        let set = response
            .headers
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .find(|c| c.starts_with("__Host-iep504="))
            .unwrap();
        for attribute in ["Path=/", "Secure", "HttpOnly", "SameSite=Lax"] {
            assert!(set.contains(attribute), "{set}");
        }
        // Only the hash of the session id is stored.
        let id = client.cookie("__Host-iep504").unwrap();
        assert_eq!(id.len(), 64);
        let stored = app.with_conn(|c| c.query("SELECT id_hash FROM sessions", &[]).unwrap());
        assert_eq!(stored.len(), 1);
        assert_eq!(stored[0].text(0).unwrap(), store::users::secret_hash(&id));
        let home = client.get("/").await;
        assert_eq!(home.status, StatusCode::OK);
        assert!(home.body.contains("Leo Rivera"));
        assert!(!home.body.contains("Mia"));
    }
}

#[tokio::test]
async fn wrong_password_is_refused_without_saying_which_part_was_wrong() {
    let app = TestApp::sqlite(false);
    for (user, password) in [("parent", "wrong password here"), ("nobody", PASSWORD)] {
        let response = app.client().password_step(user, password).await;
        assert_eq!(response.status, StatusCode::UNAUTHORIZED);
        assert!(
            response
                .body
                .contains("The username or password is not right.")
        );
    }
}

#[tokio::test]
async fn staff_need_a_totp_code_after_the_password() {
    for app in TestApp::all() {
        let client = app.client();
        let response = client.password_step("case_manager", PASSWORD).await;
        assert_eq!(response.location(), "/sign-in/second-factor");
        let before_mfa_id = client.cookie("__Host-iep504").unwrap();
        // Half-signed-in sessions reach nothing else.
        let blocked = client.get("/caseload").await;
        assert_eq!(blocked.status, StatusCode::SEE_OTHER);
        assert_eq!(blocked.location(), "/sign-in/second-factor");
        let api = client.get("/api/v1/students").await;
        assert_eq!(api.status, StatusCode::UNAUTHORIZED);

        let wrong = client.post_second_factor(&[("code", "000000")]).await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
        assert!(wrong.body.contains("aria-invalid=\"true\""));

        let code = app.next_totp();
        let right = client.post_second_factor(&[("code", &code)]).await;
        assert_eq!(right.status, StatusCode::SEE_OTHER);
        // A fresh session id after the second step.
        assert_ne!(client.cookie("__Host-iep504").unwrap(), before_mfa_id);
        assert_eq!(client.get("/caseload").await.status, StatusCode::OK);

        // The same code cannot be used twice.
        let again = app.client();
        again.password_step("case_manager", PASSWORD).await;
        let replay = again.post_second_factor(&[("code", &code)]).await;
        assert_eq!(replay.status, StatusCode::UNAUTHORIZED);
    }
}

#[tokio::test]
async fn staff_without_totp_enrol_on_first_sign_in_and_get_recovery_codes() {
    let app = TestApp::sqlite(false);
    let user = app.with_conn(|c| {
        let user = store::users::find_by_username(c, "teacher")
            .unwrap()
            .unwrap();
        store::users::set_totp(c, user.id, None, false).unwrap();
        user
    });

    let client = app.client();
    client.password_step("teacher", PASSWORD).await;
    let page = client.get("/sign-in/second-factor").await;
    assert!(page.body.contains("<svg role=\"img\""), "a QR code");
    let secret = app.with_conn(|c| {
        store::users::get_user(c, user.id)
            .unwrap()
            .totp_secret
            .unwrap()
    });
    assert!(page.body.contains(&secret), "the secret in text");

    app.clock.advance(30);
    let code = web::auth::totp_code(&secret, app.clock.unix_seconds()).unwrap();
    let done = client.post_second_factor(&[("code", &code)]).await;
    assert_eq!(done.status, StatusCode::OK);
    let codes: Vec<String> = done
        .body
        .split("<li><code>")
        .skip(1)
        .map(|s| s.split('<').next().unwrap().to_owned())
        .collect();
    assert_eq!(codes.len(), 10);
    assert!(app.with_conn(|c| store::users::get_user(c, user.id).unwrap().totp_enabled));
    assert_eq!(client.get("/").await.status, StatusCode::OK);

    // A recovery code works once.
    for expected in [StatusCode::SEE_OTHER, StatusCode::UNAUTHORIZED] {
        let other = app.client();
        other.password_step("teacher", PASSWORD).await;
        let response = other
            .post_second_factor(&[("recovery_code", &codes[0])])
            .await;
        assert_eq!(response.status, expected);
    }
}

#[tokio::test]
async fn demo_mode_skips_totp_and_says_so_on_every_page() {
    let app = TestApp::sqlite(true);
    // A user who enrolled a second factor is asked for it even in the demo.
    let enrolled = app.client();
    let response = enrolled.password_step("case_manager", PASSWORD).await;
    assert_eq!(response.location(), "/sign-in/second-factor");

    app.with_conn(|c| {
        let user = store::users::find_by_username(c, "case_manager")
            .unwrap()
            .unwrap();
        store::users::set_totp(c, user.id, None, false).unwrap();
    });
    let client = app.client();
    let sign_in = client.get("/sign-in").await;
    assert!(sign_in.body.contains("Demo mode."));
    let response = client.password_step("case_manager", PASSWORD).await;
    assert_eq!(response.location(), "/");
    let page = client.get("/caseload").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("class=\"demo-banner\""));
    let missing = client.get("/nowhere").await;
    assert!(missing.body.contains("class=\"demo-banner\""));
}

#[tokio::test]
async fn every_post_form_needs_the_session_csrf_token() {
    for app in TestApp::all() {
        let client = app.signed_in(Role::Parent).await;
        let none = client
            .post_raw_form("/account/language", &[("lang", "es")])
            .await;
        assert_eq!(none.status, StatusCode::FORBIDDEN);
        let wrong = client
            .post_raw_form("/account/language", &[("csrf", "0123"), ("lang", "es")])
            .await;
        assert_eq!(wrong.status, StatusCode::FORBIDDEN);
        let right = client
            .post_form("/account/language", &[("lang", "es")])
            .await;
        assert_eq!(right.status, StatusCode::SEE_OTHER);
        // The sign-in form is protected too, by its own double-submit token.
        let stranger = app.client();
        let forged = stranger
            .post_raw_form(
                "/sign-in",
                &[("username", "parent"), ("password", PASSWORD)],
            )
            .await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN);
        // A JSON call with the session cookie needs the token in a header.
        let body = serde_json::json!({"id": "", "kind": "records_requested", "on": "2026-09-01"});
        let path = format!("/api/v1/students/{}/events", app.students.leo);
        let forged = client
            .send(
                axum::http::Request::post(&path)
                    .header("content-type", "application/json")
                    .body(axum::body::Body::from(body.to_string()))
                    .unwrap(),
            )
            .await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN);
        assert_eq!(
            client.post_json(&path, &body, &[]).await.status,
            StatusCode::CREATED
        );
    }
}

#[tokio::test]
async fn repeated_failures_make_the_account_wait() {
    for app in TestApp::all() {
        for _ in 0..5 {
            let response = app
                .client()
                .password_step("parent", "not the password!")
                .await;
            assert_eq!(response.status, StatusCode::UNAUTHORIZED);
        }
        let blocked = app.client().password_step("parent", PASSWORD).await;
        assert_eq!(blocked.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(blocked.body.contains("Wait 15 minutes"));
        assert_eq!(blocked.headers["retry-after"], "900");
        app.clock.advance(15 * 60 + 1);
        let later = app.client().password_step("parent", PASSWORD).await;
        assert_eq!(later.status, StatusCode::SEE_OTHER);
    }
}

#[tokio::test]
async fn repeated_failures_from_one_address_make_it_wait() {
    let app = TestApp::sqlite(false);
    for i in 0..20 {
        let response = app
            .client()
            .password_step(&format!("guess{i}"), "not the password!")
            .await;
        assert_eq!(response.status, StatusCode::UNAUTHORIZED);
    }
    let blocked = app.client().password_step("parent", PASSWORD).await;
    assert_eq!(blocked.status, StatusCode::TOO_MANY_REQUESTS);
    let mut elsewhere = app.client();
    elsewhere.addr = "198.51.100.1:1".parse().unwrap();
    assert_eq!(
        elsewhere.password_step("parent", PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn totp_failures_count_against_the_account() {
    let app = TestApp::sqlite(false);
    let client = app.client();
    client.password_step("evaluator", PASSWORD).await;
    for _ in 0..5 {
        let response = client.post_second_factor(&[("code", "123456")]).await;
        assert_eq!(response.status, StatusCode::UNAUTHORIZED);
    }
    let code = app.next_totp();
    let blocked = client.post_second_factor(&[("code", &code)]).await;
    assert_eq!(blocked.status, StatusCode::TOO_MANY_REQUESTS);
    let _ = TOTP_SECRET;
}

#[tokio::test]
async fn sessions_expire_after_30_idle_minutes_and_12_hours_in_all() {
    for app in TestApp::all() {
        let client = app.signed_in(Role::Parent).await;
        app.clock.advance(29 * 60);
        assert_eq!(client.get("/").await.status, StatusCode::OK);
        app.clock.advance(31 * 60);
        let expired = client.get("/").await;
        assert_eq!(expired.status, StatusCode::SEE_OTHER);
        assert_eq!(expired.location(), "/sign-in");

        let busy = app.signed_in(Role::Parent).await;
        for _ in 0..(12 * 3 + 1) {
            app.clock.advance(20 * 60);
            let _ = busy.get("/").await;
        }
        assert_eq!(busy.get("/").await.location(), "/sign-in");
    }
}

#[tokio::test]
async fn signing_out_ends_the_session_on_the_server() {
    let app = TestApp::sqlite(false);
    let client = app.signed_in(Role::Parent).await;
    let id = client.cookie("__Host-iep504").unwrap();
    let out = client.post_form("/sign-out", &[]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert!(!client.has_cookie("__Host-iep504"));
    // Replaying the old cookie gets nowhere.
    let replay = app.client();
    replay.set_cookie("__Host-iep504", &id);
    assert_eq!(replay.get("/").await.location(), "/sign-in");
}

#[tokio::test]
async fn changing_the_password_signs_out_other_sessions() {
    let app = TestApp::sqlite(false);
    let here = app.signed_in(Role::Parent).await;
    let elsewhere = app.signed_in(Role::Parent).await;
    let short = here
        .post_form(
            "/account/password",
            &[
                ("current", PASSWORD),
                ("new_password", "short"),
                ("confirm", "short"),
            ],
        )
        .await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    let new = "a brand new passphrase";
    let changed = here
        .post_form(
            "/account/password",
            &[
                ("current", PASSWORD),
                ("new_password", new),
                ("confirm", new),
            ],
        )
        .await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER);
    assert_eq!(here.get("/").await.status, StatusCode::OK);
    assert_eq!(elsewhere.get("/").await.location(), "/sign-in");
    app.client().sign_in("parent", new).await;
}
