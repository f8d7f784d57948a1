//! Just enough JSON to read Cargo's `--message-format=json` lines (which
//! artifacts were built, where the executables are), without a dependency.

/// A JSON value. Numbers are kept as their text.
#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    /// `null`
    Null,
    /// `true` / `false`
    Bool(bool),
    /// A number, as written.
    Number(String),
    /// A string, unescaped.
    String(String),
    /// An array.
    Array(Vec<Json>),
    /// An object, members in order.
    Object(Vec<(String, Json)>),
}

impl Json {
    /// Parses one JSON text (surrounding whitespace allowed).
    pub fn parse(text: &str) -> Result<Json, String> {
        let mut parser = Parser {
            chars: text.char_indices().peekable(),
        };
        let value = parser.value()?;
        parser.skip_whitespace();
        match parser.chars.next() {
            None => Ok(value),
            Some((at, c)) => Err(format!("unexpected `{c}` at byte {at} after the value")),
        }
    }

    /// An object's member.
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(members) => members
                .iter()
                .find(|(name, _)| name == key)
                .map(|(_, value)| value),
            _ => None,
        }
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(text) => Some(text),
            _ => None,
        }
    }

    /// The elements, if this is an array.
    pub fn as_array(&self) -> Option<&[Json]> {
        match self {
            Json::Array(items) => Some(items),
            _ => None,
        }
    }
}

struct Parser<'a> {
    chars: std::iter::Peekable<std::str::CharIndices<'a>>,
}

