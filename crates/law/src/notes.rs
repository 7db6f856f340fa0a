//! Explanation notes: each step of the date arithmetic as data (a `Note`: which step, with its
//! dates, counts, events and rule names), written out in a reader's language by
//! `explain::render` only when asked for. The sweep over a million students skips them
//! (`Detail::Brief`); a person reading one case gets every step, in English or Spanish.

use crate::calendar::{Exclusions, PeriodLabel};
use crate::lang::Lang;
use crate::matcher::EventMatcher;
use domain::event::NoticeSubject;
use jiff::civil::Date;

/// How much of the date arithmetic to spell out, and in which language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Detail {
    /// Every step, in English, in `Obligation::explanation` (CONTRACT.md's `deadlines` output).
    #[default]
    Full,
    /// Every step, written in this language (`In(Lang::En)` is `Full`).
    In(Lang),
    /// No explanation (an empty list): the same dates and statuses, faster.
    Brief,
}

impl Detail {
    /// The language explanations are written in, or `None` when none are built.
    pub fn lang(self) -> Option<Lang> {
        match self {
            Detail::Full => Some(Lang::En),
            Detail::In(lang) => Some(lang),
            Detail::Brief => None,
        }
    }
}

/// What the district did that the parent may complain about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cause {
    /// An obligation (its kind, e.g. `initial_evaluation`) was not met by its due date.
    Late { kind: String, due: Date },
    /// A prior written notice refusing an action about `subject`, sent on `on`.
    Refused { subject: NoticeSubject, on: Date },
}

/// Where a referral-near-year-end clock counts from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Referral {
    /// The referral event with its id and date.
    Recorded { id: String, on: Date },
    /// No referral in the case: the clock's start stands for it.
    Missing { start: Date },
}

/// One step of an explanation. Event kinds are the vocabulary's codes (`consent_received`),
/// obligation kinds the profile's (`initial_evaluation`); the renderer names them.
#[derive(Debug, Clone, PartialEq)]
pub enum Note {
    // Clocks.
    /// N calendar days from the start.
    CalendarDays { days: u32, due: Date },
    /// N calendar days, leaving out summers or long breaks (the skipped periods follow).
    CalendarDaysExcluding { days: u32, exclusions: Exclusions },
    /// A period a calendar-day clock did not count.
    PeriodSkipped {
        label: PeriodLabel,
        from: Date,
        to: Date,
        days: i32,
    },
    /// The date a count of several steps arrives at.
    Arrives { due: Date },
    /// N school days after the start: the first and last day counted.
    SchoolDays {
        days: u32,
        after: Date,
        first: Date,
        last: Date,
    },
    /// N business days (Monday–Friday, closures skipped).
    BusinessDays { days: u32, due: Date },
    /// A closure a school- or business-day count skipped.
    ClosureSkipped {
        label: PeriodLabel,
        from: Date,
        to: Date,
    },
    /// A summer a school-day count skipped.
    SummerSkipped { from: Date, to: Date },
    /// N years from the start.
    Years { years: u8, due: Date },
    /// The start was 29 February and the year due has none.
    NoLeapDay { year: i16 },
    /// Due the day the clock starts.
    DueOnTrigger { date: Date },
    /// Due on a birthday still to come.
    Birthday {
        born: Date,
        age: u8,
        birthday: Date,
        due: Date,
    },
    /// The birthday passed before the trigger: due at once.
    BirthdayPassed {
        born: Date,
        age: u8,
        birthday: Date,
        due: Date,
    },
    /// Due by the last day of the school year.
    EndOfSchoolYear { last: Date },
    /// Due on the date an event (a scheduled meeting) names.
    NextDate {
        kind: &'static str,
        id: String,
        date: Date,
    },
    /// No event of these kinds names a date on or after the start.
    NoNextDate {
        kinds: Vec<&'static str>,
        from: Date,
    },
    /// N calendar days after a later event.
    AfterEvent {
        kind: &'static str,
        on: Date,
        id: String,
        days: u32,
        due: Date,
    },
    /// The earliest of several clocks.
    EarliestOf { due: Date },
    /// A school-day clock extended by the student's absences.
    AbsenceExtension { absent: u32, min: u32, due: Date },
    /// Absences too few to extend the clock.
    AbsencesBelowExtension { absent: u32, min: u32 },
    /// The count ran past the end of the school calendar.
    EstimatePastCalendar { calendar_ends: Date },
    /// There was no school calendar: every weekday counted.
    EstimateWithoutCalendar,
    /// Texas-style cut-off: a start near the year's end makes it due on a fixed day.
    YearEndCutoff {
        start: Date,
        left: u32,
        last: Date,
        min: u32,
        max: u32,
        due: Date,
    },
    /// California-style: a referral near the year's end, but no next school year is known.
    ReferralNoNextYear {
        referral: Referral,
        within: u32,
        last: Date,
    },
    /// California-style: a referral near the year's end moves the date into the next year.
    ReferralNearYearEnd {
        referral: Referral,
        before_end: i32,
        last: Date,
        within: u32,
        after_start: u32,
        next_first: Date,
        due: Date,
    },

