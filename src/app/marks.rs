//! The analyst's marks in the viewer: a small tool bar over the map (Text, Arrow, Circle,
//! Area), drawing them with the pointer, selecting one (click), moving it (drag), rewording it
//! (double-click or "Edit text") and deleting it (Delete or the button). Every change goes
//! through an [`Action`] to the workspace, which saves it in the workspace file.

use egui::{Align2, FontId, Key, Pos2, Response, Ui};
use walkers::Projector;

use crate::view::annotations::{self, Ink};
use crate::view::panels::Action;
use crate::workspace::annotations::{Annotation, LatLon, Mark};

/// The drawing tools.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tool {
    Text,
    Arrow,
    Circle,
    Area,
}

impl Tool {
    pub const ALL: [Tool; 4] = [Tool::Text, Tool::Arrow, Tool::Circle, Tool::Area];

    pub fn label(self) -> &'static str {
        match self {
            Self::Text => "Callout",
            Self::Arrow => "Arrow",
            Self::Circle => "Circle",
            Self::Area => "Area",
        }
    }

    fn hint(self) -> &'static str {
        match self {
            Self::Text => "Click the place the callout points at",
            Self::Arrow => "Drag from the arrow's tail to its head",
            Self::Circle => "Drag from the centre outwards",
            Self::Area => "Click each corner; double-click or Enter to close the area",
        }
    }
}

/// The words of a mark, being typed: for a new mark (no id) or one being reworded.
#[derive(Debug, Clone, PartialEq)]
pub struct Wording {
    pub id: Option<i64>,
    pub mark: Mark,
    pub text: String,
}

/// The viewer's state for marks.
#[derive(Debug, Default)]
pub struct Marks {
    pub tool: Option<Tool>,
    /// A mark being drawn.
    pub draft: Option<Mark>,
    pub selected: Option<i64>,
    pub wording: Option<Wording>,
    /// The mark under the pointer in the last frame.
    hovered: Option<i64>,
    /// Whether the pointer was pressed down on a mark (and is still down).
    pressed_mark: bool,
    /// A mark being dragged: its id, where the drag started on the map, and the mark moved.
    moving: Option<(i64, LatLon, Mark)>,
}

/// What the pointer did to the marks this frame.
#[derive(Debug, Default)]
pub struct MapMarks {
    /// The pointer was used by the marks: the incidents must not take the click.
    pub consumed: bool,
    pub action: Option<Action>,
}

fn font() -> FontId {
    FontId::proportional(14.0)
}

/// A rough distance in kilometres (equirectangular; marks are sketches, not surveys).
fn km_between(a: LatLon, b: LatLon) -> f64 {
    let mean = ((a.lat + b.lat) / 2.0).to_radians();
    let dx = (b.lon - a.lon).to_radians() * mean.cos();
    let dy = (b.lat - a.lat).to_radians();
    6371.0 * (dx * dx + dy * dy).sqrt()
}

impl Marks {
    /// Whether a drag pans the map: not while a tool draws or a mark is pressed.
    pub fn lets_map_pan(&self, ui: &Ui) -> bool {
        let pressing_mark =
            (self.hovered.is_some() || self.pressed_mark) && ui.input(|i| i.pointer.primary_down());
        self.tool.is_none() && self.moving.is_none() && !pressing_mark
    }

