//! Right-to-left text (Arabic) for egui, which shapes each run of one font — an Arabic word —
//! right to left but lays runs out left to right: two Arabic words come out in reverse order.
//! Here each line is put in visual order first (the Unicode bidirectional algorithm, through
//! `unicode-bidi`): in a right-to-left run the words change places and each word keeps its
//! letters in reading order, for the shaper to join and turn. Lines of a right-to-left
//! paragraph are broken before they are reordered, so the first line holds the first words.
//! Only characters move, never appear or vanish: a map says where each came from, so that
//! highlights, clicks and selections still count in the text's own order.

use std::borrow::Cow;

use unicode_bidi::{BidiClass, ParagraphBidiInfo, bidi_class};

/// Whether `c` is a right-to-left letter (Arabic, Hebrew, Syriac, Thaana, N'Ko…).
fn is_rtl(c: char) -> bool {
    matches!(bidi_class(c), BidiClass::R | BidiClass::AL)
}

/// Whether any letter of `text` is written right to left.
pub fn has_rtl(text: &str) -> bool {
    text.chars().any(is_rtl)
}

/// Text in visual order, and for each of its characters the index (in characters) of the
/// character of the original text it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Visual {
    pub text: String,
    /// `from[i]`: the original index of visual character `i`.
    pub from: Vec<usize>,
}

impl Visual {
    /// The visual index of original character `logical` (the end maps to the end).
    pub fn to_visual(&self, logical: usize) -> usize {
        self.from
            .iter()
            .position(|&l| l == logical)
            .unwrap_or(self.from.len())
    }

    /// The original index of visual character `visual` (the end maps to the end).
    pub fn to_logical(&self, visual: usize) -> usize {
        self.from.get(visual).copied().unwrap_or(self.from.len())
    }
}

/// A short text (a label, a title, a place name) in visual order; unchanged, and not copied,
/// when it has no right-to-left letter.
pub fn display(text: &str) -> Cow<'_, str> {
    if has_rtl(text) {
        Cow::Owned(visual(text, None).text)
    } else {
        Cow::Borrowed(text)
    }
}

/// How wide a piece of text is, in points.
pub type Measure<'a> = dyn Fn(&str) -> f32 + 'a;

