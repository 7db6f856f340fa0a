//! Checks on raw PDF bytes: krilla compresses content streams but writes the catalog and the
//! structure tree as plain objects, so the accessibility markers can be found as text.

pub fn contains(pdf: &[u8], needle: &str) -> bool {
    pdf.windows(needle.len()).any(|w| w == needle.as_bytes())
}

/// The markers of a tagged PDF with a document language.
pub fn assert_tagged(pdf: &[u8], lang: &str) {
    assert!(pdf.starts_with(b"%PDF-"), "not a PDF");
    for marker in [
        "/StructTreeRoot",
        "/MarkInfo",
        "/Marked true",
        "/DisplayDocTitle true",
    ] {
        assert!(contains(pdf, marker), "missing {marker}");
    }
    assert!(
        contains(pdf, &format!("/Lang({lang})")),
        "missing /Lang({lang})"
    );
    assert!(contains(pdf, "/FontFile2"), "fonts are not embedded");
}

/// Text of the PDF by `pdftotext`, or None (with a note) where poppler-utils is not installed.
pub fn pdftotext(pdf: &[u8], name: &str) -> Option<String> {
    let dir = std::env::temp_dir().join(format!("documents-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).ok()?;
    let path = dir.join(format!("{name}.pdf"));
    std::fs::write(&path, pdf).ok()?;
    match std::process::Command::new("pdftotext")
        .arg("-layout")
        .arg(&path)
        .arg("-")
        .output()
    {
        Ok(out) if out.status.success() => Some(String::from_utf8_lossy(&out.stdout).into_owned()),
        Ok(out) => panic!("pdftotext failed: {}", String::from_utf8_lossy(&out.stderr)),
        Err(_) => {
            eprintln!("note: pdftotext (poppler-utils) not found; text extraction check skipped");
            None
        }
    }
}
