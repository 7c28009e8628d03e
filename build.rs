//! Rebuilds when a migration is added (so `sqlx::migrate!` embeds it), lists every page
//! template of `web/templates` for `web::views` and every file of `web/static` for
//! `web::assets`, so a new template or asset needs no registration.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    println!("cargo:rerun-if-changed=migrations");
    println!("cargo:rerun-if-changed=web/templates");
    println!("cargo:rerun-if-changed=web/static");
    // Read at run time: `env!` would bake in the folder the build script was first compiled
    // in, and a copied `target/` (another checkout) would then embed that checkout's files.
    let root = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into());
    let root = Path::new(&root);
    let templates: Vec<String> = files(&root.join("web/templates"))
        .into_iter()
        .filter(|n| n.ends_with(".html"))
        .collect();
    write_list(
        "templates.rs",
        &root.join("web/templates"),
        &templates,
        "include_str",
    );
    write_list(
        "static_files.rs",
        &root.join("web/static"),
        &files(&root.join("web/static")),
        "include_bytes",
    );
}

/// The files under `dir`, as sorted paths relative to it with `/` separators.
fn files(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut pending: Vec<PathBuf> = vec![dir.to_path_buf()];
    while let Some(d) = pending.pop() {
        println!("cargo:rerun-if-changed={}", d.display());
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.filter_map(Result::ok) {
            let path = e.path();
            if path.is_dir() {
                pending.push(path);
            } else if let Ok(rel) = path.strip_prefix(dir)
                && let Some(rel) = rel.to_str()
                && !rel.starts_with('.')
            {
                out.push(rel.replace('\\', "/"));
            }
        }
    }
    out.sort();
    out
}

/// `&[(name, include_…!(path)), …]` into `OUT_DIR/file`.
fn write_list(file: &str, dir: &Path, names: &[String], include: &str) {
    let mut out = String::from("&[\n");
    for name in names {
        let path = dir.join(name);
        let _ = writeln!(out, "    ({name:?}, {include}!({:?})),", path.display());
    }
    out.push(']');
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into())).join(file);
    if let Err(e) = std::fs::write(&dest, out) {
        panic!("writing {}: {e}", dest.display());
    }
}
