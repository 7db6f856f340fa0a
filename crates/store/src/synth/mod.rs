//! The synthetic district: schools, staff with caseloads, students with one or two guardians,
//! realistic case histories at every stage, program associations and the school calendar.
//! Deterministic for a seed and an anchor date; written in chunks so a million students fit in
//! bounded memory, through multi-row INSERTs on either database.

pub mod calendar;
mod case;
mod evaluations;
mod names;
pub mod plans;
mod records;
mod toolkit;

pub use case::{Overrides, Sketch, Stage};

use crate::bulk::{BulkInsert, reserve_ids};
use crate::db::{Backend, Conn, Value};
use crate::{StoreError, districts, events, params, programs, students, users};
use case::Ctx;
use domain::Date;
use domain::people::{Relation, Role};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::BTreeMap;

/// Students generated and committed per transaction.
const CHUNK: u64 = 2_000;

#[derive(Debug, Clone)]
pub struct GenOptions {
    pub students: u64,
    pub seed: u64,
    /// `US` or `US-XX`.
    pub jurisdiction: String,
    /// "Today" for the generated histories: nothing happens after it.
    pub anchor: Date,
    /// Give one user of each role a plain username (`admin`, `parent`…) for `iep504 demo`.
    pub demo_logins: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct GenSummary {
    pub district_id: i64,
    pub schools: u64,
    pub staff: u64,
    pub guardians: u64,
    pub student_accounts: u64,
    pub students: u64,
    pub links: u64,
    pub events: u64,
    pub program_associations: u64,
    pub stages: BTreeMap<&'static str, u64>,
}

/// The plain usernames `demo` prints, one per role.
pub fn demo_username(role: Role) -> &'static str {
    match role {
        Role::DistrictAdmin => "admin",
        Role::ComplianceViewer => "compliance",
        Role::CaseManager => "casemanager",
        Role::Evaluator => "evaluator",
        Role::Coordinator504 => "coordinator504",
        Role::Teacher => "teacher",
        Role::Provider => "provider",
        Role::Parent => "parent",
        Role::Student => "student",
    }
}

/// One sign-in per role: the plain demo username when it exists, else the first user holding
/// that role. Roles nobody holds are left out.
pub fn demo_logins(conn: &mut Conn) -> Result<Vec<users::User>, StoreError> {
    let mut found = Vec::new();
    for role in Role::ALL {
        if let Some(user) = users::find_by_username(conn, demo_username(*role))?
            && user.role == *role
        {
            found.push(user);
            continue;
        }
        if let Some(row) = conn.query_opt(
            "SELECT id FROM users WHERE role = $1 AND active = TRUE ORDER BY id LIMIT 1",
            params![role.as_str()],
        )? {
            found.push(users::get_user(conn, row.int(0)?)?);
        }
    }
    Ok(found)
}

/// Checks the shape of a jurisdiction code (`US` or `US-XX`); which states have a profile is
/// the law engine's business.
pub fn validate_jurisdiction(code: &str) -> Result<(), StoreError> {
    let ok = code == "US"
        || code
            .strip_prefix("US-")
            .is_some_and(|s| s.len() == 2 && s.bytes().all(|b| b.is_ascii_uppercase()));
    if ok {
        Ok(())
    } else {
        Err(StoreError::Invalid(format!(
            "jurisdiction: expected `US` or `US-` and a state's postal code (e.g. US-TX), got `{code}`"
        )))
    }
}

/// The grade on the anchor (CEDS codes, as the child count reads them): PK, KG, 1–12, or UG (ungraded: 18–21 transition programs).
pub fn grade(birth: Date, anchor: Date) -> &'static str {
    const GRADES: [&str; 13] = [
        "KG", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12",
    ];
    let year = calendar::current_school_year_start(anchor);
    // Kindergarten is the year a child is 5 on 1 September.
    let age_sept_1 = calendar::age_on(birth, jiff::civil::date(year, 9, 1));
    match usize::try_from(age_sept_1 - 5) {
        Err(_) => "PK",
        Ok(i) => GRADES.get(i).copied().unwrap_or("UG"),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    Elementary,
    Middle,
    High,
}

fn level_of(grade: &str) -> Level {
    match grade {
        "PK" | "KG" | "1" | "2" | "3" | "4" | "5" => Level::Elementary,
        "6" | "7" | "8" => Level::Middle,
        _ => Level::High,
    }
}

