/* SPDX-License-Identifier: BSD-2-Clause */
/* The aarch64 benchmark root task: every kernel primitive measured the way sel4bench measures
 * seL4, in PMU cycle-counter units (under QEMU with `-icount shift=0`: instructions). The counter
 * is read in user space right before the system call and right after it returns, in whichever
 * thread runs next; the cost of the two reads themselves (min of back-to-back reads) is
 * subtracted; WARMUP samples are dropped, then SAMPLES kept; min, median, max are printed as one
 * `BENCH {json}` line per primitive, which bench/run_qemu_bench.py collects. docs/performance.md.
 * Under MCS (CONFIG_KERNEL_MCS) the same rows, each thread on a scheduling context of its own
 * (round robin, a budget no run uses up) except the IPC rows' server, which is passive (it runs
 * on its client's donated SC, as in sel4bench's MCS figures) and receives with a reply object;
 * plus call_active and reply_recv_active (the server on an SC of its own). docs/performance.md.
 */
#include <kaal/alloc.h>
#include <kaal/bootinfo.h>
#include <kaal/print.h>
#include <kaal/start.h>
#include <kaal/sys.h>

#define WARMUP 16
#define SAMPLES 256
#define RUNS (WARMUP + SAMPLES)
#define STACK_SIZE 8192
#define IMAGE_BASE 0x400000ul /* root.ld */
#define OTHER_AS_IPC_BUFFER 0x7f0000ul
#define MAP_TEST_VADDR 0x10000000ul
#define PRIO_HIGH 200
#define PRIO_MID 150
#define PRIO_LOW 100

typedef seL4_Word ccnt_t;

static inline ccnt_t ccnt(void)
{
    ccnt_t v;
    __asm__ volatile("mrs %0, pmccntr_el0" : "=r"(v)::"memory");
    return v;
}

/* Raw system calls, as libsel4's inline ones, with the counter read inside the same asm block
 * right before the svc (into *start) and right after it returns (into *end): nothing else runs
 * between the reads and the system call. */
#ifdef CONFIG_KERNEL_MCS
/* MCS: every receive on an endpoint names a reply object in x6 (the server's; Call, Send, Yield
 * and Wait do not read x6). Notifications and done_ep are waited on with Wait (no reply). */
static seL4_CPtr server_reply;
static inline seL4_Word timed_syscall(seL4_Word sys, seL4_Word dest, seL4_Word info, ccnt_t *start,
                                      ccnt_t *end)
{
    register seL4_Word x0 __asm__("x0") = dest;
    register seL4_Word x1 __asm__("x1") = info;
    register seL4_Word x2 __asm__("x2");
    register seL4_Word x3 __asm__("x3");
    register seL4_Word x4 __asm__("x4");
    register seL4_Word x5 __asm__("x5");
    register seL4_Word x6 __asm__("x6") = server_reply;
    register seL4_Word x7 __asm__("x7") = sys;
    ccnt_t s, e;
    __asm__ volatile("mrs %[s], pmccntr_el0\n"
                     "svc #0\n"
                     "mrs %[e], pmccntr_el0"
                     : "+r"(x0), "+r"(x1), "=r"(x2), "=r"(x3), "=r"(x4), "=r"(x5),
                       "+r"(x6), [s] "=&r"(s), [e] "=r"(e)
                     : "r"(x7)
                     : "memory");
    *start = s;
    *end = e;
    return x1;
}
#define SYS_WAIT seL4_SysWait
#else
#define SYS_WAIT seL4_SysRecv
static inline seL4_Word timed_syscall(seL4_Word sys, seL4_Word dest, seL4_Word info, ccnt_t *start,
                                      ccnt_t *end)
{
    register seL4_Word x0 __asm__("x0") = dest;
    register seL4_Word x1 __asm__("x1") = info;
    register seL4_Word x2 __asm__("x2");
    register seL4_Word x3 __asm__("x3");
    register seL4_Word x4 __asm__("x4");
    register seL4_Word x5 __asm__("x5");
    register seL4_Word x7 __asm__("x7") = sys;
    ccnt_t s, e;
    __asm__ volatile("mrs %[s], pmccntr_el0\n"
                     "svc #0\n"
                     "mrs %[e], pmccntr_el0"
                     : "+r"(x0), "+r"(x1), "=r"(x2), "=r"(x3), "=r"(x4),
                       "=r"(x5), [s] "=&r"(s), [e] "=r"(e)
                     : "r"(x7)
                     : "memory");
    *start = s;
    *end = e;
    return x1;
}
#endif

static inline seL4_Word raw_syscall(seL4_Word sys, seL4_Word dest, seL4_Word info)
{
    ccnt_t s, e;
    return timed_syscall(sys, dest, info, &s, &e);
}
#define RECV(ep) raw_syscall((seL4_Word)SYS_WAIT, (ep), 0) /* done_ep: Send only */
#define SEND(ep, info) raw_syscall((seL4_Word)seL4_SysSend, (ep), (info))
#define WAIT(n) raw_syscall((seL4_Word)SYS_WAIT, (n), 0)

/* ---- set-up ------------------------------------------------------------------------------- */

