//! Offsets in the unit a client asks for: code points, UTF-8 bytes or UTF-16 code units.
//!
//! Internally every span is a byte range of the original UTF-8 text on character boundaries.
//! [`UnitConverter`] converts many byte offsets with one forward walk over the text, so the cost
//! is O(text + offsets · log offsets), never a rescan per mention.

use serde::Serialize;

/// The unit of reported offsets.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub enum OffsetUnit {
    /// Unicode scalar values (Python `str` indices). The default.
    #[default]
    #[serde(rename = "OFFSET_UNIT_CODE_POINT")]
    CodePoint,
    /// UTF-8 bytes (Rust, Go, C byte indices).
    #[serde(rename = "OFFSET_UNIT_UTF8_BYTE")]
    Utf8Byte,
    /// UTF-16 code units (Java, JavaScript, C# indices); astral characters count 2.
    #[serde(rename = "OFFSET_UNIT_UTF16_CODE_UNIT")]
    Utf16CodeUnit,
}

/// Collects byte offsets, then converts them all in one pass.
#[derive(Debug, Default)]
pub(crate) struct UnitConverter {
    offsets: Vec<usize>,
}

impl UnitConverter {
    /// Registers a byte offset (a character boundary of the text) to convert later.
    pub fn add(&mut self, byte: usize) {
        self.offsets.push(byte);
    }

    /// Converts every registered offset. Returns a lookup from byte offset to offset in `unit`.
    pub fn finish(mut self, text: &str, unit: OffsetUnit) -> Converted {
        self.offsets.sort_unstable();
        self.offsets.dedup();
        let mut out = Vec::with_capacity(self.offsets.len());
        if unit == OffsetUnit::Utf8Byte {
            out.extend(self.offsets.iter().map(|&b| (b, b as u32)));
            return Converted { map: out };
        }
        // Count the units of each gap between consecutive offsets: `chars().count()` is a fast
        // word-at-a-time scan, and in UTF-16 every 4-byte character (lead byte 0xF0..) counts
        // twice.
        let mut count = 0u32;
        let mut prev = 0usize;
        for &b in &self.offsets {
            let end = b.min(text.len());
            let gap = &text.as_bytes()[prev.min(end)..end];
            let chars = match text.get(prev.min(end)..end) {
                Some(s) => s.chars().count(),
                // Not on character boundaries (never for a mention): every byte that is not a
                // continuation byte starts a character.
                None => gap.len() - gap.iter().filter(|&&x| x & 0xC0 == 0x80).count(),
            };
            let astral = match unit {
                OffsetUnit::Utf16CodeUnit => gap.iter().filter(|&&x| x >= 0xF0).count(),
                _ => 0,
            };
            count += (chars + astral) as u32;
            out.push((b, count));
            prev = b.max(prev);
        }
        Converted { map: out }
    }
}

/// The result of [`UnitConverter::finish`].
#[derive(Debug)]
pub(crate) struct Converted {
    map: Vec<(usize, u32)>,
}

impl Converted {
    /// The converted value of a registered byte offset.
    pub fn get(&self, byte: usize) -> u32 {
        match self.map.binary_search_by_key(&byte, |&(b, _)| b) {
            Ok(i) => self.map[i].1,
            Err(_) => panic!("offset {byte} was not registered"),
        }
    }
}

/// Cuts `text` at `[start, end)` given in `unit` (for tests and clients' point of view).
pub fn cut(text: &str, start: u32, end: u32, unit: OffsetUnit) -> Option<String> {
    match unit {
        OffsetUnit::Utf8Byte => text.get(start as usize..end as usize).map(str::to_owned),
        OffsetUnit::CodePoint => {
            let v: Vec<char> = text.chars().collect();
            v.get(start as usize..end as usize)
                .map(|s| s.iter().collect())
        }
        OffsetUnit::Utf16CodeUnit => {
            let v: Vec<u16> = text.encode_utf16().collect();
            v.get(start as usize..end as usize)
                .and_then(|s| String::from_utf16(s).ok())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_units() {
        let text = "a😀روسيا";
        let start = text.find('ر').unwrap();
        let end = text.len();
        for (unit, s, e) in [
            (OffsetUnit::Utf8Byte, 5, 15),
            (OffsetUnit::CodePoint, 2, 7),
            (OffsetUnit::Utf16CodeUnit, 3, 8),
        ] {
            let mut c = UnitConverter::default();
            c.add(end);
            c.add(start);
            let conv = c.finish(text, unit);
            assert_eq!((conv.get(start), conv.get(end)), (s, e), "{unit:?}");
            assert_eq!(cut(text, s, e, unit).as_deref(), Some("روسيا"));
        }
    }
}
