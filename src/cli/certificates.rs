//! `xuefa certificates …`: enter a certificate held before xuefa, list (those expiring), revoke.

use clap::Subcommand;
use rand_core::OsRng;

use crate::accounts::Actor;
use crate::accounts::admin::Ctx;
use crate::app::App;
use crate::certificates::{self, CertificateRow, DAY, HeldForm, Settings, store};

#[derive(Debug, Subcommand)]
pub enum CertificatesCommand {
    /// Enter a certificate held before xuefa (issued outside, no exam); prints its number.
    Issue {
        /// The holder's username.
        #[arg(long)]
        user: String,
        /// 执法类别, e.g. 综合行政执法.
        #[arg(long)]
        category: String,
        /// 执法区域 (default: the top unit of the holder's unit).
        #[arg(long, default_value = "")]
        area: String,
        /// Date of issue, YYYY-MM-DD (default: today).
        #[arg(long, default_value = "")]
        issued: String,
        /// Last day of validity, YYYY-MM-DD (default: the validity period from the issue).
        #[arg(long, default_value = "")]
        valid_through: String,
        /// The number printed on the paper certificate.
        #[arg(long, default_value = "")]
        original_number: String,
    },
    /// List certificates: all, or the valid ones ending within N days.
    List {
        #[arg(long)]
        expiring_days: Option<i64>,
        #[arg(long)]
        json: bool,
    },
    /// Revoke a certificate with a reason.
    Revoke {
        number: String,
        #[arg(long)]
        reason: String,
    },
}

pub async fn certificates(app: &App, cmd: CertificatesCommand) -> anyhow::Result<String> {
    let actor = Actor::command_line();
    let ctx = Ctx {
        actor: &actor,
        ip: "cli",
        now: app.clock.now(),
    };
    let settings = Settings::of(&app.config);
    match cmd {
        CertificatesCommand::Issue {
            user,
            category,
            area,
            issued,
            valid_through,
            original_number,
        } => {
            let form = HeldForm {
                username: user,
                category,
                area,
                issued_on: issued,
                valid_through,
                original_number,
                issuer: String::new(),
            };
            let mut tx = app.db.write().await?;
            let c = certificates::record_held(&mut tx, &ctx, &settings, &form, &mut OsRng).await?;
            tx.commit().await?;
            Ok(format!(
                "issued certificate {} to {} ({}), valid through {}",
                c.number,
                c.holder_name,
                c.category,
                certificates::last_day(c.valid_until)
            ))
        }
        CertificatesCommand::List {
            expiring_days,
            json,
        } => {
            let rows = match expiring_days {
                Some(days) if days >= 0 => {
                    store::expiring(&app.db.pool, None, ctx.now, ctx.now + days * DAY).await?
                }
                Some(_) => anyhow::bail!("--expiring-days must not be negative"),
                None => store::all(&app.db.pool).await?,
            };
            if json {
                let views: Vec<_> = rows.iter().map(|c| c.view(ctx.now)).collect();
                return Ok(serde_json::to_string_pretty(&views)?);
            }
            Ok(rows
                .iter()
                .map(|c| line(c, ctx.now))
                .collect::<Vec<_>>()
                .join("\n"))
        }
        CertificatesCommand::Revoke { number, reason } => {
            let mut tx = app.db.write().await?;
            let c = certificates::revoke(&mut tx, &ctx, &number, &reason).await?;
            tx.commit().await?;
            Ok(format!("revoked certificate {}", c.number))
        }
    }
}

/// `number  holder  unit  category  last day  status`.
fn line(c: &CertificateRow, now: i64) -> String {
    format!(
        "{}\t{}\t{}\t{}\t{}\t{}",
        c.number,
        c.holder_name,
        c.unit_path,
        c.category,
        certificates::last_day(c.valid_until),
        c.status(now).as_str()
    )
}
