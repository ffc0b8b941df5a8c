//! The command line's side of enrolment: `invite` prints a link for a role and a place,
//! `invites` lists the invites (never their codes) and `revoke-invite` ends one, `devices`
//! lists the enrolled phones and `revoke` switches one off (`--as left`, the default, or
//! `--as lost`), `audit` prints the audit log.
//! What changes is written to the audit log as done by the command line's user.

use std::io::Write;

use chrono::{NaiveDate, TimeDelta, Utc};
use clap::Args;
use tongxing_core::wire::RevokedAs;
use tongxing_core::worker::{Place, Role};
use tongxing_core::Lang;
use uuid::Uuid;

use super::DataDirArg;
use crate::store::audit::{self, AuditFilter, Reader};
use crate::store::db;
use crate::store::workers::devices::{self, Revoked};
use crate::store::workers::invites::{self, MakeInviteError, NewInvite};

#[derive(Debug, Args)]
pub struct InviteArgs {
    #[command(flatten)]
    pub data: DataDirArg,
    /// The role: director, love-mother, volunteer, supervisor or county (the county
    /// administrator, who has no township).
    #[arg(long)]
    pub role: Role,
    /// The township (镇/街道); not for the county.
    #[arg(long, default_value = "")]
    pub township: String,
    /// The village (村/居委会); not for a supervisor, who has the whole township.
    #[arg(long, default_value = "")]
    pub village: String,
    /// The inviter's name, shown on the phone before joining.
    #[arg(long = "by", default_value = "县民政局")]
    pub invited_by: String,
    /// How long the link works, such as 7d, 36h (at most 90d).
    #[arg(long, default_value = "7d", value_parser = parse_valid_for)]
    pub expires: TimeDelta,
    /// How many phones may join with the link.
    #[arg(long, default_value_t = 1)]
    pub uses: u32,
    /// Where the app is served; the link opens its join screen.
    #[arg(long, env = "TONGXING_APP_URL", default_value = "http://127.0.0.1:8080")]
    pub app_url: url::Url,
    /// Where the API is, when not at the app's address (the link then tells the phone).
    #[arg(long, env = "TONGXING_SERVER_URL")]
    pub server_url: Option<url::Url>,
}

#[derive(Debug, Args)]
pub struct DevicesArgs {
    #[command(flatten)]
    pub data: DataDirArg,
}

#[derive(Debug, Args)]
pub struct RevokeArgs {
    #[command(flatten)]
    pub data: DataDirArg,
    /// The device's id, as `devices` lists it.
    pub device: Uuid,
    /// How: `left`, its worker left the job (the phone keeps her unsent work, 401 revoked),
    /// or `lost`, lost or stolen (the phone wipes Tongxing's data, 401 revoked_lost).
    #[arg(long = "as", default_value = "left", value_parser = parse_revoked_as, value_name = "left|lost")]
    pub revoked_as: RevokedAs,
}

#[derive(Debug, Args)]
pub struct InvitesArgs {
    #[command(flatten)]
    pub data: DataDirArg,
    /// Only the invites of this township.
    #[arg(long)]
    pub township: Option<String>,
}

#[derive(Debug, Args)]
pub struct RevokeInviteArgs {
    #[command(flatten)]
    pub data: DataDirArg,
    /// The invite's id, as `invites` lists it.
    pub invite: Uuid,
}

#[derive(Debug, Args)]
pub struct AuditArgs {
    #[command(flatten)]
    pub data: DataDirArg,
    /// Only what this device did.
    #[arg(long)]
    pub device: Option<Uuid>,
    /// Only what concerns this child.
    #[arg(long)]
    pub child: Option<Uuid>,
    /// Only from this day (YYYY-MM-DD, UTC).
    #[arg(long)]
    pub from: Option<NaiveDate>,
    /// Only to this day, included (YYYY-MM-DD, UTC).
    #[arg(long)]
    pub to: Option<NaiveDate>,
    /// Only this action, such as read_child, export_visits, enroll, revoke_device, store_visit.
    #[arg(long)]
    pub action: Option<String>,
}

fn parse_revoked_as(text: &str) -> Result<RevokedAs, String> {
    RevokedAs::parse(text.trim()).ok_or_else(|| format!("`{text}` is neither left nor lost"))
}

fn parse_valid_for(text: &str) -> Result<TimeDelta, String> {
    let duration = humantime::parse_duration(text).map_err(|e| format!("{e}: use a time such as 7d or 36h"))?;
    TimeDelta::from_std(duration).map_err(|e| e.to_string())
}

