//! The engine: from a case, a jurisdiction profile and a school calendar to every obligation
//! the law attaches to the case, with status, citation and the date arithmetic spelled out.
//! It interprets the profile's trigger and satisfaction kinds; clocks are `clock.rs`'s job.

use crate::calendar::Calendar;
use crate::clock::{self, Due};
use crate::days::{add_days, add_years, day_number};
use crate::matcher::{EventMatcher, tag, tag_name};
use crate::notes::{Detail, Note, Notes};
use crate::profile::{Profile, Rule, Satisfaction, Trigger};
use domain::case::Case;
use domain::event::{Event, EventKind};
use domain::obligation::{Obligation, Status};
use jiff::civil::Date;

/// An event in force with its kind's tag, in date order.
pub(crate) struct Ev<'a> {
    pub tag: u8,
    pub event: &'a Event,
}

pub(crate) struct Ctx<'a> {
    pub case: &'a Case,
    pub profile: &'a Profile,
    pub cal: &'a Calendar,
    pub as_of: Date,
    /// Effective events (corrections applied) dated on or before `as_of`: what was known then.
    pub events: Vec<Ev<'a>>,
}

/// Where a clock starts.
pub(crate) struct Start {
    /// The triggering event's index in `Ctx::events`, when an event started it.
    pub idx: Option<usize>,
    /// The date the clock counts from.
    pub date: Date,
    /// Satisfying events count from this date (a removal's first day, a school year's start).
    pub anchor: Date,
    /// The school year an obligation belongs to (window start, last day).
    pub window: Option<(Date, Date)>,
}

/// Every obligation of the case as of `as_of`, with full explanations.
pub fn obligations(
    case: &Case,
    profile: &Profile,
    calendar: &Calendar,
    as_of: Date,
) -> Vec<Obligation> {
    obligations_with(case, profile, calendar, as_of, Detail::Full)
}

/// [`obligations`] with a choice of how much explanation to build.
pub fn obligations_with(
    case: &Case,
    profile: &Profile,
    calendar: &Calendar,
    as_of: Date,
    detail: Detail,
) -> Vec<Obligation> {
    let mut out = Vec::new();
    compute(case, profile, calendar, as_of, detail, |o, _| out.push(o));
    out.sort_by(|a, b| a.due.cmp(&b.due).then_with(|| a.kind.cmp(&b.kind)));
    out
}

/// The engine proper; hands each obligation and its start date to `emit`.
pub(crate) fn compute(
    case: &Case,
    profile: &Profile,
    cal: &Calendar,
    as_of: Date,
    detail: Detail,
    mut emit: impl FnMut(Obligation, Date),
) {
    let events: Vec<Ev<'_>> = case
        .effective_events()
        .into_iter()
        .filter(|e| e.on <= as_of)
        .map(|event| Ev {
            tag: tag(&event.kind),
            event,
        })
        .collect();
    let ctx = Ctx {
        case,
        profile,
        cal,
        as_of,
        events,
    };
    for rule in &profile.rules {
        for_each_start(&ctx, rule, detail, |start, mut notes| {
            if let Some(o) = evaluate(&ctx, rule, &start, &mut notes) {
                let mut o = o;
                o.explanation = notes.into_lines();
                emit(o, start.date);
            }
        });
    }
}

