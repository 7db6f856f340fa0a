//! What the durability tests share: the real `iep504 serve` as a child process that can be
//! killed, a minimal HTTP/1.1 client over loopback, a seeded random generator, prepared
//! databases (SQLite file or a fresh PostgreSQL schema) with an API token, and the ledger of
//! acknowledged writes that every crash is checked against.

#![allow(dead_code)]

use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use store::{Conn, Location};

/// The binary under test; `IEP504_BIN` points the long benchmark at a release build.
pub fn bin() -> PathBuf {
    std::env::var_os("IEP504_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_iep504")))
}

pub fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// SplitMix64: small, seeded, good enough to pick kill moments and students.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    pub fn between(&mut self, low: u64, high: u64) -> u64 {
        low + self.below(high - low + 1)
    }
}

// ---------------------------------------------------------------------------------------------
// Databases

/// Where a test's database lives, as the binary's global options say it.
#[derive(Debug, Clone)]
pub enum Db {
    Sqlite(PathBuf),
    Postgres(String),
}

pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Db {
    pub fn location(&self) -> Location {
        match self {
            Db::Sqlite(path) => Location::Sqlite(path.clone()),
            Db::Postgres(url) => Location::Postgres(url.clone()),
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            Db::Sqlite(_) => "SQLite",
            Db::Postgres(_) => "PostgreSQL",
        }
    }

    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(bin());
        cmd.env_remove("DATABASE_URL").env_remove("IEP504_DB");
        match self {
            Db::Sqlite(path) => cmd.arg("--db").arg(path),
            Db::Postgres(url) => cmd.arg("--database-url").arg(url),
        };
        cmd.args(args);
        cmd
    }

    pub fn run(&self, args: &[&str], stdin: &str) -> Output {
        let mut child = self
            .command(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start iep504");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(stdin.as_bytes())
            .expect("write stdin");
        let out = child.wait_with_output().expect("wait for iep504");
        Output {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    pub fn ok(&self, args: &[&str]) -> Value {
        let out = self.run(args, "");
        assert_eq!(out.code, 0, "iep504 {args:?}: {}", out.stderr);
        serde_json::from_str(&out.stdout)
            .unwrap_or_else(|e| panic!("iep504 {args:?}: stdout is not JSON ({e}): {}", out.stdout))
    }

    pub fn conn(&self) -> Conn {
        Conn::open(&self.location()).expect("open the database")
    }

    /// `PRAGMA integrity_check` on SQLite (PostgreSQL has no equivalent; its WAL replay is
    /// the server's business).
    pub fn assert_integrity(&self) {
        if let Db::Sqlite(_) = self {
            let rows = self
                .conn()
                .query("PRAGMA integrity_check", &[])
                .expect("integrity_check");
            let verdict: Vec<String> = rows.iter().map(|r| r.string(0).unwrap()).collect();
            assert_eq!(verdict, ["ok"], "integrity_check");
        }
    }

    /// `iep504 audit verify` exits 0 and says the chain is intact.
    pub fn assert_audit_intact(&self) -> u64 {
        let verdict = self.ok(&["audit", "verify"]);
        assert_eq!(verdict["status"], "intact", "{verdict}");
        verdict["entries"].as_u64().unwrap_or(0)
    }
}

/// A prepared database: a small synthetic district, a district administrator with an API
/// token, and the students the writers use. Dropping it removes the files or the schema.
pub struct Fixture {
    pub db: Db,
    pub token: String,
    pub students: Vec<i64>,
    pub dir: PathBuf,
    _tmp: tempfile::TempDir,
    _pg: Option<store::testing::TestDb>,
}

pub const PASSWORD: &str = "a long enough passphrase for the crash tests";

impl Fixture {
    pub fn sqlite(students: usize) -> Fixture {
        let tmp = tempfile::tempdir().expect("temp dir");
        let db = Db::Sqlite(tmp.path().join("crash.sqlite"));
        Fixture::prepare(db, tmp, None, students)
    }

    /// A SQLite database in `dir` (a small file system, for the disk-full test).
    pub fn sqlite_in(dir: &Path, students: usize) -> Fixture {
        let tmp = tempfile::tempdir().expect("temp dir");
        let db = Db::Sqlite(dir.join("crash.sqlite"));
        Fixture::prepare(db, tmp, None, students)
    }

    /// A fresh PostgreSQL schema, or `None` when no test server is configured (the store's
    /// `TestDb` prints the loud "SKIPPED" note, or fails under `IEP504_REQUIRE_POSTGRES=1`).
    pub fn postgres(students: usize) -> Option<Fixture> {
        let pg = store::testing::TestDb::postgres()?;
        let Location::Postgres(url) = &pg.location else {
            unreachable!("TestDb::postgres is PostgreSQL")
        };
        let db = Db::Postgres(url.clone());
        let tmp = tempfile::tempdir().expect("temp dir");
        Some(Fixture::prepare(db, tmp, Some(pg), students))
    }

    /// SQLite, plus PostgreSQL when configured.
    pub fn all(students: usize) -> Vec<Fixture> {
        let mut all = vec![Fixture::sqlite(students)];
        all.extend(Fixture::postgres(students));
        all
    }

    fn prepare(
        db: Db,
        tmp: tempfile::TempDir,
        pg: Option<store::testing::TestDb>,
        students: usize,
    ) -> Fixture {
        let count = students.to_string();
        db.ok(&[
            "gen",
            "--students",
            &count,
            "--seed",
            "11",
            "--anchor",
            "2026-11-02",
        ]);
        let added = db.run(
            &[
                "user",
                "add",
                "--username",
                "crashtest",
                "--role",
                "district_admin",
                "--name",
                "Crash Test",
                "--password-stdin",
            ],
            &format!("{PASSWORD}\n"),
        );
        assert_eq!(added.code, 0, "user add: {}", added.stderr);
        let token = db.ok(&["token", "create", "--username", "crashtest"])["token"]
            .as_str()
            .expect("token")
            .to_owned();
        let mut conn = db.conn();
        let ids = conn
            .query("SELECT id FROM students ORDER BY id", &[])
            .expect("students")
            .iter()
            .map(|r| r.int(0).unwrap())
            .take(students)
            .collect();
        drop(conn);
        Fixture {
            db,
            token,
            students: ids,
            dir: tmp.path().to_owned(),
            _tmp: tmp,
            _pg: pg,
        }
    }

    pub fn log_path(&self) -> PathBuf {
        self.dir.join("server.log")
    }

    pub fn start(&self) -> Server {
        Server::start(&self.db, &self.log_path())
    }

    pub fn client(&self, server: &Server) -> Client {
        Client {
            addr: server.addr,
            token: self.token.clone(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The server

pub struct Server {
    child: Option<Child>,
    pub addr: SocketAddr,
    log: PathBuf,
}

fn free_addr() -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    listener.local_addr().expect("local addr")
}

pub fn read_log(log: &Path) -> String {
    std::fs::read_to_string(log).unwrap_or_default()
}

impl Server {
    /// Starts `iep504 serve` on a free loopback port and waits for `/healthz` to answer 200.
    /// Another test may take the port between our probe and the server's bind; then the
    /// server exits at once and we try another port.
    pub fn start(db: &Db, log: &Path) -> Server {
        for _ in 0..5 {
            let addr = free_addr();
            let log_file = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(log)
                .expect("server log");
            let child = db
                .command(&["serve", "--addr", &addr.to_string()])
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(log_file)
                .spawn()
                .expect("start iep504 serve");
            let mut server = Server {
                child: Some(child),
                addr,
                log: log.to_owned(),
            };
            let deadline = Instant::now() + Duration::from_secs(60);
            while Instant::now() < deadline {
                if let Some(status) = server.child.as_mut().and_then(|c| c.try_wait().ok()?) {
                    server.child = None;
                    let text = read_log(log);
                    if text.contains("cannot listen") {
                        break;
                    }
                    panic!("iep504 serve exited with {status} before answering:\n{text}");
                }
                if let Ok(reply) = request(addr, "GET", "/healthz", &[], None)
                    && reply.status == 200
                {
                    return server;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            if server.child.is_some() {
                panic!(
                    "iep504 serve did not answer /healthz within 60 s:\n{}",
                    read_log(log)
                );
            }
        }
        panic!("no free port for iep504 serve after 5 tries");
    }

    pub fn pid(&self) -> u32 {
        self.child.as_ref().expect("running server").id()
    }

    /// SIGKILL: no chance to flush, finish or clean up anything.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// SIGTERM, then wait (at most `limit`) for the process to exit on its own.
    pub fn terminate(&mut self, limit: Duration) -> ExitStatus {
        self.signal_term();
        self.wait(limit)
    }

    /// Sends SIGTERM and returns at once.
    pub fn signal_term(&self) {
        let pid = self.pid().to_string();
        let sent = Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .expect("run kill");
        assert!(sent.success(), "kill -TERM {pid}");
    }

    pub fn log(&self) -> String {
        read_log(&self.log)
    }

    pub fn wait(&mut self, limit: Duration) -> ExitStatus {
        let deadline = Instant::now() + limit;
        let child = self.child.as_mut().expect("running server");
        loop {
            if let Some(status) = child.try_wait().expect("wait") {
                self.child = None;
                return status;
            }
            if Instant::now() > deadline {
                self.kill();
                panic!(
                    "iep504 serve did not exit within {limit:?}:\n{}",
                    read_log(&self.log)
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

// ---------------------------------------------------------------------------------------------
// HTTP

#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    /// The header block, lower-cased.
    pub headers: String,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("{} body is not JSON ({e}): {}", self.status, self.body))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.lines().find_map(|line| {
            let (n, v) = line.split_once(':')?;
            (n.trim() == name).then_some(v.trim())
        })
    }
}

/// Sends one request on a fresh connection (`Connection: close`) and reads the whole answer.
/// Any I/O failure (refused, reset, timed out) is an `Err`: the answer was not received.
pub fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> std::io::Result<Reply> {
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(5))?;
    stream.set_read_timeout(Some(Duration::from_secs(60)))?;
    stream.set_write_timeout(Some(Duration::from_secs(60)))?;
    stream.write_all(head(method, path, headers, body).as_bytes())?;
    if let Some(body) = body {
        stream.write_all(body.as_bytes())?;
    }
    read_reply(&mut stream)
}

/// The request line and headers (ending in the blank line).
pub fn head(method: &str, path: &str, headers: &[(&str, &str)], body: Option<&str>) -> String {
    let mut text = format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
    for (name, value) in headers {
        text.push_str(&format!("{name}: {value}\r\n"));
    }
    if let Some(body) = body {
        text.push_str(&format!(
            "Content-Type: application/json\r\nContent-Length: {}\r\n",
            body.len()
        ));
    }
    text.push_str("\r\n");
    text
}

pub fn read_reply(stream: &mut TcpStream) -> std::io::Result<Reply> {
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    let text = String::from_utf8_lossy(&raw).into_owned();
    let bad = |what: &str| std::io::Error::other(format!("{what}: {text:?}"));
    let (head, body) = text
        .split_once("\r\n\r\n")
        .ok_or_else(|| bad("incomplete answer"))?;
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| bad("no status"))?;
    let headers = head.to_ascii_lowercase();
    let body = if headers.contains("transfer-encoding: chunked") {
        dechunk(body).ok_or_else(|| bad("bad chunked body"))?
    } else {
        body.to_owned()
    };
    if let Some(length) = headers
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse::<usize>().ok())
        && body.len() != length
    {
        return Err(bad("truncated body"));
    }
    Ok(Reply {
        status,
        headers,
        body,
    })
}

fn dechunk(mut rest: &str) -> Option<String> {
    let mut out = String::new();
    loop {
        let (size, after) = rest.split_once("\r\n")?;
        let size = usize::from_str_radix(size.trim(), 16).ok()?;
        if size == 0 {
            return Some(out);
        }
        out.push_str(after.get(..size)?);
        rest = after.get(size + 2..)?;
    }
}

/// A caller of the JSON API with the fixture's bearer token.
#[derive(Debug, Clone)]
pub struct Client {
    pub addr: SocketAddr,
    pub token: String,
}

impl Client {
    fn bearer(&self) -> String {
        format!("Bearer {}", self.token)
    }

    pub fn get(&self, path: &str) -> std::io::Result<Reply> {
        request(
            self.addr,
            "GET",
            path,
            &[("Authorization", &self.bearer())],
            None,
        )
    }

    pub fn post_event(
        &self,
        student: i64,
        event: &Value,
        key: Option<&str>,
    ) -> std::io::Result<Reply> {
        let bearer = self.bearer();
        let mut headers = vec![("Authorization", bearer.as_str())];
        if let Some(key) = key {
            headers.push(("Idempotency-Key", key));
        }
        request(
            self.addr,
            "POST",
            &format!("/api/v1/students/{student}/events"),
            &headers,
            Some(&event.to_string()),
        )
    }

    /// A student's events by id, with how often each id appears.
    pub fn events(&self, student: i64) -> BTreeMap<String, (Value, usize)> {
        let reply = self
            .get(&format!("/api/v1/students/{student}/events"))
            .expect("GET events");
        assert_eq!(reply.status, 200, "GET events: {}", reply.body);
        let mut by_id: BTreeMap<String, (Value, usize)> = BTreeMap::new();
        for event in reply.json()["events"].as_array().expect("events array") {
            let id = event["id"]
                .as_str()
                .expect("every event has an id")
                .to_owned();
            assert!(
                event["kind"].is_string() && event["on"].is_string(),
                "{event}"
            );
            by_id
                .entry(id)
                .and_modify(|(_, n)| *n += 1)
                .or_insert((event.clone(), 1));
        }
        by_id
    }
}

// ---------------------------------------------------------------------------------------------
// Events and the ledger of acknowledged writes

/// A case event with a client-set id, of one of several kinds, on a date picked by `rng`.
pub fn event(id: &str, rng: &mut Rng) -> Value {
    let day = 1 + rng.below(28);
    let month = 9 + rng.below(4);
    let on = format!("2026-{month:02}-{day:02}");
    match rng.below(5) {
        0 => json!({"id": id, "kind": "records_requested", "on": on}),
        1 => {
            json!({"id": id, "kind": "evaluation_requested", "on": on, "by": "parent", "written": true})
        }
        2 => json!({"id": id, "kind": "consent_received", "on": on, "for": "initial_evaluation"}),
        3 => {
            json!({"id": id, "kind": "procedural_safeguards_provided", "on": on, "reason": "request"})
        }
        _ => json!({"id": id, "kind": "records_provided", "on": on}),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Sent, no answer (yet): the server may or may not have committed it.
    InFlight,
    /// The server answered 201: it must survive anything.
    Acked,
}

#[derive(Debug, Clone)]
pub struct Attempt {
    pub student: i64,
    pub event: Value,
    pub key: String,
    pub state: State,
}

/// Every write the writers attempted, by event id.
pub type Ledger = Arc<Mutex<BTreeMap<String, Attempt>>>;

/// What a writer saw that it should not have.
pub type Complaints = Arc<Mutex<Vec<String>>>;

/// Runs one writer until the server stops answering, `stop` is set, or `limit` writes.
/// Each event gets a fresh id and an `Idempotency-Key`; an answer other than 201 is a complaint.
#[allow(clippy::too_many_arguments)]
pub fn writer(
    client: Client,
    students: Vec<i64>,
    prefix: String,
    seed: u64,
    limit: usize,
    ledger: Ledger,
    complaints: Complaints,
    stop: Arc<AtomicBool>,
) -> usize {
    let mut rng = Rng::new(seed);
    let mut acked = 0;
    for n in 0..limit {
        if stop.load(Ordering::Relaxed) {
            break;
        }
        let id = format!("{prefix}-{n}");
        let student = students[usize::try_from(rng.below(students.len() as u64)).unwrap()];
        let event = event(&id, &mut rng);
        let key = format!("k-{id}");
        ledger.lock().unwrap().insert(
            id.clone(),
            Attempt {
                student,
                event: event.clone(),
                key: key.clone(),
                state: State::InFlight,
            },
        );
        match client.post_event(student, &event, Some(&key)) {
            Ok(reply) if reply.status == 201 => {
                let answered: Value = serde_json::from_str(&reply.body).unwrap_or(Value::Null);
                if answered != event {
                    complaints
                        .lock()
                        .unwrap()
                        .push(format!("{id}: answered {answered}, sent {event}"));
                }
                ledger.lock().unwrap().get_mut(&id).unwrap().state = State::Acked;
                acked += 1;
            }
            Ok(reply) => {
                complaints
                    .lock()
                    .unwrap()
                    .push(format!("{id}: {} {}", reply.status, reply.body));
                break;
            }
            // The server is gone (killed or stopping): this write stays in flight.
            Err(_) => break,
        }
    }
    acked
}

/// Checks a running server's answers against the ledger: every acknowledged event exactly
/// once and as sent; every other event with a ledger prefix was in flight and is whole.
/// Returns the ids of in-flight writes that were committed.
pub fn check_ledger(
    client: &Client,
    students: &[i64],
    ledger: &Ledger,
    prefix: &str,
) -> Vec<String> {
    let ledger = ledger.lock().unwrap();
    let mut committed_in_flight = Vec::new();
    for &student in students {
        let stored = client.events(student);
        for (id, (body, count)) in &stored {
            assert_eq!(
                *count, 1,
                "event {id} of student {student} appears {count} times"
            );
            if !id.starts_with(prefix) {
                continue;
            }
            let write = ledger
                .get(id)
                .unwrap_or_else(|| panic!("event {id} is stored but was never sent"));
            assert_eq!(write.student, student, "event {id} is on the wrong student");
            assert_eq!(
                *body, write.event,
                "event {id} is stored differently than sent"
            );
            if write.state == State::InFlight {
                committed_in_flight.push(id.clone());
            }
        }
        for (id, write) in ledger.iter().filter(|(_, w)| w.student == student) {
            if write.state == State::Acked {
                assert!(
                    stored.contains_key(id),
                    "acknowledged event {id} of student {student} is missing"
                );
            }
        }
    }
    committed_in_flight
}

/// Retries every in-flight write with its own Idempotency-Key. Committed or not, the answer
/// must be 201 with the event: a committed write answers its stored first answer (the key was
/// saved in the same transaction), an uncommitted one is written now.
pub fn retry_in_flight(client: &Client, ledger: &Ledger) -> usize {
    let pending: Vec<(String, Attempt)> = ledger
        .lock()
        .unwrap()
        .iter()
        .filter(|(_, w)| w.state == State::InFlight)
        .map(|(id, w)| (id.clone(), w.clone()))
        .collect();
    for (id, write) in &pending {
        let reply = client
            .post_event(write.student, &write.event, Some(&write.key))
            .expect("retry POST");
        assert_eq!(reply.status, 201, "retry of {id}: {}", reply.body);
        assert_eq!(reply.json(), write.event, "retry of {id}");
        ledger.lock().unwrap().get_mut(id).unwrap().state = State::Acked;
    }
    pending.len()
}

pub fn acked(ledger: &Ledger) -> usize {
    ledger
        .lock()
        .unwrap()
        .values()
        .filter(|w| w.state == State::Acked)
        .count()
}

/// A note past the test harness's output capture, for what did not run.
pub fn note(text: &str) {
    let _ = writeln!(std::io::stderr().lock(), "note: {text}");
}
