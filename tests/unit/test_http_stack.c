/* A worker's stack below its frame is given back when its connection closes (http_stack.c). */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>
#include <cmocka.h>

#include "adapters/http/http_internal.h"

#define STACK_BYTES (512 * 1024)
#define DEEP_BYTES  (256 * 1024)

typedef struct probe {
	int noted;	      /* 1: trim after noting the stack; 0: trim without */
	size_t before, after; /* resident pages of the stack below the worker's frame */
} probe;

/* Resident pages in [lo, lo + len). */
static size_t resident(uintptr_t lo, size_t len)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE), n = 0;
	unsigned char vec[STACK_BYTES / 4096 + 1];

	lo &= ~(uintptr_t)(page - 1);
	if (mincore((void *)lo, len, vec) != 0)
		return (size_t)-1;
	for (size_t i = 0; i < (len + page - 1) / page; i++)
		n += vec[i] & 1;
	return n;
}

/* Touches DEEP_BYTES of stack below the caller, the way a deep request would. */
static __attribute__((noinline)) void go_deep(void)
{
	volatile char buf[DEEP_BYTES];

	for (size_t i = 0; i < sizeof(buf); i += 512)
		buf[i] = 1;
}

static void *worker(void *arg)
{
	probe *p = arg;
	pthread_attr_t attr;
	void *addr;
	size_t size, below;

	pthread_getattr_np(pthread_self(), &attr);
	pthread_attr_getstack(&attr, &addr, &size);
	pthread_attr_destroy(&attr);
	/* from the stack's bottom to well below this frame (the trim keeps a page or two) */
	below = (size_t)((uintptr_t)&attr - (uintptr_t)addr) - 16 * 1024;
	if (p->noted)
		http_stack_note();
	go_deep();
	p->before = resident((uintptr_t)addr, below);
	http_stack_trim();
	p->after = resident((uintptr_t)addr, below);
	return NULL;
}

static void run(probe *p)
{
	pthread_attr_t attr;
	pthread_t t;

	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, STACK_BYTES);
	assert_int_equal(pthread_create(&t, &attr, worker, p), 0);
	pthread_join(t, NULL);
	pthread_attr_destroy(&attr);
}

static void test_trim_gives_back_the_pages_below(void **state)
{
	probe p = {.noted = 1};

	(void)state;
	run(&p);
	/* the deep call left its 256 KiB resident; after the trim none of it is */
	assert_true(p.before >= (DEEP_BYTES / 4096) / 2);
	assert_int_equal(p.after, 0);
}

static void test_trim_of_an_unnoted_thread_does_nothing(void **state)
{
	probe p = {.noted = 0};

	(void)state;
	run(&p);
	assert_true(p.before > 0);
	assert_int_equal(p.after, p.before);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_trim_gives_back_the_pages_below),
	    cmocka_unit_test(test_trim_of_an_unnoted_thread_does_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
