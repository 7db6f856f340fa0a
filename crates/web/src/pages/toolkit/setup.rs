//! The first run of an empty instance (`/setup`): a choice between "I am a parent keeping my
//! own records" and setting up a district. The parent path creates, in one transaction, a
//! parent-only district with the parent's account (a password they choose, hashed like any
//! other) and their first child, then signs them in. It exists only while the database has
//! no district at all: afterwards `/setup` is "not found", and a second submission writes
//! nothing. District setup is done with the command line, which the page spells out.

use super::{form_token, with_cookie};
use crate::auth;
use crate::db;
use crate::error::AppError;
use crate::pages::{Chrome, render};
use crate::session::{self, LOGIN_CSRF_COOKIE, SESSION_COOKIE};
use crate::state::AppState;
use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use domain::Date;

/// The form's fields, in order.
pub const FIELDS: &[&str] = &[
    "display_name",
    "username",
    "password",
    "password_again",
    "child_first_name",
    "child_last_name",
    "child_birth_date",
    "state",
];

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct SetupForm {
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_again: String,
    #[serde(default)]
    child_first_name: String,
    #[serde(default)]
    child_last_name: String,
    #[serde(default)]
    child_birth_date: String,
    #[serde(default)]
    state: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetupError {
    pub field: &'static str,
    pub message_id: &'static str,
}

/// Checks the form; the birth date must be a past date and the state one the law engine has.
pub fn check(form: &SetupForm, today: Date) -> Result<Date, Vec<SetupError>> {
    let mut errors = Vec::new();
    let mut push = |field, message_id| errors.push(SetupError { field, message_id });
    if form.display_name.trim().is_empty() || form.display_name.chars().count() > 100 {
        push("display_name", "setup-error-name");
    }
    let username = form.username.trim();
    if username.is_empty()
        || username.chars().count() > 64
        || !username
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '@'))
    {
        push("username", "setup-error-username");
    }
    if form.password.chars().count() < auth::MIN_PASSWORD_LEN {
        push("password", "setup-error-password");
    } else if form.password != form.password_again {
        push("password_again", "setup-error-password-again");
    }
    if form.child_first_name.trim().is_empty() || form.child_first_name.chars().count() > 100 {
        push("child_first_name", "setup-error-name");
    }
    if form.child_last_name.trim().is_empty() || form.child_last_name.chars().count() > 100 {
        push("child_last_name", "setup-error-name");
    }
    let birth = match form.child_birth_date.trim().parse::<Date>() {
        Ok(d) if d <= today => Some(d),
        _ => {
            push("child_birth_date", "setup-error-birth");
            None
        }
    };
    if law::profile(&form.state).is_err() {
        push("state", "setup-error-state");
    }
    match birth {
        Some(birth) if errors.is_empty() => Ok(birth),
        _ => Err(errors),
    }
}

#[derive(Debug, Clone)]
pub struct InputView {
    pub name: &'static str,
    pub id: String,
    pub label: String,
    pub kind: &'static str,
    pub value: String,
    pub error: Option<String>,
    pub autocomplete: &'static str,
}

#[derive(Template)]
#[template(path = "toolkit_setup.html")]
struct SetupPage {
    c: Chrome,
    inputs: Vec<InputView>,
    states: Vec<(String, String)>,
    state: String,
    state_error: Option<String>,
    errors: Vec<(String, String)>,
}

async fn is_empty(state: &AppState) -> Result<bool, AppError> {
    db::run(state, |conn| {
        Ok(store::districts::list_districts(conn)?.is_empty())
    })
    .await
}

fn setup_page(c: Chrome, form: &SetupForm, errors: &[SetupError]) -> SetupPage {
    let t = &c.t;
    let error_for = |name: &str| {
        errors
            .iter()
            .find(|e| e.field == name)
            .map(|e| t.get(e.message_id))
    };
    let inputs = FIELDS
        .iter()
        .filter(|&&name| name != "state")
        .map(|&name| {
            let (kind, value, autocomplete) = match name {
                "password" | "password_again" => ("password", String::new(), "new-password"),
                "child_birth_date" => ("date", form.child_birth_date.clone(), "off"),
                "username" => ("text", form.username.clone(), "username"),
                "display_name" => ("text", form.display_name.clone(), "name"),
                "child_first_name" => ("text", form.child_first_name.clone(), "off"),
                _ => ("text", form.child_last_name.clone(), "off"),
            };
            InputView {
                name,
                id: format!("setup-{}", name.replace('_', "-")),
                label: t.get(&format!("setup-{}", name.replace('_', "-"))),
                kind,
                value,
                error: error_for(name),
                autocomplete,
            }
        })
        .collect();
    let mut states: Vec<(String, String)> = law::jurisdictions()
        .into_iter()
        .filter_map(|code| law::profile(&code).ok().map(|p| (code, p.name.clone())))
        .collect();
    states.sort_by(|a, b| (a.0 != "US", &a.1).cmp(&(b.0 != "US", &b.1)));
    SetupPage {
        inputs,
        states,
        state: if form.state.is_empty() {
            "US".into()
        } else {
            form.state.clone()
        },
        state_error: error_for("state"),
        errors: errors
            .iter()
            .map(|e| {
                (
                    format!("setup-{}", e.field.replace('_', "-")),
                    t.get(e.message_id),
                )
            })
            .collect(),
        c,
    }
}

/// `GET /setup`: the first-run choice, only on an empty instance.
pub async fn form(
    State(state): State<AppState>,
    mut c: Chrome,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    if !is_empty(&state).await? {
        return Err(AppError::NotFound);
    }
    let cookie = form_token(&mut c, &headers)?;
    let page = setup_page(c, &SetupForm::default(), &[]);
    Ok(with_cookie(render(StatusCode::OK, &page), cookie))
}

/// `POST /setup/parent`: the parent's own records, and a session for them.
pub async fn parent(
    State(state): State<AppState>,
    mut c: Chrome,
    headers: HeaderMap,
    Form(form): Form<SetupForm>,
) -> Result<Response, AppError> {
    if !is_empty(&state).await? {
        return Err(AppError::NotFound);
    }
    let cookie = form_token(&mut c, &headers)?;
    let birth = match check(&form, state.clock.today()) {
        Ok(birth) => birth,
        Err(errors) => {
            let page = setup_page(c, &form, &errors);
            return Ok(with_cookie(
                render(StatusCode::UNPROCESSABLE_ENTITY, &page),
                cookie,
            ));
        }
    };
    let hash = auth::hash_password(&form.password).map_err(|_| AppError::Internal("hash"))?;
    let lang = c.t.code();
    let now = state.clock.now();
    let created = db::run(&state, move |conn| {
        let user = store::districts::first_run_parent(
            conn,
            &store::districts::ParentSetup {
                display_name: form.display_name.trim(),
                username: form.username.trim(),
                password_hash: &hash,
                preferred_language: lang,
                child_first_name: form.child_first_name.trim(),
                child_last_name: form.child_last_name.trim(),
                child_birth_date: birth,
                jurisdiction: &form.state,
            },
        )?;
        match user {
            Some(user) => Ok(Some(session::start(conn, user, true, now)?.0)),
            None => Ok(None),
        }
    })
    .await?;
    let Some(id) = created else {
        return Err(AppError::NotFound);
    };
    let mut response = Redirect::to("/").into_response();
    let headers = response.headers_mut();
    headers.append(
        header::SET_COOKIE,
        session::cookie(SESSION_COOKIE, &id, None),
    );
    headers.append(header::SET_COOKIE, session::clear(LOGIN_CSRF_COOKIE));
    Ok(response)
}
