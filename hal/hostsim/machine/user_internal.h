/* SPDX-License-Identifier: BSD-2-Clause */
/* hostsim machine: the interface between user threads (uthread.c: host code; emu_el0.c: AArch64
 * code), the run loop (run.c) and the shadow MMU (shadow_mmu.c). The MMU depends on neither kind of
 * thread; each kind depends on the MMU; the run loop on both. */
#ifndef HOSTSIM_USER_INTERNAL_H
#define HOSTSIM_USER_INTERNAL_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <hostsim/user.h>
#include <hostsim_if/kernel.h>

/* The host-specific part of hostsim: uthread.c's launch code, and the signal context the shadow
 * MMU's SIGSEGV handler reads (RIP, RSP, the page-fault error code) and corrects under Valgrind. */
#if !defined(__x86_64__)
#error "hostsim user threads need an x86-64 Linux host (signal contexts, the launch code)"
#endif

/* Sanitizer and Valgrind annotations. */
#if defined(__SANITIZE_ADDRESS__)
#define HOSTSIM_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HOSTSIM_ASAN 1
#endif
#endif

/* Why the running user thread entered the kernel (written by user-side code just before it
 * switches to the kernel context; read by the run loop). */
extern struct hostsim_entry hostsim_entry;

/* True while a user thread's host context runs (user mode). The SIGSEGV handler treats a fault in
 * the window as a user access only then. */
extern volatile sig_atomic_t hostsim_user_mode;
/* Is hostsim_run active? (Outside a run no user thread is resumed.) */
extern bool hostsim_running;

/* --- uthread.c: host-code threads and the machine's per-thread records --- */
/* At the start of a run: the window and the SIGSEGV handler (shadow_init, with uthread's hooks).
 * 0 or -1 with *error. */
int uthread_init(const char **error);
/* Enter t's host context (creating or restarting it from its registers as needed) and return when
 * it enters the kernel; hostsim_entry says why. Kernel context, inside a run. */
void uthread_run(struct hal_tcb *t);
/* Threads with a host context: is any of them blocked (not Inactive, not runnable)? */
bool uthread_any_blocked(void);
/* Drop every record (the machine goes away, a snapshot is restored). */
void uthread_destroy_all(void);
/* A puppet thread's pending system call (invoke.c): 1 + the address of the svc it executes, or 0.
 * Kept in the thread's record, never in the TCB. */
word_t uthread_svc_mark(const struct hal_tcb *t);
void uthread_set_svc_mark(const struct hal_tcb *t, word_t mark);
/* The marks of every thread that has one (snapshot.c): at most max into out; returns how many
 * there are. Restoring drops every record and sets these marks. */
struct uthread_mark {
    const struct hal_tcb *thread;
    word_t mark;
};
size_t uthread_marks(struct uthread_mark *out, size_t max);
void uthread_marks_restore(const struct uthread_mark *marks, size_t n);

/* --- shadow_mmu.c --- */
/* The user rights of a mapping (the descriptor's AP bits). */
enum walk_rights { WALK_KERNEL_ONLY, WALK_READ_ONLY, WALK_READ_WRITE };
/* The result of walking a VSpace for one address. */
struct walk {
    bool mapped;
    word_t level;      /* where the walk stopped: the invalid entry's level, or the leaf's */
    paddr_t page_pa;   /* the 4 KiB page holding the address */
    word_t block_base; /* virtual base and size of the leaf's frame */
    word_t block_size;
    enum walk_rights rights;
    bool xn;
};
/* Walk the AArch64 tables under root (physical; 0: no VSpace) for va, as the MMU would. */
void shadow_walk(paddr_t root, word_t va, struct walk *w);
/* The ESR of an abort from EL0 (instruction or data, WnR, fault status code), as hardware (and
 * QEMU) write it for a stage-1 fault: no ISV. */
word_t shadow_abort_esr(bool instruction, bool write, word_t fsc);
/* Fault status codes (Arm ARM D17.2.37). */
#define FSC_TRANSLATION(level) (0x04ul + (level))
#define FSC_PERMISSION(level) (0x0cul + (level))
#define FSC_EXTERNAL 0x10ul
/* What the SIGSEGV handler needs of the thread layer (uthread.c gives it): is a user thread
 * running (so a window fault is its access)? The user side of a fault (on the alternate stack, in
 * user mode): record it as the current thread's, switch to the kernel, and return when the kernel
 * resumes the thread (the handler then returns and the access is retried), with the alternate
 * signal stack the handler ran on, which the handler releases just before it returns. */
