//! The document vault: PDFs and images a family or school keeps with a student's record
//! (letters received, evaluation reports, photos of notes home). Each document is stored in the
//! database itself (a BLOB in SQLite, BYTEA in PostgreSQL), so backup and restore carry it like
//! any other row, with its SHA-256 and size. What is accepted is decided by the bytes, never by
//! the file name or the browser's Content-Type: a PDF, PNG or JPEG signature, at most
//! [`MAX_BYTES`], and no PDF that carries script, launch actions or embedded files.

use crate::db::{Conn, Row};
use crate::{StoreError, now, params};
use domain::Date;
use serde::Serialize;
use sha2::{Digest, Sha256};

/// The largest document accepted: 10 MiB.
pub const MAX_BYTES: usize = 10 * 1024 * 1024;
/// The longest document name kept, in characters.
pub const MAX_NAME_CHARS: usize = 120;

/// The kinds of file the vault keeps, by their signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Pdf,
    Png,
    Jpeg,
}

impl Kind {
    pub fn media_type(self) -> &'static str {
        match self {
            Kind::Pdf => "application/pdf",
            Kind::Png => "image/png",
            Kind::Jpeg => "image/jpeg",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Kind::Pdf => "pdf",
            Kind::Png => "png",
            Kind::Jpeg => "jpg",
        }
    }
}

/// Why a file was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    Empty,
    TooLarge,
    /// The bytes are not a PDF, PNG or JPEG (whatever the name says).
    UnknownType,
    /// An executable or script (Windows, ELF, Mach-O, shell script) — never stored.
    Executable,
    /// A PDF with JavaScript, launch actions or embedded files.
    ActivePdf,
}

impl Refusal {
    /// The message code the web layer translates.
    pub fn code(self) -> &'static str {
        match self {
            Refusal::Empty => "empty",
            Refusal::TooLarge => "too_large",
            Refusal::UnknownType => "unknown_type",
            Refusal::Executable => "executable",
            Refusal::ActivePdf => "active_pdf",
        }
    }
}

const PDF_ACTIVE: &[&[u8]] = &[
    b"/JavaScript",
    b"/JS",
    b"/Launch",
    b"/EmbeddedFile",
    b"/RichMedia",
];

/// What the bytes are, or why they are refused.
pub fn sniff(bytes: &[u8]) -> Result<Kind, Refusal> {
    if bytes.is_empty() {
        return Err(Refusal::Empty);
    }
    if bytes.len() > MAX_BYTES {
        return Err(Refusal::TooLarge);
    }
    let executable: &[&[u8]] = &[
        b"MZ",
        b"\x7fELF",
        b"#!",
        b"\xfe\xed\xfa\xce",
        b"\xfe\xed\xfa\xcf",
        b"\xcf\xfa\xed\xfe",
        b"\xce\xfa\xed\xfe",
        b"\xca\xfe\xba\xbe",
        b"PK\x03\x04",
    ];
    if executable.iter().any(|magic| bytes.starts_with(magic)) {
        return Err(Refusal::Executable);
    }
    if bytes.starts_with(b"%PDF-") {
        if PDF_ACTIVE
            .iter()
            .any(|needle| bytes.windows(needle.len()).any(|w| w == *needle))
        {
            return Err(Refusal::ActivePdf);
        }
        return Ok(Kind::Pdf);
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Ok(Kind::Png);
    }
    if bytes.starts_with(b"\xff\xd8\xff") {
        return Ok(Kind::Jpeg);
    }
    Err(Refusal::UnknownType)
}

