//! People and how they relate to a student: a user's role, and the relationship that gives a
//! staff member or a parent a reason to see one child's records.

use serde::{Deserialize, Serialize};

macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
            pub fn parse(text: &str) -> Option<$name> {
                match text { $($text => Some($name::$variant),)+ _ => None }
            }
            /// The accepted spellings, for error messages.
            pub fn expected() -> String {
                [$($text),+].join(", ")
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use string_enum;

string_enum! {
    /// A user's role, fixed per account.
    Role {
        DistrictAdmin = "district_admin",
        ComplianceViewer = "compliance_viewer",
        CaseManager = "case_manager",
        Evaluator = "evaluator",
        Coordinator504 = "coordinator_504",
        Teacher = "teacher",
        Provider = "provider",
        Parent = "parent",
        Student = "student",
    }
}

string_enum! {
    /// How a user is linked to one student.
    Relation {
        Guardian = "guardian",
        CaseManager = "case_manager",
        Evaluator = "evaluator",
        Coordinator504 = "coordinator_504",
        Teacher = "teacher",
        Provider = "provider",
        SelfStudent = "self",
    }
}

impl Role {
    /// Staff roles must use a second factor (TOTP) to sign in.
    pub fn is_staff(self) -> bool {
        !matches!(self, Role::Parent | Role::Student)
    }

    /// Roles that see every student of their district without a per-student link.
    pub fn is_district_wide(self) -> bool {
        matches!(self, Role::DistrictAdmin | Role::ComplianceViewer)
    }
}
