//! The command table. Adding a command is one module with an `Args` type and a `run`, plus one
//! arm in `Command` and one in `run` below.

mod accommodations;
mod audit;
mod backup;
mod calendar;
mod deadlines;
mod demo;
mod district;
mod edfi_client;
mod export;
mod gen_district;
mod import;
mod input;
mod letter;
mod migrate;
mod parse;
mod print;
mod progress_reports;
mod report;
mod serve;
mod student;
mod sweep;
mod token;
mod toolkit;
mod user;

use crate::context::{Context, GlobalArgs};
use crate::error::CliError;
use clap::{Parser, Subcommand};

/// iep504: IEPs, Section 504 plans and RTI, with every deadline the law attaches to them.
#[derive(Debug, Parser)]
#[command(name = "iep504", version, about)]
pub struct Cli {
    #[command(flatten)]
    global: GlobalArgs,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Create or upgrade the schema.
    Migrate(migrate::Args),
    /// Add a synthetic district of N students (deterministic for a seed).
    Gen(gen_district::Args),
    /// Create (or reuse) a demo database, print the demo logins, serve the web app.
    Demo(demo::Args),
    /// Serve the web app and the API.
    Serve(serve::Args),
    /// Students.
    #[command(subcommand)]
    Student(student::Command),
    /// User accounts and their links to students.
    #[command(subcommand)]
    User(user::Command),
    /// API bearer tokens.
    #[command(subcommand)]
    Token(token::Command),
    /// Write a consistent backup (a SQLite file) while the server runs.
    Backup(backup::BackupArgs),
    /// Restore a backup into an empty database.
    Restore(backup::RestoreArgs),
    /// Every obligation of one case file, with due dates, statuses and citations (no database).
    Deadlines(deadlines::Args),
    /// Recompute every student's obligations; print counts by kind and status.
    Sweep(sweep::Args),
    /// Plan advisor: IEP, 504 plan or general-education support, with reasons and citations.
    Advise(toolkit::AdviseArgs),
    /// Red-flag checker over what a school said or wrote.
    Redflags(toolkit::RedflagsArgs),
    /// A dated letter to the school as an accessible PDF (English or Spanish).
    Letter(letter::Args),
    /// Documents of a student's record as accessible PDFs (English or Spanish).
    #[command(subcommand)]
    Print(print::Command),
    /// Aim line, trend lines, decision rule and projected date for one goal's data.
    Progress(toolkit::ProgressArgs),
    /// Service minutes mandated, delivered and owed; compensatory minutes.
    Ledger(toolkit::LedgerArgs),
    /// A district's school calendar (JSON, or closures from an iCalendar file).
    #[command(subcommand)]
    Calendar(calendar::Command),
    /// Federal and compliance reports.
    #[command(subcommand)]
    Report(report::Command),
    /// The record of access.
    #[command(subcommand)]
    Audit(audit::Command),
    /// Teachers' acknowledgements of plans' accommodations (reminders for a nightly cron).
    #[command(subcommand)]
    Accommodations(accommodations::Command),
    /// Progress reports on the IEP's schedule (issued by a nightly cron).
    #[command(subcommand, name = "progress-reports")]
    ProgressReports(progress_reports::Command),
    /// Import a OneRoster roster or Ed-Fi records (all or nothing).
    #[command(subcommand)]
    Import(import::Command),
    /// Export Ed-Fi records.
    #[command(subcommand)]
    Export(export::Command),
    /// Clients of the Ed-Fi-compatible read API.
    #[command(subcommand, name = "edfi-client")]
    EdfiClient(edfi_client::Command),
}

pub fn run(cli: Cli) -> Result<(), CliError> {
    let ctx = Context {
        location: cli.global.location()?,
    };
    match cli.command {
        Command::Migrate(args) => migrate::run(args, &ctx),
        Command::Gen(args) => gen_district::run(args, &ctx),
        Command::Demo(args) => demo::run(args, &ctx),
        Command::Serve(args) => serve::run(args, &ctx),
        Command::Student(cmd) => student::run(cmd, &ctx),
        Command::User(cmd) => user::run(cmd, &ctx),
        Command::Token(cmd) => token::run(cmd, &ctx),
        Command::Backup(args) => backup::run_backup(args, &ctx),
        Command::Restore(args) => backup::run_restore(args, &ctx),
        Command::Deadlines(args) => deadlines::run(args),
        Command::Sweep(args) => sweep::run(args, &ctx),
        Command::Advise(args) => toolkit::advise(args),
        Command::Redflags(args) => toolkit::redflags(args),
        Command::Letter(args) => letter::run(args),
        Command::Print(cmd) => print::run(cmd, &ctx),
        Command::Progress(args) => toolkit::progress(args),
        Command::Ledger(args) => toolkit::ledger(args),
        Command::Calendar(cmd) => calendar::run(cmd, &ctx),
        Command::Report(cmd) => report::run(cmd, &ctx),
        Command::Audit(cmd) => audit::run(cmd, &ctx),
        Command::Accommodations(cmd) => accommodations::run(cmd, &ctx),
        Command::ProgressReports(cmd) => progress_reports::run(cmd, &ctx),
        Command::Import(cmd) => import::run(cmd, &ctx),
        Command::Export(cmd) => export::run(cmd, &ctx),
        Command::EdfiClient(cmd) => edfi_client::run(cmd, &ctx),
    }
}

/// A progress bar on stderr when it is a terminal; hidden otherwise (scripts and CI).
pub fn progress_bar(total: u64, unit: &str) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    if !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(total);
    if let Ok(style) = indicatif::ProgressStyle::with_template(&format!(
        "{{elapsed_precise}} [{{bar:40}}] {{pos}}/{{len}} {unit} ({{per_sec}}, {{eta}} left)"
    )) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}