static const seL4_BootInfo *bi;
static struct kaal_slots slots;
static struct kaal_untyped_pool pool;
static seL4_CPtr other_vspace; /* a second address space mapping the same image frames */
static seL4_CPtr done_ep;      /* benchmark threads report here; the root waits on it */
static ccnt_t overhead;

static void fail(const char *what, seL4_Word err)
{
    kaal_puts("bench: FAILED: ");
    kaal_puts(what);
    kaal_puts(" error ");
    kaal_put_dec(err);
    kaal_puts("\n");
    sys_tcb_suspend(seL4_CapInitThreadTCB);
}

static seL4_CPtr alloc(seL4_Word type, seL4_Word bits)
{
    seL4_CPtr cap;
    seL4_Error err = kaal_untyped_alloc(&pool, type, bits, &cap);
    if (err != seL4_NoError) {
        fail("untyped alloc", err);
    }
    return cap;
}

/* Map frame at vaddr in vspace, adding page tables as the walk needs them. Returns the last
 * table added (the walk adds them top down, so that is the one the frame is in), or 0. */
static seL4_CPtr map_frame(seL4_CPtr vspace, seL4_CPtr frame, seL4_Word vaddr)
{
    seL4_CPtr pt = 0;
    for (int tries = 0; tries < 4; tries++) {
        seL4_Error err =
            sys_arm_page_map(frame, vspace, vaddr, seL4_ReadWrite, seL4_ARM_Default_VMAttributes);
        if (err == seL4_NoError) {
            return pt;
        }
        if (err != seL4_FailedLookup) {
            fail("page map", err);
            return pt;
        }
        pt = alloc(seL4_ARM_PageTableObject, 0);
        err = sys_arm_page_table_map(pt, vspace, vaddr, seL4_ARM_Default_VMAttributes);
        if (err != seL4_NoError) {
            fail("page table map", err);
            return pt;
        }
    }
    fail("page map: too many levels", 0);
    return pt;
}

/* The second address space: a new VSpace with every image frame mapped at its usual address, so
 * a thread there runs the same code on the same memory, under a different ASID and TTBR0. */
static void make_other_vspace(void)
{
    other_vspace = alloc(seL4_ARM_VSpaceObject, 0);
    seL4_Error err = sys_arm_asid_pool_assign(seL4_CapInitThreadASIDPool, other_vspace);
    if (err != seL4_NoError) {
        fail("asid pool assign", err);
    }
    seL4_Word n = bi->userImageFrames.end - bi->userImageFrames.start;
    for (seL4_Word i = 0; i < n; i++) {
        seL4_CPtr copy = kaal_slots_alloc(&slots);
        err = sys_cnode_copy(seL4_CapInitThreadCNode, copy, 64, seL4_CapInitThreadCNode,
                             bi->userImageFrames.start + i, 64, seL4_AllRights);
        if (err != seL4_NoError) {
            fail("image frame copy", err);
        }
        map_frame(other_vspace, copy, IMAGE_BASE + i * 4096);
    }
}

struct thread {
    seL4_CPtr tcb;
#ifdef CONFIG_KERNEL_MCS
    seL4_CPtr sc; /* its own scheduling context, BENCH_BUDGET_US round robin */
#endif
    _Alignas(16) unsigned char stack[STACK_SIZE];
    _Alignas(16) unsigned char tls[KAAL_TLS_BLOCK_SIZE];
    _Alignas(4096) seL4_IPCBuffer ipc_buffer;
};

static struct thread threads[3];

static void thread_start(struct thread *self, void (*fn)(void)) __attribute__((noreturn));
static void thread_start(struct thread *self, void (*fn)(void))
{
    kaal_tls_init(self->tls, &self->ipc_buffer);
    fn();
    sys_tcb_suspend(self->tcb);
    for (;;) {
    }
}

/* The image frame cap that backs vaddr (the root's own mapping). */
static seL4_CPtr image_frame(const void *vaddr)
{
    return bi->userImageFrames.start + ((seL4_Word)vaddr - IMAGE_BASE) / 4096;
}

#ifdef CONFIG_KERNEL_MCS
/* Budget = period (round robin) long enough that no budget runs out during the benchmarks: the
 * tickless timer then never interrupts a measurement. */
#define BENCH_BUDGET_US 10000000ul

static void configure_sc(seL4_CPtr sc)
{
    seL4_Error err =
        sys_sched_control_configure_flags(bi->schedcontrol.start, sc, BENCH_BUDGET_US,
                                          BENCH_BUDGET_US, 0, 0, seL4_SchedContext_NoFlag);
    if (err != seL4_NoError) {
        fail("sched control configure", err);
    }
}

static seL4_CPtr make_sc(void)
{
    seL4_CPtr sc = alloc(seL4_SchedContextObject, seL4_MinSchedContextBits);
    configure_sc(sc);
    return sc;
}
#endif

/* Start fn in a new thread at prio, in the root's address space or the other one. fpu: may use
 * FP/SIMD (otherwise it runs with seL4_TCBFlag_fpuDisabled, as sel4bench's threads do). */
