//! PDFs rendered in process with Typst (STACK.md): a Typst template and its data as virtual
//! files (`/data.json`, and for sale documents `/factur-x.xml` and the logo), fonts from
//! `typst-assets` (Libertinus Serif for sale documents), no clock (output is deterministic).
//! The template is text a cooperative may edit; a broken one is reported, never half-rendered.

use std::sync::LazyLock;
use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards};

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

pub(crate) fn file_id(path: &str) -> Result<FileId, String> {
    let vpath = VirtualPath::new(path).map_err(|e| format!("{e:?}"))?;
    Ok(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

/// One document's world: the template and the virtual files it may read.
struct DocWorld {
    main: Source,
    files: Vec<(FileId, Bytes)>,
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
        match self.files.iter().find(|(file, _)| *file == id) {
            Some((_, data)) => Ok(data.clone()),
            None => Err(FileError::NotFound(std::path::PathBuf::from(
                id.vpath().get_with_slash(),
            ))),
        }
    }
    fn font(&self, index: usize) -> Option<Font> {
        SHARED.fonts.get(index).cloned()
    }
    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        None
    }
}

fn messages<'a>(errors: impl IntoIterator<Item = &'a typst::diag::SourceDiagnostic>) -> String {
    errors
        .into_iter()
        .map(|e| e.message.to_string())
        .collect::<Vec<_>>()
        .join("; ")
}

/// Compiles `main` with `files` (virtual path, bytes) readable by the template, and exports it
/// as a PDF, PDF/A-3b when `pdf_a3b` is set. Errors carry Typst's messages.
pub(crate) fn compile(
    main: Source,
    files: Vec<(&str, Bytes)>,
    pdf_a3b: bool,
) -> Result<Vec<u8>, String> {
    let files = files
        .into_iter()
        .map(|(path, data)| Ok((file_id(path)?, data)))
        .collect::<Result<Vec<_>, String>>()?;
    let mut options = PdfOptions::default();
    if pdf_a3b {
        options.standards =
            PdfStandards::new(&[PdfStandard::A_3b]).map_err(|e| e.message().to_string())?;
    }
    let world = DocWorld { main, files };
    let out = match typst::compile::<typst_layout::PagedDocument>(&world).output {
        Ok(doc) => typst_pdf::pdf(&doc, &options).map_err(|errors| messages(&errors)),
        Err(errors) => Err(messages(&errors)),
    };
    // Typst memoises globally: forget what is no longer reused (STACK.md). Entries unused for
    // 3 renders go, so what every invoice shares (labels, the seller's block) stays warm while
    // memory stays bounded.
    typst::comemo::evict(3);
    out
}

/// Renders `template` with `data_json` readable as `json("/data.json")`. Errors carry Typst's
/// messages, so a cooperative editing its template sees what to fix.
pub fn render(template: &str, data_json: &str) -> Result<Vec<u8>, String> {
    let main = Source::new(file_id("/main.typ")?, template.to_owned());
    let data = Bytes::new(data_json.as_bytes().to_vec());
    compile(main, vec![("/data.json", data)], false)
}

/// The default template of the CESA contract (LIF-20); a cooperative may replace it.
pub const CESA_CONTRACT_TEMPLATE: &str = include_str!("../templates/cesa_contract.typ");
/// The attendance sheet of a workshop (issue 9): one line per person registered, a box to sign
/// per half-day, the trainer's signature.
pub const ATTENDANCE_SHEET_TEMPLATE: &str = include_str!("../templates/attendance_sheet.typ");
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

    #[test]
    fn the_attendance_sheet_renders_a_line_per_person_and_a_box_per_half_day() {
        let data = r#"{"cooperative": "Coopérative Alpha", "title": "Fixer ses prix",
            "date": "14/01/2027", "hours": "09h00 – 17h00", "place": "Salle 2",
            "trainer": "Claire Coach", "halves": ["Matin", "Après-midi"],
            "people": [{"name": "MARTIN Emma"}, {"name": "DURAND Paul"}]}"#;
        let pdf = render(ATTENDANCE_SHEET_TEMPLATE, data).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        let nobody = data.replace(
            r#"[{"name": "MARTIN Emma"}, {"name": "DURAND Paul"}]"#,
            "[]",
        );
        assert!(render(ATTENDANCE_SHEET_TEMPLATE, &nobody).is_ok());
    }
}
