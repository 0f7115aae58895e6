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

/// Text from outside (a file name, a cell) as it may appear in a message: control characters,
/// terminal escape sequences among them, are written as `\u{1b}` and the like, so nothing a
/// file is named can move the cursor, recolour or clear the terminal, or break a line.
pub fn escape_controls(text: &str) -> String {
    if !text.chars().any(is_unsafe) {
        return text.to_owned();
    }
    text.chars()
        .map(|c| {
            if is_unsafe(c) {
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

/// "a, b, c and 9,990 more": the first `shown` items of a long list, then how many are left.
pub fn summarise<T: std::fmt::Display>(items: &[T], shown: usize) -> String {
    let head: Vec<String> = items.iter().take(shown).map(ToString::to_string).collect();
    let rest = items.len().saturating_sub(shown);
    match (head.len(), rest) {
        (0, _) => String::new(),
        (_, 0) if head.len() == 1 => head.join(""),
        (_, 0) => {
            let (last, first) = head
                .split_last()
                .map_or((String::new(), &[][..]), |(l, f)| (l.clone(), f));
            format!("{} and {last}", first.join(", "))
        }
        _ => format!("{} and {} more", head.join(", "), thousands(rest)),
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
    }

    #[test]
    fn long_lists_are_summarised() {
        let items: Vec<usize> = (1..=10_000).collect();
        assert_eq!(
            summarise(&items, 10),
            "1, 2, 3, 4, 5, 6, 7, 8, 9, 10 and 9,990 more"
        );
        assert_eq!(summarise(&items[..3], 10), "1, 2 and 3");
        assert_eq!(summarise(&items[..1], 10), "1");
        assert_eq!(summarise::<usize>(&[], 10), "");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(thousands(999), "999");
    }
}
