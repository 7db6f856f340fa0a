//! Nothing acknowledged is ever lost. These tests drive the built `iep504` binary: they kill the
//! real server with SIGKILL under concurrent writers and check the ledger of acknowledged writes
//! after each restart, retry with Idempotency-Keys, fill the disk, back up under load and stop
//! the server with SIGTERM mid-request. `bench/crash.sh` runs the crash harness long
//! (`IEP504_CRASH_KILLS=200`); here it runs short, seeded, and bounded in time.

#[path = "durability/harness.rs"]
mod harness;

use harness::{Fixture, Ledger, Rng, State};
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

// ---------------------------------------------------------------------------------------------
// 1. The crash harness

#[derive(Debug, Default)]
struct CrashReport {
    kills: usize,
    acked: usize,
    committed_unacked: usize,
    retried: usize,
    writing: Duration,
    acked_while_writing: usize,
}

/// Kills the server `kills` times at seeded random moments while `writers` threads POST events,
/// and checks the database cold (integrity, audit chain) and warm (the ledger) after each kill.
fn crash_run(fx: &Fixture, kills: usize, writers: usize, seed: u64) -> CrashReport {
    let ledger: Ledger = Arc::default();
    let complaints: harness::Complaints = Arc::default();
    let mut rng = Rng::new(seed);
    let mut report = CrashReport::default();
    let mut server = fx.start();
    for round in 0..kills {
        let client = fx.client(&server);
        let stop = Arc::new(AtomicBool::new(false));
        let before = harness::acked(&ledger);
        let started = Instant::now();
        let threads: Vec<_> = (0..writers)
            .map(|w| {
                let (client, students) = (client.clone(), fx.students.clone());
                let (ledger, complaints, stop) = (ledger.clone(), complaints.clone(), stop.clone());
                let writer_seed = rng.next_u64();
                std::thread::spawn(move || {
                    harness::writer(
                        client,
                        students,
                        format!("w{w}-r{round}"),
                        writer_seed,
                        100_000,
                        ledger,
                        complaints,
                        stop,
                    )
                })
            })
            .collect();
        std::thread::sleep(Duration::from_millis(rng.between(150, 900)));
        server.kill();
        report.writing += started.elapsed();
        stop.store(true, Ordering::Relaxed);
        for thread in threads {
            thread.join().expect("writer thread");
        }
        report.acked_while_writing += harness::acked(&ledger) - before;
        let complained = complaints.lock().unwrap().clone();
        assert!(complained.is_empty(), "round {round}: {complained:#?}");

        // Cold: what a crashed server left on disk.
        fx.db.assert_integrity();
        fx.db.assert_audit_intact();

        // Warm: a restarted server answers every acknowledged write, once, as sent.
        server = fx.start();
        let client = fx.client(&server);
        let committed = harness::check_ledger(&client, &fx.students, &ledger, "w");
        report.committed_unacked += committed.len();
        report.retried += harness::retry_in_flight(&client, &ledger);
        report.kills += 1;
    }
    // The retries themselves are checked: each event exactly once.
    let client = fx.client(&server);
    let committed = harness::check_ledger(&client, &fx.students, &ledger, "w");
    assert!(committed.is_empty(), "every write was acknowledged by now");
    server.terminate(Duration::from_secs(30));
    fx.db.assert_integrity();
    fx.db.assert_audit_intact();
    report.acked = harness::acked(&ledger);
    report
}

fn crash_test(fx: &Fixture) {
    let kills = harness::env_usize("IEP504_CRASH_KILLS", 5);
    let writers = harness::env_usize("IEP504_CRASH_WRITERS", 4);
    let seed = harness::env_usize("IEP504_CRASH_SEED", 504) as u64;
    let started = Instant::now();
    let report = crash_run(fx, kills, writers, seed);
    let rate = report.acked_while_writing as f64 / report.writing.as_secs_f64().max(1e-9);
    // One line for bench/crash.sh to pick up.
    println!(
        "crash-summary {}",
        json!({
            "backend": fx.db.name(),
            "kills": report.kills,
            "writers": writers,
            "seed": seed,
            "acknowledged_writes": report.acked,
            "committed_but_unacknowledged": report.committed_unacked,
            "retried_with_same_key": report.retried,
            "events_per_second_while_writing": (rate * 10.0).round() / 10.0,
            "seconds": started.elapsed().as_secs(),
        })
    );
    assert_eq!(report.kills, kills);
    assert!(report.acked > 0, "no write was acknowledged: {report:?}");
}

