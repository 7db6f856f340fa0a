//! Clock arithmetic: from a start date and a profile's clock to a due date, writing each step
//! into the explanation. Interprets the clock kinds of `profile::Clock` and the state
//! modifiers (absence extension, year-end cut-offs); knows nothing of particular states.

use crate::calendar::{Calendar, Exclusions};
use crate::days::{add_days, add_years, day_number};
use crate::engine::{Ctx, Start};
use crate::matcher::{FieldValue, tag_name};
use crate::notes::{Notes, humanize, plural};
use crate::profile::{Clock, ClockRule};
use domain::event::EventKind;
use jiff::civil::Date;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Due {
    pub date: Date,
    /// The calendar ran out before the date; it was extrapolated (see `Calendar`).
    pub estimated: bool,
}

pub(crate) fn due(
    ctx: &Ctx<'_>,
    rule: &ClockRule,
    start: &Start,
    notes: &mut Notes,
) -> Option<Due> {
    if let Some(r) = &rule.referral_year_end
        && let Some(due) = referral_year_end(ctx, r, start, notes)
    {
        return Some(due);
    }
    if let Some(y) = &rule.year_end
        && let Some(due) = year_end(ctx.cal, y, start.date, notes)
    {
        return Some(due);
    }
    let mut due = eval(ctx, &rule.base, start, notes)?;
    if let (Some(ext), Clock::SchoolDays { .. }) = (rule.absence_extension, &rule.base) {
        let absent: u32 = ctx
            .events
            .iter()
            .filter(|e| e.event.on > start.date && e.event.on <= due.date)
            .filter_map(|e| match e.event.kind {
                EventKind::AbsencesRecorded { school_days } => Some(school_days),
                _ => None,
            })
            .fold(0u32, u32::saturating_add);
        if absent >= ext.min_school_days {
            let extended = ctx.cal.nth_school_day_after(due.date, absent);
            notes.add(|| {
                format!(
                    "the student was absent {} during the timeline ({} or more): extended by as many school days → {}",
                    plural(absent, "school day", "school days"),
                    ext.min_school_days,
                    extended.date
                )
            });
            due = Due {
                date: extended.date,
                estimated: due.estimated || extended.estimated,
            };
        } else if absent > 0 {
            notes.add(|| {
                format!(
                    "absences during the timeline: {} (fewer than {}: no extension)",
                    plural(absent, "school day", "school days"),
                    ext.min_school_days
                )
            });
        }
    }
    if due.estimated {
        notes.add(|| match ctx.cal.known_until() {
            Some(end) => format!(
                "the school calendar ends {end}: days after it were counted without knowing the next school year, so this date is an estimate"
            ),
            None => "no school calendar was given: every Monday–Friday was counted as a school day, so this date is an estimate".into(),
        });
    }
    Some(due)
}

