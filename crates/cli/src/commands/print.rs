//! `iep504 print iep|plan504|pwn|progress-report --student ID --out OUT.pdf [--lang en|es]`: a
//! student's documents as tagged PDFs. `iep` and `plan504` print the current plan (the latest
//! finalized version, else the latest draft, marked DRAFT); `pwn` the latest notice (the last
//! one sent, or else the last draft, marked as such), as a prior written notice or, drafted from
//! a Section 504 decision, as the notice of that decision (34 CFR 104.36); `progress-report`
//! every goal's progress with its aim line, trend, decision and data. Printing reads the record,
//! so each print is written to the record of access (34 CFR 300.614).

use crate::context::Context;
use crate::error::CliError;
use documents::{DocumentError, Lang, NoticeFacts};
use domain::plan::PlanKind;
use std::path::{Path, PathBuf};
use store::access_log::Purpose;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// The student's current IEP (34 CFR 300.320).
    Iep(Args),
    /// The student's current Section 504 plan.
    Plan504(Args),
    /// The student's latest prior written notice (34 CFR 300.503).
    Pwn(Args),
    /// Progress on every goal of the student (34 CFR 300.320(a)(3)(ii)).
    ProgressReport(Args),
}

#[derive(Debug, clap::Args)]
pub struct Args {
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

pub fn run(command: Command, ctx: &Context) -> Result<(), CliError> {
    match command {
        Command::Iep(args) => plan(PlanKind::Iep, args, ctx),
        Command::Plan504(args) => plan(PlanKind::Plan504, args, ctx),
        Command::Pwn(args) => pwn(args, ctx),
        Command::ProgressReport(args) => progress_report(args, ctx),
    }
}

/// Writes beside the target and renames, so a failure never leaves half a document.
fn write_pdf(out: &Path, pdf: &[u8]) -> Result<(), CliError> {
    let partial = out.with_extension("pdf.partial");
    std::fs::write(&partial, pdf)
        .and_then(|()| std::fs::rename(&partial, out))
        .map_err(|source| CliError::Io {
            what: out.display().to_string(),
            source,
        })
}

fn plan(kind: PlanKind, args: Args, ctx: &Context) -> Result<(), CliError> {
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
                        purpose: Purpose::PrintingPlan.stated(),
                        at: None,
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
    write_pdf(&args.out, &pdf)?;
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

fn pwn(args: Args, ctx: &Context) -> Result<(), CliError> {
    let mut conn = ctx.open_migrated()?;
    let (notice, facts) = conn
        .transaction(|tx| {
            let student = store::students::get_student(tx, args.student)?;
            let district = store::districts::get_district(tx, student.district_id)?;
            let notice = store::evaluations::latest_notice(tx, student.id)?;
            store::access_log::record(
                tx,
                &store::access_log::NewEntry {
                    district_id: student.district_id,
                    student_id: Some(student.id),
                    user_id: None,
                    who: "iep504 print (command line)",
                    role: "operator",
                    action: "print_pwn",
                    purpose: Purpose::PrintingNotice.stated(),
                    at: None,
                },
            )?;
            let facts = NoticeFacts {
                district: district.name,
                student: format!("{} {}", student.first_name, student.last_name),
                birth_date: Some(student.birth_date),
                sent_on: notice.as_ref().and_then(|n| n.sent_on),
            };
            Ok((notice, facts))
        })
        .map_err(|e| match e {
            store::StoreError::NotFound(_) => CliError::input(
                "--student",
                format!("the id of a student, not {}", args.student),
            ),
            other => other.into(),
        })?;
    let Some(notice) = notice else {
        return Err(CliError::input(
            "--student",
            format!(
                "a student with a prior written notice; student {} has none",
                args.student
            ),
        ));
    };
    let pdf = documents::notice_pdf(&notice.notice, notice.kind, &facts, args.lang).map_err(
        |e| match e {
            DocumentError::Input { .. } => CliError::input(
                format!("notice {}", notice.id),
                format!(
                    "every content {} requires ({e})",
                    law::notice::rule(notice.kind)
                ),
            ),
            other => CliError::Document(other.to_string()),
        },
    )?;
    write_pdf(&args.out, &pdf)?;
    eprintln!("iep504: wrote {} ({} bytes)", args.out.display(), pdf.len());
    Ok(())
}

fn progress_report(args: Args, ctx: &Context) -> Result<(), CliError> {
    let mut conn = ctx.open_migrated()?;
    let (student, goals) = conn
        .transaction(|tx| {
            let student = store::students::get_student(tx, args.student)?;
            let mut goals = Vec::new();
            for goal in store::goals::list_goals(tx, student.id)? {
                let points = store::goals::points(tx, goal.id)?;
                goals.push((goal, points));
            }
            store::access_log::record(
                tx,
                &store::access_log::NewEntry {
                    district_id: student.district_id,
                    student_id: Some(student.id),
                    user_id: None,
                    who: "iep504 print (command line)",
                    role: "operator",
                    action: "print_progress_report",
                    purpose: Purpose::PrintingProgressReport.stated(),
                    at: None,
                },
            )?;
            Ok((student, goals))
        })
        .map_err(CliError::from_store_input("--student"))?;
    let pdf = web::print::progress_report_pdf(&student, &goals, args.lang)
        .map_err(|e| CliError::Document(e.to_string()))?;
    write_pdf(&args.out, &pdf)?;
    eprintln!(
        "iep504: wrote {} ({} bytes): {} goals",
        args.out.display(),
        pdf.len(),
        goals.len()
    );
    Ok(())
}
