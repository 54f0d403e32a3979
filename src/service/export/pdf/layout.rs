//! Layout: pages of positioned text runs and rules. Flows wrapped text down the page, keeps
//! headings with what follows them, and sets grids and tables across pages; what the dossier
//! says is `sections`'.

use std::mem::take;

use super::fonts::Fonts;
use super::{
    Style, BODY, BOTTOM, CELL, CELL_HEAD, CELL_PAD, H2, H3, LABEL, LEFT, NOTE, TOP, WIDTH,
};

#[derive(Clone, Debug, PartialEq)]
pub(super) enum Op {
    /// One line of text; `y` is its baseline.
    Text {
        x: f32,
        y: f32,
        style: Style,
        text: String,
    },
    /// Vector lines or areas (a figure's); drawn under the text.
    Shape(Shape),
    /// A horizontal rule.
    Rule {
        x1: f32,
        x2: f32,
        y: f32,
        width: f32,
        gray: f32,
    },
}

/// Polylines in points (y down from the page's top), stroked, filled or both.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Shape {
    pub lines: Vec<Vec<(f32, f32)>>,
    pub fill: Option<(f32, f32, f32)>,
    pub stroke: Option<(f32, f32, f32)>,
    pub width: f32,
    /// Dash pattern in points; empty for a solid line.
    pub dash: Vec<f32>,
    /// Each polyline is closed (an area).
    pub closed: bool,
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

pub(super) struct Layout<'f> {
    fonts: &'f Fonts,
    pages: Vec<Vec<Op>>,
    ops: Vec<Op>,
    /// The top of the next line box.
    y: f32,
    waiting: Vec<Heading>,
}

impl<'f> Layout<'f> {
    pub(super) fn new(fonts: &'f Fonts) -> Self {
        Layout {
            fonts,
            pages: Vec::new(),
            ops: Vec::new(),
            y: TOP,
            waiting: Vec::new(),
        }
    }

    pub(super) fn finish(mut self) -> Vec<Vec<Op>> {
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

    pub(super) fn gap(&mut self, h: f32) {
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
    pub(super) fn section(&mut self, title: &str) {
        self.heading(H2, 13.0, true, title, None);
    }

    /// A section with nothing in it: its heading, and `note` beside it.
    pub(super) fn empty_section(&mut self, title: &str, note: &str) {
        self.heading(H2, 13.0, true, title, Some(note));
    }

    pub(super) fn sub(&mut self, title: &str) {
        self.heading(H3, 5.0, false, title, None);
    }

    pub(super) fn empty_sub(&mut self, title: &str, note: &str) {
        self.heading(H3, 5.0, false, title, Some(note));
    }

    fn lines(&mut self, x: f32, style: Style, lines: Vec<String>) {
        for line in lines {
            self.room(style.lead);
            self.put(x, style.lead, style, line);
            self.y += style.lead;
        }
    }

    pub(super) fn para(&mut self, style: Style, text: &str) {
        let lines = self.fonts.wrap(style, text, WIDTH);
        self.lines(LEFT, style, lines);
    }

    pub(super) fn bullet(&mut self, text: &str) {
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
    pub(super) fn table(&mut self, columns: &[(&str, f32)], rows: &[Vec<String>]) {
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

    /// A figure `height` points tall, its drawing given from its top left corner at the left
    /// margin: kept whole on one page, with the headings waiting above it.
    pub(super) fn figure(&mut self, height: f32, ops: Vec<Op>) {
        self.room(height);
        let (dx, dy) = (LEFT, self.y);
        for op in ops {
            self.ops.push(match op {
                Op::Text { x, y, style, text } => Op::Text {
                    x: x + dx,
                    y: y + dy,
                    style,
                    text,
                },
                Op::Shape(mut s) => {
                    for p in s.lines.iter_mut().flatten() {
                        *p = (p.0 + dx, p.1 + dy);
                    }
                    Op::Shape(s)
                }
                Op::Rule {
                    x1,
                    x2,
                    y,
                    width,
                    gray,
                } => Op::Rule {
                    x1: x1 + dx,
                    x2: x2 + dx,
                    y: y + dy,
                    width,
                    gray,
                },
            });
        }
        self.y += height + 4.0;
    }

    /// Label–value pairs, two to a row; a `wide` pair takes a row of its own.
    pub(super) fn grid(&mut self, items: &[(&str, String, bool)]) {
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