fn eval(ctx: &Ctx<'_>, clock: &Clock, start: &Start, notes: &mut Notes) -> Option<Due> {
    let t = start.date;
    let cal = ctx.cal;
    match clock {
        Clock::CalendarDays { days, exclusions } if !exclusions.any() => {
            let date = add_days(t, i32::try_from(*days).unwrap_or(i32::MAX / 2));
            notes.add(|| {
                format!(
                    "{} → {date}",
                    plural(*days, "calendar day", "calendar days")
                )
            });
            Some(Due {
                date,
                estimated: false,
            })
        }
        Clock::CalendarDays { days, exclusions } => {
            let (date, skipped, estimated) = cal.calendar_days_after(t, *days, *exclusions);
            notes.add(|| {
                format!(
                    "{} not counting {}",
                    plural(*days, "calendar day", "calendar days"),
                    describe_exclusions(*exclusions)
                )
            });
            for period in &skipped {
                notes.add(|| {
                    let n = day_number(period.to) - day_number(period.from) + 1;
                    format!(
                        "skipped {} {}–{} ({})",
                        period.label,
                        period.from,
                        period.to,
                        plural(n, "day", "days")
                    )
                });
            }
            notes.add(|| format!("→ {date}"));
            Some(Due { date, estimated })
        }
        Clock::SchoolDays { days } => {
            let counted = cal.nth_school_day_after(t, *days);
            notes.add(|| {
                let first = cal.nth_school_day_after(t, 1).date;
                format!(
                    "{} after {t}: counted {first} … {}",
                    plural(*days, "school day", "school days"),
                    counted.date
                )
            });
            note_days_off(cal, t, counted.date, notes);
            notes.add(|| format!("→ {}", counted.date));
            Some(Due {
                date: counted.date,
                estimated: counted.estimated,
            })
        }
        Clock::BusinessDays { days } => {
            let counted = cal.nth_business_day_after(t, *days);
            notes.add(|| {
                format!(
                    "{} (Monday–Friday, calendar closures skipped) → {}",
                    plural(*days, "business day", "business days"),
                    counted.date
                )
            });
            for c in cal.closures_between(t, counted.date) {
                notes.add(|| format!("closure skipped: {} {}–{}", c.label, c.from, c.to));
            }
            // Business days run through summer, so only a calendar that ends before the date
            // (and may be missing closures) makes it an estimate.
            Some(Due {
                date: counted.date,
                estimated: counted.estimated,
            })
        }
        Clock::Years { years } => {
            let date = add_years(t, i16::from(*years));
            notes.add(|| format!("{} → {date}", plural(*years, "year", "years")));
            if t.month() == 2 && t.day() == 29 && date.day() == 28 {
                notes.add(|| format!("{} has no 29 February: 28 February", date.year()));
            }
            Some(Due {
                date,
                estimated: false,
            })
        }
        Clock::OnTrigger => {
            notes.add(|| format!("due that day: {t}"));
            Some(Due {
                date: t,
                estimated: false,
            })
        }
        Clock::Birthday { age } => {
            let birthday = add_years(ctx.case.student.birth_date, i16::from(*age));
            let date = birthday.max(t);
            notes.add(|| {
                if date == birthday {
                    format!("born {}: birthday {age} is {birthday} → due {date}", ctx.case.student.birth_date)
                } else {
                    format!("born {}: birthday {age} was {birthday}, before the trigger → due at once, {date}", ctx.case.student.birth_date)
                }
            });
            Some(Due {
                date,
                estimated: false,
            })
        }
        Clock::EndOfSchoolYear => {
            let last = match start.window {
                Some((_, end)) => end,
                None => cal.school_years().map(|y| y.1).find(|&last| last >= t)?,
            };
            notes.add(|| format!("due by the school year's last day, {last}"));
            Some(Due {
                date: last,
                estimated: false,
            })
        }
        Clock::NextDateOf(matchers) => {
            let found = ctx
                .events
                .iter()
                .filter(|e| matchers.iter().any(|m| m.matches(e.tag, &e.event.kind)))
                .filter_map(|e| {
                    let named = named_date(&e.event.kind).unwrap_or(e.event.on);
                    (named >= t).then_some((named, e))
                })
                .min_by_key(|(d, _)| *d);
            match found {
                Some((date, e)) => {
                    notes.add(|| {
                        format!("{} ({}) for {date}", humanize(tag_name(e.tag)), e.event.id)
                    });
                    Some(Due {
                        date,
                        estimated: false,
                    })
                }
                None => {
                    notes.add(|| {
                        format!(
                            "no {} on or after {t}",
                            matchers
                                .iter()
                                .map(|m| humanize(tag_name(m.tag)))
                                .collect::<Vec<_>>()
                                .join(" or ")
                        )
                    });
                    None
                }
            }
        }
        Clock::AfterEvent { matcher, days } => {
            let e = ctx
                .events
                .iter()
                .enumerate()
                .find(|(i, e)| {
                    e.event.on >= t
                        && Some(*i) != start.idx
                        && matcher.matches(e.tag, &e.event.kind)
                })
                .map(|(_, e)| e)?;
            let date = add_days(e.event.on, i32::try_from(*days).unwrap_or(i32::MAX / 2));
            notes.add(|| {
                format!(
                    "{} {} ({}): {} → {date}",
                    humanize(tag_name(e.tag)),
                    e.event.on,
                    e.event.id,
                    plural(*days, "calendar day", "calendar days")
                )
            });
            Some(Due {
                date,
                estimated: false,
            })
        }
        Clock::EarlierOf(parts) => {
            let mut best: Option<Due> = None;
            for part in parts {
                if let Some(d) = eval(ctx, part, start, notes)
                    && best.is_none_or(|b| d.date < b.date)
                {
                    best = Some(d);
                }
            }
            if let Some(b) = best {
                notes.add(|| format!("the earliest of these → {}", b.date));
            }
            best
        }
    }
}