/// The SHA-256 of the bytes, as lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// A file name safe to store and to send back in a Content-Disposition header: letters,
/// digits, spaces, dots, dashes and underscores (others become `_`), no leading dot, at most
/// [`MAX_NAME_CHARS`], ending in the extension of what the bytes really are.
pub fn clean_name(given: &str, kind: Kind) -> String {
    let base = given.rsplit(['/', '\\']).next().unwrap_or("");
    let stem = base
        .rsplit_once('.')
        .map_or(base, |(stem, _)| stem)
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, ' ' | '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect::<String>();
    let stem = stem.trim().trim_start_matches('.').trim();
    let stem: String = stem.chars().take(MAX_NAME_CHARS - 5).collect();
    let stem = if stem.is_empty() {
        "document".to_owned()
    } else {
        stem
    };
    format!("{stem}.{}", kind.extension())
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocumentInfo {
    pub id: i64,
    pub student_id: i64,
    pub name: String,
    pub media_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    /// The document's own date (a letter's date), as the uploader gave it.
    pub dated: Date,
    pub uploaded_by: Option<String>,
    pub uploaded_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub info: DocumentInfo,
    pub content: Vec<u8>,
}

fn info_from_row(row: &Row) -> Result<DocumentInfo, StoreError> {
    Ok(DocumentInfo {
        id: row.int(0)?,
        student_id: row.int(1)?,
        name: row.string(2)?,
        media_type: row.string(3)?,
        size_bytes: row.int(4)?,
        sha256: row.string(5)?,
        dated: row.date(6)?,
        uploaded_by: row.opt_string(7)?,
        uploaded_at: row.string(8)?,
    })
}

const INFO_COLUMNS: &str = "d.id, d.student_id, d.name, d.media_type, d.size_bytes, d.sha256,
    d.dated, u.display_name, d.uploaded_at";

/// Stores a document after checking its bytes; returns its id, or the refusal.
pub fn add(
    tx: &mut Conn,
    district_id: i64,
    student_id: i64,
    given_name: &str,
    dated: Date,
    content: &[u8],
    uploaded_by: Option<i64>,
) -> Result<Result<i64, Refusal>, StoreError> {
    let kind = match sniff(content) {
        Ok(kind) => kind,
        Err(refusal) => return Ok(Err(refusal)),
    };
    let name = clean_name(given_name, kind);
    let size = i64::try_from(content.len())
        .map_err(|_| StoreError::Invalid("document too large".into()))?;
    let row = tx.query_one(
        "INSERT INTO vault_documents (district_id, student_id, name, media_type, size_bytes,
             sha256, dated, content, uploaded_by, uploaded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        params![
            district_id,
            student_id,
            name,
            kind.media_type(),
            size,
            sha256_hex(content),
            dated,
            content.to_vec(),
            uploaded_by,
            now()
        ],
    )?;
    Ok(Ok(row.int(0)?))
}

/// A student's documents (without their bytes), newest first.
pub fn list(conn: &mut Conn, student_id: i64) -> Result<Vec<DocumentInfo>, StoreError> {
    conn.query(
        &format!(
            "SELECT {INFO_COLUMNS} FROM vault_documents d LEFT JOIN users u ON u.id = d.uploaded_by
             WHERE d.student_id = $1 ORDER BY d.dated DESC, d.id DESC"
        ),
        params![student_id],
    )?
    .iter()
    .map(info_from_row)
    .collect()
}

/// One document of this student with its bytes; `None` when the student has no such document.
pub fn get(conn: &mut Conn, student_id: i64, id: i64) -> Result<Option<Stored>, StoreError> {
    let Some(row) = conn.query_opt(
        &format!(
            "SELECT {INFO_COLUMNS}, d.content FROM vault_documents d
             LEFT JOIN users u ON u.id = d.uploaded_by
             WHERE d.student_id = $1 AND d.id = $2"
        ),
        params![student_id, id],
    )?
    else {
        return Ok(None);
    };
    Ok(Some(Stored {
        info: info_from_row(&row)?,
        content: row.bytes(9)?.to_vec(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bytes_decide_the_type() {
        assert_eq!(sniff(b"%PDF-1.7\n1 0 obj"), Ok(Kind::Pdf));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0"), Ok(Kind::Png));
        assert_eq!(sniff(b"\xff\xd8\xff\xe0JFIF"), Ok(Kind::Jpeg));
        assert_eq!(sniff(b"GIF89a"), Err(Refusal::UnknownType));
        assert_eq!(sniff(b"hello.pdf"), Err(Refusal::UnknownType));
        assert_eq!(sniff(b""), Err(Refusal::Empty));
    }

    #[test]
    fn executables_and_active_pdfs_are_refused() {
        assert_eq!(sniff(b"MZ\x90\0"), Err(Refusal::Executable));
        assert_eq!(sniff(b"\x7fELF\x02"), Err(Refusal::Executable));
        assert_eq!(sniff(b"#!/bin/sh\nrm -rf /"), Err(Refusal::Executable));
        assert_eq!(sniff(b"PK\x03\x04zip"), Err(Refusal::Executable));
        assert_eq!(
            sniff(b"%PDF-1.4\n<< /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>"),
            Err(Refusal::ActivePdf)
        );
        assert_eq!(
            sniff(b"%PDF-1.4\n<< /S /Launch /F (cmd.exe) >>"),
            Err(Refusal::ActivePdf)
        );
    }

    #[test]
    fn size_limit_is_inclusive() {
        let mut big = b"%PDF-1.4\n".to_vec();
        big.resize(MAX_BYTES, b' ');
        assert_eq!(sniff(&big), Ok(Kind::Pdf));
        big.push(b' ');
        assert_eq!(sniff(&big), Err(Refusal::TooLarge));
    }

    #[test]
    fn names_are_cleaned_and_take_the_real_extension() {
        assert_eq!(clean_name("report.pdf", Kind::Pdf), "report.pdf");
        assert_eq!(clean_name("../../etc/passwd", Kind::Png), "passwd.png");
        assert_eq!(clean_name("evil\".exe", Kind::Pdf), "evil_.pdf");
        assert_eq!(
            clean_name("note\r\nSet-Cookie: x.jpg", Kind::Jpeg),
            "note__Set-Cookie_ x.jpg"
        );
        assert_eq!(clean_name(".hidden", Kind::Pdf), "document.pdf");
        assert_eq!(clean_name("", Kind::Pdf), "document.pdf");
        assert!(clean_name(&"a".repeat(500), Kind::Pdf).chars().count() <= MAX_NAME_CHARS);
    }

    #[test]
    fn sha256_of_known_text() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
