//! What a hostile client sends: markup and SQL, encodings a browser would never produce,
//! control characters, path tricks, impossible dates and numbers.

/// Markup that must never come back unescaped in a page.
pub const SCRIPT: &str = "<script>alert(1)</script>";
pub const IMG: &str = "<img src=x onerror=alert(1)>";
pub const ATTR: &str = "\"><svg onload=alert(1)>";
/// SQL that would do harm if it were ever spliced into a query (it would also show unescaped
/// quotes if a page printed it raw).
pub const SQL: &str = "'; DROP TABLE cases;--";
pub const SQL_OR: &str = "1' OR '1'='1";
/// Right-to-left override: makes `txt.exe` read as `exe.txt`.
pub const RLO: &str = "report\u{202E}txt.exe";
pub const NUL: &str = "a\u{0}b";
pub const CONTROL: &str = "bell\u{7}escape\u{1b}[31mdel\u{7f}c1\u{85}";

/// Every text payload, for fields that take free text.
pub const TEXTS: &[&str] = &[SCRIPT, IMG, ATTR, SQL, SQL_OR, RLO, NUL, CONTROL];

/// Strings that are markup or quotes: none may appear verbatim in any HTML answer.
pub const MARKUP: &[&str] = &[SCRIPT, IMG, ATTR, SQL, SQL_OR];

/// Percent-encoded bytes that are not UTF-8: a lone continuation byte, the overlong `/`
/// (`C0 AF`), a three-byte overlong, a surrogate (`ED A0 80`) and a cut-off sequence.
pub const BAD_UTF8: &[&str] = &["%FF%FE", "%C0%AF", "%E0%80%AF", "%ED%A0%80", "abc%E2%82"];

/// File names that try to leave the attachment's name.
pub const PATHS: &[&str] = &[
    "../../etc/passwd",
    "..\\..\\windows\\win.ini",
    "C:evil.txt",
    "/etc/shadow",
    "\u{202E}gpj.exe",
    "note\u{202E}fdp.exe",
    "a\u{2066}b\u{2069}.txt",
    "....//....//x.txt",
    "%2e%2e%2fetc%2fpasswd",
];

/// Dates no form may take.
pub const BAD_DATES: &[&str] = &[
    "2024-02-30",
    "2023-13-01",
    "0000-00-00",
    "-0001-01-01",
    "99999-01-01",
    "2024-1-1x",
    "9999-12-31",
    "1900-01-01",
];

/// Numbers no field may take.
pub const BAD_NUMBERS: &[&str] = &[
    "-1",
    "NaN",
    "inf",
    "-Infinity",
    "1e309",
    "9223372036854775808",
    "0x10",
    "",
];

/// Percent-encodes every byte except unreserved ASCII (what a form post would send, but with
/// any bytes, NULs included).
pub fn enc(s: &str) -> String {
    enc_bytes(s.as_bytes())
}

pub fn enc_bytes(b: &[u8]) -> String {
    let mut out = String::with_capacity(b.len() * 3);
    for &c in b {
        if c.is_ascii_alphanumeric() || b"-._~".contains(&c) {
            out.push(c as char);
        } else {
            out.push_str(&format!("%{c:02X}"));
        }
    }
    out
}

/// An urlencoded body of these fields, values taken as already encoded when they start with
/// `=` (so invalid UTF-8 can be sent as `%FF`), else encoded here.
pub fn form(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| match v.strip_prefix('=') {
            Some(raw) => format!("{}={raw}", enc(k)),
            None => format!("{}={}", enc(k), enc(v)),
        })
        .collect::<Vec<_>>()
        .join("&")
}
