//! [`SharedStr`]: a string that shares the file it was read from.
//!
//! Names and values read from a document are slices of the document's text,
//! kept alive by a reference count instead of copied: ten thousand profiles
//! used to cost one allocation per value, name and chain link (over 100,000
//! in all, each on malloc's slow path); now they cost none. A `SharedStr`
//! made from a `String` or `&str` owns a copy, so code that builds names and
//! values itself uses it the same way. It compares, orders and hashes as the
//! `str` it holds, so maps keyed by it are searched with a `&str`.

use std::borrow::Borrow;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::{Deref, Range};
use std::sync::Arc;

/// The text slices share. Its reference counts and its `String` header are
/// kept on different cache lines: one thread counting new slices while another
/// reads the text (`profile::view` checks portability on a second thread) would
/// otherwise fight over one line (measured: 2 ms of 8 at 10,000 profiles).
#[repr(align(64))]
#[derive(PartialEq, Eq)]
pub struct Buffer(String);

impl Buffer {
    /// Shares `text`.
    pub fn new(text: String) -> Arc<Buffer> {
        Arc::new(Buffer(text))
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Deref for Buffer {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

/// An immutable string: a byte range of a shared buffer. Cloning it is a
/// reference-count increment.
///
/// The range is kept as two `u32`s (16 bytes in all, against 24 with
/// `usize`s: a million-section file holds several million of these). A range
/// that does not fit, in a text of 4 GiB or more, is copied into a buffer of
/// its own and marked [`WHOLE`]: it then stands for that whole buffer, of any
/// length.
#[derive(Clone)]
pub struct SharedStr {
    buf: Arc<Buffer>,
    start: u32,
    end: u32,
}

/// `start` and `end` of a [`SharedStr`] that is its whole buffer.
const WHOLE: u32 = u32::MAX;

impl SharedStr {
    /// `buf[range]`, sharing `buf`. `range` must lie on character boundaries
    /// (it panics otherwise, as slicing a `str` would).
    pub fn slice(buf: &Arc<Buffer>, range: Range<usize>) -> SharedStr {
        // Checked here to fail where a bad range is made; `as_str` slices
        // with the same checks.
        assert!(
            buf.is_char_boundary(range.start)
                && buf.is_char_boundary(range.end)
                && range.start <= range.end,
            "SharedStr::slice: {range:?} is not a range of whole characters"
        );
        match (u32::try_from(range.start), u32::try_from(range.end)) {
            (Ok(start), Ok(end)) if end != WHOLE => SharedStr {
                buf: Arc::clone(buf),
                start,
                end,
            },
            _ => SharedStr::from(buf[range].to_string()),
        }
    }

    /// `part`, a slice of this text (e.g. a name trimmed out of a header),
    /// sharing the same buffer; a copy when `part` lies elsewhere.
    pub fn sub(&self, part: &str) -> SharedStr {
        let whole = self.as_str();
        let offset = (part.as_ptr() as usize).wrapping_sub(whole.as_ptr() as usize);
        if offset <= whole.len() && part.len() <= whole.len() - offset {
            let start = self.start_in_buffer() + offset;
            SharedStr::slice(&self.buf, start..start + part.len())
        } else {
            SharedStr::from(part)
        }
    }

    /// The text as a `str`.
    pub fn as_str(&self) -> &str {
        // Checked at construction: in bounds and on character boundaries.
        if self.end == WHOLE {
            &self.buf
        } else {
            &self.buf[self.start as usize..self.end as usize]
        }
    }

    /// `s` in a buffer of its own, marked as the whole of it: what a text of
    /// 4 GiB or more, whose ranges do not fit in `u32`s, is held as.
    fn whole(s: String) -> SharedStr {
        SharedStr {
            buf: Buffer::new(s),
            start: WHOLE,
            end: WHOLE,
        }
    }

    /// Where the text starts in its buffer.
    fn start_in_buffer(&self) -> usize {
        if self.end == WHOLE {
            0
        } else {
            self.start as usize
        }
    }
}

impl Deref for SharedStr {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for SharedStr {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for SharedStr {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl Default for SharedStr {
    fn default() -> SharedStr {
        SharedStr::from(String::new())
    }
}

impl From<String> for SharedStr {
    fn from(s: String) -> SharedStr {
        match u32::try_from(s.len()) {
            Ok(end) if end != WHOLE => SharedStr {
                buf: Buffer::new(s),
                start: 0,
                end,
            },
            _ => SharedStr::whole(s),
        }
    }
}

impl From<&str> for SharedStr {
    fn from(s: &str) -> SharedStr {
        SharedStr::from(s.to_string())
    }
}

impl From<&SharedStr> for SharedStr {
    fn from(s: &SharedStr) -> SharedStr {
        s.clone()
    }
}

impl PartialEq for SharedStr {
    fn eq(&self, other: &SharedStr) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for SharedStr {}

impl PartialEq<str> for SharedStr {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for SharedStr {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for SharedStr {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<SharedStr> for str {
    fn eq(&self, other: &SharedStr) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<SharedStr> for &str {
    fn eq(&self, other: &SharedStr) -> bool {
        *self == other.as_str()
    }
}

impl PartialOrd for SharedStr {
    fn partial_cmp(&self, other: &SharedStr) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for SharedStr {
    fn cmp(&self, other: &SharedStr) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl Hash for SharedStr {
    /// As `str` hashes, so `Borrow<str>` lookups agree.
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl fmt::Display for SharedStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_str(), f)
    }
}

impl fmt::Debug for SharedStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl serde::Serialize for SharedStr {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, HashMap};

    #[test]
    fn a_slice_shares_the_buffer_and_reads_as_its_range() {
        let buf = Buffer::new("[profile dev]\nregion = eu-west-1\n".to_string());
        let name = SharedStr::slice(&buf, 9..12);
        let value = SharedStr::slice(&buf, 23..32);
        assert_eq!(&*name, "dev");
        assert_eq!(value, "eu-west-1");
        assert_eq!(Arc::strong_count(&buf), 3);
        drop(name);
        assert_eq!(Arc::strong_count(&buf), 2);
    }

    #[test]
    fn compares_orders_and_hashes_as_str() {
        let buf = Buffer::new("b a".to_string());
        let b = SharedStr::slice(&buf, 0..1);
        let a = SharedStr::slice(&buf, 2..3);
        assert!(a < b);
        assert_eq!(a, SharedStr::from("a"));
        let tree: BTreeMap<SharedStr, u8> = [(b.clone(), 2), (a.clone(), 1)].into();
        assert_eq!(tree.get("a"), Some(&1));
        assert_eq!(
            tree.keys().map(|k| k.as_str()).collect::<Vec<_>>(),
            ["a", "b"]
        );
        let hashed: HashMap<SharedStr, u8> = [(b, 2)].into();
        assert_eq!(hashed.get("b"), Some(&2));
    }

    #[test]
    fn sub_shares_a_part_and_copies_anything_else() {
        let buf = Buffer::new("[ profile dev ]".to_string());
        let header = SharedStr::slice(&buf, 1..14);
        let name = header.sub(header.trim().split_once(' ').unwrap().1);
        assert_eq!(name, "dev");
        assert_eq!(Arc::strong_count(&buf), 3);
        let elsewhere = header.sub("dev");
        assert_eq!(elsewhere, "dev");
        assert_eq!(Arc::strong_count(&buf), 3);
        assert_eq!(header.sub(&header[13..]), "");
    }

    #[test]
    fn is_sixteen_bytes_and_a_whole_buffer_reads_as_all_of_it() {
        assert_eq!(std::mem::size_of::<SharedStr>(), 16);
        assert_eq!(std::mem::size_of::<Option<SharedStr>>(), 16);
        // What a range beyond 4 GiB is copied into (allocating 4 GiB in a test
        // is not worth it: `slice` and `from` take this path by `u32::try_from`).
        let whole = SharedStr::whole("[ profile dev ]".to_string());
        assert_eq!(whole, "[ profile dev ]");
        assert_eq!(whole.len(), 15);
        let name = whole.sub(&whole[10..13]);
        assert_eq!(name, "dev");
        assert!(Arc::ptr_eq(&name.buf, &whole.buf));
        assert_eq!(name.sub(&name[1..]), "ev");
        assert_eq!(SharedStr::slice(&whole.buf, 2..9), "profile");
    }

    #[test]
    #[should_panic(expected = "not a range of whole characters")]
    fn refuses_half_a_character() {
        let buf = Buffer::new("é".to_string());
        SharedStr::slice(&buf, 0..1);
    }

    #[test]
    fn prints_and_serialises_as_the_string() {
        let s = SharedStr::from("x\"y");
        assert_eq!(s.to_string(), "x\"y");
        assert_eq!(format!("{s:?}"), "\"x\\\"y\"");
        assert_eq!(serde_json::to_string(&s).unwrap(), "\"x\\\"y\"");
        assert_eq!(SharedStr::default(), "");
    }
}