#[derive(Debug)]
struct School {
    id: i64,
    level: Level,
    teachers: Vec<i64>,
    case_managers: Vec<i64>,
    coordinator: i64,
}

#[derive(Debug)]
struct Staff {
    schools: Vec<School>,
    evaluators: Vec<i64>,
    providers: Vec<i64>,
    count: u64,
    /// Display names by user id, for the plans' teams.
    names: std::collections::HashMap<i64, String>,
}

const USER_COLUMNS: &[&str] = &[
    "id",
    "district_id",
    "username",
    "display_name",
    "role",
    "preferred_language",
    "created_at",
];
const STUDENT_COLUMNS: &[&str] = &[
    "id",
    "district_id",
    "school_id",
    "first_name",
    "last_name",
    "birth_date",
    "jurisdiction",
    "grade",
    "preferred_language",
    "created_at",
];
const LINK_COLUMNS: &[&str] = &[
    "user_id",
    "student_id",
    "district_id",
    "relation",
    "created_at",
];
const EVENT_COLUMNS: &[&str] = &[
    "district_id",
    "student_id",
    "event_id",
    "on_date",
    "kind",
    "body",
    "recorded_at",
];

fn person_name(rng: &mut ChaCha8Rng) -> (&'static str, &'static str) {
    (
        names::FIRST_NAMES[rng.random_range(0..names::FIRST_NAMES.len())],
        names::LAST_NAMES[rng.random_range(0..names::LAST_NAMES.len())],
    )
}

struct UserRow<'a> {
    id: i64,
    district_id: i64,
    username: String,
    display_name: String,
    role: Role,
    language: &'a str,
    created_at: &'a str,
}

fn push_user(bulk: &mut BulkInsert, tx: &mut Conn, u: UserRow<'_>) -> Result<(), StoreError> {
    bulk.push(
        tx,
        [
            Value::Int(u.id),
            Value::Int(u.district_id),
            Value::Text(u.username),
            Value::Text(u.display_name),
            Value::from(u.role.as_str()),
            Value::from(u.language),
            Value::from(u.created_at),
        ],
    )
}

