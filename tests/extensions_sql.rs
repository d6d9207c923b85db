//! The SQL side of the Extensions tab against a real PostgreSQL (the cluster `scripts/test`
//! starts): the allowed list, enable and disable observed in `pg_extension`, PostgreSQL's
//! refusals shown in its words, and promise P7 (only allowed names are sent, always quoted).

mod support;

use dbdeck::sql::{self, Change, SqlError, SqlTarget, UrlOrigin, ident::quote_ident};
use support::pg::{Pg, pg};

const HOSTILE_ALLOWED: &str = "x\"; DROP TABLE victim; --";

fn target(pg: &Pg, db: &str) -> SqlTarget {
    SqlTarget::parse(&pg.secret_url(db, "sslmode=require"), UrlOrigin::Env).unwrap()
}

fn postgres_error(result: Result<sql::Listing, SqlError>) -> sql::PgMessage {
    match result {
        Err(SqlError::Postgres(message)) => message,
        other => panic!("expected PostgreSQL's refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn lists_the_allowed_list_with_states_and_versions() {
    let Some(pg) = pg() else { return };
    let db = pg.scratch_db("list").await;
    let listing = sql::list_extensions(&target(&pg, &db)).await.unwrap();
    assert!(listing.restricted && listing.encrypted);
    assert_eq!(listing.endpoint.to_string(), format!("127.0.0.1:{}/{db}", pg.port));
    let names: Vec<&str> = listing.extensions.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "citext",
            "hstore",
            "not_installed_here",
            "pg_stat_statements",
            "pg_trgm",
            "plpgsql",
            "uuid-ossp",
            HOSTILE_ALLOWED
        ]
    );
    let find = |name: &str| listing.extensions.iter().find(|e| e.name == name).unwrap();
    let admin = pg.admin(&db).await;
    let row = admin
        .query_one("SELECT default_version, comment FROM pg_available_extensions WHERE name = 'hstore'", &[])
        .await
        .unwrap();
    let hstore = find("hstore");
    assert_eq!(hstore.default_version.as_deref(), Some(row.get::<_, &str>(0)));
    assert_eq!(hstore.comment.as_deref(), Some(row.get::<_, &str>(1)));
    assert!(hstore.allowed && !hstore.enabled());
    // Enabled but outside the allowed list: shown, never offered.
    let plpgsql = find("plpgsql");
    assert!(plpgsql.enabled() && !plpgsql.allowed);
    // In the list but not on this server.
    assert!(!find("not_installed_here").available() && find("not_installed_here").allowed);
}

#[tokio::test]
async fn enable_then_disable_shows_in_pg_extension() {
    let Some(pg) = pg() else { return };
    let db = pg.scratch_db("enable").await;
    let target = target(&pg, &db);
    let listing = sql::change_extension(&target, "hstore", Change::Enable).await.unwrap();
    let hstore = listing.extensions.iter().find(|e| e.name == "hstore").unwrap();
    assert!(hstore.enabled(), "the answer is the fresh list");
    let version = hstore.installed_version.clone().unwrap();
    assert!(pg.enabled(&db).await.contains(&format!("hstore={version}")));
    // Again: IF NOT EXISTS makes it a no-op, not an error.
    sql::change_extension(&target, "hstore", Change::Enable).await.unwrap();
    // A name that needs quoting.
    sql::change_extension(&target, "uuid-ossp", Change::Enable).await.unwrap();
    assert!(pg.enabled(&db).await.iter().any(|e| e.starts_with("uuid-ossp=")));

    let listing = sql::change_extension(&target, "hstore", Change::Disable).await.unwrap();
    assert!(!listing.extensions.iter().find(|e| e.name == "hstore").unwrap().enabled());
    assert!(!pg.enabled(&db).await.iter().any(|e| e.starts_with("hstore=")));
}

#[tokio::test]
async fn a_dependent_object_blocks_disable_and_nothing_changes() {
    let Some(pg) = pg() else { return };
    let db = pg.scratch_db("depend").await;
    let target = target(&pg, &db);
    sql::change_extension(&target, "hstore", Change::Enable).await.unwrap();
    pg.psql(&db, "CREATE TABLE settings (h hstore); INSERT INTO settings VALUES ('a=>1')");
    let before = pg.enabled(&db).await;

    let refused = postgres_error(sql::change_extension(&target, "hstore", Change::Disable).await);
    assert_eq!(refused.code, "2BP01");
    let text = refused.to_string();
    assert!(text.contains("cannot drop extension hstore because other objects depend on it"), "{text}");
    assert!(text.contains("column h of table settings depends on type hstore"), "{text}");
    assert!(text.contains("never drops with CASCADE"), "{text}");
    assert_eq!(pg.enabled(&db).await, before);
    assert_eq!(pg.psql(&db, "SELECT h -> 'a' FROM settings"), "1", "the data is untouched");
}

