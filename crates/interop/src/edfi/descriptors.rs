//! Descriptor URIs ↔ federal codes: Ed-Fi's default descriptors (the table in
//! shared/domain/standards.md), iep504's own namespace for codes Ed-Fi has no default for, and a
//! district's map for its own namespaced descriptors, which takes precedence.

use domain::codes::{
    DISABILITY_CODES, EARLY_CHILDHOOD_ENVIRONMENTS, EXIT_BASES, SCHOOL_AGE_ENVIRONMENTS,
};
use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

const ED_FI: &str = "uri://ed-fi.org";
/// iep504's namespace for federal codes without an Ed-Fi default descriptor (developmental
/// delay, the four regular early-childhood settings, every basis of exit), so an export names
/// every code and imports back without a map.
pub const IEP504_NAMESPACE: &str = "uri://iep504.org";

/// Which descriptor family a field holds, and so which federal code set it maps into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DescriptorKind {
    Disability,
    Setting,
    ExitReason,
}

impl DescriptorKind {
    /// Every kind, in declaration order.
    pub const ALL: [DescriptorKind; 3] = [
        DescriptorKind::Disability,
        DescriptorKind::Setting,
        DescriptorKind::ExitReason,
    ];

    fn descriptor_name(self) -> &'static str {
        match self {
            DescriptorKind::Disability => "DisabilityDescriptor",
            DescriptorKind::Setting => "SpecialEducationSettingDescriptor",
            DescriptorKind::ExitReason => "SpecialEducationExitReasonDescriptor",
        }
    }

    fn what(self) -> &'static str {
        match self {
            DescriptorKind::Disability => "an IDEA disability code",
            DescriptorKind::Setting => "an educational-environment code",
            DescriptorKind::ExitReason => "a basis-of-exit code",
        }
    }

    fn accepts(self, code: &str) -> bool {
        match self {
            DescriptorKind::Disability => DISABILITY_CODES.contains(&code),
            DescriptorKind::Setting => {
                SCHOOL_AGE_ENVIRONMENTS.contains(&code)
                    || EARLY_CHILDHOOD_ENVIRONMENTS.contains(&code)
            }
            DescriptorKind::ExitReason => EXIT_BASES.contains(&code),
        }
    }
}

/// Ed-Fi default descriptor code values and their federal codes (standards.md).
const DEFAULT_DISABILITIES: [(&str, &str); 12] = [
    ("Autism Spectrum Disorders", "AUT"),
    ("Deaf-Blindness", "DB"),
    ("Hearing Impairment, including Deafness", "HI"),
    ("Intellectual Disability", "ID"),
    ("Multiple Disabilities", "MD"),
    ("Orthopedic Impairment", "OI"),
    ("Other Health Impairment", "OHI"),
    ("Serious Emotional Disability", "EMN"),
    ("Speech or Language Impairment", "SLI"),
    ("Specific Learning Disability", "SLD"),
    ("Traumatic Brain Injury", "TBI"),
    ("Visual Impairment, including Blindness", "VI"),
];

/// The first entry for a code is the one an export writes (the deprecated 40–79% spelling is
/// read, never written).
const DEFAULT_SETTINGS: [(&str, &str); 12] = [
    ("Inside regular class 80% or more of the day", "RC80"),
    ("Inside regular class between 40-79% of the day", "RC79TO40"),
    (
        "Inside reg class between 40-79% of the day (deprecated)",
        "RC79TO40",
    ),
    ("Inside regular class less than 40% of the day", "RC39"),
    ("Separate school", "SS"),
    ("Residential facility", "RF"),
    ("Homebound/Hospital", "HH"),
    ("Correctional facilities", "CF"),
    ("Parentally-placed in private schools", "PPPS"),
    ("Separate class", "SC"),
    ("Home", "H"),
    ("Service provider location", "SPL"),
];

const IEP504_DISABILITIES: [(&str, &str); 1] = [("Developmental Delay", "DD")];

