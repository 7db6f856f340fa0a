//! Reading case-record input (services, sessions, goals, data points, interventions, probes)
//! from a form or a JSON body into the store's types, with every field checked on the server.
//! Both arrive as (path, text) pairs: a JSON `{"baseline": {"on": …}}` is `baseline.on`.

use crate::error::AppError;
use crate::i18n::Tr;
use domain::Date;
use serde_json::Value;
use store::goals::{Mark, NewGoal};
use store::rti::NewIntervention;
use store::services::{NewService, NewSession, Service};

pub type Fields = Vec<(String, String)>;

/// One field's problem: its path (`baseline.on`) and the Fluent id of the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub message_id: &'static str,
}

/// The HTML id of a field (dots are awkward in CSS selectors and fragment links).
pub fn html_id(field: &str) -> String {
    format!("f-{}", field.replace('.', "-"))
}

/// Provider roles of the service grid (shown through `provider-role-*` messages).
pub const PROVIDER_ROLES: &[&str] = &[
    "speech_language_pathologist",
    "occupational_therapist",
    "physical_therapist",
    "counselor",
    "school_psychologist",
    "special_education_teacher",
    "other",
];

const SHORT_TEXT: usize = 200;
const LONG_TEXT: usize = 2000;
/// A week of minutes is at most 5 days × 7 hours; a month about 4.5 times that.
const MAX_SERVICE_MINUTES: u32 = 9_000;
const MAX_SESSION_MINUTES: u32 = 480;

/// Flattens a JSON object one level deep into fields; numbers and booleans become text.
pub fn from_json(body: &[u8]) -> Result<Fields, AppError> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| AppError::invalid("$", format!("the body is not JSON: {e}")))?;
    let Value::Object(map) = value else {
        return Err(AppError::invalid("$", "a JSON object"));
    };
    let mut fields = Vec::new();
    let mut push = |key: String, value: &Value| match value {
        Value::String(s) => fields.push((key, s.clone())),
        Value::Number(n) => fields.push((key, n.to_string())),
        Value::Bool(b) => fields.push((key, b.to_string())),
        _ => {}
    };
    for (key, value) in &map {
        if let Value::Object(inner) = value {
            for (sub, v) in inner {
                push(format!("{key}.{sub}"), v);
            }
        } else {
            push(key.clone(), value);
        }
    }
    Ok(fields)
}

/// The first error as an API problem (field path and English text).
pub fn api_error(errors: &[FieldError], en: &Tr) -> AppError {
    match errors.first() {
        Some(e) => AppError::invalid(e.field, en.get(e.message_id)),
        None => AppError::invalid("$", "invalid input"),
    }
}

