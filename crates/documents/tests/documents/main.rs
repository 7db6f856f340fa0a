//! The crate's one integration-test binary: the PDF engine, the letters, the charts, and the
//! rendered pages of each document compared with reference images.

mod charts;
mod engine;
mod letters;
mod notices;
mod pages;
mod pdf_bytes;
mod plans;
