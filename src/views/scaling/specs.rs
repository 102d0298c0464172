//! Chart data from a scaling analysis: pure functions, so the canvas, the SVG export and the tests
//! all see the same curves. Curves of a law (iso-N, iso-loss, the sigmoid) are evaluated here
//! with the engine's own formulas.

use benchlens_engine::scaling::allocation::{at_compute, AllocationLaw};
use benchlens_engine::scaling::inference::tokens_for_loss;
use benchlens_engine::scaling::models::FitChoice;
use benchlens_engine::scaling::score_trend::curve;
use benchlens_engine::sorting::stable_sort_by;

use crate::charts::xy::{si, LegendAt, XyAxis, XyPlot, XySeries};
use crate::charts::ChartSpec;
use crate::jobs::scaling::ScalingOutcome;

const WIDE: (u32, u32) = (920, 440);

/// `n` log-spaced values from `lo` to `hi`.
fn log_grid(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    let (a, b) = (lo.ln(), hi.ln());
    (0..n).map(|i| (a + (b - a) * i as f64 / (n - 1).max(1) as f64).exp()).collect()
}

fn bounds(v: impl Iterator<Item = f64>) -> Option<(f64, f64)> {
    let (lo, hi) = v
        .filter(|x| x.is_finite() && *x > 0.0)
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| (a.min(x), b.max(x)));
    (lo.is_finite() && hi.is_finite()).then_some((lo, hi))
}

/// One significant digit (for round iso-N values: 3e8, 1e9 …).
fn round1(v: f64) -> f64 {
    let p = 10f64.powf(v.log10().floor());
    (v / p).round() * p
}

fn axis(label: &str, log: bool) -> XyAxis {
    XyAxis::new(label, log)
}

fn plot(x: XyAxis, y: XyAxis, series: Vec<XySeries>, legend: LegendAt) -> ChartSpec {
    ChartSpec::Xy(XyPlot { x, y, series, legend, width: WIDE.0, height: WIDE.1 })
}

/// Loss vs compute: runs, iso-N curves, the fitted frontier and its bootstrap band.
pub fn loss_vs_compute(o: &ScalingOutcome) -> Option<ChartSpec> {
    let f = o.fit.as_ref()?;
    let p = f.params;
    let (cmin, cmax) = bounds(f.points.iter().map(|q| q.compute))?;
    let (nmin, nmax) = bounds(f.points.iter().map(|q| q.params))?;
    let (lmin, lmax) = bounds(f.points.iter().map(|q| q.loss))?;
    let mut series = Vec::new();
    let mut ns: Vec<f64> = log_grid(nmin, nmax, 5).into_iter().map(round1).collect();
    ns.dedup();
    let cgrid = log_grid(cmin / 1.5, cmax * 1.5, 80);
    for n in ns {
        let pts: Vec<(f64, f64)> = cgrid
            .iter()
            .map(|&c| (c, p.loss(n, c / (6.0 * n))))
            .filter(|&(_, l)| l.is_finite() && l <= lmax * 1.05 && l >= lmin * 0.95)
            .collect();
        series.push(XySeries::Line {
            legend: None,
            colour: 5,
            width: 1.0,
            opacity: 0.55,
            points: pts,
            end_label: Some(format!("N = {}", si(n))),
            label_start: true,
        });
    }
    let band: Vec<(f64, f64, f64)> =
        f.allocation.iter().filter_map(|a| a.loss_ci.map(|c| (a.compute, c[0], c[1]))).collect();
    if !band.is_empty() {
        series.push(XySeries::Band {
            legend: Some("95% bootstrap band".into()),
            colour: 0,
            points: band,
        });
    }
    let kept: Vec<(f64, f64)> =
        f.points.iter().filter(|q| !q.dropped).map(|q| (q.compute, q.loss)).collect();
    let dropped: Vec<(f64, f64)> =
        f.points.iter().filter(|q| q.dropped).map(|q| (q.compute, q.loss)).collect();
    series.push(XySeries::Points {
        legend: Some(format!("runs ({})", kept.len())),
        colour: 1,
        radius: 2.5,
        hollow: false,
        points: kept,
        labels: vec![],
    });
    if !dropped.is_empty() {
        series.push(XySeries::Points {
            legend: Some(format!("dropped ({})", dropped.len())),
            colour: 3,
            radius: 3.5,
            hollow: true,
            points: dropped,
            labels: vec![],
        });
    }
    // The published laws' frontiers over the same compute, for comparison.
    for (reference, colour) in super::trust::OVERLAID {
        let law = reference.params();
        let Some(al) = AllocationLaw::of(&law) else { continue };
        let pts: Vec<(f64, f64)> = f
            .allocation
            .iter()
            .map(|a| (a.compute, at_compute(&law, &al, a.compute)[3]))
            .filter(|&(_, l)| l.is_finite() && l >= lmin * 0.9 && l <= lmax * 1.05)
            .collect();
        series.push(XySeries::Line {
            legend: Some(format!("frontier, {}", reference.label())),
            colour,
            width: 1.8,
            opacity: 0.9,
            points: pts,
            end_label: None,
            label_start: false,
        });
    }
    series.push(XySeries::Line {
        legend: Some("compute-optimal frontier (fitted here)".into()),
        colour: 0,
        width: 2.5,
        opacity: 1.0,
        points: f.allocation.iter().map(|a| (a.compute, a.loss)).collect(),
        end_label: None,
        label_start: false,
    });
    Some(plot(
        axis("training compute C = 6ND (FLOPs)", true),
        axis("loss", false),
        series,
        LegendAt::UpperRight,
    ))
}

