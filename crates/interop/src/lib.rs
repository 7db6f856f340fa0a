//! interop: see docs/architecture.md.
