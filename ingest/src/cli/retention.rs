//! `retention`: removes what is safe to drop once it is kept no longer (invites, recoveries,
//! daily photo counts); a dry run unless `--apply`.

use chrono::Utc;
use clap::Args;

use super::DataDirArg;
use crate::store::audit::{self, Reader};
use crate::store::retention::{
    self, KindCount, RetentionDays, RetentionPolicy, ALWAYS_KEPT, DEFAULT_INVITES_DAYS, DEFAULT_RECOVERIES_DAYS,
    DEFAULT_UPLOAD_QUOTA_DAYS,
};

#[derive(Debug, Args)]
pub struct RetentionArgs {
    #[command(flatten)]
    pub data: DataDirArg,
    /// Remove, and write to the audit log; without it nothing is removed.
    #[arg(long)]
    pub apply: bool,
    /// Days an invite no phone joined with is kept after it expired or was revoked.
    #[arg(long, default_value_t = DEFAULT_INVITES_DAYS, value_parser = RetentionDays::parse, allow_negative_numbers = true)]
    pub invites_days: RetentionDays,
    /// Days a recovery is kept after it was used or expired.
    #[arg(long, default_value_t = DEFAULT_RECOVERIES_DAYS, value_parser = RetentionDays::parse, allow_negative_numbers = true)]
    pub recoveries_days: RetentionDays,
    /// Days a device's count of photo bytes sent in a day is kept after that day.
    #[arg(long, default_value_t = DEFAULT_UPLOAD_QUOTA_DAYS, value_parser = RetentionDays::parse, allow_negative_numbers = true)]
    pub upload_quota_days: RetentionDays,
}

impl RetentionArgs {
    /// The days each kind is kept.
    fn policy(&self) -> RetentionPolicy {
        RetentionPolicy {
            invites: self.invites_days,
            recoveries: self.recoveries_days,
            upload_quota: self.upload_quota_days,
        }
    }
}

/// Prints a line per kind, tab-separated, under a header, then what is always kept.
pub(super) async fn run_retention(args: &RetentionArgs) -> anyhow::Result<()> {
    let pool = args.data.open_existing().await?;
    let policy = args.policy();
    let now = Utc::now();
    let counted = if args.apply {
        let name = audit::command_line_name();
        retention::apply(&pool, &policy, &Reader { device: None, name: &name }, now).await
    } else {
        retention::plan(&pool, &policy, now).await
    };
    pool.close().await;
    for line in report_lines(&counted?, args.apply) {
        println!("{line}");
    }
    Ok(())
}

/// The report: a header, a line per kind (`kind`, count, days kept, cut-off, what goes), the
/// rows kept whatever the days, and for a dry run how to apply it.
fn report_lines(counted: &[KindCount], applied: bool) -> Vec<String> {
    let verb = if applied { "removed" } else { "would_remove" };
    let mut lines = vec![format!("kind\t{verb}\tdays\tbefore\twhat")];
    lines.extend(counted.iter().map(|kind| {
        format!("{}\t{}\t{}\t{}\t{}", kind.kind.name(), kind.count, kind.days, kind.before, kind.kind.description())
    }));
    lines.push(ALWAYS_KEPT.to_owned());
    if !applied {
        lines.push("dry run: nothing was removed; add --apply to remove these".to_owned());
    }
    lines
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;
    use crate::cli::{Cli, Command};
    use crate::store::retention::RetainedKind;

    fn parse(flags: &[&str]) -> Result<RetentionArgs, clap::Error> {
        let cli = Cli::try_parse_from(["tongxing-ingest", "retention"].iter().chain(flags))?;
        let Command::Retention(args) = cli.command else { panic!("not retention") };
        Ok(args)
    }

    #[test]
    fn a_dry_run_with_the_default_days_unless_told() {
        let args = parse(&[]).unwrap();
        assert!(!args.apply);
        assert_eq!(args.policy(), RetentionPolicy::default());

        let args = parse(&["--apply", "--invites-days", "7", "--recoveries-days", "730"]).unwrap();
        assert!(args.apply);
        assert_eq!((args.invites_days.days(), args.recoveries_days.days()), (7, 730));
    }

    #[test]
    fn days_that_are_not_one_or_more_are_refused_clearly() {
        for bad in [["--invites-days", "0"], ["--recoveries-days", "-3"], ["--upload-quota-days", "a week"]] {
            let error = parse(&bad).unwrap_err().to_string();
            assert!(error.contains(bad[0]) && error.contains("1 or more"), "{bad:?}: {error}");
        }
    }

    #[test]
    fn the_report_says_what_goes_and_what_is_always_kept() {
        let counted = [KindCount {
            kind: RetainedKind::Invites,
            days: RetentionDays::new(90).unwrap(),
            before: "2026-09-02T00:00:00.000Z".to_owned(),
            count: 2,
        }];
        let lines = report_lines(&counted, false);
        assert_eq!(lines[0], "kind\twould_remove\tdays\tbefore\twhat");
        assert!(lines[1].starts_with("invites\t2\t90\t2026-09-02T00:00:00.000Z\t"), "{}", lines[1]);
        assert!(lines[2].contains("audit log") && lines[2].contains("never removed"));
        assert!(lines[3].contains("--apply"));
        assert_eq!(report_lines(&counted, true).len(), 3, "no dry-run line once applied");
    }
}
