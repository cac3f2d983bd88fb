/* SPDX-License-Identifier: BSD-2-Clause */
/* hostsim snapshots: save a booted machine (simulated RAM, the kernel's globals, the interrupt
 * controller, puppet threads' pending system calls) and return to it later without booting again,
 * at the same host addresses. Restoring copies back only the RAM pages that differ: holes of the
 * memfd behind RAM (SEEK_DATA/SEEK_HOLE: never written, so still zero) are skipped, the rest are
 * compared with the snapshot (or with zero) a page at a time. A fuzzer boots once and restores
 * before every input. Comparing the machine with a snapshot (the same walk, without writing) lets a
 * test run two paths from one state and require the same result (tests/unit/check_fastpath.c). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hostsim/hostsim.h>
#include <hostsim_if/kernel.h>
#include <hostsim_if/machine.h>

#include "internal.h"
#include "user_internal.h"

#define SNAP_PAGE 4096ul
#define NO_PAGE UINT32_MAX

struct hostsim_snapshot {
    uint8_t *ram_host; /* the machine's RAM mapping (restore requires the same one) */
    word_t ram_size;
    word_t n_pages;
    uint32_t *page_of; /* RAM page -> index into pages, or NO_PAGE for a page that was zero */
    uint8_t *pages;    /* copies of the non-zero pages */
    unsigned char *resident;
    struct hostsim_kernel_area areas[HOSTSIM_KERNEL_AREAS]; /* copies of the kernel's globals */
    struct uthread_mark *marks;                             /* puppet threads' pending svcs */
    size_t n_marks;
    bool irq_masked[HAL_MAX_IRQ + 1], irq_edge[HAL_MAX_IRQ + 1], irq_pending[HAL_MAX_IRQ + 1];
#ifdef CONFIG_KERNEL_MCS
    uint64_t clock_now, clock_deadline; /* the MCS virtual clock (timer.c) */
#endif
};

static bool page_is_zero(const uint8_t *p)
{
    const uint64_t *w = (const uint64_t *)p;
    uint64_t acc = 0;
    for (size_t i = 0; i < SNAP_PAGE / 8; i += 8) {
        acc |= w[i] | w[i + 1] | w[i + 2] | w[i + 3] | w[i + 4] | w[i + 5] | w[i + 6] | w[i + 7];
        if (acc != 0) {
            return false;
        }
    }
    return true;
}

/* Which RAM pages may be non-zero (1): those in the data extents of the memfd behind RAM. A hole
 * was never written and reads as zero; unlike mincore's residency, a page swapped out is still
 * data. Without the fd or SEEK_DATA every page counts. */
static void ram_residency(unsigned char *vec, word_t n_pages)
{
    int fd = hostsim_ram_fd();
    off_t end = (off_t)(n_pages * SNAP_PAGE), pos = 0;
    if (fd < 0) {
        memset(vec, 1, n_pages);
        return;
    }
    memset(vec, 0, n_pages);
    while (pos < end) {
        off_t data = lseek(fd, pos, SEEK_DATA);
        if (data < 0 && errno == ENXIO) {
            return; /* only a hole from pos to the end */
        }
        off_t hole = data < 0 ? -1 : lseek(fd, data, SEEK_HOLE);
        if (hole < 0) {
            memset(vec, 1, n_pages);
            return;
        }
        hole = hole < end ? hole : end;
        for (off_t i = data / (off_t)SNAP_PAGE;
             i < (hole + (off_t)SNAP_PAGE - 1) / (off_t)SNAP_PAGE; i++) {
            vec[i] = 1;
        }
        pos = hole;
    }
}

void hostsim_snapshot_free(struct hostsim_snapshot *s)
{
    if (s != NULL) {
        free(s->page_of);
        free(s->pages);
        free(s->resident);
        for (unsigned i = 0; i < HOSTSIM_KERNEL_AREAS; i++) {
            free(s->areas[i].base);
        }
        free(s->marks);
        free(s);
    }
}

