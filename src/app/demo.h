/* --demo: a living site on an empty database. */
#ifndef WL_APP_DEMO_H
#define WL_APP_DEMO_H

#include <stdio.h>

#include "app/app.h"

/*
 * Seeds an admin, an approved author, a reader with points and a handful of
 * Korean books (submitted manuscripts the AI pipeline publishes), then prints
 * the logins to out. Does nothing (returns 0) when the database already has
 * members.
 */
int app_demo_seed(app *a, FILE *out, app_err *err);

/* An episode of the demo serial: its title and its paragraphs (NULL-terminated). */
typedef struct app_demo_episode {
	const char *title;
	const char *const *paragraphs;
} app_demo_episode;

extern const app_demo_episode app_demo_serial[];
extern const size_t app_demo_serial_count;

#endif
