//! Letters: one form for every letter kind of CONTRACT.md, in English or Spanish, answered
//! with the tagged PDF of `documents::letter` (the engine of `iep504 letter`). Anyone may
//! write one at `/toolkit/letters`. On a child's record (`/students/{id}/letters`) the form is
//! prefilled, and a letter marked as sent is recorded in the same transaction as the matching
//! case event (through the event path that refreshes the deadlines — a written evaluation
//! request starts the evaluation clocks) and as a `letter` entry in the communication log.

use super::{form_token, with_cookie};
use crate::db;
use crate::error::AppError;
use crate::pages::record_form::{Builder, FormView, Input, choices};
use crate::pages::{Chrome, render};
use crate::policy::{self, Grant};
use crate::records_input::{FieldError, Fields};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::{Extension, Form};
use documents::{DocumentError, LetterData, LetterKind};
use domain::Date;
use domain::event::{Event, EventKind, Requester};

/// The form's text fields, as paths of the letter data (what `DocumentError` names).
const TEXT_FIELDS: &[&str] = &[
    "parent.name",
    "parent.address",
    "parent.email",
    "parent.phone",
    "student.name",
    "student.school",
    "student.grade",
    "recipient.name",
    "recipient.title",
    "recipient.address",
];

const ALL_FIELDS: &[&str] = &[
    "kind",
    "lang",
    "date",
    "parent.name",
    "parent.address",
    "parent.email",
    "parent.phone",
    "student.name",
    "student.birth_date",
    "student.school",
    "student.grade",
    "recipient.name",
    "recipient.title",
    "recipient.address",
    "concerns",
    "sent",
];

/// The case event a sent letter records, when the law attaches one to it: a written
/// evaluation request (the clocks start), a records request (the 45-day limit), an IEE
/// request. The other kinds (504 evaluation, prior written notice, meeting) are logged in the
/// communication log only: no event kind of the case file stands for them.
pub fn event_for(kind: LetterKind, on: Date) -> Option<Event> {
    let kind = match kind {
        LetterKind::EvaluationRequest => EventKind::EvaluationRequested {
            by: Requester::Parent,
            written: true,
        },
        LetterKind::RecordsRequest => EventKind::RecordsRequested,
        LetterKind::IeeRequest => EventKind::IeeRequested,
        LetterKind::Section504EvaluationRequest
        | LetterKind::PriorWrittenNoticeRequest
        | LetterKind::MeetingRequest => return None,
    };
    Some(Event {
        id: String::new(),
        on,
        supersedes: None,
        kind,
    })
}

fn value<'a>(fields: &'a Fields, name: &str) -> &'a str {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

fn field_static(path: &str) -> &'static str {
    ALL_FIELDS
        .iter()
        .copied()
        .find(|f| *f == path)
        .unwrap_or("kind")
}

/// The problem with one letter field, in the catalogue's words.
fn document_error(e: &DocumentError) -> FieldError {
    match e {
        DocumentError::Input { path, message } => FieldError {
            field: field_static(path),
            message_id: if path == "concerns" && message.starts_with("required") {
                "ltr-error-concerns"
            } else if message.starts_with("required") {
                "ltr-error-required"
            } else if message.starts_with("at most") {
                "ltr-error-long"
            } else if path == "student.birth_date" {
                "ltr-error-birth"
            } else {
                "ltr-error-invalid"
            },
        },
        DocumentError::Pdf(_) => FieldError {
            field: "kind",
            message_id: "ltr-error-invalid",
        },
    }
}

/// What the form asks for, checked: the kind, the language, the data and whether it is sent.
pub struct Parsed {
    pub kind: LetterKind,
    pub lang: documents::Lang,
    pub data: LetterData,
    pub sent: bool,
}

