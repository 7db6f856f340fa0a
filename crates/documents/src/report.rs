//! Progress reports as tagged PDFs, built from the generic document model: for each goal the
//! decision in words, the key figures, the chart (a Figure whose alt text is that decision) and
//! the data table it is drawn from. The report a family receives on the IEP's schedule
//! (34 CFR 300.320(a)(3)(ii)) holds every goal, with the data up to its reporting date.

use jiff::civil::Date;
use law::progress::{GoalData, ProgressReport};

use crate::chart::{num, progress_chart_figure, table_rows, value_on};
use crate::render::TEXT_WIDTH;
use crate::{
    Block, ChartLabels, Document, DocumentError, Lang, Table, progress_summary, render_pdf,
};

/// One goal of a student's progress report: its measurable data and analysis, or only its
/// description when it cannot be measured yet.
pub struct GoalProgress<'a> {
    pub description: &'a str,
    pub analysis: Option<(&'a GoalData, &'a ProgressReport, &'a ChartLabels)>,
}

/// A one-goal progress report.
pub fn progress_report_pdf(
    student: &str,
    goal: &GoalData,
    report: &ProgressReport,
    labels: &ChartLabels,
) -> Result<Vec<u8>, DocumentError> {
    student_progress_report_pdf(
        student,
        &labels.title,
        &[GoalProgress {
            description: &labels.title,
            analysis: Some((goal, report, labels)),
        }],
        None,
        labels.lang,
    )
}

/// A student's progress report over every goal, under `title`; `reported_on` is the date of a
/// scheduled report (its data end on that date), `None` for one printed on demand.
pub fn student_progress_report_pdf(
    student: &str,
    title: &str,
    goals: &[GoalProgress<'_>],
    reported_on: Option<Date>,
    lang: Lang,
) -> Result<Vec<u8>, DocumentError> {
    if student.trim().is_empty() {
        return Err(DocumentError::input(
            "student",
            "required, a non-empty string",
        ));
    }
    let (
        student_label,
        date_label,
        aim_label,
        trend_label,
        projected_label,
        per_week,
        none,
        unmeasured,
        no_goals,
    ) = match lang {
        Lang::En => (
            "Student",
            "Reporting date",
            "Aim",
            "Trend",
            "Projected date",
            "per week",
            "none",
            "This goal does not yet have a measure, a baseline and a target, so its progress cannot be charted.",
            "No goals are recorded.",
        ),
        Lang::Es => (
            "Estudiante",
            "Fecha del informe",
            "Meta",
            "Tendencia",
            "Fecha prevista",
            "por semana",
            "ninguna",
            "Esta meta todavía no tiene una medida, un punto de partida y una meta, así que su progreso no se puede graficar.",
            "No hay metas registradas.",
        ),
    };
    let mut doc = Document::new(format!("{title} · {}", student.trim()), lang);
    doc.footer = Some(doc.title.clone());
    doc.push(Block::Heading {
        level: 1,
        text: title.to_string(),
    });
    let mut head = vec![(student_label.into(), student.trim().to_string())];
    if let Some(on) = reported_on {
        head.push((date_label.into(), lang.long_date(on)));
    }
    doc.push(Block::KeyValues(head));
    if goals.is_empty() {
        doc.push(Block::Paragraph(no_goals.into()));
    }
    // Each goal under its own heading, unless the report is about that one goal.
    let several = goals.len() > 1 || goals.first().is_some_and(|g| g.description != title);
    for goal in goals {
        if several {
            doc.push(Block::Heading {
                level: 2,
                text: goal.description.to_string(),
            });
        }
        let Some((data, report, labels)) = goal.analysis else {
            doc.push(Block::Paragraph(unmeasured.into()));
            continue;
        };
        doc.push(Block::KeyValues(vec![
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
        doc.push(Block::Paragraph(progress_summary(data, report, lang)));
        doc.push(Block::Figure(progress_chart_figure(
            data, report, labels, TEXT_WIDTH,
        )));
        doc.push(Block::Table(data_table(data, report, labels)));
    }
    render_pdf(&doc)
}

fn data_table(goal: &GoalData, report: &ProgressReport, labels: &ChartLabels) -> Table {
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
    Table {
        caption: Some(labels.table_caption.clone()),
        header: vec![
            labels.date.clone(),
            labels.measure.clone(),
            labels.aim.clone(),
            labels.trend.clone(),
        ],
        rows,
        row_headers: true,
    }
}
