//! Payslip results sent back by the payroll bureau (issue 6, point 5): a CSV file, one line per
//! person, read into whole cents. Columns, in any order, named on the first line (case and accents
//! ignored): `email`, `gross`/`brut`, `employee_contributions`/`cotisations_salariales`,
//! `employer_contributions`/`cotisations_patronales`, `employer_reductions`/`reductions`, and
//! `net`/`net_avant_impot`. Separator `;`, `,` or tab (read from the first line); amounts with a
//! decimal comma or point; UTF-8, or Windows-1252 when the bytes are not UTF-8.

use crate::bank::scan::parse_csv_amount;
use std::borrow::Cow;

/// One payslip as the bureau computed it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PayslipLine {
    /// The line of the file (the header is line 1).
    pub line: usize,
    pub email: String,
    pub gross: i64,
    pub employee_contributions: i64,
    pub employer_contributions: i64,
    pub employer_reductions: i64,
    pub net: i64,
}

/// Why a file or one of its lines is refused: a stable code, the line (0 for the whole file) and
/// the column concerned, if any.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PayslipError {
    pub code: &'static str,
    pub line: usize,
    pub column: Option<&'static str>,
}

const COLUMNS: [(&str, &[&str]); 6] = [
    ("email", &["email", "e-mail", "courriel", "mail"]),
    ("gross", &["gross", "brut", "salaire_brut"]),
    (
        "employee_contributions",
        &[
            "employee_contributions",
            "cotisations_salariales",
            "cotisations_salarie",
        ],
    ),
    (
        "employer_contributions",
        &[
            "employer_contributions",
            "cotisations_patronales",
            "cotisations_employeur",
        ],
    ),
    (
        "employer_reductions",
        &["employer_reductions", "reductions", "reduction", "rgdu"],
    ),
    ("net", &["net", "net_avant_impot", "net_before_income_tax"]),
];

fn fold(s: &str) -> String {
    s.trim()
        .trim_start_matches('\u{feff}')
        .to_lowercase()
        .chars()
        .map(|c| match c {
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'à' | 'â' => 'a',
            'ô' => 'o',
            'î' | 'ï' => 'i',
            'û' | 'ù' => 'u',
            'ç' => 'c',
            ' ' => '_',
            c => c,
        })
        .collect()
}

