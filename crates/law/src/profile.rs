//! Jurisdiction profiles: the law as data. A profile is a TOML file of rules (kind, trigger,
//! clock, satisfiers, citation) and settings (ages); a state profile names its parent and
//! replaces the parent's rules kind by kind. This module reads and checks profiles; the engine
//! only interprets the trigger and clock kinds defined here.

use crate::calendar::Exclusions;
use crate::matcher::{EventMatcher, MatcherSpec, OneOrMany};
use serde::Deserialize;
use std::collections::BTreeMap;
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ProfileError {
    #[error("profile {profile}: {message}")]
    Syntax { profile: String, message: String },
    #[error("profile {profile}, rule `{rule}`: {message}")]
    Rule {
        profile: String,
        rule: String,
        message: String,
    },
    #[error("profile {profile} inherits `{parent}`, which is not loaded")]
    MissingParent { profile: String, parent: String },
}

// ---------------------------------------------------------------------------------------------
// The file format.

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileSpec {
    pub jurisdiction: String,
    pub name: String,
    #[serde(default)]
    pub inherits: Option<String>,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub ages: AgesSpec,
    /// What counts as developing an IEP (for "a student with an IEP") and as leaving special
    /// education; the federal profile sets them, states inherit them.
    #[serde(default)]
    pub iep_meetings: Option<MatcherSpec>,
    #[serde(default)]
    pub exit: Option<MatcherSpec>,
    #[serde(default, rename = "rule")]
    pub rules: Vec<RuleSpec>,
    #[serde(default, rename = "filing_window")]
    pub filing_windows: Vec<FilingWindowSpec>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgesSpec {
    pub majority: Option<AgeSetting>,
    pub transition: Option<AgeSetting>,
    pub developmental_delay: Option<AgeRange>,
}

/// An age the law attaches something to, with where it comes from.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct AgeSetting {
    pub years: u8,
    #[serde(default)]
    pub citation: String,
    #[serde(default)]
    pub secondary: bool,
    #[serde(default)]
    pub note: String,
}

/// The ages for which the developmental-delay category may be used; `used = false` where the
/// state does not use the category.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct AgeRange {
    #[serde(default = "yes")]
    pub used: bool,
    #[serde(default)]
    pub from: u8,
    #[serde(default)]
    pub to: u8,
    #[serde(default)]
    pub citation: String,
    #[serde(default)]
    pub secondary: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    pub kind: String,
    pub trigger: TriggerSpec,
    pub clock: ClockSpec,
    #[serde(default)]
    pub satisfied_by: Vec<MatcherSpec>,
    #[serde(default)]
    pub satisfaction: Satisfaction,
    pub citation: String,
    #[serde(default)]
    pub secondary: bool,
    #[serde(default)]
    pub note: String,
    /// The obligation lapses when the student leaves special education before it falls due.
    #[serde(default)]
    pub ends_on_exit: bool,
}

/// The trigger as written: exactly one of `event` (+ field filters), `any_of`, `birthday`,
/// `each_school_year`, `removal_school_days_over`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct TriggerSpec {
    #[serde(default)]
    pub event: Option<String>,
    #[serde(default)]
    pub any_of: Option<Vec<MatcherSpec>>,
    /// `transition` or `majority`: the profile's age setting of that name.
    #[serde(default)]
    pub birthday: Option<String>,
    #[serde(default)]
    pub years_before: Option<u8>,
    #[serde(default)]
    pub each_school_year: Option<bool>,
    #[serde(default)]
    pub removal_school_days_over: Option<u32>,
    #[serde(flatten)]
    pub fields: BTreeMap<String, OneOrMany>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClockSpec {
    pub calendar_days: Option<u32>,
    pub school_days: Option<u32>,
    pub business_days: Option<u32>,
    pub years: Option<u8>,
    /// Due on the day the trigger happens (age-based obligations).
    pub on_trigger: Option<bool>,
    /// Due on this birthday (or on the trigger date if that is later).
    pub birthday: Option<u8>,
    /// Due on the last day of the school year the trigger falls in (or the next one).
    pub end_of_school_year: Option<bool>,
    /// The date of the next matching event on or after the trigger: the date the event names
    /// (an `iep_meeting_scheduled`'s `meeting_on`), else the day it happened.
    pub next_date_of: Option<Vec<MatcherSpec>>,
    /// Calendar days after a later event, when one happens (e.g. a waived resolution meeting).
    pub after_event: Option<AfterEventSpec>,
    pub earlier_of: Option<Vec<ClockSpec>>,
    #[serde(default)]
    pub exclude_summer: bool,
    /// Leave out breaks with at least this many weekdays off.
    pub exclude_breaks_of_school_days: Option<u32>,
    pub absence_extension: Option<AbsenceExtension>,
    pub year_end: Option<YearEndSpec>,
    pub referral_near_year_end: Option<ReferralYearEndSpec>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AfterEventSpec {
    pub event: String,
    pub calendar_days: u32,
}

/// Texas: extend a school-day clock by the student's absences when there are at least
/// `min_school_days` of them during it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AbsenceExtension {
    pub min_school_days: u32,
}

