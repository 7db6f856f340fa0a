//! Letters: every kind in both languages renders a tagged PDF whose words state the request,
//! the rule with its citations and the answer-by date; bad data names the field.

use documents::{Lang, LetterData, LetterKind, letter, letter_text};

use crate::pdf_bytes;

const DATA: &str = include_str!("../data/letter.json");

fn data() -> LetterData {
    LetterData::from_json(DATA).expect("the contract's example parses")
}

fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn every_kind_in_both_languages_renders_a_tagged_pdf() {
    let data = data();
    for kind in LetterKind::ALL {
        for lang in Lang::ALL {
            let pdf = letter(kind, &data, lang).unwrap_or_else(|e| panic!("{kind} {lang}: {e}"));
            pdf_bytes::assert_tagged(&pdf, lang.code());
            assert!(
                pdf_bytes::contains(&pdf, "/H1"),
                "{kind} {lang}: no heading"
            );
        }
    }
}

#[test]
fn every_letter_states_its_rule_with_citations_and_asks_for_a_written_answer() {
    let data = data();
    for kind in LetterKind::ALL {
        for lang in Lang::ALL {
            let text = letter_text(kind, &data, lang);
            let body = squash(&text.plain_text());
            for citation in kind.citations() {
                assert!(body.contains(citation), "{kind} {lang}: no {citation}");
            }
            assert_eq!(text.answer_by.to_string(), "2026-12-08");
            let (date, answer_by) = match lang {
                Lang::En => ("November 24, 2026", "December 8, 2026"),
                Lang::Es => ("24 de noviembre de 2026", "8 de diciembre de 2026"),
            };
            assert_eq!(text.date, date);
            assert!(body.contains(answer_by), "{kind} {lang}: no answer-by date");
            assert!(
                body.contains("14"),
                "{kind} {lang}: answer window not explained"
            );
            for who in [
                "Ana Rivera",
                "Leo Rivera",
                "Dr. Pat Kim",
                "Lincoln Elementary",
            ] {
                assert!(body.contains(who), "{kind} {lang}: {who} missing");
            }
            assert!(body.contains("Leo reads far below grade level"));
        }
    }
}

#[test]
fn the_rules_each_letter_must_state() {
    let d = data();
    let en = |kind| squash(&letter_text(kind, &d, Lang::En).plain_text());
    let es = |kind| squash(&letter_text(kind, &d, Lang::Es).plain_text());

    let evaluation = en(LetterKind::EvaluationRequest);
    assert!(evaluation.contains("consent"));
    assert!(evaluation.contains("within 60 days"));
    assert!(es(LetterKind::EvaluationRequest).contains("consentimiento"));

    // Records: never more than 45 days, and the actual last date.
    let records = en(LetterKind::RecordsRequest);
    assert!(records.contains("no more than 45 days") || records.contains("more than 45 days"));
    assert!(records.contains("January 8, 2027"));
    assert!(es(LetterKind::RecordsRequest).contains("8 de enero de 2027"));

    let iee = en(LetterKind::IeeRequest);
    assert!(iee.contains("without unnecessary delay"));
    assert!(iee.contains("due process complaint"));

    // Prior written notice: the seven required contents, in both languages.
    for lang in Lang::ALL {
        let text = letter_text(LetterKind::PriorWrittenNoticeRequest, &d, lang);
        assert_eq!(text.rule_list.len(), 7, "{lang}");
    }
    assert!(es(LetterKind::PriorWrittenNoticeRequest).contains("en español"));

    assert!(en(LetterKind::MeetingRequest).contains("mutually agreed"));
    assert!(en(LetterKind::Section504EvaluationRequest).contains("substantially limits"));
}

