//! Event matchers: the "event kind + field filter" a profile writes for triggers and
//! satisfiers, checked against the event vocabulary when a profile is loaded, then matched
//! against a case's events without allocating.

use domain::event::*;
use jiff::civil::Date;
use serde::Deserialize;
use std::collections::BTreeMap;

/// Every event kind with the fields a filter may test. The order gives each kind its tag.
pub const EVENT_FIELDS: &[(&str, &[&str])] = &[
    ("evaluation_requested", &["by", "written"]),
    ("consent_received", &["for"]),
    ("consent_refused", &["for"]),
    (
        "eligibility_determined",
        &["evaluation", "eligible", "categories"],
    ),
    (
        "iep_meeting_held",
        &[
            "purpose",
            "includes_transition",
            "includes_rights_transfer_notice",
        ],
    ),
    ("iep_meeting_scheduled", &["meeting_on"]),
    ("reevaluation_waived", &[]),
    ("records_requested", &[]),
    ("records_provided", &[]),
    ("placement_change_decided", &["disciplinary"]),
    ("manifestation_determination_held", &[]),
    ("due_process_complaint_received", &[]),
    ("resolution_meeting_held", &[]),
    ("resolution_waived", &[]),
    ("hearing_decision_issued", &[]),
    ("state_complaint_filed", &[]),
    ("state_complaint_decided", &[]),
    ("disciplinary_removal", &["school_days", "removal"]),
    ("procedural_safeguards_provided", &["reason"]),
    ("prior_written_notice_sent", &["action", "subject"]),
    ("iee_requested", &[]),
    ("iee_granted", &[]),
    ("iee_due_process_filed", &[]),
    ("rti_started", &["tier"]),
    ("rti_ended", &["tier"]),
    ("plan504_meeting_held", &["purpose", "eligible"]),
    ("part_c_referral_received", &[]),
    ("transferred_in", &["from"]),
    ("exited", &["basis"]),
    ("absences_recorded", &["school_days"]),
    ("services_started", &[]),
];

/// The index of an event's kind in [`EVENT_FIELDS`].
pub fn tag(kind: &EventKind) -> u8 {
    use EventKind::*;
    match kind {
        EvaluationRequested { .. } => 0,
        ConsentReceived { .. } => 1,
        ConsentRefused { .. } => 2,
        EligibilityDetermined { .. } => 3,
        IepMeetingHeld { .. } => 4,
        IepMeetingScheduled { .. } => 5,
        ReevaluationWaived => 6,
        RecordsRequested => 7,
        RecordsProvided => 8,
        PlacementChangeDecided { .. } => 9,
        ManifestationDeterminationHeld => 10,
        DueProcessComplaintReceived => 11,
        ResolutionMeetingHeld => 12,
        ResolutionWaived => 13,
        HearingDecisionIssued => 14,
        StateComplaintFiled => 15,
        StateComplaintDecided => 16,
        DisciplinaryRemoval { .. } => 17,
        ProceduralSafeguardsProvided { .. } => 18,
        PriorWrittenNoticeSent { .. } => 19,
        IeeRequested => 20,
        IeeGranted => 21,
        IeeDueProcessFiled => 22,
        RtiStarted { .. } => 23,
        RtiEnded { .. } => 24,
        Plan504MeetingHeld { .. } => 25,
        PartCReferralReceived => 26,
        TransferredIn { .. } => 27,
        Exited { .. } => 28,
        AbsencesRecorded { .. } => 29,
        ServicesStarted => 30,
    }
}

pub fn tag_of(name: &str) -> Option<u8> {
    EVENT_FIELDS
        .iter()
        .position(|(n, _)| *n == name)
        .and_then(|i| u8::try_from(i).ok())
}

pub fn tag_name(tag: u8) -> &'static str {
    EVENT_FIELDS.get(usize::from(tag)).map_or("?", |e| e.0)
}

