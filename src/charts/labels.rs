//! Label placement shared by the charts that name their points (score vs compute, raw vs LC win
//! rate) and curves (iso-N curves): a greedy placer that keeps every label inside the plot and
//! off every other label and point, so two close models (Falcon and OLMo, alpaca-7b_verbose and
//! phi-2) never print over each other.
//!
//! Pure geometry on backend pixels: no plotters types, so it is tested without drawing.

/// Pixel rectangle: left, top, right, bottom (right and bottom exclusive).
pub type Rect = (i32, i32, i32, i32);

/// Whether two rectangles share any pixel.
pub fn overlaps(a: Rect, b: Rect) -> bool {
    a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
}

/// Width in pixels that `text` takes at `font_px`, estimated generously (0.62 em per character,
/// wider than the average sans-serif glyph) so that estimated boxes never underlap real text.
pub fn text_width(text: &str, font_px: f64) -> i32 {
    (0.62 * font_px * text.chars().count() as f64).ceil() as i32
}

/// Where a label went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placement {
    /// The label's box.
    pub rect: Rect,
    /// The label sits away from its point: draw a leader line from the point to it.
    pub leader: bool,
}

/// Labels and points already on the plot, and the plot area labels must stay in.
#[derive(Debug, Clone, Default)]
pub struct LabelPlacer {
    area: Option<Rect>,
    taken: Vec<Rect>,
}

impl LabelPlacer {
    /// A placer whose labels stay inside `area` (None: anywhere).
    pub fn new(area: Option<Rect>) -> Self {
        Self { area, taken: Vec::new() }
    }

    /// Marks a rectangle as occupied (a point, a legend box).
    pub fn block(&mut self, rect: Rect) {
        self.taken.push(rect);
    }

    fn inside(&self, r: Rect) -> bool {
        self.area.is_none_or(|a| r.0 >= a.0 && r.1 >= a.1 && r.2 <= a.2 && r.3 <= a.3)
    }

    fn free(&self, r: Rect) -> bool {
        self.inside(r) && !self.taken.iter().any(|o| overlaps(*o, r))
    }

    /// A `w` × `h` label for a point at `(cx, cy)` of radius `r`: right of it, left, above, below,
    /// then the four diagonals, then the same eight one and two label heights further out (with a
    /// leader line). None when every spot is taken or outside the plot; the label is then left
    /// out rather than printed over another.
    pub fn around(
        &mut self,
        (cx, cy): (i32, i32),
        r: i32,
        (w, h): (i32, i32),
        gap: i32,
    ) -> Option<Placement> {
        for ring in 0..3 {
            let d = r + gap + ring * h;
            let candidates = [
                (cx + d, cy - h / 2),
                (cx - d - w, cy - h / 2),
                (cx - w / 2, cy - d - h),
                (cx - w / 2, cy + d),
                (cx + d, cy - d - h + h / 2),
                (cx + d, cy + d - h / 2),
                (cx - d - w, cy - d - h + h / 2),
                (cx - d - w, cy + d - h / 2),
            ];
            for (i, &(x, y)) in candidates.iter().enumerate() {
                let rect = (x, y, x + w, y + h);
                if self.free(rect) {
                    self.taken.push(rect);
                    return Some(Placement { rect, leader: ring > 0 || i >= 4 });
                }
            }
        }
        None
    }

    /// A label whose left edge and baseline are fixed by a curve end (an iso-N curve's name):
    /// the baseline as near `baseline` as a free slot allows, up to three label heights above or
    /// below. Returns the baseline, or None when every slot is taken.
    pub fn shifted(&mut self, left: i32, baseline: i32, width: i32, height: i32) -> Option<i32> {
        let step = height + height / 6;
        let shifts = [0, -1, 1, -2, 2, -3, 3];
        let y = shifts.iter().map(|k| baseline + k * step).find(|&y| {
            let rect = (left, y - height, left + width, y);
            !self.taken.iter().any(|o| overlaps(*o, rect))
        })?;
        self.taken.push((left, y - height, left + width, y));
        Some(y)
    }
}
