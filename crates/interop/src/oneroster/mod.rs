//! OneRoster 1.2 CSV rosters: parsing a directory's files (already read, keyed by file name)
//! into typed records, and deriving what iep504 imports from them — students with birth dates,
//! guardians, teacher–student links through shared classes, and schools.

mod derive;
mod records;
mod table;

pub use derive::{GuardianLink, RosterStudent, TeacherStudentLink};
pub use records::{
    Class, ClassType, Demographics, Enrollment, EnrollmentRole, Org, OrgType, Role, RoleName,
    RoleType, Sex, Status, User,
};

use crate::errors::ErrorList;
use std::collections::BTreeMap;
use std::path::Path;
use table::{Cells, Table};

/// One problem in a roster, rendered `file:line: field: expected …, got "…"`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}{}: {field}: {problem}", line.map(|l| format!(":{l}")).unwrap_or_default())]
pub struct RosterError {
    pub file: String,
    /// 1-based line the row starts on; `None` for a problem with the file as a whole.
    pub line: Option<u64>,
    /// The column (or `header`, `row`, `file`) the problem is in.
    pub field: String,
    pub problem: String,
}

impl RosterError {
    fn at(file: &str, line: u64, field: &str, expected: impl Into<String>) -> RosterError {
        RosterError {
            file: file.to_string(),
            line: Some(line),
            field: field.to_string(),
            problem: format!("expected {}", expected.into()),
        }
    }

    fn unreadable(file: &str, error: &csv::Error) -> RosterError {
        RosterError {
            file: file.to_string(),
            line: error.position().map(|p| p.line()),
            field: "row".to_string(),
            problem: format!("expected a well-formed UTF-8 CSV row ({error})"),
        }
    }
}

pub type RosterErrors = ErrorList<RosterError>;

/// How the manifest says a file is provided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FileMode {
    Bulk,
    Delta,
    Absent,
}

/// A whole roster. In a `bulk` file a record not listed is gone; in a `delta` file it is
/// unchanged, and `status: tobedeleted` marks removals — the integrator needs both to decide
/// which stored records to mark inactive.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize)]
pub struct Roster {
    /// Each data file's mode from `manifest.csv` (`file.users` → `users`).
    pub modes: BTreeMap<String, FileMode>,
    pub orgs: Vec<Org>,
    pub users: Vec<User>,
    pub roles: Vec<Role>,
    pub demographics: Vec<Demographics>,
    pub classes: Vec<Class>,
    pub enrollments: Vec<Enrollment>,
}

const MANIFEST: &str = "manifest.csv";
/// The data files iep504 reads, by manifest name; every other file is ignored.
const DATA_FILES: [&str; 6] = [
    "orgs",
    "users",
    "roles",
    "demographics",
    "classes",
    "enrollments",
];

