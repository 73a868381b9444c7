//! Token kinds of the M lexical grammar and the compact token record the parser reads.
//!
//! A token is twelve bytes: its kind, its start and either its end or, for a bracket, the
//! index of the matching bracket (brackets are always one byte long). Token text is never
//! copied here; the parser slices the source when it needs it. Contextual words (`catch`,
//! `optional`, `nullable`, primitive type names) are ordinary identifiers at this level.

use crate::source::Span;

/// Marks a bracket without a partner.
pub(crate) const NO_PARTNER: u32 = u32::MAX;

/// The kind of a token; keywords, punctuators and literal classes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum TokenKind {
    Comma,
    Semicolon,
    Equal,
    Less,
    LessEqual,
    Greater,
    GreaterEqual,
    NotEqual,
    Plus,
    Minus,
    Star,
    Slash,
    Ampersand,
    LParen,
    RParen,
    LBracket,
    RBracket,
    LBrace,
    RBrace,
    At,
    Bang,
    Question,
    QuestionQuestion,
    FatArrow,
    DotDot,
    Ellipsis,
    And,
    As,
    Each,
    Else,
    Error,
    False,
    If,
    In,
    Is,
    Let,
    Meta,
    Not,
    Null,
    Or,
    Otherwise,
    Section,
    Shared,
    Then,
    True,
    Try,
    Type,
    HashBinary,
    HashDate,
    HashDateTime,
    HashDateTimeZone,
    HashDuration,
    HashInfinity,
    HashNan,
    HashSections,
    HashShared,
    HashTable,
    HashTime,
    Number,
    Text,
    Verbatim,
    Ident,
    QuotedIdent,
    /// A malformed token; the lexer has already reported it.
    Invalid,
}

/// Number of token kinds (for bit sets indexed by kind).
pub(crate) const N_TOKEN_KINDS: u32 = TokenKind::Invalid as u32 + 1;

const KEYWORDS: &[(&str, TokenKind)] = &[
    ("and", TokenKind::And),
    ("as", TokenKind::As),
    ("each", TokenKind::Each),
    ("else", TokenKind::Else),
    ("error", TokenKind::Error),
    ("false", TokenKind::False),
    ("if", TokenKind::If),
    ("in", TokenKind::In),
    ("is", TokenKind::Is),
    ("let", TokenKind::Let),
    ("meta", TokenKind::Meta),
    ("not", TokenKind::Not),
    ("null", TokenKind::Null),
    ("or", TokenKind::Or),
    ("otherwise", TokenKind::Otherwise),
    ("section", TokenKind::Section),
    ("shared", TokenKind::Shared),
    ("then", TokenKind::Then),
    ("true", TokenKind::True),
    ("try", TokenKind::Try),
    ("type", TokenKind::Type),
];

const HASH_KEYWORDS: &[(&str, TokenKind)] = &[
    ("#binary", TokenKind::HashBinary),
    ("#date", TokenKind::HashDate),
    ("#datetime", TokenKind::HashDateTime),
    ("#datetimezone", TokenKind::HashDateTimeZone),
    ("#duration", TokenKind::HashDuration),
    ("#infinity", TokenKind::HashInfinity),
    ("#nan", TokenKind::HashNan),
    ("#sections", TokenKind::HashSections),
    ("#shared", TokenKind::HashShared),
    ("#table", TokenKind::HashTable),
    ("#time", TokenKind::HashTime),
];

const PUNCTUATORS: &[(&str, TokenKind)] = &[
    (",", TokenKind::Comma),
    (";", TokenKind::Semicolon),
    ("=", TokenKind::Equal),
    ("<", TokenKind::Less),
    ("<=", TokenKind::LessEqual),
    (">", TokenKind::Greater),
    (">=", TokenKind::GreaterEqual),
    ("<>", TokenKind::NotEqual),
    ("+", TokenKind::Plus),
    ("-", TokenKind::Minus),
    ("*", TokenKind::Star),
    ("/", TokenKind::Slash),
    ("&", TokenKind::Ampersand),
    ("(", TokenKind::LParen),
    (")", TokenKind::RParen),
    ("[", TokenKind::LBracket),
    ("]", TokenKind::RBracket),
    ("{", TokenKind::LBrace),
    ("}", TokenKind::RBrace),
    ("@", TokenKind::At),
    ("!", TokenKind::Bang),
    ("?", TokenKind::Question),
    ("??", TokenKind::QuestionQuestion),
    ("=>", TokenKind::FatArrow),
    ("..", TokenKind::DotDot),
    ("...", TokenKind::Ellipsis),
];

