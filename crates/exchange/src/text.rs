//! Byte-level writing helpers shared by the exporters: amounts, dates and text in the
//! target encodings, appended straight into the output buffer (no `format!` per field).

use time::Date;

/// Appends the decimal digits of `n`.
#[inline]
pub(crate) fn push_u64(out: &mut Vec<u8>, mut n: u64) {
    // u64::MAX has 20 digits.
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&buf[i..]);
}

/// Appends a non-negative amount of cents as `1234,56` (decimal comma, two decimals, no
/// thousands separator: FEC-03 columns 12–13).
#[inline]
pub(crate) fn push_cents(out: &mut Vec<u8>, cents: u64) {
    push_u64(out, cents / 100);
    let frac = (cents % 100) as u8;
    out.extend_from_slice(&[b',', b'0' + frac / 10, b'0' + frac % 10]);
}

/// Appends a signed amount of cents as `-1234,56` / `1234,56`.
#[inline]
pub(crate) fn push_signed_cents(out: &mut Vec<u8>, cents: i64) {
    if cents < 0 {
        out.push(b'-');
    }
    push_cents(out, cents.unsigned_abs());
}

#[inline]
fn two(n: u8) -> [u8; 2] {
    [b'0' + n / 10 % 10, b'0' + n % 10]
}

#[inline]
fn four(year: i32) -> [u8; 4] {
    // Dates before year 0 or after 9999 never occur in books; keep the four low digits.
    let y = year.unsigned_abs();
    [
        b'0' + (y / 1000 % 10) as u8,
        b'0' + (y / 100 % 10) as u8,
        b'0' + (y / 10 % 10) as u8,
        b'0' + (y % 10) as u8,
    ]
}

/// The layouts of a date the exporters need.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum DateLayout {
    /// `20260315` (FEC).
    Compact,
    /// `2026-03-15` (hledger).
    Iso,
    /// `150326` (Sage, Quadra: JJMMAA).
    DdMmYy,
    /// `15/03/2026` (Cegid: JJ/MM/AAAA).
    DdMmYyyySlash,
}

/// Appends `date` in `layout`.
#[inline]
pub(crate) fn push_date(out: &mut Vec<u8>, date: Date, layout: DateLayout) {
    let (year, month, day) = date.to_calendar_date();
    let y = four(year);
    let m = two(month as u8);
    let d = two(day);
    match layout {
        DateLayout::Compact => {
            out.extend_from_slice(&[y[0], y[1], y[2], y[3], m[0], m[1], d[0], d[1]])
        }
        DateLayout::Iso => {
            out.extend_from_slice(&[y[0], y[1], y[2], y[3], b'-', m[0], m[1], b'-', d[0], d[1]])
        }
        DateLayout::DdMmYy => out.extend_from_slice(&[d[0], d[1], m[0], m[1], y[2], y[3]]),
        DateLayout::DdMmYyyySlash => {
            out.extend_from_slice(&[d[0], d[1], b'/', m[0], m[1], b'/', y[0], y[1], y[2], y[3]])
        }
    }
}

/// Replacement for characters with no equivalent in the target 8-bit charset.
const UNKNOWN: u8 = b'?';

/// A typographic character spelled with plain ASCII, or `None` when it has no common
/// ASCII spelling. Shared by the ISO-8859-15 and Windows-1252 writers so that both
/// produce the same text.
fn ascii_spelling(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' => "'",
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' => "\"",
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}'
        | '\u{2212}' => "-",
        '\u{2026}' => "...",
        // Thin, narrow no-break and other typographic spaces (French number and
        // punctuation spacing) become a plain space.
        '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' => " ",
        // Zero-width characters and a stray BOM carry nothing.
        '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' => "",
        _ => return None,
    })
}

/// True for the characters that must not reach a tabular field (TAB, CR, LF and the other
/// C0/C1 control characters): each is written as one space.
#[inline]
fn is_control(c: char) -> bool {
    c.is_control()
}

/// ISO-8859-15 (latin-9) byte for `c`, if the charset has it. Latin-9 is latin-1 with
/// eight positions reassigned (€, Š, š, Ž, ž, Œ, œ, Ÿ).
fn latin9_byte(c: char) -> Option<u8> {
    match c {
        '€' => Some(0xA4),
        'Š' => Some(0xA6),
        'š' => Some(0xA8),
        'Ž' => Some(0xB4),
        'ž' => Some(0xB8),
        'Œ' => Some(0xBC),
        'œ' => Some(0xBD),
        'Ÿ' => Some(0xBE),
        _ => {
            let b = u8::try_from(c).ok()?;
            // The latin-1 characters that latin-9 replaced are no longer representable.
            match b {
                0xA4 | 0xA6 | 0xA8 | 0xB4 | 0xB8 | 0xBC | 0xBD | 0xBE => None,
                _ => Some(b),
            }
        }
    }
}

