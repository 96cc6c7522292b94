//! One immutable index segment: sorted fixed-width arrays in a single little-endian file, read
//! through a memory map so that a check touches only the pages it needs.
//!
//! Layout: a 64-byte header, a section table, then the sections, each 8-byte aligned.
//!
//! ```text
//! 0   magic "CHACHONG"             8   format version (u32)        12  file kind (u32)
//! 16  hash algorithm (u32)         20  shingle words (u32)         24  winnow window (u32)
//! 28  analysis version (u32)       32  section count (u32)         36  analysis flags (u32)
//! 40  xxh3 of header[0..40] + header[56..64] + section table (u64) 48  xxh3 of all bytes after the header (u64)
//! 56  digest of the mark rules added to the built-in table (u64, 0 for none)
//! 64  section table: per section kind (u32), element width (u32), offset (u64), byte length (u64),
//!     xxh3 of the section's bytes (u64)
//! ```
//!
//! Opening a file checks the header checksum and then every section's, reading the file once from
//! start to end: a damaged byte that a lookup would read is an error before any lookup, never a
//! wrong answer (a flipped byte in the posting fences once turned copies into `original`). The body
//! checksum also covers the padding between sections, which nothing reads; it is checked right
//! after writing, before the file is renamed into place, and by `chachong index --verify`.
//! The same layout, held in memory, is the index of a corpus checked without a stored index, so
//! both paths run the same query code.
//!
//! The analysis flags and the mark digest ([`Stamp`]) say how the text was analysed before it was
//! fingerprinted: a check whose analysis differs would look up fingerprints the index never
//! made, and find nothing with no error, so they are stored (format 5) and compared on open.
//! Format 4 files, the oldest read ([`OLDEST_READABLE_FORMAT_VERSION`]), have neither and sum
//! their header without bytes 56..64; they were built with the default analysis.

use crate::params::{
    ANALYSIS_VERSION, INDEX_FORMAT_VERSION, OLDEST_READABLE_FORMAT_VERSION, SHINGLE_WORDS,
    VERIFY_CHUNK_BYTES, WINNOW_WINDOW,
};
use memmap2::Mmap;
use rayon::prelude::*;
use std::fmt;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use xxhash_rust::xxh3::{xxh3_64, Xxh3};

#[cfg(target_endian = "big")]
compile_error!(
    "the index format is little-endian and is read in place; big-endian targets are not supported"
);

const MAGIC: &[u8; 8] = b"CHACHONG";
const HEADER_LEN: usize = 64;
const TABLE_ENTRY_LEN: usize = 32;
/// Shingle and fingerprint hashes are xxh3-64 with seed 0 (see `shingle`): id 1 in the header.
const HASH_XXH3_64: u32 = 1;

/// The analysis settings a file's fingerprints were made with, beyond the constants the header
/// also holds: both change the fingerprints of the same text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Stamp {
    /// Traditional chars folded to simplified (`--fold-traditional`).
    pub fold_traditional: bool,
    /// Digest of the mark rules added to the built-in table (`--marks FILE`), 0 for none.
    pub marks: u64,
}

impl Stamp {
    /// Header bit 0 of the analysis flags: folded.
    const FOLDED: u32 = 1;

    fn flags(self) -> u32 {
        if self.fold_traditional {
            Stamp::FOLDED
        } else {
            0
        }
    }
}

impl fmt::Display for Stamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.fold_traditional { "--fold-traditional" } else { "no --fold-traditional" })?;
        match self.marks {
            0 => f.write_str(", the built-in marks"),
            d => write!(f, ", the built-in marks and a --marks file (digest {d:016x})"),
        }
    }
}

/// What a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u32)]
pub enum FileKind {
    Segment = 1,
    Deletes = 2,
}

