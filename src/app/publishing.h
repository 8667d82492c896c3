/*
 * The aigen core's publishing port, implemented with the manuscripts,
 * authors, members and books cores.
 */
#ifndef WL_APP_PUBLISHING_H
#define WL_APP_PUBLISHING_H

#include "domain/authors/authors.h"
#include "domain/books/books.h"
#include "domain/books/manuscripts.h"
#include "domain/members/members.h"
#include "ports/publishing.h"

/* The cores the port calls; every one must outlive the port. */
typedef struct app_publishing {
	manuscripts_service *manuscripts;
	authors_service *authors;
	members_service *members; /* the name when an author has no profile */
	books_service *books;
} app_publishing;

publishing_port app_publishing_port(app_publishing *p);

#endif
