//! The Ed-Fi-compatible read API under `/edfi/` (CONTRACT.md): the version document, the OAuth
//! client-credentials token endpoint, and four district-wide resources with offset and cursor
//! paging. Every data response writes one record-of-access entry naming the client.

use crate::db;
use crate::error::AppError;
use crate::state::AppState;
use axum::Extension;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use domain::codes::Program;
use interop::normalized::Batch;
use serde_json::json;
use store::access_log::Purpose;
use store::edfi_clients::Client;
use store::edfi_store::{self, Page, Resource};

/// How long a token lives; clients re-authenticate before it runs out.
const TOKEN_SECONDS: i64 = 1800;
/// Ed-Fi's default and largest page sizes.
const DEFAULT_PAGE: i64 = 25;
const MAX_PAGE: i64 = 500;

/// The Ed-Fi client the gate authenticated by its bearer token.
#[derive(Debug, Clone)]
pub struct EdfiCaller(pub Client);

fn json_response(status: StatusCode, body: &serde_json::Value) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

/// `http://host` as the client reached us, so the document's URLs work through any address.
fn base_url(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .filter(|h| !h.is_empty() && h.bytes().all(|b| b.is_ascii_graphic()))
        .unwrap_or("localhost");
    format!("http://{host}/edfi")
}

/// `GET /edfi` and `/edfi/`: what an ODS/API 7.3 answers at its root.
pub async fn version(headers: HeaderMap) -> Response {
    let base = base_url(&headers);
    json_response(
        StatusCode::OK,
        &json!({
            "version": "7.3",
            "applicationName": "iep504 Ed-Fi-compatible read API",
            "informationalVersion": "7.3",
            "suite": "3",
            "build": env!("CARGO_PKG_VERSION"),
            "dataModels": [{"name": "Ed-Fi", "version": "5.2.0", "informationalVersion": "5.2.0"}],
            "urls": {
                "oauth": format!("{base}/oauth/token"),
                "dataManagementApi": format!("{base}/data/v3/"),
            }
        }),
    )
}

/// Key and secret from HTTP Basic, or from the form (`client_id`, `client_secret`), as
/// ODS/API accepts both.
fn credentials(headers: &HeaderMap, form: &[(String, String)]) -> Option<(String, String)> {
    let basic = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
        .and_then(|b| {
            base64::engine::general_purpose::STANDARD
                .decode(b.trim())
                .ok()
        })
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .and_then(|text| {
            text.split_once(':')
                .map(|(k, s)| (k.to_owned(), s.to_owned()))
        });
    basic.or_else(|| {
        let field = |name: &str| form.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
        Some((field("client_id")?, field("client_secret")?))
    })
}

fn oauth_error(status: StatusCode, error: &str) -> Response {
    json_response(status, &json!({ "error": error }))
}

/// `POST /edfi/oauth/token`: client credentials for a bearer token (stored by hash).
pub async fn token(State(state): State<AppState>, headers: HeaderMap, body: String) -> Response {
    let form: Vec<(String, String)> = form_urlencoded::parse(body.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let grant = form
        .iter()
        .find(|(k, _)| k == "grant_type")
        .map(|(_, v)| v.as_str());
    if grant != Some("client_credentials") {
        return oauth_error(StatusCode::BAD_REQUEST, "unsupported_grant_type");
    }
    let Some((key, secret)) = credentials(&headers, &form) else {
        return oauth_error(StatusCode::UNAUTHORIZED, "invalid_client");
    };
    let mut bytes = [0u8; 32];
    if getrandom::fill(&mut bytes).is_err() {
        return AppError::Internal("no randomness for a token").into_response();
    }
    let token = hex::encode(bytes);
    let expires_at = state
        .clock
        .now()
        .checked_add(jiff::SignedDuration::from_secs(TOKEN_SECONDS))
        .map(|t| t.to_string());
    let Ok(expires_at) = expires_at else {
        return AppError::Internal("token expiry out of range").into_response();
    };
    let issued = token.clone();
    let result = db::run(&state, move |conn| {
        let Some(client) = store::edfi_clients::authenticate(conn, &key, &secret)? else {
            return Ok(false);
        };
        store::edfi_clients::add_token(conn, &client.key, &issued, &expires_at)?;
        Ok(true)
    })
    .await;
    match result {
        Ok(true) => json_response(
            StatusCode::OK,
            &json!({"access_token": token, "expires_in": TOKEN_SECONDS, "token_type": "bearer"}),
        ),
        Ok(false) => oauth_error(StatusCode::UNAUTHORIZED, "invalid_client"),
        Err(e) => e.into_response(),
    }
}

/// The paging parameters of a resource GET (names as Ed-Fi spells them).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Paging {
    limit: Option<i64>,
    offset: Option<i64>,
    total_count: Option<String>,
    page_size: Option<i64>,
    page_token: Option<String>,
}

