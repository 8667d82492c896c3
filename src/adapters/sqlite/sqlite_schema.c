#include "adapters/sqlite/sqlite_schema.h"

/*
 * Never edit a migration that has shipped: add a new one at the end.
 * Modules own their tables; no foreign key crosses a module boundary
 * except to members(id), the identity every module refers to.
 */
const char *const sqlite_schema[] = {
	/* 1: members, sessions, wallet ledger, subscriptions, idempotency, outbox */
	"CREATE TABLE members ("
	"  id INTEGER PRIMARY KEY,"
	"  email TEXT NOT NULL UNIQUE COLLATE NOCASE,"
	"  name TEXT NOT NULL,"
	"  password_hash TEXT NOT NULL,"
	"  roles INTEGER NOT NULL,"
	"  points INTEGER NOT NULL DEFAULT 0 CHECK (points >= 0),"
	"  created_at INTEGER NOT NULL);"
	"CREATE TABLE sessions ("
	"  digest TEXT PRIMARY KEY,"
	"  member_id INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,"
	"  created_at INTEGER NOT NULL,"
	"  expires_at INTEGER NOT NULL) WITHOUT ROWID;"
	"CREATE INDEX sessions_expiry ON sessions(expires_at);"
	"CREATE TABLE ledger ("
	"  id INTEGER PRIMARY KEY,"
	"  member_id INTEGER NOT NULL REFERENCES members(id),"
	"  kind TEXT NOT NULL CHECK (kind IN ('charge','purchase','subscription')),"
	"  amount INTEGER NOT NULL,"
	"  balance_after INTEGER NOT NULL CHECK (balance_after >= 0),"
	"  book_id INTEGER,"
	"  created_at INTEGER NOT NULL);"
	"CREATE INDEX ledger_member ON ledger(member_id, id);"
	"CREATE TABLE subscriptions ("
	"  member_id INTEGER PRIMARY KEY REFERENCES members(id),"
	"  started_at INTEGER NOT NULL,"
	"  expires_at INTEGER NOT NULL,"
	"  auto_renew INTEGER NOT NULL,"
	"  expired INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX subscriptions_due ON subscriptions(expired, expires_at);"
	"CREATE TABLE idempotency ("
	"  member_id INTEGER NOT NULL,"
	"  scope TEXT NOT NULL,"
	"  key TEXT NOT NULL,"
	"  result_id INTEGER NOT NULL,"
	"  created_at INTEGER NOT NULL,"
	"  PRIMARY KEY (member_id, scope, key)) WITHOUT ROWID;"
	"CREATE TABLE outbox ("
	"  id INTEGER PRIMARY KEY,"
	"  type TEXT NOT NULL,"
	"  payload TEXT NOT NULL,"
	"  created_at INTEGER NOT NULL);"
	"CREATE INDEX outbox_type ON outbox(type, id);"
	"CREATE TABLE outbox_delivery ("
	"  subscriber TEXT NOT NULL,"
	"  event_id INTEGER NOT NULL REFERENCES outbox(id),"
	"  delivered_at INTEGER,"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  last_error TEXT,"
	"  PRIMARY KEY (subscriber, event_id)) WITHOUT ROWID;",
};

const size_t sqlite_schema_count = sizeof(sqlite_schema) / sizeof(sqlite_schema[0]);
