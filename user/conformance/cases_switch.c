/* SPDX-License-Identifier: BSD-2-Clause */
/* Conformance: what a thread finds when it runs again after other threads ran, on every way back
 * to user mode (the IPC fastpath, slowpath system calls, fault replies, timer preemption).
 * - FP/SIMD: each thread has its own V0-V31, FPSR and FPCR, kept across any switches, whether the
 *   threads in between use FP/SIMD or run with seL4_TCBFlag_fpuDisabled; a new thread starts with
 *   all of them zero, even when the thread whose state the CPU held last was deleted and its memory
 *   reused (as a TCB or as a frame). aarch64 only: hostsim threads use the host's registers.
 * - VSpaces: a blocked thread runs, when woken, in whatever its VTable slot names at that moment:
 *   the new VSpace after TCB_SetSpace; the same one after the caps to it elsewhere are moved,
 *   swapped, copied or deleted; none (every access faults) after its ASID pool or its VSpace is
 *   deleted, or when its ASID now names another VSpace. */
#include "harness.h"

#define ROOT seL4_CapInitThreadCNode
#define DEPTH seL4_WordBits
#define PAGE 4096ull
#define PRIO CONF_THREAD_PRIO

/* ===================== FP/SIMD ===================== */
#if defined(KAAL_ARCH_AARCH64)
#define FP_WORDS 66 /* Q0-Q31 (low word first), FPSR, FPCR: the layout of seL4's FPU state */
#define FP_FPSR 64
#define FP_FPCR 65

/* Load all of them from src / store all of them to dst (this file's C code, like all user code
 * here, is built with -mgeneral-regs-only: nothing else touches them). */
void conf_switch_fp_load(const seL4_Word *src);
void conf_switch_fp_store(seL4_Word *dst);
__asm__(".text\n"
        ".balign 4\n"
        ".global conf_switch_fp_load\n"
        ".type conf_switch_fp_load, %function\n"
        "conf_switch_fp_load:\n"
        "    ld1 {v0.2d, v1.2d, v2.2d, v3.2d}, [x0], #64\n"
        "    ld1 {v4.2d, v5.2d, v6.2d, v7.2d}, [x0], #64\n"
        "    ld1 {v8.2d, v9.2d, v10.2d, v11.2d}, [x0], #64\n"
        "    ld1 {v12.2d, v13.2d, v14.2d, v15.2d}, [x0], #64\n"
        "    ld1 {v16.2d, v17.2d, v18.2d, v19.2d}, [x0], #64\n"
        "    ld1 {v20.2d, v21.2d, v22.2d, v23.2d}, [x0], #64\n"
        "    ld1 {v24.2d, v25.2d, v26.2d, v27.2d}, [x0], #64\n"
        "    ld1 {v28.2d, v29.2d, v30.2d, v31.2d}, [x0], #64\n"
        "    ldp x1, x2, [x0]\n"
        "    msr fpsr, x1\n"
        "    msr fpcr, x2\n"
        "    ret\n"
        ".size conf_switch_fp_load, . - conf_switch_fp_load\n"
        ".balign 4\n"
        ".global conf_switch_fp_store\n"
        ".type conf_switch_fp_store, %function\n"
        "conf_switch_fp_store:\n"
        "    st1 {v0.2d, v1.2d, v2.2d, v3.2d}, [x0], #64\n"
        "    st1 {v4.2d, v5.2d, v6.2d, v7.2d}, [x0], #64\n"
        "    st1 {v8.2d, v9.2d, v10.2d, v11.2d}, [x0], #64\n"
        "    st1 {v12.2d, v13.2d, v14.2d, v15.2d}, [x0], #64\n"
        "    st1 {v16.2d, v17.2d, v18.2d, v19.2d}, [x0], #64\n"
        "    st1 {v20.2d, v21.2d, v22.2d, v23.2d}, [x0], #64\n"
        "    st1 {v24.2d, v25.2d, v26.2d, v27.2d}, [x0], #64\n"
        "    st1 {v28.2d, v29.2d, v30.2d, v31.2d}, [x0], #64\n"
        "    mrs x1, fpsr\n"
        "    mrs x2, fpcr\n"
        "    stp x1, x2, [x0]\n"
        "    ret\n"
        ".size conf_switch_fp_store, . - conf_switch_fp_store\n");

/* What a thread's FP state checks write to its struct conf_thread (the root reads them). */
enum {
    OUT_TURNS = 0,
    OUT_CHECKS = 1,
    OUT_BAD = 2,
    OUT_BAD_WORD = 3,
    OUT_BAD_GOT = 4,
    OUT_BAD_WANT = 5,
    OUT_REPLY_BAD = 10
};

/* Thread k's values for round r: every word different between threads, registers and rounds;
 * FPSR cumulative flags (IOC..IXC, IDC, QC) and FPCR AHP, DN, FZ, RMode from k and r. */
static void fp_pattern(seL4_Word k, seL4_Word r, seL4_Word *w)
{
    for (seL4_Word i = 0; i < 64; i++) {
        w[i] = (k << 56) ^ (0xa5ull << 48) ^ (r << 16) ^ (i << 8) ^ 0x3c ^ ((i & 1) << 40);
    }
    w[FP_FPSR] = ((k * 7 + r) & 0x1f) | ((r & 1) << 7) | (((k + r) & 1) << 27);
    w[FP_FPCR] = (((k + r) & 3) << 22) | ((k & 1) << 24) | ((r & 1) << 25) | (((k >> 1) & 1) << 26);
}

/* Compare the registers with want; a mismatch is recorded in t->out (the first one in detail). */
static void fp_check(struct conf_thread *t, const seL4_Word *want)
{
    seL4_Word now[FP_WORDS];
    conf_switch_fp_store(now);
    t->out[OUT_CHECKS]++;
    for (unsigned i = 0; i < FP_WORDS; i++) {
        if (now[i] != want[i]) {
            if (t->out[OUT_BAD]++ == 0) {
                t->out[OUT_BAD_WORD] = i;
                t->out[OUT_BAD_GOT] = now[i];
                t->out[OUT_BAD_WANT] = want[i];
            }
            return;
        }
    }
}

/* Load thread k's values for round r; want = what the registers then hold (FPSR and FPCR keep
 * only the bits the CPU implements; the 128-bit registers must hold the pattern). */
