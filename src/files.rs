//! Reading files that came from outside. Only regular files are opened: a pipe would wait for
//! ever for a writer and a device may never end. And no more bytes are read than a limit,
//! counted as they arrive rather than trusted from the size the file system reports (files
//! under `/proc` report none).

use std::io::{self, Read};
use std::path::Path;

/// The most bytes an import or a store may hold: well past a million incidents, short of
/// what a desktop cannot hold in memory.
pub const MAX_DATA_BYTES: u64 = 4 * 1024 * 1024 * 1024;

/// Reads the whole of a regular file of at most `limit` bytes.
pub fn read_limited(path: &Path, limit: u64) -> io::Result<Vec<u8>> {
    // Checked before opening: opening a pipe for reading already blocks.
    let metadata = std::fs::metadata(path)?;
    if !metadata.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "not a regular file (a pipe, socket or device)",
        ));
    }
    let too_large = || {
        io::Error::new(
            io::ErrorKind::FileTooLarge,
            format!("over the limit of {limit} bytes"),
        )
    };
    if metadata.len() > limit {
        return Err(too_large());
    }
    let file = std::fs::File::open(path)?;
    let mut bytes = Vec::with_capacity(usize::try_from(metadata.len()).unwrap_or(0));
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(too_large());
    }
    Ok(bytes)
}

/// [`read_limited`] as UTF-8 text.
pub fn read_text_limited(path: &Path, limit: u64) -> io::Result<String> {
    String::from_utf8(read_limited(path, limit)?).map_err(|e| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "not UTF-8 text (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
        )
    })
}

/// Text in UTF-16 (Windows editors save "Unicode" text so): with a byte-order mark, or without
/// one when most characters have a zero byte on the same side. `Some(big_endian)` if so.
pub fn utf16_order(bytes: &[u8]) -> Option<bool> {
    match bytes {
        [0xFF, 0xFE, ..] => return Some(false),
        [0xFE, 0xFF, ..] => return Some(true),
        _ => {}
    }
    let head = &bytes[..bytes.len().min(8192) & !1];
    if head.len() < 4 {
        return None;
    }
    let pairs = head.len() / 2;
    // One byte of each pair zero (the high byte of ASCII text), the other an ASCII letter,
    // digit, mark or blank, in at least two pairs of five; both bytes zero almost never.
    let text_byte = |b: u8| (0x20..0x7F).contains(&b) || matches!(b, b'\t' | b'\n' | b'\r');
    let zeros_at = |side: usize| {
        head.chunks_exact(2)
            .filter(|p| p[side] == 0 && text_byte(p[1 - side]))
            .count()
    };
    let both = head.chunks_exact(2).filter(|p| p == &[0, 0]).count();
    if both * 20 > pairs {
        None
    } else if zeros_at(0) * 5 >= pairs * 2 && zeros_at(1) * 20 <= pairs {
        Some(true)
    } else if zeros_at(1) * 5 >= pairs * 2 && zeros_at(0) * 20 <= pairs {
        Some(false)
    } else {
        None
    }
}

/// Decodes UTF-16 text (its byte-order mark dropped); the byte offset where it breaks if not.
pub fn decode_utf16(bytes: &[u8], big_endian: bool) -> Result<String, usize> {
    let body = match bytes {
        [0xFF, 0xFE, rest @ ..] | [0xFE, 0xFF, rest @ ..] => rest,
        _ => bytes,
    };
    let skipped = bytes.len() - body.len();
    if body.len() % 2 == 1 {
        return Err(bytes.len() - 1);
    }
    let units = body.chunks_exact(2).map(|p| {
        if big_endian {
            u16::from_be_bytes([p[0], p[1]])
        } else {
            u16::from_le_bytes([p[0], p[1]])
        }
    });
    let mut text = String::with_capacity(body.len() / 2);
    for (i, c) in char::decode_utf16(units).enumerate() {
        match c {
            Ok(c) => text.push(c),
            Err(_) => return Err(skipped + 2 * i),
        }
    }
    Ok(text)
}

