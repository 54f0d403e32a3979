//! Free text as Cordon keeps it (comments, rationales, conditions, report fields): no control
//! characters, except tabs and line breaks where the text may span lines, and no bidirectional
//! embedding, override or isolate characters, which make text read differently from what it
//! holds (`report\u{202E}txt.exe` shows as `reportexe.txt`). Refused, never silently dropped, so
//! what is stored is what the writer sees.

/// Whether a character is a bidirectional embedding, override or isolate control
/// (U+202A–U+202E, U+2066–U+2069). The plain direction marks (U+200E, U+200F) stay allowed.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Whether a character may not appear in kept text; `multiline` allows tabs and line breaks.
pub fn is_refused(c: char, multiline: bool) -> bool {
    (c.is_control() && !(multiline && matches!(c, '\n' | '\r' | '\t'))) || is_bidi_control(c)
}

/// Why text with a refused character is refused, for the field's message.
pub fn refusal(c: char, multiline: bool) -> &'static str {
    if is_bidi_control(c) {
        "Remove the right-to-left or left-to-right override characters."
    } else if multiline {
        "Remove the control characters (only line breaks and tabs are allowed)."
    } else {
        "Remove the control characters (such as tabs or line breaks)."
    }
}

/// The first character of `text` that may not be kept, with the message saying why.
pub fn check_chars(text: &str, multiline: bool) -> Result<(), &'static str> {
    match text.chars().find(|c| is_refused(*c, multiline)) {
        Some(c) => Err(refusal(c, multiline)),
        None => Ok(()),
    }
}

/// Checks trimmed text of at most `max` characters: `Err` with the message for its field when
/// it is empty and `required`, too long, or holds a refused character.
pub fn check(text: &str, max: usize, multiline: bool, required: bool) -> Result<(), String> {
    let t = text.trim();
    if required && t.is_empty() {
        return Err("Required.".into());
    }
    // Counting stops one past the limit, so a huge text costs no more than a long one.
    if t.chars().take(max.saturating_add(1)).count() > max {
        return Err(format!("At most {} characters.", thousands(max as u64)));
    }
    check_chars(t, multiline).map_err(str::to_string)
}

/// `1234567` as `1,234,567`: the one way Cordon writes a large number (messages, charts, the
/// PDF).
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_and_override_characters_are_refused() {
        assert!(check("plain text", 20, false, true).is_ok());
        assert!(check("two\nlines\tand a tab", 30, true, true).is_ok());
        assert!(check("two\nlines", 30, false, true).is_err());
        for bad in [
            "a\u{0}b",
            "bell\u{7}",
            "esc\u{1b}[31m",
            "del\u{7f}",
            "c1\u{85}x",
        ] {
            assert!(check(bad, 30, true, true).is_err(), "{bad:?}");
        }
        for bad in ["report\u{202E}txt.exe", "a\u{2066}b\u{2069}", "\u{202A}x"] {
            assert_eq!(
                check(bad, 30, true, true),
                Err("Remove the right-to-left or left-to-right override characters.".into()),
                "{bad:?}"
            );
        }
        // Direction marks and right-to-left scripts are text, not overrides.
        assert!(check("\u{200F}שלום עולם", 30, false, true).is_ok());
        assert!(check("مرحبا", 30, false, true).is_ok());
    }

    #[test]
    fn length_and_emptiness_are_checked() {
        assert_eq!(check("  ", 5, false, true), Err("Required.".into()));
        assert!(check("  ", 5, false, false).is_ok());
        assert_eq!(
            check(&"x".repeat(10_001), 10_000, true, true),
            Err("At most 10,000 characters.".into())
        );
        assert!(check(&"x".repeat(10_000), 10_000, true, true).is_ok());
    }
}
