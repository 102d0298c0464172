//! The scaling view's tables: what was read, the fitted parameters with intervals and flags, the
//! per-model table under each law (sortable), the inference optimum, the score outliers and the
//! sources of models.csv.

use benchlens_engine::scaling::allocation::AllocationLaw;
use benchlens_engine::scaling::diagnostics::WIDE_INTERVAL_RATIO;
use benchlens_engine::scaling::LawParams;
use leptos::prelude::*;

use crate::charts::xy::si;
use crate::export::{full, full_opt, ExportTable};
use crate::jobs::scaling::ScalingOutcome;
use crate::views::sort_header::{toggle, SortHeader};

fn sig(v: f64, digits: usize) -> String {
    if !v.is_finite() {
        return "—".into();
    }
    let a = v.abs();
    if a != 0.0 && !(1e-3..1e6).contains(&a) {
        return format!("{v:.prec$e}", prec = digits.saturating_sub(1));
    }
    let mag = if a == 0.0 { 0 } else { a.log10().floor() as i32 };
    let decimals = (digits as i32 - 1 - mag).max(0) as usize;
    format!("{v:.decimals$}")
}

/// What was read: rows, columns in use, rows off the compute axes, lower bounds, warnings.
#[component]
pub fn InputNotes(
    /// The analysis.
    outcome: Signal<Option<ScalingOutcome>>,
) -> impl IntoView {
    move || {
        outcome.get().map(|o| {
            let mut notes = vec![format!(
                "{}: {} rows; {}.",
                o.dataset_name,
                o.rows,
                match (&o.columns.loss, &o.columns.score) {
                    (Some(l), Some(s)) => format!("loss column “{l}”, score column “{s}”"),
                    (Some(l), None) => format!("loss column “{l}” (Approach-3 fit below)"),
                    (None, Some(s)) => format!(
                        "no loss column, so no fit of the loss law: the published laws are applied, and “{s}” is fitted against compute"
                    ),
                    (None, None) => "no loss or score column: the published laws are applied".into(),
                }
            )];
            let off = (!o.off_compute.is_empty()).then(|| {
                view! {
                    <li data-testid="scaling-off-compute">
                        <strong>"Off the compute axes"</strong>
                        {format!(
                            " (no parameter or token count, so no compute): {}",
                            o.off_compute.join(", "),
                        )}
                    </li>
                }
            });
            let bounds = (!o.lower_bounds.is_empty()).then(|| {
                let list: Vec<String> =
                    o.lower_bounds.iter().map(|(n, t)| format!("{n} ({}+ tokens)", si(*t))).collect();
                view! {
                    <li data-testid="scaling-lower-bounds">
                        <strong>"Lower bounds"</strong>
                        {format!(
                            ": token counts given as “at least”, so their compute and over-training are at least what is shown: {}",
                            list.join(", "),
                        )}
                    </li>
                }
            });
            let warnings =
                o.warnings.iter().map(|w| view! { <li class="warning">{w.clone()}</li> }).collect_view();
            let notes = notes.drain(..).map(|n| view! { <li>{n}</li> }).collect_view();
            view! {
                <ul class="notes" data-testid="scaling-notes">
                    {notes}
                    {off}
                    {bounds}
                    {warnings}
                </ul>
            }
        })
    }
}

