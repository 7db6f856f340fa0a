//! Indicator 11, filing windows, district policy and explanations, on small hand-computed cases.

use law::{Calendar, DistrictPolicy, obligations, parse_case, profile};

fn case(jurisdiction: &str, events: &str) -> domain::case::Case {
    parse_case(&format!(
        r#"{{"jurisdiction":"{jurisdiction}","student":{{"birth_date":"2015-01-01"}},
        "calendar":{{"school_years":[{{"first_day":"2026-08-17","last_day":"2027-05-28",
          "closed":[{{"from":"2026-11-23","to":"2026-11-27","label":"Thanksgiving break"}}]}}]}},
        "events":[{events}]}}"#
    ))
    .unwrap()
}

#[test]
fn indicator11_counts_ended_timelines_in_the_period() {
    // On time (due 2026-11-07, done 11-05); late (due 11-07, done 11-17: 10 days);
    // overdue (consent 2026-10-01 → due 11-30, nothing by 12-15: 15 days);
    // pending (consent 2026-11-20 → due 2027-01-19); outside the period (consent 2026-07-01).
    let on_time = case(
        "US",
        r#"{"id":"c","kind":"consent_received","on":"2026-09-08","for":"initial_evaluation"},
        {"id":"d","kind":"eligibility_determined","on":"2026-11-05","evaluation":"initial","eligible":true}"#,
    );
    let late = case(
        "US",
        r#"{"id":"c","kind":"consent_received","on":"2026-09-08","for":"initial_evaluation"},
        {"id":"d","kind":"eligibility_determined","on":"2026-11-17","evaluation":"initial","eligible":false}"#,
    );
    let overdue = case(
        "US",
        r#"{"id":"c","kind":"consent_received","on":"2026-10-01","for":"initial_evaluation"}"#,
    );
    let pending = case(
        "US",
        r#"{"id":"c","kind":"consent_received","on":"2026-11-20","for":"initial_evaluation"}"#,
    );
    let outside = case(
        "US",
        r#"{"id":"c","kind":"consent_received","on":"2026-07-01","for":"initial_evaluation"}"#,
    );
    let cases = [
        ("a", &on_time),
        ("b", &late),
        ("c", &overdue),
        ("d", &pending),
        ("e", &outside),
    ];
    let r = law::indicator11(
        cases.iter().map(|(id, c)| (*id, *c)),
        "2026-08-01".parse().unwrap(),
        "2026-12-31".parse().unwrap(),
        "2026-12-15".parse().unwrap(),
    )
    .unwrap();
    assert_eq!(
        (r.counted, r.timely, r.late, r.overdue, r.pending),
        (3, 1, 1, 1, 1)
    );
    assert_eq!(r.percent_timely, Some(33.3));
    let late_days: Vec<(&str, i32)> = r
        .late_cases
        .iter()
        .map(|l| (l.case_id.as_str(), l.days_late))
        .collect();
    assert_eq!(late_days, [("b", 10), ("c", 15)]);
}

#[test]
fn a_written_refusal_opens_filing_windows() {
    let c = case(
        "US",
        r#"{"id":"n1","kind":"prior_written_notice_sent","on":"2026-10-01","action":"refuse","subject":"evaluation"}"#,
    );
    let p = profile("US").unwrap();
    let windows = law::filing_windows(
        &c,
        p,
        &Calendar::new(&c.calendar),
        "2027-05-01".parse().unwrap(),
    );
    let got: Vec<(&str, String, bool)> = windows
        .iter()
        .map(|w| (w.kind.as_str(), w.last_day.to_string(), w.open))
        .collect();
    // 2026-10-01 + 2 years; + 1 year; + 180 days (Oct 30, Nov 30, Dec 31, Jan 31, Feb 28, Mar 30 → 2027-03-30).
    assert_eq!(
        got,
        [
            ("due_process_complaint", "2028-10-01".to_string(), true),
            ("state_complaint", "2027-10-01".to_string(), true),
            ("ocr_complaint", "2027-03-30".to_string(), false),
        ]
    );
}

