//! The eligibility rules the team's decisions are checked against: IDEA's two prongs and
//! exclusionary factors, developmental delay within the state's ages, the SLD written report,
//! and Section 504 as the ADA Amendments Act reads it (what a notice must say is in `notice`).
//! Each finding carries its citation; `problems` block the decision as recorded.

use crate::profile::Profile;
use domain::Date;
use domain::codes::IdeaCategory;
use domain::evaluation::{
    ExclusionaryFactor, IdeaDecision, Section504Decision, SldMethod, SldReport,
};
use serde::Serialize;

/// One statement about a decision: a stable code (the pages word it through `elig-{code}`),
/// the rule it rests on and, where the wording needs one, a detail such as an age range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub code: &'static str,
    pub citation: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

fn finding(code: &'static str, citation: &str) -> Finding {
    Finding {
        code,
        citation: citation.to_owned(),
        detail: None,
    }
}

/// The reasons for a decision and what stops it being recorded as it stands.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Check {
    pub reasons: Vec<Finding>,
    pub problems: Vec<Finding>,
}

impl Check {
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }
}

pub const TWO_PRONGS: &str = "34 CFR 300.8(a)(1)";
pub const RELATED_SERVICE_ONLY: &str = "34 CFR 300.8(a)(2)(i)";
pub const SLD_REPORT: &str = "34 CFR 300.311(a)";

/// The determinant-factor citation of each exclusionary factor.
pub fn exclusion_citation(factor: ExclusionaryFactor) -> &'static str {
    match factor {
        ExclusionaryFactor::ReadingInstruction => "34 CFR 300.306(b)(1)(i)",
        ExclusionaryFactor::MathInstruction => "34 CFR 300.306(b)(1)(ii)",
        ExclusionaryFactor::LimitedEnglish => "34 CFR 300.306(b)(1)(iii)",
    }
}

/// Whole years of age on `on`; None before birth.
pub fn age_on(birth: Date, on: Date) -> Option<u8> {
    if on < birth {
        return None;
    }
    let mut years = i32::from(on.year()) - i32::from(birth.year());
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        years -= 1;
    }
    u8::try_from(years).ok()
}

/// Checks the team's IDEA decision for a child of `age` under `profile`.
pub fn check_idea(decision: &IdeaDecision, age: Option<u8>, profile: &Profile) -> Check {
    let mut check = Check::default();
    let has_category = !decision.categories.is_empty();
    if !has_category {
        check.reasons.push(finding("no_category", TWO_PRONGS));
        if decision.eligible {
            check
                .problems
                .push(finding("eligible_without_category", TWO_PRONGS));
        }
    } else if !decision.needs_sdi {
        check
            .reasons
            .push(finding("category_without_need", TWO_PRONGS));
        check
            .reasons
            .push(finding("related_service_only", RELATED_SERVICE_ONLY));
        if decision.eligible {
            check
                .problems
                .push(finding("category_alone_not_eligibility", TWO_PRONGS));
        }
    }
    if let Some(factor) = decision.determinant_factor {
        let code = match factor {
            ExclusionaryFactor::ReadingInstruction => "excluded_reading_instruction",
            ExclusionaryFactor::MathInstruction => "excluded_math_instruction",
            ExclusionaryFactor::LimitedEnglish => "excluded_limited_english",
        };
        let citation = exclusion_citation(factor);
        check.reasons.push(finding(code, citation));
        if decision.eligible {
            check.problems.push(finding(code, citation));
        }
    }
    if decision
        .categories
        .contains(&IdeaCategory::DevelopmentalDelay)
        && let Some(problem) = developmental_delay(age, profile)
    {
        check.problems.push(problem);
    }
    let sld_found = decision
        .categories
        .contains(&IdeaCategory::SpecificLearningDisability);
    match &decision.sld {
        None if sld_found => check
            .problems
            .push(finding("sld_report_missing", SLD_REPORT)),
        None => {}
        Some(report) => {
            if report.method == SldMethod::OtherStateAllowed {
                check
                    .reasons
                    .push(finding("sld_other_method", "34 CFR 300.307(a)(3)"));
            }
            check.problems.extend(sld_report_problems(report));
            if sld_found
                && decision.eligible
                && !(report.not_achieving_adequately && report.insufficient_progress_or_pattern)
            {
                check
                    .problems
                    .push(finding("sld_criteria_not_met", "34 CFR 300.309(a)"));
            }
        }
    }
    let met = has_category && decision.needs_sdi && decision.determinant_factor.is_none();
    if met {
        check.reasons.push(finding("two_prongs_met", TWO_PRONGS));
        if !decision.eligible && check.problems.is_empty() {
            check
                .problems
                .push(finding("two_prongs_met_not_eligible", TWO_PRONGS));
        }
    }
    check
}