#[test]
fn crash_sqlite_sigkill_loses_no_acknowledged_write() {
    crash_test(&Fixture::sqlite(6));
}

#[test]
fn crash_postgres_sigkill_loses_no_acknowledged_write() {
    if let Some(fx) = Fixture::postgres(6) {
        crash_test(&fx);
    }
}

// ---------------------------------------------------------------------------------------------
// 2. Idempotency and 409

fn consent(id: &str) -> Value {
    json!({"id": id, "kind": "consent_received", "on": "2026-09-08", "for": "initial_evaluation"})
}

#[test]
fn retries_with_one_key_write_once_and_a_different_event_under_a_used_id_is_409() {
    for fx in Fixture::all(2) {
        let server = fx.start();
        let c = fx.client(&server);
        let student = fx.students[0];
        let e1 = consent("idem-1");
        for attempt in 0..3 {
            let reply = c.post_event(student, &e1, Some("key-1")).unwrap();
            assert_eq!(
                reply.status,
                201,
                "{} attempt {attempt}: {}",
                fx.db.name(),
                reply.body
            );
            assert_eq!(reply.json(), e1);
        }
        // The same event under its id without a key is a harmless replay.
        let replay = c.post_event(student, &e1, None).unwrap();
        assert_eq!(replay.status, 200, "{}", replay.body);
        assert_eq!(replay.json(), e1);
        // The key belongs to its first request.
        let other = consent("idem-2");
        let reused = c.post_event(student, &other, Some("key-1")).unwrap();
        assert_eq!(reused.status, 422, "{}", reused.body);
        assert_eq!(
            reused.header("content-type"),
            Some("application/problem+json")
        );
        // A different event under a used id: 409 with the event that holds the id.
        let different = json!({"id": "idem-1", "kind": "consent_refused", "on": "2026-09-09", "for": "initial_evaluation"});
        for key in [None, Some("key-2")] {
            let conflict = c.post_event(student, &different, key).unwrap();
            assert_eq!(conflict.status, 409, "{}: {}", fx.db.name(), conflict.body);
            assert_eq!(
                conflict.header("content-type"),
                Some("application/problem+json")
            );
            let problem = conflict.json();
            assert_eq!(problem["status"], 409);
            assert!(
                problem["detail"].as_str().unwrap().contains("idem-1"),
                "{problem}"
            );
            assert_eq!(
                problem["current"], e1,
                "the 409 names the current event: {problem}"
            );
        }
        let stored = c.events(student);
        assert_eq!(stored["idem-1"], (e1.clone(), 1));
        assert!(!stored.contains_key("idem-2"));
    }
}

#[test]
fn concurrent_retries_with_one_key_write_one_event() {
    for fx in Fixture::all(2) {
        let server = fx.start();
        let c = fx.client(&server);
        let student = fx.students[1];
        let barrier = Arc::new(std::sync::Barrier::new(12));
        let threads: Vec<_> = (0..12)
            .map(|i| {
                let (c, barrier) = (c.clone(), barrier.clone());
                std::thread::spawn(move || {
                    barrier.wait();
                    // Half with the shared key, half with the same event id and their own key.
                    let key = if i % 2 == 0 {
                        "same-key".to_owned()
                    } else {
                        format!("own-{i}")
                    };
                    c.post_event(student, &consent("race-1"), Some(&key))
                        .unwrap()
                })
            })
            .collect();
        let replies: Vec<_> = threads.into_iter().map(|t| t.join().unwrap()).collect();
        for (i, reply) in replies.iter().enumerate() {
            assert!(
                reply.status == 201 || reply.status == 200,
                "{} request {i}: {} {}",
                fx.db.name(),
                reply.status,
                reply.body
            );
            assert_eq!(reply.json(), consent("race-1"));
        }
        // Every request under the shared key answers what the first of them answered, and
        // exactly one request of all created the event.
        let shared: Vec<u16> = replies.iter().step_by(2).map(|r| r.status).collect();
        assert!(shared.iter().all(|s| *s == shared[0]), "{shared:?}");
        let created = usize::from(shared[0] == 201)
            + replies
                .iter()
                .skip(1)
                .step_by(2)
                .filter(|r| r.status == 201)
                .count();
        assert_eq!(created, 1, "{}", fx.db.name());
        assert_eq!(c.events(student)["race-1"].1, 1);
    }
}

