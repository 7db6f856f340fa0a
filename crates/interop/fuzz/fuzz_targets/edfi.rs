//! Any bytes as an Ed-Fi file must parse or fail with errors, never panic; what parses must
//! export and import back to the same batch.
#![no_main]

use interop::edfi::{DescriptorMap, parse_edfi, to_edfi};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let map = DescriptorMap::default();
    let Ok(batch) = parse_edfi(&[("fuzz.json", data)], &map) else {
        return;
    };
    let _ = batch.implied_events();
    let files = to_edfi(&batch).files().expect("serializable");
    let inputs: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(name, text)| (name.as_str(), text.as_bytes()))
        .collect();
    let again = parse_edfi(&inputs, &map).expect("an export reads back");
    assert_eq!(again, batch);
});
