//! The languages documents are written in, and how each writes a date. Citations never change
//! with the language; only the words around them do.

use std::fmt;
use std::str::FromStr;

use jiff::civil::Date;

use crate::DocumentError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    En,
    Es,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Es];

    /// The BCP 47 tag written into the PDF catalog and the `lang` attribute of HTML.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
        }
    }

    /// "November 24, 2026" / "24 de noviembre de 2026": the long form letters use.
    pub fn long_date(self, date: Date) -> String {
        let month = usize::try_from(date.month() - 1).unwrap_or(0);
        match self {
            Lang::En => format!("{} {}, {}", EN_MONTHS[month], date.day(), date.year()),
            Lang::Es => format!("{} de {} de {}", date.day(), ES_MONTHS[month], date.year()),
        }
    }

    /// "Page 2 of 3" / "Página 2 de 3".
    pub fn page_of(self, page: usize, pages: usize) -> String {
        match self {
            Lang::En => format!("Page {page} of {pages}"),
            Lang::Es => format!("Página {page} de {pages}"),
        }
    }
}

const EN_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

const ES_MONTHS: [&str; 12] = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
];

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Lang {
    type Err = DocumentError;

    fn from_str(s: &str) -> Result<Lang, DocumentError> {
        match s {
            "en" => Ok(Lang::En),
            "es" => Ok(Lang::Es),
            other => Err(DocumentError::input(
                "lang",
                format!("one of `en`, `es`, not `{other}`"),
            )),
        }
    }
}
