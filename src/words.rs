//! Small wording helpers shared by every front end: counts with the right
//! plural. Pure.

/// `1 profile`, `2 profiles`: a count with the word in the right number.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    #[test]
    fn one_and_many() {
        assert_eq!(super::plural(1, "error", "errors"), "1 error");
        assert_eq!(super::plural(0, "error", "errors"), "0 errors");
        assert_eq!(super::plural(2, "key", "keys"), "2 keys");
    }
}
