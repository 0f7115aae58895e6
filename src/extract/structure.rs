//! The parts of a news page that are not the story, beyond what the loader marks: "Read
//! more"/"Related" teasers of other stories, bylines and update stamps in the body, and wire
//! credits, correction notes. Each is a whole line; what it tells is another story, and read as news it becomes
//! a phantom incident that takes the main event's toll.
//!
//! Photo captions stay: a caption often tells the main event with its date ("The prime
//! minister visits the border on January 26. Photo: …"), and one about the past ("troops near
//! Rutba in 2019") is history by its own date.

use std::ops::Range;

/// Line openings that announce another story.
const TEASER_OPENINGS: &[&str] = &[
    "read more",
    "read also",
    "also read",
    "related",
    "see also",
    "more on this",
    "more:",
    "watch:",
    "listen:",
    "recommended",
    "further reading",
    "you may also like",
    "editor's pick",
];

/// Line openings of bylines, update stamps and wire credits.
const LABEL_OPENINGS: &[&str] = &[
    "by ",
    "updated",
    "last updated",
    "reporting by",
    "(reporting by",
    "writing by",
    "editing by",
    "additional reporting",
];

/// Byte ranges of the lines of `text` that are teasers or labels.
pub(crate) fn non_story_lines(text: &str) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    let mut start = 0;
    // Under a heading line ("Related:", "Read more"), the headlines listed right below it.
    let mut under_heading = false;
    for line in text.split_inclusive('\n') {
        let range = start..start + line.len();
        start = range.end;
        let trimmed = line.trim();
        if is_teaser_heading(trimmed) {
            under_heading = true;
            found.push(range);
            continue;
        }
        let listed = under_heading && !trimmed.is_empty() && !trimmed.ends_with('.');
        under_heading = listed;
        if listed || is_non_story(trimmed) {
            found.push(range);
        }
    }
    found
}

/// A line that is only a teaser opening ("Related", "Read more:"), heading a list of other
/// stories' headlines.
fn is_teaser_heading(line: &str) -> bool {
    let lower = line.to_lowercase();
    let bare = lower
        .trim_end_matches([':', '|', '-', '–', '—', '»'])
        .trim_end();
    TEASER_OPENINGS
        .iter()
        .any(|opening| bare == opening.trim_end_matches(':'))
        || matches!(
            bare,
            "related stories" | "related articles" | "related news" | "more stories"
        )
}

fn is_non_story(line: &str) -> bool {
    if line.is_empty() {
        return false;
    }
    let lower = line.to_lowercase();
    let words = line.split_whitespace().count();
    let teaser = TEASER_OPENINGS.iter().any(|opening| {
        lower.strip_prefix(opening).is_some_and(|rest| {
            opening.ends_with(':')
                || rest
                    .trim_start()
                    .starts_with([':', '|', '-', '–', '—', '»'])
        })
    });
    let label = words <= 8
        && !line.ends_with('.')
        && LABEL_OPENINGS
            .iter()
            .any(|opening| lower.starts_with(opening));
    teaser || label || is_correction(&lower)
}

/// Openings of correction and editor's notes: they retell a figure or a fact of the story to
/// withdraw it ("An earlier version of this story said eight soldiers were killed").
const CORRECTION_OPENINGS: &[&str] = &[
    "correction",
    "clarification",
    "editor's note",
    "editor’s note",
    "an earlier version of this",
    "a previous version of this",
    "this story has been",
    "this article has been",
    "this report has been",
    "this story was",
    "this article was",
];

fn is_correction(lower: &str) -> bool {
    CORRECTION_OPENINGS.iter().any(|opening| {
        lower.strip_prefix(opening).is_some_and(|rest| {
            opening.contains(' ') || rest.trim_start().starts_with([':', '-', '–', '—'])
        })
    })
}

/// `story` without the ranges in `skip` (both sorted).
pub(crate) fn subtract(story: &[Range<usize>], skip: &[Range<usize>]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    for part in story {
        let mut at = part.start;
        for cut in skip
            .iter()
            .filter(|c| c.start < part.end && c.end > part.start)
        {
            if cut.start > at {
                out.push(at..cut.start);
            }
            at = at.max(cut.end);
        }
        if at < part.end {
            out.push(at..part.end);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headlines_listed_under_a_teaser_heading_are_not_story() {
        let text = "Police arrested four men in Qurna.\n\nRelated:\nThree soldiers killed in \
                    IED blast near Tuz Khurmatu\n- Basra: gunmen kill shop owner\n";
        assert_eq!(
            skipped(text),
            [
                "Related:",
                "Three soldiers killed in IED blast near Tuz Khurmatu",
                "- Basra: gunmen kill shop owner"
            ]
        );
        // A story sentence after the list, or a sentence that only begins with the word,
        // stays.
        let text = "Related\nDrone hits Erbil\n\nThe army said two soldiers were killed.\n\
                    Related groups have claimed the attack.\n";
        assert_eq!(skipped(text), ["Related", "Drone hits Erbil"]);
    }

    fn skipped(text: &str) -> Vec<&str> {
        non_story_lines(text)
            .into_iter()
            .map(|r| text[r].trim())
            .collect()
    }

    #[test]
    fn teasers_and_labels_are_found_and_captions_kept() {
        let text = "Headline here\n\nBy Jane Doe\n\nMOSUL — Gunmen killed a guard on Monday.\n\n\
                    Soldiers near Rutba in 2019, where nine died. Photo: Archive\n\n\
                    A checkpoint in Raqqa. (Photo: AFP)\n\n\
                    Read more: Ten killed in Kirkuk blast\n\nRelated | Drone hits Erbil\n\n\
                    Updated at 18:00\n\nThe group has claimed similar attacks.\n";
        assert_eq!(
            skipped(text),
            [
                "By Jane Doe",
                "Read more: Ten killed in Kirkuk blast",
                "Related | Drone hits Erbil",
                "Updated at 18:00",
            ]
        );
    }

    #[test]
    fn correction_notes_are_not_story() {
        let text = "KIRKUK — A bomb killed six soldiers on Saturday.\n\n\
                    Correction: An earlier version of this story said eight soldiers died.\n\n\
                    An earlier version of this article gave the wrong town.\n\n\
                    Corrections of the toll came from the army, which said six had died.\n";
        assert_eq!(
            skipped(text),
            [
                "Correction: An earlier version of this story said eight soldiers died.",
                "An earlier version of this article gave the wrong town.",
            ]
        );
    }

    #[test]
    fn story_sentences_that_look_alike_are_kept() {
        for line in [
            "By Monday, the army had retaken the town.",
            "Related groups have claimed the attack, officials said.",
            "Updated figures from the health ministry put the toll at 19.",
            "Reading the statement, he said the attack had failed.",
        ] {
            assert!(skipped(line).is_empty(), "{line}");
        }
    }

    #[test]
    fn skipped_ranges_are_cut_out_of_the_story() {
        assert_eq!(
            subtract(&[0..10, 20..30], &[5..8, 25..40]),
            [0..5, 8..10, 20..25]
        );
        assert_eq!(subtract(&[0..10, 20..30], &[]), [0..10, 20..30]);
    }
}
