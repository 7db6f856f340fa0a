//! Parents' dated letters (CONTRACT.md `letter`): the six kinds, their structured text in
//! English and Spanish (`letter_text`, for tests and the web preview) and the tagged PDF built
//! from that same text (`letter`), so what is previewed is what is printed.

mod data;
mod en;
mod es;

use std::fmt;
use std::str::FromStr;

use jiff::ToSpan;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

pub use data::{LetterData, Parent, Recipient, Student};

use crate::{Block, Document, DocumentError, Lang, render_pdf};

/// Calendar days the district is given to answer: about ten school days, a common reasonable
/// response time (no federal rule fixes one for most of these requests).
pub const ANSWER_DAYS: i64 = 14;
/// 34 CFR 300.613(a): records access never later than 45 days after the request.
pub const RECORDS_LIMIT_DAYS: i64 = 45;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LetterKind {
    EvaluationRequest,
    Section504EvaluationRequest,
    RecordsRequest,
    IeeRequest,
    PriorWrittenNoticeRequest,
    MeetingRequest,
}

impl LetterKind {
    pub const ALL: [LetterKind; 6] = [
        LetterKind::EvaluationRequest,
        LetterKind::Section504EvaluationRequest,
        LetterKind::RecordsRequest,
        LetterKind::IeeRequest,
        LetterKind::PriorWrittenNoticeRequest,
        LetterKind::MeetingRequest,
    ];

    /// The KIND argument of `iep504 letter`.
    pub fn as_str(self) -> &'static str {
        match self {
            LetterKind::EvaluationRequest => "evaluation_request",
            LetterKind::Section504EvaluationRequest => "section504_evaluation_request",
            LetterKind::RecordsRequest => "records_request",
            LetterKind::IeeRequest => "iee_request",
            LetterKind::PriorWrittenNoticeRequest => "prior_written_notice_request",
            LetterKind::MeetingRequest => "meeting_request",
        }
    }

    /// Every citation the letter's rule section gives, the same in both languages.
    pub fn citations(self) -> &'static [&'static str] {
        match self {
            LetterKind::EvaluationRequest => &[
                "34 CFR 300.301(b)",
                "34 CFR 300.300(a)",
                "34 CFR 300.503",
                "34 CFR 300.504(a)(1)",
                "34 CFR 300.301(c)(1)",
                "34 CFR 300.304(c)(4)",
                "OSEP Memo 11-07",
            ],
            LetterKind::Section504EvaluationRequest => &[
                "34 CFR 104.35(a)",
                "34 CFR 104.35(b)",
                "34 CFR 104.36",
                "42 U.S.C. 12102(4)(E)",
                "34 CFR 300.301(b)",
            ],
            LetterKind::RecordsRequest => &[
                "34 CFR 300.613(a)",
                "34 CFR 300.613(b)(1)",
                "34 CFR 300.613(b)(2)",
                "34 CFR 300.617",
                "34 CFR 99.10(b)",
            ],
            LetterKind::IeeRequest => &[
                "34 CFR 300.502(a)(2)",
                "34 CFR 300.502(b)(1)",
                "34 CFR 300.502(b)(2)",
                "34 CFR 300.502(b)(4)",
            ],
            LetterKind::PriorWrittenNoticeRequest => &[
                "34 CFR 300.503(a)",
                "34 CFR 300.503(b)",
                "34 CFR 300.503(c)",
            ],
            LetterKind::MeetingRequest => &[
                "34 CFR 300.321(e)",
                "34 CFR 300.322(a)",
                "34 CFR 300.322(b)(1)",
                "34 CFR 300.322(c)",
                "34 CFR 300.328",
                "34 CFR 300.324(b)(1)",
            ],
        }
    }

    /// Kinds whose request is about the concerns; for the others they are optional (an IEE
    /// request in particular needs no reason: 34 CFR 300.502(b)(4)).
    fn needs_concerns(self) -> bool {
        matches!(
            self,
            LetterKind::EvaluationRequest
                | LetterKind::Section504EvaluationRequest
                | LetterKind::PriorWrittenNoticeRequest
                | LetterKind::MeetingRequest
        )
    }

    fn concerns_hint(self) -> &'static str {
        match self {
            LetterKind::PriorWrittenNoticeRequest => "the decision the notice should explain",
            LetterKind::MeetingRequest => "what the meeting should discuss",
            _ => "what the parent sees that suggests a disability",
        }
    }
}

