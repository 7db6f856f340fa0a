//! Federal report pages for district-wide roles: child count (as-of date), exiting, discipline
//! and CRDC 504 (a period), each as an accessible SVG bar chart with the same numbers in a table
//! beside it. Counts name no student; the records come from `store::reports_data`.

use super::{Chrome, ok};
use crate::dates;
use crate::db;
use crate::error::AppError;
use crate::policy::{Viewer, require};
use crate::state::AppState;
use askama::Template;
use axum::Extension;
use axum::extract::{Query, State};
use axum::response::Response;
use domain::Date;
use interop::reports;

/// The reports, by URL value and Fluent id of their title.
const KINDS: [(&str, &str); 4] = [
    ("child-count", "report-child-count"),
    ("exiting", "report-exiting"),
    ("discipline", "report-discipline"),
    ("crdc-504", "report-crdc-504"),
];

#[derive(Debug, serde::Deserialize)]
pub struct Params {
    report: Option<String>,
    as_of: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

#[derive(Debug, Clone)]
struct Bar {
    label: String,
    count: u32,
    /// Bar geometry in the chart's coordinates.
    y: u32,
    width: u32,
    text_x: u32,
    text_y: u32,
}

#[derive(Template)]
#[template(path = "reports.html")]
struct ReportsPage {
    c: Chrome,
    kinds: Vec<(String, String)>,
    selected: String,
    title: String,
    summary: String,
    as_of: String,
    from: String,
    to: String,
    bars: Vec<Bar>,
    chart_height: u32,
    category: String,
}

const BAR_HEIGHT: u32 = 22;
const BAR_GAP: u32 = 8;
const LABEL_WIDTH: u32 = 120;
const PLOT_WIDTH: u32 = 360;

fn parse_date(field: &str, text: Option<&str>, default: Date) -> Result<Date, AppError> {
    match text.filter(|t| !t.is_empty()) {
        None => Ok(default),
        Some(t) => t
            .parse()
            .map_err(|_| AppError::invalid(field, "expected a date YYYY-MM-DD")),
    }
}

/// The category counts of a report as (code, count), in the report's own order.
fn series(map: &std::collections::BTreeMap<String, u32>) -> Vec<(String, u32)> {
    map.iter().map(|(k, v)| (k.clone(), *v)).collect()
}

fn bars(series: Vec<(String, u32)>) -> Vec<Bar> {
    let max = series.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
    series
        .into_iter()
        .zip(0u32..)
        .map(|((label, count), i)| {
            let y = i * (BAR_HEIGHT + BAR_GAP);
            let width = count.saturating_mul(PLOT_WIDTH) / max;
            Bar {
                label,
                count,
                y,
                width,
                text_x: LABEL_WIDTH + width + 4,
                text_y: y + BAR_HEIGHT - 6,
            }
        })
        .collect()
}

pub async fn page(
    State(state): State<AppState>,
    Extension(viewer): Extension<Viewer>,
    Query(params): Query<Params>,
    c: Chrome,
) -> Result<Response, AppError> {
    let district_id = require(&viewer)?.user.district_id;
    let today = state.clock.today();
    let selected = params
        .report
        .filter(|r| KINDS.iter().any(|(k, _)| k == r))
        .unwrap_or_else(|| "child-count".into());
    let year_ago = today.saturating_sub(jiff::Span::new().years(1));
    let as_of = parse_date("as_of", params.as_of.as_deref(), today)?;
    let from = parse_date("from", params.from.as_deref(), year_ago)?;
    let to = parse_date("to", params.to.as_deref(), today)?;
    if to < from {
        return Err(AppError::invalid("to", "expected a date on or after from"));
    }
    let which = selected.clone();
    let (total, counts, category) = db::run(&state, move |conn| {
        Ok(if which == "child-count" {
            let records = store::reports_data::child_count_records(conn, Some(district_id), as_of)?;
            let report = reports::child_count(&records, as_of);
            let mut by = report.ages_6_21.by_disability.clone();
            for (code, n) in &report.ages_3_5.by_disability {
                *by.entry(code.clone()).or_default() += n;
            }
            (
                report.ages_3_5.total + report.ages_6_21.total,
                series(&by),
                "col-disability",
            )
        } else {
            let records = store::reports_data::period_records(conn, Some(district_id), from, to)?;
            match which.as_str() {
                "exiting" => {
                    let report = reports::exiting(&records, from, to);
                    (report.total, series(&report.by_basis), "col-basis")
                }
                "discipline" => {
                    let report = reports::discipline(&records, from, to);
                    let bands = &report.by_band;
                    (
                        report.total,
                        vec![
                            ("≤1".to_owned(), bands.one_or_fewer),
                            ("2–10".to_owned(), bands.two_to_ten),
                            (">10".to_owned(), bands.more_than_ten),
                        ],
                        "col-removal-days",
                    )
                }
                _ => {
                    let report = reports::crdc_504(&records, from, to);
                    (report.total, series(&report.by_sex), "col-sex")
                }
            }
        })
    })
    .await?;
    let bars = bars(counts);
    let title_id = KINDS
        .iter()
        .find(|(k, _)| *k == selected)
        .map_or("report-child-count", |(_, id)| id);
    let period_text = if selected == "child-count" {
        c.t.with("as-of", "date", dates::long_text(as_of, c.t.lang))
    } else {
        c.t.with_args(
            "reports-period",
            &[
                ("from", &dates::long_text(from, c.t.lang)),
                ("to", &dates::long_text(to, c.t.lang)),
            ],
        )
    };
    let summary = format!(
        "{period_text} · {}",
        c.t.with("reports-total", "count", total)
    );
    Ok(ok(&ReportsPage {
        kinds: KINDS
            .iter()
            .map(|(k, id)| ((*k).to_owned(), c.t.get(id)))
            .collect(),
        title: c.t.get(title_id),
        summary,
        selected,
        as_of: as_of.to_string(),
        from: from.to_string(),
        to: to.to_string(),
        chart_height: u32::try_from(bars.len())
            .unwrap_or(0)
            .saturating_mul(BAR_HEIGHT + BAR_GAP)
            .max(BAR_HEIGHT),
        bars,
        category: c.t.get(category),
        c,
    }))
}