pub fn parse(fields: &Fields, today: Date) -> Result<Parsed, Vec<FieldError>> {
    let mut errors = Vec::new();
    let kind = value(fields, "kind")
        .parse::<LetterKind>()
        .map_err(|_| FieldError {
            field: "kind",
            message_id: "ltr-error-kind",
        });
    let lang = value(fields, "lang")
        .parse::<documents::Lang>()
        .map_err(|_| FieldError {
            field: "lang",
            message_id: "ltr-error-lang",
        });
    let date = match value(fields, "date").trim().parse::<Date>() {
        Ok(d) if d <= today.saturating_add(jiff::Span::new().days(31)) => Ok(d),
        _ => Err(FieldError {
            field: "date",
            message_id: "ltr-error-date",
        }),
    };
    let birth = match value(fields, "student.birth_date").trim() {
        "" => Ok(None),
        text => text.parse::<Date>().map(Some).map_err(|_| FieldError {
            field: "student.birth_date",
            message_id: "ltr-error-birth",
        }),
    };
    let sent = value(fields, "sent") == "yes";
    for e in [
        kind.as_ref().err(),
        lang.as_ref().err(),
        date.as_ref().err(),
        birth.as_ref().err(),
    ]
    .into_iter()
    .flatten()
    {
        errors.push(e.clone());
    }
    let (Ok(kind), Ok(lang), Ok(date), Ok(birth_date)) = (kind, lang, date, birth) else {
        return Err(errors);
    };
    if sent && date > today {
        return Err(vec![FieldError {
            field: "date",
            message_id: "ltr-error-sent-future",
        }]);
    }
    let text = |name: &str| value(fields, name).trim().to_owned();
    let data = LetterData {
        date,
        parent: documents::Parent {
            name: text("parent.name"),
            address: text("parent.address"),
            email: text("parent.email"),
            phone: text("parent.phone"),
        },
        student: documents::Student {
            name: text("student.name"),
            birth_date,
            school: text("student.school"),
            grade: text("student.grade"),
        },
        recipient: documents::Recipient {
            name: text("recipient.name"),
            title: text("recipient.title"),
            address: text("recipient.address"),
        },
        concerns: value(fields, "concerns").trim().to_owned(),
    };
    data.validate(kind).map_err(|e| vec![document_error(&e)])?;
    Ok(Parsed {
        kind,
        lang,
        data,
        sent,
    })
}

#[derive(Template)]
#[template(path = "toolkit_letters.html")]
struct LettersPage {
    c: Chrome,
    heading: String,
    /// The child's page, when writing about one of the caller's children.
    back: Option<(String, String)>,
    /// (code, name, what it asks, citations) of each kind; each links to its own form.
    kinds: Vec<(String, String, String, String)>,
    /// Where the form posts, for the per-kind links.
    action: String,
    form: FormView,
}