static void spawn(int idx, void (*fn)(void), seL4_Word prio, int other_as, int fpu)
{
    struct thread *t = &threads[idx];
    if (t->tcb == 0) {
        t->tcb = alloc(seL4_TCBObject, 0);
    }
#ifdef CONFIG_KERNEL_MCS
    if (t->sc == 0) {
        t->sc = make_sc();
    }
    seL4_Error err = sys_tcb_configure(t->tcb, seL4_CapInitThreadCNode, 0,
                                       other_as ? other_vspace : seL4_CapInitThreadVSpace, 0,
                                       (seL4_Word)&t->ipc_buffer, image_frame(&t->ipc_buffer));
    if (err != seL4_NoError) {
        fail("tcb configure", err);
    }
    /* Binds t->sc unless it is bound already (a passive server's was unbound: bound again). */
    err = sys_tcb_set_sched_params(t->tcb, seL4_CapInitThreadTCB, prio, prio, t->sc, seL4_CapNull);
    if (err != seL4_NoError) {
        fail("tcb set sched params", err);
    }
#else
    seL4_Error err = sys_tcb_configure(t->tcb, 0, seL4_CapInitThreadCNode, 0,
                                       other_as ? other_vspace : seL4_CapInitThreadVSpace, 0,
                                       (seL4_Word)&t->ipc_buffer, image_frame(&t->ipc_buffer));
    if (err != seL4_NoError) {
        fail("tcb configure", err);
    }
    err = sys_tcb_set_priority(t->tcb, seL4_CapInitThreadTCB, prio);
    if (err != seL4_NoError) {
        fail("tcb set priority", err);
    }
#endif
    seL4_TCB_SetFlags_t f = sys_tcb_set_flags(t->tcb, fpu ? seL4_TCBFlag_fpuDisabled : 0,
                                              fpu ? 0 : seL4_TCBFlag_fpuDisabled);
    if (f.error != seL4_NoError) {
        fail("tcb set flags", (seL4_Word)f.error);
    }
    seL4_UserContext regs = {0};
    regs.pc = (seL4_Word)thread_start;
    regs.sp = (seL4_Word)(t->stack + STACK_SIZE);
    regs.x0 = (seL4_Word)t;
    regs.x1 = (seL4_Word)fn;
    err = sys_tcb_write_registers(t->tcb, 1, 0, 5, &regs);
    if (err != seL4_NoError) {
        fail("tcb write registers", err);
    }
}

static void stop_all(void)
{
    for (int i = 0; i < 3; i++) {
        if (threads[i].tcb != 0) {
            sys_tcb_suspend(threads[i].tcb);
        }
    }
}

/* ---- results ------------------------------------------------------------------------------ */

/* One more than RUNS: a lower-priority partner stores its last start only after the other
 * thread's last end, so the run ends one round later and that round is not reported. */
static ccnt_t t_start[RUNS + 1], t_end[RUNS + 1], t_start2[RUNS + 1], t_end2[RUNS + 1];
static ccnt_t samples[SAMPLES];

static void sort(ccnt_t *a, int n)
{
    for (int i = 1; i < n; i++) {
        ccnt_t v = a[i];
        int j = i - 1;
        for (; j >= 0 && a[j] > v; j--) {
            a[j + 1] = a[j];
        }
        a[j + 1] = v;
    }
}

/* Print one result from end[i] - start[i] over runs warmup..warmup+n-1, less the counter-read
 * overhead, divided by units (rounded; per page or per table) when units > 1. */
static void report_runs(const char *name, const char *what, const ccnt_t *start, const ccnt_t *end,
                        int warmup, int n, seL4_Word units, const char *per)
{
    for (int i = 0; i < n; i++) {
        samples[i] = (end[warmup + i] - start[warmup + i] - overhead + units / 2) / units;
    }
    sort(samples, n);
    kaal_puts("BENCH {\"name\": \"");
    kaal_puts(name);
    kaal_puts("\", \"what\": \"");
    kaal_puts(what);
    kaal_puts("\", \"samples\": ");
    kaal_put_dec((seL4_Word)n);
    kaal_puts(", \"min\": ");
    kaal_put_dec(samples[0]);
    kaal_puts(", \"median\": ");
    kaal_put_dec((samples[n / 2 - 1] + samples[n / 2]) / 2);
    kaal_puts(", \"max\": ");
    kaal_put_dec(samples[n - 1]);
    if (per != 0) {
        kaal_puts(", \"per\": \"");
        kaal_puts(per);
        kaal_puts("\", \"count\": ");
        kaal_put_dec(units);
    }
    kaal_puts("}\n");
}

static void report(const char *name, const char *what, const ccnt_t *start, const ccnt_t *end)
{
    report_runs(name, what, start, end, WARMUP, SAMPLES, 1, 0);
}

static void wait_done(void) { RECV(done_ep); }
static void report_done(void) { SEND(done_ep, 0); }

/* ---- IPC: Call and ReplyRecv between a client (root AS) and a server (other AS) ------------ */

static seL4_CPtr ep;
static volatile seL4_Word ipc_len;
static volatile int client_fpu, server_fpu;

