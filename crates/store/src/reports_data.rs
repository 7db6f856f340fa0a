//! The federal reports' inputs (`interop::reports::Records`) read from the store: only the
//! students and program associations a report can count, each with one streaming query, so a
//! child count over a million students stays a single pass. Students are identified by row id.

use crate::db::{Conn, Row};
use crate::{StoreError, params};
use domain::Date;
use domain::codes::Program;
use domain::event::EventKind;
use interop::normalized::ProgramAssociation;
use interop::reports::{Exit, Records, Removal, ReportStudent};
use std::collections::HashSet;

/// Student columns then association columns, shared by the queries below; `environment` is
/// the column expression of the educational environment.
fn select(environment: &str) -> String {
    format!(
        "SELECT s.id, s.birth_date, s.sex, s.race_ethnicity, s.english_learner, s.grade,
        p.program, p.begin_date, p.end_date, p.primary_disability, {environment}, p.exit_basis,
        p.exit_date
 FROM program_associations p JOIN students s ON s.id = p.student_id
 WHERE s.active = TRUE"
    )
}

/// The environment on the count date `$1`: the one the IEP in effect states (the latest
/// finalized version that took effect by then, so an early-childhood placement is reported
/// as written), else the association's own (an import's or an older record's).
const ENVIRONMENT_IN_EFFECT: &str = "COALESCE(
    (SELECT pl.environment FROM plans pl
     WHERE pl.student_id = s.id AND pl.kind = 'iep' AND pl.starts_on <= $1
       AND pl.status IN ('finalized', 'superseded', 'ended')
     ORDER BY pl.starts_on DESC, pl.version DESC LIMIT 1),
    p.environment)";

/// Students with an IDEA association in force on `as_of`, and those associations: all the
/// child count reads. (District scoping: `None` reads every district.)
pub fn child_count_records(
    conn: &mut Conn,
    district_id: Option<i64>,
    as_of: Date,
) -> Result<Records, StoreError> {
    let sql = format!(
        "{} AND p.program = 'idea' AND p.begin_date <= $1
           AND (p.end_date IS NULL OR p.end_date >= $1) AND (CAST($2 AS BIGINT) IS NULL OR s.district_id = $2)",
        select(ENVIRONMENT_IN_EFFECT)
    );
    let mut records = Records::default();
    let mut seen = HashSet::new();
    conn.for_each(&sql, params![as_of, district_id], |row| {
        add_row(&mut records, &mut seen, &row)
    })?;
    Ok(records)
}

/// Everything the period reports (exiting, discipline, CRDC 504) read for `[from, to]`:
/// associations overlapping the period with their students, exits (recorded on associations
/// or as `exited` events) and `disciplinary_removal` events dated in it.
pub fn period_records(
    conn: &mut Conn,
    district_id: Option<i64>,
    from: Date,
    to: Date,
) -> Result<Records, StoreError> {
    let sql = format!(
        "{} AND p.begin_date <= $2 AND (p.end_date IS NULL OR p.end_date >= $1)
           AND (CAST($3 AS BIGINT) IS NULL OR s.district_id = $3)",
        select("p.environment")
    );
    let mut records = Records::default();
    let mut seen = HashSet::new();
    conn.for_each(&sql, params![from, to, district_id], |row| {
        add_row(&mut records, &mut seen, &row)
    })?;
    records.exits = Exit::from_programs(&records.programs);
    let mut events = Vec::new();
    conn.for_each(
        "SELECT e.student_id, e.body FROM events e JOIN students s ON s.id = e.student_id
         WHERE s.active = TRUE AND e.kind IN ('exited', 'disciplinary_removal')
           AND e.on_date >= $1 AND e.on_date <= $2 AND (CAST($3 AS BIGINT) IS NULL OR s.district_id = $3)
         ORDER BY e.seq",
        params![from, to, district_id],
        |row| {
            events.push((row.int(0)?, crate::events::parse_body(row.text(1)?)?));
            Ok(())
        },
    )?;
    for (student_id, event) in events {
        let id = student_id.to_string();
        match event.kind {
            EventKind::DisciplinaryRemoval { school_days, .. } => records.removals.push(Removal {
                student_id: id,
                on: event.on,
                school_days,
            }),
            EventKind::Exited { basis } => {
                let recorded = records
                    .exits
                    .iter()
                    .any(|e| e.student_id == id && e.on == event.on);
                if !recorded {
                    let disability = records
                        .programs
                        .iter()
                        .filter(|p| p.student_unique_id == id && p.program == Program::Idea)
                        .filter(|p| p.begin_date <= event.on)
                        .max_by_key(|p| p.begin_date)
                        .and_then(|p| p.primary_disability.clone());
                    records.exits.push(Exit {
                        student_id: id,
                        on: event.on,
                        basis,
                        disability,
                    });
                }
            }
            _ => {}
        }
    }
    Ok(records)
}

fn add_row(records: &mut Records, seen: &mut HashSet<i64>, row: &Row) -> Result<(), StoreError> {
    let student_id = row.int(0)?;
    let id = student_id.to_string();
    if seen.insert(student_id) {
        records.students.push(ReportStudent {
            id: id.clone(),
            birth_date: row.opt_date(1)?,
            sex: row.opt_string(2)?,
            race_ethnicity: row.opt_string(3)?,
            english_learner: match row.0.get(4) {
                Some(crate::Value::Null) | None => None,
                Some(_) => Some(row.bool(4)?),
            },
            grade: row.opt_string(5)?,
        });
    }
    let program = match row.text(6)? {
        "idea" => Program::Idea,
        "section504" => Program::Section504,
        other => return Err(StoreError::Corrupt(format!("program `{other}`"))),
    };
    let end_date = row.opt_date(8)?;
    let exit_basis = row.opt_string(11)?;
    let primary = row.opt_string(9)?;
    records.programs.push(ProgramAssociation {
        student_unique_id: id,
        program,
        education_organization_id: 0,
        program_education_organization_id: 0,
        program_name: String::new(),
        program_type_descriptor: String::new(),
        begin_date: row.date(7)?,
        end_date,
        disabilities: primary.iter().cloned().collect(),
        primary_disability: primary,
        environment: row.opt_string(10)?,
        exit_date: row.opt_date(12)?.or(exit_basis.as_ref().and(end_date)),
        exit_basis,
        idea_eligibility: None,
        iep_begin_date: None,
        iep_end_date: None,
        iep_review_date: None,
        last_evaluation_date: None,
        // Stored 504 associations are plans in force: the student was found eligible.
        section504_eligibility: (program == Program::Section504).then_some(true),
        accommodation_plan: None,
        section504_disability_descriptor: None,
        section504_meeting_date: None,
        section504_eligibility_decision_date: None,
    });
    Ok(())
}
