/* SPDX-License-Identifier: BSD-2-Clause */
/* Conformance: TCB invocations (docs/abi.md#invocation-semantics, #user-context): ReadRegisters,
 * WriteRegisters and CopyRegisters in seL4_UserContext order, SPSR sanitising, TLS base
 * (SetTLSBase, TPIDR_EL0 kept per thread), SetFlags, Configure/SetIPCBuffer checks, priorities and
 * MCP, suspend and resume, starting a thread with arguments in registers. */
#include "harness.h"

#define ROOT seL4_CapInitThreadCNode
#define DEPTH seL4_WordBits
#define NREGS 36u

static seL4_Word *words(seL4_UserContext *c) { return (seL4_Word *)c; }

static void fill(seL4_UserContext *c, seL4_Word base)
{
    for (unsigned i = 0; i < NREGS; i++) {
        words(c)[i] = base + i * 0x101;
    }
    c->pc = base & ~3ull;
    c->spsr = 0x40;
}

static void zero(seL4_UserContext *c)
{
    for (unsigned i = 0; i < NREGS; i++) {
        words(c)[i] = 0;
    }
}

/* A new thread: every register 0 except SPSR, which is the user-mode value 0x40. */
static void case_read_registers_new_thread(struct conf_env *env)
{
    seL4_CPtr tcb = conf_alloc(env, seL4_TCBObject, 0);
    CONF_CHECK(!conf_failed());
    seL4_UserContext c;
    fill(&c, 0x77);
    CONF_OK(sys_tcb_read_registers(tcb, 0, 0, NREGS, &c));
    for (unsigned i = 0; i < NREGS; i++) {
        CONF_EQ(words(&c)[i], i == 2 ? 0x40 : 0);
    }
}

/* All 36 registers written and read back in UserContext order (the reply has 36 words). */
static void case_write_read_round_trip(struct conf_env *env)
{
    seL4_CPtr tcb = conf_alloc(env, seL4_TCBObject, 0);
    CONF_CHECK(!conf_failed());
    seL4_UserContext in, out;
    fill(&in, 0x1000);
    in.spsr = 0x80000040; /* N set: flags are kept */
    CONF_OK(sys_tcb_write_registers(tcb, 0, 0, NREGS, &in));
    zero(&out);
    CONF_OK(sys_tcb_read_registers(tcb, 0, 0, NREGS, &out));
    for (unsigned i = 0; i < NREGS; i++) {
        CONF_EQ(words(&out)[i], words(&in)[i]);
    }
    /* A partial read: the first n fields, reply length n. */
    seL4_Word req[2] = {0, 5};
    CONF_EQ(conf_raw_call(tcb, TCBReadRegisters, 2, 0, req), seL4_NoError);
    CONF_EQ(seL4_GetMR(0), in.pc);
    CONF_EQ(seL4_GetMR(4), in.x1);
    /* A partial write changes only the first n fields. */
    seL4_UserContext part;
    zero(&part);
    part.pc = 0x4000;
    part.sp = 0x5000;
    CONF_OK(sys_tcb_write_registers(tcb, 0, 0, 2, &part));
    CONF_OK(sys_tcb_read_registers(tcb, 0, 0, NREGS, &out));
    CONF_EQ(out.pc, 0x4000);
    CONF_EQ(out.sp, 0x5000);
    CONF_EQ(out.x0, in.x0);
    CONF_EQ(out.tpidrro_el0, in.tpidrro_el0);
}

/* SPSR: NZCV kept, the rest forced to the user-mode value. */
static void case_write_registers_sanitises_spsr(struct conf_env *env)
{
    seL4_CPtr tcb = conf_alloc(env, seL4_TCBObject, 0);
    CONF_CHECK(!conf_failed());
    seL4_UserContext c;
    zero(&c);
    c.spsr = ~0ull;
    CONF_OK(sys_tcb_write_registers(tcb, 0, 0, 3, &c));
    CONF_OK(sys_tcb_read_registers(tcb, 0, 0, 3, &c));
    CONF_EQ(c.spsr, 0xf0000040);
    c.spsr = 0x3c5; /* EL1h with masks: not a user mode */
    CONF_OK(sys_tcb_write_registers(tcb, 0, 0, 3, &c));
    CONF_OK(sys_tcb_read_registers(tcb, 0, 0, 3, &c));
    CONF_EQ(c.spsr, 0x40);
}