/// Creates the district's schools and staff. Sizes follow the expected enrolment: about 450
/// students per elementary, 800 per middle and 1,300 per high school; a teacher per 22
/// students; a case manager per 15 students with an IEP; a 504 coordinator per school; an
/// evaluator per 800 students; a related-service provider per 40 students receiving services.
fn create_staff(
    tx: &mut Conn,
    district_id: i64,
    n: u64,
    rng: &mut ChaCha8Rng,
    demo_logins: bool,
    created_at: &str,
) -> Result<Staff, StoreError> {
    const IEP_RATE: f64 = 0.145;
    let n = n as f64;
    let levels = [
        (Level::Elementary, 0.5, 450.0, "Elementary School"),
        (Level::Middle, 3.0 / 14.0, 800.0, "Middle School"),
        (Level::High, 4.0 / 14.0, 1300.0, "High School"),
    ];
    let mut schools = Vec::new();
    let mut plans = Vec::new();
    let mut place = 0usize;
    for (level, share, size, suffix) in levels {
        let count = ((n * share / size).round() as usize).max(1);
        let per_school = n * share / count as f64;
        for _ in 0..count {
            let base = names::PLACE_NAMES[place % names::PLACE_NAMES.len()];
            let round = place / names::PLACE_NAMES.len();
            let name = if round == 0 {
                format!("{base} {suffix}")
            } else {
                format!("{base} {} {suffix}", round + 1)
            };
            place += 1;
            let id = districts::create_school(tx, district_id, &name, None)?;
            let teachers = (per_school / 22.0).ceil().max(1.0) as usize;
            let managers = (per_school * IEP_RATE / 15.0).ceil().max(1.0) as usize;
            plans.push((teachers, managers));
            schools.push(School {
                id,
                level,
                teachers: Vec::new(),
                case_managers: Vec::new(),
                coordinator: 0,
            });
        }
    }
    let evaluators = (n / 800.0).ceil().max(1.0) as usize;
    let providers = (n * IEP_RATE * 0.55 / 40.0).ceil().max(1.0) as usize;
    let admins = if n >= 1000.0 { 2 } else { 1 };
    let per_school: usize = plans.iter().map(|(t, m)| t + m + 1).sum();
    let total = per_school + evaluators + providers + admins + 1;
    let ids = reserve_ids(tx, "users", "id", total)?;
    let mut ids = ids.into_iter();
    let mut bulk = BulkInsert::new("users", USER_COLUMNS);
    let mut seen: BTreeMap<Role, u64> = BTreeMap::new();
    let mut names = std::collections::HashMap::new();
    let mut add = |tx: &mut Conn,
                   bulk: &mut BulkInsert,
                   role: Role,
                   rng: &mut ChaCha8Rng|
     -> Result<i64, StoreError> {
        let id = ids
            .next()
            .ok_or_else(|| StoreError::Invalid("fewer user ids reserved than staff".into()))?;
        let number = seen.entry(role).or_default();
        *number += 1;
        let username = if demo_logins && *number == 1 {
            demo_username(role).to_owned()
        } else {
            format!(
                "d{district_id}.{}{:05}",
                role.as_str().replace('_', ""),
                number
            )
        };
        let (first, last) = person_name(rng);
        names.insert(id, format!("{first} {last}"));
        push_user(
            bulk,
            tx,
            UserRow {
                id,
                district_id,
                username,
                display_name: format!("{first} {last}"),
                role,
                language: "en",
                created_at,
            },
        )?;
        Ok(id)
    };
    for (school, (teachers, managers)) in schools.iter_mut().zip(plans) {
        for _ in 0..teachers {
            school
                .teachers
                .push(add(tx, &mut bulk, Role::Teacher, rng)?);
        }
        for _ in 0..managers {
            school
                .case_managers
                .push(add(tx, &mut bulk, Role::CaseManager, rng)?);
        }
        school.coordinator = add(tx, &mut bulk, Role::Coordinator504, rng)?;
    }
    let evaluators = (0..evaluators)
        .map(|_| add(tx, &mut bulk, Role::Evaluator, rng))
        .collect::<Result<Vec<_>, _>>()?;
    let providers = (0..providers)
        .map(|_| add(tx, &mut bulk, Role::Provider, rng))
        .collect::<Result<Vec<_>, _>>()?;
    for _ in 0..admins {
        add(tx, &mut bulk, Role::DistrictAdmin, rng)?;
    }
    add(tx, &mut bulk, Role::ComplianceViewer, rng)?;
    bulk.flush(tx)?;
    Ok(Staff {
        schools,
        evaluators,
        providers,
        count: total as u64,
        names,
    })
}

/// One student, decided before anything is written.
struct Draft {
    index: u64,
    sketch: Sketch,
    first: &'static str,
    last: &'static str,
    grade: &'static str,
    language: &'static str,
    school: usize,
    guardians: Vec<(&'static str, &'static str)>,
    /// (staff user, relation) links beyond the guardians.
    staff: Vec<(i64, Relation)>,
}

fn student_rng(seed: u64, index: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(index);
    rng
}

/// Showcase students for the demo logins: a 10-year-old on an IEP (the demo parent's child),
/// an 18-year-old whose rights have transferred (the demo student), a 9-year-old with a 504
/// plan. All three sit with the first teacher and case manager of the first school.
fn showcase(index: u64) -> Option<Overrides> {
    match index {
        0 => Some(Overrides {
            stage: Some(Stage::OnIep),
            age: Some(10),
            category: Some("SLD"),
        }),
        1 => Some(Overrides {
            stage: Some(Stage::OnIep),
            age: Some(18),
            category: Some("OHI"),
        }),
        2 => Some(Overrides {
            stage: Some(Stage::Plan504),
            age: Some(9),
            category: None,
        }),
        _ => None,
    }
}

