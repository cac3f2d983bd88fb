/* SPDX-License-Identifier: BSD-2-Clause */
/* Benchmarks on the hostsim port: kernel boot time per device tree, and a CNode_Copy + CNode_Delete pair
 * made as the root thread. Wall-clock nanoseconds (clock_gettime), median of many runs. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <hostsim/hostsim.h>
#include <kaal/abi/abi.h>

#ifndef KAAL_DATA_DIR
#error "KAAL_DATA_DIR must name tests/data"
#endif
#ifndef KAAL_BUILD_DESC
#define KAAL_BUILD_DESC "unknown"
#endif

#define METHOD "clock_gettime(CLOCK_MONOTONIC)"
#define MAX_RESULTS 8

struct result {
    char name[64];
    unsigned runs;
    unsigned long long median_ns, min_ns, max_ns;
    const char *error; /* NULL: measured */
};

static struct result results[MAX_RESULTS];
static unsigned n_results;

static unsigned long long now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (unsigned long long)ts.tv_sec * 1000000000ull + (unsigned long long)ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
    unsigned long long x = *(const unsigned long long *)a, y = *(const unsigned long long *)b;
    return x < y ? -1 : x > y;
}

static struct result *add_result(const char *name)
{
    struct result *r = &results[n_results++];
    snprintf(r->name, sizeof(r->name), "%s", name);
    return r;
}

/* Sort samples[0..n) and fill r's statistics. */
static void summarise(struct result *r, unsigned long long *samples, unsigned n)
{
    qsort(samples, n, sizeof(samples[0]), cmp_u64);
    r->runs = n;
    r->min_ns = samples[0];
    r->max_ns = samples[n - 1];
    r->median_ns = n % 2 ? samples[n / 2] : (samples[n / 2 - 1] + samples[n / 2]) / 2;
}

static void *read_file(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return NULL;
    }
    size_t cap = 1 << 16, len = 0, got;
    unsigned char *buf = malloc(cap);
    while (buf != NULL && (got = fread(buf + len, 1, cap - len, f)) > 0) {
        len += got;
        if (len == cap) {
            unsigned char *bigger = realloc(buf, cap *= 2);
            if (bigger == NULL) {
                free(buf);
            }
            buf = bigger;
        }
    }
    fclose(f);
    *size = len;
    return buf;
}

/* Boot time from one device tree: hostsim_boot() alone is timed (the previous machine is shut down first). */
static void bench_boot(const char *dtb_name, unsigned runs)
{
    char name[64], path[4096];
    snprintf(name, sizeof(name), "boot %s", dtb_name);
    snprintf(path, sizeof(path), "%s/%s", KAAL_DATA_DIR, dtb_name);
    struct result *r = add_result(name);
    size_t size;
    void *dtb = read_file(path, &size);
    if (dtb == NULL) {
        r->error = "cannot read the device tree";
        fprintf(stderr, "bench: %s: %s\n", path, strerror(errno));
        return;
    }
    unsigned long long *samples = calloc(runs, sizeof(*samples));
    const char *error = NULL;
    if (hostsim_boot(dtb, size, &error) != 0) { /* warm-up, and the error path */
        fprintf(stderr, "bench: boot from %s failed: %s\n", dtb_name, error ? error : "?");
        r->error = "boot failed";
    }
    for (unsigned i = 0; i < runs && r->error == NULL; i++) {
        hostsim_shutdown();
        unsigned long long t0 = now_ns();
        int rc = hostsim_boot(dtb, size, &error);
        samples[i] = now_ns() - t0;
        if (rc != 0) {
            r->error = "boot failed";
        }
    }
    if (r->error == NULL) {
        summarise(r, samples, runs);
    }
    hostsim_shutdown();
    free(samples);
    free(dtb);
}

/* One root-thread seL4_Call on cptr; MR0..3 in x2..x5, the rest in the IPC buffer. Returns the reply label
 * (0 = no error) or -1 if the thread did not get its reply. */
static long root_call(seL4_Word cptr, seL4_Word label, unsigned n, const seL4_Word *mrs, unsigned ncaps,
                      const seL4_Word *caps)
{
    seL4_IPCBuffer *ipc = hostsim_root_ipc_buffer();
    uint64_t regs[8] = {cptr, seL4_MessageInfo_new(label, 0, ncaps, n).words[0], 0, 0, 0, 0, 0,
                        (uint64_t)seL4_SysCall};
    for (unsigned i = 0; i < n; i++) {
        if (i < seL4_FastMessageRegisters) {
            regs[2 + i] = mrs[i];
        } else {
            ipc->msg[i] = mrs[i];
        }
    }
    for (unsigned i = 0; i < ncaps; i++) {
        ipc->caps_or_badges[i] = caps[i];
    }
    if (hostsim_root_syscall(regs, NULL) != HOSTSIM_OK) {
        return -1;
    }
    seL4_MessageInfo_t info = {{regs[1]}};
    return (long)seL4_MessageInfo_get_label(info);
}

