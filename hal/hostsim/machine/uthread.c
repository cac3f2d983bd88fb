/* SPDX-License-Identifier: BSD-2-Clause */
/* hostsim user threads: each TCB that runs user code has a host context (a ucontext and its
 * bookkeeping, outside simulated memory) that runs host functions on the thread's own stack in the
 * user window. System calls and faults (which the shadow MMU's SIGSEGV handler hands over) switch
 * to the kernel's context and back, with ASan's fiber annotations and Valgrind's stack
 * registrations around every switch. The machine's record of a thread (its context, a puppet
 * thread's pending system call) lives here, in host memory, keyed by the TCB's register file:
 * nothing of it is in the TCB. */
#define _GNU_SOURCE
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>

#include <hostsim/hostsim.h>
#include <hostsim/user.h>
#include <hostsim_if/kernel.h>
#include <hostsim_if/machine.h>

#include "user_internal.h"

#ifdef HOSTSIM_ASAN
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#endif
#ifdef HOSTSIM_HAVE_VALGRIND
#include <valgrind/memcheck.h>
#include <valgrind/valgrind.h>
#else
#define VALGRIND_STACK_REGISTER(lo, hi) 0u
#define VALGRIND_STACK_DEREGISTER(id) ((void)(id))
#define VALGRIND_MAKE_MEM_DEFINED(p, n) ((void)(p), (void)(n))
#endif

#define UT_MAGIC 0x5554687265616421ull /* "UThread!" */
#define UT_STACK_GUESS (64u * 1024)    /* stack extent assumed below a thread's initial SP */
#define LAUNCH_STACK_SIZE (64u * 1024) /* host stack a fresh context starts on, briefly */
#define ALTSTACK_SIZE (64u * 1024)

/* How a thread's host context is suspended, which decides how it may continue. */
enum ut_state {
    UT_LAUNCH,  /* no resumable context: the next run starts NextIP as a host function */
    UT_SYSCALL, /* inside hostsim_user_trap: continues at resume_ip, or re-executes at restart_ip */
    UT_FAULT,   /* inside the SIGSEGV handler: continues (retries the access) at resume_ip */
};

struct uthread {
    uint64_t magic;
    struct uthread *next; /* every record, most recently used first */
    struct hal_tcb *owner;
    bool ran;        /* has a host context (it ran in a run): counts for the deadlock check */
    word_t svc_mark; /* puppet thread: 1 + the address of the svc it executes, 0 if none */
    ucontext_t ctx;
    enum ut_state state;
    word_t resume_ip, restart_ip;
    /* A fresh start: pc(args[0..5]) on stack sp. */
    word_t entry, sp, args[6];
    /* The user stack as announced to ASan and Valgrind. */
    uintptr_t stack_lo, stack_hi;
    unsigned vg_stack_id;
    void *asan_fake_stack;
    void *altstack; /* held while suspended in the fault handler */
};

struct hostsim_entry hostsim_entry;
volatile sig_atomic_t hostsim_user_mode;
uint64_t hostsim_tpidr_el0;

static struct uthread *all_threads;
static struct uthread *cur;  /* running (user mode) */
static struct uthread *last; /* the last one that ran (for stale stack annotations) */
static ucontext_t kernel_ctx;
static uint64_t switches;
static void *launch_stack;

#ifdef HOSTSIM_ASAN
/* The kernel context's stack as ASan knows it (learned on every switch into a user context). */
static const void *kernel_stack_bottom;
static size_t kernel_stack_size;
static void *kernel_fake_stack;
#endif

static void stack_annotations_clear(const struct uthread *u)
{
    if (u->stack_hi <= u->stack_lo) {
        return;
    }
#ifdef HOSTSIM_ASAN
    /* Frames abandoned or suspended here must not leave poison for other threads (or other
     * VSpaces) that use the same addresses: they lose their redzones, nobody gets a false report.
     */
    __asan_unpoison_memory_region((void *)u->stack_lo, u->stack_hi - u->stack_lo);
#endif
    VALGRIND_MAKE_MEM_DEFINED((void *)u->stack_lo, u->stack_hi - u->stack_lo);
}

static void uthread_destroy(struct uthread *u)
{
    for (struct uthread **pp = &all_threads; *pp; pp = &(*pp)->next) {
        if (*pp == u) {
            *pp = u->next;
            break;
        }
    }
    if (u->altstack) {
        shadow_altstack_release(u->altstack);
    }
    if (u->stack_hi > u->stack_lo) {
        VALGRIND_STACK_DEREGISTER(u->vg_stack_id);
    }
    stack_annotations_clear(u);
    if (last == u) {
        last = NULL;
    }
    u->magic = 0;
    free(u);
}