/// `text` in visual order. With `wrap` (the width available and how wide a piece of text
/// is), a paragraph with right-to-left letters is first broken into lines that fit, at
/// spaces, each space broken at becoming a line break.
pub fn visual(text: &str, wrap: Option<(f32, &Measure<'_>)>) -> Visual {
    let mut out = Visual {
        text: String::with_capacity(text.len()),
        from: Vec::with_capacity(text.len()),
    };
    let mut offset = 0; // characters before this paragraph
    for (n, paragraph) in text.split('\n').enumerate() {
        if n > 0 {
            out.text.push('\n');
            out.from.push(offset - 1);
        }
        let count = paragraph.chars().count();
        if has_rtl(paragraph) {
            let lines = match wrap {
                Some((width, measure)) => break_lines(paragraph, width, measure),
                None => vec![(0, paragraph.len())],
            };
            for (i, &(start, end)) in lines.iter().enumerate() {
                let line_offset = offset + paragraph[..start].chars().count();
                if i > 0 {
                    // The space broken at, now the line break.
                    out.text.push('\n');
                    out.from.push(line_offset - 1);
                }
                reorder_line(&paragraph[start..end], line_offset, &mut out);
            }
        } else {
            out.text.push_str(paragraph);
            out.from.extend(offset..offset + count);
        }
        offset += count + 1;
    }
    out
}

/// Byte ranges of the lines of `paragraph` that fit in `width`, broken at single spaces
/// (the space itself belongs to neither line).
fn break_lines(paragraph: &str, width: f32, measure: &dyn Fn(&str) -> f32) -> Vec<(usize, usize)> {
    let mut lines = Vec::new();
    let mut start = 0;
    let mut last_space: Option<usize> = None;
    for (at, c) in paragraph.char_indices() {
        if c != ' ' {
            continue;
        }
        if measure(&paragraph[start..at]) > width
            && let Some(space) = last_space
        {
            lines.push((start, space));
            start = space + 1;
        }
        last_space = Some(at);
    }
    if measure(&paragraph[start..]) > width
        && let Some(space) = last_space.filter(|&s| s >= start)
    {
        lines.push((start, space));
        start = space + 1;
    }
    lines.push((start, paragraph.len()));
    lines
}

/// Appends one line in visual order: its runs in the order the bidirectional algorithm
/// gives; in a right-to-left run the words (and the spaces between them) in reverse order,
/// each word's letters as they were.
fn reorder_line(line: &str, offset: usize, out: &mut Visual) {
    let char_index = |byte: usize| offset + line[..byte].chars().count();
    let info = ParagraphBidiInfo::new(line, None);
    let (levels, runs) = info.visual_runs(0..line.len());
    for run in runs {
        let rtl = levels.get(run.start).is_some_and(|l| l.is_rtl());
        let text = &line[run.clone()];
        if !rtl {
            out.text.push_str(text);
            out.from
                .extend(char_index(run.start)..char_index(run.start) + text.chars().count());
            continue;
        }
        // Words and the gaps between them, then placed last to first.
        let mut pieces: Vec<(usize, &str)> = Vec::new();
        let mut piece_start = 0;
        let mut in_space = None;
        for (at, c) in text.char_indices() {
            let space = c.is_whitespace();
            if in_space.is_some_and(|s| s != space) {
                pieces.push((piece_start, &text[piece_start..at]));
                piece_start = at;
            }
            in_space = Some(space);
        }
        pieces.push((piece_start, &text[piece_start..]));
        for (start, piece) in pieces.into_iter().rev() {
            let first = char_index(run.start + start);
            out.text.push_str(piece);
            out.from.extend(first..first + piece.chars().count());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // "Islamic State attacks prison" in Arabic: four words, read right to left.
    const ATTACK: &str = "تنظيم الدولة يهاجم سجن";

    fn words(text: &str) -> Vec<&str> {
        text.split_whitespace().collect()
    }

    #[test]
    fn arabic_words_are_laid_out_last_first_with_their_letters_kept() {
        let shown = visual(ATTACK, None);
        let mut expected = words(ATTACK);
        expected.reverse();
        assert_eq!(words(&shown.text), expected);
        // A permutation: every character once, mapped back to where it was.
        let original: Vec<char> = ATTACK.chars().collect();
        for (i, c) in shown.text.chars().enumerate() {
            assert_eq!(original[shown.to_logical(i)], c);
        }
        assert_eq!(shown.to_visual(0), shown.text.chars().count() - 5);
    }

    #[test]
    fn latin_text_is_untouched_and_mixed_text_keeps_its_latin_runs() {
        assert!(matches!(display("Al Ḩasakah"), Cow::Borrowed(_)));
        let mixed = format!("Rudaw: {ATTACK}");
        let shown = visual(&mixed, None);
        assert!(shown.text.starts_with("Rudaw: "), "{}", shown.text);
        assert!(
            shown.text.contains("سجن يهاجم الدولة تنظيم"),
            "{}",
            shown.text
        );
        assert_eq!(shown.text.chars().count(), mixed.chars().count());
    }

    #[test]
    fn a_long_arabic_paragraph_is_broken_before_it_is_reordered() {
        // Every character 10 points wide; 120 points a line.
        let measure = |s: &str| s.chars().count() as f32 * 10.0;
        let paragraph = format!("{ATTACK} {ATTACK}");
        let shown = visual(&paragraph, Some((120.0, &measure)));
        let lines: Vec<&str> = shown.text.split('\n').collect();
        assert!(lines.len() >= 2, "{lines:?}");
        // The first line holds the paragraph's first words, right to left.
        let first_words = words(lines[0]);
        assert_eq!(first_words.last(), Some(&"تنظيم"), "{lines:?}");
        assert_eq!(shown.text.chars().count(), paragraph.chars().count());
        for line in &lines {
            assert!(measure(line) <= 120.0, "{line}");
        }
    }
}
