//! The settings forms' recurring fields (a labelled choice, number or checkbox), written once so
//! that every view's controls render the same markup: a `<label>` around the text and the
//! control, the control carrying the `data-testid` the end-to-end tests select by.

use leptos::prelude::*;

/// The value of the `<select>` an event came from.
pub fn select_value(ev: &leptos::ev::Event) -> String {
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
    #[prop(into)]
    on_choose: Callback<T>,
) -> impl IntoView
where
    T: Copy + PartialEq + Send + Sync + 'static,
{
    let values: Vec<(&'static str, T)> = choices.iter().map(|(v, _, c)| (*v, *c)).collect();
    let on_change = move |ev: leptos::ev::Event| {
        let picked = select_value(&ev);
        if let Some((_, choice)) = values.iter().find(|(v, _)| *v == picked) {
            on_choose.run(*choice);
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
        <label>
            {label} <select data-testid=testid on:change=on_change>
                {options}
            </select>
        </label>
    }
}

/// A labelled number input. Its text goes to `on_input` on every change; the caller parses it
/// and ignores what it cannot use, so the field never rejects typing.
#[component]
pub fn NumberField(
    /// Text before the input.
    label: &'static str,
    /// `data-testid` of the input.
    testid: &'static str,
    /// The value shown.
    #[prop(into)]
    value: Signal<String>,
    /// Called with the input's text after a change.
    #[prop(into)]
    on_input: Callback<String>,
    #[prop(optional)] min: Option<&'static str>,
    #[prop(optional)] max: Option<&'static str>,
    #[prop(optional)] step: Option<&'static str>,
    /// Tooltip of the whole field.
    #[prop(optional)]
    title: Option<&'static str>,
    /// Greys the input out while true.
    #[prop(optional, into)]
    disabled: Signal<bool>,
) -> impl IntoView {
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
                on:change=move |ev| on_input.run(event_target_value(&ev))
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