/// Parameters with 95% bootstrap intervals, the derived exponents, the fit's flags.
#[component]
pub fn FitTable(
    /// The analysis.
    outcome: Signal<Option<ScalingOutcome>>,
) -> impl IntoView {
    move || {
        let o = outcome.get()?;
        if let Some(e) = &o.fit_error {
            return Some(
                view! {
                    <p class="error" role="alert" data-testid="scaling-fit-error">
                        {e.clone()}
                    </p>
                }
                .into_any(),
            );
        }
        let f = o.fit?;
        let p = f.params;
        let alloc = f.allocation_law.or_else(|| AllocationLaw::of(&p));
        let published: Vec<(LawParams, Option<AllocationLaw>)> = super::trust::OVERLAID
            .iter()
            .map(|(r, _)| (r.params(), AllocationLaw::of(&r.params())))
            .collect();
        let value = |key: &str, p: &LawParams, l: Option<AllocationLaw>| match key {
            "E" => p.E,
            "A" => p.A,
            "B" => p.B,
            "alpha" => p.alpha,
            "beta" => p.beta,
            "a" => l.map_or(f64::NAN, |l| l.a),
            "b" => l.map_or(f64::NAN, |l| l.b),
            _ => f64::NAN,
        };
        let rows: Vec<(&str, &str)> = vec![
            ("E", "irreducible loss"),
            ("A", "parameter term"),
            ("B", "data term"),
            ("alpha", "α, parameter exponent"),
            ("beta", "β, data exponent"),
            ("a", "a = β/(α+β): N_opt ∝ C^a"),
            ("b", "b = α/(α+β): D_opt ∝ C^b"),
        ];
        let body = rows
            .into_iter()
            .map(|(key, label)| {
                let v = value(key, &p, alloc);
                let ci = f.ci.get(key).copied();
                let lo = ci.map_or(String::new(), |c| sig(c[0], 4));
                let hi = ci.map_or(String::new(), |c| sig(c[1], 4));
                let (lo_full, hi_full) = (full_opt(ci.map(|c| c[0])), full_opt(ci.map(|c| c[1])));
                let wide = ci.is_some_and(|[lo, hi]| lo > 0.0 && hi / lo > WIDE_INTERVAL_RATIO);
                let refs = published
                    .iter()
                    .map(|(rp, rl)| {
                        let r = value(key, rp, *rl);
                        view! {
                            <td class="num reference" data-value=full(r)>
                                {sig(r, 4)}
                            </td>
                        }
                    })
                    .collect_view();
                view! {
                    <tr data-testid=format!("scaling-param-{key}") class:shaky=wide>
                        <td>{label}</td>
                        <td class="num" data-testid="value" data-value=full(v)>
                            {sig(v, 4)}
                        </td>
                        <td class="num" data-value=lo_full>
                            {lo}
                        </td>
                        <td class="num" data-value=hi_full>
                            {hi}
                        </td>
                        {refs}
                    </tr>
                }
            })
            .collect_view();
        let used = f.points.iter().filter(|p| !p.dropped).count();
        let dropped = f.points.len() - used;
        let mut meta = format!(
            "{used} points fitted{}; objective {} ({}); {} starts, {} iterations",
            if dropped > 0 { format!(" ({dropped} highest-loss dropped)") } else { String::new() },
            sig(f.objective, 4),
            match f.settings.loss {
                benchlens_engine::scaling::LossKind::Huber { delta } =>
                    format!("Huber, δ = {delta}"),
                benchlens_engine::scaling::LossKind::L2 => "L2".into(),
                benchlens_engine::scaling::LossKind::L1 => "L1".into(),
            },
            f.starts,
            f.iterations,
        );
        if f.bootstrap_rounds > 0 {
            meta.push_str(&format!(
                "; {} bootstrap rounds (seed {}){}",
                f.bootstrap_rounds,
                f.settings.seed,
                if f.bootstrap_failed > 0 {
                    format!(", {} without a finite fit", f.bootstrap_failed)
                } else {
                    String::new()
                }
            ));
        } else {
            meta.push_str("; no bootstrap, so no intervals");
        }
        let flags = if f.flags.is_empty() {
            let intervals = if f.bootstrap_rounds > 0 {
                ", every bootstrap interval within 10× and around its estimate"
            } else {
                " (intervals not checked: no bootstrap)"
            };
            view! {
                <p class="ok" data-testid="scaling-flags">
                    {format!(
                        "No flags: exponents in range, every term present, no parameter at a bound, enough points, no high-loss outlier pulling the fit{intervals}.",
                    )}
                </p>
            }.into_any()
        } else {
            let items = f
                .flags
                .iter()
                .map(|fl| {
                    view! {
                        <li class="warning">
                            <code>{fl.code.clone()}</code>
                            " "
                            {fl.message.clone()}
                        </li>
                    }
                })
                .collect_view();
            view! {
                <ul class="notes flags" data-testid="scaling-flags">
                    {items}
                </ul>
            }
            .into_any()
        };
        Some(view! {
            <ExportTable testid="scaling-params">
                <table class="data params" data-testid="scaling-params">
                    <thead>
                        <tr>
                            <th>"parameter"</th>
                            <th class="num">"estimate"</th>
                            <th class="num">"95% CI low"</th>
                            <th class="num">"95% CI high"</th>
                            <th
                                class="num"
                                title="Hoffmann et al. 2022, eq. 10 (published, rounded)"
                            >
                                "Hoffmann 2022"
                            </th>
                            <th
                                class="num"
                                title="Besiroglu et al. 2024, Chinchilla Scaling: A replication attempt"
                            >
                                "Epoch AI 2024"
                            </th>
                        </tr>
                    </thead>
                    <tbody>{body}</tbody>
                </table>
            </ExportTable>
            <p class="meta" data-testid="scaling-fit-meta">
                {meta}
            </p>
            {flags}
        }.into_any())
    }
}

