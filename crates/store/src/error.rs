//! The store's errors. Callers turn them into messages at the edge; `is_busy` and
//! `is_storage_full` let the web layer retry or answer 503 instead of 500.

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("SQLite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("PostgreSQL: {0}")]
    Postgres(#[from] postgres::Error),
    #[error("connection pool: {0}")]
    Pool(#[from] r2d2::Error),
    #[error("the database holds unexpected data: {0}")]
    Corrupt(String),
    #[error("{0} not found")]
    NotFound(String),
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("{0}")]
    Invalid(String),
    #[error("I/O: {0}")]
    Io(#[from] std::io::Error),
    /// Storage failed for a write made on this caller's behalf by another thread (the
    /// access log's group commit); carries the cause that thread met.
    #[error("storage unavailable: {0}")]
    Unavailable(&'static str),
}

impl StoreError {
    /// Another writer holds the lock; the operation may be retried.
    pub fn is_busy(&self) -> bool {
        match self {
            StoreError::Sqlite(rusqlite::Error::SqliteFailure(e, _)) => matches!(
                e.code,
                rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
            ),
            StoreError::Postgres(e) => e.code().is_some_and(|c| {
                *c == postgres::error::SqlState::T_R_SERIALIZATION_FAILURE
                    || *c == postgres::error::SqlState::T_R_DEADLOCK_DETECTED
            }),
            _ => false,
        }
    }

    /// The disk is full or the database is read-only: writes cannot succeed until an operator
    /// acts, but reads still can.
    pub fn is_storage_unavailable(&self) -> bool {
        match self {
            StoreError::Sqlite(rusqlite::Error::SqliteFailure(e, _)) => matches!(
                e.code,
                rusqlite::ErrorCode::DiskFull
                    | rusqlite::ErrorCode::ReadOnly
                    | rusqlite::ErrorCode::SystemIoFailure
                    | rusqlite::ErrorCode::CannotOpen
            ),
            StoreError::Postgres(e) => e.code().is_some_and(|c| {
                *c == postgres::error::SqlState::DISK_FULL
                    || *c == postgres::error::SqlState::READ_ONLY_SQL_TRANSACTION
                    || *c == postgres::error::SqlState::INSUFFICIENT_RESOURCES
            }),
            StoreError::Io(_) | StoreError::Unavailable(_) => true,
            _ => false,
        }
    }

    /// What made storage unavailable, in words for the operator's log and the problem document
    /// (never data from the request); `None` when it is not a storage failure.
    pub fn storage_cause(&self) -> Option<&'static str> {
        if !self.is_storage_unavailable() {
            return None;
        }
        Some(match self {
            StoreError::Sqlite(rusqlite::Error::SqliteFailure(e, _)) => match e.code {
                rusqlite::ErrorCode::DiskFull => "disk full",
                rusqlite::ErrorCode::ReadOnly => "read-only database or file system",
                rusqlite::ErrorCode::CannotOpen => "cannot open the database file",
                _ => "disk I/O error",
            },
            StoreError::Postgres(e) => match e.code() {
                Some(c) if *c == postgres::error::SqlState::DISK_FULL => "disk full",
                Some(c) if *c == postgres::error::SqlState::READ_ONLY_SQL_TRANSACTION => {
                    "read-only database"
                }
                _ => "insufficient resources",
            },
            StoreError::Unavailable(cause) => cause,
            _ => "I/O error",
        })
    }

    /// A unique constraint refused the write.
    pub fn is_unique_violation(&self) -> bool {
        match self {
            StoreError::Sqlite(rusqlite::Error::SqliteFailure(e, _)) => {
                e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
                    || e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY
            }
            StoreError::Postgres(e) => {
                e.code() == Some(&postgres::error::SqlState::UNIQUE_VIOLATION)
            }
            _ => false,
        }
    }
}
