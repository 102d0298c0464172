//! Slope chart: each model's rank under two settings, joined by a line, so rank shifts stand out.
//!
//! Rank (UB) ties are common (every model whose interval overlaps the leader's is rank 1), so a
//! model's height is its place in the order of that side — rank, then rating — and the label
//! carries the rank: tied models sit on separate rows instead of printing over each other.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use serde::{Deserialize, Serialize};

use super::{area_err, Area, Painted};

use super::theme::{px, ACCENT, FONT, INK, MUTED};

/// One model: (rank, rating) on the left (a) and right (b); None = absent under that setting.
pub type SlopeRow = (String, Option<(u32, f64)>, Option<(u32, f64)>);

/// The chart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Slope {
    pub left_title: String,
    pub right_title: String,
    pub rows: Vec<SlopeRow>,
}

/// Row slot of each model on one side (None when absent): by rank, then rating (higher
/// first), then name.
fn slots(rows: &[SlopeRow], side: impl Fn(&SlopeRow) -> Option<(u32, f64)>) -> Vec<Option<u32>> {
    let mut order: Vec<(usize, (u32, f64))> =
        rows.iter().enumerate().filter_map(|(i, r)| side(r).map(|v| (i, v))).collect();
    order.sort_by(|(i, a), (j, b)| {
        a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)).then_with(|| rows[*i].0.cmp(&rows[*j].0))
    });
    let mut out = vec![None; rows.len()];
    for (slot, (i, _)) in order.into_iter().enumerate() {
        out[i] = Some(slot as u32);
    }
    out
}

const ROW_PX: u32 = 22;

impl Slope {
    /// CSS size.
    pub fn size(&self) -> (u32, u32) {
        (720, 70 + ROW_PX * self.rows.len().max(1) as u32)
    }

    /// Paints it.
    pub fn draw<DB: DrawingBackend>(&self, root: &Area<DB>, s: f64) -> Painted {
        let (w, _) = self.size();
        let x_left = px(250.0, s);
        let x_right = px(f64::from(w) - 250.0, s);
        let y_of = |slot: u32| px(50.0 + f64::from(ROW_PX) * (f64::from(slot) + 0.5), s);
        let left = slots(&self.rows, |r| r.1);
        let right = slots(&self.rows, |r| r.2);
        let title = (FONT, px(13.0, s)).into_font().color(&INK);
        root.draw(&Text::new(
            self.left_title.clone(),
            (x_left, px(12.0, s)),
            title.clone().pos(Pos::new(HPos::Center, VPos::Top)),
        ))
        .map_err(area_err)?;
        root.draw(&Text::new(
            self.right_title.clone(),
            (x_right, px(12.0, s)),
            title.pos(Pos::new(HPos::Center, VPos::Top)),
        ))
        .map_err(area_err)?;
        let label = (FONT, px(11.0, s)).into_font();
        for (i, (model, a, b)) in self.rows.iter().enumerate() {
            let short: String = model.chars().take(30).collect();
            let (ya, yb) = (left[i].map(y_of), right[i].map(y_of));
            if let (Some((ra, _)), Some((rb, _)), Some(ya), Some(yb)) = (a, b, ya, yb) {
                let moved = ra != rb;
                let colour = if moved { ACCENT } else { MUTED };
                root.draw(&PathElement::new(
                    vec![(x_left, ya), (x_right, yb)],
                    ShapeStyle::from(colour)
                        .stroke_width(px(if moved { 2.0 } else { 1.0 }, s).max(1) as u32),
                ))
                .map_err(area_err)?;
            }
            if let (Some((rank, _)), Some(y)) = (a, ya) {
                root.draw(&Circle::new((x_left, y), px(3.5, s), INK.filled())).map_err(area_err)?;
                root.draw(&Text::new(
                    format!("{short}  {rank}"),
                    (x_left - px(8.0, s), y),
                    label.clone().color(&INK).pos(Pos::new(HPos::Right, VPos::Center)),
                ))
                .map_err(area_err)?;
            }
            if let (Some((rank, _)), Some(y)) = (b, yb) {
                root.draw(&Circle::new((x_right, y), px(3.5, s), INK.filled()))
                    .map_err(area_err)?;
                root.draw(&Text::new(
                    format!("{rank}  {short}"),
                    (x_right + px(8.0, s), y),
                    label.clone().color(&INK).pos(Pos::new(HPos::Left, VPos::Center)),
                ))
                .map_err(area_err)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::{slots, SlopeRow};

    #[test]
    fn tied_ranks_get_their_own_rows_in_rating_order() {
        let rows: Vec<SlopeRow> = vec![
            ("b".into(), Some((1, 1100.0)), Some((2, 1050.0))),
            ("a".into(), Some((1, 1150.0)), None),
            ("c".into(), Some((3, 1000.0)), Some((1, 1200.0))),
        ];
        assert_eq!(slots(&rows, |r| r.1), vec![Some(1), Some(0), Some(2)]);
        assert_eq!(slots(&rows, |r| r.2), vec![Some(1), None, Some(0)]);
    }
}
