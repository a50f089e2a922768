//! The register files of an extract (pensions, persons, migrations, residences, area addresses,
//! exemptions): any bytes are refused with an error or loaded, never a panic. The input is split at 0xFF
//! into the files, in that order.
#![no_main]

use libfuzzer_sys::fuzz_target;

const FILES: [&str; 6] =
    ["pensions.csv", "persons.csv", "migrations.csv", "residences.csv", "area_addresses.csv", "exemptions.csv"];

fuzz_target!(|data: &[u8]| {
    let Ok(dir) = tempfile::tempdir() else { return };
    for (name, part) in FILES.iter().zip(data.split(|b| *b == 0xFF)) {
        if std::fs::write(dir.path().join(name), part).is_err() {
            return;
        }
    }
    let _ = gennemgang_registers::extract::load(dir.path());
});
