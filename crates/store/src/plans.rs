//! IEPs and 504 plans as versioned documents. Each row of `plans` is one version of a
//! student's IEP or 504 plan: a draft, shared with the family, finalized (never changed again:
//! the database's triggers refuse it), then superseded by an amendment or ended. Every saved
//! revision of a version's content is kept in `plan_edits`, so a save from a stale copy is
//! refused with what the other person changed. Finalizing an IEP writes its service grid and
//! goals into `services` and `goals` (the ledger and progress monitoring follow the plan in
//! effect) and hands its accommodations to each of the student's teachers, who acknowledge
//! them; reminders to those who have not are recorded with their time.

use crate::db::{Conn, Row};
use crate::{StoreError, now, params};
use domain::Date;
use domain::event::Event;
use domain::people::Relation;
use domain::plan::{PlanKind, PlanStatus};
use domain::plan_content::{IepContent, Plan504Content, Problem, StudentAges, changed_sections};
use serde::Serialize;
use serde_json::{Value, json};

/// The kinds this module stores (the others belong to evaluations and RTI).
pub const KINDS: [PlanKind; 2] = [PlanKind::Iep, PlanKind::Plan504];

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanRecord {
    pub id: i64,
    pub student_id: i64,
    #[serde(skip)]
    pub district_id: i64,
    pub kind: PlanKind,
    pub version: i64,
    pub status: PlanStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change_summary: Option<String>,
    pub revision: i64,
    pub created_at: String,
    pub updated_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub finalized_at: Option<String>,
    pub content: Value,
}

/// A save refused because the version moved on since the editor's copy.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stale {
    pub current: PlanRecord,
    /// The sections another person saved since the editor's revision.
    pub changed_sections: Vec<String>,
    /// Who saved the latest revision.
    pub changed_by: Option<String>,
    pub your_revision: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Saved {
    Saved(PlanRecord),
    Stale(Box<Stale>),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comment {
    pub id: i64,
    pub author: String,
    pub role: String,
    pub body: String,
    pub at: String,
}

/// One teacher's acknowledgement of a finalized plan's accommodations.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Delivery {
    pub id: i64,
    pub teacher_id: i64,
    pub teacher: String,
    pub assigned_at: String,
    pub acknowledged_at: Option<String>,
    pub reminders: i64,
    pub last_reminded_at: Option<String>,
}

/// A plan whose accommodations a teacher has still to acknowledge.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pending {
    pub plan_id: i64,
    pub student_id: i64,
    pub student_name: String,
    pub kind: PlanKind,
    pub version: i64,
    pub assigned_at: String,
    pub reminders: i64,
}

const COLUMNS: &str = "id, student_id, district_id, kind, version, status, change_summary,
    revision, created_at, updated_at, finalized_at, content";

fn from_row(row: &Row) -> Result<PlanRecord, StoreError> {
    let kind = row.text(3)?;
    let status = row.text(5)?;
    Ok(PlanRecord {
        id: row.int(0)?,
        student_id: row.int(1)?,
        district_id: row.int(2)?,
        kind: PlanKind::parse(kind)
            .ok_or_else(|| StoreError::Corrupt(format!("plan kind `{kind}`")))?,
        version: row.int(4)?,
        status: PlanStatus::parse(status)
            .ok_or_else(|| StoreError::Corrupt(format!("plan status `{status}`")))?,
        change_summary: row.opt_string(6)?,
        revision: row.int(7)?,
        created_at: row.string(8)?,
        updated_at: row.string(9)?,
        finalized_at: row.opt_string(10)?,
        content: serde_json::from_str(row.text(11)?)
            .map_err(|e| StoreError::Corrupt(format!("plan content: {e}")))?,
    })
}

fn invalid(e: serde_json::Error) -> StoreError {
    StoreError::Invalid(format!("plan content: {e}"))
}

/// Checks content against the kind's shape (unknown fields and wrong types are refused, naming
/// the field) and returns it in its canonical form.
pub fn normalize(kind: PlanKind, content: &Value) -> Result<Value, StoreError> {
    fn parse<T: serde::de::DeserializeOwned>(content: &Value) -> Result<T, StoreError> {
        serde_path_to_error::deserialize(content.clone()).map_err(|e| {
            let path = e.path().to_string();
            StoreError::Invalid(format!("`content.{path}`: {}", e.into_inner()))
        })
    }
    match kind {
        PlanKind::Iep => serde_json::to_value(parse::<IepContent>(content)?),
        PlanKind::Plan504 => serde_json::to_value(parse::<Plan504Content>(content)?),
        other => {
            return Err(StoreError::Invalid(format!(
                "`kind` must be iep or plan504, not {other}"
            )));
        }
    }
    .map_err(invalid)
}

