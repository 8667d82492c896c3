/*
 * The offline generator on arbitrary bytes: the manuscript text is outside
 * input (an author's), and so are the title and pen name. The first two
 * bytes give the title and pen-name lengths; the rest is the text. Whatever
 * comes in, generation must not crash, leak or read out of bounds, every
 * string it returns must be valid UTF-8, and the aigen core must accept the
 * whole draft: the offline generator is the fallback that cannot fail.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/llm_offline/llm_offline.h"
#include "domain/aigen/aigen.h"
#include "domain/aigen/vocab.h"
#include "domain/common/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *take(const uint8_t **p, size_t *left, size_t want)
{
	char *s;

	if (want > *left)
		want = *left;
	s = malloc(want + 1);
	if (!s)
		abort();
	memcpy(s, *p, want);
	s[want] = '\0';
	*p += want;
	*left -= want;
	return s;
}

static void check_utf8(const char *s)
{
	if (s && !text_utf8_valid(s, strlen(s)))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	text_generator g = offline_text_generator_new();
	aigen_text_request req;
	aigen_draft d;
	app_err err;
	size_t tl, pl;
	char *title, *pen, *content;

	if (size < 2)
		return 0;
	tl = data[0] % 64;
	pl = data[1] % 32;
	data += 2;
	size -= 2;
	title = take(&data, &size, tl);
	pen = take(&data, &size, pl);
	content = take(&data, &size, size);

	memset(&req, 0, sizeof(req));
	req.title = title;
	req.pen_name = pen;
	req.content = content;
	req.content_len = strlen(content);
	req.price_min = 1000;
	req.price_max = 50000;
	memset(&d, 0, sizeof(d));
	app_err_clear(&err);
	if (text_generator_generate(&d, &g, &req, &err) == 0) {
		check_utf8(d.summary);
		check_utf8(d.tagline);
		check_utf8(d.price_reason);
		check_utf8(d.cover_prompt);
		if (d.has_price && (d.price < req.price_min || d.price > req.price_max))
			abort();
		if (!aigen_genre_find(d.genre) || !aigen_price_basis_valid(&d.price_basis))
			abort();
		for (int i = 0; i < d.nmotifs; i++)
			if (!aigen_motif_known(d.motifs[i]))
				abort();
		if (aigen_draft_validate(&d, NULL) != 0)
			abort();
	}
	aigen_draft_dispose(&d);
	g.vtbl->destroy(g.self);
	free(title);
	free(pen);
	free(content);
	return 0;
}
