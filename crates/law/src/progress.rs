//! Progress-monitoring math for one IEP goal (CONTRACT.md `progress`): the aim line from
//! baseline to target, ordinary-least-squares and Theil–Sen trends over the data points, the
//! four-point and trend decision rules, and the date the trend reaches the target.

use jiff::SignedDuration;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// One goal's data as the teacher or provider records it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GoalData {
    pub baseline: Observation,
    pub target: Observation,
    pub direction: Direction,
    #[serde(default)]
    pub points: Vec<Observation>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Observation {
    pub on: Date,
    pub value: f64,
}

/// Which way is progress: words read per minute go up, problem behaviours go down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Increase,
    Decrease,
}

impl Direction {
    /// +1 when larger values are progress, −1 when smaller ones are.
    fn sign(self) -> f64 {
        match self {
            Direction::Increase => 1.0,
            Direction::Decrease => -1.0,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProgressReport {
    pub aim_slope_per_week: f64,
    pub trend: Trend,
    pub decision: Decision,
    pub rule: Option<Rule>,
    pub projected_date: Option<Date>,
    /// Endpoints for drawing the aim line: baseline to target.
    pub aim_line: Line,
    /// Endpoints for drawing the OLS trend line: from the first data point to the later of the
    /// last data point and the target date. Null when there is no trend.
    pub trend_line: Option<Line>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trend {
    /// Null with fewer than two distinct dates: no line fits.
    pub ols_slope_per_week: Option<f64>,
    pub theil_sen_slope_per_week: Option<f64>,
    pub points: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    InsufficientData,
    ChangeIntervention,
    RaiseGoal,
    Continue,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    FourPoint,
    Trend,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Line {
    pub from: Observation,
    pub to: Observation,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ProgressError {
    #[error("{path}: {message}")]
    Input { path: String, message: String },
}

/// Reads a goal file, reporting the JSON path of the first problem.
pub fn parse_goal(json: &str) -> Result<GoalData, ProgressError> {
    let mut deserializer = serde_json::Deserializer::from_str(json);
    let goal: GoalData =
        serde_path_to_error::deserialize(&mut deserializer).map_err(|e| ProgressError::Input {
            path: e.path().to_string(),
            message: e.inner().to_string(),
        })?;
    deserializer.end().map_err(|e| ProgressError::Input {
        path: ".".into(),
        message: e.to_string(),
    })?;
    if goal.target.on <= goal.baseline.on {
        return Err(ProgressError::Input {
            path: "target.on".into(),
            message: "a date after baseline.on".into(),
        });
    }
    Ok(goal)
}

/// Points closer to the aim line than this are on it: float arithmetic must not turn a point
/// a teacher plotted exactly on the line into a "below" point.
const ON_LINE_TOLERANCE: f64 = 1e-9;
/// The trend rule's band: within ±10% of the aim slope the student is on track.
const TREND_BAND: f64 = 0.10;
const FOUR_POINT_WINDOW: usize = 4;
const TREND_RULE_MIN_POINTS: usize = 8;

pub fn analyze(goal: &GoalData) -> ProgressReport {
    let aim = AimLine::of(goal);
    let mut points = goal.points.clone();
    // Stable: points on the same day keep the order they were entered in.
    points.sort_by_key(|p| p.on);
    let xy: Vec<(f64, f64)> = points
        .iter()
        .map(|p| (weeks_between(goal.baseline.on, p.on), p.value))
        .collect();
    let ols = ols_fit(&xy);
    let theil_sen = theil_sen_slope(&xy);

    let (decision, rule) = decide(goal, &aim, &xy, ols.map(|fit| fit.slope));
    let projected_date = ols.and_then(|fit| projected_date(goal, fit));
    let trend_line = ols.and_then(|fit| trend_line(goal, &points, fit));

    ProgressReport {
        aim_slope_per_week: round3(aim.slope),
        trend: Trend {
            ols_slope_per_week: ols.map(|fit| round3(fit.slope)),
            theil_sen_slope_per_week: theil_sen.map(round3),
            points: points.len(),
        },
        decision,
        rule,
        projected_date,
        aim_line: Line {
            from: rounded(goal.baseline),
            to: rounded(goal.target),
        },
        trend_line,
    }
}

struct AimLine {
    baseline: f64,
    slope: f64,
}

impl AimLine {
    fn of(goal: &GoalData) -> AimLine {
        let span = weeks_between(goal.baseline.on, goal.target.on);
        // parse_goal rejects a target on or before the baseline; a hand-built goal like that
        // gets a flat aim line rather than a division by zero.
        let slope = if span > 0.0 {
            (goal.target.value - goal.baseline.value) / span
        } else {
            0.0
        };
        AimLine {
            baseline: goal.baseline.value,
            slope,
        }
    }

    fn at(&self, weeks: f64) -> f64 {
        self.baseline + self.slope * weeks
    }
}

fn decide(
    goal: &GoalData,
    aim: &AimLine,
    xy: &[(f64, f64)],
    ols_slope: Option<f64>,
) -> (Decision, Option<Rule>) {
    if xy.len() < FOUR_POINT_WINDOW {
        return (Decision::InsufficientData, None);
    }
    let sign = goal.direction.sign();
    let recent = &xy[xy.len() - FOUR_POINT_WINDOW..];
    // Positive: on the good side of the aim line; negative: the wrong side.
    let sides: Vec<f64> = recent
        .iter()
        .map(|&(x, y)| {
            let gap = sign * (y - aim.at(x));
            let scale = 1.0_f64.max(y.abs()).max(aim.at(x).abs());
            if gap.abs() <= ON_LINE_TOLERANCE * scale {
                0.0
            } else {
                gap
            }
        })
        .collect();
    if sides.iter().all(|&s| s < 0.0) {
        return (Decision::ChangeIntervention, Some(Rule::FourPoint));
    }
    if sides.iter().all(|&s| s > 0.0) {
        return (Decision::RaiseGoal, Some(Rule::FourPoint));
    }
    match ols_slope {
        Some(slope) if xy.len() >= TREND_RULE_MIN_POINTS => {
            let band = TREND_BAND * aim.slope.abs() + ON_LINE_TOLERANCE;
            let progress = sign * slope;
            let aimed = sign * aim.slope;
            let decision = if progress > aimed + band {
                Decision::RaiseGoal
            } else if progress < aimed - band {
                Decision::ChangeIntervention
            } else {
                Decision::Continue
            };
            (decision, Some(Rule::Trend))
        }
        _ => (Decision::Continue, None),
    }
}

#[derive(Debug, Clone, Copy)]
struct Fit {
    slope: f64,
    intercept: f64,
}

impl Fit {
    fn at(&self, weeks: f64) -> f64 {
        self.intercept + self.slope * weeks
    }
}

fn ols_fit(xy: &[(f64, f64)]) -> Option<Fit> {
    if xy.len() < 2 {
        return None;
    }
    let n = xy.len() as f64;
    let mean_x = xy.iter().map(|p| p.0).sum::<f64>() / n;
    let mean_y = xy.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = xy.iter().map(|p| (p.0 - mean_x).powi(2)).sum();
    let sxy: f64 = xy.iter().map(|p| (p.0 - mean_x) * (p.1 - mean_y)).sum();
    if sxx == 0.0 {
        return None;
    }
    let slope = sxy / sxx;
    Some(Fit {
        slope,
        intercept: mean_y - slope * mean_x,
    })
}

/// The median of the slopes between every pair of points on different dates: one wild
/// probe does not swing it the way it swings least squares.
fn theil_sen_slope(xy: &[(f64, f64)]) -> Option<f64> {
    let mut slopes = Vec::new();
    for (i, a) in xy.iter().enumerate() {
        for b in &xy[i + 1..] {
            if b.0 != a.0 {
                slopes.push((b.1 - a.1) / (b.0 - a.0));
            }
        }
    }
    if slopes.is_empty() {
        return None;
    }
    slopes.sort_by(f64::total_cmp);
    let mid = slopes.len() / 2;
    Some(if slopes.len() % 2 == 1 {
        slopes[mid]
    } else {
        (slopes[mid - 1] + slopes[mid]) / 2.0
    })
}

/// Where the trend line crosses the target value, when the trend heads the goal's way.
fn projected_date(goal: &GoalData, fit: Fit) -> Option<Date> {
    if goal.direction.sign() * fit.slope <= 0.0 {
        return None;
    }
    let weeks = (goal.target.value - fit.intercept) / fit.slope;
    date_at(goal.baseline.on, weeks)
}

fn trend_line(goal: &GoalData, sorted: &[Observation], fit: Fit) -> Option<Line> {
    let first = sorted.first()?.on;
    let last = sorted.last()?.on.max(goal.target.on);
    let at = |on: Date| Observation {
        on,
        value: round3(fit.at(weeks_between(goal.baseline.on, on))),
    };
    Some(Line {
        from: at(first),
        to: at(last),
    })
}

fn weeks_between(from: Date, to: Date) -> f64 {
    days_between(from, to) as f64 / 7.0
}

pub(crate) fn days_between(from: Date, to: Date) -> i64 {
    from.duration_until(to).as_secs() / 86_400
}

/// The date `weeks` after `start`, to the nearest day; None past the calendar's range.
fn date_at(start: Date, weeks: f64) -> Option<Date> {
    let days = (weeks * 7.0).round();
    // jiff's civil dates span about ±3.65 million days; anything beyond is no date.
    if !days.is_finite() || days.abs() > 4_000_000.0 {
        return None;
    }
    start
        .checked_add(SignedDuration::from_hours(days as i64 * 24))
        .ok()
}

fn round3(value: f64) -> f64 {
    let rounded = (value * 1000.0).round() / 1000.0;
    // −0.0 prints as "-0.0"; a flat line is 0.
    if rounded == 0.0 { 0.0 } else { rounded }
}

fn rounded(observation: Observation) -> Observation {
    Observation {
        on: observation.on,
        value: round3(observation.value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn obs(on: Date, value: f64) -> Observation {
        Observation { on, value }
    }

    /// Baseline 10 on 2026-09-07 (a Monday), target 40 twenty weeks later: aim 1.5 per week.
    fn goal(direction: Direction, points: Vec<(i64, f64)>) -> GoalData {
        let start = date(2026, 9, 7);
        let (base, target) = match direction {
            Direction::Increase => (10.0, 40.0),
            Direction::Decrease => (40.0, 10.0),
        };
        GoalData {
            baseline: obs(start, base),
            target: obs(date(2027, 1, 25), target),
            direction,
            points: points
                .into_iter()
                .map(|(week, value)| {
                    obs(
                        start
                            .checked_add(SignedDuration::from_hours(week * 7 * 24))
                            .unwrap(),
                        value,
                    )
                })
                .collect(),
        }
    }

    #[test]
    fn aim_slope_is_target_gain_over_weeks() {
        let report = analyze(&goal(Direction::Increase, vec![]));
        assert_eq!(report.aim_slope_per_week, 1.5);
        assert_eq!(report.decision, Decision::InsufficientData);
        assert_eq!(report.rule, None);
        assert_eq!(report.trend.ols_slope_per_week, None);
        assert_eq!(report.projected_date, None);
    }

    #[test]
    fn three_points_are_insufficient_even_far_below_the_line() {
        let report = analyze(&goal(
            Direction::Increase,
            vec![(1, 0.0), (2, 0.0), (3, 0.0)],
        ));
        assert_eq!(report.decision, Decision::InsufficientData);
        assert_eq!(report.rule, None);
    }

    #[test]
    fn four_points_below_the_aim_line_change_the_intervention() {
        // Aim at weeks 1..4: 11.5, 13, 14.5, 16.
        let report = analyze(&goal(
            Direction::Increase,
            vec![(1, 11.0), (2, 12.0), (3, 14.0), (4, 15.0)],
        ));
        assert_eq!(report.decision, Decision::ChangeIntervention);
        assert_eq!(report.rule, Some(Rule::FourPoint));
    }

    #[test]
    fn four_points_above_the_aim_line_raise_the_goal() {
        let report = analyze(&goal(
            Direction::Increase,
            vec![(1, 12.0), (2, 14.0), (3, 15.0), (4, 17.0)],
        ));
        assert_eq!(report.decision, Decision::RaiseGoal);
        assert_eq!(report.rule, Some(Rule::FourPoint));
    }

    #[test]
    fn a_point_exactly_on_the_line_breaks_the_four_point_run() {
        // Week 3 value 14.5 is on the aim line.
        let report = analyze(&goal(
            Direction::Increase,
            vec![(1, 11.0), (2, 12.0), (3, 14.5), (4, 15.0)],
        ));
        assert_eq!(report.decision, Decision::Continue);
        assert_eq!(report.rule, None);
    }

    #[test]
    fn an_on_line_point_on_an_odd_day_still_counts_as_on_the_line() {
        // 10 days after baseline the aim is 10 + 1.5 * 10/7 = 12.142857…
        let mut g = goal(Direction::Increase, vec![(1, 20.0), (2, 20.0), (3, 20.0)]);
        g.points
            .push(obs(date(2026, 9, 17), 10.0 + 1.5 * (10.0 / 7.0)));
        g.points.sort_by_key(|p| p.on);
        assert_eq!(analyze(&g).rule, None);
    }

    #[test]
    fn only_the_four_most_recent_points_count_for_the_four_point_rule() {
        // Weeks 1-2 far above, weeks 3-6 below (aim 14.5, 16, 17.5, 19).
        let report = analyze(&goal(
            Direction::Increase,
            vec![
                (1, 30.0),
                (2, 30.0),
                (3, 14.0),
                (4, 15.0),
                (5, 17.0),
                (6, 18.0),
            ],
        ));
        assert_eq!(report.decision, Decision::ChangeIntervention);
        assert_eq!(report.rule, Some(Rule::FourPoint));
    }

    #[test]
    fn for_a_decreasing_goal_above_the_line_is_the_wrong_side() {
        // Aim: 40 − 1.5·w → 38.5, 37, 35.5, 34.
        let report = analyze(&goal(
            Direction::Decrease,
            vec![(1, 39.0), (2, 38.0), (3, 36.0), (4, 35.0)],
        ));
        assert_eq!(report.aim_slope_per_week, -1.5);
        assert_eq!(report.decision, Decision::ChangeIntervention);
    }

    #[test]
    fn trend_rule_with_eight_points_alternating_around_the_line() {
        // y = 10 + 1.5x + e with e = +1, −1, … at weeks 1..8; x − x̄ = −3.5 … 3.5.
        // Σ(x−x̄)e = −3.5+2.5−1.5+0.5+0.5−1.5+2.5−3.5 = −4; Sxx = 42
        // → slope = 1.5 − 4/42 = 1.404762, inside 1.35..1.65: continue.
        let values = [12.5, 12.0, 15.5, 15.0, 18.5, 18.0, 21.5, 21.0];
        let points = values
            .iter()
            .enumerate()
            .map(|(i, v)| (i as i64 + 1, *v))
            .collect();
        let report = analyze(&goal(Direction::Increase, points));
        assert_eq!(report.trend.ols_slope_per_week, Some(1.405));
        assert_eq!(report.decision, Decision::Continue);
        assert_eq!(report.rule, Some(Rule::Trend));
    }

    #[test]
    fn trend_rule_flat_trend_changes_the_intervention() {
        let values = [12.0, 14.0, 14.0, 16.0, 18.5, 17.0, 21.0, 18.0];
        // Aim weeks 5..8: 17.5, 19, 20.5, 22 → 18.5 above, 17 below: no four-point run.
        // x̄ = 4.5, ȳ = 16.3125; Σ(x−x̄)(y−ȳ) = Σ(x−x̄)y =
        // −3.5·12 −2.5·14 −1.5·14 −0.5·16 +0.5·18.5 +1.5·17 +2.5·21 +3.5·18
        // = −42 −35 −21 −8 +9.25 +25.5 +52.5 +63 = 44.25; Sxx = 42 → 1.053571.
        let points = values
            .iter()
            .enumerate()
            .map(|(i, v)| (i as i64 + 1, *v))
            .collect();
        let report = analyze(&goal(Direction::Increase, points));
        assert_eq!(report.trend.ols_slope_per_week, Some(1.054));
        assert_eq!(report.decision, Decision::ChangeIntervention);
        assert_eq!(report.rule, Some(Rule::Trend));
    }

    #[test]
    fn trend_rule_steep_trend_raises_the_goal() {
        // Aim weeks 1..8: 11.5, 13, …, 22. Last four: 19.5 above, 18 below → no run.
        // Σ(x−x̄)y = −38.5 −32.5 −22.5 −8.5 +9.75 +27 +60 +91 = 85.75; /42 = 2.041667 > 1.65.
        let values = [11.0, 13.0, 15.0, 17.0, 19.5, 18.0, 24.0, 26.0];
        let points = values
            .iter()
            .enumerate()
            .map(|(i, v)| (i as i64 + 1, *v))
            .collect();
        let report = analyze(&goal(Direction::Increase, points));
        assert_eq!(report.trend.ols_slope_per_week, Some(2.042));
        assert_eq!(report.decision, Decision::RaiseGoal);
        assert_eq!(report.rule, Some(Rule::Trend));
    }

    #[test]
    fn five_to_seven_points_without_a_run_continue_without_a_rule() {
        let report = analyze(&goal(
            Direction::Increase,
            vec![(1, 12.0), (2, 12.0), (3, 15.0), (4, 15.0), (5, 18.0)],
        ));
        assert_eq!(report.decision, Decision::Continue);
        assert_eq!(report.rule, None);
    }

    #[test]
    fn theil_sen_is_the_median_pairwise_slope() {
        // Points (1,1), (2,2), (3,10): slopes 1, 4.5, 8 → median 4.5.
        let xy = [(1.0, 1.0), (2.0, 2.0), (3.0, 10.0)];
        assert_eq!(theil_sen_slope(&xy), Some(4.5));
        // Four points (0,0),(1,1),(2,2),(3,0): slopes 1,1,0,1,−0.5,−2 → sorted −2,−0.5,0,1,1,1
        // → median (0+1)/2 = 0.5.
        let xy = [(0.0, 0.0), (1.0, 1.0), (2.0, 2.0), (3.0, 0.0)];
        assert_eq!(theil_sen_slope(&xy), Some(0.5));
        assert_eq!(theil_sen_slope(&[(1.0, 1.0), (1.0, 5.0)]), None);
    }

    #[test]
    fn projected_date_is_where_the_trend_meets_the_target() {
        // Perfect line y = 10 + 2w: reaches 40 at w = 15 → 105 days after 2026-09-07 =
        // 2026-12-21.
        let points = (1..=4).map(|w| (w, 10.0 + 2.0 * w as f64)).collect();
        let report = analyze(&goal(Direction::Increase, points));
        assert_eq!(report.trend.ols_slope_per_week, Some(2.0));
        assert_eq!(report.projected_date, Some(date(2026, 12, 21)));
    }

    #[test]
    fn projected_date_rounds_to_the_nearest_day() {
        // y = 10.5 + 3w reaches 40 at w = 9.8333 → 68.83 days → 69 days → 2026-11-15.
        let points = (1..=4).map(|w| (w, 10.5 + 3.0 * w as f64)).collect();
        let report = analyze(&goal(Direction::Increase, points));
        assert_eq!(report.projected_date, Some(date(2026, 11, 15)));
    }

    #[test]
    fn no_projection_when_the_trend_moves_away_from_the_target() {
        let points = (1..=4).map(|w| (w, 10.0 - w as f64)).collect();
        let report = analyze(&goal(Direction::Increase, points));
        assert_eq!(report.projected_date, None);
        let flat = (1..=4).map(|w| (w, 10.0)).collect();
        assert_eq!(
            analyze(&goal(Direction::Increase, flat)).projected_date,
            None
        );
    }

    #[test]
    fn chart_lines_span_baseline_to_target_and_first_point_onward() {
        let points = (1..=4).map(|w| (w, 10.0 + 2.0 * w as f64)).collect();
        let report = analyze(&goal(Direction::Increase, points));
        assert_eq!(report.aim_line.from, obs(date(2026, 9, 7), 10.0));
        assert_eq!(report.aim_line.to, obs(date(2027, 1, 25), 40.0));
        let trend = report.trend_line.unwrap();
        assert_eq!(trend.from, obs(date(2026, 9, 14), 12.0));
        // Target date is week 20 → 10 + 40 = 50.
        assert_eq!(trend.to, obs(date(2027, 1, 25), 50.0));
    }

    #[test]
    fn parse_reports_the_json_path() {
        let bad = r#"{"baseline": {"on": "2026-09-07", "value": "ten"}}"#;
        let err = parse_goal(bad).unwrap_err();
        let ProgressError::Input { path, .. } = err;
        assert_eq!(path, "baseline.value");
        let backwards = r#"{"baseline": {"on": "2026-09-07", "value": 1},
            "target": {"on": "2026-09-01", "value": 5}, "direction": "increase", "points": []}"#;
        assert_eq!(
            parse_goal(backwards).unwrap_err(),
            ProgressError::Input {
                path: "target.on".into(),
                message: "a date after baseline.on".into()
            }
        );
    }

    #[test]
    fn contract_output_shape() {
        let json = r#"{"baseline": {"on": "2026-09-07", "value": 10},
            "target": {"on": "2027-01-25", "value": 40}, "direction": "increase",
            "points": [{"on": "2026-09-14", "value": 12}, {"on": "2026-09-21", "value": 14},
                       {"on": "2026-09-28", "value": 16}, {"on": "2026-10-05", "value": 18}]}"#;
        let report = analyze(&parse_goal(json).unwrap());
        let out = serde_json::to_value(&report).unwrap();
        assert_eq!(out["aim_slope_per_week"], 1.5);
        assert_eq!(out["trend"]["ols_slope_per_week"], 2.0);
        assert_eq!(out["trend"]["theil_sen_slope_per_week"], 2.0);
        assert_eq!(out["trend"]["points"], 4);
        assert_eq!(out["decision"], "raise_goal");
        assert_eq!(out["rule"], "four_point");
        assert_eq!(out["projected_date"], "2026-12-21");
    }
}
