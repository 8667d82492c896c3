/* Repository constructors of the SQLite adapter; self is the sqlite_db. */
#ifndef WL_SQLITE_REPOS_H
#define WL_SQLITE_REPOS_H

#include "adapters/sqlite/sqlite_db.h"
#include "ports/account_token_repo.h"
#include "ports/aigen_job_repo.h"
#include "ports/author_application_repo.h"
#include "ports/book_change_repo.h"
#include "ports/book_repo.h"
#include "ports/comment_repo.h"
#include "ports/earnings_repo.h"
#include "ports/episode_repo.h"
#include "ports/follow_repo.h"
#include "ports/notification_repo.h"
#include "ports/opds_token_repo.h"
#include "ports/review_repo.h"
#include "ports/idempotency_repo.h"
#include "ports/ledger_repo.h"
#include "ports/mail_repo.h"
#include "ports/manuscript_repo.h"
#include "ports/member_repo.h"
#include "ports/order_repo.h"
#include "ports/outbox.h"
#include "ports/reading_repo.h"
#include "ports/session_repo.h"
#include "ports/subscription_repo.h"

member_repo sqlite_member_repo(sqlite_db *db);
session_repo sqlite_session_repo(sqlite_db *db);
ledger_repo sqlite_ledger_repo(sqlite_db *db);
subscription_repo sqlite_subscription_repo(sqlite_db *db);
idempotency_repo sqlite_idempotency_repo(sqlite_db *db);
outbox_port sqlite_outbox(sqlite_db *db);
book_repo sqlite_book_repo(sqlite_db *db);
episode_repo sqlite_episode_repo(sqlite_db *db);
reading_repo sqlite_reading_repo(sqlite_db *db);
book_change_repo sqlite_book_change_repo(sqlite_db *db);
author_application_repo sqlite_author_application_repo(sqlite_db *db);
manuscript_repo sqlite_manuscript_repo(sqlite_db *db);
aigen_job_repo sqlite_aigen_job_repo(sqlite_db *db);
order_repo sqlite_order_repo(sqlite_db *db);
earnings_repo sqlite_earnings_repo(sqlite_db *db);
mail_repo sqlite_mail_repo(sqlite_db *db);
account_token_repo sqlite_account_token_repo(sqlite_db *db);
follow_repo sqlite_follow_repo(sqlite_db *db);
notification_repo sqlite_notification_repo(sqlite_db *db);
review_repo sqlite_review_repo(sqlite_db *db);
comment_repo sqlite_comment_repo(sqlite_db *db);
opds_token_repo sqlite_opds_token_repo(sqlite_db *db);

#endif