void uthread_destroy_all(void)
{
    while (all_threads) {
        uthread_destroy(all_threads);
    }
}

bool uthread_any_blocked(void)
{
    for (struct uthread *u = all_threads; u; u = u->next) {
        if (u->ran && hostsim_kernel_thread_status(u->owner) == HOSTSIM_THREAD_BLOCKED) {
            return true;
        }
    }
    return false;
}

/* The record of thread a (moved to the front of the list), or NULL when it has none and create
 * is false. A TCB made or destroyed at a's address drops its record (hostsim_thread_forget), so a
 * record always belongs to the TCB there now. */
static struct uthread *record_of(const struct hal_tcb *a, bool create)
{
    for (struct uthread **pp = &all_threads; *pp; pp = &(*pp)->next) {
        struct uthread *u = *pp;
        if (u->owner == a) {
            *pp = u->next;
            u->next = all_threads;
            all_threads = u;
            return u;
        }
    }
    if (!create) {
        return NULL;
    }
    struct uthread *u = calloc(1, sizeof(*u));
    if (u == NULL) {
        fprintf(stderr, "hostsim: out of host memory for a thread context\n");
        abort();
    }
    u->magic = UT_MAGIC;
    u->owner = (struct hal_tcb *)a; /* the machine writes the registers it saves */
    u->state = UT_LAUNCH;
    u->next = all_threads;
    all_threads = u;
    return u;
}

void hostsim_thread_forget(const struct hal_tcb *t)
{
    struct uthread *u = record_of(t, false);
    if (u != NULL) {
        uthread_destroy(u);
    }
}

bool hostsim_thread_has_context(uint64_t thread)
{
    const struct uthread *u = record_of(hostsim_kernel_thread_at(thread), false);
    return u != NULL && u->ran;
}

/* --- puppet threads' pending system calls (invoke.c) --- */

word_t uthread_svc_mark(const struct hal_tcb *t)
{
    const struct uthread *u = record_of(t, false);
    return u != NULL ? u->svc_mark : 0;
}

void uthread_set_svc_mark(const struct hal_tcb *t, word_t mark)
{
    struct uthread *u = record_of(t, mark != 0);
    if (u == NULL) {
        return;
    }
    u->svc_mark = mark; /* the record stays: a puppet makes call after call */
}

size_t uthread_marks(struct uthread_mark *out, size_t max)
{
    size_t n = 0;
    for (const struct uthread *u = all_threads; u; u = u->next) {
        if (u->svc_mark != 0) {
            if (n < max) {
                out[n] = (struct uthread_mark){u->owner, u->svc_mark};
            }
            n++;
        }
    }
    return n;
}

void uthread_marks_restore(const struct uthread_mark *marks, size_t n)
{
    uthread_destroy_all();
    for (size_t i = n; i-- > 0;) {
        uthread_set_svc_mark(marks[i].thread, marks[i].mark);
    }
}

/* --- switching --- */

/* User side: enter the kernel context; returns when the kernel resumes this thread. */
static void switch_to_kernel(struct uthread *u)
{
    u->owner->regs[REG_TPIDR] = hostsim_tpidr_el0;
#ifdef HOSTSIM_ASAN
    __sanitizer_start_switch_fiber(&u->asan_fake_stack, kernel_stack_bottom, kernel_stack_size);
#endif
    swapcontext(&u->ctx, &kernel_ctx);
#ifdef HOSTSIM_ASAN
    __sanitizer_finish_switch_fiber(u->asan_fake_stack, &kernel_stack_bottom, &kernel_stack_size);
#endif
}

/* Kernel side: run u until it enters the kernel. */
static void switch_to_user(struct uthread *u)
{
    hostsim_tpidr_el0 = u->owner->regs[REG_TPIDR];
    hostsim_entry.kind = ENTRY_NONE;
    cur = u;
    switches++;
#ifdef HOSTSIM_ASAN
    __sanitizer_start_switch_fiber(&kernel_fake_stack, (const void *)u->stack_lo,
                                   u->stack_hi - u->stack_lo);
#endif
    hostsim_user_mode = 1;
    swapcontext(&kernel_ctx, &u->ctx);
    hostsim_user_mode = 0;
#ifdef HOSTSIM_ASAN
    __sanitizer_finish_switch_fiber(kernel_fake_stack, NULL, NULL);
#endif
    cur = NULL;
}

/* --- starting a host function as a thread --- */

void hostsim_enter_user(const word_t *args, word_t pc, word_t sp)
    __attribute__((noreturn, visibility("hidden")));