fn evaluate(ctx: &Ctx<'_>, rule: &Rule, start: &Start, notes: &mut Notes) -> Option<Obligation> {
    let Due { date: due, .. } = clock::due(ctx, &rule.clock, start, notes)?;
    let satisfier = find_satisfier(ctx, rule, start, due);
    if rule.ends_on_exit
        && let Some(exit) = ctx.events.iter().enumerate().find(|(i, e)| {
            e.event.on >= start.anchor
                && e.event.on <= due
                && start.idx.is_none_or(|t| *i > t)
                && ctx.profile.exit.matches(e.tag, &e.event.kind)
        })
        && satisfier.is_none_or(|s| ctx.events[s].event.on > exit.1.event.on)
    {
        // The student left special education before the obligation fell due: it lapsed.
        return None;
    }
    let satisfied_on = satisfier.map(|s| ctx.events[s].event.on);
    let status = Status::classify(due, satisfied_on, ctx.as_of);
    notes.add(|| status_note(ctx, rule, satisfier, due, status));
    let mut citation = rule.citation.clone();
    let mut secondary = rule.secondary;
    if let Trigger::Birthday { age, .. } = rule.trigger {
        let setting = ctx.profile.age(age);
        if !setting.citation.is_empty() && !citation.contains(&setting.citation) {
            citation.push_str("; ");
            citation.push_str(&setting.citation);
        }
        secondary |= setting.secondary;
    }
    Some(Obligation {
        kind: rule.kind.clone(),
        triggered_by: start.idx.map(|i| ctx.events[i].event.id.clone()),
        due,
        status,
        satisfied_by: satisfier.map(|s| ctx.events[s].event.id.clone()),
        citation,
        explanation: Vec::new(),
        satisfied_on,
        secondary_source: secondary,
    })
}

fn status_note(
    ctx: &Ctx<'_>,
    rule: &Rule,
    satisfier: Option<usize>,
    due: Date,
    status: Status,
) -> Note {
    match satisfier {
        Some(s) => {
            let e = &ctx.events[s];
            let late = day_number(e.event.on) - day_number(due);
            let (kind, on, id) = (tag_name(e.tag), e.event.on, e.event.id.clone());
            if late > 0 {
                Note::MetLate {
                    kind,
                    on,
                    id,
                    days_late: late,
                }
            } else {
                Note::MetOnTime { kind, on, id }
            }
        }
        None if status == Status::Overdue => Note::Overdue {
            wanted: rule.satisfied_by.clone(),
            as_of: ctx.as_of,
            days: day_number(ctx.as_of) - day_number(due),
        },
        None => Note::Pending {
            wanted: rule.satisfied_by.clone(),
        },
    }
}

// ---------------------------------------------------------------------------------------------
// Triggers.

fn for_each_start(ctx: &Ctx<'_>, rule: &Rule, detail: Detail, mut each: impl FnMut(Start, Notes)) {
    match &rule.trigger {
        Trigger::Events(matchers) => {
            for (i, e) in ctx.events.iter().enumerate() {
                if matchers.iter().any(|m| m.matches(e.tag, &e.event.kind)) {
                    let mut notes = Notes::new(detail);
                    notes.add(|| Note::Triggered {
                        kind: tag_name(e.tag),
                        on: e.event.on,
                    });
                    each(
                        Start {
                            idx: Some(i),
                            date: e.event.on,
                            anchor: e.event.on,
                            window: None,
                        },
                        notes,
                    );
                }
            }
        }
        Trigger::Birthday { age, years_before } => {
            let setting = ctx.profile.age(*age);
            let years = setting.years.saturating_sub(*years_before);
            let mut notes = Notes::new(detail);
            if let Some(start) = birthday_start(ctx, years, &mut notes) {
                each(start, notes);
            }
        }
        Trigger::EachSchoolYear => school_year_starts(ctx, detail, each),
        Trigger::RemovalOver { school_days } => removal_starts(ctx, *school_days, detail, each),
    }
}

fn is_iep_meeting(ctx: &Ctx<'_>, e: &Ev<'_>) -> bool {
    ctx.profile.iep_meetings.matches(e.tag, &e.event.kind)
}

/// Whether the student has an IEP on `date` (from what is known as of `as_of`): an IEP was
/// developed on or before it and the student has not exited since.
fn has_iep_on(ctx: &Ctx<'_>, date: Date) -> bool {
    let Some(m) = ctx
        .events
        .iter()
        .rposition(|e| e.event.on <= date && is_iep_meeting(ctx, e))
    else {
        return false;
    };
    !ctx.events[m + 1..]
        .iter()
        .any(|e| e.event.on <= date && ctx.profile.exit.matches(e.tag, &e.event.kind))
}

