//! The one access policy: may this user do this to this student's record? Every route and
//! command asks `decide`; none decides on its own. A refusal is shown as "not found" at the
//! edge, so a caller cannot learn that a record exists.

use crate::people::{Relation, Role};

/// What a caller wants to do with one student's record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Read the student's record: profile, timeline, obligations, plans, progress.
    ReadRecord,
    /// Read who has looked at the record (34 CFR 300.614); guardians may see their child's.
    ReadAccessLog,
    /// Add any case event (staff who run the case).
    WriteEvent,
    /// Add an event a parent originates: a request, a consent answer, a complaint.
    WriteParentEvent,
    /// Write or edit plans, evaluations and progress data.
    WritePlan,
    /// Log service sessions and progress-monitoring data.
    LogService,
    /// Comment on a plan shared with the family before the meeting.
    CommentOnPlan,
    /// Acknowledge the accommodations of a finalized plan (each of the student's teachers).
    AcknowledgeAccommodations,
}

impl Action {
    pub const ALL: [Action; 8] = [
        Action::ReadRecord,
        Action::ReadAccessLog,
        Action::WriteEvent,
        Action::WriteParentEvent,
        Action::WritePlan,
        Action::LogService,
        Action::CommentOnPlan,
        Action::AcknowledgeAccommodations,
    ];
}

/// The caller, as far as the policy cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    pub role: Role,
    pub district_id: i64,
}

/// The student's side: their district, the caller's links to them, and whether IDEA rights
/// have transferred to the student at the age of majority (34 CFR 300.520).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target<'a> {
    pub district_id: i64,
    pub relations: &'a [Relation],
    pub rights_transferred: bool,
}

pub fn decide(actor: &Actor, action: Action, target: &Target<'_>) -> bool {
    if actor.district_id != target.district_id {
        return false;
    }
    let linked = |relation: Relation| target.relations.contains(&relation);
    match actor.role {
        // Acknowledging accommodations is a teacher's own statement; nobody makes it for them.
        Role::DistrictAdmin => action != Action::AcknowledgeAccommodations,
        Role::ComplianceViewer => matches!(action, Action::ReadRecord | Action::ReadAccessLog),
        Role::CaseManager | Role::Evaluator | Role::Coordinator504 => {
            let linked_staff = linked(Relation::CaseManager)
                || linked(Relation::Evaluator)
                || linked(Relation::Coordinator504);
            linked_staff
                && !matches!(
                    action,
                    Action::WriteParentEvent | Action::AcknowledgeAccommodations
                )
        }
        Role::Teacher => {
            linked(Relation::Teacher)
                && matches!(
                    action,
                    Action::ReadRecord | Action::LogService | Action::AcknowledgeAccommodations
                )
        }
        Role::Provider => {
            linked(Relation::Provider) && matches!(action, Action::ReadRecord | Action::LogService)
        }
        // Once rights transfer, the adult student holds them and the parent no longer does.
        Role::Parent => {
            linked(Relation::Guardian)
                && !target.rights_transferred
                && matches!(
                    action,
                    Action::ReadRecord
                        | Action::ReadAccessLog
                        | Action::WriteParentEvent
                        | Action::CommentOnPlan
                )
        }
        Role::Student => {
            linked(Relation::SelfStudent)
                && target.rights_transferred
                && matches!(
                    action,
                    Action::ReadRecord
                        | Action::ReadAccessLog
                        | Action::WriteParentEvent
                        | Action::CommentOnPlan
                )
        }
    }
}

/// How a district's records are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// A school district: staff run the case, parents add the events they originate.
    #[default]
    District,
    /// One family keeping its own records on its own computer: there are no district staff,
    /// so the parent is the only record keeper and may add every event of their own child's
    /// timeline (a meeting held, a notice received), not only the ones they originate. Plans,
    /// services and the access log keep the ordinary rules.
    ParentOnly,
}

