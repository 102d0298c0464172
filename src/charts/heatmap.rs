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
/// The widest grid the page paints, in CSS pixels: past it (more than 70 models) the cells on
/// screen shrink to fit. A 250-model map at full size was an 8675 × 8550 px canvas (74 Mpx,
/// 296 MB of backing store) that took Chromium 2–3 s to paint, on the main thread, per map.
const MAX_SCREEN_GRID: u32 = 2400;
/// Cells never shrink below this on screen (about 400 models at [`MAX_SCREEN_GRID`]).
const MIN_SCREEN_CELL: u32 = 6;
/// Smaller cells show colour only: a printed value needs this much room.
const MIN_PRINTED_CELL: u32 = 24;
/// Column heads need this much room each; smaller cells number every k-th column.
const MIN_HEAD_PX: u32 = 24;
/// Labels longer than this (characters) end in "…"; model names in real logs stay well below.
const MAX_LABEL_CHARS: usize = 64;
/// Average width of one 11 px label character, generous so a wide name still fits.
const CHAR_PX: f64 = 6.6;

impl Heatmap {
    /// CSS size: the exports' (SVG, PNG), every value printed.
    pub fn size(&self) -> (u32, u32) {
        self.size_with(CELL)
    }

    /// CSS size on the page: cells of [`Self::screen_cell`].
    pub fn screen_size(&self) -> (u32, u32) {
        self.size_with(self.screen_cell())
    }

    fn size_with(&self, cell: u32) -> (u32, u32) {
        let n = self.labels.len().max(1) as u32;
        (self.label_width() + cell * n + 20, cell * n + 50)
    }

