//! The red-flag checker (CONTRACT.md `redflags`): finds sentences in what a school said or
//! wrote that the law does not support, and for each says which rule applies and how a parent
//! can answer in writing. The patterns are data (`data/redflags/rules.toml`); this interprets them.

use regex::Regex;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::LazyLock;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Findings {
    pub findings: Vec<Finding>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub category: String,
    /// The sentence, exactly as it appears in the input at `start..end` (byte offsets).
    pub quote: String,
    pub start: usize,
    pub end: usize,
    pub explanation: String,
    pub citation: String,
    pub suggested_response: String,
    pub explanation_es: String,
    pub suggested_response_es: String,
    /// Which rule fired, `category/pattern`, so a reader can see why.
    pub pattern: String,
}

#[derive(Debug, thiserror::Error)]
pub enum RedFlagError {
    #[error("{path}: {message}")]
    Input { path: String, message: String },
    #[error("red-flag rules, {path}: {message}")]
    Rules { path: String, message: String },
}

/// A request body for callers that send JSON rather than plain text (the web API).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct CheckRequest {
    pub text: String,
}

pub fn parse_request(json: &str) -> Result<CheckRequest, RedFlagError> {
    let mut deserializer = serde_json::Deserializer::from_str(json);
    let request =
        serde_path_to_error::deserialize(&mut deserializer).map_err(|e| RedFlagError::Input {
            path: e.path().to_string(),
            message: e.inner().to_string(),
        })?;
    deserializer.end().map_err(|e| RedFlagError::Input {
        path: ".".into(),
        message: e.to_string(),
    })?;
    Ok(request)
}

static BUNDLED_RULES: LazyLock<Rules> = LazyLock::new(|| {
    Rules::from_toml(include_str!("../data/redflags/rules.toml"))
        // The rules ship inside the binary and a unit test parses them, so this cannot fail
        // at run time.
        .expect("bundled red-flag rules are valid")
});

/// Checks text against the bundled rules.
pub fn check(text: &str) -> Findings {
    BUNDLED_RULES.check(text)
}

#[derive(Debug)]
pub struct Rules {
    categories: Vec<Category>,
    global_rejections: Vec<Regex>,
}

#[derive(Debug)]
struct Category {
    id: String,
    citation: String,
    explanation: String,
    explanation_es: String,
    suggested_response: String,
    suggested_response_es: String,
    rejections: Vec<Regex>,
    patterns: Vec<Pattern>,
}

