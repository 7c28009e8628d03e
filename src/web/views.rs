//! Server-rendered pages: templates from `web/templates`, compiled into the binary so a
//! deployment is one file, auto-escaped.

use std::sync::LazyLock;

use minijinja::{Environment, UndefinedBehavior, Value};

use super::auth::Session;

/// Every template of `web/templates` (name, source), listed by `build.rs`.
const TEMPLATES: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/templates.rs"));

/// Every template compiled, or what stopped one: `serve` refuses to start on a broken
/// template (see [`check`]) rather than failing the first request for that page.
static ENV: LazyLock<Result<Environment<'static>, String>> = LazyLock::new(environment);

fn environment() -> Result<Environment<'static>, String> {
    let mut env = Environment::new();
    // Printing, iterating or filtering an undefined value is an error, so a misspelt or
    // missing variable fails the page tests instead of showing as a blank; `{% if x %}` on
    // an optional value stays allowed.
    env.set_undefined_behavior(UndefinedBehavior::SemiStrict);
    for (name, source) in TEMPLATES {
        env.add_template(name, source)
            .map_err(|e| format!("template {name}: {e:#}"))?;
    }
    env.add_function("asset", asset);
    env.add_filter("points", points);
    Ok(env)
}

/// `{{ score|points }}`: a score as people write it, `75` rather than `75.0`, `1.5` kept.
fn points(value: f64) -> String {
    value.to_string()
}

/// Compiles every template now; the error names the broken one.
pub fn check() -> Result<usize, String> {
    ENV.as_ref().map(|_| TEMPLATES.len()).map_err(Clone::clone)
}

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
    let env = ENV
        .as_ref()
        .map_err(|e| minijinja::Error::new(minijinja::ErrorKind::InvalidOperation, e.clone()))?;
    env.get_template(name)?.render(ctx)
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
        assert_eq!(check(), Ok(TEMPLATES.len()));
    }

    #[test]
    fn a_missing_variable_is_an_error_not_a_blank() {
        let mut env = environment().expect("templates compile");
        env.add_template("t", "{% if maybe %}{{ maybe }}{% endif %}[{{ name }}]")
            .expect("compiles");
        let t = env.get_template("t").expect("added");
        assert!(t.render(minijinja::context! {}).is_err());
        let shown = t
            .render(minijinja::context! { name => "张三" })
            .expect("renders");
        assert_eq!(shown, "[张三]");
    }
}
