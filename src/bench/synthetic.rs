//! Synthetic data for the benchmarks, the same for the same seed on every machine: incidents
//! clustered around real towns of Iraq and Syria over six years, and news-like articles about
//! attacks in those towns.

use jiff::civil::Date;

use crate::store::{
    Article, DatePrecision, Incident, Location, LocationPrecision, SCHEMA, Source, Store,
    SubEventType,
};

/// A small xorshift generator: deterministic, fast, and no dependency.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        // Zero would stay zero forever.
        Self(seed ^ 0x9e37_79b9_7f4a_7c15 | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in 0..n (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.unit() * n as f64) as usize % n.max(1)
    }

    /// Roughly normal with mean 0 and deviation 1 (sum of four uniforms, rescaled): cheap and
    /// bounded, which keeps every point near its town.
    pub fn normalish(&mut self) -> f64 {
        let sum: f64 = (0..4).map(|_| self.unit()).sum();
        (sum - 2.0) * 3f64.sqrt()
    }

    /// An item chosen by weight.
    pub fn weighted<'a, T>(&mut self, items: &'a [(T, u32)]) -> &'a T {
        let total: u32 = items.iter().map(|(_, w)| w).sum();
        let mut pick = self.below(total.max(1) as usize) as u32;
        for (item, weight) in items {
            if pick < *weight {
                return item;
            }
            pick -= weight;
        }
        &items[items.len() - 1].0
    }
}

/// A town incidents gather around.
pub struct Town {
    pub name: &'static str,
    pub admin1: &'static str,
    pub country: &'static str,
    pub lat: f64,
    pub lon: f64,
    /// How many incidents it draws, relatively.
    pub weight: u32,
}

const fn town(
    name: &'static str,
    admin1: &'static str,
    country: &'static str,
    lat: f64,
    lon: f64,
    weight: u32,
) -> Town {
    Town {
        name,
        admin1,
        country,
        lat,
        lon,
        weight,
    }
}

/// Towns of Iraq and Syria where incidents are reported, weighted roughly as ACLED's counts.
pub const TOWNS: [Town; 57] = [
    town("Baghdad", "Baghdad", "IQ", 33.315, 44.366, 10),
    town("Mosul", "Nineveh", "IQ", 36.340, 43.130, 8),
    town("Basra", "Basra", "IQ", 30.508, 47.783, 5),
    town("Kirkuk", "Kirkuk", "IQ", 35.468, 44.392, 6),
    town("Erbil", "Erbil", "IQ", 36.191, 44.009, 4),
    town("Sulaymaniyah", "Sulaymaniyah", "IQ", 35.557, 45.435, 3),
    town("Fallujah", "Anbar", "IQ", 33.350, 43.783, 6),
    town("Ramadi", "Anbar", "IQ", 33.426, 43.299, 6),
    town("Tikrit", "Salah al-Din", "IQ", 34.616, 43.678, 5),
    town("Samarra", "Salah al-Din", "IQ", 34.198, 43.874, 5),
    town("Baqubah", "Diyala", "IQ", 33.750, 44.643, 6),
    town("Najaf", "Najaf", "IQ", 32.000, 44.336, 2),
    town("Karbala", "Karbala", "IQ", 32.616, 44.025, 2),
    town("Hillah", "Babil", "IQ", 32.483, 44.433, 2),
    town("Nasiriyah", "Dhi Qar", "IQ", 31.052, 46.261, 3),
    town("Amarah", "Maysan", "IQ", 31.836, 47.144, 2),
    town("Kut", "Wasit", "IQ", 32.506, 45.824, 2),
    town("Diwaniyah", "Al-Qadisiyyah", "IQ", 31.992, 44.925, 2),
    town("Samawah", "Muthanna", "IQ", 31.318, 45.280, 1),
    town("Duhok", "Duhok", "IQ", 36.867, 42.988, 2),
    town("Tal Afar", "Nineveh", "IQ", 36.374, 42.449, 4),
    town("Sinjar", "Nineveh", "IQ", 36.322, 41.876, 4),
    town("Haditha", "Anbar", "IQ", 34.139, 42.378, 3),
    town("Al-Qaim", "Anbar", "IQ", 34.380, 41.090, 4),
    town("Rutba", "Anbar", "IQ", 33.038, 40.284, 1),
    town("Hit", "Anbar", "IQ", 33.637, 42.827, 2),
    town("Bayji", "Salah al-Din", "IQ", 34.929, 43.493, 3),
    town("Tuz Khurmatu", "Salah al-Din", "IQ", 34.884, 44.633, 3),
    town("Khanaqin", "Diyala", "IQ", 34.348, 45.391, 2),
    town("Muqdadiyah", "Diyala", "IQ", 33.978, 44.937, 3),
    town("Makhmur", "Erbil", "IQ", 35.776, 43.580, 2),
    town("Hawija", "Kirkuk", "IQ", 35.322, 43.770, 3),
    town("Damascus", "Damascus", "SY", 33.513, 36.292, 8),
    town("Aleppo", "Aleppo", "SY", 36.202, 37.134, 8),
    town("Homs", "Homs", "SY", 34.731, 36.709, 5),
    town("Hama", "Hama", "SY", 35.132, 36.751, 4),
    town("Idlib", "Idlib", "SY", 35.931, 36.634, 8),
    town("Latakia", "Latakia", "SY", 35.523, 35.792, 2),
    town("Tartus", "Tartus", "SY", 34.889, 35.887, 1),
    town("Deir ez-Zor", "Deir ez-Zor", "SY", 35.336, 40.140, 7),
    town("Raqqa", "Raqqa", "SY", 35.952, 39.009, 6),
    town("Al-Hasakah", "Al-Hasakah", "SY", 36.502, 40.747, 5),
    town("Qamishli", "Al-Hasakah", "SY", 37.052, 41.231, 4),
    town("Daraa", "Daraa", "SY", 32.625, 36.106, 5),
    town("As-Suwayda", "As-Suwayda", "SY", 32.709, 36.566, 2),
    town("Palmyra", "Homs", "SY", 34.560, 38.284, 3),
    town("Al-Bukamal", "Deir ez-Zor", "SY", 34.453, 40.918, 5),
    town("Mayadin", "Deir ez-Zor", "SY", 35.019, 40.451, 4),
    town("Manbij", "Aleppo", "SY", 36.528, 37.955, 4),
    town("Afrin", "Aleppo", "SY", 36.512, 36.869, 3),
    town("Kobani", "Aleppo", "SY", 36.891, 38.354, 2),
    town("Al-Bab", "Aleppo", "SY", 36.371, 37.517, 3),
    town("Tal Abyad", "Raqqa", "SY", 36.697, 38.955, 2),
    town("Ras al-Ayn", "Al-Hasakah", "SY", 36.850, 40.070, 2),
    town("Jisr al-Shughur", "Idlib", "SY", 35.812, 36.319, 3),
    town("Maarat al-Numan", "Idlib", "SY", 35.643, 36.675, 3),
    town("Quneitra", "Quneitra", "SY", 33.126, 35.824, 1),
];

