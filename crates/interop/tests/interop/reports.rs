use domain::codes::Program;
use interop::normalized::ProgramAssociation;
use interop::reports::{
    Exit, Records, Removal, ReportStudent, child_count, crdc_504, discipline, exiting,
};
use jiff::civil::{Date, date};
use serde_json::json;

fn student(id: &str, birth_date: Date) -> ReportStudent {
    ReportStudent {
        id: id.into(),
        birth_date: Some(birth_date),
        sex: Some("F".into()),
        race_ethnicity: Some("WH7".into()),
        english_learner: Some(false),
        grade: None,
    }
}

fn association(
    student: &str,
    program: Program,
    begin: Date,
    end: Option<Date>,
) -> ProgramAssociation {
    ProgramAssociation {
        student_unique_id: student.into(),
        program,
        education_organization_id: 255901,
        program_education_organization_id: 255901,
        program_name: "Special Education".into(),
        program_type_descriptor: "uri://ed-fi.org/ProgramTypeDescriptor#Special Education".into(),
        begin_date: begin,
        end_date: end,
        primary_disability: None,
        disabilities: vec![],
        environment: None,
        exit_date: None,
        exit_basis: None,
        idea_eligibility: None,
        iep_begin_date: None,
        iep_end_date: None,
        iep_review_date: None,
        last_evaluation_date: None,
        section504_eligibility: None,
        accommodation_plan: None,
        section504_disability_descriptor: None,
        section504_meeting_date: None,
        section504_eligibility_decision_date: None,
    }
}

fn idea(
    student: &str,
    begin: Date,
    end: Option<Date>,
    disabilities: &[&str],
    environment: &str,
) -> ProgramAssociation {
    ProgramAssociation {
        primary_disability: disabilities.first().map(|d| d.to_string()),
        disabilities: disabilities.iter().map(|d| d.to_string()).collect(),
        environment: Some(environment.into()),
        ..association(student, Program::Idea, begin, end)
    }
}

const COUNT_DAY: Date = date(2026, 10, 1);

#[test]
fn child_count_has_the_contract_shape() {
    let records = Records {
        students: vec![student("a", date(2016, 5, 2))],
        programs: vec![idea("a", date(2025, 9, 1), None, &["SLD"], "RC80")],
        ..Records::default()
    };
    let value = serde_json::to_value(child_count(&records, COUNT_DAY)).expect("json");
    assert_eq!(value["as_of"], json!("2026-10-01"));
    assert_eq!(value["ages_6_21"]["total"], json!(1));
    assert_eq!(value["ages_6_21"]["by_disability"]["SLD"], json!(1));
    assert_eq!(value["ages_6_21"]["by_disability"]["AUT"], json!(0));
    assert_eq!(value["ages_6_21"]["by_environment"]["RC80"], json!(1));
    assert_eq!(
        value["ages_6_21"]["by_disability_environment"]["SLD"]["RC80"],
        json!(1)
    );
    assert_eq!(
        value["ages_6_21"]["by_disability_environment"]["SLD"]["RC39"],
        json!(0)
    );
    assert_eq!(
        value["ages_6_21"]["by_age_band"],
        json!({"6-11": 1, "12-17": 0, "18-21": 0})
    );
    assert_eq!(value["ages_3_5"]["total"], json!(0));
    let keys = |v: &serde_json::Value| -> Vec<String> {
        v.as_object().expect("object").keys().cloned().collect()
    };
    assert_eq!(keys(&value), ["ages_3_5", "ages_6_21", "as_of", "warnings"]);
    assert_eq!(
        keys(&value["ages_3_5"]),
        ["by_disability", "by_environment", "total"]
    );
    assert_eq!(
        keys(&value["ages_6_21"]),
        [
            "by_age_band",
            "by_disability",
            "by_disability_environment",
            "by_environment",
            "total"
        ]
    );
    assert_eq!(keys(&value["ages_3_5"]["by_environment"]).len(), 9);
    assert_eq!(keys(&value["ages_6_21"]["by_environment"]).len(), 8);
    assert_eq!(keys(&value["ages_6_21"]["by_disability"]).len(), 13);
}

