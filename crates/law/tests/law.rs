//! The law crate's integration tests, one binary: hand-computed case tables (`cases/*.json`),
//! properties of the engine, the CONTRACT.md example as a reviewed snapshot, and the generated
//! coverage document.

mod law {
    pub mod cases;
    pub mod coverage;
    pub mod properties;
    pub mod reports;
    pub mod snapshot;
}