/// Developmental delay is a category only where the state uses it, and only for its ages.
fn developmental_delay(age: Option<u8>, profile: &Profile) -> Option<Finding> {
    const FEDERAL: &str = "34 CFR 300.8(b), 300.111(b)";
    let (used, from, to, citation) = match &profile.developmental_delay {
        Some(range) => (range.used, range.from, range.to, range.citation.as_str()),
        None => (true, 3, 9, FEDERAL),
    };
    let cite = |code: &'static str| Finding {
        code,
        citation: if citation.is_empty() || citation == FEDERAL {
            FEDERAL.to_owned()
        } else {
            format!("{citation}; {FEDERAL}")
        },
        detail: Some(format!("{from}–{to}")),
    };
    if !used {
        return Some(Finding {
            detail: None,
            ..cite("dd_not_used")
        });
    }
    match age {
        None => Some(cite("dd_age_unknown")),
        Some(age) if age < from || age > to => Some(cite("dd_out_of_range")),
        Some(_) => None,
    }
}

/// The elements of the written SLD report that are missing (34 CFR 300.311).
pub fn sld_report_problems(report: &SldReport) -> Vec<Finding> {
    let mut out = Vec::new();
    let blank = |s: &str| s.trim().is_empty();
    if report.areas.is_empty() {
        out.push(finding("sld_areas", "34 CFR 300.309(a)(1)"));
    }
    for (text, code, citation) in [
        (&report.basis, "sld_basis", "34 CFR 300.311(a)(2)"),
        (
            &report.observed_behavior,
            "sld_observed_behavior",
            "34 CFR 300.311(a)(3); 34 CFR 300.310",
        ),
        (
            &report.behavior_relationship,
            "sld_behavior_relationship",
            "34 CFR 300.311(a)(3)",
        ),
        (
            &report.medical_findings,
            "sld_medical_findings",
            "34 CFR 300.311(a)(4)",
        ),
        (
            &report.other_factors,
            "sld_other_factors",
            "34 CFR 300.311(a)(6)",
        ),
    ] {
        if blank(text) {
            out.push(finding(code, citation));
        }
    }
    if report.method == SldMethod::Rti {
        if blank(&report.rti_strategies) || blank(&report.rti_data) {
            out.push(finding(
                "sld_rti_strategies_data",
                "34 CFR 300.311(a)(7)(i)",
            ));
        }
        if !report.parents_notified {
            out.push(finding(
                "sld_rti_parents_notified",
                "34 CFR 300.311(a)(7)(ii)",
            ));
        }
    }
    if report.certifications.is_empty() {
        out.push(finding("sld_certifications", "34 CFR 300.311(b)"));
    }
    if report
        .certifications
        .iter()
        .any(|c| !c.agrees && blank(&c.statement))
    {
        out.push(finding("sld_separate_statement", "34 CFR 300.311(b)"));
    }
    out
}

pub const SECTION_504: &str = "34 CFR 104.3(j)(1); 42 USC 12102(1)(A)";