/// The student's ages the checks need: birth date and the state profile's transition age and
/// age of majority (the US profile for a jurisdiction without one).
pub fn student_ages(conn: &mut Conn, student_id: i64) -> Result<StudentAges, StoreError> {
    let student = crate::students::get_student(conn, student_id)?;
    let profile = law::profile(&student.jurisdiction).or_else(|_| law::profile("US"));
    let (transition_age, majority_age) = profile.as_ref().map_or((16, 18), |p| {
        (p.transition_age.years, p.age_of_majority.years)
    });
    Ok(StudentAges {
        birth_date: student.birth_date,
        kindergarten: student
            .grade
            .as_deref()
            .is_some_and(domain::codes::is_kindergarten),
        transition_age,
        majority_age,
    })
}

/// What a version still lacks before it can be finalized.
pub fn problems(plan: &PlanRecord, ages: &StudentAges) -> Result<Vec<Problem>, StoreError> {
    Ok(match plan.kind {
        PlanKind::Iep => iep(plan)?.problems(ages),
        _ => plan504(plan)?.problems(),
    })
}

pub fn iep(plan: &PlanRecord) -> Result<IepContent, StoreError> {
    serde_json::from_value(plan.content.clone())
        .map_err(|e| StoreError::Corrupt(format!("IEP content: {e}")))
}

pub fn plan504(plan: &PlanRecord) -> Result<Plan504Content, StoreError> {
    serde_json::from_value(plan.content.clone())
        .map_err(|e| StoreError::Corrupt(format!("504 plan content: {e}")))
}

fn record_edit(tx: &mut Conn, plan: &PlanRecord, edited_by: Option<i64>) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO plan_edits (district_id, student_id, plan_id, revision, content, edited_by, edited_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        params![
            plan.district_id,
            plan.student_id,
            plan.id,
            plan.revision,
            plan.content.to_string(),
            edited_by,
            now()
        ],
    )?;
    Ok(())
}

/// The version being written (draft or shared) of a kind, if any: only one at a time.
pub fn open_version(
    conn: &mut Conn,
    student_id: i64,
    kind: PlanKind,
) -> Result<Option<PlanRecord>, StoreError> {
    conn.query_opt(
        &format!(
            "SELECT {COLUMNS} FROM plans WHERE student_id = $1 AND kind = $2
               AND status IN ('draft', 'shared') ORDER BY version DESC"
        ),
        params![student_id, kind.as_str()],
    )?
    .as_ref()
    .map(from_row)
    .transpose()
}

fn insert_version(
    tx: &mut Conn,
    district_id: i64,
    student_id: i64,
    kind: PlanKind,
    content: &Value,
    change_summary: Option<&str>,
    created_by: Option<i64>,
) -> Result<PlanRecord, StoreError> {
    if !KINDS.contains(&kind) {
        return Err(StoreError::Invalid(format!(
            "`kind` must be iep or plan504, not {kind}"
        )));
    }
    crate::students::lock_for_update(tx, student_id)?;
    if let Some(open) = open_version(tx, student_id, kind)? {
        return Err(StoreError::Conflict(format!(
            "version {} of this {} is still being written ({}); finish or edit it instead",
            open.version, kind, open.status
        )));
    }
    let content = normalize(kind, content)?;
    let version = tx
        .query_one(
            "SELECT COALESCE(MAX(version), 0) + 1 FROM plans WHERE student_id = $1 AND kind = $2",
            params![student_id, kind.as_str()],
        )?
        .int(0)?;
    let at = now();
    let id = tx
        .query_one(
            "INSERT INTO plans (district_id, student_id, kind, version, status, content,
                                change_summary, created_by, created_at, updated_at)
             VALUES ($1, $2, $3, $4, 'draft', $5, $6, $7, $8, $8) RETURNING id",
            params![
                district_id,
                student_id,
                kind.as_str(),
                version,
                content.to_string(),
                change_summary,
                created_by,
                at
            ],
        )?
        .int(0)?;
    let plan = get(tx, student_id, id)?;
    record_edit(tx, &plan, created_by)?;
    Ok(plan)
}