/// The sections a file may hold, by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u32)]
pub enum Section {
    /// u32 per document + 1: the document's first paragraph (segment-local numbering).
    DocStart = 1,
    /// u32 per paragraph: its document.
    ParaDoc = 2,
    /// u64 per posting, sorted: the winnowed fingerprint.
    PostKeys = 3,
    /// u32 per posting: the paragraph holding it.
    PostParas = 4,
    /// u64 per distinct shingle, sorted.
    DfKeys = 5,
    /// u32 per distinct shingle: documents holding it.
    DfCounts = 6,
    /// u64 per paragraph.
    Simhashes = 7,
    /// u64 per paragraph, sorted: (16-bit block of the SimHash) << 32 | paragraph, one per block.
    SimTable0 = 8,
    SimTable1 = 9,
    SimTable2 = 10,
    SimTable3 = 11,
    /// u64 per document + 1: offsets into `Names`.
    NameOffsets = 12,
    /// The documents' names (paths relative to the corpus root, `/`-separated), concatenated: the
    /// bytes the file system gave, which need not be UTF-8 (format version 4; version 3 held
    /// them lossily, so that two GBK names could be one).
    Names = 13,
    /// u64 × 3 per document: file size, modification time (ns since the epoch), xxh3 of the bytes.
    DocMeta = 14,
    /// u32 × 4 per paragraph: start and end char, start and end byte in the document text.
    Paras = 15,
    /// u64 per document + 1: offsets into `Texts`.
    TextOffsets = 16,
    /// Each document's text, deflate-compressed.
    Texts = 17,
    /// u64 × [`VERSION_SKETCH`] per document: the smallest of its distinct shingle hashes, padded
    /// with `u64::MAX` (a bottom-k MinHash sketch, for telling versions of one document apart from
    /// independent documents).
    DocSketch = 18,
    /// u64 per removed document, sorted: segment number << 32 | document in that segment.
    Tombstones = 20,
    /// u64 per shingle, sorted: shingles whose document frequency the removed documents lower.
    DfDeltaKeys = 21,
    /// u32 per shingle: by how much.
    DfDeltaCounts = 22,
    /// u64 per fingerprint, sorted: fingerprints whose postings the removed documents held.
    PostDeltaKeys = 23,
    /// u32 per fingerprint: how many postings.
    PostDeltaCounts = 24,
    /// Every [`FENCE_STRIDE`]th key of a sorted section, so that a lookup binary-searches a small,
    /// cache-resident array and then one page of the large one, instead of faulting in a page per
    /// step of a binary search over hundreds of megabytes.
    PostKeysFence = 30,
    DfKeysFence = 31,
    SimTable0Fence = 32,
    SimTable1Fence = 33,
    SimTable2Fence = 34,
    SimTable3Fence = 35,
}

const SECTION_SLOTS: usize = 36;

impl Section {
    /// The section of a table entry's id; `None` for an id no version of the format uses.
    fn from_id(id: u32) -> Option<Section> {
        use Section::*;
        Some(match id {
            1 => DocStart,
            2 => ParaDoc,
            3 => PostKeys,
            4 => PostParas,
            5 => DfKeys,
            6 => DfCounts,
            7 => Simhashes,
            8 => SimTable0,
            9 => SimTable1,
            10 => SimTable2,
            11 => SimTable3,
            12 => NameOffsets,
            13 => Names,
            14 => DocMeta,
            15 => Paras,
            16 => TextOffsets,
            17 => Texts,
            18 => DocSketch,
            20 => Tombstones,
            21 => DfDeltaKeys,
            22 => DfDeltaCounts,
            23 => PostDeltaKeys,
            24 => PostDeltaCounts,
            30 => PostKeysFence,
            31 => DfKeysFence,
            32 => SimTable0Fence,
            33 => SimTable1Fence,
            34 => SimTable2Fence,
            35 => SimTable3Fence,
            _ => return None,
        })
    }
}

/// Keys per fence entry: 512 u64 keys are one 4 KiB page.
pub const FENCE_STRIDE: usize = 512;

/// Why an index file cannot be used.
#[derive(Debug)]
pub enum FormatError {
    Io(PathBuf, io::Error),
    /// Written by another format version or with other fingerprint parameters: never misread it.
    Incompatible(PathBuf, String),
    /// Damaged: what a lookup would read is not what was written.
    Corrupt(PathBuf, Damage),
}

/// What is wrong with a damaged index file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Damage {
    /// No magic, or shorter than a header.
    NotAnIndex,
    /// A segment where a deletes file belongs, or the reverse.
    WrongKind,
    /// The section table runs past the end of the file.
    TruncatedTable,
    HeaderChecksum,
    /// A table entry naming an unknown or repeated section, or bounds outside the file.
    BadSectionEntry,
    /// A section's bytes do not match its checksum.
    SectionChecksum(Section),
    /// The bytes after the header do not match the body checksum.
    BodyChecksum,
    /// A length or offset of the section points outside what it indexes, or its size disagrees
    /// with the number of documents or paragraphs.
    OutOfBounds(Section),
    /// Two documents of the index with one name.
    DuplicateName,
}

