//! Multi-row INSERTs for bulk writes: rows are buffered and written a few hundred at a time
//! through one cached statement, which is several times faster than a statement per row on
//! both SQLite and PostgreSQL (fewer round trips and statement executions). The generator
//! writes through it, backup and restore copy tables through it, and the Ed-Fi import reserves
//! its students' ids with it.

use crate::db::{Backend, Conn, Prepared, Value};
use crate::{StoreError, params};

/// Parameters per statement stay below SQLite's 32,766 and PostgreSQL's 65,535.
const MAX_PARAMS: usize = 30_000;
const MAX_ROWS: usize = 256;

#[derive(Debug)]
pub(crate) struct BulkInsert {
    table: String,
    columns: Vec<String>,
    width: usize,
    rows_per_statement: usize,
    full_sql: String,
    buffer: Vec<Value>,
    pub(crate) written: u64,
}

/// An INSERT of `rows` rows of `columns`, followed by `tail` (a conflict clause, or nothing),
/// with `placeholder` before each parameter number (`$` for `Conn::execute`; a statement
/// prepared once for SQLite may be written with its own `?` so it is not rewritten each time).
fn insert_sql(table: &str, columns: &[&str], rows: usize, placeholder: char, tail: &str) -> String {
    let width = columns.len();
    let mut sql = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
    for r in 0..rows {
        if r > 0 {
            sql.push(',');
        }
        sql.push('(');
        for c in 0..width {
            if c > 0 {
                sql.push(',');
            }
            sql.push(placeholder);
            sql.push_str(&(r * width + c + 1).to_string());
        }
        sql.push(')');
    }
    sql.push_str(tail);
    sql
}

/// Rows written this many to a statement by [`RowsInsert`]: one statement run per row costs more
/// than its row at a million rows (SQLite and PostgreSQL alike).
pub(crate) const ROWS_PER_STATEMENT: usize = 64;

/// An INSERT whose rows are bound from borrowed values, [`ROWS_PER_STATEMENT`] to a statement
/// (a shorter run's rows go one at a time), for writers that keep ownership of their values.
#[derive(Debug)]
pub(crate) struct RowsInsert {
    one: String,
    full: String,
    width: usize,
}

impl RowsInsert {
    /// An INSERT into `table` of `columns`, each row followed by `tail` (a conflict clause).
    pub(crate) fn new(backend: Backend, table: &str, columns: &[&str], tail: &str) -> RowsInsert {
        let placeholder = match backend {
            Backend::Sqlite => '?',
            Backend::Postgres => '$',
        };
        RowsInsert {
            one: insert_sql(table, columns, 1, placeholder, tail),
            full: insert_sql(table, columns, ROWS_PER_STATEMENT, placeholder, tail),
            width: columns.len(),
        }
    }

    /// Writes `rows`; `bind(statement, first, row)` binds one row's values from parameter
    /// `first` on.
    pub(crate) fn write<T>(
        &self,
        tx: &mut Conn,
        rows: &[T],
        mut bind: impl FnMut(&mut Prepared<'_>, usize, &T) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        for chunk in rows.chunks(ROWS_PER_STATEMENT) {
            let (sql, per_statement) = if chunk.len() == ROWS_PER_STATEMENT {
                (&self.full, chunk.len())
            } else {
                (&self.one, 1)
            };
            let mut statement = tx.prepare(sql)?;
            for statement_rows in chunk.chunks(per_statement) {
                for (i, row) in statement_rows.iter().enumerate() {
                    bind(&mut statement, i * self.width + 1, row)?;
                }
                statement.run()?;
            }
        }
        Ok(())
    }
}

impl BulkInsert {
    pub(crate) fn new(table: &str, columns: &[impl AsRef<str>]) -> Self {
        let columns: Vec<&str> = columns.iter().map(AsRef::as_ref).collect();
        let rows_per_statement = (MAX_PARAMS / columns.len().max(1)).clamp(1, MAX_ROWS);
        BulkInsert {
            table: table.to_owned(),
            width: columns.len(),
            rows_per_statement,
            full_sql: insert_sql(table, &columns, rows_per_statement, '$', ""),
            columns: columns.iter().map(|c| (*c).to_owned()).collect(),
            buffer: Vec::with_capacity(rows_per_statement * columns.len()),
            written: 0,
        }
    }

    pub(crate) fn push(
        &mut self,
        conn: &mut Conn,
        row: impl IntoIterator<Item = Value>,
    ) -> Result<(), StoreError> {
        let before = self.buffer.len();
        self.buffer.extend(row);
        if self.buffer.len() - before != self.width {
            return Err(StoreError::Invalid(format!(
                "{}: a row has {} values for {} columns",
                self.table,
                self.buffer.len() - before,
                self.width
            )));
        }
        if self.buffer.len() == self.rows_per_statement * self.width {
            conn.execute(&self.full_sql, &self.buffer)?;
            self.written += self.rows_per_statement as u64;
            self.buffer.clear();
        }
        Ok(())
    }

    /// Writes the buffered rows; call before the transaction commits.
    pub(crate) fn flush(&mut self, conn: &mut Conn) -> Result<(), StoreError> {
        let rows = self.buffer.len() / self.width;
        if rows > 0 {
            let columns: Vec<&str> = self.columns.iter().map(String::as_str).collect();
            conn.execute(
                &insert_sql(&self.table, &columns, rows, '$', ""),
                &self.buffer,
            )?;
            self.written += rows as u64;
            self.buffer.clear();
        }
        Ok(())
    }
}

/// Reserves `n` consecutive-or-not fresh ids of `table` (whose key column is `key`), so rows
/// that reference each other can be written in bulk without reading ids back. Must run inside
/// the writing transaction: on SQLite that transaction holds the only write lock; on
/// PostgreSQL the ids come from the identity sequence and are never handed out twice.
pub(crate) fn reserve_ids(
    tx: &mut Conn,
    table: &str,
    key: &str,
    n: usize,
) -> Result<Vec<i64>, StoreError> {
    if n == 0 {
        return Ok(Vec::new());
    }
    match tx.backend() {
        Backend::Sqlite => {
            let max = tx
                .query_one(
                    &format!("SELECT CAST(COALESCE(MAX({key}), 0) AS BIGINT) FROM {table}"),
                    &[],
                )?
                .int(0)?;
            Ok((1..=n as i64).map(|i| max + i).collect())
        }
        Backend::Postgres => tx
            .query(
                &format!(
                    "SELECT nextval(pg_get_serial_sequence('{table}', '{key}'))
                     FROM generate_series(1, $1)"
                ),
                params![n as i64],
            )?
            .iter()
            .map(|row| row.int(0))
            .collect(),
    }
}