/// Age-based obligations: due on the birthday for a student with an IEP then, or at the first
/// IEP developed after it. Shown from one year before the birthday (the annual IEP that will be
/// in effect that day is written in that year), so a young child's file is not cluttered.
fn birthday_start(ctx: &Ctx<'_>, years: u8, notes: &mut Notes) -> Option<Start> {
    let born = ctx.case.student.birth_date;
    let birthday = add_years(born, i16::from(years));
    if ctx.as_of < add_years(birthday, -1) {
        return None;
    }
    if has_iep_on(ctx, birthday) {
        notes.add(|| Note::BirthdayWithIep {
            born,
            age: years,
            birthday,
        });
        return Some(Start {
            idx: None,
            date: birthday,
            anchor: birthday,
            window: None,
        });
    }
    let first_after = ctx
        .events
        .iter()
        .find(|e| e.event.on > birthday && is_iep_meeting(ctx, e))?;
    notes.add(|| Note::BirthdayThenIep {
        born,
        age: years,
        birthday,
        iep_on: first_after.event.on,
        id: first_after.event.id.clone(),
    });
    Some(Start {
        idx: None,
        date: first_after.event.on,
        anchor: first_after.event.on,
        window: None,
    })
}

/// One obligation per school year in which the student has an IEP. A year's window runs from
/// the day after the previous year's last day (for the first year, 1 July before it) to its
/// last day. Without a school calendar, years run 1 July – 30 June.
fn school_year_starts(ctx: &Ctx<'_>, detail: Detail, mut each: impl FnMut(Start, Notes)) {
    let Some(first_iep) = ctx.events.iter().find(|e| is_iep_meeting(ctx, e)) else {
        return;
    };
    let first_iep_on = first_iep.event.on;
    let july_first = |year: i16| Date::new(year, 7, 1).ok();
    let mut windows: Vec<(Date, Date)> = Vec::new();
    let mut previous_last: Option<Date> = None;
    for (first, last) in ctx.cal.school_years() {
        let start = match previous_last {
            Some(prev) => add_days(prev, 1),
            None => july_first(first.year()).map_or(first, |j| j.min(first)),
        };
        windows.push((start, last));
        previous_last = Some(last);
    }
    if windows.is_empty() {
        let mut year = if first_iep_on.month() >= 7 {
            first_iep_on.year()
        } else {
            first_iep_on.year() - 1
        };
        while let (Some(start), Some(end)) = (july_first(year), Date::new(year + 1, 6, 30).ok()) {
            if start > ctx.as_of {
                break;
            }
            windows.push((start, end));
            year += 1;
        }
    }
    for (start, end) in windows {
        if start > ctx.as_of || end < first_iep_on {
            continue;
        }
        if !has_iep_during(ctx, start, end.min(ctx.as_of)) {
            continue;
        }
        let mut notes = Notes::new(detail);
        let clock_start = start.max(first_iep_on);
        notes.add(|| Note::SchoolYearWithIep {
            from: start,
            to: end,
            since: first_iep_on,
        });
        each(
            Start {
                idx: None,
                date: clock_start,
                anchor: start,
                window: Some((start, end)),
            },
            notes,
        );
    }
}

/// In force when the window opened, or developed during it.
fn has_iep_during(ctx: &Ctx<'_>, from: Date, through: Date) -> bool {
    has_iep_on(ctx, from)
        || ctx
            .events
            .iter()
            .any(|e| e.event.on >= from && e.event.on <= through && is_iep_meeting(ctx, e))
}

