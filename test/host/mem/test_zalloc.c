// SPDX-License-Identifier: MIT
//
// Host tests of zones and kalloc (kern/kern/zalloc.c, kalloc.c) with pages
// from the heap: slab layout, reuse, counters, pages given back, and the
// panics that catch bad frees.

#include "host_stubs.h"
#include <kern/kalloc.h>
#include <kern/zalloc.h>
#include <machine/vmparam.h>
#include <string.h>

static void
test_counts_and_pages_return_to_baseline(void)
{
    enum { N = 5000 };
    static unsigned *e[N];
    size_t pages0 = host_kpages_out;
    struct zone *z = zone_create("host.many", 20, 4);
    struct zone_stats st;

    CHECK(z != NULL);
    for (unsigned i = 0; i < N; i++) {
        e[i] = zalloc(z);
        CHECK(e[i] != NULL && (uintptr_t)e[i] % 4 == 0);
        for (int w = 0; w < 5; w++)
            e[i][w] = i;
    }
    zone_get_stats(z, &st);
    CHECK(st.zs_in_use == N && st.zs_elem_size == 24); // rounded up for the free-list link
    CHECK(st.zs_pages * PAGE_SIZE >= N * 24 && st.zs_pages * PAGE_SIZE < N * 24 * 2);
    for (unsigned i = 0; i < N; i++) {
        for (int w = 0; w < 5; w++)
            CHECK(e[i][w] == i);
    }
    for (unsigned i = 0; i < N; i += 3)
        zfree(z, e[i]);
    for (unsigned i = 0; i < N; i++) {
        if (i % 3 != 0)
            zfree(z, e[i]);
    }
    zone_get_stats(z, &st);
    CHECK(st.zs_in_use == 0 && st.zs_allocs == N);
    zone_destroy(z);
    CHECK(host_kpages_out == pages0);
}

static void
test_reuse_and_layouts(void)
{
    static const size_t sizes[] = {1, 8, 24, 100, 1000, 2048, 3000, 4096, ZONE_ELEM_MAX};

    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        struct zone *z = zone_create("host.layout", sizes[i], 0);
        CHECK(z != NULL);
        void *a = zalloc(z), *b2 = zalloc(z);
        CHECK(a != NULL && b2 != NULL && a != b2);
        memset(a, 1, sizes[i]);
        memset(b2, 2, sizes[i]);
        zfree(z, a);
        CHECK(zalloc(z) == a);
        zfree(z, a);
        zfree(z, b2);
        zone_destroy(z);
    }
    CHECK(zone_create("host.bad", 0, 0) == NULL);
    CHECK(zone_create("host.bad", ZONE_ELEM_MAX + 1, 0) == NULL);
    CHECK(zone_create("host.bad", 8, 24) == NULL);
}

// A panic inside a locked section leaves the lock held (the kernel would
// have stopped), so those cases use zones that are abandoned afterwards.
static void
test_bad_frees_panic(void)
{
    struct zone *z = zone_create("host.bad_free", 64, 0), *other = zone_create("host.o", 64, 0);
    char *a = zalloc(z), *o = zalloc(other);

    CHECK(HOST_PANICS(zfree(z, a + 8))); // not an element boundary
    CHECK(HOST_PANICS(zfree(z, o)));     // another zone's element
    zfree(z, a);
    zfree(other, o);
    zone_destroy(z);
    zone_destroy(other);

    struct zone *busy = zone_create("host.abandoned1", 32, 0);
    CHECK(zalloc(busy) != NULL);
    CHECK(HOST_PANICS(zone_destroy(busy))); // still in use

    struct zone *twice = zone_create("host.abandoned2", 32, 0);
    void *t = zalloc(twice);
    CHECK(zalloc(twice) != NULL);
    zfree(twice, t);
    CHECK(HOST_PANICS(zfree(twice, t))); // freed twice
}

static void
test_kalloc_sizes(void)
{
    static void *p[6000];

    CHECK(kalloc(0) == NULL && kalloc(KALLOC_MAX + 1) == NULL);
    for (size_t round = 0; round < 2; round++) {
        size_t pages0 = host_kpages_out;
        for (size_t n = 1; n < 6000; n++) {
            p[n] = kalloc(n);
            CHECK(p[n] != NULL);
            memset(p[n], (int)n, n);
        }
        for (size_t n = 1; n < 6000; n++) {
            CHECK(((unsigned char *)p[n])[n - 1] == (unsigned char)n);
            kfree(p[n], n);
        }
        if (round == 1) // the first round leaves one reserve slab per zone
            CHECK(host_kpages_out == pages0);
    }
    kfree(NULL, 10);
}

int
main(void)
{
    zone_bootstrap();
    kalloc_bootstrap();
    test_counts_and_pages_return_to_baseline();
    test_reuse_and_layouts();
    test_bad_frees_panic();
    test_kalloc_sizes();
    printf("zalloc: all tests passed\n");
    return 0;
}
