//! The CSV form shared by the reports: one row per combination of category values that has at
//! least one student, with its count — the long layout EDFacts category sets are summed from.

use std::collections::BTreeMap;
use std::fmt;

/// A CSV cell; numbers sort as numbers (age 3 before age 10).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Cell {
    Number(i64),
    Text(String),
}

impl fmt::Display for Cell {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Cell::Number(n) => write!(f, "{n}"),
            // Codes never need quoting, but values from the integrator might.
            Cell::Text(t) if t.contains([',', '"', '\n', '\r']) => {
                write!(f, "\"{}\"", t.replace('"', "\"\""))
            }
            Cell::Text(t) => f.write_str(t),
        }
    }
}

impl From<&str> for Cell {
    fn from(text: &str) -> Cell {
        Cell::Text(text.to_string())
    }
}

impl From<String> for Cell {
    fn from(text: String) -> Cell {
        Cell::Text(text)
    }
}

impl From<i32> for Cell {
    fn from(n: i32) -> Cell {
        Cell::Number(n.into())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct CrossTab {
    pub(crate) cells: BTreeMap<Vec<Cell>, u32>,
}

impl CrossTab {
    pub(crate) fn add(&mut self, key: Vec<Cell>) {
        *self.cells.entry(key).or_default() += 1;
    }

    /// `header` names the key columns; a `count` column follows.
    pub(crate) fn to_csv(&self, header: &[&str]) -> String {
        let mut out = header.join(",");
        out.push_str(",count\n");
        for (key, count) in &self.cells {
            for cell in key {
                out.push_str(&cell.to_string());
                out.push(',');
            }
            out.push_str(&count.to_string());
            out.push('\n');
        }
        out
    }
}
