//! The interop crate's one integration-test binary (compiled once, as STYLE.md asks).

mod edfi;
mod oneroster;
mod reports;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Every file of a fixture directory, keyed by name, as the integrator would hand them over.
pub fn read_fixture_dir(dir: &str) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in std::fs::read_dir(fixtures().join(dir)).expect("fixture dir") {
        let entry = entry.expect("entry");
        let name = entry.file_name().to_string_lossy().into_owned();
        files.insert(name, std::fs::read(entry.path()).expect("fixture file"));
    }
    files
}
