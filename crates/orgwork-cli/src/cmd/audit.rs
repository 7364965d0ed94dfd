//! `orgwork audit verify`: checks the audit log's whole hash chain.

use crate::db::DbArgs;
use anyhow::{Result, bail};
use clap::Subcommand;

#[derive(Subcommand)]
pub enum Command {
    /// Recompute every entry's hash and check the chain against its signed head; name the
    /// first entry that does not fit, and fail.
    Verify {
        /// A head kept elsewhere (`orgwork audit head` printed it): its entry must still be
        /// in the chain with that hash. Catches a cut whose head was put back from a copy.
        #[arg(long, value_name = "SEQ:HASH")]
        head: Option<String>,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Print the chain's signed head (entry number, hash, signature), for keeping elsewhere.
    Head {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Sign the chain's head as it stands: for a log written before its head was signed, once
    /// `audit verify` has found it intact. Later writes sign their heads themselves.
    SignHead {
        #[command(flatten)]
        db: DbArgs,
    },
}

pub async fn run(command: Command) -> Result<()> {
    match command {
        Command::Verify { head, db } => {
            let kept = head.as_deref().map(parse_head).transpose()?;
            let store = db.open().await?;
            let check = store.verify_audit().await?;
            if let Some((seq, why)) = check.first_broken {
                bail!("the audit log is broken at entry {seq}: {why}");
            }
            if let Some((seq, hash)) = kept {
                let found = store
                    .audit(None, None, orgwork_store::Page { limit: 1, after: Some((seq - 1).to_string()) })
                    .await?;
                match found.items.first() {
                    Some(e) if e.seq == seq && e.hash == hash => {}
                    Some(e) if e.seq == seq => {
                        bail!("the audit log is broken at entry {seq}: its hash is not the kept head's")
                    }
                    _ => bail!("the audit log is broken at entry {seq}: the kept head's entry is missing"),
                }
            }
            match (&check.signed_head, &check.unanchored) {
                (Some(h), _) => println!(
                    "The audit log is intact: {} entries, every hash fits its chain, up to the signed head (entry {}).",
                    check.entries, h.seq
                ),
                (None, why) => println!(
                    "The audit log's chain is intact: {} entries, every hash fits; not checked against a signed head: {}.",
                    check.entries,
                    why.as_deref().unwrap_or("none")
                ),
            }
            Ok(())
        }
        Command::Head { db } => {
            let head = db.open().await?.audit_head().await?;
            if head.mac.is_empty() {
                bail!("the head (entry {}) is not signed: see orgwork audit sign-head", head.seq);
            }
            println!("{}:{} {}", head.seq, head.hash, head.mac);
            Ok(())
        }
        Command::SignHead { db } => {
            let head = db.open().await?.sign_audit_head().await?;
            println!("{}:{} {}", head.seq, head.hash, head.mac);
            Ok(())
        }
    }
}

/// `SEQ:HASH`.
fn parse_head(text: &str) -> Result<(i64, String)> {
    let (seq, hash) = text.split_once(':').unwrap_or((text, ""));
    let seq: i64 = seq.trim().parse().map_err(|_| anyhow::anyhow!("--head: '{text}' is not SEQ:HASH"))?;
    let hash = hash.split_whitespace().next().unwrap_or("").to_string();
    anyhow::ensure!(
        hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit()),
        "--head: '{text}' is not SEQ:HASH"
    );
    Ok((seq, hash))
}
