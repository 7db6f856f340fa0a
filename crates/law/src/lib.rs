//! law: see docs/architecture.md.

pub mod ledger;
pub mod progress;
