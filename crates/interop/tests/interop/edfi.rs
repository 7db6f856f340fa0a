use crate::fixtures;
use domain::codes::Program;
use domain::event::{ConsentFor, EvaluationType, EventKind};
use interop::edfi::{DescriptorMap, parse_edfi, read_files, to_edfi};
use interop::normalized::Batch;
use jiff::civil::date;

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(fixtures().join("edfi").join(name)).expect("fixture")
}

fn district_map() -> DescriptorMap {
    DescriptorMap::from_json(&fixture("descriptor-map.json")).expect("valid map")
}

fn fixture_batch() -> Batch {
    let bundle = fixture("district-bundle.json");
    let students = fixture("students.json");
    parse_edfi(
        &[
            ("district-bundle.json", &bundle),
            ("students.json", &students),
        ],
        &district_map(),
    )
    .expect("valid Ed-Fi")
}

fn problems(files: &[(&str, &str)], map: &DescriptorMap) -> Vec<String> {
    let files: Vec<(&str, &[u8])> = files.iter().map(|(n, t)| (*n, t.as_bytes())).collect();
    match parse_edfi(&files, map) {
        Ok(_) => panic!("expected errors"),
        Err(errors) => errors.errors.iter().map(ToString::to_string).collect(),
    }
}

#[test]
fn reads_a_bundle_and_an_array_file() {
    let batch = fixture_batch();
    assert_eq!(batch.schools.len(), 1);
    assert_eq!(batch.schools[0].name, "Lincoln Elementary");
    let ids: Vec<_> = batch
        .students
        .iter()
        .map(|s| s.unique_id.as_str())
        .collect();
    assert_eq!(ids, ["604872", "604873", "604874"]);
    assert_eq!(batch.students[1].middle_name.as_deref(), Some("Li"));
    assert_eq!(batch.students[0].birth_date, date(2014, 3, 2));

    let leo = &batch.programs[0];
    assert_eq!(leo.program, Program::Idea);
    assert_eq!(
        leo.primary_disability.as_deref(),
        Some("AUT"),
        "lowest orderOfDisability"
    );
    assert_eq!(leo.disabilities, ["AUT", "SLI"]);
    assert_eq!(leo.environment.as_deref(), Some("RC39"));
    assert_eq!(leo.iep_review_date, Some(date(2022, 8, 27)));

    let sam = batch
        .programs
        .iter()
        .find(|p| p.program == Program::Section504)
        .expect("504");
    assert_eq!(sam.section504_eligibility, Some(true));
    assert_eq!(
        sam.section504_disability_text(),
        Some("Attention Deficit Hyperactivity Disorder")
    );
    assert_eq!(batch.eligibility.len(), 2);
    assert_eq!(batch.eligibility[0].evaluation, EvaluationType::Initial);
}

#[test]
fn the_descriptor_map_resolves_district_descriptors() {
    let batch = fixture_batch();
    let maya = batch
        .programs
        .iter()
        .find(|p| p.student_unique_id == "604873")
        .expect("Maya");
    assert_eq!(maya.primary_disability.as_deref(), Some("DD"));
    assert_eq!(maya.environment.as_deref(), Some("REC10YSVCS"));
    assert_eq!(maya.exit_basis.as_deref(), Some("TRAN"));
    assert_eq!(maya.end_date, Some(date(2025, 6, 10)));
}

#[test]
fn unknown_descriptors_are_all_reported_with_their_json_path() {
    let bundle = String::from_utf8(fixture("district-bundle.json")).expect("utf-8");
    let errors = problems(&[("file.json", &bundle)], &DescriptorMap::default());
    assert_eq!(
        errors,
        [
            r#"file.json: studentSpecialEducationProgramAssociations[1].disabilities[0].disabilityDescriptor: unknown descriptor "uri://example.k12.al.us/DisabilityDescriptor#Developmental Delay"; add it to --descriptor-map"#,
            r#"file.json: studentSpecialEducationProgramAssociations[1].specialEducationSettingDescriptor: unknown descriptor "uri://example.k12.al.us/SpecialEducationSettingDescriptor#Regular EC 10+ hours"; add it to --descriptor-map"#,
            r#"file.json: studentSpecialEducationProgramAssociations[1].specialEducationExitReasonDescriptor: unknown descriptor "uri://example.k12.al.us/SpecialEducationExitReasonDescriptor#Returned to regular education"; add it to --descriptor-map"#,
        ]
    );
}

