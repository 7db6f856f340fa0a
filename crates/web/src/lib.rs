//! The web edge of iep504: HTML pages and the JSON API over the store, with every access
//! decided by `domain::access::decide`.

pub mod auth;
mod server;

pub use server::{ServeOptions, WebError, serve_blocking};
