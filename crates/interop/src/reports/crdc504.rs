//! The CRDC count of students served under Section 504 only: an eligible Section 504
//! association overlapping the period and no IDEA association overlapping it (a student with an
//! IEP is counted by IDEA, never twice). For a snapshot, pass the same date twice.

use super::crosstab::{Cell, CrossTab};
use super::{MISSING, Records, overlaps};
use domain::codes::Program;
use jiff::civil::Date;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Crdc504 {
    pub from: Date,
    pub to: Date,
    pub total: u32,
    pub by_sex: BTreeMap<String, u32>,
    pub by_race_ethnicity: BTreeMap<String, u32>,
    pub by_english_learner: BTreeMap<String, u32>,
    #[serde(skip)]
    rows: CrossTab,
}

/// Students served under Section 504 only during `[from, to]`.
pub fn crdc_504(records: &Records, from: Date, to: Date) -> Crdc504 {
    let index = records.index();
    let mut report = Crdc504 {
        from,
        to,
        total: 0,
        by_sex: BTreeMap::new(),
        by_race_ethnicity: BTreeMap::new(),
        by_english_learner: BTreeMap::new(),
        rows: CrossTab::default(),
    };
    let in_period = |program: Program| -> BTreeSet<&str> {
        records
            .programs
            .iter()
            .filter(|p| p.program == program && overlaps(p, from, to))
            .filter(|p| p.section504_eligibility != Some(false))
            .map(|p| p.student_unique_id.as_str())
            .collect()
    };
    let idea = in_period(Program::Idea);
    for student_id in in_period(Program::Section504).difference(&idea) {
        // A student served under 504 counts even when the demographics are not on file.
        let [race, sex, english_learner] = index
            .student(student_id)
            .map(|s| s.demographics())
            .unwrap_or_else(|| [MISSING.into(), MISSING.into(), MISSING.into()]);
        report.total += 1;
        *report.by_sex.entry(sex.clone()).or_default() += 1;
        *report.by_race_ethnicity.entry(race.clone()).or_default() += 1;
        *report
            .by_english_learner
            .entry(english_learner.clone())
            .or_default() += 1;
        report.rows.add(vec![
            Cell::from(race),
            Cell::from(sex),
            Cell::from(english_learner),
        ]);
    }
    report
}

impl Crdc504 {
    /// `race_ethnicity,sex,english_learner,count`, one row per combination with a student.
    pub fn to_csv(&self) -> String {
        self.rows
            .to_csv(&["race_ethnicity", "sex", "english_learner"])
    }
}
