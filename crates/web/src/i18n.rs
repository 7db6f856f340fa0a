//! The message catalogue: Fluent files for English and Spanish compiled into the binary, the
//! choice of language for a request, and `Tr`, which templates call for every visible string.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Es,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Es];

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
        }
    }

    /// The law crate's language (explanations, the advisor's reasons).
    pub fn law(self) -> law::Lang {
        match self {
            Lang::En => law::Lang::En,
            Lang::Es => law::Lang::Es,
        }
    }

    pub fn parse(text: &str) -> Option<Lang> {
        match text.trim().get(..2).map(str::to_ascii_lowercase).as_deref() {
            Some("en") => Some(Lang::En),
            Some("es") => Some(Lang::Es),
            _ => None,
        }
    }

    /// The language a request is answered in: an explicit choice (the `lang` cookie set by the
    /// language switch), else the user's preference, else the browser's, else English.
    pub fn negotiate(cookie: Option<&str>, preferred: Option<&str>, accept: Option<&str>) -> Lang {
        cookie
            .and_then(Lang::parse)
            .or_else(|| preferred.and_then(Lang::parse))
            .or_else(|| {
                accept.and_then(|header| {
                    header
                        .split(',')
                        .find_map(|part| Lang::parse(part.split(';').next().unwrap_or("")))
                })
            })
            .unwrap_or(Lang::En)
    }
}

pub const SOURCES: [(Lang, &str); 2] = [
    (Lang::En, include_str!("../i18n/en/main.ftl")),
    (Lang::Es, include_str!("../i18n/es/main.ftl")),
];

/// The case-records catalogue (services, ledger, goals, RTI), kept apart from `main.ftl` so
/// features can add messages without touching one shared file.
pub const RECORDS_SOURCES: [(Lang, &str); 2] = [
    (Lang::En, include_str!("../i18n/en/records.ftl")),
    (Lang::Es, include_str!("../i18n/es/records.ftl")),
];

/// The parent toolkit's catalogue (advisor, comparison, red-flag checker, calculator, letters,
/// communication log, vault, first-run setup).
pub const TOOLKIT_SOURCES: [(Lang, &str); 2] = [
    (Lang::En, include_str!("../i18n/en/toolkit.ftl")),
    (Lang::Es, include_str!("../i18n/es/toolkit.ftl")),
];

/// The evaluations catalogue (referrals, consents, eligibility decisions, prior written notices).
pub const EVALUATIONS_SOURCES: [(Lang, &str); 2] = [
    (Lang::En, include_str!("../i18n/en/evaluations.ftl")),
    (Lang::Es, include_str!("../i18n/es/evaluations.ftl")),
];

/// The plans catalogue (IEPs, 504 plans, accommodations to acknowledge).
pub const PLANS_SOURCES: [(Lang, &str); 2] = [
    (Lang::En, include_str!("../i18n/en/plans.ftl")),
    (Lang::Es, include_str!("../i18n/es/plans.ftl")),
];

/// The progress-reports catalogue (reporting dates, issued reports on the goals page).
pub const PROGRESS_REPORTS_SOURCES: [(Lang, &str); 2] = [
    (Lang::En, include_str!("../i18n/en/progress_reports.ftl")),
    (Lang::Es, include_str!("../i18n/es/progress_reports.ftl")),
];

type Bundle = FluentBundle<FluentResource>;

#[derive(Clone)]
pub struct I18n {
    en: Arc<Bundle>,
    es: Arc<Bundle>,
}

impl std::fmt::Debug for I18n {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("I18n")
    }
}

fn bundle(lang: Lang, sources: &[&str]) -> Bundle {
    let id = lang.code().parse().unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // Isolation marks around placeables confuse screen readers in plain HTML.
    bundle.set_use_isolating(false);
    // The catalogues are compiled in and checked by tests; a broken entry is skipped, not fatal.
    for source in sources {
        let resource =
            FluentResource::try_new((*source).to_owned()).unwrap_or_else(|(partial, _)| partial);
        let _ = bundle.add_resource(resource);
    }
    bundle
}

