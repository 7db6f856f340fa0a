//! Backup and restore. A backup is always a SQLite file of the iep504 schema, whichever database
//! it came from, so it moves between backends. Backups read one consistent snapshot while a
//! server keeps writing; a restore fills an empty database in one all-or-nothing transaction.

use crate::bulk::BulkInsert;
use crate::db::{Backend, Conn, Location, Value};
use crate::migrate::{current_version, latest_version, migrate};
use crate::{StoreError, params};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// What a backup or a restore copied.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct CopySummary {
    pub schema_version: i64,
    pub tables: u64,
    pub rows: u64,
}

/// The tables of the iep504 schema in a database, by name (migration bookkeeping left out).
pub fn tables(conn: &mut Conn) -> Result<Vec<String>, StoreError> {
    let rows = match conn.backend() {
        Backend::Sqlite => conn.query(
            "SELECT name FROM sqlite_master WHERE type = 'table'
             AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations' ORDER BY name",
            &[],
        )?,
        Backend::Postgres => conn.query(
            "SELECT table_name::TEXT FROM information_schema.tables
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
               AND table_name <> 'schema_migrations' ORDER BY table_name",
            &[],
        )?,
    };
    rows.iter().map(|r| r.string(0)).collect()
}

/// A table's columns in declaration order.
pub fn columns(conn: &mut Conn, table: &str) -> Result<Vec<String>, StoreError> {
    let rows = match conn.backend() {
        Backend::Sqlite => conn.query(
            "SELECT name FROM pragma_table_info($1) ORDER BY cid",
            params![table],
        )?,
        Backend::Postgres => conn.query(
            "SELECT column_name::TEXT FROM information_schema.columns
             WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
            params![table],
        )?,
    };
    rows.iter().map(|r| r.string(0)).collect()
}

/// The SELECT list for copying `table` out of `conn`. PostgreSQL columns of types the store
/// does not read natively (timestamps, JSON…) are read as text, which SQLite stores as is.
fn select_list(conn: &mut Conn, table: &str, wanted: &[String]) -> Result<String, StoreError> {
    if conn.backend() == Backend::Sqlite {
        return Ok(wanted.join(", "));
    }
    let types: BTreeMap<String, String> = conn
        .query(
            "SELECT column_name::TEXT, data_type::TEXT FROM information_schema.columns
             WHERE table_schema = current_schema() AND table_name = $1",
            params![table],
        )?
        .iter()
        .map(|r| Ok((r.string(0)?, r.string(1)?)))
        .collect::<Result<_, StoreError>>()?;
    const NATIVE: &[&str] = &[
        "bigint",
        "integer",
        "smallint",
        "boolean",
        "double precision",
        "real",
        "text",
        "character varying",
        "bytea",
    ];
    Ok(wanted
        .iter()
        .map(|c| match types.get(c) {
            Some(t) if !NATIVE.contains(&t.as_str()) => format!("CAST({c} AS TEXT) AS {c}"),
            _ => c.clone(),
        })
        .collect::<Vec<_>>()
        .join(", "))
}

/// Copies every row of `table` from `source` into `target` (inside the caller's transactions).
fn copy_table(
    source: &mut Conn,
    target: &mut Conn,
    table: &str,
    cols: &[String],
) -> Result<u64, StoreError> {
    let select = format!("SELECT {} FROM {table}", select_list(source, table, cols)?);
    let mut bulk = BulkInsert::new(table, cols);
    source.for_each(&select, &[], |row| bulk.push(target, row.0))?;
    bulk.flush(target)?;
    Ok(bulk.written)
}

/// Tables ordered so every table comes after the tables its foreign keys point to (read from
/// a SQLite schema); PostgreSQL checks foreign keys row by row.
fn dependency_order(sqlite: &mut Conn, names: &[String]) -> Result<Vec<String>, StoreError> {
    let mut parents: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for table in names {
        let refs = sqlite
            .query(
                "SELECT DISTINCT \"table\" FROM pragma_foreign_key_list($1)",
                params![table.as_str()],
            )?
            .iter()
            .map(|r| r.string(0))
            .collect::<Result<BTreeSet<_>, _>>()?;
        parents.insert(
            table.clone(),
            refs.into_iter()
                .filter(|p| p != table && names.contains(p))
                .collect(),
        );
    }
    let mut ordered: Vec<String> = Vec::new();
    while ordered.len() < names.len() {
        let ready: Vec<String> = parents
            .iter()
            .filter(|(t, ps)| !ordered.contains(t) && ps.iter().all(|p| ordered.contains(p)))
            .map(|(t, _)| t.clone())
            .collect();
        if ready.is_empty() {
            return Err(StoreError::Corrupt(
                "the schema's foreign keys form a cycle".into(),
            ));
        }
        ordered.extend(ready);
    }
    Ok(ordered)
}

