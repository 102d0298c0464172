//! The settings forms' recurring pieces that are not bound to one setting: a labelled `<select>`
//! over options the caller draws, name options, and a button that never submits. Fields bound to
//! one setting (a fixed choice, a number, a checkbox) are data, in `fields.rs`.

use leptos::prelude::*;

/// The value of the `<select>` an event came from.
fn select_value(ev: &leptos::ev::Event) -> String {
    let select: web_sys::HtmlSelectElement = event_target(ev);
    select.value()
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