/* d0 := v, and d0 as the thread last left it (FP/SIMD state must survive every switch). d0 is
 * caller-saved and unused by this code (-mgeneral-regs-only): no clobber needed. */
static inline void fp_set(seL4_Word v) { __asm__ volatile("fmov d0, %0" ::"r"(v)); }
static inline seL4_Word fp_get(void)
{
    seL4_Word v;
    __asm__ volatile("fmov %0, d0" : "=r"(v));
    return v;
}

static void ipc_server(void)
{
    seL4_Word info = seL4_MessageInfo_new(0, 0, 0, ipc_len).words[0];
    ccnt_t s, e;
    timed_syscall((seL4_Word)seL4_SysRecv, ep, 0, &s, &e);
    for (int i = 0; i <= RUNS; i++) {
        t_end[i] = e; /* the Call arrived */
        if (server_fpu) {
            fp_set(0x5e4e0000 + (seL4_Word)i);
        }
        timed_syscall((seL4_Word)seL4_SysReplyRecv, ep, info, &s, &e);
        t_start2[i] = s;
        if (server_fpu && fp_get() != 0x5e4e0000 + (seL4_Word)i) {
            fail("server FP/SIMD state lost across a switch", fp_get());
        }
    }
}

static void ipc_client(void)
{
    seL4_Word info = seL4_MessageInfo_new(0, 0, 0, ipc_len).words[0];
    for (int i = 0; i <= RUNS; i++) {
        if (client_fpu) {
            fp_set((seL4_Word)i);
        }
        ccnt_t s, e;
        timed_syscall((seL4_Word)seL4_SysCall, ep, info, &s, &e);
        t_start[i] = s;
        t_end2[i] = e;
        if (client_fpu && fp_get() != (seL4_Word)i) {
            fail("client FP/SIMD state lost across a switch", fp_get());
        }
    }
    report_done();
}

#ifdef CONFIG_KERNEL_MCS
/* Make thread idx (spawned, not yet run) a passive server: it runs to its Recv on its own SC, which
 * is then unbound, so every Call runs it on the caller's donated SC and its ReplyRecv gives the SC
 * back. */
static void make_passive(int idx)
{
    /* Below the server for a moment, so that it runs to its Recv and blocks there. */
    sys_tcb_set_priority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, PRIO_MID - 1);
    sys_tcb_set_priority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, 255);
    seL4_Error err = sys_sched_context_unbind(threads[idx].sc);
    if (err != seL4_NoError) {
        fail("sched context unbind", err);
    }
}
#endif

/* fpu: 1 the client uses the FPU, 2 both do (each switch then saves and loads FP/SIMD state).
 * passive (MCS only): the server has no SC of its own (make_passive), the case seL4-MCS's fastpath
 * takes and sel4bench measures; otherwise it runs on its own. */
static void bench_ipc(const char *call_name, const char *rr_name, seL4_Word len, int fpu,
                      int passive)
{
    ipc_len = len;
    client_fpu = fpu >= 1;
    server_fpu = fpu >= 2;
    spawn(0, ipc_server, PRIO_MID, 1, server_fpu);
#ifdef CONFIG_KERNEL_MCS
    if (passive) {
        make_passive(0);
    }
#endif
    spawn(1, ipc_client, PRIO_MID, 0, client_fpu);
    wait_done();
    stop_all();
    if (passive) {
        report(call_name,
               "Call client->passive server (runs on the donated SC), server in another AS, same "
               "priority",
               t_start, t_end);
        report(rr_name,
               "ReplyRecv passive server->client (gives the SC back), client in another AS, same "
               "priority",
               t_start2, t_end2);
        return;
    }
    report(call_name, "Call client->server, server in another AS, same priority", t_start, t_end);
    report(rr_name, "ReplyRecv server->client, client in another AS, same priority", t_start2,
           t_end2);
}

/* ---- Send slowpath: a lower-priority sender in another AS wakes a receiver ----------------- */

static void send_receiver(void)
{
    for (int i = 0; i <= RUNS; i++) {
        ccnt_t s;
        timed_syscall((seL4_Word)seL4_SysRecv, ep, 0, &s, &t_end[i]);
    }
    report_done();
}

static void send_sender(void)
{
    for (int i = 0; i <= RUNS; i++) {
        ccnt_t e;
        timed_syscall((seL4_Word)seL4_SysSend, ep, 0, &t_start[i], &e);
    }
}

static void bench_send(void)
{
    spawn(0, send_receiver, PRIO_MID, 0, 0);
    spawn(1, send_sender, PRIO_LOW, 1, 0);
    wait_done();
    stop_all();
    report("send_slowpath", "Send from a lower-priority thread in another AS to a waiting receiver",
           t_start, t_end);
}

/* ---- notifications ------------------------------------------------------------------------ */

static seL4_CPtr ntfn;

static void signal_waiter(void)
{
    for (int i = 0; i <= RUNS; i++) {
        ccnt_t s;
        timed_syscall((seL4_Word)SYS_WAIT, ntfn, 0, &s, &t_end[i]);
    }
    report_done();
}

