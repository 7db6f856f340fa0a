//! Documents built from stored records, shared by the web app's downloads and `iep504 print`:
//! both must print the same thing from the same data.

use documents::{ChartLabels, DocumentError, GoalProgress, Lang};
use store::goals::{Goal, Point};

/// A student's progress report over every goal (34 CFR 300.320(a)(3)(ii)): each measurable
/// goal's aim line, trend, decision and data; the others named as not yet measurable.
pub fn progress_report_pdf(
    student: &store::students::Student,
    goals: &[(Goal, Vec<Point>)],
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
        None,
        lang,
    )
}
