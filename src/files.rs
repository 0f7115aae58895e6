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
}
