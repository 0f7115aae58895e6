//! Date expressions and their resolution against the publication date.
//!
//! Absolute dates ("January 26", "26 Jan 2022", "December 2017", "in 2017") and relative
//! ones ("on Wednesday", "the early hours of January 21", "yesterday", "last year",
//! "three days ago") become a window of days with a precision. Relative expressions, and
//! month names without a year, need the article's publication date: without one they stay
//! *unanchored* — kept as a label (so that "Sunday" and "Monday" in one article are still
//! known to differ) but never turned into a guessed day. Dates after "since", "from" or
//! "until" bound a span rather than date an event, and ranges ("between April and June",
//! "in 2018 and 2019") are marked as spans: they date a period, not an incident.

use jiff::ToSpan;
use jiff::civil::{Date, Weekday};

use super::words::Words;
use crate::store::DatePrecision;

/// A window of days, both ends inclusive, known to `precision`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct When {
    pub start: Date,
    pub end: Date,
    pub precision: DatePrecision,
}

impl When {
    pub fn day(date: Date) -> When {
        When {
            start: date,
            end: date,
            precision: DatePrecision::Day,
        }
    }

    /// The week starting on `date`: what is known of an event reported only as part of an
    /// episode that began that day.
    pub fn week_from(date: Date) -> When {
        When {
            start: date,
            end: date.saturating_add(6.days()),
            precision: DatePrecision::Week,
        }
    }

    pub fn month(year: i16, month: i8) -> Option<When> {
        let start = Date::new(year, month, 1).ok()?;
        Some(When {
            start,
            end: start.last_of_month(),
            precision: DatePrecision::Month,
        })
    }

    pub fn year(year: i16) -> Option<When> {
        Some(When {
            start: Date::new(year, 1, 1).ok()?,
            end: Date::new(year, 12, 31).ok()?,
            precision: DatePrecision::Year,
        })
    }

    /// Whether two windows share a day, allowing `slack` days either side (night-time events
    /// are often dated to either of two days).
    pub fn overlaps(&self, other: &When, slack: i32) -> bool {
        let slack = slack.days();
        self.start.saturating_sub(slack) <= other.end
            && other.start <= self.end.saturating_add(slack)
    }
}

/// What a date expression says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateValue {
    Known(When),
    /// A relative expression with nothing to anchor it ("Sunday", "in May", "last year").
    Unanchored(String),
}

/// How a date expression relates to the events around it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateRole {
    /// Dates the event it is attached to.
    Event,
    /// Bounds a span ("since 2019", "from 2024 until"): not an event date.
    Boundary,
    /// A period ("between April and June", "in 2018 and 2019"): dates a series, not one event.
    Span,
}

/// A date expression found in a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateMention {
    /// Word indices in the sentence.
    pub words: std::ops::Range<usize>,
    pub value: DateValue,
    pub role: DateRole,
    /// Which expression wins when several could date one event: explicit calendar dates
    /// over weekdays over deictic words ("today") over months and years.
    pub rank: u8,
}

const MONTHS: [(&str, i8); 23] = [
    ("january", 1),
    ("february", 2),
    ("march", 3),
    ("april", 4),
    ("may", 5),
    ("june", 6),
    ("july", 7),
    ("august", 8),
    ("september", 9),
    ("october", 10),
    ("november", 11),
    ("december", 12),
    ("jan", 1),
    ("feb", 2),
    ("mar", 3),
    ("apr", 4),
    ("jun", 6),
    ("jul", 7),
    ("aug", 8),
    ("sep", 9),
    ("sept", 9),
    ("oct", 10),
    ("nov", 11),
];

const WEEKDAYS: [(&str, Weekday); 7] = [
    ("monday", Weekday::Monday),
    ("tuesday", Weekday::Tuesday),
    ("wednesday", Weekday::Wednesday),
    ("thursday", Weekday::Thursday),
    ("friday", Weekday::Friday),
    ("saturday", Weekday::Saturday),
    ("sunday", Weekday::Sunday),
];

fn month_at(words: &Words<'_>, i: usize) -> Option<i8> {
    let word = words.lower(i);
    // Month names are capitalised; "may" and "march" are also ordinary words.
    if !words.words.get(i)?.capitalised {
        return None;
    }
    if word == "dec" {
        return Some(12);
    }
    MONTHS.iter().find(|(m, _)| *m == word).map(|&(_, n)| n)
}

fn year_at(words: &Words<'_>, i: usize) -> Option<i16> {
    let word = words.lower(i);
    if word.len() != 4 || !word.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let year: i16 = word.parse().ok()?;
    (1900..=2100).contains(&year).then_some(year)
}

fn day_at(words: &Words<'_>, i: usize) -> Option<i8> {
    let word = words.lower(i);
    let digits = word.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &word[digits.len()..];
    if digits.is_empty()
        || digits.len() > 2
        || !digits.bytes().all(|b| b.is_ascii_digit())
        || !matches!(suffix, "" | "st" | "nd" | "rd" | "th")
    {
        return None;
    }
    let day: i8 = digits.parse().ok()?;
    (1..=31).contains(&day).then_some(day)
}

/// The most recent `month`/`day` on or before `published`.
fn recent_day(published: Date, month: i8, day: i8) -> Option<Date> {
    let this_year = Date::new(published.year(), month, day).ok();
    match this_year {
        Some(d) if d <= published => Some(d),
        _ => Date::new(published.year() - 1, month, day).ok(),
    }
}

/// The most recent `weekday` on or before `published` (the same day counts).
fn recent_weekday(published: Date, weekday: Weekday) -> Date {
    let back = (published.weekday().to_monday_zero_offset() - weekday.to_monday_zero_offset())
        .rem_euclid(7);
    published.saturating_sub(i32::from(back).days())
}

/// Finds the date expressions in a sentence.
pub(crate) fn find(words: &Words<'_>, published: Option<Date>) -> Vec<DateMention> {
    let mut found: Vec<DateMention> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        if let Some((mention, used)) = date_at(words, i, published) {
            found.push(mention);
            i += used.max(1);
        } else {
            i += 1;
        }
    }
    mark_roles(words, &mut found);
    found
}

fn known(when: Option<When>, label: String) -> DateValue {
    match when {
        Some(when) => DateValue::Known(when),
        None => DateValue::Unanchored(label),
    }
}

/// A date expression starting at word `i`, and how many words it takes.
fn date_at(words: &Words<'_>, i: usize, published: Option<Date>) -> Option<(DateMention, usize)> {
    let word = words.lower(i);
    let mention = |len: usize, value: DateValue, rank: u8| {
        Some((
            DateMention {
                words: i..i + len,
                value,
                role: DateRole::Event,
                rank,
            },
            len,
        ))
    };

    // "late on the 14th": a day of the month without its month, the most recent such day on
    // or before publication.
    if word == "the"
        && i > 0
        && words.lower(i - 1) == "on"
        && words.lower(i + 1).len() > 2
        && !words.lower(i + 1).bytes().all(|b| b.is_ascii_digit())
        && month_at(words, i + 2).is_none()
        && words.lower(i + 2) != "of"
        && let Some(day) = day_at(words, i + 1)
    {
        let when = published.and_then(|p| {
            let this_month = Date::new(p.year(), p.month(), day).ok().filter(|d| *d <= p);
            this_month.or_else(|| {
                let last = p.first_of_month().yesterday().ok()?;
                Date::new(last.year(), last.month(), day).ok()
            })
        });
        return mention(2, known(when.map(When::day), format!("the {day}th")), 3);
    }
    if let Some(month) = month_at(words, i) {
        // "January 26", "January 26, 2022", "Jan 26th 2022"
        if let Some(day) = day_at(words, i + 1) {
            if let Some(year) = year_at(words, i + 2) {
                let when = Date::new(year, month, day).ok().map(When::day);
                return mention(3, known(when, format!("{year}-{month}-{day}")), 4);
            }
            let when = published
                .and_then(|p| recent_day(p, month, day))
                .map(When::day);
            return mention(2, known(when, format!("{}-{day}", words.raw(i))), 4);
        }
        // "December 2017"
        if let Some(year) = year_at(words, i + 1) {
            return mention(
                2,
                known(When::month(year, month), format!("{year}-{month}")),
                2,
            );
        }
        // "in May": the most recent May on or before publication.
        let before = if i > 0 { words.lower(i - 1) } else { "" };
        let after_month = i >= 2 && month_at(words, i - 2).is_some();
        let introduced = matches!(
            before,
            "in" | "during"
                | "since"
                | "until"
                | "of"
                | "between"
                | "from"
                | "by"
                | "early"
                | "late"
                | "mid"
        ) || (after_month && matches!(before, "and" | "to" | "through" | "until"));
        if introduced {
            let when = published.and_then(|p| {
                let year = if month <= p.month() {
                    p.year()
                } else {
                    p.year() - 1
                };
                When::month(year, month)
            });
            return mention(1, known(when, words.raw(i).to_owned()), 2);
        }
        return None;
    }
    // "26 January 2022", "26 Jan"
    if let (Some(day), Some(month)) = (day_at(words, i), month_at(words, i + 1)) {
        if let Some(year) = year_at(words, i + 2) {
            let when = Date::new(year, month, day).ok().map(When::day);
            return mention(3, known(when, format!("{year}-{month}-{day}")), 4);
        }
        let when = published
            .and_then(|p| recent_day(p, month, day))
            .map(When::day);
        return mention(2, known(when, format!("{day}-{}", words.raw(i + 1))), 4);
    }
    if let Some(year) = year_at(words, i) {
        // "2018 and 2019", "2018-2019": a span of years.
        let second = if words.lower(i + 1) == "and" || words.lower(i + 1) == "to" {
            year_at(words, i + 2).map(|y| (y, 3))
        } else {
            year_at(words, i + 1).map(|y| (y, 2))
        };
        if let Some((last, used)) = second.filter(|(y, _)| *y > year) {
            let when = When::year(year).zip(When::year(last)).map(|(a, b)| When {
                start: a.start,
                end: b.end,
                precision: DatePrecision::Unknown,
            });
            let mut m = mention(used, known(when, format!("{year}-{last}")), 1)?;
            m.0.role = DateRole::Span;
            return Some(m);
        }
        // A bare year is a date only after a preposition or a season ("in 2017",
        // "summer of 2014", "early 2019"); otherwise it may be a count.
        let before = words.lower(i.wrapping_sub(1));
        if i > 0
            && matches!(
                before,
                "in" | "of"
                    | "since"
                    | "until"
                    | "from"
                    | "during"
                    | "early"
                    | "late"
                    | "mid"
                    | "by"
                    | "before"
                    | "after"
                    | "throughout"
            )
        {
            return mention(1, known(When::year(year), year.to_string()), 1);
        }
        return None;
    }
    if let Some(&(_, weekday)) = WEEKDAYS.iter().find(|(w, _)| *w == word) {
        if !words.words.get(i)?.capitalised {
            return None;
        }
        let when = published.map(|p| When::day(recent_weekday(p, weekday)));
        return mention(1, known(when, words.raw(i).to_owned()), 3);
    }
    match word {
        "today" | "tonight" => {
            return mention(1, known(published.map(When::day), word.to_owned()), 2);
        }
        "yesterday" => {
            let when = published.map(|p| When::day(p.saturating_sub(1.day())));
            return mention(1, known(when, word.to_owned()), 2);
        }
        "last" | "this" | "past" => {
            let unit = words.lower(i + 1);
            let label = format!("{word} {unit}");
            let this = word == "this";
            let when = match unit {
                "year" => {
                    published.and_then(|p| When::year(if this { p.year() } else { p.year() - 1 }))
                }
                "month" => published.and_then(|p| {
                    let first = p.first_of_month();
                    let month = if this {
                        first
                    } else {
                        first.saturating_sub(1.day())
                    };
                    When::month(month.year(), month.month())
                }),
                "week" => published.map(|p| {
                    // Calendar weeks, Monday to Sunday.
                    let monday =
                        p.saturating_sub(i32::from(p.weekday().to_monday_zero_offset()).days());
                    let start = if this {
                        monday
                    } else {
                        monday.saturating_sub(7.days())
                    };
                    When {
                        start,
                        end: start.saturating_add(6.days()),
                        precision: DatePrecision::Week,
                    }
                }),
                "night" if !this => published.map(|p| When::day(p.saturating_sub(1.day()))),
                _ => return None,
            };
            let rank = if unit == "night" { 2 } else { 1 };
            return mention(2, known(when, label), rank);
        }
        _ => {}
    }
    // "three days ago", "2 weeks ago"
    if let Some((n, used)) = super::words::number_at(words, i) {
        let unit = words.lower(i + used);
        if words.lower(i + used + 1) == "ago" {
            let n = i32::try_from(n).ok()?;
            let when = published.and_then(|p| match unit {
                "day" | "days" => Some(When::day(p.saturating_sub(n.days()))),
                "week" | "weeks" => Some(When::week_from(p.saturating_sub((7 * n).days()))),
                "month" | "months" => {
                    let d = p.saturating_sub(n.months());
                    When::month(d.year(), d.month())
                }
                "year" | "years" => When::year(p.year().saturating_sub(i16::try_from(n).ok()?)),
                _ => None,
            })?;
            return mention(used + 2, DateValue::Known(when), 1);
        }
    }
    None
}

/// Marks boundary dates ("since 2019") and ranges ("between April and June").
fn mark_roles(words: &Words<'_>, found: &mut [DateMention]) {
    for index in 0..found.len() {
        let start = found[index].words.start;
        let before: Vec<&str> = (start.saturating_sub(3)..start)
            .map(|i| words.lower(i))
            .collect();
        let near = |set: &[&str]| before.iter().rev().take(2).any(|w| set.contains(w));
        // "since the fall of the caliphate in 2019": the whole clause after "since" is a bound.
        let segment = words.segment(start);
        let previous_end = if index > 0 {
            found[index - 1].words.end
        } else {
            0
        };
        let since_clause = (previous_end..start)
            .filter(|&j| words.segment(j) == segment)
            .any(|j| words.lower(j) == "since");
        if (since_clause || near(&["since", "until", "till", "from"]))
            && found[index].role == DateRole::Event
        {
            found[index].role = DateRole::Boundary;
        }
        // "between April and June", "from March to May": both ends make one span.
        if index + 1 < found.len() {
            let gap_start = found[index].words.end;
            let gap_end = found[index + 1].words.start;
            let joined = gap_end == gap_start + 1
                && matches!(words.lower(gap_start), "and" | "to" | "until" | "through");
            if joined && (near(&["between", "from"]) || words.lower(gap_start) != "and") {
                found[index].role = DateRole::Span;
                found[index + 1].role = DateRole::Span;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn dates(text: &str, published: Option<Date>) -> Vec<(DateValue, DateRole)> {
        let lower = text.to_ascii_lowercase();
        let words = Words::new(text, &lower, 0..text.len());
        find(&words, published)
            .into_iter()
            .map(|m| (m.value, m.role))
            .collect()
    }

    fn one(text: &str, published: Option<Date>) -> DateValue {
        let found = dates(text, published);
        assert_eq!(found.len(), 1, "{text}: {found:?}");
        found[0].0.clone()
    }

    fn day(y: i16, m: i8, d: i8) -> DateValue {
        DateValue::Known(When::day(date(y, m, d)))
    }

    const THU_27_JAN: Option<Date> = Some(date(2022, 1, 27));

    /// Round 8: "late on the 14th" names a day of the month without the month: the most
    /// recent such day on or before publication.
    #[test]
    fn a_day_of_the_month_alone_is_the_most_recent_one() {
        assert_eq!(one("late on the 14th", THU_27_JAN), day(2022, 1, 14));
        assert_eq!(one("on the 30th", THU_27_JAN), day(2021, 12, 30));
        assert!(dates("on the 3 roads", THU_27_JAN).is_empty());
    }

    #[test]
    fn weekdays_are_the_most_recent_on_or_before_publication() {
        assert_eq!(one("on Wednesday evening", THU_27_JAN), day(2022, 1, 26));
        assert_eq!(one("on Thursday", THU_27_JAN), day(2022, 1, 27));
        assert_eq!(one("on Friday", THU_27_JAN), day(2022, 1, 21));
        assert_eq!(
            one("Late Sunday night", Some(date(2022, 1, 23))),
            day(2022, 1, 23)
        );
        assert_eq!(
            one("Late Sunday night", None),
            DateValue::Unanchored("Sunday".into())
        );
    }

    #[test]
    fn calendar_dates_take_the_year_from_publication() {
        assert_eq!(
            one("On the night of January 20, ISIS", Some(date(2022, 1, 23))),
            day(2022, 1, 20)
        );
        assert_eq!(
            one("the early hours of January 21", Some(date(2022, 1, 23))),
            day(2022, 1, 21)
        );
        assert_eq!(
            one("on December 30", Some(date(2022, 1, 2))),
            day(2021, 12, 30)
        );
        assert_eq!(one("on 26 Jan 2022", None), day(2022, 1, 26));
        assert_eq!(one("January 26, 2022", None), day(2022, 1, 26));
        assert!(matches!(
            one("on January 26", None),
            DateValue::Unanchored(_)
        ));
    }

    #[test]
    fn months_years_and_relative_periods() {
        let pub_ = Some(date(2022, 1, 27));
        assert_eq!(
            one("in May", pub_),
            DateValue::Known(When::month(2021, 5).unwrap())
        );
        assert_eq!(one("in May", None), DateValue::Unanchored("May".into()));
        assert_eq!(
            one("in December 2017", None),
            DateValue::Known(When::month(2017, 12).unwrap())
        );
        assert_eq!(
            one("in 2017", None),
            DateValue::Known(When::year(2017).unwrap())
        );
        assert_eq!(
            one("last year", pub_),
            DateValue::Known(When::year(2021).unwrap())
        );
        assert_eq!(
            one("last year", None),
            DateValue::Unanchored("last year".into())
        );
        assert_eq!(one("yesterday", pub_), day(2022, 1, 26));
        assert_eq!(one("three days ago", pub_), day(2022, 1, 24));
        assert!(
            dates("may attack", pub_).is_empty(),
            "lower-case may is a verb"
        );
        assert!(
            dates("killed 2017 people", pub_).is_empty(),
            "a bare number is not a year"
        );
    }

    #[test]
    fn boundaries_and_spans_are_marked() {
        let found = dates("since the fall of the caliphate in 2019", None);
        assert_eq!(found[0].1, DateRole::Boundary, "a 'since' clause bounds");
        let found = dates("was the biggest, since then, attack in 2019", None);
        assert_eq!(found[0].1, DateRole::Event, "another clause");
        let found = dates("since 2019", None);
        assert_eq!(found[0].1, DateRole::Boundary);
        let found = dates("from 2024 until this very moment", None);
        assert_eq!(found[0].1, DateRole::Boundary);
        let found = dates(
            "attacks in Iraq between April and June",
            Some(date(2020, 7, 20)),
        );
        assert_eq!(found.len(), 2);
        assert!(found.iter().all(|(_, role)| *role == DateRole::Span));
        let found = dates("increased its activities in 2018 and 2019", None);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].1, DateRole::Span);
    }
}
