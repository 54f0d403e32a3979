//! A case's dossier as a PDF drawn on the server, for paper (US Letter): the cover, the facts,
//! parties, screening, decisions, deadlines, conditions, the timeline, the attachment manifest
//! and how to check the history. The text is laid out here, with the font's own metrics:
//! wrapped to the page, flowed across pages, headings kept with what follows them, words too
//! long for a line broken. It is set in Liberation Sans (SIL OFL 1.1, `data/fonts/`), embedded
//! as subsets; a character the font cannot show prints as '?'. Pure: a document in, bytes out.

use std::collections::BTreeMap;
use std::io::Write;
use std::mem::take;
use std::str::FromStr;

use flate2::write::ZlibEncoder;
use flate2::Compression;
use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};
use serde_json::Value;
use subsetter::GlyphRemapper;
use ttf_parser::GlyphId;

use super::json::CaseExport;
use crate::domain::history::{ChainedEvent, EventKind};
use crate::domain::report::{LeadAgency, PartyRole, Source, TxKind};
use crate::domain::screening::Screening;
use crate::domain::workflow::{Outcome, State};
use crate::service::attachments::human_size;

const REGULAR: &[u8] = include_bytes!("../../../data/fonts/LiberationSans-Regular.ttf");
const BOLD: &[u8] = include_bytes!("../../../data/fonts/LiberationSans-Bold.ttf");

