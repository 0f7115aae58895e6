//! Articles in: plain-text news articles from files and folders, their metadata, and the parts
//! of the page that are not the story.
//!
//! The loader keeps each article's text whole (it is shown to the user as it was) and marks
//! site boilerplate — comment policies, "Post a comment", "The Latest" teasers of other
//! stories, font-size controls, date stamps — as byte ranges that later stages skip.
//! Title, publisher and publication date are read from the text where it has them, and an
//! optional `manifest.toml` beside the articles gives or overrides them.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};

use jiff::civil::Date;
use serde::Deserialize;

use crate::store::Article;

pub mod feeds;
pub mod page;
pub mod pdf;
pub mod web;

/// Articles larger than this are refused: no news story is that long, so it is something else.
pub const MAX_ARTICLE_BYTES: u64 = 10 * 1024 * 1024;

/// The manifest's file name, looked for in each folder that holds articles.
pub const MANIFEST_FILE: &str = "manifest.toml";

/// File extensions read as articles when a folder is loaded.
const ARTICLE_EXTENSIONS: [&str; 7] = ["txt", "text", "md", "html", "htm", "xhtml", "pdf"];

/// Whether a file is read as an article (text, a saved web page or a PDF) by its name.
pub fn is_article_file(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| ARTICLE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// One article as loaded, with the ranges of its text that are not part of the story.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadedArticle {
    pub article: Article,
    /// Where it came from; `None` for text given directly.
    pub path: Option<PathBuf>,
    /// Byte ranges of boilerplate and metadata lines, sorted and disjoint.
    pub boilerplate: Vec<Range<usize>>,
    /// Byte range of the headline, when the text starts with one.
    pub title_range: Option<Range<usize>>,
}

impl LoadedArticle {
    /// Byte ranges of the story itself: everything but the headline and the boilerplate.
    pub fn story_ranges(&self) -> Vec<Range<usize>> {
        let mut skipped: Vec<Range<usize>> = self.boilerplate.clone();
        skipped.extend(self.title_range.clone());
        skipped.sort_by_key(|r| r.start);
        let mut ranges = Vec::new();
        let mut at = 0;
        for skip in skipped {
            if skip.start > at {
                ranges.push(at..skip.start);
            }
            at = at.max(skip.end);
        }
        if at < self.article.text.len() {
            ranges.push(at..self.article.text.len());
        }
        ranges
    }

    /// Whether the byte offset lies in boilerplate.
    pub fn is_boilerplate(&self, byte: usize) -> bool {
        self.boilerplate.iter().any(|r| r.contains(&byte))
    }
}

/// Why one file could not be loaded. The other files still load.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{}: cannot read: {source}", shown(.path))]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: the file is empty", shown(.path))]
    Empty { path: PathBuf },
    #[error("{}: the file is empty (only blank space, {} bytes)", shown(.path), crate::files::thousands(*.size as usize))]
    Blank { path: PathBuf, size: u64 },
    #[error("{}: this is a binary file, not a text article", shown(.path))]
    Binary { path: PathBuf },
    #[error("{}: not UTF-8 text (invalid byte at offset {offset}); save it as UTF-8", shown(.path))]
    NotUtf8 { path: PathBuf, offset: usize },
    #[error("{}: UTF-16 text that does not decode (at offset {offset}); save it as UTF-8", shown(.path))]
    BadUtf16 { path: PathBuf, offset: usize },
    #[error("{}: {} bytes is over the {MAX_ARTICLE_BYTES}-byte limit for one article", shown(.path), crate::files::thousands(*.size as usize))]
    TooLarge { path: PathBuf, size: u64 },
    #[error("{}: an article with id {id:?} was already loaded from another file", shown(.path))]
    DuplicateId { path: PathBuf, id: String },
    #[error("{}: {message}", shown(.path))]
    Manifest { path: PathBuf, message: String },
    #[error("{}: not a file or folder", shown(.path))]
    NotFound { path: PathBuf },
    #[error("{}: not a regular file (a pipe, socket or device); skipped", shown(.path))]
    NotRegular { path: PathBuf },
    #[error("{}: nested more than {MAX_FOLDER_DEPTH} folders deep; its contents are skipped", shown(.path))]
    TooDeep { path: PathBuf },
    #[error("{}: {source}", shown(.path))]
    Page {
        path: PathBuf,
        source: page::PageError,
    },
    #[error("{}: {source}", shown(.path))]
    Pdf {
        path: PathBuf,
        source: pdf::PdfError,
    },
}

/// A path as a message shows it: control characters escaped.
fn shown(path: &Path) -> String {
    crate::files::display_path(path)
}

/// How many folders deep a folder of articles is read; deeper ones are named and skipped (a
/// path that long is a loop of links or a crafted tree, not an archive of news).
pub const MAX_FOLDER_DEPTH: usize = 32;

impl LoadError {
    /// The file the problem is about.
    pub fn path(&self) -> &Path {
        match self {
            Self::Io { path, .. }
            | Self::Empty { path }
            | Self::Blank { path, .. }
            | Self::Binary { path }
            | Self::NotUtf8 { path, .. }
            | Self::BadUtf16 { path, .. }
            | Self::TooLarge { path, .. }
            | Self::DuplicateId { path, .. }
            | Self::Manifest { path, .. }
            | Self::NotFound { path }
            | Self::NotRegular { path }
            | Self::TooDeep { path }
            | Self::Page { path, .. }
            | Self::Pdf { path, .. } => path,
        }
    }
}

/// What loading a set of paths produced: every article that loaded, and every problem.
#[derive(Debug, Default)]
pub struct LoadReport {
    pub articles: Vec<LoadedArticle>,
    pub errors: Vec<LoadError>,
}

