/*
 * The view buffer: duplicates within an interval collapse, different episodes
 * do not; request threads record reads while the flusher drains, and every
 * distinct view comes out at least once, nothing lost between drains.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "adapters/views/view_buffer.h"

enum { THREADS = 8, MEMBERS = 50, BOOKS = 20 };

typedef struct reader {
	view_buffer *buf;
	int thread;
} reader;

/* Every thread reads every (member, book) twice: the same views from all threads. */
static void *read_all(void *arg)
{
	reader *r = arg;
	view_recorder rec = view_buffer_recorder(r->buf);

	for (int round = 0; round < 2; round++)
		for (int m = 1; m <= MEMBERS; m++)
			for (int b = 1; b <= BOOKS; b++) {
				book_view v = {.member_id = m,
					       .book_id = (r->thread + b) % BOOKS + 1,
					       .day = 20000,
					       .number = 1};

				if (view_recorder_record(&rec, &v, NULL))
					abort();
			}
	return NULL;
}

typedef struct drainer {
	view_buffer *buf;
	atomic_int stop;
	unsigned char seen[MEMBERS + 1][BOOKS + 1];
	int drains;
} drainer;

static void collect(drainer *d)
{
	book_view *views;
	size_t n;

	view_buffer_drain(d->buf, &views, &n);
	for (size_t i = 0; i < n; i++)
		d->seen[views[i].member_id][views[i].book_id]++;
	free(views);
	d->drains++;
}

static void *drain_often(void *arg)
{
	drainer *d = arg;

	while (!atomic_load(&d->stop))
		collect(d);
	return NULL;
}

static void test_concurrent_records_and_drains(void **state)
{
	pthread_t th[THREADS], flusher;
	reader r[THREADS];
	drainer *d = calloc(1, sizeof(*d));
	int total = 0;

	(void)state;
	d->buf = view_buffer_new();
	atomic_init(&d->stop, 0);
	assert_int_equal(pthread_create(&flusher, NULL, drain_often, d), 0);
	for (int i = 0; i < THREADS; i++) {
		r[i] = (reader){.buf = d->buf, .thread = i};
		assert_int_equal(pthread_create(&th[i], NULL, read_all, &r[i]), 0);
	}
	for (int i = 0; i < THREADS; i++)
		pthread_join(th[i], NULL);
	atomic_store(&d->stop, 1);
	pthread_join(flusher, NULL);
	collect(d); /* what came after the last drain */
	for (int m = 1; m <= MEMBERS; m++)
		for (int b = 1; b <= BOOKS; b++) {
			/* seen at least once, at most once per drain it could have fallen in */
			assert_true(d->seen[m][b] >= 1);
			assert_true(d->seen[m][b] <= THREADS * 2);
			total += d->seen[m][b];
		}
	assert_true(total >= MEMBERS * BOOKS);
	assert_true(d->drains >= 1);
	view_buffer_free(d->buf);
	free(d);
}

static void test_one_view_per_member_episode_and_day(void **state)
{
	view_buffer *b = view_buffer_new();
	view_recorder r = view_buffer_recorder(b);
	book_view *out;
	size_t n;

	(void)state;
	for (int64_t round = 0; round < 3; round++)
		for (int64_t number = 1; number <= 4; number++) {
			book_view v = {.member_id = 7,
				       .book_id = 2,
				       .day = 20000,
				       .number = number,
				       .reason = BOOK_ACCESS_FREE};

			assert_int_equal(view_recorder_record(&r, &v, NULL), 0);
		}
	book_view other_day = {.member_id = 7, .book_id = 2, .day = 20001, .number = 1};
	book_view other_member = {.member_id = 8, .book_id = 2, .day = 20000, .number = 1};
	assert_int_equal(view_recorder_record(&r, &other_day, NULL), 0);
	assert_int_equal(view_recorder_record(&r, &other_member, NULL), 0);
	view_buffer_drain(b, &out, &n);
	assert_int_equal(n, 6);
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(out[i].number, (int64_t)i + 1);
	free(out);
	/* drained: the next interval starts empty and grows past its first table */
	for (int64_t m = 1; m <= 1000; m++) {
		book_view v = {.member_id = m, .book_id = 1, .day = 1, .number = 1};

		assert_int_equal(view_recorder_record(&r, &v, NULL), 0);
	}
	view_buffer_drain(b, &out, &n);
	assert_int_equal(n, 1000);
	free(out);
	view_buffer_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_one_view_per_member_episode_and_day),
	    cmocka_unit_test(test_concurrent_records_and_drains),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