fn partial_path(out: &Path) -> PathBuf {
    let mut name = out.as_os_str().to_owned();
    name.push(".partial");
    PathBuf::from(name)
}

fn path_text(path: &Path) -> Result<&str, StoreError> {
    path.to_str().ok_or_else(|| {
        StoreError::Invalid(format!("{}: the path is not valid UTF-8", path.display()))
    })
}

fn remove_sqlite_files(path: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        let _ = std::fs::remove_file(name);
    }
}

fn check_version(version: i64, what: &str) -> Result<(), StoreError> {
    if version > latest_version() {
        return Err(StoreError::Invalid(format!(
            "{what} is at schema version {version}, newer than this iep504 knows ({}); use a newer iep504",
            latest_version()
        )));
    }
    if version == 0 {
        return Err(StoreError::Invalid(format!("{what} has no iep504 schema")));
    }
    Ok(())
}

/// Writes a consistent backup of the database at `location` to the new file `out`. The file is
/// written beside `out` and renamed into place, so `out` never holds half a backup.
pub fn backup(location: &Location, out: &Path) -> Result<CopySummary, StoreError> {
    if out.exists() {
        return Err(StoreError::Conflict(format!(
            "{} already exists; a backup never overwrites a file",
            out.display()
        )));
    }
    let partial = partial_path(out);
    remove_sqlite_files(&partial);
    let result = match location {
        Location::Sqlite(path) => backup_sqlite(path, &partial),
        Location::Postgres(_) => backup_postgres(location, &partial),
    };
    match result {
        Ok(summary) => {
            std::fs::rename(&partial, out)?;
            Ok(summary)
        }
        Err(e) => {
            remove_sqlite_files(&partial);
            Err(e)
        }
    }
}

fn backup_sqlite(path: &Path, partial: &Path) -> Result<CopySummary, StoreError> {
    if !path.exists() {
        return Err(StoreError::NotFound(format!(
            "database file {}",
            path.display()
        )));
    }
    let mut source = Conn::open(&Location::Sqlite(path.to_owned()))?;
    let version = current_version(&mut source)?;
    check_version(version, "the database")?;
    // VACUUM INTO reads one snapshot in a read transaction, so a server may keep writing; the
    // copy is compact and in rollback-journal mode (one self-contained file).
    source.execute("VACUUM INTO $1", params![path_text(partial)?])?;
    drop(source);
    let mut copy = open_read_only(partial)?;
    summarize(&mut copy, version)
}

fn summarize(conn: &mut Conn, version: i64) -> Result<CopySummary, StoreError> {
    let mut summary = CopySummary {
        schema_version: version,
        ..CopySummary::default()
    };
    for table in tables(conn)? {
        summary.tables += 1;
        let n = conn
            .query_one(&format!("SELECT COUNT(*) FROM {table}"), &[])?
            .int(0)?;
        summary.rows += n as u64;
    }
    Ok(summary)
}

fn backup_postgres(location: &Location, partial: &Path) -> Result<CopySummary, StoreError> {
    let mut source = Conn::open(location)?;
    // One snapshot for every table: rows written meanwhile are either all in or all out.
    source.execute_batch("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")?;
    let result = (|| {
        let version = current_version(&mut source)?;
        check_version(version, "the database")?;
        if version != latest_version() {
            return Err(StoreError::Invalid(format!(
                "the database is at schema version {version}; run `iep504 migrate` before a backup"
            )));
        }
        let mut target = Conn::open(&Location::Sqlite(partial.to_owned()))?;
        migrate(&mut target)?;
        let mut summary = CopySummary {
            schema_version: version,
            ..CopySummary::default()
        };
        let target_tables = tables(&mut target)?;
        let source_tables = tables(&mut source)?;
        if let Some(unknown) = source_tables.iter().find(|t| !target_tables.contains(t)) {
            return Err(StoreError::Corrupt(format!(
                "table `{unknown}` is not part of the schema this iep504 knows"
            )));
        }
        // Parents before children: SQLite then never has to scan a child table for rows
        // waiting on a parent, which made a deferred-key copy quadratic.
        let order = dependency_order(&mut target, &source_tables)?;
        target.transaction(|tx| {
            for table in &order {
                let cols = columns(tx, table)?;
                summary.rows += copy_table(&mut source, tx, table, &cols)?;
                summary.tables += 1;
            }
            Ok(())
        })?;
        target.execute_batch("PRAGMA journal_mode = DELETE")?;
        Ok(summary)
    })();
    let _ = source.execute_batch("ROLLBACK");
    result
}

fn open_read_only(path: &Path) -> Result<Conn, StoreError> {
    use rusqlite::OpenFlags;
    let conn = rusqlite::Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    Ok(Conn::Sqlite(conn))
}

