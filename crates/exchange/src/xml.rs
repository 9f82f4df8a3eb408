//! One hardened way to read the XML that comes from outside (e-invoices, lifecycle messages): a
//! single streaming pass with quick-xml that hands each closing element to the reader with the
//! names of the open elements (local names, namespaces ignored), one attribute of interest and its
//! text. A DOCTYPE or an entity declaration is refused before parsing, so entity expansion
//! ("billion laughs") and external entities cannot happen; an undeclared entity is refused too.

use crate::bank::scan::{find_declaration, line_of};
use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;

/// Why a file is not XML Essaim reads; each reader turns it into its own codes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum XmlError {
    /// Not UTF-8.
    Encoding {
        line: usize,
    },
    /// A DOCTYPE or an ENTITY declaration.
    Declaration {
        line: usize,
        detail: String,
    },
    /// An entity that is not one of XML's five.
    Entity {
        line: usize,
        name: String,
    },
    Malformed {
        line: usize,
        detail: String,
    },
    /// The root element is not the expected one (`None`: an empty document).
    Root {
        line: Option<usize>,
        found: Option<String>,
    },
}

/// An element that closes.
pub struct Leaf<'a> {
    /// Local names of the open elements, the root first, this one last.
    pub path: &'a [&'a str],
    /// The value of the first attribute among those asked for, if the element has one.
    pub attr: Option<&'a str>,
    /// Its text, trimmed.
    pub value: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

impl Leaf<'_> {
    /// The path ends with these names.
    pub fn ends(&self, suffix: &[&str]) -> bool {
        self.path.ends_with(suffix)
    }
    /// Whether an element of this name is open.
    pub fn within(&self, name: &str) -> bool {
        self.path.contains(&name)
    }
    /// The line of the file, for messages (computed only when asked).
    pub fn line(&self) -> usize {
        line_of(self.bytes, self.pos)
    }
}

struct Open {
    name: String,
    attr: Option<String>,
}

fn local(e: &BytesStart<'_>) -> String {
    e.local_name().as_ref().to_owned()
}

/// Reads `bytes` (UTF-8, an optional BOM), whose root must be one of `roots`, calling `on_close` for
/// each element as it closes. `attrs` names the attributes worth keeping (`schemeID`,
/// `currencyID`…). Errors of `on_close` stop the reading and are returned as they are.
pub fn walk<E>(
    bytes: &[u8],
    roots: &[&str],
    attrs: &[&str],
    wrap: impl Fn(XmlError) -> E,
    mut on_close: impl FnMut(&Leaf) -> Result<(), E>,
) -> Result<(), E> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Some((at, keyword)) = find_declaration(bytes) {
        return Err(wrap(XmlError::Declaration {
            line: line_of(bytes, at),
            detail: format!("<!{keyword}> declarations are not accepted"),
        }));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        wrap(XmlError::Encoding {
            line: line_of(bytes, e.valid_up_to()),
        })
    })?;
    let mut reader = Reader::from_str(text);
    let mut stack: Vec<Open> = Vec::new();
    let mut content = String::new();
    let mut root_seen = false;
    loop {
        let event = reader.read_event().map_err(|e| {
            let at = usize::try_from(reader.error_position()).unwrap_or(usize::MAX);
            wrap(XmlError::Malformed {
                line: line_of(bytes, at),
                detail: e.to_string(),
            })
        })?;
        let pos = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        let (start, empty) = match &event {
            Event::Start(e) => (Some(e), false),
            Event::Empty(e) => (Some(e), true),
            _ => (None, false),
        };
        if let Some(e) = start {
            let name = local(e);
            if !root_seen {
                root_seen = true;
                if !roots.contains(&name.as_str()) {
                    return Err(wrap(XmlError::Root {
                        line: Some(line_of(bytes, pos)),
                        found: Some(name),
                    }));
                }
            }
            let attr = e
                .attributes()
                .flatten()
                .find(|a| attrs.contains(&a.key.local_name().as_ref()))
                .map(|a| a.value.to_string());
            stack.push(Open { name, attr });
            content.clear();
            if !empty {
                continue;
            }
        }
        match event {
            Event::Start(_) | Event::Empty(_) | Event::End(_) => {}
            Event::Text(t) => {
                content.push_str(&t.xml10_content());
                continue;
            }
            Event::CData(t) => {
                content.push_str(&t.xml10_content());
                continue;
            }
            Event::GeneralRef(r) => {
                match r.resolve_char_ref() {
                    Ok(Some(c)) => content.push(c),
                    _ => match &*r {
                        "lt" => content.push('<'),
                        "gt" => content.push('>'),
                        "amp" => content.push('&'),
                        "apos" => content.push('\''),
                        "quot" => content.push('"'),
                        other => {
                            return Err(wrap(XmlError::Entity {
                                line: line_of(bytes, pos),
                                name: other.to_owned(),
                            }));
                        }
                    },
                }
                continue;
            }
            Event::DocType(_) => {
                return Err(wrap(XmlError::Declaration {
                    line: line_of(bytes, pos),
                    detail: "DOCTYPE".into(),
                }));
            }
            Event::Eof => break,
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) => continue,
        }
        // An element closes: `stack` still holds it on top.
        let value = content.trim().to_owned();
        content.clear();
        let names: Vec<&str> = stack.iter().map(|o| o.name.as_str()).collect();
        let leaf = Leaf {
            path: &names,
            attr: stack.last().and_then(|o| o.attr.as_deref()),
            value: &value,
            bytes,
            pos,
        };
        on_close(&leaf)?;
        stack.pop();
    }
    if !root_seen {
        return Err(wrap(XmlError::Root {
            line: None,
            found: None,
        }));
    }
    Ok(())
}
