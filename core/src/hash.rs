//! A small, stable 128-bit hash for decision ids and A/B seeds. Unlike
//! `std::collections::hash_map::DefaultHasher`, its output never changes between Rust
//! versions or platforms (it is specified here, byte for byte). Not cryptographic: it
//! identifies decisions, it does not protect anything.
//!
//! Two 64-bit multiply-rotate lanes consume the input eight bytes (little-endian) at a
//! time; the length and a final avalanche (the splitmix64 finalizer) close it.

/// Streaming stable hasher. Implements `std::io::Write` so serde can serialize straight
/// into it without building a string.
#[derive(Debug, Clone, Copy)]
pub struct StableHasher {
    a: u64,
    b: u64,
    buf: u64,
    buf_len: u32,
    len: u64,
}

const K1: u64 = 0x9E37_79B9_7F4A_7C15;
const K2: u64 = 0xC2B2_AE3D_27D4_EB4F;

impl Default for StableHasher {
    fn default() -> Self {
        StableHasher {
            a: 0x243F_6A88_85A3_08D3,
            b: 0x1319_8A2E_0370_7344,
            buf: 0,
            buf_len: 0,
            len: 0,
        }
    }
}

fn avalanche(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl StableHasher {
    /// A fresh hasher.
    pub fn new() -> Self {
        Self::default()
    }

    #[inline]
    fn mix(&mut self, w: u64) {
        self.a = (self.a ^ w).wrapping_mul(K1).rotate_left(29);
        self.b = (self.b.rotate_left(23) ^ w).wrapping_mul(K2);
    }

    /// Feeds bytes.
    pub fn update(&mut self, mut bytes: &[u8]) {
        self.len = self.len.wrapping_add(bytes.len() as u64);
        while self.buf_len != 0 && !bytes.is_empty() {
            self.buf |= u64::from(bytes[0]) << (8 * self.buf_len);
            self.buf_len += 1;
            bytes = &bytes[1..];
            if self.buf_len == 8 {
                let w = self.buf;
                self.mix(w);
                self.buf = 0;
                self.buf_len = 0;
            }
        }
        if self.buf_len != 0 {
            return; // all input went into the partial word
        }
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.mix(u64::from_le_bytes(w));
        }
        for (i, b) in chunks.remainder().iter().enumerate() {
            self.buf |= u64::from(*b) << (8 * i);
        }
        self.buf_len = chunks.remainder().len() as u32;
    }

    /// Feeds a string followed by a separator byte, so that `("ab","c")` ≠ `("a","bc")`.
    pub fn field(&mut self, s: &str) {
        self.update(s.as_bytes());
        self.update(&[0xff]);
    }

    /// The hash value.
    pub fn finish(&self) -> u128 {
        let mut h = *self;
        let tail = h.buf | (1u64 << (8 * h.buf_len.min(7)));
        h.mix(tail);
        h.mix(h.len);
        let hi = avalanche(h.a ^ h.b.rotate_left(32));
        let lo = avalanche(h.b ^ hi);
        (u128::from(hi) << 64) | u128::from(lo)
    }

    /// The hash as 32 lowercase hex digits.
    pub fn hex(&self) -> String {
        format!("{:032x}", self.finish())
    }
}

impl std::io::Write for StableHasher {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.update(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Batches the many tiny writes a serializer makes (quotes, colons, short strings) before
/// they reach the hasher; the hash is the same as writing them directly.
#[derive(Debug)]
pub struct BufferedHasher<'h> {
    hasher: &'h mut StableHasher,
    buf: [u8; 256],
    len: usize,
}

impl<'h> BufferedHasher<'h> {
    /// Wraps a hasher.
    pub fn new(hasher: &'h mut StableHasher) -> Self {
        BufferedHasher {
            hasher,
            buf: [0; 256],
            len: 0,
        }
    }

    fn drain(&mut self) {
        self.hasher.update(&self.buf[..self.len]);
        self.len = 0;
    }
}

impl std::io::Write for BufferedHasher<'_> {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        if data.len() > self.buf.len() - self.len {
            self.drain();
            if data.len() >= self.buf.len() {
                self.hasher.update(data);
                return Ok(data.len());
            }
        }
        self.buf[self.len..self.len + data.len()].copy_from_slice(data);
        self.len += data.len();
        Ok(data.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.drain();
        Ok(())
    }
}

impl Drop for BufferedHasher<'_> {
    fn drop(&mut self) {
        self.drain();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex_of(parts: &[&[u8]]) -> String {
        let mut h = StableHasher::new();
        for p in parts {
            h.update(p);
        }
        h.hex()
    }

    #[test]
    fn chunking_does_not_change_the_hash() {
        let text = b"the quick brown fox jumps over the lazy dog, 0123456789";
        let whole = hex_of(&[text]);
        for split in 0..text.len() {
            assert_eq!(
                hex_of(&[&text[..split], &text[split..]]),
                whole,
                "split {split}"
            );
        }
        let bytes: Vec<&[u8]> = text.chunks(1).collect();
        assert_eq!(hex_of(&bytes), whole);
    }

    #[test]
    fn distinct_inputs_distinct_hashes_and_fixed_values() {
        let mut seen = std::collections::HashSet::new();
        for n in 0..10_000u32 {
            assert!(seen.insert(hex_of(&[n.to_string().as_bytes()])));
        }
        assert_ne!(hex_of(&[b""]), hex_of(&[b"\0"]));
        // Pinned values: a change here changes every decision id.
        assert_eq!(hex_of(&[b""]), FIXED_EMPTY);
        assert_eq!(hex_of(&[b"ringback"]), FIXED_RINGBACK);
    }

    const FIXED_EMPTY: &str = "f7f94f6d40bbc2e940361e5137e23c9c";
    const FIXED_RINGBACK: &str = "3e3b6e4b36b7459aec27d8bf8ee5ae73";
}
