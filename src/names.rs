//! Name words, as the naming rules (PQ004, PQ107, PQ108) split names: a name split at `.`, `_`, `-`, spaces, digits
//! and lower-to-upper case changes, an upper-case run staying one word except that its last
//! letter starts the next word when a lower-case letter follows.

/// Words that certification forbids in product names (compared case-insensitively).
pub const FORBIDDEN_WORDS: &[&str] = &["connector", "connectors", "api", "powerbi", "pbi"];

/// Splits a name into words: `ACMEConnector` → `ACME`, `Connector`.
pub fn name_words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    for part in name.split(|c: char| !c.is_alphabetic()) {
        let chars: Vec<char> = part.chars().collect();
        let mut start = 0;
        for i in 1..chars.len() {
            let lower_to_upper = chars[i - 1].is_lowercase() && chars[i].is_uppercase();
            let run_end = chars[i - 1].is_uppercase()
                && chars[i].is_uppercase()
                && chars.get(i + 1).is_some_and(|c| c.is_lowercase());
            if lower_to_upper || run_end {
                words.push(chars[start..i].iter().collect());
                start = i;
            }
        }
        if start < chars.len() {
            words.push(chars[start..].iter().collect());
        }
    }
    words
}

/// The forbidden word (or `Power BI` pair) a name contains, as written in the name.
pub fn forbidden_word(name: &str) -> Option<String> {
    let words = name_words(name);
    for (index, word) in words.iter().enumerate() {
        let lower = word.to_lowercase();
        if FORBIDDEN_WORDS.contains(&lower.as_str()) {
            return Some(word.clone());
        }
        if lower == "power"
            && words
                .get(index + 1)
                .is_some_and(|next| next.eq_ignore_ascii_case("bi"))
        {
            return Some(format!("{word} {}", words[index + 1]));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The examples of the naming rules split as their explanations say.
    #[test]
    fn splits_like_the_explanations() {
        assert_eq!(name_words("ACMEConnector"), ["ACME", "Connector"]);
        assert_eq!(name_words("PowerBIConnector"), ["Power", "BI", "Connector"]);
        assert_eq!(
            name_words("EnableTraceOutput"),
            ["Enable", "Trace", "Output"]
        );
        assert_eq!(
            name_words("my_source.v2-beta name"),
            ["my", "source", "v", "beta", "name"]
        );
        assert_eq!(name_words("client_secret"), ["client", "secret"]);
    }

    /// Forbidden words and the Power BI pair are found; innocent words are not.
    #[test]
    fn finds_forbidden_words() {
        assert_eq!(
            forbidden_word("Contoso Connector").as_deref(),
            Some("Connector")
        );
        assert_eq!(forbidden_word("ContosoAPI").as_deref(), Some("API"));
        assert_eq!(
            forbidden_word("PowerBIContoso").as_deref(),
            Some("Power BI")
        );
        assert_eq!(forbidden_word("Power Bike"), None);
        assert_eq!(forbidden_word("Rapid"), None);
        assert_eq!(forbidden_word("Kestrel"), None);
    }
}