/// [`decide`] in a district kept in `mode`. The one widening parent-only mode makes: a linked
/// parent who still holds the rights may write any event of that child.
pub fn decide_in(mode: Mode, actor: &Actor, action: Action, target: &Target<'_>) -> bool {
    if decide(actor, action, target) {
        return true;
    }
    mode == Mode::ParentOnly
        && action == Action::WriteEvent
        && actor.role == Role::Parent
        && decide(actor, Action::WriteParentEvent, target)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ACTIONS: [Action; 8] = Action::ALL;

    fn target(relations: &[Relation], transferred: bool) -> Target<'_> {
        Target {
            district_id: 1,
            relations,
            rights_transferred: transferred,
        }
    }

    #[test]
    fn no_role_crosses_districts() {
        for &role in Role::ALL {
            let actor = Actor {
                role,
                district_id: 2,
            };
            for action in ACTIONS {
                assert!(
                    !decide(&actor, action, &target(Relation::ALL, false)),
                    "{role:?}"
                );
            }
        }
    }

    #[test]
    fn unlinked_staff_and_parents_see_nothing() {
        for &role in Role::ALL.iter().filter(|r| !r.is_district_wide()) {
            let actor = Actor {
                role,
                district_id: 1,
            };
            for action in ACTIONS {
                assert!(
                    !decide(&actor, action, &target(&[], false)),
                    "{role:?} {action:?}"
                );
            }
        }
    }

    #[test]
    fn rights_move_from_parent_to_adult_student() {
        let parent = Actor {
            role: Role::Parent,
            district_id: 1,
        };
        let student = Actor {
            role: Role::Student,
            district_id: 1,
        };
        let g = [Relation::Guardian];
        let s = [Relation::SelfStudent];
        assert!(decide(&parent, Action::ReadRecord, &target(&g, false)));
        assert!(!decide(&parent, Action::ReadRecord, &target(&g, true)));
        assert!(!decide(&student, Action::ReadRecord, &target(&s, false)));
        assert!(decide(&student, Action::ReadRecord, &target(&s, true)));
    }

    #[test]
    fn compliance_viewer_reads_but_never_writes() {
        let viewer = Actor {
            role: Role::ComplianceViewer,
            district_id: 1,
        };
        assert!(decide(&viewer, Action::ReadRecord, &target(&[], false)));
        for action in [Action::WriteEvent, Action::WritePlan, Action::LogService] {
            assert!(!decide(&viewer, action, &target(&[], false)));
        }
    }

    #[test]
    fn teachers_read_and_log_but_do_not_write_the_case() {
        let teacher = Actor {
            role: Role::Teacher,
            district_id: 1,
        };
        let t = [Relation::Teacher];
        assert!(decide(&teacher, Action::ReadRecord, &target(&t, false)));
        assert!(decide(&teacher, Action::LogService, &target(&t, false)));
        assert!(!decide(&teacher, Action::WriteEvent, &target(&t, false)));
    }

    #[test]
    fn parent_only_mode_lets_the_guardian_keep_the_whole_timeline() {
        let g = [Relation::Guardian];
        let parent = Actor {
            role: Role::Parent,
            district_id: 1,
        };
        assert!(!decide_in(
            Mode::District,
            &parent,
            Action::WriteEvent,
            &target(&g, false)
        ));
        assert!(decide_in(
            Mode::ParentOnly,
            &parent,
            Action::WriteEvent,
            &target(&g, false)
        ));
        // Only events: plans, service logs stay as they are.
        for action in [Action::WritePlan, Action::LogService] {
            assert!(!decide_in(
                Mode::ParentOnly,
                &parent,
                action,
                &target(&g, false)
            ));
        }
        // Not an unlinked parent, not once rights transferred, not across districts.
        assert!(!decide_in(
            Mode::ParentOnly,
            &parent,
            Action::WriteEvent,
            &target(&[], false)
        ));
        assert!(!decide_in(
            Mode::ParentOnly,
            &parent,
            Action::WriteEvent,
            &target(&g, true)
        ));
        let elsewhere = Actor {
            role: Role::Parent,
            district_id: 2,
        };
        assert!(!decide_in(
            Mode::ParentOnly,
            &elsewhere,
            Action::WriteEvent,
            &target(&g, false)
        ));
        // Other roles gain nothing from the mode.
        for &role in Role::ALL {
            if role == Role::Parent {
                continue;
            }
            let actor = Actor {
                role,
                district_id: 1,
            };
            for action in ACTIONS {
                for relations in [&[][..], Relation::ALL] {
                    let t = target(relations, false);
                    assert_eq!(
                        decide_in(Mode::ParentOnly, &actor, action, &t),
                        decide(&actor, action, &t),
                        "{role:?} {action:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn families_comment_and_teachers_acknowledge() {
        let at = |role| Actor {
            role,
            district_id: 1,
        };
        let g = [Relation::Guardian];
        let t = [Relation::Teacher];
        let cm = [Relation::CaseManager];
        assert!(decide(
            &at(Role::Parent),
            Action::CommentOnPlan,
            &target(&g, false)
        ));
        assert!(!decide(
            &at(Role::Parent),
            Action::CommentOnPlan,
            &target(&g, true)
        ));
        assert!(!decide(
            &at(Role::Parent),
            Action::AcknowledgeAccommodations,
            &target(&g, false)
        ));
        assert!(decide(
            &at(Role::Teacher),
            Action::AcknowledgeAccommodations,
            &target(&t, false)
        ));
        assert!(!decide(
            &at(Role::Teacher),
            Action::CommentOnPlan,
            &target(&t, false)
        ));
        assert!(!decide(
            &at(Role::Teacher),
            Action::WritePlan,
            &target(&t, false)
        ));
        assert!(decide(
            &at(Role::CaseManager),
            Action::CommentOnPlan,
            &target(&cm, false)
        ));
        assert!(!decide(
            &at(Role::CaseManager),
            Action::AcknowledgeAccommodations,
            &target(&cm, false)
        ));
        assert!(!decide(
            &at(Role::Provider),
            Action::AcknowledgeAccommodations,
            &target(&[Relation::Provider], false)
        ));
    }
}
