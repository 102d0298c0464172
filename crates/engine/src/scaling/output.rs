//! The scaling outcome's own reports, the ones `benchlens scaling fit|models` prints: the fit as
//! JSON (the law's fields at the top, the other analyses under their own keys) or as long-format
//! CSV, the per-model table as CSV, and reading a fit back from its JSON. Kept beside the
//! analysis so that every consumer writes the same columns.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::analysis::{InferenceOutcome, ScalingOutcome};
use super::law::LawFit;
use super::models::{FitChoice, ModelsTable};
use super::objective::LawParams;
use super::ScalingError;

/// Columns of [`fit_csv_rows`].
pub const FIT_CSV_HEADER: [&str; 5] = ["quantity", "compute", "value", "ci_lo", "ci_hi"];

impl ScalingOutcome {
    /// A fit report needs something to fit: a loss or a score column.
    pub fn needs_loss_or_score(&self) -> Result<(), ScalingError> {
        if self.columns.loss.is_none() && self.columns.score.is_none() {
            return Err(ScalingError::NoLossColumn { columns: self.table_columns.join(", ") });
        }
        Ok(())
    }

    /// The inference-aware optimum as `benchlens scaling fit --target-loss` asks for it: under
    /// the fitted law, and only when a target loss was given and a law was fitted.
    pub fn requested_inference(&self) -> Option<Result<&InferenceOutcome, &String>> {
        (self.settings.target_loss.is_some() && self.fit.is_some())
            .then_some(self.inference.as_ref())
    }

    /// The `scaling fit` JSON: the law's fields at the top (`params`, `objective`, `ci`,
    /// `allocation`, `flags`, …), then the other analyses under their own keys.
    pub fn fit_json(&self) -> Result<Value, String> {
        let mut out = match &self.fit {
            Some(f) => to_value(f)?,
            None => json!({
                "params": null,
                "objective": null,
                "ci": {},
                "allocation": [],
                "flags": [{
                    "code": "no_loss_column",
                    "message": "no loss column: the loss law was not fitted (score trend only)"
                }],
            }),
        };
        let map = out.as_object_mut().ok_or("internal: fit is not a JSON object")?;
        map.insert("columns".into(), to_value(&self.columns)?);
        map.insert("off_compute".into(), to_value(&self.off_compute)?);
        map.insert("warnings".into(), to_value(&self.warning_records)?);
        match &self.trend {
            Some(Ok(t)) => {
                map.insert("score_trend".into(), to_value(t)?);
            }
            Some(Err(e)) => {
                map.insert("score_trend".into(), json!({ "error": e }));
            }
            None => {}
        }
        if let Some(a2) = &self.approach2 {
            map.insert("approach2".into(), to_value(a2)?);
        }
        if let Some(why) = &self.approach2_note {
            map.insert("approach2_note".into(), to_value(why)?);
        }
        map.insert("models".into(), to_value(&self.models)?);
        if let Some(Ok(inference)) = self.requested_inference() {
            map.insert("inference".into(), to_value(&inference.points)?);
        }
        Ok(out)
    }
}

fn to_value<T: serde::Serialize>(v: &T) -> Result<Value, String> {
    serde_json::to_value(v).map_err(|e| e.to_string())
}

/// Numbers in reports: shortest round-trip scientific notation.
fn num(v: f64) -> String {
    format!("{v:e}")
}

