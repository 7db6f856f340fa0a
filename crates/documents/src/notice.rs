//! A notice to parents as a tagged PDF in English or Spanish, framed by the law it answers to:
//! an IDEA prior written notice (34 CFR 300.503) with its seven contents, or the notice of a
//! Section 504 decision (34 CFR 104.36) with the four 504 safeguards listed. The district's own
//! words fill the sections; only the frame around them is translated, and citations never are.

use crate::DocumentError;
use crate::lang::Lang;
use crate::model::{Block, Document};
use crate::notice_words::{common, file_stem, frame};
use crate::render::render_pdf;
use domain::evaluation::{NoticeField, NoticeKind, PriorWrittenNotice};
use jiff::civil::Date;
use serde::Serialize;

/// What a notice PDF needs beyond the notice itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeFacts {
    pub district: String,
    pub student: String,
    pub birth_date: Option<Date>,
    /// The date sent, or None for a draft.
    pub sent_on: Option<Date>,
}

/// One section of a notice: a heading, the rule it answers, any items the law fixes (the 504
/// safeguards), and the district's text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NoticeSection {
    pub heading: String,
    pub citation: String,
    pub lead: Option<String>,
    pub items: Vec<String>,
    pub closing: Option<String>,
    pub body: String,
}

/// The notice's words, section by section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NoticeText {
    pub kind: NoticeKind,
    pub lang: Lang,
    pub title: String,
    pub draft: Option<String>,
    pub facts: Vec<(String, String)>,
    pub intro: String,
    pub sections: Vec<NoticeSection>,
}

/// The notice's words. A content the law requires is always a section, under its citation; a
/// content the law leaves to the district is one only when the district wrote it.
pub fn notice_text(
    notice: &PriorWrittenNotice,
    kind: NoticeKind,
    facts: &NoticeFacts,
    lang: Lang,
) -> NoticeText {
    let frame = frame(kind, lang);
    let common = common(lang);
    let sections = frame
        .headings
        .iter()
        .filter_map(|&(field, heading)| {
            let body = notice.contents.get(field).trim().to_owned();
            let citation = match (law::notice::requirement(kind, field), frame.own_procedures) {
                (Some(required), _) => required.citation,
                (None, Some(own)) if !body.is_empty() => own,
                (None, _) => return None,
            };
            let listed = frame
                .listed_safeguards
                .filter(|_| field == NoticeField::Safeguards);
            Some(NoticeSection {
                heading: heading.to_owned(),
                citation: citation.to_owned(),
                lead: listed.map(|(lead, _, _)| lead.to_owned()),
                items: listed
                    .map(|(_, items, _)| items.map(str::to_owned).to_vec())
                    .unwrap_or_default(),
                closing: listed.map(|(_, _, closing)| closing.to_owned()),
                body,
            })
        })
        .collect();
    let labels = common.labels;
    let mut kv = vec![(labels[0].to_owned(), facts.student.trim().to_owned())];
    if let Some(born) = facts.birth_date {
        kv.push((labels[1].to_owned(), lang.long_date(born)));
    }
    kv.push((labels[2].to_owned(), facts.district.trim().to_owned()));
    kv.push((
        labels[3].to_owned(),
        facts
            .sent_on
            .map_or_else(|| common.not_sent.to_owned(), |d| lang.long_date(d)),
    ));
    kv.push((
        labels[4].to_owned(),
        frame.action_words(notice.action, notice.subject, lang),
    ));
    NoticeText {
        kind,
        lang,
        title: frame.title.to_owned(),
        draft: facts.sent_on.is_none().then(|| common.draft.to_owned()),
        facts: kv,
        intro: frame.intro.to_owned(),
        sections,
    }
}

impl NoticeText {
    pub fn to_document(&self, district: &str) -> Document {
        let mut doc = Document::new(self.title.clone(), self.lang);
        doc.author = Some(district.to_owned());
        doc.footer = Some(format!(
            "{district} · {} · {}",
            self.title,
            law::notice::rule(self.kind)
        ));
        doc.push(Block::Heading {
            level: 1,
            text: self.title.clone(),
        });
        if let Some(draft) = &self.draft {
            doc.push(Block::Strong(draft.clone()));
        }
        doc.push(Block::KeyValues(self.facts.clone()));
        doc.push(Block::Paragraph(self.intro.clone()));
        for (i, s) in self.sections.iter().enumerate() {
            doc.push(Block::Heading {
                level: 2,
                text: format!("{}. {} ({})", i + 1, s.heading, s.citation),
            });
            if let Some(lead) = &s.lead {
                doc.push(Block::Paragraph(lead.clone()));
            }
            if !s.items.is_empty() {
                doc.push(Block::List {
                    ordered: false,
                    items: s.items.clone(),
                });
            }
            if let Some(closing) = &s.closing {
                doc.push(Block::Paragraph(closing.clone()));
            }
            doc.push(Block::Paragraph(s.body.clone()));
        }
        doc
    }