/// Whether a regular file holds nothing but ASCII blank space, and then how many bytes: read
/// in small pieces up to the first other byte, so a gigabyte of spaces is said to be blank
/// without being held in memory. `None` for anything else (other files are refused or read
/// by the caller).
pub fn only_blank(path: &Path) -> io::Result<Option<u64>> {
    if !std::fs::metadata(path)?.is_file() {
        return Ok(None);
    }
    let mut file = std::fs::File::open(path)?;
    let mut buffer = vec![0u8; 64 * 1024];
    let mut size = 0u64;
    loop {
        let n = match file.read(&mut buffer) {
            Ok(0) => return Ok((size > 0).then_some(size)),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if !buffer[..n].iter().all(u8::is_ascii_whitespace) {
            return Ok(None);
        }
        size += n as u64;
    }
}

/// Text from outside (a file name, a cell) as it may appear in a message: control characters,
/// terminal escape sequences among them, are written as `\u{1b}` and the like, so nothing a
/// file is named can move the cursor, recolour or clear the terminal, or break a line.
pub fn escape_controls(text: &str) -> String {
    escape_controls_but(text, &[])
}

/// A message for the terminal: [`escape_controls`], keeping the line breaks and tabs a
/// message is laid out with.
pub fn escape_for_terminal(text: &str) -> String {
    escape_controls_but(text, &['\n', '\t'])
}

fn escape_controls_but(text: &str, keep: &[char]) -> String {
    let unsafe_char = |c: char| is_unsafe(c) && !keep.contains(&c);
    if !text.chars().any(unsafe_char) {
        return text.to_owned();
    }
    text.chars()
        .map(|c| {
            if unsafe_char(c) {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// Control characters and the bidirectional overrides that reorder what a terminal shows.
fn is_unsafe(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// A path for a message: invalid UTF-8 shown as U+FFFD, control characters escaped.
pub fn display_path(path: &Path) -> String {
    escape_controls(&path.to_string_lossy())
}

/// A file's own name (the last part of its path) for a message, escaped as [`display_path`].
pub fn display_name(path: &Path) -> String {
    escape_controls(
        &path
            .file_name()
            .unwrap_or(path.as_os_str())
            .to_string_lossy(),
    )
}

/// "a, b, c and 9,990 more": the first `shown` items of a long list, joined by `separator`,
/// then how many are left.
pub fn summarise<T: std::fmt::Display>(items: &[T], shown: usize, separator: &str) -> String {
    let head: Vec<String> = items.iter().take(shown).map(ToString::to_string).collect();
    let rest = items.len().saturating_sub(shown);
    if rest == 0 {
        head.join(separator)
    } else {
        format!("{} and {} more", head.join(separator), thousands(rest))
    }
}

/// A count with thousands separated by commas: 9990 → "9,990".
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_without_a_mark_is_told_by_its_zero_bytes_beside_ascii() {
        let text = "Gunmen attacked a checkpoint.";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(utf16_order(&le), Some(false));
        assert_eq!(utf16_order(&be), Some(true));
        // Binary bytes with zeros beside bytes that are not text are not UTF-16.
        assert_eq!(utf16_order(&[0, 159, 146, 150]), None);
        assert_eq!(utf16_order(&[0, 200, 0, 201, 0, 202, 7, 0]), None);
        assert_eq!(utf16_order(text.as_bytes()), None);
    }

    #[test]
    fn a_file_within_the_limit_is_read_whole() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("a.txt");
        std::fs::write(&path, "twelve bytes")?;
        assert_eq!(read_limited(&path, 12)?, b"twelve bytes");
        let error = read_limited(&path, 11).err().map(|e| e.kind());
        assert_eq!(error, Some(io::ErrorKind::FileTooLarge));
        Ok(())
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn devices_pipes_and_files_that_lie_about_their_size_are_bounded() -> io::Result<()> {
        // /dev/zero never ends; it is refused before a byte is read.
        let error = read_limited(Path::new("/dev/zero"), 1000).err();
        assert!(error.is_some_and(|e| e.to_string().contains("not a regular file")));
        // A /proc file reports no size but has contents: the limit counts what arrives.
        let error = read_limited(Path::new("/proc/self/maps"), 10).err();
        assert!(error.is_some_and(|e| e.kind() == io::ErrorKind::FileTooLarge));
        let dir = tempfile::tempdir()?;
        let fifo = dir.path().join("pipe");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            let error = read_limited(&fifo, 1000).err();
            assert!(error.is_some_and(|e| e.to_string().contains("not a regular file")));
        }
        Ok(())
    }

    #[test]
    fn control_characters_in_names_are_escaped_for_messages() {
        let name = "evil\u{1b}[2J\u{1b}]0;title\u{7}\nline\u{202e}txt.csv";
        let shown = display_name(Path::new(&format!("/tmp/{name}")));
        assert!(!shown.chars().any(|c| c.is_control()), "{shown:?}");
        assert!(shown.contains("\\u{1b}[2J"), "{shown}");
        assert!(shown.contains("\\n"), "{shown}");
        assert!(shown.contains("\\u{202e}"), "{shown}");
        assert_eq!(display_name(Path::new("/tmp/plain é.txt")), "plain é.txt");
        assert_eq!(
            escape_for_terminal("a\u{1b}[31m\n\tb\r"),
            "a\\u{1b}[31m\n\tb\\r"
        );
    }

    #[test]
    fn blank_files_are_found_blank_without_holding_them() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let blank = dir.path().join("blank");
        std::fs::write(&blank, " \n\t".repeat(100_000))?;
        assert_eq!(only_blank(&blank)?, Some(300_000));
        let late = dir.path().join("late");
        std::fs::write(&late, format!("{}x", " ".repeat(200_000)))?;
        assert_eq!(only_blank(&late)?, None);
        let empty = dir.path().join("empty");
        std::fs::write(&empty, "")?;
        assert_eq!(only_blank(&empty)?, None);
        Ok(())
    }

    #[test]
    fn long_lists_are_summarised() {
        let items: Vec<usize> = (1..=10_000).collect();
        assert_eq!(
            summarise(&items, 10, ", "),
            "1, 2, 3, 4, 5, 6, 7, 8, 9, 10 and 9,990 more"
        );
        assert_eq!(summarise(&items[..3], 10, "; "), "1; 2; 3");
        assert_eq!(summarise::<usize>(&[], 10, ", "), "");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(thousands(999), "999");
    }
}
