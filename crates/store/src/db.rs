//! One query codebase over two databases. Every query is written once, with `$1`-style
//! placeholders and portable SQL; `Conn` runs it on SQLite (rusqlite) or PostgreSQL (postgres),
//! converting parameters and rows through the small `Value` type.

use crate::StoreError;
use postgres::types::{IsNull, ToSql, Type, to_sql_checked};
use std::borrow::Cow;

/// A parameter or a column value, in the handful of types the schema uses.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Bool(bool),
    Bytes(Vec<u8>),
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int(v)
    }
}
impl From<f64> for Value {
    fn from(v: f64) -> Self {
        Value::Real(v)
    }
}
impl From<bool> for Value {
    fn from(v: bool) -> Self {
        Value::Bool(v)
    }
}
impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(v.to_owned())
    }
}
impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Text(v)
    }
}
impl From<&String> for Value {
    fn from(v: &String) -> Self {
        Value::Text(v.clone())
    }
}
impl From<Vec<u8>> for Value {
    fn from(v: Vec<u8>) -> Self {
        Value::Bytes(v)
    }
}
impl From<jiff::civil::Date> for Value {
    fn from(v: jiff::civil::Date) -> Self {
        Value::Text(v.to_string())
    }
}
impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::Null, Into::into)
    }
}

/// Builds a `&[Value]` parameter list: `params![id, name]`.
#[macro_export]
macro_rules! params {
    ($($value:expr),* $(,)?) => { &[$($crate::db::Value::from($value)),*][..] };
}

/// One result row.
#[derive(Debug, Clone, PartialEq)]
pub struct Row(pub Vec<Value>);

impl Row {
    fn at(&self, i: usize) -> Result<&Value, StoreError> {
        self.0
            .get(i)
            .ok_or_else(|| StoreError::Corrupt(format!("column {i} missing")))
    }

    pub fn int(&self, i: usize) -> Result<i64, StoreError> {
        match self.at(i)? {
            Value::Int(v) => Ok(*v),
            Value::Bool(b) => Ok(i64::from(*b)),
            other => Err(StoreError::Corrupt(format!(
                "column {i}: expected integer, got {other:?}"
            ))),
        }
    }

    pub fn opt_int(&self, i: usize) -> Result<Option<i64>, StoreError> {
        match self.at(i)? {
            Value::Null => Ok(None),
            _ => self.int(i).map(Some),
        }
    }

    pub fn real(&self, i: usize) -> Result<f64, StoreError> {
        match self.at(i)? {
            Value::Real(v) => Ok(*v),
            #[allow(clippy::cast_precision_loss)]
            Value::Int(v) => Ok(*v as f64),
            other => Err(StoreError::Corrupt(format!(
                "column {i}: expected number, got {other:?}"
            ))),
        }
    }

    pub fn opt_bool(&self, i: usize) -> Result<Option<bool>, StoreError> {
        match self.at(i)? {
            Value::Null => Ok(None),
            _ => self.bool(i).map(Some),
        }
    }

    pub fn bool(&self, i: usize) -> Result<bool, StoreError> {
        match self.at(i)? {
            Value::Bool(b) => Ok(*b),
            Value::Int(v) => Ok(*v != 0),
            other => Err(StoreError::Corrupt(format!(
                "column {i}: expected boolean, got {other:?}"
            ))),
        }
    }

    pub fn text(&self, i: usize) -> Result<&str, StoreError> {
        match self.at(i)? {
            Value::Text(s) => Ok(s),
            other => Err(StoreError::Corrupt(format!(
                "column {i}: expected text, got {other:?}"
            ))),
        }
    }

    pub fn string(&self, i: usize) -> Result<String, StoreError> {
        self.text(i).map(str::to_owned)
    }

    pub fn opt_string(&self, i: usize) -> Result<Option<String>, StoreError> {
        match self.at(i)? {
            Value::Null => Ok(None),
            _ => self.string(i).map(Some),
        }
    }