#[test]
fn retry_after_a_kill_between_commit_and_answer_writes_once() {
    use std::io::Write as _;
    for fx in Fixture::all(2) {
        let mut server = fx.start();
        let student = fx.students[0];
        let event = consent("lost-answer");
        let body = event.to_string();
        let bearer = format!("Bearer {}", fx.token);
        let head = harness::head(
            "POST",
            &format!("/api/v1/students/{student}/events"),
            &[("Authorization", &bearer), ("Idempotency-Key", "lost-key")],
            Some(&body),
        );
        let mut stream = std::net::TcpStream::connect(server.addr).unwrap();
        stream.write_all(head.as_bytes()).unwrap();
        stream.write_all(body.as_bytes()).unwrap();
        // Wait for the commit, then kill before the client reads any answer.
        let mut conn = fx.db.conn();
        let deadline = Instant::now() + Duration::from_secs(30);
        while conn
            .query_opt(
                "SELECT 1 FROM events WHERE event_id = $1",
                store::params!["lost-answer"],
            )
            .unwrap()
            .is_none()
        {
            assert!(Instant::now() < deadline, "the write never committed");
            std::thread::sleep(Duration::from_millis(5));
        }
        drop(conn);
        server.kill();
        drop(stream);
        fx.db.assert_integrity();
        let server = fx.start();
        let c = fx.client(&server);
        let retry = c.post_event(student, &event, Some("lost-key")).unwrap();
        assert_eq!(
            retry.status, 201,
            "the retry answers the first answer: {}",
            retry.body
        );
        assert_eq!(retry.json(), event);
        assert_eq!(c.events(student)["lost-answer"], (event, 1));
    }
}

// ---------------------------------------------------------------------------------------------
// 3. Concurrent editors on one SQLite file

#[test]
fn many_concurrent_writers_and_readers_on_sqlite_never_see_an_error() {
    let fx = Fixture::sqlite(8);
    let server = fx.start();
    let client = fx.client(&server);
    let ledger: Ledger = Arc::default();
    let complaints: harness::Complaints = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let (writers, each) = (24, 12);
    let mut threads: Vec<_> = (0..writers)
        .map(|w| {
            let (client, students) = (client.clone(), fx.students.clone());
            let (ledger, complaints, stop) = (ledger.clone(), complaints.clone(), stop.clone());
            std::thread::spawn(move || {
                harness::writer(
                    client,
                    students,
                    format!("busy{w}"),
                    w,
                    each,
                    ledger,
                    complaints,
                    stop,
                )
            })
        })
        .collect();
    threads.extend((0..4).map(|r| {
        let (client, students, complaints) =
            (client.clone(), fx.students.clone(), complaints.clone());
        std::thread::spawn(move || {
            for n in 0..20 {
                let student = students[(r + n) % students.len()];
                let reply = client
                    .get(&format!("/api/v1/students/{student}/events"))
                    .unwrap();
                if reply.status != 200 {
                    complaints
                        .lock()
                        .unwrap()
                        .push(format!("GET: {} {}", reply.status, reply.body));
                }
            }
            0
        })
    }));
    for thread in threads {
        thread.join().unwrap();
    }
    let complained = complaints.lock().unwrap().clone();
    assert!(complained.is_empty(), "{complained:#?}");
    assert_eq!(harness::acked(&ledger), writers as usize * each);
    assert!(harness::check_ledger(&client, &fx.students, &ledger, "busy").is_empty());
    assert!(!server.log().contains(" 500 "), "{}", server.log());
}

// ---------------------------------------------------------------------------------------------
// 4. Disk full

/// A small tmpfs mounted for one test, unmounted when dropped.
struct SmallDisk {
    path: std::path::PathBuf,
    _tmp: tempfile::TempDir,
}