/// Why a dossier could not be drawn. None of these depends on the case: each means the build's
/// embedded fonts or the PDF writer failed.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("the embedded font {0} cannot be read")]
    Font(&'static str),
    #[error("subsetting the font {font}: {source}")]
    Subset {
        font: &'static str,
        source: subsetter::Error,
    },
    #[error("compressing a stream: {0}")]
    Compress(#[from] std::io::Error),
    #[error("a stream of {0} bytes is too large for a PDF")]
    TooLarge(usize),
}

/// Draws the dossier of an exported case.
pub fn render(doc: &CaseExport) -> Result<Vec<u8>, PdfError> {
    let fonts = Fonts::load()?;
    let pages = lay_out(doc, &fonts);
    let title = format!("{} — {}", doc.case.reference, doc.case.title);
    write_pdf(&pages, &fonts, &title)
}

// ---------------------------------------------------------------------------------------------
// Page geometry and type styles (points; y runs down from the top edge until `write_pdf`)
// ---------------------------------------------------------------------------------------------

const PAGE_W: f32 = 612.0;
const PAGE_H: f32 = 792.0;
const LEFT: f32 = 54.0;
const WIDTH: f32 = PAGE_W - 2.0 * LEFT;
/// The body's first line box starts here.
const TOP: f32 = 60.0;
/// No body line box ends below this.
const BOTTOM: f32 = 738.0;
const HEADER_BASELINE: f32 = 38.0;
const FOOTER_BASELINE: f32 = 764.0;
/// Space between a table cell's text and the next column.
const CELL_PAD: f32 = 5.0;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Weight {
    Regular,
    Bold,
}

#[derive(Clone, Copy, Debug, PartialEq)]
struct Style {
    weight: Weight,
    size: f32,
    /// The height of a line box.
    lead: f32,
    /// 0 is black.
    gray: f32,
}

const fn style(weight: Weight, size: f32, lead: f32, gray: f32) -> Style {
    Style {
        weight,
        size,
        lead,
        gray,
    }
}

const BODY: Style = style(Weight::Regular, 9.0, 11.6, 0.0);
const STRONG: Style = style(Weight::Bold, 9.0, 11.6, 0.0);
const LABEL: Style = style(Weight::Bold, 7.8, 11.6, 0.38);
const NOTE: Style = style(Weight::Regular, 8.5, 11.6, 0.4);
const CELL: Style = style(Weight::Regular, 8.0, 10.0, 0.0);
const CELL_HEAD: Style = style(Weight::Bold, 7.5, 10.0, 0.38);
const SMALL: Style = style(Weight::Regular, 7.5, 9.0, 0.4);
const KICKER: Style = style(Weight::Bold, 8.0, 11.0, 0.45);
const H1: Style = style(Weight::Bold, 20.0, 25.0, 0.0);
const TITLE: Style = style(Weight::Regular, 13.0, 16.5, 0.0);
const H2: Style = style(Weight::Bold, 12.0, 15.0, 0.0);
const H3: Style = style(Weight::Bold, 9.5, 12.5, 0.2);

// ---------------------------------------------------------------------------------------------
// Fonts and text measure
// ---------------------------------------------------------------------------------------------

/// One embedded face and its metrics.
struct Metrics {
    /// The PostScript name.
    name: &'static str,
    data: &'static [u8],
    face: ttf_parser::Face<'static>,
    units_per_em: f32,
    /// The glyph of '?', shown for characters the face lacks.
    fallback: GlyphId,
    /// The dominant vertical stem width (a hint for readers that substitute fonts).
    stem_v: f32,
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
    fn glyph(&self, c: char) -> (GlyphId, char) {
        match self.face.glyph_index(c) {
            Some(g) if g.0 != 0 => (g, c),
            _ => (self.fallback, '?'),
        }
    }

    /// A glyph's advance, in thousandths of the font size.
    fn advance(&self, g: GlyphId) -> f32 {
        f32::from(self.face.glyph_hor_advance(g).unwrap_or(0)) * 1000.0 / self.units_per_em
    }

    fn width(&self, text: &str, size: f32) -> f32 {
        let total: f32 = text.chars().map(|c| self.advance(self.glyph(c).0)).sum();
        total * size / 1000.0
    }

    /// Scales a font-unit value to thousandths of the font size.
    fn scaled(&self, v: i16) -> f32 {
        f32::from(v) * 1000.0 / self.units_per_em
    }
}

struct Fonts {
    regular: Metrics,
    bold: Metrics,
}

impl Fonts {
    fn load() -> Result<Fonts, PdfError> {
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

    fn width(&self, s: Style, text: &str) -> f32 {
        self.get(s.weight).width(text, s.size)
    }

    /// Breaks text into lines no wider than `width`: at spaces, at the text's own line breaks,
    /// and inside any word longer than a line.
    fn wrap(&self, s: Style, text: &str, width: f32) -> Vec<String> {
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
    fn fit(&self, s: Style, text: &str, width: f32) -> String {
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

// ---------------------------------------------------------------------------------------------
// Layout: pages of positioned text runs and rules
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Debug, PartialEq)]
enum Op {
    /// One line of text; `y` is its baseline.
    Text {
        x: f32,
        y: f32,
        style: Style,
        text: String,
    },
    /// A horizontal rule.
    Rule {
        x1: f32,
        x2: f32,
        y: f32,
        width: f32,
        gray: f32,
    },
}

/// A heading waiting for the first line of what follows it, so that the two share a page.
struct Heading {
    text: String,
    style: Style,
    gap: f32,
    rule: bool,
    /// Set beside the heading ("none") when the section is empty.
    note: Option<String>,
}

impl Heading {
    fn height(&self) -> f32 {
        self.gap + self.style.lead + if self.rule { 4.0 } else { 1.0 }
    }
}

/// Cells set side by side: a table row, or a row of label–value pairs.
struct Cell {
    x: f32,
    style: Style,
    lines: Vec<String>,
}

struct Layout<'f> {
    fonts: &'f Fonts,
    pages: Vec<Vec<Op>>,
    ops: Vec<Op>,
    /// The top of the next line box.
    y: f32,
    waiting: Vec<Heading>,
}

impl<'f> Layout<'f> {
    fn new(fonts: &'f Fonts) -> Self {
        Layout {
            fonts,
            pages: Vec::new(),
            ops: Vec::new(),
            y: TOP,
            waiting: Vec::new(),
        }
    }

    fn finish(mut self) -> Vec<Vec<Op>> {
        self.room(0.0);
        if !self.ops.is_empty() || self.pages.is_empty() {
            self.pages.push(self.ops);
        }
        self.pages
    }

    fn at_top(&self) -> bool {
        self.y <= TOP + 0.01
    }

    fn new_page(&mut self) {
        let ops = take(&mut self.ops);
        self.pages.push(ops);
        self.y = TOP;
    }

    fn gap(&mut self, h: f32) {
        if !self.at_top() {
            self.y += h;
        }
    }

    /// Makes room for `h` points of content below the waiting headings, starting a page if
    /// they do not fit together, and sets the headings.
    fn room(&mut self, h: f32) {
        let waiting: f32 = self.waiting.iter().map(Heading::height).sum();
        if self.y + waiting + h > BOTTOM && !self.at_top() {
            self.new_page();
        }
        for heading in take(&mut self.waiting) {
            self.set_heading(heading);
        }
    }

    fn set_heading(&mut self, h: Heading) {
        self.gap(h.gap);
        if let Some(note) = h.note {
            let x = LEFT + self.fonts.width(h.style, &h.text) + 8.0;
            self.put(x, h.style.lead, NOTE, note);
        }
        self.put(LEFT, h.style.lead, h.style, h.text);
        self.y += h.style.lead;
        if h.rule {
            self.rule(self.y + 1.0, 0.6, 0.55);
            self.y += 4.0;
        } else {
            self.y += 1.0;
        }
    }

    /// Puts one line of text in the line box at the cursor (which does not move).
    fn put(&mut self, x: f32, lead: f32, style: Style, text: String) {
        if !text.is_empty() {
            let y = self.y + 0.78 * lead;
            self.ops.push(Op::Text { x, y, style, text });
        }
    }

    fn rule(&mut self, y: f32, width: f32, gray: f32) {
        self.ops.push(Op::Rule {
            x1: LEFT,
            x2: LEFT + WIDTH,
            y,
            width,
            gray,
        });
    }

    fn heading(&mut self, style: Style, gap: f32, rule: bool, text: &str, note: Option<&str>) {
        self.waiting.push(Heading {
            text: self.fonts.fit(style, text, WIDTH),
            style,
            gap,
            rule,
            note: note.map(str::to_string),
        });
        if note.is_some() {
            self.room(0.0);
        }
    }

    /// A section's heading, set with the first line of what follows it.
    fn section(&mut self, title: &str) {
        self.heading(H2, 13.0, true, title, None);
    }

    /// A section with nothing in it: its heading, and `note` beside it.
    fn empty_section(&mut self, title: &str, note: &str) {
        self.heading(H2, 13.0, true, title, Some(note));
    }

    fn sub(&mut self, title: &str) {
        self.heading(H3, 5.0, false, title, None);
    }

    fn empty_sub(&mut self, title: &str, note: &str) {
        self.heading(H3, 5.0, false, title, Some(note));
    }

    fn lines(&mut self, x: f32, style: Style, lines: Vec<String>) {
        for line in lines {
            self.room(style.lead);
            self.put(x, style.lead, style, line);
            self.y += style.lead;
        }
    }

    fn para(&mut self, style: Style, text: &str) {
        let lines = self.fonts.wrap(style, text, WIDTH);
        self.lines(LEFT, style, lines);
    }

    fn bullet(&mut self, text: &str) {
        let lines = self.fonts.wrap(BODY, text, WIDTH - 12.0);
        for (i, line) in lines.into_iter().enumerate() {
            self.room(BODY.lead);
            if i == 0 {
                self.put(LEFT + 2.0, BODY.lead, BODY, "•".into());
            }
            self.put(LEFT + 12.0, BODY.lead, BODY, line);
            self.y += BODY.lead;
        }
        self.y += 1.0;
    }

    /// Sets cells side by side, line by line: on one page when they fit on one, otherwise
    /// continued on the next with the table's header repeated.
    fn row(&mut self, cells: &[Cell], lead: f32, header: Option<&[Cell]>) {
        let n = cells
            .iter()
            .map(|c| c.lines.len())
            .max()
            .unwrap_or(0)
            .max(1);
        let height = n as f32 * lead;
        let header_h = header.map_or(0.0, |h| self.header_height(h));
        if header.is_none() {
            // A table makes its own room (with its header); other rows keep their first lines
            // with the headings above them.
            self.room(height.min(lead * 2.0));
        }
        if self.y + height > BOTTOM && height <= BOTTOM - TOP - header_h {
            self.new_page();
            self.table_header(header);
        }
        for i in 0..n {
            if self.y + lead > BOTTOM {
                self.new_page();
                self.table_header(header);
            }
            for c in cells {
                if let Some(line) = c.lines.get(i) {
                    self.put(c.x, lead, c.style, line.clone());
                }
            }
            self.y += lead;
        }
    }

    fn header_height(&self, header: &[Cell]) -> f32 {
        let n = header.iter().map(|c| c.lines.len()).max().unwrap_or(0);
        n as f32 * CELL_HEAD.lead + 3.0
    }

    fn table_header(&mut self, header: Option<&[Cell]>) {
        let Some(cells) = header else { return };
        let n = cells.iter().map(|c| c.lines.len()).max().unwrap_or(0);
        for i in 0..n {
            for c in cells {
                if let Some(line) = c.lines.get(i) {
                    self.put(c.x, CELL_HEAD.lead, c.style, line.clone());
                }
            }
            self.y += CELL_HEAD.lead;
        }
        self.rule(self.y + 0.5, 0.5, 0.5);
        self.y += 3.0;
    }

    /// A table: columns as (title, share of the width), each row a cell per column.
    fn table(&mut self, columns: &[(&str, f32)], rows: &[Vec<String>]) {
        let mut x = LEFT;
        let mut spans = Vec::with_capacity(columns.len());
        for (_, share) in columns {
            spans.push((x, share * WIDTH - CELL_PAD));
            x += share * WIDTH;
        }
        let fonts = self.fonts;
        let cells = |style: Style, texts: &mut dyn Iterator<Item = &str>| -> Vec<Cell> {
            texts
                .zip(&spans)
                .map(|(t, (x, w))| Cell {
                    x: *x,
                    style,
                    lines: fonts.wrap(style, t, *w),
                })
                .collect()
        };
        let header = cells(CELL_HEAD, &mut columns.iter().map(|(t, _)| *t));
        let body: Vec<Vec<Cell>> = rows
            .iter()
            .map(|r| cells(CELL, &mut r.iter().map(String::as_str)))
            .collect();
        // The header goes with the first lines of the first row.
        self.room(self.header_height(&header) + 2.0 * CELL.lead);
        self.table_header(Some(&header));
        for row in &body {
            self.row(row, CELL.lead, Some(&header));
            self.rule(self.y + 1.5, 0.3, 0.82);
            self.y += 3.0;
        }
    }

    /// Label–value pairs, two to a row; a `wide` pair takes a row of its own.
    fn grid(&mut self, items: &[(&str, String, bool)]) {
        const LABEL_W: f32 = 78.0;
        let half = WIDTH / 2.0;
        let mut i = 0;
        while let Some((label, value, wide)) = items.get(i) {
            let next = items.get(i + 1).filter(|(_, _, w)| !*wide && !*w);
            let span = if *wide { WIDTH } else { half };
            let mut cells: Vec<Cell> = self.pair(LEFT, span, LABEL_W, label, value).into();
            if let Some((l, v, _)) = next {
                cells.extend(self.pair(LEFT + half, half, LABEL_W, l, v));
            }
            self.row(&cells, BODY.lead, None);
            self.y += 1.5;
            i += if next.is_some() { 2 } else { 1 };
        }
    }

    fn pair(&self, x: f32, span: f32, label_w: f32, label: &str, value: &str) -> [Cell; 2] {
        [
            Cell {
                x,
                style: LABEL,
                lines: self.fonts.wrap(LABEL, label, label_w - 4.0),
            },
            Cell {
                x: x + label_w,
                style: BODY,
                lines: self.fonts.wrap(BODY, value, span - label_w - 10.0),
            },
        ]
    }
}

// ---------------------------------------------------------------------------------------------
// The dossier's content
// ---------------------------------------------------------------------------------------------

fn lay_out(doc: &CaseExport, fonts: &Fonts) -> Vec<Vec<Op>> {
    let mut l = Layout::new(fonts);
    cover(&mut l, doc);
    facts(&mut l, doc);
    parties(&mut l, doc);
    match &doc.screening {
        Some(s) => screening(&mut l, s),
        None => l.empty_section("Screening", "not screened"),
    }
    hit_decisions(&mut l, doc);
    deadlines(&mut l, doc);
    decisions(&mut l, doc);
    conditions(&mut l, doc);
    timeline(&mut l, &doc.events);
    attachments(&mut l, doc);
    history(&mut l, doc);
    let mut pages = l.finish();
    decorate(&mut pages, fonts, doc);
    pages
}

fn cover(l: &mut Layout<'_>, doc: &CaseExport) {
    let c = &doc.case;
    l.para(KICKER, "CORDON · CASE DOSSIER");
    l.para(H1, &c.reference);
    l.para(TITLE, &c.title);
    l.gap(6.0);
    let risk = match (c.risk_score, &c.risk_band) {
        (Some(s), Some(b)) => format!("{s} ({b})"),
        (Some(s), None) => s.to_string(),
        _ => "not scored".into(),
    };
    let screening = doc.screening.as_ref().map_or("not screened".into(), |s| {
        format!("{} (rules {})", s.jurisdiction.label(), s.rules_version)
    });
    let received = match &c.created_by {
        Some(by) => format!("{} by {by}", c.received_on),
        None => c.received_on.to_string(),
    };
    let chain = match (&doc.chain.head, doc.chain.verified) {
        (Some(h), true) => h.clone(),
        (None, true) => "no events".into(),
        (_, false) => format!(
            "DOES NOT VERIFY: {}",
            doc.chain
                .broken
                .as_deref()
                .unwrap_or("the stored chain is broken")
        ),
    };
    l.grid(&[
        (
            "State",
            format!("{} since {}", named(&c.state, State::label), c.state_since),
            false,
        ),
        (
            "Outcome",
            opt_named(&c.outcome, Outcome::label, "open"),
            false,
        ),
        ("Risk", risk, false),
        ("Screening", screening, false),
        ("Source", named(&c.source, Source::label), false),
        ("Received", received, false),
        ("Assignee", or(&c.assignee, "unassigned"), false),
        (
            "Lead agency",
            opt_named(&c.lead_agency, LeadAgency::label, "none"),
            false,
        ),
        (
            "Exported",
            format!("{} by {}", stamp(&doc.exported_at), doc.exported_by),
            false,
        ),
        ("Events", doc.chain.events.to_string(), false),
        ("Chain head", chain, true),
    ]);
}

fn facts(l: &mut Layout<'_>, doc: &CaseExport) {
    let (c, t, p) = (&doc.case, &doc.case.transaction, &doc.case.property);
    l.section("Facts");
    if !c.summary.trim().is_empty() {
        l.para(BODY, &c.summary);
        l.gap(4.0);
    }
    let yes = |b: bool| if b { "yes" } else { "no" };
    let r = &t.rights;
    let flags: Vec<&str> = [
        (p.urban_area, "urban area"),
        (p.single_housing_unit, "single housing unit"),
        (p.in_port, "in a port"),
        (p.commercial_office, "commercial office space"),
    ]
    .iter()
    .filter(|(on, _)| *on)
    .map(|(_, name)| *name)
    .collect();
    l.grid(&[
        ("Transaction", named(&t.kind, TxKind::label), false),
        ("Date", t.date.map_or("—".into(), |d| d.to_string()), false),
        ("Value", t.value_usd.map_or("—".into(), dollars), false),
        (
            "Power",
            t.power_mw.map_or("—".into(), |mw| format!("{mw} MW")),
            false,
        ),
        (
            "Rights",
            format!(
                "access {}, exclude {}, improve {}, affix {}",
                yes(r.access),
                yes(r.exclude),
                yes(r.improve),
                yes(r.affix)
            ),
            true,
        ),
        ("Intended use", or_dash(&t.intended_use), true),
        ("Location", format!("{}, {}", p.lat, p.lon), false),
        (
            "State / county",
            format!(
                "{} / {}",
                p.state.as_deref().unwrap_or("—"),
                p.county_fips.as_deref().unwrap_or("—")
            ),
            false,
        ),
        ("Address", or_dash(&p.address), true),
        (
            "Acreage",
            p.acreage.map_or("—".into(), |a| format!("{a} acres")),
            false,
        ),
        (
            "Flags",
            if flags.is_empty() {
                "none".into()
            } else {
                flags.join(", ")
            },
            false,
        ),
    ]);
}

fn parties(l: &mut Layout<'_>, doc: &CaseExport) {
    if doc.parties.is_empty() {
        return l.empty_section("Parties", "none recorded");
    }
    l.section("Parties");
    let rows: Vec<Vec<String>> = doc
        .parties
        .iter()
        .map(|p| {
            let mut gov = Vec::new();
            if p.government_controlled {
                gov.push("government-controlled");
            }
            if p.state_owned {
                gov.push("state-owned");
            }
            vec![
                p.key.clone(),
                p.name.clone(),
                country(&p.country),
                named(&p.role, PartyRole::label),
                p.owns.clone().unwrap_or_else(|| "—".into()),
                p.ownership_pct.map_or("—".into(), |s| format!("{s}%")),
                if gov.is_empty() {
                    "no".into()
                } else {
                    gov.join(", ")
                },
            ]
        })
        .collect();
    l.table(
        &[
            ("Key", 0.06),
            ("Name", 0.29),
            ("Country", 0.15),
            ("Role", 0.13),
            ("Owns", 0.07),
            ("Share", 0.08),
            ("Government / state-owned", 0.22),
        ],
        &rows,
    );
}

fn screening(l: &mut Layout<'_>, s: &Screening) {
    l.section("Screening");
    l.para(
        STRONG,
        &format!(
            "{} · rules {} · sites in force on {}",
            s.jurisdiction.label(),
            s.rules_version,
            s.as_of
        ),
    );
    l.gap(2.0);
    for r in &s.reasons {
        l.bullet(r);
    }
    foreign_person(l, s);
    list(
        l,
        "Zones",
        s.zones.iter().map(|z| {
            format!(
                "{} ({}) — {}, {:.2} mi",
                z.site,
                z.kind.label(),
                z.zone.as_str().replace('_', " "),
                z.distance_mi
            )
        }),
    );
    list(
        l,
        "Nearest sites",
        s.nearest
            .iter()
            .map(|n| format!("{} ({}), {:.2} mi", n.site, n.kind.label(), n.distance_mi)),
    );
    list(
        l,
        "Watchlist hits",
        s.watchlist_hits.iter().map(|h| {
            format!(
                "{} ≈ {} ({}, {}; entry {}), score {:.2}",
                h.party, h.entry, h.list, h.program, h.entry_id, h.score
            )
        }),
    );
    risk(l, s);
    list(
        l,
        "State law",
        s.state_law.iter().map(|f| {
            let applies = if f.applies { "applies" } else { "flag only" };
            format!("{}: {} ({applies}) — {}", f.state, f.law, f.finding)
        }),
    );
}

fn foreign_person(l: &mut Layout<'_>, s: &Screening) {
    let f = &s.foreign_person;
    if !f.foreign {
        return l.empty_sub("Foreign person", "none on the buyer side");
    }
    l.sub("Foreign person");
    let countries: Vec<String> = f.countries.iter().map(|c| country(c)).collect();
    l.para(BODY, &format!("Countries: {}", countries.join(", ")));
    if !f.ultimate_owners.is_empty() {
        l.para(
            BODY,
            &format!("Ultimate owners: {}", f.ultimate_owners.join("; ")),
        );
    }
    for chain in &f.chain {
        l.bullet(chain);
    }
}

fn risk(l: &mut Layout<'_>, s: &Screening) {
    let r = &s.risk;
    l.sub("Risk");
    let mut line = format!(
        "Threat {} × vulnerability {} × consequence {} = {} ({})",
        r.threat,
        r.vulnerability,
        r.consequence,
        r.score,
        r.band.as_str()
    );
    if !r.overridden.is_empty() {
        line.push_str(&format!("; set by a reviewer: {}", r.overridden.join(", ")));
    }
    l.para(STRONG, &line);
    let factors = [
        ("Threat", &r.factors.threat),
        ("Vulnerability", &r.factors.vulnerability),
        ("Consequence", &r.factors.consequence),
    ];
    for (name, list) in factors {
        for f in list {
            l.bullet(&format!("{name} {:+}: {}", f.points, f.label));
        }
    }
}

/// A sub-heading and a bullet per item, or the sub-heading and "none".
fn list(l: &mut Layout<'_>, title: &str, items: impl Iterator<Item = String>) {
    let mut items = items.peekable();
    if items.peek().is_none() {
        return l.empty_sub(title, "none");
    }
    l.sub(title);
    for item in items {
        l.bullet(&item);
    }
}

fn hit_decisions(l: &mut Layout<'_>, doc: &CaseExport) {
    if doc.hit_decisions.is_empty() {
        return l.empty_section("Hit decisions", "none");
    }
    l.section("Hit decisions");
    for d in &doc.hit_decisions {
        l.bullet(&format!(
            "{} / entry {}: {} by {} at {} — {}",
            d.party,
            d.entry_id,
            d.decision,
            d.decided_by,
            stamp(&d.decided_at),
            d.rationale
        ));
    }
}

fn deadlines(l: &mut Layout<'_>, doc: &CaseExport) {
    if doc.deadlines.is_empty() {
        return l.empty_section("Deadlines", "none");
    }
    l.section("Deadlines");
    let rows: Vec<Vec<String>> = doc
        .deadlines
        .iter()
        .map(|d| {
            let status = if d.open { "open" } else { "closed" };
            vec![
                d.label.clone(),
                d.starts.to_string(),
                d.due.to_string(),
                status.into(),
            ]
        })
        .collect();
    l.table(
        &[
            ("Deadline", 0.52),
            ("Starts", 0.16),
            ("Due", 0.16),
            ("Status", 0.16),
        ],
        &rows,
    );
}

fn decisions(l: &mut Layout<'_>, doc: &CaseExport) {
    if doc.decisions.is_empty() {
        return l.empty_section("Decisions", "none recorded");
    }
    l.section("Decisions");
    for d in &doc.decisions {
        let mut text = d.decision.clone();
        if let Some(o) = &d.outcome {
            text.push_str(&format!(" ({})", named(o, Outcome::label)));
        }
        if let Some(e) = &d.effective {
            text.push_str(&format!(", effective {e}"));
        }
        text.push_str(&format!(
            " — {}, event #{} at {}",
            d.by,
            d.seq,
            stamp(&d.at)
        ));
        if let Some(r) = d.rationale.as_deref().filter(|r| !r.trim().is_empty()) {
            text.push_str(&format!(": {r}"));
        }
        l.bullet(&text);
    }
}

fn conditions(l: &mut Layout<'_>, doc: &CaseExport) {
    if doc.conditions.is_empty() {
        return l.empty_section("Conditions", "none");
    }
    l.section("Conditions");
    let rows: Vec<Vec<String>> = doc
        .conditions
        .iter()
        .map(|c| {
            vec![
                c.kind.clone(),
                c.text.clone(),
                c.due.map_or("—".into(), |d| d.to_string()),
                c.status.clone(),
            ]
        })
        .collect();
    l.table(
        &[
            ("Kind", 0.13),
            ("Condition", 0.57),
            ("Due", 0.15),
            ("Status", 0.15),
        ],
        &rows,
    );
}

fn timeline(l: &mut Layout<'_>, events: &[ChainedEvent]) {
    if events.is_empty() {
        return l.empty_section("Timeline", "no events");
    }
    l.section("Timeline");
    let rows: Vec<Vec<String>> = events
        .iter()
        .map(|e| {
            vec![
                e.body.seq.to_string(),
                stamp(&e.body.at).trim_end_matches(" UTC").to_string(),
                e.body.actor.clone(),
                e.body.kind.replace('_', " "),
                summary(e),
            ]
        })
        .collect();
    l.table(
        &[
            ("#", 0.05),
            ("At (UTC)", 0.16),
            ("Actor", 0.13),
            ("Event", 0.14),
            ("Summary", 0.52),
        ],
        &rows,
    );
}

fn attachments(l: &mut Layout<'_>, doc: &CaseExport) {
    if doc.attachments.is_empty() {
        return l.empty_section("Attachments", "none");
    }
    l.section("Attachments");
    let rows: Vec<Vec<String>> = doc
        .attachments
        .iter()
        .map(|a| {
            vec![
                a.name.clone(),
                human_size(a.size),
                a.sha256.clone(),
                format!("{} at {}", a.uploaded_by, stamp(&a.uploaded_at)),
            ]
        })
        .collect();
    l.table(
        &[
            ("Name", 0.28),
            ("Size", 0.10),
            ("SHA-256", 0.36),
            ("Uploaded by", 0.26),
        ],
        &rows,
    );
}

fn history(l: &mut Layout<'_>, doc: &CaseExport) {
    l.section("History");
    let n = match doc.chain.events {
        1 => "1 event".to_string(),
        n => format!("{n} events"),
    };
    match (&doc.chain.head, doc.chain.verified) {
        (Some(head), true) => l.para(STRONG, &format!("{n}, chain head {head}")),
        (None, true) => l.para(STRONG, &n),
        (_, false) => l.para(
            STRONG,
            &format!(
                "{n}; the history does NOT verify: {}",
                doc.chain
                    .broken
                    .as_deref()
                    .unwrap_or("the stored chain is broken")
            ),
        ),
    }
    l.gap(2.0);
    l.para(
        BODY,
        &format!(
            "Each event carries the SHA-256 of its canonical form and the hash of the event \
             before it, so a changed, removed, reordered or inserted event breaks the chain. \
             To check this history, export the case as JSON and run `cordon verify {}.json`: it \
             recomputes every hash offline and prints the chain head, which must match the one \
             above.",
            doc.case.reference
        ),
    );
}

/// The one-line summary of an event's payload.
fn summary(e: &ChainedEvent) -> String {
    let p = &e.body.payload;
    let text = |key: &str| p.get(key).and_then(Value::as_str).unwrap_or("").to_string();
    let s = match EventKind::parse(&e.body.kind) {
        Some(EventKind::Transitioned) => {
            let mut s = format!(
                "{} → {}",
                named(&text("from"), State::label),
                named(&text("to"), State::label)
            );
            let rationale = text("rationale");
            if !rationale.trim().is_empty() {
                s.push_str(&format!(": {rationale}"));
            }
            s
        }
        Some(EventKind::Commented) => text("body"),
        _ => pairs(p),
    };
    // One line: every run of white space (line breaks included) becomes one space.
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A payload as compact `key: value` pairs.
fn pairs(v: &Value) -> String {
    match v {
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| format!("{k}: {}", value(v)))
            .collect::<Vec<_>>()
            .join("; "),
        other => value(other),
    }
}

/// A payload value in words: lists joined with commas, objects as `(key: value, …)`.
fn value(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "—".into(),
        Value::Array(items) => items.iter().map(value).collect::<Vec<_>>().join(", "),
        Value::Object(map) => {
            let inner: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{k}: {}", value(v)))
                .collect();
            format!("({})", inner.join(", "))
        }
        other => other.to_string(),
    }
}

/// Adds the running header and footer to every page.
fn decorate(pages: &mut [Vec<Op>], fonts: &Fonts, doc: &CaseExport) {
    let header = fonts.fit(
        SMALL,
        &format!("Cordon case dossier — {}", doc.case.reference),
        WIDTH,
    );
    let chain = match (&doc.chain.head, doc.chain.verified) {
        (Some(h), true) => format!("chain head {}…", h.chars().take(16).collect::<String>()),
        (None, true) => "no events".into(),
        (_, false) => match doc.chain.broken.as_deref() {
            Some(b) => format!("chain broken at {}", b.split(':').next().unwrap_or(b)),
            None => "chain broken".into(),
        },
    };
    let total = pages.len();
    for (i, ops) in pages.iter_mut().enumerate() {
        let footer = fonts.fit(
            SMALL,
            &format!("page {} of {total} · {chain}", i + 1),
            WIDTH,
        );
        let x = LEFT + (WIDTH - fonts.width(SMALL, &footer)) / 2.0;
        ops.extend([
            Op::Text {
                x: LEFT,
                y: HEADER_BASELINE,
                style: SMALL,
                text: header.clone(),
            },
            Op::Rule {
                x1: LEFT,
                x2: LEFT + WIDTH,
                y: HEADER_BASELINE + 5.0,
                width: 0.4,
                gray: 0.6,
            },
            Op::Rule {
                x1: LEFT,
                x2: LEFT + WIDTH,
                y: FOOTER_BASELINE - 11.0,
                width: 0.4,
                gray: 0.6,
            },
            Op::Text {
                x,
                y: FOOTER_BASELINE,
                style: SMALL,
                text: footer,
            },
        ]);
    }
}

// ---------------------------------------------------------------------------------------------
// Words
// ---------------------------------------------------------------------------------------------

/// The label of a stored value ("filing_requested" → "Filing requested"), or the value made
/// readable when it is not one the domain knows.
fn named<T: FromStr>(raw: &str, label: fn(T) -> &'static str) -> String {
    match raw.parse::<T>() {
        Ok(v) => label(v).to_string(),
        Err(_) => {
            let words = raw.replace('_', " ");
            let mut chars = words.chars();
            chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect())
                .unwrap_or_default()
        }
    }
}

