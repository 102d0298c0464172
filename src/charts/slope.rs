//! Slope chart: each model's rank under two settings, joined by a line, so rank shifts stand out.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use serde::{Deserialize, Serialize};

use super::theme::{px, ACCENT, FONT, INK, MUTED};

/// Ranks on the left (a) and right (b); None = absent under that setting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Slope {
    pub left_title: String,
    pub right_title: String,
    pub rows: Vec<(String, Option<u32>, Option<u32>)>,
}

const ROW_PX: u32 = 22;

impl Slope {
    /// CSS size.
    pub fn size(&self) -> (u32, u32) {
        (720, 70 + ROW_PX * self.max_rank().max(1))
    }

    fn max_rank(&self) -> u32 {
        self.rows.iter().flat_map(|r| [r.1, r.2]).flatten().max().unwrap_or(1)
    }

    /// Paints it.
    pub fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        s: f64,
    ) -> Result<(), String> {
        let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
        let (w, _) = self.size();
        let x_left = px(250.0, s);
        let x_right = px(f64::from(w) - 250.0, s);
        let y_of = |rank: u32| px(50.0 + f64::from(ROW_PX) * (f64::from(rank) - 0.5), s);
        let title = (FONT, px(13.0, s)).into_font().color(&INK);
        root.draw(&Text::new(
            self.left_title.clone(),
            (x_left, px(12.0, s)),
            title.clone().pos(Pos::new(HPos::Center, VPos::Top)),
        ))
        .map_err(err)?;
        root.draw(&Text::new(
            self.right_title.clone(),
            (x_right, px(12.0, s)),
            title.pos(Pos::new(HPos::Center, VPos::Top)),
        ))
        .map_err(err)?;
        let label = (FONT, px(11.0, s)).into_font();
        for (model, a, b) in &self.rows {
            let short: String = model.chars().take(30).collect();
            if let (Some(a), Some(b)) = (a, b) {
                let moved = a != b;
                let colour = if moved { ACCENT } else { MUTED };
                root.draw(&PathElement::new(
                    vec![(x_left, y_of(*a)), (x_right, y_of(*b))],
                    ShapeStyle::from(colour)
                        .stroke_width(px(if moved { 2.0 } else { 1.0 }, s).max(1) as u32),
                ))
                .map_err(err)?;
            }
            if let Some(a) = a {
                root.draw(&Circle::new((x_left, y_of(*a)), px(3.5, s), INK.filled()))
                    .map_err(err)?;
                root.draw(&Text::new(
                    format!("{short}  {a}"),
                    (x_left - px(8.0, s), y_of(*a)),
                    label.clone().color(&INK).pos(Pos::new(HPos::Right, VPos::Center)),
                ))
                .map_err(err)?;
            }
            if let Some(b) = b {
                root.draw(&Circle::new((x_right, y_of(*b)), px(3.5, s), INK.filled()))
                    .map_err(err)?;
                root.draw(&Text::new(
                    format!("{b}  {short}"),
                    (x_right + px(8.0, s), y_of(*b)),
                    label.clone().color(&INK).pos(Pos::new(HPos::Left, VPos::Center)),
                ))
                .map_err(err)?;
            }
        }
        Ok(())
    }
}
