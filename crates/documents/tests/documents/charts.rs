//! Progress charts: well-formed SVG with a title and a description that states the decision,
//! the same numbers as an HTML table, every text escaped, and the report PDF.

use documents::{
    ChartLabels, Lang, progress_chart_svg, progress_report_pdf, progress_summary,
    progress_table_html,
};
use law::progress::{GoalData, analyze, parse_goal};

use crate::pdf_bytes;

/// Baseline 10 words a minute, target 40 twenty weeks later; eight weekly probes that fall
/// behind the aim line.
pub(crate) fn goal() -> GoalData {
    parse_goal(
        r#"{"baseline": {"on": "2026-09-07", "value": 10},
            "target": {"on": "2027-01-25", "value": 40},
            "direction": "increase",
            "points": [
              {"on": "2026-09-21", "value": 12}, {"on": "2026-09-14", "value": 11},
              {"on": "2026-09-28", "value": 12}, {"on": "2026-10-05", "value": 14},
              {"on": "2026-10-12", "value": 13}, {"on": "2026-10-19", "value": 15},
              {"on": "2026-10-26", "value": 15}, {"on": "2026-11-02", "value": 16}]}"#,
    )
    .expect("valid goal")
}

pub(crate) fn labels(lang: Lang) -> ChartLabels {
    ChartLabels::new(
        lang,
        "goal-1",
        "Oral reading <fluency> & accuracy",
        "Words correct per minute",
    )
}

