//! The structured perceptron: hashed emission weights per tag, a tag-transition
//! matrix, Viterbi decoding constrained to valid IOB2, averaged training, and the
//! compact file format (pruned, 16-bit quantised, gzip).
//!
//! The run-time table is open addressing with the key and the nine weights in one
//! slot, so scoring a feature costs one cache line; that lookup is where tagging time
//! goes.
// Tag-indexed arrays ([f32; NT]) read more clearly with explicit indices.
#![allow(clippy::needless_range_loop)]
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::io::{self, Read, Write};

use super::clusters::Clusters;
use super::features::Gazetteer;

/// O, B-PER, I-PER, B-ORG, I-ORG, B-LOC, I-LOC, B-MISC, I-MISC.
pub const NT: usize = 9;
pub const TAGS: [&str; NT] = [
    "O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC",
];

pub fn tag_index(t: &str) -> usize {
    TAGS.iter().position(|x| *x == t).unwrap_or(0)
}

/// Entity type of a tag index: 0 = none, 1 = PER, 2 = ORG, 3 = LOC, 4 = MISC.
pub fn tag_type(t: usize) -> usize {
    t.div_ceil(2)
}

/// I-X may only follow B-X or I-X: the IOB2 constraint the decoder enforces.
pub fn allowed(prev: Option<usize>, t: usize) -> bool {
    if t == 0 || t % 2 == 1 {
        return true;
    }
    match prev {
        Some(p) => p != 0 && tag_type(p) == tag_type(t),
        None => false,
    }
}