#[test]
fn age_counts_on_the_birthday_itself() {
    let records = Records {
        students: vec![
            student("six-today", date(2020, 10, 1)),
            student("six-tomorrow", date(2020, 10, 2)),
            student("twenty-two-today", date(2004, 10, 1)),
            student("three-today", date(2023, 10, 1)),
            student("three-tomorrow", date(2023, 10, 2)),
        ],
        programs: vec![
            idea("six-today", date(2025, 9, 1), None, &["DD"], "RC80"),
            idea("six-tomorrow", date(2025, 9, 1), None, &["DD"], "SC"),
            idea("twenty-two-today", date(2022, 9, 1), None, &["ID"], "RC39"),
            idea("three-today", date(2026, 10, 1), None, &["SLI"], "SPL"),
            idea("three-tomorrow", date(2026, 9, 1), None, &["SLI"], "SPL"),
        ],
        ..Records::default()
    };
    let count = child_count(&records, COUNT_DAY);
    assert_eq!(count.ages_6_21.total, 1);
    assert_eq!(count.ages_6_21.by_age_band.ages_6_11, 1);
    assert_eq!(count.ages_3_5.total, 2);
    assert_eq!(count.ages_3_5.by_environment["SC"], 1);
    assert_eq!(count.ages_3_5.by_environment["SPL"], 1);
    assert_eq!(
        count.warnings,
        [
            "student three-tomorrow: not counted: age 2 is outside 3–21",
            "student twenty-two-today: not counted: age 22 is outside 3–21",
        ]
    );
}

#[test]
fn association_dates_bound_the_count() {
    let day_before = COUNT_DAY.yesterday().expect("date");
    let day_after = COUNT_DAY.tomorrow().expect("date");
    let born = date(2014, 1, 1);
    let records = Records {
        students: ["ended-before", "ended-on", "begins-on", "begins-after"]
            .map(|id| student(id, born))
            .to_vec(),
        programs: vec![
            idea(
                "ended-before",
                date(2024, 9, 1),
                Some(day_before),
                &["SLD"],
                "RC80",
            ),
            idea(
                "ended-on",
                date(2024, 9, 1),
                Some(COUNT_DAY),
                &["SLD"],
                "RC80",
            ),
            idea("begins-on", COUNT_DAY, None, &["SLD"], "RC80"),
            idea("begins-after", day_after, None, &["SLD"], "RC80"),
        ],
        ..Records::default()
    };
    let count = child_count(&records, COUNT_DAY);
    assert_eq!(count.ages_6_21.total, 2);
    assert_eq!(
        count.to_csv().lines().nth(1),
        Some("FS002,12,SLD,RC80,WH7,F,NLEP,2")
    );
}

#[test]
fn several_disabilities_count_once_under_the_primary() {
    let records = Records {
        students: vec![student("a", date(2012, 3, 3))],
        programs: vec![
            idea(
                "a",
                date(2020, 9, 1),
                Some(date(2025, 6, 1)),
                &["SLI"],
                "RC80",
            ),
            idea(
                "a",
                date(2025, 9, 1),
                None,
                &["AUT", "SLI", "ID"],
                "RC79TO40",
            ),
            association("a", Program::Section504, date(2019, 9, 1), None),
        ],
        ..Records::default()
    };
    let count = child_count(&records, COUNT_DAY);
    assert_eq!(count.ages_6_21.total, 1);
    assert_eq!(count.ages_6_21.by_disability["AUT"], 1);
    assert_eq!(count.ages_6_21.by_disability["SLI"], 0);
    assert_eq!(count.ages_6_21.by_disability["ID"], 0);
    assert_eq!(
        count.ages_6_21.by_disability_environment["AUT"]["RC79TO40"],
        1
    );
}

