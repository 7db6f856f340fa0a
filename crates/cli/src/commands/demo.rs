//! `iep504 demo`: create or reuse a database, generate a district when it is empty (or, with
//! `--parent`, a single family's binder with no school staff), give one login per role the demo
//! password, print them, and serve the web app in demo mode.

use super::gen_district::{DEFAULT_SEED, generate_with_progress};
use super::parse;
use super::serve::DEFAULT_ADDR;
use crate::context::Context;
use crate::error::CliError;
use crate::output;
use std::net::SocketAddr;
use store::{districts, synth, users};

/// Shared by every demo login; printed on start. Demo mode is for a laptop, not for real data.
pub const DEMO_PASSWORD: &str = "demo-password-504";

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Address to listen on.
    #[arg(long, default_value = DEFAULT_ADDR)]
    addr: SocketAddr,
    /// Students in the generated district (when the database is empty).
    #[arg(long, default_value_t = 300, value_parser = clap::value_parser!(u64).range(1..=5_000_000))]
    students: u64,
    /// A parent's own binder instead: one parent, one or two children, no district staff.
    #[arg(long)]
    parent: bool,
    /// Seed of the generated data.
    #[arg(long, default_value_t = DEFAULT_SEED)]
    seed: u64,
}

pub fn run(args: Args, ctx: &Context) -> Result<(), CliError> {
    let mut conn = ctx.open_migrated()?;
    let anchor = parse::today();
    if districts::list_districts(&mut conn)?.is_empty() {
        if args.parent {
            synth::family(&mut conn, args.seed, anchor, "US")?;
            eprintln!("iep504: created a parent's binder (one family, no school staff)");
        } else {
            let opts = synth::GenOptions {
                students: args.students,
                seed: args.seed,
                jurisdiction: "US".into(),
                anchor,
                demo_logins: true,
            };
            let summary = generate_with_progress(&mut conn, &opts)?;
            eprintln!(
                "iep504: generated a synthetic district of {} students",
                summary.students
            );
        }
    } else {
        eprintln!(
            "iep504: reusing the existing data in {}",
            ctx.location.describe()
        );
    }
    let logins = synth::demo_logins(&mut conn)?;
    // One hash for all: they share the password, and argon2 is deliberately slow.
    let hash = web::auth::hash_password(DEMO_PASSWORD).map_err(|e| CliError::Io {
        what: "demo password".into(),
        source: std::io::Error::other(e.to_string()),
    })?;
    conn.transaction(|tx| {
        for user in &logins {
            users::set_password_hash(tx, user.id, &hash)?;
        }
        Ok(())
    })?;
    drop(conn);
    output::json(&serde_json::json!({
        "url": format!("http://{}", args.addr),
        "password": DEMO_PASSWORD,
        "logins": logins.iter().map(|u| serde_json::json!({
            "role": u.role.as_str(),
            "username": u.username,
            "name": u.display_name,
        })).collect::<Vec<_>>(),
    }))?;
    eprintln!(
        "iep504: demo mode on http://{} — sign in with a username above and the password {DEMO_PASSWORD}",
        args.addr
    );
    web::serve_blocking(
        ctx.location.clone(),
        args.addr,
        web::ServeOptions {
            demo: true,
            ..Default::default()
        },
    )?;
    Ok(())
}
