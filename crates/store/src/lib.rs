//! Persistence for iep504. All SQL lives here, written once for SQLite and PostgreSQL
//! (`db`), behind repositories grouped by what they store. Student-scoped tables carry
//! `district_id` so a large deployment can shard by district without a schema change.

mod bulk;
pub mod db;
mod error;
pub mod migrate;
pub mod pool;

pub use db::{Backend, Conn, Location, Row, Value};
pub use error::StoreError;
pub use pool::Pool;

/// The current instant as RFC 3339 UTC text: how every "recorded at" is stored.
pub fn now() -> String {
    jiff::Timestamp::now().to_string()
}

/// Today's civil date in UTC, the day the web server's clock reads when no test moves it.
pub fn today() -> domain::Date {
    jiff::tz::Offset::UTC
        .to_datetime(jiff::Timestamp::now())
        .date()
}

pub mod access_log;
pub mod backup;
pub mod communications;
pub mod dashboard;
pub mod districts;
pub mod edfi_clients;
pub mod edfi_store;
pub mod evaluations;
pub mod events;
pub mod export;
pub mod feeds;
pub mod goals;
pub mod idempotency;
pub mod plans;
pub mod programs;
pub mod progress_reports;
pub mod projection;
pub mod reports_data;
pub mod roster;
pub mod rti;
pub mod services;
pub mod sessions;
pub mod students;
pub mod synth;
pub mod testing;
pub mod throttle;
pub mod users;
pub mod vault;