#[derive(Debug)]
struct Pattern {
    id: String,
    regex: Regex,
    /// Every one of these must also match somewhere in the sentence (concepts that must
    /// co-occur in any order: an IEP, a 504 and a word saying they coexist).
    requires: Vec<Regex>,
    /// The pattern does not fire when any of these matches: the sentence is about a different
    /// claim ("see how she responds to Tier 2 before testing" is rti_first, not wait_and_see).
    unless: Vec<Regex>,
    negated: bool,
    /// The match is a condition on the main clause ("we can't help UNTIL a doctor diagnoses
    /// him"): a negation before it belongs to that clause, so it does not reject the flag.
    conditional: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    #[serde(default)]
    vars: BTreeMap<String, String>,
    #[serde(default)]
    global_rejections: Vec<String>,
    category: Vec<CategoryFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CategoryFile {
    id: String,
    citation: String,
    explanation: String,
    explanation_es: String,
    suggested_response: String,
    suggested_response_es: String,
    #[serde(default)]
    rejections: Vec<String>,
    patterns: Vec<PatternFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PatternFile {
    id: String,
    regex: String,
    #[serde(default)]
    requires: Requires,
    #[serde(default)]
    unless: Vec<String>,
    #[serde(default)]
    negated: bool,
    #[serde(default)]
    conditional: bool,
}

/// `requires = 'regex'` or `requires = ['regex', 'regex']` (all must match).
#[derive(Deserialize, Default)]
#[serde(untagged)]
enum Requires {
    #[default]
    None,
    One(String),
    All(Vec<String>),
}

impl Requires {
    fn sources(&self) -> Vec<&str> {
        match self {
            Requires::None => Vec::new(),
            Requires::One(one) => vec![one.as_str()],
            Requires::All(all) => all.iter().map(String::as_str).collect(),
        }
    }
}

/// Replaces each `{NAME}` by `(?:value)`, repeatedly, so a variable may be built from others
/// (concepts composed of synonym groups). Gives up after a few rounds: a cycle is an error.
fn expand_vars(vars: &BTreeMap<String, String>, source: &str) -> Option<String> {
    let mut expanded = source.to_owned();
    for _ in 0..8 {
        let before = expanded.clone();
        for (name, value) in vars {
            expanded = expanded.replace(&format!("{{{name}}}"), &format!("(?:{value})"));
        }
        if expanded == before {
            return Some(expanded);
        }
    }
    None
}

impl Rules {
    /// Reads a rules file (the bundled one, or a district's own), compiling every pattern.
    pub fn from_toml(text: &str) -> Result<Rules, RedFlagError> {
        let file: RulesFile = toml::from_str(text).map_err(|e| RedFlagError::Rules {
            path: ".".into(),
            message: e.to_string(),
        })?;
        let compile = |path: String, source: &str| -> Result<Regex, RedFlagError> {
            let expanded = expand_vars(&file.vars, source).ok_or_else(|| RedFlagError::Rules {
                path: path.clone(),
                message: "variables refer to each other in a cycle".into(),
            })?;
            Regex::new(&expanded).map_err(|e| RedFlagError::Rules {
                path,
                message: e.to_string(),
            })
        };
        let global_rejections = file
            .global_rejections
            .iter()
            .enumerate()
            .map(|(i, r)| compile(format!("global_rejections[{i}]"), r))
            .collect::<Result<_, _>>()?;
        let mut categories = Vec::new();
        for (c, category) in file.category.iter().enumerate() {
            let rejections = category
                .rejections
                .iter()
                .enumerate()
                .map(|(i, r)| compile(format!("category[{c}].rejections[{i}]"), r))
                .collect::<Result<_, _>>()?;
            let mut patterns = Vec::new();
            for (p, pattern) in category.patterns.iter().enumerate() {
                let path = format!("category[{c}].patterns[{p}]");
                patterns.push(Pattern {
                    id: pattern.id.clone(),
                    regex: compile(format!("{path}.regex"), &pattern.regex)?,
                    requires: pattern
                        .requires
                        .sources()
                        .into_iter()
                        .enumerate()
                        .map(|(i, r)| compile(format!("{path}.requires[{i}]"), r))
                        .collect::<Result<_, _>>()?,
                    unless: pattern
                        .unless
                        .iter()
                        .enumerate()
                        .map(|(i, r)| compile(format!("{path}.unless[{i}]"), r))
                        .collect::<Result<_, _>>()?,
                    negated: pattern.negated,
                    conditional: pattern.conditional,
                });
            }
            categories.push(Category {
                id: category.id.clone(),
                citation: category.citation.clone(),
                explanation: category.explanation.clone(),
                explanation_es: category.explanation_es.clone(),
                suggested_response: category.suggested_response.clone(),
                suggested_response_es: category.suggested_response_es.clone(),
                rejections,
                patterns,
            });
        }
        Ok(Rules {
            categories,
            global_rejections,
        })
    }

    pub fn category_ids(&self) -> impl Iterator<Item = &str> {
        self.categories.iter().map(|c| c.id.as_str())
    }

    pub fn check(&self, text: &str) -> Findings {
        let mut findings = Vec::new();
        for (start, end) in sentences(text) {
            let quote = &text[start..end];
            let normalized = normalize(quote);
            if self
                .global_rejections
                .iter()
                .any(|r| r.is_match(&normalized))
            {
                continue;
            }
            for category in &self.categories {
                if category.rejections.iter().any(|r| r.is_match(&normalized)) {
                    continue;
                }
                if let Some(pattern) = category.patterns.iter().find(|p| p.fires(&normalized)) {
                    findings.push(Finding {
                        category: category.id.clone(),
                        quote: quote.to_owned(),
                        start,
                        end,
                        explanation: category.explanation.clone(),
                        citation: category.citation.clone(),
                        suggested_response: category.suggested_response.clone(),
                        explanation_es: category.explanation_es.clone(),
                        suggested_response_es: category.suggested_response_es.clone(),
                        pattern: format!("{}/{}", category.id, pattern.id),
                    });
                }
            }
        }
        Findings { findings }
    }
}

impl Pattern {
    fn fires(&self, sentence: &str) -> bool {
        if !self
            .requires
            .iter()
            .all(|required| required.is_match(sentence))
            || self.unless.iter().any(|other| other.is_match(sentence))
        {
            return false;
        }
        // Any match with the right polarity counts: "we will not test him, but let us wait and
        // see" still waits and sees.
        self.regex.find_iter(sentence).any(|m| {
            let negated = !self.conditional && negated_before(sentence, m.start());
            negated == self.negated
        })
    }
}

/// Words that, just before a red-flag phrase in the same clause, turn it into its rejection.
const NEGATIONS: [&str; 8] = [
    "not", "never", "no", "nobody", "none", "nothing", "neither", "nor",
];
/// How far back a negation reaches: "we would never REQUIRE", "we are not going to MOVE".
const NEGATION_WINDOW_WORDS: usize = 6;
/// Words that open a new clause: a negation before them does not reach past ("it is not an
/// option BECAUSE OF THE EXPENSE" still blames the expense).
const CLAUSE_OPENERS: [&str; 12] = [
    "because", "since", "so", "but", "although", "though", "while", "unless", "until", "if",
    "when", "then",
];

fn negated_before(sentence: &str, at: usize) -> bool {
    let before = &sentence[..at];
    let clause_start = before
        .char_indices()
        .rev()
        .find(|(_, c)| matches!(c, ',' | ';' | ':' | '(' | ')' | '"' | '—' | '–'))
        .map_or(0, |(i, c)| i + c.len_utf8());
    before[clause_start..]
        .split_whitespace()
        .rev()
        .take(NEGATION_WINDOW_WORDS)
        .map(|word| word.trim_matches(|c: char| !c.is_alphanumeric()))
        .take_while(|word| !CLAUSE_OPENERS.contains(word))
        .any(|word| NEGATIONS.contains(&word))
}

/// Spellings folded together before matching, so patterns need one form of each.
static CONTRACTIONS: LazyLock<Vec<(Regex, &'static str)>> = LazyLock::new(|| {
    [
        // A suggestion, not a negation: "why don't we put him on a 504" proposes it.
        (r"\bwhy (?:don't|do not) (we|you|i)\b", "how about $1"),
        (r"\bcan't\b|\bcannot\b", "can not"),
        (r"\bwon't\b", "will not"),
        (r"\bshan't\b", "shall not"),
        (r"\b(\w+)n't\b", "$1 not"),
        (r"\blet's\b", "let us"),
        (r"\bi'm\b", "i am"),
        (r"\b(it|he|she|that|there|what|who|this)'s\b", "$1 is"),
        (r"\b(\w+)'re\b", "$1 are"),
        (r"\b(\w+)'ll\b", "$1 will"),
        (r"\b(\w+)'ve\b", "$1 have"),
        (r"\b(\w+)'d\b", "$1 would"),
        (r"\s+", " "),
    ]
    .into_iter()
    .map(|(pattern, replacement)| {
        (
            // Fixed patterns written above; a typo would fail every test at once.
            Regex::new(pattern).expect("contraction pattern is valid"),
            replacement,
        )
    })
    .collect()
});

fn normalize(sentence: &str) -> String {
    let mut text: String = sentence
        .to_lowercase()
        .chars()
        .map(|c| match c {
            '\u{2018}' | '\u{2019}' | '\u{02bc}' => '\'',
            '\u{201c}' | '\u{201d}' => '"',
            _ => c,
        })
        .collect();
    for (pattern, replacement) in CONTRACTIONS.iter() {
        text = pattern.replace_all(&text, *replacement).into_owned();
    }
    text
}

/// Abbreviations whose period does not end a sentence.
const ABBREVIATIONS: [&str; 13] = [
    "mr", "mrs", "ms", "dr", "st", "vs", "etc", "e.g", "i.e", "jr", "sr", "prof", "approx",
];

/// Byte ranges of the sentences of `text`, trimmed of surrounding spaces, quote marks and
/// bullets. A sentence ends at `.`, `!` or `?` (with any closing quotes) followed by a space,
/// or at a line break: chat logs and notes put one statement per line.
pub fn sentences(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (at, c) = chars[i];
        if c == '\n' {
            spans.push((start, at));
            start = at + 1;
        } else if matches!(c, '.' | '!' | '?') {
            let mut j = i + 1;
            while j < chars.len()
                && matches!(chars[j].1, '"' | '\u{201d}' | '\u{2019}' | ')' | '\'')
            {
                j += 1;
            }
            let at_boundary = j == chars.len() || chars[j].1.is_whitespace();
            if at_boundary && !(c == '.' && ends_with_abbreviation(&text[start..at])) {
                let end = chars.get(j).map_or(text.len(), |&(byte, _)| byte);
                spans.push((start, end));
                start = end;
                i = j;
                continue;
            }
        }
        i += 1;
    }
    spans.push((start, text.len()));
    spans
        .into_iter()
        .filter_map(|(s, e)| trim_span(text, s, e))
        .collect()
}

