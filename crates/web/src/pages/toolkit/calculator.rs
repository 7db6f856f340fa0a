//! The deadline calculator for parents, without an account: pick the state, enter the dates
//! you know, and see every obligation the law engine derives for that state (explanation and
//! citation included), the last days to file a due-process complaint, a state complaint or an
//! OCR complaint (`law::filing_windows`), and download those dates as iCalendar. Nothing is
//! stored; the school calendar is unknown here, so school-day counts are the engine's
//! estimates (every weekday a school day), which the explanations say.

use super::law_lang;
use crate::dates::{self, Shown};
use crate::error::AppError;
use crate::pages::{Chrome, render};
use crate::records_input::Fields;
use askama::Template;
use axum::extract::{Query, RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::Date;
use domain::case::{Case, StudentFacts};
use domain::event::{
    ConsentFor, EvaluationType, Event, EventKind, MeetingPurpose, NoticeAction, NoticeSubject,
    Requester,
};
use domain::obligation::{Obligation, Status};

use crate::state::AppState;

/// The dates a parent may know, in the order asked, each with the event it records.
pub const DATES: &[&str] = &[
    "request",
    "consent",
    "eligibility",
    "first_iep",
    "annual_iep",
    "records_request",
    "refusal",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalcError {
    pub field: &'static str,
    pub message_id: &'static str,
}

/// What the form asked for, checked.
#[derive(Debug, Clone)]
pub struct CalcInput {
    pub state: String,
    pub case: Case,
}

fn value<'a>(fields: &'a Fields, name: &str) -> &'a str {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.trim())
}

fn event_for(field: &str, on: Date) -> Event {
    let kind = match field {
        "request" => EventKind::EvaluationRequested {
            by: Requester::Parent,
            written: true,
        },
        "consent" => EventKind::ConsentReceived {
            consent_for: ConsentFor::InitialEvaluation,
        },
        "eligibility" => EventKind::EligibilityDetermined {
            evaluation: EvaluationType::Initial,
            eligible: true,
            categories: Vec::new(),
        },
        "first_iep" => EventKind::IepMeetingHeld {
            purpose: MeetingPurpose::Initial,
            includes_transition: false,
            includes_rights_transfer_notice: false,
        },
        "annual_iep" => EventKind::IepMeetingHeld {
            purpose: MeetingPurpose::Annual,
            includes_transition: false,
            includes_rights_transfer_notice: false,
        },
        "records_request" => EventKind::RecordsRequested,
        _ => EventKind::PriorWrittenNoticeSent {
            action: NoticeAction::Refuse,
            subject: NoticeSubject::Evaluation,
        },
    };
    Event {
        id: field.to_owned(),
        on,
        supersedes: None,
        kind,
    }
}

/// Reads the form into a case for the engine, or every problem found.
pub fn parse(fields: &Fields, today: Date) -> Result<CalcInput, Vec<CalcError>> {
    let mut errors = Vec::new();
    let state = value(fields, "state").to_owned();
    if law::profile(&state).is_err() {
        errors.push(CalcError {
            field: "state",
            message_id: "calc-error-state",
        });
    }
    let birth = match value(fields, "birth_date").parse::<Date>() {
        Ok(d) if d <= today => Some(d),
        _ => {
            errors.push(CalcError {
                field: "birth_date",
                message_id: "calc-error-birth",
            });
            None
        }
    };
    let mut events = Vec::new();
    for &field in DATES {
        let text = value(fields, field);
        if text.is_empty() {
            continue;
        }
        match text.parse::<Date>() {
            Ok(on) if on <= today => events.push(event_for(field, on)),
            _ => errors.push(CalcError {
                field,
                message_id: "calc-error-date",
            }),
        }
    }
    if events.is_empty() && errors.is_empty() {
        errors.push(CalcError {
            field: "request",
            message_id: "calc-error-none",
        });
    }
    match (errors.is_empty(), birth) {
        (true, Some(birth_date)) => {
            events.sort_by_key(|e| e.on);
            Ok(CalcInput {
                case: Case {
                    jurisdiction: state.clone(),
                    student: StudentFacts { birth_date },
                    calendar: Default::default(),
                    events,
                },
                state,
            })
        }
        _ => Err(errors),
    }
}

