//! Clock arithmetic: from a start date and a profile's clock to a due date, writing each step
//! into the explanation. Interprets the clock kinds of `profile::Clock` and the state
//! modifiers (absence extension, year-end cut-offs); knows nothing of particular states.

use crate::calendar::Calendar;
use crate::days::{add_days, add_years, day_number};
use crate::engine::{Ctx, Start};
use crate::matcher::{FieldValue, tag_name};
use crate::notes::{Note, Notes, Referral};
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
            notes.add(|| Note::AbsenceExtension {
                absent,
                min: ext.min_school_days,
                due: extended.date,
            });
            due = Due {
                date: extended.date,
                estimated: due.estimated || extended.estimated,
            };
        } else if absent > 0 {
            notes.add(|| Note::AbsencesBelowExtension {
                absent,
                min: ext.min_school_days,
            });
        }
    }
    if due.estimated {
        notes.add(|| match ctx.cal.known_until() {
            Some(end) => Note::EstimatePastCalendar { calendar_ends: end },
            None => Note::EstimateWithoutCalendar,
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
            notes.add(|| Note::CalendarDays {
                days: *days,
                due: date,
            });
            Some(Due {
                date,
                estimated: false,
            })
        }
        Clock::CalendarDays { days, exclusions } => {
            let (date, skipped, estimated) = cal.calendar_days_after(t, *days, *exclusions);
            notes.add(|| Note::CalendarDaysExcluding {
                days: *days,
                exclusions: *exclusions,
            });
            for period in &skipped {
                notes.add(|| Note::PeriodSkipped {
                    label: period.label.clone(),
                    from: period.from,
                    to: period.to,
                    days: day_number(period.to) - day_number(period.from) + 1,
                });
            }
            notes.add(|| Note::Arrives { due: date });
            Some(Due { date, estimated })
        }
        Clock::SchoolDays { days } => {
            let counted = cal.nth_school_day_after(t, *days);
            notes.add(|| Note::SchoolDays {
                days: *days,
                after: t,
                first: cal.nth_school_day_after(t, 1).date,
                last: counted.date,
            });
            note_days_off(cal, t, counted.date, notes);
            notes.add(|| Note::Arrives { due: counted.date });
            Some(Due {
                date: counted.date,
                estimated: counted.estimated,
            })
        }
        Clock::BusinessDays { days } => {
            let counted = cal.nth_business_day_after(t, *days);
            notes.add(|| Note::BusinessDays {
                days: *days,
                due: counted.date,
            });
            for c in cal.closures_between(t, counted.date) {
                notes.add(|| Note::ClosureSkipped {
                    label: c.label,
                    from: c.from,
                    to: c.to,
                });
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
            notes.add(|| Note::Years {
                years: *years,
                due: date,
            });
            if t.month() == 2 && t.day() == 29 && date.day() == 28 {
                notes.add(|| Note::NoLeapDay { year: date.year() });
            }
            Some(Due {
                date,
                estimated: false,
            })
        }
        Clock::OnTrigger => {
            notes.add(|| Note::DueOnTrigger { date: t });
            Some(Due {
                date: t,
                estimated: false,
            })
        }
        Clock::Birthday { age } => {
            let birthday = add_years(ctx.case.student.birth_date, i16::from(*age));
            let date = birthday.max(t);
            notes.add(|| {
                let born = ctx.case.student.birth_date;
                if date == birthday {
                    Note::Birthday {
                        born,
                        age: *age,
                        birthday,
                        due: date,
                    }
                } else {
                    Note::BirthdayPassed {
                        born,
                        age: *age,
                        birthday,
                        due: date,
                    }
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
            notes.add(|| Note::EndOfSchoolYear { last });
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
                    notes.add(|| Note::NextDate {
                        kind: tag_name(e.tag),
                        id: e.event.id.clone(),
                        date,
                    });
                    Some(Due {
                        date,
                        estimated: false,
                    })
                }
                None => {
                    notes.add(|| Note::NoNextDate {
                        kinds: matchers.iter().map(|m| tag_name(m.tag)).collect(),
                        from: t,
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
            notes.add(|| Note::AfterEvent {
                kind: tag_name(e.tag),
                on: e.event.on,
                id: e.event.id.clone(),
                days: *days,
                due: date,
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
                notes.add(|| Note::EarliestOf { due: b.date });
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

/// For school-day clocks: the closures and summers that were not counted.
fn note_days_off(cal: &Calendar, after: Date, through: Date, notes: &mut Notes) {
    for c in cal.closures_between(after, through) {
        notes.add(|| Note::ClosureSkipped {
            label: c.label,
            from: c.from,
            to: c.to,
        });
    }
    let years: Vec<(Date, Date)> = cal.school_years().collect();
    for pair in years.windows(2) {
        let (end, next) = (pair[0].1, pair[1].0);
        if end >= after && next <= through {
            notes.add(|| Note::SummerSkipped {
                from: add_days(end, 1),
                to: add_days(next, -1),
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
    notes.add(|| Note::YearEndCutoff {
        start,
        left,
        last,
        min: rule.min,
        max: rule.max,
        due: date,
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
    let referral_on = referral.map_or(start.date, |e| e.event.on);
    let what = || match referral {
        Some(e) => Referral::Recorded {
            id: e.event.id.clone(),
            on: e.event.on,
        },
        None => Referral::Missing { start: start.date },
    };
    let (_, last) = ctx.cal.school_year_of(referral_on)?;
    let before_end = day_number(last) - day_number(referral_on);
    if before_end < 0 || before_end > i32::try_from(rule.within_days).unwrap_or(i32::MAX) {
        return None;
    }
    let Some((next_first, _)) = ctx.cal.next_school_year_after(last) else {
        notes.add(|| Note::ReferralNoNextYear {
            referral: what(),
            within: rule.within_days,
            last,
        });
        return None;
    };
    let date = add_days(
        next_first,
        i32::try_from(rule.due_days_after_start).unwrap_or(i32::MAX / 2),
    );
    notes.add(|| Note::ReferralNearYearEnd {
        referral: what(),
        before_end,
        last,
        within: rule.within_days,
        after_start: rule.due_days_after_start,
        next_first,
        due: date,
    });
    Some(Due {
        date,
        estimated: false,
    })
}
