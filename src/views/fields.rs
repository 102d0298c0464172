//! Settings-form fields as data. A field names its text, its `data-testid` and the one setting it
//! shows and changes (a getter and a setter on the settings struct), so a form is a list of
//! constants drawn by [`Fields`] rather than the same markup written out once per setting. Every
//! field renders the same markup: a `<label>` around the text and the control, the control
//! carrying the test id the end-to-end tests select by.
//!
//! A field binds to any `RwSignal<S>`: a view's whole settings struct (`|s| s.seed`), or a signal
//! holding the one value (`|v| *v`).

use leptos::prelude::*;

use super::form::LabeledSelect;

/// A settings field that can draw itself bound to a settings signal (see [`Fields`]).
pub trait Field<S> {
    /// The field's markup, showing and changing its setting in `settings`.
    fn render(&self, settings: RwSignal<S>) -> AnyView;
}

/// Draws `list` in order, every field bound to `settings`.
#[component]
pub fn Fields<S>(
    /// The settings the fields show and change.
    settings: RwSignal<S>,
    /// The fields, in the order shown.
    list: &'static [&'static dyn Field<S>],
) -> impl IntoView
where
    S: Send + Sync + 'static,
{
    list.iter().map(|field| field.render(settings)).collect_view()
}

/// A labelled `<select>` over a fixed list of choices; the option whose choice equals the
/// setting is selected, and picking one stores its choice.
pub struct Choice<S, T: 'static> {
    label: &'static str,
    testid: &'static str,
    /// (option value, option text, choice), in the order shown.
    choices: &'static [(&'static str, &'static str, T)],
    get: fn(&S) -> T,
    set: fn(&mut S, T),
}

impl<S, T: Copy> Choice<S, T> {
    /// The field `label` (test id `testid`) choosing among `choices` for the setting that
    /// `get` reads and `set` writes.
    pub const fn new(
        label: &'static str,
        testid: &'static str,
        choices: &'static [(&'static str, &'static str, T)],
        get: fn(&S) -> T,
        set: fn(&mut S, T),
    ) -> Self {
        Self { label, testid, choices, get, set }
    }
}

impl<S, T> Field<S> for Choice<S, T>
where
    S: Send + Sync + 'static,
    T: Copy + PartialEq + Send + Sync + 'static,
{
    fn render(&self, settings: RwSignal<S>) -> AnyView {
        let (choices, get, set) = (self.choices, self.get, self.set);
        let on_pick = move |picked: String| {
            if let Some((_, _, choice)) = choices.iter().find(|(v, _, _)| *v == picked) {
                settings.update(|s| set(s, *choice));
            }
        };
        let options = choices
            .iter()
            .map(|&(value, text, choice)| {
                view! {
                    <option value=value prop:selected=move || settings.with(get) == choice>
                        {text}
                    </option>
                }
            })
            .collect_view();
        view! {
            <LabeledSelect label=self.label testid=self.testid on_pick=on_pick>
                {options}
            </LabeledSelect>
        }
        .into_any()
    }
}

/// A labelled number input. A change that parses as `T` (and passes `keep`) is stored;
/// anything else is left in the field and changes nothing.
pub struct Number<S, T> {
    label: &'static str,
    testid: &'static str,
    get: fn(&S) -> T,
    set: fn(&mut S, T),
    /// Values to ignore as well as the unparsable ones (a negative weight, NaN).
    keep: Option<fn(&T) -> bool>,
    min: Option<&'static str>,
    max: Option<&'static str>,
    /// (lowest, highest): the input's `min` and `max`, and where a value outside them is moved
    /// to before it is stored (in place of `min` and `max`).
    clamp_to: Option<(T, T)>,
    step: Option<&'static str>,
    /// Tooltip of the whole field.
    title: Option<&'static str>,
}

impl<S, T: Copy> Number<S, T> {
    /// The number field `label` (test id `testid`) for the setting that `get` reads and `set`
    /// writes; the methods below add the input's bounds, step and tooltip.
    pub const fn new(
        label: &'static str,
        testid: &'static str,
        get: fn(&S) -> T,
        set: fn(&mut S, T),
    ) -> Self {
        Self {
            label,
            testid,
            get,
            set,
            keep: None,
            min: None,
            max: None,
            clamp_to: None,
            step: None,
            title: None,
        }
    }

