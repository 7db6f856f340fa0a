//! Civil-date helpers shared by the parsers and reports: strict `YYYY-MM-DD` parsing (the
//! standards allow nothing else, and a lenient parser would hide a district's export bug) and
//! age in completed years.

use jiff::civil::Date;

/// Parses exactly `YYYY-MM-DD` into a real calendar date.
pub fn parse_iso_date(text: &str) -> Option<Date> {
    let bytes = text.as_bytes();
    let shaped = bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
    if !shaped {
        return None;
    }
    let year: i16 = text[0..4].parse().ok()?;
    let month: i8 = text[5..7].parse().ok()?;
    let day: i8 = text[8..10].parse().ok()?;
    Date::new(year, month, day).ok()
}

/// Age in completed years on `on`: the birthday itself completes the year. A 29 February
/// birthday completes on 1 March in common years.
pub fn age_on(birth_date: Date, on: Date) -> i32 {
    let mut years = i32::from(on.year()) - i32::from(birth_date.year());
    if (on.month(), on.day()) < (birth_date.month(), birth_date.day()) {
        years -= 1;
    }
    years
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn only_the_iso_shape_is_a_date() {
        assert_eq!(parse_iso_date("2015-02-13"), Some(date(2015, 2, 13)));
        for bad in [
            "13/02/2015",
            "2015-2-13",
            "20150213",
            "2015-02-30",
            "2015-02-13T00:00",
            "",
        ] {
            assert_eq!(parse_iso_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn age_turns_on_the_birthday() {
        let born = date(2015, 10, 1);
        assert_eq!(age_on(born, date(2021, 9, 30)), 5);
        assert_eq!(age_on(born, date(2021, 10, 1)), 6);
        let leap = date(2012, 2, 29);
        assert_eq!(age_on(leap, date(2018, 2, 28)), 5);
        assert_eq!(age_on(leap, date(2018, 3, 1)), 6);
    }
}
