//! An IEP or a Section 504 plan as a tagged PDF in English or Spanish, built from the generic
//! document model: every element of 34 CFR 300.320 in order (the service grid and the team as
//! tables with header rows), or the 504 plan's impairment, activities and accommodations. A
//! version that is not finalized says DRAFT in its title, its first heading and every footer.

use domain::Date;
use domain::plan::{PlanKind, PlanStatus};
use domain::plan_content::{IepContent, Plan504Content, Support};

use crate::{Block, Document, DocumentError, Lang, Table, render_pdf};

/// What a plan printout needs: the student, the version and its content (as stored).
#[derive(Debug, Clone, PartialEq)]
pub struct PlanDocument {
    pub student: String,
    pub birth_date: Date,
    pub kind: PlanKind,
    pub version: i64,
    pub status: PlanStatus,
    pub change_summary: Option<String>,
    pub content: serde_json::Value,
}

/// (key, English, Spanish).
const LABELS: &[(&str, &str, &str)] = &[
    (
        "iep",
        "Individualized Education Program (IEP)",
        "Programa de Educación Individualizado (IEP)",
    ),
    ("plan504", "Section 504 Plan", "Plan de la Sección 504"),
    (
        "draft",
        "DRAFT — not in effect",
        "BORRADOR — no está en vigor",
    ),
    ("student", "Student", "Estudiante"),
    ("birth_date", "Date of birth", "Fecha de nacimiento"),
    ("version", "Version", "Versión"),
    ("status", "Status", "Estado"),
    ("meeting", "Meeting date", "Fecha de la reunión"),
    ("purpose", "Purpose", "Propósito"),
    (
        "changes",
        "What this amendment changes",
        "Qué cambia esta enmienda",
    ),
    (
        "present_levels",
        "Present levels of academic achievement and functional performance",
        "Niveles actuales de rendimiento académico y funcional",
    ),
    ("goals", "Measurable annual goals", "Metas anuales medibles"),
    ("goal", "Goal", "Meta"),
    ("area", "Area", "Área"),
    ("measure", "Measure", "Medida"),
    ("baseline", "Baseline", "Punto de partida"),
    ("target", "Target", "Objetivo"),
    ("by", "By", "Para el"),
    ("criterion", "Criterion", "Criterio"),
    (
        "objectives",
        "Short-term objectives",
        "Objetivos a corto plazo",
    ),
    (
        "progress_reporting",
        "How and when progress is reported",
        "Cómo y cuándo se informa del progreso",
    ),
    ("report_dates", "Reporting dates", "Fechas de los informes"),
    (
        "report_dates_quarterly",
        "Reporting dates (every three months from the meeting)",
        "Fechas de los informes (cada tres meses desde la reunión)",
    ),
    (
        "services",
        "Special education, related services and supplementary aids",
        "Educación especial, servicios relacionados y ayudas suplementarias",
    ),
    ("service", "Service", "Servicio"),
    ("category", "Kind", "Tipo"),
    ("provider", "Provided by", "Lo presta"),
    ("minutes", "Minutes", "Minutos"),
    ("setting", "Where", "Dónde"),
    ("dates", "Dates", "Fechas"),
    ("week", "a week", "por semana"),
    ("month", "a month", "por mes"),
    (
        "special_education",
        "Special education",
        "Educación especial",
    ),
    ("related_service", "Related service", "Servicio relacionado"),
    (
        "supplementary_aid",
        "Supplementary aid",
        "Ayuda suplementaria",
    ),
    ("accommodations", "Accommodations", "Adaptaciones"),
    ("modifications", "Modifications", "Modificaciones"),
    ("what", "Accommodation", "Adaptación"),
    (
        "assessment",
        "Participation in state and district assessments",
        "Participación en las evaluaciones estatales y del distrito",
    ),
    ("regular", "Regular assessment", "Evaluación regular"),
    (
        "with_accommodations",
        "Regular assessment with accommodations",
        "Evaluación regular con adaptaciones",
    ),
    (
        "alternate",
        "Alternate assessment",
        "Evaluación alternativa",
    ),
    (
        "lre",
        "Least restrictive environment",
        "Ambiente menos restrictivo",
    ),
    (
        "percent",
        "Time in regular class",
        "Tiempo en la clase regular",
    ),
    (
        "environment",
        "Federal environment code",
        "Código federal del ambiente",
    ),
    (
        "removal",
        "Why not with nondisabled peers the rest of the day",
        "Por qué no está con compañeros sin discapacidad el resto del día",
    ),
    ("esy", "Extended school year", "Año escolar extendido"),
    (
        "eligible",
        "Eligible for extended school year services",
        "Tiene derecho a servicios de año escolar extendido",
    ),
    (
        "not_eligible",
        "Not eligible for extended school year services",
        "No tiene derecho a servicios de año escolar extendido",
    ),
    ("transition", "Transition", "Transición"),
    (
        "postsecondary_goals",
        "Postsecondary goals",
        "Metas después de la secundaria",
    ),
    (
        "transition_services",
        "Transition services",
        "Servicios de transición",
    ),
    ("course_of_study", "Course of study", "Plan de estudios"),
    (
        "majority",
        "Rights at the age of majority",
        "Derechos al llegar a la mayoría de edad",
    ),
    ("team", "The IEP team", "El equipo del IEP"),
    ("member", "Name", "Nombre"),
    ("role", "Role", "Función"),
    ("attendance", "Attendance", "Asistencia"),
    ("present", "Present", "Presente"),
    ("excused", "Excused", "Dispensado"),
    (
        "excused_writing",
        "Excused in writing",
        "Dispensado por escrito",
    ),
    ("absent", "Absent", "Ausente"),
    (
        "parent_participation",
        "How the parent took part",
        "Cómo participó el padre o la madre",
    ),
    ("in_person", "In person", "En persona"),
    ("phone", "By phone", "Por teléfono"),
    ("video", "By video", "Por video"),
    (
        "did_not_attend_after_attempts",
        "Did not attend after the school's documented attempts",
        "No asistió después de los intentos documentados de la escuela",
    ),
    ("parent", "Parent", "Padre o madre"),
    (
        "regular_education_teacher",
        "Regular education teacher",
        "Maestro de educación regular",
    ),
    (
        "special_education_teacher",
        "Special education teacher",
        "Maestro de educación especial",
    ),
    (
        "lea_representative",
        "District representative",
        "Representante del distrito",
    ),
    (
        "evaluation_interpreter",
        "Interprets evaluation results",
        "Interpreta los resultados de la evaluación",
    ),
    (
        "related_service_provider",
        "Related service provider",
        "Proveedor de servicios relacionados",
    ),
    ("other", "Other", "Otro"),
    ("impairment", "Impairment", "Impedimento"),
    (
        "activities",
        "Major life activities it substantially limits",
        "Actividades principales de la vida que limita sustancialmente",
    ),
    ("review_on", "Review date", "Fecha de revisión"),
    (
        "coordinator",
        "504 coordinator",
        "Coordinador de la Sección 504",
    ),
    ("none", "None", "Ninguna"),
    ("initial", "Initial", "Inicial"),
    ("annual", "Annual review", "Revisión anual"),
    ("reevaluation", "Reevaluation", "Reevaluación"),
    ("amendment", "Amendment", "Enmienda"),
    ("review", "Review", "Revisión"),
    ("st_draft", "Draft", "Borrador"),
    (
        "st_shared",
        "Draft shared with the family",
        "Borrador compartido con la familia",
    ),
    (
        "st_finalized",
        "Finalized, in effect",
        "Finalizado, en vigor",
    ),
    (
        "st_superseded",
        "Superseded by an amendment",
        "Reemplazado por una enmienda",
    ),
    ("st_ended", "Ended", "Terminado"),
    ("signatures", "Signatures", "Firmas"),
];