/// The engine's answer for the input: obligations and filing windows as of `today`, explained
/// in `lang`.
pub fn compute(
    input: &CalcInput,
    today: Date,
    lang: law::Lang,
) -> Result<(Vec<Obligation>, Vec<law::FilingWindow>), AppError> {
    let profile = law::profile(&input.state).map_err(|_| AppError::invalid("state", "a state"))?;
    let calendar = law::Calendar::new(&input.case.calendar);
    let obligations = law::obligations_with(
        &input.case,
        profile,
        &calendar,
        today,
        law::Detail::In(lang),
    );
    let windows = law::filing_windows_in(&input.case, profile, &calendar, today, lang);
    Ok((obligations, windows))
}

#[derive(Debug, Clone)]
pub struct ObligationView {
    pub kind: String,
    pub due: Shown,
    pub status: &'static str,
    pub status_label: String,
    pub citation: String,
    pub explanation: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct WindowView {
    pub kind: String,
    pub last_day: Shown,
    pub open: bool,
    pub about: String,
    pub citation: String,
    pub explanation: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct DateField {
    pub name: &'static str,
    pub id: String,
    pub label: String,
    pub value: String,
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "toolkit_calculator.html")]
struct CalculatorPage {
    c: Chrome,
    states: Vec<(String, String)>,
    state: String,
    state_error: Option<String>,
    birth_date: String,
    birth_error: Option<String>,
    dates: Vec<DateField>,
    errors: Vec<(String, String)>,
    result: Option<(Vec<ObligationView>, Vec<WindowView>)>,
    ics_link: String,
}

fn obligation_views(c: &Chrome, obligations: &[Obligation]) -> Vec<ObligationView> {
    obligations
        .iter()
        .map(|o| ObligationView {
            kind: c.t.term("obligation", &o.kind),
            due: dates::long(o.due, c.t.lang),
            status: o.status.as_str(),
            status_label: c.t.term("status", o.status.as_str()),
            citation: o.citation.clone(),
            explanation: o.explanation.clone(),
        })
        .collect()
}

/// `/toolkit/calculator`: the form, and with `submitted` the deadlines.
pub async fn page(
    State(state): State<AppState>,
    c: Chrome,
    Query(fields): Query<Fields>,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let today = state.clock.today();
    let submitted = fields.iter().any(|(k, _)| k == "submitted");
    let (result, errors) = if submitted {
        match parse(&fields, today) {
            Ok(input) => {
                let lang = law_lang(&c.t);
                let (obligations, windows) = compute(&input, today, lang)?;
                let windows = windows
                    .iter()
                    .map(|w| WindowView {
                        kind: c.t.term("obligation", &w.kind),
                        last_day: dates::long(w.last_day, c.t.lang),
                        open: w.open,
                        about: w.violation.describe(lang),
                        citation: w.citation.clone(),
                        explanation: w.explanation.clone(),
                    })
                    .collect();
                (
                    Some((obligation_views(&c, &obligations), windows)),
                    Vec::new(),
                )
            }
            Err(errors) => (None, errors),
        }
    } else {
        (None, Vec::new())
    };
    let t = &c.t;
    let error_for = |name: &str| {
        errors
            .iter()
            .find(|e| e.field == name)
            .map(|e| t.get(e.message_id))
    };
    let mut states: Vec<(String, String)> = law::jurisdictions()
        .into_iter()
        .filter_map(|code| law::profile(&code).ok().map(|p| (code, p.name.clone())))
        .collect();
    states.sort_by(|a, b| (a.0 != "US", &a.1).cmp(&(b.0 != "US", &b.1)));
    let chosen = match value(&fields, "state") {
        "" => "US".to_owned(),
        s => s.to_owned(),
    };
    let dates = DATES
        .iter()
        .map(|&name| DateField {
            name,
            id: format!("calc-{}", name.replace('_', "-")),
            label: t.get(&format!("calc-{}", name.replace('_', "-"))),
            value: value(&fields, name).to_owned(),
            error: error_for(name),
        })
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = CalculatorPage {
        states,
        state: chosen,
        state_error: error_for("state"),
        birth_date: value(&fields, "birth_date").to_owned(),
        birth_error: error_for("birth_date"),
        dates,
        errors: errors
            .iter()
            .map(|e| {
                (
                    format!("calc-{}", e.field.replace('_', "-")),
                    t.get(e.message_id),
                )
            })
            .collect(),
        result,
        ics_link: format!(
            "/toolkit/calculator/deadlines.ics?{}",
            raw.unwrap_or_default()
        ),
        c,
    };
    Ok(render(status, &page))
}

/// RFC 5545 §3.3.11 text escaping.
fn escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace('\n', "\\n")
}

