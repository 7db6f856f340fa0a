//! The embedded profiles: every supported jurisdiction, parsed once on first use and shared for
//! the life of the process. Adding a state is a new `profiles/US-XX.toml` listed here and a test
//! table; the engine itself never names a state.

use crate::profile::{Profile, ProfileError};
use std::sync::OnceLock;
use thiserror::Error;

/// (file name, text), parents before children.
const SOURCES: &[(&str, &str)] = &[
    ("US.toml", include_str!("../profiles/US.toml")),
    ("US-AZ.toml", include_str!("../profiles/US-AZ.toml")),
    ("US-CA.toml", include_str!("../profiles/US-CA.toml")),
    ("US-FL.toml", include_str!("../profiles/US-FL.toml")),
    ("US-GA.toml", include_str!("../profiles/US-GA.toml")),
    ("US-IL.toml", include_str!("../profiles/US-IL.toml")),
    ("US-MA.toml", include_str!("../profiles/US-MA.toml")),
    ("US-MI.toml", include_str!("../profiles/US-MI.toml")),
    ("US-NC.toml", include_str!("../profiles/US-NC.toml")),
    ("US-NJ.toml", include_str!("../profiles/US-NJ.toml")),
    ("US-NY.toml", include_str!("../profiles/US-NY.toml")),
    ("US-OH.toml", include_str!("../profiles/US-OH.toml")),
    ("US-PA.toml", include_str!("../profiles/US-PA.toml")),
    ("US-TX.toml", include_str!("../profiles/US-TX.toml")),
    ("US-VA.toml", include_str!("../profiles/US-VA.toml")),
    ("US-WA.toml", include_str!("../profiles/US-WA.toml")),
];

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("unknown jurisdiction `{code}`; supported: {}", supported.join(", "))]
pub struct UnknownJurisdiction {
    pub code: String,
    pub supported: Vec<String>,
}

/// Parse every embedded profile. Fails only if a profile file in this crate is malformed,
/// which the crate's tests rule out.
pub fn load_all() -> Result<Vec<Profile>, ProfileError> {
    let mut loaded: Vec<Profile> = Vec::with_capacity(SOURCES.len());
    for (file, text) in SOURCES {
        let spec: crate::profile::ProfileSpec =
            toml::from_str(text).map_err(|e| ProfileError::Syntax {
                profile: (*file).to_string(),
                message: e.to_string(),
            })?;
        let parent = spec
            .inherits
            .as_ref()
            .and_then(|p| loaded.iter().find(|l| &l.jurisdiction == p));
        let profile = Profile::compile(&spec, parent)?;
        loaded.push(profile);
    }
    Ok(loaded)
}

fn registry() -> &'static [Profile] {
    static PROFILES: OnceLock<Vec<Profile>> = OnceLock::new();
    PROFILES.get_or_init(|| match load_all() {
        Ok(profiles) => profiles,
        // The profiles are part of the program, checked by `every_profile_loads`: a failure
        // here is a build defect, not bad input.
        Err(e) => panic!("embedded law profile is invalid: {e}"),
    })
}

/// All supported jurisdictions' profiles, the federal one first.
pub fn all() -> &'static [Profile] {
    registry()
}

/// Supported jurisdiction codes, `US` first.
pub fn jurisdictions() -> Vec<String> {
    registry().iter().map(|p| p.jurisdiction.clone()).collect()
}

/// The profile for a jurisdiction code (`US` or `US-XX`, case-insensitive). An unknown code is
/// an error naming the supported ones — never a silent fall-back to federal rules.
pub fn profile(code: &str) -> Result<&'static Profile, UnknownJurisdiction> {
    registry()
        .iter()
        .find(|p| p.jurisdiction.eq_ignore_ascii_case(code.trim()))
        .ok_or_else(|| UnknownJurisdiction {
            code: code.to_string(),
            supported: jurisdictions(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_profile_loads() {
        let all = load_all().unwrap();
        assert_eq!(all.len(), 16);
        for p in &all {
            assert!(
                p.rules_of("initial_evaluation").count() >= 1,
                "{}",
                p.jurisdiction
            );
            assert!(p.rules.iter().all(|r| !r.citation.is_empty()));
        }
    }

    #[test]
    fn unknown_code_lists_the_supported_ones() {
        let e = profile("US-ZZ").unwrap_err();
        let text = e.to_string();
        assert!(
            text.contains("`US-ZZ`") && text.contains("US-TX") && text.contains("US, "),
            "{text}"
        );
        assert_eq!(profile("us-tx").unwrap().jurisdiction, "US-TX");
    }
}