/// Starts a new draft (version 1, or the next version after an ended plan).
pub fn create(
    tx: &mut Conn,
    district_id: i64,
    student_id: i64,
    kind: PlanKind,
    content: &Value,
    created_by: Option<i64>,
) -> Result<PlanRecord, StoreError> {
    insert_version(tx, district_id, student_id, kind, content, None, created_by)
}

/// One version of one student's plan; another student's is "not found".
pub fn get(conn: &mut Conn, student_id: i64, id: i64) -> Result<PlanRecord, StoreError> {
    let row = conn
        .query_opt(
            &format!(
                "SELECT {COLUMNS} FROM plans WHERE id = $1 AND student_id = $2 AND kind IN ('iep', 'plan504')"
            ),
            params![id, student_id],
        )?
        .ok_or_else(|| StoreError::NotFound(format!("plan {id}")))?;
    from_row(&row)
}

/// Every IEP and 504 version of a student, newest first within each kind.
pub fn list(conn: &mut Conn, student_id: i64) -> Result<Vec<PlanRecord>, StoreError> {
    conn.query(
        &format!(
            "SELECT {COLUMNS} FROM plans WHERE student_id = $1 AND kind IN ('iep', 'plan504')
             ORDER BY kind, version DESC"
        ),
        params![student_id],
    )?
    .iter()
    .map(from_row)
    .collect()
}

/// The plan a printout shows: the latest finalized version, else the latest draft.
pub fn current(
    conn: &mut Conn,
    student_id: i64,
    kind: PlanKind,
) -> Result<Option<PlanRecord>, StoreError> {
    let versions: Vec<PlanRecord> = list(conn, student_id)?
        .into_iter()
        .filter(|p| p.kind == kind)
        .collect();
    Ok(versions
        .iter()
        .find(|p| p.status == PlanStatus::Finalized)
        .or_else(|| versions.iter().find(|p| p.status.editable()))
        .or_else(|| versions.first())
        .cloned())
}

/// Replaces the content of an editable version if it is still at `expected_revision`; a stale
/// save is answered with the current version and the sections changed since.
pub fn save(
    tx: &mut Conn,
    student_id: i64,
    id: i64,
    expected_revision: i64,
    content: &Value,
    edited_by: Option<i64>,
) -> Result<Saved, StoreError> {
    let plan = get(tx, student_id, id)?;
    if !plan.status.editable() {
        return Err(StoreError::Conflict(format!(
            "version {} is {} and never changes; amend it with a new version",
            plan.version, plan.status
        )));
    }
    let content = normalize(plan.kind, content)?;
    let changed = tx.execute(
        "UPDATE plans SET content = $1, revision = revision + 1, updated_at = $2
         WHERE id = $3 AND student_id = $4 AND revision = $5 AND status IN ('draft', 'shared')",
        params![
            content.to_string(),
            now(),
            id,
            student_id,
            expected_revision
        ],
    )?;
    let current = get(tx, student_id, id)?;
    if changed == 0 {
        let base = tx
            .query_opt(
                "SELECT content FROM plan_edits WHERE plan_id = $1 AND revision = $2",
                params![id, expected_revision],
            )?
            .map(|row| serde_json::from_str::<Value>(row.text(0)?).map_err(invalid))
            .transpose()?;
        let changed_sections = match base {
            Some(base) => changed_sections(&base, &current.content),
            None => Vec::new(),
        };
        let changed_by = tx
            .query_opt(
                "SELECT u.display_name FROM plan_edits e JOIN users u ON u.id = e.edited_by
                 WHERE e.plan_id = $1 AND e.revision = $2",
                params![id, current.revision],
            )?
            .map(|row| row.string(0))
            .transpose()?;
        return Ok(Saved::Stale(Box::new(Stale {
            current,
            changed_sections,
            changed_by,
            your_revision: expected_revision,
        })));
    }
    record_edit(tx, &current, edited_by)?;
    Ok(Saved::Saved(current))
}

/// What a finalized version changed: the case event to record on the timeline (the meeting
/// the law engine counts) and the teachers who now have accommodations to acknowledge.
#[derive(Debug, Clone, PartialEq)]
pub struct Finalized {
    pub plan: PlanRecord,
    pub event: Option<Event>,
    pub superseded: Option<i64>,
    pub teachers: usize,
}

