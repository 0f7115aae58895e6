//! Work done off the window's thread: opening data, rendering a briefing, writing an export.
//! One type for all of them: a thread, its progress, its result, a repaint when either
//! arrives, and cancellation when the job is dropped (the work may look at
//! [`Progress::cancelled`] and stop early; its result is then thrown away).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, TryRecvError, channel};

/// What the work sends back.
enum Message<T> {
    Progress(f32, String),
    Done(T),
}

/// The handle the work reports through.
pub struct Progress<T> {
    sender: Sender<Message<T>>,
    repaint: Arc<dyn Fn() + Send + Sync>,
    cancelled: Arc<AtomicBool>,
}

impl<T> Progress<T> {
    /// Reports the fraction done (0 to 1) and what is happening.
    pub fn report(&self, fraction: f32, message: impl Into<String>) {
        let _ = self
            .sender
            .send(Message::Progress(fraction.clamp(0.0, 1.0), message.into()));
        (self.repaint)();
    }

    /// Whether the job's owner has let it go.
    pub fn cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Relaxed)
    }
}

/// A background job and what it last reported.
pub struct Job<T> {
    /// What the job does, for the user ("Opening incidents.json").
    pub what: String,
    /// Fraction done and the last message.
    pub progress: f32,
    pub message: String,
    receiver: Receiver<Message<T>>,
    cancelled: Arc<AtomicBool>,
}

impl<T: Send + 'static> Job<T> {
    /// Starts `work` on its own thread; `repaint` is called whenever it reports or finishes
    /// (the window passes its context's `request_repaint`).
    pub fn spawn(
        what: impl Into<String>,
        repaint: impl Fn() + Send + Sync + 'static,
        work: impl FnOnce(&Progress<T>) -> T + Send + 'static,
    ) -> Self {
        let (sender, receiver) = channel();
        let cancelled = Arc::new(AtomicBool::new(false));
        let progress = Progress {
            sender,
            repaint: Arc::new(repaint),
            cancelled: Arc::clone(&cancelled),
        };
        std::thread::spawn(move || {
            let result = work(&progress);
            let _ = progress.sender.send(Message::Done(result));
            (progress.repaint)();
        });
        Self {
            what: what.into(),
            progress: 0.0,
            message: "Starting".to_owned(),
            receiver,
            cancelled,
        }
    }
}

/// What [`Job::poll`] found.
#[derive(Debug, PartialEq)]
pub enum Poll<T> {
    /// Still running.
    Running,
    /// Finished with this result.
    Done(T),
    /// The thread ended without a result (it panicked).
    Lost,
}

impl<T> Job<T> {
    /// Takes in what the work reported since the last call, and its result once it is done.
    pub fn poll(&mut self) -> Poll<T> {
        loop {
            match self.receiver.try_recv() {
                Ok(Message::Progress(fraction, message)) => {
                    self.progress = fraction;
                    self.message = message;
                }
                Ok(Message::Done(result)) => return Poll::Done(result),
                Err(TryRecvError::Empty) => return Poll::Running,
                Err(TryRecvError::Disconnected) => return Poll::Lost,
            }
        }
    }
}

impl<T> Job<Result<T, String>> {
    /// The result once the work is done; a thread that ended without one is an error that
    /// names the job.
    pub fn finished(&mut self) -> Option<Result<T, String>> {
        match self.poll() {
            Poll::Running => None,
            Poll::Done(result) => Some(result),
            Poll::Lost => Some(Err(format!("{} stopped unexpectedly", self.what))),
        }
    }
}

impl<T> Drop for Job<T> {
    fn drop(&mut self) {
        self.cancelled.store(true, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;
    use std::time::{Duration, Instant};

    /// How long a test waits for a job before it fails: generous, because a panicking job's
    /// backtrace is symbolised from a large debug binary first, slow on a loaded machine.
    const PATIENCE: Duration = Duration::from_secs(120);

    fn wait<T>(job: &mut Job<T>) -> Poll<T> {
        let started = Instant::now();
        loop {
            match job.poll() {
                Poll::Running if started.elapsed() < PATIENCE => {
                    std::thread::sleep(Duration::from_millis(2));
                }
                other => return other,
            }
        }
    }

    #[test]
    fn a_job_reports_progress_then_its_result_and_asks_for_repaints() {
        let repaints = Arc::new(AtomicUsize::new(0));
        let counted = Arc::clone(&repaints);
        let (go, gate) = channel::<()>();
        let mut job = Job::spawn(
            "adding",
            move || {
                counted.fetch_add(1, Ordering::Relaxed);
            },
            move |progress| {
                progress.report(0.5, "half way");
                let _ = gate.recv();
                2 + 2
            },
        );
        assert_eq!(job.what, "adding");
        // Progress arrives while the work waits.
        let started = Instant::now();
        while job.message != "half way" && started.elapsed() < Duration::from_secs(10) {
            assert_eq!(job.poll(), Poll::Running);
            std::thread::sleep(Duration::from_millis(2));
        }
        assert_eq!(job.progress, 0.5);
        let _ = go.send(());
        assert_eq!(wait(&mut job), Poll::Done(4));
        assert_eq!(
            repaints.load(Ordering::Relaxed),
            2,
            "one per report, one at the end"
        );
    }

    #[test]
    fn dropping_a_job_cancels_it_and_a_panic_is_lost_not_hung() {
        let (seen, saw) = channel::<bool>();
        let (go, gate) = channel::<()>();
        let job = Job::spawn(
            "waiting",
            || {},
            move |progress| {
                let _ = gate.recv();
                let _ = seen.send(progress.cancelled());
            },
        );
        drop(job);
        let _ = go.send(());
        assert_eq!(saw.recv_timeout(Duration::from_secs(10)), Ok(true));

        let mut job: Job<()> = Job::spawn("failing", || {}, |_| panic!("the work failed"));
        assert_eq!(wait(&mut job), Poll::Lost);
        let mut job: Job<Result<(), String>> =
            Job::spawn("Saving x.png", || {}, |_| panic!("the work failed"));
        let started = Instant::now();
        let outcome = loop {
            if let Some(outcome) = job.finished() {
                break outcome;
            }
            assert!(started.elapsed() < PATIENCE);
            std::thread::sleep(Duration::from_millis(2));
        };
        assert_eq!(outcome, Err("Saving x.png stopped unexpectedly".to_owned()));
    }
}
