//! Any bytes split into a roster's files must parse or fail with errors, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::collections::BTreeMap;

const FILES: [&str; 7] = [
    "manifest.csv",
    "orgs.csv",
    "users.csv",
    "roles.csv",
    "demographics.csv",
    "classes.csv",
    "enrollments.csv",
];

fuzz_target!(|data: &[u8]| {
    // Sections separated by a form feed become the files in order; a valid manifest is
    // prepended when the input brings none, so the data files are reached.
    let mut files = BTreeMap::new();
    let mut sections = data.split(|b| *b == 0x0c);
    let first = sections.next().unwrap_or_default();
    let manifest: &[u8] = if first.starts_with(b"propertyName") {
        first
    } else {
        b"propertyName,value\noneroster.version,1.2\n"
    };
    files.insert(FILES[0].to_string(), manifest.to_vec());
    let rest = if first.starts_with(b"propertyName") {
        None
    } else {
        Some(first)
    };
    for (name, bytes) in FILES[1..].iter().zip(rest.into_iter().chain(sections)) {
        files.insert(name.to_string(), bytes.to_vec());
    }
    if let Ok(roster) = interop::oneroster::parse_roster(&files) {
        let _ = roster.students();
        let _ = roster.guardian_links();
        let _ = roster.teacher_student_links();
    }
});
