//! iCalendar (RFC 5545) import of a district's closures: each all-day VEVENT becomes a
//! `Closure` (DTSTART;VALUE=DATE, DTEND exclusive or DURATION in days/weeks, SUMMARY as label).
//! A small parser rather than a crate: we need only four properties, exact line numbers in
//! errors and no date-time library besides jiff (the `icalendar`/`ical` crates bring chrono or
//! report no positions). Timed events (a DTSTART with a time) are not closures and are skipped.

use domain::calendar::Closure;
use jiff::civil::Date;
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("line {line}: expected {expected}")]
pub struct IcsError {
    /// 1-based line in the file where the (unfolded) content line starts.
    pub line: usize,
    pub expected: String,
}

fn err(line: usize, expected: impl Into<String>) -> IcsError {
    IcsError {
        line,
        expected: expected.into(),
    }
}

/// Content lines after unfolding (RFC 5545 §3.1: a line break followed by a space or tab
/// continues the previous line), each with the number of the physical line it started on.
fn unfold(text: &str) -> Vec<(usize, String)> {
    let mut lines: Vec<(usize, String)> = Vec::new();
    for (i, raw) in text.split('\n').enumerate() {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        if let Some(rest) = raw.strip_prefix([' ', '\t'])
            && let Some(last) = lines.last_mut()
        {
            last.1.push_str(rest);
            continue;
        }
        if !raw.is_empty() {
            lines.push((i + 1, raw.to_string()));
        }
    }
    lines
}

/// A property's name (upper-cased), parameters and value.
struct Property<'a> {
    name: String,
    params: Vec<(&'a str, &'a str)>,
    value: &'a str,
}

fn split_property(line: &str, number: usize) -> Result<Property<'_>, IcsError> {
    // The value starts at the first colon outside a quoted parameter value.
    let mut in_quotes = false;
    let colon = line
        .char_indices()
        .find(|&(_, c)| {
            if c == '"' {
                in_quotes = !in_quotes;
            }
            c == ':' && !in_quotes
        })
        .map(|(i, _)| i)
        .ok_or_else(|| err(number, "`NAME:value` (no colon found)"))?;
    let (head, value) = (&line[..colon], &line[colon + 1..]);
    let mut parts = head.split(';');
    let name = parts.next().unwrap_or_default().trim().to_ascii_uppercase();
    if name.is_empty() {
        return Err(err(number, "a property name before `:`"));
    }
    let params = parts
        .map(|p| p.split_once('=').unwrap_or((p, "")))
        .collect();
    Ok(Property {
        name,
        params,
        value,
    })
}

fn parse_date(value: &str, number: usize, what: &str) -> Result<Option<Date>, IcsError> {
    if value.contains('T') {
        return Ok(None); // a date-time: a timed event, not a closure
    }
    let bad = || {
        err(
            number,
            format!("{what} as a date YYYYMMDD, found `{value}`"),
        )
    };
    if value.len() != 8 || !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let y: i16 = value[0..4].parse().map_err(|_| bad())?;
    let m: i8 = value[4..6].parse().map_err(|_| bad())?;
    let d: i8 = value[6..8].parse().map_err(|_| bad())?;
    Date::new(y, m, d).map(Some).map_err(|_| bad())
}

/// `P<n>D`, `P<n>W` (whole days) as a day count.
fn parse_duration_days(value: &str, number: usize) -> Result<i32, IcsError> {
    let bad = || {
        err(
            number,
            format!("DURATION in whole days or weeks (`P1D`, `P2W`), found `{value}`"),
        )
    };
    let body = value.strip_prefix('P').ok_or_else(bad)?;
    let (digits, unit) = body.split_at(body.len().saturating_sub(1));
    let n: i32 = digits.parse().map_err(|_| bad())?;
    match unit {
        "D" => Ok(n),
        "W" => Ok(n * 7),
        _ => Err(bad()),
    }
}

fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n' | 'N') => out.push(' '),
                Some(other) => out.push(other),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[derive(Default)]
struct EventInProgress {
    start_line: usize,
    start: Option<Date>,
    timed: bool,
    end: Option<Date>,
    duration_days: Option<i32>,
    summary: String,
}