impl Paging {
    /// The store page to read, whether a `Next-Page-Token` applies (cursor mode: no `offset`),
    /// or the problem with the parameters.
    fn page(&self) -> Result<(Page, bool), AppError> {
        let size = self.page_size.or(self.limit).unwrap_or(DEFAULT_PAGE);
        if !(0..=MAX_PAGE).contains(&size) {
            return Err(AppError::invalid(
                "limit",
                format!("expected a page size from 0 to {MAX_PAGE}"),
            ));
        }
        if self.page_token.is_some() && self.offset.is_some() {
            return Err(AppError::invalid(
                "pageToken",
                "pageToken and offset cannot be combined",
            ));
        }
        let after_id = match self.page_token.as_deref() {
            Some(token) => decode_token(token)?,
            None => 0,
        };
        let offset = self.offset.unwrap_or(0);
        if offset < 0 {
            return Err(AppError::invalid("offset", "expected 0 or more"));
        }
        Ok((
            Page {
                after_id,
                offset,
                limit: size,
            },
            self.offset.is_none(),
        ))
    }

    fn wants_total(&self) -> bool {
        self.total_count
            .as_deref()
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
    }
}

/// A page token is the last row id read, opaque to clients.
fn encode_token(after_id: i64) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("iep504:{after_id}"))
}

fn decode_token(token: &str) -> Result<i64, AppError> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(token.trim())
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .and_then(|text| text.strip_prefix("iep504:")?.parse().ok())
        .ok_or_else(|| AppError::invalid("pageToken", "expected a token from Next-Page-Token"))
}

fn resource_name(resource: Resource) -> &'static str {
    match resource {
        Resource::Students => "students",
        Resource::SpecialEducation => "studentSpecialEducationProgramAssociations",
        Resource::Section504 => "studentSection504ProgramAssociations",
        Resource::Eligibility => "studentSpecialEducationProgramEligibilityAssociations",
    }
}

/// One page of `resource` as Ed-Fi JSON, with the last row id read and the total if asked.
struct Answer {
    body: String,
    rows: usize,
    last_id: Option<i64>,
    total: Option<i64>,
}