/// Compute-optimal tokens per parameter across compute, with its band.
pub fn tokens_per_param(o: &ScalingOutcome) -> Option<ChartSpec> {
    let f = o.fit.as_ref()?;
    let band: Vec<(f64, f64, f64)> = f
        .allocation
        .iter()
        .filter_map(|a| a.tokens_per_param_ci.map(|c| (a.compute, c[0], c[1])))
        .collect();
    let mut series = Vec::new();
    if !band.is_empty() {
        series.push(XySeries::Band {
            legend: Some("95% bootstrap band".into()),
            colour: 0,
            points: band,
        });
    }
    series.push(XySeries::Line {
        legend: Some("D_opt / N_opt".into()),
        colour: 0,
        width: 2.5,
        opacity: 1.0,
        points: f.allocation.iter().map(|a| (a.compute, a.tokens_per_param)).collect(),
        end_label: None,
        label_start: false,
    });
    // Hoffmann et al.'s rule of thumb, for reference.
    let (cmin, cmax) = bounds(f.allocation.iter().map(|a| a.compute))?;
    series.push(XySeries::Line {
        legend: Some("20 tokens per parameter".into()),
        colour: 5,
        width: 1.0,
        opacity: 0.8,
        points: vec![(cmin, 20.0), (cmax, 20.0)],
        end_label: None,
        label_start: false,
    });
    Some(ChartSpec::Xy(XyPlot {
        x: axis("training compute C (FLOPs)", true),
        y: axis("tokens per parameter", false),
        series,
        legend: LegendAt::UpperLeft,
        width: WIDE.0,
        height: 340,
    }))
}

/// The law the contours and the inference optimum use.
fn chosen_law(o: &ScalingOutcome) -> Option<&FitChoice> {
    let id = o.inference.as_ref().ok().map(|i| i.law.as_str());
    o.models.fits.iter().find(|f| Some(f.id.as_str()) == id).or_else(|| o.models.fits.first())
}

