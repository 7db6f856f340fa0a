//! Running store work off the async runtime. Every database call goes through `run`, which uses
//! a blocking thread, retries transactions that met a busy SQLite lock or a PostgreSQL
//! serialization failure (or lost a race to insert the same unique key), and turns the rest
//! into typed errors.

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
    tokio::task::spawn_blocking(move || {
        let mut attempt = 0;
        loop {
            let result = pool
                .get()
                .map_err(AppError::from)
                .and_then(|mut conn| work(&mut conn));
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
