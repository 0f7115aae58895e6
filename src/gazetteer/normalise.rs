//! Text normalisation for name matching, with a map back to the original bytes.
//!
//! Names and text are folded the same way so that "al-Ḩasakah", "Al Hasakah" and "AL HASAKAH"
//! all read `al hasakah`: lower case, diacritics and transliteration marks dropped, hyphens
//! and apostrophes as spaces, runs of spaces collapsed. Punctuation that ends a phrase
//! (commas, full stops after words, brackets, quotes) becomes a `|` break so that no name
//! can match across it. The normalised text starts with a space, and every word is preceded
//! by one, so a pattern `" name"` can only match at the start of a word.

use std::ops::Range;

use unicode_normalization::char::decompose_canonical;

/// The phrase break written for punctuation that no name spans.
pub const BREAK: char = '|';

/// A normalised copy of a text and, for each of its bytes, the original bytes it came from.
#[derive(Debug, Clone, Default)]
pub struct Normalised {
    pub text: String,
    /// For each byte of `text`: the original range of the character that produced it.
    origin_start: Vec<u32>,
    origin_end: Vec<u32>,
}

impl Normalised {
    /// The original byte range that the normalised byte range `range` came from.
    /// Ranges that start or end on an inserted space are narrowed to the characters inside.
    pub fn original_range(&self, range: Range<usize>) -> Range<usize> {
        if range.start >= range.end || range.end > self.text.len() {
            return 0..0;
        }
        let start = self.origin_start[range.start] as usize;
        let end = self.origin_end[range.end - 1] as usize;
        start..end.max(start)
    }

    /// The original byte offset where normalised byte `at` came from.
    pub fn original_offset(&self, at: usize) -> usize {
        match self.origin_start.get(at) {
            Some(&offset) => offset as usize,
            None => self.origin_end.last().copied().unwrap_or(0) as usize,
        }
    }

    /// The first normalised byte whose origin starts at or after original byte `offset`.
    pub fn normalised_offset(&self, offset: usize) -> usize {
        self.origin_start
            .partition_point(|&o| (o as usize) < offset)
    }

    fn push(&mut self, c: char, origin: Range<usize>) {
        let before = self.text.len();
        self.text.push(c);
        for _ in before..self.text.len() {
            self.origin_start.push(origin.start as u32);
            self.origin_end.push(origin.end as u32);
        }
    }

    fn push_space(&mut self, origin: Range<usize>) {
        if !self.text.ends_with(' ') {
            self.push(' ', origin);
        }
    }

    fn push_break(&mut self, origin: Range<usize>) {
        if self.text.ends_with(" | ") {
            return;
        }
        self.push_space(origin.start..origin.start);
        self.push(BREAK, origin.clone());
        self.push(' ', origin.end..origin.end);
    }

    /// Length in bytes of the word just written (letters and digits since the last space).
    fn last_word_len(&self) -> usize {
        let trimmed = self.text.trim_end_matches(' ');
        trimmed.len() - trimmed.rfind([' ', BREAK]).map_or(0, |at| at + 1)
    }
}

/// How one character of input is folded.
enum Fold {
    Word(&'static str),
    Char(char),
    Space,
    Break,
    Skip,
}

/// Normalises a whole text, keeping the map back to its bytes.
pub fn normalise_text(text: &str) -> Normalised {
    let mut out = Normalised {
        text: String::with_capacity(text.len() + 2),
        origin_start: Vec::with_capacity(text.len() + 2),
        origin_end: Vec::with_capacity(text.len() + 2),
    };
    out.push(' ', 0..0);
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let origin = at..at + c.len_utf8();
        if c == '.' {
            // A full stop after a one- or two-letter word is an abbreviation ("St.", "U.S.");
            // otherwise it ends a sentence. Decimal points stay inside numbers.
            let next_is_digit = chars.peek().is_some_and(|(_, n)| n.is_ascii_digit());
            let word_len = out.last_word_len();
            let in_number = next_is_digit && word_len > 0;
            let abbreviation = (1..=2).contains(&word_len) && !out.text.ends_with(' ');
            if in_number || abbreviation {
                out.push_space(origin);
            } else {
                out.push_break(origin);
            }
            continue;
        }
        match fold(c) {
            Fold::Char(folded) => out.push(folded, origin),
            Fold::Word(folded) => {
                for f in folded.chars() {
                    out.push(f, origin.clone());
                }
            }
            Fold::Space => out.push_space(origin),
            Fold::Break => out.push_break(origin),
            Fold::Skip => {}
        }
    }
    out.push_space(text.len()..text.len());
    out
}

