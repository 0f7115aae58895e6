//! "New article" (Ctrl+N): an article pasted as text, with its title, publisher, date and URL
//! (filled in from the text where it carries them), or fetched from a URL in the background.
//! What the analyst chose comes back as an article to add to the workspace.

use egui::{Align2, Key};

use crate::articles::page::is_web_url;
use crate::articles::{LoadedArticle, parse_article, web};
use crate::workspace::job::Job;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    #[default]
    Paste,
    Url,
    Feed,
}

/// What the analyst chose in the window.
pub enum Chosen {
    Article(Added),
    /// Follow the feed at this URL.
    Follow(String),
}

/// The article the analyst added, and where it came from (the URL, or `pasted:ID`).
pub struct Added {
    pub location: String,
    pub article: LoadedArticle,
}

/// The form's fields, and which of them were filled in from the text (and may be again).
#[derive(Default)]
pub struct ArticleDialog {
    pub mode: Mode,
    text: String,
    title: String,
    publisher: String,
    date: String,
    url: String,
    /// The values last filled in from the text; a field still holding its value is refilled
    /// when the text changes, one the analyst typed is left alone.
    filled: [String; 4],
    fetch_url: String,
    fetching: Option<Job<Result<LoadedArticle, String>>>,
    error: Option<String>,
    /// The text or URL field takes the keyboard when the window opens (so Ctrl+V pastes).
    focus_pending: bool,
}

impl ArticleDialog {
    pub fn new(mode: Mode) -> Self {
        Self {
            mode,
            focus_pending: true,
            ..Self::default()
        }
    }

    /// Whether a page is being fetched (for tests and the busy indicator).
    pub fn fetching(&self) -> bool {
        self.fetching.is_some()
    }

    /// Shows the window. Returns whether it stays open, and the article to add, if chosen.
    pub fn show(&mut self, ctx: &egui::Context) -> (bool, Option<Chosen>) {
        let mut keep_open = true;
        let mut added = None;
        let mut follow = None;
        if let Some(result) = self.fetching.as_mut().and_then(Job::finished) {
            self.fetching = None;
            match result {
                Ok(article) => {
                    added = Some(Added {
                        location: self.fetch_url.trim().to_owned(),
                        article,
                    });
                }
                Err(e) => self.error = Some(e),
            }
        }
        egui::Window::new("New article")
            .collapsible(false)
            .resizable(true)
            .default_width(560.0)
            .anchor(Align2::CENTER_CENTER, [0.0, 0.0])
            .open(&mut keep_open)
            .show(ctx, |ui| {
                ui.horizontal(|ui| {
                    let before = self.mode;
                    ui.selectable_value(&mut self.mode, Mode::Paste, "Paste text");
                    ui.selectable_value(&mut self.mode, Mode::Url, "From a URL");
                    ui.selectable_value(&mut self.mode, Mode::Feed, "Follow a feed");
                    self.focus_pending |= self.mode != before;
                });
                ui.separator();
                match self.mode {
                    Mode::Paste => added = added.take().or_else(|| self.paste_form(ui)),
                    Mode::Url => self.url_form(ui, ctx),
                    Mode::Feed => follow = self.feed_form(ui),
                }
                if let Some(error) = &self.error {
                    ui.colored_label(ui.visuals().error_fg_color, error);
                }
            });
        let chosen = match (added, follow) {
            (Some(added), _) => Some(Chosen::Article(added)),
            (None, Some(url)) => Some(Chosen::Follow(url)),
            (None, None) => None,
        };
        (keep_open && chosen.is_none(), chosen)
    }

    fn feed_form(&mut self, ui: &mut egui::Ui) -> Option<String> {
        let name = ui.label("The address of a news feed (RSS, Atom or JSON Feed):");
        let response = ui
            .add(
                egui::TextEdit::singleline(&mut self.fetch_url)
                    .hint_text("https://…/feed.xml")
                    .desired_width(480.0)
                    .id_salt("feed-url"),
            )
            .labelled_by(name.id);
        if std::mem::take(&mut self.focus_pending) {
            response.request_focus();
        }
        let enter = response.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
        let mut chosen = None;
        if (ui.button("Follow").clicked() || enter) && !self.fetch_url.trim().is_empty() {
            let url = self.fetch_url.trim().to_owned();
            if is_web_url(&url) {
                chosen = Some(url);
            } else {
                self.error = Some(format!(
                    "{url}: only http:// and https:// feeds are followed"
                ));
            }
        }
        ui.weak("File → Update feeds then takes in its new items.");
        chosen
    }

    fn paste_form(&mut self, ui: &mut egui::Ui) -> Option<Added> {
        let name = ui.label("Paste the article's text (headline first, as the page shows it):");
        let response = ui
            .add(
                egui::TextEdit::multiline(&mut self.text)
                    .hint_text("Headline\n\nBAGHDAD — The story …")
                    .desired_rows(10)
                    .desired_width(f32::INFINITY)
                    .id_salt("pasted-text"),
            )
            .labelled_by(name.id);
        if std::mem::take(&mut self.focus_pending) {
            response.request_focus();
        }
        if response.changed() {
            self.fill_from_text();
        }
        egui::Grid::new("pasted-fields")
            .num_columns(2)
            .show(ui, |ui| {
                for (label, value, hint) in [
                    ("Title", &mut self.title, ""),
                    ("Publisher", &mut self.publisher, ""),
                    ("Date", &mut self.date, "YYYY-MM-DD"),
                    ("URL", &mut self.url, "https://…"),
                ] {
                    let name = ui.label(label);
                    ui.add(
                        egui::TextEdit::singleline(value)
                            .hint_text(hint)
                            .desired_width(380.0),
                    )
                    .labelled_by(name.id);
                    ui.end_row();
                }
            });
        let mut chosen = None;
        ui.horizontal(|ui| {
            let ready = !self.text.trim().is_empty();
            if ui
                .add_enabled(ready, egui::Button::new("Add article"))
                .clicked()
            {
                match self.pasted() {
                    Ok(added) => chosen = Some(added),
                    Err(e) => self.error = Some(e),
                }
            }
            ui.weak("Its incidents appear on the map at once.");
        });
        chosen
    }