/// Metadata a manifest can give for one article; every field is optional.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManifestEntry {
    pub title: Option<String>,
    pub publisher: Option<String>,
    #[serde(default, deserialize_with = "manifest_date")]
    pub published: Option<Date>,
    pub url: Option<String>,
}

/// A manifest date, written as a TOML date (`2022-01-27`) or a string (`"2022-01-27"`).
fn manifest_date<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Date>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Written {
        Toml(toml::value::Datetime),
        Text(String),
    }
    let text = match Written::deserialize(deserializer)? {
        Written::Toml(datetime) => datetime.to_string(),
        Written::Text(text) => text,
    };
    text.trim()
        .parse::<Date>()
        .map(Some)
        .map_err(|_| serde::de::Error::custom(format!("{text:?} is not a date (write YYYY-MM-DD)")))
}

/// A manifest as written: its entries are checked one by one, so that one bad entry does not
/// take the good ones with it.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    #[serde(default)]
    articles: BTreeMap<String, toml::Spanned<toml::Value>>,
}

/// Loads articles from files and folders (folders are read recursively, in name order).
pub fn load_paths(paths: &[PathBuf]) -> LoadReport {
    let mut report = LoadReport::default();
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            collect_article_files(path, &mut files, &mut report.errors);
        } else if path.is_file() {
            files.push(path.clone());
        } else {
            report
                .errors
                .push(LoadError::NotFound { path: path.clone() });
        }
    }

    let mut manifests: HashMap<PathBuf, BTreeMap<String, ManifestEntry>> = HashMap::new();
    let mut used_entries: HashSet<(PathBuf, String)> = HashSet::new();
    let mut seen_ids = HashSet::new();
    for file in files {
        let dir = file.parent().map(Path::to_path_buf).unwrap_or_default();
        let manifest = manifests
            .entry(dir.clone())
            .or_insert_with(|| match read_manifest(&dir) {
                Ok((entries, problems)) => {
                    report
                        .errors
                        .extend(problems.into_iter().map(|message| LoadError::Manifest {
                            path: dir.join(MANIFEST_FILE),
                            message,
                        }));
                    entries
                }
                Err(error) => {
                    report.errors.push(error);
                    BTreeMap::new()
                }
            });
        match load_file(&file) {
            Ok(mut loaded) => {
                let id = loaded.article.id.clone();
                if !seen_ids.insert(id.clone()) {
                    report
                        .errors
                        .push(LoadError::DuplicateId { path: file, id });
                    continue;
                }
                if let Some(entry) = manifest.get(&id) {
                    apply_manifest(&mut loaded.article, entry);
                    used_entries.insert((dir, id));
                }
                report.articles.push(loaded);
            }
            Err(error) => report.errors.push(error),
        }
    }

    // A manifest entry that matches no article is almost always a typo in the id.
    for (dir, entries) in &manifests {
        for id in entries.keys() {
            if !used_entries.contains(&(dir.clone(), id.clone())) {
                report.errors.push(LoadError::Manifest {
                    path: dir.join(MANIFEST_FILE),
                    message: format!("names article {id:?}, but no such file was loaded"),
                });
            }
        }
    }
    report
}

fn collect_article_files(dir: &Path, files: &mut Vec<PathBuf>, errors: &mut Vec<LoadError>) {
    let mut visited = HashSet::new();
    collect_article_files_once(dir, 0, files, errors, &mut visited);
}

/// Reads each folder once: a link back up the tree would otherwise be followed for ever.
fn collect_article_files_once(
    dir: &Path,
    depth: usize,
    files: &mut Vec<PathBuf>,
    errors: &mut Vec<LoadError>,
    visited: &mut HashSet<PathBuf>,
) {
    if depth > MAX_FOLDER_DEPTH {
        errors.push(LoadError::TooDeep {
            path: dir.to_owned(),
        });
        return;
    }
    if let Ok(canonical) = std::fs::canonicalize(dir)
        && !visited.insert(canonical)
    {
        return;
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(source) => {
            errors.push(LoadError::Io {
                path: dir.to_owned(),
                source,
            });
            return;
        }
    };
    let mut paths: Vec<PathBuf> = Vec::new();
    for entry in entries {
        match entry {
            Ok(entry) => paths.push(entry.path()),
            Err(source) => errors.push(LoadError::Io {
                path: dir.to_owned(),
                source,
            }),
        }
    }
    paths.sort();
    for path in paths {
        let hidden = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if hidden {
            continue;
        }
        let is_article = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| ARTICLE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()));
        match std::fs::metadata(&path) {
            Ok(metadata) if metadata.is_dir() => {
                collect_article_files_once(&path, depth + 1, files, errors, visited);
            }
            Ok(_) => {
                if is_article {
                    files.push(path);
                }
            }
            // A dangling link named like an article is reported when it is read.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if is_article {
                    files.push(path);
                }
            }
            // A path too long to look at, or a folder that may not be entered: said, not
            // silently passed over.
            Err(source) => errors.push(LoadError::Io { path, source }),
        }
    }
}

/// A manifest's good entries, and what is wrong with the others.
pub type ManifestRead = (BTreeMap<String, ManifestEntry>, Vec<String>);

fn read_manifest(dir: &Path) -> Result<ManifestRead, LoadError> {
    let path = dir.join(MANIFEST_FILE);
    // A manifest is a few lines per article; a pipe or device in its place is refused.
    let text = match crate::files::read_text_limited(&path, MAX_ARTICLE_BYTES) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Default::default()),
        Err(source) => return Err(LoadError::Io { path, source }),
    };
    parse_manifest(&text).map_err(|message| LoadError::Manifest { path, message })
}

