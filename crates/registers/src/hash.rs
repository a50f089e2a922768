//! A fast hasher for CPR keys: they are already well-spread integers, and SipHash's DoS resistance buys
//! nothing for a register extract while costing a third of the screening's time.

use gennemgang_rules::cpr::Cpr;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// Multiplicative hashing (Fibonacci), enough for integer keys.
#[derive(Default, Clone, Copy)]
pub struct IntHasher(u64);

impl Hasher for IntHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0 ^ n).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        self.0 ^= self.0 >> 29;
    }
}

/// A map keyed by CPR number.
pub type CprMap<V> = HashMap<Cpr, V, BuildHasherDefault<IntHasher>>;
/// A set of CPR numbers.
pub type CprSet = HashSet<Cpr, BuildHasherDefault<IntHasher>>;