    // Triggers and status.
    /// The event that started the clock.
    Triggered { kind: &'static str, on: Date },
    /// An age-based obligation: the student has an IEP on the birthday.
    BirthdayWithIep { born: Date, age: u8, birthday: Date },
    /// An age-based obligation: the first IEP developed after the birthday.
    BirthdayThenIep {
        born: Date,
        age: u8,
        birthday: Date,
        iep_on: Date,
        id: String,
    },
    /// A yearly obligation: the school year and since when the student has an IEP.
    SchoolYearWithIep { from: Date, to: Date, since: Date },
    /// The removal that takes the year's total past the limit.
    RemovalOver {
        on: Date,
        id: String,
        days: u32,
        before: u32,
        year_start: Date,
        limit: u32,
    },
    /// The day the limit is passed, counted within the removal.
    RemovalDay { limit: u32, nth: u32, date: Date },
    /// The removal's day lies past the school calendar.
    RemovalEstimate,
    /// Satisfied on or before the due date.
    MetOnTime {
        kind: &'static str,
        on: Date,
        id: String,
    },
    /// Satisfied after the due date.
    MetLate {
        kind: &'static str,
        on: Date,
        id: String,
        days_late: i32,
    },
    /// Nothing satisfied it and the due date has passed.
    Overdue {
        wanted: Vec<EventMatcher>,
        as_of: Date,
        days: i32,
    },
    /// Nothing satisfied it yet and it is not due.
    Pending { wanted: Vec<EventMatcher> },

    // Filing windows.
    /// The violation a filing window counts from.
    Violation { cause: Cause, from: Date },
}

impl Note {
    /// The note's message id: names the step, stable across languages (docs and tests).
    pub fn id(&self) -> &'static str {
        match self {
            Note::CalendarDays { .. } => "calendar-days",
            Note::CalendarDaysExcluding { .. } => "calendar-days-excluding",
            Note::PeriodSkipped { .. } => "period-skipped",
            Note::Arrives { .. } => "arrives",
            Note::SchoolDays { .. } => "school-days",
            Note::BusinessDays { .. } => "business-days",
            Note::ClosureSkipped { .. } => "closure-skipped",
            Note::SummerSkipped { .. } => "summer-skipped",
            Note::Years { .. } => "years",
            Note::NoLeapDay { .. } => "no-leap-day",
            Note::DueOnTrigger { .. } => "due-on-trigger",
            Note::Birthday { .. } => "birthday",
            Note::BirthdayPassed { .. } => "birthday-passed",
            Note::EndOfSchoolYear { .. } => "end-of-school-year",
            Note::NextDate { .. } => "next-date",
            Note::NoNextDate { .. } => "no-next-date",
            Note::AfterEvent { .. } => "after-event",
            Note::EarliestOf { .. } => "earliest-of",
            Note::AbsenceExtension { .. } => "absence-extension",
            Note::AbsencesBelowExtension { .. } => "absences-below-extension",
            Note::EstimatePastCalendar { .. } => "estimate-past-calendar",
            Note::EstimateWithoutCalendar => "estimate-without-calendar",
            Note::YearEndCutoff { .. } => "year-end-cutoff",
            Note::ReferralNoNextYear { .. } => "referral-no-next-year",
            Note::ReferralNearYearEnd { .. } => "referral-near-year-end",
            Note::Triggered { .. } => "triggered",
            Note::BirthdayWithIep { .. } => "birthday-with-iep",
            Note::BirthdayThenIep { .. } => "birthday-then-iep",
            Note::SchoolYearWithIep { .. } => "school-year-with-iep",
            Note::RemovalOver { .. } => "removal-over",
            Note::RemovalDay { .. } => "removal-day",
            Note::RemovalEstimate => "removal-estimate",
            Note::MetOnTime { .. } => "met-on-time",
            Note::MetLate { .. } => "met-late",
            Note::Overdue { .. } => "overdue",
            Note::Pending { .. } => "pending",
            Note::Violation { .. } => "violation",
        }
    }

    /// The note written out in `lang`.
    pub fn render(&self, lang: Lang) -> String {
        crate::explain::render(self, lang)
    }
}

/// The notes of one obligation, collected only when an explanation is wanted.
pub(crate) struct Notes {
    notes: Option<(Lang, Vec<Note>)>,
}

impl Notes {
    pub fn new(detail: Detail) -> Notes {
        Notes {
            notes: detail.lang().map(|lang| (lang, Vec::new())),
        }
    }

    /// Adds a step; `note` runs only when the explanation is wanted.
    pub fn add(&mut self, note: impl FnOnce() -> Note) {
        if let Some((_, notes)) = &mut self.notes {
            notes.push(note());
        }
    }

    /// The explanation's lines in the language asked for.
    pub fn into_lines(self) -> Vec<String> {
        match self.notes {
            Some((lang, notes)) => notes.iter().map(|n| n.render(lang)).collect(),
            None => Vec::new(),
        }
    }
}
