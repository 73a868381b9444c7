//! Escapes in text literals and quoted identifiers: validation (in the lexer) and decoding
//! (in the parser).
//!
//! `""` is a quote; `#(list)` holds comma-separated `cr`, `lf`, `tab`, `#`, or 4 or 8 hex
//! digits naming a Unicode scalar value. Surrogates and values past U+10FFFF are invalid, and
//! an invalid escape is kept as typed when decoding, so decoding itself never fails.

/// Where the `#(` escape starting at byte 0 of `rest` ends and the characters it stands for,
/// or `None` when it is malformed.
fn parse_escape(rest: &str) -> Option<(usize, Vec<char>)> {
    let body = rest.strip_prefix("#(")?;
    let close = body.find(')')?;
    let list = body.get(..close)?;
    let mut chars = Vec::with_capacity(2);
    for item in list.split(',') {
        chars.push(escape_item(item)?);
    }
    Some((close + 3, chars))
}

fn escape_item(item: &str) -> Option<char> {
    match item {
        "cr" => Some('\r'),
        "lf" => Some('\n'),
        "tab" => Some('\t'),
        "#" => Some('#'),
        _ if (item.len() == 4 || item.len() == 8)
            && item.bytes().all(|b| b.is_ascii_hexdigit()) =>
        {
            u32::from_str_radix(item, 16).ok().and_then(char::from_u32)
        }
        _ => None,
    }
}

/// Where the first `#(` in `text` starts. Searching for the `#` byte first is much faster
/// than a substring search, and most literals hold no `#` at all.
fn find_escape(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(found) = bytes.get(from..)?.iter().position(|&b| b == b'#') {
        let at = from + found;
        if bytes.get(at + 1) == Some(&b'(') {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// Byte ranges (relative to `inner`) of every malformed `#(` escape in the body of a text
/// literal or quoted identifier.
pub(crate) fn invalid_escapes(inner: &str) -> Vec<std::ops::Range<usize>> {
    let mut bad = Vec::new();
    let mut from = 0;
    while let Some(found) = inner.get(from..).and_then(find_escape) {
        let at = from + found;
        let rest = inner.get(at..).unwrap_or_default();
        match parse_escape(rest) {
            Some((len, _)) => from = at + len,
            None => {
                let close = rest
                    .find(')')
                    .filter(|&close| close < 64)
                    .map_or(2, |close| close + 1);
                bad.push(at..at + close);
                from = at + 2;
            }
        }
    }
    bad
}

/// The value of a text literal or quoted identifier body, without a temporary string when
/// there is nothing to decode (the common case).
pub(crate) fn decode_name(inner: &str) -> crate::syntax::ast::Name {
    if !inner.contains('"') && find_escape(inner).is_none() {
        return crate::syntax::ast::Name::new(inner);
    }
    crate::syntax::ast::Name::from(decode(inner))
}

/// The value of a text literal or quoted identifier body (between the quotes).
pub(crate) fn decode(inner: &str) -> String {
    let mut out = String::with_capacity(inner.len());
    let mut rest = inner;
    while let Some(at) = rest.find(['"', '#']) {
        out.push_str(rest.get(..at).unwrap_or_default());
        let tail = rest.get(at..).unwrap_or_default();
        if let Some(after) = tail.strip_prefix("\"\"") {
            out.push('"');
            rest = after;
        } else if let Some((len, chars)) = parse_escape(tail) {
            out.extend(chars);
            rest = tail.get(len..).unwrap_or_default();
        } else {
            let width = tail.chars().next().map_or(1, char::len_utf8);
            out.push_str(tail.get(..width).unwrap_or_default());
            rest = tail.get(width..).unwrap_or_default();
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every escape form decodes, and `#(#)(` spells a literal `#(`.
    #[test]
    fn escapes_decode() {
        assert_eq!(decode("a#(cr,lf)b"), "a\r\nb");
        assert_eq!(decode("#(0041)#(0001F600)"), "A\u{1F600}");
        assert_eq!(decode("#(#)(x"), "#(x");
        assert_eq!(decode("say \"\"hi\"\""), "say \"hi\"");
        assert_eq!(decode("#(tab)#x"), "\t#x");
    }

    /// Non-scalar code points and unknown names are invalid, never a panic.
    #[test]
    fn bad_escapes_are_found() {
        assert_eq!(invalid_escapes("#(D800)"), vec![0..7]);
        assert_eq!(invalid_escapes("x#(FFFFFFFF)"), vec![1..12]);
        assert_eq!(invalid_escapes("#(xyz)"), vec![0..6]);
        assert_eq!(invalid_escapes("#(cr"), vec![0..2]);
        assert!(invalid_escapes("#(#)(").is_empty());
        assert_eq!(decode("#(D800)"), "#(D800)");
    }
}
