//! The law-coverage table (`docs/law-coverage.md`), generated from the embedded profiles so the
//! documentation cannot drift from the data: every rule in every jurisdiction with its trigger,
//! clock, satisfiers and citation, and the age settings.

use crate::matcher::EventMatcher;
use crate::profile::{Clock, ClockRule, Profile, Satisfaction, Trigger};
use std::fmt::Write;

pub fn describe_clock(rule: &ClockRule) -> String {
    let mut text = describe_base(&rule.base);
    if let Some(ext) = rule.absence_extension {
        let _ = write!(
            text,
            ", + the student's absences when {} or more",
            ext.min_school_days
        );
    }
    if let Some(y) = &rule.year_end {
        let _ = write!(
            text,
            "; started {}–{} school days before the year's last day: due {:02}-{:02}",
            y.min, y.max, y.month, y.day
        );
    }
    if let Some(r) = &rule.referral_year_end {
        let _ = write!(
            text,
            "; {} within {} days of the year's end: {} days after the next year starts",
            r.referral.describe(),
            r.within_days,
            r.due_days_after_start
        );
    }
    text
}

fn describe_base(clock: &Clock) -> String {
    match clock {
        Clock::CalendarDays { days, exclusions } => {
            let mut t = format!("{days} calendar days");
            match (exclusions.summer, exclusions.breaks_of_at_least) {
                (true, Some(1)) => t.push_str(" excluding summer and every closure"),
                (true, Some(n)) => {
                    let _ = write!(t, " excluding summer and breaks of {n}+ school days");
                }
                (true, None) => t.push_str(" excluding summer"),
                (false, Some(n)) => {
                    let _ = write!(t, " excluding breaks of {n}+ school days");
                }
                (false, None) => {}
            }
            t
        }
        Clock::SchoolDays { days } => format!("{days} school days"),
        Clock::BusinessDays { days } => format!("{days} business days"),
        Clock::Years { years } => format!("{years} year{}", if *years == 1 { "" } else { "s" }),
        Clock::OnTrigger => "on that day".into(),
        Clock::Birthday { age } => format!("by birthday {age}"),
        Clock::EndOfSchoolYear => "by the school year's last day".into(),
        Clock::NextDateOf(m) => format!("date of the next {}", list(m)),
        Clock::AfterEvent { matcher, days } => {
            format!("{days} calendar days after {}", matcher.describe())
        }
        Clock::EarlierOf(parts) => format!(
            "earlier of: {}",
            parts
                .iter()
                .map(describe_base)
                .collect::<Vec<_>>()
                .join("; ")
        ),
    }
}

fn list(matchers: &[EventMatcher]) -> String {
    matchers
        .iter()
        .map(EventMatcher::describe)
        .collect::<Vec<_>>()
        .join(" or ")
}

pub fn describe_trigger(profile: &Profile, trigger: &Trigger) -> String {
    match trigger {
        Trigger::Events(m) => list(m),
        Trigger::Birthday { age, years_before } => {
            let setting = profile.age(*age);
            let years = setting.years.saturating_sub(*years_before);
            format!("birthday {years} of a student with an IEP")
        }
        Trigger::EachSchoolYear => "each school year with an IEP".into(),
        Trigger::RemovalOver { school_days } => {
            format!("more than {school_days} school days of removal in a school year")
        }
    }
}

fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}

/// How the engine reads the rules where the law or the contract is silent.
const CHOICES: &str = "
## Readings where the law or the contract is silent

- **What is known**: events dated after `as_of` are ignored; a correction (`supersedes`) replaces the event it names.
- **Satisfiers**: the first matching event on or after the trigger (an event that could itself start the clock, such as the next annual meeting, only satisfies clocks started before it).
- **Triennial reevaluation**: started by an eligibility determination that finds the student eligible (an ineligible child has no IEP to reevaluate) and by a waived reevaluation, which satisfies the running clock and starts the next 3 years.
- **Age-based obligations** (transition plan, age-of-majority notice): for a student with an IEP on the birthday (an IEP meeting of purpose initial, annual or reevaluation, and no exit since); when the first IEP comes after the birthday, due at that IEP. Shown from one year before the birthday. Satisfied when the IEP in effect on the due date (the latest IEP meeting, as amended up to that day) has the element; a later meeting that adds it is met late.
- **Leaving special education** (`exited`): annual reviews, triennials, age-based obligations and the yearly safeguards notice that fall due after the exit lapse; complaint and records clocks do not.
- **Procedural safeguards once a school year**: one obligation per school year in which the student has an IEP, due on the year's last day; any copy given from the day after the previous year's last day (1 July for the first year) through that last day satisfies it. Without a calendar, years run 1 July – 30 June.
- **Services during removal**: the removal that takes the school year's removal days past 10 starts the clock on the 11th school day of removal; satisfied by `services_started` on or after that removal's first day. The student need not have an IEP on file (as for the manifestation determination).
- **Records access**: 45 days, or the next `iep_meeting_scheduled` `meeting_on` on or after the request if earlier.
- **Breaks** (CA, GA, FL): a break is the run of weekdays without school between two school days inside a school year, the weekends at its edges not counted as part of it; CA's \"more than five school days\" is 6+, GA's \"5+ consecutive\" is 5+, FL's \"holidays\" is every closure. Summer is the days strictly between one school year's last day and the next one's first day.
- **Past the calendar**: school and business days after the last school year are every Monday–Friday, and a summer after it cannot be skipped; the explanation then says the date is an estimate.
- **Texas**: the written report is recorded as the eligibility determination. \"35–44 school days before the last instructional day\" counts the school days after the consent day through the last day. Absences are the `absences_recorded` events dated inside the timeline.
- **California**: the referral is the latest `evaluation_requested` on or before the consent (the consent date when none is recorded); \"within 30 days\" is 0–30 calendar days before the year's last day; the next year starts on its first day.
- **North Carolina, Virginia**: the clock starts at a written `evaluation_requested`; a consent does not start it.
- **Filing windows**: counted from the violation: the day after an obligation's due date when it became overdue or was met late, or the date of a prior written notice refusing an action. The law counts from when the parent knew or should have known, which is never earlier, so these are the earliest safe last days.
- **Explanations**: each step of the date arithmetic is a note (`law::Note`: which step, with its dates, counts, event and rule kinds), written out only when asked for and in the reader's language: English as in CONTRACT.md (ISO dates, kinds as codes with spaces), Spanish for a parent (\"7 de noviembre de 2026\", \"días calendario\", \"días escolares\", \"días hábiles\", kind names as the web's Spanish catalogue has them). The dates and statuses never depend on the language.
- **Indicator 11**: initial evaluations whose clock started in the period and whose timeline ended by the report date (met, met late, or overdue); those still running are reported as pending and left out of the percentage. The exceptions of 34 CFR 300.301(d) are not yet recorded as events.
";