/// Parses a manifest: the entries that are right, and for each one that is not, where it is and
/// what is wrong. A file that is not TOML at all is an error saying where.
pub fn parse_manifest(text: &str) -> Result<ManifestRead, String> {
    let line_of = |at: usize| {
        let before = &text[..at.min(text.len())];
        let line = before.matches('\n').count() + 1;
        let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
        (line, column)
    };
    let manifest = toml::from_str::<Manifest>(text).map_err(|e| {
        let place = e
            .span()
            .map(|span| {
                let (line, column) = line_of(span.start);
                format!("line {line}, column {column}: ")
            })
            .unwrap_or_default();
        format!("{place}{}", e.message())
    })?;
    let mut entries = BTreeMap::new();
    let mut problems = Vec::new();
    for (id, value) in manifest.articles {
        let (line, _) = line_of(value.span().start);
        match value.into_inner().try_into::<ManifestEntry>() {
            Ok(entry) => {
                entries.insert(id, entry);
            }
            Err(e) => problems.push(format!(
                "line {line}: article {id:?} left without its metadata: {}",
                e.message()
            )),
        }
    }
    Ok((entries, problems))
}

fn apply_manifest(article: &mut Article, entry: &ManifestEntry) {
    if let Some(title) = &entry.title {
        article.title = Some(title.clone());
    }
    if let Some(publisher) = &entry.publisher {
        article.publisher = Some(publisher.clone());
    }
    if let Some(published) = entry.published {
        article.published = Some(published);
    }
    if let Some(url) = &entry.url {
        article.url = Some(url.clone());
    }
}

/// Reads one article file; its id is the file name without extension.
pub fn load_file(path: &Path) -> Result<LoadedArticle, LoadError> {
    let io = |source| LoadError::Io {
        path: path.to_owned(),
        source,
    };
    let metadata = std::fs::metadata(path).map_err(io)?;
    // Reading a pipe would wait forever for a writer.
    if !metadata.is_file() {
        return Err(LoadError::NotRegular {
            path: path.to_owned(),
        });
    }
    let size = metadata.len();
    if size > MAX_ARTICLE_BYTES {
        return Err(LoadError::TooLarge {
            path: path.to_owned(),
            size,
        });
    }
    // The size above may not be what arrives (a file under /proc reports none).
    let bytes = match crate::files::read_limited(path, MAX_ARTICLE_BYTES) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::FileTooLarge => {
            return Err(LoadError::TooLarge {
                path: path.to_owned(),
                size: MAX_ARTICLE_BYTES + 1,
            });
        }
        Err(e) => return Err(io(e)),
    };
    decode_article(path, &bytes)
}

/// Reads an article from the bytes of the file at `path` (which names it in errors and gives
/// its id): the checks and parsing of [`load_file`] without the file system.
pub fn decode_article(path: &Path, bytes: &[u8]) -> Result<LoadedArticle, LoadError> {
    if bytes.len() as u64 > MAX_ARTICLE_BYTES {
        return Err(LoadError::TooLarge {
            path: path.to_owned(),
            size: bytes.len() as u64,
        });
    }
    let id = path
        .file_stem()
        .map(name_id)
        .unwrap_or_else(|| "article".to_owned());
    if pdf::is_pdf_file(path) {
        let mut loaded = pdf::read_pdf(&id, bytes).map_err(|source| LoadError::Pdf {
            path: path.to_owned(),
            source,
        })?;
        loaded.path = Some(path.to_owned());
        return Ok(loaded);
    }
    if page::is_page_file(path) {
        let io_path = || path.to_owned();
        if bytes.is_empty() {
            return Err(LoadError::Empty { path: io_path() });
        }
        if bytes.iter().all(u8::is_ascii_whitespace) {
            let size = bytes.len() as u64;
            return Err(LoadError::Blank {
                path: io_path(),
                size,
            });
        }
        let head = &bytes[..bytes.len().min(8192)];
        if head.contains(&0) && encoding_rs::Encoding::for_bom(bytes).is_none() {
            return Err(LoadError::Binary { path: io_path() });
        }
        let html = page::decode_page(bytes, None);
        let mut loaded = page::read_page(&id, &html, None).map_err(|source| LoadError::Page {
            path: path.to_owned(),
            source,
        })?;
        loaded.path = Some(path.to_owned());
        return Ok(loaded);
    }
    let text = decode_text(path, bytes)?;
    let mut loaded = parse_article(&id, text);
    loaded.path = Some(path.to_owned());
    Ok(loaded)
}

/// A file name as an article id. A name that is not UTF-8 keeps its stray bytes as `\xHH`, so
/// two different names never become one id (replacing them with U+FFFD would).
fn name_id(name: &std::ffi::OsStr) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let mut id = String::new();
        for chunk in name.as_bytes().utf8_chunks() {
            id.push_str(chunk.valid());
            for byte in chunk.invalid() {
                id.push_str(&format!("\\x{byte:02X}"));
            }
        }
        id
    }
    #[cfg(not(unix))]
    {
        name.to_string_lossy().into_owned()
    }
}

/// Checks that bytes are a usable text article and returns the text without a byte-order mark.
fn decode_text(path: &Path, bytes: &[u8]) -> Result<String, LoadError> {
    if let Some(big_endian) = crate::files::utf16_order(bytes) {
        let text = crate::files::decode_utf16(bytes, big_endian).map_err(|offset| {
            LoadError::BadUtf16 {
                path: path.to_owned(),
                offset,
            }
        })?;
        return check_text(path, text.as_bytes());
    }
    check_text(path, bytes)
}