fn letters_page(
    c: Chrome,
    grant: Option<&Grant>,
    fields: &Fields,
    errors: &[FieldError],
    today: Date,
) -> LettersPage {
    let t = &c.t;
    let kinds = LetterKind::ALL
        .iter()
        .map(|k| {
            let id = k.as_str().replace('_', "-");
            (
                k.as_str().to_owned(),
                t.get(&format!("ltr-kind-{id}")),
                t.get(&format!("ltr-kind-{id}-about")),
                k.citations().join("; "),
            )
        })
        .collect();
    let action = grant.map_or_else(
        || "/toolkit/letters".to_owned(),
        |g| format!("/students/{}/letters", g.student.id),
    );
    let defaults: Vec<(&str, String)> = match grant {
        Some(g) => vec![
            ("parent.name", g.caller.user.display_name.clone()),
            (
                "student.name",
                format!("{} {}", g.student.first_name, g.student.last_name),
            ),
            ("student.birth_date", g.student.birth_date.to_string()),
            ("student.grade", g.student.grade.clone().unwrap_or_default()),
        ],
        None => Vec::new(),
    };
    let default = |name: &str| {
        defaults
            .iter()
            .find(|(k, _)| *k == name)
            .map_or_else(String::new, |(_, v)| v.clone())
    };
    let kind_codes: Vec<&str> = LetterKind::ALL.iter().map(|k| k.as_str()).collect();
    let mut builder = Builder::new(
        t,
        "letter-form",
        "ltr-form-heading",
        action.clone(),
        "ltr-submit",
        fields,
        errors,
    )
    .field(
        "kind",
        Input::Choice(choices(t, "ltr-kind", &kind_codes)),
        true,
        "evaluation_request",
    )
    .field(
        "lang",
        Input::Choice(vec![
            ("en".into(), "English".into()),
            ("es".into(), "Español".into()),
        ]),
        true,
        t.code(),
    )
    .field("date", Input::Date, true, &today.to_string());
    for &name in &TEXT_FIELDS[..4] {
        builder = builder.field(
            name,
            Input::Text,
            name.ends_with("name") || name.ends_with("address"),
            &default(name),
        );
    }
    builder = builder
        .field("student.name", Input::Text, true, &default("student.name"))
        .field(
            "student.birth_date",
            Input::Date,
            false,
            &default("student.birth_date"),
        )
        .field("student.school", Input::Text, true, "")
        .field(
            "student.grade",
            Input::Text,
            false,
            &default("student.grade"),
        );
    for &name in &TEXT_FIELDS[7..] {
        builder = builder.field(name, Input::Text, name == "recipient.name", "");
    }
    builder = builder.field_labelled("concerns", "rf-letter-concerns", Input::LongText, false, "");
    if grant.is_some() {
        builder = builder.field(
            "sent",
            Input::Choice(vec![
                ("yes".into(), t.get("ltr-sent-yes")),
                ("no".into(), t.get("ltr-sent-no")),
            ]),
            true,
            "yes",
        );
    }
    let (heading, back) = match grant {
        Some(g) => {
            let name = format!("{} {}", g.student.first_name, g.student.last_name);
            (
                t.with("ltr-title-child", "name", &name),
                Some((
                    format!("/students/{}/toolkit", g.student.id),
                    t.with("tk-back-to-child", "name", &name),
                )),
            )
        }
        None => (t.get("ltr-title"), None),
    };
    LettersPage {
        heading,
        back,
        kinds,
        action,
        form: builder.build(),
        c,
    }
}

fn pdf_response(kind: LetterKind, lang: documents::Lang, pdf: Vec<u8>) -> Response {
    crate::pages::pdf_response(
        pdf,
        &format!("{}-{}.pdf", kind.as_str(), lang.code()),
        crate::pages::Disposition::Attachment,
    )
}

/// The letter kind a `?kind=` link chose, as the form's starting value.
fn chosen(query: Fields) -> Fields {
    query
        .into_iter()
        .filter(|(k, v)| k == "kind" && v.parse::<LetterKind>().is_ok())
        .take(1)
        .collect()
}

/// `GET /toolkit/letters[?kind=KIND]`.
pub async fn form(
    State(state): State<AppState>,
    mut c: Chrome,
    headers: HeaderMap,
    Query(query): Query<Fields>,
) -> Result<Response, AppError> {
    let cookie = form_token(&mut c, &headers)?;
    let page = letters_page(c, None, &chosen(query), &[], state.clock.today());
    Ok(with_cookie(render(StatusCode::OK, &page), cookie))
}

/// `POST /toolkit/letters`: the PDF, nothing stored.
pub async fn write(
    State(state): State<AppState>,
    mut c: Chrome,
    headers: HeaderMap,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    let cookie = form_token(&mut c, &headers)?;
    let today = state.clock.today();
    let parsed = match parse(&fields, today) {
        Ok(parsed) => parsed,
        Err(errors) => {
            let page = letters_page(c, None, &fields, &errors, today);
            return Ok(with_cookie(
                render(StatusCode::UNPROCESSABLE_ENTITY, &page),
                cookie,
            ));
        }
    };
    let pdf = documents::letter(parsed.kind, &parsed.data, parsed.lang)
        .map_err(|_| AppError::Internal("letter PDF"))?;
    Ok(pdf_response(parsed.kind, parsed.lang, pdf))
}

