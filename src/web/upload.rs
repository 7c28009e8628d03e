//! Files in and out of the admin pages: reading an import upload (`multipart/form-data`:
//! the CSRF field first, which the CSRF layer has checked, checkbox flags, then the file)
//! and sending a download.

use std::collections::HashSet;

use axum::extract::Multipart;
use axum::extract::multipart::{MultipartError, MultipartRejection};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::csrf::FORM_FIELD;

/// Largest upload accepted by an import page.
pub const MAX_UPLOAD: usize = 50 * 1024 * 1024;

/// A complete upload from our form.
pub struct Upload {
    pub file_name: String,
    pub bytes: axum::body::Bytes,
    /// Names of the other fields sent (checked checkboxes).
    pub flags: HashSet<String>,
}

/// Why an upload could not be read; the page shows `message()` with `status()`.
pub enum UploadProblem {
    NotMultipart,
    TooLarge,
    Incomplete,
    NoFile,
}

impl UploadProblem {
    pub fn status(&self) -> StatusCode {
        match self {
            UploadProblem::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            _ => StatusCode::BAD_REQUEST,
        }
    }

    /// The Chinese message; `what` names the content, e.g. 名单 or 题目, `kinds` the types.
    pub fn message(&self, what: &str, kinds: &str) -> String {
        match self {
            UploadProblem::NotMultipart => "请通过本页的表单上传文件".into(),
            UploadProblem::TooLarge => format!(
                "文件太大：一次最多上传 {} MB，请把{what}拆成几个文件分别导入",
                MAX_UPLOAD / 1024 / 1024
            ),
            UploadProblem::Incomplete => "上传未完成，请重新选择文件后再试".into(),
            UploadProblem::NoFile => format!("请选择要导入的 {kinds} 文件"),
        }
    }
}

fn failed(e: &MultipartError) -> UploadProblem {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        UploadProblem::TooLarge
    } else {
        UploadProblem::Incomplete
    }
}

/// Reads the upload (its CSRF token, the first field, was checked by the CSRF layer).
pub async fn read(
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Upload, UploadProblem> {
    let mut multipart = multipart.map_err(|_| UploadProblem::NotMultipart)?;
    let (mut flags, mut file) = (HashSet::new(), None);
    while let Some(field) = multipart.next_field().await.map_err(|e| failed(&e))? {
        match field.name().unwrap_or_default() {
            FORM_FIELD => {}
            "file" => {
                let name = field.file_name().unwrap_or_default().to_string();
                file = Some((name, field.bytes().await.map_err(|e| failed(&e))?));
            }
            other => {
                flags.insert(other.to_string());
            }
        }
    }
    match file.filter(|(_, b)| !b.is_empty()) {
        Some((file_name, bytes)) => Ok(Upload {
            file_name,
            bytes,
            flags,
        }),
        None => Err(UploadProblem::NoFile),
    }
}

/// A download. The ASCII `filename` is for old clients; `filename*` carries the Chinese name.
pub fn attachment(bytes: Vec<u8>, content_type: &'static str, ascii: &str, name: &str) -> Response {
    let encoded: String = name
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'.' | b'-' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    let disposition = format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}");
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    res
}
