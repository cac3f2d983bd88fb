/* SPDX-License-Identifier: BSD-2-Clause */
/* Start-up of a component built as its own ELF image (kaal/elf_loader.h): the root task enters
 * _start with x0 = the start-up page and SP below it. */
#include <kaal/component.h>
#include <kaal/start.h>
#include <kaal/sys.h>

void component_main(const struct kaal_component_args *args);
void _start(struct kaal_component_args *args) __attribute__((section(".text.start"), noreturn));

/* libkaal's aarch64 start-up object (TLS set-up, which a component needs) also holds the root
 * task's start, which names kaal_root_main: a component image has none. */
__attribute__((weak)) int kaal_root_main(const seL4_BootInfo *bi)
{
    (void)bi;
    return -1;
}

void _start(struct kaal_component_args *args)
{
    kaal_tls_init(args->tls, args->ipc_buffer);
    component_main(args);
    sys_tcb_suspend(KAAL_COMPONENT_TCB);
    for (;;) {
    }
}