/// The checks of [`decode_text`] on bytes that should be UTF-8.
fn check_text(path: &Path, bytes: &[u8]) -> Result<String, LoadError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.is_empty() {
        return Err(LoadError::Empty {
            path: path.to_owned(),
        });
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(LoadError::Blank {
            path: path.to_owned(),
            size: bytes.len() as u64,
        });
    }
    let head = &bytes[..bytes.len().min(8192)];
    let controls = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c))
        .count();
    if head.contains(&0) || controls * 20 > head.len() {
        return Err(LoadError::Binary {
            path: path.to_owned(),
        });
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_owned()),
        Err(e) => Err(LoadError::NotUtf8 {
            path: path.to_owned(),
            offset: e.valid_up_to(),
        }),
    }
}

/// Reads metadata and boilerplate from an article's text. Never fails: a text with no
/// recognisable metadata gets `None` for title, publisher and date.
pub fn parse_article(id: &str, text: String) -> LoadedArticle {
    let lines = split_lines(&text);
    let mut boilerplate: Vec<Range<usize>> = Vec::new();
    let mut title_range = None;
    let mut publisher = None;
    let mut stamps: Vec<(StampKind, Date)> = Vec::new();

    // The header: lines before the first paragraph of the story.
    let mut header_done = false;
    let mut index = 0;
    while index < lines.len() {
        let line = &lines[index];
        let trimmed = line.text.trim();
        index += 1;
        if trimmed.is_empty() {
            continue;
        }
        if is_teaser_heading(trimmed) {
            // Everything from here on is other stories or page furniture.
            boilerplate.push(line.range.start..text.len());
            break;
        }
        if is_comment_block_start(trimmed, &lines[index..]) {
            let mut end = line.range.end;
            while index < lines.len() {
                let next = lines[index].text.trim();
                if next.is_empty() || is_comment_policy_line(next) {
                    end = lines[index].range.end;
                    index += 1;
                } else {
                    break;
                }
            }
            boilerplate.push(line.range.start..end);
            continue;
        }
        if is_page_control(trimmed) {
            boilerplate.push(line.range.clone());
            continue;
        }
        if let Some(stamp) = parse_stamp_line(trimmed) {
            boilerplate.push(line.range.clone());
            if let Some(stamp) = stamp {
                stamps.push(stamp);
            }
            continue;
        }
        if !header_done {
            if let Some(name) = publisher_line(trimmed) {
                publisher.get_or_insert(name);
                boilerplate.push(line.range.clone());
                continue;
            }
            if title_range.is_none() && looks_like_headline(trimmed) {
                title_range = Some(trimmed_range(line));
                continue;
            }
            if title_range.is_some() && is_short_label(trimmed) {
                // Bylines and wire codes between headline and story.
                boilerplate.push(line.range.clone());
                continue;
            }
            header_done = true;
        }
    }
    boilerplate.sort_by_key(|r| r.start);

    let title = title_range.clone().map(|r| text[r].trim().to_owned());
    let published = stamps
        .iter()
        .min_by_key(|(kind, _)| *kind)
        .map(|(_, date)| *date);
    LoadedArticle {
        article: Article {
            id: id.to_owned(),
            title,
            publisher,
            published,
            url: None,
            text,
        },
        path: None,
        boilerplate,
        title_range,
    }
}

struct Line<'a> {
    text: &'a str,
    /// Byte range of the line, without its line break.
    range: Range<usize>,
}

fn split_lines(text: &str) -> Vec<Line<'_>> {
    let mut lines = Vec::new();
    let mut start = 0;
    for (i, _) in text.match_indices('\n') {
        let end = if i > start && text.as_bytes()[i - 1] == b'\r' {
            i - 1
        } else {
            i
        };
        lines.push(Line {
            text: &text[start..end],
            range: start..end,
        });
        start = i + 1;
    }
    if start < text.len() {
        lines.push(Line {
            text: &text[start..],
            range: start..text.len(),
        });
    }
    lines
}

fn trimmed_range(line: &Line) -> Range<usize> {
    let leading = line.text.len() - line.text.trim_start().len();
    let start = line.range.start + leading;
    start..start + line.text.trim().len()
}

/// Which stamp wins when an article has several: the original publication first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum StampKind {
    Published,
    Plain,
    Updated,
}

/// A line that is only a date stamp. `Some(None)` is a stamp with no usable date, such as
/// "1 hour ago": it is metadata, but nothing anchors it, so the date stays unknown.
fn parse_stamp_line(line: &str) -> Option<Option<(StampKind, Date)>> {
    if line.len() > 80 {
        return None;
    }
    let lower = line.to_ascii_lowercase();
    if is_relative_stamp(&lower) {
        return Some(None);
    }
    let (kind, rest) = strip_stamp_label(&lower);
    let date = parse_date_prefix(rest)?;
    Some(Some((kind, date)))
}

fn strip_stamp_label(lower: &str) -> (StampKind, &str) {
    const LABELS: [(&str, StampKind); 8] = [
        ("last updated", StampKind::Updated),
        ("updated on", StampKind::Updated),
        ("updated", StampKind::Updated),
        ("published on", StampKind::Published),
        ("published", StampKind::Published),
        ("posted on", StampKind::Published),
        ("posted", StampKind::Published),
        ("date", StampKind::Plain),
    ];
    for (label, kind) in LABELS {
        if let Some(rest) = lower.strip_prefix(label) {
            return (kind, rest.trim_start_matches([':', ' ', '-']).trim());
        }
    }
    (StampKind::Plain, lower.trim())
}

