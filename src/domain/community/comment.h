/* Comments on episodes, replies one level deep, and their likes (the community core). */
#ifndef WL_DOMAIN_COMMENT_H
#define WL_DOMAIN_COMMENT_H

#include <stdint.h>

#define COMMENT_TEXT_MAX  1000 /* characters */
#define COMMENT_PAGE_MAX  50
#define COMMENT_NAME_SIZE 201

typedef struct comment {
	int64_t id, book_id, number; /* the episode: the work and its number */
	int64_t parent_id;	     /* 0: a comment; else the comment this replies to */
	int64_t member_id;
	char member_name[COMMENT_NAME_SIZE];
	char text[COMMENT_TEXT_MAX * 4 + 1]; /* "" once deleted */
	int spoiler;			     /* the text stays covered until the reader asks */
	int64_t likes, replies;		     /* replies: visible ones, for a comment */
	int64_t created_at, updated_at;
	int hidden;  /* by the work's author or an admin */
	int deleted; /* by its writer; kept (textless) while it has replies */
	int liked;   /* by the member who asked (comment_query.viewer) */
} comment;

typedef enum { COMMENT_SORT_NEW = 0, COMMENT_SORT_BEST = 1 } comment_sort;

/*
 * A page of comments of one episode (parent_id 0) or the replies to one
 * comment (parent_id), after a cursor: for COMMENT_SORT_NEW comments the id
 * before which to go on (newest first; 0 from the start); for
 * COMMENT_SORT_BEST likes first then newest, the (likes, id) pair of the
 * last one seen (before_id 0 from the start). Replies come oldest first
 * after after_id. Hidden ones only with with_hidden; deleted ones only as
 * a comment that still has visible replies.
 */
typedef struct comment_query {
	int64_t book_id, number, parent_id;
	comment_sort sort;
	int64_t before_likes, before_id, after_id;
	int with_hidden;
	int64_t viewer; /* whose likes fill comment.liked; 0 none */
} comment_query;

#endif