static void fp_set(struct conf_thread *t, seL4_Word k, seL4_Word r, seL4_Word *want)
{
    seL4_Word pat[FP_WORDS];
    fp_pattern(k, r, pat);
    conf_switch_fp_load(pat);
    conf_switch_fp_store(want);
    for (unsigned i = 0; i < 64; i++) {
        if (want[i] != pat[i]) {
            want[i] = pat[i]; /* fp_check reports it */
        }
    }
}

static void root_fpu(int disabled, seL4_Error *err)
{
    seL4_TCB_SetFlags_t f =
        sys_tcb_set_flags(seL4_CapInitThreadTCB, disabled ? 0 : seL4_TCBFlag_fpuDisabled,
                          disabled ? seL4_TCBFlag_fpuDisabled : 0);
    *err = f.error;
}

/* Let every started thread of lower priority run until it blocks (the root is at 255). */
static void let_threads_block(void)
{
    (void)sys_tcb_set_priority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, 1);
    (void)sys_tcb_set_priority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, 255);
}

static void check_fp_thread(struct conf_thread *t, seL4_Word min_checks)
{
    if (t->out[OUT_BAD] != 0) {
        conf_fail(__FILE__, __LINE__, "FP/SIMD state changed across switches (word OUT_BAD_WORD)",
                  t->out[OUT_BAD_GOT], t->out[OUT_BAD_WANT], 1);
        return;
    }
    if (t->out[OUT_CHECKS] < min_checks) {
        conf_fail(__FILE__, __LINE__, "too few FP/SIMD checks", t->out[OUT_CHECKS], min_checks, 1);
    }
}

/* --- threads A, B (FP/SIMD) and C (fpuDisabled) pass the turn in a fixed order: each Signals
 * the next one's notification and Waits on its own (slowpath switches, nothing else runs). --- */
struct script {
    const unsigned char *steps;
    unsigned n;
    volatile unsigned pos;
    seL4_CPtr ntfn[3], finished;
};

static void scripted(struct conf_thread *t)
{
    struct script *s = (struct script *)(uintptr_t)t->arg[0];
    seL4_Word me = t->arg[1], fp = t->arg[2], r = 0;
    seL4_Word want[FP_WORDS];
    if (fp) {
        fp_set(t, me + 1, r, want);
    }
    for (;;) {
        sys_wait(s->ntfn[me], NULL);
        if (fp) {
            fp_check(t, want);
            fp_set(t, me + 1, ++r, want);
        }
        t->out[OUT_TURNS]++;
        unsigned next = ++s->pos;
        sys_signal(next < s->n ? s->ntfn[s->steps[next]] : s->finished);
    }
}
#endif

static void case_fp_isolation_ordered_switches(struct conf_env *env)
{
    CONF_REQUIRE_THREADS(env);
#if !defined(KAAL_ARCH_AARCH64)
    CONF_SKIP(
        "hostsim threads share the host's FP/SIMD registers: the kernel does not switch them");
#else
    enum { A, B, C };
    /* A->C->A, A->C->B->A, A->B->C->B->A, B->C->B, C->C, ... */
    static const unsigned char base[] = {A, C, A, C, B, A, B, C, B, A, C, C, B, C, A, C, B, B, A};
    static unsigned char steps[10 * sizeof(base)];
    for (unsigned i = 0; i < sizeof(steps); i++) {
        steps[i] = base[i % sizeof(base)];
    }
    seL4_Error err;
    root_fpu(1, &err); /* the root (which never touches FP/SIMD) does not take the registers */
    CONF_OK(err);
    struct script s;
    s.steps = steps;
    s.n = sizeof(steps);
    s.pos = 0;
    struct conf_thread t[3];
    for (unsigned i = 0; i < 3; i++) {
        conf_thread_make(env, &t[i], scripted, PRIO, 0);
        s.ntfn[i] = conf_alloc(env, seL4_NotificationObject, 0);
        t[i].arg[0] = (seL4_Word)(uintptr_t)&s;
        t[i].arg[1] = i;
        t[i].arg[2] = i != C;
    }
    s.finished = conf_alloc(env, seL4_NotificationObject, 0);
    CONF_CHECK(!conf_failed());
    CONF_OK(sys_tcb_set_flags(t[C].tcb, 0, seL4_TCBFlag_fpuDisabled).error);
    for (unsigned i = 0; i < 3; i++) {
        conf_thread_start(&t[i]);
    }
    let_threads_block(); /* each loads its first values and waits for its turn */
    sys_signal(s.ntfn[steps[0]]);
    sys_wait(s.finished, NULL);
    CONF_EQ(s.pos, sizeof(steps));
    unsigned turns[3] = {0, 0, 0};
    for (unsigned i = 0; i < sizeof(steps); i++) {
        turns[steps[i]]++;
    }
    for (unsigned i = 0; i < 3; i++) {
        CONF_EQ(t[i].out[OUT_TURNS], turns[i]);
    }
    check_fp_thread(&t[A], turns[A]);
    check_fp_thread(&t[B], turns[B]);
    CONF_EQ(t[C].out[OUT_CHECKS], 0);
#endif
}

#if defined(KAAL_ARCH_AARCH64)
/* --- the IPC fastpath: FP/SIMD clients Call a server (Call, ReplyRecv: one word, no caps, equal
 * priorities) and Yield to each other. An fpuDisabled server leaves the registers to the client
 * (the fastpath switches back to their owner); a server that uses them too makes every fastpath
 * switch change their owner. --- */
static void fp_server(struct conf_thread *t)
{
    seL4_Word m0 = 0, fp = t->arg[3], want[FP_WORDS];
    (void)conf_recv_with_mrs(t->arg[0], NULL, &m0, NULL, NULL, NULL, t->reply);
    for (;;) {
        if (fp) {
            if (t->out[OUT_TURNS] != 0) {
                fp_check(t, want);
            }
            fp_set(t, 3, t->out[OUT_TURNS], want);
        }
        t->out[OUT_TURNS]++;
        m0++;
        (void)conf_reply_recv_with_mrs(t->arg[0], seL4_MessageInfo_new(0, 0, 0, 1), NULL, &m0, NULL,
                                       NULL, NULL, t->reply);
    }
}

static void fp_client(struct conf_thread *t)
{
    seL4_Word want[FP_WORDS];
    for (seL4_Word r = 0; r < t->arg[2]; r++) {
        fp_set(t, t->arg[1], r, want);
        seL4_Word m0 = r;
        (void)sys_call_with_mrs(t->arg[0], seL4_MessageInfo_new(0, 0, 0, 1), &m0, NULL, NULL, NULL);
        if (m0 != r + 1) {
            t->out[OUT_REPLY_BAD]++;
        }
        fp_check(t, want);
        t->out[OUT_TURNS]++;
        if (r & 1) {
            sys_yield(); /* to the other client: a switch between two FP/SIMD users */
            fp_check(t, want);
        }
    }
}
#endif