/// RFC 5545 §3.1: lines longer than 75 octets are folded (CRLF and a space), never inside a
/// UTF-8 sequence.
fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 70 * 3);
    let mut width = 0;
    for ch in line.chars() {
        let n = ch.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(ch);
        width += n;
    }
    out.push_str("\r\n");
    out
}

/// The calendar of the open deadlines and filing windows: one all-day event each.
pub fn ics(
    t: &crate::i18n::Tr,
    obligations: &[Obligation],
    windows: &[law::FilingWindow],
    stamp: &str,
) -> String {
    let mut out = String::from(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//iep504//parent deadline calculator//EN\r\nCALSCALE:GREGORIAN\r\n",
    );
    let mut push = |uid: String, day: Date, summary: String, description: String| {
        let start = day.strftime("%Y%m%d").to_string();
        let end = day
            .tomorrow()
            .map_or_else(|_| start.clone(), |d| d.strftime("%Y%m%d").to_string());
        out.push_str("BEGIN:VEVENT\r\n");
        out.push_str(&fold(&format!("UID:{uid}@iep504")));
        out.push_str(&fold(&format!("DTSTAMP:{stamp}")));
        out.push_str(&fold(&format!("DTSTART;VALUE=DATE:{start}")));
        out.push_str(&fold(&format!("DTEND;VALUE=DATE:{end}")));
        out.push_str(&fold(&format!("SUMMARY:{}", escape(&summary))));
        out.push_str(&fold(&format!("DESCRIPTION:{}", escape(&description))));
        out.push_str("END:VEVENT\r\n");
    };
    for (i, o) in obligations
        .iter()
        .enumerate()
        .filter(|(_, o)| matches!(o.status, Status::Open | Status::Overdue))
    {
        push(
            format!("calc-{i}-{}", o.kind),
            o.due,
            t.term("obligation", &o.kind),
            format!("{}\n{}", o.citation, o.explanation.join("\n")),
        );
    }
    for (i, w) in windows.iter().enumerate().filter(|(_, w)| w.open) {
        push(
            format!("calc-window-{i}-{}", w.kind),
            w.last_day,
            t.with("calc-ics-last-day", "what", t.term("obligation", &w.kind)),
            format!(
                "{}\n{}\n{}",
                w.violation.describe(law_lang(t)),
                w.citation,
                w.explanation.join("\n")
            ),
        );
    }
    out.push_str("END:VCALENDAR\r\n");
    out
}

