//! The global options (`--db`, `--database-url`) resolved into a `store::Location`, and the
//! database opening every command shares.

use crate::error::CliError;
use clap::Args;
use std::path::PathBuf;
use store::{Conn, Location};

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// SQLite database file [default: $IEP504_DB, else iep504.sqlite in the current directory]
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// PostgreSQL instead (postgres://…) [default: $DATABASE_URL if it starts with postgres]
    #[arg(long, global = true, value_name = "URL")]
    pub database_url: Option<String>,
}

const DEFAULT_FILE: &str = "iep504.sqlite";

impl GlobalArgs {
    /// Explicit options first, then `$DATABASE_URL` (PostgreSQL only), then `$IEP504_DB`, then
    /// the default file.
    pub fn location(&self) -> Result<Location, CliError> {
        match (&self.db, &self.database_url) {
            (Some(_), Some(_)) => Err(CliError::input(
                "--db and --database-url",
                "give one or the other, not both",
            )),
            (_, Some(url)) => {
                if is_postgres_url(url) {
                    Ok(Location::Postgres(url.clone()))
                } else {
                    Err(CliError::input(
                        "--database-url",
                        "expected a URL starting with postgres:// or postgresql://",
                    ))
                }
            }
            (Some(path), None) => Ok(Location::Sqlite(path.clone())),
            (None, None) => {
                if let Ok(url) = std::env::var("DATABASE_URL")
                    && is_postgres_url(&url)
                {
                    return Ok(Location::Postgres(url));
                }
                match std::env::var_os("IEP504_DB") {
                    Some(path) if !path.is_empty() => Ok(Location::Sqlite(PathBuf::from(path))),
                    _ => Ok(Location::Sqlite(PathBuf::from(DEFAULT_FILE))),
                }
            }
        }
    }
}

fn is_postgres_url(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

/// Everything a command needs from the command line beyond its own arguments.
#[derive(Debug)]
pub struct Context {
    pub location: Location,
}

impl Context {
    pub fn open(&self) -> Result<Conn, CliError> {
        Conn::open(&self.location).map_err(|source| CliError::Open {
            location: self.location.describe(),
            source,
        })
    }

    /// Opens the database and brings its schema up to date (creating a SQLite file if needed):
    /// every command that reads or writes records starts here.
    pub fn open_migrated(&self) -> Result<Conn, CliError> {
        let mut conn = self.open()?;
        store::migrate::migrate(&mut conn)?;
        Ok(conn)
    }
}
