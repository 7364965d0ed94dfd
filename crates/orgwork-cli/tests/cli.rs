//! The `orgwork` binary as a user runs it, on SQLite and on PostgreSQL.

use orgwork_store_tests::TestDb;
use serde_json::Value;
use std::process::{Command, Output};

fn orgwork(db: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_orgwork"))
        .args(args)
        .env("ORGWORK_DATABASE_URL", db)
        .env_remove("ORGWORK_PROFILE")
        .output()
        .expect("run orgwork")
}

fn ok_json(db: &str, args: &[&str]) -> Value {
    let out = orgwork(db, args);
    assert!(out.status.success(), "orgwork {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("orgwork {args:?} printed no JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

async fn the_structure_from_the_command_line(backend: &str) {
    let db = TestDb::new(backend).await;
    let url = db.url.clone();
    let out = orgwork(&url, &["migrate"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("up to date"));

    let root = ok_json(
        &url,
        &[
            "unit",
            "create",
            "qn",
            "--name-vi",
            "Đảng bộ tỉnh Quảng Ninh",
            "--name-en",
            "Quang Ninh",
            "--kind",
            "provincial_committee",
            "--from",
            "2020-01-01",
            "--json",
        ],
    );
    assert_eq!(root["code"], "QN");
    ok_json(
        &url,
        &[
            "unit",
            "create",
            "KCQ",
            "--name-vi",
            "Khối cơ quan",
            "--kind",
            "bloc_committee",
            "--parent",
            "QN",
            "--from",
            "2020-01-01",
            "--json",
        ],
    );
    ok_json(
        &url,
        &[
            "unit",
            "create",
            "DN",
            "--name-vi",
            "Khối doanh nghiệp",
            "--kind",
            "bloc_committee",
            "--parent",
            "QN",
            "--from",
            "2020-01-01",
            "--json",
        ],
    );
    ok_json(
        &url,
        &[
            "unit",
            "create",
            "STC",
            "--name-vi",
            "Sở Tài chính",
            "--kind",
            "grassroots_committee",
            "--parent",
            "KCQ",
            "--from",
            "2020-01-01",
            "--json",
        ],
    );
    let moved = ok_json(
        &url,
        &["unit", "move", "STC", "--to", "DN", "--effective", "2025-01-01", "--decision", "5-QĐ", "--json"],
    );
    assert_eq!(moved["parent"], "DN");

    let before = ok_json(&url, &["unit", "show", "STC", "--as-of", "2024-12-31", "--json"]);
    assert_eq!(before["unit"]["parent"], "KCQ");
    assert_eq!(before["ancestors"][0]["code"], "QN");
    let kids = ok_json(&url, &["unit", "list", "--under", "DN", "--as-of", "2025-01-01", "--json"]);
    assert_eq!(kids[0]["code"], "STC");
    let found = ok_json(&url, &["unit", "list", "--search", "tai chinh", "--json"]);
    assert_eq!(found.as_array().unwrap().len(), 1);
    let history = ok_json(&url, &["unit", "history", "STC", "--json"]);
    assert_eq!(history[1]["change"], "moved");
    assert_eq!(history[1]["decision"], "5-QĐ");
    let tree = orgwork(&url, &["unit", "tree", "QN", "--as-of", "2024-06-01"]);
    let text = String::from_utf8_lossy(&tree.stdout);
    assert!(text.contains("QN  Đảng bộ tỉnh Quảng Ninh") && text.contains("    STC  Sở Tài chính"), "{text}");

    // Errors: non-zero exit, the message on stderr, nothing changed.
    let out = orgwork(&url, &["unit", "move", "KCQ", "--to", "STC", "--effective", "2024-06-01"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("its own ancestor") || err.contains("may not sit under"), "{err}");
    let out = orgwork(&url, &["unit", "show", "STC", "--as-of", "2024-02-30"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("2024-02-30"));
    let out = orgwork(&url, &["unit", "show", "NOPE"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("NOPE"));
    let after = ok_json(&url, &["unit", "show", "STC", "--as-of", "2024-12-31", "--json"]);
    assert_eq!(before, after);
}

#[tokio::test]
async fn sqlite_structure_from_the_command_line() {
    the_structure_from_the_command_line("sqlite").await;
}

#[tokio::test]
async fn postgres_structure_from_the_command_line() {
    the_structure_from_the_command_line("postgres").await;
}

#[test]
fn demo_creates_the_seed_organization_then_reuses_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.db");
    let path = path.to_str().unwrap();
    let run = || {
        Command::new(env!("CARGO_BIN_EXE_orgwork"))
            .args(["demo", "--no-serve", "--database", path])
            .output()
            .expect("run orgwork demo")
    };
    let first = run();
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    assert!(String::from_utf8_lossy(&first.stdout).contains("Created the demo database"));
    let second = run();
    assert!(String::from_utf8_lossy(&second.stdout).contains("Reusing"));
    let kids = ok_json(path, &["unit", "list", "--under", "QN-KCQ", "--as-of", "2024-12-30", "--json"]);
    let n = kids.as_array().unwrap().len();
    assert!((35..=45).contains(&n), "the bloc has {n} grassroots organizations");
    let bloc = ok_json(path, &["unit", "show", "QN-KCQ", "--as-of", "2024-12-30", "--json"]);
    assert_eq!(bloc["unit"]["kind"], "bloc_committee");
    assert_eq!(bloc["unit"]["parent"], "QN");
}

#[test]
fn a_bad_profile_is_named_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("bad.toml");
    std::fs::write(&profile, "[profile]\nid = \"x\"\nname = { vi = \"X\" }\n\n[[unit_kinds]]\nid = \"a\"\nname = { vi = \"A\" }\nparents = [\"b\"]\n").unwrap();
    let db = dir.path().join("x.db");
    let out = Command::new(env!("CARGO_BIN_EXE_orgwork"))
        .args(["migrate", "--database", db.to_str().unwrap(), "--profile", profile.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.toml") && err.contains("line 8") && err.contains("unit_kinds[0].parents[0]"), "{err}");
}

async fn users_tokens_and_the_audit_log(backend: &str) {
    use std::io::Write;
    let db = TestDb::new(backend).await;
    let url = db.url.clone();
    ok_json(
        &url,
        &[
            "unit",
            "create",
            "QN",
            "--name-vi",
            "Tỉnh",
            "--kind",
            "provincial_committee",
            "--from",
            "2020-01-01",
            "--json",
        ],
    );
    // A password on standard input.
    let mut child = Command::new(env!("CARGO_BIN_EXE_orgwork"))
        .args(["user", "add", "secretary", "--role", "organizer", "--unit", "QN", "--password-stdin", "--json"])
        .env("ORGWORK_DATABASE_URL", &url)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"a good long password\n").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let user: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(user["grants"][0]["role"], "organizer");
    // A generated password is printed once.
    let out = orgwork(&url, &["user", "add", "admin", "--role", "administrator", "--unit", "QN"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("Password (shown once): "));
    // Bad input names the value.
    let out = orgwork(&url, &["user", "add", "someone", "--role", "king", "--unit", "QN"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("king"));
    let users = ok_json(&url, &["user", "list", "--json"]);
    assert_eq!(users.as_array().unwrap().len(), 2);

    let out = orgwork(&url, &["token", "create", "secretary"]);
    assert!(out.status.success());
    let token = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let id = token.split('.').next().unwrap().to_string();
    assert!(id.starts_with("ow_"));
    let tokens = ok_json(&url, &["token", "list", "--json"]);
    assert_eq!(tokens[0]["id"], id.as_str());
    assert!(
        !String::from_utf8_lossy(&orgwork(&url, &["token", "list"]).stdout).contains(&token),
        "secrets are never listed"
    );
    assert!(orgwork(&url, &["token", "revoke", &id]).status.success());
    assert!(!orgwork(&url, &["token", "revoke", &id]).status.success());
    assert!(orgwork(&url, &["user", "disable", "secretary"]).status.success());

    let out = orgwork(&url, &["audit", "verify"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("intact"));
    db.execute("UPDATE audit_log SET after_json = '{\"code\":\"QN\",\"forged\":true}' WHERE seq = 1").await;
    let out = orgwork(&url, &["audit", "verify"]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("broken at entry 1"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[tokio::test]
async fn sqlite_users_tokens_and_the_audit_log() {
    users_tokens_and_the_audit_log("sqlite").await;
}

#[tokio::test]
async fn postgres_users_tokens_and_the_audit_log() {
    users_tokens_and_the_audit_log("postgres").await;
}

async fn members_from_the_command_line(backend: &str) {
    let db = TestDb::new(backend).await;
    let url = db.url.clone();
    ok_json(
        &url,
        &[
            "unit",
            "create",
            "QN",
            "--name-vi",
            "Tỉnh",
            "--kind",
            "provincial_committee",
            "--from",
            "2020-01-01",
            "--json",
        ],
    );
    ok_json(
        &url,
        &[
            "unit",
            "create",
            "CB",
            "--name-vi",
            "Chi bộ",
            "--kind",
            "grassroots_cell",
            "--parent",
            "QN",
            "--from",
            "2020-01-01",
            "--json",
        ],
    );
    let m = ok_json(
        &url,
        &[
            "member",
            "add",
            "--unit",
            "CB",
            "--full-name",
            "Đặng Thị Mai",
            "--sex",
            "female",
            "--birth-date",
            "1999-09-09",
            "--admitted-on",
            "2021-01-01",
            "--card-number",
            "55500001",
            "--occupation",
            "student",
            "--json",
        ],
    );
    let id = m["id"].as_str().unwrap().to_string();
    let found = ok_json(&url, &["member", "search", "dang mai", "--unit", "QN", "--json"]);
    assert_eq!(found[0]["id"], id.as_str());
    let none = ok_json(&url, &["member", "search", "dang mai", "--unit", "QN", "--as-of", "2020-06-01", "--json"]);
    assert!(none.as_array().unwrap().is_empty(), "not a member yet in 2020");
    let stats = ok_json(&url, &["unit", "stats", "QN", "--as-of", "2022-01-01", "--json"]);
    assert_eq!(stats["total"], 1);
    assert_eq!(stats["by_category"]["student"], 1);
    let m = ok_json(
        &url,
        &["member", "status", &id, "--to", "official", "--effective", "2022-01-01", "--document", "7-QĐ", "--json"],
    );
    assert_eq!(m["status"], "official");
    let shown = orgwork(&url, &["member", "show", &id, "--as-of", "2021-06-01"]);
    let text = String::from_utf8_lossy(&shown.stdout);
    assert!(text.contains("Đặng Thị Mai") && text.contains("status probationary"), "{text}");
    // Bad input: every field named; exit code 1; nothing added.
    let out = orgwork(
        &url,
        &[
            "member",
            "add",
            "--unit",
            "CB",
            "--full-name",
            "X",
            "--sex",
            "x",
            "--birth-date",
            "1999-13-01",
            "--admitted-on",
            "2021-01-01",
        ],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("sex: 'x'") && err.contains("birth_date: '1999-13-01'"), "{err}");
    let all = ok_json(&url, &["member", "search", "--unit", "QN", "--json"]);
    assert_eq!(all.as_array().unwrap().len(), 1);
    // A transfer in two steps.
    ok_json(
        &url,
        &[
            "unit",
            "create",
            "CB2",
            "--name-vi",
            "Chi bộ 2",
            "--kind",
            "grassroots_cell",
            "--parent",
            "QN",
            "--from",
            "2020-01-01",
            "--json",
        ],
    );
    let t = ok_json(
        &url,
        &["member", "transfer", &id, "--to", "CB2", "--issued", "2023-01-01", "--document", "3-QĐ", "--json"],
    );
    assert_eq!(t["state"], "issued");
    let listed =
        String::from_utf8_lossy(&orgwork(&url, &["transfer", "list", "--unit", "CB2", "--pending"]).stdout).to_string();
    assert!(listed.contains("Đặng Thị Mai") && listed.contains("OVERDUE"), "{listed}");
    let out = orgwork(&url, &["transfer", "accept", t["id"].as_str().unwrap(), "--on", "2023-01-15"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(ok_json(&url, &["unit", "stats", "CB2", "--as-of", "2023-01-15", "--json"])["total"], 1);
    assert_eq!(ok_json(&url, &["unit", "stats", "CB", "--as-of", "2023-01-14", "--json"])["total"], 1);
}

#[tokio::test]
async fn sqlite_members_from_the_command_line() {
    members_from_the_command_line("sqlite").await;
}

#[tokio::test]
async fn postgres_members_from_the_command_line() {
    members_from_the_command_line("postgres").await;
}