static void signal_signaller(void)
{
    for (int i = 0; i <= RUNS; i++) {
        ccnt_t e;
        timed_syscall((seL4_Word)seL4_SysSend, ntfn, 0, &t_start[i], &e);
    }
}

/* Signal, then drop below the waiter so it runs and waits again (not measured). */
static void signal_nowake_signaller(void)
{
    for (int i = 0; i < RUNS; i++) {
        timed_syscall((seL4_Word)seL4_SysSend, ntfn, 0, &t_start[i], &t_end[i]);
        sys_tcb_set_priority(threads[1].tcb, seL4_CapInitThreadTCB, PRIO_LOW - 1);
        sys_tcb_set_priority(threads[1].tcb, seL4_CapInitThreadTCB, PRIO_MID);
    }
    report_done();
}

static void signal_nowake_waiter(void)
{
    for (;;) {
        WAIT(ntfn);
    }
}

static void bench_signal(void)
{
    spawn(0, signal_waiter, PRIO_MID, 1, 0);
    spawn(1, signal_signaller, PRIO_LOW, 0, 0);
    wait_done();
    stop_all();
    report("signal_switch", "Signal to a higher-priority waiter in another AS", t_start, t_end);

    spawn(0, signal_nowake_waiter, PRIO_LOW, 1, 0);
    spawn(1, signal_nowake_signaller, PRIO_MID, 0, 0);
    wait_done();
    stop_all();
    report("signal_no_switch", "Signal to a lower-priority waiter (no switch)", t_start, t_end);
}

/* ---- Yield -------------------------------------------------------------------------------- */

static volatile ccnt_t yield_mark;

static void yield_b(void)
{
    for (;;) {
        ccnt_t s = ccnt();
        yield_mark = s;
        raw_syscall((seL4_Word)seL4_SysYield, 0, 0);
    }
}

/* Yield between two threads: b records the counter and yields; a returns from its own Yield
 * (it yielded to b before) and reads the counter. So each sample is b's Yield to a. */
static void yield_a_simple(void)
{
    for (int i = 0; i < RUNS; i++) {
        ccnt_t s;
        timed_syscall((seL4_Word)seL4_SysYield, 0, 0, &s, &t_end[i]);
        t_start[i] = yield_mark;
    }
    report_done();
}

static void bench_yield(void)
{
    spawn(0, yield_a_simple, PRIO_MID, 0, 0);
    spawn(1, yield_b, PRIO_MID, 0, 0);
    wait_done();
    stop_all();
    report("yield_switch", "Yield to another thread of the same priority (context switch)", t_start,
           t_end);
}

#ifdef CONFIG_KERNEL_MCS
/* ---- MCS: timeout-fault delivery ---------------------------------------------------------- */

/* A thread on a small sporadic budget spins, storing the counter as it goes; when its budget runs
 * out the timer interrupt ends its time and the kernel sends its timeout fault to the handler
 * waiting on the timeout endpoint (a thread of higher priority on an SC of its own), which reads
 * the counter as its Recv returns. One sample: from the spinner's last store to that read (the
 * interrupt entry, the budget charge, the fault message, the switch). The handler's empty reply
 * restarts the spinner, which waits for its next refill. */
#define TIMEOUT_BUDGET_US 100ul
#define TIMEOUT_PERIOD_US 200ul
static volatile ccnt_t spin_last;
static seL4_CPtr timeout_ep;

static void timeout_spinner(void)
{
    for (;;) {
        spin_last = ccnt();
    }
}

static void timeout_handler(void)
{
    ccnt_t s, e;
    timed_syscall((seL4_Word)seL4_SysRecv, timeout_ep, 0, &s, &e);
    for (int i = 0;; i++) {
        t_start[i] = spin_last;
        t_end[i] = e;
        if (i == RUNS) {
            break;
        }
        timed_syscall((seL4_Word)seL4_SysReplyRecv, timeout_ep, 0, &s, &e);
    }
    report_done();
}

static void bench_timeout_fault(void)
{
    timeout_ep = alloc(seL4_EndpointObject, 0);
    spawn(1, timeout_handler, PRIO_MID, 0, 0);
    spawn(0, timeout_spinner, PRIO_LOW, 0, 0);
    seL4_Error err =
        sys_sched_control_configure_flags(bi->schedcontrol.start, threads[0].sc, TIMEOUT_BUDGET_US,
                                          TIMEOUT_PERIOD_US, 0, 0, seL4_SchedContext_NoFlag);
    if (err != seL4_NoError) {
        fail("sched control configure (sporadic)", err);
    }
    err = sys_tcb_set_timeout_endpoint(threads[0].tcb, timeout_ep);
    if (err != seL4_NoError) {
        fail("tcb set timeout endpoint", err);
    }
    wait_done();
    stop_all();
    sys_tcb_set_timeout_endpoint(threads[0].tcb, seL4_CapNull);
    configure_sc(threads[0].sc); /* back to the long round-robin budget of the other rows */
    report("timeout_fault",
           "Timeout fault: budget end in a spinning thread to its handler's Recv returning",
           t_start, t_end);
}
#endif