fn l(lang: Lang, key: &str) -> String {
    LABELS.iter().find(|(k, _, _)| *k == key).map_or_else(
        || key.replace('_', " "),
        |(_, en, es)| match lang {
            Lang::En => (*en).to_owned(),
            Lang::Es => (*es).to_owned(),
        },
    )
}

fn or_none(text: &str, lang: Lang) -> String {
    if text.trim().is_empty() {
        l(lang, "none")
    } else {
        text.trim().to_owned()
    }
}

fn date(d: Option<Date>, lang: Lang) -> String {
    d.map_or_else(|| l(lang, "none"), |d| lang.long_date(d))
}

fn heading(doc: &mut Document, level: u8, text: String) {
    doc.push(Block::Heading { level, text });
}

fn supports(doc: &mut Document, caption: String, rows: &[Support], lang: Lang) {
    if rows.is_empty() {
        doc.push(Block::Paragraph(l(lang, "none")));
        return;
    }
    doc.push(Block::Table(Table {
        caption: Some(caption),
        header: vec![l(lang, "what"), l(lang, "provider"), l(lang, "setting")],
        rows: rows
            .iter()
            .map(|s| vec![s.description.clone(), s.provider.clone(), s.setting.clone()])
            .collect(),
        row_headers: true,
    }));
}