/// Moves a version along its lifecycle (compare-and-set on its revision). Finalizing checks
/// that nothing is missing, writes the IEP's services and goals into the case records,
/// supersedes the previous finalized version and hands the accommodations to the teachers;
/// the caller records `event` on the timeline in the same transaction.
pub fn transition(
    tx: &mut Conn,
    student_id: i64,
    id: i64,
    expected_revision: i64,
    to: PlanStatus,
    by: Option<i64>,
    today: Date,
) -> Result<Finalized, StoreError> {
    let plan = get(tx, student_id, id)?;
    if plan.revision != expected_revision {
        return Err(StoreError::Conflict(format!(
            "version {} was changed by someone else (it is at revision {}, not {expected_revision}); reload it first",
            plan.version, plan.revision
        )));
    }
    plan.status
        .transition(to)
        .map_err(|e| StoreError::Conflict(e.to_string()))?;
    if to == PlanStatus::Superseded {
        return Err(StoreError::Invalid(
            "a version is superseded by finalizing its amendment, not directly".into(),
        ));
    }
    let mut event = None;
    let mut superseded = None;
    let mut teachers = 0;
    let mut content = plan.content.clone();
    if to == PlanStatus::Finalized {
        let ages = student_ages(tx, student_id)?;
        let problems = problems(&plan, &ages)?;
        if !problems.is_empty() {
            let codes: Vec<String> = problems
                .iter()
                .map(|p| match p.item {
                    Some(i) => format!("{} {} ({})", p.code, i + 1, p.citation),
                    None => format!("{} ({})", p.code, p.citation),
                })
                .collect();
            return Err(StoreError::Invalid(format!(
                "this plan cannot be finalized yet: {}",
                codes.join("; ")
            )));
        }
        let meeting_on = plan.content["meeting"]["on"]
            .as_str()
            .and_then(|d| d.parse::<Date>().ok());
        if meeting_on.is_some_and(|on| on > today) {
            // The meeting becomes a case event the deadlines count from: it must have happened.
            return Err(StoreError::Invalid(format!(
                "`meeting.on`: the meeting of {} has not happened yet; finalize after it",
                meeting_on.map(|d| d.to_string()).unwrap_or_default()
            )));
        }
        let previous = list(tx, student_id)?
            .into_iter()
            .find(|p| p.kind == plan.kind && p.status == PlanStatus::Finalized);
        if plan.kind == PlanKind::Iep {
            let previous_iep = previous.as_ref().map(iep).transpose()?;
            content = materialize(tx, &plan, previous_iep.as_ref(), by, today)?;
        }
        event = Some(meeting_event(&plan, &content)?);
        if let Some(previous) = &previous {
            tx.execute(
                "UPDATE plans SET status = 'superseded', revision = revision + 1, updated_at = $1
                 WHERE id = $2",
                params![now(), previous.id],
            )?;
            superseded = Some(previous.id);
        }
    }
    let at = now();
    let reported = match (to, plan.kind) {
        (PlanStatus::Finalized, PlanKind::Iep) => reported_environment(&content),
        _ => (None, None),
    };
    let finalized_at = (to == PlanStatus::Finalized).then(|| at.clone());
    let finalized_by = finalized_at.as_ref().and(by);
    tx.execute(
        "UPDATE plans SET content = $1, status = $2, revision = revision + 1, updated_at = $3,
                finalized_at = COALESCE($4, finalized_at),
                finalized_by = COALESCE($5, finalized_by),
                environment = COALESCE($6, environment),
                starts_on = COALESCE($7, starts_on)
         WHERE id = $8",
        params![
            content.to_string(),
            to.as_str(),
            at,
            finalized_at,
            finalized_by,
            reported.0,
            reported.1,
            id
        ],
    )?;
    if to == PlanStatus::Finalized {
        teachers = assign_deliveries(tx, &plan)?;
    }
    if to == PlanStatus::Ended && plan.kind == PlanKind::Iep {
        end_services(tx, &iep(&plan)?, None, today)?;
    }
    let plan = get(tx, student_id, id)?;
    if plan.status.editable() {
        record_edit(tx, &plan, by)?;
    }
    Ok(Finalized {
        plan,
        event,
        superseded,
        teachers,
    })
}

