//! Articles fetched over HTTP: a page from its URL, with limits on time, size and redirects.
//!
//! Only `http` and `https` are fetched, redirects included; nothing in a page is run. The
//! client is the one the map's online tiles use (reqwest on rustls with the ring provider).

use std::io::Read;
use std::time::Duration;

use super::LoadedArticle;
use super::page::{decode_page, is_web_url, read_page};

/// Limits on one fetch.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    /// From connecting to the last byte of the body.
    pub timeout: Duration,
    pub connect_timeout: Duration,
    /// Bodies larger than this are refused (read no further than it).
    pub max_bytes: u64,
    pub max_redirects: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(20),
            connect_timeout: Duration::from_secs(8),
            max_bytes: super::MAX_ARTICLE_BYTES,
            max_redirects: 5,
        }
    }
}

/// Why a fetch gave no article. Each names the URL.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("{0}: only http:// and https:// addresses are fetched")]
    NotWeb(String),
    #[error("{url}: cannot connect ({detail}); are you offline?")]
    Offline { url: String, detail: String },
    #[error("{url}: no answer within {seconds} s")]
    TimedOut { url: String, seconds: u64 },
    #[error("{url}: more than {limit} redirects")]
    TooManyRedirects { url: String, limit: usize },
    #[error("{url}: redirected to {to}, which is not an http(s) address")]
    RedirectNotWeb { url: String, to: String },
    #[error("{url}: the server answered {status}")]
    Status { url: String, status: u16 },
    #[error("{url}: the page is larger than the {} limit", crate::files::thousands(*.limit as usize) + " bytes")]
    TooLarge { url: String, limit: u64 },
    #[error("{url}: not a web page or text ({content_type})")]
    NotText { url: String, content_type: String },
    #[error("{url}: {detail}")]
    Other { url: String, detail: String },
    #[error("{url}: {source}")]
    Pdf {
        url: String,
        source: super::pdf::PdfError,
    },
    #[error("{url}: {source}")]
    Page {
        url: String,
        source: super::page::PageError,
    },
}

/// A response as fetched: where it ended up, its type and charset, and its body.
#[derive(Debug, Clone, PartialEq)]
pub struct Fetched {
    pub url: String,
    pub content_type: String,
    pub charset: Option<String>,
    pub body: Vec<u8>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// The server said the resource has not changed since the validators given.
    pub not_modified: bool,
}

/// Validators from an earlier fetch, for a conditional request.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

/// The TLS settings of every request the program makes: rustls with the ring provider and
/// the Mozilla roots (no system OpenSSL).
pub fn tls_config() -> Option<rustls::ClientConfig> {
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let roots = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .ok()
        .map(|builder| builder.with_root_certificates(roots).with_no_client_auth())
}

fn client(limits: &Limits) -> Result<reqwest::blocking::Client, String> {
    let max_redirects = limits.max_redirects;
    let policy = reqwest::redirect::Policy::custom(move |attempt| {
        let to = attempt.url().as_str().to_owned();
        if !is_web_url(&to) {
            attempt.error(RedirectRefused::NotWeb(to))
        } else if attempt.previous().len() > max_redirects {
            attempt.error(RedirectRefused::TooMany)
        } else {
            attempt.follow()
        }
    });
    let mut builder = reqwest::blocking::Client::builder()
        .user_agent(concat!("incident-map/", env!("CARGO_PKG_VERSION")))
        .timeout(limits.timeout)
        .connect_timeout(limits.connect_timeout)
        .redirect(policy);
    if let Some(tls) = tls_config() {
        builder = builder.tls_backend_preconfigured(tls);
    }
    builder.build().map_err(|e| e.to_string())
}

#[derive(Debug, thiserror::Error)]
enum RedirectRefused {
    #[error("redirect to a non-web address {0}")]
    NotWeb(String),
    #[error("too many redirects")]
    TooMany,
}