void hostsim_uthread_returned(void) __attribute__((noreturn, visibility("hidden")));

/* hostsim_enter_user(args, pc, sp): switch to the user stack sp (16-byte aligned) and call
 * pc(args[0], ..., args[5]); if it returns, report that as the thread's fault. */
__asm__(".text\n"
        ".p2align 4\n"
        ".type hostsim_enter_user, @function\n"
        "hostsim_enter_user:\n"
        "    mov %rdx, %rsp\n"
        "    xor %ebp, %ebp\n"
        "    mov %rsi, %rax\n"
        "    mov %rdi, %r11\n"
        "    mov 0(%r11), %rdi\n"
        "    mov 8(%r11), %rsi\n"
        "    mov 16(%r11), %rdx\n"
        "    mov 24(%r11), %rcx\n"
        "    mov 32(%r11), %r8\n"
        "    mov 40(%r11), %r9\n"
        "    call *%rax\n"
        "    call hostsim_uthread_returned@PLT\n"
        "    ud2\n"
        ".size hostsim_enter_user, .-hostsim_enter_user\n");

/* A fresh context starts here, on the shared launch stack, and leaves it at once for the user
 * stack (nothing can suspend it in between, so one launch stack serves every thread). */
__attribute__((no_sanitize_address)) static void uthread_launch(void)
{
    struct uthread *u = cur;
#ifdef HOSTSIM_ASAN
    __sanitizer_finish_switch_fiber(NULL, &kernel_stack_bottom, &kernel_stack_size);
#endif
    hostsim_enter_user(u->args, u->entry, u->sp);
}

void hostsim_uthread_returned(void)
{
    struct uthread *u = cur;
    struct hal_tcb *a = u->owner;
    a->regs[REG_FAULT_IP] = u->entry;
    a->regs[REG_NEXT_IP] = u->entry;
    a->regs[REG_SP] = u->sp;
    u->state = UT_LAUNCH; /* never resumed: a restart calls the function again */
    hostsim_entry.kind = ENTRY_USER_EXCEPTION;
    hostsim_entry.esr = HOSTSIM_ESR_THREAD_RETURNED;
    switch_to_kernel(u);
    fprintf(stderr, "hostsim: a returned thread was resumed\n");
    abort();
}

