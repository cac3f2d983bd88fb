/* SPDX-License-Identifier: BSD-2-Clause */
/* The conformance suite's in-image harness (no libc): cases, areas, checks, and the environment
 * each case gets. See docs/conformance.md. */
#ifndef KAAL_CONFORMANCE_HARNESS_H
#define KAAL_CONFORMANCE_HARNESS_H

#include <kaal/alloc.h>
#include <kaal/bootinfo.h>
#include <kaal/print.h>
#include <kaal/start.h>
#include <kaal/sys.h>

/* What a case gets. Everything it allocates through conf_slot()/conf_alloc() is undone after it:
 * its slots are deleted and its untyped is revoked, so the next case starts from the same state. */
struct conf_env {
    const seL4_BootInfo *bi;
    struct kaal_slots slots;       /* the case's slots, in the root CNode */
    struct kaal_untyped_pool pool; /* the case's memory: one untyped of CONF_CASE_UNTYPED_BITS */
    seL4_CPtr untyped;             /* that untyped */
    int user_mode;                 /* kaal_root_user_mode(): can the case touch what it maps? */
    unsigned threads;              /* threads made so far (conf_thread_make) */
};
#define CONF_CASE_UNTYPED_BITS 22 /* 4 MiB: room for a full ASID pool of VSpaces */

struct conf_case {
    const char *name;
    void (*run)(struct conf_env *env);
};
struct conf_area {
    const char *name;
    const struct conf_case *cases;
    unsigned count;
};
#define CONF_CASE(fn)  \
    {                  \
#fn, case_##fn \
    }
#define CONF_AREA(name, table)                        \
    {                                                 \
        name, table, sizeof(table) / sizeof(table[0]) \
    }

/* --- Results. A check that fails records the first reason and returns from the function it is
 * in (a case, or a helper: the case then goes on, but it is already failed). --- */
void conf_fail(const char *file, int line, const char *what, seL4_Word got, seL4_Word want,
               int has_values);
void conf_skip(const char *reason);
int conf_failed(void);