/// Fetches `url` within `limits`; with `validators`, asks only for a changed resource.
pub fn fetch(
    url: &str,
    limits: &Limits,
    validators: Option<&Validators>,
) -> Result<Fetched, FetchError> {
    if !is_web_url(url) {
        return Err(FetchError::NotWeb(url.to_owned()));
    }
    let client = client(limits).map_err(|detail| FetchError::Other {
        url: url.to_owned(),
        detail,
    })?;
    let mut request = client.get(url);
    if let Some(validators) = validators {
        if let Some(etag) = &validators.etag {
            request = request.header(reqwest::header::IF_NONE_MATCH, etag);
        }
        if let Some(modified) = &validators.last_modified {
            request = request.header(reqwest::header::IF_MODIFIED_SINCE, modified);
        }
    }
    let response = request.send().map_err(|e| request_error(url, limits, &e))?;
    let status = response.status();
    let final_url = response.url().as_str().to_owned();
    let header = |name: reqwest::header::HeaderName| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let etag = header(reqwest::header::ETAG);
    let last_modified = header(reqwest::header::LAST_MODIFIED);
    let content_type = header(reqwest::header::CONTENT_TYPE).unwrap_or_default();
    if status == reqwest::StatusCode::NOT_MODIFIED {
        return Ok(Fetched {
            url: final_url,
            content_type,
            charset: None,
            body: Vec::new(),
            etag,
            last_modified,
            not_modified: true,
        });
    }
    // A redirect left unfollowed points somewhere that is not the web (file:, ftp:, …).
    if status.is_redirection()
        && let Some(to) = header(reqwest::header::LOCATION)
    {
        return Err(FetchError::RedirectNotWeb {
            url: url.to_owned(),
            to,
        });
    }
    if !status.is_success() {
        return Err(FetchError::Status {
            url: url.to_owned(),
            status: status.as_u16(),
        });
    }
    let too_large = || FetchError::TooLarge {
        url: url.to_owned(),
        limit: limits.max_bytes,
    };
    if response
        .content_length()
        .is_some_and(|length| length > limits.max_bytes)
    {
        return Err(too_large());
    }
    let mut body = Vec::new();
    response
        .take(limits.max_bytes + 1)
        .read_to_end(&mut body)
        .map_err(|e| {
            let timed_out = e.kind() == std::io::ErrorKind::TimedOut
                || e.to_string().to_ascii_lowercase().contains("timed out");
            if timed_out {
                FetchError::TimedOut {
                    url: url.to_owned(),
                    seconds: limits.timeout.as_secs(),
                }
            } else {
                FetchError::Other {
                    url: url.to_owned(),
                    detail: format!("the body broke off: {e}"),
                }
            }
        })?;
    if body.len() as u64 > limits.max_bytes {
        return Err(too_large());
    }
    let charset = charset_of(&content_type);
    Ok(Fetched {
        url: final_url,
        content_type,
        charset,
        body,
        etag,
        last_modified,
        not_modified: false,
    })
}

fn request_error(url: &str, limits: &Limits, error: &reqwest::Error) -> FetchError {
    let mut source: Option<&dyn std::error::Error> = Some(error);
    while let Some(e) = source {
        if let Some(refused) = e.downcast_ref::<RedirectRefused>() {
            return match refused {
                RedirectRefused::NotWeb(to) => FetchError::RedirectNotWeb {
                    url: url.to_owned(),
                    to: to.clone(),
                },
                RedirectRefused::TooMany => FetchError::TooManyRedirects {
                    url: url.to_owned(),
                    limit: limits.max_redirects,
                },
            };
        }
        source = e.source();
    }
    if error.is_timeout() {
        FetchError::TimedOut {
            url: url.to_owned(),
            seconds: limits.timeout.as_secs(),
        }
    } else if error.is_connect() {
        let mut detail = String::new();
        let mut cause: Option<&dyn std::error::Error> = std::error::Error::source(error);
        while let Some(e) = cause {
            detail = e.to_string();
            cause = e.source();
        }
        FetchError::Offline {
            url: url.to_owned(),
            detail: if detail.is_empty() {
                error.to_string()
            } else {
                detail
            },
        }
    } else {
        FetchError::Other {
            url: url.to_owned(),
            detail: error.to_string(),
        }
    }
}

/// `text/html; charset=windows-1256` → `windows-1256`.
fn charset_of(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| value.trim().trim_matches('"').to_owned())
    })
}

/// What kind of body a content type announces.
#[derive(Debug, Clone, Copy, PartialEq)]
enum BodyKind {
    Page,
    Text,
    Pdf,
}