/* ---- interrupt delivery: an SGI to a user-level handler ----------------------------------- */

#define BENCH_SGI 3
static seL4_CPtr sgi_cap, irq_handler, irq_ntfn;

static void irq_handler_thread(void)
{
    for (int i = 0; i <= RUNS; i++) {
        ccnt_t s;
        timed_syscall((seL4_Word)SYS_WAIT, irq_ntfn, 0, &s, &t_end[i]);
        sys_irq_handler_ack(irq_handler);
    }
    report_done();
}

static void irq_sender(void)
{
    for (int i = 0; i <= RUNS; i++) {
        ccnt_t e;
        timed_syscall((seL4_Word)seL4_SysSend, sgi_cap, 0, &t_start[i], &e);
    }
}

static void bench_irq(void)
{
    irq_handler = kaal_slots_alloc(&slots);
    sgi_cap = kaal_slots_alloc(&slots);
    irq_ntfn = alloc(seL4_NotificationObject, 0);
    seL4_Error err = sys_irq_control_get(seL4_CapIRQControl, BENCH_SGI, seL4_CapInitThreadCNode,
                                         irq_handler, 64);
    if (err == seL4_NoError) {
        err = sys_irq_handler_set_notification(irq_handler, irq_ntfn);
    }
    if (err == seL4_NoError) {
        err = sys_irq_handler_ack(irq_handler);
    }
    if (err == seL4_NoError) {
        err = sys_irq_control_issue_sgi_signal(seL4_CapIRQControl, BENCH_SGI, 0,
                                               seL4_CapInitThreadCNode, sgi_cap, 64);
    }
    if (err != seL4_NoError) {
        fail("SGI set-up", err);
        return;
    }
    spawn(0, irq_handler_thread, PRIO_MID, 1, 0);
    spawn(1, irq_sender, PRIO_LOW, 0, 0);
    wait_done();
    stop_all();
    /* Give the line back: with a user IRQ enabled the kernel would idle instead of powering off. */
    sys_irq_handler_clear(irq_handler);
    sys_cnode_delete(seL4_CapInitThreadCNode, irq_handler, 64);
    report("irq_sgi",
           "SGI sent by a lower-priority thread to a handler thread (IRQHandler notification) in "
           "another AS",
           t_start, t_end);
}

/* ---- the root thread alone ---------------------------------------------------------------- */

static void bench_root_alone(void)
{
    /* Null system call: Yield with nothing else at this priority returns to the caller. */
    for (int i = 0; i < RUNS; i++) {
        timed_syscall((seL4_Word)seL4_SysYield, 0, 0, &t_start[i], &t_end[i]);
    }
    report("null_syscall", "Yield with no other thread at the priority (kernel round trip)",
           t_start, t_end);

    for (int i = 0; i < RUNS; i++) {
        timed_syscall((seL4_Word)seL4_SysNBRecv, ntfn, 0, &t_start[i], &t_end[i]);
    }
    report("poll_empty", "NBRecv (Poll) on an idle notification", t_start, t_end);

    /* CNode Copy and Delete of an endpoint cap. */
    seL4_CPtr dst = kaal_slots_alloc(&slots);
    for (int i = 0; i < RUNS; i++) {
        ccnt_t s = ccnt();
        sys_cnode_copy(seL4_CapInitThreadCNode, dst, 64, seL4_CapInitThreadCNode, ep, 64,
                       seL4_AllRights);
        ccnt_t m = ccnt();
        sys_cnode_delete(seL4_CapInitThreadCNode, dst, 64);
        ccnt_t e = ccnt();
        t_start[i] = s, t_end[i] = m, t_start2[i] = m, t_end2[i] = e;
    }
    report("cnode_copy", "CNode_Copy of an endpoint cap (libkaal stub)", t_start, t_end);
    report("cnode_delete", "CNode_Delete of that copy (libkaal stub)", t_start2, t_end2);

    /* Untyped_Retype of one endpoint, into a fresh slot each time, from a 64 KiB untyped. */
    seL4_CPtr ut;
    if (kaal_untyped_split(&pool, 16, &ut) != seL4_NoError) {
        fail("untyped split", 0);
    }
    seL4_CPtr base = kaal_slots_alloc_range(&slots, RUNS);
    for (int i = 0; i < RUNS; i++) {
        ccnt_t s = ccnt();
        seL4_Error err = sys_untyped_retype(ut, seL4_EndpointObject, 0, seL4_CapInitThreadCNode, 0,
                                            0, base + i, 1);
        ccnt_t e = ccnt();
        if (err != seL4_NoError) {
            fail("retype", err);
        }
        t_start[i] = s, t_end[i] = e;
    }
    report("untyped_retype", "Untyped_Retype of one endpoint (libkaal stub)", t_start, t_end);

    /* Page_Map and Page_Unmap of a 4 KiB frame whose page table is in place. */
    seL4_CPtr frame = alloc(seL4_ARM_SmallPageObject, 0);
    map_frame(seL4_CapInitThreadVSpace, frame, MAP_TEST_VADDR);
    sys_arm_page_unmap(frame);
    for (int i = 0; i < RUNS; i++) {
        ccnt_t s = ccnt();
        sys_arm_page_map(frame, seL4_CapInitThreadVSpace, MAP_TEST_VADDR, seL4_ReadWrite,
                         seL4_ARM_Default_VMAttributes);
        ccnt_t m = ccnt();
        sys_arm_page_unmap(frame);
        ccnt_t e = ccnt();
        t_start[i] = s, t_end[i] = m, t_start2[i] = m, t_end2[i] = e;
    }
    report("page_map", "Page_Map of a 4 KiB frame, page tables present (libkaal stub)", t_start,
           t_end);
    report("page_unmap", "Page_Unmap of that frame (libkaal stub)", t_start2, t_end2);
}

