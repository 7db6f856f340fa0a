//! Plans as versioned documents. A version moves draft → shared with parents → finalized; a
//! finalized version never changes again, and an amendment is a new version that says what
//! changed. The content of each kind of plan is defined with the case-records work.

use crate::people::string_enum;
use serde::{Deserialize, Serialize};

string_enum! {
    PlanKind {
        Iep = "iep",
        Plan504 = "plan504",
        Rti = "rti",
        EvaluationReport = "evaluation_report",
        PriorWrittenNotice = "prior_written_notice",
    }
}

string_enum! {
    PlanStatus {
        Draft = "draft",
        Shared = "shared",
        Finalized = "finalized",
        Superseded = "superseded",
        Ended = "ended",
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    #[error("a {from} plan cannot become {to}")]
    BadTransition { from: PlanStatus, to: PlanStatus },
    #[error("a finalized plan never changes; amend it with a new version")]
    Immutable,
}

impl PlanStatus {
    /// The lifecycle's allowed moves.
    pub fn can_become(self, next: PlanStatus) -> bool {
        use PlanStatus::*;
        matches!(
            (self, next),
            (Draft, Shared)
                | (Draft, Finalized)
                | (Shared, Draft)
                | (Shared, Finalized)
                | (Finalized, Superseded)
                | (Finalized, Ended)
        )
    }

    pub fn transition(self, next: PlanStatus) -> Result<PlanStatus, PlanError> {
        if self.can_become(next) {
            Ok(next)
        } else {
            Err(PlanError::BadTransition {
                from: self,
                to: next,
            })
        }
    }

    /// Whether the content may still be edited.
    pub fn editable(self) -> bool {
        matches!(self, PlanStatus::Draft | PlanStatus::Shared)
    }
}

/// Whether a reader in `role` sees a version in `status`. The team sees every version; a
/// parent (or an adult student) sees what was shared with them and what was finalized, never
/// a working draft; teachers and providers carry out finalized plans only.
pub fn visible_to(role: crate::people::Role, status: PlanStatus) -> bool {
    use crate::people::Role;
    match role {
        Role::Parent | Role::Student => status != PlanStatus::Draft,
        Role::Teacher | Role::Provider => !status.editable(),
        _ => true,
    }
}

/// One version of a plan, as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanVersion {
    pub kind: PlanKind,
    pub version: i64,
    pub status: PlanStatus,
    /// What changed, for an amendment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change_summary: Option<String>,
    pub content: serde_json::Value,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finalized_plans_only_move_forward() {
        use PlanStatus::*;
        assert!(Draft.transition(Finalized).is_ok());
        assert!(Finalized.transition(Draft).is_err());
        assert!(Finalized.transition(Shared).is_err());
        assert!(!Finalized.editable());
        assert!(Shared.editable());
    }

    #[test]
    fn parents_never_see_working_drafts_and_teachers_see_finalized_plans() {
        use crate::people::Role;
        use PlanStatus::*;
        assert!(!visible_to(Role::Parent, Draft));
        assert!(visible_to(Role::Parent, Shared));
        assert!(visible_to(Role::Parent, Finalized));
        assert!(!visible_to(Role::Teacher, Shared));
        assert!(visible_to(Role::Teacher, Finalized));
        assert!(visible_to(Role::CaseManager, Draft));
    }
}