/// Checks the team's Section 504 decision as the ADA Amendments Act requires it to be read.
pub fn check_504(decision: &Section504Decision) -> Check {
    let mut check = Check::default();
    let impairment = !decision.impairment.trim().is_empty();
    let activity = !decision.activities.is_empty();
    if !impairment {
        check
            .reasons
            .push(finding("no_impairment", "34 CFR 104.3(j)(2)(i)"));
    }
    if !activity {
        check
            .reasons
            .push(finding("no_major_life_activity", "42 USC 12102(2)"));
    }
    if decision.activities.iter().any(|a| a.is_bodily_function()) {
        check
            .reasons
            .push(finding("bodily_function", "42 USC 12102(2)(B)"));
    }
    if decision.episodic {
        check
            .reasons
            .push(finding("episodic_counts_when_active", "42 USC 12102(4)(D)"));
    }
    if !decision.substantially_limits {
        check.reasons.push(finding(
            "not_substantially_limited",
            "42 USC 12102(4)(B); 28 CFR 35.108(d)(1)(i)",
        ));
    }
    let met = impairment && activity && decision.substantially_limits;
    if decision.eligible && !met {
        let code = if !impairment {
            "no_impairment"
        } else if !activity {
            "no_major_life_activity"
        } else {
            "not_substantially_limited"
        };
        check.problems.push(finding(code, SECTION_504));
    }
    if decision.mitigating_measures_considered && !decision.eligible {
        check.problems.push(finding(
            "mitigating_measures",
            "42 USC 12102(4)(E); 28 CFR 35.108(d)(1)(viii)",
        ));
    }
    if met {
        check.reasons.push(finding("section504_met", SECTION_504));
        if !decision.eligible && check.problems.is_empty() {
            check
                .problems
                .push(finding("section504_met_not_eligible", SECTION_504));
        }
    }
    check
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::evaluation::{Certification, ImpairmentKind, MajorLifeActivity, SldArea};
    use domain::event::EvaluationType;
    use proptest::prelude::*;

    fn federal() -> &'static Profile {
        crate::profile("US").unwrap()
    }

    fn decision(categories: &[IdeaCategory], needs_sdi: bool, eligible: bool) -> IdeaDecision {
        IdeaDecision {
            evaluation: EvaluationType::Initial,
            categories: categories.to_vec(),
            needs_sdi,
            determinant_factor: None,
            sld: None,
            eligible,
            explanation: String::new(),
        }
    }

    fn codes(findings: &[Finding]) -> Vec<&'static str> {
        findings.iter().map(|f| f.code).collect()
    }

    fn report(method: SldMethod) -> SldReport {
        SldReport {
            method,
            areas: vec![SldArea::BasicReadingSkill],
            basis: "Achievement and RTI data".into(),
            observed_behavior: "Avoids reading aloud".into(),
            behavior_relationship: "Avoidance reduces practice".into(),
            medical_findings: "None".into(),
            not_achieving_adequately: true,
            insufficient_progress_or_pattern: true,
            other_factors: "Not primarily due to any listed factor".into(),
            rti_strategies: "Tier 2 phonics, 30 min daily".into(),
            rti_data: "Weekly ORF probes".into(),
            parents_notified: true,
            certifications: vec![Certification {
                member: "School psychologist".into(),
                agrees: true,
                statement: String::new(),
            }],
        }
    }

    use IdeaCategory::*;

    /// (categories, needs SDI, team says eligible, problem codes expected)
    #[test]
    fn the_two_prong_table() {
        let rows: &[(&[IdeaCategory], bool, bool, &[&str])] = &[
            (&[Autism], true, true, &[]),
            (&[Autism], false, true, &["category_alone_not_eligibility"]),
            (&[Autism], false, false, &[]),
            (&[], true, true, &["eligible_without_category"]),
            (&[], false, false, &[]),
            (&[Autism], true, false, &["two_prongs_met_not_eligible"]),
            (
                &[SpeechOrLanguageImpairment, OtherHealthImpairment],
                true,
                true,
                &[],
            ),
        ];
        for (categories, needs, eligible, expected) in rows {
            let check = check_idea(&decision(categories, *needs, *eligible), Some(8), federal());
            assert_eq!(
                codes(&check.problems),
                *expected,
                "{categories:?} sdi={needs} eligible={eligible}"
            );
            for f in check.reasons.iter().chain(&check.problems) {
                assert!(f.citation.starts_with("34 CFR"), "{f:?}");
            }
        }
    }

    #[test]
    fn a_category_without_need_explains_the_related_service_rule() {
        let check = check_idea(&decision(&[Autism], false, false), Some(8), federal());
        assert!(codes(&check.reasons).contains(&"related_service_only"));
    }

    #[test]
    fn each_exclusionary_factor_blocks_eligible_with_its_citation() {
        for (factor, citation) in [
            (ExclusionaryFactor::ReadingInstruction, "(b)(1)(i)"),
            (ExclusionaryFactor::MathInstruction, "(b)(1)(ii)"),
            (ExclusionaryFactor::LimitedEnglish, "(b)(1)(iii)"),
        ] {
            let mut d = decision(&[OtherHealthImpairment], true, true);
            d.determinant_factor = Some(factor);
            let check = check_idea(&d, Some(10), federal());
            assert_eq!(check.problems.len(), 1, "{factor:?}");
            assert!(
                check.problems[0].citation.ends_with(citation),
                "{:?}",
                check.problems[0]
            );
            d.eligible = false;
            assert!(check_idea(&d, Some(10), federal()).ok(), "{factor:?}");
        }
    }

    #[test]
    fn developmental_delay_follows_the_state_range() {
        let d = decision(&[DevelopmentalDelay], true, true);
        // (state, age, problem)
        let rows: &[(&str, Option<u8>, Option<&str>)] = &[
            ("US", Some(3), None),
            ("US", Some(9), None),
            ("US", Some(10), Some("dd_out_of_range")),
            ("US", Some(2), Some("dd_out_of_range")),
            ("US", None, Some("dd_age_unknown")),
            ("US-NY", Some(4), None),
            ("US-NY", Some(5), Some("dd_out_of_range")),
            ("US-WA", Some(8), None),
            ("US-FL", Some(6), Some("dd_out_of_range")),
            ("US-CA", Some(4), Some("dd_not_used")),
            ("US-TX", Some(4), Some("dd_not_used")),
        ];
        for (state, age, expected) in rows {
            let profile = crate::profile(state).unwrap();
            let check = check_idea(&d, *age, profile);
            let got = check.problems.first().map(|f| f.code);
            assert_eq!(got, *expected, "{state} age {age:?}");
            if let Some(p) = check.problems.first() {
                assert!(p.citation.contains("300.8(b)"), "{p:?}");
            }
        }
        let ny = check_idea(&d, Some(6), crate::profile("US-NY").unwrap());
        assert_eq!(ny.problems[0].detail.as_deref(), Some("3–4"));
        assert!(ny.problems[0].citation.contains("ECTA"));
    }

    #[test]
    fn sld_needs_its_written_report() {
        let mut d = decision(&[SpecificLearningDisability], true, true);
        assert_eq!(
            codes(&check_idea(&d, Some(9), federal()).problems),
            ["sld_report_missing"]
        );
        d.sld = Some(report(SldMethod::Rti));
        assert!(check_idea(&d, Some(9), federal()).ok());
        d.sld = Some(report(SldMethod::Psw));
        assert!(check_idea(&d, Some(9), federal()).ok());
        // Another research-based procedure is the state's to allow: said, with its rule.
        d.sld = Some(report(SldMethod::OtherStateAllowed));
        let check = check_idea(&d, Some(9), federal());
        assert!(check.ok());
        assert!(codes(&check.reasons).contains(&"sld_other_method"));
    }

    #[test]
    fn sld_report_elements_table() {
        type Edit = fn(&mut SldReport);
        let rows: &[(Edit, &str, &str)] = &[
            (|r| r.basis.clear(), "sld_basis", "300.311(a)(2)"),
            (
                |r| r.observed_behavior.clear(),
                "sld_observed_behavior",
                "300.311(a)(3)",
            ),
            (
                |r| r.behavior_relationship = " ".into(),
                "sld_behavior_relationship",
                "300.311(a)(3)",
            ),
            (
                |r| r.medical_findings.clear(),
                "sld_medical_findings",
                "300.311(a)(4)",
            ),
            (
                |r| r.other_factors.clear(),
                "sld_other_factors",
                "300.311(a)(6)",
            ),
            (
                |r| r.rti_data.clear(),
                "sld_rti_strategies_data",
                "300.311(a)(7)(i)",
            ),
            (
                |r| r.parents_notified = false,
                "sld_rti_parents_notified",
                "300.311(a)(7)(ii)",
            ),
            (
                |r| r.certifications.clear(),
                "sld_certifications",
                "300.311(b)",
            ),
            (
                |r| r.certifications[0].agrees = false,
                "sld_separate_statement",
                "300.311(b)",
            ),
            (|r| r.areas.clear(), "sld_areas", "300.309(a)(1)"),
        ];
        for (edit, code, citation) in rows {
            let mut r = report(SldMethod::Rti);
            edit(&mut r);
            let problems = sld_report_problems(&r);
            assert_eq!(codes(&problems), [*code]);
            assert!(problems[0].citation.contains(citation), "{:?}", problems[0]);
        }
        // RTI-only elements are not asked of a pattern-of-strengths determination.
        let mut psw = report(SldMethod::Psw);
        psw.rti_data.clear();
        psw.parents_notified = false;
        assert!(sld_report_problems(&psw).is_empty());
        // A member who disagrees and writes a separate statement is enough.
        let mut r = report(SldMethod::Psw);
        r.certifications[0].agrees = false;
        r.certifications[0].statement = "I see an attention problem first".into();
        assert!(sld_report_problems(&r).is_empty());
    }

    #[test]
    fn sld_eligible_needs_both_criteria() {
        let mut d = decision(&[SpecificLearningDisability], true, true);
        let mut r = report(SldMethod::Psw);
        r.insufficient_progress_or_pattern = false;
        d.sld = Some(r);
        assert_eq!(
            codes(&check_idea(&d, Some(9), federal()).problems),
            ["sld_criteria_not_met"]
        );
    }

    fn s504(
        impairment: &str,
        activities: &[MajorLifeActivity],
        limits: bool,
        eligible: bool,
    ) -> Section504Decision {
        Section504Decision {
            evaluation: EvaluationType::Initial,
            impairment: impairment.into(),
            impairment_kind: ImpairmentKind::Physical,
            activities: activities.to_vec(),
            substantially_limits: limits,
            mitigating_measures_considered: false,
            episodic: false,
            eligible,
            explanation: String::new(),
        }
    }

    #[test]
    fn the_section_504_table() {
        use MajorLifeActivity::*;
        type Row = (
            &'static str,
            &'static [MajorLifeActivity],
            bool,
            bool,
            &'static [&'static str],
        );
        let rows: &[Row] = &[
            ("ADHD", &[Concentrating], true, true, &[]),
            ("", &[Concentrating], true, true, &["no_impairment"]),
            ("Asthma", &[], true, true, &["no_major_life_activity"]),
            (
                "Asthma",
                &[Breathing],
                false,
                true,
                &["not_substantially_limited"],
            ),
            ("Asthma", &[Breathing], false, false, &[]),
            (
                "Diabetes",
                &[EndocrineFunction],
                true,
                false,
                &["section504_met_not_eligible"],
            ),
        ];
        for (impairment, activities, limits, eligible, expected) in rows {
            let check = check_504(&s504(impairment, activities, *limits, *eligible));
            assert_eq!(
                codes(&check.problems),
                *expected,
                "{impairment} {activities:?}"
            );
        }
    }

    #[test]
    fn mitigating_measures_cannot_ground_a_refusal() {
        let mut d = s504(
            "Diabetes",
            &[MajorLifeActivity::EndocrineFunction],
            false,
            false,
        );
        d.mitigating_measures_considered = true;
        let check = check_504(&d);
        assert_eq!(codes(&check.problems), ["mitigating_measures"]);
        assert!(check.problems[0].citation.contains("12102(4)(E)"));
        assert!(codes(&check.reasons).contains(&"bodily_function"));
    }

    #[test]
    fn episodic_conditions_count_when_active() {
        let mut d = s504(
            "Epilepsy",
            &[MajorLifeActivity::NeurologicalFunction],
            true,
            true,
        );
        d.episodic = true;
        let check = check_504(&d);
        assert!(check.ok());
        assert!(codes(&check.reasons).contains(&"episodic_counts_when_active"));
    }

    #[test]
    fn ages() {
        let birth: Date = "2018-03-15".parse().unwrap();
        assert_eq!(age_on(birth, "2026-03-14".parse().unwrap()), Some(7));
        assert_eq!(age_on(birth, "2026-03-15".parse().unwrap()), Some(8));
        assert_eq!(age_on(birth, "2017-01-01".parse().unwrap()), None);
    }

    fn any_category() -> impl Strategy<Value = IdeaCategory> {
        prop::sample::select(
            IdeaCategory::ALL
                .iter()
                .copied()
                .filter(|c| !matches!(c, DevelopmentalDelay | SpecificLearningDisability))
                .collect::<Vec<_>>(),
        )
    }

    fn any_factor() -> impl Strategy<Value = Option<ExclusionaryFactor>> {
        prop::option::of(prop::sample::select(ExclusionaryFactor::ALL.to_vec()))
    }

    proptest! {
        /// An "eligible" decision is accepted exactly when a category is met, the child needs
        /// specially designed instruction, and no exclusionary factor is determinant; and every
        /// accepted decision agrees with the rule.
        #[test]
        fn eligible_iff_both_prongs_and_no_exclusion(
            categories in prop::collection::vec(any_category(), 0..3),
            needs_sdi: bool,
            factor in any_factor(),
            eligible: bool,
        ) {
            let mut d = decision(&categories, needs_sdi, eligible);
            d.determinant_factor = factor;
            let rule = !categories.is_empty() && needs_sdi && factor.is_none();
            let check = check_idea(&d, Some(8), federal());
            prop_assert_eq!(check.ok(), eligible == rule);
            prop_assert!(check.problems.iter().chain(&check.reasons).all(|f| !f.citation.is_empty()));
        }

        #[test]
        fn section_504_accepts_only_the_rule(
            impairment in prop::bool::ANY,
            activities in prop::collection::vec(prop::sample::select(MajorLifeActivity::ALL.to_vec()), 0..3),
            limits: bool,
            eligible: bool,
        ) {
            let d = s504(if impairment { "Condition" } else { "" }, &activities, limits, eligible);
            let rule = impairment && !activities.is_empty() && limits;
            prop_assert_eq!(check_504(&d).ok(), eligible == rule);
        }
    }
}