/// Sort keys of the models table: model, N, D, or (fit index, D_opt | over-training).
#[derive(Clone, Copy, PartialEq, Eq)]
enum ModelSort {
    Model,
    Params,
    Tokens,
    Optimal(usize),
    Over(usize),
}

/// Model, N, D and, per law, compute-optimal D and over-training factor; click a header to sort.
#[component]
pub fn ModelsTableView(
    /// The analysis.
    outcome: Signal<Option<ScalingOutcome>>,
) -> impl IntoView {
    let (sort, set_sort) = signal((ModelSort::Params, false));
    let on_sort = Callback::new(move |key| set_sort.update(|s| toggle(s, key)));
    move || {
        let o = outcome.get()?;
        let t = o.models;
        let fits = t.fits.clone();
        let top = fits
            .iter()
            .map(|f| {
                view! {
                    <th colspan="2" class="group">
                        {f.label.clone()}
                    </th>
                }
            })
            .collect_view();
        let sub = fits
            .iter()
            .enumerate()
            .map(|(i, f)| {
                view! {
                    <SortHeader
                        key=ModelSort::Optimal(i)
                        sort=sort
                        on_sort=on_sort
                        class="num"
                        testid=format!("scaling-sort-dopt-{}", f.id)
                    >
                        "D_opt"
                    </SortHeader>
                    <SortHeader
                        key=ModelSort::Over(i)
                        sort=sort
                        on_sort=on_sort
                        class="num"
                        testid=format!("scaling-sort-over-{}", f.id)
                    >
                        "over-trained"
                    </SortHeader>
                }
            })
            .collect_view();
        let mut rows = t.models.clone();
        let (key, reverse) = sort.get();
        let opt = |v: Option<f64>| v.unwrap_or(f64::NEG_INFINITY);
        rows.sort_by(|a, b| {
            let ord = match key {
                ModelSort::Model => a.name.cmp(&b.name),
                ModelSort::Params => opt(b.params).total_cmp(&opt(a.params)),
                ModelSort::Tokens => opt(b.tokens).total_cmp(&opt(a.tokens)),
                ModelSort::Optimal(i) => opt(b.fits.get(i).and_then(|f| f.optimal_tokens))
                    .total_cmp(&opt(a.fits.get(i).and_then(|f| f.optimal_tokens))),
                ModelSort::Over(i) => opt(b.fits.get(i).and_then(|f| f.over_training))
                    .total_cmp(&opt(a.fits.get(i).and_then(|f| f.over_training))),
            }
            .then_with(|| a.name.cmp(&b.name));
            if reverse {
                ord.reverse()
            } else {
                ord
            }
        });
        let body = rows
            .into_iter()
            .map(|m| {
                let plus = if m.tokens_lower_bound { "+" } else { "" };
                let cells = m
                    .fits
                    .iter()
                    .map(|f| {
                        let over = f
                            .over_training
                            .map_or("—".to_string(), |x| format!("{}{}×", sig(x, 3), plus));
                        let title = f
                            .over_training_ci
                            .map(|c| format!("95% CI {}× – {}×", sig(c[0], 3), sig(c[1], 3)));
                        view! {
                            <td class="num" data-value=full_opt(f.optimal_tokens)>
                                {f.optimal_tokens.map_or("—".to_string(), si)}
                            </td>
                            <td
                                class="num over"
                                data-value=full_opt(f.over_training)
                                class:hi=f.over_training.is_some_and(|x| x > 1.0)
                                title=title
                                data-testid=format!("over-{}", f.fit)
                            >
                                {over}
                            </td>
                        }
                    })
                    .collect_view();
                view! {
                    <tr data-testid="scaling-model-row">
                        <td class="model" data-value=m.name.clone()>
                            {m.name.clone()}
                            {m
                                .tokens_lower_bound
                                .then(|| {
                                    view! {
                                        <span class="badge" title="token count is a lower bound">
                                            "≥"
                                        </span>
                                    }
                                })}
                        </td>
                        <td class="num" data-value=full_opt(m.params)>
                            {m.params.map_or("—".to_string(), si)}
                        </td>
                        <td class="num" data-value=full_opt(m.tokens)>
                            {m.tokens.map_or("—".to_string(), |t| format!("{}{plus}", si(t)))}
                        </td>
                        {cells}
                    </tr>
                }
            })
            .collect_view();
        Some(view! {
            <ExportTable testid="scaling-models">
                <div class="table-scroll">
                    <table class="data models" data-testid="scaling-models">
                        <thead>
                            <tr>
                                <SortHeader
                                    key=ModelSort::Model
                                    sort=sort
                                    on_sort=on_sort
                                    rowspan=2
                                    ascending=true
                                    testid="scaling-sort-model"
                                >
                                    "model"
                                </SortHeader>
                                <SortHeader
                                    key=ModelSort::Params
                                    sort=sort
                                    on_sort=on_sort
                                    rowspan=2
                                    class="num"
                                    testid="scaling-sort-params"
                                >
                                    "N"
                                </SortHeader>
                                <SortHeader
                                    key=ModelSort::Tokens
                                    sort=sort
                                    on_sort=on_sort
                                    rowspan=2
                                    class="num"
                                    testid="scaling-sort-tokens"
                                >
                                    "D"
                                </SortHeader>
                                {top}
                            </tr>
                            <tr>{sub}</tr>
                        </thead>
                        <tbody>{body}</tbody>
                    </table>
                </div>
            </ExportTable>
        })
    }
}

