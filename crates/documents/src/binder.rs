//! A family's binder as one tagged PDF: the child's timeline, the deadlines the law engine
//! derived (with their rules), the letters sent, the communication log and an index of the
//! documents in the vault (name, date, SHA-256, so a printed copy can be matched to a file).
//! The caller supplies the rows already in words; this lays them out in English or Spanish.

use jiff::civil::Date;

use crate::{Block, Document, DocumentError, Lang, Table, render_pdf};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BinderDeadline {
    pub what: String,
    pub due: Date,
    pub status: String,
    pub citation: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BinderEntry {
    pub on: Date,
    pub channel: String,
    pub with_whom: String,
    pub summary: String,
    pub follow_up_due: Option<Date>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BinderDocument {
    pub name: String,
    pub dated: Date,
    pub size_bytes: i64,
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BinderData {
    pub student: String,
    pub birth_date: Date,
    pub as_of: Date,
    /// (date, what happened) in date order.
    pub timeline: Vec<(Date, String)>,
    pub deadlines: Vec<BinderDeadline>,
    /// The letters among the log entries.
    pub letters: Vec<BinderEntry>,
    pub communications: Vec<BinderEntry>,
    pub documents: Vec<BinderDocument>,
}

struct Labels {
    title: &'static str,
    student: &'static str,
    born: &'static str,
    as_of: &'static str,
    timeline: &'static str,
    deadlines: &'static str,
    letters: &'static str,
    log: &'static str,
    documents: &'static str,
    date: &'static str,
    what: &'static str,
    due: &'static str,
    status: &'static str,
    rule: &'static str,
    channel: &'static str,
    with: &'static str,
    summary: &'static str,
    follow_up: &'static str,
    name: &'static str,
    size: &'static str,
    none: &'static str,
}

const EN: Labels = Labels {
    title: "Binder",
    student: "Student",
    born: "Date of birth",
    as_of: "Prepared on",
    timeline: "Timeline",
    deadlines: "Deadlines",
    letters: "Letters sent",
    log: "Communication log",
    documents: "Documents index",
    date: "Date",
    what: "What",
    due: "Due",
    status: "Status",
    rule: "Rule",
    channel: "How",
    with: "With whom",
    summary: "Summary",
    follow_up: "Follow up by",
    name: "Name",
    size: "Size (bytes)",
    none: "None recorded.",
};

const ES: Labels = Labels {
    title: "Carpeta",
    student: "Estudiante",
    born: "Fecha de nacimiento",
    as_of: "Preparada el",
    timeline: "Cronología",
    deadlines: "Plazos",
    letters: "Cartas enviadas",
    log: "Registro de comunicaciones",
    documents: "Índice de documentos",
    date: "Fecha",
    what: "Qué",
    due: "Vence",
    status: "Estado",
    rule: "Norma",
    channel: "Cómo",
    with: "Con quién",
    summary: "Resumen",
    follow_up: "Seguimiento antes del",
    name: "Nombre",
    size: "Tamaño (bytes)",
    none: "Nada registrado.",
};

fn section(doc: &mut Document, heading: &str, none: &str, table: Table) {
    doc.push(Block::Heading {
        level: 2,
        text: heading.to_owned(),
    });
    if table.rows.is_empty() {
        doc.push(Block::Paragraph(none.to_owned()));
    } else {
        doc.push(Block::Table(table));
    }
}

fn log_table(l: &Labels, caption: &str, entries: &[BinderEntry]) -> Table {
    Table {
        caption: Some(caption.to_owned()),
        header: vec![
            l.date.into(),
            l.channel.into(),
            l.with.into(),
            l.summary.into(),
            l.follow_up.into(),
        ],
        rows: entries
            .iter()
            .map(|e| {
                vec![
                    e.on.to_string(),
                    e.channel.clone(),
                    e.with_whom.clone(),
                    e.summary.clone(),
                    e.follow_up_due.map(|d| d.to_string()).unwrap_or_default(),
                ]
            })
            .collect(),
        row_headers: true,
    }
}

/// The binder PDF.
pub fn binder_pdf(data: &BinderData, lang: Lang) -> Result<Vec<u8>, DocumentError> {
    if data.student.trim().is_empty() {
        return Err(DocumentError::input(
            "student",
            "required, a non-empty string",
        ));
    }
    let l = match lang {
        Lang::En => &EN,
        Lang::Es => &ES,
    };
    let mut doc = Document::new(format!("{} · {}", l.title, data.student.trim()), lang);
    doc.footer = Some(doc.title.clone());
    doc.push(Block::Heading {
        level: 1,
        text: doc.title.clone(),
    });
    doc.push(Block::KeyValues(vec![
        (l.student.into(), data.student.trim().to_owned()),
        (l.born.into(), lang.long_date(data.birth_date)),
        (l.as_of.into(), lang.long_date(data.as_of)),
    ]));
    section(
        &mut doc,
        l.timeline,
        l.none,
        Table {
            caption: Some(l.timeline.into()),
            header: vec![l.date.into(), l.what.into()],
            rows: data
                .timeline
                .iter()
                .map(|(on, what)| vec![on.to_string(), what.clone()])
                .collect(),
            row_headers: true,
        },
    );
    section(
        &mut doc,
        l.deadlines,
        l.none,
        Table {
            caption: Some(l.deadlines.into()),
            header: vec![l.what.into(), l.due.into(), l.status.into(), l.rule.into()],
            rows: data
                .deadlines
                .iter()
                .map(|d| {
                    vec![
                        d.what.clone(),
                        d.due.to_string(),
                        d.status.clone(),
                        d.citation.clone(),
                    ]
                })
                .collect(),
            row_headers: true,
        },
    );
    section(
        &mut doc,
        l.letters,
        l.none,
        log_table(l, l.letters, &data.letters),
    );
    section(
        &mut doc,
        l.log,
        l.none,
        log_table(l, l.log, &data.communications),
    );
    section(
        &mut doc,
        l.documents,
        l.none,
        Table {
            caption: Some(l.documents.into()),
            header: vec![
                l.name.into(),
                l.date.into(),
                l.size.into(),
                "SHA-256".into(),
            ],
            rows: data
                .documents
                .iter()
                .map(|d| {
                    vec![
                        d.name.clone(),
                        d.dated.to_string(),
                        d.size_bytes.to_string(),
                        d.sha256.clone(),
                    ]
                })
                .collect(),
            row_headers: true,
        },
    );
    render_pdf(&doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn renders_every_section_in_both_languages() {
        let entry = BinderEntry {
            on: date("2026-10-01"),
            channel: "letter".into(),
            with_whom: "Dr. Kim".into(),
            summary: "Evaluation request".into(),
            follow_up_due: Some(date("2026-10-15")),
        };
        let data = BinderData {
            student: "Leo Rivera".into(),
            birth_date: date("2017-04-02"),
            as_of: date("2026-11-24"),
            timeline: vec![(date("2026-10-01"), "Evaluation requested".into())],
            deadlines: vec![BinderDeadline {
                what: "Initial evaluation".into(),
                due: date("2026-12-10"),
                status: "Open".into(),
                citation: "34 CFR 300.301(c)(1)".into(),
            }],
            letters: vec![entry.clone()],
            communications: vec![entry],
            documents: vec![BinderDocument {
                name: "report.pdf".into(),
                dated: date("2026-09-01"),
                size_bytes: 1234,
                sha256: "ab".repeat(32),
            }],
        };
        for lang in Lang::ALL {
            let pdf = binder_pdf(&data, lang).expect("renders");
            assert!(pdf.starts_with(b"%PDF-"));
        }
        let empty = BinderData {
            student: " ".into(),
            ..data
        };
        assert!(binder_pdf(&empty, Lang::En).is_err());
    }
}
