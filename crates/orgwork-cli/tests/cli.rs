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

/// The 2025 merger replayed from mapping tables as a user writes them: provinces absorbed by a
/// surviving one, the district level dissolved, communes merged into new ones; the tree and the
/// counts as of the day before and the day after; lineage; then undo.
async fn the_2025_merger_from_mapping_tables(backend: &str) {
    use orgwork_store_tests::stories::{admit, create, record};
    let db = TestDb::new(backend).await;
    let url = db.url.clone();
    let s = db.store.as_ref();
    create(s, "VN", "central_committee", None, "2020-01-01", "Ban Chấp hành Trung ương").await;
    for (p, name) in [
        ("P01", "Đảng bộ thành phố Hà Nội"),
        ("P17", "Đảng bộ tỉnh Hòa Bình"),
        ("P25", "Đảng bộ tỉnh Phú Thọ"),
        ("P26", "Đảng bộ tỉnh Vĩnh Phúc"),
    ] {
        create(s, p, "provincial_committee", Some("VN"), "2020-01-01", name).await;
    }
    // (district, its province, its communes with (cell, members))
    type Communes<'a> = &'a [(&'a str, usize)];
    let tree: [(&str, &str, Communes); 4] = [
        ("D-VY", "P26", &[("X-VY1", 2), ("X-VY2", 1)]),
        ("D-VT", "P25", &[("X-VT1", 3)]),
        ("D-HB", "P17", &[("X-HB1", 1)]),
        ("D-HK", "P01", &[("X-HK1", 2)]),
    ];
    let mut n = 0;
    for (district, province, communes) in tree {
        create(s, district, "district_committee", Some(province), "2020-01-01", &format!("Huyện {district}")).await;
        for (commune, members) in communes {
            create(s, commune, "commune_committee", Some(district), "2020-01-01", &format!("Xã {commune}")).await;
            let cell = format!("C-{commune}");
            create(s, &cell, "grassroots_cell", Some(commune), "2020-01-01", &format!("Chi bộ {commune}")).await;
            for _ in 0..*members {
                n += 1;
                admit(s, &cell, record(&format!("Nguyễn Văn {n}"), "male", "1980-01-01", "2010-01-01")).await;
            }
        }
    }
    // Checkpoints of the ledger on either side of the day: the check reads their balances, and
    // apply and undo keep them.
    let set = orgwork(&url, &["ledger", "checkpoints", "--day", "2026-01-01", "--day", "2025-01-01"]);
    assert!(set.status.success(), "{}", String::from_utf8_lossy(&set.stderr));
    assert!(String::from_utf8_lossy(&set.stdout).ends_with("2025-01-01\n2026-01-01\n"));
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p.to_str().unwrap().to_string()
    };
    // As users write them: Excel's BOM, CRLF, a semicolon-separated file among them.
    let provinces = write(
        "provinces.csv",
        "\u{feff}from,to,to_name,to_kind,to_parent\r\nP25,P25,,,\r\nP26,P25,,,\r\nP17,P25,,,\r\nP01,P01,,,\r\n",
    );
    let districts = write("districts.csv", "from;to\nD-VY;\nD-VT;\nD-HB;\nD-HK;\n");
    let communes = write(
        "communes.csv",
        "from,to,to_name,to_kind,to_parent\n\
         X-VY1,X-VINHPHUC,Phường Vĩnh Phúc,commune_committee,P25\n\
         X-VY2,X-VINHPHUC,,,\n\
         X-VT1,X-VIETTRI,Phường Việt Trì,commune_committee,P25\n\
         X-HB1,X-HOABINH,Phường Hòa Bình,commune_committee,P25\n\
         X-HK1,X-HOANKIEM,Phường Hoàn Kiếm,commune_committee,P01\n",
    );
    let plan = orgwork(
        &url,
        &[
            "restructure",
            "plan",
            "--effective",
            "2025-07-01",
            "--title",
            "Sắp xếp đơn vị hành chính 2025",
            "--mapping",
            &provinces,
            "--mapping",
            &communes,
            "--mapping",
            &districts,
        ],
    );
    assert!(plan.status.success(), "{}", String::from_utf8_lossy(&plan.stderr));
    let id = String::from_utf8_lossy(&plan.stdout).trim().to_string();
    let check = ok_json(&url, &["restructure", "check", &id, "--json"]);
    assert_eq!(check["passed"], true, "{check}");
    assert_eq!(check["impact"]["members_moved"], 0, "merging communes re-parents their cells; no member moves");
    let list = ok_json(&url, &["restructure", "list", "--json"]);
    assert_eq!(list[0]["state"], "draft");
    let before: Vec<Value> = ["P25", "P26", "P17", "P01", "VN"]
        .iter()
        .map(|p| ok_json(&url, &["unit", "stats", p, "--as-of", "2025-06-30", "--json"]))
        .collect();
    let applied = ok_json(&url, &["restructure", "apply", &id, "--json"]);
    assert_eq!(applied["applied"], true, "{applied}");
    let total = |unit: &str, day: &str| {
        ok_json(&url, &["unit", "stats", unit, "--as-of", day, "--json"])["total"].as_i64().unwrap()
    };
    // The day before: the old tree and counts.
    assert_eq!((total("P25", "2025-06-30"), total("P26", "2025-06-30"), total("P17", "2025-06-30")), (3, 3, 1));
    for (p, b) in ["P25", "P26", "P17", "P01", "VN"].iter().zip(&before) {
        assert_eq!(&ok_json(&url, &["unit", "stats", p, "--as-of", "2025-06-30", "--json"]), b, "{p} the day before");
    }
    // The day after: 34-style provinces, no district level, new communes.
    assert_eq!((total("P25", "2025-07-01"), total("X-VINHPHUC", "2025-07-01"), total("VN", "2025-07-01")), (7, 3, 9));
    let tree_after = ok_json(&url, &["unit", "tree", "VN", "--as-of", "2025-07-01", "--json"]);
    let codes: Vec<&str> = tree_after.as_array().unwrap().iter().map(|e| e["code"].as_str().unwrap()).collect();
    assert!(!codes.iter().any(|c| c.starts_with("D-") || c.starts_with("X-VY") || *c == "P26"), "{codes:?}");
    let cell = ok_json(&url, &["unit", "show", "C-X-VY2", "--as-of", "2025-07-01", "--json"]);
    assert_eq!(cell["unit"]["parent"], "X-VINHPHUC");
    // Lineage: a merged province's members in 2023 are the sum of its predecessors'.
    let lineage = ok_json(&url, &["unit", "lineage", "P25", "--json"]);
    let from: Vec<&str> = lineage.as_array().unwrap().iter().map(|l| l["from"].as_str().unwrap()).collect();
    assert_eq!(from, ["P17", "P26"]);
    assert_eq!(lineage[0]["relation"], "absorbed");
    let sum: i64 = ["P25", "P26", "P17"].iter().map(|p| total(p, "2023-01-01")).sum();
    assert_eq!(sum, total("P25", "2025-07-01"));
    let through = ok_json(&url, &["unit", "stats", "P25", "--as-of", "2023-01-01", "--lineage", "--json"]);
    assert_eq!(through["total"].as_i64(), Some(sum), "{through}");
    // Without checkpoints the counts are the same.
    let after: Vec<i64> = ["P25", "P01", "VN"].iter().map(|p| total(p, "2025-07-01")).collect();
    let none = orgwork(&url, &["ledger", "checkpoints", "--none"]);
    assert!(String::from_utf8_lossy(&none.stdout).ends_with("The ledger has no checkpoint.\n"));
    assert_eq!(["P25", "P01", "VN"].iter().map(|p| total(p, "2025-07-01")).collect::<Vec<_>>(), after);
    let recent = orgwork(&url, &["ledger", "checkpoints", "--recent"]);
    assert!(recent.status.success(), "{}", String::from_utf8_lossy(&recent.stderr));
    assert_eq!(String::from_utf8_lossy(&recent.stdout).lines().filter(|l| l.ends_with("-01-01")).count(), 2);
    // Undo restores every answer.
    let undo = orgwork(&url, &["restructure", "undo"]);
    assert!(undo.status.success(), "{}", String::from_utf8_lossy(&undo.stderr));
    assert_eq!(total("P26", "2025-07-01"), 3);
    assert!(orgwork(&url, &["unit", "show", "X-VINHPHUC", "--as-of", "2025-07-01"]).status.code() != Some(0));
    // A mapping with a fault is refused with its row and column, and records nothing.
    let bad = write("bad.csv", "from,to,to_name,to_kind,to_parent\nX-VY1,X-NEW,,commune_committee,P25\n");
    let out = orgwork(&url, &["restructure", "plan", "--effective", "2025-07-01", "--mapping", &bad]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("row 2, column to_name"), "{err}");
    assert_eq!(ok_json(&url, &["restructure", "list", "--json"]).as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn sqlite_the_2025_merger_from_mapping_tables() {
    the_2025_merger_from_mapping_tables("sqlite").await;
}

#[tokio::test]
async fn postgres_the_2025_merger_from_mapping_tables() {
    the_2025_merger_from_mapping_tables("postgres").await;
}

/// `orgwork restructure apply` killed with SIGKILL at various moments: the database is as
/// before or as after, never in between, and the audit chain holds.
async fn a_kill_during_apply_leaves_before_or_after(backend: &str) {
    let db = TestDb::new(backend).await;
    let url = db.url.clone();
    let demo =
        Command::new(env!("CARGO_BIN_EXE_orgwork")).args(["demo", "--no-serve", "--database", &url]).output().unwrap();
    assert!(demo.status.success(), "{}", String::from_utf8_lossy(&demo.stderr));
    let id = ok_json(&url, &["restructure", "list", "--json"])[0]["id"].as_str().unwrap().to_string();
    let total =
        |unit: &str| ok_json(&url, &["unit", "stats", unit, "--as-of", "2025-02-01", "--json"])["total"].as_i64();
    let all = total("QN").unwrap();
    let (mut before, mut after) = (0, 0);
    for delay_ms in [5u64, 30, 60, 90, 120, 160, 220, 300, 400] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_orgwork"))
            .args(["restructure", "apply", &id])
            .env("ORGWORK_DATABASE_URL", &url)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        let state = ok_json(&url, &["restructure", "show", &id, "--json"])["state"].as_str().unwrap().to_string();
        let bloc = ok_json(&url, &["unit", "show", "QN-KCQ", "--as-of", "2025-02-01", "--json"]);
        match state.as_str() {
            "draft" => {
                before += 1;
                assert!(bloc["unit"]["valid_to"].is_null(), "after {delay_ms} ms: a draft, but the bloc ended");
                assert_eq!(total("QN-KCQ"), Some(all));
                assert!(!orgwork(&url, &["unit", "show", "QN-CQD", "--as-of", "2025-02-01"]).status.success());
            }
            "applied" => {
                after += 1;
                assert_eq!(bloc["unit"]["valid_to"], "2025-02-01", "after {delay_ms} ms: applied, but the bloc lives");
                assert_eq!(total("QN-CQD").unwrap() + total("QN-UBND").unwrap(), all);
                let undo = orgwork(&url, &["restructure", "undo"]);
                assert!(undo.status.success(), "{}", String::from_utf8_lossy(&undo.stderr));
                // Undone: a new draft of the same operations for the next round.
                let show = ok_json(&url, &["restructure", "show", &id, "--json"]);
                assert_eq!(show["state"], "undone");
            }
            other => panic!("state {other}"),
        }
        assert_eq!(total("QN"), Some(all));
        let verify = orgwork(&url, &["audit", "verify"]);
        assert!(verify.status.success(), "{}", String::from_utf8_lossy(&verify.stdout));
        if state == "applied" {
            break;
        }
    }
    eprintln!("{backend}: {before} kills left the draft, {after} found it applied");
    assert!(before + after > 0);
}

#[tokio::test]
async fn sqlite_a_kill_during_apply_leaves_before_or_after() {
    a_kill_during_apply_leaves_before_or_after("sqlite").await;
}

#[tokio::test]
async fn postgres_a_kill_during_apply_leaves_before_or_after() {
    a_kill_during_apply_leaves_before_or_after("postgres").await;
}

/// `orgwork generate`: one seed, the same CSV byte for byte (another seed, other data); into a
/// database, the counts at the end of the history agree with the CSV's members.
async fn generates_the_same_organization_from_a_seed(backend: &str) {
    let dir = tempfile::tempdir().unwrap();
    let csv = |name: &str, seed: &str| {
        let path = dir.path().join(name);
        let out =
            orgwork("unused.db", &["generate", "--scale", "demo", "--seed", seed, "--csv", path.to_str().unwrap()]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        ["units.csv", "members.csv", "history.csv"].map(|f| std::fs::read(path.join(f)).unwrap())
    };
    let (a, b, c) = (csv("a", "7"), csv("b", "7"), csv("c", "8"));
    assert_eq!(a, b, "the same seed gives the same files");
    assert_ne!(a[1], c[1], "another seed gives other members");
    let members = String::from_utf8(a[1].clone()).unwrap();
    let live = members.lines().skip(1).filter(|l| l.contains("\"official\"") || l.contains("\"probationary\"")).count();
    assert!(members.lines().any(|l| l.contains("Nguyễn")), "Vietnamese names with their diacritics");
    assert!(members.lines().any(|l| l.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c))), "some Arabic names");

    let db = TestDb::new(backend).await;
    let out = orgwork(&db.url, &["generate", "--scale", "demo", "--seed", "7"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stats = ok_json(&db.url, &["unit", "stats", "P22", "--as-of", "2025-06-30", "--json"]);
    assert_eq!(stats["total"].as_u64(), Some(live as u64), "{stats}");
    // The counts agree with a recount from the records, on a day inside the history.
    let out = orgwork(&db.url, &["bench", "members", "--unit", "P22", "--as-of", "2022-01-01", "--searches", "5"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("(same answer)"));
    // The 2025 reform from the generated mapping tables: checked, applied; the same members
    // under the province the day after, none left under a district.
    let maps: Vec<String> = ["provinces", "communes", "districts"]
        .iter()
        .map(|m| dir.path().join("a").join(format!("mapping-2025-{m}.csv")).to_str().unwrap().to_string())
        .collect();
    let plan = orgwork(
        &db.url,
        &[
            "restructure",
            "plan",
            "--effective",
            "2025-07-01",
            "--mapping",
            &maps[0],
            "--mapping",
            &maps[1],
            "--mapping",
            &maps[2],
        ],
    );
    assert!(plan.status.success(), "{}", String::from_utf8_lossy(&plan.stderr));
    let id = String::from_utf8_lossy(&plan.stdout).trim().to_string();
    let applied = ok_json(&db.url, &["restructure", "apply", &id, "--json"]);
    assert_eq!(applied["applied"], true, "{}", applied["failures"]);
    assert_eq!(applied["impact"]["members_moved"], 0);
    let concerned = applied["impact"]["members_concerned"].as_u64().unwrap();
    assert!(concerned > 0 && concerned <= live as u64, "members concerned counted once each: {concerned} of {live}");
    let after = ok_json(&db.url, &["unit", "stats", "P22", "--as-of", "2025-07-01", "--json"]);
    assert_eq!(after["total"], stats["total"]);
    let tree = ok_json(&db.url, &["unit", "tree", "P22", "--as-of", "2025-07-01", "--json"]);
    assert!(
        !tree.as_array().unwrap().iter().any(|e| e["kind"] == "district_committee"),
        "no district level after 2025"
    );
    // Three years of inspection programmes for the same organization, then its coverage.
    let out = orgwork(
        &db.url,
        &["generate", "--scale", "demo", "--seed", "7", "--inspections", "2025", "--inspections-only"],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("inspection programmes of 2023–2025"));
    let cov = ok_json(
        &db.url,
        &["inspection", "coverage", "--body", "P22", "--year", "2024", "--never-since", "2023", "--json"],
    );
    let n = |k: &str| cov[k].as_array().unwrap().len();
    assert!(n("inspected") + n("supervised") > 0, "{cov}");
    assert!(n("never_since") <= n("neither"));
    let again = orgwork(
        &db.url,
        &["generate", "--scale", "demo", "--seed", "7", "--inspections", "2025", "--inspections-only"],
    );
    assert!(!again.status.success(), "a body's programme of a year is loaded once");
}

#[tokio::test]
async fn sqlite_generates_the_same_organization_from_a_seed() {
    generates_the_same_organization_from_a_seed("sqlite").await;
}

#[tokio::test]
async fn postgres_generates_the_same_organization_from_a_seed() {
    generates_the_same_organization_from_a_seed("postgres").await;
}

/// The audit chain's signed head from the command line: printed for keeping elsewhere, checked
/// by `audit verify` (and against a kept head), and a cut tail caught.
async fn the_audit_head_from_the_command_line(backend: &str) {
    let db = TestDb::new(backend).await;
    let url = db.url.clone();
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_orgwork"))
            .args(args)
            .env("ORGWORK_DATABASE_URL", &url)
            .env("ORGWORK_AUDIT_KEY", "the tests' audit key")
            .env_remove("ORGWORK_PROFILE")
            .output()
            .expect("run orgwork")
    };
    for (code, kind, parent) in [
        ("qn", "provincial_committee", None),
        ("kcq", "bloc_committee", Some("qn")),
        ("dn", "bloc_committee", Some("qn")),
    ] {
        let mut args = vec!["unit", "create", code, "--name-vi", code, "--kind", kind, "--from", "2020-01-01"];
        if let Some(p) = parent {
            args.extend(["--parent", p]);
        }
        let out = run(&args);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let out = run(&["audit", "verify"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("up to the signed head (entry 3)"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let out = run(&["audit", "head"]);
    let head = String::from_utf8_lossy(&out.stdout).trim().to_string();
    assert!(head.starts_with("3:") && head.split(' ').nth(1).is_some_and(|m| m.len() == 64), "{head}");
    let kept = head.split(' ').next().unwrap().to_string();
    assert!(run(&["audit", "verify", "--head", &kept]).status.success());
    let wrong = format!("3:{}", "0".repeat(64));
    assert!(!run(&["audit", "verify", "--head", &wrong]).status.success(), "a kept head that does not fit");
    db.execute("DELETE FROM audit_log WHERE seq = 3").await;
    let out = run(&["audit", "verify"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("broken at entry 3") && err.contains("removed"), "{err}");
    // Without that key: PostgreSQL checks the chain alone and says so; SQLite takes the key
    // beside its file, which did not sign this head.
    let out = orgwork(&url, &["audit", "verify"]);
    let (text, err) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    if backend == "postgres" {
        assert!(out.status.success() && text.contains("not checked against a signed head"), "{text}");
    } else {
        assert!(!out.status.success() && err.contains("signature"), "{err}");
    }
}

#[tokio::test]
async fn sqlite_the_audit_head_from_the_command_line() {
    the_audit_head_from_the_command_line("sqlite").await;
}

#[tokio::test]
async fn postgres_the_audit_head_from_the_command_line() {
    the_audit_head_from_the_command_line("postgres").await;
}

/// `orgwork plan`: a programme imported from a file with Vietnamese headings, its lint, an
/// approval refused then given, progress, and where it stands, in the interface's JSON.
async fn a_work_programme_from_the_command_line(backend: &str) {
    let db = TestDb::new(backend).await;
    let url = db.url.clone();
    for (code, kind, parent) in [("QN", "provincial_committee", None), ("STC", "grassroots_committee", Some("QN"))] {
        let mut args = vec!["unit", "create", code, "--name-vi", code, "--kind", kind, "--from", "2020-01-01"];
        if let Some(p) = parent {
            args.extend(["--parent", p]);
        }
        assert!(orgwork(&url, &args).status.success());
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("plan.csv");
    std::fs::write(
        &file,
        "Mã,Nội dung,Đơn vị chủ trì,Loại chỉ tiêu,Đơn vị tính,Giá trị ban đầu,Mục tiêu,Thời hạn,Trọng số\n\
         1,Kết nạp 10 đảng viên,STC,count,đảng viên,0,10,31/12/2025,3\n\
         2,Tăng cường công tác kiểm tra,,,,,,,\n",
    )
    .unwrap();
    let path = file.to_str().unwrap();
    let p = ok_json(&url, &["plan", "import", path, "--unit", "STC", "--year", "2025", "--theme", "Đột phá", "--json"]);
    let id = p["id"].as_str().unwrap().to_string();
    let lint = ok_json(&url, &["plan", "lint", &id, "--json"]);
    let fields: Vec<(String, String)> = lint["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["item"].as_str().unwrap().into(), e["field"].as_str().unwrap().into()))
        .collect();
    assert_eq!(
        fields,
        [("2".into(), "responsible".into()), ("2".into(), "deadline".into()), ("2".into(), "indicator".into())]
    );
    assert_eq!(lint["warnings"][0]["field"], "title");
    let refused = orgwork(&url, &["plan", "approve", &id, "--decision", "01-QĐ", "--on", "2025-01-15"]);
    assert!(!refused.status.success() && String::from_utf8_lossy(&refused.stderr).contains("item 2, indicator"));
    let shown = ok_json(&url, &["plan", "show", &id, "--json"]);
    assert_eq!(shown["status"], "draft", "a refusal changes nothing");
    // The draft's items replaced by a countable one, then approved.
    std::fs::write(
        &file,
        "code,title,responsible,indicator,baseline,target,deadline\n1,Kết nạp 10 đảng viên,STC,count,0,10,2025-12-31\n",
    )
    .unwrap();
    ok_json(&url, &["plan", "import", path, "--unit", "STC", "--year", "2025", "--programme", &id, "--json"]);
    let out = orgwork(&url, &["plan", "approve", &id, "--decision", "01-QĐ", "--on", "2025-01-15"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let locked = orgwork(&url, &["plan", "import", path, "--unit", "STC", "--year", "2025", "--programme", &id]);
    assert!(!locked.status.success(), "an approved programme is locked");
    for (value, on) in [("4", "2025-03-31"), ("7", "2025-06-30")] {
        let out = orgwork(&url, &["plan", "progress", &id, "1", "--value", value, "--on", on, "--note", "quý"]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let june = ok_json(&url, &["plan", "show", &id, "--as-of", "2025-06-30", "--json"]);
    assert_eq!((june["status"].as_str(), june["completion"].as_f64()), (Some("approved"), Some(0.7)));
    assert_eq!(june["items"][0]["achievement"].as_f64(), Some(0.7));
    assert_eq!(june["items"][0]["reports"].as_array().map(Vec::len), Some(2));
    assert_eq!(june["items"][0]["reports"][1]["note"], "quý");
    let april = ok_json(&url, &["plan", "show", &id, "--as-of", "2025-04-01", "--json"]);
    assert_eq!(april["completion"].as_f64(), Some(0.4));
    let next_year = ok_json(&url, &["plan", "show", &id, "--as-of", "2026-01-01", "--json"]);
    assert_eq!(next_year["items"][0]["overdue"], true, "past its deadline, not done");
    // Amended on the record: the target raised, an item added, the history kept.
    let a = ok_json(
        &url,
        &["plan", "amend", &id, "1", "--target", "14", "--on", "2025-07-01", "--reason", "Nghị quyết 05", "--json"],
    );
    assert_eq!((a["before"]["target"].as_f64(), a["after"]["target"].as_f64()), (Some(10.0), Some(14.0)));
    let changes = r#"{"title": "Tổ chức 4 buổi sinh hoạt chuyên đề", "responsible": "STC", "indicator": "count",
        "baseline": 0, "target": 4, "deadline": "2025-12-31"}"#;
    ok_json(&url, &["plan", "amend", &id, "2", "--changes", changes, "--reason", "Việc mới", "--json"]);
    let vague = orgwork(&url, &["plan", "amend", &id, "1", "--changes", r#"{"target": null}"#, "--reason", "x"]);
    assert!(!vague.status.success() && String::from_utf8_lossy(&vague.stderr).contains("target"));
    let history = ok_json(&url, &["plan", "history", &id, "--json"]);
    assert_eq!(history.as_array().map(Vec::len), Some(2));
    let july = ok_json(&url, &["plan", "show", &id, "--as-of", "2025-07-01", "--json"]);
    assert_eq!(july["items"][0]["achievement"].as_f64(), Some(0.5), "7 of the amended 14");
    ok_json(&url, &["plan", "amend", &id, "2", "--withdraw", "--reason", "Gộp", "--json"]);
    let exported = dir.path().join("out.xlsx");
    let out = orgwork(&url, &["plan", "export", &id, "--out", exported.to_str().unwrap(), "--lang", "vi"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let back = orgwork_domain::plan::read_items(&orgwork_tabular::read(&std::fs::read(&exported).unwrap()).unwrap());
    assert_eq!(back.unwrap().len(), 1, "the export reads back");
    // Next year's draft: the same items, a year on, nothing reported.
    let copy = ok_json(&url, &["plan", "copy", &id, "--json"]);
    assert_eq!((copy["year"].as_i64(), copy["status"].as_str()), (Some(2026), Some("draft")));
    assert_eq!(copy["items"][0]["deadline"], "2026-12-31");
    let copy_id = copy["id"].as_str().unwrap().to_string();
    let fresh = ok_json(&url, &["plan", "show", &copy_id, "--as-of", "2026-06-30", "--json"]);
    assert_eq!(
        (fresh["completion"].as_f64(), fresh["items"][0]["reports"].as_array().map(Vec::len)),
        (Some(0.0), Some(0))
    );
    assert!(!orgwork(&url, &["plan", "copy", &id]).status.success(), "one programme per unit and year");
    assert!(orgwork(&url, &["plan", "close", &id, "--on", "2025-12-31"]).status.success());
    let closed = ok_json(&url, &["plan", "show", &id, "--json"]);
    assert_eq!(closed["status"], "closed");
    let refused = orgwork(&url, &["plan", "progress", &id, "1", "--value", "9", "--on", "2025-12-31"]);
    assert!(!refused.status.success(), "a closed programme takes no report");
    let rolled =
        ok_json(&url, &["plan", "completion", "--year", "2025", "--as-of", "2025-06-30", "--unit", "STC", "--json"]);
    assert_eq!(rolled[0]["completion"].as_f64(), Some(0.7), "closed programmes count in the roll-up");
}

#[tokio::test]
async fn sqlite_a_work_programme_from_the_command_line() {
    a_work_programme_from_the_command_line("sqlite").await;
}

#[tokio::test]
async fn postgres_a_work_programme_from_the_command_line() {
    a_work_programme_from_the_command_line("postgres").await;
}

async fn inspection_and_discipline_from_the_command_line(backend: &str) {
    let db = TestDb::new(backend).await;
    let url = db.url.clone();
    for (code, kind, parent) in [
        ("QN", "provincial_committee", None),
        ("KCQ", "bloc_committee", Some("QN")),
        ("STC", "grassroots_committee", Some("KCQ")),
        ("STC-C1", "subordinate_cell", Some("STC")),
        ("BAO", "grassroots_cell", Some("KCQ")),
    ] {
        let mut args = vec!["unit", "create", code, "--name-vi", code, "--kind", kind, "--from", "2020-01-01"];
        if let Some(p) = parent {
            args.extend(["--parent", p]);
        }
        assert!(orgwork(&url, &args).status.success());
    }
    for (name, role, unit) in [
        ("insp", "inspector", "KCQ"),
        ("head", "inspector", "KCQ"),
        ("sec", "organizer", "STC"),
        ("chk", "inspector", "KCQ"),
    ] {
        assert!(orgwork(&url, &["user", "add", name, "--role", role, "--unit", unit]).status.success());
    }
    let member = |unit: &str, name: &str, card: &str| {
        let args = [
            "member",
            "add",
            "--unit",
            unit,
            "--full-name",
            name,
            "--sex",
            "male",
            "--birth-date",
            "1980-01-01",
            "--admitted-on",
            "2021-01-01",
            "--card-number",
            card,
            "--json",
        ];
        ok_json(&url, &args)["id"].as_str().unwrap().to_string()
    };
    let own = member("STC-C1", "Lê Văn Hải", "11100001");
    let other = member("BAO", "Phạm Thị Thu", "11100002");
    assert!(orgwork(&url, &["user", "link", "insp", "--member", &own]).status.success());

    let p = ok_json(&url, &["inspection", "programme", "create", "--body", "KCQ", "--year", "2025", "--json"]);
    let p = p["id"].as_str().unwrap().to_string();
    let approve = ["inspection", "programme", "approve", &p, "--decision", "01-QĐ/UBKT", "--on", "2025-01-10"];
    assert!(orgwork(&url, &approve).status.success());
    let plan = |subject: &str, members: &[&str], extra: &[&str]| {
        let mut args = vec![
            "inspection",
            "plan",
            &p,
            "--type",
            "finance",
            "--subject",
            subject,
            "--topic",
            "Đảng phí",
            "--from",
            "2025-03-01",
            "--to",
            "2025-03-31",
            "--head",
            "head",
        ];
        for m in members {
            args.extend(["--member", m]);
        }
        args.extend(extra);
        args.push("--json");
        orgwork(&url, &args)
    };
    // An inspector on their own unit is refused, naming the member and the subject.
    let refused = plan("STC", &["insp"], &[]);
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(
        !refused.status.success() && err.contains("insp") && err.contains("Lê Văn Hải") && err.contains("STC"),
        "{err}"
    );
    let kept = plan("STC", &["insp"], &["--override-conflict", "the only accountant"]);
    assert!(kept.status.success(), "{}", String::from_utf8_lossy(&kept.stderr));
    let ins: Value = serde_json::from_slice(&kept.stdout).unwrap();
    assert_eq!(ins["conflicts"][0]["subject"], "STC");
    let id = ins["id"].as_str().unwrap().to_string();

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("findings.toml");
    std::fs::write(
        &file,
        "[[finding]]\nsubject = \"STC-C1\"\nkind = \"violation\"\nseverity = \"serious\"\nregulation = \"QĐ 22\"\n\
         text = \"Dues late\"\n\n[[recommendation]]\nfinding = 1\naddressee = \"STC-C1\"\ntext = \"Collect monthly\"\n\
         due = \"2025-05-31\"\nowner = \"sec\"\n",
    )
    .unwrap();
    let done = ok_json(
        &url,
        &["inspection", "conclude", &id, "--on", "2025-04-01", "--findings", file.to_str().unwrap(), "--json"],
    );
    assert_eq!(done["findings"].as_array().unwrap().len(), 1);
    let rec = done["recommendations"][0].as_str().unwrap().to_string();
    let overdue = ["recommendation", "list", "--body", "KCQ", "--overdue", "--as-of", "2025-06-15", "--json"];
    assert_eq!(ok_json(&url, &overdue)[0]["id"], rec.as_str());
    let report = ["recommendation", "done", &rec, "--on", "2025-05-20", "--evidence", "receipts", "--as", "sec"];
    assert!(orgwork(&url, &report).status.success());
    let by_owner = orgwork(&url, &["recommendation", "verify", &rec, "--on", "2025-05-21", "--as", "sec"]);
    assert!(!by_owner.status.success() && String::from_utf8_lossy(&by_owner.stderr).contains("owns"));
    assert!(orgwork(&url, &["recommendation", "verify", &rec, "--on", "2025-05-21", "--as", "chk"]).status.success());
    assert!(ok_json(&url, &overdue).as_array().unwrap().is_empty());

    let cov = ok_json(
        &url,
        &["inspection", "coverage", "--body", "KCQ", "--year", "2025", "--never-since", "2024", "--json"],
    );
    assert_eq!(cov["inspected"], serde_json::json!(["STC"]));
    assert_eq!(cov["supervised"], serde_json::json!([]));
    assert_eq!(cov["neither"], serde_json::json!(["KCQ", "BAO", "STC-C1"]));
    assert_eq!(cov["never_since"], serde_json::json!(["KCQ", "BAO", "STC-C1"]));

    // A warning raised to expulsion on appeal: the member leaves the counts from that day.
    let case = ok_json(
        &url,
        &[
            "discipline",
            "open",
            "--member",
            &other,
            "--measure",
            "warning",
            "--body",
            "BAO",
            "--on",
            "2025-07-01",
            "--json",
        ],
    );
    let case = case["id"].as_str().unwrap().to_string();
    assert!(
        orgwork(&url, &["discipline", "issue", &case, "--decision", "05-QĐ", "--on", "2025-07-02"]).status.success()
    );
    let appeal = ["discipline", "appeal", &case, "--on", "2025-08-01", "--outcome", "raise", "--measure", "expulsion"];
    assert!(orgwork(&url, &appeal).status.success());
    let stats = ok_json(&url, &["unit", "stats", "BAO", "--as-of", "2025-08-01", "--json"]);
    assert_eq!(stats["total"], 0);
    let stats = ok_json(&url, &["unit", "stats", "BAO", "--as-of", "2025-07-31", "--json"]);
    assert_eq!(stats["total"], 1);
    let shown = ok_json(&url, &["discipline", "show", &case, "--json"]);
    assert_eq!(shown["appeals"][0]["body"], "KCQ");
    assert_eq!(shown["measure_now"], "expulsion");
}

#[tokio::test]
async fn sqlite_inspection_and_discipline_from_the_command_line() {
    inspection_and_discipline_from_the_command_line("sqlite").await;
}

#[tokio::test]
async fn postgres_inspection_and_discipline_from_the_command_line() {
    inspection_and_discipline_from_the_command_line("postgres").await;
}

/// `orgwork congress apportion` and `count` as the checks drive them: from a file and from
/// the register as of a date, a tie reported with its seats left out of the allocations, a
/// count under each base, and bad input refused naming it.
async fn congresses_from_the_command_line(backend: &str) {
    let db = TestDb::new(backend).await;
    let url = db.url.clone();
    for (code, kind, parent) in [
        ("QN", "provincial_committee", None),
        ("KCQ", "bloc_committee", Some("QN")),
        ("DN", "bloc_committee", Some("QN")),
    ] {
        let mut args = vec!["unit", "create", code, "--name-vi", code, "--kind", kind, "--from", "2020-01-01"];
        if let Some(p) = parent {
            args.extend(["--parent", p]);
        }
        assert!(orgwork(&url, &args).status.success());
    }
    let dir = tempfile::tempdir().unwrap();
    let members = dir.path().join("members.csv");
    std::fs::write(&members, "full_name,sex,birth_date,admitted_on,unit\nAn,male,1980-01-01,2021-01-01,KCQ\nBình,female,1981-01-01,2021-01-01,DN\n").unwrap();
    let out = orgwork(&url, &["import", "members", members.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // From the register: one member each, three seats by D'Hondt: one seat is tied.
    let a = ok_json(
        &url,
        &[
            "congress",
            "apportion",
            "--seats",
            "3",
            "--method",
            "dhondt",
            "--unit",
            "QN",
            "--as-of",
            "2024-01-01",
            "--json",
        ],
    );
    assert_eq!(a["ties"], serde_json::json!([{"units": ["DN", "KCQ"], "seats": 1}]), "{a}");
    let seats: Vec<u64> = a["allocations"].as_array().unwrap().iter().map(|x| x["seats"].as_u64().unwrap()).collect();
    assert_eq!(seats, [1, 1]);
    // From a file (other columns ignored): Sainte-Laguë, no tie.
    let file = dir.path().join("units.csv");
    std::fs::write(&file, "unit,members,note\nA,47000,x\nB,16000,\nC,15800,\nD,12000,\nE,6100,\nF,3100,\n").unwrap();
    let f = file.to_str().unwrap();
    let a =
        ok_json(&url, &["congress", "apportion", "--seats", "10", "--method", "sainte-lague", "--input", f, "--json"]);
    assert_eq!((a["method"].as_str(), a["seats"].as_u64()), (Some("sainte-lague"), Some(10)));
    let got: Vec<(String, u64)> = a["allocations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| (x["unit"].as_str().unwrap().to_string(), x["seats"].as_u64().unwrap()))
        .collect();
    let want: Vec<(String, u64)> =
        [("A", 4), ("B", 2), ("C", 2), ("D", 1), ("E", 1), ("F", 0)].iter().map(|(u, s)| (u.to_string(), *s)).collect();
    assert_eq!(got, want);
    assert_eq!(a["ties"], serde_json::json!([]));
    let a = ok_json(
        &url,
        &["congress", "apportion", "--seats", "6", "--method", "huntington-hill", "--min", "1", "--input", f, "--json"],
    );
    assert!(a["allocations"].as_array().unwrap().iter().all(|x| x["seats"] == 1), "{a}");
    // Counting: a tie at the last seat elects none of the tied.
    let ballots = dir.path().join("ballots.csv");
    std::fs::write(&ballots, "An,Bình,Chi\n1,1,0\n1,0,1\n1,1,1\n1,1,0\n1,0,1\n0,1,1\n").unwrap();
    let b = ballots.to_str().unwrap();
    let t = ok_json(&url, &["congress", "count", "--seats", "2", "--base", "valid", "--ballots", b, "--json"]);
    assert_eq!((t["ballots"].as_u64(), t["valid"].as_u64(), t["invalid"].as_u64()), (Some(6), Some(5), Some(1)));
    assert_eq!((t["base"].as_str(), t["base_count"].as_u64()), (Some("valid"), Some(5)));
    assert_eq!(t["elected"], serde_json::json!(["An"]));
    assert_eq!(t["tied"], serde_json::json!(["Bình", "Chi"]));
    assert_eq!(t["unfilled"].as_u64(), Some(1));
    let names: Vec<&str> = t["candidates"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["An", "Bình", "Chi"]);
    let t = ok_json(
        &url,
        &["congress", "count", "--seats", "2", "--base", "convened", "--convened", "7", "--ballots", b, "--json"],
    );
    assert_eq!(
        (t["elected"].clone(), t["unfilled"].as_u64()),
        (serde_json::json!(["An"]), Some(1)),
        "4 of 7 pass, 3 of 7 do not: {t}"
    );
    for (args, what) in [
        (vec!["congress", "count", "--seats", "2", "--base", "convened", "--ballots", b], "convened"),
        (vec!["congress", "count", "--seats", "2", "--base", "present", "--present", "4", "--ballots", b], "ballots"),
        (vec!["congress", "apportion", "--seats", "1", "--method", "dhondt", "--min", "1", "--input", f], "seats"),
    ] {
        let out = orgwork(&url, &args);
        assert!(!out.status.success(), "{args:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(what),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // The term's congresses: the blocs first (KCQ a pilot), the province after them.
    let plan = |unit: &str, on: &str, extra: &[&str]| {
        let mut args = vec!["congress", "plan", "--term", "2025-2030", "--unit", unit, "--on", on, "--json"];
        args.extend(extra);
        ok_json(&url, &args)
    };
    let kcq = plan("KCQ", "2025-05-10", &["--pilot"]);
    assert_eq!((kcq["status"].as_str(), kcq["pilot"].as_bool()), (Some("planned"), Some(true)));
    let dn = plan("DN", "2025-05-10", &[]);
    let qn = plan("QN", "2025-05-12", &["--kind", "delegates", "--number", "16"]);
    assert_eq!((qn["kind"].as_str(), qn["number"].as_u64()), (Some("delegates"), Some(16)));
    let schedule = ["congress", "schedule", "--term", "2025-2030", "--unit", "QN", "--as-of", "2025-06-30", "--json"];
    let out = orgwork(&url, &schedule);
    assert_eq!(out.status.code(), Some(1), "a broken schedule exits with 1");
    let s: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rules: Vec<&str> = s["breaches"].as_array().unwrap().iter().map(|b| b["rule"].as_str().unwrap()).collect();
    assert_eq!(rules, ["pilot_not_first", "before_child", "before_child"], "{s}");
    let id = |c: &serde_json::Value| c["id"].as_str().unwrap().to_string();
    ok_json(&url, &["congress", "change", &id(&dn), "--on", "2025-05-20", "--json"]);
    ok_json(&url, &["congress", "change", &id(&qn), "--on", "2025-06-01", "--json"]);
    let s = ok_json(&url, &schedule);
    assert_eq!((s["passed"].as_bool(), s["breaches"].clone()), (Some(true), serde_json::json!([])));
    let held = ok_json(&url, &["congress", "hold", &id(&kcq), "--on", "2025-05-11", "--json"]);
    assert_eq!((held["status"].as_str(), held["held_on"].as_str()), (Some("held"), Some("2025-05-11")));
    let out = orgwork(&url, &["congress", "hold", &id(&kcq), "--on", "2025-05-12"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("planned"), "{}", String::from_utf8_lossy(&out.stderr));
    // The province's delegates on the record: the same tie, decided with its reason.
    let rec = ["congress", "apportionment", &id(&qn), "--method", "dhondt", "--seats", "3", "--as-of", "2024-01-01"];
    let a = ok_json(&url, &[&rec[..], &["--json"]].concat());
    assert_eq!((a["open_seats"].as_u64(), a["apportionment"]["ties"][0]["seats"].as_u64()), (Some(1), Some(1)), "{a}");
    let out = orgwork(&url, &["congress", "decide", &id(&qn), "--tie", "1", "--unit", "QN", "--reason", "x"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("does not contend"), "{out:?}");
    let reason = "Bốc thăm trước Ban Thường vụ";
    let a =
        ok_json(&url, &["congress", "decide", &id(&qn), "--tie", "1", "--unit", "KCQ", "--reason", reason, "--json"]);
    let shares: Vec<u64> = a["shares"].as_array().unwrap().iter().map(|x| x["seats"].as_u64().unwrap()).collect();
    assert_eq!((shares, a["decisions"][0]["reason"].as_str()), (vec![1, 2], Some(reason)), "{a}");
    assert_eq!(ok_json(&url, &["congress", "apportionment", &id(&qn), "--json"]), a);
    let cancelled = ok_json(&url, &["congress", "cancel", &id(&qn), "--reason", "Hợp nhất", "--json"]);
    assert_eq!(cancelled["status"].as_str(), Some("cancelled"));
    let delegates = dir.path().join("delegates.csv");
    std::fs::write(
        &delegates,
        "name,kind,unit,attendance,replaces\nAn,elected,KCQ,present,\nBình,elected,KCQ,absent,\nChi,ex_officio,,present,\nDũng,substitute,KCQ,present,2\n",
    )
    .unwrap();
    let d = delegates.to_str().unwrap();
    let list = ok_json(&url, &["congress", "delegates", &id(&kcq), "--input", d, "--json"]);
    let c = &list["credentials"];
    assert_eq!(
        (c["summoned"].as_u64(), c["convened"].as_u64(), c["present"].as_u64()),
        (Some(3), Some(3), Some(3)),
        "{list}"
    );
    assert_eq!(ok_json(&url, &["congress", "delegates", &id(&kcq), "--json"]), list);
    // The count takes the delegates convened and present from the record: 3, so 2 votes pass.
    let three = dir.path().join("three.csv");
    std::fs::write(&three, "An,Bình,Chi\n1,1,0\n1,0,0\n0,1,1\n").unwrap();
    let f3 = three.to_str().unwrap();
    let t = ok_json(
        &url,
        &[
            "congress",
            "count",
            "--seats",
            "2",
            "--congress",
            &id(&kcq),
            "--base",
            "convened",
            "--ballots",
            f3,
            "--json",
        ],
    );
    assert_eq!(t["elected"], serde_json::json!(["An", "Bình"]), "{t}");
    assert_eq!((t["base_count"].as_u64(), t["threshold"].as_u64()), (Some(3), Some(2)), "{t}");
    // An election at the congress: two seats, the committee's two and one from the floor with
    // 2 of the 3 present.
    let e = ok_json(&url, &["congress", "election", &id(&kcq), "--title", "Ban Chấp hành", "--seats", "2", "--json"]);
    let list = dir.path().join("candidates.csv");
    std::fs::write(
        &list,
        "name,nomination,support,withdrawn\nAn,list,,\nBình,list,,yes\nChi,floor,2,\nDũng,floor,0,\n",
    )
    .unwrap();
    let e = ok_json(&url, &["congress", "candidates", &id(&e), "--input", list.to_str().unwrap(), "--json"]);
    assert_eq!(e["review"]["ballot"], serde_json::json!(["An", "Chi"]), "{e}");
    assert_eq!(e["review"]["check"]["ok"], serde_json::json!(false), "2 for 2 seats is not more: {e}");
    let all = ok_json(&url, &["congress", "elections", &id(&kcq), "--json"]);
    assert_eq!(all.as_array().map(Vec::len), Some(1));
    // A list outside the surplus rule does not go to the vote.
    let out = orgwork(&url, &["congress", "open-round", &id(&e)]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("the rule asks for 3 to 3"), "{out:?}");
    // The inspection committee, 1 seat, An and Bình. Round one by ballots: one each, and a
    // ballot keeping both is invalid; on the 3 convened nobody passes, so round two opens.
    let k = ok_json(&url, &["congress", "election", &id(&kcq), "--title", "Ủy ban Kiểm tra", "--seats", "1", "--json"]);
    std::fs::write(&list, "name\nAn\nBình\n").unwrap();
    ok_json(&url, &["congress", "candidates", &id(&k), "--input", list.to_str().unwrap(), "--json"]);
    let r = ok_json(&url, &["congress", "open-round", &id(&k), "--json"]);
    assert_eq!(r[0]["candidates"], serde_json::json!(["An", "Bình"]), "{r}");
    std::fs::write(&three, "Bình,An\n1,0\n0,1\n1,1\n").unwrap();
    let r = ok_json(&url, &["congress", "enter", &id(&k), "--ballots", f3, "--json"]);
    assert_eq!(r[0]["ballots"].as_u64(), Some(3), "{r}");
    let rounds = ok_json(&url, &["congress", "count-round", &id(&k), "--issued", "3", "--json"]);
    let t = &rounds[0]["result"];
    assert_eq!(
        (t["valid"].as_u64(), t["invalid"].as_u64(), t["unfilled"].as_u64()),
        (Some(2), Some(1), Some(1)),
        "{t}"
    );
    assert_eq!(rounds[1]["candidates"], serde_json::json!(["An", "Bình"]), "{rounds}");
    // Round two by tallies: An 2 of the 3 convened.
    let tally = dir.path().join("tally.csv");
    std::fs::write(&tally, "candidate,votes\nBình,1\nAn,2\n").unwrap();
    let tf = tally.to_str().unwrap();
    let out = orgwork(&url, &["congress", "enter", &id(&k), "--tally", tf]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("--cast"), "{out:?}");
    ok_json(&url, &["congress", "enter", &id(&k), "--tally", tf, "--cast", "3", "--valid", "3", "--json"]);
    let rounds = ok_json(&url, &["congress", "count-round", &id(&k), "--json"]);
    assert_eq!(rounds.as_array().map(Vec::len), Some(2), "{rounds}");
    assert_eq!(rounds[1]["result"]["elected"], serde_json::json!(["An"]), "{rounds}");
    assert_eq!(ok_json(&url, &["congress", "rounds", &id(&k), "--json"]), rounds);
    let p = ok_json(&url, &["congress", "publish", &id(&k), "--json"]);
    assert!(p["published_at"].is_string(), "{p}");
    std::fs::write(&delegates, "name,kind,unit\nAn,elected,DN\n").unwrap();
    let out = orgwork(&url, &["congress", "delegates", &id(&kcq), "--input", d]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("not under KCQ"), "{}", String::from_utf8_lossy(&out.stderr));
    let terms = ok_json(&url, &["congress", "terms", "--json"]);
    assert_eq!(terms, serde_json::json!([{"code": "2025-2030", "from": 2025, "to": 2030, "congresses": 3}]));
}

#[tokio::test]
async fn sqlite_congresses_from_the_command_line() {
    congresses_from_the_command_line("sqlite").await;
}

#[tokio::test]
async fn postgres_congresses_from_the_command_line() {
    congresses_from_the_command_line("postgres").await;
}
