/* SPDX-License-Identifier: BSD-2-Clause */
/* Benchmarks on the hostsim port: kernel boot time per device tree, a CNode_Copy + CNode_Delete
 * pair made as the root thread, a null system call, and IPC between two threads (Call and
 * ReplyRecv, the fastpath when -Dfastpath=true, Yield). Wall-clock nanoseconds (clock_gettime) per
 * system call as the harness makes it (hostsim_root_syscall / hostsim_syscall_as_current), median
 * of many runs.
 * --callgrind: no clock reads; bench/callgrind_hostsim.py runs this under Valgrind's callgrind and
 * divides each bench_op_* function's inclusive instruction count by its number of system calls. */
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
#define MAX_RESULTS 16

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

/* Boot time from one device tree: hostsim_boot() alone is timed (the previous machine is shut down
 * first). */
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

/* One root-thread seL4_Call on cptr; MR0..3 in x2..x5, the rest in the IPC buffer. Returns the
 * reply label (0 = no error) or -1 if the thread did not get its reply. */
static long root_call(seL4_Word cptr, seL4_Word label, unsigned n, const seL4_Word *mrs,
                      unsigned ncaps, const seL4_Word *caps)
{
    seL4_IPCBuffer *ipc = hostsim_root_ipc_buffer();
    uint64_t regs[8] = {cptr, seL4_MessageInfo_new(label, 0, ncaps, n).words[0],
                        0,    0,
                        0,    0,
                        0,    (uint64_t)seL4_SysCall};
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

/* CNode_Copy (root TCB cap into the first empty slot) then CNode_Delete of the copy, timed as a
 * pair. */
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
            fprintf(stderr, "bench: CNode_Copy returned %ld, CNode_Delete returned %ld (run %u)\n",
                    c, d, i);
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

/* --callgrind: time nothing (the instruction counts come from bench_op_* under callgrind). */
static int no_clock;

static unsigned long long clock_ns(void) { return no_clock ? 0 : now_ns(); }

/* One system call as the current thread; x0 = cptr, x1 = info, x7 = sysno. */
static enum hostsim_status current_syscall(int64_t sysno, seL4_Word cptr, seL4_Word info)
{
    uint64_t regs[8] = {cptr, info, 0, 0, 0, 0, 0, (uint64_t)sysno};
    return hostsim_syscall_as_current(regs, NULL);
}

/* An untyped of at least 2^bits bytes from bootinfo (not device memory), or 0. */
static seL4_Word find_untyped(const seL4_BootInfo *bi, unsigned bits)
{
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; i++) {
        if (!bi->untypedList[i].isDevice && bi->untypedList[i].sizeBits >= bits) {
            return bi->untyped.start + i;
        }
    }
    return 0;
}

struct ipc_setup {
    seL4_Word ep, tcb[2];
    uint64_t server, client; /* thread handles */
};

/* Two threads at priority 200 in the root's CSpace and VSpace, an endpoint, the root parked in a
 * Recv on a second endpoint. The first thread the kernel runs becomes the server (Recv on ep). */