#[test]
fn five_year_olds_in_kindergarten_use_school_age_environments() {
    let born = date(2021, 5, 5);
    let mut kindergartner = student("k", born);
    kindergartner.grade = Some("KG".into());
    let mut preschooler = student("p", born);
    preschooler.grade = Some("PK".into());
    let mut misplaced = student("m", date(2022, 5, 5));
    misplaced.english_learner = None;
    misplaced.sex = None;
    let records = Records {
        students: vec![kindergartner, preschooler, misplaced],
        programs: vec![
            idea("k", date(2026, 8, 20), None, &["SLI"], "RC80"),
            idea("p", date(2026, 8, 20), None, &["SLI"], "REC10YSVCS"),
            idea("m", date(2026, 8, 20), None, &["DD"], "RC80"),
        ],
        ..Records::default()
    };
    let count = child_count(&records, COUNT_DAY);
    assert_eq!(count.ages_3_5.total, 3);
    assert_eq!(count.ages_3_5.by_environment["RC80"], 2);
    assert_eq!(count.ages_3_5.by_environment["REC10YSVCS"], 1);
    assert_eq!(
        count.warnings,
        ["student m: environment RC80 is not an early-childhood environment (age 4)"]
    );
    assert_eq!(
        count.to_csv(),
        "file,age,disability,environment,race_ethnicity,sex,english_learner,count\n\
         FS002,5,SLI,RC80,WH7,F,NLEP,1\n\
         FS089,4,DD,RC80,WH7,MISSING,MISSING,1\n\
         FS089,5,SLI,REC10YSVCS,WH7,F,NLEP,1\n"
    );
}

#[test]
fn students_without_a_birth_date_are_reported_not_counted() {
    let mut unknown = student("u", date(2015, 1, 1));
    unknown.birth_date = None;
    let records = Records {
        students: vec![unknown],
        programs: vec![idea("u", date(2025, 9, 1), None, &["SLD"], "RC80")],
        ..Records::default()
    };
    let count = child_count(&records, COUNT_DAY);
    assert_eq!(count.ages_6_21.total, 0);
    assert_eq!(
        count.warnings,
        ["student u: not counted: no birth date, so no age"]
    );
}

/// The national fall-2017 IDEA child count (standards.md, OSEP Section 618) divided by 1,000 and
/// rounded to the nearest whole student:
///
/// | ages 3–21 by disability | national | ÷ 1,000 |
/// |---|---|---|
/// | SLD | 2,348,541 | 2,349 |
/// | SLI | 1,346,513 | 1,347 |
/// | OHI | 994,809 | 995 |
/// | AUT | 699,541 | 700 |
/// | DD | 447,017 | 447 |
/// | ID | 431,845 | 432 |
/// | EMN | 337,621 | 338 |
/// | MD | 130,022 | 130 |
/// | HI | 73,337 | 73 |
/// | OI | 40,000 | 40 |
/// | VI | 27,056 | 27 |
/// | TBI | 26,437 | 26 |
/// | DB | 1,493 | 1 |
/// | total | | 6,905 |
///
/// | ages 6–21 by environment | national | ÷ 1,000 |
/// |---|---|---|
/// | RC80 | 3,893,764 | 3,894 |
/// | RC79TO40 | 1,109,687 | 1,110 |
/// | RC39 | 815,092 | 815 |
///
/// standards.md leaves the split between ages 3–5 and 6–21 and the other environments open, so
/// the synthetic roster fixes them: 773 children aged 3–5 (all 447 DD and 326 SLI, in SC), and
/// the remaining 313 school-age students in SS 180, RF 20, HH 20, CF 10, PPPS 83.
#[test]
fn reproduces_the_national_2017_count_scaled_down() {
    let by_disability: [(&str, u32); 13] = [
        ("SLD", 2349),
        ("SLI", 1347),
        ("OHI", 995),
        ("AUT", 700),
        ("DD", 447),
        ("ID", 432),
        ("EMN", 338),
        ("MD", 130),
        ("HI", 73),
        ("OI", 40),
        ("VI", 27),
        ("TBI", 26),
        ("DB", 1),
    ];
    let school_age_environments: [(&str, u32); 8] = [
        ("RC80", 3894),
        ("RC79TO40", 1110),
        ("RC39", 815),
        ("SS", 180),
        ("RF", 20),
        ("HH", 20),
        ("CF", 10),
        ("PPPS", 83),
    ];
    let early_childhood: [(&str, u32); 2] = [("DD", 447), ("SLI", 326)];

    // Disabilities for ages 3–5 first, then the rest for ages 6–21, one student each.
    let mut early = Vec::new();
    let mut school = Vec::new();
    for (code, n) in by_disability {
        let young = early_childhood
            .iter()
            .find(|(c, _)| *c == code)
            .map_or(0, |(_, y)| *y);
        early.extend(std::iter::repeat_n(code, young as usize));
        school.extend(std::iter::repeat_n(code, (n - young) as usize));
    }
    let environments: Vec<&str> = school_age_environments
        .iter()
        .flat_map(|(e, n)| std::iter::repeat_n(*e, *n as usize))
        .collect();
    assert_eq!(environments.len(), school.len(), "the scaled tables agree");

    let mut records = Records::default();
    let mut add = |i: usize, age: i16, disability: &str, environment: &str| {
        let id = format!("s{i:05}");
        // Birthdays spread over the year, all before the count day, so ages are exact.
        let birth = date(2017 - age, 1 + (i % 9) as i8, 1 + (i % 28) as i8);
        records.students.push(student(&id, birth));
        records.programs.push(idea(
            &id,
            date(2017, 8, 20),
            None,
            &[disability, "SLI"],
            environment,
        ));
    };
    for (i, disability) in early.iter().enumerate() {
        add(i, 3 + (i % 2) as i16, disability, "SC");
    }
    for (i, (disability, environment)) in school.iter().zip(&environments).enumerate() {
        add(
            early.len() + i,
            6 + (i % 16) as i16,
            disability,
            environment,
        );
    }

    let count = child_count(&records, date(2017, 10, 1));
    assert!(count.warnings.is_empty(), "{:?}", count.warnings);
    assert_eq!(count.ages_3_5.total + count.ages_6_21.total, 6905);
    for (code, n) in by_disability {
        let total = count.ages_3_5.by_disability[code] + count.ages_6_21.by_disability[code];
        assert_eq!(total, n, "{code}");
    }
    for (environment, n) in school_age_environments {
        assert_eq!(
            count.ages_6_21.by_environment[environment], n,
            "{environment}"
        );
    }
    let csv_total: u32 = count
        .to_csv()
        .lines()
        .skip(1)
        .filter_map(|row| row.rsplit(',').next()?.parse::<u32>().ok())
        .sum();
    assert_eq!(csv_total, 6905);
}

