//! `iep504 import oneroster|edfi`: parse the files (every problem reported, exit 2), then write
//! everything in one transaction, so an import lands whole or not at all.

use super::district;
use crate::context::Context;
use crate::error::CliError;
use crate::output;
use std::path::{Path, PathBuf};
use store::edfi_store::Ready;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// A OneRoster 1.2 CSV directory: schools, students, guardians, teachers.
    Oneroster(OnerosterArgs),
    /// Ed-Fi JSON files: students, program associations, eligibility records.
    Edfi(EdfiArgs),
}

#[derive(Debug, clap::Args)]
pub struct OnerosterArgs {
    /// The directory holding manifest.csv, orgs.csv, users.csv …
    dir: PathBuf,
    /// The district, when the database holds several.
    #[arg(long)]
    district: Option<i64>,
}

#[derive(Debug, clap::Args)]
pub struct EdfiArgs {
    /// Ed-Fi JSON files (an array of one resource, or an object of resource → array).
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// JSON object mapping the district's own descriptor URIs to federal codes.
    #[arg(long, value_name = "MAP.json")]
    descriptor_map: Option<PathBuf>,
    /// The district, when the database holds several.
    #[arg(long)]
    district: Option<i64>,
}

pub fn run(cmd: Command, ctx: &Context) -> Result<(), CliError> {
    match cmd {
        Command::Oneroster(args) => oneroster(args, ctx),
        Command::Edfi(args) => edfi(args, ctx),
    }
}

/// Every parser problem, one per line, under the input they came from.
fn problems(input: &str, count: usize, list: impl std::fmt::Display) -> CliError {
    CliError::input(
        input,
        format!("{count} problem(s), nothing imported:\n{list}"),
    )
}

fn oneroster(args: OnerosterArgs, ctx: &Context) -> Result<(), CliError> {
    let roster = interop::oneroster::read_dir(&args.dir)
        .map_err(|errors| problems(&args.dir.display().to_string(), errors.len(), &errors))?;
    let mut conn = ctx.open_migrated()?;
    conn.prepare_for_bulk()?;
    let district_id = district::resolve(&mut conn, args.district, "US")?;
    let bar = super::progress_bar(store::roster::record_count(&roster), "records");
    let started = std::time::Instant::now();
    let written = conn.transaction(|tx| {
        store::roster::import(tx, district_id, &roster, &mut |done| bar.set_position(done))
    });
    bar.finish_and_clear();
    conn.end_bulk()?;
    let summary = written.map_err(CliError::from_store_input(&args.dir.display().to_string()))?;
    eprintln!(
        "iep504: imported the roster in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    output::json(&summary)
}

/// A rough size of one Ed-Fi record in a file (a student is about 120 bytes, an association 400
/// to 700), to guess from the files' size whether an import is a bulk one.
const EDFI_BYTES_PER_RECORD: u64 = 300;

/// Records handed from the reading thread to the writing one at a time.
const EDFI_CHUNK: usize = 4096;

/// Chunks the reading thread may be ahead of the writer (a chunk of associations is ~3 MB).
const EDFI_CHUNKS_AHEAD: usize = 48;

/// Reads the files on one thread while the database is written on this one, inside one
/// transaction: a problem anywhere in the files rolls everything back and is reported with every
/// other problem found.
fn edfi(args: EdfiArgs, ctx: &Context) -> Result<(), CliError> {
    let paths: Vec<&Path> = args.files.iter().map(PathBuf::as_path).collect();
    let mut conn = ctx.open_migrated()?;
    conn.prepare_for_bulk()?;
    let district_id = district::resolve(&mut conn, args.district, "US")?;
    let bytes = interop::edfi::total_bytes(&paths);
    let bar = super::progress_bar(bytes, "bytes");
    let started = std::time::Instant::now();
    let today = super::parse::today();
    let what = args
        .files
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ");
    let mut file_problems = None;
    let written = std::thread::scope(|scope| {
        // Room for the records read while the writer builds the students' indexes.
        let (send, chunks) = std::sync::mpsc::sync_channel::<Chunk>(EDFI_CHUNKS_AHEAD);
        let (recycle, written_chunks) = std::sync::mpsc::channel::<Vec<Ready>>();
        let map = args.descriptor_map.as_deref();
        let reader = scope.spawn(move || read_edfi(&paths, map, &send, &written_chunks));
        conn.transaction(|tx| {
            let expected = bytes / EDFI_BYTES_PER_RECORD;
            let mut writer = store::edfi_store::EdfiWriter::begin(tx, district_id, expected)?;
            for chunk in chunks {
                let (records, read) = chunk?;
                writer.write(tx, &records)?;
                bar.set_position(read);
                // Freed by the thread that made them, where freeing is cheapest.
                let _ = recycle.send(records);
            }
            match reader.join() {
                Ok(Ok(())) => writer.finish(tx, today),
                Ok(Err(errors)) => {
                    file_problems = Some(errors);
                    Err(store::StoreError::Invalid("the files have problems".into()))
                }
                Err(_) => Err(store::StoreError::Corrupt(
                    "the thread reading the files stopped".into(),
                )),
            }
        })
    });
    bar.finish_and_clear();
    conn.end_bulk()?;
    if let Some(errors) = file_problems {
        return Err(problems("import edfi", errors.len(), &errors));
    }
    let summary = written.map_err(CliError::from_store_input(&what))?;
    let records = summary.schools
        + summary.students
        + summary.program_associations
        + summary.eligibility_associations;
    eprintln!(
        "iep504: imported {records} records in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    output::json(&summary)
}

/// Records ready to write, with the bytes of the files read so far.
type Chunk = Result<(Vec<Ready>, u64), store::StoreError>;

/// Streams the files' records to the writer in chunks, each made ready to write here, and frees
/// the chunks the writer hands back. When the writer has stopped (a database error), the rest
/// of the files is still checked but not sent.
fn read_edfi(
    paths: &[&Path],
    map: Option<&Path>,
    send: &std::sync::mpsc::SyncSender<Chunk>,
    written: &std::sync::mpsc::Receiver<Vec<Ready>>,
) -> Result<(), interop::edfi::EdfiErrors> {
    let read = std::cell::Cell::new(0u64);
    let mut chunk = Vec::with_capacity(EDFI_CHUNK);
    let mut failed = None;
    let hand_over = |chunk: &mut Vec<Ready>, failed: &mut Option<store::StoreError>| {
        let message = match failed.take() {
            Some(error) => Err(error),
            None => Ok((
                std::mem::replace(chunk, Vec::with_capacity(EDFI_CHUNK)),
                read.get(),
            )),
        };
        // A closed channel means the writer failed; its error is the one reported.
        let _ = send.send(message);
        while written.try_recv().is_ok() {}
    };
    let result = interop::edfi::stream_files(
        paths,
        map,
        &mut |record| match store::edfi_store::ready(record) {
            Ok(ready) => {
                chunk.push(ready);
                if chunk.len() == EDFI_CHUNK {
                    hand_over(&mut chunk, &mut failed);
                }
            }
            Err(error) => {
                failed.get_or_insert(error);
            }
        },
        &mut |bytes| read.set(bytes),
    );
    if result.is_ok() && (!chunk.is_empty() || failed.is_some()) {
        hand_over(&mut chunk, &mut failed);
    }
    result
}