#if defined(KAAL_ARCH_AARCH64)
static void fp_fastpath_case(struct conf_env *env, int server_uses_fp)
{
    enum { ROUNDS = 40 };
    seL4_Error err;
    root_fpu(1, &err);
    CONF_OK(err);
    seL4_CPtr ep = conf_alloc(env, seL4_EndpointObject, 0);
    struct conf_thread server, a, b;
    conf_thread_make(env, &server, fp_server, PRIO, 0);
    conf_thread_make(env, &a, fp_client, PRIO, 0);
    conf_thread_make(env, &b, fp_client, PRIO, 0);
    CONF_CHECK(!conf_failed());
    if (!server_uses_fp) {
        CONF_OK(sys_tcb_set_flags(server.tcb, 0, seL4_TCBFlag_fpuDisabled).error);
    }
    server.arg[0] = a.arg[0] = b.arg[0] = ep;
    server.arg[3] = (seL4_Word)server_uses_fp;
    a.arg[1] = 1;
    b.arg[1] = 2;
    a.arg[2] = b.arg[2] = ROUNDS;
    conf_thread_start(&server);
    let_threads_block(); /* the server waits on ep */
    conf_thread_start(&a);
    conf_thread_start(&b);
    conf_thread_join(&a);
    conf_thread_join(&b);
    CONF_EQ(a.out[OUT_REPLY_BAD], 0);
    CONF_EQ(b.out[OUT_REPLY_BAD], 0);
    CONF_EQ(server.out[OUT_TURNS], 2 * ROUNDS);
    check_fp_thread(&a, ROUNDS + ROUNDS / 2);
    check_fp_thread(&b, ROUNDS + ROUNDS / 2);
    if (server_uses_fp) {
        check_fp_thread(&server, 2 * ROUNDS - 1);
    } else {
        CONF_EQ(server.out[OUT_CHECKS], 0);
    }
}
#endif

static void case_fp_isolation_fastpath_server(struct conf_env *env)
{
    CONF_REQUIRE_THREADS(env);
#if !defined(KAAL_ARCH_AARCH64)
    CONF_SKIP(
        "hostsim threads share the host's FP/SIMD registers: the kernel does not switch them");
#else
    fp_fastpath_case(env, 0);
#endif
}

static void case_fp_isolation_fastpath_fp_server(struct conf_env *env)
{
    CONF_REQUIRE_THREADS(env);
#if !defined(KAAL_ARCH_AARCH64)
    CONF_SKIP(
        "hostsim threads share the host's FP/SIMD registers: the kernel does not switch them");
#else
    fp_fastpath_case(env, 1);
#endif
}

#if defined(KAAL_ARCH_AARCH64)
/* --- timer preemption: two FP/SIMD threads that never enter the kernel themselves --- */
#define SPIN_LIMIT (1u << 19)
static void fp_spinner(struct conf_thread *t)
{
    volatile seL4_Word *other = (volatile seL4_Word *)(uintptr_t)t->arg[0]; /* its OUT_TURNS */
    volatile seL4_Word *other_done = other + 6;                             /* its out[6] */
    seL4_Word want[FP_WORDS], seen = 0, last = *other;
    for (seL4_Word r = 0; r < SPIN_LIMIT && seen < 3 && !*other_done; r++) {
        fp_set(t, t->arg[1], r, want);
        for (unsigned j = 0; j < 2; j++) {
            fp_check(t, want);
        }
        t->out[OUT_TURNS]++;
        if (*other != last) {
            seen++; /* the other one ran since: the timer switched us out and back */
            last = *other;
        }
    }
    t->out[7] = seen;
    t->out[6] = 1;
}
#endif

static void case_fp_kept_across_timer_preemption(struct conf_env *env)
{
    CONF_REQUIRE_THREADS(env);
#if !defined(KAAL_ARCH_AARCH64)
    CONF_SKIP(
        "hostsim threads share the host's FP/SIMD registers: the kernel does not switch them");
#else
    struct conf_thread a, b;
    conf_thread_make(env, &a, fp_spinner, PRIO, 0);
    conf_thread_make(env, &b, fp_spinner, PRIO, 0);
    CONF_CHECK(!conf_failed());
    a.arg[0] = (seL4_Word)(uintptr_t)&b.out[OUT_TURNS];
    b.arg[0] = (seL4_Word)(uintptr_t)&a.out[OUT_TURNS];
    a.arg[1] = 1;
    b.arg[1] = 2;
    conf_thread_start(&a);
    conf_thread_start(&b);
    conf_thread_join(&a);
    conf_thread_join(&b);
    /* The first to run saw the other run three times (or the other finish); the other one at
     * least once before it saw it finish. */
    CONF_CHECK(a.out[7] + b.out[7] >= 3);
    check_fp_thread(&a, 2);
    check_fp_thread(&b, 2);
#endif
}

#if defined(KAAL_ARCH_AARCH64)
/* --- VM faults: the faulting thread's state across its fault handler (a thread that uses FP/SIMD
 * too) and the fault reply (slowpath) --- */
#define FAULT_ROUNDS 4
static void fp_faulter(struct conf_thread *t)
{
    seL4_Word want[FP_WORDS];
    for (seL4_Word r = 0; r < FAULT_ROUNDS; r++) {
        fp_set(t, 1, r, want);
        t->out[8 + r] =
            *(volatile seL4_Word *)(uintptr_t)(CONF_UNMAPPED_VA + (r + 1) * PAGE); /* faults */
        fp_check(t, want);
        t->out[OUT_TURNS]++;
    }
}

static void fp_fault_handler(struct conf_thread *t)
{
    const seL4_CPtr *frames = (const seL4_CPtr *)(uintptr_t)t->arg[1];
    seL4_Word want[FP_WORDS];
    seL4_MessageInfo_t info = conf_recv(t->arg[0], NULL, t->reply);
    for (seL4_Word r = 0;; r++) {
        if (r != 0) {
            fp_check(t, want);
        }
        fp_set(t, 5, r, want);
        t->out[OUT_TURNS]++;
        seL4_Word addr = sys_get_mr(seL4_VMFault_Addr);
        if (seL4_MessageInfo_get_label(info) != seL4_Fault_VMFault || r >= FAULT_ROUNDS ||
            sys_arm_page_map(frames[r], seL4_CapInitThreadVSpace, addr & ~(PAGE - 1),
                             seL4_ReadWrite, seL4_ARM_Default_VMAttributes) != seL4_NoError) {
            t->out[OUT_REPLY_BAD]++;
            return;
        }
        info = conf_reply_recv(t->arg[0], seL4_MessageInfo_new(0, 0, 0, 0), NULL, t->reply);
    }
}
#endif

