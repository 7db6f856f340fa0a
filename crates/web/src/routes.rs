//! The one route registry: every route's method, path template, access policy and handler.
//! `router` builds the app from it (each route behind `policy::gate` with its own policy), the
//! OpenAPI test checks the API routes against it, and the authorization matrix test walks it.

use crate::policy::{self, Policy};
use crate::state::AppState;
use crate::{api, api_evaluations, api_plans, api_records, edfi, feed, headers, pages};
use axum::Router;
use axum::http::Method;
use axum::routing::{MethodRouter, get, post, put};
use domain::access::Action;
use domain::people::Role;

pub struct Route {
    pub method: Method,
    pub path: &'static str,
    pub policy: Policy,
    handler: MethodRouter<AppState>,
}

impl std::fmt::Debug for Route {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {} ({:?})", self.method, self.path, self.policy)
    }
}

fn route(
    method: Method,
    path: &'static str,
    policy: Policy,
    handler: MethodRouter<AppState>,
) -> Route {
    Route {
        method,
        path,
        policy,
        handler,
    }
}

/// Staff who run cases and see the caseload dashboard.
pub const CASE_STAFF: &[Role] = &[Role::CaseManager, Role::Evaluator, Role::Coordinator504];
/// District-wide roles that see the compliance view.
pub const DISTRICT_WIDE: &[Role] = &[Role::DistrictAdmin, Role::ComplianceViewer];

/// Bulk export of many students' records.
pub const DISTRICT_ADMIN: &[Role] = &[Role::DistrictAdmin];

const READ: &[Action] = &[Action::ReadRecord];
const READ_LOG: &[Action] = &[Action::ReadAccessLog];
/// Staff add any event; parents (and adult students) add the events they originate.
const WRITE_EVENT: &[Action] = &[Action::WriteEvent, Action::WriteParentEvent];
/// The service grid and goals are plan content; sessions, data points and probes are logged
/// by whoever delivers the service; starting or ending RTI writes a case event.
const WRITE_PLAN: &[Action] = &[Action::WritePlan];
const LOG_SERVICE: &[Action] = &[Action::LogService];
const RUN_RTI: &[Action] = &[Action::WriteEvent];
/// Who logs related-service sessions from their own list.
pub const SERVICE_STAFF: &[Role] = &[Role::Provider, Role::CaseManager];

