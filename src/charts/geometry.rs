//! Where each mark of a chart goes in its SVG box: stacked columns over categories (months,
//! years) and horizontal bars (one per labelled row). Coordinates are in SVG user units,
//! rounded to a tenth.

use super::palette::Style;
use super::scale::{group_thousands, ticks, Band, Linear};

/// Room for the axes around the plot.
const TOP: f64 = 12.0;
const RIGHT: f64 = 26.0;
const LEFT: f64 = 52.0;
const BOTTOM: f64 = 40.0;
/// A horizontal bar's row and the room for its label.
const ROW: f64 = 26.0;
const LABEL: f64 = 200.0;
/// Room right of the longest bar for its count.
const VALUE: f64 = 56.0;

fn r(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// A tick or label on an axis: where, and what it says.
#[derive(Clone, Debug, PartialEq)]
pub struct Tick {
    pub pos: f64,
    pub label: String,
}

/// A count written at a point (its text's baseline middle).
#[derive(Clone, Debug, PartialEq)]
pub struct Total {
    pub x: f64,
    pub y: f64,
    pub label: String,
}

/// One filled rectangle: a column's part or a bar.
#[derive(Clone, Debug, PartialEq)]
pub struct Mark {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
    pub style: Style,
    /// What a pointer over it says (the same words as the table).
    pub title: String,
}

/// A column chart: each category a column, stacked from the bottom by series in order.
#[derive(Clone, Debug, PartialEq)]
pub struct ColumnChart {
    pub width: f64,
    pub height: f64,
    /// The plot area's left, top, right and bottom (the axes' lines).
    pub left: f64,
    pub top: f64,
    pub right: f64,
    pub bottom: f64,
    pub y_ticks: Vec<Tick>,
    pub x_labels: Vec<Tick>,
    pub marks: Vec<Mark>,
    /// Each category's total, written above its column.
    pub totals: Vec<Total>,
}

/// One series of a column chart.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    pub label: String,
    pub style: Style,
}

impl ColumnChart {
    /// Lays out `values[category][series]` in a `width` × `height` box, labelling every
    /// `label_every`-th category (counting from the last, so the newest is always named).
    pub fn layout(
        width: f64,
        height: f64,
        categories: &[String],
        series: &[Series],
        values: &[Vec<i64>],
        label_every: usize,
    ) -> Self {
        let (left, top, right, bottom) = (LEFT, TOP, width - RIGHT, height - BOTTOM);
        let totals: Vec<i64> = values.iter().map(|v| v.iter().sum()).collect();
        let max = totals.iter().copied().max().unwrap_or(0);
        let tick_values = ticks(max, 5);
        let top_value = tick_values.last().copied().unwrap_or(1) as f64;
        let y = Linear::new((0.0, top_value), (bottom, top));
        let x = Band::new(categories.len(), (left, right), 0.2);
        let every = label_every.max(1);
        let n = categories.len();
        let mut marks = Vec::new();
        for (i, (cat, row)) in categories.iter().zip(values).enumerate() {
            let mut base = 0i64;
            for (s, v) in series.iter().zip(row) {
                if *v <= 0 {
                    continue;
                }
                let (y0, y1) = (y.map(base as f64), y.map((base + v) as f64));
                marks.push(Mark {
                    x: r(x.start(i)),
                    y: r(y1),
                    w: r(x.width()),
                    h: r(y0 - y1),
                    style: s.style,
                    title: format!("{cat}, {}: {}", s.label, group_thousands(*v)),
                });
                base += v;
            }
        }
        ColumnChart {
            width,
            height,
            left,
            top,
            right,
            bottom,
            y_ticks: tick_values
                .iter()
                .map(|t| Tick {
                    pos: r(y.map(*t as f64)),
                    label: group_thousands(*t),
                })
                .collect(),
            x_labels: categories
                .iter()
                .enumerate()
                .filter(|(i, _)| (n - 1 - i).is_multiple_of(every))
                .map(|(i, c)| Tick {
                    pos: r(x.center(i)),
                    label: c.clone(),
                })
                .collect(),
            marks,
            totals: totals
                .iter()
                .enumerate()
                .map(|(i, t)| Total {
                    x: r(x.center(i)),
                    y: r(y.map(*t as f64) - 4.0),
                    label: if *t > 0 {
                        group_thousands(*t)
                    } else {
                        String::new()
                    },
                })
                .collect(),
        }
    }
}

/// One row of a bar chart, as given.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub label: String,
    pub value: i64,
    pub style: Style,
    /// The queue of the same cases, when the queue can filter to them.
    pub href: Option<String>,
}

/// A placed bar with its label and count.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    pub mark: Mark,
    pub label: String,
    pub value: String,
    pub href: Option<String>,
    /// The baseline of the row's texts.
    pub text_y: f64,
    /// Where the count is written: just right of the bar.
    pub value_x: f64,
}

/// Horizontal bars, one row each, with the labels left of the axis and ticks below.
#[derive(Clone, Debug, PartialEq)]
pub struct BarChart {
    pub width: f64,
    pub height: f64,
    pub left: f64,
    pub top: f64,
    pub right: f64,
    pub bottom: f64,
    pub bars: Vec<Bar>,
    pub x_ticks: Vec<Tick>,
}

