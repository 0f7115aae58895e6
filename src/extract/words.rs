//! Words of one sentence, with the clause structure the rules need.
//!
//! A word is a run of letters and digits; hyphens and apostrophes between words are dropped
//! (so "al-Sham" reads `al sham`, "Iraq's" reads `iraq s`), which lets the lexicons be
//! written as plain lower-case word sequences. Commas, semicolons, colons and spaced dashes
//! cut a sentence into segments: a place or a date in the same segment as an event word is far
//! more likely to belong to it than one across a comma.

use std::ops::Range;

/// One word: byte offsets into the article text and the segment it lies in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Word {
    pub start: usize,
    pub end: usize,
    /// Index of the comma-delimited segment within the sentence.
    pub segment: u16,
    /// Inside quotation marks.
    pub quoted: bool,
    /// First character is upper case.
    pub capitalised: bool,
    /// Every letter is upper case (and there is more than one).
    pub all_caps: bool,
    /// Directly preceded by an apostrophe ("Iraq's" → `s`).
    pub after_apostrophe: bool,
    /// Directly preceded by a hyphen inside a compound ("anti-ISIS").
    pub after_hyphen: bool,
}

/// The words of one sentence, compared in ASCII lower case.
#[derive(Debug)]
pub(crate) struct Words<'a> {
    /// The article text.
    pub text: &'a str,
    /// The article text in ASCII lower case (same byte offsets).
    pub lower: &'a str,
    pub words: Vec<Word>,
    /// The sentence's byte range.
    pub range: Range<usize>,
}

impl<'a> Words<'a> {
    /// Splits the sentence `range` of `text` into words.
    pub fn new(text: &'a str, lower: &'a str, range: Range<usize>) -> Words<'a> {
        let mut words = Vec::new();
        let mut segment: u16 = 0;
        let mut quoted = false;
        let slice = text.get(range.clone()).unwrap_or("");
        let mut chars = slice.char_indices().peekable();
        let mut previous: Option<char> = None;
        let mut before_previous: Option<char> = None;
        while let Some((offset, c)) = chars.next() {
            if c.is_alphanumeric() {
                let start = range.start + offset;
                let mut end = start + c.len_utf8();
                let mut upper = usize::from(c.is_uppercase());
                let mut letters = usize::from(c.is_alphabetic());
                while let Some(&(next_offset, next)) = chars.peek() {
                    if next.is_alphanumeric() {
                        upper += usize::from(next.is_uppercase());
                        letters += usize::from(next.is_alphabetic());
                        end = range.start + next_offset + next.len_utf8();
                        chars.next();
                        continue;
                    }
                    // Thousands separators and decimal points inside numbers: "3,500", "2.5".
                    if matches!(next, ',' | '.')
                        && text[start..end].bytes().all(|b| b.is_ascii_digit())
                    {
                        let rest = &text[range.start + next_offset + 1..range.end];
                        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
                        if (next == ',' && digits == 3) || (next == '.' && digits > 0) {
                            chars.next();
                            for _ in 0..digits {
                                chars.next();
                            }
                            end = range.start + next_offset + 1 + digits;
                            continue;
                        }
                    }
                    break;
                }
                let joined = |p: Option<char>| p.is_some_and(char::is_alphanumeric);
                words.push(Word {
                    start,
                    end,
                    segment,
                    quoted,
                    capitalised: c.is_uppercase(),
                    all_caps: letters > 1 && upper == letters,
                    after_apostrophe: is_apostrophe(previous) && joined(before_previous),
                    after_hyphen: previous == Some('-') && joined(before_previous),
                });
                before_previous = text[..end].chars().next_back();
                previous = before_previous;
                continue;
            }
            match c {
                ',' | ';' | ':' | '!' | '?' => segment = segment.saturating_add(1),
                '–' | '—' => segment = segment.saturating_add(1),
                // A hyphen with a space on either side is a dash.
                '-' if previous.is_some_and(char::is_whitespace)
                    || chars.peek().is_some_and(|&(_, n)| n.is_whitespace()) =>
                {
                    segment = segment.saturating_add(1);
                }
                '“' => quoted = true,
                '”' => quoted = false,
                '"' => quoted = !quoted,
                _ => {}
            }
            before_previous = previous;
            previous = Some(c);
        }
        Words {
            text,
            lower,
            words,
            range,
        }
    }

    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// Word `i` in lower case; empty past the end.
    pub fn lower(&self, i: usize) -> &'a str {
        self.words
            .get(i)
            .and_then(|w| self.lower.get(w.start..w.end))
            .unwrap_or("")
    }

    /// Word `i` as written.
    pub fn raw(&self, i: usize) -> &'a str {
        self.words
            .get(i)
            .and_then(|w| self.text.get(w.start..w.end))
            .unwrap_or("")
    }

    pub fn segment(&self, i: usize) -> u16 {
        self.words.get(i).map_or(u16::MAX, |w| w.segment)
    }

    /// Whether words `at..` read `phrase` (lower-case words separated by spaces).
    pub fn matches(&self, at: usize, phrase: &str) -> bool {
        (at..)
            .zip(phrase.split(' '))
            .all(|(i, part)| self.lower(i) == part)
    }

    /// Word index of the first word starting at or after byte `offset`.
    pub fn index_at(&self, offset: usize) -> usize {
        self.words.partition_point(|w| w.start < offset)
    }

    /// Byte range covering words `range`.
    pub fn bytes(&self, range: Range<usize>) -> Range<usize> {
        match (
            self.words.get(range.start),
            range.end.checked_sub(1).and_then(|e| self.words.get(e)),
        ) {
            (Some(first), Some(last)) if range.start < range.end => first.start..last.end,
            _ => 0..0,
        }
    }

    /// Words of the segment containing word `i`, as an index range.
    pub fn segment_range(&self, i: usize) -> Range<usize> {
        let segment = self.segment(i);
        let mut start = i.min(self.len());
        while start > 0 && self.segment(start - 1) == segment {
            start -= 1;
        }
        let mut end = i.min(self.len());
        while end < self.len() && self.segment(end) == segment {
            end += 1;
        }
        start..end
    }
}

