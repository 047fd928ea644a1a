//! "Did you mean …?": the closest known name to a misspelt one.

/// The candidate closest to `word` (case, `-` and `_` ignored) within an edit distance of a third of the
/// longer word's length (at least 2), or `None`.
///
/// Linear in the candidates' total length for words that are far apart in length: a candidate whose
/// length differs by more than the allowed distance cannot be within it and is skipped unread.
pub fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let norm = |s: &str| s.to_lowercase().replace(['-', '_'], "");
    let w = norm(word);
    let wlen = w.chars().count();
    candidates
        .iter()
        .filter_map(|c| {
            let allowed = (c.len().max(word.len()) / 3).max(2);
            let n = norm(c);
            (n.chars().count().abs_diff(wlen) <= allowed)
                .then(|| (edit_distance(&w, &n), allowed, *c))
        })
        .filter(|&(d, allowed, _)| d <= allowed)
        .min_by_key(|&(d, _, c)| (d, c))
        .map(|(_, _, c)| c)
}

/// Levenshtein distance.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_nearest_name_within_reach() {
        let names = ["orders-db", "web-asg", "us-east-1"];
        assert_eq!(closest("orders_db", &names), Some("orders-db"));
        assert_eq!(closest("web-agg", &names), Some("web-asg"));
        assert_eq!(closest("something-else", &names), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