impl SmallDisk {
    /// `None` when this machine does not let us mount (not root, no mount namespace rights).
    fn mount(size: &str) -> Option<SmallDisk> {
        let tmp = tempfile::tempdir().ok()?;
        let path = tmp.path().join("disk");
        std::fs::create_dir(&path).ok()?;
        let mounted = std::process::Command::new("mount")
            .args([
                "-t",
                "tmpfs",
                "-o",
                &format!("size={size},mode=0700"),
                "tmpfs",
            ])
            .arg(&path)
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        mounted.then_some(SmallDisk { path, _tmp: tmp })
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg("-l")
            .arg(&self.path)
            .status();
    }
}

/// Writes zeros to `file` until the file system refuses; returns the bytes written.
fn fill(file: &std::path::Path) -> u64 {
    use std::io::Write as _;
    let mut out = std::fs::File::create(file).unwrap();
    let chunk = vec![0u8; 64 * 1024];
    let mut written = 0;
    loop {
        match out.write(&chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => written += n as u64,
        }
    }
    let _ = out.sync_all();
    written
}

fn loud_skip(what: &str) {
    harness::note(&format!(
        "{what} SKIPPED: cannot mount a small tmpfs here (needs root or CAP_SYS_ADMIN)"
    ));
}

#[test]
fn disk_full_answers_503_keeps_reading_and_recovers_by_itself() {
    let Some(disk) = SmallDisk::mount("16m") else {
        loud_skip("disk_full_answers_503_keeps_reading_and_recovers_by_itself");
        return;
    };
    let fx = Fixture::sqlite_in(&disk.path, 3);
    let mut server = fx.start();
    let c = fx.client(&server);
    let student = fx.students[0];
    let mut acked = Vec::new();
    let mut rng = Rng::new(7);
    let mut post = |n: usize| {
        let id = format!("full-{n}");
        let event = harness::event(&id, &mut rng);
        let reply = c
            .post_event(student, &event, Some(&format!("k-{id}")))
            .unwrap();
        (id, event, reply)
    };
    for n in 0..5 {
        let (id, event, reply) = post(n);
        assert_eq!(reply.status, 201, "{}", reply.body);
        acked.push((id, event));
    }
    let before_outage = server_access_reads(&fx, student);
    let filler = disk.path.join("filler");
    fill(&filler);

    // Writes fail with a clear 503 once the file system is full (SQLite may still reuse space
    // it holds for a few writes first, so write until it refuses, within bounds).
    let mut refused = None;
    for n in 5..5000 {
        let (id, event, reply) = post(n);
        match reply.status {
            201 => acked.push((id, event)),
            _ => {
                refused = Some(reply);
                break;
            }
        }
    }
    let refused = refused.expect("writes kept succeeding on a full disk");
    assert_eq!(refused.status, 503, "{}", refused.body);
    assert_eq!(
        refused.header("content-type"),
        Some("application/problem+json")
    );
    assert!(refused.header("retry-after").is_some());
    let problem = refused.json();
    assert!(
        problem["detail"].as_str().unwrap().contains("disk full"),
        "{problem}"
    );
    assert!(
        server.log().contains("storage unavailable"),
        "the log names the cause:\n{}",
        server.log()
    );

    // Reads keep working: their record-of-access entries are held in memory while the disk
    // is full, and the log says so.
    assert_eq!(c.get("/healthz").unwrap().status, 200);
    read_everything(&c, student, &acked, 3);
    assert!(
        server.log().contains("entries are held in memory"),
        "the log says reads are held:\n{}",
        server.log()
    );
    // What was acknowledged is on the disk, readable by anyone with the file.
    let mut conn = fx.db.conn();
    for (id, event) in &acked {
        let stored = store::events::find(&mut conn, student, id).unwrap();
        assert_eq!(serde_json::to_value(stored).unwrap(), *event, "{id}");
    }
    drop(conn);

    // Space returns: the next write succeeds without a restart, and the reads made during the
    // outage are in the record of access with the time they were made.
    std::fs::remove_file(&filler).unwrap();
    let (id, event, reply) = post(9999);
    assert_eq!(reply.status, 201, "after space returned: {}", reply.body);
    acked.push((id, event));
    // The writer retries its held entries every second.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while server_access_reads(&fx, student) < before_outage + 3
        && std::time::Instant::now() < deadline
    {
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(server_access_reads(&fx, student), before_outage + 3);
    assert!(
        server
            .log()
            .contains("entries held through the outage are written"),
        "{}",
        server.log()
    );

    assert!(server.terminate(Duration::from_secs(30)).success());
    fx.db.assert_integrity();
    fx.db.assert_audit_intact();
    let server = fx.start();
    let stored = fx.client(&server).events(student);
    for (id, event) in &acked {
        assert_eq!(stored.get(id), Some(&(event.clone(), 1)), "{id}");
    }
    drop(server);
    drop(fx);
    drop(disk);
}

/// Reads a student's events `times` times through the API and checks each answer holds
/// everything acknowledged, exactly once.
fn read_everything(c: &harness::Client, student: i64, acked: &[(String, Value)], times: usize) {
    for _ in 0..times {
        let stored = c.events(student);
        for (id, event) in acked {
            assert_eq!(stored.get(id), Some(&(event.clone(), 1)), "{id}");
        }
    }
}

/// How many reads of the student's events the record of access holds.
fn server_access_reads(fx: &Fixture, student: i64) -> usize {
    let mut conn = fx.db.conn();
    store::access_log::for_student(&mut conn, student)
        .unwrap()
        .iter()
        .filter(|e| e.action == "read_events")
        .count()
}

// ---------------------------------------------------------------------------------------------
// 4b. Read-only storage

/// An ext4 file system on a loop device, mounted with `errors=remount-ro`, so the kernel can be
/// made to remount it read-only under an open database (an ordinary `remount,ro` is refused
/// while a file is open for writing).
struct FragileDisk {
    path: std::path::PathBuf,
    device: String,
    _tmp: tempfile::TempDir,
}

impl FragileDisk {
    /// `None` when this machine has no loop devices or does not let us mount.
    fn mount() -> Option<FragileDisk> {
        let tmp = tempfile::tempdir().ok()?;
        let image = tmp.path().join("disk.img");
        std::fs::File::create(&image).ok()?.set_len(64 << 20).ok()?;
        try_tool("mkfs.ext4", &["-q", "-F", image.to_str()?])?;
        let device = try_tool("losetup", &["-f", "--show", image.to_str()?])?
            .trim()
            .to_owned();
        let path = tmp.path().join("disk");
        std::fs::create_dir(&path).ok()?;
        let disk = FragileDisk {
            path,
            device,
            _tmp: tmp,
        };
        try_tool(
            "mount",
            &["-o", "errors=remount-ro", &disk.device, disk.path.to_str()?],
        )?;
        Some(disk)
    }

    /// What a failing disk does: the kernel records a file-system error and remounts it
    /// read-only; every write from then on fails with EROFS.
    fn fail(&self) {
        let name = self.device.trim_start_matches("/dev/");
        std::fs::write(
            format!("/sys/fs/ext4/{name}/trigger_fs_error"),
            "iep504 durability test",
        )
        .expect("trigger an ext4 error");
    }

    /// The operator's repair: unmount, check, mount again.
    fn repair(&self) {
        let path = self.path.to_str().unwrap();
        tool("umount", &[path]).expect("unmount the failed file system");
        // e2fsck exits 1 when it fixed something, which is the point here.
        let checked = std::process::Command::new("e2fsck")
            .args(["-f", "-y", &self.device])
            .output()
            .unwrap();
        assert!(
            checked.status.code().is_some_and(|c| c <= 1),
            "e2fsck: {}",
            String::from_utf8_lossy(&checked.stdout)
        );
        tool("mount", &["-o", "errors=remount-ro", &self.device, path])
            .expect("mount the repaired file system");
    }
}

impl Drop for FragileDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg("-l")
            .arg(&self.path)
            .status();
        let _ = std::process::Command::new("losetup")
            .args(["-d", &self.device])
            .status();
    }
}

