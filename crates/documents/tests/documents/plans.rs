//! IEP and 504 plan printouts: tagged PDFs in English and Spanish whose text carries every
//! section, the service grid and the environment code, and DRAFT on a version not in effect.

use documents::{Block, Lang, PlanDocument, plan_document, plan_pdf};
use domain::plan::{PlanKind, PlanStatus};
use serde_json::json;

use crate::pdf_bytes;

pub(crate) fn iep(status: PlanStatus) -> PlanDocument {
    PlanDocument {
        student: "Leo Rivera".into(),
        birth_date: "2010-11-15".parse().unwrap(),
        kind: PlanKind::Iep,
        version: 2,
        status,
        change_summary: Some("Adds extended school year.".into()),
        content: json!({
            "meeting": {"on": "2026-10-01", "purpose": "amendment"},
            "present_levels": "Leo reads 42 words correct per minute.",
            "goals": [{"area": "Reading fluency", "description": "Leo will read aloud.",
                       "measure": "words correct per minute", "baseline": 42, "target": 90,
                       "by": "2027-06-01", "criterion": "3 consecutive probes",
                       "direction": "increase", "objectives": ["60 wcpm by January"]}],
            "progress_reporting": "Quarterly reports.",
            "services": [{"category": "related_service", "service": "Speech-language therapy",
                          "provider_role": "speech_language_pathologist", "minutes": 60,
                          "per": "week", "setting": "Speech room",
                          "start": "2026-10-02", "end": "2027-10-01"}],
            "accommodations": [{"description": "Extended time", "provider": "All teachers",
                                "setting": "Tests"}],
            "assessment": {"participation": "with_accommodations",
                           "accommodations": "Extended time"},
            "lre": {"setting": "regular_school", "regular_class_percent": 65,
                    "removal_explanation": "Small-group reading."},
            "esy": {"decision": "eligible"},
            "transition": {"postsecondary_goals": "Community college.",
                           "services": "Job shadowing.", "course_of_study": "General diploma."},
            "team": [{"name": "Ana Rivera", "role": "parent", "attendance": "present"},
                     {"name": "Dana Whitfield", "role": "lea_representative",
                      "attendance": "excused", "excusal_in_writing": true}],
            "parent_participation": "in_person"
        }),
    }
}

pub(crate) fn plan504() -> PlanDocument {
    PlanDocument {
        student: "Mía Soto".into(),
        birth_date: "2014-02-03".parse().unwrap(),
        kind: PlanKind::Plan504,
        version: 1,
        status: PlanStatus::Finalized,
        change_summary: None,
        content: json!({
            "meeting": {"on": "2026-09-15", "purpose": "initial"},
            "impairment": "Type 1 diabetes",
            "major_life_activities": ["eating", "caring for oneself"],
            "accommodations": [{"description": "Snacks and water in class",
                                "provider": "Classroom teachers", "setting": "All classes"}],
            "review_on": "2027-09-15",
            "coordinator": "Cora Lin"
        }),
    }
}

fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn an_iep_prints_in_english_and_spanish_with_its_text() {
    for (lang, code, expected) in [
        (
            Lang::En,
            "en",
            &[
                "Individualized Education Program (IEP)",
                "Measurable annual goals",
                "Speech-language",
                "60 a week",
                "RC79TO40",
                "Excused in writing",
                "What this amendment changes",
                "Adds extended school year.",
                "Postsecondary goals",
            ][..],
        ),
        (
            Lang::Es,
            "es",
            &[
                "Programa de Educación Individualizado (IEP)",
                "Metas anuales medibles",
                "60 por semana",
                "RC79TO40",
                "Dispensado por escrito",
                "Año escolar extendido",
                "Metas después de la secundaria",
            ][..],
        ),
    ] {
        let pdf = plan_pdf(&iep(PlanStatus::Finalized), lang).expect("renders");
        pdf_bytes::assert_tagged(&pdf, code);
        for role in ["/H1", "/H2", "/Table", "/TH", "/L"] {
            assert!(pdf_bytes::contains(&pdf, role), "no {role}");
        }
        if let Some(text) = pdf_bytes::pdftotext(&pdf, &format!("iep-{code}")) {
            let text = squash(&text);
            for needle in expected {
                assert!(text.contains(needle), "{code}: no `{needle}` in {text}");
            }
            assert!(
                !text.contains("DRAFT") && !text.contains("BORRADOR"),
                "{text}"
            );
        }
    }
}

#[test]
fn a_draft_says_so_in_its_title_and_first_lines() {
    let doc = plan_document(&iep(PlanStatus::Shared), Lang::En).unwrap();
    assert!(doc.title.starts_with("DRAFT"), "{}", doc.title);
    assert_eq!(doc.blocks[1], Block::Strong("DRAFT — not in effect".into()));
    let pdf = plan_pdf(&iep(PlanStatus::Draft), Lang::Es).unwrap();
    if let Some(text) = pdf_bytes::pdftotext(&pdf, "iep-draft-es") {
        assert!(text.contains("BORRADOR"), "{text}");
    }
}

#[test]
fn a_504_plan_prints_in_both_languages() {
    for (lang, code, needles) in [
        (
            Lang::En,
            "en",
            [
                "Section 504 Plan",
                "Type 1 diabetes",
                "Major life activities",
                "Cora Lin",
            ],
        ),
        (
            Lang::Es,
            "es",
            [
                "Plan de la Sección 504",
                "Type 1 diabetes",
                "Actividades principales",
                "Cora Lin",
            ],
        ),
    ] {
        let pdf = plan_pdf(&plan504(), lang).expect("renders");
        pdf_bytes::assert_tagged(&pdf, code);
        if let Some(text) = pdf_bytes::pdftotext(&pdf, &format!("504-{code}")) {
            let text = squash(&text);
            for needle in needles {
                assert!(text.contains(needle), "{code}: no `{needle}` in {text}");
            }
        }
    }
}

#[test]
fn bad_content_names_the_field() {
    let mut bad = plan504();
    bad.content = json!({"accommodations": "many"});
    let err = plan_pdf(&bad, Lang::En).unwrap_err();
    assert!(err.to_string().starts_with("content"), "{err}");
}

/// The benchmark's IEP (examples/plan_pdf.rs) is a complete plan and renders in both languages.
#[test]
fn the_benchmark_iep_is_complete_and_renders() {
    let content: serde_json::Value =
        serde_json::from_str(include_str!("../data/iep.json")).unwrap();
    let iep: domain::plan_content::IepContent = serde_json::from_value(content.clone()).unwrap();
    let ages = domain::plan_content::StudentAges {
        birth_date: "2016-04-02".parse().unwrap(),
        kindergarten: false,
        transition_age: 16,
        majority_age: 18,
    };
    assert_eq!(iep.problems(&ages), vec![]);
    let mut doc = iep_doc_from(content);
    for lang in [Lang::En, Lang::Es] {
        doc.status = PlanStatus::Finalized;
        let pdf = plan_pdf(&doc, lang).expect("renders");
        assert!(pdf.len() > 10_000);
    }
}

fn iep_doc_from(content: serde_json::Value) -> PlanDocument {
    PlanDocument {
        content,
        ..iep(PlanStatus::Finalized)
    }
}
