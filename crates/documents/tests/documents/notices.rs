//! Notice PDFs in English and Spanish: tagged, framed by the law each answers to. A prior
//! written notice carries the seven contents of 34 CFR 300.503(b); the notice of a Section 504
//! decision carries its own title, the Part 104 citations and the four safeguards of 104.36,
//! and no IDEA citation. The district's words are in the text layer either way.

use crate::pdf_bytes;
use documents::{Lang, NoticeFacts, notice_pdf};
use domain::evaluation::{NoticeContents, NoticeKind, PriorWrittenNotice};
use domain::event::{NoticeAction, NoticeSubject};

fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub(crate) fn notice() -> PriorWrittenNotice {
    PriorWrittenNotice {
        action: NoticeAction::Refuse,
        subject: NoticeSubject::Identification,
        contents: NoticeContents {
            proposal: "The district refuses to identify Ana as eligible.".into(),
            explanation: "The evaluation found no need for specially designed instruction.".into(),
            basis: "WISC-V; WIAT-4; classroom observation.".into(),
            safeguards: "You have protection under the procedural safeguards.".into(),
            sources: "Call the Parent Center at 555-0100.".into(),
            options_considered: "Eligibility under OHI was considered and rejected.".into(),
            other_factors: "Señora Muñoz attended with an interpreter.".into(),
        },
    }
}

/// A refusal to identify under Section 504; the district wrote no other options.
pub(crate) fn notice_504() -> PriorWrittenNotice {
    PriorWrittenNotice {
        action: NoticeAction::Refuse,
        subject: NoticeSubject::Identification,
        contents: NoticeContents {
            proposal: "Ana is not a student with a disability under Section 504.".into(),
            explanation: "Seasonal allergies do not substantially limit breathing.".into(),
            basis: "Nurse's report; attendance; teacher input.".into(),
            safeguards: "Ask for a hearing in writing to the Section 504 coordinator.".into(),
            sources: "Ms. Ruiz, Section 504 coordinator, 555-0142.".into(),
            options_considered: String::new(),
            other_factors: "Señora Muñoz attended with an interpreter.".into(),
        },
    }
}

fn sent() -> NoticeFacts {
    NoticeFacts {
        district: "Maple Valley USD".into(),
        student: "Ana Soto".into(),
        birth_date: Some("2017-04-02".parse().unwrap()),
        sent_on: Some("2026-11-20".parse().unwrap()),
    }
}

#[test]
fn a_prior_written_notice_renders_tagged_in_both_languages_with_its_text() {
    let cases = [
        (
            Lang::En,
            [
                "Prior written notice",
                "November 20, 2026",
                "The district refuses a change: identification",
            ],
        ),
        (
            Lang::Es,
            [
                "Notificación previa por escrito",
                "20 de noviembre de 2026",
                "El distrito rechaza un cambio: la identificación",
            ],
        ),
    ];
    for (lang, words) in cases {
        let pdf =
            notice_pdf(&notice(), NoticeKind::PriorWrittenNotice, &sent(), lang).expect("renders");
        pdf_bytes::assert_tagged(&pdf, lang.code());
        let Some(text) = pdf_bytes::pdftotext(&pdf, &format!("pwn-{}", lang.code())) else {
            continue;
        };
        let text = squash(&text);
        for word in words {
            assert!(text.contains(word), "{lang:?}: `{word}` not in PDF text");
        }
        for n in 1..=7 {
            let citation = format!("34 CFR 300.503(b)({n})");
            assert!(text.contains(&citation), "{lang:?}: {citation} missing");
        }
        assert!(!text.contains("104.36"), "{lang:?}: a 504 rule in a PWN");
        for body in [
            "WISC-V; WIAT-4; classroom observation.",
            "Call the Parent Center at 555-0100.",
            "Señora Muñoz attended with an interpreter.",
        ] {
            assert!(text.contains(body), "{lang:?}: `{body}` missing");
        }
    }
}

