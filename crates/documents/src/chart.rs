//! One goal's progress as an accessible SVG chart (data points, aim line, least-squares trend
//! line, dated axes; `role="img"` with a title and a description that states the decision) and
//! the same numbers as an HTML table, so no reader depends on seeing the picture. The same chart
//! is drawn as a PDF figure for the progress report, with the description as its alt text.

use std::fmt::Write as _;

use jiff::civil::Date;
use law::progress::{Decision, GoalData, Line, Observation, ProgressReport, Rule};

use crate::Lang;
use crate::model::{Anchor, Figure, Rgb, Shape};

/// Text for one chart. `new` fills every label in the chart's language; fields are public so
/// a page can reword any of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChartLabels {
    pub lang: Lang,
    /// Prefix of the element ids (`{id}-title`, `{id}-desc`): unique on the page.
    pub id: String,
    /// What the goal measures, e.g. "Oral reading: words correct per minute".
    pub title: String,
    /// The unit on the value axis, e.g. "Words correct per minute".
    pub measure: String,
    pub date: String,
    pub data: String,
    pub aim: String,
    pub trend: String,
    pub baseline: String,
    pub target: String,
    pub table_caption: String,
}

impl ChartLabels {
    pub fn new(
        lang: Lang,
        id: impl Into<String>,
        title: impl Into<String>,
        measure: impl Into<String>,
    ) -> ChartLabels {
        let (date, data, aim, trend, baseline, target, caption) = match lang {
            Lang::En => (
                "Date",
                "Data point",
                "Aim line",
                "Trend line",
                "Baseline",
                "Target",
                "data points, aim line and trend line",
            ),
            Lang::Es => (
                "Fecha",
                "Dato",
                "Línea meta",
                "Línea de tendencia",
                "Punto de partida",
                "Meta",
                "datos, línea meta y línea de tendencia",
            ),
        };
        let title = title.into();
        ChartLabels {
            lang,
            id: id.into(),
            table_caption: format!("{title}: {caption}"),
            title,
            measure: measure.into(),
            date: date.into(),
            data: data.into(),
            aim: aim.into(),
            trend: trend.into(),
            baseline: baseline.into(),
            target: target.into(),
        }
    }
}

/// The decision and what it rests on, in words: the chart's `<desc>`, and a summary line for
/// a page or a progress report.
pub fn progress_summary(goal: &GoalData, report: &ProgressReport, lang: Lang) -> String {
    let mut points = goal.points.clone();
    points.sort_by_key(|p| p.on);
    let mut out = String::new();
    let long = |d: Date| lang.long_date(d);
    let b = &goal.baseline;
    let t = &goal.target;
    let aim = num(report.aim_slope_per_week);
    match (lang, points.first(), points.last()) {
        (Lang::En, Some(first), Some(last)) => {
            let _ = write!(
                out,
                "{} data points from {} to {}; the latest is {}. ",
                points.len(),
                long(first.on),
                long(last.on),
                num(last.value)
            );
        }
        (Lang::Es, Some(first), Some(last)) => {
            let _ = write!(
                out,
                "{} datos del {} al {}; el último es {}. ",
                points.len(),
                long(first.on),
                long(last.on),
                num(last.value)
            );
        }
        (Lang::En, ..) => out.push_str("No data points yet. "),
        (Lang::Es, ..) => out.push_str("Todavía no hay datos. "),
    }
    let _ = match lang {
        Lang::En => write!(
            out,
            "The aim line runs from {} on {} to {} on {}, {aim} per week. ",
            num(b.value),
            long(b.on),
            num(t.value),
            long(t.on)
        ),
        Lang::Es => write!(
            out,
            "La línea meta va de {} el {} a {} el {}: {aim} por semana. ",
            num(b.value),
            long(b.on),
            num(t.value),
            long(t.on)
        ),
    };
    if let Some(ols) = report.trend.ols_slope_per_week {
        let _ = match lang {
            Lang::En => write!(out, "The trend is {} per week. ", num(ols)),
            Lang::Es => write!(out, "La tendencia es de {} por semana. ", num(ols)),
        };
    }
    out.push_str(&decision_words(report, lang));
    if report.trend.ols_slope_per_week.is_some() {
        let _ = match (lang, report.projected_date) {
            (Lang::En, Some(d)) => write!(
                out,
                " At this trend the target would be reached on {}.",
                long(d)
            ),
            (Lang::Es, Some(d)) => write!(
                out,
                " Con esta tendencia, la meta se alcanzaría el {}.",
                long(d)
            ),
            (Lang::En, None) => write!(out, " At this trend the target would not be reached."),
            (Lang::Es, None) => write!(out, " Con esta tendencia, la meta no se alcanzaría."),
        };
    }
    out
}

