/* SPDX-License-Identifier: BSD-2-Clause */
/* kaal-fuzz-replay: run fuzzer inputs (files, or every file in a directory) each on a fresh kernel
 * with the oracle, printing TAP (one test per input) or, with --trace, each input as a trace.
 * With --check-snapshot, every input runs once on a restored snapshot (after the other inputs have
 * dirtied the machine) and once on a booted kernel, and the two traces must be the same.
 * `meson test --suite fuzz` runs it on tests/fuzz/corpus and tests/fuzz/repro. */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "kfuzz.h"

#define MAX_INPUTS 4096

static char *inputs[MAX_INPUTS];
static unsigned n_inputs;

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void add_path(const char *path)
{
    struct stat sb;
    if (stat(path, &sb) != 0) {
        fprintf(stderr, "kaal-fuzz-replay: cannot stat %s\n", path);
        exit(2);
    }
    if (!S_ISDIR(sb.st_mode)) {
        if (n_inputs < MAX_INPUTS) {
            inputs[n_inputs++] = strdup(path);
        }
        return;
    }
    DIR *d = opendir(path);
    struct dirent *e;
    unsigned first = n_inputs;
    while (d != NULL && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.' || strcmp(e->d_name, "README.md") == 0 ||
            strcmp(e->d_name, "meson.build") == 0) {
            continue;
        }
        char full[4096];
        snprintf(full, sizeof(full), "%s/%s", path, e->d_name);
        if (stat(full, &sb) == 0 && S_ISREG(sb.st_mode) && n_inputs < MAX_INPUTS) {
            inputs[n_inputs++] = strdup(full);
        }
    }
    if (d != NULL) {
        closedir(d);
    }
    qsort(inputs + first, n_inputs - first, sizeof(inputs[0]), cmp_str);
}

static size_t read_file(const char *path, uint8_t *buf, size_t cap)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return 0;
    }
    size_t n = fread(buf, 1, cap, f);
    fclose(f);
    return n;
}

/* The trace of one input, as a string (malloc'd). */
static char *trace_of(const uint8_t *buf, size_t n, struct kfuzz_result *r)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (f == NULL) {
        exit(2);
    }
    kfuzz_set_trace(f);
    kfuzz_run(buf, n, r);
    kfuzz_set_trace(NULL);
    fclose(f);
    return text;
}

/* --check-snapshot: TAP, one test per input: the trace on a restored snapshot equals the trace on
 * a booted kernel. */
static int check_snapshot(void)
{
    static uint8_t buf[1 << 16];
    static char *restored[MAX_INPUTS];
    struct kfuzz_result r;
    unsigned failed = 0;
    printf("1..%u\n", n_inputs);
    kfuzz_set_fresh_boot(false);
    if (n_inputs > 0) { /* the snapshot is taken here; every input below starts from a restore */
        free(trace_of(buf, read_file(inputs[n_inputs - 1], buf, sizeof(buf)), &r));
    }
    for (unsigned i = 0; i < n_inputs; i++) {
        restored[i] = trace_of(buf, read_file(inputs[i], buf, sizeof(buf)), &r);
    }
    kfuzz_set_fresh_boot(true);
    for (unsigned i = 0; i < n_inputs; i++) {
        char *booted = trace_of(buf, read_file(inputs[i], buf, sizeof(buf)), &r);
        if (strcmp(booted, restored[i]) != 0) {
            failed++;
            size_t k = 0;
            while (booted[k] == restored[i][k]) {
                k++;
            }
            size_t from = k > 200 ? k - 200 : 0;
            printf("not ok %u - %s: traces differ at byte %zu\n# booted:   %.300s\n# restored: "
                   "%.300s\n",
                   i + 1, inputs[i], k, booted + from, restored[i] + from);
        } else {
            printf("ok %u - %s (restored == booted, %zu trace bytes)\n", i + 1, inputs[i],
                   strlen(booted));
        }
        free(booted);
        free(restored[i]);
    }
    return failed ? 1 : 0;
}

int main(int argc, char **argv)
{
    struct kfuzz_config cfg = {.check = KFUZZ_CHECK_EVERY_ENTRY};
    bool trace = false, compare = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--trace") == 0) {
            trace = true;
        } else if (strcmp(argv[i], "--check-snapshot") == 0) {
            compare = true;
        } else if (strcmp(argv[i], "--aarch64") == 0) {
            cfg.aarch64 = true;
        } else if (strcmp(argv[i], "--fresh-boot") == 0) {
            cfg.fresh_boot = true;
        } else if (strcmp(argv[i], "--check=end") == 0) {
            cfg.check = KFUZZ_CHECK_END;
        } else if (strcmp(argv[i], "--check=incremental") == 0) {
            cfg.check = KFUZZ_CHECK_INCREMENTAL;
        } else if (strcmp(argv[i], "--check=none") == 0) {
            cfg.check = KFUZZ_CHECK_NONE;
        } else if (strncmp(argv[i], "--dtb=", 6) == 0) {
            cfg.dtb_path = argv[i] + 6;
        } else if (argv[i][0] == '-') {
            fprintf(
                stderr,
                "usage: kaal-fuzz-replay [--trace | --check-snapshot] [--fresh-boot] [--aarch64] "
                "[--check=end|incremental|none] [--dtb=FILE] "
                "FILE|DIR...\n");
            return 2;
        } else {
            add_path(argv[i]);
        }
    }
    cfg.trace = trace ? stdout : NULL;
    const char *error;
    if (kfuzz_init(&cfg, &error) != 0) {
        fprintf(stderr, "%s\n", error);
        return 2;
    }
    if (compare) {
        return check_snapshot();
    }
    static uint8_t buf[1 << 16];
    unsigned failed = 0;
    unsigned long ops = 0, entries = 0;
    printf("1..%u\n", n_inputs);
    for (unsigned i = 0; i < n_inputs; i++) {
        size_t n = read_file(inputs[i], buf, sizeof(buf));
        struct kfuzz_result r;
        kfuzz_run(buf, n, &r);
        ops += r.ops;
        entries += r.entries;
        if (r.finding) {
            failed++;
            printf("not ok %u - %s: %s\n", i + 1, inputs[i], r.why);
        } else {
            printf("ok %u - %s (%u ops, %u kernel entries, %u errors)\n", i + 1, inputs[i], r.ops,
                   r.entries, r.errors);
        }
        fflush(stdout);
    }
    printf("# %u inputs, %lu ops, %lu kernel entries, %u findings\n", n_inputs, ops, entries,
           failed);
    return failed ? 1 : 0;
}