/// The fit as long-format CSV rows ([`FIT_CSV_HEADER`]): the law's parameters, the objective, then
/// the allocation at each compute budget, each with its bootstrap interval where there is one.
pub fn fit_csv_rows(fit: &LawFit) -> Vec<Vec<String>> {
    let ci =
        |k: &str| fit.ci.get(k).map_or([String::new(), String::new()], |c| [num(c[0]), num(c[1])]);
    let mut rows = Vec::new();
    let mut scalars: BTreeMap<&str, f64> = BTreeMap::new();
    scalars.insert("E", fit.params.E);
    scalars.insert("A", fit.params.A);
    scalars.insert("B", fit.params.B);
    scalars.insert("alpha", fit.params.alpha);
    scalars.insert("beta", fit.params.beta);
    if let Some(al) = &fit.allocation_law {
        scalars.insert("a", al.a);
        scalars.insert("b", al.b);
        scalars.insert("G", al.g);
    }
    for key in ["E", "A", "B", "alpha", "beta", "a", "b", "G"] {
        if let Some(v) = scalars.get(key) {
            let [lo, hi] = ci(key);
            rows.push(vec![key.to_owned(), String::new(), num(*v), lo, hi]);
        }
    }
    rows.push(vec![
        "objective".into(),
        String::new(),
        num(fit.objective),
        String::new(),
        String::new(),
    ]);
    for p in &fit.allocation {
        let pair = |c: Option<[f64; 2]>| {
            c.map_or([String::new(), String::new()], |c| [num(c[0]), num(c[1])])
        };
        for (key, v, c) in [
            ("n_opt", p.n_opt, p.n_opt_ci),
            ("d_opt", p.d_opt, p.d_opt_ci),
            ("tokens_per_param", p.tokens_per_param, p.tokens_per_param_ci),
            ("loss", p.loss, p.loss_ci),
        ] {
            let [lo, hi] = pair(c);
            rows.push(vec![key.to_owned(), num(p.compute), num(v), lo, hi]);
        }
    }
    rows
}

/// The per-model table as CSV: header and rows, one block of columns per law (interval columns
/// only for laws fitted with a bootstrap).
pub fn models_csv(t: &ModelsTable) -> (Vec<String>, Vec<Vec<String>>) {
    let mut header: Vec<String> =
        ["model", "params", "tokens", "tokens_lower_bound", "compute"].map(String::from).to_vec();
    // Published fits have no draws, so no intervals.
    let with_ci: Vec<bool> = t.fits.iter().map(|f| !f.draws.is_empty()).collect();
    for (f, ci) in t.fits.iter().zip(&with_ci) {
        for col in ["optimal_tokens", "optimal_tokens_per_param", "over_training", "predicted_loss"]
        {
            header.push(format!("{}_{col}", f.id));
        }
        if *ci {
            for col in ["over_training_lo", "over_training_hi"] {
                header.push(format!("{}_{col}", f.id));
            }
        }
    }
    let opt = |v: Option<f64>| v.map_or(String::new(), num);
    let rows = t
        .models
        .iter()
        .map(|m| {
            let mut row = vec![
                m.name.clone(),
                opt(m.params),
                opt(m.tokens),
                m.tokens_lower_bound.to_string(),
                opt(m.compute),
            ];
            for (f, ci) in m.fits.iter().zip(&with_ci) {
                row.extend([
                    opt(f.optimal_tokens),
                    opt(f.optimal_tokens_per_param),
                    opt(f.over_training),
                    opt(f.predicted_loss),
                ]);
                if *ci {
                    row.push(opt(f.over_training_ci.map(|c| c[0])));
                    row.push(opt(f.over_training_ci.map(|c| c[1])));
                }
            }
            row
        })
        .collect();
    (header, rows)
}

/// A law read back from the JSON `scaling fit` writes: its `params` and, when present, its
/// bootstrap draws. `source` names the text in messages and labels the law; `id` is its column
/// prefix.
pub fn fit_choice_from_json(text: &str, source: &str, id: &str) -> Result<FitChoice, String> {
    let v: Value = serde_json::from_str(text).map_err(|e| {
        format!("{source}: not JSON ({e}); expected the output of `benchlens scaling fit`")
    })?;
    let params: LawParams = serde_json::from_value(v.get("params").cloned().unwrap_or(Value::Null))
        .map_err(|e| {
            format!("{source}: no usable \"params\" object with E, A, B, alpha, beta ({e})")
        })?;
    let draws: Vec<[f64; 5]> = v
        .get("bootstrap_thetas")
        .and_then(|d| serde_json::from_value(d.clone()).ok())
        .unwrap_or_default();
    Ok(FitChoice {
        id: id.to_owned(),
        label: source.to_owned(),
        params,
        draws: draws.iter().map(LawParams::from_theta).collect(),
    })
}
