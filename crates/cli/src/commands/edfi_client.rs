//! `iep504 edfi-client create --name N`: a key and secret for the Ed-Fi-compatible read API.
//! The secret is printed once; the store keeps only its SHA-256.

use super::district;
use crate::context::Context;
use crate::error::CliError;
use crate::output;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Create a client; prints {"key": …, "secret": …}.
    Create(CreateArgs),
}

#[derive(Debug, clap::Args)]
pub struct CreateArgs {
    /// Who reads with it (shown in the record of access).
    #[arg(long)]
    name: String,
    /// The district it reads, when the database holds several.
    #[arg(long)]
    district: Option<i64>,
}

pub fn run(cmd: Command, ctx: &Context) -> Result<(), CliError> {
    match cmd {
        Command::Create(args) => create(args, ctx),
    }
}

fn random_hex(bytes: usize) -> Result<String, CliError> {
    let mut buffer = vec![0u8; bytes];
    getrandom::fill(&mut buffer).map_err(|e| CliError::Io {
        what: "random secret".into(),
        source: std::io::Error::other(e.to_string()),
    })?;
    Ok(hex::encode(buffer))
}

fn create(args: CreateArgs, ctx: &Context) -> Result<(), CliError> {
    if args.name.trim().is_empty() {
        return Err(CliError::input(
            "--name",
            "expected a name, got an empty one",
        ));
    }
    let mut conn = ctx.open_migrated()?;
    let district_id = district::resolve(&mut conn, args.district, "US")?;
    let key = random_hex(10)?;
    let secret = random_hex(24)?;
    store::edfi_clients::create(&mut conn, district_id, &args.name, &key, &secret)
        .map_err(CliError::from_store_input("--name"))?;
    eprintln!("iep504: copy the secret now; only its hash is stored");
    output::json(&serde_json::json!({ "key": key, "secret": secret, "name": args.name.trim() }))
}
