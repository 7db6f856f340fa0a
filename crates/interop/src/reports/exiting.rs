//! EDFacts FS009: students aged 14–21 who exited special education in a period, by basis of
//! exit. Age is in completed years on the exit date; a student who exited more than once in the
//! period counts once, under the last exit.

use super::crosstab::{Cell, CrossTab};
use super::{Exit, MISSING, Records, zero_filled};
use crate::dates::age_on;
use domain::codes::{DISABILITY_CODES, EXIT_BASES};
use jiff::civil::Date;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Exiting {
    pub from: Date,
    pub to: Date,
    pub total: u32,
    /// Every basis of exit, zeros included.
    pub by_basis: BTreeMap<String, u32>,
    /// Primary disability at exit, every code listed.
    pub by_disability: BTreeMap<String, u32>,
    /// Ages 14 to 21 as keys `"14"` … `"21"`.
    pub by_age: BTreeMap<String, u32>,
    pub warnings: Vec<String>,
    #[serde(skip)]
    rows: CrossTab,
}

/// FS009 over `records.exits` dated in `[from, to]`.
pub fn exiting(records: &Records, from: Date, to: Date) -> Exiting {
    let index = records.index();
    let mut report = Exiting {
        from,
        to,
        total: 0,
        by_basis: zero_filled(&EXIT_BASES),
        by_disability: zero_filled(&DISABILITY_CODES),
        by_age: (14..=21).map(|a: i32| (a.to_string(), 0)).collect(),
        warnings: Vec::new(),
        rows: CrossTab::default(),
    };
    let mut last: BTreeMap<&str, &Exit> = BTreeMap::new();
    for exit in records.exits.iter().filter(|e| (from..=to).contains(&e.on)) {
        let entry = last.entry(exit.student_id.as_str()).or_insert(exit);
        if exit.on > entry.on {
            *entry = exit;
        }
    }
    for (student_id, exit) in last {
        let Some(student) = index.student(student_id) else {
            report.warnings.push(format!(
                "student {student_id}: not counted: no such student"
            ));
            continue;
        };
        let Some(birth_date) = student.birth_date else {
            report.warnings.push(format!(
                "student {student_id}: not counted: no birth date, so no age"
            ));
            continue;
        };
        let age = age_on(birth_date, exit.on);
        if !(14..=21).contains(&age) {
            continue;
        }
        if !EXIT_BASES.contains(&exit.basis.as_str()) {
            report.warnings.push(format!(
                "student {student_id}: basis {} is not a federal basis-of-exit code",
                exit.basis
            ));
        }
        let disability = exit.disability.as_deref().unwrap_or(MISSING);
        report.total += 1;
        *report.by_basis.entry(exit.basis.clone()).or_default() += 1;
        *report
            .by_disability
            .entry(disability.to_string())
            .or_default() += 1;
        *report.by_age.entry(age.to_string()).or_default() += 1;
        let [race, sex, english_learner] = student.demographics();
        report.rows.add(vec![
            Cell::from("FS009"),
            Cell::from(age),
            Cell::from(disability),
            Cell::from(exit.basis.as_str()),
            Cell::from(race),
            Cell::from(sex),
            Cell::from(english_learner),
        ]);
    }
    report
}

impl Exiting {
    /// `file,age,disability,basis_of_exit,race_ethnicity,sex,english_learner,count`, one row per
    /// combination with at least one student; unknown values are `MISSING`.
    pub fn to_csv(&self) -> String {
        self.rows.to_csv(&[
            "file",
            "age",
            "disability",
            "basis_of_exit",
            "race_ethnicity",
            "sex",
            "english_learner",
        ])
    }
}