static void case_read_write_registers_errors(struct conf_env *env)
{
    seL4_CPtr tcb = conf_alloc(env, seL4_TCBObject, 0);
    CONF_CHECK(!conf_failed());
    seL4_UserContext c;
    zero(&c);
    CONF_ERR(sys_tcb_read_registers(tcb, 0, 0, 0, &c), seL4_RangeError);
    CONF_EQ(seL4_GetMR(0), 1);
    CONF_EQ(seL4_GetMR(1), NREGS);
    CONF_ERR(sys_tcb_read_registers(tcb, 0, 0, NREGS + 1, &c), seL4_RangeError);
    CONF_ERR(sys_tcb_read_registers(seL4_CapInitThreadTCB, 0, 0, 1, &c), seL4_IllegalOperation);
    CONF_ERR(sys_tcb_write_registers(seL4_CapInitThreadTCB, 0, 0, 1, &c), seL4_IllegalOperation);
    /* count 5 needs 7 words */
    seL4_Word w[6] = {0, 5, 0x100, 0x200, 0x40, 1};
    CONF_EQ(conf_raw_call(tcb, TCBWriteRegisters, 6, 0, w), seL4_TruncatedMessage);
    seL4_Word none[1] = {0};
    CONF_EQ(conf_raw_call(tcb, TCBReadRegisters, 1, 0, none), seL4_TruncatedMessage);
    /* The length is checked against the count as given (1000 > 36 words: truncated); a count
     * above 36 that the message covers is clamped to 36. */
    seL4_Word big[2 + 40];
    big[0] = 0;
    big[1] = 1000;
    for (unsigned i = 0; i < 40; i++) {
        big[2 + i] = i == 2 ? 0x40 : 0x900 + i;
    }
    CONF_EQ(conf_raw_call(tcb, TCBWriteRegisters, 2 + NREGS, 0, big), seL4_TruncatedMessage);
    big[1] = 40;
    CONF_EQ(conf_raw_call(tcb, TCBWriteRegisters, 2 + 40, 0, big), seL4_NoError);
    CONF_OK(sys_tcb_read_registers(tcb, 0, 0, NREGS, &c));
    CONF_EQ(c.tpidrro_el0, 0x900 + 35);
}

/* CopyRegisters: the frame set (first 17 fields) and the gp set (last 19) separately. */
static void case_copy_registers(struct conf_env *env)
{
    seL4_CPtr src = conf_alloc(env, seL4_TCBObject, 0), dst = conf_alloc(env, seL4_TCBObject, 0);
    CONF_CHECK(!conf_failed());
    seL4_UserContext in, out;
    fill(&in, 0x3000);
    CONF_OK(sys_tcb_write_registers(src, 0, 0, NREGS, &in));
    CONF_OK(sys_tcb_copy_registers(dst, src, 0, 0, 1, 0, 0));
    CONF_OK(sys_tcb_read_registers(dst, 0, 0, NREGS, &out));
    for (unsigned i = 0; i < NREGS; i++) {
        CONF_EQ(words(&out)[i], i < 17 ? words(&in)[i] : 0);
    }
    CONF_OK(sys_tcb_copy_registers(dst, src, 0, 0, 0, 1, 0));
    CONF_OK(sys_tcb_read_registers(dst, 0, 0, NREGS, &out));
    for (unsigned i = 0; i < NREGS; i++) {
        CONF_EQ(words(&out)[i], words(&in)[i]);
    }
    CONF_ERR(sys_tcb_copy_registers(dst, seL4_CapInitThreadCNode, 0, 0, 1, 1, 0),
             seL4_InvalidCapability);
    CONF_EQ(seL4_GetMR(0), 1);
}

/* TPIDR_EL0: SetTLSBase writes field 34; a thread's own value survives blocking and switches,
 * and a value set while it is blocked is what it sees when it wakes. */
