//! Throw-away databases for tests, on SQLite and (when configured) PostgreSQL. PostgreSQL
//! tests run when `IEP504_TEST_DATABASE_URL` names a server; each test gets its own schema.
//! When `IEP504_REQUIRE_POSTGRES=1` (set by `.ci/run`), an unreachable server fails the test
//! instead of skipping it.

use crate::db::{Conn, Location};
use crate::migrate::migrate;
use std::sync::atomic::{AtomicU64, Ordering};

#[derive(Debug)]
pub struct TestDb {
    pub location: Location,
    cleanup: Cleanup,
}

#[derive(Debug)]
enum Cleanup {
    File(std::path::PathBuf),
    Schema { admin_url: String, schema: String },
}

fn unique_name(prefix: &str) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    format!(
        "{prefix}_{}_{}_{}",
        std::process::id(),
        jiff::Timestamp::now().as_millisecond(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// Says once per test binary, past the test harness's output capture, that the PostgreSQL
/// half of the tests did not run, so a green run on a laptop is not mistaken for full coverage.
fn announce_postgres_skipped() {
    use std::io::Write;
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let _ = writeln!(
            std::io::stderr().lock(),
            "note: PostgreSQL tests SKIPPED in {} (set IEP504_TEST_DATABASE_URL=postgres://… to run them; .ci/run does)",
            std::env::current_exe().ok().and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned())).unwrap_or_default()
        );
    });
}

impl TestDb {
    /// An empty, migrated SQLite file in the temp directory.
    pub fn sqlite() -> TestDb {
        let path = std::env::temp_dir().join(format!("{}.sqlite", unique_name("iep504_test")));
        let db = TestDb {
            location: Location::Sqlite(path.clone()),
            cleanup: Cleanup::File(path),
        };
        db.migrated();
        db
    }

    /// An empty, migrated PostgreSQL schema, or `None` (with a note on stderr) when no test
    /// server is configured.
    pub fn postgres() -> Option<TestDb> {
        let Ok(admin_url) = std::env::var("IEP504_TEST_DATABASE_URL") else {
            if std::env::var("IEP504_REQUIRE_POSTGRES").is_ok_and(|v| v == "1") {
                panic!("IEP504_REQUIRE_POSTGRES=1 but IEP504_TEST_DATABASE_URL is not set");
            }
            announce_postgres_skipped();
            return None;
        };
        let schema = unique_name("t");
        let mut admin = match Conn::open(&Location::Postgres(admin_url.clone())) {
            Ok(conn) => conn,
            Err(e) => {
                panic!("PostgreSQL test server at IEP504_TEST_DATABASE_URL is unreachable: {e}")
            }
        };
        admin
            .execute_batch(&format!("CREATE SCHEMA {schema}"))
            .expect("create test schema");
        let separator = if admin_url.contains('?') { '&' } else { '?' };
        let url = format!("{admin_url}{separator}options=-csearch_path%3D{schema}");
        let db = TestDb {
            location: Location::Postgres(url),
            cleanup: Cleanup::Schema { admin_url, schema },
        };
        db.migrated();
        Some(db)
    }

    /// SQLite, plus PostgreSQL when configured: run a test body over each.
    pub fn all() -> Vec<TestDb> {
        let mut dbs = vec![TestDb::sqlite()];
        dbs.extend(TestDb::postgres());
        dbs
    }

    pub fn conn(&self) -> Conn {
        Conn::open(&self.location).expect("open test database")
    }

    fn migrated(&self) {
        migrate(&mut self.conn()).expect("migrate test database");
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::File(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let mut name = path.clone().into_os_string();
                    name.push(suffix);
                    let _ = std::fs::remove_file(name);
                }
            }
            Cleanup::Schema { admin_url, schema } => {
                if let Ok(mut admin) = Conn::open(&Location::Postgres(admin_url.clone())) {
                    let _ = admin.execute_batch(&format!("DROP SCHEMA {schema} CASCADE"));
                }
            }
        }
    }
}