/// Areas and lines whose shapes the bundled gazetteer holds: (gazetteer id, name, admin1,
/// precision, lat, lon). A few incidents in a hundred are coded to them, as in ACLED.
const AREAS: [(&str, &str, &str, LocationPrecision, f64, f64); 3] = [
    (
        "geonames:96965",
        "Diyala",
        "Diyala",
        LocationPrecision::Admin1,
        33.9882,
        45.1046,
    ),
    (
        "geonames:173813",
        "Al-Hasakah",
        "Al-Hasakah",
        LocationPrecision::Admin1,
        36.3536,
        40.9092,
    ),
    (
        "local:iraq-syria-border",
        "Iraq–Syria border",
        "Nineveh",
        LocationPrecision::Border,
        34.876,
        41.204,
    ),
];

const SUB_EVENTS: [(SubEventType, u32); 16] = [
    (SubEventType::ArmedClash, 20),
    (SubEventType::Attack, 14),
    (SubEventType::AirDroneStrike, 12),
    (SubEventType::ShellingArtilleryMissileAttack, 12),
    (SubEventType::RemoteExplosiveLandmineIed, 10),
    (SubEventType::PeacefulProtest, 10),
    (SubEventType::AbductionForcedDisappearance, 4),
    (SubEventType::ProtestWithIntervention, 3),
    (SubEventType::ViolentDemonstration, 3),
    (SubEventType::Arrests, 3),
    (SubEventType::Grenade, 2),
    (SubEventType::GovernmentRegainsTerritory, 2),
    (SubEventType::LootingPropertyDestruction, 2),
    (SubEventType::SuicideBomb, 1),
    (SubEventType::MobViolence, 1),
    (SubEventType::ChangeToGroupActivity, 1),
];

const ACTORS: [&str; 15] = [
    "Islamic State",
    "Syrian Democratic Forces",
    "Military Forces of Syria",
    "Military Forces of Iraq",
    "Popular Mobilization Forces",
    "Hayat Tahrir al-Sham",
    "Syrian National Army",
    "Military Forces of Turkey",
    "Unidentified Armed Group",
    "Protesters",
    "Civilians",
    "Kurdistan Workers' Party",
    "Peshmerga",
    "Military Forces of Russia",
    "Military Forces of the United States",
];