fn draft(index: u64, opts: &GenOptions, ctx: &Ctx<'_>, staff: &Staff) -> Draft {
    let mut rng = student_rng(opts.seed, index);
    let overrides = if opts.demo_logins {
        showcase(index)
    } else {
        None
    };
    let sketch = case::sketch(&mut rng, ctx, overrides.unwrap_or_default());
    let (first, last) = person_name(&mut rng);
    let grade = grade(sketch.birth_date, opts.anchor);
    let level = level_of(grade);
    let candidates: Vec<usize> = staff
        .schools
        .iter()
        .enumerate()
        .filter(|(_, s)| s.level == level)
        .map(|(i, _)| i)
        .collect();
    let school = if overrides.is_some() && level == Level::Elementary {
        0
    } else {
        candidates[rng.random_range(0..candidates.len())]
    };
    let language = if rng.random_bool(0.15) { "es" } else { "en" };
    let two = rng.random_bool(0.65);
    let mut guardians = vec![if rng.random_bool(0.85) {
        (
            names::FIRST_NAMES[rng.random_range(0..names::FIRST_NAMES.len())],
            last,
        )
    } else {
        person_name(&mut rng)
    }];
    if two {
        guardians.push((
            names::FIRST_NAMES[rng.random_range(0..names::FIRST_NAMES.len())],
            if rng.random_bool(0.7) {
                last
            } else {
                person_name(&mut rng).1
            },
        ));
    }
    let home = &staff.schools[school];
    let first_of = |list: &[i64], rng: &mut ChaCha8Rng| {
        if overrides.is_some() {
            list[0]
        } else {
            list[rng.random_range(0..list.len())]
        }
    };
    let mut links = vec![(first_of(&home.teachers, &mut rng), Relation::Teacher)];
    let stage = sketch.stage;
    if matches!(stage, Stage::OnIep | Stage::EligiblePendingIep) {
        links.push((
            first_of(&home.case_managers, &mut rng),
            Relation::CaseManager,
        ));
    }
    if matches!(
        stage,
        Stage::Referred
            | Stage::InEvaluation
            | Stage::NotEligible
            | Stage::EligiblePendingIep
            | Stage::OnIep
    ) {
        links.push((first_of(&staff.evaluators, &mut rng), Relation::Evaluator));
    }
    if stage == Stage::Plan504 {
        links.push((home.coordinator, Relation::Coordinator504));
    }
    if stage == Stage::OnIep && (sketch.has_provider || overrides.is_some()) {
        links.push((first_of(&staff.providers, &mut rng), Relation::Provider));
    }
    Draft {
        index,
        sketch,
        first,
        last,
        grade,
        language,
        school,
        guardians,
        staff: links,
    }
}

/// Ids of one student's rows, assigned before anything is written.
struct Ids {
    student: i64,
    guardians: Vec<i64>,
    account: Option<i64>,
}