/// The federal environment code a finalized IEP's LRE section yields and the day the IEP
/// takes effect, kept on its row for the child count (`reports_data`).
pub(crate) fn reported_environment(content: &Value) -> (Option<&'static str>, Option<Date>) {
    match serde_json::from_value::<IepContent>(content.clone()) {
        Ok(c) => (c.lre.environment_code(), c.starts_on()),
        Err(_) => (None, None),
    }
}

/// Fills `environment` and `starts_on` of IEP versions finalized before they were kept
/// (migration 0011 runs it); returns how many versions it filled.
pub fn fill_reported_environments(tx: &mut Conn) -> Result<usize, StoreError> {
    let mut rows = Vec::new();
    tx.for_each(
        "SELECT id, content FROM plans
         WHERE kind = 'iep' AND status IN ('finalized', 'superseded', 'ended')
           AND starts_on IS NULL",
        &[],
        |row| {
            let content: Value = serde_json::from_str(row.text(1)?)
                .map_err(|e| StoreError::Corrupt(format!("plan content: {e}")))?;
            rows.push((row.int(0)?, reported_environment(&content)));
            Ok(())
        },
    )?;
    let filled = rows.len();
    for (id, (environment, starts_on)) in rows {
        tx.execute(
            "UPDATE plans SET environment = $1, starts_on = $2 WHERE id = $3",
            params![environment, starts_on, id],
        )?;
    }
    Ok(filled)
}

/// The meeting a finalized version records: `iep_meeting_held` (with whether it covered
/// transition and the rights that transfer at majority) or `plan504_meeting_held`.
fn meeting_event(plan: &PlanRecord, content: &Value) -> Result<Event, StoreError> {
    let body = match plan.kind {
        PlanKind::Iep => {
            let c: IepContent = serde_json::from_value(content.clone()).map_err(invalid)?;
            let t = &c.transition;
            json!({
                "id": format!("plan-{}-meeting", plan.id),
                "on": c.meeting.on,
                "kind": "iep_meeting_held",
                "purpose": c.meeting.purpose,
                "includes_transition": !t.postsecondary_goals.trim().is_empty()
                    && !t.services.trim().is_empty(),
                "includes_rights_transfer_notice": !c.age_of_majority_statement.trim().is_empty(),
            })
        }
        _ => {
            let c: Plan504Content = serde_json::from_value(content.clone()).map_err(invalid)?;
            json!({
                "id": format!("plan-{}-meeting", plan.id),
                "on": c.meeting.on,
                "kind": "plan504_meeting_held",
                "purpose": c.meeting.purpose,
            })
        }
    };
    serde_json::from_value(body).map_err(invalid)
}

/// Writes the IEP's service grid and goals into `services` and `goals`: a line or goal that
/// came from an earlier version (it carries the id) updates that record; a new one is added;
/// services of the previous version this one drops end the day before it starts. Returns the
/// content with the ids filled in (it is still a draft, so it may change until it is stored).
fn materialize(
    tx: &mut Conn,
    plan: &PlanRecord,
    previous: Option<&IepContent>,
    by: Option<i64>,
    today: Date,
) -> Result<Value, StoreError> {
    let mut content = iep(plan)?;
    for line in &mut content.services {
        let (Some(start), Some(end), Some(per)) =
            (line.start, line.end, crate::services::parse_per(&line.per))
        else {
            continue;
        };
        let new = crate::services::NewService {
            name: line.service.trim().to_owned(),
            provider_role: line.provider_role.trim().to_owned(),
            minutes: u32::try_from(line.minutes).unwrap_or(0),
            per,
            setting: line.setting.trim().to_owned(),
            start,
            end,
        };
        let existing = match line.service_id {
            Some(sid) => crate::services::get_service(tx, plan.student_id, sid).ok(),
            None => None,
        };
        line.service_id = Some(match existing {
            Some(s) => {
                crate::services::update_service(tx, plan.student_id, s.id, s.revision, &new)?.id
            }
            None => {
                crate::services::add_service(tx, plan.district_id, plan.student_id, &new, by)?.id
            }
        });
    }
    for goal in &mut content.goals {
        let new = crate::goals::NewGoal {
            description: goal.description.trim().to_owned(),
            measure: goal.measure.trim().to_owned(),
            baseline: crate::goals::Mark {
                on: goal.baseline_on.or(content.meeting.on),
                value: goal.baseline,
            },
            target: crate::goals::Mark {
                on: goal.by,
                value: goal.target,
            },
            direction: crate::goals::parse_direction(&goal.direction)
                .unwrap_or(law::progress::Direction::Increase),
            criterion: goal.criterion.trim().to_owned(),
        };
        let existing = match goal.goal_id {
            Some(gid) => crate::goals::get_goal(tx, plan.student_id, gid).ok(),
            None => None,
        };
        goal.goal_id = Some(match existing {
            Some(g) => crate::goals::update_goal(tx, plan.student_id, g.id, g.revision, &new)?.id,
            None => crate::goals::add_goal(tx, plan.district_id, plan.student_id, &new, by)?.id,
        });
    }
    if let Some(previous) = previous {
        let starts = content
            .services
            .iter()
            .filter_map(|l| l.start)
            .min()
            .unwrap_or(today);
        let kept: Vec<i64> = content
            .services
            .iter()
            .filter_map(|l| l.service_id)
            .collect();
        end_services(tx, previous, Some(&kept), starts)?;
    }
    serde_json::to_value(content).map_err(invalid)
}

