/* The schema migrations, in order; migration i brings user_version to i + 1. */
#ifndef WL_SQLITE_SCHEMA_H
#define WL_SQLITE_SCHEMA_H

#include <stddef.h>

extern const char *const sqlite_schema[];
extern const size_t sqlite_schema_count;

/* The version from which every book is a work of episodes (before it: one text per book). */
#define SQLITE_SCHEMA_SERIAL 8

#endif