#[tokio::test]
async fn a_superuser_only_extension_reports_postgresqls_error() {
    let Some(pg) = pg() else { return };
    let db = pg.scratch_db("superuser").await;
    let refused =
        postgres_error(sql::change_extension(&target(&pg, &db), "pg_stat_statements", Change::Enable).await);
    assert_eq!(refused.code, "42501");
    assert_eq!(
        refused.to_string(),
        "permission denied to create extension \"pg_stat_statements\". Must be superuser to create this extension."
    );
    assert!(!pg.enabled(&db).await.iter().any(|e| e.starts_with("pg_stat_statements")));
}

#[tokio::test]
async fn names_outside_the_allowed_list_are_never_sent() {
    let Some(pg) = pg() else { return };
    let db = pg.scratch_db("outside").await;
    let target = target(&pg, &db);
    // Available on the server but not allowed; enabled but not allowed; not a name at all.
    for (name, change) in [
        ("tablefunc", Change::Enable),
        ("plpgsql", Change::Disable),
        ("hstore; DROP TABLE victim", Change::Enable),
    ] {
        let result = sql::change_extension(&target, name, change).await;
        assert_eq!(result.unwrap_err(), SqlError::NotAllowed(name.into()));
    }
    let log = pg.server_log();
    assert!(log.contains(&db) || log.contains("pg_settings"), "the log records statements");
    for sent in ["EXTENSION IF NOT EXISTS \"tablefunc\"", "\"plpgsql\"", "DROP TABLE victim\""] {
        assert!(!log.contains(sent), "{sent} reached the server");
    }
    assert!(!pg.enabled(&db).await.iter().any(|e| e.starts_with("tablefunc")));
    assert!(pg.enabled(&db).await.iter().any(|e| e.starts_with("plpgsql")));
}

#[tokio::test]
async fn a_hostile_allowed_name_stays_one_identifier() {
    let Some(pg) = pg() else { return };
    let db = pg.scratch_db("hostile").await;
    pg.psql(&db, "CREATE TABLE victim (id int)");
    let refused =
        postgres_error(sql::change_extension(&target(&pg, &db), HOSTILE_ALLOWED, Change::Enable).await);
    // PostgreSQL read the whole thing as one extension name, and refused it as a name.
    assert!(refused.message.contains("invalid extension name"), "{refused}");
    assert_eq!(pg.psql(&db, "SELECT count(*) FROM victim"), "0", "the table is still there");
    let log = pg.server_log();
    assert!(log.contains("CREATE EXTENSION IF NOT EXISTS \"x\"\"; DROP TABLE victim; --\""), "sent quoted");
}

/// P12: whatever the name, the quoted form is one identifier that PostgreSQL reads back as the
/// same name (the column name of `SELECT 1 AS <quoted>`, prepared: one statement only).
#[tokio::test]
async fn the_quoter_against_postgresql() {
    let Some(pg) = pg() else { return };
    let client = sql::connect(&target(&pg, &pg.user)).await.unwrap();
    let mut names: Vec<String> = [
        "\"; DROP TABLE x; --",
        "a\"b",
        "\"\"",
        "'",
        "\\",
        "$$",
        "x; SELECT 1",
        "uuid-ossp",
        "Ünïcode ☃",
        "--",
        "/*",
        "\u{feff}",
        &"y".repeat(63),
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    // And a deterministic spread of generated ones: every printable ASCII character in turn,
    // mixed with quotes.
    for i in 0..200u32 {
        let c = char::from_u32(0x21 + i % 94).unwrap();
        names.push(format!("{c}\"{c};{}", "\"".repeat((i % 4) as usize)));
    }
    for name in names {
        let quoted = quote_ident(&name).unwrap();
        let statement = client.prepare(&format!("SELECT 1 AS {quoted}")).await.unwrap();
        assert_eq!(statement.columns().len(), 1);
        assert_eq!(statement.columns()[0].name(), name);
    }
    assert!(quote_ident(&"z".repeat(64)).is_err(), "PostgreSQL would truncate it");
}
