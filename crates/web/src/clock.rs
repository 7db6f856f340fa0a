//! The server's clock. Sessions, throttling and TOTP read time only from here, so tests can
//! move time forward instead of sleeping.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

#[derive(Debug, Clone, Default)]
pub struct Clock {
    offset_seconds: Arc<AtomicI64>,
}

impl Clock {
    pub fn now(&self) -> jiff::Timestamp {
        let offset = jiff::SignedDuration::from_secs(self.offset_seconds.load(Ordering::Relaxed));
        jiff::Timestamp::now()
            .checked_add(offset)
            .unwrap_or_else(|_| jiff::Timestamp::now())
    }

    /// Moves this clock (and every copy of it) forward.
    pub fn advance(&self, seconds: i64) {
        self.offset_seconds.fetch_add(seconds, Ordering::Relaxed);
    }

    /// Today's civil date. Deadlines are compared in UTC, so near midnight a date can read a
    /// day ahead of a US school's local date; the projection is refreshed daily either way.
    pub fn today(&self) -> domain::Date {
        jiff::tz::Offset::UTC.to_datetime(self.now()).date()
    }

    /// Seconds since the Unix epoch, for TOTP.
    pub fn unix_seconds(&self) -> u64 {
        u64::try_from(self.now().as_second()).unwrap_or(0)
    }
}