    pub fn bytes(&self, i: usize) -> Result<&[u8], StoreError> {
        match self.at(i)? {
            Value::Bytes(b) => Ok(b),
            other => Err(StoreError::Corrupt(format!(
                "column {i}: expected bytes, got {other:?}"
            ))),
        }
    }

    pub fn date(&self, i: usize) -> Result<jiff::civil::Date, StoreError> {
        let text = self.text(i)?;
        text.parse()
            .map_err(|_| StoreError::Corrupt(format!("column {i}: `{text}` is not a date")))
    }

    pub fn opt_date(&self, i: usize) -> Result<Option<jiff::civil::Date>, StoreError> {
        match self.at(i)? {
            Value::Null => Ok(None),
            _ => self.date(i).map(Some),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Where the database lives: a SQLite file or a PostgreSQL URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    Sqlite(std::path::PathBuf),
    Postgres(String),
}

impl Location {
    pub fn backend(&self) -> Backend {
        match self {
            Location::Sqlite(_) => Backend::Sqlite,
            Location::Postgres(_) => Backend::Postgres,
        }
    }

    /// A description safe for logs and messages (no password).
    pub fn describe(&self) -> String {
        match self {
            Location::Sqlite(path) => format!("SQLite {}", path.display()),
            Location::Postgres(url) => match url.split_once('@') {
                Some((_, host)) => format!("PostgreSQL …@{host}"),
                None => format!("PostgreSQL {url}"),
            },
        }
    }
}

pub enum Conn {
    Sqlite(rusqlite::Connection),
    Postgres(Box<postgres::Client>),
}

impl std::fmt::Debug for Conn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Conn::Sqlite(_) => "Conn::Sqlite",
            Conn::Postgres(_) => "Conn::Postgres",
        })
    }
}

/// SQLite waits this long for a competing writer before reporting "busy"; the server also
/// retries busy transactions, so a user never sees a lock as an error.
const SQLITE_BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// The page cache of a bulk import: memory is only taken as pages are touched.
const BULK_CACHE_KIB: u64 = 256 * 1024;

impl Conn {
    pub fn open(location: &Location) -> Result<Conn, StoreError> {
        match location {
            Location::Sqlite(path) => {
                let conn = rusqlite::Connection::open(path)?;
                conn.busy_timeout(SQLITE_BUSY_TIMEOUT)?;
                // WAL lets readers run beside the writer; FULL makes every commit durable
                // before it is acknowledged (a consent date must survive a power cut).
                conn.execute_batch(
                    "PRAGMA journal_mode = WAL;
                     PRAGMA synchronous = FULL;
                     PRAGMA foreign_keys = ON;",
                )?;
                conn.set_prepared_statement_cache_capacity(64);
                Ok(Conn::Sqlite(conn))
            }
            Location::Postgres(url) => {
                let client = postgres::Client::connect(url, postgres::NoTls)?;
                Ok(Conn::Postgres(Box::new(client)))
            }
        }
    }

    pub fn backend(&self) -> Backend {
        match self {
            Conn::Sqlite(_) => Backend::Sqlite,
            Conn::Postgres(_) => Backend::Postgres,
        }
    }

    /// Runs a statement; returns the number of rows it changed.
    pub fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64, StoreError> {
        match self {
            Conn::Sqlite(conn) => {
                let mut stmt = conn.prepare_cached(&sqlite_sql(sql))?;
                Ok(stmt.execute(rusqlite::params_from_iter(params.iter()))? as u64)
            }
            Conn::Postgres(client) => Ok(client.execute(sql, &pg_params(params))?),
        }
    }

    /// Runs several statements without parameters (migrations, pragmas).
    pub fn execute_batch(&mut self, sql: &str) -> Result<(), StoreError> {
        match self {
            Conn::Sqlite(conn) => Ok(conn.execute_batch(sql)?),
            Conn::Postgres(client) => Ok(client.batch_execute(sql)?),
        }
    }

    pub fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, StoreError> {
        let mut rows = Vec::new();
        self.for_each(sql, params, |row| {
            rows.push(row);
            Ok(())
        })?;
        Ok(rows)
    }