#[test]
fn a_descriptor_mapped_to_the_wrong_code_set_is_an_error() {
    let mut map = DescriptorMap::default();
    map.insert("uri://x.org/DisabilityDescriptor#Dyslexia", "RC80");
    let record = r#"[{"educationOrganizationReference": {"educationOrganizationId": 1},
      "programReference": {"educationOrganizationId": 1, "programName": "SE", "programTypeDescriptor": "p"},
      "studentReference": {"studentUniqueId": "s1"}, "beginDate": "2025-09-01",
      "disabilities": [{"disabilityDescriptor": "uri://x.org/DisabilityDescriptor#Dyslexia", "orderOfDisability": 1}]}]"#;
    assert_eq!(
        problems(
            &[("studentSpecialEducationProgramAssociations.json", record)],
            &map
        ),
        [
            r#"studentSpecialEducationProgramAssociations.json: [0].disabilities[0].disabilityDescriptor: descriptor "uri://x.org/DisabilityDescriptor#Dyslexia" maps to "RC80"; expected an IDEA disability code"#
        ]
    );
}

#[test]
fn field_errors_name_the_path_and_the_expectation() {
    // Problems are listed in the order they occur in each file.
    let students = r#"[
      {"studentUniqueId": "1", "birthDate": "13/02/2015", "firstName": "A", "lastSurname": "B"},
      {"studentUniqueId": "2", "birthDate": "2015-02-13", "lastSurname": "B"},
      {"studentUniqueId": 3, "birthDate": "2015-02-13", "firstName": "C", "lastSurname": "D"}
    ]"#;
    let section504 = r#"{"studentSection504ProgramAssociations": [
      {"educationOrganizationReference": {"educationOrganizationId": "abc"},
       "programReference": {"educationOrganizationId": 1, "programName": "504", "programTypeDescriptor": "p"},
       "studentReference": {"studentUniqueId": "s1"}, "beginDate": "2025-09-01", "section504Eligibility": true},
      {"educationOrganizationReference": {"educationOrganizationId": 1},
       "programReference": {"educationOrganizationId": 1, "programName": "504", "programTypeDescriptor": "p"},
       "studentReference": {"studentUniqueId": "s1"}, "beginDate": "2025-09-01"}
    ], "student": []}"#;
    assert_eq!(
        problems(
            &[("students.json", students), ("b.json", section504)],
            &DescriptorMap::default()
        ),
        [
            r#"students.json: [0].birthDate: expected YYYY-MM-DD, got "13/02/2015""#,
            "students.json: [1].firstName: expected a value: the field is required",
            "students.json: [2].studentUniqueId: expected a string, got integer `3`",
            r#"b.json: studentSection504ProgramAssociations[0].educationOrganizationReference.educationOrganizationId: expected i64, got string "abc""#,
            "b.json: studentSection504ProgramAssociations[1].section504Eligibility: expected a value: the field is required",
            "b.json: student: expected a resource name, one of schools, students, studentSpecialEducationProgramAssociations, studentSection504ProgramAssociations, studentSpecialEducationProgramEligibilityAssociations",
        ]
    );
}

#[test]
fn malformed_json_and_wrong_shapes_are_errors() {
    let errors = problems(
        &[
            ("a.json", "{\"students\": [\n{"),
            ("b.json", "42"),
            ("c.json", "[{\"x\": 1}]"),
        ],
        &DescriptorMap::default(),
    );
    assert_eq!(errors.len(), 3, "{errors:?}");
    assert!(
        errors[0].starts_with("a.json: line 2 column 1: expected valid JSON"),
        "{}",
        errors[0]
    );
    assert_eq!(
        errors[1],
        "b.json: $: expected an array of records or an object of resource name → array"
    );
    assert!(
        errors[2].starts_with("c.json: [0]: expected records of one of schools"),
        "{}",
        errors[2]
    );
}

#[test]
fn descriptor_map_file_is_checked() {
    let problems =
        DescriptorMap::from_json(br#"{"uri://a/DisabilityDescriptor#X": "XYZ", "uri://b": 3}"#)
            .expect_err("bad codes");
    assert_eq!(
        problems,
        [
            (
                r#""uri://a/DisabilityDescriptor#X""#.to_string(),
                r#"expected a federal disability, environment or exit code, got "XYZ""#.to_string()
            ),
            (
                r#""uri://b""#.to_string(),
                "expected a federal disability, environment or exit code, got 3".to_string()
            ),
        ]
    );
    assert!(DescriptorMap::from_json(b"[1]").is_err());
}

#[test]
fn descriptors_match_case_insensitively() {
    let record = r#"[{"educationOrganizationReference": {"educationOrganizationId": 1},
      "programReference": {"educationOrganizationId": 1, "programName": "SE", "programTypeDescriptor": "p"},
      "studentReference": {"studentUniqueId": "s1"}, "beginDate": "2025-09-01",
      "specialEducationSettingDescriptor": "URI://ED-FI.ORG/SpecialEducationSettingDescriptor#inside REGULAR class 80% or more of the day"}]"#;
    let batch =
        parse_edfi(&[("x.json", record.as_bytes())], &DescriptorMap::default()).expect("valid");
    assert_eq!(batch.programs[0].environment.as_deref(), Some("RC80"));
}

