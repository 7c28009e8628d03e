//! Server-rendered pages: templates from `web/templates`, compiled into the binary so a
//! deployment is one file, auto-escaped.

use std::sync::LazyLock;

use minijinja::{Environment, Value};

/// Changes whenever the stylesheet does, so browsers may cache it for a year.
pub static ASSET_VERSION: LazyLock<String> = LazyLock::new(|| {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(APP_CSS.as_bytes());
    digest.iter().take(4).map(|b| format!("{b:02x}")).collect()
});

pub const APP_CSS: &str = include_str!("../../web/static/app.css");

static ENV: LazyLock<Environment<'static>> = LazyLock::new(|| {
    let mut env = Environment::new();
    for (name, source) in [
        ("base.html", include_str!("../../web/templates/base.html")),
        ("index.html", include_str!("../../web/templates/index.html")),
        (
            "search.html",
            include_str!("../../web/templates/search.html"),
        ),
        ("laws.html", include_str!("../../web/templates/laws.html")),
        ("law.html", include_str!("../../web/templates/law.html")),
        ("error.html", include_str!("../../web/templates/error.html")),
    ] {
        if let Err(e) = env.add_template(name, source) {
            // Templates are compiled in: a broken one is a build defect caught by the page tests.
            tracing::error!("template {name}: {e:#}");
        }
    }
    env.add_global("asset_version", ASSET_VERSION.as_str());
    env
});

pub fn render(name: &str, ctx: Value) -> Result<String, minijinja::Error> {
    ENV.get_template(name)?.render(ctx)
}