#[test]
fn read_only_storage_answers_503_keeps_reading_and_loses_nothing_acknowledged() {
    let Some(disk) = FragileDisk::mount() else {
        harness::note(
            "read_only_storage SKIPPED: cannot set up a loop-mounted ext4 here (needs root, losetup and mkfs.ext4)",
        );
        return;
    };
    let fx = Fixture::sqlite_in(&disk.path, 3);
    let mut server = fx.start();
    let c = fx.client(&server);
    let student = fx.students[0];
    let mut rng = Rng::new(11);
    let mut acked = Vec::new();
    for n in 0..5 {
        let id = format!("ro-{n}");
        let event = harness::event(&id, &mut rng);
        let reply = c.post_event(student, &event, Some(&id)).unwrap();
        assert_eq!(reply.status, 201, "{}", reply.body);
        acked.push((id, event));
    }

    disk.fail();
    let event = harness::event("ro-refused", &mut rng);
    let refused = c.post_event(student, &event, Some("ro-refused")).unwrap();
    assert_eq!(refused.status, 503, "{}", refused.body);
    assert!(refused.header("retry-after").is_some());
    let detail = refused.json()["detail"].as_str().unwrap().to_owned();
    println!("read-only storage: a write answered 503: {detail}");
    assert!(
        server.log().contains("storage unavailable"),
        "the log names the cause:\n{}",
        server.log()
    );
    assert_eq!(c.get("/healthz").unwrap().status, 200);
    read_everything(&c, student, &acked, 3);

    // The server stops cleanly and says what it could not keep: the reads' entries.
    assert!(server.terminate(Duration::from_secs(30)).success());
    assert!(
        server
            .log()
            .contains("entries of reads made during the outage are lost"),
        "{}",
        server.log()
    );
    drop(server);

    disk.repair();
    fx.db.assert_integrity();
    fx.db.assert_audit_intact();
    let server = fx.start();
    let stored = fx.client(&server).events(student);
    assert!(!stored.contains_key("ro-refused"));
    for (id, event) in &acked {
        assert_eq!(stored.get(id), Some(&(event.clone(), 1)), "{id}");
    }
    drop(server);
    drop(fx);
    drop(disk);
}