/// Normalises a name for the index: the same folding as the text, trimmed, with no breaks.
pub fn normalise_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    normalise_name_into(name, &mut out);
    out
}

/// Appends the normalised form of `name` to `out` (which may already hold other text).
pub fn normalise_name_into(name: &str, out: &mut String) {
    if name.is_ascii() {
        normalise_ascii_into(name, out);
    } else {
        normalise_chars_into(name, out);
    }
}

/// [`normalise_name_into`] character by character, folding each.
fn normalise_chars_into(name: &str, out: &mut String) {
    let start = out.len();
    let at_start = |out: &String| out.len() == start;
    for c in name.chars() {
        match fold(c) {
            Fold::Char(folded) => out.push(folded),
            Fold::Word(folded) => out.push_str(folded),
            Fold::Space | Fold::Break => {
                if !at_start(out) && !out.ends_with(' ') {
                    out.push(' ');
                }
            }
            Fold::Skip => {}
        }
    }
    // Full stops in names are abbreviations ("St. Louis"); they fold to spaces above, and
    // the trailing one is dropped here.
    while out.len() > start && out.ends_with(' ') {
        out.pop();
    }
}

/// [`normalise_name_into`] for ASCII text, byte by byte (most names are ASCII): letters and
/// digits lower-cased, every other character a word break, as [`fold`] has it.
fn normalise_ascii_into(name: &str, out: &mut String) {
    let start = out.len();
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() {
            out.push(char::from(b.to_ascii_lowercase()));
        } else if out.len() > start && !out.ends_with(' ') {
            out.push(' ');
        }
    }
    if out.len() > start && out.ends_with(' ') {
        out.pop();
    }
}

/// Leading articles of Arabic names as they are written in English: "al-Hol", "Ar Raqqah".
pub const ARTICLES: [&str; 10] = ["al", "el", "ad", "ar", "as", "ash", "az", "an", "at", "ath"];

/// The name without its leading Arabic article, when it has one and something follows it.
pub fn strip_article(normalised: &str) -> Option<&str> {
    let (first, rest) = normalised.split_once(' ')?;
    (ARTICLES.contains(&first) && !rest.is_empty()).then_some(rest)
}

fn fold(c: char) -> Fold {
    if c.is_ascii_alphanumeric() {
        return Fold::Char(c.to_ascii_lowercase());
    }
    if c.is_ascii() {
        return match c {
            '-' | '\'' | '`' | '_' | '.' => Fold::Space,
            c if c.is_ascii_whitespace() => Fold::Space,
            '&' => Fold::Space,
            _ => Fold::Break,
        };
    }
    match c {
        // Apostrophes, ayn and hamza marks, and dashes join words the way a space does.
        '\u{2018}' | '\u{2019}' | '\u{02BC}' | '\u{02BF}' | '\u{02BE}' | '\u{00B4}'
        | '\u{2032}' | '\u{02BB}' | '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}'
        | '\u{2014}' | '\u{2015}' | '\u{2212}' => Fold::Space,
        '\u{00A0}' | '\u{2002}'..='\u{200A}' | '\u{202F}' | '\u{3000}' => Fold::Space,
        '\u{00AD}' | '\u{200B}'..='\u{200D}' | '\u{FEFF}' | '\u{0640}' => Fold::Skip,
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{00AB}' | '\u{00BB}' | '\u{2026}'
        | '\u{060C}' | '\u{061B}' | '\u{061F}' | '\u{06D4}' => Fold::Break,
        'ß' => Fold::Word("ss"),
        'æ' | 'Æ' => Fold::Word("ae"),
        'œ' | 'Œ' => Fold::Word("oe"),
        'þ' | 'Þ' => Fold::Word("th"),
        'ø' | 'Ø' => Fold::Char('o'),
        'đ' | 'Đ' | 'ð' | 'Ð' => Fold::Char('d'),
        'ł' | 'Ł' => Fold::Char('l'),
        'ı' => Fold::Char('i'),
        'ħ' | 'Ħ' => Fold::Char('h'),
        _ => fold_decomposed(c),
    }
}

