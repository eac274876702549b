//! CSV (RFC 4180) for the owner's exports: comma-separated, CRLF line ends,
//! a cell quoted when it holds a comma, a quote or a line break. Text a person
//! typed cannot run as a spreadsheet formula: a text cell starting with `=`,
//! `+`, `-`, `@`, tab or CR gets a leading `'` (OWASP's advice); numbers we
//! write ourselves are left as numbers.

/// Appends a row of text cells and its line end.
pub fn push_text_row<S: AsRef<str>>(out: &mut String, cells: &[S]) {
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_text(out, cell.as_ref());
    }
    out.push_str("\r\n");
}

/// One cell of text, made inert and quoted as needed.
pub fn push_text(out: &mut String, text: &str) {
    let inert = text.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let quoted = inert || text.contains([',', '"', '\r', '\n']);
    if quoted {
        out.push('"');
    }
    if inert {
        out.push('\'');
    }
    for c in text.chars() {
        if c == '"' {
            out.push('"');
        }
        out.push(c);
    }
    if quoted {
        out.push('"');
    }
}

/// Cells built from values: text from people, or numbers we computed.
pub enum Cell<'a> {
    Text(&'a str),
    OptText(Option<&'a str>),
    Int(i64),
    Number(f64),
    Bool(bool),
}

/// Appends a row of cells and its line end.
pub fn push_row(out: &mut String, cells: &[Cell<'_>]) {
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        match cell {
            Cell::Text(t) => push_text(out, t),
            Cell::OptText(t) => push_text(out, t.unwrap_or("")),
            Cell::Int(n) => out.push_str(&n.to_string()),
            Cell::Number(n) => out.push_str(&n.to_string()),
            Cell::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        }
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[Cell<'_>]) -> String {
        let mut s = String::new();
        push_row(&mut s, cells);
        s
    }

    #[test]
    fn plain_cells_stay_plain_and_special_ones_are_quoted() {
        assert_eq!(
            row(&[Cell::Text("ada@example.com"), Cell::Int(-5), Cell::Number(49.99)]),
            "ada@example.com,-5,49.99\r\n"
        );
        assert_eq!(
            row(&[Cell::Text("a,b"), Cell::Text("say \"hi\""), Cell::Text("two\nlines")]),
            "\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n"
        );
        assert_eq!(row(&[Cell::OptText(None), Cell::Bool(true)]), ",true\r\n");
    }

    #[test]
    fn formulas_become_text() {
        for (cell, want) in [
            ("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\""),
            ("+1+1", "\"'+1+1\""),
            ("-2+3", "\"'-2+3\""),
            ("@SUM(A1)", "\"'@SUM(A1)\""),
            ("\tcmd", "\"'\tcmd\""),
        ] {
            let mut s = String::new();
            push_text(&mut s, cell);
            assert_eq!(s, want, "{cell}");
        }
        let mut header = String::new();
        push_text_row(&mut header, &["id", "email"]);
        assert_eq!(header, "id,email\r\n");
    }
}
