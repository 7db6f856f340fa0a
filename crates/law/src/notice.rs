//! What a notice to parents must say, by the law it answers to: the seven contents of an IDEA
//! prior written notice (34 CFR 300.503(b)), or the notice of a Section 504 decision within the
//! district's system of procedural safeguards (34 CFR 104.36). Each required content carries
//! the rule that asks for it; a content a kind does not require is the district's own choice.

use crate::eligibility::Finding;
use domain::evaluation::{NoticeField, NoticeKind, PriorWrittenNotice};

/// One content the law requires of a notice: its field, the stable code of the finding when
/// it is empty (the pages word it through `elig-{code}`), and the rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequiredContent {
    pub field: NoticeField,
    pub code: &'static str,
    pub citation: &'static str,
}

const fn content(
    field: NoticeField,
    code: &'static str,
    citation: &'static str,
) -> RequiredContent {
    RequiredContent {
        field,
        code,
        citation,
    }
}

/// 34 CFR 300.503(b)(1)–(7), in the order of the rule.
const PRIOR_WRITTEN_NOTICE: &[RequiredContent] = &[
    content(
        NoticeField::Proposal,
        "pwn_proposal",
        "34 CFR 300.503(b)(1)",
    ),
    content(
        NoticeField::Explanation,
        "pwn_explanation",
        "34 CFR 300.503(b)(2)",
    ),
    content(NoticeField::Basis, "pwn_basis", "34 CFR 300.503(b)(3)"),
    content(
        NoticeField::Safeguards,
        "pwn_safeguards",
        "34 CFR 300.503(b)(4)",
    ),
    content(NoticeField::Sources, "pwn_sources", "34 CFR 300.503(b)(5)"),
    content(
        NoticeField::OptionsConsidered,
        "pwn_options_considered",
        "34 CFR 300.503(b)(6)",
    ),
    content(
        NoticeField::OtherFactors,
        "pwn_other_factors",
        "34 CFR 300.503(b)(7)",
    ),
];

/// Section 504 names no list of contents; it asks for notice of the action on identification,
/// evaluation or placement within the safeguards of 104.36, a decision that draws on
/// documented information from a variety of sources (104.35(c)), and a designated employee
/// who coordinates compliance (104.7(a)), whom parents can contact. Other options and other
/// factors are left to the district's Section 504 procedures.
const SECTION_504_NOTICE: &[RequiredContent] = &[
    content(
        NoticeField::Proposal,
        "s504_notice_decision",
        "34 CFR 104.36",
    ),
    content(
        NoticeField::Explanation,
        "s504_notice_explanation",
        "34 CFR 104.36",
    ),
    content(NoticeField::Basis, "s504_notice_basis", "34 CFR 104.35(c)"),
    content(
        NoticeField::Safeguards,
        "s504_notice_safeguards",
        "34 CFR 104.36",
    ),
    content(
        NoticeField::Sources,
        "s504_notice_contact",
        "34 CFR 104.7(a)",
    ),
];

/// The rule a kind of notice answers to, as a whole.
pub fn rule(kind: NoticeKind) -> &'static str {
    match kind {
        NoticeKind::PriorWrittenNotice => "34 CFR 300.503",
        NoticeKind::Section504 => "34 CFR 104.36",
    }
}

/// The contents the law requires of a kind of notice, in the order the notice gives them.
pub fn required(kind: NoticeKind) -> &'static [RequiredContent] {
    match kind {
        NoticeKind::PriorWrittenNotice => PRIOR_WRITTEN_NOTICE,
        NoticeKind::Section504 => SECTION_504_NOTICE,
    }
}

/// The requirement on `field` in a kind of notice, if the law asks for it.
pub fn requirement(kind: NoticeKind, field: NoticeField) -> Option<&'static RequiredContent> {
    required(kind).iter().find(|c| c.field == field)
}

/// The required contents of a notice that are still empty.
pub fn missing_contents(
    notice: &PriorWrittenNotice,
    kind: NoticeKind,
) -> Vec<&'static RequiredContent> {
    required(kind)
        .iter()
        .filter(|c| notice.contents.get(c.field).trim().is_empty())
        .collect()
}