/// Articles the synthetic incidents cite; few, as the map does not read them.
const ARTICLES: usize = 200;
const FIRST_DAY: (i16, i8, i8) = (2019, 1, 1);
const DAYS: i64 = 6 * 365;

/// `n` incidents spread over the region, gathered around towns, over six years, with mixed
/// types, actors and fatalities; the same for the same seed.
pub fn incidents(n: usize, seed: u64) -> Store {
    let mut rng = Rng::new(seed);
    let towns: Vec<(&Town, u32)> = TOWNS.iter().map(|t| (t, t.weight)).collect();
    let first = jiff::civil::date(FIRST_DAY.0, FIRST_DAY.1, FIRST_DAY.2);
    let articles: Vec<Article> = (0..ARTICLES)
        .map(|i| {
            let t = &TOWNS[i % TOWNS.len()];
            Article {
                id: format!("syn-a{i:03}"),
                title: Some(format!("Violence reported near {}", t.name)),
                publisher: Some(["Rudaw", "Enab Baladi", "Shafaq News"][i % 3].to_owned()),
                published: Some(day(first, (i as i64 * 11) % DAYS)),
                url: None,
                text: format!(
                    "Security sources in {} said several incidents were reported in {} this week.",
                    t.name, t.admin1
                ),
            }
        })
        .collect();
    let incidents = (0..n)
        .map(|i| {
            let sub = *rng.weighted(&SUB_EVENTS);
            let actor = ACTORS[rng.below(ACTORS.len())];
            let location = if rng.below(100) < 3 {
                let (id, name, admin1, precision, lat, lon) = AREAS[rng.below(AREAS.len())];
                Location {
                    name: name.to_owned(),
                    country: Some("IQ".to_owned()),
                    admin1: Some(admin1.to_owned()),
                    admin2: None,
                    admin3: None,
                    precision,
                    lat,
                    lon,
                    gazetteer_id: Some(id.to_owned()),
                    confidence: None,
                }
            } else {
                let t = *rng.weighted(&towns);
                // Towns' surroundings: a few kilometres for most, tens for the busiest.
                let spread = 0.03 + 0.012 * f64::from(t.weight);
                Location {
                    name: t.name.to_owned(),
                    country: Some(t.country.to_owned()),
                    admin1: Some(t.admin1.to_owned()),
                    admin2: None,
                    admin3: None,
                    precision: LocationPrecision::Point,
                    lat: t.lat + spread * rng.normalish(),
                    lon: t.lon + spread * rng.normalish(),
                    gazetteer_id: None,
                    confidence: None,
                }
            };
            let (date, date_precision) = match rng.below(100) {
                0 => (None, DatePrecision::Unknown),
                1..=4 => (
                    Some(day(first, rng.below(DAYS as usize) as i64).first_of_month()),
                    DatePrecision::Month,
                ),
                _ => (
                    Some(day(first, rng.below(DAYS as usize) as i64)),
                    DatePrecision::Day,
                ),
            };
            let fatalities = match rng.below(100) {
                0..=44 => None,
                45..=69 => Some(0),
                _ => Some((rng.unit() * 4.0).exp() as u32),
            };
            let article = &articles[i % ARTICLES];
            let summary = format!(
                "{} involving {} near {}",
                sub.as_str(),
                actor,
                location.name
            );
            Incident {
                id: format!("syn-{i:07}"),
                date,
                date_precision,
                event_type: sub.event_type(),
                sub_event_type: sub,
                actors: vec![actor.to_owned()],
                fatalities,
                counts: Default::default(),
                location,
                sources: vec![Source {
                    article: article.id.clone(),
                    start: 0,
                    end: article.text.chars().count(),
                }],
                summary,
                review: Default::default(),
                coded: None,
            }
        })
        .collect();
    Store {
        schema: SCHEMA.to_owned(),
        articles,
        incidents,
    }
}

fn day(first: Date, offset: i64) -> Date {
    first
        .checked_add(jiff::Span::new().days(offset))
        .unwrap_or(first)
}

/// Verbs of news sentences, by what happened.
const REPORTS: [&str; 8] = [
    "Islamic State militants attacked an army checkpoint near {town} on {date}, killing {n} soldiers, security sources said.",
    "A roadside bomb exploded near a patrol in {town} on {date}, killing {n} members of the Popular Mobilization Forces.",
    "Turkish drones struck a vehicle on the outskirts of {town} on {date}, killing {n} fighters of the Syrian Democratic Forces.",
    "Hundreds of protesters gathered in central {town} on {date} to demand jobs and electricity, local media reported.",
    "Clashes broke out between government forces and gunmen in {town} on {date}; {n} people were killed and several wounded.",
    "Gunmen abducted a local official from his home in {town} on {date}, according to his family.",
    "Rockets fell on a residential district of {town} on {date}, killing {n} civilians, including two children.",
    "Security forces arrested {n} suspected members of a cell in {town} on {date}, the interior ministry said.",
];

