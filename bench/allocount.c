// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * allocount.so - counts a process's heap allocations, for bench_fanout
 *
 * Preloaded into ctid (LD_PRELOAD) when bench_fanout measures allocations
 * per event. malloc, calloc, realloc and posix_memalign go to glibc's own
 * entry points (__libc_*, no dlsym and so no recursion) after one atomic
 * increment of a counter that lives in the file named by CTI_ALLOC_COUNT,
 * mapped shared, so that the bench reads it at any moment without asking
 * the process (ctid blocks its signals for its signalfd). Without the
 * variable nothing is counted.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

void *__libc_malloc(size_t n);
void *__libc_calloc(size_t n, size_t size);
void *__libc_realloc(void *p, size_t n);
void *__libc_memalign(size_t align, size_t n);

static _Atomic uint64_t *counter;

__attribute__((constructor)) static void allocount_init(void)
{
	const char *path = getenv("CTI_ALLOC_COUNT");
	void *p;
	int fd;

	if (!path)
		return;
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return;
	p = mmap(NULL, sizeof(uint64_t), PROT_READ | PROT_WRITE, MAP_SHARED,
		 fd, 0);
	close(fd);
	if (p != MAP_FAILED)
		counter = p;
}

static inline void count(void)
{
	if (counter)
		atomic_fetch_add_explicit(counter, 1, memory_order_relaxed);
}

void *malloc(size_t n)
{
	count();
	return __libc_malloc(n);
}

void *calloc(size_t n, size_t size)
{
	count();
	return __libc_calloc(n, size);
}

void *realloc(void *p, size_t n)
{
	count();
	return __libc_realloc(p, n);
}

int posix_memalign(void **out, size_t align, size_t n)
{
	void *p;

	count();
	p = __libc_memalign(align, n);
	if (!p)
		return ENOMEM;
	*out = p;
	return 0;
}
