//! People named across the story's articles. Each article canonicalises its own
//! mentions ("Okafor" after "Maria Okafor"), but one outlet may write only "Okafor"
//! where another gives the full name; across the story, a name whose words end a single
//! longer person name maps to it. When two people share the surname (Maria and Daniel
//! Okafor), "Okafor" stays as written rather than being guessed.

use std::collections::{BTreeMap, BTreeSet};

use parallax_core::EntityKind;

use crate::docs::Doc;

pub struct StoryNames {
    /// Lower-cased short name → the full name it stands for.
    full: BTreeMap<String, String>,
}

impl StoryNames {
    pub fn new(docs: &[Doc]) -> Self {
        let mut names: BTreeSet<String> = BTreeSet::new();
        for d in docs {
            let an = &d.a.analysis;
            let people = an
                .entities
                .iter()
                .filter(|e| e.kind == EntityKind::Person)
                .map(|e| e.canonical.as_str());
            let speakers = an.quotes.iter().filter_map(|q| q.speaker.as_deref());
            names.extend(people.chain(speakers).map(str::to_string));
        }
        let words =
            |n: &str| -> Vec<String> { n.split_whitespace().map(str::to_lowercase).collect() };
        let mut full = BTreeMap::new();
        for short in &names {
            let s = words(short);
            let longer: BTreeSet<Vec<String>> = names
                .iter()
                .map(|n| words(n))
                .filter(|l| l.len() > s.len() && l.ends_with(&s))
                .collect();
            if longer.len() == 1 {
                let target = names
                    .iter()
                    .find(|n| longer.contains(&words(n)))
                    .expect("found above");
                full.insert(s.join(" "), target.clone());
            }
        }
        StoryNames { full }
    }

    /// The story-wide name for `name`: the one full name it abbreviates, else itself.
    pub fn canonical(&self, name: &str) -> String {
        let key = name
            .split_whitespace()
            .map(str::to_lowercase)
            .collect::<Vec<_>>()
            .join(" ");
        self.full
            .get(&key)
            .cloned()
            .unwrap_or_else(|| name.to_string())
    }
}