#[test]
fn a_section_504_notice_renders_its_own_frame_in_both_languages() {
    let cases = [
        (
            Lang::En,
            [
                "Notice of Section 504 decision",
                "The district refuses: identification under Section 504",
                "1. The district's decision (34 CFR 104.36)",
                "3. Information the decision was based on (34 CFR 104.35(c))",
                "4. Your procedural safeguards under Section 504 (34 CFR 104.36)",
                "An opportunity to examine your child's relevant records.",
                "An impartial hearing, in which you may take part and be represented by counsel.",
                "A review procedure for the hearing decision.",
                "5. Who to contact (34 CFR 104.7(a))",
                "6. Other relevant factors (district Section 504 procedures)",
            ],
        ),
        (
            Lang::Es,
            [
                "Notificación de decisión de la Sección 504",
                "El distrito rechaza: la identificación según la Sección 504",
                "1. La decisión del distrito (34 CFR 104.36)",
                "3. Información en la que se basó la decisión (34 CFR 104.35(c))",
                "4. Sus garantías procesales según la Sección 504 (34 CFR 104.36)",
                "La oportunidad de examinar los expedientes pertinentes de su hijo.",
                "Una audiencia imparcial, en la que usted puede participar y ser representado por un abogado.",
                "Un procedimiento de revisión de la decisión de la audiencia.",
                "5. A quién contactar (34 CFR 104.7(a))",
                "6. Otros factores pertinentes (procedimientos de la Sección 504 del distrito)",
            ],
        ),
    ];
    for (lang, words) in cases {
        let pdf =
            notice_pdf(&notice_504(), NoticeKind::Section504, &sent(), lang).expect("renders");
        pdf_bytes::assert_tagged(&pdf, lang.code());
        let Some(text) = pdf_bytes::pdftotext(&pdf, &format!("notice504-{}", lang.code())) else {
            continue;
        };
        let text = squash(&text);
        for word in words {
            assert!(text.contains(word), "{lang:?}: `{word}` not in PDF text");
        }
        for idea in [
            "300.503",
            "Prior written notice",
            "previa por escrito",
            "7.",
        ] {
            assert!(!text.contains(idea), "{lang:?}: `{idea}` in a 504 notice");
        }
        for body in [
            "Seasonal allergies do not substantially limit breathing.",
            "Ms. Ruiz, Section 504 coordinator, 555-0142.",
            "Señora Muñoz attended with an interpreter.",
        ] {
            assert!(text.contains(body), "{lang:?}: `{body}` missing");
        }
    }
}

#[test]
fn a_draft_says_so_and_an_incomplete_notice_is_refused_under_its_own_rule() {
    let draft = NoticeFacts {
        sent_on: None,
        birth_date: None,
        ..sent()
    };
    let pdf =
        notice_pdf(&notice(), NoticeKind::PriorWrittenNotice, &draft, Lang::Es).expect("renders");
    if let Some(text) = pdf_bytes::pdftotext(&pdf, "pwn-draft") {
        assert!(squash(&text).contains("Borrador: esta notificación no ha sido enviada."));
    }
    let mut incomplete = notice();
    incomplete.contents.options_considered = " ".into();
    let err = notice_pdf(
        &incomplete,
        NoticeKind::PriorWrittenNotice,
        &draft,
        Lang::En,
    )
    .unwrap_err();
    assert!(err.to_string().contains("300.503(b)(6)"), "{err}");
    // The same gap is no gap in a 504 notice; a missing basis is, under 104.35(c).
    notice_pdf(&incomplete, NoticeKind::Section504, &draft, Lang::En).expect("renders");
    incomplete.contents.basis.clear();
    let err = notice_pdf(&incomplete, NoticeKind::Section504, &draft, Lang::En).unwrap_err();
    assert!(err.to_string().contains("104.35(c)"), "{err}");
}
