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
_Static_assert(sizeof(struct trap_frame) == 36 * 8, "trap_frame matches head.S");

/* head.S */
void mmu_switch_tables(word_t ttbr0, word_t ttbr1, word_t tcr);
word_t psci_call_hvc(word_t fn, word_t a1, word_t a2, word_t a3);
word_t psci_call_smc(word_t fn, word_t a1, word_t a2, word_t a3);
extern char aarch64_vectors[];
extern char kernel_stack_base[], kernel_stack_top[];

/* Linker script symbols: the kernel image, virtual. */
extern char _kernel_start[], _kernel_end[], __bss_start[], __bss_end[];

/* C entry from _start with the loader's registers (ABI §11.1). Does not return. */
void aarch64_boot(word_t ui_p_start, word_t ui_p_end, word_t pv_offset, word_t v_entry,
                  word_t dtb_paddr, word_t dtb_size) NORETURN;
/* Exception from the vectors: prints what happened and stops. Does not return (yet). */
void aarch64_trap(struct trap_frame *frame, word_t vector) NORETURN;

/* mmu.c: build the kernel's own TTBR1 tables (image, device window, the physical window over
 * [ram_start, ram_end)) and switch to them. Boot, MMU on, interrupts masked. */
void mmu_init(paddr_t ram_start, paddr_t ram_end);
/* Map more RAM into the physical window (2 MiB granularity; already mapped parts are kept).
 * Returns 0, or -1 if the range is outside the window or the table pool is exhausted. */
int mmu_map_phys_window(paddr_t start, paddr_t end);
/* Physical address of an object in the kernel image. */
paddr_t kernel_image_vtop(const void *p);

/* console.c: the PL011 at KDEV_UART. Usable once mmu_init has run. */
void console_init(void);
void console_puts(const char *s);

/* hal.c: PSCI conduit from the device tree's /psci node ("hvc" or "smc"). */
void psci_init(const void *dtb);

#endif
