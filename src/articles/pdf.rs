//! PDF reports as articles: the text layer, page by page (`pdf-extract`), each page opened by a
//! `[Page N]` line so that evidence can cite its page. A scanned report with no text layer,
//! an encrypted one or a broken file is an error that says so.

use std::ops::Range;
use std::time::Duration;

use super::LoadedArticle;

/// How long one report may take to read: a crafted file must not hang an ingest.
const READ_TIME: Duration = Duration::from_secs(30);

/// Fewer words than this over the whole report: a scan with no text layer.
const MIN_WORDS: usize = 12;

/// Why a PDF gave no article.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PdfError {
    #[error("a PDF that cannot be read ({0})")]
    Unreadable(String),
    #[error("a PDF with no text layer (a scan?); run it through OCR first")]
    NoText,
    #[error("a PDF that took over {} s to read; skipped", READ_TIME.as_secs())]
    TooSlow,
}

/// Whether a file name is a PDF.
pub fn is_pdf_file(path: &std::path::Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("pdf"))
}

/// Whether bytes start like a PDF.
pub fn looks_like_pdf(bytes: &[u8]) -> bool {
    bytes
        .get(..1024)
        .unwrap_or(bytes)
        .windows(5)
        .any(|w| w == b"%PDF-")
}

/// Reads a PDF's text into an article with the id `id`.
pub fn read_pdf(id: &str, bytes: &[u8]) -> Result<LoadedArticle, PdfError> {
    let pages = pages_of(bytes.to_vec())?;
    let words: usize = pages.iter().map(|p| p.split_whitespace().count()).sum();
    if words < MIN_WORDS {
        return Err(PdfError::NoText);
    }
    let (text, markers) = joined(&pages);
    let mut loaded = super::parse_article(id, text);
    loaded.boilerplate.extend(markers);
    loaded.boilerplate.sort_by_key(|r| r.start);
    let mut merged: Vec<Range<usize>> = Vec::new();
    for range in std::mem::take(&mut loaded.boilerplate) {
        match merged.last_mut() {
            Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
            _ => merged.push(range),
        }
    }
    loaded.boilerplate = merged;
    Ok(loaded)
}

/// The page a byte offset of a PDF article's text lies on, from its `[Page N]` lines.
pub fn page_at(text: &str, offset: usize) -> Option<u32> {
    let before = text.get(..offset)?;
    let at = before.rfind("[Page ")?;
    let rest = &before[at + "[Page ".len()..];
    rest.split(']').next()?.trim().parse().ok()
}

/// The text of each page, read on a thread of its own: the reader is stopped from taking
/// the program down (a panic on a malformed file) or holding it (a file that never ends).
fn pages_of(bytes: Vec<u8>) -> Result<Vec<String>, PdfError> {
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let read = std::panic::catch_unwind(|| pdf_extract::extract_text_from_mem_by_pages(&bytes));
        let _ = sender.send(read);
    });
    match receiver.recv_timeout(READ_TIME) {
        Ok(Ok(Ok(pages))) => Ok(pages),
        Ok(Ok(Err(e))) => Err(PdfError::Unreadable(e.to_string())),
        Ok(Err(_)) => Err(PdfError::Unreadable("its structure is broken".to_owned())),
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => Err(PdfError::TooSlow),
        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
            Err(PdfError::Unreadable("the reader stopped".to_owned()))
        }
    }
}

/// Pages joined as paragraphs (lines of one paragraph rejoined, as text layers break them at
/// the column's edge), each opened by its `[Page N]` line; returns the marker lines' ranges.
fn joined(pages: &[String]) -> (String, Vec<Range<usize>>) {
    let mut text = String::new();
    let mut markers = Vec::new();
    for (n, page) in pages.iter().enumerate() {
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        let start = text.len();
        text.push_str(&format!("[Page {}]", n + 1));
        markers.push(start..text.len());
        for paragraph in page.split("\n\n") {
            let line = paragraph.split_whitespace().collect::<Vec<_>>().join(" ");
            if !line.is_empty() {
                text.push_str("\n\n");
                text.push_str(&line);
            }
        }
    }
    text.push('\n');
    (text, markers)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_marked_and_found_again() {
        let pages = vec![
            "Monthly security report\n\nAttacks rose in the north.".to_owned(),
            "Gunmen killed two farmers\nnear Khanaqin on 4 March.".to_owned(),
        ];
        let (text, markers) = joined(&pages);
        assert_eq!(markers.len(), 2);
        assert_eq!(&text[markers[1].clone()], "[Page 2]");
        let at = text.find("Gunmen").expect("page two's text");
        assert_eq!(page_at(&text, at), Some(2));
        assert_eq!(
            page_at(&text, text.find("Attacks").expect("page one")),
            Some(1)
        );
        assert!(text.contains("Gunmen killed two farmers near Khanaqin on 4 March."));
    }

    #[test]
    fn broken_and_empty_files_are_errors_not_panics() {
        assert!(read_pdf("x", b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF").is_err());
        assert!(read_pdf("x", b"not a pdf at all").is_err());
        assert!(read_pdf("x", b"").is_err());
        assert!(looks_like_pdf(b"%PDF-1.4\n"));
        assert!(!looks_like_pdf(b"<html>"));
    }
}
