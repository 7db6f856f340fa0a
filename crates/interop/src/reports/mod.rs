//! Federal reports over normalized records: the IDEA Section 618 child count (FS002/FS089),
//! exiting (FS009), discipline (FS088) and the CRDC count of students served under Section 504
//! only. Each report is a `Serialize` struct with a `to_csv()`; nothing here reads a database.

mod child_count;
mod crdc504;
mod crosstab;
mod discipline;
mod exiting;

pub use child_count::{AgeBands, ChildCount, EarlyChildhoodCount, SchoolAgeCount, child_count};
pub use crdc504::{Crdc504, crdc_504};
pub use discipline::{Discipline, RemovalBands, discipline};
pub use exiting::{Exiting, exiting};

use crate::normalized::ProgramAssociation;
use domain::codes::Program;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// EDFacts' value for a category the records do not know.
pub const MISSING: &str = "MISSING";

/// What the reports need to know about a student.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportStudent {
    /// The id program associations, exits and removals refer to (`studentUniqueId`).
    pub id: String,
    pub birth_date: Option<Date>,
    /// EDFacts sex code: `M`, `F` or `X`.
    pub sex: Option<String>,
    /// EDFacts race/ethnicity code: `AM7`, `AS7`, `BL7`, `HI7`, `MU7`, `PI7`, `WH7`.
    pub race_ethnicity: Option<String>,
    pub english_learner: Option<bool>,
    /// Grade on the count date. Kindergarten is the CEDS code `KG` (OneRoster `grades`) or an
    /// Ed-Fi grade-level descriptor ending `#Kindergarten`; the child count reads it to place
    /// 5-year-olds in kindergarten in the school-age environments.
    pub grade: Option<String>,
}

impl ReportStudent {
    pub fn in_kindergarten(&self) -> bool {
        self.grade
            .as_deref()
            .is_some_and(domain::codes::is_kindergarten)
    }

    /// Race/ethnicity, sex and English-learner status as EDFacts codes (`LEP`/`NLEP`), with
    /// `MISSING` where unknown — the demographic columns of every CSV.
    fn demographics(&self) -> [String; 3] {
        [
            self.race_ethnicity
                .clone()
                .unwrap_or_else(|| MISSING.into()),
            self.sex.clone().unwrap_or_else(|| MISSING.into()),
            match self.english_learner {
                Some(true) => "LEP".into(),
                Some(false) => "NLEP".into(),
                None => MISSING.into(),
            },
        ]
    }
}

/// A student's exit from special education.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exit {
    pub student_id: String,
    pub on: Date,
    /// EDFacts basis-of-exit code.
    pub basis: String,
    /// Primary disability at exit.
    pub disability: Option<String>,
}

impl Exit {
    /// The exits recorded on IDEA associations (`specialEducationExitDate` with a basis).
    pub fn from_programs(programs: &[ProgramAssociation]) -> Vec<Exit> {
        programs
            .iter()
            .filter(|p| p.program == Program::Idea)
            .filter_map(|p| {
                Some(Exit {
                    student_id: p.student_unique_id.clone(),
                    on: p.exit_date?,
                    basis: p.exit_basis.clone()?,
                    disability: p.primary_disability.clone(),
                })
            })
            .collect()
    }
}

/// A disciplinary removal (the `disciplinary_removal` case event).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Removal {
    pub student_id: String,
    pub on: Date,
    pub school_days: u32,
}

/// Everything the reports read.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Records {
    pub students: Vec<ReportStudent>,
    pub programs: Vec<ProgramAssociation>,
    pub exits: Vec<Exit>,
    pub removals: Vec<Removal>,
}

/// Students and IDEA associations by student id, built once per report so a district-sized
/// report stays linear rather than scanning every record per student.
struct Index<'r> {
    students: HashMap<&'r str, &'r ReportStudent>,
    idea: HashMap<&'r str, Vec<&'r ProgramAssociation>>,
}

impl Records {
    fn index(&self) -> Index<'_> {
        let mut idea: HashMap<&str, Vec<&ProgramAssociation>> = HashMap::new();
        for p in self.programs.iter().filter(|p| p.program == Program::Idea) {
            idea.entry(p.student_unique_id.as_str())
                .or_default()
                .push(p);
        }
        Index {
            students: self.students.iter().map(|s| (s.id.as_str(), s)).collect(),
            idea,
        }
    }
}

impl<'r> Index<'r> {
    fn student(&self, id: &str) -> Option<&'r ReportStudent> {
        self.students.get(id).copied()
    }

    /// The student's IDEA association in force on `day`; with overlapping records, the one
    /// begun last (the current placement).
    fn idea_on(&self, student_id: &str, day: Date) -> Option<&'r ProgramAssociation> {
        self.idea
            .get(student_id)?
            .iter()
            .copied()
            .filter(|p| p.active_on(day))
            .max_by_key(|p| p.begin_date)
    }
}

/// Whether an association overlaps `[from, to]`.
fn overlaps(p: &ProgramAssociation, from: Date, to: Date) -> bool {
    p.begin_date <= to && p.end_date.is_none_or(|end| end >= from)
}

/// Every code of `codes` with its count, zeros included, so the keys a script reads are stable.
fn zero_filled(codes: &[&str]) -> std::collections::BTreeMap<String, u32> {
    codes.iter().map(|c| (c.to_string(), 0)).collect()
}