/* ---- page mapping: N pages into a VSpace whose tables are ready, and preparing those tables --
 * As sel4bench's page_mapping benchmark: per run, retype the tables and map them (timed: "prepare
 * the page tables"), retype N frames (not timed), map them one Page_Map each at consecutive
 * addresses (timed), then revoke the untyped, which deletes every frame and table. The next run's
 * first retype resets (zeroes) the untyped again; here that is the frames' retype, so the timed
 * table preparation is the retypes and maps alone (in sel4bench the reset falls into it). */

/* sel4bench's START_ADDR; its upper tables are made once, untimed */
#define MAP_BASE 0x60000000ul
#define MAP_WARMUP 1
#define MAP_SAMPLES 8
#define MAP_MAX_PAGES 2048
#define PAGES_PER_TABLE 512ul /* 4 KiB table of 8-byte entries */
#define MAP_UNTYPED_BITS 24   /* 16 MiB: 2048 frames and 4 tables */
#define MAP_RETYPE_BATCH 64   /* frames per (untimed) Untyped_Retype, under any fan-out limit */

/* The first frame retype of each run: it resets what the previous run used, then makes frames. */
static ccnt_t reset_start[MAP_WARMUP + MAP_SAMPLES], reset_end[MAP_WARMUP + MAP_SAMPLES];

/* Out of line: its counter reads are what tools/qemu_profile.py --any-read looks for. */
static __attribute__((noinline)) void bench_map_pages(seL4_CPtr ut, seL4_Word npages)
{
    seL4_Word ntables = (npages + PAGES_PER_TABLE - 1) / PAGES_PER_TABLE;
    for (int run = 0; run < MAP_WARMUP + MAP_SAMPLES; run++) {
        seL4_CPtr mark = slots.next;
        seL4_CPtr tables = kaal_slots_alloc_range(&slots, ntables);
        seL4_CPtr frames = kaal_slots_alloc_range(&slots, npages);
        if (tables == seL4_CapNull || frames == seL4_CapNull) {
            fail("page mapping: out of slots", npages);
            return;
        }
        /* Frames first: their first retype resets the untyped the previous run used. */
        for (seL4_Word i = 0; i < npages; i += MAP_RETYPE_BATCH) {
            seL4_Word n = npages - i < MAP_RETYPE_BATCH ? npages - i : MAP_RETYPE_BATCH;
            ccnt_t rs = ccnt();
            seL4_Error err = sys_untyped_retype(ut, seL4_ARM_SmallPageObject, 0,
                                                seL4_CapInitThreadCNode, 0, 0, frames + i, n);
            ccnt_t re = ccnt();
            if (i == 0) {
                reset_start[run] = rs, reset_end[run] = re;
            }
            if (err != seL4_NoError) {
                fail("page mapping: frame retype", err);
                return;
            }
        }
        seL4_Error err = seL4_NoError;
        ccnt_t s = ccnt();
        for (seL4_Word i = 0; i < ntables && err == seL4_NoError; i++) {
            err = sys_untyped_retype(ut, seL4_ARM_PageTableObject, 0, seL4_CapInitThreadCNode, 0, 0,
                                     tables + i, 1);
            if (err == seL4_NoError) {
                err = sys_arm_page_table_map(tables + i, seL4_CapInitThreadVSpace,
                                             MAP_BASE + i * PAGES_PER_TABLE * 4096,
                                             seL4_ARM_Default_VMAttributes);
            }
        }
        ccnt_t m = ccnt();
        if (err != seL4_NoError) {
            fail("page mapping: table retype or map", err);
            return;
        }
        for (seL4_Word i = 0; i < npages && err == seL4_NoError; i++) {
            err = sys_arm_page_map(frames + i, seL4_CapInitThreadVSpace, MAP_BASE + i * 4096,
                                   seL4_AllRights, seL4_ARM_Default_VMAttributes);
        }
        ccnt_t e = ccnt();
        if (err != seL4_NoError) {
            fail("page mapping: page map", err);
            return;
        }
        t_start[run] = s, t_end[run] = m, t_start2[run] = m, t_end2[run] = e;
        /* The mappings are real: the last page is there, and zero (retype hands out zeroed frames).
         */
        if (*(volatile seL4_Word *)(MAP_BASE + (npages - 1) * 4096) != 0) {
            fail("page mapping: a new frame is not zero", npages);
        }
        err = sys_cnode_revoke(seL4_CapInitThreadCNode, ut, 64);
        if (err != seL4_NoError) {
            fail("page mapping: revoke", err);
            return;
        }
        kaal_slots_reset(&slots, mark);
    }
}