/// Ends the services of `content` (except `kept`) the day before `from`, where they run longer.
fn end_services(
    tx: &mut Conn,
    content: &IepContent,
    kept: Option<&[i64]>,
    from: Date,
) -> Result<(), StoreError> {
    let last_day = from.yesterday().unwrap_or(from);
    for sid in content.services.iter().filter_map(|l| l.service_id) {
        if kept.is_some_and(|k| k.contains(&sid)) {
            continue;
        }
        let ended = tx.execute(
            "UPDATE services SET end_date = $1, revision = revision + 1
             WHERE id = $2 AND end_date > $1 AND start_date <= $1",
            params![last_day, sid],
        )?;
        if ended > 0 {
            crate::services::refresh_debts_of_service(tx, sid)?;
        }
    }
    Ok(())
}

/// Starts an amendment: a new draft with the finalized version's content and what changes.
pub fn amend(
    tx: &mut Conn,
    student_id: i64,
    id: i64,
    change_summary: &str,
    by: Option<i64>,
) -> Result<PlanRecord, StoreError> {
    let plan = get(tx, student_id, id)?;
    if plan.status != PlanStatus::Finalized {
        return Err(StoreError::Conflict(format!(
            "only the finalized version is amended; version {} is {}",
            plan.version, plan.status
        )));
    }
    let summary = change_summary.trim();
    if summary.is_empty() {
        return Err(StoreError::Invalid(
            "`change_summary`: say what the amendment changes".into(),
        ));
    }
    let mut content = plan.content.clone();
    if plan.kind == PlanKind::Iep {
        content["meeting"] = json!({ "on": null, "purpose": "amendment" });
    } else {
        content["meeting"] = json!({ "on": null, "purpose": "review" });
    }
    insert_version(
        tx,
        plan.district_id,
        student_id,
        plan.kind,
        &content,
        Some(summary),
        by,
    )
}

/// The sections a version changed from the version before it.
pub fn changes_from_previous(
    conn: &mut Conn,
    plan: &PlanRecord,
) -> Result<Vec<String>, StoreError> {
    let previous = conn.query_opt(
        "SELECT content FROM plans WHERE student_id = $1 AND kind = $2 AND version = $3",
        params![plan.student_id, plan.kind.as_str(), plan.version - 1],
    )?;
    Ok(match previous {
        Some(row) => {
            let before: Value = serde_json::from_str(row.text(0)?).map_err(invalid)?;
            changed_sections(&before, &plan.content)
                .into_iter()
                .filter(|s| s != "meeting")
                .collect()
        }
        None => Vec::new(),
    })
}