impl fmt::Display for Damage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Damage::NotAnIndex => write!(f, "not a chachong index file"),
            Damage::WrongKind => write!(f, "unexpected file kind"),
            Damage::TruncatedTable => write!(f, "truncated section table"),
            Damage::HeaderChecksum => write!(f, "header checksum mismatch"),
            Damage::BadSectionEntry => write!(f, "bad section table entry"),
            Damage::SectionChecksum(s) => write!(f, "checksum mismatch in section {s:?}"),
            Damage::BodyChecksum => write!(f, "body checksum mismatch"),
            Damage::OutOfBounds(s) => write!(f, "lengths or offsets out of bounds in section {s:?}"),
            Damage::DuplicateName => write!(f, "two documents with one name"),
        }
    }
}

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FormatError::Io(p, e) => write!(f, "{}: {e}", p.display()),
            FormatError::Incompatible(p, why) => write!(f, "{}: {why}", p.display()),
            FormatError::Corrupt(p, why) => write!(f, "{}: {why}", p.display()),
        }
    }
}

/// A section's contents, kept in their own type until the file is laid out.
enum Data {
    U32(Vec<u32>),
    U64(Vec<u64>),
    Bytes(Vec<u8>),
}

impl Data {
    fn bytes(&self) -> &[u8] {
        match self {
            Data::U32(v) => bytemuck::cast_slice(v),
            Data::U64(v) => bytemuck::cast_slice(v),
            Data::Bytes(v) => v,
        }
    }

    fn width(&self) -> u32 {
        match self {
            Data::U32(_) => 4,
            Data::U64(_) => 8,
            Data::Bytes(_) => 1,
        }
    }
}

/// Builds a file in memory, section by section.
pub struct Writer {
    kind: FileKind,
    stamp: Stamp,
    sections: Vec<(Section, Data)>,
}

impl Writer {
    pub fn new(kind: FileKind, stamp: Stamp) -> Writer {
        Writer { kind, stamp, sections: Vec::new() }
    }

    pub fn u32s(&mut self, s: Section, v: Vec<u32>) {
        self.sections.push((s, Data::U32(v)));
    }

    pub fn u64s(&mut self, s: Section, v: Vec<u64>) {
        self.sections.push((s, Data::U64(v)));
    }

    /// A sorted section of u64 keys, with its fence (see [`Section::PostKeysFence`]).
    pub fn keys(&mut self, s: Section, fence: Section, v: Vec<u64>) {
        let f: Vec<u64> = v.iter().step_by(FENCE_STRIDE).copied().collect();
        self.sections.push((s, Data::U64(v)));
        self.sections.push((fence, Data::U64(f)));
    }

    pub fn bytes(&mut self, s: Section, v: Vec<u8>) {
        self.sections.push((s, Data::Bytes(v)));
    }

    /// The finished file, as 8-byte aligned words so it can be read in place. Each section is
    /// copied once and then freed, so a build holds little more than the file itself.
    pub fn finish(self) -> Vec<u64> {
        let table_len = self.sections.len() * TABLE_ENTRY_LEN;
        let mut offset = align8(HEADER_LEN + table_len);
        let mut table = Vec::with_capacity(table_len);
        for (s, data) in &self.sections {
            let len = data.bytes().len();
            table.extend_from_slice(&(*s as u32).to_le_bytes());
            table.extend_from_slice(&data.width().to_le_bytes());
            table.extend_from_slice(&(offset as u64).to_le_bytes());
            table.extend_from_slice(&(len as u64).to_le_bytes());
            table.extend_from_slice(&xxh3_64(data.bytes()).to_le_bytes());
            offset = align8(offset + len);
        }
        let mut words = vec![0u64; offset / 8];
        let out: &mut [u8] = bytemuck::cast_slice_mut(&mut words);
        out[..8].copy_from_slice(MAGIC);
        let fields = [
            INDEX_FORMAT_VERSION,
            self.kind as u32,
            HASH_XXH3_64,
            SHINGLE_WORDS as u32,
            WINNOW_WINDOW as u32,
            ANALYSIS_VERSION,
            self.sections.len() as u32,
            self.stamp.flags(),
        ];
        for (i, v) in fields.iter().enumerate() {
            out[8 + 4 * i..12 + 4 * i].copy_from_slice(&v.to_le_bytes());
        }
        out[56..64].copy_from_slice(&self.stamp.marks.to_le_bytes());
        out[HEADER_LEN..HEADER_LEN + table_len].copy_from_slice(&table);
        // The sections are copied by both cores, each freed once copied.
        let (_, mut rest) = out.split_at_mut(align8(HEADER_LEN + table_len));
        let mut copies = Vec::with_capacity(self.sections.len());
        for (_, data) in self.sections {
            let (dst, tail) = rest.split_at_mut(align8(data.bytes().len()));
            copies.push((dst, data));
            rest = tail;
        }
        copies.into_par_iter().for_each(|(dst, data)| {
            let bytes = data.bytes();
            dst[..bytes.len()].copy_from_slice(bytes);
        });
        let header_sum = header_checksum(INDEX_FORMAT_VERSION, &out[..HEADER_LEN], &table);
        out[40..48].copy_from_slice(&header_sum.to_le_bytes());
        let body_sum = xxh3_64(&out[HEADER_LEN..]);
        out[48..56].copy_from_slice(&body_sum.to_le_bytes());
        words
    }
}