fn decision_words(report: &ProgressReport, lang: Lang) -> String {
    let decision = match (lang, report.decision) {
        (Lang::En, Decision::InsufficientData) => {
            return "Decision: not enough data yet; at least 4 points are needed.".into();
        }
        (Lang::Es, Decision::InsufficientData) => {
            return "Decisión: aún no hay datos suficientes; se necesitan al menos 4 puntos."
                .into();
        }
        (Lang::En, Decision::ChangeIntervention) => "change the intervention",
        (Lang::En, Decision::RaiseGoal) => "raise the goal",
        (Lang::En, Decision::Continue) => "continue the current intervention",
        (Lang::Es, Decision::ChangeIntervention) => "cambiar la intervención",
        (Lang::Es, Decision::RaiseGoal) => "subir la meta",
        (Lang::Es, Decision::Continue) => "continuar con la intervención actual",
    };
    let rule = match (lang, report.rule) {
        (Lang::En, Some(Rule::FourPoint)) => {
            "four-point rule: the 4 most recent points are all on one side of the aim line"
        }
        (Lang::En, Some(Rule::Trend)) => "trend rule: the trend's slope compared with the aim's",
        (Lang::En, None) => "fewer than 8 points, too few for the trend rule",
        (Lang::Es, Some(Rule::FourPoint)) => {
            "regla de los cuatro puntos: los 4 puntos más recientes están del mismo lado de la \
             línea meta"
        }
        (Lang::Es, Some(Rule::Trend)) => {
            "regla de la tendencia: se compara su pendiente con la de la línea meta"
        }
        (Lang::Es, None) => "menos de 8 puntos, pocos para la regla de la tendencia",
    };
    match lang {
        Lang::En => format!("Decision: {decision} ({rule})."),
        Lang::Es => format!("Decisión: {decision} ({rule})."),
    }
}

// Chart geometry in SVG user units; the viewBox lets the page scale it.
const W: f64 = 640.0;
const H: f64 = 380.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 40.0;
const TOP: f64 = 20.0;
const BOTTOM: f64 = 84.0;
// Colours pass WCAG contrast on white; line style (dashed / solid) and marker shape carry the
// meaning too, so nothing depends on colour alone.
const INK: &str = "#1b1b1b";
const GRID: &str = "#dfe1e2";
const POINT: &str = "#1a4480";
const TREND: &str = "#b50909";

/// Dates and values onto a plot rectangle (left, top, right, bottom; y grows downwards).
struct Scale {
    start: Date,
    days: f64,
    low: f64,
    high: f64,
    plot: [f64; 4],
}

impl Scale {
    fn x(&self, on: Date) -> f64 {
        let [left, _, right, _] = self.plot;
        left + (right - left) * days_between(self.start, on) as f64 / self.days
    }

    fn y(&self, value: f64) -> f64 {
        let [_, top, _, bottom] = self.plot;
        top + (bottom - top) * (1.0 - (value - self.low) / (self.high - self.low))
    }
}