/// `GET /students/{id}/letters[?kind=KIND]`: the form, prefilled for this child.
pub async fn child_form(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
    c: Chrome,
    Query(query): Query<Fields>,
) -> Result<Response, AppError> {
    // The form is prefilled from the record (name, birth date, grade): a read, logged.
    let read = grant.clone();
    db::run(&state, move |_| {
        Ok(policy::log_read(
            &read.caller,
            &read.student,
            "view_letter_form",
        )?)
    })
    .await?;
    let page = letters_page(c, Some(&grant), &chosen(query), &[], state.clock.today());
    Ok(render(StatusCode::OK, &page))
}

/// `POST /students/{id}/letters`: the PDF; when sent, the event and the log entry too.
pub async fn child_write(
    State(state): State<AppState>,
    Extension(grant): Extension<Grant>,
    c: Chrome,
    Form(fields): Form<Fields>,
) -> Result<Response, AppError> {
    let today = state.clock.today();
    let parsed = match parse(&fields, today) {
        Ok(parsed) => parsed,
        Err(errors) => {
            let page = letters_page(c, Some(&grant), &fields, &errors, today);
            return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page));
        }
    };
    let pdf = documents::letter(parsed.kind, &parsed.data, parsed.lang)
        .map_err(|_| AppError::Internal("letter PDF"))?;
    if parsed.sent {
        let event = event_for(parsed.kind, parsed.data.date).filter(|e| {
            policy::may_add_event(&grant, &store::events::kind_tag(e).unwrap_or_default())
        });
        let summary = c.t.with(
            "ltr-log-summary",
            "kind",
            c.t.term("ltr-kind", parsed.kind.as_str()),
        );
        let with_whom = [
            parsed.data.recipient.name.as_str(),
            parsed.data.recipient.title.as_str(),
        ]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
        let kind = parsed.kind;
        let on = parsed.data.date;
        let answer_by = on.saturating_add(jiff::Span::new().days(documents::ANSWER_DAYS));
        db::run(&state, move |conn| {
            Ok(conn.transaction(|tx| {
                let event_id = match &event {
                    Some(event) => match crate::obligations::append_and_refresh(
                        tx,
                        &grant.student,
                        event,
                        grant.caller.user.id,
                        today,
                    )? {
                        store::events::Appended::Created(e)
                        | store::events::Appended::Replayed(e) => Some(e.id),
                    },
                    None => None,
                };
                store::communications::add(
                    tx,
                    grant.student.district_id,
                    grant.student.id,
                    &store::communications::NewCommunication {
                        on,
                        channel: "letter".into(),
                        with_whom: with_whom.clone(),
                        summary: summary.clone(),
                        follow_up_due: Some(answer_by),
                        letter_kind: Some(kind.as_str().to_owned()),
                        event_id,
                    },
                    Some(grant.caller.user.id),
                )
            })?)
        })
        .await?;
    }
    Ok(pdf_response(parsed.kind, parsed.lang, pdf))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_requests_with_a_case_event_record_one() {
        let on: Date = "2026-11-24".parse().unwrap();
        let tags: Vec<Option<String>> = LetterKind::ALL
            .iter()
            .map(|k| event_for(*k, on).map(|e| store::events::kind_tag(&e).unwrap()))
            .collect();
        assert_eq!(
            tags,
            vec![
                Some("evaluation_requested".into()),
                None,
                Some("records_requested".into()),
                Some("iee_requested".into()),
                None,
                None
            ]
        );
        // Every recorded kind is one a parent originates (the policy lets parents add it).
        for tag in tags.into_iter().flatten() {
            assert!(policy::PARENT_EVENT_KINDS.contains(&tag.as_str()));
        }
    }
}
