//! Invented model names of the synthetic arena (no name describes a real model). The first 40
//! are the names `synth battles` has always used; larger arenas reuse them with a version
//! suffix, so every name stays unique and sorts next to its family.

pub(super) const NAMES: [&str; 40] = [
    "aurora-70b",
    "basalt-8x7b",
    "cobalt-13b",
    "dune-34b",
    "ember-7b",
    "fjord-72b",
    "granite-405b",
    "harbor-9b",
    "iris-27b",
    "juniper-3b",
    "kestrel-110b",
    "lumen-14b",
    "meadow-32b",
    "nimbus-8b",
    "obsidian-70b",
    "pebble-1b",
    "quartz-22b",
    "river-12b",
    "sable-180b",
    "tundra-40b",
    "umber-4b",
    "vale-65b",
    "willow-11b",
    "xenon-123b",
    "yarrow-6b",
    "zephyr-30b",
    "atlas-mini",
    "beacon-pro",
    "cinder-lite",
    "delta-max",
    "echo-turbo",
    "falcon-ultra",
    "glacier-flash",
    "heron-plus",
    "ion-chat",
    "jade-instruct",
    "kite-base",
    "lark-large",
    "mesa-medium",
    "nova-nano",
];

/// Name of synthetic model `i`: the 40 base names, then `aurora-70b-v2`, … for `i` ≥ 40.
pub(super) fn model_name(i: usize) -> String {
    let base = NAMES[i % NAMES.len()];
    match i / NAMES.len() {
        0 => base.to_owned(),
        k => format!("{base}-v{}", k + 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_for_large_arenas() {
        let names: std::collections::BTreeSet<String> = (0..1000).map(model_name).collect();
        assert_eq!(names.len(), 1000);
        assert_eq!(model_name(0), "aurora-70b");
        assert_eq!(model_name(40), "aurora-70b-v2");
    }
}