/// The xxh3 of `len` bytes of `file` from `offset`, read through `buf` (not empty).
fn section_sum(mut file: &File, offset: usize, len: usize, buf: &mut [u8]) -> io::Result<u64> {
    file.seek(SeekFrom::Start(offset as u64))?;
    let mut hasher = Xxh3::new();
    let mut left = len;
    while left > 0 {
        let n = left.min(buf.len());
        let chunk = &mut buf[..n];
        file.read_exact(chunk)?;
        hasher.update(chunk);
        left -= chunk.len();
    }
    Ok(hasher.digest())
}

/// The little-endian u64 at `at` of `bytes`, which the caller has checked holds it.
fn word(bytes: &[u8], at: usize) -> u64 {
    bytes.get(at..at + 8).and_then(|b| b.try_into().ok()).map_or(0, u64::from_le_bytes)
}

fn align8(n: usize) -> usize {
    n.div_ceil(8) * 8
}

/// The header checksum of a file of format `version`: over the header's first 40 bytes, the
/// mark digest (from version 5) and the section table.
fn header_checksum(version: u32, head: &[u8], table: &[u8]) -> u64 {
    let mut buf = Vec::with_capacity(HEADER_LEN + table.len());
    buf.extend_from_slice(&head[..40]);
    if version >= 5 {
        buf.extend_from_slice(&head[56..64]);
    }
    buf.extend_from_slice(table);
    xxh3_64(&buf)
}

/// Where a file's bytes live.
enum Backing {
    Mapped(Mmap),
    Owned(Vec<u64>),
}

/// An open file: its bytes and where each section is.
pub struct IndexFile {
    backing: Backing,
    sections: [(usize, usize); SECTION_SLOTS],
    pub path: PathBuf,
    /// The analysis its fingerprints were made with.
    pub stamp: Stamp,
}

/// A section table entry as read: its section, byte range and checksum.
struct Entry {
    section: Section,
    offset: usize,
    len: usize,
    sum: u64,
}

impl IndexFile {
    /// Opens a file held in memory (the in-memory index of an unindexed check). Its sections'
    /// checksums are not read: the words were just built, and a file about to be written is
    /// checked whole by [`IndexFile::verify`].
    pub fn from_words(words: Vec<u64>, kind: FileKind) -> Result<IndexFile, FormatError> {
        IndexFile::parse(Backing::Owned(words), PathBuf::from("(in memory)"), kind, None)
    }

    /// Memory-maps an index file and checks its header and every section's checksum.
    pub fn open(path: &Path, kind: FileKind) -> Result<IndexFile, FormatError> {
        let file = File::open(path).map_err(|e| FormatError::Io(path.to_path_buf(), e))?;
        // Safety: index files are never modified in place: they are written under a temporary
        // name and renamed, and removed only when no manifest names them.
        let map = unsafe { Mmap::map(&file) }.map_err(|e| FormatError::Io(path.to_path_buf(), e))?;
        // Lookups jump about the file: read-ahead would only fill memory with pages never used.
        #[cfg(unix)]
        let _ = map.advise(memmap2::Advice::Random);
        IndexFile::parse(Backing::Mapped(map), path.to_path_buf(), kind, Some(file))
    }

