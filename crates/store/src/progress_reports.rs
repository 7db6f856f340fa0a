//! Progress reports issued on the IEP's schedule (34 CFR 300.320(a)(3)(ii)): which reports are
//! due (each date of the schedule of the IEP in effect, on or before a day, not yet issued), the
//! language the family reads, and the issued PDFs with their SHA-256. A report for a student and
//! reporting date is issued once: the table's unique key makes a second issue a no-op, so the
//! nightly job can run as often as it likes.

use std::collections::HashSet;

use crate::db::{Conn, Row};
use crate::{StoreError, now, params};
use domain::Date;
use domain::people::Relation;
use domain::plan_content::IepContent;
use serde::Serialize;

/// One report that is due and not yet issued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    pub district_id: i64,
    pub student_id: i64,
    /// The finalized IEP whose schedule sets the date.
    pub plan_id: i64,
    pub reported_on: Date,
}

/// An issued report without its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportInfo {
    pub id: i64,
    pub student_id: i64,
    pub plan_id: i64,
    pub reported_on: Date,
    pub lang: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub issued_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub info: ReportInfo,
    pub content: Vec<u8>,
}

const INFO_COLUMNS: &str =
    "id, student_id, plan_id, reported_on, lang, size_bytes, sha256, issued_at";

fn info_from_row(row: &Row) -> Result<ReportInfo, StoreError> {
    Ok(ReportInfo {
        id: row.int(0)?,
        student_id: row.int(1)?,
        plan_id: row.int(2)?,
        reported_on: row.date(3)?,
        lang: row.string(4)?,
        size_bytes: row.int(5)?,
        sha256: row.string(6)?,
        issued_at: row.string(7)?,
    })
}

fn schedule(content: &str) -> Result<Vec<Date>, StoreError> {
    let iep: IepContent = serde_json::from_str(content)
        .map_err(|e| StoreError::Corrupt(format!("IEP content: {e}")))?;
    Ok(iep.progress_report_schedule())
}

/// An IEP in effect and the dates its schedule sets.
struct Schedule {
    plan_id: i64,
    district_id: i64,
    student_id: i64,
    dates: Vec<Date>,
}

/// The IEPs in effect (finalized, neither superseded nor ended) of active students, with their
/// schedules: of one district, one student, or all.
fn in_effect(
    conn: &mut Conn,
    district: Option<i64>,
    student: Option<i64>,
) -> Result<Vec<Schedule>, StoreError> {
    let rows = conn.query(
        "SELECT p.id, p.district_id, p.student_id, p.content FROM plans p
         JOIN students s ON s.id = p.student_id
         WHERE p.kind = 'iep' AND p.status = 'finalized' AND s.active
           AND (CAST($1 AS BIGINT) IS NULL OR p.district_id = $1) AND (CAST($2 AS BIGINT) IS NULL OR p.student_id = $2)
         ORDER BY p.student_id, p.version",
        params![district, student],
    )?;
    rows.iter()
        .map(|row| {
            Ok(Schedule {
                plan_id: row.int(0)?,
                district_id: row.int(1)?,
                student_id: row.int(2)?,
                dates: schedule(row.text(3)?)?,
            })
        })
        .collect()
}

/// Every report due on or before `as_of` and not yet issued, by student and date: each date of
/// the schedule of each IEP in effect (the written dates, or every three months from the
/// meeting). A date missed by earlier runs is still due.
pub fn due(conn: &mut Conn, district: Option<i64>, as_of: Date) -> Result<Vec<Due>, StoreError> {
    let issued: HashSet<(i64, Date)> = conn
        .query(
            "SELECT student_id, reported_on FROM progress_reports
             WHERE (CAST($1 AS BIGINT) IS NULL OR district_id = $1)",
            params![district],
        )?
        .iter()
        .map(|row| Ok((row.int(0)?, row.date(1)?)))
        .collect::<Result<_, StoreError>>()?;
    let mut out = Vec::new();
    for plan in in_effect(conn, district, None)? {
        for on in plan.dates {
            if on <= as_of && !issued.contains(&(plan.student_id, on)) {
                out.push(Due {
                    district_id: plan.district_id,
                    student_id: plan.student_id,
                    plan_id: plan.plan_id,
                    reported_on: on,
                });
            }
        }
    }
    Ok(out)
}

/// The next report the student's IEP in effect schedules on or after `from` that is not issued
/// yet, if any.
pub fn next_scheduled(
    conn: &mut Conn,
    student_id: i64,
    from: Date,
) -> Result<Option<Date>, StoreError> {
    let issued: HashSet<Date> = list(conn, student_id)?
        .into_iter()
        .map(|r| r.reported_on)
        .collect();
    Ok(in_effect(conn, None, Some(student_id))?
        .into_iter()
        .flat_map(|plan| plan.dates)
        .filter(|on| *on >= from && !issued.contains(on))
        .min())
}

/// The language the family reads, as stored: the preferred language of the student's first
/// linked guardian, else the student's own (home) language.
pub fn family_language(conn: &mut Conn, student_id: i64) -> Result<String, StoreError> {
    let guardian = conn.query_opt(
        "SELECT u.preferred_language FROM links l JOIN users u ON u.id = l.user_id
         WHERE l.student_id = $1 AND l.relation = $2 AND l.active AND u.active
         ORDER BY l.created_at, u.id LIMIT 1",
        params![student_id, Relation::Guardian.as_str()],
    )?;
    if let Some(row) = guardian {
        return row.string(0);
    }
    conn.query_one(
        "SELECT preferred_language FROM students WHERE id = $1",
        params![student_id],
    )?
    .string(0)
}

/// Stores an issued report; false (and nothing written) when this student's report for that
/// date was issued already.
pub fn issue(tx: &mut Conn, due: &Due, lang: &str, pdf: &[u8]) -> Result<bool, StoreError> {
    let size =
        i64::try_from(pdf.len()).map_err(|_| StoreError::Invalid("report too large".into()))?;
    let written = tx.execute(
        "INSERT INTO progress_reports (district_id, student_id, plan_id, reported_on, lang,
             size_bytes, sha256, content, issued_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (student_id, reported_on) DO NOTHING",
        params![
            due.district_id,
            due.student_id,
            due.plan_id,
            due.reported_on,
            lang,
            size,
            crate::vault::sha256_hex(pdf),
            pdf.to_vec(),
            now()
        ],
    )?;
    Ok(written == 1)
}

/// A student's issued reports (without their bytes), newest first.
pub fn list(conn: &mut Conn, student_id: i64) -> Result<Vec<ReportInfo>, StoreError> {
    conn.query(
        &format!(
            "SELECT {INFO_COLUMNS} FROM progress_reports WHERE student_id = $1
             ORDER BY reported_on DESC, id DESC"
        ),
        params![student_id],
    )?
    .iter()
    .map(info_from_row)
    .collect()
}

/// One issued report of this student with its bytes; `None` when there is no such report.
pub fn get(conn: &mut Conn, student_id: i64, id: i64) -> Result<Option<Stored>, StoreError> {
    let Some(row) = conn.query_opt(
        &format!(
            "SELECT {INFO_COLUMNS}, content FROM progress_reports
             WHERE student_id = $1 AND id = $2"
        ),
        params![student_id, id],
    )?
    else {
        return Ok(None);
    };
    Ok(Some(Stored {
        info: info_from_row(&row)?,
        content: row.bytes(8)?.to_vec(),
    }))
}