/// Iso-loss contours in (N, D) under the chosen law, its compute-optimal line, and the models.
pub fn iso_loss(o: &ScalingOutcome) -> Option<ChartSpec> {
    let law = chosen_law(o)?;
    let p = law.params;
    // Models (or runs) with both N and D.
    let placed: Vec<(String, f64, f64, Option<f64>)> = o
        .models
        .models
        .iter()
        .filter_map(|m| {
            let over = m.fits.iter().find(|f| f.fit == law.id).and_then(|f| f.over_training);
            Some((m.name.clone(), m.params?, m.tokens?, over))
        })
        .collect();
    let (nmin, nmax) = bounds(placed.iter().map(|m| m.1))?;
    let (dmin, dmax) = bounds(placed.iter().map(|m| m.2))?;
    let (nlo, nhi) = (nmin / 3.0, nmax * 3.0);
    let (dlo, dhi) = (dmin / 5.0, dmax * 5.0);
    let (lmin, lmax) = bounds(placed.iter().map(|m| p.loss(m.1, m.2)))?;
    let ngrid = log_grid(nlo, nhi, 120);
    let mut series = Vec::new();
    let levels = 6;
    for i in 0..levels {
        let l = lmin + (lmax - lmin) * i as f64 / (levels - 1) as f64;
        let l = (l * 100.0).round() / 100.0;
        let pts: Vec<(f64, f64)> = ngrid
            .iter()
            .filter_map(|&n| tokens_for_loss(&p, l, n).map(|d| (n, d)))
            .filter(|&(_, d)| d >= dlo && d <= dhi)
            .collect();
        series.push(XySeries::Line {
            legend: (i == 0).then(|| "iso-loss contours".to_string()),
            colour: 4,
            width: 1.2,
            opacity: 0.7,
            points: pts,
            end_label: Some(format!("L = {l:.2}")),
            label_start: false,
        });
    }
    if let Some(a) = AllocationLaw::of(&p) {
        let pts: Vec<(f64, f64)> = ngrid
            .iter()
            .map(|&n| (n, a.d_opt_for_params(n)))
            .filter(|&(_, d)| d >= dlo && d <= dhi)
            .collect();
        series.push(XySeries::Line {
            legend: Some(format!("compute-optimal D_opt(N), {}", law.label)),
            colour: 1,
            width: 2.5,
            opacity: 1.0,
            points: pts,
            end_label: None,
            label_start: false,
        });
    }
    // Name the most over-trained few when there are many points; all of them when few.
    let mut order: Vec<usize> = (0..placed.len()).collect();
    stable_sort_by(&mut order, |&a, &b| {
        placed[b].3.unwrap_or(0.0).total_cmp(&placed[a].3.unwrap_or(0.0))
    });
    let named: Vec<usize> =
        if placed.len() <= 12 { order } else { order.into_iter().take(6).collect() };
    let labels = if placed.len() > 60 {
        vec![]
    } else {
        (0..placed.len())
            .map(|i| {
                if named.contains(&i) {
                    match placed[i].3 {
                        Some(x) => format!("{} ({}×)", placed[i].0, sig3(x)),
                        None => placed[i].0.clone(),
                    }
                } else {
                    String::new()
                }
            })
            .collect()
    };
    series.push(XySeries::Points {
        legend: Some(if o.columns.loss.is_some() { "runs".into() } else { "models".into() }),
        colour: 0,
        radius: 3.5,
        hollow: false,
        points: placed.iter().map(|m| (m.1, m.2)).collect(),
        labels,
    });
    Some(plot(
        axis("parameters N", true),
        axis("training tokens D", true),
        series,
        LegendAt::UpperLeft,
    ))
}

fn sig3(x: f64) -> String {
    if x >= 100.0 {
        format!("{x:.0}")
    } else if x >= 10.0 {
        format!("{x:.1}")
    } else {
        format!("{x:.2}")
    }
}

