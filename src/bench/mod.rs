//! `incident-map bench`: the program measuring itself. `bench frames` drives the real map view
//! headless over synthetic incidents and times the CPU side of each frame (layout and
//! tessellation); `bench ingest` times the extraction of incidents from generated articles;
//! `bench briefing` times briefing images of the bundled and of N synthetic incidents.
//! Each prints one JSON line; BENCHMARKS.md records the figures.

pub mod briefing;
pub mod frames;
pub mod ingest;
pub mod server;
pub mod synthetic;

/// Memory in use by this process, in MB: (now, peak), from /proc/self/status.
pub fn rss_mb() -> Option<(f64, f64)> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let field = |name: &str| -> Option<f64> {
        let line = status.lines().find(|l| l.starts_with(name))?;
        let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(kb / 1024.0)
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
}

/// The median and the 99th percentile of some durations in milliseconds (nearest rank).
pub fn median_and_p99(samples: &[f64]) -> (f64, f64) {
    if samples.is_empty() {
        return (0.0, 0.0);
    }
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    let rank = |q: f64| {
        let i = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len()) - 1;
        sorted[i]
    };
    let median = if sorted.len() % 2 == 1 {
        sorted[sorted.len() / 2]
    } else {
        (sorted[sorted.len() / 2 - 1] + sorted[sorted.len() / 2]) / 2.0
    };
    (median, rank(0.99))
}

/// Rounds for the JSON line: three decimals say enough about milliseconds.
pub fn round3(value: f64) -> f64 {
    (value * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_and_p99_by_nearest_rank() {
        let samples: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(median_and_p99(&samples), (50.5, 99.0));
        assert_eq!(median_and_p99(&[3.0, 1.0, 2.0]), (2.0, 3.0));
        assert_eq!(median_and_p99(&[]), (0.0, 0.0));
    }

    #[test]
    fn this_process_has_an_age_and_a_size() {
        let age = crate::process_age();
        assert!(age < std::time::Duration::from_secs(24 * 3600), "{age:?}");
        if cfg!(target_os = "linux") {
            let (now, peak) = rss_mb().expect("/proc/self/status");
            assert!(now > 0.0 && peak >= now);
        }
    }
}
