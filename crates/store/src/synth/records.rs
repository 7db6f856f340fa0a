//! Case records for the synthetic district: a speech-therapy service with weekly session logs
//! (some missed → compensatory debt, some made up), a reading goal with weekly data (flat,
//! on track or steep), and RTI interventions with probes matching the RTI events.

use super::bulk::{BulkInsert, reserve_ids};
use crate::StoreError;
use crate::db::{Conn, Value};
use domain::Date;
use domain::calendar::CalendarSpec;
use domain::event::{Event, EventKind};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// One student's part: whether they get services and goals, and their timeline.
pub(crate) struct StudentRecords<'a> {
    pub index: u64,
    pub student_id: i64,
    pub provider: Option<i64>,
    pub case_manager: Option<i64>,
    pub events: &'a [Event],
}

/// Weeks of history the demo's services and goals have before the anchor.
const WEEKS: i64 = 12;

fn add_days(d: Date, n: i64) -> Date {
    d.saturating_add(jiff::Span::new().days(n))
}

fn monday_before(anchor: Date, weeks: i64) -> Date {
    let back = i64::from(anchor.weekday().to_monday_zero_offset()) + 7 * weeks;
    add_days(anchor, -back)
}

/// A separate random stream per student, so adding records leaves the rest of the district
/// exactly as before for a seed.
fn records_rng(seed: u64, index: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x7265_636f_7264_7321);
    rng.set_stream(index);
    rng
}

