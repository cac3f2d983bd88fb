/* SPDX-License-Identifier: BSD-2-Clause */
/* Declarations shared between the aarch64 port's own files (not part of the HAL contract). */
#ifndef AARCH64_INTERNAL_H
#define AARCH64_INTERNAL_H

#include <kaal/types.h>
#include <kaal/boot.h>

/* Saved by the exception vectors (head.S) on the kernel stack: order is fixed there. */
struct trap_frame {
    word_t x[31];
    word_t elr;
    word_t spsr;
    word_t esr;
    word_t far;
    word_t pad;
};
_Static_assert(sizeof(struct trap_frame) == 36 * 8,
               "trap_frame: 16-byte multiple (head.S: asm_offsets.c)");

struct hal_tcb;

/* head.S */
void mmu_switch_tables(word_t ttbr0, word_t ttbr1, word_t tcr);
/* The idle thread: EL1, fresh kernel stack, IRQs unmasked, wfi. [aarch64_idle, aarch64_idle_end)
 * is its code, so an IRQ taken there is recognised by its ELR. */
void aarch64_idle(void) NORETURN;
extern char aarch64_idle_end[];
word_t psci_call_hvc(word_t fn, word_t a1, word_t a2, word_t a3);
word_t psci_call_smc(word_t fn, word_t a1, word_t a2, word_t a3);
extern char aarch64_vectors[];
extern char kernel_stack_base[], kernel_stack_top[];

/* Linker script symbols: the kernel image, virtual. */
extern char _kernel_start[], _kernel_end[], __bss_start[], __bss_end[];

/* C entry from _start with the loader's registers (docs/abi.md#loader-registers). Does not return.
 */
void aarch64_boot(word_t ui_p_start, word_t ui_p_end, word_t pv_offset, word_t v_entry,
                  word_t dtb_paddr, word_t dtb_size) NORETURN;
/* Exception taken at EL1 (vectors 0-7, and the AArch32 EL0 vectors 12-15): an IRQ in the idle loop
 * goes to aarch64_idle_irq; everything else is a kernel bug and panics with the registers. */
void aarch64_trap(struct trap_frame *frame, word_t vector) NORETURN;
/* FIQ or SError from EL0 (kind EL0_FIQ/EL0_SERROR): fatal, with the thread's registers. */
void aarch64_user_panic(word_t kind, const struct hal_tcb *arch) NORETURN;

/* trap.c: entry from EL0 (kind EL0_*, the thread's saved registers), from head.S on the kernel
 * stack with interrupts masked. Hands the event to core, then leaves through aarch64_exit. */
void aarch64_el0_entry(word_t kind, struct hal_tcb *arch) NORETURN;
/* An IRQ woke the idle loop: handle it and leave through aarch64_exit. */
void aarch64_idle_irq(void) NORETURN;
/* The one way out of the kernel: kernel_exit(), then resume ks.cur_thread at EL0 (VSpace, FP/SIMD,
 * registers) or idle; powers off when nothing can ever run again. Kernel stack, IRQs masked. */
void aarch64_exit(void) NORETURN;
/* head.S: resume t (Running, chosen by the scheduler, its SPSR sane): TTBR0_EL1 for its VSpace
 * (aarch64_vspace_refresh), CPACR_EL1 for its FP/SIMD use (saving the owner's FP/SIMD state and
 * loading its own when another thread's is in the registers), its registers; SP_EL1 is left
 * pointing at its struct hal_tcb for the next entry. The tail of aarch64_exit and the IPC
 * fastpath's exit (HAL_FASTPATH_EXIT, hal_port.h). Does not return. */
struct tcb;
void aarch64_resume(struct tcb *t) NORETURN;
/* trap.c, called by aarch64_resume when t's cached TTBR0_EL1 value (struct hal_tcb) is stale:
 * compute it by seL4's setVMRoot rule (tcb_vspace) and cache it for the current epoch. Kernel
 * stack, IRQs masked. */