#define CONF_CHECK(cond)                                   \
    do {                                                   \
        if (!(cond)) {                                     \
            conf_fail(__FILE__, __LINE__, #cond, 0, 0, 0); \
            return;                                        \
        }                                                  \
    } while (0)
#define CONF_EQ(got, want)                                                         \
    do {                                                                           \
        seL4_Word conf_g_ = (seL4_Word)(got), conf_w_ = (seL4_Word)(want);         \
        if (conf_g_ != conf_w_) {                                                  \
            conf_fail(__FILE__, __LINE__, #got " == " #want, conf_g_, conf_w_, 1); \
            return;                                                                \
        }                                                                          \
    } while (0)
/* An invocation's seL4_Error. */
#define CONF_OK(call) CONF_EQ((call), seL4_NoError)
#define CONF_ERR(call, err) CONF_EQ((call), (err))
/* Skip the rest of the case (reported as "ok N name # SKIP reason"). */
#define CONF_SKIP(reason)  \
    do {                   \
        conf_skip(reason); \
        return;            \
    } while (0)
#define CONF_REQUIRE_USER_MODE(env)                                                                \
    do {                                                                                           \
        if (!(env)->user_mode)                                                                     \
            CONF_SKIP("needs user mode (memory access): root task runs through the hostsim shim"); \
    } while (0)

/* Cases with threads need the root task in user mode (hostsim's shim has no other threads). */
#define CONF_REQUIRE_THREADS(env)                                                    \
    do {                                                                             \
        if (!(env)->user_mode)                                                       \
            CONF_SKIP("needs threads: the root task runs through the hostsim shim"); \
    } while (0)

/* --- Helpers for cases --- */
/* A new empty slot of the root CNode (fails the case when none is left). */
seL4_CPtr conf_slot(struct conf_env *env);
/* A new object from the case's memory; seL4_CapNull (and the case failed) if it cannot be made. */
seL4_CPtr conf_alloc(struct conf_env *env, seL4_Word type, seL4_Word size_bits);
/* A new untyped of 2^bits bytes with no children (from the case's memory). */
seL4_CPtr conf_untyped(struct conf_env *env, unsigned bits);
/* A new VSpace with an ASID from the initial pool. */
seL4_CPtr conf_vspace(struct conf_env *env);
/* DebugCapIdentify. */
static inline seL4_Word conf_tag(seL4_CPtr cptr) { return sys_debug_cap_identify(cptr); }
/* Copy a cap within the root CNode (all rights); returns the new slot. */
seL4_CPtr conf_copy(struct conf_env *env, seL4_CPtr src, seL4_CapRights_t rights);
/* A raw Call: label, length and extra caps as given, MR0..MR(n-1) from mrs. Returns the reply
 * label; the reply's MRs are readable with seL4_GetMR. */
seL4_Word conf_raw_call(seL4_CPtr cap, seL4_Word label, seL4_Word length, seL4_Word extra_caps,
                        const seL4_Word *mrs);

/* The TCB invocations whose arguments differ between the configurations, in the form cases use
 * in both: Configure without a fault handler, SetSchedParams without a scheduling context or
 * fault handler (MCS: null caps; the base form's fault_ep word is 0). */
#ifdef CONFIG_KERNEL_MCS
#define conf_tcb_configure(tcb, cspace, cdata, vspace, vdata, buf, frame) \
    sys_tcb_configure(tcb, cspace, cdata, vspace, vdata, buf, frame)
#define conf_tcb_set_sched_params(tcb, auth, mcp, prio) \
    sys_tcb_set_sched_params(tcb, auth, mcp, prio, seL4_CapNull, seL4_CapNull)
#else
#define conf_tcb_configure(tcb, cspace, cdata, vspace, vdata, buf, frame) \
    sys_tcb_configure(tcb, 0, cspace, cdata, vspace, vdata, buf, frame)
#define conf_tcb_set_sched_params(tcb, auth, mcp, prio) \
    sys_tcb_set_sched_params(tcb, auth, mcp, prio)
#endif

/* --- Receiving and answering, written once for both configurations (as libkaal's kaal_server_*
 * calls): `reply` names the receiver's reply object under MCS (seL4-MCS: an endpoint receive fills
 * it with a caller, and the answer is a Send on it) and is ignored in the base configuration (the
 * caller slot). A thread's is t->reply; the root's, conf_reply_object(). --- */
/* A new reply object (MCS); 0 in the base configuration, where nothing is allocated. */
seL4_CPtr conf_reply_object(struct conf_env *env);
#ifdef CONFIG_KERNEL_MCS
#define conf_recv(src, badge, reply) sys_recv(src, badge, reply)
#define conf_nbrecv(src, badge, reply) sys_nbrecv(src, badge, reply)
#define conf_recv_with_mrs(src, badge, m0, m1, m2, m3, reply) \
    sys_recv_with_mrs(src, badge, m0, m1, m2, m3, reply)
#define conf_reply_recv(src, info, badge, reply) sys_reply_recv(src, info, badge, reply)
#define conf_reply_recv_with_mrs(src, info, badge, m0, m1, m2, m3, reply) \
    sys_reply_recv_with_mrs(src, info, badge, m0, m1, m2, m3, reply)
#define conf_reply(info, reply) sys_send(reply, info)
#else
#define conf_recv(src, badge, reply) ((void)(reply), sys_recv(src, badge))
#define conf_nbrecv(src, badge, reply) ((void)(reply), sys_nbrecv(src, badge))
#define conf_recv_with_mrs(src, badge, m0, m1, m2, m3, reply) \
    ((void)(reply), sys_recv_with_mrs(src, badge, m0, m1, m2, m3))
#define conf_reply_recv(src, info, badge, reply) ((void)(reply), sys_reply_recv(src, info, badge))
#define conf_reply_recv_with_mrs(src, info, badge, m0, m1, m2, m3, reply) \
    ((void)(reply), sys_reply_recv_with_mrs(src, info, badge, m0, m1, m2, m3))
#define conf_reply(info, reply) ((void)(reply), sys_reply(info))
#endif

/* --- Threads (conf_thread.c). A thread shares the root's CSpace and VSpace unless the case
 * changes them; its stack, TLS block and IPC buffer are frames of the case's memory mapped in the
 * root VSpace at CONF_THREAD_VA + i * CONF_THREAD_STRIDE (inside hostsim's user window), so every
 * thread can read and write the struct conf_thread it was given (and the case's locals). It runs
 * fn(t) with its TLS and IPC buffer set up; when fn returns it signals t->done (if any) and
 * suspends itself. Everything is undone with the case. --- */
#define CONF_THREAD_VA 0x2000000ull
#define CONF_THREAD_STRIDE 0x20000ull
#define CONF_THREAD_STACK_PAGES 8
#define CONF_THREAD_MAX 12
#define CONF_THREAD_PRIO 100       /* below the root's 255: a thread runs once the root blocks */
#define CONF_THREAD_BUDGET_US 5000 /* MCS: each thread's budget (= period: round robin) */
struct conf_thread;
typedef void (*conf_thread_fn)(struct conf_thread *t);
struct conf_thread {
    seL4_CPtr tcb, ipc_frame, done; /* done: a notification the thread signals when fn returns */
    seL4_IPCBuffer *ipc_buffer;     /* user address of its IPC buffer */
    seL4_Word stack_top, tls;       /* initial SP and TLS block (user addresses) */
    seL4_Word base;                 /* user address of its first stack page */
    seL4_CPtr stack_frames[CONF_THREAD_STACK_PAGES];
    conf_thread_fn fn;
#ifdef CONFIG_KERNEL_MCS
    seL4_CPtr sc; /* its scheduling context */
#endif
    seL4_CPtr reply; /* MCS: its reply object (the conf_recv... calls); 0 in the base config */
    volatile seL4_Word arg[6];  /* for the case */
    volatile seL4_Word out[16]; /* written by the thread */
};
/* Make a thread (TCB, stack, IPC buffer, done notification) at priority prio with fault handler
 * CPtr fault_ep (0: none), configured but not started. Fails the case on error. MCS: fault_ep is
 * copied into the TCB (SetSchedParams), and the thread gets a scheduling context of its own
 * (round robin, CONF_THREAD_BUDGET_US); a kernel that cannot configure one yet (SchedControl
 * answers IllegalOperation) skips the case. */
void conf_thread_make(struct conf_env *env, struct conf_thread *t, conf_thread_fn fn,
                      seL4_Word prio, seL4_CPtr fault_ep);
/* Start it (WriteRegisters pc, sp, x0 with resume). */
void conf_thread_start(struct conf_thread *t);
/* The same, through the TCB cap tcb of the root CSpace (when t->tcb names it in the thread's own).
 */
void conf_thread_start_as(struct conf_thread *t, seL4_CPtr tcb);
/* make + start. */
void conf_thread_spawn(struct conf_env *env, struct conf_thread *t, conf_thread_fn fn,
                       seL4_Word prio, seL4_CPtr fault_ep);
/* Wait for its done signal. */
void conf_thread_join(struct conf_thread *t);
/* The entry every thread starts at: x0 = t. Exposed for cases that move a thread's pc. */
void conf_thread_entry(struct conf_thread *t);
/* A second address space for threads: a new VSpace that maps the root task's image frames (its
 * code on aarch64, the root's stack on hostsim: both at 0x400000, so a thread there still reaches
 * the case's locals) and nothing else. conf_thread_move_vspace() also maps t's stack and IPC
 * buffer there (at the same addresses) and makes it t's VSpace. */
seL4_CPtr conf_vspace_with_image(struct conf_env *env);
void conf_thread_move_vspace(struct conf_env *env, struct conf_thread *t, seL4_CPtr vspace,
                             seL4_CPtr fault_ep);
/* The two halves of those: map the root task's image frames in vs (any VSpace with an ASID); map
 * t's stack and IPC buffer in vspace without making it t's VSpace. */
void conf_map_image_in(struct conf_env *env, seL4_CPtr vs);
void conf_thread_map_in(struct conf_env *env, struct conf_thread *t, seL4_CPtr vspace);
/* A frame mapped at vaddr in vspace (tables made as needed). */
seL4_CPtr conf_map_frame_in(struct conf_env *env, seL4_CPtr vspace, seL4_CPtr frame,
                            seL4_Word vaddr, seL4_CapRights_t rights, seL4_Word attr);
/* A user address in the root VSpace with nothing mapped at it (and no page table: level 2
 * translation fault) and its neighbour pages; for fault cases. */
#define CONF_UNMAPPED_VA 0x3800000ull
/* A frame mapped in the root VSpace at vaddr (tables made as needed). */
seL4_CPtr conf_map_frame(struct conf_env *env, seL4_Word vaddr, seL4_CapRights_t rights,
                         seL4_Word attr);

/* --- Areas (one file each: cases_<area>.c) --- */
extern const struct conf_area conf_area_bootinfo, conf_area_cnode, conf_area_cspace,
    conf_area_untyped, conf_area_vspace, conf_area_syscall, conf_area_tcb, conf_area_ipc,
    conf_area_fault, conf_area_sched, conf_area_ntfn, conf_area_irq, conf_area_domain,
    conf_area_switch, conf_area_mcs;

/* Run every case of every area; prints one line per case and the summary. Returns the number of
 * failed cases. */
unsigned conf_run_all(const seL4_BootInfo *bi);

#endif
