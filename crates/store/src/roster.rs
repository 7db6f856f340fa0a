//! Writing a parsed OneRoster roster: schools, students, guardians (`parent` users linked
//! `guardian`) and teachers (linked `teacher` to the students of their classes), upserted by
//! source id. Rows a bulk roster no longer lists are marked inactive; nothing is deleted.

use crate::db::Conn;
use crate::{StoreError, now, params};
use domain::people::{Relation, Role};
use interop::oneroster::{FileMode, Roster, Status, User};
use std::collections::HashMap;

/// What one import wrote, for the command's JSON output.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct RosterSummary {
    pub schools: u64,
    pub students: u64,
    pub guardians: u64,
    pub teachers: u64,
    pub guardian_links: u64,
    pub teacher_links: u64,
    /// Rows marked inactive because the roster dropped them or flagged them `tobedeleted`.
    pub deactivated: u64,
}

/// How many records `import` will write, for a progress bar.
pub fn record_count(roster: &Roster) -> u64 {
    let links = roster.guardian_links().len() + roster.teacher_student_links().len();
    (roster.schools().len() + roster.users.len() + links) as u64
}

/// Imports `roster` into `district_id` inside the caller's transaction. `progress` gets the
/// number of records written so far. A student without a birth date is refused (every
/// deadline depends on age), with every such student listed.
pub fn import(
    tx: &mut Conn,
    district_id: i64,
    roster: &Roster,
    progress: &mut dyn FnMut(u64),
) -> Result<RosterSummary, StoreError> {
    let students = roster.students();
    let undated: Vec<String> = students
        .iter()
        .filter(|s| s.status == Status::Active && s.birth_date.is_none())
        .map(|s| {
            format!(
                "demographics.csv: student {}: birthDate: expected a birth date (deadlines depend on age)",
                s.sourced_id
            )
        })
        .collect();
    if !undated.is_empty() {
        return Err(StoreError::Invalid(undated.join("\n")));
    }
    let jurisdiction = tx
        .query_one(
            "SELECT jurisdiction FROM districts WHERE id = $1",
            params![district_id],
        )?
        .string(0)?;
    // Each run tags the rows it sees; a roster-sourced row with another tag was dropped.
    let run = format!("oneroster:{}", now());
    let mut summary = RosterSummary::default();
    let mut done = 0u64;
    let mut tick = |progress: &mut dyn FnMut(u64)| {
        done += 1;
        if done.is_multiple_of(512) {
            progress(done);
        }
    };

    let mut school_ids: HashMap<&str, i64> = HashMap::new();
    for org in roster.schools() {
        let id = tx
            .query_one(
                "INSERT INTO schools (district_id, name, source_id, active, roster_run)
                 VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (district_id, source_id)
                 DO UPDATE SET name = excluded.name, active = excluded.active,
                               roster_run = excluded.roster_run
                 RETURNING id",
                params![
                    district_id,
                    &org.name,
                    &org.sourced_id,
                    org.status == Status::Active,
                    &run
                ],
            )?
            .int(0)?;
        school_ids.insert(org.sourced_id.as_str(), id);
        summary.schools += 1;
        tick(progress);
    }

    let mut student_ids: HashMap<&str, i64> = HashMap::new();
    for student in &students {
        let Some(birth_date) = student.birth_date else {
            // Only `tobedeleted` students may lack a birth date; mark a stored one inactive.
            tx.execute(
                "UPDATE students SET active = FALSE, roster_run = $1
                 WHERE district_id = $2 AND source_id = $3",
                params![&run, district_id, &student.sourced_id],
            )?;
            continue;
        };
        let school_id = student
            .school_sourced_ids
            .iter()
            .find_map(|s| school_ids.get(s.as_str()).copied());
        let id = tx
            .query_one(
                "INSERT INTO students (district_id, school_id, first_name, last_name, middle_name,
                                       birth_date, jurisdiction, grade, sex, race_ethnicity,
                                       source_id, active, roster_run, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
                 ON CONFLICT (district_id, source_id)
                 DO UPDATE SET school_id = excluded.school_id, first_name = excluded.first_name,
                               last_name = excluded.last_name, middle_name = excluded.middle_name,
                               birth_date = excluded.birth_date, grade = excluded.grade,
                               sex = excluded.sex, race_ethnicity = excluded.race_ethnicity,
                               active = excluded.active, roster_run = excluded.roster_run
                 RETURNING id",
                params![
                    district_id,
                    school_id,
                    &student.given_name,
                    &student.family_name,
                    student.middle_name.as_deref(),
                    birth_date,
                    &jurisdiction,
                    student.grades.first().map(String::as_str),
                    student.sex,
                    student.race_ethnicity,
                    &student.sourced_id,
                    student.status == Status::Active,
                    &run,
                    now()
                ],
            )?
            .int(0)?;
        student_ids.insert(student.sourced_id.as_str(), id);
        summary.students += 1;
        tick(progress);
    }

    let mut user_ids: HashMap<&str, i64> = HashMap::new();
    for (users, role, count) in [
        (roster.guardians(), Role::Parent, &mut summary.guardians),
        (roster.teachers(), Role::Teacher, &mut summary.teachers),
    ] {
        for user in users {
            let id = upsert_user(tx, district_id, user, role, &run)?;
            user_ids.insert(user.sourced_id.as_str(), id);
            *count += 1;
            tick(progress);
        }
    }

    let guardian_links = roster.guardian_links();
    let teacher_links = roster.teacher_student_links();
    let pairs = guardian_links
        .iter()
        .map(|l| {
            (
                &l.guardian_sourced_id,
                &l.student_sourced_id,
                Relation::Guardian,
            )
        })
        .chain(teacher_links.iter().map(|l| {
            (
                &l.teacher_sourced_id,
                &l.student_sourced_id,
                Relation::Teacher,
            )
        }));
    for (user, student, relation) in pairs {
        let (Some(&user_id), Some(&student_id)) = (
            user_ids.get(user.as_str()),
            student_ids.get(student.as_str()),
        ) else {
            continue;
        };
        tx.execute(
            "INSERT INTO links (user_id, student_id, district_id, relation, active, roster_run, created_at)
             VALUES ($1, $2, $3, $4, TRUE, $5, $6)
             ON CONFLICT (user_id, student_id, relation)
             DO UPDATE SET active = TRUE, roster_run = excluded.roster_run",
            params![user_id, student_id, district_id, relation.as_str(), &run, now()],
        )?;
        match relation {
            Relation::Guardian => summary.guardian_links += 1,
            _ => summary.teacher_links += 1,
        }
        tick(progress);
    }

    summary.deactivated = deactivate_dropped(tx, district_id, roster, &run)?;
    progress(done);
    Ok(summary)
}

