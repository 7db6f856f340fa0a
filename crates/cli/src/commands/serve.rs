//! `iep504 serve`: migrate if needed, then serve the web app and the API until interrupted.

use crate::context::Context;
use crate::error::CliError;
use std::net::SocketAddr;

pub const DEFAULT_ADDR: &str = "127.0.0.1:8080";

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Address to listen on.
    #[arg(long, default_value = DEFAULT_ADDR)]
    addr: SocketAddr,
}

pub fn run(args: Args, ctx: &Context) -> Result<(), CliError> {
    drop(ctx.open_migrated()?);
    eprintln!(
        "iep504: serving {} on http://{}",
        ctx.location.describe(),
        args.addr
    );
    web::serve_blocking(
        ctx.location.clone(),
        args.addr,
        web::ServeOptions::default(),
    )?;
    Ok(())
}
