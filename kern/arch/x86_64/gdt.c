// SPDX-License-Identifier: MIT
//
// Per-CPU global descriptor tables and task-state segments.
//
// Each CPU gets the GDT laid out in machine/segments.h -- null, kernel code
// and data, the user segments in the order `sysret` wants, and a 16-byte TSS
// descriptor -- and a TSS whose interrupt stack table points at this CPU's
// own emergency stacks.  The IDT sends double faults, NMIs and machine checks
// to those stacks, so they are reported even when the kernel stack is gone
// (overflowed into a guard page) or the CPU was interrupted anywhere.
//
// The emergency stacks are static, for every possible CPU, so an application
// processor can be set up before kernel memory exists and no fault path ever
// depends on an allocator.  boot.S's 3-entry GDT is used only until
// gdt_init_cpu() runs on the boot CPU.

#include <kern/cpu.h>
#include <machine/cpu_arch.h>
#include <machine/segments.h>
#include <machine/vmparam.h>

// Bytes of each emergency stack.  The double-fault stack runs the whole fault
// report (printf, symbol lookup, backtrace), hence the larger size.
#define IST_STACK_SIZE        (2 * PAGE_SIZE)
#define IST_DOUBLE_FAULT_SIZE (4 * PAGE_SIZE)

static uint8_t ist_df_stacks[MAX_CPUS][IST_DOUBLE_FAULT_SIZE] __aligned(PAGE_SIZE);
static uint8_t ist_nmi_stacks[MAX_CPUS][IST_STACK_SIZE] __aligned(PAGE_SIZE);
static uint8_t ist_mc_stacks[MAX_CPUS][IST_STACK_SIZE] __aligned(PAGE_SIZE);

// Segment descriptor bits (Intel SDM vol. 3A 3.4.5): access byte at bits
// 40..47, flags at 52..55.
#define SEG_ACCESSED (1ull << 40)
#define SEG_RW       (1ull << 41) // data: writable; code: readable
#define SEG_CODE     (1ull << 43)
#define SEG_S        (1ull << 44) // code or data (not a system segment)
#define SEG_DPL(n)   ((uint64_t)(n) << 45)
#define SEG_P        (1ull << 47)
#define SEG_L        (1ull << 53) // 64-bit code
#define SEG_DB       (1ull << 54) // 32-bit default size
#define SEG_G        (1ull << 55) // limit in 4 KiB units
#define SEG_LIMIT4G  (0xFFFFull | (0xFull << 48))

#define SEG_CODE64(dpl) (SEG_P | SEG_S | SEG_CODE | SEG_RW | SEG_ACCESSED | SEG_DPL(dpl) | SEG_L)
#define SEG_CODE32(dpl)                                                                            \
    (SEG_P | SEG_S | SEG_CODE | SEG_RW | SEG_ACCESSED | SEG_DPL(dpl) | SEG_DB | SEG_G | SEG_LIMIT4G)
#define SEG_DATA(dpl)                                                                              \
    (SEG_P | SEG_S | SEG_RW | SEG_ACCESSED | SEG_DPL(dpl) | SEG_DB | SEG_G | SEG_LIMIT4G)

#define SYS_TSS_AVAILABLE 0x9 // 64-bit TSS, not busy

// syscall/sysret find their selectors at fixed distances (segments.h).
_Static_assert(STAR_SYSCALL_CS + 8 == KERNEL_DS, "syscall SS follows kernel CS");
_Static_assert(STAR_SYSRET_CS + 8 == USER_DS, "sysret SS is STAR[63:48] + 8");
_Static_assert(STAR_SYSRET_CS + 16 == USER_CS, "sysretq CS is STAR[63:48] + 16");
_Static_assert(GDT_TSS + 2 == GDT_NENTRIES, "the TSS descriptor is last and takes two slots");

struct gdt_pointer {
    uint16_t limit;
    uint64_t base;
} __packed;

_Static_assert(sizeof(struct gdt_pointer) == 10, "lgdt operand is 10 bytes");

// Writes the two-slot 64-bit TSS descriptor (SDM vol. 3A 8.2.3, figure 8-4).
static void
gdt_set_tss(uint64_t *gdt, const struct tss *tss)
{
    uint64_t base = (uint64_t)(uintptr_t)tss;
    uint64_t limit = sizeof(*tss) - 1;

    gdt[GDT_TSS] = (limit & 0xFFFF) | ((base & 0xFFFFFF) << 16) |
                   ((uint64_t)SYS_TSS_AVAILABLE << 40) | SEG_P | (((limit >> 16) & 0xF) << 48) |
                   (((base >> 24) & 0xFF) << 56);
    gdt[GDT_TSS + 1] = base >> 32;
}

static void
tss_init(struct tss *tss, unsigned id)
{
    *tss = (struct tss){0};
    tss->ist[IST_DOUBLE_FAULT - 1] = (uintptr_t)&ist_df_stacks[id][IST_DOUBLE_FAULT_SIZE];
    tss->ist[IST_NMI - 1] = (uintptr_t)&ist_nmi_stacks[id][IST_STACK_SIZE];
    tss->ist[IST_MACHINE_CHECK - 1] = (uintptr_t)&ist_mc_stacks[id][IST_STACK_SIZE];
    tss->iomap_base = sizeof(*tss); // beyond the limit: no I/O bitmap, all ports trap at CPL 3
}

// Loads the GDT, reloads CS with a far return (the only way to change CS in
// 64-bit mode without a gate), the data segment registers, and the task
// register.  FS and GS are not touched: loading them would clear the GS base
// that cpu_current() depends on.
static void
gdt_load(const uint64_t *gdt)
{
    struct gdt_pointer p = {GDT_NENTRIES * 8 - 1, (uint64_t)(uintptr_t)gdt};

    __asm__ volatile("lgdt %0\n\t"
                     "pushq %1\n\t"
                     "leaq 1f(%%rip), %%rax\n\t"
                     "pushq %%rax\n\t"
                     "lretq\n"
                     "1:\n\t"
                     "movw %w2, %%ds\n\t"
                     "movw %w2, %%es\n\t"
                     "movw %w2, %%ss\n\t"
                     "ltr %w3"
                     :
                     : "m"(p), "i"(KERNEL_CS), "r"(KERNEL_DS), "r"(TSS_SEL)
                     : "rax", "memory");
}

void
gdt_init_cpu(struct cpu *c)
{
    uint64_t *gdt = c->arch.gdt;

    gdt[GDT_NULL] = 0;
    gdt[GDT_KERNEL_CODE] = SEG_CODE64(0);
    gdt[GDT_KERNEL_DATA] = SEG_DATA(0);
    gdt[GDT_USER_CODE32] = SEG_CODE32(3);
    gdt[GDT_USER_DATA] = SEG_DATA(3);
    gdt[GDT_USER_CODE] = SEG_CODE64(3);
    tss_init(&c->arch.tss, c->id);
    gdt_set_tss(gdt, &c->arch.tss);
    gdt_load(gdt);
}

void
gdt_set_kernel_stack(struct cpu *c, uintptr_t rsp0)
{
    c->arch.tss.rsp[0] = rsp0;
}
