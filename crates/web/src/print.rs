//! Documents built from stored records, shared by the web app's downloads and `iep504 print`:
//! both must print the same thing from the same data. Also the issuing of progress reports on
//! the IEP's schedule (`iep504 progress-reports issue`, and a few at `gen` for the demo).

use std::collections::BTreeMap;

use documents::{ChartLabels, DocumentError, GoalProgress, Lang};
use domain::Date;
use store::access_log::Purpose;
use store::goals::{Goal, Point};
use store::{Conn, StoreError};

/// A student's progress report over every goal (34 CFR 300.320(a)(3)(ii)): each measurable
/// goal's aim line, trend, decision, chart and data; the others named as not yet measurable.
pub fn progress_report_pdf(
    student: &store::students::Student,
    goals: &[(Goal, Vec<Point>)],
    lang: Lang,
) -> Result<Vec<u8>, DocumentError> {
    report_pdf(student, goals, None, lang)
}

/// The report due on `reported_on` under the IEP's schedule: the data points up to that date.
pub fn scheduled_progress_report_pdf(
    student: &store::students::Student,
    goals: &[(Goal, Vec<Point>)],
    reported_on: Date,
    lang: Lang,
) -> Result<Vec<u8>, DocumentError> {
    let upto: Vec<(Goal, Vec<Point>)> = goals
        .iter()
        .map(|(goal, points)| {
            let kept = points
                .iter()
                .filter(|p| p.on <= reported_on)
                .cloned()
                .collect();
            (goal.clone(), kept)
        })
        .collect();
    report_pdf(student, &upto, Some(reported_on), lang)
}

fn report_pdf(
    student: &store::students::Student,
    goals: &[(Goal, Vec<Point>)],
    reported_on: Option<Date>,
    lang: Lang,
) -> Result<Vec<u8>, DocumentError> {
    let analyzed: Vec<_> = goals
        .iter()
        .map(|(goal, points)| {
            let analysis = goal.data(points).map(|data| {
                let report = law::progress::analyze(&data);
                let labels = ChartLabels::new(
                    lang,
                    format!("goal-{}", goal.id),
                    goal.description.clone(),
                    goal.measure.clone(),
                );
                (data, report, labels)
            });
            (goal, analysis)
        })
        .collect();
    let parts: Vec<GoalProgress<'_>> = analyzed
        .iter()
        .map(|(goal, analysis)| GoalProgress {
            description: &goal.description,
            analysis: analysis.as_ref().map(|(d, r, l)| (d, r, l)),
        })
        .collect();
    let title = match lang {
        Lang::En => "Progress report",
        Lang::Es => "Informe de progreso",
    };
    documents::student_progress_report_pdf(
        &format!("{} {}", student.first_name, student.last_name),
        title,
        &parts,
        reported_on,
        lang,
    )
}

/// The language a report is written in for a stored language code: the documents are written
/// in English and Spanish, so Spanish for `es` (or `es-…`) and English for every other code.
pub fn report_lang(code: &str) -> Lang {
    let primary = code.split(['-', '_']).next().unwrap_or("");
    if primary.eq_ignore_ascii_case("es") {
        Lang::Es
    } else {
        Lang::En
    }
}

/// What one run of issuing did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Issued {
    /// Reports due and not yet issued when the run started.
    pub due: usize,
    /// Reports issued by this run, and how many in each language.
    pub issued: usize,
    pub languages: BTreeMap<&'static str, usize>,
    /// Due reports another run issued first.
    pub already_issued: usize,
    /// Due reports left for a later run (over `limit`).
    pub left: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum IssueError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the progress report of student {student} for {on} could not be rendered: {source}")]
    Document {
        student: i64,
        on: Date,
        source: DocumentError,
    },
}

/// Issues every progress report due on or before `as_of` (of one district, or all), at most
/// `limit` of them: each in the family's language, with the data up to its reporting date,
/// stored with its SHA-256 and written to the record of access. Idempotent: a report already
/// issued for a student and date is never issued again.
pub fn issue_progress_reports(
    conn: &mut Conn,
    district: Option<i64>,
    as_of: Date,
    limit: Option<usize>,
) -> Result<Issued, IssueError> {
    let due = conn.read_transaction(|tx| store::progress_reports::due(tx, district, as_of))?;
    let take = limit.unwrap_or(usize::MAX).min(due.len());
    let mut summary = Issued {
        due: due.len(),
        left: due.len() - take,
        ..Issued::default()
    };
    for item in &due[..take] {
        let (student, goals, code) = conn.read_transaction(|tx| {
            let student = store::students::get_student(tx, item.student_id)?;
            let mut goals = Vec::new();
            for goal in store::goals::list_goals(tx, student.id)? {
                let points = store::goals::points(tx, goal.id)?;
                goals.push((goal, points));
            }
            let code = store::progress_reports::family_language(tx, student.id)?;
            Ok((student, goals, code))
        })?;
        let lang = report_lang(&code);
        let pdf = scheduled_progress_report_pdf(&student, &goals, item.reported_on, lang).map_err(
            |source| IssueError::Document {
                student: item.student_id,
                on: item.reported_on,
                source,
            },
        )?;
        let fresh = conn.transaction(|tx| {
            let fresh = store::progress_reports::issue(tx, item, lang.code(), &pdf)?;
            if fresh {
                store::access_log::record(
                    tx,
                    &store::access_log::NewEntry {
                        district_id: item.district_id,
                        student_id: Some(item.student_id),
                        user_id: None,
                        who: "iep504 progress-reports issue",
                        role: "operator",
                        action: "issue_progress_report",
                        purpose: Purpose::IssuingProgressReport.stated(),
                        at: None,
                    },
                )?;
            }
            Ok(fresh)
        })?;
        if fresh {
            summary.issued += 1;
            *summary.languages.entry(lang.code()).or_default() += 1;
        } else {
            summary.already_issued += 1;
        }
    }
    Ok(summary)
}
