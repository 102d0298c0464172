//! The hash behind name interning. Every battle looks up two model names (and a language and a
//! judge), so at a million battles std's SipHash was a tenth of the decode time; its resistance to
//! crafted collisions protects servers, not a tool reading a file its user chose. This is the
//! multiply-rotate hash rustc uses (FxHash), eight bytes at a time.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A map keyed by names, hashed with [`NameHasher`].
pub(crate) type NameMap<V> = HashMap<String, V, BuildHasherDefault<NameHasher>>;

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

#[derive(Default, Clone, Copy)]
pub(crate) struct NameHasher(u64);

impl NameHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for NameHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for w in &mut words {
            let mut word = [0u8; 8];
            word.copy_from_slice(w);
            self.add(u64::from_le_bytes(word));
        }
        let rest = words.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word) ^ ((rest.len() as u64) << 59));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn finish(&self) -> u64 {
        // The multiply leaves the high bits best mixed; the table indexes by the low ones.
        self.0 ^ (self.0 >> 32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_share_a_prefix_or_differ_in_length_hash_apart() {
        let hash = |s: &str| {
            let mut h = NameHasher::default();
            h.write(s.as_bytes());
            h.finish()
        };
        let names = ["gpt-4o", "gpt-4o-mini", "gpt-4o\0", "gpt-4o-2024-05-13", "a", "", "b"];
        for (i, x) in names.iter().enumerate() {
            for y in &names[i + 1..] {
                assert_ne!(hash(x), hash(y), "{x:?} vs {y:?}");
            }
        }
    }
}