static void tls_thread(struct conf_thread *t)
{
    seL4_Word mine = kaal_arch_get_tls_base();
    t->out[0] = mine;
    kaal_arch_set_tls_base(t->arg[1]);
    /* No IPC-buffer access while TPIDR_EL0 is not the TLS block: raw Recv on the notification. */
    seL4_Word x0 = t->arg[0], x1 = 0, x2 = 0, x3 = 0, x4 = 0, x5 = 0;
    kaal_arch_syscall((seL4_Word)seL4_SysRecv, &x0, &x1, &x2, &x3, &x4, &x5);
    t->out[1] = kaal_arch_get_tls_base();
    kaal_arch_set_tls_base(mine);
}

static void case_tls_base(struct conf_env *env)
{
    CONF_REQUIRE_THREADS(env);
    seL4_CPtr n = conf_alloc(env, seL4_NotificationObject, 0);
    struct conf_thread t;
    conf_thread_make(env, &t, tls_thread, CONF_THREAD_PRIO, 0);
    CONF_CHECK(!conf_failed());
    t.arg[0] = n;
    t.arg[1] = 0x7e570000;
    seL4_Word root_tls = kaal_arch_get_tls_base();
    conf_thread_start(&t);
    /* The root drops below the thread: it runs until its Recv blocks. */
    CONF_OK(
        sys_tcb_set_priority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, CONF_THREAD_PRIO - 1));
    CONF_OK(sys_tcb_set_priority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, 255));
    CONF_EQ(t.out[0], t.tls);
    CONF_EQ(kaal_arch_get_tls_base(), root_tls);
    seL4_UserContext c;
    CONF_OK(sys_tcb_read_registers(t.tcb, 0, 0, NREGS, &c));
    CONF_EQ(c.tpidr_el0, 0x7e570000);
    CONF_OK(sys_tcb_set_tls_base(t.tcb, 0x7e571000));
    CONF_OK(sys_tcb_read_registers(t.tcb, 0, 0, NREGS, &c));
    CONF_EQ(c.tpidr_el0, 0x7e571000);
    sys_signal(n);
    conf_thread_join(&t);
    CONF_EQ(t.out[1], 0x7e571000);
    CONF_EQ(kaal_arch_get_tls_base(), root_tls);
}

/* SetFlags: flags = (flags & ~clear) | (set & mask), mask = fpuDisabled (1); reply = new flags. */
static void case_set_flags(struct conf_env *env)
{
    seL4_CPtr tcb = conf_alloc(env, seL4_TCBObject, 0);
    CONF_CHECK(!conf_failed());
    seL4_TCB_SetFlags_t r = sys_tcb_set_flags(tcb, 0, 1);
    CONF_OK(r.error);
    CONF_EQ(r.flags, 1);
    r = sys_tcb_set_flags(tcb, 0, ~0ull);
    CONF_OK(r.error);
    CONF_EQ(r.flags, 1);
    r = sys_tcb_set_flags(tcb, 1, 0);
    CONF_OK(r.error);
    CONF_EQ(r.flags, 0);
    r = sys_tcb_set_flags(tcb, 0, 0);
    CONF_EQ(r.flags, 0);
    seL4_Word one[1] = {0};
    CONF_EQ(conf_raw_call(tcb, TCBSetFlags, 1, 0, one), seL4_TruncatedMessage);
}

