//! Token kinds of the M lexical grammar and the compact token record the parser reads.
//!
//! A token is eight bytes: its kind, its start and either its end or, for a bracket, the
//! index of the matching bracket (brackets are always one byte long). Token text is never
//! copied here; the parser slices the source when it needs it. Contextual words (`catch`,
//! `optional`, `nullable`, primitive type names) are ordinary identifiers at this level.

use crate::source::Span;

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
        // Most identifiers are not keywords: reject them by length and first letter before
        // comparing any text. Keywords are 2 to 9 lowercase ASCII letters.
        let first = *word.as_bytes().first()?;
        if !(2..=9).contains(&word.len()) || !first.is_ascii_lowercase() {
            return None;
        }
        KEYWORDS
            .iter()
            .filter(|(text, _)| text.as_bytes().first() == Some(&first))
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

/// Bits of a token word that hold an offset or index; the top three bits hold half the kind.
const OFFSET_BITS: u32 = 29;
const OFFSET_MASK: u32 = (1 << OFFSET_BITS) - 1;

/// Largest text the lexer accepts: offsets and token indices must fit in 29 bits. M sources
/// are limited to 16 MiB long before this (robustness notes), so the limit is never reached
/// by a real file; a larger text gets one error.
pub const MAX_INPUT_BYTES: usize = OFFSET_MASK as usize;

/// Marks a bracket without a partner.
pub(crate) const NO_PARTNER: u32 = OFFSET_MASK;

/// One token in eight bytes: the start offset, and the end offset or, for a bracket, the
/// index of its partner; the kind is split over the top bits of both words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    low: u32,
    high: u32,
}

impl Token {
    pub(crate) fn new(kind: TokenKind, span: Span) -> Token {
        let kind_bits = kind as u32;
        let extra = if kind.is_open_bracket() || kind.is_close_bracket() {
            NO_PARTNER
        } else {
            span.end & OFFSET_MASK
        };
        Token {
            low: (span.start & OFFSET_MASK) | ((kind_bits >> 3) << OFFSET_BITS),
            high: extra | ((kind_bits & 7) << OFFSET_BITS),
        }
    }

    pub fn kind(&self) -> TokenKind {
        let index = ((self.low >> OFFSET_BITS) << 3) | (self.high >> OFFSET_BITS);
        ALL_KINDS
            .get(index as usize)
            .copied()
            .unwrap_or(TokenKind::Invalid)
    }

    fn is_bracket(&self) -> bool {
        let kind = self.kind();
        kind.is_open_bracket() || kind.is_close_bracket()
    }

    pub fn span(&self) -> Span {
        let start = self.low & OFFSET_MASK;
        if self.is_bracket() {
            Span::new(start, start + 1)
        } else {
            Span::new(start, self.high & OFFSET_MASK)
        }
    }

    /// Index of the matching bracket, if this is a bracket with a partner.
    pub fn partner(&self) -> Option<usize> {
        let partner = self.high & OFFSET_MASK;
        (self.is_bracket() && partner != NO_PARTNER).then_some(partner as usize)
    }

    pub(crate) fn set_partner(&mut self, index: usize) {
        let index = u32::try_from(index).unwrap_or(NO_PARTNER).min(NO_PARTNER);
        self.high = (self.high & !OFFSET_MASK) | index;
    }
}

/// Every kind, indexed by its discriminant.
pub(crate) const ALL_KINDS: [TokenKind; N_TOKEN_KINDS as usize] = {
    use TokenKind as K;
    [
        K::Comma,
        K::Semicolon,
        K::Equal,
        K::Less,
        K::LessEqual,
        K::Greater,
        K::GreaterEqual,
        K::NotEqual,
        K::Plus,
        K::Minus,
        K::Star,
        K::Slash,
        K::Ampersand,
        K::LParen,
        K::RParen,
        K::LBracket,
        K::RBracket,
        K::LBrace,
        K::RBrace,
        K::At,
        K::Bang,
        K::Question,
        K::QuestionQuestion,
        K::FatArrow,
        K::DotDot,
        K::Ellipsis,
        K::And,
        K::As,
        K::Each,
        K::Else,
        K::Error,
        K::False,
        K::If,
        K::In,
        K::Is,
        K::Let,
        K::Meta,
        K::Not,
        K::Null,
        K::Or,
        K::Otherwise,
        K::Section,
        K::Shared,
        K::Then,
        K::True,
        K::Try,
        K::Type,
        K::HashBinary,
        K::HashDate,
        K::HashDateTime,
        K::HashDateTimeZone,
        K::HashDuration,
        K::HashInfinity,
        K::HashNan,
        K::HashSections,
        K::HashShared,
        K::HashTable,
        K::HashTime,
        K::Number,
        K::Text,
        K::Verbatim,
        K::Ident,
        K::QuotedIdent,
        K::Invalid,
    ]
};

#[cfg(test)]
mod tests {
    use super::*;

    /// Tokens stay at eight bytes: memory is budgeted per token.
    #[test]
    fn token_is_small() {
        assert_eq!(std::mem::size_of::<Token>(), 8);
    }

    /// Every kind, span and partner survives the packing.
    #[test]
    fn packing_round_trips() {
        for (index, kind) in ALL_KINDS.iter().enumerate() {
            assert_eq!(*kind as usize, index);
            let mut token = Token::new(*kind, Span::new(7, 9));
            assert_eq!(token.kind(), *kind);
            if kind.is_open_bracket() {
                assert_eq!(token.partner(), None);
                token.set_partner(123_456);
                assert_eq!(
                    (token.kind(), token.partner(), token.span()),
                    (*kind, Some(123_456), Span::new(7, 8))
                );
            } else if !kind.is_close_bracket() {
                assert_eq!(token.span(), Span::new(7, 9));
            }
        }
        let far = Token::new(TokenKind::Ident, Span::new(NO_PARTNER - 1, NO_PARTNER));
        assert_eq!(far.span(), Span::new(NO_PARTNER - 1, NO_PARTNER));
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
