//! The one policy point. `gate` runs before every handler with the policy its route declares in
//! the registry: it identifies the caller (session cookie or bearer token), checks the CSRF
//! token on every unsafe request from a browser, and asks `domain::access::decide` about the
//! student in the path. Handlers receive what the gate granted and decide nothing themselves.

use crate::error::AppError;
use crate::i18n::Lang;
use crate::session;
use crate::state::AppState;
use axum::body::Body;
use axum::extract::{FromRequestParts, Path, Request, State};
use axum::http::{Method, header, request::Parts};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use domain::access::{Action, Actor, Mode, Target, decide_in};
use domain::people::Role;
use std::collections::HashMap;
use store::access_log::Purpose;
use store::students::Student;
use store::users::User;

/// What a route requires of its caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Policy {
    /// Anyone, signed in or not.
    Public,
    /// A browser session whose password step is done and whose second factor is pending.
    SecondFactor,
    /// Any fully signed-in user.
    SignedIn,
    /// Fully signed in with one of these roles; others get 403.
    Roles(&'static [Role]),
    /// The student named by `{id}`, on whose record the caller may do at least one of these.
    /// A caller who may not even read the record gets 404, exactly as for a missing student.
    Student(&'static [Action]),
    /// An Ed-Fi API client's bearer token (from `/edfi/oauth/token`); sessions do not count.
    EdfiClient,
    /// The Ed-Fi token endpoint: the handler checks the client's key and secret itself.
    EdfiToken,
}

impl Policy {
    /// Ed-Fi routes authenticate only with Ed-Fi credentials: no session, no CSRF token
    /// (a browser never attaches them on its own).
    pub fn is_edfi(self) -> bool {
        matches!(self, Policy::EdfiClient | Policy::EdfiToken)
    }
}

pub const ACTIONS: [Action; 8] = Action::ALL;

#[derive(Debug, Clone)]
pub struct SessionRef {
    pub id_hash: String,
    pub csrf: String,
    pub mfa_ok: bool,
}

/// The signed-in user (by session or token).
#[derive(Debug, Clone)]
pub struct Caller {
    pub user: User,
    pub session: Option<SessionRef>,
}

impl Caller {
    fn fully_signed_in(&self) -> bool {
        self.session.as_ref().is_none_or(|s| s.mfa_ok)
    }

    pub fn actor(&self) -> Actor {
        Actor {
            role: self.user.role,
            district_id: self.user.district_id,
        }
    }

    pub fn csrf(&self) -> String {
        self.session
            .as_ref()
            .map(|s| s.csrf.clone())
            .unwrap_or_default()
    }
}

/// Every request gets one: the caller if any.
#[derive(Debug, Clone)]
pub struct Viewer(pub Option<Caller>);

/// What the gate granted on the student of a `Student` route.
#[derive(Debug, Clone)]
pub struct Grant {
    pub caller: Caller,
    pub student: Student,
    pub permitted: Vec<Action>,
}

impl Grant {
    pub fn permits(&self, action: Action) -> bool {
        self.permitted.contains(&action)
    }
}

/// The actions `caller` may take on `student`, as `decide` answers (the only place that asks).
pub fn permitted_actions(
    conn: &mut store::Conn,
    caller: &Caller,
    student: &Student,
    today: domain::Date,
) -> Result<Vec<Action>, AppError> {
    let relations = store::students::relations(conn, caller.user.id, student.id)?;
    let target = Target {
        district_id: student.district_id,
        relations: &relations,
        rights_transferred: rights_transferred(student, today),
    };
    let actor = caller.actor();
    let mode = if store::districts::is_parent_only(conn, student.district_id)? {
        Mode::ParentOnly
    } else {
        Mode::District
    };
    Ok(ACTIONS
        .into_iter()
        .filter(|&action| decide_in(mode, &actor, action, &target))
        .collect())
}

/// Students among `candidates` whose record the caller may read.
pub fn readable(
    conn: &mut store::Conn,
    caller: &Caller,
    candidates: Vec<Student>,
    today: domain::Date,
) -> Result<Vec<Student>, AppError> {
    let mut out = Vec::with_capacity(candidates.len());
    for student in candidates {
        if permitted_actions(conn, caller, &student, today)?.contains(&Action::ReadRecord) {
            out.push(student);
        }
    }
    Ok(out)
}

/// Whether IDEA rights have transferred to the student (34 CFR 300.520): they have once the
/// student reaches the age of majority of their state's profile.
pub fn rights_transferred(student: &Student, today: domain::Date) -> bool {
    // The age of majority is state law (34 CFR 300.520): read it from the student's profile.
    // A student whose jurisdiction has no profile keeps the federal default of the US profile.
    let years = law::profile(&student.jurisdiction)
        .or_else(|_| law::profile("US"))
        .map_or(18, |profile| profile.age_of_majority.years);
    student
        .birth_date
        .checked_add(jiff::Span::new().years(years))
        .is_ok_and(|majority| majority <= today)
}

#[derive(Debug, Clone)]
pub struct GateState {
    pub app: AppState,
    pub policy: Policy,
}

pub async fn gate(State(gate): State<GateState>, request: Request, next: Next) -> Response {
    let (mut parts, body) = request.into_parts();
    let api = parts.uri.path().starts_with("/api/");
    let edfi = gate.policy.is_edfi();
    let identified = if edfi {
        Ok(Viewer(None))
    } else {
        identify(&gate.app, &parts, api).await
    };
    let viewer = match identified {
        Ok(viewer) => viewer,
        Err(e) => return finish(e.into_response(), Lang::En),
    };
    let lang = Lang::negotiate(
        session::read_cookie(&parts.headers, session::LANG_COOKIE).as_deref(),
        viewer
            .0
            .as_ref()
            .map(|c| c.user.preferred_language.as_str()),
        parts
            .headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    );
    parts.extensions.insert(gate.app.i18n.tr(lang));
    parts.extensions.insert(lang);

    let checked = if edfi {
        Ok(body)
    } else {
        check_csrf(&parts, body, viewer.0.as_ref()).await
    };
    let body = match checked {
        Ok(body) => body,
        Err(e) => return finish(e.into_response(), lang),
    };
    match authorize(&gate, &mut parts, &viewer).await {
        Ok(()) => {}
        Err(AppError::Unauthenticated) if !api && !edfi => {
            let to = match &viewer.0 {
                Some(c) if !c.fully_signed_in() => "/sign-in/second-factor",
                _ => "/sign-in",
            };
            return Redirect::to(to).into_response();
        }
        Err(e) => return finish(e.into_response(), lang),
    }
    parts.extensions.insert(viewer);
    let response = next.run(Request::from_parts(parts, body)).await;
    finish(response, lang)
}

/// Tells the edge which language to render an error page in.
fn finish(mut response: Response, lang: Lang) -> Response {
    response.extensions_mut().insert(lang);
    if response.status() == axum::http::StatusCode::UNAUTHORIZED {
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            axum::http::HeaderValue::from_static("Bearer"),
        );
    }
    response
}

