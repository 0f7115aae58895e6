//! News feeds (RSS 2.0, Atom, JSON Feed, read with `feed-rs`): what is new in each since the
//! last look, fetched with conditional requests, and each new item's page fetched as an
//! article. Network work only: what to keep is the workspace's business.

use std::collections::HashSet;

use super::LoadedArticle;
use super::page::is_web_url;
use super::web::{self, Limits, Validators};

/// A followed feed as the workspace keeps it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Feed {
    pub url: String,
    pub title: Option<String>,
    pub validators: Validators,
    /// Item keys (guid, and link) already taken in.
    pub seen: HashSet<String>,
}

/// One item of a feed.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// The feed's id for it (guid), else its link.
    pub key: String,
    pub link: String,
    pub title: Option<String>,
}

/// A new item's article, with the item it came from.
#[derive(Debug)]
pub struct NewArticle {
    pub feed: String,
    pub item: Item,
    pub article: LoadedArticle,
}

/// What looking at the feeds found.
#[derive(Debug, Default)]
pub struct Collected {
    pub articles: Vec<NewArticle>,
    /// Feeds with their new validators and title (those that answered).
    pub feeds: Vec<Feed>,
    /// Items skipped or pages that failed, each said with its feed or URL; such items are
    /// tried again next time.
    pub problems: Vec<String>,
    /// Feeds that had not changed since the last look.
    pub unchanged: usize,
}

/// A feed document as read: its title, its items, and what was wrong with items skipped.
pub type Parsed = (Option<String>, Vec<Item>, Vec<String>);

/// Reads a feed document: its title and items. Items with no web link are said and skipped.
pub fn parse(url: &str, bytes: &[u8]) -> Result<Parsed, String> {
    let feed = feed_rs::parser::parse(bytes).map_err(|e| format!("{url}: not a feed: {e}"))?;
    let mut items = Vec::new();
    let mut problems = Vec::new();
    for (n, entry) in feed.entries.iter().enumerate() {
        let link = entry
            .links
            .iter()
            .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
            .or_else(|| entry.links.first())
            .map(|l| l.href.trim().to_owned());
        let title = entry.title.as_ref().map(|t| t.content.trim().to_owned());
        match link.filter(|l| is_web_url(l)) {
            Some(link) => items.push(Item {
                key: if entry.id.trim().is_empty() {
                    link.clone()
                } else {
                    entry.id.trim().to_owned()
                },
                link,
                title,
            }),
            None => problems.push(format!(
                "{url}: item {} ({}) has no web link; skipped",
                n + 1,
                title.as_deref().unwrap_or("untitled")
            )),
        }
    }
    Ok((
        feed.title.map(|t| t.content.trim().to_owned()),
        items,
        problems,
    ))
}

/// Looks at every feed and fetches the pages of the items not seen before. `progress` gets
/// what is being done. One failing feed or page is a problem; the rest go on.
pub fn collect(feeds: &[Feed], limits: &Limits, progress: &dyn Fn(String)) -> Collected {
    let mut collected = Collected::default();
    for feed in feeds {
        progress(format!("Checking {}", feed.url));
        let fetched = match web::fetch(&feed.url, limits, Some(&feed.validators)) {
            Ok(fetched) => fetched,
            Err(e) => {
                collected.problems.push(e.to_string());
                continue;
            }
        };
        let mut updated = feed.clone();
        updated.validators = Validators {
            etag: fetched.etag.clone(),
            last_modified: fetched.last_modified.clone(),
        };
        if fetched.not_modified {
            collected.unchanged += 1;
            collected.feeds.push(updated);
            continue;
        }
        let (title, items, problems) = match parse(&feed.url, &fetched.body) {
            Ok(parsed) => parsed,
            Err(e) => {
                collected.problems.push(e);
                continue;
            }
        };
        collected.problems.extend(problems);
        updated.title = title.or(updated.title);
        let mut taken: HashSet<String> = HashSet::new();
        for item in items {
            let known = feed.seen.contains(&item.key)
                || feed.seen.contains(&item.link)
                || !taken.insert(item.link.clone());
            if known {
                continue;
            }
            progress(format!("Fetching {}", item.link));
            match web::fetch_article(&item.link, &web::url_id(&item.link), limits) {
                Ok(mut article) => {
                    if article.article.title.is_none() {
                        article.article.title = item.title.clone();
                    }
                    collected.articles.push(NewArticle {
                        feed: feed.url.clone(),
                        item,
                        article,
                    });
                }
                Err(e) => collected.problems.push(e.to_string()),
            }
        }
        collected.feeds.push(updated);
    }
    collected
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rss_atom_and_json_feeds_give_their_items() -> Result<(), String> {
        let rss = br#"<?xml version="1.0"?><rss version="2.0"><channel><title>Desk</title>
<item><title>One</title><link>https://example.org/1</link><guid>g1</guid></item>
<item><title>No link</title><guid>g2</guid></item>
<item><title>Ftp</title><link>ftp://example.org/3</link></item>
</channel></rss>"#;
        let (title, items, problems) = parse("https://example.org/rss", rss)?;
        assert_eq!(title.as_deref(), Some("Desk"));
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].key, "g1");
        assert_eq!(items[0].link, "https://example.org/1");
        assert_eq!(problems.len(), 2, "{problems:?}");

        let atom = br#"<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><id>urn:a</id><updated>2025-01-01T00:00:00Z</updated>
<entry><title>Two</title><id>urn:2</id><updated>2025-01-01T00:00:00Z</updated><link rel="self" href="https://example.org/self"/><link rel="alternate" href="https://example.org/2"/></entry>
</feed>"#;
        let (_, items, _) = parse("https://example.org/atom", atom)?;
        assert_eq!(items[0].link, "https://example.org/2");

        let json = br#"{"version":"https://jsonfeed.org/version/1.1","title":"J","items":[{"id":"j1","url":"https://example.org/j1","title":"Three"}]}"#;
        let (_, items, _) = parse("https://example.org/feed.json", json)?;
        assert_eq!(items[0].link, "https://example.org/j1");
        assert_eq!(items[0].key, "j1");

        assert!(parse("https://example.org/x", b"<html>not a feed").is_err());
        Ok(())
    }
}