static void case_configure_errors(struct conf_env *env)
{
    seL4_CPtr tcb = conf_alloc(env, seL4_TCBObject, 0),
              frame = conf_alloc(env, seL4_ARM_SmallPageObject, 0);
    seL4_CPtr no_asid = conf_alloc(env, seL4_ARM_VSpaceObject, 0);
    CONF_CHECK(!conf_failed());
    CONF_ERR(conf_tcb_configure(tcb, ROOT, 0, seL4_CapInitThreadVSpace, 0, 0x10000200, frame),
             seL4_AlignmentError);
    CONF_ERR(conf_tcb_configure(tcb, ROOT, 0, seL4_CapInitThreadVSpace, 0, 0x10000400,
                                seL4_CapInitThreadTCB),
             seL4_IllegalOperation);
    CONF_ERR(conf_tcb_configure(tcb, ROOT, 0, no_asid, 0, 0, frame), seL4_IllegalOperation);
    CONF_ERR(
        conf_tcb_configure(tcb, seL4_CapInitThreadTCB, 0, seL4_CapInitThreadVSpace, 0, 0, frame),
        seL4_IllegalOperation);
    CONF_OK(conf_tcb_configure(tcb, ROOT, 0, seL4_CapInitThreadVSpace, 0, 0x10000400, frame));
    CONF_ERR(sys_tcb_set_ipc_buffer(tcb, 0x10000008, frame), seL4_AlignmentError);
    CONF_ERR(sys_tcb_set_ipc_buffer(tcb, 0x10000000, ROOT), seL4_IllegalOperation);
    CONF_OK(sys_tcb_set_ipc_buffer(tcb, 0, frame));
    seL4_Word w[1] = {0};
    CONF_EQ(conf_raw_call(tcb, TCBSetIPCBuffer, 1, 0, w), seL4_TruncatedMessage);
}

/* Priorities and MCPs are bounded by the authority's MCP. */
static void case_priority_mcp_rules(struct conf_env *env)
{
    seL4_CPtr auth = conf_alloc(env, seL4_TCBObject, 0), t = conf_alloc(env, seL4_TCBObject, 0);
    CONF_CHECK(!conf_failed());
    CONF_OK(conf_tcb_set_sched_params(auth, seL4_CapInitThreadTCB, 50, 10));
    CONF_ERR(sys_tcb_set_priority(t, auth, 51), seL4_RangeError);
    CONF_EQ(seL4_GetMR(0), 0);
    CONF_EQ(seL4_GetMR(1), 50);
    CONF_OK(sys_tcb_set_priority(t, auth, 50));
    CONF_ERR(sys_tcb_set_mc_priority(t, auth, 60), seL4_RangeError);
    CONF_EQ(seL4_GetMR(1), 50);
    CONF_OK(sys_tcb_set_mc_priority(t, auth, 40));
    CONF_ERR(conf_tcb_set_sched_params(t, auth, 51, 1), seL4_RangeError);
    CONF_ERR(conf_tcb_set_sched_params(t, auth, 1, 51), seL4_RangeError);
    CONF_OK(conf_tcb_set_sched_params(t, auth, 50, 50));
    CONF_ERR(sys_tcb_set_priority(t, ROOT, 1), seL4_InvalidCapability);
    CONF_EQ(seL4_GetMR(0), 1);
    /* The root's MCP is 255, and a priority above 255 is out of range. */
    CONF_ERR(sys_tcb_set_priority(t, seL4_CapInitThreadTCB, 256), seL4_RangeError);
    CONF_EQ(seL4_GetMR(1), 255);
    /* t's own MCP (now 50) bounds what t may grant as an authority. */
    CONF_ERR(sys_tcb_set_priority(auth, t, 51), seL4_RangeError);
    CONF_EQ(seL4_GetMR(1), 50);
}

/* Suspend stops a running thread; Resume starts it again where it was. */
static void spin_yield(struct conf_thread *t)
{
    for (;;) {
        t->out[0]++;
        sys_yield();
    }
}

static void case_suspend_resume(struct conf_env *env)
{
    CONF_REQUIRE_THREADS(env);
    struct conf_thread t;
    conf_thread_spawn(env, &t, spin_yield, CONF_THREAD_PRIO, 0);
    CONF_CHECK(!conf_failed());
    CONF_EQ(t.out[0], 0); /* lower priority: not run yet */
    CONF_OK(sys_tcb_set_priority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, CONF_THREAD_PRIO));
    sys_yield();
    seL4_Word ran = t.out[0];
    CONF_CHECK(ran >= 1);
    CONF_OK(sys_tcb_suspend(t.tcb));
    sys_yield();
    sys_yield();
    CONF_EQ(t.out[0], ran);
    CONF_OK(sys_tcb_suspend(t.tcb)); /* suspending an inactive thread is fine */
    CONF_OK(sys_tcb_resume(t.tcb));
    sys_yield();
    CONF_CHECK(t.out[0] > ran);
    CONF_OK(sys_tcb_resume(t.tcb)); /* resuming a ready thread changes nothing */
    CONF_OK(sys_tcb_suspend(t.tcb));
}