    /// Cell size on the page, in CSS pixels: the export's up to 70 models, then what fits the grid
    /// in [`MAX_SCREEN_GRID`] (colour only, no printed values below [`MIN_PRINTED_CELL`]); the
    /// SVG and PNG exports keep every value at full size.
    pub fn screen_cell(&self) -> u32 {
        let n = self.labels.len().max(1) as u32;
        if n * CELL <= MAX_SCREEN_GRID {
            CELL
        } else {
            (MAX_SCREEN_GRID / n).max(MIN_SCREEN_CELL)
        }
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

    /// Where the parts go at scale `s` (device pixels per CSS pixel), with cells of `cell` CSS
    /// pixels (labels shrink with cells smaller than they are tall).
    pub(crate) fn layout(&self, s: f64, cell: u32) -> Layout {
        let label = f64::from(cell.saturating_sub(1).clamp(6, 11));
        Layout {
            cell: px(f64::from(cell), s),
            left: px(f64::from(self.label_width()), s),
            top: px(44.0, s),
            title: (px(8.0, s), px(6.0, s)),
            title_px: px(13.0, s),
            label_px: px(label, s),
            label_gap: px(6.0, s),
            cell_px: px(10.0, s),
        }
    }

    /// Row `r`'s label: the model and its number, which the column heads repeat.
    pub(crate) fn row_label(&self, r: usize) -> String {
        let label = self.labels.get(r).map_or("", String::as_str);
        format!("{}  {}", Self::shown_label(label), r + 1)
    }

    /// Cell (`r`, `c`): its fill, and its value as printed with the ink that reads on that fill
    /// (none for a pair without data).
    pub(crate) fn cell(&self, r: usize, c: usize) -> (RGBColor, Option<(String, RGBColor)>) {
        let value = self.values.get(r).and_then(|row| row.get(c)).copied().flatten();
        let Some(v) = value.filter(|v| v.is_finite()) else {
            return (RGBColor(240, 242, 246), None);
        };
        let t = if self.max > self.min { (v - self.min) / (self.max - self.min) } else { 0.5 };
        let ink = if (0.2..=0.8).contains(&t) { INK } else { WHITE };
        (self.colour(v), Some((format!("{v:.*}", self.decimals), ink)))
    }

    /// Paints it with plotters (the SVG export; the page paints the canvas directly, see
    /// `super::canvas`).
    pub fn draw<DB: DrawingBackend>(&self, root: &Area<DB>, s: f64) -> Painted {
        let n = self.labels.len();
        let Layout { cell, left, top, title, title_px, label_px, label_gap, cell_px } =
            self.layout(s, CELL);
        root.draw(&Text::new(self.title.clone(), title, (FONT, title_px).into_font().color(&INK)))
            .map_err(area_err)?;
        let label_font = (FONT, label_px).into_font().color(&INK);
        let cell_font = (FONT, cell_px).into_font();
        for r in 0..n {
            let y = top + r as i32 * cell + cell / 2;
            root.draw(&Text::new(
                self.row_label(r),
                (left - label_gap, y),
                label_font.clone().pos(Pos::new(HPos::Right, VPos::Center)),
            ))
            .map_err(area_err)?;
            let x = left + r as i32 * cell + cell / 2;
            root.draw(&Text::new(
                format!("{}", r + 1),
                (x, top - label_gap),
                label_font.clone().pos(Pos::new(HPos::Center, VPos::Bottom)),
            ))
            .map_err(area_err)?;
        }
        for r in 0..n {
            for c in 0..n {
                let x0 = left + c as i32 * cell;
                let y0 = top + r as i32 * cell;
                let (fill, text) = self.cell(r, c);
                root.draw(&Rectangle::new(
                    [(x0, y0), (x0 + cell - 1, y0 + cell - 1)],
                    fill.filled(),
                ))
                .map_err(area_err)?;
                if let Some((text, ink)) = text {
                    root.draw(&Text::new(
                        text,
                        (x0 + cell / 2, y0 + cell / 2),
                        cell_font.clone().color(&ink).pos(Pos::new(HPos::Center, VPos::Center)),
                    ))
                    .map_err(area_err)?;
                }
            }
        }
        Ok(())
    }
}

impl Heatmap {
    /// Paints it straight onto a 2D context, as [`Self::draw`] does through plotters, with far
    /// fewer calls: plotters sets font, alignment and colour for every text (each a string
    /// crossing into JS), and a heat map at 120 models prints 14,400 values (62,500 at 250),
    /// which took 0.4 s per map. Here the font is set once, cells go out as `fillRect`s and the
    /// values in two passes, one per ink. Cells are [`Self::screen_cell`] wide: past 70 models
    /// smaller, with every k-th column numbered and no values printed once they do not fit.
    pub fn paint(&self, ctx: &web_sys::CanvasRenderingContext2d, s: f64) -> Painted {
        let n = self.labels.len();
        let screen_cell = self.screen_cell();
        let print_values = screen_cell >= MIN_PRINTED_CELL;
        let head_every = MIN_HEAD_PX.div_ceil(screen_cell).max(1) as usize;
        let Layout { cell, left, top, title, title_px, label_px, label_gap, cell_px } =
            self.layout(s, screen_cell);
        let css = |c: RGBColor| format!("rgb({},{},{})", c.0, c.1, c.2);
        let font = |size: i32| format!("normal {size}px {FONT}");
        let text = |t: &str, x: i32, y: i32| {
            ctx.fill_text(t, f64::from(x), f64::from(y)).map_err(|e| format!("{e:?}"))
        };
        ctx.set_fill_style_str(&css(INK));
        ctx.set_text_align("start");
        ctx.set_text_baseline("top");
        ctx.set_font(&font(title_px));
        text(&self.title, title.0, title.1)?;
        ctx.set_font(&font(label_px));
        ctx.set_text_align("end");
        ctx.set_text_baseline("middle");
        for r in 0..n {
            text(&self.row_label(r), left - label_gap, top + r as i32 * cell + cell / 2)?;
        }
        ctx.set_text_align("center");
        ctx.set_text_baseline("bottom");
        for c in (0..n).step_by(head_every) {
            text(&format!("{}", c + 1), left + c as i32 * cell + cell / 2, top - label_gap)?;
        }
        // Colour only: the cells go out as one image, not a call or two per cell.
        if !print_values && self.paint_cells_as_image(ctx, cell, left, top).is_some() {
            return Ok(());
        }
        let mut printed: Vec<(i32, i32, String, bool)> = Vec::with_capacity(n * n);
        let mut fill = None;
        for r in 0..n {
            for c in 0..n {
                let (x0, y0) = (left + c as i32 * cell, top + r as i32 * cell);
                let (colour, value) = self.cell(r, c);
                if fill != Some(colour) {
                    ctx.set_fill_style_str(&css(colour));
                    fill = Some(colour);
                }
                ctx.fill_rect(
                    f64::from(x0),
                    f64::from(y0),
                    f64::from(cell - 1),
                    f64::from(cell - 1),
                );
                if let Some((t, ink)) = value.filter(|_| print_values) {
                    printed.push((x0 + cell / 2, y0 + cell / 2, t, ink == WHITE));
                }
            }
        }
        ctx.set_font(&font(cell_px));
        ctx.set_text_baseline("middle");
        for white in [false, true] {
            ctx.set_fill_style_str(&css(if white { WHITE } else { INK }));
            for (x, y, t, _) in printed.iter().filter(|p| p.3 == white) {
                text(t, *x, *y)?;
            }
        }
        Ok(())
    }
}

impl Heatmap {
    /// Paints the cells as an n × n image (one pixel per cell) scaled up to `cell` device pixels
    /// a cell without smoothing, then the 1 px white gaps between them: at 250 models the per-cell
    /// `fillStyle` + `fillRect` calls took 0.4–0.7 s of the main thread per map. `None` when the
    /// browser refuses a step (the caller then paints cell by cell).
    fn paint_cells_as_image(
        &self,
        ctx: &web_sys::CanvasRenderingContext2d,
        cell: i32,
        left: i32,
        top: i32,
    ) -> Option<()> {
        use wasm_bindgen::{JsCast, JsValue};
        let n = self.labels.len();
        let side = u32::try_from(n).ok().filter(|&s| s > 0)?;
        let mut rgba = vec![255u8; n * n * 4];
        for (i, px) in rgba.chunks_exact_mut(4).enumerate() {
            let (colour, _) = self.cell(i / n, i % n);
            px[..3].copy_from_slice(&[colour.0, colour.1, colour.2]);
        }
        let pixels = js_sys::Uint8ClampedArray::from(&rgba[..]);
        let global = js_sys::global();
        let image_data: js_sys::Function =
            js_sys::Reflect::get(&global, &"ImageData".into()).ok()?.dyn_into().ok()?;
        let args = js_sys::Array::of3(&pixels, &side.into(), &side.into());
        let image = js_sys::Reflect::construct(&image_data, &args).ok()?;
        let small: web_sys::HtmlCanvasElement =
            web_sys::window()?.document()?.create_element("canvas").ok()?.dyn_into().ok()?;
        small.set_width(side);
        small.set_height(side);
        let small_ctx = small.get_context("2d").ok()??;
        let put: js_sys::Function =
            js_sys::Reflect::get(&small_ctx, &"putImageData".into()).ok()?.dyn_into().ok()?;
        put.call3(&small_ctx, &image, &JsValue::from(0), &JsValue::from(0)).ok()?;
        let (x, y, span) = (f64::from(left), f64::from(top), f64::from(cell) * n as f64);
        ctx.set_image_smoothing_enabled(false);
        ctx.draw_image_with_html_canvas_element_and_sw_and_sh_and_dx_and_dy_and_dw_and_dh(
            &small,
            0.0,
            0.0,
            f64::from(side),
            f64::from(side),
            x,
            y,
            span,
            span,
        )
        .ok()?;
        ctx.set_image_smoothing_enabled(true);
        // The gaps: the right and bottom pixel of every cell, as the cell-by-cell paint leaves.
        ctx.set_fill_style_str("#ffffff");
        for k in 1..=n {
            let edge = f64::from(cell) * k as f64 - 1.0;
            ctx.fill_rect(x + edge, y, 1.0, span);
            ctx.fill_rect(x, y + edge, span, 1.0);
        }
        Some(())
    }
}

/// A heat map's geometry in device pixels: cell size, the grid's top-left corner, the title's
/// place, font sizes and the gap between labels and grid.
pub(crate) struct Layout {
    pub cell: i32,
    pub left: i32,
    pub top: i32,
    pub title: (i32, i32),
    pub title_px: i32,
    pub label_px: i32,
    pub label_gap: i32,
    pub cell_px: i32,
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
    fn many_models_get_smaller_cells_on_screen_only() {
        let names: Vec<String> = (0..250).map(|i| format!("model-{i}")).collect();
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let big = map(&refs);
        // The export keeps 34 px cells (every value printed); the page fits the grid in 2400 px.
        assert_eq!(big.size().1, 34 * 250 + 50);
        assert_eq!(big.screen_cell(), 9);
        assert_eq!(big.screen_size().1, 9 * 250 + 50);
        let small = map(&refs[..70]);
        assert_eq!(small.screen_size(), small.size());
    }

    #[test]
    fn absurdly_long_labels_end_in_an_ellipsis() {
        let long = "m".repeat(200);
        let shown = Heatmap::shown_label(&long);
        assert_eq!(shown.chars().count(), 64);
        assert!(shown.ends_with('…'));
    }
}
