//! The embedded faces (Liberation Sans, regular and bold) and text measure: glyph widths from
//! the fonts' own metrics, wrapping to a width, fitting a line with an ellipsis. Measures only;
//! embedding the faces in the PDF is `write`'s.

use std::mem::take;

use ttf_parser::GlyphId;

use super::{PdfError, Style, Weight};

const REGULAR: &[u8] = include_bytes!("../../../../data/fonts/LiberationSans-Regular.ttf");
const BOLD: &[u8] = include_bytes!("../../../../data/fonts/LiberationSans-Bold.ttf");

/// One embedded face and its metrics.
pub(super) struct Metrics {
    /// The PostScript name.
    pub(super) name: &'static str,
    pub(super) data: &'static [u8],
    pub(super) face: ttf_parser::Face<'static>,
    units_per_em: f32,
    /// The glyph of '?', shown for characters the face lacks.
    fallback: GlyphId,
    /// The dominant vertical stem width (a hint for readers that substitute fonts).
    pub(super) stem_v: f32,
}

impl Metrics {
    fn load(name: &'static str, data: &'static [u8], stem_v: f32) -> Result<Metrics, PdfError> {
        let face = ttf_parser::Face::parse(data, 0).map_err(|_| PdfError::Font(name))?;
        let fallback = face.glyph_index('?').ok_or(PdfError::Font(name))?;
        Ok(Metrics {
            name,
            data,
            units_per_em: f32::from(face.units_per_em()),
            face,
            fallback,
            stem_v,
        })
    }

    /// The glyph that shows `c`, and the character it stands for ('?' when the face has none).
    pub(super) fn glyph(&self, c: char) -> (GlyphId, char) {
        match self.face.glyph_index(c) {
            Some(g) if g.0 != 0 => (g, c),
            _ => (self.fallback, '?'),
        }
    }

    /// A glyph's advance, in thousandths of the font size.
    pub(super) fn advance(&self, g: GlyphId) -> f32 {
        f32::from(self.face.glyph_hor_advance(g).unwrap_or(0)) * 1000.0 / self.units_per_em
    }

    fn width(&self, text: &str, size: f32) -> f32 {
        let total: f32 = text.chars().map(|c| self.advance(self.glyph(c).0)).sum();
        total * size / 1000.0
    }

    /// Scales a font-unit value to thousandths of the font size.
    pub(super) fn scaled(&self, v: i16) -> f32 {
        f32::from(v) * 1000.0 / self.units_per_em
    }
}

pub(super) struct Fonts {
    pub(super) regular: Metrics,
    pub(super) bold: Metrics,
}

impl Fonts {
    pub(super) fn load() -> Result<Fonts, PdfError> {
        Ok(Fonts {
            regular: Metrics::load("LiberationSans", REGULAR, 80.0)?,
            bold: Metrics::load("LiberationSans-Bold", BOLD, 140.0)?,
        })
    }

    fn get(&self, w: Weight) -> &Metrics {
        match w {
            Weight::Regular => &self.regular,
            Weight::Bold => &self.bold,
        }
    }

    pub(super) fn width(&self, s: Style, text: &str) -> f32 {
        self.get(s.weight).width(text, s.size)
    }

    /// Breaks text into lines no wider than `width`: at spaces, at the text's own line breaks,
    /// and inside any word longer than a line.
    pub(super) fn wrap(&self, s: Style, text: &str, width: f32) -> Vec<String> {
        let m = self.get(s.weight);
        let space = m.width(" ", s.size);
        let mut lines = Vec::new();
        let cleaned = clean(text);
        for hard in cleaned.split('\n') {
            let mut line = String::new();
            let mut line_w = 0.0;
            for word in hard.split(' ').filter(|w| !w.is_empty()) {
                let w = m.width(word, s.size);
                if !line.is_empty() && line_w + space + w <= width {
                    line.push(' ');
                    line.push_str(word);
                    line_w += space + w;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(take(&mut line));
                }
                if w <= width {
                    line.push_str(word);
                    line_w = w;
                } else {
                    let mut pieces = chop(m, s.size, word, width);
                    line = pieces.pop().unwrap_or_default();
                    line_w = m.width(&line, s.size);
                    lines.extend(pieces);
                }
            }
            // Consecutive blank lines collapse into one.
            if !(line.is_empty() && lines.last().is_some_and(String::is_empty)) {
                lines.push(line);
            }
        }
        lines
    }

    /// Shortens text to `width` with an ellipsis (for the one-line page header and footer).
    pub(super) fn fit(&self, s: Style, text: &str, width: f32) -> String {
        let text = clean(text).replace('\n', " ");
        if self.width(s, &text) <= width {
            return text;
        }
        let m = self.get(s.weight);
        let room = width - m.width("…", s.size);
        let mut out = String::new();
        let mut used = 0.0;
        for c in text.chars() {
            used += m.advance(m.glyph(c).0) * s.size / 1000.0;
            if used > room {
                break;
            }
            out.push(c);
        }
        out.push('…');
        out
    }
}

/// Splits a word into pieces that each fit `width` (at least one character each).
fn chop(m: &Metrics, size: f32, word: &str, width: f32) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut piece = String::new();
    let mut piece_w = 0.0;
    for c in word.chars() {
        let w = m.advance(m.glyph(c).0) * size / 1000.0;
        if !piece.is_empty() && piece_w + w > width {
            pieces.push(take(&mut piece));
            piece_w = 0.0;
        }
        piece.push(c);
        piece_w += w;
    }
    pieces.push(piece);
    pieces
}

/// Text as it is set: line breaks normalised to '\n', other white space to ' ', other control
/// characters dropped, trailing white space trimmed.
fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.trim_end().chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' | '\u{2028}' | '\u{2029}' => out.push('\n'),
            c if c.is_whitespace() => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}
