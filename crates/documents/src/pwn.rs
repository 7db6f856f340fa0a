//! A prior written notice (34 CFR 300.503) as a tagged PDF in English or Spanish: the student,
//! the action proposed or refused, and the seven required contents under their own headings,
//! each with the paragraph of 300.503(b) it answers. The district's own words fill the sections;
//! only the frame around them is translated, and citations never are.

use crate::DocumentError;
use crate::lang::Lang;
use crate::model::{Block, Document};
use crate::render::render_pdf;
use domain::evaluation::PriorWrittenNotice;
use domain::event::{NoticeAction, NoticeSubject};
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

/// The notice's words, section by section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NoticeText {
    pub lang: Lang,
    pub title: String,
    pub draft: Option<String>,
    pub facts: Vec<(String, String)>,
    pub intro: String,
    /// (heading, citation, the district's text)
    pub sections: Vec<(String, String, String)>,
}

pub const PWN_CITATION: &str = "34 CFR 300.503";

fn action_words(action: NoticeAction, subject: NoticeSubject, lang: Lang) -> String {
    let subject = match (subject, lang) {
        (NoticeSubject::Identification, Lang::En) => "identification",
        (NoticeSubject::Evaluation, Lang::En) => "evaluation",
        (NoticeSubject::Placement, Lang::En) => "educational placement",
        (NoticeSubject::Fape, Lang::En) => "the provision of a free appropriate public education",
        (NoticeSubject::Identification, Lang::Es) => "la identificación",
        (NoticeSubject::Evaluation, Lang::Es) => "la evaluación",
        (NoticeSubject::Placement, Lang::Es) => "la ubicación educativa",
        (NoticeSubject::Fape, Lang::Es) => {
            "la provisión de una educación pública gratuita y apropiada"
        }
    };
    match (action, lang) {
        (NoticeAction::Propose, Lang::En) => format!("The district proposes a change: {subject}"),
        (NoticeAction::Refuse, Lang::En) => format!("The district refuses a change: {subject}"),
        (NoticeAction::Propose, Lang::Es) => format!("El distrito propone un cambio: {subject}"),
        (NoticeAction::Refuse, Lang::Es) => format!("El distrito rechaza un cambio: {subject}"),
    }
}

/// The seven headings in the order of 34 CFR 300.503(b).
fn headings(lang: Lang) -> [&'static str; 7] {
    match lang {
        Lang::En => [
            "What the district proposes or refuses",
            "Why the district proposes or refuses it",
            "Evaluations, assessments, records and reports used",
            "Your procedural safeguards",
            "Where to get help understanding this notice",
            "Other options considered and why they were rejected",
            "Other relevant factors",
        ],
        Lang::Es => [
            "Lo que el distrito propone o rechaza",
            "Por qué el distrito lo propone o lo rechaza",
            "Evaluaciones, pruebas, expedientes e informes utilizados",
            "Sus garantías procesales",
            "Dónde obtener ayuda para entender esta notificación",
            "Otras opciones consideradas y por qué se rechazaron",
            "Otros factores pertinentes",
        ],
    }
}