/// A guardian or teacher account, found by source id. The roster's username is used when it is
/// free (and one word); otherwise the source id keeps it unique.
fn upsert_user(
    tx: &mut Conn,
    district_id: i64,
    user: &User,
    role: Role,
    run: &str,
) -> Result<i64, StoreError> {
    let display = format!("{} {}", user.given_name, user.family_name);
    let active = user.status == Status::Active && user.enabled_user;
    if let Some(row) = tx.query_opt(
        "SELECT id FROM users WHERE district_id = $1 AND source_id = $2",
        params![district_id, &user.sourced_id],
    )? {
        let id = row.int(0)?;
        tx.execute(
            "UPDATE users SET display_name = $1, email = $2, active = $3, roster_run = $4
             WHERE id = $5",
            params![&display, user.email.as_deref(), active, run, id],
        )?;
        return Ok(id);
    }
    let wanted: String = user
        .username
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let taken = wanted.is_empty()
        || tx
            .query_opt("SELECT 1 FROM users WHERE username = $1", params![&wanted])?
            .is_some();
    let username = if taken {
        format!(
            "oneroster-{district_id}-{}",
            user.sourced_id.replace(' ', "_")
        )
    } else {
        wanted
    };
    tx.query_one(
        "INSERT INTO users (district_id, username, display_name, role, email, source_id, active,
                            roster_run, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        params![
            district_id,
            username,
            display,
            role.as_str(),
            user.email.as_deref(),
            &user.sourced_id,
            active,
            run,
            now()
        ],
    )?
    .int(0)
}

/// Marks inactive the roster-sourced rows this run did not see, for each file the manifest
/// gives in bulk (a delta lists only changes, so absence there means nothing).
fn deactivate_dropped(
    tx: &mut Conn,
    district_id: i64,
    roster: &Roster,
    run: &str,
) -> Result<u64, StoreError> {
    let bulk = |file: &str| !matches!(roster.modes.get(file), Some(FileMode::Delta));
    let mut changed = 0;
    let mut statements = Vec::new();
    if bulk("orgs") {
        statements.push("UPDATE schools SET active = FALSE WHERE district_id = $1 AND active = TRUE AND roster_run IS NOT NULL AND roster_run <> $2");
    }
    if bulk("users") {
        statements.push("UPDATE students SET active = FALSE WHERE district_id = $1 AND active = TRUE AND roster_run IS NOT NULL AND roster_run <> $2");
        statements.push("UPDATE users SET active = FALSE WHERE district_id = $1 AND active = TRUE AND roster_run IS NOT NULL AND roster_run <> $2");
    }
    if bulk("users") && bulk("enrollments") {
        statements.push("UPDATE links SET active = FALSE WHERE district_id = $1 AND active = TRUE AND roster_run IS NOT NULL AND roster_run <> $2");
    }
    for sql in statements {
        changed += tx.execute(sql, params![district_id, run])?;
    }
    Ok(changed)
}
