//! `iep504 print iep|plan504 --student ID --out OUT.pdf [--lang en|es]`: the student's current
//! plan as a tagged PDF — the latest finalized version, else the latest draft (marked DRAFT).
//! Printing reads the record, so it is written to the record of access.

use crate::context::Context;
use crate::error::CliError;
use documents::{DocumentError, Lang};
use domain::plan::PlanKind;
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    /// The IEP.
    Iep,
    /// The Section 504 plan.
    Plan504,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    #[arg(value_enum)]
    kind: Kind,
    /// The student's id.
    #[arg(long, value_name = "ID")]
    student: i64,
    /// Where to write the PDF.
    #[arg(long, value_name = "OUT.pdf")]
    out: PathBuf,
    #[arg(long, value_parser = parse_lang, default_value = "en")]
    lang: Lang,
}

fn parse_lang(text: &str) -> Result<Lang, String> {
    text.parse().map_err(|e: DocumentError| e.to_string())
}

pub fn run(args: Args, ctx: &Context) -> Result<(), CliError> {
    let kind = match args.kind {
        Kind::Iep => PlanKind::Iep,
        Kind::Plan504 => PlanKind::Plan504,
    };
    let mut conn = ctx.open_migrated()?;
    let (student, plan) = conn
        .transaction(|tx| {
            let student = store::students::get_student(tx, args.student)?;
            let plan = store::plans::current(tx, student.id, kind)?;
            if plan.is_some() {
                store::access_log::record(
                    tx,
                    &store::access_log::NewEntry {
                        district_id: student.district_id,
                        student_id: Some(student.id),
                        user_id: None,
                        who: "iep504 print (command line)",
                        role: "operator",
                        action: "print_plan",
                        purpose: "printing the student's plan for the team or the family",
                    },
                )?;
            }
            Ok((student, plan))
        })
        .map_err(CliError::from_store_input("--student"))?;
    let plan = plan.ok_or_else(|| {
        CliError::input(
            "--student",
            format!("student {} has no {} yet", student.id, kind.as_str()),
        )
    })?;
    let pdf = documents::plan_pdf(
        &documents::PlanDocument {
            student: format!("{} {}", student.first_name, student.last_name),
            birth_date: student.birth_date,
            kind: plan.kind,
            version: plan.version,
            status: plan.status,
            change_summary: plan.change_summary.clone(),
            content: plan.content.clone(),
        },
        args.lang,
    )
    .map_err(|e| CliError::Document(e.to_string()))?;
    // Write beside the target and rename, so a failure never leaves half a document.
    let partial = args.out.with_extension("pdf.partial");
    std::fs::write(&partial, &pdf)
        .and_then(|()| std::fs::rename(&partial, &args.out))
        .map_err(|source| CliError::Io {
            what: args.out.display().to_string(),
            source,
        })?;
    eprintln!(
        "iep504: wrote {} ({} bytes): {} version {} ({})",
        args.out.display(),
        pdf.len(),
        plan.kind,
        plan.version,
        plan.status
    );
    Ok(())
}
