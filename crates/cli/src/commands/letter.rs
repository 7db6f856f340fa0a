//! `iep504 letter KIND --data FILE --out OUT.pdf [--lang en|es]`: a dated letter to the school
//! as an accessible (tagged) PDF, stating the request and the rule it rests on.

use super::input::{bad_file, read_file};
use crate::error::CliError;
use documents::{DocumentError, Lang, LetterData, LetterKind};
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// evaluation_request, section504_evaluation_request, records_request, iee_request,
    /// prior_written_notice_request or meeting_request.
    #[arg(value_parser = parse_kind)]
    kind: LetterKind,
    /// The letter's data (date, parent, student, recipient, concerns) as JSON.
    #[arg(long, value_name = "FILE")]
    data: PathBuf,
    /// Where to write the PDF.
    #[arg(long, value_name = "OUT.pdf")]
    out: PathBuf,
    #[arg(long, value_parser = parse_lang, default_value = "en")]
    lang: Lang,
}

fn parse_kind(text: &str) -> Result<LetterKind, String> {
    text.parse().map_err(|e: DocumentError| e.to_string())
}

fn parse_lang(text: &str) -> Result<Lang, String> {
    text.parse().map_err(|e: DocumentError| e.to_string())
}

pub fn run(args: Args) -> Result<(), CliError> {
    let text = read_file(&args.data)?;
    let data = LetterData::from_json(&text).map_err(|e| bad_file(&args.data, e))?;
    let pdf = documents::letter(args.kind, &data, args.lang).map_err(|e| match e {
        DocumentError::Input { .. } => bad_file(&args.data, e),
        other => CliError::Document(other.to_string()),
    })?;
    // Write beside the target and rename, so a failure never leaves half a letter.
    let partial = args.out.with_extension("pdf.partial");
    std::fs::write(&partial, &pdf)
        .and_then(|()| std::fs::rename(&partial, &args.out))
        .map_err(|source| CliError::Io {
            what: args.out.display().to_string(),
            source,
        })?;
    eprintln!("iep504: wrote {} ({} bytes)", args.out.display(), pdf.len());
    Ok(())
}
