/* Repository constructors of the PostgreSQL adapter; self is the pg_db. */
#ifndef WL_PG_REPOS_H
#define WL_PG_REPOS_H

#include "adapters/postgres/pg_db.h"
#include "ports/account_token_repo.h"
#include "ports/aigen_job_repo.h"
#include "ports/author_application_repo.h"
#include "ports/book_change_repo.h"
#include "ports/book_repo.h"
#include "ports/comment_repo.h"
#include "ports/earnings_repo.h"
#include "ports/episode_repo.h"
#include "ports/idempotency_repo.h"
#include "ports/ledger_repo.h"
#include "ports/manuscript_repo.h"
#include "ports/member_repo.h"
#include "ports/opds_token_repo.h"
#include "ports/order_repo.h"
#include "ports/outbox.h"
#include "ports/reading_repo.h"
#include "ports/session_repo.h"
#include "ports/subscription_repo.h"

member_repo pg_member_repo(pg_db *db);
session_repo pg_session_repo(pg_db *db);
ledger_repo pg_ledger_repo(pg_db *db);
subscription_repo pg_subscription_repo(pg_db *db);
idempotency_repo pg_idempotency_repo(pg_db *db);
outbox_port pg_outbox(pg_db *db);
book_repo pg_book_repo(pg_db *db);
episode_repo pg_episode_repo(pg_db *db);
reading_repo pg_reading_repo(pg_db *db);
book_change_repo pg_book_change_repo(pg_db *db);
order_repo pg_order_repo(pg_db *db);
earnings_repo pg_earnings_repo(pg_db *db);
author_application_repo pg_author_application_repo(pg_db *db);
opds_token_repo pg_opds_token_repo(pg_db *db);
manuscript_repo pg_manuscript_repo(pg_db *db);
comment_repo pg_comment_repo(pg_db *db);
aigen_job_repo pg_aigen_job_repo(pg_db *db);
account_token_repo pg_account_token_repo(pg_db *db);

#endif
