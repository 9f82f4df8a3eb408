//! French company identifiers (SIREN, SIRET) and intra-EU VAT numbers, validated once at the edge
//! (STYLE 2.3, INV-01). Knows nothing of where they are stored or shown.

/// The Luhn checksum used by INSEE for SIREN and SIRET.
fn luhn_ok(digits: &[u8]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| {
            let d = u32::from(d - b'0');
            if i % 2 == 1 {
                let x = d * 2;
                if x > 9 { x - 9 } else { x }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

fn only_digits(input: &str) -> String {
    input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '.' && *c != '-')
        .collect()
}

/// SIREN of La Poste, whose establishments do not follow the Luhn rule on SIRET.
const LA_POSTE_SIREN: &str = "356000000";

/// A company number: 9 digits with a valid Luhn key. Spaces are ignored.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Siren(String);

impl Siren {
    pub fn parse(input: &str) -> Result<Siren, &'static str> {
        let digits = only_digits(input);
        if digits.len() != 9 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err("siren_format");
        }
        if !luhn_ok(digits.as_bytes()) {
            return Err("siren_checksum");
        }
        Ok(Siren(digits))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An establishment number: the SIREN then a 5-digit NIC, 14 digits with a valid key.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Siret(String);

impl Siret {
    pub fn parse(input: &str) -> Result<Siret, &'static str> {
        let digits = only_digits(input);
        if digits.len() != 14 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err("siret_format");
        }
        let siren = &digits[..9];
        if !luhn_ok(siren.as_bytes()) {
            return Err("siret_checksum");
        }
        let valid = if siren == LA_POSTE_SIREN {
            digits.bytes().map(|b| u32::from(b - b'0')).sum::<u32>() % 5 == 0
        } else {
            luhn_ok(digits.as_bytes())
        };
        if valid {
            Ok(Siret(digits))
        } else {
            Err("siret_checksum")
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
    pub fn siren(&self) -> Siren {
        Siren(self.0[..9].to_owned())
    }
}

/// EU member states' VAT prefixes (Greece is `EL`, Northern Ireland `XI`).
const EU_VAT_PREFIXES: [&str; 28] = [
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "EL", "ES", "FI", "FR", "HR", "HU", "IE", "IT",
    "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK", "XI",
];

/// An intra-EU VAT number. French numbers have their key checked against the SIREN
/// (key = (12 + 3 × (SIREN mod 97)) mod 97); other countries are checked for shape only.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct VatNumber(String);

impl VatNumber {
    pub fn parse(input: &str) -> Result<VatNumber, &'static str> {
        let s: String = input
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '.' && *c != '-')
            .collect();
        let s = s.to_ascii_uppercase();
        if s.len() < 4 || !s.is_ascii() {
            return Err("vat_format");
        }
        let (prefix, rest) = s.split_at(2);
        if !EU_VAT_PREFIXES.contains(&prefix) {
            return Err("vat_country");
        }
        if rest.len() > 13 || !rest.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err("vat_format");
        }
        if prefix == "FR" {
            if rest.len() != 11 {
                return Err("vat_format");
            }
            let (key, siren) = rest.split_at(2);
            let siren = Siren::parse(siren).map_err(|_| "vat_checksum")?;
            if key.bytes().all(|b| b.is_ascii_digit()) {
                let n: u64 = siren.as_str().parse().map_err(|_| "vat_format")?;
                let expected = (12 + 3 * (n % 97)) % 97;
                if key.parse::<u64>().ok() != Some(expected) {
                    return Err("vat_checksum");
                }
            }
        }
        Ok(VatNumber(s))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// The SIREN a French VAT number is built on.
    pub fn french_siren(&self) -> Option<&str> {
        self.0.strip_prefix("FR").map(|rest| &rest[2..])
    }
    /// The French VAT number of a company.
    pub fn french_for(siren: &Siren) -> VatNumber {
        let n: u64 = siren.as_str().parse().unwrap_or(0);
        VatNumber(format!(
            "FR{:02}{}",
            (12 + 3 * (n % 97)) % 97,
            siren.as_str()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inv_01_a_siren_has_nine_digits_and_a_luhn_key() {
        assert_eq!(
            Siren::parse("732 829 320").map(|s| s.0),
            Ok("732829320".to_owned())
        );
        assert_eq!(Siren::parse("732829321"), Err("siren_checksum"));
        assert_eq!(Siren::parse("73282932"), Err("siren_format"));
        assert_eq!(Siren::parse("73282932A"), Err("siren_format"));
    }

    #[test]
    fn inv_01_a_siret_is_checked_on_all_fourteen_digits() {
        let siret = Siret::parse("732 829 320 00074").unwrap();
        assert_eq!(siret.siren().as_str(), "732829320");
        assert_eq!(Siret::parse("73282932000075"), Err("siret_checksum"));
        assert_eq!(Siret::parse("7328293200007"), Err("siret_format"));
    }

    #[test]
    fn la_poste_establishments_follow_their_own_rule() {
        // 356 000 000 09075: digits sum to a multiple of 5, Luhn fails.
        assert!(Siret::parse("35600000009075").is_ok());
        assert_eq!(Siret::parse("35600000009076"), Err("siret_checksum"));
    }

    #[test]
    fn inv_01_a_french_vat_number_carries_the_key_of_its_siren() {
        let vat = VatNumber::parse("fr 44 732 829 320").unwrap();
        assert_eq!(vat.as_str(), "FR44732829320");
        assert_eq!(vat.french_siren(), Some("732829320"));
        assert_eq!(VatNumber::parse("FR45732829320"), Err("vat_checksum"));
        assert_eq!(
            VatNumber::french_for(&Siren::parse("732829320").unwrap()),
            vat
        );
    }

    #[test]
    fn other_eu_vat_numbers_are_checked_for_shape() {
        assert!(VatNumber::parse("BE0123456789").is_ok());
        assert!(VatNumber::parse("DE123456789").is_ok());
        assert_eq!(VatNumber::parse("US123456789"), Err("vat_country"));
        assert_eq!(VatNumber::parse("DE12345678901234"), Err("vat_format"));
    }
}

/// An IBAN (ISO 13616): letters and digits, checked by its mod-97 key.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Iban(String);

impl Iban {
    pub fn parse(input: &str) -> Result<Iban, &'static str> {
        let s: String = input
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_uppercase();
        if !(15..=34).contains(&s.len())
            || !s.bytes().all(|b| b.is_ascii_alphanumeric())
            || !s.as_bytes()[..2].iter().all(u8::is_ascii_uppercase)
            || !s.as_bytes()[2..4].iter().all(u8::is_ascii_digit)
        {
            return Err("iban_format");
        }
        let rearranged = format!("{}{}", &s[4..], &s[..4]);
        let mut rem: u32 = 0;
        for b in rearranged.bytes() {
            let v = if b.is_ascii_digit() {
                u32::from(b - b'0')
            } else {
                u32::from(b - b'A') + 10
            };
            rem = if v >= 10 {
                (rem * 100 + v) % 97
            } else {
                (rem * 10 + v) % 97
            };
        }
        if rem == 1 {
            Ok(Iban(s))
        } else {
            Err("iban_checksum")
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// Grouped by four for reading: `FR76 3000 6000 0112 3456 7890 189`.
    pub fn grouped(&self) -> String {
        self.0
            .as_bytes()
            .chunks(4)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// A BIC (ISO 9362): 8 or 11 characters, 4 letters (bank), 2 letters (country), then letters/digits.
pub fn parse_bic(input: &str) -> Result<String, &'static str> {
    let s = input.trim().to_ascii_uppercase();
    let b = s.as_bytes();
    if (s.len() == 8 || s.len() == 11)
        && b[..6].iter().all(u8::is_ascii_uppercase)
        && b[6..].iter().all(u8::is_ascii_alphanumeric)
    {
        Ok(s)
    } else {
        Err("bic_format")
    }
}

#[cfg(test)]
mod iban_tests {
    use super::*;

    #[test]
    fn ibans_are_checked_by_their_key() {
        assert_eq!(
            Iban::parse("FR76 3000 6000 0112 3456 7890 189").map(|i| i.grouped()),
            Ok("FR76 3000 6000 0112 3456 7890 189".to_owned())
        );
        assert_eq!(
            Iban::parse("FR76 3000 6000 0112 3456 7890 188"),
            Err("iban_checksum")
        );
        assert_eq!(Iban::parse("FR7"), Err("iban_format"));
        assert_eq!(parse_bic("agrifrpp"), Ok("AGRIFRPP".to_owned()));
        assert_eq!(parse_bic("AGRI"), Err("bic_format"));
    }
}
