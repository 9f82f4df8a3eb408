//! A table (header and rows of text) rendered as CSV for French spreadsheets or as an XLSX
//! workbook. Used by every list export; knows nothing of what the rows mean.

use rust_xlsxwriter::{Format, Workbook};

/// What an export holds: a sheet name, column titles and rows of display-ready text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Table {
    pub sheet: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// A plain decimal number (`-1234.50`): a spreadsheet reads it as a number, never as a formula.
fn plain_number(s: &str) -> bool {
    let digits = s.strip_prefix('-').unwrap_or(s);
    let (int, frac) = digits.split_once('.').unwrap_or((digits, "0"));
    !int.is_empty()
        && !frac.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
}

fn csv_field(s: &str) -> String {
    // Quote every field; neutralise spreadsheet formulas (CSV injection), but keep a negative
    // amount a number.
    let s = if s.starts_with(['=', '+', '-', '@']) && !plain_number(s) {
        format!("'{s}")
    } else {
        s.to_owned()
    };
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// UTF-8 with a BOM, `;` between fields and CRLF between lines, as French spreadsheets expect.
pub fn to_csv(t: &Table) -> String {
    let mut out = String::from("\u{feff}");
    for line in std::iter::once(&t.header).chain(t.rows.iter()) {
        out.push_str(
            &line
                .iter()
                .map(|f| csv_field(f))
                .collect::<Vec<_>>()
                .join(";"),
        );
        out.push_str("\r\n");
    }
    out
}

/// An XLSX workbook of one sheet: bold header, frozen first row, text cells (no formula is ever
/// written, whatever the text says).
pub fn to_xlsx(t: &Table) -> Result<Vec<u8>, String> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let name: String = t
        .sheet
        .chars()
        .filter(|c| !"[]:*?/\\".contains(*c))
        .take(31)
        .collect();
    sheet
        .set_name(if name.is_empty() { "Export" } else { &name })
        .map_err(|e| e.to_string())?;
    let bold = Format::new().set_bold();
    for (c, title) in t.header.iter().enumerate() {
        let col = u16::try_from(c).map_err(|e| e.to_string())?;
        sheet
            .write_string_with_format(0, col, title, &bold)
            .map_err(|e| e.to_string())?;
        sheet.set_column_width(col, 18).map_err(|e| e.to_string())?;
    }
    for (r, row) in t.rows.iter().enumerate() {
        let line = u32::try_from(r + 1).map_err(|e| e.to_string())?;
        for (c, value) in row.iter().enumerate() {
            let col = u16::try_from(c).map_err(|e| e.to_string())?;
            sheet
                .write_string(line, col, value)
                .map_err(|e| e.to_string())?;
        }
    }
    sheet.set_freeze_panes(1, 0).map_err(|e| e.to_string())?;
    book.save_to_buffer().map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn sample() -> Table {
        Table {
            sheet: "Personnes".into(),
            header: vec!["Nom".into(), "Prénom".into()],
            rows: vec![
                vec!["Martin".into(), "Camille".into()],
                vec!["=HYPERLINK(\"x\")".into(), "Léa \"la\"".into()],
            ],
        }
    }

    #[test]
    fn csv_is_what_french_spreadsheets_open() {
        assert_eq!(
            to_csv(&sample()),
            "\u{feff}\"Nom\";\"Prénom\"\r\n\"Martin\";\"Camille\"\r\n\"'=HYPERLINK(\"\"x\"\")\";\"Léa \"\"la\"\"\"\r\n"
        );
    }

    #[test]
    fn negative_amounts_stay_numbers_and_formulas_stay_text() {
        let t = Table {
            sheet: "x".into(),
            header: vec!["a".into()],
            rows: vec![
                vec!["-1234.50".into()],
                vec!["-12".into()],
                vec!["-1+2".into()],
                vec!["-.5".into()],
                vec!["-".into()],
            ],
        };
        assert_eq!(
            to_csv(&t),
            "\u{feff}\"a\"\r\n\"-1234.50\"\r\n\"-12\"\r\n\"'-1+2\"\r\n\"'-.5\"\r\n\"'-\"\r\n"
        );
    }

    #[test]
    fn xlsx_holds_the_values_as_text() {
        let bytes = to_xlsx(&sample()).unwrap();
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut strings = String::new();
        archive
            .by_name("xl/sharedStrings.xml")
            .unwrap()
            .read_to_string(&mut strings)
            .unwrap();
        for v in ["Nom", "Prénom", "Martin", "Camille", "=HYPERLINK(\"x\")"] {
            assert!(strings.contains(v), "{v} missing from {strings}");
        }
        let mut sheet = String::new();
        archive
            .by_name("xl/worksheets/sheet1.xml")
            .unwrap()
            .read_to_string(&mut sheet)
            .unwrap();
        assert!(!sheet.contains("<f>"), "no formula is written");
        let mut book = String::new();
        archive
            .by_name("xl/workbook.xml")
            .unwrap()
            .read_to_string(&mut book)
            .unwrap();
        assert!(book.contains("name=\"Personnes\""));
    }
}
