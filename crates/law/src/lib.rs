//! law: see docs/architecture.md.

pub mod advisor;
pub mod ledger;
pub mod progress;
pub mod redflags;
