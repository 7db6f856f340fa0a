//! documents: see docs/architecture.md.
