//! The crate's one integration-test binary: the PDF engine, the letters and the charts.

mod charts;
mod engine;
mod letters;
mod pdf_bytes;
mod plans;
mod pwn;
