//! Atomic file saves: write a temporary file beside the target, flush it to disk, then rename.
//!
//! A save that fails or is interrupted at any point leaves the previous file untouched, because
//! the rename is the only step that changes what the target path names.

use std::io::{self, Write};
use std::path::Path;

/// Writes `path` atomically with whatever `write` puts into the buffered writer it is given.
///
/// The temporary file lives in the target's directory (a rename across file systems would not
/// be atomic) and is removed again if `write` or any later step fails.
pub fn save_atomically<F>(path: &Path, write: F) -> io::Result<()>
where
    F: FnOnce(&mut dyn Write) -> io::Result<()>,
{
    refuse_special(path)?;
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let file_name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a file path"))?;
    remove_stale_temps(dir, file_name);
    // `.NAME.PID.` names the process writing it, so that a later save can tell a temporary
    // file left by a killed process from one another save is writing now.
    let mut prefix = temp_prefix(file_name);
    prefix.push(format!("{}.", std::process::id()));
    let temp = tempfile::Builder::new()
        .prefix(&prefix)
        .suffix(".tmp")
        .tempfile_in(dir)?;
    // Stopped by SIGTERM or Ctrl-C, the program removes the temporary file on its way out.
    #[cfg(unix)]
    let _removed_if_stopped = on_stop::remove_if_stopped(temp.path());
    keep_permissions(path, temp.as_file())?;
    let mut writer = io::BufWriter::new(temp);
    write(&mut writer)?;
    let temp = writer.into_inner().map_err(|e| e.into_error())?;
    temp.as_file().sync_all()?;
    temp.persist(path).map_err(|e| e.error)?;
    sync_dir(dir)
}

/// Flushes the directory entry too: until the directory is on disk, a crash may bring back the
/// old name (or no file) even though the new file's data was written.
fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        std::fs::File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

/// Removing the temporary files of saves in progress when the program is asked to stop.
#[cfg(unix)]
mod on_stop {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    use std::path::Path;
    use std::ptr::null_mut;
    use std::sync::Once;
    use std::sync::atomic::{AtomicPtr, Ordering};

    /// Saves in progress at once; more than this are rare, and the extra ones are left to the
    /// next save's clean-up.
    const SLOTS: usize = 16;

    /// The temporary files being written, as C strings the signal handler can unlink. A path
    /// is never freed (a handler might be reading it): a few bytes per save.
    static TEMPS: [AtomicPtr<libc::c_char>; SLOTS] = [const { AtomicPtr::new(null_mut()) }; SLOTS];

    /// Unregisters its temporary file when the save is over.
    pub struct Registered(Option<usize>);

    impl Drop for Registered {
        fn drop(&mut self) {
            if let Some(slot) = self.0 {
                TEMPS[slot].store(null_mut(), Ordering::SeqCst);
            }
        }
    }

    pub fn remove_if_stopped(temp: &Path) -> Registered {
        static INSTALL: Once = Once::new();
        INSTALL.call_once(|| {
            let handler = on_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
            // SAFETY: the handler only calls async-signal-safe functions (unlink, signal,
            // raise) on memory that stays valid for the program's life.
            unsafe {
                libc::signal(libc::SIGTERM, handler);
                libc::signal(libc::SIGINT, handler);
            }
        });
        let Ok(path) = CString::new(temp.as_os_str().as_bytes()) else {
            return Registered(None);
        };
        let raw = path.into_raw();
        for (slot, entry) in TEMPS.iter().enumerate() {
            if entry
                .compare_exchange(null_mut(), raw, Ordering::SeqCst, Ordering::SeqCst)
                .is_ok()
            {
                return Registered(Some(slot));
            }
        }
        Registered(None)
    }

    extern "C" fn on_signal(signal: libc::c_int) {
        for entry in &TEMPS {
            let path = entry.load(Ordering::SeqCst);
            if !path.is_null() {
                // SAFETY: registered paths are NUL-terminated and never freed.
                unsafe {
                    libc::unlink(path);
                }
            }
        }
        // Then stop as the signal would have stopped the program.
        // SAFETY: restoring the default action and raising the signal again.
        unsafe {
            libc::signal(signal, libc::SIG_DFL);
            libc::raise(signal);
        }
    }
}

/// The start of the temporary files' names beside `file_name`: `.NAME.`.
fn temp_prefix(file_name: &std::ffi::OsStr) -> std::ffi::OsString {
    let mut prefix = std::ffi::OsString::from(".");
    prefix.push(file_name);
    prefix.push(".");
    prefix
}

