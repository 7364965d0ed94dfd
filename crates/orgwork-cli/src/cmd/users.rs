//! `orgwork user …` and `orgwork token …`: accounts, their roles, and API tokens. The command
//! line acts with the database's own rights; every change is audited as `cli:<user>`.

use super::actor;
use crate::db::DbArgs;
use crate::output;
use anyhow::{Context, Result, bail};
use clap::Subcommand;
use orgwork_domain::access::{Role, check_password, parse_user_name};
use orgwork_domain::structure::UnitCode;
use orgwork_store::NewUser;
use std::io::{BufRead, IsTerminal};

#[derive(Subcommand)]
pub enum UserCommand {
    /// Add a user with a role on a unit (holding for its subtree).
    Add {
        name: String,
        /// administrator, organizer, inspector, planner or viewer.
        #[arg(long)]
        role: String,
        /// The unit the role is given on.
        #[arg(long)]
        unit: String,
        /// Read the password from standard input (one line); otherwise one is generated and printed.
        #[arg(long)]
        password_stdin: bool,
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        json: bool,
    },
    /// List the users and their roles.
    List {
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        json: bool,
    },
    /// Disable a user: they can no longer log in, their sessions end, their tokens stop working.
    Disable {
        name: String,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Enable a disabled user again.
    Enable {
        name: String,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Link a user to the member record of the person they are (inspection teams are checked
    /// for conflicts of interest through it); --unlink removes the link.
    Link {
        name: String,
        #[arg(long, required_unless_present = "unlink")]
        member: Option<orgwork_store::MemberId>,
        #[arg(long, conflicts_with = "member")]
        unlink: bool,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Set a new password (from standard input with --password-stdin, else generated and printed).
    ResetPassword {
        name: String,
        #[arg(long)]
        password_stdin: bool,
        #[command(flatten)]
        db: DbArgs,
    },
}

#[derive(Subcommand)]
pub enum TokenCommand {
    /// Create an API token for a user; the token is printed once and never again.
    Create {
        /// The user the token acts for.
        user: String,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Revoke a token by its id (the part before the dot).
    Revoke {
        id: String,
        #[command(flatten)]
        db: DbArgs,
    },
    /// List tokens (ids, users, dates; never the secrets).
    List {
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        json: bool,
    },
}

/// A password from standard input, or a generated one (printed once).
fn password(from_stdin: bool) -> Result<(String, bool)> {
    if from_stdin {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line).context("reading the password from standard input")?;
        let p = line.trim_end_matches(['\r', '\n']).to_string();
        check_password(&p)?;
        return Ok((p, false));
    }
    if std::io::stdin().is_terminal() {
        eprintln!("(no --password-stdin: generating a password)");
    }
    let p: String = orgwork_web::auth::new_session_secret().chars().take(20).collect();
    Ok((p, true))
}

pub async fn run_user(command: UserCommand) -> Result<()> {
    match command {
        UserCommand::Add { name, role, unit, password_stdin, db, json } => {
            let name = parse_user_name(&name)?;
            let role = Role::parse(&role)?;
            let unit = UnitCode::parse(&unit)?;
            let (pw, generated) = password(password_stdin)?;
            let store = db.open().await?;
            let hash = orgwork_web::auth::hash_password(pw.clone()).await.map_err(anyhow::Error::msg)?;
            let user = store.create_user(&actor(), NewUser { name, password_hash: hash, role, unit }).await?;
            if json {
                return output::json(&user);
            }
            println!("User {} added: {} of {}.", user.name, role.as_str(), user.grants[0].unit);
            if generated {
                println!("Password (shown once): {pw}");
            }
        }
        UserCommand::List { db, json } => {
            let users = db.open().await?.users().await?;
            if json {
                return output::json(&users);
            }
            for u in users {
                let grants: Vec<_> = u.grants.iter().map(|g| format!("{} of {}", g.role.as_str(), g.unit)).collect();
                let state = if u.disabled { " (disabled)" } else { "" };
                println!("{:<24} {}{state}", u.name, grants.join(", "));
            }
        }
        UserCommand::Disable { name, db } => {
            let u = db.open().await?.set_user_disabled(&actor(), &name, true).await?;
            println!("User {} is disabled.", u.name);
        }
        UserCommand::Enable { name, db } => {
            let u = db.open().await?.set_user_disabled(&actor(), &name, false).await?;
            println!("User {} is enabled.", u.name);
        }
        UserCommand::Link { name, member, unlink: _, db } => {
            db.open().await?.link_member(&actor(), &name, member).await?;
            match member {
                Some(m) => println!("User {name} is linked to member {m}."),
                None => println!("User {name} is linked to no member."),
            }
        }
        UserCommand::ResetPassword { name, password_stdin, db } => {
            let store = db.open().await?;
            if store.credentials(&name).await?.is_none() {
                bail!("no user is named '{name}'");
            }
            let (pw, generated) = password(password_stdin)?;
            let hash = orgwork_web::auth::hash_password(pw.clone()).await.map_err(anyhow::Error::msg)?;
            store.set_password_hash(&actor(), &name, &hash).await?;
            println!("The password of {name} is reset; their sessions are ended.");
            if generated {
                println!("Password (shown once): {pw}");
            }
        }
    }
    Ok(())
}

pub async fn run_token(command: TokenCommand) -> Result<()> {
    match command {
        TokenCommand::Create { user, db } => {
            let store = db.open().await?;
            let (id, token) = orgwork_web::auth::new_token();
            let hash = orgwork_web::auth::secret_hash(&token);
            store.create_token(&actor(), &user, &id, &hash).await?;
            eprintln!("Token {id} created for {user}. It is shown once; keep it safe:");
            println!("{token}");
        }
        TokenCommand::Revoke { id, db } => {
            let id = id.split('.').next().unwrap_or(&id).to_string();
            let t = db.open().await?.revoke_token(&actor(), &id).await?;
            println!("Token {} of {} is revoked.", t.id, t.user);
        }
        TokenCommand::List { db, json } => {
            let tokens = db.open().await?.tokens().await?;
            if json {
                return output::json(&tokens);
            }
            for t in tokens {
                let state = t.revoked_at.as_deref().map(|r| format!("revoked {r}")).unwrap_or_else(|| "active".into());
                println!("{:<14} {:<24} created {}  {state}", t.id, t.user, t.created_at);
            }
        }
    }
    Ok(())
}
