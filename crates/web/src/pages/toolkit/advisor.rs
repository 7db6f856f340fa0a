//! The plan advisor: a short questionnaire in plain words (every question may be answered
//! "I don't know"), answered with `law::advisor::advise_in` — the same engine as `iep504
//! advise` — so the recommendation, every reason and every warning carry their citation. The
//! form is a GET form: nothing is stored, and the result page's address can be bookmarked.

use super::law_lang;
use crate::error::AppError;
use crate::pages::{Chrome, render};
use crate::records_input::Fields;
use askama::Template;
use axum::extract::{Query, RawQuery};
use axum::http::StatusCode;
use axum::response::Response;
use domain::codes::IdeaCategory;
use law::advisor::{Advice, Answer, Answers, Recommendation};

/// The yes / no / don't-know questions, in the order asked (the answers file's field names).
pub const QUESTIONS: &[&str] = &[
    "suspected_disability",
    "needs_specially_designed_instruction",
    "substantially_limits_major_life_activity",
    "main_cause_is_lack_of_instruction_or_english_proficiency",
    "in_rti",
    "evaluation_requested_in_writing",
    "has_iep",
    "has_504",
];

const MAX_AGE: u32 = 30;

/// One problem with the answers: the field and the message id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerError {
    pub field: &'static str,
    pub message_id: &'static str,
}

fn value<'a>(fields: &'a Fields, name: &str) -> &'a str {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.trim())
}

fn answer(text: &str) -> Option<Answer> {
    match text {
        "yes" => Some(Answer::Yes),
        "no" => Some(Answer::No),
        "" | "unknown" => Some(Answer::Unknown),
        _ => None,
    }
}

/// The questionnaire's fields as the advisor's answers, or every problem found.
pub fn parse(fields: &Fields) -> Result<Answers, Vec<AnswerError>> {
    let mut errors = Vec::new();
    let mut answers = Answers::default();
    let age = value(fields, "age");
    if !age.is_empty() {
        match age.parse::<u32>() {
            Ok(years) if years <= MAX_AGE => answers.age = Some(years),
            _ => errors.push(AnswerError {
                field: "age",
                message_id: "adv-error-age",
            }),
        }
    }
    let category = value(fields, "idea_category");
    if !category.is_empty() && category != "unknown" {
        match IdeaCategory::parse(category) {
            Some(c) => answers.idea_category = Some(c),
            None => errors.push(AnswerError {
                field: "idea_category",
                message_id: "adv-error-choice",
            }),
        }
    }
    for &q in QUESTIONS {
        let Some(a) = answer(value(fields, q)) else {
            errors.push(AnswerError {
                field: q,
                message_id: "adv-error-choice",
            });
            continue;
        };
        let slot = match q {
            "suspected_disability" => &mut answers.suspected_disability,
            "needs_specially_designed_instruction" => {
                &mut answers.needs_specially_designed_instruction
            }
            "substantially_limits_major_life_activity" => {
                &mut answers.substantially_limits_major_life_activity
            }
            "main_cause_is_lack_of_instruction_or_english_proficiency" => {
                &mut answers.main_cause_is_lack_of_instruction_or_english_proficiency
            }
            "in_rti" => &mut answers.in_rti,
            "evaluation_requested_in_writing" => &mut answers.evaluation_requested_in_writing,
            "has_iep" => &mut answers.has_iep,
            _ => &mut answers.has_504,
        };
        *slot = a;
    }
    if errors.is_empty() {
        Ok(answers)
    } else {
        Err(errors)
    }
}

/// The recommendation's code, as CONTRACT.md spells it (and the message ids use).
pub fn recommendation_code(r: Recommendation) -> &'static str {
    match r {
        Recommendation::Iep => "iep",
        Recommendation::RequestIepEvaluation => "request_iep_evaluation",
        Recommendation::Section504 => "section_504",
        Recommendation::GeneralEducationSupport => "general_education_support",
        Recommendation::NotCoveredByIdeaAge => "not_covered_by_idea_age",
    }
}

#[derive(Debug, Clone)]
pub struct QuestionView {
    pub name: &'static str,
    /// The HTML id of the first choice (`q-in-rti`), which error links point at.
    pub id: String,
    pub legend: String,
    pub hint: String,
    pub chosen: String,
    pub error: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ResultView {
    pub code: &'static str,
    pub heading: String,
    pub next: String,
    pub reasons: Vec<(String, String)>,
    pub warnings: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "toolkit_advisor.html")]
