//! An areas file under the review's criteria set, and the same bytes as an `areas` output read back as a
//! selection: refused with an error naming the line, or read — never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(dir) = tempfile::tempdir() else { return };
    let path = dir.path().join("areas.csv");
    if std::fs::write(&path, data).is_err() {
        return;
    }
    if let Ok(set) = gennemgang_rules::criteria::builtin("review-2025") {
        if let Ok((rows, _)) = gennemgang_registers::areas::read_input(&path, &set, None) {
            let _ = gennemgang_registers::areas::classify(&set, &rows);
        }
    }
    let _ = gennemgang_registers::areas::read_selection(&path);
});
