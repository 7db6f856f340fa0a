//! `docs/law-coverage.md` is generated from the profiles. `UPDATE_LAW_COVERAGE=1` rewrites it;
//! otherwise this test fails when the file no longer matches the profiles.

use std::path::Path;

#[test]
fn law_coverage_document_is_current() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/law-coverage.md");
    let generated = law::coverage::coverage_markdown(law::registry::all());
    if std::env::var_os("UPDATE_LAW_COVERAGE").is_some_and(|v| v == "1") {
        std::fs::write(&path, &generated).unwrap();
        return;
    }
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        current == generated,
        "docs/law-coverage.md is stale: run `UPDATE_LAW_COVERAGE=1 cargo test -p law --test law coverage`"
    );
}

#[test]
fn every_state_in_law_md_has_a_profile() {
    let codes = law::jurisdictions();
    for state in [
        "CA", "TX", "NY", "FL", "PA", "IL", "OH", "NJ", "MA", "MI", "GA", "NC", "VA", "WA", "AZ",
    ] {
        assert!(codes.contains(&format!("US-{state}")), "{state}");
    }
    assert_eq!(codes[0], "US");
}