/// Removes the temporary files of earlier saves of `file_name` whose process is gone (killed,
/// or the machine went down), so that they do not pile up beside the file.
fn remove_stale_temps(dir: &Path, file_name: &std::ffi::OsStr) {
    let prefix = temp_prefix(file_name);
    let Some(prefix) = prefix.to_str() else {
        return;
    };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(rest) = name
            .to_str()
            .and_then(|n| n.strip_prefix(prefix))
            .filter(|n| n.ends_with(".tmp"))
        else {
            continue;
        };
        let Some(pid) = rest.split('.').next().and_then(|p| p.parse::<u32>().ok()) else {
            continue;
        };
        if pid != std::process::id() && !process_alive(pid) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Whether a process runs under this id; where that cannot be told, it is taken to run, so
/// that nothing in use is removed.
fn process_alive(pid: u32) -> bool {
    if cfg!(target_os = "linux") {
        Path::new("/proc").join(pid.to_string()).exists()
    } else {
        true
    }
}

/// Gives the new file the old one's permissions, or the usual 0644 for a new file: temporary
/// files are created private (0600), which would lock other readers out after the rename.
fn keep_permissions(path: &Path, temp: &std::fs::File) -> io::Result<()> {
    let permissions = match std::fs::metadata(path) {
        Ok(existing) => existing.permissions(),
        Err(_) => {
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                std::fs::Permissions::from_mode(0o644)
            }
            #[cfg(not(unix))]
            {
                return Ok(());
            }
        }
    };
    temp.set_permissions(permissions)
}

/// A save replaces what the path names: never a link (the rename would replace the link, not
/// the file it points to), a folder or a device.
fn refuse_special(path: &Path) -> io::Result<()> {
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return Ok(());
    };
    let kind = meta.file_type();
    let what = if kind.is_symlink() {
        "a symbolic link; name the file it points to instead"
    } else if kind.is_dir() {
        "a folder, not a file"
    } else if !kind.is_file() {
        "not a regular file (a device, pipe or socket)"
    } else {
        return Ok(());
    };
    Err(io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("{}: cannot write: it is {what}", path.display()),
    ))
}

/// Checks before any work starts that a save to `path` can succeed: not onto a link, a
/// folder or a device, into a folder that exists and can be written, and not onto one of
/// `inputs` (the files the work reads). Says what is wrong in a sentence naming the path.
pub fn check_destination(path: &Path, inputs: &[&Path]) -> Result<(), String> {
    refuse_special(path).map_err(|e| e.to_string())?;
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    if !dir.is_dir() {
        return Err(format!(
            "{}: cannot write: the folder {} does not exist",
            path.display(),
            dir.display()
        ));
    }
    tempfile::tempfile_in(dir)
        .map(drop)
        .map_err(|e| format!("{}: cannot write in {}: {e}", path.display(), dir.display()))?;
    if let Ok(target) = path.canonicalize() {
        for input in inputs {
            if input.canonicalize().is_ok_and(|input| input == target) {
                return Err(format!(
                    "{}: is also the input; write the output to another file",
                    path.display()
                ));
            }
        }
    }
    Ok(())
}

/// Writes `bytes` to `path` atomically.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    save_atomically(path, |w| w.write_all(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_file_and_leaves_no_temporary_behind() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.json");
        std::fs::write(&path, "old").unwrap();
        write_atomically(&path, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_failed_write_keeps_the_old_file_and_cleans_up() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.json");
        std::fs::write(&path, "old contents").unwrap();
        let result = save_atomically(&path, |w| {
            w.write_all(b"half of the new")?;
            Err(io::Error::other("disk full"))
        });
        assert!(result.is_err());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old contents");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn new_files_are_readable_and_old_permissions_are_kept() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new.json");
        write_atomically(&path, b"x").unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o644);
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        write_atomically(&path, b"y").unwrap();
        assert_eq!(mode(&path), 0o640);
    }

    #[cfg(unix)]
    #[test]
    fn links_folders_devices_and_inputs_are_never_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.json");
        std::fs::write(&real, "kept").unwrap();
        let link = dir.path().join("link.json");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let error = write_atomically(&link, b"x").unwrap_err().to_string();
        assert!(error.contains("symbolic link"), "{error}");
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "kept");
        let error = write_atomically(dir.path(), b"x").unwrap_err().to_string();
        assert!(error.contains("folder"), "{error}");
        assert!(
            check_destination(Path::new("/dev/null"), &[])
                .unwrap_err()
                .contains("not a regular file")
        );
        assert!(
            check_destination(&real, &[&real])
                .unwrap_err()
                .contains("also the input")
        );
        assert!(
            check_destination(&dir.path().join("missing/out.json"), &[])
                .unwrap_err()
                .contains("does not exist")
        );
        assert!(check_destination(&dir.path().join("new.json"), &[&real]).is_ok());
        assert!(check_destination(&real, &[]).is_ok());
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_save_removes_what_killed_saves_left_and_spares_live_ones() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.json");
        // No process has the largest possible id; this one is alive.
        let dead = dir
            .path()
            .join(format!(".out.json.{}.abc123.tmp", u32::MAX));
        let live = dir
            .path()
            .join(format!(".out.json.{}.def456.tmp", std::process::id()));
        let other = dir
            .path()
            .join(format!(".other.json.{}.abc123.tmp", u32::MAX));
        for file in [&dead, &live, &other] {
            std::fs::write(file, "half").unwrap();
        }
        write_atomically(&path, b"whole").unwrap();
        assert!(!dead.exists(), "a dead process's temporary file is removed");
        assert!(live.exists(), "a running save's temporary file is kept");
        assert!(
            other.exists(),
            "another file's temporaries are not ours to judge"
        );
    }

    #[test]
    fn an_unwritable_directory_is_an_error_not_a_panic() {
        let path = Path::new("/nonexistent-dir-for-incident-map/out.json");
        assert!(write_atomically(path, b"x").is_err());
    }
}
