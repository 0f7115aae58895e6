//! Timeline playback: the chosen date range (or all dates) shown a day or a week at a time,
//! the window moving forward at a chosen speed; stopping brings the range back.

use jiff::ToSpan;
use jiff::civil::Date;

/// How far the window moves each step, and how wide it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Day,
    Week,
}

impl Step {
    pub fn label(self) -> &'static str {
        match self {
            Step::Day => "day",
            Step::Week => "week",
        }
    }

    fn days(self) -> i64 {
        match self {
            Step::Day => 1,
            Step::Week => 7,
        }
    }
}

/// Steps shown per second at each speed the control offers.
pub const SPEEDS: [f64; 4] = [0.5, 1.0, 2.0, 4.0];

/// A playback going on.
#[derive(Debug, Clone, PartialEq)]
struct Running {
    last: Date,
    /// The first day of the window shown now.
    current: Date,
    /// When the next step is due (the context's time, seconds).
    next_at: f64,
    paused: bool,
    /// The range set before playing, set again on stop.
    restore: (Option<Date>, Option<Date>),
}

/// The playback controls' settings and the playback going on, if any.
#[derive(Debug, Clone, PartialEq)]
pub struct Playback {
    pub step: Step,
    /// Steps per second.
    pub speed: f64,
    running: Option<Running>,
}

impl Default for Playback {
    fn default() -> Self {
        Self {
            step: Step::Day,
            speed: 1.0,
            running: None,
        }
    }
}

/// What a playback asks the window to show: a date range (`from`, `to`, both inclusive or
/// unset), or nothing new.
pub type Window = (Option<Date>, Option<Date>);

impl Playback {
    pub fn playing(&self) -> bool {
        self.running.as_ref().is_some_and(|r| !r.paused)
    }

    pub fn active(&self) -> bool {
        self.running.is_some()
    }

    /// The window shown now, for the controls' label.
    pub fn showing(&self) -> Option<(Date, Date)> {
        let running = self.running.as_ref()?;
        Some((
            running.current,
            self.window_end(running.current, running.last),
        ))
    }

    fn window_end(&self, start: Date, last: Date) -> Date {
        start
            .checked_add((self.step.days() - 1).days())
            .unwrap_or(start)
            .min(last)
    }

    /// Starts (or resumes) playing through `first..=last`; `restore` is the range to set again
    /// on stop. Returns the first window.
    pub fn play(&mut self, first: Date, last: Date, restore: Window, now: f64) -> Option<Window> {
        if let Some(running) = self.running.as_mut() {
            running.paused = false;
            running.next_at = now + 1.0 / self.speed;
            return None;
        }
        let (first, last) = (first.min(last), first.max(last));
        self.running = Some(Running {
            last,
            current: first,
            next_at: now + 1.0 / self.speed,
            paused: false,
            restore,
        });
        Some((Some(first), Some(self.window_end(first, last))))
    }

    pub fn pause(&mut self) {
        if let Some(running) = self.running.as_mut() {
            running.paused = true;
        }
    }

    /// Ends the playback; returns the range to set again.
    pub fn stop(&mut self) -> Option<Window> {
        self.running.take().map(|r| r.restore)
    }

    /// The next window when a step is due at `now`; the playback pauses on its last window.
    pub fn tick(&mut self, now: f64) -> Option<Window> {
        let step = self.step.days();
        let speed = self.speed;
        let running = self.running.as_mut().filter(|r| !r.paused)?;
        if now < running.next_at {
            return None;
        }
        let next = running.current.checked_add(step.days()).ok()?;
        if next > running.last {
            running.paused = true;
            return None;
        }
        running.current = next;
        running.next_at = now + 1.0 / speed;
        let current = running.current;
        let last = running.last;
        Some((Some(current), Some(self.window_end(current, last))))
    }

    /// Seconds until the next step (for the repaint request), while playing.
    pub fn due_in(&self, now: f64) -> Option<f64> {
        let running = self.running.as_ref().filter(|r| !r.paused)?;
        Some((running.next_at - now).max(0.0))
    }
}

