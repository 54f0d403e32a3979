//! A case's dossier as a PDF drawn on the server, for paper (US Letter): the cover, the facts,
//! parties, screening, decisions, deadlines, conditions, the timeline, the attachment manifest
//! and how to check the history. The text is laid out here, with the font's own metrics:
//! wrapped to the page, flowed across pages, headings kept with what follows them, words too
//! long for a line broken. It is set in Liberation Sans (SIL OFL 1.1, `data/fonts/`), embedded
//! as subsets; a character the font cannot show prints as '?'. Pure: a document in, bytes out.

mod fonts;
mod layout;
mod map;
mod sections;
#[cfg(test)]
mod tests;
mod words;
mod write;

use self::fonts::Fonts;
use self::layout::{Layout, Op};
use self::sections::{
    attachments, conditions, cover, deadlines, decisions, facts, history, hit_decisions, parties,
    screening, timeline,
};
use self::write::write_pdf;
use super::json::CaseExport;
use crate::maps::case_map::CaseMap;

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
    render_with_map(doc, None)
}

/// Draws the dossier with the case's map (as vector paths) in its screening section.
pub fn render_with_map(doc: &CaseExport, map: Option<&CaseMap>) -> Result<Vec<u8>, PdfError> {
    let fonts = Fonts::load()?;
    let pages = lay_out(doc, &fonts, map);
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
// The dossier's content
// ---------------------------------------------------------------------------------------------

fn lay_out(doc: &CaseExport, fonts: &Fonts, map: Option<&CaseMap>) -> Vec<Vec<Op>> {
    let mut l = Layout::new(fonts);
    cover(&mut l, doc);
    facts(&mut l, doc);
    parties(&mut l, doc);
    match &doc.screening {
        Some(s) => screening(&mut l, s, map),
        None => {
            l.empty_section("Screening", "not screened");
            if let Some(m) = map {
                self::map::maps(&mut l, m);
            }
        }
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
