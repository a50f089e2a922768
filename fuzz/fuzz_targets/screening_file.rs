//! A screening output as `gennemgang import` reads it: refused with an error, or rows — never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(dir) = tempfile::tempdir() else { return };
    let path = dir.path().join("target.csv");
    if std::fs::write(&path, data).is_err() {
        return;
    }
    let _ = gennemgang_registers::target::read_screening(&path);
});
