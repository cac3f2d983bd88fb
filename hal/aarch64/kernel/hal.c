/* SPDX-License-Identifier: BSD-2-Clause */
/* AArch64 implementation of the HAL contract: halt (PSCI), kernel exceptions and the panic dump,
 * threads and memory. (Interrupts: gic.c; entry and exit: trap.c; VSpaces: mmu.c and
 * <hal_common/pte_codec.h>.) */
#include <hal/hal.h>
#include <kaal/kernel.h>
#include <kaal/printf.h>
#include <kaal/string.h>
#include <libfdt.h>

#include "internal.h"

/* --- halting: PSCI SYSTEM_OFF through the conduit the device tree names --- */
enum psci_conduit { PSCI_NONE, PSCI_HVC, PSCI_SMC };
static enum psci_conduit psci_conduit;

BOOT_CODE void psci_init(const void *dtb)
{
    psci_conduit = PSCI_NONE;
    if (dtb == NULL) {
        return;
    }
    int node = fdt_node_offset_by_compatible(dtb, -1, "arm,psci-0.2");
    if (node < 0) {
        node = fdt_path_offset(dtb, "/psci");
    }
    if (node < 0) {
        return;
    }
    int len;
    const char *method = fdt_getprop(dtb, node, "method", &len);
    if (method == NULL || len < 1 || method[len - 1] != '\0') {
        return;
    }
    if (kstrcmp(method, "hvc") == 0) {
        psci_conduit = PSCI_HVC;
    } else if (kstrcmp(method, "smc") == 0) {
        psci_conduit = PSCI_SMC;
    }
}

COLD void hal_halt(void)
{
    __asm__ volatile("msr daifset, #0xf");
    switch (psci_conduit) {
    case PSCI_HVC:
        psci_call_hvc(PSCI_SYSTEM_OFF, 0, 0, 0);
        break;
    case PSCI_SMC:
        psci_call_smc(PSCI_SYSTEM_OFF, 0, 0, 0);
        break;
    case PSCI_NONE:
        break;
    }
    kprintf("KaaL: PSCI SYSTEM_OFF unavailable or failed; parking the CPU\n");
    for (;;) {
        __asm__ volatile("wfi");
    }
}

/* --- exceptions and the panic dump --- */
static const struct trap_frame *last_trap; /* the exception being reported, if any */

static COLD const char *esr_class_name(word_t ec)
{
    switch (ec) {
    case 0x00:
        return "unknown reason (undefined instruction)";
    case 0x01:
        return "WFI/WFE trapped";
    case 0x07:
        return "FP/SIMD access trapped";
    case 0x0e:
        return "illegal execution state";
    case 0x15:
        return "SVC from AArch64";
    case 0x16:
        return "HVC from AArch64";
    case 0x17:
        return "SMC from AArch64";
    case 0x18:
        return "MSR/MRS/system instruction trapped";
    case 0x20:
        return "instruction abort from a lower EL";
    case 0x21:
        return "instruction abort at EL1";
    case 0x22:
        return "PC alignment fault";
    case 0x24:
        return "data abort from a lower EL";
    case 0x25:
        return "data abort at EL1";
    case 0x26:
        return "SP alignment fault";
    case 0x2f:
        return "SError";
    case 0x30:
        return "breakpoint from a lower EL";
    case 0x31:
        return "breakpoint at EL1";
    case 0x3c:
        return "BRK instruction";
    default:
        return "other exception class";
    }
}

static COLD const char *fault_status_name(word_t fsc)
{
    switch (fsc & 0x3c) {
    case 0x00:
        return "address size fault";
    case 0x04:
        return "translation fault";
    case 0x08:
        return "access flag fault";
    case 0x0c:
        return "permission fault";
    default:
        break;
    }
    switch (fsc) {
    case 0x10:
        return "synchronous external abort";
    case 0x21:
        return "alignment fault";
    case 0x30:
        return "TLB conflict abort";
    default:
        return "other fault status";
    }
}

static const char *const vector_names[16] = {
    "sync, EL1 on SP_EL0", "IRQ, EL1 on SP_EL0", "FIQ, EL1 on SP_EL0", "SError, EL1 on SP_EL0",
    "sync, EL1",           "IRQ, EL1",           "FIQ, EL1",           "SError, EL1",
    "sync, EL0 AArch64",   "IRQ, EL0 AArch64",   "FIQ, EL0 AArch64",   "SError, EL0 AArch64",
    "sync, EL0 AArch32",   "IRQ, EL0 AArch32",   "FIQ, EL0 AArch32",   "SError, EL0 AArch32",
};

static COLD void dump_esr(word_t esr, word_t far, word_t elr)
{
    word_t ec = (esr >> 26) & 0x3f;
    kprintf("  ESR_EL1 %016lx: class 0x%lx = %s", (unsigned long)esr, (unsigned long)ec,
            esr_class_name(ec));
    if (ec == 0x20 || ec == 0x21 || ec == 0x24 || ec == 0x25) {
        word_t fsc = esr & 0x3f;
        kprintf(", %s at level %lu", fault_status_name(fsc), (unsigned long)(fsc & 3));
        if (ec >= 0x24) {
            kprintf(esr & BIT(6) ? ", on a write" : ", on a read");
        }
    }
    kprintf("\n  FAR_EL1 %016lx (faulting address)\n", (unsigned long)far);
    kprintf("  ELR_EL1 %016lx (faulting instruction)\n", (unsigned long)elr);
}