/// Reads typed values from form fields, collecting every problem (the evaluations' step reader
/// adds its own methods in `api_evaluations`).
pub(crate) struct Reader<'a> {
    pub(crate) fields: &'a Fields,
    errors: Vec<FieldError>,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(fields: &'a Fields) -> Reader<'a> {
        Reader {
            fields,
            errors: Vec::new(),
        }
    }

    pub(crate) fn fail(&mut self, field: &'static str, message_id: &'static str) {
        if !self.errors.iter().any(|e| e.field == field) {
            self.errors.push(FieldError { field, message_id });
        }
    }

    pub(crate) fn raw(&self, field: &str) -> Option<&'a str> {
        self.fields
            .iter()
            .find(|(k, _)| k == field)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    }

    pub(crate) fn text(&mut self, field: &'static str, required: bool, max: usize) -> String {
        match self.raw(field) {
            None if required => {
                self.fail(field, "error-field-required");
                String::new()
            }
            None => String::new(),
            Some(v) if v.chars().count() > max => {
                self.fail(field, "error-field-too-long");
                String::new()
            }
            Some(v) => v.to_owned(),
        }
    }

    fn date(&mut self, field: &'static str, required: bool) -> Option<Date> {
        match self.raw(field) {
            None => {
                if required {
                    self.fail(field, "error-field-date");
                }
                None
            }
            Some(v) => {
                let parsed = v.parse::<Date>().ok();
                if parsed.is_none() {
                    self.fail(field, "error-field-date");
                }
                parsed
            }
        }
    }

    pub(crate) fn past_date(&mut self, field: &'static str, today: Date) -> Option<Date> {
        let on = self.date(field, true)?;
        if on > today {
            self.fail(field, "error-field-future");
            return None;
        }
        Some(on)
    }

    fn whole(&mut self, field: &'static str, min: u32, max: u32) -> u32 {
        match self.raw(field).map(str::parse::<u32>) {
            Some(Ok(n)) if (min..=max).contains(&n) => n,
            Some(Ok(_)) => {
                self.fail(field, "error-field-range");
                0
            }
            _ => {
                self.fail(field, "error-field-number");
                0
            }
        }
    }

    fn decimal(&mut self, field: &'static str, required: bool) -> Option<f64> {
        match self.raw(field) {
            None => {
                if required {
                    self.fail(field, "error-field-decimal");
                }
                None
            }
            Some(v) => match v.parse::<f64>() {
                Ok(n) if n.is_finite() => Some(n),
                _ => {
                    self.fail(field, "error-field-decimal");
                    None
                }
            },
        }
    }

    pub(crate) fn choice<T>(
        &mut self,
        field: &'static str,
        parse: impl Fn(&str) -> Option<T>,
    ) -> Option<T> {
        let parsed = self.raw(field).and_then(parse);
        if parsed.is_none() {
            self.fail(field, "error-field-choice");
        }
        parsed
    }

    pub(crate) fn finish<T>(self, value: Option<T>) -> Result<T, Vec<FieldError>> {
        match value {
            Some(v) if self.errors.is_empty() => Ok(v),
            _ if self.errors.is_empty() => Err(vec![FieldError {
                field: "$",
                message_id: "error-field-required",
            }]),
            _ => Err(self.errors),
        }
    }
}

/// The `revision` an edit was made from (compare-and-set).
pub fn revision(fields: &Fields) -> Result<i64, Vec<FieldError>> {
    let mut r = Reader::new(fields);
    let value = r.raw("revision").and_then(|v| v.parse::<i64>().ok());
    if value.is_none() {
        r.fail("revision", "error-field-number");
    }
    r.finish(value)
}

pub fn service(fields: &Fields) -> Result<NewService, Vec<FieldError>> {
    let mut r = Reader::new(fields);
    let name = r.text("name", true, SHORT_TEXT);
    let provider_role = r.choice("provider_role", |v| {
        PROVIDER_ROLES.contains(&v).then(|| v.to_owned())
    });
    let minutes = r.whole("minutes", 1, MAX_SERVICE_MINUTES);
    let per = r.choice("per", store::services::parse_per);
    let setting = r.text("setting", true, SHORT_TEXT);
    let start = r.date("start", true);
    let end = r.date("end", true);
    if let (Some(s), Some(e)) = (start, end)
        && e < s
    {
        r.fail("end", "error-field-end-before-start");
    }
    let value = match (provider_role, per, start, end) {
        (Some(provider_role), Some(per), Some(start), Some(end)) => Some(NewService {
            name,
            provider_role,
            minutes,
            per,
            setting,
            start,
            end,
        }),
        _ => None,
    };
    r.finish(value)
}

/// A session against one of `services` (the student's own), dated no later than today and no
/// earlier than the service's start.
pub fn session(
    fields: &Fields,
    services: &[Service],
    today: Date,
) -> Result<NewSession, Vec<FieldError>> {
    let mut r = Reader::new(fields);
    let service = r
        .raw("service")
        .and_then(|v| v.parse::<i64>().ok())
        .and_then(|id| services.iter().find(|s| s.id == id));
    if service.is_none() {
        r.fail("service", "error-field-service");
    }
    let on = r.past_date("on", today);
    if let (Some(s), Some(on)) = (service, on)
        && on < s.start
    {
        r.fail("on", "error-field-before-service");
    }
    let minutes = r.whole("minutes", 1, MAX_SESSION_MINUTES);
    let status = r.choice("status", store::services::parse_status);
    let note = r.text("note", false, LONG_TEXT);
    let value = match (service, on, status) {
        (Some(service), Some(on), Some(status)) => Some(NewSession {
            service_id: service.id,
            on,
            minutes,
            status,
            note,
        }),
        _ => None,
    };
    r.finish(value)
}