pub(crate) fn write(
    tx: &mut Conn,
    district_id: i64,
    calendar: &CalendarSpec,
    anchor: Date,
    seed: u64,
    students: &[StudentRecords<'_>],
    created_at: &str,
) -> Result<(), StoreError> {
    let served: Vec<&StudentRecords<'_>> =
        students.iter().filter(|s| s.provider.is_some()).collect();
    let service_ids = reserve_ids(tx, "services", "id", served.len())?;
    let mut services = BulkInsert::new(
        "services",
        &[
            "id",
            "district_id",
            "student_id",
            "name",
            "provider_role",
            "minutes",
            "per",
            "setting",
            "start_date",
            "end_date",
            "created_at",
        ],
    );
    let mut sessions = BulkInsert::new(
        "service_sessions",
        &[
            "district_id",
            "student_id",
            "service_id",
            "on_date",
            "minutes",
            "status",
            "note",
            "logged_by",
            "logged_at",
        ],
    );
    // Child rows wait until their parents are written: a full buffer writes itself, and
    // foreign keys are checked row by row.
    let mut session_rows: Vec<[Value; 9]> = Vec::new();
    let start = monday_before(anchor, WEEKS);
    for (s, &service_id) in served.iter().zip(&service_ids) {
        let mut rng = records_rng(seed, s.index);
        services.push(
            tx,
            [
                Value::Int(service_id),
                Value::Int(district_id),
                Value::Int(s.student_id),
                Value::from("Speech-language therapy"),
                Value::from("speech_language_pathologist"),
                Value::Int(60),
                Value::from("week"),
                Value::from("Speech room (pull-out)"),
                Value::from(start),
                Value::from(add_days(anchor, 180)),
                Value::from(created_at),
            ],
        )?;
        // Two 30-minute sessions a week, Tuesday and Thursday.
        for week in 0..WEEKS {
            for offset in [1, 3] {
                let on = add_days(start, week * 7 + offset);
                if on >= anchor || !calendar.is_school_day(on) {
                    continue;
                }
                let roll: f64 = rng.random();
                let status = match roll {
                    r if r < 0.82 => "delivered",
                    r if r < 0.90 => "provider_absent",
                    _ => "student_absent",
                };
                let mut push = |on: Date, status: &str, note: &str| {
                    session_rows.push([
                        Value::Int(district_id),
                        Value::Int(s.student_id),
                        Value::Int(service_id),
                        Value::from(on),
                        Value::Int(30),
                        Value::from(status),
                        Value::from(note),
                        s.provider.map_or(Value::Null, Value::Int),
                        Value::from(created_at),
                    ]);
                };
                push(on, status, "");
                // Half of the provider's misses are made up on the next week's Friday (a
                // make-up repays only weeks that have ended).
                let friday = add_days(on, 11 - offset);
                if status == "provider_absent"
                    && rng.random_bool(0.5)
                    && friday < anchor
                    && calendar.is_school_day(friday)
                {
                    push(friday, "make_up", "Make-up for a missed session");
                }
            }
        }
    }
    services.flush(tx)?;
    for row in session_rows {
        sessions.push(tx, row)?;
    }
    sessions.flush(tx)?;

    let with_goals: Vec<&StudentRecords<'_>> = students
        .iter()
        .filter(|s| s.case_manager.is_some())
        .collect();
    let goal_ids = reserve_ids(tx, "goals", "id", with_goals.len())?;
    let mut goals = BulkInsert::new(
        "goals",
        &[
            "id",
            "district_id",
            "student_id",
            "description",
            "measure",
            "baseline_on",
            "baseline_value",
            "target_on",
            "target_value",
            "direction",
            "criterion",
            "created_at",
            "created_by",
        ],
    );
    let mut points = BulkInsert::new(
        "goal_points",
        &[
            "district_id",
            "student_id",
            "goal_id",
            "on_date",
            "value",
            "note",
            "recorded_by",
            "recorded_at",
        ],
    );
    let mut point_rows: Vec<[Value; 8]> = Vec::new();
    for (s, &goal_id) in with_goals.iter().zip(&goal_ids) {
        let mut rng = records_rng(seed.wrapping_add(1), s.index);
        let baseline = f64::from(rng.random_range(20u32..60));
        let target_weeks = 36.0;
        let gain = 30.0;
        goals.push(
            tx,
            [
                Value::Int(goal_id),
                Value::Int(district_id),
                Value::Int(s.student_id),
                Value::from("Given a grade-level passage, will read aloud with accuracy"),
                Value::from("Words correct per minute"),
                Value::from(start),
                Value::Real(baseline),
                Value::from(add_days(start, 7 * 36)),
                Value::Real(baseline + gain),
                Value::from("increase"),
                Value::from("Median of three weekly probes"),
                Value::from(created_at),
                s.case_manager.map_or(Value::Null, Value::Int),
            ],
        )?;
        // A third stall (change the intervention), a third race ahead (raise the goal).
        let pace = match rng.random_range(0..3u8) {
            0 => 0.1,
            1 => 2.2,
            _ => 1.0,
        };
        for week in 1..WEEKS {
            let on = add_days(start, week * 7 + 2);
            if on >= anchor {
                break;
            }
            let noise = f64::from(rng.random_range(0u32..5)) - 2.0;
            let value = baseline + pace * gain / target_weeks * week as f64 + noise * pace.min(1.0);
            point_rows.push([
                Value::Int(district_id),
                Value::Int(s.student_id),
                Value::Int(goal_id),
                Value::from(on),
                Value::Real(value.round()),
                Value::from(""),
                s.case_manager.map_or(Value::Null, Value::Int),
                Value::from(created_at),
            ]);
        }
    }
    goals.flush(tx)?;
    for row in point_rows {
        points.push(tx, row)?;
    }
    points.flush(tx)?;
    write_interventions(tx, district_id, anchor, students, created_at)
}

/// One intervention per `rti_started`, ended by the next `rti_ended` of its tier.
fn write_interventions(
    tx: &mut Conn,
    district_id: i64,
    anchor: Date,
    students: &[StudentRecords<'_>],
    created_at: &str,
) -> Result<(), StoreError> {
    let mut planned = Vec::new();
    for s in students {
        for (i, event) in s.events.iter().enumerate() {
            let EventKind::RtiStarted { tier } = event.kind else {
                continue;
            };
            let end = s.events[i + 1..].iter().find_map(|e| match e.kind {
                EventKind::RtiEnded { tier: t } if t == tier && e.on >= event.on => Some(e.on),
                _ => None,
            });
            planned.push((s.student_id, tier, event.on, end));
        }
    }
    let ids = reserve_ids(tx, "interventions", "id", planned.len())?;
    let mut rows = BulkInsert::new(
        "interventions",
        &[
            "id",
            "district_id",
            "student_id",
            "tier",
            "program",
            "frequency",
            "minutes",
            "group_size",
            "owner",
            "start_date",
            "end_date",
            "created_at",
        ],
    );
    let mut probes = BulkInsert::new(
        "probes",
        &[
            "district_id",
            "student_id",
            "intervention_id",
            "on_date",
            "score",
            "recorded_at",
        ],
    );
    let mut probe_rows: Vec<[Value; 6]> = Vec::new();
    for (&(student_id, tier, start, end), &id) in planned.iter().zip(&ids) {
        let (program, group) = if tier == 3 {
            ("Intensive reading intervention", 2)
        } else {
            ("Small-group phonics", 4)
        };
        rows.push(
            tx,
            [
                Value::Int(id),
                Value::Int(district_id),
                Value::Int(student_id),
                Value::Int(i64::from(tier)),
                Value::from(program),
                Value::from("4 times a week"),
                Value::Int(30),
                Value::Int(group),
                Value::from("Reading interventionist"),
                Value::from(start),
                Value::from(end),
                Value::from(created_at),
            ],
        )?;
        let last = end.unwrap_or(anchor);
        for week in 1..=10i64 {
            let on = add_days(start, week * 7);
            if on >= last {
                break;
            }
            probe_rows.push([
                Value::Int(district_id),
                Value::Int(student_id),
                Value::Int(id),
                Value::from(on),
                Value::Real(20.0 + week as f64),
                Value::from(created_at),
            ]);
        }
    }
    rows.flush(tx)?;
    for row in probe_rows {
        probes.push(tx, row)?;
    }
    probes.flush(tx)
}
