//! Values written for people: amounts, prices and dates, through the domain's formatters.

use essaim_domain::money::Money;
use time::OffsetDateTime;

/// A unit price in French: at least two decimals, up to four (`270,00`, `0,6125`).
pub fn price_text(p: rust_decimal::Decimal) -> String {
    let p = p.normalize();
    let text = if p.scale() < 2 {
        format!("{p:.2}")
    } else {
        p.to_string()
    };
    text.replace('.', ",")
}

/// A stored price (`48.5`) as typed in French (`48,50`).
pub fn stored_price(stored: &str) -> String {
    stored
        .parse()
        .map(price_text)
        .unwrap_or_else(|_| stored.replace('.', ","))
}

pub fn money(cents: i64) -> String {
    Money::eur(cents).format_fr()
}

/// `29/11/2026 14:05` (UTC+1 is not assumed: times are shown in UTC with the zone written).
pub fn datetime(t: OffsetDateTime) -> String {
    format!(
        "{:02}/{:02}/{} {:02}:{:02} UTC",
        t.day(),
        u8::from(t.month()),
        t.year(),
        t.hour(),
        t.minute()
    )
}

pub fn opt_datetime(t: Option<OffsetDateTime>) -> String {
    t.map(datetime).unwrap_or_default()
}

/// `mars 2026`, `March 2026`.
pub fn month(t: crate::i18n::Tr, year: i32, month: time::Month) -> String {
    format!(
        "{} {}",
        t.get(&format!("books.month.{}", u8::from(month))),
        year
    )
}

/// `07/12/2026`.
pub fn date(d: time::Date) -> String {
    essaim_domain::selling::terms::fr_date(d)
}