fn opt_named<T: FromStr>(raw: &Option<String>, label: fn(T) -> &'static str, none: &str) -> String {
    raw.as_deref().map_or(none.to_string(), |r| named(r, label))
}

fn or(v: &Option<String>, none: &str) -> String {
    v.clone().unwrap_or_else(|| none.to_string())
}

fn or_dash(s: &str) -> String {
    if s.trim().is_empty() {
        "—".into()
    } else {
        s.to_string()
    }
}

fn country(code: &str) -> String {
    match crate::domain::countries::country_name(code) {
        Some(name) => format!("{code} {name}"),
        None => code.to_string(),
    }
}

/// `2024-05-13T15:00:00Z` → `2024-05-13 15:00:00 UTC`.
fn stamp(at: &str) -> String {
    match at.strip_suffix('Z') {
        Some(t) => format!("{} UTC", t.replacen('T', " ", 1)),
        None => at.to_string(),
    }
}

/// Whole dollars with thousands separators.
fn dollars(v: i64) -> String {
    let digits = v.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if v < 0 {
        format!("−${out}")
    } else {
        format!("${out}")
    }
}

// ---------------------------------------------------------------------------------------------
// PDF output
// ---------------------------------------------------------------------------------------------

/// The objects of one embedded font.
struct FontRefs {
    type0: Ref,
    cid: Ref,
    descriptor: Ref,
    to_unicode: Ref,
    file: Ref,
}

