/* SPDX-License-Identifier: BSD-2-Clause */
/* The demo system's root task: finds the UART in the device tree, starts the PL011 driver and the
 * shell as components in their own address spaces, then serves the shell's requests (start a
 * faulting component and report its fault; power off) and handles every component's faults.
 * docs/demo.md. */
#include <kaal/bootinfo.h>
#include <kaal/broker.h>
#include <kaal/component.h>
#include <kaal/dddk.h>
#include <kaal/elf_loader.h>
#include <kaal/pl011.h>
#include <kaal/print.h>
#include <kaal/shell.h>
#include <kaal/start.h>
#include <kaal/sys.h>

/* Badges on the root task's endpoint: who sent the message. */
#define BADGE_SHELL 2
#define BADGE_FAULT 0x100 /* | component number: a fault message */
#ifdef CONFIG_KERNEL_MCS
enum { COMP_DRIVER, COMP_SHELL, COMP_FAULTY, COMP_HELLO, COMP_SPIN, N_COMP };
static const char *const comp_names[N_COMP] = {"uart", "shell", "faulty", "hello", "spin"};
#else
enum { COMP_DRIVER, COMP_SHELL, COMP_FAULTY, COMP_HELLO, N_COMP };
static const char *const comp_names[N_COMP] = {"uart", "shell", "faulty", "hello"};
#endif

void hello_main(const struct kaal_component_args *args); /* hello.c: the tutorial's component */

/* QEMU virt's PL011, used when the device tree has none. */
#define UART_DEFAULT_BASE 0x9000000ul
#define UART_DEFAULT_IRQ 33ul

static struct kaal_broker broker;
static struct kaal_component comps[N_COMP];

/* The faulty component: reads through a pointer to a page nobody mapped. */
static void faulty_main(const struct kaal_component_args *args)
{
    (void)args;
    volatile seL4_Word *bad = (volatile seL4_Word *)0x1008ul;
    (void)*bad;
}

static int check(seL4_Error err, const char *what);

#ifdef CONFIG_KERNEL_MCS
/* MCS (docs/mcs.md, "The demo"): 'spin' spins for ever at a priority above the shell's on a budget
 * of SPIN_BUDGET_US every SPIN_PERIOD_US, so the shell keeps the rest of the processor; 'hello'
 * is passive (no scheduling context of its own): it answers on its callers' time. */
#define SPIN_BUDGET_US 1000
#define SPIN_PERIOD_US 10000
#define SPIN_PRIORITY 150
static seL4_Word budget_us[N_COMP], period_us[N_COMP], consumed_us[N_COMP], root_consumed_us;
static int passive[N_COMP];

#ifndef KAAL_ARCH_HOSTSIM
static void spin_main(const struct kaal_component_args *args)
{
    (void)args;
    for (volatile seL4_Word n = 0;; n++) {
    }
}
#endif

/* hostsim has no timer interrupt while a user thread runs host code: a spinning thread there would
 * never be preempted, so the spinner runs on QEMU only. */
static int start_spin(seL4_CPtr fault_ep)
{
#ifdef KAAL_ARCH_HOSTSIM
    (void)fault_ep;
    kaal_puts("demo root: hostsim cannot preempt a spinning thread; 'spin' is not started\n");
    return 0;
#else
    struct kaal_component *c = &comps[COMP_SPIN];
    if (check(kaal_component_create(&broker, c, "spin", spin_main, SPIN_PRIORITY, fault_ep,
                                    BADGE_FAULT | COMP_SPIN),
              "spin component") ||
        check(sys_sched_control_configure_flags(broker.bi->schedcontrol.start, c->sc,
                                                SPIN_BUDGET_US, SPIN_PERIOD_US, 0, 0,
                                                seL4_SchedContext_NoFlag),
              "spin budget") ||
        check(kaal_component_start(c), "start spin")) {
        return -1;
    }
    budget_us[COMP_SPIN] = SPIN_BUDGET_US;
    period_us[COMP_SPIN] = SPIN_PERIOD_US;
    kaal_puts("demo root: 'spin' spins for ever at priority 150 on 1000 us every 10000 us\n");
    return 0;
#endif
}

/* Let a started component run until it blocks (the root drops below it for a moment), then take
 * its scheduling context away: a passive server, which runs only on the SCs its callers lend. */