    pub fn query_opt(&mut self, sql: &str, params: &[Value]) -> Result<Option<Row>, StoreError> {
        Ok(self.query(sql, params)?.into_iter().next())
    }

    pub fn query_one(&mut self, sql: &str, params: &[Value]) -> Result<Row, StoreError> {
        self.query_opt(sql, params)?
            .ok_or_else(|| StoreError::Corrupt(format!("expected a row from: {sql}")))
    }

    /// Streams the rows of a query to `visit` without holding them all in memory.
    pub fn for_each(
        &mut self,
        sql: &str,
        params: &[Value],
        mut visit: impl FnMut(Row) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        match self {
            Conn::Sqlite(conn) => {
                let mut stmt = conn.prepare_cached(&sqlite_sql(sql))?;
                let width = stmt.column_count();
                let mut rows = stmt.query(rusqlite::params_from_iter(params.iter()))?;
                while let Some(row) = rows.next()? {
                    let mut values = Vec::with_capacity(width);
                    for i in 0..width {
                        values.push(sqlite_value(row.get_ref(i)?));
                    }
                    visit(Row(values))?;
                }
                Ok(())
            }
            Conn::Postgres(client) => {
                use postgres::fallible_iterator::FallibleIterator;
                let params = pg_params(params);
                let mut rows = client.query_raw(sql, params)?;
                while let Some(row) = rows.next()? {
                    visit(pg_row(&row)?)?;
                }
                Ok(())
            }
        }
    }

    /// Runs `work` inside one transaction: all of it is written, or none of it.
    /// SQLite takes the write lock up front (`BEGIN IMMEDIATE`) so two writers queue instead of
    /// failing half-way with a lock upgrade error.
    pub fn transaction<T>(
        &mut self,
        work: impl FnOnce(&mut Conn) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let begin = match self.backend() {
            Backend::Sqlite => "BEGIN IMMEDIATE",
            Backend::Postgres => "BEGIN",
        };
        self.execute_batch(begin)?;
        match work(self) {
            Ok(value) => {
                if let Err(err) = self.execute_batch("COMMIT") {
                    let _ = self.execute_batch("ROLLBACK");
                    return Err(err);
                }
                Ok(value)
            }
            Err(err) => {
                // The rollback's own failure would hide the real error; the connection is
                // discarded by the pool if it is broken.
                let _ = self.execute_batch("ROLLBACK");
                Err(err)
            }
        }
    }

    /// Runs `work` inside a transaction that reads one consistent snapshot and takes no write
    /// lock, so readers never queue behind writers (SQLite in WAL mode; PostgreSQL's
    /// REPEATABLE READ). Work that writes belongs in `transaction`.
    pub fn read_transaction<T>(
        &mut self,
        work: impl FnOnce(&mut Conn) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let begin = match self.backend() {
            Backend::Sqlite => "BEGIN DEFERRED",
            Backend::Postgres => "BEGIN ISOLATION LEVEL REPEATABLE READ",
        };
        self.execute_batch(begin)?;
        let result = work(self);
        // Nothing was written, so ending the snapshot either way loses nothing; a failed end
        // leaves a broken connection the pool discards.
        let end = self.execute_batch(if result.is_ok() { "COMMIT" } else { "ROLLBACK" });
        let value = result?;
        end?;
        Ok(value)
    }

    /// Readies the connection for one large transaction (an import of a whole district):
    /// SQLite gets a page cache big enough that the transaction's pages stay in memory instead
    /// of spilling and being read back, page by page, for every later insert; and, when no other
    /// connection has the database open, the rollback journal instead of the write-ahead log, in
    /// which pages new to the file are written once (the log writes every page twice: into the
    /// log, then into the database at the checkpoint). The import stays one atomic, durable
    /// transaction either way. [`Conn::end_bulk`] goes back to the write-ahead log.
    pub fn prepare_for_bulk(&mut self) -> Result<(), StoreError> {
        match self {
            Conn::Sqlite(conn) => {
                conn.execute_batch(&format!("PRAGMA cache_size = -{BULK_CACHE_KIB};"))?;
                // Leaving WAL needs the database to itself; with a server running, the pragma
                // fails at once (no busy wait) and the import keeps the log.
                conn.busy_timeout(std::time::Duration::ZERO)?;
                let _ = conn.query_row("PRAGMA journal_mode = DELETE", [], |_| Ok(()));
                conn.busy_timeout(SQLITE_BUSY_TIMEOUT)?;
                Ok(())
            }
            Conn::Postgres(_) => Ok(()),
        }
    }