pub fn registry() -> Vec<Route> {
    use Method as M;
    use Policy::*;
    vec![
        route(M::GET, "/healthz", Public, get(headers::healthz)),
        route(M::GET, "/static/app.css", Public, get(headers::stylesheet)),
        route(M::GET, "/sign-in", Public, get(pages::signin::form)),
        route(M::POST, "/sign-in", Public, post(pages::signin::submit)),
        route(
            M::GET,
            "/sign-in/second-factor",
            SecondFactor,
            get(pages::signin::second_factor_form),
        ),
        route(
            M::POST,
            "/sign-in/second-factor",
            SecondFactor,
            post(pages::signin::second_factor_submit),
        ),
        route(
            M::POST,
            "/sign-out",
            SignedIn,
            post(pages::signin::sign_out),
        ),
        route(
            M::GET,
            "/language/{code}",
            Public,
            get(pages::signin::choose_language),
        ),
        route(M::GET, "/", SignedIn, get(pages::home::home)),
        route(M::GET, "/account", SignedIn, get(pages::account::page)),
        route(
            M::POST,
            "/account/password",
            SignedIn,
            post(pages::account::change_password),
        ),
        route(
            M::POST,
            "/account/language",
            SignedIn,
            post(pages::account::set_language),
        ),
        route(
            M::POST,
            "/account/two-step",
            SignedIn,
            post(pages::account::start_two_step),
        ),
        route(
            M::POST,
            "/account/two-step/confirm",
            SignedIn,
            post(pages::account::confirm_two_step),
        ),
        route(
            M::POST,
            "/account/recovery-codes",
            SignedIn,
            post(pages::account::new_recovery_codes),
        ),
        route(
            M::POST,
            "/account/feed",
            SignedIn,
            post(pages::account::new_feed),
        ),
        route(
            M::POST,
            "/account/feed/revoke",
            SignedIn,
            post(pages::account::revoke_feed),
        ),
        route(
            M::GET,
            "/caseload",
            Roles(CASE_STAFF),
            get(pages::dashboard::caseload),
        ),
        route(
            M::GET,
            "/compliance",
            Roles(DISTRICT_WIDE),
            get(pages::dashboard::compliance),
        ),
        route(
            M::GET,
            "/export",
            Roles(DISTRICT_ADMIN),
            get(pages::export::form),
        ),
        route(
            M::POST,
            "/export",
            Roles(DISTRICT_ADMIN),
            post(pages::export::submit),
        ),
        route(
            M::GET,
            "/students/{id}",
            Student(READ),
            get(pages::student::page),
        ),
        route(
            M::POST,
            "/students/{id}/events",
            Student(WRITE_EVENT),
            post(pages::student::add_event),
        ),
        route(
            M::GET,
            "/students/{id}/access",
            Student(READ_LOG),
            get(pages::access::page),
        ),
        route(M::GET, "/feeds/{file}", Public, get(feed::calendar)),
        route(M::GET, "/api/v1/openapi.json", Public, get(api::openapi)),
        route(
            M::GET,
            "/api/v1/students",
            SignedIn,
            get(api::list_students),
        ),
        route(
            M::GET,
            "/api/v1/students/{id}",
            Student(READ),
            get(api::student),
        ),
        route(
            M::GET,
            "/api/v1/students/{id}/events",
            Student(READ),
            get(api::events),
        ),
        route(
            M::POST,
            "/api/v1/students/{id}/events",
            Student(WRITE_EVENT),
            post(api::add_event),
        ),
        route(
            M::GET,
            "/api/v1/students/{id}/obligations",
            Student(READ),
            get(api::obligations),
        ),
        route(
            M::GET,
            "/api/v1/students/{id}/access-log",
            Student(READ_LOG),
            get(api::access_log),
        ),
        route(
            M::GET,
            "/reports",
            Roles(DISTRICT_WIDE),
            get(pages::reports::page),
        ),
        route(M::GET, "/edfi", Public, get(edfi::version)),
        route(M::GET, "/edfi/", Public, get(edfi::version)),
        route(M::POST, "/edfi/oauth/token", EdfiToken, post(edfi::token)),
        route(
            M::GET,
            "/edfi/data/v3/ed-fi/students",
            EdfiClient,
            get(edfi::students),
        ),
        route(
            M::GET,
            "/edfi/data/v3/ed-fi/studentSpecialEducationProgramAssociations",
            EdfiClient,
            get(edfi::special_education),
        ),
        route(
            M::GET,
            "/edfi/data/v3/ed-fi/studentSection504ProgramAssociations",
            EdfiClient,
            get(edfi::section504),
        ),
        route(
            M::GET,
            "/edfi/data/v3/ed-fi/studentSpecialEducationProgramEligibilityAssociations",
            EdfiClient,
            get(edfi::eligibility),
        ),
    ]
    .into_iter()
    .chain(records())
    .chain(toolkit())
    .chain(evaluations())
    .chain(plans())
    .collect()
}

