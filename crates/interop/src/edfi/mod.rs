//! Ed-Fi JSON: reading the ODS/API resources iep504 exchanges into a normalized batch (with
//! descriptor URIs resolved to federal codes) and writing a batch back out as Ed-Fi records.

mod descriptors;
mod export;
mod import;
pub mod resources;

pub use descriptors::{DescriptorKind, DescriptorMap, DescriptorProblem, IEP504_NAMESPACE};
pub use export::{EdfiExport, to_edfi};
pub use import::{EdfiError, EdfiErrors, parse_edfi};

use std::path::Path;

/// Reads Ed-Fi files (and an optional descriptor map) from disk and parses them; the only I/O
/// in this module.
pub fn read_files(
    paths: &[&Path],
    map_path: Option<&Path>,
) -> Result<crate::normalized::Batch, EdfiErrors> {
    let mut errors = EdfiErrors::default();
    let mut map = DescriptorMap::default();
    if let Some(path) = map_path {
        match std::fs::read(path) {
            Ok(bytes) => match DescriptorMap::from_json(&bytes) {
                Ok(read) => map = read,
                Err(problems) => {
                    for (at, problem) in problems {
                        errors.push(EdfiError {
                            file: path.display().to_string(),
                            path: at,
                            problem,
                        });
                    }
                }
            },
            Err(e) => errors.push(unreadable(path, &e)),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    // One file in memory at a time.
    let mut importer = import::Importer::new(&map);
    for path in paths {
        match std::fs::read(path) {
            Ok(bytes) => importer.file(&path.display().to_string(), &bytes),
            Err(e) => importer.push_error(unreadable(path, &e)),
        }
    }
    importer.finish()
}

fn unreadable(path: &Path, error: &std::io::Error) -> EdfiError {
    EdfiError {
        file: path.display().to_string(),
        path: "$".into(),
        problem: format!("expected a readable file ({error})"),
    }
}