#[test]
fn exiting_counts_ages_14_to_21_once_by_basis() {
    let from = date(2025, 7, 1);
    let to = date(2026, 6, 30);
    let exit = |id: &str, on: Date, basis: &str| Exit {
        student_id: id.into(),
        on,
        basis: basis.into(),
        disability: Some("SLD".into()),
    };
    let records = Records {
        students: vec![
            student("thirteen", date(2012, 1, 1)),
            student("fourteen-on-exit", date(2011, 6, 1)),
            student("twice", date(2007, 1, 1)),
            student("before-window", date(2007, 1, 1)),
        ],
        exits: vec![
            exit("thirteen", date(2025, 12, 1), "MKC"),
            exit("fourteen-on-exit", date(2025, 6, 1), "DROPOUT"),
            exit("fourteen-on-exit", date(2025, 12, 1), "TRAN"),
            exit("twice", date(2025, 9, 1), "DROPOUT"),
            exit("twice", date(2026, 6, 30), "GHS"),
            exit("before-window", date(2025, 6, 30), "GHS"),
        ],
        ..Records::default()
    };
    let report = exiting(&records, from, to);
    assert_eq!(report.total, 2);
    assert_eq!(report.by_basis["GHS"], 1);
    assert_eq!(report.by_basis["TRAN"], 1);
    assert_eq!(report.by_basis["DROPOUT"], 0);
    assert_eq!(report.by_basis.len(), 8);
    assert_eq!(report.by_age["14"], 1);
    assert_eq!(report.by_age["19"], 1);
    assert_eq!(
        report.to_csv(),
        "file,age,disability,basis_of_exit,race_ethnicity,sex,english_learner,count\n\
         FS009,14,SLD,TRAN,WH7,F,NLEP,1\n\
         FS009,19,SLD,GHS,WH7,F,NLEP,1\n"
    );
}

