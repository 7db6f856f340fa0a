//! The "add event" form: the fields each event kind carries (CONTRACT.md's table), and the
//! server-side check that turns submitted text into an `Event`, with errors tied to fields.

use domain::event::Event;
use serde_json::{Map, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    Date,
    Bool,
    Choice(&'static [&'static str]),
    /// A whole number in this range.
    Number(u32, u32),
    /// Comma-separated codes.
    List,
    /// Free text (a code such as an exit basis).
    Text,
}

#[derive(Debug, Clone, Copy)]
pub struct FieldSpec {
    /// The JSON field name in the case-file shape.
    pub name: &'static str,
    pub ty: FieldType,
}

#[derive(Debug, Clone, Copy)]
pub struct KindSpec {
    pub kind: &'static str,
    pub fields: &'static [FieldSpec],
}

const fn f(name: &'static str, ty: FieldType) -> FieldSpec {
    FieldSpec { name, ty }
}

const CONSENT_FOR: FieldType =
    FieldType::Choice(&["initial_evaluation", "reevaluation", "initial_services"]);
const EVALUATION: FieldType = FieldType::Choice(&["initial", "reevaluation"]);
const TIER: FieldType = FieldType::Choice(&["2", "3"]);

pub const KINDS: &[KindSpec] = &[
    KindSpec {
        kind: "evaluation_requested",
        fields: &[
            f("by", FieldType::Choice(&["parent", "school", "other"])),
            f("written", FieldType::Bool),
        ],
    },
    KindSpec {
        kind: "consent_received",
        fields: &[f("for", CONSENT_FOR)],
    },
    KindSpec {
        kind: "consent_refused",
        fields: &[f("for", CONSENT_FOR)],
    },
    KindSpec {
        kind: "eligibility_determined",
        fields: &[
            f("evaluation", EVALUATION),
            f("eligible", FieldType::Bool),
            f("categories", FieldType::List),
        ],
    },
    KindSpec {
        kind: "iep_meeting_held",
        fields: &[
            f(
                "purpose",
                FieldType::Choice(&["initial", "annual", "reevaluation", "amendment", "other"]),
            ),
            f("includes_transition", FieldType::Bool),
            f("includes_rights_transfer_notice", FieldType::Bool),
        ],
    },
    KindSpec {
        kind: "iep_meeting_scheduled",
        fields: &[f("meeting_on", FieldType::Date)],
    },
    KindSpec {
        kind: "reevaluation_waived",
        fields: &[],
    },
    KindSpec {
        kind: "records_requested",
        fields: &[],
    },
    KindSpec {
        kind: "records_provided",
        fields: &[],
    },
    KindSpec {
        kind: "placement_change_decided",
        fields: &[f("disciplinary", FieldType::Bool)],
    },
    KindSpec {
        kind: "manifestation_determination_held",
        fields: &[],
    },
    KindSpec {
        kind: "due_process_complaint_received",
        fields: &[],
    },
    KindSpec {
        kind: "resolution_meeting_held",
        fields: &[],
    },
    KindSpec {
        kind: "resolution_waived",
        fields: &[],
    },
    KindSpec {
        kind: "hearing_decision_issued",
        fields: &[],
    },
    KindSpec {
        kind: "state_complaint_filed",
        fields: &[],
    },
    KindSpec {
        kind: "state_complaint_decided",
        fields: &[],
    },
    KindSpec {
        kind: "disciplinary_removal",
        fields: &[
            f("school_days", FieldType::Number(1, 365)),
            f(
                "removal",
                FieldType::Choice(&["suspension", "expulsion", "interim_alternative_setting"]),
            ),
        ],
    },
    KindSpec {
        kind: "procedural_safeguards_provided",
        fields: &[f(
            "reason",
            FieldType::Choice(&["annual", "referral", "complaint", "discipline", "request"]),
        )],
    },
    KindSpec {
        kind: "prior_written_notice_sent",
        fields: &[
            f("action", FieldType::Choice(&["propose", "refuse"])),
            f(
                "subject",
                FieldType::Choice(&["identification", "evaluation", "placement", "fape"]),
            ),
        ],
    },
    KindSpec {
        kind: "iee_requested",
        fields: &[],
    },
    KindSpec {
        kind: "iee_granted",
        fields: &[],
    },
    KindSpec {
        kind: "iee_due_process_filed",
        fields: &[],
    },
    KindSpec {
        kind: "rti_started",
        fields: &[f("tier", TIER)],
    },
    KindSpec {
        kind: "rti_ended",
        fields: &[f("tier", TIER)],
    },
    KindSpec {
        kind: "plan504_meeting_held",
        fields: &[f(
            "purpose",
            FieldType::Choice(&["initial", "review", "reevaluation"]),
        )],
    },
    KindSpec {
        kind: "part_c_referral_received",
        fields: &[],
    },
    KindSpec {
        kind: "transferred_in",
        fields: &[f("from", FieldType::Choice(&["in_state", "out_of_state"]))],
    },
    KindSpec {
        kind: "exited",
        fields: &[f("basis", FieldType::Text)],
    },
    KindSpec {
        kind: "absences_recorded",
        fields: &[f("school_days", FieldType::Number(1, 365))],
    },
    KindSpec {
        kind: "services_started",
        fields: &[],
    },
];