/// What the pages used of one font: the glyphs (numbered as in the subset) and the character
/// each stands for.
#[derive(Default)]
struct Used {
    glyphs: GlyphRemapper,
    chars: BTreeMap<u16, char>,
}

impl Used {
    /// The text as the font's 2-byte codes (Identity-H: code = glyph number in the subset).
    fn encode(&mut self, m: &Metrics, text: &str) -> Vec<u8> {
        let mut out = Vec::with_capacity(text.len() * 2);
        for c in text.chars() {
            let (g, shown) = m.glyph(c);
            let cid = self.glyphs.remap(g.0);
            self.chars.entry(cid).or_insert(shown);
            out.extend(cid.to_be_bytes());
        }
        out
    }
}

const IDENTITY: SystemInfo<'static> = SystemInfo {
    registry: Str(b"Adobe"),
    ordering: Str(b"Identity"),
    supplement: 0,
};

fn write_pdf(pages: &[Vec<Op>], fonts: &Fonts, title: &str) -> Result<Vec<u8>, PdfError> {
    let mut next = Ref::new(1);
    let catalog = next.bump();
    let tree = next.bump();
    let info = next.bump();
    let mut font_refs = || FontRefs {
        type0: next.bump(),
        cid: next.bump(),
        descriptor: next.bump(),
        to_unicode: next.bump(),
        file: next.bump(),
    };
    let refs = [font_refs(), font_refs()];
    let mut used = [Used::default(), Used::default()];
    let mut pdf = Pdf::new();
    let mut kids = Vec::with_capacity(pages.len());
    for ops in pages {
        let (page, content) = (next.bump(), next.bump());
        let stream = deflate(&page_content(ops, fonts, &mut used))?;
        pdf.stream(content, &stream).filter(Filter::FlateDecode);
        let mut p = pdf.page(page);
        p.media_box(Rect::new(0.0, 0.0, PAGE_W, PAGE_H))
            .parent(tree)
            .contents(content);
        p.resources()
            .fonts()
            .pair(Name(b"F1"), refs[0].type0)
            .pair(Name(b"F2"), refs[1].type0);
        p.finish();
        kids.push(page);
    }
    let count = i32::try_from(kids.len()).map_err(|_| PdfError::TooLarge(kids.len()))?;
    pdf.pages(tree).kids(kids).count(count);
    pdf.catalog(catalog).pages(tree);
    pdf.document_info(info)
        .title(TextStr(title))
        .creator(TextStr("Cordon"))
        .producer(TextStr("Cordon"));
    let [regular, bold] = &refs;
    let [used_regular, used_bold] = &used;
    write_font(&mut pdf, regular, &fonts.regular, used_regular)?;
    write_font(&mut pdf, bold, &fonts.bold, used_bold)?;
    Ok(pdf.finish())
}