/// Score vs compute: the models, the robust sigmoid, chance, and the outliers named with z.
pub fn score_trend(o: &ScalingOutcome) -> Option<ChartSpec> {
    let t = o.trend.as_ref()?.as_ref().ok()?;
    let (cmin, cmax) = bounds(t.points.iter().map(|q| q.compute))?;
    let xs = log_grid(cmin / 2.0, cmax * 2.0, 120);
    let fitted: Vec<(f64, f64)> =
        xs.iter().map(|&c| (c, curve(t.floor, t.ceiling, t.k, t.x0, c.log10()))).collect();
    let typical: Vec<(f64, f64)> =
        t.points.iter().filter(|q| q.outlier.is_none()).map(|q| (q.compute, q.score)).collect();
    let out: Vec<_> = t.points.iter().filter(|q| q.outlier.is_some()).collect();
    let series = vec![
        XySeries::Line {
            legend: Some(format!("chance ({})", t.floor)),
            colour: 5,
            width: 1.0,
            opacity: 0.8,
            points: vec![(cmin / 2.0, t.floor), (cmax * 2.0, t.floor)],
            end_label: None,
            label_start: false,
        },
        XySeries::Line {
            legend: Some("robust sigmoid".into()),
            colour: 0,
            width: 2.5,
            opacity: 1.0,
            points: fitted,
            end_label: None,
            label_start: false,
        },
        XySeries::Points {
            legend: Some(format!("models ({})", typical.len())),
            colour: 0,
            radius: 3.5,
            hollow: false,
            points: typical,
            labels: vec![],
        },
        XySeries::Points {
            legend: Some(format!("outliers, |z| > {} ({})", t.z_threshold, out.len())),
            colour: 3,
            radius: 4.5,
            hollow: false,
            points: out.iter().map(|q| (q.compute, q.score)).collect(),
            labels: out.iter().map(|q| format!("{} (z = {:+.1})", q.name, q.z)).collect(),
        },
    ];
    Some(plot(
        axis("training compute 6ND (FLOPs)", true),
        axis(&t.column, false),
        series,
        LegendAt::UpperLeft,
    ))
}

/// Best N and D against inference demand, with the Chinchilla optimum at the same loss.
pub fn inference(o: &ScalingOutcome) -> Option<ChartSpec> {
    let inf = o.inference.as_ref().ok()?;
    let pts: Vec<_> = inf.points.iter().filter(|p| p.inference_tokens > 0.0).collect();
    let (tmin, tmax) = bounds(pts.iter().map(|p| p.inference_tokens))?;
    let first = inf.points.first()?;
    let chosen: Vec<_> = pts.iter().filter(|p| p.inference_tokens == inf.chosen).collect();
    let series = vec![
        XySeries::Line {
            legend: Some("Chinchilla-optimal N".into()),
            colour: 0,
            width: 1.0,
            opacity: 0.5,
            points: vec![(tmin, first.chinchilla_params), (tmax, first.chinchilla_params)],
            end_label: None,
            label_start: false,
        },
        XySeries::Line {
            legend: Some("Chinchilla-optimal D".into()),
            colour: 1,
            width: 1.0,
            opacity: 0.5,
            points: vec![(tmin, first.chinchilla_tokens), (tmax, first.chinchilla_tokens)],
            end_label: None,
            label_start: false,
        },
        XySeries::Line {
            legend: Some("best N (parameters)".into()),
            colour: 0,
            width: 2.5,
            opacity: 1.0,
            points: pts.iter().map(|p| (p.inference_tokens, p.params)).collect(),
            end_label: None,
            label_start: false,
        },
        XySeries::Line {
            legend: Some("best D (training tokens)".into()),
            colour: 1,
            width: 2.5,
            opacity: 1.0,
            points: pts.iter().map(|p| (p.inference_tokens, p.tokens)).collect(),
            end_label: None,
            label_start: false,
        },
        XySeries::Points {
            legend: None,
            colour: 3,
            radius: 4.5,
            hollow: false,
            points: chosen
                .iter()
                .flat_map(|p| [(p.inference_tokens, p.params), (p.inference_tokens, p.tokens)])
                .collect(),
            labels: chosen
                .iter()
                .flat_map(|p| [format!("N = {}", si(p.params)), format!("D = {}", si(p.tokens))])
                .collect(),
        },
    ];
    Some(ChartSpec::Xy(XyPlot {
        x: axis("expected inference tokens", true),
        y: axis("count", true),
        series,
        legend: LegendAt::UpperLeft,
        width: WIDE.0,
        height: 380,
    }))
}