/// Case records: services and the compensatory ledger, goals and progress, RTI.
fn records() -> Vec<Route> {
    use Method as M;
    use Policy::*;
    vec![
        route(
            M::GET,
            "/sessions",
            Roles(SERVICE_STAFF),
            get(pages::services::my_sessions),
        ),
        route(
            M::GET,
            "/compliance/services",
            Roles(DISTRICT_WIDE),
            get(pages::services::district_debts),
        ),
        route(
            M::GET,
            "/students/{id}/services",
            Student(READ),
            get(pages::services::page),
        ),
        route(
            M::POST,
            "/students/{id}/services",
            Student(WRITE_PLAN),
            post(pages::services::add_service),
        ),
        route(
            M::POST,
            "/students/{id}/sessions",
            Student(LOG_SERVICE),
            post(pages::services::log_session),
        ),
        route(
            M::GET,
            "/students/{id}/goals",
            Student(READ),
            get(pages::goals::list),
        ),
        route(
            M::POST,
            "/students/{id}/goals",
            Student(WRITE_PLAN),
            post(pages::goals::add),
        ),
        route(
            M::GET,
            "/students/{id}/goals/report.pdf",
            Student(READ),
            get(pages::goals::report_pdf),
        ),
        route(
            M::GET,
            "/students/{id}/goals/{goal}",
            Student(READ),
            get(pages::goals::page),
        ),
        route(
            M::GET,
            "/students/{id}/progress-reports/{report}",
            Student(READ),
            get(pages::goals::issued_report),
        ),
        route(
            M::POST,
            "/students/{id}/goals/{goal}/points",
            Student(LOG_SERVICE),
            post(pages::goals::add_point),
        ),
        route(
            M::GET,
            "/students/{id}/interventions",
            Student(READ),
            get(pages::rti::page),
        ),
        route(
            M::POST,
            "/students/{id}/interventions",
            Student(RUN_RTI),
            post(pages::rti::start),
        ),
        route(
            M::POST,
            "/students/{id}/interventions/{intervention}/end",
            Student(RUN_RTI),
            post(pages::rti::end),
        ),
        route(
            M::POST,
            "/students/{id}/interventions/{intervention}/probes",
            Student(LOG_SERVICE),
            post(pages::rti::add_probe),
        ),
        route(
            M::GET,
            "/api/v1/students/{id}/services",
            Student(READ),
            get(api_records::services),
        ),
        route(
            M::POST,
            "/api/v1/students/{id}/services",
            Student(WRITE_PLAN),
            post(api_records::add_service),
        ),
        route(
            M::PUT,
            "/api/v1/students/{id}/services/{service}",
            Student(WRITE_PLAN),
            put(api_records::update_service),
        ),
        route(
            M::GET,
            "/api/v1/students/{id}/sessions",
            Student(READ),
            get(api_records::sessions),
        ),
        route(
            M::POST,
            "/api/v1/students/{id}/sessions",
            Student(LOG_SERVICE),
            post(api_records::add_session),
        ),
        route(
            M::GET,
            "/api/v1/students/{id}/ledger",
            Student(READ),
            get(api_records::ledger),
        ),
        route(
            M::GET,
            "/api/v1/students/{id}/goals",
            Student(READ),
            get(api_records::goals),
        ),
        route(
            M::POST,
            "/api/v1/students/{id}/goals",
            Student(WRITE_PLAN),
            post(api_records::add_goal),
        ),
        route(
            M::PUT,
            "/api/v1/students/{id}/goals/{goal}",
            Student(WRITE_PLAN),
            put(api_records::update_goal),
        ),
        route(
            M::POST,
            "/api/v1/students/{id}/goals/{goal}/points",
            Student(LOG_SERVICE),
            post(api_records::add_point),
        ),
        route(
            M::GET,
            "/api/v1/students/{id}/goals/{goal}/progress",
            Student(READ),
            get(api_records::progress),
        ),
        route(
            M::GET,
            "/api/v1/students/{id}/interventions",
            Student(READ),
            get(api_records::interventions),
        ),
        route(
            M::POST,
            "/api/v1/students/{id}/interventions",
            Student(RUN_RTI),
            post(api_records::add_intervention),
        ),
        route(
            M::POST,
            "/api/v1/students/{id}/interventions/{intervention}/end",
            Student(RUN_RTI),
            post(api_records::end_intervention),
        ),
        route(
            M::POST,
            "/api/v1/students/{id}/interventions/{intervention}/probes",
            Student(LOG_SERVICE),
            post(api_records::add_probe),
        ),
    ]
}

/// Letters about a child are written by whoever holds the parent's rights (the parent, or the
/// adult student) — and by a district administrator, who may do anything in the district.
const WRITE_LETTER: &[Action] = &[Action::WriteParentEvent];

