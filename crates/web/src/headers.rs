//! The edge every response passes: errors rendered as problem documents or HTML pages,
//! security headers, and a request log line that names the route template, never a value
//! (no ids, names or feed secrets). Also the health check and the stylesheet.

use crate::error::{AppError, ErrorInfo};
use crate::i18n::Lang;
use crate::session;
use crate::state::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// No inline script or style anywhere; pages load one stylesheet from this origin. Images may
/// be data: URIs (none are today, but the QR code may move there).
const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

pub async fn edge(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let started = std::time::Instant::now();
    let method = request.method().clone();
    let path = request.uri().path();
    let problem_json =
        path.starts_with("/api/") || path.starts_with("/feeds/") || path.starts_with("/edfi");
    let is_static = path.starts_with("/static/");
    let is_health = path == "/healthz";
    let fallback_lang = Lang::negotiate(
        session::read_cookie(request.headers(), session::LANG_COOKIE).as_deref(),
        None,
        request
            .headers()
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    );
    let template = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "(no route)".to_owned(), |m| m.as_str().to_owned());

    let mut response = next.run(request).await;

    if !is_health && response.extensions().get::<ErrorInfo>().is_none() {
        response = adopt_framework_error(response).await;
    }
    if let Some(info) = response.extensions().get::<ErrorInfo>().cloned() {
        let lang = response
            .extensions()
            .get::<Lang>()
            .copied()
            .unwrap_or(fallback_lang);
        let kept: Vec<(HeaderName, HeaderValue)> = [header::SET_COOKIE, header::WWW_AUTHENTICATE]
            .into_iter()
            .flat_map(|name| {
                response
                    .headers()
                    .get_all(&name)
                    .iter()
                    .map(|v| (name.clone(), v.clone()))
                    .collect::<Vec<_>>()
            })
            .collect();
        response = if problem_json {
            crate::error::problem(&info)
        } else {
            crate::error::page(&info, &state.i18n.tr(lang), state.demo)
        };
        for (name, value) in kept {
            response.headers_mut().append(name, value);
        }
        if matches!(
            info.status,
            StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE
        ) {
            let wait = if info.status == StatusCode::TOO_MANY_REQUESTS {
                "900"
            } else {
                "5"
            };
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static(wait));
        }
    }

    secure(response.headers_mut(), is_static);
    if state.log_requests {
        eprintln!(
            "{method} {template} {} {}ms",
            response.status().as_u16(),
            started.elapsed().as_millis()
        );
    }
    response
}

/// Errors axum answers on its own (a malformed query or form, a wrong method) come as plain
/// text; give them the same problem document or page as ours. Their text describes the
/// caller's own input, never stored data.
async fn adopt_framework_error(response: Response) -> Response {
    let status = response.status();
    let plain = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|v| v.starts_with("text/plain"));
    // Our own pages and documents (a form shown again with its errors) pass untouched.
    if !(status.is_client_error() || status.is_server_error()) || !plain {
        return response;
    }
    let (parts, body) = response.into_parts();
    let text = axum::body::to_bytes(body, 16 * 1024)
        .await
        .map(|b| String::from_utf8_lossy(&b).trim().to_owned())
        .unwrap_or_default();
    let detail = if text.is_empty() {
        status.canonical_reason().unwrap_or("error").to_lowercase()
    } else {
        text
    };
    let mut response = Response::from_parts(parts, axum::body::Body::empty());
    response.extensions_mut().insert(ErrorInfo {
        status,
        message_id: crate::error::message_id(status),
        detail,
        field: None,
        current: None,
    });
    response
}

fn secure(headers: &mut HeaderMap, is_static: bool) {
    let set = |headers: &mut HeaderMap, name: HeaderName, value: &'static str| {
        headers.insert(name, HeaderValue::from_static(value));
    };
    set(headers, header::CONTENT_SECURITY_POLICY, CSP);
    set(headers, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    // Feed URLs carry a secret; no page should leak its address to another site.
    set(headers, header::REFERRER_POLICY, "no-referrer");
    set(headers, header::X_FRAME_OPTIONS, "DENY");
    set(
        headers,
        HeaderName::from_static("permissions-policy"),
        "camera=(), microphone=(), geolocation=()",
    );
    set(
        headers,
        HeaderName::from_static("cross-origin-opener-policy"),
        "same-origin",
    );
    if is_static {
        set(headers, header::CACHE_CONTROL, "public, max-age=3600");
    } else {
        // Education records must not linger in shared or browser caches.
        set(headers, header::CACHE_CONTROL, "no-store");
    }
}

/// 200 when the database answers a query, 503 otherwise.
pub async fn healthz(State(state): State<AppState>) -> Response {
    match crate::db::run(&state, |conn| conn.ping().map_err(AppError::from)).await {
        Ok(()) => (StatusCode::OK, "ok\n").into_response(),
        Err(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            "the database does not answer\n",
        )
            .into_response(),
    }
}

pub async fn stylesheet() -> Response {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        include_str!("../static/app.css"),
    )
        .into_response()
}

pub async fn not_found() -> AppError {
    AppError::NotFound
}