fn is_relative_stamp(lower: &str) -> bool {
    if matches!(lower, "just now" | "yesterday" | "today" | "an hour ago") {
        return true;
    }
    let words: Vec<&str> = lower.split_whitespace().collect();
    match words.as_slice() {
        [count, unit, "ago"] => {
            (count.parse::<u32>().is_ok() || matches!(*count, "a" | "an" | "one"))
                && [
                    "second", "seconds", "sec", "secs", "minute", "minutes", "min", "mins", "hour",
                    "hours", "hr", "hrs", "day", "days", "week", "weeks", "month", "months",
                    "year", "years",
                ]
                .contains(unit)
        }
        _ => false,
    }
}

/// Month names and common abbreviations, lower case.
pub(crate) fn month_number(word: &str) -> Option<i8> {
    let word = word.trim_end_matches('.');
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let lower = word.to_ascii_lowercase();
    MONTHS.iter().enumerate().find_map(|(i, name)| {
        let full = lower == *name;
        let abbreviated = lower.len() >= 3 && name.starts_with(lower.as_str()) && lower.len() <= 4;
        (full || abbreviated).then_some(i as i8 + 1)
    })
}

/// A date at the start of a stamp, followed at most by a time of day. Recognised forms:
/// `January 27, 2022`, `27 January 2022`, `2022-01-27`, `23-01-2022`, `23.01.2022`,
/// and `23/01/2022` when day and month cannot be mixed up.
fn parse_date_prefix(text: &str) -> Option<Date> {
    let tokens: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|t| !t.is_empty())
        .collect();
    let (date, used) = match tokens.as_slice() {
        [month, day, year, ..] if month_number(month).is_some() => {
            (make_date(year, month_number(month)?, day)?, 3)
        }
        [day, month, year, ..] if month_number(month).is_some() => {
            (make_date(year, month_number(month)?, day)?, 3)
        }
        [numeric, ..] => (parse_numeric_date(numeric)?, 1),
        [] => return None,
    };
    // What follows the date may only be a time of day and a zone, not a sentence.
    let rest = &tokens[used..];
    let time_like = rest.iter().all(|t| {
        t.chars()
            .all(|c| c.is_ascii_digit() || c == ':' || c == '.')
            || matches!(
                t.to_ascii_lowercase().as_str(),
                "am" | "pm" | "gmt" | "utc" | "ast" | "at" | "|" | "-" | "+03:00"
            )
    });
    (rest.len() <= 4 && time_like).then_some(date)
}

fn make_date(year: &str, month: i8, day: &str) -> Option<Date> {
    let year: i16 = year.parse().ok()?;
    let day: i8 = day
        .trim_end_matches(|c: char| c.is_ascii_alphabetic())
        .parse()
        .ok()?;
    plausible(Date::new(year, month, day).ok()?)
}

fn parse_numeric_date(token: &str) -> Option<Date> {
    let parts: Vec<&str> = token.split(['-', '/', '.']).collect();
    let separator = token.chars().find(|c| matches!(c, '-' | '/' | '.'))?;
    let [a, b, c] = parts.as_slice() else {
        return None;
    };
    let numbers: Vec<i16> = [a, b, c]
        .iter()
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    let date = if a.len() == 4 {
        Date::new(numbers[0], numbers[1] as i8, numbers[2] as i8).ok()?
    } else if c.len() == 4 {
        let (first, second) = (numbers[0], numbers[1]);
        // Dashes and dots are day-first in the press of the region; with slashes the order
        // is only trusted when one part cannot be a month.
        let (day, month) = if separator == '/' {
            match (first > 12, second > 12) {
                (true, false) => (first, second),
                (false, true) => (second, first),
                _ => return None,
            }
        } else {
            (first, second)
        };
        Date::new(numbers[2], month as i8, day as i8).ok()?
    } else {
        return None;
    };
    plausible(date)
}

fn plausible(date: Date) -> Option<Date> {
    (1900..=2100).contains(&date.year()).then_some(date)
}

/// Headings after which a page lists other stories.
fn is_teaser_heading(line: &str) -> bool {
    const HEADINGS: [&str; 8] = [
        "The Latest",
        "Related Articles",
        "Related Stories",
        "Read More",
        "More Stories",
        "Most Read",
        "Most Popular",
        "Recommended",
    ];
    let line = line.trim_end_matches(':');
    HEADINGS.iter().any(|h| line.eq_ignore_ascii_case(h))
}

fn is_comment_block_start(line: &str, following: &[Line]) -> bool {
    let heading = ["comments", "comment", "comment policy", "leave a comment"]
        .contains(&line.to_ascii_lowercase().trim_end_matches(':'));
    heading
        && following
            .iter()
            .map(|l| l.text.trim())
            .filter(|l| !l.is_empty())
            .take(2)
            .any(is_comment_policy_line)
}

fn is_comment_policy_line(line: &str) -> bool {
    let lower = line.to_ascii_lowercase();
    [
        "comment",
        "community guidelines",
        "we will not tolerate",
        "approved for publication",
        "constructive criticism",
        "required",
    ]
    .iter()
    .any(|needle| lower.contains(needle))
}

/// Buttons and widgets scraped along with the text.
fn is_page_control(line: &str) -> bool {
    let lower = line.to_ascii_lowercase();
    matches!(
        lower.as_str(),
        "a+ a-"
            | "a- a+"
            | "post a comment"
            | "required"
            | "share"
            | "print"
            | "share this article"
            | "listen to this article"
            | "advertisement"
            | "subscribe"
    )
}

/// Outlets whose name alone on a header line marks the publisher.
const KNOWN_PUBLISHERS: [&str; 16] = [
    "Rudaw",
    "Kurdistan24",
    "The National",
    "Reuters",
    "AFP",
    "Associated Press",
    "AP",
    "Al-Monitor",
    "Al Jazeera",
    "Asharq Al-Awsat",
    "Shafaq News",
    "North Press Agency",
    "Enab Baladi",
    "Hawar News Agency",
    "Syrian Observer",
    "BBC News",
];