fn defaults(kind: DescriptorKind) -> Vec<(String, &'static str)> {
    let name = kind.descriptor_name();
    let uri = |ns: &str, value: &str| format!("{ns}/{name}#{value}");
    let mut table: Vec<(String, &'static str)> = Vec::new();
    match kind {
        DescriptorKind::Disability => {
            table.extend(
                DEFAULT_DISABILITIES
                    .iter()
                    .map(|(v, c)| (uri(ED_FI, v), *c)),
            );
            table.extend(
                IEP504_DISABILITIES
                    .iter()
                    .map(|(v, c)| (uri(IEP504_NAMESPACE, v), *c)),
            );
        }
        DescriptorKind::Setting => {
            table.extend(DEFAULT_SETTINGS.iter().map(|(v, c)| (uri(ED_FI, v), *c)));
            // The regular early-childhood program codes have no Ed-Fi default.
            table.extend(
                EARLY_CHILDHOOD_ENVIRONMENTS
                    .iter()
                    .filter(|c| c.starts_with("REC"))
                    .map(|c| (uri(IEP504_NAMESPACE, c), *c)),
            );
        }
        DescriptorKind::ExitReason => {
            // standards.md gives no default exit-reason table: districts map theirs.
            table.extend(EXIT_BASES.iter().map(|c| (uri(IEP504_NAMESPACE, c), *c)));
        }
    }
    table
}

/// Descriptor lookups are case-insensitive, as the ODS/API matches code values.
fn key(uri: &str) -> String {
    uri.trim().to_lowercase()
}

/// The default tables by kind and URI, built once: an import resolves two or three descriptors
/// per record, a million records at a time. Each kind's URIs are there as the defaults spell
/// them (the usual case, found without lowercasing) and by lookup key.
struct DefaultCodes {
    as_spelled: HashMap<String, &'static str>,
    by_key: HashMap<String, &'static str>,
}

static DEFAULT_CODES: LazyLock<[DefaultCodes; 3]> = LazyLock::new(|| {
    DescriptorKind::ALL.map(|kind| {
        let mut codes = DefaultCodes {
            as_spelled: HashMap::new(),
            by_key: HashMap::new(),
        };
        for (uri, code) in defaults(kind) {
            codes.by_key.entry(key(&uri)).or_insert(code);
            codes.as_spelled.entry(uri).or_insert(code);
        }
        codes
    })
});

fn default_code(kind: DescriptorKind, uri: &str) -> Option<&'static str> {
    // DEFAULT_CODES is built in the order of DescriptorKind::ALL, which is declaration order.
    let codes = &DEFAULT_CODES[kind as usize];
    codes
        .as_spelled
        .get(uri)
        .or_else(|| codes.by_key.get(&key(uri)))
        .copied()
}

/// The default tables plus a district's own URI → code entries.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DescriptorMap {
    user: BTreeMap<String, String>,
}

/// Why a descriptor could not be resolved; the importer adds the file and JSON path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DescriptorProblem {
    Unknown,
    WrongKind {
        code: String,
        expected: &'static str,
    },
}

impl DescriptorMap {
    /// A map from `MAP.json`: an object of descriptor URI → federal code. Problems are given as
    /// (JSON path, what was expected); every code must be one of the federal codes.
    pub fn from_json(bytes: &[u8]) -> Result<DescriptorMap, Vec<(String, String)>> {
        let entries: BTreeMap<String, serde_json::Value> =
            serde_json::from_slice(bytes).map_err(|e| {
                vec![(
                    format!("line {} column {}", e.line(), e.column()),
                    format!("expected an object of descriptor URI → federal code ({e})"),
                )]
            })?;
        let mut map = DescriptorMap::default();
        let mut problems = Vec::new();
        for (uri, code) in entries {
            let known = |c: &str| DescriptorKind::ALL.iter().any(|k| k.accepts(c));
            match code.as_str() {
                Some(c) if known(c) => map.insert(&uri, c),
                _ => problems.push((
                    format!("{uri:?}"),
                    format!("expected a federal disability, environment or exit code, got {code}"),
                )),
            }
        }
        if problems.is_empty() {
            Ok(map)
        } else {
            Err(problems)
        }
    }

    pub fn insert(&mut self, uri: &str, code: &str) {
        self.user.insert(key(uri), code.to_string());
    }

    /// The federal code for `uri` in the family `kind`.
    pub fn resolve(&self, kind: DescriptorKind, uri: &str) -> Result<String, DescriptorProblem> {
        let mine = if self.user.is_empty() {
            None
        } else {
            self.user.get(&key(uri))
        };
        let code = match mine {
            Some(code) => code.clone(),
            None => default_code(kind, uri)
                .map(str::to_string)
                .ok_or(DescriptorProblem::Unknown)?,
        };
        if kind.accepts(&code) {
            Ok(code)
        } else {
            Err(DescriptorProblem::WrongKind {
                code,
                expected: kind.what(),
            })
        }
    }

    /// The URI an export writes for `code`: Ed-Fi's default where there is one, else iep504's.
    pub fn uri_for(kind: DescriptorKind, code: &str) -> String {
        defaults(kind)
            .into_iter()
            .find(|(_, c)| *c == code)
            .map(|(uri, _)| uri)
            .unwrap_or_else(|| format!("{IEP504_NAMESPACE}/{}#{code}", kind.descriptor_name()))
    }
}

#[cfg(test)]
mod tests {
    use super::DescriptorKind;

    #[test]
    fn every_kind_indexes_its_own_default_table() {
        for (i, kind) in DescriptorKind::ALL.into_iter().enumerate() {
            assert_eq!(kind as usize, i, "{kind:?}");
        }
    }
}
