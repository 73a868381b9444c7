//! "Did you mean": the nearest name within a few edits, in bounded time.
//!
//! Names come from the package (resource keys, record fields), so their number and length
//! are the user's. A comparison is skipped when the lengths alone rule it out, names longer
//! than [`MAX_NAME_CHARS`] get no suggestion, and one [`Suggester`] stops looking once it has
//! compared [`MAX_WORK`] pairs of characters, so thousands of missing keys against thousands
//! of defined ones cost milliseconds, not minutes.

use std::cell::Cell;
use std::collections::HashMap;

/// Longest name (in characters) that is compared; a suggestion for a longer one would not
/// help a person anyway.
pub const MAX_NAME_CHARS: usize = 64;

/// Pairs of characters one [`Suggester`] compares at most, over all its queries (about
/// 20 ms). Past it, queries return no suggestion.
pub const MAX_WORK: usize = 16 * 1024 * 1024;

/// Candidate names, prepared once for many queries.
pub struct Suggester<'c> {
    candidates: Vec<Candidate<'c>>,
    /// Folded (ASCII lowercase) name to the first candidate spelled that way.
    by_folded: HashMap<String, &'c str>,
    ignore_case: bool,
    work_left: Cell<usize>,
}

struct Candidate<'c> {
    name: &'c str,
    compared: String,
    chars: usize,
}

impl<'c> Suggester<'c> {
    /// `ignore_case`: distances are measured between ASCII-lowercased names.
    pub fn new(candidates: impl IntoIterator<Item = &'c str>, ignore_case: bool) -> Self {
        let mut by_folded = HashMap::new();
        let candidates = candidates
            .into_iter()
            .map(|name| {
                by_folded.entry(name.to_ascii_lowercase()).or_insert(name);
                let compared = if ignore_case {
                    name.to_ascii_lowercase()
                } else {
                    name.to_owned()
                };
                let chars = compared.chars().count();
                Candidate {
                    name,
                    compared,
                    chars,
                }
            })
            .collect();
        Suggester {
            candidates,
            by_folded,
            ignore_case,
            work_left: Cell::new(MAX_WORK),
        }
    }

    /// A candidate equal to `name` up to ASCII case.
    pub fn same_ignoring_case(&self, name: &str) -> Option<&'c str> {
        self.by_folded.get(&name.to_ascii_lowercase()).copied()
    }

    /// The candidate fewest edits away from `name`, if that is at most `max_distance(candidate)`;
    /// ties go to the candidate that sorts first.
    pub fn nearest(&self, name: &str, max_distance: impl Fn(&str) -> usize) -> Option<&'c str> {
        let query = if self.ignore_case {
            name.to_ascii_lowercase()
        } else {
            name.to_owned()
        };
        let chars = query.chars().count();
        if chars > MAX_NAME_CHARS {
            return None;
        }
        let mut best: Option<(usize, &'c str)> = None;
        for candidate in &self.candidates {
            let limit = max_distance(candidate.name);
            if candidate.chars > MAX_NAME_CHARS || candidate.chars.abs_diff(chars) > limit {
                continue;
            }
            let cost = (candidate.chars.max(1)) * (chars.max(1));
            let Some(left) = self.work_left.get().checked_sub(cost) else {
                self.work_left.set(0);
                return None;
            };
            self.work_left.set(left);
            let distance = strsim::levenshtein(&query, &candidate.compared);
            if distance <= limit && best.is_none_or(|b| (distance, candidate.name) < b) {
                best = Some((distance, candidate.name));
            }
        }
        best.map(|(_, name)| name)
    }
}

/// One query against `candidates`: the nearest within `max_distance(candidate)` edits.
pub fn nearest<'c>(
    name: &str,
    candidates: impl IntoIterator<Item = &'c str>,
    ignore_case: bool,
    max_distance: impl Fn(&str) -> usize,
) -> Option<&'c str> {
    Suggester::new(candidates, ignore_case).nearest(name, max_distance)
}

/// The usual allowance for known names (M record fields, rule names): two edits, or a quarter
/// of the name when it is longer.
pub fn quarter_of_name(candidate: &str) -> usize {
    2.max(candidate.len() / 4)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_within_the_allowance() {
        let names = ["TestConnection", "Authentication", "Label"];
        assert_eq!(
            nearest("testconection", names, true, |_| 2),
            Some("TestConnection")
        );
        assert_eq!(nearest("Lable", names, false, |_| 2), Some("Label"));
        assert_eq!(nearest("Publish", names, true, |_| 2), None);
    }

    #[test]
    fn ties_go_to_the_first_in_order() {
        assert_eq!(nearest("ab", ["ac", "aa"], false, |_| 1), Some("aa"));
    }

    #[test]
    fn same_ignoring_case() {
        let suggester = Suggester::new(["ButtonTitle"], false);
        assert_eq!(
            suggester.same_ignoring_case("buttontitle"),
            Some("ButtonTitle")
        );
        assert_eq!(suggester.same_ignoring_case("Button"), None);
    }

    /// Long names get no suggestion, and many queries stop once the work is spent.
    #[test]
    fn work_is_bounded() {
        let long = "k".repeat(MAX_NAME_CHARS + 1);
        assert_eq!(nearest(&long, [long.as_str()], false, |_| 3), None);
        let keys: Vec<String> = (0..4000).map(|i| format!("Key{i:0>40}")).collect();
        let suggester = Suggester::new(keys.iter().map(String::as_str), false);
        let found = (0..4000)
            .filter(|i| suggester.nearest(&format!("Kez{i:0>40}"), |_| 2).is_some())
            .count();
        assert!(found > 0 && found < 4000, "{found}");
        assert_eq!(suggester.work_left.get(), 0);
    }
}
