//! Where the legend of a rating trajectory chart goes so that it covers no line: the emptiest
//! plot corner, and when every corner is crossed by a line, head-room added above the data
//! for the legend to sit in. Estimated from the same geometry `crate::charts::xy` lays out
//! (margins, label areas, plotters' legend box), so the chart itself stays generic.

use crate::charts::xy::{LegendAt, XySeries};

/// Plot area inside an [`crate::charts::xy::XyPlot`] of the given CSS size:
/// (left, top, width, height) after its margins and axis label areas.
fn plot_area(width: u32, height: u32) -> (f64, f64, f64, f64) {
    let (w, h) = (f64::from(width), f64::from(height));
    (12.0 + 64.0, 12.0, w - 12.0 - 64.0 - 24.0, h - 12.0 - 12.0 - 44.0)
}

/// Legend box size in CSS px: plotters' multi-line text (≈ 15 px a line at 12 px), the 28 px
/// marker area and 8 px margins, with a few px of slack.
fn legend_box(labels: &[&str]) -> (f64, f64) {
    let chars = labels.iter().map(|l| l.chars().count()).max().unwrap_or(0) as f64;
    (28.0 + 16.0 + 7.0 * chars + 6.0, 16.0 * labels.len() as f64 + 16.0 + 6.0)
}

/// Every line point, densely interpolated, in data coordinates.
fn samples(series: &[XySeries]) -> Vec<(f64, f64)> {
    let mut out = Vec::new();
    for s in series {
        if let XySeries::Line { points, .. } = s {
            for w in points.windows(2) {
                let ((x0, y0), (x1, y1)) = (w[0], w[1]);
                for k in 0..=24 {
                    let t = f64::from(k) / 24.0;
                    out.push((x0 + (x1 - x0) * t, y0 + (y1 - y0) * t));
                }
            }
            if let [only] = points[..] {
                out.push(only);
            }
        }
    }
    out.retain(|(x, y)| x.is_finite() && y.is_finite());
    out
}

/// (lo, hi) padded by 4 % of the span, as `XyPlot` pads its data range.
fn padded(lo: f64, hi: f64) -> (f64, f64) {
    let span = hi - lo;
    let pad = if span > 0.0 { span * 0.04 } else { lo.abs().max(1.0) * 0.1 };
    (lo - pad, hi + pad)
}

const CORNERS: [LegendAt; 4] =
    [LegendAt::UpperLeft, LegendAt::UpperRight, LegendAt::LowerRight, LegendAt::LowerLeft];

/// How many of `probe` fall inside the legend box at `corner` when the axes span `points`.
fn covered(
    points: &[(f64, f64)],
    probe: &[(f64, f64)],
    corner: LegendAt,
    size: (u32, u32),
    boxed: (f64, f64),
) -> usize {
    let (Some(x_range), Some(y_range)) =
        (range(points.iter().map(|p| p.0)), range(points.iter().map(|p| p.1)))
    else {
        return 0;
    };
    let ((x0, x1), (y0, y1)) = (padded(x_range.0, x_range.1), padded(y_range.0, y_range.1));
    let (_, _, w, h) = plot_area(size.0, size.1);
    let (bw, bh) = boxed;
    let left = matches!(corner, LegendAt::UpperLeft | LegendAt::LowerLeft);
    let upper = matches!(corner, LegendAt::UpperLeft | LegendAt::UpperRight);
    let (bx0, by0) =
        (if left { 5.0 } else { w - 5.0 - bw }, if upper { 5.0 } else { h - 5.0 - bh });
    probe
        .iter()
        .filter(|(x, y)| {
            let px = (x - x0) / (x1 - x0) * w;
            let py = (y1 - y) / (y1 - y0) * h;
            px >= bx0 - 4.0 && px <= bx0 + bw + 4.0 && py >= by0 - 4.0 && py <= by0 + bh + 4.0
        })
        .count()
}

fn range(values: impl Iterator<Item = f64>) -> Option<(f64, f64)> {
    values.fold(None, |acc, v| match acc {
        None => Some((v, v)),
        Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
    })
}

