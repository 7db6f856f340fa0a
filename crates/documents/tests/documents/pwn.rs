//! The prior written notice PDF in English and Spanish: tagged, with the seven contents under
//! their citations and the district's words in the text layer.

use crate::pdf_bytes;
use documents::{Lang, NoticeFacts, pwn_pdf};
use domain::evaluation::{NoticeContents, PriorWrittenNotice};
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

#[test]
fn a_notice_renders_tagged_in_both_languages_with_its_text() {
    let facts = NoticeFacts {
        district: "Maple Valley USD".into(),
        student: "Ana Soto".into(),
        birth_date: Some("2017-04-02".parse().unwrap()),
        sent_on: Some("2026-11-20".parse().unwrap()),
    };
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
        let pdf = pwn_pdf(&notice(), &facts, lang).expect("renders");
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
fn a_draft_says_so_and_an_incomplete_notice_is_refused() {
    let facts = NoticeFacts {
        district: "Maple Valley USD".into(),
        student: "Ana Soto".into(),
        birth_date: None,
        sent_on: None,
    };
    let pdf = pwn_pdf(&notice(), &facts, Lang::Es).expect("renders");
    if let Some(text) = pdf_bytes::pdftotext(&pdf, "pwn-draft") {
        assert!(squash(&text).contains("Borrador: esta notificación no ha sido enviada."));
    }
    let mut incomplete = notice();
    incomplete.contents.options_considered = " ".into();
    let err = pwn_pdf(&incomplete, &facts, Lang::En).unwrap_err();
    assert!(err.to_string().contains("300.503(b)(6)"), "{err}");
}