pub fn notice_text(notice: &PriorWrittenNotice, facts: &NoticeFacts, lang: Lang) -> NoticeText {
    let c = &notice.contents;
    let bodies = [
        &c.proposal,
        &c.explanation,
        &c.basis,
        &c.safeguards,
        &c.sources,
        &c.options_considered,
        &c.other_factors,
    ];
    let sections = headings(lang)
        .iter()
        .zip(bodies)
        .enumerate()
        .map(|(i, (heading, body))| {
            (
                (*heading).to_owned(),
                format!("34 CFR 300.503(b)({})", i + 1),
                body.trim().to_owned(),
            )
        })
        .collect();
    let (title, labels, intro, draft, not_sent) = match lang {
        Lang::En => (
            "Prior written notice",
            [
                "Student",
                "Date of birth",
                "District",
                "Date of notice",
                "Action",
            ],
            "The district must give you this written notice a reasonable time before it proposes \
             or refuses to initiate or change the identification, evaluation or educational \
             placement of your child or the provision of a free appropriate public education \
             (34 CFR 300.503(a)). It must contain the seven parts below (34 CFR 300.503(b)).",
            "Draft: this notice has not been sent.",
            "not sent",
        ),
        Lang::Es => (
            "Notificación previa por escrito",
            [
                "Estudiante",
                "Fecha de nacimiento",
                "Distrito",
                "Fecha de la notificación",
                "Acción",
            ],
            "El distrito debe darle esta notificación por escrito un tiempo razonable antes de \
             proponer o rechazar iniciar o cambiar la identificación, la evaluación o la \
             ubicación educativa de su hijo o la provisión de una educación pública gratuita y \
             apropiada (34 CFR 300.503(a)). Debe contener las siete partes siguientes \
             (34 CFR 300.503(b)).",
            "Borrador: esta notificación no ha sido enviada.",
            "no enviada",
        ),
    };
    let mut kv = vec![(labels[0].to_owned(), facts.student.trim().to_owned())];
    if let Some(born) = facts.birth_date {
        kv.push((labels[1].to_owned(), lang.long_date(born)));
    }
    kv.push((labels[2].to_owned(), facts.district.trim().to_owned()));
    kv.push((
        labels[3].to_owned(),
        facts
            .sent_on
            .map_or_else(|| not_sent.to_owned(), |d| lang.long_date(d)),
    ));
    kv.push((
        labels[4].to_owned(),
        action_words(notice.action, notice.subject, lang),
    ));
    NoticeText {
        lang,
        title: title.to_owned(),
        draft: facts.sent_on.is_none().then(|| draft.to_owned()),
        facts: kv,
        intro: intro.to_owned(),
        sections,
    }
}

impl NoticeText {
    pub fn to_document(&self, district: &str) -> Document {
        let mut doc = Document::new(self.title.clone(), self.lang);
        doc.author = Some(district.to_owned());
        doc.footer = Some(format!("{district} · {} · {PWN_CITATION}", self.title));
        doc.push(Block::Heading {
            level: 1,
            text: self.title.clone(),
        });
        if let Some(draft) = &self.draft {
            doc.push(Block::Strong(draft.clone()));
        }
        doc.push(Block::KeyValues(self.facts.clone()));
        doc.push(Block::Paragraph(self.intro.clone()));
        for (i, (heading, citation, body)) in self.sections.iter().enumerate() {
            doc.push(Block::Heading {
                level: 2,
                text: format!("{}. {heading} ({citation})", i + 1),
            });
            doc.push(Block::Paragraph(body.clone()));
        }
        doc
    }

    pub fn plain_text(&self) -> String {
        let mut out = vec![self.title.to_uppercase()];
        out.extend(self.draft.clone());
        out.extend(self.facts.iter().map(|(k, v)| format!("{k}: {v}")));
        out.push(self.intro.clone());
        for (i, (heading, citation, body)) in self.sections.iter().enumerate() {
            out.push(format!("## {}. {heading} ({citation})\n{body}", i + 1));
        }
        out.join("\n\n") + "\n"
    }
}

/// The notice as a tagged PDF. Every one of the seven contents must be written: a notice
/// missing one is not a prior written notice.
pub fn pwn_pdf(
    notice: &PriorWrittenNotice,
    facts: &NoticeFacts,
    lang: Lang,
) -> Result<Vec<u8>, DocumentError> {
    if let Some(missing) = law::eligibility::notice_missing(notice).first() {
        return Err(DocumentError::input(
            missing.code,
            format!("text for {}", missing.citation),
        ));
    }
    render_pdf(&notice_text(notice, facts, lang).to_document(&facts.district))
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::evaluation::NoticeContents;

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

    #[test]
    fn seven_sections_in_the_order_of_the_rule() {
        let facts = NoticeFacts {
            district: "Maple".into(),
            student: "Ana Soto".into(),
            birth_date: None,
            sent_on: None,
        };
        for lang in Lang::ALL {
            let text = notice_text(&notice(), &facts, lang);
            assert_eq!(text.sections.len(), 7);
            assert_eq!(text.sections[6].1, "34 CFR 300.503(b)(7)");
            assert_eq!(text.sections[2].2, "WISC-V");
            assert!(text.draft.is_some());
        }
        let mut missing = notice();
        missing.contents.sources.clear();
        let err = pwn_pdf(&missing, &facts, Lang::En).unwrap_err();
        assert!(err.to_string().contains("300.503(b)(5)"), "{err}");
    }
}
