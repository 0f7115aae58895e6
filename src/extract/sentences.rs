//! Sentence splitting over an article's story ranges.
//!
//! A line break always ends a sentence (news text puts captions, headings and paragraphs on
//! their own lines); inside a line, a full stop, question or exclamation mark ends one when
//! a capital letter, digit or opening quote follows and the word before is not an
//! abbreviation such as "Mr." or "Jan.". Overlong runs without punctuation are cut, so that
//! no rule ever works on more than [`MAX_SENTENCE_BYTES`].

use std::ops::Range;

/// Longest sentence handed to the rules; longer runs are cut at a space.
pub const MAX_SENTENCE_BYTES: usize = 2_000;

/// One sentence: its byte range in the article text and the paragraph (line) it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    pub range: Range<usize>,
    pub paragraph: usize,
}

/// Words after which a full stop does not end the sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "gen", "lt", "col", "maj", "capt", "sgt", "cpl", "brig", "adm", "st",
    "no", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "vs", "etc", "approx", "est", "gov", "sen", "rep", "prof", "jr", "sr", "inc", "co", "corp",
    "ltd", "dept", "u", "s", "e", "g", "i",
];

/// Splits the story ranges of `text` into sentences.
pub fn split(text: &str, story: &[Range<usize>]) -> Vec<Sentence> {
    let mut sentences = Vec::new();
    let mut paragraph = 0;
    for range in story {
        let Some(part) = text.get(range.clone()) else {
            continue;
        };
        let mut line_start = range.start;
        for line in part.split_inclusive('\n') {
            let line_range = line_start..line_start + line.len();
            line_start = line_range.end;
            if line.trim().is_empty() {
                continue;
            }
            split_line(text, line_range, paragraph, &mut sentences);
            paragraph += 1;
        }
    }
    sentences
}

fn split_line(text: &str, line: Range<usize>, paragraph: usize, out: &mut Vec<Sentence>) {
    let bytes = text.as_bytes();
    let mut start = line.start;
    let mut i = line.start;
    while i < line.end {
        let b = bytes[i];
        if matches!(b, b'.' | b'!' | b'?') && ends_sentence(text, line.clone(), start, i) {
            // Take closing quotes and brackets with the sentence.
            let mut end = i + 1;
            while end < line.end {
                let rest = &text[end..line.end];
                match rest.chars().next() {
                    Some(c @ ('"' | '\'' | '”' | '’' | ')' | ']')) => end += c.len_utf8(),
                    _ => break,
                }
            }
            push(text, start..end, paragraph, out);
            start = end;
            i = end;
            continue;
        }
        if i - start >= MAX_SENTENCE_BYTES {
            let cut = cut_point(text, start, i);
            push(text, start..cut, paragraph, out);
            start = cut;
        }
        i += 1;
    }
    push(text, start..line.end, paragraph, out);
}

/// Whether the punctuation at `at` ends a sentence.
fn ends_sentence(text: &str, line: Range<usize>, start: usize, at: usize) -> bool {
    // What follows: optional closing quotes, then whitespace, then a sentence opener.
    let rest = &text[at + 1..line.end];
    let after_quotes = rest.trim_start_matches(['"', '\'', '”', '’', ')', ']']);
    if after_quotes.is_empty() {
        return true;
    }
    let after_space = after_quotes.trim_start();
    if after_space.len() == after_quotes.len() {
        return false; // "3.5", "U.S.", "e.g.x"
    }
    let opens = after_space
        .chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit() || "\"“‘'([".contains(c));
    if !opens {
        return false;
    }
    if text.as_bytes()[at] != b'.' {
        return true;
    }
    // The word before the full stop.
    let before = &text[start..at];
    let word: String = before
        .chars()
        .rev()
        .take_while(|c| c.is_alphanumeric())
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    if word.is_empty() {
        return true;
    }
    let lower = word.to_lowercase();
    if ABBREVIATIONS.contains(&lower.as_str()) {
        return false;
    }
    // A single capital is an initial ("Mustafa A. Kadhimi").
    !(word.chars().count() == 1 && word.chars().all(char::is_uppercase))
}

/// A cut point for an overlong sentence: the last space before `at`, or `at` itself.
fn cut_point(text: &str, start: usize, at: usize) -> usize {
    let mut cut = at;
    while cut > start && !text.is_char_boundary(cut) {
        cut -= 1;
    }
    match text[start..cut].rfind(char::is_whitespace) {
        Some(space) if space > 0 => start + space,
        _ => cut.max(start + 1).min(text.len()),
    }
}

fn push(text: &str, range: Range<usize>, paragraph: usize, out: &mut Vec<Sentence>) {
    let Some(slice) = text.get(range.clone()) else {
        return;
    };
    let lead = slice.len() - slice.trim_start().len();
    let trail = slice.len() - slice.trim_end().len();
    let range = range.start + lead..range.end - trail;
    if range.start < range.end && text[range.clone()].chars().any(char::is_alphanumeric) {
        out.push(Sentence { range, paragraph });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn whole(text: &str) -> Vec<Range<usize>> {
        vec![Range {
            start: 0,
            end: text.len(),
        }]
    }

    fn texts(text: &str) -> Vec<&str> {
        split(text, &whole(text))
            .into_iter()
            .map(|s| &text[s.range])
            .collect()
    }

    #[test]
    fn splits_on_full_stops_but_not_abbreviations_or_numbers() {
        assert_eq!(
            texts("Mr Al Kadhimi visited. Mr. Smith said 2.5 km on Jan. 3. U.S. forces struck."),
            [
                "Mr Al Kadhimi visited.",
                "Mr. Smith said 2.5 km on Jan. 3.",
                "U.S. forces struck."
            ]
        );
    }

    #[test]
    fn quotes_close_with_their_sentence() {
        assert_eq!(
            texts("“You will fail,” he said. “Do not test us.” The group fled."),
            [
                "“You will fail,” he said.",
                "“Do not test us.”",
                "The group fled."
            ]
        );
    }

    #[test]
    fn lines_are_sentences_and_paragraphs() {
        let text =
            "Emergency security meeting in Baghdad\n\nOn Tuesday, officials met. They spoke.\n";
        let sentences = split(text, &whole(text));
        let got: Vec<(&str, usize)> = sentences
            .iter()
            .map(|s| (&text[s.range.clone()], s.paragraph))
            .collect();
        assert_eq!(
            got,
            [
                ("Emergency security meeting in Baghdad", 0),
                ("On Tuesday, officials met.", 1),
                ("They spoke.", 1)
            ]
        );
    }

    #[test]
    fn story_ranges_are_respected() {
        let text = "Headline\nBody one. Body two.\nFooter";
        let sentences = split(text, &[Range { start: 9, end: 28 }]);
        assert_eq!(sentences.len(), 2);
        assert_eq!(&text[sentences[1].range.clone()], "Body two.");
    }

    #[test]
    fn long_runs_are_cut_and_garbage_is_dropped() {
        let text = "word ".repeat(2_000);
        let sentences = split(&text, &whole(&text));
        assert!(sentences.len() >= 5);
        assert!(
            sentences
                .iter()
                .all(|s| s.range.len() <= MAX_SENTENCE_BYTES)
        );
        let text = "ḨḨḨ".repeat(2_000);
        for s in split(&text, &whole(&text)) {
            assert!(text.get(s.range.clone()).is_some());
        }
        assert!(texts("... --- !!!\n\n").is_empty());
    }
}
