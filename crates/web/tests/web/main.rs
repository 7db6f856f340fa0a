//! The web app's integration tests: one binary, the real router over real SQLite (and
//! PostgreSQL when `IEP504_TEST_DATABASE_URL` is set), driven like a browser or an API client.

mod api;
mod app;
mod auth;
mod dates;
mod evaluations;
mod matrix;
mod pages;
mod plans;
mod progress_reports;
mod records;
mod reports;
mod toolkit;