/// True when `s` can be copied byte for byte into any of our outputs: printable ASCII only.
#[inline]
fn is_plain_ascii(s: &str) -> bool {
    s.bytes().all(|b| (0x20..0x7F).contains(&b))
}

/// Appends `s` encoded in ISO-8859-15 (FEC-02): control characters (TAB, CR, LF…) become a
/// space, typographic punctuation is spelled in ASCII, anything else missing from latin-9
/// becomes `?`.
#[inline]
pub(crate) fn push_latin9_field(out: &mut Vec<u8>, s: &str) {
    if is_plain_ascii(s) {
        out.extend_from_slice(s.as_bytes());
    } else {
        push_latin9_slow(out, s);
    }
}

#[cold]
fn push_latin9_slow(out: &mut Vec<u8>, s: &str) {
    for c in s.chars() {
        if is_control(c) {
            out.push(b' ');
        } else if let Some(b) = latin9_byte(c) {
            out.push(b);
        } else if let Some(ascii) = ascii_spelling(c) {
            out.extend_from_slice(ascii.as_bytes());
        } else {
            out.push(UNKNOWN);
        }
    }
}

/// Appends `s` to a UTF-8 output with control characters replaced by a space (for one-line
/// fields).
pub(crate) fn push_utf8_field(out: &mut Vec<u8>, s: &str) {
    if is_plain_ascii(s) {
        out.extend_from_slice(s.as_bytes());
        return;
    }
    let mut tmp = [0u8; 4];
    for c in s.chars() {
        let c = if is_control(c) { ' ' } else { c };
        out.extend_from_slice(c.encode_utf8(&mut tmp).as_bytes());
    }
}

/// Encodes UTF-8 text as Windows-1252: typographic characters Windows-1252 lacks are spelled
/// in ASCII, anything else becomes `?` (never an HTML numeric reference).
pub(crate) fn utf8_to_windows1252(text: &str, out: &mut Vec<u8>) {
    let encoding = encoding_rs::WINDOWS_1252;
    out.reserve(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c as u8);
            continue;
        }
        let mut buf = [0u8; 4];
        let (bytes, _, unmappable) = encoding.encode(c.encode_utf8(&mut buf));
        if !unmappable {
            out.extend_from_slice(&bytes);
        } else if let Some(ascii) = ascii_spelling(c) {
            out.extend_from_slice(ascii.as_bytes());
        } else {
            out.push(UNKNOWN);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn cents(c: u64) -> String {
        let mut v = Vec::new();
        push_cents(&mut v, c);
        String::from_utf8(v).unwrap()
    }

    #[test]
    fn cents_have_a_decimal_comma_and_two_decimals() {
        assert_eq!(cents(0), "0,00");
        assert_eq!(cents(5), "0,05");
        assert_eq!(cents(120_000), "1200,00");
        assert_eq!(cents(123_456_789), "1234567,89");
        assert_eq!(cents(u64::MAX), "184467440737095516,15");
    }

    #[test]
    fn dates_in_every_layout() {
        let d = date!(2026 - 03 - 05);
        let mut v = Vec::new();
        for layout in [
            DateLayout::Compact,
            DateLayout::Iso,
            DateLayout::DdMmYy,
            DateLayout::DdMmYyyySlash,
        ] {
            push_date(&mut v, d, layout);
            v.push(b' ');
        }
        assert_eq!(v, b"20260305 2026-03-05 050326 05/03/2026 ");
    }

    #[test]
    fn latin9_transliteration() {
        let mut v = Vec::new();
        push_latin9_field(&mut v, "é€œŒ’‘“”–—…½\tx\r\ny日");
        assert_eq!(v, b"\xE9\xA4\xBD\xBC''\"\"--...? x  y?");
    }

    #[test]
    fn windows1252_keeps_euro_and_curly_quotes() {
        let mut v = Vec::new();
        utf8_to_windows1252("é€’ 日\u{202F}", &mut v);
        assert_eq!(v, b"\xE9\x80\x92 ? ");
    }
}
