//! A one-goal progress report as a tagged PDF, built from the generic document model: the
//! decision in words, the key figures, and the data table the chart is drawn from.

use law::progress::{GoalData, ProgressReport};

use crate::chart::{num, table_rows, value_on};
use crate::{
    Block, ChartLabels, Document, DocumentError, Lang, Table, progress_summary, render_pdf,
};

pub fn progress_report_pdf(
    student: &str,
    goal: &GoalData,
    report: &ProgressReport,
    labels: &ChartLabels,
) -> Result<Vec<u8>, DocumentError> {
    if student.trim().is_empty() {
        return Err(DocumentError::input(
            "student",
            "required, a non-empty string",
        ));
    }
    let lang = labels.lang;
    let (student_label, aim_label, trend_label, projected_label, per_week, none) = match lang {
        Lang::En => (
            "Student",
            "Aim",
            "Trend",
            "Projected date",
            "per week",
            "none",
        ),
        Lang::Es => (
            "Estudiante",
            "Meta",
            "Tendencia",
            "Fecha prevista",
            "por semana",
            "ninguna",
        ),
    };
    let mut doc = Document::new(format!("{} · {}", labels.title, student.trim()), lang);
    doc.footer = Some(doc.title.clone());
    doc.push(Block::Heading {
        level: 1,
        text: labels.title.clone(),
    });
    doc.push(Block::KeyValues(vec![
        (student_label.into(), student.trim().to_string()),
        (
            aim_label.into(),
            format!("{} {per_week}", num(report.aim_slope_per_week)),
        ),
        (
            trend_label.into(),
            report
                .trend
                .ols_slope_per_week
                .map_or_else(|| none.to_string(), |s| format!("{} {per_week}", num(s))),
        ),
        (
            projected_label.into(),
            report
                .projected_date
                .map_or_else(|| none.to_string(), |d| lang.long_date(d)),
        ),
    ]));
    doc.push(Block::Paragraph(progress_summary(goal, report, lang)));
    let rows = table_rows(goal, labels)
        .into_iter()
        .map(|(what, row)| {
            let date = match what {
                Some(what) => format!("{} ({what})", row.on),
                None => row.on.to_string(),
            };
            let trend = report
                .trend_line
                .as_ref()
                .map_or_else(|| "—".to_string(), |t| num(value_on(t, row.on)));
            vec![
                date,
                num(row.value),
                num(value_on(&report.aim_line, row.on)),
                trend,
            ]
        })
        .collect();
    doc.push(Block::Table(Table {
        caption: Some(labels.table_caption.clone()),
        header: vec![
            labels.date.clone(),
            labels.measure.clone(),
            labels.aim.clone(),
            labels.trend.clone(),
        ],
        rows,
        row_headers: true,
    }));
    render_pdf(&doc)
}
