//! law: see docs/architecture.md.