impl Parser<'_> {
    fn skip_whitespace(&mut self) {
        while self
            .chars
            .next_if(|(_, c)| matches!(c, ' ' | '\t' | '\n' | '\r'))
            .is_some()
        {}
    }

    fn next(&mut self, what: &str) -> Result<char, String> {
        self.chars
            .next()
            .map(|(_, c)| c)
            .ok_or_else(|| format!("input ends inside {what}"))
    }

    fn expect_word(&mut self, word: &str, value: Json) -> Result<Json, String> {
        for expected in word.chars() {
            if self.next(word)? != expected {
                return Err(format!("bad literal, expected `{word}`"));
            }
        }
        Ok(value)
    }

    fn value(&mut self) -> Result<Json, String> {
        self.skip_whitespace();
        match self.chars.peek().map(|(_, c)| *c) {
            Some('{') => self.object(),
            Some('[') => self.array(),
            Some('"') => self.string().map(Json::String),
            Some('t') => self.expect_word("true", Json::Bool(true)),
            Some('f') => self.expect_word("false", Json::Bool(false)),
            Some('n') => self.expect_word("null", Json::Null),
            Some(c) if c == '-' || c.is_ascii_digit() => Ok(self.number()),
            Some(c) => Err(format!("unexpected `{c}`")),
            None => Err("input ends where a value was expected".to_owned()),
        }
    }

    fn number(&mut self) -> Json {
        let mut text = String::new();
        while let Some((_, c)) = self
            .chars
            .next_if(|(_, c)| c.is_ascii_digit() || matches!(c, '-' | '+' | '.' | 'e' | 'E'))
        {
            text.push(c);
        }
        Json::Number(text)
    }

    fn object(&mut self) -> Result<Json, String> {
        self.chars.next();
        let mut members = Vec::new();
        self.skip_whitespace();
        if self.chars.next_if(|(_, c)| *c == '}').is_some() {
            return Ok(Json::Object(members));
        }
        loop {
            self.skip_whitespace();
            let key = self.string()?;
            self.skip_whitespace();
            if self.next("an object")? != ':' {
                return Err(format!("expected `:` after key {key:?}"));
            }
            members.push((key, self.value()?));
            self.skip_whitespace();
            match self.next("an object")? {
                ',' => continue,
                '}' => return Ok(Json::Object(members)),
                c => return Err(format!("expected `,` or `}}` in an object, found `{c}`")),
            }
        }
    }

    fn array(&mut self) -> Result<Json, String> {
        self.chars.next();
        let mut items = Vec::new();
        self.skip_whitespace();
        if self.chars.next_if(|(_, c)| *c == ']').is_some() {
            return Ok(Json::Array(items));
        }
        loop {
            items.push(self.value()?);
            self.skip_whitespace();
            match self.next("an array")? {
                ',' => continue,
                ']' => return Ok(Json::Array(items)),
                c => return Err(format!("expected `,` or `]` in an array, found `{c}`")),
            }
        }
    }

    fn string(&mut self) -> Result<String, String> {
        if self.next("a string")? != '"' {
            return Err("expected a string".to_owned());
        }
        let mut text = String::new();
        loop {
            match self.next("a string")? {
                '"' => return Ok(text),
                '\\' => match self.next("a string")? {
                    '"' => text.push('"'),
                    '\\' => text.push('\\'),
                    '/' => text.push('/'),
                    'b' => text.push('\u{8}'),
                    'f' => text.push('\u{c}'),
                    'n' => text.push('\n'),
                    'r' => text.push('\r'),
                    't' => text.push('\t'),
                    'u' => {
                        let unit = self.hex4()?;
                        let c = if (0xD800..0xDC00).contains(&unit) {
                            // A high surrogate must be followed by `\u` and a low one.
                            if self.next("a string")? != '\\' || self.next("a string")? != 'u' {
                                return Err("lone surrogate in a string".to_owned());
                            }
                            let low = self.hex4()?;
                            char::decode_utf16([unit, low]).next().and_then(Result::ok)
                        } else {
                            char::from_u32(u32::from(unit))
                        };
                        text.push(c.ok_or("invalid \\u escape")?);
                    }
                    c => return Err(format!("invalid escape `\\{c}`")),
                },
                c => text.push(c),
            }
        }
    }

    fn hex4(&mut self) -> Result<u16, String> {
        let mut unit = 0u16;
        for _ in 0..4 {
            let digit = self
                .next("a \\u escape")?
                .to_digit(16)
                .ok_or("invalid hex digit in a \\u escape")?;
            // Four hex digits fit a u16; the digit is below 16.
            unit = unit * 16 + u16::try_from(digit).unwrap_or(0);
        }
        Ok(unit)
    }
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn parses_a_cargo_artifact_message() {
        let line = r#"{"reason":"compiler-artifact","target":{"kind":["test"],"name":"wire","test":true},"profile":{"opt_level":"s"},"features":[],"filenames":["/t/wire-1"],"executable":"/t/dir \"q\"/wire-1","fresh":false,"n":-1.5e3,"x":null}"#;
        let json = Json::parse(line);
        let json = json.as_ref();
        let get = |key| json.ok().and_then(|json| json.get(key));
        assert_eq!(
            get("reason").and_then(Json::as_str),
            Some("compiler-artifact")
        );
        assert_eq!(
            get("executable").and_then(Json::as_str),
            Some(r#"/t/dir "q"/wire-1"#)
        );
        let target = get("target");
        assert_eq!(
            target.and_then(|t| t.get("name")).and_then(Json::as_str),
            Some("wire")
        );
        let kinds = target
            .and_then(|t| t.get("kind"))
            .and_then(Json::as_array)
            .map(<[Json]>::to_vec);
        assert_eq!(kinds, Some(vec![Json::String("test".to_owned())]));
        assert_eq!(get("fresh"), Some(&Json::Bool(false)));
        assert_eq!(get("n"), Some(&Json::Number("-1.5e3".to_owned())));
        assert_eq!(get("x"), Some(&Json::Null));
        assert_eq!(get("features"), Some(&Json::Array(Vec::new())));
    }

    #[test]
    fn unescapes_unicode_including_surrogate_pairs() {
        assert_eq!(
            Json::parse(r#""a\u00e9\ud83d\ude00\n""#),
            Ok(Json::String("aé😀\n".to_owned()))
        );
    }

    #[test]
    fn rejects_malformed_text() {
        for bad in [
            "",
            "{",
            r#"{"a" 1}"#,
            "[1,",
            r#""\ud83d""#,
            r#""\x""#,
            "tru",
            "{} x",
        ] {
            assert!(Json::parse(bad).is_err(), "{bad:?} was accepted");
        }
    }
}
