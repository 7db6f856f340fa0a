//! The vocabulary every other crate speaks: students' cases as dated events, the obligations
//! the law engine derives from them, plans, people and the access policy. Pure data and
//! invariants: nothing here touches a database, a file or the network.

pub mod access;
pub mod calendar;
pub mod case;
pub mod codes;
pub mod evaluation;
pub mod event;
pub mod obligation;
pub mod people;
pub mod plan;
pub mod plan_content;

pub use jiff::civil::Date;