/// Reads the roster files of directory `dir` and parses them; the only I/O in this module.
pub fn read_dir(dir: &Path) -> Result<Roster, RosterErrors> {
    let mut files = BTreeMap::new();
    let mut errors = RosterErrors::default();
    for name in
        std::iter::once(MANIFEST.to_string()).chain(DATA_FILES.iter().map(|f| format!("{f}.csv")))
    {
        let path = dir.join(&name);
        match std::fs::read(&path) {
            Ok(bytes) => {
                files.insert(name, bytes);
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => errors.push(RosterError {
                file: path.display().to_string(),
                line: None,
                field: "file".into(),
                problem: format!("expected a readable file ({e})"),
            }),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    parse_roster(&files)
}

/// Parses a roster from its files' contents keyed by file name (`manifest.csv`, `users.csv`, …).
/// Every problem in every file is reported; a roster with any problem is not returned.
pub fn parse_roster(files: &BTreeMap<String, Vec<u8>>) -> Result<Roster, RosterErrors> {
    let mut errors = RosterErrors::default();
    let mut roster = Roster::default();
    let Some(manifest) = files.get(MANIFEST) else {
        errors.push(RosterError {
            file: MANIFEST.into(),
            line: None,
            field: "file".into(),
            problem: "expected a manifest.csv with oneroster.version 1.2".into(),
        });
        return Err(errors);
    };
    roster.modes = read_manifest(manifest, &mut errors);
    for name in DATA_FILES {
        let file = format!("{name}.csv");
        let mode = roster.modes.get(name).copied();
        let bytes = match (mode, files.get(&file)) {
            (Some(FileMode::Absent), _) => continue,
            (_, Some(bytes)) => bytes.as_slice(),
            (Some(mode), None) => {
                errors.push(RosterError {
                    file: file.clone(),
                    line: None,
                    field: "file".into(),
                    problem: format!(
                        "expected the file, which manifest.csv lists as {}",
                        if mode == FileMode::Bulk {
                            "bulk"
                        } else {
                            "delta"
                        }
                    ),
                });
                continue;
            }
            (None, None) => continue,
        };
        match name {
            "orgs" => roster.orgs = read_orgs(&file, bytes, &mut errors),
            "users" => roster.users = read_users(&file, bytes, &mut errors),
            "roles" => roster.roles = read_roles(&file, bytes, &mut errors),
            "demographics" => roster.demographics = read_demographics(&file, bytes, &mut errors),
            "classes" => roster.classes = read_classes(&file, bytes, &mut errors),
            _ => roster.enrollments = read_enrollments(&file, bytes, &mut errors),
        }
    }
    errors.into_result(roster)
}

fn read_manifest(bytes: &[u8], errors: &mut RosterErrors) -> BTreeMap<String, FileMode> {
    let table = Table::read(MANIFEST, bytes, &["propertyName", "value"], errors);
    let mut modes = BTreeMap::new();
    let mut version_seen = false;
    table.map_rows(errors, |cells| {
        let property = cells.required("propertyName");
        if property == "oneroster.version" {
            version_seen = true;
            if cells.optional("value").as_deref() != Some("1.2") {
                cells.fail("value", "oneroster.version 1.2");
            }
        } else if let Some(file) = property.strip_prefix("file.") {
            let mode = cells.vocabulary(
                "value",
                true,
                |v| match v {
                    "bulk" => Some(FileMode::Bulk),
                    "delta" => Some(FileMode::Delta),
                    "absent" => Some(FileMode::Absent),
                    _ => None,
                },
                "bulk, delta, absent",
            );
            if let Some(mode) = mode {
                modes.insert(file.to_string(), mode);
            }
        }
    });
    let header_ok = errors.errors.iter().all(|e| e.file != MANIFEST);
    if !version_seen && header_ok {
        errors.push(RosterError {
            file: MANIFEST.into(),
            line: None,
            field: "oneroster.version".into(),
            problem: "expected a row oneroster.version,1.2".into(),
        });
    }
    modes
}

fn status(cells: &mut Cells<'_>) -> Status {
    cells
        .vocabulary("status", false, Status::parse, "active, tobedeleted")
        .unwrap_or_default()
}

fn read_orgs(file: &str, bytes: &[u8], errors: &mut RosterErrors) -> Vec<Org> {
    let table = Table::read(file, bytes, &["sourcedId", "name", "type"], errors);
    table.map_rows(errors, |c| Org {
        sourced_id: c.required("sourcedId"),
        status: status(c),
        name: c.required("name"),
        org_type: c
            .vocabulary("type", true, OrgType::parse, OrgType::EXPECTED)
            .unwrap_or(OrgType::School),
        identifier: c.optional("identifier"),
        parent_sourced_id: c.optional("parentSourcedId"),
    })
}

fn read_users(file: &str, bytes: &[u8], errors: &mut RosterErrors) -> Vec<User> {
    let required = [
        "sourcedId",
        "enabledUser",
        "username",
        "givenName",
        "familyName",
    ];
    let table = Table::read(file, bytes, &required, errors);
    table.map_rows(errors, |c| {
        let sourced_id = c.required("sourcedId");
        let status = status(c);
        let enabled_user = c.optional_bool("enabledUser");
        if enabled_user.is_none() && c.optional("enabledUser").is_none() {
            c.fail("enabledUser", "true or false");
        }
        User {
            sourced_id,
            status,
            enabled_user: enabled_user.unwrap_or(false),
            username: c.optional("username").unwrap_or_default(),
            given_name: c.required("givenName"),
            family_name: c.required("familyName"),
            middle_name: c.optional("middleName"),
            identifier: c.optional("identifier"),
            email: c.optional("email"),
            agent_sourced_ids: c.list("agentSourcedIds"),
            grades: c.list("grades"),
            primary_org_sourced_id: c.optional("primaryOrgSourcedId"),
        }
    })
}

fn read_roles(file: &str, bytes: &[u8], errors: &mut RosterErrors) -> Vec<Role> {
    let required = [
        "sourcedId",
        "userSourcedId",
        "roleType",
        "role",
        "orgSourcedId",
    ];
    let table = Table::read(file, bytes, &required, errors);
    table.map_rows(errors, |c| Role {
        sourced_id: c.required("sourcedId"),
        status: status(c),
        user_sourced_id: c.required("userSourcedId"),
        role_type: c
            .vocabulary("roleType", true, RoleType::parse, RoleType::EXPECTED)
            .unwrap_or(RoleType::Primary),
        role: c
            .vocabulary("role", true, RoleName::parse, RoleName::EXPECTED)
            .unwrap_or(RoleName::Student),
        org_sourced_id: c.required("orgSourcedId"),
        begin_date: c.optional_date("beginDate"),
        end_date: c.optional_date("endDate"),
    })
}

fn read_demographics(file: &str, bytes: &[u8], errors: &mut RosterErrors) -> Vec<Demographics> {
    let table = Table::read(file, bytes, &["sourcedId"], errors);
    table.map_rows(errors, |c| Demographics {
        sourced_id: c.required("sourcedId"),
        status: status(c),
        birth_date: c.optional_date("birthDate"),
        sex: c.vocabulary("sex", false, Sex::parse, Sex::EXPECTED),
        american_indian_or_alaska_native: c.optional_bool("americanIndianOrAlaskaNative"),
        asian: c.optional_bool("asian"),
        black_or_african_american: c.optional_bool("blackOrAfricanAmerican"),
        native_hawaiian_or_other_pacific_islander: c
            .optional_bool("nativeHawaiianOrOtherPacificIslander"),
        white: c.optional_bool("white"),
        two_or_more_races: c.optional_bool("demographicRaceTwoOrMoreRaces"),
        hispanic_or_latino_ethnicity: c.optional_bool("hispanicOrLatinoEthnicity"),
    })
}

fn read_classes(file: &str, bytes: &[u8], errors: &mut RosterErrors) -> Vec<Class> {
    let required = ["sourcedId", "title", "classType", "schoolSourcedId"];
    let table = Table::read(file, bytes, &required, errors);
    table.map_rows(errors, |c| Class {
        sourced_id: c.required("sourcedId"),
        status: status(c),
        title: c.required("title"),
        class_type: c
            .vocabulary("classType", true, ClassType::parse, ClassType::EXPECTED)
            .unwrap_or(ClassType::Scheduled),
        class_code: c.optional("classCode"),
        course_sourced_id: c.optional("courseSourcedId"),
        school_sourced_id: c.required("schoolSourcedId"),
        grades: c.list("grades"),
    })
}

fn read_enrollments(file: &str, bytes: &[u8], errors: &mut RosterErrors) -> Vec<Enrollment> {
    let required = [
        "sourcedId",
        "classSourcedId",
        "schoolSourcedId",
        "userSourcedId",
        "role",
    ];
    let table = Table::read(file, bytes, &required, errors);
    table.map_rows(errors, |c| Enrollment {
        sourced_id: c.required("sourcedId"),
        status: status(c),
        class_sourced_id: c.required("classSourcedId"),
        school_sourced_id: c.required("schoolSourcedId"),
        user_sourced_id: c.required("userSourcedId"),
        role: c
            .vocabulary(
                "role",
                true,
                EnrollmentRole::parse,
                EnrollmentRole::EXPECTED,
            )
            .unwrap_or(EnrollmentRole::Student),
        primary: c.optional_bool("primary"),
        begin_date: c.optional_date("beginDate"),
        end_date: c.optional_date("endDate"),
    })
}
