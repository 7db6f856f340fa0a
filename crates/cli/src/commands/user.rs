//! `iep504 user add` (password read from stdin, argon2id-hashed) and `iep504 user link` (the
//! relation that lets a user see one student's records).

use super::{district, parse};
use crate::context::Context;
use crate::error::CliError;
use crate::output;
use domain::people::{Relation, Role};
use std::io::Read;
use store::{students, users};

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Add a user account; prints {"id": …, "username": …}.
    Add(AddArgs),
    /// Link a user to a student (guardian, case manager, teacher…).
    Link(LinkArgs),
}

#[derive(Debug, clap::Args)]
pub struct AddArgs {
    #[arg(long)]
    username: String,
    /// district_admin, compliance_viewer, case_manager, evaluator, coordinator_504, teacher,
    /// provider, parent or student.
    #[arg(long, value_parser = parse::role)]
    role: Role,
    /// Display name [default: the username].
    #[arg(long)]
    name: Option<String>,
    /// Read the password (at least 12 characters) from standard input. Without it the account
    /// has no password and cannot sign in until one is set.
    #[arg(long)]
    password_stdin: bool,
    /// The district, when the database holds several.
    #[arg(long)]
    district: Option<i64>,
}

#[derive(Debug, clap::Args)]
pub struct LinkArgs {
    #[arg(long)]
    username: String,
    /// The student's id.
    #[arg(long)]
    student: i64,
    /// guardian, case_manager, evaluator, coordinator_504, teacher, provider or self.
    #[arg(long = "as", value_name = "RELATION", value_parser = parse::relation)]
    relation: Relation,
}

pub fn run(cmd: Command, ctx: &Context) -> Result<(), CliError> {
    match cmd {
        Command::Add(args) => add(args, ctx),
        Command::Link(args) => link(args, ctx),
    }
}

fn read_password() -> Result<String, CliError> {
    let mut text = String::new();
    std::io::stdin()
        .read_to_string(&mut text)
        .map_err(|source| CliError::Io {
            what: "password (stdin)".into(),
            source,
        })?;
    // Only the line ending is stripped: spaces may be part of a passphrase.
    let password = text
        .strip_suffix('\n')
        .map(|t| t.strip_suffix('\r').unwrap_or(t))
        .unwrap_or(&text);
    Ok(password.to_owned())
}

fn add(args: AddArgs, ctx: &Context) -> Result<(), CliError> {
    let hash = if args.password_stdin {
        let password = read_password()?;
        Some(web::auth::hash_password(&password).map_err(|e| match e {
            web::auth::AuthError::PasswordTooShort => CliError::input(
                "password (stdin)",
                format!(
                    "expected at least {} characters",
                    web::auth::MIN_PASSWORD_LEN
                ),
            ),
            other => CliError::Io {
                what: "password hashing".into(),
                source: std::io::Error::other(other.to_string()),
            },
        })?)
    } else {
        None
    };
    let username = args.username.trim();
    if username.is_empty() || username.chars().any(char::is_whitespace) {
        return Err(CliError::input(
            "--username",
            "expected one word without spaces",
        ));
    }
    let mut conn = ctx.open_migrated()?;
    if users::find_by_username(&mut conn, username)?.is_some() {
        return Err(CliError::input(
            "--username",
            format!("`{username}` is taken"),
        ));
    }
    let district_id = district::resolve(&mut conn, args.district, "US")?;
    let id = users::add_user(
        &mut conn,
        &users::NewUser {
            district_id,
            username,
            display_name: args.name.as_deref().unwrap_or(username),
            role: args.role,
            password_hash: hash.as_deref(),
            preferred_language: "en",
        },
    )
    .map_err(CliError::from_store_input("--username"))?;
    output::json(&serde_json::json!({ "id": id, "username": username, "role": args.role.as_str() }))
}

/// Whether a role may hold a relation: a guardian is a parent, `self` is the student, and the
/// staff relations belong to staff.
fn fits(role: Role, relation: Relation) -> bool {
    match relation {
        Relation::Guardian => role == Role::Parent,
        Relation::SelfStudent => role == Role::Student,
        _ => role.is_staff(),
    }
}

fn link(args: LinkArgs, ctx: &Context) -> Result<(), CliError> {
    let mut conn = ctx.open_migrated()?;
    let user = users::find_by_username(&mut conn, &args.username)?
        .ok_or_else(|| CliError::input("--username", format!("no user `{}`", args.username)))?;
    if !fits(user.role, args.relation) {
        return Err(CliError::input(
            "--as",
            format!(
                "a {} cannot be linked as {}",
                user.role.as_str(),
                args.relation.as_str()
            ),
        ));
    }
    students::link(&mut conn, user.id, args.student, args.relation)
        .map_err(CliError::from_store_input("--student"))?;
    output::json(&serde_json::json!({
        "user_id": user.id,
        "student_id": args.student,
        "relation": args.relation.as_str(),
    }))
}