    fn url_form(&mut self, ui: &mut egui::Ui, ctx: &egui::Context) {
        let name = ui.label("The address of a news page (http or https):");
        let response = ui
            .add(
                egui::TextEdit::singleline(&mut self.fetch_url)
                    .hint_text("https://…")
                    .desired_width(480.0)
                    .id_salt("article-url"),
            )
            .labelled_by(name.id);
        if std::mem::take(&mut self.focus_pending) {
            response.request_focus();
        }
        let enter = response.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
        ui.horizontal(|ui| {
            let idle = self.fetching.is_none();
            if (ui
                .add_enabled(idle, egui::Button::new("Fetch and add"))
                .clicked()
                || (enter && idle))
                && !self.fetch_url.trim().is_empty()
            {
                self.start_fetch(ctx);
            }
            if !idle {
                ui.spinner();
                ui.weak("Fetching…");
            }
        });
        ui.weak("The page is fetched once and kept in the workspace; only its text is read.");
    }

    fn start_fetch(&mut self, ctx: &egui::Context) {
        let url = self.fetch_url.trim().to_owned();
        if !is_web_url(&url) {
            self.error = Some(format!(
                "{url}: only http:// and https:// addresses are fetched"
            ));
            return;
        }
        self.error = None;
        let repaint = ctx.clone();
        self.fetching = Some(Job::spawn(
            format!("Fetching {url}"),
            move || repaint.request_repaint(),
            move |_| {
                web::fetch_article(&url, &web::url_id(&url), &web::Limits::default())
                    .map_err(|e| e.to_string())
            },
        ));
    }

    /// Fills the fields the analyst has not typed from what the text itself says.
    fn fill_from_text(&mut self) {
        let read = parse_article("pasted", self.text.clone());
        let found = [
            read.article.title.unwrap_or_default(),
            read.article.publisher.unwrap_or_default(),
            read.article
                .published
                .map(|d| d.to_string())
                .unwrap_or_default(),
            read.article.url.unwrap_or_default(),
        ];
        let fields = [
            &mut self.title,
            &mut self.publisher,
            &mut self.date,
            &mut self.url,
        ];
        for ((field, filled), value) in fields.into_iter().zip(&mut self.filled).zip(found) {
            if field.is_empty() || *field == *filled {
                field.clone_from(&value);
                *filled = value;
            }
        }
    }

    /// The pasted article with the fields as the analyst left them.
    fn pasted(&self) -> Result<Added, String> {
        let date = match self.date.trim() {
            "" => None,
            text => Some(
                text.parse::<jiff::civil::Date>()
                    .map_err(|_| format!("{text:?} is not a date (YYYY-MM-DD)"))?,
            ),
        };
        let url = self.url.trim();
        if !url.is_empty() && !is_web_url(url) {
            return Err(format!("{url:?}: only http(s) links are kept"));
        }
        let title = self.title.trim();
        let basis = if title.is_empty() {
            self.text.trim()
        } else {
            title
        };
        let id = pasted_id(basis, &self.text);
        let mut article = parse_article(&id, self.text.replace("\r\n", "\n"));
        let non_empty = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_owned());
        article.article.title = non_empty(&self.title);
        article.article.publisher = non_empty(&self.publisher);
        article.article.published = date;
        article.article.url = non_empty(url);
        Ok(Added {
            location: format!("pasted:{id}"),
            article,
        })
    }
}

/// "pasted-gunmen-kill-four-at-checkpoint-1a2b3c4d": the first words of the title, and a
/// hash of the text so two pastes never share an id.
fn pasted_id(title: &str, text: &str) -> String {
    let words: Vec<String> = title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(6)
        .map(str::to_lowercase)
        .collect();
    let hash = text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    });
    format!("pasted-{}-{:08x}", words.join("-"), hash as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_filled_from_the_text_but_typed_ones_are_kept() {
        let mut dialog = ArticleDialog::new(Mode::Paste);
        dialog.text = "Gunmen kill four at checkpoint\nExample Daily\nMarch 4, 2025\n\nBAQUBA — Gunmen killed four soldiers on Tuesday.".to_owned();
        dialog.fill_from_text();
        assert_eq!(dialog.title, "Gunmen kill four at checkpoint");
        assert_eq!(dialog.date, "2025-03-04");
        dialog.title = "My own title".to_owned();
        dialog.text = dialog.text.replace("March 4", "March 5");
        dialog.fill_from_text();
        assert_eq!(dialog.title, "My own title", "a typed field is left alone");
        assert_eq!(dialog.date, "2025-03-05", "a filled field follows the text");
        let added = dialog.pasted().expect("an article");
        assert_eq!(added.article.article.title.as_deref(), Some("My own title"));
        assert!(added.location.starts_with("pasted:pasted-my-own-title-"));
    }

    #[test]
    fn a_bad_date_or_link_is_said_not_saved() {
        let mut dialog = ArticleDialog::new(Mode::Paste);
        dialog.text = "Some text".to_owned();
        dialog.date = "last week".to_owned();
        assert!(dialog.pasted().is_err());
        dialog.date.clear();
        dialog.url = "javascript:alert(1)".to_owned();
        assert!(dialog.pasted().is_err());
    }
}