/// The optimum for each inference demand next to the Chinchilla optimum at the same loss.
#[component]
pub fn InferenceTable(
    /// The analysis.
    outcome: Signal<Option<ScalingOutcome>>,
) -> impl IntoView {
    move || {
        let o = outcome.get()?;
        let inf = match o.inference {
            Ok(i) => i,
            Err(e) => {
                return Some(
                    view! {
                        <p class="error" data-testid="scaling-inference-error">
                            {e}
                        </p>
                    }
                    .into_any(),
                )
            }
        };
        let chosen = inf.points.iter().find(|p| p.inference_tokens == inf.chosen).cloned();
        let summary = chosen.map(|p| {
            format!(
                "Under {} at target loss {:.4}: serving {} tokens, the best model has {} parameters ({:+.0}% vs the Chinchilla optimum {}) trained on {} tokens ({:+.0}% vs {}), saving {:.1}% of total FLOPs.",
                inf.law_label,
                inf.target_loss,
                si(p.inference_tokens),
                si(p.params),
                100.0 * (p.params / p.chinchilla_params - 1.0),
                si(p.chinchilla_params),
                si(p.tokens),
                100.0 * (p.tokens / p.chinchilla_tokens - 1.0),
                si(p.chinchilla_tokens),
                100.0 * (1.0 - p.total_flops / p.chinchilla_total_flops),
            )
        });
        let body = inf
            .points
            .iter()
            .map(|p| {
                let mine = p.inference_tokens == inf.chosen;
                view! {
                    <tr
                        class:chosen=mine
                        data-testid=if mine {
                            "scaling-inference-chosen"
                        } else {
                            "scaling-inference-row"
                        }
                    >
                        <td class="num" data-value=full(p.inference_tokens)>
                            {if p.inference_tokens == 0.0 {
                                "0 (training only)".to_string()
                            } else {
                                si(p.inference_tokens)
                            }}
                        </td>
                        <td class="num" data-value=full(p.params)>
                            {si(p.params)}
                        </td>
                        <td class="num" data-value=full(p.tokens)>
                            {si(p.tokens)}
                        </td>
                        <td class="num" data-value=full(p.tokens / p.params)>
                            {sig(p.tokens / p.params, 3)}
                        </td>
                        <td class="num" data-value=full(p.training_flops)>
                            {format!("{:.3e}", p.training_flops)}
                        </td>
                        <td class="num" data-value=full(p.total_flops)>
                            {format!("{:.3e}", p.total_flops)}
                        </td>
                        <td class="num" data-value=full(p.chinchilla_total_flops)>
                            {format!("{:.3e}", p.chinchilla_total_flops)}
                        </td>
                    </tr>
                }
            })
            .collect_view();
        Some(
            view! {
                <p class="meta" data-testid="scaling-inference-summary">
                    {summary}
                </p>
                <ExportTable testid="scaling-inference">
                    <table class="data" data-testid="scaling-inference">
                        <thead>
                            <tr>
                                <th class="num">"inference tokens"</th>
                                <th class="num">"best N"</th>
                                <th class="num">"best D"</th>
                                <th class="num">"D / N"</th>
                                <th class="num">"training FLOPs"</th>
                                <th class="num">"total FLOPs"</th>
                                <th class="num">"total, Chinchilla-optimal"</th>
                            </tr>
                        </thead>
                        <tbody>{body}</tbody>
                    </table>
                </ExportTable>
            }
            .into_any(),
        )
    }
}

