//! The scaling view's tables about the fit itself: what was read, the fitted parameters with
//! intervals and flags, and the sources of models.csv. The per-model table, the inference
//! optimum and the score trend have files of their own.

use benchlens_engine::scaling::allocation::AllocationLaw;
use benchlens_engine::scaling::diagnostics::WIDE_INTERVAL_RATIO;
use benchlens_engine::scaling::LawParams;
use leptos::prelude::*;

use crate::charts::xy::si;
use crate::export::{full, full_opt};
use crate::jobs::scaling::ScalingOutcome;
use crate::views::table::{MarkupTable, NumCell, TableHead};

/// `v` with `digits` significant digits; scientific notation outside 0.001..10⁶.
pub(super) fn sig(v: f64, digits: usize) -> String {
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
                        <NumCell value=v text=sig(v, 4) testid="value" />
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
            <MarkupTable testid="scaling-params" class="params">
                <TableHead slot>
                    <tr>
                        <th>"parameter"</th>
                        <th class="num">"estimate"</th>
                        <th class="num">"95% CI low"</th>
                        <th class="num">"95% CI high"</th>
                        <th class="num" title="Hoffmann et al. 2022, eq. 10 (published, rounded)">
                            "Hoffmann 2022"
                        </th>
                        <th
                            class="num"
                            title="Besiroglu et al. 2024, Chinchilla Scaling: A replication attempt"
                        >
                            "Epoch AI 2024"
                        </th>
                    </tr>
                </TableHead>
                {body}
            </MarkupTable>
            <p class="meta" data-testid="scaling-fit-meta">
                {meta}
            </p>
            {flags}
        }.into_any())
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