fn read_page(
    conn: &mut store::Conn,
    client: &Client,
    resource: Resource,
    page: Page,
    total: bool,
) -> Result<Answer, AppError> {
    let district = Some(client.district_id);
    let mut batch = Batch::default();
    let ids: Vec<i64> = match resource {
        Resource::Students => {
            let rows = edfi_store::students(conn, district, page)?;
            let ids = rows.iter().map(|(id, _)| *id).collect();
            batch.students = rows.into_iter().map(|(_, s)| s).collect();
            ids
        }
        Resource::SpecialEducation | Resource::Section504 => {
            let program = if resource == Resource::Section504 {
                Program::Section504
            } else {
                Program::Idea
            };
            let rows = edfi_store::program_associations(conn, program, district, page)?;
            let ids = rows.iter().map(|(id, _)| *id).collect();
            batch.programs = rows.into_iter().map(|(_, p)| p).collect();
            ids
        }
        Resource::Eligibility => {
            let rows = edfi_store::eligibility(conn, district, page)?;
            let ids = rows.iter().map(|(id, _)| *id).collect();
            batch.eligibility = rows.into_iter().map(|(_, e)| e).collect();
            ids
        }
    };
    let export = interop::edfi::to_edfi(&batch);
    let body = match resource {
        Resource::Students => serde_json::to_string(&export.students),
        Resource::SpecialEducation => {
            serde_json::to_string(&export.student_special_education_program_associations)
        }
        Resource::Section504 => {
            serde_json::to_string(&export.student_section504_program_associations)
        }
        Resource::Eligibility => serde_json::to_string(
            &export.student_special_education_program_eligibility_associations,
        ),
    }
    .map_err(|_| AppError::Internal("the records could not be written as JSON"))?;
    let total = if total {
        Some(edfi_store::count(conn, resource, district)?)
    } else {
        None
    };
    let action = format!(
        "Ed-Fi API read of {} ({} records)",
        resource_name(resource),
        ids.len()
    );
    store::access_log::record(
        conn,
        &store::access_log::NewEntry {
            district_id: client.district_id,
            student_id: None,
            user_id: None,
            who: &client.name,
            role: "edfi_client",
            action: &action,
            purpose: Purpose::EdfiApi.stated(),
            at: None,
        },
    )?;
    Ok(Answer {
        body,
        rows: ids.len(),
        last_id: ids.last().copied(),
        total,
    })
}

async fn serve(
    state: AppState,
    caller: EdfiCaller,
    paging: Paging,
    resource: Resource,
) -> Result<Response, AppError> {
    let (page, cursor) = paging.page()?;
    let total = paging.wants_total();
    let client = caller.0;
    let answer = db::run(&state, move |conn| {
        conn.transaction(|tx| {
            read_page(tx, &client, resource, page, total).map_err(|e| match e {
                AppError::Store(e) => e,
                other => store::StoreError::Corrupt(other.to_string()),
            })
        })
        .map_err(AppError::from)
    })
    .await?;
    let mut response = (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json")],
        answer.body,
    )
        .into_response();
    let headers = response.headers_mut();
    if let Some(total) = answer.total
        && let Ok(value) = HeaderValue::from_str(&total.to_string())
    {
        headers.insert("Total-Count", value);
    }
    // A full page in cursor mode may have a successor; an empty or short one ends the walk.
    if cursor
        && page.offset == 0
        && answer.rows > 0
        && i64::try_from(answer.rows).is_ok_and(|rows| rows == page.limit)
        && let Some(last) = answer.last_id
        && let Ok(value) = HeaderValue::from_str(&encode_token(last))
    {
        headers.insert("Next-Page-Token", value);
    }
    Ok(response)
}

pub async fn students(
    State(state): State<AppState>,
    Extension(caller): Extension<EdfiCaller>,
    Query(paging): Query<Paging>,
) -> Result<Response, AppError> {
    serve(state, caller, paging, Resource::Students).await
}

pub async fn special_education(
    State(state): State<AppState>,
    Extension(caller): Extension<EdfiCaller>,
    Query(paging): Query<Paging>,
) -> Result<Response, AppError> {
    serve(state, caller, paging, Resource::SpecialEducation).await
}

pub async fn section504(
    State(state): State<AppState>,
    Extension(caller): Extension<EdfiCaller>,
    Query(paging): Query<Paging>,
) -> Result<Response, AppError> {
    serve(state, caller, paging, Resource::Section504).await
}

pub async fn eligibility(
    State(state): State<AppState>,
    Extension(caller): Extension<EdfiCaller>,
    Query(paging): Query<Paging>,
) -> Result<Response, AppError> {
    serve(state, caller, paging, Resource::Eligibility).await
}
