//! Web pages as articles: a browser's "Save page as" file or a page fetched from a URL.
//!
//! The story is found by readability scoring (`dom_smoothie`, a port of Mozilla's
//! Readability), so menus, footers and link lists fall away. Title, publisher, date and URL
//! come from the page's own metadata (JSON-LD `NewsArticle`, `og:` and `article:` tags, the
//! canonical link). Captions, bylines and teasers that remain in the story are kept in the text
//! shown to the analyst but marked as boilerplate, so extraction does not read them as events.

use std::ops::Range;

use jiff::civil::Date;

use super::LoadedArticle;

/// Fewer words than this is not a story (a menu, a notice, an error page).
const MIN_STORY_WORDS: usize = 12;

/// Why a page gave no article.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PageError {
    #[error("the page has no readable story ({0})")]
    NoStory(String),
    #[error("the page's story is empty")]
    Empty,
}

/// What a page says about itself, before the story is read.
#[derive(Debug, Default, Clone, PartialEq)]
struct Marks {
    canonical: Option<String>,
    /// Texts of captions, bylines and teasers inside the page, whitespace-normalised.
    asides: Vec<String>,
}

/// Reads a page's HTML (already decoded to text) into an article. `page_url` is where it was
/// fetched from, used when the page names no canonical URL of its own and to resolve relative
/// links; a saved file passes `None`.
pub fn read_page(id: &str, html: &str, page_url: Option<&str>) -> Result<LoadedArticle, PageError> {
    let base = page_url.filter(|url| is_web_url(url));
    let config = dom_smoothie::Config {
        text_mode: dom_smoothie::TextMode::Formatted,
        // A short wire item is still a story.
        char_threshold: 200,
        ..dom_smoothie::Config::default()
    };
    let mut readability = dom_smoothie::Readability::new(html, base, Some(config))
        .map_err(|e| PageError::NoStory(e.to_string()))?;
    let marks = marks(&readability.doc);
    let parsed = readability
        .parse()
        .map_err(|e| PageError::NoStory(e.to_string()))?;

    let title = clean(&parsed.title);
    let body = paragraphs(&parsed.text_content);
    if body.trim().is_empty() {
        return Err(PageError::Empty);
    }
    // A menu or a cookie notice is what is left of a page with no story.
    let words = body.split_whitespace().count();
    if words < MIN_STORY_WORDS {
        return Err(PageError::NoStory(format!(
            "{words} words of text, fewer than any news story"
        )));
    }
    let mut text = String::new();
    if !title.is_empty() {
        text.push_str(&title);
        text.push_str("\n\n");
    }
    let body_start = text.len();
    text.push_str(&body);
    text.push('\n');

    let mut loaded = super::parse_article(id, text);
    let title_range = (!title.is_empty()).then_some(0..title.len());
    if title_range.is_some() {
        loaded.title_range = title_range;
        loaded.article.title = Some(title);
    }
    if let Some(publisher) = parsed
        .site_name
        .as_deref()
        .map(clean)
        .filter(|p| !p.is_empty())
    {
        loaded.article.publisher = Some(publisher);
    }
    if let Some(date) = parsed.published_time.as_deref().and_then(iso_date) {
        loaded.article.published = Some(date);
    }
    loaded.article.url = marks
        .canonical
        .clone()
        .or_else(|| parsed.url.clone())
        .filter(|url| is_web_url(url))
        .or_else(|| base.map(str::to_owned));

    let mut byline_texts = marks.asides.clone();
    byline_texts.extend(parsed.byline.as_deref().map(clean));
    for range in aside_lines(&loaded.article.text, body_start, &byline_texts) {
        loaded.boilerplate.push(range);
    }
    loaded.boilerplate.sort_by_key(|r| r.start);
    loaded.boilerplate = merged(std::mem::take(&mut loaded.boilerplate));
    Ok(loaded)
}

/// Only web addresses are kept as an article's URL: they are what "Open in browser" opens.
/// Blanks and control characters (a NUL, an escape) have no place in one.
pub fn is_web_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"));
    rest.is_some_and(|rest| {
        !rest.is_empty() && !rest.contains(|c: char| c.is_whitespace() || c.is_control())
    })
}

/// Whether a file name is a saved web page.
pub fn is_page_file(path: &std::path::Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "html" | "htm" | "xhtml"))
}