struct shadow_thread_hooks {
    bool (*current)(void);
    void *(*fault)(bool instruction, word_t addr, word_t esr, word_t pc, word_t sp);
};
/* At the start of a run: reserve the window and install the SIGSEGV handler (once per process);
 * under Valgrind, user accesses below the window are not reported as errors. 0 or -1 with *error.
 */
int shadow_init(const struct shadow_thread_hooks *hooks, const char **error);
/* The window's statistics (hostsim_window_stats without the switches, which are uthread.c's). */
void shadow_stats(struct hostsim_window_stats *out);
/* At the end of a run: empty the window; addresses below it are checked again. */
void shadow_run_end(void);
/* Make the VSpace (root, asid) the window's; empties the window if it was another. */
void shadow_switch(paddr_t vspace_root, word_t asid);
/* Empty the window (every materialised page back to PROT_NONE). */
void shadow_flush(void);
/* TLB invalidation (hostsim_tlb_invalidate_asid / _va): forget the window's pages made from a
 * removed translation of that ASID. Kernel context. */
void shadow_invalidate_asid(word_t asid);
void shadow_invalidate_va(word_t asid, word_t vaddr);
/* Per-thread fault stacks: the handler runs on the registered alternate signal stack. A thread
 * that blocks in a fault keeps that stack; the kernel side then registers a fresh one. */
void *shadow_altstack_current(void);
void shadow_altstack_replace(void);        /* kernel side: the current one is now held */
void shadow_altstack_release(void *stack); /* a held stack is free again */

/* --- run.c --- */
/* Is the machine's user code AArch64 run by the emulator (set at boot, before hostsim_run)? */
extern bool hostsim_emu_active;
/* The machine's RAM goes away (machine.c): both kinds of thread forget what they kept of it. */
void hostsim_cpus_machine_gone(void);

/* --- emu_el0.c: AArch64 user threads (hostsim/emu.h) --- */
/* Run t's AArch64 code in the emulator until it enters the kernel; hostsim_entry says why. */
void emu_run(struct hal_tcb *t);
/* TLB maintenance: forget the emulator's pages made from translations of that ASID / address. */
void emu_invalidate_asid(word_t asid);
void emu_invalidate_va(word_t asid, word_t vaddr);
/* The machine's RAM goes away: drop every page and translation. */
void emu_machine_gone(void);
/* Drop every engine's pages and translated code (memory or tables changed behind its back: a
 * snapshot restored, code written). */
void emu_forget_all(void);
/* emu_run for a puppet outside a run (hostsim_emu_step_current): every engine forgets its pages
 * first, and the timer interrupt comes after at most max_instructions user instructions. */
void emu_run_bounded(struct hal_tcb *t, uint64_t max_instructions);
/* Write n instruction words at va in t's VSpace (the RAM page mapped there, whatever its rights:
 * a loader's write), clipped at the page's end; false if no RAM is mapped there. */
bool emu_place_code(const struct hal_tcb *t, word_t va, const uint32_t *words, unsigned n);

/* pl011.c: is a modelled device's page at physical pa? A 32-bit access to it (the emulated EL0's
 * device frames; aligned accesses only, others read 0 and write nothing). */
bool hostsim_device_at(uint64_t pa);
uint32_t hostsim_device_access(uint64_t pa, int is_write, uint32_t value);

/* machine.c: boot with a root task image other than the default empty one. load() copies the
 * image into RAM: dst is the host address of its first page (virtual v_start), pv_offset the
 * kernel's. */
struct hostsim_user_image {
    word_t v_start, pages, entry;
    void (*load)(const struct hostsim_user_image *img, uint8_t *dst, word_t pv_offset);
    const uint8_t *file;
    size_t file_size;
};
int hostsim_boot_image(const void *dtb, size_t dtb_size, const struct hostsim_user_image *img,
                       const char **error);

/* machine.c: the memfd behind simulated RAM (-1 when no machine is booted). */
int hostsim_ram_fd(void);

#endif