    /// Draws the marks and the draft, and handles the pointer on the map. Called inside the
    /// map, after the incidents are drawn.
    pub fn on_map(
        &mut self,
        ui: &Ui,
        response: &Response,
        projector: &Projector,
        list: &[Annotation],
    ) -> MapMarks {
        let painter = ui.painter().with_clip_rect(projector.clip_rect());
        let ink = Ink::for_theme(ui.visuals().dark_mode);
        let shown: Vec<Annotation> = match &self.moving {
            Some((id, _, mark)) => list
                .iter()
                .map(|a| {
                    if a.id == *id {
                        Annotation {
                            mark: mark.clone(),
                            ..a.clone()
                        }
                    } else {
                        a.clone()
                    }
                })
                .collect(),
            None => list.to_vec(),
        };
        annotations::draw(&painter, projector, &shown, self.selected, ink, &font());
        if let Some(draft) = &self.draft {
            annotations::draw_draft(&painter, projector, draft, ink);
        }
        let pointer = response.hover_pos();
        self.hovered =
            pointer.and_then(|p| annotations::hit(&painter, projector, list, p, &font()));
        let at = |pos: Pos2| annotations::to_map(projector, pos);
        let mut out = MapMarks::default();
        if let Some(tool) = self.tool {
            out.consumed = true;
            self.use_tool(tool, ui, response, projector);
            if let (Some(p), Tool::Area) = (pointer, tool)
                && let Some(Mark::Area { ring }) = &mut self.draft
            {
                // The edge the next click adds.
                if let Some(last) = ring.last() {
                    painter.line_segment(
                        [annotations::to_screen(projector, *last), p],
                        egui::Stroke::new(1.5, ink.selected),
                    );
                }
            }
            ui.ctx().set_cursor_icon(egui::CursorIcon::Crosshair);
            let hint_at = projector.clip_rect().center_top() + egui::vec2(0.0, 12.0);
            let galley = painter.layout_no_wrap(tool.hint().to_owned(), font(), ink.ink);
            let rect =
                Align2::CENTER_TOP.anchor_size(hint_at, galley.size() + egui::vec2(16.0, 8.0));
            painter.rect_filled(rect, 4.0, ink.paper);
            painter.galley(rect.min + egui::vec2(8.0, 4.0), galley, ink.ink);
            return out;
        }
        // Moving the selected (or pressed) mark.
        // Where the drag began, not where the pointer is once it counts as a drag.
        let pressed_on = ui.input(|i| i.pointer.press_origin()).and_then(|p| {
            annotations::hit(&painter, projector, list, p, &font()).map(|id| (id, p))
        });
        self.pressed_mark = pressed_on.is_some() && ui.input(|i| i.pointer.primary_down());
        if response.drag_started()
            && let Some((id, p)) = pressed_on
            && let Some(a) = list.iter().find(|a| a.id == id)
        {
            self.selected = Some(id);
            self.moving = Some((id, at(p), a.mark.clone()));
        }
        if let Some((id, start, _)) = self.moving.clone() {
            out.consumed = true;
            if let Some(p) = response.interact_pointer_pos().or(pointer)
                && let Some(a) = list.iter().find(|a| a.id == id)
            {
                let now = at(p);
                let by = LatLon::new(now.lat - start.lat, now.lon - start.lon);
                self.moving = Some((id, start, a.mark.moved(by)));
            }
            let released = response.drag_stopped() || !ui.input(|i| i.pointer.any_down());
            if released
                && let Some((id, _, mark)) = self.moving.take()
                && let Some(a) = list.iter().find(|a| a.id == id)
                && mark != a.mark
            {
                out.action = Some(Action::UpdateAnnotation {
                    id,
                    mark,
                    text: a.text.clone(),
                });
            }
            return out;
        }
        if response.double_clicked()
            && let Some(id) = self.hovered
        {
            self.selected = Some(id);
            self.reword(list);
            out.consumed = true;
        } else if response.clicked() {
            if let Some(id) = self.hovered {
                self.selected = Some(id);
                out.consumed = true;
            } else {
                self.selected = None;
            }
        }
        out
    }

    fn use_tool(&mut self, tool: Tool, ui: &Ui, response: &Response, projector: &Projector) {
        let at = |pos: Pos2| annotations::to_map(projector, pos);
        let pointer = response.interact_pointer_pos();
        match tool {
            Tool::Text => {
                if response.clicked()
                    && let Some(p) = pointer
                {
                    self.finish(Mark::Text { at: at(p) });
                }
            }
            Tool::Arrow | Tool::Circle => {
                if response.drag_started()
                    && let Some(p) = pointer
                {
                    let p = at(p);
                    self.draft = Some(match tool {
                        Tool::Arrow => Mark::Arrow { from: p, to: p },
                        _ => Mark::Circle {
                            center: p,
                            radius_km: 0.1,
                        },
                    });
                }
                if let Some(p) = pointer {
                    let p = at(p);
                    match &mut self.draft {
                        Some(Mark::Arrow { to, .. }) => *to = p,
                        Some(Mark::Circle { center, radius_km }) => {
                            *radius_km = km_between(*center, p).max(0.1);
                        }
                        _ => {}
                    }
                }
                if response.drag_stopped()
                    && let Some(draft) = self.draft.take()
                {
                    self.finish(draft);
                }
            }
            Tool::Area => {
                let close = response.double_clicked() || ui.input(|i| i.key_pressed(Key::Enter));
                if close {
                    if let Some(Mark::Area { ring }) = self.draft.take() {
                        let mut ring = ring;
                        // A double-click's clicks added the last corner twice.
                        ring.dedup_by(|a, b| {
                            (a.lat - b.lat).abs() < 1e-9 && (a.lon - b.lon).abs() < 1e-9
                        });
                        if ring.len() >= 3 {
                            self.finish(Mark::Area { ring });
                        }
                    }
                } else if response.clicked()
                    && let Some(p) = pointer
                {
                    match &mut self.draft {
                        Some(Mark::Area { ring }) => ring.push(at(p)),
                        _ => self.draft = Some(Mark::Area { ring: vec![at(p)] }),
                    }
                }
            }
        }
    }

