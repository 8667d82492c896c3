/* Files of web/ (and the OpenAPI document) embedded at build time. */
#ifndef WL_APP_WEB_ASSETS_H
#define WL_APP_WEB_ASSETS_H

#include <stddef.h>

typedef struct web_asset {
	const char *path; /* URL path, e.g. "/index.html" */
	const char *content_type;
	const char *etag; /* strong, quoted */
	const unsigned char *data;
	size_t len;
} web_asset;

/* Terminated by an entry whose path is NULL. */
extern const web_asset wl_web_assets[];

#endif