/// Restores the backup `file` into the database at `location`, which must be empty (no row in
/// any table). An older backup is upgraded on a temporary copy first; the backup file itself is
/// only read.
pub fn restore(location: &Location, file: &Path) -> Result<CopySummary, StoreError> {
    if !file.is_file() {
        return Err(StoreError::NotFound(format!(
            "backup file {}",
            file.display()
        )));
    }
    let mut backup = open_read_only(file)?;
    let version = current_version(&mut backup).map_err(|e| {
        StoreError::Invalid(format!(
            "{} is not an iep504 backup (a SQLite database): {e}",
            file.display()
        ))
    })?;
    check_version(version, &format!("the backup {}", file.display()))?;
    let upgraded = if version < latest_version() {
        let copy = std::env::temp_dir().join(format!(
            "iep504-restore-{}-{}.sqlite",
            std::process::id(),
            jiff::Timestamp::now().as_millisecond()
        ));
        backup.execute("VACUUM INTO $1", params![path_text(&copy)?])?;
        let mut conn = Conn::open(&Location::Sqlite(copy.clone()))?;
        migrate(&mut conn)?;
        backup = conn;
        Some(copy)
    } else {
        None
    };
    let result = restore_from(location, &mut backup);
    drop(backup);
    if let Some(copy) = upgraded {
        remove_sqlite_files(&copy);
    }
    result
}

fn restore_from(location: &Location, backup: &mut Conn) -> Result<CopySummary, StoreError> {
    let mut target = Conn::open(location)?;
    migrate(&mut target)?;
    let backup_tables = tables(backup)?;
    let target_tables = tables(&mut target)?;
    if let Some(missing) = backup_tables.iter().find(|t| !target_tables.contains(t)) {
        return Err(StoreError::Invalid(format!(
            "the backup has a table `{missing}` that the target database does not"
        )));
    }
    let order = dependency_order(backup, &backup_tables)?;
    let mut summary = CopySummary {
        schema_version: current_version(backup)?,
        ..CopySummary::default()
    };
    target.transaction(|tx| {
        // Checked inside the writing transaction, so nothing can slip in between.
        for table in &target_tables {
            if tx
                .query_opt(&format!("SELECT 1 FROM {table} LIMIT 1"), &[])?
                .is_some()
            {
                return Err(StoreError::Conflict(format!(
                    "the target database is not empty (table `{table}` has rows); restore only into an empty database"
                )));
            }
        }
        for table in &order {
            let cols = columns(tx, table)?;
            let available = columns(backup, table)?;
            if let Some(missing) = cols.iter().find(|c| !available.contains(c)) {
                return Err(StoreError::Invalid(format!(
                    "the backup's table `{table}` lacks the column `{missing}`"
                )));
            }
            summary.rows += copy_table(backup, tx, table, &cols)?;
            summary.tables += 1;
        }
        if tx.backend() == Backend::Postgres {
            reset_identities(tx)?;
        }
        Ok(())
    })?;
    Ok(summary)
}

/// Rows were written with their ids, so each identity sequence must continue after the
/// largest restored id, or the next insert would collide.
fn reset_identities(tx: &mut Conn) -> Result<(), StoreError> {
    let identities = tx.query(
        "SELECT table_name::TEXT, column_name::TEXT FROM information_schema.columns
         WHERE table_schema = current_schema() AND is_identity = 'YES'",
        &[],
    )?;
    for row in identities {
        let (table, column) = (row.text(0)?, row.text(1)?);
        tx.query_one(
            &format!(
                "SELECT setval(pg_get_serial_sequence('{table}', '{column}'),
                               COALESCE((SELECT MAX({column}) FROM {table}), 0) + 1, false)"
            ),
            &[],
        )?;
    }
    Ok(())
}

/// Every row of every table as text, sorted: equal dumps mean equal contents, whichever backend
/// each side runs on (booleans read as 0/1 on both).
pub fn dump(conn: &mut Conn) -> Result<BTreeMap<String, Vec<Vec<String>>>, StoreError> {
    let mut out = BTreeMap::new();
    for table in tables(conn)? {
        let cols = columns(conn, &table)?;
        let select = format!("SELECT {} FROM {table}", select_list(conn, &table, &cols)?);
        let mut rows: Vec<Vec<String>> = conn
            .query(&select, &[])?
            .into_iter()
            .map(|row| {
                row.0
                    .into_iter()
                    .map(|v| match v {
                        Value::Null => "NULL".to_owned(),
                        Value::Int(i) => i.to_string(),
                        Value::Bool(b) => i64::from(b).to_string(),
                        Value::Real(r) => r.to_string(),
                        Value::Text(t) => format!("'{t}'"),
                        Value::Bytes(b) => hex::encode(b),
                    })
                    .collect()
            })
            .collect();
        rows.sort();
        out.insert(table, rows);
    }
    Ok(out)
}