impl I18n {
    pub fn load() -> I18n {
        I18n {
            en: Arc::new(bundle(
                Lang::En,
                &[
                    SOURCES[0].1,
                    RECORDS_SOURCES[0].1,
                    TOOLKIT_SOURCES[0].1,
                    EVALUATIONS_SOURCES[0].1,
                    PLANS_SOURCES[0].1,
                    PROGRESS_REPORTS_SOURCES[0].1,
                ],
            )),
            es: Arc::new(bundle(
                Lang::Es,
                &[
                    SOURCES[1].1,
                    RECORDS_SOURCES[1].1,
                    TOOLKIT_SOURCES[1].1,
                    EVALUATIONS_SOURCES[1].1,
                    PLANS_SOURCES[1].1,
                    PROGRESS_REPORTS_SOURCES[1].1,
                ],
            )),
        }
    }

    pub fn tr(&self, lang: Lang) -> Tr {
        Tr {
            lang,
            bundle: match lang {
                Lang::En => self.en.clone(),
                Lang::Es => self.es.clone(),
            },
        }
    }
}

/// A translator for one language.
#[derive(Clone)]
pub struct Tr {
    pub lang: Lang,
    bundle: Arc<Bundle>,
}

impl std::fmt::Debug for Tr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Tr({})", self.lang.code())
    }
}

impl Tr {
    pub fn code(&self) -> &'static str {
        self.lang.code()
    }

    /// The message `id`; the id itself when missing, so a gap is visible, never a crash.
    pub fn get(&self, id: &str) -> String {
        self.format(id, None)
    }

    /// The message `id` with one argument.
    pub fn with(&self, id: &str, name: &str, value: impl std::fmt::Display) -> String {
        let mut args = FluentArgs::new();
        args.set(name.to_owned(), FluentValue::from(value.to_string()));
        self.format(id, Some(&args))
    }

    /// The message `id` with several text arguments.
    pub fn with_args(&self, id: &str, values: &[(&str, &str)]) -> String {
        let mut args = FluentArgs::new();
        for (name, value) in values {
            args.set((*name).to_owned(), FluentValue::from((*value).to_owned()));
        }
        self.format(id, Some(&args))
    }

    /// The message `id` with a number, for plural forms.
    pub fn count(&self, id: &str, n: impl std::borrow::Borrow<i64>) -> String {
        let mut args = FluentArgs::new();
        args.set("count", FluentValue::from(*n.borrow()));
        self.format(id, Some(&args))
    }

    /// A code such as an event or obligation kind shown in words (`prefix-code`), falling back
    /// to the code with spaces when the catalogue has no entry.
    pub fn term(&self, prefix: &str, code: &str) -> String {
        let id = format!("{prefix}-{}", code.replace('_', "-"));
        if self.bundle.has_message(&id) {
            self.get(&id)
        } else {
            code.replace('_', " ")
        }
    }

    fn format(&self, id: &str, args: Option<&FluentArgs<'_>>) -> String {
        let Some(pattern) = self.bundle.get_message(id).and_then(|m| m.value()) else {
            return id.to_owned();
        };
        let mut errors = Vec::new();
        self.bundle
            .format_pattern(pattern, args, &mut errors)
            .into_owned()
    }
}