fn publisher_line(line: &str) -> Option<String> {
    let name = line
        .strip_prefix("In ")
        .or_else(|| line.strip_prefix("By "))
        .or_else(|| line.strip_prefix("Source: "))
        .unwrap_or(line)
        .trim();
    KNOWN_PUBLISHERS
        .into_iter()
        .find(|p| p.eq_ignore_ascii_case(name))
        .map(str::to_owned)
}

fn looks_like_headline(line: &str) -> bool {
    let words = line.split_whitespace().count();
    (3..=30).contains(&words)
        && line.len() <= 200
        && !line.ends_with('.')
        && !line.ends_with(':')
        && line.chars().next().is_some_and(char::is_alphanumeric)
}

/// A short line with no sentence in it, such as a byline or a wire code.
fn is_short_label(line: &str) -> bool {
    line.split_whitespace().count() <= 3 && line.len() <= 40 && !line.ends_with('.')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seeds_dir() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("data/articles")
    }

    fn seed(id: &str) -> LoadedArticle {
        load_file(&seeds_dir().join(format!("{id}.txt"))).unwrap()
    }

    fn boilerplate_text(loaded: &LoadedArticle) -> String {
        loaded
            .boilerplate
            .iter()
            .map(|r| &loaded.article.text[r.clone()])
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn seed_000_has_title_and_updated_date() {
        let a = seed("000_c21f97898a023ab8");
        assert_eq!(a.article.id, "000_c21f97898a023ab8");
        assert_eq!(
            a.article.title.as_deref(),
            Some("Iraq's prime minister says security forces can resist ISIS")
        );
        assert_eq!(a.article.published, Some(jiff::civil::date(2022, 1, 27)));
        assert!(boilerplate_text(&a).contains("Updated: January 27, 2022"));
    }

    #[test]
    fn seed_001_has_day_first_numeric_date() {
        let a = seed("001_cd6de425e2b44c3d");
        assert_eq!(
            a.article.title.as_deref(),
            Some("KRG PM says concerned about ISIS threat following Syria, Iraq attacks")
        );
        assert_eq!(a.article.published, Some(jiff::civil::date(2022, 1, 23)));
    }

    #[test]
    fn seed_002_has_no_title_or_date_and_its_comment_footer_is_boilerplate() {
        let a = seed("002_2192df54ed7b88b8");
        assert_eq!(a.article.title, None);
        assert_eq!(a.article.published, None);
        let skipped = boilerplate_text(&a);
        assert!(skipped.contains("Rudaw moderates all comments"));
        assert!(skipped.contains("Post a comment"));
        assert!(!skipped.contains("Kakayi"));
        // The text itself is kept whole.
        assert!(a.article.text.ends_with("Post a comment"));
    }

    #[test]
    fn seed_003_relative_stamp_is_unknown_and_teasers_are_boilerplate() {
        let a = seed("003_3314971396c24a4d");
        assert_eq!(
            a.article.title.as_deref(),
            Some("Top Iraqi officials: Border is secure amid ISIS threat, Syria turmoil")
        );
        assert_eq!(a.article.published, None, "\"1 hour ago\" anchors nothing");
        assert_eq!(a.article.publisher.as_deref(), Some("Rudaw"));
        let skipped = boilerplate_text(&a);
        assert!(skipped.contains("1 hour ago"));
        assert!(skipped.contains("A+ A-"));
        assert!(skipped.contains("Baghdad planning to repatriate"));
        let story: String = a
            .story_ranges()
            .into_iter()
            .map(|r| &a.article.text[r])
            .collect();
        assert!(story.contains("al-Hol camp near the Iraqi border"));
        assert!(!story.contains("repatriate"));
        assert!(!story.contains("Top Iraqi officials: Border is secure"));
    }

    #[test]
    fn seed_004_reads_title_after_the_section_line() {
        let a = seed("004_733e4a5770933660");
        assert_eq!(
            a.article.title.as_deref(),
            Some("Kadhimi orders Iraqi forces to fortify border with Syria: spokesperson")
        );
        assert_eq!(a.article.publisher.as_deref(), Some("Rudaw"));
        assert_eq!(a.article.published, None);
    }

    #[test]
    fn bundled_folder_loads_all_five_seeds_with_their_manifest() {
        let report = load_paths(&[seeds_dir()]);
        assert!(report.errors.is_empty(), "{:?}", report.errors);
        let ids: Vec<&str> = report
            .articles
            .iter()
            .map(|a| a.article.id.as_str())
            .collect();
        assert_eq!(
            ids,
            [
                "000_c21f97898a023ab8",
                "001_cd6de425e2b44c3d",
                "002_2192df54ed7b88b8",
                "003_3314971396c24a4d",
                "004_733e4a5770933660"
            ]
        );
    }

    #[test]
    fn manifest_gives_and_overrides_fields() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("a.txt"),
            "A headline about Mosul\n\nUpdated: January 27, 2022\n\nStory.",
        )
        .unwrap();
        std::fs::write(
            dir.path().join(MANIFEST_FILE),
            "[articles.a]\ntitle = \"Better title\"\npublished = 2022-01-28\n\
             url = \"https://example.org/a\"\npublisher = \"Rudaw\"\n",
        )
        .unwrap();
        let report = load_paths(&[dir.path().to_owned()]);
        assert!(report.errors.is_empty(), "{:?}", report.errors);
        let a = &report.articles[0].article;
        assert_eq!(a.title.as_deref(), Some("Better title"));
        assert_eq!(a.published, Some(jiff::civil::date(2022, 1, 28)));
        assert_eq!(a.url.as_deref(), Some("https://example.org/a"));
        assert_eq!(a.publisher.as_deref(), Some("Rudaw"));
    }

    #[test]
    fn a_broken_manifest_is_reported_with_its_line_and_articles_still_load() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), "Some story text here.").unwrap();
        std::fs::write(dir.path().join("c.txt"), "Another story text here.").unwrap();
        // One bad date: that entry is reported, the good one still applies.
        std::fs::write(
            dir.path().join(MANIFEST_FILE),
            "[articles.a]\npublished = \"yesterday\"\n\n[articles.c]\npublisher = \"Rudaw\"\n",
        )
        .unwrap();
        let report = load_paths(&[dir.path().to_owned()]);
        assert_eq!(report.articles.len(), 2);
        assert_eq!(report.errors.len(), 1, "{:?}", report.errors);
        let message = report.errors[0].to_string();
        assert!(message.contains("manifest.toml: line "), "{message}");
        assert!(
            message.contains("\"a\"") && message.contains("yesterday"),
            "{message}"
        );
        let c = report.articles.iter().find(|a| a.article.id == "c");
        assert_eq!(
            c.and_then(|c| c.article.publisher.as_deref()),
            Some("Rudaw")
        );
        // Not TOML at all: the whole file is reported with the line, the articles still load.
        std::fs::write(dir.path().join(MANIFEST_FILE), "[articles.a\n").unwrap();
        let report = load_paths(&[dir.path().to_owned()]);
        assert_eq!(report.articles.len(), 2);
        assert!(report.errors[0].to_string().contains("line 1"));
        // A typo in an id is reported too.
        std::fs::write(
            dir.path().join(MANIFEST_FILE),
            "[articles.b]\ntitle = \"x\"\n",
        )
        .unwrap();
        let report = load_paths(&[dir.path().to_owned()]);
        assert!(report.errors[0].to_string().contains("names article \"b\""));
    }

    #[test]
    fn bad_files_get_clear_errors_and_the_rest_load() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::write(d.join("good.txt"), "Clashes in Hassakeh.").unwrap();
        std::fs::write(d.join("empty.txt"), "  \n").unwrap();
        std::fs::write(d.join("binary.txt"), [0x89, b'P', b'N', b'G', 0, 0, 1, 2]).unwrap();
        std::fs::write(d.join("latin1.txt"), b"Caf\xe9 in Erbil").unwrap();
        let big = std::fs::File::create(d.join("huge.txt")).unwrap();
        big.set_len(MAX_ARTICLE_BYTES + 1).unwrap();
        let report = load_paths(&[d.to_owned()]);
        assert_eq!(report.articles.len(), 1);
        assert_eq!(report.articles[0].article.id, "good");
        let messages: Vec<String> = report.errors.iter().map(|e| e.to_string()).collect();
        let find = |name: &str| {
            messages
                .iter()
                .find(|m| m.contains(name))
                .unwrap_or_else(|| panic!("no error for {name}: {messages:?}"))
                .clone()
        };
        assert!(find("empty.txt").contains("empty"));
        assert!(find("binary.txt").contains("binary"));
        assert!(find("latin1.txt").contains("not UTF-8 text (invalid byte at offset 3)"));
        assert!(find("huge.txt").contains("over the 10485760-byte limit"));
        assert_eq!(report.errors.len(), 4);
    }

    #[test]
    fn folders_too_deep_are_named_and_the_shallow_articles_load() {
        let dir = tempfile::tempdir().unwrap();
        let mut deep = dir.path().to_owned();
        for level in 0..40 {
            deep.push(format!("d{level}"));
            if level == 1 {
                std::fs::create_dir_all(&deep).unwrap();
                std::fs::write(deep.join("shallow.txt"), "Clashes in Hassakeh.").unwrap();
            }
        }
        std::fs::create_dir_all(&deep).unwrap();
        std::fs::write(deep.join("deep.txt"), "Clashes in Raqqa.").unwrap();
        let report = load_paths(&[dir.path().to_owned()]);
        let ids: Vec<&str> = report
            .articles
            .iter()
            .map(|a| a.article.id.as_str())
            .collect();
        assert_eq!(ids, ["shallow"]);
        let messages: Vec<String> = report.errors.iter().map(ToString::to_string).collect();
        assert_eq!(messages.len(), 1, "{messages:?}");
        assert!(
            messages[0].contains("nested more than 32 folders deep"),
            "{messages:?}"
        );
        assert!(messages[0].contains("/d32"), "{messages:?}");
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn folders_past_the_path_length_limit_are_said_not_skipped_silently() {
        let dir = tempfile::tempdir().unwrap();
        // Twenty folders of 250-character names: past the 4,096-byte path limit, within the
        // depth limit. Made by walking down (no path that long can be given whole).
        let name = "n".repeat(250);
        let script = format!(
            "cd {} && for i in $(seq 20); do mkdir {name} && cd {name} || exit 1; done && echo Clashes > bottom.txt",
            dir.path().display()
        );
        let made = std::process::Command::new("bash")
            .arg("-c")
            .arg(script)
            .status();
        assert!(made.is_ok_and(|s| s.success()));
        std::fs::write(dir.path().join("top.txt"), "Clashes in Hassakeh.").unwrap();
        let report = load_paths(&[dir.path().to_owned()]);
        assert_eq!(report.articles.len(), 1);
        let messages: Vec<String> = report.errors.iter().map(ToString::to_string).collect();
        assert_eq!(messages.len(), 1, "{messages:?}");
        assert!(messages[0].contains("cannot read"), "{messages:?}");
        assert!(
            messages[0].to_lowercase().contains("too long"),
            "{messages:?}"
        );
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn two_names_that_are_not_utf8_stay_two_articles() {
        use std::os::unix::ffi::OsStrExt;
        let dir = tempfile::tempdir().unwrap();
        let names: [&[u8]; 2] = [b"report-\xff.txt", b"report-\xfe.txt"];
        for (i, name) in names.iter().enumerate() {
            let path = dir.path().join(std::ffi::OsStr::from_bytes(name));
            std::fs::write(path, format!("Clashes in place number {i}.")).unwrap();
        }
        let report = load_paths(&[dir.path().to_owned()]);
        assert!(report.errors.is_empty(), "{:?}", report.errors);
        let mut ids: Vec<&str> = report
            .articles
            .iter()
            .map(|a| a.article.id.as_str())
            .collect();
        ids.sort();
        assert_eq!(ids, ["report-\\xFE", "report-\\xFF"]);
    }

    #[test]
    fn utf16_articles_are_decoded() {
        let text = "Clashes in Hassakeh — ثلاثة قتلى.";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        let with_bom = |bom: [u8; 2], body: &[u8]| [&bom[..], body].concat();
        for (what, bytes) in [
            ("LE with a mark", with_bom([0xFF, 0xFE], &le)),
            ("BE with a mark", with_bom([0xFE, 0xFF], &be)),
            ("LE without a mark", le.clone()),
            ("BE without a mark", be.clone()),
        ] {
            let loaded = decode_article(Path::new("notepad.txt"), &bytes);
            let loaded = loaded.unwrap_or_else(|e| panic!("{what}: {e}"));
            assert_eq!(loaded.article.text, text, "{what}");
        }
        // A lone surrogate half: said to be UTF-16, not "a binary file".
        let mut broken = with_bom([0xFF, 0xFE], &le);
        broken.extend([0x00, 0xD8, b'x', 0]);
        let error = decode_article(Path::new("broken.txt"), &broken)
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("UTF-16") && error.contains("save it as UTF-8"),
            "{error}"
        );
        assert!(!error.contains("binary"), "{error}");
    }

    #[test]
    fn control_characters_in_file_names_never_reach_a_message() {
        let dir = tempfile::tempdir().unwrap();
        let name = "evil\u{1b}[2J\u{1b}]0;pwned\u{7}.txt";
        std::fs::write(dir.path().join(name), [0u8, 1, 2, 3]).unwrap();
        std::fs::write(dir.path().join("blank.txt"), " ".repeat(5000)).unwrap();
        let report = load_paths(&[dir.path().to_owned()]);
        let messages: Vec<String> = report.errors.iter().map(ToString::to_string).collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        for message in &messages {
            assert!(!message.chars().any(char::is_control), "{message:?}");
        }
        let evil = messages.iter().find(|m| m.contains("binary")).unwrap();
        assert!(
            evil.contains("evil\\u{1b}[2J\\u{1b}]0;pwned\\u{7}.txt"),
            "{evil}"
        );
        let blank = messages.iter().find(|m| m.contains("blank.txt")).unwrap();
        assert!(
            blank.contains("empty (only blank space, 5,000 bytes)"),
            "{blank}"
        );
    }

    #[test]
    fn a_list_of_files_loads_and_missing_paths_are_named() {
        let dir = seeds_dir();
        let report = load_paths(&[
            dir.join("001_cd6de425e2b44c3d.txt"),
            dir.join("no-such-article.txt"),
        ]);
        assert_eq!(report.articles.len(), 1);
        assert!(report.errors[0].to_string().contains("no-such-article.txt"));
    }

    #[test]
    fn stamps_in_several_forms() {
        let d = |y, m, day| Some(Some((StampKind::Plain, jiff::civil::date(y, m, day))));
        assert_eq!(parse_stamp_line("January 27, 2022"), d(2022, 1, 27));
        assert_eq!(parse_stamp_line("27 Jan 2022 14:05 GMT"), d(2022, 1, 27));
        assert_eq!(parse_stamp_line("2022-01-27"), d(2022, 1, 27));
        assert_eq!(parse_stamp_line("23-01-2022 09:21"), d(2022, 1, 23));
        assert_eq!(parse_stamp_line("23/01/2022"), d(2022, 1, 23));
        assert_eq!(parse_stamp_line("01/02/2022"), None, "ambiguous slash date");
        assert_eq!(
            parse_stamp_line("Published: Jan. 3, 2023, 9:00 AM"),
            Some(Some((StampKind::Published, jiff::civil::date(2023, 1, 3))))
        );
        assert_eq!(parse_stamp_line("3 hours ago"), Some(None));
        assert_eq!(parse_stamp_line("January 27, 2022 was a cold day"), None);
        assert_eq!(parse_stamp_line("31-02-2022"), None);
    }

    #[test]
    fn published_stamp_wins_over_updated() {
        let a = parse_article(
            "x",
            "Headline about Kirkuk\nUpdated: March 3, 2022\nPublished: March 1, 2022\nStory."
                .into(),
        );
        assert_eq!(a.article.published, Some(jiff::civil::date(2022, 3, 1)));
    }

    #[test]
    fn arbitrary_text_never_panics() {
        for text in [
            "",
            "\n\n\n",
            "x",
            "Comments",
            "The Latest",
            "\r\n\r\nA+ A-\r\n",
            "ḨḨḨ – 1 hour ago\u{feff}",
        ] {
            let a = parse_article("t", text.to_owned());
            for r in a.story_ranges() {
                assert!(a.article.text.get(r).is_some());
            }
        }
    }
}
