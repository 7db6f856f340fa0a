//! Evaluation steps and prior written notices round-trip on SQLite and PostgreSQL: typed
//! bodies, event links, compare-and-set edits of a draft, and a sent notice that cannot change.

use domain::codes::IdeaCategory;
use domain::evaluation::{
    ConsentAnswer, IdeaDecision, ImpairmentKind, MajorLifeActivity, NoticeContents, NoticeKind,
    PriorWrittenNotice, Referral, Section504Decision, Step,
};
use domain::event::{ConsentFor, EvaluationType, NoticeAction, NoticeSubject, Requester};
use store::testing::TestDb;
use store::{StoreError, districts, evaluations, students};

fn date(s: &str) -> domain::Date {
    s.parse().unwrap()
}

fn seed(conn: &mut store::Conn) -> (i64, i64) {
    let district = districts::create_district(conn, "D", "US", &Default::default()).unwrap();
    let student = students::add_student(
        conn,
        &students::NewStudent {
            district_id: district,
            school_id: None,
            first_name: "Ana",
            last_name: "Soto",
            birth_date: date("2017-04-02"),
            jurisdiction: "US",
            grade: Some("3"),
            preferred_language: "es",
            source_id: None,
        },
    )
    .unwrap();
    (district, student)
}

#[test]
fn steps_round_trip_in_date_order_with_their_events() {
    for db in TestDb::all() {
        let mut conn = db.conn();
        let (district, student) = seed(&mut conn);
        let decision = Step::Eligibility(IdeaDecision {
            evaluation: EvaluationType::Initial,
            categories: vec![IdeaCategory::SpeechOrLanguageImpairment],
            needs_sdi: true,
            determinant_factor: None,
            sld: None,
            eligible: true,
            explanation: "Articulation — needs SDI; ñ survives".into(),
        });
        let referral = Step::Referral(Referral {
            by: Requester::Parent,
            requester: "Marta Soto".into(),
            written: true,
            concerns: "Speech".into(),
        });
        let answer = Step::ConsentAnswer(ConsentAnswer {
            consent_for: ConsentFor::InitialEvaluation,
            given: false,
        });
        let (d, r, a) = conn
            .transaction(|tx| {
                let d = evaluations::add_step(
                    tx,
                    district,
                    student,
                    date("2026-11-01"),
                    &decision,
                    None,
                )?;
                let r = evaluations::add_step(
                    tx,
                    district,
                    student,
                    date("2026-09-01"),
                    &referral,
                    None,
                )?;
                let r = evaluations::set_step_event(tx, student, r.id, "evaluation-x")?;
                let a = evaluations::add_step(
                    tx,
                    district,
                    student,
                    date("2026-09-10"),
                    &answer,
                    None,
                )?;
                Ok((d, r, a))
            })
            .unwrap();
        assert_eq!(r.event_id.as_deref(), Some("evaluation-x"));
        let listed = evaluations::list_steps(&mut conn, student).unwrap();
        assert_eq!(listed, vec![r.clone(), a, d.clone()]);
        assert_eq!(listed[2].step, decision);
        assert!(matches!(
            evaluations::get_step(&mut conn, student + 1, d.id),
            Err(StoreError::NotFound(_))
        ));
    }
}

#[test]
fn a_draft_notice_is_edited_by_revision_and_frozen_once_sent() {
    for db in TestDb::all() {
        let mut conn = db.conn();
        let (district, student) = seed(&mut conn);
        let notice = PriorWrittenNotice {
            action: NoticeAction::Refuse,
            subject: NoticeSubject::Evaluation,
            contents: NoticeContents {
                proposal: "The district refuses to evaluate.".into(),
                ..Default::default()
            },
        };
        let draft = conn
            .transaction(|tx| evaluations::add_notice(tx, district, student, None, &notice, None))
            .unwrap();
        assert_eq!(draft.revision, 1);
        assert_eq!(draft.notice, notice);
        assert_eq!(draft.kind, NoticeKind::PriorWrittenNotice);
        let mut contents = notice.contents.clone();
        contents.explanation = "Grades and screening within range.".into();
        let saved = conn
            .transaction(|tx| evaluations::update_notice(tx, student, draft.id, 1, &contents))
            .unwrap();
        assert_eq!(saved.revision, 2);
        assert_eq!(saved.notice.contents, contents);
        // A stale copy is refused.
        let stale =
            conn.transaction(|tx| evaluations::update_notice(tx, student, draft.id, 1, &contents));
        assert!(matches!(stale, Err(StoreError::Conflict(_))), "{stale:?}");
        let sent = conn
            .transaction(|tx| {
                evaluations::mark_sent(tx, student, draft.id, 2, date("2026-10-01"), "pwn-1")
            })
            .unwrap();
        assert_eq!(sent.sent_on, Some(date("2026-10-01")));
        assert_eq!(sent.event_id.as_deref(), Some("pwn-1"));
        let after =
            conn.transaction(|tx| evaluations::update_notice(tx, student, draft.id, 3, &contents));
        match after {
            Err(StoreError::Conflict(m)) => assert!(m.contains("already sent"), "{m}"),
            other => panic!("{other:?}"),
        }
        // A later draft does not hide the sent notice as the latest.
        conn.transaction(|tx| evaluations::add_notice(tx, district, student, None, &notice, None))
            .unwrap();
        let latest = evaluations::latest_notice(&mut conn, student)
            .unwrap()
            .unwrap();
        assert_eq!(latest.id, draft.id);
        // A notice drafted from another student's step is refused.
        let foreign = conn.transaction(|tx| {
            evaluations::add_notice(tx, district, student, Some(9_999), &notice, None)
        });
        assert!(matches!(foreign, Err(StoreError::NotFound(_))));
    }
}

#[test]
fn a_notice_drafted_from_a_504_decision_reads_as_a_section_504_notice() {
    for db in TestDb::all() {
        let mut conn = db.conn();
        let (district, student) = seed(&mut conn);
        let decision = Step::Section504(Section504Decision {
            evaluation: EvaluationType::Initial,
            impairment: "Seasonal allergies".into(),
            impairment_kind: ImpairmentKind::Physical,
            activities: vec![MajorLifeActivity::Breathing],
            substantially_limits: false,
            mitigating_measures_considered: false,
            episodic: false,
            eligible: false,
            explanation: String::new(),
        });
        let refusal = PriorWrittenNotice {
            action: NoticeAction::Refuse,
            subject: NoticeSubject::Identification,
            contents: NoticeContents::default(),
        };
        let notice = conn
            .transaction(|tx| {
                let step = evaluations::add_step(
                    tx,
                    district,
                    student,
                    date("2026-10-01"),
                    &decision,
                    None,
                )?;
                evaluations::add_notice(tx, district, student, Some(step.id), &refusal, None)
            })
            .unwrap();
        assert_eq!(notice.kind, NoticeKind::Section504);
        let listed = evaluations::list_notices(&mut conn, student).unwrap();
        assert_eq!(listed[0].kind, NoticeKind::Section504);
        assert_eq!(
            serde_json::to_value(&listed[0]).unwrap()["kind"],
            "section504"
        );
    }
}
