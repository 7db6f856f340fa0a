//! Case records for the synthetic district: the service grid of each finalized IEP with the
//! sessions logged against it (some missed → compensatory debt, some made up), its goals with
//! weekly data (flat, on track or steep), and RTI interventions with probes matching the RTI
//! events.

use super::plans::StudentPlans;
use crate::StoreError;
use crate::bulk::{BulkInsert, reserve_ids};
use crate::db::{Conn, Value};
use domain::Date;
use domain::calendar::CalendarSpec;
use domain::event::{Event, EventKind};
use domain::plan_content::ServiceLine;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// One student's part of the records: their timeline and case manager.
pub(crate) struct StudentRecords<'a> {
    pub index: u64,
    pub student_id: i64,
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

/// A session log row, written after its service.
type SessionRow = [Value; 9];

/// The sessions logged against one service line from its start to the day before the anchor.
/// A related service meets twice a week (half the weekly minutes each, Tuesday and Thursday):
/// most sessions delivered, some missed by the provider (half of those made up on the next
/// week's Friday, since a make-up repays only weeks that have ended) or by the student.
/// Specialized instruction is logged once a week, on the week's last school day, for the
/// week's minutes, and is now and then short by a provider's absence.
#[allow(clippy::too_many_arguments)]
fn log_sessions(
    rows: &mut Vec<SessionRow>,
    rng: &mut ChaCha8Rng,
    calendar: &CalendarSpec,
    anchor: Date,
    ids: (i64, i64, i64),
    line: &ServiceLine,
    logged_by: Option<i64>,
    created_at: &str,
) {
    let (district_id, student_id, service_id) = ids;
    let (Some(start), Some(end)) = (line.start, line.end) else {
        return;
    };
    let last = end.min(add_days(anchor, -1));
    let mut push = |on: Date, minutes: u32, status: &str, note: &str| {
        rows.push([
            Value::Int(district_id),
            Value::Int(student_id),
            Value::Int(service_id),
            Value::from(on),
            Value::Int(i64::from(minutes)),
            Value::from(status),
            Value::from(note),
            logged_by.map_or(Value::Null, Value::Int),
            Value::from(created_at),
        ]);
    };
    let in_service = |on: Date| on >= start && on <= last && calendar.is_school_day(on);
    let weekly = u32::try_from(line.minutes).unwrap_or(0);
    let mut monday = monday_before(start, 0);
    while monday <= last {
        if line.category == "related_service" {
            for offset in [1, 3] {
                let on = add_days(monday, offset);
                if !in_service(on) {
                    continue;
                }
                let roll: f64 = rng.random();
                let status = match roll {
                    r if r < 0.82 => "delivered",
                    r if r < 0.90 => "provider_absent",
                    _ => "student_absent",
                };
                push(on, weekly / 2, status, "");
                let friday = add_days(monday, 11);
                if status == "provider_absent" && rng.random_bool(0.5) && in_service(friday) {
                    push(
                        friday,
                        weekly / 2,
                        "make_up",
                        "Make-up for a missed session",
                    );
                }
            }
        } else if let Some(on) = (0..5)
            .rev()
            .map(|d| add_days(monday, d))
            .find(|&d| in_service(d))
        {
            let roll: f64 = rng.random();
            if roll < 0.06 {
                push(
                    on,
                    weekly / 3,
                    "provider_absent",
                    "Teacher out; no substitute",
                );
                push(on, weekly - weekly / 3, "delivered", "");
            } else {
                push(on, weekly, "delivered", "");
            }
        }
        monday = add_days(monday, 7);
    }
}