// ---------------------------------------------------------------------------------------------
// 5. Backups under load

#[test]
fn backup_under_load_is_consistent_and_restores() {
    for fx in Fixture::all(4) {
        let mut server = fx.start();
        let client = fx.client(&server);
        let ledger: Ledger = Arc::default();
        let complaints: harness::Complaints = Arc::default();
        let stop = Arc::new(AtomicBool::new(false));
        let threads: Vec<_> = (0..3u64)
            .map(|w| {
                let (client, students) = (client.clone(), fx.students.clone());
                let (ledger, complaints, stop) = (ledger.clone(), complaints.clone(), stop.clone());
                std::thread::spawn(move || {
                    harness::writer(
                        client,
                        students,
                        format!("b{w}"),
                        w,
                        20_000,
                        ledger,
                        complaints,
                        stop,
                    )
                })
            })
            .collect();
        let deadline = Instant::now() + Duration::from_secs(30);
        while harness::acked(&ledger) < 30 {
            assert!(Instant::now() < deadline, "writers made no progress");
            std::thread::sleep(Duration::from_millis(20));
        }
        let before: Vec<String> = ledger
            .lock()
            .unwrap()
            .iter()
            .filter(|(_, w)| w.state == State::Acked)
            .map(|(id, _)| id.clone())
            .collect();
        let file = fx.dir.join("under-load.sqlite");
        let written = fx.db.ok(&["backup", "--out", file.to_str().unwrap()]);
        let after_backup = harness::acked(&ledger);
        std::thread::sleep(Duration::from_millis(200));
        stop.store(true, Ordering::Relaxed);
        for thread in threads {
            thread.join().unwrap();
        }
        let complained = complaints.lock().unwrap().clone();
        assert!(complained.is_empty(), "{complained:#?}");
        assert!(
            harness::acked(&ledger) > after_backup,
            "writers ran after the backup too"
        );

        let restored = harness::Db::Sqlite(fx.dir.join("restored.sqlite"));
        let copied = restored.ok(&["restore", file.to_str().unwrap()]);
        assert_eq!(copied["rows"], written["rows"]);
        restored.assert_integrity();
        restored.assert_audit_intact();
        let mut conn = restored.conn();
        let events: std::collections::BTreeMap<String, (i64, Value)> = conn
            .query(
                "SELECT event_id, student_id, body FROM events WHERE event_id LIKE 'b%'",
                &[],
            )
            .unwrap()
            .iter()
            .map(|r| {
                let body = serde_json::from_str(r.text(2).unwrap()).unwrap();
                (r.string(0).unwrap(), (r.int(1).unwrap(), body))
            })
            .collect();
        for id in &before {
            assert!(
                events.contains_key(id),
                "{}: {id} acknowledged before the backup is missing",
                fx.db.name()
            );
        }
        let ledger = ledger.lock().unwrap();
        for (id, (student, body)) in &events {
            let write = &ledger[id];
            assert_eq!((write.student, &write.event), (*student, body), "{id}");
        }
        // One snapshot: each event and its idempotency key were written in one transaction,
        // so the copy has both or neither.
        let keys: std::collections::BTreeSet<String> = conn
            .query(
                "SELECT idem_key FROM idempotency_keys WHERE idem_key LIKE 'k-b%'",
                &[],
            )
            .unwrap()
            .iter()
            .map(|r| r.string(0).unwrap())
            .collect();
        let expected: std::collections::BTreeSet<String> =
            events.keys().map(|id| format!("k-{id}")).collect();
        assert_eq!(
            keys,
            expected,
            "{}: the backup is not one snapshot",
            fx.db.name()
        );
        assert!(server.terminate(Duration::from_secs(30)).success());
    }
}