fn body_kind(content_type: &str) -> Option<BodyKind> {
    let mime = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    match mime.as_str() {
        "text/html" | "application/xhtml+xml" | "" => Some(BodyKind::Page),
        "text/plain" | "text/markdown" => Some(BodyKind::Text),
        "application/pdf" | "application/x-pdf" => Some(BodyKind::Pdf),
        _ => None,
    }
}

/// Fetches the page at `url` and reads it as an article with the id `id`.
pub fn fetch_article(url: &str, id: &str, limits: &Limits) -> Result<LoadedArticle, FetchError> {
    let fetched = fetch(url, limits, None)?;
    article_from(&fetched, id)
}

/// Reads a fetched body as an article: a page through readability, a PDF's text layer, plain
/// text as it is.
pub fn article_from(fetched: &Fetched, id: &str) -> Result<LoadedArticle, FetchError> {
    let url = fetched.url.clone();
    let kind = body_kind(&fetched.content_type).ok_or_else(|| FetchError::NotText {
        url: url.clone(),
        content_type: fetched.content_type.clone(),
    })?;
    let mut loaded = match kind {
        BodyKind::Pdf => {
            super::pdf::read_pdf(id, &fetched.body).map_err(|source| FetchError::Pdf {
                url: url.clone(),
                source,
            })?
        }
        BodyKind::Page => {
            let text = decode_page(&fetched.body, fetched.charset.as_deref());
            read_page(id, &text, Some(&url)).map_err(|source| FetchError::Page {
                url: url.clone(),
                source,
            })?
        }
        BodyKind::Text => {
            let text = decode_page(&fetched.body, fetched.charset.as_deref());
            if text.trim().is_empty() {
                return Err(FetchError::Page {
                    url,
                    source: super::page::PageError::Empty,
                });
            }
            super::parse_article(id, text)
        }
    };
    if loaded.article.url.is_none() {
        loaded.article.url = Some(url);
    }
    Ok(loaded)
}

/// An article id for a URL: its host and last path segment, readable in lists, with a short
/// hash so two pages never share one.
pub fn url_id(url: &str) -> String {
    let without_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let without_query = without_scheme.split(['?', '#']).next().unwrap_or("");
    let parts: Vec<&str> = without_query.split('/').filter(|p| !p.is_empty()).collect();
    let host = parts.first().copied().unwrap_or("page");
    let last = parts
        .get(1..)
        .and_then(<[&str]>::last)
        .copied()
        .unwrap_or("");
    let slug: String = format!("{host}-{last}")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let slug: String = slug
        .split('-')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    let slug: String = slug.chars().take(60).collect();
    // FNV-1a: stable across runs and builds, unlike the standard hasher.
    let hash = url.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    });
    format!("{slug}-{:08x}", hash as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charsets_and_kinds_are_read_from_the_content_type() {
        assert_eq!(
            charset_of("text/html; charset=\"windows-1256\""),
            Some("windows-1256".to_owned())
        );
        assert_eq!(charset_of("text/html"), None);
        assert_eq!(body_kind("TEXT/HTML; charset=utf-8"), Some(BodyKind::Page));
        assert_eq!(body_kind("text/plain"), Some(BodyKind::Text));
        assert_eq!(body_kind("application/pdf"), Some(BodyKind::Pdf));
        assert_eq!(body_kind("image/png"), None);
    }

    #[test]
    fn url_ids_are_readable_stable_and_distinct() {
        let a = url_id("https://news.example.org/iraq/2025/04/02/baquba-checkpoint?ref=rss");
        assert!(a.starts_with("news-example-org-baquba-checkpoint-"), "{a}");
        assert_eq!(
            a,
            url_id("https://news.example.org/iraq/2025/04/02/baquba-checkpoint?ref=rss")
        );
        assert_ne!(
            a,
            url_id("https://news.example.org/iraq/2025/04/02/baquba-checkpoint")
        );
    }

    #[test]
    fn only_web_addresses_are_fetched() {
        for url in [
            "file:///etc/passwd",
            "ftp://example.org/a",
            "javascript:alert(1)",
        ] {
            assert!(matches!(
                fetch(url, &Limits::default(), None),
                Err(FetchError::NotWeb(_))
            ));
        }
    }
}