/// The disciplinary removal that takes the school year's cumulative removal days past
/// `limit`; the clock starts on the first school day beyond it. Years are the calendar's school
/// years (1 July – 30 June for days outside them).
fn removal_starts(ctx: &Ctx<'_>, limit: u32, detail: Detail, mut each: impl FnMut(Start, Notes)) {
    let mut totals: Vec<(Date, u32)> = Vec::new();
    for (i, e) in ctx.events.iter().enumerate() {
        let EventKind::DisciplinaryRemoval { school_days, .. } = e.event.kind else {
            continue;
        };
        let on = e.event.on;
        let year_start = ctx.cal.school_year_of(on).map(|y| y.0).unwrap_or_else(|| {
            let y = if on.month() >= 7 {
                on.year()
            } else {
                on.year() - 1
            };
            Date::new(y, 7, 1).unwrap_or(on)
        });
        let slot = match totals.iter().position(|t| t.0 == year_start) {
            Some(p) => p,
            None => {
                totals.push((year_start, 0));
                totals.len() - 1
            }
        };
        let before = totals[slot].1;
        totals[slot].1 = before.saturating_add(school_days);
        if before <= limit && before.saturating_add(school_days) > limit {
            let nth = limit + 1 - before;
            let day = ctx.cal.nth_school_day_after(add_days(on, -1), nth);
            let mut notes = Notes::new(detail);
            notes.add(|| Note::RemovalOver {
                on,
                id: e.event.id.clone(),
                days: school_days,
                before,
                year_start,
                limit,
            });
            notes.add(|| Note::RemovalDay {
                limit,
                nth,
                date: day.date,
            });
            if day.estimated {
                notes.add(|| Note::RemovalEstimate);
            }
            each(
                Start {
                    idx: Some(i),
                    date: day.date,
                    anchor: on,
                    window: None,
                },
                notes,
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Satisfaction.

fn satisfies(rule: &Rule, e: &Ev<'_>) -> bool {
    rule.satisfied_by
        .iter()
        .any(|m| m.matches(e.tag, &e.event.kind))
}

fn find_satisfier(ctx: &Ctx<'_>, rule: &Rule, start: &Start, due: Date) -> Option<usize> {
    match rule.satisfaction {
        Satisfaction::Next => {
            let triggers: &[EventMatcher] = match &rule.trigger {
                Trigger::Events(m) => m,
                _ => &[],
            };
            ctx.events.iter().enumerate().position(|(i, e)| {
                if e.event.on < start.anchor || Some(i) == start.idx || !satisfies(rule, e) {
                    return false;
                }
                // An event that could also start this rule's clock (the next annual meeting)
                // satisfies only clocks started before it.
                let also_trigger = triggers.iter().any(|m| m.matches(e.tag, &e.event.kind));
                !(also_trigger && start.idx.is_some_and(|t| i < t))
            })
        }
        Satisfaction::IepInEffect => {
            // The IEP in effect on the due date is the latest one developed by then, as amended
            // up to that day.
            let latest = ctx
                .events
                .iter()
                .rposition(|e| e.event.on <= due && is_iep_meeting(ctx, e));
            if let Some(m) = latest
                && let Some(offset) = ctx.events[m..]
                    .iter()
                    .position(|e| e.event.on <= due && satisfies(rule, e))
            {
                return Some(m + offset);
            }
            ctx.events
                .iter()
                .position(|e| e.event.on > due && satisfies(rule, e))
        }
        Satisfaction::WithinSchoolYear => {
            let (from, through) = start.window.unwrap_or((start.anchor, due));
            ctx.events
                .iter()
                .position(|e| e.event.on >= from && e.event.on <= through && satisfies(rule, e))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn case(json: &str) -> Case {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn the_contract_example() {
        let c = case(
            r#"{"jurisdiction":"US","student":{"birth_date":"2012-05-02"},
            "calendar":{"school_years":[{"first_day":"2026-08-17","last_day":"2027-05-28",
              "closed":[{"from":"2026-11-23","to":"2026-11-27","label":"Thanksgiving break"}]}]},
            "events":[{"id":"e1","kind":"consent_received","on":"2026-09-08","for":"initial_evaluation"}]}"#,
        );
        let profile = crate::registry::profile("US").unwrap();
        let cal = Calendar::new(&c.calendar);
        let obs = obligations(&c, profile, &cal, date(2026, 11, 24));
        assert_eq!(obs.len(), 1, "{obs:#?}");
        assert_eq!(obs[0].due, date(2026, 11, 7));
        assert_eq!(obs[0].status, Status::Overdue);
        assert_eq!(obs[0].explanation[0], "consent received 2026-09-08");
        assert_eq!(obs[0].explanation[1], "60 calendar days → 2026-11-07");
    }
}
