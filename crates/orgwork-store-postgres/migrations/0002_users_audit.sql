-- Users, their role grants, API tokens, login sessions, and the audit log.
-- Secrets (passwords, tokens, session ids) are stored only as hashes. Times are RFC 3339
-- text in UTC, as on SQLite, so that the audit chain hashes the same bytes on both.

CREATE TABLE app_user (
    id            BIGINT PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    language      TEXT,
    disabled      BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    TEXT NOT NULL
);

CREATE TABLE role_grant (
    user_id BIGINT NOT NULL REFERENCES app_user (id),
    role    TEXT NOT NULL CHECK (role IN ('administrator', 'organizer', 'inspector', 'planner', 'viewer')),
    unit_id BIGINT NOT NULL REFERENCES unit (id),
    PRIMARY KEY (user_id, role, unit_id)
);

CREATE TABLE api_token (
    id          TEXT PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES app_user (id),
    secret_hash TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL,
    revoked_at  TEXT
);

CREATE TABLE login_session (
    secret_hash TEXT PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES app_user (id),
    expires_at  TEXT NOT NULL
);

-- Append-only: each entry's hash covers its fields and the previous entry's hash.
CREATE TABLE audit_log (
    seq         BIGINT PRIMARY KEY,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    target      TEXT NOT NULL,
    unit_id     BIGINT,
    before_json TEXT,
    after_json  TEXT,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE INDEX audit_log_unit ON audit_log (unit_id, seq);
CREATE INDEX audit_log_at ON audit_log (at);