/// Letters with marks ("Ḩ", "ā", "ţ") fold to their base letter; other letters of any script
/// are kept lower-cased so that they still count as word characters.
fn fold_decomposed(c: char) -> Fold {
    let mut base = None;
    decompose_canonical(c, |part| {
        if base.is_none() && part.is_ascii_alphanumeric() {
            base = Some(part.to_ascii_lowercase());
        }
    });
    if let Some(base) = base {
        return Fold::Char(base);
    }
    if c.is_alphanumeric() {
        let mut lower = c.to_lowercase();
        return match (lower.next(), lower.next()) {
            (Some(l), None) => Fold::Char(l),
            _ => Fold::Char(c),
        };
    }
    if c.is_whitespace() {
        return Fold::Space;
    }
    // Combining marks on their own are dropped; other symbols end a phrase.
    if is_combining_mark(c) {
        Fold::Skip
    } else {
        Fold::Break
    }
}

fn is_combining_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}'
        | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}' | '\u{064B}'..='\u{065F}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_names_fold_byte_by_byte_as_character_by_character() {
        // Every ASCII character, alone, doubled and between letters, and names as the data
        // writes them, after text already in the buffer.
        let mut names: Vec<String> = (0u8..128)
            .map(char::from)
            .flat_map(|c| {
                [
                    format!("{c}"),
                    format!("{c}{c}"),
                    format!("Ab{c}Cd{c}"),
                    format!(" {c}x{c} "),
                ]
            })
            .collect();
        names.extend(
            [
                "St. Louis",
                "  Al-Hol camp ",
                "O'Leary & Sons",
                "Fort_Worth.",
                "..",
                "",
                "A  B\tC",
            ]
            .map(String::from),
        );
        for name in &names {
            let (mut fast, mut slow) = (String::from("x"), String::from("x"));
            normalise_ascii_into(name, &mut fast);
            normalise_chars_into(name, &mut slow);
            assert_eq!(fast, slow, "{name:?}");
        }
    }

    #[test]
    fn folds_transliteration_marks_and_case() {
        assert_eq!(normalise_name("Al Ḩasakah"), "al hasakah");
        assert_eq!(normalise_name("Ţūz Khūrmātū"), "tuz khurmatu");
        assert_eq!(normalise_name("Al Qā’im"), "al qa im");
        assert_eq!(normalise_name("St. Louis"), "st louis");
        assert_eq!(normalise_name("Ash Shaddādah"), "ash shaddadah");
        assert_eq!(normalise_name("Iraq–Syria border"), "iraq syria border");
        assert_eq!(normalise_name("São Paulo"), "sao paulo");
        assert_eq!(normalise_name("Łódź"), "lodz");
    }

    #[test]
    fn text_maps_back_to_original_bytes() {
        let text = "Attack in al-Ḩasakah, Syria.";
        let norm = normalise_text(text);
        assert_eq!(norm.text, " attack in al hasakah | syria | ");
        let at = norm.text.find("al hasakah").unwrap_or(0);
        let range = norm.original_range(at..at + "al hasakah".len());
        assert_eq!(&text[range], "al-Ḩasakah");
        let at = norm.text.find("syria").unwrap_or(0);
        assert_eq!(&text[norm.original_range(at..at + 5)], "Syria");
    }

    #[test]
    fn abbreviations_do_not_break_phrases() {
        assert_eq!(normalise_text("in St. Louis").text, " in st louis ");
        assert_eq!(normalise_text("the U.S. army").text, " the u s army ");
        assert_eq!(normalise_text("Mosul. Then").text, " mosul | then ");
        assert_eq!(normalise_text("3.5 km").text, " 3 5 km ");
    }

    #[test]
    fn apostrophes_and_dashes_are_spaces() {
        assert_eq!(normalise_text("Iraq’s Hay'at").text, " iraq s hay at ");
        assert_eq!(normalise_text("Iraq–Syria").text, " iraq syria ");
    }

    #[test]
    fn strips_leading_article() {
        assert_eq!(strip_article("al hol"), Some("hol"));
        assert_eq!(strip_article("ash shaddadah"), Some("shaddadah"));
        assert_eq!(strip_article("baghdad"), None);
        assert_eq!(strip_article("al"), None);
    }
}
