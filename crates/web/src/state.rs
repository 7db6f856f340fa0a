//! What every request shares: the connection pool, the options the server was started with,
//! the message catalogue and the clock.

use crate::clock::Clock;
use crate::i18n::I18n;
use std::sync::Arc;

#[derive(Debug, Clone)]
pub struct AppState(Arc<Inner>);

#[derive(Debug)]
pub struct Inner {
    pub pool: store::Pool,
    /// Staff may sign in without a second factor; every page shows a banner saying so.
    pub demo: bool,
    pub clock: Clock,
    pub i18n: I18n,
    /// Write one line per request (method, route template, status, latency) to stderr.
    pub log_requests: bool,
    /// The record of access's group commit (see `db::run`).
    pub access_log: store::access_log::GroupWriter,
}

impl AppState {
    pub fn new(pool: store::Pool, demo: bool, clock: Clock, log_requests: bool) -> AppState {
        AppState(Arc::new(Inner {
            access_log: store::access_log::GroupWriter::start(pool.location()),
            pool,
            demo,
            clock,
            i18n: I18n::load(),
            log_requests,
        }))
    }
}

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}