/// One field's value on an event, borrowed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FieldValue<'a> {
    Bool(bool),
    Str(&'a str),
    Num(u32),
    Date(Date),
    List(&'a [String]),
}

fn requester(v: Requester) -> &'static str {
    match v {
        Requester::Parent => "parent",
        Requester::School => "school",
        Requester::Other => "other",
    }
}
fn consent_for(v: ConsentFor) -> &'static str {
    match v {
        ConsentFor::InitialEvaluation => "initial_evaluation",
        ConsentFor::Reevaluation => "reevaluation",
        ConsentFor::InitialServices => "initial_services",
    }
}
fn evaluation(v: EvaluationType) -> &'static str {
    match v {
        EvaluationType::Initial => "initial",
        EvaluationType::Reevaluation => "reevaluation",
    }
}
fn purpose(v: MeetingPurpose) -> &'static str {
    match v {
        MeetingPurpose::Initial => "initial",
        MeetingPurpose::Annual => "annual",
        MeetingPurpose::Reevaluation => "reevaluation",
        MeetingPurpose::Amendment => "amendment",
        MeetingPurpose::Other => "other",
    }
}
fn removal(v: RemovalKind) -> &'static str {
    match v {
        RemovalKind::Suspension => "suspension",
        RemovalKind::Expulsion => "expulsion",
        RemovalKind::InterimAlternativeSetting => "interim_alternative_setting",
    }
}
fn reason(v: SafeguardsReason) -> &'static str {
    match v {
        SafeguardsReason::Annual => "annual",
        SafeguardsReason::Referral => "referral",
        SafeguardsReason::Complaint => "complaint",
        SafeguardsReason::Discipline => "discipline",
        SafeguardsReason::Request => "request",
    }
}
fn action(v: NoticeAction) -> &'static str {
    match v {
        NoticeAction::Propose => "propose",
        NoticeAction::Refuse => "refuse",
    }
}
fn subject(v: NoticeSubject) -> &'static str {
    match v {
        NoticeSubject::Identification => "identification",
        NoticeSubject::Evaluation => "evaluation",
        NoticeSubject::Placement => "placement",
        NoticeSubject::Fape => "fape",
    }
}
fn plan504(v: Plan504Purpose) -> &'static str {
    match v {
        Plan504Purpose::Initial => "initial",
        Plan504Purpose::Review => "review",
        Plan504Purpose::Reevaluation => "reevaluation",
    }
}
fn transfer(v: TransferFrom) -> &'static str {
    match v {
        TransferFrom::InState => "in_state",
        TransferFrom::OutOfState => "out_of_state",
    }
}

/// The value of field `name` on the event, if the event has it.
pub fn field<'a>(kind: &'a EventKind, name: &str) -> Option<FieldValue<'a>> {
    use EventKind::*;
    use FieldValue as F;
    Some(match (kind, name) {
        (EvaluationRequested { by, .. }, "by") => F::Str(requester(*by)),
        (EvaluationRequested { written, .. }, "written") => F::Bool(*written),
        (ConsentReceived { consent_for: c } | ConsentRefused { consent_for: c }, "for") => {
            F::Str(consent_for(*c))
        }
        (EligibilityDetermined { evaluation: e, .. }, "evaluation") => F::Str(evaluation(*e)),
        (EligibilityDetermined { eligible, .. }, "eligible") => F::Bool(*eligible),
        (EligibilityDetermined { categories, .. }, "categories") => F::List(categories),
        (IepMeetingHeld { purpose: p, .. }, "purpose") => F::Str(purpose(*p)),
        (
            IepMeetingHeld {
                includes_transition,
                ..
            },
            "includes_transition",
        ) => F::Bool(*includes_transition),
        (
            IepMeetingHeld {
                includes_rights_transfer_notice: n,
                ..
            },
            "includes_rights_transfer_notice",
        ) => F::Bool(*n),
        (IepMeetingScheduled { meeting_on }, "meeting_on") => F::Date(*meeting_on),
        (PlacementChangeDecided { disciplinary }, "disciplinary") => F::Bool(*disciplinary),
        (DisciplinaryRemoval { school_days, .. }, "school_days") => F::Num(*school_days),
        (DisciplinaryRemoval { removal: r, .. }, "removal") => F::Str(removal(*r)),
        (ProceduralSafeguardsProvided { reason: r }, "reason") => F::Str(reason(*r)),
        (PriorWrittenNoticeSent { action: a, .. }, "action") => F::Str(action(*a)),
        (PriorWrittenNoticeSent { subject: s, .. }, "subject") => F::Str(subject(*s)),
        (RtiStarted { tier } | RtiEnded { tier }, "tier") => F::Num(u32::from(*tier)),
        (Plan504MeetingHeld { purpose: p, .. }, "purpose") => F::Str(plan504(*p)),
        (Plan504MeetingHeld { eligible, .. }, "eligible") => F::Bool(*eligible),
        (TransferredIn { from }, "from") => F::Str(transfer(*from)),
        (Exited { basis }, "basis") => F::Str(basis),
        (AbsencesRecorded { school_days }, "school_days") => F::Num(*school_days),
        _ => return None,
    })
}

/// A value a filter accepts, as written in a profile.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum Scalar {
    Bool(bool),
    Num(u32),
    Str(String),
}

impl Scalar {
    fn accepts(&self, value: FieldValue<'_>) -> bool {
        match (self, value) {
            (Scalar::Bool(a), FieldValue::Bool(b)) => *a == b,
            (Scalar::Num(a), FieldValue::Num(b)) => *a == b,
            (Scalar::Str(a), FieldValue::Str(b)) => a == b,
            (Scalar::Str(a), FieldValue::List(list)) => list.iter().any(|c| c == a),
            _ => false,
        }
    }

