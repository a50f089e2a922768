//! A criteria-set file: any text is refused with an error naming the field, or becomes a set that
//! evaluates without panicking.
#![no_main]

use gennemgang_rules::criteria::{AreaValues, CriteriaSet, evaluate};
use libfuzzer_sys::fuzz_target;

struct Area;

impl AreaValues for Area {
    fn residents(&self) -> Option<u64> {
        Some(1500)
    }
    fn indicator(&self, name: &str) -> Option<rust_decimal::Decimal> {
        (name.len() % 3 != 0).then(|| rust_decimal::Decimal::from(name.len() as i64 * 7))
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(set) = CriteriaSet::from_toml("fuzz.toml", text) {
        let _ = evaluate(&set, &Area);
    }
});
