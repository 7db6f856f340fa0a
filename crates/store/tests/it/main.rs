//! The store's integration tests, compiled as one binary: each module runs its cases on SQLite
//! and, when `IEP504_TEST_DATABASE_URL` is set, on PostgreSQL.

mod backup;
mod basics;
mod debts;
mod edfi;
mod evaluations;
mod plans;
mod projection;
mod records;
mod synth;
mod toolkit;
