// SPDX-License-Identifier: MIT
//
// Tests of the descriptor tables (arch gdt.c, idt.c): what the CPU actually
// has loaded, read back with sgdt/sidt/str, matches machine/segments.h, and
// the exceptions that must survive a broken kernel stack have IST stacks.

#include <debug/ktest.h>
#include <kern/cpu.h>
#include <lib/string.h>
#include <machine/segments.h>
#include <machine/trap.h>

struct table_pointer {
    uint16_t limit;
    uint64_t base;
} __packed;

#define DESC_TYPE(d) (((d) >> 40) & 0xF)
#define DESC_DPL(d)  (((d) >> 45) & 3)
#define DESC_L       (1ull << 53)
#define DESC_P       (1ull << 47)
#define TSS_BUSY     0xB

KTEST(trap, gdt_and_task_register_are_this_cpus)
{
    struct table_pointer p;
    uint16_t tr, cs, ss;
    struct cpu *c = cpu_current();

    __asm__ volatile("sgdt %0" : "=m"(p));
    __asm__ volatile("str %0" : "=r"(tr));
    __asm__ volatile("movw %%cs, %0; movw %%ss, %1" : "=r"(cs), "=r"(ss));
    KT_EQ(p.base, (uintptr_t)c->arch.gdt);
    KT_EQ(p.limit, GDT_NENTRIES * 8 - 1);
    KT_EQ(tr, TSS_SEL);
    KT_EQ(cs, KERNEL_CS);
    KT_EQ(ss, KERNEL_DS);
    KT_EQ(DESC_TYPE(c->arch.gdt[GDT_TSS]), TSS_BUSY); // ltr marks it busy
}

KTEST(trap, gdt_has_user_segments_in_sysret_order)
{
    const uint64_t *gdt = cpu_current()->arch.gdt;

    // sysretq loads CS = STAR[63:48] + 16 and SS = STAR[63:48] + 8.
    KT_EQ(STAR_SYSRET_CS + 8, USER_DS);
    KT_EQ(STAR_SYSRET_CS + 16, USER_CS);
    KT_EQ(STAR_SYSCALL_CS + 8, KERNEL_DS);
    KT_ASSERT(gdt[GDT_KERNEL_CODE] & DESC_L);
    KT_EQ(DESC_DPL(gdt[GDT_KERNEL_CODE]), 0);
    KT_ASSERT(gdt[GDT_USER_CODE] & DESC_L);
    KT_EQ(DESC_DPL(gdt[GDT_USER_CODE]), 3);
    KT_ASSERT(!(gdt[GDT_USER_CODE32] & DESC_L));
    KT_EQ(DESC_DPL(gdt[GDT_USER_CODE32]), 3);
    KT_EQ(DESC_DPL(gdt[GDT_USER_DATA]), 3);
    KT_ASSERT(gdt[GDT_USER_DATA] & DESC_P);
}

KTEST(trap, ist_stacks_set_for_double_fault_nmi_machine_check)
{
    const struct tss *tss = &cpu_current()->arch.tss;
    uint64_t df = tss->ist[IST_DOUBLE_FAULT - 1];
    uint64_t nmi = tss->ist[IST_NMI - 1];
    uint64_t mc = tss->ist[IST_MACHINE_CHECK - 1];

    KT_ASSERT(df != 0 && nmi != 0 && mc != 0);
    KT_EQ(df % 16, 0);
    KT_EQ(nmi % 16, 0);
    KT_EQ(mc % 16, 0);
    KT_ASSERT(df != nmi && nmi != mc && df != mc);
    // The stack we run on now is none of them.
    uintptr_t here = (uintptr_t)__builtin_frame_address(0);
    KT_ASSERT(here > df || here < df - 4096);
}

KTEST(trap, idt_gates_use_ist_only_where_needed)
{
    struct table_pointer p;

    __asm__ volatile("sidt %0" : "=m"(p));
    KT_EQ(p.limit, 256 * 16 - 1);
    const uint8_t *idt = (const uint8_t *)p.base;
    // Byte 4 of a gate is its IST slot, byte 5 its type (present interrupt
    // gate: 0x8E, DPL 3: 0xEE); bytes 0-1 and 6-7 the stub's address.
    KT_EQ(idt[T_DOUBLE_FAULT * 16 + 4], IST_DOUBLE_FAULT);
    KT_EQ(idt[T_NMI * 16 + 4], IST_NMI);
    KT_EQ(idt[T_MACHINE_CHECK * 16 + 4], IST_MACHINE_CHECK);
    KT_EQ(idt[T_PAGE_FAULT * 16 + 4], 0);
    KT_EQ(idt[T_PAGE_FAULT * 16 + 5], 0x8E);
    KT_EQ(idt[T_BREAKPOINT * 16 + 5], 0xEE);
    KT_EQ(idt[0x30 * 16 + 5], 0x8E);
    for (unsigned v = 0; v < 256; v++) {
        uint64_t lo, hi;
        memcpy(&lo, &idt[v * 16], 8);
        memcpy(&hi, &idt[v * 16 + 8], 8);
        uint64_t target = (lo & 0xFFFF) | ((lo >> 32) & 0xFFFF0000) | (hi << 32);
        KT_EQ(target, trap_stubs[v]);
    }
}

KTEST(trap, vector_names_cover_the_exceptions)
{
    KT_ASSERT(strcmp(trap_vector_name(T_PAGE_FAULT), "page fault") == 0);
    KT_ASSERT(strcmp(trap_vector_name(T_GENERAL_PROT), "general protection") == 0);
    KT_ASSERT(strcmp(trap_vector_name(T_DOUBLE_FAULT), "double fault") == 0);
    KT_ASSERT(strcmp(trap_vector_name(T_DIVIDE), "divide error") == 0);
    KT_ASSERT(strcmp(trap_vector_name(15), "reserved exception") == 0);
    KT_ASSERT(trap_vector_name(32) == NULL);
}