    /// Also ignores the values `keep` rejects.
    pub const fn keep(mut self, keep: fn(&T) -> bool) -> Self {
        self.keep = Some(keep);
        self
    }

    /// The input's `min` attribute.
    pub const fn min(mut self, min: &'static str) -> Self {
        self.min = Some(min);
        self
    }

    /// The input's `max` attribute.
    pub const fn max(mut self, max: &'static str) -> Self {
        self.max = Some(max);
        self
    }

    /// Bounds shown as `min` and `max`; a value outside is moved to the nearer one.
    pub const fn clamp_to(mut self, lowest: T, highest: T) -> Self {
        self.clamp_to = Some((lowest, highest));
        self
    }

    /// The input's `step` attribute.
    pub const fn step(mut self, step: &'static str) -> Self {
        self.step = Some(step);
        self
    }

    /// A tooltip for the whole field.
    pub const fn title(mut self, title: &'static str) -> Self {
        self.title = Some(title);
        self
    }
}

impl<S, T> Number<S, T>
where
    S: Send + Sync + 'static,
    T: std::str::FromStr + PartialOrd + Copy + ToString + Send + Sync + 'static,
{
    /// The field, greyed out while `disabled` holds.
    pub fn render_with(&self, settings: RwSignal<S>, disabled: Signal<bool>) -> AnyView {
        let (get, set, keep, clamp_to) = (self.get, self.set, self.keep, self.clamp_to);
        let bound = |given: Option<&'static str>, clamped: Option<T>| {
            clamped.map(|v| v.to_string()).or_else(|| given.map(String::from))
        };
        let (min, max) =
            (bound(self.min, clamp_to.map(|c| c.0)), bound(self.max, clamp_to.map(|c| c.1)));
        let into_range = move |v: T| match clamp_to {
            Some((lo, _)) if v < lo => lo,
            Some((_, hi)) if v > hi => hi,
            _ => v,
        };
        let on_change =
            move |ev: leptos::ev::Event| match event_target_value(&ev).trim().parse::<T>() {
                Ok(v) if keep.is_none_or(|keep| keep(&v)) => {
                    settings.update(|s| set(s, into_range(v)));
                }
                _ => {}
            };
        view! {
            <label title=self
                .title>
                {self.label}
                <input
                    type="number"
                    min=min
                    max=max
                    step=self.step
                    data-testid=self.testid
                    prop:disabled=move || disabled.get()
                    prop:value=move || settings.with(|s| get(s).to_string())
                    on:change=on_change
                />
            </label>
        }
        .into_any()
    }
}

impl<S, T> Field<S> for Number<S, T>
where
    S: Send + Sync + 'static,
    T: std::str::FromStr + PartialOrd + Copy + ToString + Send + Sync + 'static,
{
    fn render(&self, settings: RwSignal<S>) -> AnyView {
        self.render_with(settings, Signal::stored(false))
    }
}

/// A checkbox with its text after it (`<label class="check">`).
pub struct Check<S> {
    label: &'static str,
    testid: &'static str,
    get: fn(&S) -> bool,
    set: fn(&mut S, bool),
    /// Tooltip of the whole field.
    title: Option<&'static str>,
}

impl<S> Check<S> {
    /// The checkbox `label` (test id `testid`) for the setting that `get` reads and `set`
    /// writes.
    pub const fn new(
        label: &'static str,
        testid: &'static str,
        get: fn(&S) -> bool,
        set: fn(&mut S, bool),
    ) -> Self {
        Self { label, testid, get, set, title: None }
    }

    /// A tooltip for the whole field.
    pub const fn title(mut self, title: &'static str) -> Self {
        self.title = Some(title);
        self
    }
}

impl<S: Send + Sync + 'static> Field<S> for Check<S> {
    fn render(&self, settings: RwSignal<S>) -> AnyView {
        let (get, set) = (self.get, self.set);
        view! {
            <label class="check" title=self.title>
                <input
                    type="checkbox"
                    data-testid=self.testid
                    prop:checked=move || settings.with(get)
                    on:change=move |ev| settings.update(|s| set(s, event_target_checked(&ev)))
                />
                {self.label}
            </label>
        }
        .into_any()
    }
}

/// For `keep`: a finite number, zero or more.
pub fn finite_non_negative(v: &f64) -> bool {
    v.is_finite() && *v >= 0.0
}

/// For `keep`: a finite number above zero.
pub fn finite_positive(v: &f64) -> bool {
    v.is_finite() && *v > 0.0
}