struct hostsim_snapshot *hostsim_snapshot_take(void)
{
    if (!hostsim_booted || hostsim_ram_host == NULL || hostsim_ram_size % SNAP_PAGE != 0 ||
        hostsim_ram_size / SNAP_PAGE >= NO_PAGE) {
        return NULL;
    }
    struct hostsim_snapshot *s = calloc(1, sizeof(*s));
    if (s == NULL) {
        return NULL;
    }
    s->ram_host = hostsim_ram_host;
    s->ram_size = hostsim_ram_size;
    s->n_pages = hostsim_ram_size / SNAP_PAGE;
    s->page_of = malloc(s->n_pages * sizeof(*s->page_of));
    s->resident = malloc(s->n_pages);
    struct hostsim_kernel_area areas[HOSTSIM_KERNEL_AREAS];
    hostsim_kernel_areas(areas);
    bool copied = true;
    for (unsigned i = 0; i < HOSTSIM_KERNEL_AREAS; i++) {
        s->areas[i] = areas[i];
        s->areas[i].base = malloc(areas[i].size ? areas[i].size : 1);
        copied = copied && s->areas[i].base != NULL;
    }
    s->n_marks = uthread_marks(NULL, 0);
    s->marks = malloc((s->n_marks ? s->n_marks : 1) * sizeof(*s->marks));
    if (s->page_of == NULL || s->resident == NULL || !copied || s->marks == NULL) {
        hostsim_snapshot_free(s);
        return NULL;
    }
    ram_residency(s->resident, s->n_pages);
    word_t n_copied = 0;
    for (word_t i = 0; i < s->n_pages; i++) {
        bool keep = (s->resident[i] & 1) && !page_is_zero(s->ram_host + i * SNAP_PAGE);
        s->page_of[i] = keep ? (uint32_t)n_copied++ : NO_PAGE;
    }
    s->pages = malloc(n_copied ? n_copied * SNAP_PAGE : 1);
    if (s->pages == NULL) {
        hostsim_snapshot_free(s);
        return NULL;
    }
    for (word_t i = 0; i < s->n_pages; i++) {
        if (s->page_of[i] != NO_PAGE) {
            memcpy(s->pages + (size_t)s->page_of[i] * SNAP_PAGE, s->ram_host + i * SNAP_PAGE,
                   SNAP_PAGE);
        }
    }
    for (unsigned i = 0; i < HOSTSIM_KERNEL_AREAS; i++) {
        memcpy(s->areas[i].base, areas[i].base, areas[i].size);
    }
    uthread_marks(s->marks, s->n_marks);
    for (unsigned i = 0; i <= HAL_MAX_IRQ; i++) {
        s->irq_masked[i] = hostsim_irq_is_masked(i);
        s->irq_edge[i] = hostsim_irq_is_edge(i);
        s->irq_pending[i] = hostsim_irq_is_pending(i);
    }
#ifdef CONFIG_KERNEL_MCS
    s->clock_now = hostsim_clock_now();
    s->clock_deadline = hostsim_clock_deadline();
#endif
    return s;
}

