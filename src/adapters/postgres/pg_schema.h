/* The PostgreSQL schema: migrations in order, recorded in schema_version. */
#ifndef WL_PG_SCHEMA_H
#define WL_PG_SCHEMA_H

#include <stddef.h>

extern const char *const pg_schema[];
extern const size_t pg_schema_count;

#endif
