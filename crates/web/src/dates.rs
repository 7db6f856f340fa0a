//! Dates as pages show them, in the page's language, always inside
//! `<time datetime="YYYY-MM-DD">` so the machine-readable value stays ISO.
//!
//! The rule (docs/web.md): sentences, headings, definition lists and Fluent arguments use the
//! long form ("November 7, 2026" / "7 de noviembre de 2026"); table cells use the short form
//! ("Nov 7, 2026" / "7 nov 2026"). An instant (the record of access) adds the time to the
//! minute in UTC. Form inputs of `type="date"` keep ISO: the browser shows them in its locale.

use crate::i18n::Lang;
use jiff::Timestamp;
use jiff::civil::Date;
use std::fmt;

/// A date (or instant) written for a reader; displays as a `<time>` element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown {
    datetime: String,
    text: String,
}

impl fmt::Display for Shown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Both parts are built here from digits, month names, spaces, commas and colons.
        write!(
            f,
            "<time datetime=\"{}\">{}</time>",
            self.datetime, self.text
        )
    }
}

/// The markup is built only from a date's digits and the catalogue of month names.
impl askama::filters::HtmlSafe for Shown {}

/// "November 7, 2026" / "7 de noviembre de 2026", for running text.
pub fn long(d: Date, lang: Lang) -> Shown {
    Shown {
        datetime: d.to_string(),
        text: law::dates::long(d, lang.law()),
    }
}

/// "Nov 7, 2026" / "7 nov 2026", for table cells.
pub fn short(d: Date, lang: Lang) -> Shown {
    Shown {
        datetime: d.to_string(),
        text: law::dates::short(d, lang.law()),
    }
}

/// The long form as plain text, for a Fluent argument.
pub fn long_text(d: Date, lang: Lang) -> String {
    law::dates::long(d, lang.law())
}

/// "Nov 7, 2026, 14:03 UTC" / "7 nov 2026, 14:03 UTC": an instant in a table, to the minute.
pub fn instant(at: Timestamp, lang: Lang) -> Shown {
    let utc = jiff::tz::Offset::UTC.to_datetime(at);
    Shown {
        datetime: at.to_string(),
        text: format!(
            "{}, {} UTC",
            law::dates::short(utc.date(), lang.law()),
            utc.strftime("%H:%M")
        ),
    }
}

/// The day of a stored RFC 3339 timestamp (`2026-11-07T14:03:59Z` → 2026-11-07).
pub fn day_of(stamp: &str) -> Option<Date> {
    stamp.get(..10)?.parse().ok()
}

/// A stored RFC 3339 timestamp as an instant; `None` when the text is not one.
pub fn instant_of(stamp: &str, lang: Lang) -> Option<Shown> {
    stamp.parse().ok().map(|at| instant(at, lang))
}

/// An ISO date written in a text value (an event's date field), or the text unchanged.
pub fn long_if_date(value: &str, lang: Lang) -> String {
    value
        .parse::<Date>()
        .map_or_else(|_| value.to_owned(), |d| long_text(d, lang))
}

/// As `long_if_date`, in the short form of table cells.
pub fn short_if_date(value: &str, lang: Lang) -> String {
    value
        .parse::<Date>()
        .map_or_else(|_| value.to_owned(), |d| law::dates::short(d, lang.law()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn a_date_keeps_iso_in_datetime_and_words_in_the_text() {
        let d = date(2026, 11, 7);
        assert_eq!(
            long(d, Lang::Es).to_string(),
            r#"<time datetime="2026-11-07">7 de noviembre de 2026</time>"#
        );
        assert_eq!(
            short(d, Lang::En).to_string(),
            r#"<time datetime="2026-11-07">Nov 7, 2026</time>"#
        );
        assert_eq!(long_text(d, Lang::En), "November 7, 2026");
        assert_eq!(
            long_if_date("2026-11-07", Lang::Es),
            "7 de noviembre de 2026"
        );
        assert_eq!(long_if_date("speech", Lang::Es), "speech");
        assert_eq!(short_if_date("2026-11-07", Lang::Es), "7 nov 2026");
    }

    #[test]
    fn an_instant_is_shown_to_the_minute_in_utc() {
        let at: Timestamp = "2026-11-07T14:03:59Z".parse().unwrap();
        assert_eq!(
            instant(at, Lang::Es).to_string(),
            r#"<time datetime="2026-11-07T14:03:59Z">7 nov 2026, 14:03 UTC</time>"#
        );
    }
}