static const char *ipc_setup(struct ipc_setup *st)
{
    const char *error = NULL;
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", KAAL_DATA_DIR, "qemu-virt.dtb");
    if (hostsim_boot_file(path, &error) != 0) {
        return "boot failed";
    }
    seL4_BootInfo *bi = hostsim_bootinfo();
    seL4_Word ut = find_untyped(bi, 16), slot = bi->empty.start;
    if (ut == 0) {
        return "no untyped";
    }
    const seL4_Word root = seL4_CapInitThreadCNode, caps_root[1] = {root};
    /* Retype(type, size_bits, root, node_index, node_depth, node_offset, num): node_depth 0 = root.
     */
    const seL4_Word tcbs[6] = {seL4_TCBObject, 0, 0, 0, slot, 2},
                    eps[6] = {seL4_EndpointObject, 0, 0, 0, slot + 2, 2};
    if (root_call(ut, UntypedRetype, 6, tcbs, 1, caps_root) != 0 ||
        root_call(ut, UntypedRetype, 6, eps, 1, caps_root) != 0) {
        return "retype failed";
    }
    st->tcb[0] = slot, st->tcb[1] = slot + 1, st->ep = slot + 2;
    seL4_Word park = slot + 3;
    for (int i = 0; i < 2; i++) {
        const seL4_Word cfg[4] = {0, 0, 0, 0},
                        cfg_caps[3] = {root, seL4_CapInitThreadVSpace, seL4_CapNull};
        const seL4_Word prio[1] = {200}, prio_caps[1] = {seL4_CapInitThreadTCB};
        if (root_call(st->tcb[i], TCBConfigure, 4, cfg, 3, cfg_caps) != 0 ||
            root_call(st->tcb[i], TCBSetPriority, 1, prio, 1, prio_caps) != 0 ||
            root_call(st->tcb[i], TCBResume, 0, NULL, 0, NULL) != 0) {
            return "thread set-up failed";
        }
    }
    uint64_t regs[8] = {park, 0, 0, 0, 0, 0, 0, (uint64_t)seL4_SysRecv};
    if (hostsim_root_syscall(regs, NULL) != HOSTSIM_BLOCKED) {
        return "the root did not block";
    }
    st->server = hostsim_current_thread();
    if (current_syscall(seL4_SysRecv, st->ep, 0) != HOSTSIM_BLOCKED) {
        return "the server did not block";
    }
    st->client = hostsim_current_thread();
    if (st->client == 0 || st->client == st->server) {
        return "no client thread";
    }
    return NULL;
}

/* runs Call + ReplyRecv round trips: each system call timed on its own. */
static __attribute__((noinline)) const char *bench_op_call_reply_recv(struct ipc_setup *st,
                                                                      unsigned runs,
                                                                      unsigned long long *call_ns,
                                                                      unsigned long long *rr_ns)
{
    for (unsigned i = 0; i < runs; i++) {
        unsigned long long t0 = clock_ns();
        if (current_syscall(seL4_SysCall, st->ep, 0) != HOSTSIM_BLOCKED ||
            hostsim_current_thread() != st->server) {
            return "Call did not switch to the server";
        }
        unsigned long long t1 = clock_ns();
        if (current_syscall(seL4_SysReplyRecv, st->ep, 0) != HOSTSIM_BLOCKED ||
            hostsim_current_thread() != st->client) {
            return "ReplyRecv did not switch to the client";
        }
        unsigned long long t2 = clock_ns();
        call_ns[i] = t1 - t0;
        rr_ns[i] = t2 - t1;
    }
    return NULL;
}

/* runs Yields between the two threads (the server first leaves its Recv: the client Sends). */
static __attribute__((noinline)) const char *bench_op_yield(unsigned runs, unsigned long long *ns)
{
    for (unsigned i = 0; i < runs; i++) {
        uint64_t before = hostsim_current_thread();
        unsigned long long t0 = clock_ns();
        current_syscall(seL4_SysYield, 0, 0);
        ns[i] = clock_ns() - t0;
        if (hostsim_current_thread() == before) {
            return "Yield did not switch";
        }
    }
    return NULL;
}

/* runs null system calls (Yield with nothing else at the priority) as the root thread. */
static __attribute__((noinline)) const char *bench_op_null_syscall(unsigned runs,
                                                                   unsigned long long *ns)
{
    for (unsigned i = 0; i < runs; i++) {
        uint64_t regs[8] = {0, 0, 0, 0, 0, 0, 0, (uint64_t)seL4_SysYield};
        unsigned long long t0 = clock_ns();
        if (hostsim_root_syscall(regs, NULL) != HOSTSIM_OK) {
            return "Yield failed";
        }
        ns[i] = clock_ns() - t0;
    }
    return NULL;
}