/// The canonical link and the caption, byline and teaser texts, read before readability
/// reshapes the document.
fn marks(doc: &dom_query::Document) -> Marks {
    let canonical = doc
        .select(r#"link[rel="canonical"]"#)
        .attr("href")
        .map(|href| href.trim().to_owned())
        .or_else(|| {
            doc.select(r#"meta[property="og:url"]"#)
                .attr("content")
                .map(|c| c.trim().to_owned())
        })
        .filter(|url| is_web_url(url));
    let mut asides = Vec::new();
    // Captions, credits, bylines and teasers as outlets mark them up.
    let selectors = [
        "figcaption",
        "[class*=caption]",
        "[class*=credit]",
        "[class*=byline]",
        "[rel=author]",
        "[class*=related]",
        "[class*=teaser]",
        "[class*=read-more]",
        "[class*=readmore]",
        "[class*=newsletter]",
    ];
    for selector in selectors {
        for node in doc.select(selector).nodes() {
            let text = clean(&node.text());
            // Long blocks are more likely a whole section wrongly classed; a few words are
            // what a caption or a teaser line is.
            if !text.is_empty() && text.len() <= 600 && !asides.contains(&text) {
                asides.push(text);
            }
        }
    }
    Marks { canonical, asides }
}

/// Whitespace collapsed to single spaces.
fn clean(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The story as paragraphs separated by blank lines, each on one line.
fn paragraphs(formatted: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    for block in formatted.split("\n\n") {
        for line in block.lines() {
            let line = clean(line);
            if !line.is_empty() {
                out.push(line);
            }
        }
    }
    out.join("\n\n")
}

/// Lines of the story that are (or lie inside) a caption, byline or teaser.
fn aside_lines(text: &str, from: usize, asides: &[String]) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    let mut at = from;
    for line in text[from..].split_inclusive('\n') {
        let trimmed = line.trim();
        let start = at + (line.len() - line.trim_start().len());
        at += line.len();
        if trimmed.is_empty() {
            continue;
        }
        let is_aside = asides.iter().any(|aside| {
            // The line is the aside, or a part of it readability split off.
            aside == trimmed || (trimmed.len() >= 20 && aside.contains(trimmed))
        });
        if is_aside {
            ranges.push(start..start + trimmed.len());
        }
    }
    ranges
}

fn merged(ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    for range in ranges {
        match out.last_mut() {
            Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
            _ => out.push(range),
        }
    }
    out
}

/// "2024-03-05T10:00:00+03:00", "2024-03-05": the calendar date as written (the outlet's own
/// day, not converted to another zone).
fn iso_date(stamp: &str) -> Option<Date> {
    stamp.trim().get(..10)?.parse().ok()
}

/// Decodes a page's bytes: the byte-order mark, else the charset the server named, else the
/// page's own `<meta charset>`, else UTF-8 when the bytes are UTF-8, else windows-1252 (what
/// browsers assume).
pub fn decode_page(bytes: &[u8], declared: Option<&str>) -> String {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        return encoding
            .decode_without_bom_handling(&bytes[bom..])
            .0
            .into_owned();
    }
    let encoding = declared
        .and_then(|label| encoding_rs::Encoding::for_label(label.trim().as_bytes()))
        .or_else(|| meta_charset(bytes))
        .unwrap_or_else(|| {
            if std::str::from_utf8(bytes).is_ok() {
                encoding_rs::UTF_8
            } else {
                encoding_rs::WINDOWS_1252
            }
        });
    encoding.decode_without_bom_handling(bytes).0.into_owned()
}

/// `<meta charset="windows-1256">` or `<meta http-equiv="Content-Type" content="…;
/// charset=…">` in the first 4 KB, as a browser's pre-scan finds it.
fn meta_charset(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).to_ascii_lowercase();
    let mut rest = head.as_str();
    while let Some(at) = rest.find("charset") {
        rest = &rest[at + "charset".len()..];
        let value = rest.trim_start().strip_prefix('=')?.trim_start();
        let value = value.trim_start_matches(['"', '\'']);
        let end = value
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            .unwrap_or(value.len());
        // UTF-16 named in a page that reads as ASCII is a mistake; browsers read UTF-8.
        match encoding_rs::Encoding::for_label(&value.as_bytes()[..end]) {
            Some(e) if e == encoding_rs::UTF_16LE || e == encoding_rs::UTF_16BE => {
                return Some(encoding_rs::UTF_8);
            }
            Some(e) => return Some(e),
            None => continue,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<!doctype html>
<html lang="en"><head>
<meta charset="utf-8">
<title>Gunmen kill four at checkpoint near Baquba | Example Daily</title>
<meta property="og:site_name" content="Example Daily">
<meta property="og:title" content="Gunmen kill four at checkpoint near Baquba">
<meta property="article:published_time" content="2025-04-02T09:15:00+03:00">
<link rel="canonical" href="https://news.example.org/iraq/2025/04/02/baquba-checkpoint">
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<main><article>
<h1>Gunmen kill four at checkpoint near Baquba</h1>
<p class="byline">By Staff Reporter</p>
<p>BAQUBA, Iraq — Gunmen opened fire on an army checkpoint north of Baquba late on Tuesday, killing four soldiers and wounding two others, security sources said. The attackers fled towards the orchards along the river before reinforcements arrived at the scene.</p>
<figure><img src="/img/a.jpg"><figcaption>Iraqi soldiers at a checkpoint in Diyala province in 2019, where an ambush killed nine.</figcaption></figure>
<p>No group claimed the attack, but officials blamed remnants of Islamic State, which still stages raids in the province's farmland and in the Hamrin mountains. A curfew was imposed on nearby villages while the army searched the area.</p>
<div class="related"><h3>Related</h3><a href="/x">Bomb kills two in Tarmiyah market</a></div>
</article></main>
<footer><p>Copyright Example Daily. All rights reserved. Contact us. Advertise.</p></footer>
</body></html>"#;

    #[test]
    fn a_saved_page_gives_its_story_and_metadata_without_menus() {
        let loaded = read_page("baquba", PAGE, None).expect("a story");
        let article = &loaded.article;
        assert_eq!(
            article.title.as_deref(),
            Some("Gunmen kill four at checkpoint near Baquba")
        );
        assert_eq!(article.publisher.as_deref(), Some("Example Daily"));
        assert_eq!(article.published, Some(jiff::civil::date(2025, 4, 2)));
        assert_eq!(
            article.url.as_deref(),
            Some("https://news.example.org/iraq/2025/04/02/baquba-checkpoint")
        );
        assert!(article.text.contains("BAQUBA, Iraq — Gunmen opened fire"));
        assert!(article.text.contains("A curfew was imposed"));
        for menu in ["Home", "Sport", "Copyright", "Advertise"] {
            assert!(
                !article.text.contains(menu),
                "{menu} kept: {}",
                article.text
            );
        }
    }

    #[test]
    fn captions_and_bylines_are_kept_for_reading_but_are_not_story() {
        let loaded = read_page("baquba", PAGE, None).expect("a story");
        let text = &loaded.article.text;
        let caption = text
            .find("Iraqi soldiers at a checkpoint in Diyala")
            .expect("the caption is shown");
        assert!(loaded.is_boilerplate(caption), "caption is story: {text}");
        if let Some(byline) = text.find("By Staff Reporter") {
            assert!(loaded.is_boilerplate(byline));
        }
        let story = text.find("Gunmen opened fire").expect("story");
        assert!(!loaded.is_boilerplate(story));
    }

    #[test]
    fn json_ld_metadata_is_read_and_a_fetched_url_is_the_fallback() {
        let page = r#"<html><head>
<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":"Drone strike hits vehicle in Qamishli countryside","datePublished":"2024-11-20T14:00:00Z","publisher":{"@type":"Organization","name":"North Desk"}}</script>
</head><body><article><p>QAMISHLI, Syria — A drone struck a car on the road east of Qamishli on Wednesday afternoon, killing two men inside it, according to a local monitor. The vehicle burned for an hour before fire crews reached it, residents of a nearby village said.</p>
<p>The strike was the third of its kind in the area this month, local sources said, and no party commented on it by evening.</p></article></body></html>"#;
        let loaded = read_page("q", page, Some("https://north.example.net/a/1")).expect("story");
        let article = &loaded.article;
        assert_eq!(
            article.title.as_deref(),
            Some("Drone strike hits vehicle in Qamishli countryside")
        );
        assert_eq!(article.published, Some(jiff::civil::date(2024, 11, 20)));
        assert_eq!(
            article.url.as_deref(),
            Some("https://north.example.net/a/1")
        );
        assert!(article.text.contains("A drone struck a car"));
    }

    #[test]
    fn only_web_addresses_are_urls() {
        assert!(is_web_url("https://example.org/a"));
        assert!(is_web_url("HTTP://example.org"));
        assert!(!is_web_url("javascript:alert(1)"));
        assert!(!is_web_url("https://example.org/a\0b"));
        assert!(!is_web_url("https://example.org/\u{1b}[2J"));
        assert!(!is_web_url("file:///etc/passwd"));
        assert!(!is_web_url("https://"));
    }

    #[test]
    fn a_page_in_windows_1256_is_decoded_from_its_meta_charset() {
        let (bytes, _, _) = encoding_rs::WINDOWS_1256.encode("بغداد");
        let mut page = b"<html><head><meta charset=\"windows-1256\"></head><body><p>".to_vec();
        page.extend_from_slice(&bytes);
        page.extend_from_slice(b"</p></body></html>");
        assert!(decode_page(&page, None).contains("بغداد"));
        // The server's header wins over a guess.
        assert!(decode_page(&bytes, Some("windows-1256")).contains("بغداد"));
        // Bytes that are not UTF-8 and name nothing are read as browsers read them.
        assert_eq!(decode_page(b"caf\xe9", None), "café");
    }

    #[test]
    fn a_page_with_no_text_is_an_error_not_an_empty_article() {
        assert!(read_page("empty", "<html><body><nav>Home</nav></body></html>", None).is_err());
    }
}