int hostsim_snapshot_restore(const struct hostsim_snapshot *s)
{
    if (s == NULL || !hostsim_booted || hostsim_ram_host != s->ram_host ||
        hostsim_ram_size != s->ram_size) {
        return -1; /* not the machine the snapshot was taken of (shut down or booted again) */
    }
    /* RAM: a page the host does not have is zero, as is a page absent from the snapshot. */
    unsigned char *vec = s->resident;
    ram_residency(vec, s->n_pages);
    for (word_t i = 0; i < s->n_pages; i++) {
        uint8_t *p = s->ram_host + i * SNAP_PAGE;
        if (s->page_of[i] != NO_PAGE) {
            const uint8_t *q = s->pages + (size_t)s->page_of[i] * SNAP_PAGE;
            if (memcmp(p, q, SNAP_PAGE) != 0) {
                memcpy(p, q, SNAP_PAGE);
            }
        } else if ((vec[i] & 1) && !page_is_zero(p)) {
            memset(p, 0, SNAP_PAGE);
        }
    }
    /* The kernel's globals. */
    struct hostsim_kernel_area areas[HOSTSIM_KERNEL_AREAS];
    hostsim_kernel_areas(areas);
    for (unsigned i = 0; i < HOSTSIM_KERNEL_AREAS; i++) {
        size_t n = areas[i].size < s->areas[i].size ? areas[i].size : s->areas[i].size;
        memcpy(areas[i].base, s->areas[i].base, n);
    }
    /* The machine: not halted, no panic, puppet threads' pending svcs as they were (no host
     * context), the interrupt controller as it was, no forced preemption (SGI counts start again
     * from zero). */
    hostsim_did_panic = false;
    uthread_marks_restore(s->marks, s->n_marks);
    hostsim_note_boot();
    hostsim_set_preempt_interval(0);
#ifdef CONFIG_KERNEL_MCS
    hostsim_clock_restore(s->clock_now, s->clock_deadline);
#endif
    for (unsigned i = 0; i <= HAL_MAX_IRQ; i++) {
        if (s->irq_masked[i] != hostsim_irq_is_masked(i)) {
            hostsim_irq_mask(i, s->irq_masked[i]);
        }
        if (s->irq_edge[i] != hostsim_irq_is_edge(i)) {
            hostsim_irq_set_edge(i, s->irq_edge[i]);
        }
        if (s->irq_pending[i]) {
            hostsim_irq_set_pending(i);
        }
    }
    return 0;
}

/* The 8-byte word of a that holds byte i (within n bytes). */
static uint64_t word_at(const uint8_t *a, size_t n, size_t i)
{
    uint64_t w = 0;
    size_t start = i & ~(size_t)7;
    memcpy(&w, a + start, n - start < 8 ? n - start : 8);
    return w;
}

/* The first byte where `now` differs from `then` (n bytes) into d; false when equal. */
static bool first_diff(const char *area, uint64_t base, const void *then, const void *now, size_t n,
                       struct hostsim_snapshot_diff *d)
{
    const uint8_t *a = then, *b = now;
    if (memcmp(a, b, n) == 0) {
        return false;
    }
    size_t i = 0;
    while (a[i] == b[i]) {
        i++;
    }
    if (d != NULL) {
        d->area = area;
        d->offset = base + i;
        d->then = word_at(a, n, i);
        d->now = word_at(b, n, i);
    }
    return true;
}

int hostsim_snapshot_compare(const struct hostsim_snapshot *s, struct hostsim_snapshot_diff *d)
{
    if (s == NULL || !hostsim_booted || hostsim_ram_host != s->ram_host ||
        hostsim_ram_size != s->ram_size) {
        return -1;
    }
    static const uint8_t zero[SNAP_PAGE];
    unsigned char *vec = malloc(s->n_pages);
    if (vec == NULL) {
        return -1;
    }
    ram_residency(vec, s->n_pages);
    int differ = 0;
    for (word_t i = 0; i < s->n_pages && !differ; i++) {
        const uint8_t *then =
            s->page_of[i] != NO_PAGE ? s->pages + (size_t)s->page_of[i] * SNAP_PAGE : zero;
        if (then != zero || (vec[i] & 1)) {
            differ = first_diff("RAM", hostsim_ram_base_pa + i * SNAP_PAGE, then,
                                s->ram_host + i * SNAP_PAGE, SNAP_PAGE, d);
        }
    }
    free(vec);
    struct hostsim_kernel_area areas[HOSTSIM_KERNEL_AREAS];
    hostsim_kernel_areas(areas);
    for (unsigned i = 0; i < HOSTSIM_KERNEL_AREAS && !differ; i++) {
        size_t n = areas[i].size < s->areas[i].size ? areas[i].size : s->areas[i].size;
        differ = first_diff(areas[i].name, 0, s->areas[i].base, areas[i].base, n, d);
    }
    return differ;
}
