//! File names as reports show them, and back.
//!
//! A file system hands out names as bytes (Unix) or UTF-16 units (Windows), not always valid
//! text: a zip made on a Chinese Windows and unpacked on Linux has GBK names, so 报.txt is the
//! bytes `B1 A8 2E 74 78 74`. Shown with `to_string_lossy` both 报.txt and 博.txt become `��.txt`:
//! two files, one name, and an index keyed by name keeps only one of them.
//!
//! So a name is kept as its bytes (the index's document table stores them), and shown as text in
//! a form that is lossless: valid UTF-8 as it is, and each run of bytes that is not UTF-8 as
//! U+FFFD followed by the bytes in hex, `�[B1A8].txt`. U+FFFD says "not text" as every other tool
//! shows it; the hex keeps 报.txt and 博.txt apart (`�[B1A8].txt`, `�[B2A9].txt`) and lets
//! [`bytes_of`] give the file's name back. A U+FFFD that is part of a valid name (a file renamed
//! lossily by an unzip tool) is shown the same way, with its own bytes, `�[EFBFBD]`, so a bare
//! U+FFFD never appears in a shown name and no two names are shown alike.

use std::borrow::Cow;
use std::ffi::{OsStr, OsString};
use std::fmt::Write;
use std::path::{Component, Path, PathBuf};

/// The bytes of an OS string: the file system's own on Unix; WTF-8 elsewhere (UTF-8 for every
/// name that is valid UTF-16).
pub fn os_bytes(s: &OsStr) -> &[u8] {
    #[cfg(unix)]
    {
        std::os::unix::ffi::OsStrExt::as_bytes(s)
    }
    #[cfg(not(unix))]
    {
        s.as_encoded_bytes()
    }
}

/// The OS string of `bytes` as [`os_bytes`] gives them. Elsewhere than on Unix, bytes that are not
/// UTF-8 name no file chachong could have seen, and give `None`.
pub fn os_string(bytes: &[u8]) -> Option<OsString> {
    #[cfg(unix)]
    {
        Some(<OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(bytes).to_os_string())
    }
    #[cfg(not(unix))]
    {
        String::from_utf8(bytes.to_vec()).ok().map(OsString::from)
    }
}

/// The name of `path` below `root` as bytes: its components joined with `/` (also on Windows), the
/// key documents are numbered and found by.
pub fn relative_bytes(root: &Path, path: &Path) -> Vec<u8> {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let mut out = Vec::new();
    for c in rel.components().filter(|c| !matches!(c, Component::CurDir)) {
        if !out.is_empty() {
            out.push(b'/');
        }
        out.extend_from_slice(os_bytes(c.as_os_str()));
    }
    out
}

/// `bytes` as text, losslessly (see the module's doc): valid UTF-8 as it is, every other run of
/// bytes, and every U+FFFD, as U+FFFD and the bytes in hex in brackets.
pub fn shown(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(s) if !s.contains(char::REPLACEMENT_CHARACTER) => Cow::Borrowed(s),
        _ => {
            let mut out = String::with_capacity(bytes.len() + 8);
            let mut hex = Vec::new();
            for chunk in bytes.utf8_chunks() {
                for (i, part) in chunk.valid().split(char::REPLACEMENT_CHARACTER).enumerate() {
                    if i > 0 {
                        hex.extend_from_slice("\u{fffd}".as_bytes());
                    }
                    if !part.is_empty() {
                        flush_hex(&mut out, &mut hex);
                        out.push_str(part);
                    }
                }
                hex.extend_from_slice(chunk.invalid());
            }
            flush_hex(&mut out, &mut hex);
            Cow::Owned(out)
        }
    }
}

fn flush_hex(out: &mut String, hex: &mut Vec<u8>) {
    if hex.is_empty() {
        return;
    }
    out.push(char::REPLACEMENT_CHARACTER);
    out.push('[');
    for b in hex.drain(..) {
        let _ = write!(out, "{b:02X}");
    }
    out.push(']');
}

/// The bytes a name [`shown`] stands for. A U+FFFD not followed by bracketed hex (a name written by
/// another tool, or by an older chachong) stands for itself.
pub fn bytes_of(name: &str) -> Cow<'_, [u8]> {
    if !name.contains(char::REPLACEMENT_CHARACTER) {
        return Cow::Borrowed(name.as_bytes());
    }
    let mut out = Vec::with_capacity(name.len());
    let mut rest = name;
    while let Some(at) = rest.find(char::REPLACEMENT_CHARACTER) {
        out.extend_from_slice(&rest.as_bytes()[..at]);
        let after = &rest[at + char::REPLACEMENT_CHARACTER.len_utf8()..];
        match hex_run(after) {
            Some((bytes, len)) => {
                out.extend(bytes);
                rest = &after[len..];
            }
            None => {
                out.extend_from_slice("\u{fffd}".as_bytes());
                rest = after;
            }
        }
    }
    out.extend_from_slice(rest.as_bytes());
    Cow::Owned(out)
}

/// `[HEX]` at the start of `s`: the bytes and the length of the bracketed run.
fn hex_run(s: &str) -> Option<(Vec<u8>, usize)> {
    let inner = s.strip_prefix('[')?;
    let end = inner.find(']')?;
    let hex = &inner[..end];
    if hex.is_empty() || hex.len() % 2 != 0 {
        return None;
    }
    let bytes: Option<Vec<u8>> =
        (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok()).collect();
    Some((bytes?, end + 2))
}

/// A whole path as reports show it (a draft's name: the path as given).
pub fn shown_path(path: &Path) -> String {
    shown(os_bytes(path.as_os_str())).into_owned()
}