/// Every message id in a catalogue (for the test that keeps English and Spanish in step):
/// Fluent messages start at the line's first column with `id =`.
pub fn message_ids(source: &str) -> Vec<String> {
    let mut ids: Vec<String> = source
        .lines()
        .filter(|line| line.starts_with(|c: char| c.is_ascii_lowercase()))
        .filter_map(|line| line.split_once('=').map(|(id, _)| id.trim().to_owned()))
        .collect();
    ids.sort();
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every event and obligation kind a reader can meet (the vocabulary, every profile's rules
    /// and filing windows, the district-policy rules) has a name in both catalogues, and the
    /// law crate's Spanish explanations name it the same way, mid-sentence (lower-case first
    /// letter unless it starts with an acronym: "IEP vigente…").
    #[test]
    fn kinds_have_names_and_explanations_use_the_same_ones() {
        let i18n = I18n::load();
        let (en, es) = (i18n.tr(Lang::En), i18n.tr(Lang::Es));
        let mid_sentence = |label: &str| {
            let mut chars = label.chars();
            let first = chars.next().unwrap_or_default();
            if chars.next().is_some_and(char::is_uppercase) {
                label.to_owned()
            } else {
                first.to_lowercase().chain(label.chars().skip(1)).collect()
            }
        };
        let mut obligations: Vec<String> =
            vec!["plan504_review".into(), "plan504_reevaluation".into()];
        for code in law::jurisdictions() {
            let profile = law::profile(&code).unwrap();
            obligations.extend(profile.rules.iter().map(|r| r.kind.clone()));
            obligations.extend(profile.filing_windows.iter().map(|w| w.kind.clone()));
        }
        let events = law::matcher::EVENT_FIELDS
            .iter()
            .map(|(kind, _)| ("event", kind.to_string()));
        let kinds = events.chain(obligations.into_iter().map(|k| ("obligation", k)));
        for (prefix, kind) in kinds {
            let id = format!("{prefix}-{}", kind.replace('_', "-"));
            for t in [&en, &es] {
                assert_ne!(t.get(&id), id, "{}: no `{id}`", t.code());
            }
            let written = if prefix == "event" {
                law::explain::event_name(&kind, law::Lang::Es)
            } else {
                law::explain::obligation_name(&kind, law::Lang::Es)
            };
            assert_eq!(written, mid_sentence(&es.get(&id)), "{id}");
        }
    }

    /// Every purpose the record of access states reads in both languages; the English reads
    /// as stated (but for the notice, which may be a Section 504 notice).
    #[test]
    fn access_purposes_have_names() {
        use store::access_log::Purpose;
        let i18n = I18n::load();
        for t in [i18n.tr(Lang::En), i18n.tr(Lang::Es)] {
            for purpose in Purpose::ALL {
                let id = format!("access-purpose-{}", purpose.code());
                assert_ne!(t.get(&id), id, "{}: no `{id}`", t.code());
            }
        }
        let en = i18n.tr(Lang::En);
        for purpose in Purpose::ALL {
            if purpose != Purpose::PrintingNotice {
                let shown = en.term("access-purpose", purpose.code());
                assert_eq!(shown, purpose.stated());
            }
        }
    }

    /// Every catalogue is added to one bundle per language, where the first message of an id
    /// wins and a later one is silently dropped: an id may be defined only once across them.
    #[test]
    fn no_message_id_is_defined_twice_across_catalogues() {
        for (i, lang) in Lang::ALL.iter().enumerate() {
            let mut seen: std::collections::HashMap<String, usize> = Default::default();
            let catalogues = [
                SOURCES[i].1,
                RECORDS_SOURCES[i].1,
                TOOLKIT_SOURCES[i].1,
                EVALUATIONS_SOURCES[i].1,
                PLANS_SOURCES[i].1,
                PROGRESS_REPORTS_SOURCES[i].1,
            ];
            for (n, source) in catalogues.iter().enumerate() {
                for line in source.lines() {
                    let Some((id, _)) = line.split_once(" =") else {
                        continue;
                    };
                    if id.is_empty() || id.starts_with([' ', '#', '.', '-', '*', '[']) {
                        continue;
                    }
                    if let Some(first) = seen.insert(id.to_owned(), n) {
                        panic!(
                            "{}: `{id}` is in catalogue {first} and catalogue {n}",
                            lang.code()
                        );
                    }
                }
            }
        }
    }
}