/// Picks the legend corner of a chart of `size` whose lines are `series` (legends from their
/// `legend` fields). When every corner covers a line, appends an invisible line that raises
/// the y range so the upper left corner is free, and returns the taller height to draw at.
pub fn place(series: &mut Vec<XySeries>, size: (u32, u32)) -> (LegendAt, u32) {
    let labels: Vec<&str> = series
        .iter()
        .filter_map(|s| match s {
            XySeries::Line { legend: Some(l), .. } => Some(l.as_str()),
            _ => None,
        })
        .collect();
    let boxed = legend_box(&labels);
    let points = samples(series);
    if let Some(free) =
        CORNERS.into_iter().find(|&c| covered(&points, &points, c, size, boxed) == 0)
    {
        return (free, size.1);
    }
    // Room on top: a taller chart, and the data pushed below the legend box.
    let height = size.1 + 80;
    let (Some((xa, xb)), Some((ylo, yhi))) =
        (range(points.iter().map(|p| p.0)), range(points.iter().map(|p| p.1)))
    else {
        return (LegendAt::UpperLeft, size.1);
    };
    let (_, _, _, plot_h) = plot_area(size.0, height);
    let f = ((boxed.1 + 14.0) / plot_h).min(0.8);
    let d = (yhi - ylo).max(1e-9);
    // With a point at ylo + D the padded range is 1.08·D tall and the data top sits
    // 1.04·D − d below its top: that gap must be at least the box's share f of the height.
    let top = ylo + d / (1.04 - 1.08 * f);
    series.push(XySeries::Line {
        legend: None,
        colour: 0,
        width: 0.0,
        opacity: 0.0,
        points: vec![(xa, top), (xb, top)],
        end_label: None,
        label_start: false,
    });
    (LegendAt::UpperLeft, height)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(name: &str, points: Vec<(f64, f64)>) -> XySeries {
        XySeries::Line {
            legend: Some(name.into()),
            colour: 0,
            width: 2.0,
            opacity: 1.0,
            points,
            end_label: None,
            label_start: false,
        }
    }

    fn names(series: &[XySeries]) -> Vec<&str> {
        series
            .iter()
            .filter_map(|s| match s {
                XySeries::Line { legend: Some(l), .. } => Some(l.as_str()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_free_corner_is_used_as_it_is() {
        // Lines rising from lower left to upper right leave the upper left corner empty.
        let mut s: Vec<XySeries> = (0..3)
            .map(|k| {
                line(
                    &format!("m{k}"),
                    vec![(0.0, 0.0), (5.0, 5.0 + f64::from(k)), (10.0, 10.0 + f64::from(k))],
                )
            })
            .collect();
        let (at, h) = place(&mut s, (760, 380));
        assert_eq!(at, LegendAt::UpperLeft);
        assert_eq!((h, s.len()), (380, 3));
    }

    #[test]
    fn lines_through_every_corner_get_head_room() {
        // Six lines fanning over the whole plot (as monthly ratings do): every corner is crossed.
        let mut s: Vec<XySeries> = (0..6)
            .map(|k| {
                let k = f64::from(k);
                line(
                    &format!("imagenhub_Model{k}_generation"),
                    vec![
                        (0.0, 900.0 + 40.0 * k),
                        (5.0, 1100.0 - 40.0 * k),
                        (10.0, 900.0 + 40.0 * k),
                    ],
                )
            })
            .collect();
        let b = legend_box(&names(&s));
        let before = samples(&s);
        assert!(
            CORNERS.iter().all(|&c| covered(&before, &before, c, (760, 380), b) > 0),
            "the test needs a plot with no free corner"
        );
        let (at, h) = place(&mut s, (760, 380));
        assert_eq!(at, LegendAt::UpperLeft);
        assert!(h > 380);
        // The axes now span the invisible line too; no real line point is under the legend.
        assert_eq!(covered(&samples(&s), &before, at, (760, h), b), 0);
    }
}
