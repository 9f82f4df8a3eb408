//! Responses that are files, and the status of a form page shown again with its errors.

use crate::error::PageResult;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use essaim_app::AppError;
use essaim_app::exports::{Table, to_csv, to_xlsx};

/// A form shown again with its errors answers 422 (the request could not be processed).
pub fn unprocessable(mut r: Response) -> Response {
    if r.status() == axum::http::StatusCode::OK {
        *r.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    r
}

/// A file to save (`Content-Disposition: attachment`); the type is never sniffed (security headers).
pub fn download(name: &str, content_type: &str, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// A person's file (a document, a receipt): an attachment whose name is kept to safe characters,
/// never stored by a cache.
pub fn private_file(name: &str, content_type: &str, bytes: Vec<u8>) -> Response {
    let name = name.replace(
        |c: char| !c.is_ascii() || c == '"' || c.is_ascii_control(),
        "_",
    );
    let mut response = download(&name, content_type, bytes);
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("private, no-store"),
    );
    response
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A table as a CSV or XLSX download.
pub fn table_file(table: &Table, name: &str, format: &str) -> PageResult {
    match format {
        "csv" => Ok(download(
            &format!("{name}.csv"),
            "text/csv; charset=utf-8",
            to_csv(table).into_bytes(),
        )),
        "xlsx" => Ok(download(
            &format!("{name}.xlsx"),
            XLSX,
            to_xlsx(table).map_err(AppError::Internal)?,
        )),
        _ => Err(AppError::NotFound("export").into()),
    }
}