fn page_content(ops: &[Op], fonts: &Fonts, used: &mut [Used; 2]) -> Vec<u8> {
    let mut c = Content::new();
    c.begin_text();
    let mut font: Option<(Weight, f32)> = None;
    let mut gray: Option<f32> = None;
    for op in ops {
        let Op::Text { x, y, style, text } = op else {
            continue;
        };
        if font != Some((style.weight, style.size)) {
            let name = match style.weight {
                Weight::Regular => Name(b"F1"),
                Weight::Bold => Name(b"F2"),
            };
            c.set_font(name, style.size);
            font = Some((style.weight, style.size));
        }
        if gray != Some(style.gray) {
            c.set_fill_gray(style.gray);
            gray = Some(style.gray);
        }
        let [regular, bold] = used;
        let (u, m) = match style.weight {
            Weight::Regular => (regular, &fonts.regular),
            Weight::Bold => (bold, &fonts.bold),
        };
        c.set_text_matrix([1.0, 0.0, 0.0, 1.0, *x, PAGE_H - *y]);
        c.show(Str(&u.encode(m, text)));
    }
    c.end_text();
    for op in ops {
        if let Op::Rule {
            x1,
            x2,
            y,
            width,
            gray,
        } = op
        {
            c.set_stroke_gray(*gray);
            c.set_line_width(*width);
            c.move_to(*x1, PAGE_H - *y);
            c.line_to(*x2, PAGE_H - *y);
            c.stroke();
        }
    }
    c.finish().into_vec()
}