#[test]
fn exits_come_from_program_associations() {
    let mut program = idea(
        "a",
        date(2020, 9, 1),
        Some(date(2026, 6, 1)),
        &["EMN"],
        "RC39",
    );
    program.exit_date = Some(date(2026, 6, 1));
    program.exit_basis = Some("GHS".into());
    let exits = Exit::from_programs(&[program]);
    assert_eq!(
        exits,
        [Exit {
            student_id: "a".into(),
            on: date(2026, 6, 1),
            basis: "GHS".into(),
            disability: Some("EMN".into()),
        }]
    );
}

#[test]
fn discipline_bands_cumulative_days_per_child() {
    let from = date(2025, 7, 1);
    let to = date(2026, 6, 30);
    let removal = |id: &str, on: Date, school_days: u32| Removal {
        student_id: id.into(),
        on,
        school_days,
    };
    let born = date(2012, 2, 2);
    let records = Records {
        students: ["one", "two", "ten", "eleven", "not-idea", "outside"]
            .map(|id| student(id, born))
            .to_vec(),
        programs: ["one", "two", "ten", "eleven", "outside"]
            .map(|id| idea(id, date(2024, 9, 1), None, &["EMN"], "RC80"))
            .to_vec(),
        removals: vec![
            removal("one", date(2025, 10, 1), 1),
            removal("two", date(2025, 10, 1), 1),
            removal("two", date(2026, 2, 1), 1),
            removal("ten", date(2025, 10, 1), 4),
            removal("ten", date(2026, 3, 1), 6),
            removal("eleven", date(2025, 10, 1), 10),
            removal("eleven", date(2026, 5, 1), 1),
            removal("not-idea", date(2025, 10, 1), 3),
            removal("outside", date(2025, 6, 30), 12),
        ],
        ..Records::default()
    };
    let report = discipline(&records, from, to);
    assert_eq!(report.total, 4);
    assert_eq!(
        serde_json::to_value(&report.by_band).expect("json"),
        json!({"<=1": 1, "2-10": 2, ">10": 1})
    );
    assert_eq!(report.by_disability["EMN"], 4);
    assert_eq!(
        report.to_csv(),
        "file,removal_band,disability,race_ethnicity,sex,english_learner,count\n\
         FS088,2-10,EMN,WH7,F,NLEP,2\n\
         FS088,<=1,EMN,WH7,F,NLEP,1\n\
         FS088,>10,EMN,WH7,F,NLEP,1\n"
    );
}

#[test]
fn crdc_counts_section_504_only() {
    let born = date(2012, 2, 2);
    let plan504 = |id: &str, begin: Date, end: Option<Date>| {
        let mut p = association(id, Program::Section504, begin, end);
        p.section504_eligibility = Some(true);
        p
    };
    let mut not_eligible = plan504("ineligible", date(2025, 9, 1), None);
    not_eligible.section504_eligibility = Some(false);
    let mut el = student("only-504-el", born);
    el.english_learner = Some(true);
    el.race_ethnicity = Some("HI7".into());
    let records = Records {
        students: vec![
            student("only-504", born),
            el,
            student("both", born),
            student("ended", born),
            student("ineligible", born),
        ],
        programs: vec![
            plan504("only-504", date(2024, 9, 1), None),
            plan504("only-504-el", date(2025, 9, 1), None),
            plan504("both", date(2024, 9, 1), None),
            idea("both", date(2025, 1, 1), None, &["OHI"], "RC80"),
            plan504("ended", date(2023, 9, 1), Some(date(2025, 6, 30))),
            not_eligible,
        ],
        ..Records::default()
    };
    let report = crdc_504(&records, date(2025, 7, 1), date(2026, 6, 30));
    assert_eq!(report.total, 2);
    assert_eq!(report.by_english_learner["LEP"], 1);
    assert_eq!(report.by_race_ethnicity["HI7"], 1);
    assert_eq!(
        report.to_csv(),
        "race_ethnicity,sex,english_learner,count\nHI7,F,LEP,1\nWH7,F,NLEP,1\n"
    );
    // A snapshot on one day.
    let snapshot = crdc_504(&records, date(2024, 10, 1), date(2024, 10, 1));
    assert_eq!(
        snapshot.total, 3,
        "only-504, ended, and both (its IEP began later)"
    );
}