    pub fn plain_text(&self) -> String {
        let mut out = vec![self.title.to_uppercase()];
        out.extend(self.draft.clone());
        out.extend(self.facts.iter().map(|(k, v)| format!("{k}: {v}")));
        out.push(self.intro.clone());
        for (i, s) in self.sections.iter().enumerate() {
            let mut lines = vec![format!("## {}. {} ({})", i + 1, s.heading, s.citation)];
            lines.extend(s.lead.clone());
            lines.extend(s.items.iter().map(|item| format!("- {item}")));
            lines.extend(s.closing.clone());
            lines.push(s.body.clone());
            out.push(lines.join("\n"));
        }
        out.join("\n\n") + "\n"
    }
}

/// The PDF's file name: `prior-written-notice-7-en.pdf`, `section-504-notice-7-es.pdf`.
pub fn notice_file_name(kind: NoticeKind, id: i64, lang: Lang) -> String {
    format!("{}-{id}-{}.pdf", file_stem(kind), lang.code())
}

/// The notice as a tagged PDF. Every content the law requires of its kind must be written: a
/// notice missing one is not the notice the law asks for.
pub fn notice_pdf(
    notice: &PriorWrittenNotice,
    kind: NoticeKind,
    facts: &NoticeFacts,
    lang: Lang,
) -> Result<Vec<u8>, DocumentError> {
    if let Some(missing) = law::notice::missing(notice, kind).first() {
        return Err(DocumentError::input(
            missing.code,
            format!("text for {}", missing.citation),
        ));
    }
    render_pdf(&notice_text(notice, kind, facts, lang).to_document(&facts.district))
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::evaluation::NoticeContents;
    use domain::event::{NoticeAction, NoticeSubject};

    fn notice() -> PriorWrittenNotice {
        PriorWrittenNotice {
            action: NoticeAction::Refuse,
            subject: NoticeSubject::Identification,
            contents: NoticeContents {
                proposal: "Refuse to identify".into(),
                explanation: "No need for SDI".into(),
                basis: "WISC-V".into(),
                safeguards: "Safeguards".into(),
                sources: "PTI".into(),
                options_considered: "504".into(),
                other_factors: "None".into(),
            },
        }
    }

    fn facts() -> NoticeFacts {
        NoticeFacts {
            district: "Maple".into(),
            student: "Ana Soto".into(),
            birth_date: None,
            sent_on: None,
        }
    }

    #[test]
    fn seven_sections_in_the_order_of_the_rule() {
        for lang in Lang::ALL {
            let text = notice_text(&notice(), NoticeKind::PriorWrittenNotice, &facts(), lang);
            assert_eq!(text.sections.len(), 7);
            assert_eq!(text.sections[6].citation, "34 CFR 300.503(b)(7)");
            assert_eq!(text.sections[2].body, "WISC-V");
            assert!(text.sections.iter().all(|s| s.items.is_empty()));
            assert!(text.draft.is_some());
        }
        let mut missing = notice();
        missing.contents.sources.clear();
        let err =
            notice_pdf(&missing, NoticeKind::PriorWrittenNotice, &facts(), Lang::En).unwrap_err();
        assert!(err.to_string().contains("300.503(b)(5)"), "{err}");
    }

    #[test]
    fn a_504_notice_cites_part_104_lists_the_four_safeguards_and_drops_unwritten_extras() {
        let mut n = notice();
        n.contents.other_factors.clear();
        for lang in Lang::ALL {
            let text = notice_text(&n, NoticeKind::Section504, &facts(), lang);
            let citations: Vec<&str> = text.sections.iter().map(|s| s.citation.as_str()).collect();
            assert_eq!(citations.len(), 6, "{lang:?}: other factors are left out");
            assert_eq!(
                &citations[..5],
                [
                    "34 CFR 104.36",
                    "34 CFR 104.36",
                    "34 CFR 104.35(c)",
                    "34 CFR 104.36",
                    "34 CFR 104.7(a)"
                ]
            );
            assert!(citations[5].contains("504"), "{}", citations[5]);
            assert_eq!(
                text.sections[3].items.len(),
                law::notice::SECTION_504_SAFEGUARDS.len()
            );
            assert!(!text.plain_text().contains("300.503"), "{lang:?}");
        }
        let mut missing = n.clone();
        missing.contents.sources = " ".into();
        let err = notice_pdf(&missing, NoticeKind::Section504, &facts(), Lang::En).unwrap_err();
        assert!(err.to_string().contains("104.7(a)"), "{err}");
    }

    #[test]
    fn the_file_name_says_which_notice_it_is() {
        assert_eq!(
            notice_file_name(NoticeKind::Section504, 7, Lang::Es),
            "section-504-notice-7-es.pdf"
        );
        assert_eq!(
            notice_file_name(NoticeKind::PriorWrittenNotice, 7, Lang::En),
            "prior-written-notice-7-en.pdf"
        );
    }
}