fn is_apostrophe(c: Option<char>) -> bool {
    matches!(c, Some('\'' | '’' | '‘' | 'ʼ' | '`'))
}

/// Parses a number written in digits ("11", "3,500") or words ("eleven", "a dozen").
pub(crate) fn number_at(words: &Words<'_>, i: usize) -> Option<(u32, usize)> {
    let word = words.lower(i);
    if word.bytes().next().is_some_and(|b| b.is_ascii_digit()) {
        let digits: String = word.chars().filter(|c| *c != ',').collect();
        if digits.contains('.') {
            return None;
        }
        return digits.parse::<u32>().ok().map(|n| (n, 1));
    }
    if word == "a" && words.lower(i + 1) == "dozen" {
        return Some((12, 2));
    }
    // "twenty one", "two hundred and five", "three thousand": within one segment only.
    let segment = words.segment(i);
    let mut total: u32 = 0;
    let mut current: u32 = 0;
    let mut used = 0;
    let mut last_was_tens = false;
    loop {
        let at = i + used;
        if at >= words.len() || words.segment(at) != segment {
            break;
        }
        let w = words.lower(at);
        match small_number(w) {
            Some(value) if used == 0 || (last_was_tens && value < 10) => {
                current = current.saturating_add(value);
                last_was_tens = value >= 20 && used == 0;
            }
            Some(_) => break,
            None if w == "hundred" && current > 0 => {
                current = current.saturating_mul(100);
                last_was_tens = false;
            }
            None if w == "thousand" && current > 0 => {
                total = total.saturating_add(current.saturating_mul(1000));
                current = 0;
                last_was_tens = false;
            }
            None if w == "and" && used > 0 && small_number(words.lower(at + 1)).is_some() => {
                last_was_tens = true;
            }
            None => break,
        }
        used += 1;
    }
    (used > 0).then_some((total.saturating_add(current), used))
}