void aarch64_vspace_refresh(struct tcb *t);
/* trap.c: a system call (the vector stored FaultIP): the slowpath, then aarch64_exit. */
void aarch64_svc_entry(void) NORETURN;
/* trap.c (-Dfastpath): the same for a Call the fastpath declined (fastpath.S, head.S). */
void aarch64_svc_call_entry(void) NORETURN;

/* What the exit path keeps of the CPU's user-facing state (trap.c; head.S reads it by the offsets
 * of the generated asm_offsets_gen.h). */
struct aarch64_cpu {
    struct tcb *fp_loaded; /* whose FP/SIMD registers are loaded, or NULL (lazy switching) */
    word_t cpacr;          /* CPACR_EL1 as last written (_start enabled FP/SIMD at EL0 and EL1) */
    word_t vspace_epoch;   /* bumped by hal_vspace_bindings_changed; struct hal_tcb's cache */
    word_t empty_ttbr0;    /* the empty table with the reserved ASID 0 (aarch64_cpu_init) */
    word_t fp_loads; /* FP/SIMD loads so far (aarch64_resume; debug builds), printed at power-off */
};
extern struct aarch64_cpu aarch64_cpu;
/* Once the kernel's tables are built: fill in aarch64_cpu.empty_ttbr0. */
void aarch64_cpu_init(void);

/* fpu.S: V0-V31, FPSR, FPCR into a struct hal_tcb fpsimd area. FP/SIMD enabled at EL1. (The exit
 * path loads and saves inline: fpsimd_asm.h.) */
void fpsimd_save(word_t *area);

/* gic.c: find the GIC (v2 or v3) in the device tree and map it into the device window; devices[]
 * gets the two physical ranges the kernel keeps. Returns 0, or -1 with *error. Boot. */
int gic_probe(const void *dtb, struct mem_region devices[2], const char **error);
/* Distributor, redistributor and CPU interface on; every line masked. Boot, after gic_probe. */
void gic_init(void);
int gic_version(void);
/* Unmask a line the kernel itself owns (the timer); not counted as a user line. */
void gic_enable_kernel_irq(word_t irq);
/* Is any line unmasked for user space (hal_irq_unmask)? */
bool gic_user_irq_enabled(void);

/* timer.c: the EL1 virtual timer ticking every CONFIG_TIMER_TICK_MS (MCS: one-shot deadlines,
 * the hal_timer_* functions of <hal/hal.h>, and no timer_reload); CNTKCTL_EL1: EL0 reads only
 * the virtual count, and only with CONFIG_EXPORT_VCNT_USER. Boot, after gic_init. timer_reload
 * starts the next period (and clears the pending tick). */
void timer_init(void);
/* Benchmark builds: export the PMU cycle counter to EL0 (pmu.c); a no-op otherwise. Boot, once. */
void aarch64_pmu_init(void);
void timer_reload(void);
word_t timer_frequency(void);
/* A tick was handled (hal_irq_ack of the timer line): count it and start the next period (MCS:
 * only count it; core acknowledged the deadline). */
void timer_tick_done(void);
word_t timer_ticks(void);

/* kernel_map.c: build the kernel's own TTBR1 tables (image, device window, the physical window over
 * [ram_start, ram_end)) and switch to them. Boot, MMU on, interrupts masked. */
void mmu_init(paddr_t ram_start, paddr_t ram_end);
/* Map more RAM into the physical window (2 MiB granularity; already mapped parts are kept).
 * Returns 0, or -1 if the range is outside the window or the table pool is exhausted. */
int mmu_map_phys_window(paddr_t start, paddr_t end);
/* Physical address of an object in the kernel image. */
paddr_t kernel_image_vtop(const void *p);
/* Map [pa, pa + size) (4 KiB multiples) at the device-window address va, Device-nGnRnE, EL1
 * only. Boot. */
void mmu_map_device(word_t va, paddr_t pa, word_t size);
/* The empty TTBR0 table (no user mappings). */
const void *mmu_empty_ttbr0(void);

/* console.c: the PL011 at KDEV_UART. Usable once mmu_init has run. */
void console_init(void);
void console_puts(const char *s);

/* hal.c: PSCI conduit from the device tree's /psci node ("hvc" or "smc"). */
void psci_init(const void *dtb);

#endif
