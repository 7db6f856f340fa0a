//! Parents' filing windows: the last day to file a due-process complaint, a state complaint or
//! an OCR complaint about a violation. A violation is an obligation that became overdue or was
//! met late (dated the day after its due date: the first day the law was broken) or a district's
//! written refusal (a prior written notice refusing an action, dated the day it was sent).
//! The window is measured from that date — the earliest the parent could have known; the
//! limitation periods run from when the parent knew or should have known, which can be later,
//! so these last days are the safe (earliest) ones.

use crate::calendar::Calendar;
use crate::clock;
use crate::days::add_days;
use crate::engine::{Ctx, Ev, Start};
use crate::lang::Lang;
use crate::notes::{Cause, Detail, Note, Notes};
use crate::profile::Profile;
use domain::case::Case;
use domain::event::{EventKind, NoticeAction};
use domain::obligation::Status;
use jiff::civil::Date;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Violation {
    /// The obligation kind (`initial_evaluation`) or event kind (`prior_written_notice_sent`).
    pub source: String,
    /// The triggering event of the late obligation, or the refusal event.
    pub event_id: Option<String>,
    pub on: Date,
    /// In English, as CONTRACT.md's `deadlines` output shows it; `describe` writes it in a
    /// reader's language.
    pub description: String,
    /// What happened, as data.
    #[serde(skip)]
    pub cause: Cause,
}

impl Violation {
    fn new(source: String, event_id: Option<String>, on: Date, cause: Cause) -> Violation {
        Violation {
            source,
            event_id,
            on,
            description: crate::explain::violation(&cause, Lang::En),
            cause,
        }
    }

    /// What happened, written in `lang`.
    pub fn describe(&self, lang: Lang) -> String {
        crate::explain::violation(&self.cause, lang)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FilingWindow {
    /// `due_process_complaint`, `state_complaint`, `ocr_complaint` (or a state's own).
    pub kind: String,
    pub violation: Violation,
    pub last_day: Date,
    /// `as_of` is on or before `last_day`.
    pub open: bool,
    pub citation: String,
    pub secondary_source: bool,
    pub explanation: Vec<String>,
}

/// Filing windows for every violation visible in the case as of `as_of`, explained in English.
pub fn filing_windows(
    case: &Case,
    profile: &Profile,
    calendar: &Calendar,
    as_of: Date,
) -> Vec<FilingWindow> {
    filing_windows_in(case, profile, calendar, as_of, Lang::En)
}

/// [`filing_windows`] with the explanations written in `lang`.
pub fn filing_windows_in(
    case: &Case,
    profile: &Profile,
    calendar: &Calendar,
    as_of: Date,
    lang: Lang,
) -> Vec<FilingWindow> {
    let mut violations: Vec<Violation> = Vec::new();
    for o in crate::engine::obligations_with(case, profile, calendar, as_of, Detail::Brief) {
        if matches!(o.status, Status::Overdue | Status::MetLate) {
            let cause = Cause::Late {
                kind: o.kind.clone(),
                due: o.due,
            };
            violations.push(Violation::new(
                o.kind,
                o.triggered_by,
                add_days(o.due, 1),
                cause,
            ));
        }
    }
    for e in case.effective_events() {
        if e.on > as_of {
            continue;
        }
        if let EventKind::PriorWrittenNoticeSent {
            action: NoticeAction::Refuse,
            subject,
        } = &e.kind
        {
            violations.push(Violation::new(
                "prior_written_notice_sent".into(),
                Some(e.id.clone()),
                e.on,
                Cause::Refused {
                    subject: *subject,
                    on: e.on,
                },
            ));
        }
    }
    violations.sort_by_key(|v| v.on);

    let ctx = Ctx {
        case,
        profile,
        cal: calendar,
        as_of,
        events: Vec::<Ev<'_>>::new(),
    };
    let mut out = Vec::new();
    for v in &violations {
        for w in &profile.filing_windows {
            let mut notes = Notes::new(Detail::In(lang));
            notes.add(|| Note::Violation {
                cause: v.cause.clone(),
                from: v.on,
            });
            let start = Start {
                idx: None,
                date: v.on,
                anchor: v.on,
                window: None,
            };
            let Some(due) = clock::due(&ctx, &w.clock, &start, &mut notes) else {
                continue;
            };
            out.push(FilingWindow {
                kind: w.kind.clone(),
                violation: v.clone(),
                last_day: due.date,
                open: as_of <= due.date,
                citation: w.citation.clone(),
                secondary_source: w.secondary,
                explanation: notes.into_lines(),
            });
        }
    }
    out
}