fn small_number(word: &str) -> Option<u32> {
    const UNITS: [&str; 20] = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    const TENS: [&str; 8] = [
        "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ];
    if let Some(n) = UNITS.iter().position(|&u| u == word) {
        return u32::try_from(n).ok();
    }
    if word == "dozen" {
        return Some(12);
    }
    TENS.iter()
        .position(|&t| t == word)
        .and_then(|n| u32::try_from(n).ok())
        .map(|n| (n + 2) * 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> (String, Vec<(String, u16)>) {
        let lower = text.to_ascii_lowercase();
        let w = Words::new(text, &lower, 0..text.len());
        let list = (0..w.len())
            .map(|i| (w.lower(i).to_owned(), w.segment(i)))
            .collect();
        (lower, list)
    }

    #[test]
    fn hyphens_and_apostrophes_join_nothing_and_commas_cut_segments() {
        let (_, list) = words("Hay'at Tahrir al-Sham, the Iraq–Syria border's end - here");
        let texts: Vec<&str> = list.iter().map(|(w, _)| w.as_str()).collect();
        assert_eq!(
            texts,
            [
                "hay", "at", "tahrir", "al", "sham", "the", "iraq", "syria", "border", "s", "end",
                "here"
            ]
        );
        assert_eq!(list[4].1, 0);
        assert_eq!(list[5].1, 1);
        assert_eq!(list[7].1, 2, "an en dash is a cut");
        assert_eq!(list[11].1, 3, "a spaced hyphen is a dash");
    }

    #[test]
    fn numbers_keep_their_separators() {
        let (_, list) = words("holds 25,000 people, 2.5 km, 3,50 x");
        let texts: Vec<&str> = list.iter().map(|(w, _)| w.as_str()).collect();
        assert_eq!(
            texts,
            ["holds", "25,000", "people", "2.5", "km", "3", "50", "x"]
        );
    }

    #[test]
    fn numbers_in_words_and_digits() {
        let text =
            "killing 11 soldiers, eleven men, a dozen, twenty one, two hundred and five, 3,500";
        let lower = text.to_ascii_lowercase();
        let w = Words::new(text, &lower, 0..text.len());
        let at = |word: &str| (0..w.len()).find(|&i| w.lower(i) == word).unwrap();
        assert_eq!(number_at(&w, at("11")), Some((11, 1)));
        assert_eq!(number_at(&w, at("eleven")), Some((11, 1)));
        assert_eq!(number_at(&w, at("a")), Some((12, 2)));
        assert_eq!(number_at(&w, at("twenty")), Some((21, 2)));
        assert_eq!(number_at(&w, at("two")), Some((205, 4)));
        assert_eq!(number_at(&w, at("3,500")), Some((3500, 1)));
        assert_eq!(number_at(&w, at("soldiers")), None);
    }

    #[test]
    fn quotes_and_flags() {
        let text = "He said “ISIS attacked” the ISF base in anti-ISIS fashion, Iraq’s";
        let lower = text.to_ascii_lowercase();
        let w = Words::new(text, &lower, 0..text.len());
        let find = |word: &str| w.words[(0..w.len()).find(|&i| w.lower(i) == word).unwrap()];
        assert!(find("isis").quoted && find("isis").all_caps);
        assert!(!find("the").quoted);
        assert!(!find("said").capitalised && find("he").capitalised);
        let anti_isis = (0..w.len())
            .filter(|&i| w.lower(i) == "isis")
            .nth(1)
            .unwrap();
        assert!(w.words[anti_isis].after_hyphen);
        assert!(find("s").after_apostrophe);
    }
}
