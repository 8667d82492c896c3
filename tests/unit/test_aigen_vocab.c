/* The generator's codes: genres, motifs, the price basis and how it reads; the merge carries them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "domain/aigen/aigen.h"
#include "domain/aigen/vocab.h"

static aigen_price_basis basis(int minutes, const char *cls)
{
	aigen_price_basis b = {.minutes = minutes};

	strcpy(b.code, "length");
	strcpy(b.length_class, cls);
	return b;
}

static void expect(int minutes, const char *cls, const char *ko, const char *en)
{
	aigen_price_basis b = basis(minutes, cls);
	char out[128];

	assert_int_equal(aigen_price_basis_render(out, sizeof(out), &b, "ko"), 0);
	assert_string_equal(out, ko);
	assert_int_equal(aigen_price_basis_render(out, sizeof(out), &b, "en"), 0);
	assert_string_equal(out, en);
}

static void test_basis_reads_for_readers(void **state)
{
	(void)state;
	expect(60, "short", "약 1시간 분량의 단편", "A short story, about an hour's read");
	expect(1, "flash", "약 1분 분량의 엽편", "A flash story, about a minute's read");
	expect(7, "flash", "약 7분 분량의 엽편", "A flash story, about a 7-minute read");
	expect(23, "short", "약 25분 분량의 단편", "A short story, about a 25-minute read");
	expect(58, "short", "약 1시간 분량의 단편", "A short story, about an hour's read");
	expect(95, "novella", "약 1시간 30분 분량의 중편",
	       "A novella, about an hour and a half's read");
	expect(130, "novella", "약 2시간 분량의 중편", "A novella, about a 2-hour read");
	expect(160, "novella", "약 2시간 30분 분량의 중편",
	       "A novella, about a two-and-a-half-hour read");
	expect(600, "novel", "약 10시간 분량의 장편", "A novel, about a 10-hour read");
}

static void test_basis_rejects_nonsense(void **state)
{
	aigen_price_basis b = basis(30, "short"), bad;
	char out[128] = "x", tiny[12];

	(void)state;
	bad = b;
	strcpy(bad.code, "formula");
	assert_int_equal(aigen_price_basis_render(out, sizeof(out), &bad, "ko"), APP_EINVALID);
	assert_string_equal(out, "");
	bad = b;
	bad.minutes = 0;
	assert_false(aigen_price_basis_valid(&bad));
	bad.minutes = 8 * 24 * 60;
	assert_false(aigen_price_basis_valid(&bad));
	bad = b;
	strcpy(bad.length_class, "epic");
	assert_false(aigen_price_basis_valid(&bad));
	/* a short buffer is cut at a character boundary, never inside one */
	assert_int_equal(aigen_price_basis_render(tiny, sizeof(tiny), &b, "ko"), 0);
	assert_string_equal(tiny, "약 30분 "); /* 11 bytes: the next syllable would need 13 */
}

static void test_codes_known(void **state)
{
	size_t n;
	const aigen_genre_info *g = aigen_genres(&n);

	(void)state;
	assert_int_equal(n, 10);
	assert_string_equal(g[0].code, "fantasy");
	assert_string_equal(aigen_genre_find("romance_fantasy")->ko, "로맨스판타지");
	assert_string_equal(aigen_genre_find("sf")->ko, "SF");
	assert_null(aigen_genre_find("Fantasy"));
	assert_null(aigen_genre_find(NULL));
	assert_true(aigen_motif_known("drawer"));
	assert_true(aigen_motif_known("moon"));
	assert_false(aigen_motif_known("dragon"));
	assert_false(aigen_motif_known(""));
}

static void test_sanitize_drops_unknown(void **state)
{
	aigen_draft d = {0};

	(void)state;
	strcpy(d.genre, "space opera");
	strcpy(d.motifs[0], "moon");
	strcpy(d.motifs[1], "dragon");
	strcpy(d.motifs[2], "moon");
	d.nmotifs = 3;
	d.price_basis = basis(0, "short");
	aigen_draft_sanitize_codes(&d);
	assert_string_equal(d.genre, "");
	assert_int_equal(d.nmotifs, 1);
	assert_string_equal(d.motifs[0], "moon");
	assert_string_equal(d.motifs[1], "");
	assert_string_equal(d.price_basis.code, "");
	d.nmotifs = 99;
	aigen_draft_sanitize_codes(&d);
	assert_int_equal(d.nmotifs, 1);
}

static aigen_draft full_draft(const char *genre, const char *motif)
{
	aigen_draft d = {0};

	d.summary = strdup("A blurb that is long enough.");
	d.tagline = strdup("A hook.");
	d.price = 1500;
	d.has_price = 1;
	d.price_reason = strdup("A reason.");
	d.cover_prompt = strdup("A prompt.");
	strcpy(d.genre, genre);
	if (*motif) {
		strcpy(d.motifs[0], motif);
		d.nmotifs = 1;
	}
	return d;
}

/* A model that suggests no codes still gets the offline draft's, for the cover. */
static void test_merge_takes_codes_from_the_other_draft(void **state)
{
	aigen_draft gen = full_draft("", ""), fb = full_draft("wuxia", "sword");
	aigen_result r;

	(void)state;
	fb.price_basis = basis(12, "flash");
	assert_int_equal(aigen_result_merge(&r, &gen, "model", &fb, "offline", 1000, 5000, NULL),
			 0);
	assert_string_equal(r.generated_by_summary, "model");
	assert_string_equal(r.genre, "wuxia");
	assert_int_equal(r.nmotifs, 1);
	assert_string_equal(r.motifs[0], "sword");
	assert_string_equal(r.price_basis.code, "length");
	aigen_result_dispose(&r);
	aigen_draft_dispose(&gen);
	aigen_draft_dispose(&fb);

	/* the model's own codes win when it has them */
	gen = full_draft("mystery", "key");
	fb = full_draft("wuxia", "sword");
	assert_int_equal(aigen_result_merge(&r, &gen, "model", &fb, "offline", 1000, 5000, NULL),
			 0);
	assert_string_equal(r.genre, "mystery");
	assert_string_equal(r.motifs[0], "key");
	aigen_result_dispose(&r);
	aigen_draft_dispose(&gen);
	aigen_draft_dispose(&fb);

	/* no second draft: what the one has */
	gen = full_draft("", "");
	assert_int_equal(aigen_result_merge(&r, &gen, "model", NULL, "offline", 1000, 5000, NULL),
			 0);
	assert_string_equal(r.genre, "");
	assert_int_equal(r.nmotifs, 0);
	aigen_result_dispose(&r);
	aigen_draft_dispose(&gen);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_basis_reads_for_readers),
	    cmocka_unit_test(test_basis_rejects_nonsense),
	    cmocka_unit_test(test_codes_known),
	    cmocka_unit_test(test_sanitize_drops_unknown),
	    cmocka_unit_test(test_merge_takes_codes_from_the_other_draft),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
