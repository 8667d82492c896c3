/* The web client and OpenAPI document, embedded at build time (cmake/embed_web.cmake). */
#ifndef WL_APP_WEB_ASSETS_H
#define WL_APP_WEB_ASSETS_H

#include "adapters/http/http_server.h"

extern const http_asset wl_web_assets[];

#endif