async fn identify(state: &AppState, parts: &Parts, api: bool) -> Result<Viewer, AppError> {
    let bearer = api
        .then(|| parts.headers.get(header::AUTHORIZATION))
        .flatten()
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| t.trim().to_owned());
    let cookie = session::read_cookie(&parts.headers, session::SESSION_COOKIE);
    if bearer.is_none() && cookie.is_none() {
        return Ok(Viewer(None));
    }
    let now = state.clock.now();
    crate::db::run(state, move |conn| {
        if let Some(token) = &bearer {
            // A wrong token is an error, not anonymity: the client meant to authenticate.
            let user =
                store::users::user_for_token(conn, token)?.ok_or(AppError::Unauthenticated)?;
            return Ok(Viewer(Some(Caller {
                user,
                session: None,
            })));
        }
        let Some(id) = &cookie else {
            return Ok(Viewer(None));
        };
        let Some(found) = session::load(conn, id, now)? else {
            return Ok(Viewer(None));
        };
        match store::users::get_user(conn, found.user_id) {
            Ok(user) => Ok(Viewer(Some(Caller {
                user,
                session: Some(SessionRef {
                    id_hash: found.id_hash,
                    csrf: found.csrf_token,
                    mfa_ok: found.mfa_ok,
                }),
            }))),
            Err(store::StoreError::NotFound(_)) => Ok(Viewer(None)),
            Err(e) => Err(e.into()),
        }
    })
    .await
}

/// Forms carry the token in a `csrf` field, scripts in an `X-CSRF-Token` header. Bearer-token
/// calls need none: a browser never attaches a bearer token on its own.
async fn check_csrf(parts: &Parts, body: Body, caller: Option<&Caller>) -> Result<Body, AppError> {
    if matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return Ok(body);
    }
    let expected = match caller {
        Some(Caller { session: None, .. }) => return Ok(body),
        Some(Caller {
            session: Some(s), ..
        }) => Some(s.csrf.clone()),
        None => session::read_cookie(&parts.headers, session::LOGIN_CSRF_COOKIE),
    }
    .ok_or(AppError::Csrf)?;
    let content_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    // A multipart form (the document vault's upload) may carry a file up to the vault's limit.
    let multipart = crate::multipart::is_multipart(content_type);
    let limit = if multipart {
        crate::pages::toolkit::vault::BODY_LIMIT
    } else {
        1 << 20
    };
    let bytes = axum::body::to_bytes(body, limit)
        .await
        .map_err(|_| AppError::invalid("body", "the request body is too large or unreadable"))?;
    let from_header = parts
        .headers
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let is_form = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    let given = from_header.or_else(|| {
        if multipart {
            return crate::multipart::parse(content_type, &bytes)?
                .into_iter()
                .find(|part| part.name == "csrf" && part.filename.is_none())
                .and_then(|part| String::from_utf8(part.data.to_vec()).ok());
        }
        is_form
            .then(|| {
                form_urlencoded::parse(&bytes)
                    .find(|(key, _)| key == "csrf")
                    .map(|(_, value)| value.into_owned())
            })
            .flatten()
    });
    let matches = given.is_some_and(|given| {
        use subtle::ConstantTimeEq;
        given.as_bytes().ct_eq(expected.as_bytes()).into()
    });
    if matches {
        Ok(Body::from(bytes))
    } else {
        Err(AppError::Csrf)
    }
}

