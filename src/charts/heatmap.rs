//! Square heatmap of a model × model matrix (win fractions, battle counts, predicted win rates),
//! with the value printed in each cell. Row labels are the full model names (the label column
//! grows to fit them); columns carry the row numbers, since rotated text is not portable
//! across plotters backends.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use serde::{Deserialize, Serialize};

use super::{area_err, Area, Painted};

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
/// Labels longer than this (characters) end in "…"; model names in real logs stay well below.
const MAX_LABEL_CHARS: usize = 64;
/// Average width of one 11 px label character, generous so a wide name still fits.
const CHAR_PX: f64 = 6.6;

impl Heatmap {
    /// CSS size.
    pub fn size(&self) -> (u32, u32) {
        let n = self.labels.len().max(1) as u32;
        (self.label_width() + CELL * n + 20, CELL * n + 50)
    }

    /// Width of the row-label column: the longest label plus its row number.
    fn label_width(&self) -> u32 {
        let longest = self.labels.iter().map(|l| l.chars().count()).max().unwrap_or(0);
        let digits = self.labels.len().to_string().len();
        let chars = longest.min(MAX_LABEL_CHARS) + 2 + digits;
        (16.0 + CHAR_PX * chars as f64).ceil().max(80.0) as u32
    }

    /// The label as drawn: complete up to [`MAX_LABEL_CHARS`].
    pub fn shown_label(label: &str) -> String {
        if label.chars().count() <= MAX_LABEL_CHARS {
            return label.to_owned();
        }
        let mut s: String = label.chars().take(MAX_LABEL_CHARS - 1).collect();
        s.push('…');
        s
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
    pub fn draw<DB: DrawingBackend>(&self, root: &Area<DB>, s: f64) -> Painted {
        let n = self.labels.len();
        let cell = px(f64::from(CELL), s);
        let left = px(f64::from(self.label_width()), s);
        let top = px(44.0, s);
        root.draw(&Text::new(
            self.title.clone(),
            (px(8.0, s), px(6.0, s)),
            (FONT, px(13.0, s)).into_font().color(&INK),
        ))
        .map_err(area_err)?;
        let label_font = (FONT, px(11.0, s)).into_font().color(&INK);
        let cell_font = (FONT, px(10.0, s)).into_font();
        for (r, label) in self.labels.iter().enumerate() {
            let y = top + r as i32 * cell + cell / 2;
            let row_label = format!("{}  {}", Self::shown_label(label), r + 1);
            root.draw(&Text::new(
                row_label,
                (left - px(6.0, s), y),
                label_font.clone().pos(Pos::new(HPos::Right, VPos::Center)),
            ))
            .map_err(area_err)?;
            let x = left + r as i32 * cell + cell / 2;
            root.draw(&Text::new(
                format!("{}", r + 1),
                (x, top - px(6.0, s)),
                label_font.clone().pos(Pos::new(HPos::Center, VPos::Bottom)),
            ))
            .map_err(area_err)?;
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
                .map_err(area_err)?;
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
                    .map_err(area_err)?;
                }
            }
        }
        Ok(())
    }
}

fn lerp(a: f64, b: f64, t: f64) -> f64 {
    a + (b - a) * t
}

#[cfg(test)]
mod tests {
    use super::Heatmap;

    fn map(labels: &[&str]) -> Heatmap {
        Heatmap {
            labels: labels.iter().map(|l| (*l).to_owned()).collect(),
            values: vec![vec![None; labels.len()]; labels.len()],
            min: 0.0,
            max: 1.0,
            decimals: 2,
            title: "t".into(),
        }
    }

    #[test]
    fn genai_arena_names_are_drawn_complete() {
        // The longest model name in the GenAI-Arena log, cut at 26 characters before.
        let name = "imagenhub_Prompt2prompt_edition";
        assert_eq!(Heatmap::shown_label(name), name);
        let wide = map(&[name, "imagenhub_SDXL_generation"]);
        // The label column (width minus two cells and the right margin) makes room for every
        // character (≥ 6 px each), two spaces and the row number.
        let label = wide.size().0 - 2 * super::CELL - 20;
        assert!(label as usize >= 6 * (name.chars().count() + 3), "{label}");
    }

    #[test]
    fn absurdly_long_labels_end_in_an_ellipsis() {
        let long = "m".repeat(200);
        let shown = Heatmap::shown_label(&long);
        assert_eq!(shown.chars().count(), 64);
        assert!(shown.ends_with('…'));
    }
}