#[test]
fn section_504_intervals_exist_only_under_a_district_policy() {
    let c = case(
        "US",
        r#"{"id":"p1","kind":"plan504_meeting_held","on":"2026-09-10","purpose":"initial"},
        {"id":"p2","kind":"plan504_meeting_held","on":"2027-09-01","purpose":"review"}"#,
    );
    let p = profile("US").unwrap();
    let cal = Calendar::new(&c.calendar);
    let as_of = "2027-10-01".parse().unwrap();
    assert!(obligations(&c, p, &cal, as_of).is_empty());
    let policy: DistrictPolicy = serde_json::from_str(r#"{"plan504_review":{"years":1},"plan504_reevaluation":{"years":3},"source":"Springfield USD Board Policy 6164.6"}"#).unwrap();
    let with = p.with_policy(&policy).unwrap();
    let got: Vec<(String, String, String)> = obligations(&c, &with, &cal, as_of)
        .into_iter()
        .map(|o| (o.kind, o.due.to_string(), o.status.as_str().to_string()))
        .collect();
    assert_eq!(
        got,
        [
            (
                "plan504_review".to_string(),
                "2027-09-10".to_string(),
                "met".to_string()
            ),
            (
                "plan504_review".to_string(),
                "2028-09-01".to_string(),
                "open".to_string()
            ),
            (
                "plan504_reevaluation".to_string(),
                "2029-09-10".to_string(),
                "open".to_string()
            ),
        ]
    );
}

#[test]
fn a_504_meeting_that_finds_the_student_not_eligible_starts_no_clock() {
    let policy: DistrictPolicy = serde_json::from_str(
        r#"{"plan504_review":{"years":1},"plan504_reevaluation":{"years":3}}"#,
    )
    .unwrap();
    let with = profile("US").unwrap().with_policy(&policy).unwrap();
    let as_of = "2029-10-01".parse().unwrap();
    // Found not eligible at the initial evaluation: no plan, so nothing to review.
    let refused = case(
        "US",
        r#"{"id":"p1","kind":"plan504_meeting_held","on":"2026-09-10","purpose":"initial","eligible":false}"#,
    );
    let cal = Calendar::new(&refused.calendar);
    assert!(obligations(&refused, &with, &cal, as_of).is_empty());
    // Eligible, then found no longer eligible at a reevaluation: that meeting satisfies the
    // clocks the plan started and starts none of its own.
    let exited = case(
        "US",
        r#"{"id":"p1","kind":"plan504_meeting_held","on":"2026-09-10","purpose":"initial"},
        {"id":"p2","kind":"plan504_meeting_held","on":"2027-09-01","purpose":"reevaluation","eligible":false}"#,
    );
    let got: Vec<(String, String, String)> = obligations(&exited, &with, &cal, as_of)
        .into_iter()
        .map(|o| (o.kind, o.due.to_string(), o.status.as_str().to_string()))
        .collect();
    assert_eq!(
        got,
        [
            ("plan504_review".into(), "2027-09-10".into(), "met".into()),
            (
                "plan504_reevaluation".into(),
                "2029-09-10".into(),
                "met".into()
            ),
        ]
    );
}

#[test]
fn school_day_explanations_name_the_closures_skipped() {
    let c = case(
        "US-TX",
        r#"{"id":"c1","kind":"consent_received","on":"2026-10-01","for":"initial_evaluation"}"#,
    );
    let p = profile("US-TX").unwrap();
    let o = &obligations(
        &c,
        p,
        &Calendar::new(&c.calendar),
        "2026-10-02".parse().unwrap(),
    )[0];
    assert_eq!(o.explanation[0], "consent received 2026-10-01");
    assert_eq!(
        o.explanation[1],
        "45 school days after 2026-10-01: counted 2026-10-02 … 2026-12-10"
    );
    assert_eq!(
        o.explanation[2],
        "closure skipped: Thanksgiving break 2026-11-23–2026-11-27"
    );
    assert_eq!(o.citation, "Tex. Educ. Code 29.004");
}

#[test]
fn past_the_calendar_the_date_is_marked_an_estimate() {
    let c = case(
        "US-IL",
        r#"{"id":"c1","kind":"consent_received","on":"2027-05-03","for":"initial_evaluation"}"#,
    );
    let p = profile("US-IL").unwrap();
    let o = &obligations(
        &c,
        p,
        &Calendar::new(&c.calendar),
        "2027-05-04".parse().unwrap(),
    )[0];
    assert!(
        o.explanation.iter().any(|l| l.contains("estimate")),
        "{:#?}",
        o.explanation
    );
}

#[test]
fn absurd_counts_in_a_case_file_do_not_panic_or_hang() {
    let c = case(
        "US-TX",
        r#"{"id":"c1","kind":"consent_received","on":"2026-10-01","for":"initial_evaluation"},
        {"id":"a1","kind":"absences_recorded","on":"2026-10-02","school_days":4294967295},
        {"id":"a2","kind":"absences_recorded","on":"2026-10-03","school_days":4294967295},
        {"id":"x1","kind":"disciplinary_removal","on":"2026-10-05","school_days":4294967295,"removal":"expulsion"}"#,
    );
    let p = profile("US-TX").unwrap();
    let obs = obligations(
        &c,
        p,
        &Calendar::new(&c.calendar),
        "2026-12-01".parse().unwrap(),
    );
    assert!(obs.iter().any(|o| o.kind == "initial_evaluation"));
    assert!(obs.iter().any(|o| o.kind == "services_during_removal"));
}