#[test]
fn pdf_text_carries_the_citation_and_the_date() {
    let d = data();
    let cases = [
        (
            LetterKind::EvaluationRequest,
            Lang::En,
            "34 CFR 300.301(b)",
            "November 24, 2026",
        ),
        (
            LetterKind::RecordsRequest,
            Lang::Es,
            "34 CFR 300.613(a)",
            "24 de noviembre de 2026",
        ),
        (
            LetterKind::PriorWrittenNoticeRequest,
            Lang::Es,
            "34 CFR 300.503(b)",
            "¿",
        ),
    ];
    for (kind, lang, citation, date) in cases {
        let pdf = letter(kind, &d, lang).expect("renders");
        let Some(text) = pdf_bytes::pdftotext(&pdf, &format!("{kind}-{lang}")) else {
            return;
        };
        let text = squash(&text);
        assert!(
            text.contains(citation),
            "{kind} {lang}: {citation} not in PDF text"
        );
        if date != "¿" {
            assert!(text.contains(date), "{kind} {lang}: {date} not in PDF text");
        }
    }
    // Spanish accents survive into the text layer.
    let pdf = letter(LetterKind::EvaluationRequest, &d, Lang::Es).expect("renders");
    if let Some(text) = pdf_bytes::pdftotext(&pdf, "accents") {
        let text = squash(&text);
        for word in [
            "evaluación",
            "discapacidad",
            "Página 1 de",
            "Atentamente",
            "áreas",
        ] {
            assert!(text.contains(word), "{word} not in PDF text");
        }
    }
}

#[test]
fn snapshot_evaluation_request_english() {
    insta::assert_snapshot!(
        letter_text(LetterKind::EvaluationRequest, &data(), Lang::En).plain_text()
    );
}

#[test]
fn snapshot_prior_written_notice_request_spanish() {
    let mut d = data();
    d.concerns = "El 10 de noviembre la escuela me dijo por teléfono que Leo «no califica» para \
                  una evaluación y que hay que esperar a ver cómo le va con la intervención."
        .into();
    insta::assert_snapshot!(
        letter_text(LetterKind::PriorWrittenNoticeRequest, &d, Lang::Es).plain_text()
    );
}

#[test]
fn optional_fields_may_be_left_out() {
    let json = r#"{ "date": "2026-11-24",
        "parent": { "name": "Ana Rivera", "address": "12 Elm St" },
        "student": { "name": "Leo Rivera", "school": "Lincoln Elementary" },
        "recipient": { "name": "Dr. Pat Kim" } }"#;
    let d = LetterData::from_json(json).expect("parses");
    let pdf = letter(LetterKind::RecordsRequest, &d, Lang::En).expect("records need no concerns");
    pdf_bytes::assert_tagged(&pdf, "en");
    let text = letter_text(LetterKind::RecordsRequest, &d, Lang::En);
    assert!(text.concerns.is_empty());
    assert_eq!(text.sender, vec!["Ana Rivera", "12 Elm St"]);
    assert!(text.request[0].starts_with("I am the parent of Leo Rivera, who attends"));
}

#[test]
fn bad_data_names_the_field() {
    let path_of = |json: &str, kind: LetterKind| {
        let err = LetterData::from_json(json)
            .and_then(|d| d.validate(kind))
            .expect_err("bad data");
        match err {
            documents::DocumentError::Input { path, .. } => path,
            other => panic!("{other}"),
        }
    };
    let with = |from: &str, to: &str| DATA.replacen(from, to, 1);
    let eval = LetterKind::EvaluationRequest;

    assert_eq!(
        path_of(&with(r#""name": "Ana Rivera", "#, ""), eval),
        "parent.name"
    );
    assert_eq!(
        path_of(&with("Leo Rivera\", \"birth", " \", \"birth"), eval),
        "student.name"
    );
    assert_eq!(path_of(&with("2026-11-24", "24/11/2026"), eval), "date");
    assert_eq!(
        path_of(&with("2017-04-02", "2017-13-02"), eval),
        "student.birth_date"
    );
    assert_eq!(
        path_of(&with("\"Dr. Pat Kim\"", "7"), eval),
        "recipient.name"
    );
    let no_concerns = with(
        "Leo reads far below grade level and avoids writing tasks.",
        "",
    );
    assert_eq!(path_of(&no_concerns, eval), "concerns");
    // An IEE request needs no reason (34 CFR 300.502(b)(4)).
    let d = LetterData::from_json(&no_concerns).expect("parses");
    assert!(d.validate(LetterKind::IeeRequest).is_ok());
    // The PDF function checks too, rather than printing a letter with a blank name.
    let mut blank = data();
    blank.recipient.name = "  ".into();
    let err = letter(eval, &blank, Lang::En).expect_err("blank recipient");
    assert_eq!(
        err.to_string(),
        "recipient.name: required, a non-empty string"
    );

    let err = "evaluation"
        .parse::<LetterKind>()
        .expect_err("unknown kind");
    assert!(
        err.to_string()
            .starts_with("kind: one of evaluation_request, ")
    );
    assert!("fr".parse::<Lang>().is_err());
}
