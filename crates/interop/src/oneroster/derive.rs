//! What iep504 takes from a roster: students (users holding a student role) with their
//! demographics, guardian links through `agentSourcedIds`, teacher–student links through classes
//! both are enrolled in, and schools. Inactive (`tobedeleted`) rows are kept, flagged, so the
//! integrator can mark the stored records inactive.

use super::Roster;
use super::records::{EnrollmentRole, Org, OrgType, RoleName, Status, User};
use jiff::civil::Date;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RosterStudent {
    pub sourced_id: String,
    /// `tobedeleted` when the user or every student role of theirs is.
    pub status: Status,
    pub given_name: String,
    pub family_name: String,
    pub middle_name: Option<String>,
    /// The district's own student number (`identifier`), when given.
    pub identifier: Option<String>,
    pub birth_date: Option<Date>,
    /// EDFacts codes from demographics: `M`/`F`/`X` and `AM7`…`WH7`, `HI7`, `MU7`.
    pub sex: Option<&'static str>,
    pub race_ethnicity: Option<&'static str>,
    /// CEDS grade codes; `KG` is kindergarten (the child count reads it for 5-year-olds).
    pub grades: Vec<String>,
    /// Schools of the student's roles, in sourcedId order.
    pub school_sourced_ids: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct GuardianLink {
    pub student_sourced_id: String,
    pub guardian_sourced_id: String,
    /// `guardian`, `parent` or `relative`, from the guardian's role.
    pub relationship: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TeacherStudentLink {
    pub teacher_sourced_id: String,
    pub student_sourced_id: String,
    /// The active classes both are enrolled in, sorted.
    pub class_sourced_ids: Vec<String>,
}

impl Roster {
    fn roles_of(&self) -> BTreeMap<&str, Vec<&super::Role>> {
        let mut roles: BTreeMap<&str, Vec<&super::Role>> = BTreeMap::new();
        for role in &self.roles {
            roles
                .entry(role.user_sourced_id.as_str())
                .or_default()
                .push(role);
        }
        roles
    }

    /// Users holding a student role, in the order of `users.csv`.
    pub fn students(&self) -> Vec<RosterStudent> {
        let roles = self.roles_of();
        let demographics: BTreeMap<&str, &super::Demographics> = self
            .demographics
            .iter()
            .map(|d| (d.sourced_id.as_str(), d))
            .collect();
        self.users
            .iter()
            .filter_map(|user| {
                let student_roles: Vec<_> = roles
                    .get(user.sourced_id.as_str())?
                    .iter()
                    .filter(|r| r.role == RoleName::Student)
                    .collect();
                if student_roles.is_empty() {
                    return None;
                }
                let all_roles_deleted = student_roles
                    .iter()
                    .all(|r| r.status == Status::ToBeDeleted);
                let status = if user.status == Status::ToBeDeleted || all_roles_deleted {
                    Status::ToBeDeleted
                } else {
                    Status::Active
                };
                let schools: BTreeSet<String> = student_roles
                    .iter()
                    .map(|r| r.org_sourced_id.clone())
                    .collect();
                let demo = demographics.get(user.sourced_id.as_str());
                Some(RosterStudent {
                    sourced_id: user.sourced_id.clone(),
                    status,
                    given_name: user.given_name.clone(),
                    family_name: user.family_name.clone(),
                    middle_name: user.middle_name.clone(),
                    identifier: user.identifier.clone(),
                    birth_date: demo.and_then(|d| d.birth_date),
                    sex: demo.and_then(|d| d.sex_code()),
                    race_ethnicity: demo.and_then(|d| d.race_ethnicity()),
                    grades: user.grades.clone(),
                    school_sourced_ids: schools.into_iter().collect(),
                })
            })
            .collect()
    }

    fn users_with_role(&self, wanted: impl Fn(&RoleName) -> bool) -> BTreeMap<&str, &RoleName> {
        self.roles
            .iter()
            .filter(|r| wanted(&r.role))
            .map(|r| (r.user_sourced_id.as_str(), &r.role))
            .collect()
    }

    /// Student–guardian pairs. `agentSourcedIds` may be filled on either side (a student's
    /// guardians or a guardian's students), so both directions are read and merged.
    pub fn guardian_links(&self) -> Vec<GuardianLink> {
        let students = self.users_with_role(|r| *r == RoleName::Student);
        let guardians = self.users_with_role(RoleName::is_guardian_like);
        let mut links = BTreeSet::new();
        let mut link = |student: &str, guardian: &str| {
            if let (true, Some(role)) = (students.contains_key(student), guardians.get(guardian)) {
                links.insert(GuardianLink {
                    student_sourced_id: student.to_string(),
                    guardian_sourced_id: guardian.to_string(),
                    relationship: role.as_str().to_string(),
                });
            }
        };
        for user in &self.users {
            for agent in &user.agent_sourced_ids {
                link(&user.sourced_id, agent);
                link(agent, &user.sourced_id);
            }
        }
        links.into_iter().collect()
    }

    /// Every teacher with every student they share an active class with (active enrollments in
    /// an active class), sorted by teacher then student.
    pub fn teacher_student_links(&self) -> Vec<TeacherStudentLink> {
        let deleted_classes: BTreeSet<&str> = self
            .classes
            .iter()
            .filter(|c| c.status == Status::ToBeDeleted)
            .map(|c| c.sourced_id.as_str())
            .collect();
        let mut teachers: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        let mut students: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for e in &self.enrollments {
            if e.status == Status::ToBeDeleted
                || deleted_classes.contains(e.class_sourced_id.as_str())
            {
                continue;
            }
            let by_class = match e.role {
                EnrollmentRole::Teacher => &mut teachers,
                EnrollmentRole::Student => &mut students,
                _ => continue,
            };
            by_class
                .entry(e.class_sourced_id.as_str())
                .or_default()
                .insert(e.user_sourced_id.as_str());
        }
        let mut pairs: BTreeMap<(&str, &str), BTreeSet<&str>> = BTreeMap::new();
        for (class, class_teachers) in &teachers {
            let Some(class_students) = students.get(class) else {
                continue;
            };
            for teacher in class_teachers {
                for student in class_students {
                    pairs.entry((teacher, student)).or_default().insert(class);
                }
            }
        }
        pairs
            .into_iter()
            .map(|((teacher, student), classes)| TeacherStudentLink {
                teacher_sourced_id: teacher.to_string(),
                student_sourced_id: student.to_string(),
                class_sourced_ids: classes.into_iter().map(str::to_string).collect(),
            })
            .collect()
    }

    /// Orgs of type `school`.
    pub fn schools(&self) -> Vec<&Org> {
        self.orgs
            .iter()
            .filter(|o| o.org_type == OrgType::School)
            .collect()
    }

    /// Users holding a guardian, parent or relative role.
    pub fn guardians(&self) -> Vec<&User> {
        let guardians = self.users_with_role(RoleName::is_guardian_like);
        self.users
            .iter()
            .filter(|u| guardians.contains_key(u.sourced_id.as_str()))
            .collect()
    }

    /// Users holding a teacher role.
    pub fn teachers(&self) -> Vec<&User> {
        let teachers = self.users_with_role(|r| *r == RoleName::Teacher);
        self.users
            .iter()
            .filter(|u| teachers.contains_key(u.sourced_id.as_str()))
            .collect()
    }
}
