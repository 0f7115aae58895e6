//! How the built-in basemap looks: our own walkers styles for its layers, light and dark, and
//! the font its town names need.
//!
//! The styles are MapLibre-style JSON (`assets/map-style-*.json`) in the subset walkers reads.
//! Two things differ from MapLibre and shape them:
//! - `["zoom"]` is the zoom of the tile being decoded, a whole number one below the map's zoom
//!   (walkers draws 512-pixel vector tiles), and a symbol layer's `minzoom` is compared with the
//!   map's zoom less one;
//! - walkers places labels of later style layers first, so the most important labels come
//!   last in the file.

use egui::{FontData, FontFamily, FontInsert, FontPriority, InsertFontFamily};
use walkers::Style;

use crate::view::basemap::Theme;

const LIGHT: &str = include_str!("../../assets/map-style-light.json");
const DARK: &str = include_str!("../../assets/map-style-dark.json");

/// Noto Sans (SIL Open Font License 1.1), for the GeoNames transliteration marks (Ḩ ḩ ẖ ẕ ḑ
/// and combining marks) that egui's own fonts lack.
pub const NOTO_SANS: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Regular.ttf");

/// Noto Sans Arabic (OFL, `assets/fonts/NotoSansArabic-OFL.txt`): Arabic article text and
/// names.
pub const NOTO_SANS_ARABIC: &[u8] = include_bytes!("../../assets/fonts/NotoSansArabic-Regular.ttf");

/// The style for the built-in basemap in this theme.
pub fn basemap_style(theme: Theme) -> Result<Style, String> {
    let (name, json) = match theme {
        Theme::Light => ("map-style-light.json", LIGHT),
        Theme::Dark => ("map-style-dark.json", DARK),
    };
    serde_json::from_str(json).map_err(|e| format!("{name}: {e}"))
}

/// Adds Noto Sans after egui's fonts, so that it draws only the characters they lack and the
/// rest of the interface keeps its look. Call once at start-up.
pub fn install_fonts(ctx: &egui::Context) {
    let families = [FontFamily::Proportional, FontFamily::Monospace]
        .into_iter()
        .map(|family| InsertFontFamily {
            family,
            priority: FontPriority::Lowest,
        })
        .collect();
    ctx.add_font(FontInsert::new(
        "NotoSans-Regular",
        FontData::from_static(NOTO_SANS),
        families,
    ));
    // Arabic letters, shaped by egui and put in reading order by `view::bidi`.
    ctx.add_font(FontInsert::new(
        "NotoSansArabic-Regular",
        FontData::from_static(NOTO_SANS_ARABIC),
        vec![InsertFontFamily {
            family: FontFamily::Proportional,
            priority: FontPriority::Lowest,
        }],
    ));
    // The interface's arrows (↑ ↓ ◀ ▶) are in neither of the text fonts.
    ctx.add_font(FontInsert::new(
        "Hack-Regular",
        FontData::from_static(epaint_default_fonts::HACK_REGULAR),
        vec![InsertFontFamily {
            family: FontFamily::Proportional,
            priority: FontPriority::Lowest,
        }],
    ));
}

#[cfg(test)]
mod tests {
    use super::*;
    use walkers::StyleLayer;

    #[test]
    fn both_styles_parse_and_draw_every_layer_of_the_basemap() {
        for theme in [Theme::Light, Theme::Dark] {
            let style = basemap_style(theme).unwrap_or_else(|e| panic!("{e}"));
            for layer in [
                "earth",
                "water",
                "boundaries",
                "places",
                "admin1",
                "coastline",
            ] {
                let drawn = style.layers.iter().any(|l| match l {
                    StyleLayer::Fill { source_layer, .. }
                    | StyleLayer::Line { source_layer, .. }
                    | StyleLayer::Symbol { source_layer, .. } => {
                        !source_layer.is_all() && source_layer.matches(layer)
                    }
                    _ => false,
                });
                assert!(drawn, "{theme:?} style draws nothing from `{layer}`");
            }
        }
    }

    /// The same rules in both themes, so that a change to one is not forgotten in the other.
    #[test]
    fn light_and_dark_have_the_same_layers() {
        let shape = |json: &str| -> Vec<String> {
            let value: serde_json::Value = serde_json::from_str(json).unwrap_or_default();
            value["layers"]
                .as_array()
                .map(|layers| {
                    layers
                        .iter()
                        .map(|l| format!("{} {} {}", l["id"], l["type"], l["filter"]))
                        .collect()
                })
                .unwrap_or_default()
        };
        assert!(!shape(LIGHT).is_empty());
        assert_eq!(shape(LIGHT), shape(DARK));
    }

    #[test]
    fn the_fonts_draw_transliterated_town_names() {
        let ctx = egui::Context::default();
        install_fonts(&ctx);
        // Fonts exist once a pass has run; its texture changes are not needed here.
        let mut output = ctx.run_ui(egui::RawInput::default(), |_| {});
        output.textures_delta.clear();
        let font = egui::FontId::proportional(12.0);
        for name in [
            "Al Ḩasakah",
            "Tall Ḩamīs",
            "Ţarţūs",
            "Al Ḩawīqah",
            "‘Āmūdā",
            "Ra’s al ‘Ayn",
        ] {
            assert!(
                ctx.fonts_mut(|f| f.has_glyphs(&font, name)),
                "no glyph for some letter of {name}"
            );
        }
    }
}
