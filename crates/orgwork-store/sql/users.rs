// Users, grants, API tokens and sessions, written once for both backends (see mod.rs for
// how this folder is compiled). Changes to users and tokens are audited; sessions are not.

use super::Backend;
use super::audit::{Change, append, now_text};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use orgwork_domain::Error;
use orgwork_domain::access::Role;
use orgwork_domain::structure::UnitCode;
use orgwork_store::{Actor, Credentials, Grant, MemberId, NewUser, Result, StoreError, TokenInfo, User, UserStore};
use sqlx::Row;

use super::common::{Conn, DbResult};

fn no_user(name: &str) -> StoreError {
    Error::not_found("user_not_found", format!("no user is named '{name}'")).into()
}

async fn load_user(conn: &mut Conn, id: i64) -> Result<Option<User>> {
    let Some(row) = sqlx::query("SELECT id, name, language, disabled FROM app_user WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
        .db()?
    else {
        return Ok(None);
    };
    let grants = sqlx::query(
        "SELECT g.role, g.unit_id, u.code FROM role_grant g JOIN unit u ON u.id = g.unit_id WHERE g.user_id = $1 ORDER BY u.code, g.role",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await
    .db()?;
    let grants = grants
        .iter()
        .map(|g| {
            Ok(Grant {
                role: Role::parse(&g.try_get::<String, _>("role").db()?)?,
                unit: UnitCode::from_stored(g.try_get("code").db()?),
                unit_id: g.try_get("unit_id").db()?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Some(User {
        id: row.try_get("id").db()?,
        name: row.try_get("name").db()?,
        language: row.try_get("language").db()?,
        disabled: row.try_get("disabled").db()?,
        grants,
    }))
}

async fn user_id_by_name(conn: &mut Conn, name: &str) -> Result<i64> {
    sqlx::query_scalar("SELECT id FROM app_user WHERE name = $1")
        .bind(name)
        .fetch_optional(&mut *conn)
        .await
        .db()?
        .ok_or_else(|| no_user(name))
}

fn user_json(u: &User) -> serde_json::Value {
    serde_json::to_value(u).unwrap_or(serde_json::Value::Null)
}

async fn token_info(conn: &mut Conn, id: &str) -> Result<Option<TokenInfo>> {
    let row = sqlx::query(
        "SELECT t.id, u.name, t.created_at, t.revoked_at FROM api_token t JOIN app_user u ON u.id = t.user_id WHERE t.id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await
    .db()?;
    row.map(|r| {
        Ok(TokenInfo {
            id: r.try_get("id").db()?,
            user: r.try_get("name").db()?,
            created_at: r.try_get("created_at").db()?,
            revoked_at: r.try_get("revoked_at").db()?,
        })
    })
    .transpose()
}

impl Backend {
    /// The user of a valid token, read from the database (uncached).
    async fn user_by_token_uncached(&self, secret_hash: &str) -> Result<Option<User>> {
        let mut conn = self.reader().acquire().await.db()?;
        let id: Option<i64> = sqlx::query_scalar(
            "SELECT u.id FROM api_token t JOIN app_user u ON u.id = t.user_id \
             WHERE t.secret_hash = $1 AND t.revoked_at IS NULL AND u.disabled = $2",
        )
        .bind(secret_hash)
        .bind(false)
        .fetch_optional(&mut *conn)
        .await
        .db()?;
        match id {
            Some(id) => load_user(&mut conn, id).await,
            None => Ok(None),
        }
    }
}

#[async_trait]
impl UserStore for Backend {
    async fn create_user(&self, actor: &Actor, new: NewUser) -> Result<User> {
        let mut tx = self.begin_write().await?;
        let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM app_user WHERE name = $1")
            .bind(&new.name)
            .fetch_optional(&mut *tx)
            .await
            .db()?;
        if taken.is_some() {
            return Err(
                Error::conflict("duplicate_user", format!("name: a user named '{}' exists already", new.name)).into()
            );
        }
        let today = chrono::Local::now().date_naive();
        let unit_id = super::structure::live_unit_id(&mut tx, &new.unit, today).await?;
        let id = self.ids.next_id();
        sqlx::query("INSERT INTO app_user (id, name, password_hash, language, disabled, created_at) VALUES ($1, $2, $3, NULL, $4, $5)")
            .bind(id)
            .bind(&new.name)
            .bind(&new.password_hash)
            .bind(false)
            .bind(now_text())
            .execute(&mut *tx)
            .await
            .db()?;
        sqlx::query("INSERT INTO role_grant (user_id, role, unit_id) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(new.role.as_str())
            .bind(unit_id)
            .execute(&mut *tx)
            .await
            .db()?;
        let user = load_user(&mut tx, id).await?.ok_or_else(|| no_user(&new.name))?;
        let target = format!("user:{}", user.name);
        let change = Change {
            action: "user.create",
            target: &target,
            unit_id: Some(unit_id),
            before: None,
            after: Some(user_json(&user)),
        };
        append(&mut tx, actor, change).await?;
        self.commit(tx).await?;
        Ok(user)
    }

    async fn users(&self) -> Result<Vec<User>> {
        let mut conn = self.reader().acquire().await.db()?;
        let ids: Vec<i64> =
            sqlx::query_scalar("SELECT id FROM app_user ORDER BY name").fetch_all(&mut *conn).await.db()?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            out.extend(load_user(&mut conn, id).await?);
        }
        Ok(out)
    }

    async fn credentials(&self, name: &str) -> Result<Option<Credentials>> {
        let mut conn = self.reader().acquire().await.db()?;
        let row = sqlx::query("SELECT id, password_hash FROM app_user WHERE name = $1")
            .bind(name)
            .fetch_optional(&mut *conn)
            .await
            .db()?;
        let Some(row) = row else { return Ok(None) };
        let id: i64 = row.try_get("id").db()?;
        let password_hash: String = row.try_get("password_hash").db()?;
        Ok(load_user(&mut conn, id).await?.map(|user| Credentials { user, password_hash }))
    }

    async fn user_by_id(&self, id: i64) -> Result<Option<User>> {
        let mut conn = self.reader().acquire().await.db()?;
        load_user(&mut conn, id).await
    }

    async fn set_user_disabled(&self, actor: &Actor, name: &str, disabled: bool) -> Result<User> {
        let mut tx = self.begin_write().await?;
        let id = user_id_by_name(&mut tx, name).await?;
        let before = load_user(&mut tx, id).await?.ok_or_else(|| no_user(name))?;
        sqlx::query("UPDATE app_user SET disabled = $2 WHERE id = $1")
            .bind(id)
            .bind(disabled)
            .execute(&mut *tx)
            .await
            .db()?;
        if disabled {
            sqlx::query("DELETE FROM login_session WHERE user_id = $1").bind(id).execute(&mut *tx).await.db()?;
        }
        let after = load_user(&mut tx, id).await?.ok_or_else(|| no_user(name))?;
        let target = format!("user:{name}");
        let action = if disabled { "user.disable" } else { "user.enable" };
        let change = Change {
            action,
            target: &target,
            unit_id: None,
            before: Some(user_json(&before)),
            after: Some(user_json(&after)),
        };
        append(&mut tx, actor, change).await?;
        self.commit(tx).await?;
        Ok(after)
    }

    async fn set_password_hash(&self, actor: &Actor, name: &str, password_hash: &str) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let id = user_id_by_name(&mut tx, name).await?;
        sqlx::query("UPDATE app_user SET password_hash = $2 WHERE id = $1")
            .bind(id)
            .bind(password_hash)
            .execute(&mut *tx)
            .await
            .db()?;
        sqlx::query("DELETE FROM login_session WHERE user_id = $1").bind(id).execute(&mut *tx).await.db()?;
        let target = format!("user:{name}");
        let change =
            Change { action: "user.reset_password", target: &target, unit_id: None, before: None, after: None };
        append(&mut tx, actor, change).await?;
        self.commit(tx).await?;
        Ok(())
    }

    async fn set_language(&self, actor: &Actor, user_id: i64, language: &str) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let before = load_user(&mut tx, user_id).await?.ok_or_else(|| no_user(&user_id.to_string()))?;
        sqlx::query("UPDATE app_user SET language = $2 WHERE id = $1")
            .bind(user_id)
            .bind(language)
            .execute(&mut *tx)
            .await
            .db()?;
        let target = format!("user:{}", before.name);
        let change = Change {
            action: "user.language",
            target: &target,
            unit_id: None,
            before: Some(serde_json::json!({ "language": before.language })),
            after: Some(serde_json::json!({ "language": language })),
        };
        append(&mut tx, actor, change).await?;
        self.commit(tx).await?;
        Ok(())
    }

    async fn create_token(&self, actor: &Actor, user: &str, id: &str, secret_hash: &str) -> Result<TokenInfo> {
        let mut tx = self.begin_write().await?;
        let user_id = user_id_by_name(&mut tx, user).await?;
        sqlx::query(
            "INSERT INTO api_token (id, user_id, secret_hash, created_at, revoked_at) VALUES ($1, $2, $3, $4, NULL)",
        )
        .bind(id)
        .bind(user_id)
        .bind(secret_hash)
        .bind(now_text())
        .execute(&mut *tx)
        .await
        .db()?;
        let info = token_info(&mut tx, id).await?.ok_or_else(|| StoreError::Backend("token vanished".into()))?;
        let target = format!("token:{id}");
        let after = serde_json::to_value(&info).ok();
        append(&mut tx, actor, Change { action: "token.create", target: &target, unit_id: None, before: None, after })
            .await?;
        self.commit(tx).await?;
        Ok(info)
    }

    async fn revoke_token(&self, actor: &Actor, id: &str) -> Result<TokenInfo> {
        let mut tx = self.begin_write().await?;
        let before = token_info(&mut tx, id).await?.ok_or_else(|| {
            StoreError::from(Error::not_found("token_not_found", format!("no token has the id '{id}'")))
        })?;
        if before.revoked_at.is_some() {
            return Err(Error::rule("token_revoked", format!("token {id} was revoked already")).into());
        }
        sqlx::query("UPDATE api_token SET revoked_at = $2 WHERE id = $1")
            .bind(id)
            .bind(now_text())
            .execute(&mut *tx)
            .await
            .db()?;
        let after = token_info(&mut tx, id).await?.ok_or_else(|| StoreError::Backend("token vanished".into()))?;
        let target = format!("token:{id}");
        let change = Change {
            action: "token.revoke",
            target: &target,
            unit_id: None,
            before: serde_json::to_value(&before).ok(),
            after: serde_json::to_value(&after).ok(),
        };
        append(&mut tx, actor, change).await?;
        self.commit(tx).await?;
        Ok(after)
    }

    async fn tokens(&self) -> Result<Vec<TokenInfo>> {
        let rows = sqlx::query(
            "SELECT t.id, u.name, t.created_at, t.revoked_at FROM api_token t JOIN app_user u ON u.id = t.user_id ORDER BY t.created_at, t.id",
        )
        .fetch_all(self.reader())
        .await
        .db()?;
        rows.iter()
            .map(|r| {
                Ok(TokenInfo {
                    id: r.try_get("id").db()?,
                    user: r.try_get("name").db()?,
                    created_at: r.try_get("created_at").db()?,
                    revoked_at: r.try_get("revoked_at").db()?,
                })
            })
            .collect()
    }

    async fn user_by_token(&self, secret_hash: &str) -> Result<Option<User>> {
        let Some(generation) = self.generation().await? else { return self.user_by_token_uncached(secret_hash).await };
        if let Some(user) = self.cache.users.get(generation, &secret_hash.to_string()) {
            return Ok(Some(user));
        }
        // Only valid tokens are shelved: unknown ones must not fill the shelf.
        let user = self.user_by_token_uncached(secret_hash).await?;
        if let Some(u) = &user {
            self.cache.users.put(generation, secret_hash.to_string(), u.clone());
        }
        Ok(user)
    }

    async fn create_session(&self, user_id: i64, secret_hash: &str, expires_at: DateTime<Utc>) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let now = now_text();
        sqlx::query("DELETE FROM login_session WHERE expires_at < $1").bind(&now).execute(&mut *tx).await.db()?;
        sqlx::query("INSERT INTO login_session (secret_hash, user_id, expires_at) VALUES ($1, $2, $3)")
            .bind(secret_hash)
            .bind(user_id)
            .bind(expires_at.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string())
            .execute(&mut *tx)
            .await
            .db()?;
        self.commit(tx).await?;
        Ok(())
    }

    async fn user_by_session(&self, secret_hash: &str, now: DateTime<Utc>) -> Result<Option<User>> {
        let mut conn = self.reader().acquire().await.db()?;
        let id: Option<i64> = sqlx::query_scalar(
            "SELECT u.id FROM login_session s JOIN app_user u ON u.id = s.user_id \
             WHERE s.secret_hash = $1 AND s.expires_at > $2 AND u.disabled = $3",
        )
        .bind(secret_hash)
        .bind(now.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string())
        .bind(false)
        .fetch_optional(&mut *conn)
        .await
        .db()?;
        match id {
            Some(id) => load_user(&mut conn, id).await,
            None => Ok(None),
        }
    }

    async fn delete_session(&self, secret_hash: &str) -> Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM login_session WHERE secret_hash = $1")
            .bind(secret_hash)
            .execute(&mut *tx)
            .await
            .db()?;
        self.commit(tx).await?;
        Ok(())
    }

    async fn link_member(&self, actor: &Actor, name: &str, member: Option<MemberId>) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let id = user_id_by_name(&mut tx, name).await?;
        if let Some(m) = member {
            let known: Option<i64> = sqlx::query_scalar("SELECT id FROM member WHERE id = $1")
                .bind(m.get())
                .fetch_optional(&mut *tx)
                .await
                .db()?;
            if known.is_none() {
                return Err(MemberId::not_found(m).into());
            }
            let other: Option<String> =
                sqlx::query_scalar("SELECT name FROM app_user WHERE member_id = $1 AND id <> $2")
                    .bind(m.get())
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await
                    .db()?;
            if let Some(other) = other {
                return Err(Error::conflict(
                    "member_linked",
                    format!("member: member {m} is linked to user {other} already"),
                )
                .into());
            }
        }
        let before: Option<i64> = sqlx::query_scalar("SELECT member_id FROM app_user WHERE id = $1")
            .bind(id)
            .fetch_one(&mut *tx)
            .await
            .db()?;
        sqlx::query("UPDATE app_user SET member_id = $2 WHERE id = $1")
            .bind(id)
            .bind(member.map(MemberId::get))
            .execute(&mut *tx)
            .await
            .db()?;
        let target = format!("user:{name}");
        let change = Change {
            action: "user.link",
            target: &target,
            unit_id: None,
            before: Some(serde_json::json!({ "member": before.map(|m| m.to_string()) })),
            after: Some(serde_json::json!({ "member": member.map(|m| m.to_string()) })),
        };
        append(&mut tx, actor, change).await?;
        self.commit(tx).await
    }

    async fn linked_member(&self, user_id: i64) -> Result<Option<MemberId>> {
        let m: Option<Option<i64>> = sqlx::query_scalar("SELECT member_id FROM app_user WHERE id = $1")
            .bind(user_id)
            .fetch_optional(self.reader())
            .await
            .db()?;
        Ok(m.flatten().map(MemberId::new))
    }
}