static void case_fp_kept_across_fault_handling(struct conf_env *env)
{
    CONF_REQUIRE_THREADS(env);
#if !defined(KAAL_ARCH_AARCH64)
    CONF_SKIP(
        "hostsim threads share the host's FP/SIMD registers: the kernel does not switch them");
#else
    seL4_Error err;
    root_fpu(1, &err);
    CONF_OK(err);
    /* The tables for the pages the thread touches: a frame mapped at the first of them. */
    conf_map_frame(env, CONF_UNMAPPED_VA, seL4_ReadWrite, seL4_ARM_Default_VMAttributes);
    seL4_CPtr frames[FAULT_ROUNDS];
    for (unsigned r = 0; r < FAULT_ROUNDS; r++) {
        frames[r] = conf_alloc(env, seL4_ARM_SmallPageObject, 0);
    }
    seL4_CPtr ep = conf_alloc(env, seL4_EndpointObject, 0), badged = conf_slot(env);
    CONF_CHECK(!conf_failed());
    CONF_OK(sys_cnode_mint(ROOT, badged, DEPTH, ROOT, ep, DEPTH, seL4_AllRights, 1));
    struct conf_thread a, h;
    conf_thread_make(env, &h, fp_fault_handler, PRIO + 1, 0);
    conf_thread_make(env, &a, fp_faulter, PRIO, badged);
    CONF_CHECK(!conf_failed());
    h.arg[0] = ep;
    h.arg[1] = (seL4_Word)(uintptr_t)frames;
    conf_thread_start(&h);
    conf_thread_start(&a);
    conf_thread_join(&a);
    CONF_EQ(a.out[OUT_TURNS], FAULT_ROUNDS);
    CONF_EQ(h.out[OUT_TURNS], FAULT_ROUNDS);
    CONF_EQ(h.out[OUT_REPLY_BAD], 0);
    for (unsigned r = 0; r < FAULT_ROUNDS; r++) {
        CONF_EQ(a.out[8 + r], 0); /* a new frame */
    }
    check_fp_thread(&a, FAULT_ROUNDS);
    check_fp_thread(&h, FAULT_ROUNDS - 1);
#endif
}

#if defined(KAAL_ARCH_AARCH64)
/* --- the thread whose state the registers hold is deleted --- */
static void fp_writer(struct conf_thread *t)
{
    seL4_Word want[FP_WORDS];
    fp_set(t, 9, 9, want);
    fp_check(t, want);
}

static void fp_reader(struct conf_thread *t)
{
    conf_switch_fp_store((seL4_Word *)(uintptr_t)t->arg[0]);
    t->out[OUT_TURNS] = 1;
}

/* A TCB from ut (no children) into the empty slot, configured as conf_thread_make configures t's
 * TCB; t runs on it from now on. */
static void tcb_from(struct conf_thread *t, seL4_CPtr ut, seL4_CPtr slot)
{
    CONF_OK(sys_untyped_retype(ut, seL4_TCBObject, 0, ROOT, 0, 0, slot, 1));
    CONF_OK(conf_tcb_configure(slot, ROOT, 0, seL4_CapInitThreadVSpace, 0,
                               (seL4_Word)(uintptr_t)t->ipc_buffer, t->ipc_frame));
#ifdef CONFIG_KERNEL_MCS /* t's scheduling context moves to the new TCB */
    CONF_OK(sys_tcb_set_sched_params(t->tcb, seL4_CapInitThreadTCB, PRIO, PRIO, seL4_CapNull,
                                     seL4_CapNull));
    CONF_OK(sys_tcb_set_sched_params(slot, seL4_CapInitThreadTCB, PRIO, PRIO, t->sc, seL4_CapNull));
#else
    CONF_OK(sys_tcb_set_sched_params(slot, seL4_CapInitThreadTCB, PRIO, PRIO));
#endif
    t->tcb = slot;
}

/* D loads its values and ends; from then on only fpuDisabled threads run (the root), so the
 * registers still hold D's state when its TCB is deleted (ut revoked). */
static void run_fp_owner_then_delete(struct conf_env *env, struct conf_thread *d, seL4_CPtr ut,
                                     seL4_CPtr slot)
{
    seL4_Error err;
    root_fpu(1, &err);
    CONF_OK(err);
    conf_thread_make(env, d, fp_writer, PRIO, 0);
    CONF_CHECK(!conf_failed());
    tcb_from(d, ut, slot);
    CONF_CHECK(!conf_failed());
    conf_thread_start(d);
    conf_thread_join(d);
    CONF_EQ(d->out[OUT_CHECKS], 1);
    CONF_EQ(d->out[OUT_BAD], 0);
    CONF_OK(sys_cnode_revoke(ROOT, ut, DEPTH));
    CONF_EQ(conf_tag(slot), KAAL_CAP_TAG_NULL);
}

static void check_all_zero(const seL4_Word *w, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        if (w[i] != 0) {
            conf_fail(__FILE__, __LINE__, "a word is not zero (got: the word, want: its index)",
                      w[i], i, 1);
            return;
        }
    }
}
#endif

/* A new TCB in the same memory starts with zero registers, not D's. */
static void case_fp_owner_deleted_tcb_memory_reused(struct conf_env *env)
{
    CONF_REQUIRE_THREADS(env);
#if !defined(KAAL_ARCH_AARCH64)
    CONF_SKIP(
        "hostsim threads share the host's FP/SIMD registers: the kernel does not switch them");
#else
    seL4_CPtr ut = conf_untyped(env, seL4_TCBBits), slot = conf_slot(env);
    CONF_CHECK(!conf_failed());
    struct conf_thread d;
    run_fp_owner_then_delete(env, &d, ut, slot);
    CONF_CHECK(!conf_failed());
    /* The same memory (ut has no children: the retype starts at its base again), same stack. */
    seL4_Word got[FP_WORDS];
    for (unsigned i = 0; i < FP_WORDS; i++) {
        got[i] = 0x55;
    }
    tcb_from(&d, ut, slot);
    CONF_CHECK(!conf_failed());
    d.fn = fp_reader;
    d.arg[0] = (seL4_Word)(uintptr_t)got;
    d.out[OUT_TURNS] = 0;
    conf_thread_start(&d);
    conf_thread_join(&d);
    CONF_EQ(d.out[OUT_TURNS], 1);
    check_all_zero(got, FP_WORDS);
#endif
}

