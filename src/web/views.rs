//! Server-rendered pages: templates from `web/templates`, compiled into the binary so a
//! deployment is one file, auto-escaped.

use std::sync::LazyLock;

use minijinja::{Environment, Value};

use super::auth::Session;

/// Every template of `web/templates` (name, source), listed by `build.rs`.
const TEMPLATES: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/templates.rs"));

static ENV: LazyLock<Environment<'static>> = LazyLock::new(|| {
    let mut env = Environment::new();
    for (name, source) in TEMPLATES {
        if let Err(e) = env.add_template(name, source) {
            // Templates are compiled in: a broken one fails `every_template_compiles` below.
            tracing::error!("template {name}: {e:#}");
        }
    }
    env.add_function("asset", asset);
    env
});

/// `asset("app.css")` in a template: the file's versioned URL (see `assets`); a name that is
/// not in `web/static` fails the render, so a typo shows in the page tests.
fn asset(name: &str) -> Result<String, minijinja::Error> {
    super::assets::url(name).ok_or_else(|| {
        minijinja::Error::new(
            minijinja::ErrorKind::InvalidOperation,
            format!("no static file {name}"),
        )
    })
}

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
            // Which admin areas to show: users and units, the bank with its answer keys.
            manages_users => s.actor.admin_scope().is_ok(),
            edits_bank => s.actor.may_edit_bank(),
            is_system_admin => s.actor.is_admin(),
            csrf_token => s.csrf_token.clone(),
        }
    });
    render(name, minijinja::context! { me, ..ctx })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_compiles() {
        assert!(TEMPLATES.len() > 20, "templates found: {}", TEMPLATES.len());
        let mut env = Environment::new();
        for (name, source) in TEMPLATES {
            if let Err(e) = env.add_template(name, source) {
                panic!("template {name}: {e:#}");
            }
        }
        for (name, _) in TEMPLATES {
            env.get_template(name).expect("registered");
        }
    }
}