static void bench_page_mapping(void)
{
    static const struct {
        seL4_Word pages;
        const char *map_name, *prepare_name;
    } sizes[] = {
        {1, "map_pages_1", "prepare_tables_1"},
        {16, "map_pages_16", "prepare_tables_16"},
        {256, "map_pages_256", "prepare_tables_256"},
        {MAP_MAX_PAGES, "map_pages_2048", "prepare_tables_2048"},
    };
    /* The levels above MAP_BASE's tables, made once: map one frame there (adding every table its
     * walk needs), then take the frame and its last-level table away again. */
    seL4_CPtr frame = alloc(seL4_ARM_SmallPageObject, 0);
    seL4_CPtr leaf = map_frame(seL4_CapInitThreadVSpace, frame, MAP_BASE);
    sys_arm_page_unmap(frame);
    if (leaf == 0 || sys_arm_page_table_unmap(leaf) != seL4_NoError) {
        fail("page mapping: set-up", leaf);
        return;
    }
    seL4_CPtr ut;
    if (kaal_untyped_split(&pool, MAP_UNTYPED_BITS, &ut) != seL4_NoError) {
        fail("page mapping: untyped split", MAP_UNTYPED_BITS);
        return;
    }
    for (unsigned k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
        seL4_Word n = sizes[k].pages;
        seL4_Word tables = (n + PAGES_PER_TABLE - 1) / PAGES_PER_TABLE;
        bench_map_pages(ut, n);
        report_runs(sizes[k].map_name,
                    "Page_Map of N 4 KiB frames at consecutive addresses, tables ready (per page)",
                    t_start2, t_end2, MAP_WARMUP, MAP_SAMPLES, n, "page");
        report_runs(sizes[k].prepare_name,
                    "Untyped_Retype and PageTable_Map of the tables for N pages, untyped already "
                    "reset (per table)",
                    t_start, t_end, MAP_WARMUP, MAP_SAMPLES, tables, "table");
    }
    /* After the 2048-page runs: each run's first retype reset 2048 frames and 4 tables. */
    report_runs("reset_untyped_2048",
                "First Untyped_Retype after revoking a 2048-page run: reset of 2052 pages, then 64 "
                "frames (per page reset)",
                reset_start, reset_end, MAP_WARMUP, MAP_SAMPLES, MAP_MAX_PAGES + 4, "page");
}

/* ---- main --------------------------------------------------------------------------------- */

int kaal_root_main(const seL4_BootInfo *boot_info)
{
    bi = boot_info;
    kaal_slots_init_bootinfo(&slots, bi);
    kaal_untyped_init(&pool, &slots);
    kaal_untyped_add_bootinfo(&pool, bi, 12);

    /* The counter must move: a kernel built without -Dbenchmarks=true traps this read. */
    ccnt_t a = ccnt(), b = ccnt();
    overhead = b - a;
    for (int i = 0; i < 64; i++) {
        a = ccnt();
        b = ccnt();
        if (b - a < overhead) {
            overhead = b - a;
        }
    }
    kaal_puts("bench: KaaL aarch64 benchmarks; counter PMCCNTR_EL0, read overhead ");
    kaal_put_dec(overhead);
    kaal_puts(" (subtracted); ");
    kaal_put_dec(WARMUP);
    kaal_puts(" warm-up runs dropped, ");
    kaal_put_dec(SAMPLES);
    kaal_puts(" samples each\n");

    done_ep = alloc(seL4_EndpointObject, 0);
    ep = alloc(seL4_EndpointObject, 0);
    ntfn = alloc(seL4_NotificationObject, 0);
#ifdef CONFIG_KERNEL_MCS
    server_reply = alloc(seL4_ReplyObject, 0);
    configure_sc(seL4_CapInitThreadSC); /* the root's own budget: no timer interrupt either */
#endif
    make_other_vspace();
    /* The root thread drops to the top benchmark priority plus one, so its Recv lets them run. */

#ifdef CONFIG_KERNEL_MCS
    /* MCS: the server is passive, as in sel4bench's MCS figures; the _active rows give it an SC. */
    const int passive = 1;
#else
    const int passive = 0;
#endif
    bench_ipc("call", "reply_recv", 0, 0, passive);
    bench_ipc("call_fpu", "reply_recv_fpu", 0, 1, passive);
    bench_ipc("call_fpu_both", "reply_recv_fpu_both", 0, 2, passive);
    bench_ipc("call_10", "reply_recv_10", 10, 0, passive);
#ifdef CONFIG_KERNEL_MCS
    bench_ipc("call_active", "reply_recv_active", 0, 0, 0);
#endif
    bench_send();
    bench_signal();
    bench_yield();
#ifdef CONFIG_KERNEL_MCS
    bench_timeout_fault();
#endif
    bench_irq();
    sys_tcb_set_priority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, PRIO_MID);
    bench_root_alone();
    bench_page_mapping();
    kaal_puts("bench: done\n");
    return 0;
}
