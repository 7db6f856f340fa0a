//! The IDEA Section 618 child count on one date, in CONTRACT.md's JSON shape and as EDFacts
//! FS002 (school age) / FS089 (early childhood) rows. Age is in completed years on the date; a
//! student counts once, under the primary disability of the IDEA association in force that day.

use super::crosstab::{Cell, CrossTab};
use super::{MISSING, Records, zero_filled};
use crate::dates::age_on;
use domain::codes::{DISABILITY_CODES, EARLY_CHILDHOOD_ENVIRONMENTS, SCHOOL_AGE_ENVIRONMENTS};
use jiff::civil::Date;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChildCount {
    pub as_of: Date,
    pub ages_3_5: EarlyChildhoodCount,
    pub ages_6_21: SchoolAgeCount,
    /// Records that could not be counted or were counted with a doubtful code, one sentence each.
    pub warnings: Vec<String>,
    #[serde(skip)]
    rows: CrossTab,
}

/// Ages 3–5. Every disability and early-childhood environment is listed, zeros included; a
/// 5-year-old in kindergarten is reported in a school-age environment, which then appears too.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EarlyChildhoodCount {
    pub total: u32,
    pub by_disability: BTreeMap<String, u32>,
    pub by_environment: BTreeMap<String, u32>,
}

/// Ages 6–21, every disability and school-age environment listed, zeros included.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SchoolAgeCount {
    pub total: u32,
    pub by_disability: BTreeMap<String, u32>,
    pub by_environment: BTreeMap<String, u32>,
    pub by_disability_environment: BTreeMap<String, BTreeMap<String, u32>>,
    pub by_age_band: AgeBands,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct AgeBands {
    #[serde(rename = "6-11")]
    pub ages_6_11: u32,
    #[serde(rename = "12-17")]
    pub ages_12_17: u32,
    #[serde(rename = "18-21")]
    pub ages_18_21: u32,
}

fn bump(map: &mut BTreeMap<String, u32>, key: &str) {
    *map.entry(key.to_string()).or_default() += 1;
}

/// The child count on `as_of` (a day the state chooses between 1 October and 1 December).
pub fn child_count(records: &Records, as_of: Date) -> ChildCount {
    let environments_by_disability = DISABILITY_CODES
        .iter()
        .map(|d| (d.to_string(), zero_filled(&SCHOOL_AGE_ENVIRONMENTS)))
        .collect();
    let index = records.index();
    let mut count = ChildCount {
        as_of,
        ages_3_5: EarlyChildhoodCount {
            total: 0,
            by_disability: zero_filled(&DISABILITY_CODES),
            by_environment: zero_filled(&EARLY_CHILDHOOD_ENVIRONMENTS),
        },
        ages_6_21: SchoolAgeCount {
            total: 0,
            by_disability: zero_filled(&DISABILITY_CODES),
            by_environment: zero_filled(&SCHOOL_AGE_ENVIRONMENTS),
            by_disability_environment: environments_by_disability,
            by_age_band: AgeBands::default(),
        },
        warnings: Vec::new(),
        rows: CrossTab::default(),
    };
    let mut students: Vec<_> = records.students.iter().collect();
    students.sort_by(|a, b| a.id.cmp(&b.id));
    for student in students {
        let Some(program) = index.idea_on(&student.id, as_of) else {
            continue;
        };
        let Some(birth_date) = student.birth_date else {
            count.warnings.push(format!(
                "student {}: not counted: no birth date, so no age",
                student.id
            ));
            continue;
        };
        let age = age_on(birth_date, as_of);
        if !(3..=21).contains(&age) {
            count.warnings.push(format!(
                "student {}: not counted: age {age} is outside 3–21",
                student.id
            ));
            continue;
        }
        let disability = program.primary_disability.as_deref().unwrap_or(MISSING);
        if disability == MISSING {
            count
                .warnings
                .push(format!("student {}: no primary disability", student.id));
        }
        let kindergarten = age == 5 && student.in_kindergarten();
        let school_age = age >= 6 || kindergarten;
        let (valid, set_name): (&[&str], _) = if school_age {
            (&SCHOOL_AGE_ENVIRONMENTS, "a school-age")
        } else {
            (&EARLY_CHILDHOOD_ENVIRONMENTS, "an early-childhood")
        };
        let environment = program.environment.as_deref().unwrap_or(MISSING);
        if !valid.contains(&environment) {
            count.warnings.push(format!(
                "student {}: environment {environment} is not {set_name} environment (age {age}{})",
                student.id,
                if kindergarten { ", kindergarten" } else { "" }
            ));
        }
        if age >= 6 {
            let group = &mut count.ages_6_21;
            group.total += 1;
            bump(&mut group.by_disability, disability);
            bump(&mut group.by_environment, environment);
            bump(
                group
                    .by_disability_environment
                    .entry(disability.to_string())
                    .or_default(),
                environment,
            );
            match age {
                6..=11 => group.by_age_band.ages_6_11 += 1,
                12..=17 => group.by_age_band.ages_12_17 += 1,
                _ => group.by_age_band.ages_18_21 += 1,
            }
        } else {
            let group = &mut count.ages_3_5;
            group.total += 1;
            bump(&mut group.by_disability, disability);
            bump(&mut group.by_environment, environment);
        }
        // Since SY 2020-21 EDFacts reports 5-year-olds in kindergarten in FS002.
        let file = if school_age { "FS002" } else { "FS089" };
        let [race, sex, english_learner] = student.demographics();
        count.rows.add(vec![
            Cell::from(file),
            Cell::from(age),
            Cell::from(disability),
            Cell::from(environment),
            Cell::from(race),
            Cell::from(sex),
            Cell::from(english_learner),
        ]);
    }
    count
}

impl ChildCount {
    /// One row per combination with at least one child:
    /// `file,age,disability,environment,race_ethnicity,sex,english_learner,count`, where `file`
    /// is FS089 (ages 3–5 not in kindergarten) or FS002 (ages 6–21 and 5 in kindergarten), `age`
    /// is in completed years, and unknown values are `MISSING`. Summing over columns gives any
    /// EDFacts category set or subtotal.
    pub fn to_csv(&self) -> String {
        self.rows.to_csv(&[
            "file",
            "age",
            "disability",
            "environment",
            "race_ethnicity",
            "sex",
            "english_learner",
        ])
    }
}