/// The parent toolkit: the public calculators (no account needed), the first-run setup, and on
/// a child's record the letters, the communication log, the document vault and the binder.
fn toolkit() -> Vec<Route> {
    use Method as M;
    use Policy::*;
    use pages::toolkit as tk;
    vec![
        route(M::GET, "/toolkit", Public, get(tk::index)),
        route(M::GET, "/toolkit/advisor", Public, get(tk::advisor::page)),
        route(M::GET, "/toolkit/compare", Public, get(tk::compare::page)),
        route(M::GET, "/toolkit/redflags", Public, get(tk::redflags::form)),
        route(
            M::POST,
            "/toolkit/redflags",
            Public,
            post(tk::redflags::check),
        ),
        route(
            M::GET,
            "/toolkit/calculator",
            Public,
            get(tk::calculator::page),
        ),
        route(
            M::GET,
            "/toolkit/calculator/deadlines.ics",
            Public,
            get(tk::calculator::download),
        ),
        route(M::GET, "/toolkit/letters", Public, get(tk::letters::form)),
        route(
            M::POST,
            "/toolkit/letters",
            Public,
            post(tk::letters::write),
        ),
        route(M::GET, "/setup", Public, get(tk::setup::form)),
        route(M::POST, "/setup/parent", Public, post(tk::setup::parent)),
        route(
            M::GET,
            "/students/{id}/toolkit",
            Student(READ),
            get(tk::communications::page),
        ),
        route(
            M::POST,
            "/students/{id}/communications",
            Student(tk::communications::WRITE_LOG),
            post(tk::communications::add),
        ),
        route(
            M::GET,
            "/students/{id}/letters",
            Student(WRITE_LETTER),
            get(tk::letters::child_form),
        ),
        route(
            M::POST,
            "/students/{id}/letters",
            Student(WRITE_LETTER),
            post(tk::letters::child_write),
        ),
        route(
            M::POST,
            "/students/{id}/documents",
            Student(tk::communications::WRITE_LOG),
            post(tk::vault::upload)
                .layer(axum::extract::DefaultBodyLimit::max(tk::vault::BODY_LIMIT)),
        ),
        route(
            M::GET,
            "/students/{id}/documents/{document}",
            Student(READ),
            get(tk::vault::download),
        ),
        route(
            M::GET,
            "/students/{id}/binder.pdf",
            Student(READ),
            get(tk::binder::download),
        ),
    ]
}

/// Evaluations and eligibility (34 CFR 300.301–300.311, Section 504) and prior written notices
/// (300.503). Staff who write plans record every step; a parent may answer a consent request.
const RECORD_STEP: &[Action] = &[Action::WritePlan, Action::WriteParentEvent];

fn evaluations() -> Vec<Route> {
    use Method as M;
    use Policy::*;
    vec![
        route(
            M::GET,
            "/students/{id}/evaluations",
            Student(READ),
            get(pages::evaluations::page),
        ),
        route(
            M::POST,
            "/students/{id}/evaluations",
            Student(RECORD_STEP),
            post(pages::evaluations::add_step),
        ),
        route(
            M::POST,
            "/students/{id}/evaluations/{step}/correct",
            Student(WRITE_PLAN),
            post(pages::evaluations::correct_step),
        ),
        route(
            M::POST,
            "/students/{id}/notices",
            Student(WRITE_PLAN),
            post(pages::evaluations::add_notice),
        ),
        route(
            M::GET,
            "/students/{id}/notices/{notice}",
            Student(READ),
            get(pages::evaluations::notice),
        ),
        route(
            M::POST,
            "/students/{id}/notices/{notice}",
            Student(WRITE_PLAN),
            post(pages::evaluations::save_notice),
        ),
        route(
            M::POST,
            "/students/{id}/notices/{notice}/send",
            Student(WRITE_PLAN),
            post(pages::evaluations::send),
        ),
        route(
            M::GET,
            "/students/{id}/notices/{notice}/pdf",
            Student(READ),
            get(pages::evaluations::pdf),
        ),
        route(
            M::GET,
            "/api/v1/students/{id}/evaluations",
            Student(READ),
            get(api_evaluations::evaluations),
        ),
        route(
            M::POST,
            "/api/v1/students/{id}/evaluations",
            Student(RECORD_STEP),
            post(api_evaluations::add_step),
        ),
        route(
            M::POST,
            "/api/v1/students/{id}/evaluations/{step}/corrections",
            Student(WRITE_PLAN),
            post(api_evaluations::correct_step),
        ),
        route(
            M::GET,
            "/api/v1/students/{id}/notices",
            Student(READ),
            get(api_evaluations::notices),
        ),
        route(
            M::POST,
            "/api/v1/students/{id}/notices",
            Student(WRITE_PLAN),
            post(api_evaluations::add_notice),
        ),
        route(
            M::PUT,
            "/api/v1/students/{id}/notices/{notice}",
            Student(WRITE_PLAN),
            put(api_evaluations::update_notice),
        ),
        route(
            M::POST,
            "/api/v1/students/{id}/notices/{notice}/send",
            Student(WRITE_PLAN),
            post(api_evaluations::send),
        ),
    ]
}

