//! Server-rendered pages (askama templates in `templates/`, one per page plus partials). Every
//! page shares `Chrome`: language, navigation for the caller's role, the CSRF token for forms,
//! and the demo banner.

pub mod access;
pub mod account;
pub mod dashboard;
pub mod evaluations;
pub mod export;
pub mod goals;
pub mod home;
pub mod plans;
pub(crate) mod record_form;
pub mod reports;
pub mod rti;
pub mod services;
pub mod signin;
pub mod student;
pub mod toolkit;

use crate::error::AppError;
use crate::i18n::Tr;
use crate::policy::Viewer;
use crate::state::AppState;
use askama::Template;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::{Html, IntoResponse, Response};
use domain::people::Role;

/// What every page's frame needs.
#[derive(Debug, Clone)]
pub struct Chrome {
    pub t: Tr,
    pub demo: bool,
    pub user_name: Option<String>,
    pub csrf: String,
    /// (href, label) for the caller's role.
    pub nav: Vec<(String, String)>,
    /// This page's address, percent-encoded, for the language switch to come back to.
    pub here: String,
}

impl Chrome {
    pub fn bare(t: Tr, demo: bool) -> Chrome {
        Chrome {
            t,
            demo,
            user_name: None,
            csrf: String::new(),
            nav: Vec::new(),
            here: "%2F".into(),
        }
    }
}

impl FromRequestParts<AppState> for Chrome {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Chrome, AppError> {
        let t = parts
            .extensions
            .get::<Tr>()
            .cloned()
            .unwrap_or_else(|| state.i18n.tr(crate::i18n::Lang::En));
        let mut chrome = Chrome::bare(t, state.demo);
        let here = parts.uri.path_and_query().map_or("/", |p| p.as_str());
        chrome.here =
            percent_encoding::utf8_percent_encode(here, percent_encoding::NON_ALPHANUMERIC)
                .to_string();
        if let Some(Viewer(Some(caller))) = parts.extensions.get::<Viewer>() {
            chrome.user_name = Some(caller.user.display_name.clone());
            chrome.csrf = caller.csrf();
            if caller.session.as_ref().is_none_or(|s| s.mfa_ok) {
                chrome.nav = nav(caller.user.role)
                    .iter()
                    .map(|(href, id)| ((*href).to_owned(), chrome.t.get(id)))
                    .collect();
            }
        }
        Ok(chrome)
    }
}

fn nav(role: Role) -> &'static [(&'static str, &'static str)] {
    if crate::routes::CASE_STAFF.contains(&role) {
        &[("/caseload", "nav-caseload"), ("/account", "nav-account")]
    } else if role == Role::DistrictAdmin {
        &[
            ("/compliance", "nav-compliance"),
            ("/reports", "nav-reports"),
            ("/compliance/services", "nav-service-debts"),
            ("/export", "nav-export"),
            ("/account", "nav-account"),
        ]
    } else if crate::routes::DISTRICT_WIDE.contains(&role) {
        &[
            ("/compliance", "nav-compliance"),
            ("/reports", "nav-reports"),
            ("/compliance/services", "nav-service-debts"),
            ("/account", "nav-account"),
        ]
    } else if role == Role::Teacher {
        &[
            ("/", "nav-home"),
            ("/accommodations", "nav-accommodations"),
            ("/account", "nav-account"),
        ]
    } else if role == Role::Provider {
        &[
            ("/", "nav-home"),
            ("/sessions", "nav-sessions"),
            ("/account", "nav-account"),
        ]
    } else if matches!(role, Role::Parent | Role::Student) {
        &[
            ("/", "nav-home"),
            ("/toolkit", "nav-toolkit"),
            ("/account", "nav-account"),
        ]
    } else {
        &[("/", "nav-home"), ("/account", "nav-account")]
    }
}

/// Renders a template into a response with `status`.
/// How a generated PDF is offered: shown in the browser, or saved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Disposition {
    Inline,
    Attachment,
}

/// A PDF the server generated, as a response. `file` is a name the server built (ASCII, no
/// quotes), never one a user supplied.
pub fn pdf_response(pdf: Vec<u8>, file: &str, disposition: Disposition) -> Response {
    let how = match disposition {
        Disposition::Inline => "inline",
        Disposition::Attachment => "attachment",
    };
    (
        [
            (
                axum::http::header::CONTENT_TYPE,
                "application/pdf".to_owned(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("{how}; filename=\"{file}\""),
            ),
        ],
        pdf,
    )
        .into_response()
}

pub fn render(status: axum::http::StatusCode, template: &impl Template) -> Response {
    match template.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(_) => AppError::Internal("template").into_response(),
    }
}

pub fn ok(template: &impl Template) -> Response {
    render(axum::http::StatusCode::OK, template)
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub c: Chrome,
    pub heading: String,
    pub text: String,
    pub detail: Option<String>,
}

/// The otpauth QR code and secret, shown while two-step sign-in is being set up.
#[derive(Debug, Clone)]
pub struct TotpSetup {
    pub secret: String,
    pub qr_svg: String,
}

impl TotpSetup {
    pub fn new(secret: &str, username: &str, t: &Tr) -> TotpSetup {
        let uri = crate::auth::otpauth_uri(secret, username);
        TotpSetup {
            secret: secret.to_owned(),
            qr_svg: crate::auth::qr_svg(&uri, &t.get("two-step-qr-label")).unwrap_or_default(),
        }
    }
}

#[derive(Template)]
#[template(path = "recovery_codes.html")]
pub struct RecoveryCodesPage {
    pub c: Chrome,
    pub codes: Vec<String>,
    pub next: String,
}
