/* Reviews of works and reports of what members wrote (the community core). */
#ifndef WL_DOMAIN_REVIEW_H
#define WL_DOMAIN_REVIEW_H

#include <stdint.h>

#define REVIEW_TEXT_MAX	  2000 /* characters */
#define REPORT_REASON_MAX 500  /* characters */

typedef struct review {
	int64_t id, book_id, member_id;
	char member_name[201];
	int rating; /* 1..5 */
	char text[REVIEW_TEXT_MAX * 4 + 1];
	int64_t created_at, updated_at;
	int hidden; /* by an admin: out of the list and the average */
} review;

typedef enum { REPORT_COMMENT = 1, REPORT_REVIEW = 2 } report_kind;

typedef struct report {
	int64_t id;
	report_kind kind;
	int64_t target_id, reporter_id, book_id; /* book_id: the target's work */
	int64_t episode;			 /* a comment's episode number; 0 for a review */
	char reason[REPORT_REASON_MAX * 4 + 1];
	char excerpt[601]; /* the reported text's opening */
	int64_t created_at;
} report;

const char *report_kind_name(report_kind k);

#endif