impl fmt::Display for LetterKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for LetterKind {
    type Err = DocumentError;

    fn from_str(s: &str) -> Result<LetterKind, DocumentError> {
        LetterKind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == s)
            .ok_or_else(|| {
                let names: Vec<&str> = LetterKind::ALL.iter().map(|k| k.as_str()).collect();
                DocumentError::input("kind", format!("one of {}, not `{s}`", names.join(", ")))
            })
    }
}

/// The letter's words, section by section. The PDF and the web preview are both built from it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LetterText {
    pub kind: LetterKind,
    pub lang: Lang,
    /// The subject line, also the PDF title.
    pub title: String,
    /// The letter's date, written out ("November 24, 2026").
    pub date: String,
    pub sender: Vec<String>,
    pub recipient: Vec<String>,
    /// Student facts as label–value pairs (name, date of birth, school, grade).
    pub regarding: Vec<(String, String)>,
    pub salutation: String,
    /// The request in plain words.
    pub request: Vec<String>,
    pub concerns_heading: String,
    /// The parent's concerns, one entry per paragraph; empty when none were given.
    pub concerns: Vec<String>,
    pub rule_heading: String,
    /// The rule the request rests on, each paragraph with its citation.
    pub rule: Vec<String>,
    /// Items the rule enumerates (the seven contents of a prior written notice); often empty.
    pub rule_list: Vec<String>,
    pub citations: Vec<String>,
    pub answer_heading: String,
    /// The request for a written answer by `answer_by`, and how that date was chosen.
    pub answer: Vec<String>,
    pub answer_by: Date,
    pub closing: Vec<String>,
    /// Lines under the signature line: the parent's name and relation to the student.
    pub signature: Vec<String>,
}

/// What the wording functions need, already formatted for the letter's language.
pub(crate) struct Facts<'a> {
    pub data: &'a LetterData,
    pub student: &'a str,
    pub born: Option<String>,
    pub answer_by: String,
    pub records_limit: String,
}

/// The language-specific parts of one letter.
pub(crate) struct Words {
    pub title: String,
    pub request: Vec<String>,
    pub concerns_heading: String,
    pub rule: Vec<String>,
    pub rule_list: Vec<String>,
    pub answer_extra: Vec<String>,
}

/// The parts every letter in a language shares.
pub(crate) struct Frame {
    pub regarding: Vec<(String, String)>,
    pub salutation: String,
    pub rule_heading: String,
    pub answer_heading: String,
    pub answer: Vec<String>,
    pub closing: Vec<String>,
    pub signature: Vec<String>,
}

/// The structured text of a letter. The data must pass [`LetterData::validate`] for `kind`;
/// [`letter`] checks that before rendering.
pub fn letter_text(kind: LetterKind, data: &LetterData, lang: Lang) -> LetterText {
    let answer_by = add_days(data.date, ANSWER_DAYS);
    let records_limit = add_days(data.date, RECORDS_LIMIT_DAYS);
    let facts = Facts {
        data,
        student: data.student.name.trim(),
        born: data.student.birth_date.map(|d| lang.long_date(d)),
        answer_by: lang.long_date(answer_by),
        records_limit: lang.long_date(records_limit),
    };
    let (words, frame) = match lang {
        Lang::En => (en::words(kind, &facts), en::frame(&facts)),
        Lang::Es => (es::words(kind, &facts), es::frame(&facts)),
    };
    let p = &data.parent;
    let r = &data.recipient;
    let mut answer = frame.answer;
    answer.splice(0..0, words.answer_extra);
    LetterText {
        kind,
        lang,
        title: words.title,
        date: lang.long_date(data.date),
        sender: non_empty([&p.name, &p.address, &p.email, &p.phone]),
        recipient: non_empty([&r.name, &r.title, &r.address]),
        regarding: frame.regarding,
        salutation: frame.salutation,
        request: words.request,
        concerns_heading: words.concerns_heading,
        concerns: paragraphs(&data.concerns),
        rule_heading: frame.rule_heading,
        rule: words.rule,
        rule_list: words.rule_list,
        citations: kind.citations().iter().map(|c| c.to_string()).collect(),
        answer_heading: frame.answer_heading,
        answer,
        answer_by,
        closing: frame.closing,
        signature: frame.signature,
    }
}