#[test]
fn records_imply_case_events_with_stable_ids() {
    let batch = fixture_batch();
    let events = batch.implied_events();
    let summary: Vec<_> = events
        .iter()
        .map(|e| {
            (
                e.student_unique_id.as_str(),
                e.event.on,
                e.event.kind.clone(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                "604872",
                date(2021, 6, 14),
                EventKind::ConsentReceived {
                    consent_for: ConsentFor::InitialEvaluation
                }
            ),
            (
                "604872",
                date(2021, 8, 23),
                EventKind::EligibilityDetermined {
                    evaluation: EvaluationType::Initial,
                    eligible: true,
                    categories: vec!["autism".into(), "speech_or_language_impairment".into()],
                }
            ),
            (
                "604873",
                date(2025, 6, 10),
                EventKind::Exited {
                    basis: "TRAN".into()
                }
            ),
            (
                "604874",
                date(2024, 10, 1),
                EventKind::ConsentReceived {
                    consent_for: ConsentFor::InitialEvaluation
                }
            ),
            (
                "604874",
                date(2024, 11, 20),
                EventKind::EligibilityDetermined {
                    evaluation: EvaluationType::Initial,
                    eligible: false,
                    categories: vec![],
                }
            ),
        ]
    );
    assert!(events[0].event.id.starts_with("edfi-consent-"));
    assert!(events[1].event.id.starts_with("edfi-eligibility-"));
    assert!(events[2].event.id.starts_with("edfi-exit-"));
    // Importing again, files in another order, yields the same ids.
    let bundle = fixture("district-bundle.json");
    let students = fixture("students.json");
    let again = parse_edfi(
        &[
            ("students.json", &students),
            ("district-bundle.json", &bundle),
        ],
        &district_map(),
    )
    .expect("valid");
    assert_eq!(again, batch);
    assert_eq!(again.implied_events(), events);
}

#[test]
fn duplicate_keys_collapse_to_the_last_record() {
    let students = r#"[
      {"studentUniqueId": "1", "birthDate": "2015-02-13", "firstName": "Old", "lastSurname": "B"},
      {"studentUniqueId": "1", "birthDate": "2015-02-13", "firstName": "New", "lastSurname": "B"}
    ]"#;
    let batch = parse_edfi(
        &[("students.json", students.as_bytes())],
        &DescriptorMap::default(),
    )
    .expect("valid");
    assert_eq!(batch.students.len(), 1);
    assert_eq!(batch.students[0].first_name, "New");
}

#[test]
fn export_import_export_is_identical() {
    let batch = fixture_batch();
    let first = to_edfi(&batch).files().expect("serializable");
    let names: Vec<_> = first.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "schools.json",
            "students.json",
            "studentSpecialEducationProgramAssociations.json",
            "studentSection504ProgramAssociations.json",
            "studentSpecialEducationProgramEligibilityAssociations.json",
        ]
    );
    // Re-imported without the district's map: the export writes canonical URIs.
    let files: Vec<(&str, &[u8])> = first
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_bytes()))
        .collect();
    let reimported = parse_edfi(&files, &DescriptorMap::default()).expect("own export reads back");
    assert_eq!(reimported, batch);
    let second = to_edfi(&reimported).files().expect("serializable");
    assert_eq!(first, second);
    // The developmental-delay code, absent from Ed-Fi's defaults, goes out under iep504's namespace.
    assert!(
        first[2]
            .1
            .contains("uri://iep504.org/DisabilityDescriptor#Developmental Delay")
    );
    assert!(first[2].1.contains(
        "uri://ed-fi.org/SpecialEducationSettingDescriptor#Inside regular class less than 40% of the day"
    ));
}

#[test]
fn read_files_reads_from_disk() {
    let dir = fixtures().join("edfi");
    let batch = read_files(
        &[
            &dir.join("district-bundle.json"),
            &dir.join("students.json"),
        ],
        Some(&dir.join("descriptor-map.json")),
    )
    .expect("valid");
    assert_eq!(batch, fixture_batch());
    let missing = read_files(&[&dir.join("nope.json")], None).expect_err("missing file");
    assert!(
        missing
            .to_string()
            .contains("nope.json: $: expected a readable file")
    );
}
