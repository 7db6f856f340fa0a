//! The languages documents are written in (dates in words come from `law::dates`). Citations
//! never change with the language; only the words around them do.

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

    /// The law crate's language: month names are written once, in `law::dates`.
    pub fn law(self) -> law::Lang {
        match self {
            Lang::En => law::Lang::En,
            Lang::Es => law::Lang::Es,
        }
    }

    /// "November 24, 2026" / "24 de noviembre de 2026": the long form letters use.
    pub fn long_date(self, date: Date) -> String {
        law::dates::long(date, self.law())
    }

    /// "Nov 24, 2026" / "24 nov 2026": the compact form of a page's charts and tables.
    pub fn short_date(self, date: Date) -> String {
        law::dates::short(date, self.law())
    }

    /// "Page 2 of 3" / "Página 2 de 3".
    pub fn page_of(self, page: usize, pages: usize) -> String {
        match self {
            Lang::En => format!("Page {page} of {pages}"),
            Lang::Es => format!("Página {page} de {pages}"),
        }
    }
}

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