/// `/toolkit/calculator/deadlines.ics`: the same dates as a calendar file.
pub async fn download(
    State(state): State<AppState>,
    c: Chrome,
    Query(fields): Query<Fields>,
) -> Result<Response, AppError> {
    let today = state.clock.today();
    let input = parse(&fields, today).map_err(|errors| {
        let first = &errors[0];
        AppError::invalid(first.field, c.t.get(first.message_id))
    })?;
    let (obligations, windows) = compute(&input, today, law_lang(&c.t))?;
    let stamp = state.clock.now().strftime("%Y%m%dT%H%M%SZ").to_string();
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "text/calendar; charset=utf-8".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"deadlines.ics\"".to_owned(),
            ),
        ],
        ics(&c.t, &obligations, &windows, &stamp),
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> Fields {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn folding_keeps_lines_short_and_characters_whole() {
        let long = format!("SUMMARY:{}", "é".repeat(60));
        let folded = fold(&long);
        for line in folded.split("\r\n") {
            assert!(line.len() <= 75, "{line}");
        }
        assert_eq!(folded.replace("\r\n ", "").trim_end(), long);
    }

    #[test]
    fn bad_dates_name_their_field() {
        let today: Date = "2026-11-24".parse().unwrap();
        let errors = parse(
            &fields(&[
                ("state", "US-ZZ"),
                ("birth_date", "x"),
                ("consent", "2027-01-01"),
            ]),
            today,
        )
        .unwrap_err();
        let named: Vec<&str> = errors.iter().map(|e| e.field).collect();
        assert_eq!(named, vec!["state", "birth_date", "consent"]);
        let none = parse(
            &fields(&[("state", "US"), ("birth_date", "2017-01-01")]),
            today,
        );
        assert_eq!(none.unwrap_err()[0].message_id, "calc-error-none");
    }

    #[test]
    fn an_overdue_evaluation_opens_filing_windows_in_the_calendar() {
        let today: Date = "2026-11-24".parse().unwrap();
        let input = parse(
            &fields(&[
                ("state", "US"),
                ("birth_date", "2017-04-02"),
                ("request", "2026-01-05"),
                ("consent", "2026-01-12"),
            ]),
            today,
        )
        .unwrap();
        let (obligations, windows) = compute(&input, today, law::Lang::En).unwrap();
        assert!(
            obligations
                .iter()
                .any(|o| o.kind == "initial_evaluation" && o.status == Status::Overdue)
        );
        let kinds: Vec<&str> = windows.iter().map(|w| w.kind.as_str()).collect();
        for kind in ["due_process_complaint", "state_complaint", "ocr_complaint"] {
            assert!(kinds.contains(&kind), "{kinds:?}");
        }
        let i18n = crate::i18n::I18n::load();
        let cal = ics(
            &i18n.tr(crate::i18n::Lang::En),
            &obligations,
            &windows,
            "20261124T000000Z",
        );
        assert!(cal.starts_with("BEGIN:VCALENDAR\r\n"));
        assert!(cal.contains("SUMMARY:Last day to file: Due process complaint"));
        assert_eq!(
            cal.matches("BEGIN:VEVENT").count(),
            cal.matches("END:VEVENT").count()
        );
    }

    #[test]
    fn the_calendar_file_is_in_the_pages_language() {
        let today: Date = "2026-11-24".parse().unwrap();
        let input = parse(
            &fields(&[
                ("state", "US"),
                ("birth_date", "2017-04-02"),
                ("consent", "2026-01-12"),
            ]),
            today,
        )
        .unwrap();
        let (obligations, windows) = compute(&input, today, law::Lang::Es).unwrap();
        let english = compute(&input, today, law::Lang::En).unwrap();
        let dates = |o: &[Obligation]| o.iter().map(|o| (o.due, o.status)).collect::<Vec<_>>();
        assert_eq!(
            dates(&obligations),
            dates(&english.0),
            "only the words change"
        );
        let i18n = crate::i18n::I18n::load();
        let cal = ics(
            &i18n.tr(crate::i18n::Lang::Es),
            &obligations,
            &windows,
            "20261124T000000Z",
        )
        .replace("\r\n ", "");
        assert!(
            cal.contains("incumplimiento: el plazo «evaluación inicial»\\, que vencía el 13 de marzo de 2026\\, no se cumplió a tiempo"),
            "{cal}"
        );
        assert!(
            cal.contains("60 días calendario → 13 de marzo de 2026"),
            "{cal}"
        );
        for english in [
            "calendar days",
            "violation",
            "was not met",
            "consent received",
        ] {
            assert!(!cal.contains(english), "{english} in {cal}");
        }
    }
}