    /// Reads the header and section table, and, given the file, checks every section's checksum.
    /// The sections are read from the file rather than through the map, so that a check's memory
    /// holds the pages its lookups touch, not the whole index.
    fn parse(
        backing: Backing,
        path: PathBuf,
        kind: FileKind,
        file: Option<File>,
    ) -> Result<IndexFile, FormatError> {
        let mut f = IndexFile { backing, sections: [(0, 0); SECTION_SLOTS], path, stamp: Stamp::default() };
        let corrupt = |p: &Path, why: Damage| FormatError::Corrupt(p.to_path_buf(), why);
        let bytes = f.bytes();
        if bytes.len() < HEADER_LEN || &bytes[..8] != MAGIC {
            return Err(corrupt(&f.path, Damage::NotAnIndex));
        }
        let field = |i: usize| u32::from_le_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]);
        let count = field(32) as usize;
        let table_end = count.checked_mul(TABLE_ENTRY_LEN).and_then(|n| n.checked_add(HEADER_LEN));
        let table = table_end.and_then(|end| bytes.get(HEADER_LEN..end));
        // The header's checksum decides between a file of another version or other parameters
        // (whole, so refused as such) and a damaged header (a flipped byte in the version field
        // is damage when the header sums right with a version read here in it).
        let sums_with = |version: u32| {
            table.is_some_and(|t| {
                let mut head = bytes[..HEADER_LEN].to_vec();
                head[8..12].copy_from_slice(&version.to_le_bytes());
                header_checksum(version, &head, t) == word(bytes, 40)
            })
        };
        let readable = OLDEST_READABLE_FORMAT_VERSION..=INDEX_FORMAT_VERSION;
        let version = field(8);
        let whole = sums_with(version);
        if !readable.contains(&version) && !readable.clone().any(sums_with) {
            let damaged = if whole { "" } else { " (or its header is damaged)" };
            return Err(FormatError::Incompatible(
                f.path.clone(),
                format!(
                    "index format version {version}, this chachong reads versions \
                     {OLDEST_READABLE_FORMAT_VERSION} to {INDEX_FORMAT_VERSION}{damaged}"
                ),
            ));
        }
        if !whole || !readable.contains(&version) {
            let why = if table.is_none() { Damage::TruncatedTable } else { Damage::HeaderChecksum };
            return Err(corrupt(&f.path, why));
        }
        let stamp = if version >= 5 {
            let flags = field(36);
            if flags & !Stamp::FOLDED != 0 {
                return Err(FormatError::Incompatible(
                    f.path.clone(),
                    format!("analysis flags {flags:#x} this chachong does not know"),
                ));
            }
            Stamp { fold_traditional: flags & Stamp::FOLDED != 0, marks: word(bytes, 56) }
        } else {
            Stamp::default()
        };
        let params = [field(16), field(20), field(24), field(28)];
        let ours = [HASH_XXH3_64, SHINGLE_WORDS as u32, WINNOW_WINDOW as u32, ANALYSIS_VERSION];
        if params != ours {
            return Err(FormatError::Incompatible(
                f.path.clone(),
                format!(
                    "built with hash algorithm {}, {}-word shingles, winnow window {}, analysis version {}; \
                     this chachong uses {}, {}, {}, {}",
                    params[0], params[1], params[2], params[3], ours[0], ours[1], ours[2], ours[3]
                ),
            ));
        }
        if field(12) != kind as u32 {
            return Err(corrupt(&f.path, Damage::WrongKind));
        }
        let table = table.unwrap_or_default();
        let mut entries = Vec::with_capacity(count);
        let mut seen = [false; SECTION_SLOTS];
        for entry in table.chunks_exact(TABLE_ENTRY_LEN) {
            let section = Section::from_id(u32::from_le_bytes([entry[0], entry[1], entry[2], entry[3]]));
            let width = u32::from_le_bytes([entry[4], entry[5], entry[6], entry[7]]) as usize;
            // Lengths and offsets beyond the address space saturate, and then fail the bounds check.
            let offset = usize::try_from(word(entry, 8)).unwrap_or(usize::MAX);
            let len = usize::try_from(word(entry, 16)).unwrap_or(usize::MAX);
            let in_bounds = offset.checked_add(len).is_some_and(|end| end <= bytes.len());
            let Some(section) = section.filter(|&s| !seen[s as usize]) else {
                return Err(corrupt(&f.path, Damage::BadSectionEntry));
            };
            if !in_bounds || !offset.is_multiple_of(8) || width == 0 || !len.is_multiple_of(width) {
                return Err(corrupt(&f.path, Damage::BadSectionEntry));
            }
            seen[section as usize] = true;
            entries.push(Entry { section, offset, len, sum: word(entry, 24) });
        }
        if let Some(file) = file {
            // In file order, so that the whole file is read front to back, once.
            entries.sort_by_key(|e| e.offset);
            let mut buf = vec![0u8; VERIFY_CHUNK_BYTES.min(bytes.len())];
            for e in &entries {
                if section_sum(&file, e.offset, e.len, &mut buf)
                    .map_err(|err| FormatError::Io(f.path.clone(), err))?
                    != e.sum
                {
                    return Err(corrupt(&f.path, Damage::SectionChecksum(e.section)));
                }
            }
        }
        for e in entries {
            f.sections[e.section as usize] = (e.offset, e.len);
        }
        f.stamp = stamp;
        Ok(f)
    }

    /// The whole file.
    pub fn bytes(&self) -> &[u8] {
        match &self.backing {
            Backing::Mapped(m) => m,
            Backing::Owned(w) => bytemuck::cast_slice(w),
        }
    }

    /// Checks the body checksum: reads every byte of the file.
    pub fn verify(&self) -> Result<(), FormatError> {
        let bytes = self.bytes();
        // A parsed file is at least a header long.
        if xxh3_64(&bytes[HEADER_LEN..]) != word(bytes, 48) {
            return Err(FormatError::Corrupt(self.path.clone(), Damage::BodyChecksum));
        }
        Ok(())
    }

    /// A section's bytes (empty when absent).
    pub fn raw(&self, s: Section) -> &[u8] {
        let (offset, len) = self.sections[s as usize];
        &self.bytes()[offset..offset + len]
    }

    /// A section of u32s. Offsets are 8-aligned and lengths multiples of the width (checked on
    /// open), and the mapping is page-aligned, so the cast cannot fail.
    pub fn u32s(&self, s: Section) -> &[u32] {
        bytemuck::try_cast_slice(self.raw(s)).unwrap_or(&[])
    }

    /// A section of u64s (see [`IndexFile::u32s`]).
    pub fn u64s(&self, s: Section) -> &[u64] {
        bytemuck::try_cast_slice(self.raw(s)).unwrap_or(&[])
    }

    /// The number of keys of the sorted section `keys` less than `key`, found through the
    /// section's fence. Keys are hashes, spread nearly evenly, so each search starts where `key`
    /// would sit were they exactly even (see `lower_bound`): a lookup reads a cache line or two
    /// of the large section instead of missing the cache at every step of a binary search.
    pub fn lower_bound(&self, keys: Section, fence: Section, key: u64) -> usize {
        let keys = self.u64s(keys);
        let fence = self.u64s(fence);
        if fence.is_empty() {
            return lower_bound(keys, key);
        }
        let b = lower_bound(fence, key);
        let lo = b.saturating_sub(1) * FENCE_STRIDE;
        let hi = (b * FENCE_STRIDE).min(keys.len());
        match keys.get(lo..hi) {
            Some(block) => lo + lower_bound(block, key),
            None => lower_bound(keys, key),
        }
    }

    /// Writes the file atomically to `path`.
    pub fn write_to(&self, path: &Path) -> io::Result<()> {
        crate::atomic::write_atomic(path, |w| w.write_all(self.bytes()))
    }
}

