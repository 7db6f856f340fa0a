//! The IEP / Section 504 / RTI comparison: what each is, who qualifies, goals, progress
//! monitoring, the parent's place on the team, procedural safeguards and recourse, each cell
//! with its rule; and, when the page is opened from the advisor, "what this means for my
//! child" drawn from the same answers.

use super::advisor::{self, recommendation_code};
use super::law_lang;
use crate::error::AppError;
use crate::pages::{Chrome, ok};
use crate::records_input::Fields;
use askama::Template;
use axum::extract::Query;
use axum::response::Response;
use law::advisor::{Answer, Recommendation};

/// The comparison's rows: (aspect, citation for IEP, for 504, for RTI). The words are in the
/// catalogue (`cmp-{aspect}-{iep|504|rti}`); the citations are the same in both languages.
pub const ROWS: &[(&str, [&str; 3])] = &[
    (
        "law",
        [
            "20 U.S.C. 1400 et seq.; 34 CFR Part 300",
            "29 U.S.C. 794; 34 CFR Part 104",
            "34 CFR 300.307(a)(2); 34 CFR 300.226",
        ],
    ),
    (
        "education",
        ["34 CFR 300.39", "34 CFR 104.33(b)", "34 CFR 300.226(b)"],
    ),
    (
        "qualifies",
        [
            "34 CFR 300.8(a); 34 CFR 300.306",
            "34 CFR 104.3(j); 42 U.S.C. 12102",
            "34 CFR 300.307(a)(2)",
        ],
    ),
    (
        "goals",
        [
            "34 CFR 300.320(a)(2)",
            "34 CFR 104.33(b)(1)",
            "34 CFR 300.309(b)",
        ],
    ),
    (
        "progress",
        [
            "34 CFR 300.320(a)(3)",
            "34 CFR 104.35(d)",
            "34 CFR 300.309(b)(2)",
        ],
    ),
    (
        "parent",
        [
            "34 CFR 300.321(a)(1); 34 CFR 300.322",
            "34 CFR 104.35(c)",
            "34 CFR 300.309(b)(2)",
        ],
    ),
    (
        "safeguards",
        [
            "34 CFR 300.500–300.520; 34 CFR 300.503; 34 CFR 300.504",
            "34 CFR 104.36",
            "34 CFR 300.301(b); OSEP Memo 11-07",
        ],
    ),
    (
        "recourse",
        [
            "34 CFR 300.507(a)(2); 34 CFR 300.153(c)",
            "34 CFR 104.36; 34 CFR 100.7(b) (via 34 CFR 104.61)",
            "34 CFR 300.301(b); OSEP Memo 11-07",
        ],
    ),
];

#[derive(Debug, Clone)]
pub struct RowView {
    pub aspect: String,
    pub cells: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "toolkit_compare.html")]
struct ComparePage {
    c: Chrome,
    rows: Vec<RowView>,
    /// "What this means for my child": (sentence, citation).
    mine: Vec<(String, String)>,
    fits: Option<String>,
    advisor_link: String,
}

/// The sentences for one child, each with its rule, from the answers and the advice.
pub fn for_my_child(
    answers: &law::advisor::Answers,
    advice: &law::advisor::Advice,
) -> Vec<(&'static str, &'static str)> {
    let mut out = Vec::new();
    let rec = advice.recommendation;
    if matches!(rec, Recommendation::RequestIepEvaluation)
        && answers.evaluation_requested_in_writing != Answer::Yes
    {
        out.push(("cmp-mine-request", "34 CFR 300.301(b); 34 CFR 300.503"));
    }
    if answers.evaluation_requested_in_writing == Answer::Yes && answers.has_iep != Answer::Yes {
        out.push(("cmp-mine-clock", "34 CFR 300.301(c)(1); 34 CFR 300.300(a)"));
    }
    if answers.in_rti == Answer::Yes {
        out.push(("cmp-mine-rti", "OSEP Memo 11-07; 34 CFR 300.301(b)"));
    }
    if answers.has_504 == Answer::Yes && answers.needs_specially_designed_instruction == Answer::Yes
    {
        out.push(("cmp-mine-504-not-sdi", "34 CFR 300.39; 34 CFR 300.8(a)"));
    }
    if answers.has_iep == Answer::Yes || matches!(rec, Recommendation::Iep) {
        out.push(("cmp-mine-iep-team", "34 CFR 300.321(a)(1); 34 CFR 300.504"));
    }
    match rec {
        Recommendation::Section504 => {
            out.push(("cmp-mine-504", "34 CFR 104.35(a); 34 CFR 104.36"));
        }
        Recommendation::GeneralEducationSupport => {
            out.push(("cmp-mine-gened", "34 CFR 300.301(b)"));
        }
        Recommendation::NotCoveredByIdeaAge => {
            out.push(("cmp-mine-age", "34 CFR 300.101(a); 34 CFR 104.3(j)"));
        }
        _ => {}
    }
    out
}

/// `/toolkit/compare`: the table, and with the advisor's answers what it means for the child.
pub async fn page(c: Chrome, Query(fields): Query<Fields>) -> Result<Response, AppError> {
    let t = &c.t;
    let rows = ROWS
        .iter()
        .map(|(aspect, cites)| RowView {
            aspect: t.get(&format!("cmp-{aspect}")),
            cells: ["iep", "504", "rti"]
                .iter()
                .zip(cites)
                .map(|(col, cite)| (t.get(&format!("cmp-{aspect}-{col}")), (*cite).to_owned()))
                .collect(),
        })
        .collect();
    let answered = fields.iter().any(|(k, _)| k == "submitted");
    let (mine, fits) = match answered.then(|| advisor::parse(&fields)).transpose() {
        Ok(Some(answers)) => {
            let advice = law::advisor::advise_in(&answers, law_lang(t));
            let mut mine: Vec<(String, String)> = for_my_child(&answers, &advice)
                .into_iter()
                .map(|(id, cite)| (t.get(id), cite.to_owned()))
                .collect();
            mine.extend(
                advice
                    .warnings
                    .iter()
                    .map(|w| (w.text.clone(), w.citation.clone())),
            );
            let code = recommendation_code(advice.recommendation).replace('_', "-");
            (mine, Some(t.get(&format!("adv-rec-{code}"))))
        }
        // Unreadable answers: the advisor page says what is wrong; here the table alone.
        _ => (Vec::new(), None),
    };
    let query: String = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields.iter())
        .finish();
    Ok(ok(&ComparePage {
        rows,
        mine,
        fits,
        advisor_link: format!("/toolkit/advisor?{query}"),
        c,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use law::advisor::{Answers, advise};

    #[test]
    fn rti_and_a_504_without_sdi_speak_to_the_child() {
        let answers = Answers {
            age: Some(8),
            suspected_disability: Answer::Yes,
            needs_specially_designed_instruction: Answer::Yes,
            in_rti: Answer::Yes,
            has_504: Answer::Yes,
            ..Answers::default()
        };
        let ids: Vec<&str> = for_my_child(&answers, &advise(&answers))
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        assert!(ids.contains(&"cmp-mine-rti"), "{ids:?}");
        assert!(ids.contains(&"cmp-mine-504-not-sdi"), "{ids:?}");
        let none = Answers::default();
        assert!(
            !for_my_child(&none, &advise(&none))
                .contains(&("cmp-mine-rti", "OSEP Memo 11-07; 34 CFR 300.301(b)"))
        );
    }
}