/* D's memory becomes a frame; an FP/SIMD thread then runs (the CPU changes owners): the frame
 * stays zero (nothing saves D's state into memory D no longer owns) and the thread starts at zero.
 */
static void case_fp_owner_deleted_memory_becomes_frame(struct conf_env *env)
{
    CONF_REQUIRE_THREADS(env);
#if !defined(KAAL_ARCH_AARCH64)
    CONF_SKIP(
        "hostsim threads share the host's FP/SIMD registers: the kernel does not switch them");
#else
    seL4_CPtr ut = conf_untyped(env, seL4_PageBits), slot = conf_slot(env), frame = conf_slot(env);
    CONF_CHECK(!conf_failed());
    struct conf_thread d, e;
    run_fp_owner_then_delete(env, &d, ut, slot);
    CONF_CHECK(!conf_failed());
    CONF_OK(sys_untyped_retype(ut, seL4_ARM_SmallPageObject, 0, ROOT, 0, 0, frame, 1));
    conf_map_frame_in(env, seL4_CapInitThreadVSpace, frame, CONF_UNMAPPED_VA, seL4_ReadWrite,
                      seL4_ARM_Default_VMAttributes);
    CONF_CHECK(!conf_failed());
    const seL4_Word *mem = (const seL4_Word *)(uintptr_t)CONF_UNMAPPED_VA;
    check_all_zero(mem, PAGE / sizeof(seL4_Word));
    CONF_CHECK(!conf_failed());
    seL4_Word got[FP_WORDS];
    for (unsigned i = 0; i < FP_WORDS; i++) {
        got[i] = 0x55;
    }
    conf_thread_make(env, &e, fp_reader, PRIO, 0);
    CONF_CHECK(!conf_failed());
    e.arg[0] = (seL4_Word)(uintptr_t)got;
    conf_thread_start(&e);
    conf_thread_join(&e);
    CONF_EQ(e.out[OUT_TURNS], 1);
    check_all_zero(got, FP_WORDS);
    CONF_CHECK(!conf_failed());
    check_all_zero(mem, PAGE / sizeof(seL4_Word));
#endif
}

#if defined(KAAL_ARCH_AARCH64)
static void fp_writer_deletes_itself(struct conf_thread *t)
{
    seL4_Word want[FP_WORDS];
    fp_set(t, 9, 9, want);
    t->out[OUT_TURNS] = 1;
    (void)sys_cnode_delete(ROOT, t->tcb, DEPTH); /* its TCB's only cap: it ends here */
    t->out[OUT_TURNS] = 2;
}
#endif

/* The same when the thread whose state the CPU holds deletes its own TCB (the kernel destroys the
 * current thread): the new TCB in its memory starts with all zero. */
static void case_fp_owner_deletes_itself(struct conf_env *env)
{
    CONF_REQUIRE_THREADS(env);
#if !defined(KAAL_ARCH_AARCH64)
    CONF_SKIP(
        "hostsim threads share the host's FP/SIMD registers: the kernel does not switch them");
#else
    seL4_CPtr ut = conf_untyped(env, seL4_TCBBits), slot = conf_slot(env);
    CONF_CHECK(!conf_failed());
    seL4_Error err;
    root_fpu(1, &err);
    CONF_OK(err);
    struct conf_thread d;
    conf_thread_make(env, &d, fp_writer_deletes_itself, PRIO, 0);
    CONF_CHECK(!conf_failed());
    tcb_from(&d, ut, slot);
    CONF_CHECK(!conf_failed());
    conf_thread_start(&d);
    let_threads_block(); /* it runs, and is gone when the root runs again */
    CONF_EQ(d.out[OUT_TURNS], 1);
    CONF_EQ(conf_tag(slot), KAAL_CAP_TAG_NULL);
    seL4_Word got[FP_WORDS];
    for (unsigned i = 0; i < FP_WORDS; i++) {
        got[i] = 0x55;
    }
    tcb_from(&d, ut, slot); /* ut has no children: the same memory */
    CONF_CHECK(!conf_failed());
    d.fn = fp_reader;
    d.arg[0] = (seL4_Word)(uintptr_t)got;
    d.out[OUT_TURNS] = 0;
    conf_thread_start(&d);
    conf_thread_join(&d);
    CONF_EQ(d.out[OUT_TURNS], 1);
    check_all_zero(got, FP_WORDS);
#endif
}

/* ===================== VSpaces =====================
 * T runs in its own VSpace (the root's image, its stack and IPC buffer, and at VX a frame of its
 * own). Its loop: read the word at VX, Call the root with it (one word). The root changes what T's
 * VTable slot names or what it means while T waits for the reply, then wakes it by one of: */
enum wake {
    WAKE_FASTPATH,        /* ReplyRecv, 1 word: the fastpath */
    WAKE_REPLY_RECV_5,    /* ReplyRecv, 5 words: the slowpath */
    WAKE_REPLY_THEN_RECV, /* Reply (slowpath), then Recv */
    WAKES
};
#define VX (CONF_UNMAPPED_VA + 0x40000ull)
#define T_PRIO 255 /* the root's: the fastpath's condition, and the root runs on after a Reply */
#define BADGE_MSG 0x51
#define BADGE_FAULT 0xfa

/* hostsim built with ASan: a thread whose VSpace is gone faults on its own stack while the host
 * is still switching to its context (inside an ASan fiber switch), which hostsim's fault handler
 * cannot take under ASan ("starting fiber switch while in fiber switch"). Plain and Valgrind
 * builds run these cases. */
#if !defined(KAAL_ARCH_AARCH64) && defined(__SANITIZE_ADDRESS__)
#define CONF_NO_FAULT_ON_RESUME 1
#elif !defined(KAAL_ARCH_AARCH64) && defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CONF_NO_FAULT_ON_RESUME 1
#endif
#endif
#if defined(CONF_NO_FAULT_ON_RESUME)
#define REQUIRE_FAULT_ON_RESUME() \
    CONF_SKIP("hostsim under ASan cannot fault a thread while it switches to its context")
#else
#define REQUIRE_FAULT_ON_RESUME() \
    do {                          \
    } while (0)
#endif

static void vs_reader(struct conf_thread *t)
{
    for (;;) {
        seL4_Word m0 = *(volatile seL4_Word *)(uintptr_t)VX;
        t->out[0]++;
        (void)sys_call_with_mrs(t->arg[0], seL4_MessageInfo_new(0, 0, 0, 1), &m0, NULL, NULL, NULL);
    }
}