/// The path a name [`shown_path`] gave stands for; `None` when it names nothing this system
/// could hold (see [`os_string`]).
pub fn path_of(name: &str) -> Option<PathBuf> {
    os_string(&bytes_of(name)).map(PathBuf::from)
}

/// The file below `root` that relative name `name` (as [`relative_bytes`], shown) stands for.
pub fn join(root: &Path, name: &str) -> PathBuf {
    let bytes = bytes_of(name);
    let mut path = root.to_path_buf();
    for part in bytes.split(|&b| b == b'/') {
        match os_string(part) {
            Some(p) => path.push(p),
            None => path.push(String::from_utf8_lossy(part).as_ref()),
        }
    }
    path
}

/// `text` made safe to print to a terminal: control characters (an escape sequence in a file
/// name could recolour, move or clear the screen, or a carriage return overwrite a line) are shown
/// as their control pictures (ESC as ␛, as `chachong review` shows them), C1 controls and the
/// bidirectional overrides (which can show a name reversed) as U+FFFD; `\n` and `\t` are kept as
/// the layout of the message.
pub fn terminal_safe(text: &str) -> Cow<'_, str> {
    let unsafe_char = |c: char| (c.is_control() && c != '\n' && c != '\t') || is_bidi_control(c);
    if !text.chars().any(unsafe_char) {
        return Cow::Borrowed(text);
    }
    let shown = |c: char| match c {
        '\0'..='\x1f' => char::from_u32(0x2400 + c as u32).unwrap_or(char::REPLACEMENT_CHARACTER),
        '\x7f' => '\u{2421}',
        _ => char::REPLACEMENT_CHARACTER,
    };
    Cow::Owned(text.chars().map(|c| if unsafe_char(c) { shown(c) } else { c }).collect())
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 报 and 博 in GBK.
    const BAO: &[u8] = b"\xb1\xa8.txt";
    const BO: &[u8] = b"\xb2\xa9.txt";

    #[test]
    fn gbk_names_are_shown_apart_and_given_back() {
        assert_eq!(shown(BAO), "\u{fffd}[B1A8].txt");
        assert_eq!(shown(BO), "\u{fffd}[B2A9].txt");
        assert_eq!(String::from_utf8_lossy(BAO), String::from_utf8_lossy(BO), "what lossy display merged");
        for name in [BAO, BO] {
            assert_eq!(bytes_of(&shown(name)), name);
        }
        // 报告 in GBK between UTF-8: each run of bytes that is not UTF-8 is one bracket.
        let mixed = b"\xe5\xb9\xb4/2024\xb1\xa8\xb8\xe6.docx";
        assert_eq!(shown(mixed), "年/2024\u{fffd}[B1A8B8E6].docx");
        assert_eq!(bytes_of(&shown(mixed)).as_ref(), mixed);
    }

    #[test]
    fn text_names_are_shown_as_they_are() {
        for name in ["讲话稿.docx", "gov/2025_国务院_政府工作报告.txt", "a [1].txt", ""] {
            assert!(matches!(shown(name.as_bytes()), Cow::Borrowed(s) if s == name));
            assert!(matches!(bytes_of(name), Cow::Borrowed(b) if b == name.as_bytes()));
        }
    }

    #[test]
    fn a_replacement_char_in_a_valid_name_is_shown_by_its_bytes() {
        // A file an unzip tool already named lossily, beside one it did not.
        let lossy = "\u{fffd}\u{fffd}.txt";
        assert_eq!(shown(lossy.as_bytes()), "\u{fffd}[EFBFBDEFBFBD].txt");
        assert_ne!(shown(lossy.as_bytes()), shown(b"\xef\xbf\xbd\xb1.txt"));
        assert_eq!(bytes_of(&shown(lossy.as_bytes())), lossy.as_bytes());
        // As an older chachong or another tool wrote it: the char itself.
        assert_eq!(bytes_of(lossy), lossy.as_bytes());
        assert_eq!(bytes_of("\u{fffd}[zz].txt"), "\u{fffd}[zz].txt".as_bytes());
        assert_eq!(bytes_of("\u{fffd}[B1A].txt"), "\u{fffd}[B1A].txt".as_bytes());
    }

    proptest::proptest! {
        /// Shown names are text and give their bytes back, so two files never share a shown name.
        #[test]
        fn shown_names_round_trip(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..40)) {
            let name = shown(&bytes).into_owned();
            let back = bytes_of(&name).into_owned();
            proptest::prop_assert_eq!(back, bytes);
        }
    }

    #[cfg(unix)]
    #[test]
    fn relative_names_join_components_and_come_back() {
        use std::os::unix::ffi::OsStrExt;
        let root = Path::new("/corpus");
        let path = root.join("年").join(OsStr::from_bytes(BAO));
        let rel = relative_bytes(root, &path);
        assert_eq!(rel, ["年/".as_bytes(), BAO].concat());
        assert_eq!(join(root, &shown(&rel)), path);
        assert_eq!(path_of(&shown_path(&path)), Some(path));
    }

    #[test]
    fn escape_codes_are_neutralised_for_the_terminal() {
        let name = "a\u{1b}[31mred\u{1b}[0m\r\u{7}b\u{202e}txt.exe";
        assert_eq!(terminal_safe(name), "a␛[31mred␛[0m␍␇b\u{fffd}txt.exe");
        assert!(matches!(terminal_safe("报告.txt: skipped\n\tnext"), Cow::Borrowed(_)));
    }
}
