//! The service-minutes ledger (CONTRACT.md `ledger`): minutes an IEP mandates per week or
//! month, pro-rated by school days, against the sessions logged; what is owed per period and
//! how much of it make-up sessions have repaid.

use domain::calendar::CalendarSpec;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LedgerInput {
    pub calendar: CalendarSpec,
    pub services: Vec<Service>,
    #[serde(default)]
    pub sessions: Vec<Session>,
}

/// One line of the IEP's service grid: `minutes` every `per`, from `start` to `end` inclusive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Service {
    pub id: String,
    pub minutes: u32,
    pub per: Per,
    pub start: Date,
    pub end: Date,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Per {
    Week,
    Month,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub service: String,
    pub on: Date,
    pub minutes: u32,
    pub status: SessionStatus,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SessionStatus {
    Delivered,
    StudentAbsent,
    ProviderAbsent,
    SchoolClosed,
    MakeUp,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LedgerReport {
    pub as_of: Date,
    pub services: Vec<ServiceLedger>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServiceLedger {
    pub id: String,
    pub mandated: u64,
    pub delivered: u64,
    pub student_absent: u64,
    pub school_closed: u64,
    pub provider_absent: u64,
    pub owed: u64,
    pub made_up: u64,
    pub balance: u64,
    pub periods: Vec<PeriodLedger>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PeriodLedger {
    pub from: Date,
    pub to: Date,
    pub school_days: u32,
    pub mandated: u64,
    pub delivered: u64,
    pub student_absent: u64,
    pub school_closed: u64,
    pub provider_absent: u64,
    pub owed: u64,
    /// Minutes of this period's debt repaid by later make-up sessions.
    pub made_up: u64,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum LedgerError {
    #[error("{path}: {message}")]
    Input { path: String, message: String },
}

impl LedgerError {
    fn at(path: impl Into<String>, message: impl Into<String>) -> LedgerError {
        LedgerError::Input {
            path: path.into(),
            message: message.into(),
        }
    }
}

/// Reads a services file, reporting the JSON path of the first problem, then checks what JSON
/// alone cannot: date order, unique service ids, sessions naming a known service.
pub fn parse_ledger(json: &str) -> Result<LedgerInput, LedgerError> {
    let mut deserializer = serde_json::Deserializer::from_str(json);
    let input: LedgerInput = serde_path_to_error::deserialize(&mut deserializer)
        .map_err(|e| LedgerError::at(e.path().to_string(), e.inner().to_string()))?;
    deserializer
        .end()
        .map_err(|e| LedgerError::at(".", e.to_string()))?;
    input.validate()?;
    Ok(input)
}

impl LedgerInput {
    pub fn validate(&self) -> Result<(), LedgerError> {
        self.calendar
            .validate()
            .map_err(|(path, expected)| LedgerError::at(path, expected))?;
        let mut ids = HashSet::new();
        for (i, service) in self.services.iter().enumerate() {
            if !ids.insert(service.id.as_str()) {
                return Err(LedgerError::at(
                    format!("services[{i}].id"),
                    format!(
                        "an id not used by an earlier service (`{}` is repeated)",
                        service.id
                    ),
                ));
            }
            if service.end < service.start {
                return Err(LedgerError::at(
                    format!("services[{i}].end"),
                    "a date on or after start",
                ));
            }
        }
        for (i, session) in self.sessions.iter().enumerate() {
            if !ids.contains(session.service.as_str()) {
                return Err(LedgerError::at(
                    format!("sessions[{i}].service"),
                    format!(
                        "the id of a service in `services` (`{}` is not one)",
                        session.service
                    ),
                ));
            }
        }
        Ok(())
    }
}

/// The ledger as of a date. Expects validated input: sessions naming no service are ignored.
pub fn compute(input: &LedgerInput, as_of: Date) -> LedgerReport {
    LedgerReport {
        as_of,
        services: input
            .services
            .iter()
            .map(|service| service_ledger(&input.calendar, service, &input.sessions, as_of))
            .collect(),
    }
}

fn service_ledger(
    calendar: &CalendarSpec,
    service: &Service,
    all_sessions: &[Session],
    as_of: Date,
) -> ServiceLedger {
    let sessions: Vec<&Session> = all_sessions
        .iter()
        .filter(|s| s.service == service.id && s.on <= as_of)
        .collect();
    let mut periods: Vec<PeriodLedger> = closed_periods(service, as_of)
        .into_iter()
        .map(|(from, to)| period_ledger(calendar, service, &sessions, from, to))
        .collect();
    apply_make_ups(&mut periods, &sessions);

    let sum = |field: fn(&PeriodLedger) -> u64| periods.iter().map(field).sum::<u64>();
    let owed = sum(|p| p.owed);
    let made_up = sum(|p| p.made_up);
    ServiceLedger {
        id: service.id.clone(),
        mandated: sum(|p| p.mandated),
        delivered: sum(|p| p.delivered),
        student_absent: sum(|p| p.student_absent),
        school_closed: sum(|p| p.school_closed),
        provider_absent: sum(|p| p.provider_absent),
        owed,
        made_up,
        balance: owed - made_up,
        periods,
    }
}

/// The days between which a service's ledger as of `as_of` stays the same: `compute` gives the
/// same line for every day `d` with `from <= d < until` (`None`: unbounded). The line changes
/// only on a day a period ends (it starts counting) or a session is dated (it starts counting),
/// so a stored summary computed on `as_of` holds until the next such day. The calendar plays no
/// part: it changes what each period mandates, not when the line changes.
pub fn unchanged_between(
    service: &Service,
    sessions: &[Session],
    as_of: Date,
) -> (Option<Date>, Option<Date>) {
    let period_ends = closed_periods(service, Date::MAX)
        .into_iter()
        .map(|(_, to)| to);
    let session_days = sessions
        .iter()
        .filter(|s| s.service == service.id)
        .map(|s| s.on);
    let (mut from, mut until) = (None, None::<Date>);
    for day in period_ends.chain(session_days) {
        if day <= as_of {
            from = from.max(Some(day));
        } else {
            until = Some(until.map_or(day, |u| u.min(day)));
        }
    }
    (from, until)
}

/// The calendar weeks (Monday–Sunday) or months that touch the service's dates and ended on or
/// before `as_of`; a period still running is not yet owed.
fn closed_periods(service: &Service, as_of: Date) -> Vec<(Date, Date)> {
    let mut periods = Vec::new();
    let mut from = match service.per {
        Per::Week => {
            let back = i64::from(service.start.weekday().to_monday_zero_offset());
            match service
                .start
                .checked_sub(jiff::SignedDuration::from_hours(back * 24))
            {
                Ok(monday) => monday,
                Err(_) => return periods,
            }
        }
        Per::Month => service.start.first_of_month(),
    };
    while from <= service.end {
        let to = match service.per {
            Per::Week => match from.checked_add(jiff::SignedDuration::from_hours(6 * 24)) {
                Ok(sunday) => sunday,
                Err(_) => break,
            },
            Per::Month => from.last_of_month(),
        };
        if to > as_of {
            break;
        }
        periods.push((from, to));
        match to.tomorrow() {
            Ok(next) => from = next,
            Err(_) => break,
        }
    }
    periods
}

fn period_ledger(
    calendar: &CalendarSpec,
    service: &Service,
    sessions: &[&Session],
    from: Date,
    to: Date,
) -> PeriodLedger {
    let mut school_days = 0u32;
    let mut served_days = 0u32;
    let mut day = from;
    loop {
        if calendar.is_school_day(day) {
            school_days += 1;
            if (service.start..=service.end).contains(&day) {
                served_days += 1;
            }
        }
        match day.tomorrow() {
            Ok(next) if next <= to => day = next,
            _ => break,
        }
    }
    let mandated = prorate(service.minutes, served_days, school_days);
    let minutes_with = |status: SessionStatus| -> u64 {
        sessions
            .iter()
            .filter(|s| s.status == status && (from..=to).contains(&s.on))
            .map(|s| u64::from(s.minutes))
            .sum()
    };
    let delivered = minutes_with(SessionStatus::Delivered);
    let student_absent = minutes_with(SessionStatus::StudentAbsent);
    let school_closed = minutes_with(SessionStatus::SchoolClosed);
    let provider_absent = minutes_with(SessionStatus::ProviderAbsent);
    // A missed session the provider caused excuses nothing, so provider_absent is not
    // subtracted.
    let owed = mandated.saturating_sub(delivered + student_absent + school_closed);
    PeriodLedger {
        from,
        to,
        school_days,
        mandated,
        delivered,
        student_absent,
        school_closed,
        provider_absent,
        owed,
        made_up: 0,
    }
}

/// `minutes × part / whole` to the nearest whole minute, halves rounding up; 0 for a period
/// with no school days.
fn prorate(minutes: u32, part: u32, whole: u32) -> u64 {
    if whole == 0 {
        return 0;
    }
    let (minutes, part, whole) = (u64::from(minutes), u64::from(part), u64::from(whole));
    (2 * minutes * part + whole) / (2 * whole)
}

/// Each make-up session, in date order, repays the oldest debts of periods that ended before
/// its date; what it cannot apply is dropped rather than banked.
fn apply_make_ups(periods: &mut [PeriodLedger], sessions: &[&Session]) {
    let mut make_ups: Vec<&Session> = sessions
        .iter()
        .copied()
        .filter(|s| s.status == SessionStatus::MakeUp)
        .collect();
    make_ups.sort_by_key(|s| s.on);
    for make_up in make_ups {
        let mut available = u64::from(make_up.minutes);
        for period in periods.iter_mut().filter(|p| p.to < make_up.on) {
            if available == 0 {
                break;
            }
            let applied = available.min(period.owed - period.made_up);
            period.made_up += applied;
            available -= applied;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::calendar::{Closure, SchoolYear};
    use jiff::civil::date;

    /// School from Monday 2026-08-17 to 2027-05-28, Thanksgiving week closed.
    fn calendar() -> CalendarSpec {
        CalendarSpec {
            school_years: vec![SchoolYear {
                first_day: date(2026, 8, 17),
                last_day: date(2027, 5, 28),
                closed: vec![Closure {
                    from: date(2026, 11, 23),
                    to: date(2026, 11, 27),
                    label: "Thanksgiving break".into(),
                }],
            }],
        }
    }

    fn speech(per: Per, minutes: u32, start: Date, end: Date) -> Service {
        Service {
            id: "speech".into(),
            minutes,
            per,
            start,
            end,
        }
    }

    fn session(on: Date, minutes: u32, status: SessionStatus) -> Session {
        Session {
            service: "speech".into(),
            on,
            minutes,
            status,
        }
    }

    fn ledger(service: Service, sessions: Vec<Session>, as_of: Date) -> ServiceLedger {
        let input = LedgerInput {
            calendar: calendar(),
            services: vec![service],
            sessions,
        };
        compute(&input, as_of).services.remove(0)
    }

    #[test]
    fn only_weeks_ended_by_as_of_count() {
        // Service from Monday 08-17; as of Wednesday 09-02: weeks 08-17..23 and 08-24..30.
        let l = ledger(
            speech(Per::Week, 60, date(2026, 8, 17), date(2027, 5, 28)),
            vec![],
            date(2026, 9, 2),
        );
        assert_eq!(l.periods.len(), 2);
        assert_eq!(l.periods[1].from, date(2026, 8, 24));
        assert_eq!(l.periods[1].to, date(2026, 8, 30));
        assert_eq!(l.mandated, 120);
        assert_eq!(l.owed, 120);
        assert_eq!(l.balance, 120);
    }

    #[test]
    fn a_week_ending_on_as_of_counts() {
        let l = ledger(
            speech(Per::Week, 60, date(2026, 8, 17), date(2027, 5, 28)),
            vec![],
            date(2026, 8, 23),
        );
        assert_eq!(l.periods.len(), 1);
    }

    #[test]
    fn a_service_starting_midweek_is_prorated_by_school_days() {
        // Starts Wednesday 08-19: 3 of the week's 5 school days → 60 × 3/5 = 36.
        // Ends Tuesday 09-01: 2 of 5 → 24.
        let l = ledger(
            speech(Per::Week, 60, date(2026, 8, 19), date(2026, 9, 1)),
            vec![],
            date(2026, 9, 30),
        );
        let mandates: Vec<u64> = l.periods.iter().map(|p| p.mandated).collect();
        assert_eq!(mandates, vec![36, 60, 24]);
        assert_eq!(l.periods[0].from, date(2026, 8, 17));
    }

    #[test]
    fn proration_rounds_to_the_nearest_minute() {
        // 20 × 2/5 = 8; 7 × 2/5 = 2.8 → 3; 5 × 1/2 = 2.5 → 3; 50 × 1/3 = 16.67 → 17.
        assert_eq!(prorate(20, 2, 5), 8);
        assert_eq!(prorate(7, 2, 5), 3);
        assert_eq!(prorate(5, 1, 2), 3, "2.5 rounds up");
        assert_eq!(prorate(60, 1, 3), 20);
        assert_eq!(prorate(50, 1, 3), 17, "16.67");
        assert_eq!(prorate(60, 0, 0), 0);
    }

    #[test]
    fn a_closed_week_mandates_nothing() {
        // Thanksgiving week 11-23..29 is closed: no school days.
        let l = ledger(
            speech(Per::Week, 60, date(2026, 11, 16), date(2026, 12, 6)),
            vec![],
            date(2026, 12, 31),
        );
        let mandates: Vec<u64> = l.periods.iter().map(|p| p.mandated).collect();
        assert_eq!(mandates, vec![60, 0, 60]);
        assert_eq!(l.periods[1].school_days, 0);
    }

    #[test]
    fn monthly_service_prorates_by_the_months_school_days() {
        // August 2026 school days: 17–21, 24–28, 31 = 11. Service from Monday 08-24: 6 of 11
        // → 120 × 6/11 = 65.45 → 65. September: 22 school days, all inside → 120.
        let l = ledger(
            speech(Per::Month, 120, date(2026, 8, 24), date(2027, 5, 28)),
            vec![],
            date(2026, 10, 15),
        );
        let mandates: Vec<u64> = l.periods.iter().map(|p| p.mandated).collect();
        assert_eq!(mandates, vec![65, 120]);
        assert_eq!(l.periods[0].school_days, 11);
        assert_eq!(l.periods[1].to, date(2026, 9, 30));
    }

    #[test]
    fn owed_subtracts_delivered_student_absent_and_closures_not_provider_absence() {
        // Week 08-24..30, 60 mandated: delivered 20, student absent 10, provider absent 30.
        let l = ledger(
            speech(Per::Week, 60, date(2026, 8, 24), date(2026, 8, 30)),
            vec![
                session(date(2026, 8, 24), 20, SessionStatus::Delivered),
                session(date(2026, 8, 25), 10, SessionStatus::StudentAbsent),
                session(date(2026, 8, 26), 30, SessionStatus::ProviderAbsent),
            ],
            date(2026, 9, 30),
        );
        assert_eq!(l.delivered, 20);
        assert_eq!(l.student_absent, 10);
        assert_eq!(l.provider_absent, 30);
        assert_eq!(l.owed, 30);
        let closed = ledger(
            speech(Per::Week, 60, date(2026, 8, 24), date(2026, 8, 30)),
            vec![
                session(date(2026, 8, 24), 30, SessionStatus::Delivered),
                session(date(2026, 8, 27), 30, SessionStatus::SchoolClosed),
            ],
            date(2026, 9, 30),
        );
        assert_eq!(closed.owed, 0);
    }

    #[test]
    fn extra_delivery_never_makes_owed_negative() {
        let l = ledger(
            speech(Per::Week, 60, date(2026, 8, 24), date(2026, 8, 30)),
            vec![session(date(2026, 8, 24), 90, SessionStatus::Delivered)],
            date(2026, 9, 30),
        );
        assert_eq!(l.owed, 0);
        assert_eq!(l.delivered, 90);
    }

    #[test]
    fn make_ups_repay_oldest_earlier_periods_and_drop_the_excess() {
        // Weeks 08-17, 08-24, 08-31 each 60 mandated, nothing delivered: owed 180.
        // Make-up of 100 on 08-31 (Monday of week 3) repays week 1 (60) then week 2 (40);
        // week 3 has not ended before it. Make-up of 200 on 09-08 repays week 2's 20 and
        // week 3's 60; 120 dropped.
        let l = ledger(
            speech(Per::Week, 60, date(2026, 8, 17), date(2026, 9, 6)),
            vec![
                session(date(2026, 9, 8), 200, SessionStatus::MakeUp),
                session(date(2026, 8, 31), 100, SessionStatus::MakeUp),
            ],
            date(2026, 9, 30),
        );
        let made_up: Vec<u64> = l.periods.iter().map(|p| p.made_up).collect();
        assert_eq!(made_up, vec![60, 60, 60]);
        assert_eq!(l.owed, 180);
        assert_eq!(l.made_up, 180);
        assert_eq!(l.balance, 0);

        let partial = ledger(
            speech(Per::Week, 60, date(2026, 8, 17), date(2026, 9, 6)),
            vec![session(date(2026, 8, 31), 100, SessionStatus::MakeUp)],
            date(2026, 9, 30),
        );
        let made_up: Vec<u64> = partial.periods.iter().map(|p| p.made_up).collect();
        assert_eq!(made_up, vec![60, 40, 0]);
        assert_eq!(partial.balance, 80);
    }

    #[test]
    fn the_unchanged_window_runs_from_the_last_change_to_the_next() {
        // Weekly from Monday 08-17; a session on Wednesday 09-02. As of Thursday 09-03 the
        // line last changed on the session's day and next changes when that week ends (09-06).
        let service = speech(Per::Week, 60, date(2026, 8, 17), date(2027, 5, 28));
        let sessions = vec![session(date(2026, 9, 2), 30, SessionStatus::Delivered)];
        assert_eq!(
            unchanged_between(&service, &sessions, date(2026, 9, 3)),
            (Some(date(2026, 9, 2)), Some(date(2026, 9, 6)))
        );
        // Before anything: open at the start; after the last period and session: open at the end.
        assert_eq!(
            unchanged_between(&service, &sessions, date(2026, 8, 1)),
            (None, Some(date(2026, 8, 23)))
        );
        assert_eq!(
            unchanged_between(&service, &sessions, date(2027, 6, 30)),
            (Some(date(2027, 5, 30)), None)
        );
    }

    #[test]
    fn a_make_up_before_any_debt_is_dropped_and_is_not_delivery() {
        let l = ledger(
            speech(Per::Week, 60, date(2026, 8, 17), date(2026, 8, 23)),
            vec![session(date(2026, 8, 18), 60, SessionStatus::MakeUp)],
            date(2026, 9, 30),
        );
        assert_eq!(l.owed, 60);
        assert_eq!(l.made_up, 0);
        assert_eq!(l.delivered, 0);
    }

    #[test]
    fn sessions_after_as_of_are_ignored() {
        let l = ledger(
            speech(Per::Week, 60, date(2026, 8, 17), date(2026, 8, 23)),
            vec![session(date(2026, 9, 2), 60, SessionStatus::MakeUp)],
            date(2026, 9, 1),
        );
        assert_eq!(l.made_up, 0);
        assert_eq!(l.balance, 60);
    }

    #[test]
    fn unknown_service_is_an_input_error_naming_the_session() {
        let json = r#"{"calendar": {"school_years": []},
            "services": [{"id": "speech", "minutes": 60, "per": "week",
                          "start": "2026-08-17", "end": "2027-05-28"}],
            "sessions": [{"service": "speech", "on": "2026-08-18", "minutes": 30, "status": "delivered"},
                         {"service": "ot", "on": "2026-08-18", "minutes": 30, "status": "delivered"}]}"#;
        let LedgerError::Input { path, .. } = parse_ledger(json).unwrap_err();
        assert_eq!(path, "sessions[1].service");
    }

    #[test]
    fn bad_json_names_the_path() {
        let json = r#"{"calendar": {"school_years": []},
            "services": [{"id": "speech", "minutes": 60, "per": "fortnight",
                          "start": "2026-08-17", "end": "2027-05-28"}]}"#;
        let LedgerError::Input { path, .. } = parse_ledger(json).unwrap_err();
        assert_eq!(path, "services[0].per");
    }

    #[test]
    fn contract_output_fields() {
        let json = r#"{"calendar": {"school_years": [{"first_day": "2026-08-17", "last_day": "2027-05-28"}]},
            "services": [{"id": "speech", "minutes": 60, "per": "week",
                          "start": "2026-08-17", "end": "2027-05-28"}],
            "sessions": [{"service": "speech", "on": "2026-08-18", "minutes": 30, "status": "delivered"}]}"#;
        let report = compute(&parse_ledger(json).unwrap(), date(2026, 8, 23));
        let out = serde_json::to_value(&report).unwrap();
        let service = &out["services"][0];
        for field in [
            "id",
            "mandated",
            "delivered",
            "student_absent",
            "owed",
            "made_up",
            "balance",
            "periods",
        ] {
            assert!(service.get(field).is_some(), "{field}");
        }
        assert_eq!(service["owed"], 30);
        assert_eq!(service["periods"][0]["from"], "2026-08-17");
        assert_eq!(service["periods"][0]["to"], "2026-08-23");
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        fn status() -> impl Strategy<Value = SessionStatus> {
            prop_oneof![
                Just(SessionStatus::Delivered),
                Just(SessionStatus::StudentAbsent),
                Just(SessionStatus::ProviderAbsent),
                Just(SessionStatus::SchoolClosed),
                Just(SessionStatus::MakeUp),
            ]
        }

        proptest! {
            #[test]
            fn balance_is_owed_minus_made_up_and_never_negative(
                minutes in 0u32..600,
                monthly in any::<bool>(),
                start_offset in 0i64..120,
                length in 0i64..200,
                as_of_offset in 0i64..300,
                sessions in prop::collection::vec((0i64..300, 0u32..200, status()), 0..40),
            ) {
                let day = |n: i64| date(2026, 8, 1).checked_add(jiff::SignedDuration::from_hours(n * 24)).unwrap();
                let service = speech(
                    if monthly { Per::Month } else { Per::Week },
                    minutes,
                    day(start_offset),
                    day(start_offset + length),
                );
                let sessions = sessions
                    .into_iter()
                    .map(|(n, m, s)| session(day(n), m, s))
                    .collect();
                let l = ledger(service, sessions, day(as_of_offset));
                prop_assert!(l.made_up <= l.owed);
                prop_assert_eq!(l.balance, l.owed - l.made_up);
                prop_assert_eq!(l.owed, l.periods.iter().map(|p| p.owed).sum::<u64>());
                for p in &l.periods {
                    prop_assert!(p.made_up <= p.owed);
                    prop_assert!(p.owed <= p.mandated);
                    prop_assert!(p.mandated <= u64::from(minutes));
                    prop_assert!(p.to <= day(as_of_offset));
                }
            }

            #[test]
            fn the_line_is_the_same_on_every_day_of_its_unchanged_window(
                minutes in 1u32..600,
                monthly in any::<bool>(),
                start_offset in 0i64..120,
                length in 0i64..200,
                as_of_offset in 0i64..300,
                other_offset in 0i64..300,
                sessions in prop::collection::vec((0i64..300, 0u32..200, status()), 0..20),
            ) {
                let day = |n: i64| date(2026, 8, 1).checked_add(jiff::SignedDuration::from_hours(n * 24)).unwrap();
                let service = speech(
                    if monthly { Per::Month } else { Per::Week },
                    minutes,
                    day(start_offset),
                    day(start_offset + length),
                );
                let sessions: Vec<Session> = sessions
                    .into_iter()
                    .map(|(n, m, s)| session(day(n), m, s))
                    .collect();
                let (from, until) = unchanged_between(&service, &sessions, day(as_of_offset));
                let line = |on: Date| ledger(service.clone(), sessions.clone(), on);
                let other = day(other_offset);
                let inside = from.is_none_or(|f| f <= other) && until.is_none_or(|u| other < u);
                if inside {
                    prop_assert_eq!(line(other), line(day(as_of_offset)));
                }
                // The window is as wide as it can be: its ends are days the line changes on.
                if let Some(u) = until {
                    prop_assert!(u > day(as_of_offset));
                }
                if let Some(f) = from {
                    prop_assert!(f <= day(as_of_offset));
                }
            }
        }
    }
}
