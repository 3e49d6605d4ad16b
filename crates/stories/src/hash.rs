//! Fixed, fast hashing for the clusterer's lookup tables and keys.
//!
//! The standard library's SipHash is keyed at random per process and costs tens of
//! nanoseconds per short key; the clusterer looks up a few hundred words per article,
//! so it uses a multiply-rotate hasher (the one rustc uses) for its maps, and FNV-1a
//! followed by a SplitMix64 finaliser for the 64-bit keys that name words. Both are
//! fixed functions: no map iteration order feeds a decision anyway (see the crate
//! docs), and keys are the same in every process.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// SplitMix64 finaliser: a fast, well-mixed, deterministic 64-bit permutation.
#[inline]
pub(crate) fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// FNV-1a of `bytes` continuing from `h` (start with [`fnv_start`]).
#[inline]
pub(crate) fn fnv(bytes: &[u8], mut h: u64) -> u64 {
    for b in bytes {
        h ^= *b as u64;
        h = h.wrapping_mul(FNV_PRIME);
    }
    h
}

#[inline]
pub(crate) fn fnv_start() -> u64 {
    FNV_OFFSET
}

/// A well-mixed 64-bit key for a word: the clusterer's vocabularies are keyed by it
/// rather than by the string (a collision needs about four billion distinct words).
#[inline]
pub(crate) fn key64(s: &str) -> u64 {
    mix(fnv(s.as_bytes(), FNV_OFFSET))
}

/// Multiply-rotate hasher (FxHash) for maps keyed by integers and short strings.
#[derive(Default, Clone, Copy)]
pub(crate) struct FxHasher {
    hash: u64,
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, w: u64) {
        self.hash = (self.hash.rotate_left(5) ^ w).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes(c.try_into().expect("8 bytes")));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut buf = [0u8; 8];
            buf[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(buf));
        }
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(i as u64);
    }
    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(i as u64);
    }
    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }
    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    #[inline]
    fn finish(&self) -> u64 {
        self.hash
    }
}

pub(crate) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;
pub(crate) type FastSet<K> = HashSet<K, BuildHasherDefault<FxHasher>>;

/// FxHash with a SplitMix64 finish, for the maps keyed by article and story ids.
///
/// FxHash alone ends in a multiply, whose low bits (those that pick the bucket)
/// depend only on the low bytes of the last word hashed: ids that share their first
/// characters and differ further on ("a100017", "a100018", …) land in a few runs of
/// buckets, and every lookup walks a long run comparing ids. On the 1M stream that
/// was a tenth of the time per article, and growing with the articles seen.
#[derive(Default, Clone, Copy)]
pub(crate) struct IdHasher(FxHasher);

impl Hasher for IdHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        self.0.write(bytes);
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.0.write_u8(i);
    }
    #[inline]
    fn finish(&self) -> u64 {
        mix(self.0.finish())
    }
}

/// Map keyed by article or story ids (see [`IdHasher`]).
pub(crate) type IdMap<K, V> = HashMap<K, V, BuildHasherDefault<IdHasher>>;

/// Pass-through hasher for keys that are already well mixed ([`key64`] and the scan's
/// word keys end in the SplitMix64 finaliser): hashing them again would only add a
/// multiply to every lookup of the hottest tables.
#[derive(Default, Clone, Copy)]
pub(crate) struct MixedKeyHasher {
    hash: u64,
}

impl Hasher for MixedKeyHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        // Only `u64` keys are meant to come here; anything else still hashes soundly.
        let mut h = FxHasher { hash: self.hash };
        h.write(bytes);
        self.hash = h.finish();
    }
    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.hash = i;
    }
    #[inline]
    fn finish(&self) -> u64 {
        self.hash
    }
}

/// Map keyed by already-mixed 64-bit keys (see [`MixedKeyHasher`]).
pub(crate) type MixedKeyMap<V> = HashMap<u64, V, BuildHasherDefault<MixedKeyHasher>>;