/// The letter as a tagged PDF, after checking the data for `kind`.
pub fn letter(kind: LetterKind, data: &LetterData, lang: Lang) -> Result<Vec<u8>, DocumentError> {
    data.validate(kind)?;
    render_pdf(&letter_text(kind, data, lang).to_document())
}

impl LetterText {
    /// The letter in the generic document model: sender, date, recipient, subject (the one
    /// level-1 heading), then the sections under level-2 headings, then the signature.
    pub fn to_document(&self) -> Document {
        let mut doc = Document::new(self.title.clone(), self.lang);
        doc.author = self.sender.first().cloned();
        doc.footer = Some(format!(
            "{} · {} · {}",
            self.sender.first().map(String::as_str).unwrap_or_default(),
            self.title,
            self.date
        ));
        doc.push(Block::Lines(self.sender.clone()));
        doc.push(Block::Paragraph(self.date.clone()));
        doc.push(Block::Lines(self.recipient.clone()));
        doc.push(Block::Heading {
            level: 1,
            text: self.title.clone(),
        });
        doc.push(Block::KeyValues(self.regarding.clone()));
        doc.push(Block::Paragraph(self.salutation.clone()));
        for p in &self.request {
            doc.push(Block::Paragraph(p.clone()));
        }
        if !self.concerns.is_empty() {
            doc.push(heading2(&self.concerns_heading));
            for p in &self.concerns {
                doc.push(Block::Paragraph(p.clone()));
            }
        }
        doc.push(heading2(&self.rule_heading));
        for p in &self.rule {
            doc.push(Block::Paragraph(p.clone()));
        }
        if !self.rule_list.is_empty() {
            doc.push(Block::List {
                ordered: true,
                items: self.rule_list.clone(),
            });
        }
        doc.push(heading2(&self.answer_heading));
        if let Some((first, rest)) = self.answer.split_first() {
            doc.push(Block::Strong(first.clone()));
            for p in rest {
                doc.push(Block::Paragraph(p.clone()));
            }
        }
        for p in &self.closing {
            doc.push(Block::Paragraph(p.clone()));
        }
        doc.push(Block::Signature(self.signature.clone()));
        doc
    }

    /// The letter as plain text (for an email body, a preview, a snapshot).
    pub fn plain_text(&self) -> String {
        let mut out = Vec::new();
        out.push(self.sender.join("\n"));
        out.push(self.date.clone());
        out.push(self.recipient.join("\n"));
        out.push(self.title.to_uppercase());
        out.push(
            self.regarding
                .iter()
                .map(|(k, v)| format!("{k}: {v}"))
                .collect::<Vec<_>>()
                .join("\n"),
        );
        out.push(self.salutation.clone());
        out.extend(self.request.iter().cloned());
        if !self.concerns.is_empty() {
            out.push(format!("## {}", self.concerns_heading));
            out.extend(self.concerns.iter().cloned());
        }
        out.push(format!("## {}", self.rule_heading));
        out.extend(self.rule.iter().cloned());
        if !self.rule_list.is_empty() {
            let items: Vec<String> = self
                .rule_list
                .iter()
                .enumerate()
                .map(|(i, item)| format!("{}. {item}", i + 1))
                .collect();
            out.push(items.join("\n"));
        }
        out.push(format!("## {}", self.answer_heading));
        out.extend(self.answer.iter().cloned());
        out.extend(self.closing.iter().cloned());
        out.push(format!(
            "______________________\n{}",
            self.signature.join("\n")
        ));
        out.join("\n\n") + "\n"
    }
}

fn heading2(text: &str) -> Block {
    Block::Heading {
        level: 2,
        text: text.to_string(),
    }
}

fn non_empty<const N: usize>(values: [&String; N]) -> Vec<String> {
    values
        .iter()
        .map(|v| v.trim())
        .filter(|v| !v.is_empty())
        .map(str::to_string)
        .collect()
}

/// Blank lines separate paragraphs; single line breaks inside one are kept as spaces.
fn paragraphs(text: &str) -> Vec<String> {
    text.replace("\r\n", "\n")
        .split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect()
}

/// `date` plus `days` calendar days; the last representable date if that runs past year 9999.
fn add_days(date: Date, days: i64) -> Date {
    date.checked_add(days.days()).unwrap_or(Date::MAX)
}