/// Writes the case records of every finalized IEP in `plans`: its service grid as `services`
/// with the sessions logged against each line, its goals as `goals` with weekly progress data,
/// and fills their ids into the IEP's content, as finalizing an IEP does. Then the
/// compensatory-debt summary of those students, as of the anchor. Then the RTI interventions
/// of every student.
#[allow(clippy::too_many_arguments)]
pub(crate) fn write(
    tx: &mut Conn,
    district_id: i64,
    calendar: &CalendarSpec,
    anchor: Date,
    seed: u64,
    students: &[StudentRecords<'_>],
    plans: &mut [StudentPlans],
    created_at: &str,
) -> Result<(), StoreError> {
    let lines: usize = plans
        .iter()
        .filter_map(|p| p.iep.as_ref())
        .map(|iep| iep.services.len())
        .sum();
    let mut service_ids = reserve_ids(tx, "services", "id", lines)?.into_iter();
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
            "created_by",
        ],
    );
    // Child rows wait until their parents are written: a full buffer writes itself, and
    // foreign keys are checked row by row.
    let mut session_rows: Vec<SessionRow> = Vec::new();
    let mut served = Vec::new();
    for p in plans.iter_mut() {
        let (student_id, provider, case_manager) = (p.student_id, p.provider, p.case_manager);
        let Some(iep) = p.iep.as_mut() else {
            continue;
        };
        let mut rng = records_rng(seed, p.index);
        for line in &mut iep.services {
            let id = service_ids
                .next()
                .ok_or_else(|| StoreError::Corrupt("too few reserved service ids".into()))?;
            line.service_id = Some(id);
            services.push(
                tx,
                [
                    Value::Int(id),
                    Value::Int(district_id),
                    Value::Int(student_id),
                    Value::from(line.service.trim()),
                    Value::from(line.provider_role.trim()),
                    Value::Int(line.minutes),
                    Value::from(line.per.as_str()),
                    Value::from(line.setting.trim()),
                    Value::from(line.start),
                    Value::from(line.end),
                    Value::from(created_at),
                    case_manager.map_or(Value::Null, Value::Int),
                ],
            )?;
            let logger = if line.category == "related_service" {
                provider
            } else {
                case_manager
            };
            log_sessions(
                &mut session_rows,
                &mut rng,
                calendar,
                anchor,
                (district_id, student_id, id),
                line,
                logger,
                created_at,
            );
        }
        if !iep.services.is_empty() {
            served.push(student_id);
        }
    }
    services.flush(tx)?;
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
    for row in session_rows {
        sessions.push(tx, row)?;
    }
    sessions.flush(tx)?;
    served.sort_unstable();
    crate::services::refresh_debts_of(tx, &served, anchor)?;

    write_goals(tx, district_id, anchor, seed, plans, created_at)?;
    write_interventions(tx, district_id, anchor, students, created_at)
}

/// Each IEP goal as the goal record finalizing writes (baseline on the meeting day unless the
/// goal says otherwise), with weekly data for the last `WEEKS` weeks: a third of the students
/// stall (change the intervention), a third race ahead (raise the goal), a third follow the aim
/// line.
fn write_goals(
    tx: &mut Conn,
    district_id: i64,
    anchor: Date,
    seed: u64,
    plans: &mut [StudentPlans],
    created_at: &str,
) -> Result<(), StoreError> {
    let count: usize = plans
        .iter()
        .filter_map(|p| p.iep.as_ref())
        .map(|iep| iep.goals.len())
        .sum();
    let mut goal_ids = reserve_ids(tx, "goals", "id", count)?.into_iter();
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
    let mut point_rows: Vec<[Value; 8]> = Vec::new();
    let recent = monday_before(anchor, WEEKS);
    for p in plans.iter_mut() {
        let (student_id, by) = (p.student_id, p.case_manager);
        let Some(iep) = p.iep.as_mut() else {
            continue;
        };
        let mut rng = records_rng(seed.wrapping_add(1), p.index);
        let meeting_on = iep.meeting.on;
        for goal in &mut iep.goals {
            let id = goal_ids
                .next()
                .ok_or_else(|| StoreError::Corrupt("too few reserved goal ids".into()))?;
            goal.goal_id = Some(id);
            let baseline_on = goal.baseline_on.or(meeting_on);
            goals.push(
                tx,
                [
                    Value::Int(id),
                    Value::Int(district_id),
                    Value::Int(student_id),
                    Value::from(goal.description.trim()),
                    Value::from(goal.measure.trim()),
                    Value::from(baseline_on),
                    goal.baseline.map_or(Value::Null, Value::Real),
                    Value::from(goal.by),
                    goal.target.map_or(Value::Null, Value::Real),
                    Value::from(goal.direction.as_str()),
                    Value::from(goal.criterion.trim()),
                    Value::from(created_at),
                    by.map_or(Value::Null, Value::Int),
                ],
            )?;
            let (Some(from), Some(to), Some(baseline), Some(target)) =
                (baseline_on, goal.by, goal.baseline, goal.target)
            else {
                continue;
            };
            let pace = match rng.random_range(0..3u8) {
                0 => 0.1,
                1 => 2.2,
                _ => 1.0,
            };
            let span = from.until(to).map_or(1, |s| s.get_days()).max(1);
            let step = (target - baseline).abs() / 12.0;
            let mut on = add_days(from.max(recent), 2);
            while on < anchor && on <= to {
                let elapsed = from.until(on).map_or(0, |s| s.get_days());
                let noise = f64::from(rng.random_range(0u32..5)) - 2.0;
                let aim = (target - baseline) * f64::from(elapsed) / f64::from(span);
                let value = baseline + pace * aim + noise * step * pace.min(1.0) / 2.0;
                point_rows.push([
                    Value::Int(district_id),
                    Value::Int(student_id),
                    Value::Int(id),
                    Value::from(on),
                    Value::Real(value.round().max(0.0)),
                    Value::from(""),
                    by.map_or(Value::Null, Value::Int),
                    Value::from(created_at),
                ]);
                on = add_days(on, 7);
            }
        }
    }
    goals.flush(tx)?;
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
    for row in point_rows {
        points.push(tx, row)?;
    }
    points.flush(tx)
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