/* CNode_Copy (root TCB cap into the first empty slot) then CNode_Delete of the copy, timed as a pair. */
static void bench_cnode_copy_delete(const char *dtb_name, unsigned runs)
{
    struct result *r = add_result("CNode_Copy+CNode_Delete");
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", KAAL_DATA_DIR, dtb_name);
    const char *error = NULL;
    if (hostsim_boot_file(path, &error) != 0) {
        fprintf(stderr, "bench: boot from %s failed: %s\n", dtb_name, error ? error : "?");
        r->error = "boot failed";
        return;
    }
    seL4_BootInfo *bi = hostsim_bootinfo();
    if (bi == NULL || hostsim_root_ipc_buffer() == NULL) {
        r->error = "no bootinfo or IPC buffer";
        hostsim_shutdown();
        return;
    }
    const seL4_Word root = seL4_CapInitThreadCNode, depth = seL4_WordBits;
    const seL4_Word dest = bi->empty.start;
    const seL4_Word copy_mrs[5] = {dest, depth, seL4_CapInitThreadTCB, depth, seL4_AllRights};
    const seL4_Word delete_mrs[2] = {dest, depth};
    const seL4_Word copy_caps[1] = {root};
    unsigned long long *samples = calloc(runs, sizeof(*samples));
    unsigned warmup = runs / 10 + 1;
    for (unsigned i = 0; i < warmup + runs; i++) {
        unsigned long long t0 = now_ns();
        long c = root_call(root, CNodeCopy, 5, copy_mrs, 1, copy_caps);
        long d = root_call(root, CNodeDelete, 2, delete_mrs, 0, NULL);
        unsigned long long t = now_ns() - t0;
        if (c != 0 || d != 0) {
            fprintf(stderr, "bench: CNode_Copy returned %ld, CNode_Delete returned %ld (run %u)\n", c, d, i);
            r->error = "invocation failed";
            break;
        }
        if (i >= warmup) {
            samples[i - warmup] = t;
        }
    }
    if (r->error == NULL) {
        summarise(r, samples, runs);
    }
    free(samples);
    hostsim_shutdown();
}

static void print_results(FILE *out, unsigned boot_runs, unsigned op_runs)
{
    fprintf(out, "KaaL benchmarks: port hostsim, build %s\n", KAAL_BUILD_DESC);
    fprintf(out, "method: %s wall time per run, median of N runs (boots N=%u, invocations N=%u)\n", METHOD,
            boot_runs, op_runs);
    fprintf(out, "%-28s %8s %14s %14s %14s\n", "benchmark", "runs", "median ns", "min ns", "max ns");
    for (unsigned i = 0; i < n_results; i++) {
        const struct result *r = &results[i];
        if (r->error) {
            fprintf(out, "%-28s %8s  not measured: %s\n", r->name, "-", r->error);
        } else {
            fprintf(out, "%-28s %8u %14llu %14llu %14llu\n", r->name, r->runs, r->median_ns, r->min_ns, r->max_ns);
        }
    }
}

static void print_json(FILE *out)
{
    fprintf(out, "{\"port\": \"hostsim\", \"build\": \"%s\", \"method\": \"%s, median of N\", \"unit\": \"ns\", \"results\": [",
            KAAL_BUILD_DESC, METHOD);
    for (unsigned i = 0; i < n_results; i++) {
        const struct result *r = &results[i];
        fprintf(out, "%s\n  {\"name\": \"%s\", ", i ? "," : "", r->name);
        if (r->error) {
            fprintf(out, "\"error\": \"%s\"}", r->error);
        } else {
            fprintf(out, "\"runs\": %u, \"median_ns\": %llu, \"min_ns\": %llu, \"max_ns\": %llu}", r->runs, r->median_ns,
                    r->min_ns, r->max_ns);
        }
    }
    fprintf(out, "\n]}\n");
}

static unsigned parse_count(const char *s, const char *what)
{
    char *end;
    unsigned long v = strtoul(s, &end, 10);
    if (*s == '\0' || *end != '\0' || v == 0 || v > 10000000) {
        fprintf(stderr, "bench: bad %s '%s'\n", what, s);
        exit(2);
    }
    return (unsigned)v;
}

int main(int argc, char **argv)
{
    unsigned boot_runs = 200, op_runs = 100000;
    const char *json_path = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--boots") == 0 && i + 1 < argc) {
            boot_runs = parse_count(argv[++i], "--boots");
        } else if (strcmp(argv[i], "--ops") == 0 && i + 1 < argc) {
            op_runs = parse_count(argv[++i], "--ops");
        } else if (strcmp(argv[i], "--json") == 0 && i + 1 < argc) {
            json_path = argv[++i];
        } else {
            fprintf(stderr, "usage: bench_hostsim [--boots N] [--ops N] [--json FILE]\n");
            return 2;
        }
    }
    hostsim_console_quiet(true);

    bench_boot("small.dtb", boot_runs);
    bench_boot("qemu-virt.dtb", boot_runs);
    bench_cnode_copy_delete("small.dtb", op_runs);

    print_results(stdout, boot_runs, op_runs);
    printf("\n");
    print_json(stdout);
    if (json_path != NULL) {
        FILE *f = fopen(json_path, "w");
        if (f == NULL) {
            fprintf(stderr, "bench: cannot write %s: %s\n", json_path, strerror(errno));
            return 1;
        }
        print_json(f);
        fclose(f);
    }
    for (unsigned i = 0; i < n_results; i++) {
        if (results[i].error) {
            return 1;
        }
    }
    return 0;
}