pub fn goal(fields: &Fields) -> Result<NewGoal, Vec<FieldError>> {
    let mut r = Reader::new(fields);
    let description = r.text("description", true, LONG_TEXT);
    let measure = r.text("measure", false, SHORT_TEXT);
    let baseline = Mark {
        on: r.date("baseline.on", false),
        value: r.decimal("baseline.value", false),
    };
    let target = Mark {
        on: r.date("target.on", false),
        value: r.decimal("target.value", false),
    };
    if let (Some(b), Some(t)) = (baseline.on, target.on)
        && t <= b
    {
        r.fail("target.on", "error-field-target-after-baseline");
    }
    let direction = r.choice("direction", store::goals::parse_direction);
    let criterion = r.text("criterion", false, LONG_TEXT);
    let value = direction.map(|direction| NewGoal {
        description,
        measure,
        baseline,
        target,
        direction,
        criterion,
    });
    r.finish(value)
}

/// A data point: (date, value, note).
pub fn point(fields: &Fields, today: Date) -> Result<(Date, f64, String), Vec<FieldError>> {
    let mut r = Reader::new(fields);
    let on = r.past_date("on", today);
    let value = r.decimal("value", true);
    let note = r.text("note", false, LONG_TEXT);
    let parsed = match (on, value) {
        (Some(on), Some(value)) => Some((on, value, note)),
        _ => None,
    };
    r.finish(parsed)
}

pub fn intervention(fields: &Fields) -> Result<NewIntervention, Vec<FieldError>> {
    let mut r = Reader::new(fields);
    let tier = r.choice("tier", |v| match v {
        "2" => Some(2u8),
        "3" => Some(3u8),
        _ => None,
    });
    let program = r.text("program", true, SHORT_TEXT);
    let frequency = r.text("frequency", true, SHORT_TEXT);
    let minutes = r.whole("minutes", 1, MAX_SESSION_MINUTES);
    let group_size = r.whole("group_size", 1, 60);
    let owner = r.text("owner", true, SHORT_TEXT);
    let start = r.date("start", true);
    let value = match (tier, start) {
        (Some(tier), Some(start)) => Some(NewIntervention {
            tier,
            program,
            frequency,
            minutes,
            group_size,
            owner,
            start,
        }),
        _ => None,
    };
    r.finish(value)
}

/// Ending an intervention: the date and the revision it was read at.
pub fn end(fields: &Fields, today: Date) -> Result<(Date, i64), Vec<FieldError>> {
    let rev = revision(fields);
    let mut r = Reader::new(fields);
    let on = r.past_date("on", today);
    if let Err(errors) = &rev {
        r.errors.extend(errors.iter().cloned());
    }
    let value = match (on, rev) {
        (Some(on), Ok(rev)) => Some((on, rev)),
        _ => None,
    };
    r.finish(value)
}

/// A probe: (date, score).
pub fn probe(fields: &Fields, today: Date) -> Result<(Date, f64), Vec<FieldError>> {
    let mut r = Reader::new(fields);
    let on = r.past_date("on", today);
    let score = r.decimal("score", true);
    let value = match (on, score) {
        (Some(on), Some(score)) => Some((on, score)),
        _ => None,
    };
    r.finish(value)
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
    fn json_objects_flatten_to_dotted_fields() {
        let f =
            from_json(br#"{"baseline": {"on": "2026-09-01", "value": 12}, "x": null}"#).unwrap();
        assert_eq!(
            f,
            fields(&[("baseline.on", "2026-09-01"), ("baseline.value", "12")])
        );
    }

    #[test]
    fn a_service_ending_before_it_starts_is_refused_on_the_end_field() {
        let errors = service(&fields(&[
            ("name", "Speech"),
            ("provider_role", "speech_language_pathologist"),
            ("minutes", "60"),
            ("per", "week"),
            ("setting", "Speech room"),
            ("start", "2026-09-01"),
            ("end", "2026-08-01"),
        ]))
        .unwrap_err();
        assert_eq!(errors[0].field, "end");
    }

    #[test]
    fn sessions_cannot_be_logged_in_the_future() {
        let today: Date = "2026-10-01".parse().unwrap();
        let errors = point(&fields(&[("on", "2026-10-02"), ("value", "3")]), today).unwrap_err();
        assert_eq!(errors[0].message_id, "error-field-future");
    }
}
