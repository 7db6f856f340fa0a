//! The command table. Adding a command is one module with an `Args` type and a `run`, plus one
//! arm in `Command` and one in `run` below.

mod backup;
mod demo;
mod district;
mod gen_district;
mod migrate;
mod parse;
mod serve;
mod student;
mod token;
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
    }
}
