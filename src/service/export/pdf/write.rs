//! PDF output: turns laid-out pages into PDF objects (content streams, pages, the catalog)
//! and embeds the fonts as Type 0 fonts over CID-keyed TrueType subsets of the glyphs used.

use std::collections::BTreeMap;
use std::io::Write;

use flate2::write::ZlibEncoder;
use flate2::Compression;
use pdf_writer::types::{CidFontType, FontFlags, LineJoinStyle, SystemInfo, UnicodeCmap};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};
use subsetter::GlyphRemapper;
use ttf_parser::GlyphId;

use super::fonts::{Fonts, Metrics};
use super::layout::{Op, Shape};
use super::{PdfError, Weight, PAGE_H, PAGE_W};

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

pub(super) fn write_pdf(
    pages: &[Vec<Op>],
    fonts: &Fonts,
    title: &str,
) -> Result<Vec<u8>, PdfError> {
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
    for op in ops {
        if let Op::Shape(s) = op {
            shape(&mut c, s);
        }
    }
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

/// Draws vector lines or areas (y flipped: the layout's y runs down from the top).
fn shape(c: &mut Content, s: &Shape) {
    let drawn: Vec<&Vec<(f32, f32)>> = s.lines.iter().filter(|l| l.len() >= 2).collect();
    if drawn.is_empty() {
        return;
    }
    c.save_state();
    if let Some((r, g, b)) = s.fill {
        c.set_fill_rgb(r, g, b);
    }
    if let Some((r, g, b)) = s.stroke {
        c.set_stroke_rgb(r, g, b);
        c.set_line_width(s.width);
        c.set_line_join(LineJoinStyle::RoundJoin);
        if !s.dash.is_empty() {
            c.set_dash_pattern(s.dash.iter().copied(), 0.0);
        }
    }
    for line in drawn {
        for (i, &(x, y)) in line.iter().enumerate() {
            if i == 0 {
                c.move_to(x, PAGE_H - y);
            } else {
                c.line_to(x, PAGE_H - y);
            }
        }
        if s.closed {
            c.close_path();
        }
    }
    match (s.fill.is_some(), s.stroke.is_some()) {
        (true, true) => c.fill_nonzero_and_stroke(),
        (true, false) => c.fill_nonzero(),
        (false, true) => c.stroke(),
        (false, false) => c.end_path(),
    };
    c.restore_state();
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