/// Writes one chunk of students in the caller's transaction, one table after another so every
/// foreign key points at rows already written (PostgreSQL checks them row by row).
#[allow(clippy::too_many_arguments)]
fn write_chunk(
    tx: &mut Conn,
    drafts: &[Draft],
    opts: &GenOptions,
    district_id: i64,
    staff: &Staff,
    calendar: &domain::calendar::CalendarSpec,
    created_at: &str,
    summary: &mut GenSummary,
) -> Result<(), StoreError> {
    let student_ids = reserve_ids(tx, "students", "id", drafts.len())?;
    let user_count: usize = drafts
        .iter()
        .map(|d| d.guardians.len() + usize::from(d.sketch.rights_transferred))
        .sum();
    let mut user_ids = reserve_ids(tx, "users", "id", user_count)?.into_iter();
    let mut ids = Vec::with_capacity(drafts.len());
    for (draft, &student) in drafts.iter().zip(&student_ids) {
        let mut next = || {
            user_ids
                .next()
                .ok_or_else(|| StoreError::Invalid("fewer user ids reserved than users".into()))
        };
        ids.push(Ids {
            student,
            guardians: draft
                .guardians
                .iter()
                .map(|_| next())
                .collect::<Result<_, _>>()?,
            account: if draft.sketch.rights_transferred {
                Some(next()?)
            } else {
                None
            },
        });
    }

    let mut rows = BulkInsert::new("students", STUDENT_COLUMNS);
    for (draft, id) in drafts.iter().zip(&ids) {
        rows.push(
            tx,
            params![
                id.student,
                district_id,
                staff.schools[draft.school].id,
                draft.first,
                draft.last,
                draft.sketch.birth_date,
                opts.jurisdiction.as_str(),
                draft.grade,
                draft.language,
                created_at
            ]
            .iter()
            .cloned(),
        )?;
    }
    rows.flush(tx)?;
    summary.students += rows.written;

    let mut rows = BulkInsert::new("users", USER_COLUMNS);
    for (draft, id) in drafts.iter().zip(&ids) {
        for (k, ((first, last), &user)) in draft.guardians.iter().zip(&id.guardians).enumerate() {
            let username = if opts.demo_logins && draft.index == 0 && k == 0 {
                demo_username(Role::Parent).to_owned()
            } else {
                format!("d{district_id}.guardian{:07}-{}", draft.index, k + 1)
            };
            push_user(
                &mut rows,
                tx,
                UserRow {
                    id: user,
                    district_id,
                    username,
                    display_name: format!("{first} {last}"),
                    role: Role::Parent,
                    language: draft.language,
                    created_at,
                },
            )?;
        }
        if let Some(account) = id.account {
            let username = if opts.demo_logins && draft.index == 1 {
                demo_username(Role::Student).to_owned()
            } else {
                format!("d{district_id}.student{:07}", draft.index)
            };
            push_user(
                &mut rows,
                tx,
                UserRow {
                    id: account,
                    district_id,
                    username,
                    display_name: format!("{} {}", draft.first, draft.last),
                    role: Role::Student,
                    language: draft.language,
                    created_at,
                },
            )?;
            summary.student_accounts += 1;
        }
        summary.guardians += draft.guardians.len() as u64;
        *summary
            .stages
            .entry(draft.sketch.stage.as_str())
            .or_default() += 1;
    }
    rows.flush(tx)?;

    let mut rows = BulkInsert::new("links", LINK_COLUMNS);
    for (draft, id) in drafts.iter().zip(&ids) {
        let guardians = id.guardians.iter().map(|&u| (u, Relation::Guardian));
        let account = id.account.map(|u| (u, Relation::SelfStudent));
        for (user, relation) in guardians.chain(account).chain(draft.staff.iter().copied()) {
            rows.push(
                tx,
                [
                    Value::Int(user),
                    Value::Int(id.student),
                    Value::Int(district_id),
                    Value::from(relation.as_str()),
                    Value::from(created_at),
                ],
            )?;
        }
    }
    rows.flush(tx)?;
    summary.links += rows.written;

    let mut rows = BulkInsert::new("events", EVENT_COLUMNS);
    for (draft, id) in drafts.iter().zip(&ids) {
        for event in &draft.sketch.events {
            let body =
                serde_json::to_value(event).map_err(|e| StoreError::Invalid(e.to_string()))?;
            let kind = body
                .get("kind")
                .and_then(|k| k.as_str())
                .unwrap_or_default()
                .to_owned();
            rows.push(
                tx,
                [
                    Value::Int(district_id),
                    Value::Int(id.student),
                    Value::from(&event.id),
                    Value::from(event.on),
                    Value::Text(kind),
                    Value::Text(body.to_string()),
                    Value::from(created_at),
                ],
            )?;
        }
    }
    rows.flush(tx)?;
    summary.events += rows.written;

    let mut rows = BulkInsert::new("program_associations", programs::INSERT_COLUMNS);
    for (draft, id) in drafts.iter().zip(&ids) {
        if let Some(program) = &draft.sketch.program {
            let assoc = programs::NewProgramAssociation {
                district_id,
                student_id: id.student,
                program: program.program,
                begin_date: program.begin,
                end_date: program.end,
                primary_disability: program.primary_disability(),
                disabilities: &program.disabilities,
                environment: program.environment,
                exit_basis: program.exit_basis,
                section504_disability: program.section504_disability,
                source_id: None,
            };
            programs::validate(&assoc)?;
            rows.push(tx, programs::row_values(&assoc)?)?;
        }
    }
    rows.flush(tx)?;
    summary.program_associations += rows.written;

    let linked = |draft: &Draft, relation: Relation| {
        draft
            .staff
            .iter()
            .find(|(_, r)| *r == relation)
            .map(|(user, _)| *user)
    };
    let served: Vec<records::StudentRecords<'_>> = drafts
        .iter()
        .zip(&ids)
        .map(|(draft, id)| {
            let on_iep = draft.sketch.stage == Stage::OnIep;
            records::StudentRecords {
                index: draft.index,
                student_id: id.student,
                case_manager: linked(draft, Relation::CaseManager).filter(|_| on_iep),
                events: &draft.sketch.events,
            }
        })
        .collect();

    let (transition_age, majority_age) = law::profile(&opts.jurisdiction)
        .or_else(|_| law::profile("US"))
        .map_or((16, 18), |p| {
            (p.transition_age.years, p.age_of_majority.years)
        });
    let name_of = |user: Option<i64>| -> String {
        user.and_then(|u| staff.names.get(&u).cloned())
            .unwrap_or_default()
    };
    let mut with_plans = Vec::new();
    for (draft, id) in drafts.iter().zip(&ids) {
        let stage = match draft.sketch.stage {
            Stage::OnIep => "on_iep",
            Stage::EligiblePendingIep => "eligible_pending_iep",
            Stage::Plan504 => "plan504",
            _ => continue,
        };
        let team = plans::Team {
            parent: draft
                .guardians
                .first()
                .map(|(first, last)| format!("{first} {last}"))
                .unwrap_or_default(),
            teacher: name_of(linked(draft, Relation::Teacher)),
            case_manager: name_of(linked(draft, Relation::CaseManager)),
            coordinator: name_of(linked(draft, Relation::Coordinator504)),
        };
        use domain::event::{EventKind, MeetingPurpose, Plan504Purpose};
        let meeting = draft
            .sketch
            .events
            .iter()
            .filter_map(|e| match (&e.kind, stage) {
                (EventKind::IepMeetingHeld { purpose, .. }, "on_iep") => match purpose {
                    MeetingPurpose::Initial => Some("initial"),
                    MeetingPurpose::Annual => Some("annual"),
                    MeetingPurpose::Reevaluation => Some("reevaluation"),
                    MeetingPurpose::Amendment => Some("amendment"),
                    // Not a meeting that writes the IEP (the generator records none).
                    MeetingPurpose::Other => None,
                }
                .map(|p| (e.on, p)),
                (
                    EventKind::Plan504MeetingHeld {
                        purpose,
                        eligible: true,
                    },
                    "plan504",
                ) => Some((
                    e.on,
                    match purpose {
                        Plan504Purpose::Initial => "initial",
                        Plan504Purpose::Review => "review",
                        Plan504Purpose::Reevaluation => "reevaluation",
                    },
                )),
                _ => None,
            })
            .next_back();
        let mut student = plans::StudentPlans {
            index: draft.index,
            student_id: id.student,
            first_name: draft.first.to_owned(),
            ages: domain::plan_content::StudentAges {
                birth_date: draft.sketch.birth_date,
                kindergarten: grade(draft.sketch.birth_date, opts.anchor) == "KG",
                transition_age,
                majority_age,
            },
            stage,
            meeting,
            guardian: id.guardians.first().copied(),
            teacher: linked(draft, Relation::Teacher),
            case_manager: linked(draft, Relation::CaseManager),
            coordinator: linked(draft, Relation::Coordinator504),
            provider: linked(draft, Relation::Provider),
            team,
            environment: draft
                .sketch
                .program
                .as_ref()
                .filter(|p| p.program == domain::codes::Program::Idea)
                .and_then(|p| p.environment),
            iep: None,
        };
        student.iep = plans::iep_in_effect(&student);
        with_plans.push(student);
    }
    records::write(
        tx,
        district_id,
        calendar,
        opts.anchor,
        opts.seed,
        &served,
        &mut with_plans,
        created_at,
    )?;
    evaluations::write(tx, district_id, opts.seed, &served, created_at)?;
    toolkit::write_communications(tx, district_id, opts.anchor, opts.seed, &served, created_at)?;
    plans::write(tx, district_id, opts.anchor, &with_plans, created_at)
}