/// Makes an invite and prints its link alone on standard output (for scripts), and what
/// it offers on standard error.
pub async fn run_invite(args: &InviteArgs) -> anyhow::Result<()> {
    let pool = args.data.open().await?;
    let invite = NewInvite {
        role: args.role,
        place: Place { township: args.township.clone(), village: args.village.clone() },
        invited_by: args.invited_by.clone(),
        made_by: None,
        valid_for: args.expires,
        max_uses: args.uses,
    };
    let name = audit::command_line_name();
    let county = Reader { device: None, name: &name };
    let made = invites::make(&pool, &invite, &county, Utc::now()).await;
    pool.close().await;
    let made = match made {
        Ok(made) => made,
        Err(MakeInviteError::Invalid(fields)) => {
            let problems: Vec<String> =
                fields.iter().map(|(field, error)| format!("{field}: {}", error.message(Lang::En))).collect();
            anyhow::bail!("the invite is not valid: {}", problems.join("; "));
        }
        Err(error) => return Err(error.into()),
    };
    let link = invites::link(&args.app_url, &made.code, args.server_url.as_ref());
    println!("{link}");
    eprintln!(
        "invite for a {} ({}) of {} {}, by {}; works until {} for {} phone(s)",
        args.role.label(Lang::En),
        args.role.label(Lang::ZhCn),
        invite.place.township,
        invite.place.village,
        invite.invited_by,
        made.expires_at.format("%Y-%m-%d %H:%M UTC"),
        invite.max_uses
    );
    Ok(())
}

/// Prints every enrolled phone, one a line, tab-separated under a header.
pub async fn run_devices(args: &DevicesArgs) -> anyhow::Result<()> {
    let pool = args.data.open_existing().await?;
    let listed = devices::list(&pool).await;
    pool.close().await;
    let mut out = std::io::stdout().lock();
    writeln!(out, "id\tname\tphone\trole\ttownship\tvillage\tenrolled_at\tlast_seen_at\trevoked_at")?;
    for device in listed? {
        let w = &device.worker;
        writeln!(
            out,
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
            w.id,
            w.name,
            device.phone,
            w.role,
            w.place.township,
            w.place.village,
            device.enrolled_at,
            device.last_seen_at.as_deref().unwrap_or("-"),
            device.revoked_at.as_deref().unwrap_or("-"),
        )?;
    }
    Ok(())
}

/// Revokes a device, as left or lost: its token is refused from now on.
pub async fn run_revoke(args: &RevokeArgs) -> anyhow::Result<()> {
    let pool = args.data.open_existing().await?;
    let name = audit::command_line_name();
    let county = Reader { device: None, name: &name };
    let revoked = devices::revoke(&pool, args.device, args.revoked_as, None, &county, Utc::now()).await;
    pool.close().await;
    match revoked? {
        Revoked::Now => eprintln!("device {} revoked as {}", args.device, args.revoked_as.code()),
        Revoked::Already => eprintln!("device {} was already revoked", args.device),
        Revoked::Unknown => {
            anyhow::bail!("no device has the id {}; `devices` lists them", args.device)
        }
    }
    Ok(())
}

/// Prints the invites (of one township, with `--township`), the newest first, one a line,
/// tab-separated under a header; never their codes, which the server does not keep.
pub async fn run_invites(args: &InvitesArgs) -> anyhow::Result<()> {
    let pool = args.data.open_existing().await?;
    let listed = invites::list(&pool, args.township.as_deref(), Utc::now()).await;
    pool.close().await;
    let mut out = std::io::stdout().lock();
    writeln!(out, "id\trole\ttownship\tvillage\tmade_by\tmade_at\texpires_at\tuses_left\tstate")?;
    for invite in listed? {
        let made_by = match invite.made_by {
            Some(device) => format!("{} ({device})", invite.invited_by),
            None => invite.invited_by.clone(),
        };
        writeln!(
            out,
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
            invite.id,
            invite.role,
            invite.township,
            if invite.village.is_empty() { "-" } else { &invite.village },
            made_by,
            db::timestamp(invite.made_at),
            db::timestamp(invite.expires_at),
            invite.uses_left,
            invite.state.code(),
        )?;
    }
    Ok(())
}

/// Revokes an invite: its link gets `410 invite_revoked` from now on.
pub async fn run_revoke_invite(args: &RevokeInviteArgs) -> anyhow::Result<()> {
    let pool = args.data.open_existing().await?;
    let name = audit::command_line_name();
    let county = Reader { device: None, name: &name };
    let revoked = invites::revoke(&pool, args.invite, None, &county, Utc::now()).await;
    pool.close().await;
    match revoked? {
        Revoked::Now => eprintln!("invite {} revoked", args.invite),
        Revoked::Already => eprintln!("invite {} was already revoked", args.invite),
        Revoked::Unknown => anyhow::bail!("no invite has the id {}; `invites` lists them", args.invite),
    }
    Ok(())
}

/// Prints the audit log's rows that the filters pick, oldest first, one a line,
/// tab-separated under a header.
pub async fn run_audit(args: &AuditArgs) -> anyhow::Result<()> {
    let pool = args.data.open_existing().await?;
    let filter = AuditFilter {
        device: args.device,
        actor: None,
        child: args.child,
        from: args.from,
        to: args.to,
        action: args.action.clone(),
    };
    let found = audit::find(&pool, &filter).await;
    pool.close().await;
    let mut out = std::io::stdout().lock();
    writeln!(out, "at\tdevice\tactor\taction\tchild\tsubject")?;
    for entry in found? {
        writeln!(
            out,
            "{}\t{}\t{}\t{}\t{}\t{}",
            entry.at,
            entry.device_id.as_deref().unwrap_or("-"),
            entry.actor,
            entry.action,
            entry.child_id.as_deref().unwrap_or("-"),
            entry.subject,
        )?;
    }
    Ok(())
}
