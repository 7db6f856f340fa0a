//! Case events: every legal fact on a student's timeline, in the shape of CONTRACT.md's case file.
//! Events are append-only; a correction is a new event whose `supersedes` names the one it replaces.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub id: String,
    pub on: Date,
    /// The id of an earlier event this one corrects; the earlier one is then ignored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supersedes: Option<String>,
    #[serde(flatten)]
    pub kind: EventKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Requester {
    Parent,
    School,
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentFor {
    InitialEvaluation,
    Reevaluation,
    InitialServices,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EvaluationType {
    Initial,
    Reevaluation,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeetingPurpose {
    Initial,
    Annual,
    Reevaluation,
    Amendment,
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RemovalKind {
    Suspension,
    Expulsion,
    InterimAlternativeSetting,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SafeguardsReason {
    Annual,
    Referral,
    Complaint,
    Discipline,
    Request,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeAction {
    Propose,
    Refuse,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeSubject {
    Identification,
    Evaluation,
    Placement,
    Fape,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Plan504Purpose {
    Initial,
    Review,
    Reevaluation,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TransferFrom {
    InState,
    OutOfState,
}

fn eligible_by_default() -> bool {
    true
}

fn is_true(b: &bool) -> bool {
    *b
}

/// The closed set of event kinds, tagged by `kind` with the fields CONTRACT.md lists.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EventKind {
    EvaluationRequested {
        by: Requester,
        written: bool,
    },
    ConsentReceived {
        #[serde(rename = "for")]
        consent_for: ConsentFor,
    },
    ConsentRefused {
        #[serde(rename = "for")]
        consent_for: ConsentFor,
    },
    EligibilityDetermined {
        evaluation: EvaluationType,
        eligible: bool,
        #[serde(default)]
        categories: Vec<String>,
    },
    IepMeetingHeld {
        purpose: MeetingPurpose,
        #[serde(default)]
        includes_transition: bool,
        #[serde(default)]
        includes_rights_transfer_notice: bool,
    },
    IepMeetingScheduled {
        meeting_on: Date,
    },
    ReevaluationWaived,
    RecordsRequested,
    RecordsProvided,
    PlacementChangeDecided {
        disciplinary: bool,
    },
    ManifestationDeterminationHeld,
    DueProcessComplaintReceived,
    ResolutionMeetingHeld,
    ResolutionWaived,
    HearingDecisionIssued,
    StateComplaintFiled,
    StateComplaintDecided,
    DisciplinaryRemoval {
        school_days: u32,
        /// CONTRACT.md calls this field `kind`, which collides with the event's own tag; it is
        /// spelled `removal` (alias `removal_kind`).
        #[serde(alias = "removal_kind")]
        removal: RemovalKind,
    },
    ProceduralSafeguardsProvided {
        reason: SafeguardsReason,
    },
    PriorWrittenNoticeSent {
        action: NoticeAction,
        subject: NoticeSubject,
    },
    IeeRequested,
    IeeGranted,
    IeeDueProcessFiled,
    RtiStarted {
        tier: u8,
    },
    RtiEnded {
        tier: u8,
    },
    /// The 504 team met and decided. `eligible` is false when an evaluation found the student
    /// not eligible (no plan follows); it is written only then, so older case files still read.
    Plan504MeetingHeld {
        purpose: Plan504Purpose,
        #[serde(default = "eligible_by_default", skip_serializing_if = "is_true")]
        eligible: bool,
    },
    PartCReferralReceived,
    TransferredIn {
        from: TransferFrom,
    },
    Exited {
        basis: String,
    },
    /// School days the student missed while an evaluation was under way (Texas extends its
    /// timeline by them when there are three or more).
    AbsencesRecorded {
        school_days: u32,
    },
    /// Services began under the student's plan.
    ServicesStarted,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_writes_the_case_file_shape() {
        let json =
            r#"{"id":"e1","kind":"consent_received","on":"2026-09-08","for":"initial_evaluation"}"#;
        let event: Event = serde_json::from_str(json).unwrap();
        assert_eq!(
            event.kind,
            EventKind::ConsentReceived {
                consent_for: ConsentFor::InitialEvaluation
            }
        );
        let back: serde_json::Value = serde_json::to_value(&event).unwrap();
        assert_eq!(
            back,
            serde_json::from_str::<serde_json::Value>(json).unwrap()
        );
    }

    #[test]
    fn unit_kinds_and_defaults() {
        let event: Event =
            serde_json::from_str(r#"{"id":"x","kind":"records_requested","on":"2026-01-05"}"#)
                .unwrap();
        assert_eq!(event.kind, EventKind::RecordsRequested);
        let meeting: Event = serde_json::from_str(
            r#"{"id":"m","kind":"iep_meeting_held","on":"2026-01-05","purpose":"annual"}"#,
        )
        .unwrap();
        assert!(matches!(
            meeting.kind,
            EventKind::IepMeetingHeld {
                includes_transition: false,
                ..
            }
        ));
    }

    #[test]
    fn unknown_kind_is_an_error() {
        let err = serde_json::from_str::<Event>(r#"{"id":"x","kind":"nope","on":"2026-01-05"}"#)
            .unwrap_err();
        assert!(err.to_string().contains("unknown variant"), "{err}");
    }
}
