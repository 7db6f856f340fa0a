//! EDFacts FS088: children with disabilities (IDEA, ages 3–21) removed for discipline in a
//! period, banded by cumulative school days removed: 1 or fewer, 2 to 10, more than 10. A removal
//! counts when the student had an IDEA association in force on its date.

use super::crosstab::{Cell, CrossTab};
use super::{MISSING, Records, zero_filled};
use crate::dates::age_on;
use domain::codes::DISABILITY_CODES;
use jiff::civil::Date;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Discipline {
    pub from: Date,
    pub to: Date,
    /// Children with at least one counted removal.
    pub total: u32,
    pub by_band: RemovalBands,
    /// Primary disability at the child's last counted removal.
    pub by_disability: BTreeMap<String, u32>,
    #[serde(skip)]
    rows: CrossTab,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct RemovalBands {
    #[serde(rename = "<=1")]
    pub one_or_fewer: u32,
    #[serde(rename = "2-10")]
    pub two_to_ten: u32,
    #[serde(rename = ">10")]
    pub more_than_ten: u32,
}

/// The band label for a child's cumulative removal days.
pub fn band(days: u64) -> &'static str {
    match days {
        0..=1 => "<=1",
        2..=10 => "2-10",
        _ => ">10",
    }
}

/// FS088 over removals dated in `[from, to]`.
pub fn discipline(records: &Records, from: Date, to: Date) -> Discipline {
    let index = records.index();
    let mut report = Discipline {
        from,
        to,
        total: 0,
        by_band: RemovalBands::default(),
        by_disability: zero_filled(&DISABILITY_CODES),
        rows: CrossTab::default(),
    };
    // Per child: cumulative days and the disability at the latest counted removal.
    let mut children: BTreeMap<&str, (u64, Date, &str)> = BTreeMap::new();
    for removal in records
        .removals
        .iter()
        .filter(|r| (from..=to).contains(&r.on))
    {
        let Some(student) = index.student(&removal.student_id) else {
            continue;
        };
        let Some(program) = index.idea_on(&student.id, removal.on) else {
            continue;
        };
        let in_age = student
            .birth_date
            .is_some_and(|b| (3..=21).contains(&age_on(b, removal.on)));
        if !in_age {
            continue;
        }
        let disability = program.primary_disability.as_deref().unwrap_or(MISSING);
        let child = children
            .entry(student.id.as_str())
            .or_insert((0, removal.on, disability));
        child.0 += u64::from(removal.school_days);
        if removal.on >= child.1 {
            child.1 = removal.on;
            child.2 = disability;
        }
    }
    for (student_id, (days, _, disability)) in children {
        let band = band(days);
        report.total += 1;
        match band {
            "<=1" => report.by_band.one_or_fewer += 1,
            "2-10" => report.by_band.two_to_ten += 1,
            _ => report.by_band.more_than_ten += 1,
        }
        *report
            .by_disability
            .entry(disability.to_string())
            .or_default() += 1;
        let [race, sex, english_learner] = index
            .student(student_id)
            .map(|s| s.demographics())
            .unwrap_or_else(|| [MISSING.into(), MISSING.into(), MISSING.into()]);
        report.rows.add(vec![
            Cell::from("FS088"),
            Cell::from(band),
            Cell::from(disability),
            Cell::from(race),
            Cell::from(sex),
            Cell::from(english_learner),
        ]);
    }
    report
}

impl Discipline {
    /// `file,removal_band,disability,race_ethnicity,sex,english_learner,count` with bands
    /// `<=1`, `2-10`, `>10`; one row per combination with at least one child.
    pub fn to_csv(&self) -> String {
        self.rows.to_csv(&[
            "file",
            "removal_band",
            "disability",
            "race_ethnicity",
            "sex",
            "english_learner",
        ])
    }
}
