//! Errors as data, rendered at the edge: handlers return `AppError`; `render` turns the marker
//! it leaves on the response into an RFC 9457 problem document under `/api/` or an accessible
//! HTML page elsewhere. Messages never carry student data, and logs only carry the status.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Missing, or not the caller's to see: the two look the same on purpose.
    #[error("not found")]
    NotFound,
    #[error("sign-in required")]
    Unauthenticated,
    #[error("{0}")]
    Forbidden(&'static str),
    #[error("the form's security token is missing or out of date")]
    Csrf,
    #[error("{detail}")]
    Invalid {
        detail: String,
        field: Option<String>,
    },
    #[error("{0}")]
    Conflict(String),
    /// A different event already holds the id; the problem document shows it as `current`.
    #[error("{detail}")]
    EventConflict {
        detail: String,
        current: serde_json::Value,
    },
    #[error("too many failed sign-in attempts")]
    Throttled,
    #[error(transparent)]
    Store(#[from] store::StoreError),
    #[error("{0}")]
    Internal(&'static str),
    /// Not a failure: send the browser to this path (the gate's "already signed in").
    #[error("see {0}")]
    Redirect(&'static str),
}

impl AppError {
    pub fn invalid(field: impl Into<String>, detail: impl Into<String>) -> AppError {
        AppError::Invalid {
            detail: detail.into(),
            field: Some(field.into()),
        }
    }

    fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) | AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Conflict(_) | AppError::EventConflict { .. } => StatusCode::CONFLICT,
            AppError::Throttled => StatusCode::TOO_MANY_REQUESTS,
            AppError::Store(e) if e.is_busy() || e.is_storage_unavailable() => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            AppError::Store(store::StoreError::NotFound(_)) => StatusCode::NOT_FOUND,
            AppError::Store(store::StoreError::Conflict(_)) => StatusCode::CONFLICT,
            AppError::Store(store::StoreError::Invalid(_)) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Store(_) | AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            AppError::Redirect(_) => StatusCode::SEE_OTHER,
        }
    }

    /// The Fluent id of the page heading and text for this error.
    fn message_id(&self) -> &'static str {
        message_id(self.status())
    }

    /// The English detail for the problem document. Internal failures say no more than that.
    fn detail(&self) -> String {
        match self {
            AppError::Store(e) if e.is_busy() => {
                "the database is busy; try again in a moment".into()
            }
            AppError::Store(e) if e.is_storage_unavailable() => format!(
                "the database cannot store changes right now ({}); nothing was saved, and an administrator has to act",
                e.storage_cause().unwrap_or("disk full or read-only")
            ),
            AppError::Store(
                store::StoreError::NotFound(_)
                | store::StoreError::Conflict(_)
                | store::StoreError::Invalid(_),
            ) => self.to_string().replace("conflict: ", ""),
            AppError::Store(_) | AppError::Internal(_) => "an internal error occurred".into(),
            AppError::Throttled => {
                "too many failed sign-in attempts; wait 15 minutes and try again".into()
            }
            other => other.to_string(),
        }
    }
}

/// The Fluent id of the page heading (and, with `-text`, the explanation) for a status.
pub fn message_id(status: StatusCode) -> &'static str {
    match status {
        StatusCode::NOT_FOUND | StatusCode::METHOD_NOT_ALLOWED => "error-not-found",
        StatusCode::UNAUTHORIZED => "error-unauthenticated",
        StatusCode::FORBIDDEN => "error-forbidden",
        StatusCode::CONFLICT => "error-conflict",
        StatusCode::TOO_MANY_REQUESTS => "error-throttled",
        StatusCode::SERVICE_UNAVAILABLE => "error-unavailable",
        s if s.is_client_error() => "error-invalid",
        _ => "error-internal",
    }
}