/// What the user chose in the playback controls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Control {
    Play,
    Pause,
    Stop,
}

/// The controls: play or pause, stop, the step and the speed (changed in place).
pub fn controls(ui: &mut egui::Ui, playback: &mut Playback) -> Option<Control> {
    let mut chosen = None;
    ui.horizontal(|ui| {
        if playback.playing() {
            if ui.button("Pause").clicked() {
                chosen = Some(Control::Pause);
            }
        } else if ui
            .button("▶ Play")
            .on_hover_text("Show the date range a day or a week at a time")
            .clicked()
        {
            chosen = Some(Control::Play);
        }
        if playback.active() && ui.button("Stop").clicked() {
            chosen = Some(Control::Stop);
        }
        egui::ComboBox::new("playback-step", "Step")
            .selected_text(format!("by {}", playback.step.label()))
            .width(80.0)
            .show_ui(ui, |ui| {
                for step in [Step::Day, Step::Week] {
                    ui.selectable_value(&mut playback.step, step, format!("by {}", step.label()));
                }
            });
        egui::ComboBox::new("playback-speed", "Speed")
            .selected_text(speed_label(playback.speed))
            .width(70.0)
            .show_ui(ui, |ui| {
                for speed in SPEEDS {
                    ui.selectable_value(&mut playback.speed, speed, speed_label(speed));
                }
            });
        if let Some((from, to)) = playback.showing() {
            if from == to {
                ui.strong(format!("Showing {from}"));
            } else {
                ui.strong(format!("Showing {from} to {to}"));
            }
        }
    });
    chosen
}

fn speed_label(speed: f64) -> String {
    format!("{speed} / s")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn playback_steps_through_the_range_and_gives_it_back() {
        let first = jiff::civil::date(2022, 1, 20);
        let last = jiff::civil::date(2022, 1, 23);
        let mut playback = Playback::default();
        let restore = (None, Some(last));
        assert_eq!(
            playback.play(first, last, restore, 0.0),
            Some((Some(first), Some(first)))
        );
        assert!(playback.playing());
        // One step a second: nothing before it is due.
        assert_eq!(playback.tick(0.5), None);
        let day = |d| Some(jiff::civil::date(2022, 1, d));
        assert_eq!(playback.tick(1.0), Some((day(21), day(21))));
        assert_eq!(playback.tick(2.0), Some((day(22), day(22))));
        assert_eq!(playback.tick(3.0), Some((day(23), day(23))));
        // The end: it stays on the last window, paused.
        assert_eq!(playback.tick(4.0), None);
        assert!(!playback.playing() && playback.active());
        assert_eq!(playback.stop(), Some(restore));
        assert!(!playback.active());
    }

    #[test]
    fn a_week_window_is_seven_days_and_faster_speeds_step_sooner() {
        let first = jiff::civil::date(2022, 1, 1);
        let last = jiff::civil::date(2022, 1, 31);
        let mut playback = Playback {
            step: Step::Week,
            speed: 4.0,
            ..Playback::default()
        };
        let window = playback.play(first, last, (None, None), 10.0);
        assert_eq!(
            window,
            Some((Some(first), Some(jiff::civil::date(2022, 1, 7))))
        );
        assert_eq!(
            playback.tick(10.25),
            Some((
                Some(jiff::civil::date(2022, 1, 8)),
                Some(jiff::civil::date(2022, 1, 14))
            ))
        );
        playback.pause();
        assert_eq!(playback.tick(20.0), None);
        // The last window is cut at the range's end.
        playback.play(first, last, (None, None), 20.0);
        for now in [21.0, 22.0, 23.0] {
            playback.tick(now);
        }
        assert_eq!(
            playback.showing(),
            Some((
                jiff::civil::date(2022, 1, 29),
                jiff::civil::date(2022, 1, 31)
            ))
        );
    }
}