static int make_passive(int i, seL4_Word priority)
{
    struct kaal_component *c = &comps[i];
    if (check(sys_tcb_set_priority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, priority - 1),
              "root priority") ||
        check(sys_tcb_set_priority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, 255),
              "root priority") ||
        check(sys_sched_context_unbind(c->sc), "unbind hello's SC")) {
        return -1;
    }
    passive[i] = 1;
    kaal_puts("demo root: '");
    kaal_puts(comp_names[i]);
    kaal_puts("' is passive: it answers on its callers' time\n");
    return 0;
}

static void put_field(seL4_Word v, int width)
{
    seL4_Word digits = 1;
    for (seL4_Word x = v; x >= 10; x /= 10) {
        digits++;
    }
    for (int i = (int)digits; i < width; i++) {
        kaal_puts(" ");
    }
    kaal_put_dec(v);
}

/* ROOT_BUDGET: one line per component (and the root task): budget and period as configured, the
 * time its SC has consumed so far (SchedContext_Consumed returns what was used since the last
 * call; the root adds it up). */
static void serve_budget(void)
{
    kaal_puts("budget: component   budget(us)  period(us)  consumed(us)\n");
    for (int i = -1; i < N_COMP; i++) {
        seL4_CPtr sc = i < 0 ? seL4_CapInitThreadSC : comps[i].sc;
        if (sc == seL4_CapNull) {
            continue;
        }
        seL4_SchedContext_Consumed_t r = sys_sched_context_consumed(sc);
        seL4_Word *total = i < 0 ? &root_consumed_us : &consumed_us[i];
        if (r.error == seL4_NoError) {
            *total += r.consumed;
        }
        const char *name = i < 0 ? "root" : comp_names[i];
        kaal_puts("budget: ");
        kaal_puts(name);
        seL4_Word len = 0;
        while (name[len]) {
            len++;
        }
        for (; len < 10; len++) {
            kaal_puts(" ");
        }
        if (i >= 0 && passive[i]) {
            kaal_puts("   passive: runs on its callers' time\n");
            continue;
        }
        put_field(i < 0 ? KAAL_COMPONENT_BUDGET_US : budget_us[i], 13);
        put_field(i < 0 ? KAAL_COMPONENT_BUDGET_US : period_us[i], 12);
        put_field(*total, 14);
        kaal_puts("\n");
    }
}
#endif

static int check(seL4_Error err, const char *what)
{
    if (err != seL4_NoError) {
        kaal_puts("demo root: ");
        kaal_puts(what);
        kaal_puts(" failed: error ");
        kaal_put_dec(err);
        kaal_puts("\n");
        return -1;
    }
    return 0;
}

static int start_driver(seL4_CPtr ep, seL4_CPtr *irq_out)
{
    struct dddk_device uart = {UART_DEFAULT_BASE, 0x1000, UART_DEFAULT_IRQ, 1};
    seL4_Word fdt_size;
    const void *fdt = kaal_bootinfo_fdt(broker.bi, &fdt_size);
    if (dddk_fdt_find(fdt, "arm,pl011", &uart) != 0 || !uart.has_irq) {
        kaal_puts("demo root: no arm,pl011 in the device tree; using QEMU virt's\n");
        uart.reg_base = UART_DEFAULT_BASE;
        uart.irq = UART_DEFAULT_IRQ;
    }
    kaal_puts("demo root: UART (arm,pl011) at ");
    kaal_put_hex(uart.reg_base);
    kaal_puts(", interrupt ");
    kaal_put_dec(uart.irq);
    kaal_puts(" (device tree)\n");

    seL4_CPtr frame, irq, ntfn, ntfn_badged;
    struct kaal_component *c = &comps[COMP_DRIVER];
    if (check(kaal_broker_device_frame(&broker, uart.reg_base & ~0xffful, &frame),
              "device frame") ||
        check(kaal_broker_irq(&broker, uart.irq, &irq), "IRQ handler") ||
        check(kaal_broker_alloc(&broker, seL4_NotificationObject, 0, &ntfn), "notification")) {
        return -1;
    }
    ntfn_badged = kaal_broker_slot(&broker);
    if (check(sys_cnode_mint(seL4_CapInitThreadCNode, ntfn_badged, seL4_WordBits,
                             seL4_CapInitThreadCNode, ntfn, seL4_WordBits, seL4_AllRights,
                             PL011_IRQ_BADGE),
              "badge") ||
        check(sys_irq_handler_set_notification(irq, ntfn_badged), "IRQHandler_SetNotification") ||
        check(kaal_component_create(&broker, c, "uart", pl011_driver_main, 200, ep,
                                    BADGE_FAULT | COMP_DRIVER),
              "driver component") ||
        check(kaal_component_map_region(c, "uart", frame, 1, seL4_ReadWrite, seL4_ARM_ExecuteNever),
              "UART map") ||
        check(sys_tcb_bind_notification(c->tcb, ntfn), "bind notification")) {
        return -1;
    }
    *irq_out = irq;
    return 0;
}