/// Writes a font as a Type 0 font over a CID-keyed TrueType subset, with its widths and the
/// map from its glyphs back to characters (so the text can be searched and copied).
fn write_font(pdf: &mut Pdf, refs: &FontRefs, m: &Metrics, used: &Used) -> Result<(), PdfError> {
    let base = format!("{}+{}", subset_tag(&used.glyphs), m.name);
    let base = Name(base.as_bytes());
    pdf.type0_font(refs.type0)
        .base_font(base)
        .encoding_predefined(Name(b"Identity-H"))
        .descendant_font(refs.cid)
        .to_unicode(refs.to_unicode);
    let widths: Vec<f32> = used
        .glyphs
        .remapped_gids()
        .map(|g| m.advance(GlyphId(g)))
        .collect();
    let mut cid = pdf.cid_font(refs.cid);
    cid.subtype(CidFontType::Type2)
        .base_font(base)
        .system_info(IDENTITY)
        .font_descriptor(refs.descriptor)
        .default_width(0.0)
        .cid_to_gid_map_predefined(Name(b"Identity"));
    cid.widths().consecutive(0, widths);
    cid.finish();
    let b = m.face.global_bounding_box();
    let cap = m.face.capital_height().unwrap_or(m.face.ascender());
    pdf.font_descriptor(refs.descriptor)
        .name(base)
        .flags(FontFlags::NON_SYMBOLIC)
        .bbox(Rect::new(
            m.scaled(b.x_min),
            m.scaled(b.y_min),
            m.scaled(b.x_max),
            m.scaled(b.y_max),
        ))
        .italic_angle(0.0)
        .ascent(m.scaled(m.face.ascender()))
        .descent(m.scaled(m.face.descender()))
        .cap_height(m.scaled(cap))
        .stem_v(m.stem_v)
        .font_file2(refs.file);
    let mut cmap = UnicodeCmap::new(Name(b"Custom"), IDENTITY);
    for (cid, c) in &used.chars {
        cmap.pair(*cid, *c);
    }
    pdf.cmap(refs.to_unicode, &cmap.finish());
    let program =
        subsetter::subset(m.data, 0, &used.glyphs).map_err(|source| PdfError::Subset {
            font: m.name,
            source,
        })?;
    let length = i32::try_from(program.len()).map_err(|_| PdfError::TooLarge(program.len()))?;
    pdf.stream(refs.file, &deflate(&program)?)
        .filter(Filter::FlateDecode)
        .pair(Name(b"Length1"), length);
    Ok(())
}

/// The six capital letters that name a font subset, from the glyphs it holds.
fn subset_tag(glyphs: &GlyphRemapper) -> String {
    let hash = glyphs.remapped_gids().fold(0x811c_9dc5_u32, |h, g| {
        (h ^ u32::from(g)).wrapping_mul(0x0100_0193)
    });
    (0..6)
        .map(|i| char::from(b'A' + ((hash >> (i * 5)) % 26) as u8))
        .collect()
}

