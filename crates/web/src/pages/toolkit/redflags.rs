//! The red-flag checker: a parent pastes an email or meeting notes; each finding quotes the
//! sentence, names the category, says what the law actually says with its citation, offers a
//! polite written reply, and shows which pattern fired (`law::redflags::check`, the engine of
//! `iep504 redflags`). Nothing pasted is stored or logged.

use super::{form_token, with_cookie};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::pages::{Chrome, render};
use askama::Template;
use axum::Form;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

/// The longest text checked at once, in characters (a long email thread).
pub const MAX_CHARS: usize = 20_000;

#[derive(Debug, Clone)]
pub struct FindingView {
    pub category: String,
    pub category_name: String,
    pub quote: String,
    pub explanation: String,
    pub citation: String,
    pub reply: String,
    pub pattern: String,
}

#[derive(Template)]
#[template(path = "toolkit_redflags.html")]
struct CheckerPage {
    c: Chrome,
    text: String,
    error: Option<String>,
    /// `None` before a check; `Some(findings)` after one, possibly empty.
    findings: Option<Vec<FindingView>>,
}

#[derive(Debug, serde::Deserialize)]
pub struct CheckForm {
    #[serde(default)]
    text: String,
}

/// `GET /toolkit/redflags`: the empty form.
pub async fn form(mut c: Chrome, headers: HeaderMap) -> Result<Response, AppError> {
    let cookie = form_token(&mut c, &headers)?;
    let page = CheckerPage {
        c,
        text: String::new(),
        error: None,
        findings: None,
    };
    Ok(with_cookie(render(StatusCode::OK, &page), cookie))
}

/// The findings in the page's language.
pub fn findings(text: &str, lang: Lang, t: &crate::i18n::Tr) -> Vec<FindingView> {
    law::redflags::check(text)
        .findings
        .into_iter()
        .map(|f| FindingView {
            category_name: t.term("rf-cat", &f.category),
            explanation: match lang {
                Lang::En => f.explanation,
                Lang::Es => f.explanation_es,
            },
            reply: match lang {
                Lang::En => f.suggested_response,
                Lang::Es => f.suggested_response_es,
            },
            category: f.category,
            quote: f.quote,
            citation: f.citation,
            pattern: f.pattern,
        })
        .collect()
}

/// `POST /toolkit/redflags`: the findings for the pasted text.
pub async fn check(
    mut c: Chrome,
    headers: HeaderMap,
    Form(form): Form<CheckForm>,
) -> Result<Response, AppError> {
    let cookie = form_token(&mut c, &headers)?;
    let text = form.text;
    let count = text.chars().count();
    let error = if text.trim().is_empty() {
        Some(c.t.get("rfc-error-empty"))
    } else if count > MAX_CHARS {
        Some(c.t.with("rfc-error-long", "max", MAX_CHARS))
    } else {
        None
    };
    let (status, found) = if error.is_some() {
        (StatusCode::UNPROCESSABLE_ENTITY, None)
    } else {
        (StatusCode::OK, Some(findings(&text, c.t.lang, &c.t)))
    };
    let page = CheckerPage {
        c,
        text,
        error,
        findings: found,
    };
    Ok(with_cookie(render(status, &page), cookie))
}