struct vs_case {
    struct conf_env *env;
    seL4_CPtr ep, msg,
        fault;       /* the endpoint; T's badged caps to it: for its Calls, as its fault handler */
    seL4_CPtr reply; /* MCS: the root's reply object (0 in the base config) */
    struct conf_thread t;
    unsigned next_value;
};

static void vs_case_init(struct conf_env *env, struct vs_case *c)
{
    c->env = env;
    c->next_value = 0x1000;
    c->ep = conf_alloc(env, seL4_EndpointObject, 0);
    c->msg = conf_slot(env);
    c->fault = conf_slot(env);
    c->reply = conf_reply_object(env);
    CONF_CHECK(!conf_failed());
    CONF_OK(sys_cnode_mint(ROOT, c->msg, DEPTH, ROOT, c->ep, DEPTH, seL4_AllRights, BADGE_MSG));
    CONF_OK(sys_cnode_mint(ROOT, c->fault, DEPTH, ROOT, c->ep, DEPTH, seL4_AllRights, BADGE_FAULT));
    conf_thread_make(env, &c->t, vs_reader, T_PRIO, 0);
    c->t.arg[0] = c->msg;
}

/* A VSpace for T with an ASID from pool, made from its own untyped when ut is not 0: the image,
 * T's stack and IPC buffer, and at VX a new frame holding value. */
static seL4_CPtr vs_make(struct vs_case *c, seL4_CPtr pool, seL4_CPtr ut, seL4_Word value)
{
    struct conf_env *env = c->env;
    seL4_CPtr vs;
    if (ut != seL4_CapNull) {
        vs = conf_slot(env);
        if (sys_untyped_retype(ut, seL4_ARM_VSpaceObject, 0, ROOT, 0, 0, vs, 1) != seL4_NoError) {
            conf_fail(__FILE__, __LINE__, "vs_make: retype", 0, 0, 0);
            return seL4_CapNull;
        }
    } else {
        vs = conf_alloc(env, seL4_ARM_VSpaceObject, 0);
    }
    if (conf_failed()) {
        return seL4_CapNull;
    }
    if (sys_arm_asid_pool_assign(pool, vs) != seL4_NoError) {
        conf_fail(__FILE__, __LINE__, "vs_make: ASIDPool_Assign", 0, 0, 0);
        return seL4_CapNull;
    }
    conf_map_image_in(env, vs);
    conf_thread_map_in(env, &c->t, vs);
    /* The frame at VX: written through the root's VSpace first. */
    seL4_CPtr frame = conf_map_frame(env, VX, seL4_ReadWrite, seL4_ARM_Default_VMAttributes);
    if (conf_failed()) {
        return seL4_CapNull;
    }
    *(volatile seL4_Word *)(uintptr_t)VX = value;
    if (sys_arm_page_unmap(frame) != seL4_NoError) {
        conf_fail(__FILE__, __LINE__, "vs_make: Page_Unmap", 0, 0, 0);
        return seL4_CapNull;
    }
    conf_map_frame_in(env, vs, frame, VX, seL4_ReadWrite, seL4_ARM_Default_VMAttributes);
    return vs;
}

/* Give T the VSpace (its VTable slot gets a copy of the cap). */
static void vs_set(struct vs_case *c, seL4_CPtr vs)
{
    CONF_OK(sys_tcb_set_space(c->t.tcb, c->fault, ROOT, 0, vs, 0));
}

/* Start T; it reads VX and Calls: the root receives that word, which must be want. */
static void vs_start(struct vs_case *c, seL4_Word want)
{
    conf_thread_start(&c->t);
    seL4_Word badge = 0;
    seL4_MessageInfo_t info = conf_recv(c->ep, &badge, c->reply);
    CONF_EQ(badge, BADGE_MSG);
    CONF_EQ(seL4_MessageInfo_get_length(info), 1);
    CONF_EQ(sys_get_mr(0), want);
}

/* Wake T (waiting for the reply to its Call or to its fault) the given way; returns what it sends
 * next: its message or a fault. */
static seL4_MessageInfo_t vs_wake(struct vs_case *c, enum wake how, seL4_Word *badge, seL4_Word *m0)
{
    seL4_Word w = c->next_value++;
    seL4_MessageInfo_t info;
    *badge = 0;
    for (int i = 0; i < 5; i++) {
        sys_set_mr(i, w + (seL4_Word)i);
    }
    switch (how) {
    case WAKE_FASTPATH:
        info = conf_reply_recv(c->ep, seL4_MessageInfo_new(0, 0, 0, 1), badge, c->reply);
        break;
    case WAKE_REPLY_RECV_5:
        info = conf_reply_recv(c->ep, seL4_MessageInfo_new(0, 0, 0, 5), badge, c->reply);
        break;
    default:
        conf_reply(seL4_MessageInfo_new(0, 0, 0, 1), c->reply);
        info = conf_recv(c->ep, badge, c->reply);
        break;
    }
    *m0 = sys_get_mr(0); /* the message's (or the fault's) words are in the IPC buffer */
    return info;
}

/* Wake T; it must read want at VX in the VSpace its slot names now. */
static void vs_expect_value_after(struct vs_case *c, enum wake how, seL4_Word want)
{
    seL4_Word badge = 0, m0 = 0;
    seL4_MessageInfo_t info = vs_wake(c, how, &badge, &m0);
    if (badge == BADGE_FAULT) {
        conf_fail(__FILE__, __LINE__, "T faulted (label) where it should read its page",
                  seL4_MessageInfo_get_label(info), 0, 1);
        return;
    }
    CONF_EQ(badge, BADGE_MSG);
    CONF_EQ(seL4_MessageInfo_get_length(info), 1);
    CONF_EQ(m0, want);
}

/* Wake T; it must fault at once: it runs with no VSpace, so its first instruction fetch (or, on
 * hostsim, its first access to its stack) faults, and the fault goes to its handler. */