/// The all-day events of an iCalendar file as closures, in file order.
pub fn closures_from_ics(text: &str) -> Result<Vec<Closure>, IcsError> {
    let lines = unfold(text);
    let Some((first_line, first)) = lines.first() else {
        return Err(err(1, "`BEGIN:VCALENDAR` (the file is empty)"));
    };
    if !first.trim().eq_ignore_ascii_case("BEGIN:VCALENDAR") {
        return Err(err(*first_line, "`BEGIN:VCALENDAR` as the first line"));
    }
    let mut closures = Vec::new();
    let mut event: Option<EventInProgress> = None;
    // Components nested inside an event (VALARM) whose properties are not the event's.
    let mut nested_depth = 0usize;
    let mut calendar_closed = false;
    for (number, line) in &lines[1..] {
        let number = *number;
        if calendar_closed {
            return Err(err(number, "nothing after `END:VCALENDAR`"));
        }
        let prop = split_property(line, number)?;
        match (
            prop.name.as_str(),
            prop.value.trim().to_ascii_uppercase().as_str(),
        ) {
            ("BEGIN", "VEVENT") if event.is_none() => {
                event = Some(EventInProgress {
                    start_line: number,
                    ..Default::default()
                });
            }
            ("BEGIN", _) if event.is_some() => nested_depth += 1,
            ("END", _) if nested_depth > 0 => nested_depth -= 1,
            ("END", "VEVENT") => {
                let done = event
                    .take()
                    .ok_or_else(|| err(number, "`BEGIN:VEVENT` before `END:VEVENT`"))?;
                if let Some(closure) = finish(done, number)? {
                    closures.push(closure);
                }
            }
            ("END", "VCALENDAR") => {
                if event.is_some() {
                    return Err(err(number, "`END:VEVENT` before `END:VCALENDAR`"));
                }
                calendar_closed = true;
            }
            _ if nested_depth > 0 => {}
            (name, _) => {
                if let Some(ev) = event.as_mut() {
                    let is_date_param = prop.params.iter().any(|(k, v)| {
                        k.eq_ignore_ascii_case("VALUE") && v.eq_ignore_ascii_case("DATE")
                    });
                    match name {
                        "DTSTART" => match parse_date(prop.value.trim(), number, "DTSTART")? {
                            Some(d) => ev.start = Some(d),
                            None if is_date_param => {
                                return Err(err(number, "a date YYYYMMDD for VALUE=DATE"));
                            }
                            None => ev.timed = true,
                        },
                        "DTEND" => {
                            if let Some(d) = parse_date(prop.value.trim(), number, "DTEND")? {
                                ev.end = Some(d);
                            }
                        }
                        "DURATION" => {
                            ev.duration_days = Some(parse_duration_days(prop.value.trim(), number)?)
                        }
                        "SUMMARY" => ev.summary = unescape(prop.value.trim()),
                        _ => {}
                    }
                }
            }
        }
    }
    if event.is_some() {
        let line = lines.last().map_or(1, |l| l.0);
        return Err(err(line, "`END:VEVENT` before the end of the file"));
    }
    if !calendar_closed {
        let line = lines.last().map_or(1, |l| l.0);
        return Err(err(line, "`END:VCALENDAR` at the end of the file"));
    }
    Ok(closures)
}

fn finish(ev: EventInProgress, end_line: usize) -> Result<Option<Closure>, IcsError> {
    if ev.timed {
        return Ok(None);
    }
    let from = ev.start.ok_or_else(|| {
        err(
            ev.start_line,
            "a DTSTART;VALUE=DATE property in this VEVENT",
        )
    })?;
    // DTEND is exclusive; with neither DTEND nor DURATION an all-day event lasts one day.
    let to = match (ev.end, ev.duration_days) {
        (Some(end), _) => crate::days::add_days(end, -1),
        (None, Some(days)) => crate::days::add_days(from, days - 1),
        (None, None) => from,
    };
    if to < from {
        return Err(err(
            end_line,
            format!(
                "a DTEND after DTSTART {from} in the VEVENT starting at line {}",
                ev.start_line
            ),
        ));
    }
    Ok(Some(Closure {
        from,
        to,
        label: ev.summary,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    const SAMPLE: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//District//EN\r\nBEGIN:VEVENT\r\nUID:1\r\nDTSTART;VALUE=DATE:20261123\r\nDTEND;VALUE=DATE:20261128\r\nSUMMARY:Thanksgiving\r\n  break\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nDTSTART:20261201T090000\r\nDTEND:20261201T100000\r\nSUMMARY:Board meeting\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20270118\r\nSUMMARY:MLK Day\\, no school\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\nEND:VALARM\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20261221\r\nDURATION:P2W\r\nSUMMARY:Winter break\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

    #[test]
    fn reads_all_day_events_and_skips_timed_ones() {
        let closures = closures_from_ics(SAMPLE).unwrap();
        assert_eq!(
            closures,
            vec![
                Closure {
                    from: date(2026, 11, 23),
                    to: date(2026, 11, 27),
                    label: "Thanksgiving break".into()
                },
                Closure {
                    from: date(2027, 1, 18),
                    to: date(2027, 1, 18),
                    label: "MLK Day, no school".into()
                },
                Closure {
                    from: date(2026, 12, 21),
                    to: date(2027, 1, 3),
                    label: "Winter break".into()
                },
            ]
        );
    }

    #[test]
    fn errors_name_the_line_and_what_was_expected() {
        let bad = SAMPLE.replace(
            "DTSTART;VALUE=DATE:20261123",
            "DTSTART;VALUE=DATE:2026-11-23",
        );
        let e = closures_from_ics(&bad).unwrap_err();
        assert_eq!(e.line, 6);
        assert!(e.expected.contains("YYYYMMDD"), "{e}");

        let e = closures_from_ics("hello").unwrap_err();
        assert_eq!((e.line, e.expected.contains("BEGIN:VCALENDAR")), (1, true));

        let e = closures_from_ics(
            "BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:x\nEND:VEVENT\nEND:VCALENDAR\n",
        )
        .unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.expected.contains("DTSTART"), "{e}");

        let e = closures_from_ics("BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20260105\n")
            .unwrap_err();
        assert!(e.expected.contains("END:VEVENT"), "{e}");

        let e = closures_from_ics("BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20260105\nDTEND;VALUE=DATE:20260105\nEND:VEVENT\nEND:VCALENDAR").unwrap_err();
        assert_eq!(e.line, 5);
    }
}
