//! The settings forms' recurring fields (a labelled choice, number or checkbox), written once so
//! that every view's controls render the same markup: a `<label>` around the text and the
//! control, the control carrying the `data-testid` the end-to-end tests select by.

use leptos::prelude::*;

/// One settings field as the text its input shows, tracking the settings.
pub fn field_text<S, T>(settings: RwSignal<S>, get: fn(&S) -> T) -> Signal<String>
where
    S: Send + Sync + 'static,
    T: ToString + 'static,
{
    Signal::derive(move || settings.with(|s| get(s).to_string()))
}

/// The value of the `<select>` an event came from.
fn select_value(ev: &leptos::ev::Event) -> String {
    let select: web_sys::HtmlSelectElement = event_target(ev);
    select.value()
}

/// A labelled `<select>` over a fixed list of choices; the option whose choice equals
/// `current` is selected, and picking one hands its choice to `on_choose`.
#[component]
pub fn ChoiceSelect<T>(
    /// Text before the select.
    label: &'static str,
    /// `data-testid` of the select.
    testid: &'static str,
    /// (option value, option text, choice), in the order shown.
    choices: Vec<(&'static str, &'static str, T)>,
    /// The choice in effect.
    #[prop(into)]
    current: Signal<T>,
    /// Called with the picked choice.
    on_choose: impl Fn(T) + 'static,
) -> impl IntoView
where
    T: Copy + PartialEq + Send + Sync + 'static,
{
    let values: Vec<(&'static str, T)> = choices.iter().map(|(v, _, c)| (*v, *c)).collect();
    let on_pick = move |picked: String| {
        if let Some((_, choice)) = values.iter().find(|(v, _)| *v == picked) {
            on_choose(*choice);
        }
    };
    let options = choices
        .into_iter()
        .map(|(value, text, choice)| {
            view! {
                <option value=value prop:selected=move || current.get() == choice>
                    {text}
                </option>
            }
        })
        .collect_view();
    view! {
        <LabeledSelect label=label testid=testid on_pick=on_pick>
            {options}
        </LabeledSelect>
    }
}

/// A labelled `<select>` whose options are its children; picking one hands the option's value
/// to `on_pick`.
#[component]
pub fn LabeledSelect(
    /// Text before the select.
    label: &'static str,
    /// `data-testid` of the select.
    #[prop(into)]
    testid: String,
    /// Called with the picked option's value.
    on_pick: impl Fn(String) + 'static,
    /// The `<option>`s.
    children: Children,
) -> impl IntoView {
    view! {
        <label>
            {label} <select data-testid=testid on:change=move |ev| on_pick(select_value(&ev))>
                {children()}
            </select>
        </label>
    }
}

/// One `<option>` per name (value and text alike), the one equal to `current` selected.
pub fn name_options(names: &[String], current: Option<&str>) -> impl IntoView {
    names
        .iter()
        .map(|name| {
            view! {
                <option value=name.clone() selected=current == Some(name.as_str())>
                    {name.clone()}
                </option>
            }
        })
        .collect_view()
}

/// A labelled number input. A change that parses as `T` (and passes `keep`) goes to
/// `on_value`; anything else is left in the field and changes nothing.
#[component]
pub fn NumberField<T>(
    /// Text before the input.
    label: &'static str,
    /// `data-testid` of the input.
    testid: &'static str,
    /// The value shown.
    #[prop(into)]
    value: Signal<String>,
    /// Called with the parsed value after a change.
    on_value: impl Fn(T) + 'static,
    /// Values to ignore as well as the unparsable ones (a negative weight, NaN).
    #[prop(optional)]
    keep: Option<fn(&T) -> bool>,
    #[prop(optional)] min: Option<&'static str>,
    #[prop(optional)] max: Option<&'static str>,
    /// (lowest, highest): the input's `min` and `max`, and where a value outside them is moved
    /// to before it goes to `on_value` (in place of `min` and `max`).
    #[prop(optional)]
    clamp_to: Option<(T, T)>,
    #[prop(optional)] step: Option<&'static str>,
    /// Tooltip of the whole field.
    #[prop(optional)]
    title: Option<&'static str>,
    /// Greys the input out while true.
    #[prop(optional, into)]
    disabled: Signal<bool>,
) -> impl IntoView
where
    T: std::str::FromStr + PartialOrd + Copy + ToString + 'static,
{
    let bound = |given: Option<&'static str>, clamped: Option<T>| {
        clamped.map(|v| v.to_string()).or_else(|| given.map(String::from))
    };
    let (min, max) = (bound(min, clamp_to.map(|c| c.0)), bound(max, clamp_to.map(|c| c.1)));
    let into_range = move |v: T| match clamp_to {
        Some((lo, _)) if v < lo => lo,
        Some((_, hi)) if v > hi => hi,
        _ => v,
    };
    let on_change = move |ev: leptos::ev::Event| match event_target_value(&ev).trim().parse::<T>() {
        Ok(v) if keep.is_none_or(|keep| keep(&v)) => on_value(into_range(v)),
        _ => {}
    };
    view! {
        <label title=title>
            {label}
            <input
                type="number"
                min=min
                max=max
                step=step
                data-testid=testid
                prop:disabled=move || disabled.get()
                prop:value=move || value.get()
                on:change=on_change
            />
        </label>
    }
}

/// A checkbox with its text after it (`<label class="check">`).
#[component]
pub fn CheckField(
    /// Text after the checkbox.
    label: &'static str,
    /// `data-testid` of the checkbox.
    testid: &'static str,
    /// Whether it is ticked.
    #[prop(into)]
    checked: Signal<bool>,
    /// Called with the new state after a click.
    #[prop(into)]
    on_toggle: Callback<bool>,
    /// Tooltip of the whole field.
    #[prop(optional)]
    title: Option<&'static str>,
) -> impl IntoView {
    view! {
        <label class="check" title=title>
            <input
                type="checkbox"
                data-testid=testid
                prop:checked=move || checked.get()
                on:change=move |ev| on_toggle.run(event_target_checked(&ev))
            />
            {label}
        </label>
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

/// A `<button type="button">` (it never submits the form it sits in) that runs `on_click`.
#[component]
pub fn ActionButton(
    /// `data-testid` of the button.
    #[prop(into)]
    testid: String,
    /// Its classes (`"link"` for one that looks like a link).
    #[prop(optional)]
    class: Option<&'static str>,
    /// What a click does.
    on_click: impl FnMut(leptos::ev::MouseEvent) + 'static,
    /// The button's text.
    children: Children,
) -> impl IntoView {
    view! {
        <button type="button" class=class data-testid=testid on:click=on_click>
            {children()}
        </button>
    }
}
