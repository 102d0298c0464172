//! Square heatmap of a model × model matrix (win fractions, battle counts, predicted win rates),
//! with the value printed in each cell.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use serde::{Deserialize, Serialize};

use super::theme::{px, FONT, INK};

/// Row labels = column labels; `values[r][c]`, None = no data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Heatmap {
    pub labels: Vec<String>,
    pub values: Vec<Vec<Option<f64>>>,
    /// Colour scale bounds.
    pub min: f64,
    pub max: f64,
    /// Decimals printed in cells.
    pub decimals: usize,
    pub title: String,
}

const CELL: u32 = 34;
const LABEL: u32 = 215;

impl Heatmap {
    /// CSS size.
    pub fn size(&self) -> (u32, u32) {
        let n = self.labels.len().max(1) as u32;
        (LABEL + CELL * n + 20, CELL * n + 50)
    }

    fn colour(&self, v: f64) -> RGBColor {
        let t = if self.max > self.min {
            ((v - self.min) / (self.max - self.min)).clamp(0.0, 1.0)
        } else {
            0.5
        };
        // Diverging blue-white-red, readable in print.
        let (r, g, b) = if t < 0.5 {
            let u = t / 0.5;
            (lerp(178.0, 247.0, u), lerp(24.0, 247.0, u), lerp(43.0, 247.0, u))
        } else {
            let u = (t - 0.5) / 0.5;
            (lerp(247.0, 33.0, u), lerp(247.0, 102.0, u), lerp(247.0, 172.0, u))
        };
        RGBColor(r as u8, g as u8, b as u8)
    }

    /// Paints it.
    pub fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        s: f64,
    ) -> Result<(), String> {
        let n = self.labels.len();
        let cell = px(f64::from(CELL), s);
        let left = px(f64::from(LABEL), s);
        let top = px(44.0, s);
        let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
        root.draw(&Text::new(
            self.title.clone(),
            (px(8.0, s), px(6.0, s)),
            (FONT, px(13.0, s)).into_font().color(&INK),
        ))
        .map_err(err)?;
        let label_font = (FONT, px(11.0, s)).into_font().color(&INK);
        let cell_font = (FONT, px(10.0, s)).into_font();
        for (r, label) in self.labels.iter().enumerate() {
            // Rows carry their number; columns show only the number (rotated text is not
            // portable across backends).
            let short: String = label.chars().take(26).collect();
            let y = top + r as i32 * cell + cell / 2;
            let row_label = format!("{short}  {}", r + 1);
            root.draw(&Text::new(
                row_label,
                (left - px(6.0, s), y),
                label_font.clone().pos(Pos::new(HPos::Right, VPos::Center)),
            ))
            .map_err(err)?;
            let x = left + r as i32 * cell + cell / 2;
            root.draw(&Text::new(
                format!("{}", r + 1),
                (x, top - px(6.0, s)),
                label_font.clone().pos(Pos::new(HPos::Center, VPos::Bottom)),
            ))
            .map_err(err)?;
        }
        for r in 0..n {
            for c in 0..n {
                let x0 = left + c as i32 * cell;
                let y0 = top + r as i32 * cell;
                let value = self.values.get(r).and_then(|row| row.get(c)).copied().flatten();
                let fill = match value {
                    Some(v) if v.is_finite() => self.colour(v),
                    _ => RGBColor(240, 242, 246),
                };
                root.draw(&Rectangle::new(
                    [(x0, y0), (x0 + cell - 1, y0 + cell - 1)],
                    fill.filled(),
                ))
                .map_err(err)?;
                if let Some(v) = value.filter(|v| v.is_finite()) {
                    let text = format!("{v:.*}", self.decimals);
                    let dark = {
                        let t = if self.max > self.min {
                            (v - self.min) / (self.max - self.min)
                        } else {
                            0.5
                        };
                        !(0.2..=0.8).contains(&t)
                    };
                    let colour = if dark { WHITE } else { INK };
                    root.draw(&Text::new(
                        text,
                        (x0 + cell / 2, y0 + cell / 2),
                        cell_font.clone().color(&colour).pos(Pos::new(HPos::Center, VPos::Center)),
                    ))
                    .map_err(err)?;
                }
            }
        }
        Ok(())
    }
}

fn lerp(a: f64, b: f64, t: f64) -> f64 {
    a + (b - a) * t
}
