//! How a reader's language writes a calendar date: the one place month names live. Long dates
//! ("November 7, 2026" / "7 de noviembre de 2026") are for sentences and documents; short dates
//! ("Nov 7, 2026" / "7 nov 2026") are for table cells where width matters. Machine-readable
//! dates (JSON, CSV, `datetime` attributes) stay ISO and never come through here.

use crate::lang::Lang;
use jiff::civil::Date;

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

/// Abbreviations without a period, as compact dates write them; Spanish keeps "sept" (RAE's
/// abbreviation) so September is never mistaken for "set".
const EN_SHORT_MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

const ES_SHORT_MONTHS: [&str; 12] = [
    "ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic",
];

fn index(d: Date) -> usize {
    usize::try_from(d.month() - 1).unwrap_or(0)
}

/// The month's full name in `lang`: "November" / "noviembre" (Spanish months are lower case).
pub fn month_name(d: Date, lang: Lang) -> &'static str {
    match lang {
        Lang::En => EN_MONTHS[index(d)],
        Lang::Es => ES_MONTHS[index(d)],
    }
}

/// "November 7, 2026" / "7 de noviembre de 2026".
pub fn long(d: Date, lang: Lang) -> String {
    match lang {
        Lang::En => format!("{} {}, {}", month_name(d, lang), d.day(), d.year()),
        Lang::Es => format!("{} de {} de {}", d.day(), month_name(d, lang), d.year()),
    }
}

/// "Nov 7, 2026" / "7 nov 2026".
pub fn short(d: Date, lang: Lang) -> String {
    match lang {
        Lang::En => format!("{} {}, {}", EN_SHORT_MONTHS[index(d)], d.day(), d.year()),
        Lang::Es => format!("{} {} {}", d.day(), ES_SHORT_MONTHS[index(d)], d.year()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn long_and_short_dates_in_each_language() {
        let d = date(2026, 11, 7);
        assert_eq!(long(d, Lang::En), "November 7, 2026");
        assert_eq!(long(d, Lang::Es), "7 de noviembre de 2026");
        assert_eq!(short(d, Lang::En), "Nov 7, 2026");
        assert_eq!(short(d, Lang::Es), "7 nov 2026");
        assert_eq!(short(date(2027, 9, 1), Lang::Es), "1 sept 2027");
    }

    #[test]
    fn every_month_has_its_own_name_in_each_language() {
        for lang in Lang::ALL {
            let names: std::collections::BTreeSet<(&str, String)> = (1..=12)
                .map(|m| {
                    let d = date(2026, m, 1);
                    (month_name(d, lang), short(d, lang))
                })
                .collect();
            assert_eq!(names.len(), 12, "{lang:?}");
        }
        assert_eq!(month_name(date(2026, 1, 31), Lang::Es), "enero");
        assert_eq!(month_name(date(2026, 12, 1), Lang::En), "December");
    }
}