/* ROOT_FAULT: start 'faulty', wait for its fault, reply to the shell with the fault's words. The
 * shell's call is kept in `saved` (base: a slot SaveCaller fills; MCS: the reply object it arrived
 * with, while the wait uses `other`). */
static void serve_fault(seL4_CPtr ep, seL4_CPtr saved, seL4_CPtr other)
{
    seL4_Word words[5] = {0};
    seL4_Word label = 0;
    struct kaal_component *c = &comps[COMP_FAULTY];
#ifndef CONFIG_KERNEL_MCS
    (void)other;
    if (sys_cnode_save_caller(seL4_CapInitThreadCNode, saved, seL4_WordBits) != seL4_NoError) {
        return;
    }
#endif
    /* Its code: the ELF image "faulty" from the archive linked into this root task (aarch64), or
     * the host function faulty_main (hostsim, or an image built without the archive). */
    seL4_Word archive_size, elf_size;
    const void *archive = kaal_components_archive(&archive_size);
    const void *elf = kaal_cpio_find(archive, archive_size, "faulty", &elf_size);
    seL4_Error err = elf ? kaal_component_create_elf(&broker, c, "faulty", elf, elf_size, 100, ep,
                                                     BADGE_FAULT | COMP_FAULTY)
                         : kaal_component_create(&broker, c, "faulty", faulty_main, 100, ep,
                                                 BADGE_FAULT | COMP_FAULTY);
    if (elf) {
        kaal_puts("demo root: 'faulty' loaded from its ELF image in the component archive\n");
    }
    if (check(err, "faulty component") || check(kaal_component_start(c), "start faulty")) {
        label = 1;
    } else {
        for (;;) {
            seL4_Word badge = 0;
            seL4_MessageInfo_t info = kaal_server_recv(ep, &badge, other);
            if (badge == (BADGE_FAULT | COMP_FAULTY)) {
                for (int i = 0; i < 4; i++) {
                    words[i] = sys_get_mr(i);
                }
                words[4] = seL4_MessageInfo_get_label(info);
                break;
            }
            kaal_puts("demo root: a message arrived while waiting for the fault; ignored\n");
        }
        sys_tcb_suspend(c->tcb);
        kaal_puts("demo root: 'faulty' faulted at ");
        kaal_put_hex(words[1]);
        kaal_puts("; stopped it\n");
    }
    for (int i = 0; i < 5; i++) {
        sys_set_mr(i, words[i]);
    }
    sys_send(saved, seL4_MessageInfo_new(label, 0, 0, 5));
}

