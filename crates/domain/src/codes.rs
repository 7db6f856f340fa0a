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
    fn environment_bands_follow_the_federal_cut_points() {
        assert_eq!(environment_for_regular_class_percent(100), "RC80");
        assert_eq!(environment_for_regular_class_percent(80), "RC80");
        assert_eq!(environment_for_regular_class_percent(79), "RC79TO40");
        assert_eq!(environment_for_regular_class_percent(40), "RC79TO40");
        assert_eq!(environment_for_regular_class_percent(39), "RC39");
    }
}
