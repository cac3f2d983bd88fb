/* SPDX-License-Identifier: BSD-2-Clause */
/* The driver kit: register access for memory-mapped devices, the interrupt wait-and-acknowledge
 * step, and device-tree lookups (register base, interrupt number) in the extra-bootinfo device
 * tree.
 *
 * On hostsim a device frame has no host memory behind it: the port's device models answer the
 * accesses. dddk_read32/dddk_write32 are then calls into the model (through dddk_hostsim_mmio,
 * which the hostsim start-up installs: it walks the calling thread's VSpace like the MMU would, so
 * a driver reaches a device only through a frame it has mapped). Drivers use these accessors,
 * never plain pointers, and the same source runs on both ports. */
#ifndef KAAL_DDDK_H
#define KAAL_DDDK_H

#include <kaal/sys_types.h>

#if defined(__aarch64__)
static inline uint32_t dddk_read32(seL4_Word addr)
{
    uint32_t v;
    __asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(addr) : "memory");
    return v;
}
static inline void dddk_write32(seL4_Word addr, uint32_t v)
{
    __asm__ volatile("str %w0, [%1]" ::"r"(v), "r"(addr) : "memory");
}
#else
/* hostsim: one device access (size 4), returns the value read. Installed by hostsim start-up. */
typedef uint32_t (*dddk_hostsim_mmio_fn)(seL4_Word vaddr, int write, uint32_t value);
extern dddk_hostsim_mmio_fn dddk_hostsim_mmio;
static inline uint32_t dddk_read32(seL4_Word addr) { return dddk_hostsim_mmio(addr, 0, 0); }
static inline void dddk_write32(seL4_Word addr, uint32_t v) { (void)dddk_hostsim_mmio(addr, 1, v); }
#endif

/* Wait on the notification ntfn until a signal arrives; returns the badge bits it carried. */
seL4_Word dddk_irq_wait(seL4_CPtr ntfn);
/* The device has been serviced: let its interrupt line fire again (IRQHandler_Ack). */
seL4_Error dddk_irq_ack(seL4_CPtr irq_handler);

/* The interrupt loop of a driver thread: wait on ntfn; for each signal call handle(ctx, badge)
 * (service the device, e.g. drain its FIFO and clear its interrupt), then acknowledge the handler;
 * until handle returns non-zero, which is returned. (A driver that also serves clients binds ntfn
 * to its TCB and waits on its endpoint instead, as user/drivers/pl011 does.) */
int dddk_irq_loop(seL4_CPtr ntfn, seL4_CPtr irq_handler, int (*handle)(void *ctx, seL4_Word badge),
                  void *ctx);

/* A device in the device tree: the first enabled node compatible with `compatible`. */
struct dddk_device {
    seL4_Word reg_base, reg_size;
    seL4_Word irq; /* interrupt ID as the GIC numbers it (SPI n -> 32 + n, PPI n -> 16 + n) */
    int has_irq;
};
/* Look the device up in fdt (e.g. kaal_bootinfo_fdt()). Returns 0, or -1 when there is no such
 * node, it has no reg property, or the tree is malformed. */
int dddk_fdt_find(const void *fdt, const char *compatible, struct dddk_device *out);

/* A cycle count for measurements: PMCCNTR_EL0 on aarch64 when the kernel exports it to user
 * mode (CONFIG_EXPORT_PMU_USER), nanoseconds of host time on hostsim (dddk_hostsim_clock, installed
 * by hostsim start-up); 0 when there is no such counter. dddk_cycles_unit() names the unit. */
seL4_Word dddk_cycles(void);
const char *dddk_cycles_unit(void);
/* Is dddk_cycles() the CPU's cycle counter (aarch64 with CONFIG_EXPORT_PMU_USER)? */
int dddk_has_cycles(void);

/* Time: a count that advances dddk_counter_hz() times a second. aarch64: the generic timer's
 * virtual count CNTVCT_EL0 and its frequency CNTFRQ_EL0, when the kernel exports them to user mode
 * (CONFIG_EXPORT_VCNT_USER, seL4's KernelArmExportVCNTUser; on by default); hostsim: host
 * nanoseconds (dddk_hostsim_clock). Both 0 when there is no such counter. */
seL4_Word dddk_counter(void);
seL4_Word dddk_counter_hz(void);
#if !defined(__aarch64__)
extern seL4_Word (*dddk_hostsim_clock)(void);
#endif

#endif
