//! Counts in messages: "1 battle", "2 battles". One home for the rule, so engine warnings, CLI
//! output and page notes never disagree on "1 rows".

/// `one` when `n` is 1, else `many`.
pub fn plural<'a, N: Copy + PartialEq + From<u8>>(n: N, one: &'a str, many: &'a str) -> &'a str {
    if n == N::from(1) {
        one
    } else {
        many
    }
}

/// The count and its noun in the right number: "1 battle", "2 battles".
pub fn counted<N: Copy + std::fmt::Display + PartialEq + From<u8>>(
    n: N,
    one: &str,
    many: &str,
) -> String {
    let noun = plural(n, one, many);
    format!("{n} {noun}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn one_is_singular_everything_else_plural() {
        assert_eq!(super::counted(1usize, "row", "rows"), "1 row");
        assert_eq!(super::counted(0u64, "row", "rows"), "0 rows");
        assert_eq!(crate::wording::plural(2u32, "is", "are"), "are");
    }
}