/// The fitted sigmoid in one sentence.
#[component]
pub fn TrendSummary(
    /// The analysis.
    outcome: Signal<Option<ScalingOutcome>>,
) -> impl IntoView {
    move || {
        let o = outcome.get()?;
        Some(match o.trend? {
            Ok(t) => view! {
                <p class="meta" data-testid="scaling-trend-summary">
                    {format!(
                        "“{}” = {} + ({} − {})·σ({:.3}·(log10 6ND − {:.3})), a Huber M-estimate; robust σ = {:.2}. {} of {} models have |z| > {}{}.",
                        t.column,
                        t.floor,
                        t.ceiling,
                        t.floor,
                        t.k,
                        t.x0,
                        t.sigma,
                        t.outliers.len(),
                        t.points.len(),
                        t.z_threshold,
                        if t.off_compute.is_empty() {
                            String::new()
                        } else {
                            format!("; not placed (no compute): {}", t.off_compute.join(", "))
                        },
                    )}
                </p>
            }.into_any(),
            Err(e) => view! {
                <p class="error" data-testid="scaling-trend-error">
                    {e}
                </p>
            }.into_any(),
        })
    }
}

/// Models whose score is far off the trend for their compute.
#[component]
pub fn OutlierTable(
    /// The analysis.
    outcome: Signal<Option<ScalingOutcome>>,
) -> impl IntoView {
    move || {
        let t = outcome.get()?.trend?.ok()?;
        let mut pts: Vec<_> = t.points.iter().filter(|p| p.outlier.is_some()).cloned().collect();
        pts.sort_by(|a, b| b.z.abs().total_cmp(&a.z.abs()));
        if pts.is_empty() {
            return Some(view! { <p class="ok">"No outliers."</p> }.into_any());
        }
        let body = pts
            .into_iter()
            .map(|p| {
                view! {
                    <tr data-testid="scaling-outlier-row">
                        <td class="model">{p.name.clone()}</td>
                        <td class="num" data-value=full(p.compute)>
                            {format!(
                                "{:.3e}{}",
                                p.compute,
                                if p.compute_lower_bound { "+" } else { "" },
                            )}
                        </td>
                        <td class="num" data-value=full(p.score)>
                            {sig(p.score, 3)}
                        </td>
                        <td class="num" data-value=full(p.predicted)>
                            {sig(p.predicted, 3)}
                        </td>
                        <td class="num" data-value=full(p.residual)>
                            {format!("{:+.1}", p.residual)}
                        </td>
                        <td class="num" data-testid="z" data-value=full(p.z)>
                            {format!("{:+.2}", p.z)}
                        </td>
                        <td>
                            {if p.outlier.as_deref() == Some("high") {
                                "above trend"
                            } else {
                                "below trend"
                            }}
                        </td>
                    </tr>
                }
            })
            .collect_view();
        Some(
            view! {
                <ExportTable testid="scaling-outliers">
                    <table class="data" data-testid="scaling-outliers">
                        <thead>
                            <tr>
                                <th>"outlier"</th>
                                <th class="num">"6ND"</th>
                                <th class="num">"score"</th>
                                <th class="num">"trend"</th>
                                <th class="num">"residual"</th>
                                <th class="num">"robust z"</th>
                                <th>
                                    <span class="visually-hidden">"direction"</span>
                                </th>
                            </tr>
                        </thead>
                        <tbody>{body}</tbody>
                    </table>
                </ExportTable>
            }
            .into_any(),
        )
    }
}