struct AdvisorPage {
    c: Chrome,
    age: String,
    age_error: Option<String>,
    category: String,
    category_error: Option<String>,
    categories: Vec<(String, String)>,
    questions: Vec<QuestionView>,
    errors: Vec<(String, String)>,
    choices: Vec<(&'static str, String)>,
    result: Option<ResultView>,
    /// The answers as a query string, for the comparison page's "what this means".
    query: String,
}

pub fn result_view(c: &Chrome, advice: &Advice) -> ResultView {
    let code = recommendation_code(advice.recommendation);
    let id = code.replace('_', "-");
    ResultView {
        code,
        heading: c.t.get(&format!("adv-rec-{id}")),
        next: c.t.get(&format!("adv-rec-{id}-next")),
        reasons: advice
            .reasons
            .iter()
            .map(|r| (r.text.clone(), r.citation.clone()))
            .collect(),
        warnings: advice
            .warnings
            .iter()
            .map(|w| (w.text.clone(), w.citation.clone()))
            .collect(),
    }
}

/// `/toolkit/advisor`: the questions, and with `submitted` the advice.
pub async fn page(
    c: Chrome,
    Query(fields): Query<Fields>,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let submitted = fields.iter().any(|(k, _)| k == "submitted");
    let (result, errors) = if submitted {
        match parse(&fields) {
            Ok(answers) => (
                Some(law::advisor::advise_in(&answers, law_lang(&c.t))),
                Vec::new(),
            ),
            Err(errors) => (None, errors),
        }
    } else {
        (None, Vec::new())
    };
    let error_for = |name: &str| {
        errors
            .iter()
            .find(|e| e.field == name)
            .map(|e| c.t.get(e.message_id))
    };
    let t = &c.t;
    let questions = QUESTIONS
        .iter()
        .map(|&name| {
            let id = name.replace('_', "-");
            QuestionView {
                name,
                id: format!("q-{id}"),
                legend: t.get(&format!("adv-q-{id}")),
                hint: t.get(&format!("adv-h-{id}")),
                chosen: match value(&fields, name) {
                    "" => "unknown".to_owned(),
                    other => other.to_owned(),
                },
                error: error_for(name),
            }
        })
        .collect();
    let mut categories = vec![("unknown".to_owned(), t.get("adv-dont-know"))];
    categories.extend(
        IdeaCategory::ALL
            .iter()
            .map(|cat| (cat.as_str().to_owned(), t.term("category", cat.as_str()))),
    );
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = AdvisorPage {
        age: value(&fields, "age").to_owned(),
        age_error: error_for("age"),
        category: value(&fields, "idea_category").to_owned(),
        category_error: error_for("idea_category"),
        categories,
        questions,
        errors: errors
            .iter()
            .map(|e| {
                (
                    format!("q-{}", e.field.replace('_', "-")),
                    t.get(e.message_id),
                )
            })
            .collect(),
        choices: vec![
            ("yes", t.get("adv-yes")),
            ("no", t.get("adv-no")),
            ("unknown", t.get("adv-dont-know")),
        ],
        result: result.as_ref().map(|a| result_view(&c, a)),
        query: raw.unwrap_or_default(),
        c,
    };
    Ok(render(status, &page))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> Fields {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn form_answers_become_the_engines_answers() {
        let answers = parse(&fields(&[
            ("age", "9"),
            ("suspected_disability", "yes"),
            ("needs_specially_designed_instruction", "no"),
            ("idea_category", "autism"),
        ]))
        .unwrap();
        assert_eq!(answers.age, Some(9));
        assert_eq!(answers.suspected_disability, Answer::Yes);
        assert_eq!(answers.needs_specially_designed_instruction, Answer::No);
        assert_eq!(answers.in_rti, Answer::Unknown);
        assert_eq!(answers.idea_category, Some(IdeaCategory::Autism));
    }

    #[test]
    fn bad_answers_name_their_field() {
        let errors = parse(&fields(&[("age", "nine"), ("in_rti", "maybe")])).unwrap_err();
        let named: Vec<&str> = errors.iter().map(|e| e.field).collect();
        assert_eq!(named, vec!["age", "in_rti"]);
        assert!(parse(&fields(&[("age", "31")])).is_err());
        assert!(parse(&fields(&[("idea_category", "flu")])).is_err());
    }
}