pub fn add_comment(
    tx: &mut Conn,
    plan: &PlanRecord,
    author_id: i64,
    body: &str,
) -> Result<Comment, StoreError> {
    if !plan.status.editable() {
        return Err(StoreError::Conflict(format!(
            "version {} is {}; comments are taken on a draft before the meeting",
            plan.version, plan.status
        )));
    }
    let body = body.trim();
    if body.is_empty() || body.chars().count() > 4000 {
        return Err(StoreError::Invalid(
            "`body`: a comment of 1 to 4000 characters".into(),
        ));
    }
    let user = crate::users::get_user(tx, author_id)?;
    let at = now();
    let id = tx
        .query_one(
            "INSERT INTO plan_comments (district_id, student_id, plan_id, author_id, author_name,
                                        author_role, body, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            params![
                plan.district_id,
                plan.student_id,
                plan.id,
                author_id,
                user.display_name.as_str(),
                user.role.as_str(),
                body,
                at.as_str()
            ],
        )?
        .int(0)?;
    Ok(Comment {
        id,
        author: user.display_name,
        role: user.role.as_str().to_owned(),
        body: body.to_owned(),
        at,
    })
}

pub fn comments(conn: &mut Conn, plan_id: i64) -> Result<Vec<Comment>, StoreError> {
    conn.query(
        "SELECT id, author_name, author_role, body, created_at FROM plan_comments
         WHERE plan_id = $1 ORDER BY id",
        params![plan_id],
    )?
    .iter()
    .map(|row| {
        Ok(Comment {
            id: row.int(0)?,
            author: row.string(1)?,
            role: row.string(2)?,
            body: row.string(3)?,
            at: row.string(4)?,
        })
    })
    .collect()
}

/// Hands a finalized version's accommodations to each teacher linked to the student.
fn assign_deliveries(tx: &mut Conn, plan: &PlanRecord) -> Result<usize, StoreError> {
    let teachers = tx.query(
        "SELECT user_id FROM links WHERE student_id = $1 AND relation = $2 AND active = TRUE
         ORDER BY user_id",
        params![plan.student_id, Relation::Teacher.as_str()],
    )?;
    let at = now();
    for row in &teachers {
        tx.execute(
            "INSERT INTO accommodation_deliveries (district_id, student_id, plan_id, teacher_id, assigned_at)
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (plan_id, teacher_id) DO NOTHING",
            params![
                plan.district_id,
                plan.student_id,
                plan.id,
                row.int(0)?,
                at.as_str()
            ],
        )?;
    }
    Ok(teachers.len())
}

/// Hands the plans in effect to teachers linked to their students after they were finalized
/// (a new class, a schedule change): one teacher's, or a whole district's.
pub fn sync_deliveries(
    tx: &mut Conn,
    district_id: i64,
    teacher_id: Option<i64>,
) -> Result<usize, StoreError> {
    const MISSING: &str = "SELECT p.id, p.student_id, l.user_id FROM plans p
         JOIN links l ON l.student_id = p.student_id AND l.relation = 'teacher' AND l.active = TRUE
         WHERE p.district_id = $1 AND p.status = 'finalized' AND p.kind IN ('iep', 'plan504')
           AND NOT EXISTS (SELECT 1 FROM accommodation_deliveries d
                           WHERE d.plan_id = p.id AND d.teacher_id = l.user_id)";
    let rows = match teacher_id {
        Some(t) => tx.query(
            &format!("{MISSING} AND l.user_id = $2 ORDER BY p.id"),
            params![district_id, t],
        )?,
        None => tx.query(
            &format!("{MISSING} ORDER BY p.id, l.user_id"),
            params![district_id],
        )?,
    };
    let at = now();
    for row in &rows {
        tx.execute(
            "INSERT INTO accommodation_deliveries (district_id, student_id, plan_id, teacher_id, assigned_at)
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (plan_id, teacher_id) DO NOTHING",
            params![district_id, row.int(1)?, row.int(0)?, row.int(2)?, at.as_str()],
        )?;
    }
    Ok(rows.len())
}

/// Who received a version's accommodations, who acknowledged them, and the reminders sent.
pub fn deliveries(conn: &mut Conn, plan_id: i64) -> Result<Vec<Delivery>, StoreError> {
    conn.query(
        "SELECT d.id, d.teacher_id, u.display_name, d.assigned_at, d.acknowledged_at,
                (SELECT COUNT(*) FROM accommodation_reminders r WHERE r.delivery_id = d.id),
                (SELECT MAX(r.reminded_at) FROM accommodation_reminders r WHERE r.delivery_id = d.id)
         FROM accommodation_deliveries d JOIN users u ON u.id = d.teacher_id
         WHERE d.plan_id = $1 ORDER BY u.display_name, d.id",
        params![plan_id],
    )?
    .iter()
    .map(|row| {
        Ok(Delivery {
            id: row.int(0)?,
            teacher_id: row.int(1)?,
            teacher: row.string(2)?,
            assigned_at: row.string(3)?,
            acknowledged_at: row.opt_string(4)?,
            reminders: row.int(5)?,
            last_reminded_at: row.opt_string(6)?,
        })
    })
    .collect()
}

