/* SPDX-License-Identifier: BSD-2-Clause */
/* The fuzzer's throughput on the hostsim port, one core: executions per second and system calls per
 * second over a fixed corpus (tests/fuzz/corpus), each input on a fresh kernel made by booting or
 * by restoring a snapshot of one boot, with the invariant checker after every kernel entry, only at
 * the end, or off, and the time per input spent booting or restoring. Times are the thread's CPU
 * time (CLOCK_THREAD_CPUTIME_ID), so a busy shared machine does not lower the per-core figures. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kfuzz.h"

#if !defined(KFUZZ_CORPUS) || !defined(KFUZZ_BIG_DTB)
#error "KFUZZ_CORPUS must name tests/fuzz/corpus, KFUZZ_BIG_DTB tests/fuzz/fuzz-big.dtb"
#endif

#define MAX_INPUTS 256
#define ROUNDS 200

static uint8_t *inputs[MAX_INPUTS];
static size_t sizes[MAX_INPUTS];
static unsigned n_inputs;
static double boot_us[MAX_INPUTS * ROUNDS];

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts); /* CPU time: the machine may be shared */
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void load(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d != NULL && (e = readdir(d)) != NULL && n_inputs < MAX_INPUTS) {
        char path[4096];
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        FILE *f = e->d_name[0] == '.' ? NULL : fopen(path, "rb");
        if (f == NULL) {
            continue;
        }
        inputs[n_inputs] = malloc(1 << 16);
        sizes[n_inputs] = fread(inputs[n_inputs], 1, 1 << 16, f);
        fclose(f);
        n_inputs++;
    }
    if (d != NULL) {
        closedir(d);
    }
}

static void measure_on(const char *dtb, const char *name, enum kfuzz_check check, bool fresh_boot)
{
    struct kfuzz_config cfg = {.check = check, .fresh_boot = fresh_boot, .dtb_path = dtb};
    const char *error;
    if (kfuzz_init(&cfg, &error) != 0) {
        fprintf(stderr, "%s\n", error);
        exit(1);
    }
    unsigned long execs = 0, syscalls = 0, entries = 0;
    unsigned nb = 0;
    double t0 = now_s();
    for (unsigned r = 0; r < ROUNDS; r++) {
        for (unsigned i = 0; i < n_inputs; i++) {
            struct kfuzz_result res;
            kfuzz_run(inputs[i], sizes[i], &res);
            execs++;
            syscalls += res.syscalls;
            entries += res.entries;
            boot_us[nb++] = kfuzz_last_boot_us();
        }
    }
    double secs = now_s() - t0;
    qsort(boot_us, nb, sizeof(boot_us[0]), cmp_double);
    printf("%-44s %7.0f exec/s %8.0f syscalls/s %8.0f entries/s  %s median %.1f us (%lu execs, "
           "%.2f s)\n",
           name, (double)execs / secs, (double)syscalls / secs, (double)entries / secs,
           fresh_boot ? "boot" : "restore", boot_us[nb / 2], execs, secs);
}

static void measure(const char *name, enum kfuzz_check check, bool fresh_boot)
{
    measure_on(NULL, name, check, fresh_boot);
}

int main(void)
{
    load(KFUZZ_CORPUS);
    if (n_inputs == 0) {
        fprintf(stderr, "bench_fuzz: no inputs in %s\n", KFUZZ_CORPUS);
        return 1;
    }
    printf("bench_fuzz: hostsim, one core, %u corpus inputs x %u rounds, fresh kernel per input\n",
           n_inputs, ROUNDS);
    measure("boot, invariants after every entry", KFUZZ_CHECK_EVERY_ENTRY, true);
    measure("boot, invariants at the end only", KFUZZ_CHECK_END, true);
    measure("boot, no invariant checker", KFUZZ_CHECK_NONE, true);
    measure("snapshot, invariants after every entry", KFUZZ_CHECK_EVERY_ENTRY, false);
    measure("snapshot, incremental (quick/entry, full/32)", KFUZZ_CHECK_INCREMENTAL, false);
    measure("snapshot, invariants at the end only", KFUZZ_CHECK_END, false);
    measure("snapshot, no invariant checker", KFUZZ_CHECK_NONE, false);
    /* The second machine (64 MiB): the same corpus (what the larger RAM costs a restore), then its
     * own seeds (large CNodes and untypeds: many more pages dirtied per input). */
    printf("the second machine (tests/fuzz/fuzz-big.dtb, 64 MiB):\n");
    measure_on(KFUZZ_BIG_DTB, "big, corpus, snapshot, incremental", KFUZZ_CHECK_INCREMENTAL, false);
    for (unsigned i = 0; i < n_inputs; i++) {
        free(inputs[i]);
    }
    n_inputs = 0;
    load(KFUZZ_CORPUS "-big");
    printf("its %u seeds (tests/fuzz/corpus-big):\n", n_inputs);
    measure_on(KFUZZ_BIG_DTB, "big, big seeds, snapshot, incremental", KFUZZ_CHECK_INCREMENTAL,
               false);
    measure_on(KFUZZ_BIG_DTB, "big, big seeds, snapshot, no checker", KFUZZ_CHECK_NONE, false);
    measure_on(KFUZZ_BIG_DTB, "big, big seeds, boot, no checker", KFUZZ_CHECK_NONE, true);
    return 0;
}
