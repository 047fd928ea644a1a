//! Plain-text tables with aligned columns: the first column left-aligned, the others right-aligned.

/// Renders `header` and `rows` as lines indented by `indent`, columns two spaces apart. Widths count
/// characters, not bytes, so `∞` and `–` line up. Short rows are padded with empty cells.
pub fn render(indent: &str, header: &[&str], rows: &[Vec<String>]) -> String {
    render_left(indent, header, rows, 1)
}

/// As [`render`], with the first `left` columns left-aligned.
pub fn render_left(indent: &str, header: &[&str], rows: &[Vec<String>], left: usize) -> String {
    let columns = rows
        .iter()
        .map(Vec::len)
        .chain([header.len()])
        .max()
        .unwrap_or(0);
    let cell = |row: &[String], i: usize| row.get(i).cloned().unwrap_or_default();
    let header: Vec<String> = header.iter().map(|h| h.to_string()).collect();
    let mut widths = vec![0; columns];
    for row in std::iter::once(&header).chain(rows) {
        for (i, w) in widths.iter_mut().enumerate() {
            *w = (*w).max(cell(row, i).chars().count());
        }
    }
    let mut out = String::new();
    for row in std::iter::once(&header).chain(rows) {
        let mut line = indent.to_string();
        for (i, w) in widths.iter().enumerate() {
            let text = cell(row, i);
            let pad = " ".repeat(w - text.chars().count());
            if i > 0 {
                line.push_str("  ");
            }
            if i < left {
                line.push_str(&text);
                line.push_str(&pad);
            } else {
                line.push_str(&pad);
                line.push_str(&text);
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}