static void vs_expect_fault_after(struct vs_case *c, enum wake how)
{
    seL4_Word badge = 0, m0 = 0;
    seL4_MessageInfo_t info = vs_wake(c, how, &badge, &m0);
    if (badge == BADGE_MSG) {
        conf_fail(__FILE__, __LINE__, "T ran in a VSpace (it read this word) where it has none", m0,
                  0, 1);
        return;
    }
    CONF_EQ(badge, BADGE_FAULT);
    CONF_EQ(seL4_MessageInfo_get_label(info), seL4_Fault_VMFault);
    CONF_EQ(seL4_MessageInfo_get_length(info), 4);
#if defined(KAAL_ARCH_AARCH64)
    /* The fetch at the instruction after its svc: a level 0 translation fault (empty table). */
    seL4_Word ip = sys_get_mr(seL4_VMFault_IP);
    CONF_EQ(sys_get_mr(seL4_VMFault_PrefetchFault), 1);
    CONF_EQ(sys_get_mr(seL4_VMFault_Addr), ip);
    CONF_EQ(sys_get_mr(seL4_VMFault_FSR), 0x82000004ull);
#endif
}

/* TCB_SetSpace while T waits: it runs in the new VSpace, whichever way it is woken. */
static void case_vspace_set_space_while_blocked(struct conf_env *env)
{
    CONF_REQUIRE_THREADS(env);
    struct vs_case c;
    vs_case_init(env, &c);
    CONF_CHECK(!conf_failed());
    seL4_CPtr va = vs_make(&c, seL4_CapInitThreadASIDPool, 0, 0xaaaa);
    seL4_CPtr vb = vs_make(&c, seL4_CapInitThreadASIDPool, 0, 0xbbbb);
    CONF_CHECK(!conf_failed());
    vs_set(&c, va);
    vs_start(&c, 0xaaaa);
    CONF_CHECK(!conf_failed());
    for (unsigned i = 0; i < 3 * WAKES; i++) {
        int to_b = (i & 1) == 0;
        vs_set(&c, to_b ? vb : va);
        vs_expect_value_after(&c, (enum wake)(i % WAKES), to_b ? 0xbbbb : 0xaaaa);
        CONF_CHECK(!conf_failed());
    }
    /* Set to the VSpace it has: nothing changes. */
    vs_set(&c, va);
    vs_expect_value_after(&c, WAKE_FASTPATH, 0xaaaa);
}

/* The caps to T's VSpace elsewhere moved, swapped, mutated, copied, deleted while T waits:
 * its VTable slot holds its own copy, so it stays in its VSpace. */
static void case_vspace_caps_moved_while_blocked(struct conf_env *env)
{
    CONF_REQUIRE_THREADS(env);
    struct vs_case c;
    vs_case_init(env, &c);
    CONF_CHECK(!conf_failed());
    seL4_CPtr va = vs_make(&c, seL4_CapInitThreadASIDPool, 0, 0xaaaa);
    seL4_CPtr vb = vs_make(&c, seL4_CapInitThreadASIDPool, 0, 0xbbbb);
    seL4_CPtr s1 = conf_slot(env), s2 = conf_slot(env), s3 = conf_slot(env);
    CONF_CHECK(!conf_failed());
    vs_set(&c, va);
    vs_start(&c, 0xaaaa);
    CONF_CHECK(!conf_failed());
    unsigned w = 0;
    CONF_OK(sys_cnode_move(ROOT, s1, DEPTH, ROOT, va, DEPTH)); /* va -> s1 */
    vs_expect_value_after(&c, (enum wake)(w++ % WAKES), 0xaaaa);
    CONF_CHECK(!conf_failed());
    /* Swap (Rotate with source = destination) s1 and vb. */
    CONF_OK(sys_cnode_rotate(ROOT, s1, DEPTH, 0, ROOT, vb, DEPTH, 0, ROOT, s1, DEPTH));
    CONF_EQ(conf_tag(s1), KAAL_CAP_TAG_VSPACE);
    CONF_EQ(conf_tag(vb), KAAL_CAP_TAG_VSPACE);
    vs_expect_value_after(&c, (enum wake)(w++ % WAKES), 0xaaaa);
    CONF_CHECK(!conf_failed());
    /* Now vb holds va's cap and s1 vb's. Mutate, copy. */
    CONF_OK(sys_cnode_mutate(ROOT, s2, DEPTH, ROOT, vb, DEPTH, 0));
    vs_expect_value_after(&c, (enum wake)(w++ % WAKES), 0xaaaa);
    CONF_CHECK(!conf_failed());
    CONF_OK(sys_cnode_copy(ROOT, s3, DEPTH, ROOT, s2, DEPTH, seL4_AllRights));
    vs_expect_value_after(&c, (enum wake)(w++ % WAKES), 0xaaaa);
    CONF_CHECK(!conf_failed());
    /* Deleting every other cap to its VSpace: T's copy keeps it (and its ASID). */
    CONF_OK(sys_cnode_delete(ROOT, s3, DEPTH));
    CONF_OK(sys_cnode_delete(ROOT, s2, DEPTH));
    vs_expect_value_after(&c, (enum wake)(w++ % WAKES), 0xaaaa);
    CONF_CHECK(!conf_failed());
    /* The other VSpace's last cap deleted (its ASID released): nothing to do with T. */
    CONF_OK(sys_cnode_delete(ROOT, s1, DEPTH));
    vs_expect_value_after(&c, (enum wake)(w++ % WAKES), 0xaaaa);
}

/* The cap T's VTable cap was copied from revoked while T waits: T's copy (its child) goes, the
 * VSpace and its ASID stay. Woken, T has no VSpace and faults; SetSpace from the same cap again
 * and a reply resume it in that VSpace. */
static void case_vspace_source_cap_revoked_while_blocked(struct conf_env *env)
{
    CONF_REQUIRE_THREADS(env);
    REQUIRE_FAULT_ON_RESUME();
    struct vs_case c;
    vs_case_init(env, &c);
    CONF_CHECK(!conf_failed());
    seL4_CPtr va = vs_make(&c, seL4_CapInitThreadASIDPool, 0, 0xaaaa);
    CONF_CHECK(!conf_failed());
    vs_set(&c, va);
    vs_start(&c, 0xaaaa);
    CONF_CHECK(!conf_failed());
    for (unsigned how = 0; how < WAKES; how++) {
        CONF_OK(sys_cnode_revoke(ROOT, va, DEPTH));
        CONF_EQ(conf_tag(va), KAAL_CAP_TAG_VSPACE);
        vs_expect_fault_after(&c, (enum wake)how);
        CONF_CHECK(!conf_failed());
        vs_set(&c, va);
        vs_expect_value_after(&c, (enum wake)how, 0xaaaa);
        CONF_CHECK(!conf_failed());
    }
}

