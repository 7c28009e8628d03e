//! Server-rendered pages: templates from `web/templates`, compiled into the binary so a
//! deployment is one file, auto-escaped.

use std::sync::LazyLock;

use minijinja::{Environment, Value};

use super::auth::Session;

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
        ("login.html", include_str!("../../web/templates/login.html")),
        ("me.html", include_str!("../../web/templates/me.html")),
        (
            "password.html",
            include_str!("../../web/templates/password.html"),
        ),
        (
            "_admin_nav.html",
            include_str!("../../web/templates/_admin_nav.html"),
        ),
        (
            "admin_users.html",
            include_str!("../../web/templates/admin_users.html"),
        ),
        (
            "admin_user.html",
            include_str!("../../web/templates/admin_user.html"),
        ),
        (
            "admin_units.html",
            include_str!("../../web/templates/admin_units.html"),
        ),
        (
            "admin_audit.html",
            include_str!("../../web/templates/admin_audit.html"),
        ),
        (
            "admin_import.html",
            include_str!("../../web/templates/admin_import.html"),
        ),
        (
            "_bank_view.html",
            include_str!("../../web/templates/_bank_view.html"),
        ),
        (
            "admin_bank.html",
            include_str!("../../web/templates/admin_bank.html"),
        ),
        (
            "admin_bank_question.html",
            include_str!("../../web/templates/admin_bank_question.html"),
        ),
        (
            "admin_bank_import.html",
            include_str!("../../web/templates/admin_bank_import.html"),
        ),
        (
            "admin_bank_generate.html",
            include_str!("../../web/templates/admin_bank_generate.html"),
        ),
        (
            "admin_bank_review.html",
            include_str!("../../web/templates/admin_bank_review.html"),
        ),
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

/// Renders a page with the signed-in user (if any) in `me`, for the header and forms.
pub fn page(name: &str, session: Option<&Session>, ctx: Value) -> Result<String, minijinja::Error> {
    let me = session.map(|s| {
        minijinja::context! {
            user_id => s.actor.user_id,
            username => s.actor.username.clone(),
            name => s.actor.name.clone(),
            unit => s.actor.unit.clone(),
            is_admin => s.actor.admin_scope().is_ok(),
            is_system_admin => s.actor.is_admin(),
            csrf_token => s.csrf_token.clone(),
        }
    });
    render(name, minijinja::context! { me, ..ctx })
}