/* The thread the kernel was working for: its name (TCB_SetName / DebugNameThread) and where it is
 * in user mode, so a crash says whose system call or fault it was handling. */
static COLD void dump_current_thread(void)
{
    const struct tcb *t = ks.cur_thread;
    if (t == NULL) {
        kprintf("  current thread: none (booting)\n");
        return;
    }
    kprintf("  current thread %p \"%s\": user PC %016lx SP_EL0 %016lx FaultIP %016lx x7 %lx\n",
            (const void *)t, t->name, (unsigned long)t->arch.regs[REG_NEXT_IP],
            (unsigned long)t->arch.regs[REG_SP], (unsigned long)t->arch.regs[REG_FAULT_IP],
            (unsigned long)t->arch.regs[REG_X7]);
}

COLD void hal_panic_dump(void)
{
    dump_current_thread();
    if (last_trap != NULL) {
        dump_esr(last_trap->esr, last_trap->far, last_trap->elr);
        kprintf("  SPSR_EL1 %016lx  LR %016lx\n", (unsigned long)last_trap->spsr,
                (unsigned long)last_trap->x[30]);
        for (int i = 0; i < 30; i += 2) {
            kprintf("  x%2d %016lx  x%2d %016lx\n", i, (unsigned long)last_trap->x[i], i + 1,
                    (unsigned long)last_trap->x[i + 1]);
        }
        return;
    }
    word_t esr, far, elr;
    __asm__ volatile("mrs %0, esr_el1; mrs %1, far_el1; mrs %2, elr_el1"
                     : "=r"(esr), "=r"(far), "=r"(elr));
    kprintf("  (no exception taken; last exception registers follow, possibly stale)\n");
    dump_esr(esr, far, elr);
}

static bool in_idle_loop(word_t pc)
{
    return pc >= (word_t)aarch64_idle && pc < (word_t)aarch64_idle_end;
}

COLD void aarch64_trap(struct trap_frame *frame, word_t vector)
{
    if (vector == 5 && in_idle_loop(frame->elr)) {
        aarch64_idle_irq(); /* the idle thread's state is not kept: it restarts from the top */
    }
    last_trap = frame;
    kprintf("\nKaaL: unexpected exception (%s)\n", vector_names[vector & 15]);
    kpanic("unexpected exception in the kernel");
}

COLD void aarch64_user_panic(word_t kind, const struct hal_tcb *arch)
{
    static struct trap_frame frame;
    word_t esr, far;
    __asm__ volatile("mrs %0, esr_el1; mrs %1, far_el1" : "=r"(esr), "=r"(far));
    for (int i = 0; i < 31; i++) {
        frame.x[i] = arch->regs[i];
    }
    frame.elr = arch->regs[REG_NEXT_IP];
    frame.spsr = arch->regs[REG_SPSR];
    frame.esr = esr;
    frame.far = far;
    last_trap = &frame;
    kprintf("\nKaaL: %s from user thread \"%s\"\n", vector_names[8 + (kind & 3)],
            ks.cur_thread != NULL ? ks.cur_thread->name : "?");
    kpanic("unexpected exception from EL0");
}

/* --- threads and memory --- */
void hal_tcb_init(struct hal_tcb *arch)
{
    kmemset(arch, 0, sizeof(*arch));
    arch->regs[REG_SPSR] = USER_SPSR_INITIAL;
}

/* DC ZVA zeroes one naturally aligned block of DCZID_EL0.BS (log2 of words: 4 << BS bytes, 64 on
 * Cortex-A53) per instruction, unless DCZID_EL0.DZP prohibits it. The kernel window is Normal
 * write-back memory, as DC ZVA needs; the caller cleans to the point of coherency after
 * (hal_cache_clean_new_memory), as after any store. Anything not block-aligned goes to kmemset. */
void hal_zero_phys(paddr_t pa, word_t bytes)
{
    char *p = hal_ptov(pa);
    word_t dczid;
    __asm__("mrs %0, dczid_el0" : "=r"(dczid));
    word_t block = 4ul << (dczid & 0xf);
    if ((dczid & BIT(4)) == 0 && (((word_t)p | bytes) & (block - 1)) == 0) {
        for (char *end = p + bytes; p < end; p += block) {
            __asm__ volatile("dc zva, %0" ::"r"(p) : "memory");
        }
        return;
    }
    kmemset(p, 0, bytes);
}

/* --- stack protector: Debian's libfdt.a is built with -fstack-protector-strong. No entropy
 * source is read at boot yet, so the canary is a fixed value. --- */
extern uintptr_t __stack_chk_guard;
void __stack_chk_fail(void) NORETURN;
uintptr_t __stack_chk_guard = 0x5eb1c0ded00dfeedul;
void __stack_chk_fail(void) { kpanic("stack protector: stack corrupted (in libfdt)"); }