    /// A drawn mark asks for its words.
    fn finish(&mut self, mark: Mark) {
        self.tool = None;
        self.draft = None;
        self.wording = Some(Wording {
            id: None,
            mark,
            text: String::new(),
        });
    }

    fn reword(&mut self, list: &[Annotation]) {
        if let Some(a) = self
            .selected
            .and_then(|id| list.iter().find(|a| a.id == id))
        {
            self.wording = Some(Wording {
                id: Some(a.id),
                mark: a.mark.clone(),
                text: a.text.clone(),
            });
        }
    }

    /// Esc leaves a tool (and drops its draft); Delete removes the selected mark.
    pub fn keys(&mut self, ui: &Ui) -> Option<Action> {
        if ui.ctx().egui_wants_keyboard_input() || self.wording.is_some() {
            return None;
        }
        if self.tool.is_some() && ui.input(|i| i.key_pressed(Key::Escape)) {
            self.tool = None;
            self.draft = None;
            return None;
        }
        let delete = ui.input_mut(|i| {
            i.consume_key(egui::Modifiers::NONE, Key::Delete)
                || i.consume_key(egui::Modifiers::NONE, Key::Backspace)
        });
        if delete && let Some(id) = self.selected.take() {
            return Some(Action::DeleteAnnotation(id));
        }
        None
    }

    /// The tool bar at the map's bottom right: the tools, and for the selected mark its text
    /// and delete buttons.
    pub fn toolbar(
        &mut self,
        ui: &Ui,
        map_rect: egui::Rect,
        list: &[Annotation],
    ) -> Option<Action> {
        let mut action = None;
        egui::Area::new(egui::Id::unique("marks-toolbar"))
            .fixed_pos(map_rect.right_bottom() - egui::vec2(12.0, 36.0))
            .pivot(Align2::RIGHT_BOTTOM)
            .show(ui.ctx(), |ui| {
                egui::Frame::popup(ui.style()).show(ui, |ui| {
                    ui.horizontal(|ui| {
                        ui.label("Mark:");
                        for tool in Tool::ALL {
                            let on = self.tool == Some(tool);
                            if ui.selectable_label(on, tool.label()).clicked() {
                                self.tool = if on { None } else { Some(tool) };
                                self.draft = None;
                                self.selected = None;
                            }
                        }
                        if let Some(id) = self.selected {
                            ui.separator();
                            if ui.button("Edit text").clicked() {
                                self.reword(list);
                            }
                            if ui.button("Delete mark").clicked() {
                                self.selected = None;
                                action = Some(Action::DeleteAnnotation(id));
                            }
                        }
                    });
                });
            });
        action
    }

    /// The window that takes a mark's words: Save adds the mark (or rewords it), Cancel drops
    /// a new mark.
    pub fn wording_window(&mut self, ctx: &egui::Context) -> Option<Action> {
        let wording = self.wording.as_mut()?;
        let mut action = None;
        let mut close = false;
        let needs_words = matches!(wording.mark, Mark::Text { .. });
        egui::Window::new("Annotation")
            .id(egui::Id::unique("annotation-wording"))
            .collapsible(false)
            .resizable(false)
            .show(ctx, |ui| {
                let prompt = if needs_words {
                    "Text of the callout"
                } else {
                    "Label (optional)"
                };
                let label = ui.label(prompt);
                let edit = ui
                    .add(
                        egui::TextEdit::multiline(&mut wording.text)
                            .desired_rows(2)
                            .desired_width(300.0)
                            .hint_text("ISIS remnants active here"),
                    )
                    .labelled_by(label.id);
                if !edit.has_focus() && wording.text.is_empty() {
                    edit.request_focus();
                }
                ui.horizontal(|ui| {
                    let ready = !needs_words || !wording.text.trim().is_empty();
                    if ui.add_enabled(ready, egui::Button::new("Save")).clicked() {
                        action = Some(match wording.id {
                            Some(id) => Action::UpdateAnnotation {
                                id,
                                mark: wording.mark.clone(),
                                text: wording.text.clone(),
                            },
                            None => Action::Annotate {
                                mark: wording.mark.clone(),
                                text: wording.text.clone(),
                            },
                        });
                        close = true;
                    }
                    if ui.button("Cancel").clicked() {
                        close = true;
                    }
                });
            });
        if close || ctx.input(|i| i.key_pressed(Key::Escape)) {
            self.wording = None;
        }
        action
    }
}