    /// After [`Conn::prepare_for_bulk`]: the write-ahead log again, so readers run beside the
    /// next writer. (Every connection also asks for it when it opens.)
    pub fn end_bulk(&mut self) -> Result<(), StoreError> {
        match self {
            Conn::Sqlite(conn) => {
                Ok(conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))?)
            }
            Conn::Postgres(_) => Ok(()),
        }
    }

    /// Whether the connection still answers (for the pool and `/healthz`).
    pub fn ping(&mut self) -> Result<(), StoreError> {
        self.query("SELECT 1", &[]).map(|_| ())
    }
}

/// A statement compiled once and run for many rows (bulk imports): at a million rows, the SQL
/// rewrite and cache lookup of [`Conn::execute`] cost as much as the insert itself. Parameters
/// stay bound between runs, so a value the same for every row is bound once.
pub enum Prepared<'c> {
    Sqlite {
        statement: rusqlite::CachedStatement<'c>,
    },
    Postgres {
        client: &'c mut postgres::Client,
        statement: postgres::Statement,
        bound: Vec<Value>,
    },
}

impl Conn {
    /// `sql` compiled for repeated runs on this connection.
    pub fn prepare(&mut self, sql: &str) -> Result<Prepared<'_>, StoreError> {
        match self {
            Conn::Sqlite(conn) => {
                let statement = conn.prepare_cached(&sqlite_sql(sql))?;
                Ok(Prepared::Sqlite { statement })
            }
            Conn::Postgres(client) => {
                let statement = client.prepare(sql)?;
                let bound = vec![Value::Null; statement.params().len()];
                Ok(Prepared::Postgres {
                    client,
                    statement,
                    bound,
                })
            }
        }
    }
}

impl Prepared<'_> {
    /// Binds parameter `$index` (from 1) for the following runs.
    pub fn bind(&mut self, index: usize, value: &Value) -> Result<(), StoreError> {
        match self {
            Prepared::Sqlite { statement, .. } => Ok(statement.raw_bind_parameter(index, value)?),
            Prepared::Postgres { bound, .. } => {
                let slot = index
                    .checked_sub(1)
                    .and_then(|i| bound.get_mut(i))
                    .ok_or_else(|| StoreError::Invalid(format!("no parameter ${index}")))?;
                *slot = value.clone();
                Ok(())
            }
        }
    }

    /// Binds `values` to the parameters from `$first` on.
    pub fn bind_from(&mut self, first: usize, values: &[Value]) -> Result<(), StoreError> {
        for (i, value) in values.iter().enumerate() {
            self.bind(first + i, value)?;
        }
        Ok(())
    }

    /// Runs the statement with the parameters bound; returns the number of rows it changed.
    pub fn run(&mut self) -> Result<u64, StoreError> {
        match self {
            Prepared::Sqlite { statement, .. } => Ok(statement.raw_execute()? as u64),
            Prepared::Postgres {
                client,
                statement,
                bound,
            } => Ok(client.execute(&*statement, &pg_params(bound))?),
        }
    }

    /// Binds `params` to `$1…` and runs the statement.
    pub fn execute(&mut self, params: &[Value]) -> Result<u64, StoreError> {
        self.bind_from(1, params)?;
        self.run()
    }
}