impl TokenKind {
    /// The keyword spelled exactly `word` (the whole dotted text), if any.
    pub fn keyword(word: &str) -> Option<TokenKind> {
        KEYWORDS
            .iter()
            .find(|(text, _)| *text == word)
            .map(|(_, kind)| *kind)
    }

    /// The hash keyword spelled `word` (including the `#`), if any.
    pub fn hash_keyword(word: &str) -> Option<TokenKind> {
        HASH_KEYWORDS
            .iter()
            .find(|(text, _)| *text == word)
            .map(|(_, kind)| *kind)
    }

    /// The fixed spelling of a keyword or punctuator; `None` for literal classes.
    pub fn spelling(self) -> Option<&'static str> {
        KEYWORDS
            .iter()
            .chain(HASH_KEYWORDS)
            .chain(PUNCTUATORS)
            .find(|(_, kind)| *kind == self)
            .map(|(text, _)| *text)
    }

    /// How an error message names this kind: "`then`", "number", "identifier".
    pub fn describe(self) -> String {
        match self.spelling() {
            Some(text) => format!("`{text}`"),
            None => match self {
                TokenKind::Number => "number".to_owned(),
                TokenKind::Text => "text literal".to_owned(),
                TokenKind::Verbatim => "verbatim literal".to_owned(),
                TokenKind::Ident | TokenKind::QuotedIdent => "identifier".to_owned(),
                _ => "invalid token".to_owned(),
            },
        }
    }

    /// Reserved words, including `true`, `false`, `null` (usable in generalized identifiers).
    pub fn is_keyword(self) -> bool {
        (self as u8) >= (TokenKind::And as u8) && (self as u8) <= (TokenKind::Type as u8)
    }

    pub fn is_open_bracket(self) -> bool {
        matches!(
            self,
            TokenKind::LParen | TokenKind::LBracket | TokenKind::LBrace
        )
    }

    pub fn is_close_bracket(self) -> bool {
        matches!(
            self,
            TokenKind::RParen | TokenKind::RBracket | TokenKind::RBrace
        )
    }
}

/// One token: kind, start and (end or bracket partner). Twelve bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    start: u32,
    /// End offset, or the partner index for a bracket.
    extra: u32,
}

impl Token {
    pub(crate) fn new(kind: TokenKind, span: Span) -> Token {
        let extra = if kind.is_open_bracket() || kind.is_close_bracket() {
            NO_PARTNER
        } else {
            span.end
        };
        Token {
            kind,
            start: span.start,
            extra,
        }
    }

    pub fn span(&self) -> Span {
        if self.kind.is_open_bracket() || self.kind.is_close_bracket() {
            Span::new(self.start, self.start.saturating_add(1))
        } else {
            Span::new(self.start, self.extra)
        }
    }

    /// Index of the matching bracket, if this is a bracket with a partner.
    pub fn partner(&self) -> Option<usize> {
        let is_bracket = self.kind.is_open_bracket() || self.kind.is_close_bracket();
        (is_bracket && self.extra != NO_PARTNER).then_some(self.extra as usize)
    }

    pub(crate) fn set_partner(&mut self, index: usize) {
        self.extra = u32::try_from(index).unwrap_or(NO_PARTNER);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Tokens stay at twelve bytes: memory is budgeted per token.
    #[test]
    fn token_is_small() {
        assert_eq!(std::mem::size_of::<Token>(), 12);
    }

    /// Whole dotted words are compared with the keyword list.
    #[test]
    fn keyword_lookup_is_whole_text() {
        assert_eq!(TokenKind::keyword("type"), Some(TokenKind::Type));
        assert_eq!(TokenKind::keyword("Value.Type"), None);
        assert_eq!(TokenKind::hash_keyword("#date"), Some(TokenKind::HashDate));
        assert_eq!(TokenKind::hash_keyword("#foo"), None);
    }
}