// ---------------------------------------------------------------------------------------------
// 6. Graceful shutdown

#[test]
fn sigterm_finishes_in_flight_requests_and_exits_0() {
    use std::io::Write as _;
    for fx in Fixture::all(3) {
        let mut server = fx.start();
        let bearer = format!("Bearer {}", fx.token);
        // Requests the server has started reading: headers and half the body sent.
        let mut pending: Vec<_> = (0..6)
            .map(|n| {
                let student = fx.students[n % fx.students.len()];
                let event = consent(&format!("term-{n}"));
                let body = event.to_string();
                let key = format!("k-term-{n}");
                let head = harness::head(
                    "POST",
                    &format!("/api/v1/students/{student}/events"),
                    &[("Authorization", &bearer), ("Idempotency-Key", &key)],
                    Some(&body),
                );
                let mut stream = std::net::TcpStream::connect(server.addr).unwrap();
                stream
                    .set_read_timeout(Some(Duration::from_secs(60)))
                    .unwrap();
                stream.write_all(head.as_bytes()).unwrap();
                let (first, rest) = body.split_at(body.len() / 2);
                stream.write_all(first.as_bytes()).unwrap();
                (stream, student, event, rest.to_owned())
            })
            .collect();
        std::thread::sleep(Duration::from_millis(300));
        server.signal_term();
        std::thread::sleep(Duration::from_millis(300));
        for (stream, _, event, rest) in &mut pending {
            stream.write_all(rest.as_bytes()).unwrap();
            let reply = harness::read_reply(stream).unwrap();
            assert_eq!(reply.status, 201, "{}: {}", fx.db.name(), reply.body);
            assert_eq!(reply.json(), *event);
        }
        let status = server.wait(Duration::from_secs(30));
        assert!(
            status.success(),
            "{}: exit {status}\n{}",
            fx.db.name(),
            server.log()
        );
        fx.db.assert_integrity();
        fx.db.assert_audit_intact();
        let server = fx.start();
        let c = fx.client(&server);
        for (_, student, event, _) in &pending {
            let id = event["id"].as_str().unwrap();
            assert_eq!(
                c.events(*student).get(id),
                Some(&(event.clone(), 1)),
                "{id}"
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// 7. The restore drill of docs/operations.md

/// Like `tool`, but a failure means "this machine cannot", not a failed test.
fn try_tool(program: &str, args: &[&str]) -> Option<String> {
    let out = std::process::Command::new(program)
        .args(args)
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

fn tool(program: &str, args: &[&str]) -> Option<String> {
    let out = std::process::Command::new(program)
        .args(args)
        .output()
        .ok()?;
    assert!(
        out.status.success(),
        "{program} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Posts a few events so the drill has acknowledged writes to find.
fn some_events(fx: &Fixture) -> Vec<(i64, Value)> {
    let server = fx.start();
    let c = fx.client(&server);
    let mut rng = Rng::new(99);
    (0..10)
        .map(|n| {
            let student = fx.students[n % fx.students.len()];
            let event = harness::event(&format!("drill-{n}"), &mut rng);
            let reply = c
                .post_event(student, &event, Some(&format!("k-drill-{n}")))
                .unwrap();
            assert_eq!(reply.status, 201, "{}", reply.body);
            (student, event)
        })
        .collect()
}

fn assert_has(db: &harness::Db, written: &[(i64, Value)]) {
    let mut conn = db.conn();
    for (student, event) in written {
        let id = event["id"].as_str().unwrap();
        let stored = store::events::find(&mut conn, *student, id).unwrap();
        assert_eq!(serde_json::to_value(stored).unwrap(), *event, "{id}");
    }
}

#[test]
fn restore_drill_sqlite() {
    let fx = Fixture::sqlite(3);
    let written = some_events(&fx);
    let file = fx.dir.join("iep504-drill.sqlite");
    fx.db.ok(&["backup", "--out", file.to_str().unwrap()]);
    let drill = harness::Db::Sqlite(fx.dir.join("drill.sqlite"));
    drill.ok(&["restore", file.to_str().unwrap()]);
    drill.assert_audit_intact();
    let harness::Db::Sqlite(path) = &drill else {
        unreachable!()
    };
    match tool(
        "sqlite3",
        &[path.to_str().unwrap(), "PRAGMA integrity_check"],
    ) {
        Some(verdict) => assert_eq!(verdict.trim(), "ok"),
        None => drill.assert_integrity(),
    }
    assert_has(&drill, &written);
}

#[test]
fn restore_drill_postgres() {
    let Some(fx) = Fixture::postgres(3) else {
        return;
    };
    let written = some_events(&fx);
    let admin = std::env::var("IEP504_TEST_DATABASE_URL").unwrap();
    let harness::Db::Postgres(url) = &fx.db else {
        unreachable!()
    };
    let schema = url.rsplit("%3D").next().unwrap().to_owned();
    let (server_url, _) = admin.rsplit_once('/').unwrap();
    let name = |what: &str| format!("iep504_{what}_{}", std::process::id());
    let mut conn = store::Conn::open(&store::Location::Postgres(admin.clone())).unwrap();
    let databases = [name("drill"), name("pgdump")];
    for db in &databases {
        conn.execute_batch(&format!("DROP DATABASE IF EXISTS {db}"))
            .unwrap();
        conn.execute_batch(&format!("CREATE DATABASE {db}"))
            .unwrap();
    }

    // iep504 backup from PostgreSQL, restored into a new, empty database.
    let file = fx.dir.join("iep504-drill.sqlite");
    fx.db.ok(&["backup", "--out", file.to_str().unwrap()]);
    let drill = harness::Db::Postgres(format!("{server_url}/{}", databases[0]));
    drill.ok(&["restore", file.to_str().unwrap()]);
    drill.assert_audit_intact();
    assert_has(&drill, &written);

    // pg_dump / pg_restore, the operator's own tools.
    let dump = fx.dir.join("iep504-drill.dump");
    let dumped = tool(
        "pg_dump",
        &[
            "--format=custom",
            "--schema",
            &schema,
            "--file",
            dump.to_str().unwrap(),
            &admin,
        ],
    );
    if dumped.is_some() {
        let target = format!("{server_url}/{}", databases[1]);
        tool(
            "pg_restore",
            &[
                "--exit-on-error",
                "--no-owner",
                "--dbname",
                &target,
                dump.to_str().unwrap(),
            ],
        )
        .expect("pg_restore");
        let restored = harness::Db::Postgres(format!("{target}?options=-csearch_path%3D{schema}"));
        restored.assert_audit_intact();
        assert_has(&restored, &written);
    } else {
        harness::note("restore_drill_postgres: pg_dump not installed; the pg_dump half SKIPPED");
    }
    for db in &databases {
        conn.execute_batch(&format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"))
            .unwrap();
    }
}