/// The required contents of a notice that are still empty, each as a finding with its rule.
pub fn missing(notice: &PriorWrittenNotice, kind: NoticeKind) -> Vec<Finding> {
    missing_contents(notice, kind)
        .into_iter()
        .map(|c| Finding {
            code: c.code,
            citation: c.citation.to_owned(),
            detail: None,
        })
        .collect()
}

/// The four parts of the system of procedural safeguards every Section 504 notice lists
/// (34 CFR 104.36), by stable code: notice, an opportunity to examine relevant records, an
/// impartial hearing with the parents' participation and representation by counsel, and a
/// review procedure.
pub const SECTION_504_SAFEGUARDS: [&str; 4] = [
    "notice",
    "examine_records",
    "impartial_hearing",
    "review_procedure",
];

#[cfg(test)]
mod tests {
    use super::*;
    use domain::evaluation::NoticeContents;
    use domain::event::{NoticeAction, NoticeSubject};

    fn empty() -> PriorWrittenNotice {
        PriorWrittenNotice {
            action: NoticeAction::Refuse,
            subject: NoticeSubject::Identification,
            contents: NoticeContents::default(),
        }
    }

    #[test]
    fn a_prior_written_notice_lists_each_missing_content_with_its_paragraph() {
        let mut notice = empty();
        let missing = missing(&notice, NoticeKind::PriorWrittenNotice);
        assert_eq!(missing.len(), 7);
        for (i, f) in missing.iter().enumerate() {
            assert_eq!(f.citation, format!("34 CFR 300.503(b)({})", i + 1));
        }
        notice.contents.proposal = "Refuse to evaluate".into();
        notice.contents.other_factors = "None".into();
        let left = super::missing(&notice, NoticeKind::PriorWrittenNotice);
        assert_eq!(left.len(), 5);
        assert_eq!(left[0].code, "pwn_explanation");
    }

    #[test]
    fn a_section_504_notice_asks_for_the_decision_its_basis_the_safeguards_and_a_contact() {
        let mut notice = empty();
        let missing = missing(&notice, NoticeKind::Section504);
        let asked: Vec<(&str, &str)> = missing
            .iter()
            .map(|f| (f.code, f.citation.as_str()))
            .collect();
        assert_eq!(
            asked,
            [
                ("s504_notice_decision", "34 CFR 104.36"),
                ("s504_notice_explanation", "34 CFR 104.36"),
                ("s504_notice_basis", "34 CFR 104.35(c)"),
                ("s504_notice_safeguards", "34 CFR 104.36"),
                ("s504_notice_contact", "34 CFR 104.7(a)"),
            ]
        );
        assert!(
            missing.iter().all(|f| !f.citation.contains("300.")),
            "no IDEA rule in a 504 notice"
        );
        // Other options and other factors are the district's choice under Section 504.
        notice.contents.proposal = "Not eligible under Section 504".into();
        notice.contents.explanation = "Breathing is not substantially limited".into();
        notice.contents.basis = "Nurse's report".into();
        notice.contents.safeguards = "Hearing and review".into();
        notice.contents.sources = "Ms. Ruiz, Section 504 coordinator".into();
        assert!(super::missing(&notice, NoticeKind::Section504).is_empty());
        assert_eq!(
            super::missing(&notice, NoticeKind::PriorWrittenNotice).len(),
            2
        );
    }

    #[test]
    fn whitespace_is_not_content() {
        let mut notice = empty();
        notice.contents.sources = " \n ".into();
        assert!(
            missing(&notice, NoticeKind::Section504)
                .iter()
                .any(|f| f.code == "s504_notice_contact")
        );
    }

    #[test]
    fn each_kind_cites_only_its_own_law() {
        for (kind, part) in [
            (NoticeKind::PriorWrittenNotice, "34 CFR 300.503(b)("),
            (NoticeKind::Section504, "34 CFR 104."),
        ] {
            assert!(rule(kind).starts_with(&part[..10]), "{kind}");
            for c in required(kind) {
                assert!(c.citation.starts_with(part), "{kind}: {}", c.citation);
            }
        }
        assert!(requirement(NoticeKind::Section504, NoticeField::OptionsConsidered).is_none());
        assert_eq!(
            requirement(NoticeKind::PriorWrittenNotice, NoticeField::OtherFactors)
                .unwrap()
                .citation,
            "34 CFR 300.503(b)(7)"
        );
    }
}
