/*
 * The image adapter: the image inspector and the image scaler ports over
 * libpng, libjpeg-turbo and cairo. PNG and JPEG are decoded completely, row
 * by row, under the caller's limits and a fixed decoder memory budget
 * (64 MiB); a progressive JPEG of more than 500 scans is refused. Every
 * libpng/libjpeg warning about corrupt or truncated data is an error.
 *
 * Both ports are stateless (self is NULL) and safe to call from any number
 * of threads at once.
 */
#ifndef WL_ADAPTER_IMAGE_CODEC_H
#define WL_ADAPTER_IMAGE_CODEC_H

#include "ports/image_inspector.h"
#include "ports/image_scaler.h"

image_inspector image_codec_inspector(void);
image_scaler image_codec_scaler(void);

#endif
