//! law: see docs/architecture.md.

pub mod progress;