/* T in a VSpace of a new ASID pool: made, set, started. */
static void vs_in_new_pool(struct vs_case *c, seL4_CPtr *pool, seL4_CPtr *vs, seL4_CPtr vs_ut)
{
    struct conf_env *env = c->env;
    seL4_CPtr ut = conf_untyped(env, seL4_ASIDPoolBits);
    *pool = conf_slot(env);
    CONF_CHECK(!conf_failed());
    CONF_OK(sys_arm_asid_control_make_pool(seL4_CapASIDControl, ut, ROOT, *pool, DEPTH));
    *vs = vs_make(c, *pool, vs_ut, 0xaaaa);
    CONF_CHECK(!conf_failed());
    vs_set(c, *vs);
    vs_start(c, 0xaaaa);
}

/* T's ASID pool deleted while T waits: woken, it runs with no VSpace and faults. Its handler
 * gives it another VSpace (SetSpace) and its reply resumes it there. */
static void vspace_pool_deleted(struct conf_env *env, enum wake how)
{
    struct vs_case c;
    vs_case_init(env, &c);
    CONF_CHECK(!conf_failed());
    seL4_CPtr vb = vs_make(&c, seL4_CapInitThreadASIDPool, 0, 0xbbbb), pool, va;
    CONF_CHECK(!conf_failed());
    vs_in_new_pool(&c, &pool, &va, seL4_CapNull);
    CONF_CHECK(!conf_failed());
    CONF_OK(sys_cnode_delete(ROOT, pool, DEPTH));
    vs_expect_fault_after(&c, how);
    CONF_CHECK(!conf_failed());
    /* Again: it stays without a VSpace (woken by a fault reply now). */
    vs_expect_fault_after(&c, (enum wake)((how + 1) % WAKES));
    CONF_CHECK(!conf_failed());
    vs_set(&c, vb);
    vs_expect_value_after(&c, how, 0xbbbb);
}

static void case_vspace_pool_deleted_fastpath(struct conf_env *env)
{
    CONF_REQUIRE_THREADS(env);
    REQUIRE_FAULT_ON_RESUME();
    vspace_pool_deleted(env, WAKE_FASTPATH);
}

static void case_vspace_pool_deleted_slowpath(struct conf_env *env)
{
    CONF_REQUIRE_THREADS(env);
    REQUIRE_FAULT_ON_RESUME();
    vspace_pool_deleted(env, WAKE_REPLY_RECV_5);
    CONF_CHECK(!conf_failed());
    vspace_pool_deleted(env, WAKE_REPLY_THEN_RECV);
}

/* T's VSpace itself deleted (its untyped revoked: every cap to it goes, T's VTable slot's too)
 * while T waits: it faults; SetSpace into its now empty slot and a reply resume it elsewhere. */
static void case_vspace_deleted_while_blocked(struct conf_env *env)
{
    CONF_REQUIRE_THREADS(env);
    REQUIRE_FAULT_ON_RESUME();
    for (unsigned how = 0; how < WAKES; how++) {
        struct vs_case c;
        vs_case_init(env, &c);
        seL4_CPtr ut = conf_untyped(env, seL4_VSpaceBits);
        CONF_CHECK(!conf_failed());
        seL4_CPtr va = vs_make(&c, seL4_CapInitThreadASIDPool, ut, 0xaaaa);
        seL4_CPtr vb = vs_make(&c, seL4_CapInitThreadASIDPool, 0, 0xbbbb);
        CONF_CHECK(!conf_failed());
        vs_set(&c, va);
        vs_start(&c, 0xaaaa);
        CONF_CHECK(!conf_failed());
        CONF_OK(sys_cnode_revoke(ROOT, ut, DEPTH));
        CONF_EQ(conf_tag(va), KAAL_CAP_TAG_NULL);
        vs_expect_fault_after(&c, (enum wake)how);
        CONF_CHECK(!conf_failed());
        vs_set(&c, vb);
        vs_expect_value_after(&c, (enum wake)((how + 1) % WAKES), 0xbbbb);
        CONF_CHECK(!conf_failed());
        CONF_OK(sys_tcb_suspend(c.t.tcb));
    }
}

/* T's ASID pool deleted, a new pool made (it gets the same ASIDs) and another VSpace assigned the
 * ASID T's VSpace had: T's cap still names its own VSpace, which that ASID no longer maps, so T
 * still has no VSpace (it never runs in the other one). */
static void case_vspace_asid_reused_by_other(struct conf_env *env)
{
    CONF_REQUIRE_THREADS(env);
    REQUIRE_FAULT_ON_RESUME();
    for (unsigned how = 0; how < WAKES; how++) {
        struct vs_case c;
        vs_case_init(env, &c);
        CONF_CHECK(!conf_failed());
        seL4_CPtr pool, va;
        vs_in_new_pool(&c, &pool, &va, seL4_CapNull);
        CONF_CHECK(!conf_failed());
        CONF_OK(sys_cnode_delete(ROOT, pool, DEPTH));
        seL4_CPtr ut = conf_untyped(env, seL4_ASIDPoolBits), pool2 = conf_slot(env);
        CONF_CHECK(!conf_failed());
        CONF_OK(sys_arm_asid_control_make_pool(seL4_CapASIDControl, ut, ROOT, pool2, DEPTH));
        /* The first free ASID of a new pool, as T's VSpace had in the old one. */
        seL4_CPtr vb = vs_make(&c, pool2, 0, 0xbbbb);
        CONF_CHECK(!conf_failed());
        vs_expect_fault_after(&c, (enum wake)how);
        CONF_CHECK(!conf_failed());
        CONF_OK(sys_tcb_suspend(c.t.tcb));
        (void)vb;
    }
}

static const struct conf_case cases[] = {
    CONF_CASE(fp_isolation_ordered_switches),
    CONF_CASE(fp_isolation_fastpath_server),
    CONF_CASE(fp_isolation_fastpath_fp_server),
    CONF_CASE(fp_kept_across_timer_preemption),
    CONF_CASE(fp_kept_across_fault_handling),
    CONF_CASE(fp_owner_deleted_tcb_memory_reused),
    CONF_CASE(fp_owner_deleted_memory_becomes_frame),
    CONF_CASE(fp_owner_deletes_itself),
    CONF_CASE(vspace_set_space_while_blocked),
    CONF_CASE(vspace_caps_moved_while_blocked),
    CONF_CASE(vspace_source_cap_revoked_while_blocked),
    CONF_CASE(vspace_pool_deleted_fastpath),
    CONF_CASE(vspace_pool_deleted_slowpath),
    CONF_CASE(vspace_deleted_while_blocked),
    CONF_CASE(vspace_asid_reused_by_other),
};
const struct conf_area conf_area_switch = CONF_AREA("switch", cases);
