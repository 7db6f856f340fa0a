//! Federal vocabularies: the IDEA disability categories with their EDFacts reporting codes,
//! educational environments and bases of exit (see shared/domain/standards.md).

use crate::people::string_enum;
use serde::{Deserialize, Serialize};

string_enum! {
    /// The 13 IDEA categories of 34 CFR 300.8(c) plus developmental delay (300.8(b)).
    IdeaCategory {
        Autism = "autism",
        DeafBlindness = "deaf_blindness",
        Deafness = "deafness",
        EmotionalDisturbance = "emotional_disturbance",
        HearingImpairment = "hearing_impairment",
        IntellectualDisability = "intellectual_disability",
        MultipleDisabilities = "multiple_disabilities",
        OrthopedicImpairment = "orthopedic_impairment",
        OtherHealthImpairment = "other_health_impairment",
        SpecificLearningDisability = "specific_learning_disability",
        SpeechOrLanguageImpairment = "speech_or_language_impairment",
        TraumaticBrainInjury = "traumatic_brain_injury",
        VisualImpairment = "visual_impairment",
        DevelopmentalDelay = "developmental_delay",
    }
}

impl IdeaCategory {
    /// The EDFacts reporting code; deafness is reported under HI.
    pub fn federal_code(self) -> &'static str {
        use IdeaCategory::*;
        match self {
            Autism => "AUT",
            DeafBlindness => "DB",
            Deafness | HearingImpairment => "HI",
            EmotionalDisturbance => "EMN",
            IntellectualDisability => "ID",
            MultipleDisabilities => "MD",
            OrthopedicImpairment => "OI",
            OtherHealthImpairment => "OHI",
            SpecificLearningDisability => "SLD",
            SpeechOrLanguageImpairment => "SLI",
            TraumaticBrainInjury => "TBI",
            VisualImpairment => "VI",
            DevelopmentalDelay => "DD",
        }
    }

    pub fn from_federal_code(code: &str) -> Option<IdeaCategory> {
        IdeaCategory::ALL
            .iter()
            .copied()
            .filter(|c| *c != IdeaCategory::Deafness)
            .find(|c| c.federal_code() == code)
    }
}

/// The EDFacts reporting codes, in the order reports list them.
pub const DISABILITY_CODES: [&str; 13] = [
    "AUT", "DB", "DD", "EMN", "HI", "ID", "MD", "OI", "OHI", "SLD", "SLI", "TBI", "VI",
];

/// School-age educational environments (ages 6–21, and 5 in kindergarten).
pub const SCHOOL_AGE_ENVIRONMENTS: [&str; 8] =
    ["RC80", "RC79TO40", "RC39", "SS", "RF", "HH", "CF", "PPPS"];

/// Early-childhood environments (ages 3–5 not in kindergarten).
pub const EARLY_CHILDHOOD_ENVIRONMENTS: [&str; 9] = [
    "REC10YSVCS",
    "REC10YOTHLOC",
    "REC09YSVCS",
    "REC09YOTHLOC",
    "SC",
    "SS",
    "RF",
    "H",
    "SPL",
];

/// Basis-of-exit codes (ages 14–21).
pub const EXIT_BASES: [&str; 8] = [
    "GHS",
    "GRADALTDPL",
    "RC",
    "RMA",
    "D",
    "DROPOUT",
    "MKC",
    "TRAN",
];

/// The school-age environment code for the share of the day spent in regular class.
pub fn environment_for_regular_class_percent(percent: u8) -> &'static str {
    match percent {
        80.. => "RC80",
        40..=79 => "RC79TO40",
        _ => "RC39",
    }
}

/// Whether a regular early-childhood program takes the child at least 10 hours a week.
pub const EC_PROGRAM_HOURS: [&str; 2] = ["10_or_more", "under_10"];
/// Where the child receives the majority of special education and related services.
pub const EC_SERVICES_LOCATIONS: [&str; 2] = ["in_program", "elsewhere"];