/// The date an event names (a scheduled meeting's `meeting_on`), if it names one.
fn named_date(kind: &EventKind) -> Option<Date> {
    crate::matcher::EVENT_FIELDS[usize::from(crate::matcher::tag(kind))]
        .1
        .iter()
        .find_map(|f| match crate::matcher::field(kind, f) {
            Some(FieldValue::Date(d)) => Some(d),
            _ => None,
        })
}

fn describe_exclusions(ex: Exclusions) -> String {
    match (ex.summer, ex.breaks_of_at_least) {
        (true, Some(1)) => "summer or any day the school is closed".into(),
        (true, Some(n)) => format!("summer or breaks of {n} or more school days"),
        (true, None) => "summer".into(),
        (false, Some(n)) => format!("breaks of {n} or more school days"),
        (false, None) => "nothing".into(),
    }
}

/// For school-day clocks: the closures and summers that were not counted.
fn note_days_off(cal: &Calendar, after: Date, through: Date, notes: &mut Notes) {
    for c in cal.closures_between(after, through) {
        notes.add(|| format!("closure skipped: {} {}–{}", c.label, c.from, c.to));
    }
    let years: Vec<(Date, Date)> = cal.school_years().collect();
    for pair in years.windows(2) {
        let (end, next) = (pair[0].1, pair[1].0);
        if end >= after && next <= through {
            notes.add(|| {
                format!(
                    "summer skipped: {}–{}",
                    add_days(end, 1),
                    add_days(next, -1)
                )
            });
        }
    }
}

/// Texas-style cut-off: a start this many school days before the last day of its school year
/// makes the obligation due on a fixed day of that year.
fn year_end(
    cal: &Calendar,
    rule: &crate::profile::YearEnd,
    start: Date,
    notes: &mut Notes,
) -> Option<Due> {
    let (_, last) = cal.school_year_of(start)?;
    let left = cal.school_days_between(start, last);
    if !(rule.min..=rule.max).contains(&left) {
        return None;
    }
    let date = Date::new(last.year(), rule.month, rule.day).ok()?;
    let date = date.max(start);
    notes.add(|| {
        format!(
            "{start} is {} before the last instructional day {last} ({}–{}): due {date}",
            plural(left, "school day", "school days"),
            rule.min,
            rule.max
        )
    });
    Some(Due {
        date,
        estimated: false,
    })
}

/// California-style cut-off: a referral within N days of the year's last day makes the
/// obligation due M days after the next school year starts.
fn referral_year_end(
    ctx: &Ctx<'_>,
    rule: &crate::profile::ReferralYearEnd,
    start: &Start,
    notes: &mut Notes,
) -> Option<Due> {
    let upto = start.idx.unwrap_or(ctx.events.len());
    let referral = ctx.events[..upto]
        .iter()
        .rev()
        .find(|e| e.event.on <= start.date && rule.referral.matches(e.tag, &e.event.kind));
    let (referral_on, what) = match referral {
        Some(e) => (
            e.event.on,
            format!("referral ({}) {}", e.event.id, e.event.on),
        ),
        None => (
            start.date,
            format!(
                "no referral recorded: the start {} stands for it",
                start.date
            ),
        ),
    };
    let (_, last) = ctx.cal.school_year_of(referral_on)?;
    let before_end = day_number(last) - day_number(referral_on);
    if before_end < 0 || before_end > i32::try_from(rule.within_days).unwrap_or(i32::MAX) {
        return None;
    }
    let Some((next_first, _)) = ctx.cal.next_school_year_after(last) else {
        notes.add(|| format!("{what} is within {} days of the year's end {last}, but the calendar has no next school year: the ordinary clock is used", rule.within_days));
        return None;
    };
    let date = add_days(
        next_first,
        i32::try_from(rule.due_days_after_start).unwrap_or(i32::MAX / 2),
    );
    notes.add(|| {
        format!(
            "{what} is {} before the school year's last day {last} (within {}): due {} after the next year starts {next_first} → {date}",
            plural(before_end, "day", "days"),
            rule.within_days,
            plural(rule.due_days_after_start, "day", "days"),
        )
    });
    Some(Due {
        date,
        estimated: false,
    })
}
