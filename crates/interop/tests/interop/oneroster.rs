use crate::{fixtures, read_fixture_dir};
use interop::oneroster::{
    EnrollmentRole, FileMode, GuardianLink, OrgType, RoleName, Status, parse_roster, read_dir,
};
use jiff::civil::date;
use std::collections::BTreeMap;

fn with(files: &[(&str, &str)]) -> BTreeMap<String, Vec<u8>> {
    let mut all = read_fixture_dir("oneroster");
    for (name, text) in files {
        all.insert(name.to_string(), text.as_bytes().to_vec());
    }
    all
}

fn errors_of(files: BTreeMap<String, Vec<u8>>) -> Vec<String> {
    match parse_roster(&files) {
        Ok(_) => panic!("expected errors"),
        Err(errors) => errors.errors.iter().map(ToString::to_string).collect(),
    }
}

#[test]
fn reads_the_fixture_roster() {
    let roster = read_dir(&fixtures().join("oneroster")).expect("valid roster");
    assert_eq!(roster.modes.get("users"), Some(&FileMode::Bulk));
    assert_eq!(roster.modes.get("courses"), Some(&FileMode::Absent));
    assert_eq!(roster.orgs.len(), 3);
    assert_eq!(roster.users.len(), 7);
    assert_eq!(roster.roles.len(), 7);
    assert_eq!(roster.classes.len(), 4);
    assert_eq!(roster.enrollments.len(), 9);
    assert_eq!(roster.enrollments[0].role, EnrollmentRole::Teacher);
    assert_eq!(roster.enrollments[4].end_date, Some(date(2026, 6, 5)));

    let leo = &roster.users[0];
    assert_eq!(leo.sourced_id, "stu-1");
    assert_eq!(leo.middle_name.as_deref(), Some("Ana"));
    assert_eq!(leo.agent_sourced_ids, ["par-1"]);
    assert_eq!(roster.users[3].agent_sourced_ids, ["stu-1", "stu-2"]);
    assert_eq!(roster.users[2].status, Status::ToBeDeleted);
    assert_eq!(roster.roles[3].role, RoleName::Parent);

    let schools: Vec<_> = roster.schools().iter().map(|o| o.name.as_str()).collect();
    assert_eq!(schools, ["Lincoln Elementary", "Adams Middle"]);
    assert_eq!(roster.orgs[0].org_type, OrgType::District);
}

#[test]
fn derives_students_with_demographics() {
    let roster = read_dir(&fixtures().join("oneroster")).expect("valid roster");
    let students = roster.students();
    let ids: Vec<_> = students.iter().map(|s| s.sourced_id.as_str()).collect();
    assert_eq!(ids, ["stu-1", "stu-2", "stu-3"]);
    assert_eq!(students[0].birth_date, Some(date(2017, 4, 2)));
    assert_eq!(students[0].sex, Some("M"));
    assert_eq!(
        students[0].race_ethnicity,
        Some("HI7"),
        "Hispanic of any race"
    );
    assert_eq!(students[1].race_ethnicity, Some("MU7"), "two races marked");
    assert_eq!(students[1].grades, ["KG"]);
    assert_eq!(students[2].race_ethnicity, Some("BL7"));
    assert_eq!(students[2].sex, Some("X"));
    assert_eq!(students[2].status, Status::ToBeDeleted);
    assert_eq!(students[0].school_sourced_ids, ["sch-lincoln"]);
}

#[test]
fn links_guardians_from_either_side() {
    let roster = read_dir(&fixtures().join("oneroster")).expect("valid roster");
    let link = |s: &str, g: &str, r: &str| GuardianLink {
        student_sourced_id: s.into(),
        guardian_sourced_id: g.into(),
        relationship: r.into(),
    };
    assert_eq!(
        roster.guardian_links(),
        [
            link("stu-1", "par-1", "parent"),
            link("stu-2", "par-1", "parent"),
            link("stu-2", "par-2", "guardian"),
        ]
    );
    assert_eq!(roster.guardians().len(), 2);
    assert_eq!(roster.teachers().len(), 2);
}

#[test]
fn links_teachers_through_active_shared_classes() {
    let roster = read_dir(&fixtures().join("oneroster")).expect("valid roster");
    let links: Vec<_> = roster
        .teacher_student_links()
        .into_iter()
        .map(|l| {
            (
                l.teacher_sourced_id,
                l.student_sourced_id,
                l.class_sourced_ids,
            )
        })
        .collect();
    // tea-2 shares only a deleted class with stu-2 and a deleted enrollment with stu-3.
    assert_eq!(
        links,
        [
            (
                "tea-1".into(),
                "stu-1".into(),
                vec!["cls-3a".to_string(), "cls-art".into()]
            ),
            ("tea-1".into(), "stu-2".into(), vec!["cls-art".to_string()]),
        ]
    );
}