/// Texas: a trigger this many school days before the year's last day moves the due date to a
/// fixed day (`due` = "MM-DD") of that year.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YearEndSpec {
    pub school_days_before_last_day: [u32; 2],
    pub due: String,
}

/// California: a referral within `within_calendar_days` of the year's last day makes the
/// obligation due `due_calendar_days_after_next_year_start` days into the next school year.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReferralYearEndSpec {
    pub referral: MatcherSpec,
    pub within_calendar_days: u32,
    pub due_calendar_days_after_next_year_start: u32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FilingWindowSpec {
    pub kind: String,
    pub clock: ClockSpec,
    pub citation: String,
    #[serde(default)]
    pub secondary: bool,
    #[serde(default)]
    pub note: String,
}

/// How a satisfying event is found.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Satisfaction {
    /// The first matching event after the trigger.
    #[default]
    Next,
    /// The IEP in effect on the due date (the latest IEP meeting and its amendments) has a
    /// matching meeting; otherwise the first matching meeting after it, late.
    IepInEffect,
    /// A matching event inside the school year the obligation belongs to.
    WithinSchoolYear,
}

// ---------------------------------------------------------------------------------------------
// The compiled form the engine reads.

#[derive(Debug, Clone, PartialEq)]
pub enum Trigger {
    /// Each matching event starts a clock.
    Events(Vec<EventMatcher>),
    /// A birthday of a student with an IEP (the profile's `transition` or `majority` age, less
    /// `years_before`); when the first IEP comes after it, that IEP's date.
    Birthday { age: AgeRef, years_before: u8 },
    /// Each school year in which the student has an IEP.
    EachSchoolYear,
    /// The disciplinary removal during which cumulative removal days in a school year first
    /// exceed this many; the clock starts on the first day beyond it.
    RemovalOver { school_days: u32 },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgeRef {
    Transition,
    Majority,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Clock {
    CalendarDays { days: u32, exclusions: Exclusions },
    SchoolDays { days: u32 },
    BusinessDays { days: u32 },
    Years { years: u8 },
    OnTrigger,
    Birthday { age: u8 },
    EndOfSchoolYear,
    NextDateOf(Vec<EventMatcher>),
    AfterEvent { matcher: EventMatcher, days: u32 },
    EarlierOf(Vec<Clock>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct YearEnd {
    pub min: u32,
    pub max: u32,
    pub month: i8,
    pub day: i8,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ReferralYearEnd {
    pub referral: EventMatcher,
    pub within_days: u32,
    pub due_days_after_start: u32,
}

/// A clock with the state modifiers that adjust it.
#[derive(Debug, Clone, PartialEq)]
pub struct ClockRule {
    pub base: Clock,
    pub absence_extension: Option<AbsenceExtension>,
    pub year_end: Option<YearEnd>,
    pub referral_year_end: Option<ReferralYearEnd>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub kind: String,
    pub trigger: Trigger,
    pub clock: ClockRule,
    pub satisfied_by: Vec<EventMatcher>,
    pub satisfaction: Satisfaction,
    pub citation: String,
    pub secondary: bool,
    pub note: String,
    pub ends_on_exit: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FilingWindowRule {
    pub kind: String,
    pub clock: ClockRule,
    pub citation: String,
    pub secondary: bool,
    pub note: String,
}

/// A jurisdiction's compiled profile (its parent's rules already merged in).
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    pub jurisdiction: String,
    pub name: String,
    pub inherits: Option<String>,
    pub note: String,
    pub age_of_majority: AgeSetting,
    pub transition_age: AgeSetting,
    pub developmental_delay: Option<AgeRange>,
    pub iep_meetings: EventMatcher,
    pub exit: EventMatcher,
    pub rules: Vec<Rule>,
    pub filing_windows: Vec<FilingWindowRule>,
    /// Rule kinds this profile itself wrote (not inherited), for the coverage table.
    pub own_kinds: Vec<String>,
}

impl Profile {
    /// Read a profile from TOML. A profile with `inherits` needs its parent, already compiled.
    pub fn from_toml(text: &str, parent: Option<&Profile>) -> Result<Profile, ProfileError> {
        let spec: ProfileSpec = toml::from_str(text).map_err(|e| ProfileError::Syntax {
            profile: "(unnamed)".into(),
            message: e.to_string(),
        })?;
        Profile::compile(&spec, parent)
    }

    pub fn compile(spec: &ProfileSpec, parent: Option<&Profile>) -> Result<Profile, ProfileError> {
        let name = spec.jurisdiction.clone();
        let parent = match (&spec.inherits, parent) {
            (Some(wanted), Some(p)) if &p.jurisdiction == wanted => Some(p),
            (Some(wanted), _) => {
                return Err(ProfileError::MissingParent {
                    profile: name,
                    parent: wanted.clone(),
                });
            }
            (None, _) => None,
        };
        let syntax = |message: String| ProfileError::Syntax {
            profile: name.clone(),
            message,
        };
        let matcher = |m: &Option<MatcherSpec>, inherited: Option<&EventMatcher>, what: &str| match (
            m, inherited,
        ) {
            (Some(m), _) => EventMatcher::compile(m).map_err(|e| syntax(format!("{what}: {e}"))),
            (None, Some(i)) => Ok(i.clone()),
            (None, None) => Err(syntax(format!(
                "`{what}` is required in a profile without a parent"
            ))),
        };
        let setting = |own: &Option<AgeSetting>, inherited: Option<&AgeSetting>, what: &str| {
            own.clone().or_else(|| inherited.cloned()).ok_or_else(|| {
                syntax(format!(
                    "`ages.{what}` is required in a profile without a parent"
                ))
            })
        };
        let own_rules = spec
            .rules
            .iter()
            .map(|r| {
                compile_rule(r).map_err(|message| ProfileError::Rule {
                    profile: name.clone(),
                    rule: r.kind.clone(),
                    message,
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let own_windows = spec
            .filing_windows
            .iter()
            .map(|w| {
                Ok(FilingWindowRule {
                    kind: w.kind.clone(),
                    clock: compile_clock_rule(&w.clock).map_err(|message| ProfileError::Rule {
                        profile: name.clone(),
                        rule: w.kind.clone(),
                        message,
                    })?,
                    citation: w.citation.clone(),
                    secondary: w.secondary,
                    note: w.note.clone(),
                })
            })
            .collect::<Result<Vec<_>, ProfileError>>()?;
        Ok(Profile {
            jurisdiction: spec.jurisdiction.clone(),
            name: spec.name.clone(),
            inherits: spec.inherits.clone(),
            note: spec.note.clone(),
            age_of_majority: setting(
                &spec.ages.majority,
                parent.map(|p| &p.age_of_majority),
                "majority",
            )?,
            transition_age: setting(
                &spec.ages.transition,
                parent.map(|p| &p.transition_age),
                "transition",
            )?,
            developmental_delay: spec
                .ages
                .developmental_delay
                .clone()
                .or_else(|| parent.and_then(|p| p.developmental_delay.clone())),
            iep_meetings: matcher(
                &spec.iep_meetings,
                parent.map(|p| &p.iep_meetings),
                "iep_meetings",
            )?,
            exit: matcher(&spec.exit, parent.map(|p| &p.exit), "exit")?,
            own_kinds: {
                let mut kinds: Vec<String> = own_rules.iter().map(|r| r.kind.clone()).collect();
                kinds.extend(own_windows.iter().map(|w| w.kind.clone()));
                kinds.dedup();
                kinds
            },
            rules: merge_by_kind(parent.map(|p| p.rules.as_slice()), own_rules, |r| &r.kind),
            filing_windows: merge_by_kind(
                parent.map(|p| p.filing_windows.as_slice()),
                own_windows,
                |w| &w.kind,
            ),
        })
    }

    /// The rules of one kind (a kind may have several, e.g. one per eligibility category).
    pub fn rules_of<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a Rule> + 'a {
        self.rules.iter().filter(move |r| r.kind == kind)
    }

    pub fn age(&self, age: AgeRef) -> &AgeSetting {
        match age {
            AgeRef::Transition => &self.transition_age,
            AgeRef::Majority => &self.age_of_majority,
        }
    }
}

/// The parent's items with every kind the child defines replaced (in the parent's position)
/// by all of the child's items of that kind; the child's new kinds follow.
fn merge_by_kind<T: Clone>(
    parent: Option<&[T]>,
    own: Vec<T>,
    kind: impl Fn(&T) -> &String,
) -> Vec<T> {
    let Some(parent) = parent else { return own };
    let mut merged: Vec<T> = Vec::with_capacity(parent.len() + own.len());
    let mut placed: Vec<&String> = Vec::new();
    for item in parent {
        let k = kind(item);
        if own.iter().any(|o| kind(o) == k) {
            if !placed.contains(&k) {
                merged.extend(own.iter().filter(|o| kind(o) == k).cloned());
                placed.push(k);
            }
        } else {
            merged.push(item.clone());
        }
    }
    let parent_kinds: Vec<&String> = parent.iter().map(&kind).collect();
    merged.extend(
        own.iter()
            .filter(|o| !parent_kinds.contains(&kind(o)))
            .cloned(),
    );
    merged
}

fn compile_rule(spec: &RuleSpec) -> Result<Rule, String> {
    let satisfied_by = spec
        .satisfied_by
        .iter()
        .map(EventMatcher::compile)
        .collect::<Result<Vec<_>, _>>()?;
    if satisfied_by.is_empty() {
        return Err("`satisfied_by` needs at least one event".into());
    }
    Ok(Rule {
        kind: spec.kind.clone(),
        trigger: compile_trigger(&spec.trigger)?,
        clock: compile_clock_rule(&spec.clock)?,
        satisfied_by,
        satisfaction: spec.satisfaction,
        citation: spec.citation.clone(),
        secondary: spec.secondary,
        note: spec.note.clone(),
        ends_on_exit: spec.ends_on_exit,
    })
}

fn compile_trigger(spec: &TriggerSpec) -> Result<Trigger, String> {
    let chosen = [
        spec.event.is_some(),
        spec.any_of.is_some(),
        spec.birthday.is_some(),
        spec.each_school_year.is_some(),
        spec.removal_school_days_over.is_some(),
    ]
    .iter()
    .filter(|b| **b)
    .count();
    if chosen != 1 {
        return Err("a trigger needs exactly one of `event`, `any_of`, `birthday`, `each_school_year`, `removal_school_days_over`".into());
    }
    if !spec.fields.is_empty() && spec.event.is_none() {
        return Err(format!(
            "field filters ({}) only go with `event`",
            spec.fields.keys().cloned().collect::<Vec<_>>().join(", ")
        ));
    }
    if let Some(event) = &spec.event {
        let m = MatcherSpec {
            event: event.clone(),
            fields: spec.fields.clone(),
        };
        return Ok(Trigger::Events(vec![EventMatcher::compile(&m)?]));
    }
    if let Some(list) = &spec.any_of {
        return Ok(Trigger::Events(
            list.iter()
                .map(EventMatcher::compile)
                .collect::<Result<_, _>>()?,
        ));
    }
    if let Some(age) = &spec.birthday {
        let age = match age.as_str() {
            "transition" => AgeRef::Transition,
            "majority" => AgeRef::Majority,
            other => {
                return Err(format!(
                    "`birthday` is `transition` or `majority`, not `{other}`"
                ));
            }
        };
        return Ok(Trigger::Birthday {
            age,
            years_before: spec.years_before.unwrap_or(0),
        });
    }
    if let Some(days) = spec.removal_school_days_over {
        return Ok(Trigger::RemovalOver { school_days: days });
    }
    Ok(Trigger::EachSchoolYear)
}

fn compile_clock_rule(spec: &ClockSpec) -> Result<ClockRule, String> {
    let year_end = match &spec.year_end {
        None => None,
        Some(y) => {
            let (m, d) = y
                .due
                .split_once('-')
                .and_then(|(m, d)| Some((m.parse::<i8>().ok()?, d.parse::<i8>().ok()?)))
                .filter(|&(m, d)| jiff::civil::Date::new(2024, m, d).is_ok())
                .ok_or_else(|| format!("year_end.due is \"MM-DD\", not `{}`", y.due))?;
            Some(YearEnd {
                min: y.school_days_before_last_day[0],
                max: y.school_days_before_last_day[1],
                month: m,
                day: d,
            })
        }
    };
    let referral_year_end = match &spec.referral_near_year_end {
        None => None,
        Some(r) => Some(ReferralYearEnd {
            referral: EventMatcher::compile(&r.referral)?,
            within_days: r.within_calendar_days,
            due_days_after_start: r.due_calendar_days_after_next_year_start,
        }),
    };
    Ok(ClockRule {
        base: compile_clock(spec)?,
        absence_extension: spec.absence_extension,
        year_end,
        referral_year_end,
    })
}

fn compile_clock(spec: &ClockSpec) -> Result<Clock, String> {
    let exclusions = Exclusions {
        summer: spec.exclude_summer,
        breaks_of_at_least: spec.exclude_breaks_of_school_days,
    };
    let mut clocks: Vec<Clock> = Vec::new();
    if let Some(days) = spec.calendar_days {
        clocks.push(Clock::CalendarDays { days, exclusions });
    } else if exclusions.any() {
        return Err(
            "`exclude_summer` / `exclude_breaks_of_school_days` go with `calendar_days`".into(),
        );
    }
    if let Some(days) = spec.school_days {
        clocks.push(Clock::SchoolDays { days });
    }
    if let Some(days) = spec.business_days {
        clocks.push(Clock::BusinessDays { days });
    }
    if let Some(years) = spec.years {
        clocks.push(Clock::Years { years });
    }
    if spec.on_trigger == Some(true) {
        clocks.push(Clock::OnTrigger);
    }
    if let Some(age) = spec.birthday {
        clocks.push(Clock::Birthday { age });
    }
    if spec.end_of_school_year == Some(true) {
        clocks.push(Clock::EndOfSchoolYear);
    }
    if let Some(sources) = &spec.next_date_of {
        let matchers = sources
            .iter()
            .map(EventMatcher::compile)
            .collect::<Result<Vec<_>, _>>()?;
        clocks.push(Clock::NextDateOf(matchers));
    }
    if let Some(after) = &spec.after_event {
        let m = MatcherSpec {
            event: after.event.clone(),
            fields: BTreeMap::new(),
        };
        clocks.push(Clock::AfterEvent {
            matcher: EventMatcher::compile(&m)?,
            days: after.calendar_days,
        });
    }
    if let Some(list) = &spec.earlier_of {
        let parts = list
            .iter()
            .map(compile_clock)
            .collect::<Result<Vec<_>, _>>()?;
        if parts.len() < 2 {
            return Err("`earlier_of` needs at least two clocks".into());
        }
        clocks.push(Clock::EarlierOf(parts));
    }
    match clocks.len() {
        1 => Ok(clocks.remove(0)),
        0 => Err("the clock names no length (calendar_days, school_days, business_days, years, on_trigger, birthday, end_of_school_year, next_date_of, after_event or earlier_of)".into()),
        _ => Err("a clock has exactly one length; use `earlier_of` to combine".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PARENT: &str = r#"
jurisdiction = "US"
name = "Federal"
iep_meetings = { event = "iep_meeting_held", purpose = ["initial", "annual", "reevaluation"] }
exit = { event = "exited" }
[ages]
majority = { years = 18 }
transition = { years = 16 }
[[rule]]
kind = "a"
trigger = { event = "records_requested" }
clock = { calendar_days = 45 }
satisfied_by = [{ event = "records_provided" }]
citation = "x"
[[rule]]
kind = "b"
trigger = { event = "records_requested" }
clock = { calendar_days = 1 }
satisfied_by = [{ event = "records_provided" }]
citation = "y"
"#;

    #[test]
    fn a_state_replaces_rules_by_kind_and_keeps_the_rest() {
        let us = Profile::from_toml(PARENT, None).unwrap();
        let child = r#"
jurisdiction = "US-ZZ"
name = "Z"
inherits = "US"
[ages]
transition = { years = 14, secondary = true }
[[rule]]
kind = "a"
trigger = { event = "records_requested" }
clock = { school_days = 10 }
satisfied_by = [{ event = "records_provided" }]
citation = "z"
[[rule]]
kind = "c"
trigger = { event = "records_requested" }
clock = { years = 1 }
satisfied_by = [{ event = "records_provided" }]
citation = "w"
"#;
        let zz = Profile::from_toml(child, Some(&us)).unwrap();
        let kinds: Vec<(&str, &str)> = zz
            .rules
            .iter()
            .map(|r| (r.kind.as_str(), r.citation.as_str()))
            .collect();
        assert_eq!(kinds, [("a", "z"), ("b", "y"), ("c", "w")]);
        assert_eq!(zz.transition_age.years, 14);
        assert_eq!(zz.age_of_majority.years, 18);
        assert_eq!(zz.rules[0].clock.base, Clock::SchoolDays { days: 10 });
    }

    #[test]
    fn bad_rules_are_named() {
        let bad = PARENT.replace("calendar_days = 45", "calendar_days = 45, school_days = 3");
        let e = Profile::from_toml(&bad, None).unwrap_err();
        assert!(e.to_string().contains("rule `a`"), "{e}");
        let bad = PARENT.replace(
            "event = \"records_provided\" }]\ncitation = \"x\"",
            "event = \"records_sent\" }]\ncitation = \"x\"",
        );
        let e = Profile::from_toml(&bad, None).unwrap_err();
        assert!(
            e.to_string().contains("unknown event kind `records_sent`"),
            "{e}"
        );
    }
}