int kaal_root_main(const seL4_BootInfo *bi)
{
    kaal_puts("demo root: starting the UART driver and the shell\n");
    kaal_broker_init(&broker, bi);
    seL4_CPtr root_ep, drv_ep, irq;
    if (check(kaal_broker_alloc(&broker, seL4_EndpointObject, 0, &root_ep), "root endpoint") ||
        check(kaal_broker_alloc(&broker, seL4_EndpointObject, 0, &drv_ep), "driver endpoint") ||
        start_driver(root_ep, &irq) != 0) {
        return 1;
    }
    struct kaal_component *drv = &comps[COMP_DRIVER], *sh = &comps[COMP_SHELL],
                          *hello = &comps[COMP_HELLO];
    /* The tutorial's component: an endpoint it receives on, a badged copy for the shell. */
    seL4_CPtr hello_ep;
    if (check(kaal_broker_alloc(&broker, seL4_EndpointObject, 0, &hello_ep), "hello endpoint") ||
        check(kaal_component_create(&broker, hello, "hello", hello_main, 150, root_ep,
                                    BADGE_FAULT | COMP_HELLO),
              "hello component") ||
        check(kaal_component_grant(hello, "ep", hello_ep, seL4_AllRights, 0, 0),
              "grant hello ep") ||
        check(kaal_component_start(hello), "start hello")) {
        return 1;
    }
#ifdef CONFIG_KERNEL_MCS
    for (int i = 0; i < N_COMP; i++) {
        budget_us[i] = period_us[i] = KAAL_COMPONENT_BUDGET_US; /* the runtime's round robin */
    }
    if (make_passive(COMP_HELLO, 150) != 0 || start_spin(root_ep) != 0) {
        return 1;
    }
#endif
    if (check(kaal_component_grant(drv, "ep", drv_ep, seL4_AllRights, 0, 0), "grant ep") ||
        check(kaal_component_grant(drv, "irq", irq, seL4_AllRights, 0, 0), "grant irq") ||
        check(kaal_component_create(&broker, sh, "shell", shell_main, 100, root_ep,
                                    BADGE_FAULT | COMP_SHELL),
              "shell component") ||
        check(kaal_component_grant(sh, "uart", drv_ep, seL4_AllRights, 1, 0), "grant uart") ||
        check(kaal_component_grant(sh, "root", root_ep, seL4_AllRights, BADGE_SHELL, 0),
              "grant root") ||
        check(kaal_component_grant(sh, "hello", hello_ep, seL4_AllRights, 7, 0), "grant hello") ||
        check(kaal_component_start(drv), "start driver") ||
        check(kaal_component_start(sh), "start shell")) {
        return 1;
    }
#ifdef CONFIG_KERNEL_MCS
    /* The root task's reply objects: requests arrive with `reply`; serving a fault waits with
     * `other` while the shell's call stays in `reply`. */
    seL4_CPtr reply, other;
    if (check(kaal_broker_alloc(&broker, seL4_ReplyObject, 0, &reply), "reply object") ||
        check(kaal_broker_alloc(&broker, seL4_ReplyObject, 0, &other), "reply object")) {
        return 1;
    }
    seL4_CPtr saved = reply;
#else
    seL4_CPtr reply = seL4_CapNull, other = seL4_CapNull;
    seL4_CPtr saved = kaal_broker_slot(&broker);
#endif
    for (;;) {
        seL4_Word badge = 0;
        seL4_MessageInfo_t info = kaal_server_recv(root_ep, &badge, reply);
        if (badge & BADGE_FAULT) {
            seL4_Word n = badge & 0xff;
            kaal_puts("demo root: component '");
            kaal_puts(n < N_COMP ? comp_names[n] : "?");
            kaal_puts("' faulted (fault type ");
            kaal_put_dec(seL4_MessageInfo_get_label(info));
            kaal_puts(", pc ");
            kaal_put_hex(sys_get_mr(0));
            kaal_puts("); it stays stopped\n");
            continue;
        }
        if (badge == BADGE_SHELL && seL4_MessageInfo_get_label(info) == ROOT_FAULT) {
            serve_fault(root_ep, saved, other);
        } else if (badge == BADGE_SHELL && seL4_MessageInfo_get_label(info) == ROOT_SNAPSHOT) {
            sys_debug_snapshot();
            kaal_server_reply(reply, seL4_MessageInfo_new(0, 0, 0, 0));
#ifdef CONFIG_KERNEL_MCS
        } else if (badge == BADGE_SHELL && seL4_MessageInfo_get_label(info) == ROOT_BUDGET) {
            serve_budget();
            kaal_server_reply(reply, seL4_MessageInfo_new(0, 0, 0, 0));
#endif
        } else if (badge == BADGE_SHELL && seL4_MessageInfo_get_label(info) == ROOT_EXIT) {
            break;
        } else {
            kaal_server_reply(reply, seL4_MessageInfo_new(seL4_IllegalOperation, 0, 0, 0));
        }
    }
    /* Power off: with the IRQ handler gone and no thread left to run, the kernel stops the machine
     * (aarch64: PSCI SYSTEM_OFF; hostsim: the run ends). */
    sys_cnode_revoke(seL4_CapInitThreadCNode, irq, seL4_WordBits);
    sys_cnode_delete(seL4_CapInitThreadCNode, irq, seL4_WordBits);
    for (int i = 0; i < N_COMP; i++) {
        if (comps[i].tcb != seL4_CapNull) {
            sys_tcb_suspend(comps[i].tcb);
        }
    }
    kaal_puts("demo root: every component stopped; powering off\n");
    return 0;
}