#[test]
fn the_svg_is_well_formed_and_labelled() {
    let goal = goal();
    let report = analyze(&goal);
    let svg = progress_chart_svg(&goal, &report, &labels(Lang::En));
    let doc = roxmltree::Document::parse(&svg).expect("well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(root.attribute("role"), Some("img"));
    assert_eq!(
        root.attribute("aria-labelledby"),
        Some("goal-1-title goal-1-desc")
    );
    let by_id = |id: &str| doc.descendants().find(|n| n.attribute("id") == Some(id));
    let title = by_id("goal-1-title").expect("title");
    assert_eq!(title.tag_name().name(), "title");
    assert_eq!(title.text(), Some("Oral reading <fluency> & accuracy"));
    let desc = by_id("goal-1-desc")
        .expect("desc")
        .text()
        .unwrap_or_default();
    assert!(desc.contains("Decision: change the intervention"), "{desc}");
    assert!(desc.contains("8 data points"), "{desc}");
    let circles = doc
        .descendants()
        .filter(|n| {
            n.has_tag_name("circle")
                && n.parent().and_then(|p| p.attribute("class")) == Some("data-points")
        })
        .count();
    assert_eq!(circles, 8);
    for class in [
        "aim-line",
        "trend-line",
        "date-axis",
        "value-axis",
        "legend",
    ] {
        assert!(
            doc.descendants()
                .any(|n| n.attribute("class") == Some(class)),
            "no {class}"
        );
    }
    assert!(
        svg.contains(">Sep 7, 2026<"),
        "the first date is on the axis"
    );
}

#[test]
fn the_description_follows_the_decision_in_spanish() {
    let goal = goal();
    let report = analyze(&goal);
    let summary = progress_summary(&goal, &report, Lang::Es);
    assert!(
        summary.contains("Decisión: cambiar la intervención"),
        "{summary}"
    );
    assert!(summary.contains("7 de septiembre de 2026"), "{summary}");
    let svg = progress_chart_svg(&goal, &report, &labels(Lang::Es));
    roxmltree::Document::parse(&svg).expect("well-formed XML");
    assert!(svg.contains(r#"lang="es""#));
    assert!(svg.contains(">7 sept 2026<"), "the axis in Spanish");
}

#[test]
fn few_points_still_draw_and_say_so() {
    let mut goal = goal();
    goal.points.truncate(1);
    let report = analyze(&goal);
    let svg = progress_chart_svg(&goal, &report, &labels(Lang::En));
    let doc = roxmltree::Document::parse(&svg).expect("well-formed XML");
    assert!(
        !doc.descendants()
            .any(|n| n.attribute("class") == Some("trend-line"))
    );
    assert!(progress_summary(&goal, &report, Lang::En).contains("not enough data yet"));
}

#[test]
fn the_table_has_the_same_numbers_with_headers_and_caption() {
    let goal = goal();
    let report = analyze(&goal);
    let html = progress_table_html(&goal, &report, &labels(Lang::En));
    let doc = roxmltree::Document::parse(&html).expect("well-formed markup");
    let caption = doc
        .descendants()
        .find(|n| n.has_tag_name("caption"))
        .expect("caption");
    assert!(
        caption
            .text()
            .unwrap_or_default()
            .starts_with("Oral reading <fluency>")
    );
    let scoped = |scope: &str| {
        doc.descendants()
            .filter(|n| n.has_tag_name("th") && n.attribute("scope") == Some(scope))
            .count()
    };
    assert_eq!(scoped("col"), 4);
    assert_eq!(scoped("row"), 8 + 2, "baseline, eight points, target");
    assert!(html.contains(
        r#"<th scope="row"><time datetime="2026-09-07">Sep 7, 2026</time> (Baseline)</th><td>10</td><td>10</td>"#
    ));
    assert!(html.contains(
        r#"<th scope="row"><time datetime="2027-01-25">Jan 25, 2027</time> (Target)</th><td>40</td><td>40</td>"#
    ));
}

#[test]
fn the_progress_report_is_a_tagged_pdf() {
    let goal = goal();
    let report = analyze(&goal);
    let pdf =
        progress_report_pdf("Leo Rivera", &goal, &report, &labels(Lang::Es)).expect("renders");
    pdf_bytes::assert_tagged(&pdf, "es");
    assert!(pdf_bytes::contains(&pdf, "/TH"));
    if let Some(text) = pdf_bytes::pdftotext(&pdf, "progress") {
        assert!(text.contains("cambiar la intervención"), "{text}");
    }
}

#[test]
fn the_report_draws_each_chart_as_a_figure_whose_alt_text_is_the_decision() {
    let goal = goal();
    let report = analyze(&goal);
    let labels = labels(Lang::En);
    let figure = documents::progress_chart_figure(&goal, &report, &labels, documents::TEXT_WIDTH);
    // The alt text is the SVG chart's description, word for word.
    let svg = progress_chart_svg(&goal, &report, &labels);
    let doc = roxmltree::Document::parse(&svg).expect("well-formed SVG");
    let desc = doc
        .descendants()
        .find(|n| n.has_tag_name("desc"))
        .and_then(|n| n.text())
        .expect("a description");
    assert_eq!(figure.alt, desc);
    assert!(figure.alt.contains("Decision: change the intervention"));
    assert!(figure.width <= documents::TEXT_WIDTH);
    // Dated axis, labelled value axis, points, aim and trend lines.
    let texts: Vec<&str> = figure
        .shapes
        .iter()
        .filter_map(|s| match s {
            documents::Shape::Text { text, .. } => Some(text.as_str()),
            _ => None,
        })
        .collect();
    for label in [
        "Words correct per minute",
        "Date",
        "2026-09-07",
        "Aim line",
        "Trend line",
    ] {
        assert!(texts.contains(&label), "no `{label}` in {texts:?}");
    }
    let dots = figure
        .shapes
        .iter()
        .filter(|s| matches!(s, documents::Shape::Dot { .. }))
        .count();
    assert_eq!(
        dots,
        goal.points.len() + 1,
        "a dot per point and one in the legend"
    );
    let dashed = figure
        .shapes
        .iter()
        .filter(|s| matches!(s, documents::Shape::Line { dash: Some(_), .. }))
        .count();
    assert_eq!(dashed, 2, "the aim line and its legend sample");

    let pdf = progress_report_pdf("Leo Rivera", &goal, &report, &labels).expect("renders");
    pdf_bytes::assert_tagged(&pdf, "en");
    assert!(pdf_bytes::contains(&pdf, "/Figure"), "no Figure element");
    assert!(
        pdf_bytes::contains(&pdf, "/Alt(8 data points from September 14, 2026"),
        "the Figure's alt text is not the decision"
    );
    assert!(
        pdf_bytes::contains(&pdf, "/BBox"),
        "the Figure has no bounding box"
    );
}