fn num(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v}")
    }
}

fn iep_blocks(doc: &mut Document, c: &IepContent, lang: Lang) {
    heading(doc, 2, l(lang, "present_levels"));
    doc.push(Block::Paragraph(or_none(&c.present_levels, lang)));

    heading(doc, 2, l(lang, "goals"));
    if c.goals.is_empty() {
        doc.push(Block::Paragraph(l(lang, "none")));
    }
    for (i, g) in c.goals.iter().enumerate() {
        let title = if g.area.trim().is_empty() {
            format!("{} {}", l(lang, "goal"), i + 1)
        } else {
            format!("{} {}: {}", l(lang, "goal"), i + 1, g.area.trim())
        };
        heading(doc, 3, title);
        doc.push(Block::Paragraph(or_none(&g.description, lang)));
        doc.push(Block::KeyValues(vec![
            (l(lang, "measure"), or_none(&g.measure, lang)),
            (
                l(lang, "baseline"),
                g.baseline.map_or_else(|| l(lang, "none"), num),
            ),
            (
                l(lang, "target"),
                g.target.map_or_else(|| l(lang, "none"), num),
            ),
            (l(lang, "by"), date(g.by, lang)),
            (l(lang, "criterion"), or_none(&g.criterion, lang)),
        ]));
        let objectives: Vec<String> = g
            .objectives
            .iter()
            .filter(|o| !o.trim().is_empty())
            .cloned()
            .collect();
        if !objectives.is_empty() {
            doc.push(Block::Strong(l(lang, "objectives")));
            doc.push(Block::List {
                ordered: true,
                items: objectives,
            });
        }
    }

    heading(doc, 2, l(lang, "progress_reporting"));
    doc.push(Block::Paragraph(or_none(&c.progress_reporting, lang)));
    let schedule = c.progress_report_schedule();
    if !schedule.is_empty() {
        let which = if c.progress_report_dates.is_empty() {
            "report_dates_quarterly"
        } else {
            "report_dates"
        };
        let dates: Vec<String> = schedule.iter().map(|d| lang.long_date(*d)).collect();
        doc.push(Block::Paragraph(format!(
            "{}: {}.",
            l(lang, which),
            dates.join("; ")
        )));
    }

    heading(doc, 2, l(lang, "services"));
    if c.services.is_empty() {
        doc.push(Block::Paragraph(l(lang, "none")));
    } else {
        doc.push(Block::Table(Table {
            caption: Some(l(lang, "services")),
            // Four columns, so names and dates do not break mid-word on a portrait page.
            header: vec![
                l(lang, "service"),
                l(lang, "provider"),
                l(lang, "minutes"),
                format!("{} · {}", l(lang, "setting"), l(lang, "dates")),
            ],
            rows: c
                .services
                .iter()
                .map(|s| {
                    vec![
                        format!("{} ({})", s.service, l(lang, &s.category)),
                        s.provider_role.replace('_', " "),
                        format!("{} {}", s.minutes, l(lang, &s.per)),
                        format!(
                            "{}\n{} – {}",
                            s.setting,
                            date(s.start, lang),
                            date(s.end, lang)
                        ),
                    ]
                })
                .collect(),
            row_headers: true,
        }));
    }

    heading(doc, 2, l(lang, "accommodations"));
    supports(doc, l(lang, "accommodations"), &c.accommodations, lang);
    heading(doc, 2, l(lang, "modifications"));
    supports(doc, l(lang, "modifications"), &c.modifications, lang);

    heading(doc, 2, l(lang, "assessment"));
    let mut assessment = vec![l(lang, &c.assessment.participation)];
    if !c.assessment.accommodations.trim().is_empty() {
        assessment.push(c.assessment.accommodations.trim().to_owned());
    }
    if !c.assessment.alternate_reason.trim().is_empty() {
        assessment.push(c.assessment.alternate_reason.trim().to_owned());
    }
    doc.push(Block::Paragraph(assessment.join("\n")));

    heading(doc, 2, l(lang, "lre"));
    doc.push(Block::KeyValues(vec![
        (
            l(lang, "percent"),
            c.lre
                .regular_class_percent
                .map_or_else(|| l(lang, "none"), |p| format!("{p} %")),
        ),
        (
            l(lang, "environment"),
            c.lre
                .environment_code()
                .map_or_else(|| l(lang, "none"), str::to_owned),
        ),
        (
            l(lang, "removal"),
            or_none(&c.lre.removal_explanation, lang),
        ),
    ]));

    heading(doc, 2, l(lang, "esy"));
    let mut esy = l(lang, &c.esy.decision);
    if !c.esy.note.trim().is_empty() {
        esy = format!("{esy}. {}", c.esy.note.trim());
    }
    doc.push(Block::Paragraph(esy));

    let t = &c.transition;
    if !(t.postsecondary_goals.trim().is_empty()
        && t.services.trim().is_empty()
        && t.course_of_study.trim().is_empty()
        && c.age_of_majority_statement.trim().is_empty())
    {
        heading(doc, 2, l(lang, "transition"));
        doc.push(Block::KeyValues(vec![
            (
                l(lang, "postsecondary_goals"),
                or_none(&t.postsecondary_goals, lang),
            ),
            (l(lang, "transition_services"), or_none(&t.services, lang)),
            (
                l(lang, "course_of_study"),
                or_none(&t.course_of_study, lang),
            ),
            (
                l(lang, "majority"),
                or_none(&c.age_of_majority_statement, lang),
            ),
        ]));
    }

    heading(doc, 2, l(lang, "team"));
    doc.push(Block::Table(Table {
        caption: Some(l(lang, "team")),
        header: vec![l(lang, "member"), l(lang, "role"), l(lang, "attendance")],
        rows: c
            .team
            .iter()
            .map(|m| {
                let attendance = if m.attendance == "excused" && m.excusal_in_writing {
                    l(lang, "excused_writing")
                } else {
                    l(lang, &m.attendance)
                };
                vec![m.name.clone(), l(lang, &m.role), attendance]
            })
            .collect(),
        row_headers: true,
    }));
    doc.push(Block::KeyValues(vec![(
        l(lang, "parent_participation"),
        l(lang, &c.parent_participation),
    )]));
}