/// Reads the bureau's file: every line, or every problem found (the file is refused whole).
pub fn read_payslips(bytes: &[u8]) -> Result<Vec<PayslipLine>, Vec<PayslipError>> {
    let text: Cow<'_, str> = match std::str::from_utf8(bytes) {
        Ok(t) => Cow::Borrowed(t),
        Err(_) => {
            encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(bytes)
                .0
        }
    };
    let whole = |code| {
        vec![PayslipError {
            code,
            line: 0,
            column: None,
        }]
    };
    let first = text.lines().next().unwrap_or("");
    let separator = [b';', b'\t', b',']
        .into_iter()
        .max_by_key(|s| first.bytes().filter(|b| b == s).count())
        .unwrap_or(b';');
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(separator)
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes());
    let Ok(headers) = reader.headers().cloned() else {
        return Err(whole("payslips_header"));
    };
    let folded: Vec<String> = headers.iter().map(fold).collect();
    let mut index = [0_usize; 6];
    let mut missing = Vec::new();
    for (slot, (name, aliases)) in COLUMNS.iter().enumerate() {
        match folded.iter().position(|h| aliases.contains(&h.as_str())) {
            Some(i) => index[slot] = i,
            None => missing.push(PayslipError {
                code: "payslips_column_missing",
                line: 1,
                column: Some(name),
            }),
        }
    }
    if !missing.is_empty() {
        return Err(missing);
    }
    // A decimal comma when the separator is not one and a comma appears in an amount.
    let decimal_comma = separator != b',' && text.lines().skip(1).any(|l| l.contains(','));
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (n, record) in reader.records().enumerate() {
        let line = n + 2;
        let Ok(record) = record else {
            errors.push(PayslipError {
                code: "payslips_line_unreadable",
                line,
                column: None,
            });
            continue;
        };
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let email = record.get(index[0]).unwrap_or("").trim().to_lowercase();
        if !email.contains('@') {
            errors.push(PayslipError {
                code: "payslips_email",
                line,
                column: Some("email"),
            });
        }
        let mut amounts = [0_i64; 5];
        for (k, slot) in amounts.iter_mut().enumerate() {
            let name = COLUMNS[k + 1].0;
            match parse_csv_amount(record.get(index[k + 1]).unwrap_or(""), decimal_comma) {
                Ok(Some(c)) if c >= 0 => *slot = c,
                Ok(None) if name == "employer_reductions" => *slot = 0,
                _ => errors.push(PayslipError {
                    code: "payslips_amount",
                    line,
                    column: Some(name),
                }),
            }
        }
        let [gross, employee, employer, reductions, net] = amounts;
        if errors.iter().all(|e| e.line != line) && gross - employee != net {
            errors.push(PayslipError {
                code: "payslips_net_mismatch",
                line,
                column: Some("net"),
            });
        }
        out.push(PayslipLine {
            line,
            email,
            gross,
            employee_contributions: employee,
            employer_contributions: employer,
            employer_reductions: reductions,
            net,
        });
    }
    if out.is_empty() && errors.is_empty() {
        return Err(whole("payslips_empty"));
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bureaus_file_is_read_in_any_column_order_with_a_decimal_comma() {
        let file = "Net avant impôt;Email;Brut;Cotisations salariales;Cotisations patronales;Réductions\n\
                    1957,05;Lea@Exemple.fr;2500,00;542,95;1092,40;429,75\n\
                    ;;;;;\n";
        let got = read_payslips(file.as_bytes()).unwrap();
        assert_eq!(
            got,
            vec![PayslipLine {
                line: 2,
                email: "lea@exemple.fr".into(),
                gross: 250_000,
                employee_contributions: 54_295,
                employer_contributions: 109_240,
                employer_reductions: 42_975,
                net: 195_705,
            }]
        );
        let comma = "email,gross,employee_contributions,employer_contributions,employer_reductions,net\n\
                     a@b.fr,2500.00,542.95,1092.40,,1957.05\n";
        assert_eq!(
            read_payslips(comma.as_bytes()).unwrap()[0].employer_reductions,
            0
        );
        // Windows-1252 headers are read too.
        let latin: Vec<u8> = b"email;brut;cotisations salariales;cotisations patronales;r\xe9ductions;net\na@b.fr;10;1;2;0;9\n".to_vec();
        assert_eq!(read_payslips(&latin).unwrap()[0].net, 900);
    }

    #[test]
    fn every_problem_is_said_with_its_line_and_column_and_the_file_is_refused_whole() {
        let missing = read_payslips(b"email;brut\na@b.fr;10\n").unwrap_err();
        assert!(
            missing
                .iter()
                .any(|e| e.column == Some("net") && e.code == "payslips_column_missing")
        );
        let file = "email;brut;cotisations salariales;cotisations patronales;reductions;net\n\
                    a@b.fr;2500;500;1000;0;2100\n\
                    pas-un-courriel;abc;1;1;1;1\n\
                    c@d.fr;-5;0;0;0;-5\n";
        let e = read_payslips(file.as_bytes()).unwrap_err();
        assert!(e.contains(&PayslipError {
            code: "payslips_net_mismatch",
            line: 2,
            column: Some("net")
        }));
        assert!(e.contains(&PayslipError {
            code: "payslips_email",
            line: 3,
            column: Some("email")
        }));
        assert!(e.contains(&PayslipError {
            code: "payslips_amount",
            line: 3,
            column: Some("gross")
        }));
        assert!(e.contains(&PayslipError {
            code: "payslips_amount",
            line: 4,
            column: Some("gross")
        }));
        assert_eq!(
            read_payslips(b"").unwrap_err()[0].code,
            "payslips_column_missing"
        );
        assert_eq!(
            read_payslips(
                b"email;brut;cotisations salariales;cotisations patronales;reductions;net\n"
            )
            .unwrap_err()[0]
                .code,
            "payslips_empty"
        );
    }
}