static void finish(struct result *r, const char *error, unsigned long long *samples,
                   unsigned warmup, unsigned runs)
{
    if (error != NULL) {
        r->error = error;
        fprintf(stderr, "bench: %s: %s\n", r->name, error);
    } else {
        summarise(r, samples + warmup, runs);
    }
}

static void bench_ipc(unsigned runs)
{
    unsigned warmup = runs / 10 + 1, n = warmup + runs;
    unsigned long long *a = calloc(n, sizeof(*a)), *b = calloc(n, sizeof(*b));
    struct result *rn = add_result("null syscall (Yield)");
    const char *error = NULL;
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", KAAL_DATA_DIR, "qemu-virt.dtb");
    if (hostsim_boot_file(path, &error) != 0) {
        error = "boot failed";
    } else {
        error = bench_op_null_syscall(n, a);
    }
    finish(rn, error, a, warmup, runs);
    hostsim_shutdown();

    struct result *rc = add_result("Call (fastpath case)"),
                  *rr = add_result("ReplyRecv (fastpath case)");
    struct result *ry = add_result("Yield (switch)");
    struct ipc_setup st;
    error = ipc_setup(&st);
    if (error == NULL) {
        error = bench_op_call_reply_recv(&st, n, a, b);
    }
    finish(rc, error, a, warmup, runs);
    finish(rr, error, b, warmup, runs);
    if (error == NULL && current_syscall(seL4_SysSend, st.ep, 0) != HOSTSIM_OK) {
        error = "the client's Send did not return"; /* wakes the server: both are now runnable */
    }
    if (error == NULL) {
        error = bench_op_yield(n, a);
    }
    finish(ry, error, a, warmup, runs);
    hostsim_shutdown();
    free(a);
    free(b);
}

static void print_results(FILE *out, unsigned boot_runs, unsigned op_runs)
{
    fprintf(out, "KaaL benchmarks: port hostsim, build %s\n", KAAL_BUILD_DESC);
    fprintf(out, "method: %s wall time per run, median of N runs (boots N=%u, invocations N=%u)\n",
            METHOD, boot_runs, op_runs);
    fprintf(out, "%-28s %8s %14s %14s %14s\n", "benchmark", "runs", "median ns", "min ns",
            "max ns");
    for (unsigned i = 0; i < n_results; i++) {
        const struct result *r = &results[i];
        if (r->error) {
            fprintf(out, "%-28s %8s  not measured: %s\n", r->name, "-", r->error);
        } else {
            fprintf(out, "%-28s %8u %14llu %14llu %14llu\n", r->name, r->runs, r->median_ns,
                    r->min_ns, r->max_ns);
        }
    }
}

static void print_json(FILE *out)
{
    fprintf(out,
            "{\"port\": \"hostsim\", \"build\": \"%s\", \"method\": \"%s, median of N\", \"unit\": "
            "\"ns\", \"results\": [",
            KAAL_BUILD_DESC, METHOD);
    for (unsigned i = 0; i < n_results; i++) {
        const struct result *r = &results[i];
        fprintf(out, "%s\n  {\"name\": \"%s\", ", i ? "," : "", r->name);
        if (r->error) {
            fprintf(out, "\"error\": \"%s\"}", r->error);
        } else {
            fprintf(out, "\"runs\": %u, \"median_ns\": %llu, \"min_ns\": %llu, \"max_ns\": %llu}",
                    r->runs, r->median_ns, r->min_ns, r->max_ns);
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
        } else if (strcmp(argv[i], "--callgrind") == 0) {
            no_clock = 1;
            boot_runs = 1;
        } else {
            fprintf(stderr,
                    "usage: bench_hostsim [--boots N] [--ops N] [--json FILE] [--callgrind]\n");
            return 2;
        }
    }
    hostsim_console_quiet(true);

    bench_boot("small.dtb", boot_runs);
    bench_boot("qemu-virt.dtb", boot_runs);
    bench_cnode_copy_delete("small.dtb", op_runs);
    bench_ipc(op_runs);

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
