//! Page entry point: mounts the app, nothing else.

fn main() {
    console_error_panic_hook::set_once();
    benchlens::expose_wasm_memory();
    leptos::mount::mount_to_body(benchlens::app::App);
}
