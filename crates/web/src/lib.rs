//! The web edge of iep504: HTML pages and the JSON API over the store, with every access
//! decided by `domain::access::decide` at one policy point (`policy::gate`), driven by the one
//! route registry (`routes::registry`) that also builds the router.

mod api;
mod api_evaluations;
mod api_plans;
mod api_records;
pub mod auth;
pub mod clock;
mod dates;
mod db;
mod edfi;
mod error;
mod event_form;
mod feed;
mod headers;
pub mod i18n;
mod multipart;
mod obligations;
pub mod openapi;
mod pages;
pub mod policy;
pub mod print;
mod records;
mod records_input;
pub mod routes;
mod server;
mod session;
pub mod state;

pub use clock::Clock;
pub use routes::router;
pub use server::{ServeOptions, WebError, serve_blocking};
pub use state::AppState;