fn ends_with_abbreviation(before_period: &str) -> bool {
    let word = before_period
        .rsplit(|c: char| c.is_whitespace())
        .next()
        .unwrap_or("")
        .trim_start_matches(['(', '"', '\u{201c}'])
        .to_lowercase();
    // A lone letter is an initial ("J. Smith"), except a pronoun-like "I" ending a sentence.
    let initial = word.chars().count() == 1 && word != "i" && word.chars().all(char::is_alphabetic);
    initial || ABBREVIATIONS.contains(&word.as_str())
}

fn trim_span(text: &str, start: usize, end: usize) -> Option<(usize, usize)> {
    let span = &text[start..end];
    let is_edge = |c: char| {
        c.is_whitespace() || matches!(c, '"' | '\u{201c}' | '\u{201d}' | '•' | '*' | '\u{2018}')
    };
    let leading = span.len() - span.trim_start_matches(is_edge).len();
    let trimmed = span[leading..].trim_end_matches(|c: char| {
        c.is_whitespace() || matches!(c, '"' | '\u{201d}' | '\u{201c}')
    });
    // A leading "- " is a bullet; a hyphen inside a word is not.
    let (leading, trimmed) = match trimmed.strip_prefix("- ") {
        Some(rest) => {
            let rest = rest.trim_start();
            (leading + (trimmed.len() - rest.len()), rest)
        }
        None => (leading, trimmed),
    };
    if trimmed.chars().any(char::is_alphanumeric) {
        Some((start + leading, start + leading + trimmed.len()))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn categories(text: &str) -> Vec<String> {
        check(text)
            .findings
            .into_iter()
            .map(|f| f.category)
            .collect()
    }

    #[test]
    fn bundled_rules_load_and_cover_every_contract_category() {
        let rules = Rules::from_toml(include_str!("../data/redflags/rules.toml")).unwrap();
        let ids: Vec<&str> = rules.category_ids().collect();
        assert_eq!(
            ids,
            [
                "wait_and_see",
                "rti_first",
                "try_504_first",
                "must_move_to_504",
                "grades_are_fine",
                "academics_only",
                "funding_or_cost",
                "college_concern",
                "refuses_to_evaluate",
                "parent_not_needed",
                "both_plans",
                "requires_medical_diagnosis",
                "discourages_writing",
            ]
        );
    }

    #[test]
    fn finding_carries_offsets_pattern_law_and_reply() {
        let text = "Thanks for coming in. We have to move him to a 504.\nSee you Tuesday.";
        let findings = check(text).findings;
        assert_eq!(findings.len(), 1);
        let f = &findings[0];
        assert_eq!(f.category, "must_move_to_504");
        assert_eq!(f.quote, "We have to move him to a 504.");
        assert_eq!(f.start, 22);
        assert_eq!(&text[f.start..f.end], f.quote);
        assert_eq!(f.pattern, "must_move_to_504/move_to_504");
        assert!(f.citation.contains("300.305"));
        assert!(!f.suggested_response.is_empty() && !f.explanation_es.is_empty());
    }

    #[test]
    fn rejections_of_the_red_flag_are_not_findings() {
        assert!(categories("We will not wait and see; we will evaluate now.").is_empty());
        assert!(categories("We would never require a diagnosis.").is_empty());
        assert_eq!(
            categories("Let's wait and see how she does."),
            ["wait_and_see"]
        );
        assert_eq!(
            categories("We require a medical diagnosis first."),
            ["requires_medical_diagnosis"]
        );
    }

    #[test]
    fn budget_talk_unrelated_to_the_child_is_not_a_finding() {
        assert!(categories("The budget meeting is Tuesday.").is_empty());
        assert_eq!(
            categories("There is no budget for his speech therapy."),
            ["funding_or_cost"]
        );
    }

    #[test]
    fn negated_patterns_need_the_negation() {
        assert_eq!(
            categories("No need to put that in writing."),
            ["discourages_writing"]
        );
        assert!(categories("Please put that in writing.").is_empty());
    }

    #[test]
    fn requires_lists_unless_and_nested_variables() {
        let rules = Rules::from_toml(
            r#"
[vars]
A = '''apple'''
FRUIT = '''{A}|pear'''
[[category]]
id = "x"
citation = "c"
explanation = "e"
explanation_es = "e"
suggested_response = "s"
suggested_response_es = "s"
patterns = [
  { id = "p", regex = '''\b(?:{FRUIT})\b''', requires = ['''\bred\b''', '''\bsweet\b'''], unless = ['''\brotten\b'''] },
]
"#,
        )
        .unwrap();
        let hits = |t: &str| rules.check(t).findings.len();
        assert_eq!(hits("A red sweet apple."), 1);
        assert_eq!(hits("A red apple."), 0);
        assert_eq!(hits("A red sweet rotten pear."), 0);
        assert_eq!(hits("A sweet red pear."), 1);
    }

    #[test]
    fn variables_in_a_cycle_are_an_error() {
        let cyclic = r#"
[vars]
A = '''{B}'''
B = '''{A}'''
[[category]]
id = "x"
citation = "c"
explanation = "e"
explanation_es = "e"
suggested_response = "s"
suggested_response_es = "s"
patterns = [{ id = "p", regex = '''{A}''' }]
"#;
        assert!(Rules::from_toml(cyclic).is_err());
    }

    #[test]
    fn a_negation_does_not_reach_past_a_new_clause() {
        assert!(negated_before("we will not wait and see", 12));
        assert!(!negated_before(
            "it is not an option because of the expense",
            35
        ));
        assert_eq!(
            categories("Why don't we put him on a 504 for now and revisit the IEP later?"),
            ["try_504_first"]
        );
    }

    #[test]
    fn findings_name_the_concept_pattern_that_fired() {
        let f = &check("We'll keep an eye on it and reconvene in a few months.").findings;
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].pattern, "wait_and_see/delay_for_a_while");
    }

    #[test]
    fn sentences_split_on_end_punctuation_and_lines_but_not_titles() {
        let text = "Dr. Kim met Ms. Lopez. “We can’t test him.” Then\n- we left! Ok?";
        let quotes: Vec<&str> = sentences(text).iter().map(|&(s, e)| &text[s..e]).collect();
        assert_eq!(
            quotes,
            [
                "Dr. Kim met Ms. Lopez.",
                "We can’t test him.",
                "Then",
                "we left!",
                "Ok?"
            ]
        );
    }

    #[test]
    fn normalization_spells_out_contractions() {
        assert_eq!(
            normalize("We CAN’T and won't; it's  fine, don't"),
            "we can not and will not; it is fine, do not"
        );
    }

    #[test]
    fn parse_request_reports_the_path() {
        let RedFlagError::Input { path, .. } = parse_request(r#"{"text": 5}"#).unwrap_err() else {
            panic!("expected an input error");
        };
        assert_eq!(path, "text");
        assert_eq!(parse_request(r#"{"text": "hi"}"#).unwrap().text, "hi");
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn offsets_always_slice_the_input_to_the_quote(
                text in r#"([A-Za-z’'"“” ,;.!?\n-]|wait and see|move him to a 504|Dr\. |é|—){0,60}"#
            ) {
                for f in check(&text).findings {
                    prop_assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end));
                    prop_assert_eq!(&text[f.start..f.end], f.quote.as_str());
                }
                for (s, e) in sentences(&text) {
                    prop_assert!(s < e && e <= text.len());
                }
            }
        }
    }
}