/// The early-childhood environment code (FS089; ages 3–5 not in kindergarten) for where a child
/// is served: `setting` is `regular_ec_program` (the child attends a regular early-childhood
/// program), or the separate class, separate school, residential facility, home or service
/// provider location's own code. In a regular program the code follows the hours a week
/// (`EC_PROGRAM_HOURS`) and where the majority of services are received
/// (`EC_SERVICES_LOCATIONS`); without both it is unknown.
pub fn early_childhood_environment(
    setting: &str,
    program_hours: &str,
    services_location: &str,
) -> Option<&'static str> {
    match setting {
        "regular_ec_program" => match (program_hours, services_location) {
            ("10_or_more", "in_program") => Some("REC10YSVCS"),
            ("10_or_more", "elsewhere") => Some("REC10YOTHLOC"),
            ("under_10", "in_program") => Some("REC09YSVCS"),
            ("under_10", "elsewhere") => Some("REC09YOTHLOC"),
            _ => None,
        },
        code if code.starts_with("REC") => None,
        code => EARLY_CHILDHOOD_ENVIRONMENTS
            .iter()
            .copied()
            .find(|c| *c == code),
    }
}

/// Whether a child of `age` is reported in the early-childhood environments (FS089): ages 3–5,
/// except a 5-year-old in kindergarten, who is reported school-age (FS002).
pub fn is_early_childhood(age: i64, in_kindergarten: bool) -> bool {
    (3..=5).contains(&age) && !(age == 5 && in_kindergarten)
}

/// Whether a grade is kindergarten: the CEDS code `KG` or an Ed-Fi grade-level descriptor
/// ending `Kindergarten` (as the child count reads it).
pub fn is_kindergarten(grade: &str) -> bool {
    let g = grade.trim();
    g.eq_ignore_ascii_case("KG") || g.to_ascii_lowercase().ends_with("kindergarten")
}

/// The kind of plan a student is served under, for counts and filters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Program {
    Idea,
    Section504,
    Rti,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_category_has_a_reported_code() {
        for category in IdeaCategory::ALL {
            assert!(DISABILITY_CODES.contains(&category.federal_code()));
        }
        for code in DISABILITY_CODES {
            assert_eq!(
                IdeaCategory::from_federal_code(code)
                    .unwrap()
                    .federal_code(),
                code
            );
        }
    }

    #[test]
    fn every_early_childhood_code_has_its_placement() {
        // (setting, hours a week in a regular program, where most services are received) → code
        let table = [
            (
                "regular_ec_program",
                "10_or_more",
                "in_program",
                Some("REC10YSVCS"),
            ),
            (
                "regular_ec_program",
                "10_or_more",
                "elsewhere",
                Some("REC10YOTHLOC"),
            ),
            (
                "regular_ec_program",
                "under_10",
                "in_program",
                Some("REC09YSVCS"),
            ),
            (
                "regular_ec_program",
                "under_10",
                "elsewhere",
                Some("REC09YOTHLOC"),
            ),
            ("SC", "", "", Some("SC")),
            ("SS", "", "", Some("SS")),
            ("RF", "", "", Some("RF")),
            ("H", "", "", Some("H")),
            ("SPL", "", "", Some("SPL")),
            // A separate setting's code does not depend on the program fields.
            ("SC", "10_or_more", "in_program", Some("SC")),
            // Incomplete or foreign answers have no code.
            ("regular_ec_program", "", "in_program", None),
            ("regular_ec_program", "10_or_more", "", None),
            ("regular_ec_program", "lots", "in_program", None),
            ("REC10YSVCS", "", "", None),
            ("HH", "", "", None),
            ("RC80", "", "", None),
            ("", "", "", None),
        ];
        for (setting, hours, location, code) in table {
            assert_eq!(
                early_childhood_environment(setting, hours, location),
                code,
                "{setting} {hours} {location}"
            );
        }
        let reached: std::collections::HashSet<&str> =
            table.iter().filter_map(|row| row.3).collect();
        for code in EARLY_CHILDHOOD_ENVIRONMENTS {
            assert!(reached.contains(code), "{code} has no placement");
        }
    }

    #[test]
    fn early_childhood_is_three_to_five_outside_kindergarten() {
        assert!(!is_early_childhood(2, false));
        assert!(is_early_childhood(3, false));
        assert!(is_early_childhood(5, false));
        assert!(!is_early_childhood(5, true));
        assert!(!is_early_childhood(6, false));
        assert!(is_kindergarten("KG") && is_kindergarten("Kindergarten"));
        assert!(!is_kindergarten("PK") && !is_kindergarten("1"));
    }

    #[test]
    fn environment_bands_follow_the_federal_cut_points() {
        assert_eq!(environment_for_regular_class_percent(100), "RC80");
        assert_eq!(environment_for_regular_class_percent(80), "RC80");
        assert_eq!(environment_for_regular_class_percent(79), "RC79TO40");
        assert_eq!(environment_for_regular_class_percent(40), "RC79TO40");
        assert_eq!(environment_for_regular_class_percent(39), "RC39");
    }
}
