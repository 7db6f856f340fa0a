//! Running store work off the async runtime. Every database call goes through `run`, which uses
//! a blocking thread, retries transactions that met a busy SQLite lock or a PostgreSQL
//! serialization failure (or lost a race to insert the same unique key), and turns the rest
//! into typed errors. The record-of-access entries a piece of work notes (`policy::log_read`)
//! are committed through the access log's group writer once the work has succeeded, and before
//! its result is returned: no read reaches the caller unlogged.

use crate::error::AppError;
use crate::state::AppState;
use store::Conn;

const BUSY_RETRIES: u32 = 5;

/// Runs `work` on a pooled connection in a blocking thread. `work` may run more than once when
/// the database is busy, so it must be a whole transaction (or read-only).
pub async fn run<T, F>(state: &AppState, work: F) -> Result<T, AppError>
where
    T: Send + 'static,
    F: Fn(&mut Conn) -> Result<T, AppError> + Send + 'static,
{
    let pool = state.pool.clone();
    let access_log = state.access_log.clone();
    tokio::task::spawn_blocking(move || {
        let mut attempt = 0;
        loop {
            let result = reads::collect(|| {
                pool.get()
                    .map_err(AppError::from)
                    .and_then(|mut conn| work(&mut conn))
            })
            .and_then(|(value, entries)| {
                access_log.append(entries)?;
                Ok(value)
            });
            match result {
                Err(AppError::Store(e)) if e.is_busy() && attempt < BUSY_RETRIES => {
                    attempt += 1;
                    std::thread::sleep(std::time::Duration::from_millis(20 << attempt));
                }
                // Two requests inserting the same key at once (a client retrying a POST while
                // the first is still running): on PostgreSQL the loser's INSERT fails when the
                // winner commits. Running it again sees the winner's row and replays it (a
                // request can lose twice: the event, then the key). A real duplicate fails the
                // same way every time and ends as before.
                Err(AppError::Store(e)) if e.is_unique_violation() && attempt < BUSY_RETRIES => {
                    attempt += 1;
                }
                other => return other,
            }
        }
    })
    .await
    .map_err(|_| AppError::Internal("a database task stopped unexpectedly"))?
}

/// The record-of-access entries noted by the work running on this thread.
pub(crate) mod reads {
    use crate::error::AppError;
    use std::cell::RefCell;
    use store::access_log::OwnedEntry;

    thread_local! {
        static NOTED: RefCell<Option<Vec<OwnedEntry>>> = const { RefCell::new(None) };
    }

    /// Runs one attempt of `work`, returning its value with the entries it noted. A failed
    /// attempt's entries are dropped: the caller read nothing.
    pub fn collect<T>(
        work: impl FnOnce() -> Result<T, AppError>,
    ) -> Result<(T, Vec<OwnedEntry>), AppError> {
        NOTED.with(|noted| *noted.borrow_mut() = Some(Vec::new()));
        let result = work();
        let entries = NOTED.with(|noted| noted.borrow_mut().take().unwrap_or_default());
        result.map(|value| (value, entries))
    }

    /// Notes an entry for the work running on this thread; outside `db::run` there is no work
    /// to attach it to, which is a programming error reported as a store error.
    pub fn note(entry: OwnedEntry) -> Result<(), store::StoreError> {
        NOTED.with(|noted| match noted.borrow_mut().as_mut() {
            Some(entries) => {
                entries.push(entry);
                Ok(())
            }
            None => Err(store::StoreError::Invalid(
                "a read was logged outside a database task".into(),
            )),
        })
    }
}