fn plan504_blocks(doc: &mut Document, c: &Plan504Content, lang: Lang) {
    heading(doc, 2, l(lang, "impairment"));
    doc.push(Block::Paragraph(or_none(&c.impairment, lang)));
    heading(doc, 2, l(lang, "activities"));
    let activities: Vec<String> = c
        .major_life_activities
        .iter()
        .filter(|a| !a.trim().is_empty())
        .cloned()
        .collect();
    if activities.is_empty() {
        doc.push(Block::Paragraph(l(lang, "none")));
    } else {
        doc.push(Block::List {
            ordered: false,
            items: activities,
        });
    }
    heading(doc, 2, l(lang, "accommodations"));
    supports(doc, l(lang, "accommodations"), &c.accommodations, lang);
    heading(doc, 2, l(lang, "review"));
    doc.push(Block::KeyValues(vec![
        (l(lang, "review_on"), date(c.review_on, lang)),
        (l(lang, "coordinator"), or_none(&c.coordinator, lang)),
    ]));
}

/// The document model of a plan (for tests and other renderers).
pub fn plan_document(plan: &PlanDocument, lang: Lang) -> Result<Document, DocumentError> {
    if plan.student.trim().is_empty() {
        return Err(DocumentError::input(
            "student",
            "required, a non-empty string",
        ));
    }
    let kind = match plan.kind {
        PlanKind::Iep => "iep",
        PlanKind::Plan504 => "plan504",
        _ => return Err(DocumentError::input("kind", "iep or plan504")),
    };
    let draft = plan.status.editable();
    let mut title = format!("{} · {}", l(lang, kind), plan.student.trim());
    if draft {
        title = format!("{} · {title}", l(lang, "draft"));
    }
    let mut doc = Document::new(title.clone(), lang);
    doc.footer = Some(title);
    heading(&mut doc, 1, l(lang, kind));
    if draft {
        doc.push(Block::Strong(l(lang, "draft")));
    }
    let (meeting_on, purpose) = match plan.kind {
        PlanKind::Iep => {
            let c: IepContent = serde_json::from_value(plan.content.clone())
                .map_err(|e| DocumentError::input("content", e.to_string()))?;
            (c.meeting.on, c.meeting.purpose)
        }
        _ => {
            let c: Plan504Content = serde_json::from_value(plan.content.clone())
                .map_err(|e| DocumentError::input("content", e.to_string()))?;
            (c.meeting.on, c.meeting.purpose)
        }
    };
    doc.push(Block::KeyValues(vec![
        (l(lang, "student"), plan.student.trim().to_owned()),
        (l(lang, "birth_date"), lang.long_date(plan.birth_date)),
        (l(lang, "version"), plan.version.to_string()),
        (
            l(lang, "status"),
            l(lang, &format!("st_{}", plan.status.as_str())),
        ),
        (l(lang, "meeting"), date(meeting_on, lang)),
        (
            l(lang, "purpose"),
            if purpose.is_empty() {
                l(lang, "none")
            } else {
                l(lang, &purpose)
            },
        ),
    ]));
    if let Some(summary) = plan
        .change_summary
        .as_deref()
        .filter(|s| !s.trim().is_empty())
    {
        heading(&mut doc, 2, l(lang, "changes"));
        doc.push(Block::Paragraph(summary.trim().to_owned()));
    }
    match plan.kind {
        PlanKind::Iep => {
            let c: IepContent = serde_json::from_value(plan.content.clone())
                .map_err(|e| DocumentError::input("content", e.to_string()))?;
            iep_blocks(&mut doc, &c, lang);
        }
        _ => {
            let c: Plan504Content = serde_json::from_value(plan.content.clone())
                .map_err(|e| DocumentError::input("content", e.to_string()))?;
            plan504_blocks(&mut doc, &c, lang);
        }
    }
    Ok(doc)
}

/// The plan as a tagged PDF.
pub fn plan_pdf(plan: &PlanDocument, lang: Lang) -> Result<Vec<u8>, DocumentError> {
    render_pdf(&plan_document(plan, lang)?)
}