/// The chart as a standalone `<svg>` element, ready to inline in a page.
pub fn progress_chart_svg(
    goal: &GoalData,
    report: &ProgressReport,
    labels: &ChartLabels,
) -> String {
    let mut points = goal.points.clone();
    points.sort_by_key(|p| p.on);
    let scale = scale(goal, report, &points, [LEFT, TOP, W - RIGHT, H - BOTTOM]);
    let id = escape(&labels.id);
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" width="{W}" height="{H}" role="img" aria-labelledby="{id}-title {id}-desc" lang="{lang}" font-family="Liberation Sans, Arial, Helvetica, sans-serif" font-size="12">"#,
        lang = labels.lang.code()
    );
    let _ = write!(
        svg,
        r#"<title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
        escape(&labels.title),
        escape(&progress_summary(goal, report, labels.lang))
    );

    // Value grid and labels.
    svg.push_str(r#"<g class="value-axis">"#);
    for tick in ticks(scale.low, scale.high) {
        let y = scale.y(tick);
        let _ = write!(
            svg,
            r#"<line x1="{LEFT}" x2="{x2}" y1="{y:.1}" y2="{y:.1}" stroke="{GRID}"/><text x="{lx}" y="{ty:.1}" text-anchor="end" fill="{INK}">{}</text>"#,
            num(tick),
            x2 = W - RIGHT,
            lx = LEFT - 6.0,
            ty = y + 4.0
        );
    }
    let mid = TOP + (H - TOP - BOTTOM) / 2.0;
    let _ = write!(
        svg,
        r#"<text transform="translate(16 {mid:.1}) rotate(-90)" text-anchor="middle" fill="{INK}">{}</text></g>"#,
        escape(&labels.measure)
    );

    // Date axis: evenly spaced dates in the page's language, short so five fit.
    let axis_y = H - BOTTOM;
    let _ = write!(
        svg,
        r#"<g class="date-axis"><line x1="{LEFT}" x2="{x2}" y1="{axis_y}" y2="{axis_y}" stroke="{INK}"/>"#,
        x2 = W - RIGHT
    );
    for on in date_ticks(&scale) {
        let x = scale.x(on);
        let _ = write!(
            svg,
            r#"<line x1="{x:.1}" x2="{x:.1}" y1="{axis_y}" y2="{ty}" stroke="{INK}"/><text x="{x:.1}" y="{ly}" text-anchor="middle" fill="{INK}">{}</text>"#,
            labels.lang.short_date(on),
            ty = axis_y + 5.0,
            ly = axis_y + 18.0
        );
    }
    let _ = write!(
        svg,
        r#"<text x="{cx}" y="{ly}" text-anchor="middle" fill="{INK}">{}</text></g>"#,
        escape(&labels.date),
        cx = LEFT + (W - LEFT - RIGHT) / 2.0,
        ly = axis_y + 36.0
    );

    // Aim line (dashed), trend line (solid), then the points on top.
    line(&mut svg, &scale, &report.aim_line, INK, "6 4", "aim-line");
    if let Some(trend) = &report.trend_line {
        line(&mut svg, &scale, trend, TREND, "", "trend-line");
    }
    let (tx, ty) = (scale.x(goal.target.on), scale.y(goal.target.value));
    let _ = write!(
        svg,
        r#"<path class="target" d="M{:.1} {:.1} l6 6 l-6 6 l-6 -6 z" fill="{INK}"><title>{}: {} ({})</title></path>"#,
        tx,
        ty - 6.0,
        escape(&labels.target),
        num(goal.target.value),
        labels.lang.short_date(goal.target.on)
    );
    svg.push_str(r#"<g class="data-points">"#);
    for p in &points {
        let _ = write!(
            svg,
            r#"<circle cx="{:.1}" cy="{:.1}" r="4" fill="{POINT}"><title>{}: {}</title></circle>"#,
            scale.x(p.on),
            scale.y(p.value),
            labels.lang.short_date(p.on),
            num(p.value)
        );
    }
    svg.push_str("</g>");

    legend(&mut svg, labels, report.trend_line.is_some());
    svg.push_str("</svg>");
    svg
}

// The PDF figure, in points: the text width of a report page, about a third of its height.
const FIG_H: f64 = 250.0;
const FIG_LEFT: f64 = 44.0;
const FIG_RIGHT: f64 = 14.0;
const FIG_TOP: f64 = 24.0;
const FIG_BOTTOM: f64 = 64.0;

fn rgb(hex: &str) -> Rgb {
    let byte = |i: usize| u8::from_str_radix(hex.get(i..i + 2).unwrap_or("00"), 16).unwrap_or(0);
    Rgb(byte(1), byte(3), byte(5))
}

fn pt(x: f64, y: f64) -> (f32, f32) {
    (x as f32, y as f32)
}

/// The chart as a PDF figure `width` points wide: the same axes, lines, points and legend as
/// the SVG, and the SVG's description (the decision in words) as its alt text.
pub fn progress_chart_figure(
    goal: &GoalData,
    report: &ProgressReport,
    labels: &ChartLabels,
    width: f32,
) -> Figure {
    let w = f64::from(width);
    let mut points = goal.points.clone();
    points.sort_by_key(|p| p.on);
    let plot = [FIG_LEFT, FIG_TOP, w - FIG_RIGHT, FIG_H - FIG_BOTTOM];
    let scale = scale(goal, report, &points, plot);
    let (ink, grid) = (rgb(INK), rgb(GRID));
    let text = |x: f64, y: f64, text: String, size: f32, anchor: Anchor| Shape::Text {
        at: pt(x, y),
        text,
        size,
        anchor,
        colour: ink,
    };
    let segment = |from: (f64, f64), to: (f64, f64), width: f32, colour: Rgb| Shape::Line {
        from: pt(from.0, from.1),
        to: pt(to.0, to.1),
        width,
        colour,
        dash: None,
    };
    let mut shapes = Vec::new();
    // The value axis: its label above it, a grid line and a label at each tick.
    shapes.push(text(0.0, 10.0, labels.measure.clone(), 9.0, Anchor::Start));
    for tick in ticks(scale.low, scale.high) {
        let y = scale.y(tick);
        shapes.push(segment((plot[0], y), (plot[2], y), 0.5, grid));
        shapes.push(text(plot[0] - 5.0, y + 3.0, num(tick), 8.0, Anchor::End));
    }
    // The date axis: ISO dates, so they read the same in both languages.
    let axis = plot[3];
    shapes.push(segment((plot[0], axis), (plot[2], axis), 0.8, ink));
    for on in date_ticks(&scale) {
        let x = scale.x(on);
        shapes.push(segment((x, axis), (x, axis + 4.0), 0.8, ink));
        shapes.push(text(x, axis + 14.0, on.to_string(), 8.0, Anchor::Middle));
    }
    shapes.push(text(
        (plot[0] + plot[2]) / 2.0,
        axis + 28.0,
        labels.date.clone(),
        9.0,
        Anchor::Middle,
    ));
    // Aim line dashed, trend line solid, target and points on top.
    let line_shape = |line: &Line, colour: Rgb, dash: Option<(f32, f32)>| Shape::Line {
        from: pt(scale.x(line.from.on), scale.y(line.from.value)),
        to: pt(scale.x(line.to.on), scale.y(line.to.value)),
        width: 1.5,
        colour,
        dash,
    };
    shapes.push(line_shape(&report.aim_line, ink, Some((5.0, 3.0))));
    if let Some(trend) = &report.trend_line {
        shapes.push(line_shape(trend, rgb(TREND), None));
    }
    let (tx, ty) = (scale.x(goal.target.on), scale.y(goal.target.value));
    shapes.push(Shape::Polygon {
        points: vec![
            pt(tx, ty - 5.0),
            pt(tx + 5.0, ty),
            pt(tx, ty + 5.0),
            pt(tx - 5.0, ty),
        ],
        colour: ink,
    });
    for p in &points {
        shapes.push(Shape::Dot {
            at: pt(scale.x(p.on), scale.y(p.value)),
            radius: 3.0,
            colour: rgb(POINT),
        });
    }
    // The legend along the foot.
    let y = FIG_H - 6.0;
    let mut x = plot[0];
    shapes.push(Shape::Dot {
        at: pt(x + 4.0, y - 3.0),
        radius: 3.0,
        colour: rgb(POINT),
    });
    shapes.push(text(x + 12.0, y, labels.data.clone(), 9.0, Anchor::Start));
    x += 120.0;
    shapes.push(Shape::Line {
        from: pt(x, y - 3.0),
        to: pt(x + 22.0, y - 3.0),
        width: 1.5,
        colour: ink,
        dash: Some((5.0, 3.0)),
    });
    shapes.push(text(x + 27.0, y, labels.aim.clone(), 9.0, Anchor::Start));
    if report.trend_line.is_some() {
        x += 130.0;
        shapes.push(segment((x, y - 3.0), (x + 22.0, y - 3.0), 1.5, rgb(TREND)));
        shapes.push(text(x + 27.0, y, labels.trend.clone(), 9.0, Anchor::Start));
    }
    Figure {
        alt: progress_summary(goal, report, labels.lang),
        width,
        height: FIG_H as f32,
        shapes,
    }
}

fn line(svg: &mut String, scale: &Scale, line: &Line, colour: &str, dash: &str, class: &str) {
    let dash = if dash.is_empty() {
        String::new()
    } else {
        format!(r#" stroke-dasharray="{dash}""#)
    };
    let _ = write!(
        svg,
        r#"<line class="{class}" x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="{colour}" stroke-width="2"{dash}/>"#,
        scale.x(line.from.on),
        scale.y(line.from.value),
        scale.x(line.to.on),
        scale.y(line.to.value)
    );
}

fn legend(svg: &mut String, labels: &ChartLabels, with_trend: bool) {
    let y = H - 14.0;
    let mut x = LEFT;
    svg.push_str(r#"<g class="legend">"#);
    let _ = write!(
        svg,
        r#"<circle cx="{cx}" cy="{cy}" r="4" fill="{POINT}"/><text x="{tx}" y="{y}" fill="{INK}">{}</text>"#,
        escape(&labels.data),
        cx = x + 6.0,
        cy = y - 4.0,
        tx = x + 16.0
    );
    x += 130.0;
    let _ = write!(
        svg,
        r#"<line x1="{x}" x2="{x2}" y1="{ly}" y2="{ly}" stroke="{INK}" stroke-width="2" stroke-dasharray="6 4"/><text x="{tx}" y="{y}" fill="{INK}">{}</text>"#,
        escape(&labels.aim),
        x2 = x + 28.0,
        ly = y - 4.0,
        tx = x + 34.0
    );
    if with_trend {
        x += 150.0;
        let _ = write!(
            svg,
            r#"<line x1="{x}" x2="{x2}" y1="{ly}" y2="{ly}" stroke="{TREND}" stroke-width="2"/><text x="{tx}" y="{y}" fill="{INK}">{}</text>"#,
            escape(&labels.trend),
            x2 = x + 28.0,
            ly = y - 4.0,
            tx = x + 34.0
        );
    }
    svg.push_str("</g>");
}

/// The chart's numbers as an HTML table: baseline, each data point, target, with the aim and
/// trend lines' values on the same dates.
pub fn progress_table_html(
    goal: &GoalData,
    report: &ProgressReport,
    labels: &ChartLabels,
) -> String {
    let mut html = String::new();
    let _ = write!(
        html,
        r#"<table class="progress-data" lang="{}"><caption>{}</caption><thead><tr>"#,
        labels.lang.code(),
        escape(&labels.table_caption)
    );
    for header in [&labels.date, &labels.measure, &labels.aim, &labels.trend] {
        let _ = write!(html, r#"<th scope="col">{}</th>"#, escape(header));
    }
    html.push_str("</tr></thead><tbody>");
    for (what, row) in table_rows(goal, labels) {
        let aim = value_on(&report.aim_line, row.on);
        let trend = report
            .trend_line
            .as_ref()
            .map_or_else(|| "—".to_string(), |t| num(value_on(t, row.on)));
        let label = what
            .map(|w| format!(" ({})", escape(w)))
            .unwrap_or_default();
        let _ = write!(
            html,
            r#"<tr><th scope="row"><time datetime="{}">{}</time>{label}</th><td>{}</td><td>{}</td><td>{}</td></tr>"#,
            row.on,
            labels.lang.short_date(row.on),
            num(row.value),
            num(aim),
            trend
        );
    }
    html.push_str("</tbody></table>");
    html
}

/// Rows in date order: the baseline first, the target last, data points between.
pub(crate) fn table_rows<'a>(
    goal: &GoalData,
    labels: &'a ChartLabels,
) -> Vec<(Option<&'a str>, Observation)> {
    let mut points = goal.points.clone();
    points.sort_by_key(|p| p.on);
    let mut rows = vec![(Some(labels.baseline.as_str()), goal.baseline)];
    rows.extend(points.into_iter().map(|p| (None, p)));
    rows.push((Some(labels.target.as_str()), goal.target));
    rows
}

/// A line's value on a date, extended past its ends where needed.
pub(crate) fn value_on(line: &Line, on: Date) -> f64 {
    let span = days_between(line.from.on, line.to.on);
    if span == 0 {
        return line.from.value;
    }
    let t = days_between(line.from.on, on) as f64 / span as f64;
    line.from.value + t * (line.to.value - line.from.value)
}

fn scale(
    goal: &GoalData,
    report: &ProgressReport,
    points: &[Observation],
    plot: [f64; 4],
) -> Scale {
    let mut dates = vec![goal.baseline.on, goal.target.on];
    let mut values = vec![goal.baseline.value, goal.target.value];
    for p in points {
        dates.push(p.on);
        values.push(p.value);
    }
    if let Some(t) = &report.trend_line {
        dates.extend([t.from.on, t.to.on]);
        values.extend([t.from.value, t.to.value]);
    }
    let values: Vec<f64> = values.into_iter().filter(|v| v.is_finite()).collect();
    let start = dates.iter().copied().min().unwrap_or(goal.baseline.on);
    let end = dates.iter().copied().max().unwrap_or(goal.target.on);
    let mut low = values.iter().copied().fold(f64::INFINITY, f64::min);
    let mut high = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if !low.is_finite() || !high.is_finite() {
        (low, high) = (0.0, 1.0);
    }
    if high - low < 1e-9 {
        (low, high) = (low - 1.0, high + 1.0);
    }
    let step = nice_step((high - low) / 5.0);
    Scale {
        start,
        days: days_between(start, end).max(1) as f64,
        low: (low / step).floor() * step,
        high: (high / step).ceil() * step,
        plot,
    }
}

/// 1, 2 or 5 times a power of ten: tick values people read at a glance.
fn nice_step(rough: f64) -> f64 {
    let power = 10f64.powf(rough.log10().floor());
    let fraction = rough / power;
    let nice = if fraction <= 1.0 {
        1.0
    } else if fraction <= 2.0 {
        2.0
    } else if fraction <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * power
}

fn ticks(low: f64, high: f64) -> Vec<f64> {
    let step = nice_step((high - low) / 5.0);
    let first = (low / step).ceil() as i64;
    let last = (high / step).floor() as i64;
    (first..=last).map(|i| i as f64 * step).collect()
}

fn date_ticks(scale: &Scale) -> Vec<Date> {
    const TICKS: i64 = 4;
    let days = scale.days as i64;
    (0..=TICKS)
        .filter_map(|i| {
            let offset = days * i / TICKS;
            scale.start.checked_add(jiff::Span::new().days(offset)).ok()
        })
        .collect()
}

fn days_between(from: Date, to: Date) -> i64 {
    from.duration_until(to).as_secs() / 86_400
}

/// Up to two decimals, no trailing zeros: 12, 12.5, 12.33.
pub(crate) fn num(value: f64) -> String {
    let rounded = (value * 100.0).round() / 100.0;
    let rounded = if rounded == 0.0 { 0.0 } else { rounded };
    let text = format!("{rounded:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Text for XML and HTML content and attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // XML 1.0 forbids most control characters even escaped.
            c if c.is_control() && !matches!(c, '\n' | '\t') => out.push(' '),
            c => out.push(c),
        }
    }
    out
}
