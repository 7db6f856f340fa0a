//! Schema migrations, one SQL file per version and backend, embedded in the binary. Each runs
//! in its own transaction and is recorded in `schema_migrations`, so `migrate` is idempotent
//! and a failed upgrade leaves the previous schema intact.

use crate::db::{Backend, Conn};
use crate::{StoreError, params};

struct Migration {
    version: i64,
    name: &'static str,
    sqlite: &'static str,
    postgres: &'static str,
}

const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "init",
        sqlite: include_str!("../migrations/sqlite/0001_init.sql"),
        postgres: include_str!("../migrations/postgres/0001_init.sql"),
    },
    Migration {
        version: 2,
        name: "programs",
        sqlite: include_str!("../migrations/sqlite/0002_programs.sql"),
        postgres: include_str!("../migrations/postgres/0002_programs.sql"),
    },
    Migration {
        version: 3,
        name: "web",
        sqlite: include_str!("../migrations/sqlite/0003_web.sql"),
        postgres: include_str!("../migrations/postgres/0003_web.sql"),
    },
    Migration {
        version: 4,
        name: "events_order",
        sqlite: include_str!("../migrations/sqlite/0004_events_order.sql"),
        postgres: include_str!("../migrations/postgres/0004_events_order.sql"),
    },
    Migration {
        version: 5,
        name: "interop",
        sqlite: include_str!("../migrations/sqlite/0005_interop.sql"),
        postgres: include_str!("../migrations/postgres/0005_interop.sql"),
    },
    Migration {
        version: 6,
        name: "records",
        sqlite: include_str!("../migrations/sqlite/0006_records.sql"),
        postgres: include_str!("../migrations/postgres/0006_records.sql"),
    },
    Migration {
        version: 7,
        name: "plans",
        sqlite: include_str!("../migrations/sqlite/0007_plans.sql"),
        postgres: include_str!("../migrations/postgres/0007_plans.sql"),
    },
    Migration {
        version: 8,
        name: "evaluations",
        sqlite: include_str!("../migrations/sqlite/0008_evaluations.sql"),
        postgres: include_str!("../migrations/postgres/0008_evaluations.sql"),
    },
    Migration {
        version: 9,
        name: "parent",
        sqlite: include_str!("../migrations/sqlite/0009_parent.sql"),
        postgres: include_str!("../migrations/postgres/0009_parent.sql"),
    },
    Migration {
        version: 10,
        name: "progress_reports",
        sqlite: include_str!("../migrations/sqlite/0010_progress_reports.sql"),
        postgres: include_str!("../migrations/postgres/0010_progress_reports.sql"),
    },
    Migration {
        version: 11,
        name: "records_gaps",
        sqlite: include_str!("../migrations/sqlite/0011_records_gaps.sql"),
        postgres: include_str!("../migrations/postgres/0011_records_gaps.sql"),
    },
    Migration {
        version: 12,
        name: "unmet_index",
        sqlite: include_str!("../migrations/sqlite/0012_unmet_index.sql"),
        postgres: include_str!("../migrations/postgres/0012_unmet_index.sql"),
    },
    Migration {
        version: 13,
        name: "service_debts",
        sqlite: include_str!("../migrations/sqlite/0013_service_debts.sql"),
        postgres: include_str!("../migrations/postgres/0013_service_debts.sql"),
    },
    Migration {
        version: 14,
        name: "edfi_columns",
        sqlite: include_str!("../migrations/sqlite/0014_edfi_columns.sql"),
        postgres: include_str!("../migrations/postgres/0014_edfi_columns.sql"),
    },
    Migration {
        version: 15,
        name: "drop_edfi_record",
        sqlite: include_str!("../migrations/sqlite/0015_drop_edfi_record.sql"),
        postgres: include_str!("../migrations/postgres/0015_drop_edfi_record.sql"),
    },
];

/// What a migration's SQL cannot compute, run in the same transaction right after it: the
/// environment of IEPs finalized before 0011, read from their JSON content; the debt summary
/// of every existing service (0013), as of today; the Ed-Fi columns of every imported program
/// association, read from its JSON copy (0014).
fn backfill(tx: &mut Conn, version: i64) -> Result<(), StoreError> {
    if version == 11 {
        crate::plans::fill_reported_environments(tx)?;
    }
    if version == 13 {
        crate::services::refresh_stale_debts(tx, crate::today())?;
    }
    if version == 14 {
        crate::edfi_store::move_records_into_columns(tx)?;
    }
    Ok(())
}

/// The newest schema version this build knows.
pub fn latest_version() -> i64 {
    MIGRATIONS.last().map_or(0, |m| m.version)
}

/// Brings the schema up to date; returns the versions applied now.
pub fn migrate(conn: &mut Conn) -> Result<Vec<i64>, StoreError> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
             version    BIGINT PRIMARY KEY,
             name       TEXT NOT NULL,
             applied_at TEXT NOT NULL
         )",
    )?;
    let mut applied = Vec::new();
    for migration in MIGRATIONS {
        let done = conn.transaction(|tx| {
            if tx.backend() == Backend::Postgres {
                // Several servers may start at once against one database.
                tx.execute_batch("SELECT pg_advisory_xact_lock(504504)")?;
            }
            let present = tx
                .query_opt(
                    "SELECT version FROM schema_migrations WHERE version = $1",
                    params![migration.version],
                )?
                .is_some();
            if present {
                return Ok(false);
            }
            tx.execute_batch(match tx.backend() {
                Backend::Sqlite => migration.sqlite,
                Backend::Postgres => migration.postgres,
            })?;
            backfill(tx, migration.version)?;
            tx.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
                params![migration.version, migration.name, crate::now()],
            )?;
            Ok(true)
        })?;
        if done {
            applied.push(migration.version);
        }
    }
    Ok(applied)
}

/// The schema version the database is at (0 when empty).
pub fn current_version(conn: &mut Conn) -> Result<i64, StoreError> {
    let exists = match conn.backend() {
        Backend::Sqlite => conn.query_opt(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'",
            &[],
        )?,
        Backend::Postgres => conn.query_opt(
            "SELECT table_name::TEXT FROM information_schema.tables
             WHERE table_schema = current_schema() AND table_name = 'schema_migrations'",
            &[],
        )?,
    };
    if exists.is_none() {
        return Ok(0);
    }
    let row = conn.query_one(
        "SELECT CAST(COALESCE(MAX(version), 0) AS BIGINT) FROM schema_migrations",
        &[],
    )?;
    row.int(0)
}
