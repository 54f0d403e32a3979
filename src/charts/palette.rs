//! The Okabe–Ito palette, each colour paired with a fill pattern so that a series reads by
//! pattern in black and white as well as by colour.

/// A series' look: a colour and a pattern drawn over it (the template's `<pattern>` ids are
/// `chart-pat-0` to `chart-pat-7`; 0 is plain).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Style {
    pub color: &'static str,
    pub pattern: usize,
}

/// Okabe & Ito (2008), "Color Universal Design": told apart by readers with any common colour
/// vision deficiency. Black is left out: the patterns are drawn in it.
pub const COLORS: [&str; 7] = [
    "#0072B2", // blue
    "#E69F00", // orange
    "#009E73", // bluish green
    "#CC79A7", // reddish purple
    "#56B4E9", // sky blue
    "#D55E00", // vermillion
    "#F0E442", // yellow
];

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
            color: "#009E73",
            pattern: 0,
        },
        "moderate" => Style {
            color: "#F0E442",
            pattern: 1,
        },
        "high" => Style {
            color: "#E69F00",
            pattern: 2,
        },
        "critical" => Style {
            color: "#D55E00",
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
}