    pub fn describe(&self) -> String {
        match self {
            Scalar::Bool(b) => b.to_string(),
            Scalar::Num(n) => n.to_string(),
            Scalar::Str(s) => s.clone(),
        }
    }
}

/// One value or any of several.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    One(Scalar),
    Many(Vec<Scalar>),
}

/// An event matcher as a profile writes it: `{ event = "consent_received", for = "initial_evaluation" }`.
/// A list-valued field (`categories`) matches when it contains the value; a key prefixed
/// `not_` rejects events whose field matches.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct MatcherSpec {
    pub event: String,
    #[serde(flatten)]
    pub fields: BTreeMap<String, OneOrMany>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FieldFilter {
    pub field: &'static str,
    pub accepted: Vec<Scalar>,
    pub negated: bool,
}

/// A compiled matcher.
#[derive(Debug, Clone, PartialEq)]
pub struct EventMatcher {
    pub tag: u8,
    pub filters: Vec<FieldFilter>,
}

impl EventMatcher {
    pub fn compile(spec: &MatcherSpec) -> Result<EventMatcher, String> {
        let tag = tag_of(&spec.event).ok_or_else(|| {
            let known: Vec<&str> = EVENT_FIELDS.iter().map(|e| e.0).collect();
            format!(
                "unknown event kind `{}` (known: {})",
                spec.event,
                known.join(", ")
            )
        })?;
        let allowed = EVENT_FIELDS[usize::from(tag)].1;
        let mut filters = Vec::new();
        for (key, value) in &spec.fields {
            let (name, negated) = match key.strip_prefix("not_") {
                Some(rest) => (rest, true),
                None => (key.as_str(), false),
            };
            let field = allowed.iter().find(|f| **f == name).ok_or_else(|| {
                format!(
                    "event `{}` has no field `{name}` (fields: {})",
                    spec.event,
                    if allowed.is_empty() {
                        "none".to_string()
                    } else {
                        allowed.join(", ")
                    }
                )
            })?;
            let accepted = match value {
                OneOrMany::One(s) => vec![s.clone()],
                OneOrMany::Many(v) => v.clone(),
            };
            filters.push(FieldFilter {
                field,
                accepted,
                negated,
            });
        }
        Ok(EventMatcher { tag, filters })
    }

    pub fn matches(&self, tag: u8, kind: &EventKind) -> bool {
        tag == self.tag
            && self.filters.iter().all(|f| {
                let hit =
                    field(kind, f.field).is_some_and(|v| f.accepted.iter().any(|a| a.accepts(v)));
                hit != f.negated
            })
    }

    /// "consent_received (for = initial_evaluation)" for docs and explanations.
    pub fn describe(&self) -> String {
        let name = tag_name(self.tag);
        if self.filters.is_empty() {
            return name.to_string();
        }
        let filters: Vec<String> = self
            .filters
            .iter()
            .map(|f| {
                let values: Vec<String> = f.accepted.iter().map(Scalar::describe).collect();
                format!(
                    "{}{} {}",
                    f.field,
                    if f.negated { " ≠" } else { " =" },
                    values.join("|")
                )
            })
            .collect();
        format!("{name} ({})", filters.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_follow_the_table() {
        // Every kind's serde name sits at its tag in the table.
        let samples = [
            r#"{"id":"a","on":"2026-01-05","kind":"consent_received","for":"reevaluation"}"#,
            r#"{"id":"a","on":"2026-01-05","kind":"services_started"}"#,
            r#"{"id":"a","on":"2026-01-05","kind":"absences_recorded","school_days":3}"#,
            r#"{"id":"a","on":"2026-01-05","kind":"exited","basis":"GRAD"}"#,
        ];
        for s in samples {
            let e: Event = serde_json::from_str(s).unwrap();
            let v: serde_json::Value = serde_json::from_str(s).unwrap();
            assert_eq!(tag_name(tag(&e.kind)), v["kind"].as_str().unwrap());
        }
    }

    #[test]
    fn compiles_and_matches() {
        let spec: MatcherSpec =
            toml::from_str("event = \"iep_meeting_held\"\npurpose = [\"initial\", \"annual\"]\n")
                .unwrap();
        let m = EventMatcher::compile(&spec).unwrap();
        let annual = EventKind::IepMeetingHeld {
            purpose: MeetingPurpose::Annual,
            includes_transition: false,
            includes_rights_transfer_notice: false,
        };
        let amendment = EventKind::IepMeetingHeld {
            purpose: MeetingPurpose::Amendment,
            includes_transition: false,
            includes_rights_transfer_notice: false,
        };
        assert!(m.matches(tag(&annual), &annual));
        assert!(!m.matches(tag(&amendment), &amendment));
        let bad: MatcherSpec =
            toml::from_str("event = \"iep_meeting_held\"\nwritten = true\n").unwrap();
        assert!(
            EventMatcher::compile(&bad)
                .unwrap_err()
                .contains("no field `written`")
        );
    }
}
