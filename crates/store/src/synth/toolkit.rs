//! The parent toolkit's synthetic records: communication-log entries that follow each
//! student's timeline (the written evaluation request as a letter, the meetings, a follow-up
//! email), and for a family's own binder a few documents in the vault. Deterministic for a
//! seed: each student draws from their own random stream.

use super::records::StudentRecords;
use crate::bulk::BulkInsert;
use crate::db::{Conn, Value};
use crate::{StoreError, communications, vault};
use domain::Date;
use domain::event::{EventKind, Requester};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn toolkit_rng(seed: u64, index: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x746f_6f6c_6b69_7421);
    rng.set_stream(index);
    rng
}

fn add_days(d: Date, n: i64) -> Date {
    d.saturating_add(jiff::Span::new().days(n))
}

const WITH_SCHOOL: &[&str] = &[
    "Ms. Alvarez, case manager",
    "Mr. Chen, school psychologist",
    "Front office",
    "Mrs. Okafor, classroom teacher",
    "Dr. Patel, special education director",
];

/// The communication entries a timeline suggests, dated no later than `anchor`.
pub(crate) fn entries_for(
    rng: &mut ChaCha8Rng,
    events: &[domain::event::Event],
    anchor: Date,
) -> Vec<communications::NewCommunication> {
    let mut out = Vec::new();
    let mut who = || WITH_SCHOOL[rng.random_range(0..WITH_SCHOOL.len())].to_owned();
    for event in events.iter().filter(|e| e.on <= anchor) {
        let (channel, summary, follow_up, letter_kind, event_id) = match &event.kind {
            EventKind::EvaluationRequested {
                by: Requester::Parent,
                written: true,
            } => (
                "letter",
                "Wrote to ask for a full special education evaluation and for the consent form.",
                Some(15),
                Some("evaluation_request"),
                Some(event.id.clone()),
            ),
            EventKind::EvaluationRequested {
                by: Requester::Parent,
                written: false,
            } => (
                "call",
                "Asked on the phone about an evaluation; was told to put it in writing.",
                Some(7),
                None,
                None,
            ),
            EventKind::IepMeetingHeld { .. } => (
                "meeting",
                "IEP meeting. Went over goals and services; asked for a copy of the draft.",
                Some(10),
                None,
                None,
            ),
            EventKind::RecordsRequested => (
                "email",
                "Asked for copies of the educational records.",
                Some(45),
                Some("records_request"),
                None,
            ),
            EventKind::RtiStarted { .. } => (
                "email",
                "The school said reading intervention starts this week.",
                None,
                None,
                None,
            ),
            _ => continue,
        };
        out.push(communications::NewCommunication {
            on: event.on,
            channel: channel.into(),
            with_whom: who(),
            summary: summary.into(),
            follow_up_due: follow_up.map(|days| add_days(event.on, days)),
            letter_kind: letter_kind.map(str::to_owned),
            event_id,
        });
    }
    out
}

/// Communication-log entries for the bulk district, recorded by the case manager when there
/// is one.
pub(crate) fn write_communications(
    tx: &mut Conn,
    district_id: i64,
    anchor: Date,
    seed: u64,
    students: &[StudentRecords<'_>],
    created_at: &str,
) -> Result<(), StoreError> {
    let mut rows = BulkInsert::new(
        "communications",
        &[
            "district_id",
            "student_id",
            "on_date",
            "channel",
            "with_whom",
            "summary",
            "follow_up_due",
            "letter_kind",
            "event_id",
            "recorded_by",
            "recorded_at",
        ],
    );
    for s in students {
        let mut rng = toolkit_rng(seed, s.index);
        for entry in entries_for(&mut rng, s.events, anchor) {
            entry.validate()?;
            rows.push(
                tx,
                [
                    Value::Int(district_id),
                    Value::Int(s.student_id),
                    Value::from(entry.on),
                    Value::from(entry.channel),
                    Value::from(entry.with_whom),
                    Value::from(entry.summary),
                    Value::from(entry.follow_up_due),
                    Value::from(entry.letter_kind),
                    Value::from(entry.event_id),
                    Value::from(s.case_manager),
                    Value::from(created_at),
                ],
            )?;
        }
    }
    rows.flush(tx)
}

/// A small, valid one-page PDF with `line` as its text: the synthetic "scanned letter".
pub(crate) fn tiny_pdf(line: &str) -> Vec<u8> {
    let text: String = line
        .chars()
        .map(|c| {
            if matches!(c, '(' | ')' | '\\') || !c.is_ascii() {
                ' '
            } else {
                c
            }
        })
        .collect();
    let stream = format!("BT /F1 12 Tf 72 720 Td ({text}) Tj ET");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_owned(),
        format!("<< /Length {} >>\nstream\n{stream}\nendstream", stream.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned(),
    ];
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
    }
    let xref = pdf.len();
    pdf.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for offset in offsets {
        pdf.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    pdf
}

/// A family's own records: the log from the timeline and two documents in the vault.
pub(crate) fn family_records(
    tx: &mut Conn,
    district_id: i64,
    child: &StudentRecords<'_>,
    parent: i64,
    seed: u64,
    anchor: Date,
) -> Result<(), StoreError> {
    let student_id = child.student_id;
    let mut rng = toolkit_rng(seed, child.index);
    for entry in entries_for(&mut rng, child.events, anchor) {
        communications::add(tx, district_id, student_id, &entry, Some(parent))?;
    }
    let documents = [
        (
            "Report card (fall).pdf",
            add_days(anchor, -60),
            "Report card - synthetic",
        ),
        (
            "Note from teacher.pdf",
            add_days(anchor, -20),
            "Note from the teacher - synthetic",
        ),
    ];
    for (name, dated, line) in documents {
        vault::add(
            tx,
            district_id,
            student_id,
            name,
            dated,
            &tiny_pdf(line),
            Some(parent),
        )?
        .map_err(|r| StoreError::Invalid(format!("synthetic document refused: {}", r.code())))?;
    }
    Ok(())
}