/// Left on an error response for `render` to finish.
#[derive(Debug, Clone)]
pub struct ErrorInfo {
    pub status: StatusCode,
    pub message_id: &'static str,
    pub detail: String,
    pub field: Option<String>,
    /// The record a conflicting write met, for the problem document.
    pub current: Option<serde_json::Value>,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::Redirect(to) = self {
            return axum::response::Redirect::to(to).into_response();
        }
        let info = ErrorInfo {
            status: self.status(),
            message_id: self.message_id(),
            detail: self.detail(),
            field: match &self {
                AppError::Invalid { field, .. } => field.clone(),
                _ => None,
            },
            current: match &self {
                AppError::EventConflict { current, .. } => Some(current.clone()),
                _ => None,
            },
        };
        if let AppError::Store(e) = &self
            && let Some(cause) = e.storage_cause()
        {
            // The operator has to act; say why in the log, not only in the answer.
            eprintln!(
                "storage unavailable: {cause}: a change was refused (503); free space or make the database writable, and writes resume by themselves"
            );
        }
        if info.status == StatusCode::INTERNAL_SERVER_ERROR {
            // The variant name only: a store message could quote data.
            eprintln!("internal error: {}", variant_name(&self));
        }
        let mut response = info.status.into_response();
        response.extensions_mut().insert(info);
        response
    }
}

fn variant_name(error: &AppError) -> &'static str {
    match error {
        AppError::Store(store::StoreError::Sqlite(_)) => "store/sqlite",
        AppError::Store(store::StoreError::Postgres(_)) => "store/postgres",
        AppError::Store(store::StoreError::Pool(_)) => "store/pool",
        AppError::Store(store::StoreError::Corrupt(_)) => "store/corrupt",
        AppError::Store(store::StoreError::Io(_)) => "store/io",
        AppError::Store(_) => "store",
        AppError::Internal(what) => what,
        _ => "other",
    }
}

/// A problem document (RFC 9457).
pub fn problem(info: &ErrorInfo) -> Response {
    let mut body = serde_json::json!({
        "type": "about:blank",
        "title": info.status.canonical_reason().unwrap_or("Error"),
        "status": info.status.as_u16(),
        "detail": info.detail,
    });
    if let Some(field) = &info.field {
        body["field"] = serde_json::Value::String(field.clone());
    }
    if let Some(current) = &info.current {
        body["current"] = current.clone();
    }
    let mut response = (info.status, body.to_string()).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/problem+json"),
    );
    response
}

/// The accessible HTML error page.
pub fn page(info: &ErrorInfo, tr: &crate::i18n::Tr, demo: bool) -> Response {
    use askama::Template;
    let template = crate::pages::ErrorPage {
        c: crate::pages::Chrome::bare(tr.clone(), demo),
        heading: tr.get(info.message_id),
        text: tr.get(&format!("{}-text", info.message_id)),
        detail: (info.status == StatusCode::UNPROCESSABLE_ENTITY
            || info.status == StatusCode::CONFLICT)
            .then(|| info.detail.clone()),
    };
    match template.render() {
        Ok(html) => (info.status, Html(html)).into_response(),
        Err(_) => (info.status, info.detail.clone()).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn storage_that_cannot_take_writes_is_503_with_a_clear_message() {
        let error = AppError::Store(store::StoreError::Io(std::io::Error::other("disk full")));
        let response = error.into_response();
        let info = response.extensions().get::<ErrorInfo>().unwrap();
        assert_eq!(info.status, StatusCode::SERVICE_UNAVAILABLE);
        assert!(
            info.detail.contains("cannot store changes"),
            "{}",
            info.detail
        );
    }

    #[test]
    fn internal_errors_say_nothing_about_data() {
        let error = AppError::Store(store::StoreError::Corrupt("student Leo Rivera".into()));
        let response = error.into_response();
        let info = response.extensions().get::<ErrorInfo>().unwrap();
        assert_eq!(info.status, StatusCode::INTERNAL_SERVER_ERROR);
        assert!(!info.detail.contains("Leo"));
    }

    #[test]
    fn store_conflicts_and_invalid_input_keep_their_message() {
        let conflict = AppError::Store(store::StoreError::Conflict("event id `e1` is used".into()));
        assert_eq!(conflict.status(), StatusCode::CONFLICT);
        assert_eq!(conflict.detail(), "event id `e1` is used");
        let invalid = AppError::Store(store::StoreError::Invalid("bad".into()));
        assert_eq!(invalid.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
}
