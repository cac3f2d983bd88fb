/* SPDX-License-Identifier: BSD-2-Clause */
/* The driver kit (kaal/dddk.h): interrupt helpers, device-tree lookups through libfdt, a clock. */
#include <libfdt.h>

#include <kaal/dddk.h>
#include <kaal/gen_config.h>
#include <kaal/sys.h>

#if !defined(__aarch64__)
static uint32_t no_device(seL4_Word vaddr, int write, uint32_t value)
{
    /* No model installed: touch the address, so the shadow MMU reports the access. */
    if (write) {
        *(volatile uint32_t *)vaddr = value;
        return 0;
    }
    return *(volatile uint32_t *)vaddr;
}
dddk_hostsim_mmio_fn dddk_hostsim_mmio = no_device;
seL4_Word (*dddk_hostsim_clock)(void);
#endif

seL4_Word dddk_irq_wait(seL4_CPtr ntfn)
{
    seL4_Word badge = 0;
    sys_wait(ntfn, &badge);
    return badge;
}

seL4_Error dddk_irq_ack(seL4_CPtr irq_handler) { return sys_irq_handler_ack(irq_handler); }

int dddk_irq_loop(seL4_CPtr ntfn, seL4_CPtr irq_handler, int (*handle)(void *ctx, seL4_Word badge),
                  void *ctx)
{
    for (;;) {
        int rc = handle(ctx, dddk_irq_wait(ntfn));
        dddk_irq_ack(irq_handler);
        if (rc != 0) {
            return rc;
        }
    }
}

static seL4_Word read_cells(const fdt32_t *p, int cells)
{
    seL4_Word v = 0;
    for (int i = 0; i < cells; i++) {
        v = (v << 32) | fdt32_to_cpu(p[i]);
    }
    return v;
}

int dddk_fdt_find(const void *fdt, const char *compatible, struct dddk_device *out)
{
    if (fdt == 0 || fdt_check_header(fdt) != 0) {
        return -1;
    }
    int node = -1;
    for (;;) {
        node = fdt_node_offset_by_compatible(fdt, node, compatible);
        if (node < 0) {
            return -1;
        }
        int len;
        const char *status = fdt_getprop(fdt, node, "status", &len);
        if (status == 0 || (len >= 4 && status[0] == 'o' && status[1] == 'k')) {
            break;
        }
    }
    int parent = fdt_parent_offset(fdt, node);
    int ac = parent >= 0 ? fdt_address_cells(fdt, parent) : 2;
    int sc = parent >= 0 ? fdt_size_cells(fdt, parent) : 1;
    int len;
    const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);
    if (reg == 0 || ac < 1 || ac > 2 || sc < 0 || sc > 2 ||
        len < (int)sizeof(fdt32_t) * (ac + sc)) {
        return -1;
    }
    out->reg_base = read_cells(reg, ac);
    out->reg_size = read_cells(reg + ac, sc);
    out->has_irq = 0;
    out->irq = 0;
    /* GIC bindings: <type number flags>, type 0 = SPI (ID 32 + n), 1 = PPI (ID 16 + n). */
    const fdt32_t *irq = fdt_getprop(fdt, node, "interrupts", &len);
    if (irq != 0 && len >= 12) {
        seL4_Word type = fdt32_to_cpu(irq[0]), number = fdt32_to_cpu(irq[1]);
        out->irq = number + (type == 1 ? 16 : 32);
        out->has_irq = 1;
    }
    return 0;
}

seL4_Word dddk_cycles(void)
{
#if defined(__aarch64__)
#ifdef CONFIG_EXPORT_PMU_USER
    seL4_Word v;
    __asm__ volatile("mrs %0, pmccntr_el0" : "=r"(v));
    return v;
#else
    return 0;
#endif
#else
    return dddk_hostsim_clock ? dddk_hostsim_clock() : 0;
#endif
}

seL4_Word dddk_counter(void)
{
#if defined(__aarch64__)
#ifdef CONFIG_EXPORT_VCNT_USER
    seL4_Word v;
    __asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(v)); /* isb: not read early, out of order */
    return v;
#else
    return 0;
#endif
#else
    return dddk_hostsim_clock ? dddk_hostsim_clock() : 0;
#endif
}

seL4_Word dddk_counter_hz(void)
{
#if defined(__aarch64__)
#ifdef CONFIG_EXPORT_VCNT_USER
    seL4_Word hz;
    __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(hz));
    return hz;
#else
    return 0;
#endif
#else
    return dddk_hostsim_clock ? 1000000000ul : 0;
#endif
}

int dddk_has_cycles(void)
{
#if defined(__aarch64__) && defined(CONFIG_EXPORT_PMU_USER)
    return 1;
#else
    return 0;
#endif
}

const char *dddk_cycles_unit(void)
{
#if defined(__aarch64__)
    return "cycles";
#else
    return "ns";
#endif
}
