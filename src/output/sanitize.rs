//! Making untrusted text safe for a terminal. Entry names, identifiers, messages that quote
//! them, and the source text shown in excerpts all come from the package; a raw ESC, BEL or
//! bidi override in them could rewrite the user's screen or reorder what they read. Every
//! control becomes a visible character of the same count, so character offsets into sanitised
//! source text stay aligned with the original. JSON and SARIF never use this: serde escapes.

use std::borrow::Cow;

/// Longest message, label, help or note printed in a terminal format, in characters. Rules cap
/// the values they quote; this bounds the rest.
pub const MAX_MESSAGE_CHARS: usize = 500;

/// The visible stand-in for a character that must not reach a terminal raw, or `None` when the
/// character is safe. C0 controls become their control pictures (U+2400 + n), DEL becomes
/// U+2421, C1 controls, bidi controls and the Unicode line and paragraph separators become
/// U+FFFD.
pub fn visible_form(ch: char) -> Option<char> {
    match ch {
        '\u{0}'..='\u{1f}' => char::from_u32(0x2400 + ch as u32),
        '\u{7f}' => Some('\u{2421}'),
        '\u{80}'..='\u{9f}'
        | '\u{061c}'
        | '\u{200e}'
        | '\u{200f}'
        | '\u{202a}'..='\u{202e}'
        | '\u{2066}'..='\u{2069}'
        | '\u{2028}'
        | '\u{2029}' => Some(char::REPLACEMENT_CHARACTER),
        _ => None,
    }
}

/// One line of text for a terminal: every control made visible (tabs and line breaks too), and
/// at most [`MAX_MESSAGE_CHARS`] characters.
pub fn sanitize_line(text: &str) -> Cow<'_, str> {
    cap_chars(map_controls(text, false), MAX_MESSAGE_CHARS)
}

/// One line of source text for an excerpt: like [`sanitize_line`] but tabs are kept (the
/// renderer expands them) and the length is not capped (excerpts crop around the span).
pub fn sanitize_source_line(text: &str) -> Cow<'_, str> {
    map_controls(text, true)
}

/// At most `max` characters of `text`, the last one replaced by `…` when anything was cut.
pub fn cap_chars(text: Cow<'_, str>, max: usize) -> Cow<'_, str> {
    match text.char_indices().nth(max) {
        None => text,
        Some(_) => {
            let kept: String = text.chars().take(max.saturating_sub(1)).collect();
            Cow::Owned(kept + "…")
        }
    }
}

fn map_controls(text: &str, keep_tabs: bool) -> Cow<'_, str> {
    let needs_mapping = |ch: char| !(keep_tabs && ch == '\t') && visible_form(ch).is_some();
    if !text.chars().any(needs_mapping) {
        return Cow::Borrowed(text);
    }
    text.chars()
        .map(|ch| match visible_form(ch) {
            Some(_) if keep_tabs && ch == '\t' => ch,
            Some(visible) => visible,
            None => ch,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// ESC, BEL and DEL become control pictures; C1 and bidi controls become U+FFFD.
    #[test]
    fn controls_become_visible() {
        assert_eq!(
            sanitize_line("a\u{1b}[31mb\u{7}\u{7f}"),
            "a\u{241b}[31mb\u{2407}\u{2421}"
        );
        assert_eq!(
            sanitize_line("x\u{202e}y\u{2066}z\u{061c}\u{85}"),
            "x\u{fffd}y\u{fffd}z\u{fffd}\u{fffd}"
        );
        assert_eq!(
            sanitize_line("tab\there\nnext"),
            "tab\u{2409}here\u{240a}next"
        );
        assert!(matches!(
            sanitize_line("plain `text` 日本"),
            Cow::Borrowed(_)
        ));
    }

    /// Source lines keep tabs and keep their character count, so spans stay aligned.
    #[test]
    fn source_lines_keep_tabs_and_length() {
        let line = "\tlet x = \u{1b}\u{c}\u{b}\u{200f}日本";
        let sanitised = sanitize_source_line(line);
        assert!(sanitised.starts_with('\t'));
        assert_eq!(sanitised.chars().count(), line.chars().count());
        assert!(
            !sanitised
                .chars()
                .any(|c| c != '\t' && visible_form(c).is_some())
        );
    }

    /// Long messages are cut with an ellipsis; short ones are untouched.
    #[test]
    fn messages_are_capped() {
        let long = "é".repeat(MAX_MESSAGE_CHARS * 3);
        let capped = sanitize_line(&long);
        assert_eq!(capped.chars().count(), MAX_MESSAGE_CHARS);
        assert!(capped.ends_with('…'));
        assert_eq!(cap_chars(Cow::Borrowed("abc"), 3), "abc");
        assert_eq!(cap_chars(Cow::Borrowed("abcd"), 3), "ab…");
    }
}
