/*
 * The periodic passes of the cores, each a scheduler_task whose ctx is the
 * service it runs over. A pass that fails says so on stderr and is tried again
 * at its next interval; one that did something says what.
 */
#ifndef WL_SCHEDULER_PASSES_H
#define WL_SCHEDULER_PASSES_H

/* ctx: members_service. Renews subscriptions that fell due, expires the unpaid. */
void scheduler_pass_subscriptions(void *ctx);

/* ctx: members_service. Removes expired sessions. */
void scheduler_pass_sessions(void *ctx);

/* ctx: members_service. Settles points orders and refunds the provider left in doubt. */
void scheduler_pass_orders(void *ctx);

/* ctx: earnings_service. Settles the months that ended (subscription pool shares). */
void scheduler_pass_earnings(void *ctx);

/* ctx: books_service. Publishes the scheduled episodes that are due. */
void scheduler_pass_episodes(void *ctx);

/* ctx: books_service. Makes the PNG renditions of covers stored before them. */
void scheduler_pass_covers(void *ctx);

#endif
