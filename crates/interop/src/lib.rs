//! Interop: OneRoster 1.2 CSV rosters and Ed-Fi JSON in, Ed-Fi JSON records out, and the federal
//! IDEA / Section 504 reports (Section 618 child count, FS009, FS088, CRDC 504-only). Every
//! function here is pure over in-memory input; the integrator reads files and writes the store.

pub mod dates;
pub mod edfi;
pub mod errors;
pub mod normalized;
pub mod oneroster;
pub mod reports;
