/* SPDX-License-Identifier: MIT
 *
 * The first instructions: multiboot headers, the 32-bit entry and the switch
 * to long mode.
 *
 * GRUB (multiboot2) and QEMU -kernel (multiboot1) both enter at start32 in
 * 32-bit protected mode, paging off, with the loader's magic in %eax and the
 * physical address of its information structure in %ebx.  We build boot page
 * tables that map the first 4 GiB three times -- identity (to survive turning
 * paging on), at the direct map (DIRECT_MAP_BASE) and the first 1 GiB at the
 * kernel image (KERNEL_VMA) -- enable PAE, long mode and paging, jump to the
 * higher half and call kmain(magic, info_phys).  pmap_bootstrap() replaces
 * these tables with the real kernel map later.
 */
#include <machine/vmparam.h>

#define MB2_MAGIC       0xE85250D6
#define MB2_ARCH_I386   0
#define MB1_MAGIC       0x1BADB002
#define MB1_FLAGS       0x00010003 /* page-align modules, memory info, a.out kludge */

#define PTE_P   0x001
#define PTE_W   0x002
#define PTE_PS  0x080

#define PHYS(x) ((x) - KERNEL_VMA)

        .section .multiboot, "a"
        .align 8
mb2_header:
        .long MB2_MAGIC
        .long MB2_ARCH_I386
        .long mb2_header_end - mb2_header
        .long -(MB2_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
        /* entry address tag: enter at the physical address of start32 */
        .align 8
        .short 3, 0
        .long 12
        .long PHYS(start32)
        /* end tag */
        .align 8
        .short 0, 0
        .long 8
mb2_header_end:

        .align 4
mb1_header:
        .long MB1_MAGIC
        .long MB1_FLAGS
        .long -(MB1_MAGIC + MB1_FLAGS)
        .long PHYS(mb1_header)          /* header_addr */
        .long PHYS(kernel_start)        /* load_addr */
        .long PHYS(data_end)            /* load_end_addr */
        .long PHYS(bss_end)             /* bss_end_addr */
        .long PHYS(start32)             /* entry_addr */

/* ------------------------------------------------------------------------ */

        .section .boot.text, "ax"
        .code32
        .globl start32
start32:
        cli
        cld
        movl    %eax, %edi              /* loader magic, first argument of kmain */
        movl    %ebx, %esi              /* info pointer, second argument */
        movl    $PHYS(boot_stack_top), %esp

        /* Long mode and the page-size-extension bit must exist. */
        movl    $0x80000000, %eax
        cpuid
        cmpl    $0x80000001, %eax
        jb      no_long_mode
        movl    $0x80000001, %eax
        cpuid
        btl     $29, %edx
        jnc     no_long_mode
        movl    %edx, %ebp              /* keep feature bits: bit 20 is NX */

        /* boot_pd[0..2047]: 2 MiB pages covering 0..4 GiB */
        movl    $PHYS(boot_pd), %ebx
        xorl    %ecx, %ecx
1:      movl    %ecx, %eax
        shll    $21, %eax
        orl     $(PTE_P | PTE_W | PTE_PS), %eax
        movl    %eax, (%ebx, %ecx, 8)
        movl    $0, 4(%ebx, %ecx, 8)
        incl    %ecx
        cmpl    $2048, %ecx
        jb      1b

        /* boot_pdpt_low[0..3] -> the four page directories */
        movl    $PHYS(boot_pdpt_low), %ebx
        movl    $PHYS(boot_pd), %eax
        orl     $(PTE_P | PTE_W), %eax
        xorl    %ecx, %ecx
2:      movl    %eax, (%ebx, %ecx, 8)
        addl    $4096, %eax
        incl    %ecx
        cmpl    $4, %ecx
        jb      2b

        /* boot_pdpt_high[510] -> first page directory (KERNEL_VMA = -2 GiB) */
        movl    $(PHYS(boot_pd) + (PTE_P | PTE_W)), PHYS(boot_pdpt_high) + 510 * 8

        /* PML4: identity, direct map and kernel image */
        movl    $(PHYS(boot_pdpt_low) + (PTE_P | PTE_W)), PHYS(boot_pml4)
        movl    $(PHYS(boot_pdpt_low) + (PTE_P | PTE_W)), PHYS(boot_pml4) + DIRECT_MAP_PML4_SLOT * 8
        movl    $(PHYS(boot_pdpt_high) + (PTE_P | PTE_W)), PHYS(boot_pml4) + 511 * 8

        movl    $PHYS(boot_pml4), %eax
        movl    %eax, %cr3
        movl    %cr4, %eax
        orl     $0x20, %eax             /* CR4.PAE */
        movl    %eax, %cr4

        movl    $0xC0000080, %ecx       /* IA32_EFER */
        rdmsr
        orl     $0x100, %eax            /* LME */
        btl     $20, %ebp
        jnc     3f
        orl     $0x800, %eax            /* NXE, when the CPU has NX */
3:      wrmsr

        movl    %cr0, %eax
        orl     $0x80010001, %eax       /* PG | WP | PE */
        movl    %eax, %cr0

        lgdt    PHYS(boot_gdt_ptr)
        ljmp    $0x08, $PHYS(start64_low)

no_long_mode:
        /* Say so on COM1 and stop; there is nothing else we can do. */
        movl    $PHYS(no_lm_msg), %esi
4:      lodsb
        testb   %al, %al
        jz      5f
        movw    $0x3F8, %dx
        outb    %al, %dx
        jmp     4b
5:      hlt
        jmp     5b

        .code64
start64_low:
        movabsq $start64, %rax
        jmp     *%rax

        .section .text
        .globl start64
start64:
        movabsq $boot_gdt_ptr64, %rax
        lgdt    (%rax)
        xorl    %eax, %eax
        movw    %ax, %ds
        movw    %ax, %es
        movw    %ax, %ss
        movw    %ax, %fs
        movw    %ax, %gs
        movabsq $boot_stack_top, %rsp
        xorl    %ebp, %ebp              /* ends the frame-pointer chain */
        call    kmain                   /* kmain(magic, info_phys) never returns */
6:      hlt
        jmp     6b

        .section .rodata
        .align 16
boot_gdt:
        .quad   0
        .quad   0x00AF9A000000FFFF      /* 0x08: 64-bit code, ring 0 */
        .quad   0x00CF92000000FFFF      /* 0x10: data, ring 0 */
boot_gdt_end:
boot_gdt_ptr:
        .short  boot_gdt_end - boot_gdt - 1
        .long   PHYS(boot_gdt)
boot_gdt_ptr64:
        .short  boot_gdt_end - boot_gdt - 1
        .quad   boot_gdt
no_lm_msg:
        .asciz  "quay: this CPU has no long mode\n"

        .section .boot.bss, "aw", @nobits
        .align 4096
        .globl boot_pml4
boot_pml4:      .space 4096
boot_pdpt_low:  .space 4096
boot_pdpt_high: .space 4096
boot_pd:        .space 4 * 4096
        .globl boot_stack_top
boot_stack:     .space 16384
boot_stack_top:
