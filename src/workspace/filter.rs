//! What the analyst narrowed the incidents down to: one [`Filter`] for the viewer, `export` and
//! `render`, and one group of command-line flags ([`FilterArgs`]) that builds it.
//!
//! A date range means the same everywhere: it keeps the incidents dated inside it and leaves
//! out those of unknown date, unless they are asked for (`--undated`, the viewer's "Undated"
//! box). Without a range, undated incidents are shown unless they are turned off
//! (`--dated-only`, the same box).

use std::collections::{BTreeSet, HashMap};

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::store::{Article, EventType, Incident, Status, Store};

/// Whether incidents of unknown date pass.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Undated {
    /// Shown while no date range is set, left out by one.
    #[default]
    UnlessRange,
    /// Always shown, even beside a date range.
    Shown,
    /// Never shown.
    Hidden,
}

/// What the user narrowed the incidents down to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Filter {
    /// First day shown, inclusive.
    pub from: Option<Date>,
    /// Last day shown, inclusive.
    pub to: Option<Date>,
    /// Whether incidents with no known date are shown.
    pub undated: Undated,
    pub hidden_types: BTreeSet<EventType>,
    /// Only incidents naming this actor.
    pub actor: Option<String>,
    /// Only incidents from this publisher's articles.
    pub publisher: Option<String>,
    /// Words to look for in summary, place, actors, type and source titles.
    pub text: String,
    /// Only incidents with these review statuses; empty means all but rejected ones.
    pub statuses: BTreeSet<Status>,
}

impl Default for Filter {
    fn default() -> Self {
        Self {
            from: None,
            to: None,
            undated: Undated::UnlessRange,
            hidden_types: BTreeSet::new(),
            actor: None,
            publisher: None,
            text: String::new(),
            statuses: BTreeSet::new(),
        }
    }
}

impl Filter {
    pub fn is_default(&self) -> bool {
        *self == Self::default()
    }

    /// Whether a first or last day is set.
    pub fn has_date_range(&self) -> bool {
        self.from.is_some() || self.to.is_some()
    }

    /// Whether incidents of unknown date pass, given the range.
    pub fn shows_undated(&self) -> bool {
        match self.undated {
            Undated::UnlessRange => !self.has_date_range(),
            Undated::Shown => true,
            Undated::Hidden => false,
        }
    }

    /// Whether incidents with this review status pass.
    pub fn shows_status(&self, status: Status) -> bool {
        if self.statuses.is_empty() {
            status != Status::Rejected
        } else {
            self.statuses.contains(&status)
        }
    }

    /// Whether one incident passes every filter.
    pub fn matches(&self, incident: &Incident, store: &Store) -> bool {
        self.matches_with(incident, &|id| store.article(id))
    }

    /// [`Filter::matches`] with articles looked up by `article`: a map when many incidents are
    /// tested (an imported ACLED file has an article per row).
    fn matches_with<'s>(
        &self,
        incident: &Incident,
        article: &dyn Fn(&str) -> Option<&'s Article>,
    ) -> bool {
        if self.hidden_types.contains(&incident.event_type)
            || !self.shows_status(incident.review.status())
        {
            return false;
        }
        match incident.date {
            None if !self.shows_undated() => return false,
            None => {}
            Some(date)
                if self.from.is_some_and(|from| date < from)
                    || self.to.is_some_and(|to| date > to) =>
            {
                return false;
            }
            Some(_) => {}
        }
        if let Some(actor) = &self.actor
            && !incident.actors.iter().any(|a| a == actor)
        {
            return false;
        }
        if let Some(publisher) = &self.publisher {
            let from_publisher = incident.sources.iter().any(|s| {
                article(&s.article).is_some_and(|a| a.publishers().any(|p| p == publisher))
            });
            if !from_publisher {
                return false;
            }
        }
        let words = self.search_words();
        if !words.is_empty() {
            // Each word within one field: a word holds no white space, so none spans two.
            let fields = || {
                let titles = incident
                    .sources
                    .iter()
                    .filter_map(|s| article(&s.article).and_then(|a| a.title.as_deref()));
                [
                    incident.summary.as_str(),
                    incident.location.name.as_str(),
                    incident.location.admin1.as_deref().unwrap_or_default(),
                    incident.event_type.as_str(),
                    incident.sub_event_type.as_str(),
                ]
                .into_iter()
                .chain(incident.actors.iter().map(String::as_str))
                .chain(titles)
            };
            if !words
                .iter()
                .all(|word| fields().any(|field| holds_lowercase(field, word)))
            {
                return false;
            }
        }
        true
    }

    /// The search's words, lowercased: each must be found in one of an incident's texts.
    pub fn search_words(&self) -> Vec<String> {
        self.text
            .to_lowercase()
            .split_whitespace()
            .map(str::to_owned)
            .collect()
    }

    /// A one-line description of the active filters, for subtitles and status lines.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        match (self.from, self.to) {
            (Some(from), Some(to)) => parts.push(format!("{from} to {to}")),
            (Some(from), None) => parts.push(format!("from {from}")),
            (None, Some(to)) => parts.push(format!("until {to}")),
            (None, None) => {}
        }
        match self.undated {
            Undated::Hidden if !self.has_date_range() => parts.push("dated only".to_owned()),
            Undated::Shown if self.has_date_range() => parts.push("with undated".to_owned()),
            _ => {}
        }
        if !self.hidden_types.is_empty() {
            let shown: Vec<&str> = EventType::ALL
                .iter()
                .filter(|t| !self.hidden_types.contains(t))
                .map(|t| t.as_str())
                .collect();
            parts.push(format!("types: {}", shown.join(", ")));
        }
        if let Some(actor) = &self.actor {
            parts.push(format!("actor: {actor}"));
        }
        if let Some(publisher) = &self.publisher {
            parts.push(format!("publisher: {publisher}"));
        }
        if !self.text.trim().is_empty() {
            parts.push(format!("search: \"{}\"", self.text.trim()));
        }
        if !self.statuses.is_empty() {
            let statuses: Vec<&str> = self.statuses.iter().map(|s| s.as_str()).collect();
            parts.push(format!("status: {}", statuses.join(", ")));
        }
        if parts.is_empty() {
            "all incidents".to_owned()
        } else {
            parts.join(" · ")
        }
    }
}

/// Whether `text`, lowercased, holds `word` (already lowercase): without lowercasing a copy
/// when the text is ASCII, as nearly every field is (a search is a scan of every incident).
pub fn holds_lowercase(text: &str, word: &str) -> bool {
    if !text.is_ascii() {
        return text.to_lowercase().contains(word);
    }
    let (text, word) = (text.as_bytes(), word.as_bytes());
    let Some((&first, rest)) = word.split_first() else {
        return true;
    };
    // Jump from one place the first letter appears (either case) to the next.
    let mut from = 0;
    while let Some(at) = text
        .get(from..)
        .and_then(|tail| memchr::memchr2(first, first.to_ascii_uppercase(), tail))
    {
        let after = from + at + 1;
        match text.get(after..after + rest.len()) {
            Some(candidate) if candidate.eq_ignore_ascii_case(rest) => return true,
            Some(_) => from = after,
            None => return false,
        }
    }
    false
}

/// Indices of the incidents that pass the filter, in store order.
pub fn visible_incidents(store: &Store, filter: &Filter) -> Vec<usize> {
    // Only the publisher and text filters look at articles; index them once, not per incident.
    let by_id: HashMap<&str, &Article> =
        if filter.publisher.is_some() || !filter.text.trim().is_empty() {
            store.article_index()
        } else {
            HashMap::new()
        };
    let article = |id: &str| by_id.get(id).copied();
    store
        .incidents
        .iter()
        .enumerate()
        .filter(|(_, incident)| filter.matches_with(incident, &article))
        .map(|(index, _)| index)
        .collect()
}

/// The filter flags shared by `export` and `render`: they build the viewer's [`Filter`], so a
/// flag means the same in both.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct FilterArgs {
    /// First day, inclusive (YYYY-MM-DD). A date range leaves out undated incidents unless
    /// --undated is given.
    #[arg(long, value_parser = parse_date_arg, value_name = "DATE")]
    pub from: Option<Date>,
    /// Last day, inclusive (YYYY-MM-DD).
    #[arg(long, value_parser = parse_date_arg, value_name = "DATE")]
    pub to: Option<Date>,
    /// Keep incidents of unknown date even when --from or --to is given.
    #[arg(long, conflicts_with = "dated_only")]
    pub undated: bool,
    /// Leave out incidents of unknown date even without a date range.
    #[arg(long)]
    pub dated_only: bool,
    /// Only these ACLED event types, comma-separated or repeated, any case
    /// (e.g. "Battles,Explosions/Remote violence").
    #[arg(long, num_args = 1.., value_delimiter = ',', value_parser = parse_event_type_arg, value_name = "TYPES")]
    pub types: Vec<EventType>,
    /// Only incidents naming this actor (exactly as the data spells it).
    #[arg(long, value_name = "NAME")]
    pub actor: Option<String>,
    /// Only incidents from this publisher's articles.
    #[arg(long, value_name = "NAME")]
    pub publisher: Option<String>,
    /// Only incidents whose summary, place, actors, type or source titles hold these words.
    #[arg(long, value_name = "WORDS")]
    pub search: Option<String>,
    /// Only incidents an analyst left as the machine coded them (machine), changed or added
    /// (edited), checked (reviewed) or rejected; comma-separated. Default: all but rejected.
    #[arg(long, num_args = 1.., value_delimiter = ',', value_parser = parse_status_arg, value_name = "STATUS")]
    pub status: Vec<Status>,
}

impl FilterArgs {
    /// The filter these flags describe; an empty date range is an error.
    pub fn filter(&self) -> Result<Filter, String> {
        if let (Some(from), Some(to)) = (self.from, self.to)
            && from > to
        {
            return Err(format!("--from {from} is after --to {to}"));
        }
        let hidden_types = if self.types.is_empty() {
            BTreeSet::new()
        } else {
            EventType::ALL
                .into_iter()
                .filter(|t| !self.types.contains(t))
                .collect()
        };
        let undated = if self.undated {
            Undated::Shown
        } else if self.dated_only {
            Undated::Hidden
        } else {
            Undated::UnlessRange
        };
        Ok(Filter {
            from: self.from,
            to: self.to,
            undated,
            hidden_types,
            actor: self.actor.clone(),
            publisher: self.publisher.clone(),
            text: self.search.clone().unwrap_or_default(),
            statuses: self.status.iter().copied().collect(),
        })
    }
}

fn parse_status_arg(text: &str) -> Result<Status, String> {
    Status::parse(text).ok_or_else(|| {
        format!("unknown status {text:?}; choose machine, edited, reviewed or rejected")
    })
}

fn parse_date_arg(text: &str) -> Result<Date, String> {
    crate::exchange::parse_date(text)
        .map_err(|_| format!("{text:?} is not a date: expected YYYY-MM-DD"))
}

fn parse_event_type_arg(text: &str) -> Result<EventType, String> {
    crate::exchange::parse_event_type(text)
        .map(|(t, _)| t)
        .ok_or_else(|| {
            let names: Vec<&str> = EventType::ALL.iter().map(|t| t.as_str()).collect();
            format!(
                "unknown event type {text:?}; ACLED's are {}",
                names.join(", ")
            )
        })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::store::{DatePrecision, Location, LocationPrecision, SubEventType};

    #[test]
    fn a_search_word_is_found_in_any_case_ascii_or_not() {
        assert!(holds_lowercase("Clashes near MOSUL airport", "mosul"));
        assert!(holds_lowercase("Mosul", "m"));
        assert!(!holds_lowercase("Mosul", "mosuls"));
        assert!(!holds_lowercase("Mosul", "موصل"));
        assert!(holds_lowercase("الموصل Mosul", "موصل"));
        assert!(holds_lowercase("ÇAKIR", "çakir"));
        assert!(holds_lowercase("anything", ""));
        // A first letter whose word fails, then the word further on; at the very end.
        assert!(holds_lowercase("Mm mOsUl", "mos"));
        assert!(holds_lowercase("aab", "ab"));
        assert!(holds_lowercase("near TIKRIT", "tikrit"));
        assert!(!holds_lowercase("xxa", "ab"));
        assert!(!holds_lowercase("Tikri", "tikrit"));
    }

    fn incident(id: &str, date: Option<Date>, sub: SubEventType, actor: &str) -> Incident {
        Incident {
            id: id.into(),
            date,
            date_precision: if date.is_some() {
                DatePrecision::Day
            } else {
                DatePrecision::Unknown
            },
            event_type: sub.event_type(),
            sub_event_type: sub,
            actors: vec![actor.into()],
            fatalities: None,
            counts: Default::default(),
            location: Location {
                name: "Al-Hasakah".into(),
                country: Some("SY".into()),
                admin1: None,
                admin2: None,
                admin3: None,
                precision: LocationPrecision::Point,
                lat: 36.5,
                lon: 40.7,
                gazetteer_id: None,
                confidence: None,
            },
            sources: vec![],
            summary: format!("{id} summary"),
            review: Default::default(),
            coded: None,
        }
    }

    /// Four incidents: three dated in January 2022, one undated.
    pub(crate) fn store() -> Store {
        let d = |day| Some(jiff::civil::date(2022, 1, day));
        Store {
            incidents: vec![
                incident("a", d(20), SubEventType::ArmedClash, "Islamic State"),
                incident("b", d(21), SubEventType::Attack, "Islamic State"),
                incident("c", d(26), SubEventType::Other, "Iraqi government"),
                incident("d", None, SubEventType::ChangeToGroupActivity, "Peshmerga"),
            ],
            ..Store::default()
        }
    }

    #[test]
    fn a_date_range_leaves_out_undated_incidents_unless_asked_for() {
        let store = store();
        let mut filter = Filter::default();
        assert_eq!(visible_incidents(&store, &filter), [0, 1, 2, 3]);
        filter.from = Some(jiff::civil::date(2022, 1, 21));
        filter.to = Some(jiff::civil::date(2022, 1, 25));
        assert_eq!(visible_incidents(&store, &filter), [1]);
        filter.undated = Undated::Shown;
        assert_eq!(visible_incidents(&store, &filter), [1, 3]);
        assert!(filter.describe().contains("with undated"));
        let filter = Filter {
            undated: Undated::Hidden,
            ..Filter::default()
        };
        assert_eq!(visible_incidents(&store, &filter), [0, 1, 2]);
        assert_eq!(filter.describe(), "dated only");
    }

    #[test]
    fn type_actor_and_text_filters() {
        let store = store();
        let mut filter = Filter::default();
        filter.hidden_types.insert(EventType::StrategicDevelopments);
        assert_eq!(visible_incidents(&store, &filter), [0, 1]);
        let filter = Filter {
            actor: Some("Islamic State".into()),
            ..Filter::default()
        };
        assert_eq!(visible_incidents(&store, &filter), [0, 1]);
        let filter = Filter {
            text: "  IRAQI government ".into(),
            ..Filter::default()
        };
        assert_eq!(visible_incidents(&store, &filter), [2]);
        assert!(filter.describe().contains("search: \"IRAQI government\""));
    }

    fn flags(argv: &[&str]) -> Result<Filter, String> {
        use clap::Parser;
        #[derive(Parser)]
        struct Wrapper {
            #[command(flatten)]
            filter: FilterArgs,
        }
        let mut all = vec!["test"];
        all.extend_from_slice(argv);
        Wrapper::try_parse_from(all)
            .map_err(|e| e.to_string())?
            .filter
            .filter()
    }

    #[test]
    fn flags_build_the_viewers_filter() -> Result<(), String> {
        let filter = flags(&["--from", "2022-01-21", "--to", "2022-01-25"])?;
        assert_eq!(filter.from, Some(jiff::civil::date(2022, 1, 21)));
        assert!(!filter.shows_undated());
        assert!(flags(&["--from", "2022-01-21", "--undated"])?.shows_undated());
        assert!(!flags(&["--dated-only"])?.shows_undated());
        assert!(flags(&[])?.is_default());
        let filter = flags(&[
            "--types",
            "battles,Strategic developments",
            "--actor",
            "ISIS",
        ])?;
        assert!(filter.hidden_types.contains(&EventType::Protests));
        assert!(!filter.hidden_types.contains(&EventType::Battles));
        assert_eq!(filter.actor.as_deref(), Some("ISIS"));
        let filter = flags(&["--types", "Battles", "Riots"])?;
        assert!(!filter.hidden_types.contains(&EventType::Riots));
        assert!(
            flags(&["--types", "Skirmish"])
                .unwrap_err()
                .contains("unknown event type")
        );
        assert!(
            flags(&["--from", "2022-13-01"])
                .unwrap_err()
                .contains("not a date")
        );
        assert!(
            flags(&["--from", "2022-02-01", "--to", "2022-01-01"])
                .unwrap_err()
                .contains("after")
        );
        assert!(flags(&["--undated", "--dated-only"]).is_err());
        Ok(())
    }
}