/// Adds a synthetic district of `opts.students` students. Each chunk of students commits on its
/// own, so an interrupted run leaves a partial district (delete it or the file and rerun);
/// `progress(done, total)` is called after each chunk.
pub fn generate(
    conn: &mut Conn,
    opts: &GenOptions,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<GenSummary, StoreError> {
    validate_jurisdiction(&opts.jurisdiction)?;
    if opts.students == 0 {
        return Err(StoreError::Invalid(
            "students: expected a positive number".into(),
        ));
    }
    let created_at = crate::now();
    let calendar = calendar::school_calendar(opts.anchor);
    let mut district_rng = ChaCha8Rng::seed_from_u64(opts.seed);
    district_rng.set_stream(u64::MAX);
    let name = format!(
        "{} School District (synthetic)",
        names::DISTRICT_NAMES[district_rng.random_range(0..names::DISTRICT_NAMES.len())]
    );
    if conn.backend() == Backend::Sqlite {
        // WAL + NORMAL cannot corrupt the file; at worst a crash loses the last chunks of a
        // data set that can be generated again. Restored to FULL below.
        conn.execute_batch("PRAGMA synchronous = NORMAL")?;
    }
    let result = (|| {
        let (district_id, staff) = conn.transaction(|tx| {
            let district_id = districts::create_district(tx, &name, &opts.jurisdiction, &calendar)?;
            let staff = create_staff(
                tx,
                district_id,
                opts.students,
                &mut district_rng,
                opts.demo_logins,
                &created_at,
            )?;
            Ok((district_id, staff))
        })?;
        let mut summary = GenSummary {
            district_id,
            schools: staff.schools.len() as u64,
            staff: staff.count,
            ..GenSummary::default()
        };
        let ctx = Ctx {
            anchor: opts.anchor,
            school_days: calendar::SchoolDays::new(&calendar),
        };
        let mut start = 0;
        while start < opts.students {
            let end = (start + CHUNK).min(opts.students);
            let drafts: Vec<Draft> = (start..end).map(|i| draft(i, opts, &ctx, &staff)).collect();
            conn.transaction(|tx| {
                write_chunk(
                    tx,
                    &drafts,
                    opts,
                    district_id,
                    &staff,
                    &calendar,
                    &created_at,
                    &mut summary,
                )
            })?;
            progress(end, opts.students);
            start = end;
        }
        Ok(summary)
    })();
    if conn.backend() == Backend::Sqlite {
        conn.execute_batch("PRAGMA synchronous = FULL")?;
    }
    result
}

/// A parent's own binder: one family, no school staff. One child on an IEP and, for some seeds,
/// a younger sibling in RTI; the parent signs in as `parent`. Returns the district id.
pub fn family(
    conn: &mut Conn,
    seed: u64,
    anchor: Date,
    jurisdiction: &str,
) -> Result<i64, StoreError> {
    validate_jurisdiction(jurisdiction)?;
    let calendar = calendar::school_calendar(anchor);
    let ctx = Ctx {
        anchor,
        school_days: calendar::SchoolDays::new(&calendar),
    };
    let mut rng = student_rng(seed, 0);
    let (parent_first, last) = person_name(&mut rng);
    let mut children = vec![Overrides {
        stage: Some(Stage::OnIep),
        age: Some(10),
        category: Some("SLD"),
    }];
    if rng.random_bool(0.5) {
        children.push(Overrides {
            stage: Some(Stage::Rti),
            age: Some(7),
            category: None,
        });
    }
    conn.transaction(|tx| {
        let district_id = districts::create_district(tx, "Family binder", jurisdiction, &calendar)?;
        districts::mark_parent_only(tx, district_id)?;
        let parent = users::add_user(
            tx,
            &users::NewUser {
                district_id,
                username: demo_username(Role::Parent),
                display_name: &format!("{parent_first} {last}"),
                role: Role::Parent,
                password_hash: None,
                preferred_language: "en",
            },
        )?;
        for (i, overrides) in children.into_iter().enumerate() {
            let mut child_rng = student_rng(seed, i as u64 + 1);
            let sketch = case::sketch(&mut child_rng, &ctx, overrides);
            let first = names::FIRST_NAMES[child_rng.random_range(0..names::FIRST_NAMES.len())];
            let student_id = students::add_student(
                tx,
                &students::NewStudent {
                    district_id,
                    school_id: None,
                    first_name: first,
                    last_name: last,
                    birth_date: sketch.birth_date,
                    jurisdiction,
                    grade: Some(grade(sketch.birth_date, anchor)),
                    preferred_language: "en",
                    source_id: None,
                },
            )?;
            // `students::link` opens its own transaction; this whole family is one.
            tx.execute(
                "INSERT INTO links (user_id, student_id, district_id, relation, created_at)
                 VALUES ($1, $2, $3, $4, $5)",
                params![
                    parent,
                    student_id,
                    district_id,
                    Relation::Guardian.as_str(),
                    crate::now()
                ],
            )?;
            for event in &sketch.events {
                events::append(tx, district_id, student_id, event, Some(parent))?;
            }
            let child = records::StudentRecords {
                index: i as u64,
                student_id,
                case_manager: None,
                events: &sketch.events,
            };
            toolkit::family_records(tx, district_id, &child, parent, seed, anchor)?;
            if let Some(program) = &sketch.program {
                programs::insert(
                    tx,
                    &programs::NewProgramAssociation {
                        district_id,
                        student_id,
                        program: program.program,
                        begin_date: program.begin,
                        end_date: program.end,
                        primary_disability: program.primary_disability(),
                        disabilities: &program.disabilities,
                        environment: program.environment,
                        exit_basis: program.exit_basis,
                        section504_disability: program.section504_disability,
                        source_id: None,
                    },
                )?;
            }
        }
        Ok(district_id)
    })
}