/* WriteRegisters with resume starts a thread at pc with x0..x5 as its arguments. */
static volatile seL4_Word six_args_seen[6];
static void six_args(seL4_Word a0, seL4_Word a1, seL4_Word a2, seL4_Word a3, seL4_Word a4,
                     seL4_Word a5)
{
    six_args_seen[0] = a0, six_args_seen[1] = a1, six_args_seen[2] = a2;
    six_args_seen[3] = a3, six_args_seen[4] = a4, six_args_seen[5] = a5;
    /* No TLS here: raw calls. Signal the notification in a4, then suspend the TCB in a5. */
    seL4_Word x0 = a4, x1 = 0, x2 = 0, x3 = 0, x4 = 0, x5 = 0;
    kaal_arch_syscall((seL4_Word)seL4_SysSend, &x0, &x1, &x2, &x3, &x4, &x5);
    x0 = a5, x1 = seL4_MessageInfo_new(TCBSuspend, 0, 0, 0).words[0];
    kaal_arch_syscall((seL4_Word)seL4_SysCall, &x0, &x1, &x2, &x3, &x4, &x5);
    for (;;) {
    }
}

static void case_write_registers_starts_thread(struct conf_env *env)
{
    CONF_REQUIRE_THREADS(env);
    struct conf_thread t;
    conf_thread_make(env, &t, 0, CONF_THREAD_PRIO, 0);
    CONF_CHECK(!conf_failed());
    seL4_UserContext c;
    zero(&c);
    c.pc = (seL4_Word)(uintptr_t)six_args;
    c.sp = t.stack_top;
    c.x0 = 0xa0, c.x1 = 0xa1, c.x2 = 0xa2, c.x3 = 0xa3, c.x4 = t.done, c.x5 = t.tcb;
    for (int i = 0; i < 6; i++) {
        six_args_seen[i] = 0;
    }
    CONF_OK(sys_tcb_write_registers(t.tcb, 0, 0, 9, &c));
    CONF_EQ(six_args_seen[0], 0); /* not resumed */
    CONF_OK(sys_tcb_resume(t.tcb));
    conf_thread_join(&t);
    CONF_EQ(six_args_seen[0], 0xa0);
    CONF_EQ(six_args_seen[3], 0xa3);
    CONF_EQ(six_args_seen[4], t.done);
    CONF_EQ(six_args_seen[5], t.tcb);
}

/* ReadRegisters with suspend_source stops the thread first. */
static void case_read_registers_suspends(struct conf_env *env)
{
    CONF_REQUIRE_THREADS(env);
    struct conf_thread t;
    conf_thread_spawn(env, &t, spin_yield, CONF_THREAD_PRIO, 0);
    CONF_CHECK(!conf_failed());
    CONF_OK(sys_tcb_set_priority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, CONF_THREAD_PRIO));
    sys_yield();
    seL4_UserContext c;
    CONF_OK(sys_tcb_read_registers(t.tcb, 1, 0, NREGS, &c));
    seL4_Word ran = t.out[0];
    sys_yield();
    sys_yield();
    CONF_EQ(t.out[0], ran);
    CONF_OK(sys_tcb_resume(t.tcb));
    sys_yield();
    CONF_CHECK(t.out[0] > ran);
    CONF_OK(sys_tcb_suspend(t.tcb));
}

static const struct conf_case cases[] = {
    CONF_CASE(read_registers_new_thread),
    CONF_CASE(write_read_round_trip),
    CONF_CASE(write_registers_sanitises_spsr),
    CONF_CASE(read_write_registers_errors),
    CONF_CASE(copy_registers),
    CONF_CASE(tls_base),
    CONF_CASE(set_flags),
    CONF_CASE(configure_errors),
    CONF_CASE(priority_mcp_rules),
    CONF_CASE(suspend_resume),
    CONF_CASE(write_registers_starts_thread),
    CONF_CASE(read_registers_suspends),
};
const struct conf_area conf_area_tcb = CONF_AREA("tcb", cases);