#[test]
fn a_bad_date_names_file_line_field_and_expectation() {
    let demographics = "sourcedId,birthDate,sex\nstu-1,13/02/2015,male\nstu-2,2015-02-13,boy\n";
    let errors = errors_of(with(&[("demographics.csv", demographics)]));
    assert_eq!(
        errors,
        [
            r#"demographics.csv:2: birthDate: expected YYYY-MM-DD, got "13/02/2015""#,
            r#"demographics.csv:3: sex: expected one of male, female, other, unspecified, or an ext: value, got "boy""#,
        ]
    );
}

#[test]
fn missing_required_columns_and_values_are_reported() {
    let users = "sourcedId,enabledUser,username,givenName\nu1,true,u,U\n";
    let roles = "sourcedId,userSourcedId,roleType,role,orgSourcedId\nr1,,primary,pupil,o1\nr2,u1,main,student,o1\n";
    let errors = errors_of(with(&[("users.csv", users), ("roles.csv", roles)]));
    assert_eq!(
        errors,
        [
            r#"users.csv:1: header: expected a column named "familyName""#,
            r#"roles.csv:2: userSourcedId: expected a value, got """#,
            r#"roles.csv:2: role: expected one of aide, counselor, districtAdministrator, guardian, parent, principal, proctor, relative, siteAdministrator, student, systemAdministrator, teacher, or an ext: value, got "pupil""#,
            r#"roles.csv:3: roleType: expected one of primary, secondary, or an ext: value, got "main""#,
        ]
    );
}

#[test]
fn manifest_version_and_listed_files_are_checked() {
    let manifest =
        "propertyName,value\noneroster.version,1.1\nfile.users,bulk\nfile.orgs,sometimes\n";
    let mut files = with(&[("manifest.csv", manifest)]);
    files.remove("users.csv");
    let errors = errors_of(files);
    assert_eq!(
        errors,
        [
            r#"manifest.csv:2: value: expected oneroster.version 1.2, got "1.1""#,
            r#"manifest.csv:4: value: expected one of bulk, delta, absent, got "sometimes""#,
            "users.csv: file: expected the file, which manifest.csv lists as bulk",
        ]
    );
    let mut files = read_fixture_dir("oneroster");
    files.remove("manifest.csv");
    assert_eq!(
        errors_of(files),
        ["manifest.csv: file: expected a manifest.csv with oneroster.version 1.2"]
    );
}

#[test]
fn ragged_rows_and_bad_bytes_are_errors_not_panics() {
    let orgs = "sourcedId,name,type\no1,One\no2,Two,school\n";
    let classes = b"sourcedId,title,classType,schoolSourcedId\nc1,\xff\xfe,homeroom,o2\n".to_vec();
    let mut files = with(&[("orgs.csv", orgs)]);
    files.insert("classes.csv".into(), classes);
    let errors = errors_of(files);
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert_eq!(
        errors[0],
        r#"orgs.csv:2: row: expected 3 fields as in the header, got 2"#
    );
    assert_eq!(errors[1].split(": ").next(), Some("classes.csv:2"));
    assert!(
        errors[1].contains("row: expected a well-formed UTF-8 CSV row"),
        "{}",
        errors[1]
    );
}

#[test]
fn byte_order_mark_and_blank_status_are_accepted() {
    let orgs = "\u{feff}sourcedId,name,type,status\no1,One,school,\no2,Two,school,tobedeleted\n";
    let roster = parse_roster(&with(&[("orgs.csv", orgs)])).expect("valid");
    assert_eq!(roster.orgs[0].status, Status::Active);
    assert_eq!(roster.orgs[1].status, Status::ToBeDeleted);
}

#[test]
fn errors_are_capped_but_counted() {
    let mut demographics = String::from("sourcedId,birthDate\n");
    for i in 0..300 {
        demographics.push_str(&format!("s{i},bad\n"));
    }
    let files = with(&[("demographics.csv", &demographics)]);
    let Err(errors) = parse_roster(&files) else {
        panic!("expected errors")
    };
    assert_eq!(errors.errors.len(), interop::errors::ERROR_CAP);
    assert_eq!(errors.len(), 300);
    assert!(errors.to_string().ends_with("… and 100 more problems"));
}