/// Keys are already hashes; hashing them again would only cost time.
#[derive(Default)]
pub struct IdHasher(u64);
impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | b as u64;
        }
    }
    fn write_u32(&mut self, i: u32) {
        self.0 = (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
    fn write_u64(&mut self, i: u64) {
        self.0 = i.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}
pub type IdMap<K, V> = HashMap<K, V, BuildHasherDefault<IdHasher>>;

#[derive(Clone, Copy)]
#[repr(C)]
struct Slot {
    key: u32,
    w: [i16; NT],
}

/// One pass's weights as used at run time.
pub struct Weights {
    slots: Vec<Slot>,
    mask: usize,
    scale: f32,
    /// `trans[p][t]`, with `p == NT` for the sentence start.
    trans: [[f32; NT]; NT + 1],
}

/// Averaged weights out of training: (feature, per-tag weights) rows and transitions.
#[derive(Clone)]
pub struct Rows {
    pub rows: Vec<(u32, [f32; NT])>,
    pub trans: [[f32; NT]; NT + 1],
}

impl Weights {
    #[inline]
    fn home(&self, key: u32) -> usize {
        (key as usize).wrapping_mul(0x9e37_79b9) & self.mask
    }

    /// Asks the CPU to start loading the home slots of `feats`: the table is several
    /// megabytes, so nearly every look-up misses the caches, and issuing the next
    /// token's loads while this one's weights are summed overlaps the waits.
    #[inline]
    fn prefetch(&self, feats: &[u32]) {
        #[cfg(target_arch = "x86_64")]
        for &f in feats {
            let p = self.slots[self.home(f)..].as_ptr();
            // SAFETY: a prefetch is a hint; it never faults and reads nothing, and `p`
            // points into `slots` anyway.
            unsafe {
                std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(
                    p.cast::<i8>(),
                )
            };
        }
        #[cfg(not(target_arch = "x86_64"))]
        let _ = feats;
    }

    #[inline]
    fn find(&self, key: u32) -> Option<&Slot> {
        let mut i = self.home(key);
        loop {
            let s = &self.slots[i];
            if s.key == key {
                return Some(s);
            }
            if s.key == 0 {
                return None;
            }
            i = (i + 1) & self.mask;
        }
    }

    /// Emission scores of one token.
    #[inline]
    pub fn score(&self, feats: &[u32], out: &mut [f32; NT]) {
        let mut acc = [0i32; NT];
        for &f in feats {
            if let Some(s) = self.find(f) {
                for t in 0..NT {
                    acc[t] += s.w[t] as i32;
                }
            }
        }
        for t in 0..NT {
            out[t] = acc[t] as f32 * self.scale;
        }
    }

    pub fn decode(&self, feats: &[u32], offsets: &[usize], out: &mut Vec<usize>) {
        let n = offsets.len().saturating_sub(1);
        let mut em = vec![[0f32; NT]; n];
        if n > 0 {
            self.prefetch(&feats[offsets[0]..offsets[1]]);
        }
        for i in 0..n {
            if i + 1 < n {
                self.prefetch(&feats[offsets[i + 1]..offsets[i + 2]]);
            }
            self.score(&feats[offsets[i]..offsets[i + 1]], &mut em[i]);
        }
        viterbi(&em, &self.trans, out);
    }

    pub fn len(&self) -> usize {
        self.slots.iter().filter(|s| s.key != 0).count()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn build(
        keys: Vec<u32>,
        ws: Vec<[i16; NT]>,
        scale: f32,
        trans: [[f32; NT]; NT + 1],
    ) -> Weights {
        let cap = (keys.len() * 2).next_power_of_two().max(16);
        let mut slots = vec![Slot { key: 0, w: [0; NT] }; cap];
        let mask = cap - 1;
        for (k, w) in keys.into_iter().zip(ws) {
            if k == 0 {
                continue;
            }
            let mut i = (k as usize).wrapping_mul(0x9e37_79b9) & mask;
            while slots[i].key != 0 && slots[i].key != k {
                i = (i + 1) & mask;
            }
            slots[i] = Slot { key: k, w };
        }
        Weights {
            slots,
            mask,
            scale,
            trans,
        }
    }

    fn quantise(rows: &Rows) -> (Vec<u32>, Vec<[i16; NT]>, f32) {
        let maxw = rows
            .rows
            .iter()
            .flat_map(|r| r.1.iter())
            .fold(0f32, |m, x| m.max(x.abs()))
            .max(1e-6);
        let scale = maxw / 32767.0;
        let keys = rows.rows.iter().map(|r| r.0).collect();
        let ws = rows
            .rows
            .iter()
            .map(|(_, a)| {
                let mut q = [0i16; NT];
                for t in 0..NT {
                    q[t] = (a[t] / scale).round().clamp(-32767.0, 32767.0) as i16;
                }
                q
            })
            .collect();
        (keys, ws, scale)
    }

    /// The run-time form of training output, exactly as a save and load would give.
    pub fn from_rows(rows: &Rows) -> Weights {
        let (keys, ws, scale) = Self::quantise(rows);
        Self::build(keys, ws, scale, rows.trans)
    }

    fn write(rows: &Rows, b: &mut Vec<u8>) {
        let (keys, ws, scale) = Self::quantise(rows);
        b.extend_from_slice(&scale.to_bits().to_le_bytes());
        for p in 0..=NT {
            for t in 0..NT {
                b.extend_from_slice(&rows.trans[p][t].to_bits().to_le_bytes());
            }
        }
        b.extend_from_slice(&(keys.len() as u32).to_le_bytes());
        let mut last = 0u32;
        for k in &keys {
            let mut d = (k - last) as u64;
            last = *k;
            loop {
                let byte = (d & 0x7f) as u8;
                d >>= 7;
                if d == 0 {
                    b.push(byte);
                    break;
                }
                b.push(byte | 0x80);
            }
        }
        // Tag-major, so the long runs of zeros compress.
        for t in 0..NT {
            for w in &ws {
                b.extend_from_slice(&w[t].to_le_bytes());
            }
        }
    }

    fn read(r: &mut Reader) -> io::Result<Weights> {
        let scale = f32::from_bits(r.u32()?);
        let mut trans = [[0f32; NT]; NT + 1];
        for row in trans.iter_mut() {
            for x in row.iter_mut() {
                *x = f32::from_bits(r.u32()?);
            }
        }
        let n = r.u32()? as usize;
        if n > r.b.len() {
            return Err(bad("bad row count"));
        }
        let mut key = 0u32;
        let mut keys = Vec::with_capacity(n);
        for _ in 0..n {
            key = key.wrapping_add(r.varint()? as u32);
            keys.push(key);
        }
        let mut ws = vec![[0i16; NT]; n];
        for t in 0..NT {
            for w in ws.iter_mut() {
                w[t] = r.i16()?;
            }
        }
        Ok(Self::build(keys, ws, scale, trans))
    }
}

/// The trained model as used at run time: the first pass, the optional second pass
/// (which also reads what the first pass said about each word elsewhere in the
/// document), and the gazetteer and clusters both read.
pub struct Model {
    pub first: Weights,
    pub second: Option<Weights>,
    pub gaz: Gazetteer,
    pub clusters: Clusters,
    pub feature_version: u32,
}

impl Model {
    pub fn len(&self) -> usize {
        self.first.len() + self.second.as_ref().map_or(0, Weights::len)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Reads the gzip'd model file.
    pub fn load(gz: &[u8]) -> io::Result<Model> {
        let mut raw = Vec::new();
        flate2::read::GzDecoder::new(gz).read_to_end(&mut raw)?;
        let mut r = Reader { b: &raw, p: 0 };
        if r.take(8)? != MAGIC {
            return Err(bad("not a parallax NER model"));
        }
        let feature_version = r.u32()?;
        let ng = r.u32()? as usize;
        let mut gaz = Gazetteer::default();
        for _ in 0..ng {
            let key = r.u64()?;
            let t = r.u8()?;
            let len = r.u8()?;
            gaz.insert_raw(key, t & 0x7f, t & 0x80 != 0, len as usize);
        }
        let nc = r.u32()? as usize;
        let mut clusters = Clusters::default();
        for _ in 0..nc {
            let len = r.u8()? as usize;
            let w = String::from_utf8_lossy(r.take(len)?).into_owned();
            let ids = [r.u16()?, r.u16()?, r.u16()?];
            clusters.insert(w, ids);
        }
        let first = Weights::read(&mut r)?;
        let second = if r.u8()? == 1 {
            Some(Weights::read(&mut r)?)
        } else {
            None
        };
        Ok(Model {
            first,
            second,
            gaz,
            clusters,
            feature_version,
        })
    }

    /// Writes a model file (gzip'd; the gzip header carries no time stamp, so the
    /// same weights give the same bytes).
    pub fn save(
        first: &Rows,
        second: Option<&Rows>,
        gaz: &Gazetteer,
        clusters: &Clusters,
        feature_version: u32,
        out: impl Write,
    ) -> io::Result<()> {
        let mut b: Vec<u8> = Vec::new();
        b.extend_from_slice(MAGIC);
        b.extend_from_slice(&feature_version.to_le_bytes());
        let mut g: Vec<(u64, u8, bool)> = gaz.entries().collect();
        g.sort_unstable();
        b.extend_from_slice(&(g.len() as u32).to_le_bytes());
        for (k, t, a) in g {
            b.extend_from_slice(&k.to_le_bytes());
            b.push(t | if a { 0x80 } else { 0 });
            b.push(gaz.max_len.min(255) as u8);
        }
        let cl: Vec<(&str, [u16; 3])> = clusters
            .sorted()
            .into_iter()
            .filter(|(w, _)| w.len() < 256)
            .collect();
        b.extend_from_slice(&(cl.len() as u32).to_le_bytes());
        for (w, ids) in cl {
            b.push(w.len() as u8);
            b.extend_from_slice(w.as_bytes());
            for id in ids {
                b.extend_from_slice(&id.to_le_bytes());
            }
        }
        Weights::write(first, &mut b);
        match second {
            Some(s) => {
                b.push(1);
                Weights::write(s, &mut b);
            }
            None => b.push(0),
        }
        let mut enc = flate2::write::GzEncoder::new(out, flate2::Compression::best());
        enc.write_all(&b)?;
        enc.finish()?;
        Ok(())
    }
}

const MAGIC: &[u8; 8] = b"PXNER01\n";

fn bad(m: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, m.to_string())
}

struct Reader<'a> {
    b: &'a [u8],
    p: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> io::Result<&'a [u8]> {
        let e = self.p.checked_add(n).ok_or_else(|| bad("truncated"))?;
        let s = self
            .b
            .get(self.p..e)
            .ok_or_else(|| bad("truncated model"))?;
        self.p = e;
        Ok(s)
    }
    fn u8(&mut self) -> io::Result<u8> {
        Ok(self.take(1)?[0])
    }
    fn u32(&mut self) -> io::Result<u32> {
        let s = self.take(4)?;
        Ok(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
    }
    fn u16(&mut self) -> io::Result<u16> {
        let s = self.take(2)?;
        Ok(u16::from_le_bytes([s[0], s[1]]))
    }
    fn i16(&mut self) -> io::Result<i16> {
        let s = self.take(2)?;
        Ok(i16::from_le_bytes([s[0], s[1]]))
    }
    fn u64(&mut self) -> io::Result<u64> {
        Ok(self.u32()? as u64 | (self.u32()? as u64) << 32)
    }
    fn varint(&mut self) -> io::Result<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.u8()?;
            v |= ((b & 0x7f) as u64) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(bad("bad varint"))
    }
}

/// Best tag sequence under the IOB2 constraint.
pub fn viterbi(em: &[[f32; NT]], trans: &[[f32; NT]; NT + 1], out: &mut Vec<usize>) {
    out.clear();
    let n = em.len();
    if n == 0 {
        return;
    }
    const NEG: f32 = -1e30;
    let mut back = vec![[0u8; NT]; n];
    let mut cur = [NEG; NT];
    for t in 0..NT {
        if allowed(None, t) {
            cur[t] = trans[NT][t] + em[0][t];
        }
    }
    // Forbidden transitions (I-PER after B-ORG) as a score no path can win with, so the
    // inner loop has no branches but the comparison. A state still at NEG plus any
    // transition stays at or below NEG and never beats `best`, as when it was skipped.
    let mut tr = [[NEG; NT]; NT];
    for p in 0..NT {
        for t in 0..NT {
            if allowed(Some(p), t) {
                tr[p][t] = trans[p][t];
            }
        }
    }
    for i in 1..n {
        let mut next = [NEG; NT];
        for t in 0..NT {
            let mut best = NEG;
            let mut arg = 0u8;
            for p in 0..NT {
                let s = cur[p] + tr[p][t];
                if s > best {
                    best = s;
                    arg = p as u8;
                }
            }
            if best > NEG {
                next[t] = best + em[i][t];
                back[i][t] = arg;
            }
        }
        cur = next;
    }
    let mut t = (0..NT)
        .max_by(|a, b| cur[*a].total_cmp(&cur[*b]))
        .unwrap_or(0);
    out.resize(n, 0);
    for i in (0..n).rev() {
        out[i] = t;
        t = back[i][t] as usize;
    }
}

/// Averaged structured perceptron, trained online.
pub struct Trainer {
    index: IdMap<u32, u32>,
    w: Vec<[f32; NT]>,
    /// Sum of `c * delta` per weight, for averaging without touching every weight.
    u: Vec<[f32; NT]>,
    trans: [[f32; NT]; NT + 1],
    trans_u: [[f32; NT]; NT + 1],
    c: f32,
    /// Margin asked of the gold path per token (0: plain perceptron).
    pub cost: f32,
}

impl Default for Trainer {
    fn default() -> Self {
        Self::new()
    }
}

impl Trainer {
    pub fn new() -> Trainer {
        Trainer {
            index: IdMap::default(),
            w: Vec::new(),
            u: Vec::new(),
            trans: [[0.0; NT]; NT + 1],
            trans_u: [[0.0; NT]; NT + 1],
            c: 1.0,
            cost: 0.0,
        }
    }

    fn emissions(&self, feats: &[u32], offsets: &[usize]) -> Vec<[f32; NT]> {
        let n = offsets.len().saturating_sub(1);
        let mut em = vec![[0f32; NT]; n];
        for (i, e) in em.iter_mut().enumerate() {
            for f in &feats[offsets[i]..offsets[i + 1]] {
                if let Some(&r) = self.index.get(f) {
                    let w = &self.w[r as usize];
                    for t in 0..NT {
                        e[t] += w[t];
                    }
                }
            }
        }
        em
    }

    /// Current (not averaged) prediction.
    pub fn predict(&self, feats: &[u32], offsets: &[usize], out: &mut Vec<usize>) {
        let em = self.emissions(feats, offsets);
        viterbi(&em, &self.trans, out);
    }

    fn bump(&mut self, f: u32, t: usize, d: f32) {
        let r = match self.index.get(&f) {
            Some(&r) => r as usize,
            None => {
                self.index.insert(f, self.w.len() as u32);
                self.w.push([0.0; NT]);
                self.u.push([0.0; NT]);
                self.w.len() - 1
            }
        };
        self.w[r][t] += d;
        self.u[r][t] += self.c * d;
    }

    /// One example: decode, and on a mistake move weights towards the gold path.
    /// Returns the number of wrongly tagged tokens.
    pub fn learn(&mut self, feats: &[u32], offsets: &[usize], gold: &[usize]) -> usize {
        let mut pred = Vec::new();
        let mut em = self.emissions(feats, offsets);
        // Cost-augmented decoding: a wrong tag gets a head start, so the update fires
        // until the gold path wins by a margin, not just barely.
        if self.cost > 0.0 {
            for (e, &g) in em.iter_mut().zip(gold) {
                for (t, x) in e.iter_mut().enumerate() {
                    if t != g {
                        *x += self.cost;
                    }
                }
            }
        }
        viterbi(&em, &self.trans, &mut pred);
        let mut wrong = 0;
        if pred != gold {
            for i in 0..gold.len() {
                let (g, p) = (gold[i], pred[i]);
                let gp = if i == 0 { NT } else { gold[i - 1] };
                let pp = if i == 0 { NT } else { pred[i - 1] };
                if g != p || gp != pp {
                    self.trans[gp][g] += 1.0;
                    self.trans_u[gp][g] += self.c;
                    self.trans[pp][p] -= 1.0;
                    self.trans_u[pp][p] -= self.c;
                }
                if g != p {
                    wrong += 1;
                    for &f in &feats[offsets[i]..offsets[i + 1]] {
                        self.bump(f, g, 1.0);
                        self.bump(f, p, -1.0);
                    }
                }
            }
        }
        self.c += 1.0;
        wrong
    }

    /// Averaged weights, centred per feature and pruned (features whose largest weight
    /// is below `prune` are dropped).
    pub fn export(&self, prune: f32) -> Rows {
        let avg = |w: f32, u: f32| w - u / self.c;
        let mut rows: Vec<(u32, [f32; NT])> = Vec::new();
        for (&k, &r) in &self.index {
            let r = r as usize;
            let mut a = [0f32; NT];
            for t in 0..NT {
                a[t] = avg(self.w[r][t], self.u[r][t]);
            }
            // Only differences between tags matter; centring lets pruning and
            // quantisation see the informative part.
            let mean = a.iter().sum::<f32>() / NT as f32;
            for x in a.iter_mut() {
                *x -= mean;
            }
            if a.iter().any(|x| x.abs() >= prune) {
                rows.push((k, a));
            }
        }
        rows.sort_by_key(|r| r.0);
        let mut trans = [[0f32; NT]; NT + 1];
        for p in 0..=NT {
            for t in 0..NT {
                trans[p][t] = avg(self.trans[p][t], self.trans_u[p][t]);
            }
        }
        Rows { rows, trans }
    }
}

/// The mean of several models' weights (a feature missing from one counts as zero
/// there), pruned after averaging: what training several
/// models on different shuffles ends with (NER and quote tagger alike).
pub fn average(models: &[Rows], prune: f32) -> Rows {
    let n = models.len().max(1) as f32;
    let mut sum: HashMap<u32, [f32; NT]> = HashMap::new();
    let mut trans = [[0f32; NT]; NT + 1];
    for m in models {
        for (k, w) in &m.rows {
            let e = sum.entry(*k).or_insert([0.0; NT]);
            for t in 0..NT {
                e[t] += w[t] / n;
            }
        }
        for p in 0..=NT {
            for t in 0..NT {
                trans[p][t] += m.trans[p][t] / n;
            }
        }
    }
    let mut rows: Vec<(u32, [f32; NT])> = sum
        .into_iter()
        .filter(|(_, w)| w.iter().any(|x| x.abs() >= prune))
        .collect();
    rows.sort_by_key(|r| r.0);
    Rows { rows, trans }
}
