//! Measures the obligation sweep against a bare read of the same events, and the refresh of one
//! student after an event. Run on a generated database:
//!
//! `cargo run --release -p store --example sweep_bench -- iep504.sqlite [as-of]`
//! (or a `postgres://…` URL). Prints one JSON object; see docs/BENCHMARKS.md.

use std::time::Instant;
use store::{Conn, Location, projection};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let target = args
        .next()
        .ok_or("usage: sweep_bench DB-FILE|postgres://… [AS-OF]")?;
    let as_of: domain::Date = args.next().unwrap_or_else(|| "2026-11-24".into()).parse()?;
    let location = if target.starts_with("postgres") {
        Location::Postgres(target)
    } else {
        Location::Sqlite(target.into())
    };

    store::migrate::migrate(&mut Conn::open(&location)?)?;

    // 1. A bare read: every student's events streamed and parsed, nothing computed or written.
    let mut conn = Conn::open(&location)?;
    let started = Instant::now();
    let (mut students, mut events) = (0u64, 0u64);
    projection::for_each_case(&mut conn, |_, _, case| {
        students += 1;
        events += case.events.len() as u64;
        Ok(())
    })?;
    let read_seconds = started.elapsed().as_secs_f64();

    // 2. The sweep: read, run the engine, rewrite the projection.
    let started = Instant::now();
    let summary = projection::sweep(&location, as_of, &|_| {})?;
    let sweep_seconds = started.elapsed().as_secs_f64();

    // 3. Refreshing one student, as after an event: inside a transaction (engine + projection
    //    rewrite) and with the durable commit included.
    let ids: Vec<i64> = conn
        // Students with a case (events), as after a real event; most students have none.
        .query(
            "SELECT DISTINCT student_id FROM events ORDER BY student_id LIMIT 2000",
            &[],
        )?
        .iter()
        .map(|r| r.int(0))
        .collect::<Result<_, _>>()?;
    let mut in_tx = Vec::with_capacity(ids.len());
    let mut with_commit = Vec::with_capacity(ids.len());
    for (i, id) in ids.iter().enumerate() {
        let started = Instant::now();
        let mut inner = 0.0;
        conn.transaction(|tx| {
            let t = Instant::now();
            projection::refresh_student(tx, *id, as_of)?;
            inner = t.elapsed().as_secs_f64();
            Ok(())
        })?;
        if i >= 100 {
            // The first hundred warm the caches.
            in_tx.push(inner);
            with_commit.push(started.elapsed().as_secs_f64());
        }
    }
    let median_ms = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v.get(v.len() / 2).copied().unwrap_or(0.0) * 1000.0
    };

    let report = serde_json::json!({
        "database": location.describe(),
        "students": students,
        "events": events,
        "obligations": summary.obligations,
        "bare_read_seconds": read_seconds,
        "sweep_seconds": sweep_seconds,
        "sweep_students_per_second": students as f64 / sweep_seconds,
        "sweep_to_bare_read_ratio": sweep_seconds / read_seconds,
        "refresh_median_ms_in_transaction": median_ms(&mut in_tx),
        "refresh_median_ms_with_commit": median_ms(&mut with_commit),
        "refresh_samples": in_tx.len(),
    });
    println!("{}", serde_json::to_string_pretty(&report)?);
    Ok(())
}