fn deflate(data: &[u8]) -> Result<Vec<u8>, PdfError> {
    let mut z = ZlibEncoder::new(Vec::with_capacity(data.len() / 3), Compression::default());
    z.write_all(data)?;
    let out = z.finish()?;
    // pdf-writer writes a stream's length as an i32.
    if i32::try_from(out.len()).is_err() {
        return Err(PdfError::TooLarge(out.len()));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use chrono::NaiveDate;
    use serde_json::json;

    use super::*;
    use crate::domain::history::{next_event, verify};
    use crate::domain::risk::{Band, Factor, Risk, RiskFactors};
    use crate::domain::screening::{
        ForeignPerson, Jurisdiction, Nearest, SiteKind, StateLawFinding, WatchHit, Zone, ZoneHit,
    };
    use crate::service::export::json::{
        ConditionJson, ExportedAttachment, ExportedCase, ExportedChain, ExportedDeadline,
        ExportedDecision, ExportedHitDecision, PartyJson, PropertyJson, RightsJson,
        TransactionJson,
    };

    const REFERENCE: &str = "CFN-2024-00017";
    const CASE_TITLE: &str = "MineOne purchase near F.E. Warren AFB";
    const LONG_WORD_LEN: usize = 600;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// A history of `n` events, cycling through kinds and hostile text.
    fn history_of(n: usize) -> Vec<ChainedEvent> {
        let hostile = [
            "<script>alert(1)</script>".to_string(),
            "w".repeat(LONG_WORD_LEN),
            "收购方：北京某某科技有限公司 (parent) 与 MineOne".to_string(),
            r#"Quotes "double" and 'single', a backslash \ and two \\, (parens) % <>"#.to_string(),
            "line one\nline two\r\nline three\ttabbed\n\n\n\nafter blank lines".to_string(),
        ];
        let mut v: Vec<ChainedEvent> = Vec::new();
        for i in 0..n {
            let (kind, payload) = match i % 6 {
                0 if i == 0 => (
                    EventKind::Created,
                    json!({"title": CASE_TITLE, "source": "media"}),
                ),
                0 | 1 => (
                    EventKind::Commented,
                    json!({"body": hostile[i % hostile.len()]}),
                ),
                2 => (
                    EventKind::Transitioned,
                    json!({"from": "lead", "to": "screening", "action": "Screen",
                           "rationale": format!("Step {i}: {}", hostile[(i / 6) % hostile.len()]),
                           "effective": "2024-02-01"}),
                ),
                3 => (
                    EventKind::Screened,
                    json!({"jurisdiction": "covered", "risk": {"score": 60, "band": "high"},
                           "zones": ["F.E. Warren AFB: close proximity"], "watchlist_hits": 1,
                           "rules_version": "2024.1", "as_of": "2022-06-01"}),
                ),
                4 => (
                    EventKind::Edited,
                    json!({"changes": [{"field": "title", "old": null, "new": "x"}],
                           "note": hostile[(i / 6 + 1) % hostile.len()]}),
                ),
                _ => (EventKind::Exported, json!({"format": "pdf", "via": "web"})),
            };
            let at = format!(
                "2024-{:02}-{:02}T10:{:02}:00Z",
                1 + i / 28 % 12,
                1 + i % 28,
                i % 60
            );
            let e = next_event(REFERENCE, v.last(), at, "analyst", kind, payload);
            v.push(e);
        }
        v
    }

    /// A case with nothing but its facts and its events.
    fn bare(events: Vec<ChainedEvent>) -> CaseExport {
        let head = verify(REFERENCE, &events).ok();
        CaseExport {
            format: "cordon-case-export",
            format_version: 1,
            exported_at: "2024-06-01T12:00:00Z".into(),
            exported_by: "chair".into(),
            case: ExportedCase {
                id: 17,
                reference: REFERENCE.into(),
                title: CASE_TITLE.into(),
                source: "media".into(),
                summary: "Press reports a purchase of land for a crypto mine.".into(),
                transaction: TransactionJson {
                    kind: "purchase".into(),
                    date: Some(day("2022-06-01")),
                    value_usd: Some(1_250_000),
                    rights: RightsJson {
                        access: true,
                        exclude: true,
                        improve: true,
                        affix: true,
                    },
                    intended_use: "cryptocurrency mining".into(),
                    power_mw: Some(12.5),
                },
                property: PropertyJson {
                    lat: 41.1333,
                    lon: -104.8,
                    address: "North Range Business Park, Cheyenne, WY".into(),
                    state: Some("WY".into()),
                    county_fips: Some("56021".into()),
                    acreage: Some(12.0),
                    urban_area: false,
                    single_housing_unit: false,
                    in_port: false,
                    commercial_office: false,
                },
                state: "screening".into(),
                outcome: None,
                state_since: day("2024-02-01"),
                assignee: None,
                lead_agency: None,
                received_on: day("2024-01-15"),
                created_by: Some("analyst".into()),
                created_at: "2024-01-15T09:00:00Z".into(),
                updated_at: "2024-02-01T10:00:00Z".into(),
                version: 3,
                tolled_since: None,
                extension_used: false,
                filing_number: 0,
                risk_score: None,
                risk_band: None,
            },
            parties: Vec::new(),
            ftm: Vec::new(),
            screening: None,
            hit_decisions: Vec::new(),
            deadlines: Vec::new(),
            decisions: Vec::new(),
            conditions: Vec::new(),
            attachments: Vec::new(),
            chain: ExportedChain {
                verified: head.is_some(),
                events: events.len(),
                head,
                broken: None,
            },
            events,
        }
    }

    fn party(key: &str, name: &str, country: &str, role: &str, owns: Option<&str>) -> PartyJson {
        PartyJson {
            key: key.into(),
            name: name.into(),
            country: country.into(),
            role: role.into(),
            ownership_pct: owns.map(|_| 100.0),
            owns: owns.map(Into::into),
            government_controlled: false,
            state_owned: country == "CN",
        }
    }

    fn screening_of_mineone() -> Screening {
        let factor = |label: &str, points: i32| Factor {
            label: label.into(),
            points,
        };
        Screening {
            jurisdiction: Jurisdiction::Covered,
            reasons: vec![
                "Covered real estate transaction under 31 CFR 802.212.".into(),
                "A foreign person (CN) holds the acquirer through MineOne Partners Ltd (VG)."
                    .into(),
                "The property lies within 1 mile of F.E. Warren AFB (Appendix A part 2).".into(),
            ],
            foreign_person: ForeignPerson {
                foreign: true,
                countries: vec!["CN".into(), "VG".into()],
                ultimate_owners: vec!["PRC nationals (undisclosed) (CN)".into()],
                chain: vec![
                    "MineOne Wyoming Data Center LLC (US) ← MineOne Partners Ltd (VG) ← PRC \
                     nationals (undisclosed) (CN)"
                        .into(),
                ],
            },
            zones: vec![ZoneHit {
                site_id: 1,
                site: "F.E. Warren AFB".into(),
                kind: SiteKind::Military,
                zone: Zone::CloseProximity,
                distance_mi: 0.98,
            }],
            nearest: vec![Nearest {
                site_id: 1,
                site: "F.E. Warren AFB".into(),
                kind: SiteKind::Military,
                distance_mi: 0.98,
            }],
            watchlist_hits: vec![WatchHit {
                party: "MineOne Partners Ltd".into(),
                party_key: "p2".into(),
                entry_id: 7,
                entry: "MINEONE PARTNERS LIMITED".into(),
                list: "SDN".into(),
                program: "CMIC".into(),
                score: 0.93,
            }],
            risk: Risk {
                threat: 4,
                vulnerability: 3,
                consequence: 5,
                score: 60,
                band: Band::High,
                factors: RiskFactors {
                    threat: vec![factor("Base", 1), factor("CN is a tier 1 country", 3)],
                    vulnerability: vec![factor("Within 1 mile of an installation", 3)],
                    consequence: vec![factor("ICBM field support base", 5)],
                },
                overridden: Vec::new(),
            },
            state_law: vec![StateLawFinding {
                state: "WY".into(),
                law: "Wyo. Stat. 34-15-101".into(),
                applies: false,
                finding: "Flag only: the buyer's principal country is not stated.".into(),
            }],
            rules_version: "2024.1".into(),
            as_of: day("2022-06-01"),
        }
    }

    /// MineOne: 3 parties, a screening, 2 conditions, 3 attachments and 250 events.
    fn mineone() -> CaseExport {
        let mut doc = bare(history_of(250));
        doc.case.state = "monitoring".into();
        doc.case.assignee = Some("analyst".into());
        doc.case.lead_agency = Some("treasury".into());
        doc.case.risk_score = Some(60);
        doc.case.risk_band = Some("high".into());
        doc.parties = vec![
            party(
                "p1",
                "MineOne Wyoming Data Center LLC",
                "US",
                "acquirer",
                None,
            ),
            party("p2", "MineOne Partners Ltd", "VG", "parent", Some("p1")),
            party(
                "p3",
                "北京某某科技有限公司",
                "CN",
                "ultimate_parent",
                Some("p2"),
            ),
        ];
        doc.screening = Some(screening_of_mineone());
        doc.hit_decisions = vec![ExportedHitDecision {
            party: "p2".into(),
            entry_id: 7,
            decision: "confirmed".into(),
            rationale: "Same registration number.".into(),
            decided_by: "chair".into(),
            decided_at: "2024-03-01T10:00:00Z".into(),
        }];
        doc.deadlines = vec![ExportedDeadline {
            kind: "triage".into(),
            label: "Triage".into(),
            starts: day("2024-01-15"),
            due: day("2024-02-14"),
            open: false,
        }];
        doc.decisions = vec![ExportedDecision {
            seq: 200,
            at: "2024-05-13T15:00:00Z".into(),
            by: "chair".into(),
            decision: "Prohibition ordered".into(),
            outcome: None,
            effective: Some("2024-05-13".into()),
            rationale: Some("Order of 13 May 2024".into()),
        }];
        doc.conditions = ["Divest the property within 120 days.", &"x".repeat(700)]
            .iter()
            .enumerate()
            .map(|(i, text)| ConditionJson {
                id: i64::try_from(i).unwrap(),
                kind: "order".into(),
                text: (*text).into(),
                due: Some(day("2024-09-10")),
                status: "open".into(),
            })
            .collect();
        doc.attachments = ["order.pdf", "deed <script>.pdf", "合同.pdf"]
            .iter()
            .enumerate()
            .map(|(i, name)| ExportedAttachment {
                id: i64::try_from(i).unwrap(),
                name: (*name).into(),
                content_type: "application/pdf".into(),
                size: 48_213 * (i64::try_from(i).unwrap() + 1),
                sha256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08".into(),
                uploaded_by: "analyst".into(),
                uploaded_at: "2024-02-02T11:00:00Z".into(),
            })
            .collect();
        doc
    }

    fn parse(bytes: &[u8]) -> lopdf::Document {
        lopdf::Document::load_mem(bytes).unwrap()
    }

    fn page_text(pdf: &lopdf::Document, page: u32) -> String {
        pdf.extract_text(&[page]).unwrap()
    }

    /// The M of the footer's "page N of M".
    fn footer_total(text: &str, page: u32) -> usize {
        let marker = format!("page {page} of ");
        let at = text.find(&marker).unwrap() + marker.len();
        let digits: String = text[at..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        digits.parse().unwrap()
    }

    #[test]
    fn a_full_dossier_loads_and_numbers_its_pages() {
        let bytes = render(&mineone()).unwrap();
        let pdf = parse(&bytes);
        let pages = pdf.get_pages().len();
        assert!(pages > 1, "{pages} pages");
        let first = page_text(&pdf, 1);
        assert_eq!(footer_total(&first, 1), pages);
        assert!(first.contains(REFERENCE), "{first}");
        assert!(first.contains(CASE_TITLE), "{first}");
        assert!(first.contains("chain head "), "{first}");
        let last = u32::try_from(pages).unwrap();
        let text = page_text(&pdf, last);
        assert_eq!(footer_total(&text, last), pages);
        let all = pdf.extract_text(&(1..=last).collect::<Vec<_>>()).unwrap();
        // Shown as text, never run; what the font cannot show prints as '?'.
        assert!(all.contains("<script>alert(1)</script>"));
        assert!(all.contains("??????????"), "a Chinese name becomes '?'s");
        assert!(!all.contains('收'));
    }

    #[test]
    fn a_minimal_dossier_is_one_page() {
        let mut doc = bare(history_of(1));
        doc.case.summary = String::new();
        let pdf = parse(&render(&doc).unwrap());
        assert_eq!(pdf.get_pages().len(), 1);
        let text = page_text(&pdf, 1);
        assert_eq!(footer_total(&text, 1), 1);
        assert!(text.contains("not screened"), "{text}");
    }

    #[test]
    fn a_broken_chain_is_named_in_every_footer() {
        let mut doc = mineone();
        doc.chain = ExportedChain {
            verified: false,
            events: doc.events.len(),
            head: None,
            broken: Some("event 17: its content does not match its hash (it was changed)".into()),
        };
        let pdf = parse(&render(&doc).unwrap());
        let text = page_text(&pdf, 2);
        assert!(text.contains("chain broken at event 17"), "{text}");
        assert!(!text.contains("chain head"));
    }

    #[test]
    fn nothing_runs_off_the_page_and_no_page_ends_on_a_heading() {
        let fonts = Fonts::load().unwrap();
        let pages = lay_out(&mineone(), &fonts);
        for (n, ops) in pages.iter().enumerate() {
            let mut last_y = 0.0_f32;
            let mut last_line: Vec<Style> = Vec::new();
            for op in ops {
                let Op::Text { x, y, style, text } = op else {
                    continue;
                };
                let right = x + fonts.width(*style, text);
                assert!(*x >= LEFT - 0.01, "page {n}: {text:?} starts at {x}");
                assert!(
                    right <= LEFT + WIDTH + 0.01,
                    "page {n}: {text:?} ends at {right}"
                );
                if *y == HEADER_BASELINE || *y == FOOTER_BASELINE {
                    continue;
                }
                assert!(*y > TOP && *y < BOTTOM, "page {n}: {text:?} at y {y}");
                if *y > last_y + 0.01 {
                    last_y = *y;
                    last_line.clear();
                }
                if (*y - last_y).abs() < 0.01 {
                    last_line.push(*style);
                }
            }
            let headings_only = last_line.iter().all(|s| *s == H2 || *s == H3);
            assert!(!headings_only, "page {n} ends on a heading");
        }
    }

    #[test]
    fn long_words_break_to_the_width_and_line_breaks_are_kept() {
        let fonts = Fonts::load().unwrap();
        let word = "w".repeat(LONG_WORD_LEN);
        let lines = fonts.wrap(BODY, &format!("before {word} after"), 200.0);
        assert!(lines.len() > 3);
        assert!(lines.iter().all(|l| fonts.width(BODY, l) <= 200.0));
        assert_eq!(lines.concat().matches('w').count(), LONG_WORD_LEN);
        let fitted = fonts.fit(SMALL, &word, 100.0);
        assert!(fitted.ends_with('…') && fonts.width(SMALL, &fitted) <= 100.0);
        let lines = fonts.wrap(BODY, "a\r\nb\n\n\n\nc\u{7}d\te", 200.0);
        assert_eq!(lines, ["a", "b", "", "cd e"]);
    }

    #[test]
    fn characters_the_font_lacks_print_as_a_question_mark() {
        let fonts = Fonts::load().unwrap();
        assert_eq!(fonts.regular.glyph('中').1, '?');
        assert_eq!(fonts.regular.glyph('é').1, 'é');
        assert_eq!(fonts.bold.glyph('Ж').1, 'Ж');
        assert_eq!(fonts.regular.glyph('\u{1F600}').1, '?');
    }

    #[test]
    fn words_read_naturally() {
        assert_eq!(dollars(1_250_000), "$1,250,000");
        assert_eq!(dollars(999), "$999");
        assert_eq!(dollars(-1_000), "−$1,000");
        assert_eq!(stamp("2024-05-13T15:00:00Z"), "2024-05-13 15:00:00 UTC");
        assert_eq!(named("filing_requested", State::label), "Filing requested");
        assert_eq!(named("odd_value", State::label), "Odd value");
        let e = next_event(
            REFERENCE,
            None,
            "2024-01-01T00:00:00Z".into(),
            "chair",
            EventKind::Transitioned,
            json!({"from": "lead", "to": "screening", "rationale": "Press\nreport"}),
        );
        assert_eq!(summary(&e), "Lead → Screening: Press report");
        let payload = json!({"changes": [{"field": "title", "old": null, "new": "x"}], "n": 2});
        assert_eq!(
            pairs(&payload),
            "changes: (field: title, new: x, old: —); n: 2"
        );
    }
}
