//! Header-driven reading of one OneRoster CSV file: columns are found by name in any order,
//! unknown columns are ignored, required columns are checked, and every cell problem becomes a
//! `file:line: field: expected …, got "…"` error instead of a panic.

use super::RosterError;
use crate::dates::parse_iso_date;
use crate::errors::ErrorList;
use jiff::civil::Date;
use std::collections::HashMap;

/// One CSV file's rows, each with the line it starts on.
pub(crate) struct Table<'a> {
    file: &'a str,
    columns: HashMap<String, usize>,
    rows: Vec<(u64, csv::StringRecord)>,
}

impl<'a> Table<'a> {
    /// Reads `bytes`; problems with the header or with a row's shape go to `errors`, and a file
    /// missing a required column yields no rows (every row would repeat the same complaint).
    pub(crate) fn read(
        file: &'a str,
        bytes: &[u8],
        required_columns: &[&str],
        errors: &mut ErrorList<RosterError>,
    ) -> Table<'a> {
        let mut table = Table {
            file,
            columns: HashMap::new(),
            rows: Vec::new(),
        };
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(bytes);
        let mut records = reader.records();
        let header = match records.next() {
            None => {
                errors.push(RosterError::at(
                    file,
                    1,
                    "header",
                    "a header row naming the columns",
                ));
                return table;
            }
            Some(Err(error)) => {
                errors.push(RosterError::unreadable(file, &error));
                return table;
            }
            Some(Ok(header)) => header,
        };
        for (index, name) in header.iter().enumerate() {
            // Spreadsheet exports often start with a byte-order mark and pad names.
            let name = name.trim_start_matches('\u{feff}').trim();
            table.columns.entry(name.to_string()).or_insert(index);
        }
        let mut missing = false;
        for column in required_columns {
            if !table.columns.contains_key(*column) {
                missing = true;
                errors.push(RosterError::at(
                    file,
                    1,
                    "header",
                    format!("a column named \"{column}\""),
                ));
            }
        }
        if missing {
            return table;
        }
        let width = header.len();
        for record in records {
            match record {
                Err(error) => errors.push(RosterError::unreadable(file, &error)),
                Ok(record) => {
                    let line = record.position().map_or(0, |p| p.line());
                    if record.len() == 1 && record.get(0).is_some_and(|c| c.trim().is_empty()) {
                        continue; // a blank line
                    }
                    if record.len() != width {
                        errors.push(RosterError::at(
                            file,
                            line,
                            "row",
                            format!("{width} fields as in the header, got {}", record.len()),
                        ));
                        continue;
                    }
                    table.rows.push((line, record));
                }
            }
        }
        table
    }

    /// Calls `build` for every row with a cell reader that records problems in `errors`.
    pub(crate) fn map_rows<T>(
        &self,
        errors: &mut ErrorList<RosterError>,
        mut build: impl FnMut(&mut Cells<'_>) -> T,
    ) -> Vec<T> {
        let mut out = Vec::with_capacity(self.rows.len());
        for (line, record) in &self.rows {
            let mut cells = Cells {
                file: self.file,
                line: *line,
                record,
                columns: &self.columns,
                errors,
            };
            out.push(build(&mut cells));
        }
        out
    }
}

/// The cells of one row, read by column name.
pub(crate) struct Cells<'r> {
    file: &'r str,
    line: u64,
    record: &'r csv::StringRecord,
    columns: &'r HashMap<String, usize>,
    errors: &'r mut ErrorList<RosterError>,
}

impl Cells<'_> {
    fn raw(&self, column: &str) -> &str {
        self.columns
            .get(column)
            .and_then(|&i| self.record.get(i))
            .map_or("", str::trim)
    }

    pub(crate) fn fail(&mut self, column: &str, expected: impl Into<String>) {
        let problem = format!("expected {}, got \"{}\"", expected.into(), self.raw(column));
        self.errors.push(RosterError {
            file: self.file.to_string(),
            line: Some(self.line),
            field: column.to_string(),
            problem,
        });
    }

    /// A cell that may be blank.
    pub(crate) fn optional(&self, column: &str) -> Option<String> {
        let value = self.raw(column);
        (!value.is_empty()).then(|| value.to_string())
    }

    /// A cell that must not be blank; a blank one is recorded and read as "".
    pub(crate) fn required(&mut self, column: &str) -> String {
        match self.optional(column) {
            Some(value) => value,
            None => {
                self.fail(column, "a value");
                String::new()
            }
        }
    }

    pub(crate) fn optional_date(&mut self, column: &str) -> Option<Date> {
        let value = self.optional(column)?;
        let date = parse_iso_date(&value);
        if date.is_none() {
            self.fail(column, "YYYY-MM-DD");
        }
        date
    }

    pub(crate) fn optional_bool(&mut self, column: &str) -> Option<bool> {
        match self.optional(column)?.as_str() {
            "true" | "TRUE" | "True" => Some(true),
            "false" | "FALSE" | "False" => Some(false),
            _ => {
                self.fail(column, "true or false");
                None
            }
        }
    }

    /// A comma-separated list inside one cell (`agentSourcedIds`, `grades`).
    pub(crate) fn list(&self, column: &str) -> Vec<String> {
        self.raw(column)
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect()
    }

    /// A cell holding one of a fixed vocabulary, parsed by `parse`; `expected` lists it.
    pub(crate) fn vocabulary<T>(
        &mut self,
        column: &str,
        required: bool,
        parse: impl Fn(&str) -> Option<T>,
        expected: &str,
    ) -> Option<T> {
        let Some(value) = self.optional(column) else {
            if required {
                self.fail(column, format!("one of {expected}"));
            }
            return None;
        };
        let parsed = parse(&value);
        if parsed.is_none() {
            self.fail(column, format!("one of {expected}"));
        }
        parsed
    }
}