/// The number of elements of the sorted slice `v` less than `key`: a first guess by linear
/// interpolation between the first and last elements, then galloping from it to bracket the
/// answer and a binary search inside the bracket. Exact for any sorted slice; fast when the
/// values are spread evenly.
fn lower_bound(v: &[u64], key: u64) -> usize {
    let (Some(&first), Some(&last)) = (v.first(), v.last()) else { return 0 };
    if key <= first {
        return 0;
    }
    if key > last {
        return v.len();
    }
    // first < key <= last, so last > first and the guess is at most v.len() - 1.
    let guess = ((key - first) as u128 * (v.len() - 1) as u128 / (last - first) as u128) as usize;
    if v[guess] < key {
        // The answer is in (lo, hi]: v[lo] < key, and v[hi] >= key or hi == v.len().
        let mut lo = guess;
        let mut step = 1;
        let hi = loop {
            let probe = lo + step;
            if probe >= v.len() {
                break v.len();
            }
            if v[probe] >= key {
                break probe;
            }
            lo = probe;
            step *= 2;
        };
        lo + 1 + v[lo + 1..hi].partition_point(|&k| k < key)
    } else {
        // The answer is in [lo, hi]: v[hi] >= key, and v[lo - 1] < key or lo == 0.
        let mut hi = guess;
        let mut step = 1;
        let lo = loop {
            if step > hi {
                break 0;
            }
            let probe = hi - step;
            if v[probe] < key {
                break probe + 1;
            }
            hi = probe;
            step *= 2;
        };
        lo + v[lo..hi].partition_point(|&k| k < key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<u64> {
        sample_stamped(Stamp::default())
    }

    fn sample_stamped(stamp: Stamp) -> Vec<u64> {
        let mut w = Writer::new(FileKind::Segment, stamp);
        w.u32s(Section::DocStart, vec![0, 2, 3]);
        w.u64s(Section::PostKeys, vec![5, 9, u64::MAX]);
        w.bytes(Section::Names, "乙.txt甲.txt".as_bytes().to_vec());
        w.finish()
    }

    #[test]
    fn sections_read_back_in_place() {
        let f = IndexFile::from_words(sample(), FileKind::Segment).unwrap();
        assert_eq!(f.u32s(Section::DocStart), &[0, 2, 3]);
        assert_eq!(f.u64s(Section::PostKeys), &[5, 9, u64::MAX]);
        assert_eq!(std::str::from_utf8(f.raw(Section::Names)).unwrap(), "乙.txt甲.txt");
        assert!(f.u64s(Section::Simhashes).is_empty());
        f.verify().unwrap();
    }

    #[test]
    fn a_file_on_disk_is_mapped_and_checked() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("seg");
        IndexFile::from_words(sample(), FileKind::Segment).unwrap().write_to(&path).unwrap();
        let f = IndexFile::open(&path, FileKind::Segment).unwrap();
        assert_eq!(f.u64s(Section::PostKeys), &[5, 9, u64::MAX]);
        assert!(matches!(IndexFile::open(&path, FileKind::Deletes), Err(FormatError::Corrupt(..))));

        // The last byte is padding after the names: no lookup reads it, only the body checksum.
        let mut bytes = std::fs::read(&path).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        std::fs::write(&path, &bytes).unwrap();
        let f = IndexFile::open(&path, FileKind::Segment).unwrap();
        assert!(matches!(f.verify(), Err(FormatError::Corrupt(_, Damage::BodyChecksum))));

        // A byte of the names is read by lookups: the file does not open.
        bytes[last - 4] ^= 1;
        std::fs::write(&path, &bytes).unwrap();
        assert!(matches!(
            IndexFile::open(&path, FileKind::Segment),
            Err(FormatError::Corrupt(_, Damage::SectionChecksum(Section::Names)))
        ));

        bytes[70] ^= 1;
        std::fs::write(&path, &bytes).unwrap();
        assert!(matches!(IndexFile::open(&path, FileKind::Segment), Err(FormatError::Corrupt(..))));
    }

    /// `sample()` with the header field at `at` set to `value`, as a file written so would be, or
    /// (`seal` false) as a flipped byte would leave it.
    fn with_field(at: usize, value: u8, seal: bool) -> Vec<u64> {
        let mut words = sample();
        let bytes: &mut [u8] = bytemuck::cast_slice_mut(&mut words);
        bytes[at] = value;
        if seal {
            let count = u32::from_le_bytes(bytes[32..36].try_into().unwrap()) as usize;
            let version = u32::from_le_bytes(bytes[8..12].try_into().unwrap());
            let table = bytes[HEADER_LEN..HEADER_LEN + count * TABLE_ENTRY_LEN].to_vec();
            let sum = header_checksum(version, &bytes[..HEADER_LEN], &table);
            bytes[40..48].copy_from_slice(&sum.to_le_bytes());
        }
        words
    }

    #[test]
    fn other_versions_and_parameters_are_refused() {
        let err = IndexFile::from_words(with_field(8, 99, true), FileKind::Segment).err().unwrap();
        assert!(matches!(err, FormatError::Incompatible(..)));
        let want = format!(
            "(in memory): index format version 99, this chachong reads versions \
             {OLDEST_READABLE_FORMAT_VERSION} to {INDEX_FORMAT_VERSION}"
        );
        assert_eq!(err.to_string(), want);
        let err = IndexFile::from_words(with_field(20, 5, true), FileKind::Segment).err().unwrap();
        assert!(err.to_string().contains("5-word shingles"), "{err}");
    }

    #[test]
    fn a_damaged_header_byte_is_damage_not_another_version() {
        for at in [8, 9, 16, 20, 24, 28, 36, 56] {
            let err = IndexFile::from_words(with_field(at, 0x5a, false), FileKind::Segment).err().unwrap();
            assert!(matches!(err, FormatError::Corrupt(_, Damage::HeaderChecksum)), "byte {at}: {err}");
        }
        // A version whose header does not sum as this version's would: an older layout, or damage.
        let mut words = with_field(8, 3, false);
        let bytes: &mut [u8] = bytemuck::cast_slice_mut(&mut words);
        bytes[44] ^= 1;
        let err = IndexFile::from_words(words, FileKind::Segment).err().unwrap();
        assert!(matches!(err, FormatError::Incompatible(..)));
        let want = format!("to {INDEX_FORMAT_VERSION} (or its header is damaged)");
        assert!(err.to_string().ends_with(&want), "{err}");
    }

    #[test]
    fn the_analysis_stamp_reads_back() {
        let stamp = Stamp { fold_traditional: true, marks: 0x1234_5678_9abc_def0 };
        let f = IndexFile::from_words(sample_stamped(stamp), FileKind::Segment).unwrap();
        assert_eq!(f.stamp, stamp);
        assert_eq!(IndexFile::from_words(sample(), FileKind::Segment).unwrap().stamp, Stamp::default());
        // A flag this version does not know: refused, not read as unfolded.
        let err = IndexFile::from_words(with_field(36, 2, true), FileKind::Segment).err().unwrap();
        assert!(matches!(err, FormatError::Incompatible(..)), "{err}");
    }

    #[test]
    fn a_format_4_file_is_read_with_the_default_analysis() {
        // Format 4: no stamp, and bytes 56..64 (zero) outside the header checksum.
        let mut words = with_field(8, 4, true);
        let f = IndexFile::from_words(words.clone(), FileKind::Segment).unwrap();
        assert_eq!((f.stamp, f.u64s(Section::PostKeys)), (Stamp::default(), &[5, 9, u64::MAX][..]));
        let bytes: &mut [u8] = bytemuck::cast_slice_mut(&mut words);
        bytes[8] = 3;
        let err = IndexFile::from_words(words, FileKind::Segment).err().unwrap();
        assert!(matches!(err, FormatError::Corrupt(_, Damage::HeaderChecksum)), "{err}");
        let err = IndexFile::from_words(with_field(8, 3, true), FileKind::Segment).err().unwrap();
        assert!(
            err.to_string().contains("index format version 3, this chachong reads versions 4 to"),
            "{err}"
        );
    }

    #[test]
    fn fenced_lookups_agree_with_a_plain_binary_search() {
        let keys: Vec<u64> = (0..5000u64).map(|i| i / 3 * 7).collect();
        let mut w = Writer::new(FileKind::Segment, Stamp::default());
        w.keys(Section::PostKeys, Section::PostKeysFence, keys.clone());
        let f = IndexFile::from_words(w.finish(), FileKind::Segment).unwrap();
        assert_eq!(f.u64s(Section::PostKeysFence).len(), 10);
        for target in [0, 1, 7, 3584, 3591, 11662, 11663, 11669, 20000] {
            let lo = f.lower_bound(Section::PostKeys, Section::PostKeysFence, target);
            let hi = f.lower_bound(Section::PostKeys, Section::PostKeysFence, target + 1);
            assert_eq!(
                (lo, hi),
                (keys.partition_point(|&k| k < target), keys.partition_point(|&k| k <= target))
            );
        }
    }

    proptest::proptest! {
        /// Skewed and repeated keys only slow the interpolated search down, never change its answer.
        #[test]
        fn interpolated_search_is_a_binary_search(
            mut v in proptest::collection::vec(proptest::prelude::any::<u64>(), 0..300),
            shift in 0u32..64,
            key in proptest::prelude::any::<u64>(),
        ) {
            for x in v.iter_mut() {
                *x >>= shift;
            }
            v.sort_unstable();
            let picked = v.get(key as usize % v.len().max(1)).copied().unwrap_or(0);
            for k in [key, key >> shift, picked, picked.saturating_add(1), 0, u64::MAX] {
                proptest::prop_assert_eq!(lower_bound(&v, k), v.partition_point(|&x| x < k));
            }
        }
    }

    #[test]
    fn garbage_is_not_an_index() {
        let words = vec![0x4141_4141_4141_4141u64; 16];
        assert!(matches!(IndexFile::from_words(words, FileKind::Segment), Err(FormatError::Corrupt(..))));
    }
}