/// Sentences around the reports that name no incident: context, quotes, background.
const FILLER: [&str; 10] = [
    "The region has seen a rise in violence in recent months as rival groups compete for control of roads and oil fields.",
    "Residents said the security situation had worsened since the start of the year and that many families had left.",
    "\"We hear gunfire almost every night,\" said a shopkeeper who asked not to be named for fear of reprisals.",
    "The government has promised to send reinforcements and to improve intelligence sharing between the security services.",
    "Aid organisations warned that the fighting was hampering deliveries of food and medicine to displaced people.",
    "Officials did not respond to requests for comment, and no group has so far claimed responsibility.",
    "Analysts say the attacks show that the militants retain the ability to strike despite years of military operations.",
    "The United Nations called on all parties to protect civilians and to respect international humanitarian law.",
    "Electricity cuts and unemployment have fuelled anger among young people across the province.",
    "Local leaders called for calm and urged residents to cooperate with the authorities.",
];

const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// `n` news articles of about `bytes` bytes each: a headline, a date line, and paragraphs of
/// reports of incidents in the region's towns among context sentences; the same for the
/// same seed. Returned as (id, text).
pub fn articles(n: usize, bytes: usize, seed: u64) -> Vec<(String, String)> {
    let mut rng = Rng::new(seed);
    let first = jiff::civil::date(FIRST_DAY.0, FIRST_DAY.1, FIRST_DAY.2);
    (0..n)
        .map(|i| {
            let published = day(first, rng.below(DAYS as usize) as i64);
            let main = &TOWNS[rng.below(TOWNS.len())];
            let mut text = format!(
                "{} attacks leave dead in {}\n\nPublished: {}\n\n",
                ["Deadly", "New", "Overnight", "Renewed"][rng.below(4)],
                main.name,
                published.strftime("%-d %B %Y")
            );
            while text.len() < bytes {
                let mut paragraph = String::new();
                for _ in 0..3 + rng.below(3) {
                    if rng.below(3) == 0 {
                        let town = if rng.below(2) == 0 {
                            main
                        } else {
                            &TOWNS[rng.below(TOWNS.len())]
                        };
                        let date = if rng.below(2) == 0 {
                            WEEKDAYS[rng.below(7)].to_string()
                        } else {
                            published.strftime("%-d %B").to_string()
                        };
                        let sentence = REPORTS[rng.below(REPORTS.len())]
                            .replace("{town}", town.name)
                            .replace("{date}", &date)
                            .replace("{n}", &(2 + rng.below(30)).to_string());
                        paragraph.push_str(&sentence);
                    } else {
                        paragraph.push_str(FILLER[rng.below(FILLER.len())]);
                    }
                    paragraph.push(' ');
                }
                text.push_str(paragraph.trim_end());
                text.push_str("\n\n");
            }
            (format!("bench-{i:05}"), text)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn incidents_are_the_same_for_the_same_seed_and_inside_the_region() {
        let a = incidents(3000, 7);
        assert_eq!(a, incidents(3000, 7));
        assert_ne!(a.incidents, incidents(3000, 8).incidents);
        assert_eq!(a.incidents.len(), 3000);
        for incident in &a.incidents {
            let loc = &incident.location;
            assert!((29.0..38.5).contains(&loc.lat), "{loc:?}");
            assert!((35.0..49.0).contains(&loc.lon), "{loc:?}");
            if let Some(date) = incident.date {
                assert!(date.year() >= 2019 && date.year() <= 2024, "{date}");
            }
        }
        // Mixed: several event types, areas, undated and deadly incidents all appear.
        let types: std::collections::BTreeSet<_> =
            a.incidents.iter().map(|i| i.event_type).collect();
        assert!(types.len() >= 5, "{types:?}");
        assert!(
            a.incidents
                .iter()
                .any(|i| i.location.precision != LocationPrecision::Point)
        );
        assert!(a.incidents.iter().any(|i| i.date.is_none()));
        assert!(
            a.incidents
                .iter()
                .any(|i| i.fatalities.is_some_and(|f| f > 10))
        );
        assert!(a.validate().is_ok(), "{:?}", a.validate());
    }

    #[test]
    fn articles_are_the_same_for_the_same_seed_and_of_the_size_asked() {
        let a = articles(20, 5000, 3);
        assert_eq!(a, articles(20, 5000, 3));
        for (_, text) in &a {
            assert!((5000..6500).contains(&text.len()), "{}", text.len());
            assert!(text.contains("Published: "));
        }
    }
}
