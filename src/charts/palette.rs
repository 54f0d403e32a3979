//! The Okabe–Ito palette, each colour paired with a fill pattern so that a series reads by
//! pattern in black and white as well as by colour.

/// A series' look: a colour and a pattern drawn over it (the template's `<pattern>` ids are
/// `chart-pat-0` to `chart-pat-7`; 0 is plain).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Style {
    pub color: &'static str,
    pub pattern: usize,
}

/// The Okabe–Ito colours, by name (the maps use them too).
pub const BLUE: &str = "#0072B2";
pub const ORANGE: &str = "#E69F00";
pub const BLUISH_GREEN: &str = "#009E73";
pub const REDDISH_PURPLE: &str = "#CC79A7";
pub const SKY_BLUE: &str = "#56B4E9";
pub const VERMILLION: &str = "#D55E00";
pub const YELLOW: &str = "#F0E442";

/// Okabe & Ito (2008), "Color Universal Design": told apart by readers with any common colour
/// vision deficiency. Black is left out: the patterns are drawn in it.
pub const COLORS: [&str; 7] = [
    BLUE,
    ORANGE,
    BLUISH_GREEN,
    REDDISH_PURPLE,
    SKY_BLUE,
    VERMILLION,
    YELLOW,
];

/// A `#RRGGBB` colour as RGB from 0 to 1 (what the PDF takes); black for anything else.
pub const fn rgb(hex: &str) -> (f32, f32, f32) {
    const fn digit(b: u8) -> u8 {
        match b {
            b'0'..=b'9' => b - b'0',
            b'a'..=b'f' => b - b'a' + 10,
            b'A'..=b'F' => b - b'A' + 10,
            _ => 0,
        }
    }
    let b = hex.as_bytes();
    if b.len() != 7 || b[0] != b'#' {
        return (0.0, 0.0, 0.0);
    }
    const fn channel(b: &[u8], i: usize) -> f32 {
        (digit(b[i]) * 16 + digit(b[i + 1])) as f32 / 255.0
    }
    (channel(b, 1), channel(b, 3), channel(b, 5))
}

/// How many patterns the template defines.
pub const PATTERNS: usize = 8;

/// The look of series `i`: colours and patterns cycle at different lengths (7 and 8), so the
/// first 56 series each have a different pair.
pub fn style(i: usize) -> Style {
    Style {
        color: COLORS[i % COLORS.len()],
        pattern: i % PATTERNS,
    }
}

/// The look of a risk band: green and plain for low up to vermillion and cross-hatched for
/// critical; unscreened cases grey and dotted.
pub fn band_style(band: &str) -> Style {
    match band {
        "low" => Style {
            color: BLUISH_GREEN,
            pattern: 0,
        },
        "moderate" => Style {
            color: YELLOW,
            pattern: 1,
        },
        "high" => Style {
            color: ORANGE,
            pattern: 2,
        },
        "critical" => Style {
            color: VERMILLION,
            pattern: 3,
        },
        _ => Style {
            color: "#BBBBBB",
            pattern: 4,
        },
    }
}

#[cfg(test)]
mod tests {

    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn neighbouring_series_differ_in_colour_and_pattern() {
        let styles: Vec<Style> = (0..56).map(style).collect();
        for (i, a) in styles.iter().enumerate() {
            for b in &styles[i + 1..] {
                assert_ne!(a, b);
            }
        }
        assert_ne!(style(0).color, style(1).color);
        assert_ne!(style(0).pattern, style(1).pattern);
    }

    #[test]
    fn bands_each_have_their_own_look() {
        let bands = ["low", "moderate", "high", "critical", ""];
        for (i, a) in bands.iter().enumerate() {
            for b in &bands[i + 1..] {
                assert_ne!(band_style(a).color, band_style(b).color);
                assert_ne!(band_style(a).pattern, band_style(b).pattern);
            }
        }
    }

    #[test]
    fn hex_colours_become_rgb() {
        assert_eq!(super::rgb("#FF0000"), (1.0, 0.0, 0.0));
        let (r, g, b) = super::rgb(super::BLUE);
        assert!(r == 0.0 && (g - 0.447).abs() < 0.001 && (b - 0.698).abs() < 0.001);
        assert_eq!(super::rgb("red"), (0.0, 0.0, 0.0));
    }
}