/// The citation columns of the table, one entry per row, in a disclosure.
#[component]
pub fn Sources(
    /// The analysis.
    outcome: Signal<Option<ScalingOutcome>>,
) -> impl IntoView {
    move || {
        let o = outcome.get()?;
        if o.sources.is_empty() {
            return None;
        }
        let items = o
            .sources
            .iter()
            .map(|r| {
                let cites = r
                    .sources
                    .iter()
                    .map(|(col, text)| {
                        view! {
                            <div>
                                <span class="src-col">{col.clone()}</span>
                                ": "
                                {text.clone()}
                            </div>
                        }
                    })
                    .collect_view();
                view! {
                    <li data-testid="scaling-source">
                        <strong>{r.name.clone()}</strong>
                        {cites}
                    </li>
                }
            })
            .collect_view();
        Some(view! {
            <details class="panel sources" data-testid="scaling-sources">
                <summary>
                    {format!("Sources of {} ({} rows)", o.dataset_name, o.sources.len())}
                </summary>
                <ul>{items}</ul>
            </details>
        })
    }
}

/// The view's settings as JSON, for the report.
pub fn report_settings() -> Signal<serde_json::Value> {
    let vs = use_context::<super::ScalingViewState>();
    let app = use_context::<crate::state::AppState>();
    Signal::derive(move || {
        let Some(vs) = vs else { return serde_json::Value::Null };
        let table = vs.dataset.get().and_then(|id| {
            app.and_then(|a| {
                a.datasets.with(|d| d.iter().find(|e| e.id == id).map(|e| e.summary.name.clone()))
            })
        });
        serde_json::json!({
            "table": table,
            "columns": vs.columns.get(),
            "fit": vs.fit_settings(),
            "inference_law": vs.inference_law.get(),
            "target_loss": vs.target_loss.get(),
            "inference_tokens": vs.inference_tokens.get(),
        })
    })
}