/// Families comment on a draft shared with them; staff who write plans may too.
const COMMENT_PLAN: &[Action] = &[Action::CommentOnPlan];
/// Each teacher of the student acknowledges a finalized plan's accommodations.
const ACKNOWLEDGE: &[Action] = &[Action::AcknowledgeAccommodations];

/// IEPs and 504 plans: versions, the section editor, lifecycle, comments, acknowledgements.
fn plans() -> Vec<Route> {
    use Method as M;
    use Policy::*;
    vec![
        route(
            M::GET,
            "/accommodations",
            Roles(&[Role::Teacher]),
            get(pages::plans::my_accommodations),
        ),
        route(
            M::GET,
            "/students/{id}/plans",
            Student(READ),
            get(pages::plans::list),
        ),
        route(
            M::POST,
            "/students/{id}/plans",
            Student(WRITE_PLAN),
            post(pages::plans::create),
        ),
        route(
            M::GET,
            "/students/{id}/plans/{plan}",
            Student(READ),
            get(pages::plans::page),
        ),
        route(
            M::GET,
            "/students/{id}/plans/{plan}/pdf",
            Student(READ),
            get(pages::plans::pdf),
        ),
        route(
            M::GET,
            "/students/{id}/plans/{plan}/sections/{section}",
            Student(WRITE_PLAN),
            get(pages::plans::section_form),
        ),
        route(
            M::POST,
            "/students/{id}/plans/{plan}/sections/{section}",
            Student(WRITE_PLAN),
            post(pages::plans::save_section),
        ),
        route(
            M::POST,
            "/students/{id}/plans/{plan}/status",
            Student(WRITE_PLAN),
            post(pages::plans::change_status),
        ),
        route(
            M::POST,
            "/students/{id}/plans/{plan}/amend",
            Student(WRITE_PLAN),
            post(pages::plans::amend),
        ),
        route(
            M::POST,
            "/students/{id}/plans/{plan}/comments",
            Student(COMMENT_PLAN),
            post(pages::plans::comment),
        ),
        route(
            M::POST,
            "/students/{id}/plans/{plan}/acknowledge",
            Student(ACKNOWLEDGE),
            post(pages::plans::acknowledge),
        ),
        route(
            M::POST,
            "/students/{id}/plans/{plan}/reminders",
            Student(WRITE_PLAN),
            post(pages::plans::remind),
        ),
        route(
            M::GET,
            "/api/v1/students/{id}/plans",
            Student(READ),
            get(api_plans::list),
        ),
        route(
            M::POST,
            "/api/v1/students/{id}/plans",
            Student(WRITE_PLAN),
            post(api_plans::create),
        ),
        route(
            M::GET,
            "/api/v1/students/{id}/plans/{plan}",
            Student(READ),
            get(api_plans::get),
        ),
        route(
            M::PUT,
            "/api/v1/students/{id}/plans/{plan}",
            Student(WRITE_PLAN),
            put(api_plans::save),
        ),
        route(
            M::POST,
            "/api/v1/students/{id}/plans/{plan}/transitions",
            Student(WRITE_PLAN),
            post(api_plans::transition),
        ),
        route(
            M::POST,
            "/api/v1/students/{id}/plans/{plan}/amendments",
            Student(WRITE_PLAN),
            post(api_plans::amend),
        ),
        route(
            M::POST,
            "/api/v1/students/{id}/plans/{plan}/comments",
            Student(COMMENT_PLAN),
            post(api_plans::comment),
        ),
        route(
            M::POST,
            "/api/v1/students/{id}/plans/{plan}/acknowledgement",
            Student(ACKNOWLEDGE),
            post(api_plans::acknowledge),
        ),
        route(
            M::POST,
            "/api/v1/students/{id}/plans/{plan}/reminders",
            Student(WRITE_PLAN),
            post(api_plans::remind),
        ),
    ]
}

/// The whole app: the registry's routes, each behind the policy gate, inside the edge layers
/// (error rendering, security headers, request log).
pub fn router(state: AppState) -> Router {
    let mut app: Router<AppState> = Router::new();
    for route in registry() {
        let gate = axum::middleware::from_fn_with_state(
            policy::GateState {
                app: state.clone(),
                policy: route.policy,
            },
            policy::gate,
        );
        app = app.route(route.path, route.handler.route_layer(gate));
    }
    app.fallback(headers::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            headers::edge,
        ))
        .with_state(state)
}