async fn authorize(gate: &GateState, parts: &mut Parts, viewer: &Viewer) -> Result<(), AppError> {
    let caller = viewer.0.as_ref();
    match gate.policy {
        Policy::Public | Policy::EdfiToken => Ok(()),
        Policy::EdfiClient => {
            let token = parts
                .headers
                .get(header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("Bearer "))
                .map(|t| t.trim().to_owned())
                .ok_or(AppError::Unauthenticated)?;
            let client = crate::db::run(&gate.app, move |conn| {
                Ok(store::edfi_clients::client_for_token(conn, &token)?)
            })
            .await?
            .ok_or(AppError::Unauthenticated)?;
            parts.extensions.insert(crate::edfi::EdfiCaller(client));
            Ok(())
        }
        Policy::SecondFactor => match caller {
            Some(c) if c.session.as_ref().is_some_and(|s| !s.mfa_ok) => Ok(()),
            Some(c) if c.fully_signed_in() => Err(AppError::Redirect("/")),
            _ => Err(AppError::Unauthenticated),
        },
        Policy::SignedIn => signed_in(caller).map(|_| ()),
        Policy::Roles(roles) => {
            let caller = signed_in(caller)?;
            if roles.contains(&caller.user.role) {
                Ok(())
            } else {
                Err(AppError::Forbidden("this page is for other roles"))
            }
        }
        Policy::Student(actions) => {
            let caller = signed_in(caller)?.clone();
            let Path(params) = Path::<HashMap<String, String>>::from_request_parts(parts, &())
                .await
                .map_err(|_| AppError::NotFound)?;
            let student_id: i64 = params
                .get("id")
                .and_then(|id| id.parse().ok())
                .ok_or(AppError::NotFound)?;
            let today = gate.app.clock.today();
            let grant = crate::db::run(&gate.app, move |conn| {
                let student = match store::students::get_student(conn, student_id) {
                    Ok(student) => student,
                    Err(store::StoreError::NotFound(_)) => return Err(AppError::NotFound),
                    Err(e) => return Err(e.into()),
                };
                let permitted = permitted_actions(conn, &caller, &student, today)?;
                Ok(Grant {
                    caller: caller.clone(),
                    student,
                    permitted,
                })
            })
            .await?;
            if actions.iter().any(|a| grant.permits(*a)) {
                parts.extensions.insert(grant);
                Ok(())
            } else if grant.permits(Action::ReadRecord) {
                Err(AppError::Forbidden(
                    "your role may not do this on this record",
                ))
            } else {
                Err(AppError::NotFound)
            }
        }
    }
}

fn signed_in(caller: Option<&Caller>) -> Result<&Caller, AppError> {
    caller
        .filter(|c| c.fully_signed_in())
        .ok_or(AppError::Unauthenticated)
}

/// The caller of a route whose policy requires one (the gate has made sure there is one).
pub fn require(viewer: &Viewer) -> Result<&Caller, AppError> {
    viewer.0.as_ref().ok_or(AppError::Unauthenticated)
}

/// Events a parent (or an adult student) originates: requests, consent answers, complaints.
pub const PARENT_EVENT_KINDS: &[&str] = &[
    "evaluation_requested",
    "consent_received",
    "consent_refused",
    "records_requested",
    "iee_requested",
    "due_process_complaint_received",
    "state_complaint_filed",
];

/// Whether the grant covers adding an event of this kind (its `kind` tag): staff who may
/// write events add any kind; parents and adult students add the ones they originate. The
/// answer comes from `decide`, through the grant.
pub fn may_add_event(grant: &Grant, kind: &str) -> bool {
    grant.permits(Action::WriteEvent)
        || (PARENT_EVENT_KINDS.contains(&kind) && grant.permits(Action::WriteParentEvent))
}

/// Why a user reads a record, for the record of access.
pub fn purpose(role: Role) -> Purpose {
    match role {
        Role::Parent => Purpose::ParentReview,
        Role::Student => Purpose::StudentReview,
        Role::DistrictAdmin | Role::ComplianceViewer => Purpose::ComplianceOversight,
        _ => Purpose::EducationalInterest,
    }
}

/// Notes one record-of-access entry for a read; `db::run` commits it (grouped with other
/// readers' entries) before the read's result leaves the server.
pub fn log_read(caller: &Caller, student: &Student, action: &str) -> Result<(), store::StoreError> {
    crate::db::reads::note(store::access_log::OwnedEntry {
        district_id: student.district_id,
        student_id: Some(student.id),
        user_id: Some(caller.user.id),
        who: format!("{} ({})", caller.user.display_name, caller.user.username),
        role: caller.user.role.as_str().to_owned(),
        action: action.to_owned(),
        purpose: purpose(caller.user.role).stated().to_owned(),
        at: store::now(),
    })
}