/// rusqlite numbers `?N` parameters; our SQL uses PostgreSQL's `$N`. `$N` is also legal SQLite
/// but is bound in order of first appearance, so rewrite it to keep numbering explicit.
fn sqlite_sql(sql: &str) -> Cow<'_, str> {
    if !sql.contains('$') {
        return Cow::Borrowed(sql);
    }
    let mut out = String::with_capacity(sql.len());
    let mut in_string = false;
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\'' {
            in_string = !in_string;
        }
        if c == '$' && !in_string && chars.peek().is_some_and(char::is_ascii_digit) {
            out.push('?');
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

impl rusqlite::ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef};
        Ok(match self {
            Value::Null => ToSqlOutput::Borrowed(ValueRef::Null),
            Value::Int(v) => ToSqlOutput::Borrowed(ValueRef::Integer(*v)),
            Value::Real(v) => ToSqlOutput::Borrowed(ValueRef::Real(*v)),
            Value::Text(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
            Value::Bool(b) => ToSqlOutput::Borrowed(ValueRef::Integer(i64::from(*b))),
            Value::Bytes(b) => ToSqlOutput::Borrowed(ValueRef::Blob(b)),
        })
    }
}

fn sqlite_value(value: rusqlite::types::ValueRef<'_>) -> Value {
    use rusqlite::types::ValueRef;
    match value {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(v) => Value::Int(v),
        ValueRef::Real(v) => Value::Real(v),
        ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => Value::Bytes(b.to_vec()),
    }
}

impl ToSql for Value {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut postgres::types::private::BytesMut,
    ) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match self {
            Value::Null => Ok(IsNull::Yes),
            // Columns are BIGINT, but a parameter compared with an INTEGER expression is typed
            // int4 by PostgreSQL; narrow when the server asks for it.
            Value::Int(v) if *ty == Type::INT4 => i32::try_from(*v)?.to_sql(ty, out),
            // SQLite stores booleans as integers; copying rows between backends meets this.
            Value::Int(v) if *ty == Type::BOOL => (*v != 0).to_sql(ty, out),
            Value::Int(v) => v.to_sql(ty, out),
            Value::Real(v) => v.to_sql(ty, out),
            Value::Text(s) => s.to_sql(ty, out),
            Value::Bool(b) => b.to_sql(ty, out),
            Value::Bytes(b) => b.to_sql(ty, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

fn pg_params(params: &[Value]) -> Vec<&(dyn ToSql + Sync)> {
    params.iter().map(|p| p as &(dyn ToSql + Sync)).collect()
}

fn pg_row(row: &postgres::Row) -> Result<Row, StoreError> {
    let mut values = Vec::with_capacity(row.len());
    for (i, column) in row.columns().iter().enumerate() {
        let ty = column.type_();
        let value = if *ty == Type::INT8 {
            row.try_get::<_, Option<i64>>(i)?.map(Value::Int)
        } else if *ty == Type::INT4 {
            row.try_get::<_, Option<i32>>(i)?
                .map(|v| Value::Int(v.into()))
        } else if *ty == Type::INT2 {
            row.try_get::<_, Option<i16>>(i)?
                .map(|v| Value::Int(v.into()))
        } else if *ty == Type::BOOL {
            row.try_get::<_, Option<bool>>(i)?.map(Value::Bool)
        } else if *ty == Type::FLOAT8 {
            row.try_get::<_, Option<f64>>(i)?.map(Value::Real)
        } else if *ty == Type::FLOAT4 {
            row.try_get::<_, Option<f32>>(i)?
                .map(|v| Value::Real(v.into()))
        } else if *ty == Type::BYTEA {
            row.try_get::<_, Option<Vec<u8>>>(i)?.map(Value::Bytes)
        } else if matches!(*ty, Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME) {
            row.try_get::<_, Option<String>>(i)?.map(Value::Text)
        } else {
            return Err(StoreError::Corrupt(format!(
                "column `{}` has type {ty} that the store does not read; cast it in the query",
                column.name()
            )));
        };
        values.push(value.unwrap_or(Value::Null));
    }
    Ok(Row(values))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_renumbered_for_sqlite_outside_strings() {
        assert_eq!(sqlite_sql("SELECT $1, '$2', $10"), "SELECT ?1, '$2', ?10");
        assert_eq!(sqlite_sql("SELECT 1"), "SELECT 1");
    }
}
