//! PDFs rendered in process with Typst (STACK.md): a Typst template and its data as a virtual
//! JSON file (`/data.json`), fonts from `typst-assets`, no clock (output is deterministic).
//! The template is text a cooperative may edit; a broken one is reported, never half-rendered.

use std::sync::LazyLock;
use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

struct Shared {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

static SHARED: LazyLock<Shared> = LazyLock::new(|| {
    let fonts: Vec<Font> = typst_assets::fonts()
        .flat_map(|data| Font::iter(Bytes::new(data)))
        .collect();
    Shared {
        library: LazyHash::new(Library::default()),
        book: LazyHash::new(FontBook::from_fonts(&fonts)),
        fonts,
    }
});

fn file_id(path: &str) -> Result<FileId, String> {
    let vpath = VirtualPath::new(path).map_err(|e| format!("{e:?}"))?;
    Ok(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

struct DocWorld {
    main: Source,
    data_id: FileId,
    data: Bytes,
}

impl World for DocWorld {
    fn library(&self) -> &LazyHash<Library> {
        &SHARED.library
    }
    fn book(&self) -> &LazyHash<FontBook> {
        &SHARED.book
    }
    fn main(&self) -> FileId {
        self.main.id()
    }
    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::NotFound(std::path::PathBuf::from(
                id.vpath().get_with_slash(),
            )))
        }
    }
    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.data_id {
            Ok(self.data.clone())
        } else {
            Err(FileError::NotFound(std::path::PathBuf::from(
                id.vpath().get_with_slash(),
            )))
        }
    }
    fn font(&self, index: usize) -> Option<Font> {
        SHARED.fonts.get(index).cloned()
    }
    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        None
    }
}

/// Renders `template` with `data_json` readable as `json("/data.json")`. Errors carry Typst's
/// messages, so a cooperative editing its template sees what to fix.
pub fn render(template: &str, data_json: &str) -> Result<Vec<u8>, String> {
    let world = DocWorld {
        main: Source::new(file_id("/main.typ")?, template.to_owned()),
        data_id: file_id("/data.json")?,
        data: Bytes::new(data_json.as_bytes().to_vec()),
    };
    let result = typst::compile::<typst_layout::PagedDocument>(&world).output;
    let out = match result {
        Ok(doc) => typst_pdf::pdf(&doc, &typst_pdf::PdfOptions::default()).map_err(|errors| {
            errors
                .iter()
                .map(|e| e.message.to_string())
                .collect::<Vec<_>>()
                .join("; ")
        }),
        Err(errors) => Err(errors
            .iter()
            .map(|e| e.message.to_string())
            .collect::<Vec<_>>()
            .join("; ")),
    };
    // Typst memoises globally: forget what this document cached (STACK.md).
    typst::comemo::evict(0);
    out
}

/// The default template of the CESA contract (LIF-20); a cooperative may replace it.
pub const CESA_CONTRACT_TEMPLATE: &str = include_str!("../templates/cesa_contract.typ");
/// The template of a person's data export (GDP-02).
pub const PERSONAL_DATA_TEMPLATE: &str = include_str!("../templates/personal_data.typ");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_template_renders_its_data_to_a_pdf() {
        let pdf = render(
            "#let d = json(\"/data.json\")\n= Bonjour #d.name",
            "{\"name\": \"Camille\"}",
        )
        .unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        // Deterministic: no clock, same bytes.
        assert_eq!(
            pdf,
            render(
                "#let d = json(\"/data.json\")\n= Bonjour #d.name",
                "{\"name\": \"Camille\"}"
            )
            .unwrap()
        );
    }

    #[test]
    fn a_broken_template_is_reported() {
        let err = render("#let d = json(\"/data.json\")\n#d.missing.field", "{}").unwrap_err();
        assert!(!err.is_empty());
        assert!(render("#nonexistent_function()", "{}").is_err());
    }
}