static void launch_stack_init(void)
{
    if (launch_stack != NULL) {
        return;
    }
    launch_stack =
        mmap(NULL, LAUNCH_STACK_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (launch_stack == MAP_FAILED) {
        fprintf(stderr, "hostsim: cannot map the launch stack\n");
        abort();
    }
    (void)VALGRIND_STACK_REGISTER(launch_stack, (char *)launch_stack + LAUNCH_STACK_SIZE);
}

/* Give u a context that starts its NextIP as a host function with its current registers. */
static void prepare_launch(struct uthread *u)
{
    struct hal_tcb *a = u->owner;
    if (u->altstack) {
        shadow_altstack_release(u->altstack); /* the abandoned handler frame goes with it */
        u->altstack = NULL;
    }
    stack_annotations_clear(u);
    if (u->stack_hi > u->stack_lo) {
        VALGRIND_STACK_DEREGISTER(u->vg_stack_id);
    }
    u->entry = a->regs[REG_NEXT_IP];
    u->sp = a->regs[REG_SP] & ~(word_t)15;
    for (int i = 0; i < 6; i++) {
        u->args[i] = a->regs[REG_X0 + i];
    }
    u->stack_hi = u->sp;
    u->stack_lo = u->sp > UT_STACK_GUESS ? u->sp - UT_STACK_GUESS : 0;
    if (u->sp > HOSTSIM_WINDOW_BASE && u->sp <= HOSTSIM_WINDOW_END &&
        u->stack_lo < HOSTSIM_WINDOW_BASE) {
        u->stack_lo = HOSTSIM_WINDOW_BASE;
    }
    if (u->stack_hi > u->stack_lo) {
        u->vg_stack_id = VALGRIND_STACK_REGISTER(u->stack_lo, u->stack_hi);
    }
    launch_stack_init();
    getcontext(&u->ctx);
    u->ctx.uc_stack.ss_sp = launch_stack;
    u->ctx.uc_stack.ss_size = LAUNCH_STACK_SIZE;
    u->ctx.uc_link = NULL;
    makecontext(&u->ctx, uthread_launch, 0);
    u->state = UT_LAUNCH;
    u->resume_ip = u->entry;
}

void uthread_run(struct hal_tcb *t)
{
    struct uthread *u = record_of(t, true);
    u->ran = true;
    word_t ip = t->regs[REG_NEXT_IP];
    bool resumable = (u->state == UT_SYSCALL && (ip == u->resume_ip || ip == u->restart_ip)) ||
                     (u->state == UT_FAULT && ip == u->resume_ip);
    if (!resumable) {
        /* Never run, returned, or the kernel moved its PC (WriteRegisters, a fault reply with a
         * new IP): a host context cannot continue at an arbitrary address, so start afresh. */
        prepare_launch(u);
    }
    if (last != u) {
        if (last != NULL) {
            stack_annotations_clear(last);
        }
        stack_annotations_clear(u);
        last = u;
    }
    switch_to_user(u);
    if (u->state == UT_FAULT && u->altstack == NULL) {
        /* It blocked inside the fault handler: that alternate stack is its until it resumes. */
        u->altstack = shadow_altstack_current();
        shadow_altstack_replace();
    }
}

/* --- user side: system calls and faults --- */

/* regs[0..n-1] = x0..x(n-1) (n = 8 or 9); next = the caller's return address (the svc's NextIP).
 * Always inlined into its two callers, so that their frame is the thread's SP as before. */
static inline __attribute__((always_inline)) void user_trap(uint64_t *regs, int n, word_t next)
{
    struct uthread *u = cur;
    if (!hostsim_user_mode || u == NULL) {
        uint64_t r[9];
        memcpy(r, regs, (size_t)n * sizeof(r[0]));
        (void)(n == 9 ? hostsim_syscall_as_current_x8(r, NULL)
                      : hostsim_syscall_as_current(r, NULL));
        memcpy(regs, r, 6 * sizeof(r[0]));
        return;
    }
    struct hal_tcb *a = u->owner;
    /* The "svc" is the call; NextIP is where it returns to, FaultIP 4 bytes before it. */
    word_t svc = next - 4;
    for (int i = 0; i < n; i++) {
        a->regs[REG_X0 + i] = regs[i];
    }
    for (;;) {
        a->regs[REG_FAULT_IP] = svc;
        a->regs[REG_NEXT_IP] = next;
        a->regs[REG_SP] = (word_t)__builtin_frame_address(0);
        u->state = UT_SYSCALL;
        u->resume_ip = next;
        u->restart_ip = svc;
        hostsim_entry.kind = ENTRY_SYSCALL;
        switch_to_kernel(u);
        u = cur;
        a = u->owner;
        if (a->regs[REG_NEXT_IP] != svc) {
            break;
        }
        /* Restarted (preempted, or a fault handler asked for it): the svc runs again with the
         * registers the thread has now. */
    }
    u->state = UT_LAUNCH;
    for (int i = 0; i < 6; i++) {
        regs[i] = a->regs[REG_X0 + i];
    }
}

void hostsim_user_trap(uint64_t regs[8])
{
    user_trap(regs, 8, (word_t)__builtin_return_address(0));
}

void hostsim_user_trap_x8(uint64_t regs[9])
{
    user_trap(regs, 9, (word_t)__builtin_return_address(0));
}

/* The user side of a fault (shadow_thread_hooks.fault: called by the SIGSEGV handler on its
 * alternate stack, in user mode): record the fault as the current thread's, switch to the kernel,
 * and return when the kernel resumes the thread (the handler then returns and the access is
 * retried). Returns the alternate signal stack the handler ran on, which the handler releases just
 * before it returns. */
static void *uthread_fault(bool instruction, word_t addr, word_t esr, word_t pc, word_t sp)
{
    struct uthread *u = cur;
    struct hal_tcb *a = u->owner;
    a->regs[REG_FAULT_IP] = pc;
    a->regs[REG_NEXT_IP] = pc;
    a->regs[REG_SP] = sp;
    u->state = UT_FAULT;
    u->resume_ip = pc;
    u->altstack = NULL;
    hostsim_entry.kind = ENTRY_VM_FAULT;
    hostsim_entry.instruction = instruction;
    hostsim_entry.addr = addr;
    hostsim_entry.esr = esr;
    if (esr == HOSTSIM_ESR_EXEC_IN_WINDOW) {
        hostsim_entry.kind = ENTRY_USER_EXCEPTION;
    }
    switch_to_kernel(u);
    u = cur;
    void *held = u->altstack;
    u->altstack = NULL;
    u->state = UT_LAUNCH;
    return held;
}

/* --- set-up and statistics --- */

static bool uthread_current(void) { return cur != NULL; }

int uthread_init(const char **error)
{
    static const struct shadow_thread_hooks hooks = {uthread_current, uthread_fault};
    return shadow_init(&hooks, error);
}

void hostsim_window_stats(struct hostsim_window_stats *out)
{
    shadow_stats(out);
    out->switches = switches;
}