/// The whole Markdown document.
pub fn coverage_markdown(profiles: &[Profile]) -> String {
    let mut out = String::new();
    out.push_str("# Law coverage\n\n");
    out.push_str(
        "Generated from `crates/law/profiles/*.toml` by the `law` crate's tests \
(`UPDATE_LAW_COVERAGE=1 cargo test -p law coverage` rewrites it; the test fails when it is stale). \
Do not edit by hand.\n\n",
    );
    out.push_str(
        "Day counting: calendar days are T + N; school days are Monday–Friday inside a school \
year and outside its closures; business days are Monday–Friday outside the calendar's closures \
(summer included). Years keep month and day (29 February → 28 February). A rule marked \
**secondary** was read only in a secondary source.\n\n",
    );
    out.push_str("## Ages\n\n| jurisdiction | transition planning | age of majority | developmental delay |\n|---|---|---|---|\n");
    for p in profiles {
        let age = |s: &crate::profile::AgeSetting| {
            format!(
                "{}{}{}",
                s.years,
                if s.citation.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", s.citation)
                },
                if s.secondary { " **secondary**" } else { "" }
            )
        };
        let dd = match &p.developmental_delay {
            Some(r) if r.used => format!(
                "{}–{}{}",
                r.from,
                r.to,
                if r.secondary { " **secondary**" } else { "" }
            ),
            Some(_) => "not used".into(),
            None => "—".into(),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            p.jurisdiction,
            cell(&age(&p.transition_age)),
            cell(&age(&p.age_of_majority)),
            cell(&dd)
        );
    }
    let mut kinds: Vec<&str> = Vec::new();
    for p in profiles {
        for r in &p.rules {
            if !kinds.contains(&r.kind.as_str()) {
                kinds.push(&r.kind);
            }
        }
    }
    out.push_str("\n## Rules\n");
    for kind in kinds {
        let _ = write!(
            out,
            "\n### `{kind}`\n\n| jurisdiction | source | trigger | clock | satisfied by | citation | secondary |\n|---|---|---|---|---|---|---|\n"
        );
        for p in profiles {
            let own = p.own_kinds.iter().any(|k| k == kind) || p.inherits.is_none();
            let mut any = false;
            for r in p.rules_of(kind) {
                any = true;
                let satisfied = match r.satisfaction {
                    Satisfaction::Next => list(&r.satisfied_by),
                    Satisfaction::IepInEffect => {
                        format!("the IEP in effect then has {}", list(&r.satisfied_by))
                    }
                    Satisfaction::WithinSchoolYear => {
                        format!("{} in that school year", list(&r.satisfied_by))
                    }
                };
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} | {} | {} | {} |",
                    p.jurisdiction,
                    if own { "own" } else { "federal" },
                    cell(&describe_trigger(p, &r.trigger)),
                    cell(&describe_clock(&r.clock)),
                    cell(&satisfied),
                    cell(&r.citation),
                    if r.secondary { "secondary" } else { "" }
                );
            }
            if !any {
                let _ = writeln!(
                    out,
                    "| {} | — | not in this jurisdiction | | | | |",
                    p.jurisdiction
                );
            }
        }
    }
    out.push_str("\n## Filing windows\n\n| jurisdiction | kind | clock | citation | secondary |\n|---|---|---|---|---|\n");
    for p in profiles {
        for w in &p.filing_windows {
            let _ = writeln!(
                out,
                "| {} | `{}` | {} | {} | {} |",
                p.jurisdiction,
                w.kind,
                cell(&describe_clock(&w.clock)),
                cell(&w.citation),
                if w.secondary { "secondary" } else { "" }
            );
        }
    }
    out.push_str(CHOICES);
    out.push_str(
        "\n## District policy\n\nSection 504 periodic review (`plan504_review`) and reevaluation \
(`plan504_reevaluation`) have no federal interval (34 CFR 104.35(d)); they exist only when a \
`DistrictPolicy` sets them (`profile.with_policy(&policy)`).\n",
    );
    out
}
