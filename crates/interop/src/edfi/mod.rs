//! Ed-Fi JSON: reading the ODS/API resources iep504 exchanges into a normalized batch (with
//! descriptor URIs resolved to federal codes) and writing a batch back out as Ed-Fi records.

mod descriptors;
mod export;
mod import;
pub mod resources;

pub use descriptors::{DescriptorKind, DescriptorMap, DescriptorProblem, IEP504_NAMESPACE};
pub use export::{EdfiExport, to_edfi};
pub use import::{EdfiError, EdfiErrors, parse_edfi};

use crate::normalized::Record;
use std::path::Path;

/// Reads Ed-Fi files (and an optional descriptor map) from disk and parses them into one batch;
/// with [`stream_files`], the only I/O in this module.
pub fn read_files(
    paths: &[&Path],
    map_path: Option<&Path>,
) -> Result<crate::normalized::Batch, EdfiErrors> {
    let mut collector = import::Collector::default();
    stream_files(
        paths,
        map_path,
        &mut |record| collector.take(record),
        &mut |_| {},
    )?;
    Ok(collector.into_batch())
}

/// Reads Ed-Fi files one at a time and hands each valid record to `sink` as it is read, in file
/// order, while no problem has been found (after one, the rest is only checked, so the error
/// report is complete). `progress` hears how many bytes of all the files have been read. The
/// caller must write nothing unless this returns `Ok`.
pub fn stream_files(
    paths: &[&Path],
    map_path: Option<&Path>,
    sink: &mut dyn FnMut(Record),
    progress: &mut dyn FnMut(u64),
) -> Result<(), EdfiErrors> {
    let mut map = DescriptorMap::default();
    if let Some(path) = map_path {
        let mut errors = EdfiErrors::default();
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
        if !errors.is_empty() {
            return Err(errors);
        }
    }
    // Bytes of the files before the one being read.
    let before = std::cell::Cell::new(0u64);
    let mut report = |read: u64| progress(before.get() + read);
    let mut importer = import::Importer::new(&map, sink, &mut report);
    for path in paths {
        // One file in memory at a time.
        match std::fs::read(path) {
            Ok(bytes) => {
                importer.file(&path.display().to_string(), &bytes);
                before.set(before.get() + bytes.len() as u64);
            }
            Err(e) => importer.push_error(unreadable(path, &e)),
        }
    }
    importer.finish()
}

/// The total size of the files, for a progress bar over [`stream_files`]; unreadable files
/// count as empty (reading them reports the problem).
pub fn total_bytes(paths: &[&Path]) -> u64 {
    paths
        .iter()
        .filter_map(|path| std::fs::metadata(path).ok())
        .map(|meta| meta.len())
        .sum()
}

fn unreadable(path: &Path, error: &std::io::Error) -> EdfiError {
    EdfiError {
        file: path.display().to_string(),
        path: "$".into(),
        problem: format!("expected a readable file ({error})"),
    }
}
