//! The date lexicon's keys (normalized first words) in an open-addressing table probed with a
//! key's first eight bytes and its length (see [`head`]): a token that is no key, most of a text,
//! costs one multiply and a slot read or two, and no string is hashed or built (the Bloom filter
//! and hash map it replaces hashed every hit twice and built "ال" + word for "لل" words).

use crate::rules::dates::{DateLexicon, Entry};
use crate::text::arabic::ARTICLE;

/// The table: every key of a [`DateLexicon`] with its entries.
#[derive(Clone, Debug, Default)]
pub(super) struct Keys {
    /// Index + 1 into `keys`, 0 for an empty slot; a power of two at least four times the number
    /// of keys, so that a miss reads about 1.4 slots (linear probing).
    slots: Vec<u32>,
    /// `slots.len() == 1 << bits`.
    bits: u32,
    keys: Vec<Key>,
}

/// One lexicon key with its entries.
#[derive(Clone, Debug)]
pub(super) struct Key {
    /// [`head`] of `text`.
    head: u64,
    text: Box<[u8]>,
    /// The entries whose first word is this key.
    pub(super) list: Vec<Entry>,
    /// Whether an entry can start a match ([`Meaning::can_start`]), so that the per-token
    /// lookups need not look.
    ///
    /// [`Meaning::can_start`]: crate::rules::dates::Meaning::can_start
    pub(super) starts: bool,
}

/// The article, which [`Keys::get_al`] puts before a word without building the key.
const AL: &[u8] = ARTICLE.as_bytes();

impl Keys {
    /// Compiles the lexicon.
    pub(super) fn new(lex: &DateLexicon) -> Keys {
        let bits = (4 * lex.len()).next_power_of_two().max(16).trailing_zeros();
        let mut t = Keys {
            slots: vec![0; 1 << bits],
            bits,
            keys: Vec::with_capacity(lex.len()),
        };
        for (text, list) in lex {
            let b = text.as_bytes();
            let mut h = t.slot(head(b), b.len());
            while t.slots[h] != 0 {
                h = (h + 1) & (t.slots.len() - 1);
            }
            t.keys.push(Key {
                head: head(b),
                text: b.into(),
                starts: list.iter().any(|e| e.meaning.can_start()),
                list: list.clone(),
            });
            t.slots[h] = t.keys.len() as u32;
        }
        t
    }

    pub(super) fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The first slot of a key of `len` bytes whose first eight are `head`.
    fn slot(&self, head: u64, len: usize) -> usize {
        let x = head ^ (len as u64).wrapping_mul(0xFF51_AFD7_ED55_8CCD);
        (x.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - self.bits)) as usize
    }

    /// The key of `len` bytes whose first eight (zero-padded) are `head` and whose bytes after
    /// the eighth are `tail`. Equal heads and lengths mean equal first eight bytes.
    #[inline]
    fn probe(&self, head: u64, len: usize, tail: &[u8]) -> Option<&Key> {
        let mask = self.slots.len().checked_sub(1)?;
        let mut h = self.slot(head, len);
        loop {
            let k = self.keys.get((self.slots[h] as usize).checked_sub(1)?)?;
            if k.head == head && k.text.len() == len && k.text.get(8..).unwrap_or_default() == tail
            {
                return Some(k);
            }
            h = (h + 1) & mask;
        }
    }

    /// The key `b`, whose [`head`] is `b_head`.
    #[inline]
    pub(super) fn get_headed(&self, b: &[u8], b_head: u64) -> Option<&Key> {
        self.probe(b_head, b.len(), b.get(8..).unwrap_or_default())
    }

    /// The key `b`.
    #[inline]
    pub(super) fn get(&self, b: &[u8]) -> Option<&Key> {
        self.get_headed(b, head(b))
    }

    /// The key "ال" + `rest`, without building it.
    #[inline]
    pub(super) fn get_al(&self, rest: &[u8]) -> Option<&Key> {
        // The article's four bytes, then the first four of `rest` (the others shift out).
        let head = head(AL) | head(rest) << 32;
        self.probe(
            head,
            AL.len() + rest.len(),
            rest.get(4..).unwrap_or_default(),
        )
    }
}

/// The first eight bytes of `b` as a little-endian number, zero-padded. A shorter slice is read
/// as two overlapping halves (bytes 0.. and ..len), which agree where they overlap: no loop for
/// the many short tokens.
pub(super) fn head(b: &[u8]) -> u64 {
    let n = b.len();
    if let Some(h) = b.first_chunk::<8>() {
        return u64::from_le_bytes(*h);
    }
    let (lo, hi, k) = match (b.first_chunk::<4>(), b.first_chunk::<2>()) {
        (Some(lo), _) => (
            u64::from(u32::from_le_bytes(*lo)),
            u64::from(u32::from_le_bytes(
                b[n - 4..].try_into().unwrap_or_default(),
            )),
            n - 4,
        ),
        (None, Some(lo)) => (
            u64::from(u16::from_le_bytes(*lo)),
            u64::from(u16::from_le_bytes(
                b[n - 2..].try_into().unwrap_or_default(),
            )),
            n - 2,
        ),
        (None, None) => return b.first().map_or(0, |&x| u64::from(x)),
    };
    lo | hi << (8 * k)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dates::tests::lexicon;

    /// The table finds every key with its entries, the article + word like the built key, and
    /// nothing else (prefixes, extensions and other words of the same length and head).
    #[test]
    fn keys_find_exactly_the_lexicon() {
        let lex = lexicon();
        let keys = Keys::new(&lex);
        assert!(Keys::default().get(b"x").is_none() && Keys::default().get_al(b"x").is_none());
        let mut probes: Vec<String> = lex.keys().cloned().collect();
        for k in lex.keys() {
            probes.extend([format!("{k}x"), format!("{k}\0"), format!("x{k}")]);
            probes.extend(k.char_indices().map(|(i, _)| k[..i].to_owned()));
            let mut b = k.clone().into_bytes();
            *b.last_mut().expect("non-empty") ^= 1;
            probes.extend(String::from_utf8(b).ok());
        }
        for p in &probes {
            let got = keys.get(p.as_bytes());
            assert_eq!(
                got.map(|k| &k.text[..]),
                lex.get_key_value(p).map(|(k, _)| k.as_bytes())
            );
            if let (Some(k), Some(list)) = (got, lex.get(p)) {
                assert!(k
                    .list
                    .iter()
                    .map(|e| e.meaning)
                    .eq(list.iter().map(|e| e.meaning)));
            }
            if let Some(rest) = p.strip_prefix(ARTICLE) {
                let al = keys.get_al(rest.as_bytes()).map(|k| &k.text[..]);
                assert_eq!(al, got.map(|k| &k.text[..]), "{p:?}");
            }
        }
    }

    /// [`head`] is the first eight bytes, zero-padded, for every length.
    #[test]
    fn heads() {
        for b in &crate::dates::tests::byte_samples() {
            let mut h = [0u8; 8];
            let n = b.len().min(8);
            h[..n].copy_from_slice(&b[..n]);
            assert_eq!(head(b), u64::from_le_bytes(h), "{b:?}");
        }
    }
}
