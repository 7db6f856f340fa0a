//! `iep504 token create`: a random bearer token for the JSON API. It is printed once; the
//! store keeps only its SHA-256.

use crate::context::Context;
use crate::error::CliError;
use crate::output;
use store::users;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Create a token; prints {"token": …, "expires_at": …}.
    Create(CreateArgs),
}

#[derive(Debug, clap::Args)]
pub struct CreateArgs {
    #[arg(long)]
    username: String,
    /// Days until the token expires.
    #[arg(long, default_value_t = 90, value_parser = clap::value_parser!(u32).range(1..=3650))]
    days: u32,
}

pub fn run(cmd: Command, ctx: &Context) -> Result<(), CliError> {
    match cmd {
        Command::Create(args) => create(args, ctx),
    }
}

fn create(args: CreateArgs, ctx: &Context) -> Result<(), CliError> {
    let mut conn = ctx.open_migrated()?;
    let user = users::find_by_username(&mut conn, &args.username)?
        .ok_or_else(|| CliError::input("--username", format!("no user `{}`", args.username)))?;
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| CliError::Io {
        what: "random token".into(),
        source: std::io::Error::other(e.to_string()),
    })?;
    let token = hex::encode(bytes);
    let expires_at = jiff::Timestamp::now()
        .checked_add(jiff::SignedDuration::from_hours(24 * i64::from(args.days)))
        .map_err(|e| CliError::input("--days", e.to_string()))?
        .to_string();
    users::add_api_token(&mut conn, user.id, &token, &expires_at)?;
    eprintln!("iep504: copy the token now; only its hash is stored");
    output::json(&serde_json::json!({
        "token": token,
        "username": user.username,
        "expires_at": expires_at,
    }))
}