/// A teacher acknowledges a finalized version's accommodations (again is harmless).
pub fn acknowledge(
    tx: &mut Conn,
    plan: &PlanRecord,
    teacher_id: i64,
) -> Result<Delivery, StoreError> {
    if plan.status != PlanStatus::Finalized {
        return Err(StoreError::Conflict(format!(
            "version {} is {}; only the plan in effect is acknowledged",
            plan.version, plan.status
        )));
    }
    let changed = tx.execute(
        "UPDATE accommodation_deliveries SET acknowledged_at = COALESCE(acknowledged_at, $1)
         WHERE plan_id = $2 AND teacher_id = $3",
        params![now(), plan.id, teacher_id],
    )?;
    if changed == 0 {
        return Err(StoreError::NotFound(format!(
            "accommodations of plan {} for this teacher",
            plan.id
        )));
    }
    deliveries(tx, plan.id)?
        .into_iter()
        .find(|d| d.teacher_id == teacher_id)
        .ok_or_else(|| StoreError::NotFound(format!("plan {}", plan.id)))
}

/// Records a reminder for each teacher who has not acknowledged the plans in effect: one
/// plan's (`plan_id`), or a district's. Returns how many reminders were recorded.
pub fn remind(
    tx: &mut Conn,
    district_id: i64,
    plan_id: Option<i64>,
    by: Option<i64>,
) -> Result<usize, StoreError> {
    const OPEN: &str =
        "SELECT d.id FROM accommodation_deliveries d JOIN plans p ON p.id = d.plan_id
         WHERE d.district_id = $1 AND d.acknowledged_at IS NULL AND p.status = 'finalized'";
    let open = match plan_id {
        Some(plan_id) => tx.query(
            &format!("{OPEN} AND d.plan_id = $2 ORDER BY d.id"),
            params![district_id, plan_id],
        )?,
        None => tx.query(&format!("{OPEN} ORDER BY d.id"), params![district_id])?,
    };
    let at = now();
    for row in &open {
        tx.execute(
            "INSERT INTO accommodation_reminders (district_id, delivery_id, reminded_at, reminded_by)
             VALUES ($1, $2, $3, $4)",
            params![district_id, row.int(0)?, at.as_str(), by],
        )?;
    }
    Ok(open.len())
}

/// The plans in effect whose accommodations a teacher has still to acknowledge.
pub fn pending_for(conn: &mut Conn, teacher_id: i64) -> Result<Vec<Pending>, StoreError> {
    conn.query(
        "SELECT p.id, p.student_id, s.first_name, s.last_name, p.kind, p.version, d.assigned_at,
                (SELECT COUNT(*) FROM accommodation_reminders r WHERE r.delivery_id = d.id)
         FROM accommodation_deliveries d
         JOIN plans p ON p.id = d.plan_id
         JOIN students s ON s.id = d.student_id
         WHERE d.teacher_id = $1 AND d.acknowledged_at IS NULL AND p.status = 'finalized'
           AND s.active = TRUE
         ORDER BY s.last_name, s.first_name, p.id",
        params![teacher_id],
    )?
    .iter()
    .map(|row| {
        let kind = row.text(4)?;
        Ok(Pending {
            plan_id: row.int(0)?,
            student_id: row.int(1)?,
            student_name: format!("{} {}", row.text(2)?, row.text(3)?),
            kind: PlanKind::parse(kind)
                .ok_or_else(|| StoreError::Corrupt(format!("plan kind `{kind}`")))?,
            version: row.int(5)?,
            assigned_at: row.string(6)?,
            reminders: row.int(7)?,
        })
    })
    .collect()
}

/// The accommodations (and, for an IEP, modifications) teachers carry out.
pub fn accommodations(plan: &PlanRecord) -> Result<Vec<domain::plan_content::Support>, StoreError> {
    Ok(match plan.kind {
        PlanKind::Iep => {
            let c = iep(plan)?;
            c.accommodations
                .into_iter()
                .chain(c.modifications)
                .collect()
        }
        _ => plan504(plan)?.accommodations,
    })
}