pub fn spec(kind: &str) -> Option<&'static KindSpec> {
    KINDS.iter().find(|k| k.kind == kind)
}

/// The form's id (and name) for a field: prefixed so no field collides with `kind` or `csrf`.
pub fn field_id(name: &str) -> String {
    format!("f_{name}")
}

/// What is wrong with one field, as a Fluent message id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub message_id: &'static str,
}

/// Builds the event from submitted `(name, value)` pairs, or lists every field's problem.
pub fn parse(kind: &str, form: &[(String, String)]) -> Result<Event, Vec<FieldError>> {
    let Some(spec) = spec(kind) else {
        return Err(vec![FieldError {
            field: "add".into(),
            message_id: "error-field-kind",
        }]);
    };
    let value_of = |name: &str| {
        form.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
            .unwrap_or("")
    };
    let mut errors = Vec::new();
    let mut object = Map::new();
    object.insert("id".into(), Value::String(String::new()));
    object.insert("kind".into(), Value::String(kind.into()));
    let on = value_of(&field_id("on"));
    if on.parse::<domain::Date>().is_ok() {
        object.insert("on".into(), Value::String(on.into()));
    } else {
        errors.push(FieldError {
            field: field_id("on"),
            message_id: "error-field-date",
        });
    }
    for field in spec.fields {
        let id = field_id(field.name);
        let text = value_of(&id);
        let parsed = match field.ty {
            FieldType::Date => text
                .parse::<domain::Date>()
                .ok()
                .map(|_| Value::String(text.into())),
            FieldType::Bool => Some(Value::Bool(text == "true")),
            FieldType::Choice(options) if options.contains(&text) => {
                Some(match text.parse::<u8>() {
                    Ok(n) => Value::from(n),
                    Err(_) => Value::String(text.into()),
                })
            }
            FieldType::Choice(_) => None,
            FieldType::Number(low, high) => text
                .parse::<u32>()
                .ok()
                .filter(|n| (low..=high).contains(n))
                .map(Value::from),
            FieldType::List => Some(Value::Array(
                text.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(|s| Value::String(s.into()))
                    .collect(),
            )),
            FieldType::Text => (!text.is_empty()).then(|| Value::String(text.into())),
        };
        match parsed {
            Some(value) => {
                object.insert(field.name.into(), value);
            }
            None => errors.push(FieldError {
                field: id,
                message_id: match field.ty {
                    FieldType::Date => "error-field-date",
                    FieldType::Choice(_) => "error-field-choice",
                    FieldType::Number(..) => "error-field-number",
                    _ => "error-field-required",
                },
            }),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    serde_json::from_value(Value::Object(object)).map_err(|_| {
        vec![FieldError {
            field: "add".into(),
            message_id: "error-field-kind",
        }]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(spec: &KindSpec) -> Vec<(String, String)> {
        let mut form = vec![(field_id("on"), "2026-09-08".to_owned())];
        for field in spec.fields {
            let value = match field.ty {
                FieldType::Date => "2026-10-01".to_owned(),
                FieldType::Bool => "true".to_owned(),
                FieldType::Choice(options) => options[0].to_owned(),
                FieldType::Number(low, _) => low.to_string(),
                FieldType::List => "SLD, OHI".to_owned(),
                FieldType::Text => "GRADALTDPL".to_owned(),
            };
            form.push((field_id(field.name), value));
        }
        form
    }

    #[test]
    fn every_kind_builds_an_event_from_its_fields() {
        for spec in KINDS {
            let event =
                parse(spec.kind, &sample(spec)).unwrap_or_else(|e| panic!("{}: {e:?}", spec.kind));
            assert_eq!(store::events::kind_tag(&event).unwrap(), spec.kind);
        }
    }

    #[test]
    fn every_kind_in_the_api_document_has_a_form() {
        let doc: Value = serde_json::from_str(crate::openapi::DOCUMENT).unwrap();
        let kinds = doc["components"]["schemas"]["Event"]["properties"]["kind"]["enum"]
            .as_array()
            .unwrap();
        assert_eq!(kinds.len(), KINDS.len());
        for kind in kinds {
            assert!(spec(kind.as_str().unwrap()).is_some(), "{kind}");
        }
    }

    #[test]
    fn errors_name_their_fields() {
        let form = vec![
            (field_id("on"), "09/08/2026".to_owned()),
            (field_id("for"), "nonsense".to_owned()),
        ];
        let errors = parse("consent_received", &form).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["f_on", "f_for"]);
    }
}
