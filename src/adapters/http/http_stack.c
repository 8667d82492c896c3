/*
 * Worker stacks given back between connections. civetweb keeps a worker per
 * open connection (1,536 by default, so that 1,000 idle ones leave room) and
 * wakes its idle workers in turn, so every worker runs requests and each
 * stack keeps the ~40 KB a request touched: 60 MB of RSS after a login storm.
 * When a connection closes, the worker's stack below the current frame holds
 * nothing live, and the kernel may take those pages back (they read as zero
 * when touched again). Keep-alive connections pay nothing; a closed one pays
 * one madvise and the faults of its next request's frames.
 */
#include "adapters/http/http_internal.h"

#include <pthread.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

/* Left untouched below the caller's frame: madvise's own call and anything a signal pushes. */
#define STACK_KEEP 4096

static _Thread_local uintptr_t stack_low; /* this worker's lowest stack address; 0: unknown */

void http_stack_note(void)
{
	pthread_attr_t attr;
	void *addr;
	size_t size;

	if (pthread_getattr_np(pthread_self(), &attr) != 0)
		return;
	if (pthread_attr_getstack(&attr, &addr, &size) == 0)
		stack_low = (uintptr_t)addr;
	pthread_attr_destroy(&attr);
}

void http_stack_trim(void)
{
	volatile char here = 0;
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
	uintptr_t low = (stack_low + page - 1) & ~(page - 1);
	uintptr_t top = ((uintptr_t)&here - STACK_KEEP) & ~(page - 1);

	if (stack_low && top > low)
		madvise((void *)low, top - low, MADV_DONTNEED);
	(void)here;
}