impl BarChart {
    pub fn layout(width: f64, rows: &[Row]) -> Self {
        let (left, top) = (LABEL, TOP);
        let right = (width - VALUE).max(left + 1.0);
        let bottom = top + ROW * rows.len().max(1) as f64;
        let height = bottom + BOTTOM - 8.0;
        let max = rows.iter().map(|row| row.value).max().unwrap_or(0);
        let tick_values = ticks(max, 4);
        let top_value = tick_values.last().copied().unwrap_or(1) as f64;
        let x = Linear::new((0.0, top_value), (left, right));
        let y = Band::new(rows.len(), (top, bottom), 0.25);
        let bars = rows
            .iter()
            .enumerate()
            .map(|(i, row)| {
                let end = x.map(row.value.max(0) as f64);
                Bar {
                    mark: Mark {
                        x: left,
                        y: r(y.start(i)),
                        w: r(end - left),
                        h: r(y.width()),
                        style: row.style,
                        title: format!("{}: {}", row.label, group_thousands(row.value)),
                    },
                    label: row.label.clone(),
                    value: group_thousands(row.value),
                    href: row.href.clone(),
                    text_y: r(y.center(i) + 4.5),
                    value_x: r(end + 5.0),
                }
            })
            .collect();
        BarChart {
            width,
            height,
            left,
            top,
            right,
            bottom,
            bars,
            x_ticks: tick_values
                .iter()
                .map(|t| Tick {
                    pos: r(x.map(*t as f64)),
                    label: group_thousands(*t),
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::super::palette::style;
    use super::*;

    fn cats(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("c{i}")).collect()
    }

    #[test]
    fn columns_stack_from_the_axis_and_reach_their_totals() {
        let series = vec![
            Series {
                label: "a".into(),
                style: style(0),
            },
            Series {
                label: "b".into(),
                style: style(1),
            },
        ];
        // Ticks 0..=10 by 2 on a plot from y 12 to y 160 (200 high, 40 below).
        let c = ColumnChart::layout(
            412.0,
            200.0,
            &cats(4),
            &series,
            &[vec![2, 3], vec![0, 0], vec![10, 0], vec![0, 1]],
            1,
        );
        assert_eq!(
            c.y_ticks
                .iter()
                .map(|t| t.label.as_str())
                .collect::<Vec<_>>(),
            ["0", "2", "4", "6", "8", "10"]
        );
        assert_eq!(c.y_ticks[0].pos, 160.0);
        assert_eq!(c.y_ticks[5].pos, 12.0);
        // Four marks: the empty column draws nothing and zero parts are skipped.
        assert_eq!(c.marks.len(), 4);
        let (a, b) = (&c.marks[0], &c.marks[1]);
        assert_eq!(a.y + a.h, 160.0, "the first part sits on the axis");
        assert_eq!(b.y + b.h, a.y, "the second sits on the first");
        assert_eq!(a.h, 29.6); // 2 of 10 over 148 units
        assert_eq!(
            c.marks[2].y, 12.0,
            "the tallest column reaches the top tick"
        );
        // Slots of 83.5 units (334 / 4) with 20% padding.
        assert_eq!(a.x, 60.4);
        assert_eq!(a.w, 66.8);
        assert_eq!(c.marks[3].x, 310.9);
        assert_eq!(a.title, "c0, a: 2");
        assert_eq!(c.totals[1].label, "");
        assert_eq!(c.totals[0].label, "5");
    }

    #[test]
    fn every_nth_label_is_shown_counting_from_the_newest() {
        let s = vec![Series {
            label: "n".into(),
            style: style(0),
        }];
        let c = ColumnChart::layout(600.0, 200.0, &cats(24), &s, &vec![vec![1]; 24], 3);
        let shown: Vec<&str> = c.x_labels.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(shown.len(), 8);
        assert_eq!(shown.last(), Some(&"c23"));
        assert_eq!(shown.first(), Some(&"c2"));
    }

    #[test]
    fn an_empty_column_chart_still_has_an_axis() {
        let c = ColumnChart::layout(300.0, 200.0, &cats(3), &[], &[vec![], vec![], vec![]], 1);
        assert!(c.marks.is_empty());
        assert_eq!(c.y_ticks.len(), 2);
    }

    #[test]
    fn bars_grow_right_from_the_labels_in_proportion() {
        let rows: Vec<Row> = [("CN", 40), ("RU", 10), ("IR", 0)]
            .iter()
            .map(|(l, v)| Row {
                label: (*l).into(),
                value: *v,
                style: style(0),
                href: None,
            })
            .collect();
        let c = BarChart::layout(456.0, &rows);
        // Plot from x 200 to 400; ticks 0..=40 by 10.
        assert_eq!(c.x_ticks.last().map(|t| t.label.as_str()), Some("40"));
        assert_eq!(c.bars[0].mark.x, 200.0);
        assert_eq!(c.bars[0].mark.w, 200.0);
        assert_eq!(c.bars[1].mark.w, 50.0);
        assert_eq!(c.bars[2].mark.w, 0.0);
        assert_eq!(c.bars[1].value_x, 255.0);
        // Rows of 26 units from y 12, bars 75% of a row.
        assert_eq!(c.bars[1].mark.y, 41.3);
        assert_eq!(c.bars[1].mark.h, 19.5);
        assert_eq!(c.bottom, 12.0 + 3.0 * 26.0);
        assert!(c.height > c.bottom);
    }
}
